//! From a row to the performance model's figure: the row's catalogue ids,
//! parallelism, batching and precisions become a benchmark setup, which
//! the core predicts. Whatever cannot be resolved is a reason naming the
//! column and the value, never a guess.

use serde::Serialize;
use tokenfab_core::calibration::{Batching, BenchmarkSetup, Metric, predict};
use tokenfab_core::catalogue::{self, AcceleratorEntry, ModelEntry, Vendor};
use tokenfab_core::model::Precision;
use tokenfab_core::perf::Efficiency;
use tokenfab_core::power::PowerFactors;
use tokenfab_core::stack::Stack;

use super::table::Row;

/// Prompt length assumed where a benchmark does not publish it (the
/// ML.ENERGY leaderboard gives only output lengths).
pub const ASSUMED_INPUT_TOKENS: f64 = 500.0;

/// The most accelerators a row may describe: more is a typing error.
const MAX_ACCELERATORS: u32 = 100_000;

/// A row resolved against the catalogue, ready to predict with any factors.
#[derive(Debug, Clone)]
pub struct Case {
    /// Row id.
    pub id: String,
    /// Source family.
    pub family: String,
    /// The model.
    pub model: &'static ModelEntry,
    /// The accelerator.
    pub accelerator: &'static AcceleratorEntry,
    /// The serving stack.
    pub stack: Stack,
    /// Accelerators in the system.
    pub accelerators: u32,
    /// Accelerators one copy of the model spans: the larger of tensor ×
    /// pipeline parallelism and expert parallelism (experts spread over
    /// the same accelerators).
    pub per_replica: u32,
    /// Experts spread whole across a replica (expert parallelism above 1).
    pub expert_parallel: bool,
    /// Weight precision.
    pub weights: Precision,
    /// KV-cache precision.
    pub kv_cache: Precision,
    /// Prompt tokens per request.
    pub input_tokens: f64,
    /// Whether the prompt length was assumed.
    pub input_assumed: bool,
    /// Generated tokens per request.
    pub output_tokens: f64,
    /// How requests were batched.
    pub batching: Batching,
    /// What was measured.
    pub metric: Metric,
    /// The measurement.
    pub measured: f64,
}

/// One predicted row.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Predicted {
    /// Row id.
    pub id: String,
    /// Source family.
    pub family: String,
    /// Catalogue model id.
    pub model: String,
    /// Catalogue accelerator id.
    pub accelerator: String,
    /// Serving stack.
    pub stack: Stack,
    /// Weight precision.
    pub weights: Precision,
    /// Metric name.
    pub metric: String,
    /// Published value.
    pub measured: f64,
    /// Predicted value.
    pub predicted: f64,
    /// |predicted − measured| / measured, percent.
    pub abs_error_pct: f64,
}

/// Resolves `row` against the catalogue.
///
/// # Errors
/// A reason naming the column and value that cannot be modelled.
pub fn resolve(row: &Row) -> Result<Case, String> {
    let metric = Metric::from_name(row.metric.trim())
        .ok_or_else(|| format!("metric {:?} is not predicted", row.metric))?;
    let model = model(&row.model)?;
    let accelerator = catalogue::accelerator(&row.accelerator.trim().to_ascii_lowercase())
        .ok_or_else(|| {
            format!(
                "accelerator {:?} is not a catalogue id (see GET /api/v1/catalogue)",
                row.accelerator
            )
        })?;
    let stack = stack(&row.stack)?;
    let accelerators = count(&row.accelerators, "accelerators", None)?;
    let tensor = count(&row.tensor_parallel, "tensor_parallel", None)?;
    let pipeline = count(&row.pipeline_parallel, "pipeline_parallel", Some(1))?;
    let expert = count(&row.expert_parallel, "expert_parallel", Some(1))?;
    let per_replica = (tensor.saturating_mul(pipeline)).max(expert);
    let replicas = count(
        &row.replicas,
        "replicas",
        Some(accelerators / per_replica.max(1)),
    )?;
    if per_replica.checked_mul(replicas) != Some(accelerators) {
        return Err(format!(
            "accelerators {accelerators} is not replicas {replicas} × {per_replica} per replica (tensor {tensor} × pipeline {pipeline}, or expert {expert})"
        ));
    }
    let input_assumed = row.input_tokens.trim().is_empty();
    let input_tokens = if input_assumed {
        ASSUMED_INPUT_TOKENS
    } else {
        positive(&row.input_tokens, "input_tokens")?
    };
    Ok(Case {
        id: row.id.clone(),
        family: row.family().to_owned(),
        model,
        accelerator,
        stack,
        accelerators,
        per_replica,
        expert_parallel: expert > 1,
        weights: precision(&row.weights, "weights")?,
        kv_cache: precision(&row.kv_cache, "kv_cache")?,
        input_tokens,
        input_assumed,
        output_tokens: at_least_one(&row.output_tokens, "output_tokens")?,
        batching: batching(row)?,
        metric,
        measured: positive(&row.value, "value")?,
    })
}

