//! Fitting a deployment to a serving benchmark's result and a power log,
//! given as text (a request body) or as a stream (a file of any size, read
//! line by line): read the benchmark, summarise the log over the run, build
//! the observations, fit.

use std::io::BufRead;

use tokenfab_core::catalogue;
use tokenfab_core::deployment::{Choice, Deployment, PowerScope};
use tokenfab_core::model::Precision;
use tokenfab_core::observed::bench::{self, BenchSummary};
use tokenfab_core::observed::calibrate::{
    Calibration, CalibrationError, Observations, PowerStatistic, calibrate,
};
use tokenfab_core::observed::power_log::{PowerLogReader, PowerSummary, RunSpan, Window};

/// A power log: held as text, or read line by line.
pub enum PowerLog<'a> {
    /// The whole log as text.
    Text(&'a str),
    /// A reader to stream it from.
    Stream(Box<dyn BufRead + 'a>),
}

/// What to fit and how.
pub struct Measurements<'a> {
    /// The benchmark's result file, as text.
    pub bench: &'a str,
    /// The power log of the same run, if any.
    pub power: Option<PowerLog<'a>>,
    /// The part of the run to use.
    pub window: Window,
    /// What the power log measured.
    pub scope: PowerScope,
    /// Which statistic of the log to fit.
    pub statistic: PowerStatistic,
}

/// The fit, with what was read from each file.
#[derive(Debug, Clone)]
pub struct Fitted {
    /// The calibration.
    pub calibration: Calibration,
    /// What the benchmark says.
    pub bench: BenchSummary,
    /// What the power log says, if one was given.
    pub power: Option<PowerSummary>,
}

/// Which input a problem is in, so each front end can name it its way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The benchmark's result.
    Bench,
    /// The power log.
    PowerLog,
    /// The deployment, or the fit itself.
    Fit,
}

/// Why a fit could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct FitError {
    /// The input at fault.
    pub input: Input,
    /// What is wrong, naming the line or key.
    pub message: String,
    /// The field at fault, when the fit names one (`scenario.…`, `bench`, `power`).
    pub field: Option<String>,
}

impl From<CalibrationError> for FitError {
    fn from(e: CalibrationError) -> Self {
        let field = match &e {
            CalibrationError::Deployment(e) => format!("scenario.{}", e.field()),
            CalibrationError::NoConcurrency => "bench".to_owned(),
            CalibrationError::BelowIdle { .. } => "power".to_owned(),
        };
        FitError {
            input: Input::Fit,
            field: Some(field),
            message: e.to_string(),
        }
    }
}

/// The deployment to fit when none is given: the built-in example serving
/// the model the benchmark names (`model_id`), when the catalogue knows it,
/// in its checkpoint's precision; with a note saying which model and why.
pub fn deployment_for(bench_text: &str) -> (Deployment, Option<String>) {
    let mut deployment = Deployment::example();
    let Some(named) = bench::read(bench_text).ok().and_then(|b| b.model) else {
        return (deployment, None);
    };
    let note = match catalogue::model_by_hugging_face_id(&named) {
        Some(entry) => {
            let weights = if named.to_ascii_lowercase().ends_with("-fp8") {
                Precision::Fp8
            } else {
                entry.native_precision
            };
            deployment.model.choice = Choice::Catalogue(entry.id.to_owned());
            deployment.model.weights = Some(weights);
            format!(
                "model {} in {} (its checkpoint's precision) from the benchmark's model_id {named}; the rest is the built-in example deployment (give a scenario to describe yours)",
                entry.name,
                weights.label()
            )
        }
        None => format!(
            "the benchmark's model_id {named} is not in the catalogue: the built-in example's model is fitted (give a scenario to describe yours)"
        ),
    };
    (deployment, Some(note))
}

/// Fits `deployment` to the measurements.
///
/// # Errors
/// A file that does not read (naming its line or key), or a fit that
/// cannot be made (no concurrency in the benchmark, power below idle).
pub fn fit(deployment: &Deployment, m: Measurements<'_>) -> Result<Fitted, FitError> {
    let bench = bench::read(m.bench).map_err(|e| FitError {
        input: Input::Bench,
        message: e.to_string(),
        field: None,
    })?;
    let power = match m.power {
        Some(log) => Some(
            summarise(log, m.window, bench.run_span()).map_err(|message| FitError {
                input: Input::PowerLog,
                message,
                field: None,
            })?,
        ),
        None => None,
    };
    let observations = Observations {
        bench: bench.clone(),
        power: power.clone(),
        scope: m.scope,
        statistic: m.statistic,
    };
    Ok(Fitted {
        calibration: calibrate(deployment, &observations)?,
        bench,
        power,
    })
}

/// The log's figures over the `run` a benchmark names, or the window.
///
/// # Errors
/// The line that does not read, or a log with no samples in the window.
pub fn summarise(
    log: PowerLog<'_>,
    window: Window,
    run: Option<RunSpan>,
) -> Result<PowerSummary, String> {
    let mut reader = PowerLogReader::new(window).align_to(run);
    match log {
        PowerLog::Text(text) => {
            for line in text.lines() {
                reader.push_line(line).map_err(|e| e.to_string())?;
            }
        }
        PowerLog::Stream(mut lines) => {
            let mut line = String::new();
            loop {
                line.clear();
                let read = lines
                    .read_line(&mut line)
                    .map_err(|e| format!("cannot read: {e}"))?;
                if read == 0 {
                    break;
                }
                reader.push_line(&line).map_err(|e| e.to_string())?;
            }
        }
    }
    reader.finish().map_err(|e| e.to_string())
}
