//! The input panels: model, hardware, pricing, use case, measured values.
//! Each starts from a catalogue entry and lets every field be edited; a
//! panel whose figures no longer match its entry says so.

use leptos::either::Either;
use leptos::prelude::*;
use tokenfab_core::catalogue;
use tokenfab_core::deployment::{
    Deployment, DeploymentError, PowerScope, PrefillPoolInput, PricingMode, fields,
};
use tokenfab_core::hf_config::model_from_hf_config;
use tokenfab_core::latency::Percentile;
use tokenfab_core::model::Precision;
use tokenfab_core::stack::Stack;

use super::form::{Form, accelerator_by_name, model_by_name};
use crate::api;
use crate::fields::NumberField;
use crate::format;

/// The box of one field of the registry, with its label, unit and hint.
#[component]
fn Field(form: Form, field: &'static fields::Field) -> impl IntoView {
    let num = form.num(field);
    let words = field.words;
    view! {
        <NumberField id=field.form_id.unwrap_or_default() label=words.label
            unit=Signal::derive(move || form.shown_unit(words.unit))
            value=num.text error=num.error() hint=words.help />
    }
}

/// A `<select>` over a fixed list of choices.
#[component]
pub(super) fn Choice<T>(
    id: &'static str,
    label: &'static str,
    options: Vec<(T, &'static str)>,
    value: RwSignal<T>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let options = StoredValue::new(options);
    let on_change = move |ev| {
        let index: usize = event_target_value(&ev).parse().unwrap_or(0);
        if let Some((v, _)) = options.with_value(|o| o.get(index).copied()) {
            value.set(v);
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=id on:change=on_change>
                {options.with_value(|o| {
                    o.iter()
                        .enumerate()
                        .map(|(i, (v, text))| {
                            let v = *v;
                            view! {
                                <option value=i.to_string() selected=move || value.get() == v>
                                    {*text}
                                </option>
                            }
                        })
                        .collect_view()
                })}
            </select>
        </div>
    }
}

/// Where a power figure was measured, in words.
pub(super) fn power_scopes() -> Vec<(PowerScope, &'static str)> {
    vec![
        (PowerScope::Gpu, "GPUs only"),
        (PowerScope::Server, "whole servers"),
        (PowerScope::Facility, "facility meter"),
    ]
}

/// The statistics latency targets can bound, in words.
fn target_statistics() -> Vec<(Percentile, &'static str)> {
    vec![
        (Percentile::Mean, "the mean"),
        (Percentile::P99, "the 99th percentile"),
    ]
}

fn precisions() -> Vec<(Precision, &'static str)> {
    Precision::ALL.iter().map(|p| (*p, p.label())).collect()
}

/// "preset" or "custom" beside a panel's title.
#[component]
fn Badge(custom: Signal<bool>) -> impl IntoView {
    view! {
        <span class="badge" class:custom=custom>
            {move || if custom.get() { "custom" } else { "catalogue" }}
        </span>
    }
}

/// A catalogue picker: a text box with the names as suggestions, so it can
/// be searched by typing.
#[component]
fn Picker(
    id: &'static str,
    label: &'static str,
    names: Vec<&'static str>,
    value: RwSignal<String>,
    on_pick: Callback<String>,
    known: Signal<bool>,
) -> impl IntoView {
    let list = format!("{id}-options");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:invalid=move || !known.get()>
            <label for=id>{label}</label>
            <input id=id name=id type="text" list=list.clone() autocomplete="off"
                value=value.get_untracked()
                prop:value=value
                aria-invalid=move || (!known.get()).to_string()
                aria-describedby=error_id.clone()
                on:change=move |ev| on_pick.run(event_target_value(&ev)) />
            <datalist id=list>
                {names.into_iter().map(|n| view! { <option value=n></option> }).collect_view()}
            </datalist>
            <p class="error" id=error_id>
                {move || (!known.get()).then_some("Not in the catalogue: pick a suggestion or edit the figures below.")}
            </p>
        </div>
    }
}

/// Where a catalogue figure comes from, in one line.
fn provenance_line(p: &catalogue::Provenance) -> String {
    format!("Source: {} ({})", p.source, p.date)
}

/// Model: catalogue pick, precisions, dimensions, and a config paste.
#[component]
pub fn ModelPanel(form: Form) -> impl IntoView {
    let m = form.model;
    let custom = Signal::derive(move || form.model_preset().is_none());
    let known = Signal::derive(move || m.name.with(|n| model_by_name(n).is_some()));
    let names = catalogue::MODELS.iter().map(|e| e.name).collect();
    let source = move || {
        m.name
            .with(|n| model_by_name(n))
            .map(|e| provenance_line(&e.provenance))
    };
    let pasted = RwSignal::new(String::new());
    let paste_status = RwSignal::new(String::new());
    let fill_from_config = move |_| match pasted.with(|t| model_from_hf_config(t)) {
        Ok(spec) => {
            form.fill_model(&spec);
            paste_status.set(format!(
                "Filled: {} B parameters ({} B active), {} layers.",
                format::significant(spec.total_params_b, 3),
                format::significant(spec.active_params_b, 3),
                spec.layers
            ));
        }
        Err(e) => paste_status.set(format!("Not filled: {e}.")),
    };
    view! {
        <fieldset class="panel" id="model-panel">
            <legend>"Model " <Badge custom /></legend>
            <Picker id="model-name" label="Model" names value=m.name known
                on_pick=Callback::new(move |name: String| form.choose_model(&name)) />
            <p class="source">{source}</p>
            <div class="row">
                <Choice id="weights" label="Weights" options=precisions() value=m.weights />
                <Choice id="kv-cache" label="KV cache" options=precisions() value=m.kv_cache />
            </div>
            <details class="more">
                <summary>"Dimensions"</summary>
                <div class="grid">
                    <Field form field=&fields::TOTAL_PARAMS_B />
                    <Field form field=&fields::ACTIVE_PARAMS_B />
                    <Field form field=&fields::LAYERS />
                    <Field form field=&fields::HIDDEN />
                    <Field form field=&fields::HEADS />
                    <Field form field=&fields::KV_HEADS />
                    <Field form field=&fields::HEAD_DIM />
                    <Field form field=&fields::MAX_CONTEXT />
                    <Field form field=&fields::EXPERTS />
                    <Field form field=&fields::EXPERTS_PER_TOKEN />
                </div>
            </details>
            <details class="more">
                <summary>"Paste a Hugging Face config.json"</summary>
                <label for="hf-config">"config.json"</label>
                <textarea id="hf-config" rows="6" spellcheck="false"
                    prop:value=pasted
                    on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                <button type="button" id="hf-fill" on:click=fill_from_config>"Fill dimensions"</button>
                <p id="hf-status" role="status">{paste_status}</p>
            </details>
        </fieldset>
    }
}

/// Hardware: accelerator pick, its figures, parallelism, hosts, stack.
#[component]
pub fn HardwarePanel(form: Form) -> impl IntoView {
    let h = form.hardware;
    let custom = Signal::derive(move || form.accelerator_preset().is_none());
    let known = Signal::derive(move || h.name.with(|n| accelerator_by_name(n).is_some()));
    let names = catalogue::ACCELERATORS.iter().map(|e| e.name).collect();
    let source = move || {
        h.name
            .with(|n| accelerator_by_name(n))
            .map(|e| provenance_line(&e.provenance))
    };
    let stacks = Stack::ALL
        .iter()
        .map(|s| (*s, s.label()))
        .collect::<Vec<_>>();
    view! {
        <fieldset class="panel" id="hardware-panel">
            <legend>"Hardware " <Badge custom /></legend>
            <Picker id="accelerator-name" label="Accelerator" names value=h.name known
                on_pick=Callback::new(move |name: String| form.choose_accelerator(&name)) />
            <p class="source">{source}</p>
            <div class="row">
                <Field form field=&fields::GPUS_PER_REPLICA />
                <Field form field=&fields::PIPELINE_STAGES />
                <Field form field=&fields::REPLICAS />
            </div>
            <Choice id="stack" label="Serving stack" options=stacks value=h.stack />
            <p class="hint" id="calibrated"
                hidden=move || h.efficiency.with(Option::is_none) && h.power.with(Option::is_none)>
                "The stack's speed and power are fitted to your measurements. "
                <button type="button" class="link" id="uncalibrate"
                    on:click=move |_| { h.efficiency.set(None); h.power.set(None); }>
                    "Use the stack's own factors"
                </button>
            </p>
            <p class="hint" id="prefill-pool" hidden=move || h.prefill_pool.with(Option::is_none)>
                {move || h.prefill_pool.with(|p| p.as_ref().map(|p| prefill_pool_words(p, form)))}
                " "
                <button type="button" class="link" id="aggregate"
                    on:click=move |_| h.prefill_pool.set(None)>
                    "Serve aggregated"
                </button>
            </p>
            <details class="more">
                <summary>"Accelerator figures and hosts"</summary>
                <div class="grid">
                    <Field form field=&fields::MEMORY_GB />
                    <Field form field=&fields::MEMORY_BANDWIDTH_TB_S />
                    <Field form field=&fields::BF16_TFLOPS />
                    <Field form field=&fields::FP8_TFLOPS />
                    <Field form field=&fields::FP4_TFLOPS />
                    <Field form field=&fields::TDP_W />
                    <Field form field=&fields::IDLE_W />
                    <Field form field=&fields::INTERCONNECT_GB_S />
                    <Field form field=&fields::GPUS_PER_NODE />
                    <Field form field=&fields::HOST_WATTS />
                </div>
            </details>
        </fieldset>
    }
}

/// What the prefill pool of a disaggregated deployment is, in words.
fn prefill_pool_words(pool: &PrefillPoolInput, form: Form) -> String {
    let money = |usd: f64| form.shown.with(|c| format::money(usd, 3, c.as_ref()));
    let name = catalogue::accelerator(&pool.catalogue).map_or(pool.catalogue.as_str(), |a| a.name);
    format!(
        "Disaggregated: prompts are prefilled on a pool of their own, {} × {name} per replica ({} per GPU-hour rented, {} a server owned), and the KV cache is sent to the replicas above, which only generate. Every figure covers both pools. No published measurement of a disaggregated deployment is in the calibration table, so these figures are the model's alone.",
        pool.gpus_per_replica,
        money(pool.usd_per_gpu_hour),
        money(pool.capex_usd_per_node)
    )
}

/// A catalogue price (in US dollars, its source's currency) in the form's
/// currency, the dollars beside it: `€2.70 ($2.94)`.
fn catalogue_price(form: Form, usd: f64) -> String {
    form.shown.with(|c| match c {
        Some(c) => format!(
            "{} ({})",
            format::money(usd, 3, Some(c)),
            format::usd(usd, 3)
        ),
        None => format::usd(usd, 3),
    })
}

/// The currency money is shown in: a code, its rate per US dollar and the
/// day the rate was set. Prices stay in dollars underneath; the boxes and
/// every figure show them converted.
#[component]
fn CurrencyFields(form: Form) -> impl IntoView {
    let edit = move |signal: RwSignal<String>| {
        move |ev| {
            signal.set(event_target_value(&ev));
            form.follow_currency();
        }
    };
    let error = move || form.currency().err().map(|e| e.to_string());
    // Which box is at fault, for screen readers.
    let at_fault = move |field: &'static str| {
        move || (form.currency().err().map(|e| e.field) == Some(field)).to_string()
    };
    view! {
        <div class="grid currency" class:invalid=move || error().is_some()>
            <div class="field">
                <label for="currency-code">"Currency"</label>
                <input id="currency-code" type="text" maxlength="3" autocomplete="off"
                    placeholder="USD" aria-describedby="currency-error"
                    aria-invalid=at_fault("pricing.currency.code")
                    prop:value=form.currency_code on:input=edit(form.currency_code) />
            </div>
            <div class="field">
                <label for="currency-rate">"Per US dollar"</label>
                <input id="currency-rate" type="text" inputmode="decimal" autocomplete="off"
                    aria-describedby="currency-error" aria-invalid=at_fault("pricing.currency.per_usd")
                    prop:value=form.currency_rate on:input=edit(form.currency_rate) />
            </div>
            <div class="field">
                <label for="currency-date">"Rate set on"</label>
                <input id="currency-date" type="date" aria-describedby="currency-error"
                    aria-invalid=at_fault("pricing.currency.as_of")
                    prop:value=form.currency_date on:input=edit(form.currency_date) />
            </div>
            <p class="hint">"Empty: US dollars, the catalogue's currency. Every price and figure is shown at this rate."</p>
            <p class="error" id="currency-error">{error}</p>
        </div>
    }
}

