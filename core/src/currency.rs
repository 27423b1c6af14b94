//! The currency money is shown in. The core computes in US dollars, the
//! currency of every catalogue price; a person may set another with the
//! rate they chose and the day they chose it, and every money figure shown
//! (inputs, results, charts, exports) is converted at that rate. Stored
//! inputs stay in dollars, so changing the rate re-prices nothing but the
//! figures shown.

use serde::{Deserialize, Serialize};

use crate::input::{Bound, InputError, Problem, Range};

/// A currency other than the US dollar, at a rate a person set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Currency {
    /// ISO 4217 code, three capital letters: `EUR`.
    pub code: String,
    /// Units of this currency one US dollar buys.
    pub per_usd: f64,
    /// The day the rate was set, `YYYY-MM-DD`.
    pub as_of: String,
}

/// The rate's range: from the strongest currency traded (about 0.3 per
/// dollar) to the weakest (about 10⁵), with room either side.
pub const PER_USD: Range = Range::new(
    "pricing.currency.per_usd",
    1e-4,
    Bound::AtLeast,
    1e7,
    " per US dollar",
);

const CODE: &str = "pricing.currency.code";
const AS_OF: &str = "pricing.currency.as_of";

impl Currency {
    /// `usd` in this currency.
    #[must_use]
    pub fn from_usd(&self, usd: f64) -> f64 {
        usd * self.per_usd
    }

    /// An amount of this currency in US dollars.
    #[must_use]
    pub fn to_usd(&self, amount: f64) -> f64 {
        amount / self.per_usd
    }

    /// What goes before an amount: `€`, `£`, `¥`, `₹`, or the code and a
    /// space (`CHF `) for a currency whose sign others share.
    #[must_use]
    pub fn sign(&self) -> String {
        match self.code.as_str() {
            "EUR" => "€".to_owned(),
            "GBP" => "£".to_owned(),
            "JPY" => "¥".to_owned(),
            "INR" => "₹".to_owned(),
            code => format!("{code} "),
        }
    }

    /// Checks the code, the rate and the date.
    ///
    /// # Errors
    /// The first of them that is not what it must be, by its JSON path.
    pub fn validate(&self) -> Result<(), InputError> {
        let refuse = |field, problem| Err(InputError { field, problem });
        let code = self.code.as_bytes();
        if code.len() != 3 || !code.iter().all(u8::is_ascii_uppercase) {
            return refuse(CODE, Problem::NotACurrencyCode);
        }
        if self.code == "USD" {
            // The base itself: a rate other than 1 would relabel, not convert.
            return refuse(CODE, Problem::BaseCurrency);
        }
        PER_USD.check(self.per_usd)?;
        if !is_date(&self.as_of) {
            return refuse(AS_OF, Problem::NotADate);
        }
        Ok(())
    }
}

/// Units of `currency` one US dollar buys: 1 when none (dollars).
#[must_use]
pub fn per_usd(currency: Option<&Currency>) -> f64 {
    currency.map_or(1.0, |c| c.per_usd)
}

/// What goes before an amount in `currency`: `$` when none (dollars).
#[must_use]
pub fn sign(currency: Option<&Currency>) -> String {
    currency.map_or_else(|| "$".to_owned(), Currency::sign)
}

/// Whether `text` is a calendar date written `YYYY-MM-DD` (years 1900 to
/// 2999: a rate is set in living memory).
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r.clone())?
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| text[r].parse().ok())?
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !(1900..3000).contains(&year) {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn euro(per_usd: f64, as_of: &str) -> Currency {
        Currency {
            code: "EUR".to_owned(),
            per_usd,
            as_of: as_of.to_owned(),
        }
    }

    #[test]
    fn converts_both_ways_at_the_rate_set() {
        let c = euro(0.92, "2026-12-01");
        assert!((c.from_usd(2.94) - 2.7048).abs() < 1e-12);
        assert!((c.to_usd(c.from_usd(2.94)) - 2.94).abs() < 1e-12);
        assert_eq!(c.sign(), "€");
        assert_eq!(
            Currency {
                code: "CHF".to_owned(),
                ..c
            }
            .sign(),
            "CHF "
        );
    }

    #[test]
    fn a_bad_code_rate_or_date_is_named() {
        let field = |c: Currency| c.validate().unwrap_err().field;
        assert_eq!(euro(0.92, "2026-12-01").validate(), Ok(()));
        assert_eq!(euro(1.0, "2024-02-29").validate(), Ok(()));
        for code in ["eur", "EURO", "E1R", ""] {
            let c = Currency {
                code: code.to_owned(),
                ..euro(0.92, "2026-12-01")
            };
            assert_eq!(field(c), "pricing.currency.code", "{code}");
        }
        let usd = Currency {
            code: "USD".to_owned(),
            ..euro(2.0, "2026-12-01")
        };
        assert_eq!(field(usd), "pricing.currency.code");
        for rate in [0.0, -1.0, 1e-5, f64::NAN, f64::INFINITY, 1e8] {
            assert_eq!(
                field(euro(rate, "2026-12-01")),
                "pricing.currency.per_usd",
                "{rate}"
            );
        }
        for date in [
            "2026-13-01",
            "2026-02-29",
            "2026-4-01",
            "01/12/2026",
            "2026-12-01x",
            "",
            "１２３４-01-01",
        ] {
            assert_eq!(field(euro(0.92, date)), "pricing.currency.as_of", "{date}");
        }
    }
}
