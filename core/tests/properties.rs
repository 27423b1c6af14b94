//! Invariants over generated inputs.
//!
//! Deployments are drawn from the catalogue (any model on any accelerator,
//! any serving stack, rented or owned) with every price and use-case figure
//! inside its accepted range, so nearly all of them evaluate and each
//! property checks a real report; the rest are models too big for their
//! replica, which the planner rightly refuses. Out-of-range inputs have
//! their own properties: each is refused with the field named. The
//! performance model's own invariants close the file.

use proptest::prelude::*;
use proptest::strategy::{Union, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::Value;
use tokenfab_core::accelerator::AcceleratorSpec;
use tokenfab_core::catalogue::{ACCELERATORS, MODELS};
use tokenfab_core::deployment::{
    Choice, Deployment, DeploymentError, DeploymentReport, HardwareInput, MeasuredInput,
    ModelInput, PowerScope, PricingInput, PricingMode, UseCaseInput, limits,
};
use tokenfab_core::economics::{OnPremCosts, phase_cost};
use tokenfab_core::input::{Bound, Range};
use tokenfab_core::model::{Attention, ModelSpec, Moe, Precision};
use tokenfab_core::perf::{Replica, RequestShape};
use tokenfab_core::power::PowerFactors;
use tokenfab_core::scenario::{self, Hardware, Measured, Pricing, ResponseInput, Scenario};
use tokenfab_core::stack::Stack;

/// Cases per property: enough to reach every model, accelerator and stack
/// several times, few enough for the whole file to run in seconds.
const CASES: u32 = 192;

// ---------------------------------------------------------------------------
// Valid inputs

/// Anywhere from `lo` to `hi`, each end now and then on its own.
fn between(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(lo), 1 => Just(hi), 8 => lo..=hi]
}

/// Spread evenly over the orders of magnitude from `lo` to `hi` (both
/// above 0), each end now and then on its own.
fn log_between(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![
        1 => Just(lo),
        1 => Just(hi),
        8 => (lo.ln()..=hi.ln()).prop_map(move |x| x.exp().clamp(lo, hi)),
    ]
}

/// Zero now and then, else spread over the orders of magnitude from 1 to `hi`.
fn zero_or_up_to(hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 4 => log_between(1.0, hi)]
}

/// The fewest accelerators of `memory_gb` each that hold `weights_gb` with
/// a third of their memory left for the KV cache: where a user would start.
fn fewest_gpus(weights_gb: f64, memory_gb: f64) -> u32 {
    (weights_gb / (memory_gb * 2.0 / 3.0)).ceil().max(1.0) as u32
}

/// A catalogue model on a catalogue accelerator, on the fewest accelerators
/// that hold its weights or up to four times as many.
fn model_and_hardware() -> impl Strategy<Value = (ModelInput, HardwareInput)> {
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
    )
        .prop_map(
            |(m, a, weights, kv_cache, spread, replicas, per_node, host_w, stack, power)| {
                let (model, gpu) = (&MODELS[m], &ACCELERATORS[a]);
                let weights_gb = model
                    .spec
                    .weight_bytes(weights.unwrap_or(model.native_precision))
                    / 1e9;
                let tp = fewest_gpus(weights_gb, gpu.spec.memory_gb).saturating_mul(spread);
                (
                    ModelInput {
                        choice: Choice::Catalogue(model.id.to_owned()),
                        weights,
                        kv_cache: Some(kv_cache),
                    },
                    HardwareInput {
                        choice: Choice::Catalogue(gpu.id.to_owned()),
                        gpus_per_replica: tp.min(1024),
                        replicas,
                        gpus_per_node: per_node,
                        host_watts_per_node: host_w,
                        stack,
                        efficiency: None,
                        power: power.map(|(compute_weight, memory_weight)| PowerFactors {
                            compute_weight,
                            memory_weight,
                        }),
                    },
                )
            },
        )
}

/// Rented or owned, at prices from a bargain to the top of their ranges
/// (money at most half its limit, so a property may double it).
fn pricing() -> impl Strategy<Value = PricingInput> {
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
    )
        .prop_map(
            |(mode, usd_per_gpu_hour, owned, usd_per_kwh, pue, grid_g_co2_per_kwh)| {
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
                }
            },
        )
}

/// Prompts up to 32k tokens, answers up to 8k with up to 16k of reasoning,
/// one to a hundred attempts, a few requests a day to a hundred billion,
/// latency targets from the strict to the lax.
fn use_case() -> impl Strategy<Value = UseCaseInput> {
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
                }
            },
        )
}

/// A whole deployment, every field in range.
fn deployment() -> impl Strategy<Value = Deployment> {
    (model_and_hardware(), pricing(), use_case()).prop_map(
        |((model, hardware), pricing, use_case)| Deployment {
            model,
            hardware,
            pricing,
            use_case,
            measured: None,
        },
    )
}

