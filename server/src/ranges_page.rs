//! The `/ranges` page: how sure each figure is, and where to say how sure
//! you are of the inputs. The query string is the whole question (the
//! deployment and its ranges), so the server answers it without script and
//! the link can be kept or sent; the planner shows the same ranges beside
//! its figures.

use std::fmt::Write as _;

use axum::Router;
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use leptos::nonce::Nonce;
use search_page::encode_deployment;
use search_page::render::{document_head, escape};
use tokenfab_core::currency::Currency;
use tokenfab_core::deployment::Deployment;
use tokenfab_core::deployment::fields;
use tokenfab_core::uncertainty::{InputRange, Ranges, RangesReport, evaluate_ranges};

use crate::AppState;
use crate::api::input::{check_query_length, decode_deployment};
use crate::cli::ranges::number;
use crate::error::HttpError;

/// Blank rows the form offers for new ranges.
const BLANK_ROWS: usize = 2;

/// The ranges page's route.
pub fn router() -> Router<AppState> {
    Router::new().route("/ranges", get(page))
}

/// The page for the deployment and ranges in the query.
async fn page(uri: Uri) -> Result<Response, HttpError> {
    check_query_length(&uri)?;
    let query = uri.query().unwrap_or_default().to_owned();
    let (deployment, answer) = tokio::task::spawn_blocking(move || match read(&query) {
        Ok(d) => {
            let answer = evaluate_ranges(&d).map_err(|e| e.to_string());
            (d, answer)
        }
        Err(e) => (Deployment::example(), Err(e)),
    })
    .await
    .map_err(|e| HttpError::Internal(e.to_string()))?;
    let status = if answer.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let nonce = Nonce::new();
    Ok((
        status,
        [(
            header::CONTENT_SECURITY_POLICY,
            crate::hardening::page_policy(&nonce.to_string()),
        )],
        Html(render(&deployment, &answer)),
    )
        .into_response())
}

/// The deployment the query describes: `scenario` (URL-safe base64 JSON,
/// as the planner's links carry it; the planner's example when absent),
/// its ranges replaced by the form's when it was sent (`sent=1`): rows of
/// `in`, `lo` and `hi` (blank rows skipped), `model_error`, `catalogue`, `samples`,
/// `seed` and `budget_kw`.
///
/// # Errors
/// A field that does not read, named as in the form.
fn read(query: &str) -> Result<Deployment, String> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let all = |name: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let one = |name: &str| all(name).first().copied().filter(|v| !v.trim().is_empty());
    let mut d = match one("scenario") {
        Some(text) => decode_deployment("scenario", text).map_err(|e| e.to_string())?,
        None => Deployment::example(),
    };
    if one("sent").is_none() {
        return Ok(d);
    }
    let number = |name: &str, text: &str| {
        text.trim()
            .parse::<f64>()
            .map_err(|_| format!("{name}: {text:?} is not a number"))
    };
    let (inputs, lows, highs) = (all("in"), all("lo"), all("hi"));
    let mut ranges = Ranges {
        model_error: one("model_error").is_some(),
        catalogue_spread: one("catalogue").is_some(),
        ..Ranges::default()
    };
    for (i, input) in inputs.iter().enumerate() {
        let (lo, hi) = (
            lows.get(i).copied().unwrap_or_default(),
            highs.get(i).copied().unwrap_or_default(),
        );
        if input.trim().is_empty() || (lo.trim().is_empty() && hi.trim().is_empty()) {
            continue;
        }
        ranges.inputs.push(InputRange {
            input: (*input).to_owned(),
            low: number(&format!("lo[{i}]"), lo)?,
            high: number(&format!("hi[{i}]"), hi)?,
        });
    }
    if let Some(text) = one("samples") {
        let n = number("samples", text)?;
        if n.fract() != 0.0 || !(1.0..=f64::from(u32::MAX)).contains(&n) {
            return Err(format!("samples: {text:?} is not a whole number of draws"));
        }
        ranges.samples = Some(n as u32);
    }
    if let Some(text) = one("seed") {
        ranges.seed = Some(
            text.trim()
                .parse::<u64>()
                .map_err(|_| format!("seed: {text:?} is not a whole number from 0"))?,
        );
    }
    if let Some(text) = one("budget_kw") {
        ranges.power_budget_kw = Some(number("budget_kw", text)?);
    }
    d.ranges = Some(ranges);
    Ok(d)
}

