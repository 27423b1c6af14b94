//! The error of the performance model on a measurement table, summarised
//! per source family, per accelerator and per metric, and the coverage of
//! each accelerator and stack that the planner shows beside its figures.

use std::collections::BTreeMap;

use serde::Serialize;
use tokenfab_core::catalogue::Vendor;
use tokenfab_core::perf::Efficiency;
use tokenfab_core::power::PowerFactors;
use tokenfab_core::stack::Stack;
use tokenfab_core::stats::percentile;

use super::predict::{Case, Predicted, resolve};
use super::table::Row;

/// An error within this share of the measurement counts as close.
pub const CLOSE_PCT: f64 = 35.0;

/// A row that was not predicted, and why.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Skipped {
    /// Row id.
    pub id: String,
    /// Why, naming the column and value.
    pub reason: String,
}

/// Error statistics for one group of rows and one metric.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Summary {
    /// The group: a source family, an accelerator id, or `all`.
    pub group: String,
    /// Metric name.
    pub metric: String,
    /// Rows predicted.
    pub rows: usize,
    /// Median absolute error, percent.
    pub median_abs_error_pct: f64,
    /// 90th-percentile absolute error, percent.
    pub p90_abs_error_pct: f64,
    /// Share of rows within [`CLOSE_PCT`].
    pub share_within_35_pct: f64,
    /// Median of predicted / measured: above 1 the model is high.
    pub median_ratio: f64,
}

/// How well one accelerator with one stack is covered by measurements.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Coverage {
    /// Catalogue accelerator id.
    pub accelerator: String,
    /// Serving stack.
    pub stack: Stack,
    /// Measurements predicted (every metric).
    pub rows: usize,
    /// How many of them the built-in factors were fitted to.
    pub fitted_rows: usize,
    /// Median absolute error over them, percent.
    pub median_abs_error_pct: f64,
}

/// The whole accuracy report.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AccuracyReport {
    /// Per source family and metric.
    pub summaries: Vec<Summary>,
    /// Per accelerator and metric.
    pub by_accelerator: Vec<Summary>,
    /// Per metric over all rows.
    pub overall: Vec<Summary>,
    /// Per accelerator and stack, every metric together.
    pub coverage: Vec<Coverage>,
    /// Rows skipped, with reasons.
    pub skipped: Vec<Skipped>,
    /// Every predicted row.
    pub rows: Vec<Predicted>,
}

/// The rows resolved against the catalogue, and those that could not be.
pub fn resolve_all(rows: &[Row]) -> (Vec<Case>, Vec<Skipped>) {
    let mut cases = Vec::new();
    let mut skipped = Vec::new();
    for row in rows {
        match resolve(row) {
            Ok(case) => cases.push(case),
            Err(reason) => skipped.push(Skipped {
                id: row.id.clone(),
                reason,
            }),
        }
    }
    (cases, skipped)
}

/// Predicts every row it can with the stacks' built-in factors.
pub fn evaluate(rows: &[Row]) -> AccuracyReport {
    evaluate_with(rows, &built_in_factors)
}

/// The factors the product uses for `stack` on a part of `vendor`.
pub fn built_in_factors(stack: Stack, vendor: Vendor) -> (Efficiency, PowerFactors) {
    (stack.efficiency_on(Some(vendor)), stack.power())
}

/// Predicts every row it can with the factors `factors` gives each stack
/// on each vendor's parts.
pub fn evaluate_with(
    rows: &[Row],
    factors: &dyn Fn(Stack, Vendor) -> (Efficiency, PowerFactors),
) -> AccuracyReport {
    let (cases, skipped) = resolve_all(rows);
    evaluate_cases(&cases, skipped, factors)
}

