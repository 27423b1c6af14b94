use http::StatusCode;
use serde_json::json;

use server::db::StoredInputs;

use crate::support::TestApp;

fn body(scenario: serde_json::Value) -> String {
    json!({ "name": "support bot", "scenario": scenario }).to_string()
}

fn valid_scenario() -> serde_json::Value {
    json!({
        "hardware": { "gpus": 8 },
        "pricing": { "usd_per_gpu_hour": 2.5, "usd_per_kwh": 0.12 },
        "measured": { "tokens_per_s": 24000, "watts": 9000 }
    })
}

#[tokio::test]
async fn saving_stores_a_row_and_returns_its_id() {
    let app = TestApp::new().await;
    let response = app
        .post_json("/api/v1/scenarios", body(valid_scenario()))
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    let id = response.json()["id"].as_str().expect("id").to_owned();
    assert_eq!(id.len(), 32);

    let stored = app.db.scenario(&id).await.unwrap().expect("row stored");
    assert_eq!(stored.name, "support bot");
    // Saved at the measured level, stored migrated: its figures replace
    // the predictions of the placeholder model.
    let StoredInputs::Deployment(d) = stored.inputs else {
        panic!("stored at the measured level, not migrated");
    };
    assert_eq!(
        d.hardware.gpus_per_replica * d.hardware.replicas.unwrap(),
        8
    );
    let measured = d.measured.as_ref().expect("measured values kept");
    assert_eq!(measured.output_tokens_per_s, Some(24000.0));
    assert_eq!(measured.watts, Some(9000.0));
    assert_eq!(app.db.count_scenarios().await.unwrap(), 1);
}

fn deployment() -> serde_json::Value {
    serde_json::from_str(include_str!(
        "../../../tests/scenarios/llama-70b-support-chat.json"
    ))
    .unwrap()
}

#[tokio::test]
async fn a_modeled_deployment_is_saved_as_version_2() {
    let app = TestApp::new().await;
    let response = app.post_json("/api/v1/scenarios", body(deployment())).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    let id = response.json()["id"].as_str().expect("id").to_owned();
    let stored = app.db.scenario(&id).await.unwrap().expect("row stored");
    assert_eq!(stored.schema_version, 2);
    let StoredInputs::Deployment(d) = stored.inputs else {
        panic!("stored as measured");
    };
    assert_eq!(d.hardware.gpus_per_replica, 4);
}

#[tokio::test]
async fn a_saved_scenario_keeps_its_ranges_and_one_saved_without_opens_without() {
    let app = TestApp::new().await;
    let mut ranged = deployment();
    ranged["ranges"] = json!({
        "inputs": [{ "input": "pricing.usd_per_gpu_hour", "low": 2.0, "high": 4.0 }],
        "model_error": false,
        "seed": 11
    });
    for (scenario, has_ranges) in [(ranged, true), (deployment(), false)] {
        let response = app.post_json("/api/v1/scenarios", body(scenario)).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
        let id = response.json()["id"].as_str().expect("id").to_owned();
        let StoredInputs::Deployment(d) = app.db.scenario(&id).await.unwrap().unwrap().inputs
        else {
            panic!("stored as measured");
        };
        assert_eq!(d.ranges.is_some(), has_ranges);
        if let Some(r) = d.ranges {
            assert_eq!(r.inputs[0].input, "pricing.usd_per_gpu_hour");
            assert_eq!((r.inputs[0].low, r.inputs[0].high), (2.0, 4.0));
            assert_eq!((r.model_error, r.seed), (false, Some(11)));
        }
        // Its share page shows the ranges the scenario carries.
        let page = app.get(&format!("/s/{id}")).await;
        assert!(page.body.contains("P10–P90"), "{id}");
        // Its export carries them drawn, with the seed and the draws.
        let csv = app.get(&format!("/api/v1/scenarios/{id}/csv")).await;
        assert_eq!(
            csv.body.contains("ranges.seed,11"),
            has_ranges,
            "{}",
            csv.body
        );
        assert_eq!(
            csv.body.contains("ranges.figures.0.p90,"),
            has_ranges,
            "{}",
            csv.body
        );
        assert_eq!(
            csv.body
                .contains("ranges.probabilities.owning_cheaper_by_month_24,"),
            has_ranges
        );
    }
}

