//! `POST /api/v1/ranges`: how sure each headline figure is, drawn from the
//! person's ranges on the inputs and the model's measured error.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::Method;
use serde_json::json;
use tokenfab_core::deployment::Deployment;
use tokenfab_core::uncertainty::{RangesReport, evaluate_ranges};

use super::Api;
use super::input::{body_bytes, checked_and_evaluated, read_deployment};
use super::operation::Operation;
use crate::error::HttpError;

/// Adds the ranges route to `api`.
pub fn routes(api: Api) -> Api {
    let mut example = serde_json::to_value(Deployment::example()).unwrap_or_default();
    example["ranges"] = json!({
        "inputs": [
            { "input": "pricing.usd_per_gpu_hour", "low": 2.2, "high": 4.0 },
            { "input": "use_case.requests_per_day", "low": 1_000_000, "high": 4_000_000 }
        ],
        "model_error": true,
        "samples": 1000,
        "seed": 7,
        "power_budget_kw": 40
    });
    api.add(
        Operation::new(Method::POST, "/api/v1/ranges", "ranges", "Evaluate", "Ranges on the headline figures")
            .describe("The body is a deployment whose optional `ranges` give a low and a high for any numeric input, named by its JSON path (the deployment's value is the most likely one: a triangular spread), whether to draw the performance model's own error (on by default: the spread of predicted over measured speed, prefill and power on the validation table's published measurements for the deployment's stack and class of model, or 5 % either way for what was measured or fitted), whether to draw the catalogue's own spread on the figures taken from it (`catalogue_spread`, on by default: the accelerator's power, and an electricity price, PUE or grid carbon equal to a catalogue entry's, 5, 15 or 30 % either way by the source's confidence), the draws (1,000 by default, at most 20,000), the seed (a fixed one by default, so the same inputs give the same ranges) and a power budget. Every draw evaluates the whole deployment again. Answers the point value, the mean, P10, P50 and P90 of each headline figure, the probability that the latency targets hold, that owning is cheaper than renting by month 24 and that the fleet fits the power budget, where each spread comes from, and each input's share of the spread of the cost per response.")
            .body::<Deployment>(example)
            .json::<RangesReport>(200, "The ranges, probabilities, sources and shares.")
            .problems(&[(400, "Malformed JSON."), (413, "Body over 64 KiB."), (422, "A field is out of range, the deployment cannot run, or a range is not one (an unknown input, a low above the value, a bound outside the input's own range, too many draws); names the field.")]),
        ranges_handler,
    )
}

async fn ranges_handler(
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<RangesReport>, HttpError> {
    let deployment = read_deployment(&body_bytes(body)?)?;
    // Every field out of range listed at once, as the evaluation does.
    checked_and_evaluated(&deployment)?;
    // Thousands of evaluations: off the async workers.
    let report = tokio::task::spawn_blocking(move || evaluate_ranges(&deployment))
        .await
        .map_err(|e| HttpError::Internal(e.to_string()))??;
    Ok(Json(report))
}