impl Case {
    /// The model's figure for this case with the factors `factors` gives
    /// its stack.
    ///
    /// # Errors
    /// When the configuration cannot run (the model does not fit).
    pub fn predict(
        &self,
        factors: &dyn Fn(Stack, Vendor) -> (Efficiency, PowerFactors),
    ) -> Result<Predicted, String> {
        let (efficiency, power) = factors(self.stack, self.accelerator.vendor);
        let setup = BenchmarkSetup {
            model: &self.model.spec,
            weights: self.weights,
            kv_cache: self.kv_cache,
            accelerator: &self.accelerator.spec,
            accelerators: self.accelerators,
            tensor_parallel: self.per_replica,
            expert_parallel: self.expert_parallel,
            efficiency,
            power,
            input_tokens: self.input_tokens,
            output_tokens: self.output_tokens,
            batching: self.batching,
        };
        let predicted = predict(&setup, self.metric).map_err(|e| e.to_string())?;
        let abs_error_pct = (predicted - self.measured).abs() / self.measured * 100.0;
        if !(predicted.is_finite() && predicted > 0.0 && abs_error_pct.is_finite()) {
            return Err(format!(
                "the model's figure ({predicted:e}) or its error against {:e} is not a finite positive number: check the row's extreme values",
                self.measured
            ));
        }
        Ok(Predicted {
            id: self.id.clone(),
            family: self.family.clone(),
            model: self.model.id.to_owned(),
            accelerator: self.accelerator.id.to_owned(),
            stack: self.stack,
            weights: self.weights,
            metric: self.metric.name().to_owned(),
            measured: self.measured,
            predicted,
            abs_error_pct,
        })
    }
}

/// A catalogue id, or a Hugging Face repository the catalogue knows, whole.
fn model(text: &str) -> Result<&'static ModelEntry, String> {
    let text = text.trim();
    catalogue::model(&text.to_ascii_lowercase())
        .or_else(|| catalogue::model_by_hugging_face_id(text))
        .ok_or_else(|| {
            format!("model {text:?} is neither a catalogue id nor a Hugging Face repository the catalogue knows")
        })
}

fn stack(text: &str) -> Result<Stack, String> {
    Stack::ALL
        .into_iter()
        .find(|s| s.id().eq_ignore_ascii_case(text.trim()))
        .ok_or_else(|| format!("stack {text:?} is not modelled (vllm, sglang or tensorrt-llm)"))
}

fn precision(text: &str, column: &str) -> Result<Precision, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "bf16" | "bfloat16" | "fp16" | "float16" => Ok(Precision::Bf16),
        "fp8" => Ok(Precision::Fp8),
        "int8" => Ok(Precision::Int8),
        "int4" => Ok(Precision::Int4),
        "fp4" | "nvfp4" | "mxfp4" => Ok(Precision::Fp4),
        _ => Err(format!(
            "{column} {text:?} is not a precision (bf16, fp16, fp8, int8, int4, fp4)"
        )),
    }
}

fn batching(row: &Row) -> Result<Batching, String> {
    match row.batching.trim() {
        "static" => Ok(Batching::Static(positive(&row.concurrency, "concurrency")?)),
        "continuous" => Ok(Batching::Continuous(positive(
            &row.concurrency,
            "concurrency",
        )?)),
        "max-throughput" => Ok(Batching::MaxThroughput),
        "request-rate" => Ok(Batching::RequestRate(positive(
            &row.request_rate,
            "request_rate",
        )?)),
        other => Err(format!(
            "batching {other:?} is not one of static, continuous, max-throughput, request-rate"
        )),
    }
}

fn positive(text: &str, column: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
        .ok_or_else(|| format!("{column} {text:?} is not a positive number"))
}

/// A number of at least one (a mean, so not necessarily whole).
fn at_least_one(text: &str, column: &str) -> Result<f64, String> {
    let value = positive(text, column)?;
    if value >= 1.0 {
        Ok(value)
    } else {
        Err(format!("{column} {text:?} is less than one"))
    }
}

