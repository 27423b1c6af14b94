//! Scenarios side by side (saved ones, and the planner's current one): their inputs with what differs from the
//! baseline marked, and their figures with the change and the ratio to the
//! baseline, which the reader picks.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
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

/// One compared figure: its label, how to read it and how to show it.
struct Row {
    label: &'static str,
    value: fn(&DeploymentReport) -> f64,
    show: fn(f64) -> String,
}

fn rows() -> [Row; 10] {
    [
        Row {
            label: "Cost per meaningful response",
            value: |r| r.per_response.cost_per_response_usd,
            show: |v| format::usd(v, 3),
        },
        Row {
            label: "$ per million input tokens",
            value: |r| r.costs.at_utilisation.usd_per_m_input,
            show: |v| format::usd(v, 3),
        },
        Row {
            label: "$ per million output tokens",
            value: |r| r.costs.at_utilisation.usd_per_m_output,
            show: |v| format::usd(v, 3),
        },
        Row {
            label: "Tokens per dollar",
            value: |r| r.costs.tokens_per_usd,
            show: |v| format::si(v, 3),
        },
        Row {
            label: "Tokens per joule",
            value: |r| r.energy.tokens_per_joule,
            show: |v| format::significant(v, 3),
        },
        Row {
            label: "Wh per response",
            value: |r| r.per_response.wh_per_response,
            show: |v| format::significant(v, 3),
        },
        Row {
            label: "Time to first token, ms",
            value: |r| r.performance.ttft_ms,
            show: |v| format::significant(v, 3),
        },
        Row {
            label: "Time per output token, ms",
            value: |r| r.performance.tpot_ms,
            show: |v| format::significant(v, 3),
        },
        Row {
            label: "Fleet, GPUs",
            value: |r| f64::from(r.fleet.gpus),
            show: |v| format!("{v:.0}"),
        },
        Row {
            label: "Monthly cost",
            value: |r| r.costs.fleet_usd_per_month,
            show: |v| format::usd(v, 3),
        },
    ]
}

/// The change from `base` to `value` and their ratio, for a cell.
fn delta(value: f64, base: f64, show: fn(f64) -> String) -> String {
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

/// The comparison page.
#[component]
pub fn ComparePage(items: Vec<Compared>) -> impl IntoView {
    let baseline = RwSignal::new(0_usize);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
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
    let summaries: Vec<Vec<(&'static str, String)>> =
        items.iter().map(|c| summary(&c.deployment)).collect();
    let reports: Vec<Result<DeploymentReport, String>> = items
        .iter()
        .map(|c| c.deployment.evaluate().map_err(|e| e.to_string()))
        .collect();
    let (names, summaries, reports) = (
        StoredValue::new(names),
        StoredValue::new(summaries),
        StoredValue::new(reports),
    );
    let count = items.len();
    let ids = StoredValue::new(items.iter().map(|c| c.id.clone()).collect::<Vec<_>>());
    // The charts are asked for by the same ids, with the unsaved scenario
    // travelling inline.
    let chart_query = compare_query(
        &items
            .iter()
            .filter_map(|c| c.id.clone())
            .collect::<Vec<_>>(),
        items.iter().find(|c| c.id.is_none()).map(|c| &c.deployment),
    );
    // The baseline is chosen once, above the figures; the inputs table
    // only says which it is.
    let headers = move |with_choice: bool| {
        names.with_value(|names| {
            names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let id = ids.with_value(|ids| ids[i].clone());
                    let choice = if with_choice {
                        Either::Left(view! {
                            <label class="baseline">
                                <input type="radio" name="baseline" id=format!("baseline-{i}")
                                    prop:checked=move || baseline.get() == i
                                    on:change=move |_| baseline.set(i) />
                                "baseline"
                            </label>
                        })
                    } else {
                        Either::Right(view! {
                            <span class="baseline">{move || if baseline.get() == i { "baseline" } else { "" }}</span>
                        })
                    };
                    let title = match id {
                        Some(id) => Either::Left(view! { <a href=format!("/s/{id}")>{name.clone()}</a> }),
                        None => Either::Right(view! { <span class="unsaved">{name.clone()}</span> }),
                    };
                    view! {
                        <th scope="col">
                            {title}
                            {choice}
                        </th>
                    }
                })
                .collect_view()
        })
    };
    let input_rows = move || {
        let lines = summaries.with_value(|s| s.first().map_or(0, Vec::len));
        (0..lines)
            .map(|line| {
                let label = summaries.with_value(|s| s[0][line].0);
                let cells = (0..count)
                    .map(|i| {
                        let text = summaries.with_value(|s| {
                            s[i].get(line).map(|l| l.1.clone()).unwrap_or_default()
                        });
                        let differs = move || {
                            summaries.with_value(|s| {
                                s[i].get(line).map(|l| &l.1)
                                    != s[baseline.get()].get(line).map(|l| &l.1)
                            })
                        };
                        view! {
                            <td class:differs=differs>
                                {text}
                                <span class="visually-hidden">{move || if differs() { " (differs from the baseline)" } else { "" }}</span>
                            </td>
                        }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{label}</th>{cells}</tr> }
            })
            .collect_view()
    };
    let output_rows = move || {
        rows()
            .into_iter()
            .enumerate()
            .map(|(row_index, row)| {
                let cells = (0..count)
                    .map(|i| {
                        let cell = move || {
                            let r = rows();
                            let row = &r[row_index];
                            reports.with_value(|reports| {
                                match (&reports[i], &reports[baseline.get()]) {
                                    (Ok(mine), Ok(base)) => {
                                        let (v, b) = ((row.value)(mine), (row.value)(base));
                                        let change = if i == baseline.get() {
                                            "baseline".to_owned()
                                        } else {
                                            delta(v, b, row.show)
                                        };
                                        ((row.show)(v), change)
                                    }
                                    (Ok(mine), Err(_)) => {
                                        ((row.show)((row.value)(mine)), String::new())
                                    }
                                    (Err(e), _) => (e.clone(), String::new()),
                                }
                            })
                        };
                        view! {
                            <td id=format!("figure-{row_index}-{i}")>
                                <span class="value">{move || cell().0}</span>
                                <span class="delta">{move || cell().1}</span>
                            </td>
                        }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{row.label}</th>{cells}</tr> }
            })
            .collect_view()
    };
    view! {
        <Title text="Scenarios side by side: tokenfab" />
        <main class="page compare-page" data-hydrated=move || hydrated.get().to_string()>
            <header class="masthead">
                <p class="brand"><a href="/">"tokenfab"</a></p>
                <h1>"Scenarios side by side"</h1>
                <p class="tagline">"Differences from the baseline are marked; figures show the change and the ratio to it."</p>
            </header>
            <section class="panel-like" aria-labelledby="compare-inputs">
                <h2 id="compare-inputs">"Inputs"</h2>
                <div class="table-scroll">
                    <table class="comparison">
                        <thead><tr><th scope="col">""</th>{move || headers(false)}</tr></thead>
                        <tbody>{input_rows}</tbody>
                    </table>
                </div>
            </section>
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
            <section class="panel-like" aria-labelledby="compare-outputs">
                <h2 id="compare-outputs">"Economics"</h2>
                <div class="table-scroll">
                    <table class="comparison" id="compare-figures">
                        <thead><tr><th scope="col">""</th>{move || headers(true)}</tr></thead>
                        <tbody>{output_rows}</tbody>
                    </table>
                </div>
            </section>
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
