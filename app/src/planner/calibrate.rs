//! Bring your own measurements: a serving benchmark's result and a power
//! log chosen from disk are fitted on the server; the page shows the power
//! trace with the window and P90, measured against modeled, and applies the
//! fitted factors (and, if wanted, the measured values) to the form.

use leptos::either::Either;
use leptos::prelude::*;
use tokenfab_core::deployment::{Deployment, PowerScope, fields};
use tokenfab_core::observed::calibrate::PowerStatistic;
use tokenfab_core::observed::power_log::Window;

use super::form::Form;
use super::panels::{Choice, power_scopes};
use crate::api::{self, CalibrateAnswer, CalibrateRequest};

/// A file's name and text.
#[cfg(feature = "hydrate")]
async fn file_text(file: web_sys::File) -> Option<(String, String)> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()?;
    Some((file.name(), text.as_string()?))
}

/// Whether a dropped or pasted text is a benchmark result (JSON, or JSON
/// lines) rather than a power log (CSV).
#[cfg(feature = "hydrate")]
fn is_benchmark(text: &str) -> bool {
    text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .starts_with(['{', '['])
}

/// Where a dropped or pasted text goes: the benchmark or the power log.
#[cfg(feature = "hydrate")]
#[derive(Clone, Copy)]
struct Measurements {
    bench: RwSignal<Option<(String, String)>>,
    power: RwSignal<Option<(String, String)>>,
}

#[cfg(feature = "hydrate")]
impl Measurements {
    fn take(self, chosen: Option<(String, String)>) {
        if let Some((name, text)) = chosen {
            let slot = if is_benchmark(&text) {
                self.bench
            } else {
                self.power
            };
            slot.set(Some((name, text)));
        }
    }

    /// Reads every file of a drop or paste, each into its slot.
    fn take_files(self, files: Option<web_sys::FileList>) -> bool {
        let Some(files) = files.filter(|f| f.length() > 0) else {
            return false;
        };
        for file in (0..files.length()).filter_map(|i| files.get(i)) {
            leptos::task::spawn_local(async move { self.take(file_text(file).await) });
        }
        true
    }
}

/// `svg` as a data URL for an `<img>` (so its own styles apply there).
fn data_url(svg: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        format!(
            "data:image/svg+xml;charset=utf-8,{}",
            String::from(js_sys::encode_uri_component(svg))
        )
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = svg;
        String::new()
    }
}

/// A file picker that keeps the chosen file's name and text.
#[component]
fn FilePicker(
    id: &'static str,
    label: &'static str,
    accept: &'static str,
    chosen: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(file) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files()?.get(0))
            {
                leptos::task::spawn_local(async move {
                    chosen.set(file_text(file).await);
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, chosen);
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input type="file" id=id accept=accept on:change=on_change />
        </div>
    }
}

/// Which statistic of the power log to fit, in words.
fn statistics() -> Vec<(PowerStatistic, &'static str)> {
    vec![
        (PowerStatistic::P90, "P90 (plan for it)"),
        (PowerStatistic::P50, "median"),
        (PowerStatistic::Mean, "mean (the energy bill)"),
    ]
}