/// Pricing: rented or owned (both kept), electricity, PUE, grid carbon.
#[component]
pub fn PricingPanel(form: Form) -> impl IntoView {
    let is_cloud = Signal::derive(move || form.mode.get() == PricingMode::Cloud);
    let cloud_prices = move || {
        let accelerator = form
            .hardware
            .name
            .with(|n| accelerator_by_name(n).map(|a| a.id));
        catalogue::CLOUD_PRICES
            .iter()
            .filter(|c| Some(c.accelerator_id) == accelerator)
            .map(|c| {
                let price = c.usd_per_gpu_hour;
                let text = format!(
                    "{} {} ({}): {}/GPU-hour, {}",
                    c.provider,
                    c.offer,
                    c.region,
                    catalogue_price(form, price),
                    c.provenance.date
                );
                view! {
                    <li>
                        <button type="button" class="link" on:click=move |_| form.num(&fields::USD_PER_GPU_HOUR).set(price)>
                            {text}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let electricity = move || {
        let prices = catalogue::ELECTRICITY_PRICES.iter().map(move |e| {
            let text = format!(
                "{} {}: {}/kWh ({})",
                e.region,
                e.tariff,
                catalogue_price(form, e.usd_per_kwh),
                e.provenance.date
            );
            (text, e.usd_per_kwh)
        });
        presets(form, &fields::USD_PER_KWH, prices)
    };
    // Location-based by default: the grid's average where the site is.
    let grids = catalogue::GRID_CARBON.iter().map(|g| {
        let text = format!(
            "{}: {} g CO2e/kWh ({})",
            g.region,
            g.g_co2_per_kwh,
            source_and_year(&g.provenance)
        );
        (text, g.g_co2_per_kwh)
    });
    let embodied = move || {
        let accelerator = form
            .hardware
            .name
            .with(|n| accelerator_by_name(n).map(|a| a.id));
        let published = catalogue::EMBODIED_CARBON
            .iter()
            .filter(|e| Some(e.accelerator_id) == accelerator)
            .map(|e| {
                let text = format!(
                    "{} kg CO2e: {} ({})",
                    e.kg_co2e_per_gpu,
                    e.covers,
                    source_and_year(&e.provenance)
                );
                (text, e.kg_co2e_per_gpu)
            })
            .collect::<Vec<_>>();
        if published.is_empty() {
            Either::Left(view! {
                <p class="hint">"None in the catalogue for this accelerator: enter the figure from its vendor's product carbon footprint."</p>
            })
        } else {
            Either::Right(presets(form, &fields::EMBODIED, published.into_iter()))
        }
    };
    view! {
        <fieldset class="panel" id="pricing-panel">
            <legend>"Pricing"</legend>
            <div class="toggle" role="radiogroup" aria-label="How the hardware is paid for">
                <label>
                    <input type="radio" name="pricing-mode" id="mode-cloud"
                        prop:checked=is_cloud
                        on:change=move |_| form.mode.set(PricingMode::Cloud) />
                    "Cloud rental"
                </label>
                <label>
                    <input type="radio" name="pricing-mode" id="mode-on-prem"
                        prop:checked=move || !is_cloud.get()
                        on:change=move |_| form.mode.set(PricingMode::OnPrem) />
                    "Owned (on-prem)"
                </label>
            </div>
            <div hidden=move || !is_cloud.get()>
                <Field form field=&fields::USD_PER_GPU_HOUR />
                <details class="more">
                    <summary>"Catalogue prices for this accelerator"</summary>
                    <ul class="presets">{cloud_prices}</ul>
                </details>
            </div>
            <div hidden=move || is_cloud.get()>
                <div class="grid">
                    <Field form field=&fields::CAPEX />
                    <Field form field=&fields::ON_PREM_GPUS_PER_NODE />
                    <Field form field=&fields::CAPITAL />
                    <Field form field=&fields::MAINTENANCE />
                    <Field form field=&fields::HOSTING />
                    <Field form field=&fields::STAFF />
                </div>
            </div>
            <div class="grid">
                <Field form field=&fields::USD_PER_KWH />
                <Field form field=&fields::PUE />
                <Field form field=&fields::GRID />
                <Field form field=&fields::MARKET_GRID />
                <Field form field=&fields::WUE />
                <Field form field=&fields::EMBODIED />
                <Field form field=&fields::YEARS />
                <Field form field=&fields::POWER_BUDGET />
            </div>
            <details class="more">
                <summary>"Catalogue electricity prices"</summary>
                {electricity}
            </details>
            <details class="more" id="grid-regions">
                <summary>"Grid carbon by region (location-based)"</summary>
                {presets(form, &fields::GRID, grids)}
            </details>
            <details class="more" id="embodied-figures">
                <summary>"Published embodied carbon for this accelerator"</summary>
                {embodied}
            </details>
            <CurrencyFields form />
        </fieldset>
    }
}

/// A figure's source, to its first comma, and its date: "Chien et al., 2023-07".
fn source_and_year(p: &catalogue::Provenance) -> String {
    let source = p.source.split(',').next().unwrap_or_default();
    format!("{source}, {}", p.date)
}

/// Catalogue figures, each a button that sets `field` to its value.
fn presets(
    form: Form,
    field: &'static fields::Field,
    items: impl Iterator<Item = (String, f64)>,
) -> impl IntoView {
    let items = items
        .map(|(text, value)| {
            view! {
                <li>
                    <button type="button" class="link" on:click=move |_| form.num(field).set(value)>
                        {text}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="presets">{items}</ul> }
}

/// Use case: preset, request shape, demand, latency targets.
#[component]
pub fn UseCasePanel(form: Form) -> impl IntoView {
    let preset = Memo::new(move |_| form.use_case_preset().map(|p| p.id));
    let options = catalogue::USE_CASES
        .iter()
        .map(|p| {
            let id = p.id;
            view! { <option value=id selected=move || preset.get() == Some(id)>{p.name}</option> }
        })
        .collect_view();
    let basis = move || preset.get().and_then(catalogue::use_case).map(|p| p.basis);
    view! {
        <fieldset class="panel" id="use-case-panel">
            <legend>"Use case"</legend>
            <div class="field">
                <label for="use-case-preset">"Preset"</label>
                <select id="use-case-preset" on:change=move |ev| form.choose_use_case(&event_target_value(&ev))>
                    <option value="" selected=move || preset.get().is_none()>"Custom"</option>
                    {options}
                </select>
            </div>
            <p class="source">{basis}</p>
            <div class="grid">
                <Field form field=&fields::INPUT />
                <Field form field=&fields::OUTPUT />
                <Field form field=&fields::REASONING />
                <Field form field=&fields::ATTEMPTS />
                <Field form field=&fields::PRE_POST />
                <Field form field=&fields::PRE_POST_PRICE />
                <Field form field=&fields::HIT_RATE />
                <Field form field=&fields::REQUESTS_PER_DAY />
                <Field form field=&fields::PEAK />
                <Field form field=&fields::TTFT />
                <Field form field=&fields::TPOT />
                <Choice id="latency-targets-at" label="Targets bound" options=target_statistics()
                    value=form.targets_at />
            </div>
        </fieldset>
    }
}

/// Import a scenario as JSON (a deployment, or a scenario exported from a
/// share link), checked field by field.
#[component]
pub fn ImportPanel(form: Form) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    // Which import an answer from the server belongs to: a later one wins.
    let attempt = StoredValue::new(0_u32);
    let import = move |_| {
        attempt.update_value(|n| *n += 1);
        let pasted = text.get_untracked();
        // An export wraps the deployment in `scenario`; take it from there.
        let inner = serde_json::from_str::<serde_json::Value>(&pasted)
            .ok()
            .and_then(|v| {
                v.get("scenario")
                    .filter(|s| s.get("model").is_some())
                    .cloned()
            })
            .map(|s| s.to_string());
        let json = inner.unwrap_or(pasted);
        match Deployment::from_json(&json) {
            Ok(d) => {
                form.load(&d);
                status.set("Imported.".to_owned());
            }
            // Of the wrong shape: the server names the field.
            Err(e @ DeploymentError::Json { .. }) => {
                status.set("Checking…".to_owned());
                let this = attempt.get_value();
                leptos::task::spawn_local(async move {
                    let reason = api::server_objection(json).await;
                    if attempt.get_value() == this {
                        status.set(format!(
                            "Not imported: {}",
                            reason.unwrap_or_else(|| e.to_string())
                        ));
                    }
                });
            }
            Err(e) => status.set(format!("Not imported: {e}")),
        }
    };
    view! {
        <details class="more" id="import">
            <summary>"Import a scenario (JSON)"</summary>
            <label for="import-json">"Scenario JSON"</label>
            <textarea id="import-json" rows="6" spellcheck="false"
                prop:value=text
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <button type="button" id="import-button" on:click=import>"Import"</button>
            <p id="import-status" role="status">{status}</p>
        </details>
    }
}

/// Measured values that replace the model's predictions.
#[component]
pub fn MeasuredPanel(form: Form) -> impl IntoView {
    view! {
        <fieldset class="panel" id="measured-panel">
            <legend>"Measured values"</legend>
            <p class="hint">"Optional. Each value given replaces the model's prediction, for one replica (or the replicas set above)."</p>
            <div class="grid">
                <Field form field=&fields::MEASURED_TOKENS />
                <Field form field=&fields::MEASURED_INPUT_TOKENS />
                <Field form field=&fields::MEASURED_WATTS />
            </div>
            <Choice id="measured-scope" label="Power measured at" options=power_scopes() value=form.scope />
        </fieldset>
    }
}
