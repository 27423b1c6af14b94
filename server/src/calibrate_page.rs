//! `/calibrate`: fit the planner's deployment to a serving benchmark's
//! result and the power log of the same run. A plain form the server
//! answers (files chosen or dropped on their boxes, or text pasted;
//! `/calibrate.js` also takes files dropped or pasted anywhere on it), so
//! the planner's bundle carries none of it. The answer shows the fit and
//! the power trace, with links that open the planner on the fitted
//! deployment, with or without the measured values.

use std::fmt::Write as _;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Query};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use leptos::nonce::Nonce;
use search_page::encode_deployment;
use search_page::render::{document_head, escape};
use serde::Deserialize;
use tokenfab_core::deployment::{Deployment, PowerScope, fields};
use tokenfab_core::observed::power_log::Window;

use crate::AppState;
use crate::api::calibrate::{CALIBRATE_BODY_LIMIT_BYTES, answer};
use crate::api::input::{check_query_length, decode_deployment, evaluated};
use crate::error::HttpError;
use app::api::{CalibrateRequest, CalibrateResponse};

/// The page's route: GET shows the form, POST (multipart) fits.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/calibrate",
        get(page)
            .post(fit)
            .layer(DefaultBodyLimit::max(CALIBRATE_BODY_LIMIT_BYTES)),
    )
}

/// The form as sent (or as it starts): what is shown again with an answer.
#[derive(Default)]
struct Filled {
    /// The deployment that ran, URL-safe base64 JSON as the planner sends it.
    scenario: String,
    /// The benchmark's text, pasted (a chosen file is not shown again).
    bench_text: String,
    /// The power log's text, pasted.
    power_text: String,
    from: String,
    to: String,
    /// `gpu`, `server` or `facility`.
    scope: String,
    /// `p90`, `p50` or `mean`.
    statistic: String,
}

#[derive(Deserialize)]
struct PageQuery {
    scenario: Option<String>,
}

async fn page(uri: axum::http::Uri) -> Result<Response, HttpError> {
    check_query_length(&uri)?;
    let scenario = Query::<PageQuery>::try_from_uri(&uri)
        .ok()
        .and_then(|Query(q)| q.scenario)
        .unwrap_or_else(|| encode_deployment(&Deployment::example()));
    // A deployment that does not read is said at once, above the form.
    let problem = decode_deployment("scenario", &scenario)
        .and_then(|d| evaluated(&d).map(|_| ()))
        .err()
        .map(|e| e.to_string());
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let filled = Filled {
        scenario,
        ..Filled::default()
    };
    let answer = problem.map(Err);
    Ok(respond(status, &render(&filled, answer.as_ref())))
}

async fn fit(
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let (filled, request) = match read(multipart).await {
        Ok(read) => read,
        Err((filled, e)) => {
            let status = e.status_code();
            return respond(status, &render(&filled, Some(&Err(e.to_string()))));
        }
    };
    let fitted = tokio::task::spawn_blocking(move || answer(request))
        .await
        .unwrap_or_else(|e| Err(HttpError::Internal(e.to_string())));
    match fitted {
        Ok(response) => respond(StatusCode::OK, &render(&filled, Some(&Ok(response)))),
        Err(e) => respond(e.status_code(), &render(&filled, Some(&Err(e.to_string())))),
    }
}

/// The page as HTML with its status and policy (scripts from this site
/// only: the theme and the drop zone).
fn respond(status: StatusCode, html: &str) -> Response {
    let nonce = Nonce::new();
    (
        status,
        [(
            header::CONTENT_SECURITY_POLICY,
            crate::hardening::page_policy(&nonce.to_string()),
        )],
        Html(html.to_owned()),
    )
        .into_response()
}

/// Reads the multipart form: the fields to show again, and the request to
/// fit; or what to show and the first problem, naming its field.
async fn read(
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(Filled, CalibrateRequest), (Filled, HttpError)> {
    let mut filled = Filled::default();
    let malformed = |message: String, field: &str| HttpError::Malformed {
        message,
        field: Some(field.to_owned()),
    };
    let mut multipart = match multipart {
        Ok(m) => m,
        Err(e) => {
            return Err((
                filled,
                malformed(format!("form: {}", e.body_text()), "form"),
            ));
        }
    };
    let (mut bench_file, mut power_file) = (String::new(), String::new());
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err((filled, unreadable(&e, "form"))),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(e) => return Err((filled, unreadable(&e, &name))),
        };
        // As a browser reads a chosen file as text: bytes that are not UTF-8
        // become U+FFFD, and a byte-order mark is dropped.
        let text = String::from_utf8_lossy(&bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned();
        match name.as_str() {
            "scenario" => filled.scenario = text,
            "bench_file" => bench_file = text,
            "bench_text" => filled.bench_text = text,
            "power_file" => power_file = text,
            "power_text" => filled.power_text = text,
            "from" => filled.from = text,
            "to" => filled.to = text,
            "scope" => filled.scope = text,
            "statistic" => filled.statistic = text,
            // Anything else a browser or a script adds is not ours to read.
            _ => {}
        }
    }
    let request = request(&filled, bench_file, power_file);
    match request {
        Ok(request) => Ok((filled, request)),
        Err(e) => Err((filled, e)),
    }
}

