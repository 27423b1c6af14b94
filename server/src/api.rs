//! The REST endpoints the page calls: saving a scenario and drawing charts.

use app::api::{SCENARIOS_PATH, SaveScenario, SavedScenario};
use app::chart_query::{ChartQuery, TOKENS_PER_DOLLAR_PATH};
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::de::DeserializeOwned;
use tokenfab_core::Scenario;

use crate::AppState;
use crate::charts::{self, ChartError};
use crate::db::Db;
use crate::error::HttpError;

/// Largest request body accepted: a scenario is well under 4 KiB.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;
/// Longest scenario name, in characters.
pub const NAME_MAX_CHARS: usize = 200;

/// The API's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(SCENARIOS_PATH, post(save_scenario))
        .route(TOKENS_PER_DOLLAR_PATH, get(tokens_per_dollar_chart))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
}

async fn save_scenario(
    State(db): State<Db>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<SavedScenario>), HttpError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            HttpError::TooLarge {
                limit_bytes: BODY_LIMIT_BYTES,
            }
        } else {
            HttpError::Malformed {
                message: rejection.body_text(),
                field: None,
            }
        }
    })?;
    let request: SaveScenario = parse_json(&body)?;
    if request.name.chars().count() > NAME_MAX_CHARS {
        return Err(HttpError::Invalid {
            message: format!("name: must be at most {NAME_MAX_CHARS} characters"),
            field: Some("name".to_owned()),
        });
    }
    request
        .scenario
        .validate()
        .map_err(|e| HttpError::Invalid {
            message: format!("scenario.{e}"),
            field: Some(format!("scenario.{}", e.field)),
        })?;
    let id = db.save_scenario(&request.name, &request.scenario).await?;
    tracing::info!(%id, "scenario saved");
    Ok((StatusCode::CREATED, Json(SavedScenario { id })))
}

/// Reads JSON, naming the path of the first bad field: syntax errors are
/// 400, well-formed JSON of the wrong shape is 422.
fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, HttpError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        // "." is the document itself and "?" an unknown position: no field.
        let field = (path != "." && path != "?").then_some(path);
        let message = match &field {
            Some(f) => format!("{f}: {inner}"),
            None => inner.to_string(),
        };
        if inner.is_data() {
            HttpError::Invalid { message, field }
        } else {
            HttpError::Malformed { message, field }
        }
    })?;
    de.end().map_err(|e| HttpError::Malformed {
        message: e.to_string(),
        field: None,
    })?;
    Ok(value)
}

async fn tokens_per_dollar_chart(
    query: Result<Query<ChartQuery>, QueryRejection>,
) -> Result<Response, HttpError> {
    let Query(query) = query.map_err(|rejection| HttpError::Malformed {
        message: rejection.body_text(),
        field: None,
    })?;
    let svg = charts::tokens_per_dollar_svg(&Scenario::from(query)).map_err(|e| match e {
        ChartError::Invalid(e) => {
            // The query flattens the scenario: name the parameter as sent.
            let parameter = e.field.rsplit('.').next().unwrap_or(e.field);
            HttpError::Invalid {
                message: format!("{parameter}: {}", e.problem),
                field: Some(parameter.to_owned()),
            }
        }
        ChartError::Draw(detail) => HttpError::Internal(detail),
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            // The URL holds every input, so the image under it never changes.
            (header::CACHE_CONTROL, "public, max-age=86400, immutable"),
        ],
        svg,
    )
        .into_response())
}
