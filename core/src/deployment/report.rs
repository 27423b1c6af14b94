//! What the planner reports for a deployment: speed, fleet, power, energy,
//! money and the cost of one meaningful response, every figure with its unit.

use serde::{Deserialize, Serialize};

use crate::economics::{OwnedHourlyCost, PhaseCost};
use crate::energy::ScopedJoules;
use crate::fleet::Fleet;
use crate::latency::Percentile;
use crate::perf::{Limiter, Memory};
use crate::response::PerResponse;

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
    /// Mean time to first token, ms: the wait behind prompts arriving at
    /// random, one step of the running batch and the prompt's prefill.
    pub ttft_ms: f64,
    /// 99th percentile of the time to first token, ms.
    pub ttft_p99_ms: f64,
    /// Mean time per output token, ms.
    pub tpot_ms: f64,
    /// 99th percentile over requests of their time per output token, ms.
    pub tpot_p99_ms: f64,
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
    /// The statistic the latency targets bound.
    pub latency_targets_at: Percentile,
    /// Whether the latency targets are met at that statistic.
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
    /// The fleet's peak draw at the facility meter (every accelerator busy,
    /// servers times PUE), kW: what a site's power budget must hold.
    pub facility_kw_at_load: f64,
    /// That peak over the site's power budget, when one is given: above 1
    /// the fleet does not fit the site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_share: Option<f64>,
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
    pub on_prem_hourly: OwnedHourlyCost,
    /// Rented fleet's cost per accelerator-hour, dollars.
    pub cloud_usd_per_gpu_hour: f64,
    /// Month in which owning has cost no more than renting, in cash (the
    /// purchase at month 0, running costs monthly, no interest), within ten years.
    pub break_even_month: Option<f64>,
    /// The same with the monthly savings discounted at the cost of capital,
    /// the convention of the hourly owned rate, within ten years.
    pub break_even_month_discounted: Option<f64>,
    /// Buying the fleet's servers (each pool's at its own price), dollars.
    pub purchase_usd: f64,
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

/// Energy efficiency, at the three scopes of [`crate::energy`]: the
/// accelerators alone, the servers (accelerators plus the hosts of the
/// servers they occupy), the facility (servers times the PUE).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Energy {
    /// Generated tokens per joule at the servers with every accelerator
    /// busy, all the energy (prefill's too) charged to them: the article's
    /// figure.
    pub tokens_per_joule: f64,
    /// Generated tokens per kWh, the same way.
    pub tokens_per_kwh: f64,
    /// Electricity per generated token at the facility at load, dollars.
    pub energy_usd_per_token: f64,
    /// Facility energy per generated token at load, all the energy charged
    /// to them (server power × PUE), J.
    pub facility_j_per_token_at_load: f64,
    /// Facility energy per generated token at the expected utilisation: the
    /// fleet's average draw, idle time included, over the tokens it serves, J.
    pub facility_j_per_token_at_utilisation: f64,
    /// Operational carbon per million generated tokens at the expected
    /// utilisation, g CO2e.
    pub g_co2_per_m_tokens_at_utilisation: f64,
    /// Joules per prompt token and per generated token at each scope, with
    /// every accelerator busy; prefill and decode each carry their own
    /// draw.
    pub at_load: ScopedJoules,
    /// The same at the expected utilisation: the idle accelerators' and
    /// the hosts' draw shared by the tokens served.
    pub at_utilisation: ScopedJoules,
    /// Facility energy of one meaningful response with every accelerator
    /// busy, Wh.
    pub wh_per_response_at_load: f64,
    /// Facility energy of one meaningful response at the expected
    /// utilisation, Wh: the per-response figure.
    pub wh_per_response_at_utilisation: f64,
    /// Share of a response's accelerator energy at load that its prompt
    /// takes, 0 to 1: prefill's part of the energy.
    pub prompt_energy_share_at_load: f64,
    /// Generated tokens per second per megawatt at the facility meter with
    /// every accelerator busy: what the fleet can serve (its busiest pool,
    /// for a disaggregated one) over its peak draw at the meter.
    pub tokens_per_s_per_facility_mw: f64,
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
    /// Carbon, operational and embodied, per response and per month.
    pub carbon: Carbon,
    /// Each pool of a disaggregated deployment (absent when every replica
    /// both prefills and generates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pools: Option<Pools>,
}

/// Carbon of the fleet at its expected utilisation. Operational carbon is
/// the facility's energy at a carbon intensity: the grid's average where
/// the site is (location-based) and, when given, the electricity the site
/// buys (market-based), as the GHG Protocol's Scope 2 guidance reports
/// both. Embodied carbon is what making the accelerators (with their share
/// of the servers) emitted, spread evenly over their depreciation years.
/// Per response, each month's carbon is shared by the responses served.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Carbon {
    /// Operational, location-based, g CO2e per meaningful response.
    pub location_g_per_response: f64,
    /// Operational, location-based, kg CO2e a month.
    pub location_kg_per_month: f64,
    /// Operational, market-based, g CO2e per response, when the site's
    /// bought electricity's intensity is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_g_per_response: Option<f64>,
    /// Operational, market-based, kg CO2e a month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_kg_per_month: Option<f64>,
    /// Embodied, g CO2e per response, when the accelerators' footprint is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embodied_g_per_response: Option<f64>,
    /// Embodied, kg CO2e a month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embodied_kg_per_month: Option<f64>,
    /// Meaningful responses served a month: what a month's carbon is shared by.
    pub responses_per_month: f64,
}

/// The two pools of a disaggregated deployment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Pools {
    /// The pool that prefills prompts.
    pub prefill: PoolReport,
    /// The pool that generates.
    pub decode: PoolReport,
    /// Sending one prompt's KV cache from a prefill replica to a decode
    /// replica over the network, ms (part of the time to first token).
    pub cache_transfer_ms: f64,
}

/// One pool of a disaggregated deployment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PoolReport {
    /// Accelerators per replica.
    pub gpus_per_replica: u32,
    /// Replicas, sized for the peak.
    pub replicas: u32,
    /// Accelerators.
    pub gpus: u32,
    /// Requests one replica serves at the point it is sized at, per second.
    pub requests_per_s_per_replica: f64,
    /// Share of its time a replica works at that point, 0 to 1 (a prefill
    /// replica idles between prompts so they need not queue long).
    pub busy_share: f64,
    /// Average demand over the pool's capacity, 0 to 1.
    pub utilisation: f64,
    /// Board power per accelerator at that point, W.
    pub watts_per_gpu_at_load: f64,
    /// The pool's cost, dollars per hour (rented or owned, as priced).
    pub usd_per_hour: f64,
    /// The same with every replica at its point (owned: at load power).
    pub usd_per_hour_at_load: f64,
}
