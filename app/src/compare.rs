//! Scenarios side by side (saved ones, and the planner's current one): their inputs with what differs from the
//! baseline marked, and their figures with the change and the ratio to the
//! baseline, which the reader picks.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use tokenfab_core::currency::Currency;
use tokenfab_core::deployment::DeploymentReport;

use crate::chart_query::compare_query;
use crate::format;
use crate::page_data::Compared;
use crate::shared::summary;

/// The overlaid charts: URL kind and what they show.
const COMPARE_CHARTS: [(&str, &str); 2] = [
    (
        "months",
        "Cumulative cost of each scenario over months, as each is priced",
    ),
    (
        "concurrency",
        "Throughput per GPU against tokens per second per user, one line per scenario",
    ),
];

/// One compared figure: its label, how to read it and how to show it
/// (money, given in US dollars, in the comparison's currency).
struct Row {
    label: &'static str,
    value: fn(&DeploymentReport) -> f64,
    show: fn(f64, Option<&Currency>) -> String,
}

/// A money figure in the comparison's currency.
fn money(usd: f64, currency: Option<&Currency>) -> String {
    format::money(usd, 3, currency)
}

fn rows() -> [Row; 12] {
    [
        Row {
            label: "Cost per meaningful response",
            value: |r| r.per_response.cost_per_response_usd,
            show: money,
        },
        Row {
            label: "Per million input tokens",
            value: |r| r.costs.at_utilisation.usd_per_m_input,
            show: money,
        },
        Row {
            label: "Per million output tokens",
            value: |r| r.costs.at_utilisation.usd_per_m_output,
            show: money,
        },
        Row {
            label: "Tokens per unit of money (per dollar unless a currency is set)",
            value: |r| r.costs.tokens_per_usd,
            show: |v, c| format::si(v / tokenfab_core::currency::per_usd(c), 3),
        },
        Row {
            label: "Tokens per joule (servers, at load)",
            value: |r| r.energy.tokens_per_joule,
            show: |v, _| format::significant(v, 3),
        },
        Row {
            label: "Wh per response (facility, at utilisation)",
            value: |r| r.per_response.wh_per_response,
            show: |v, _| format::significant(v, 3),
        },
        Row {
            label: "Time to first token, ms",
            value: |r| r.performance.ttft_ms,
            show: |v, _| format::significant(v, 3),
        },
        Row {
            label: "Time to first token P99, ms",
            value: |r| r.performance.ttft_p99_ms,
            show: |v, _| format::significant(v, 3),
        },
        Row {
            label: "Time per output token, ms",
            value: |r| r.performance.tpot_ms,
            show: |v, _| format::significant(v, 3),
        },
        Row {
            label: "Time per output token P99, ms",
            value: |r| r.performance.tpot_p99_ms,
            show: |v, _| format::significant(v, 3),
        },
        Row {
            label: "Fleet, GPUs",
            value: |r| f64::from(r.fleet.gpus),
            show: |v, _| format!("{v:.0}"),
        },
        Row {
            label: "Monthly cost",
            value: |r| r.costs.fleet_usd_per_month,
            show: money,
        },
    ]
}

/// The change from `base` to `value` and their ratio, for a cell.
fn delta(value: f64, base: f64, show: impl Fn(f64) -> String) -> String {
    if value == base {
        return "same".to_owned();
    }
    let sign = if value > base { "+" } else { "−" };
    let ratio = if base != 0.0 {
        format!(" (×{})", format::significant(value / base, 3))
    } else {
        String::new()
    };
    format!("{sign}{}{ratio}", show((value - base).abs()))
}

