//! The modeled level: a model on hardware with a serving stack, priced
//! rented or owned, serving a use case. The performance model predicts
//! throughput, latency, memory and power; measured figures, when given,
//! replace the predicted ones; the economics follow.
//!
//! This is the full scenario the planner page moves to; the measured-level
//! [`crate::Scenario`] is the special case with only measurements and prices.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};

use crate::accelerator::AcceleratorSpec;
use crate::catalogue::{self, UseCasePreset};
use crate::economics::{self, OnPremCosts, PhaseCost};
use crate::fleet::{self, Fleet};
use crate::formulas::{JOULES_PER_KWH, SECONDS_PER_HOUR};
use crate::input::{Bound, InputError, Problem, Range};
use crate::model::{ModelSpec, Precision};
use crate::perf::{Efficiency, Limiter, Memory, Replica, RequestShape};
use crate::power::{PowerFactors, accelerator_watts};
use crate::response::{self, PerResponse, PerToken, ResponseShape};
use crate::stack::Stack;

/// A catalogue entry by id, or dimensions given in full.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Choice<T> {
    /// A catalogue id.
    Catalogue(String),
    /// Custom figures.
    Spec(T),
}

/// The model served.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ModelInput {
    /// Which model.
    #[serde(flatten)]
    pub choice: Choice<ModelSpec>,
    /// Weight precision; the model's published precision if absent.
    #[serde(default)]
    pub weights: Option<Precision>,
    /// KV-cache precision; BF16 if absent.
    #[serde(default)]
    pub kv_cache: Option<Precision>,
}

/// The hardware and how the model is spread over it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HardwareInput {
    /// Which accelerator.
    #[serde(flatten)]
    pub choice: Choice<AcceleratorSpec>,
    /// Accelerators per model replica (tensor parallel).
    pub gpus_per_replica: u32,
    /// Replicas; sized from the demand if absent.
    #[serde(default)]
    pub replicas: Option<u32>,
    /// Accelerators per server node.
    pub gpus_per_node: u32,
    /// Power of a node's CPUs, memory, fans and network, W.
    pub host_watts_per_node: f64,
    /// Serving software.
    pub stack: Stack,
    /// Efficiency factors replacing the stack's calibrated ones.
    #[serde(default)]
    pub efficiency: Option<Efficiency>,
    /// Power factors replacing the stack's calibrated ones (fitted to a
    /// power log, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power: Option<PowerFactors>,
}

/// Rented or owned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PricingMode {
    /// Cloud rental by the accelerator-hour (power included).
    Cloud,
    /// Owned hardware: capital, running costs, electricity at the facility.
    OnPrem,
}

/// Both sets of prices, so switching between them is instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PricingInput {
    /// Which set applies.
    pub mode: PricingMode,
    /// Cloud rental, dollars per accelerator-hour.
    pub usd_per_gpu_hour: f64,
    /// Owning costs.
    pub on_prem: OnPremCosts,
    /// Electricity, dollars per kWh (on-prem).
    pub usd_per_kwh: f64,
    /// Power usage effectiveness of the facility.
    pub pue: f64,
    /// Grid carbon intensity, g CO2e per kWh.
    pub grid_g_co2_per_kwh: f64,
}

/// What the service does and how much of it. JSON may name a preset
/// instead of giving every field (see [`UseCaseFields`]); it is resolved on
/// reading, so a deployment always holds, and writes, the figures in use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "UseCaseFields")]
pub struct UseCaseInput {
    /// Prompt tokens per attempt.
    pub input_tokens: f64,
    /// Visible output tokens per attempt.
    pub output_tokens: f64,
    /// Reasoning tokens per attempt.
    pub reasoning_tokens: f64,
    /// Attempts per meaningful response.
    pub attempts_per_response: f64,
    /// Guardrail and other pre/post-processing tokens per response.
    pub pre_post_tokens: f64,
    /// Their price, dollars per million tokens.
    pub usd_per_m_pre_post_tokens: f64,
    /// Share of prompt tokens served from the prefix cache.
    pub prefix_cache_hit_rate: f64,
    /// Requests (attempts) per day.
    pub requests_per_day: f64,
    /// Peak-hour demand over the daily average.
    pub peak_to_average: f64,
    /// Time-to-first-token target, ms.
    pub ttft_target_ms: f64,
    /// Time-per-output-token target, ms.
    pub tpot_target_ms: f64,
}

/// A use case as written: a preset named by id, with any field given
/// alongside overriding the preset's value. Without a preset every field
/// is needed.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UseCaseFields {
    /// Id of a use-case preset, e.g. `rag-qa`.
    #[serde(default)]
    pub preset: Option<String>,
    /// Prompt tokens per attempt.
    #[serde(default)]
    pub input_tokens: Option<f64>,
    /// Visible output tokens per attempt.
    #[serde(default)]
    pub output_tokens: Option<f64>,
    /// Reasoning tokens per attempt.
    #[serde(default)]
    pub reasoning_tokens: Option<f64>,
    /// Attempts per meaningful response.
    #[serde(default)]
    pub attempts_per_response: Option<f64>,
    /// Guardrail and other pre/post-processing tokens per response.
    #[serde(default)]
    pub pre_post_tokens: Option<f64>,
    /// Their price, dollars per million tokens; presets carry no price, so
    /// it is always needed.
    #[serde(default)]
    pub usd_per_m_pre_post_tokens: Option<f64>,
    /// Share of prompt tokens served from the prefix cache.
    #[serde(default)]
    pub prefix_cache_hit_rate: Option<f64>,
    /// Requests (attempts) per day.
    #[serde(default)]
    pub requests_per_day: Option<f64>,
    /// Peak-hour demand over the daily average.
    #[serde(default)]
    pub peak_to_average: Option<f64>,
    /// Time-to-first-token target, ms.
    #[serde(default)]
    pub ttft_target_ms: Option<f64>,
    /// Time-per-output-token target, ms.
    #[serde(default)]
    pub tpot_target_ms: Option<f64>,
}

