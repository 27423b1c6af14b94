//! The OpenAPI document against the routes: every documented operation is
//! served and answers its own example request with its documented success.

use http::{Request, StatusCode, header};
use serde_json::Value;

use server::config::Settings;

use crate::support::{TestApp, TextResponse};

async fn document(app: &TestApp) -> Value {
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status, StatusCode::OK);
    response.json()
}

/// Every `$ref` in `value`.
fn refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => found.push(r.clone()),
                    _ => refs(v, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_every_reference_resolves() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 20);
    for r in &found {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r} is not a component"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{r} does not resolve"
        );
    }
    let mut ids = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            ids.push(op["operationId"].as_str().unwrap().to_owned());
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}"
            );
            if let Some(body) = op.get("requestBody") {
                assert!(
                    !body["content"]["application/json"]["example"].is_null(),
                    "{method} {path}"
                );
            }
            // Every path parameter is declared.
            for segment in path.split('/').filter(|s| s.starts_with('{')) {
                let name = segment.trim_matches(|c| c == '{' || c == '}');
                let declared = op["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["name"] == name && p["in"] == "path"));
                assert!(declared, "{method} {path}: {name}");
            }
        }
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation ids repeat");
    // The request and answer shapes are the Rust types' schemas.
    for schema in [
        "Deployment",
        "DeploymentReport",
        "Problem",
        "SweepRequest",
        "Headline",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

/// A saved scenario's id and edit token, for operations on one.
async fn saved(app: &TestApp) -> (String, String) {
    let body = serde_json::json!({ "scenario": tokenfab_core::deployment::Deployment::example() });
    let response = app.post_json("/api/v1/scenarios", body.to_string()).await;
    let json = response.json();
    (
        json["id"].as_str().unwrap().to_owned(),
        json["edit_token"].as_str().unwrap().to_owned(),
    )
}

/// Sends `op`'s example request: required parameters from their examples
/// (a real scenario's id and token where one is named), the example body.
async fn send_example(app: &TestApp, method: &str, path: &str, op: &Value) -> TextResponse {
    let (id, token) = saved(app).await;
    let mut uri = path.replace("{id}", &id);
    let mut query = Vec::new();
    let mut request = Request::builder().method(method);
    for p in op["parameters"].as_array().into_iter().flatten() {
        if p["required"] != true {
            continue;
        }
        let name = p["name"].as_str().unwrap();
        let example = match &p["example"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match (p["in"].as_str().unwrap(), name) {
            ("path", "id") => {}
            ("path", _) => uri = uri.replace(&format!("{{{name}}}"), &example),
            ("query", _) => query.push(format!("{name}={example}")),
            ("header", "Authorization") => {
                request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            ("header", _) => request = request.header(name, example),
            (other, _) => panic!("parameter in {other}"),
        }
    }
    if !query.is_empty() {
        uri = format!("{uri}?{}", query.join("&"));
    }
    let body = match op.get("requestBody") {
        Some(body) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            axum::body::Body::from(body["content"]["application/json"]["example"].to_string())
        }
        None => axum::body::Body::empty(),
    };
    app.send(request.uri(uri).body(body).unwrap()).await
}

#[tokio::test]
async fn every_documented_operation_answers_its_example_as_documented() {
    let app = TestApp::with_settings(Settings {
        list_scenarios: true,
        writes_per_minute: 0,
        ..Settings::default()
    })
    .await;
    let doc = document(&app).await;
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method = method.to_ascii_uppercase();
            let response = send_example(&app, &method, path, op).await;
            let success: Vec<&String> = op["responses"]
                .as_object()
                .unwrap()
                .keys()
                .filter(|s| s.starts_with('2'))
                .collect();
            assert!(
                success.contains(&&response.status.as_u16().to_string()),
                "{method} {path}: {} {}",
                response.status,
                response.body
            );
            let documented = &op["responses"][response.status.as_str()]["content"];
            if let Some(media) = documented.as_object() {
                let served = response.content_type.split(';').next().unwrap_or_default();
                assert!(
                    media.contains_key(served),
                    "{method} {path}: served {served}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 17, "only {checked} operations");
}

#[tokio::test]
async fn the_docs_page_lists_every_operation_and_problem() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    let page = app.get("/api/docs").await;
    assert_eq!(page.status, StatusCode::OK);
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let id = op["operationId"].as_str().unwrap();
            assert!(page.body.contains(&format!(r#"id="{id}""#)), "{id}");
        }
    }
    assert!(page.body.contains(r#"id="problem-invalid""#));
    assert!(page.body.contains("curl -X POST"));
}
