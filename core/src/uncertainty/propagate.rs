//! The ranges carried through the whole evaluation: each draw sets every
//! uncertain input (the person's own between their low and high, the
//! model's speed, prefill and power from its measured error) and evaluates
//! the deployment again, so every figure, the fleet and the latency
//! targets move together as they would.

use serde::Serialize;

use super::draw::{Draws, skewed_ratio, triangular};
use super::inputs::{DEFAULT_SAMPLES, DEFAULT_SEED, MAX_SAMPLES, Ranges};
use super::model_error::{Quantity, spread_for};
use crate::catalogue::{self, Confidence};
use crate::deployment::fields::{self, Field};
use crate::deployment::{
    Checked, Choice, Deployment, DeploymentError, DeploymentReport, Evaluated, Point, Resolved,
};
use crate::economics::HOURS_PER_MONTH;
use crate::latency::Percentile;
use crate::power::PowerFactors;
use crate::stats::percentile;
use crate::tradeoffs;

/// The spread taken for a figure the person measured or fitted: a few
/// percent either way (10th and 90th percentiles), what repeated runs of
/// one benchmark usually differ by. A stated default.
pub const MEASURED_SPREAD: f64 = 0.05;

/// Months by which owning is compared with renting.
pub const OWNING_MONTHS: f64 = 24.0;

/// One headline figure's range.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FigureRange {
    /// The figure, as the report names it.
    pub figure: String,
    /// Its unit.
    pub unit: String,
    /// Its value with every input as given.
    pub point: f64,
    /// The mean over the draws: the expected value.
    pub expected: f64,
    /// 10th percentile over the draws.
    pub p10: f64,
    /// Median over the draws.
    pub p50: f64,
    /// 90th percentile over the draws.
    pub p90: f64,
}

/// How likely the statements people decide on are, over the draws.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Probabilities {
    /// The latency targets hold (at the statistic they name).
    pub latency_targets_hold: f64,
    /// Owning has cost less than renting by month 24 (purchase and running
    /// costs in cash against the rent).
    pub owning_cheaper_by_month_24: f64,
    /// The fleet stays within the power budget with every accelerator
    /// busy, when one is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_power_budget: Option<f64>,
}

/// When owning pays back in cash, over the draws that pay back within ten years.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BreakEven {
    /// 10th percentile, months.
    pub p10: f64,
    /// Median, months.
    pub p50: f64,
    /// 90th percentile, months.
    pub p90: f64,
    /// Share of the draws that pay back within ten years at all.
    pub share_within_ten_years: f64,
}

/// One month of the cumulative costs' band.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MonthBand {
    /// Months from the purchase.
    pub month: u32,
    /// Renting: 10th percentile of the cumulative cost, dollars.
    pub cloud_p10: f64,
    /// Renting: 90th percentile.
    pub cloud_p90: f64,
    /// Owning: 10th percentile of the cumulative cost, dollars.
    pub on_prem_p10: f64,
    /// Owning: 90th percentile.
    pub on_prem_p90: f64,
}

/// One uncertain input and where its spread comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Source {
    /// The input: a JSON path, or `model.speed`, `model.prefill`, `model.power`.
    pub input: String,
    /// What it is, in words.
    pub what: String,
    /// Where its spread comes from.
    pub from: String,
    /// Its 10th percentile, or its low for the person's own range.
    pub low: f64,
    /// The value the point figures use.
    pub expected: f64,
    /// Its 90th percentile, or its high.
    pub high: f64,
}

/// An input's share of the spread of the cost per response.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Contribution {
    /// The input, as in [`Source::input`].
    pub input: String,
    /// Its share of the variance, 0 to 1 (first order: its squared
    /// correlation with the figure over the draws, the shares scaled to
    /// sum to one).
    pub share_of_variance: f64,
}

/// The ranges of a deployment's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RangesReport {
    /// The seed of the draws: the same seed and inputs give the same ranges.
    pub seed: u64,
    /// Draws made.
    pub samples: u32,
    /// Draws whose deployment could be evaluated (a drawn input can make
    /// it impossible: weights that no longer fit, say).
    pub evaluated: u32,
    /// Why the first draw that could not be evaluated could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_failure: Option<String>,
    /// Every headline figure.
    pub figures: Vec<FigureRange>,
    /// The statements people decide on.
    pub probabilities: Probabilities,
    /// When owning pays back in cash, when any draw does within ten years.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub break_even_month: Option<BreakEven>,
    /// The uncertain inputs.
    pub sources: Vec<Source>,
    /// Each input's share of the spread of the cost per response, largest first.
    pub contributions: Vec<Contribution>,
}