/// What people read for each figure of the ranges.
fn figure_words(figure: &str) -> &'static str {
    match figure {
        "cost_per_response_usd" => "Cost per meaningful response",
        "usd_per_m_input" => "Input tokens, per million",
        "usd_per_m_output" => "Output tokens, per million",
        "tokens_per_usd" => "Tokens per unit of money",
        "tokens_per_joule" => "Energy efficiency",
        "wh_per_response" => "Energy per response",
        "g_co2_per_response" => "Carbon per response",
        "ttft_ms" => "Time to first token",
        "tpot_ms" => "Time per output token",
        "fleet_gpus" => "Fleet",
        "fleet_usd_per_month" => "Monthly cost",
        "facility_kw_at_load" => "Power at the facility meter, every accelerator busy",
        "concurrency" => "Sequences per replica",
        _ => "",
    }
}

/// The whole page.
fn render(d: &Deployment, answer: &Result<RangesReport, String>) -> String {
    let mut with_ranges = d.clone();
    with_ranges.ranges.get_or_insert_with(Ranges::default);
    let planner = format!("/?scenario={}", encode_deployment(&with_ranges));
    let answer_html = match answer {
        Ok(report) => report_html(report, d.pricing.currency.as_ref()),
        Err(message) => format!(
            "<p class=\"problem\" id=\"ranges-problem\" role=\"alert\">{}</p>",
            escape(message)
        ),
    };
    format!(
        "{head}<main class=\"page\" id=\"ranges-page\">\
         <header class=\"masthead\"><h1>How sure is this?</h1>\
         <p class=\"tagline\">Give a low and a high for any input you are unsure of; the value in the planner stays the most likely one. \
         Every draw evaluates the whole deployment again, with the performance model's own error as published measurements show it, so each figure gets its P10 to P90 and each decision its odds. \
         The link of this page is the question: bookmark it or send it.</p>\
         <p><a id=\"open-planner\" href=\"{planner}\">Open in the planner with these ranges</a> · <a href=\"/accuracy\">How accurate is the model?</a> · <a href=\"/api/docs#ranges\">the same over the API</a></p></header>\
         {form}<section class=\"outputs\" aria-labelledby=\"ranges-title\"><h2 id=\"ranges-title\">Ranges</h2>{answer_html}</section>\
         </main></body></html>",
        head = document_head(
            "How sure is this? tokenfab",
            "The range of each figure of a deployment: P10, P50, P90 and the odds of the decisions."
        ),
        planner = escape(&planner),
        form = form_html(d),
    )
}

/// The form: the deployment carried along, a row per range and blank rows.
fn form_html(d: &Deployment) -> String {
    let ranges = d.ranges.clone().unwrap_or_default();
    let mut plain = d.clone();
    plain.ranges = None;
    let mut html = format!(
        "<form class=\"inputs\" id=\"ranges-form\" method=\"get\" action=\"/ranges\">\
         <input type=\"hidden\" name=\"sent\" value=\"1\" />\
         <input type=\"hidden\" name=\"scenario\" value=\"{}\" />\
         <fieldset><legend>Your ranges</legend>{}",
        escape(&encode_deployment(&plain)),
        // Ranges on prices are kept as the prices are: in US dollars.
        d.pricing.currency.as_ref().map_or(String::new(), |c| format!(
            "<p class=\"hint\" id=\"ranges-currency\">Prices and their ranges here are in US dollars, as the scenario keeps them; \
             the figures are shown in {} at {} per dollar.</p>",
            escape(&c.code),
            number(c.per_usd)
        ))
    );
    let rows = ranges
        .inputs
        .iter()
        .map(|r| (r.input.as_str(), r.low.to_string(), r.high.to_string()))
        .chain(std::iter::repeat_n(
            ("", String::new(), String::new()),
            BLANK_ROWS,
        ));
    for (i, (input, low, high)) in rows.enumerate() {
        let given = fields::by_path(input)
            .and_then(|f| f.get(d))
            .map_or(String::new(), |v| format!(" (now {v})"));
        let _ = write!(
            html,
            "<div class=\"row\"><label for=\"range-in-{i}\">Input{given}</label>\
             <select id=\"range-in-{i}\" name=\"in\"><option value=\"\"></option>"
        );
        for f in fields::ALL {
            let _ = write!(
                html,
                "<option value=\"{p}\"{s}>{n}</option>",
                p = f.path(),
                s = if f.path() == input { " selected" } else { "" },
                n = escape(f.words.name)
            );
        }
        let _ = write!(
            html,
            "</select><label for=\"range-lo-{i}\">Low</label><input id=\"range-lo-{i}\" name=\"lo\" type=\"text\" inputmode=\"decimal\" value=\"{}\" />\
             <label for=\"range-hi-{i}\">High</label><input id=\"range-hi-{i}\" name=\"hi\" type=\"text\" inputmode=\"decimal\" value=\"{}\" /></div>",
            escape(&low),
            escape(&high)
        );
    }
    let optional = |v: Option<String>| v.unwrap_or_default();
    let _ = write!(
        html,
        "<label class=\"check\"><input type=\"checkbox\" id=\"range-model-error\" name=\"model_error\" value=\"1\"{}/> Include the performance model's measured error</label>\
         <label class=\"check\"><input type=\"checkbox\" id=\"range-catalogue\" name=\"catalogue\" value=\"1\"{}/> Include the catalogue's spread on the figures taken from it (by each source's confidence)</label>\
         <div class=\"row\"><label for=\"range-samples\">Draws</label><input id=\"range-samples\" name=\"samples\" type=\"text\" inputmode=\"numeric\" value=\"{}\" placeholder=\"1000\" />\
         <label for=\"range-seed\">Seed</label><input id=\"range-seed\" name=\"seed\" type=\"text\" inputmode=\"numeric\" value=\"{}\" />\
         <label for=\"range-budget\">Power budget, kW</label><input id=\"range-budget\" name=\"budget_kw\" type=\"text\" inputmode=\"decimal\" value=\"{}\" /></div>\
         </fieldset><button type=\"submit\" id=\"ranges-draw\">Draw</button></form>",
        if ranges.model_error { " checked" } else { "" },
        if ranges.catalogue_spread {
            " checked"
        } else {
            ""
        },
        optional(ranges.samples.map(|n| n.to_string())),
        optional(ranges.seed.map(|n| n.to_string())),
        optional(ranges.power_budget_kw.map(|v| v.to_string())),
    );
    html
}

