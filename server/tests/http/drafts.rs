//! What the planner shows, exported without saving: its export form posts
//! the planner's state (as its address carries it) with the name and notes,
//! and gets the scenario back as JSON or CSV. The JSON saves back equal.

use axum::body::Body;
use http::{Request, StatusCode, header};
use tokenfab_core::deployment::Deployment;

use crate::support::{Csv, TestApp, TextResponse};

/// The example with inputs no preset gives: what a person edited.
fn edited() -> Deployment {
    let mut d = Deployment::example();
    d.pricing.usd_per_gpu_hour = 3.17;
    d.pricing.usd_per_kwh = 0.1234;
    d.use_case.output_tokens = 777.0;
    d
}

/// Every byte but letters and digits as `%XX`, as a browser sends a form.
fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The form body the planner's export form sends.
fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", form_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// POSTs `body` to `path` as the browser submits a form.
async fn post_form(app: &TestApp, path: &str, body: String) -> TextResponse {
    app.send(
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

#[tokio::test]
async fn an_unsaved_scenario_exported_as_json_saves_back_equal() {
    let app = TestApp::new().await;
    let shown = edited();
    let encoded = search_page::encode_deployment(&shown);
    let body = form(&[
        ("scenario", &encoded),
        ("name", "Support bot, Q3"),
        ("notes", "Prices as of December\r\nper the vendor"),
    ]);

    let export = post_form(&app, "/export.json", body).await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    assert!(export.content_type.starts_with("application/json"));
    assert_eq!(
        export.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"tokenfab-support-bot-q3.json\""
    );
    let exported = export.json();
    let scenario: Deployment = serde_json::from_value(exported["scenario"].clone()).unwrap();
    assert_eq!(scenario, shown);
    assert_eq!(exported["name"], "Support bot, Q3");
    // Its figures are the planner's for these inputs, not the example's.
    let report = shown.evaluate().unwrap();
    assert_eq!(
        exported["report"]["per_response"]["cost_per_response_usd"].as_f64(),
        Some(report.per_response.cost_per_response_usd)
    );
    assert_ne!(
        report.per_response.cost_per_response_usd,
        Deployment::example()
            .evaluate()
            .unwrap()
            .per_response
            .cost_per_response_usd
    );

    // Saved from the file, it reads back as the same inputs, name and notes.
    let save = serde_json::json!({
        "name": exported["name"],
        "notes": exported["notes"],
        "scenario": exported["scenario"],
    });
    let saved = app.post_json("/api/v1/scenarios", save.to_string()).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    let id = saved.json()["id"].as_str().unwrap().to_owned();
    let back = app.get(&format!("/api/v1/scenarios/{id}")).await.json();
    assert_eq!(
        serde_json::from_value::<Deployment>(back["scenario"].clone()).unwrap(),
        shown
    );
    // A form's line breaks come as CRLF; the notes keep them as typed.
    assert_eq!(back["notes"], "Prices as of December\nper the vendor");

    // A link with the same fields in its query answers alike.
    let linked = app
        .get(&format!("/export.json?scenario={encoded}&name=x"))
        .await;
    assert_eq!(linked.status, StatusCode::OK);
    assert_eq!(linked.json()["scenario"], exported["scenario"]);
}

#[tokio::test]
async fn an_unsaved_scenario_exports_as_csv_with_units_and_its_figures() {
    let app = TestApp::new().await;
    let shown = edited();
    let body = form(&[
        ("scenario", &search_page::encode_deployment(&shown)),
        ("name", "=HYPERLINK(\"x\")"),
    ]);
    let export = post_form(&app, "/export.csv", body).await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    assert!(export.content_type.starts_with("text/csv"));
    let csv = Csv::read(&export.body);
    let row = |field: &str| csv.row(field).to_vec();
    // A name a spreadsheet would run as a formula is neutralised.
    assert_eq!(row("name")[1], "'=HYPERLINK(\"x\")");
    let price = row("scenario.pricing.usd_per_gpu_hour");
    assert_eq!(price[1].parse::<f64>().unwrap(), 3.17);
    assert!(!price[2].is_empty(), "the price's unit");
    let report = shown.evaluate().unwrap();
    assert_eq!(
        row("report.per_response.cost_per_response_usd")[1]
            .parse::<f64>()
            .unwrap(),
        report.per_response.cost_per_response_usd
    );
}

#[tokio::test]
async fn a_bad_export_request_names_its_field() {
    let app = TestApp::new().await;
    let good = search_page::encode_deployment(&edited());
    let mut out_of_range = edited();
    out_of_range.pricing.pue = -1.0;
    let cases = [
        (
            form(&[("name", "no state")]),
            StatusCode::BAD_REQUEST,
            "scenario",
        ),
        (
            form(&[("scenario", "%%%")]),
            StatusCode::BAD_REQUEST,
            "scenario",
        ),
        (
            form(&[("scenario", &search_page::encode_deployment(&out_of_range))]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "pricing.pue",
        ),
        (
            form(&[("scenario", &good), ("name", &"n".repeat(201))]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "name",
        ),
        (
            form(&[("scenario", &good), ("notes", "a\u{0}b")]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "notes",
        ),
    ];
    for (body, status, field) in cases {
        for path in ["/export.json", "/export.csv"] {
            let answer = post_form(&app, path, body.clone()).await;
            assert_eq!(answer.status, status, "{path} {body}: {}", answer.body);
            assert!(
                answer.content_type.starts_with("application/problem+json"),
                "{path}"
            );
            assert!(answer.body.contains(field), "{path}: {}", answer.body);
        }
    }
    // A body that is not a form at all.
    let garbled = app
        .send(
            Request::post("/export.json")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(garbled.status, StatusCode::BAD_REQUEST, "{}", garbled.body);
}