/// What one uncertain input is.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// A numeric input of the person's, triangular between low and high.
    Input {
        field: &'static Field,
        low: f64,
        mode: f64,
        high: f64,
    },
    /// A factor on what the model predicts: the truth is the prediction
    /// times it; it is the reciprocal of predicted ÷ measured, whose
    /// percentiles these are.
    Model {
        quantity: Quantity,
        p10: f64,
        p50: f64,
        p90: f64,
    },
    /// A factor on the catalogue accelerator's power limit and idle power,
    /// triangular around 1.
    PartPower { low: f64, high: f64 },
}

/// How far either way a catalogue figure may be, by how much its source is
/// trusted: a vendor's own page, a secondary source, an aggregator or
/// estimate. Stated defaults, not fitted.
pub fn catalogue_spread(confidence: Confidence) -> f64 {
    match confidence {
        Confidence::High => 0.05,
        Confidence::Medium => 0.15,
        Confidence::Low => 0.30,
    }
}

/// The figures the ranges report, with their units; the latency figures
/// at the statistic the targets name (mean or P99).
const FIGURES: [(&str, &str); 13] = [
    ("cost_per_response_usd", "$"),
    ("usd_per_m_input", "$ per million"),
    ("usd_per_m_output", "$ per million"),
    ("tokens_per_usd", "tokens/$"),
    ("tokens_per_joule", "tokens/J"),
    ("wh_per_response", "Wh"),
    ("g_co2_per_response", "g CO2e"),
    ("ttft_ms", "ms"),
    ("tpot_ms", "ms"),
    ("fleet_gpus", "GPUs"),
    ("fleet_usd_per_month", "$ per month"),
    ("facility_kw_at_load", "kW"),
    ("concurrency", "sequences"),
];

/// The figures of `r`, in [`FIGURES`] order.
fn figures(r: &DeploymentReport) -> [f64; 13] {
    let p = &r.performance;
    let (ttft, tpot) = match p.latency_targets_at {
        Percentile::Mean => (p.ttft_ms, p.tpot_ms),
        Percentile::P99 => (p.ttft_p99_ms, p.tpot_p99_ms),
    };
    [
        r.per_response.cost_per_response_usd,
        r.costs.at_utilisation.usd_per_m_input,
        r.costs.at_utilisation.usd_per_m_output,
        r.costs.tokens_per_usd,
        r.energy.tokens_per_joule,
        r.per_response.wh_per_response,
        r.per_response.g_co2_per_response.unwrap_or(0.0),
        ttft,
        tpot,
        f64::from(r.fleet.gpus),
        r.costs.fleet_usd_per_month,
        r.power.facility_kw_at_load,
        p.concurrency,
    ]
}

/// Whether owning has cost less than renting by [`OWNING_MONTHS`].
fn owning_cheaper(r: &DeploymentReport) -> bool {
    let hours = OWNING_MONTHS * HOURS_PER_MONTH;
    let c = &r.costs;
    let rent = c.cloud_usd_per_gpu_hour * f64::from(r.fleet.gpus) * hours;
    let own = c.purchase_usd + c.on_prem_hourly.running_usd_per_hour() * hours;
    own < rent
}

/// The ranges of `d`'s figures, drawn as its `ranges` say (the model's
/// measured error alone when it says nothing).
///
/// # Errors
/// The deployment cannot be evaluated, or a range is not one: an unknown
/// input, a low above the value or a high below it, a bound out of the
/// input's own range, too many draws.
pub fn evaluate_ranges(d: &Deployment) -> Result<RangesReport, DeploymentError> {
    let drawn = draw(d)?;
    let outcomes: Vec<[f64; 13]> = drawn.reports.iter().map(figures).collect();
    let n = outcomes.len();
    let share = |holds: &dyn Fn(&DeploymentReport) -> bool| {
        if n == 0 {
            0.0
        } else {
            drawn.reports.iter().filter(|r| holds(r)).count() as f64 / n as f64
        }
    };
    let point_figures = figures(&drawn.point);
    let ranges = FIGURES
        .iter()
        .enumerate()
        .map(|(i, (figure, unit))| {
            let mut column: Vec<f64> = outcomes.iter().map(|o| o[i]).collect();
            column.sort_by(f64::total_cmp);
            let at = |q| percentile(&column, q).unwrap_or(f64::NAN);
            FigureRange {
                figure: (*figure).to_owned(),
                unit: (*unit).to_owned(),
                point: point_figures[i],
                expected: if n == 0 {
                    f64::NAN
                } else {
                    column.iter().sum::<f64>() / n as f64
                },
                p10: at(0.1),
                p50: at(0.5),
                p90: at(0.9),
            }
        })
        .collect();
    let cost: Vec<f64> = outcomes.iter().map(|o| o[0]).collect();
    let budget = drawn.settings.power_budget_kw;
    Ok(RangesReport {
        seed: drawn.seed,
        samples: drawn.samples,
        evaluated: n as u32,
        first_failure: drawn.first_failure.clone(),
        figures: ranges,
        probabilities: Probabilities {
            latency_targets_hold: share(&|r| r.performance.meets_latency_targets),
            owning_cheaper_by_month_24: share(&owning_cheaper),
            within_power_budget: budget
                .map(|kw| share(&|r: &DeploymentReport| r.power.facility_kw_at_load <= kw)),
        },
        break_even_month: break_even(&drawn.reports),
        sources: drawn
            .uncertain
            .iter()
            .map(|(source, _)| source.clone())
            .collect(),
        contributions: contributions(&drawn.uncertain, &drawn.values, &cost),
    })
}

