//! A serving benchmark's result: the JSON `vllm bench serve` (formerly
//! `benchmark_serving.py --save-result`) writes, one object or several
//! with `--append-result`, or SGLang's `bench_serving` output (JSON lines
//! appended per run). The last run is read. Both carry the run's duration,
//! requests completed, input and output tokens, and latency statistics
//! named `{mean,median,std,pNN}_{metric}_ms`; vLLM writes no input rate
//! (it is derived), SGLang writes a bare `Infinity` for an unlimited
//! request rate (read as no value).

use std::collections::BTreeMap;

use super::power_log::RunSpan;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A benchmark result that cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{message}", .line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct BenchError {
    /// 1-based line of a JSON syntax error.
    pub line: Option<usize>,
    /// What is wrong, naming the key.
    pub message: String,
}

/// Latency statistics of one metric, ms: mean, median and the percentiles
/// the run recorded (`p99`, `p90`, ...).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Latency {
    /// Mean, ms.
    pub mean_ms: Option<f64>,
    /// Median, ms.
    pub median_ms: Option<f64>,
    /// Percentiles by name (`p90`, `p99`), ms.
    pub percentiles_ms: BTreeMap<String, f64>,
}

/// What a serving benchmark measured.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BenchSummary {
    /// The tool that wrote it, as far as its keys tell: `vllm` or `sglang`.
    pub tool: String,
    /// The model it names, if any.
    pub model: Option<String>,
    /// Seconds the run lasted.
    pub duration_s: f64,
    /// When the result was written, just after the run (vLLM's `date`, to
    /// the second): ms since the epoch, the local time read as if UTC.
    #[serde(default)]
    pub ended_at_ms: Option<i64>,
    /// Requests completed.
    pub completed: f64,
    /// Requests per second.
    pub requests_per_s: f64,
    /// Prompt tokens per second.
    pub input_tokens_per_s: f64,
    /// Generated tokens per second.
    pub output_tokens_per_s: f64,
    /// Mean prompt length, tokens.
    pub mean_input_tokens: f64,
    /// Mean generated length, tokens.
    pub mean_output_tokens: f64,
    /// The client's cap on requests in flight, if it set one.
    pub max_concurrency: Option<f64>,
    /// Requests in flight on average: as SGLang measures it, or by
    /// Little's law from the request rate and mean latency (vLLM).
    pub mean_concurrency: Option<f64>,
    /// Time to first token.
    pub ttft: Latency,
    /// Time per output token (after the first).
    pub tpot: Latency,
    /// Inter-token latency.
    pub itl: Latency,
    /// End-to-end request latency.
    pub e2e: Latency,
}

impl BenchSummary {
    /// When the run went on, if the result says when it ended: from its
    /// duration before that to then.
    #[must_use]
    pub fn run_span(&self) -> Option<RunSpan> {
        self.ended_at_ms.map(|end_ms| RunSpan {
            start_ms: end_ms - (self.duration_s * 1000.0).round() as i64,
            end_ms,
        })
    }
}

/// Reads a benchmark result: one JSON object, or JSON lines of which the
/// last is read.
///
/// # Errors
/// Text that is not JSON (with its line), or a result without the run's
/// duration, completed requests and token counts (naming the key).
pub fn read(text: &str) -> Result<BenchSummary, BenchError> {
    let text = &python_numbers_as_null(text);
    let object = match serde_json::from_str::<Value>(text) {
        Ok(value) => value,
        Err(whole) => {
            // JSON lines (a first line that is a whole object): the last
            // non-empty line is the latest run.
            let mut lines = text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty());
            let first_is_whole = lines
                .next()
                .is_some_and(|(_, l)| serde_json::from_str::<Value>(l).is_ok());
            match lines.last() {
                Some((index, line)) if first_is_whole => {
                    serde_json::from_str(line).map_err(|e| BenchError {
                        line: Some(index + 1),
                        message: format!("not JSON: {e}"),
                    })?
                }
                _ => {
                    return Err(BenchError {
                        line: Some(whole.line()),
                        message: format!("not JSON: {whole}"),
                    });
                }
            }
        }
    };
    let Value::Object(map) = object else {
        return Err(field_error("the result must be a JSON object"));
    };
    summarise(&map)
}

