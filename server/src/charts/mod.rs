//! Charts drawn on the server as SVG with plotters, so the plotting code
//! stays out of the browser bundle. Every chart is themed (see [`theme`]).

mod accuracy;
mod compare;
mod deployment;
pub mod png;
mod power;
pub mod preview;
mod search;
pub mod theme;

use std::ops::Range;

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::prelude::*;
use tokenfab_core::InputError;
use tokenfab_core::currency::Currency;
use tokenfab_core::deployment::DeploymentError;

pub use accuracy::{accuracy_svg, metric_label};
pub use compare::CompareChart;
pub use deployment::{
    concurrency_svg, deployment_svg, energy_svg, months_svg, response_cost_svg, sensitivity_svg,
    utilisation_svg,
};
pub use power::power_trace_svg;
pub use search::SearchChart;

/// Money as a chart shows it: amounts given in US dollars, drawn in the
/// scenario's currency at the rate its owner set.
pub struct Money {
    rate: f64,
    sign: String,
}

impl Money {
    /// In `currency`, or US dollars when none.
    pub fn of(currency: Option<&Currency>) -> Self {
        Money {
            rate: tokenfab_core::currency::per_usd(currency),
            sign: tokenfab_core::currency::sign(currency),
        }
    }

    /// `usd` in the chart's currency.
    pub fn at(&self, usd: f64) -> f64 {
        usd * self.rate
    }

    /// The currency in an axis name or a legend: `$`, `€`, `CHF`.
    pub fn unit(&self) -> &str {
        self.sign.trim_end()
    }

    /// What goes before an amount already converted: `$`, `CHF `.
    pub fn sign(&self) -> &str {
        &self.sign
    }

    /// `usd` written in the chart's currency: `$0.435`, `CHF 12`.
    pub fn amount(&self, usd: f64) -> String {
        format!("{}{}", self.sign, number(self.at(usd)))
    }
}

/// Size of every chart, in CSS pixels.
pub const CHART_SIZE: (u32, u32) = (640, 360);

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The scenario has an invalid field.
    #[error(transparent)]
    Invalid(#[from] InputError),
    /// The deployment cannot be evaluated; names its field.
    #[error(transparent)]
    Deployment(#[from] DeploymentError),
    /// plotters failed to lay out the drawing.
    #[error("drawing failed: {0}")]
    Draw(String),
    /// The deployment evaluates, but a figure the chart plots cannot be
    /// drawn (zero on a log axis, or beyond any axis); says which.
    #[error("{0}")]
    Unplottable(String),
}

impl From<DrawingAreaErrorKind<std::io::Error>> for ChartError {
    fn from(e: DrawingAreaErrorKind<std::io::Error>) -> Self {
        ChartError::Draw(format!("{e:?}"))
    }
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Draws on a themed canvas of [`CHART_SIZE`] and returns the SVG text.
fn render(draw: impl FnOnce(&Area<'_>) -> Result<(), ChartError>) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, CHART_SIZE).into_drawing_area();
        root.fill(&theme::BACKGROUND)?;
        draw(&root)?;
        root.present()?;
    }
    Ok(theme::apply(&svg))
}

fn caption_font() -> TextStyle<'static> {
    ("sans-serif", 18).into_font().color(&theme::TEXT)
}

fn label_font() -> TextStyle<'static> {
    ("sans-serif", 12).into_font().color(&theme::TEXT)
}

fn axis_name_font() -> TextStyle<'static> {
    ("sans-serif", 13).into_font().color(&theme::TEXT)
}

/// Axis, grid and label colours of the theme on a mesh.
fn themed<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.axis_style(theme::AXIS)
        .bold_line_style(theme::GRID)
        .light_line_style(TRANSPARENT)
        .label_style(label_font())
        .axis_desc_style(axis_name_font())
}

/// The legend, in the theme's colours, where it hides the least.
fn legend<'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, CT>,
    position: SeriesLabelPosition,
) -> Result<(), ChartError> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(theme::BACKGROUND.mix(0.9))
        .border_style(theme::GRID)
        .label_font(label_font())
        .draw()?;
    Ok(())
}

/// A line's legend swatch.
fn line_key(color: RGBColor) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3))
}

/// A marker's legend swatch.
fn dot_key(color: RGBColor) -> impl Fn((i32, i32)) -> Circle<(i32, i32), i32> {
    move |(x, y)| Circle::new((x + 9, y), 5, color.filled())
}

/// A bar's legend swatch.
fn bar_key(color: RGBColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], color.filled())
}

/// A P10-to-P90 band's legend swatch: its own pale fill.
fn band_key(color: RGBColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], band_fill(color))
}

/// How pale a band is drawn in its series' colour.
fn band_fill(color: RGBColor) -> ShapeStyle {
    color.mix(0.18).filled()
}

/// The outline of a band: along its upper edge, then back along its lower.
fn band_outline<T>(
    band: &[T],
    upper: impl Fn(&T) -> (f64, f64),
    lower: impl Fn(&T) -> (f64, f64),
) -> Vec<(f64, f64)> {
    band.iter()
        .map(upper)
        .chain(band.iter().rev().map(lower))
        .collect()
}

/// Values from 0 to a little above `max`; a unit range when all are zero.
fn from_zero(max: f64) -> Result<Range<f64>, ChartError> {
    finite(max)?;
    Ok(0.0..if max > 0.0 { max * 1.1 } else { 1.0 })
}

/// A log axis around `lo..hi` of `what`, widened when they are equal.
fn log_span(what: &str, lo: f64, hi: f64) -> Result<Range<f64>, ChartError> {
    finite(lo)?;
    finite(hi)?;
    if lo <= 0.0 || hi / lo > 1e100 {
        return Err(ChartError::Unplottable(format!(
            "{what} comes to {lo}, too small to draw on a log axis: check the prices"
        )));
    }
    Ok(lo / 1.25..hi.max(lo) * 1.25)
}

fn finite(v: f64) -> Result<f64, ChartError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(ChartError::Unplottable(format!(
            "a figure the chart plots comes to {v}: check the prices and rates for extreme values"
        )))
    }
}

/// Smallest and largest of `values`.
fn extent(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    values
        .into_iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        })
}

/// Picks a divisor and its name so axis numbers stay short.
fn scale_for(max: f64) -> (f64, &'static str) {
    match max {
        m if m >= 1e9 => (1e9, " (billions)"),
        m if m >= 1e6 => (1e6, " (millions)"),
        m if m >= 1e3 => (1e3, " (thousands)"),
        _ => (1.0, ""),
    }
}

/// A number for a label: three significant figures, no trailing zeros,
/// so log-axis ticks read 0.3 rather than 0.30000000000000004.
fn number(v: f64) -> String {
    let magnitude = if v == 0.0 {
        0
    } else {
        v.abs().log10().floor() as i32
    };
    let decimals = (2 - magnitude).clamp(0, 6) as usize;
    let text = format!("{v:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_three_significant_figures() {
        assert_eq!(number(0.30000000000000004), "0.3");
        assert_eq!(number(1234.6), "1235");
        assert_eq!(number(12.345), "12.3");
        assert_eq!(number(0.001234), "0.00123");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-2.5), "-2.5");
    }
}
