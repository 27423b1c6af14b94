//! `POST /api/v1/search`: the deployments that serve a model's use case
//! within its targets and the request's constraints, best first, with the
//! Pareto fronts and why every class of candidates lost.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::Method;
use serde_json::json;
use tokenfab_core::deployment::Deployment;
use tokenfab_core::search::{SearchOutcome, SearchRequest};

use super::Api;
use super::input::{body_bytes, parse_json};
use super::operation::Operation;
use crate::error::HttpError;
use crate::service::search;

/// Adds the search route to `api`.
pub fn routes(api: Api) -> Api {
    api.add(
        Operation::new(Method::POST, "/api/v1/search", "search", "Search", "Find the best deployment")
            .describe("Tries every allowed accelerator, accelerators per replica, weight and KV-cache precision, serving stack and price (each catalogue cloud offer with its date and source, owning at the catalogue's purchase price, or the request's own offers) for the deployment's model and use case. Each candidate is sized for the demand at its busiest concurrency within the latency targets. Answers the best candidates by the objective (each with the deployment to evaluate or open in the planner): by default the best as given (at least 24) are drawn over the deployment's ranges, or the model's measured error and the catalogue's spreads when it has none, and ranked by their expected value; `rank_by` `p90` ranks by the unfavourable 90th percentile and `point` by the figure as given, drawing nothing. Each drawn candidate carries `range`, and `ranking` says how many were drawn, with how many draws and which seed; the Pareto fronts of cost per response against energy per response and against tokens per second per user, candidates left out by reason, and for every class of candidates (an accelerator, a replica size, a precision, a stack, renting or owning) whether it has the winner or why it lost. When nothing is feasible, `none_feasible` says why; that is a 200.")
            .body::<SearchRequest>(json!({
                "deployment": Deployment::example(),
                "space": { "accelerators": ["h100-sxm-80gb", "h200-sxm-141gb", "b200-sxm-180gb", "mi300x"], "ownership": "both" },
                "constraints": { "power_budget_kw": 100, "max_gpus": 64 },
                "objective": "cost_per_response",
                "rank_by": "expected",
                "top": 5,
            }))
            .json::<SearchOutcome>(200, "The best candidates, fronts and verdicts.")
            .problems(&[(400, "Malformed JSON."), (413, "Body over 64 KiB."), (422, "A field of the request or its deployment is out of range, an accelerator id is unknown, a list is empty, or the space is too large; names the field.")]),
        search_handler,
    )
}

async fn search_handler(
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<SearchOutcome>, HttpError> {
    let request: SearchRequest = parse_json(&body_bytes(body)?)?;
    // A large space takes seconds of arithmetic: off the async workers.
    let outcome = tokio::task::spawn_blocking(move || search::run(&request))
        .await
        .map_err(|e| HttpError::Internal(e.to_string()))??;
    Ok(Json(outcome))
}
