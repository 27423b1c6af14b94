//! Power of the fleet and energy per token: board power from how busy the
//! operating point keeps the tensor cores and memory (or as measured),
//! hosts by whole servers, the facility's overhead on top.

use super::super::inputs::Deployment;
use super::super::report::{Energy, Origin, Power};
use super::Operating;
use super::per_response::response_shape;
use crate::accelerator::AcceleratorSpec;
use crate::energy::{Load, PhaseJoules, PoolDraw, ScopedJoules, joules};
use crate::fleet::Fleet;
use crate::power::{Busy, accelerator_watts, decode_energy_share, prefill_to_decode_energy};
use crate::response::{self, PerToken, ResponseShape};
use crate::units::{JOULES_PER_KWH, JOULES_PER_WH};

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
    let factors = h.power.unwrap_or_else(|| h.stack.power());
    let (step, decoding) = Busy::of(&operating.point);
    let ratio =
        prefill_to_decode_energy(gpu, &factors, step, decoding, operating.point.prefill_share);
    let facility_kw_at_load = (load_gpu_w * gpus + host_w) * p.pue / 1e3;
    let power = Power {
        watts_per_gpu_at_load: load_gpu_w,
        gpu_watts,
        server_watts,
        facility_watts: server_watts * p.pue,
        server_watts_at_load: load_gpu_w * gpus + host_w,
        server_watts_idle: gpu.idle_w * gpus + host_w,
        facility_kw_at_load,
        budget_share: super::carbon::budget_share(d, facility_kw_at_load),
        origin,
    };

    let replicas = f64::from(fleet.replicas);
    let pool = PoolDraw {
        gpu_load_w: load_gpu_w * gpus,
        gpu_idle_w: gpu.idle_w * gpus,
        host_w,
        decode_energy_share: decode_energy_share(operating.prefill_share, ratio),
        decode_time_share: 1.0 - operating.prefill_share,
        input_per_s: operating.input_per_replica * replicas,
        output_per_s: operating.output_per_replica * replicas,
        utilisation,
    };
    (power, energy(d, &[pool]))
}

/// The energy figures of `pools` (the fleet, or both pools of a
/// disaggregated deployment), every one from [`crate::energy`].
pub(super) fn energy(d: &Deployment, pools: &[PoolDraw]) -> Energy {
    let p = &d.pricing;
    let at_load = joules(pools, p.pue, Load::Full);
    let at_utilisation = joules(pools, p.pue, Load::Expected);
    // All of an attempt's energy, its prompt's too, on its generated
    // tokens, as tokens per joule counts it.
    let shape = response_shape(d);
    let generated = shape.generated_tokens().max(1e-300);
    let all_on_generated = |j: &PhaseJoules| {
        j.j_per_output_token + j.j_per_input_token * shape.input_tokens / generated
    };
    let tokens_per_joule = 1.0 / all_on_generated(&at_load.server);
    let prompt_share = |j: &PhaseJoules| {
        let (prompt, generating) = (
            j.j_per_input_token * shape.input_tokens,
            j.j_per_output_token * generated,
        );
        if prompt + generating > 0.0 {
            prompt / (prompt + generating)
        } else {
            0.0
        }
    };
    let sum = |f: &dyn Fn(&PoolDraw) -> f64| pools.iter().map(f).sum::<f64>();
    let facility_j_per_token_at_utilisation = all_on_generated(&at_utilisation.facility);
    let tokens_per_kwh = tokens_per_joule * JOULES_PER_KWH;
    let wh = |j: &ScopedJoules| wh_per_response(d, &j.facility);
    Energy {
        tokens_per_joule,
        tokens_per_kwh,
        energy_usd_per_token: p.usd_per_kwh * p.pue / tokens_per_kwh,
        facility_j_per_token_at_load: p.pue / tokens_per_joule,
        facility_j_per_token_at_utilisation,
        g_co2_per_m_tokens_at_utilisation: facility_j_per_token_at_utilisation * 1e6
            / JOULES_PER_KWH
            * p.grid_g_co2_per_kwh,
        prompt_energy_share_at_load: prompt_share(&at_load.gpu),
        tokens_per_s_per_facility_mw: served_per_s_at_load(pools, &shape)
            / (sum(&|q| q.gpu_load_w + q.host_w) * p.pue / 1e6),
        wh_per_response_at_load: wh(&at_load),
        wh_per_response_at_utilisation: wh(&at_utilisation),
        at_load,
        at_utilisation,
    }
}

/// Generated tokens per second `pools` can serve with every accelerator
/// busy: the requests the busiest pool keeps up with, times the tokens
/// each generates.
fn served_per_s_at_load(pools: &[PoolDraw], shape: &ResponseShape) -> f64 {
    let generated = shape.generated_tokens();
    pools
        .iter()
        .filter_map(|q| {
            if q.output_per_s > 0.0 {
                Some(q.output_per_s / generated.max(1e-300))
            } else if q.input_per_s > 0.0 && shape.input_tokens > 0.0 {
                Some(q.input_per_s / shape.input_tokens)
            } else {
                None
            }
        })
        .fold(f64::INFINITY, f64::min)
        * generated
}

/// Facility energy of one meaningful response at `joules` per token, Wh.
fn wh_per_response(d: &Deployment, joules: &PhaseJoules) -> f64 {
    let per_token = PerToken {
        generated: joules.j_per_output_token,
        input: joules.j_per_input_token,
        pre_post: 0.0,
    };
    response::terms(&response_shape(d), &per_token).total() / JOULES_PER_WH
}
