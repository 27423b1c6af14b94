//! How far the performance model is from published measurements: the
//! report on the product's own validation table, and its charts.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::extract::rejection::PathRejection;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::Api;
use super::operation::{Location, Operation};
use crate::accuracy::{self, AccuracyReport};
use crate::charts::{ChartError, accuracy_svg};
use crate::error::HttpError;

/// The table is compiled in, so its report changes only with the server.
const CACHED: &str = "public, max-age=3600";

/// Adds the accuracy routes to `api`.
pub fn routes(api: Api) -> Api {
    api.add(
        Operation::new(Method::GET, "/api/v1/accuracy", "accuracy", "Accuracy", "The model against published measurements")
            .describe("Every row of the validation table (published throughput, latency, power and energy, each with its source) predicted with the built-in factors: the error per source, per accelerator and per metric, the coverage of each accelerator and serving stack, and the rows that could not be predicted with the reason. `tokenfab accuracy FILE.csv` reports on a table of your own in the same format.")
            .json::<AccuracyReport>(200, "The report."),
        report,
    )
    .add(
        Operation::new(Method::GET, "/api/v1/accuracy/charts/{chart}", "accuracyChart", "Accuracy", "Predicted against measured, one metric")
            .describe("A dot per measurement on log axes, coloured by source, with the line where prediction equals measurement and the ±35 % band.")
            .param("chart", Location::Path, true, "A metric of the table (as `GET /api/v1/accuracy` lists them), then `.svg`.", json!("output_tok_s_total.svg"))
            .reply(200, "image/svg+xml", "The chart as SVG.")
            .problems(&[(404, "No such metric in the table.")]),
        chart,
    )
}

async fn report() -> Response {
    // Serialised once: the table and the factors change only with the server.
    static JSON: OnceLock<String> = OnceLock::new();
    let json = JSON.get_or_init(|| {
        serde_json::to_string(accuracy::built_in()).unwrap_or_else(|_| "{}".to_owned())
    });
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, CACHED),
        ],
        json.as_str(),
    )
        .into_response()
}

async fn chart(segment: Result<Path<String>, PathRejection>) -> Result<Response, HttpError> {
    let segment = match segment {
        Ok(Path(segment)) => segment,
        Err(rejection) => {
            return Err(HttpError::NotFound {
                message: format!("chart: {}", rejection.body_text()),
                field: Some("chart".to_owned()),
            });
        }
    };
    let report = accuracy::built_in();
    let not_found = || {
        let mut metrics: Vec<&str> = report.rows.iter().map(|r| r.metric.as_str()).collect();
        metrics.sort_unstable();
        metrics.dedup();
        HttpError::NotFound {
            message: format!(
                "chart: no chart {segment:?}; the charts are {} with .svg",
                metrics.join(", ")
            ),
            field: Some("chart".to_owned()),
        }
    };
    let metric = segment.strip_suffix(".svg").ok_or_else(not_found)?;
    let svg = accuracy_svg(report, metric).map_err(|e| match e {
        ChartError::Unplottable(_) => not_found(),
        other => HttpError::Internal(other.to_string()),
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, CACHED),
        ],
        svg,
    )
        .into_response())
}
