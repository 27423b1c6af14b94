//! The article's formulas, one function each, on plain `f64` in the units
//! their names carry. Callers validate first; these never see bad input.

/// Seconds in an hour.
pub const SECONDS_PER_HOUR: f64 = 3_600.0;
/// Joules in a kilowatt-hour.
pub const JOULES_PER_KWH: f64 = 3.6e6;
/// Joules in a watt-hour.
pub const JOULES_PER_WH: f64 = 3_600.0;

/// Tokens per joule: a watt is a joule per second, so throughput over power.
pub fn tokens_per_joule(tokens_per_s: f64, watts: f64) -> f64 {
    tokens_per_s / watts
}

/// Tokens per kilowatt-hour from tokens per joule.
pub fn tokens_per_kwh(tokens_per_joule: f64) -> f64 {
    tokens_per_joule * JOULES_PER_KWH
}

/// Electricity cost of one token, in dollars.
pub fn energy_usd_per_token(usd_per_kwh: f64, tokens_per_kwh: f64) -> f64 {
    usd_per_kwh / tokens_per_kwh
}

/// Rental cost per second of a deployment of `gpus` accelerators.
pub fn usd_per_s(usd_per_gpu_hour: f64, gpus: f64) -> f64 {
    usd_per_gpu_hour * gpus / SECONDS_PER_HOUR
}

/// Tokens per dollar: throughput over spend rate.
pub fn tokens_per_usd(tokens_per_s: f64, usd_per_s: f64) -> f64 {
    tokens_per_s / usd_per_s
}

/// Dollars per million tokens from tokens per dollar.
pub fn usd_per_million_tokens(tokens_per_usd: f64) -> f64 {
    1e6 / tokens_per_usd
}
