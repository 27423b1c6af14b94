//! Fitting a deployment to a benchmark result and a power log sent as
//! text: the calibration, what was read from each file, and the power
//! trace as an SVG chart with the window and P90 marked.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::Method;
use serde_json::json;
use tokenfab_core::deployment::{Deployment, Document, PowerScope};

use super::Api;
use super::input::{body_within, evaluated, parse_json, under};
use super::operation::Operation;
use crate::charts::power_trace_svg;
use crate::error::HttpError;
use crate::service::calibrate::{self, Input, Measurements, PowerLog};
use app::api::CalibrateResponse;
use app::format::significant;
use search_page::escape;
use tokenfab_core::observed::calibrate::Calibration;

/// Largest body: a power log of about an hour of 8 GPUs every 100 ms.
/// Larger logs go through `tokenfab calibrate`, which streams them.
pub const CALIBRATE_BODY_LIMIT_BYTES: usize = 16 * 1024 * 1024;

/// An example request: a short vLLM result and an nvidia-smi log.
fn example() -> serde_json::Value {
    let bench = json!({
        "backend": "vllm", "model_id": "meta-llama/Llama-3.1-70B-Instruct", "max_concurrency": 64,
        "duration": 200.0, "completed": 1000, "total_input_tokens": 1_000_000,
        "total_output_tokens": 300_000, "request_throughput": 5.0, "output_throughput": 1500.0,
        "mean_tpot_ms": 38.2, "median_ttft_ms": 150.2, "p99_tpot_ms": 47.5,
    })
    .to_string();
    let mut log =
        String::from("timestamp, index, power.draw [W], utilization.gpu [%], memory.used [MiB]\n");
    for second in 0..6 {
        for gpu in 0..4 {
            let watts = if second == 0 {
                120.0
            } else {
                560.0 + f64::from(gpu * 5 + second)
            };
            log.push_str(&format!(
                "2024/05/01 12:00:{second:02}.{gpu:03}, {gpu}, {watts:.2} W, 97 %, 74213 MiB\n"
            ));
        }
    }
    json!({
        "scenario": Deployment::example(),
        "bench": bench,
        "power_log": log,
        "window": { "from_s": 1.0 },
        "scope": "gpu",
        "statistic": "p90",
    })
}

/// Adds the calibration route to `api`.
pub fn routes(api: Api) -> Api {
    api.add_with_body_limit(
        Operation::new(Method::POST, "/api/v1/calibrate", "calibrate", "Evaluate", "Fit a deployment to a benchmark and a power log")
            .describe("Send the deployment that ran, the serving benchmark's result as text (vLLM `--save-result` JSON or SGLang's JSON lines) and, optionally, the power log of the same run as text (nvidia-smi, amd-smi or rocm-smi CSV), with the window of the run to use (without one, the benchmark's run when its result says when it ended, as vLLM's `date` does, and the log's timestamps hold it). Answers what the files measured (throughput, mean/P50/P90 power, energy per token), the speed, prefill and power factors fitted so the model reproduces the measurements, measured against modeled before and after, the fitted deployment (its what-ifs inherit the factors), the measurements as a measured level, what was read from each file, and the power trace as SVG. Bodies up to 16 MiB; stream larger logs through `tokenfab calibrate`.")
            .body::<CalibrateRequest>(example())
            .json::<CalibrateResponse>(200, "The calibration.")
            .problems(&[(400, "Malformed JSON."), (413, "Body over 16 MiB."), (422, "The deployment has a bad field, a file does not read (naming its line or key), the benchmark gives no concurrency, or the power is below idle.")]),
        calibrate_handler,
        CALIBRATE_BODY_LIMIT_BYTES,
    )
}

/// Body of a calibration, as read: the deployment as written.
type CalibrateRequest = app::api::CalibrateRequest<Document>;

