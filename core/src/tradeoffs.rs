//! Data for the trade-off charts of a modeled deployment: concurrency
//! against speed, cost and energy; cost against utilisation, rented and
//! owned; cumulative cost over months; and the sensitivity of the cost per response to each input.

use serde::Serialize;

use crate::deployment::fields::{self, Field};
use crate::deployment::{Deployment, DeploymentError, Evaluated, PricingMode};
use crate::economics::{self, MonthCost};
use crate::power::accelerator_watts;

/// One point of the concurrency sweep.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConcurrencyPoint {
    /// Sequences in flight per replica.
    pub concurrency: f64,
    /// Generated tokens per second per accelerator.
    pub tokens_per_s_per_gpu: f64,
    /// Generated tokens per second each user sees.
    pub tokens_per_s_per_user: f64,
    /// Dollars per million generated tokens at full load, under the chosen pricing.
    pub usd_per_m_output: f64,
    /// Generated tokens per joule at the server.
    pub tokens_per_joule: f64,
    /// No other point is both faster per user and higher in throughput.
    pub pareto: bool,
}

/// Throughput per accelerator against speed per user as concurrency grows
/// from 1 to what fits in memory (and the stack allows), in up to `points`
/// steps spaced evenly on a log scale.
///
/// Priced and powered as the report is at load. A disaggregated
/// deployment's curve is its decode replicas', which prefill nothing.
pub fn concurrency_sweep(evaluated: &Evaluated<'_>, points: usize) -> Vec<ConcurrencyPoint> {
    let at = Replicas::of(evaluated);
    let cap = evaluated
        .report
        .memory
        .max_concurrency
        .min(f64::from(evaluated.checked.resolved().efficiency.max_batch))
        .max(1.0);
    let points = points.clamp(2, 10_000);
    let mut best_throughput = 0.0_f64;
    let mut sweep = Vec::with_capacity(points);
    let mut last = 0.0;
    for i in 0..points {
        let b = cap.powf(i as f64 / (points - 1) as f64).round().max(1.0);
        if b == last {
            continue;
        }
        last = b;
        let mut point = at.point(b);
        point.pareto = point.tokens_per_s_per_gpu > best_throughput;
        best_throughput = best_throughput.max(point.tokens_per_s_per_gpu);
        sweep.push(point);
    }
    sweep
}

/// The point of [`concurrency_sweep`]'s curve at `concurrency`: for a
/// disaggregated deployment, where its decode replicas sit on it (the
/// report's own figures cover both pools).
pub fn concurrency_point(evaluated: &Evaluated<'_>, concurrency: f64) -> ConcurrencyPoint {
    Replicas::of(evaluated).point(concurrency.max(1.0))
}

/// A replica of the deployment, priced and powered as the report is at load.
struct Replicas<'a> {
    replica: crate::perf::Replica<'a>,
    shape: crate::perf::RequestShape,
    gpu: crate::accelerator::AcceleratorSpec,
    power_factors: crate::power::PowerFactors,
    usd_per_hour: f64,
    gpus: f64,
    host_w: f64,
}

/// The hosts of the fleet's whole servers over its accelerators (its
/// decode pool's, when disaggregated), W each.
fn fleet_host_watts_per_gpu(evaluated: &Evaluated<'_>) -> f64 {
    let r = &evaluated.report;
    let servers = evaluated.checked.deployment().servers();
    // The curve of a disaggregated fleet is its decode replicas', which
    // fill their own servers.
    let gpus = match &r.pools {
        Some(p) => p.decode.gpus,
        None => r.fleet.gpus,
    };
    servers.host_watts(f64::from(gpus)) / f64::from(gpus.max(1))
}

impl<'a> Replicas<'a> {
    fn of(evaluated: &'a Evaluated<'_>) -> Self {
        let (report, resolved) = (&evaluated.report, evaluated.checked.resolved());
        let mut shape = resolved.shape;
        if report.pools.is_some() {
            shape.prefix_cache_hit_rate = 1.0;
        }
        let h = &evaluated.checked.deployment().hardware;
        let gpus = f64::from(h.gpus_in_replica());
        // Fitted power factors replace the stack's, and an owned fleet is
        // priced with its load power.
        let usd_per_hour = match &report.pools {
            Some(pools) => {
                pools.decode.usd_per_hour_at_load / f64::from(pools.decode.replicas.max(1))
            }
            None => {
                report.costs.fleet_usd_per_hour_at_load / f64::from(report.fleet.replicas.max(1))
            }
        };
        Replicas {
            replica: resolved.replica(),
            shape,
            gpu: resolved.accelerator,
            power_factors: h.power.unwrap_or_else(|| h.stack.power()),
            usd_per_hour,
            gpus,
            // The fleet's hosts (of whole servers) shared by its
            // accelerators, as every energy figure counts them.
            host_w: fleet_host_watts_per_gpu(evaluated) * gpus,
        }
    }

