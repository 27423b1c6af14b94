//! What a search answers: the best candidates with their figures and the
//! deployment to open each in the planner, the Pareto fronts of cost
//! against energy and against speed, and for every class of candidates
//! (an accelerator, a replica size, a precision, a stack, renting or
//! owning) how it fared and why it lost.

use serde::Serialize;

use super::engine::{Progress, Scored, Search};
use super::request::{DRAWN_CANDIDATES, Objective, OfferPrice, RankBy, SearchRequest};
use super::space::{Config, Offer};
use super::tally::{Class, ClassTally, Failure};
use crate::currency::Currency;
use crate::deployment::{Deployment, PricingMode};
use crate::headline::Headline;
use crate::model::Precision;
use crate::stack::Stack;
use crate::uncertainty::{DEFAULT_SAMPLES, DEFAULT_SEED, evaluate_ranges};

/// A search's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SearchOutcome {
    /// The figure ranked by.
    pub objective: Objective,
    /// Which value of it ranked the best, and how it was drawn.
    pub ranking: Ranking,
    /// How much was searched.
    pub size: SearchSize,
    /// The best candidates, best first.
    pub best: Vec<Candidate>,
    /// Candidates no other beats on both cost per response and energy per
    /// response, cheapest first.
    pub pareto_cost_energy: Vec<FrontPoint>,
    /// Candidates no other beats on both cost per response and tokens per
    /// second per user, cheapest first.
    pub pareto_cost_speed: Vec<FrontPoint>,
    /// Every class of candidates and how it fared.
    pub classes: Vec<Verdict>,
    /// Candidates left out, by reason.
    pub left_out: LeftOut,
    /// When nothing is feasible: why, in a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub none_feasible: Option<String>,
}

/// How the best candidates were ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Ranking {
    /// Expected value, unfavourable 90th percentile, or point figure.
    pub rank_by: RankBy,
    /// Candidates whose ranges were drawn: the best by their point figure,
    /// then ranked again by `rank_by` (0 when ranking by the point figure,
    /// or when no draw of theirs could be evaluated).
    pub drawn: usize,
    /// Draws per candidate.
    pub samples: u32,
    /// The seed of the draws, the same for every candidate.
    pub seed: u64,
    /// Ranges of the person's drawn (those on inputs every candidate has).
    pub inputs: usize,
    /// Whether the model's measured error was drawn.
    pub model_error: bool,
    /// Whether the catalogue's spreads were drawn.
    pub catalogue_spread: bool,
}

/// How much was searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SearchSize {
    /// Hardware configurations (part, replica size, precisions, stack).
    pub configurations: usize,
    /// Disaggregated pairings: a decode configuration with a prefill pool.
    pub pairings: usize,
    /// Candidates: configurations at each price of their part.
    pub candidates: usize,
    /// Candidates meeting every target and constraint.
    pub feasible: usize,
    /// Whether every step ran (false for a search stopped early).
    pub complete: bool,
}

/// Candidates left out, by the first check each failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LeftOut {
    /// No price for the part under the ownership searched.
    pub no_price: usize,
    /// Weights and one sequence's cache do not fit.
    pub does_not_fit: usize,
    /// A latency target missed even at one sequence in flight.
    pub latency: usize,
    /// Demand beyond the largest fleet.
    pub demand: usize,
    /// More accelerators than allowed.
    pub max_gpus: usize,
    /// Over the power budget.
    pub power_budget: usize,
    /// Over the carbon limit.
    pub carbon: usize,
}