/// What one uncertain input alone does to the cost per response.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Swing {
    /// The input, as in [`Source::input`].
    pub input: String,
    /// What it is, in words.
    pub what: String,
    /// Cost per response with that input at its low (P10 for the model's
    /// error) and every other as given, dollars.
    pub low_usd: f64,
    /// The same at its high (P90), dollars.
    pub high_usd: f64,
    /// Its share of the variance of the cost per response over the draws.
    pub share_of_variance: f64,
}

/// Each uncertain input of `d` moved alone from its low to its high,
/// largest share of the cost per response's variance first: the
/// sensitivity chart of a deployment with ranges. An input whose low or
/// high makes the deployment invalid is left out.
///
/// # Errors
/// As [`evaluate_ranges`].
pub fn swings(d: &Deployment) -> Result<Vec<Swing>, DeploymentError> {
    let drawn = draw(d)?;
    let cost: Vec<f64> = drawn.reports.iter().map(|r| figures(r)[0]).collect();
    let shares = contributions(&drawn.uncertain, &drawn.values, &cost);
    let uncertain = &drawn.uncertain;
    // Every input at its value as given; one at `at`.
    let as_given: Vec<f64> = uncertain.iter().map(|(s, _)| s.expected).collect();
    let cost_with = |i: usize, at: f64| {
        let mut values = as_given.clone();
        values[i] = at;
        sample(d, &drawn.resolved, &drawn.point, uncertain, &values)
            .ok()
            .map(|r| r.per_response.cost_per_response_usd)
    };
    let share = |input: &str| {
        shares
            .iter()
            .find(|c| c.input == input)
            .map_or(0.0, |c| c.share_of_variance)
    };
    let mut out: Vec<Swing> = uncertain
        .iter()
        .enumerate()
        .filter_map(|(i, (s, _))| {
            Some(Swing {
                input: s.input.clone(),
                what: s.what.clone(),
                low_usd: cost_with(i, s.low)?,
                high_usd: cost_with(i, s.high)?,
                share_of_variance: share(&s.input),
            })
        })
        .collect();
    out.sort_by(|a, b| b.share_of_variance.total_cmp(&a.share_of_variance));
    Ok(out)
}

/// When owning pays back in cash over `reports`, if any does.
fn break_even(reports: &[DeploymentReport]) -> Option<BreakEven> {
    let mut months: Vec<f64> = reports
        .iter()
        .filter_map(|r| r.costs.break_even_month)
        .collect();
    months.sort_by(f64::total_cmp);
    let at = |q| percentile(&months, q).unwrap_or(f64::NAN);
    (!months.is_empty()).then(|| BreakEven {
        p10: at(0.1),
        p50: at(0.5),
        p90: at(0.9),
        share_within_ten_years: months.len() as f64 / reports.len() as f64,
    })
}

/// The cumulative cost in cash of renting and of owning, month by month
/// from 0 to `months`, each as its P10 and P90 over the draws: the band
/// around the months chart's lines; and when owning pays back.
///
/// # Errors
/// As [`evaluate_ranges`].
pub fn months_band(
    d: &Deployment,
    months: u32,
) -> Result<(Vec<MonthBand>, Option<BreakEven>), DeploymentError> {
    let drawn = draw(d)?;
    let band = (0..=months.min(600))
        .map(|m| {
            let hours = f64::from(m) * HOURS_PER_MONTH;
            let (mut rent, mut own): (Vec<f64>, Vec<f64>) = drawn
                .reports
                .iter()
                .map(|r| {
                    let c = &r.costs;
                    (
                        c.cloud_usd_per_gpu_hour * f64::from(r.fleet.gpus) * hours,
                        c.purchase_usd + c.on_prem_hourly.running_usd_per_hour() * hours,
                    )
                })
                .unzip();
            rent.sort_by(f64::total_cmp);
            own.sort_by(f64::total_cmp);
            let at = |v: &[f64], q| percentile(v, q).unwrap_or(f64::NAN);
            MonthBand {
                month: m,
                cloud_p10: at(&rent, 0.1),
                cloud_p90: at(&rent, 0.9),
                on_prem_p10: at(&own, 0.1),
                on_prem_p90: at(&own, 0.9),
            }
        })
        .collect();
    Ok((band, break_even(&drawn.reports)))
}

