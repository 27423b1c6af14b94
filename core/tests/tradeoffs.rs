//! The trade-off curves of the support-chat deployment.

use approx::assert_relative_eq;
use tokenfab_core::deployment::{Deployment, PricingMode};
use tokenfab_core::power::PowerFactors;
use tokenfab_core::tradeoffs::{
    cloud_vs_owned, concurrency_sweep, months_sweep, sensitivity, utilisation_sweep,
};

fn support_chat() -> Deployment {
    serde_json::from_str(include_str!(
        "../../tests/scenarios/llama-70b-support-chat.json"
    ))
    .expect("the scenario file is valid")
}

#[test]
fn batching_trades_speed_per_user_for_throughput_per_gpu() {
    let sweep = concurrency_sweep(&support_chat().evaluated().unwrap(), 40);
    assert_eq!(sweep[0].concurrency, 1.0);
    assert!(
        sweep
            .windows(2)
            .all(|w| w[1].concurrency > w[0].concurrency)
    );
    assert!(
        sweep
            .windows(2)
            .all(|w| w[1].tokens_per_s_per_user <= w[0].tokens_per_s_per_user)
    );
    let first = sweep.first().unwrap();
    let last = sweep.last().unwrap();
    assert!(last.tokens_per_s_per_gpu > 10.0 * first.tokens_per_s_per_gpu);
    assert!(last.usd_per_m_output < first.usd_per_m_output);
    assert!(last.tokens_per_joule > first.tokens_per_joule);
    assert!(sweep.iter().filter(|p| p.pareto).count() > 1);
}

#[test]
fn half_the_utilisation_doubles_the_cost_per_token() {
    let sweep = utilisation_sweep(&support_chat().evaluated().unwrap());
    let at = |u: f64| {
        sweep
            .iter()
            .find(|p| (p.utilisation - u).abs() < 1e-9)
            .unwrap()
            .cloud_usd_per_m_output
    };
    assert_relative_eq!(at(0.5), 2.0 * at(1.0), max_relative = 1e-12);
}

#[test]
fn the_cumulative_costs_cross_at_the_break_even_month() {
    let d = support_chat();
    let month = d
        .evaluate()
        .unwrap()
        .costs
        .break_even_month
        .expect("owning pays off within ten years");
    let curve = months_sweep(&d, 120).unwrap();
    assert_eq!(curve[0].cloud_usd, 0.0);
    assert!(curve[0].on_prem_usd > 0.0);
    let before = &curve[month.floor() as usize];
    let after = &curve[month.ceil() as usize];
    assert!(before.on_prem_usd >= before.cloud_usd);
    assert!(after.on_prem_usd <= after.cloud_usd);
}

#[test]
fn the_tornado_is_sorted_by_swing_and_a_dearer_gpu_costs_more() {
    let rows = sensitivity(&support_chat().evaluated().unwrap(), 0.2);
    assert!(rows.len() >= 6);
    let swing = |r: &tokenfab_core::tradeoffs::Sensitivity| (r.high_usd - r.low_usd).abs();
    assert!(rows.windows(2).all(|w| swing(&w[0]) >= swing(&w[1])));
    let price = rows
        .iter()
        .find(|r| r.input == "pricing.usd_per_gpu_hour")
        .unwrap();
    assert!(price.high_usd > price.low_usd);
}

#[test]
fn cloud_and_owned_are_priced_on_the_same_fleet() {
    let d = support_chat();
    let c = cloud_vs_owned(&d).unwrap();
    let report = d.evaluate().unwrap();
    // The scenario is rented: its own figures are the cloud side.
    assert_relative_eq!(
        c.cloud_usd_per_m_output,
        report.costs.at_utilisation.usd_per_m_output,
        max_relative = 1e-12
    );
    assert_eq!(c.break_even_month, report.costs.break_even_month);
    // Same fleet, same tokens: $/M tokens follow the hourly rates exactly.
    assert_relative_eq!(
        c.owned_usd_per_m_output / c.cloud_usd_per_m_output,
        c.owned_usd_per_gpu_hour / c.cloud_usd_per_gpu_hour,
        max_relative = 1e-9
    );
    assert_relative_eq!(
        c.owned_beats_elastic_cloud_above,
        c.owned_usd_per_gpu_hour / c.cloud_usd_per_gpu_hour,
        max_relative = 1e-12
    );
}

#[test]
fn dearer_rental_lowers_the_utilisation_owning_needs() {
    let d = support_chat();
    let mut dear = d.clone();
    dear.pricing.usd_per_gpu_hour *= 2.0;
    let (base, dearer) = (cloud_vs_owned(&d).unwrap(), cloud_vs_owned(&dear).unwrap());
    assert_relative_eq!(
        dearer.owned_beats_elastic_cloud_above,
        base.owned_beats_elastic_cloud_above / 2.0,
        max_relative = 1e-12
    );
    assert_eq!(dearer.owned_usd_per_m_output, base.owned_usd_per_m_output);
}

/// Support chat with targets so lax that the batch is capped by memory or
/// the stack: the report's operating point is the sweep's last point.
fn at_the_cap() -> Deployment {
    let mut d = support_chat();
    d.use_case.tpot_target_ms = 60_000.0;
    d.use_case.ttft_target_ms = 600_000.0;
    d
}