    fn point(&self, concurrency: f64) -> ConcurrencyPoint {
        let p = self.replica.operating_point(&self.shape, concurrency);
        let cost = economics::phase_cost(
            self.usd_per_hour,
            p.prefill_share,
            p.input_tokens_per_s,
            p.output_tokens_per_s,
        );
        let watts = accelerator_watts(
            &self.gpu,
            &self.power_factors,
            p.compute_busy,
            p.memory_busy,
        ) * self.gpus
            + self.host_w;
        ConcurrencyPoint {
            concurrency,
            tokens_per_s_per_gpu: p.output_tokens_per_s / self.gpus,
            tokens_per_s_per_user: 1.0 / p.tpot_s,
            usd_per_m_output: cost.usd_per_m_output,
            tokens_per_joule: p.output_tokens_per_s / watts,
            pareto: false,
        }
    }
}

/// Cost of generated tokens at one utilisation, rented and owned.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UtilisationPoint {
    /// Share of capacity in use, 0 to 1.
    pub utilisation: f64,
    /// Rented: dollars per million generated tokens.
    pub cloud_usd_per_m_output: f64,
    /// Owned: dollars per million generated tokens.
    pub on_prem_usd_per_m_output: f64,
}

/// $/M generated tokens as utilisation goes from 5 % to 100 %: idle
/// capacity is paid for in both cases, but owned hardware's cost barely
/// falls when idle (only its electricity does), while its hourly rate is
/// lower.
///
pub fn utilisation_sweep(evaluated: &Evaluated<'_>) -> Vec<UtilisationPoint> {
    let report = &evaluated.report;
    let p = &evaluated.checked.deployment().pricing;
    let (costs, power) = (&report.costs, &report.power);
    let cloud_usd_per_hour = costs.cloud_usd_per_gpu_hour * f64::from(report.fleet.gpus);
    let owned = &costs.on_prem_hourly;
    let owned_fixed = owned.total_usd_per_hour() - owned.energy_usd_per_hour;
    // The fleet's electricity an hour at utilisation u: idle draw plus the
    // busy share of the rise to load, at the facility meter.
    let owned_usd_per_hour = |u: f64| {
        let server_w =
            power.server_watts_idle + (power.server_watts_at_load - power.server_watts_idle) * u;
        owned_fixed + server_w / 1e3 * p.pue * p.usd_per_kwh
    };
    // Dollars per million generated tokens per fleet-dollar an hour at full
    // load: the same for both prices, since the tokens and phase split are.
    let per_fleet_usd = costs.at_load.usd_per_m_output / costs.fleet_usd_per_hour_at_load;
    (1..=20)
        .map(|i| {
            let utilisation = f64::from(i) * 0.05;
            UtilisationPoint {
                utilisation,
                cloud_usd_per_m_output: per_fleet_usd * cloud_usd_per_hour / utilisation,
                on_prem_usd_per_m_output: per_fleet_usd * owned_usd_per_hour(utilisation)
                    / utilisation,
            }
        })
        .collect()
}

/// The same deployment priced both ways, for a one-click comparison.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CloudVsOwned {
    /// Rented, dollars per accelerator-hour.
    pub cloud_usd_per_gpu_hour: f64,
    /// Owned, all costs per accelerator-hour (capital, upkeep, hosting, staff, energy).
    pub owned_usd_per_gpu_hour: f64,
    /// Rented, dollars per million input tokens at the expected utilisation.
    pub cloud_usd_per_m_input: f64,
    /// Owned, the same.
    pub owned_usd_per_m_input: f64,
    /// Rented, dollars per million output tokens at the expected utilisation.
    pub cloud_usd_per_m_output: f64,
    /// Owned, the same.
    pub owned_usd_per_m_output: f64,
    /// Rented fleet, dollars per month.
    pub cloud_usd_per_month: f64,
    /// Owned fleet, dollars per month.
    pub owned_usd_per_month: f64,
    /// Month from which owning has cost less in total, in cash, if within ten years.
    pub break_even_month: Option<f64>,
    /// The same with savings discounted at the cost of capital.
    pub break_even_month_discounted: Option<f64>,
    /// Expected utilisation of the fleet, 0 to 1.
    pub utilisation: f64,
    /// Against cloud capacity billed only for the hours it is busy, the
    /// utilisation above which owning is cheaper (above 1: never).
    pub owned_beats_elastic_cloud_above: f64,
}

