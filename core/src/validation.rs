//! How well the performance model is validated for an accelerator and a
//! serving stack: the server's validation table of published measurements
//! summarised, so the planner can say beside its figures how far to trust
//! them without asking the server. A server test keeps this copy equal to
//! what the table gives.

use crate::stack::Stack;

/// Published measurements of one accelerator with one stack.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coverage {
    /// Catalogue accelerator id.
    pub accelerator: &'static str,
    /// Serving stack.
    pub stack: Stack,
    /// Measurements predicted (every metric).
    pub rows: u32,
    /// The model's median absolute error over them, percent, rounded to
    /// one decimal.
    pub median_abs_error_pct: f64,
}

/// Every accelerator and stack the validation table measures.
pub static COVERAGE: &[Coverage] = &[
    covered("a100-sxm-80gb", Stack::TensorrtLlm, 30, 17.2),
    covered("h100-sxm-80gb", Stack::TensorrtLlm, 82, 9.4),
    covered("h100-sxm-80gb", Stack::Vllm, 284, 15.2),
    covered("h200-sxm-141gb", Stack::TensorrtLlm, 90, 7.3),
    covered("l40s-48gb", Stack::TensorrtLlm, 30, 6.1),
];

const fn covered(
    accelerator: &'static str,
    stack: Stack,
    rows: u32,
    median_abs_error_pct: f64,
) -> Coverage {
    Coverage {
        accelerator,
        stack,
        rows,
        median_abs_error_pct,
    }
}

/// What the validation table says of `accelerator` (a catalogue id, or
/// `None` for figures typed in) served by `stack`.
pub fn note(accelerator: Option<&str>, stack: Stack) -> String {
    let Some(id) = accelerator else {
        return "Custom accelerator: unvalidated, no published measurement to check it against."
            .to_owned();
    };
    let on_part: Vec<&Coverage> = COVERAGE.iter().filter(|c| c.accelerator == id).collect();
    if let Some(c) = on_part.iter().find(|c| c.stack == stack) {
        return format!(
            "Validated: median error {:.1} % on {} published measurements of this accelerator with {} (fitted to them).",
            c.median_abs_error_pct,
            c.rows,
            stack.label()
        );
    }
    match on_part.first() {
        Some(other) => format!(
            "No published measurement with {}: unvalidated for this stack ({} on this accelerator: median error {:.1} % on {}).",
            stack.label(),
            other.stack.label(),
            other.median_abs_error_pct,
            other.rows
        ),
        None => "No published measurement of this accelerator: unvalidated; its figures follow from the datasheet and factors fitted on other parts.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measured_pair_gives_its_error_and_count() {
        let text = note(Some("h100-sxm-80gb"), Stack::Vllm);
        assert!(text.contains("15.2 %") && text.contains("284"), "{text}");
    }

    #[test]
    fn a_part_measured_with_another_stack_says_so() {
        let text = note(Some("h200-sxm-141gb"), Stack::Sglang);
        assert!(
            text.starts_with("No published measurement with SGLang"),
            "{text}"
        );
        assert!(text.contains("TensorRT-LLM"), "{text}");
    }

    #[test]
    fn an_unmeasured_part_is_unvalidated() {
        assert!(note(Some("mi355x"), Stack::Vllm).contains("unvalidated"));
        assert!(note(None, Stack::Vllm).contains("unvalidated"));
    }

    #[test]
    fn every_covered_part_is_in_the_catalogue() {
        for c in COVERAGE {
            assert!(
                crate::catalogue::accelerator(c.accelerator).is_some(),
                "{c:?}"
            );
        }
    }
}
