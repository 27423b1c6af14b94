//! Energy at each scope, at load and at the fleet's utilisation, against
//! what a sustainability reviewer would check by hand.

use tokenfab_core::deployment::{Deployment, DeploymentReport};

fn evaluate(d: &Deployment) -> DeploymentReport {
    d.evaluate().expect("the deployment evaluates")
}

#[test]
fn a_fleet_busy_all_the_time_uses_at_utilisation_what_it_uses_at_load() {
    // Ten replicas for far more demand than they serve: always busy.
    let mut d = Deployment::example();
    d.hardware.replicas = Some(10);
    d.use_case.requests_per_day = 1e10;
    let r = evaluate(&d);
    assert_eq!(r.fleet.utilisation, 1.0);
    let (load, used) = (r.energy.at_load, r.energy.at_utilisation);
    for (scope, a, b) in [
        ("GPU", load.gpu, used.gpu),
        ("server", load.server, used.server),
        ("facility", load.facility, used.facility),
    ] {
        let near = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(y.abs());
        assert!(
            near(a.j_per_input_token, b.j_per_input_token),
            "{scope}: {a:?} {b:?}"
        );
        assert!(
            near(a.j_per_output_token, b.j_per_output_token),
            "{scope}: {a:?} {b:?}"
        );
    }
    let (wh_load, wh_used) = (
        r.energy.wh_per_response_at_load,
        r.energy.wh_per_response_at_utilisation,
    );
    assert!(
        (wh_load / wh_used - 1.0).abs() < 1e-9,
        "{wh_load} {wh_used}"
    );
}

#[test]
fn each_scope_adds_to_the_one_inside_it() {
    let r = evaluate(&Deployment::example());
    let pue = Deployment::example().pricing.pue;
    for at in [r.energy.at_load, r.energy.at_utilisation] {
        assert!(at.gpu.j_per_output_token < at.server.j_per_output_token);
        let facility = at.facility.j_per_output_token / at.server.j_per_output_token;
        assert!((facility - pue).abs() < 1e-9, "{facility}");
    }
}

#[test]
fn prompt_heavy_work_costs_more_energy_per_generated_token_and_less_per_prompt_token() {
    let with = |input: f64, output: f64| {
        let mut d = Deployment::example();
        d.use_case.input_tokens = input;
        d.use_case.output_tokens = output;
        d.use_case.prefix_cache_hit_rate = 0.0;
        d.use_case.ttft_target_ms = 5_000.0;
        evaluate(&d)
    };
    let (prompts, generation) = (with(8_000.0, 200.0), with(200.0, 800.0));
    // Each generated token carries its prompt's energy too.
    assert!(
        prompts.energy.facility_j_per_token_at_load
            > 2.0 * generation.energy.facility_j_per_token_at_load
    );
    // A prompt token, prefilled in bulk, takes less energy than a token
    // generated one step at a time.
    for r in [&prompts, &generation] {
        let j = r.energy.at_load.server;
        assert!(j.j_per_input_token < j.j_per_output_token, "{j:?}");
    }
}

#[test]
fn the_grid_moves_operational_carbon_and_nothing_else() {
    let clean = Deployment::example();
    let mut dirty = clean.clone();
    dirty.pricing.grid_g_co2_per_kwh = clean.pricing.grid_g_co2_per_kwh * 2.0;
    let (a, b) = (evaluate(&clean), evaluate(&dirty));
    assert_eq!(a.power, b.power);
    assert_eq!(a.costs, b.costs);
    assert_eq!(a.energy.at_utilisation, b.energy.at_utilisation);
    assert_eq!(
        a.per_response.wh_per_response,
        b.per_response.wh_per_response
    );
    assert_eq!(
        a.per_response.cost_per_response_usd,
        b.per_response.cost_per_response_usd
    );
    let g = |r: &DeploymentReport| r.per_response.g_co2_per_response.unwrap();
    assert!((g(&b) / g(&a) - 2.0).abs() < 1e-12);
    assert!(
        (b.energy.g_co2_per_m_tokens_at_utilisation / a.energy.g_co2_per_m_tokens_at_utilisation
            - 2.0)
            .abs()
            < 1e-12
    );
}

#[test]
fn the_concurrency_curve_counts_the_hosts_as_the_report_does() {
    // 4-GPU replicas on 8-GPU servers with a fleet that leaves a server
    // half full: the curve's energy at the operating point is the report's.
    let mut partial = false;
    for requests_per_day in [2_000_000.0, 2_300_000.0, 2_600_000.0] {
        let mut d = Deployment::example();
        d.use_case.requests_per_day = requests_per_day;
        let e = d.evaluated().expect("evaluates");
        let at = tokenfab_core::tradeoffs::concurrency_point(&e, e.report.performance.concurrency);
        let tpj = e.report.energy.tokens_per_joule;
        partial |= !e.report.fleet.gpus.is_multiple_of(8);
        assert!(
            (at.tokens_per_joule / tpj - 1.0).abs() < 1e-9,
            "{} against {tpj}",
            at.tokens_per_joule
        );
    }
    assert!(partial, "no fleet left a server part-filled");
}