/// The report, or the case set aside when the weights do not fit (the one
/// refusal a valid deployment may meet); any other error fails the case.
fn evaluated(d: &Deployment) -> Result<DeploymentReport, TestCaseError> {
    match d.evaluate() {
        Ok(r) => Ok(r),
        Err(DeploymentError::DoesNotFit { .. }) => Err(TestCaseError::reject("weights too big")),
        Err(e) => Err(TestCaseError::fail(format!("{e}"))),
    }
}

/// The report of a variant of a deployment that evaluated: it must evaluate too.
fn also_evaluated(d: &Deployment) -> Result<DeploymentReport, TestCaseError> {
    d.evaluate()
        .map_err(|e| TestCaseError::fail(format!("the variant is refused: {e}")))
}

/// Whether `b` is `a` times `factor`, to rounding.
fn scaled(a: f64, b: f64, factor: f64) -> bool {
    (b - a * factor).abs() <= 1e-12 * b.abs().max(a.abs() * factor)
}

/// Whether breaking even in month `later` (never: `None`) comes no sooner
/// than in month `sooner`, to rounding.
fn no_sooner(sooner: Option<f64>, later: Option<f64>) -> Result<(), TestCaseError> {
    match (sooner, later) {
        (_, None) => Ok(()),
        (Some(a), Some(b)) if b >= a * (1.0 - 1e-12) => Ok(()),
        (a, b) => Err(TestCaseError::fail(format!(
            "breaks even in month {b:?}, sooner than {a:?}"
        ))),
    }
}

