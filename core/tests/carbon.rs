//! Carbon as a sustainability reviewer checks it: operational carbon at
//! the grid's and the bought electricity's intensity, embodied carbon
//! spread over the hardware's life, each per response and per month, and
//! the fleet's peak power against the site's budget.

use tokenfab_core::deployment::{Deployment, DeploymentReport, PrefillPoolInput};

fn evaluate(d: &Deployment) -> DeploymentReport {
    d.evaluate().expect("the deployment evaluates")
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// The planner's example split into a prefill pool of two H100s beside
/// decode replicas of eight.
fn split() -> Deployment {
    let mut d = Deployment::example();
    d.use_case.input_tokens = 8_000.0;
    d.use_case.ttft_target_ms = 2_000.0;
    d.hardware.gpus_per_replica = 8;
    d.hardware.prefill_pool = Some(PrefillPoolInput {
        catalogue: "h100-sxm-80gb".to_owned(),
        gpus_per_replica: 2,
        usd_per_gpu_hour: d.pricing.usd_per_gpu_hour,
        capex_usd_per_node: d.pricing.on_prem.capex_usd_per_node,
    });
    d
}

#[test]
fn a_months_operational_carbon_is_its_responses_carbon() {
    for mut d in [Deployment::example(), split()] {
        d.pricing.market_g_co2_per_kwh = Some(120.0);
        let r = evaluate(&d);
        let c = r.carbon;
        // Every joule at the meter is some response's: the responses of a
        // month at their carbon add up to the month's.
        assert!(
            near(
                c.location_g_per_response * c.responses_per_month,
                c.location_kg_per_month * 1e3
            ),
            "{c:?}"
        );
        let market = c.market_g_per_response.unwrap() * c.responses_per_month;
        assert!(near(market, c.market_kg_per_month.unwrap() * 1e3), "{c:?}");
        // The month's energy by hand: the facility's average draw for 730 h.
        let kwh = r.power.facility_watts / 1e3 * 730.0;
        assert!(near(
            c.location_kg_per_month,
            kwh * d.pricing.grid_g_co2_per_kwh / 1e3
        ));
        // The response's figure is the one the per-response table shows.
        assert!(near(
            c.location_g_per_response,
            r.per_response.g_co2_per_response.unwrap()
        ));
    }
}

#[test]
fn the_responses_a_month_are_the_requests_served_over_the_attempts_each_takes() {
    let d = Deployment::example();
    let r = evaluate(&d);
    // 2 million requests a day, 1.05 attempts a response, all served.
    assert!(r.fleet.utilisation < 1.0);
    let by_hand = 2e6 / 86_400.0 * 3_600.0 * 730.0 / 1.05;
    assert!(
        near(r.carbon.responses_per_month, by_hand),
        "{}",
        r.carbon.responses_per_month
    );
}

#[test]
fn embodied_carbon_is_the_fleets_footprint_over_its_months_of_life() {
    let mut d = Deployment::example();
    d.pricing.embodied_kg_co2e_per_gpu = Some(318.0);
    let r = evaluate(&d);
    let c = r.carbon;
    // By hand: 16 H100s over 4 years carry 318 × 16 ÷ 48 = 106 kg a month,
    // shared by 2 million requests a day over 1.05 attempts each for 730 h.
    assert_eq!(
        (r.fleet.gpus, d.pricing.on_prem.depreciation_years),
        (16, 4.0)
    );
    assert!(near(c.embodied_kg_per_month.unwrap(), 106.0));
    let responses = 2e6 / 24.0 * 730.0 / 1.05;
    assert!(near(c.embodied_g_per_response.unwrap(), 106e3 / responses));
    // Kept twice as long, each month and each response carries half.
    let mut longer = d.clone();
    longer.pricing.on_prem.depreciation_years = 8.0;
    let l = evaluate(&longer).carbon;
    assert!(near(
        l.embodied_g_per_response.unwrap() * 2.0,
        c.embodied_g_per_response.unwrap()
    ));
    // A split fleet counts both pools' accelerators.
    let mut s = split();
    s.pricing.embodied_kg_co2e_per_gpu = Some(318.0);
    let rs = evaluate(&s);
    let pools = rs.pools.expect("two pools");
    assert_eq!(rs.fleet.gpus, pools.prefill.gpus + pools.decode.gpus);
    let years = s.pricing.on_prem.depreciation_years;
    assert!(near(
        rs.carbon.embodied_kg_per_month.unwrap(),
        318.0 * f64::from(rs.fleet.gpus) / (years * 12.0)
    ));
}

#[test]
fn a_region_or_a_contract_moves_operational_carbon_only() {
    let mut d = Deployment::example();
    d.pricing.embodied_kg_co2e_per_gpu = Some(318.0);
    let base = evaluate(&d);
    // France's grid (56 g/kWh) for Germany's (381 g/kWh), and a contract.
    let mut moved = d.clone();
    moved.pricing.grid_g_co2_per_kwh = 56.0;
    moved.pricing.market_g_co2_per_kwh = Some(20.0);
    let r = evaluate(&moved);
    assert_eq!(r.power, base.power);
    assert_eq!(r.costs, base.costs);
    assert_eq!(
        r.carbon.embodied_g_per_response,
        base.carbon.embodied_g_per_response
    );
    assert_eq!(
        r.carbon.embodied_kg_per_month,
        base.carbon.embodied_kg_per_month
    );
    let ratio = r.carbon.location_g_per_response / base.carbon.location_g_per_response;
    assert!(near(ratio, 56.0 / d.pricing.grid_g_co2_per_kwh));
    assert_eq!(base.carbon.market_g_per_response, None);
    let market = r.carbon.market_g_per_response.unwrap();
    assert!(near(market / r.carbon.location_g_per_response, 20.0 / 56.0));
}

#[test]
fn left_empty_the_optional_figures_are_not_reported() {
    let r = evaluate(&Deployment::example());
    assert_eq!(r.carbon.market_g_per_response, None);
    assert_eq!(r.carbon.embodied_g_per_response, None);
    assert_eq!(r.power.budget_share, None);
    let json = serde_json::to_value(r).expect("the report serialises");
    let carbon = json["carbon"].as_object().expect("a carbon section");
    assert!(carbon.contains_key("location_g_per_response"));
    assert!(!carbon.contains_key("embodied_g_per_response"));
    assert!(!carbon.contains_key("market_g_per_response"));
    let power = json["power"].as_object().expect("a power section");
    assert!(power.contains_key("facility_kw_at_load"));
    assert!(!power.contains_key("budget_share"));
}

#[test]
fn the_budget_share_is_the_fleets_peak_at_the_meter_over_the_budget() {
    let d = Deployment::example();
    let peak = evaluate(&d).power.facility_kw_at_load;
    for (budget, share) in [(peak, 1.0), (peak * 2.0, 0.5), (peak / 4.0, 4.0)] {
        let mut b = d.clone();
        b.pricing.power_budget_kw = Some(budget);
        let got = evaluate(&b).power.budget_share.unwrap();
        assert!(near(got, share), "{budget} kW: {got}");
    }
}

#[test]
fn a_fleet_serving_almost_nothing_has_finite_embodied_carbon() {
    let mut d = Deployment::example();
    d.use_case.requests_per_day = 5e-324;
    d.pricing.embodied_kg_co2e_per_gpu = Some(318.0);
    let c = evaluate(&d).carbon;
    assert!(c.embodied_g_per_response.unwrap().is_finite(), "{c:?}");
    assert!(c.embodied_g_per_response.unwrap() > 0.0);
}

#[test]
fn a_budget_of_one_watt_still_gives_a_finite_share() {
    let mut d = Deployment::example();
    d.pricing.power_budget_kw = Some(0.001);
    let share = evaluate(&d).power.budget_share.unwrap();
    assert!(share.is_finite() && share > 1.0, "{share}");
    // Below a watt the field is refused, naming it.
    d.pricing.power_budget_kw = Some(1e-306);
    let e = d.evaluate().expect_err("refused");
    assert_eq!(e.field(), "pricing.power_budget_kw");
}
