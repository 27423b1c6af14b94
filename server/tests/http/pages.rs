use http::StatusCode;

use app::chart_query::{DEPLOYMENT_CHARTS, deployment_chart_url};
use app::format;
use tokenfab_core::deployment::Deployment;

use crate::support::TestApp;

#[tokio::test]
async fn the_planner_renders_the_default_deployments_figures_before_any_script_runs() {
    let app = TestApp::new().await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("text/html"));
    let r = Deployment::example().evaluate().unwrap();
    for (id, value) in [
        (
            "cost-per-response",
            format::usd(r.per_response.cost_per_response_usd, 3),
        ),
        (
            "usd-per-m-output",
            format::usd(r.costs.at_utilisation.usd_per_m_output, 3),
        ),
        (
            "tokens-per-joule",
            format::significant(r.energy.tokens_per_joule, 3),
        ),
        ("tpot", format::significant(r.performance.tpot_ms, 3)),
        ("fleet", r.fleet.gpus.to_string()),
    ] {
        let expected = format!(r#"id="{id}" class="value">{value}<"#);
        assert!(page.body.contains(&expected), "missing {expected}");
    }
    // Plausible on its face: a support-chat answer costs well under a cent.
    assert!(r.per_response.cost_per_response_usd < 0.01);
}

#[tokio::test]
async fn the_inputs_are_filled_in_on_first_paint() {
    let app = TestApp::new().await;
    let page = app.get("/").await.body;
    assert!(
        page.contains(r#"id="model-name""#) && page.contains(r#"value="Llama 3.1 70B Instruct""#)
    );
    assert!(page.contains(r#"id="gpus-per-replica""#) && page.contains(r#"value="4""#));
    assert!(page.contains(r#"value="2.94""#));
}

#[tokio::test]
async fn the_page_loads_the_hydration_script_and_points_at_its_charts() {
    let app = TestApp::new().await;
    let page = app.get("/").await.body;
    assert!(page.contains("/pkg/tokenfab.js"));
    for (kind, _) in DEPLOYMENT_CHARTS {
        let url = deployment_chart_url(kind, &Deployment::example());
        assert!(page.contains(&format!(r#"src="{url}""#)), "no {kind} chart");
        // And the server draws what the page points at.
        assert_eq!(app.get(&url).await.status, StatusCode::OK, "{kind}");
    }
}

#[tokio::test]
async fn an_unknown_page_is_a_404_with_a_way_back() {
    let app = TestApp::new().await;
    let page = app.get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found"));
}
