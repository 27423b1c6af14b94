//! Trade-off charts of a modeled deployment. The figures all come from
//! `tokenfab_core::tradeoffs` and `Deployment::evaluate`; this file only
//! draws them and marks where the deployment itself stands.

use app::chart_query::DeploymentChart;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use tokenfab_core::deployment::Evaluated;
use tokenfab_core::tradeoffs;
use tokenfab_core::uncertainty::{self, MonthBand};

use super::{
    ChartError, Money, band_fill, band_key, band_outline, bar_key, caption_font, dot_key, extent,
    from_zero, label_font, legend, line_key, log_span, number, render, scale_for, theme, themed,
};

/// Steps of the concurrency sweep: smooth on a log axis, a few µs each.
const SWEEP_POINTS: usize = 48;
/// How far the sensitivity chart moves each input, either way.
const SENSITIVITY_SHARE: f64 = 0.2;
/// Cost per response is a fraction of a cent: shown per thousand.
const RESPONSES: f64 = 1_000.0;
/// Longest horizon of the months chart (the core's break-even horizon).
const MAX_MONTHS: u32 = 120;

/// The chart `kind` of a deployment evaluated, as SVG text.
///
/// # Errors
/// Figures that cannot be drawn, or a drawing failure.
pub fn deployment_svg(
    kind: DeploymentChart,
    evaluated: &Evaluated<'_>,
) -> Result<String, ChartError> {
    match kind {
        DeploymentChart::Concurrency => concurrency_svg(evaluated),
        DeploymentChart::Energy => energy_svg(evaluated),
        DeploymentChart::ResponseCost => response_cost_svg(evaluated),
        DeploymentChart::Carbon => carbon_svg(evaluated),
        DeploymentChart::Months => months_svg(evaluated),
        DeploymentChart::Utilisation => utilisation_svg(evaluated),
        DeploymentChart::Sensitivity => sensitivity_svg(evaluated),
    }
}

