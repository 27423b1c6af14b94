//! The performance model: first-principles (roofline) step times for a
//! replica serving with continuous batching, the memory that bounds its
//! concurrency, and which resource limits each phase.
//!
//! In steady state a replica holds `B` sequences. Every decode step emits
//! one token for each of them, and as sequences finish, new ones enter: on
//! average `B · input / output` prompt tokens are prefilled per step.
//! A step prefills the prompts waiting when it starts (at most a step
//! budget's worth), so when fewer than one prompt arrives per step, the
//! average step is a mix of steps that carry a prompt and steps that only
//! decode. A step reads the weights
//! once (for a mixture-of-experts model, only the experts the step's tokens
//! touch), reads every sequence's KV cache, does the arithmetic for all
//! tokens, and all-reduces activations across the tensor-parallel group.
//! Its time is the slower of memory traffic and arithmetic, each at a
//! calibrated fraction of the datasheet peak, plus communication and a
//! fixed scheduling overhead.

use serde::{Deserialize, Serialize};

use crate::accelerator::AcceleratorSpec;
use crate::latency::{Load, Targets};
use crate::model::{ModelSpec, Precision};

/// Bytes per activation element exchanged between tensor-parallel peers.
const ACTIVATION_BYTES: f64 = 2.0;

/// Bandwidth from one pipeline stage to the next, GB/s: a 400 Gb/s network
/// port per accelerator, as in NVIDIA's DGX H100 and B200 servers (eight
/// ConnectX-7 cards of 400 Gb/s, per their datasheets). A modelling default.
pub const STAGE_LINK_GB_S: f64 = 50.0;

/// Latency of one send from a pipeline stage to the next, µs: a network
/// round of RDMA plus the stack's hand-off. A modelling default, not fitted.
pub const STAGE_HOP_LATENCY_US: f64 = 10.0;

/// Time to send one prompt's KV cache from a prefill replica of
/// `prefill_gpus` accelerators to a decode replica of `decode_gpus`, s:
/// each accelerator's shard over its own network port (the smaller side's
/// ports bound it), as disaggregated stacks move it (NIXL, Mooncake) over
/// RDMA, plus one hop's latency. The pools sit on different servers, so
/// the network carries it even on one kind of accelerator.
pub fn cache_transfer_s(bytes: f64, prefill_gpus: u32, decode_gpus: u32) -> f64 {
    let ports = f64::from(prefill_gpus.min(decode_gpus).max(1));
    bytes / (ports * STAGE_LINK_GB_S * 1e9) + STAGE_HOP_LATENCY_US * 1e-6
}

/// Most prompt tokens one step prefills beside its decodes: a common
/// default step budget (vLLM's `max_num_batched_tokens`, SGLang's
/// `chunked_prefill_size` on many parts, TensorRT-LLM's `max_num_tokens`).
pub const PREFILL_CHUNK_TOKENS: f64 = 8192.0;

/// How close a software stack gets to the hardware's peaks. Defaults come
/// from the calibration against published measurements (see the README).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Efficiency {
    /// Achieved share of peak memory bandwidth (MBU) when streaming weights.
    pub memory_bandwidth: f64,
    /// Achieved share of peak memory bandwidth when attention reads the KV
    /// cache (scattered pages, lower than weight streaming).
    pub kv_bandwidth: f64,
    /// Achieved share of peak tensor throughput (MFU) on prefill's large matrix multiplies.
    pub prefill_compute: f64,
    /// Achieved share of peak tensor throughput on decode's batch-sized multiplies.
    pub decode_compute: f64,
    /// Achieved share of the interconnect's bandwidth in all-reduces.
    pub interconnect: f64,
    /// Fixed latency of one all-reduce, microseconds.
    pub allreduce_latency_us: f64,
    /// Fixed per-step cost of scheduling, sampling and kernel launches, milliseconds.
    pub step_overhead_ms: f64,
    /// Fixed cost per layer per step (small kernels, synchronisation), microseconds.
    pub layer_overhead_us: f64,
    /// Fixed cost per generated token per step, microseconds: the work the
    /// stack does for each sequence in the batch whatever its length
    /// (scheduling, sampling, detokenising, streaming the token out).
    #[serde(default)]
    pub token_overhead_us: f64,
    /// Extra fixed cost per mixture-of-experts layer per step (routing and
    /// grouped expert kernels), microseconds.
    pub moe_layer_overhead_us: f64,
    /// Latency of one all-to-all token exchange when a mixture-of-experts
    /// layer's experts are spread whole across the accelerators (expert
    /// parallelism; two per layer: dispatch and combine), microseconds.
    pub expert_exchange_latency_us: f64,
    /// Share of accelerator memory the runtime may use (weights, cache, activations).
    pub memory_utilisation: f64,
    /// Memory per accelerator kept for activations and runtime buffers, GB.
    pub activation_reserve_gb: f64,
    /// Most sequences the scheduler runs at once.
    pub max_batch: u32,
}

impl Efficiency {
    /// These factors with every step `speed` times as fast (each achieved
    /// share that much higher, each fixed cost that much shorter) and
    /// prefill `prefill` times as fast: the model's step times scale
    /// exactly by their inverse.
    pub fn sped_up(self, speed: f64, prefill: f64) -> Self {
        Efficiency {
            memory_bandwidth: self.memory_bandwidth * speed,
            kv_bandwidth: self.kv_bandwidth * speed,
            prefill_compute: self.prefill_compute * prefill,
            decode_compute: self.decode_compute * speed,
            interconnect: self.interconnect * speed,
            allreduce_latency_us: self.allreduce_latency_us / speed,
            step_overhead_ms: self.step_overhead_ms / speed,
            layer_overhead_us: self.layer_overhead_us / speed,
            token_overhead_us: self.token_overhead_us / speed,
            moe_layer_overhead_us: self.moe_layer_overhead_us / speed,
            expert_exchange_latency_us: self.expert_exchange_latency_us / speed,
            ..self
        }
    }

