//! Saved scenarios: create, read (JSON and CSV), update and delete with the
//! edit token, list (when the server allows it), and the default scenario
//! the planner starts from.

use app::api::{ExportedScenario, SavedScenario};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokenfab_core::deployment::Deployment;
use tokenfab_core::migrate::{self, v1::MeasuredScenario};

use super::Api;
use super::input::{body_bytes, check_text, evaluated, parse_json, read_deployment, under};
use super::operation::{Location, Operation};
use crate::config::Settings;
use crate::db::{Changes, Db, Outcome, StoredInputs};
use crate::error::HttpError;
use crate::service::store;

/// Longest scenario name, in characters.
pub const NAME_MAX_CHARS: usize = 200;
/// Longest notes, in characters.
pub const NOTES_MAX_CHARS: usize = 10_000;
/// Most scenarios one page of the list holds.
pub const LIST_MAX: u32 = 100;

/// A save as read: the inputs raw, then read by their schema version so
/// that errors name the path inside them.
type SaveRequest = app::api::SaveScenario<serde_json::Value>;
/// An update as read, likewise.
type UpdateRequest = app::api::UpdateScenario<serde_json::Value>;

/// Adds the scenario routes to `api`.
pub fn routes(api: Api) -> Api {
    let id_param = |op: Operation| {
        op.param(
            "id",
            Location::Path,
            true,
            "The scenario's id: 32 hex digits.",
            json!("0123456789abcdef0123456789abcdef"),
        )
    };
    let token_param = |op: Operation| {
        op.param(
            "Authorization",
            Location::Header,
            true,
            "`Bearer <edit token>`: the token returned when it was saved.",
            json!("Bearer fedcba9876543210fedcba9876543210"),
        )
        .param(
            "If-Match",
            Location::Header,
            false,
            "The ETag of the revision the change is made against; a later revision refuses it with 412. `*` or none: any revision.",
            json!("\"1\""),
        )
    };
    let example_save = json!({
        "name": "Support bot, Q3",
        "notes": "Prices from the Q3 quote.",
        "scenario": Deployment::example(),
    });
    api.add(
        Operation::new(Method::POST, "/api/v1/scenarios", "saveScenario", "Scenarios", "Save a scenario")
            .describe("Stores a modeled deployment (schema version 2) or a measured-level scenario (version 1) and returns its id and edit token. The token is shown once; only its SHA-256 is stored.")
            .body::<SaveRequest>(example_save)
            .json::<SavedScenario>(201, "Saved.")
            .problems(&[(400, "Malformed JSON."), (413, "Body over 64 KiB."), (422, "A field is out of range or of the wrong type; names every field it can."), (429, "Too many changes from this address.")]),
        save_scenario,
    )
    .add(
        Operation::new(Method::GET, "/api/v1/scenarios", "listScenarios", "Scenarios", "List saved scenarios")
            .describe("Newest first, a page at a time. Turned off unless the server runs with `--list-scenarios`, since a share link is otherwise the only way to find a scenario.")
            .param("limit", Location::Query, false, "Scenarios per page, 1 to 100 (default 50).", json!(20))
            .param("after", Location::Query, false, "The `next_after` of the previous page.", json!("0123456789abcdef0123456789abcdef"))
            .json::<ScenarioList>(200, "A page of scenarios.")
            .problems(&[(400, "A bad limit, or an `after` that names no saved scenario."), (403, "Listing is turned off on this server.")]),
        list_scenarios,
    )
    .add(
        Operation::new(Method::GET, "/api/v1/scenarios/default", "defaultScenario", "Scenarios", "The scenario the planner starts from")
            .describe("A complete deployment to fetch, change and send to `/api/v1/evaluate`.")
            .json::<Deployment>(200, "The default deployment."),
        default_scenario,
    )
    .add(
        id_param(Operation::new(Method::GET, "/api/v1/scenarios/{id}", "getScenario", "Scenarios", "Read a saved scenario with its report"))
            .describe("Older schema versions are migrated on read. The revision is also the ETag.")
            .json::<ExportedScenario>(200, "The scenario, its report and its revision.")
            .problems(&[(404, "No scenario has this id.")]),
        export_scenario,
    )
    .add(
        token_param(id_param(Operation::new(Method::PUT, "/api/v1/scenarios/{id}", "updateScenario", "Scenarios", "Change a saved scenario")))
            .describe("Changes the fields given (name, notes, inputs) and answers the new revision as ETag.")
            .body::<UpdateRequest>(json!({ "name": "Support bot, Q4" }))
            .reply(204, "", "Changed.")
            .problems(&[(400, "Malformed JSON or If-Match."), (403, "Missing or wrong edit token."), (404, "No scenario has this id."), (412, "Changed since the revision in If-Match."), (422, "A field is out of range."), (429, "Too many changes from this address.")]),
        update_scenario,
    )
    .add(
        token_param(id_param(Operation::new(Method::DELETE, "/api/v1/scenarios/{id}", "deleteScenario", "Scenarios", "Delete a saved scenario")))
            .reply(204, "", "Deleted.")
            .problems(&[(403, "Missing or wrong edit token."), (404, "No scenario has this id."), (412, "Changed since the revision in If-Match."), (429, "Too many changes from this address.")]),
        delete_scenario,
    )
    .add(
        id_param(Operation::new(Method::GET, "/api/v1/scenarios/{id}/csv", "getScenarioCsv", "Scenarios", "A saved scenario and its report as CSV"))
            .describe("`field,value,unit,input` rows named by JSON path (an input's unit and name in words beside it). Cells a person typed that start with = + - @ are neutralised against spreadsheet formulas.")
            .reply(200, "text/csv", "The rows.")
            .problems(&[(404, "No scenario has this id.")]),
        export_scenario_csv,
    )
}