/// Report fields that are absent, not a number, when they do not apply.
const MAY_BE_ABSENT: &[&str] = &[
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
fn bad_figures(value: &Value, path: &str) -> Vec<String> {
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
fn figures_of(report: &impl serde::Serialize) -> Vec<String> {
    bad_figures(
        &serde_json::to_value(report).expect("a report writes out as JSON"),
        "",
    )
}

/// Share of generated deployments that evaluate, over a fixed sample: the
/// properties below check figures only on those, so it must stay high.
#[test]
fn nearly_every_generated_deployment_evaluates() {
    let mut runner = TestRunner::deterministic();
    let strategy = deployment();
    let draws = 1_000;
    let mut evaluated = 0;
    for _ in 0..draws {
        let d = strategy
            .new_tree(&mut runner)
            .expect("a deployment is drawn")
            .current();
        match d.evaluate() {
            Ok(_) => evaluated += 1,
            Err(DeploymentError::DoesNotFit { .. }) => {}
            Err(e) => panic!("a valid deployment is refused: {e}\n{d:?}"),
        }
    }
    let share = f64::from(evaluated) / f64::from(draws);
    assert!(
        share >= 0.9,
        "only {:.1} % of generated deployments evaluate",
        share * 100.0
    );
}

/// The check on figures does catch a bad one.
#[test]
fn a_figure_that_is_not_a_number_is_caught() {
    let mut r = Deployment::example()
        .evaluate()
        .expect("the example evaluates");
    assert!(figures_of(&r).is_empty(), "{:?}", figures_of(&r));
    r.energy.tokens_per_joule = f64::NAN;
    r.costs.at_load.usd_per_m_output = -1.0;
    let mut bad = figures_of(&r);
    bad.sort();
    assert_eq!(
        bad,
        [
            "costs.at_load.usd_per_m_output = Some(-1.0)",
            "energy.tokens_per_joule is not a finite number",
        ]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn every_figure_of_a_valid_deployment_is_finite_and_not_negative(d in deployment()) {
        match d.evaluate() {
            Ok(r) => {
                let bad = figures_of(&r);
                prop_assert!(bad.is_empty(), "{bad:?}\n{d:?}");
            }
            Err(e) => {
                prop_assert!(matches!(e, DeploymentError::DoesNotFit { .. }), "{e}\n{d:?}");
                prop_assert_eq!(e.field(), "hardware.gpus_per_replica");
            }
        }
    }

    #[test]
    fn doubling_the_rental_price_doubles_what_rented_tokens_cost(mut d in deployment()) {
        d.pricing.mode = PricingMode::Cloud;
        let base = evaluated(&d)?;
        d.pricing.usd_per_gpu_hour *= 2.0;
        let dear = also_evaluated(&d)?;
        for (a, b) in [
            (base.costs.fleet_usd_per_hour, dear.costs.fleet_usd_per_hour),
            (base.costs.at_load.usd_per_m_input, dear.costs.at_load.usd_per_m_input),
            (base.costs.at_load.usd_per_m_output, dear.costs.at_load.usd_per_m_output),
            (base.costs.at_utilisation.usd_per_m_input, dear.costs.at_utilisation.usd_per_m_input),
            (base.costs.at_utilisation.usd_per_m_output, dear.costs.at_utilisation.usd_per_m_output),
            (base.per_response.cost_usd.generated, dear.per_response.cost_usd.generated),
            (base.per_response.cost_usd.input, dear.per_response.cost_usd.input),
        ] {
            prop_assert!(scaled(a, b, 2.0), "{a} doubled is not {b}");
        }
        prop_assert!(scaled(base.costs.tokens_per_usd, dear.costs.tokens_per_usd, 0.5));
        // Guardrail tokens are bought elsewhere, at their own price.
        prop_assert_eq!(base.per_response.cost_usd.pre_post, dear.per_response.cost_usd.pre_post);
    }

    #[test]
    fn doubling_every_owning_cost_doubles_what_owned_tokens_cost(mut d in deployment()) {
        d.pricing.mode = PricingMode::OnPrem;
        let base = evaluated(&d)?;
        let o = &mut d.pricing.on_prem;
        o.capex_usd_per_node *= 2.0;
        o.hosting_usd_per_kw_month *= 2.0;
        o.staff_usd_per_year *= 2.0;
        d.pricing.usd_per_kwh *= 2.0;
        let dear = also_evaluated(&d)?;
        for (a, b) in [
            (base.costs.fleet_usd_per_hour, dear.costs.fleet_usd_per_hour),
            (base.costs.on_prem_usd_per_gpu_hour, dear.costs.on_prem_usd_per_gpu_hour),
            (base.costs.on_prem_total_usd, dear.costs.on_prem_total_usd),
            (base.costs.at_load.usd_per_m_input, dear.costs.at_load.usd_per_m_input),
            (base.costs.at_load.usd_per_m_output, dear.costs.at_load.usd_per_m_output),
            (base.costs.at_utilisation.usd_per_m_input, dear.costs.at_utilisation.usd_per_m_input),
            (base.costs.at_utilisation.usd_per_m_output, dear.costs.at_utilisation.usd_per_m_output),
            (base.per_response.cost_usd.generated, dear.per_response.cost_usd.generated),
            (base.per_response.cost_usd.input, dear.per_response.cost_usd.input),
            (base.energy.energy_usd_per_token, dear.energy.energy_usd_per_token),
        ] {
            prop_assert!(scaled(a, b, 2.0), "{a} doubled is not {b}");
        }
        // Renting is priced on its own.
        prop_assert_eq!(base.costs.cloud_total_usd, dear.costs.cloud_total_usd);
    }

    #[test]
    fn tokens_per_joule_do_not_depend_on_any_price(d in deployment(), other in pricing(), pre_post_price in between(0.0, 100.0)) {
        let base = evaluated(&d)?;
        let mut repriced = d.clone();
        // The facility (PUE) and the grid are not prices; all the rest changes.
        repriced.pricing = PricingInput { pue: d.pricing.pue, grid_g_co2_per_kwh: d.pricing.grid_g_co2_per_kwh, ..other };
        repriced.use_case.usd_per_m_pre_post_tokens = pre_post_price;
        let r = also_evaluated(&repriced)?;
        prop_assert_eq!(base.energy.tokens_per_joule, r.energy.tokens_per_joule);
        prop_assert_eq!(base.energy.tokens_per_kwh, r.energy.tokens_per_kwh);
        prop_assert_eq!(base.energy.facility_j_per_token_at_load, r.energy.facility_j_per_token_at_load);
        prop_assert_eq!(base.energy.facility_j_per_token_at_utilisation, r.energy.facility_j_per_token_at_utilisation);
        prop_assert_eq!(base.energy.g_co2_per_m_tokens_at_utilisation, r.energy.g_co2_per_m_tokens_at_utilisation);
        prop_assert_eq!(base.per_response.energy_j, r.per_response.energy_j);
        prop_assert_eq!(base.power, r.power);
        prop_assert_eq!(base.performance, r.performance);
        prop_assert_eq!(base.fleet, r.fleet);
    }

    #[test]
    fn energy_per_token_at_utilisation_is_never_below_energy_at_load(d in deployment()) {
        let r = evaluated(&d)?;
        // Idle accelerators still draw power, and that energy is shared by
        // the tokens served; a fleet busy all the time uses as much as at load.
        let (at_load, at_utilisation) = (r.energy.facility_j_per_token_at_load, r.energy.facility_j_per_token_at_utilisation);
        prop_assert!(at_utilisation >= at_load * (1.0 - 1e-12), "{at_utilisation} J < {at_load} J at load");
    }

    #[test]
    fn more_demand_never_shrinks_the_fleet_or_its_bill(mut d in deployment(), more in 1.0..=10.0_f64) {
        let base = evaluated(&d)?;
        d.use_case.requests_per_day = (d.use_case.requests_per_day * more).min(limits::REQUESTS_PER_DAY.max);
        let busier = also_evaluated(&d)?;
        prop_assert!(busier.fleet.replicas >= base.fleet.replicas);
        prop_assert!(busier.fleet.gpus >= base.fleet.gpus);
        prop_assert!(busier.costs.fleet_usd_per_month >= base.costs.fleet_usd_per_month);
        prop_assert!(busier.power.facility_watts >= base.power.facility_watts);
    }

    #[test]
    fn a_dearer_owned_server_never_breaks_even_sooner(mut d in deployment(), dearer in 1.0..=4.0_f64) {
        let base = evaluated(&d)?;
        let o = &mut d.pricing.on_prem;
        o.capex_usd_per_node = (o.capex_usd_per_node * dearer).min(limits::CAPEX.max);
        let dear = also_evaluated(&d)?;
        // In cash, and with the savings discounted at the cost of capital.
        for (cheap, dear) in [
            (base.costs.break_even_month, dear.costs.break_even_month),
            (base.costs.break_even_month_discounted, dear.costs.break_even_month_discounted),
        ] {
            no_sooner(cheap, dear)?;
        }
        prop_assert!(dear.costs.on_prem_total_usd >= base.costs.on_prem_total_usd);
    }

    #[test]
    fn discounting_at_the_cost_of_capital_never_breaks_even_sooner_than_cash(d in deployment()) {
        let r = evaluated(&d)?;
        no_sooner(r.costs.break_even_month, r.costs.break_even_month_discounted)?;
    }

    #[test]
    fn more_attempts_per_response_never_cost_less_or_use_less_energy(mut d in deployment(), more in 1.0..=3.0_f64) {
        let base = evaluated(&d)?;
        d.use_case.attempts_per_response = (d.use_case.attempts_per_response * more).min(limits::ATTEMPTS.max);
        let retried = also_evaluated(&d)?;
        let (a, b) = (base.per_response, retried.per_response);
        prop_assert!(b.cost_per_response_usd >= a.cost_per_response_usd);
        prop_assert!(b.joules_per_response >= a.joules_per_response);
        prop_assert!(b.g_co2_per_response.unwrap_or(0.0) >= a.g_co2_per_response.unwrap_or(0.0));
    }

    #[test]
    fn a_higher_pue_never_lowers_facility_power_or_energy_cost(mut d in deployment(), higher in 1.0..=3.0_f64) {
        let base = evaluated(&d)?;
        d.pricing.pue = (d.pricing.pue * higher).min(limits::PUE.max);
        let worse = also_evaluated(&d)?;
        prop_assert!(worse.power.facility_watts >= base.power.facility_watts);
        prop_assert!(worse.energy.energy_usd_per_token >= base.energy.energy_usd_per_token);
        prop_assert!(worse.per_response.joules_per_response >= base.per_response.joules_per_response);
        prop_assert!(worse.energy.facility_j_per_token_at_load >= base.energy.facility_j_per_token_at_load);
        prop_assert!(worse.energy.facility_j_per_token_at_utilisation >= base.energy.facility_j_per_token_at_utilisation);
        prop_assert!(worse.energy.g_co2_per_m_tokens_at_utilisation >= base.energy.g_co2_per_m_tokens_at_utilisation);
        // Owning pays for electricity at the facility meter.
        prop_assert!(worse.costs.on_prem_usd_per_gpu_hour >= base.costs.on_prem_usd_per_gpu_hour);
        // Rented accelerator-hours come with their power.
        prop_assert_eq!(worse.costs.cloud_usd_per_gpu_hour, base.costs.cloud_usd_per_gpu_hour);
    }
}

/// A measured-level scenario: throughput and power as measured, any prices
/// in range, with or without per-request and per-response figures.
fn measured_scenario() -> impl Strategy<Value = Scenario> {
    (
        log_between(1.0, 1e6),
        log_between(0.01, 500.0),
        between(0.0, 5.0),
        proptest::option::of(between(0.0, 2_000.0)),
        log_between(1.0, 1e9),
        log_between(1.0, 1e9),
        proptest::option::of(log_between(1.0, 1e12)),
        proptest::option::of((
            zero_or_up_to(100_000.0),
            zero_or_up_to(100_000.0),
            log_between(1.0, 100.0),
            zero_or_up_to(1e6),
            between(0.0, 1.0),
            proptest::option::of(between(0.0, 1.0)),
        )),
    )
        .prop_map(
            |(gpus, usd_per_gpu_hour, usd_per_kwh, grid, tokens, watts, requests, response)| {
                Scenario {
                    hardware: Hardware {
                        gpus: gpus.round() as u32,
                    },
                    pricing: Pricing {
                        usd_per_gpu_hour,
                        usd_per_kwh,
                        grid_g_co2_per_kwh: grid,
                    },
                    measured: Measured {
                        tokens_per_s: tokens,
                        watts,
                        requests_per_hour: requests,
                    },
                    response: response.map(
                        |(
                            output,
                            reasoning,
                            attempts,
                            pre_post,
                            pre_post_price,
                            generated_price,
                        )| {
                            ResponseInput {
                                output_tokens: output,
                                reasoning_tokens: reasoning,
                                attempts_per_response: attempts,
                                pre_post_tokens: pre_post,
                                usd_per_pre_post_token: pre_post_price,
                                usd_per_generated_token: generated_price,
                            }
                        },
                    ),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn every_figure_of_a_valid_measured_scenario_is_finite_and_not_negative(s in measured_scenario()) {
        let r = s.evaluate().map_err(|e| TestCaseError::fail(format!("refused: {e}")))?;
        let bad = figures_of(&r);
        prop_assert!(bad.is_empty(), "{bad:?}\n{s:?}");
    }

    #[test]
    fn doubling_the_rental_price_doubles_the_measured_cost_per_token(mut s in measured_scenario()) {
        let base = s.evaluate().map_err(|e| TestCaseError::fail(format!("refused: {e}")))?;
        s.pricing.usd_per_gpu_hour *= 2.0;
        let dear = s.evaluate().map_err(|e| TestCaseError::fail(format!("refused: {e}")))?;
        prop_assert!(scaled(base.usd_per_million_tokens, dear.usd_per_million_tokens, 2.0));
        prop_assert!(scaled(base.rental_usd_per_hour, dear.rental_usd_per_hour, 2.0));
        prop_assert!(scaled(base.tokens_per_usd, dear.tokens_per_usd, 0.5));
    }

    #[test]
    fn measured_tokens_per_joule_do_not_depend_on_prices(
        mut s in measured_scenario(), kwh in between(0.0, 10.0), price in log_between(0.01, 1_000.0),
    ) {
        let base = s.evaluate().map_err(|e| TestCaseError::fail(format!("refused: {e}")))?;
        s.pricing.usd_per_kwh = kwh;
        s.pricing.usd_per_gpu_hour = price;
        let other = s.evaluate().map_err(|e| TestCaseError::fail(format!("refused: {e}")))?;
        prop_assert_eq!(base.tokens_per_joule, other.tokens_per_joule);
        prop_assert_eq!(base.per_request, other.per_request);
    }
}

// ---------------------------------------------------------------------------
// Invalid inputs

/// Values `range` refuses: NaN, the infinities, below its least (its least
/// too when that is excluded), above its most.
fn refused(range: Range) -> BoxedStrategy<f64> {
    let mut values = vec![
        Just(f64::NAN).boxed(),
        Just(f64::INFINITY).boxed(),
        Just(f64::NEG_INFINITY).boxed(),
        (1e-6..1e6_f64).prop_map(move |d| range.min - d).boxed(),
        (1e-9..1e3_f64)
            .prop_map(move |f| range.max * (1.0 + f))
            .boxed(),
        Just(f64::MAX).boxed(),
    ];
    if range.bound == Bound::GreaterThan {
        values.push(Just(range.min).boxed());
    }
    Union::new(values).boxed()
}

/// Counts `range` refuses: zero, and more than its most.
fn refused_count(range: Range) -> BoxedStrategy<u32> {
    prop_oneof![Just(0u32), (range.max as u32 + 1)..=u32::MAX].boxed()
}

/// Sets one number of a deployment.
type SetNumber = fn(&mut Deployment, f64);
/// Sets one count of a deployment.
type SetCount = fn(&mut Deployment, u32);

fn number(range: Range, set: SetNumber) -> (Range, SetNumber) {
    (range, set)
}

fn count(range: Range, set: SetCount) -> (Range, SetCount) {
    (range, set)
}

/// Measurements with only the given values.
fn measured(
    output_tokens_per_s: Option<f64>,
    input_tokens_per_s: Option<f64>,
    watts: Option<f64>,
) -> Option<MeasuredInput> {
    Some(MeasuredInput {
        output_tokens_per_s,
        input_tokens_per_s,
        watts,
        scope: PowerScope::Server,
    })
}

/// Every number of a deployment a user types, with its range.
fn deployment_numbers() -> Vec<(Range, SetNumber)> {
    vec![
        number(limits::HOST_WATTS, |d, v| {
            d.hardware.host_watts_per_node = v
        }),
        number(limits::POWER_COMPUTE_WEIGHT, |d, v| {
            d.hardware.power = Some(PowerFactors {
                compute_weight: v,
                ..PowerFactors::default()
            });
        }),
        number(limits::POWER_MEMORY_WEIGHT, |d, v| {
            d.hardware.power = Some(PowerFactors {
                memory_weight: v,
                ..PowerFactors::default()
            });
        }),
        number(limits::USD_PER_GPU_HOUR, |d, v| {
            d.pricing.usd_per_gpu_hour = v
        }),
        number(limits::USD_PER_KWH, |d, v| d.pricing.usd_per_kwh = v),
        number(limits::PUE, |d, v| d.pricing.pue = v),
        number(limits::GRID, |d, v| d.pricing.grid_g_co2_per_kwh = v),
        number(limits::CAPEX, |d, v| {
            d.pricing.on_prem.capex_usd_per_node = v
        }),
        number(limits::YEARS, |d, v| {
            d.pricing.on_prem.depreciation_years = v
        }),
        number(limits::CAPITAL, |d, v| {
            d.pricing.on_prem.cost_of_capital = v
        }),
        number(limits::MAINTENANCE, |d, v| {
            d.pricing.on_prem.maintenance_share_per_year = v;
        }),
        number(limits::HOSTING, |d, v| {
            d.pricing.on_prem.hosting_usd_per_kw_month = v
        }),
        number(limits::STAFF, |d, v| {
            d.pricing.on_prem.staff_usd_per_year = v
        }),
        number(limits::INPUT, |d, v| d.use_case.input_tokens = v),
        number(limits::OUTPUT, |d, v| d.use_case.output_tokens = v),
        number(limits::REASONING, |d, v| d.use_case.reasoning_tokens = v),
        number(limits::ATTEMPTS, |d, v| {
            d.use_case.attempts_per_response = v
        }),
        number(limits::PRE_POST, |d, v| d.use_case.pre_post_tokens = v),
        number(limits::PRE_POST_PRICE, |d, v| {
            d.use_case.usd_per_m_pre_post_tokens = v;
        }),
        number(limits::HIT_RATE, |d, v| {
            d.use_case.prefix_cache_hit_rate = v
        }),
        number(limits::REQUESTS_PER_DAY, |d, v| {
            d.use_case.requests_per_day = v
        }),
        number(limits::PEAK, |d, v| d.use_case.peak_to_average = v),
        number(limits::TTFT, |d, v| d.use_case.ttft_target_ms = v),
        number(limits::TPOT, |d, v| d.use_case.tpot_target_ms = v),
        number(limits::MEASURED_TOKENS, |d, v| {
            d.measured = measured(Some(v), None, None);
        }),
        number(limits::MEASURED_INPUT_TOKENS, |d, v| {
            d.measured = measured(None, Some(v), None);
        }),
        number(limits::MEASURED_WATTS, |d, v| {
            d.measured = measured(None, None, Some(v));
        }),
    ]
}

/// Every count of a deployment, with its range.
fn deployment_counts() -> Vec<(Range, SetCount)> {
    vec![
        count(limits::GPUS_PER_REPLICA, |d, n| {
            d.hardware.gpus_per_replica = n
        }),
        count(limits::REPLICAS, |d, n| d.hardware.replicas = Some(n)),
        count(limits::GPUS_PER_NODE, |d, n| d.hardware.gpus_per_node = n),
        count(limits::ON_PREM_GPUS_PER_NODE, |d, n| {
            d.pricing.on_prem.gpus_per_node = n;
        }),
    ]
}

/// A field chosen from `fields` and a value its range refuses.
fn bad_field<T: std::fmt::Debug + 'static, S: Copy + std::fmt::Debug + 'static>(
    fields: fn() -> Vec<(Range, S)>,
    refuse: fn(Range) -> BoxedStrategy<T>,
) -> impl Strategy<Value = (Range, S, T)> {
    (0..fields().len()).prop_flat_map(move |i| {
        let (range, set) = fields()[i];
        (Just(range), Just(set), refuse(range))
    })
}

/// The deployment is refused with the field named, the same way whether it
/// is evaluated, listed with every problem, or read from JSON (which can
/// carry only finite numbers).
fn refused_naming(d: &Deployment, field: &str, finite: bool) -> Result<(), TestCaseError> {
    match d.evaluate() {
        Ok(_) => return Err(TestCaseError::fail(format!("{field} accepted"))),
        Err(e) => {
            prop_assert_eq!(e.field(), field, "{}", e);
            prop_assert!(e.to_string().starts_with(&format!("{field}: ")), "{}", e);
        }
    }
    prop_assert_eq!(d.problems().first().map(|p| p.field), Some(field));
    if finite {
        let text = serde_json::to_string(d).expect("a deployment writes out as JSON");
        match Deployment::from_json(&text) {
            Ok(_) => return Err(TestCaseError::fail(format!("{field} accepted from JSON"))),
            Err(e) => prop_assert_eq!(e.field(), field, "{}", e),
        }
    }
    Ok(())
}

/// Sets one number of a measured-level scenario.
type SetScenario = fn(&mut Scenario, f64);

fn scenario_number(range: Range, set: SetScenario) -> (Range, SetScenario) {
    (range, set)
}

/// A per-response section to put a bad value in.
fn response(s: &mut Scenario) -> &mut ResponseInput {
    s.response.get_or_insert(ResponseInput {
        output_tokens: 300.0,
        reasoning_tokens: 0.0,
        attempts_per_response: 1.0,
        pre_post_tokens: 0.0,
        usd_per_pre_post_token: 0.0,
        usd_per_generated_token: None,
    })
}

/// Every number of a measured-level scenario, with its range.
fn scenario_numbers() -> Vec<(Range, SetScenario)> {
    use scenario::limits as l;
    vec![
        scenario_number(l::USD_PER_GPU_HOUR, |s, v| s.pricing.usd_per_gpu_hour = v),
        scenario_number(l::USD_PER_KWH, |s, v| s.pricing.usd_per_kwh = v),
        scenario_number(l::GRID_G_CO2_PER_KWH, |s, v| {
            s.pricing.grid_g_co2_per_kwh = Some(v);
        }),
        scenario_number(l::TOKENS_PER_S, |s, v| s.measured.tokens_per_s = v),
        scenario_number(l::WATTS, |s, v| s.measured.watts = v),
        scenario_number(l::REQUESTS_PER_HOUR, |s, v| {
            s.measured.requests_per_hour = Some(v);
        }),
        scenario_number(l::RESPONSE_OUTPUT, |s, v| response(s).output_tokens = v),
        scenario_number(l::RESPONSE_REASONING, |s, v| {
            response(s).reasoning_tokens = v
        }),
        scenario_number(l::RESPONSE_ATTEMPTS, |s, v| {
            response(s).attempts_per_response = v;
        }),
        scenario_number(l::RESPONSE_PRE_POST, |s, v| response(s).pre_post_tokens = v),
        scenario_number(l::RESPONSE_PRE_POST_PRICE, |s, v| {
            response(s).usd_per_pre_post_token = v;
        }),
        scenario_number(l::RESPONSE_GENERATED_PRICE, |s, v| {
            response(s).usd_per_generated_token = Some(v);
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn a_number_out_of_range_is_refused_with_its_field_named(
        mut d in deployment(), (range, set, bad) in bad_field(deployment_numbers, refused),
    ) {
        set(&mut d, bad);
        refused_naming(&d, range.field, bad.is_finite())?;
    }

    #[test]
    fn a_count_out_of_range_is_refused_with_its_field_named(
        mut d in deployment(), (range, set, bad) in bad_field(deployment_counts, refused_count),
    ) {
        set(&mut d, bad);
        refused_naming(&d, range.field, true)?;
    }

    #[test]
    fn a_measured_scenario_out_of_range_is_refused_with_its_field_named(
        mut s in measured_scenario(), (range, set, bad) in bad_field(scenario_numbers, refused),
    ) {
        set(&mut s, bad);
        let e = s.evaluate().err().ok_or_else(|| TestCaseError::fail(format!("{} accepted", range.field)))?;
        prop_assert_eq!(e.field, range.field, "{}", e);
        prop_assert!(e.to_string().starts_with(&format!("{}: ", range.field)), "{}", e);
        if bad.is_finite() {
            let text = serde_json::to_string(&s).expect("a scenario writes out as JSON");
            let e = Scenario::from_json(&text).err().ok_or_else(|| TestCaseError::fail(format!("{} accepted from JSON", range.field)))?;
            prop_assert_eq!(e.field(), Some(range.field), "{}", e);
        }
    }

    #[test]
    fn a_measured_scenario_with_no_gpus_or_too_many_is_refused(
        mut s in measured_scenario(), gpus in refused_count(scenario::limits::GPUS),
    ) {
        s.hardware.gpus = gpus;
        let e = s.evaluate().err().ok_or_else(|| TestCaseError::fail(format!("{gpus} GPUs accepted")))?;
        prop_assert_eq!(e.field, "hardware.gpus");
    }
}

// ---------------------------------------------------------------------------
// The performance model

fn model() -> impl Strategy<Value = ModelSpec> {
    (
        1.0..1000.0_f64,
        0.05..1.0_f64,
        1u32..128,
        prop_oneof![Just(2048u32), Just(4096), Just(8192)],
        prop_oneof![Just(8u32), Just(32), Just(64)],
        prop_oneof![Just(1u32), Just(4), Just(8)],
        prop_oneof![
            Just(None),
            (2u32..256, 1u32..8).prop_map(|(e, k)| Some((e.max(k + 1), k)))
        ],
        any::<bool>(),
    )
        .prop_map(
            |(total, active_share, layers, hidden, heads, kv, moe, latent)| {
                let moe = moe.map(|(experts, experts_per_token)| Moe {
                    experts,
                    experts_per_token,
                });
                ModelSpec {
                    total_params_b: total,
                    active_params_b: if moe.is_some() {
                        total * active_share
                    } else {
                        total
                    },
                    layers,
                    hidden,
                    heads,
                    kv_heads: kv.min(heads),
                    head_dim: hidden / heads,
                    attention: if latent {
                        Attention::Latent {
                            kv_latent_dim: 512,
                            rope_dim: 64,
                        }
                    } else {
                        Attention::Grouped
                    },
                    moe,
                    max_context: 131_072,
                }
            },
        )
}

fn accelerator() -> impl Strategy<Value = AcceleratorSpec> {
    (
        16.0..300.0_f64,
        0.3..10.0_f64,
        50.0..5000.0_f64,
        50.0..2000.0_f64,
        10.0..2000.0_f64,
    )
        .prop_map(|(memory_gb, bw, bf16, tdp, link)| AcceleratorSpec {
            memory_gb,
            memory_bandwidth_tb_s: bw,
            bf16_tflops: bf16,
            fp8_tflops: Some(bf16 * 2.0),
            fp4_tflops: None,
            int8_tops: None,
            tdp_w: tdp,
            idle_w: tdp * 0.1,
            interconnect_gb_s: link,
        })
}

fn shape() -> impl Strategy<Value = RequestShape> {
    (1.0..100_000.0_f64, 1.0..20_000.0_f64, 0.0..1.0_f64).prop_map(|(i, o, h)| RequestShape {
        input_tokens: i,
        output_tokens: o,
        prefix_cache_hit_rate: h,
    })
}

proptest! {
    #[test]
    fn every_operating_point_is_finite_and_positive(
        m in model(), g in accelerator(), sh in shape(), tp in 1u32..16, b in 1.0..4096.0_f64,
        stack in prop_oneof![Just(Stack::Vllm), Just(Stack::TensorrtLlm)],
    ) {
        let eff = stack.efficiency();
        let r = Replica { model: &m, weights: Precision::Fp8, kv_cache: Precision::Bf16, accelerator: &g, tensor_parallel: tp, efficiency: &eff };
        let p = r.operating_point(&sh, b);
        prop_assert!(p.tpot_s.is_finite() && p.tpot_s > 0.0);
        prop_assert!(p.output_tokens_per_s.is_finite() && p.output_tokens_per_s > 0.0);
        prop_assert!((0.0..=1.0).contains(&p.prefill_share));
        let mem = r.memory(&sh);
        prop_assert!(mem.max_concurrency.is_finite() && mem.max_concurrency >= 0.0);
    }

    #[test]
    fn more_bandwidth_never_slows_decode(
        m in model(), g in accelerator(), sh in shape(), tp in 1u32..8, b in 1.0..1024.0_f64, more in 1.0..4.0_f64,
    ) {
        let eff = Stack::Vllm.efficiency();
        let faster = AcceleratorSpec { memory_bandwidth_tb_s: g.memory_bandwidth_tb_s * more, ..g };
        let slow = Replica { model: &m, weights: Precision::Bf16, kv_cache: Precision::Bf16, accelerator: &g, tensor_parallel: tp, efficiency: &eff };
        let fast = Replica { accelerator: &faster, ..slow };
        prop_assert!(fast.operating_point(&sh, b).tpot_s <= slow.operating_point(&sh, b).tpot_s);
    }

    #[test]
    fn a_bigger_batch_never_lowers_throughput_or_speeds_each_user(
        m in model(), g in accelerator(), sh in shape(), tp in 1u32..8, b in 1.0..1024.0_f64,
    ) {
        let eff = Stack::TensorrtLlm.efficiency();
        let r = Replica { model: &m, weights: Precision::Fp8, kv_cache: Precision::Fp8, accelerator: &g, tensor_parallel: tp, efficiency: &eff };
        let (small, big) = (r.operating_point(&sh, b), r.operating_point(&sh, b * 2.0));
        prop_assert!(big.tpot_s >= small.tpot_s);
        prop_assert!(big.output_tokens_per_s >= small.output_tokens_per_s * 0.999_999);
    }

    #[test]
    fn more_memory_never_lowers_max_concurrency(
        m in model(), g in accelerator(), sh in shape(), tp in 1u32..8, more in 1.0..4.0_f64,
    ) {
        let eff = Stack::Vllm.efficiency();
        let bigger = AcceleratorSpec { memory_gb: g.memory_gb * more, ..g };
        let a = Replica { model: &m, weights: Precision::Bf16, kv_cache: Precision::Bf16, accelerator: &g, tensor_parallel: tp, efficiency: &eff };
        let b = Replica { accelerator: &bigger, ..a };
        prop_assert!(b.memory(&sh).max_concurrency >= a.memory(&sh).max_concurrency);
    }

    #[test]
    fn doubling_the_price_doubles_the_cost_per_token(
        usd in 0.01..1e4_f64, share in 0.0..1.0_f64, input in 1.0..1e6_f64, output in 1.0..1e6_f64,
    ) {
        let a = phase_cost(usd, share, input, output);
        let b = phase_cost(2.0 * usd, share, input, output);
        prop_assert!((b.usd_per_m_input - 2.0 * a.usd_per_m_input).abs() <= 1e-9 * b.usd_per_m_input.abs().max(1.0));
        prop_assert!((b.usd_per_m_output - 2.0 * a.usd_per_m_output).abs() <= 1e-9 * b.usd_per_m_output.abs().max(1.0));
    }

}
