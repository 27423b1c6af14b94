//! What the core computes for a scenario. Every key carries its unit.

use serde::{Deserialize, Serialize};

use crate::response::PerResponse;

/// The economics of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Report {
    /// Generated tokens per joule of measured energy.
    pub tokens_per_joule: f64,
    /// Generated tokens per kilowatt-hour.
    pub tokens_per_kwh: f64,
    /// Electricity cost of one token, dollars.
    pub energy_usd_per_token: f64,
    /// Electricity cost of a million tokens, dollars.
    pub energy_usd_per_million_tokens: f64,
    /// What the rented accelerators cost per hour, dollars.
    pub rental_usd_per_hour: f64,
    /// Tokens bought by one dollar of accelerator rental.
    pub tokens_per_usd: f64,
    /// Rental cost of a million tokens, dollars.
    pub usd_per_million_tokens: f64,
    /// Per-request figures, when requests per hour were given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_request: Option<PerRequest>,
    /// Per meaningful response, term by term, when a response was described.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_response: Option<PerResponse>,
}

/// Figures for one request, averaged over the measured hour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PerRequest {
    /// Tokens generated per request.
    pub tokens_per_request: f64,
    /// Energy per request, joules.
    pub joules_per_request: f64,
    /// Energy per request, watt-hours.
    pub wh_per_request: f64,
}