/// One concurrency of the concurrency curve's band.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConcurrencyBand {
    /// Sequences in flight per replica.
    pub concurrency: f64,
    /// Generated tokens per second per accelerator: 10th percentile.
    pub tokens_per_s_per_gpu_p10: f64,
    /// The same, 90th percentile.
    pub tokens_per_s_per_gpu_p90: f64,
    /// Generated tokens per second each user sees: 10th percentile.
    pub tokens_per_s_per_user_p10: f64,
    /// The same, 90th percentile.
    pub tokens_per_s_per_user_p90: f64,
    /// Dollars per million generated tokens at full load: 10th percentile.
    pub usd_per_m_output_p10: f64,
    /// The same, 90th percentile.
    pub usd_per_m_output_p90: f64,
}

/// The concurrency curve ([`tradeoffs::concurrency_point`]) at each of
/// `concurrencies` over the draws, as each figure's P10 and P90: the band
/// around the concurrency chart's curves; empty when no draw evaluates.
///
/// # Errors
/// As [`evaluate_ranges`].
pub fn concurrency_band(
    d: &Deployment,
    concurrencies: &[f64],
) -> Result<Vec<ConcurrencyBand>, DeploymentError> {
    let drawn = draw(d)?;
    if drawn.reports.is_empty() {
        // No draw could be evaluated: no band to draw.
        return Ok(Vec::new());
    }
    let mut columns: Vec<[Vec<f64>; 3]> = vec![Default::default(); concurrencies.len()];
    for k in 0..drawn.reports.len() {
        let values: Vec<f64> = drawn.values.iter().map(|column| column[k]).collect();
        // A draw that evaluated once evaluates again; one that no longer
        // would is left out as before.
        let _ = sample_with(
            d,
            &drawn.resolved,
            &drawn.point,
            &drawn.uncertain,
            &values,
            |e| {
                for (column, &c) in columns.iter_mut().zip(concurrencies) {
                    let p = tradeoffs::concurrency_point(&e, c);
                    column[0].push(p.tokens_per_s_per_gpu);
                    column[1].push(p.tokens_per_s_per_user);
                    column[2].push(p.usd_per_m_output);
                }
            },
        );
    }
    Ok(columns
        .into_iter()
        .zip(concurrencies)
        .map(|(mut column, &concurrency)| {
            let mut at = |i: usize| {
                let v = &mut column[i];
                v.sort_by(f64::total_cmp);
                (
                    percentile(v, 0.1).unwrap_or(f64::NAN),
                    percentile(v, 0.9).unwrap_or(f64::NAN),
                )
            };
            let (gpu, user, usd) = (at(0), at(1), at(2));
            ConcurrencyBand {
                concurrency,
                tokens_per_s_per_gpu_p10: gpu.0,
                tokens_per_s_per_gpu_p90: gpu.1,
                tokens_per_s_per_user_p10: user.0,
                tokens_per_s_per_user_p90: user.1,
                usd_per_m_output_p10: usd.0,
                usd_per_m_output_p90: usd.1,
            }
        })
        .collect())
}

/// Every draw of a deployment's ranges.
struct Drawn {
    settings: Ranges,
    seed: u64,
    samples: u32,
    resolved: Resolved,
    point: DeploymentReport,
    uncertain: Vec<(Source, Kind)>,
    /// Each input's drawn values, over the draws that evaluated.
    values: Vec<Vec<f64>>,
    /// The reports of the draws that evaluated.
    reports: Vec<DeploymentReport>,
    first_failure: Option<String>,
}

/// Whether `d`'s ranges can be drawn, without drawing them: every range
/// names an input and lies around its value, the draws and the power
/// budget are in bounds.
///
/// # Errors
/// As [`evaluate_ranges`].
pub fn check_ranges(d: &Deployment) -> Result<(), DeploymentError> {
    let settings = d.ranges.clone().unwrap_or_default();
    let checked = d.check()?;
    uncertain_inputs(d, &settings, checked.resolved())?;
    check_settings(&settings)
}

/// The draws and the power budget within bounds.
fn check_settings(settings: &Ranges) -> Result<(), DeploymentError> {
    let samples = settings.samples.unwrap_or(DEFAULT_SAMPLES);
    if samples == 0 || samples > MAX_SAMPLES {
        return Err(range_error(
            "ranges.samples".to_owned(),
            format!("must be from 1 to {MAX_SAMPLES}, got {samples}"),
        ));
    }
    if let Some(kw) = settings.power_budget_kw
        && !(kw.is_finite() && kw > 0.0)
    {
        return Err(range_error(
            "ranges.power_budget_kw".to_owned(),
            format!("must be a positive number of kW, got {kw}"),
        ));
    }
    Ok(())
}

