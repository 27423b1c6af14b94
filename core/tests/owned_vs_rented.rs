//! Owned against rented, worked by hand: one server of 8 accelerators
//! bought for $300,000, written off over 4 years at 8 % cost of capital,
//! maintenance 8 % a year, hosting $150 per provisioned kW a month
//! (8 × 0.7 + 1.5 = 7.1 kW), staff $50,000 a year, IT power 7.1 kW at load
//! and 2.0 kW idle, 30 % utilised, PUE 1.4, $0.0892/kWh, 380 g CO2e/kWh,
//! 20,000 output tokens/s at load, and a cloud alternative at $2.94 per
//! GPU-hour. Conventions: 8,760 hours a year, 730 a month; capital by equal
//! annual payments; hosting on provisioned power; energy at the facility
//! meter with idle draw.
//!
//! Each expected figure below was worked out by hand from those inputs and
//! is compared to the digits it is written with.

use tokenfab_core::deployment::{Deployment, DeploymentReport, PricingMode};
use tokenfab_core::economics::{
    self, HOURS_PER_MONTH, HOURS_PER_YEAR, OnPremCosts, capital_recovery_factor,
};
use tokenfab_core::tradeoffs::utilisation_sweep;

/// The worked example as a deployment: measured throughput (20,000 tokens/s
/// for the one 8-GPU replica) and server power (7,100 W), an accelerator
/// idling at 62.5 W so the server idles at 8 × 62.5 + 1,500 = 2,000 W, no
/// prompt tokens (all cost on output), and 518,400 requests of 1,000 tokens
/// a day: 6 a second against a capacity of 20, so 30 % utilised.
fn worked() -> Deployment {
    serde_json::from_str(include_str!(
        "../../tests/scenarios/owned-server-worked.json"
    ))
    .expect("the worked example parses")
}

fn report(mode: PricingMode) -> DeploymentReport {
    let mut d = worked();
    d.pricing.mode = mode;
    d.evaluate().expect("the worked example evaluates")
}

/// `value` written with as many decimals as `shown` has (thousands
/// separators ignored) equals `shown`.
#[track_caller]
fn assert_shown(what: &str, value: f64, shown: &str) {
    let plain = shown.replace(',', "");
    let decimals = plain.split_once('.').map_or(0, |(_, d)| d.len());
    assert_eq!(
        format!("{value:.decimals$}"),
        plain,
        "{what}: {value} is not {shown} to the digits shown"
    );
}

fn costs() -> OnPremCosts {
    worked().pricing.on_prem
}

#[test]
fn capital_is_recovered_by_equal_annual_payments() {
    // 0.08 × 1.08⁴ / (1.08⁴ − 1) = 0.08 × 1.36049 / 0.36049
    let crf = capital_recovery_factor(0.08, 4.0);
    assert_shown("CRF(8 %, 4 years)", crf, "0.301921");
    assert_shown("capital a year", 300_000.0 * crf, "90,576.24");
}

#[test]
fn each_hourly_component_of_owning() {
    // Average IT power: idle 2.0 kW + (7.1 − 2.0) × 0.3 = 3.53 kW.
    let owned = economics::owned_hourly_cost(&costs(), 1.0, 3.53, 7.1, 1.4, 0.0892);
    // 90,576.24 / 8,760
    assert_shown("capital", owned.capital_usd_per_hour, "10.3398");
    // 0.08 × 300,000 = 24,000 a year, / 8,760
    assert_shown(
        "maintenance a year",
        owned.maintenance_usd_per_hour * HOURS_PER_YEAR,
        "24,000",
    );
    assert_shown("maintenance", owned.maintenance_usd_per_hour, "2.7397");
    // 150 × 7.1 = 1,065 a month, / 730
    assert_shown(
        "hosting a month",
        owned.hosting_usd_per_hour * HOURS_PER_MONTH,
        "1,065",
    );
    assert_shown("hosting", owned.hosting_usd_per_hour, "1.4589");
    // 50,000 / 8,760
    assert_shown("staff", owned.staff_usd_per_hour, "5.7078");
    // 3.53 × 1.4 × 0.0892
    assert_shown("energy", owned.energy_usd_per_hour, "0.44083");
    assert_shown("owned, total", owned.total_usd_per_hour(), "20.6870");
}

#[test]
fn the_deployment_is_priced_component_by_component_as_worked() {
    let r = report(PricingMode::OnPrem);
    assert_shown("average IT power, kW", r.power.server_watts / 1e3, "3.53");
    assert_shown("utilisation", r.fleet.utilisation, "0.3");
    let owned = r.costs.on_prem_hourly;
    assert_shown("capital", owned.capital_usd_per_hour, "10.3398");
    assert_shown("maintenance", owned.maintenance_usd_per_hour, "2.7397");
    assert_shown("hosting", owned.hosting_usd_per_hour, "1.4589");
    assert_shown("staff", owned.staff_usd_per_hour, "5.7078");
    assert_shown("energy", owned.energy_usd_per_hour, "0.44083");
    assert_shown("owned, total", r.costs.fleet_usd_per_hour, "20.6870");
    // 20.6870 / 8
    assert_shown("owned per GPU-hour", r.costs.usd_per_gpu_hour, "2.5859");
    assert_shown(
        "owned per GPU-hour",
        r.costs.on_prem_usd_per_gpu_hour,
        "2.5859",
    );
    // 10.3472 = 20.6870 − 10.3398: everything but capital.
    assert_shown(
        "running costs",
        owned.total_usd_per_hour() - owned.capital_usd_per_hour,
        "10.3472",
    );
}

