//! A power log's trace: the summed draw of the replica's GPUs over the run,
//! with the window used shaded and the P90 within it marked, so a person
//! can see whether the window holds the steady part of the run.

use plotters::prelude::*;
use tokenfab_core::observed::power_log::{PowerSummary, WindowSource};

use super::{
    ChartError, caption_font, extent, from_zero, legend, line_key, number, render, theme, themed,
};

/// The trace of `summary`, with its window shaded and its P90 as a line.
///
/// # Errors
/// A summary without a trace, or a drawing failure.
pub fn power_trace_svg(summary: &PowerSummary) -> Result<String, ChartError> {
    if summary.trace.is_empty() {
        return Err(ChartError::Draw("the power log has no samples".to_owned()));
    }
    let (t_lo, t_hi) = extent(summary.trace.iter().map(|p| p.0));
    let (_, w_max) = extent(summary.trace.iter().map(|p| p.1).chain([summary.p90_w]));
    let x_range = t_lo..t_hi.max(t_lo + 1.0);
    let y_range = from_zero(w_max)?;
    let (from, to) = (
        summary.window.from_s.max(t_lo),
        summary.window.to_s.min(t_hi),
    );
    let which = match summary.window.source {
        WindowSource::BenchmarkRun => " (the benchmark's run)",
        _ => "",
    };
    let y_top = y_range.end;
    let format = |v: &f64| number(*v);
    render(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .caption(
                format!("Power of {} GPUs over the run", summary.gpus),
                caption_font(),
            )
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(x_range, y_range)?;
        themed(&mut chart.configure_mesh())
            .x_label_formatter(&format)
            .y_label_formatter(&format)
            .x_desc("seconds from the first sample")
            .y_desc("W, all GPUs together")
            .draw()?;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(from, 0.0), (to, y_top)],
                theme::GRID.filled(),
            )))?
            .label(format!(
                "window used: {} to {} s{which}",
                number(from),
                number(to)
            ))
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], theme::GRID.filled()));
        chart
            .draw_series(LineSeries::new(
                summary.trace.iter().copied(),
                theme::SERIES[0].stroke_width(2),
            ))?
            .label("summed draw")
            .legend(line_key(theme::SERIES[0]));
        chart
            .draw_series(LineSeries::new(
                [(from, summary.p90_w), (to, summary.p90_w)],
                theme::MARK.stroke_width(2),
            ))?
            .label(format!("P90 in the window: {} W", number(summary.p90_w)))
            .legend(line_key(theme::MARK));
        legend(&mut chart, SeriesLabelPosition::LowerRight)
    })
}
