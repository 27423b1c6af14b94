//! A saved scenario behind its share link: read-only, every figure and
//! chart rendered on the server, so the link previews well and the page
//! works without WebAssembly. "Make a copy" opens it in the editor.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use tokenfab_core::catalogue;
use tokenfab_core::deployment::{Choice, Deployment, PricingMode};

use crate::format;
use crate::planner::charts::Charts;
use crate::planner::results::Results;

/// The shared scenario `id`.
#[component]
pub fn SharedPage(
    id: String,
    name: String,
    notes: String,
    deployment: Deployment,
) -> impl IntoView {
    let title = if name.trim().is_empty() {
        "Untitled scenario".to_owned()
    } else {
        name
    };
    let summary = summary(&deployment, deployment.pricing.currency.as_ref());
    // The title element is written out unescaped on the server, so a name
    // must not be able to close it: angle brackets become look-alikes.
    let page_title = format!("{}: tokenfab", title.replace('<', "‹").replace('>', "›"));
    // What a link preview shows.
    let currency = deployment.pricing.currency.as_ref();
    let description = match deployment.evaluate() {
        Ok(r) => format!(
            "{} per meaningful response, {} per million output tokens, {} tokens/J, {} GPUs.",
            format::money(r.per_response.cost_per_response_usd, 3, currency),
            format::money(r.costs.at_utilisation.usd_per_m_output, 3, currency),
            format::significant(r.energy.tokens_per_joule, 3),
            r.fleet.gpus
        ),
        Err(e) => e.to_string(),
    };
    let body = match deployment.evaluate() {
        Ok(report) => {
            // Drawn once, by the server: the page has no script.
            let ranges = RwSignal::new(Some(
                tokenfab_core::uncertainty::evaluate_ranges(&deployment)
                    .map(|r| crate::api::RangesView::from(&r))
                    .map_err(|e| e.to_string()),
            ));
            let evaluated = Memo::new(move |_| (deployment.clone(), report));
            Either::Left(view! {
                <Results evaluated ranges />
                <Charts evaluated shared_id=id.clone() />
            })
        }
        Err(e) => Either::Right(view! { <p class="problem" role="alert">{e.to_string()}</p> }),
    };
    let preview = link_preview(&page_title, &description);
    view! {
        <Title text=page_title />
        <Meta name="description" content=description />
        {preview}
        <main class="page shared">
            <header class="masthead">
                <p class="brand"><a href="/">"tokenfab"</a></p>
                <h1 id="scenario-name">{title}</h1>
                <p class="tagline">"A shared scenario, read-only. Make a copy to change it."</p>
                {(!notes.trim().is_empty()).then(|| view! { <p class="notes" id="scenario-notes">{notes.clone()}</p> })}
                <p class="shared-actions">
                    <a class="button" id="make-copy" href=format!("/?copy={id}")>"Make a copy"</a>
                    <a id="export-json" href=format!("/api/v1/scenarios/{id}") download=format!("tokenfab-{id}.json")>"Export JSON"</a>
                    <a id="export-csv" href=format!("/api/v1/scenarios/{id}/csv")>"Export CSV"</a>
                </p>
            </header>
            <div class="planner">
                <section class="inputs panel" aria-labelledby="inputs-title">
                    <h2 id="inputs-title">"Inputs"</h2>
                    <dl class="summary">
                        {summary
                            .into_iter()
                            .map(|(term, value)| view! { <dt>{term}</dt> <dd>{value}</dd> })
                            .collect_view()}
                    </dl>
                </section>
                <section class="outputs" aria-labelledby="outputs-title">
                    <h2 id="outputs-title">"Economics"</h2>
                    {body}
                </section>
            </div>
        </main>
    }
}

/// Open Graph and Twitter card tags for a chat's preview of the link: the
/// title, the headline figures and the picture the server draws. Written
/// by the server alone (the share page is never hydrated), so none of it
/// reaches the browser's bundle.
#[cfg(feature = "ssr")]
pub(crate) fn link_preview(title: &str, description: &str) -> Option<impl IntoView + use<>> {
    let preview = use_context::<crate::page_data::LinkPreview>()?;
    let (title, description) = (title.to_owned(), description.to_owned());
    Some(view! {
        <Meta property="og:type" content="website" />
        <Meta property="og:site_name" content="tokenfab" />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:description" content=description.clone() />
        <Meta property="og:url" content=preview.page_url />
        <Meta property="og:image" content=preview.image_url.clone() />
        <Meta property="og:image:type" content="image/png" />
        <Meta property="og:image:width" content="1200" />
        <Meta property="og:image:height" content="630" />
        <Meta property="og:image:alt" content="Headline figures and the cost per meaningful response, term by term" />
        <Meta name="twitter:card" content="summary_large_image" />
        <Meta name="twitter:title" content=title />
        <Meta name="twitter:description" content=description />
        <Meta name="twitter:image" content=preview.image_url />
    })
}