impl UseCaseFields {
    /// The preset's figures with the given fields in their place.
    ///
    /// # Errors
    /// An unknown preset id, or a field neither given nor in a preset.
    pub fn resolve(&self) -> Result<UseCaseInput, DeploymentError> {
        let preset = match &self.preset {
            Some(id) => Some(
                catalogue::use_case(id)
                    .ok_or_else(|| DeploymentError::UnknownPreset { id: id.clone() })?,
            ),
            None => None,
        };
        let field = |given: Option<f64>, range: Range, of: fn(&UseCasePreset) -> f64| {
            given
                .or_else(|| preset.map(of))
                .ok_or(DeploymentError::Missing {
                    field: range.field,
                    hint: "give it, or name a preset in use_case.preset",
                })
        };
        Ok(UseCaseInput {
            input_tokens: field(self.input_tokens, limits::INPUT, |p| p.input_tokens)?,
            output_tokens: field(self.output_tokens, limits::OUTPUT, |p| p.output_tokens)?,
            reasoning_tokens: field(self.reasoning_tokens, limits::REASONING, |p| {
                p.reasoning_tokens
            })?,
            attempts_per_response: field(self.attempts_per_response, limits::ATTEMPTS, |p| {
                p.attempts_per_response
            })?,
            pre_post_tokens: field(self.pre_post_tokens, limits::PRE_POST, |p| {
                p.pre_post_tokens
            })?,
            usd_per_m_pre_post_tokens: self.usd_per_m_pre_post_tokens.ok_or(
                DeploymentError::Missing {
                    field: limits::PRE_POST_PRICE.field,
                    hint: "presets carry no price for pre/post-processing tokens",
                },
            )?,
            prefix_cache_hit_rate: field(self.prefix_cache_hit_rate, limits::HIT_RATE, |p| {
                p.prefix_cache_hit_rate
            })?,
            requests_per_day: field(self.requests_per_day, limits::REQUESTS_PER_DAY, |p| {
                p.requests_per_day
            })?,
            peak_to_average: field(self.peak_to_average, limits::PEAK, |p| p.peak_to_average)?,
            ttft_target_ms: field(self.ttft_target_ms, limits::TTFT, |p| p.ttft_target_ms)?,
            tpot_target_ms: field(self.tpot_target_ms, limits::TPOT, |p| p.tpot_target_ms)?,
        })
    }
}

impl TryFrom<UseCaseFields> for UseCaseInput {
    type Error = DeploymentError;

    fn try_from(fields: UseCaseFields) -> Result<Self, Self::Error> {
        fields.resolve()
    }
}

/// Where a power measurement was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PowerScope {
    /// Accelerators only (nvidia-smi).
    Gpu,
    /// Whole servers (accelerators plus hosts).
    Server,
    /// At the facility meter (servers times PUE).
    Facility,
}

/// Measurements that replace the model's predictions, for the whole
/// deployment as described.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MeasuredInput {
    /// Generated tokens per second at load.
    #[serde(default)]
    pub output_tokens_per_s: Option<f64>,
    /// Prompt tokens per second prefill gets through at load, cached ones
    /// included (e.g. a benchmark generating one token per request).
    #[serde(default)]
    pub input_tokens_per_s: Option<f64>,
    /// Power at load, W.
    #[serde(default)]
    pub watts: Option<f64>,
    /// Where the power was measured.
    pub scope: PowerScope,
}

/// A deployment to evaluate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Deployment {
    /// The model.
    pub model: ModelInput,
    /// The hardware.
    pub hardware: HardwareInput,
    /// The prices.
    pub pricing: PricingInput,
    /// The use case.
    pub use_case: UseCaseInput,
    /// Measurements overriding predictions.
    #[serde(default)]
    pub measured: Option<MeasuredInput>,
}

/// Where a figure came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Predicted by the performance model.
    Modeled,
    /// Given as a measurement.
    Measured,
}

/// Throughput and latency of one replica at its operating point, and the
/// fleet's throughput.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Performance {
    /// Sequences in flight per replica.
    pub concurrency: f64,
    /// Generated tokens per second per replica.
    pub output_tokens_per_s_per_replica: f64,
    /// Generated tokens per second per accelerator.
    pub output_tokens_per_s_per_gpu: f64,
    /// Prompt tokens per second per replica.
    pub input_tokens_per_s_per_replica: f64,
    /// Generated tokens per second the whole fleet serves at load.
    pub output_tokens_per_s_per_fleet: f64,
    /// Prompt tokens per second the whole fleet serves at load.
    pub input_tokens_per_s_per_fleet: f64,
    /// Time to first token, ms.
    pub ttft_ms: f64,
    /// Time per output token, ms.
    pub tpot_ms: f64,
    /// Generated tokens per second each user sees.
    pub tokens_per_s_per_user: f64,
    /// End-to-end time of one attempt, s.
    pub end_to_end_s: f64,
    /// What limits decode.
    pub decode_limiter: Limiter,
    /// What capped the concurrency.
    pub concurrency_limiter: ConcurrencyLimiter,
    /// What limits prefill.
    pub prefill_limiter: Limiter,
    /// Whether the latency targets are met.
    pub meets_latency_targets: bool,
    /// Where the output throughput came from; a modeled one includes a
    /// measured prefill rate's time.
    pub origin: Origin,
    /// Where the prefill rate, and so the time charged to input tokens, came from.
    pub prefill_origin: Origin,
}

/// What sets the number of sequences a replica runs at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConcurrencyLimiter {
    /// The KV cache for more sequences does not fit in memory.
    MemoryCapacity,
    /// The serving stack's batch limit.
    StackLimit,
    /// More sequences would miss the TTFT or TPOT target.
    LatencyTarget,
}

/// Power of the fleet.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Power {
    /// One accelerator at load, W.
    pub watts_per_gpu_at_load: f64,
    /// Accelerators at the expected utilisation, W.
    pub gpu_watts: f64,
    /// Servers (accelerators plus hosts), W.
    pub server_watts: f64,
    /// Facility (servers times PUE), W.
    pub facility_watts: f64,
    /// Servers with every accelerator at load, W.
    pub server_watts_at_load: f64,
    /// Servers with every accelerator idle (hosts at their stated power), W.
    pub server_watts_idle: f64,
    /// Where the power came from.
    pub origin: Origin,
}