/// The scenarios compared, as every part of the page reads them: stored
/// once, and `Copy`, so each table's reactive closures can share them.
#[derive(Clone, Copy)]
struct Scenarios {
    /// Their names, "Untitled scenario" for a blank one.
    names: StoredValue<Vec<String>>,
    /// Their input summaries, line by line.
    summaries: StoredValue<Vec<Vec<(&'static str, String)>>>,
    /// Their reports, or why each does not evaluate.
    reports: StoredValue<Vec<Result<DeploymentReport, String>>>,
    /// Their ids; none for the unsaved one.
    ids: StoredValue<Vec<Option<String>>>,
    /// How many there are.
    count: usize,
    /// The currency figures are shown in: the first scenario's (none:
    /// US dollars), whatever each was priced in.
    currency: StoredValue<Option<Currency>>,
    /// The comparison's query (ids, and the unsaved scenario inline).
    query: StoredValue<String>,
}

impl Scenarios {
    /// Names, summaries and reports of `items`, worked out once for the
    /// page rather than in every cell.
    fn of(items: &[Compared]) -> Self {
        let names: Vec<String> = items
            .iter()
            .map(|c| {
                if c.name.trim().is_empty() {
                    "Untitled scenario".to_owned()
                } else {
                    c.name.clone()
                }
            })
            .collect();
        // One currency for the page: the first scenario's.
        let currency = items
            .first()
            .and_then(|c| c.deployment.pricing.currency.clone());
        let summaries: Vec<Vec<(&'static str, String)>> = items
            .iter()
            .map(|c| summary(&c.deployment, currency.as_ref()))
            .collect();
        let reports: Vec<Result<DeploymentReport, String>> = items
            .iter()
            .map(|c| c.deployment.evaluate().map_err(|e| e.to_string()))
            .collect();
        let (names, summaries, reports) = (
            StoredValue::new(names),
            StoredValue::new(summaries),
            StoredValue::new(reports),
        );
        Self {
            currency: StoredValue::new(currency),
            query: StoredValue::new(charts_query(items)),
            names,
            summaries,
            reports,
            ids: StoredValue::new(items.iter().map(|c| c.id.clone()).collect::<Vec<_>>()),
            count: items.len(),
        }
    }
}

/// The charts' query: they are asked for by the same ids, with the unsaved
/// scenario travelling inline.
fn charts_query(items: &[Compared]) -> String {
    compare_query(
        &items
            .iter()
            .filter_map(|c| c.id.clone())
            .collect::<Vec<_>>(),
        items.iter().find(|c| c.id.is_none()).map(|c| &c.deployment),
    )
}

/// The column headers, one per scenario: its name (a link when it is
/// saved) and, above the figures, the radio button that makes it the
/// baseline. The baseline is chosen once, above the figures; the inputs
/// table only says which it is.
fn headers(scenarios: Scenarios, baseline: usize, with_choice: bool) -> impl IntoView {
    scenarios.names.with_value(|names| {
        names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let id = scenarios.ids.with_value(|ids| ids[i].clone());
                let title = match id {
                    Some(id) => {
                        Either::Left(view! { <a href=format!("/s/{id}")>{name.clone()}</a> })
                    }
                    None => Either::Right(view! { <span class="unsaved">{name.clone()}</span> }),
                };
                view! {
                    <th scope="col">
                        {title}
                        {baseline_choice(scenarios, baseline, i, with_choice)}
                    </th>
                }
            })
            .collect_view()
    })
}

/// Under scenario `i`'s name: "baseline", or, above the figures, a link to
/// the same comparison with it as the baseline (the page is the server's
/// alone, so the link is the control).
fn baseline_choice(
    scenarios: Scenarios,
    baseline: usize,
    i: usize,
    with_choice: bool,
) -> impl IntoView {
    if baseline == i {
        Either::Left(view! { <span class="baseline">"baseline"</span> })
    } else if with_choice {
        let href = format!("/compare?{}&baseline={i}", scenarios.query.get_value());
        Either::Right(Either::Left(view! {
            <a class="baseline" id=format!("baseline-{i}") href=href>"make baseline"</a>
        }))
    } else {
        Either::Right(Either::Right(()))
    }
}

