//! `tokenfab search`: a search request file in, the best deployments, the
//! Pareto fronts and why each class lost out, as JSON or as text.

use std::fmt::Write as _;
use std::path::Path;

use tokenfab_core::search::{RankBy, SearchOutcome};

use super::ranges::number;

use super::read;
use crate::service::search;

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The whole outcome as pretty JSON (the API's answer).
    Json,
    /// The best candidates and the verdicts, for people.
    Text,
}

/// Runs the search request at `path` (`-` for standard input).
///
/// # Errors
/// A message naming the file and the field at fault.
pub fn run(path: &Path, format: Format) -> Result<String, String> {
    let text = read(path)?;
    let outcome = search::read(&text)
        .map_err(|e| e.to_string())
        .and_then(|request| search::run(&request).map_err(|e| e.to_string()))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    match format {
        Format::Json => serde_json::to_string_pretty(&outcome).map_err(|e| e.to_string()),
        Format::Text => Ok(to_text(&outcome)),
    }
}

/// The outcome for people: the searched size, the best candidates with
/// their key figures and prices, then every class's verdict.
pub fn to_text(outcome: &SearchOutcome) -> String {
    let mut out = String::new();
    let s = &outcome.size;
    let _ = writeln!(
        out,
        "{} candidates ({} configurations, {} disaggregated pairings), {} meet every target and constraint; ranked by {}, {}{}.",
        s.candidates,
        s.configurations,
        s.pairings,
        s.feasible,
        outcome.objective.label(),
        outcome.ranking.rank_by.label(),
        match outcome.ranking.rank_by {
            RankBy::Point => String::new(),
            _ => format!(
                " of the {} best as given ({} draws each, seed {})",
                outcome.ranking.drawn, outcome.ranking.samples, outcome.ranking.seed
            ),
        }
    );
    if let Some(why) = &outcome.none_feasible {
        let _ = writeln!(out, "\n{why}");
    }
    for c in &outcome.best {
        let f = &c.figures;
        let _ = writeln!(
            out,
            "\n{:>3}. {}\n     ${:.6} per response, ${:.3}/M output tokens, {:.2} tokens/J, {} GPUs, ${:.0}/month, {:.0} kW at load, TTFT {:.0} ms, TPOT {:.1} ms",
            c.rank,
            c.label,
            f.cost_per_response_usd,
            f.usd_per_m_output,
            f.tokens_per_joule,
            f.fleet_gpus,
            f.fleet_usd_per_month,
            c.facility_kw_at_load,
            f.ttft_ms,
            f.tpot_ms
        );
        if let Some(r) = c.range {
            let _ = writeln!(
                out,
                "     {} over the ranges: expected {}, P10 {} to P90 {}; the latency targets hold in {:.0} % of draws",
                outcome.objective.label(),
                number(r.expected),
                number(r.p10),
                number(r.p90),
                r.latency_targets_hold * 100.0
            );
        }
        if !c.offer.source.is_empty() {
            let _ = writeln!(out, "     price: {} ({})", c.offer.source, c.offer.date);
        }
        if let Some(pool) = &c.prefill_pool
            && !pool.offer.source.is_empty()
            && pool.offer.id != c.offer.id
        {
            let _ = writeln!(
                out,
                "     prefill price: {} ({})",
                pool.offer.source, pool.offer.date
            );
        }
        if let Some(note) = &c.quality_note {
            let _ = writeln!(out, "     note: {note}");
        }
    }
    let _ = writeln!(out, "\nBy class:");
    for v in &outcome.classes {
        let _ = writeln!(out, "  {:<16} {:<32} {}", v.dimension, v.choice, v.why);
    }
    out
}
