//! The search itself: each configuration's operating point found once,
//! its feasibility checked once (latency, demand, fleet size, power and
//! carbon do not depend on the price), then every price of its part costed.
//! Disaggregated candidates follow: each configuration without a pipeline
//! as a decode pool, found once, with every prefill pool paired with it.
//! Work is cut into steps of one configuration so a page can run a search
//! in slices, show progress and stop it.

use super::error::SearchError;
use super::outcome::{self, Drawing, SearchOutcome};
use super::request::{
    Constraints, DRAWN_CANDIDATES, MAX_RANKING_DRAWS, MAX_TOP, Objective, OfferPrice, RankBy,
    SearchRequest,
};
use super::space::{Config, Offer, PairPrice, Plan, Split};
use super::tally::{Class, Failure, Tallies, config_classes, split_classes};
use crate::deployment::fields;
use crate::deployment::{
    Checked, Choice, Deployment, DeploymentError, DeploymentReport, Operating, Point,
    PrefillOperating, PrefillPoolInput, PricingMode, Resolved, ResolvedPrefill,
};
use crate::headline::Headline;
use crate::latency::Percentile;
use crate::model::{ModelSpec, Precision};
use crate::perf::RequestShape;
use crate::uncertainty::{DEFAULT_SAMPLES, InputRange, check_ranges};

/// A search laid out and ready to run.
#[derive(Debug, Clone)]
pub struct Search {
    request: SearchRequest,
    base: Deployment,
    model: ModelSpec,
    native: Precision,
    plan: Plan,
}

/// A feasible candidate's figures: enough to rank it, draw it and build
/// it again.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    /// Index into the plan's configurations.
    pub config: u32,
    /// Index into its part's offers.
    pub offer: u32,
    /// A disaggregated candidate's prefill pool: its configuration's index
    /// and the index of its price among its part's offers.
    pub prefill: Option<(u32, u32)>,
    /// The figure ranked by.
    pub objective: f64,
    /// Headline figures.
    pub figures: Headline,
    /// Operational carbon per response, g CO2e.
    pub g_co2_per_response: f64,
    /// Facility power with every accelerator busy, kW.
    pub facility_kw_at_load: f64,
    /// Generated tokens per second each user sees.
    pub tokens_per_s_per_user: f64,
}

/// What the steps run so far have found.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub(crate) done: usize,
    pub(crate) candidates: usize,
    pub(crate) feasible: Vec<Scored>,
    pub(crate) tallies: Tallies,
    /// Each configuration as a prefill pool, found when first paired.
    prefills: Vec<Option<Result<PrefillOperating, Failure>>>,
}

impl Progress {
    /// Keeps a feasible candidate; a figure that overflowed ranks nowhere.
    fn keep(&mut self, scored: Scored) {
        if scored.objective.is_finite() {
            self.feasible.push(scored);
        }
    }

    /// Candidates evaluated so far.
    pub fn candidates(&self) -> usize {
        self.candidates
    }

    /// Every feasible candidate found so far as (cost per response in
    /// dollars, Wh per response, tokens per second per user), for a chart
    /// of the whole cloud of candidates around the fronts.
    pub fn feasible_points(&self) -> impl Iterator<Item = (f64, f64, f64)> + '_ {
        self.feasible.iter().map(|s| {
            (
                s.figures.cost_per_response_usd,
                s.figures.wh_per_response,
                s.tokens_per_s_per_user,
            )
        })
    }
}

