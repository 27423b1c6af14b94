//! `POST /api/v1/search` and `tokenfab search`: the same request gives the
//! same answer from either, as the API document describes it, and every bad
//! request names its field.

use std::process::Command;

use http::StatusCode;
use serde_json::{Value, json};

use crate::schema::Documented;
use crate::support::{TestApp, scenario_path, tokenfab_prints};

fn request_file() -> std::path::PathBuf {
    scenario_path("search-llama-70b-support-chat.json")
}

fn request() -> Value {
    serde_json::from_str(&std::fs::read_to_string(request_file()).unwrap()).unwrap()
}

#[tokio::test]
async fn the_api_and_the_command_line_give_the_same_answer_as_documented() {
    let app = TestApp::new().await;
    let documented = Documented::fetch(&app).await;
    let response = app.post_json("/api/v1/search", request().to_string()).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    documented.assert_answer("POST", "/api/v1/search", &response);
    let api = response.json();

    let file = request_file();
    let printed = tokenfab_prints(&[
        "search".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        file.as_ref(),
    ]);
    let cli: Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(api, cli);

    // The request's constraints hold for every candidate returned.
    let best = api["best"].as_array().unwrap();
    assert_eq!(best.len(), 5);
    for c in best {
        assert!(c["facility_kw_at_load"].as_f64().unwrap() <= 100.0);
        assert!(c["figures"]["fleet_gpus"].as_u64().unwrap() <= 64);
        assert_eq!(c["figures"]["meets_latency_targets"], true);
    }
    // The winner opens as a deployment the evaluate route agrees with.
    let evaluated = app
        .post_json("/api/v1/evaluate", best[0]["deployment"].to_string())
        .await;
    assert_eq!(evaluated.status, StatusCode::OK, "{}", evaluated.body);
    assert_eq!(evaluated.json()["headline"], best[0]["figures"]);
}

