//! Disaggregated serving: prompts prefilled on a pool of replicas of their
//! own, each prompt's KV cache then sent over the network to a pool that
//! only generates, as NVIDIA Dynamo, llm-d, SGLang and vLLM deploy it.
//!
//! - The decode pool runs steps with no prompt work in them, so its time
//!   per token holds at a larger batch than a replica that does both.
//! - The prefill pool runs prompts packed up to the step budget. Its
//!   prompts queue (random arrivals, M/D/1, as in [`crate::latency`]): it
//!   runs as busy as the time-to-first-token target allows once the
//!   prompt's own prefill, the cache's transfer and the decode step the
//!   request joins are taken out of it.
//! - Each pool is sized for the peak on its own. The prefill pool's cost
//!   and energy are the prompt tokens', the decode pool's the generated
//!   tokens'.

use super::super::check::Checked;
use super::super::error::DeploymentError;
use super::super::inputs::{Deployment, PrefillPoolInput, PricingMode};
use super::super::report::{
    Costs, DeploymentReport, Origin, Performance, PoolReport, Pools, Power,
};
use super::Operating;
use super::per_response;
use super::power::energy;
use crate::accelerator::AcceleratorSpec;
use crate::economics::{self, OnPremCosts, OwnedHourlyCost, PhaseCost};
use crate::energy::PoolDraw;
use crate::fleet::{self, Fleet};
use crate::latency::{
    Latency, Percentile, Targets, prefill_busy_within, prompt_wait_mean_s, prompt_wait_p99_s,
};
use crate::perf::{Limiter, RequestShape, cache_transfer_s};
use crate::power::accelerator_watts;
use crate::units::SECONDS_PER_HOUR;

/// Months within which a break-even is looked for (as for one pool).
const HORIZON_MONTHS: u32 = 120;

/// The busiest a prefill replica is run, whatever the target allows: near
/// saturation a queue's wait grows without bound, and real prompts arrive
/// in bursts that a Poisson stream understates, so an operator keeps
/// headroom. A modelling default, not fitted: no published measurement of
/// a disaggregated deployment is in the calibration table.
pub const MAX_PREFILL_BUSY: f64 = 0.8;

/// How busy the prefill pool is taken to run when no share of the
/// time-to-first-token target is left for queueing: half busy, where a
/// prompt waits on average a quarter of its own prefill, so the figures
/// stay finite while the report says the target is missed.
const BUSY_WHEN_OUT_OF_REACH: f64 = 0.5;

/// A prefill replica of the pool, found once for its part and size.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrefillOperating {
    /// Its accelerator.
    accelerator: AcceleratorSpec,
    /// Accelerators per prefill replica.
    tensor_parallel: u32,
    /// One prompt prefilled on an idle replica, s.
    alone_s: f64,
    /// What one prompt holds a busy replica for, prompts packed, s.
    service_s: f64,
    /// What limits the packed steps.
    limiter: Limiter,
    /// Board power of one accelerator while it prefills, W.
    busy_watts: f64,
    /// One prompt's KV cache for the whole model, bytes.
    cache_bytes: f64,
}

impl PrefillOperating {
    /// The prefill pool's replica of `checked`, which must have one.
    ///
    /// # Errors
    /// The weights and one prompt's cache do not fit in a prefill replica.
    pub fn find(checked: &Checked<'_>) -> Result<Self, DeploymentError> {
        let resolved = checked.resolved();
        let (Some(replica), Some(pool)) = (resolved.prefill_replica(), resolved.prefill) else {
            return Err(DeploymentError::Disaggregation {
                field: "hardware.prefill_pool",
                why: "no prefill pool to evaluate",
            });
        };
        let shape = resolved.shape;
        // A prefill replica holds the weights and the cache of the prompts
        // it is prefilling, at least one.
        let prompt = RequestShape {
            output_tokens: 0.0,
            ..shape
        };
        let memory = replica.memory(&prompt);
        if memory.max_concurrency < 1.0 {
            let e = &pool.efficiency;
            return Err(DeploymentError::PrefillDoesNotFit {
                need_gb: memory.weights_gb_per_gpu
                    + memory.kv_gb_per_sequence / f64::from(pool.tensor_parallel),
                usable_gb: pool.accelerator.memory_gb * e.memory_utilisation
                    - e.activation_reserve_gb,
            });
        }
        let packed = replica.packed_prefill(&shape);
        let step = &packed.step;
        let total = step.total_s();
        Ok(PrefillOperating {
            accelerator: pool.accelerator,
            tensor_parallel: pool.tensor_parallel,
            alone_s: replica.prefill_alone(&shape).step.total_s(),
            service_s: total,
            limiter: packed.limiter,
            busy_watts: accelerator_watts(
                &pool.accelerator,
                &pool.power,
                step.compute_s() / total,
                step.memory_s() / total,
            ),
            cache_bytes: replica.prompt_cache_bytes(&shape),
        })
    }
}

