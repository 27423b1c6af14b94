//! Finding the deployment to run: every allowed accelerator, replica size,
//! weight and KV-cache precision, serving stack and price (each catalogue
//! cloud offer, or owning at the catalogue's purchase price) for one model
//! and use case, each sized for the demand within the latency targets,
//! ranked by the figure a person picks, with the Pareto fronts and why
//! every class that lost did.
//!
//! ```
//! use tokenfab_core::deployment::Deployment;
//! use tokenfab_core::search::{Search, SearchRequest};
//!
//! let request: SearchRequest = serde_json::from_value(serde_json::json!({
//!     "deployment": serde_json::to_value(Deployment::example()).unwrap(),
//!     "space": { "accelerators": ["h100-sxm-80gb", "h200-sxm-141gb"] },
//!     "constraints": { "power_budget_kw": 500 }
//! })).unwrap();
//! let outcome = Search::new(&request).unwrap().run();
//! let winner = &outcome.best[0];
//! assert!(winner.figures.meets_latency_targets);
//! assert!(winner.facility_kw_at_load <= 500.0);
//! // The winner is a deployment the planner evaluates to the same figures.
//! let report = winner.deployment.evaluate().unwrap();
//! assert_eq!(report.per_response.cost_per_response_usd, winner.figures.cost_per_response_usd);
//! ```

mod engine;
mod error;
mod outcome;
mod request;
mod space;
mod tally;
#[cfg(test)]
mod tests;

pub use engine::{Progress, Search};
pub use error::SearchError;
pub use outcome::{
    Candidate, CandidateRange, Drawing, FrontPoint, LeftOut, OfferView, PrefillView, Ranking,
    SearchOutcome, SearchSize, Verdict,
};
pub use request::{
    Constraints, DRAWN_CANDIDATES, Disaggregation, MAX_GPUS_PER_REPLICA, MAX_TOP, Objective,
    OfferInput, OfferPrice, Ownership, RankBy, SearchRequest, Space,
};
pub use space::{Config, Offer, Part, Plan, runs_on};
pub use tally::Failure;
