//! Power: what the accelerators draw while serving, and what the servers
//! and the facility add on top. Board power rises from idle towards TDP
//! with how busy the tensor cores and the memory system are.

use serde::{Deserialize, Serialize};

use crate::accelerator::AcceleratorSpec;

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

    #[test]
    fn busier_tensor_cores_draw_more() {
        let f = PowerFactors::default();
        assert!(accelerator_watts(&gpu(), &f, 0.9, 0.2) > accelerator_watts(&gpu(), &f, 0.3, 0.2));
    }
}
