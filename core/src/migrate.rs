//! Older saved shapes brought to the current one, so a scenario saved
//! before the planner modelled deployments still opens.
//!
//! Schema version 1 was the measured level: throughput and power someone
//! measured, a GPU count and prices. It becomes a deployment whose measured
//! values replace every prediction they cover. What version 1 never had (a
//! model, an accelerator, a use case) is filled with placeholders that the
//! measured values make irrelevant to its figures, and that the user can
//! then edit.

use crate::deployment::{
    Choice, Deployment, HardwareInput, MeasuredInput, ModelInput, PowerScope, PricingInput,
    PricingMode, UseCaseInput,
};
use crate::model::Precision;
use crate::scenario::Scenario;
use crate::stack::Stack;

/// A small catalogue model, so the placeholder fits on any GPU count.
const PLACEHOLDER_MODEL: &str = "llama-3.1-8b-instruct";
/// The accelerator most measurements of that era were taken on.
const PLACEHOLDER_ACCELERATOR: &str = "h100-sxm-80gb";
/// Generated tokens per request when version 1 did not say.
const DEFAULT_OUTPUT_TOKENS: f64 = 1_000.0;

/// The deployment a version-1 (measured-level) scenario describes.
///
/// Its throughput and power are measured for the whole system of
/// `hardware.gpus` accelerators, taken as one replica. The power was
/// measured at the servers (the article's advice: GPU plus server near peak
/// load), so the facility overhead is 1.0 and no host power is added.
pub fn deployment_from_measured(s: &Scenario) -> Deployment {
    let example = Deployment::example();
    let gpus = s.hardware.gpus.max(1);
    let measured = &s.measured;
    // Tokens per request: from the measured request rate, else the response
    // shape, else a round default.
    let output_tokens = match (measured.requests_per_hour, &s.response) {
        (Some(rph), _) => measured.tokens_per_s * 3_600.0 / rph,
        (None, Some(r)) => r.output_tokens.max(1.0),
        (None, None) => DEFAULT_OUTPUT_TOKENS,
    };
    let requests_per_day = match measured.requests_per_hour {
        Some(rph) => rph * 24.0,
        None => measured.tokens_per_s * 86_400.0 / output_tokens,
    };
    let response = s.response.as_ref();
    Deployment {
        model: ModelInput {
            choice: Choice::Catalogue(PLACEHOLDER_MODEL.to_owned()),
            weights: Some(Precision::Fp8),
            kv_cache: Some(Precision::Bf16),
        },
        hardware: HardwareInput {
            choice: Choice::Catalogue(PLACEHOLDER_ACCELERATOR.to_owned()),
            gpus_per_replica: gpus,
            replicas: Some(1),
            gpus_per_node: gpus.min(8),
            host_watts_per_node: 0.0,
            stack: Stack::Vllm,
            efficiency: None,
            power: None,
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
        },
        measured: Some(MeasuredInput {
            output_tokens_per_s: Some(measured.tokens_per_s),
            input_tokens_per_s: None,
            watts: Some(measured.watts),
            scope: PowerScope::Server,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn the_articles_example_keeps_its_efficiency_figures() {
        let v1 = Scenario::example();
        let old = v1.evaluate().unwrap();
        let new = deployment_from_measured(&v1).evaluate().unwrap();
        assert_relative_eq!(
            new.energy.tokens_per_joule,
            old.tokens_per_joule,
            max_relative = 1e-9
        );
        assert_relative_eq!(
            new.energy.tokens_per_kwh,
            old.tokens_per_kwh,
            max_relative = 1e-9
        );
        assert_relative_eq!(
            new.costs.tokens_per_usd,
            old.tokens_per_usd,
            max_relative = 1e-9
        );
    }

    #[test]
    fn any_gpu_count_migrates_to_a_deployment_that_runs() {
        for gpus in [1, 3, 8, 64] {
            let mut v1 = Scenario::example();
            v1.hardware.gpus = gpus;
            let d = deployment_from_measured(&v1);
            assert!(d.validate().is_ok(), "{gpus} GPUs");
            assert!(d.evaluate().is_ok(), "{gpus} GPUs");
        }
    }
}
