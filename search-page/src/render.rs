//! The search page as HTML: the form, and the answer (best candidates, the
//! Pareto charts, every class's verdict). The server writes the whole page
//! and the browser module rewrites the answer after a search of its own,
//! with the same functions, so both show the same thing.

use std::fmt::Write as _;

use tokenfab_core::catalogue;
use tokenfab_core::deployment::PricingMode;
use tokenfab_core::latency::Percentile;
use tokenfab_core::model::Precision;
use tokenfab_core::search::{
    Candidate, Disaggregation, Objective, Ownership, RankBy, SearchOutcome,
};
use tokenfab_core::stack::Stack;

use crate::query::{SearchForm, encode_deployment, id_of};

/// Escapes text for HTML element content and quoted attributes.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The light/dark switch every page carries in its top right corner;
/// `/theme.js`, loaded in every head, applies and remembers the choice.
pub const THEME_SWITCH: &str = "<aside class=\"display\" aria-label=\"Display\"><button type=\"button\" id=\"theme-switch\" class=\"theme-switch\" aria-pressed=\"false\">Dark theme</button></aside>";

/// A page the server writes by hand, up to and including the opening
/// `<body>` and the theme switch: the viewport, icon, style and theme every
/// page shares, its title and description.
pub fn document_head(title: &str, description: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\" />\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\" />\
         <link rel=\"stylesheet\" href=\"/pkg/tokenfab.css\" />\
         <script src=\"/theme.js\"></script>\
         <title>{}</title><meta name=\"description\" content=\"{}\" /></head><body>{THEME_SWITCH}",
        escape(title),
        escape(description)
    )
}

/// Where a search ran and how long it took, for the answer's first line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// Milliseconds from the first step to the last.
    pub ms: f64,
    /// Milliseconds drawing the best candidates' ranges after them.
    pub ranges_ms: f64,
    /// Whether the browser ran it (else the server).
    pub in_browser: bool,
}

/// The charts of an answer: the Pareto fronts the server draws.
pub const CHARTS: [(&str, &str); 2] = [
    (
        "pareto-energy",
        "Pareto front of cost per response against energy per response",
    ),
    (
        "pareto-speed",
        "Pareto front of cost per response against tokens per second per user",
    ),
];

/// A search saved under a short link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved<'a> {
    /// Its id, the last part of its link.
    pub id: &'a str,
    /// The name it was saved under.
    pub name: &'a str,
}

/// The whole page, for the server: `answer` is the search's outcome (or
/// why it could not run); `saved` names the saved search it opened, if
/// one; `nonce` lets the page's module start.
pub fn page(
    form: &SearchForm,
    answer: &Result<(SearchOutcome, Timing), String>,
    saved: Option<Saved<'_>>,
    nonce: &str,
) -> String {
    let query = form.to_query();
    let answer_html = match answer {
        Ok((outcome, timing)) => results(outcome, &query, *timing),
        Err(message) => problem(message),
    };
    format!(
        "{head}<main class=\"page\" id=\"search-page\" data-ready=\"false\">\
         <header class=\"masthead\"><h1>Find the best deployment</h1>\
         <p class=\"tagline\">Every allowed accelerator, replica size, weight and KV-cache precision, serving stack and price, each sized for the demand within the latency targets, ranked by the figure you pick. \
         The link of this page is the search: bookmark it or send it, and it runs again.</p>\
         <p><a href=\"/\">Back to the planner</a> · <a href=\"/accuracy\">How accurate is it?</a> · <a href=\"/api/docs#search\">the same search over the API</a></p>{saved}</header>\
         {form}<section class=\"outputs\" aria-labelledby=\"answer-title\">\
         <h2 id=\"answer-title\">Answer</h2>\
         <div class=\"search-progress\" id=\"search-progress\" hidden><progress id=\"search-bar\" max=\"1\" value=\"0\"></progress> \
         <span id=\"search-status\" role=\"status\"></span> <button type=\"button\" id=\"search-stop\">Stop</button></div>\
         <div id=\"search-answer\">{answer_html}</div></section>\
         <script type=\"module\" nonce=\"{nonce}\">import init from '/pkg/search.js'; init({{ module_or_path: '/pkg/search.wasm' }});</script>\
         </main></body></html>",
        head = document_head(
            "Find the best deployment: tokenfab",
            "Search accelerators, parallelism, precisions, serving stacks and prices for the cheapest deployment that meets your latency targets."
        ),
        form = form_html(form),
        nonce = escape(nonce),
        saved = saved.map_or(String::new(), |s| format!(
            "<p class=\"copied\" id=\"saved-search\">Saved search <strong>{}</strong>, at <a href=\"/search/s/{id}\">/search/s/{id}</a>: \
             it runs again each time it opens, on the catalogue's prices of the day.</p>",
            escape(s.name),
            id = escape(s.id)
        )),
    )
}

