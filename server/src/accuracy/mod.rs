//! How far the performance model is from published measurements:
//! `tokenfab accuracy` on any table in the measurement format, and the
//! product's own validation table behind `/accuracy` and the planner's
//! coverage note.

pub mod page;
pub mod predict;
pub mod report;
pub mod table;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

pub use predict::{ASSUMED_INPUT_TOKENS, Case, Predicted};
pub use report::{
    AccuracyReport, CLOSE_PCT, Coverage, Skipped, Summary, built_in_factors, evaluate,
    evaluate_cases, evaluate_with, resolve_all, to_text,
};
pub use table::{BUILT_IN, Row, parse, read};

/// The source families the serving stacks' factors were fitted to (CUDA
/// platforms: A100, H100, H200, L40S).
pub const STACK_FAMILIES: &[&str] = &["mlenergy-v3", "trtllm-v090", "trtllm-v1"];

/// The source families the ROCm share was fitted to, the stacks' factors
/// held (AMD Instinct MI300X, MI325X, MI355X).
pub const ROCM_FAMILIES: &[&str] = &[
    "amd-perf-results",
    "amd-rocm-blog",
    "amd-rocm-vllm-readme",
    "llmd-pr",
    "oracle-blog",
    "vultr-cookbook",
];

/// The metrics the ROCm share was fitted to: throughput. (Time to first
/// token under load has a gap of its own, see the README.)
pub const ROCM_FITTED_METRICS: &[&str] = &[
    "output_tok_s_total",
    "output_tok_s_per_gpu",
    "total_tok_s_total",
    "request_throughput",
];

/// Whether any built-in factor was fitted to a row of `family` on the
/// accelerator `accelerator` (catalogue id) measuring `metric`. Every other
/// row was added after the fit, so its error is out of sample: what to
/// expect on hardware and software not fitted to.
pub fn was_fitted(family: &str, accelerator: &str, metric: &str) -> bool {
    let on_amd = tokenfab_core::catalogue::accelerator(accelerator)
        .is_some_and(|a| a.vendor == tokenfab_core::catalogue::Vendor::Amd);
    STACK_FAMILIES.contains(&family)
        || (ROCM_FAMILIES.contains(&family) && on_amd && ROCM_FITTED_METRICS.contains(&metric))
}

/// Reads the table at `path` and predicts it.
///
/// # Errors
/// When the file cannot be read or is not a table of this format (naming the line).
pub fn run(path: &Path) -> Result<AccuracyReport, String> {
    Ok(evaluate(&read(path)?))
}

/// Each source family of the built-in table with the document its first
/// row cites (and how many others the family cites) and its date.
pub fn built_in_sources() -> BTreeMap<String, (String, String)> {
    let mut sources: BTreeMap<String, (String, String, BTreeSet<String>)> = BTreeMap::new();
    for row in parse(BUILT_IN).unwrap_or_default() {
        let entry = sources
            .entry(row.family().to_owned())
            .or_insert_with(|| (row.source.clone(), row.date.clone(), BTreeSet::new()));
        entry.2.insert(row.source);
    }
    sources
        .into_iter()
        .map(|(family, (first, date, all))| {
            let source = match all.len() {
                0 | 1 => first,
                2 => format!("{first}, and 1 more document of the same source"),
                n => format!("{first}, and {} more documents of the same source", n - 1),
            };
            (family, (source, date))
        })
        .collect()
}