/// Why a part of the form did not read: over the size limit (413), or
/// not a well-formed multipart body (400), naming the part.
fn unreadable(e: &axum::extract::multipart::MultipartError, part: &str) -> HttpError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        HttpError::TooLarge {
            limit_bytes: CALIBRATE_BODY_LIMIT_BYTES,
        }
    } else {
        HttpError::Malformed {
            message: format!("{part}: {}", e.body_text()),
            field: Some(part.to_owned()),
        }
    }
}

/// The calibration `filled` asks for; a chosen file wins over pasted text.
fn request(
    filled: &Filled,
    bench_file: String,
    power_file: String,
) -> Result<CalibrateRequest, HttpError> {
    let scenario = decode_deployment("scenario", &filled.scenario)?;
    evaluated(&scenario)?;
    let chosen = |file: String, pasted: &str| {
        if file.trim().is_empty() {
            pasted.to_owned()
        } else {
            file
        }
    };
    let bench = chosen(bench_file, &filled.bench_text);
    if bench.trim().is_empty() {
        return Err(HttpError::Invalid {
            message: "bench: choose the benchmark's result file, or paste its text".to_owned(),
            field: Some("bench".to_owned()),
        });
    }
    let power = chosen(power_file, &filled.power_text);
    let seconds = |text: &str, field: &str| -> Result<Option<f64>, HttpError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Some)
            .ok_or_else(|| HttpError::Invalid {
                message: format!(
                    "{field}: {text:?} is not a number of seconds from the log's start"
                ),
                field: Some(field.to_owned()),
            })
    };
    Ok(CalibrateRequest {
        scenario,
        bench,
        power_log: (!power.trim().is_empty()).then_some(power),
        window: Window {
            from_s: seconds(&filled.from, "from")?,
            to_s: seconds(&filled.to, "to")?,
        },
        scope: Some(choice(&filled.scope, "scope")?.unwrap_or(PowerScope::Gpu)),
        statistic: choice(&filled.statistic, "statistic")?.unwrap_or_default(),
    })
}

/// A `<select>`'s value read as the enum its options name (serde's names);
/// none when not sent.
fn choice<T: serde::de::DeserializeOwned>(text: &str, field: &str) -> Result<Option<T>, HttpError> {
    if text.is_empty() {
        return Ok(None);
    }
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map(Some)
        .map_err(|_| HttpError::Invalid {
            message: format!("{field}: no choice {text:?}"),
            field: Some(field.to_owned()),
        })
}

/// The options of a `<select>`, the one `chosen` (or the first) selected.
fn options(choices: &[(&str, &str)], chosen: &str) -> String {
    let mut html = String::new();
    for (i, (value, words)) in choices.iter().enumerate() {
        let selected = *value == chosen || (chosen.is_empty() && i == 0);
        let _ = write!(
            html,
            "<option value=\"{value}\"{}>{words}</option>",
            if selected { " selected" } else { "" }
        );
    }
    html
}

