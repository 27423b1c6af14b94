//! Unit conversions used by every figure.

/// Seconds in an hour.
pub const SECONDS_PER_HOUR: f64 = 3_600.0;
/// Joules in a kilowatt-hour.
pub const JOULES_PER_KWH: f64 = 3.6e6;
/// Joules in a watt-hour.
pub const JOULES_PER_WH: f64 = 3_600.0;
