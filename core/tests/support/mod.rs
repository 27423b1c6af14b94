//! Generated inputs shared by the property tests: deployments drawn from
//! the catalogue with every figure inside its accepted range.
// Each test file uses its own share of these.
#![allow(dead_code)]

use proptest::prelude::*;
use serde_json::Value;
use tokenfab_core::catalogue::{ACCELERATORS, MODELS};
use tokenfab_core::deployment::{
    Choice, Deployment, DeploymentError, DeploymentReport, HardwareInput, ModelInput,
    PrefillPoolInput, PricingInput, PricingMode, UseCaseInput,
};
use tokenfab_core::economics::OnPremCosts;
use tokenfab_core::latency::Percentile;
use tokenfab_core::model::Precision;
use tokenfab_core::power::PowerFactors;
use tokenfab_core::stack::Stack;

/// Cases per property: enough to reach every model, accelerator and stack
/// several times, few enough for each file to run in seconds.
pub const CASES: u32 = 192;

/// Anywhere from `lo` to `hi`, each end now and then on its own.
pub fn between(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(lo), 1 => Just(hi), 8 => lo..=hi]
}

/// Spread evenly over the orders of magnitude from `lo` to `hi` (both
/// above 0), each end now and then on its own.
pub fn log_between(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![
        1 => Just(lo),
        1 => Just(hi),
        8 => (lo.ln()..=hi.ln()).prop_map(move |x| x.exp().clamp(lo, hi)),
    ]
}

/// Zero now and then, else spread over the orders of magnitude from 1 to `hi`.
pub fn zero_or_up_to(hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 4 => log_between(1.0, hi)]
}

/// The fewest accelerators of `memory_gb` each that hold `weights_gb` with
/// a third of their memory left for the KV cache: where a user would start.
pub fn fewest_gpus(weights_gb: f64, memory_gb: f64) -> u32 {
    (weights_gb / (memory_gb * 2.0 / 3.0)).ceil().max(1.0) as u32
}

/// A catalogue model on a catalogue accelerator, on the fewest accelerators
/// that hold its weights or up to four times as many.
pub fn model_and_hardware() -> impl Strategy<Value = (ModelInput, HardwareInput)> {
    let precisions = vec![
        Precision::Bf16,
        Precision::Fp8,
        Precision::Int8,
        Precision::Int4,
        Precision::Fp4,
    ];
    (
        0..MODELS.len(),
        0..ACCELERATORS.len(),
        proptest::option::weighted(0.7, proptest::sample::select(precisions)),
        proptest::sample::select(vec![Precision::Bf16, Precision::Fp8]),
        1u32..=4,
        proptest::option::weighted(0.2, 1u32..=64),
        1u32..=16,
        between(0.0, 5_000.0),
        proptest::sample::select(Stack::ALL.to_vec()),
        proptest::option::weighted(0.2, (between(0.0, 3.0), between(0.0, 3.0))),
        proptest::option::weighted(0.15, 1u32..=4),
        proptest::option::weighted(
            0.2,
            (
                0..ACCELERATORS.len(),
                1u32..=4,
                log_between(0.05, 500.0),
                log_between(1e4, 5e8),
            ),
        ),
    )
        .prop_map(
            |(
                m,
                a,
                weights,
                kv_cache,
                spread,
                replicas,
                per_node,
                host_w,
                stack,
                power,
                stages,
                prefill,
            )| {
                let (model, gpu) = (&MODELS[m], &ACCELERATORS[a]);
                let weights_gb = model
                    .spec
                    .weight_bytes(weights.unwrap_or(model.native_precision))
                    / 1e9;
                let tp = fewest_gpus(weights_gb, gpu.spec.memory_gb).saturating_mul(spread);
                // A prefill pool where the split model covers it: no
                // pipeline, replicas sized for the demand, one server each.
                let prefill_pool = prefill
                    .filter(|_| stages.is_none() && replicas.is_none())
                    .and_then(|(a, spread, usd_per_gpu_hour, capex_usd_per_node)| {
                        let part = &ACCELERATORS[a];
                        let gpus =
                            fewest_gpus(weights_gb, part.spec.memory_gb).saturating_mul(spread);
                        (gpus <= per_node).then(|| PrefillPoolInput {
                            catalogue: part.id.to_owned(),
                            gpus_per_replica: gpus,
                            usd_per_gpu_hour,
                            capex_usd_per_node,
                        })
                    });
                (
                    ModelInput {
                        choice: Choice::Catalogue(model.id.to_owned()),
                        weights,
                        kv_cache: Some(kv_cache),
                    },
                    HardwareInput {
                        choice: Choice::Catalogue(gpu.id.to_owned()),
                        gpus_per_replica: tp.min(1024),
                        pipeline_stages: stages,
                        replicas,
                        gpus_per_node: per_node,
                        host_watts_per_node: host_w,
                        stack,
                        efficiency: None,
                        power: power.map(|(compute_weight, memory_weight)| PowerFactors {
                            compute_weight,
                            memory_weight,
                        }),
                        prefill_pool,
                    },
                )
            },
        )
}

