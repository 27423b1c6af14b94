//! Schema version 1, the measured level: throughput and power someone
//! measured, a GPU count and prices. Read (with the path of any bad field,
//! each range checked) only to be migrated to a deployment.

use serde::{Deserialize, Serialize};

use crate::input::{Bound, InputError, Range};

/// The accepted range of every numeric field, shared with the forms that
/// edit them so the page and the API reject exactly the same values.
pub mod limits {
    use super::{Bound, Range};

    /// Measured generated tokens per second of the whole deployment.
    pub const TOKENS_PER_S: Range = Range::new(
        "measured.tokens_per_s",
        0.0,
        Bound::GreaterThan,
        1e9,
        " tokens/s",
    );
    /// Measured power draw of the deployment.
    pub const WATTS: Range = Range::new("measured.watts", 0.0, Bound::GreaterThan, 1e9, " W");
    /// Requests served per hour at that throughput.
    pub const REQUESTS_PER_HOUR: Range = Range::new(
        "measured.requests_per_hour",
        0.0,
        Bound::GreaterThan,
        1e12,
        " requests/h",
    );
    /// Electricity price.
    pub const USD_PER_KWH: Range =
        Range::new("pricing.usd_per_kwh", 0.0, Bound::AtLeast, 10.0, " $/kWh");
    /// Rental price of one accelerator for one hour.
    pub const USD_PER_GPU_HOUR: Range = Range::new(
        "pricing.usd_per_gpu_hour",
        0.0,
        Bound::GreaterThan,
        1_000.0,
        " $/GPU-hour",
    );
    /// Output tokens per attempt.
    pub const RESPONSE_OUTPUT: Range = Range::new(
        "response.output_tokens",
        0.0,
        Bound::AtLeast,
        1e7,
        " tokens",
    );
    /// Reasoning tokens per attempt.
    pub const RESPONSE_REASONING: Range = Range {
        field: "response.reasoning_tokens",
        ..RESPONSE_OUTPUT
    };
    /// Pre/post-processing tokens per response.
    pub const RESPONSE_PRE_POST: Range = Range {
        field: "response.pre_post_tokens",
        ..RESPONSE_OUTPUT
    };
    /// Attempts per meaningful response.
    pub const RESPONSE_ATTEMPTS: Range = Range::new(
        "response.attempts_per_response",
        1.0,
        Bound::AtLeast,
        100.0,
        "",
    );
    /// Price of a pre/post-processing token.
    pub const RESPONSE_PRE_POST_PRICE: Range = Range::new(
        "response.usd_per_pre_post_token",
        0.0,
        Bound::AtLeast,
        1.0,
        " $/token",
    );
    /// Price of a generated token.
    pub const RESPONSE_GENERATED_PRICE: Range = Range {
        field: "response.usd_per_generated_token",
        ..RESPONSE_PRE_POST_PRICE
    };
    /// Grid carbon intensity.
    pub const GRID_G_CO2_PER_KWH: Range = Range::new(
        "pricing.grid_g_co2_per_kwh",
        0.0,
        Bound::AtLeast,
        2_000.0,
        " g/kWh",
    );
    /// Number of accelerators rented.
    pub const GPUS: Range = Range {
        unit: " GPUs",
        ..Range::count("hardware.gpus", 1.0, 1_000_000.0)
    };
}

/// A deployment described at the measured level: throughput and power as
/// measured, plus prices. No hardware model is involved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MeasuredScenario {
    /// What is deployed.
    pub hardware: Hardware,
    /// What it costs.
    pub pricing: Pricing,
    /// What was measured on it.
    pub measured: Measured,
    /// What one meaningful response takes; enables the per-response figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseInput>,
}