#[test]
fn the_facility_view_is_the_fleet_at_load_through_the_meter() {
    let d = Deployment::example();
    let r = evaluate(&d);
    // Every accelerator busy, servers times the PUE.
    let kw = r.power.server_watts_at_load * d.pricing.pue / 1e3;
    assert!((r.power.facility_kw_at_load / kw - 1.0).abs() < 1e-12);
    // Generated tokens per second the fleet can serve per MW at the meter.
    let capacity = r.performance.output_tokens_per_s_per_replica * f64::from(r.fleet.replicas);
    let per_mw = capacity / (r.power.facility_kw_at_load / 1e3);
    assert!(
        (r.energy.tokens_per_s_per_facility_mw / per_mw - 1.0).abs() < 1e-9,
        "{} against {per_mw}",
        r.energy.tokens_per_s_per_facility_mw
    );
    // A better PUE serves more from the same megawatt.
    let mut efficient = d.clone();
    efficient.pricing.pue = 1.1;
    assert!(
        evaluate(&efficient).energy.tokens_per_s_per_facility_mw
            > r.energy.tokens_per_s_per_facility_mw
    );
}

#[test]
fn a_split_fleet_s_facility_view_is_what_its_busiest_pool_keeps_up_with() {
    let mut d = Deployment::example();
    d.use_case.input_tokens = 8_000.0;
    d.use_case.ttft_target_ms = 2_000.0;
    d.hardware.gpus_per_replica = 8;
    d.hardware.prefill_pool = Some(tokenfab_core::deployment::PrefillPoolInput {
        catalogue: "h100-sxm-80gb".to_owned(),
        gpus_per_replica: 2,
        usd_per_gpu_hour: d.pricing.usd_per_gpu_hour,
        capex_usd_per_node: d.pricing.on_prem.capex_usd_per_node,
    });
    let r = evaluate(&d);
    let pools = r.pools.expect("two pools");
    let generated = d.use_case.output_tokens + d.use_case.reasoning_tokens;
    let requests = |p: &tokenfab_core::deployment::PoolReport| {
        p.requests_per_s_per_replica * f64::from(p.replicas)
    };
    let served = requests(&pools.prefill).min(requests(&pools.decode)) * generated;
    let per_mw = served / (r.power.facility_kw_at_load / 1e3);
    assert!(
        (r.energy.tokens_per_s_per_facility_mw / per_mw - 1.0).abs() < 1e-9,
        "{} against {per_mw}",
        r.energy.tokens_per_s_per_facility_mw
    );
}

#[test]
fn a_fleet_that_serves_almost_nothing_still_has_finite_energy_figures() {
    for requests_per_day in [1e-300, 5e-324] {
        let mut d = Deployment::example();
        d.use_case.requests_per_day = requests_per_day;
        let r = evaluate(&d);
        let e = r.energy;
        for j in [
            e.at_utilisation.gpu,
            e.at_utilisation.server,
            e.at_utilisation.facility,
        ] {
            assert!(
                j.j_per_output_token.is_finite() && j.j_per_output_token > 0.0,
                "{j:?}"
            );
        }
        assert!(r.per_response.wh_per_response.is_finite());
        assert!(r.per_response.wh_per_response >= e.wh_per_response_at_load);
        assert!(
            r.per_response
                .g_co2_per_response
                .is_some_and(f64::is_finite)
        );
    }
}

#[test]
fn water_is_the_response_s_it_energy_at_the_site_s_wue_and_only_when_given() {
    let mut d = Deployment::example();
    assert_eq!(evaluate(&d).per_response.water_l_per_response, None);
    d.pricing.wue_l_per_kwh = Some(1.8);
    let r = evaluate(&d);
    // The facility's joules less the PUE overhead, in kWh, times 1.8 L/kWh.
    let by_hand = r.per_response.joules_per_response / d.pricing.pue / 3.6e6 * 1.8;
    let water = r.per_response.water_l_per_response.expect("a WUE is given");
    assert!(
        (water / by_hand - 1.0).abs() < 1e-12,
        "{water} against {by_hand}"
    );
    // Water moves nothing else.
    let mut dry = d.clone();
    dry.pricing.wue_l_per_kwh = Some(0.0);
    let r0 = evaluate(&dry);
    assert_eq!(r0.per_response.water_l_per_response, Some(0.0));
    assert_eq!(r0.energy, r.energy);
    assert_eq!(
        r0.per_response.g_co2_per_response,
        r.per_response.g_co2_per_response
    );
}