/// One pool's figures, gathered before they are summed.
struct Pool {
    fleet: Fleet,
    gpus_per_replica: u32,
    /// Requests one replica serves at the point it is sized at.
    requests_per_s_per_replica: f64,
    /// Board power per accelerator at that point, W.
    load_watts: f64,
    idle_watts: f64,
    /// Its share of its time spent working at that point.
    busy: f64,
}

impl Pool {
    fn gpus(&self) -> f64 {
        f64::from(self.fleet.gpus)
    }

    /// Accelerator power averaged over the day, W.
    fn average_gpu_watts(&self) -> f64 {
        (self.idle_watts + (self.load_watts - self.idle_watts) * self.fleet.utilisation)
            * self.gpus()
    }

    fn report(&self, usd_per_hour: f64, usd_per_hour_at_load: f64) -> PoolReport {
        PoolReport {
            gpus_per_replica: self.gpus_per_replica,
            replicas: self.fleet.replicas,
            gpus: self.fleet.gpus,
            requests_per_s_per_replica: self.requests_per_s_per_replica,
            busy_share: self.busy,
            utilisation: self.fleet.utilisation,
            watts_per_gpu_at_load: self.load_watts,
            usd_per_hour,
            usd_per_hour_at_load,
        }
    }
}

/// The report of a disaggregated deployment: its decode replica at
/// `decode` (found by [`Operating::find_decode`]) and its prefill replica
/// at `prefill`, the prefill pool priced at `prices`.
pub(super) fn report(
    checked: &Checked<'_>,
    decode: &Operating,
    prefill: &PrefillOperating,
    prices: &PrefillPoolInput,
) -> DeploymentReport {
    let d = checked.deployment();
    let (h, u, p) = (&d.hardware, &d.use_case, &d.pricing);
    let gpu = &checked.resolved().accelerator;
    let generated = decode.generated_tokens;
    let targets = Operating::targets(d);

    // The time to first token: the prompt's queue and prefill, the cache's
    // transfer, then the decode step the request joins.
    let decode_step_s = decode.point.step.total_s();
    let cache_transfer = cache_transfer_s(
        prefill.cache_bytes,
        prefill.tensor_parallel,
        h.gpus_per_replica,
    );
    let fixed_s = prefill.alone_s + cache_transfer + decode_step_s;
    // The budget a hair short of the target, so a pool run exactly at it
    // is not found to miss it by a rounding error.
    let budget_s = (targets.ttft_s - fixed_s) * (1.0 - 1e-9);
    let busy = match prefill_busy_within(budget_s, prefill.service_s, targets.at) {
        b if b > 0.0 => b.min(MAX_PREFILL_BUSY),
        _ => BUSY_WHEN_OUT_OF_REACH,
    };
    let prefill_rps = busy / prefill.service_s;
    let wait_mean = prompt_wait_mean_s(prefill_rps, prefill.service_s);
    let wait_p99 = prompt_wait_p99_s(prefill_rps, prefill.service_s).max(wait_mean);

    let decode_rps = decode.requests_per_s_per_replica();
    let factors = h.power.unwrap_or_else(|| h.stack.power());
    let decode_pool = Pool {
        fleet: fleet::size(
            u.requests_per_day,
            u.peak_to_average,
            decode_rps,
            h.gpus_per_replica,
        ),
        gpus_per_replica: h.gpus_per_replica,
        requests_per_s_per_replica: decode_rps,
        load_watts: accelerator_watts(
            gpu,
            &factors,
            decode.point.compute_busy,
            decode.point.memory_busy,
        ),
        idle_watts: gpu.idle_w,
        busy: 1.0,
    };
    let part = &prefill.accelerator;
    let prefill_pool = Pool {
        fleet: fleet::size(
            u.requests_per_day,
            u.peak_to_average,
            prefill_rps,
            prefill.tensor_parallel,
        ),
        gpus_per_replica: prefill.tensor_parallel,
        requests_per_s_per_replica: prefill_rps,
        load_watts: part.idle_w + (prefill.busy_watts - part.idle_w) * busy,
        idle_watts: part.idle_w,
        busy,
    };
    let fleet = combined_fleet(&prefill_pool.fleet, &decode_pool.fleet);

    // Decode latency: no prompt work shares its steps.
    let decode_perf = decode.performance(d, &decode_pool.fleet);
    let latency = Latency {
        ttft_mean_s: fixed_s + wait_mean,
        ttft_p99_s: fixed_s + wait_p99,
        tpot_mean_s: decode_perf.tpot_ms * 1e-3,
        tpot_p99_s: decode_perf.tpot_p99_ms * 1e-3,
    };
    let performance = Performance {
        output_tokens_per_s_per_gpu: generated
            / (f64::from(h.gpus_per_replica) / decode_rps
                + f64::from(prefill.tensor_parallel) / prefill_rps),
        input_tokens_per_s_per_replica: prefill_rps * u.input_tokens,
        output_tokens_per_s_per_fleet: decode.output_per_replica
            * f64::from(decode_pool.fleet.replicas),
        input_tokens_per_s_per_fleet: prefill_rps
            * u.input_tokens
            * f64::from(prefill_pool.fleet.replicas),
        ttft_ms: latency.ttft_mean_s * 1e3,
        ttft_p99_ms: latency.ttft_p99_s * 1e3,
        end_to_end_s: latency.ttft_mean_s + generated * latency.tpot_mean_s,
        prefill_limiter: prefill.limiter,
        meets_latency_targets: meets(&targets, &latency),
        origin: Origin::Modeled,
        prefill_origin: Origin::Modeled,
        ..decode_perf
    };

    let servers = d.servers();
    let pools = [&prefill_pool, &decode_pool];
    let gpus = f64::from(fleet.gpus);
    let hosts: f64 = pools.iter().map(|q| servers.host_watts(q.gpus())).sum();
    let gpu_watts: f64 = pools.iter().map(|q| q.average_gpu_watts()).sum();
    let load_gpu_watts: f64 = pools.iter().map(|q| q.load_watts * q.gpus()).sum();
    let idle_gpu_watts: f64 = pools.iter().map(|q| q.idle_watts * q.gpus()).sum();
    let facility_kw_at_load = (load_gpu_watts + hosts) * p.pue / 1e3;
    let power = Power {
        watts_per_gpu_at_load: load_gpu_watts / gpus,
        gpu_watts,
        server_watts: gpu_watts + hosts,
        facility_watts: (gpu_watts + hosts) * p.pue,
        server_watts_at_load: load_gpu_watts + hosts,
        server_watts_idle: idle_gpu_watts + hosts,
        facility_kw_at_load,
        budget_share: super::carbon::budget_share(d, facility_kw_at_load),
        origin: Origin::Modeled,
    };

    // The prefill pool's energy is the prompts', the decode pool's the
    // generated tokens'.
    let draw = |q: &Pool, generating: bool, tokens_per_request: f64| {
        let tokens_per_s =
            q.requests_per_s_per_replica * f64::from(q.fleet.replicas) * tokens_per_request;
        let share = if generating { 1.0 } else { 0.0 };
        PoolDraw {
            gpu_load_w: q.load_watts * q.gpus(),
            gpu_idle_w: q.idle_watts * q.gpus(),
            host_w: servers.host_watts(q.gpus()),
            decode_energy_share: share,
            decode_time_share: share,
            input_per_s: if generating { 0.0 } else { tokens_per_s },
            output_per_s: if generating { tokens_per_s } else { 0.0 },
            utilisation: q.fleet.utilisation,
        }
    };
    let energy = energy(
        d,
        &[
            draw(&prefill_pool, false, u.input_tokens),
            draw(&decode_pool, true, generated),
        ],
    );

    let money = Money::of(d, gpu, prefill, prices, &prefill_pool, &decode_pool);
    let costs = money.costs(d, &fleet, &prefill_pool, &decode_pool, generated);

    let (per_response, hosted_api) = per_response::step(d, &costs, &energy);
    let costs = Costs {
        hosted_api,
        ..costs
    };
    let carbon = super::carbon::step(d, &fleet, &power, &per_response);
    DeploymentReport {
        memory: decode.memory,
        performance,
        fleet,
        power,
        energy,
        costs,
        per_response,
        carbon,
        pools: Some(Pools {
            prefill: prefill_pool.report(
                money.prefill_usd_per_hour,
                money.prefill_usd_per_hour_at_load,
            ),
            decode: decode_pool
                .report(money.decode_usd_per_hour, money.decode_usd_per_hour_at_load),
            cache_transfer_ms: cache_transfer * 1e3,
        }),
    }
}