/// The inputs table's rows: one per summary line, each scenario's value
/// marked where it differs from the baseline's.
fn input_rows(scenarios: Scenarios, baseline: usize) -> impl IntoView {
    // Every line any scenario has (a prefill pool, measured values or a
    // currency only some have), in the order they first appear.
    let labels = scenarios.summaries.with_value(|s| {
        let mut labels: Vec<&'static str> = Vec::new();
        for (label, _) in s.iter().flatten() {
            if !labels.contains(label) {
                labels.push(label);
            }
        }
        labels
    });
    labels
        .into_iter()
        .map(|label| {
            let cells = (0..scenarios.count)
                .map(|i| input_cell(scenarios, baseline, label, i))
                .collect_view();
            view! { <tr><th scope="row">{label}</th>{cells}</tr> }
        })
        .collect_view()
}

/// Scenario `i`'s value on the summary line `label` (blank when it has
/// none), marked (for the eye and for screen readers) when it differs
/// from the baseline's.
fn input_cell(
    scenarios: Scenarios,
    baseline: usize,
    label: &'static str,
    i: usize,
) -> impl IntoView {
    let summaries = scenarios.summaries;
    let line = move |s: &Vec<Vec<(&'static str, String)>>, of: usize| {
        s[of].iter().find(|l| l.0 == label).map(|l| l.1.clone())
    };
    let text = summaries.with_value(|s| line(s, i).unwrap_or_default());
    let differs = move || summaries.with_value(|s| line(s, i) != line(s, baseline));
    view! {
        <td class:differs=differs>
            {text}
            <span class="visually-hidden">{move || if differs() { " (differs from the baseline)" } else { "" }}</span>
        </td>
    }
}

/// The figures table's rows: one per compared figure, a cell per scenario.
fn output_rows(scenarios: Scenarios, baseline: usize) -> impl IntoView {
    rows()
        .into_iter()
        .enumerate()
        .map(|(row_index, row)| {
            let cells = (0..scenarios.count)
                .map(|i| figure_cell(scenarios, baseline, row_index, i))
                .collect_view();
            view! { <tr><th scope="row">{row.label}</th>{cells}</tr> }
        })
        .collect_view()
}

/// Scenario `i`'s figure `row_index` and its change from the baseline's,
/// or why it has no figures; it follows the baseline as it is changed.
fn figure_cell(scenarios: Scenarios, baseline: usize, row_index: usize, i: usize) -> impl IntoView {
    let cell = move || {
        let r = rows();
        let row = &r[row_index];
        let currency = scenarios.currency.get_value();
        let show = |v: f64| (row.show)(v, currency.as_ref());
        scenarios
            .reports
            .with_value(|reports| match (&reports[i], &reports[baseline]) {
                (Ok(mine), Ok(base)) => {
                    let (v, b) = ((row.value)(mine), (row.value)(base));
                    let change = if i == baseline {
                        "baseline".to_owned()
                    } else {
                        delta(v, b, show)
                    };
                    (show(v), change)
                }
                (Ok(mine), Err(_)) => (show((row.value)(mine)), String::new()),
                (Err(e), _) => (e.clone(), String::new()),
            })
    };
    view! {
        <td id=format!("figure-{row_index}-{i}")>
            <span class="value">{move || cell().0}</span>
            <span class="delta">{move || cell().1}</span>
        </td>
    }
}

/// The inputs of every scenario side by side, what differs from the
/// baseline marked.
#[component]
fn InputsSection(scenarios: Scenarios, baseline: usize) -> impl IntoView {
    view! {
        <section class="panel-like" aria-labelledby="compare-inputs">
            <h2 id="compare-inputs">"Inputs"</h2>
            <div class="table-scroll">
                <table class="comparison">
                    <thead><tr><th scope="col">""</th>{headers(scenarios, baseline, false)}</tr></thead>
                    <tbody>{input_rows(scenarios, baseline)}</tbody>
                </table>
            </div>
        </section>
    }
}