/// One of the best candidates.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Candidate {
    /// 1 for the best.
    pub rank: usize,
    /// What people read: part, replica size, precisions, stack, price.
    pub label: String,
    /// Catalogue id of the accelerator.
    pub accelerator: String,
    /// Accelerators per replica, or per pipeline stage.
    pub gpus_per_replica: u32,
    /// Pipeline stages (1: none).
    pub pipeline_stages: u32,
    /// Weight precision.
    pub weights: Precision,
    /// KV-cache precision.
    pub kv_cache: Precision,
    /// Serving stack.
    pub stack: Stack,
    /// The price it was costed at (its decode pool's, when disaggregated).
    pub offer: OfferView,
    /// A disaggregated candidate's prefill pool (the part, size and price
    /// above are then its decode pool's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefill_pool: Option<PrefillView>,
    /// The figure ranked by, with every input as given.
    pub objective_value: f64,
    /// That figure's range over the draws, when ranked by the ranges.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<CandidateRange>,
    /// Headline figures.
    pub figures: Headline,
    /// Operational carbon per response, g CO2e.
    pub g_co2_per_response: f64,
    /// Facility power with every accelerator busy, kW.
    pub facility_kw_at_load: f64,
    /// Generated tokens per second each user sees.
    pub tokens_per_s_per_user: f64,
    /// What a precision below the model's published one may cost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality_note: Option<String>,
    /// The candidate as a deployment, to open in the planner or evaluate.
    pub deployment: Deployment,
}

/// The range of a candidate's objective over the draws.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CandidateRange {
    /// The mean over the draws.
    pub expected: f64,
    /// 10th percentile.
    pub p10: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Share of the draws in which the latency targets hold.
    pub latency_targets_hold: f64,
}

/// The prefill pool of a disaggregated candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PrefillView {
    /// Catalogue id of its accelerator.
    pub accelerator: String,
    /// Accelerators per prefill replica.
    pub gpus_per_replica: u32,
    /// The price it was costed at: its part's cheapest of the same kind
    /// (rented or owned) as the decode pool's.
    pub offer: OfferView,
}

/// A price, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OfferView {
    /// Catalogue id, or `custom-N` for the request's own `space.offers[N]`.
    pub id: String,
    /// Provider, offer and region, or the request's label.
    pub label: String,
    /// Rented or owned.
    pub mode: PricingMode,
    /// Rental, dollars per accelerator-hour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usd_per_gpu_hour: Option<f64>,
    /// Purchase of one server with its accelerators, dollars.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capex_usd_per_node: Option<f64>,
    /// When published (empty for a person's own price).
    pub date: String,
    /// Where it comes from (empty for a person's own price).
    pub source: String,
}

/// A point of a Pareto front.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FrontPoint {
    /// What people read.
    pub label: String,
    /// Cost of one meaningful response, dollars.
    pub cost_per_response_usd: f64,
    /// The other figure: Wh per response, or tokens per second per user.
    pub value: f64,
}

/// How one class of candidates fared.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Verdict {
    /// The dimension: `accelerator`, `gpus_per_replica`,
    /// `pipeline_stages`, `weights`, `kv_cache`, `stack`, `ownership` or
    /// `serving` (aggregated or disaggregated; disaggregated candidates,
    /// having two parts and sizes, are in no accelerator, size or
    /// pipeline class).
    pub dimension: &'static str,
    /// The choice, as people read it.
    pub choice: String,
    /// Candidates with that choice.
    pub candidates: usize,
    /// Its best candidate's figure ranked by, when one is feasible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_objective: Option<f64>,
    /// Whether the winner has that choice.
    pub has_winner: bool,
    /// Why it won or lost, with figures.
    pub why: String,
}