/// Whether `latency` meets `targets` (at the mean or the P99 they name).
fn meets(targets: &Targets, latency: &Latency) -> bool {
    let (ttft, tpot) = match targets.at {
        Percentile::Mean => (latency.ttft_mean_s, latency.tpot_mean_s),
        Percentile::P99 => (latency.ttft_p99_s, latency.tpot_p99_s),
    };
    ttft <= targets.ttft_s && tpot <= targets.tpot_s
}

/// Requests a day's average the fleet serves: the demand, or all it can
/// when the demand outgrows the largest fleet.
fn served_requests_per_s(fleet: &Fleet) -> f64 {
    fleet.capacity_requests_per_s * fleet.utilisation
}

/// Both pools as one fleet: every replica and accelerator, and the
/// capacity of the pool that runs out first.
fn combined_fleet(prefill: &Fleet, decode: &Fleet) -> Fleet {
    let capacity = prefill
        .capacity_requests_per_s
        .min(decode.capacity_requests_per_s);
    Fleet {
        replicas: prefill.replicas.saturating_add(decode.replicas),
        gpus: prefill.gpus.saturating_add(decode.gpus),
        capacity_requests_per_s: capacity,
        utilisation: (decode.average_requests_per_s / capacity).clamp(0.0, 1.0),
        ..*decode
    }
}

