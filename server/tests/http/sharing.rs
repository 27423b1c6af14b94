//! What leaves tokenfab for a chat or a spreadsheet. A share or comparison
//! link pasted into a chat unfurls: the page (read without JavaScript, as an
//! unfurler reads it) carries Open Graph and Twitter card tags, and their
//! image is a 1200 × 630 PNG of the scenario that changes when its owner
//! edits it. A comparison exports as CSV.

use axum::body::Body;
use http::{Request, StatusCode, header};
use serde_json::json;
use server::config::Settings;
use tokenfab_core::deployment::Deployment;

use crate::support::{Csv, TestApp, save_example as save};

/// A name that would break out of an attribute or the head if written raw.
const AWKWARD: &str = "Chat <b>\"bot\"</b> & co";

/// The share page as a chat's unfurler asks for it.
async fn unfurl(app: &TestApp, id: &str) -> String {
    let request = Request::get(format!("/s/{id}"))
        .header(header::HOST, "planner.example.org")
        .header(header::USER_AGENT, "Slackbot-LinkExpanding 1.0")
        .body(Body::empty())
        .unwrap();
    let page = app.send(request).await;
    assert_eq!(page.status, StatusCode::OK);
    page.body
}

/// The `content` of the meta tag whose `attribute` is `key`.
fn meta(page: &str, attribute: &str, key: &str) -> String {
    let tag = format!("<meta {attribute}=\"{key}\" content=\"");
    let start = page
        .find(&tag)
        .unwrap_or_else(|| panic!("no {key} tag in the page"))
        + tag.len();
    let end = start + page[start..].find('"').unwrap();
    page[start..end].to_owned()
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

async fn image(
    app: &TestApp,
    url: &str,
    if_none_match: Option<&str>,
) -> (StatusCode, http::HeaderMap, Vec<u8>) {
    let path = url
        .strip_prefix("http://planner.example.org")
        .unwrap_or(url);
    let mut request = Request::get(path);
    if let Some(tag) = if_none_match {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    app.send_for_bytes(request.body(Body::empty()).unwrap())
        .await
}

#[tokio::test]
async fn a_share_link_unfurls_with_its_name_figures_and_a_1200_by_630_picture() {
    let app = TestApp::new().await;
    let (id, _) = save(&app, AWKWARD).await;
    let page = unfurl(&app, &id).await;

    // The name, escaped: nothing of it is markup.
    assert!(!page.contains("<b>"), "the name was written raw");
    let title = meta(&page, "property", "og:title");
    assert!(
        title.contains("&quot;bot&quot;") && title.contains("&amp; co"),
        "{title}"
    );
    assert_eq!(meta(&page, "name", "twitter:title"), title);
    // The headline figures, as the page's own description gives them.
    let description = meta(&page, "property", "og:description");
    assert_eq!(description, meta(&page, "name", "description"));
    let report = Deployment::example().evaluate().unwrap();
    assert!(
        description.contains(&format!("{} GPUs", report.fleet.gpus)),
        "{description}"
    );
    assert!(
        description.contains("per meaningful response"),
        "{description}"
    );
    assert_eq!(meta(&page, "name", "twitter:card"), "summary_large_image");
    assert_eq!(
        meta(&page, "property", "og:url"),
        format!("http://planner.example.org/s/{id}")
    );

    let url = meta(&page, "property", "og:image");
    assert_eq!(
        url,
        format!("http://planner.example.org/s/{id}/preview.png?revision=1")
    );
    assert_eq!(meta(&page, "name", "twitter:image"), url);
    let (status, headers, bytes) = image(&app, &url, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(png_size(&bytes), (1200, 630));
    assert_eq!(
        (
            meta(&page, "property", "og:image:width"),
            meta(&page, "property", "og:image:height")
        ),
        ("1200".to_owned(), "630".to_owned())
    );
    // Asked again with its tag: not drawn or sent again.
    let tag = headers[header::ETAG].to_str().unwrap().to_owned();
    let (again, _, body) = image(&app, &url, Some(&tag)).await;
    assert_eq!(again, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
}

#[tokio::test]
async fn an_edit_gives_the_link_a_new_picture() {
    let app = TestApp::new().await;
    let (id, token) = save(&app, "first name").await;
    let before = meta(&unfurl(&app, &id).await, "property", "og:image");
    let (_, old_headers, old_bytes) = image(&app, &before, None).await;

    let renamed = app
        .put_if_match(
            &id,
            &token,
            "\"1\"",
            json!({ "name": "a much longer second name" }),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::NO_CONTENT, "{}", renamed.body);
    let after = meta(&unfurl(&app, &id).await, "property", "og:image");
    assert!(after.ends_with("?revision=2"), "{after}");
    // The old tag no longer matches: the new picture is drawn and differs.
    let old_tag = old_headers[header::ETAG].to_str().unwrap().to_owned();
    let (status, _, new_bytes) = image(&app, &after, Some(&old_tag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(png_size(&new_bytes), (1200, 630));
    assert_ne!(new_bytes, old_bytes);
}

#[tokio::test]
async fn the_public_url_names_the_links_and_an_unknown_id_has_no_picture() {
    let app = TestApp::with_settings(Settings {
        public_url: Some("https://planner.example.org".to_owned()),
        ..Settings::default()
    })
    .await;
    let (id, _) = save(&app, "behind a proxy").await;
    let page = unfurl(&app, &id).await;
    assert!(
        meta(&page, "property", "og:image")
            .starts_with(&format!("https://planner.example.org/s/{id}/preview.png")),
    );
    let missing = app.get(&format!("/s/{}/preview.png", "0".repeat(32))).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_comparison_link_unfurls_with_each_scenarios_cost_and_a_picture() {
    let app = TestApp::new().await;
    let (first, _) = save(&app, "small fleet").await;
    let (second, _) = save(&app, AWKWARD).await;
    let request = Request::get(format!("/compare?ids={first},{second}"))
        .header(header::HOST, "planner.example.org")
        .body(Body::empty())
        .unwrap();
    let page = app.send(request).await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.body;
    assert!(!page.contains("<b>"), "a name was written raw");
    let title = meta(&page, "property", "og:title");
    assert!(
        title.starts_with("small fleet vs Chat &lt;b&gt;"),
        "{title}"
    );
    let description = meta(&page, "property", "og:description");
    let cost = tokenfab_core::deployment::Deployment::example()
        .evaluate()
        .unwrap()
        .per_response
        .cost_per_response_usd;
    let shown = app::format::usd(cost, 3);
    assert_eq!(
        description
            .matches(&format!("{shown} per meaningful response"))
            .count(),
        2,
        "{description}"
    );
    let url = meta(&page, "property", "og:image");
    assert_eq!(
        url,
        format!("http://planner.example.org/s/{first}/preview.png")
    );
    let (status, _, bytes) = image(&app, &url, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(png_size(&bytes), (1200, 630));
}

#[tokio::test]
async fn the_icon_browsers_ask_for_by_default_leads_to_the_sites_icon() {
    let app = TestApp::new().await;
    let icon = app.get("/favicon.ico").await;
    assert_eq!(icon.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(icon.headers[header::LOCATION], "/favicon.svg");
}

#[tokio::test]
async fn a_comparison_exports_as_csv_one_column_per_scenario() {
    let app = TestApp::new().await;
    let (first, _) = save(&app, "small fleet").await;
    let (second, _) = save(&app, "=HYPERLINK(\"x\")").await;
    let query = format!("ids={first},{second}");
    // The comparison page links to it.
    let page = app.get(&format!("/compare?{query}")).await;
    assert!(
        page.body
            .contains(&format!("href=\"/compare.csv?{query}\"")),
        "no CSV link"
    );

    let csv = app.get(&format!("/compare.csv?{query}")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type.starts_with("text/csv"));
    let table = Csv::read(&csv.body);
    // A name a spreadsheet would run as a formula is neutralised.
    assert_eq!(
        table.header,
        ["field", "unit", "small fleet", "'=HYPERLINK(\"x\")"]
    );
    let row = |field: &str| table.row(field).to_vec();
    let report = Deployment::example().evaluate().unwrap();
    let cost = row("report.per_response.cost_per_response_usd");
    for value in &cost[2..] {
        assert_eq!(
            value.parse::<f64>().unwrap(),
            report.per_response.cost_per_response_usd
        );
    }
    assert_eq!(row("scenario.pricing.usd_per_gpu_hour")[1], "$/GPU-hour");
    assert_eq!(row("id")[2..], [first.clone(), second]);

    let unknown = app
        .get(&format!("/compare.csv?ids={first},{}", "0".repeat(32)))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}
