//! `tokenfab calibrate`: a serving benchmark's result and a power log in,
//! the deployment fitted to them out, with measured against modeled. The
//! power log is streamed line by line, so its size does not matter.

use std::io::BufRead;
use std::path::Path;

use tokenfab_core::deployment::{Deployment, PowerScope};
use tokenfab_core::observed::bench;
use tokenfab_core::observed::calibrate::{Calibration, Observations, PowerStatistic, calibrate};
use tokenfab_core::observed::power_log::{PowerLogReader, PowerSummary, RunSpan, Window};

use crate::eval::read;

/// What `tokenfab calibrate` is asked.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The deployment file; the built-in example without one.
    pub scenario: Option<&'a Path>,
    /// The benchmark result.
    pub bench: &'a Path,
    /// The power log.
    pub power: Option<&'a Path>,
    /// The part of the run to use.
    pub window: Window,
    /// What the power log measured.
    pub scope: PowerScope,
    /// Which statistic of the log to fit.
    pub statistic: PowerStatistic,
}

/// Streams the power log at `path` through the reader.
///
/// # Errors
/// The file, or the line that does not read.
pub fn read_power_log(
    path: &Path,
    window: Window,
    run: Option<RunSpan>,
) -> Result<PowerSummary, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut reader = PowerLogReader::new(window).align_to(run);
    let mut line = String::new();
    let mut lines = std::io::BufReader::with_capacity(1 << 16, file);
    loop {
        line.clear();
        let read = lines
            .read_line(&mut line)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if read == 0 {
            break;
        }
        reader
            .push_line(&line)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    reader
        .finish()
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Fits the deployment to the files `request` names.
///
/// # Errors
/// A message naming the file and its line or key at fault.
pub fn run(request: &Request<'_>) -> Result<Calibration, String> {
    let deployment = match request.scenario {
        Some(path) => {
            Deployment::from_json(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => Deployment::example(),
    };
    let bench = bench::read(&read(request.bench)?)
        .map_err(|e| format!("{}: {e}", request.bench.display()))?;
    let power = match request.power {
        Some(path) => Some(read_power_log(path, request.window, bench.run_span())?),
        None => None,
    };
    let observations = Observations {
        bench,
        power,
        scope: request.scope,
        statistic: request.statistic,
    };
    calibrate(&deployment, &observations).map_err(|e| e.to_string())
}

/// What a power log's scope is, in words.
fn scope_name(scope: PowerScope) -> &'static str {
    match scope {
        PowerScope::Gpu => "GPUs",
        PowerScope::Server => "whole servers",
        PowerScope::Facility => "facility",
    }
}

/// The calibration for people: what was measured, the factors, measured
/// against modeled, notes.
pub fn to_text(c: &Calibration) -> String {
    let o = &c.observed;
    let mut out = format!(
        "measured: {:.0} output and {:.0} prompt tokens/s, {:.2} requests/s\n",
        o.output_tokens_per_s, o.input_tokens_per_s, o.requests_per_s
    );
    if let Some(p) = &o.power {
        out.push_str(&format!(
            "power ({}, {} in the log): mean {:.0} W, P50 {:.0} W, P90 {:.0} W; {:.3} J per output token (mean), {:.3} output tokens/J, {:.1} million tokens/kWh\n",
            scope_name(p.scope),
            p.gpus,
            p.mean_w,
            p.p50_w,
            p.p90_w,
            p.joules_per_output_token,
            p.output_tokens_per_joule,
            p.tokens_per_kwh / 1e6
        ));
    }
    out.push('\n');
    out.push_str(&format!(
        "speed factor {:.3} (the stack's achieved bandwidth and compute shares times this)\n",
        c.speed_factor
    ));
    if let Some(p) = c.prefill_factor {
        out.push_str(&format!(
            "prefill factor {p:.3} (prefill arithmetic times this again, for the time to first token)\n"
        ));
    }
    if let Some(p) = c.power_factor {
        out.push_str(&format!(
            "power factor {p:.3} (the power weights times this)\n"
        ));
    }
    out.push_str(&format!(
        "fitted at {:.1} requests in flight: {}\n\n",
        c.concurrency, c.concurrency_source
    ));
    out.push_str(&format!(
        "{:<40} {:>12} {:>14} {:>13}\n",
        "figure", "measured", "model before", "model after"
    ));
    for row in &c.comparisons {
        out.push_str(&format!(
            "{:<40} {:>12.2} {:>14.2} {:>13.2}\n",
            row.figure, row.measured, row.modeled_before, row.modeled_after
        ));
    }
    for note in &c.notes {
        out.push_str(&format!("\nnote: {note}"));
    }
    out.push_str("\n\nThe fitted deployment (--json prints it, with the measured level) keeps these factors.\n");
    out
}