/// Rented or owned, at prices from a bargain to the top of their ranges
/// (money at most half its limit, so a property may double it).
pub fn pricing() -> impl Strategy<Value = PricingInput> {
    (
        prop_oneof![Just(PricingMode::Cloud), Just(PricingMode::OnPrem)],
        log_between(0.05, 500.0),
        (
            log_between(1e4, 5e8),
            1u32..=16,
            between(0.5, 30.0),
            between(0.0, 1.0),
            between(0.0, 1.0),
            between(0.0, 5_000.0),
            between(0.0, 5e8),
        ),
        between(0.0, 5.0),
        between(1.0, 5.0),
        between(0.0, 2_000.0),
        (
            proptest::option::of(between(0.0, 20.0)),
            proptest::option::of(between(0.0, 2_000.0)),
            proptest::option::of(log_between(1.0, 1e5)),
            // A site's budget from one watt to ten gigawatts.
            proptest::option::of(log_between(1e-3, 1e7)),
        ),
    )
        .prop_map(
            |(
                mode,
                usd_per_gpu_hour,
                owned,
                usd_per_kwh,
                pue,
                grid_g_co2_per_kwh,
                (wue_l_per_kwh, market_g_co2_per_kwh, embodied_kg_co2e_per_gpu, power_budget_kw),
            )| {
                let (capex, gpus_per_node, years, capital, maintenance, hosting, staff) = owned;
                PricingInput {
                    mode,
                    usd_per_gpu_hour,
                    on_prem: OnPremCosts {
                        capex_usd_per_node: capex,
                        gpus_per_node,
                        depreciation_years: years,
                        cost_of_capital: capital,
                        maintenance_share_per_year: maintenance,
                        hosting_usd_per_kw_month: hosting,
                        staff_usd_per_year: staff,
                    },
                    usd_per_kwh,
                    pue,
                    grid_g_co2_per_kwh,
                    wue_l_per_kwh,
                    market_g_co2_per_kwh,
                    embodied_kg_co2e_per_gpu,
                    power_budget_kw,
                    currency: None,
                }
            },
        )
}

/// Prompts up to 32k tokens, answers up to 8k with up to 16k of reasoning,
/// one to a hundred attempts, a few requests a day to a hundred billion,
/// latency targets from the strict to the lax, at the mean or the 99th
/// percentile.
pub fn use_case() -> impl Strategy<Value = UseCaseInput> {
    (
        zero_or_up_to(32_768.0),
        log_between(1.0, 8_192.0),
        zero_or_up_to(16_384.0),
        log_between(1.0, 100.0),
        zero_or_up_to(100_000.0),
        between(0.0, 100.0),
        between(0.0, 1.0),
        log_between(1.0, 1e11),
        log_between(1.0, 100.0),
        log_between(10.0, 600_000.0),
        log_between(1.0, 10_000.0),
        proptest::bool::ANY,
    )
        .prop_map(
            |(
                input,
                output,
                reasoning,
                attempts,
                pre_post,
                pre_post_price,
                hit,
                demand,
                peak,
                ttft,
                tpot,
                at_p99,
            )| {
                UseCaseInput {
                    input_tokens: input,
                    output_tokens: output,
                    reasoning_tokens: reasoning,
                    attempts_per_response: attempts,
                    pre_post_tokens: pre_post,
                    usd_per_m_pre_post_tokens: pre_post_price,
                    prefix_cache_hit_rate: hit,
                    requests_per_day: demand,
                    peak_to_average: peak,
                    ttft_target_ms: ttft,
                    tpot_target_ms: tpot,
                    latency_targets_at: if at_p99 {
                        Percentile::P99
                    } else {
                        Percentile::Mean
                    },
                }
            },
        )
}