/// A search that could not run.
pub fn problem(message: &str) -> String {
    format!(
        "<p class=\"problem\" id=\"search-problem\" role=\"alert\">{}</p>",
        escape(message)
    )
}

/// The form, filled from `form`.
pub fn form_html(form: &SearchForm) -> String {
    let mut html = String::from(
        "<form class=\"inputs search-form\" id=\"search-form\" method=\"get\" action=\"/search\">\
         <input type=\"hidden\" name=\"run\" value=\"1\" />",
    );
    if let Some(from) = &form.from {
        let _ = write!(
            html,
            "<input type=\"hidden\" name=\"from\" value=\"{}\" />",
            escape(from)
        );
    }
    // What to serve.
    html.push_str("<fieldset><legend>Model and use case</legend>");
    html.push_str("<div class=\"field\"><label for=\"search-model\">Model</label><select id=\"search-model\" name=\"model\">");
    if matches!(
        form.base.model.choice,
        tokenfab_core::deployment::Choice::Spec(_)
    ) {
        let _ = write!(
            html,
            "<option value=\"\"{}>The planner's custom model</option>",
            selected(form.model.is_empty())
        );
    }
    for m in catalogue::MODELS {
        let _ = write!(
            html,
            "<option value=\"{}\"{}>{}</option>",
            m.id,
            selected(m.id == form.model),
            escape(m.name)
        );
    }
    html.push_str("</select></div>");
    for (name, label, unit, value) in [
        (
            "requests_per_day",
            "Requests per day",
            "requests",
            form.requests_per_day,
        ),
        ("input_tokens", "Prompt tokens", "tokens", form.input_tokens),
        (
            "output_tokens",
            "Output tokens",
            "tokens",
            form.output_tokens,
        ),
        (
            "ttft_ms",
            "Time to first token, at most",
            "ms",
            form.ttft_target_ms,
        ),
        (
            "tpot_ms",
            "Time per output token, at most",
            "ms",
            form.tpot_target_ms,
        ),
    ] {
        number_field(&mut html, name, label, unit, Some(value));
    }
    select_field(
        &mut html,
        "at",
        "Targets bound the",
        [
            ("mean", "mean", form.latency_targets_at == Percentile::Mean),
            (
                "p99",
                "99th percentile",
                form.latency_targets_at == Percentile::P99,
            ),
        ],
    );
    html.push_str("</fieldset>");

    // What to try.
    html.push_str("<fieldset><legend>What to try</legend>");
    let ticked_parts: Vec<&str> = match &form.accelerators {
        Some(ids) => ids.iter().map(String::as_str).collect(),
        None => catalogue::ACCELERATORS.iter().map(|a| a.id).collect(),
    };
    choices(
        &mut html,
        "Accelerators",
        "acc",
        catalogue::ACCELERATORS.iter().map(|a| {
            (
                a.id.to_owned(),
                a.name.to_owned(),
                ticked_parts.contains(&a.id),
            )
        }),
    );
    let ticked_sizes = form
        .gpus_per_replica
        .clone()
        .unwrap_or_else(|| form.default_sizes());
    choices(
        &mut html,
        "Accelerators per replica",
        "tp",
        sizes_offered(form)
            .into_iter()
            .map(|n| (n.to_string(), n.to_string(), ticked_sizes.contains(&n))),
    );
    choices(
        &mut html,
        "Pipeline stages (a whole server each)",
        "pp",
        [1u32, 2, 4].into_iter().map(|n| {
            (
                n.to_string(),
                n.to_string(),
                form.pipeline_stages.contains(&n),
            )
        }),
    );
    let weights = form
        .weights
        .clone()
        .unwrap_or_else(|| form.default_weights());
    choices(
        &mut html,
        "Weights",
        "w",
        Precision::ALL.into_iter().map(|p| {
            (
                id_of(p).to_owned(),
                p.label().to_owned(),
                weights.contains(&p),
            )
        }),
    );
    choices(
        &mut html,
        "KV cache",
        "kv",
        Precision::ALL.into_iter().map(|p| {
            (
                id_of(p).to_owned(),
                p.label().to_owned(),
                form.kv_cache.contains(&p),
            )
        }),
    );
    choices(
        &mut html,
        "Serving stacks",
        "stack",
        Stack::ALL.into_iter().map(|s| {
            (
                s.id().to_owned(),
                s.label().to_owned(),
                form.stacks.contains(&s),
            )
        }),
    );
    select_field(
        &mut html,
        "own",
        "Pay by",
        [
            ("both", "renting or owning", Ownership::Both),
            ("cloud", "renting only", Ownership::Cloud),
            ("owned", "owning only", Ownership::Owned),
        ]
        .map(|(id, label, own)| (id, label, form.ownership == own)),
    );
    select_field(
        &mut html,
        "pd",
        "Disaggregated prefill and decode",
        Disaggregation::ALL.map(|d| (d.id(), d.label(), form.disaggregated == d)),
    );
    html.push_str("</fieldset>");

    // Limits and ranking.
    html.push_str("<fieldset><legend>Limits and ranking</legend>");
    let c = &form.constraints;
    number_field(
        &mut html,
        "max_gpus",
        "Accelerators in the fleet, at most",
        "GPUs",
        c.max_gpus.map(f64::from),
    );
    number_field(
        &mut html,
        "power_kw",
        "Power at the facility meter, at most",
        "kW",
        c.power_budget_kw,
    );
    number_field(
        &mut html,
        "max_co2",
        "Carbon per response, at most",
        "g CO2e",
        c.max_g_co2_per_response,
    );
    select_field(
        &mut html,
        "objective",
        "Rank by",
        Objective::ALL.map(|o| (o.id(), o.label(), form.objective == o)),
    );
    select_field(
        &mut html,
        "rank",
        "Rank by its",
        RankBy::ALL.map(|r| (r.id(), r.label(), form.rank_by == r)),
    );
    number_field(
        &mut html,
        "top",
        "Candidates to list",
        "",
        Some(f64::from(form.top)),
    );
    html.push_str(
        "<div class=\"actions\"><button type=\"submit\" id=\"search-run\">Search</button></div></fieldset></form>",
    );
    html
}