/// Builds the outcome of the steps run in `progress`.
pub(super) fn build(search: &Search, progress: Progress, drawing: Drawing) -> SearchOutcome {
    let request = search.request();
    let objective = request.objective;
    let top = request.top as usize;
    let drawing_complete = drawing.ranges.len() == drawing.to_draw;
    let ranked = by_ranges(search, drawing);
    let drawn = ranked.iter().filter(|(_, r)| r.is_some()).count();
    let cheapest_first = by_cost(&progress.feasible);
    let best: Vec<Candidate> = ranked
        .iter()
        .take(top)
        .enumerate()
        .map(|(rank, &(i, range))| {
            let mut c = candidate(search, rank + 1, &progress.feasible[i]);
            c.range = range;
            c
        })
        .collect();
    let winner = ranked.first().map(|&(i, _)| progress.feasible[i]);
    let winner_value = ranked
        .first()
        .and_then(|(_, r)| r.map(|r| ranked_value(request, &r)));
    // Each class's best value over the ranges, among the candidates drawn.
    let sign = if objective.higher_is_better() {
        -1.0
    } else {
        1.0
    };
    let class_value = |class: Class| {
        ranked
            .iter()
            .filter(|(i, _)| in_class(search, class, &progress.feasible[*i]))
            .filter_map(|(_, r)| r.map(|r| ranked_value(request, &r)))
            .min_by(|a, b| (sign * a).total_cmp(&(sign * b)))
    };
    let settings = request.deployment.ranges.clone().unwrap_or_default();
    let mut classes: Vec<Verdict> = progress
        .tallies
        .classes
        .iter()
        // Nothing to say of aggregated serving when nothing else was tried.
        .filter(|(class, _)| {
            !matches!(class, Class::Disaggregated(_)) || !search.plan().splits.is_empty()
        })
        .map(|(class, tally)| {
            let on_ranges = class_value(*class).zip(winner_value);
            verdict(search, *class, tally, winner.as_ref(), on_ranges)
        })
        .collect();
    serving_margin(
        &mut classes,
        objective,
        winner.map(|w| w.objective),
        search.request().deployment.pricing.currency.as_ref(),
    );
    sort_verdicts(&mut classes, objective);
    let l = progress.tallies.left_out;
    let left_out = LeftOut {
        no_price: l[0],
        does_not_fit: l[1],
        latency: l[2],
        demand: l[3],
        max_gpus: l[4],
        power_budget: l[5],
        carbon: l[6],
    };
    let none_feasible = progress
        .feasible
        .is_empty()
        .then(|| why_none(search, &progress, &left_out));
    SearchOutcome {
        objective,
        ranking: Ranking {
            rank_by: request.rank_by,
            drawn,
            samples: if drawn == 0 {
                0
            } else {
                settings.samples.unwrap_or(DEFAULT_SAMPLES)
            },
            seed: settings.seed.unwrap_or(DEFAULT_SEED),
            inputs: search.base_ranges().map_or(0, |r| r.inputs.len()),
            model_error: settings.model_error,
            catalogue_spread: settings.catalogue_spread,
        },
        size: SearchSize {
            configurations: search.plan().configs.len(),
            pairings: search.plan().splits.iter().map(|s| s.prefills.len()).sum(),
            candidates: progress.candidates,
            feasible: progress.feasible.len(),
            complete: progress.done == search.steps() && drawing_complete,
        },
        pareto_cost_energy: front(
            search,
            &progress.feasible,
            &cheapest_first,
            |s| s.figures.wh_per_response,
            false,
        ),
        pareto_cost_speed: front(
            search,
            &progress.feasible,
            &cheapest_first,
            |s| s.tokens_per_s_per_user,
            true,
        ),
        best,
        classes,
        left_out,
        none_feasible,
    }
}

/// Indices of the best `top` of `feasible`, best first; ties go to the
/// cheaper response, then to the candidate searched first, so the order
/// is the same on every run. Only the best are sorted.
fn ranked(feasible: &[Scored], objective: Objective, top: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..feasible.len()).collect();
    let sign = if objective.higher_is_better() {
        -1.0
    } else {
        1.0
    };
    let compare = |&a: &usize, &b: &usize| {
        let (x, y) = (&feasible[a], &feasible[b]);
        (sign * x.objective)
            .total_cmp(&(sign * y.objective))
            .then(
                x.figures
                    .cost_per_response_usd
                    .total_cmp(&y.figures.cost_per_response_usd),
            )
            .then(a.cmp(&b))
    };
    if top < order.len() {
        order.select_nth_unstable_by(top, compare);
        order.truncate(top);
    }
    order.sort_unstable_by(compare);
    order
}

