//! Money: the fleet's hourly cost rented or owned, $/M input and output
//! tokens at load and at the expected utilisation, owning against renting.

use super::super::inputs::{Deployment, PricingMode};
use super::super::report::{Costs, Power};
use super::Operating;
use crate::accelerator::AcceleratorSpec;
use crate::economics::{self, PhaseCost};
use crate::fleet::Fleet;
use crate::units::SECONDS_PER_HOUR;

/// Months within which a break-even is looked for.
const HORIZON_MONTHS: u32 = 120;

/// The fleet's costs under the chosen pricing, with the other pricing's
/// figures beside them.
#[inline]
pub(super) fn step(
    d: &Deployment,
    gpu: &AcceleratorSpec,
    operating: &Operating,
    fleet: &Fleet,
    power: &Power,
) -> Costs {
    let p = &d.pricing;
    let gpus = f64::from(fleet.gpus);
    let cloud_usd_per_hour = p.usd_per_gpu_hour * gpus;
    let owned_nodes = (gpus / f64::from(p.on_prem.gpus_per_node)).ceil();
    let provisioned_kw = (gpu.tdp_w * gpus + d.servers().host_watts(gpus)) / 1e3;
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
    let owned = owned_at(power.server_watts / 1e3);
    let (fleet_usd_per_hour, fleet_usd_per_hour_at_load) = match p.mode {
        PricingMode::Cloud => (cloud_usd_per_hour, cloud_usd_per_hour),
        PricingMode::OnPrem => (
            owned.total_usd_per_hour(),
            owned
                .drawing(power.server_watts_at_load / 1e3, p.pue, p.usd_per_kwh)
                .total_usd_per_hour(),
        ),
    };
    let utilisation = fleet.utilisation;
    let busy = utilisation.max(1e-9);
    let replicas = f64::from(fleet.replicas.max(1));
    let per_replica_usd_per_hour = fleet_usd_per_hour / replicas;
    let phase = |usd_per_hour: f64| {
        economics::phase_cost(
            usd_per_hour,
            operating.prefill_share,
            operating.input_per_replica,
            operating.output_per_replica,
        )
    };
    // Idle time charged to the tokens served: the average hourly cost over
    // the tokens of the busy share of the hour.
    let served = phase(per_replica_usd_per_hour);
    let purchase = p.on_prem.capex_usd_per_node * owned_nodes;
    let life_hours = p.on_prem.depreciation_years * economics::HOURS_PER_YEAR;
    Costs {
        fleet_usd_per_hour,
        fleet_usd_per_month: fleet_usd_per_hour * economics::HOURS_PER_MONTH,
        fleet_usd_per_hour_at_load,
        usd_per_gpu_hour: fleet_usd_per_hour / gpus,
        at_load: phase(fleet_usd_per_hour_at_load / replicas),
        at_utilisation: PhaseCost {
            usd_per_m_input: served.usd_per_m_input / busy,
            usd_per_m_output: served.usd_per_m_output / busy,
        },
        tokens_per_usd: operating.output_per_replica * SECONDS_PER_HOUR * busy
            / per_replica_usd_per_hour,
        idle_usd_per_month: fleet_usd_per_hour * economics::HOURS_PER_MONTH * (1.0 - utilisation),
        on_prem_usd_per_gpu_hour: owned.total_usd_per_hour() / gpus,
        on_prem_hourly: owned,
        cloud_usd_per_gpu_hour: p.usd_per_gpu_hour,
        break_even_month: economics::break_even_month(
            cloud_usd_per_hour,
            purchase,
            &owned,
            HORIZON_MONTHS,
        ),
        break_even_month_discounted: economics::discounted_break_even_month(
            cloud_usd_per_hour,
            purchase,
            &owned,
            p.on_prem.cost_of_capital,
            HORIZON_MONTHS,
        ),
        purchase_usd: purchase,
        on_prem_total_usd: purchase + owned.running_usd_per_hour() * life_hours,
        cloud_total_usd: cloud_usd_per_hour * life_hours,
        hosted_api: None,
    }
}