impl Search {
    /// Checks the request and lays out the space.
    ///
    /// # Errors
    /// The starting deployment invalid, an empty list, an unknown
    /// accelerator, a replica larger than a node, a bad price or constraint.
    pub fn new(request: &SearchRequest) -> Result<Self, SearchError> {
        let mut base = request.deployment.clone();
        base.hardware.replicas = None;
        base.hardware.efficiency = None;
        base.hardware.power = None;
        base.measured = None;
        // A prefill pool is the candidate's to have, not the base's.
        base.hardware.prefill_pool = None;
        base.pricing.on_prem.gpus_per_node = base.hardware.gpus_per_node;
        // The person's ranges checked as given, so a problem is named at
        // its own index; then those on what the search does not carry over
        // (measurements, factors) go with it. The rest keep their values,
        // so they stay good.
        if request.deployment.ranges.is_some() {
            check_ranges(&request.deployment).map_err(SearchError::Deployment)?;
        }
        if let Some(ranges) = base.ranges.as_ref() {
            let kept: Vec<InputRange> = ranges
                .inputs
                .iter()
                .filter(|r| {
                    fields::by_path(&r.input).is_some_and(|f| {
                        f.get(&base).is_some() && f.get(&base) == f.get(&request.deployment)
                    })
                })
                .cloned()
                .collect();
            if let Some(ranges) = base.ranges.as_mut() {
                ranges.inputs = kept;
            }
        }
        let checked = base.check().map_err(SearchError::Deployment)?;
        let (model, native) = (checked.resolved().model, native_precision(&base));
        check_constraints(&request.constraints)?;
        if request.top == 0 || request.top > MAX_TOP {
            return Err(SearchError::Top { value: request.top });
        }
        if request.rank_by != RankBy::Point {
            let samples = base
                .ranges
                .as_ref()
                .and_then(|r| r.samples)
                .unwrap_or(DEFAULT_SAMPLES);
            let candidates = (request.top as usize).max(DRAWN_CANDIDATES);
            if samples as usize * candidates > MAX_RANKING_DRAWS {
                return Err(SearchError::RankingDraws {
                    samples,
                    candidates,
                });
            }
        }
        let plan = Plan::new(&request.space, native, base.hardware.gpus_per_node)?;
        Ok(Search {
            request: request.clone(),
            base,
            model,
            native,
            plan,
        })
    }

    /// Runs every step.
    pub fn run(&self) -> SearchOutcome {
        self.finish(self.run_steps())
    }

    /// Runs every step and keeps what they found, for a caller that needs
    /// more than the outcome (a chart of every feasible candidate).
    pub fn run_steps(&self) -> Progress {
        let mut progress = Progress::default();
        for i in 0..self.steps() {
            self.step(i, &mut progress);
        }
        progress
    }

    /// Steps in the whole search: one per configuration, then one per
    /// configuration as the decode pool of disaggregated candidates.
    pub fn steps(&self) -> usize {
        self.plan.configs.len() + self.plan.splits.len()
    }

    /// Candidates in the whole search.
    pub fn candidates(&self) -> usize {
        self.plan.candidates()
    }

    /// The request, as given.
    pub fn request(&self) -> &SearchRequest {
        &self.request
    }

    /// The space laid out.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Runs step `index`: one configuration at every price of its part, or
    /// one decode configuration with every prefill pool paired with it.
    pub fn step(&self, index: usize, progress: &mut Progress) {
        match index.checked_sub(self.plan.configs.len()) {
            None => self.aggregated_step(index, progress),
            Some(split) => {
                if let Some(split) = self.plan.splits.get(split) {
                    self.split_step(split, progress);
                }
            }
        }
    }

    /// One configuration at every price of its part.
    fn aggregated_step(&self, index: usize, progress: &mut Progress) {
        let Some(&config) = self.plan.configs.get(index) else {
            return;
        };
        progress.done += 1;
        let classes = config_classes(&config);
        let offers = &self.plan.accelerators[config.accelerator].offers;
        progress.candidates += offers.len().max(1);
        let cloud: Vec<bool> = offers.iter().map(Offer::is_cloud).collect();
        let Some(first) = offers.first() else {
            progress.tallies.fail(&classes, Failure::NoPrice, &cloud);
            return;
        };
        let mut probe = self.base.clone();
        let resolved = self.resolved(&config);
        set_config(&mut probe, &config);
        let operating = match Point::find(&Checked::assume(&probe, resolved)) {
            Ok(o) => o,
            Err(e) => {
                progress.tallies.fail(&classes, fit_failure(e), &cloud);
                return;
            }
        };
        set_offer(&mut probe, first);
        let report = Checked::assume(&probe, resolved).report_at(&operating);
        if let Some(failure) = self.infeasible(&report) {
            progress.tallies.fail(&classes, failure, &cloud);
            return;
        }
        let start = progress.feasible.len();
        for (i, offer) in offers.iter().enumerate() {
            let report = if i == 0 {
                report
            } else {
                set_offer(&mut probe, offer);
                Checked::assume(&probe, resolved).report_at(&operating)
            };
            progress.keep(self.score((index as u32, i as u32, None), &report));
        }
        self.settle(progress, &classes, start, |s| cloud[s.offer as usize]);
    }

