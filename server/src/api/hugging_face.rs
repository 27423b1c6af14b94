//! A model's dimensions read from its Hugging Face `config.json`, for a
//! model the catalogue does not have: what the planner's *Paste a Hugging
//! Face config.json* does in the page, for API users.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::Method;
use serde_json::json;
use tokenfab_core::hf_config::model_from_hf_config;
use tokenfab_core::model::ModelSpec;

use super::Api;
use super::input::body_bytes;
use super::operation::Operation;
use crate::error::HttpError;

/// Path of the reader.
pub const PATH: &str = "/api/v1/models/from-hugging-face-config";

/// Adds the reader's route to `api`.
pub fn routes(api: Api) -> Api {
    api.add(
        Operation::new(Method::POST, PATH, "modelFromHuggingFaceConfig", "Models", "Read a Hugging Face config")
            .describe("The body is a model's `config.json` from the Hugging Face Hub (a multimodal file's `text_config` is read). Answers the model's dimensions as a custom model (`model.custom` of a deployment): parameters, layers, heads, hidden size, experts and attention.")
            .body::<serde_json::Value>(json!({
                "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
                "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 128256,
                "torch_dtype": "bfloat16"
            }))
            .json::<ModelSpec>(200, "The model's dimensions.")
            .problems(&[(400, "Malformed body."), (413, "Body over 64 KiB."), (422, "Not a JSON object, or a key the dimensions need is missing or not a positive whole number; names the key.")]),
        read_config,
    )
}

async fn read_config(body: Result<Bytes, BytesRejection>) -> Result<Json<ModelSpec>, HttpError> {
    let body = body_bytes(body)?;
    let text = std::str::from_utf8(&body).map_err(|_| HttpError::Malformed {
        message: "the config is not UTF-8 text".to_owned(),
        field: None,
    })?;
    let spec = model_from_hf_config(text).map_err(|e| HttpError::Invalid {
        message: e.to_string(),
        field: e.key().map(str::to_owned),
    })?;
    // Dimensions a deployment would refuse are refused here, as they would be.
    spec.validate().map_err(|e| HttpError::Invalid {
        message: format!("the config's dimensions do not make a model: {e}"),
        field: None,
    })?;
    Ok(Json(spec))
}
