//! Why a deployment cannot be evaluated, each reason naming the field at
//! fault by its JSON path.

use super::fields;
use crate::catalogue;
use crate::input::InputError;

/// Why a deployment cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DeploymentError {
    /// The text is not JSON of a deployment's shape.
    #[error("{}", if .field.is_empty() { .message.clone() } else { format!("{}: {}", .field, .message) })]
    Json {
        /// JSON path of the offending field (empty at the top level).
        field: String,
        /// What the parser found wrong, with line and column.
        message: String,
    },
    /// A field is out of range.
    #[error(transparent)]
    Invalid(#[from] InputError),
    /// No use-case preset has this id.
    #[error(
        "use_case.preset: no use-case preset {id:?}; the presets are {}",
        preset_ids()
    )]
    UnknownPreset {
        /// The id given.
        id: String,
    },
    /// A field is neither given nor filled by a preset.
    #[error("{field}: missing; {hint}")]
    Missing {
        /// JSON path.
        field: &'static str,
        /// How to supply it.
        hint: &'static str,
    },
    /// The measured prefill rate leaves no time for decode at the measured output rate.
    #[error(
        "measured.input_tokens_per_s: at the measured output rate prompts arrive at {needed_tokens_per_s:.0} tokens/s, no less than the measured prefill rate of {measured_tokens_per_s:.0} tokens/s, which leaves no time to generate; one of the two measurements is off"
    )]
    PrefillTooSlow {
        /// Prompt tokens per second served at the measured output rate.
        needed_tokens_per_s: f64,
        /// The measured prefill rate.
        measured_tokens_per_s: f64,
    },
    /// A catalogue id is unknown.
    #[error("{field}: no {what} {id:?} in the catalogue")]
    UnknownId {
        /// JSON path.
        field: &'static str,
        /// "model" or "accelerator".
        what: &'static str,
        /// The id given.
        id: String,
    },
    /// The weights and one prompt's KV cache do not fit in a prefill replica.
    #[error(
        "hardware.prefill_pool.gpus_per_replica: a prefill replica needs {need_gb:.0} GB per accelerator for the weights and one prompt's KV cache, but only {usable_gb:.0} GB is usable; use more accelerators per prefill replica or a smaller precision"
    )]
    PrefillDoesNotFit {
        /// Memory needed per accelerator, GB.
        need_gb: f64,
        /// Usable memory per accelerator, GB.
        usable_gb: f64,
    },
    /// A range on the inputs that is not one.
    #[error("{field}: {why}")]
    Range {
        /// JSON path.
        field: String,
        /// Why, and what to do.
        why: String,
    },
    /// A choice the disaggregated model does not cover.
    #[error("{field}: {why}")]
    Disaggregation {
        /// JSON path.
        field: &'static str,
        /// Why, and what to do.
        why: &'static str,
    },
    /// The weights and one sequence's KV cache at full context do not fit.
    #[error("{}", does_not_fit(*weights_gb, *kv_gb_per_sequence, *usable_gb))]
    DoesNotFit {
        /// Weights per accelerator, GB.
        weights_gb: f64,
        /// KV cache of one sequence at full context per accelerator, GB.
        kv_gb_per_sequence: f64,
        /// Usable memory per accelerator, GB.
        usable_gb: f64,
    },
}

/// Says whether the weights alone or the weights with one sequence's KV
/// cache overflow the memory, so the advice fits the cause.
fn does_not_fit(weights_gb: f64, kv_gb_per_sequence: f64, usable_gb: f64) -> String {
    if weights_gb >= usable_gb {
        format!(
            "hardware.gpus_per_replica: the weights need {weights_gb:.0} GB per accelerator but only {usable_gb:.0} GB is usable; use more accelerators per replica, more pipeline stages or a smaller precision"
        )
    } else {
        format!(
            "hardware.gpus_per_replica: the weights need {weights_gb:.0} GB per accelerator and one sequence's KV cache at full context another {kv_gb_per_sequence:.0} GB, but only {usable_gb:.0} GB is usable; use more accelerators per replica, more pipeline stages, a smaller KV-cache precision or shorter prompts and outputs"
        )
    }
}

impl DeploymentError {
    /// JSON path of the field at fault.
    pub fn field(&self) -> &str {
        match self {
            DeploymentError::Json { field, .. } => field,
            DeploymentError::Invalid(e) => e.field,
            DeploymentError::UnknownPreset { .. } => "use_case.preset",
            DeploymentError::Missing { field, .. } => field,
            DeploymentError::PrefillTooSlow { .. } => fields::MEASURED_INPUT_TOKENS.path(),
            DeploymentError::UnknownId { field, .. } => field,
            DeploymentError::Disaggregation { field, .. } => field,
            DeploymentError::Range { field, .. } => field,
            DeploymentError::PrefillDoesNotFit { .. } => "hardware.prefill_pool.gpus_per_replica",
            DeploymentError::DoesNotFit { .. } => "hardware.gpus_per_replica",
        }
    }
}

/// The use-case preset ids, for an error message.
fn preset_ids() -> String {
    catalogue::USE_CASES
        .iter()
        .map(|u| u.id)
        .collect::<Vec<_>>()
        .join(", ")
}