/// Python's `json` writes an infinite request rate as a bare `Infinity`
/// (and NaN as `NaN`), which JSON does not allow: outside strings, those
/// become `null`.
fn python_numbers_as_null(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c == '"' {
            in_string = true;
        } else {
            let word = ["-Infinity", "Infinity", "NaN"]
                .into_iter()
                .find(|w| rest.starts_with(w));
            if let Some(word) = word {
                out.push_str("null");
                rest = &rest[word.len()..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn field_error(message: impl Into<String>) -> BenchError {
    BenchError {
        line: None,
        message: message.into(),
    }
}

/// A non-negative number under `key`, if present.
fn number(map: &Map<String, Value>, key: &str) -> Result<Option<f64>, BenchError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
            _ => Err(field_error(format!(
                "{key}: must be a number at least 0, got {n}"
            ))),
        },
        Some(other) => Err(field_error(format!("{key}: must be a number, got {other}"))),
    }
}

fn required(map: &Map<String, Value>, key: &str, why: &str) -> Result<f64, BenchError> {
    number(map, key)?.ok_or_else(|| field_error(format!("{key}: missing; {why}")))
}

/// The statistics of `metric` (`ttft`, `e2e_latency`).
fn latency(map: &Map<String, Value>, metric: &str) -> Result<Latency, BenchError> {
    let mut out = Latency {
        mean_ms: number(map, &format!("mean_{metric}_ms"))?,
        median_ms: number(map, &format!("median_{metric}_ms"))?,
        percentiles_ms: BTreeMap::new(),
    };
    let suffix = format!("_{metric}_ms");
    for key in map.keys() {
        if let Some(p) = key.strip_suffix(&suffix).filter(|p| {
            p.starts_with('p')
                && p.len() > 1
                && p[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
        }) && let Some(v) = number(map, key)?
        {
            out.percentiles_ms.insert(p.to_owned(), v);
        }
    }
    Ok(out)
}

fn summarise(map: &Map<String, Value>) -> Result<BenchSummary, BenchError> {
    let duration_s = required(map, "duration", "the run's length in seconds")?;
    if duration_s <= 0.0 {
        return Err(field_error("duration: must be greater than 0 s"));
    }
    let completed = required(map, "completed", "the number of requests that finished")?;
    if completed < 1.0 {
        return Err(field_error("completed: no request finished"));
    }
    // A refactored SGLang writes `total_input` and `total_output`.
    let input = match number(map, "total_input")? {
        Some(v) if !map.contains_key("total_input_tokens") => v,
        _ => required(map, "total_input_tokens", "the prompt tokens sent")?,
    };
    let output = match number(map, "total_output")? {
        Some(v) if !map.contains_key("total_output_tokens") => v,
        _ => required(map, "total_output_tokens", "the tokens generated")?,
    };
    let tool = if map.contains_key("total_output_tokens_retokenized")
        || map.contains_key("total_output_retokenized")
        || map.contains_key("mean_e2e_latency_ms")
    {
        "sglang"
    } else {
        "vllm"
    };
    let model = ["model_id", "model", "model_path"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str))
        .map(str::to_owned);
    let requests_per_s = number(map, "request_throughput")?.unwrap_or(completed / duration_s);
    let e2e = if map.contains_key("mean_e2e_latency_ms") {
        latency(map, "e2e_latency")?
    } else {
        latency(map, "e2el")?
    };
    // Requests in flight on average: SGLang measures it; otherwise Little's
    // law from the arrival rate and the mean request latency (vLLM keeps
    // every request's latency in `latencies`, in seconds).
    let latencies_s = map
        .get("latencies")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_f64).collect::<Vec<f64>>())
        .filter(|l| !l.is_empty())
        .map(|l| l.iter().sum::<f64>() / l.len() as f64);
    let mean_concurrency = match number(map, "concurrency")? {
        Some(c) => Some(c),
        None => latencies_s
            .or(e2e.mean_ms.map(|ms| ms / 1000.0))
            .map(|seconds| requests_per_s * seconds),
    };
    let output_tokens_per_s = number(map, "output_throughput")?.unwrap_or(output / duration_s);
    if output_tokens_per_s <= 0.0 {
        return Err(field_error(
            "output_throughput: no tokens were generated, so there is nothing to fit",
        ));
    }
    Ok(BenchSummary {
        tool: tool.to_owned(),
        model,
        duration_s,
        ended_at_ms: map
            .get("date")
            .and_then(Value::as_str)
            .and_then(super::timestamp::parse_compact_ms),
        completed,
        requests_per_s,
        input_tokens_per_s: number(map, "input_throughput")?.unwrap_or(input / duration_s),
        output_tokens_per_s,
        mean_input_tokens: input / completed,
        mean_output_tokens: output / completed,
        max_concurrency: number(map, "max_concurrency")?,
        mean_concurrency,
        ttft: latency(map, "ttft")?,
        tpot: latency(map, "tpot")?,
        itl: latency(map, "itl")?,
        e2e,
    })
}