/// The measurements panel.
#[component]
pub fn CalibratePanel(form: Form, current: Signal<Deployment>) -> impl IntoView {
    let bench = RwSignal::new(None::<(String, String)>);
    let power = RwSignal::new(None::<(String, String)>);
    #[cfg(feature = "hydrate")]
    let measurements = Measurements { bench, power };
    let dragging = RwSignal::new(false);
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        #[cfg(feature = "hydrate")]
        measurements.take_files(ev.data_transfer().and_then(|d| d.files()));
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    // Pasting files, or a file's text, anywhere in the panel but its fields.
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let in_field = ev
                .target()
                .is_some_and(|t| t.has_type::<web_sys::HtmlInputElement>());
            let Some(data) = ev.clipboard_data().filter(|_| !in_field) else {
                return;
            };
            ev.prevent_default();
            if !measurements.take_files(data.files()) {
                let text = data.get_data("text").unwrap_or_default();
                if !text.trim().is_empty() {
                    measurements.take(Some(("pasted text".to_owned(), text)));
                }
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let chosen = move || {
        let name = |slot: RwSignal<Option<(String, String)>>| {
            slot.with(|c| {
                c.as_ref()
                    .map_or_else(|| "none".to_owned(), |c| c.0.clone())
            })
        };
        format!("Benchmark: {}. Power log: {}.", name(bench), name(power))
    };
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let scope = RwSignal::new(PowerScope::Gpu);
    let statistic = RwSignal::new(PowerStatistic::P90);
    // The last answer, and whether a fit is on its way.
    let answer = RwSignal::new(None::<Result<CalibrateAnswer, String>>);
    let pending = RwSignal::new(false);
    // A window bound: none when empty, an error naming the field when it is
    // not a number of seconds.
    let seconds = |field: RwSignal<String>, label: &str| {
        let text = field.get_untracked();
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Some)
            .ok_or_else(|| {
                format!("{label}: {text:?} is not a number of seconds from the log's start")
            })
    };
    let send = move |_| {
        let Some((_, bench_text)) = bench.get_untracked() else {
            return;
        };
        let window = seconds(from, "Window from").and_then(|f| Ok((f, seconds(to, "Window to")?)));
        let (from_s, to_s) = match window {
            Ok(bounds) => bounds,
            Err(message) => return answer.set(Some(Err(message))),
        };
        let request = CalibrateRequest {
            scenario: current.get_untracked(),
            bench: bench_text,
            power_log: power.get_untracked().map(|(_, text)| text),
            window: Window { from_s, to_s },
            scope: Some(scope.get_untracked()),
            statistic: statistic.get_untracked(),
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            answer.set(Some(api::calibrate(request).await));
            pending.set(false);
        });
    };
    let result = move || match answer.get() {
        None => Either::Left(()),
        Some(Err(message)) => Either::Right(Either::Left(view! {
            <p class="problem" id="calibrate-error" role="alert">{message}</p>
        })),
        Some(Ok(answer)) => Either::Right(Either::Right(outcome(form, answer))),
    };
    view! {
        <details class="more" id="calibrate" on:paste=on_paste>
            <summary>"Fit to your measurements"</summary>
            <p class="hint">"A serving benchmark's result (vLLM or SGLang JSON) and the power log of the same run (nvidia-smi, amd-smi or rocm-smi CSV). The model is fitted to reproduce them. Without a window, a vLLM result's date places its run in the log; set one to keep only the steady part."</p>
            <div id="measurements-drop" tabindex="0" role="group" aria-label="Drop or paste measurement files"
                class=move || if dragging.get() { "drop over" } else { "drop" }
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop>
                <p>"Drop both files here, or paste them (Ctrl+V), or choose them:"</p>
                <FilePicker id="bench-file" label="Benchmark result" accept=".json,.jsonl,application/json" chosen=bench />
                <FilePicker id="power-file" label="Power log (optional)" accept=".csv,.txt,text/csv" chosen=power />
                <p id="measurements-chosen" role="status">{chosen}</p>
            </div>
            <div class="grid">
                <div class="field">
                    <label for="window-from">"Window from, s"</label>
                    <input id="window-from" type="text" inputmode="decimal" placeholder="start of the run"
                        prop:value=from on:input=move |ev| from.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="window-to">"Window to, s"</label>
                    <input id="window-to" type="text" inputmode="decimal" placeholder="end of the run"
                        prop:value=to on:input=move |ev| to.set(event_target_value(&ev)) />
                </div>
                <Choice id="power-scope" label="Power measured at" options=power_scopes() value=scope />
                <Choice id="power-statistic" label="Power to fit" options=statistics() value=statistic />
            </div>
            <button type="button" id="calibrate-button"
                disabled=move || bench.with(Option::is_none) || pending.get()
                on:click=send>
                "Fit"
            </button>
            {result}
        </details>
    }
}

/// The fit: chart, the server's account of it, and what to apply.
fn outcome(form: Form, answer: CalibrateAnswer) -> impl IntoView {
    let c = answer.calibration;
    let fitted = StoredValue::new(c.fitted);
    let m = &c.measured;
    let (output, watts, scope) = (m.output_tokens_per_s, m.watts, m.scope);
    let status = RwSignal::new(String::new());
    let apply = move |_| {
        form.load(&fitted.get_value());
        status.set("Fitted factors applied: every figure now uses them.".to_owned());
    };
    let use_measured = move |_| {
        form.num(&fields::MEASURED_TOKENS).set_optional(output);
        form.num(&fields::MEASURED_WATTS).set_optional(watts);
        form.scope.set(scope);
        status.set("Measured values set.".to_owned());
    };
    let table = answer.outcome_html;
    view! {
        <div id="calibration">
            {answer.power_chart_svg.map(|svg| view! {
                <img id="power-trace" width="640" height="360" src=data_url(&svg)
                    alt="The power log's summed draw over the run, with the window used shaded and its P90 marked" />
            })}
            <div inner_html=table></div>
            <button type="button" id="apply-calibration" on:click=apply>"Apply fitted factors"</button>
            " "
            <button type="button" class="link" id="apply-measured" on:click=use_measured>"Also use as measured values"</button>
            <p id="calibration-status" role="status">{status}</p>
        </div>
    }
}