    /// These factors with no achieved share past the datasheet's peak.
    pub fn within_peak(self) -> Self {
        Efficiency {
            memory_bandwidth: self.memory_bandwidth.min(1.0),
            kv_bandwidth: self.kv_bandwidth.min(1.0),
            prefill_compute: self.prefill_compute.min(1.0),
            decode_compute: self.decode_compute.min(1.0),
            interconnect: self.interconnect.min(1.0),
            ..self
        }
    }

    /// These factors with the achieved shares of peak bandwidth and
    /// compute multiplied by `share`: the same stack on a platform whose
    /// kernels reach that much less of the datasheet.
    pub fn at_achieved_share(self, share: f64) -> Self {
        Efficiency {
            memory_bandwidth: self.memory_bandwidth * share,
            kv_bandwidth: self.kv_bandwidth * share,
            prefill_compute: self.prefill_compute * share,
            decode_compute: self.decode_compute * share,
            ..self
        }
    }
}

/// Which resource sets a phase's speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Limiter {
    /// Tensor arithmetic.
    Compute,
    /// Reading weights and KV cache from memory.
    MemoryBandwidth,
    /// All-reduces between tensor-parallel peers and exchanges with experts.
    Interconnect,
    /// Fixed per-step scheduling cost.
    Overhead,
}

/// A replica: one copy of the model over `tensor_parallel` accelerators.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Replica<'a> {
    /// The model.
    pub model: &'a ModelSpec,
    /// Weight storage format.
    pub weights: Precision,
    /// KV-cache storage format.
    pub kv_cache: Precision,
    /// The accelerator.
    pub accelerator: &'a AcceleratorSpec,
    /// Accelerators per replica (tensor parallel degree).
    pub tensor_parallel: u32,
    /// A mixture-of-experts model's experts spread whole across the
    /// replica's accelerators (expert parallelism), tokens sent to them and
    /// back, rather than each expert split across them like a dense layer.
    pub expert_parallel: bool,
    /// Pipeline stages the layers are split into, each on its own
    /// `tensor_parallel` accelerators (1: no pipeline). The replica has
    /// `tensor_parallel × pipeline_stages` accelerators.
    pub pipeline_stages: u32,
    /// The serving stack's efficiency.
    pub efficiency: &'a Efficiency,
}

/// The shape of the requests served.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RequestShape {
    /// Prompt tokens per request.
    pub input_tokens: f64,
    /// Generated tokens per request (visible plus reasoning).
    pub output_tokens: f64,
    /// Share of prompt tokens found in the prefix cache, 0 to 1.
    pub prefix_cache_hit_rate: f64,
}

impl RequestShape {
    /// Prompt tokens that must actually be computed.
    pub fn prefilled_tokens(&self) -> f64 {
        self.input_tokens * (1.0 - self.prefix_cache_hit_rate)
    }

    /// Context length averaged over a sequence's decode: the prompt plus half the output.
    pub fn mean_context(&self) -> f64 {
        self.input_tokens + self.output_tokens / 2.0
    }

    /// Context at the last generated token.
    pub fn full_context(&self) -> f64 {
        self.input_tokens + self.output_tokens
    }
}

/// Memory use of a replica.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Memory {
    /// Weights per accelerator, GB.
    pub weights_gb_per_gpu: f64,
    /// Memory per accelerator left for KV cache, GB (negative: the model does not fit).
    pub kv_budget_gb_per_gpu: f64,
    /// KV cache (and a hybrid model's recurrent state) one sequence needs at
    /// full context, GB, across the replica.
    pub kv_gb_per_sequence: f64,
    /// Sequences whose full-context cache fits in the replica.
    pub max_concurrency: f64,
}

/// `share` of the way from `a` to `b`.
fn between(a: f64, b: f64, share: f64) -> f64 {
    a + (b - a) * share
}

/// One family of kernels on the roofline: its memory traffic and its
/// arithmetic overlap, so one step's kernels take the longer of the two.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Roofline {
    /// Memory traffic at the achieved bandwidth, seconds.
    pub memory_s: f64,
    /// Arithmetic at the achieved throughput, seconds.
    pub compute_s: f64,
    /// The kernels' time: the slower of traffic and arithmetic (for an
    /// average over steps of two kinds, the average of their times).
    pub time_s: f64,
}

impl Roofline {
    /// Every part `k` times as long.
    fn times(&self, k: f64) -> Roofline {
        Roofline {
            memory_s: self.memory_s * k,
            compute_s: self.compute_s * k,
            time_s: self.time_s * k,
        }
    }

    fn new(memory_s: f64, compute_s: f64) -> Self {
        Roofline {
            memory_s,
            compute_s,
            time_s: memory_s.max(compute_s),
        }
    }

    /// `share` of the way from `self` to `other`, every part alike.
    fn towards(&self, other: &Roofline, share: f64) -> Roofline {
        let mix = |a, b| between(a, b, share);
        Roofline {
            memory_s: mix(self.memory_s, other.memory_s),
            compute_s: mix(self.compute_s, other.compute_s),
            time_s: mix(self.time_s, other.time_s),
        }
    }

    fn memory_bound(&self) -> bool {
        self.memory_s >= self.compute_s
    }
}