/// A picker named `name` labelled `label`, of (value, words, chosen) options.
fn select_field<'a>(
    html: &mut String,
    name: &str,
    label: &str,
    options: impl IntoIterator<Item = (&'a str, &'a str, bool)>,
) {
    let _ = write!(
        html,
        "<div class=\"field\"><label for=\"search-{name}\">{}</label><select id=\"search-{name}\" name=\"{name}\">",
        escape(label)
    );
    for (value, words, chosen) in options {
        let _ = write!(
            html,
            "<option value=\"{value}\"{}>{}</option>",
            selected(chosen),
            escape(words)
        );
    }
    html.push_str("</select></div>");
}

fn selected(yes: bool) -> &'static str {
    if yes { " selected" } else { "" }
}

fn number_field(html: &mut String, name: &str, label: &str, unit: &str, value: Option<f64>) {
    let value = value.map(|v| v.to_string()).unwrap_or_default();
    let _ = write!(
        html,
        "<div class=\"field\"><label for=\"search-{name}\">{}</label><div class=\"input-with-unit\">\
         <input id=\"search-{name}\" name=\"{name}\" type=\"text\" inputmode=\"decimal\" value=\"{}\" />\
         <span class=\"unit\">{}</span></div></div>",
        escape(label),
        escape(&value),
        escape(unit)
    );
}

