//! Searching deployments, whoever asks: the API route, the search page's
//! chart and the command line read a request and run it the same way.

use tokenfab_core::search::{Search, SearchError, SearchOutcome, SearchRequest};

/// Why a search request cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SearchFailure {
    /// The text is not JSON of a search request's shape.
    #[error("{}", if .field.is_empty() { .message.clone() } else { format!("{}: {}", .field, .message) })]
    Json {
        /// JSON path of the offending field.
        field: String,
        /// What the parser found wrong.
        message: String,
    },
    /// The request reads but cannot run.
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// Reads a search request from JSON text, naming the path of a bad field.
///
/// # Errors
/// JSON of the wrong shape.
pub fn read(text: &str) -> Result<SearchRequest, SearchFailure> {
    tokenfab_core::json::from_str(text).map_err(|e| SearchFailure::Json {
        field: e.path,
        message: e.message,
    })
}

/// Runs `request` to the end.
///
/// # Errors
/// A request that cannot run, naming its field.
pub fn run(request: &SearchRequest) -> Result<SearchOutcome, SearchError> {
    Ok(Search::new(request)?.run())
}