/// Time of one step broken into its parts, seconds.
///
/// The matrix multiplies and the attention kernels run one after the
/// other, each on its own roofline: at a large batch the multiplies are
/// compute-bound while attention still streams every sequence's cache, and
/// the two times add rather than hide each other.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StepTime {
    /// Matrix multiplies: the weights streamed against the step's tokens.
    pub linear: Roofline,
    /// Attention: each sequence's KV cache read against its queries.
    pub attention: Roofline,
    /// Tensor-parallel all-reduces and expert exchanges.
    pub interconnect_s: f64,
    /// Fixed scheduling overhead.
    pub overhead_s: f64,
}

impl StepTime {
    /// Every part `k` times as long: `k` stages of a pipeline in turn.
    fn times(&self, k: f64) -> StepTime {
        StepTime {
            linear: self.linear.times(k),
            attention: self.attention.times(k),
            interconnect_s: self.interconnect_s * k,
            overhead_s: self.overhead_s * k,
        }
    }

    /// The step's wall time.
    pub fn total_s(&self) -> f64 {
        self.linear.time_s + self.attention.time_s + self.interconnect_s + self.overhead_s
    }

    /// The average step when a share `share` of the steps are `other` and
    /// the rest are `self`.
    fn towards(&self, other: &StepTime, share: f64) -> StepTime {
        let mix = |a, b| between(a, b, share);
        StepTime {
            linear: self.linear.towards(&other.linear, share),
            attention: self.attention.towards(&other.attention, share),
            interconnect_s: mix(self.interconnect_s, other.interconnect_s),
            overhead_s: mix(self.overhead_s, other.overhead_s),
        }
    }

    /// Seconds the memory system streams during the step.
    pub fn memory_s(&self) -> f64 {
        self.linear.memory_s + self.attention.memory_s
    }

    /// Seconds the tensor cores compute during the step.
    pub fn compute_s(&self) -> f64 {
        self.linear.compute_s + self.attention.compute_s
    }

    /// The resource that accounts for most of the step.
    pub fn limiter(&self) -> Limiter {
        let (mut memory_bound, mut compute_bound) = (0.0, 0.0);
        for part in [self.linear, self.attention] {
            if part.memory_bound() {
                memory_bound += part.time_s;
            } else {
                compute_bound += part.time_s;
            }
        }
        [
            (Limiter::MemoryBandwidth, memory_bound),
            (Limiter::Compute, compute_bound),
            (Limiter::Interconnect, self.interconnect_s),
            (Limiter::Overhead, self.overhead_s),
        ]
        .into_iter()
        .fold(
            (Limiter::MemoryBandwidth, f64::NEG_INFINITY),
            |best, next| {
                if next.1 > best.1 { next } else { best }
            },
        )
        .0
    }
}

/// A replica serving `concurrency` sequences in steady state.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OperatingPoint {
    /// Sequences in flight.
    pub concurrency: f64,
    /// The average decode step (with its share of prefill), broken down.
    pub step: StepTime,
    /// Time per output token for each user, seconds.
    pub tpot_s: f64,
    /// Generated tokens per second, whole replica.
    pub output_tokens_per_s: f64,
    /// Prompt tokens per second processed (cache hits included), whole replica.
    pub input_tokens_per_s: f64,
    /// Share of the step's time that prefill adds to it, 0 to 1: the GPU
    /// time charged to input tokens.
    pub prefill_share: f64,
    /// What limits decode.
    pub decode_limiter: Limiter,
    /// Share of the step the tensor cores are busy, 0 to 1.
    pub compute_busy: f64,
    /// Share of the step the memory system is busy, 0 to 1.
    pub memory_busy: f64,
    /// Share of the step without its prompt work (decode alone) the tensor
    /// cores are busy, 0 to 1: with [`OperatingPoint::memory_busy_decoding`],
    /// what the board draws while it only generates.
    pub compute_busy_decoding: f64,
    /// Share of the step without its prompt work the memory system is busy, 0 to 1.
    pub memory_busy_decoding: f64,
}

/// One prompt prefilled alone.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Prefill {
    /// Its time, broken down.
    pub step: StepTime,
    /// What limits it.
    pub limiter: Limiter,
}

