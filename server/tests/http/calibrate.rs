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

/// A part of a multipart form: its name, a file name if it is a file, its content.
type Part<'a> = (&'a str, Option<&'a str>, &'a str);

/// A multipart form body with `parts`: its content type and text.
fn multipart(parts: &[Part]) -> (String, String) {
    let boundary = "----tokenfab-test-boundary";
    let mut body = String::new();
    for (name, file, content) in parts {
        body.push_str(&format!("--{boundary}\r\n"));
        match file {
            Some(file) => body.push_str(&format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )),
            None => body.push_str(&format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")),
        }
        body.push_str(content);
        body.push_str("\r\n");
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts the calibration page's form.
async fn post_page(
    app: &TestApp,
    parts: &[(&str, Option<&str>, &str)],
) -> crate::support::TextResponse {
    let (content_type, body) = multipart(parts);
    app.send(
        http::Request::post("/calibrate")
            .header(http::header::CONTENT_TYPE, content_type)
            .body(axum::body::Body::from(body))
            .unwrap(),
    )
    .await
}

/// The deployment a link on the page opens the planner with.
fn linked_deployment(page: &str, id: &str) -> Deployment {
    let marker = format!("id=\"{id}\" href=\"/?scenario=");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no link {id}")) + marker.len();
    let end = start + page[start..].find('"').unwrap();
    let json = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        &page[start..end],
    )
    .unwrap();
    serde_json::from_slice(&json).unwrap()
}

#[tokio::test]
async fn the_calibration_page_fits_uploaded_files_and_links_the_fit_to_the_planner() {
    let app = TestApp::new().await;
    let scenario = search_page::encode_deployment(&Deployment::example());
    let page = app.get(&format!("/calibrate?scenario={scenario}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    assert!(
        page.body
            .contains("<script src=\"/calibrate.js\"></script>")
    );

    let fitted = post_page(
        &app,
        &[
            ("scenario", None, &scenario),
            ("bench_file", Some("run.json"), BENCH),
            ("power_file", Some("gpus.csv"), POWER),
            ("from", None, "1"),
            ("scope", None, "gpu"),
            ("statistic", None, "p90"),
        ],
    )
    .await;
    assert_eq!(fitted.status, StatusCode::OK, "{}", fitted.body);
    assert!(fitted.body.contains("id=\"calibration-table\""));
    assert!(fitted.body.contains("src=\"data:image/svg+xml;base64,"));
    // The fitted link is the API's fit of the same request, exactly.
    let api = app
        .post_json(
            "/api/v1/calibrate",
            json!({ "scenario": Deployment::example(), "bench": BENCH, "power_log": POWER, "window": { "from_s": 1.0 } })
                .to_string(),
        )
        .await
        .json();
    let expected: Deployment =
        serde_json::from_value(api["calibration"]["fitted"].clone()).unwrap();
    assert_eq!(
        linked_deployment(&fitted.body, "apply-calibration"),
        expected
    );
    // A file saved with a byte-order mark reads as the browser reads it.
    let with_mark = format!("\u{feff}{BENCH}");
    let marked = post_page(
        &app,
        &[
            ("scenario", None, &scenario),
            ("bench_file", Some("run.json"), &with_mark),
        ],
    )
    .await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.body);
    let measured = linked_deployment(&fitted.body, "apply-measured");
    assert_eq!(
        measured.measured.and_then(|m| m.output_tokens_per_s),
        api["calibration"]["measured"]["output_tokens_per_s"].as_f64()
    );
}

#[tokio::test]
async fn the_calibration_page_names_what_is_wrong_and_keeps_the_form() {
    let app = TestApp::new().await;
    let scenario = search_page::encode_deployment(&Deployment::example());
    let cases: [(&[Part], StatusCode, &str); 5] = [
        (
            &[("scenario", None, &scenario)],
            StatusCode::UNPROCESSABLE_ENTITY,
            "bench: choose",
        ),
        (
            &[
                ("scenario", None, &scenario),
                ("bench_text", None, BENCH),
                ("from", None, "soon"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "from: &quot;soon&quot;",
        ),
        (
            &[
                ("scenario", None, &scenario),
                ("bench_text", None, BENCH),
                ("power_text", None, MALFORMED),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "power_log:",
        ),
        (
            &[
                ("scenario", None, "not base64!"),
                ("bench_text", None, BENCH),
            ],
            StatusCode::BAD_REQUEST,
            "scenario",
        ),
        (
            &[
                ("scenario", None, &scenario),
                ("bench_text", None, BENCH),
                ("scope", None, "moon"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "scope: no choice",
        ),
    ];
    for (parts, status, said) in cases {
        let page = post_page(&app, parts).await;
        assert_eq!(page.status, status, "{said}: {}", page.body);
        assert!(page.body.contains("id=\"calibrate-error\""), "{said}");
        assert!(page.body.contains(said), "{said}: {}", page.body);
        // Pasted text comes back in its box.
        if parts.iter().any(|p| p.0 == "bench_text") {
            assert!(page.body.contains("id=\"bench-text\""));
            assert!(page.body.contains("&quot;backend&quot;") || page.body.contains("\"backend\""));
        }
    }
    // Not a multipart body at all.
    let garbled = app
        .send(
            http::Request::post("/calibrate")
                .header(http::header::CONTENT_TYPE, "text/plain")
                .body(axum::body::Body::from("hello"))
                .unwrap(),
        )
        .await;
    assert_eq!(garbled.status, StatusCode::BAD_REQUEST);
    // Over the limit: 413, said on the page.
    let huge = "x".repeat(17 * 1024 * 1024);
    let (content_type, body) =
        multipart(&[("scenario", None, &scenario), ("bench_text", None, &huge)]);
    let too_large = app
        .send(
            http::Request::post("/calibrate")
                .header(http::header::CONTENT_TYPE, content_type)
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
}