#[tokio::test]
async fn a_deployment_that_cannot_run_is_refused_naming_the_field() {
    let app = TestApp::new().await;
    for (pointer, value, field) in [
        (
            "/use_case/tpot_target_ms",
            json!(-1),
            "scenario.use_case.tpot_target_ms",
        ),
        ("/pricing/pue", json!("high"), "scenario.pricing.pue"),
        (
            "/model/catalogue",
            json!("gpt-9"),
            "scenario.model.catalogue",
        ),
        // 405 B parameters do not fit in four 80 GB accelerators.
        (
            "/model/catalogue",
            json!("llama-3.1-405b-instruct"),
            "scenario.hardware.gpus_per_replica",
        ),
    ] {
        let mut d = deployment();
        *d.pointer_mut(pointer).unwrap() = value;
        let response = app.post_json("/api/v1/scenarios", body(d)).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{pointer}"
        );
        assert_eq!(response.json()["field"], field, "{}", response.body);
    }
    assert_eq!(app.db.count_scenarios().await.unwrap(), 0);
}

#[tokio::test]
async fn two_saves_get_different_ids() {
    let app = TestApp::new().await;
    let a = app
        .post_json("/api/v1/scenarios", body(valid_scenario()))
        .await
        .json();
    let b = app
        .post_json("/api/v1/scenarios", body(valid_scenario()))
        .await
        .json();
    assert_ne!(a["id"], b["id"]);
    assert_eq!(app.db.count_scenarios().await.unwrap(), 2);
}

#[tokio::test]
async fn a_negative_value_is_refused_naming_the_field_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let mut scenario = valid_scenario();
    scenario["measured"]["watts"] = json!(-5);
    let response = app.post_json("/api/v1/scenarios", body(scenario)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = response.json();
    assert_eq!(error["field"], "scenario.measured.watts");
    assert!(
        error["detail"]
            .as_str()
            .unwrap()
            .contains("must be greater than 0 W")
    );
    assert_eq!(app.db.count_scenarios().await.unwrap(), 0);
}

#[tokio::test]
async fn a_wrong_type_is_refused_naming_the_field() {
    let app = TestApp::new().await;
    let mut scenario = valid_scenario();
    scenario["hardware"]["gpus"] = json!("eight");
    let response = app.post_json("/api/v1/scenarios", body(scenario)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["field"], "scenario.hardware.gpus");
}

#[tokio::test]
async fn malformed_json_is_a_400_with_the_parsers_message() {
    let app = TestApp::new().await;
    let response = app
        .post_json("/api/v1/scenarios", r#"{"scenario": {"#)
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(response.json()["detail"].as_str().unwrap().contains("EOF"));
}

#[tokio::test]
async fn an_oversized_body_is_a_413_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let huge = format!(
        r#"{{"name": "{}", "scenario": {}}}"#,
        "x".repeat(100_000),
        valid_scenario()
    );
    let response = app.post_json("/api/v1/scenarios", huge).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        response.json()["detail"]
            .as_str()
            .unwrap()
            .contains("larger than")
    );
    assert_eq!(app.db.count_scenarios().await.unwrap(), 0);
}

#[tokio::test]
async fn an_overlong_name_is_refused() {
    let app = TestApp::new().await;
    let request = json!({ "name": "n".repeat(201), "scenario": valid_scenario() });
    let response = app
        .post_json("/api/v1/scenarios", request.to_string())
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["field"], "name");
}