/// Tokens and prices of one meaningful response, in the article's terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ResponseInput {
    /// Visible output tokens per attempt.
    pub output_tokens: f64,
    /// Reasoning tokens per attempt (counted with the output: `E_t`).
    pub reasoning_tokens: f64,
    /// Attempts per meaningful response (`AA`).
    pub attempts_per_response: f64,
    /// Guardrail, embedding and other pre/post-processing tokens (`P_t`).
    pub pre_post_tokens: f64,
    /// Cost of one pre/post-processing token, dollars (`C_p`).
    pub usd_per_pre_post_token: f64,
    /// Cost of one generated token, dollars (`C_t`); the rental cost per
    /// token at the measured throughput if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_per_generated_token: Option<f64>,
}

/// The accelerators of the deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Hardware {
    /// Accelerators rented (all replicas together).
    pub gpus: u32,
}

/// Prices the deployment pays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pricing {
    /// Cloud rental, dollars per accelerator per hour.
    pub usd_per_gpu_hour: f64,
    /// Electricity, dollars per kilowatt-hour.
    pub usd_per_kwh: f64,
    /// Grid carbon intensity, g CO2e per kWh; enables CO2 per response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid_g_co2_per_kwh: Option<f64>,
}

/// Figures measured on the running deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Measured {
    /// Generated tokens per second, whole deployment.
    pub tokens_per_s: f64,
    /// Power draw while producing them, in watts (GPU plus server).
    pub watts: f64,
    /// Requests served per hour at that throughput; enables per-request figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests_per_hour: Option<f64>,
}

/// Why a scenario could not be read or evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScenarioError {
    /// The text is not JSON of the scenario's shape.
    #[error("{}", json_message(.path, .message))]
    Json {
        /// JSON path of the offending field (empty at the top level).
        path: String,
        /// What the parser found wrong, with line and column.
        message: String,
    },
    /// A field holds a value the core does not accept.
    #[error(transparent)]
    Invalid(#[from] InputError),
}

fn json_message(path: &str, message: &str) -> String {
    if path.is_empty() {
        message.to_owned()
    } else {
        format!("{path}: {message}")
    }
}

impl ScenarioError {
    /// JSON path of the offending field, if the error is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ScenarioError::Json { path, .. } if path.is_empty() => None,
            ScenarioError::Json { path, .. } => Some(path),
            ScenarioError::Invalid(e) => Some(e.field),
        }
    }
}

impl MeasuredScenario {
    /// Version of this JSON shape, stored with every saved scenario so older
    /// saves can be migrated when they are read.
    pub const SCHEMA_VERSION: u32 = 1;

    /// The article's customer-service bot (3,000 tokens/s at 1,000 W,
    /// 10,000 requests an hour) on one GPU rented at $2.00/hour, with
    /// electricity at $0.17/kWh: the page's starting point.
    pub fn example() -> Self {
        MeasuredScenario {
            hardware: Hardware { gpus: 1 },
            pricing: Pricing {
                usd_per_gpu_hour: 2.0,
                usd_per_kwh: 0.17,
                grid_g_co2_per_kwh: None,
            },
            measured: Measured {
                tokens_per_s: 3_000.0,
                watts: 1_000.0,
                requests_per_hour: Some(10_000.0),
            },
            response: None,
        }
    }

