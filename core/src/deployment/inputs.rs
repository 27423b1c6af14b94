//! What a person describes: the model, the hardware, the prices, the use
//! case and any measurements, as read from and written to JSON.

use serde::{Deserialize, Serialize};

use super::error::DeploymentError;
use super::use_case::{UseCaseFields, UseCaseInput};
use crate::accelerator::AcceleratorSpec;
use crate::economics::OnPremCosts;
use crate::latency::Percentile;
use crate::model::{ModelSpec, Precision};
use crate::perf::Efficiency;
use crate::power::{PowerFactors, PowerScope, Servers};
use crate::stack::Stack;
use crate::uncertainty::Ranges;

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
    /// Accelerators per model replica (tensor parallel), or per pipeline
    /// stage when there are several.
    pub gpus_per_replica: u32,
    /// Pipeline stages a replica's layers are split into, each stage on
    /// its own `gpus_per_replica` accelerators (across servers); one if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline_stages: Option<u32>,
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
    /// Prompts prefilled on a pool of their own, the KV cache then sent to
    /// the replicas above, which only generate (disaggregated serving);
    /// absent: each replica does both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill_pool: Option<PrefillPoolInput>,
}

/// The pool that prefills prompts when serving is disaggregated: its own
/// accelerator, replica size and prices; the model, precisions, stack and
/// servers are the deployment's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PrefillPoolInput {
    /// Catalogue id of its accelerator.
    pub catalogue: String,
    /// Accelerators per prefill replica (tensor parallel, one server at most).
    pub gpus_per_replica: u32,
    /// Cloud rental of its accelerators, dollars per accelerator-hour.
    pub usd_per_gpu_hour: f64,
    /// Purchase of one of its servers with its accelerators, dollars.
    pub capex_usd_per_node: f64,
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
    /// Water the site uses per kWh of IT energy (its WUE), litres; none:
    /// water is not reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wue_l_per_kwh: Option<f64>,
    /// The intensity of the electricity the site buys (its contracts,
    /// certificates or supplier's mix), g CO2e per kWh, for market-based
    /// reporting beside the grid's location-based figure; none: not reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_g_co2_per_kwh: Option<f64>,
    /// What making one accelerator emitted, kg CO2e (a product carbon
    /// footprint; with its share of the server it sits in where the figure
    /// has one), spread over the depreciation years and counted for every
    /// accelerator of the fleet, prefill pool included; none: embodied
    /// carbon is not reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embodied_kg_co2e_per_gpu: Option<f64>,
    /// The most power the site can give the fleet at its meter, kW; none:
    /// no budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_budget_kw: Option<f64>,
    /// The currency money is shown in, at a rate the person set; none: US
    /// dollars. Every price above stays in US dollars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<crate::currency::Currency>,
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

/// A deployment to evaluate: what a [`Document`] resolves to, so every
/// figure in use is written out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "Document")]
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
    /// How sure the person is of the inputs, for the ranges on the figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranges: Option<Ranges>,
}

/// A deployment as written: its use case may name a preset. Read first and
/// then resolved ([`Document::resolve`]), so a preset's error names its
/// field as data rather than inside the parser's message; every reader of
/// a deployment goes through it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// The model.
    pub model: ModelInput,
    /// The hardware.
    pub hardware: HardwareInput,
    /// The prices.
    pub pricing: PricingInput,
    /// The use case, in full or as a preset with overrides.
    pub use_case: UseCaseFields,
    /// Measurements overriding predictions.
    #[serde(default)]
    pub measured: Option<MeasuredInput>,
    /// How sure the person is of the inputs.
    #[serde(default)]
    pub ranges: Option<Ranges>,
}

impl HardwareInput {
    /// Pipeline stages of a replica (1 without a pipeline).
    pub fn stages(&self) -> u32 {
        self.pipeline_stages.unwrap_or(1).max(1)
    }

    /// Every accelerator of one replica: per stage times the stages.
    pub fn gpus_in_replica(&self) -> u32 {
        self.gpus_per_replica.saturating_mul(self.stages())
    }

    /// The stack's efficiency on this accelerator: its vendor's software
    /// platform decides how close the stack gets to the datasheet.
    pub fn default_efficiency(&self) -> Efficiency {
        let vendor = match &self.choice {
            Choice::Catalogue(id) => crate::catalogue::accelerator(id).map(|a| a.vendor),
            Choice::Spec(_) => None,
        };
        self.stack.efficiency_on(vendor)
    }
}

impl Document {
    /// The deployment, its use case resolved (fields are not range-checked
    /// here: see [`Deployment::check`]).
    ///
    /// # Errors
    /// An unknown preset, or a use-case field neither given nor in a preset.
    pub fn resolve(self) -> Result<Deployment, DeploymentError> {
        Ok(Deployment {
            model: self.model,
            hardware: self.hardware,
            pricing: self.pricing,
            use_case: self.use_case.resolve()?,
            measured: self.measured,
            ranges: self.ranges,
        })
    }
}

impl TryFrom<Document> for Deployment {
    type Error = DeploymentError;

    fn try_from(document: Document) -> Result<Self, Self::Error> {
        document.resolve()
    }
}

impl Deployment {
    /// Version of this JSON shape, stored with every saved deployment
    /// (version 1, the measured level, is read only to migrate it: see
    /// [`crate::migrate`]).
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
                pipeline_stages: None,
                replicas: None,
                gpus_per_node: 8,
                host_watts_per_node: 1500.0,
                stack: Stack::Vllm,
                efficiency: None,
                power: None,
                prefill_pool: None,
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
                wue_l_per_kwh: None,
                market_g_co2_per_kwh: None,
                embodied_kg_co2e_per_gpu: None,
                power_budget_kw: None,
                currency: None,
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
                latency_targets_at: Percentile::Mean,
            },
            measured: None,
            ranges: None,
        }
    }

    /// The servers the accelerators sit in and the facility around them.
    pub fn servers(&self) -> Servers {
        Servers {
            gpus_per_node: self.hardware.gpus_per_node,
            host_watts_per_node: self.hardware.host_watts_per_node,
            pue: self.pricing.pue,
        }
    }

    /// Reads a deployment from JSON, its use case resolved, without checking
    /// the ranges (so that every problem can then be listed at once).
    ///
    /// # Errors
    /// JSON of the wrong shape, naming the field; an unknown preset.
    pub fn read_json(text: &str) -> Result<Self, DeploymentError> {
        let document: Document =
            crate::json::from_str(text).map_err(|e| DeploymentError::Json {
                field: e.path,
                message: e.message,
            })?;
        document.resolve()
    }

    /// Reads a deployment from JSON and checks every field.
    ///
    /// # Errors
    /// The first problem, naming the field by its JSON path.
    pub fn from_json(text: &str) -> Result<Self, DeploymentError> {
        let deployment = Self::read_json(text)?;
        deployment.validate()?;
        Ok(deployment)
    }
}
