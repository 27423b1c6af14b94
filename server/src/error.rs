//! The one error type of HTTP handlers: each variant knows its status and
//! its kind of problem, and the body is always problem details (RFC 9457)
//! naming the field at fault.

use app::api::{FieldProblem, Problem};
use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Where the API docs describe each kind of problem; a problem's `type` is
/// this plus `#problem-` and its slug.
pub const PROBLEM_DOCS: &str = "/api/docs";

/// An error answered to an HTTP client.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The body or query is not well-formed (400).
    #[error("{message}")]
    Malformed {
        /// What is wrong.
        message: String,
        /// Path of the field, if known.
        field: Option<String>,
    },
    /// Well-formed, but a value is not acceptable (422).
    #[error("{message}")]
    Invalid {
        /// What is wrong, naming the field.
        message: String,
        /// Path of the field.
        field: Option<String>,
    },
    /// Several fields out of range at once (422); never empty.
    #[error("{}", describe_fields(.0))]
    InvalidFields(Vec<FieldProblem>),
    /// The edit token is missing or wrong (403).
    #[error("{message}")]
    Forbidden {
        /// Why.
        message: String,
    },
    /// The operator turned this off (403).
    #[error("{message}")]
    Disabled {
        /// What is off and how to turn it on.
        message: String,
    },
    /// A service the request needs does not answer (503).
    #[error("{message}")]
    Unavailable {
        /// Which.
        message: String,
    },
    /// The scenario changed since the revision the request named (412).
    #[error(
        "the scenario has changed since the revision in If-Match; it is now at revision {current}: read it again and reapply the change"
    )]
    Stale {
        /// Its revision now.
        current: i64,
    },
    /// Nothing of that name here (404).
    #[error("{message}")]
    NotFound {
        /// What was asked for and what there is.
        message: String,
        /// The path parameter at fault.
        field: Option<String>,
    },
    /// The method is not one the path answers (405).
    #[error("{method} is not allowed here; this path answers {allowed}")]
    MethodNotAllowed {
        /// The method asked for.
        method: String,
        /// What the path answers, comma-separated.
        allowed: String,
    },
    /// The query string is longer than the limit (414).
    #[error("query string is longer than {limit_bytes} bytes")]
    UriTooLong {
        /// The limit.
        limit_bytes: usize,
    },
    /// The body is larger than the limit (413).
    #[error("request body is larger than {limit_bytes} bytes")]
    TooLarge {
        /// The limit.
        limit_bytes: usize,
    },
    /// This client wrote too often (429).
    #[error("too many changes from this address; try again in {retry_after_s} s")]
    TooManyRequests {
        /// Seconds until the next write is accepted.
        retry_after_s: u64,
    },
    /// The request took longer than the limit (503).
    #[error("the request took longer than {limit_s} s and was stopped")]
    Timeout {
        /// The limit, seconds.
        limit_s: u64,
    },
    /// Something failed on our side (500); the details go to the log only.
    #[error("internal error")]
    Internal(String),
}

