//! Out-of-range inputs: each is refused with its field named, the same way
//! whether the deployment is evaluated, listed with every problem, or read
//! from JSON; and the same for the measured level read to be migrated.

mod support;

use proptest::prelude::*;
use proptest::strategy::Union;
use support::*;
use tokenfab_core::deployment::fields::{self, Group};
use tokenfab_core::deployment::{Deployment, MeasuredInput, PowerScope};
use tokenfab_core::input::{Bound, Range};
use tokenfab_core::migrate::{
    self,
    v1::{MeasuredScenario, ResponseInput},
};
use tokenfab_core::perf::Efficiency;
use tokenfab_core::power::PowerFactors;

/// The efficiency to put a bad value in: the stack's own, overridden.
fn efficiency(d: &mut Deployment) -> &mut Efficiency {
    let stack = d.hardware.stack;
    d.hardware
        .efficiency
        .get_or_insert_with(|| stack.efficiency())
}

/// A measured-level scenario with throughput, power and prices in range.
fn measured_scenario() -> impl Strategy<Value = MeasuredScenario> {
    (
        log_between(1.0, 1e6),
        log_between(1.0, 1e9),
        log_between(1.0, 1e9),
    )
        .prop_map(|(gpus, tokens, watts)| {
            let mut s = MeasuredScenario::example();
            s.hardware.gpus = gpus.round() as u32;
            s.measured.tokens_per_s = tokens;
            s.measured.watts = watts;
            s
        })
}

#[test]
fn every_field_of_the_registry_is_tried_out_of_range() {
    let tried: Vec<&str> = deployment_numbers()
        .iter()
        .map(|(r, _)| r.field)
        .chain(deployment_counts().iter().map(|(r, _)| r.field))
        .collect();
    for field in fields::ALL {
        if matches!(field.group, Group::Model | Group::Accelerator) {
            continue; // the model's and accelerator's own tests cover these
        }
        assert!(
            tried.contains(&field.path()),
            "{} is never tried",
            field.path()
        );
    }
}

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
        number(fields::HOST_WATTS.range, |d, v| {
            d.hardware.host_watts_per_node = v
        }),
        number(fields::POWER_COMPUTE_WEIGHT.range, |d, v| {
            d.hardware.power = Some(PowerFactors {
                compute_weight: v,
                ..PowerFactors::default()
            });
        }),
        number(fields::POWER_MEMORY_WEIGHT.range, |d, v| {
            d.hardware.power = Some(PowerFactors {
                memory_weight: v,
                ..PowerFactors::default()
            });
        }),
        number(fields::EFFICIENCY_MEMORY_BANDWIDTH.range, |d, v| {
            efficiency(d).memory_bandwidth = v
        }),
        number(fields::EFFICIENCY_KV_BANDWIDTH.range, |d, v| {
            efficiency(d).kv_bandwidth = v
        }),
        number(fields::EFFICIENCY_PREFILL_COMPUTE.range, |d, v| {
            efficiency(d).prefill_compute = v
        }),
        number(fields::EFFICIENCY_DECODE_COMPUTE.range, |d, v| {
            efficiency(d).decode_compute = v
        }),
        number(fields::EFFICIENCY_INTERCONNECT.range, |d, v| {
            efficiency(d).interconnect = v
        }),
        number(fields::EFFICIENCY_ALLREDUCE_LATENCY.range, |d, v| {
            efficiency(d).allreduce_latency_us = v
        }),
        number(fields::EFFICIENCY_STEP_OVERHEAD.range, |d, v| {
            efficiency(d).step_overhead_ms = v
        }),
        number(fields::EFFICIENCY_LAYER_OVERHEAD.range, |d, v| {
            efficiency(d).layer_overhead_us = v
        }),
        number(fields::EFFICIENCY_TOKEN_OVERHEAD.range, |d, v| {
            efficiency(d).token_overhead_us = v
        }),
        number(fields::EFFICIENCY_MOE_LAYER_OVERHEAD.range, |d, v| {
            efficiency(d).moe_layer_overhead_us = v
        }),
        number(fields::EFFICIENCY_EXPERT_EXCHANGE.range, |d, v| {
            efficiency(d).expert_exchange_latency_us = v
        }),
        number(fields::EFFICIENCY_MEMORY_UTILISATION.range, |d, v| {
            efficiency(d).memory_utilisation = v
        }),
        number(fields::EFFICIENCY_ACTIVATION_RESERVE.range, |d, v| {
            efficiency(d).activation_reserve_gb = v
        }),
        number(fields::USD_PER_GPU_HOUR.range, |d, v| {
            d.pricing.usd_per_gpu_hour = v
        }),
        number(fields::USD_PER_KWH.range, |d, v| d.pricing.usd_per_kwh = v),
        number(fields::PUE.range, |d, v| d.pricing.pue = v),
        number(fields::GRID.range, |d, v| d.pricing.grid_g_co2_per_kwh = v),
        number(fields::WUE.range, |d, v| d.pricing.wue_l_per_kwh = Some(v)),
        number(fields::MARKET_GRID.range, |d, v| {
            d.pricing.market_g_co2_per_kwh = Some(v)
        }),
        number(fields::EMBODIED.range, |d, v| {
            d.pricing.embodied_kg_co2e_per_gpu = Some(v)
        }),
        number(fields::POWER_BUDGET.range, |d, v| {
            d.pricing.power_budget_kw = Some(v)
        }),
        number(fields::CAPEX.range, |d, v| {
            d.pricing.on_prem.capex_usd_per_node = v
        }),
        number(fields::YEARS.range, |d, v| {
            d.pricing.on_prem.depreciation_years = v
        }),
        number(fields::CAPITAL.range, |d, v| {
            d.pricing.on_prem.cost_of_capital = v
        }),
        number(fields::MAINTENANCE.range, |d, v| {
            d.pricing.on_prem.maintenance_share_per_year = v;
        }),
        number(fields::HOSTING.range, |d, v| {
            d.pricing.on_prem.hosting_usd_per_kw_month = v
        }),
        number(fields::STAFF.range, |d, v| {
            d.pricing.on_prem.staff_usd_per_year = v
        }),
        number(fields::INPUT.range, |d, v| d.use_case.input_tokens = v),
        number(fields::OUTPUT.range, |d, v| d.use_case.output_tokens = v),
        number(fields::REASONING.range, |d, v| {
            d.use_case.reasoning_tokens = v
        }),
        number(fields::ATTEMPTS.range, |d, v| {
            d.use_case.attempts_per_response = v
        }),
        number(fields::PRE_POST.range, |d, v| {
            d.use_case.pre_post_tokens = v
        }),
        number(fields::PRE_POST_PRICE.range, |d, v| {
            d.use_case.usd_per_m_pre_post_tokens = v;
        }),
        number(fields::HIT_RATE.range, |d, v| {
            d.use_case.prefix_cache_hit_rate = v
        }),
        number(fields::REQUESTS_PER_DAY.range, |d, v| {
            d.use_case.requests_per_day = v
        }),
        number(fields::PEAK.range, |d, v| d.use_case.peak_to_average = v),
        number(fields::TTFT.range, |d, v| d.use_case.ttft_target_ms = v),
        number(fields::TPOT.range, |d, v| d.use_case.tpot_target_ms = v),
        number(fields::MEASURED_TOKENS.range, |d, v| {
            d.measured = measured(Some(v), None, None);
        }),
        number(fields::MEASURED_INPUT_TOKENS.range, |d, v| {
            d.measured = measured(None, Some(v), None);
        }),
        number(fields::MEASURED_WATTS.range, |d, v| {
            d.measured = measured(None, None, Some(v));
        }),
    ]
}