/// The overlaid charts of every scenario, each with its SVG to download.
#[component]
fn ChartsSection(chart_query: String) -> impl IntoView {
    view! {
        <section class="panel-like" aria-labelledby="compare-charts">
            <h2 id="compare-charts">"Charts"</h2>
            <div class="charts">
                {COMPARE_CHARTS
                    .iter()
                    .map(|(kind, description)| {
                        let src = format!("/compare/{kind}.svg?{chart_query}");
                        view! {
                            <figure class="chart">
                                <img id=format!("compare-chart-{kind}") width="640" height="360" src=src.clone() alt=*description />
                                <figcaption>{*description} " " <a href=src download=format!("tokenfab-compare-{kind}.svg")>"SVG"</a></figcaption>
                            </figure>
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}

/// The figures of every scenario side by side, with the baseline's choice
/// and each figure's change from it.
#[component]
fn FiguresSection(scenarios: Scenarios, baseline: usize) -> impl IntoView {
    view! {
        <section class="panel-like" aria-labelledby="compare-outputs">
            <h2 id="compare-outputs">"Economics"</h2>
            <div class="table-scroll">
                <table class="comparison" id="compare-figures">
                    <thead><tr><th scope="col">""</th>{headers(scenarios, baseline, true)}</tr></thead>
                    <tbody>{output_rows(scenarios, baseline)}</tbody>
                </table>
            </div>
            {scenarios.currency.get_value().map(|c| view! {
                <p class="hint" id="compare-currency">{crate::shared::currency_note(&c)}</p>
            })}
        </section>
    }
}

/// Link preview tags for a comparison: the names side by side and each
/// one's cost per meaningful response (written by the server alone).
#[cfg(feature = "ssr")]
fn link_preview(items: &[Compared]) -> Option<impl IntoView + use<>> {
    let name = |c: &Compared| {
        if c.name.trim().is_empty() {
            "Untitled scenario".to_owned()
        } else {
            c.name.clone()
        }
    };
    let names: Vec<String> = items.iter().map(name).collect();
    let title = format!("{}: tokenfab", names.join(" vs "));
    // In the first scenario's currency, as the page shows them.
    let currency = items
        .first()
        .and_then(|c| c.deployment.pricing.currency.as_ref());
    let figures: Vec<String> = items
        .iter()
        .zip(&names)
        .map(|(c, name)| match c.deployment.evaluate() {
            Ok(r) => format!(
                "{name}: {} per meaningful response",
                crate::format::money(r.per_response.cost_per_response_usd, 3, currency)
            ),
            Err(_) => format!("{name}: does not evaluate"),
        })
        .collect();
    crate::shared::link_preview(&title, &format!("{}.", figures.join("; ")))
}

#[cfg(not(feature = "ssr"))]
fn link_preview(_items: &[Compared]) -> Option<()> {
    None
}

/// The comparison page.
#[component]
pub fn ComparePage(items: Vec<Compared>, baseline: usize) -> impl IntoView {
    let baseline = baseline.min(items.len().saturating_sub(1));
    let scenarios = Scenarios::of(&items);
    let chart_query = charts_query(&items);
    let preview = link_preview(&items);
    view! {
        <Title text="Scenarios side by side: tokenfab" />
        {preview}
        <main class="page compare-page">
            <header class="masthead">
                <p class="brand"><a href="/">"tokenfab"</a></p>
                <h1>"Scenarios side by side"</h1>
                <p class="tagline">"Differences from the baseline are marked; figures show the change and the ratio to it."</p>
                <p class="shared-actions"><a id="compare-csv" href=format!("/compare.csv?{chart_query}")>"Export CSV"</a></p>
            </header>
            <InputsSection scenarios baseline />
            <ChartsSection chart_query />
            <FiguresSection scenarios baseline />
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_show_the_change_and_the_ratio() {
        let show = |v: f64| format::significant(v, 3);
        assert_eq!(delta(3.0, 2.0, show), "+1.00 (×1.50)");
        assert_eq!(delta(1.0, 2.0, show), "−1.00 (×0.500)");
        assert_eq!(delta(2.0, 2.0, show), "same");
    }
}
