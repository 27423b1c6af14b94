//! Serving-stack presets: how close vLLM, SGLang and TensorRT-LLM get to
//! the hardware's peaks, and how hard they drive its power. Each factor can
//! be overridden in a scenario.
//!
//! The defaults are calibrated against published measurements (TensorRT-LLM
//! performance tables, the ML.ENERGY leaderboard); `tokenfab accuracy`
//! reports how well they reproduce them.

use serde::{Deserialize, Serialize};

use crate::perf::Efficiency;
use crate::power::PowerFactors;

/// A serving stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            Stack::Vllm => "vLLM",
            Stack::Sglang => "SGLang",
            Stack::TensorrtLlm => "TensorRT-LLM",
        }
    }

    /// Calibrated efficiency factors.
    pub fn efficiency(self) -> Efficiency {
        let base = Efficiency {
            memory_bandwidth: 0.75,
            prefill_compute: 0.55,
            decode_compute: 0.45,
            interconnect: 0.7,
            allreduce_latency_us: 12.0,
            step_overhead_ms: 2.0,
            memory_utilisation: 0.9,
            activation_reserve_gb: 2.0,
            max_batch: 256,
        };
        match self {
            Stack::Vllm => base,
            Stack::Sglang => Efficiency {
                step_overhead_ms: 1.5,
                ..base
            },
            Stack::TensorrtLlm => Efficiency {
                memory_bandwidth: 0.8,
                prefill_compute: 0.6,
                decode_compute: 0.5,
                allreduce_latency_us: 8.0,
                step_overhead_ms: 0.8,
                memory_utilisation: 0.95,
                max_batch: 2048,
                ..base
            },
        }
    }

    /// Calibrated power factors.
    pub fn power(self) -> PowerFactors {
        PowerFactors::default()
    }
}
