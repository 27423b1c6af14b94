//! Several saved scenarios on one chart: each scenario one line in its own
//! colour, named in the legend.

use plotters::prelude::*;
use tokenfab_core::deployment::{Deployment, PricingMode};
use tokenfab_core::tradeoffs;

use super::{
    ChartError, Money, caption_font, extent, from_zero, legend, line_key, number, render,
    scale_for, theme, themed,
};

/// A colour per scenario (up to four).
const COLOURS: [RGBColor; 4] = [
    theme::SERIES[0],
    theme::SERIES[1],
    theme::SERIES[2],
    theme::MARK,
];
/// Steps of each concurrency sweep.
const SWEEP_POINTS: usize = 32;
/// Longest horizon of the months chart.
const MAX_MONTHS: u32 = 120;

/// The overlaid charts, by the name used in their URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareChart {
    /// Cumulative cost of each scenario as it is priced.
    Months,
    /// Throughput per GPU against speed per user.
    Concurrency,
}

impl CompareChart {
    /// Every chart, in the order a page shows them.
    pub const ALL: [CompareChart; 2] = [CompareChart::Months, CompareChart::Concurrency];

    /// The name in the chart's URL.
    pub fn slug(self) -> &'static str {
        match self {
            CompareChart::Months => "months",
            CompareChart::Concurrency => "concurrency",
        }
    }

    /// The chart named `slug`, if any.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// The chart of `scenarios` (name, inputs), as SVG text.
    ///
    /// # Errors
    /// A scenario's first invalid field, or a drawing failure.
    pub fn render(self, scenarios: &[(String, Deployment)]) -> Result<String, ChartError> {
        match self {
            CompareChart::Months => months_svg(scenarios),
            CompareChart::Concurrency => concurrency_svg(scenarios),
        }
    }
}

/// A legend entry: the scenario's name, kept short. The SVG writer escapes
/// text, so any characters are safe here.
fn label(name: &str) -> String {
    let name = if name.trim().is_empty() {
        "untitled"
    } else {
        name.trim()
    };
    let short: String = name.chars().take(40).collect();
    if short.len() < name.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// Cumulative cost of each scenario under its own pricing, month by month.
fn months_svg(scenarios: &[(String, Deployment)]) -> Result<String, ChartError> {
    let life = scenarios
        .iter()
        .map(|(_, d)| d.pricing.on_prem.depreciation_years * 12.0)
        .fold(12.0_f64, f64::max);
    let months = (life.ceil().clamp(12.0, f64::from(MAX_MONTHS))) as u32;
    // One axis, so one currency: the first scenario's, as the page shows.
    let money = Money::of(
        scenarios
            .first()
            .and_then(|(_, d)| d.pricing.currency.as_ref()),
    );
    let mut lines = Vec::new();
    for (name, d) in scenarios {
        let sweep = tradeoffs::months_sweep(d, months)?;
        let points: Vec<(f64, f64)> = sweep
            .iter()
            .map(|m| {
                let usd = match d.pricing.mode {
                    PricingMode::Cloud => m.cloud_usd,
                    PricingMode::OnPrem => m.on_prem_usd,
                };
                (f64::from(m.month), money.at(usd))
            })
            .collect();
        lines.push((label(name), points));
    }
    let (_, y_max) = extent(lines.iter().flat_map(|(_, p)| p.iter().map(|(_, y)| *y)));
    let (divisor, scale_name) = scale_for(y_max);
    let y_range = from_zero(y_max / divisor)?;
    let y_desc = format!("cumulative cost, {}{scale_name}", money.unit());
    let tick = |v: &f64| number(*v);
    render(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .caption("Cumulative cost, each scenario as priced", caption_font())
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..f64::from(months), y_range)?;
        themed(&mut chart.configure_mesh())
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .x_desc("months")
            .y_desc(y_desc.as_str())
            .draw()?;
        for ((name, points), colour) in lines.iter().zip(COLOURS) {
            chart
                .draw_series(LineSeries::new(
                    points.iter().map(|(x, y)| (*x, y / divisor)),
                    colour.stroke_width(3),
                ))?
                .label(name.as_str())
                .legend(line_key(colour));
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}

/// Throughput per GPU against tokens/s per user as concurrency grows, one
/// line per scenario.
fn concurrency_svg(scenarios: &[(String, Deployment)]) -> Result<String, ChartError> {
    let mut lines = Vec::new();
    for (name, d) in scenarios {
        let sweep = tradeoffs::concurrency_sweep(&d.evaluated()?, SWEEP_POINTS);
        let points: Vec<(f64, f64)> = sweep
            .iter()
            .map(|p| (p.tokens_per_s_per_user, p.tokens_per_s_per_gpu))
            .collect();
        lines.push((label(name), points));
    }
    let (_, x_max) = extent(lines.iter().flat_map(|(_, p)| p.iter().map(|(x, _)| *x)));
    let (_, y_max) = extent(lines.iter().flat_map(|(_, p)| p.iter().map(|(_, y)| *y)));
    let (x_range, y_range) = (from_zero(x_max)?, from_zero(y_max)?);
    let tick = |v: &f64| number(*v);
    render(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .caption("Throughput per GPU vs speed per user", caption_font())
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(x_range, y_range)?;
        themed(&mut chart.configure_mesh())
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .x_desc("output tokens/s per user")
            .y_desc("output tokens/s per GPU")
            .draw()?;
        for ((name, points), colour) in lines.iter().zip(COLOURS) {
            chart
                .draw_series(LineSeries::new(
                    points.iter().copied(),
                    colour.stroke_width(3),
                ))?
                .label(name.as_str())
                .legend(line_key(colour));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two() -> Vec<(String, Deployment)> {
        let mut dear = Deployment::example();
        dear.pricing.usd_per_gpu_hour *= 2.0;
        vec![
            (
                "</text><script>alert(1)</script>".to_owned(),
                Deployment::example(),
            ),
            ("dearer".to_owned(), dear),
        ]
    }

    #[test]
    fn each_scenario_is_a_named_line_and_names_are_text() {
        for chart in CompareChart::ALL {
            let svg = chart.render(&two()).unwrap();
            assert!(svg.contains("dearer"), "{}", chart.slug());
            assert!(!svg.contains("<script"), "{}", chart.slug());
            assert!(svg.contains("&lt;script&gt;"), "{}", chart.slug());
        }
    }

    #[test]
    fn slugs_round_trip() {
        for chart in CompareChart::ALL {
            assert_eq!(CompareChart::from_slug(chart.slug()), Some(chart));
        }
        assert_eq!(CompareChart::from_slug("pie"), None);
    }
}