/// Predicts resolved cases (how calibration tries candidate factors
/// without resolving the table again).
pub fn evaluate_cases(
    cases: &[Case],
    mut skipped: Vec<Skipped>,
    factors: &dyn Fn(Stack, Vendor) -> (Efficiency, PowerFactors),
) -> AccuracyReport {
    let mut predicted = Vec::with_capacity(cases.len());
    for case in cases {
        match case.predict(factors) {
            Ok(p) => predicted.push(p),
            Err(reason) => skipped.push(Skipped {
                id: case.id.clone(),
                reason,
            }),
        }
    }
    AccuracyReport {
        summaries: summarise(&predicted, |p| p.family.clone()),
        by_accelerator: summarise(&predicted, |p| p.accelerator.clone()),
        overall: summarise(&predicted, |_| "all".to_owned()),
        coverage: coverage(&predicted),
        skipped,
        rows: predicted,
    }
}

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

fn summarise(rows: &[Predicted], group: impl Fn(&Predicted) -> String) -> Vec<Summary> {
    let mut groups: BTreeMap<(String, String), Vec<&Predicted>> = BTreeMap::new();
    for row in rows {
        groups
            .entry((group(row), row.metric.clone()))
            .or_default()
            .push(row);
    }
    groups
        .into_iter()
        .map(|((group, metric), rows)| {
            let errors = sorted(rows.iter().map(|p| p.abs_error_pct).collect());
            let ratios = sorted(rows.iter().map(|p| p.predicted / p.measured).collect());
            let within = errors.iter().filter(|e| **e <= CLOSE_PCT).count();
            Summary {
                group,
                metric,
                rows: errors.len(),
                // A group holds at least the row that made it.
                median_abs_error_pct: percentile(&errors, 0.5).unwrap_or(f64::NAN),
                p90_abs_error_pct: percentile(&errors, 0.9).unwrap_or(f64::NAN),
                share_within_35_pct: within as f64 / errors.len() as f64,
                median_ratio: percentile(&ratios, 0.5).unwrap_or(f64::NAN),
            }
        })
        .collect()
}

fn coverage(rows: &[Predicted]) -> Vec<Coverage> {
    let mut groups: BTreeMap<(String, &'static str), (Stack, Vec<f64>, usize)> = BTreeMap::new();
    for row in rows {
        let group = groups
            .entry((row.accelerator.clone(), row.stack.id()))
            .or_insert_with(|| (row.stack, Vec::new(), 0));
        group.1.push(row.abs_error_pct);
        group.2 += usize::from(super::was_fitted(
            &row.family,
            &row.accelerator,
            &row.metric,
        ));
    }
    groups
        .into_iter()
        .map(|((accelerator, _), (stack, errors, fitted_rows))| {
            let errors = sorted(errors);
            Coverage {
                accelerator,
                stack,
                rows: errors.len(),
                fitted_rows,
                median_abs_error_pct: percentile(&errors, 0.5).unwrap_or(f64::NAN),
            }
        })
        .collect()
}

/// The report as a plain-text table.
pub fn to_text(report: &AccuracyReport) -> String {
    let mut out = String::new();
    out.push_str(
        "group                 metric                 rows  median |err|  p90 |err|  within 35%  pred/meas\n",
    );
    for s in report
        .summaries
        .iter()
        .chain(&report.by_accelerator)
        .chain(&report.overall)
    {
        out.push_str(&format!(
            "{:<21} {:<22} {:>4}  {:>11.1}%  {:>8.1}%  {:>9.0}%  {:>8.2}x\n",
            s.group,
            s.metric,
            s.rows,
            s.median_abs_error_pct,
            s.p90_abs_error_pct,
            s.share_within_35_pct * 100.0,
            s.median_ratio
        ));
    }
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &report.skipped {
        *reasons.entry(s.reason.as_str()).or_default() += 1;
    }
    out.push_str(&format!(
        "\n{} rows predicted, {} skipped\n",
        report.rows.len(),
        report.skipped.len()
    ));
    for (reason, count) in reasons {
        out.push_str(&format!("  skipped {count:>3}: {reason}\n"));
    }
    out
}
