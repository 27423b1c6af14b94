//! Input checking: every number that enters the core passes through here,
//! so the formulas never see NaN, infinities, negatives or absurd sizes.

use std::fmt;

/// Why a field was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    /// The text could not be read as a number.
    #[error("must be a number")]
    NotANumber,
    /// NaN or an infinity.
    #[error("must be a finite number")]
    NotFinite,
    /// Below the smallest meaningful value.
    #[error("must be {bound} {min}{unit}, got {value}")]
    TooSmall {
        /// The value given.
        value: f64,
        /// The limit.
        min: f64,
        /// "at least" or "greater than".
        bound: Bound,
        /// Unit suffix, with a leading space, or empty.
        unit: &'static str,
    },
    /// Above the largest plausible value.
    #[error("must be at most {max}{unit}, got {value}")]
    TooLarge {
        /// The value given.
        value: f64,
        /// The limit.
        max: f64,
        /// Unit suffix, with a leading space, or empty.
        unit: &'static str,
    },
    /// A count that is not a whole number.
    #[error("must be a whole number, got {value}")]
    NotWhole {
        /// The value given.
        value: f64,
    },
    /// Not three capital letters.
    #[error("must be a three-letter ISO 4217 code such as EUR")]
    NotACurrencyCode,
    /// US dollars given as a currency to convert to.
    #[error("must not be USD: figures are in US dollars unless another currency is set")]
    BaseCurrency,
    /// Not a calendar date written `YYYY-MM-DD`.
    #[error("must be a date written YYYY-MM-DD")]
    NotADate,
}

/// Whether a lower limit is itself allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The limit is allowed (`>=`).
    AtLeast,
    /// The limit is excluded (`>`).
    GreaterThan,
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bound::AtLeast => "at least",
            Bound::GreaterThan => "greater than",
        })
    }
}

/// A rejected input, naming its field by its JSON path (`pricing.usd_per_kwh`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct InputError {
    /// JSON path of the field, e.g. `measured.watts`.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: Problem,
}

/// The accepted range of one numeric field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// JSON path of the field.
    pub field: &'static str,
    /// Smallest accepted value.
    pub min: f64,
    /// Whether `min` itself is accepted.
    pub bound: Bound,
    /// Largest accepted value.
    pub max: f64,
    /// Unit suffix shown in messages, with a leading space (e.g. `" W"`).
    pub unit: &'static str,
    /// Whether only whole numbers are accepted.
    pub whole: bool,
}

impl Range {
    /// A range of any number between `min` (allowed or not, by `bound`) and
    /// `max`; `unit` is shown in messages, with a leading space.
    pub const fn new(
        field: &'static str,
        min: f64,
        bound: Bound,
        max: f64,
        unit: &'static str,
    ) -> Self {
        Range {
            field,
            min,
            bound,
            max,
            unit,
            whole: false,
        }
    }

    /// A range of whole numbers from `min` to `max`.
    pub const fn count(field: &'static str, min: f64, max: f64) -> Self {
        Range {
            field,
            min,
            bound: Bound::AtLeast,
            max,
            unit: "",
            whole: true,
        }
    }

    /// Accepts `value` if it lies in the range.
    ///
    /// # Errors
    /// An [`InputError`] naming this field when `value` is NaN, infinite,
    /// outside the range, or fractional where a count is expected.
    // A few comparisons, inlined where the range is known when compiling
    // (on the server, where searches check millions of deployments; the
    // browser keeps one copy, for size); saying what is wrong is the rare path.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn check(&self, value: f64) -> Result<f64, InputError> {
        if self.contains(value) {
            Ok(value)
        } else {
            Err(self.problem(value))
        }
    }

    /// Whether `value` lies in the range (NaN and the infinities do not).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn contains(&self, value: f64) -> bool {
        let above_min = match self.bound {
            Bound::AtLeast => value >= self.min,
            Bound::GreaterThan => value > self.min,
        };
        // Within the range, the cast is exact for any whole value (and
        // cheaper than `fract`, a library call).
        above_min && value <= self.max && (!self.whole || (value as i64) as f64 == value)
    }

    /// What is wrong with `value`, which the range does not contain.
    #[cold]
    #[inline(never)]
    fn problem(&self, value: f64) -> InputError {
        let problem = if !value.is_finite() {
            Problem::NotFinite
        } else if !(match self.bound {
            Bound::AtLeast => value >= self.min,
            Bound::GreaterThan => value > self.min,
        }) {
            Problem::TooSmall {
                value,
                min: self.min,
                bound: self.bound,
                unit: self.unit,
            }
        } else if value > self.max {
            Problem::TooLarge {
                value,
                max: self.max,
                unit: self.unit,
            }
        } else {
            Problem::NotWhole { value }
        };
        InputError {
            field: self.field,
            problem,
        }
    }

    /// Reads `text` as a number (as typed into a form) and checks it.
    ///
    /// # Errors
    /// [`Problem::NotANumber`] when the text is not a number, else as
    /// [`Range::check`].
    pub fn parse(&self, text: &str) -> Result<f64, InputError> {
        let value: f64 = text.trim().parse().map_err(|_| InputError {
            field: self.field,
            problem: Problem::NotANumber,
        })?;
        self.check(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WATTS: Range = Range {
        field: "measured.watts",
        min: 0.0,
        bound: Bound::GreaterThan,
        max: 1e9,
        unit: " W",
        whole: false,
    };

    #[test]
    fn nan_and_infinity_are_rejected_by_name() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = WATTS.check(bad).unwrap_err();
            assert_eq!(err.field, "measured.watts");
            assert_eq!(err.problem, Problem::NotFinite);
        }
    }

    #[test]
    fn zero_is_rejected_when_the_bound_is_exclusive() {
        let err = WATTS.check(0.0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "measured.watts: must be greater than 0 W, got 0"
        );
    }

    #[test]
    fn absurd_sizes_are_rejected_with_the_limit() {
        let err = WATTS.check(5e12).unwrap_err();
        assert_eq!(
            err.to_string(),
            "measured.watts: must be at most 1000000000 W, got 5000000000000"
        );
    }

    #[test]
    fn form_text_that_is_not_a_number_is_named() {
        let err = WATTS.parse("12a").unwrap_err();
        assert_eq!(err.to_string(), "measured.watts: must be a number");
        assert_eq!(WATTS.parse(" 450 ").unwrap(), 450.0);
    }

    #[test]
    fn counts_must_be_whole() {
        let gpus = Range {
            field: "hardware.gpus",
            min: 1.0,
            bound: Bound::AtLeast,
            max: 1e6,
            unit: "",
            whole: true,
        };
        assert_eq!(
            gpus.check(1.5).unwrap_err().to_string(),
            "hardware.gpus: must be a whole number, got 1.5"
        );
        assert_eq!(gpus.check(8.0).unwrap(), 8.0);
    }
}
