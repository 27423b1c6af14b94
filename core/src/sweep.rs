//! One input varied over a list of values, every other input held: the
//! headline figures at each value. The input is named by its JSON path in
//! a deployment (`pricing.usd_per_gpu_hour`): any field of the registry
//! ([`crate::deployment::fields`]) sweeps.

use serde::{Deserialize, Serialize};

use crate::deployment::fields::{self, Stage};
use crate::deployment::{Checked, Deployment, DeploymentError, Point};
use crate::headline::Headline;

/// Most values one sweep evaluates.
pub const MAX_POINTS: usize = 1_000;

/// Why a sweep cannot start.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepError {
    /// The path does not name a numeric field of the deployment.
    #[error("parameter: {path:?} is not a numeric field of the deployment ({reason})")]
    NotNumeric {
        /// The path given.
        path: String,
        /// What was found there instead.
        reason: String,
    },
    /// No values, or more than [`MAX_POINTS`].
    #[error("values: give 1 to {MAX_POINTS} values, not {count}")]
    Count {
        /// How many were given.
        count: usize,
    },
    /// A value is NaN or infinite.
    #[error("values[{index}]: must be a finite number")]
    NotFinite {
        /// Its position.
        index: usize,
    },
}

impl SweepError {
    /// JSON path of the request field at fault.
    pub fn field(&self) -> String {
        match self {
            SweepError::NotNumeric { .. } => "parameter".to_owned(),
            SweepError::Count { .. } => "values".to_owned(),
            SweepError::NotFinite { index } => format!("values[{index}]"),
        }
    }
}

/// The figures at one value, or why that value does not evaluate (weights
/// that no longer fit, a value out of the field's range).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SweepPoint {
    /// The value of the swept input.
    pub value: f64,
    /// The headline figures, when it evaluates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figures: Option<Headline>,
    /// Why it does not, naming the field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// JSON path of the field at fault, when the point does not evaluate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Evaluates `deployment` with the field at `path` set to each of `values`.
/// An input that only reaches the economics (a price, the demand) keeps
/// the operating point found once; any other is evaluated afresh each time.
///
/// # Errors
/// When `path` is not a numeric field or the values are unusable; a value
/// that gives an invalid deployment is reported in its point instead.
pub fn sweep(
    deployment: &Deployment,
    path: &str,
    values: &[f64],
) -> Result<Vec<SweepPoint>, SweepError> {
    if values.is_empty() || values.len() > MAX_POINTS {
        return Err(SweepError::Count {
            count: values.len(),
        });
    }
    if let Some(index) = values.iter().position(|v| !v.is_finite()) {
        return Err(SweepError::NotFinite { index });
    }
    let field = fields::by_path(path).ok_or_else(|| SweepError::NotNumeric {
        path: path.to_owned(),
        reason: fields_near(path),
    })?;
    // A prefill pool's rules span the model and the economics (its replica
    // must fit a server), so a deployment with one is evaluated whole.
    let found_once = match field.stage {
        Stage::Economics if deployment.hardware.prefill_pool.is_none() => deployment
            .check()
            .ok()
            .and_then(|c| Some((*c.resolved(), Point::find(&c).ok()?))),
        _ => None,
    };
    let mut probe = deployment.clone();
    let mut point = |value: f64| -> Result<Headline, DeploymentError> {
        field.set(&mut probe, Some(value))?;
        let report = match &found_once {
            Some((resolved, operating)) => Checked::assume(&probe, *resolved).report_at(operating),
            None => probe.evaluate()?,
        };
        Ok(Headline::from(&report))
    };
    Ok(values
        .iter()
        .map(|&value| match point(value) {
            Ok(figures) => SweepPoint {
                value,
                figures: Some(figures),
                error: None,
                field: None,
            },
            Err(e) => SweepPoint {
                value,
                figures: None,
                error: Some(e.to_string()),
                field: Some(e.field().to_owned()).filter(|f| !f.is_empty()),
            },
        })
        .collect())
}

/// The numeric fields near `path`: those under its first part, or every
/// part when that names none.
fn fields_near(path: &str) -> String {
    let head = path.split('.').next().unwrap_or_default();
    let under: Vec<&str> = fields::ALL
        .iter()
        .map(|f| f.path())
        .filter(|p| p.split('.').next() == Some(head))
        .collect();
    if under.is_empty() {
        let mut parts: Vec<&str> = fields::ALL
            .iter()
            .filter_map(|f| f.path().split('.').next())
            .collect();
        parts.dedup();
        format!("the numeric fields are under {}", parts.join(", "))
    } else {
        format!("the numeric fields under {head} are {}", under.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubling_the_rental_doubles_the_monthly_cost() {
        let d = Deployment::example();
        let base = d.pricing.usd_per_gpu_hour;
        let points = sweep(&d, "pricing.usd_per_gpu_hour", &[base, 2.0 * base]).unwrap();
        let cost = |p: &SweepPoint| p.figures.unwrap().fleet_usd_per_month;
        assert!((cost(&points[1]) / cost(&points[0]) - 2.0).abs() < 1e-9);
        // Energy does not depend on the price.
        assert_eq!(
            points[0].figures.unwrap().tokens_per_joule,
            points[1].figures.unwrap().tokens_per_joule
        );
    }

    #[test]
    fn every_field_sweeps_to_the_figures_of_the_deployment_with_that_value() {
        // Whether the operating point is kept (a price) or found again (a
        // prompt length), a point is the deployment evaluated afresh.
        let mut owned = Deployment::example();
        owned.pricing.mode = crate::deployment::PricingMode::OnPrem;
        for d in [Deployment::example(), owned] {
            for field in fields::ALL {
                let Some(base) = field.get(&d) else { continue };
                let value = (base * 1.1).clamp(field.range.min, field.range.max);
                let value = if field.range.whole {
                    value.round()
                } else {
                    value
                };
                let points = sweep(&d, field.path(), &[value]).unwrap();
                let mut changed = d.clone();
                let expected = field
                    .set(&mut changed, Some(value))
                    .ok()
                    .and_then(|()| changed.evaluate().ok())
                    .map(|r| Headline::from(&r));
                assert_eq!(points[0].figures, expected, "{}", field.path());
            }
        }
    }

    #[test]
    fn a_value_out_of_range_fails_only_its_point() {
        let d = Deployment::example();
        let points = sweep(&d, "pricing.pue", &[1.2, 0.5]).unwrap();
        assert!(points[0].figures.is_some());
        assert_eq!(points[1].field.as_deref(), Some("pricing.pue"));
        assert!(
            points[1]
                .error
                .as_deref()
                .unwrap()
                .starts_with("pricing.pue")
        );
    }

    #[test]
    fn a_path_that_is_not_a_number_is_named() {
        let d = Deployment::example();
        for path in [
            "pricing.mode",
            "pricing.nothing",
            "pricing",
            "use_case.input_tokens.x",
        ] {
            let e = sweep(&d, path, &[1.0]).unwrap_err();
            assert_eq!(e.field(), "parameter", "{path}");
            assert!(
                e.to_string().contains("pricing.usd_per_gpu_hour") || !path.starts_with("pricing"),
                "{e}"
            );
        }
        assert_eq!(
            sweep(&d, "pricing.pue", &[]).unwrap_err(),
            SweepError::Count { count: 0 }
        );
        assert_eq!(
            sweep(&d, "pricing.pue", &[1.0, f64::NAN])
                .unwrap_err()
                .field(),
            "values[1]"
        );
    }
}
