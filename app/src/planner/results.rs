//! The headline figures. Each opens its explanation: the formula, the
//! inputs it used and what limits it.

use leptos::prelude::*;
use tokenfab_core::catalogue::{self, Vendor};
use tokenfab_core::currency;
use tokenfab_core::deployment::{
    Choice, ConcurrencyLimiter, Deployment, DeploymentReport, Origin, PricingMode,
};
use tokenfab_core::latency::Percentile;
use tokenfab_core::perf::Limiter;
use tokenfab_core::stack::ROCM_ACHIEVED_SHARE;
use tokenfab_core::tradeoffs::{CloudVsOwned, cloud_vs_owned};

use crate::api::RangesView;
use crate::format;

/// One headline figure with its explanation.
#[component]
fn Headline(
    /// Element id of the value.
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    value: Signal<String>,
    /// Money figures' units follow the scenario's currency.
    #[prop(into)]
    unit: Signal<String>,
    /// How it is computed.
    formula: &'static str,
    /// The inputs it used, with their values.
    inputs: Signal<String>,
    /// Which statistic the value is, where that can change ("P99").
    #[prop(optional)]
    statistic: Option<Signal<String>>,
    /// Its P10 to P90 once the ranges are drawn (empty until then).
    #[prop(optional)]
    range: Option<Signal<String>>,
) -> impl IntoView {
    view! {
        <details class="figure">
            <summary>
                <span class="label">{label}</span>
                <span class="number"><span class="value" id=id>{value}</span> " " <span class="unit">{unit}</span>
                    {statistic.map(|s| view! { " " <span class="statistic">{s}</span> })}</span>
                {range.map(|r| view! { <span class="range" id=format!("{id}-range")>{r}</span> })}
            </summary>
            <div class="explain">
                <p class="formula">{formula}</p>
                <p class="inputs">{inputs}</p>
            </div>
        </details>
    }
}

/// A money figure, given in US dollars, in the scenario's currency.
fn money(d: &Deployment, usd: f64) -> String {
    format::money(usd, 3, d.pricing.currency.as_ref())
}

/// Units of the scenario's currency a dollar buys (1 in dollars).
fn rate(d: &Deployment) -> f64 {
    currency::per_usd(d.pricing.currency.as_ref())
}

fn limiter(l: Limiter) -> &'static str {
    match l {
        Limiter::Compute => "tensor arithmetic (compute-bound)",
        Limiter::MemoryBandwidth => "memory bandwidth",
        Limiter::Interconnect => "the interconnect between GPUs",
        Limiter::Overhead => "fixed per-step overheads",
    }
}

/// The latency figure the targets bound: the mean or the 99th percentile.
fn at_target(r: &DeploymentReport, mean: f64, p99: f64) -> f64 {
    match r.performance.latency_targets_at {
        Percentile::Mean => mean,
        Percentile::P99 => p99,
    }
}

/// "Target 800 ms at the P99; targets met."
fn targets_clause(target_ms: f64, r: &DeploymentReport) -> String {
    format!(
        "Target {target_ms} ms at the {}; {}.",
        r.performance.latency_targets_at.label(),
        if r.performance.meets_latency_targets {
            "targets met"
        } else {
            "targets missed"
        }
    )
}

fn concurrency_limiter(l: ConcurrencyLimiter) -> &'static str {
    match l {
        ConcurrencyLimiter::MemoryCapacity => "KV-cache memory",
        ConcurrencyLimiter::LatencyTarget => "the TTFT/TPOT targets",
        ConcurrencyLimiter::StackLimit => "the serving stack's batch limit",
    }
}

fn origin(o: Origin) -> &'static str {
    match o {
        Origin::Modeled => "modelled",
        Origin::Measured => "measured",
    }
}