/// PostgreSQL's text cannot hold U+0000: refused on either store, naming
/// the field, on a save and on an edit, and nothing changes.
#[tokio::test]
async fn a_nul_character_in_a_name_or_notes_is_refused_naming_the_field() {
    let app = TestApp::new().await;
    for field in ["name", "notes"] {
        let mut request = json!({ "name": "ok", "scenario": valid_scenario() });
        request[field] = json!("before\u{0}after");
        let response = app
            .post_json("/api/v1/scenarios", request.to_string())
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            response.body
        );
        assert_eq!(response.json()["field"], field);
        assert!(response.json()["detail"].as_str().unwrap().contains("NUL"));
    }
    let (id, token) = save_deployment(&app).await;
    let path = format!("/api/v1/scenarios/{id}");
    let response = app
        .request(
            "PUT",
            &path,
            Some(&format!("Bearer {token}")),
            Some(json!({ "notes": "a\u{0}b" }).to_string()),
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    assert_eq!(response.json()["field"], "notes");
    assert_eq!(app.get(&path).await.json()["revision"], 1);

    // An id holding NUL names nothing: 404, as any unknown id.
    let nul = "/api/v1/scenarios/a%00b";
    assert_eq!(app.get(nul).await.status, StatusCode::NOT_FOUND);
    for method in ["PUT", "DELETE"] {
        let response = app
            .request(
                method,
                nul,
                Some(&format!("Bearer {token}")),
                Some(json!({ "name": "x" }).to_string()),
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{method}: {}",
            response.body
        );
    }
    assert_eq!(app.get("/s/a%00b").await.status, StatusCode::NOT_FOUND);
}

