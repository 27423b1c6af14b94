//! The REST endpoints the page calls: saving a scenario and drawing charts.
//!
//! A modeled deployment's charts live at
//! `GET /charts/deployment/{kind}.svg?scenario=<base64url of the JSON>`:
//! the URL holds the whole input, so any cache may keep the image.

use app::api::{ExportedScenario, SCENARIOS_PATH, SaveScenario, SavedScenario, UpdateScenario};
use app::chart_query::{ChartQuery, TOKENS_PER_DOLLAR_PATH};
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokenfab_core::Scenario;
use tokenfab_core::deployment::Deployment;

use crate::AppState;
use crate::charts::{self, ChartError, DeploymentChart};
use crate::db::{Changes, Db, Outcome, StoredInputs};
use crate::error::HttpError;

/// Largest request body accepted: a scenario is well under 4 KiB.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;
/// Longest scenario name, in characters.
pub const NAME_MAX_CHARS: usize = 200;

/// Route of a modeled deployment's charts; `{chart}` is a kind plus `.svg`
/// (the router cannot match a parameter followed by a suffix).
pub const DEPLOYMENT_CHART_PATH: &str = "/charts/deployment/{chart}";
/// Longest chart query accepted: a deployment in base64 is about 2 KiB.
pub const CHART_QUERY_LIMIT_BYTES: usize = 16 * 1024;

/// URL-safe base64 as sent; padding is not needed but tolerated.
const SCENARIO_BASE64: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The API's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(SCENARIOS_PATH, post(save_scenario))
        .route(SCENARIO_CSV_PATH, get(export_scenario_csv))
        .route(
            SCENARIO_PATH,
            get(export_scenario)
                .put(update_scenario)
                .delete(delete_scenario),
        )
        .route(TOKENS_PER_DOLLAR_PATH, get(tokens_per_dollar_chart))
        .route(DEPLOYMENT_CHART_PATH, get(deployment_chart))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
}

/// Route of one saved scenario.
pub const SCENARIO_PATH: &str = "/api/v1/scenarios/{id}";
/// Route of one saved scenario as CSV.
pub const SCENARIO_CSV_PATH: &str = "/api/v1/scenarios/{id}/csv";
/// Longest notes, in characters.
pub const NOTES_MAX_CHARS: usize = 10_000;

/// The body, or 413/400.
fn body_bytes(body: Result<Bytes, BytesRejection>) -> Result<Bytes, HttpError> {
    body.map_err(|rejection| {
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
    })
}

/// A text field no longer than `max` characters.
fn check_length(field: &str, text: &str, max: usize) -> Result<(), HttpError> {
    if text.chars().count() > max {
        return Err(HttpError::Invalid {
            message: format!("{field}: must be at most {max} characters"),
            field: Some(field.to_owned()),
        });
    }
    Ok(())
}

async fn save_scenario(
    State(db): State<Db>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<SavedScenario>), HttpError> {
    let request: SaveScenario = parse_json(&body_bytes(body)?)?;
    check_length("name", &request.name, NAME_MAX_CHARS)?;
    check_length("notes", &request.notes, NOTES_MAX_CHARS)?;
    let inputs = saved_inputs(&request.scenario)?;
    let saved = db
        .save_scenario(&request.name, &request.notes, &inputs)
        .await?;
    tracing::info!(id = %saved.id, "scenario saved");
    Ok((
        StatusCode::CREATED,
        Json(SavedScenario {
            id: saved.id,
            edit_token: saved.edit_token,
        }),
    ))
}

/// The bearer token of `headers`, or 403.
fn edit_token(headers: &HeaderMap) -> Result<String, HttpError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| HttpError::Forbidden {
            message:
                "changing a saved scenario needs its edit token: Authorization: Bearer <token>"
                    .to_owned(),
        })
}

/// Turns a guarded change's outcome into the answer.
fn guarded(outcome: Outcome, id: &str) -> Result<Option<i64>, HttpError> {
    match outcome {
        Outcome::Done => Ok(None),
        Outcome::Changed { revision } => Ok(Some(revision)),
        Outcome::NotFound => Err(HttpError::NotFound {
            message: format!("id: no saved scenario {id:?}"),
            field: Some("id".to_owned()),
        }),
        Outcome::Forbidden => Err(HttpError::Forbidden {
            message: "the edit token is not this scenario's".to_owned(),
        }),
        Outcome::Stale { current } => Err(HttpError::Stale { current }),
    }
}