/// Each pool's hourly cost, rented and owned.
struct Money {
    cloud_usd_per_hour: f64,
    owned: OwnedHourlyCost,
    purchase_usd: f64,
    prefill_usd_per_hour: f64,
    decode_usd_per_hour: f64,
    prefill_usd_per_hour_at_load: f64,
    decode_usd_per_hour_at_load: f64,
}

impl Money {
    fn of(
        d: &Deployment,
        gpu: &AcceleratorSpec,
        prefill: &PrefillOperating,
        pool_prices: &PrefillPoolInput,
        prefill_pool: &Pool,
        decode_pool: &Pool,
    ) -> Self {
        let p = &d.pricing;
        let servers = d.servers();
        let per_node = f64::from(p.on_prem.gpus_per_node);
        // The staff run one fleet, charged once (to the decode pool).
        let prefill_terms = OnPremCosts {
            capex_usd_per_node: pool_prices.capex_usd_per_node,
            staff_usd_per_year: 0.0,
            ..p.on_prem
        };
        let owned = |terms: &OnPremCosts, pool: &Pool, tdp: f64, watts: f64| {
            let gpus = pool.gpus();
            economics::owned_hourly_cost(
                terms,
                (gpus / per_node).ceil(),
                (watts + servers.host_watts(gpus)) / 1e3,
                (tdp * gpus + servers.host_watts(gpus)) / 1e3,
                p.pue,
                p.usd_per_kwh,
            )
        };
        let decode_owned = owned(
            &p.on_prem,
            decode_pool,
            gpu.tdp_w,
            decode_pool.average_gpu_watts(),
        );
        let prefill_owned = owned(
            &prefill_terms,
            prefill_pool,
            prefill.accelerator.tdp_w,
            prefill_pool.average_gpu_watts(),
        );
        let at_load = |owned: OwnedHourlyCost, pool: &Pool| {
            let gpus = pool.gpus();
            owned.drawing(
                (pool.load_watts * gpus + servers.host_watts(gpus)) / 1e3,
                p.pue,
                p.usd_per_kwh,
            )
        };
        let decode_owned_at_load = at_load(decode_owned, decode_pool);
        let prefill_owned_at_load = at_load(prefill_owned, prefill_pool);
        let decode_cloud = p.usd_per_gpu_hour * decode_pool.gpus();
        let prefill_cloud = pool_prices.usd_per_gpu_hour * prefill_pool.gpus();
        let nodes = |pool: &Pool| (pool.gpus() / per_node).ceil();
        let (prefill_usd, decode_usd, prefill_at_load, decode_at_load) = match p.mode {
            PricingMode::Cloud => (prefill_cloud, decode_cloud, prefill_cloud, decode_cloud),
            PricingMode::OnPrem => (
                prefill_owned.total_usd_per_hour(),
                decode_owned.total_usd_per_hour(),
                prefill_owned_at_load.total_usd_per_hour(),
                decode_owned_at_load.total_usd_per_hour(),
            ),
        };
        Money {
            cloud_usd_per_hour: prefill_cloud + decode_cloud,
            owned: sum(&prefill_owned, &decode_owned),
            purchase_usd: pool_prices.capex_usd_per_node * nodes(prefill_pool)
                + p.on_prem.capex_usd_per_node * nodes(decode_pool),
            prefill_usd_per_hour: prefill_usd,
            decode_usd_per_hour: decode_usd,
            prefill_usd_per_hour_at_load: prefill_at_load,
            decode_usd_per_hour_at_load: decode_at_load,
        }
    }

