//! An owned server whose every economic figure can be worked out on paper,
//! checked through POST /api/v1/evaluate against those hand-derived numbers.

use http::StatusCode;
use serde_json::{Value, json};

use crate::figures::Audit;
use crate::support::TestApp;

/// `tests/scenarios/owned-server-worked.json`.
pub const OWNED_SERVER: &str = include_str!("../../../tests/scenarios/owned-server-worked.json");

pub fn owned_server() -> Value {
    serde_json::from_str(OWNED_SERVER).unwrap()
}

/// Relative tolerance for figures worked out to six or seven significant
/// figures.
const HAND: f64 = 2e-6;

/// The figures of `owned-server-worked.json` worked out by hand, as JSON
/// pointers into the report with their values. Conventions: 8,760 hours a
/// year, 730 a month; the capital recovery factor
/// CRF = r(1+r)^n / ((1+r)^n − 1).
///
/// The deployment: one server of 8 accelerators (700 W at most, 62.5 W
/// idle) with a 1,500 W host, measured serving 20,000 output tokens/s at
/// 7,100 W at the server; bought for $300,000 over 4 years at 8 % cost of
/// capital, maintenance 8 % of the price a year, hosting $150 per kW-month,
/// staff $50,000 a year; electricity $0.0892/kWh at PUE 1.4 on a
/// 380 g CO2/kWh grid; $2.94 per GPU-hour to rent instead. Each response is
/// 1,000 generated tokens with no prompt, one attempt, no pre/post tokens;
/// 518,400 responses a day.
///
/// - Demand: 518,400 / 86,400 s = 6 responses/s; one server serves
///   20,000 / 1,000 = 20 a second, so one replica at utilisation 6/20 = 0.30.
/// - Power: the 7,100 W at load less the 1,500 W host is 700 W per
///   accelerator. Idle, the server draws 8 × 62.5 + 1,500 = 2,000 W; on
///   average 2,000 + (7,100 − 2,000) × 0.3 = 3,530 W (accelerators 2,030 W),
///   4,942 W at the facility (× 1.4).
/// - Capital: 1.08^4 = 1.3604890, CRF = 0.08 × 1.3604890 / 0.3604890 =
///   0.3019208; 300,000 × 0.3019208 = 90,576.24 a year = 10.339754 an hour.
/// - Maintenance: 0.08 × 300,000 = 24,000 a year = 2.739726 an hour.
/// - Hosting: provisioned 8 × 700 + 1,500 = 7.1 kW; 150 × 7.1 = 1,065 a
///   month = 1.458904 an hour.
/// - Staff: 50,000 / 8,760 = 5.707763 an hour.
/// - Electricity: 3.53 kW × 1.4 × 0.0892 = 0.4408264 an hour.
/// - Owned total: 20.686973 an hour = 2.585872 per GPU-hour; × 730 =
///   15,101.49 a month, of which 70 % (idle) is 10,571.04.
/// - Tokens served an hour: 20,000 × 3,600 × 0.3 = 21.6 M, so
///   20.686973 / 21.6 = $0.957730 per million output tokens, and
///   21.6 M / 20.686973 = 1,044,135 tokens per dollar.
/// - At full load the same server draws 7.1 kW: electricity
///   7.1 × 1.4 × 0.0892 = 0.886648, total 21.132794 an hour over
///   72 M tokens = $0.2935110 per million.
/// - Renting: 8 × 2.94 = 23.52 an hour. Running costs (all but capital)
///   20.686973 − 10.339754 = 10.347219 an hour, so owning saves
///   (23.52 − 10.347219) × 730 = 9,616.130 a month and the purchase is
///   repaid in cash after 300,000 / 9,616.130 = 31.1976 months.
///   Discounted at 8 % a year, i = 1.08^(1/12) − 1 = 0.00643403 a month:
///   m = −ln(1 − 300,000 × 0.00643403 / 9,616.130) / ln(1.00643403) =
///   34.9348 months.
/// - Over the 4 years (35,040 hours): owning 300,000 + 10.347219 × 35,040 =
///   662,566.6; renting 23.52 × 35,040 = 824,140.8.
/// - Energy: 20,000 / 7,100 = 2.816901 tokens/J, × 3.6 M J/kWh =
///   10,140,845 tokens/kWh; electricity per token 0.0892 × 1.4 / 10,140,845 =
///   1.231456e-8; facility joules per token at load 7,100 × 1.4 / 20,000 =
///   0.497, at the expected utilisation 4,942 / 6,000 = 0.8236667, which at
///   380 g/kWh is 0.8236667 × 10^6 / 3.6 × 10^6 × 380 = 86.94259 g per
///   million tokens.
/// - Energy per generated token at each scope (no prompts, so all of it):
///   at load 5,600 W of accelerators / 20,000 = 0.28 J, 7,100 / 20,000 =
///   0.355 J at the server, 0.497 J at the facility; at the expected
///   utilisation 2,030 / 6,000 = 0.3383333 J, 3,530 / 6,000 = 0.5883333 J,
///   0.8236667 J.
/// - Per response, like its cost, at the expected utilisation: 1,000 ×
///   $0.957730 / 10^6 = $0.000957730; 1,000 × 0.8236667 = 823.6667 J =
///   0.2287963 Wh; 823.6667 / 3.6 × 10^6 × 380 = 0.08694259 g CO2. With
///   every accelerator busy, 1,000 × 0.497 = 497 J = 0.1380556 Wh.
pub const HAND_FIGURES: [(&str, f64); 53] = [
    ("/fleet/replicas", 1.0),
    ("/fleet/gpus", 8.0),
    ("/fleet/average_requests_per_s", 6.0),
    ("/fleet/capacity_requests_per_s", 20.0),
    ("/fleet/utilisation", 0.3),
    ("/performance/output_tokens_per_s_per_replica", 20_000.0),
    ("/performance/output_tokens_per_s_per_gpu", 2_500.0),
    ("/performance/input_tokens_per_s_per_replica", 0.0),
    ("/power/watts_per_gpu_at_load", 700.0),
    ("/power/gpu_watts", 2_030.0),
    ("/power/server_watts", 3_530.0),
    ("/power/facility_watts", 4_942.0),
    ("/costs/on_prem_hourly/capital_usd_per_hour", 10.339754),
    ("/costs/on_prem_hourly/maintenance_usd_per_hour", 2.739726),
    ("/costs/on_prem_hourly/hosting_usd_per_hour", 1.458904),
    ("/costs/on_prem_hourly/staff_usd_per_hour", 5.707763),
    ("/costs/on_prem_hourly/energy_usd_per_hour", 0.4408264),
    ("/costs/fleet_usd_per_hour", 20.686973),
    ("/costs/usd_per_gpu_hour", 2.585872),
    ("/costs/on_prem_usd_per_gpu_hour", 2.585872),
    ("/costs/cloud_usd_per_gpu_hour", 2.94),
    ("/costs/fleet_usd_per_month", 15_101.49),
    ("/costs/idle_usd_per_month", 10_571.04),
    ("/costs/at_utilisation/usd_per_m_output", 0.957730),
    ("/costs/at_utilisation/usd_per_m_input", 0.0),
    ("/costs/tokens_per_usd", 1_044_135.0),
    ("/costs/break_even_month", 31.1976),
    ("/costs/on_prem_total_usd", 662_566.6),
    ("/costs/cloud_total_usd", 824_140.8),
    ("/energy/tokens_per_joule", 2.816901),
    ("/energy/tokens_per_kwh", 10_140_845.0),
    ("/energy/energy_usd_per_token", 1.231456e-8),
    ("/per_response/cost_usd/generated", 0.000957730),
    ("/per_response/cost_usd/input", 0.0),
    ("/per_response/cost_usd/pre_post", 0.0),
    ("/per_response/cost_per_response_usd", 0.000957730),
    ("/per_response/joules_per_response", 823.6667),
    ("/per_response/wh_per_response", 0.2287963),
    ("/per_response/g_co2_per_response", 0.08694259),
    ("/energy/at_load/gpu/j_per_output_token", 0.28),
    ("/energy/at_load/server/j_per_output_token", 0.355),
    ("/energy/at_load/facility/j_per_output_token", 0.497),
    ("/energy/at_utilisation/gpu/j_per_output_token", 0.3383333),
    (
        "/energy/at_utilisation/server/j_per_output_token",
        0.5883333,
    ),
    (
        "/energy/at_utilisation/facility/j_per_output_token",
        0.8236667,
    ),
    ("/energy/wh_per_response_at_load", 0.1380556),
    ("/energy/wh_per_response_at_utilisation", 0.2287963),
    // Figures the economics core is gaining (see the list below).
    ("/costs/break_even_month_discounted", 34.9348),
    ("/costs/at_load/usd_per_m_output", 0.2935110),
    ("/costs/at_load/usd_per_m_input", 0.0),
    ("/energy/facility_j_per_token_at_load", 0.497),
    ("/energy/facility_j_per_token_at_utilisation", 0.8236667),
    ("/energy/g_co2_per_m_tokens_at_utilisation", 86.94259),
];

