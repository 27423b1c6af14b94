//! POST /api/v1/models/from-hugging-face-config: a pasted `config.json`
//! read into a custom model, or refused naming the key at fault.

use http::StatusCode;
use tokenfab_core::deployment::{Choice, Deployment};
use tokenfab_core::model::ModelSpec;

use crate::support::TestApp;

const PATH: &str = "/api/v1/models/from-hugging-face-config";

/// Mixtral 8x7B's published config (the keys the dimensions need).
const MIXTRAL: &str = r#"{"hidden_size": 4096, "intermediate_size": 14336,
    "max_position_embeddings": 32768, "num_attention_heads": 32,
    "num_experts_per_tok": 2, "num_hidden_layers": 32,
    "num_key_value_heads": 8, "num_local_experts": 8, "vocab_size": 32000}"#;

#[tokio::test]
async fn a_config_becomes_a_model_a_deployment_runs() {
    let app = TestApp::new().await;
    let response = app.post_json(PATH, MIXTRAL).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let spec: ModelSpec = serde_json::from_str(&response.body).unwrap();
    // 46.7 B parameters of which 12.9 B are active, as Mistral publishes.
    assert!(
        (spec.total_params_b - 46.7).abs() < 0.05,
        "{}",
        spec.total_params_b
    );
    assert!(
        (spec.active_params_b - 12.9).abs() < 0.05,
        "{}",
        spec.active_params_b
    );
    assert_eq!(spec.layers, 32);
    let mut d = Deployment::example();
    d.model.choice = Choice::Spec(spec);
    assert!(d.evaluate().is_ok());
}

#[tokio::test]
async fn a_config_without_a_needed_key_is_refused_naming_it() {
    let app = TestApp::new().await;
    let without_layers = MIXTRAL.replace("\"num_hidden_layers\": 32,", "");
    let response = app.post_json(PATH, without_layers).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = response.json();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("num_hidden_layers"),
        "{problem}"
    );
    let not_json = app.post_json(PATH, "{ not json").await;
    assert_eq!(not_json.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        not_json.body.contains("not a JSON object"),
        "{}",
        not_json.body
    );
    let too_big = app.post_json(PATH, " ".repeat(70 * 1024)).await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
}
