//! The article's worked examples, reproduced exactly.

use approx::assert_relative_eq;
use tokenfab_core::Scenario;

/// Relative tolerance for figures the article states to four significant digits.
const FOUR_DIGITS: f64 = 5e-4;
/// Relative tolerance for figures that follow exactly from the inputs.
const EXACT: f64 = 1e-12;

fn seed_energy() -> Scenario {
    Scenario::from_json(include_str!("../../tests/scenarios/seed-energy.json"))
        .expect("the seed scenario file is valid")
}

#[test]
fn customer_service_bot_makes_three_tokens_per_joule() {
    let report = seed_energy().evaluate().unwrap();
    assert_relative_eq!(report.tokens_per_joule, 3.0, max_relative = EXACT);
}

#[test]
fn customer_service_bot_makes_10_8_million_tokens_per_kwh() {
    let report = seed_energy().evaluate().unwrap();
    assert_relative_eq!(report.tokens_per_kwh, 10_800_000.0, max_relative = EXACT);
}

#[test]
fn energy_per_token_at_17_cents_per_kwh_is_1_574e_minus_8_dollars() {
    let report = seed_energy().evaluate().unwrap();
    assert_relative_eq!(
        report.energy_usd_per_token,
        1.574e-8,
        max_relative = FOUR_DIGITS
    );
}

#[test]
fn ten_thousand_requests_an_hour_are_1080_tokens_and_a_tenth_of_a_wh_each() {
    let per_request = seed_energy().evaluate().unwrap().per_request.unwrap();
    assert_relative_eq!(
        per_request.tokens_per_request,
        1_080.0,
        max_relative = EXACT
    );
    assert_relative_eq!(per_request.joules_per_request, 360.0, max_relative = EXACT);
    assert_relative_eq!(per_request.wh_per_request, 0.1, max_relative = EXACT);
}

#[test]
fn tokens_per_joule_does_not_depend_on_prices() {
    let base = seed_energy();
    let mut dear = base.clone();
    dear.pricing.usd_per_kwh *= 7.0;
    dear.pricing.usd_per_gpu_hour *= 3.0;
    let (a, b) = (base.evaluate().unwrap(), dear.evaluate().unwrap());
    assert_eq!(a.tokens_per_joule, b.tokens_per_joule);
    assert_relative_eq!(
        b.energy_usd_per_token,
        7.0 * a.energy_usd_per_token,
        max_relative = EXACT
    );
}

#[test]
fn doubling_the_gpu_count_at_the_same_throughput_halves_tokens_per_dollar() {
    let base = seed_energy();
    let mut doubled = base.clone();
    doubled.hardware.gpus *= 2;
    let (a, b) = (base.evaluate().unwrap(), doubled.evaluate().unwrap());
    assert_relative_eq!(
        b.tokens_per_usd,
        a.tokens_per_usd / 2.0,
        max_relative = EXACT
    );
    assert_relative_eq!(
        b.usd_per_million_tokens,
        2.0 * a.usd_per_million_tokens,
        max_relative = EXACT
    );
}

#[test]
fn two_dollars_an_hour_for_3000_tokens_a_second_buys_5_4_million_tokens_per_dollar() {
    // 3,000 tokens/s x 3,600 s = 10.8 M tokens for $2.00.
    let report = seed_energy().evaluate().unwrap();
    assert_relative_eq!(report.tokens_per_usd, 5_400_000.0, max_relative = EXACT);
    assert_relative_eq!(
        report.usd_per_million_tokens,
        1.0 / 5.4,
        max_relative = EXACT
    );
}

fn seed_response() -> Scenario {
    Scenario::from_json(include_str!(
        "../../tests/scenarios/seed-meaningful-response.json"
    ))
    .expect("the seed scenario file is valid")
}

#[test]
fn a_meaningful_response_costs_2_73_cents_term_by_term() {
    // 150 tokens (100 reasoning + 50 output) x 1.2 attempts x $0.00015,
    // plus 150 guardrail tokens x $0.000002. The article prints $0.0314,
    // which its own inputs and formula do not give.
    let per_response = seed_response().evaluate().unwrap().per_response.unwrap();
    assert_relative_eq!(
        per_response.cost_usd.generated,
        0.0270,
        max_relative = EXACT
    );
    assert_relative_eq!(per_response.cost_usd.pre_post, 0.0003, max_relative = EXACT);
    assert_relative_eq!(
        per_response.cost_per_response_usd,
        0.0273,
        max_relative = EXACT
    );
}

#[test]
fn a_meaningful_response_at_three_tokens_per_joule_takes_60_joules() {
    // 150 x 1.2 = 180 generated tokens at 3 tokens/J.
    let per_response = seed_response().evaluate().unwrap().per_response.unwrap();
    assert_relative_eq!(per_response.joules_per_response, 60.0, max_relative = EXACT);
    assert_eq!(per_response.g_co2_per_response, None);
}

#[test]
fn without_a_given_token_price_a_response_is_charged_the_rental_cost_per_token() {
    let mut s = seed_response();
    if let Some(r) = s.response.as_mut() {
        r.usd_per_generated_token = None;
    }
    let report = s.evaluate().unwrap();
    let per_response = report.per_response.unwrap();
    assert_relative_eq!(
        per_response.cost_usd.generated,
        180.0 / report.tokens_per_usd,
        max_relative = EXACT
    );
}
