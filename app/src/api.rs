//! The JSON exchanged with the REST API, shared by the server that answers
//! it and the browser that calls it.

use serde::{Deserialize, Serialize};
use tokenfab_core::deployment::Deployment;

/// Where scenarios are saved.
pub const SCENARIOS_PATH: &str = "/api/v1/scenarios";

/// Body of `POST /api/v1/scenarios`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveScenario {
    /// A name for people; may be empty.
    #[serde(default)]
    pub name: String,
    /// The inputs to store: a modeled deployment, or a measured-level
    /// scenario (told apart by the deployment's `model`).
    pub scenario: serde_json::Value,
}

/// Answer to a successful save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedScenario {
    /// The stored scenario's id: 128 random bits, hex encoded.
    pub id: String,
}

/// Every error the API returns: a message for people and, when one field
/// is to blame, its JSON path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    /// What went wrong, naming the field.
    pub error: String,
    /// JSON path of the offending field, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Saves a deployment from the browser.
///
/// # Errors
/// The server's message when it refuses the scenario, or a note that the
/// network failed.
pub async fn save_deployment(deployment: Deployment) -> Result<SavedScenario, String> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_net::http::Request;
        let body = SaveScenario {
            name: String::new(),
            scenario: serde_json::to_value(&deployment).map_err(|e| e.to_string())?,
        };
        let response = Request::post(SCENARIOS_PATH)
            .json(&body)
            .map_err(|e| e.to_string())?
            .send()
            .await
            .map_err(|_| "Could not reach the server; nothing was saved.".to_owned())?;
        if response.ok() {
            response.json().await.map_err(|e| e.to_string())
        } else {
            let error: ApiError = response
                .json()
                .await
                .map_err(|_| format!("The server answered {}.", response.status()))?;
            Err(error.error)
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = deployment;
        Err("Saving runs in the browser.".to_owned())
    }
}
