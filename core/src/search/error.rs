//! Why a search cannot start, naming the request field at fault.

use super::request::{
    MAX_CANDIDATES, MAX_CONFIGURATIONS, MAX_GPUS_PER_REPLICA, MAX_OFFERS, MAX_PIPELINE_STAGES,
    MAX_RANKING_DRAWS, MAX_TOP,
};
use crate::deployment::DeploymentError;

/// Why a search cannot start. A search that starts always answers: when
/// no candidate meets every constraint its outcome says why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SearchError {
    /// The starting deployment is invalid.
    #[error("deployment.{}", .0)]
    Deployment(DeploymentError),
    /// A list that must name at least one choice is empty.
    #[error("{field}: give at least one choice, or leave it out to search them all")]
    Empty {
        /// JSON path.
        field: &'static str,
    },
    /// An accelerator id is not in the catalogue.
    #[error("{field}: no accelerator {id:?} in the catalogue")]
    UnknownAccelerator {
        /// JSON path.
        field: String,
        /// The id given.
        id: String,
    },
    /// A replica size of zero or more than a node holds.
    #[error(
        "space.gpus_per_replica[{index}]: {value} accelerators per replica; give 1 to {gpus_per_node} (the deployment's accelerators per node, at most {MAX_GPUS_PER_REPLICA})"
    )]
    ReplicaSize {
        /// Position in the list.
        index: usize,
        /// The size given.
        value: u32,
        /// Accelerators per node.
        gpus_per_node: u32,
    },
    /// Pipeline stages of zero or too many.
    #[error("space.pipeline_stages[{index}]: {value} stages; give 1 to {MAX_PIPELINE_STAGES}")]
    Stages {
        /// Position in the list.
        index: usize,
        /// The count given.
        value: u32,
    },
    /// A price that is not a positive finite number.
    #[error("{field}: {value} is not a price; give a positive number of dollars")]
    Price {
        /// JSON path.
        field: String,
        /// The value given.
        value: f64,
    },
    /// A constraint that is not a positive finite number.
    #[error("{field}: {value} cannot bound anything; give a positive number")]
    Constraint {
        /// JSON path.
        field: &'static str,
        /// The value given.
        value: f64,
    },
    /// A space too large to search at once.
    #[error(
        "space: {configurations} configurations and {candidates} candidates to try; at most {MAX_CONFIGURATIONS} and {MAX_CANDIDATES}: allow fewer accelerators, replica sizes, pipeline stages, precisions, stacks or prices"
    )]
    TooLarge {
        /// Configurations the space holds.
        configurations: usize,
        /// Candidates (configurations at each price of their part).
        candidates: usize,
    },
    /// Too many disaggregated pairings to try at once.
    #[error(
        "space.disaggregated: {pairings} pairings of a decode and a prefill pool, rented and owned, bring the candidates to {candidates}; at most {MAX_CANDIDATES}: pair prefill pools on the same accelerator only, or allow fewer accelerators, replica sizes, precisions or stacks"
    )]
    TooManyPairings {
        /// Pairings the space holds.
        pairings: usize,
        /// Candidates with them (at least the pairings).
        candidates: usize,
    },
    /// Nothing to try: the choices allowed rule each other out.
    #[error("space: no configuration to try: {why}")]
    Nothing {
        /// Why.
        why: &'static str,
    },
    /// Too many prices of the request's own.
    #[error("space.offers: {count} prices; give at most {MAX_OFFERS}")]
    Offers {
        /// How many were given.
        count: usize,
    },
    /// Too many, or no, best candidates asked for.
    #[error("top: {value}; give 1 to {MAX_TOP}")]
    Top {
        /// The count given.
        value: u32,
    },
    /// Ranking by the ranges would draw too many evaluations.
    #[error(
        "deployment.ranges.samples: {samples} draws for each of {candidates} candidates is over {MAX_RANKING_DRAWS} in all; give at most {}, or fewer candidates in `top`, or rank by `point`",
        MAX_RANKING_DRAWS / candidates
    )]
    RankingDraws {
        /// Draws per candidate.
        samples: u32,
        /// Candidates to draw.
        candidates: usize,
    },
}

impl SearchError {
    /// JSON path of the request field at fault.
    pub fn field(&self) -> String {
        match self {
            SearchError::Deployment(e) => {
                let inner = e.field();
                if inner.is_empty() {
                    "deployment".to_owned()
                } else {
                    format!("deployment.{inner}")
                }
            }
            SearchError::Empty { field } | SearchError::Constraint { field, .. } => {
                (*field).to_owned()
            }
            SearchError::UnknownAccelerator { field, .. } | SearchError::Price { field, .. } => {
                field.clone()
            }
            SearchError::ReplicaSize { index, .. } => format!("space.gpus_per_replica[{index}]"),
            SearchError::Stages { index, .. } => format!("space.pipeline_stages[{index}]"),
            SearchError::Top { .. } => "top".to_owned(),
            SearchError::RankingDraws { .. } => "deployment.ranges.samples".to_owned(),
            SearchError::TooLarge { .. } | SearchError::Nothing { .. } => "space".to_owned(),
            SearchError::Offers { .. } => "space.offers".to_owned(),
            SearchError::TooManyPairings { .. } => "space.disaggregated".to_owned(),
        }
    }
}
