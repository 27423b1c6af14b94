//! The planner page: measured throughput, power and prices in; energy and
//! cost efficiency out, recomputed by the core in the browser as you type.

use leptos::prelude::*;
use tokenfab_core::input::Range;
use tokenfab_core::scenario::limits;
use tokenfab_core::{Hardware, InputError, Measured, Pricing, Report, Scenario};

use crate::api;
use crate::chart_query::tokens_per_dollar_url;
use crate::fields::{Figure, NumberField};
use crate::format;

/// The text of every input, exactly as typed.
#[derive(Clone, Copy)]
struct Form {
    tokens_per_s: RwSignal<String>,
    watts: RwSignal<String>,
    requests_per_hour: RwSignal<String>,
    usd_per_kwh: RwSignal<String>,
    usd_per_gpu_hour: RwSignal<String>,
    gpus: RwSignal<String>,
}

impl Form {
    fn new(s: &Scenario) -> Self {
        let text = |v: f64| RwSignal::new(v.to_string());
        Form {
            tokens_per_s: text(s.measured.tokens_per_s),
            watts: text(s.measured.watts),
            requests_per_hour: RwSignal::new(
                s.measured
                    .requests_per_hour
                    .map(|r| r.to_string())
                    .unwrap_or_default(),
            ),
            usd_per_kwh: text(s.pricing.usd_per_kwh),
            usd_per_gpu_hour: text(s.pricing.usd_per_gpu_hour),
            gpus: RwSignal::new(s.hardware.gpus.to_string()),
        }
    }

    /// The scenario the form describes, or the first field in error.
    fn scenario(&self) -> Result<Scenario, InputError> {
        let requests = self.requests_per_hour.get();
        Ok(Scenario {
            hardware: Hardware {
                // Range-checked to a whole number within u32 first.
                gpus: limits::GPUS.parse(&self.gpus.get())? as u32,
            },
            pricing: Pricing {
                usd_per_gpu_hour: limits::USD_PER_GPU_HOUR.parse(&self.usd_per_gpu_hour.get())?,
                usd_per_kwh: limits::USD_PER_KWH.parse(&self.usd_per_kwh.get())?,
                grid_g_co2_per_kwh: None,
            },
            measured: Measured {
                tokens_per_s: limits::TOKENS_PER_S.parse(&self.tokens_per_s.get())?,
                watts: limits::WATTS.parse(&self.watts.get())?,
                requests_per_hour: if requests.trim().is_empty() {
                    None
                } else {
                    Some(limits::REQUESTS_PER_HOUR.parse(&requests)?)
                },
            },
            response: None,
        })
    }
}

/// The problem with one field's text, for its inline error.
fn field_error(range: Range, text: RwSignal<String>, optional: bool) -> Signal<Option<String>> {
    Signal::derive(move || {
        text.with(|t| {
            if optional && t.trim().is_empty() {
                None
            } else {
                range.parse(t).err().map(|e| e.problem.to_string())
            }
        })
    })
}