/// Money.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Costs {
    /// Cost of the whole fleet per hour under the chosen pricing, dollars.
    pub fleet_usd_per_hour: f64,
    /// Monthly cost of the fleet, dollars.
    pub fleet_usd_per_month: f64,
    /// Cost of the whole fleet per hour with every accelerator busy (an
    /// owned fleet's electricity at load power), dollars.
    pub fleet_usd_per_hour_at_load: f64,
    /// Effective cost of one accelerator-hour, dollars.
    pub usd_per_gpu_hour: f64,
    /// Per-phase cost at full load (an owned fleet priced with its load power).
    pub at_load: PhaseCost,
    /// Per-phase cost at the expected utilisation (idle time charged to the tokens served).
    pub at_utilisation: PhaseCost,
    /// Generated tokens per dollar at the expected utilisation.
    pub tokens_per_usd: f64,
    /// Cost of capacity that sits idle, dollars per month.
    pub idle_usd_per_month: f64,
    /// Owned fleet's effective cost per accelerator-hour, dollars.
    pub on_prem_usd_per_gpu_hour: f64,
    /// Owned fleet's hourly cost by component, at the expected utilisation.
    pub on_prem_hourly: economics::OwnedHourlyCost,
    /// Rented fleet's cost per accelerator-hour, dollars.
    pub cloud_usd_per_gpu_hour: f64,
    /// Month in which owning has cost no more than renting, in cash (the
    /// purchase at month 0, running costs monthly, no interest), within ten years.
    pub break_even_month: Option<f64>,
    /// The same with the monthly savings discounted at the cost of capital,
    /// the convention of the hourly owned rate, within ten years.
    pub break_even_month_discounted: Option<f64>,
    /// Owning over the depreciation period: purchase plus running costs, dollars.
    pub on_prem_total_usd: f64,
    /// Renting the same fleet over the same period, dollars.
    pub cloud_total_usd: f64,
    /// Hosted API price for the same tokens, per million (input, output), where the catalogue has one.
    pub hosted_api: Option<HostedApi>,
}

/// A hosted API's price for the model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HostedApi {
    /// Provider.
    pub provider: &'static str,
    /// Dollars per million input tokens.
    pub usd_per_m_input: f64,
    /// Dollars per million output tokens.
    pub usd_per_m_output: f64,
    /// Cost of one meaningful response at those prices, dollars.
    pub cost_per_response_usd: f64,
}

/// Energy efficiency. All energy is charged to generated tokens here, as in
/// tokens per joule; per response it is split by phase.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Energy {
    /// Generated tokens per joule (server power at load).
    pub tokens_per_joule: f64,
    /// Generated tokens per kWh.
    pub tokens_per_kwh: f64,
    /// Electricity per generated token at the facility, dollars.
    pub energy_usd_per_token: f64,
    /// Facility energy per generated token at load (server power × PUE), J.
    pub facility_j_per_token_at_load: f64,
    /// Facility energy per generated token at the expected utilisation: the
    /// fleet's average draw, idle time included, over the tokens it serves, J.
    pub facility_j_per_token_at_utilisation: f64,
    /// Operational carbon per million generated tokens at the expected
    /// utilisation, g CO2e.
    pub g_co2_per_m_tokens_at_utilisation: f64,
}

/// Everything the planner reports for a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeploymentReport {
    /// Memory use and the concurrency that fits.
    pub memory: Memory,
    /// Speed.
    pub performance: Performance,
    /// Fleet for the demand.
    pub fleet: Fleet,
    /// Power.
    pub power: Power,
    /// Energy efficiency.
    pub energy: Energy,
    /// Money.
    pub costs: Costs,
    /// Per meaningful response, term by term.
    pub per_response: PerResponse,
}

/// A deployment with its catalogue ids and defaults resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved {
    /// The model's dimensions.
    pub model: ModelSpec,
    /// Weight precision in use.
    pub weights: Precision,
    /// KV-cache precision in use.
    pub kv_cache: Precision,
    /// The accelerator's figures.
    pub accelerator: AcceleratorSpec,
    /// Accelerators per replica.
    pub tensor_parallel: u32,
    /// The stack's efficiency, or its override.
    pub efficiency: Efficiency,
    /// The requests served.
    pub shape: RequestShape,
}

impl Resolved {
    /// One replica of the deployment, for the performance model.
    pub fn replica(&self) -> Replica<'_> {
        Replica {
            model: &self.model,
            weights: self.weights,
            kv_cache: self.kv_cache,
            accelerator: &self.accelerator,
            tensor_parallel: self.tensor_parallel,
            efficiency: &self.efficiency,
        }
    }
}

/// Why a deployment cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DeploymentError {
    /// The text is not JSON of a deployment's shape.
    #[error("{}", if .field.is_empty() { .message.clone() } else { format!("{}: {}", .field, .message) })]
    Json {
        /// JSON path of the offending field (empty at the top level).
        field: String,
        /// What the parser found wrong, with line and column.
        message: String,
    },
    /// A field is out of range.
    #[error(transparent)]
    Invalid(#[from] InputError),
    /// No use-case preset has this id.
    #[error(
        "use_case.preset: no use-case preset {id:?}; the presets are {}",
        preset_ids()
    )]
    UnknownPreset {
        /// The id given.
        id: String,
    },
    /// A field is neither given nor filled by a preset.
    #[error("{field}: missing; {hint}")]
    Missing {
        /// JSON path.
        field: &'static str,
        /// How to supply it.
        hint: &'static str,
    },
    /// The measured prefill rate leaves no time for decode at the measured output rate.
    #[error(
        "measured.input_tokens_per_s: at the measured output rate prompts arrive at {needed_tokens_per_s:.0} tokens/s, no less than the measured prefill rate of {measured_tokens_per_s:.0} tokens/s, which leaves no time to generate; one of the two measurements is off"
    )]
    PrefillTooSlow {
        /// Prompt tokens per second served at the measured output rate.
        needed_tokens_per_s: f64,
        /// The measured prefill rate.
        measured_tokens_per_s: f64,
    },
    /// A catalogue id is unknown.
    #[error("{field}: no {what} {id:?} in the catalogue")]
    UnknownId {
        /// JSON path.
        field: &'static str,
        /// "model" or "accelerator".
        what: &'static str,
        /// The id given.
        id: String,
    },
    /// The weights and one sequence's KV cache at full context do not fit.
    #[error("{}", does_not_fit(*weights_gb, *kv_gb_per_sequence, *usable_gb))]
    DoesNotFit {
        /// Weights per accelerator, GB.
        weights_gb: f64,
        /// KV cache of one sequence at full context per accelerator, GB.
        kv_gb_per_sequence: f64,
        /// Usable memory per accelerator, GB.
        usable_gb: f64,
    },
}

