//! POST /api/v1/calibrate: files sent as text, fitted and charted.

use http::StatusCode;
use serde_json::json;
use tokenfab_core::deployment::Deployment;

use crate::support::TestApp;

const BENCH: &str = include_str!("../../../core/tests/fixtures/bench/vllm-serve.json");
const POWER: &str = include_str!("../../../core/tests/fixtures/power/nvidia-smi-2gpu-units.csv");
const AROUND_A_RUN: &str =
    include_str!("../../../core/tests/fixtures/power/nvidia-smi-around-a-run.csv");
const MALFORMED: &str = include_str!("../../../core/tests/fixtures/power/malformed.csv");

#[tokio::test]
async fn a_benchmark_and_power_log_are_fitted_with_the_trace_charted() {
    let app = TestApp::new().await;
    let body = json!({
        "scenario": Deployment::example(),
        "bench": BENCH,
        "power_log": POWER,
        "window": { "from_s": 1.0 },
    });
    let response = app.post_json("/api/v1/calibrate", body.to_string()).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let answer = response.json();
    let rows = answer["calibration"]["comparisons"].as_array().unwrap();
    let throughput = &rows[0];
    assert_eq!(throughput["measured"], 1500.0);
    let after = throughput["modeled_after"].as_f64().unwrap();
    assert!((after / 1500.0 - 1.0).abs() < 1e-3);
    // The prefill factor brings the median TTFT to the measured 150.2 ms.
    let ttft = rows
        .iter()
        .find(|r| {
            r["figure"]
                .as_str()
                .unwrap()
                .starts_with("time to first token")
        })
        .unwrap();
    assert!((ttft["modeled_after"].as_f64().unwrap() / 150.2 - 1.0).abs() < 1e-3);
    assert!(answer["calibration"]["prefill_factor"].as_f64().unwrap() > 0.0);
    // The window from 1 s leaves 1020, 1220, 1200 and 410 W: a mean of
    // 962.5 W, 0.642 J for each of the 1,500 tokens a second.
    assert_eq!(answer["power"]["samples"], 4);
    let observed = &answer["calibration"]["observed"]["power"];
    assert_eq!(observed["mean_w"], 962.5);
    let joules = observed["joules_per_output_token"].as_f64().unwrap();
    assert!((joules - 962.5 / 1500.0).abs() < 1e-9);
    let svg = answer["power_chart_svg"].as_str().unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("P90 in the window"));
    // The planner shows the server's account of the fit: the factors, a
    // row per figure measured against modeled, and the notes.
    let html = answer["outcome_html"].as_str().unwrap();
    assert!(
        html.contains("id=\"calibration-factors\">Speed \u{d7}"),
        "{html}"
    );
    assert_eq!(
        html.matches("<tr><th scope=\"row\">").count(),
        rows.len(),
        "{html}"
    );
    assert!(
        html.contains("Power of the log's 2 GPUs: mean 962.5 W"),
        "{html}"
    );
}

#[tokio::test]
async fn without_a_window_the_log_is_read_over_the_benchmarks_run_and_charted_so() {
    let app = TestApp::new().await;
    let body =
        json!({ "scenario": Deployment::example(), "bench": BENCH, "power_log": AROUND_A_RUN });
    let response = app.post_json("/api/v1/calibrate", body.to_string()).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let answer = response.json();
    // Idle at 80 W a GPU outside the run, 1,200 W for both inside it.
    assert_eq!(answer["power"]["window"]["source"], "benchmark_run");
    assert_eq!(answer["power"]["mean_w"], 1200.0);
    let svg = answer["power_chart_svg"].as_str().unwrap();
    assert!(svg.contains("s (the benchmark"), "{svg}");
}

#[tokio::test]
async fn a_file_that_does_not_read_is_named_with_its_line() {
    let app = TestApp::new().await;
    let body = json!({ "scenario": Deployment::example(), "bench": BENCH, "power_log": MALFORMED });
    let response = app.post_json("/api/v1/calibrate", body.to_string()).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = response.json();
    assert_eq!(problem["field"], "power_log");
    assert!(problem["detail"].as_str().unwrap().contains("line 3"));
    let body = json!({ "scenario": Deployment::example(), "bench": "{\"duration\": 1}" });
    let response = app.post_json("/api/v1/calibrate", body.to_string()).await;
    assert_eq!(response.json()["field"], "bench");
}

#[tokio::test]
async fn logs_past_the_api_limit_but_within_the_routes_are_read() {
    let app = TestApp::new().await;
    // About 1 MB of log: past the 64 KiB the rest of the API takes.
    let mut log = String::from("timestamp, index, power.draw [W]\n");
    for tick in 0..20_000 {
        log.push_str(&format!(
            "{}.{:03}, 0, 600.00 W\n",
            1_714_564_800 + tick / 10,
            (tick % 10) * 100
        ));
    }
    assert!(log.len() > 512 * 1024);
    let body = json!({ "scenario": Deployment::example(), "bench": BENCH, "power_log": log });
    let response = app.post_json("/api/v1/calibrate", body.to_string()).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    // Past its own 16 MiB: refused.
    let huge = format!("{{\"bench\": \"{}\"}}", "x".repeat(17 * 1024 * 1024));
    let response = app.post_json("/api/v1/calibrate", huge).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
}