/// Throughput per GPU against tokens/s per user as concurrency grows, the
/// cost per million output tokens on a second (log) axis, the TPOT target
/// and the deployment's operating point.
///
/// # Errors
/// Figures that cannot be drawn, or a drawing failure.
pub fn concurrency_svg(evaluated: &Evaluated<'_>) -> Result<String, ChartError> {
    let mut sweep = tradeoffs::concurrency_sweep(evaluated, SWEEP_POINTS);
    let deployment = evaluated.checked.deployment();
    let mut here = Mark::of(evaluated);
    let target = 1e3 / deployment.use_case.tpot_target_ms;
    // With ranges, each concurrency's P10 to P90 as a band around both curves.
    let mut band = match deployment.ranges {
        Some(_) => {
            let at: Vec<f64> = sweep.iter().map(|p| p.concurrency).collect();
            uncertainty::concurrency_band(deployment, &at)?
        }
        None => Vec::new(),
    };
    // The costs in the scenario's currency, from here on.
    let money = Money::of(deployment.pricing.currency.as_ref());
    for p in &mut sweep {
        p.usd_per_m_output = money.at(p.usd_per_m_output);
    }
    for b in &mut band {
        b.usd_per_m_output_p10 = money.at(b.usd_per_m_output_p10);
        b.usd_per_m_output_p90 = money.at(b.usd_per_m_output_p90);
    }
    here.usd_per_m_output = money.at(here.usd_per_m_output);
    let per_million = format!("{} per million output tokens", money.unit());
    let (_, x_max) = extent(
        sweep
            .iter()
            .map(|p| p.tokens_per_s_per_user)
            .chain(band.iter().map(|b| b.tokens_per_s_per_user_p90))
            .chain([here.tokens_per_s_per_user, target]),
    );
    let (_, y_max) = extent(
        sweep
            .iter()
            .map(|p| p.tokens_per_s_per_gpu)
            .chain(band.iter().map(|b| b.tokens_per_s_per_gpu_p90))
            .chain([here.tokens_per_s_per_gpu]),
    );
    let (usd_lo, usd_hi) = extent(
        sweep.iter().map(|p| p.usd_per_m_output).chain(
            band.iter()
                .flat_map(|b| [b.usd_per_m_output_p10, b.usd_per_m_output_p90]),
        ),
    );
    let (x_range, y_range) = (from_zero(x_max)?, from_zero(y_max)?);
    let usd_range = log_span("the cost per million output tokens", usd_lo, usd_hi)?;
    let y_top = y_range.end;
    let usd_label = |v: &f64| number(*v);

    render(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .caption(
                "Throughput per GPU vs speed per user as concurrency grows",
                caption_font(),
            )
            .x_label_area_size(44)
            .y_label_area_size(64)
            .right_y_label_area_size(64)
            .build_cartesian_2d(x_range.clone(), y_range)?
            .set_secondary_coord(x_range, usd_range.log_scale());
        themed(&mut chart.configure_mesh())
            .x_label_formatter(&usd_label)
            .y_label_formatter(&usd_label)
            .x_desc("output tokens/s per user")
            .y_desc("output tokens/s per GPU")
            .draw()?;
        chart
            .configure_secondary_axes()
            .axis_style(theme::AXIS)
            .label_style(label_font())
            .axis_desc_style(super::axis_name_font())
            .y_label_formatter(&usd_label)
            .y_desc(format!("{per_million} (log scale)"))
            .draw()?;
        if !band.is_empty() {
            // Faster draws are faster for users and per GPU alike: the
            // band joins each concurrency's P90s, then its P10s.
            let speed = band_outline(
                &band,
                |b| (b.tokens_per_s_per_user_p90, b.tokens_per_s_per_gpu_p90),
                |b| (b.tokens_per_s_per_user_p10, b.tokens_per_s_per_gpu_p10),
            );
            chart
                .draw_series(std::iter::once(Polygon::new(
                    speed,
                    band_fill(theme::SERIES[0]),
                )))?
                .label("tokens/s per GPU and per user, P10 to P90")
                .legend(band_key(theme::SERIES[0]));
            // A faster draw is a cheaper one: the cost's P90 sits with the
            // slower speed.
            let cost = band_outline(
                &band,
                |b| (b.tokens_per_s_per_user_p10, b.usd_per_m_output_p90),
                |b| (b.tokens_per_s_per_user_p90, b.usd_per_m_output_p10),
            );
            chart
                .draw_secondary_series(std::iter::once(Polygon::new(
                    cost,
                    band_fill(theme::SERIES[1]),
                )))?
                .label(format!("{per_million}, P10 to P90"))
                .legend(band_key(theme::SERIES[1]));
        }
        chart
            .draw_series(LineSeries::new(
                [(target, 0.0), (target, y_top)],
                theme::AXIS.stroke_width(1),
            ))?
            .label(format!("TPOT target: {} tokens/s per user", number(target)))
            .legend(line_key(theme::AXIS));
        chart
            .draw_series(LineSeries::new(
                sweep
                    .iter()
                    .map(|p| (p.tokens_per_s_per_user, p.tokens_per_s_per_gpu)),
                theme::SERIES[0].stroke_width(3),
            ))?
            .label("output tokens/s per GPU (dots: Pareto front)")
            .legend(line_key(theme::SERIES[0]));
        chart.draw_series(sweep.iter().filter(|p| p.pareto).map(|p| {
            Circle::new(
                (p.tokens_per_s_per_user, p.tokens_per_s_per_gpu),
                3,
                theme::SERIES[0].filled(),
            )
        }))?;
        chart
            .draw_secondary_series(LineSeries::new(
                sweep
                    .iter()
                    .map(|p| (p.tokens_per_s_per_user, p.usd_per_m_output)),
                theme::SERIES[1].stroke_width(2),
            ))?
            .label(format!("{per_million} (right axis)"))
            .legend(line_key(theme::SERIES[1]));
        chart
            .draw_series(std::iter::once(Circle::new(
                (here.tokens_per_s_per_user, here.tokens_per_s_per_gpu),
                6,
                theme::MARK.filled(),
            )))?
            .label(format!(
                "{}: concurrency {}, {}{}/M",
                here.name,
                number(here.concurrency),
                money.sign(),
                number(here.usd_per_m_output)
            ))
            .legend(dot_key(theme::MARK));
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}

/// Where the deployment sits on the concurrency charts: its report's own
/// figures, or for a disaggregated deployment its decode replicas on the
/// curve (the report's figures cover both pools, the curve one replica).
struct Mark {
    name: &'static str,
    concurrency: f64,
    tokens_per_s_per_user: f64,
    tokens_per_s_per_gpu: f64,
    usd_per_m_output: f64,
    tokens_per_joule: f64,
}

impl Mark {
    fn of(evaluated: &Evaluated<'_>) -> Self {
        let report = &evaluated.report;
        let p = &report.performance;
        if report.pools.is_some() {
            let point = tradeoffs::concurrency_point(evaluated, p.concurrency);
            return Mark {
                name: "its decode replicas",
                concurrency: point.concurrency,
                tokens_per_s_per_user: point.tokens_per_s_per_user,
                tokens_per_s_per_gpu: point.tokens_per_s_per_gpu,
                usd_per_m_output: point.usd_per_m_output,
                tokens_per_joule: point.tokens_per_joule,
            };
        }
        Mark {
            name: "this deployment",
            concurrency: p.concurrency,
            tokens_per_s_per_user: p.tokens_per_s_per_user,
            tokens_per_s_per_gpu: p.output_tokens_per_s_per_gpu,
            usd_per_m_output: report.costs.at_load.usd_per_m_output,
            tokens_per_joule: report.energy.tokens_per_joule,
        }
    }
}

/// Generated tokens per joule at the server as concurrency grows, with the
/// deployment's operating point.
///
/// # Errors
/// Figures that cannot be drawn, or a drawing failure.
pub fn energy_svg(evaluated: &Evaluated<'_>) -> Result<String, ChartError> {
    let sweep = tradeoffs::concurrency_sweep(evaluated, SWEEP_POINTS);
    let mark = Mark::of(evaluated);
    let here = (mark.concurrency, mark.tokens_per_joule);
    let (c_lo, c_hi) = extent(sweep.iter().map(|p| p.concurrency).chain([here.0]));
    let (_, y_max) = extent(sweep.iter().map(|p| p.tokens_per_joule).chain([here.1]));
    let x_range = log_span("the concurrency", c_lo, c_hi)?;
    let y_range = from_zero(y_max)?;
    let x_label = |v: &f64| number(*v);

    render(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .caption("Energy per token vs concurrency", caption_font())
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(x_range.log_scale(), y_range)?;
        themed(&mut chart.configure_mesh())
            .x_label_formatter(&x_label)
            .y_label_formatter(&x_label)
            .x_desc("sequences in flight per replica (log scale)")
            .y_desc("output tokens per joule (server, at load)")
            .draw()?;
        chart
            .draw_series(LineSeries::new(
                sweep.iter().map(|p| (p.concurrency, p.tokens_per_joule)),
                theme::SERIES[2].stroke_width(3),
            ))?
            .label("tokens per joule")
            .legend(line_key(theme::SERIES[2]));
        chart
            .draw_series(std::iter::once(Circle::new(here, 6, theme::MARK.filled())))?
            .label(format!(
                "{}: concurrency {}, {} tokens/J",
                mark.name,
                number(here.0),
                number(here.1)
            ))
            .legend(dot_key(theme::MARK));
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}

/// Cost per meaningful response as a waterfall of its terms (generated,
/// prompt, pre/post-processing) up to the total, with the hosted API's
/// price for the same responses when the catalogue has one.
///
/// # Errors
/// Figures that cannot be drawn, or a drawing failure.
pub fn response_cost_svg(evaluated: &Evaluated<'_>) -> Result<String, ChartError> {
    let report = &evaluated.report;
    let money = Money::of(evaluated.checked.deployment().pricing.currency.as_ref());
    // Per thousand responses, in the scenario's currency.
    let per_thousand = money.at(RESPONSES);
    let terms = report.per_response.cost_usd;
    let total = report.per_response.cost_per_response_usd;
    // (name, start, end, colour), top row first.
    let mut rows: Vec<(String, f64, f64, RGBColor)> = vec![
        (
            "generated tokens × attempts".to_owned(),
            0.0,
            terms.generated,
            theme::SERIES[0],
        ),
        (
            "prompt tokens × attempts".to_owned(),
            terms.generated,
            terms.generated + terms.input,
            theme::SERIES[1],
        ),
        (
            "pre/post-processing".to_owned(),
            terms.generated + terms.input,
            total,
            theme::SERIES[2],
        ),
        ("total".to_owned(), 0.0, total, theme::MARK),
    ];
    if let Some(api) = &report.costs.hosted_api {
        rows.push((
            format!("hosted API ({})", api.provider),
            0.0,
            api.cost_per_response_usd,
            theme::AXIS,
        ));
    }
    let rows: Vec<_> = rows
        .into_iter()
        .map(|(name, a, b, c)| (name, a * per_thousand, b * per_thousand, c))
        .collect();
    // With ranges, the total's P10 to P90 as a whisker on its bar.
    let whisker = match evaluated.checked.deployment().ranges {
        Some(_) => uncertainty::evaluate_ranges(evaluated.checked.deployment())?
            .figures
            .into_iter()
            .find(|f| f.figure == "cost_per_response_usd")
            .map(|f| (f.p10 * per_thousand, f.p90 * per_thousand))
            // No draw evaluated: nothing to show.
            .filter(|(p10, p90)| p10.is_finite() && p90.is_finite()),
        None => None,
    };
    let (unit, sign) = (money.unit(), money.sign());
    let x_desc = match whisker {
        Some((p10, p90)) => format!(
            "{unit} per 1,000 meaningful responses (whisker: the total's P10 to P90, {sign}{} to {sign}{})",
            number(p10),
            number(p90)
        ),
        None => format!("{unit} per 1,000 meaningful responses"),
    };
    bars_svg(
        "Cost per meaningful response, term by term",
        &x_desc,
        &rows,
        whisker.map(|(p10, p90)| (3, p10, p90)),
        |v| format!(" {sign}{}", number(v)),
    )
}

/// Carbon per meaningful response: operational at the grid's intensity
/// (location-based) and, when given, at the electricity bought
/// (market-based), and the embodied carbon of the accelerators on top of
/// the location-based figure, per thousand responses; the axis names the
/// month's operational and embodied carbon.
///
/// # Errors
/// Figures that cannot be drawn, or a drawing failure.
pub fn carbon_svg(evaluated: &Evaluated<'_>) -> Result<String, ChartError> {
    let c = &evaluated.report.carbon;
    let location = c.location_g_per_response;
    let mut rows = vec![(
        "operational, location-based".to_owned(),
        0.0,
        location,
        theme::SERIES[0],
    )];
    let mut month = format!(
        "a month: {} kg operational",
        number(c.location_kg_per_month)
    );
    // The market-based month is in the figure's explanation: the axis
    // name has room for two.
    if let Some(g) = c.market_g_per_response {
        rows.push((
            "operational, market-based".to_owned(),
            0.0,
            g,
            theme::SERIES[1],
        ));
    }
    match (c.embodied_g_per_response, c.embodied_kg_per_month) {
        (Some(g), Some(kg)) => {
            rows.push((
                "embodied".to_owned(),
                location,
                location + g,
                theme::SERIES[2],
            ));
            rows.push((
                "total, location-based".to_owned(),
                0.0,
                location + g,
                theme::MARK,
            ));
            month.push_str(&format!(", {} kg embodied", number(kg)));
        }
        _ => month.push_str("; embodied not given"),
    }
    let rows: Vec<_> = rows
        .into_iter()
        .map(|(name, a, b, colour)| (name, a * RESPONSES, b * RESPONSES, colour))
        .collect();
    bars_svg(
        "Carbon per meaningful response, operational and embodied",
        &format!("g CO2e per 1,000 responses; {month}"),
        &rows,
        None,
        |v| format!(" {} g", number(v)),
    )
}

/// Horizontal bars, top row first, each from its start to its end and
/// labelled with its length by `words`; a P10-to-P90 whisker on one row
/// when given as (row, P10, P90).
fn bars_svg(
    caption: &str,
    x_desc: &str,
    rows: &[(String, f64, f64, RGBColor)],
    whisker: Option<(usize, f64, f64)>,
    words: impl Fn(f64) -> String,
) -> Result<String, ChartError> {
    let (_, x_max) = extent(rows.iter().map(|r| r.2).chain(whisker.map(|w| w.2)));
    let x_range = from_zero(x_max * 1.15)?;
    // At least two rows: a segmented axis of one draws nothing.
    let n = rows.len().max(2) as u32;
    let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let y_label = |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(i) => (n - 1)
            .checked_sub(*i)
            .and_then(|row| names.get(row as usize))
            .cloned()
            .unwrap_or_default(),
        _ => String::new(),
    };
    let x_label = |v: &f64| number(*v);

    render(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .caption(caption, caption_font())
            .x_label_area_size(44)
            .y_label_area_size(180)
            .build_cartesian_2d(x_range, (0u32..n - 1).into_segmented())?;
        themed(&mut chart.configure_mesh())
            .disable_y_mesh()
            .y_labels(rows.len())
            .y_label_formatter(&y_label)
            .x_label_formatter(&x_label)
            .x_desc(x_desc)
            .draw()?;
        for (i, (_, start, end, colour)) in rows.iter().enumerate() {
            let row = n - 1 - i as u32;
            let mut bar = Rectangle::new(
                [
                    (*start, SegmentValue::Exact(row)),
                    (*end, SegmentValue::Exact(row + 1)),
                ],
                colour.filled(),
            );
            bar.set_margin(8, 8, 0, 0);
            chart.draw_series(std::iter::once(bar))?;
            let on_this_row = whisker.filter(|w| w.0 == i);
            let end_at = on_this_row.map_or(*end, |(_, _, p90)| p90.max(*end));
            if let Some((_, p10, p90)) = on_this_row {
                chart.draw_series(std::iter::once(PathElement::new(
                    [
                        (p10, SegmentValue::CenterOf(row)),
                        (p90, SegmentValue::CenterOf(row)),
                    ],
                    theme::AXIS.stroke_width(2),
                )))?;
                for x in [p10, p90] {
                    chart.draw_series(std::iter::once(PathElement::new(
                        [
                            (x, SegmentValue::Exact(row)),
                            (x, SegmentValue::Exact(row + 1)),
                        ],
                        theme::AXIS.stroke_width(2),
                    )))?;
                }
            }
            chart.draw_series(std::iter::once(Text::new(
                words(*end - *start),
                (end_at, SegmentValue::CenterOf(row)),
                label_font().pos(Pos::new(HPos::Left, VPos::Center)),
            )))?;
        }
        Ok(())
    })
}