impl Replica<'_> {
    fn tp(&self) -> f64 {
        f64::from(self.tensor_parallel)
    }

    fn stages(&self) -> f64 {
        f64::from(self.pipeline_stages.max(1))
    }

    /// The layers one stage holds (the whole model without a pipeline).
    fn stage(&self) -> ModelSpec {
        self.model.pipeline_stage(self.pipeline_stages)
    }

    /// KV-cache bytes per token of context across one stage, copies included.
    fn kv_bytes_per_token(&self) -> f64 {
        self.stage()
            .kv_bytes_per_token_sharded(self.kv_cache, self.tensor_parallel)
    }

    /// Memory use and the concurrency that fits. With a pipeline, each
    /// stage holds its layers' weights and every sequence's cache for them.
    pub fn memory(&self, shape: &RequestShape) -> Memory {
        let gpu = self.accelerator;
        let stage = self.stage();
        let weights_gb_per_gpu = stage.weight_bytes(self.weights) / self.tp() / 1e9;
        let usable_gb = gpu.memory_gb * self.efficiency.memory_utilisation;
        let kv_budget_gb_per_gpu =
            usable_gb - self.efficiency.activation_reserve_gb - weights_gb_per_gpu;
        let kv_gb_per_sequence = (self.kv_bytes_per_token() * shape.full_context()
            + stage.state_bytes_per_sequence())
            / 1e9;
        let max_concurrency = if kv_budget_gb_per_gpu <= 0.0 {
            0.0
        } else {
            (kv_budget_gb_per_gpu * self.tp() / kv_gb_per_sequence).floor()
        };
        Memory {
            weights_gb_per_gpu,
            kv_budget_gb_per_gpu,
            kv_gb_per_sequence,
            max_concurrency,
        }
    }

    /// Time of one forward step that decodes `decode_tokens` sequences and
    /// prefills `prefill_tokens` prompt tokens, reading `kv_tokens_read`
    /// tokens of KV cache.
    fn step(
        &self,
        decode_tokens: f64,
        prefill_tokens: f64,
        kv_tokens_read: f64,
        shape: &RequestShape,
    ) -> StepTime {
        let m = &self.stage();
        let gpu = self.accelerator;
        let eff = self.efficiency;
        let tp = self.tp();
        let tokens = decode_tokens + prefill_tokens;

        let bandwidth = tp * gpu.memory_bandwidth_bytes_s();
        let peak = tp * gpu.peak_flops(self.weights);
        let linear = Roofline::new(
            m.weight_bytes_read(tokens, self.weights) / (bandwidth * eff.memory_bandwidth),
            m.linear_flops_per_token()
                * (decode_tokens / (peak * eff.decode_compute)
                    + prefill_tokens / (peak * eff.prefill_compute)),
        );
        // Attention arithmetic runs in 16 bits whatever the weights' format.
        let attention_peak = tp * gpu.peak_flops(Precision::Bf16);
        // A prompt token attends on average to half the prompt before it.
        // A hybrid model's linear layers read and write each decoding
        // sequence's recurrent state once a step.
        let state_bytes = decode_tokens * 2.0 * m.state_bytes_per_sequence();
        let attention = Roofline::new(
            (kv_tokens_read * self.kv_bytes_per_token() + state_bytes)
                / (bandwidth * eff.kv_bandwidth),
            decode_tokens * m.attention_flops_per_token(shape.mean_context())
                / (attention_peak * eff.decode_compute)
                + prefill_tokens * m.attention_flops_per_token(shape.input_tokens / 2.0)
                    / (attention_peak * eff.prefill_compute),
        );

        let moe_layers = if m.moe.is_some() {
            f64::from(m.layers)
        } else {
            0.0
        };
        let interconnect_s = if self.tensor_parallel > 1 {
            // A ring all-reduce of the hidden state after attention and
            // after the feed-forward block of every layer. With experts
            // spread whole, a mixture-of-experts block instead sends each
            // token to its experts and back (two exchanges, taken to move
            // about the all-reduce's bytes) and needs no all-reduce; with
            // experts split, it all-reduces like a dense block and
            // exchanges nothing.
            let bytes = tokens * f64::from(m.hidden) * ACTIVATION_BYTES;
            let ring =
                2.0 * (tp - 1.0) / tp * bytes / (gpu.interconnect_gb_s * 1e9 * eff.interconnect);
            let layers = f64::from(m.layers);
            let exchanging_layers = if self.expert_parallel {
                moe_layers
            } else {
                0.0
            };
            2.0 * layers * ring
                + (2.0 * layers - exchanging_layers) * eff.allreduce_latency_us * 1e-6
                + 2.0 * exchanging_layers * eff.expert_exchange_latency_us * 1e-6
        } else {
            0.0
        };
        // A stage hands its tokens' activations to the next over the network.
        let hop_s = if self.pipeline_stages > 1 {
            tokens * f64::from(m.hidden) * ACTIVATION_BYTES / (STAGE_LINK_GB_S * 1e9)
                + STAGE_HOP_LATENCY_US * 1e-6
        } else {
            0.0
        };
        let interconnect_s = interconnect_s + hop_s;
        let overhead_s = eff.step_overhead_ms * 1e-3
            + f64::from(m.layers) * eff.layer_overhead_us * 1e-6
            + moe_layers * eff.moe_layer_overhead_us * 1e-6
            + decode_tokens * eff.token_overhead_us * 1e-6;
        StepTime {
            linear,
            attention,
            interconnect_s,
            overhead_s,
        }
    }

    /// Steady state at `concurrency` sequences. With a pipeline the
    /// sequences are split into one micro-batch per stage (at least one
    /// sequence each): every stage works on its own micro-batch at once,
    /// and a sequence's next token waits for all the stages in turn.
    pub fn operating_point(&self, shape: &RequestShape, concurrency: f64) -> OperatingPoint {
        let b = concurrency.max(1.0);
        let stages = self.stages();
        let micro = (b / stages).max(1.0);
        // Stages without a micro-batch of their own sit idle.
        let occupied = (b / stages).min(1.0);
        let prefill_tokens = micro * shape.prefilled_tokens() / shape.output_tokens.max(1.0);
        let kv_tokens_read = micro * shape.mean_context();
        let decode_only = self.step(micro, 0.0, kv_tokens_read, shape);
        // A step prefills the prompt tokens waiting when it starts, up to
        // the step budget; the scheduler does not wait for more. With
        // prompts arriving one by one and fewer prompt tokens than one
        // prompt per step, some steps carry a prompt (or a budget's chunk
        // of a long one) and the rest decode alone: spread thin over every
        // step instead, a mixture-of-experts model would be charged for
        // waking most of its experts every step, and a dense model's
        // prefill arithmetic would hide under its weight reads.
        let chunk = PREFILL_CHUNK_TOKENS.min(shape.prefilled_tokens());
        let step = if prefill_tokens >= chunk {
            self.step(micro, prefill_tokens, kv_tokens_read, shape)
        } else {
            let with_chunk = self.step(micro, chunk, kv_tokens_read, shape);
            decode_only.towards(&with_chunk, prefill_tokens / chunk)
        };
        let total = step.total_s();
        let cycle = total * stages;
        // Prefill is charged the time it adds to the step.
        let decode_only_s = decode_only.total_s();
        OperatingPoint {
            concurrency: b,
            step,
            tpot_s: cycle,
            output_tokens_per_s: b / cycle,
            input_tokens_per_s: b * shape.input_tokens / shape.output_tokens.max(1.0) / cycle,
            prefill_share: ((total - decode_only_s) / total).clamp(0.0, 1.0),
            decode_limiter: decode_only.limiter(),
            compute_busy: (step.compute_s() / total * occupied).clamp(0.0, 1.0),
            memory_busy: (step.memory_s() / total * occupied).clamp(0.0, 1.0),
            compute_busy_decoding: (decode_only.compute_s() / decode_only_s * occupied)
                .clamp(0.0, 1.0),
            memory_busy_decoding: (decode_only.memory_s() / decode_only_s * occupied)
                .clamp(0.0, 1.0),
        }
    }

    /// Time to first token with `concurrency` sequences in flight and no
    /// prompt queued ahead: the prompt's own prefill plus one step of the
    /// running batch, which it waits for before its chunks are scheduled.
    pub fn ttft_s(&self, shape: &RequestShape, point: &OperatingPoint) -> f64 {
        self.prefill_alone(shape).step.total_s() + point.step.total_s()
    }

    /// The replica at `point` under random arrivals.
    pub fn load(&self, shape: &RequestShape, point: &OperatingPoint) -> Load {
        self.load_after(self.prefill_alone(shape).step.total_s(), shape, point)
    }

    /// [`Replica::load`] with one prompt's prefill already known (it does
    /// not depend on the concurrency), s.
    pub fn load_after(&self, prefill_s: f64, shape: &RequestShape, point: &OperatingPoint) -> Load {
        Load::at_concurrency(
            prefill_s,
            point.step.total_s(),
            point.tpot_s,
            shape.output_tokens,
            point.concurrency,
            point.prefill_share,
        )
    }

    /// The busiest operating point that still meets the latency targets:
    /// the largest concurrency, up to `max_concurrency`, whose time per
    /// output token and time to first token (queue included, at the
    /// statistic the targets name) are within them. Both grow with
    /// concurrency, so a bisection finds it. When even one sequence misses
    /// a target, the point at one sequence is returned and its latency
    /// shows by how much.
    pub fn best_operating_point(
        &self,
        shape: &RequestShape,
        max_concurrency: f64,
        targets: &Targets,
    ) -> OperatingPoint {
        let prefill_s = self.prefill_alone(shape).step.total_s();
        let meets = |b: f64| {
            let p = self.operating_point(shape, b);
            targets.met_by(&self.load_after(prefill_s, shape, &p).latency())
        };
        let (mut lo, mut hi) = (1.0_f64, max_concurrency.max(1.0).floor());
        if meets(hi) {
            return self.operating_point(shape, hi);
        }
        if !meets(lo) {
            return self.operating_point(shape, lo);
        }
        // Invariant: meets(lo) and not meets(hi).
        while hi - lo > 1.0 {
            let mid = ((lo + hi) / 2.0).floor();
            if meets(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        self.operating_point(shape, lo)
    }

    /// A static batch: `batch` requests prefilled together, then decoded in
    /// lockstep until all finish (how fixed-batch benchmarks run).
    /// Returns the wall time of the whole batch, seconds.
    pub fn static_batch_s(&self, shape: &RequestShape, batch: f64) -> f64 {
        let b = batch.max(1.0);
        let micro = (b / self.stages()).max(1.0);
        let decode = self
            .step(micro, 0.0, micro * shape.mean_context(), shape)
            .total_s()
            * self.stages();
        self.static_prefill_s(shape, b) + decode * shape.output_tokens.max(1.0)
    }

    /// The prefill of a static batch of `batch` prompts, done together
    /// before any decodes: every request's time to first token.
    pub fn static_prefill_s(&self, shape: &RequestShape, batch: f64) -> f64 {
        let b = batch.max(1.0);
        self.step(
            0.0,
            b * shape.prefilled_tokens(),
            b * shape.input_tokens,
            shape,
        )
        .total_s()
            * self.stages()
    }

    /// A replica that only prefills (disaggregated serving), its prompts
    /// packed up to the step budget: the time of one prompt's share of a
    /// packed step, which is what each prompt holds the replica for.
    /// Prompts longer than the budget take their own steps.
    pub fn packed_prefill(&self, shape: &RequestShape) -> Prefill {
        let tokens = shape.prefilled_tokens().max(1.0);
        let per_step = (PREFILL_CHUNK_TOKENS / tokens).max(1.0);
        let step = self.step(0.0, per_step * tokens, per_step * shape.input_tokens, shape);
        Prefill {
            limiter: step.limiter(),
            step: step.times(self.stages() / per_step),
        }
    }

    /// Bytes of one prompt's KV cache (and a hybrid model's state) for the
    /// whole model: what a prefill replica sends to a decode replica.
    pub fn prompt_cache_bytes(&self, shape: &RequestShape) -> f64 {
        self.model.kv_bytes_per_token(self.kv_cache) * shape.input_tokens
            + self.model.state_bytes_per_sequence()
    }

    /// One prompt of `shape.input_tokens` prefilled on an idle replica: the
    /// time to first token at batch 1.
    pub fn prefill_alone(&self, shape: &RequestShape) -> Prefill {
        let tokens = shape.prefilled_tokens().max(1.0);
        // Through every stage in turn.
        let step = self.step(0.0, tokens, shape.input_tokens, shape);
        Prefill {
            limiter: step.limiter(),
            step: step.times(self.stages()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::fixtures;
    use crate::latency::Percentile;
    use crate::model::{Attention, Moe};

    fn llama_70b() -> ModelSpec {
        fixtures::model("llama-3.1-70b-instruct")
    }

    fn h100() -> AcceleratorSpec {
        fixtures::accelerator("h100-sxm-80gb")
    }

    fn efficiency() -> Efficiency {
        Efficiency {
            memory_bandwidth: 0.8,
            kv_bandwidth: 0.8,
            prefill_compute: 0.6,
            decode_compute: 0.5,
            interconnect: 0.7,
            allreduce_latency_us: 10.0,
            step_overhead_ms: 1.0,
            layer_overhead_us: 0.0,
            token_overhead_us: 0.0,
            moe_layer_overhead_us: 0.0,
            expert_exchange_latency_us: 0.0,
            memory_utilisation: 0.9,
            activation_reserve_gb: 2.0,
            max_batch: 256,
        }
    }

    fn chat() -> RequestShape {
        RequestShape {
            input_tokens: 1000.0,
            output_tokens: 300.0,
            prefix_cache_hit_rate: 0.0,
        }
    }

    fn replica<'a>(
        m: &'a ModelSpec,
        g: &'a AcceleratorSpec,
        e: &'a Efficiency,
        tp: u32,
    ) -> Replica<'a> {
        Replica {
            model: m,
            weights: Precision::Bf16,
            kv_cache: Precision::Bf16,
            accelerator: g,
            tensor_parallel: tp,
            expert_parallel: false,
            pipeline_stages: 1,
            efficiency: e,
        }
    }

    #[test]
    fn a_pipeline_passes_each_token_through_every_stage() {
        let (m, g, e) = (
            fixtures::model("llama-3.1-405b-instruct"),
            h100(),
            efficiency(),
        );
        let one = replica(&m, &g, &e, 8);
        let two = Replica {
            pipeline_stages: 2,
            ..one
        };
        // 810 GB of weights: eight H100s cannot hold them, two servers can.
        assert!(one.memory(&chat()).max_concurrency < 1.0);
        let memory = two.memory(&chat());
        assert!(memory.max_concurrency >= 1.0);
        assert!((memory.weights_gb_per_gpu - 810.0 / 16.0).abs() < 1.0);
        // Each stage works on its own micro-batch of half the sequences,
        // and a token waits for both stages in turn.
        let point = two.operating_point(&chat(), 64.0);
        assert!((point.tpot_s - 2.0 * point.step.total_s()).abs() < 1e-12);
        assert!((point.output_tokens_per_s - 64.0 / point.tpot_s).abs() < 1e-9);
        let micro = two.operating_point(&chat(), 32.0);
        assert!(micro.step.total_s() < point.step.total_s());
        // One sequence alone leaves a stage idle half the time.
        let alone = two.operating_point(&chat(), 1.0);
        assert!(alone.memory_busy <= 0.5 + 1e-9, "{}", alone.memory_busy);
        // A prompt is prefilled by both stages in turn.
        let prefill = two.prefill_alone(&chat()).step.total_s();
        let stage = Replica {
            model: &m.pipeline_stage(2),
            pipeline_stages: 1,
            ..one
        };
        let hop = 1000.0 * f64::from(m.hidden) * ACTIVATION_BYTES / (STAGE_LINK_GB_S * 1e9)
            + STAGE_HOP_LATENCY_US * 1e-6;
        let expected = 2.0 * (stage.prefill_alone(&chat()).step.total_s() + hop);
        assert!(
            (prefill / expected - 1.0).abs() < 1e-9,
            "{prefill} vs {expected}"
        );
    }

    #[test]
    fn single_stream_decode_of_a_dense_model_is_memory_bound() {
        let (m, g, e) = (llama_70b(), h100(), efficiency());
        let r = replica(&m, &g, &e, 4);
        let p = r.operating_point(&chat(), 1.0);
        assert_eq!(p.decode_limiter, Limiter::MemoryBandwidth);
        // 140 GB over 4 x 3.35 TB/s x 0.8 is about 13 ms of weight reads.
        assert!(p.tpot_s > 0.013 && p.tpot_s < 0.02, "{}", p.tpot_s);
    }

    #[test]
    fn batching_raises_throughput_and_slows_each_user() {
        let (m, g, e) = (llama_70b(), h100(), efficiency());
        let r = replica(&m, &g, &e, 4);
        let one = r.operating_point(&chat(), 1.0);
        let many = r.operating_point(&chat(), 64.0);
        assert!(many.output_tokens_per_s > 10.0 * one.output_tokens_per_s);
        assert!(many.tpot_s > one.tpot_s);
    }

    #[test]
    fn very_large_batches_become_compute_bound() {
        let (m, g, e) = (llama_70b(), h100(), efficiency());
        let r = replica(&m, &g, &e, 8);
        let p = r.operating_point(&chat(), 2048.0);
        assert_eq!(p.decode_limiter, Limiter::Compute);
    }

    #[test]
    fn a_longer_context_slows_decode_even_when_the_multiplies_are_compute_bound() {
        let (m, g, e) = (llama_70b(), h100(), efficiency());
        let r = replica(&m, &g, &e, 8);
        // Prompts fully cached, so only decode differs.
        let short = RequestShape {
            prefix_cache_hit_rate: 1.0,
            ..chat()
        };
        let long = RequestShape {
            input_tokens: 1500.0,
            ..short
        };
        let short = r.operating_point(&short, 2048.0);
        assert!(short.step.linear.compute_s > short.step.linear.memory_s);
        let long = r.operating_point(&long, 2048.0);
        // The extra cache reads are not hidden behind the multiplies.
        let extra_reads = long.step.attention.memory_s - short.step.attention.memory_s;
        assert!(long.tpot_s - short.tpot_s >= 0.99 * extra_reads);
    }

    #[test]
    fn a_hybrid_model_holds_and_streams_a_fixed_state_per_sequence() {
        let hybrid = fixtures::model("qwen3.5-397b-a17b");
        let stateless = ModelSpec {
            attention: Attention::Grouped,
            head_dim: 64,
            ..hybrid
        };
        // Same cache and attention arithmetic per token (15 layers of heads
        // 256 wide, or 60 of heads 64 wide).
        assert_eq!(
            hybrid.kv_elements_per_token(),
            stateless.kv_elements_per_token()
        );
        let (g, e) = (fixtures::accelerator("b200-sxm-180gb"), efficiency());
        let with_state = replica(&hybrid, &g, &e, 4);
        let without = replica(&stateless, &g, &e, 4);
        let state_gb = hybrid.state_bytes_per_sequence() / 1e9;
        assert!((state_gb - 0.195).abs() < 0.001, "{state_gb} GB");
        let (a, b) = (with_state.memory(&chat()), without.memory(&chat()));
        assert!((a.kv_gb_per_sequence - b.kv_gb_per_sequence - state_gb).abs() < 1e-9);
        // Every decode step reads and writes each sequence's state.
        let batch = 64.0;
        let extra = with_state
            .operating_point(&chat(), batch)
            .step
            .attention
            .memory_s
            - without
                .operating_point(&chat(), batch)
                .step
                .attention
                .memory_s;
        let expected =
            batch * 2.0 * state_gb * 1e9 / (4.0 * g.memory_bandwidth_bytes_s() * e.kv_bandwidth);
        assert!(
            (extra / expected - 1.0).abs() < 1e-9,
            "{extra} s vs {expected} s"
        );
    }

    #[test]
    fn a_model_too_big_for_its_gpus_fits_no_sequence() {
        let (m, g, e) = (llama_70b(), h100(), efficiency());
        assert_eq!(replica(&m, &g, &e, 1).memory(&chat()).max_concurrency, 0.0);
        assert!(replica(&m, &g, &e, 4).memory(&chat()).max_concurrency > 100.0);
    }

    #[test]
    fn more_bandwidth_never_slows_decode() {
        let (m, e) = (llama_70b(), efficiency());
        let slow = h100();
        let fast = AcceleratorSpec {
            memory_bandwidth_tb_s: 4.8,
            ..slow
        };
        for b in [1.0, 8.0, 64.0, 512.0] {
            let a = replica(&m, &slow, &e, 4).operating_point(&chat(), b);
            let c = replica(&m, &fast, &e, 4).operating_point(&chat(), b);
            assert!(c.tpot_s <= a.tpot_s, "batch {b}");
        }
    }

    fn targets(tpot_s: f64, ttft_s: f64, at: Percentile) -> Targets {
        Targets { ttft_s, tpot_s, at }
    }

    #[test]
    fn the_best_point_is_the_busiest_that_meets_the_targets() {
        let (m, g, e) = (llama_70b(), h100(), efficiency());
        let r = replica(&m, &g, &e, 4);
        let mean = targets(0.040, 2.0, Percentile::Mean);
        let best = r.best_operating_point(&chat(), 512.0, &mean);
        assert!(mean.met_by(&r.load(&chat(), &best).latency()));
        let next = r.operating_point(&chat(), best.concurrency + 1.0);
        assert!(!mean.met_by(&r.load(&chat(), &next).latency()));
        // A looser target allows a bigger batch and more throughput.
        let loose = r.best_operating_point(&chat(), 512.0, &targets(0.080, 2.0, Percentile::Mean));
        assert!(loose.output_tokens_per_s > best.output_tokens_per_s);
    }

    #[test]
    fn targets_at_the_99th_percentile_allow_a_smaller_batch() {
        let (m, g, e) = (llama_70b(), h100(), efficiency());
        let r = replica(&m, &g, &e, 4);
        // A time-to-first-token target that binds: the queue of prompts
        // behind a busy replica is what the 99th percentile sees.
        let mean = r.best_operating_point(&chat(), 512.0, &targets(0.060, 0.5, Percentile::Mean));
        let p99 = r.best_operating_point(&chat(), 512.0, &targets(0.060, 0.5, Percentile::P99));
        assert!(
            p99.concurrency < mean.concurrency,
            "{} vs {}",
            p99.concurrency,
            mean.concurrency
        );
        let latency = r.load(&chat(), &p99).latency();
        assert!(latency.ttft_p99_s <= 0.5 && latency.tpot_p99_s <= 0.060);
    }

    #[test]
    fn an_unreachable_target_falls_back_to_one_sequence() {
        let (m, g, e) = (llama_70b(), h100(), efficiency());
        let r = replica(&m, &g, &e, 4);
        let p = r.best_operating_point(&chat(), 512.0, &targets(0.001, 2.0, Percentile::Mean));
        assert_eq!(p.concurrency, 1.0);
        assert!(p.tpot_s > 0.001);
    }

    #[test]
    fn a_long_prompt_prefill_is_compute_bound() {
        let (m, g, e) = (llama_70b(), h100(), efficiency());
        let shape = RequestShape {
            input_tokens: 8000.0,
            ..chat()
        };
        let p = replica(&m, &g, &e, 4).prefill_alone(&shape);
        assert_eq!(p.limiter, Limiter::Compute);
    }

    #[test]
    fn a_moe_model_decodes_faster_than_a_dense_one_of_the_same_size() {
        let dense = ModelSpec {
            total_params_b: 47.0,
            active_params_b: 47.0,
            ..llama_70b()
        };
        let moe = ModelSpec {
            active_params_b: 13.0,
            moe: Some(Moe {
                experts: 8,
                experts_per_token: 2,
            }),
            ..dense
        };
        let (g, e) = (h100(), efficiency());
        let d = replica(&dense, &g, &e, 2).operating_point(&chat(), 1.0);
        let s = replica(&moe, &g, &e, 2).operating_point(&chat(), 1.0);
        assert!(s.tpot_s < d.tpot_s);
    }

    #[test]
    fn only_experts_spread_across_accelerators_pay_for_exchanges() {
        let moe = fixtures::model("mixtral-8x7b-instruct-v0.1");
        let (g, e) = (h100(), efficiency());
        let split = replica(&moe, &g, &e, 4);
        let spread = Replica {
            expert_parallel: true,
            pipeline_stages: 1,
            ..split
        };
        let decode = RequestShape {
            input_tokens: 0.0,
            ..chat()
        };
        let step = |r: &Replica| r.operating_point(&decode, 8.0).step;
        // Split experts all-reduce like a dense layer, whatever the
        // exchange's latency; spread experts swap the feed-forward
        // all-reduce of every layer for a dispatch and a combine.
        let pricier = Efficiency {
            expert_exchange_latency_us: 500.0,
            ..e
        };
        let split_pricier = Replica {
            efficiency: &pricier,
            ..split
        };
        assert_eq!(
            step(&split).interconnect_s,
            step(&split_pricier).interconnect_s
        );
        let spread_pricier = Replica {
            efficiency: &pricier,
            ..spread
        };
        let layers = f64::from(moe.layers);
        let swap = layers * (2.0 * 500.0 - e.allreduce_latency_us) * 1e-6;
        let extra = step(&spread_pricier).interconnect_s - step(&split).interconnect_s;
        assert!((extra - swap).abs() < 1e-9, "{extra} s against {swap} s");
        // A dense model has no experts to spread.
        let dense = fixtures::model("llama-3.1-70b-instruct");
        let tp = replica(&dense, &g, &e, 4);
        let ep = Replica {
            expert_parallel: true,
            pipeline_stages: 1,
            ..tp
        };
        assert_eq!(step(&tp), step(&ep));
    }

    #[test]
    fn prompts_below_one_a_step_ride_some_steps_whole() {
        // 1,000-token prompts at 300 output tokens and 150 in flight: half
        // a prompt a step on average, so half the steps carry a whole
        // prompt and the others only decode.
        let m = fixtures::model("llama-3.1-8b-instruct");
        let (g, e) = (h100(), efficiency());
        let r = replica(&m, &g, &e, 1);
        let b = 150.0;
        let shape = chat();
        let point = r.operating_point(&shape, b);
        let kv = b * shape.mean_context();
        let decode = r.step(b, 0.0, kv, &shape).total_s();
        let with_prompt = r.step(b, shape.input_tokens, kv, &shape).total_s();
        let mean = (decode + with_prompt) / 2.0;
        assert!(
            (point.tpot_s / mean - 1.0).abs() < 1e-9,
            "{} s against {mean} s",
            point.tpot_s
        );
    }

    /// The prefill work one request brings, in step time: what its prompt
    /// adds to the steps, summed over the steps that emit its tokens.
    fn prefill_time_per_request(r: &Replica, shape: &RequestShape, b: f64) -> f64 {
        let p = r.operating_point(shape, b);
        p.tpot_s * p.prefill_share * shape.output_tokens / b
    }

    #[test]
    fn a_prompt_costs_the_same_prefill_however_long_its_answer() {
        // 512 experts, 10 a token: a chunk of 8k prompt tokens wakes them
        // all, four decoding sequences only a few. Spreading each prompt
        // over its answer's steps would wake most of them every step, and
        // charge a longer answer more for the same prompt.
        let moe = fixtures::model("qwen3.5-397b-a17b");
        let (g, e) = (fixtures::accelerator("b200-sxm-180gb"), efficiency());
        let r = Replica {
            weights: Precision::Fp8,
            kv_cache: Precision::Fp8,
            ..replica(&moe, &g, &e, 4)
        };
        let prompt = |output_tokens| RequestShape {
            input_tokens: 8000.0,
            output_tokens,
            prefix_cache_hit_rate: 0.0,
        };
        let short = prefill_time_per_request(&r, &prompt(500.0), 4.0);
        let long = prefill_time_per_request(&r, &prompt(2000.0), 4.0);
        assert!(short > 0.0);
        // (Within 0.1 %: a longer answer reads a slightly longer cache.)
        assert!(
            (long / short - 1.0).abs() < 1e-3,
            "{short} s against {long} s"
        );
        // A step carrying no chunk reads only the experts its four tokens
        // touch, so the average step stays near the decode step.
        let decode_only = r.operating_point(
            &RequestShape {
                input_tokens: 0.0,
                ..prompt(2000.0)
            },
            4.0,
        );
        let with_prompts = r.operating_point(&prompt(2000.0), 4.0);
        assert!(with_prompts.tpot_s < 1.5 * decode_only.tpot_s);
    }
}
