//! `tokenfab accuracy`: predicts every row of a table of published
//! measurements (the format of the calibration table: one metric of one
//! configuration per row) and reports the error per source family and
//! metric.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tokenfab_core::calibration::{Batching, BenchmarkSetup, Metric, predict};
use tokenfab_core::catalogue;
use tokenfab_core::model::Precision;
use tokenfab_core::perf::Efficiency;
use tokenfab_core::power::PowerFactors;
use tokenfab_core::stack::Stack;
use tokenfab_core::stats::percentile;

/// Prompt length assumed where a benchmark does not publish it (the
/// ML.ENERGY leaderboard gives only output lengths).
pub const ASSUMED_INPUT_TOKENS: f64 = 500.0;

/// Calibration-table model names and the catalogue entries they are.
const MODEL_ALIASES: &[(&str, &str)] = &[
    ("Llama-3.1-8B-Instruct", "llama-3.1-8b-instruct"),
    ("Llama-3.1-70B-Instruct", "llama-3.1-70b-instruct"),
    ("Llama-3.3-70B-Instruct", "llama-3.3-70b-instruct"),
    ("Llama-3.1-405B-Instruct", "llama-3.1-405b-instruct"),
    ("Llama-3.1-405B-Instruct-FP8", "llama-3.1-405b-instruct"),
    ("Llama-2-7B", "llama-2-7b"),
    ("Llama-2-70B", "llama-2-70b"),
    ("GPT-J-6B", "gpt-j-6b"),
    ("Mistral-7B", "mistral-7b-instruct-v0.3"),
    ("Mixtral-8x7B", "mixtral-8x7b-instruct-v0.1"),
    ("Qwen3-8B", "qwen3-8b"),
    ("Qwen3-32B", "qwen3-32b"),
    ("Qwen3-30B-A3B-Instruct-2507", "qwen3-30b-a3b"),
    ("Qwen3-30B-A3B-Thinking-2507", "qwen3-30b-a3b"),
    ("Qwen3-235B-A22B", "qwen3-235b-a22b"),
    ("Qwen3-235B-A22B-Instruct-2507", "qwen3-235b-a22b"),
    ("Qwen3-235B-A22B-Instruct-2507-FP8", "qwen3-235b-a22b"),
    ("Qwen3-235B-A22B-Thinking-2507-FP8", "qwen3-235b-a22b"),
    ("gemma-3-27b-it", "gemma-3-27b-it"),
    ("gpt-oss-20b", "gpt-oss-20b"),
    ("gpt-oss-120b", "gpt-oss-120b"),
    (
        "Llama-4-Scout-17B-16E-Instruct",
        "llama-4-scout-17b-16e-instruct",
    ),
    (
        "Llama-4-Maverick-17B-128E-Instruct",
        "llama-4-maverick-17b-128e-instruct",
    ),
    (
        "Llama-4-Maverick-17B-128E-Instruct-FP8",
        "llama-4-maverick-17b-128e-instruct",
    ),
];

/// Calibration-table accelerator names (by prefix) and catalogue ids. Rows
/// that do not state the variant are taken as the SXM part, the one those
/// benchmarks' hosts use.
const ACCELERATOR_PREFIXES: &[(&str, &str)] = &[
    ("H100", "h100-sxm-80gb"),
    ("H200", "h200-sxm-141gb"),
    ("A100", "a100-sxm-80gb"),
    ("L40S", "l40s-48gb"),
    ("B200", "b200-sxm-180gb"),
];

/// One row of a measurement table.
#[derive(Debug, Clone, Deserialize)]
pub struct Row {
    /// Row id; its prefix before the last `-` names the source family.
    pub id: String,
    /// Model name as published.
    pub model: String,
    /// Weight precision as published.
    pub precision: String,
    /// Accelerator as published.
    pub accelerator: String,
    /// Accelerators in the system.
    pub n_accel: String,
    /// Serving software.
    pub framework: String,
    /// How the benchmark batched requests.
    pub scenario: String,
    /// Prompt tokens (may be empty).
    pub input_tokens: String,
    /// Generated tokens.
    pub output_tokens: String,
    /// What was measured.
    pub metric: String,
    /// The measurement.
    pub value: String,
    /// Parallelism and method notes.
    pub notes: String,
}

/// The error of one predicted row.
#[derive(Debug, Clone, Serialize)]
pub struct Predicted {
    /// Row id.
    pub id: String,
    /// Source family.
    pub family: String,
    /// Metric name.
    pub metric: String,
    /// Published value.
    pub measured: f64,
    /// Predicted value.
    pub predicted: f64,
    /// |predicted − measured| / measured, percent.
    pub abs_error_pct: f64,
}

/// A row that was not predicted, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// Row id.
    pub id: String,
    /// Why.
    pub reason: String,
}

/// Error statistics for one source family and metric.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Source family (e.g. `trtllm-v1`).
    pub family: String,
    /// Metric name.
    pub metric: String,
    /// Rows predicted.
    pub rows: usize,
    /// Median absolute error, percent.
    pub median_abs_error_pct: f64,
    /// 90th-percentile absolute error, percent.
    pub p90_abs_error_pct: f64,
    /// Share of rows within 35 %.
    pub share_within_35_pct: f64,
}

