//! Every numeric input of a deployment, one entry each, in the order of
//! the JSON document; and the accessors the entries share (a catalogue
//! model or accelerator becomes custom figures when one is changed, a
//! fitted factor starts from the stack's own).

use std::ops::ControlFlow;

use super::{Field, Group, Stage, Words};
use crate::accelerator::{AcceleratorSpec, limits as gpu};
use crate::catalogue;
use crate::deployment::inputs::{Choice, Deployment, MeasuredInput};
use crate::input::{Bound, InputError, Range};
use crate::model::{ModelSpec, Moe, limits as model};
use crate::perf::Efficiency;
use crate::power::{PowerFactors, PowerScope};

const fn words(label: &'static str, name: &'static str, unit: &'static str) -> Words {
    Words {
        label,
        name,
        unit,
        help: "",
    }
}

const fn hint(
    label: &'static str,
    name: &'static str,
    unit: &'static str,
    help: &'static str,
) -> Words {
    Words {
        label,
        name,
        unit,
        help,
    }
}

const fn range(field: &'static str, min: f64, bound: Bound, max: f64, unit: &'static str) -> Range {
    Range::new(field, min, bound, max, unit)
}

const fn count(field: &'static str, min: f64, max: f64) -> Range {
    Range::count(field, min, max)
}

const fn share(field: &'static str) -> Range {
    range(field, 0.0, Bound::GreaterThan, 1.0, "")
}

const fn micros(field: &'static str) -> Range {
    range(field, 0.0, Bound::AtLeast, 1e6, " µs")
}

/// A count as stored (the range has made it whole and in bounds).
fn whole(v: f64) -> u32 {
    v as u32
}

/// The model's dimensions, from the catalogue when it names an entry.
fn model_spec(d: &Deployment) -> Option<ModelSpec> {
    match &d.model.choice {
        Choice::Catalogue(id) => catalogue::model(id).map(|m| m.spec),
        Choice::Spec(spec) => Some(*spec),
    }
}

/// The model's dimensions to change: a catalogue entry becomes custom
/// figures; an unknown id stays, to be reported by the evaluation.
fn model_spec_mut(d: &mut Deployment) -> Option<&mut ModelSpec> {
    if let Choice::Catalogue(id) = &d.model.choice {
        let spec = catalogue::model(id)?.spec;
        d.model.choice = Choice::Spec(spec);
    }
    match &mut d.model.choice {
        Choice::Spec(spec) => Some(spec),
        Choice::Catalogue(_) => None,
    }
}

/// The accelerator's figures, from the catalogue when it names an entry.
fn accelerator_spec(d: &Deployment) -> Option<AcceleratorSpec> {
    match &d.hardware.choice {
        Choice::Catalogue(id) => catalogue::accelerator(id).map(|a| a.spec),
        Choice::Spec(spec) => Some(*spec),
    }
}

/// The accelerator's figures to change, as [`model_spec_mut`].
fn accelerator_spec_mut(d: &mut Deployment) -> Option<&mut AcceleratorSpec> {
    if let Choice::Catalogue(id) = &d.hardware.choice {
        let spec = catalogue::accelerator(id)?.spec;
        d.hardware.choice = Choice::Spec(spec);
    }
    match &mut d.hardware.choice {
        Choice::Spec(spec) => Some(spec),
        Choice::Catalogue(_) => None,
    }
}

/// Changes a model dimension.
fn on_model(d: &mut Deployment, change: impl FnOnce(&mut ModelSpec)) {
    if let Some(spec) = model_spec_mut(d) {
        change(spec);
    }
}

/// Changes an accelerator figure.
fn on_accelerator(d: &mut Deployment, change: impl FnOnce(&mut AcceleratorSpec)) {
    if let Some(spec) = accelerator_spec_mut(d) {
        change(spec);
    }
}

/// The efficiency to change: the stack's own, until one is fitted or set.
fn efficiency_mut(d: &mut Deployment) -> &mut Efficiency {
    let default = d.hardware.default_efficiency();
    d.hardware.efficiency.get_or_insert(default)
}

/// The power factors to change: the stack's own, until set.
fn power_mut(d: &mut Deployment) -> &mut PowerFactors {
    let stack = d.hardware.stack;
    d.hardware.power.get_or_insert_with(|| stack.power())
}

/// Changes a measurement; with none left, there are no measurements.
fn on_measured(d: &mut Deployment, change: impl FnOnce(&mut MeasuredInput)) {
    let m = d.measured.get_or_insert(MeasuredInput {
        output_tokens_per_s: None,
        input_tokens_per_s: None,
        watts: None,
        scope: PowerScope::Gpu,
    });
    change(m);
    if m.output_tokens_per_s.is_none() && m.input_tokens_per_s.is_none() && m.watts.is_none() {
        d.measured = None;
    }
}

const MODEL: Group = Group::Model;
const ACCELERATOR: Group = Group::Accelerator;

