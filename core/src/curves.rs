//! Data for the trade-off charts: a figure recomputed while one input moves.

use serde::Serialize;

use crate::input::InputError;
use crate::scenario::Scenario;

/// One point of the tokens-per-dollar curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PricePoint {
    /// Rental price at this point, dollars per GPU-hour.
    pub usd_per_gpu_hour: f64,
    /// Tokens per dollar at that price.
    pub tokens_per_usd: f64,
}

/// Tokens per dollar as the rental price moves from a quarter of the
/// scenario's price to three times it, in `points` even steps (at least 2).
///
/// # Errors
/// The scenario's first invalid field.
pub fn tokens_per_usd_vs_gpu_price(
    scenario: &Scenario,
    points: usize,
) -> Result<Vec<PricePoint>, InputError> {
    scenario.validate()?;
    let points = points.max(2);
    let price = scenario.pricing.usd_per_gpu_hour;
    let (low, high) = (price / 4.0, price * 3.0);
    let step = (high - low) / (points - 1) as f64;
    let mut probe = scenario.clone();
    Ok((0..points)
        .map(|i| {
            let usd_per_gpu_hour = low + step * i as f64;
            probe.pricing.usd_per_gpu_hour = usd_per_gpu_hour;
            PricePoint {
                usd_per_gpu_hour,
                tokens_per_usd: probe.evaluate_valid().tokens_per_usd,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cheaper_gpus_buy_more_tokens_per_dollar() {
        let curve = tokens_per_usd_vs_gpu_price(&Scenario::example(), 50).unwrap();
        assert_eq!(curve.len(), 50);
        assert!(
            curve
                .windows(2)
                .all(|w| w[1].tokens_per_usd < w[0].tokens_per_usd)
        );
    }

    #[test]
    fn the_curve_spans_a_quarter_to_three_times_the_price_and_passes_through_it() {
        let scenario = Scenario::example();
        let curve = tokens_per_usd_vs_gpu_price(&scenario, 12).unwrap();
        assert_eq!(curve[0].usd_per_gpu_hour, 0.5);
        assert_eq!(curve[11].usd_per_gpu_hour, 6.0);
        let at_price = curve
            .iter()
            .find(|p| (p.usd_per_gpu_hour - 2.0).abs() < 1e-12)
            .unwrap();
        let report = scenario.evaluate().unwrap();
        assert!((at_price.tokens_per_usd - report.tokens_per_usd).abs() < 1e-6);
    }

    #[test]
    fn an_invalid_scenario_gives_no_curve() {
        let mut scenario = Scenario::example();
        scenario.pricing.usd_per_gpu_hour = f64::NAN;
        let err = tokens_per_usd_vs_gpu_price(&scenario, 10).unwrap_err();
        assert_eq!(err.field, "pricing.usd_per_gpu_hour");
    }
}
