//! Predicting published benchmark measurements: a benchmark's configuration
//! in, the model's figure for each metric out. `tokenfab accuracy` compares
//! these predictions with the measurements.

use serde::{Deserialize, Serialize};

use crate::accelerator::AcceleratorSpec;
use crate::latency::Load;
use crate::model::{ModelSpec, Precision};
use crate::perf::{Efficiency, Replica, RequestShape};
use crate::power::{PowerFactors, accelerator_watts};

/// How the benchmark chose its batch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Batching {
    /// A fixed batch prefilled together and decoded in lockstep.
    Static(f64),
    /// Continuous batching holding this many sequences in flight.
    Continuous(f64),
    /// Continuous batching with everything queued: the runtime fills memory
    /// up to the stack's batch limit.
    MaxThroughput,
    /// Continuous batching of requests arriving at random (Poisson) at this
    /// many per second over the whole system.
    RequestRate(f64),
}

/// A published measurement's configuration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BenchmarkSetup<'a> {
    /// The model.
    pub model: &'a ModelSpec,
    /// Weight precision.
    pub weights: Precision,
    /// KV-cache precision.
    pub kv_cache: Precision,
    /// The accelerator.
    pub accelerator: &'a AcceleratorSpec,
    /// Accelerators in the whole system.
    pub accelerators: u32,
    /// Accelerators per model replica.
    pub tensor_parallel: u32,
    /// A mixture-of-experts model's experts spread whole across a replica
    /// (see [`Replica::expert_parallel`]).
    pub expert_parallel: bool,
    /// The serving stack's efficiency.
    pub efficiency: Efficiency,
    /// How its power follows activity.
    pub power: PowerFactors,
    /// Prompt tokens per request.
    pub input_tokens: f64,
    /// Generated tokens per request.
    pub output_tokens: f64,
    /// How requests were batched.
    pub batching: Batching,
}

/// A published metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Generated tokens per second, whole system.
    OutputTokSTotal,
    /// Generated tokens per second per accelerator.
    OutputTokSPerGpu,
    /// Time to first token at batch 1, ms.
    TtftMs,
    /// Median time between output tokens, ms.
    TpotMsMedian,
    /// Mean time between output tokens, ms. The model's steady state has
    /// one step time, so it predicts the mean as the median.
    TpotMsMean,
    /// Mean time to first token with the benchmark's batch in flight, ms:
    /// the prompt's prefill plus one step of the running batch.
    TtftMsMean,
    /// 99th percentile of the time to first token, ms: the prompt waits
    /// behind those that arrived before it.
    TtftMsP99,
    /// 99th percentile over requests of each request's mean time between
    /// output tokens, ms: some requests share more of their steps with
    /// other prompts' prefill than others.
    TpotMsP99,
    /// Prompt and generated tokens per second, whole system.
    TotalTokSTotal,
    /// Completed requests per second, whole system.
    RequestThroughput,
    /// Average accelerator power summed over the system, W.
    WattsGpuTotal,
    /// Accelerator energy per generated token, J.
    JoulesPerToken,
}

impl Metric {
    /// The metric's name in published tables.
    pub fn name(self) -> &'static str {
        match self {
            Metric::OutputTokSTotal => "output_tok_s_total",
            Metric::OutputTokSPerGpu => "output_tok_s_per_gpu",
            Metric::TtftMs => "ttft_ms",
            Metric::TpotMsMedian => "tpot_ms_median",
            Metric::TpotMsMean => "tpot_ms_mean",
            Metric::TtftMsMean => "ttft_ms_mean",
            Metric::TtftMsP99 => "ttft_ms_p99",
            Metric::TpotMsP99 => "tpot_ms_p99",
            Metric::TotalTokSTotal => "total_tok_s_total",
            Metric::RequestThroughput => "request_throughput",
            Metric::WattsGpuTotal => "watts_gpu_total",
            Metric::JoulesPerToken => "joules_per_token",
        }
    }

    /// Every metric, in the order tables list them.
    pub const ALL: [Metric; 12] = [
        Metric::OutputTokSTotal,
        Metric::OutputTokSPerGpu,
        Metric::TotalTokSTotal,
        Metric::RequestThroughput,
        Metric::TtftMs,
        Metric::TtftMsMean,
        Metric::TtftMsP99,
        Metric::TpotMsMedian,
        Metric::TpotMsMean,
        Metric::TpotMsP99,
        Metric::WattsGpuTotal,
        Metric::JoulesPerToken,
    ];

    /// The metric named `name`, if known.
    pub fn from_name(name: &str) -> Option<Self> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// Why a setup cannot be predicted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Unpredictable {
    /// The weights do not fit in the replica's memory.
    #[error("the model does not fit in {0} accelerator(s) per replica")]
    DoesNotFit(u32),
    /// The accelerator count is not a multiple of the replica size.
    #[error("{accelerators} accelerators do not split into replicas of {tensor_parallel}")]
    UnevenReplicas {
        /// Accelerators in the system.
        accelerators: u32,
        /// Per replica.
        tensor_parallel: u32,
    },
    /// With every request queued at once, time to first token measures the
    /// queue rather than the model.
    #[error(
        "time to first token with every request queued at once measures the queue, not the model"
    )]
    Queued,
    /// Requests arrive faster than the system serves them: the queue, and
    /// with it the time to first token, grows for as long as the run lasts.
    #[error(
        "requests arrive faster than the system serves them: time to first token grows without bound"
    )]
    Overloaded,
}