async fn calibrate_handler(
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<CalibrateResponse>, HttpError> {
    let CalibrateRequest {
        scenario,
        bench,
        power_log,
        window,
        scope,
        statistic,
    } = parse_json(&body_within(body, CALIBRATE_BODY_LIMIT_BYTES)?)?;
    let scenario = scenario
        .resolve()
        .map_err(|e| under("scenario.", e.into()))?;
    evaluated(&scenario).map_err(|e| under("scenario.", e))?;
    let request = app::api::CalibrateRequest {
        scenario,
        bench,
        power_log,
        window,
        scope,
        statistic,
    };
    // Reading a large log is work: off the async threads.
    tokio::task::spawn_blocking(move || answer(request))
        .await
        .map_err(|e| HttpError::Internal(e.to_string()))?
        .map(Json)
}

/// The fit of `request`, its account as HTML and the power trace: what the
/// API answers and the calibration page shows. Blocking: reads the files.
///
/// # Errors
/// 422 naming the file (`bench`, `power_log`) or the field that stops the fit.
pub fn answer(request: app::api::CalibrateRequest) -> Result<CalibrateResponse, HttpError> {
    let measurements = Measurements {
        bench: &request.bench,
        power: request.power_log.as_deref().map(PowerLog::Text),
        window: request.window,
        scope: request.scope.unwrap_or(PowerScope::Gpu),
        statistic: request.statistic,
    };
    let fitted = calibrate::fit(&request.scenario, measurements).map_err(|e| {
        let field = match e.input {
            Input::Bench => "bench".to_owned(),
            Input::PowerLog => "power_log".to_owned(),
            Input::Fit => e.field.clone().unwrap_or_else(|| "scenario".to_owned()),
        };
        let message = match e.input {
            Input::Fit => e.message,
            _ => format!("{field}: {}", e.message),
        };
        HttpError::Invalid {
            message,
            field: Some(field),
        }
    })?;
    let power_chart_svg = match &fitted.power {
        Some(summary) => {
            Some(power_trace_svg(summary).map_err(|e| HttpError::Internal(e.to_string()))?)
        }
        None => None,
    };
    Ok(CalibrateResponse {
        outcome_html: outcome_html(&fitted.calibration),
        calibration: fitted.calibration,
        bench: fitted.bench,
        power: fitted.power,
        power_chart_svg,
    })
}

/// The fit as the planner shows it: what the files say, the factors, each
/// figure measured against modeled before and after, and the notes.
fn outcome_html(c: &Calibration) -> String {
    let factor = |name: &str, f: Option<f64>| {
        f.map(|f| format!(", {name} \u{d7}{}", significant(f, 3)))
            .unwrap_or_default()
    };
    let more_factors = factor("prefill", c.prefill_factor) + &factor("power", c.power_factor);
    let power_figures = c
        .observed
        .power
        .as_ref()
        .map(|p| {
            format!(
                " Power of the log's {} GPUs: mean {} W, median {} W, P90 {} W; {} J per output token (mean), {} million tokens/kWh.",
                p.gpus,
                significant(p.mean_w, 4),
                significant(p.p50_w, 4),
                significant(p.p90_w, 4),
                significant(p.joules_per_output_token, 3),
                significant(p.tokens_per_kwh / 1e6, 3)
            )
        })
        .unwrap_or_default();
    let mut html = format!(
        "<p id=\"measured-figures\">Measured: {} output and {} prompt tokens/s.{power_figures}</p>\
         <p id=\"calibration-factors\">Speed \u{d7}{}{more_factors} at {} requests in flight ({}).</p>\
         <div class=\"table-scroll\"><table class=\"comparison\" id=\"calibration-table\"><thead><tr><th scope=\"col\"></th>\
         <th scope=\"col\">measured</th><th scope=\"col\">model before</th><th scope=\"col\">model after</th></tr></thead><tbody>",
        significant(c.observed.output_tokens_per_s, 4),
        significant(c.observed.input_tokens_per_s, 4),
        significant(c.speed_factor, 3),
        significant(c.concurrency, 3),
        escape(&c.concurrency_source)
    );
    for row in &c.comparisons {
        html.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&row.figure),
            significant(row.measured, 3),
            significant(row.modeled_before, 3),
            significant(row.modeled_after, 3)
        ));
    }
    html.push_str("</tbody></table></div><ul>");
    for note in &c.notes {
        html.push_str(&format!("<li>{}</li>", escape(note)));
    }
    html.push_str("</ul>");
    html
}
