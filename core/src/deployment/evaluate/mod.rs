//! Evaluation in steps: the performance model finds the operating point
//! (or measurements replace it); the fleet is sized for the demand; then
//! power and energy, money, and the cost of one meaningful response. A
//! sweep over an input that only reaches the later steps finds the
//! operating point once.

mod carbon;
mod disaggregated;
mod money;
mod operating;
mod per_response;
mod power;

pub(crate) use disaggregated::PrefillOperating;
pub(crate) use operating::Operating;

use super::check::Checked;
use super::error::DeploymentError;
use super::inputs::Deployment;
use super::report::DeploymentReport;
use crate::fleet::{self, Fleet};

impl Deployment {
    /// Checks and evaluates the deployment.
    ///
    /// # Errors
    /// The first field out of range, an unknown catalogue id, or weights
    /// that do not fit in the replica.
    #[inline]
    pub fn evaluate(&self) -> Result<DeploymentReport, DeploymentError> {
        self.check()?.evaluate()
    }
}

impl Checked<'_> {
    /// Every figure of the report.
    ///
    /// # Errors
    /// Weights (or one sequence's cache) that do not fit in the replica, or
    /// measurements that contradict each other.
    #[inline]
    pub fn evaluate(&self) -> Result<DeploymentReport, DeploymentError> {
        Ok(self.report_at(&Point::find(self)?))
    }

    /// The report at a point already found: every step after the
    /// performance model.
    #[inline]
    pub(crate) fn report_at(&self, point: &Point) -> DeploymentReport {
        match (point, &self.deployment().hardware.prefill_pool) {
            (Point::Disaggregated { decode, prefill }, Some(prices)) => {
                disaggregated::report(self, decode, prefill, prices)
            }
            (Point::Aggregated(operating), _)
            | (
                Point::Disaggregated {
                    decode: operating, ..
                },
                None,
            ) => self.aggregated_report(operating),
        }
    }

    /// The report of replicas that both prefill and generate.
    #[inline]
    fn aggregated_report(&self, operating: &Operating) -> DeploymentReport {
        let d = self.deployment();
        let fleet = fleet_for(d, operating);
        let (power, energy) = power::step(d, &self.resolved().accelerator, operating, &fleet);
        let mut costs = money::step(d, &self.resolved().accelerator, operating, &fleet, &power);
        let (per_response, hosted_api) = per_response::step(d, &costs, &energy);
        costs.hosted_api = hosted_api;
        let carbon = carbon::step(d, &fleet, &power, &per_response);
        DeploymentReport {
            memory: operating.memory,
            performance: operating.performance(d, &fleet),
            fleet,
            power,
            energy,
            costs,
            per_response,
            carbon,
            pools: None,
        }
    }
}

/// Where a deployment's replicas run: one kind that both prefills and
/// generates, or a decode pool beside a prefill pool.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Point {
    /// Every replica prefills and generates.
    Aggregated(Operating),
    /// Disaggregated serving.
    Disaggregated {
        /// A decode replica.
        decode: Operating,
        /// A prefill replica.
        prefill: PrefillOperating,
    },
}

impl Point {
    /// Finds the point of `checked`.
    ///
    /// # Errors
    /// As [`Operating::find`], or a prefill replica the weights do not fit.
    #[inline]
    pub fn find(checked: &Checked<'_>) -> Result<Self, DeploymentError> {
        if checked.resolved().prefill.is_some() {
            Ok(Point::Disaggregated {
                decode: Operating::find_decode(checked)?,
                prefill: PrefillOperating::find(checked)?,
            })
        } else {
            Ok(Point::Aggregated(Operating::find(checked)?))
        }
    }
}

/// The fleet for the demand, or the replicas given with their utilisation.
#[inline]
fn fleet_for(d: &Deployment, operating: &Operating) -> Fleet {
    let (h, u) = (&d.hardware, &d.use_case);
    let requests_per_s_per_replica = operating.requests_per_s_per_replica();
    let sized = fleet::size(
        u.requests_per_day,
        u.peak_to_average,
        requests_per_s_per_replica,
        h.gpus_in_replica(),
    );
    match h.replicas {
        Some(r) => {
            let capacity = f64::from(r) * requests_per_s_per_replica;
            Fleet {
                replicas: r,
                gpus: r.saturating_mul(h.gpus_in_replica()),
                capacity_requests_per_s: capacity,
                utilisation: (sized.average_requests_per_s / capacity).clamp(0.0, 1.0),
                ..sized
            }
        }
        None => sized,
    }
}