    /// One decode configuration paired with each of its prefill pools,
    /// both pools at their parts' cheapest offers, rented and owned.
    fn split_step(&self, split: &Split, progress: &mut Progress) {
        progress.done += 1;
        let decode_config = self.plan.configs[split.decode as usize];
        let classes = split_classes(&decode_config);
        let pairs: Vec<(u32, Vec<PairPrice>)> = split
            .prefills
            .iter()
            .map(|&p| (p, self.plan.pair_classes(split.decode, p)))
            .collect();
        let fail_all = |progress: &mut Progress, failure: Failure| {
            for (_, ways) in &pairs {
                let cloud: Vec<bool> = ways.iter().map(|w| w.cloud).collect();
                progress.candidates += cloud.len().max(1);
                progress.tallies.fail(&classes, failure, &cloud);
            }
        };
        let mut probe = self.base.clone();
        set_config(&mut probe, &decode_config);
        let decode_resolved = self.resolved(&decode_config);
        let decode = match Operating::find_decode(&Checked::assume(&probe, decode_resolved)) {
            Ok(o) => o,
            Err(e) => return fail_all(progress, fit_failure(e)),
        };
        let start = progress.feasible.len();
        for (prefill_index, ways) in &pairs {
            let cloud: Vec<bool> = ways.iter().map(|w| w.cloud).collect();
            progress.candidates += cloud.len().max(1);
            if ways.is_empty() {
                progress.tallies.fail(&classes, Failure::NoPrice, &cloud);
                continue;
            }
            let prefill_config = self.plan.configs[*prefill_index as usize];
            let resolved = Resolved {
                prefill: Some(self.prefill_pool(&prefill_config)),
                ..decode_resolved
            };
            probe.hardware.prefill_pool = Some(self.prefill_prices(&prefill_config));
            let prefill = match self.prefill_operating(*prefill_index, &probe, resolved, progress) {
                Ok(p) => p,
                Err(failure) => {
                    progress.tallies.fail(&classes, failure, &cloud);
                    continue;
                }
            };
            let point = Point::Disaggregated { decode, prefill };
            for &PairPrice {
                cloud: is_cloud,
                decode_offer,
                prefill_offer,
            } in ways
            {
                let decode_part = &self.plan.accelerators[decode_config.accelerator];
                set_offer(&mut probe, &decode_part.offers[decode_offer]);
                let prefill_part = &self.plan.accelerators[prefill_config.accelerator];
                if let Some(pool) = probe.hardware.prefill_pool.as_mut() {
                    set_pool_offer(pool, &prefill_part.offers[prefill_offer]);
                }
                let report = Checked::assume(&probe, resolved).report_at(&point);
                if let Some(failure) = self.infeasible(&report) {
                    progress.tallies.fail(&classes, failure, &[is_cloud]);
                    continue;
                }
                let at = (
                    split.decode,
                    decode_offer as u32,
                    Some((*prefill_index, prefill_offer as u32)),
                );
                progress.keep(self.score(at, &report));
            }
        }
        let offers = &self.plan.accelerators[decode_config.accelerator].offers;
        self.settle(progress, &classes, start, |s| {
            offers[s.offer as usize].is_cloud()
        });
    }

    /// A feasible candidate's figures, ranked by the request's objective.
    fn score(&self, at: (u32, u32, Option<(u32, u32)>), report: &DeploymentReport) -> Scored {
        score(at, report, self.request.objective)
    }