/// The `/accuracy` page, rendered once.
pub fn built_in_page() -> &'static str {
    static PAGE: OnceLock<String> = OnceLock::new();
    PAGE.get_or_init(|| page::render(built_in(), &built_in_sources()))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The planner shows `tokenfab_core::validation::COVERAGE` beside its
    /// figures; it must say what the table says. When the table or the
    /// factors change, copy the figures this prints into that list.
    #[test]
    fn the_planners_coverage_note_matches_the_validation_table() {
        // As the planner's list writes an entry.
        let line = |accelerator: &str, stack, rows: usize, fitted: usize, median: f64| {
            format!("covered({accelerator:?}, Stack::{stack:?}, {rows}, {fitted}, {median:.1}),")
        };
        let table: Vec<String> = built_in()
            .coverage
            .iter()
            .map(|c| {
                line(
                    &c.accelerator,
                    c.stack,
                    c.rows,
                    c.fitted_rows,
                    c.median_abs_error_pct,
                )
            })
            .collect();
        let planner: Vec<String> = tokenfab_core::validation::COVERAGE
            .iter()
            .map(|c| {
                let count = |n: u32| n as usize;
                line(
                    c.accelerator,
                    c.stack,
                    count(c.rows),
                    count(c.fitted_rows),
                    c.median_abs_error_pct,
                )
            })
            .collect();
        assert_eq!(planner, table, "\n{}", table.join("\n"));
    }

    /// The planner's ranges draw the model's error from
    /// `tokenfab_core::uncertainty::MODEL_ERROR`; it must be what the
    /// table's out-of-sample rows say. When the table or the factors
    /// change, copy the lines this prints into that list.
    #[test]
    fn the_model_error_the_ranges_draw_from_matches_the_validation_table() {
        use tokenfab_core::uncertainty::{Group, MIN_ROWS, MODEL_ERROR, Quantity};
        let line = |g: &Group, q: Quantity, rows: u32, fitted: bool, p: [f64; 3]| {
            format!(
                "spread({}, {}, {}, Quantity::{q:?}, {rows}, {fitted}, [{:.3}, {:.3}, {:.3}]),",
                g.stack
                    .map_or("None".to_owned(), |s| format!("Some(Stack::{s:?})")),
                g.moe.map_or("None".to_owned(), |m| format!("Some({m})")),
                g.bits.map_or("None".to_owned(), |b| format!("Some({b})")),
                p[0],
                p[1],
                p[2]
            )
        };
        // Predicted over measured, as speed and power: a time's ratio is
        // turned over.
        let quantity = |metric: &str| match metric {
            "output_tok_s_total"
            | "output_tok_s_per_gpu"
            | "total_tok_s_total"
            | "request_throughput" => Some((Quantity::Speed, false)),
            "tpot_ms_median" | "tpot_ms_mean" => Some((Quantity::Speed, true)),
            "ttft_ms" => Some((Quantity::Prefill, true)),
            "watts_gpu_total" => Some((Quantity::Power, false)),
            _ => None,
        };
        // Out-of-sample rows by group; every row, fitted ones too, for a
        // quantity with too few out of sample (flagged: it understates).
        let mut groups: Vec<(Group, Quantity, Vec<f64>)> = Vec::new();
        let mut everything: Vec<(Quantity, Vec<f64>)> = Vec::new();
        for row in &built_in().rows {
            let Some((q, time)) = quantity(&row.metric) else {
                continue;
            };
            let Some(model) = tokenfab_core::catalogue::model(&row.model) else {
                continue;
            };
            let ratio = if time {
                row.measured / row.predicted
            } else {
                row.predicted / row.measured
            };
            match everything.iter_mut().find(|(p, _)| *p == q) {
                Some((_, ratios)) => ratios.push(ratio),
                None => everything.push((q, vec![ratio])),
            }
            if was_fitted(&row.family, &row.accelerator, &row.metric) {
                continue;
            }
            for g in Group::of(row.stack, model.spec.moe.is_some(), row.weights) {
                match groups.iter_mut().find(|(h, p, _)| *h == g && *p == q) {
                    Some((_, _, ratios)) => ratios.push(ratio),
                    None => groups.push((g, q, vec![ratio])),
                }
            }
        }
        let key = |g: &Group, q: Quantity| {
            (
                g.stack.map(|s| s.id()),
                g.moe,
                g.bits,
                Quantity::ALL.iter().position(|x| *x == q),
            )
        };
        let every = Group {
            stack: None,
            moe: None,
            bits: None,
        };
        let enough = |ratios: &Vec<f64>| ratios.len() >= MIN_ROWS as usize;
        let mut kept: Vec<(Group, Quantity, Vec<f64>, bool)> = groups
            .into_iter()
            .filter(|(_, _, ratios)| enough(ratios))
            .map(|(g, q, ratios)| (g, q, ratios, false))
            .collect();
        for (q, ratios) in everything {
            let covered = kept.iter().any(|(g, p, _, _)| *g == every && *p == q);
            if !covered && enough(&ratios) {
                kept.push((every, q, ratios, true));
            }
        }
        kept.sort_by(|a, b| key(&a.0, a.1).cmp(&key(&b.0, b.1)));
        let table: Vec<String> = kept
            .into_iter()
            .map(|(g, q, mut ratios, fitted)| {
                ratios.sort_by(f64::total_cmp);
                let at = |p| tokenfab_core::stats::percentile(&ratios, p).unwrap_or(f64::NAN);
                line(
                    &g,
                    q,
                    ratios.len() as u32,
                    fitted,
                    [at(0.1), at(0.5), at(0.9)],
                )
            })
            .collect();
        let planner: Vec<String> = MODEL_ERROR
            .iter()
            .map(|s| {
                line(
                    &s.group,
                    s.quantity,
                    s.rows,
                    s.fitted,
                    [s.p10, s.p50, s.p90],
                )
            })
            .collect();
        assert_eq!(planner, table, "\n{}", table.join("\n"));
    }

    #[test]
    fn the_built_in_table_predicts_every_row() {
        let report = built_in();
        assert!(report.skipped.is_empty(), "{:?}", report.skipped);
        assert_eq!(report.rows.len(), parse(BUILT_IN).expect("parses").len());
    }
}
