//! Markup and formulas typed into every text field come back as text:
//! on the share and compare pages, in chart SVG, in CSV and in errors.

use http::StatusCode;
use serde_json::json;
use tokenfab_core::deployment::Deployment;

use crate::support::TestApp;

/// What an attacker would type, and what must never come back raw.
const PAYLOADS: [(&str, &str); 6] = [
    ("<script>alert(1)</script>", "<script>alert(1)"),
    ("\"><img src=x onerror=alert(2)>", "<img src=x"),
    ("</title><svg onload=alert(3)>", "<svg onload"),
    ("]]></text><script>alert(4)</script>", "<script>alert(4)"),
    (
        "<a href=\"javascript:alert(5)\">x</a>",
        "<a href=\"javascript",
    ),
    ("<style>*{display:none}</style>", "<style>*{"),
];

async fn save(app: &TestApp, name: &str, notes: &str) -> String {
    let body = json!({ "name": name, "notes": notes, "scenario": Deployment::example() });
    let response = app.post_json("/api/v1/scenarios", body.to_string()).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    response.json()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn markup_in_a_name_or_notes_is_text_on_every_page_and_chart() {
    let app = TestApp::new().await;
    for (payload, raw) in PAYLOADS {
        let id = save(&app, payload, payload).await;
        let other = save(&app, "baseline", "").await;
        for path in [
            format!("/s/{id}"),
            format!("/compare?ids={id},{other}"),
            format!("/compare/months.svg?ids={id},{other}"),
            format!("/compare/concurrency.svg?ids={id},{other}"),
        ] {
            let response = app.get(&path).await;
            assert_eq!(response.status, StatusCode::OK, "{path}");
            assert!(!response.body.contains(raw), "{path} shows {raw:?} raw");
        }
        // The share page shows the name, escaped, where people read it.
        let page = app.get(&format!("/s/{id}")).await.body;
        assert!(page.contains("&lt;"), "{payload}");
        // JSON carries it as a string, served as JSON that is never sniffed.
        let export = app.get(&format!("/api/v1/scenarios/{id}")).await;
        assert_eq!(export.json()["name"], payload);
        assert_eq!(export.content_type, "application/json");
        assert_eq!(
            export.headers[http::header::X_CONTENT_TYPE_OPTIONS],
            "nosniff"
        );
    }
}

#[tokio::test]
async fn a_formula_in_a_name_or_notes_is_neutralised_in_csv() {
    let app = TestApp::new().await;
    for formula in [
        "=HYPERLINK(\"http://example.com\")",
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
    ] {
        let id = save(&app, formula, formula).await;
        let csv = app.get(&format!("/api/v1/scenarios/{id}/csv")).await.body;
        for line in csv
            .lines()
            .filter(|l| l.starts_with("name,") || l.starts_with("notes,"))
        {
            let cell = line.split_once(',').unwrap().1.trim_matches('"');
            assert!(cell.starts_with('\''), "{line}");
        }
    }
}

#[tokio::test]
async fn markup_in_ids_and_parameters_comes_back_only_in_json_problems() {
    let app = TestApp::new().await;
    let payload = "<script>alert(1)</script>";
    let mut unknown = serde_json::to_value(Deployment::example()).unwrap();
    unknown["model"]["catalogue"] = json!(payload);
    let mut preset = serde_json::to_value(Deployment::example()).unwrap();
    preset["use_case"] = json!({ "preset": payload });
    let sweep = json!({ "scenario": Deployment::example(), "parameter": payload, "values": [1] });
    for (path, body) in [
        ("/api/v1/evaluate", unknown.clone()),
        ("/api/v1/evaluate", preset),
        ("/api/v1/sweep", sweep),
        (
            "/api/v1/scenarios",
            json!({ "name": "x", "scenario": unknown }),
        ),
    ] {
        let response = app.post_json(path, body.to_string()).await;
        assert!(response.status.is_client_error(), "{path}");
        assert_eq!(response.content_type, "application/problem+json", "{path}");
    }
    // A page for an id that is markup is the plain not-found page.
    let page = app.get("/s/%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("<script>alert(1)"));
}