/// One line for several fields: how many, and the first.
fn describe_fields(fields: &[FieldProblem]) -> String {
    match fields {
        [] => "a field is out of range".to_owned(),
        [only] => only.detail.clone(),
        [first, rest @ ..] => format!(
            "{} (and {} more field{} out of range; see errors)",
            first.detail,
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    }
}

impl HttpError {
    /// The HTTP status of this error.
    pub fn status_code(&self) -> StatusCode {
        match self {
            HttpError::Malformed { .. } => StatusCode::BAD_REQUEST,
            HttpError::Invalid { .. } | HttpError::InvalidFields(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            HttpError::Forbidden { .. } | HttpError::Disabled { .. } => StatusCode::FORBIDDEN,
            HttpError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            HttpError::Stale { .. } => StatusCode::PRECONDITION_FAILED,
            HttpError::NotFound { .. } => StatusCode::NOT_FOUND,
            HttpError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            HttpError::UriTooLong { .. } => StatusCode::URI_TOO_LONG,
            HttpError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            HttpError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            HttpError::Timeout { .. } => StatusCode::SERVICE_UNAVAILABLE,
            HttpError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The kind of problem: its slug and title.
    pub fn kind(&self) -> (&'static str, &'static str) {
        match self {
            HttpError::Malformed { .. } => ("malformed", "The request is not well-formed"),
            HttpError::Invalid { .. } | HttpError::InvalidFields(_) => {
                ("invalid", "A value is not acceptable")
            }
            HttpError::Forbidden { .. } => (
                "forbidden",
                "The edit token is missing or not this scenario's",
            ),
            HttpError::Disabled { .. } => ("disabled", "Turned off on this server"),
            HttpError::Unavailable { .. } => {
                ("unavailable", "A service the server needs does not answer")
            }
            HttpError::Stale { .. } => ("stale", "The scenario changed since it was read"),
            HttpError::NotFound { .. } => ("not-found", "Nothing here by that name"),
            HttpError::MethodNotAllowed { .. } => {
                ("method-not-allowed", "The path does not answer that method")
            }
            HttpError::UriTooLong { .. } => ("uri-too-long", "The query string is too long"),
            HttpError::TooLarge { .. } => ("too-large", "The request body is too large"),
            HttpError::TooManyRequests { .. } => ("rate-limited", "Too many changes"),
            HttpError::Timeout { .. } => ("timeout", "The request took too long"),
            HttpError::Internal(_) => ("internal", "Something failed on the server"),
        }
    }

    /// Every kind of problem, slug and title, for the docs.
    pub fn kinds() -> Vec<(&'static str, &'static str, u16)> {
        let examples = [
            HttpError::Malformed {
                message: String::new(),
                field: None,
            },
            HttpError::Invalid {
                message: String::new(),
                field: None,
            },
            HttpError::Forbidden {
                message: String::new(),
            },
            HttpError::NotFound {
                message: String::new(),
                field: None,
            },
            HttpError::MethodNotAllowed {
                method: String::new(),
                allowed: String::new(),
            },
            HttpError::Disabled {
                message: String::new(),
            },
            HttpError::Stale { current: 0 },
            HttpError::TooLarge { limit_bytes: 0 },
            HttpError::UriTooLong { limit_bytes: 0 },
            HttpError::TooManyRequests { retry_after_s: 0 },
            HttpError::Timeout { limit_s: 0 },
            HttpError::Unavailable {
                message: String::new(),
            },
            HttpError::Internal(String::new()),
        ];
        examples
            .iter()
            .map(|e| {
                let (slug, title) = e.kind();
                (slug, title, e.status_code().as_u16())
            })
            .collect()
    }

    /// The problem details sent for this error.
    pub fn problem(&self) -> Problem {
        let (slug, title) = self.kind();
        let (field, errors) = match self {
            HttpError::Malformed { field, .. }
            | HttpError::Invalid { field, .. }
            | HttpError::NotFound { field, .. } => (field.clone(), Vec::new()),
            HttpError::InvalidFields(fields) => {
                (fields.first().map(|f| f.field.clone()), fields.clone())
            }
            HttpError::Stale { .. } => (Some("If-Match".to_owned()), Vec::new()),
            _ => (None, Vec::new()),
        };
        Problem {
            kind: format!("{PROBLEM_DOCS}#problem-{slug}"),
            title: title.to_owned(),
            status: self.status_code().as_u16(),
            detail: self.to_string(),
            field,
            errors,
        }
    }
}

/// A store that does not answer (down, restarting, out of connections,
/// busy past the statement timeout) is 503, which a client may retry;
/// anything else the store does wrong is 500.
impl From<crate::db::DbError> for HttpError {
    fn from(e: crate::db::DbError) -> Self {
        if e.is_unavailable() {
            tracing::warn!(error = %e, "the database does not answer");
            HttpError::Unavailable {
                message: "the database does not answer; try again shortly".to_owned(),
            }
        } else {
            HttpError::Internal(e.to_string())
        }
    }
}

impl From<tokenfab_core::InputError> for HttpError {
    fn from(e: tokenfab_core::InputError) -> Self {
        HttpError::Invalid {
            message: e.to_string(),
            field: Some(e.field.to_owned()),
        }
    }
}

/// A deployment that cannot be evaluated: JSON of the wrong shape is 400,
/// anything else (a value out of range, an unknown id, weights that do not
/// fit) is 422, each naming its field.
impl From<tokenfab_core::deployment::DeploymentError> for HttpError {
    fn from(e: tokenfab_core::deployment::DeploymentError) -> Self {
        let field = Some(e.field().to_owned()).filter(|f| !f.is_empty());
        let message = e.to_string();
        match e {
            tokenfab_core::deployment::DeploymentError::Json { .. } => {
                HttpError::Malformed { message, field }
            }
            _ => HttpError::Invalid { message, field },
        }
    }
}

impl From<tokenfab_core::sweep::SweepError> for HttpError {
    fn from(e: tokenfab_core::sweep::SweepError) -> Self {
        HttpError::Invalid {
            message: e.to_string(),
            field: Some(e.field()),
        }
    }
}

impl From<tokenfab_core::search::SearchError> for HttpError {
    fn from(e: tokenfab_core::search::SearchError) -> Self {
        HttpError::Invalid {
            message: e.to_string(),
            field: Some(e.field()),
        }
    }
}

/// Media type of problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        if let HttpError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let retry_after = match &self {
            HttpError::TooManyRequests { retry_after_s } => Some(retry_after_s.to_string()),
            _ => None,
        };
        let mut response = (
            self.status_code(),
            [(header::CONTENT_TYPE, PROBLEM_JSON)],
            Json(self.problem()),
        )
            .into_response();
        if let Some(seconds) = retry_after.and_then(|s| s.parse().ok()) {
            response.headers_mut().insert(header::RETRY_AFTER, seconds);
        }
        response
    }
}
