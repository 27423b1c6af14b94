//! Evaluating a deployment sent in the request: its whole report, or its
//! headline figures as one input sweeps over a list of values.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::Method;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokenfab_core::deployment::{Deployment, DeploymentReport, Document};
use tokenfab_core::headline::Headline;
use tokenfab_core::sweep::{self, SweepPoint};

use super::Api;
use super::input::{body_bytes, evaluated, parse_json, read_deployment, under};
use super::operation::Operation;
use crate::error::HttpError;

/// Adds the evaluation routes to `api`.
pub fn routes(api: Api) -> Api {
    api.add(
        Operation::new(Method::POST, "/api/v1/evaluate", "evaluate", "Evaluate", "Evaluate a deployment")
            .describe("The body is a deployment (fetch `/api/v1/scenarios/default` for a complete one to change). Answers the headline figures and the whole report: memory, speed, fleet, power, energy, costs and the cost of a meaningful response term by term.")
            .body::<Deployment>(serde_json::to_value(Deployment::example()).unwrap_or_default())
            .json::<Evaluation>(200, "The headline figures and the report.")
            .problems(&[(400, "Malformed JSON."), (413, "Body over 64 KiB."), (422, "A field is out of range, of the wrong type, or the deployment cannot run (weights that do not fit); names every field out of range.")]),
        evaluate,
    )
    .add(
        Operation::new(Method::POST, "/api/v1/sweep", "sweep", "Evaluate", "Sweep one input over a list of values")
            .describe("Sets the numeric field at `parameter` (a JSON path in the deployment, e.g. `pricing.usd_per_gpu_hour` or `use_case.requests_per_day`) to each of `values` (1 to 1,000), holding every other input, and answers the headline figures at each. A value that makes the deployment invalid reports its error in its point.")
            .body::<SweepRequest>(json!({
                "scenario": Deployment::example(),
                "parameter": "pricing.usd_per_gpu_hour",
                "values": [1.5, 2.0, 2.94, 4.0],
            }))
            .json::<SweepResponse>(200, "One point per value, in order.")
            .problems(&[(400, "Malformed JSON."), (413, "Body over 64 KiB."), (422, "The scenario has a bad field, the parameter is not a numeric field, or the values are not 1 to 1,000 finite numbers.")]),
        sweep_handler,
    )
}

/// A deployment's figures.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Evaluation {
    /// The headline figures.
    pub headline: Headline,
    /// Everything.
    pub report: DeploymentReport,
}

/// Body of a sweep.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SweepRequest {
    /// The deployment to vary.
    pub scenario: Document,
    /// JSON path of the numeric field to vary.
    pub parameter: String,
    /// The values it takes, 1 to 1,000.
    pub values: Vec<f64>,
}

/// Answer to a sweep.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SweepResponse {
    /// The field varied.
    pub parameter: String,
    /// The figures at each value, in the order given.
    pub points: Vec<SweepPoint>,
}

async fn evaluate(body: Result<Bytes, BytesRejection>) -> Result<Json<Evaluation>, HttpError> {
    let report = evaluated(&read_deployment(&body_bytes(body)?)?)?;
    Ok(Json(Evaluation {
        headline: Headline::from(&report),
        report,
    }))
}

async fn sweep_handler(
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<SweepResponse>, HttpError> {
    let request: SweepRequest = parse_json(&body_bytes(body)?)?;
    let scenario = request
        .scenario
        .resolve()
        .map_err(|e| under("scenario.", e.into()))?;
    evaluated(&scenario).map_err(|e| under("scenario.", e))?;
    let points = sweep::sweep(&scenario, &request.parameter, &request.values)?;
    Ok(Json(SweepResponse {
        parameter: request.parameter,
        points,
    }))
}