/// Draws `d`'s ranges.
fn draw(d: &Deployment) -> Result<Drawn, DeploymentError> {
    let settings = d.ranges.clone().unwrap_or_default();
    let evaluated = d.evaluated()?;
    let (point, resolved) = (evaluated.report, *evaluated.checked.resolved());
    let uncertain = uncertain_inputs(d, &settings, &resolved)?;
    check_settings(&settings)?;
    let samples = settings.samples.unwrap_or(DEFAULT_SAMPLES);
    let seed = settings.seed.unwrap_or(DEFAULT_SEED);
    let mut draws = Draws::new(seed);
    let mut values: Vec<Vec<f64>> = vec![Vec::with_capacity(samples as usize); uncertain.len()];
    let mut reports = Vec::with_capacity(samples as usize);
    let mut first_failure = None;
    for _ in 0..samples {
        // Every input is drawn whatever happens to the draw, so each draw
        // takes the same numbers from the sequence.
        let drawn: Vec<f64> = uncertain
            .iter()
            .map(|(_, kind)| value_at(kind, draws.uniform()))
            .collect();
        match sample(d, &resolved, &point, &uncertain, &drawn) {
            Ok(report) => {
                for (column, v) in values.iter_mut().zip(&drawn) {
                    column.push(*v);
                }
                reports.push(report);
            }
            Err(e) => {
                first_failure.get_or_insert_with(|| e.to_string());
            }
        }
    }
    Ok(Drawn {
        settings,
        seed,
        samples,
        resolved,
        point,
        uncertain,
        values,
        reports,
        first_failure,
    })
}

/// A range that is not one, naming where.
fn range_error(field: String, why: String) -> DeploymentError {
    DeploymentError::Range { field, why }
}

/// The value of an uncertain input at cumulative probability `u`: the
/// input's own value, or the factor on the model's prediction.
fn value_at(kind: &Kind, u: f64) -> f64 {
    match *kind {
        // A count (servers, accelerators) is drawn as a whole number.
        Kind::Input {
            field,
            low,
            mode,
            high,
        } if field.range.whole => triangular(u, low, mode, high).round(),
        Kind::Input {
            low, mode, high, ..
        } => triangular(u, low, mode, high),
        // The truth is the prediction divided by predicted ÷ measured.
        Kind::Model { p10, p50, p90, .. } => 1.0 / skewed_ratio(1.0 - u, p10, p50, p90),
        Kind::PartPower { low, high } => triangular(u, low, 1.0, high),
    }
}

/// The uncertain inputs of `d` with where their spread comes from.
fn uncertain_inputs(
    d: &Deployment,
    settings: &Ranges,
    resolved: &Resolved,
) -> Result<Vec<(Source, Kind)>, DeploymentError> {
    let mut out: Vec<(Source, Kind)> = Vec::new();
    for (index, range) in settings.inputs.iter().enumerate() {
        let path = &range.input;
        let at = |end: &str| format!("ranges.inputs[{index}].{end}");
        let field = fields::by_path(path).ok_or_else(|| {
            range_error(
                at("input"),
                format!("{path:?} is not a numeric input of the deployment"),
            )
        })?;
        if out.iter().any(|(s, _)| s.input == *path) {
            return Err(range_error(
                at("input"),
                format!("{path} has a range already"),
            ));
        }
        let Some(mode) = field.get(d) else {
            return Err(range_error(
                at("input"),
                format!("{path} has no value to range around; give it one"),
            ));
        };
        for (end, value) in [("low", range.low), ("high", range.high)] {
            field
                .range
                .check(value)
                .map_err(|e| range_error(at(end), e.problem.to_string()))?;
        }
        if range.low > mode {
            return Err(range_error(
                at("low"),
                format!(
                    "must be at most the input's value {mode}, got {}",
                    range.low
                ),
            ));
        }
        if range.high < mode {
            return Err(range_error(
                at("high"),
                format!(
                    "must be at least the input's value {mode}, got {}",
                    range.high
                ),
            ));
        }
        out.push((
            Source {
                input: path.clone(),
                what: field.words.name.to_owned(),
                from: "your range".to_owned(),
                low: range.low,
                expected: mode,
                high: range.high,
            },
            Kind::Input {
                field,
                low: range.low,
                mode,
                high: range.high,
            },
        ));
    }
    if settings.catalogue_spread {
        let given: Vec<String> = out.iter().map(|(s, _)| s.input.clone()).collect();
        out.extend(
            catalogue_sources(d)
                .into_iter()
                .filter(|(s, _)| !given.contains(&s.input)),
        );
    }
    if settings.model_error {
        out.extend(model_sources(d, resolved));
    }
    Ok(out)
}

