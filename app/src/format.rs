//! Numbers for people: significant digits, SI prefixes, currency. Used on
//! the server and in the browser alike, so hydration sees identical text.

use tokenfab_core::currency::{self, Currency};

/// `value` rounded to `digits` significant digits, without exponent, with
/// trailing zeros kept (`3.00`), for values from about 1e-4 to 1e15.
pub fn significant(value: f64, digits: usize) -> String {
    let digits = digits.max(1);
    if value == 0.0 || !value.is_finite() {
        return format!("{value:.prec$}", prec = digits - 1);
    }
    // Round in scientific form first so a carry (9.996 -> 10.0) moves the magnitude.
    let rounded: f64 = format!("{value:.prec$e}", prec = digits - 1)
        .parse()
        .unwrap_or(value);
    let magnitude = rounded.abs().log10().floor() as i32;
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    format!("{rounded:.decimals$}")
}

/// A count with an SI prefix: `10.8 M`, `5.40 k`, `950`.
pub fn si(value: f64, digits: usize) -> String {
    const PREFIXES: [(f64, &str); 5] =
        [(1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")];
    for (scale, prefix) in PREFIXES {
        if value.abs() >= scale * 0.9995 {
            return format!("{} {prefix}", significant(value / scale, digits));
        }
    }
    significant(value, digits)
}

/// A share as a percentage: `31.8 %`.
pub fn percent(share: f64) -> String {
    format!("{} %", significant(share * 100.0, 3))
}

/// `value` to `digits` significant digits without padding zeros: `2.7048`,
/// `7.5`, `300000`.
pub fn trimmed(value: f64, digits: usize) -> String {
    let text = significant(value, digits);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// A rate someone typed, as a percentage without padding zeros: `8 %`,
/// `7.5 %`, `100 %`.
pub fn rate(share: f64) -> String {
    format!("{} %", trimmed(share * 100.0, 3))
}

/// A dollar amount: `$0.185`, `$0.000601`, `$1,234`; tiny amounts in
/// scientific form (`$1.574 × 10⁻⁸`) rather than a row of zeros.
pub fn usd(value: f64, digits: usize) -> String {
    money(value, digits, None)
}

/// An amount given in US dollars, shown in `currency` at its rate (in
/// dollars when none): `$0.185`, `€0.170`, `CHF 1,234`.
pub fn money(usd: f64, digits: usize, currency: Option<&Currency>) -> String {
    let value = usd * currency::per_usd(currency);
    let number = if value != 0.0 && value.abs() < 1e-4 {
        scientific(value, digits)
    } else if value.abs() >= 1e4 {
        grouped(value.round())
    } else {
        significant(value, digits)
    };
    format!("{}{number}", currency::sign(currency))
}

/// `1.574 × 10⁻⁸` with `digits` significant digits.
pub fn scientific(value: f64, digits: usize) -> String {
    let text = format!("{value:.prec$e}", prec = digits.saturating_sub(1));
    let Some((mantissa, exponent)) = text.split_once('e') else {
        return text;
    };
    let superscript: String = exponent
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            '9' => '⁹',
            other => other,
        })
        .collect();
    format!("{mantissa} × 10{superscript}")
}

/// A whole number with thousands separators: `1,234,567`.
fn grouped(value: f64) -> String {
    let digits = format!("{:.0}", value.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0.0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_keeps_trailing_zeros() {
        assert_eq!(significant(3.0, 3), "3.00");
        assert_eq!(significant(0.185185, 3), "0.185");
        assert_eq!(significant(1080.0, 3), "1080");
    }

    #[test]
    fn significant_does_not_grow_a_digit_when_rounding_carries() {
        assert_eq!(significant(9.996, 3), "10.0");
        assert_eq!(significant(0.09999, 2), "0.10");
    }

    #[test]
    fn si_prefixes() {
        assert_eq!(si(10_800_000.0, 3), "10.8 M");
        assert_eq!(si(5_400_000.0, 3), "5.40 M");
        assert_eq!(si(950.0, 3), "950");
        assert_eq!(si(999_999.0, 3), "1.00 M");
    }

    #[test]
    fn shares_as_percentages() {
        assert_eq!(percent(0.3179), "31.8 %");
        assert_eq!(percent(1.0), "100 %");
    }

    #[test]
    fn typed_rates_drop_padding_zeros_only() {
        assert_eq!(rate(0.08), "8 %");
        assert_eq!(rate(0.075), "7.5 %");
        assert_eq!(rate(1.0), "100 %");
        assert_eq!(rate(0.1), "10 %");
        assert_eq!(rate(0.0), "0 %");
    }

    #[test]
    fn dollars_small_medium_and_large() {
        assert_eq!(usd(1.574074e-8, 4), "$1.574 × 10⁻⁸");
        assert_eq!(usd(0.185185, 3), "$0.185");
        assert_eq!(usd(0.000_600_7, 3), "$0.000601");
        assert_eq!(usd(1_234_567.4, 3), "$1,234,567");
    }

    #[test]
    fn money_in_another_currency_is_converted_and_signed() {
        let at = |code: &str, per_usd: f64| Currency {
            code: code.to_owned(),
            per_usd,
            as_of: "2026-12-01".to_owned(),
        };
        assert_eq!(money(0.185, 3, Some(&at("EUR", 2.0))), "€0.370");
        assert_eq!(money(12_000.0, 3, Some(&at("CHF", 1.5))), "CHF 18,000");
        assert_eq!(money(1e-8, 3, Some(&at("JPY", 150.0))), "¥1.50 × 10⁻⁶");
        assert_eq!(trimmed(2.94 * 0.92, 6), "2.7048");
    }
}
