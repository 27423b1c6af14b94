//! Cost, energy and carbon per *meaningful response*: what a business buys
//! is a successful answer, not a token. The article's formula,
//!
//! ```text
//! cost = E_t · AA · C_t  +  P_t · C_p
//! ```
//!
//! with `E_t` the tokens generated per attempt (reasoning included), `AA`
//! the attempts per meaningful response, `C_t` the cost per generated
//! token, `P_t` the pre/post-processing tokens (guardrails, embeddings) and
//! `C_p` their cost per token, extended with the input side
//! (`I · AA · C_i`) and computed the same way for energy.

use serde::{Deserialize, Serialize};

use crate::units::{JOULES_PER_KWH, JOULES_PER_WH};

/// Tokens per meaningful response.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResponseShape {
    /// Visible output tokens per attempt.
    pub output_tokens: f64,
    /// Hidden reasoning tokens per attempt.
    pub reasoning_tokens: f64,
    /// Prompt tokens per attempt.
    pub input_tokens: f64,
    /// Attempts per meaningful response (`AA`), at least 1.
    pub attempts: f64,
    /// Pre/post-processing tokens per response (`P_t`).
    pub pre_post_tokens: f64,
}

impl ResponseShape {
    /// Tokens generated per attempt (`E_t`): output plus reasoning.
    pub fn generated_tokens(&self) -> f64 {
        self.output_tokens + self.reasoning_tokens
    }
}

/// A price or an energy per token for each kind of token.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PerToken {
    /// Per generated token (`C_t`).
    pub generated: f64,
    /// Per prompt token (`C_i`).
    pub input: f64,
    /// Per pre/post-processing token (`C_p`).
    pub pre_post: f64,
}

/// One quantity per response, term by term.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Terms {
    /// `E_t · AA · C_t`.
    pub generated: f64,
    /// `I · AA · C_i`.
    pub input: f64,
    /// `P_t · C_p`.
    pub pre_post: f64,
}

impl Terms {
    /// Sum of the terms.
    pub fn total(&self) -> f64 {
        self.generated + self.input + self.pre_post
    }
}

/// The terms of `shape` at `per_token` rates.
pub fn terms(shape: &ResponseShape, per_token: &PerToken) -> Terms {
    Terms {
        generated: shape.generated_tokens() * shape.attempts * per_token.generated,
        input: shape.input_tokens * shape.attempts * per_token.input,
        pre_post: shape.pre_post_tokens * per_token.pre_post,
    }
}

/// Everything per meaningful response.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PerResponse {
    /// Dollars, term by term.
    pub cost_usd: Terms,
    /// Joules, term by term.
    pub energy_j: Terms,
    /// Total dollars.
    pub cost_per_response_usd: f64,
    /// Total joules.
    pub joules_per_response: f64,
    /// Total watt-hours.
    pub wh_per_response: f64,
    /// Grams of CO2-equivalent at the grid's intensity, when one is given.
    pub g_co2_per_response: Option<f64>,
    /// Litres of water the site uses for it, when its WUE is given (the
    /// facility's energy less its PUE overhead, times the WUE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub water_l_per_response: Option<f64>,
}

/// Cost, energy and carbon of one meaningful response.
pub fn per_response(
    shape: &ResponseShape,
    usd: &PerToken,
    joules: &PerToken,
    g_co2_per_kwh: Option<f64>,
) -> PerResponse {
    let cost_usd = terms(shape, usd);
    let energy_j = terms(shape, joules);
    let joules_per_response = energy_j.total();
    PerResponse {
        cost_usd,
        energy_j,
        cost_per_response_usd: cost_usd.total(),
        joules_per_response,
        wh_per_response: joules_per_response / JOULES_PER_WH,
        g_co2_per_response: g_co2_per_kwh.map(|g| joules_per_response / JOULES_PER_KWH * g),
        water_l_per_response: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    /// The article's example: 100 reasoning + 50 output tokens, 1.2 attempts,
    /// $0.00015 per token, 150 guardrail tokens at $0.000002.
    fn article() -> (ResponseShape, PerToken) {
        (
            ResponseShape {
                output_tokens: 50.0,
                reasoning_tokens: 100.0,
                input_tokens: 0.0,
                attempts: 1.2,
                pre_post_tokens: 150.0,
            },
            PerToken {
                generated: 0.000_15,
                input: 0.0,
                pre_post: 0.000_002,
            },
        )
    }

    #[test]
    fn the_articles_response_costs_2_73_cents() {
        let (shape, usd) = article();
        let t = terms(&shape, &usd);
        assert_relative_eq!(t.generated, 0.0270, max_relative = 1e-12);
        assert_relative_eq!(t.pre_post, 0.0003, max_relative = 1e-12);
        assert_relative_eq!(t.total(), 0.0273, max_relative = 1e-12);
    }

    #[test]
    fn retries_multiply_the_generated_and_input_terms_but_not_guardrails() {
        let (mut shape, mut usd) = article();
        shape.input_tokens = 1_000.0;
        usd.input = 1e-6;
        let once = terms(
            &ResponseShape {
                attempts: 1.0,
                ..shape
            },
            &usd,
        );
        let twice = terms(
            &ResponseShape {
                attempts: 2.0,
                ..shape
            },
            &usd,
        );
        assert_relative_eq!(twice.generated, 2.0 * once.generated);
        assert_relative_eq!(twice.input, 2.0 * once.input);
        assert_eq!(twice.pre_post, once.pre_post);
    }

    #[test]
    fn a_kwh_at_400_g_per_kwh_is_400_g() {
        let shape = ResponseShape {
            output_tokens: 1.0,
            reasoning_tokens: 0.0,
            input_tokens: 0.0,
            attempts: 1.0,
            pre_post_tokens: 0.0,
        };
        let joules = PerToken {
            generated: JOULES_PER_KWH,
            input: 0.0,
            pre_post: 0.0,
        };
        let zero = PerToken {
            generated: 0.0,
            input: 0.0,
            pre_post: 0.0,
        };
        let r = per_response(&shape, &zero, &joules, Some(400.0));
        assert_relative_eq!(r.g_co2_per_response.unwrap(), 400.0);
        assert_relative_eq!(r.wh_per_response, 1000.0);
    }
}
