//! `tokenfab eval`: a scenario file in, the core's report out, as JSON.

use std::io::Read;
use std::path::Path;

use tokenfab_core::Scenario;
use tokenfab_core::deployment::Deployment;

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

/// The report for scenario JSON `text`, as pretty JSON. A scenario with a
/// `model` is a modeled deployment; one without is the measured level.
///
/// # Errors
/// The scenario's JSON or range error, naming the field.
pub fn eval_text(text: &str) -> Result<String, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if value.get("model").is_some() {
        let deployment = Deployment::from_json(text).map_err(|e| e.to_string())?;
        let report = deployment.evaluate().map_err(|e| e.to_string())?;
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())
    } else {
        let scenario = Scenario::from_json(text).map_err(|e| e.to_string())?;
        let report = scenario.evaluate().map_err(|e| e.to_string())?;
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())
    }
}
