//! A search's Pareto fronts: every feasible candidate as a faint dot, the
//! candidates nothing beats on both figures joined in a line, the winner
//! marked. Cost runs on a log axis: candidates span tenfold and more.

use plotters::prelude::*;
use tokenfab_core::search::{Search, SearchOutcome};

use super::{
    ChartError, Money, caption_font, dot_key, extent, legend, line_key, log_span, number, render,
    theme, themed,
};

/// Most candidates drawn as dots around the front.
const MAX_DOTS: usize = 1_200;

/// The fronts, by the name used in their URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchChart {
    /// Cost per response against energy per response.
    Energy,
    /// Cost per response against tokens per second per user.
    Speed,
}

impl SearchChart {
    /// The chart named `slug` (as in the search page's image URLs), if any.
    pub fn from_slug(slug: &str) -> Option<Self> {
        match slug {
            "pareto-energy" => Some(SearchChart::Energy),
            "pareto-speed" => Some(SearchChart::Speed),
            _ => None,
        }
    }

    /// Runs `search` and draws this front as SVG text.
    ///
    /// # Errors
    /// No feasible candidate, or a drawing failure.
    pub fn render(self, search: &Search) -> Result<String, ChartError> {
        let progress = search.run_steps();
        // Every n-th candidate, so a large search stays a light image.
        let feasible = progress.feasible_points().count();
        let every = feasible.div_ceil(MAX_DOTS).max(1);
        // Costs per thousand responses, in the planner's currency.
        let money = Money::of(search.request().deployment.pricing.currency.as_ref());
        let per_thousand = money.at(1e3);
        let cloud: Vec<(f64, f64)> = progress
            .feasible_points()
            .step_by(every)
            .map(|(cost, wh, speed)| (cost * per_thousand, self.figure(wh, speed)))
            .collect();
        let outcome = search.finish(progress);
        if cloud.is_empty() {
            return Err(ChartError::Unplottable(
                outcome
                    .none_feasible
                    .unwrap_or_else(|| "no feasible candidate".to_owned()),
            ));
        }
        self.draw(&cloud, feasible, every, &outcome, &money)
    }

    fn figure(self, wh: f64, speed: f64) -> f64 {
        match self {
            SearchChart::Energy => wh,
            SearchChart::Speed => speed,
        }
    }

    fn draw(
        self,
        cloud: &[(f64, f64)],
        feasible: usize,
        every: usize,
        outcome: &SearchOutcome,
        money: &Money,
    ) -> Result<String, ChartError> {
        let per_thousand = money.at(1e3);
        let front: Vec<(f64, f64)> = match self {
            SearchChart::Energy => &outcome.pareto_cost_energy,
            SearchChart::Speed => &outcome.pareto_cost_speed,
        }
        .iter()
        .map(|p| (p.cost_per_response_usd * per_thousand, p.value))
        .collect();
        let winner = outcome.best.first().map(|w| {
            (
                w.figures.cost_per_response_usd * per_thousand,
                self.figure(w.figures.wh_per_response, w.tokens_per_s_per_user),
            )
        });
        let (x_lo, x_hi) = extent(cloud.iter().map(|p| p.0));
        let (y_lo, y_hi) = extent(cloud.iter().map(|p| p.1));
        let x_range = log_span("the cost per response", x_lo, x_hi)?;
        let y_range = log_span("the figure against cost", y_lo, y_hi)?;
        let (caption, y_desc, position) = match self {
            SearchChart::Energy => (
                "Cost against energy per response",
                "Wh per response (log scale)",
                SeriesLabelPosition::UpperLeft,
            ),
            SearchChart::Speed => (
                "Cost against speed per user",
                "output tokens/s per user (log scale)",
                SeriesLabelPosition::LowerRight,
            ),
        };
        let tick = |v: &f64| number(*v);
        render(|root| {
            let mut chart = ChartBuilder::on(root)
                .margin(16)
                .caption(caption, caption_font())
                .x_label_area_size(44)
                .y_label_area_size(64)
                .build_cartesian_2d(x_range.log_scale(), y_range.log_scale())?;
            themed(&mut chart.configure_mesh())
                .x_label_formatter(&tick)
                .y_label_formatter(&tick)
                .x_desc(format!("{} per 1,000 responses (log scale)", money.unit()))
                .y_desc(y_desc)
                .draw()?;
            chart
                .draw_series(
                    cloud
                        .iter()
                        .map(|&p| Circle::new(p, 2, theme::AXIS.mix(0.35).filled())),
                )?
                .label(format!(
                    "{} feasible candidates{}",
                    feasible,
                    if every > 1 {
                        format!(", 1 in {every} drawn")
                    } else {
                        String::new()
                    }
                ))
                .legend(dot_key(theme::AXIS));
            chart
                .draw_series(LineSeries::new(
                    front.iter().copied(),
                    theme::SERIES[0].stroke_width(2),
                ))?
                .label(format!("Pareto front ({} candidates)", front.len()))
                .legend(line_key(theme::SERIES[0]));
            chart.draw_series(
                front
                    .iter()
                    .map(|&p| Circle::new(p, 4, theme::SERIES[0].filled())),
            )?;
            if let Some(w) = winner {
                chart
                    .draw_series([Circle::new(w, 7, theme::MARK.stroke_width(3))])?
                    .label("the winner")
                    .legend(dot_key(theme::MARK));
            }
            legend(&mut chart, position)
        })
    }
}