/// The model's prediction of `metric` for `setup`.
///
/// # Errors
/// When the configuration cannot run (the model does not fit, replicas do
/// not divide the accelerators).
pub fn predict(setup: &BenchmarkSetup<'_>, metric: Metric) -> Result<f64, Unpredictable> {
    let tp = setup.tensor_parallel.max(1);
    if !setup.accelerators.is_multiple_of(tp) {
        return Err(Unpredictable::UnevenReplicas {
            accelerators: setup.accelerators,
            tensor_parallel: tp,
        });
    }
    let replicas = f64::from(setup.accelerators / tp);
    let efficiency = setup.efficiency;
    let replica = Replica {
        model: setup.model,
        weights: setup.weights,
        kv_cache: setup.kv_cache,
        accelerator: setup.accelerator,
        tensor_parallel: tp,
        expert_parallel: setup.expert_parallel,
        pipeline_stages: 1,
        efficiency: &efficiency,
    };
    let shape = RequestShape {
        input_tokens: setup.input_tokens,
        output_tokens: setup.output_tokens,
        prefix_cache_hit_rate: 0.0,
    };
    let memory = replica.memory(&shape);
    if memory.kv_budget_gb_per_gpu <= 0.0 {
        return Err(Unpredictable::DoesNotFit(tp));
    }
    let fits = memory.max_concurrency.max(1.0);
    let point_of = |b: f64| replica.operating_point(&shape, b);
    let cap = fits.min(f64::from(efficiency.max_batch));
    let mut saturated = false;
    let (output_per_replica, point) = match setup.batching {
        Batching::Static(batch) => {
            let b = batch.min(fits).max(1.0);
            let seconds = replica.static_batch_s(&shape, b);
            (b * shape.output_tokens / seconds, point_of(b))
        }
        Batching::Continuous(batch) => {
            let point = point_of(batch.min(fits));
            (point.output_tokens_per_s, point)
        }
        Batching::MaxThroughput => {
            let point = point_of(cap);
            (point.output_tokens_per_s, point)
        }
        Batching::RequestRate(rate) => {
            let per_replica = rate / replicas;
            let open = open_loop(&replica, &shape, per_replica, cap);
            saturated = open.saturated;
            (
                (per_replica * shape.output_tokens).min(open.point.output_tokens_per_s),
                open.point,
            )
        }
    };
    // A replica that serves fewer tokens than its operating point could
    // idles the rest of the time, and draws power accordingly.
    let utilisation = (output_per_replica / point.output_tokens_per_s).clamp(0.0, 1.0);
    let (tpot_s, compute_busy, memory_busy) = (
        point.tpot_s,
        point.compute_busy * utilisation,
        point.memory_busy * utilisation,
    );
    // A closed-loop benchmark holds its concurrency; at a request rate the
    // prompts arrive at random.
    let under_load = match setup.batching {
        Batching::RequestRate(rate) => Load {
            arrivals_per_s: rate / replicas,
            ..replica.load(&shape, &point)
        },
        Batching::MaxThroughput => Load {
            arrivals_per_s: output_per_replica / shape.output_tokens.max(1.0),
            ..replica.load(&shape, &point)
        },
        // A static batch moves in lockstep: no prompt arrives meanwhile.
        Batching::Static(_) => Load {
            arrivals_per_s: 0.0,
            ..replica.load(&shape, &point)
        },
        Batching::Continuous(_) => replica.load(&shape, &point),
    };
    let output_total = output_per_replica * replicas;
    let watts_total = f64::from(setup.accelerators)
        * accelerator_watts(setup.accelerator, &setup.power, compute_busy, memory_busy);
    Ok(match metric {
        Metric::OutputTokSTotal => output_total,
        Metric::TotalTokSTotal => {
            output_total * (shape.input_tokens + shape.output_tokens) / shape.output_tokens.max(1.0)
        }
        Metric::RequestThroughput => output_total / shape.output_tokens.max(1.0),
        Metric::TpotMsMean => tpot_s * 1e3,
        Metric::TtftMsMean => match setup.batching {
            Batching::MaxThroughput => return Err(Unpredictable::Queued),
            Batching::RequestRate(_) if saturated => return Err(Unpredictable::Overloaded),
            Batching::Static(batch) => replica.static_prefill_s(&shape, batch.min(fits)) * 1e3,
            // Requests in a closed loop arrive as others leave, not at
            // random: no queue of prompts is modelled.
            Batching::Continuous(_) => replica.ttft_s(&shape, &point) * 1e3,
            Batching::RequestRate(_) => under_load.latency().ttft_mean_s * 1e3,
        },
        Metric::TtftMsP99 => match setup.batching {
            Batching::MaxThroughput => return Err(Unpredictable::Queued),
            Batching::RequestRate(_) if saturated => return Err(Unpredictable::Overloaded),
            Batching::Static(batch) => replica.static_prefill_s(&shape, batch.min(fits)) * 1e3,
            Batching::Continuous(_) | Batching::RequestRate(_) => {
                under_load.latency().ttft_p99_s * 1e3
            }
        },
        Metric::TpotMsP99 => under_load.latency().tpot_p99_s * 1e3,
        Metric::OutputTokSPerGpu => output_total / f64::from(setup.accelerators),
        Metric::TpotMsMedian => tpot_s * 1e3,
        Metric::WattsGpuTotal => watts_total,
        Metric::JoulesPerToken => watts_total / output_total,
        Metric::TtftMs => replica.prefill_alone(&shape).step.total_s() * 1e3,
    })
}

