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
    /// How many of them the built-in factors were fitted to; the others
    /// are out of sample.
    pub fitted_rows: u32,
    /// The model's median absolute error over them, percent, rounded to
    /// one decimal.
    pub median_abs_error_pct: f64,
}

/// Every accelerator and stack the validation table measures.
pub static COVERAGE: &[Coverage] = &[
    covered("a100-sxm-80gb", Stack::Sglang, 18, 0, 32.6),
    covered("a100-sxm-80gb", Stack::TensorrtLlm, 30, 30, 17.3),
    covered("a100-sxm-80gb", Stack::Vllm, 18, 0, 25.3),
    covered("b200-sxm-180gb", Stack::Sglang, 75, 0, 21.9),
    covered("b200-sxm-180gb", Stack::Vllm, 22, 0, 41.6),
    covered("b300-sxm-270gb", Stack::Sglang, 6, 0, 60.8),
    covered("h100-sxm-80gb", Stack::Sglang, 18, 0, 35.0),
    covered("h100-sxm-80gb", Stack::TensorrtLlm, 90, 82, 12.0),
    covered("h100-sxm-80gb", Stack::Vllm, 318, 284, 15.4),
    covered("h200-sxm-141gb", Stack::Sglang, 6, 0, 52.6),
    covered("h200-sxm-141gb", Stack::TensorrtLlm, 90, 90, 7.0),
    covered("h200-sxm-141gb", Stack::Vllm, 16, 0, 35.5),
    covered("l40s-48gb", Stack::TensorrtLlm, 30, 30, 6.1),
    covered("mi300x", Stack::Vllm, 59, 59, 15.0),
    covered("mi325x", Stack::Vllm, 3, 3, 18.4),
    covered("mi355x", Stack::Sglang, 21, 0, 25.4),
    covered("mi355x", Stack::Vllm, 18, 12, 83.3),
];

const fn covered(
    accelerator: &'static str,
    stack: Stack,
    rows: u32,
    fitted_rows: u32,
    median_abs_error_pct: f64,
) -> Coverage {
    Coverage {
        accelerator,
        stack,
        rows,
        fitted_rows,
        median_abs_error_pct,
    }
}

impl Coverage {
    /// Which of the measurements the factors saw, in words.
    fn fitted(&self) -> String {
        match self.fitted_rows {
            0 => "none used in fitting".to_owned(),
            n if n == self.rows => "the factors were fitted to them".to_owned(),
            n => format!("{n} used in fitting"),
        }
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
            "Checked against {} published measurements of this accelerator with {} ({}): median error {:.1} %.",
            c.rows,
            stack.label(),
            c.fitted(),
            c.median_abs_error_pct
        );
    }
    // The best-measured stack on this part says most.
    match on_part.iter().max_by_key(|c| c.rows) {
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
        let h100 = COVERAGE
            .iter()
            .find(|c| c.accelerator == "h100-sxm-80gb" && c.stack == Stack::Vllm)
            .unwrap();
        let text = note(Some("h100-sxm-80gb"), Stack::Vllm);
        let error = format!("{:.1} %", h100.median_abs_error_pct);
        assert!(text.contains(&error), "{text}");
        assert!(
            text.contains(&format!("against {} published", h100.rows)),
            "{text}"
        );
        let fitted = format!("{} used in fitting", h100.fitted_rows);
        assert!(text.contains(&fitted), "{text}");
        let text = note(Some("b200-sxm-180gb"), Stack::Vllm);
        assert!(text.contains("none used in fitting"), "{text}");
    }

    #[test]
    fn a_part_measured_with_other_stacks_cites_the_best_measured() {
        let text = note(Some("b200-sxm-180gb"), Stack::TensorrtLlm);
        assert!(text.contains("SGLang on this accelerator"), "{text}");
    }

    #[test]
    fn a_part_measured_with_another_stack_says_so() {
        let text = note(Some("l40s-48gb"), Stack::Sglang);
        assert!(
            text.starts_with("No published measurement with SGLang"),
            "{text}"
        );
        assert!(text.contains("TensorRT-LLM"), "{text}");
    }

    #[test]
    fn an_unmeasured_part_is_unvalidated() {
        assert!(note(Some("gaudi-3"), Stack::Vllm).contains("unvalidated"));
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
