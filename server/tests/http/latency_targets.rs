//! Latency targets at the 99th percentile over the API: the answer carries
//! both statistics, a saved scenario keeps the choice, and a statistic the
//! planner does not know is refused naming the field.

use http::StatusCode;
use serde_json::{Value, json};
use tokenfab_core::deployment::Deployment;

use crate::support::TestApp;

/// The built-in example with its first-token target between the mean and
/// the P99 it gives, at the statistic `at`.
fn example_at(at: &str, ttft_target_ms: f64) -> Value {
    let mut d = serde_json::to_value(Deployment::example()).unwrap();
    d["use_case"]["ttft_target_ms"] = json!(ttft_target_ms);
    d["use_case"]["tpot_target_ms"] = json!(1_000.0);
    d["use_case"]["requests_per_day"] = json!(100_000_000.0);
    d["use_case"]["latency_targets_at"] = json!(at);
    d
}

async fn evaluate(app: &TestApp, deployment: &Value) -> Value {
    let response = app
        .post_json("/api/v1/evaluate", deployment.to_string())
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()["report"].clone()
}

#[tokio::test]
async fn a_p99_target_sizes_a_larger_fleet_than_the_same_mean_target() {
    let app = TestApp::new().await;
    let loose = evaluate(&app, &example_at("mean", 60_000.0)).await;
    let (mean, p99) = (
        loose["performance"]["ttft_ms"].as_f64().unwrap(),
        loose["performance"]["ttft_p99_ms"].as_f64().unwrap(),
    );
    assert!(p99 > mean, "P99 {p99} ms, mean {mean} ms");
    let target = (mean + p99) / 2.0;
    let at_mean = evaluate(&app, &example_at("mean", target)).await;
    let at_p99 = evaluate(&app, &example_at("p99", target)).await;
    assert_eq!(at_p99["performance"]["latency_targets_at"], "p99");
    assert_eq!(at_p99["performance"]["meets_latency_targets"], true);
    assert!(at_p99["performance"]["ttft_p99_ms"].as_f64().unwrap() <= target);
    let gpus = |r: &Value| r["fleet"]["gpus"].as_u64().unwrap();
    assert!(
        gpus(&at_p99) > gpus(&at_mean),
        "{} GPUs for the P99, {} for the mean",
        gpus(&at_p99),
        gpus(&at_mean)
    );
}

#[tokio::test]
async fn a_saved_scenario_keeps_its_targets_statistic() {
    let app = TestApp::new().await;
    let body = json!({ "name": "P99 chat", "scenario": example_at("p99", 200.0) });
    let saved = app.post_json("/api/v1/scenarios", body.to_string()).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    let id = saved.json()["id"].as_str().unwrap().to_owned();
    let back = app.get(&format!("/api/v1/scenarios/{id}")).await.json();
    assert_eq!(back["scenario"]["use_case"]["latency_targets_at"], "p99");
    // An older save, without the field, reads as targets at the mean.
    let mut older = example_at("mean", 200.0);
    older["use_case"]
        .as_object_mut()
        .unwrap()
        .remove("latency_targets_at");
    let report = evaluate(&app, &older).await;
    assert_eq!(report["performance"]["latency_targets_at"], "mean");
}

#[tokio::test]
async fn an_unknown_statistic_is_refused_naming_the_field() {
    let app = TestApp::new().await;
    let response = app
        .post_json("/api/v1/evaluate", example_at("p95", 200.0).to_string())
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    assert!(
        response.body.contains("use_case.latency_targets_at"),
        "{}",
        response.body
    );
}