/// The headline figures of the same deployment, by hand as above.
pub const HAND_HEADLINE: [(&str, f64); 10] = [
    ("/cost_per_response_usd", 0.000957730),
    ("/usd_per_m_input", 0.0),
    ("/usd_per_m_output", 0.957730),
    ("/tokens_per_usd", 1_044_135.0),
    ("/tokens_per_joule", 2.816901),
    ("/tokens_per_kwh", 10_140_845.0),
    ("/wh_per_response", 0.2287963),
    ("/fleet_gpus", 8.0),
    ("/utilisation", 0.3),
    ("/fleet_usd_per_month", 15_101.49),
];

/// Checks `report` against [`HAND_FIGURES`], naming every figure that is off.
pub fn audit_report(report: &Value, audit: &mut Audit) {
    for (pointer, expected) in HAND_FIGURES {
        audit.figure(report, pointer, expected, HAND);
    }
    audit.exactly(report, "/performance/origin", &json!("measured"));
    audit.exactly(report, "/power/origin", &json!("measured"));
}

/// Checks `headline` against [`HAND_HEADLINE`].
pub fn audit_headline(headline: &Value, audit: &mut Audit) {
    for (pointer, expected) in HAND_HEADLINE {
        audit.figure(headline, pointer, expected, HAND);
    }
}

