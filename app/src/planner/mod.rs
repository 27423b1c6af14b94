//! The planner page: describe a deployment in four panels (plus measured
//! values), see its economics recomputed by the core in the browser as you
//! type, and read the trade-off charts the server draws.

pub(crate) mod charts;
mod form;
mod mine;
mod panels;

pub(crate) mod results;

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use tokenfab_core::deployment::{Deployment, DeploymentReport};

use crate::api;
use charts::Charts;
use form::Form;
use mine::{Mine, MyScenarios};
use panels::{HardwarePanel, ImportPanel, MeasuredPanel, ModelPanel, PricingPanel, UseCasePanel};

use results::{CloudVsOwnedTable, Results};

/// How long the inputs rest before the ranges are drawn.
const RANGES_AFTER: std::time::Duration = std::time::Duration::from_millis(250);

/// Replaces the page's address without reloading it (browser only).
fn keep_in_address(url: &str) {
    #[cfg(feature = "hydrate")]
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
}

/// The planner page, starting from `initial`.
#[component]
pub fn PlannerPage(
    /// The deployment the form starts with.
    initial: Deployment,
    /// The saved scenario it was copied from, if any.
    copied_from: Option<String>,
) -> impl IntoView {
    let form = Form::new(&initial);

    // What the form describes: a deployment and its report, or the first
    // problem (a field out of range, or a deployment that cannot run).
    let current = Memo::new(move |_| {
        form.deployment()
            .map_err(|e| e.to_string())
            .and_then(|d| d.evaluate().map(|r| (d, r)).map_err(|e| e.to_string()))
    });
    // The last deployment that evaluated cleanly: a bad value shows its
    // error and leaves these figures in place.
    let evaluated = Memo::new(
        move |previous: Option<&(Deployment, DeploymentReport)>| match current.get() {
            Ok(fresh) => fresh,
            Err(_) => previous.cloned().unwrap_or_else(|| {
                // A starting point that does not evaluate (a copy saved by
                // an older model, say) shows the built-in example's figures
                // until the fields in error are fixed.
                let example = Deployment::example();
                let report = example
                    .evaluate()
                    .unwrap_or_else(|e| unreachable!("the built-in example is valid: {e}"));
                (example, report)
            }),
        },
    );
    let problem = move || current.with(|c| c.as_ref().err().cloned());

    // What the figures show, as the planner's links and exports carry it.
    let encoded =
        Memo::new(move |_| evaluated.with(|e| crate::chart_query::encode_deployment(&e.0)));
    // The planner's state lives in its address, so a reload, a bookmark or
    // a link sent on opens what is on the screen.
    Effect::new(move |_| keep_in_address(&format!("/?scenario={}", encoded.get())));

    // The figures' ranges: thousands of evaluations, so drawn by the
    // server once the inputs have rested, for the latest of them only.
    let ranges = RwSignal::new(None);
    let latest = StoredValue::new(0u64);
    Effect::new(move |_| {
        let d = evaluated.with(|e| e.0.clone());
        let ticket = latest.get_value() + 1;
        latest.set_value(ticket);
        set_timeout(
            move || {
                if latest.get_value() != ticket {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let drawn = api::ranges(d).await;
                    // An answer overtaken by later inputs is dropped.
                    if latest.get_value() == ticket {
                        ranges.set(Some(drawn));
                    }
                });
            },
            RANGES_AFTER,
        );
    });

    // Effects run only in the browser: this marks the page as live.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    // What this browser saved: read from local storage once live (the server
    // renders it empty, so hydration starts from the same empty list).
    let mine = RwSignal::new(Vec::<Mine>::new());
    Effect::new(move |_| mine.set(mine::load()));
    let scenario_name = RwSignal::new(String::new());
    let scenario_notes = RwSignal::new(String::new());
    // The last save's outcome, and whether one is on its way.
    let saved = RwSignal::new(None::<Result<api::SavedScenario, String>>);
    let saving = RwSignal::new(false);
    let save = move |name: String, notes: String, d: Deployment| {
        saving.set(true);
        leptos::task::spawn_local(async move {
            let outcome = api::save_deployment(name.clone(), notes, d).await;
            if let Ok(s) = &outcome {
                let mut next = mine.get_untracked();
                next.insert(
                    0,
                    Mine {
                        id: s.id.clone(),
                        name,
                        edit_token: s.edit_token.clone(),
                    },
                );
                mine::store(&next);
                mine.set(next);
            }
            saved.set(Some(outcome));
            saving.set(false);
        });
    };
    let save_status = move || match saved.get() {
        _ if saving.get() => EitherOf3::A("Saving…".to_owned()),
        None => EitherOf3::A(String::new()),
        Some(Ok(saved)) => {
            let link = format!("/s/{}", saved.id);
            EitherOf3::B(view! {
                "Saved. Share link: " <a id="share-link" href=link.clone()>{link.clone()}</a>
            })
        }
        Some(Err(message)) => EitherOf3::C(format!("Not saved: {message}")),
    };

    view! {
        <Title text="tokenfab: the economics of AI inference" />
        <Meta name="description" content="What-if planner for the cost and energy of AI inference." />
        <main class="page" data-hydrated=move || hydrated.get().to_string()>
            <header class="masthead">
                <h1>"tokenfab"</h1>
                <p class="tagline">
                    "What a model on given hardware costs and uses in energy, per token and per meaningful response. "
                    <a id="find-best" href=move || format!("/search?from={}", encoded.get())>"Not sure what to run? Find the best deployment for this model and use case."</a>
                    " "
                    <a id="ranges-link" href=move || format!("/ranges?scenario={}", encoded.get())>"How sure are these figures? Give ranges to the inputs."</a>
                </p>
                {copied_from.map(|id| view! {
                    <p class="copied" id="copied-from">
                        "A copy of " <a href=format!("/s/{id}")>"a shared scenario"</a> ": edit it freely; the original stays as it was."
                    </p>
                })}
            </header>
            <div class="planner">
                <form class="inputs" id="inputs" on:submit=|ev| ev.prevent_default()>
                    <ModelPanel form />
                    <HardwarePanel form />
                    <PricingPanel form />
                    <UseCasePanel form />
                    <MeasuredPanel form />

                    <div class="actions">
                        <label for="scenario-name-input">"Name"</label>
                        <input id="scenario-name-input" type="text" maxlength="200"
                            placeholder="e.g. Support bot, Q3"
                            prop:value=scenario_name
                            on:input=move |ev| scenario_name.set(event_target_value(&ev)) />
                        <label for="scenario-notes-input">"Notes"</label>
                        <textarea id="scenario-notes-input" rows="2" maxlength="10000"
                            placeholder="Assumptions, sources, what to check"
                            prop:value=scenario_notes
                            on:input=move |ev| scenario_notes.set(event_target_value(&ev))></textarea>
                        <button type="button" id="save"
                            disabled=move || current.with(Result::is_err) || saving.get()
                            on:click=move |_| save(
                                scenario_name.get_untracked(),
                                scenario_notes.get_untracked(),
                                evaluated.get_untracked().0,
                            )>
                            "Save scenario"
                        </button>
                        <p id="save-status" role="status">{save_status}</p>
                    </div>
                    // Its own page: the server reads the files and fits them.
                    <p class="calibrate-link">
                        <a id="calibrate-link" href=move || format!("/calibrate?scenario={}", encoded.get())>
                            "Fit to your measurements (a benchmark and a power log)"
                        </a>
                    </p>
                    <ImportPanel form />
                    <MyScenarios list=mine current=Signal::derive(move || evaluated.with(|e| e.0.clone())) />
                </form>
                <section class="outputs" aria-labelledby="outputs-title">
                    <h2 id="outputs-title">"Economics"</h2>
                    <a class="to-inputs" id="to-inputs" href="#inputs">"Change the inputs ↓"</a>
                    <p class="problem" id="problem" role="alert" hidden=move || problem().is_none()>
                        {problem}
                        " Showing the last valid inputs' figures until it is fixed."
                    </p>
                    <Results evaluated ranges />
                    <CloudVsOwnedTable evaluated />
                    // Downloads what is shown, saved or not; the server
                    // writes the file, so the bundle carries no exporter.
                    <form class="export" id="export" method="post" action="/export.json">
                        <input type="hidden" name="scenario" value=encoded />
                        <input type="hidden" name="name" value=scenario_name />
                        <input type="hidden" name="notes" value=scenario_notes />
                        "Export what is shown, without saving: "
                        <button type="submit" id="export-json">"JSON"</button>
                        " "
                        <button type="submit" id="export-csv" formaction="/export.csv">"CSV"</button>
                    </form>
                    <Charts evaluated />
                </section>
            </div>
        </main>
    }
}
