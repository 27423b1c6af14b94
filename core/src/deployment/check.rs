//! Checking a deployment once, field by field, into the checked form that
//! evaluation takes: every number in range, catalogue ids resolved.

use std::ops::ControlFlow;

use super::error::DeploymentError;
use super::fields;
use super::inputs::{Choice, Deployment};
use super::report::DeploymentReport;
use super::resolve::Resolved;
use crate::input::{Bound, InputError, Problem, Range};

/// Accelerators per prefill replica.
const PREFILL_GPUS: Range = Range::count("hardware.prefill_pool.gpus_per_replica", 1.0, 1024.0);

/// The prefill pool's rental, in the range of the deployment's own.
const PREFILL_USD_PER_GPU_HOUR: Range = Range::new(
    "hardware.prefill_pool.usd_per_gpu_hour",
    0.0,
    Bound::GreaterThan,
    1_000.0,
    " $/GPU-hour",
);

/// The prefill pool's server price, in the range of the deployment's own.
const PREFILL_CAPEX: Range = Range::new(
    "hardware.prefill_pool.capex_usd_per_node",
    0.0,
    Bound::GreaterThan,
    1e9,
    " $",
);

/// A deployment whose every field is in range, with its catalogue ids and
/// defaults resolved: what an evaluation takes, so nothing is checked twice.
#[derive(Debug, Clone, Copy)]
pub struct Checked<'a> {
    deployment: &'a Deployment,
    resolved: Resolved,
}

impl<'a> Checked<'a> {
    /// The deployment as described.
    pub fn deployment(&self) -> &'a Deployment {
        self.deployment
    }

    /// Its figures resolved from the catalogue and the stack.
    pub fn resolved(&self) -> &Resolved {
        &self.resolved
    }

    /// `deployment` taken as checked with `resolved`: for a sweep that has
    /// checked the one field it changes in a deployment already checked.
    pub(crate) fn assume(deployment: &'a Deployment, resolved: Resolved) -> Self {
        Checked {
            deployment,
            resolved,
        }
    }
}

/// A deployment checked and evaluated: what the charts take, so that none
/// of them checks or evaluates it again.
#[derive(Debug, Clone, Copy)]
pub struct Evaluated<'a> {
    /// The deployment, checked.
    pub checked: Checked<'a>,
    /// Its report.
    pub report: DeploymentReport,
}

impl Deployment {
    /// Checks and evaluates the deployment, keeping both.
    ///
    /// # Errors
    /// As [`Deployment::evaluate`].
    pub fn evaluated(&self) -> Result<Evaluated<'_>, DeploymentError> {
        let checked = self.check()?;
        Ok(Evaluated {
            checked,
            report: checked.evaluate()?,
        })
    }

    /// Checks every field and resolves the catalogue ids.
    ///
    /// # Errors
    /// The first field out of range, an unknown catalogue id, or an
    /// inconsistent custom model or accelerator.
    #[inline]
    pub fn check(&self) -> Result<Checked<'_>, DeploymentError> {
        self.validate()?;
        Ok(Checked {
            deployment: self,
            resolved: self.resolve()?,
        })
    }

    /// Checks every numeric field against its range.
    ///
    /// # Errors
    /// The first field out of range.
    pub fn validate(&self) -> Result<(), InputError> {
        let mut first = None;
        let _ = self.each_problem(&mut |e| {
            first = Some(e);
            ControlFlow::Break(())
        });
        first.map_or(Ok(()), Err)
    }

    /// Every field out of range, in the order of the document (a custom
    /// model's or accelerator's first), then the rules on several fields
    /// together, so a client can fix them all at once.
    pub fn problems(&self) -> Vec<InputError> {
        let mut found = Vec::new();
        let _ = self.each_problem(&mut |e| {
            found.push(e);
            ControlFlow::Continue(())
        });
        found
    }

    /// Hands each field out of range to `visit` until it says stop.
    fn each_problem(
        &self,
        visit: &mut dyn FnMut(InputError) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        // Custom dimensions are checked by their own types, which also check
        // how they fit together; catalogue entries are valid as listed.
        if let Choice::Spec(spec) = &self.model.choice
            && let Err(e) = spec.validate()
        {
            visit(e)?;
        }
        if let Choice::Spec(spec) = &self.hardware.choice
            && let Err(e) = spec.validate()
        {
            visit(e)?;
        }
        fields::each_own_problem(self, visit)?;
        self.prefill_pool_problems(visit)?;
        if let Some(currency) = &self.pricing.currency
            && let Err(e) = currency.validate()
        {
            visit(e)?;
        }
        // After every field's own range, those of several fields together.
        self.some_output(visit)
    }

    /// The prefill pool's numbers, each against its range.
    fn prefill_pool_problems(
        &self,
        visit: &mut dyn FnMut(InputError) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let Some(pool) = &self.hardware.prefill_pool else {
            return ControlFlow::Continue(());
        };
        for (range, value) in [
            (PREFILL_GPUS, f64::from(pool.gpus_per_replica)),
            (PREFILL_USD_PER_GPU_HOUR, pool.usd_per_gpu_hour),
            (PREFILL_CAPEX, pool.capex_usd_per_node),
        ] {
            if let Err(e) = range.check(value) {
                visit(e)?;
            }
        }
        ControlFlow::Continue(())
    }

    /// Each attempt generates at least one token, visible or reasoning;
    /// checked only when both are in range (a bad one is named on its own).
    fn some_output(&self, visit: &mut dyn FnMut(InputError) -> ControlFlow<()>) -> ControlFlow<()> {
        let u = &self.use_case;
        let both_valid = fields::OUTPUT.range.check(u.output_tokens).is_ok()
            && fields::REASONING.range.check(u.reasoning_tokens).is_ok();
        if both_valid && u.output_tokens + u.reasoning_tokens < 1.0 {
            return visit(InputError {
                field: fields::OUTPUT.path(),
                problem: Problem::TooSmall {
                    value: u.output_tokens + u.reasoning_tokens,
                    min: 1.0,
                    bound: Bound::AtLeast,
                    unit: " token with reasoning",
                },
            });
        }
        ControlFlow::Continue(())
    }
}