/// The replica sizes the form offers: the usual ones up to a whole
/// server, the whole server, and any the link named.
fn sizes_offered(form: &SearchForm) -> Vec<u32> {
    let mut sizes = form.default_sizes();
    for &n in form.gpus_per_replica.iter().flatten() {
        if !sizes.contains(&n) {
            sizes.push(n);
        }
    }
    sizes.sort_unstable();
    sizes
}

/// A group of tick boxes named `name`.
fn choices(
    html: &mut String,
    legend: &str,
    name: &str,
    items: impl Iterator<Item = (String, String, bool)>,
) {
    let _ = write!(
        html,
        "<fieldset class=\"choices\" id=\"search-{name}\"><legend>{}</legend>",
        escape(legend)
    );
    for (value, label, ticked) in items {
        let _ = write!(
            html,
            "<label><input type=\"checkbox\" name=\"{name}\" value=\"{}\"{} /> {}</label>",
            escape(&value),
            if ticked { " checked" } else { "" },
            escape(&label)
        );
    }
    html.push_str("</fieldset>");
}

/// The answer: what was searched, the best candidates, the charts, the
/// verdicts. `query` is the search's query string, for the charts' URLs.
pub fn results(outcome: &SearchOutcome, query: &str, timing: Timing) -> String {
    let s = &outcome.size;
    let mut html = format!(
        "<p id=\"search-summary\">{} candidates ({} configurations, {} pairings of a prefill and a decode pool) searched {} in {:.0} ms; \
         <strong>{}</strong> meet every target and constraint. Ranked by {}{}.</p>",
        s.candidates,
        s.configurations,
        s.pairings,
        if timing.in_browser {
            "in your browser"
        } else {
            "on the server"
        },
        timing.ms,
        s.feasible,
        escape(outcome.objective.label()),
        ranking_words(outcome, timing.ranges_ms)
    );
    if !s.complete {
        html.push_str("<p class=\"problem\" role=\"alert\">Stopped before the end: the answer covers the candidates searched so far.</p>");
    }
    if let Some(why) = &outcome.none_feasible {
        let _ = write!(
            html,
            "<p class=\"problem\" id=\"none-feasible\" role=\"alert\">{}</p>",
            escape(why)
        );
    }
    if !outcome.best.is_empty() {
        best_table(&mut html, outcome);
        html.push_str("<div class=\"charts\">");
        for (slug, alt) in CHARTS {
            let _ = write!(
                html,
                "<figure class=\"chart\"><img id=\"chart-{slug}\" src=\"/search/{slug}.svg?{}\" alt=\"{alt}\" width=\"640\" height=\"400\" /></figure>",
                escape(query)
            );
        }
        html.push_str("</div>");
    }
    verdicts(&mut html, outcome);
    let _ = write!(
        html,
        "<form class=\"save-search\" id=\"save-search\" method=\"post\" action=\"/search/save\">\
         <label for=\"save-search-name\">Save this search as</label> \
         <input id=\"save-search-name\" name=\"name\" type=\"text\" maxlength=\"200\" required placeholder=\"e.g. Support bot, Q3 capacity\" /> \
         <input type=\"hidden\" name=\"query\" value=\"{}\" />\
         <button type=\"submit\" id=\"save-search-button\">Save</button> \
         <span class=\"hint\">for a short link that runs it again</span></form>",
        escape(query)
    );
    html
}