    /// Tallies a step's feasible candidates, from index `start` on;
    /// `cloud` says whether one rents.
    fn settle(
        &self,
        progress: &mut Progress,
        classes: &[Class],
        start: usize,
        cloud: impl Fn(&Scored) -> bool,
    ) {
        progress.tallies.succeed(
            classes,
            &progress.feasible[start..],
            start,
            cloud,
            self.request.objective,
        );
    }

    /// Configuration `index` as a prefill pool, found once per search.
    fn prefill_operating(
        &self,
        index: u32,
        probe: &Deployment,
        resolved: Resolved,
        progress: &mut Progress,
    ) -> Result<PrefillOperating, Failure> {
        let i = index as usize;
        if progress.prefills.len() <= i {
            progress.prefills.resize(self.plan.configs.len(), None);
        }
        *progress.prefills[i].get_or_insert_with(|| {
            PrefillOperating::find(&Checked::assume(probe, resolved)).map_err(fit_failure)
        })
    }

    /// Configuration `config` as a prefill pool, for the performance model.
    fn prefill_pool(&self, config: &Config) -> ResolvedPrefill {
        let part = self.plan.accelerators[config.accelerator].entry;
        ResolvedPrefill {
            accelerator: part.spec,
            tensor_parallel: config.gpus_per_replica,
            efficiency: config.stack.efficiency_on(Some(part.vendor)),
            power: config.stack.power(),
        }
    }

    /// The prefill pool of `config` as a deployment carries it: its part,
    /// its size and its part's cheapest prices (the deployment's own where
    /// the part has none of a kind), so the planner can switch between
    /// renting and owning.
    fn prefill_prices(&self, config: &Config) -> PrefillPoolInput {
        let part = &self.plan.accelerators[config.accelerator];
        let mut pool = PrefillPoolInput {
            catalogue: part.entry.id.to_owned(),
            gpus_per_replica: config.gpus_per_replica,
            usd_per_gpu_hour: self.base.pricing.usd_per_gpu_hour,
            capex_usd_per_node: self.base.pricing.on_prem.capex_usd_per_node,
        };
        for cloud in [false, true] {
            if let Some(i) = part.cheapest(cloud) {
                set_pool_offer(&mut pool, &part.offers[i]);
            }
        }
        pool
    }

    /// The ranges every candidate is drawn with: the starting deployment's,
    /// less those on what the search does not carry over.
    pub(crate) fn base_ranges(&self) -> Option<&crate::uncertainty::Ranges> {
        self.base.ranges.as_ref()
    }

    /// The outcome of the steps run, with every range the ranking needs
    /// drawn.
    pub fn finish(&self, progress: Progress) -> SearchOutcome {
        let mut drawing = self.drawing(&progress);
        while self.draw_next(&progress, &mut drawing) {}
        self.finish_drawn(progress, drawing)
    }

    /// The candidates whose ranges the ranking draws, none drawn yet: for
    /// a page that draws them a few at a time.
    pub fn drawing(&self, progress: &Progress) -> Drawing {
        outcome::drawing(self, &progress.feasible)
    }

    /// Draws the next candidate's ranges; false when all are drawn.
    pub fn draw_next(&self, progress: &Progress, drawing: &mut Drawing) -> bool {
        outcome::draw_next(self, &progress.feasible, drawing)
    }

    /// The outcome of the steps run, ranked with the ranges drawn so far
    /// (a candidate not drawn ranks after those drawn, by its point figure).
    pub fn finish_drawn(&self, progress: Progress, drawing: Drawing) -> SearchOutcome {
        outcome::build(self, progress, drawing)
    }

    /// The model's published precision.
    pub fn native_precision(&self) -> Precision {
        self.native
    }

