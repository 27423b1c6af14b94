//! One input varied over a list of values, every other input held: the
//! headline figures at each value. The input is named by its JSON path in
//! a deployment (`pricing.usd_per_gpu_hour`), so any numeric field sweeps.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::deployment::{Deployment, DeploymentError};
use crate::headline::Headline;

/// Most values one sweep evaluates.
pub const MAX_POINTS: usize = 1_000;

/// Why a sweep cannot start.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepError {
    /// The path does not name a numeric field of the deployment.
    #[error("parameter: {path:?} is not a numeric field of the deployment ({reason})")]
    NotNumeric {
        /// The path given.
        path: String,
        /// What was found there instead.
        reason: String,
    },
    /// No values, or more than [`MAX_POINTS`].
    #[error("values: give 1 to {MAX_POINTS} values, not {count}")]
    Count {
        /// How many were given.
        count: usize,
    },
    /// A value is NaN or infinite.
    #[error("values[{index}]: must be a finite number")]
    NotFinite {
        /// Its position.
        index: usize,
    },
}

impl SweepError {
    /// JSON path of the request field at fault.
    pub fn field(&self) -> String {
        match self {
            SweepError::NotNumeric { .. } => "parameter".to_owned(),
            SweepError::Count { .. } => "values".to_owned(),
            SweepError::NotFinite { index } => format!("values[{index}]"),
        }
    }
}

/// The figures at one value, or why that value does not evaluate (weights
/// that no longer fit, a value out of the field's range).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SweepPoint {
    /// The value of the swept input.
    pub value: f64,
    /// The headline figures, when it evaluates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figures: Option<Headline>,
    /// Why it does not, naming the field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Evaluates `deployment` with the field at `path` set to each of `values`.
///
/// # Errors
/// When `path` is not a numeric field or the values are unusable; a value
/// that gives an invalid deployment is reported in its point instead.
pub fn sweep(
    deployment: &Deployment,
    path: &str,
    values: &[f64],
) -> Result<Vec<SweepPoint>, SweepError> {
    if values.is_empty() || values.len() > MAX_POINTS {
        return Err(SweepError::Count {
            count: values.len(),
        });
    }
    if let Some(index) = values.iter().position(|v| !v.is_finite()) {
        return Err(SweepError::NotFinite { index });
    }
    let mut document = serde_json::to_value(deployment).map_err(|e| SweepError::NotNumeric {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    // Checked once: the path leads to a number (or an optional number).
    slot(&mut document, path)?;
    Ok(values
        .iter()
        .map(|&value| {
            let outcome = match slot(&mut document, path) {
                Ok(slot) => {
                    *slot = serde_json::json!(value);
                    evaluate(&document).map_err(|e| e.to_string())
                }
                Err(e) => Err(e.to_string()),
            };
            match outcome {
                Ok(figures) => SweepPoint {
                    value,
                    figures: Some(figures),
                    error: None,
                },
                Err(error) => SweepPoint {
                    value,
                    figures: None,
                    error: Some(error),
                },
            }
        })
        .collect())
}

/// The headline of the deployment `document` describes.
fn evaluate(document: &Value) -> Result<Headline, DeploymentError> {
    let deployment = Deployment::from_json(&document.to_string())?;
    Ok(Headline::from(&deployment.evaluate()?))
}

/// The number (or null) at `path` in `document`.
fn slot<'a>(document: &'a mut Value, path: &str) -> Result<&'a mut Value, SweepError> {
    let fail = |reason: String| SweepError::NotNumeric {
        path: path.to_owned(),
        reason,
    };
    let mut here = document;
    for (depth, key) in path.split('.').enumerate() {
        here = match here {
            Value::Object(map) => {
                if !map.contains_key(key) {
                    let known: Vec<&String> = map.keys().collect();
                    let at = path.split('.').take(depth).collect::<Vec<_>>().join(".");
                    return Err(fail(format!(
                        "no {key:?} under {}; there are {known:?}",
                        if at.is_empty() { "the top" } else { &at }
                    )));
                }
                map.get_mut(key)
                    .ok_or_else(|| fail(format!("no {key:?}")))?
            }
            _ => {
                return Err(fail(format!(
                    "{key:?} is inside a value that is not an object"
                )));
            }
        };
    }
    match here {
        Value::Number(_) | Value::Null => Ok(here),
        other => Err(fail(format!("it holds {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubling_the_rental_doubles_the_monthly_cost() {
        let d = Deployment::example();
        let base = d.pricing.usd_per_gpu_hour;
        let points = sweep(&d, "pricing.usd_per_gpu_hour", &[base, 2.0 * base]).unwrap();
        let cost = |p: &SweepPoint| p.figures.unwrap().fleet_usd_per_month;
        assert!((cost(&points[1]) / cost(&points[0]) - 2.0).abs() < 1e-9);
        // Energy does not depend on the price.
        assert_eq!(
            points[0].figures.unwrap().tokens_per_joule,
            points[1].figures.unwrap().tokens_per_joule
        );
    }

    #[test]
    fn a_value_out_of_range_fails_only_its_point() {
        let d = Deployment::example();
        let points = sweep(&d, "pricing.pue", &[1.2, 0.5]).unwrap();
        assert!(points[0].figures.is_some());
        assert!(
            points[1]
                .error
                .as_deref()
                .unwrap()
                .starts_with("pricing.pue")
        );
    }

    #[test]
    fn a_path_that_is_not_a_number_is_named() {
        let d = Deployment::example();
        for path in [
            "pricing.mode",
            "pricing.nothing",
            "pricing",
            "use_case.input_tokens.x",
        ] {
            let e = sweep(&d, path, &[1.0]).unwrap_err();
            assert_eq!(e.field(), "parameter", "{path}");
        }
        assert_eq!(
            sweep(&d, "pricing.pue", &[]).unwrap_err(),
            SweepError::Count { count: 0 }
        );
        assert_eq!(
            sweep(&d, "pricing.pue", &[1.0, f64::NAN])
                .unwrap_err()
                .field(),
            "values[1]"
        );
    }
}
