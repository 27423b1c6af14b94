use http::StatusCode;

use crate::support::TestApp;

const CHART: &str = "/charts/tokens-per-dollar.svg";

#[tokio::test]
async fn the_chart_is_svg_and_follows_the_inputs() {
    let app = TestApp::new().await;
    let cheap = app
        .get(&format!(
            "{CHART}?gpus=1&usd_per_gpu_hour=2&usd_per_kwh=0.17&tokens_per_s=3000&watts=1000"
        ))
        .await;
    assert_eq!(cheap.status, StatusCode::OK);
    assert!(cheap.content_type.starts_with("image/svg+xml"));
    assert!(cheap.body.contains("<svg"));
    let dear = app
        .get(&format!(
            "{CHART}?gpus=1&usd_per_gpu_hour=7&usd_per_kwh=0.17&tokens_per_s=3000&watts=1000"
        ))
        .await;
    assert_eq!(dear.status, StatusCode::OK);
    assert_ne!(cheap.body, dear.body);
}

#[tokio::test]
async fn an_out_of_range_parameter_is_named() {
    let app = TestApp::new().await;
    let response = app
        .get(&format!(
            "{CHART}?gpus=0&usd_per_gpu_hour=2&usd_per_kwh=0.17&tokens_per_s=3000&watts=1000"
        ))
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["field"], "gpus");
}

#[tokio::test]
async fn a_missing_or_garbled_parameter_is_a_400_naming_it() {
    let app = TestApp::new().await;
    let response = app.get(&format!("{CHART}?gpus=1")).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(
        response.json()["error"]
            .as_str()
            .unwrap()
            .contains("usd_per_gpu_hour")
    );
    let response = app
        .get(&format!(
            "{CHART}?gpus=1&usd_per_gpu_hour=NaN&usd_per_kwh=0.17&tokens_per_s=3000&watts=1000"
        ))
        .await;
    assert!(response.status.is_client_error());
}
