//! The JSON exchanged with the REST API, shared by the server that answers
//! it and the browser that calls it.

use serde::{Deserialize, Serialize};
use tokenfab_core::deployment::Deployment;

/// Where scenarios are saved.
pub const SCENARIOS_PATH: &str = "/api/v1/scenarios";

/// Body of `POST /api/v1/scenarios`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SaveScenario {
    /// A name for people; may be empty.
    #[serde(default)]
    pub name: String,
    /// Notes for people; may be empty.
    #[serde(default)]
    pub notes: String,
    /// The inputs to store: a modeled deployment, or a measured-level
    /// scenario (told apart by the deployment's `model`).
    #[cfg_attr(feature = "schema", schemars(with = "Inputs"))]
    pub scenario: serde_json::Value,
}

/// What a saved scenario's inputs may be, for the API's schema: the body
/// field stays raw JSON so that errors name the path inside it.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[allow(dead_code)] // only its schema is used
#[serde(untagged)]
enum Inputs {
    /// A modeled deployment (schema version 2).
    Deployment(Box<Deployment>),
    /// Measured throughput and power with prices (schema version 1).
    Measured(Box<tokenfab_core::migrate::v1::MeasuredScenario>),
}

/// Answer to a successful save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SavedScenario {
    /// The stored scenario's id: 128 random bits, hex encoded.
    pub id: String,
    /// What allows changing or deleting it (send as `Authorization: Bearer
    /// <token>`): shown once, only its hash is kept.
    pub edit_token: String,
}

/// Body of `PUT /api/v1/scenarios/{id}`: the fields to change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateScenario {
    /// A new name.
    #[serde(default)]
    pub name: Option<String>,
    /// New notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// New inputs, as for saving.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Inputs>"))]
    pub scenario: Option<serde_json::Value>,
}

/// `GET /api/v1/scenarios/{id}`: a saved scenario with its report, the
/// export format.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExportedScenario {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its notes.
    pub notes: String,
    /// The schema version it was saved in (its inputs are shown migrated).
    pub schema_version: i64,
    /// Unix seconds when saved.
    pub created_at: i64,
    /// Unix seconds of the last change.
    pub updated_at: i64,
    /// 1 when saved, one more with each change; also its ETag, which an
    /// update or delete may send as If-Match to refuse overwriting a
    /// change it has not seen.
    pub revision: i64,
    /// The inputs, as a deployment.
    pub scenario: Deployment,
    /// The report, when the inputs evaluate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<tokenfab_core::deployment::DeploymentReport>,
    /// Why there is no report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_error: Option<String>,
}

/// Every error the API returns, as problem details (RFC 9457, served as
/// `application/problem+json`): a kind, a summary, the status, what went
/// wrong for people, and the JSON path of each field at fault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Problem {
    /// A URI reference naming the kind of problem; the API docs describe each.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong with this request, naming the field.
    pub detail: String,
    /// JSON path (or parameter or header name) of the first field at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every field at fault, when there are several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// One field at fault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldProblem {
    /// Its JSON path, e.g. `pricing.pue`.
    pub field: String,
    /// What is wrong with it.
    pub detail: String,
}

/// Saves a deployment from the browser under `name`.
///
/// # Errors
/// The server's message when it refuses the scenario, or a note that the
/// network failed.
pub async fn save_deployment(
    name: String,
    notes: String,
    deployment: Deployment,
) -> Result<SavedScenario, String> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_net::http::Request;
        let body = SaveScenario {
            name,
            notes,
            scenario: serde_json::to_value(&deployment).map_err(|e| e.to_string())?,
        };
        let request = Request::post(SCENARIOS_PATH)
            .json(&body)
            .map_err(|e| e.to_string())?;
        let response = request
            .send()
            .await
            .map_err(|_| "Could not reach the server; nothing was saved.".to_owned())?;
        if response.ok() {
            response.json().await.map_err(|e| e.to_string())
        } else {
            Err(refusal(&response).await)
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (name, notes, deployment);
        Err("Saving runs in the browser.".to_owned())
    }
}