/// Says whether the weights alone or the weights with one sequence's KV
/// cache overflow the memory, so the advice fits the cause.
fn does_not_fit(weights_gb: f64, kv_gb_per_sequence: f64, usable_gb: f64) -> String {
    if weights_gb >= usable_gb {
        format!(
            "hardware.gpus_per_replica: the weights need {weights_gb:.0} GB per accelerator but only {usable_gb:.0} GB is usable; use more accelerators per replica or a smaller precision"
        )
    } else {
        format!(
            "hardware.gpus_per_replica: the weights need {weights_gb:.0} GB per accelerator and one sequence's KV cache at full context another {kv_gb_per_sequence:.0} GB, but only {usable_gb:.0} GB is usable; use more accelerators per replica, a smaller KV-cache precision or shorter prompts and outputs"
        )
    }
}

impl DeploymentError {
    /// JSON path of the field at fault.
    pub fn field(&self) -> &str {
        match self {
            DeploymentError::Json { field, .. } => field,
            DeploymentError::Invalid(e) => e.field,
            DeploymentError::UnknownPreset { .. } => "use_case.preset",
            DeploymentError::Missing { field, .. } => field,
            DeploymentError::PrefillTooSlow { .. } => limits::MEASURED_INPUT_TOKENS.field,
            DeploymentError::UnknownId { field, .. } => field,
            DeploymentError::DoesNotFit { .. } => "hardware.gpus_per_replica",
        }
    }
}

/// The use-case preset ids, for an error message.
fn preset_ids() -> String {
    catalogue::USE_CASES
        .iter()
        .map(|u| u.id)
        .collect::<Vec<_>>()
        .join(", ")
}

const fn range(field: &'static str, min: f64, bound: Bound, max: f64, unit: &'static str) -> Range {
    Range {
        field,
        min,
        bound,
        max,
        unit,
        whole: false,
    }
}

const fn count(field: &'static str, min: f64, max: f64) -> Range {
    Range {
        field,
        min,
        bound: Bound::AtLeast,
        max,
        unit: "",
        whole: true,
    }
}

/// Field ranges of a deployment.
pub mod limits {
    use super::{Bound, Range, count, range};
    /// Accelerators per replica.
    pub const GPUS_PER_REPLICA: Range = count("hardware.gpus_per_replica", 1.0, 1024.0);
    /// Replicas.
    pub const REPLICAS: Range = count("hardware.replicas", 1.0, 1_000_000.0);
    /// Accelerators per node.
    pub const GPUS_PER_NODE: Range = count("hardware.gpus_per_node", 1.0, 1024.0);
    /// Host power per node.
    pub const HOST_WATTS: Range = range(
        "hardware.host_watts_per_node",
        0.0,
        Bound::AtLeast,
        100_000.0,
        " W",
    );
    /// Rental price.
    pub const USD_PER_GPU_HOUR: Range = range(
        "pricing.usd_per_gpu_hour",
        0.0,
        Bound::GreaterThan,
        1_000.0,
        " $/GPU-hour",
    );
    /// Electricity.
    pub const USD_PER_KWH: Range =
        range("pricing.usd_per_kwh", 0.0, Bound::AtLeast, 10.0, " $/kWh");
    /// PUE.
    pub const PUE: Range = range("pricing.pue", 1.0, Bound::AtLeast, 5.0, "");
    /// Share of the idle-to-TDP range the tensor cores draw.
    pub const POWER_COMPUTE_WEIGHT: Range = range(
        "hardware.power.compute_weight",
        0.0,
        Bound::AtLeast,
        3.0,
        "",
    );
    /// Share of the idle-to-TDP range the memory system draws.
    pub const POWER_MEMORY_WEIGHT: Range =
        range("hardware.power.memory_weight", 0.0, Bound::AtLeast, 3.0, "");
    /// Carbon intensity.
    pub const GRID: Range = range(
        "pricing.grid_g_co2_per_kwh",
        0.0,
        Bound::AtLeast,
        2_000.0,
        " g/kWh",
    );
    /// Node price.
    pub const CAPEX: Range = range(
        "pricing.on_prem.capex_usd_per_node",
        0.0,
        Bound::GreaterThan,
        1e9,
        " $",
    );
    /// Depreciation.
    pub const YEARS: Range = range(
        "pricing.on_prem.depreciation_years",
        0.0,
        Bound::GreaterThan,
        30.0,
        " years",
    );
    /// Cost of capital.
    pub const CAPITAL: Range = range(
        "pricing.on_prem.cost_of_capital",
        0.0,
        Bound::AtLeast,
        1.0,
        "",
    );
    /// Maintenance share.
    pub const MAINTENANCE: Range = range(
        "pricing.on_prem.maintenance_share_per_year",
        0.0,
        Bound::AtLeast,
        1.0,
        "",
    );
    /// Hosting.
    pub const HOSTING: Range = range(
        "pricing.on_prem.hosting_usd_per_kw_month",
        0.0,
        Bound::AtLeast,
        10_000.0,
        " $/kW-month",
    );
    /// Staff.
    pub const STAFF: Range = range(
        "pricing.on_prem.staff_usd_per_year",
        0.0,
        Bound::AtLeast,
        1e9,
        " $/year",
    );
    /// Node size for on-prem.
    pub const ON_PREM_GPUS_PER_NODE: Range = count("pricing.on_prem.gpus_per_node", 1.0, 1024.0);
    /// Prompt tokens.
    pub const INPUT: Range = range(
        "use_case.input_tokens",
        0.0,
        Bound::AtLeast,
        10_000_000.0,
        " tokens",
    );
    /// Output tokens.
    pub const OUTPUT: Range = range(
        "use_case.output_tokens",
        0.0,
        Bound::AtLeast,
        10_000_000.0,
        " tokens",
    );
    /// Reasoning tokens.
    pub const REASONING: Range = range(
        "use_case.reasoning_tokens",
        0.0,
        Bound::AtLeast,
        10_000_000.0,
        " tokens",
    );
    /// Attempts.
    pub const ATTEMPTS: Range = range(
        "use_case.attempts_per_response",
        1.0,
        Bound::AtLeast,
        100.0,
        "",
    );
    /// Pre/post tokens.
    pub const PRE_POST: Range = range(
        "use_case.pre_post_tokens",
        0.0,
        Bound::AtLeast,
        10_000_000.0,
        " tokens",
    );
    /// Pre/post price.
    pub const PRE_POST_PRICE: Range = range(
        "use_case.usd_per_m_pre_post_tokens",
        0.0,
        Bound::AtLeast,
        10_000.0,
        " $/M tokens",
    );
    /// Cache hit rate.
    pub const HIT_RATE: Range = range(
        "use_case.prefix_cache_hit_rate",
        0.0,
        Bound::AtLeast,
        1.0,
        "",
    );
    /// Demand.
    pub const REQUESTS_PER_DAY: Range = range(
        "use_case.requests_per_day",
        0.0,
        Bound::GreaterThan,
        1e12,
        " requests/day",
    );
    /// Peakiness.
    pub const PEAK: Range = range("use_case.peak_to_average", 1.0, Bound::AtLeast, 100.0, "");
    /// TTFT target.
    pub const TTFT: Range = range(
        "use_case.ttft_target_ms",
        0.0,
        Bound::GreaterThan,
        3_600_000.0,
        " ms",
    );
    /// TPOT target.
    pub const TPOT: Range = range(
        "use_case.tpot_target_ms",
        0.0,
        Bound::GreaterThan,
        60_000.0,
        " ms",
    );
    /// Measured throughput.
    pub const MEASURED_TOKENS: Range = range(
        "measured.output_tokens_per_s",
        0.0,
        Bound::GreaterThan,
        1e9,
        " tokens/s",
    );
    /// Measured prefill throughput.
    pub const MEASURED_INPUT_TOKENS: Range = range(
        "measured.input_tokens_per_s",
        0.0,
        Bound::GreaterThan,
        1e10,
        " tokens/s",
    );
    /// Measured power.
    pub const MEASURED_WATTS: Range = range("measured.watts", 0.0, Bound::GreaterThan, 1e9, " W");
}

