//! Reading what a request sends: bodies within the limit, JSON with the
//! path of a bad field, deployments with every field out of range named,
//! deployments sent in a query as base64.

use app::api::FieldProblem;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{StatusCode, Uri};
use base64::Engine as _;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::de::DeserializeOwned;
use tokenfab_core::deployment::{
    Deployment, DeploymentError, DeploymentReport, Document, Evaluated,
};

use crate::error::HttpError;

/// Largest request body accepted: a scenario is well under 4 KiB.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;
/// Longest query accepted: a deployment in base64 is about 2 KiB.
pub const QUERY_LIMIT_BYTES: usize = 16 * 1024;

/// URL-safe base64 as sent; padding is not needed but tolerated.
const SCENARIO_BASE64: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The body, or 413/400.
pub fn body_bytes(body: Result<Bytes, BytesRejection>) -> Result<Bytes, HttpError> {
    body_within(body, BODY_LIMIT_BYTES)
}

/// The body of a route whose limit is `limit_bytes`, or 413/400.
pub fn body_within(
    body: Result<Bytes, BytesRejection>,
    limit_bytes: usize,
) -> Result<Bytes, HttpError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            HttpError::TooLarge { limit_bytes }
        } else {
            HttpError::Malformed {
                message: rejection.body_text(),
                field: None,
            }
        }
    })
}

/// A text field no longer than `max` characters and without the NUL
/// character, which PostgreSQL's text cannot hold (refused on SQLite too,
/// so a scenario saves alike on either store).
pub fn check_text(field: &str, text: &str, max: usize) -> Result<(), HttpError> {
    let refuse = |why: &str| {
        Err(HttpError::Invalid {
            message: format!("{field}: {why}"),
            field: Some(field.to_owned()),
        })
    };
    if text.chars().count() > max {
        return refuse(&format!("must be at most {max} characters"));
    }
    if text.contains('\0') {
        return refuse("must not contain the NUL character (U+0000)");
    }
    Ok(())
}

/// Reads JSON, naming the path of the first bad field: syntax errors are
/// 400, well-formed JSON of the wrong shape is 422.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, HttpError> {
    // Most bodies are good: read them at full speed, and only read a bad
    // one again while tracking the path, to name the field.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let text = inner.to_string();
        // "." is the document itself and "?" an unknown position: no field.
        let field = (path != "." && path != "?").then_some(path);
        let message = match &field {
            Some(f) => format!("{f}: {text}"),
            None => text,
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

/// A deployment from JSON: read as written, then its use case resolved
/// (an unknown preset, a field it lacks: 422 naming the field). Ranges are
/// checked when it is evaluated, so that every problem is listed at once.
pub fn read_deployment(body: &[u8]) -> Result<Deployment, HttpError> {
    let document: Document = parse_json(body)?;
    Ok(document.resolve()?)
}

/// Names a field found under `prefix` (`scenario.`, say) by its full path.
pub fn under(prefix: &str, e: HttpError) -> HttpError {
    let full = |field: Option<String>| {
        Some(field.map_or_else(
            || prefix.trim_end_matches('.').to_owned(),
            |f| format!("{prefix}{f}"),
        ))
    };
    match e {
        HttpError::Malformed { message, field } => HttpError::Malformed {
            message: format!("{prefix}{message}"),
            field: full(field),
        },
        HttpError::Invalid { message, field } => HttpError::Invalid {
            message: format!("{prefix}{message}"),
            field: full(field),
        },
        HttpError::InvalidFields(fields) => HttpError::InvalidFields(
            fields
                .into_iter()
                .map(|f| FieldProblem {
                    field: format!("{prefix}{}", f.field),
                    detail: format!("{prefix}{}", f.detail),
                })
                .collect(),
        ),
        other => other,
    }
}

/// Evaluates `deployment`: every field out of range at once (422 listing
/// them), then what stops it running (weights that do not fit, an unknown
/// catalogue id: 422 naming the field).
pub fn evaluated(deployment: &Deployment) -> Result<DeploymentReport, HttpError> {
    Ok(checked_and_evaluated(deployment)?.report)
}

/// As [`evaluated`], keeping the checked deployment beside its report: it
/// is checked once, and every problem is listed only when there are some.
pub fn checked_and_evaluated(deployment: &Deployment) -> Result<Evaluated<'_>, HttpError> {
    match deployment.evaluated() {
        Ok(evaluated) => Ok(evaluated),
        Err(DeploymentError::Invalid(_)) => Err(HttpError::InvalidFields(
            deployment
                .problems()
                .into_iter()
                .map(|e| FieldProblem {
                    field: e.field.to_owned(),
                    detail: e.to_string(),
                })
                .collect(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// The deployment in the query parameter `parameter`, sent as URL-safe
/// base64 JSON; 400 naming the parameter, or 422 naming the bad field.
pub fn decode_deployment(parameter: &str, text: &str) -> Result<Deployment, HttpError> {
    let json = SCENARIO_BASE64
        .decode(text.trim())
        .map_err(|e| HttpError::Malformed {
            message: format!("{parameter}: not URL-safe base64 ({e})"),
            field: Some(parameter.to_owned()),
        })?;
    read_deployment(&json)
}

/// A query longer than a chart or comparison needs: 414.
pub fn check_query_length(uri: &Uri) -> Result<(), HttpError> {
    if uri.query().unwrap_or_default().len() > QUERY_LIMIT_BYTES {
        return Err(HttpError::UriTooLong {
            limit_bytes: QUERY_LIMIT_BYTES,
        });
    }
    Ok(())
}