    /// The figures of configuration `config` for the performance model.
    fn resolved(&self, config: &Config) -> Resolved {
        let part = self.plan.accelerators[config.accelerator].entry;
        let u = &self.base.use_case;
        Resolved {
            model: self.model,
            weights: config.weights,
            kv_cache: config.kv_cache,
            accelerator: part.spec,
            tensor_parallel: config.gpus_per_replica,
            pipeline_stages: config.pipeline_stages,
            efficiency: config.stack.efficiency_on(Some(part.vendor)),
            shape: RequestShape {
                input_tokens: u.input_tokens,
                output_tokens: u.output_tokens + u.reasoning_tokens,
                prefix_cache_hit_rate: u.prefix_cache_hit_rate,
            },
            prefill: None,
        }
    }

    /// Why a configuration's report breaks a target or constraint, if it does.
    fn infeasible(&self, report: &DeploymentReport) -> Option<Failure> {
        let (p, u) = (&report.performance, &self.base.use_case);
        if !p.meets_latency_targets {
            let (ttft, tpot) = match u.latency_targets_at {
                Percentile::Mean => (p.ttft_ms, p.tpot_ms),
                Percentile::P99 => (p.ttft_p99_ms, p.tpot_p99_ms),
            };
            return Some(Failure::Latency {
                ttft_ms: ttft,
                tpot_ms: tpot,
                excess: (ttft / u.ttft_target_ms).max(tpot / u.tpot_target_ms),
            });
        }
        let fleet = &report.fleet;
        if fleet.capacity_requests_per_s < fleet.peak_requests_per_s {
            return Some(Failure::Demand {
                replicas: fleet.replicas,
            });
        }
        let c = &self.request.constraints;
        if let Some(max) = c.max_gpus
            && fleet.gpus > max
        {
            return Some(Failure::Gpus { gpus: fleet.gpus });
        }
        let kw = report.power.facility_kw_at_load;
        if let Some(budget) = c.power_budget_kw
            && kw > budget
        {
            return Some(Failure::Power { kw });
        }
        let g = report.per_response.g_co2_per_response.unwrap_or(0.0);
        if let Some(max) = c.max_g_co2_per_response
            && g > max
        {
            return Some(Failure::Carbon { g_co2: g });
        }
        None
    }

    /// Candidate `scored` as a deployment to open in the planner.
    pub(crate) fn deployment_of(&self, scored: &Scored) -> Deployment {
        let config = self.plan.configs[scored.config as usize];
        let part = &self.plan.accelerators[config.accelerator];
        let mut d = self.base.clone();
        set_config(&mut d, &config);
        d.hardware.choice = Choice::Catalogue(part.entry.id.to_owned());
        set_offer(&mut d, &part.offers[scored.offer as usize]);
        if let Some((prefill, offer)) = scored.prefill {
            let prefill = self.plan.configs[prefill as usize];
            let mut pool = self.prefill_prices(&prefill);
            let prefill_part = &self.plan.accelerators[prefill.accelerator];
            set_pool_offer(&mut pool, &prefill_part.offers[offer as usize]);
            d.hardware.prefill_pool = Some(pool);
        }
        d.model.weights = Some(config.weights);
        d.model.kv_cache = Some(config.kv_cache);
        carry_ranges(&self.base, &mut d);
        d
    }
}

/// The starting deployment's ranges on candidate `d`: a range on an input
/// the candidate changed moves with it in proportion (a rate's 20 % either
/// way stays 20 % of the candidate's rate), or is dropped where it cannot.
fn carry_ranges(base: &Deployment, d: &mut Deployment) {
    let Some(mut ranges) = d.ranges.take() else {
        return;
    };
    ranges.inputs.retain_mut(|range| {
        let Some(field) = fields::by_path(&range.input) else {
            return false;
        };
        match (field.get(base), field.get(d)) {
            (Some(was), Some(now)) if was == now => true,
            (Some(was), Some(now)) if was > 0.0 && now > 0.0 => {
                // Around the candidate's value (rounding may not keep it
                // between them) and within the input's own limits.
                let k = now / was;
                let limits = |v: f64| v.clamp(field.range.min, field.range.max);
                range.low = limits((range.low * k).min(now));
                range.high = limits((range.high * k).max(now));
                field.range.check(range.low).is_ok() && field.range.check(range.high).is_ok()
            }
            _ => false,
        }
    });
    d.ranges = Some(ranges);
}

