//! The use case: request shape, demand and latency targets, written in full
//! or as a preset with some of its figures overridden.

use serde::{Deserialize, Serialize};

use super::error::DeploymentError;
use super::fields;
use crate::catalogue::{self, UseCasePreset};
use crate::latency::Percentile;

/// What the service does and how much of it. JSON may name a preset
/// instead of giving every field (see [`UseCaseFields`]); it is resolved on
/// reading, so a deployment always holds, and writes, the figures in use.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UseCaseInput {
    /// Prompt tokens per attempt.
    pub input_tokens: f64,
    /// Visible output tokens per attempt.
    pub output_tokens: f64,
    /// Reasoning tokens per attempt.
    pub reasoning_tokens: f64,
    /// Attempts per meaningful response.
    pub attempts_per_response: f64,
    /// Guardrail and other pre/post-processing tokens per response.
    pub pre_post_tokens: f64,
    /// Their price, dollars per million tokens.
    pub usd_per_m_pre_post_tokens: f64,
    /// Share of prompt tokens served from the prefix cache.
    pub prefix_cache_hit_rate: f64,
    /// Requests (attempts) per day.
    pub requests_per_day: f64,
    /// Peak-hour demand over the daily average.
    pub peak_to_average: f64,
    /// Time-to-first-token target, ms.
    pub ttft_target_ms: f64,
    /// Time-per-output-token target, ms.
    pub tpot_target_ms: f64,
    /// Whether the targets bound the mean or the 99th percentile.
    pub latency_targets_at: Percentile,
}

/// A use case as written: a preset named by id, with any field given
/// alongside overriding the preset's value. Without a preset every field
/// is needed.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UseCaseFields {
    /// Id of a use-case preset, e.g. `rag-qa`.
    #[serde(default)]
    pub preset: Option<String>,
    /// Prompt tokens per attempt.
    #[serde(default)]
    pub input_tokens: Option<f64>,
    /// Visible output tokens per attempt.
    #[serde(default)]
    pub output_tokens: Option<f64>,
    /// Reasoning tokens per attempt.
    #[serde(default)]
    pub reasoning_tokens: Option<f64>,
    /// Attempts per meaningful response.
    #[serde(default)]
    pub attempts_per_response: Option<f64>,
    /// Guardrail and other pre/post-processing tokens per response.
    #[serde(default)]
    pub pre_post_tokens: Option<f64>,
    /// Their price, dollars per million tokens; presets carry no price, so
    /// it is always needed.
    #[serde(default)]
    pub usd_per_m_pre_post_tokens: Option<f64>,
    /// Share of prompt tokens served from the prefix cache.
    #[serde(default)]
    pub prefix_cache_hit_rate: Option<f64>,
    /// Requests (attempts) per day.
    #[serde(default)]
    pub requests_per_day: Option<f64>,
    /// Peak-hour demand over the daily average.
    #[serde(default)]
    pub peak_to_average: Option<f64>,
    /// Time-to-first-token target, ms.
    #[serde(default)]
    pub ttft_target_ms: Option<f64>,
    /// Time-per-output-token target, ms.
    #[serde(default)]
    pub tpot_target_ms: Option<f64>,
    /// Whether the targets bound the mean (the default) or the 99th
    /// percentile (`p99`) of the requests' latency.
    #[serde(default)]
    pub latency_targets_at: Option<Percentile>,
}

impl UseCaseFields {
    /// The preset's figures with the given fields in their place.
    ///
    /// # Errors
    /// An unknown preset id, or a field neither given nor in a preset.
    pub fn resolve(&self) -> Result<UseCaseInput, DeploymentError> {
        let preset = match &self.preset {
            Some(id) => Some(
                catalogue::use_case(id)
                    .ok_or_else(|| DeploymentError::UnknownPreset { id: id.clone() })?,
            ),
            None => None,
        };
        let field = |given: Option<f64>, field: fields::Field, of: fn(&UseCasePreset) -> f64| {
            given
                .or_else(|| preset.map(of))
                .ok_or(DeploymentError::Missing {
                    field: field.path(),
                    hint: "give it, or name a preset in use_case.preset",
                })
        };
        Ok(UseCaseInput {
            input_tokens: field(self.input_tokens, fields::INPUT, |p| p.input_tokens)?,
            output_tokens: field(self.output_tokens, fields::OUTPUT, |p| p.output_tokens)?,
            reasoning_tokens: field(self.reasoning_tokens, fields::REASONING, |p| {
                p.reasoning_tokens
            })?,
            attempts_per_response: field(self.attempts_per_response, fields::ATTEMPTS, |p| {
                p.attempts_per_response
            })?,
            pre_post_tokens: field(self.pre_post_tokens, fields::PRE_POST, |p| {
                p.pre_post_tokens
            })?,
            usd_per_m_pre_post_tokens: self.usd_per_m_pre_post_tokens.ok_or(
                DeploymentError::Missing {
                    field: fields::PRE_POST_PRICE.path(),
                    hint: "presets carry no price for pre/post-processing tokens",
                },
            )?,
            prefix_cache_hit_rate: field(self.prefix_cache_hit_rate, fields::HIT_RATE, |p| {
                p.prefix_cache_hit_rate
            })?,
            requests_per_day: field(self.requests_per_day, fields::REQUESTS_PER_DAY, |p| {
                p.requests_per_day
            })?,
            peak_to_average: field(self.peak_to_average, fields::PEAK, |p| p.peak_to_average)?,
            ttft_target_ms: field(self.ttft_target_ms, fields::TTFT, |p| p.ttft_target_ms)?,
            tpot_target_ms: field(self.tpot_target_ms, fields::TPOT, |p| p.tpot_target_ms)?,
            latency_targets_at: self.latency_targets_at.unwrap_or_default(),
        })
    }
}