/// How the best were ranked, after the figure's name.
fn ranking_words(outcome: &SearchOutcome, ms: f64) -> String {
    let r = &outcome.ranking;
    if r.rank_by == RankBy::Point {
        return ", as given (no ranges drawn)".to_owned();
    }
    if r.drawn == 0 {
        return format!(
            ", as given: no candidate's ranges could be drawn, so the {} could not rank them",
            r.rank_by.label()
        );
    }
    let mut sources = Vec::new();
    if r.model_error {
        sources.push("the model's measured error".to_owned());
    }
    if r.catalogue_spread {
        sources.push("the catalogue's spreads".to_owned());
    }
    if r.inputs > 0 {
        sources.push(format!("{} range(s) of the planner's", r.inputs));
    }
    let sources = if sources.is_empty() {
        "nothing uncertain".to_owned()
    } else {
        sources.join(", ")
    };
    format!(
        ": its {} of the {} best as given, drawn in {ms:.0} ms ({} draws each, seed {}; {sources})",
        r.rank_by.label(),
        r.drawn,
        r.samples,
        r.seed
    )
}

/// The best candidates with their key figures, price source and a link to
/// open each in the planner.
fn best_table(html: &mut String, outcome: &SearchOutcome) {
    // Money in the planner's currency: every candidate carries its deployment's.
    let currency = outcome
        .best
        .first()
        .and_then(|c| c.deployment.pricing.currency.as_ref());
    let unit = tokenfab_core::currency::sign(currency)
        .trim_end()
        .to_owned();
    let _ = write!(
        html,
        "<div class=\"table-scroll\"><table class=\"comparison\" id=\"search-best\">\
         <caption>The best candidates</caption><thead><tr>\
         <th scope=\"col\">#</th><th scope=\"col\">deployment</th><th scope=\"col\">price</th>\
         <th scope=\"col\">{} expected (P10 to P90)</th>\
         <th scope=\"col\">{unit} per response</th><th scope=\"col\">{unit} per M output tokens</th>\
         <th scope=\"col\">tokens per J</th><th scope=\"col\">Wh per response</th>\
         <th scope=\"col\">g CO2e per response</th><th scope=\"col\">GPUs</th>\
         <th scope=\"col\">{unit} per month</th><th scope=\"col\">kW at load</th>\
         <th scope=\"col\">TTFT, TPOT</th><th scope=\"col\">tokens/s per user</th>\
         <th scope=\"col\"></th></tr></thead><tbody>",
        escape(outcome.objective.label())
    );
    for c in &outcome.best {
        row(html, c, outcome.objective);
    }
    html.push_str("</tbody></table></div>");
}