/// The ranges, the odds, where the spread comes from and each input's share.
fn report_html(r: &RangesReport, currency: Option<&Currency>) -> String {
    let mut html = format!(
        "<p id=\"ranges-summary\">{} draws (seed {}), {} evaluated.{}</p>\
         <div class=\"table-scroll\"><table class=\"comparison\" id=\"ranges-figures\"><caption>Each figure</caption><thead><tr>\
         <th scope=\"col\">figure</th><th scope=\"col\">as given</th><th scope=\"col\">expected</th>\
         <th scope=\"col\">P10</th><th scope=\"col\">P50</th><th scope=\"col\">P90</th><th scope=\"col\">unit</th></tr></thead><tbody>",
        r.samples,
        r.seed,
        r.evaluated,
        r.first_failure
            .as_ref()
            .map_or(String::new(), |why| format!(
                " Some draws could not be evaluated; the first because {}",
                escape(why)
            )),
    );
    for f in &r.figures {
        // Money, figured in US dollars, shown in the scenario's currency.
        let (scale, unit) = match currency {
            Some(c) if f.figure == "tokens_per_usd" => (
                1.0 / c.per_usd,
                f.unit.replace("/$", &format!("/{}", c.code)),
            ),
            Some(c) if f.unit.starts_with('$') => (c.per_usd, f.unit.replacen('$', &c.code, 1)),
            _ => (1.0, f.unit.clone()),
        };
        let _ = write!(
            html,
            "<tr id=\"range-{}\"><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&f.figure),
            figure_words(&f.figure),
            number(f.point * scale),
            number(f.expected * scale),
            number(f.p10 * scale),
            number(f.p50 * scale),
            number(f.p90 * scale),
            escape(&unit)
        );
    }
    let p = &r.probabilities;
    let _ = write!(
        html,
        "</tbody></table></div><p id=\"ranges-odds\">The latency targets hold in {:.0} % of the draws; owning costs less than renting by month 24 in {:.0} %{}.</p>\
         <div class=\"table-scroll\"><table class=\"comparison\" id=\"ranges-sources\"><caption>Where the spread comes from, largest share of the cost per response's spread first (prices in US dollars)</caption><thead><tr>\
         <th scope=\"col\">input</th><th scope=\"col\">low (P10)</th><th scope=\"col\">as given</th><th scope=\"col\">high (P90)</th>\
         <th scope=\"col\">share of the cost's spread</th><th scope=\"col\">from</th></tr></thead><tbody>",
        p.latency_targets_hold * 100.0,
        p.owning_cheaper_by_month_24 * 100.0,
        p.within_power_budget.map_or(String::new(), |w| format!(
            "; the fleet fits the power budget in {:.0} %",
            w * 100.0
        )),
    );
    let share = |input: &str| {
        r.contributions
            .iter()
            .find(|c| c.input == input)
            .map_or(0.0, |c| c.share_of_variance)
    };
    let mut sources: Vec<_> = r.sources.iter().collect();
    sources.sort_by(|a, b| share(&b.input).total_cmp(&share(&a.input)));
    for s in sources {
        let _ = write!(
            html,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{:.0} %</td><td>{}</td></tr>",
            escape(&s.what),
            number(s.low),
            number(s.expected),
            number(s.high),
            share(&s.input) * 100.0,
            escape(&s.from)
        );
    }
    html.push_str(
        "</tbody></table></div><p class=\"hint\">A share is the input's squared correlation with the cost per response over the draws, the shares scaled to add to 100 %: what moving that input alone explains, to first order.</p>",
    );
    html
}
