//! The performance model's own error, as published measurements show it:
//! for each serving stack and class of model (dense or mixture of experts,
//! weight width), the spread of predicted over measured speed, prefill
//! time and power on the rows of the server's validation table that no
//! built-in factor was fitted to. A server test keeps this copy equal to
//! what the table gives; a case the table covers well gets its own,
//! narrower spread, and one it barely covers falls back to a wider group.

use crate::model::Precision;
use crate::stack::Stack;

/// Fewest rows a group needs to have a spread of its own.
pub const MIN_ROWS: u32 = 12;

/// What the model predicts, as an error is measured on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// How fast it generates: throughput, or the inverse of time per token.
    Speed,
    /// How fast it prefills: the inverse of the time to first token at batch 1.
    Prefill,
    /// Accelerator power.
    Power,
}

impl Quantity {
    /// Every quantity.
    pub const ALL: [Quantity; 3] = [Quantity::Speed, Quantity::Prefill, Quantity::Power];

    /// Its name in the table's summary.
    pub fn name(self) -> &'static str {
        match self {
            Quantity::Speed => "speed",
            Quantity::Prefill => "prefill",
            Quantity::Power => "power",
        }
    }
}

/// The group a spread describes: a stack, a class of model and a weight
/// width, each or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    /// The serving stack, or every stack.
    pub stack: Option<Stack>,
    /// Mixture of experts (`true`) or dense, or both.
    pub moe: Option<bool>,
    /// Bits per weight (16, 8 or 4), or every width.
    pub bits: Option<u8>,
}

impl Group {
    /// The groups a case falls in, the most specific first.
    pub fn of(stack: Stack, moe: bool, weights: Precision) -> [Group; 4] {
        let bits = bits(weights);
        [
            Group {
                stack: Some(stack),
                moe: Some(moe),
                bits: Some(bits),
            },
            Group {
                stack: Some(stack),
                moe: Some(moe),
                bits: None,
            },
            Group {
                stack: Some(stack),
                moe: None,
                bits: None,
            },
            Group {
                stack: None,
                moe: None,
                bits: None,
            },
        ]
    }

    /// What people read: "vLLM, mixture of experts, 8-bit weights".
    pub fn describe(&self) -> String {
        let mut parts = vec![self.stack.map_or("every stack", Stack::label).to_owned()];
        if let Some(moe) = self.moe {
            parts.push(if moe { "mixture of experts" } else { "dense" }.to_owned());
        }
        if let Some(bits) = self.bits {
            parts.push(format!("{bits}-bit weights"));
        }
        parts.join(", ")
    }
}

/// Bits per weight of `p`, as the groups count them.
pub fn bits(p: Precision) -> u8 {
    (p.bytes() * 8.0).round() as u8
}

/// The spread of predicted over measured for one group and quantity:
/// above 1 the model is high (too fast, or too much power).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorSpread {
    /// The group.
    pub group: Group,
    /// The quantity.
    pub quantity: Quantity,
    /// Rows behind it.
    pub rows: u32,
    /// Whether they include rows the built-in factors were fitted to (for
    /// a quantity too few rows measure out of sample): the spread then
    /// understates the error.
    pub fitted: bool,
    /// 10th percentile of predicted ÷ measured.
    pub p10: f64,
    /// Median of predicted ÷ measured.
    pub p50: f64,
    /// 90th percentile of predicted ÷ measured.
    pub p90: f64,
}

/// The spread for a case: its most specific group with enough rows.
pub fn spread_for(
    stack: Stack,
    moe: bool,
    weights: Precision,
    quantity: Quantity,
) -> Option<&'static ErrorSpread> {
    Group::of(stack, moe, weights)
        .into_iter()
        .find_map(|group| {
            MODEL_ERROR
                .iter()
                .find(|s| s.group == group && s.quantity == quantity)
        })
}

const fn spread(
    stack: Option<Stack>,
    moe: Option<bool>,
    bits: Option<u8>,
    quantity: Quantity,
    rows: u32,
    fitted: bool,
    [p10, p50, p90]: [f64; 3],
) -> ErrorSpread {
    ErrorSpread {
        group: Group { stack, moe, bits },
        quantity,
        rows,
        fitted,
        p10,
        p50,
        p90,
    }
}

/// Every group of the validation table with at least [`MIN_ROWS`]
/// out-of-sample rows of a quantity.
pub static MODEL_ERROR: &[ErrorSpread] = &[
    spread(
        None,
        None,
        None,
        Quantity::Speed,
        146,
        false,
        [0.941, 1.221, 1.778],
    ),
    spread(
        None,
        None,
        None,
        Quantity::Prefill,
        40,
        true,
        [0.827, 1.020, 1.262],
    ),
    spread(
        None,
        None,
        None,
        Quantity::Power,
        30,
        false,
        [0.720, 0.787, 1.256],
    ),
    spread(
        Some(Stack::Sglang),
        None,
        None,
        Quantity::Speed,
        75,
        false,
        [0.973, 1.222, 1.891],
    ),
    spread(
        Some(Stack::Sglang),
        None,
        None,
        Quantity::Power,
        30,
        false,
        [0.720, 0.787, 1.256],
    ),
    spread(
        Some(Stack::Sglang),
        Some(false),
        None,
        Quantity::Speed,
        36,
        false,
        [1.016, 1.476, 2.524],
    ),
    spread(
        Some(Stack::Sglang),
        Some(false),
        Some(16),
        Quantity::Speed,
        36,
        false,
        [1.016, 1.476, 2.524],
    ),
    spread(
        Some(Stack::Sglang),
        Some(true),
        None,
        Quantity::Speed,
        39,
        false,
        [0.896, 1.027, 1.471],
    ),
    spread(
        Some(Stack::Sglang),
        Some(true),
        None,
        Quantity::Power,
        30,
        false,
        [0.720, 0.787, 1.256],
    ),
    spread(
        Some(Stack::Sglang),
        Some(true),
        Some(8),
        Quantity::Speed,
        32,
        false,
        [0.854, 1.045, 1.473],
    ),
    spread(
        Some(Stack::Sglang),
        Some(true),
        Some(8),
        Quantity::Power,
        23,
        false,
        [0.728, 0.788, 1.272],
    ),
    spread(
        Some(Stack::Vllm),
        None,
        None,
        Quantity::Speed,
        63,
        false,
        [0.915, 1.132, 1.729],
    ),
    spread(
        Some(Stack::Vllm),
        Some(false),
        None,
        Quantity::Speed,
        54,
        false,
        [0.949, 1.149, 1.740],
    ),
    spread(
        Some(Stack::Vllm),
        Some(false),
        Some(8),
        Quantity::Speed,
        15,
        false,
        [0.922, 0.965, 1.014],
    ),
    spread(
        Some(Stack::Vllm),
        Some(false),
        Some(16),
        Quantity::Speed,
        36,
        false,
        [1.021, 1.342, 1.985],
    ),
];