/// The best candidates by their point figure, with the ranges of those
/// the ranking draws, drawn one at a time.
#[derive(Debug, Clone, Default)]
pub struct Drawing {
    /// Indices of feasible candidates, best as given first.
    order: Vec<usize>,
    /// How many of them to draw.
    to_draw: usize,
    /// The ranges drawn so far, in `order`'s order.
    ranges: Vec<Option<CandidateRange>>,
}

impl Drawing {
    /// Candidates drawn so far.
    pub fn drawn(&self) -> usize {
        self.ranges.len()
    }

    /// Candidates to draw in all.
    pub fn to_draw(&self) -> usize {
        self.to_draw
    }
}

/// The candidates `search` ranks, best as given first: `top`, or when
/// ranking by the ranges at least [`DRAWN_CANDIDATES`], whose ranges are
/// to be drawn.
pub(super) fn drawing(search: &Search, feasible: &[Scored]) -> Drawing {
    let request = search.request();
    let top = request.top as usize;
    let to_draw = if request.rank_by == RankBy::Point {
        0
    } else {
        top.max(DRAWN_CANDIDATES)
    };
    let order = ranked(feasible, request.objective, top.max(to_draw));
    Drawing {
        to_draw: to_draw.min(order.len()),
        order,
        ranges: Vec::new(),
    }
}

/// Draws the next candidate of `drawing`; false when none is left.
pub(super) fn draw_next(search: &Search, feasible: &[Scored], drawing: &mut Drawing) -> bool {
    let next = drawing.ranges.len();
    if next >= drawing.to_draw {
        return false;
    }
    let range = candidate_range(search, &feasible[drawing.order[next]]);
    drawing.ranges.push(range);
    true
}

/// The candidates of `drawing` ranked again by the value the request
/// ranks by, those drawn first; ties, and candidates whose ranges could
/// not be drawn (last among the drawn), keep their point order.
fn by_ranges(search: &Search, drawing: Drawing) -> Vec<(usize, Option<CandidateRange>)> {
    let request = search.request();
    let sign = if request.objective.higher_is_better() {
        -1.0
    } else {
        1.0
    };
    let cut = drawing.ranges.len();
    let mut ranked: Vec<(usize, Option<CandidateRange>)> = drawing
        .order
        .into_iter()
        .zip(drawing.ranges.into_iter().chain(std::iter::repeat(None)))
        .collect();
    let key = |range: &Option<CandidateRange>| {
        range.map_or(f64::INFINITY, |r| sign * ranked_value(request, &r))
    };
    ranked[..cut].sort_by(|a, b| key(&a.1).total_cmp(&key(&b.1)));
    ranked
}

/// The value of `range` the request ranks by: the expected value, or the
/// unfavourable end (the P90 of a cost, the P10 of tokens per joule).
fn ranked_value(request: &SearchRequest, range: &CandidateRange) -> f64 {
    match request.rank_by {
        RankBy::P90 if request.objective.higher_is_better() => range.p10,
        RankBy::P90 => range.p90,
        RankBy::Expected | RankBy::Point => range.expected,
    }
}

/// The range of candidate `s`'s objective over the starting deployment's
/// ranges, or none when they cannot be drawn for it.
fn candidate_range(search: &Search, s: &Scored) -> Option<CandidateRange> {
    let objective = search.request().objective;
    let report = evaluate_ranges(&search.deployment_of(s)).ok()?;
    let figure = report
        .figures
        .iter()
        .find(|f| f.figure == objective.range_figure())?;
    (report.evaluated > 0).then_some(CandidateRange {
        expected: figure.expected,
        p10: figure.p10,
        p90: figure.p90,
        latency_targets_hold: report.probabilities.latency_targets_hold,
    })
}

/// Indices of `feasible` by cost per response, then as searched: the
/// order both Pareto fronts walk.
fn by_cost(feasible: &[Scored]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..feasible.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        feasible[a]
            .figures
            .cost_per_response_usd
            .total_cmp(&feasible[b].figures.cost_per_response_usd)
            .then(a.cmp(&b))
    });
    order
}