/// The whole page: the form as `filled`, and the answer when there is one.
fn render(filled: &Filled, answer: Option<&Result<CalibrateResponse, String>>) -> String {
    let scenario = escape(&filled.scenario);
    let answer_html = match answer {
        None => String::new(),
        Some(Err(message)) => format!(
            "<p class=\"problem\" id=\"calibrate-error\" role=\"alert\">{}</p>",
            escape(message)
        ),
        Some(Ok(response)) => outcome(response),
    };
    let scopes = options(
        &[
            ("gpu", "GPUs only"),
            ("server", "whole servers"),
            ("facility", "facility meter"),
        ],
        &filled.scope,
    );
    let statistics = options(
        &[
            ("p90", "P90 (plan for it)"),
            ("p50", "median"),
            ("mean", "mean (the energy bill)"),
        ],
        &filled.statistic,
    );
    format!(
        "{head}<main class=\"page\" id=\"calibrate-page\">\
         <header class=\"masthead\"><h1>Fit to your measurements</h1>\
         <p class=\"tagline\">A serving benchmark's result (vLLM or SGLang JSON) and the power log of the same run (nvidia-smi, amd-smi or rocm-smi CSV). \
         The model is fitted to reproduce them; the planner then opens with the fitted factors. \
         Without a window, a vLLM result's date places its run in the log; set one to keep only the steady part.</p>\
         <p><a id=\"back-to-planner\" href=\"/?scenario={scenario}\">Back to the planner</a> · <a href=\"/api/docs#calibrate\">the same fit over the API</a></p></header>\
         <form class=\"panel-like calibrate-form\" id=\"calibrate-form\" method=\"post\" action=\"/calibrate\" enctype=\"multipart/form-data\">\
         <input type=\"hidden\" name=\"scenario\" value=\"{scenario}\" />\
         <p>Choose the files, drop them on the form, or paste them (Ctrl+V).</p>\
         <div class=\"grid\">\
         <div class=\"field\"><label for=\"bench-file\">Benchmark result</label><input type=\"file\" id=\"bench-file\" name=\"bench_file\" accept=\".json,.jsonl,application/json\" /></div>\
         <div class=\"field\"><label for=\"power-file\">Power log (optional)</label><input type=\"file\" id=\"power-file\" name=\"power_file\" accept=\".csv,.txt,text/csv\" /></div>\
         </div>\
         <details class=\"more\" id=\"paste-boxes\"{open}><summary>Or paste their text</summary>\
         <div class=\"field\"><label for=\"bench-text\">Benchmark result, as text</label><textarea id=\"bench-text\" name=\"bench_text\" rows=\"4\" spellcheck=\"false\">{bench_text}</textarea></div>\
         <div class=\"field\"><label for=\"power-text\">Power log, as text</label><textarea id=\"power-text\" name=\"power_text\" rows=\"4\" spellcheck=\"false\">{power_text}</textarea></div>\
         </details>\
         <p id=\"measurements-chosen\" role=\"status\"></p>\
         <div class=\"grid\">\
         <div class=\"field\"><label for=\"window-from\">Window from, s</label><input id=\"window-from\" name=\"from\" type=\"text\" inputmode=\"decimal\" placeholder=\"start of the run\" value=\"{from}\" /></div>\
         <div class=\"field\"><label for=\"window-to\">Window to, s</label><input id=\"window-to\" name=\"to\" type=\"text\" inputmode=\"decimal\" placeholder=\"end of the run\" value=\"{to}\" /></div>\
         <div class=\"field\"><label for=\"power-scope\">Power measured at</label><select id=\"power-scope\" name=\"scope\">{scopes}</select></div>\
         <div class=\"field\"><label for=\"power-statistic\">Power to fit</label><select id=\"power-statistic\" name=\"statistic\">{statistics}</select></div>\
         </div>\
         <button type=\"submit\" id=\"calibrate-button\">Fit</button>\
         </form>\
         <section class=\"outputs\" id=\"calibration\" aria-label=\"The fit\">{answer_html}</section>\
         </main><script src=\"/calibrate.js\"></script></body></html>",
        head = document_head(
            "Fit to your measurements: tokenfab",
            "Fit the planner's model to a serving benchmark and a power log."
        ),
        open = if filled.bench_text.is_empty() && filled.power_text.is_empty() {
            ""
        } else {
            " open"
        },
        bench_text = escape(&filled.bench_text),
        power_text = escape(&filled.power_text),
        from = escape(&filled.from),
        to = escape(&filled.to),
    )
}

/// The fit: the power trace, the account, and the planner opened on it.
fn outcome(response: &CalibrateResponse) -> String {
    let c = &response.calibration;
    let fitted = encode_deployment(&c.fitted);
    let mut with_measured = c.fitted.clone();
    // Setting an optional field of the registry cannot fail.
    let _ = fields::MEASURED_TOKENS.set(&mut with_measured, c.measured.output_tokens_per_s);
    let _ = fields::MEASURED_WATTS.set(&mut with_measured, c.measured.watts);
    if let Some(m) = with_measured.measured.as_mut() {
        m.scope = c.measured.scope;
    }
    let chart = response.power_chart_svg.as_ref().map_or(String::new(), |svg| {
        format!(
            "<img id=\"power-trace\" width=\"640\" height=\"360\" src=\"data:image/svg+xml;base64,{}\" \
             alt=\"The power log's summed draw over the run, with the window used shaded and its P90 marked\" />",
            base64::engine::general_purpose::STANDARD.encode(svg)
        )
    });
    format!(
        "<h2>The fit</h2>{chart}{account}\
         <p><a class=\"button\" id=\"apply-calibration\" href=\"/?scenario={fitted}\">Open the planner with the fitted factors</a> \
         <a id=\"apply-measured\" href=\"/?scenario={measured}\">Open it with the measured values too</a></p>",
        account = response.outcome_html,
        measured = encode_deployment(&with_measured),
    )
}
