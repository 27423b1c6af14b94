//! Carbon of the fleet, operational and embodied, per response and per
//! month, and its peak power against the site's budget.

use super::super::inputs::Deployment;
use super::super::report::{Carbon, Power};
use crate::economics::HOURS_PER_MONTH;
use crate::fleet::Fleet;
use crate::response::PerResponse;
use crate::units::{JOULES_PER_KWH, SECONDS_PER_HOUR};

/// The carbon of the fleet `fleet` drawing `power`, whose responses each
/// take `per_response` (its energy at the expected utilisation). A month's
/// operational carbon is the facility's average energy at each intensity,
/// so per response it is that response's energy at it; a month's embodied
/// carbon is the accelerators' footprint over their months of life, shared
/// by the month's responses (counted at a billionth of the capacity at
/// least, as the costs' utilisation is, so an idle fleet stays finite).
/// One footprint per accelerator: a prefill pool of another part is
/// counted at the same figure.
#[inline]
pub(super) fn step(
    d: &Deployment,
    fleet: &Fleet,
    power: &Power,
    per_response: &PerResponse,
) -> Carbon {
    let p = &d.pricing;
    let kwh_per_month = power.facility_watts / 1e3 * HOURS_PER_MONTH;
    let kwh_per_response = per_response.joules_per_response / JOULES_PER_KWH;
    let requests_per_s = fleet.utilisation.max(1e-9) * fleet.capacity_requests_per_s;
    let responses_per_month = requests_per_s * SECONDS_PER_HOUR * HOURS_PER_MONTH
        / d.use_case.attempts_per_response.max(1.0);
    let embodied_kg_per_month = p
        .embodied_kg_co2e_per_gpu
        .map(|kg| kg * f64::from(fleet.gpus) / (p.on_prem.depreciation_years * 12.0));
    Carbon {
        location_g_per_response: kwh_per_response * p.grid_g_co2_per_kwh,
        location_kg_per_month: kwh_per_month * p.grid_g_co2_per_kwh / 1e3,
        market_g_per_response: p.market_g_co2_per_kwh.map(|g| kwh_per_response * g),
        market_kg_per_month: p.market_g_co2_per_kwh.map(|g| kwh_per_month * g / 1e3),
        embodied_g_per_response: embodied_kg_per_month.map(|kg| kg * 1e3 / responses_per_month),
        embodied_kg_per_month,
        responses_per_month,
    }
}

/// The fleet's peak facility power over the site's budget, if one is set.
#[inline]
pub(super) fn budget_share(d: &Deployment, facility_kw_at_load: f64) -> Option<f64> {
    d.pricing
        .power_budget_kw
        .map(|budget| facility_kw_at_load / budget)
}
