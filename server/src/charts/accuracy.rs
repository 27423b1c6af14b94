//! Predicted against measured for one metric of an accuracy report: a dot
//! per published measurement on log axes, coloured by source, with the
//! line where prediction equals measurement and the ±35 % band around it.

use plotters::prelude::*;

use super::{
    ChartError, caption_font, dot_key, extent, label_font, legend, line_key, log_span, number,
    render, theme, themed,
};
use tokenfab_core::calibration::Metric;

use crate::accuracy::{AccuracyReport, CLOSE_PCT};

/// Axis words for a metric of the measurement table.
pub fn metric_label(metric: &str) -> &'static str {
    match Metric::from_name(metric) {
        Some(Metric::OutputTokSTotal) => "output tokens/s (system)",
        Some(Metric::OutputTokSPerGpu) => "output tokens/s per GPU",
        Some(Metric::TotalTokSTotal) => "prompt and output tokens/s (system)",
        Some(Metric::RequestThroughput) => "requests/s (system)",
        Some(Metric::TtftMs) => "time to first token at batch 1, ms",
        Some(Metric::TtftMsMean) => "mean time to first token under load, ms",
        Some(Metric::TtftMsP99) => "99th percentile time to first token, ms",
        Some(Metric::TpotMsP99) => "99th percentile time per output token, ms",
        Some(Metric::TpotMsMedian) => "median time per output token, ms",
        Some(Metric::TpotMsMean) => "mean time per output token, ms",
        Some(Metric::WattsGpuTotal) => "GPU power (system), W",
        Some(Metric::JoulesPerToken) => "GPU energy per output token, J",
        None => "value",
    }
}

/// The chart of `metric` in `report`, as SVG text.
///
/// # Errors
/// No row of that metric, or a drawing failure.
pub fn accuracy_svg(report: &AccuracyReport, metric: &str) -> Result<String, ChartError> {
    let rows: Vec<_> = report.rows.iter().filter(|r| r.metric == metric).collect();
    if rows.is_empty() {
        return Err(ChartError::Unplottable(format!(
            "no measurement of {metric:?} in the table"
        )));
    }
    let mut families: Vec<&str> = rows.iter().map(|r| r.family.as_str()).collect();
    families.sort_unstable();
    families.dedup();
    let (lo, hi) = extent(rows.iter().flat_map(|r| [r.measured, r.predicted]));
    let span = log_span(metric_label(metric), lo, hi)?;
    let band = 1.0 + CLOSE_PCT / 100.0;
    let label = metric_label(metric);

    render(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .caption(format!("Predicted vs measured: {label}"), caption_font())
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(span.clone().log_scale(), span.clone().log_scale())?;
        themed(&mut chart.configure_mesh())
            .x_desc(format!("measured {label}"))
            .y_desc("predicted")
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|v| number(*v))
            .y_label_formatter(&|v| number(*v))
            .draw()?;
        let ends = [span.start, span.end];
        chart
            .draw_series(LineSeries::new(ends.map(|v| (v, v)), theme::AXIS))?
            .label("prediction = measurement")
            .legend(line_key(theme::AXIS));
        for factor in [band, 1.0 / band] {
            chart.draw_series(DashedLineSeries::new(
                ends.map(|v| (v, v * factor)),
                4,
                4,
                theme::AXIS.into(),
            ))?;
        }
        for (i, family) in families.iter().enumerate() {
            let color = theme::SERIES[i % theme::SERIES.len()];
            chart
                .draw_series(
                    rows.iter()
                        .filter(|r| r.family == *family)
                        .map(|r| Circle::new((r.measured, r.predicted), 3, color.filled())),
                )?
                .label(*family)
                .legend(dot_key(color));
        }
        chart.draw_series(std::iter::once(Text::new(
            format!("dashed: within {CLOSE_PCT:.0} %"),
            (span.start * 1.1, span.end / 1.3),
            label_font(),
        )))?;
        legend(&mut chart, SeriesLabelPosition::LowerRight)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_of_the_built_in_table_draws_with_a_dot_per_row() {
        let report = crate::accuracy::built_in();
        let mut metrics: Vec<&str> = report.rows.iter().map(|r| r.metric.as_str()).collect();
        metrics.sort_unstable();
        metrics.dedup();
        for metric in metrics {
            let svg = accuracy_svg(report, metric).expect("draws");
            let rows = report.rows.iter().filter(|r| r.metric == metric).count();
            // One circle per row, plus one legend swatch per source.
            assert!(svg.matches("<circle").count() >= rows, "{metric}");
            assert_ne!(metric_label(metric), "value", "{metric} has axis words");
        }
    }

    #[test]
    fn a_metric_without_rows_is_named() {
        let error = accuracy_svg(crate::accuracy::built_in(), "vibes").expect_err("no rows");
        assert!(error.to_string().contains("vibes"), "{error}");
    }
}