#[cfg(not(feature = "ssr"))]
pub(crate) fn link_preview(_title: &str, _description: &str) -> Option<()> {
    None
}

/// The inputs in words, one line per panel, prices in `shown_in` (a
/// comparison shows every scenario in one currency); the scenario's own
/// currency setting on a line of its own.
pub(crate) fn summary(
    d: &Deployment,
    shown_in: Option<&tokenfab_core::currency::Currency>,
) -> Vec<(&'static str, String)> {
    let model = match &d.model.choice {
        Choice::Catalogue(id) => catalogue::model(id).map_or(id.clone(), |m| m.name.to_owned()),
        Choice::Spec(s) => format!(
            "custom: {} B parameters ({} B active), {} layers",
            format::significant(s.total_params_b, 3),
            format::significant(s.active_params_b, 3),
            s.layers
        ),
    };
    let weights = d.model.weights.map_or("published", |p| p.label());
    let accelerator = match &d.hardware.choice {
        Choice::Catalogue(id) => {
            catalogue::accelerator(id).map_or(id.clone(), |a| a.name.to_owned())
        }
        Choice::Spec(s) => format!(
            "custom: {} GB at {} TB/s",
            format::significant(s.memory_gb, 3),
            format::significant(s.memory_bandwidth_tb_s, 3)
        ),
    };
    let h = &d.hardware;
    let replicas = h.replicas.map_or("sized for the demand".to_owned(), |r| {
        format!("{r} replicas")
    });
    let p = &d.pricing;
    // Prices are kept in US dollars; shown in `shown_in`.
    let money = |usd: f64| format::money(usd, 3, shown_in);
    let pricing = match p.mode {
        PricingMode::Cloud => format!("rented at {}/GPU-hour", money(p.usd_per_gpu_hour)),
        PricingMode::OnPrem => format!(
            "owned: {} per server of {} GPUs over {} years",
            money(p.on_prem.capex_usd_per_node),
            p.on_prem.gpus_per_node,
            p.on_prem.depreciation_years
        ),
    };
    let u = &d.use_case;
    let mut lines = vec![
        ("Model", format!("{model}, {weights} weights")),
        (
            "Hardware",
            format!(
                "{accelerator}, {} per replica{}, {replicas}, {}",
                h.gpus_per_replica,
                if h.stages() > 1 {
                    format!(" in each of {} pipeline stages", h.stages())
                } else {
                    String::new()
                },
                h.stack.label()
            ),
        ),
    ];
    if let Some(pool) = &h.prefill_pool {
        let name =
            catalogue::accelerator(&pool.catalogue).map_or(pool.catalogue.as_str(), |a| a.name);
        lines.push((
            "Prefill pool",
            format!(
                "{name}, {} per replica, sized for the demand; {}/GPU-hour rented or {} per server owned (the hardware above only generates)",
                pool.gpus_per_replica,
                money(pool.usd_per_gpu_hour),
                money(pool.capex_usd_per_node)
            ),
        ));
    }
    lines.extend([
        (
            "Pricing",
            format!(
                "{pricing}; electricity {}/kWh, PUE {}, {} g CO2e/kWh",
                money(p.usd_per_kwh),
                p.pue,
                p.grid_g_co2_per_kwh
            ),
        ),
        (
            "Use case",
            format!(
                "{} prompt, {} answer and {} reasoning tokens, {} attempts; {} requests a day, peak {}×; targets TTFT {} ms, TPOT {} ms at the {}",
                u.input_tokens,
                u.output_tokens,
                u.reasoning_tokens,
                u.attempts_per_response,
                format::si(u.requests_per_day, 3),
                u.peak_to_average,
                u.ttft_target_ms,
                u.tpot_target_ms,
                u.latency_targets_at.label()
            ),
        ),
    ]);
    if let Some(c) = &p.currency {
        lines.push(("Currency", currency_note(c)));
    }
    if let Some(m) = &d.measured {
        let parts: Vec<String> = [
            m.output_tokens_per_s
                .map(|v| format!("{} output tokens/s", format::si(v, 3))),
            m.input_tokens_per_s
                .map(|v| format!("{} prefill tokens/s", format::si(v, 3))),
            m.watts.map(|v| format!("{} W", format::si(v, 3))),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !parts.is_empty() {
            lines.push(("Measured", parts.join(", ")));
        }
    }
    lines
}

/// Which currency money is shown in and at what rate: "Money in EUR at
/// 0.92 per US dollar, the rate set on 2026-12-01 (prices are kept in US
/// dollars)".
pub fn currency_note(c: &tokenfab_core::currency::Currency) -> String {
    format!(
        "Money in {} at {} per US dollar, the rate set on {} (prices are kept in US dollars, the catalogue's currency).",
        c.code,
        format::trimmed(c.per_usd, 6),
        c.as_of
    )
}