/// The revision an `If-Match` header names (`"3"`, `W/"3"`), none for `*`
/// or no header; 400 naming the header when it is neither.
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, HttpError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    text.trim_start_matches("W/")
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .and_then(|t| t.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| HttpError::Malformed {
            message: format!(
                "If-Match: expected a revision as an entity tag, like \"3\" (the ETag a read returned), not {text:?}"
            ),
            field: Some("If-Match".to_owned()),
        })
}

/// The entity tag of a revision.
fn etag(revision: i64) -> [(header::HeaderName, String); 1] {
    [(header::ETAG, format!("\"{revision}\""))]
}

async fn update_scenario(
    State(db): State<Db>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, HttpError> {
    let token = edit_token(&headers)?;
    let if_revision = if_match(&headers)?;
    let request: UpdateScenario = parse_json(&body_bytes(body)?)?;
    if let Some(name) = &request.name {
        check_length("name", name, NAME_MAX_CHARS)?;
    }
    if let Some(notes) = &request.notes {
        check_length("notes", notes, NOTES_MAX_CHARS)?;
    }
    let inputs = match &request.scenario {
        Some(scenario) => Some(saved_inputs(scenario)?),
        None => None,
    };
    let changes = Changes {
        name: request.name,
        notes: request.notes,
        inputs,
        if_revision,
    };
    let revision = guarded(db.update_scenario(&id, &token, &changes).await?, &id)?;
    tracing::info!(%id, ?revision, "scenario updated");
    Ok(match revision {
        Some(r) => (StatusCode::NO_CONTENT, etag(r)).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

async fn delete_scenario(
    State(db): State<Db>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, HttpError> {
    let token = edit_token(&headers)?;
    let if_revision = if_match(&headers)?;
    guarded(db.delete_scenario(&id, &token, if_revision).await?, &id)?;
    tracing::info!(%id, "scenario deleted");
    Ok(StatusCode::NO_CONTENT)
}

async fn export_scenario(
    State(db): State<Db>,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let exported = exported(&db, &id).await?;
    Ok((etag(exported.revision), Json(exported)).into_response())
}

async fn export_scenario_csv(
    State(db): State<Db>,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let csv = crate::export::to_csv(&exported(&db, &id).await?).map_err(HttpError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"tokenfab-{id}.csv\""),
            ),
        ],
        csv,
    )
        .into_response())
}

/// Scenario `id` with its report, or 404.
async fn exported(db: &Db, id: &str) -> Result<ExportedScenario, HttpError> {
    let stored = db.scenario(id).await?.ok_or_else(|| HttpError::NotFound {
        message: format!("id: no saved scenario {id:?}"),
        field: Some("id".to_owned()),
    })?;
    let scenario = stored.inputs.deployment();
    let (report, report_error) = match scenario.evaluate() {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e.to_string())),
    };
    Ok(ExportedScenario {
        report,
        report_error,
        id: stored.id,
        name: stored.name,
        notes: stored.notes,
        schema_version: stored.schema_version,
        created_at: stored.created_at,
        updated_at: stored.updated_at,
        revision: stored.revision,
        scenario,
    })
}

/// The inputs of a save request, checked: a modeled deployment (it has a
/// `model`) that evaluates, or a measured-level scenario. Errors name the
/// field under `scenario.`.
fn saved_inputs(scenario: &serde_json::Value) -> Result<StoredInputs, HttpError> {
    let text = scenario.to_string();
    let under = |e: HttpError| match e {
        HttpError::Malformed { message, field } => HttpError::Malformed {
            message: format!("scenario.{message}"),
            field: Some(field.map_or("scenario".to_owned(), |f| format!("scenario.{f}"))),
        },
        HttpError::Invalid { message, field } => HttpError::Invalid {
            message: format!("scenario.{message}"),
            field: Some(field.map_or("scenario".to_owned(), |f| format!("scenario.{f}"))),
        },
        other => other,
    };
    let invalid = |field: &str, message: String| HttpError::Invalid {
        message: format!("scenario.{message}"),
        field: Some(format!("scenario.{field}")),
    };
    if scenario.get("model").is_some() {
        let deployment: Deployment = parse_json(text.as_bytes()).map_err(under)?;
        deployment
            .validate()
            .map_err(|e| invalid(e.field, e.to_string()))?;
        deployment
            .evaluate()
            .map_err(|e| invalid(e.field(), e.to_string()))?;
        Ok(StoredInputs::Deployment(Box::new(deployment)))
    } else {
        let measured: Scenario = parse_json(text.as_bytes()).map_err(under)?;
        measured
            .validate()
            .map_err(|e| invalid(e.field, e.to_string()))?;
        Ok(StoredInputs::Measured(measured))
    }
}