impl Deployment {
    /// Version of this JSON shape, stored with every saved deployment (the
    /// measured-level [`crate::Scenario`] is version 1).
    pub const SCHEMA_VERSION: u32 = 2;

    /// The planner's starting point: Llama 3.1 70B in FP8 on four H100s
    /// with vLLM, rented, serving the support-chat preset (the same as
    /// `tests/scenarios/llama-70b-support-chat.json`).
    pub fn example() -> Self {
        Deployment {
            model: ModelInput {
                choice: Choice::Catalogue("llama-3.1-70b-instruct".to_owned()),
                weights: Some(Precision::Fp8),
                kv_cache: Some(Precision::Bf16),
            },
            hardware: HardwareInput {
                choice: Choice::Catalogue("h100-sxm-80gb".to_owned()),
                gpus_per_replica: 4,
                replicas: None,
                gpus_per_node: 8,
                host_watts_per_node: 1500.0,
                stack: Stack::Vllm,
                efficiency: None,
                power: None,
            },
            pricing: PricingInput {
                mode: PricingMode::Cloud,
                usd_per_gpu_hour: 2.94,
                on_prem: OnPremCosts {
                    capex_usd_per_node: 300_000.0,
                    gpus_per_node: 8,
                    depreciation_years: 4.0,
                    cost_of_capital: 0.08,
                    maintenance_share_per_year: 0.08,
                    hosting_usd_per_kw_month: 150.0,
                    staff_usd_per_year: 50_000.0,
                },
                usd_per_kwh: 0.0892,
                pue: 1.4,
                grid_g_co2_per_kwh: 380.0,
            },
            use_case: UseCaseInput {
                input_tokens: 1000.0,
                output_tokens: 300.0,
                reasoning_tokens: 0.0,
                attempts_per_response: 1.05,
                pre_post_tokens: 400.0,
                usd_per_m_pre_post_tokens: 0.02,
                prefix_cache_hit_rate: 0.5,
                requests_per_day: 2_000_000.0,
                peak_to_average: 2.5,
                ttft_target_ms: 800.0,
                tpot_target_ms: 50.0,
            },
            measured: None,
        }
    }

    /// Reads a deployment from JSON and checks every field.
    ///
    /// # Errors
    /// The first problem, naming the field by its JSON path.
    pub fn from_json(text: &str) -> Result<Self, DeploymentError> {
        let deployment: Deployment = crate::json::from_str(text).map_err(|e| {
            // A use-case preset's errors already start with their full path.
            match e.message.split_once(": ") {
                Some((field, rest)) if field.starts_with(&format!("{}.", e.path)) => {
                    DeploymentError::Json {
                        field: field.to_owned(),
                        message: rest.to_owned(),
                    }
                }
                _ => DeploymentError::Json {
                    field: e.path,
                    message: e.message,
                },
            }
        })?;
        deployment.validate()?;
        Ok(deployment)
    }

    /// Checks every numeric field against its range.
    ///
    /// # Errors
    /// The first field out of range.
    pub fn validate(&self) -> Result<(), InputError> {
        let mut first = None;
        let _ = self.each_problem(&mut |e| {
            first = Some(e);
            ControlFlow::Break(())
        });
        first.map_or(Ok(()), Err)
    }

    /// Every field out of range, in the order of the document, so a client
    /// can fix them all at once (a custom model's or accelerator's first).
    pub fn problems(&self) -> Vec<InputError> {
        let mut found = Vec::new();
        let _ = self.each_problem(&mut |e| {
            found.push(e);
            ControlFlow::Continue(())
        });
        found
    }

