//! Serving-stack presets: how close vLLM, SGLang and TensorRT-LLM get to
//! the hardware's peaks, and how hard they drive its power. Each factor can
//! be overridden in a scenario.
//!
//! The defaults are calibrated against published measurements (TensorRT-LLM
//! performance tables, the ML.ENERGY leaderboard); `tokenfab accuracy`
//! reports how well they reproduce them.

use serde::{Deserialize, Serialize};

use crate::catalogue::Vendor;
use crate::perf::Efficiency;
use crate::power::PowerFactors;

/// The share of their CUDA builds' achieved bandwidth and compute that the
/// ROCm builds of vLLM and SGLang reach on AMD Instinct parts. Fitted, with
/// the CUDA factors held, to the throughput AMD, Oracle, Vultr and llm-d
/// published for MI300X, MI325X and MI355X (the `calibrate` example's
/// second stage, which also reports it left out one source at a time).
pub const ROCM_ACHIEVED_SHARE: f64 = 0.45;

/// A serving stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Stack {
    /// vLLM (PagedAttention, continuous batching).
    Vllm,
    /// SGLang (RadixAttention, continuous batching).
    Sglang,
    /// NVIDIA TensorRT-LLM (compiled engines, in-flight batching).
    TensorrtLlm,
}

impl Stack {
    /// Every stack, for pickers.
    pub const ALL: [Stack; 3] = [Stack::Vllm, Stack::Sglang, Stack::TensorrtLlm];

    /// Its id in scenarios and tables, as serialised.
    pub fn id(self) -> &'static str {
        match self {
            Stack::Vllm => "vllm",
            Stack::Sglang => "sglang",
            Stack::TensorrtLlm => "tensorrt-llm",
        }
    }

    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            Stack::Vllm => "vLLM",
            Stack::Sglang => "SGLang",
            Stack::TensorrtLlm => "TensorRT-LLM",
        }
    }

    /// The efficiency on an accelerator of `vendor` (`None`: figures typed
    /// in, taken as a CUDA platform): AMD parts run the ROCm builds, which
    /// reach [`ROCM_ACHIEVED_SHARE`] of the CUDA builds' shares of peak.
    pub fn efficiency_on(self, vendor: Option<Vendor>) -> Efficiency {
        match vendor {
            Some(Vendor::Amd) => self.efficiency().at_achieved_share(ROCM_ACHIEVED_SHARE),
            _ => self.efficiency(),
        }
    }

    /// Calibrated efficiency factors: fitted by
    /// `cargo run --release -p server --example calibrate` to the published
    /// vLLM (ML.ENERGY leaderboard v3) and TensorRT-LLM (v0.9 and v1.0
    /// performance tables) measurements, rounded to two digits. SGLang has
    /// no measurements in that table and shares vLLM's factors.
    pub fn efficiency(self) -> Efficiency {
        let vllm = Efficiency {
            memory_bandwidth: 0.76,
            kv_bandwidth: 0.49,
            prefill_compute: 0.8,
            decode_compute: 0.56,
            interconnect: 0.7,
            allreduce_latency_us: 23.0,
            step_overhead_ms: 0.62,
            layer_overhead_us: 5.7,
            token_overhead_us: 13.0,
            moe_layer_overhead_us: 7.4,
            expert_exchange_latency_us: 62.0,
            memory_utilisation: 0.9,
            activation_reserve_gb: 1.3,
            max_batch: 256,
        };
        match self {
            Stack::Vllm | Stack::Sglang => vllm,
            Stack::TensorrtLlm => Efficiency {
                memory_bandwidth: 0.72,
                kv_bandwidth: 0.92,
                prefill_compute: 0.58,
                decode_compute: 0.55,
                allreduce_latency_us: 31.0,
                step_overhead_ms: 2.4,
                layer_overhead_us: 34.0,
                token_overhead_us: 2.1,
                moe_layer_overhead_us: 46.0,
                // Fitted before exchanges were charged only to spread
                // experts; no measurement spreads them with TensorRT-LLM,
                // so nothing constrains it now.
                expert_exchange_latency_us: 11.0,
                activation_reserve_gb: 7.8,
                memory_utilisation: 0.95,
                max_batch: 2048,
                ..vllm
            },
        }
    }

    /// Power factors, the same for every stack. The compute weight is
    /// anchored, not fitted: a board whose tensor cores are busy the whole
    /// step runs at its power limit, as dense matrix multiplies do. The
    /// published power measurements (ML.ENERGY, vLLM on H100) are of
    /// decode-heavy runs and barely constrain it (fitted freely it lands
    /// at 0.95). The memory weight is fitted to them with that anchor and
    /// the efficiency factors held, by
    /// `cargo run --release -p server --example power_weights`.
    pub fn power(self) -> PowerFactors {
        PowerFactors {
            compute_weight: 1.0,
            memory_weight: 0.8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_names_scenarios_use() {
        for stack in Stack::ALL {
            let json = serde_json::to_value(stack).expect("serialises");
            assert_eq!(json, stack.id(), "{stack:?}");
        }
    }

    #[test]
    fn rocm_builds_reach_a_smaller_share_of_an_amd_parts_peaks() {
        let cuda = Stack::Vllm.efficiency_on(Some(Vendor::Nvidia));
        let rocm = Stack::Vllm.efficiency_on(Some(Vendor::Amd));
        assert_eq!(cuda, Stack::Vllm.efficiency());
        assert_eq!(Stack::Vllm.efficiency_on(None), cuda);
        assert!(
            (rocm.memory_bandwidth / cuda.memory_bandwidth - ROCM_ACHIEVED_SHARE).abs() < 1e-12
        );
        assert!((rocm.decode_compute / cuda.decode_compute - ROCM_ACHIEVED_SHARE).abs() < 1e-12);
        // Fixed costs are the stack's own, whatever the platform.
        assert_eq!(rocm.step_overhead_ms, cuda.step_overhead_ms);
    }

    #[test]
    fn a_deployment_on_an_amd_part_is_planned_with_the_rocm_share() {
        let mut d = crate::deployment::Deployment::example();
        d.hardware.choice = crate::deployment::Choice::Catalogue("mi300x".to_owned());
        let resolved = d.resolve().expect("resolves");
        assert_eq!(
            resolved.efficiency,
            d.hardware.stack.efficiency_on(Some(Vendor::Amd))
        );
    }
}