/// Reads JSON, naming the path of the first bad field: syntax errors are
/// 400, well-formed JSON of the wrong shape is 422.
fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, HttpError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let text = inner.to_string();
        // A use-case preset's errors already name the full path below this one.
        let named = text
            .strip_prefix(&format!("{path}."))
            .and_then(|rest| rest.split_once(':'))
            .map(|(tail, _)| format!("{path}.{tail}"));
        // "." is the document itself and "?" an unknown position: no field.
        let field = named.or((path != "." && path != "?").then_some(path));
        let message = match &field {
            Some(f) if !text.starts_with(&format!("{f}:")) => format!("{f}: {text}"),
            _ => text,
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
        other => internal(other),
    })?;
    Ok(svg_response(svg))
}

fn internal(e: ChartError) -> HttpError {
    HttpError::Internal(e.to_string())
}

pub(crate) fn svg_response(svg: String) -> Response {
    // The URL holds every input, so the image under it never changes.
    svg_response_cached(svg, "public, max-age=86400, immutable")
}

/// An SVG answer with its own caching rule.
pub(crate) fn svg_response_cached(svg: String, cache_control: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, cache_control),
        ],
        svg,
    )
        .into_response()
}

/// The deployment in the query parameter `parameter`, sent as URL-safe
/// base64 JSON; 400 naming the parameter, or 422 naming the bad field.
pub(crate) fn decode_deployment(parameter: &str, text: &str) -> Result<Deployment, HttpError> {
    let json = SCENARIO_BASE64
        .decode(text.trim())
        .map_err(|e| HttpError::Malformed {
            message: format!("{parameter}: not URL-safe base64 ({e})"),
            field: Some(parameter.to_owned()),
        })?;
    parse_json(&json)
}

/// A query longer than a chart or comparison needs: 414.
pub(crate) fn check_query_length(uri: &Uri) -> Result<(), HttpError> {
    if uri.query().unwrap_or_default().len() > CHART_QUERY_LIMIT_BYTES {
        return Err(HttpError::UriTooLong {
            limit_bytes: CHART_QUERY_LIMIT_BYTES,
        });
    }
    Ok(())
}

#[derive(Deserialize)]
struct DeploymentChartQuery {
    scenario: String,
}

async fn deployment_chart(
    chart: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Response, HttpError> {
    check_query_length(&uri)?;
    let chart = chart.map(|Path(c)| c).unwrap_or_default();
    let kind = chart
        .strip_suffix(".svg")
        .and_then(DeploymentChart::from_slug)
        .ok_or_else(|| {
            let kinds: Vec<String> = DeploymentChart::ALL
                .iter()
                .map(|k| format!("{}.svg", k.slug()))
                .collect();
            HttpError::NotFound {
                message: format!(
                    "kind: no chart {chart:?}; the charts are {}",
                    kinds.join(", ")
                ),
                field: Some("kind".to_owned()),
            }
        })?;
    let Query(q) = Query::<DeploymentChartQuery>::try_from_uri(&uri).map_err(|rejection| {
        HttpError::Malformed {
            message: rejection.body_text(),
            field: Some("scenario".to_owned()),
        }
    })?;
    let deployment = decode_deployment("scenario", &q.scenario)?;
    let svg = kind.render(&deployment).map_err(|e| match e {
        ChartError::Deployment(e) => HttpError::Invalid {
            message: e.to_string(),
            field: Some(e.field().to_owned()),
        },
        other => internal(other),
    })?;
    Ok(svg_response(svg))
}