/// Where the catalogue figures behind a prediction come from.
fn catalogue_sources(d: &Deployment) -> String {
    let model = match &d.model.choice {
        Choice::Catalogue(id) => catalogue::model(id).map(|m| {
            format!(
                "{}: {} ({})",
                m.name, m.provenance.source, m.provenance.date
            )
        }),
        Choice::Spec(_) => Some("Model: custom dimensions".to_owned()),
    };
    let accelerator = match &d.hardware.choice {
        Choice::Catalogue(id) => catalogue::accelerator(id).map(|a| {
            format!(
                "{}: {} ({})",
                a.name, a.provenance.source, a.provenance.date
            )
        }),
        Choice::Spec(_) => Some("Accelerator: custom figures".to_owned()),
    };
    let on_amd = match &d.hardware.choice {
        Choice::Catalogue(id) => {
            catalogue::accelerator(id).is_some_and(|a| a.vendor == Vendor::Amd)
        }
        Choice::Spec(_) => false,
    };
    let stack = format!(
        "{} efficiency factors calibrated against published measurements{}",
        d.hardware.stack.label(),
        if on_amd {
            format!(
                "; its ROCm build reaches {} of the CUDA build's shares of peak, fitted to AMD's published results",
                format::rate(ROCM_ACHIEVED_SHARE)
            )
        } else {
            String::new()
        }
    );
    [model, accelerator, Some(stack)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(". ")
        + "."
}

/// What the ranges say of the decisions, in a sentence.
fn odds(ranges: Option<&Result<RangesView, String>>) -> String {
    match ranges {
        None => String::new(),
        Some(Err(why)) => format!("No ranges: {why}"),
        Some(Ok(r)) => {
            let p = &r.probabilities;
            let budget = p.within_power_budget.map_or(String::new(), |w| {
                format!(
                    "; the fleet fits the power budget in {}",
                    format::percent(w)
                )
            });
            format!(
                "Ranges over {} draws of the inputs and the model's measured error: the latency targets hold in {} of them; owning is cheaper than renting by month 24 in {}{budget}.",
                r.evaluated,
                format::percent(p.latency_targets_hold),
                format::percent(p.owning_cheaper_by_month_24),
            )
        }
    }
}

/// The figures for `evaluated` (the last deployment that evaluated cleanly).
#[component]
pub fn Results(
    evaluated: Memo<(Deployment, DeploymentReport)>,
    /// The figures' ranges, once drawn for what is on the screen.
    ranges: RwSignal<Option<Result<RangesView, String>>>,
) -> impl IntoView {
    let text = move |f: fn(&Deployment, &DeploymentReport) -> String| {
        Signal::derive(move || evaluated.with(|(d, r)| f(d, r)))
    };
    // "P10–P90 a to b" for one figure of the ranges, written as the figure is.
    let band = move |figure: &'static str, written: fn(&Deployment, f64) -> String| {
        Signal::derive(move || {
            ranges.with(|r| match r {
                Some(Ok(report)) => report
                    .figures
                    .iter()
                    .find(|f| f.figure == figure)
                    .map(|f| {
                        evaluated.with(|(d, _)| {
                            format!("P10–P90 {} to {}", written(d, f.p10), written(d, f.p90))
                        })
                    })
                    .unwrap_or_default(),
                _ => String::new(),
            })
        })
    };
    let three = |_: &Deployment, v: f64| format::significant(v, 3);
    view! {
        <div class="figures">
            <Headline id="cost-per-response" range=band("cost_per_response_usd", money) label="Cost per meaningful response" unit="per response"
                value=text(|d, r| money(d, r.per_response.cost_per_response_usd))
                formula="(generated tokens × price per generated token + input tokens × price per input token) × attempts + pre/post tokens × their price"
                inputs=text(|d, r| {
                    let c = r.per_response.cost_usd;
                    format!(
                        "Generated {} + input {} + pre/post {}; {} attempts of {} + {} tokens, {} reasoning.",
                        money(d, c.generated), money(d, c.input), money(d, c.pre_post),
                        d.use_case.attempts_per_response, d.use_case.input_tokens,
                        d.use_case.output_tokens, d.use_case.reasoning_tokens
                    )
                }) />
            <Headline id="usd-per-m-input" range=band("usd_per_m_input", money) label="Input tokens" unit="per million"
                value=text(|d, r| money(d, r.costs.at_utilisation.usd_per_m_input))
                formula="GPU-time prefill uses at the fleet's utilisation × price per GPU-hour ÷ input tokens"
                inputs=text(|d, r| format!(
                    "At full load {} per million; the fleet is {} utilised; prefill limited by {}.",
                    money(d, r.costs.at_load.usd_per_m_input),
                    format::percent(r.fleet.utilisation),
                    limiter(r.performance.prefill_limiter)
                )) />
            <Headline id="usd-per-m-output" range=band("usd_per_m_output", money) label="Output tokens" unit="per million"
                value=text(|d, r| money(d, r.costs.at_utilisation.usd_per_m_output))
                formula="GPU-time decode uses at the fleet's utilisation × price per GPU-hour ÷ generated tokens"
                inputs=text(|d, r| format!(
                    "At full load {} per million; decode limited by {}.",
                    money(d, r.costs.at_load.usd_per_m_output),
                    limiter(r.performance.decode_limiter)
                )) />
            <Headline id="tokens-per-usd" range=band("tokens_per_usd", |d, v| format::si(v / rate(d), 3)) label=text(|d, _| match &d.pricing.currency {
                    Some(c) => format!("Tokens per {}", c.code),
                    None => "Tokens per dollar".to_owned(),
                })
                unit=text(|d, _| format!("tokens/{}", currency::sign(d.pricing.currency.as_ref()).trim_end()))
                value=text(|d, r| format::si(r.costs.tokens_per_usd / rate(d), 3))
                formula="generated tokens/s per replica at load × 3600 × the fleet's utilisation ÷ (replica cost per hour)"
                inputs=text(|d, r| format!(
                    "{} per GPU-hour ({}); {} output tokens/s per GPU at load ({}); {} utilised.",
                    money(d, r.costs.usd_per_gpu_hour),
                    match d.pricing.mode { PricingMode::Cloud => "rented", PricingMode::OnPrem => "owned, all costs" },
                    format::si(r.performance.output_tokens_per_s_per_gpu, 3),
                    origin(r.performance.origin),
                    format::percent(r.fleet.utilisation)
                )) />
            <Headline id="tokens-per-joule" range=band("tokens_per_joule", three) label="Energy efficiency" unit="tokens/J"
                value=text(|_, r| format::significant(r.energy.tokens_per_joule, 3))
                formula="generated tokens/s ÷ server watts at load (GPUs + the hosts of their servers), the prompts' energy included"
                inputs=text(|d, r| format!(
                    "{} tokens/kWh; {} W per GPU at load ({}); prompts take {} % of the GPUs' energy. At the servers at load: {} J per prompt token, {} J per generated token. With the prompts' energy on the generated tokens, at the facility meter (PUE {}): {} J per generated token at load, {} J at the fleet's utilisation; {} tokens/s per MW, the fleet peaking at {} kW{}. {}",
                    format::si(r.energy.tokens_per_kwh, 3),
                    format::significant(r.power.watts_per_gpu_at_load, 3),
                    origin(r.power.origin),
                    format::significant(r.energy.prompt_energy_share_at_load * 100.0, 2),
                    format::significant(r.energy.at_load.server.j_per_input_token, 3),
                    format::significant(r.energy.at_load.server.j_per_output_token, 3),
                    d.pricing.pue,
                    format::significant(r.energy.facility_j_per_token_at_load, 3),
                    format::significant(r.energy.facility_j_per_token_at_utilisation, 3),
                    format::si(r.energy.tokens_per_s_per_facility_mw, 3),
                    format::significant(r.power.facility_kw_at_load, 3),
                    r.power.budget_share.zip(d.pricing.power_budget_kw).map_or(String::new(), |(share, kw)| format!(
                        ", {} % of the site's {kw} kW budget{}",
                        format::significant(share * 100.0, 3),
                        if share > 1.0 { ": over it" } else { "" }
                    )),
                    catalogue_sources(d)
                )) />
            <Headline id="wh-per-response" range=band("wh_per_response", three) label="Energy per response" unit="Wh"
                value=text(|_, r| format::significant(r.per_response.wh_per_response, 3))
                formula="(prompt tokens × J per prompt token + generated tokens × J per generated token) × attempts ÷ 3600, at the facility meter at the fleet's utilisation"
                inputs=text(|_, r| format!(
                    "{} J per response, idle draw included: {} J per prompt token, {} J per generated token. With every GPU busy: {} Wh.",
                    format::significant(r.per_response.joules_per_response, 3),
                    format::significant(r.energy.at_utilisation.facility.j_per_input_token, 3),
                    format::significant(r.energy.at_utilisation.facility.j_per_output_token, 3),
                    format::significant(r.energy.wh_per_response_at_load, 3)
                )) />
            <Headline id="co2-per-response" range=band("g_co2_per_response", three) label="Carbon per response" unit="g CO2e"
                value=text(|_, r| r.per_response.g_co2_per_response.map_or("—".to_owned(), |g| format::significant(g, 3)))
                formula="Wh per response ÷ 1000 × grid g CO2e/kWh (operational, location-based)"
                inputs=text(|d, r| {
                    let c = &r.carbon;
                    let g = |v: f64| format::significant(v, 3);
                    let market = c.market_g_per_response.zip(d.pricing.market_g_co2_per_kwh).map_or(String::new(), |(v, i)| format!(
                        " Market-based (electricity bought at {i} g/kWh): {} g per response, {} kg a month.",
                        g(v),
                        g(c.market_kg_per_month.unwrap_or_default())
                    ));
                    let embodied = c.embodied_g_per_response.zip(d.pricing.embodied_kg_co2e_per_gpu).map_or(String::new(), |(v, kg)| format!(
                        " Embodied ({kg} kg CO2e per GPU over {} years, {} GPUs): {} g per response, {} kg a month.",
                        d.pricing.on_prem.depreciation_years,
                        r.fleet.gpus,
                        g(v),
                        g(c.embodied_kg_per_month.unwrap_or_default())
                    ));
                    format!(
                        "Grid {} g CO2e/kWh; {} g CO2e per million generated tokens at the fleet's utilisation, idle draw included; {} kg a month over {} responses.{market}{embodied}{}",
                        d.pricing.grid_g_co2_per_kwh,
                        g(r.energy.g_co2_per_m_tokens_at_utilisation),
                        g(c.location_kg_per_month),
                        format::si(c.responses_per_month, 3),
                        r.per_response.water_l_per_response.map_or(String::new(), |l| format!(
                            " Water: {} L per response (IT energy × WUE).",
                            g(l)
                        ))
                    )
                }) />
            <Headline id="ttft" range=band("ttft_ms", three) label="Time to first token" unit="ms"
                value=text(|_, r| format::significant(at_target(r, r.performance.ttft_ms, r.performance.ttft_p99_ms), 3))
                statistic=text(|_, r| r.performance.latency_targets_at.label().to_owned())
                formula="the wait behind prompts arriving at random (a queue with the prompts' prefill as service), one step of the running batch, the prompt's prefill"
                inputs=text(|d, r| format!(
                    "Mean {} ms, P99 {} ms. {}",
                    format::significant(r.performance.ttft_ms, 3),
                    format::significant(r.performance.ttft_p99_ms, 3),
                    targets_clause(d.use_case.ttft_target_ms, r)
                )) />
            <Headline id="tpot" range=band("tpot_ms", three) label="Time per output token" unit="ms"
                value=text(|_, r| format::significant(at_target(r, r.performance.tpot_ms, r.performance.tpot_p99_ms), 3))
                statistic=text(|_, r| r.performance.latency_targets_at.label().to_owned())
                formula="one decode step: matrix multiplies and attention on their rooflines, plus communication and overheads; the P99 adds the prompts that arrive while a request decodes"
                inputs=text(|d, r| format!(
                    "Mean {} ms, P99 {} ms. {} {} tokens/s per user; decode limited by {}. {}",
                    format::significant(r.performance.tpot_ms, 3),
                    format::significant(r.performance.tpot_p99_ms, 3),
                    targets_clause(d.use_case.tpot_target_ms, r),
                    format::significant(r.performance.tokens_per_s_per_user, 3),
                    limiter(r.performance.decode_limiter),
                    catalogue_sources(d)
                )) />
            <Headline id="concurrency" range=band("concurrency", three) label="Sequences per replica" unit="in flight"
                value=text(|_, r| format::significant(r.performance.concurrency, 3))
                formula="the largest batch that fits the KV cache, the stack's limit and the latency targets"
                inputs=text(|_, r| format!(
                    "Capped by {}; {} fit in memory ({} GB of weights per GPU).",
                    concurrency_limiter(r.performance.concurrency_limiter),
                    format::significant(r.memory.max_concurrency, 3),
                    format::significant(r.memory.weights_gb_per_gpu, 3)
                )) />
            <Headline id="fleet" range=band("fleet_gpus", |_, v| format!("{v:.0}")) label="Fleet" unit="GPUs"
                value=text(|_, r| r.fleet.gpus.to_string())
                formula="peak requests/s ÷ requests/s per replica, rounded up, × GPUs per replica"
                inputs=text(|_, r| match &r.pools {
                    None => format!(
                        "{} replicas for a peak of {} requests/s; {} utilised on average.",
                        r.fleet.replicas,
                        format::significant(r.fleet.peak_requests_per_s, 3),
                        format::percent(r.fleet.utilisation)
                    ),
                    Some(p) => format!(
                        "For a peak of {} requests/s: {} prefill replicas ({} GPUs, each kept {} busy: no busier than the TTFT target and 80 % headroom allow) and {} decode replicas ({} GPUs); {} ms to send each prompt's KV cache between them.",
                        format::significant(r.fleet.peak_requests_per_s, 3),
                        p.prefill.replicas,
                        p.prefill.gpus,
                        format::percent(p.prefill.busy_share),
                        p.decode.replicas,
                        p.decode.gpus,
                        format::significant(p.cache_transfer_ms, 3)
                    ),
                }) />
            <Headline id="monthly-cost" range=band("fleet_usd_per_month", money) label="Monthly cost" unit="per month"
                value=text(|d, r| money(d, r.costs.fleet_usd_per_month))
                formula="fleet cost per hour × 730 hours (a year's 8,760 ÷ 12)"
                inputs=text(|d, r| format!(
                    "{} of it pays for idle capacity; owned {} vs rented {} per GPU-hour{}.",
                    money(d, r.costs.idle_usd_per_month),
                    money(d, r.costs.on_prem_usd_per_gpu_hour),
                    money(d, r.costs.cloud_usd_per_gpu_hour),
                    break_even_clause(d, r)
                )) />
        </div>
        <p class="range-odds" id="range-odds">{move || ranges.with(|r| odds(r.as_ref()))}</p>
        <p class="validation-note" id="validation-note">
            {move || evaluated.with(|(d, _)| validation_note(d))} " "
            <a href="/accuracy">"How accurate is it?"</a>
        </p>
    }
}