/// Cumulative cost of renting and of owning the fleet, month by month over
/// the depreciation period (longer if the break-even comes later), with the
/// break-even month marked (in cash; the label adds the month discounted
/// at the cost of capital).
///
/// # Errors
/// Figures that cannot be drawn, or a drawing failure.
pub fn months_svg(evaluated: &Evaluated<'_>) -> Result<String, ChartError> {
    let (deployment, report) = (evaluated.checked.deployment(), &evaluated.report);
    let break_even = report.costs.break_even_month;
    let life = (deployment.pricing.on_prem.depreciation_years * 12.0).ceil();
    let wanted = break_even.map_or(life, |m| life.max((m * 1.3).ceil()));
    let months = (wanted.clamp(12.0, f64::from(MAX_MONTHS))) as u32;
    let sweep = tradeoffs::months_sweep(deployment, months)?;
    // With ranges on the inputs, each line's P10 to P90 as a band.
    let (band, paid_back) = match deployment.ranges {
        Some(_) => uncertainty::months_band(deployment, months)?,
        None => (Vec::new(), None),
    };
    let spread = paid_back.map_or(String::new(), |b| {
        format!(" (P10 to P90: {:.0} to {:.0})", b.p10, b.p90)
    });
    let (_, y_max) = extent(
        sweep
            .iter()
            .flat_map(|m| [m.cloud_usd, m.on_prem_usd])
            .chain(band.iter().flat_map(|b| [b.cloud_p90, b.on_prem_p90])),
    );
    // Drawn in the scenario's currency: each dollar amount over `divisor`.
    let money = Money::of(deployment.pricing.currency.as_ref());
    let (scale, scale_name) = scale_for(money.at(y_max));
    let divisor = scale / money.at(1.0);
    let y_range = from_zero(y_max / divisor)?;
    let y_desc = format!("cumulative cost in cash, {}{scale_name}", money.unit());
    // Where the cloud line crosses the break-even month, read off the sweep.
    let tick = |v: &f64| number(*v);
    let crossing = break_even.and_then(|m| {
        let before = sweep.iter().rev().find(|p| f64::from(p.month) <= m)?;
        let after = sweep.iter().find(|p| f64::from(p.month) >= m)?;
        let span = f64::from(after.month) - f64::from(before.month);
        let t = if span > 0.0 {
            (m - f64::from(before.month)) / span
        } else {
            0.0
        };
        Some((
            m,
            (before.cloud_usd + (after.cloud_usd - before.cloud_usd) * t) / divisor,
        ))
    });

    render(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .caption("Cumulative cost: cloud vs on-prem", caption_font())
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..f64::from(months), y_range.clone())?;
        themed(&mut chart.configure_mesh())
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .x_desc("months")
            .y_desc(y_desc.as_str())
            .draw()?;
        for (series, low, high, words) in [
            (
                0,
                (|b: &MonthBand| b.cloud_p10) as fn(&MonthBand) -> f64,
                (|b: &MonthBand| b.cloud_p90) as fn(&MonthBand) -> f64,
                "cloud, P10 to P90",
            ),
            (
                1,
                |b: &MonthBand| b.on_prem_p10,
                |b: &MonthBand| b.on_prem_p90,
                "on-prem, P10 to P90",
            ),
        ] {
            if band.is_empty() {
                break;
            }
            let outline = band_outline(
                &band,
                |b| (f64::from(b.month), high(b) / divisor),
                |b| (f64::from(b.month), low(b) / divisor),
            );
            chart
                .draw_series(std::iter::once(Polygon::new(
                    outline,
                    band_fill(theme::SERIES[series]),
                )))?
                .label(words)
                .legend(band_key(theme::SERIES[series]));
        }
        chart
            .draw_series(LineSeries::new(
                sweep
                    .iter()
                    .map(|m| (f64::from(m.month), m.cloud_usd / divisor)),
                theme::SERIES[0].stroke_width(3),
            ))?
            .label("cloud rental")
            .legend(line_key(theme::SERIES[0]));
        chart
            .draw_series(LineSeries::new(
                sweep
                    .iter()
                    .map(|m| (f64::from(m.month), m.on_prem_usd / divisor)),
                theme::SERIES[1].stroke_width(3),
            ))?
            .label("on-prem: purchase, then running costs")
            .legend(line_key(theme::SERIES[1]));
        match crossing {
            Some((month, usd)) => {
                chart.draw_series(LineSeries::new(
                    [(month, 0.0), (month, y_range.end)],
                    theme::MARK.stroke_width(1),
                ))?;
                chart
                    .draw_series(std::iter::once(Circle::new(
                        (month, usd),
                        6,
                        theme::MARK.filled(),
                    )))?
                    .label(match report.costs.break_even_month_discounted {
                        Some(d) => format!(
                            "break-even: month {month:.1} in cash{spread}, {d:.1} discounted"
                        ),
                        None => format!("break-even: month {month:.1} in cash{spread}"),
                    })
                    .legend(dot_key(theme::MARK));
            }
            None => {
                chart
                    .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
                    .label(format!("no break-even within {MAX_MONTHS} months"))
                    .legend(dot_key(theme::MARK));
            }
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}

/// Cost per million output tokens, rented and owned, as utilisation goes
/// from 5 % to 100 %, with the deployment's own utilisation marked.
///
/// # Errors
/// Figures that cannot be drawn, or a drawing failure.
pub fn utilisation_svg(evaluated: &Evaluated<'_>) -> Result<String, ChartError> {
    let mut sweep = tradeoffs::utilisation_sweep(evaluated);
    let report = &evaluated.report;
    let money = Money::of(evaluated.checked.deployment().pricing.currency.as_ref());
    for p in &mut sweep {
        p.cloud_usd_per_m_output = money.at(p.cloud_usd_per_m_output);
        p.on_prem_usd_per_m_output = money.at(p.on_prem_usd_per_m_output);
    }
    let here = (
        report.fleet.utilisation * 100.0,
        money.at(report.costs.at_utilisation.usd_per_m_output),
    );
    let (lo, hi) = extent(
        sweep
            .iter()
            .flat_map(|p| [p.cloud_usd_per_m_output, p.on_prem_usd_per_m_output])
            .chain([here.1]),
    );
    let y_range = log_span("the cost per million output tokens", lo, hi)?;
    let (y_bottom, y_top) = (y_range.start, y_range.end);
    let y_label = |v: &f64| number(*v);

    render(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .caption("Cost per million tokens vs utilisation", caption_font())
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..100.0, y_range.log_scale())?;
        themed(&mut chart.configure_mesh())
            .x_label_formatter(&y_label)
            .y_label_formatter(&y_label)
            .x_desc("utilisation, % of capacity")
            .y_desc(format!(
                "{} per million output tokens (log scale)",
                money.unit()
            ))
            .draw()?;
        chart
            .draw_series(LineSeries::new(
                sweep
                    .iter()
                    .map(|p| (p.utilisation * 100.0, p.cloud_usd_per_m_output)),
                theme::SERIES[0].stroke_width(3),
            ))?
            .label("cloud rental")
            .legend(line_key(theme::SERIES[0]));
        chart
            .draw_series(LineSeries::new(
                sweep
                    .iter()
                    .map(|p| (p.utilisation * 100.0, p.on_prem_usd_per_m_output)),
                theme::SERIES[1].stroke_width(3),
            ))?
            .label("on-prem")
            .legend(line_key(theme::SERIES[1]));
        chart.draw_series(LineSeries::new(
            [(here.0, y_bottom), (here.0, y_top)],
            theme::MARK.stroke_width(1),
        ))?;
        chart
            .draw_series(std::iter::once(Circle::new(here, 6, theme::MARK.filled())))?
            .label(format!(
                "this deployment: {} % utilised, {}{}/M",
                number(here.0),
                money.sign(),
                number(here.1)
            ))
            .legend(dot_key(theme::MARK));
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}

/// Tornado: the cost per response with each input 20 % lower and 20 %
/// higher, largest swing on top, around the deployment's own cost.
///
/// # Errors
/// Figures that cannot be drawn, or a drawing failure.
pub fn sensitivity_svg(evaluated: &Evaluated<'_>) -> Result<String, ChartError> {
    let percent = SENSITIVITY_SHARE * 100.0;
    // With ranges on the inputs, each over its own range, ranked by its
    // share of the spread; without, each ±20 %, ranked by its swing.
    let deployment = evaluated.checked.deployment();
    let (rows, caption, lower, higher): (Vec<Bar>, String, String, String) = match deployment.ranges
    {
        Some(_) => (
            uncertainty::swings(deployment)?
                .into_iter()
                .map(|s| Bar {
                    name: format!("{} ({:.0} %)", short(&s.what), s.share_of_variance * 100.0),
                    low_usd: s.low_usd,
                    high_usd: s.high_usd,
                })
                .collect(),
            "Sensitivity of the cost per response (each input over its range; share of the spread)"
                .to_owned(),
            "input at its low (P10)".to_owned(),
            "input at its high (P90)".to_owned(),
        ),
        None => (
            tradeoffs::sensitivity(evaluated, SENSITIVITY_SHARE)
                .into_iter()
                .map(|s| Bar {
                    name: s.name.to_owned(),
                    low_usd: s.low_usd,
                    high_usd: s.high_usd,
                })
                .collect(),
            format!("Sensitivity of the cost per response (inputs ±{percent:.0} %)"),
            format!("input {percent:.0} % lower"),
            format!("input {percent:.0} % higher"),
        ),
    };
    // Per thousand responses, in the scenario's currency.
    let money = Money::of(deployment.pricing.currency.as_ref());
    let per_thousand = money.at(RESPONSES);
    let base = evaluated.report.per_response.cost_per_response_usd * per_thousand;
    let (lo, hi) = extent(
        rows.iter()
            .flat_map(|r| [r.low_usd * per_thousand, r.high_usd * per_thousand])
            .chain([base]),
    );
    let pad = ((hi - lo) * 0.08).max(base * 0.01).max(f64::MIN_POSITIVE);
    let x_range = super::finite(lo - pad)?.max(0.0)..super::finite(hi + pad)?;
    // At least two rows: a segmented axis of one draws nothing.
    let n = rows.len().max(2) as u32;
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    let y_label = |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(i) => (n - 1)
            .checked_sub(*i)
            .and_then(|row| names.get(row as usize))
            .map(|s| (*s).to_owned())
            .unwrap_or_default(),
        _ => String::new(),
    };
    let x_label = |v: &f64| number(*v);

    render(|root| {
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .caption(caption.as_str(), caption_font())
            .x_label_area_size(44)
            .y_label_area_size(150)
            .build_cartesian_2d(x_range, (0u32..n - 1).into_segmented())?;
        themed(&mut chart.configure_mesh())
            .disable_y_mesh()
            .y_labels(rows.len().max(1))
            .y_label_formatter(&y_label)
            .x_label_formatter(&x_label)
            .x_desc(format!(
                "cost per meaningful response, {} per 1,000 responses",
                money.unit()
            ))
            .draw()?;
        let bar = |row: u32, value: f64, colour: RGBColor| {
            let mut bar = Rectangle::new(
                [
                    (base, SegmentValue::Exact(row)),
                    (value, SegmentValue::Exact(row + 1)),
                ],
                colour.filled(),
            );
            bar.set_margin(5, 5, 0, 0);
            bar
        };
        for (i, r) in rows.iter().enumerate() {
            let row = n - 1 - i as u32;
            chart.draw_series([
                bar(row, r.low_usd * per_thousand, theme::SERIES[0]),
                bar(row, r.high_usd * per_thousand, theme::SERIES[1]),
            ])?;
        }
        // Legend entries for the bar colours and the base line.
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, SegmentValue<u32>)>>())?
            .label(lower.as_str())
            .legend(bar_key(theme::SERIES[0]));
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, SegmentValue<u32>)>>())?
            .label(higher.as_str())
            .legend(bar_key(theme::SERIES[1]));
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(base, SegmentValue::Exact(0)), (base, SegmentValue::Last)],
                theme::MARK.stroke_width(2),
            )))?
            .label(format!("this deployment: {}{}", money.sign(), number(base)))
            .legend(line_key(theme::MARK));
        legend(&mut chart, SeriesLabelPosition::LowerRight)
    })
}