async fn save_deployment(app: &TestApp) -> (String, String) {
    let response = app.post_json("/api/v1/scenarios", body(deployment())).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    let saved = response.json();
    (
        saved["id"].as_str().unwrap().to_owned(),
        saved["edit_token"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn the_edit_token_renames_and_deletes_and_nothing_else_does() {
    let app = TestApp::new().await;
    let (id, token) = save_deployment(&app).await;
    assert_eq!(token.len(), 32);
    assert_ne!(id, token);
    let path = format!("/api/v1/scenarios/{id}");
    let rename = json!({ "name": "renamed", "notes": "for the Q3 review" }).to_string();

    for auth in [
        None,
        Some("Bearer 00000000000000000000000000000000"),
        Some(id.as_str()),
    ] {
        let response = app.request("PUT", &path, auth, Some(rename.clone())).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{auth:?}");
        assert!(response.json()["detail"].is_string());
        let response = app.request("DELETE", &path, auth, None).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{auth:?}");
    }
    let exported = app.get(&path).await.json();
    assert_eq!(exported["name"], "support bot");

    let bearer = format!("Bearer {token}");
    let response = app.request("PUT", &path, Some(&bearer), Some(rename)).await;
    assert_eq!(response.status, StatusCode::NO_CONTENT, "{}", response.body);
    let exported = app.get(&path).await.json();
    assert_eq!(exported["name"], "renamed");
    assert_eq!(exported["notes"], "for the Q3 review");
    assert_eq!(exported["schema_version"], 2);
    // The report read back prices a response by the article's formula: for
    // support chat, 1.05 attempts of 300 generated and 1,000 prompt tokens,
    // plus 400 guardrail tokens at $0.02 per million ($0.000008).
    let pre_post = exported["report"]["per_response"]["cost_usd"]["pre_post"]
        .as_f64()
        .unwrap();
    assert!(crate::figures::within(pre_post, 8e-6, 1e-12), "{pre_post}");
    crate::figures::assert_cost_per_response_follows_the_formula(
        &exported["scenario"],
        &exported["report"],
    );

    let response = app.request("DELETE", &path, Some(&bearer), None).await;
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("/s/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_update_with_a_bad_field_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let (id, token) = save_deployment(&app).await;
    let path = format!("/api/v1/scenarios/{id}");
    let bearer = format!("Bearer {token}");
    let mut bad = deployment();
    bad["pricing"]["pue"] = json!(-1);
    let response = app
        .request(
            "PUT",
            &path,
            Some(&bearer),
            Some(json!({ "name": "x", "scenario": bad }).to_string()),
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["field"], "scenario.pricing.pue");
    let response = app
        .request(
            "PUT",
            &path,
            Some(&bearer),
            Some(json!({ "colour": "red" }).to_string()),
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get(&path).await.json()["name"], "support bot");
}

#[tokio::test]
async fn a_scenario_exports_as_csv_with_formulas_neutralised() {
    let app = TestApp::new().await;
    let owned = crate::worked_example::owned_server();
    let body = json!({ "name": "=HYPERLINK(\"http://x\")", "scenario": owned }).to_string();
    let saved = app.post_json("/api/v1/scenarios", body).await.json();
    let id = saved["id"].as_str().unwrap();
    let csv = app.get(&format!("/api/v1/scenarios/{id}/csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type.starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let rows: std::collections::HashMap<String, String> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[1].to_owned())
        })
        .collect();
    assert_eq!(rows["name"], "'=HYPERLINK(\"http://x\")");
    assert_eq!(rows["scenario.hardware.gpus_per_replica"], "8");
    // The owned server's figures worked out by hand (see worked_example.rs):
    // $20.686973 an hour over 21.6 M tokens is $0.000957730 per response of
    // 1,000 tokens; the purchase is repaid after 31.1976 months.
    let figure = |field: &str| -> f64 { rows[field].parse().unwrap() };
    let mut audit = crate::figures::Audit::default();
    for (field, expected) in [
        ("report.per_response.cost_per_response_usd", 0.000957730),
        ("report.costs.fleet_usd_per_hour", 20.686973),
        ("report.costs.break_even_month", 31.1976),
        ("report.energy.tokens_per_joule", 2.816901),
        ("report.fleet.utilisation", 0.3),
    ] {
        audit.compare(field, figure(field), expected, 2e-6);
    }
    audit.finish("a saved scenario's CSV");
    assert_eq!(
        app.get("/api/v1/scenarios/00112233445566778899aabbccddeeff/csv")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_update_made_against_a_stale_read_is_refused_with_412() {
    let app = TestApp::new().await;
    let (id, token) = save_deployment(&app).await;
    let read = app.get(&format!("/api/v1/scenarios/{id}")).await;
    let etag = read.headers[http::header::ETAG]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(etag, "\"1\"");
    assert_eq!(read.json()["revision"], 1);

    // A colleague with the same token renames it first.
    let first = app
        .put_if_match(&id, &token, &etag, json!({ "name": "theirs" }))
        .await;
    assert_eq!(first.status, StatusCode::NO_CONTENT, "{}", first.body);
    assert_eq!(first.headers[http::header::ETAG], "\"2\"");
    // The same read no longer holds: refused, naming the revision now.
    let second = app
        .put_if_match(&id, &token, &etag, json!({ "name": "mine" }))
        .await;
    assert_eq!(second.status, StatusCode::PRECONDITION_FAILED);
    assert!(
        second.json()["detail"]
            .as_str()
            .unwrap()
            .contains("revision 2")
    );
    assert_eq!(app.db.scenario(&id).await.unwrap().unwrap().name, "theirs");
    // A weak tag of the current revision, or "*", goes through.
    let third = app
        .put_if_match(&id, &token, "W/\"2\"", json!({ "name": "mine" }))
        .await;
    assert_eq!(third.status, StatusCode::NO_CONTENT);
    let any = app
        .put_if_match(&id, &token, "*", json!({ "notes": "checked" }))
        .await;
    assert_eq!(any.status, StatusCode::NO_CONTENT);
    assert_eq!(any.headers[http::header::ETAG], "\"4\"");
    // A header that is not an entity tag is named.
    let bad = app
        .put_if_match(&id, &token, "yesterday", json!({ "name": "x" }))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["field"], "If-Match");
    assert_eq!(app.db.scenario(&id).await.unwrap().unwrap().name, "mine");
}