/// A replica under open-loop load: the concurrency the arrivals sustain,
/// and whether they outrun it.
struct OpenLoop {
    point: crate::perf::OperatingPoint,
    saturated: bool,
}

/// The steady state of requests arriving at random at `rate` per second
/// on one replica that holds at most `cap` sequences. By Little's law the
/// sequences in flight are the arrival rate times a request's time in the
/// system (its time to first token and its decode), which itself grows
/// with the sequences in flight: the fixed point is found by bisection.
/// Arrivals beyond what `cap` sequences serve leave the replica saturated
/// and the queue unbounded; below, the wait of a prompt for those ahead
/// of it is [`Load::latency`]'s.
fn open_loop(replica: &Replica<'_>, shape: &RequestShape, rate: f64, cap: f64) -> OpenLoop {
    let in_system = |b: f64| {
        let point = replica.operating_point(shape, b);
        rate * (replica.ttft_s(shape, &point) + shape.output_tokens * point.tpot_s)
    };
    let cap = cap.max(1.0);
    if in_system(cap) >= cap {
        return OpenLoop {
            point: replica.operating_point(shape, cap),
            saturated: true,
        };
    }
    let (mut low, mut high) = (0.0_f64, cap);
    for _ in 0..48 {
        let mid = 0.5 * (low + high);
        if in_system(mid) > mid {
            low = mid;
        } else {
            high = mid;
        }
    }
    OpenLoop {
        point: replica.operating_point(shape, high),
        saturated: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;
    use crate::stack::Stack;

    fn setup(batching: Batching) -> BenchmarkSetup<'static> {
        BenchmarkSetup {
            model: &catalogue::model("llama-3.1-70b-instruct")
                .expect("in the catalogue")
                .spec,
            weights: Precision::Fp8,
            kv_cache: Precision::Fp8,
            accelerator: &catalogue::accelerator("h100-sxm-80gb")
                .expect("in the catalogue")
                .spec,
            accelerators: 8,
            tensor_parallel: 4,
            expert_parallel: false,
            efficiency: Stack::Vllm.efficiency(),
            power: Stack::Vllm.power(),
            input_tokens: 1024.0,
            output_tokens: 256.0,
            batching,
        }
    }

    fn at(batching: Batching, metric: Metric) -> f64 {
        predict(&setup(batching), metric).expect("predicts")
    }

    #[test]
    fn every_metric_has_a_name_that_reads_back() {
        for metric in Metric::ALL {
            assert_eq!(Metric::from_name(metric.name()), Some(metric));
        }
    }

    #[test]
    fn request_and_total_token_rates_follow_from_the_output_rate() {
        let b = Batching::Continuous(32.0);
        let output = at(b, Metric::OutputTokSTotal);
        assert!((at(b, Metric::RequestThroughput) * 256.0 - output).abs() < 1e-9 * output);
        let total = at(b, Metric::TotalTokSTotal);
        assert!((total / output - 1280.0 / 256.0).abs() < 1e-12);
    }

    #[test]
    fn time_to_first_token_under_load_waits_for_the_running_batch() {
        let alone = at(Batching::Continuous(1.0), Metric::TtftMs);
        let light = at(Batching::Continuous(4.0), Metric::TtftMsMean);
        let heavy = at(Batching::Continuous(64.0), Metric::TtftMsMean);
        assert!(alone < light && light < heavy, "{alone} {light} {heavy}");
        assert_eq!(
            predict(&setup(Batching::MaxThroughput), Metric::TtftMsMean),
            Err(Unpredictable::Queued)
        );
    }

    #[test]
    fn more_arrivals_hold_more_sequences_and_slow_each_token() {
        let light = at(Batching::RequestRate(0.5), Metric::TpotMsMean);
        let busy = at(Batching::RequestRate(4.0), Metric::TpotMsMean);
        assert!(light < busy, "{light} {busy}");
        let ttft_light = at(Batching::RequestRate(0.5), Metric::TtftMsMean);
        let ttft_busy = at(Batching::RequestRate(4.0), Metric::TtftMsMean);
        assert!(ttft_light < ttft_busy, "{ttft_light} {ttft_busy}");
        // Below saturation every arriving request is served.
        let served = at(Batching::RequestRate(4.0), Metric::RequestThroughput);
        assert!((served - 4.0).abs() < 1e-9, "{served}");
    }

    #[test]
    fn rare_arrivals_leave_the_accelerators_near_idle() {
        let busy = at(Batching::Continuous(1.0), Metric::WattsGpuTotal);
        let rare = at(Batching::RequestRate(0.001), Metric::WattsGpuTotal);
        let idle = 8.0 * setup(Batching::MaxThroughput).accelerator.idle_w;
        assert!(rare < busy && rare < idle * 1.01, "{rare} {busy} {idle}");
    }

    #[test]
    fn a_static_batch_waits_for_every_prompt_before_its_first_token() {
        let one = at(Batching::Static(1.0), Metric::TtftMsMean);
        let many = at(Batching::Static(32.0), Metric::TtftMsMean);
        assert!(many > 10.0 * one, "{one} {many}");
        assert_eq!(at(Batching::Static(32.0), Metric::TtftMsP99), many);
    }

    #[test]
    fn arrivals_beyond_capacity_saturate_the_system() {
        let capacity = at(Batching::MaxThroughput, Metric::RequestThroughput);
        let served = at(
            Batching::RequestRate(capacity * 3.0),
            Metric::RequestThroughput,
        );
        assert!(served <= capacity * 1.0001, "{served} > {capacity}");
        assert_eq!(
            predict(
                &setup(Batching::RequestRate(capacity * 3.0)),
                Metric::TtftMsMean
            ),
            Err(Unpredictable::Overloaded)
        );
    }

    #[test]
    fn the_99th_percentile_is_above_the_mean_and_spreads_with_load() {
        for rate in [0.5, 2.0, 4.0] {
            let b = Batching::RequestRate(rate);
            assert!(
                at(b, Metric::TtftMsP99) >= at(b, Metric::TtftMsMean),
                "{rate}"
            );
            assert!(
                at(b, Metric::TpotMsP99) >= at(b, Metric::TpotMsMean),
                "{rate}"
            );
        }
        let spread = |rate: f64| {
            let b = Batching::RequestRate(rate);
            at(b, Metric::TpotMsP99) / at(b, Metric::TpotMsMean)
        };
        assert!(spread(0.5) < spread(4.0), "{} {}", spread(0.5), spread(4.0));
        // A static batch moves in lockstep: every request sees the same steps.
        let b = Batching::Static(8.0);
        assert_eq!(at(b, Metric::TpotMsP99), at(b, Metric::TpotMsMean));
    }

    #[test]
    fn the_steady_state_predicts_the_mean_step_as_the_median() {
        let b = Batching::Continuous(16.0);
        assert_eq!(at(b, Metric::TpotMsMean), at(b, Metric::TpotMsMedian));
    }
}