/// One bar of the sensitivity chart.
struct Bar {
    name: String,
    low_usd: f64,
    high_usd: f64,
}

/// An input's words short enough for the chart's axis.
fn short(what: &str) -> String {
    let what = what.split(',').next().unwrap_or(what);
    match what.char_indices().nth(28) {
        Some((end, _)) => format!("{}…", &what[..end]),
        None => what.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokenfab_core::deployment::Deployment;

    fn support_chat() -> Deployment {
        serde_json::from_str(include_str!(
            "../../../tests/scenarios/llama-70b-support-chat.json"
        ))
        .unwrap()
    }

    /// Every `fill`/`stroke` colour in `svg`.
    fn colours(svg: &str) -> Vec<String> {
        ["fill=\"#", "stroke=\"#"]
            .iter()
            .flat_map(|attr| {
                svg.match_indices(attr)
                    .map(|(at, m)| svg[at + m.len() - 1..at + m.len() + 6].to_owned())
            })
            .collect()
    }

    #[test]
    fn every_colour_drawn_is_repainted_in_the_dark() {
        let palette: Vec<String> = theme::palette().collect();
        let d = support_chat();
        let evaluated = d.evaluated().unwrap();
        for chart in DeploymentChart::ALL {
            let svg = deployment_svg(chart, &evaluated).unwrap();
            let drawn = colours(&svg);
            assert!(!drawn.is_empty());
            for c in drawn {
                assert!(
                    palette.contains(&c),
                    "{} draws {c} outside the theme",
                    chart.slug()
                );
            }
        }
    }
}
