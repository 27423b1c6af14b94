use http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn the_planner_renders_the_articles_figures_before_any_script_runs() {
    let app = TestApp::new().await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("text/html"));
    for expected in [
        r#"id="tokens-per-joule" class="value">3.00<"#,
        r#"id="tokens-per-kwh" class="value">10.8 M<"#,
        r#"id="energy-usd-per-token" class="value">$1.574 × 10⁻⁸<"#,
        r#"id="tokens-per-usd" class="value">5.40 M<"#,
        r#"id="wh-per-request" class="value">0.100<"#,
    ] {
        assert!(page.body.contains(expected), "missing {expected}");
    }
}

#[tokio::test]
async fn the_inputs_are_filled_in_on_first_paint() {
    let app = TestApp::new().await;
    let page = app.get("/").await.body;
    assert!(page.contains(r#"id="tokens-per-s""#) && page.contains(r#"value="3000""#));
    assert!(page.contains(r#"value="0.17""#));
}

#[tokio::test]
async fn the_page_loads_the_hydration_script_and_points_at_its_chart() {
    let app = TestApp::new().await;
    let page = app.get("/").await.body;
    assert!(page.contains("/pkg/tokenfab.js"));
    assert!(page.contains(
        r#"src="/charts/tokens-per-dollar.svg?gpus=1&amp;usd_per_gpu_hour=2&amp;usd_per_kwh=0.17&amp;tokens_per_s=3000&amp;watts=1000""#
    ));
}

#[tokio::test]
async fn an_unknown_page_is_a_404_with_a_way_back() {
    let app = TestApp::new().await;
    let page = app.get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found"));
}