    /// Reads a scenario from JSON text.
    ///
    /// # Errors
    /// [`ScenarioError::Json`] naming the path of the first field that is
    /// missing, unknown or of the wrong type, then
    /// [`ScenarioError::Invalid`] for the first out-of-range value.
    pub fn from_json(text: &str) -> Result<Self, ScenarioError> {
        let scenario: MeasuredScenario =
            crate::json::from_str(text).map_err(|e| ScenarioError::Json {
                path: e.path,
                message: e.message,
            })?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Checks every field against its range in [`limits`].
    ///
    /// # Errors
    /// The first field found out of range, by its JSON path.
    pub fn validate(&self) -> Result<(), InputError> {
        limits::GPUS.check(f64::from(self.hardware.gpus))?;
        limits::USD_PER_GPU_HOUR.check(self.pricing.usd_per_gpu_hour)?;
        limits::USD_PER_KWH.check(self.pricing.usd_per_kwh)?;
        if let Some(g) = self.pricing.grid_g_co2_per_kwh {
            limits::GRID_G_CO2_PER_KWH.check(g)?;
        }
        limits::TOKENS_PER_S.check(self.measured.tokens_per_s)?;
        limits::WATTS.check(self.measured.watts)?;
        if let Some(requests) = self.measured.requests_per_hour {
            limits::REQUESTS_PER_HOUR.check(requests)?;
        }
        if let Some(r) = &self.response {
            limits::RESPONSE_OUTPUT.check(r.output_tokens)?;
            limits::RESPONSE_REASONING.check(r.reasoning_tokens)?;
            limits::RESPONSE_ATTEMPTS.check(r.attempts_per_response)?;
            limits::RESPONSE_PRE_POST.check(r.pre_post_tokens)?;
            limits::RESPONSE_PRE_POST_PRICE.check(r.usd_per_pre_post_token)?;
            if let Some(price) = r.usd_per_generated_token {
                limits::RESPONSE_GENERATED_PRICE.check(price)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_error(text: &str) -> (Option<String>, String) {
        let err = MeasuredScenario::from_json(text).unwrap_err();
        (err.field().map(str::to_owned), err.to_string())
    }

    const VALID: &str = r#"{
        "hardware": { "gpus": 8 },
        "pricing": { "usd_per_gpu_hour": 2.5, "usd_per_kwh": 0.1 },
        "measured": { "tokens_per_s": 24000, "watts": 9000 }
    }"#;

    #[test]
    fn a_valid_file_reads_back_to_the_same_values() {
        let s = MeasuredScenario::from_json(VALID).unwrap();
        assert_eq!(s.hardware.gpus, 8);
        assert_eq!(s.measured.requests_per_hour, None);
        let again = MeasuredScenario::from_json(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(again, s);
    }

    #[test]
    fn a_string_where_a_number_belongs_names_the_field() {
        let (field, message) = json_error(&VALID.replace("0.1 }", "\"cheap\" }"));
        assert_eq!(field.as_deref(), Some("pricing.usd_per_kwh"));
        assert!(message.starts_with("pricing.usd_per_kwh: invalid type: string"));
    }

    #[test]
    fn a_misspelt_field_is_named_by_its_path() {
        let (field, message) = json_error(&VALID.replace("\"watts\": 9000", "\"wats\": 9000"));
        assert_eq!(field.as_deref(), Some("measured.wats"));
        assert!(message.contains("unknown field `wats`"), "{message}");
    }

    #[test]
    fn a_missing_field_names_its_section_and_itself() {
        let (field, message) = json_error(&VALID.replace(", \"watts\": 9000", ""));
        assert_eq!(field.as_deref(), Some("measured"));
        assert!(message.contains("missing field `watts`"), "{message}");
    }

    #[test]
    fn fractional_or_negative_gpu_counts_are_rejected() {
        for bad in ["-1", "1.5", "0"] {
            let (field, _) = json_error(&VALID.replace("\"gpus\": 8", &format!("\"gpus\": {bad}")));
            assert_eq!(field.as_deref(), Some("hardware.gpus"), "gpus {bad}");
        }
    }

    #[test]
    fn negative_power_is_rejected_after_parsing() {
        let err = MeasuredScenario::from_json(&VALID.replace("9000", "-9000")).unwrap_err();
        assert!(matches!(err, ScenarioError::Invalid(_)));
        assert_eq!(err.field(), Some("measured.watts"));
    }

    #[test]
    fn trailing_garbage_and_truncated_text_are_json_errors() {
        assert!(matches!(
            MeasuredScenario::from_json(&format!("{VALID} x")).unwrap_err(),
            ScenarioError::Json { .. }
        ));
        assert!(matches!(
            MeasuredScenario::from_json(&VALID[..40]).unwrap_err(),
            ScenarioError::Json { .. }
        ));
    }

    #[test]
    fn the_example_is_valid() {
        assert!(MeasuredScenario::example().validate().is_ok());
    }
}