/// The candidates no other beats on cost per response and on `figure`
/// (higher better when `higher`), cheapest first: walking `by_cost`, each
/// group of equal cost offers its best figure (the first searched among
/// equals), kept when it beats every cheaper one.
fn front(
    search: &Search,
    feasible: &[Scored],
    by_cost: &[usize],
    figure: impl Fn(&Scored) -> f64,
    higher: bool,
) -> Vec<FrontPoint> {
    let sign = if higher { -1.0 } else { 1.0 };
    let mut best = f64::INFINITY;
    let mut points = Vec::new();
    for group in by_cost.chunk_by(|&a, &b| {
        feasible[a].figures.cost_per_response_usd == feasible[b].figures.cost_per_response_usd
    }) {
        let Some(&i) = group.iter().min_by(|&&a, &&b| {
            (sign * figure(&feasible[a])).total_cmp(&(sign * figure(&feasible[b])))
        }) else {
            continue;
        };
        let s = &feasible[i];
        let v = sign * figure(s);
        if v < best {
            best = v;
            points.push(FrontPoint {
                label: label(search, s),
                cost_per_response_usd: s.figures.cost_per_response_usd,
                value: figure(s),
            });
        }
    }
    points
}

/// A feasible candidate in full.
fn candidate(search: &Search, rank: usize, s: &Scored) -> Candidate {
    let plan = search.plan();
    let config = plan.configs[s.config as usize];
    let part = &plan.accelerators[config.accelerator];
    Candidate {
        rank,
        label: label(search, s),
        accelerator: part.entry.id.to_owned(),
        gpus_per_replica: config.gpus_per_replica,
        pipeline_stages: config.pipeline_stages,
        weights: config.weights,
        kv_cache: config.kv_cache,
        stack: config.stack,
        offer: offer_view(&part.offers[s.offer as usize]),
        prefill_pool: s.prefill.map(|(c, offer)| {
            let prefill = plan.configs[c as usize];
            let prefill_part = &plan.accelerators[prefill.accelerator];
            PrefillView {
                accelerator: prefill_part.entry.id.to_owned(),
                gpus_per_replica: prefill.gpus_per_replica,
                offer: offer_view(&prefill_part.offers[offer as usize]),
            }
        }),
        objective_value: s.objective,
        range: None,
        figures: s.figures,
        g_co2_per_response: s.g_co2_per_response,
        facility_kw_at_load: s.facility_kw_at_load,
        tokens_per_s_per_user: s.tokens_per_s_per_user,
        quality_note: quality_note(&config, search.native_precision()),
        deployment: search.deployment_of(s),
    }
}

/// A price as the answer shows it.
fn offer_view(offer: &Offer) -> OfferView {
    let (usd_per_gpu_hour, capex_usd_per_node, mode) = match offer.price {
        OfferPrice::UsdPerGpuHour(v) => (Some(v), None, PricingMode::Cloud),
        OfferPrice::CapexUsdPerNode(v) => (None, Some(v), PricingMode::OnPrem),
    };
    OfferView {
        id: offer.id.clone(),
        label: offer.label.clone(),
        mode,
        usd_per_gpu_hour,
        capex_usd_per_node,
        date: offer.date.to_owned(),
        source: offer.source.to_owned(),
    }
}

/// Part, replica size, precisions, stack and price of a candidate; both
/// pools of a disaggregated one.
fn label(search: &Search, s: &Scored) -> String {
    let plan = search.plan();
    let config = plan.configs[s.config as usize];
    let part = &plan.accelerators[config.accelerator];
    let offer = &part.offers[s.offer as usize];
    let precisions = format!(
        "{} weights, {} KV, {}",
        config.weights.label(),
        config.kv_cache.label(),
        config.stack.label()
    );
    if let Some((c, prefill_offer)) = s.prefill {
        let prefill = plan.configs[c as usize];
        let prefill_part = &plan.accelerators[prefill.accelerator];
        let prices = if prefill.accelerator == config.accelerator {
            offer.label.clone()
        } else {
            format!(
                "decode {}, prefill {}",
                offer.label, prefill_part.offers[prefill_offer as usize].label
            )
        };
        return format!(
            "Prefill {} x{} + decode {} x{}, {precisions}; {prices}",
            prefill_part.entry.name,
            prefill.gpus_per_replica,
            part.entry.name,
            config.gpus_per_replica,
        );
    }
    let stages = if config.pipeline_stages > 1 {
        format!(" in {} pipeline stages", config.pipeline_stages)
    } else {
        String::new()
    };
    format!(
        "{} x{}{stages}, {precisions}; {}",
        part.entry.name, config.gpus_per_replica, offer.label
    )
}