/// The planner page.
#[component]
pub fn PlannerPage() -> impl IntoView {
    let example = Scenario::example();
    let form = Form::new(&example);

    // The last scenario that evaluated cleanly and its report: a bad value
    // shows its error at the field and leaves these figures in place.
    let evaluated = Memo::new(move |previous: Option<&(Scenario, Report)>| {
        match form
            .scenario()
            .and_then(|s| s.evaluate().map(|report| (s, report)))
        {
            Ok(fresh) => fresh,
            Err(_) => previous.cloned().unwrap_or_else(|| {
                let report = example
                    .evaluate()
                    .unwrap_or_else(|e| unreachable!("the built-in example is valid: {e}"));
                (example.clone(), report)
            }),
        }
    });
    let form_is_valid = Memo::new(move |_| form.scenario().is_ok());
    let report = move || evaluated.get().1;
    let figure = move |f: fn(&Report) -> String| Signal::derive(move || f(&report()));

    // Effects run only in the browser: this marks the page as live.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    let save = Action::new_unsync(|scenario: &Scenario| api::save_scenario(scenario.clone()));
    let save_status = move || match save.value().get() {
        _ if save.pending().get() => "Saving…".to_owned(),
        None => String::new(),
        Some(Ok(saved)) => format!("Saved as {}", saved.id),
        Some(Err(message)) => format!("Not saved: {message}"),
    };

    view! {
        <main class="page" data-hydrated=move || hydrated.get().to_string()>
            <header class="masthead">
                <h1>"tokenfab"</h1>
                <p class="tagline">
                    "What a deployment's measured throughput and power mean in tokens per joule and tokens per dollar."
                </p>
            </header>
            <div class="planner">
                <form class="inputs" on:submit=|ev| ev.prevent_default()>
                    <fieldset>
                        <legend>"Measured on the deployment"</legend>
                        <NumberField id="tokens-per-s" label="Throughput" unit="tokens/s"
                            value=form.tokens_per_s
                            error=field_error(limits::TOKENS_PER_S, form.tokens_per_s, false)
                            hint="Generated tokens per second, whole deployment." />
                        <NumberField id="watts" label="Power draw" unit="W"
                            value=form.watts
                            error=field_error(limits::WATTS, form.watts, false)
                            hint="Measured GPU plus server draw near P90 load, not TDP." />
                        <NumberField id="requests-per-hour" label="Requests served" unit="per hour"
                            value=form.requests_per_hour
                            error=field_error(limits::REQUESTS_PER_HOUR, form.requests_per_hour, true)
                            hint="Optional: gives per-request figures." />
                    </fieldset>
                    <fieldset>
                        <legend>"Prices"</legend>
                        <NumberField id="usd-per-gpu-hour" label="GPU rental" unit="$/GPU-hour"
                            value=form.usd_per_gpu_hour
                            error=field_error(limits::USD_PER_GPU_HOUR, form.usd_per_gpu_hour, false) />
                        <NumberField id="gpus" label="GPUs rented" unit="GPUs"
                            value=form.gpus
                            error=field_error(limits::GPUS, form.gpus, false) />
                        <NumberField id="usd-per-kwh" label="Electricity" unit="$/kWh"
                            value=form.usd_per_kwh
                            error=field_error(limits::USD_PER_KWH, form.usd_per_kwh, false) />
                    </fieldset>
                    <div class="actions">
                        <button type="button" id="save"
                            disabled=move || !form_is_valid.get() || save.pending().get()
                            on:click=move |_| { save.dispatch(evaluated.get_untracked().0); }>
                            "Save scenario"
                        </button>
                        <p id="save-status" role="status">{save_status}</p>
                    </div>
                </form>
                <section class="outputs" aria-labelledby="outputs-title">
                    <h2 id="outputs-title">"Efficiency"</h2>
                    <p class="stale" hidden=move || form_is_valid.get()>
                        "Showing the last valid inputs' figures until the field in error is fixed."
                    </p>
                    <dl class="figures">
                        <Figure id="tokens-per-joule" label="Energy efficiency" unit="tokens/J"
                            value=figure(|r| format::significant(r.tokens_per_joule, 3))
                            formula="throughput ÷ power" />
                        <Figure id="tokens-per-kwh" label="Per kilowatt-hour" unit="tokens/kWh"
                            value=figure(|r| format::si(r.tokens_per_kwh, 3))
                            formula="tokens/J × 3.6 M J/kWh" />
                        <Figure id="energy-usd-per-token" label="Electricity per token" unit="per token"
                            value=figure(|r| format::usd(r.energy_usd_per_token, 4))
                            formula="$/kWh ÷ tokens/kWh" />
                        <Figure id="tokens-per-usd" label="Cost efficiency" unit="tokens/$"
                            value=figure(|r| format::si(r.tokens_per_usd, 3))
                            formula="throughput ÷ (rental $/GPU-hour × GPUs ÷ 3600 s)" />
                        <Figure id="usd-per-million-tokens" label="Rental per million tokens" unit="per M tokens"
                            value=figure(|r| format::usd(r.usd_per_million_tokens, 3))
                            formula="1 M ÷ tokens/$" />
                        <Figure id="wh-per-request" label="Energy per request" unit="Wh"
                            value=figure(|r| r.per_request.as_ref().map_or("—".to_owned(), |p| format::significant(p.wh_per_request, 3)))
                            formula="tokens per request ÷ tokens/J ÷ 3600 J/Wh" />
                    </dl>
                    <figure class="chart">
                        <img id="chart-tokens-per-dollar" width="640" height="360"
                            src=move || tokens_per_dollar_url(&evaluated.get().0)
                            alt="Tokens per dollar as the GPU rental price varies, with the current price marked" />
                        <figcaption>"Tokens per dollar against the GPU rental price; the dot is the price above."</figcaption>
                    </figure>
                </section>
            </div>
        </main>
    }
}