/// The catalogue's own uncertainty on figures `d` takes from it: the
/// accelerator's power, and the rental rate, server price, electricity
/// price, PUE and grid carbon when they are a catalogue entry's, each
/// spread by its source's confidence ([`catalogue_spread`]) and a server
/// price also over the part's other purchase quotes.
fn catalogue_sources(d: &Deployment) -> Vec<(Source, Kind)> {
    let mut out = Vec::new();
    let described = |p: &catalogue::Provenance| {
        let s = catalogue_spread(p.confidence);
        (
            s,
            format!(
                "the catalogue: {} ({}), {:?} confidence, {:.0} % either way",
                p.source,
                p.date,
                p.confidence,
                s * 100.0
            ),
        )
    };
    if let Choice::Catalogue(id) = &d.hardware.choice
        && let Some(part) = catalogue::accelerator(id)
    {
        let (s, from) = described(&part.provenance);
        out.push((
            Source {
                input: "accelerator.power".to_owned(),
                what: format!(
                    "{}'s power limit and idle power, as a share of the catalogue's",
                    part.name
                ),
                from,
                low: 1.0 - s,
                expected: 1.0,
                high: 1.0 + s,
            },
            Kind::PartPower {
                low: 1.0 - s,
                high: 1.0 + s,
            },
        ));
    }
    let p = &d.pricing;
    let site: [(&'static Field, Option<&catalogue::Provenance>); 3] = [
        (
            &fields::USD_PER_KWH,
            catalogue::ELECTRICITY_PRICES
                .iter()
                .find(|e| e.usd_per_kwh == p.usd_per_kwh)
                .map(|e| &e.provenance),
        ),
        (
            &fields::PUE,
            catalogue::PUE_FIGURES
                .iter()
                .find(|e| e.pue == p.pue)
                .map(|e| &e.provenance),
        ),
        (
            &fields::GRID,
            catalogue::GRID_CARBON
                .iter()
                .find(|e| e.g_co2_per_kwh == p.grid_g_co2_per_kwh)
                .map(|e| &e.provenance),
        ),
    ];
    for (field, provenance) in site {
        let (Some(provenance), Some(mode)) = (provenance, field.get(d)) else {
            continue;
        };
        let (s, from) = described(provenance);
        out.extend(catalogue_input(field, mode, s, None, from));
    }
    if let Choice::Catalogue(id) = &d.hardware.choice {
        out.extend(rental_source(id, p.usd_per_gpu_hour, &described));
        out.extend(purchase_source(d, id, &described));
    }
    out
}

/// A catalogue figure `mode` of `field` spread `s` either way, widened to
/// `span` (the catalogue's lowest and highest for the same thing) when
/// given, within the input's own range (a PUE is never below 1).
fn catalogue_input(
    field: &'static Field,
    mode: f64,
    s: f64,
    span: Option<(f64, f64)>,
    from: String,
) -> Option<(Source, Kind)> {
    let clamp = |v: f64| v.clamp(field.range.min, field.range.max);
    let (mut low, mut high) = (mode * (1.0 - s), mode * (1.0 + s));
    if let Some((lowest, highest)) = span {
        (low, high) = (low.min(lowest), high.max(highest));
    }
    let (low, high) = (clamp(low), clamp(high));
    (low <= mode && mode <= high).then(|| {
        (
            Source {
                input: field.path().to_owned(),
                what: field.words.name.to_owned(),
                from,
                low,
                expected: mode,
                high,
            },
            Kind::Input {
                field,
                low,
                mode,
                high,
            },
        )
    })
}

/// A rental rate equal to a catalogue offer for the part, spread by the
/// best-trusted such offer's confidence. The other offers for the part are
/// other providers and terms, a choice rather than this rate's
/// uncertainty, so they do not widen it (the search compares them).
fn rental_source(
    part: &str,
    rate: f64,
    described: &dyn Fn(&catalogue::Provenance) -> (f64, String),
) -> Option<(Source, Kind)> {
    let offer = catalogue::CLOUD_PRICES
        .iter()
        .filter(|o| o.accelerator_id == part && o.usd_per_gpu_hour == rate)
        .min_by_key(|o| o.provenance.confidence)?;
    let (s, from) = described(&offer.provenance);
    catalogue_input(&fields::USD_PER_GPU_HOUR, rate, s, None, from)
}

/// A server price equal to one the catalogue's purchase quotes for the
/// part give: quotes for the same part estimate one street price, so the
/// range runs over all of them, and at least the chosen quote's confidence
/// either way.
fn purchase_source(
    d: &Deployment,
    part: &str,
    described: &dyn Fn(&catalogue::Provenance) -> (f64, String),
) -> Option<(Source, Kind)> {
    let price = d.pricing.on_prem.capex_usd_per_node;
    let per_node = d.pricing.on_prem.gpus_per_node;
    let quotes: Vec<(f64, &catalogue::HardwarePrice)> = catalogue::HARDWARE_PRICES
        .iter()
        .filter(|q| q.accelerator_id == part)
        .map(|q| (catalogue::server_price(q, per_node), q))
        .collect();
    let (_, chosen) = quotes
        .iter()
        .filter(|(v, _)| (v - price).abs() <= 1e-9 * price.abs())
        .min_by_key(|(_, q)| q.provenance.confidence)?;
    let (s, from) = described(&chosen.provenance);
    let lowest = quotes.iter().map(|(v, _)| *v).fold(f64::INFINITY, f64::min);
    let highest = quotes.iter().map(|(v, _)| *v).fold(0.0, f64::max);
    let from = if quotes.len() > 1 {
        format!(
            "{from}; the catalogue's {} purchase quotes for the part give ${lowest:.0} to ${highest:.0} a server of {per_node}",
            quotes.len()
        )
    } else {
        from
    };
    catalogue_input(&fields::CAPEX, price, s, Some((lowest, highest)), from)
}

/// The model's error on speed, prefill and power for `d`: from the
/// validation table's spread for its stack and class of model, or a few
/// percent for what the person measured or fitted.
fn model_sources(d: &Deployment, resolved: &Resolved) -> Vec<(Source, Kind)> {
    let h = &d.hardware;
    let measured = d.measured.as_ref();
    let moe = resolved.model.moe.is_some();
    let yours = |what: &str| {
        (
            format!("your {what}: {:.0} % either way", MEASURED_SPREAD * 100.0),
            [1.0 - MEASURED_SPREAD, 1.0, 1.0 + MEASURED_SPREAD],
        )
    };
    Quantity::ALL
        .into_iter()
        .filter_map(|quantity| {
            let own = match quantity {
                Quantity::Speed => {
                    if measured.is_some_and(|m| m.output_tokens_per_s.is_some()) {
                        Some(yours("measured throughput"))
                    } else {
                        h.efficiency.map(|_| yours("fitted factors"))
                    }
                }
                Quantity::Prefill => {
                    if measured.is_some_and(|m| m.input_tokens_per_s.is_some()) {
                        Some(yours("measured prefill rate"))
                    } else {
                        h.efficiency.map(|_| yours("fitted factors"))
                    }
                }
                Quantity::Power => {
                    if measured.is_some_and(|m| m.watts.is_some()) {
                        Some(yours("measured power"))
                    } else {
                        h.power.map(|_| yours("fitted power factors"))
                    }
                }
            };
            let (from, [p10, p50, p90]) = match own {
                Some(found) => found,
                None => {
                    let s = spread_for(h.stack, moe, resolved.weights, quantity)?;
                    let fitted = if s.fitted {
                        " (with rows the factors were fitted to, so it understates)"
                    } else {
                        " (out of sample)"
                    };
                    (
                        format!(
                            "{} published measurements of {}{fitted}",
                            s.rows,
                            s.group.describe()
                        ),
                        [s.p10, s.p50, s.p90],
                    )
                }
            };
            let kind = Kind::Model {
                quantity,
                p10,
                p50,
                p90,
            };
            let what = match quantity {
                Quantity::Speed => "generation speed, as a share of the model's",
                Quantity::Prefill => "prefill speed, as a share of the model's",
                Quantity::Power => "accelerator power, as a share of the model's",
            };
            Some((
                Source {
                    input: format!("model.{}", quantity.name()),
                    what: what.to_owned(),
                    from,
                    // The factor's own 10th and 90th percentiles.
                    low: value_at(&kind, 0.1),
                    expected: 1.0,
                    high: value_at(&kind, 0.9),
                },
                kind,
            ))
        })
        .collect()
}

/// One draw: `d` with the drawn `values`, evaluated.
fn sample(
    d: &Deployment,
    resolved: &Resolved,
    point: &DeploymentReport,
    uncertain: &[(Source, Kind)],
    values: &[f64],
) -> Result<DeploymentReport, DeploymentError> {
    sample_with(d, resolved, point, uncertain, values, |e| e.report)
}

/// One draw: `d` with the drawn `values`, evaluated and handed to `then`.
fn sample_with<T>(
    d: &Deployment,
    resolved: &Resolved,
    point: &DeploymentReport,
    uncertain: &[(Source, Kind)],
    values: &[f64],
    then: impl FnOnce(Evaluated<'_>) -> T,
) -> Result<T, DeploymentError> {
    let mut probe = d.clone();
    let factor = |q: Quantity| {
        uncertain
            .iter()
            .zip(values)
            .find_map(|((_, kind), v)| match kind {
                Kind::Model { quantity, .. } if *quantity == q => Some(*v),
                _ => None,
            })
            .unwrap_or(1.0)
    };
    let (speed, prefill, power) = (
        factor(Quantity::Speed),
        factor(Quantity::Prefill),
        factor(Quantity::Power),
    );
    for ((_, kind), v) in uncertain.iter().zip(values) {
        if let Kind::Input { field, mode, .. } = kind {
            field.set(&mut probe, Some(*v))?;
            // A prefill pool is bought or rented in the same market as the
            // deployment's own accelerators: its price moves with theirs.
            if let Some(pool) = probe.hardware.prefill_pool.as_mut()
                && *mode > 0.0
            {
                let k = v / mode;
                let path = field.path();
                if path == fields::USD_PER_GPU_HOUR.path() {
                    pool.usd_per_gpu_hour *= k;
                } else if path == fields::CAPEX.path() {
                    pool.capex_usd_per_node *= k;
                }
            }
        }
    }
    // Measured figures carry their own error; the model's is on its factors.
    if let Some(m) = probe.measured.as_mut() {
        m.output_tokens_per_s = m.output_tokens_per_s.map(|v| v * speed);
        m.input_tokens_per_s = m.input_tokens_per_s.map(|v| v * prefill);
        m.watts = m.watts.map(|v| v * power);
    }
    let measured = d.measured.as_ref();
    let scale_speed = measured.is_none_or(|m| m.output_tokens_per_s.is_none());
    let scale_prefill = measured.is_none_or(|m| m.input_tokens_per_s.is_none());
    let scale_power = measured.is_none_or(|m| m.watts.is_none());
    // Board power is idle plus a share of the rest by activity: scale the
    // activity weights so the accelerators draw `power` times the model's
    // figure at the deployment's point.
    let g = if scale_power {
        activity_scale(
            point.power.watts_per_gpu_at_load,
            resolved.accelerator.idle_w,
            power,
        )
    } else {
        1.0
    };
    let h = &probe.hardware;
    let factors = h.power.unwrap_or_else(|| h.stack.power());
    if g != 1.0 {
        probe.hardware.power = Some(PowerFactors {
            compute_weight: factors.compute_weight * g,
            memory_weight: factors.memory_weight * g,
        });
    }
    let checked = probe.check()?;
    let mut r = *checked.resolved();
    let (s, p) = (
        if scale_speed { speed } else { 1.0 },
        if scale_prefill { prefill } else { 1.0 },
    );
    r.efficiency = r.efficiency.sped_up(s, p);
    for ((_, kind), v) in uncertain.iter().zip(values) {
        if let Kind::PartPower { .. } = kind {
            r.accelerator.tdp_w *= v;
            r.accelerator.idle_w *= v;
        }
    }
    if let Some(pool) = r.prefill.as_mut() {
        pool.efficiency = pool.efficiency.sped_up(s, p);
        pool.power = PowerFactors {
            compute_weight: pool.power.compute_weight * g,
            memory_weight: pool.power.memory_weight * g,
        };
    }
    let checked = Checked::assume(&probe, r);
    let report = checked.report_at(&Point::find(&checked)?);
    Ok(then(Evaluated { checked, report }))
}

/// The activity weights' scale that makes an accelerator drawing `watts`
/// (with `idle` of it idle) draw `factor` times as much.
fn activity_scale(watts: f64, idle: f64, factor: f64) -> f64 {
    if watts - idle <= 1e-9 {
        return 1.0;
    }
    ((watts * factor - idle) / (watts - idle)).max(0.0)
}

/// Each input's first-order share of the spread of `figure` over the draws.
fn contributions(
    uncertain: &[(Source, Kind)],
    drawn: &[Vec<f64>],
    figure: &[f64],
) -> Vec<Contribution> {
    let squared: Vec<f64> = drawn
        .iter()
        .map(|x| correlation(x, figure).powi(2))
        .collect();
    let total: f64 = squared.iter().sum();
    if total.is_nan() || total <= 0.0 {
        return Vec::new();
    }
    let mut out: Vec<Contribution> = uncertain
        .iter()
        .zip(squared)
        .map(|((source, _), r2)| Contribution {
            input: source.input.clone(),
            share_of_variance: r2 / total,
        })
        .collect();
    out.sort_by(|a, b| b.share_of_variance.total_cmp(&a.share_of_variance));
    out
}

/// Pearson correlation of `x` and `y` (0 when either does not vary).
fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len()) as f64;
    if n < 2.0 {
        return 0.0;
    }
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}
