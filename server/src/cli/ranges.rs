//! `tokenfab ranges`: a deployment file in, how sure each headline figure
//! is, as JSON (the API's answer) or as a table.

use std::fmt::Write as _;
use std::path::Path;

use tokenfab_core::deployment::Deployment;
use tokenfab_core::uncertainty::{RangesReport, evaluate_ranges};

use super::read;
use super::search::Format;

/// The ranges of the deployment at `path` (`-` for standard input).
///
/// # Errors
/// A message naming the file and the field at fault.
pub fn run(path: &Path, format: Format) -> Result<String, String> {
    let text = read(path)?;
    let report = Deployment::from_json(&text)
        .and_then(|d| evaluate_ranges(&d))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    match format {
        Format::Json => serde_json::to_string_pretty(&report).map_err(|e| e.to_string()),
        Format::Text => Ok(to_text(&report)),
    }
}

/// The ranges for people: each figure's point, expected value, P10 and
/// P90, the probabilities, and where the spread comes from.
pub fn to_text(r: &RangesReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} draws (seed {}), {} evaluated.",
        r.samples, r.seed, r.evaluated
    );
    if let Some(why) = &r.first_failure {
        let _ = writeln!(out, "The first draw that could not be evaluated: {why}");
    }
    let _ = writeln!(
        out,
        "\n  {:<22} {:>12} {:>12} {:>12} {:>12}  unit",
        "figure", "as given", "expected", "P10", "P90"
    );
    for f in &r.figures {
        let _ = writeln!(
            out,
            "  {:<22} {:>12} {:>12} {:>12} {:>12}  {}",
            f.figure,
            number(f.point),
            number(f.expected),
            number(f.p10),
            number(f.p90),
            f.unit
        );
    }
    let p = &r.probabilities;
    let _ = writeln!(
        out,
        "\nLatency targets hold: {:.0} %. Owning cheaper than renting by month 24: {:.0} %.",
        p.latency_targets_hold * 100.0,
        p.owning_cheaper_by_month_24 * 100.0
    );
    if let Some(within) = p.within_power_budget {
        let _ = writeln!(out, "Within the power budget: {:.0} %.", within * 100.0);
    }
    let _ = writeln!(out, "\nWhere the spread comes from:");
    for s in &r.sources {
        let share = r
            .contributions
            .iter()
            .find(|c| c.input == s.input)
            .map_or(0.0, |c| c.share_of_variance);
        let _ = writeln!(
            out,
            "  {:<28} {} to {} (as given {}); {:.0} % of the cost's spread; {}",
            s.input,
            number(s.low),
            number(s.high),
            number(s.expected),
            share * 100.0,
            s.from
        );
    }
    out
}

/// Four significant figures, for a table of ranges (here and on the
/// `/ranges` page).
pub(crate) fn number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return v.to_string();
    }
    let digits = (3 - v.abs().log10().floor() as i32).max(0) as usize;
    format!("{v:.digits$}")
}
