//! What the measurements say on their own, before any model is fitted: the
//! figures a person quotes from a benchmark run and its power log.

use serde::{Deserialize, Serialize};

use super::bench::BenchSummary;
use super::power_log::PowerSummary;
use crate::deployment::PowerScope;

/// Throughput, power and energy per token as measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MeasuredFigures {
    /// Prompt tokens processed per second, over the benchmark.
    pub input_tokens_per_s: f64,
    /// Output tokens generated per second, over the benchmark.
    pub output_tokens_per_s: f64,
    /// Requests completed per second.
    pub requests_per_s: f64,
    /// The power log's draw, all its GPUs (or servers) together, if a log
    /// was given.
    pub power: Option<MeasuredPower>,
}

/// Draw and energy from a power log, at the scope it was measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MeasuredPower {
    /// What the log measured.
    pub scope: PowerScope,
    /// GPUs in the log: all of them count, so a log of a whole node for a
    /// benchmark of fewer GPUs overstates the energy per token.
    pub gpus: u32,
    /// Mean draw in the window, W: what the energy bill sees.
    pub mean_w: f64,
    /// Median draw, W.
    pub p50_w: f64,
    /// 90th percentile, W: what to plan for.
    pub p90_w: f64,
    /// Energy per output token from the mean draw, J.
    pub joules_per_output_token: f64,
    /// Output tokens per joule.
    pub output_tokens_per_joule: f64,
    /// Prompt and output tokens together per joule.
    pub tokens_per_joule: f64,
    /// Prompt and output tokens together per kWh.
    pub tokens_per_kwh: f64,
}

impl MeasuredFigures {
    /// The figures of a benchmark and, if given, the power log of the same
    /// run measured at `scope`.
    #[must_use]
    pub fn of(bench: &BenchSummary, power: Option<&PowerSummary>, scope: PowerScope) -> Self {
        let tokens_per_s = bench.input_tokens_per_s + bench.output_tokens_per_s;
        Self {
            input_tokens_per_s: bench.input_tokens_per_s,
            output_tokens_per_s: bench.output_tokens_per_s,
            requests_per_s: bench.requests_per_s,
            power: power.filter(|p| p.mean_w > 0.0).map(|p| MeasuredPower {
                scope,
                gpus: p.gpus,
                mean_w: p.mean_w,
                p50_w: p.p50_w,
                p90_w: p.p90_w,
                joules_per_output_token: p.mean_w / bench.output_tokens_per_s,
                output_tokens_per_joule: bench.output_tokens_per_s / p.mean_w,
                tokens_per_joule: tokens_per_s / p.mean_w,
                tokens_per_kwh: tokens_per_s / p.mean_w * 3.6e6,
            }),
        }
    }
}
