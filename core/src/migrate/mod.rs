//! Older saved shapes brought to the current one, so a scenario saved
//! before the planner modelled deployments still opens.
//!
//! Schema version 1 was the measured level: throughput and power someone
//! measured, a GPU count and prices. It becomes a deployment whose measured
//! values replace every prediction they cover. What version 1 never had (a
//! model, an accelerator, a use case) is filled with placeholders that the
//! measured values make irrelevant to its figures, and that the user can
//! then edit.

pub mod v1;

use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::deployment::{
    Choice, Deployment, DeploymentError, HardwareInput, MeasuredInput, ModelInput, PowerScope,
    PricingInput, PricingMode, UseCaseInput, fields,
};
use crate::latency::Percentile;
use crate::model::Precision;
use crate::stack::Stack;
use v1::{MeasuredScenario, ScenarioError};

/// A small catalogue model, so the placeholder fits on any GPU count.
const PLACEHOLDER_MODEL: &str = "llama-3.1-8b-instruct";
/// The accelerator most measurements of that era were taken on.
const PLACEHOLDER_ACCELERATOR: &str = "h100-sxm-80gb";
/// Generated tokens per request when version 1 did not say.
const DEFAULT_OUTPUT_TOKENS: f64 = 1_000.0;

/// The deployment a version-1 (measured-level) scenario describes.
///
/// Its throughput and power are measured for the whole system of
/// `hardware.gpus` accelerators, taken as one replica (or, beyond what one
/// replica may span, as equal replicas). The power was
/// measured at the servers (the article's advice: GPU plus server near peak
/// load), so the facility overhead is 1.0 and no host power is added.
pub fn deployment_from_measured(s: &MeasuredScenario) -> Deployment {
    let example = Deployment::example();
    let gpus = s.hardware.gpus.max(1);
    // More GPUs than one replica may span become whole replicas of the
    // largest size that divides them, so the count stays exact.
    let most = fields::GPUS_PER_REPLICA.range.max as u32;
    let per_replica = (1..=gpus.min(most))
        .rev()
        .find(|n| gpus.is_multiple_of(*n))
        .unwrap_or(1);
    let measured = &s.measured;
    // Tokens per request: from the measured request rate, else the response
    // shape, else a round default.
    // Both kept within what a deployment accepts, so every version-1 file
    // that read migrates to one that evaluates (a request rate far above the
    // throughput would otherwise ask for a fraction of a token each).
    let within = |field: &fields::Field, v: f64| v.clamp(field.range.min.max(1.0), field.range.max);
    // A request's tokens also fit the placeholder model's context.
    let context =
        crate::catalogue::model(PLACEHOLDER_MODEL).map_or(1.0, |m| f64::from(m.spec.max_context));
    let output_tokens = within(
        &fields::OUTPUT,
        match (measured.requests_per_hour, &s.response) {
            (Some(rph), _) => measured.tokens_per_s * 3_600.0 / rph,
            (None, Some(r)) => r.output_tokens,
            (None, None) => DEFAULT_OUTPUT_TOKENS,
        }
        .min(context),
    );
    let requests_per_day = within(
        &fields::REQUESTS_PER_DAY,
        match measured.requests_per_hour {
            Some(rph) => rph * 24.0,
            None => measured.tokens_per_s * 86_400.0 / output_tokens,
        },
    );
    let response = s.response.as_ref();
    Deployment {
        model: ModelInput {
            choice: Choice::Catalogue(PLACEHOLDER_MODEL.to_owned()),
            weights: Some(Precision::Fp8),
            kv_cache: Some(Precision::Bf16),
        },
        hardware: HardwareInput {
            choice: Choice::Catalogue(PLACEHOLDER_ACCELERATOR.to_owned()),
            gpus_per_replica: per_replica,
            pipeline_stages: None,
            replicas: Some(gpus / per_replica),
            gpus_per_node: per_replica.min(8),
            host_watts_per_node: 0.0,
            stack: Stack::Vllm,
            efficiency: None,
            power: None,
            prefill_pool: None,
        },
        pricing: PricingInput {
            mode: PricingMode::Cloud,
            usd_per_gpu_hour: s.pricing.usd_per_gpu_hour,
            on_prem: example.pricing.on_prem,
            usd_per_kwh: s.pricing.usd_per_kwh,
            pue: 1.0,
            grid_g_co2_per_kwh: s
                .pricing
                .grid_g_co2_per_kwh
                .unwrap_or(example.pricing.grid_g_co2_per_kwh),
            wue_l_per_kwh: None,
            market_g_co2_per_kwh: None,
            embodied_kg_co2e_per_gpu: None,
            power_budget_kw: None,
            currency: None,
        },
        use_case: UseCaseInput {
            input_tokens: 0.0,
            output_tokens,
            reasoning_tokens: response.map_or(0.0, |r| r.reasoning_tokens),
            attempts_per_response: response.map_or(1.0, |r| r.attempts_per_response),
            pre_post_tokens: response.map_or(0.0, |r| r.pre_post_tokens),
            usd_per_m_pre_post_tokens: response.map_or(0.0, |r| r.usd_per_pre_post_token * 1e6),
            prefix_cache_hit_rate: 0.0,
            requests_per_day,
            peak_to_average: 1.0,
            // Loose targets: the measured system met whatever latency it had.
            ttft_target_ms: 60_000.0,
            tpot_target_ms: 60_000.0,
            latency_targets_at: Percentile::Mean,
        },
        measured: Some(MeasuredInput {
            output_tokens_per_s: Some(measured.tokens_per_s),
            input_tokens_per_s: None,
            watts: Some(measured.watts),
            scope: PowerScope::Server,
        }),
        ranges: None,
    }
}

