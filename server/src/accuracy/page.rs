//! The `/accuracy` page: the report on the validation table as HTML, drawn
//! by the server alone. It has nothing to change, so it ships no script and
//! costs the browser bundle nothing.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use tokenfab_core::catalogue;

use super::{AccuracyReport, ROCM_FAMILIES, STACK_FAMILIES, Summary};
use crate::charts::metric_label;
use crate::html::{document_head, escape};

/// A catalogue accelerator's name, or the id when unknown.
fn accelerator_name(id: &str) -> String {
    catalogue::accelerator(id).map_or_else(|| id.to_owned(), |a| a.name.to_owned())
}

/// A table of error summaries, grouped under `group_heading`.
fn summary_table(id: &str, caption: &str, group_heading: &str, summaries: &[Summary]) -> String {
    let mut html = format!(
        "<div class=\"table-scroll\"><table class=\"comparison\" id=\"{id}\"><caption>{}</caption>\
         <thead><tr><th scope=\"col\">{}</th><th scope=\"col\">metric</th><th scope=\"col\">rows</th>\
         <th scope=\"col\">median abs. error</th><th scope=\"col\">90th percentile</th>\
         <th scope=\"col\">within 35 %</th><th scope=\"col\">median predicted / measured</th></tr></thead><tbody>",
        escape(caption),
        escape(group_heading)
    );
    for s in summaries {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.1} %</td><td>{:.1} %</td><td>{:.0} %</td><td>{:.2}×</td></tr>",
            escape(&s.group),
            escape(metric_label(&s.metric)),
            s.rows,
            s.median_abs_error_pct,
            s.p90_abs_error_pct,
            s.share_within_35_pct * 100.0,
            s.median_ratio
        );
    }
    html.push_str("</tbody></table></div>");
    html
}

/// Each source family with its rows' source documents and dates.
fn sources(report: &AccuracyReport, source_of: &BTreeMap<String, (String, String)>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &report.rows {
        *counts.entry(row.family.as_str()).or_default() += 1;
    }
    let mut html = String::from("<ul id=\"accuracy-sources\">");
    for (family, rows) in counts {
        let (source, date) = source_of.get(family).cloned().unwrap_or_default();
        let fitted = if STACK_FAMILIES.contains(&family) {
            "in sample: the stacks' factors were fitted to it"
        } else if ROCM_FAMILIES.contains(&family) {
            "in sample for its AMD throughput rows, which the ROCm share was fitted to"
        } else {
            "out of sample: added after the fit"
        };
        let _ = write!(
            html,
            "<li><strong>{}</strong> ({rows} rows, {}; {fitted}): {}</li>",
            escape(family),
            escape(&date),
            escape(&source)
        );
    }
    html.push_str("</ul>");
    html
}

/// The coverage of every catalogue accelerator: measured stacks with their
/// error, and the parts no published measurement covers.
fn coverage_table(report: &AccuracyReport) -> String {
    let mut html = String::from(
        "<div class=\"table-scroll\"><table class=\"comparison\" id=\"accuracy-coverage\">\
         <caption>What the planner says beside its figures, per accelerator and serving stack</caption>\
         <thead><tr><th scope=\"col\">accelerator</th><th scope=\"col\">serving stack</th>\
         <th scope=\"col\">measurements</th><th scope=\"col\">of them fitted to</th><th scope=\"col\">median abs. error</th></tr></thead><tbody>",
    );
    for part in catalogue::ACCELERATORS {
        let covered: Vec<_> = report
            .coverage
            .iter()
            .filter(|c| c.accelerator == part.id)
            .collect();
        if covered.is_empty() {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>any</td><td>0</td><td>0</td><td>unvalidated: no published measurement</td></tr>",
                escape(part.name)
            );
        }
        for c in covered {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1} %</td></tr>",
                escape(part.name),
                escape(c.stack.label()),
                c.rows,
                c.fitted_rows,
                c.median_abs_error_pct
            );
        }
    }
    html.push_str("</tbody></table></div>");
    html
}