/// A value as a field's getter gives it: always there, or optional.
#[cfg(not(target_arch = "wasm32"))]
trait Given {
    fn given(self) -> Option<f64>;
}

#[cfg(not(target_arch = "wasm32"))]
impl Given for f64 {
    fn given(self) -> Option<f64> {
        Some(self)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Given for Option<f64> {
    fn given(self) -> Option<f64> {
        self
    }
}

/// The value `get` reads from `d`, whether always there or optional.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn read<T: Given>(d: &Deployment, get: impl Fn(&Deployment) -> T) -> Option<f64> {
    get(d).given()
}

/// Declares each field, lists them all in [`ALL`], and writes
/// [`each_own_problem`] out field by field, so that checking a deployment
/// (done for every evaluation) reads each value directly and checks it
/// against bounds known when compiling: five times faster than a loop
/// over the table.
macro_rules! registry {
    ($($(#[doc = $doc:literal])* $name:ident = Field::$kind:ident(
        $range:expr, $words:expr, $place:expr, $stage:expr, $get:expr, $set:expr $(,)?
    );)*) => {
        // Constants on the server, where checks fold their bounds in;
        // statics in the browser, where each field's words are then in
        // the bundle once rather than at every use.
        $(
            $(#[doc = $doc])*
            #[cfg(not(target_arch = "wasm32"))]
            pub const $name: Field = Field::$kind($range, $words, $place, $stage, $get, $set);
            $(#[doc = $doc])*
            #[cfg(target_arch = "wasm32")]
            pub static $name: Field = Field::$kind($range, $words, $place, $stage, $get, $set);
        )*
        /// Every numeric input, in the order of the JSON document (the
        /// order in which problems are reported).
        #[cfg(not(target_arch = "wasm32"))]
        pub const ALL: &[&Field] = &[$(&$name),*];
        /// Every numeric input, in the order of the JSON document (the
        /// order in which problems are reported).
        #[cfg(target_arch = "wasm32")]
        pub static ALL: &[&Field] = &[$(&$name),*];

        /// Hands `visit` the problem of each field given in `d` that is
        /// out of its range, in the order of [`ALL`], leaving out the
        /// model's and accelerator's own dimensions (their types check
        /// those, and how they fit together).
        pub(crate) fn each_own_problem(
            d: &Deployment,
            visit: &mut dyn FnMut(InputError) -> ControlFlow<()>,
        ) -> ControlFlow<()> {
            // Written out field by field on the server, where it is fast;
            // a loop over the table in the browser, where it is small.
            #[cfg(not(target_arch = "wasm32"))]
            {
                $(
                    if !matches!($name.group, Group::Model | Group::Accelerator)
                        && let Some(value) = read(d, $get)
                        && let Err(e) = $name.range.check(value)
                    {
                        visit(e)?;
                    }
                )*
            }
            #[cfg(target_arch = "wasm32")]
            for field in ALL {
                if !matches!(field.group, Group::Model | Group::Accelerator)
                    && let Some(value) = field.get(d)
                    && let Err(e) = field.range.check(value)
                {
                    visit(e)?;
                }
            }
            ControlFlow::Continue(())
        }
    };
}

registry! {
    /// Total parameters.
    TOTAL_PARAMS_B = Field::required(model::TOTAL_PARAMS_B,
        words("Parameters", "parameters", "B"), (MODEL, Some("total-params")), Stage::Model,
        |d| model_spec(d).map_or(0.0, |s| s.total_params_b),
        |d, v| on_model(d, |s| s.total_params_b = v));
    /// Parameters active per token.
    ACTIVE_PARAMS_B = Field::required(model::ACTIVE_PARAMS_B,
        words("Active per token", "active parameters", "B"), (MODEL, Some("active-params")), Stage::Model,
        |d| model_spec(d).map_or(0.0, |s| s.active_params_b),
        |d, v| on_model(d, |s| s.active_params_b = v));
    /// Layers.
    LAYERS = Field::required(model::LAYERS,
        words("Layers", "layers", ""), (MODEL, Some("layers")), Stage::Model,
        |d| model_spec(d).map_or(0.0, |s| f64::from(s.layers)),
        |d, v| on_model(d, |s| s.layers = whole(v)));
    /// Hidden width.
    HIDDEN = Field::required(model::HIDDEN,
        words("Hidden size", "hidden size", ""), (MODEL, Some("hidden")), Stage::Model,
        |d| model_spec(d).map_or(0.0, |s| f64::from(s.hidden)),
        |d, v| on_model(d, |s| s.hidden = whole(v)));
    /// Query heads.
    HEADS = Field::required(model::HEADS,
        words("Attention heads", "attention heads", ""), (MODEL, Some("heads")), Stage::Model,
        |d| model_spec(d).map_or(0.0, |s| f64::from(s.heads)),
        |d, v| on_model(d, |s| s.heads = whole(v)));
    /// Key/value heads.
    KV_HEADS = Field::required(model::KV_HEADS,
        words("KV heads", "KV heads", ""), (MODEL, Some("kv-heads")), Stage::Model,
        |d| model_spec(d).map_or(0.0, |s| f64::from(s.kv_heads)),
        |d, v| on_model(d, |s| s.kv_heads = whole(v)));
    /// Head width.
    HEAD_DIM = Field::required(model::HEAD_DIM,
        words("Head size", "head size", ""), (MODEL, Some("head-dim")), Stage::Model,
        |d| model_spec(d).map_or(0.0, |s| f64::from(s.head_dim)),
        |d, v| on_model(d, |s| s.head_dim = whole(v)));
    /// Routed experts; absent for a dense model.
    EXPERTS = Field::optional(model::EXPERTS,
        hint("Experts", "experts", "", "Empty for a dense model."), (MODEL, Some("experts")), Stage::Model,
        |d| model_spec(d).and_then(|s| s.moe).map(|m| f64::from(m.experts)),
        |d, v| on_model(d, |s| s.moe = v.map(|v| Moe {
            experts: whole(v),
            experts_per_token: s.moe.map_or(0, |m| m.experts_per_token),
        })));
    /// Experts chosen per token; absent for a dense model.
    EXPERTS_PER_TOKEN = Field::optional(model::EXPERTS_PER_TOKEN,
        words("Experts per token", "experts per token", ""), (MODEL, Some("experts-per-token")), Stage::Model,
        |d| model_spec(d).and_then(|s| s.moe).map(|m| f64::from(m.experts_per_token)),
        |d, v| on_model(d, |s| s.moe = v.map(|v| Moe {
            experts: s.moe.map_or(0, |m| m.experts),
            experts_per_token: whole(v),
        })));
    /// Longest context.
    MAX_CONTEXT = Field::required(model::MAX_CONTEXT,
        words("Context", "context length", "tokens"), (MODEL, Some("max-context")), Stage::Model,
        |d| model_spec(d).map_or(0.0, |s| f64::from(s.max_context)),
        |d, v| on_model(d, |s| s.max_context = whole(v)));

    /// Memory per accelerator.
    MEMORY_GB = Field::required(gpu::MEMORY_GB,
        words("Memory", "accelerator memory", "GB"), (ACCELERATOR, Some("memory-gb")), Stage::Model,
        |d| accelerator_spec(d).map_or(0.0, |s| s.memory_gb),
        |d, v| on_accelerator(d, |s| s.memory_gb = v));
    /// Memory bandwidth.
    MEMORY_BANDWIDTH_TB_S = Field::required(gpu::MEMORY_BANDWIDTH_TB_S,
        words("Memory bandwidth", "memory bandwidth", "TB/s"), (ACCELERATOR, Some("bandwidth")), Stage::Model,
        |d| accelerator_spec(d).map_or(0.0, |s| s.memory_bandwidth_tb_s),
        |d, v| on_accelerator(d, |s| s.memory_bandwidth_tb_s = v));
    /// Dense BF16 throughput.
    BF16_TFLOPS = Field::required(gpu::BF16_TFLOPS,
        words("BF16 dense", "BF16 throughput", "TFLOPS"), (ACCELERATOR, Some("bf16-tflops")), Stage::Model,
        |d| accelerator_spec(d).map_or(0.0, |s| s.bf16_tflops),
        |d, v| on_accelerator(d, |s| s.bf16_tflops = v));
    /// Dense FP8 throughput; absent where unsupported.
    FP8_TFLOPS = Field::optional(gpu::FP8_TFLOPS,
        hint("FP8 dense", "FP8 throughput", "TFLOPS", "Empty if unsupported."), (ACCELERATOR, Some("fp8-tflops")), Stage::Model,
        |d| accelerator_spec(d).and_then(|s| s.fp8_tflops),
        |d, v| on_accelerator(d, |s| s.fp8_tflops = v));
    /// Dense FP4 throughput; absent where unsupported.
    FP4_TFLOPS = Field::optional(gpu::FP4_TFLOPS,
        hint("FP4 dense", "FP4 throughput", "TFLOPS", "Empty if unsupported."), (ACCELERATOR, Some("fp4-tflops")), Stage::Model,
        |d| accelerator_spec(d).and_then(|s| s.fp4_tflops),
        |d, v| on_accelerator(d, |s| s.fp4_tflops = v));
    /// INT8 throughput; kept from the catalogue, not shown on the page.
    INT8_TOPS = Field::optional(gpu::INT8_TOPS,
        words("INT8 dense", "INT8 throughput", "TOPS"), (ACCELERATOR, None), Stage::Model,
        |d| accelerator_spec(d).and_then(|s| s.int8_tops),
        |d, v| on_accelerator(d, |s| s.int8_tops = v));
    /// Power limit.
    TDP_W = Field::required(gpu::TDP_W,
        words("Power limit (TDP)", "accelerator TDP", "W"), (ACCELERATOR, Some("tdp")), Stage::Model,
        |d| accelerator_spec(d).map_or(0.0, |s| s.tdp_w),
        |d, v| on_accelerator(d, |s| s.tdp_w = v));
    /// Idle power.
    IDLE_W = Field::required(gpu::IDLE_W,
        words("Idle power", "accelerator idle power", "W"), (ACCELERATOR, Some("idle")), Stage::Model,
        |d| accelerator_spec(d).map_or(0.0, |s| s.idle_w),
        |d, v| on_accelerator(d, |s| s.idle_w = v));
    /// Interconnect bandwidth.
    INTERCONNECT_GB_S = Field::required(gpu::INTERCONNECT_GB_S,
        words("Interconnect", "interconnect bandwidth", "GB/s"), (ACCELERATOR, Some("interconnect")), Stage::Model,
        |d| accelerator_spec(d).map_or(0.0, |s| s.interconnect_gb_s),
        |d, v| on_accelerator(d, |s| s.interconnect_gb_s = v));

    /// Accelerators per replica (tensor parallel), per pipeline stage.
    GPUS_PER_REPLICA = Field::required(count("hardware.gpus_per_replica", 1.0, 1024.0),
        hint("Per replica", "GPUs per replica", "GPUs", "Tensor parallel; per stage with a pipeline."), (Group::Hardware, Some("gpus-per-replica")), Stage::Model,
        |d| f64::from(d.hardware.gpus_per_replica),
        |d, v| d.hardware.gpus_per_replica = whole(v));
    /// Pipeline stages of a replica.
    PIPELINE_STAGES = Field::optional(count("hardware.pipeline_stages", 1.0, 64.0),
        hint("Stages", "pipeline stages", "", "Empty: one. More split the layers across servers."), (Group::Hardware, Some("pipeline-stages")), Stage::Model,
        |d| d.hardware.pipeline_stages.map(f64::from),
        |d, v| d.hardware.pipeline_stages = v.map(whole));
    /// Replicas; sized from the demand when absent.
    REPLICAS = Field::optional(count("hardware.replicas", 1.0, 1_000_000.0),
        hint("Replicas", "replicas", "", "Empty: sized for the demand."), (Group::Hardware, Some("replicas")), Stage::Model,
        |d| d.hardware.replicas.map(f64::from),
        |d, v| d.hardware.replicas = v.map(whole));
    /// Accelerators per server.
    GPUS_PER_NODE = Field::required(count("hardware.gpus_per_node", 1.0, 1024.0),
        words("Per server", "GPUs per server", "GPUs"), (Group::Hardware, Some("gpus-per-node")), Stage::Economics,
        |d| f64::from(d.hardware.gpus_per_node),
        |d, v| d.hardware.gpus_per_node = whole(v));
    /// Power of a server's CPUs, memory, fans and network.
    HOST_WATTS = Field::required(range("hardware.host_watts_per_node", 0.0, Bound::AtLeast, 100_000.0, " W"),
        hint("Host power per server", "host power per server", "W", "CPUs, memory, fans, network."), (Group::Hardware, Some("host-watts")), Stage::Economics,
        |d| d.hardware.host_watts_per_node,
        |d, v| d.hardware.host_watts_per_node = v);

    /// Achieved share of peak bandwidth streaming weights.
    EFFICIENCY_MEMORY_BANDWIDTH = Field::optional(share("hardware.efficiency.memory_bandwidth"),
        words("Weight bandwidth share", "achieved weight bandwidth share", ""), (Group::Efficiency, None), Stage::Model,
        |d| d.hardware.efficiency.map(|e| e.memory_bandwidth),
        |d, v| if let Some(v) = v { efficiency_mut(d).memory_bandwidth = v });
    /// Achieved share of peak bandwidth reading the KV cache.
    EFFICIENCY_KV_BANDWIDTH = Field::optional(share("hardware.efficiency.kv_bandwidth"),
        words("KV-cache bandwidth share", "achieved KV-cache bandwidth share", ""), (Group::Efficiency, None), Stage::Model,
        |d| d.hardware.efficiency.map(|e| e.kv_bandwidth),
        |d, v| if let Some(v) = v { efficiency_mut(d).kv_bandwidth = v });
    /// Achieved share of peak tensor throughput in prefill.
    EFFICIENCY_PREFILL_COMPUTE = Field::optional(share("hardware.efficiency.prefill_compute"),
        words("Prefill compute share", "achieved prefill compute share", ""), (Group::Efficiency, None), Stage::Model,
        |d| d.hardware.efficiency.map(|e| e.prefill_compute),
        |d, v| if let Some(v) = v { efficiency_mut(d).prefill_compute = v });
    /// Achieved share of peak tensor throughput in decode.
    EFFICIENCY_DECODE_COMPUTE = Field::optional(share("hardware.efficiency.decode_compute"),
        words("Decode compute share", "achieved decode compute share", ""), (Group::Efficiency, None), Stage::Model,
        |d| d.hardware.efficiency.map(|e| e.decode_compute),
        |d, v| if let Some(v) = v { efficiency_mut(d).decode_compute = v });
    /// Achieved share of the interconnect's bandwidth.
    EFFICIENCY_INTERCONNECT = Field::optional(share("hardware.efficiency.interconnect"),
        words("Interconnect share", "achieved interconnect share", ""), (Group::Efficiency, None), Stage::Model,
        |d| d.hardware.efficiency.map(|e| e.interconnect),
        |d, v| if let Some(v) = v { efficiency_mut(d).interconnect = v });
    /// Fixed latency of one all-reduce.
    EFFICIENCY_ALLREDUCE_LATENCY = Field::optional(micros("hardware.efficiency.allreduce_latency_us"),
        words("All-reduce latency", "all-reduce latency", "µs"), (Group::Efficiency, None), Stage::Model,
        |d| d.hardware.efficiency.map(|e| e.allreduce_latency_us),
        |d, v| if let Some(v) = v { efficiency_mut(d).allreduce_latency_us = v });
    /// Fixed cost of each step.
    EFFICIENCY_STEP_OVERHEAD = Field::optional(range("hardware.efficiency.step_overhead_ms", 0.0, Bound::AtLeast, 10_000.0, " ms"),
        words("Step overhead", "step overhead", "ms"), (Group::Efficiency, None), Stage::Model,
        |d| d.hardware.efficiency.map(|e| e.step_overhead_ms),
        |d, v| if let Some(v) = v { efficiency_mut(d).step_overhead_ms = v });
    /// Fixed cost per layer per step.
    EFFICIENCY_LAYER_OVERHEAD = Field::optional(micros("hardware.efficiency.layer_overhead_us"),
        words("Layer overhead", "layer overhead", "µs"), (Group::Efficiency, None), Stage::Model,
        |d| d.hardware.efficiency.map(|e| e.layer_overhead_us),
        |d, v| if let Some(v) = v { efficiency_mut(d).layer_overhead_us = v });
    /// Fixed cost per generated token per step.
    EFFICIENCY_TOKEN_OVERHEAD = Field::optional(micros("hardware.efficiency.token_overhead_us"),
        words("Token overhead", "token overhead", "µs"), (Group::Efficiency, None), Stage::Model,
        |d| d.hardware.efficiency.map(|e| e.token_overhead_us),
        |d, v| if let Some(v) = v { efficiency_mut(d).token_overhead_us = v });
    /// Extra cost per mixture-of-experts layer per step.
    EFFICIENCY_MOE_LAYER_OVERHEAD = Field::optional(micros("hardware.efficiency.moe_layer_overhead_us"),
        words("Expert layer overhead", "expert layer overhead", "µs"), (Group::Efficiency, None), Stage::Model,
        |d| d.hardware.efficiency.map(|e| e.moe_layer_overhead_us),
        |d, v| if let Some(v) = v { efficiency_mut(d).moe_layer_overhead_us = v });
    /// Latency of one all-to-all exchange of tokens between experts: kept
    /// with the stack's factors, though the planner's replicas split their
    /// experts and so exchange nothing.
    EFFICIENCY_EXPERT_EXCHANGE = Field::optional(micros("hardware.efficiency.expert_exchange_latency_us"),
        hint("Expert exchange latency", "expert exchange latency", "µs",
            "Expert parallelism only; unused here."), (Group::Efficiency, None), Stage::Model,
        |d| d.hardware.efficiency.map(|e| e.expert_exchange_latency_us),
        |d, v| if let Some(v) = v { efficiency_mut(d).expert_exchange_latency_us = v });
    /// Share of accelerator memory the runtime may use.
    EFFICIENCY_MEMORY_UTILISATION = Field::optional(share("hardware.efficiency.memory_utilisation"),
        words("Usable memory share", "usable memory share", ""), (Group::Efficiency, None), Stage::Model,
        |d| d.hardware.efficiency.map(|e| e.memory_utilisation),
        |d, v| if let Some(v) = v { efficiency_mut(d).memory_utilisation = v });
    /// Memory kept for activations and buffers.
    EFFICIENCY_ACTIVATION_RESERVE = Field::optional(range("hardware.efficiency.activation_reserve_gb", 0.0, Bound::AtLeast, 100_000.0, " GB"),
        words("Activation reserve", "activation reserve", "GB"), (Group::Efficiency, None), Stage::Model,
        |d| d.hardware.efficiency.map(|e| e.activation_reserve_gb),
        |d, v| if let Some(v) = v { efficiency_mut(d).activation_reserve_gb = v });
    /// Most sequences the scheduler runs at once.
    EFFICIENCY_MAX_BATCH = Field::optional(count("hardware.efficiency.max_batch", 1.0, 1_000_000.0),
        words("Batch limit", "batch limit", "sequences"), (Group::Efficiency, None), Stage::Model,
        |d| d.hardware.efficiency.map(|e| f64::from(e.max_batch)),
        |d, v| if let Some(v) = v { efficiency_mut(d).max_batch = whole(v) });

    /// Share of the idle-to-TDP range the tensor cores draw.
    POWER_COMPUTE_WEIGHT = Field::optional(range("hardware.power.compute_weight", 0.0, Bound::AtLeast, 3.0, ""),
        words("Compute power weight", "compute power weight", ""), (Group::PowerFactors, None), Stage::Economics,
        |d| d.hardware.power.map(|p| p.compute_weight),
        |d, v| if let Some(v) = v { power_mut(d).compute_weight = v });
    /// Share of the idle-to-TDP range the memory system draws.
    POWER_MEMORY_WEIGHT = Field::optional(range("hardware.power.memory_weight", 0.0, Bound::AtLeast, 3.0, ""),
        words("Memory power weight", "memory power weight", ""), (Group::PowerFactors, None), Stage::Economics,
        |d| d.hardware.power.map(|p| p.memory_weight),
        |d, v| if let Some(v) = v { power_mut(d).memory_weight = v });

    /// Rental price.
    USD_PER_GPU_HOUR = Field::required(range("pricing.usd_per_gpu_hour", 0.0, Bound::GreaterThan, 1_000.0, " $/GPU-hour"),
        words("Rental", "GPU rental price", "$/GPU-hour"), (Group::Pricing, Some("usd-per-gpu-hour")), Stage::Economics,
        |d| d.pricing.usd_per_gpu_hour,
        |d, v| d.pricing.usd_per_gpu_hour = v);
    /// Electricity price.
    USD_PER_KWH = Field::required(range("pricing.usd_per_kwh", 0.0, Bound::AtLeast, 10.0, " $/kWh"),
        words("Electricity", "electricity price", "$/kWh"), (Group::Pricing, Some("usd-per-kwh")), Stage::Economics,
        |d| d.pricing.usd_per_kwh,
        |d, v| d.pricing.usd_per_kwh = v);
    /// Power usage effectiveness.
    PUE = Field::required(range("pricing.pue", 1.0, Bound::AtLeast, 5.0, ""),
        hint("PUE", "PUE", "", "Facility power over IT power."), (Group::Pricing, Some("pue")), Stage::Economics,
        |d| d.pricing.pue,
        |d, v| d.pricing.pue = v);
    /// Grid carbon intensity.
    GRID = Field::required(range("pricing.grid_g_co2_per_kwh", 0.0, Bound::AtLeast, 2_000.0, " g/kWh"),
        words("Grid carbon", "grid carbon intensity", "g CO2e/kWh"), (Group::Pricing, Some("grid")), Stage::Economics,
        |d| d.pricing.grid_g_co2_per_kwh,
        |d, v| d.pricing.grid_g_co2_per_kwh = v);
    /// Water the site uses per kWh of IT energy.
    WUE = Field::optional(range("pricing.wue_l_per_kwh", 0.0, Bound::AtLeast, 20.0, " L/kWh"),
        hint("Water use (WUE)", "water usage effectiveness", "L/kWh", "Litres of water the site uses per kWh of IT energy; empty to leave water out."), (Group::Pricing, Some("wue")), Stage::Economics,
        |d| d.pricing.wue_l_per_kwh,
        |d, v| d.pricing.wue_l_per_kwh = v);
    /// Carbon intensity of the electricity bought, for market-based reporting.
    MARKET_GRID = Field::optional(range("pricing.market_g_co2_per_kwh", 0.0, Bound::AtLeast, 2_000.0, " g/kWh"),
        hint("Market-based carbon", "market-based carbon intensity", "g CO2e/kWh", "The electricity the site buys (contracts, certificates, supplier mix); empty for location-based only."), (Group::Pricing, Some("market-grid")), Stage::Economics,
        |d| d.pricing.market_g_co2_per_kwh,
        |d, v| d.pricing.market_g_co2_per_kwh = v);
    /// Embodied carbon of one accelerator with its share of its server.
    EMBODIED = Field::optional(range("pricing.embodied_kg_co2e_per_gpu", 0.0, Bound::AtLeast, 100_000.0, " kg"),
        hint("Embodied carbon", "embodied carbon per accelerator", "kg CO2e/GPU", "Making one accelerator, with its share of the server where the figure has one; spread over the depreciation years; empty to leave it out."), (Group::Pricing, Some("embodied")), Stage::Economics,
        |d| d.pricing.embodied_kg_co2e_per_gpu,
        |d, v| d.pricing.embodied_kg_co2e_per_gpu = v);
    /// The site's power budget for the fleet.
    POWER_BUDGET = Field::optional(range("pricing.power_budget_kw", 0.001, Bound::AtLeast, 1e7, " kW"),
        hint("Power budget", "power budget", "kW", "The most the site can give the fleet at its meter; empty for none."), (Group::Pricing, Some("power-budget")), Stage::Economics,
        |d| d.pricing.power_budget_kw,
        |d, v| d.pricing.power_budget_kw = v);
    /// Price of one server.
    CAPEX = Field::required(range("pricing.on_prem.capex_usd_per_node", 0.0, Bound::GreaterThan, 1e9, " $"),
        words("Server price", "server price", "$/server"), (Group::OnPrem, Some("capex")), Stage::Economics,
        |d| d.pricing.on_prem.capex_usd_per_node,
        |d, v| d.pricing.on_prem.capex_usd_per_node = v);
    /// Accelerators per owned server.
    ON_PREM_GPUS_PER_NODE = Field::required(count("pricing.on_prem.gpus_per_node", 1.0, 1024.0),
        words("GPUs per server", "GPUs per owned server", "GPUs"), (Group::OnPrem, Some("on-prem-gpus-per-node")), Stage::Economics,
        |d| f64::from(d.pricing.on_prem.gpus_per_node),
        |d, v| d.pricing.on_prem.gpus_per_node = whole(v));
    /// Years the purchase is written off over.
    YEARS = Field::required(range("pricing.on_prem.depreciation_years", 0.0, Bound::GreaterThan, 30.0, " years"),
        hint("Depreciation", "depreciation period", "years", "Owned servers are written off over it; embodied carbon is spread over it, rented or owned."), (Group::OnPrem, Some("depreciation")), Stage::Economics,
        |d| d.pricing.on_prem.depreciation_years,
        |d, v| d.pricing.on_prem.depreciation_years = v);
    /// Annual cost of capital.
    CAPITAL = Field::required(range("pricing.on_prem.cost_of_capital", 0.0, Bound::AtLeast, 1.0, ""),
        hint("Cost of capital", "cost of capital", "per year", "0.08 is 8 %."), (Group::OnPrem, Some("cost-of-capital")), Stage::Economics,
        |d| d.pricing.on_prem.cost_of_capital,
        |d, v| d.pricing.on_prem.cost_of_capital = v);
    /// Maintenance a year as a share of the price.
    MAINTENANCE = Field::required(range("pricing.on_prem.maintenance_share_per_year", 0.0, Bound::AtLeast, 1.0, ""),
        words("Maintenance", "maintenance", "of price per year"), (Group::OnPrem, Some("maintenance")), Stage::Economics,
        |d| d.pricing.on_prem.maintenance_share_per_year,
        |d, v| d.pricing.on_prem.maintenance_share_per_year = v);
    /// Hosting per provisioned kW.
    HOSTING = Field::required(range("pricing.on_prem.hosting_usd_per_kw_month", 0.0, Bound::AtLeast, 10_000.0, " $/kW-month"),
        words("Hosting", "hosting price", "$/kW-month"), (Group::OnPrem, Some("hosting")), Stage::Economics,
        |d| d.pricing.on_prem.hosting_usd_per_kw_month,
        |d, v| d.pricing.on_prem.hosting_usd_per_kw_month = v);
    /// Operations staff.
    STAFF = Field::required(range("pricing.on_prem.staff_usd_per_year", 0.0, Bound::AtLeast, 1e9, " $/year"),
        words("Staff", "staff cost", "$/year"), (Group::OnPrem, Some("staff")), Stage::Economics,
        |d| d.pricing.on_prem.staff_usd_per_year,
        |d, v| d.pricing.on_prem.staff_usd_per_year = v);

    /// Prompt tokens per attempt.
    INPUT = Field::required(range("use_case.input_tokens", 0.0, Bound::AtLeast, 10_000_000.0, " tokens"),
        words("Prompt", "prompt tokens", "tokens"), (Group::UseCase, Some("input-tokens")), Stage::Model,
        |d| d.use_case.input_tokens,
        |d, v| d.use_case.input_tokens = v);
    /// Visible output tokens per attempt.
    OUTPUT = Field::required(range("use_case.output_tokens", 0.0, Bound::AtLeast, 10_000_000.0, " tokens"),
        words("Answer", "output tokens", "tokens"), (Group::UseCase, Some("output-tokens")), Stage::Model,
        |d| d.use_case.output_tokens,
        |d, v| d.use_case.output_tokens = v);
    /// Reasoning tokens per attempt.
    REASONING = Field::required(range("use_case.reasoning_tokens", 0.0, Bound::AtLeast, 10_000_000.0, " tokens"),
        words("Reasoning", "reasoning tokens", "tokens"), (Group::UseCase, Some("reasoning-tokens")), Stage::Model,
        |d| d.use_case.reasoning_tokens,
        |d, v| d.use_case.reasoning_tokens = v);
    /// Attempts per meaningful response.
    ATTEMPTS = Field::required(range("use_case.attempts_per_response", 1.0, Bound::AtLeast, 100.0, ""),
        hint("Attempts per response", "attempts per response", "", "Retries included."), (Group::UseCase, Some("attempts")), Stage::Economics,
        |d| d.use_case.attempts_per_response,
        |d, v| d.use_case.attempts_per_response = v);
    /// Guardrail and other pre/post-processing tokens per response.
    PRE_POST = Field::required(range("use_case.pre_post_tokens", 0.0, Bound::AtLeast, 10_000_000.0, " tokens"),
        words("Guardrail and embedding", "guardrail and embedding tokens", "tokens"), (Group::UseCase, Some("pre-post-tokens")), Stage::Economics,
        |d| d.use_case.pre_post_tokens,
        |d, v| d.use_case.pre_post_tokens = v);
    /// Their price.
    PRE_POST_PRICE = Field::required(range("use_case.usd_per_m_pre_post_tokens", 0.0, Bound::AtLeast, 10_000.0, " $/M tokens"),
        words("Their price", "guardrail and embedding price", "$/M tokens"), (Group::UseCase, Some("pre-post-price")), Stage::Economics,
        |d| d.use_case.usd_per_m_pre_post_tokens,
        |d, v| d.use_case.usd_per_m_pre_post_tokens = v);
    /// Share of prompt tokens served from the prefix cache.
    HIT_RATE = Field::required(range("use_case.prefix_cache_hit_rate", 0.0, Bound::AtLeast, 1.0, ""),
        hint("Prefix-cache hits", "prefix-cache hit rate", "share", "0 to 1."), (Group::UseCase, Some("hit-rate")), Stage::Model,
        |d| d.use_case.prefix_cache_hit_rate,
        |d, v| d.use_case.prefix_cache_hit_rate = v);
    /// Requests (attempts) per day.
    REQUESTS_PER_DAY = Field::required(range("use_case.requests_per_day", 0.0, Bound::GreaterThan, 1e12, " requests/day"),
        words("Demand", "requests per day", "requests/day"), (Group::UseCase, Some("requests-per-day")), Stage::Economics,
        |d| d.use_case.requests_per_day,
        |d, v| d.use_case.requests_per_day = v);
    /// Peak-hour demand over the daily average.
    PEAK = Field::required(range("use_case.peak_to_average", 1.0, Bound::AtLeast, 100.0, ""),
        words("Peak over average", "peak over average", "×"), (Group::UseCase, Some("peak")), Stage::Economics,
        |d| d.use_case.peak_to_average,
        |d, v| d.use_case.peak_to_average = v);
    /// Time-to-first-token target.
    TTFT = Field::required(range("use_case.ttft_target_ms", 0.0, Bound::GreaterThan, 3_600_000.0, " ms"),
        words("TTFT target", "TTFT target", "ms"), (Group::UseCase, Some("ttft-target")), Stage::Model,
        |d| d.use_case.ttft_target_ms,
        |d, v| d.use_case.ttft_target_ms = v);
    /// Time-per-output-token target.
    TPOT = Field::required(range("use_case.tpot_target_ms", 0.0, Bound::GreaterThan, 60_000.0, " ms"),
        words("TPOT target", "TPOT target", "ms"), (Group::UseCase, Some("tpot-target")), Stage::Model,
        |d| d.use_case.tpot_target_ms,
        |d, v| d.use_case.tpot_target_ms = v);

    /// Measured generated tokens per second.
    MEASURED_TOKENS = Field::optional(range("measured.output_tokens_per_s", 0.0, Bound::GreaterThan, 1e9, " tokens/s"),
        words("Output throughput", "measured output throughput", "tokens/s"), (Group::Measured, Some("measured-output")), Stage::Model,
        |d| d.measured.as_ref().and_then(|m| m.output_tokens_per_s),
        |d, v| on_measured(d, |m| m.output_tokens_per_s = v));
    /// Measured prompt tokens per second.
    MEASURED_INPUT_TOKENS = Field::optional(range("measured.input_tokens_per_s", 0.0, Bound::GreaterThan, 1e10, " tokens/s"),
        words("Prefill throughput", "measured prefill throughput", "tokens/s"), (Group::Measured, Some("measured-input")), Stage::Model,
        |d| d.measured.as_ref().and_then(|m| m.input_tokens_per_s),
        |d, v| on_measured(d, |m| m.input_tokens_per_s = v));
    /// Measured power at load.
    MEASURED_WATTS = Field::optional(range("measured.watts", 0.0, Bound::GreaterThan, 1e9, " W"),
        words("Power at load", "measured power", "W"), (Group::Measured, Some("measured-watts")), Stage::Economics,
        |d| d.measured.as_ref().and_then(|m| m.watts),
        |d, v| on_measured(d, |m| m.watts = v));
}