    /// The fleet's costs: the prefill pool's charged to prompt tokens, the
    /// decode pool's to generated tokens.
    fn costs(
        &self,
        d: &Deployment,
        fleet: &Fleet,
        prefill_pool: &Pool,
        decode_pool: &Pool,
        generated: f64,
    ) -> Costs {
        let (p, u) = (&d.pricing, &d.use_case);
        let gpus = f64::from(fleet.gpus);
        let fleet_usd_per_hour = self.prefill_usd_per_hour + self.decode_usd_per_hour;
        let per_m = |usd_per_hour: f64, tokens_per_s: f64| {
            if tokens_per_s > 0.0 {
                usd_per_hour / SECONDS_PER_HOUR / tokens_per_s * 1e6
            } else {
                0.0
            }
        };
        let average = served_requests_per_s(fleet);
        let capacity = |pool: &Pool| pool.fleet.capacity_requests_per_s;
        // Without prompt tokens, the prefill pool's cost goes with the
        // generated tokens: the pool still runs.
        let prompts = u.input_tokens > 0.0;
        let life_hours = p.on_prem.depreciation_years * economics::HOURS_PER_YEAR;
        let idle = |usd_per_hour: f64, pool: &Pool| usd_per_hour * (1.0 - pool.fleet.utilisation);
        Costs {
            fleet_usd_per_hour,
            fleet_usd_per_month: fleet_usd_per_hour * economics::HOURS_PER_MONTH,
            fleet_usd_per_hour_at_load: self.prefill_usd_per_hour_at_load
                + self.decode_usd_per_hour_at_load,
            usd_per_gpu_hour: fleet_usd_per_hour / gpus,
            at_load: PhaseCost {
                usd_per_m_input: per_m(
                    self.prefill_usd_per_hour_at_load,
                    capacity(prefill_pool) * u.input_tokens,
                ),
                usd_per_m_output: per_m(
                    self.decode_usd_per_hour_at_load,
                    capacity(decode_pool) * generated,
                ) + if prompts {
                    0.0
                } else {
                    per_m(
                        self.prefill_usd_per_hour_at_load,
                        capacity(prefill_pool) * generated,
                    )
                },
            },
            at_utilisation: PhaseCost {
                usd_per_m_input: per_m(self.prefill_usd_per_hour, average * u.input_tokens),
                usd_per_m_output: per_m(
                    self.decode_usd_per_hour
                        + if prompts {
                            0.0
                        } else {
                            self.prefill_usd_per_hour
                        },
                    average * generated,
                ),
            },
            tokens_per_usd: average * generated * SECONDS_PER_HOUR / fleet_usd_per_hour,
            idle_usd_per_month: (idle(self.prefill_usd_per_hour, prefill_pool)
                + idle(self.decode_usd_per_hour, decode_pool))
                * economics::HOURS_PER_MONTH,
            on_prem_usd_per_gpu_hour: self.owned.total_usd_per_hour() / gpus,
            on_prem_hourly: self.owned,
            cloud_usd_per_gpu_hour: self.cloud_usd_per_hour / gpus,
            break_even_month: economics::break_even_month(
                self.cloud_usd_per_hour,
                self.purchase_usd,
                &self.owned,
                HORIZON_MONTHS,
            ),
            break_even_month_discounted: economics::discounted_break_even_month(
                self.cloud_usd_per_hour,
                self.purchase_usd,
                &self.owned,
                p.on_prem.cost_of_capital,
                HORIZON_MONTHS,
            ),
            purchase_usd: self.purchase_usd,
            on_prem_total_usd: self.purchase_usd + self.owned.running_usd_per_hour() * life_hours,
            cloud_total_usd: self.cloud_usd_per_hour * life_hours,
            hosted_api: None,
        }
    }
}