    /// Hands each field out of range to `visit` until it says stop.
    fn each_problem(
        &self,
        visit: &mut dyn FnMut(InputError) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        fn check(
            visit: &mut dyn FnMut(InputError) -> ControlFlow<()>,
            range: Range,
            value: f64,
        ) -> ControlFlow<()> {
            match range.check(value) {
                Ok(_) => ControlFlow::Continue(()),
                Err(e) => visit(e),
            }
        }
        if let Choice::Spec(spec) = &self.model.choice
            && let Err(e) = spec.validate()
        {
            visit(e)?;
        }
        if let Choice::Spec(spec) = &self.hardware.choice
            && let Err(e) = spec.validate()
        {
            visit(e)?;
        }
        let h = &self.hardware;
        check(
            visit,
            limits::GPUS_PER_REPLICA,
            f64::from(h.gpus_per_replica),
        )?;
        if let Some(r) = h.replicas {
            check(visit, limits::REPLICAS, f64::from(r))?;
        }
        check(visit, limits::GPUS_PER_NODE, f64::from(h.gpus_per_node))?;
        check(visit, limits::HOST_WATTS, h.host_watts_per_node)?;
        if let Some(power) = &h.power {
            check(visit, limits::POWER_COMPUTE_WEIGHT, power.compute_weight)?;
            check(visit, limits::POWER_MEMORY_WEIGHT, power.memory_weight)?;
        }
        let p = &self.pricing;
        check(visit, limits::USD_PER_GPU_HOUR, p.usd_per_gpu_hour)?;
        check(visit, limits::USD_PER_KWH, p.usd_per_kwh)?;
        check(visit, limits::PUE, p.pue)?;
        check(visit, limits::GRID, p.grid_g_co2_per_kwh)?;
        let o = &p.on_prem;
        check(visit, limits::CAPEX, o.capex_usd_per_node)?;
        check(
            visit,
            limits::ON_PREM_GPUS_PER_NODE,
            f64::from(o.gpus_per_node),
        )?;
        check(visit, limits::YEARS, o.depreciation_years)?;
        check(visit, limits::CAPITAL, o.cost_of_capital)?;
        check(visit, limits::MAINTENANCE, o.maintenance_share_per_year)?;
        check(visit, limits::HOSTING, o.hosting_usd_per_kw_month)?;
        check(visit, limits::STAFF, o.staff_usd_per_year)?;
        let u = &self.use_case;
        check(visit, limits::INPUT, u.input_tokens)?;
        check(visit, limits::OUTPUT, u.output_tokens)?;
        check(visit, limits::REASONING, u.reasoning_tokens)?;
        // Only when both are in range: a bad one is already named on its own.
        let both_valid = limits::OUTPUT.check(u.output_tokens).is_ok()
            && limits::REASONING.check(u.reasoning_tokens).is_ok();
        if both_valid && u.output_tokens + u.reasoning_tokens < 1.0 {
            visit(InputError {
                field: limits::OUTPUT.field,
                problem: Problem::TooSmall {
                    value: u.output_tokens + u.reasoning_tokens,
                    min: 1.0,
                    bound: Bound::AtLeast,
                    unit: " token with reasoning",
                },
            })?;
        }
        check(visit, limits::ATTEMPTS, u.attempts_per_response)?;
        check(visit, limits::PRE_POST, u.pre_post_tokens)?;
        check(visit, limits::PRE_POST_PRICE, u.usd_per_m_pre_post_tokens)?;
        check(visit, limits::HIT_RATE, u.prefix_cache_hit_rate)?;
        check(visit, limits::REQUESTS_PER_DAY, u.requests_per_day)?;
        check(visit, limits::PEAK, u.peak_to_average)?;
        check(visit, limits::TTFT, u.ttft_target_ms)?;
        check(visit, limits::TPOT, u.tpot_target_ms)?;
        if let Some(m) = &self.measured {
            if let Some(t) = m.output_tokens_per_s {
                check(visit, limits::MEASURED_TOKENS, t)?;
            }
            if let Some(t) = m.input_tokens_per_s {
                check(visit, limits::MEASURED_INPUT_TOKENS, t)?;
            }
            if let Some(w) = m.watts {
                check(visit, limits::MEASURED_WATTS, w)?;
            }
        }
        ControlFlow::Continue(())
    }

    /// Catalogue ids and defaults resolved to the figures the performance
    /// model needs.
    ///
    /// # Errors
    /// An unknown catalogue id or an invalid custom model or accelerator.
    pub fn resolve(&self) -> Result<Resolved, DeploymentError> {
        let (model, native) = self.model_spec()?;
        let h = &self.hardware;
        let u = &self.use_case;
        Ok(Resolved {
            model,
            weights: self.model.weights.unwrap_or(native),
            kv_cache: self.model.kv_cache.unwrap_or(Precision::Bf16),
            accelerator: self.accelerator_spec()?,
            tensor_parallel: h.gpus_per_replica,
            efficiency: h.efficiency.unwrap_or_else(|| h.stack.efficiency()),
            shape: RequestShape {
                input_tokens: u.input_tokens,
                output_tokens: u.output_tokens + u.reasoning_tokens,
                prefix_cache_hit_rate: u.prefix_cache_hit_rate,
            },
        })
    }

    /// The model's dimensions and published precision.
    fn model_spec(&self) -> Result<(ModelSpec, Precision), DeploymentError> {
        match &self.model.choice {
            Choice::Catalogue(id) => catalogue::model(id)
                .map(|m| (m.spec, m.native_precision))
                .ok_or_else(|| DeploymentError::UnknownId {
                    field: "model.catalogue",
                    what: "model",
                    id: id.clone(),
                }),
            Choice::Spec(spec) => {
                spec.validate()?;
                Ok((*spec, Precision::Bf16))
            }
        }
    }

    /// The accelerator's figures.
    fn accelerator_spec(&self) -> Result<AcceleratorSpec, DeploymentError> {
        match &self.hardware.choice {
            Choice::Catalogue(id) => catalogue::accelerator(id).map(|a| a.spec).ok_or_else(|| {
                DeploymentError::UnknownId {
                    field: "hardware.catalogue",
                    what: "accelerator",
                    id: id.clone(),
                }
            }),
            Choice::Spec(spec) => {
                spec.validate()?;
                Ok(*spec)
            }
        }
    }

