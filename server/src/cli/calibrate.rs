//! `tokenfab calibrate`: a serving benchmark's result and a power log in,
//! the deployment fitted to them out, with measured against modeled. The
//! power log is streamed line by line, so its size does not matter.

use tokenfab_core::deployment::PowerScope;
use tokenfab_core::observed::calibrate::Calibration;
use tokenfab_core::observed::power_log::Window;

use super::read;
use crate::config::CalibrateArgs;
use crate::service::calibrate::{self, Input, Measurements, PowerLog};
use crate::service::scenario;

/// Fits the deployment to the files `args` names.
///
/// # Errors
/// A message naming the file and its line or key at fault.
pub fn run(args: &CalibrateArgs) -> Result<Calibration, String> {
    let bench = read(&args.bench)?;
    let (deployment, chosen) = match &args.scenario {
        Some(path) => (
            scenario::read(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))?,
            None,
        ),
        None => calibrate::deployment_for(&bench),
    };
    let power = match &args.power {
        Some(path) => {
            let file = std::fs::File::open(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Some(PowerLog::Stream(Box::new(
                std::io::BufReader::with_capacity(1 << 16, file),
            )))
        }
        None => None,
    };
    let measurements = Measurements {
        bench: &bench,
        power,
        window: Window {
            from_s: args.from,
            to_s: args.to,
        },
        scope: args.scope.into(),
        statistic: args.statistic.into(),
    };
    let fitted = calibrate::fit(&deployment, measurements).map_err(|e| match e.input {
        Input::Bench => format!("{}: {e}", args.bench.display()),
        Input::PowerLog => match &args.power {
            Some(path) => format!("{}: {e}", path.display()),
            None => e.to_string(),
        },
        Input::Fit => e.to_string(),
    })?;
    let mut calibration = fitted.calibration;
    calibration.notes.splice(0..0, chosen);
    Ok(calibration)
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