/// The whole accuracy report.
#[derive(Debug, Clone, Serialize)]
pub struct AccuracyReport {
    /// Per family and metric.
    pub summaries: Vec<Summary>,
    /// Per metric over all families.
    pub overall: Vec<Summary>,
    /// Rows skipped, with reasons.
    pub skipped: Vec<Skipped>,
    /// Every predicted row.
    pub rows: Vec<Predicted>,
}

/// Reads the table at `path` and predicts it.
///
/// # Errors
/// When the file cannot be read or is not a table of this format (naming the line).
pub fn run(path: &Path) -> Result<AccuracyReport, String> {
    Ok(evaluate(&read(path)?))
}

/// Reads the table at `path`.
///
/// # Errors
/// When the file cannot be read or is not a table of this format (naming the line).
pub fn read(path: &Path) -> Result<Vec<Row>, String> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut rows = Vec::new();
    for (i, record) in reader.deserialize::<Row>().enumerate() {
        // Line 1 is the header.
        rows.push(record.map_err(|e| format!("{}: line {}: {e}", path.display(), i + 2))?);
    }
    Ok(rows)
}

/// Predicts every row it can with the stacks' built-in factors.
pub fn evaluate(rows: &[Row]) -> AccuracyReport {
    evaluate_with(rows, &|stack: Stack| (stack.efficiency(), stack.power()))
}

/// Predicts every row it can with the factors `factors` gives each stack
/// (how calibration tries candidate factors).
pub fn evaluate_with(
    rows: &[Row],
    factors: &dyn Fn(Stack) -> (Efficiency, PowerFactors),
) -> AccuracyReport {
    let mut predicted = Vec::new();
    let mut skipped = Vec::new();
    for row in rows {
        match predict_row(row, factors) {
            Ok(p) => predicted.push(p),
            Err(reason) => skipped.push(Skipped {
                id: row.id.clone(),
                reason,
            }),
        }
    }
    AccuracyReport {
        summaries: summarise(&predicted, |p| p.family.clone()),
        overall: summarise(&predicted, |_| "all".to_owned()),
        skipped,
        rows: predicted,
    }
}

fn family(id: &str) -> String {
    id.rsplit_once('-').map_or(id, |(head, _)| head).to_owned()
}

fn number(text: &str, what: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
        .ok_or_else(|| format!("{what} {text:?} is not a positive number"))
}