/// A whole deployment, every field in range.
pub fn deployment() -> impl Strategy<Value = Deployment> {
    (model_and_hardware(), pricing(), use_case()).prop_map(
        |((model, hardware), pricing, use_case)| Deployment {
            model,
            hardware,
            pricing,
            use_case,
            measured: None,
            ranges: None,
        },
    )
}

/// The report, or the case set aside when the weights do not fit (the one
/// refusal a valid deployment may meet); any other error fails the case.
pub fn evaluated(d: &Deployment) -> Result<DeploymentReport, TestCaseError> {
    match d.evaluate() {
        Ok(r) => Ok(r),
        Err(DeploymentError::DoesNotFit { .. } | DeploymentError::PrefillDoesNotFit { .. }) => {
            Err(TestCaseError::reject("weights too big"))
        }
        Err(e) => Err(TestCaseError::fail(format!("{e}"))),
    }
}

/// The report of a variant of a deployment that evaluated: it must evaluate too.
pub fn also_evaluated(d: &Deployment) -> Result<DeploymentReport, TestCaseError> {
    d.evaluate()
        .map_err(|e| TestCaseError::fail(format!("the variant is refused: {e}")))
}

/// Whether `b` is `a` times `factor`, to rounding.
pub fn scaled(a: f64, b: f64, factor: f64) -> bool {
    (b - a * factor).abs() <= 1e-12 * b.abs().max(a.abs() * factor)
}

/// Whether breaking even in month `later` (never: `None`) comes no sooner
/// than in month `sooner`, to rounding.
pub fn no_sooner(sooner: Option<f64>, later: Option<f64>) -> Result<(), TestCaseError> {
    match (sooner, later) {
        (_, None) => Ok(()),
        (Some(a), Some(b)) if b >= a * (1.0 - 1e-12) => Ok(()),
        (a, b) => Err(TestCaseError::fail(format!(
            "breaks even in month {b:?}, sooner than {a:?}"
        ))),
    }
}

/// Report fields that are absent, not a number, when they do not apply.
pub const MAY_BE_ABSENT: &[&str] = &[
    "costs.break_even_month",
    "costs.break_even_month_discounted",
    "costs.hosted_api",
    "per_response.g_co2_per_response",
    "per_request",
    "per_response",
];

/// Every number in a report that is negative, NaN or infinite, by its JSON
/// path. A report is written out as JSON, where NaN and infinities become
/// `null`, so a `null` anywhere a figure is always expected counts too.
pub fn bad_figures(value: &Value, path: &str) -> Vec<String> {
    let child = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(v) if v.is_finite() && v >= 0.0 => vec![],
            other => vec![format!("{path} = {other:?}")],
        },
        Value::Null if MAY_BE_ABSENT.contains(&path) => vec![],
        Value::Null => vec![format!("{path} is not a finite number")],
        Value::Object(fields) => fields
            .iter()
            .flat_map(|(key, v)| bad_figures(v, &child(key)))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .flat_map(|(i, v)| bad_figures(v, &child(&i.to_string())))
            .collect(),
        Value::Bool(_) | Value::String(_) => vec![],
    }
}

/// The bad figures of a report (see [`bad_figures`]).
pub fn figures_of(report: &impl serde::Serialize) -> Vec<String> {
    bad_figures(
        &serde_json::to_value(report).expect("a report writes out as JSON"),
        "",
    )
}
