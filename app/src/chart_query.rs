//! The query string of the server-rendered charts: the page builds chart
//! URLs from its inputs, the server reads them back into a scenario.

use serde::{Deserialize, Serialize};
use tokenfab_core::{Hardware, Measured, Pricing, Scenario};

/// Path of the tokens-per-dollar against GPU-price chart.
pub const TOKENS_PER_DOLLAR_PATH: &str = "/charts/tokens-per-dollar.svg";

/// A scenario flattened into query parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartQuery {
    /// See [`Hardware::gpus`].
    pub gpus: u32,
    /// See [`Pricing::usd_per_gpu_hour`].
    pub usd_per_gpu_hour: f64,
    /// See [`Pricing::usd_per_kwh`].
    pub usd_per_kwh: f64,
    /// See [`Measured::tokens_per_s`].
    pub tokens_per_s: f64,
    /// See [`Measured::watts`].
    pub watts: f64,
}

impl From<&Scenario> for ChartQuery {
    fn from(s: &Scenario) -> Self {
        ChartQuery {
            gpus: s.hardware.gpus,
            usd_per_gpu_hour: s.pricing.usd_per_gpu_hour,
            usd_per_kwh: s.pricing.usd_per_kwh,
            tokens_per_s: s.measured.tokens_per_s,
            watts: s.measured.watts,
        }
    }
}

impl From<ChartQuery> for Scenario {
    fn from(q: ChartQuery) -> Self {
        Scenario {
            hardware: Hardware { gpus: q.gpus },
            pricing: Pricing {
                usd_per_gpu_hour: q.usd_per_gpu_hour,
                usd_per_kwh: q.usd_per_kwh,
                grid_g_co2_per_kwh: None,
            },
            measured: Measured {
                tokens_per_s: q.tokens_per_s,
                watts: q.watts,
                requests_per_hour: None,
            },
            response: None,
        }
    }
}

/// URL of the tokens-per-dollar chart for `scenario`. Numbers print in
/// Rust's shortest round-trip form, which needs no escaping.
pub fn tokens_per_dollar_url(scenario: &Scenario) -> String {
    let q = ChartQuery::from(scenario);
    format!(
        "{TOKENS_PER_DOLLAR_PATH}?gpus={}&usd_per_gpu_hour={}&usd_per_kwh={}&tokens_per_s={}&watts={}",
        q.gpus, q.usd_per_gpu_hour, q.usd_per_kwh, q.tokens_per_s, q.watts
    )
}
