//! Power of the fleet and energy per token: board power from how busy the
//! operating point keeps the tensor cores and memory (or as measured),
//! hosts by whole servers, the facility's overhead on top.

use super::super::inputs::{Deployment, PricingInput};
use super::super::report::{Energy, Origin, Power};
use super::Operating;
use crate::accelerator::AcceleratorSpec;
use crate::fleet::Fleet;
use crate::power::accelerator_watts;
use crate::units::JOULES_PER_KWH;

/// The fleet's power and the energy of its tokens.
#[inline]
pub(super) fn step(
    d: &Deployment,
    gpu: &AcceleratorSpec,
    operating: &Operating,
    fleet: &Fleet,
) -> (Power, Energy) {
    let (h, p) = (&d.hardware, &d.pricing);
    let servers = d.servers();
    let tp = f64::from(h.gpus_in_replica());
    let gpus = f64::from(fleet.gpus);
    let (load_gpu_w, origin) = match d.measured.as_ref().and_then(|m| Some((m.watts?, m.scope))) {
        // The measurement is of the deployment as described.
        Some((watts, scope)) => (
            servers.watts_per_gpu(watts, scope, operating.described_replicas * tp),
            Origin::Measured,
        ),
        None => {
            let factors = h.power.unwrap_or_else(|| h.stack.power());
            let point = &operating.point;
            let w = accelerator_watts(gpu, &factors, point.compute_busy, point.memory_busy);
            (w, Origin::Modeled)
        }
    };
    // Board power averaged over busy and idle time.
    let utilisation = fleet.utilisation;
    let gpu_watts = (gpu.idle_w + (load_gpu_w - gpu.idle_w) * utilisation) * gpus;
    let host_w = servers.host_watts(gpus);
    let server_watts = gpu_watts + host_w;
    let power = Power {
        watts_per_gpu_at_load: load_gpu_w,
        gpu_watts,
        server_watts,
        facility_watts: server_watts * p.pue,
        server_watts_at_load: load_gpu_w * gpus + host_w,
        server_watts_idle: gpu.idle_w * gpus + host_w,
        origin,
    };

    // Energy per token at load, at the server (the article's scope): a
    // replica's accelerators and its share of their servers' hosts.
    let output = operating.output_per_replica;
    let tokens_per_joule = output / load_server_watts_per_replica(d, load_gpu_w);
    let facility_j_per_token_at_utilisation =
        power.facility_watts / (output * f64::from(fleet.replicas) * utilisation.max(1e-9));
    (
        power,
        energy(p, tokens_per_joule, facility_j_per_token_at_utilisation),
    )
}

/// The energy figures from generated tokens per joule at the server at
/// load and facility joules per token at the expected utilisation.
pub(super) fn energy(
    p: &PricingInput,
    tokens_per_joule: f64,
    facility_j_per_token_at_utilisation: f64,
) -> Energy {
    let tokens_per_kwh = tokens_per_joule * JOULES_PER_KWH;
    Energy {
        tokens_per_joule,
        tokens_per_kwh,
        energy_usd_per_token: p.usd_per_kwh * p.pue / tokens_per_kwh,
        facility_j_per_token_at_load: p.pue / tokens_per_joule,
        facility_j_per_token_at_utilisation,
        g_co2_per_m_tokens_at_utilisation: facility_j_per_token_at_utilisation * 1e6
            / JOULES_PER_KWH
            * p.grid_g_co2_per_kwh,
    }
}

/// A replica's accelerators at load plus its share of the hosts, W.
pub(super) fn load_server_watts_per_replica(d: &Deployment, load_gpu_w: f64) -> f64 {
    let h = &d.hardware;
    let tp = f64::from(h.gpus_in_replica());
    load_gpu_w * tp + h.host_watts_per_node * tp / f64::from(h.gpus_per_node)
}