    /// Evaluates the deployment.
    ///
    /// # Errors
    /// The first field out of range, an unknown catalogue id, or weights
    /// that do not fit in the replica.
    pub fn evaluate(&self) -> Result<DeploymentReport, DeploymentError> {
        self.validate()?;
        let resolved = self.resolve()?;
        let (gpu, efficiency, shape) = (resolved.accelerator, resolved.efficiency, resolved.shape);
        let replica = resolved.replica();
        let h = &self.hardware;
        let u = &self.use_case;
        let p = &self.pricing;
        let generated = shape.output_tokens;
        let memory = replica.memory(&shape);
        if memory.max_concurrency < 1.0 {
            return Err(DeploymentError::DoesNotFit {
                weights_gb: memory.weights_gb_per_gpu,
                kv_gb_per_sequence: memory.kv_gb_per_sequence / f64::from(h.gpus_per_replica),
                usable_gb: gpu.memory_gb * efficiency.memory_utilisation
                    - efficiency.activation_reserve_gb,
            });
        }
        let cap = memory.max_concurrency.min(f64::from(efficiency.max_batch));
        let point = replica.best_operating_point(
            &shape,
            cap,
            u.tpot_target_ms * 1e-3,
            u.ttft_target_ms * 1e-3,
        );
        let ttft_s = replica.ttft_s(&shape, &point);
        let concurrency_limiter = if point.concurrency < cap {
            ConcurrencyLimiter::LatencyTarget
        } else if memory.max_concurrency <= f64::from(efficiency.max_batch) {
            ConcurrencyLimiter::MemoryCapacity
        } else {
            ConcurrencyLimiter::StackLimit
        };
        let prefill = replica.prefill_alone(&shape);

        // Measured throughput replaces the model's, per replica of the deployment as described.
        let described_replicas = f64::from(h.replicas.unwrap_or(1));
        let measured = self.measured.as_ref();
        let measured_output = measured
            .and_then(|m| m.output_tokens_per_s)
            .map(|total| total / described_replicas);
        let measured_prefill = measured
            .and_then(|m| m.input_tokens_per_s)
            .map(|total| total / described_replicas);
        let input_per_generated = u.input_tokens / generated;
        let (output_per_replica, throughput_origin) = match (measured_output, measured_prefill) {
            (Some(rate), _) => (rate, Origin::Measured),
            // The modeled decode time per token plus the measured prefill time for its prompt share.
            (None, Some(prefill)) => (
                1.0 / ((1.0 - point.prefill_share) / point.output_tokens_per_s
                    + input_per_generated / prefill),
                Origin::Modeled,
            ),
            (None, None) => (point.output_tokens_per_s, Origin::Modeled),
        };
        let input_per_replica = output_per_replica * input_per_generated;
        // Share of replica time spent prefilling: the prompt tokens served per
        // second over the rate prefill gets through them.
        let (prefill_share, prefill_origin) = match measured_prefill {
            Some(rate) if input_per_replica >= rate => {
                return Err(DeploymentError::PrefillTooSlow {
                    needed_tokens_per_s: input_per_replica * described_replicas,
                    measured_tokens_per_s: rate * described_replicas,
                });
            }
            Some(rate) => (input_per_replica / rate, Origin::Measured),
            None => (point.prefill_share, Origin::Modeled),
        };
        let tp = f64::from(h.gpus_per_replica);
        let tpot_s = point.concurrency / output_per_replica;

        // Fleet: attempts per second per replica at the operating point.
        let requests_per_s_per_replica = output_per_replica / generated;
        let sized = fleet::size(
            u.requests_per_day,
            u.peak_to_average,
            requests_per_s_per_replica,
            h.gpus_per_replica,
        );
        let fleet = match h.replicas {
            Some(r) => {
                let capacity = f64::from(r) * requests_per_s_per_replica;
                Fleet {
                    replicas: r,
                    gpus: r.saturating_mul(h.gpus_per_replica),
                    capacity_requests_per_s: capacity,
                    utilisation: (sized.average_requests_per_s / capacity).clamp(0.0, 1.0),
                    ..sized
                }
            }
            None => sized,
        };
        let replicas = f64::from(fleet.replicas);

        let performance = Performance {
            concurrency: point.concurrency,
            output_tokens_per_s_per_replica: output_per_replica,
            output_tokens_per_s_per_gpu: output_per_replica / tp,
            input_tokens_per_s_per_replica: input_per_replica,
            output_tokens_per_s_per_fleet: output_per_replica * replicas,
            input_tokens_per_s_per_fleet: input_per_replica * replicas,
            ttft_ms: ttft_s * 1e3,
            tpot_ms: tpot_s * 1e3,
            tokens_per_s_per_user: 1.0 / tpot_s,
            end_to_end_s: ttft_s + generated * tpot_s,
            decode_limiter: point.decode_limiter,
            concurrency_limiter,
            prefill_limiter: prefill.limiter,
            meets_latency_targets: tpot_s <= u.tpot_target_ms * 1e-3
                && ttft_s <= u.ttft_target_ms * 1e-3,
            origin: throughput_origin,
            prefill_origin,
        };

        let gpus = f64::from(fleet.gpus);
        let nodes = (gpus / f64::from(h.gpus_per_node)).ceil();
        let utilisation = fleet.utilisation;

        // Power at load per accelerator, then averaged over busy and idle time.
        let modeled_gpu_w = accelerator_watts(
            &gpu,
            &h.power.unwrap_or_else(|| h.stack.power()),
            point.compute_busy,
            point.memory_busy,
        );
        let host_w = nodes * h.host_watts_per_node;
        let (load_gpu_w, power_origin) = match measured.and_then(|m| m.watts.map(|w| (w, m.scope)))
        {
            Some((watts, scope)) => {
                // Scale the measurement (of the deployment as described) to one accelerator.
                let described_gpus = described_replicas * tp;
                let described_nodes = (described_gpus / f64::from(h.gpus_per_node)).ceil();
                let server_w = match scope {
                    PowerScope::Gpu => watts + described_nodes * h.host_watts_per_node,
                    PowerScope::Server => watts,
                    PowerScope::Facility => watts / p.pue,
                };
                let gpu_w =
                    (server_w - described_nodes * h.host_watts_per_node).max(0.0) / described_gpus;
                (gpu_w, Origin::Measured)
            }
            None => (modeled_gpu_w, Origin::Modeled),
        };
        let average_gpu_w = gpu.idle_w + (load_gpu_w - gpu.idle_w) * utilisation;
        let gpu_watts = average_gpu_w * gpus;
        let server_watts = gpu_watts + host_w;
        let power = Power {
            watts_per_gpu_at_load: load_gpu_w,
            gpu_watts,
            server_watts,
            facility_watts: server_watts * p.pue,
            server_watts_at_load: load_gpu_w * gpus + host_w,
            server_watts_idle: gpu.idle_w * gpus + host_w,
            origin: power_origin,
        };

        // Energy per token at load, at the server (the article's scope).
        let load_server_w_per_replica =
            load_gpu_w * tp + h.host_watts_per_node * tp / f64::from(h.gpus_per_node);
        let tokens_per_joule = output_per_replica / load_server_w_per_replica;
        let tokens_per_kwh = tokens_per_joule * JOULES_PER_KWH;
        let busy = utilisation.max(1e-9);
        let facility_j_per_token_at_utilisation =
            power.facility_watts / (output_per_replica * replicas * busy);
        let energy = Energy {
            tokens_per_joule,
            tokens_per_kwh,
            energy_usd_per_token: p.usd_per_kwh * p.pue / tokens_per_kwh,
            facility_j_per_token_at_load: p.pue / tokens_per_joule,
            facility_j_per_token_at_utilisation,
            g_co2_per_m_tokens_at_utilisation: facility_j_per_token_at_utilisation * 1e6
                / JOULES_PER_KWH
                * p.grid_g_co2_per_kwh,
        };

        // Money.
        let cloud_usd_per_hour = p.usd_per_gpu_hour * gpus;
        let owned_nodes = (gpus / f64::from(p.on_prem.gpus_per_node)).ceil();
        let provisioned_kw = (gpu.tdp_w * gpus + host_w) / 1e3;
        let owned_at = |it_kw: f64| {
            economics::owned_hourly_cost(
                &p.on_prem,
                owned_nodes,
                it_kw,
                provisioned_kw,
                p.pue,
                p.usd_per_kwh,
            )
        };
        let owned = owned_at(server_watts / 1e3);
        let (fleet_usd_per_hour, fleet_usd_per_hour_at_load) = match p.mode {
            PricingMode::Cloud => (cloud_usd_per_hour, cloud_usd_per_hour),
            PricingMode::OnPrem => (
                owned.total_usd_per_hour(),
                owned_at(power.server_watts_at_load / 1e3).total_usd_per_hour(),
            ),
        };
        let replica_count = f64::from(fleet.replicas.max(1));
        let per_replica_usd_per_hour = fleet_usd_per_hour / replica_count;
        let at_load = economics::phase_cost(
            fleet_usd_per_hour_at_load / replica_count,
            prefill_share,
            input_per_replica,
            output_per_replica,
        );
        // Idle time charged to the tokens served: the average hourly cost
        // over the tokens of the busy share of the hour.
        let served = economics::phase_cost(
            per_replica_usd_per_hour,
            prefill_share,
            input_per_replica,
            output_per_replica,
        );
        let at_utilisation = PhaseCost {
            usd_per_m_input: served.usd_per_m_input / busy,
            usd_per_m_output: served.usd_per_m_output / busy,
        };
        let purchase = p.on_prem.capex_usd_per_node * owned_nodes;
        let horizon = 120;
        let life_hours = p.on_prem.depreciation_years * economics::HOURS_PER_YEAR;
        let running_usd_per_hour = owned.running_usd_per_hour();
        let costs = Costs {
            fleet_usd_per_hour,
            fleet_usd_per_month: fleet_usd_per_hour * economics::HOURS_PER_MONTH,
            fleet_usd_per_hour_at_load,
            usd_per_gpu_hour: fleet_usd_per_hour / gpus,
            at_load,
            at_utilisation,
            tokens_per_usd: output_per_replica * SECONDS_PER_HOUR * busy / per_replica_usd_per_hour,
            idle_usd_per_month: fleet_usd_per_hour
                * economics::HOURS_PER_MONTH
                * (1.0 - utilisation),
            on_prem_usd_per_gpu_hour: owned.total_usd_per_hour() / gpus,
            on_prem_hourly: owned,
            cloud_usd_per_gpu_hour: p.usd_per_gpu_hour,
            break_even_month: economics::break_even_month(
                cloud_usd_per_hour,
                purchase,
                &owned,
                horizon,
            ),
            break_even_month_discounted: economics::discounted_break_even_month(
                cloud_usd_per_hour,
                purchase,
                &owned,
                p.on_prem.cost_of_capital,
                horizon,
            ),
            on_prem_total_usd: purchase + running_usd_per_hour * life_hours,
            cloud_total_usd: cloud_usd_per_hour * life_hours,
            hosted_api: None,
        };

        // Per meaningful response.
        let response_shape = ResponseShape {
            output_tokens: u.output_tokens,
            reasoning_tokens: u.reasoning_tokens,
            input_tokens: u.input_tokens,
            attempts: u.attempts_per_response,
            pre_post_tokens: u.pre_post_tokens,
        };
        let usd = PerToken {
            generated: at_utilisation.usd_per_m_output / 1e6,
            input: at_utilisation.usd_per_m_input / 1e6,
            pre_post: u.usd_per_m_pre_post_tokens / 1e6,
        };
        // Facility energy split by phase like the cost; pre/post energy is not modelled.
        let facility_j_per_s_per_replica = load_server_w_per_replica * p.pue;
        let joules = PerToken {
            generated: facility_j_per_s_per_replica * (1.0 - prefill_share) / output_per_replica,
            input: if input_per_replica > 0.0 {
                facility_j_per_s_per_replica * prefill_share / input_per_replica
            } else {
                0.0
            },
            pre_post: 0.0,
        };
        let per_response =
            response::per_response(&response_shape, &usd, &joules, Some(p.grid_g_co2_per_kwh));
        let hosted_api =
            match &self.model.choice {
                Choice::Catalogue(id) => catalogue::API_PRICES
                    .iter()
                    .find(|a| a.model_id == id)
                    .map(|a| {
                        let api = PerToken {
                            generated: a.usd_per_m_output / 1e6,
                            input: a.usd_per_m_input / 1e6,
                            pre_post: usd.pre_post,
                        };
                        HostedApi {
                            provider: a.provider,
                            usd_per_m_input: a.usd_per_m_input,
                            usd_per_m_output: a.usd_per_m_output,
                            cost_per_response_usd: response::terms(&response_shape, &api).total(),
                        }
                    }),
                Choice::Spec(_) => None,
            };
        Ok(DeploymentReport {
            memory,
            performance,
            fleet,
            power,
            energy,
            costs: Costs {
                hosted_api,
                ..costs
            },
            per_response,
        })
    }
}
