//! Chart images of a deployment, as SVG or PNG: sent inline (in the query
//! as base64, or as a JSON body) or of a saved scenario.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, Query, State};
use axum::http::{Method, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use tokenfab_core::deployment::Deployment;

use super::input::{
    body_bytes, check_query_length, checked_and_evaluated, decode_deployment, read_deployment,
};
use super::operation::{Location, Operation};
use super::{Api, scenarios};
use crate::db::Db;
use crate::error::HttpError;
use crate::service::chart::{self, Format, ImageError};
use crate::service::store;
use app::chart_query::DeploymentChart;

/// How the image of an inline deployment may be cached: its URL holds
/// every input, so it never changes.
const IMMUTABLE: &str = "public, max-age=86400, immutable";
/// How the image of a saved scenario may be cached: its owner may change it.
const REVALIDATE: &str = "public, no-cache";

/// Adds the chart routes to `api`.
pub fn routes(api: Api) -> Api {
    let chart_param = |op: Operation| {
        op.param(
            "chart",
            Location::Path,
            true,
            "The chart and its format: `concurrency`, `energy`, `response-cost`, `carbon`, `months`, `utilisation` or `sensitivity`, then `.svg` or `.png`.",
            json!("months.svg"),
        )
    };
    let images = |op: Operation| {
        op.reply(200, "image/svg+xml", "The chart as SVG (a `.svg` chart).")
            .reply(
                200,
                "image/png",
                "The chart as PNG at twice its size (a `.png` chart).",
            )
    };
    api.add(
        images(chart_param(Operation::new(Method::GET, "/api/v1/charts/{chart}", "chartInline", "Charts", "A chart of a deployment sent in the URL")))
            .describe("The deployment travels in the query as URL-safe base64 of its JSON, so the URL can be cached and embedded.")
            .param("scenario", Location::Query, true, "URL-safe base64 (padding optional) of the deployment's JSON.", json!(app::chart_query::encode_deployment(&Deployment::example())))
            .problems(&[(400, "Not base64 or not JSON."), (404, "No such chart."), (414, "Query over 16 KiB."), (422, "A field is out of range or the deployment cannot run.")]),
        inline_chart,
    )
    .add(
        images(chart_param(Operation::new(Method::POST, "/api/v1/charts/{chart}", "chartPosted", "Charts", "A chart of a deployment sent as the body")))
            .body::<Deployment>(serde_json::to_value(Deployment::example()).unwrap_or_default())
            .problems(&[(400, "Malformed JSON."), (404, "No such chart."), (413, "Body over 64 KiB."), (422, "A field is out of range or the deployment cannot run.")]),
        posted_chart,
    )
    .add(
        images(chart_param(Operation::new(Method::GET, "/api/v1/scenarios/{id}/charts/{chart}", "chartSaved", "Charts", "A chart of a saved scenario")))
            .param("id", Location::Path, true, "The scenario's id: 32 hex digits.", json!("0123456789abcdef0123456789abcdef"))
            .problems(&[(404, "No such scenario or chart."), (422, "The saved inputs no longer evaluate.")]),
        saved_chart,
    )
}

/// The chart and format a `{chart}` segment names (`months.png`), or 404
/// listing what there is.
fn chart_and_format(segment: &str) -> Result<(DeploymentChart, Format), HttpError> {
    let parsed = segment.rsplit_once('.').and_then(|(slug, extension)| {
        Some((
            DeploymentChart::from_slug(slug)?,
            Format::from_extension(extension)?,
        ))
    });
    parsed.ok_or_else(|| {
        let kinds: Vec<&str> = DeploymentChart::ALL.iter().map(|k| k.slug()).collect();
        HttpError::NotFound {
            message: format!(
                "chart: no chart {segment:?}; the charts are {} with .svg or .png",
                kinds.join(", ")
            ),
            field: Some("chart".to_owned()),
        }
    })
}

/// Draws `chart` of `deployment` in `format`, on a thread for blocking
/// work so that a slow drawing neither stalls other requests nor escapes
/// the request time limit. The deployment is checked and evaluated once,
/// there; the chart draws from that.
async fn image(
    chart: DeploymentChart,
    format: Format,
    deployment: Deployment,
    cache_control: &'static str,
) -> Result<Response, HttpError> {
    tokio::task::spawn_blocking(move || draw(chart, format, &deployment, cache_control))
        .await
        .map_err(|e| HttpError::Internal(e.to_string()))?
}

/// The image itself.
fn draw(
    chart: DeploymentChart,
    format: Format,
    deployment: &Deployment,
    cache_control: &'static str,
) -> Result<Response, HttpError> {
    let evaluated = checked_and_evaluated(deployment)?;
    // Ranges that are not ranges, named by their field before any chart
    // draws them.
    if deployment.ranges.is_some() {
        tokenfab_core::uncertainty::check_ranges(deployment)?;
    }
    let bytes = chart::image(chart, format, &evaluated).map_err(|e| match e {
        ImageError::Unplottable(message) => HttpError::Invalid {
            message,
            field: None,
        },
        ImageError::Failed(message) => HttpError::Internal(message),
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type()),
            (header::CACHE_CONTROL, cache_control),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
struct InlineQuery {
    scenario: String,
}

async fn inline_chart(
    chart: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Response, HttpError> {
    check_query_length(&uri)?;
    let (chart, format) = chart_and_format(&chart.map(|Path(c)| c).unwrap_or_default())?;
    let Query(q) =
        Query::<InlineQuery>::try_from_uri(&uri).map_err(|rejection| HttpError::Malformed {
            message: format!("scenario: {}", rejection.body_text()),
            field: Some("scenario".to_owned()),
        })?;
    let deployment = decode_deployment("scenario", &q.scenario)?;
    image(chart, format, deployment, IMMUTABLE).await
}

async fn posted_chart(
    chart: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, HttpError> {
    let (chart, format) = chart_and_format(&chart.map(|Path(c)| c).unwrap_or_default())?;
    let deployment = read_deployment(&body_bytes(body)?)?;
    image(chart, format, deployment, "no-store").await
}

async fn saved_chart(
    State(db): State<Db>,
    Path((id, chart)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    let (chart, format) = chart_and_format(&chart)?;
    let stored = store::load(&db, &id)
        .await?
        .ok_or_else(|| scenarios::not_found(&id))?;
    image(chart, format, stored.inputs.deployment(), REVALIDATE).await
}
