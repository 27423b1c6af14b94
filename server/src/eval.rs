//! `tokenfab eval`: a scenario file in, the core's report out, as JSON.

use std::io::Read;
use std::path::Path;

use tokenfab_core::Scenario;

/// Reads the scenario at `path` (`-` for standard input) and returns the
/// report as pretty JSON.
///
/// # Errors
/// A message naming the file and, for bad content, the field.
pub fn eval(path: &Path) -> Result<String, String> {
    let text = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        text
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?
    };
    eval_text(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The report for scenario JSON `text`, as pretty JSON.
///
/// # Errors
/// The scenario's JSON or range error, naming the field.
pub fn eval_text(text: &str) -> Result<String, String> {
    let scenario = Scenario::from_json(text).map_err(|e| e.to_string())?;
    let report = scenario.evaluate().map_err(|e| e.to_string())?;
    serde_json::to_string_pretty(&report).map_err(|e| e.to_string())
}