/// The model's published precision (BF16 for dimensions typed in).
fn native_precision(d: &Deployment) -> Precision {
    match &d.model.choice {
        Choice::Catalogue(id) => {
            crate::catalogue::model(id).map_or(Precision::Bf16, |m| m.native_precision)
        }
        Choice::Spec(_) => Precision::Bf16,
    }
}

/// Sets the replica size and stack of `config` on `d`.
fn set_config(d: &mut Deployment, config: &Config) {
    d.hardware.gpus_per_replica = config.gpus_per_replica;
    d.hardware.pipeline_stages = (config.pipeline_stages > 1).then_some(config.pipeline_stages);
    d.hardware.stack = config.stack;
}

/// Prices `d` at `offer`.
fn set_offer(d: &mut Deployment, offer: &Offer) {
    match offer.price {
        OfferPrice::UsdPerGpuHour(rate) => {
            d.pricing.mode = PricingMode::Cloud;
            d.pricing.usd_per_gpu_hour = rate;
        }
        OfferPrice::CapexUsdPerNode(capex) => {
            d.pricing.mode = PricingMode::OnPrem;
            d.pricing.on_prem.capex_usd_per_node = capex;
        }
    }
}

/// Prices a prefill pool at `offer`.
fn set_pool_offer(pool: &mut PrefillPoolInput, offer: &Offer) {
    match offer.price {
        OfferPrice::UsdPerGpuHour(rate) => pool.usd_per_gpu_hour = rate,
        OfferPrice::CapexUsdPerNode(capex) => pool.capex_usd_per_node = capex,
    }
}

/// Why a replica could not be found, as a search counts it.
fn fit_failure(e: DeploymentError) -> Failure {
    match e {
        DeploymentError::DoesNotFit {
            weights_gb,
            kv_gb_per_sequence,
            usable_gb,
        } => Failure::DoesNotFit {
            need_gb: weights_gb + kv_gb_per_sequence,
            usable_gb,
        },
        DeploymentError::PrefillDoesNotFit { need_gb, usable_gb } => {
            Failure::DoesNotFit { need_gb, usable_gb }
        }
        // Only measurements can fail otherwise, and a search carries none.
        _ => Failure::NoPrice,
    }
}

/// A feasible candidate's figures; `at` is its configuration, its offer
/// and its prefill pool's (configuration, offer) if it has one.
fn score(
    (config, offer, prefill): (u32, u32, Option<(u32, u32)>),
    report: &DeploymentReport,
    objective: Objective,
) -> Scored {
    let figures = Headline::from(report);
    let g_co2_per_response = report.per_response.g_co2_per_response.unwrap_or(0.0);
    let value = match objective {
        Objective::CostPerResponse => figures.cost_per_response_usd,
        Objective::UsdPerMOutput => figures.usd_per_m_output,
        Objective::TokensPerJoule => figures.tokens_per_joule,
        Objective::GCo2PerResponse => g_co2_per_response,
        Objective::MonthlyCost => figures.fleet_usd_per_month,
    };
    Scored {
        config,
        offer,
        prefill,
        objective: value,
        figures,
        g_co2_per_response,
        facility_kw_at_load: report.power.facility_kw_at_load,
        tokens_per_s_per_user: report.performance.tokens_per_s_per_user,
    }
}

/// Constraints must be positive and finite.
fn check_constraints(c: &Constraints) -> Result<(), SearchError> {
    for (field, value) in [
        ("constraints.power_budget_kw", c.power_budget_kw),
        (
            "constraints.max_g_co2_per_response",
            c.max_g_co2_per_response,
        ),
        ("constraints.max_gpus", c.max_gpus.map(f64::from)),
    ] {
        if let Some(v) = value
            && !(v.is_finite() && v > 0.0)
        {
            return Err(SearchError::Constraint { field, value: v });
        }
    }
    Ok(())
}