/// The page for `report`; `source_of` gives each family's source and date.
pub fn render(report: &AccuracyReport, source_of: &BTreeMap<String, (String, String)>) -> String {
    let mut metrics: Vec<&str> = report.rows.iter().map(|r| r.metric.as_str()).collect();
    metrics.sort_unstable();
    metrics.dedup();
    let charts: String = metrics
        .iter()
        .map(|m| {
            let src = format!("/api/v1/accuracy/charts/{m}.svg");
            let label = escape(metric_label(m));
            format!(
                "<figure class=\"chart\"><img id=\"accuracy-chart-{m}\" width=\"640\" height=\"360\" src=\"{src}\" \
                 alt=\"Predicted against measured {label}, one dot per published measurement\" />\
                 <figcaption>{label} <a href=\"{src}\" download=\"tokenfab-accuracy-{m}.svg\">SVG</a></figcaption></figure>"
            )
        })
        .collect();
    let skipped = if report.skipped.is_empty() {
        "<p>Every row of the table was predicted.</p>".to_owned()
    } else {
        let items: String = report
            .skipped
            .iter()
            .map(|s| format!("<li>{}: {}</li>", escape(&s.id), escape(&s.reason)))
            .collect();
        format!("<ul id=\"accuracy-skipped\">{items}</ul>")
    };
    let by_accelerator: Vec<Summary> = report
        .by_accelerator
        .iter()
        .map(|s| Summary {
            group: accelerator_name(&s.group),
            ..s.clone()
        })
        .collect();
    format!(
        "{head}<main class=\"page\">\
         <header class=\"masthead\"><h1>How accurate is it?</h1>\
         <p class=\"tagline\">The planner's predictions against {rows} published measurements of serving throughput, latency, GPU power and energy per token.</p>\
         <p><a href=\"/\">Back to the planner</a> · <a href=\"/api/v1/accuracy\">the report as JSON</a> · <a href=\"/api/docs\">API</a></p></header>\
         <section class=\"panel-like\" aria-labelledby=\"accuracy-read\"><h2 id=\"accuracy-read\">How to read it</h2>\
         <p>Each row of the validation table is one published figure for one model, accelerator, parallelism, batching and precision. \
         The planner predicts it with its built-in factors and the error is |predicted − measured| / measured. \
         The serving stacks' factors were fitted to TensorRT-LLM's own performance tables and the ML.ENERGY leaderboard (A100, H100, H200 and L40S), and one share for the ROCm builds on AMD Instinct parts to AMD's, Oracle's, Vultr's and llm-d's published results, so the errors on those sources are in-sample. \
         The other sources (the vLLM blog, AIConfigurator's measured points on H100 to B300) were added after the fit and never used in it: \
         their errors are what to expect on hardware and software the factors were not fitted to. \
         Fitting without one accelerator and predicting it gave a median error of 14.4 % on system throughput and 13.0 % per GPU (fitting without one source: 15.9 % and 15.8 %). \
         Parts with no published measurement here are unvalidated: their figures follow from the datasheet and factors learnt on other parts.</p></section>\
         <section class=\"panel-like\" aria-labelledby=\"accuracy-charts\"><h2 id=\"accuracy-charts\">Predicted against measured</h2>\
         <div class=\"charts\">{charts}</div></section>\
         <section class=\"panel-like\" aria-labelledby=\"accuracy-by-source\"><h2 id=\"accuracy-by-source\">By source</h2>{by_source}{sources}</section>\
         <section class=\"panel-like\" aria-labelledby=\"accuracy-by-accelerator\"><h2 id=\"accuracy-by-accelerator\">By accelerator</h2>{by_part}</section>\
         <section class=\"panel-like\" aria-labelledby=\"accuracy-coverage-heading\"><h2 id=\"accuracy-coverage-heading\">Coverage</h2>{coverage}</section>\
         <section class=\"panel-like\" aria-labelledby=\"accuracy-skipped-heading\"><h2 id=\"accuracy-skipped-heading\">Rows not predicted</h2>{skipped}</section>\
         </main></body></html>",
        head = document_head(
            "How accurate is it? tokenfab",
            "The performance model's error against published serving measurements."
        ),
        rows = report.rows.len(),
        by_source = summary_table(
            "accuracy-by-source-table",
            "Error per source and metric",
            "source",
            &report.summaries
        ),
        sources = sources(report, source_of),
        by_part = summary_table(
            "accuracy-by-accelerator-table",
            "Error per accelerator and metric",
            "accelerator",
            &by_accelerator
        ),
        coverage = coverage_table(report),
    )
}