/// A whole count of at least one; `default` stands in for an empty cell.
fn count(text: &str, column: &str, default: Option<u32>) -> Result<u32, String> {
    let text = text.trim();
    if text.is_empty()
        && let Some(value) = default
    {
        return Ok(value);
    }
    text.parse::<u32>()
        .ok()
        .filter(|v| (1..=MAX_ACCELERATORS).contains(v))
        .ok_or_else(|| {
            format!("{column} {text:?} is not a whole number from 1 to {MAX_ACCELERATORS}")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> Row {
        Row {
            id: "test-0001".into(),
            source: "a test".into(),
            model: "llama-3.1-8b-instruct".into(),
            accelerator: "h100-sxm-80gb".into(),
            accelerators: "8".into(),
            tensor_parallel: "2".into(),
            stack: "vllm".into(),
            batching: "continuous".into(),
            concurrency: "32".into(),
            input_tokens: "1000".into(),
            output_tokens: "200".into(),
            weights: "bf16".into(),
            kv_cache: "bf16".into(),
            metric: "output_tok_s_total".into(),
            value: "10000".into(),
            ..Row::default()
        }
    }

    #[test]
    fn replicas_fill_the_system_when_not_given() {
        let case = resolve(&row()).expect("resolves");
        assert_eq!(case.per_replica, 2);
        assert_eq!(case.accelerators, 8);
    }

    #[test]
    fn expert_parallelism_spans_accelerators_without_adding_to_them() {
        let case = resolve(&Row {
            tensor_parallel: "1".into(),
            expert_parallel: "8".into(),
            replicas: "1".into(),
            ..row()
        })
        .expect("resolves");
        assert_eq!(case.per_replica, 8);
        assert!(case.expert_parallel);
        assert!(!resolve(&row()).expect("resolves").expert_parallel);
    }

    #[test]
    fn parallelism_that_does_not_add_up_is_named() {
        let error = resolve(&Row {
            replicas: "3".into(),
            ..row()
        })
        .expect_err("8 is not 3 × 2");
        assert!(error.contains("replicas 3"), "{error}");
    }

    #[test]
    fn a_hugging_face_repository_names_its_catalogue_model() {
        let case = resolve(&Row {
            model: "meta-llama/Llama-3.1-8B-Instruct".into(),
            ..row()
        })
        .expect("resolves");
        assert_eq!(case.model.id, "llama-3.1-8b-instruct");
    }

    #[test]
    fn names_are_never_matched_by_prefix() {
        let error = resolve(&Row {
            accelerator: "h100".into(),
            ..row()
        })
        .expect_err("not an id");
        assert!(error.contains("\"h100\""), "{error}");
        let error = resolve(&Row {
            model: "llama-3.1-8b".into(),
            ..row()
        })
        .expect_err("not an id");
        assert!(error.contains("\"llama-3.1-8b\""), "{error}");
    }

    #[test]
    fn an_empty_prompt_length_is_assumed_and_marked() {
        let case = resolve(&Row {
            input_tokens: String::new(),
            ..row()
        })
        .expect("resolves");
        assert!(case.input_assumed);
        assert_eq!(case.input_tokens, ASSUMED_INPUT_TOKENS);
    }

    /// Any part and model of the catalogue can be named in a table, and
    /// predicted once the system has enough accelerators to hold the model.
    #[test]
    fn every_catalogue_model_on_every_catalogue_part_can_be_predicted() {
        let mut unpredicted = Vec::new();
        for model in catalogue::MODELS {
            for part in catalogue::ACCELERATORS {
                let predicted = [1_u32, 2, 4, 8, 16, 32, 64, 128].into_iter().find_map(|n| {
                    let case = resolve(&Row {
                        model: model.id.into(),
                        accelerator: part.id.into(),
                        accelerators: n.to_string(),
                        tensor_parallel: n.to_string(),
                        weights: "fp8".into(),
                        kv_cache: "fp8".into(),
                        ..row()
                    })
                    .unwrap_or_else(|e| panic!("{} on {}: {e}", model.id, part.id));
                    case.predict(&crate::accuracy::built_in_factors).ok()
                });
                match predicted {
                    Some(p) if p.predicted.is_finite() && p.predicted > 0.0 => {}
                    other => unpredicted.push(format!("{} on {}: {other:?}", model.id, part.id)),
                }
            }
        }
        assert!(unpredicted.is_empty(), "{}", unpredicted.join("\n"));
    }

    #[test]
    fn a_figure_the_model_cannot_give_finitely_is_a_reason_not_a_null() {
        let case = resolve(&Row {
            value: "1e-320".into(),
            ..row()
        })
        .expect("resolves");
        let error = case
            .predict(&crate::accuracy::built_in_factors)
            .expect_err("no finite error");
        assert!(error.contains("not a finite"), "{error}");
        let error = resolve(&Row {
            output_tokens: "0.001".into(),
            ..row()
        })
        .expect_err("less than a token");
        assert!(error.contains("output_tokens"), "{error}");
    }
}
