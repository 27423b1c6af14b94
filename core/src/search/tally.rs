//! What each class of candidates (one accelerator, one replica size, one
//! precision, one stack, renting or owning) came to: its best feasible
//! candidate, or the furthest any of its candidates got before a target or
//! constraint stopped it, so every class that lost can say why.

use super::engine::Scored;
use super::request::Objective;
use super::space::Config;
use crate::model::Precision;
use crate::stack::Stack;

/// Why a candidate was left out, in the order the checks run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Failure {
    /// No price for the part under the ownership searched.
    NoPrice,
    /// The weights and one sequence's cache do not fit in a replica.
    DoesNotFit {
        /// Memory needed per accelerator, GB.
        need_gb: f64,
        /// Memory usable per accelerator, GB.
        usable_gb: f64,
    },
    /// A latency target is missed even with one sequence in flight.
    Latency {
        /// Time to first token at the targeted statistic, ms.
        ttft_ms: f64,
        /// Time per output token at the targeted statistic, ms.
        tpot_ms: f64,
        /// The larger of the two over its target.
        excess: f64,
    },
    /// The demand needs more replicas than a fleet can have.
    Demand {
        /// Replicas the fleet was capped at.
        replicas: u32,
    },
    /// More accelerators than allowed.
    Gpus {
        /// Accelerators the fleet needs.
        gpus: u32,
    },
    /// Over the power budget.
    Power {
        /// Facility power with every accelerator busy, kW.
        kw: f64,
    },
    /// Over the carbon limit.
    Carbon {
        /// Operational carbon per response, g CO2e.
        g_co2: f64,
    },
}

impl Failure {
    /// How far the checks got: a later failure came closer to feasible.
    pub fn stage(&self) -> usize {
        match self {
            Failure::NoPrice => 0,
            Failure::DoesNotFit { .. } => 1,
            Failure::Latency { .. } => 2,
            Failure::Demand { .. } => 3,
            Failure::Gpus { .. } => 4,
            Failure::Power { .. } => 5,
            Failure::Carbon { .. } => 6,
        }
    }

    /// Within a stage, how far from passing (smaller is closer).
    fn distance(&self) -> f64 {
        match *self {
            Failure::NoPrice | Failure::Demand { .. } => 0.0,
            Failure::DoesNotFit { need_gb, usable_gb } => need_gb / usable_gb,
            Failure::Latency { excess, .. } => excess,
            Failure::Gpus { gpus } => f64::from(gpus),
            Failure::Power { kw } => kw,
            Failure::Carbon { g_co2 } => g_co2,
        }
    }

    /// Whether `self` came closer to feasible than `other`.
    pub(crate) fn closer_than(&self, other: &Failure) -> bool {
        match self.stage().cmp(&other.stage()) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => self.distance() < other.distance(),
        }
    }

    /// Number of stages, for counting.
    pub const STAGES: usize = 7;
}

/// One class of candidates: every candidate sharing one choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// An accelerator, by its index in the plan.
    Accelerator(usize),
    /// A replica size (per stage).
    GpusPerReplica(u32),
    /// Pipeline stages.
    PipelineStages(u32),
    /// A weight precision.
    Weights(Precision),
    /// A KV-cache precision.
    KvCache(Precision),
    /// A serving stack.
    Stack(Stack),
    /// Renting (`true`) or owning.
    Cloud(bool),
    /// Disaggregated serving (`true`: prefill and decode pools) or not.
    Disaggregated(bool),
}

/// What one class came to.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClassTally {
    /// Its best feasible candidate: the figure ranked by and its index
    /// among the feasible candidates.
    pub best: Option<(f64, usize)>,
    /// The failure that came closest to feasible.
    pub closest: Option<Failure>,
    /// Candidates in the class.
    pub candidates: usize,
}

/// Every class's tally, and candidates left out by failure.
#[derive(Debug, Clone, Default)]
pub struct Tallies {
    /// Classes in the order first seen.
    pub classes: Vec<(Class, ClassTally)>,
    /// Candidates left out, by [`Failure::stage`].
    pub left_out: [usize; Failure::STAGES],
}