/// `deployment` priced rented and owned: same model, hardware and demand.
///
/// # Errors
/// As [`Deployment::evaluate`].
pub fn cloud_vs_owned(deployment: &Deployment) -> Result<CloudVsOwned, DeploymentError> {
    let mut rented = deployment.clone();
    rented.pricing.mode = PricingMode::Cloud;
    let mut owned = deployment.clone();
    owned.pricing.mode = PricingMode::OnPrem;
    let (cloud, own) = (rented.evaluate()?, owned.evaluate()?);
    Ok(CloudVsOwned {
        cloud_usd_per_gpu_hour: cloud.costs.usd_per_gpu_hour,
        owned_usd_per_gpu_hour: own.costs.usd_per_gpu_hour,
        cloud_usd_per_m_input: cloud.costs.at_utilisation.usd_per_m_input,
        owned_usd_per_m_input: own.costs.at_utilisation.usd_per_m_input,
        cloud_usd_per_m_output: cloud.costs.at_utilisation.usd_per_m_output,
        owned_usd_per_m_output: own.costs.at_utilisation.usd_per_m_output,
        cloud_usd_per_month: cloud.costs.fleet_usd_per_month,
        owned_usd_per_month: own.costs.fleet_usd_per_month,
        break_even_month: own.costs.break_even_month,
        break_even_month_discounted: own.costs.break_even_month_discounted,
        utilisation: own.fleet.utilisation,
        owned_beats_elastic_cloud_above: own.costs.usd_per_gpu_hour / cloud.costs.usd_per_gpu_hour,
    })
}

/// Cumulative cost, rented and owned, month by month for `months` months.
///
/// # Errors
/// As [`Deployment::evaluate`].
pub fn months_sweep(
    deployment: &Deployment,
    months: u32,
) -> Result<Vec<MonthCost>, DeploymentError> {
    let mut owned = deployment.clone();
    owned.pricing.mode = PricingMode::OnPrem;
    let mut rented = deployment.clone();
    rented.pricing.mode = PricingMode::Cloud;
    let (o, c) = (owned.evaluate()?, rented.evaluate()?);
    let purchase = o.costs.purchase_usd;
    let running = o.costs.on_prem_hourly.running_usd_per_hour();
    Ok((0..=months.min(600))
        .map(|m| {
            let hours = f64::from(m) * economics::HOURS_PER_MONTH;
            MonthCost {
                month: m,
                cloud_usd: c.costs.fleet_usd_per_hour * hours,
                on_prem_usd: purchase + running * hours,
            }
        })
        .collect())
}

/// How much the cost per response moves when one input moves.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Sensitivity {
    /// The input, by JSON path.
    pub input: &'static str,
    /// The input in words.
    pub name: &'static str,
    /// Cost per response with the input lowered, dollars.
    pub low_usd: f64,
    /// Cost per response with the input raised, dollars.
    pub high_usd: f64,
}

/// The inputs the tornado chart moves.
const NUDGED: [&Field; 8] = [
    &fields::USD_PER_GPU_HOUR,
    &fields::OUTPUT,
    &fields::INPUT,
    &fields::ATTEMPTS,
    &fields::REQUESTS_PER_DAY,
    &fields::TPOT,
    &fields::USD_PER_KWH,
    &fields::PUE,
];

/// Cost per response with each input lowered and raised by `share` (e.g.
/// 0.2 for ±20 %), largest swing first. Inputs whose change makes the
/// deployment invalid are left out.
///
pub fn sensitivity(evaluated: &Evaluated<'_>, share: f64) -> Vec<Sensitivity> {
    let deployment = evaluated.checked.deployment();
    let share = share.clamp(0.01, 0.9);
    // Scaled and kept within the field's range (attempts and PUE stay at
    // least 1).
    let cost = |field: &Field, factor: f64| {
        let mut d = deployment.clone();
        let value = field.get(&d)? * factor;
        field
            .set(&mut d, Some(value.clamp(field.range.min, field.range.max)))
            .ok()?;
        d.evaluate()
            .ok()
            .map(|r| r.per_response.cost_per_response_usd)
    };
    let mut rows: Vec<Sensitivity> = NUDGED
        .iter()
        .filter_map(|field| {
            Some(Sensitivity {
                input: field.path(),
                name: field.words.name,
                low_usd: cost(field, 1.0 - share)?,
                high_usd: cost(field, 1.0 + share)?,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.high_usd - b.low_usd)
            .abs()
            .total_cmp(&(a.high_usd - a.low_usd).abs())
    });
    rows
}