/// Renames saved scenario `id` with its edit token.
///
/// # Errors
/// The server's message (a wrong token, say), or a note that the network failed.
pub async fn rename_scenario(id: String, edit_token: String, name: String) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_net::http::Request;
        let body = UpdateScenario {
            name: Some(name),
            ..UpdateScenario::default()
        };
        let response = Request::put(&format!("{SCENARIOS_PATH}/{id}"))
            .header("Authorization", &format!("Bearer {edit_token}"))
            .json(&body)
            .map_err(|e| e.to_string())?
            .send()
            .await
            .map_err(|_| "Could not reach the server; nothing changed.".to_owned())?;
        if response.ok() {
            Ok(())
        } else {
            Err(refusal(&response).await)
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (id, edit_token, name);
        Err("Renaming runs in the browser.".to_owned())
    }
}

/// Deletes saved scenario `id` with its edit token.
///
/// # Errors
/// The server's message (a wrong token, say), or a note that the network failed.
pub async fn delete_scenario(id: String, edit_token: String) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_net::http::Request;
        let response = Request::delete(&format!("{SCENARIOS_PATH}/{id}"))
            .header("Authorization", &format!("Bearer {edit_token}"))
            .send()
            .await
            .map_err(|_| "Could not reach the server; nothing was deleted.".to_owned())?;
        // Already gone is as good as deleted.
        if response.ok() || response.status() == 404 {
            Ok(())
        } else {
            Err(refusal(&response).await)
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (id, edit_token);
        Err("Deleting runs in the browser.".to_owned())
    }
}

/// Path of the evaluation endpoint.
pub const EVALUATE_PATH: &str = "/api/v1/evaluate";

/// The server's reading of a deployment the browser could not read. The
/// browser's reader does not track JSON paths (it would double the bundle's
/// deserialisers); the server's names the field at fault.
///
/// None when the server accepts it or cannot be reached.
pub async fn server_objection(deployment_json: String) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_net::http::Request;
        let response = Request::post(EVALUATE_PATH)
            .header("Content-Type", "application/json")
            .body(deployment_json)
            .ok()?
            .send()
            .await
            .ok()?;
        if response.ok() {
            None
        } else {
            Some(refusal(&response).await)
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = deployment_json;
        None
    }
}

/// Path of the calibration endpoint.
pub const CALIBRATE_PATH: &str = "/api/v1/calibrate";

/// One figure measured, and modeled before and after the fit.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedRow {
    /// What it is, with its unit.
    pub figure: String,
    /// As measured.
    pub measured: f64,
    /// The model before the fit.
    pub before: f64,
    /// The model after.
    pub after: f64,
}

/// What the page reads of a calibration's answer. Read by hand from the
/// JSON rather than derived: the bundle already holds a reader for JSON
/// values and one for deployments, and a derived reader would add another
/// copy of the deployment's.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrateAnswer {
    /// The deployment with the fitted factors.
    pub fitted: Deployment,
    /// The multiplier on the stack's speed.
    pub speed_factor: f64,
    /// The further multiplier on prefill, if the benchmark gave a TTFT.
    pub prefill_factor: Option<f64>,
    /// The multiplier on the power weights, if a log was sent.
    pub power_factor: Option<f64>,
    /// Requests in flight the fit used.
    pub concurrency: f64,
    /// Where that came from.
    pub concurrency_source: String,
    /// Measured against modeled.
    pub rows: Vec<FittedRow>,
    /// What to know about the fit.
    pub notes: Vec<String>,
    /// Measured output tokens/s, for the measured-values panel.
    pub measured_output: Option<f64>,
    /// Measured power, W, at [`CalibrateAnswer::measured_scope`].
    pub measured_watts: Option<f64>,
    /// Where the measured power applies.
    pub measured_scope: tokenfab_core::deployment::PowerScope,
    /// The power trace, when a log was sent.
    pub power_chart_svg: Option<String>,
    /// Measured output and prompt tokens/s.
    pub observed_rates: (f64, f64),
    /// The power log's own figures, when a log was sent.
    pub observed_power: Option<ObservedPower>,
}