/// The integer after `key` in `notes` (e.g. `TP4` -> 4).
fn after(notes: &str, key: &str) -> Option<u32> {
    let start = notes.find(key)? + key.len();
    let digits: String = notes[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The number after `phrase` in `notes` (e.g. `observed avg batch 8.0`).
fn number_after(notes: &str, phrase: &str) -> Option<f64> {
    let start = notes.find(phrase)? + phrase.len();
    let text: String = notes[start..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    text.parse().ok()
}

fn precision(text: &str) -> Result<Precision, String> {
    match text.to_ascii_lowercase().as_str() {
        "bfloat16" | "bf16" | "fp16" | "float16" => Ok(Precision::Bf16),
        "fp8" => Ok(Precision::Fp8),
        "int8" => Ok(Precision::Int8),
        "int4" => Ok(Precision::Int4),
        "fp4" | "nvfp4" | "mxfp4" => Ok(Precision::Fp4),
        other => Err(format!("precision {other:?} is not modelled")),
    }
}

fn stack(framework: &str) -> Result<Stack, String> {
    let f = framework.to_ascii_lowercase();
    if f.contains("tensorrt") {
        Ok(Stack::TensorrtLlm)
    } else if f.contains("vllm") {
        Ok(Stack::Vllm)
    } else if f.contains("sglang") {
        Ok(Stack::Sglang)
    } else {
        Err(format!("framework {framework:?} is not modelled"))
    }
}

fn batching(row: &Row) -> Result<Batching, String> {
    let scenario = row.scenario.to_ascii_lowercase();
    if let Some(b) = number_after(&scenario, "static batch size") {
        Ok(Batching::Static(b))
    } else if scenario.contains("batch size 1") {
        Ok(Batching::Static(1.0))
    } else if let Some(max) = number_after(&scenario, "max_num_seqs=") {
        // The observed average batch, when published, is what ran.
        Ok(Batching::Continuous(
            number_after(&row.notes, "observed avg batch").unwrap_or(max),
        ))
    } else if scenario.contains("max-throughput") {
        Ok(Batching::MaxThroughput)
    } else {
        Err(format!("batching {:?} is not modelled", row.scenario))
    }
}

fn predict_row(
    row: &Row,
    factors: &dyn Fn(Stack) -> (Efficiency, PowerFactors),
) -> Result<Predicted, String> {
    let metric = Metric::from_name(&row.metric)
        .ok_or_else(|| format!("metric {:?} is not predicted", row.metric))?;
    let model_id = MODEL_ALIASES
        .iter()
        .find(|(name, _)| *name == row.model)
        .map(|(_, id)| *id)
        .ok_or_else(|| format!("model {:?} is not in the catalogue", row.model))?;
    let model = catalogue::model(model_id)
        .ok_or_else(|| format!("model {:?} is not in the catalogue", row.model))?;
    let accelerator_id = ACCELERATOR_PREFIXES
        .iter()
        .find(|(prefix, _)| row.accelerator.starts_with(prefix))
        .map(|(_, id)| *id)
        .ok_or_else(|| format!("accelerator {:?} is not in the catalogue", row.accelerator))?;
    let accelerator = catalogue::accelerator(accelerator_id)
        .ok_or_else(|| format!("accelerator {accelerator_id:?} is not in the catalogue"))?;
    let weights = precision(&row.precision)?;
    let stack = stack(&row.framework)?;
    let accelerators = number(&row.n_accel, "n_accel")? as u32;
    // Data-parallel copies split the system; everything else is one replica.
    let data_parallel = after(&row.notes, "DP").unwrap_or(1).max(1);
    let tensor_parallel = if row.notes.contains("EP") || data_parallel > 1 {
        (accelerators / data_parallel).max(1)
    } else {
        after(&row.notes, "TP").unwrap_or(accelerators).max(1)
    };
    // TensorRT-LLM's FP8 recipes quantise the KV cache too; vLLM keeps it in 16 bits by default.
    let kv_cache = if stack == Stack::TensorrtLlm && weights == Precision::Fp8 {
        Precision::Fp8
    } else {
        Precision::Bf16
    };
    let input_tokens = if row.input_tokens.trim().is_empty() {
        ASSUMED_INPUT_TOKENS
    } else {
        number(&row.input_tokens, "input_tokens")?
    };
    let (efficiency, power) = factors(stack);
    let setup = BenchmarkSetup {
        model: &model.spec,
        weights,
        kv_cache,
        accelerator: &accelerator.spec,
        accelerators,
        tensor_parallel,
        efficiency,
        power,
        input_tokens,
        output_tokens: number(&row.output_tokens, "output_tokens")?,
        batching: batching(row)?,
    };
    let measured = number(&row.value, "value")?;
    let predicted = predict(&setup, metric).map_err(|e| e.to_string())?;
    Ok(Predicted {
        id: row.id.clone(),
        family: family(&row.id),
        metric: row.metric.clone(),
        measured,
        predicted,
        abs_error_pct: (predicted - measured).abs() / measured * 100.0,
    })
}

fn summarise(rows: &[Predicted], group: impl Fn(&Predicted) -> String) -> Vec<Summary> {
    let mut groups: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for row in rows {
        groups
            .entry((group(row), row.metric.clone()))
            .or_default()
            .push(row.abs_error_pct);
    }
    groups
        .into_iter()
        .map(|((family, metric), mut errors)| {
            errors.sort_by(f64::total_cmp);
            let within = errors.iter().filter(|e| **e <= 35.0).count();
            Summary {
                family,
                metric,
                rows: errors.len(),
                // A group holds at least the row that made it.
                median_abs_error_pct: percentile(&errors, 0.5).unwrap_or(f64::NAN),
                p90_abs_error_pct: percentile(&errors, 0.9).unwrap_or(f64::NAN),
                share_within_35_pct: within as f64 / errors.len() as f64,
            }
        })
        .collect()
}

/// The report as a plain-text table.
pub fn to_text(report: &AccuracyReport) -> String {
    let mut out = String::new();
    out.push_str(
        "source family         metric                 rows  median |err|  p90 |err|  within 35%\n",
    );
    for s in report.summaries.iter().chain(&report.overall) {
        out.push_str(&format!(
            "{:<21} {:<22} {:>4}  {:>11.1}%  {:>8.1}%  {:>9.0}%\n",
            s.family,
            s.metric,
            s.rows,
            s.median_abs_error_pct,
            s.p90_abs_error_pct,
            s.share_within_35_pct * 100.0
        ));
    }
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &report.skipped {
        *reasons.entry(s.reason.as_str()).or_default() += 1;
    }
    out.push_str(&format!(
        "\n{} rows predicted, {} skipped\n",
        report.rows.len(),
        report.skipped.len()
    ));
    for (reason, count) in reasons {
        out.push_str(&format!("  skipped {count:>3}: {reason}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_give_parallelism_and_batch() {
        let notes = "TP1 EP8 DP1; max_num_seqs 8, observed avg batch 7.5; steady";
        assert_eq!(after(notes, "TP"), Some(1));
        assert_eq!(after(notes, "EP"), Some(8));
        assert_eq!(number_after(notes, "observed avg batch"), Some(7.5));
    }

    #[test]
    fn families_are_the_id_without_its_number() {
        assert_eq!(family("trtllm-v090-0081"), "trtllm-v090");
        assert_eq!(family("mlenergy-v3-0025"), "mlenergy-v3");
    }
}