/// Reads scenario JSON stored as schema `version`, migrated to a deployment.
///
/// # Errors
/// An unknown version, or the first problem with the text, naming the field.
pub fn read(version: u32, text: &str) -> Result<Deployment, DeploymentError> {
    match version {
        1 => Ok(deployment_from_measured(&MeasuredScenario::from_json(
            text,
        )?)),
        Deployment::SCHEMA_VERSION => Deployment::from_json(text),
        other => Err(DeploymentError::Json {
            field: String::new(),
            message: format!(
                "schema version {other} is not one this version of tokenfab reads (1 or {})",
                Deployment::SCHEMA_VERSION
            ),
        }),
    }
}

/// The schema version of scenario JSON: a deployment names its model, the
/// measured level (version 1) does not. Text that is not a JSON object is
/// taken as a deployment, so its errors are a deployment's.
pub fn version_of(text: &str) -> u32 {
    /// Only whether `model` is there is read.
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        model: Option<IgnoredAny>,
        #[serde(default)]
        measured: Option<IgnoredAny>,
    }
    match serde_json::from_str::<Probe>(text) {
        Ok(Probe {
            model: None,
            measured: Some(_),
        }) => 1,
        _ => Deployment::SCHEMA_VERSION,
    }
}

/// Reads scenario JSON of either version, migrated to a deployment.
///
/// # Errors
/// As [`read`].
pub fn read_any(text: &str) -> Result<Deployment, DeploymentError> {
    read(version_of(text), text)
}

impl From<ScenarioError> for DeploymentError {
    fn from(e: ScenarioError) -> Self {
        match e {
            ScenarioError::Json { path, message } => DeploymentError::Json {
                field: path,
                message,
            },
            ScenarioError::Invalid(e) => DeploymentError::Invalid(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn the_articles_example_keeps_its_efficiency_figures() {
        // 3,000 tokens/s at 1,000 W on one GPU at $2.00 an hour.
        let new = deployment_from_measured(&MeasuredScenario::example())
            .evaluate()
            .unwrap();
        assert_relative_eq!(new.energy.tokens_per_joule, 3.0, max_relative = 1e-9);
        assert_relative_eq!(new.energy.tokens_per_kwh, 10.8e6, max_relative = 1e-9);
        assert_relative_eq!(
            new.costs.tokens_per_usd,
            3_000.0 * 3_600.0 / 2.0,
            max_relative = 1e-9
        );
    }

    #[test]
    fn either_version_is_read_by_its_shape() {
        let v1 = serde_json::to_string(&MeasuredScenario::example()).unwrap();
        assert_eq!(version_of(&v1), 1);
        assert_eq!(
            read_any(&v1).unwrap(),
            deployment_from_measured(&MeasuredScenario::example())
        );
        let v2 = serde_json::to_string(&Deployment::example()).unwrap();
        assert_eq!(version_of(&v2), 2);
        assert_eq!(read_any(&v2).unwrap(), Deployment::example());
        assert_eq!(read_any("7").unwrap_err().field(), "");
        let bad = v1.replace("1000.0", "-1");
        assert_eq!(read_any(&bad).unwrap_err().field(), "measured.watts");
        assert!(
            read(3, &v2)
                .unwrap_err()
                .to_string()
                .contains("schema version 3")
        );
    }

    #[test]
    fn any_gpu_count_migrates_to_a_deployment_that_runs() {
        for gpus in [1, 3, 8, 64] {
            let mut v1 = MeasuredScenario::example();
            v1.hardware.gpus = gpus;
            let d = deployment_from_measured(&v1);
            assert!(d.validate().is_ok(), "{gpus} GPUs");
            assert!(d.evaluate().is_ok(), "{gpus} GPUs");
        }
    }
}
