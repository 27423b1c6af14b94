//! Comparing reported figures with numbers worked out by hand.

use serde_json::Value;

/// Mismatches between reported and hand-derived figures, gathered so one
/// run names every figure that is off, not only the first.
#[derive(Default)]
pub struct Audit {
    mismatches: Vec<String>,
}

impl Audit {
    /// Checks the number at JSON `pointer` in `answer` against `expected`
    /// within `relative` (or exactly, for 0).
    pub fn figure(&mut self, answer: &Value, pointer: &str, expected: f64, relative: f64) {
        match answer.pointer(pointer).and_then(Value::as_f64) {
            Some(actual) if within(actual, expected, relative) => {}
            Some(actual) => self.mismatches.push(format!(
                "{pointer}: reported {actual}, worked out {expected} (off by {:.3} %)",
                (actual / expected - 1.0) * 100.0
            )),
            None => self.mismatches.push(format!(
                "{pointer}: not reported (worked out {expected}); got {:?}",
                answer.pointer(pointer)
            )),
        }
    }

    /// Checks the value at JSON `pointer` in `answer` is exactly `expected`.
    pub fn exactly(&mut self, answer: &Value, pointer: &str, expected: &Value) {
        let actual = answer.pointer(pointer);
        if actual != Some(expected) {
            self.mismatches.push(format!(
                "{pointer}: reported {actual:?}, expected {expected}"
            ));
        }
    }

    /// Records a mismatch of a figure read some other way.
    pub fn compare(&mut self, what: &str, actual: f64, expected: f64, relative: f64) {
        if !within(actual, expected, relative) {
            self.mismatches
                .push(format!("{what}: reported {actual}, worked out {expected}"));
        }
    }

    /// Panics listing every mismatch, if any.
    pub fn finish(self, what: &str) {
        assert!(
            self.mismatches.is_empty(),
            "{what}: {} figure(s) differ from the hand-derived ones:\n{}",
            self.mismatches.len(),
            self.mismatches.join("\n")
        );
    }
}

/// Whether `actual` is `expected` within `relative` (exactly, for 0).
pub fn within(actual: f64, expected: f64, relative: f64) -> bool {
    if expected == 0.0 {
        actual == 0.0
    } else {
        ((actual - expected) / expected).abs() <= relative
    }
}

/// Checks a deployment report's cost per meaningful response by the
/// article's formula, `E_t · AA · C_t + I · AA · C_i + P_t · C_p`, from the
/// deployment's own use case and the report's per-token prices: the terms
/// are worked out here, not read back.
pub fn assert_cost_per_response_follows_the_formula(deployment: &Value, report: &Value) {
    let u = &deployment["use_case"];
    let n = |v: &Value| v.as_f64().unwrap();
    let attempts = n(&u["attempts_per_response"]);
    let generated = (n(&u["output_tokens"]) + n(&u["reasoning_tokens"])) * attempts;
    let prompt = n(&u["input_tokens"]) * attempts;
    let costs = &report["costs"]["at_utilisation"];
    let terms = [
        ("generated", generated * n(&costs["usd_per_m_output"]) / 1e6),
        ("input", prompt * n(&costs["usd_per_m_input"]) / 1e6),
        (
            "pre_post",
            n(&u["pre_post_tokens"]) * n(&u["usd_per_m_pre_post_tokens"]) / 1e6,
        ),
    ];
    let mut audit = Audit::default();
    for (term, usd) in terms {
        audit.figure(report, &format!("/per_response/cost_usd/{term}"), usd, 1e-9);
    }
    let total: f64 = terms.iter().map(|(_, usd)| usd).sum();
    audit.figure(report, "/per_response/cost_per_response_usd", total, 1e-9);
    audit.finish("cost per meaningful response");
}