/// One scenario in a list: no inputs.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ScenarioSummary {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Schema version it was saved in.
    pub schema_version: i64,
    /// Unix seconds when saved.
    pub created_at: i64,
    /// Unix seconds of the last change.
    pub updated_at: i64,
    /// Its revision.
    pub revision: i64,
}

impl From<crate::db::Listed> for ScenarioSummary {
    fn from(r: crate::db::Listed) -> Self {
        ScenarioSummary {
            id: r.id,
            name: r.name,
            schema_version: r.schema_version,
            created_at: r.created_at,
            updated_at: r.updated_at,
            revision: r.revision,
        }
    }
}

/// A page of saved scenarios.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ScenarioList {
    /// Newest first.
    pub scenarios: Vec<ScenarioSummary>,
    /// Pass as `after` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_after: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// Read as text so a value that is not a whole number is refused naming `limit`.
    limit: Option<String>,
    after: Option<String>,
}

async fn list_scenarios(
    State(db): State<Db>,
    State(settings): State<std::sync::Arc<Settings>>,
    uri: axum::http::Uri,
) -> Result<Json<ScenarioList>, HttpError> {
    if !settings.list_scenarios {
        return Err(HttpError::Disabled {
            message: "listing scenarios is turned off on this server (start it with --list-scenarios); a scenario is found through its share link".to_owned(),
        });
    }
    let Query(q) = Query::<ListQuery>::try_from_uri(&uri).map_err(|r| HttpError::Malformed {
        message: r.body_text(),
        field: None,
    })?;
    let limit = match q.limit.as_deref() {
        None => 50,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|l| (1..=LIST_MAX).contains(l))
            .ok_or_else(|| HttpError::Malformed {
                message: format!(
                    "limit: must be a whole number from 1 to {LIST_MAX}, not {text:?}"
                ),
                field: Some("limit".to_owned()),
            })?,
    };
    let rows = db.list_scenarios(limit, q.after.as_deref()).await?;
    // An empty page after an id that names nothing would read as "no more":
    // a client whose cursor was deleted would silently miss the rest.
    if let (Some(after), true) = (q.after.as_deref(), rows.is_empty())
        && !db.scenario_exists(after).await?
    {
        return Err(HttpError::Malformed {
            message: format!(
                "after: no saved scenario has the id {after:?} (deleted since?); list again from the first page"
            ),
            field: Some("after".to_owned()),
        });
    }
    let next_after = (rows.len() == limit as usize)
        .then(|| rows.last().map(|r| r.id.clone()))
        .flatten();
    Ok(Json(ScenarioList {
        scenarios: rows.into_iter().map(ScenarioSummary::from).collect(),
        next_after,
    }))
}

async fn default_scenario() -> Json<Deployment> {
    Json(Deployment::example())
}

async fn save_scenario(
    State(db): State<Db>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<SavedScenario>), HttpError> {
    let request: SaveRequest = parse_json(&body_bytes(body)?)?;
    check_text("name", &request.name, NAME_MAX_CHARS)?;
    check_text("notes", &request.notes, NOTES_MAX_CHARS)?;
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
        Outcome::NotFound => Err(not_found(id)),
        Outcome::Forbidden => Err(HttpError::Forbidden {
            message: "the edit token is not this scenario's".to_owned(),
        }),
        Outcome::Stale { current } => Err(HttpError::Stale { current }),
    }
}

/// 404 for scenario `id`.
pub fn not_found(id: &str) -> HttpError {
    HttpError::NotFound {
        message: format!("id: no saved scenario {id:?}"),
        field: Some("id".to_owned()),
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
    let request: UpdateRequest = parse_json(&body_bytes(body)?)?;
    if let Some(name) = &request.name {
        check_text("name", name, NAME_MAX_CHARS)?;
    }
    if let Some(notes) = &request.notes {
        check_text("notes", notes, NOTES_MAX_CHARS)?;
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
    store::exported(db, id).await?.ok_or_else(|| not_found(id))
}

/// The inputs of a save request, checked: a modeled deployment that
/// evaluates, or a measured-level (version 1) scenario, migrated to one.
/// Errors name the field under `scenario.`.
fn saved_inputs(scenario: &serde_json::Value) -> Result<StoredInputs, HttpError> {
    let text = scenario.to_string();
    let prefix = "scenario.";
    let deployment: Deployment = match migrate::version_of(&text) {
        1 => {
            let measured: MeasuredScenario =
                parse_json(text.as_bytes()).map_err(|e| under(prefix, e))?;
            measured
                .validate()
                .map_err(|e| under(prefix, HttpError::from(e)))?;
            migrate::deployment_from_measured(&measured)
        }
        _ => read_deployment(text.as_bytes()).map_err(|e| under(prefix, e))?,
    };
    evaluated(&deployment).map_err(|e| under(prefix, e))?;
    Ok(StoredInputs::Deployment(Box::new(deployment)))
}
