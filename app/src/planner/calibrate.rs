//! Bring your own measurements: a serving benchmark's result and a power
//! log chosen from disk are fitted on the server; the page shows the power
//! trace with the window and P90, measured against modeled, and applies the
//! fitted factors (and, if wanted, the measured values) to the form.

use leptos::either::Either;
use leptos::prelude::*;
use tokenfab_core::deployment::{Deployment, PowerScope};

use super::form::Form;
use crate::api::{self, CalibrateAnswer};
use crate::format;

/// The text of the file chosen in the `<input type=file>` of `ev`.
#[cfg(feature = "hydrate")]
async fn chosen_text(input: web_sys::HtmlInputElement) -> Option<(String, String)> {
    let file = input.files()?.get(0)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()?;
    Some((file.name(), text.as_string()?))
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
            if let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                leptos::task::spawn_local(async move {
                    chosen.set(chosen_text(input).await);
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

/// The measurements panel.
#[component]
pub fn CalibratePanel(form: Form, current: Signal<Deployment>) -> impl IntoView {
    let bench = RwSignal::new(None::<(String, String)>);
    let power = RwSignal::new(None::<(String, String)>);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let scope = RwSignal::new(PowerScope::Gpu);
    let statistic = RwSignal::new("p90");
    // The last answer, and whether a fit is on its way.
    let answer = RwSignal::new(None::<Result<CalibrateAnswer, String>>);
    let pending = RwSignal::new(false);
    let seconds = |text: String| text.trim().parse::<f64>().ok();
    let send = move |_| {
        let Some((_, bench_text)) = bench.get_untracked() else {
            return;
        };
        let request = serde_json::json!({
            "scenario": current.get_untracked(),
            "bench": bench_text,
            "power_log": power.get_untracked().map(|(_, text)| text),
            "window": { "from_s": seconds(from.get_untracked()), "to_s": seconds(to.get_untracked()) },
            "scope": scope.get_untracked(),
            "statistic": statistic.get_untracked(),
        });
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
    let scopes = [
        (PowerScope::Gpu, "GPUs only"),
        (PowerScope::Server, "whole servers"),
        (PowerScope::Facility, "facility meter"),
    ];
    view! {
        <details class="more" id="calibrate">
            <summary>"Fit to your measurements"</summary>
            <p class="hint">"A serving benchmark's result (vLLM or SGLang JSON) and the power log of the same run (nvidia-smi, amd-smi or rocm-smi CSV). The model is fitted to reproduce them; use the window to keep the steady part of the run."</p>
            <FilePicker id="bench-file" label="Benchmark result" accept=".json,.jsonl,application/json" chosen=bench />
            <FilePicker id="power-file" label="Power log (optional)" accept=".csv,.txt,text/csv" chosen=power />
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
                <div class="field">
                    <label for="power-scope">"Power measured at"</label>
                    <select id="power-scope" on:change=move |ev| {
                        let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                        scope.set(scopes.get(i).map_or(PowerScope::Gpu, |s| s.0));
                    }>
                        {scopes.iter().enumerate().map(|(i, (_, label))| view! { <option value=i.to_string()>{*label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="power-statistic">"Power to fit"</label>
                    <select id="power-statistic" on:change=move |ev| {
                        statistic.set(match event_target_value(&ev).as_str() {
                            "p50" => "p50",
                            "mean" => "mean",
                            _ => "p90",
                        });
                    }>
                        <option value="p90">"P90 (plan for it)"</option>
                        <option value="p50">"median"</option>
                        <option value="mean">"mean (the energy bill)"</option>
                    </select>
                </div>
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

/// The fit: factors, chart, measured against modeled, and what to apply.
fn outcome(form: Form, answer: CalibrateAnswer) -> impl IntoView {
    let c = answer;
    let fitted = StoredValue::new(c.fitted.clone());
    let (output, watts, scope) = (c.measured_output, c.measured_watts, c.measured_scope);
    let status = RwSignal::new(String::new());
    let apply = move |_| {
        form.load(&fitted.get_value());
        status.set("Fitted factors applied: every figure now uses them.".to_owned());
    };
    let use_measured = move |_| {
        let m = &form.measured;
        m.output_tokens_per_s.set_optional(output);
        m.watts.set_optional(watts);
        m.scope.set(scope);
        status.set("Measured values set.".to_owned());
    };
    // Text only, written once: as HTML, it costs the bundle far less than
    // a view per cell would.
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let power = c
        .power_factor
        .map(|p| format!(", power \u{d7}{}", format::significant(p, 3)))
        .unwrap_or_default();
    let mut table = format!(
        "<p id=\"calibration-factors\">Speed \u{d7}{}{power} at {} requests in flight ({}).</p>\
         <div class=\"table-scroll\"><table class=\"comparison\" id=\"calibration-table\"><thead><tr><th scope=\"col\"></th>\
         <th scope=\"col\">measured</th><th scope=\"col\">model before</th><th scope=\"col\">model after</th></tr></thead><tbody>",
        format::significant(c.speed_factor, 3),
        format::significant(c.concurrency, 3),
        escape(&c.concurrency_source)
    );
    for row in &c.rows {
        table.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&row.figure),
            format::significant(row.measured, 3),
            format::significant(row.before, 3),
            format::significant(row.after, 3)
        ));
    }
    table.push_str("</tbody></table></div><ul>");
    for note in &c.notes {
        table.push_str(&format!("<li>{}</li>", escape(note)));
    }
    table.push_str("</ul>");
    view! {
        <div id="calibration">
            {c.power_chart_svg.map(|svg| view! {
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
