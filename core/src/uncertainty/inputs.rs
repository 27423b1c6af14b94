//! What a person says of their inputs' uncertainty: a low and a high for
//! any numeric input (the deployment's own value is the expected one), and
//! how the ranges are drawn.

use serde::{Deserialize, Serialize};

/// Draws when a deployment does not say.
pub const DEFAULT_SAMPLES: u32 = 1_000;

/// Most draws one evaluation of the ranges makes.
pub const MAX_SAMPLES: u32 = 20_000;

/// The seed when a deployment does not give one: the same inputs then give
/// the same ranges on every machine.
pub const DEFAULT_SEED: u64 = 0x746f_6b65_6e66_6162;

/// The ranges a deployment carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Ranges {
    /// Low and high of numeric inputs, each input at most once; the value
    /// in the deployment is the most likely one, between them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputRange>,
    /// Whether the performance model's own measured error is drawn too.
    #[serde(default = "yes")]
    pub model_error: bool,
    /// Whether figures taken from the catalogue (the accelerator's power;
    /// a rental rate, server price, electricity price, PUE or grid carbon
    /// equal to a catalogue entry's) are drawn too, spread by their
    /// source's confidence (a server price also over the part's other
    /// purchase quotes).
    #[serde(default = "yes")]
    pub catalogue_spread: bool,
    /// Draws, 1 to 20,000 (1,000 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<u32>,
    /// Seed of the draws (a fixed one when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Power at the facility meter the fleet must stay within with every
    /// accelerator busy, kW: the ranges then say how likely it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_budget_kw: Option<f64>,
}

impl Default for Ranges {
    fn default() -> Self {
        Ranges {
            inputs: Vec::new(),
            model_error: true,
            catalogue_spread: true,
            samples: None,
            seed: None,
            power_budget_kw: None,
        }
    }
}

fn yes() -> bool {
    true
}

/// The lowest and highest an input may turn out to be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InputRange {
    /// The input's JSON path, for instance `pricing.usd_per_gpu_hour`.
    pub input: String,
    /// The lowest it may be.
    pub low: f64,
    /// The highest it may be.
    pub high: f64,
}