/// A power log's figures, at the scope it measured.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservedPower {
    /// GPUs in the log.
    pub gpus: f64,
    /// Mean draw, W.
    pub mean_w: f64,
    /// Median draw, W.
    pub p50_w: f64,
    /// 90th percentile, W.
    pub p90_w: f64,
    /// Energy per output token from the mean draw, J.
    pub joules_per_output_token: f64,
    /// Prompt and output tokens per kWh.
    pub tokens_per_kwh: f64,
}

impl CalibrateAnswer {
    /// Reads the answer's JSON.
    ///
    /// # Errors
    /// When it is not a calibration.
    pub fn from_json(text: &str) -> Result<Self, String> {
        use serde_json::Value;
        let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let c = &v["calibration"];
        let fitted = Deployment::from_json(&c["fitted"].to_string()).map_err(|e| e.to_string())?;
        let number = |v: &Value| v.as_f64();
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
        let m = &c["measured"];
        Ok(CalibrateAnswer {
            fitted,
            speed_factor: number(&c["speed_factor"]).ok_or("no speed factor")?,
            prefill_factor: number(&c["prefill_factor"]),
            power_factor: number(&c["power_factor"]),
            concurrency: number(&c["concurrency"]).unwrap_or_default(),
            concurrency_source: text(&c["concurrency_source"]),
            rows: list(&c["comparisons"])
                .iter()
                .map(|r| FittedRow {
                    figure: text(&r["figure"]),
                    measured: number(&r["measured"]).unwrap_or(f64::NAN),
                    before: number(&r["modeled_before"]).unwrap_or(f64::NAN),
                    after: number(&r["modeled_after"]).unwrap_or(f64::NAN),
                })
                .collect(),
            notes: list(&c["notes"]).iter().map(text).collect(),
            measured_output: number(&m["output_tokens_per_s"]),
            measured_watts: number(&m["watts"]),
            measured_scope: match m["scope"].as_str() {
                Some("server") => tokenfab_core::deployment::PowerScope::Server,
                Some("facility") => tokenfab_core::deployment::PowerScope::Facility,
                _ => tokenfab_core::deployment::PowerScope::Gpu,
            },
            power_chart_svg: v["power_chart_svg"].as_str().map(str::to_owned),
            observed_rates: (
                number(&c["observed"]["output_tokens_per_s"]).unwrap_or(f64::NAN),
                number(&c["observed"]["input_tokens_per_s"]).unwrap_or(f64::NAN),
            ),
            observed_power: c["observed"]["power"].as_object().map(|p| {
                let figure = |key: &str| p.get(key).and_then(Value::as_f64).unwrap_or(f64::NAN);
                ObservedPower {
                    gpus: figure("gpus"),
                    mean_w: figure("mean_w"),
                    p50_w: figure("p50_w"),
                    p90_w: figure("p90_w"),
                    joules_per_output_token: figure("joules_per_output_token"),
                    tokens_per_kwh: figure("tokens_per_kwh"),
                }
            }),
        })
    }
}

/// Sends the deployment and the measurement files' text to be fitted.
///
/// # Errors
/// The server's message naming the file and line at fault, or a note that
/// the network failed.
pub async fn calibrate(request: serde_json::Value) -> Result<CalibrateAnswer, String> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_net::http::Request;
        let response = Request::post(CALIBRATE_PATH)
            .json(&request)
            .map_err(|e| e.to_string())?
            .send()
            .await
            .map_err(|_| "Could not reach the server.".to_owned())?;
        if response.ok() {
            CalibrateAnswer::from_json(&response.text().await.map_err(|e| e.to_string())?)
        } else {
            Err(refusal(&response).await)
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = request;
        Err("Calibrating runs in the browser.".to_owned())
    }
}

/// The server's reason for refusing, from its JSON error.
#[cfg(feature = "hydrate")]
async fn refusal(response: &gloo_net::http::Response) -> String {
    match response.json::<Problem>().await {
        Ok(problem) => problem.detail,
        Err(_) => format!("The server answered {}.", response.status()),
    }
}