#[tokio::test]
async fn nothing_feasible_is_an_answer_naming_why() {
    let app = TestApp::new().await;
    let documented = Documented::fetch(&app).await;
    let mut body = request();
    body["constraints"]["power_budget_kw"] = json!(0.5);
    let response = app.post_json("/api/v1/search", body.to_string()).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    documented.assert_answer("POST", "/api/v1/search", &response);
    let answer = response.json();
    assert_eq!(answer["best"], json!([]));
    let why = answer["none_feasible"].as_str().unwrap();
    assert!(why.contains("over the power budget"), "{why}");
    assert!(answer["left_out"]["power_budget"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn bad_requests_are_problems_naming_the_field() {
    let app = TestApp::new().await;
    let edit = |path: &[&str], value: Value| {
        let mut body = request();
        let mut slot = &mut body;
        for key in &path[..path.len() - 1] {
            slot = &mut slot[*key];
        }
        slot[path[path.len() - 1]] = value;
        body.to_string()
    };
    for (body, status, field) in [
        (
            edit(&["space", "accelerators"], json!([])),
            422,
            "space.accelerators",
        ),
        (
            edit(&["space", "accelerators"], json!(["h100-sxm-80gb", "h900"])),
            422,
            "space.accelerators[1]",
        ),
        (
            edit(&["space", "gpus_per_replica"], json!([3, 9])),
            422,
            "space.gpus_per_replica[1]",
        ),
        (
            edit(&["constraints", "max_gpus"], json!(0)),
            422,
            "constraints.max_gpus",
        ),
        (
            edit(&["constraints", "power_budget_kw"], json!("lots")),
            422,
            "constraints.power_budget_kw",
        ),
        (edit(&["objective"], json!("fastest")), 422, "objective"),
        (
            edit(&["deployment", "pricing", "pue"], json!(0.2)),
            422,
            "deployment.pricing.pue",
        ),
        (edit(&["top"], json!(100_000)), 422, "top"),
        ("{\"deployment\": ".to_owned(), 400, ""),
    ] {
        let response = app.post_json("/api/v1/search", body).await;
        assert_eq!(
            response.status.as_u16(),
            status,
            "{field}: {}",
            response.body
        );
        assert_eq!(response.content_type, "application/problem+json");
        let problem = response.json();
        if !field.is_empty() {
            assert_eq!(problem["field"], field, "{}", response.body);
            assert!(
                problem["detail"].as_str().unwrap().contains(field),
                "{}",
                response.body
            );
        }
    }
}

#[test]
fn the_command_line_prints_the_winner_and_the_verdicts_for_people() {
    let file = request_file();
    let text = tokenfab_prints(&["search".as_ref(), file.as_ref()]);
    assert!(text.contains("meet every target and constraint"), "{text}");
    assert!(text.contains("\n  1. "), "{text}");
    assert!(text.contains("has the winner"), "{text}");

    let bad = Command::new(env!("CARGO_BIN_EXE_tokenfab"))
        .args(["search", "-"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(br#"{"deployment": {}, "space": {"stacks": []}}"#)?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let message = String::from_utf8(bad.stderr).unwrap();
    assert!(message.starts_with("error: -: deployment"), "{message}");
}

#[tokio::test]
async fn the_search_page_answers_its_query_without_script() {
    let app = TestApp::new().await;
    let page = app
        .get("/search?run=1&acc=h100-sxm-80gb&acc=mi300x&tp=2&tp=4&tp=8&pp=1&pp=2&w=fp8&kv=fp8&stack=vllm&stack=sglang&own=cloud&objective=monthly_cost&top=3")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    assert!(html.contains("id=\"search-best\""), "{html}");
    assert_eq!(html.matches("class=\"open-in-planner\"").count(), 3);
    assert!(html.contains("Ranked by monthly cost: its expected value over the ranges"));
    // Each listed candidate with its expected monthly cost, P10 to P90 and odds.
    assert_eq!(html.matches("class=\"candidate-range\"").count(), 3);
    assert!(html.contains("% of draws"));
    // The form shows the search it answered.
    assert!(html.contains("value=\"mi300x\" checked"));
    assert!(!html.contains("value=\"b200-sxm-180gb\" checked"));
    // Each candidate opens in the planner with its deployment.
    let link = html
        .split("href=\"/?scenario=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let planner = app.get(&format!("/?scenario={link}")).await;
    assert_eq!(planner.status, StatusCode::OK);
    assert!(planner.body.contains("MI300X") || planner.body.contains("H100"));

    // Ranked by the point figure, nothing is drawn.
    let point = app
        .get("/search?run=1&acc=h100-sxm-80gb&tp=4&pp=1&w=fp8&kv=fp8&stack=vllm&own=cloud&rank=point&top=2")
        .await;
    assert!(
        point.body.contains("as given (no ranges drawn)"),
        "{}",
        point.body
    );
    assert!(point.body.contains("<option value=\"point\" selected"));
    assert_eq!(point.body.matches(">not drawn<").count(), 2);

    // Its charts, from the same query.
    let query = "run=1&acc=h100-sxm-80gb&tp=4&pp=1&w=fp8&kv=fp8&stack=vllm&own=cloud";
    for chart in ["pareto-energy", "pareto-speed"] {
        let svg = app.get(&format!("/search/{chart}.svg?{query}")).await;
        assert_eq!(svg.status, StatusCode::OK, "{chart}: {}", svg.body);
        assert!(svg.content_type.starts_with("image/svg+xml"));
        assert!(svg.body.contains("Pareto front"));
    }
    assert_eq!(
        app.get(&format!("/search/nope.svg?{query}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_search_page_query_that_cannot_run_shows_why_with_the_form() {
    let app = TestApp::new().await;
    for (query, says) in [
        ("run=1&tp=4", "space.accelerators: give at least one choice"),
        ("tpot_ms=fast", "tpot_ms: &quot;fast&quot; is not a number"),
        (
            "rank=p50",
            "rank: &quot;p50&quot; is not expected, p90 or point",
        ),
        ("from=%25%25", "from: not a deployment"),
        (
            "tpot_ms=0.01",
            "No candidate meets every target and constraint",
        ),
    ] {
        let page = app.get(&format!("/search?{query}")).await;
        assert!(page.body.contains(says), "{query}: {}", page.body);
        assert!(page.body.contains("id=\"search-form\""), "{query}");
    }
    // A chart of a search with nothing feasible says why, not a 500.
    let chart = app.get("/search/pareto-energy.svg?tpot_ms=0.01").await;
    assert_eq!(chart.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(chart.body.contains("No candidate meets"));
}

/// Posts the search page's save form.
async fn save_search(app: &TestApp, name: &str, query: &str) -> crate::support::TextResponse {
    let body = format!(
        "name={}&query={}",
        form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>(),
        form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
    );
    app.send(
        http::Request::post("/search/save")
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(axum::body::Body::from(body))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_saved_search_runs_again_from_its_short_link() {
    let app = TestApp::new().await;
    let query = "run=1&acc=h100-sxm-80gb&acc=l40s-48gb&tp=1&tp=2&pp=1&w=fp8&kv=fp8&stack=vllm&own=cloud&tpot_ms=40";
    let saved = save_search(&app, "Support bot <Q3>", query).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let link = saved.headers[http::header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(link.starts_with("/search/s/"), "{link}");

    let page = app.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Saved search <strong>Support bot &lt;Q3&gt;</strong>")
    );
    // The saved search, not the default one: its answer and its form.
    let direct = app.get(&format!("/search?{query}")).await;
    let table = |html: &str| {
        html.split("<table class=\"comparison\" id=\"search-best\">")
            .nth(1)
            .and_then(|t| t.split("</table>").next())
            .unwrap()
            .to_owned()
    };
    assert_eq!(table(&page.body), table(&direct.body));
    assert!(page.body.contains(
        "id=\"search-tpot_ms\" name=\"tpot_ms\" type=\"text\" inputmode=\"decimal\" value=\"40\""
    ));

    assert_eq!(
        app.get("/search/s/0123456789abcdef0123456789abcdef")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_search_that_cannot_run_or_has_no_name_is_not_saved() {
    let app = TestApp::new().await;
    for (name, query, field) in [
        ("", "run=1", "name"),
        ("x", "tpot_ms=fast", "query"),
        ("x", "run=1&tp=4", "space.accelerators"),
        (&"n".repeat(201), "", "name"),
    ] {
        let response = save_search(&app, name, query).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            response.body
        );
        assert_eq!(response.json()["field"], field, "{}", response.body);
    }
}

#[tokio::test]
async fn a_huge_save_form_is_refused_before_it_is_read() {
    let app = TestApp::new().await;
    let response = save_search(&app, &"n".repeat(100_000), "run=1").await;
    assert_eq!(
        response.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        response.body
    );
}
