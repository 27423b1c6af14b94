//! Successful answers of evaluate, sweep and the catalogues, and the
//! problems they send, each checked against the schema the OpenAPI
//! document gives for it: what a client generated from the document reads.

use http::StatusCode;
use serde_json::{Value, json};
use tokenfab_core::deployment::Deployment;

use crate::schema::Documented;
use crate::support::TestApp;
use crate::worked_example::owned_server;

fn scenario(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// Deployments whose reports between them fill every optional part: a
/// measured and a modeled level, owned and rented, a break-even and none,
/// a hosted-API price and none, a use case from a preset.
fn deployments() -> Vec<(&'static str, Value)> {
    let support_chat = scenario(include_str!(
        "../../../tests/scenarios/llama-70b-support-chat.json"
    ));
    let mut never_breaks_even = support_chat.clone();
    never_breaks_even["pricing"]["usd_per_gpu_hour"] = json!(0.5);
    let mut hosted = support_chat.clone();
    hosted["model"]["catalogue"] = json!("llama-3.1-8b-instruct");
    hosted["hardware"]["gpus_per_replica"] = json!(1);
    let mut rented = owned_server();
    rented["pricing"]["mode"] = json!("cloud");
    vec![
        ("support chat", support_chat),
        ("rented too cheaply to buy", never_breaks_even),
        ("with a hosted API price", hosted),
        ("owned server, measured", owned_server()),
        ("owned server, rented", rented),
        (
            "use case from a preset",
            scenario(include_str!("../../../tests/scenarios/rag-qa-preset.json")),
        ),
        (
            "the default",
            serde_json::to_value(Deployment::example()).unwrap(),
        ),
    ]
}

#[tokio::test]
async fn evaluate_answers_are_as_documented() {
    let app = TestApp::new().await;
    let documented = Documented::fetch(&app).await;
    let mut seen_null_break_even = false;
    let mut seen_hosted = false;
    for (what, deployment) in deployments() {
        let response = app
            .post_json("/api/v1/evaluate", deployment.to_string())
            .await;
        assert_eq!(response.status, StatusCode::OK, "{what}: {}", response.body);
        assert_eq!(response.content_type, "application/json", "{what}");
        documented.assert_answer("POST", "/api/v1/evaluate", &response);
        let costs = &response.json()["report"]["costs"];
        seen_null_break_even |= costs["break_even_month"].is_null();
        seen_hosted |= costs["hosted_api"].is_object();
    }
    // The optional parts were exercised both ways.
    assert!(seen_null_break_even && seen_hosted);
}

#[tokio::test]
async fn sweep_answers_are_as_documented_with_an_error_in_its_own_point() {
    let app = TestApp::new().await;
    let documented = Documented::fetch(&app).await;
    for (what, deployment) in deployments() {
        for (parameter, values) in [
            ("pricing.pue", json!([1.1, 1.4, 0.5])),
            ("use_case.requests_per_day", json!([1e5, 1e6, 1e7])),
        ] {
            let body = json!({ "scenario": deployment, "parameter": parameter, "values": values });
            let response = app.post_json("/api/v1/sweep", body.to_string()).await;
            assert_eq!(response.status, StatusCode::OK, "{what}: {}", response.body);
            documented.assert_answer("POST", "/api/v1/sweep", &response);
            let answer = response.json();
            assert_eq!(answer["parameter"], parameter);
            let points = answer["points"].as_array().unwrap();
            assert_eq!(points.len(), 3, "{what}");
            for (point, value) in points.iter().zip(values.as_array().unwrap()) {
                assert_eq!(point["value"].as_f64(), value.as_f64(), "{what}");
            }
            if parameter == "pricing.pue" {
                // A PUE below 1 is out of range: that point alone fails.
                assert!(points[1]["figures"].is_object(), "{what}");
                assert!(
                    points[2]["error"]
                        .as_str()
                        .is_some_and(|e| e.starts_with("pricing.pue")),
                    "{what}: {}",
                    points[2]
                );
                // The field at fault as data, not only in the message.
                assert_eq!(points[2]["field"], "pricing.pue", "{what}");
                assert!(points[1].get("field").is_none(), "{what}");
            }
        }
    }
}

#[tokio::test]
async fn catalogue_answers_are_as_documented_with_a_source_for_every_entry() {
    let app = TestApp::new().await;
    let documented = Documented::fetch(&app).await;
    for (path, lists) in [
        ("/api/v1/catalogue/models", &["models"][..]),
        ("/api/v1/catalogue/accelerators", &["accelerators"][..]),
        (
            "/api/v1/catalogue/prices",
            &[
                "cloud",
                "hardware",
                "electricity",
                "pue",
                "grid_carbon",
                "hosted_api",
            ][..],
        ),
        ("/api/v1/catalogue/use-cases", &["use_cases"][..]),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        documented.assert_answer("GET", path, &response);
        let answer = response.json();
        for list in lists {
            let entries = answer[*list].as_array().unwrap();
            assert!(!entries.is_empty(), "{path}: no {list}");
            for entry in entries {
                let id = &entry["id"];
                if *list == "use_cases" {
                    // Presets are planning assumptions: each says what it assumes.
                    assert!(
                        entry["basis"].as_str().is_some_and(|b| b.len() > 20),
                        "{id}"
                    );
                } else {
                    let provenance = &entry["provenance"];
                    assert!(
                        provenance["source"].as_str().is_some_and(|s| !s.is_empty()),
                        "{path} {id}"
                    );
                    assert!(
                        provenance["date"].as_str().is_some_and(|s| !s.is_empty()),
                        "{path} {id}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn the_default_scenario_and_a_saved_one_read_back_as_documented() {
    let app = TestApp::new().await;
    let documented = Documented::fetch(&app).await;
    let response = app.get("/api/v1/scenarios/default").await;
    assert_eq!(response.status, StatusCode::OK);
    documented.assert_answer("GET", "/api/v1/scenarios/default", &response);

    for (what, deployment) in deployments() {
        let body = json!({ "name": what, "scenario": deployment }).to_string();
        let saved = app.post_json("/api/v1/scenarios", body).await;
        assert_eq!(saved.status, StatusCode::CREATED, "{what}: {}", saved.body);
        documented.assert_answer("POST", "/api/v1/scenarios", &saved);
        let id = saved.json()["id"].as_str().unwrap().to_owned();
        let read = app.get(&format!("/api/v1/scenarios/{id}")).await;
        assert_eq!(read.status, StatusCode::OK, "{what}");
        documented.assert_answer("GET", "/api/v1/scenarios/{id}", &read);
    }
}

#[tokio::test]
async fn refusals_are_documented_problems() {
    let app = TestApp::new().await;
    let documented = Documented::fetch(&app).await;
    let mut out_of_range = owned_server();
    out_of_range["pricing"]["pue"] = json!(0.5);
    out_of_range["use_case"]["output_tokens"] = json!(-1);
    let mut wrong_type = owned_server();
    wrong_type["pricing"]["usd_per_kwh"] = json!("cheap");
    for (body, status) in [
        ("{\"model\": ".to_owned(), StatusCode::BAD_REQUEST),
        (out_of_range.to_string(), StatusCode::UNPROCESSABLE_ENTITY),
        (wrong_type.to_string(), StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let response = app.post_json("/api/v1/evaluate", body.clone()).await;
        assert_eq!(response.status, status, "{body}: {}", response.body);
        assert_eq!(response.content_type, "application/problem+json");
        documented.assert_answer("POST", "/api/v1/evaluate", &response);
    }
    let several = app
        .post_json("/api/v1/evaluate", out_of_range.to_string())
        .await
        .json();
    let fields: Vec<&str> = several["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"pricing.pue") && fields.contains(&"use_case.output_tokens"),
        "{several}"
    );
    let sweep = json!({ "scenario": owned_server(), "parameter": "pricing.mode", "values": [1] });
    let response = app.post_json("/api/v1/sweep", sweep.to_string()).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    documented.assert_answer("POST", "/api/v1/sweep", &response);
    assert_eq!(response.json()["field"], "parameter");
}

#[tokio::test]
async fn an_answer_that_strayed_from_the_document_would_be_caught() {
    // The check has teeth against the real document: a real evaluation,
    // changed the ways a careless change to the report could change it.
    let app = TestApp::new().await;
    let documented = Documented::fetch(&app).await;
    let mut answer = app
        .post_json("/api/v1/evaluate", owned_server().to_string())
        .await
        .json();
    let report = &mut answer["report"];
    report["costs"].as_object_mut().unwrap().remove("at_load");
    report["costs"]["payback_years"] = json!(2.6);
    report["fleet"]["gpus"] = json!(-8);
    report["performance"]["origin"] = json!("guessed");
    // A figure that is not finite is written as null.
    report["energy"]["tokens_per_joule"] = Value::Null;
    answer["headline"]["meets_latency_targets"] = json!("yes");
    let schema = documented.answer_schema("POST", "/api/v1/evaluate", 200, "application/json");
    let errors = documented.check(schema, &answer).join("\n");
    for path in [
        "$.report.costs: the required property \"at_load\" is missing",
        "$.report.costs.payback_years: not documented",
        "$.report.fleet.gpus: -8",
        "$.report.performance.origin:",
        "$.report.energy.tokens_per_joule: expected number",
        "$.headline.meets_latency_targets: expected boolean",
    ] {
        assert!(errors.contains(path), "{path} not caught in:\n{errors}");
    }
}
