//! The headline figures of a deployment's report: what a sweep point, a
//! comparison row or a CSV line carries, without the report's breakdowns.

use serde::{Deserialize, Serialize};

use crate::deployment::DeploymentReport;

/// A report's headline figures, each with its unit in its name.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Headline {
    /// Cost of one meaningful response (retries and pre/post-processing included), dollars.
    pub cost_per_response_usd: f64,
    /// Dollars per million prompt tokens at the expected utilisation.
    pub usd_per_m_input: f64,
    /// Dollars per million generated tokens at the expected utilisation.
    pub usd_per_m_output: f64,
    /// Generated tokens per dollar at the expected utilisation.
    pub tokens_per_usd: f64,
    /// Generated tokens per joule of server power at load.
    pub tokens_per_joule: f64,
    /// Generated tokens per kWh.
    pub tokens_per_kwh: f64,
    /// Energy of one meaningful response at the facility, Wh.
    pub wh_per_response: f64,
    /// Mean time to first token, ms.
    pub ttft_ms: f64,
    /// Mean time per output token, ms.
    pub tpot_ms: f64,
    /// Whether the latency targets are met (at the mean or the P99, as the use case says).
    pub meets_latency_targets: bool,
    /// Accelerators in the fleet.
    pub fleet_gpus: u32,
    /// Average demand over capacity, 0 to 1.
    pub utilisation: f64,
    /// Monthly cost of the fleet, dollars.
    pub fleet_usd_per_month: f64,
    /// 99th percentile of the time to first token, ms.
    pub ttft_p99_ms: f64,
    /// 99th percentile of the time per output token, ms.
    pub tpot_p99_ms: f64,
}

impl Headline {
    /// Names of the figures in field order, for a CSV header.
    pub const COLUMNS: [&'static str; 15] = [
        "cost_per_response_usd",
        "usd_per_m_input",
        "usd_per_m_output",
        "tokens_per_usd",
        "tokens_per_joule",
        "tokens_per_kwh",
        "wh_per_response",
        "ttft_ms",
        "tpot_ms",
        "meets_latency_targets",
        "fleet_gpus",
        "utilisation",
        "fleet_usd_per_month",
        "ttft_p99_ms",
        "tpot_p99_ms",
    ];

    /// The figures as text in [`Headline::COLUMNS`] order, numbers in their
    /// shortest exact form.
    pub fn values(&self) -> [String; 15] {
        [
            self.cost_per_response_usd.to_string(),
            self.usd_per_m_input.to_string(),
            self.usd_per_m_output.to_string(),
            self.tokens_per_usd.to_string(),
            self.tokens_per_joule.to_string(),
            self.tokens_per_kwh.to_string(),
            self.wh_per_response.to_string(),
            self.ttft_ms.to_string(),
            self.tpot_ms.to_string(),
            self.meets_latency_targets.to_string(),
            self.fleet_gpus.to_string(),
            self.utilisation.to_string(),
            self.fleet_usd_per_month.to_string(),
            self.ttft_p99_ms.to_string(),
            self.tpot_p99_ms.to_string(),
        ]
    }
}

impl From<&DeploymentReport> for Headline {
    fn from(r: &DeploymentReport) -> Self {
        Headline {
            cost_per_response_usd: r.per_response.cost_per_response_usd,
            usd_per_m_input: r.costs.at_utilisation.usd_per_m_input,
            usd_per_m_output: r.costs.at_utilisation.usd_per_m_output,
            tokens_per_usd: r.costs.tokens_per_usd,
            tokens_per_joule: r.energy.tokens_per_joule,
            tokens_per_kwh: r.energy.tokens_per_kwh,
            wh_per_response: r.per_response.wh_per_response,
            ttft_ms: r.performance.ttft_ms,
            ttft_p99_ms: r.performance.ttft_p99_ms,
            tpot_ms: r.performance.tpot_ms,
            tpot_p99_ms: r.performance.tpot_p99_ms,
            meets_latency_targets: r.performance.meets_latency_targets,
            fleet_gpus: r.fleet.gpus,
            utilisation: r.fleet.utilisation,
            fleet_usd_per_month: r.costs.fleet_usd_per_month,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::Deployment;

    #[test]
    fn the_columns_name_the_fields_in_order() {
        let h = Headline::from(&Deployment::example().evaluate().unwrap());
        let json = serde_json::to_value(h).unwrap();
        let values = h.values();
        for (column, text) in Headline::COLUMNS.iter().zip(values.iter()) {
            assert_eq!(json[column].to_string(), *text, "{column}");
        }
        assert_eq!(json.as_object().unwrap().len(), Headline::COLUMNS.len());
    }
}
