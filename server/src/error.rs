//! The one error type of HTTP handlers: each variant knows its status, and
//! the body is always JSON naming the field at fault.

use app::api::ApiError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

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
    /// The edit token is missing or wrong (403).
    #[error("{message}")]
    Forbidden {
        /// Why.
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
    /// Something failed on our side (500); the details go to the log only.
    #[error("internal error")]
    Internal(String),
}

impl HttpError {
    /// The HTTP status of this error.
    pub fn status_code(&self) -> StatusCode {
        match self {
            HttpError::Malformed { .. } => StatusCode::BAD_REQUEST,
            HttpError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            HttpError::Forbidden { .. } => StatusCode::FORBIDDEN,
            HttpError::NotFound { .. } => StatusCode::NOT_FOUND,
            HttpError::Stale { .. } => StatusCode::PRECONDITION_FAILED,
            HttpError::UriTooLong { .. } => StatusCode::URI_TOO_LONG,
            HttpError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            HttpError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<crate::db::DbError> for HttpError {
    fn from(e: crate::db::DbError) -> Self {
        HttpError::Internal(e.to_string())
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let field = match &self {
            HttpError::Malformed { field, .. }
            | HttpError::Invalid { field, .. }
            | HttpError::NotFound { field, .. } => field.clone(),
            _ => None,
        };
        if let HttpError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let body = ApiError {
            error: self.to_string(),
            field,
        };
        (self.status_code(), Json(body)).into_response()
    }
}