impl Tallies {
    /// Every candidate of one configuration (in `classes`) left out for
    /// `failure`: one per price (`cloud[i]` says whether the `i`th rents),
    /// or one without a price.
    pub(crate) fn fail(&mut self, classes: &[Class], failure: Failure, cloud: &[bool]) {
        let candidates = cloud.len().max(1);
        self.left_out[failure.stage()] += candidates;
        let classes = classes.iter().map(|&c| (c, candidates));
        let ownership = [false, true].map(|is_cloud| {
            let n = cloud.iter().filter(|&&c| c == is_cloud).count();
            (Class::Cloud(is_cloud), n)
        });
        for (class, n) in classes.chain(ownership.into_iter().filter(|(_, n)| *n > 0)) {
            let t = self.entry(class);
            t.candidates += n;
            if t.closest.is_none_or(|c| failure.closer_than(&c)) {
                t.closest = Some(failure);
            }
        }
    }

    /// The feasible candidates of one configuration (in `classes`), which
    /// start at index `first` among all feasible candidates; `cloud` says
    /// whether one rents.
    pub(crate) fn succeed(
        &mut self,
        classes: &[Class],
        scored: &[Scored],
        first: usize,
        cloud: impl Fn(&Scored) -> bool,
        objective: Objective,
    ) {
        let better = |a: f64, b: f64| {
            if objective.higher_is_better() {
                a > b
            } else {
                a < b
            }
        };
        let mut best: Option<(f64, usize)> = None;
        let mut by_ownership: [Option<(f64, usize)>; 2] = [None, None];
        let mut counts = [0; 2];
        for (i, s) in scored.iter().enumerate() {
            let here = (s.objective, first + i);
            if best.is_none_or(|b| better(here.0, b.0)) {
                best = Some(here);
            }
            let kind = usize::from(cloud(s));
            counts[kind] += 1;
            let slot = &mut by_ownership[kind];
            if slot.is_none_or(|b| better(here.0, b.0)) {
                *slot = Some(here);
            }
        }
        for (is_cloud, found) in [(false, by_ownership[0]), (true, by_ownership[1])] {
            if let Some(found) = found {
                let t = self.entry(Class::Cloud(is_cloud));
                t.candidates += counts[usize::from(is_cloud)];
                if t.best.is_none_or(|b| better(found.0, b.0)) {
                    t.best = Some(found);
                }
            }
        }
        let Some(best) = best else { return };
        for &class in classes {
            let t = self.entry(class);
            t.candidates += scored.len();
            if t.best.is_none_or(|b| better(best.0, b.0)) {
                t.best = Some(best);
            }
        }
    }

    fn entry(&mut self, class: Class) -> &mut ClassTally {
        let at = match self.classes.iter().position(|(c, _)| *c == class) {
            Some(i) => i,
            None => {
                self.classes.push((class, ClassTally::default()));
                self.classes.len() - 1
            }
        };
        &mut self.classes[at].1
    }
}

/// The classes a configuration's candidates belong to (their ownership
/// class depends on the price, so is counted per candidate).
pub(crate) fn config_classes(config: &Config) -> [Class; 7] {
    [
        Class::Accelerator(config.accelerator),
        Class::GpusPerReplica(config.gpus_per_replica),
        Class::PipelineStages(config.pipeline_stages),
        Class::Weights(config.weights),
        Class::KvCache(config.kv_cache),
        Class::Stack(config.stack),
        Class::Disaggregated(false),
    ]
}

/// The classes a disaggregated candidate belongs to, its decode pool's
/// configuration being `decode`: the choices both pools share (its parts
/// and sizes are two, so it stays out of those classes).
pub(crate) fn split_classes(decode: &Config) -> [Class; 4] {
    [
        Class::Weights(decode.weights),
        Class::KvCache(decode.kv_cache),
        Class::Stack(decode.stack),
        Class::Disaggregated(true),
    ]
}