#[tokio::test]
async fn an_owned_server_evaluates_to_its_hand_derived_figures() {
    let app = TestApp::new().await;
    let response = app
        .post_json("/api/v1/evaluate", owned_server().to_string())
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let answer = response.json();
    let mut audit = Audit::default();
    audit_report(&answer["report"], &mut audit);
    audit_headline(&answer["headline"], &mut audit);

    // The hosted API's price for the same 1,000 generated tokens, from the
    // price catalogue the server publishes.
    let prices = app.get("/api/v1/catalogue/prices").await.json();
    let hosted = prices["hosted_api"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["model_id"] == "llama-3.1-70b-instruct");
    match hosted {
        Some(price) => {
            let per_m = price["usd_per_m_output"].as_f64().unwrap();
            audit.figure(
                &answer,
                "/report/costs/hosted_api/cost_per_response_usd",
                1_000.0 * per_m / 1e6,
                1e-9,
            );
        }
        None => audit.exactly(&answer, "/report/costs/hosted_api", &Value::Null),
    }
    audit.finish("owned-server-worked.json through /api/v1/evaluate");
}

#[tokio::test]
async fn renting_the_same_server_costs_its_rent_and_nothing_else() {
    // Rented: 8 × $2.94 = $23.52 an hour whatever the power, so
    // 23.52 / 21.6 M tokens = $1.088889 per million at 30 % utilisation,
    // 23.52 / 72 M = $0.3266667 at load, and 23.52 × 730 = $17,169.60 a
    // month. The break-even is the owned server's, 31.1976 months.
    let app = TestApp::new().await;
    let mut rented = owned_server();
    rented["pricing"]["mode"] = json!("cloud");
    let response = app.post_json("/api/v1/evaluate", rented.to_string()).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let report = &response.json()["report"];
    let mut audit = Audit::default();
    for (pointer, expected) in [
        ("/costs/fleet_usd_per_hour", 23.52),
        ("/costs/usd_per_gpu_hour", 2.94),
        ("/costs/fleet_usd_per_month", 17_169.6),
        ("/costs/idle_usd_per_month", 17_169.6 * 0.7),
        ("/costs/at_utilisation/usd_per_m_output", 1.088889),
        ("/costs/at_load/usd_per_m_output", 0.3266667),
        ("/costs/on_prem_usd_per_gpu_hour", 2.585872),
        ("/costs/break_even_month", 31.1976),
        ("/per_response/cost_per_response_usd", 0.001088889),
    ] {
        audit.figure(report, pointer, expected, HAND);
    }
    audit.finish("owned-server-worked.json rented");
}