/// Every count of a deployment, with its range.
fn deployment_counts() -> Vec<(Range, SetCount)> {
    vec![
        count(fields::GPUS_PER_REPLICA.range, |d, n| {
            d.hardware.gpus_per_replica = n
        }),
        count(fields::REPLICAS.range, |d, n| d.hardware.replicas = Some(n)),
        count(fields::PIPELINE_STAGES.range, |d, n| {
            d.hardware.pipeline_stages = Some(n)
        }),
        count(fields::EFFICIENCY_MAX_BATCH.range, |d, n| {
            efficiency(d).max_batch = n
        }),
        count(fields::GPUS_PER_NODE.range, |d, n| {
            d.hardware.gpus_per_node = n
        }),
        count(fields::ON_PREM_GPUS_PER_NODE.range, |d, n| {
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
type SetScenario = fn(&mut MeasuredScenario, f64);

fn scenario_number(range: Range, set: SetScenario) -> (Range, SetScenario) {
    (range, set)
}

/// A per-response section to put a bad value in.
fn response(s: &mut MeasuredScenario) -> &mut ResponseInput {
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
    use migrate::v1::limits as l;
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
        let e = s.validate().err().ok_or_else(|| TestCaseError::fail(format!("{} accepted", range.field)))?;
        prop_assert_eq!(e.field, range.field, "{}", e);
        prop_assert!(e.to_string().starts_with(&format!("{}: ", range.field)), "{}", e);
        if bad.is_finite() {
            let text = serde_json::to_string(&s).expect("a scenario writes out as JSON");
            let e = migrate::read_any(&text).err().ok_or_else(|| TestCaseError::fail(format!("{} accepted from JSON", range.field)))?;
            prop_assert_eq!(e.field(), range.field, "{}", e);
        }
    }

    #[test]
    fn a_measured_scenario_with_no_gpus_or_too_many_is_refused(
        mut s in measured_scenario(), gpus in refused_count(migrate::v1::limits::GPUS),
    ) {
        s.hardware.gpus = gpus;
        let e = s.validate().err().ok_or_else(|| TestCaseError::fail(format!("{gpus} GPUs accepted")))?;
        prop_assert_eq!(e.field, "hardware.gpus");
    }
}
