//! Power: what the accelerators draw while serving, and what the servers
//! and the facility add on top. Board power rises from idle towards TDP
//! with how busy the tensor cores and the memory system are.

use serde::{Deserialize, Serialize};

use crate::accelerator::AcceleratorSpec;
use crate::perf::OperatingPoint;

/// How board power follows activity (calibrated; see [`crate::stack`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PowerFactors {
    /// Share of the idle-to-TDP range drawn when the tensor cores are busy the whole step.
    pub compute_weight: f64,
    /// Share of the idle-to-TDP range drawn when memory streams the whole step.
    pub memory_weight: f64,
}

impl Default for PowerFactors {
    fn default() -> Self {
        PowerFactors {
            compute_weight: 0.9,
            memory_weight: 0.6,
        }
    }
}

/// Board power of one accelerator, W, given the shares of time its tensor
/// cores and its memory are busy (each 0 to 1).
pub fn accelerator_watts(
    gpu: &AcceleratorSpec,
    factors: &PowerFactors,
    compute_busy: f64,
    memory_busy: f64,
) -> f64 {
    // Tensor cores and memory draw power independently: their shares add.
    let activity = (factors.compute_weight * compute_busy.clamp(0.0, 1.0)
        + factors.memory_weight * memory_busy.clamp(0.0, 1.0))
    .clamp(0.0, 1.0);
    gpu.idle_w + (gpu.tdp_w - gpu.idle_w) * activity
}

/// How busy an accelerator's tensor cores and memory are over a step,
/// each a share of its time, 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Busy {
    /// Tensor cores.
    pub compute: f64,
    /// Memory system.
    pub memory: f64,
}

impl Busy {
    /// The whole step of `point`, and the same step without its prompt work.
    pub fn of(point: &OperatingPoint) -> (Busy, Busy) {
        (
            Busy {
                compute: point.compute_busy,
                memory: point.memory_busy,
            },
            Busy {
                compute: point.compute_busy_decoding,
                memory: point.memory_busy_decoding,
            },
        )
    }
}

/// The energy a second of prompt work adds to a step, over what a second
/// of decoding alone draws: with the share of time spent prefilling, this
/// splits any average power (modelled or measured) between the phases
/// ([`decode_energy_share`]). `step` is the whole step's activity,
/// `decoding` the step's without its prompt work, `prefill_share` the
/// share of the step's time the prompt work adds. An energy ratio, not a
/// draw: prompt work added to a memory-bound step overlaps with it, so the
/// energy it adds per second it adds can exceed what a board draws at its
/// limit. 1 when the step has no prompt work.
pub fn prefill_to_decode_energy(
    gpu: &AcceleratorSpec,
    factors: &PowerFactors,
    step: Busy,
    decoding: Busy,
    prefill_share: f64,
) -> f64 {
    let step_w = accelerator_watts(gpu, factors, step.compute, step.memory);
    let decoding_w = accelerator_watts(gpu, factors, decoding.compute, decoding.memory);
    let s = prefill_share.clamp(0.0, 1.0);
    if s <= 0.0 || decoding_w <= 0.0 {
        return 1.0;
    }
    // step = s × prefilling + (1 − s) × decoding, on the same time base;
    // the added time draws at least what an idle board does.
    let prefilling = ((step_w - (1.0 - s) * decoding_w) / s).max(gpu.idle_w);
    prefilling / decoding_w
}

/// Share of a replica's energy that generating tokens takes, when
/// `prefill_share` of its time goes to prompts at `ratio` times the
/// energy per second of decoding ([`prefill_to_decode_energy`]).
pub fn decode_energy_share(prefill_share: f64, ratio: f64) -> f64 {
    let s = prefill_share.clamp(0.0, 1.0);
    let decoding = 1.0 - s;
    let total = s * ratio.max(0.0) + decoding;
    if total <= 0.0 { 1.0 } else { decoding / total }
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

/// The servers accelerators sit in, and the facility around them: what
/// turns accelerator power into server and facility power and back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Servers {
    /// Accelerators per server.
    pub gpus_per_node: u32,
    /// Power of a server's CPUs, memory, fans and network, W.
    pub host_watts_per_node: f64,
    /// Facility power over IT power.
    pub pue: f64,
}

impl Servers {
    /// Host power of the servers `gpus` accelerators occupy, W. Hosts are
    /// charged by whole servers: a server draws its host power whatever
    /// share of its slots is in use, and a meter on it reads all of it.
    pub fn host_watts(&self, gpus: f64) -> f64 {
        (gpus / f64::from(self.gpus_per_node)).ceil() * self.host_watts_per_node
    }

