//! An accelerator's datasheet figures: what bounds compute, memory traffic,
//! capacity and communication, and its power envelope.

use serde::{Deserialize, Serialize};

use crate::input::{Bound, InputError, Range};
use crate::model::Precision;

/// Datasheet figures of one accelerator. FLOPS are *dense* (NVIDIA quotes
/// "with sparsity" figures at twice these).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceleratorSpec {
    /// High-bandwidth memory, GB (10⁹ bytes).
    pub memory_gb: f64,
    /// Memory bandwidth, TB/s.
    pub memory_bandwidth_tb_s: f64,
    /// Dense BF16 tensor throughput, TFLOPS.
    pub bf16_tflops: f64,
    /// Dense FP8 tensor throughput, TFLOPS; `None` if the part has no FP8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fp8_tflops: Option<f64>,
    /// Dense FP4 tensor throughput, TFLOPS; `None` if the part has no FP4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fp4_tflops: Option<f64>,
    /// Dense INT8 tensor throughput, TOPS; `None` if not published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub int8_tops: Option<f64>,
    /// Board power limit (TDP), W.
    pub tdp_w: f64,
    /// Power drawn idle with a model loaded, W.
    pub idle_w: f64,
    /// Per-accelerator bandwidth to its tensor-parallel peers, GB/s, one direction.
    pub interconnect_gb_s: f64,
}

/// Field ranges of an accelerator, named by JSON path under `hardware.spec`.
pub mod limits {
    use super::{Bound, Range};

    const fn positive(field: &'static str, max: f64, unit: &'static str) -> Range {
        Range {
            field,
            min: 0.0,
            bound: Bound::GreaterThan,
            max,
            unit,
            whole: false,
        }
    }

    /// Memory per accelerator.
    pub const MEMORY_GB: Range = positive("hardware.spec.memory_gb", 100_000.0, " GB");
    /// Memory bandwidth.
    pub const MEMORY_BANDWIDTH_TB_S: Range =
        positive("hardware.spec.memory_bandwidth_tb_s", 1_000.0, " TB/s");
    /// BF16 throughput.
    pub const BF16_TFLOPS: Range = positive("hardware.spec.bf16_tflops", 1_000_000.0, " TFLOPS");
    /// FP8 throughput.
    pub const FP8_TFLOPS: Range = positive("hardware.spec.fp8_tflops", 1_000_000.0, " TFLOPS");
    /// FP4 throughput.
    pub const FP4_TFLOPS: Range = positive("hardware.spec.fp4_tflops", 1_000_000.0, " TFLOPS");
    /// INT8 throughput.
    pub const INT8_TOPS: Range = positive("hardware.spec.int8_tops", 1_000_000.0, " TOPS");
    /// Power limit.
    pub const TDP_W: Range = positive("hardware.spec.tdp_w", 100_000.0, " W");
    /// Idle power.
    pub const IDLE_W: Range = Range {
        field: "hardware.spec.idle_w",
        min: 0.0,
        bound: Bound::AtLeast,
        max: 100_000.0,
        unit: " W",
        whole: false,
    };
    /// Interconnect bandwidth.
    pub const INTERCONNECT_GB_S: Range =
        positive("hardware.spec.interconnect_gb_s", 1_000_000.0, " GB/s");
}

impl AcceleratorSpec {
    /// Checks every figure.
    ///
    /// # Errors
    /// The first field out of range, or idle power above TDP.
    pub fn validate(&self) -> Result<(), InputError> {
        limits::MEMORY_GB.check(self.memory_gb)?;
        limits::MEMORY_BANDWIDTH_TB_S.check(self.memory_bandwidth_tb_s)?;
        limits::BF16_TFLOPS.check(self.bf16_tflops)?;
        if let Some(v) = self.fp8_tflops {
            limits::FP8_TFLOPS.check(v)?;
        }
        if let Some(v) = self.fp4_tflops {
            limits::FP4_TFLOPS.check(v)?;
        }
        if let Some(v) = self.int8_tops {
            limits::INT8_TOPS.check(v)?;
        }
        limits::TDP_W.check(self.tdp_w)?;
        limits::IDLE_W.check(self.idle_w)?;
        if self.idle_w > self.tdp_w {
            return Err(InputError {
                field: limits::IDLE_W.field,
                problem: crate::input::Problem::TooLarge {
                    value: self.idle_w,
                    max: self.tdp_w,
                    unit: " W (the TDP)",
                },
            });
        }
        limits::INTERCONNECT_GB_S.check(self.interconnect_gb_s)?;
        Ok(())
    }

    /// Dense tensor throughput, FLOP/s, for matrix multiplies whose weights
    /// are stored in `weights`. Low-precision weights run at the fastest
    /// format the part supports that is no narrower than they are; a part
    /// without FP8 runs FP8 and 4-bit weights at its BF16 rate (dequantised).
    pub fn peak_flops(&self, weights: Precision) -> f64 {
        let tflops = match weights {
            Precision::Bf16 => self.bf16_tflops,
            Precision::Fp8 => self.fp8_tflops.unwrap_or(self.bf16_tflops),
            Precision::Int8 => self
                .int8_tops
                .or(self.fp8_tflops)
                .unwrap_or(self.bf16_tflops),
            // Weight-only 4-bit kernels compute in 16-bit; FP4 has its own units.
            Precision::Int4 => self.bf16_tflops,
            Precision::Fp4 => self
                .fp4_tflops
                .or(self.fp8_tflops)
                .unwrap_or(self.bf16_tflops),
        };
        tflops * 1e12
    }

    /// Memory bandwidth, bytes/s.
    pub fn memory_bandwidth_bytes_s(&self) -> f64 {
        self.memory_bandwidth_tb_s * 1e12
    }

    /// Memory, bytes.
    pub fn memory_bytes(&self) -> f64 {
        self.memory_gb * 1e9
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::fixtures;

    fn h100() -> AcceleratorSpec {
        fixtures::accelerator("h100-sxm-80gb")
    }

    #[test]
    fn fp8_weights_run_at_the_fp8_rate_where_the_part_has_one() {
        assert_eq!(h100().peak_flops(Precision::Fp8), 1978.9e12);
        let a100 = AcceleratorSpec {
            fp8_tflops: None,
            int8_tops: Some(624.0),
            bf16_tflops: 312.0,
            ..h100()
        };
        assert_eq!(a100.peak_flops(Precision::Fp8), 312e12);
        assert_eq!(h100().peak_flops(Precision::Fp4), 1978.9e12);
    }

    #[test]
    fn idle_above_tdp_is_refused() {
        let bad = AcceleratorSpec {
            idle_w: 800.0,
            ..h100()
        };
        assert_eq!(bad.validate().unwrap_err().field, "hardware.spec.idle_w");
        assert!(h100().validate().is_ok());
    }
}