#[test]
fn renting_the_same_server_costs_23_52_an_hour() {
    let r = report(PricingMode::Cloud);
    // 8 × 2.94
    assert_shown("rented", r.costs.fleet_usd_per_hour, "23.52");
    assert_shown(
        "rented per GPU-hour",
        r.costs.cloud_usd_per_gpu_hour,
        "2.94",
    );
}

#[test]
fn owning_breaks_even_after_31_months_in_cash_and_35_discounted() {
    // Saving a month (23.52 − 10.3472) × 730 = 9,616.13.
    let owned = economics::owned_hourly_cost(&costs(), 1.0, 3.53, 7.1, 1.4, 0.0892);
    let running = owned.total_usd_per_hour() - owned.capital_usd_per_hour;
    assert_shown("saving a month", (23.52 - running) * 730.0, "9,616.13");
    // (1.08)^(1/12) − 1
    assert_shown(
        "monthly rate, %",
        economics::monthly_rate(0.08) * 100.0,
        "0.643403",
    );
    // Cash: 300,000 / 9,616.13. Discounted: −ln(1 − 300,000 × 0.00643403 /
    // 9,616.13) / ln(1.00643403) = −ln(0.799274) / 0.0064134.
    for r in [report(PricingMode::OnPrem), report(PricingMode::Cloud)] {
        let cash = r.costs.break_even_month.expect("owning pays back");
        let discounted = r.costs.break_even_month_discounted.expect("pays back");
        assert_shown("break-even, cash", cash, "31.20");
        assert_shown("break-even, discounted", discounted, "34.93");
    }
}

#[test]
fn a_million_output_tokens_cost_96_cents_at_30_percent_and_29_at_full_load() {
    let r = report(PricingMode::OnPrem);
    // 20,000 × 3,600 × 0.3 = 21.6 M tokens served an hour.
    let served = r.performance.output_tokens_per_s_per_fleet * 3_600.0 * r.fleet.utilisation;
    assert_shown("tokens served an hour, M", served / 1e6, "21.6");
    // 20.6870 / 21.6
    assert_shown(
        "owned $/M output at 30 %",
        r.costs.at_utilisation.usd_per_m_output,
        "0.9577",
    );
    // At load the server draws 7.1 kW: 20.6870 − 0.44083 + 7.1 × 1.4 × 0.0892
    // = 21.1328 an hour for 72 M tokens.
    assert_shown(
        "owned $/M output at 100 %",
        r.costs.at_load.usd_per_m_output,
        "0.2935",
    );
    assert_eq!(r.costs.at_load.usd_per_m_input, 0.0, "no prompt tokens");
}

#[test]
fn energy_and_carbon_per_token_share_the_idle_draw() {
    let r = report(PricingMode::OnPrem);
    // 7.1 kW × 1.4 / 20,000 tokens/s
    assert_shown(
        "J per token at load",
        r.energy.facility_j_per_token_at_load,
        "0.497",
    );
    // 3.53 kW × 1.4 × 3.6e6 J/kWh / 21.6e6 tokens an hour
    assert_shown(
        "J per token at 30 %",
        r.energy.facility_j_per_token_at_utilisation,
        "0.8237",
    );
    // 0.8237 J × 1e6 / 3.6e6 J/kWh × 380 g/kWh
    assert_shown(
        "g CO2e per M tokens at 30 %",
        r.energy.g_co2_per_m_tokens_at_utilisation,
        "86.94",
    );
}

#[test]
fn the_utilisation_chart_passes_through_the_worked_figures() {
    let sweep = utilisation_sweep(&worked().evaluated().unwrap());
    let at = |u: f64| {
        *sweep
            .iter()
            .find(|p| (p.utilisation - u).abs() < 1e-9)
            .expect("a point at u")
    };
    // Owned at 30 %: 20.6870 / 21.6; rented: 23.52 / 21.6.
    assert_shown("owned at 30 %", at(0.3).on_prem_usd_per_m_output, "0.9577");
    assert_shown("rented at 30 %", at(0.3).cloud_usd_per_m_output, "1.0889");
    // At 100 %: 21.1328 / 72 and 23.52 / 72.
    assert_shown("owned at 100 %", at(1.0).on_prem_usd_per_m_output, "0.2935");
    assert_shown("rented at 100 %", at(1.0).cloud_usd_per_m_output, "0.3267");
    // At 10 % the server draws 2.0 + 5.1 × 0.1 = 2.51 kW: energy 2.51 × 1.4 ×
    // 0.0892 = 0.31344 on top of 20.24617 fixed, over 7.2 M tokens.
    assert_shown("owned at 10 %", at(0.1).on_prem_usd_per_m_output, "2.8555");
}