/// What storing below the model's published precision may cost.
fn quality_note(config: &Config, native: Precision) -> Option<String> {
    let mut notes = Vec::new();
    if config.weights.bytes() < native.bytes() {
        notes.push(format!(
            "{} weights are below the model's published {}: quantisation can cost accuracy, so check the quantised model on your own evaluations",
            config.weights.label(),
            native.label()
        ));
    }
    if config.kv_cache.bytes() < Precision::Bf16.bytes() {
        notes.push(format!(
            "a {} KV cache can lose accuracy on long contexts",
            config.kv_cache.label()
        ));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

/// How one class fared, in words and figures; `on_ranges` is its best
/// value over the ranges and the winner's, when both were drawn.
fn verdict(
    search: &Search,
    class: Class,
    tally: &ClassTally,
    winner: Option<&Scored>,
    on_ranges: Option<(f64, f64)>,
) -> Verdict {
    let request = search.request();
    let objective = request.objective;
    let (dimension, choice) = describe(search, class);
    let has_winner = winner.is_some_and(|w| in_class(search, class, w));
    let sign = if objective.higher_is_better() {
        -1.0
    } else {
        1.0
    };
    let currency = request.deployment.pricing.currency.as_ref();
    let figure = |v: f64| objective_figure(objective, v, currency);
    let why = match (tally.best, winner) {
        (Some(_), Some(w)) if has_winner => format!("has the winner: {}", figure(w.objective)),
        // Level with or ahead of the winner as given: what the ranges said.
        (Some((value, _)), Some(w))
            if request.rank_by != RankBy::Point
                && (sign * value <= sign * w.objective || tied(value, w.objective)) =>
        {
            let as_given = if tied(value, w.objective) {
                "level with"
            } else {
                "ahead of"
            };
            match on_ranges {
                Some((mine, theirs)) if sign * mine > sign * theirs && !tied(mine, theirs) => {
                    format!(
                        "{as_given} the winner as given ({} against {}) but behind it on the {} ({} against {})",
                        figure(value),
                        figure(w.objective),
                        request.rank_by.label(),
                        figure(mine),
                        figure(theirs)
                    )
                }
                Some(_) => format!(
                    "ties the winner as given and over the ranges ({})",
                    figure(w.objective)
                ),
                None if tied(value, w.objective) => {
                    format!("ties the winner as given ({})", figure(w.objective))
                }
                None => format!(
                    "ahead of the winner as given ({} against {}); its ranges were not drawn",
                    figure(value),
                    figure(w.objective)
                ),
            }
        }
        (Some((value, _)), Some(w)) => behind(objective, value, w.objective, currency),
        _ => tally
            .closest
            .map_or_else(|| "not searched".to_owned(), |f| failure_words(search, &f)),
    };
    Verdict {
        dimension,
        choice,
        candidates: tally.candidates,
        best_objective: tally.best.map(|(v, _)| v),
        has_winner,
        why,
    }
}

/// Whether two figures are equal but for rounding.
fn tied(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// Says by how much the kind of serving with the winner (aggregated or
/// disaggregated) beats the other kind's best as given, when both had one.
fn serving_margin(
    verdicts: &mut [Verdict],
    objective: Objective,
    winner: Option<f64>,
    currency: Option<&Currency>,
) {
    let serving = |v: &Verdict| v.dimension == "serving";
    let Some((other, other_kind)) = verdicts
        .iter()
        .find(|v| serving(v) && !v.has_winner)
        .and_then(|v| Some((v.best_objective?, kind(&v.choice))))
    else {
        return;
    };
    let Some(winning) = verdicts.iter_mut().find(|v| serving(v) && v.has_winner) else {
        return;
    };
    let Some(best) = winner else {
        return;
    };
    if !(other.is_finite() && other != 0.0) {
        return;
    }
    let (percent, better) = match objective {
        Objective::TokensPerJoule => ((best / other - 1.0) * 100.0, "more tokens per joule"),
        Objective::GCo2PerResponse => ((1.0 - best / other) * 100.0, "less carbon"),
        _ => ((1.0 - best / other) * 100.0, "cheaper"),
    };
    // Behind as given, ahead on the ranges: the other kind's verdict says so.
    if percent < 0.0 {
        return;
    }
    winning.why = format!(
        "{}; {percent:.1} % {better} than the best {other_kind} candidate ({})",
        winning.why,
        objective_figure(objective, other, currency)
    );
}

/// "aggregated" or "disaggregated", from a serving verdict's choice.
fn kind(choice: &str) -> String {
    choice.split(':').next().unwrap_or(choice).to_owned()
}

/// Verdicts by dimension, and within one the winner first, then the
/// feasible by their best figure, then the rest.
fn sort_verdicts(verdicts: &mut [Verdict], objective: Objective) {
    const DIMENSIONS: [&str; 8] = [
        "serving",
        "ownership",
        "accelerator",
        "gpus_per_replica",
        "pipeline_stages",
        "weights",
        "kv_cache",
        "stack",
    ];
    let sign = if objective.higher_is_better() {
        -1.0
    } else {
        1.0
    };
    verdicts.sort_by(|a, b| {
        let dim = |v: &Verdict| DIMENSIONS.iter().position(|d| *d == v.dimension);
        let best = |v: &Verdict| v.best_objective.map_or(f64::INFINITY, |x| sign * x);
        dim(a)
            .cmp(&dim(b))
            .then(b.has_winner.cmp(&a.has_winner))
            .then(best(a).total_cmp(&best(b)))
    });
}

/// Whether candidate `s` belongs to `class`.
fn in_class(search: &Search, class: Class, s: &Scored) -> bool {
    let config = search.plan().configs[s.config as usize];
    // A disaggregated candidate has two parts and sizes, so it is in no
    // class of one.
    let aggregated = s.prefill.is_none();
    match class {
        Class::Accelerator(a) => aggregated && config.accelerator == a,
        Class::GpusPerReplica(n) => aggregated && config.gpus_per_replica == n,
        Class::PipelineStages(n) => aggregated && config.pipeline_stages == n,
        Class::Disaggregated(d) => aggregated != d,
        Class::Weights(p) => config.weights == p,
        Class::KvCache(p) => config.kv_cache == p,
        Class::Stack(st) => config.stack == st,
        Class::Cloud(c) => {
            search.plan().accelerators[config.accelerator].offers[s.offer as usize].is_cloud() == c
        }
    }
}

/// The dimension and the choice of `class`, as people read them.
fn describe(search: &Search, class: Class) -> (&'static str, String) {
    match class {
        Class::Accelerator(a) => (
            "accelerator",
            search.plan().accelerators[a].entry.name.to_owned(),
        ),
        Class::GpusPerReplica(n) => ("gpus_per_replica", format!("{n} per replica")),
        Class::PipelineStages(1) => ("pipeline_stages", "no pipeline".to_owned()),
        Class::PipelineStages(n) => ("pipeline_stages", format!("{n} pipeline stages")),
        Class::Weights(p) => ("weights", format!("{} weights", p.label())),
        Class::KvCache(p) => ("kv_cache", format!("{} KV cache", p.label())),
        Class::Stack(s) => ("stack", s.label().to_owned()),
        Class::Cloud(true) => ("ownership", "rented".to_owned()),
        Class::Cloud(false) => ("ownership", "owned".to_owned()),
        Class::Disaggregated(false) => (
            "serving",
            "aggregated: every replica prefills and generates".to_owned(),
        ),
        Class::Disaggregated(true) => (
            "serving",
            "disaggregated: a prefill pool and a decode pool".to_owned(),
        ),
    }
}

/// A figure of the objective with its unit.
fn objective_figure(objective: Objective, value: f64, currency: Option<&Currency>) -> String {
    objective.show(value, true, currency)
}

/// How far a class's best is behind the winner.
fn behind(objective: Objective, value: f64, winner: f64, currency: Option<&Currency>) -> String {
    // A winner at zero (no carbon on a clean grid, say) has no ratio.
    if winner == 0.0 || !winner.is_finite() {
        return if value == winner {
            format!(
                "ties the winner ({})",
                objective_figure(objective, value, currency)
            )
        } else {
            format!(
                "behind the winner at best ({} against {})",
                objective_figure(objective, value, currency),
                objective_figure(objective, winner, currency)
            )
        };
    }
    let percent = if objective.higher_is_better() {
        (1.0 - value / winner) * 100.0
    } else {
        (value / winner - 1.0) * 100.0
    };
    let worse = match objective {
        Objective::TokensPerJoule => "fewer tokens per joule",
        Objective::GCo2PerResponse => "more carbon",
        _ => "dearer",
    };
    format!(
        "{percent:.1} % {worse} than the winner at best ({} against {})",
        objective_figure(objective, value, currency),
        objective_figure(objective, winner, currency)
    )
}

/// Why a class's closest candidate failed, with its figures.
fn failure_words(search: &Search, failure: &Failure) -> String {
    let u = &search.request().deployment.use_case;
    let c = &search.request().constraints;
    match *failure {
        Failure::NoPrice => {
            "no price for it under the ownership searched; add an offer to search it".to_owned()
        }
        Failure::DoesNotFit { need_gb, usable_gb } => format!(
            "does not fit in memory: at best it needs {need_gb:.0} GB per accelerator with {usable_gb:.0} GB usable"
        ),
        Failure::Latency {
            ttft_ms, tpot_ms, ..
        } => format!(
            "latency targets out of reach: at best TTFT {ttft_ms:.0} ms and TPOT {tpot_ms:.1} ms ({}) against targets of {:.0} and {:.1} ms",
            u.latency_targets_at.label(),
            u.ttft_target_ms,
            u.tpot_target_ms
        ),
        Failure::Demand { replicas } => {
            format!("the demand needs more than {replicas} replicas")
        }
        Failure::Gpus { gpus } => format!(
            "needs at least {gpus} accelerators; at most {} allowed",
            c.max_gpus.unwrap_or(0)
        ),
        Failure::Power { kw } => format!(
            "over the power budget: at least {kw:.1} kW at the facility against {:.1} kW",
            c.power_budget_kw.unwrap_or(0.0)
        ),
        Failure::Carbon { g_co2 } => format!(
            "over the carbon limit: at least {g_co2:.3} g CO2e per response against {:.3} g",
            c.max_g_co2_per_response.unwrap_or(0.0)
        ),
    }
}

/// Why no candidate is feasible: the counts by reason and the closest miss.
fn why_none(search: &Search, progress: &Progress, l: &LeftOut) -> String {
    let closest = progress
        .tallies
        .classes
        .iter()
        .filter_map(|(_, t)| t.closest)
        .reduce(|a, b| if b.closer_than(&a) { b } else { a });
    let counts: Vec<String> = [
        (l.no_price, "have no price"),
        (l.does_not_fit, "do not fit in memory"),
        (l.latency, "miss a latency target"),
        (l.demand, "cannot serve the demand"),
        (l.max_gpus, "need more accelerators than allowed"),
        (l.power_budget, "are over the power budget"),
        (l.carbon, "are over the carbon limit"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, words)| format!("{n} {words}"))
    .collect();
    let closest = closest.map_or(String::new(), |f| {
        format!(" The closest: {}.", failure_words(search, &f))
    });
    format!(
        "No candidate meets every target and constraint. Of {} candidates, {}.{closest}",
        progress.candidates,
        counts.join(", ")
    )
}
