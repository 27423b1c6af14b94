//! The economics of AI inference.
//!
//! Every figure tokenfab shows (on the page, through the API, from the CLI)
//! is computed here, by the same code on the server and in the browser.
//! The crate is pure: no I/O, no clocks, no randomness, so one evaluation is
//! a few arithmetic operations and can be repeated millions of times by a
//! search over deployments.
//!
//! ```
//! use tokenfab_core::Scenario;
//!
//! // The article's customer-service bot: 3,000 tokens/s at a measured 1,000 W.
//! let scenario = Scenario::from_json(r#"{
//!     "hardware": { "gpus": 1 },
//!     "pricing": { "usd_per_gpu_hour": 2.0, "usd_per_kwh": 0.17 },
//!     "measured": { "tokens_per_s": 3000, "watts": 1000 }
//! }"#).unwrap();
//! let report = scenario.evaluate().unwrap();
//! assert_eq!(report.tokens_per_joule, 3.0);
//! assert_eq!(report.tokens_per_kwh, 10_800_000.0);
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod accelerator;
pub mod calibration;
pub mod catalogue;
pub mod curves;
pub mod deployment;
pub mod economics;
pub mod fleet;
pub mod formulas;
pub mod headline;
pub mod hf_config;
pub mod input;
pub mod json;
pub mod migrate;
pub mod model;
pub mod observed;
pub mod perf;
pub mod power;
pub mod report;
pub mod response;
pub mod scenario;
pub mod stack;
pub mod stats;
pub mod sweep;
pub mod tradeoffs;

pub use input::{InputError, Problem};
pub use report::{PerRequest, Report};
pub use scenario::{Hardware, Measured, Pricing, Scenario, ScenarioError};