fn row(html: &mut String, c: &Candidate, objective: Objective) {
    let f = &c.figures;
    let currency = c.deployment.pricing.currency.as_ref();
    let money = |usd: f64| usd * tokenfab_core::currency::per_usd(currency);
    let range = c.range.map_or_else(
        || "not drawn".to_owned(),
        |r| {
            format!(
                "{} <span class=\"delta\">{} to {}; targets hold in {:.0} % of draws</span>",
                objective.show(r.expected, false, currency),
                objective.show(r.p10, false, currency),
                objective.show(r.p90, false, currency),
                r.latency_targets_hold * 100.0
            )
        },
    );
    let name = catalogue::accelerator(&c.accelerator).map_or(c.accelerator.as_str(), |a| a.name);
    let price = match (
        c.offer.mode,
        c.offer.usd_per_gpu_hour,
        c.offer.capex_usd_per_node,
    ) {
        // A catalogue price in the currency shown, its dollars beside.
        (PricingMode::Cloud, Some(rate), _) => match currency {
            Some(cur) => format!(
                "{}{:.2} per GPU-hour (${rate:.2})",
                cur.sign(),
                cur.from_usd(rate)
            ),
            None => format!("${rate:.2} per GPU-hour"),
        },
        (_, _, Some(capex)) => match currency {
            Some(cur) => format!(
                "owned, {}{:.0} a server of {} (${capex:.0})",
                cur.sign(),
                cur.from_usd(capex),
                c.deployment.hardware.gpus_per_node
            ),
            None => format!(
                "owned, ${capex:.0} a server of {}",
                c.deployment.hardware.gpus_per_node
            ),
        },
        _ => String::new(),
    };
    let source = if c.offer.source.is_empty() {
        "your price".to_owned()
    } else {
        format!("{} ({})", c.offer.source, c.offer.date)
    };
    // A rental names its provider and region; a purchase, where its price is from.
    let detail = match c.offer.mode {
        PricingMode::Cloud => &c.offer.label,
        PricingMode::OnPrem => &source,
    };
    let note = c
        .quality_note
        .as_deref()
        .map(|n| {
            format!(
                "<span class=\"delta quality\" title=\"{}\">Quantised: check quality</span>",
                escape(n)
            )
        })
        .unwrap_or_default();
    let stages = if c.pipeline_stages > 1 {
        format!(" in {} stages", c.pipeline_stages)
    } else {
        String::new()
    };
    // A disaggregated candidate names both pools; the price is the decode
    // pool's, and the prefill pool's too when its part differs.
    let (shape, prefill_price) = match &c.prefill_pool {
        Some(pool) => {
            let prefill = catalogue::accelerator(&pool.accelerator)
                .map_or(pool.accelerator.as_str(), |a| a.name);
            let other_price = if pool.accelerator == c.accelerator {
                String::new()
            } else {
                format!(
                    "<span class=\"delta\">prefill: {}</span>",
                    escape(&pool.offer.label)
                )
            };
            (
                format!(
                    "prefill {} ×{} + decode {} ×{}",
                    escape(prefill),
                    pool.gpus_per_replica,
                    escape(name),
                    c.gpus_per_replica
                ),
                other_price,
            )
        }
        None => (
            format!("{} ×{}{stages}", escape(name), c.gpus_per_replica),
            String::new(),
        ),
    };
    let _ = write!(
        html,
        "<tr><td>{}</td><td><span class=\"value\">{shape}</span><span class=\"delta\">{} weights, {} KV cache, {}</span>{note}</td>\
         <td>{}<span class=\"delta\" title=\"{}\">{}</span>{prefill_price}</td><td class=\"candidate-range\">{range}</td>\
         <td>{:.6}</td><td>{:.3}</td><td>{:.2}</td><td>{:.3}</td><td>{:.3}</td><td>{}</td><td>{:.0}</td><td>{:.1}</td>\
         <td>{:.0} ms, {:.1} ms</td><td>{:.1}</td>\
         <td><a class=\"open-in-planner\" href=\"/?scenario={}\">Open in the planner</a></td></tr>",
        c.rank,
        c.weights.label(),
        c.kv_cache.label(),
        c.stack.label(),
        escape(&price),
        escape(&source),
        escape(detail),
        money(f.cost_per_response_usd),
        money(f.usd_per_m_output),
        f.tokens_per_joule,
        f.wh_per_response,
        c.g_co2_per_response,
        f.fleet_gpus,
        money(f.fleet_usd_per_month),
        c.facility_kw_at_load,
        f.ttft_ms,
        f.tpot_ms,
        c.tokens_per_s_per_user,
        encode_deployment(&c.deployment),
    );
}

/// Every class of candidates and how it fared.
fn verdicts(html: &mut String, outcome: &SearchOutcome) {
    html.push_str(
        "<div class=\"table-scroll\"><table class=\"comparison\" id=\"search-verdicts\">\
         <caption>Why each choice won or lost</caption><thead><tr>\
         <th scope=\"col\">dimension</th><th scope=\"col\">choice</th><th scope=\"col\">candidates</th>\
         <th scope=\"col\">verdict</th></tr></thead><tbody>",
    );
    for v in &outcome.classes {
        let _ = write!(
            html,
            "<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            if v.has_winner {
                " class=\"winner\""
            } else {
                ""
            },
            escape(&v.dimension.replace('_', " ")),
            escape(&v.choice),
            v.candidates,
            escape(&v.why)
        );
    }
    html.push_str("</tbody></table></div>");
    let l = &outcome.left_out;
    let _ = write!(
        html,
        "<p id=\"search-left-out\">Left out: {} without a price, {} that do not fit in memory, {} missing a latency target, \
         {} that cannot serve the demand, {} over the GPU limit, {} over the power budget, {} over the carbon limit.</p>",
        l.no_price, l.does_not_fit, l.latency, l.demand, l.max_gpus, l.power_budget, l.carbon
    );
}
