//! The modelled level: a model on hardware with a serving stack, priced
//! rented or owned, serving a use case. The performance model predicts
//! throughput, latency, memory and power; measured figures, when given,
//! replace the predicted ones; the economics follow.
//!
//! - [`inputs`](Deployment): what a person describes, read from JSON;
//! - [`fields`]: every numeric input once, with its path, words, range and
//!   how to read and change it;
//! - [`Deployment::check`]: checked once into a [`Checked`] deployment, its
//!   catalogue ids resolved ([`Resolved`]);
//! - [`Checked::evaluate`]: the steps (operating point, fleet, power,
//!   money, per response) into a [`DeploymentReport`];
//! - [`DeploymentError`]: why not, naming the field.

mod check;
mod error;
mod evaluate;
pub mod fields;
mod inputs;
mod report;
mod resolve;
mod use_case;

pub use check::{Checked, Evaluated};
pub use error::DeploymentError;
pub(crate) use evaluate::{Operating, Point, PrefillOperating};
pub use inputs::{
    Choice, Deployment, Document, HardwareInput, MeasuredInput, ModelInput, PrefillPoolInput,
    PricingInput, PricingMode,
};
pub use report::{
    Carbon, ConcurrencyLimiter, Costs, DeploymentReport, Energy, HostedApi, Origin, Performance,
    PoolReport, Pools, Power,
};
pub use resolve::{Resolved, ResolvedPrefill};
pub use use_case::{UseCaseFields, UseCaseInput};

pub use crate::power::PowerScope;
