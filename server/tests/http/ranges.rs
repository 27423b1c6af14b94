//! `POST /api/v1/ranges` and `tokenfab ranges`: the same deployment gives
//! the same ranges from either, as the API document describes them, and
//! every range that is not one names its field.

use http::StatusCode;
use serde_json::{Value, json};

use crate::schema::Documented;
use crate::support::{TestApp, scenario_path, tokenfab_prints};

fn ranged_file() -> std::path::PathBuf {
    scenario_path("llama-70b-support-chat-ranged.json")
}

fn ranged() -> Value {
    serde_json::from_str(&std::fs::read_to_string(ranged_file()).unwrap()).unwrap()
}

#[tokio::test]
async fn the_api_and_the_command_line_give_the_same_ranges_as_documented() {
    let app = TestApp::new().await;
    let documented = Documented::fetch(&app).await;
    let response = app.post_json("/api/v1/ranges", ranged().to_string()).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    documented.assert_answer("POST", "/api/v1/ranges", &response);
    let api = response.json();
    let file = ranged_file();
    let printed = tokenfab_prints(&[
        "ranges".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        file.as_ref(),
    ]);
    let cli: Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(api, cli);

    // Each figure's point is the evaluation's, inside its P10 to P90 or
    // near it, and the ranges are the same on every run.
    let evaluated = app
        .post_json("/api/v1/evaluate", ranged().to_string())
        .await;
    let headline = evaluated.json()["headline"].clone();
    let cost = api["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["figure"] == "cost_per_response_usd")
        .unwrap();
    assert_eq!(cost["point"], headline["cost_per_response_usd"]);
    assert!(cost["p10"].as_f64().unwrap() < cost["p90"].as_f64().unwrap());
    let again = app.post_json("/api/v1/ranges", ranged().to_string()).await;
    assert_eq!(again.json(), api);
    assert_eq!(api["samples"], 1000);
    assert!(api["probabilities"]["within_power_budget"].is_number());
    let inputs: Vec<&str> = api["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["input"].as_str().unwrap())
        .collect();
    assert!(inputs.contains(&"pricing.usd_per_gpu_hour"));
    assert!(inputs.contains(&"model.speed"));
}

#[tokio::test]
async fn ranges_that_are_not_ranges_are_problems_naming_the_field() {
    let app = TestApp::new().await;
    let with = |ranges: Value| {
        let mut body = ranged();
        body["ranges"] = ranges;
        body.to_string()
    };
    for (body, field) in [
        (
            with(
                json!({ "inputs": [{ "input": "pricing.usd_per_gpu_hour", "low": 3.5, "high": 4 }] }),
            ),
            "ranges.inputs[0].low",
        ),
        (
            with(json!({ "inputs": [{ "input": "pricing.power", "low": 1, "high": 2 }] })),
            "ranges.inputs[0].input",
        ),
        (
            with(json!({ "inputs": [
                { "input": "pricing.pue", "low": 1.2, "high": 1.5 },
                { "input": "pricing.usd_per_kwh", "low": 0.05, "high": 50 }
            ] })),
            "ranges.inputs[1].high",
        ),
        (with(json!({ "samples": 1_000_000 })), "ranges.samples"),
        (
            with(json!({ "power_budget_kw": 0 })),
            "ranges.power_budget_kw",
        ),
        (with(json!({ "seed": -1 })), "ranges.seed"),
        (
            with(json!({ "inputs": [{ "input": "pricing.pue", "low": 1.2 }] })),
            "ranges.inputs[0]",
        ),
        (with(json!({ "extra": true })), "ranges.extra"),
    ] {
        let response = app.post_json("/api/v1/ranges", body).await;
        assert_eq!(response.status.as_u16(), 422, "{field}: {}", response.body);
        assert_eq!(response.json()["field"], field, "{}", response.body);
    }
    // The deployment's own fields are named as the evaluation names them.
    let mut body = ranged();
    body["pricing"]["pue"] = json!(0.5);
    let response = app.post_json("/api/v1/ranges", body.to_string()).await;
    assert_eq!(response.status.as_u16(), 422);
    assert_eq!(response.json()["field"], "pricing.pue");
}

#[test]
fn the_command_line_prints_the_ranges_for_people() {
    let file = ranged_file();
    let text = tokenfab_prints(&["ranges".as_ref(), file.as_ref()]);
    assert!(text.contains("1000 draws"), "{text}");
    assert!(text.contains("cost_per_response_usd"), "{text}");
    assert!(text.contains("Latency targets hold"), "{text}");
    assert!(text.contains("your range"), "{text}");
}

/// The ranges page's query for the ranged example, with `rows` of ranges.
fn page_query(rows: &[(&str, &str, &str)]) -> String {
    let mut plain = ranged();
    plain.as_object_mut().unwrap().remove("ranges");
    let deployment: tokenfab_core::deployment::Deployment = serde_json::from_value(plain).unwrap();
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("scenario", &search_page::encode_deployment(&deployment));
    q.append_pair("sent", "1");
    q.append_pair("model_error", "1");
    q.append_pair("catalogue", "1");
    for (input, low, high) in rows {
        q.append_pair("in", input);
        q.append_pair("lo", low);
        q.append_pair("hi", high);
    }
    q.finish()
}

#[tokio::test]
async fn the_ranges_page_answers_its_query_without_script() {
    let app = TestApp::new().await;
    let page = app
        .get(&format!(
            "/ranges?{}",
            page_query(&[("pricing.usd_per_gpu_hour", "2", "5"), ("", "", "")])
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for expected in [
        "id=\"ranges-figures\"",
        "id=\"range-cost_per_response_usd\"",
        "The latency targets hold in",
        "your range",
        "published measurements of vLLM",
        "the catalogue: ",
        "value=\"pricing.usd_per_gpu_hour\" selected",
        "id=\"open-planner\" href=\"/?scenario=",
    ] {
        assert!(page.body.contains(expected), "{expected}");
    }
    assert!(
        crate::support::runs_only_the_theme_script(&page.body),
        "the page needs no script but the theme switch"
    );

    // A range that is not one: the page says which, with the form.
    let bad = app
        .get(&format!(
            "/ranges?{}",
            page_query(&[("pricing.usd_per_gpu_hour", "3.5", "5")])
        ))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("ranges.inputs[0].low"), "{}", bad.body);
    assert!(bad.body.contains("id=\"ranges-form\""));
    let unreadable = app
        .get(&format!(
            "/ranges?{}",
            page_query(&[("pricing.usd_per_gpu_hour", "cheap", "5")])
        ))
        .await;
    assert_eq!(unreadable.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unreadable.body.contains("lo[0]"), "{}", unreadable.body);
}