    /// What one of `gpus` accelerators draws, W, when together they were
    /// measured at `watts` at `scope`: the facility's overhead and the
    /// hosts of the servers they occupy taken off.
    pub fn watts_per_gpu(&self, watts: f64, scope: PowerScope, gpus: f64) -> f64 {
        let server_w = match scope {
            PowerScope::Gpu => return watts / gpus,
            PowerScope::Server => watts,
            PowerScope::Facility => watts / self.pue,
        };
        (server_w - self.host_watts(gpus)).max(0.0) / gpus
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::fixtures;

    /// 700 W TDP, 70 W idle.
    fn gpu() -> AcceleratorSpec {
        fixtures::accelerator("h100-sxm-80gb")
    }

    #[test]
    fn an_idle_accelerator_draws_its_idle_power() {
        assert_eq!(
            accelerator_watts(&gpu(), &PowerFactors::default(), 0.0, 0.0),
            70.0
        );
    }

    #[test]
    fn power_never_exceeds_tdp() {
        let all_out = PowerFactors {
            compute_weight: 5.0,
            memory_weight: 5.0,
        };
        assert_eq!(accelerator_watts(&gpu(), &all_out, 1.0, 1.0), 700.0);
    }

    fn servers() -> Servers {
        Servers {
            gpus_per_node: 8,
            host_watts_per_node: 1_500.0,
            pue: 1.5,
        }
    }

    #[test]
    fn one_accelerator_measured_at_its_server_carries_the_whole_host() {
        // 1 GPU at 600 W in an 8-GPU server whose host draws 1,500 W.
        let s = servers();
        assert_eq!(s.watts_per_gpu(2_100.0, PowerScope::Server, 1.0), 600.0);
        assert_eq!(s.watts_per_gpu(3_150.0, PowerScope::Facility, 1.0), 600.0);
        assert_eq!(s.watts_per_gpu(600.0, PowerScope::Gpu, 1.0), 600.0);
    }

    #[test]
    fn nine_accelerators_occupy_two_servers() {
        let s = servers();
        assert_eq!(s.host_watts(9.0), 3_000.0);
        assert_eq!(
            s.watts_per_gpu(9.0 * 500.0 + 3_000.0, PowerScope::Server, 9.0),
            500.0
        );
    }

    #[test]
    fn decoding_keeps_the_energy_the_board_draws_decoding_and_prompts_the_rest() {
        // 70 W idle, 700 W limit; weights 0.9 compute, 0.6 memory. The
        // whole step: 630 × (0.45 + 0.42) + 70 = 618.1 W; decoding alone:
        // 630 × (0.18 + 0.54) + 70 = 523.6 W; a quarter of the time is
        // the prompts'.
        let f = PowerFactors::default();
        let step = Busy {
            compute: 0.5,
            memory: 0.7,
        };
        let decoding = Busy {
            compute: 0.2,
            memory: 0.9,
        };
        let ratio = prefill_to_decode_energy(&gpu(), &f, step, decoding, 0.25);
        // (618.1 − 0.75 × 523.6) / 0.25 = 901.6 W a second of prompt work.
        assert!((ratio - 901.6 / 523.6).abs() < 1e-9, "{ratio}");
        // Decoding's energy is the board decoding for decoding's time.
        let e = decode_energy_share(0.25, ratio);
        assert!((e * 618.1 - 523.6 * 0.75).abs() < 1e-9);
        // No prompt work: nothing to split.
        assert_eq!(
            prefill_to_decode_energy(&gpu(), &f, step, decoding, 0.0),
            1.0
        );
    }

    #[test]
    fn the_phases_split_the_energy_as_their_power_and_time() {
        // A quarter of the time prefilling at twice the power: 2/5 of the
        // energy is the prompts', 3/5 the generated tokens'.
        assert!((decode_energy_share(0.25, 2.0) - 0.6).abs() < 1e-12);
        // The same power either way: the split is the time's.
        assert!((decode_energy_share(0.25, 1.0) - 0.75).abs() < 1e-12);
        assert_eq!(decode_energy_share(0.0, 3.0), 1.0);
    }

    #[test]
    fn busier_tensor_cores_draw_more() {
        let f = PowerFactors::default();
        assert!(accelerator_watts(&gpu(), &f, 0.9, 0.2) > accelerator_watts(&gpu(), &f, 0.3, 0.2));
    }
}
