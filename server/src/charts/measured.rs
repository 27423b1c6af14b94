//! The measured-level chart: tokens per dollar against the rental price.

use plotters::prelude::*;
use tokenfab_core::Scenario;
use tokenfab_core::curves::tokens_per_usd_vs_gpu_price;

use super::{ChartError, caption_font, render, scale_for, theme, themed};

/// Points on a curve: smooth at this size, cheap to compute.
const CURVE_POINTS: usize = 64;

/// Tokens per dollar as the rental price moves around the scenario's, with
/// the scenario's own price marked.
///
/// # Errors
/// The scenario's first invalid field, or a drawing failure.
pub fn tokens_per_dollar_svg(scenario: &Scenario) -> Result<String, ChartError> {
    let curve = tokens_per_usd_vs_gpu_price(scenario, CURVE_POINTS)?;
    let current = scenario.evaluate()?;
    let (first, last) = match (curve.first(), curve.last()) {
        (Some(first), Some(last)) => (*first, *last),
        _ => return Err(ChartError::Draw("empty curve".to_owned())),
    };
    let (divisor, scale_name) = scale_for(first.tokens_per_usd);
    let y_max = first.tokens_per_usd / divisor * 1.08;
    let y_label = format!("tokens per dollar{scale_name}");

    render(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .caption("Tokens per dollar vs GPU rental price", caption_font())
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(first.usd_per_gpu_hour..last.usd_per_gpu_hour, 0.0..y_max)?;
        themed(&mut chart.configure_mesh())
            .x_desc("GPU rental ($ per GPU-hour)")
            .y_desc(y_label.as_str())
            .draw()?;
        chart.draw_series(LineSeries::new(
            curve
                .iter()
                .map(|p| (p.usd_per_gpu_hour, p.tokens_per_usd / divisor)),
            theme::SERIES[0].stroke_width(3),
        ))?;
        chart.draw_series(std::iter::once(Circle::new(
            (
                scenario.pricing.usd_per_gpu_hour,
                current.tokens_per_usd / divisor,
            ),
            6,
            theme::MARK.filled(),
        )))?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_is_an_svg_with_labelled_axes() {
        let svg = tokens_per_dollar_svg(&Scenario::example()).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("GPU rental ($ per GPU-hour)"));
        assert!(svg.contains("tokens per dollar (millions)"));
    }

    #[test]
    fn the_chart_follows_the_price() {
        let mut dear = Scenario::example();
        dear.pricing.usd_per_gpu_hour = 9.0;
        assert_ne!(
            tokens_per_dollar_svg(&dear).unwrap(),
            tokens_per_dollar_svg(&Scenario::example()).unwrap()
        );
    }

    #[test]
    fn an_invalid_scenario_names_its_field() {
        let mut bad = Scenario::example();
        bad.measured.tokens_per_s = -1.0;
        match tokens_per_dollar_svg(&bad) {
            Err(ChartError::Invalid(e)) => assert_eq!(e.field, "measured.tokens_per_s"),
            other => panic!("expected a field error, got {other:?}"),
        }
    }
}