/// How well published measurements cover the chosen accelerator and stack.
fn validation_note(d: &Deployment) -> String {
    let accelerator = match &d.hardware.choice {
        Choice::Catalogue(id) => Some(id.as_str()),
        Choice::Spec(_) => None,
    };
    tokenfab_core::validation::note(accelerator, d.hardware.stack)
}

/// ", buying pays back after …" with both conventions, or nothing.
fn break_even_clause(d: &Deployment, r: &DeploymentReport) -> String {
    r.costs.break_even_month.map_or(String::new(), |cash| {
        format!(
            ", buying pays back after {}",
            break_even_months(
                cash,
                r.costs.break_even_month_discounted,
                d.pricing.on_prem.cost_of_capital
            )
        )
    })
}

/// "31.2 months in cash, 34.9 discounted at 8 % a year": the purchase
/// repaid by undiscounted savings, and by savings discounted at the cost of
/// capital that the hourly owned rate charges.
fn break_even_months(cash: f64, discounted: Option<f64>, cost_of_capital: f64) -> String {
    let rate = format::rate(cost_of_capital);
    let discounted = discounted.map_or_else(
        || format!("not within ten years discounted at {rate} a year"),
        |m| format!("{} discounted at {rate} a year", format::significant(m, 3)),
    );
    format!(
        "{} months in cash, {discounted}",
        format::significant(cash, 3)
    )
}