/// Two owned fleets' hourly costs, component by component.
fn sum(a: &OwnedHourlyCost, b: &OwnedHourlyCost) -> OwnedHourlyCost {
    OwnedHourlyCost {
        capital_usd_per_hour: a.capital_usd_per_hour + b.capital_usd_per_hour,
        maintenance_usd_per_hour: a.maintenance_usd_per_hour + b.maintenance_usd_per_hour,
        hosting_usd_per_hour: a.hosting_usd_per_hour + b.hosting_usd_per_hour,
        staff_usd_per_hour: a.staff_usd_per_hour + b.staff_usd_per_hour,
        energy_usd_per_hour: a.energy_usd_per_hour + b.energy_usd_per_hour,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::{DeploymentError, PrefillPoolInput};

    /// The planner's example with prompts of `input` tokens, a time-per-token
    /// target of `tpot_ms`, a 2 s time-to-first-token target and eight H100s
    /// a replica.
    fn long_prompts(input: f64, tpot_ms: f64) -> Deployment {
        let mut d = Deployment::example();
        d.use_case.input_tokens = input;
        d.use_case.tpot_target_ms = tpot_ms;
        d.use_case.ttft_target_ms = 2000.0;
        d.hardware.gpus_per_replica = 8;
        d
    }

    fn with_pool(d: &Deployment, gpus_per_replica: u32) -> Deployment {
        let mut d = d.clone();
        d.hardware.prefill_pool = Some(PrefillPoolInput {
            catalogue: "h100-sxm-80gb".to_owned(),
            gpus_per_replica,
            usd_per_gpu_hour: d.pricing.usd_per_gpu_hour,
            capex_usd_per_node: d.pricing.on_prem.capex_usd_per_node,
        });
        d
    }

    #[test]
    fn long_prompts_under_a_tight_time_per_token_are_cheaper_split() {
        let aggregated = long_prompts(8000.0, 30.0);
        let split = with_pool(&aggregated, 4);
        let (a, s) = (aggregated.evaluate().unwrap(), split.evaluate().unwrap());
        assert!(a.performance.meets_latency_targets && s.performance.meets_latency_targets);
        // Decode steps carry no prompt, so the same target holds at a
        // larger batch.
        assert!(
            s.performance.concurrency > 2.0 * a.performance.concurrency,
            "{} against {}",
            s.performance.concurrency,
            a.performance.concurrency
        );
        let (ca, cs) = (
            a.per_response.cost_per_response_usd,
            s.per_response.cost_per_response_usd,
        );
        assert!(cs < 0.9 * ca, "split ${cs} against ${ca}");
        assert!(a.pools.is_none());
        let pools = s.pools.unwrap();
        assert_eq!(pools.prefill.gpus + pools.decode.gpus, s.fleet.gpus);
    }

    #[test]
    fn every_dollar_of_each_pool_is_charged_to_its_own_tokens() {
        let d = with_pool(&long_prompts(4000.0, 40.0), 2);
        let r = d.evaluate().unwrap();
        let pools = r.pools.unwrap();
        let rate = d.pricing.usd_per_gpu_hour;
        let per_hour = |requests_per_s: f64, tokens: f64, usd_per_m: f64| {
            requests_per_s * tokens * 3600.0 * usd_per_m / 1e6
        };
        let average = r.fleet.average_requests_per_s;
        let generated = d.use_case.output_tokens;
        let input_cost = per_hour(average, 4000.0, r.costs.at_utilisation.usd_per_m_input);
        let output_cost = per_hour(average, generated, r.costs.at_utilisation.usd_per_m_output);
        assert!((input_cost / (f64::from(pools.prefill.gpus) * rate) - 1.0).abs() < 1e-9);
        assert!((output_cost / (f64::from(pools.decode.gpus) * rate) - 1.0).abs() < 1e-9);
        assert!((r.costs.fleet_usd_per_hour - f64::from(r.fleet.gpus) * rate).abs() < 1e-6);
    }

    #[test]
    fn the_cache_crosses_the_network_on_the_smaller_pool_s_ports() {
        // Llama 3.1 70B: 80 layers, 8 KV heads of 128, keys and values in
        // BF16: 327,680 bytes a token; 1,000 tokens over four 50 GB/s ports.
        let mut d = with_pool(&Deployment::example(), 8);
        d.model.kv_cache = Some(crate::model::Precision::Bf16);
        let pools = d.evaluate().unwrap().pools.unwrap();
        let expected_ms = 1000.0 * 327_680.0 / (4.0 * 50e9) * 1e3 + 0.010;
        assert!(
            (pools.cache_transfer_ms - expected_ms).abs() < 1e-9,
            "{} ms against {expected_ms} ms",
            pools.cache_transfer_ms
        );
    }

    #[test]
    fn a_looser_first_token_target_lets_prefill_queue_longer_on_fewer_accelerators() {
        let tight = with_pool(&long_prompts(8000.0, 50.0), 4);
        let mut tight = tight;
        tight.use_case.ttft_target_ms = 400.0;
        let mut loose = tight.clone();
        loose.use_case.ttft_target_ms = 5000.0;
        let (t, l) = (tight.evaluate().unwrap(), loose.evaluate().unwrap());
        let (tp, lp) = (t.pools.unwrap(), l.pools.unwrap());
        assert!(t.performance.meets_latency_targets);
        assert!(t.performance.ttft_ms <= 400.0, "{}", t.performance.ttft_ms);
        assert!(tp.prefill.busy_share < lp.prefill.busy_share);
        assert!(tp.prefill.gpus > lp.prefill.gpus);
        // However loose the target, a prefill replica keeps its headroom.
        assert!(lp.prefill.busy_share <= MAX_PREFILL_BUSY);
        // The decode pool does not depend on the first-token target.
        assert_eq!(tp.decode, lp.decode);
    }

    #[test]
    fn an_out_of_reach_first_token_target_is_reported_missed_not_hidden() {
        let mut d = with_pool(&long_prompts(8000.0, 50.0), 2);
        d.use_case.ttft_target_ms = 50.0;
        let r = d.evaluate().unwrap();
        assert!(!r.performance.meets_latency_targets);
        assert!(r.performance.ttft_ms > 50.0);
        assert!(r.per_response.cost_per_response_usd.is_finite());
    }

    #[test]
    fn choices_the_split_model_does_not_cover_name_their_field() {
        let base = with_pool(&Deployment::example(), 4);
        let field_of = |d: &Deployment| d.evaluate().unwrap_err().field().to_owned();
        let mut d = base.clone();
        d.hardware.pipeline_stages = Some(2);
        assert_eq!(field_of(&d), "hardware.pipeline_stages");
        let mut d = base.clone();
        d.hardware.replicas = Some(3);
        assert_eq!(field_of(&d), "hardware.replicas");
        let mut d = base.clone();
        d.hardware.prefill_pool.as_mut().unwrap().catalogue = "h9000".to_owned();
        assert_eq!(field_of(&d), "hardware.prefill_pool.catalogue");
        let mut d = base.clone();
        d.hardware.prefill_pool.as_mut().unwrap().gpus_per_replica = 16;
        assert_eq!(field_of(&d), "hardware.prefill_pool.gpus_per_replica");
        let mut d = base.clone();
        d.hardware.prefill_pool.as_mut().unwrap().usd_per_gpu_hour = f64::NAN;
        assert_eq!(field_of(&d), "hardware.prefill_pool.usd_per_gpu_hour");
        let mut d = base.clone();
        d.hardware.prefill_pool.as_mut().unwrap().capex_usd_per_node = -1.0;
        assert_eq!(field_of(&d), "hardware.prefill_pool.capex_usd_per_node");
        // 70 GB of FP8 weights and an 8,000-token prompt's cache on one
        // 80 GB H100.
        let mut d = with_pool(&long_prompts(8000.0, 50.0), 1);
        d.model.weights = Some(crate::model::Precision::Fp8);
        let e = d.evaluate().unwrap_err();
        assert!(
            matches!(e, DeploymentError::PrefillDoesNotFit { .. }),
            "{e}"
        );
        assert_eq!(e.field(), "hardware.prefill_pool.gpus_per_replica");
    }

    #[test]
    fn a_split_deployment_reads_back_from_its_json() {
        let d = with_pool(&Deployment::example(), 2);
        let text = serde_json::to_string(&d).unwrap();
        assert!(text.contains("\"prefill_pool\""));
        assert_eq!(Deployment::from_json(&text).unwrap(), d);
        // Without a pool the field is left out, as saved before it existed.
        let plain = serde_json::to_string(&Deployment::example()).unwrap();
        assert!(!plain.contains("prefill_pool"));
    }

    #[test]
    fn owning_both_pools_charges_the_staff_once() {
        let mut d = with_pool(&long_prompts(4000.0, 40.0), 2);
        d.pricing.mode = PricingMode::OnPrem;
        let r = d.evaluate().unwrap();
        let staff = r.costs.on_prem_hourly.staff_usd_per_hour;
        assert!((staff - d.pricing.on_prem.staff_usd_per_year / 8760.0).abs() < 1e-9);
        let pools = r.pools.unwrap();
        assert!(
            (pools.prefill.usd_per_hour + pools.decode.usd_per_hour - r.costs.fleet_usd_per_hour)
                .abs()
                < 1e-9
        );
    }

    #[test]
    fn the_fleet_s_hour_is_charged_whole_to_the_requests_served_with_or_without_prompts() {
        for input in [4000.0, 0.0] {
            let mut d = with_pool(&long_prompts(4000.0, 40.0), 2);
            d.use_case.input_tokens = input;
            d.pricing.mode = PricingMode::OnPrem;
            let r = d.evaluate().unwrap();
            let served = r.fleet.capacity_requests_per_s * r.fleet.utilisation;
            let per_request = (d.use_case.output_tokens * r.costs.at_utilisation.usd_per_m_output
                + input * r.costs.at_utilisation.usd_per_m_input)
                / 1e6;
            let charged = per_request * served * 3600.0;
            assert!(
                (charged / r.costs.fleet_usd_per_hour - 1.0).abs() < 1e-9,
                "{input} prompt tokens: ${charged} an hour charged of ${}",
                r.costs.fleet_usd_per_hour
            );
        }
    }

    #[test]
    fn factors_fitted_to_the_deployment_s_part_reach_a_prefill_pool_of_that_part_only() {
        let fitted = crate::power::PowerFactors {
            compute_weight: 0.2,
            memory_weight: 0.1,
        };
        let watts = |pool_part: &str, power: Option<crate::power::PowerFactors>| {
            let mut d = with_pool(&long_prompts(4000.0, 40.0), 2);
            d.hardware.power = power;
            d.hardware.prefill_pool.as_mut().unwrap().catalogue = pool_part.to_owned();
            d.evaluate()
                .unwrap()
                .pools
                .unwrap()
                .prefill
                .watts_per_gpu_at_load
        };
        assert!(watts("h100-sxm-80gb", Some(fitted)) < watts("h100-sxm-80gb", None));
        assert_eq!(
            watts("h200-sxm-141gb", Some(fitted)),
            watts("h200-sxm-141gb", None)
        );
    }

    #[test]
    fn owning_two_pools_buys_each_pool_s_servers_at_its_own_price() {
        let mut d = with_pool(&long_prompts(8000.0, 30.0), 2);
        d.pricing.mode = PricingMode::OnPrem;
        d.hardware.prefill_pool.as_mut().unwrap().capex_usd_per_node = 100_000.0;
        let r = d.evaluate().unwrap();
        let pools = r.pools.unwrap();
        let servers = |gpus: u32| f64::from(gpus.div_ceil(8));
        let expected = servers(pools.prefill.gpus) * 100_000.0
            + servers(pools.decode.gpus) * d.pricing.on_prem.capex_usd_per_node;
        assert_eq!(r.costs.purchase_usd, expected);
        // The months chart crosses where the report breaks even.
        let months = crate::tradeoffs::months_sweep(&d, 120).unwrap();
        let month = r.costs.break_even_month.expect("owning pays back");
        let at = |m: usize| months[m].on_prem_usd - months[m].cloud_usd;
        let before = month.floor() as usize;
        assert!(
            at(before) > 0.0 && at(before + 1) <= 0.0,
            "break-even {month}"
        );
    }
}
