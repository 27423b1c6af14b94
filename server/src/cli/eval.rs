//! `tokenfab eval` and `tokenfab sweep`: a scenario file in, the core's
//! figures out, as JSON or CSV for scripts and spreadsheets.

use std::path::Path;

use serde_json::json;
use tokenfab_core::headline::Headline;
use tokenfab_core::sweep;

use super::read;
use crate::export;
use crate::service::scenario;

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Pretty JSON.
    Json,
    /// CSV: `field,value` rows for a report, one row per value for a sweep.
    Csv,
}

/// Reads the scenario at `path` (`-` for standard input) and returns its
/// report in `format`.
///
/// # Errors
/// A message naming the file and, for bad content, the field.
pub fn eval(path: &Path, format: Format) -> Result<String, String> {
    eval_text(&read(path)?, format).map_err(|e| format!("{}: {e}", path.display()))
}

/// The report for scenario JSON `text`: a deployment, or a measured-level
/// scenario (schema version 1) migrated to one.
///
/// # Errors
/// The scenario's JSON or range error, naming the field.
pub fn eval_text(text: &str, format: Format) -> Result<String, String> {
    let deployment = scenario::read(text).map_err(|e| e.to_string())?;
    let evaluation = scenario::evaluate(&deployment).map_err(|e| e.to_string())?;
    let report = serde_json::to_value(evaluation).map_err(|e| e.to_string())?;
    match format {
        Format::Json => serde_json::to_string_pretty(&report).map_err(|e| e.to_string()),
        Format::Csv => {
            let mut rows = Vec::new();
            for (key, value) in report.as_object().into_iter().flatten() {
                export::flatten(key, value, &mut rows);
            }
            export::table(
                &["field", "value"],
                rows.into_iter().map(|(f, v)| vec![f, v]),
            )
        }
    }
}

/// The values of a sweep: a list, or `steps` evenly spaced from `from` to `to`.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// These values.
    List(Vec<f64>),
    /// Evenly spaced, both ends included.
    Range {
        /// First value.
        from: f64,
        /// Last value.
        to: f64,
        /// How many, at least 2.
        steps: usize,
    },
}

impl Values {
    /// The values themselves.
    pub fn expand(&self) -> Vec<f64> {
        match self {
            Values::List(values) => values.clone(),
            Values::Range { from, to, steps } => {
                let last = steps.saturating_sub(1).max(1) as f64;
                (0..*steps)
                    .map(|i| from + (to - from) * i as f64 / last)
                    .collect()
            }
        }
    }
}

/// Sweeps the deployment at `path` over `values` at the JSON path
/// `parameter`, printing in `format`.
///
/// # Errors
/// The file, the deployment, the parameter or the values at fault.
pub fn sweep(
    path: &Path,
    parameter: &str,
    values: &Values,
    format: Format,
) -> Result<String, String> {
    let text = read(path)?;
    let deployment = scenario::read(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let points = sweep::sweep(&deployment, parameter, &values.expand()).map_err(|e| {
        e.to_string()
            .replacen("parameter:", "--parameter:", 1)
            .replacen("values", "the values", 1)
    })?;
    match format {
        Format::Json => {
            serde_json::to_string_pretty(&json!({ "parameter": parameter, "points": points }))
                .map_err(|e| e.to_string())
        }
        Format::Csv => {
            let mut header = vec![parameter];
            header.extend(Headline::COLUMNS);
            header.push("error");
            export::table(
                &header,
                points.iter().map(|p| {
                    let mut row = vec![p.value.to_string()];
                    match &p.figures {
                        Some(figures) => row.extend(figures.values()),
                        None => row.extend(Headline::COLUMNS.map(|_| String::new())),
                    }
                    row.push(export::neutralise(p.error.as_deref().unwrap_or_default()));
                    row
                }),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_includes_both_ends_evenly_spaced() {
        let values = Values::Range {
            from: 1.0,
            to: 3.0,
            steps: 5,
        };
        assert_eq!(values.expand(), [1.0, 1.5, 2.0, 2.5, 3.0]);
    }
}
