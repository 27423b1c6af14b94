//! The support-chat deployment the deployment tests start from, with or without measured rates.
// Each test file uses its own share of these.
#![allow(dead_code)]

use tokenfab_core::deployment::{Deployment, MeasuredInput, PowerScope};

pub fn support_chat() -> Deployment {
    serde_json::from_str(include_str!(
        "../../../tests/scenarios/llama-70b-support-chat.json"
    ))
    .expect("the scenario file is valid")
}

/// Prompt tokens per second prefill gets through, whole deployment, and
/// optionally the generated tokens per second, measured on `replicas` replicas.
pub fn measured_rates(prefill: f64, output: Option<f64>, replicas: u32) -> Deployment {
    let mut d = support_chat();
    d.hardware.replicas = Some(replicas);
    d.measured = Some(MeasuredInput {
        output_tokens_per_s: output,
        input_tokens_per_s: Some(prefill),
        watts: None,
        scope: PowerScope::Gpu,
    });
    d
}
