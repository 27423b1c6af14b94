//! How far the performance model is from published measurements:
//! `tokenfab accuracy` on any table in the measurement format, and the
//! product's own validation table behind `/accuracy` and the planner's
//! coverage note.

pub mod predict;
pub mod report;
pub mod table;

use std::path::Path;
use std::sync::OnceLock;

pub use predict::{ASSUMED_INPUT_TOKENS, Case, Predicted};
pub use report::{
    AccuracyReport, Coverage, Skipped, Summary, built_in_factors, evaluate, evaluate_cases,
    evaluate_with, resolve_all, to_text,
};
pub use table::{BUILT_IN, Row, parse, read};

/// Reads the table at `path` and predicts it.
///
/// # Errors
/// When the file cannot be read or is not a table of this format (naming the line).
pub fn run(path: &Path) -> Result<AccuracyReport, String> {
    Ok(evaluate(&read(path)?))
}

/// The report on the built-in table, computed once.
pub fn built_in() -> &'static AccuracyReport {
    static REPORT: OnceLock<AccuracyReport> = OnceLock::new();
    REPORT.get_or_init(|| {
        // The table is compiled in and checked by a test; an unreadable one
        // would be an empty report, never a panic while serving.
        evaluate(&parse(BUILT_IN).unwrap_or_default())
    })
}