#[test]
fn the_sweep_ends_at_the_report_s_operating_point() {
    for mode in [PricingMode::Cloud, PricingMode::OnPrem] {
        let mut d = at_the_cap();
        d.pricing.mode = mode;
        let r = d.evaluate().unwrap();
        let sweep = concurrency_sweep(&d.evaluated().unwrap(), 40);
        let last = sweep.last().unwrap();
        assert_relative_eq!(last.concurrency, r.performance.concurrency.round());
        let close = |a: f64, b: f64| assert_relative_eq!(a, b, max_relative = 1e-9);
        close(
            last.tokens_per_s_per_gpu,
            r.performance.output_tokens_per_s_per_gpu,
        );
        close(
            last.tokens_per_s_per_user,
            r.performance.tokens_per_s_per_user,
        );
        close(last.usd_per_m_output, r.costs.at_load.usd_per_m_output);
        close(last.tokens_per_joule, r.energy.tokens_per_joule);
    }
}

#[test]
fn fitted_power_factors_move_the_energy_curve_as_they_move_the_report() {
    let mut d = at_the_cap();
    d.hardware.power = Some(PowerFactors {
        compute_weight: 0.2,
        memory_weight: 0.3,
    });
    let r = d.evaluate().unwrap();
    let sweep = concurrency_sweep(&d.evaluated().unwrap(), 40);
    let default = concurrency_sweep(&at_the_cap().evaluated().unwrap(), 40);
    assert_relative_eq!(
        sweep.last().unwrap().tokens_per_joule,
        r.energy.tokens_per_joule,
        max_relative = 1e-9
    );
    assert!(sweep.last().unwrap().tokens_per_joule != default.last().unwrap().tokens_per_joule);
}

#[test]
fn the_sweep_steps_evenly_on_a_log_scale_from_one_to_the_cap() {
    let d = at_the_cap();
    let cap = d.evaluate().unwrap().performance.concurrency;
    let sweep = concurrency_sweep(&d.evaluated().unwrap(), 5);
    // 1, cap^¼, cap^½, cap^¾, cap, each rounded to a whole sequence.
    let expected: Vec<f64> = (0..5)
        .map(|i| cap.powf(f64::from(i) / 4.0).round().max(1.0))
        .collect();
    let got: Vec<f64> = sweep.iter().map(|p| p.concurrency).collect();
    assert_eq!(got, expected, "cap {cap}");
    assert!(cap > 20.0, "a cap of {cap} leaves the steps indistinct");
}

#[test]
fn a_point_is_on_the_pareto_front_when_no_earlier_point_has_as_much_throughput() {
    let sweep = concurrency_sweep(&support_chat().evaluated().unwrap(), 60);
    let mut best = 0.0_f64;
    for p in &sweep {
        assert_eq!(p.pareto, p.tokens_per_s_per_gpu > best, "{p:?}");
        best = best.max(p.tokens_per_s_per_gpu);
    }
}

#[test]
fn each_tornado_row_is_the_cost_with_its_input_moved_by_the_share() {
    // Owned, so electricity and PUE count, with a TPOT target that binds.
    let mut d = support_chat();
    d.pricing.mode = PricingMode::OnPrem;
    d.use_case.tpot_target_ms = 20.0;
    let rows = sensitivity(&d.evaluated().unwrap(), 0.2);
    let swing = |r: &tokenfab_core::tradeoffs::Sensitivity| (r.high_usd - r.low_usd).abs();
    assert!(rows.windows(2).all(|w| swing(&w[0]) >= swing(&w[1])));
    // Every input moves the owned cost but the rent.
    for r in &rows {
        assert_eq!(
            swing(r) > 0.0,
            r.input != "pricing.usd_per_gpu_hour",
            "{r:?}"
        );
    }
    assert_eq!(
        rows.len(),
        8,
        "every input of the tornado stays valid at ±20 %"
    );
    let cost_with = |path: &str, factor: f64| {
        let mut json = serde_json::to_value(&d).unwrap();
        let pointer = format!("/{}", path.replace('.', "/"));
        let field = json.pointer_mut(&pointer).unwrap();
        let mut moved = field.as_f64().unwrap() * factor;
        // A response takes at least one attempt and a facility's PUE is at least 1.
        if matches!(path, "use_case.attempts_per_response" | "pricing.pue") {
            moved = moved.max(1.0);
        }
        *field = serde_json::json!(moved);
        let moved: Deployment = serde_json::from_value(json).unwrap();
        moved.evaluate().unwrap().per_response.cost_per_response_usd
    };
    for row in &rows {
        assert_relative_eq!(row.low_usd, cost_with(row.input, 0.8), max_relative = 1e-12);
        assert_relative_eq!(
            row.high_usd,
            cost_with(row.input, 1.2),
            max_relative = 1e-12
        );
    }
}

#[test]
fn rent_moves_only_the_gpu_terms_and_electricity_moves_nothing_when_renting() {
    // Rented, the fleet does not depend on the price: the accelerator terms
    // of the cost per response scale with the rent, the guardrail term not.
    let d = support_chat();
    let base = d.evaluate().unwrap().per_response;
    let gpu_terms = base.cost_per_response_usd - base.cost_usd.pre_post;
    let rows = sensitivity(&d.evaluated().unwrap(), 0.2);
    let row = |input: &str| rows.iter().find(|r| r.input == input).unwrap().clone();
    let rent = row("pricing.usd_per_gpu_hour");
    assert_relative_eq!(
        rent.low_usd,
        gpu_terms * 0.8 + base.cost_usd.pre_post,
        max_relative = 1e-9
    );
    assert_relative_eq!(
        rent.high_usd,
        gpu_terms * 1.2 + base.cost_usd.pre_post,
        max_relative = 1e-9
    );
    for input in ["pricing.usd_per_kwh", "pricing.pue"] {
        assert_eq!(row(input).low_usd, base.cost_per_response_usd, "{input}");
        assert_eq!(row(input).high_usd, base.cost_per_response_usd, "{input}");
    }
}
