//! The article's worked examples, reproduced exactly through the planner's
//! one live path: the measured-level files (schema version 1) are read,
//! migrated to deployments and evaluated like any other.

use approx::assert_relative_eq;
use tokenfab_core::deployment::{Deployment, DeploymentReport};
use tokenfab_core::migrate;

/// Relative tolerance for figures the article states to four significant digits.
const FOUR_DIGITS: f64 = 5e-4;
/// Relative tolerance for figures that follow exactly from the inputs.
const EXACT: f64 = 1e-12;

fn seed_energy() -> Deployment {
    migrate::read_any(include_str!("../../tests/scenarios/seed-energy.json"))
        .expect("the seed scenario file is valid")
}

fn report(d: &Deployment) -> DeploymentReport {
    d.evaluate().expect("the seed scenario evaluates")
}

#[test]
fn customer_service_bot_makes_three_tokens_per_joule() {
    assert_relative_eq!(
        report(&seed_energy()).energy.tokens_per_joule,
        3.0,
        max_relative = EXACT
    );
}

#[test]
fn customer_service_bot_makes_10_8_million_tokens_per_kwh() {
    let r = report(&seed_energy());
    assert_relative_eq!(r.energy.tokens_per_kwh, 10_800_000.0, max_relative = EXACT);
}

#[test]
fn energy_per_token_at_17_cents_per_kwh_is_1_574e_minus_8_dollars() {
    let r = report(&seed_energy());
    assert_relative_eq!(
        r.energy.energy_usd_per_token,
        1.574e-8,
        max_relative = FOUR_DIGITS
    );
}

#[test]
fn ten_thousand_requests_an_hour_are_1080_tokens_and_a_tenth_of_a_wh_each() {
    let d = seed_energy();
    assert_relative_eq!(d.use_case.output_tokens, 1_080.0, max_relative = EXACT);
    let per_response = report(&d).per_response;
    assert_relative_eq!(
        per_response.joules_per_response,
        360.0,
        max_relative = EXACT
    );
    assert_relative_eq!(per_response.wh_per_response, 0.1, max_relative = EXACT);
}

#[test]
fn tokens_per_joule_does_not_depend_on_prices() {
    let base = seed_energy();
    let mut dear = base.clone();
    dear.pricing.usd_per_kwh *= 7.0;
    dear.pricing.usd_per_gpu_hour *= 3.0;
    let (a, b) = (report(&base), report(&dear));
    assert_eq!(a.energy.tokens_per_joule, b.energy.tokens_per_joule);
    assert_relative_eq!(
        b.energy.energy_usd_per_token,
        7.0 * a.energy.energy_usd_per_token,
        max_relative = EXACT
    );
}

#[test]
fn doubling_the_gpu_count_at_the_same_throughput_halves_tokens_per_dollar() {
    let base = seed_energy();
    let mut doubled = base.clone();
    doubled.hardware.gpus_per_replica *= 2;
    let (a, b) = (report(&base), report(&doubled));
    assert_relative_eq!(
        b.costs.tokens_per_usd,
        a.costs.tokens_per_usd / 2.0,
        max_relative = EXACT
    );
    assert_relative_eq!(
        b.costs.at_utilisation.usd_per_m_output,
        2.0 * a.costs.at_utilisation.usd_per_m_output,
        max_relative = EXACT
    );
}

#[test]
fn two_dollars_an_hour_for_3000_tokens_a_second_buys_5_4_million_tokens_per_dollar() {
    // 3,000 tokens/s x 3,600 s = 10.8 M tokens for $2.00.
    let r = report(&seed_energy());
    assert_relative_eq!(r.costs.tokens_per_usd, 5_400_000.0, max_relative = EXACT);
    assert_relative_eq!(
        r.costs.at_utilisation.usd_per_m_output,
        1.0 / 5.4,
        max_relative = EXACT
    );
}

fn seed_response() -> Deployment {
    migrate::read_any(include_str!(
        "../../tests/scenarios/seed-meaningful-response.json"
    ))
    .expect("the seed scenario file is valid")
}

#[test]
fn a_meaningful_response_at_three_tokens_per_joule_takes_60_joules() {
    // 150 x 1.2 = 180 generated tokens at 3 tokens/J (the article's
    // $0.0273 at its stated token price is checked in the response module).
    let per_response = report(&seed_response()).per_response;
    assert_relative_eq!(per_response.joules_per_response, 60.0, max_relative = EXACT);
}

#[test]
fn a_response_is_charged_the_rental_cost_per_token_and_the_guardrails_their_price() {
    let r = report(&seed_response());
    let per_response = r.per_response;
    assert_relative_eq!(
        per_response.cost_usd.generated,
        180.0 / r.costs.tokens_per_usd,
        max_relative = 1e-9
    );
    assert_relative_eq!(
        per_response.cost_usd.pre_post,
        150.0 * 2e-6,
        max_relative = EXACT
    );
}