/// The same deployment priced rented and owned, one click away.
#[component]
pub fn CloudVsOwnedTable(evaluated: Memo<(Deployment, DeploymentReport)>) -> impl IntoView {
    let comparison = Memo::new(move |_| evaluated.with(|(d, _)| cloud_vs_owned(d).ok()));
    let row = move |label: &'static str, f: fn(&Deployment, &CloudVsOwned) -> (String, String)| {
        let cells = move || {
            comparison
                .get()
                .map(|c| evaluated.with(|(d, _)| f(d, &c)))
                .unwrap_or_default()
        };
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td>{move || cells().0}</td>
                <td>{move || cells().1}</td>
            </tr>
        }
    };
    let verdict = move || {
        let cost_of_capital = evaluated.with(|(d, _)| d.pricing.on_prem.cost_of_capital);
        comparison.get().map(|c| {
            let break_even = c.break_even_month.map_or(
                "Owning does not pay back within ten years.".to_owned(),
                |m| format!(
                    "Owning pays back its purchase after {}.",
                    break_even_months(m, c.break_even_month_discounted, cost_of_capital)
                ),
            );
            let elastic = if c.owned_beats_elastic_cloud_above >= 1.0 {
                "Against cloud billed only for busy hours, owning never wins.".to_owned()
            } else {
                format!(
                    "Against cloud billed only for busy hours, owning wins above {} utilisation (this fleet: {}).",
                    format::percent(c.owned_beats_elastic_cloud_above),
                    format::percent(c.utilisation)
                )
            };
            format!("{break_even} {elastic}")
        })
    };
    view! {
        <details class="more compare" id="cloud-vs-owned">
            <summary>"Compare cloud and owned for this deployment"</summary>
            <table>
                <thead>
                    <tr><th scope="col">"Same model, hardware and demand"</th><th scope="col">"Cloud"</th><th scope="col">"Owned"</th></tr>
                </thead>
                <tbody>
                    {row("Per GPU-hour", |d, c| (money(d, c.cloud_usd_per_gpu_hour), money(d, c.owned_usd_per_gpu_hour)))}
                    {row("Per million input tokens", |d, c| (money(d, c.cloud_usd_per_m_input), money(d, c.owned_usd_per_m_input)))}
                    {row("Per million output tokens", |d, c| (money(d, c.cloud_usd_per_m_output), money(d, c.owned_usd_per_m_output)))}
                    {row("Fleet per month", |d, c| (money(d, c.cloud_usd_per_month), money(d, c.owned_usd_per_month)))}
                </tbody>
            </table>
            <p id="cloud-vs-owned-verdict">{verdict}</p>
            <p class="hint">"At the fleet's expected utilisation; owned includes capital (repaid in equal yearly instalments at the cost of capital), upkeep, hosting of the provisioned power, staff and electricity at the facility meter. Pays back in cash: the purchase against the monthly savings of the running costs over rent, no interest; discounted: those savings discounted at the cost of capital, as the hourly owned rate is. The months chart below shows the cumulative costs in cash."</p>
        </details>
    }
}
