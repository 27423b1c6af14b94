//! `/export.json` and `/export.csv`: what the planner shows, downloaded
//! without saving it first. The planner posts its state (`scenario`, URL-safe
//! base64 JSON as in its address) with the name and notes typed; a GET with
//! the same fields in the query answers alike, for a link.

use axum::Router;
use axum::extract::Form;
use axum::extract::rejection::FormRejection;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::AppState;
use tokenfab_core::deployment::Deployment;

use crate::api::input::{check_text, decode_deployment, evaluated};
use crate::api::scenarios::{NAME_MAX_CHARS, NOTES_MAX_CHARS};
use crate::error::HttpError;
use crate::export::{Draft, draft_csv};

/// The export routes; each answers GET (query) and POST (form body).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/export.json", get(json).post(json))
        .route("/export.csv", get(csv).post(csv))
}

/// The planner's state as its export form sends it.
#[derive(Deserialize)]
struct DraftForm {
    /// The deployment, URL-safe base64 JSON.
    scenario: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    notes: String,
}

async fn json(form: Result<Form<DraftForm>, FormRejection>) -> Result<Response, HttpError> {
    let draft = draft(form).await?;
    let body =
        serde_json::to_string_pretty(&draft).map_err(|e| HttpError::Internal(e.to_string()))?;
    Ok(attachment(
        "application/json",
        &file_name(&draft.name, "json"),
        body,
    ))
}

async fn csv(form: Result<Form<DraftForm>, FormRejection>) -> Result<Response, HttpError> {
    let draft = draft(form).await?;
    let name = file_name(&draft.name, "csv");
    // A scenario with ranges draws them: thousands of evaluations.
    let body = tokio::task::spawn_blocking(move || draft_csv(&draft))
        .await
        .map_err(|e| HttpError::Internal(e.to_string()))?
        .map_err(HttpError::Internal)?;
    Ok(attachment("text/csv; charset=utf-8", &name, body))
}

/// The draft `form` describes, evaluated; 400 naming a missing or malformed
/// field, 422 listing those out of range or naming what stops it running.
async fn draft(form: Result<Form<DraftForm>, FormRejection>) -> Result<Draft, HttpError> {
    let Form(form) = form.map_err(|e| HttpError::Malformed {
        message: format!("form: {}", e.body_text()),
        field: None,
    })?;
    let scenario = form.scenario.ok_or_else(|| HttpError::Malformed {
        message: "scenario: the planner's state is missing".to_owned(),
        field: Some("scenario".to_owned()),
    })?;
    // A browser sends a form's line breaks as CRLF: kept as typed, LF.
    let (name, notes) = (
        form.name.replace("\r\n", "\n"),
        form.notes.replace("\r\n", "\n"),
    );
    check_text("name", &name, NAME_MAX_CHARS)?;
    check_text("notes", &notes, NOTES_MAX_CHARS)?;
    let scenario = decode_deployment("scenario", &scenario)?;
    let exported_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let report = tokio::task::spawn_blocking(move || evaluated(&scenario).map(|r| (scenario, r)))
        .await
        .map_err(|e| HttpError::Internal(e.to_string()))?;
    let (scenario, report) = report?;
    Ok(Draft {
        name,
        notes,
        schema_version: Deployment::SCHEMA_VERSION,
        exported_at,
        scenario,
        report,
    })
}

/// `body` as a download named `file`.
fn attachment(content_type: &'static str, file: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A file name from the scenario's name: lower-case letters and digits
/// joined by hyphens (nothing a header or a file system could misread),
/// `tokenfab-scenario` when nothing is left.
fn file_name(name: &str, extension: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        format!("tokenfab-scenario.{extension}")
    } else {
        format!("tokenfab-{slug}.{extension}")
    }
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn file_names_keep_only_letters_digits_and_hyphens() {
        assert_eq!(
            file_name("Support bot, Q3 \"EU\"", "csv"),
            "tokenfab-support-bot-q3-eu.csv"
        );
        assert_eq!(file_name("\r\n\";", "json"), "tokenfab-scenario.json");
        assert_eq!(
            file_name("Überblick 2027", "json"),
            "tokenfab-berblick-2027.json"
        );
    }
}
