//! Invariants over generated deployments: every figure of one that
//! evaluates is finite, prices scale what they price and nothing else,
//! more demand or dearer hardware never helps. Deployments are drawn from
//! the catalogue (any model on any accelerator, any serving stack, rented
//! or owned) with every price and use-case figure inside its accepted
//! range; the rest are models too big for their replica, which the planner
//! rightly refuses.

mod support;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use support::*;
use tokenfab_core::deployment::{
    Deployment, DeploymentError, Power, PricingInput, PricingMode, fields,
};
use tokenfab_core::latency::Percentile;
use tokenfab_core::migrate::{self, v1::MeasuredScenario};

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
            Err(DeploymentError::DoesNotFit { .. } | DeploymentError::PrefillDoesNotFit { .. }) => {
            }
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
                // Only weights that do not fit, in a replica or a prefill replica.
                match e {
                    DeploymentError::DoesNotFit { .. } => {
                        prop_assert_eq!(e.field(), "hardware.gpus_per_replica")
                    }
                    DeploymentError::PrefillDoesNotFit { .. } => {
                        prop_assert_eq!(e.field(), "hardware.prefill_pool.gpus_per_replica")
                    }
                    _ => prop_assert!(false, "{e}\n{d:?}"),
                }
            }
        }
    }

    #[test]
    fn doubling_the_rental_price_doubles_what_rented_tokens_cost(mut d in deployment()) {
        d.pricing.mode = PricingMode::Cloud;
        let base = evaluated(&d)?;
        d.pricing.usd_per_gpu_hour *= 2.0;
        // A prefill pool's rate is its own: every rental doubles.
        if let Some(pool) = d.hardware.prefill_pool.as_mut() {
            pool.usd_per_gpu_hour *= 2.0;
        }
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
        if let Some(pool) = d.hardware.prefill_pool.as_mut() {
            pool.capex_usd_per_node *= 2.0;
        }
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
        // The site's power budget is set with the prices; the draw is not.
        prop_assert_eq!(Power { budget_share: None, ..base.power }, Power { budget_share: None, ..r.power });
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
        // The same for each phase at each scope, and for a response.
        let (load, used) = (r.energy.at_load, r.energy.at_utilisation);
        for (a, b) in [(load.gpu, used.gpu), (load.server, used.server), (load.facility, used.facility)] {
            prop_assert!(b.j_per_input_token >= a.j_per_input_token * (1.0 - 1e-9), "{a:?} {b:?}");
            prop_assert!(b.j_per_output_token >= a.j_per_output_token * (1.0 - 1e-9), "{a:?} {b:?}");
            prop_assert!(b.j_per_output_token.is_finite() && b.j_per_input_token.is_finite());
        }
        prop_assert!(r.energy.wh_per_response_at_utilisation >= r.energy.wh_per_response_at_load * (1.0 - 1e-9));
        let share = r.energy.prompt_energy_share_at_load;
        prop_assert!((0.0..=1.0).contains(&share), "{share}");
    }

    #[test]
    fn a_months_carbon_is_its_responses_carbon(d in deployment()) {
        let r = evaluated(&d)?;
        let c = r.carbon;
        // Below a billionth busy, figures per token and per response are
        // floored there to stay finite, and stop adding up.
        let floored = |u: f64| u < 1e-8;
        prop_assume!(!floored(r.fleet.utilisation));
        if let Some(p) = &r.pools {
            prop_assume!(!floored(p.prefill.utilisation) && !floored(p.decode.utilisation));
            // A decode pool capped at the largest fleet serves fewer
            // requests than its prefill pool is sized for; the prefill
            // pool's energy then goes to prompts never answered.
            prop_assume!(r.fleet.average_requests_per_s <= r.fleet.capacity_requests_per_s);
        }
        // Every joule at the meter is some response's.
        let month = c.location_kg_per_month * 1e3;
        let responses = c.location_g_per_response * c.responses_per_month;
        prop_assert!((responses - month).abs() <= 1e-6 * month.max(responses), "{c:?}");
    }

    #[test]
    fn the_99th_percentile_is_never_below_the_mean_and_targets_hold_where_said(d in deployment()) {
        let r = evaluated(&d)?;
        let p = r.performance;
        prop_assert!(p.ttft_p99_ms >= p.ttft_ms, "TTFT P99 {} < mean {}", p.ttft_p99_ms, p.ttft_ms);
        prop_assert!(p.tpot_p99_ms >= p.tpot_ms, "TPOT P99 {} < mean {}", p.tpot_p99_ms, p.tpot_ms);
        let (ttft, tpot) = match p.latency_targets_at {
            Percentile::Mean => (p.ttft_ms, p.tpot_ms),
            Percentile::P99 => (p.ttft_p99_ms, p.tpot_p99_ms),
        };
        let u = &d.use_case;
        prop_assert_eq!(p.meets_latency_targets, ttft <= u.ttft_target_ms && tpot <= u.tpot_target_ms);
    }

    #[test]
    fn bounding_the_99th_percentile_never_needs_fewer_gpus(mut d in deployment()) {
        d.use_case.latency_targets_at = Percentile::Mean;
        let mean = evaluated(&d)?;
        d.use_case.latency_targets_at = Percentile::P99;
        let p99 = also_evaluated(&d)?;
        prop_assert!(p99.performance.concurrency <= mean.performance.concurrency);
        prop_assert!(p99.fleet.gpus >= mean.fleet.gpus, "{} < {}", p99.fleet.gpus, mean.fleet.gpus);
    }

    #[test]
    fn more_demand_never_shrinks_the_fleet_or_its_bill(mut d in deployment(), more in 1.0..=10.0_f64) {
        let base = evaluated(&d)?;
        d.use_case.requests_per_day = (d.use_case.requests_per_day * more).min(fields::REQUESTS_PER_DAY.range.max);
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
        o.capex_usd_per_node = (o.capex_usd_per_node * dearer).min(fields::CAPEX.range.max);
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
        d.use_case.attempts_per_response = (d.use_case.attempts_per_response * more).min(fields::ATTEMPTS.range.max);
        let retried = also_evaluated(&d)?;
        let (a, b) = (base.per_response, retried.per_response);
        prop_assert!(b.cost_per_response_usd >= a.cost_per_response_usd);
        prop_assert!(b.joules_per_response >= a.joules_per_response);
        prop_assert!(b.g_co2_per_response.unwrap_or(0.0) >= a.g_co2_per_response.unwrap_or(0.0));
    }

    #[test]
    fn a_higher_pue_never_lowers_facility_power_or_energy_cost(mut d in deployment(), higher in 1.0..=3.0_f64) {
        let base = evaluated(&d)?;
        d.pricing.pue = (d.pricing.pue * higher).min(fields::PUE.range.max);
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

/// A measured-level (version 1) scenario: throughput and power as
/// measured on some GPUs, any prices in range.
fn measured_scenario() -> impl Strategy<Value = MeasuredScenario> {
    (
        log_between(1.0, 1e6),
        log_between(0.01, 500.0),
        between(0.0, 5.0),
        log_between(1.0, 1e9),
        log_between(1.0, 1e9),
        proptest::option::of(log_between(1.0, 1e12)),
    )
        .prop_map(
            |(gpus, usd_per_gpu_hour, usd_per_kwh, tokens, watts, requests)| {
                let mut s = MeasuredScenario::example();
                s.hardware.gpus = gpus.round() as u32;
                s.pricing.usd_per_gpu_hour = usd_per_gpu_hour;
                s.pricing.usd_per_kwh = usd_per_kwh;
                s.measured.tokens_per_s = tokens;
                s.measured.watts = watts;
                s.measured.requests_per_hour = requests;
                s
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn a_measured_scenario_migrates_to_a_deployment_with_its_own_efficiency(s in measured_scenario()) {
        let d = migrate::deployment_from_measured(&s);
        let r = d.evaluate().map_err(|e| TestCaseError::fail(format!("refused: {e}")))?;
        let bad = figures_of(&r);
        prop_assert!(bad.is_empty(), "{bad:?}\n{s:?}");
        prop_assert!(scaled(s.measured.tokens_per_s / s.measured.watts, r.energy.tokens_per_joule, 1.0));
    }
}
