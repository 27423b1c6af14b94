//! The economics of AI inference.
//!
//! Every figure tokenfab shows (on the page, through the API, from the CLI)
//! is computed here, by the same code on the server and in the browser.
//! The crate is pure: no I/O, no clocks, no randomness, so one evaluation is
//! a few arithmetic operations and can be repeated millions of times by a
//! search over deployments.
//!
//! ```
//! use tokenfab_core::deployment::{Deployment, fields};
//!
//! // Llama 3.1 70B in FP8 on four rented H100s with vLLM, serving the
//! // support-chat use case; the performance model predicts the rest.
//! let deployment = Deployment::from_json(r#"{
//!     "model": { "catalogue": "llama-3.1-70b-instruct", "weights": "fp8" },
//!     "hardware": { "catalogue": "h100-sxm-80gb", "gpus_per_replica": 4,
//!                   "gpus_per_node": 8, "host_watts_per_node": 1500, "stack": "vllm" },
//!     "pricing": { "mode": "cloud", "usd_per_gpu_hour": 2.94, "usd_per_kwh": 0.0892,
//!                  "pue": 1.4, "grid_g_co2_per_kwh": 380,
//!                  "on_prem": { "capex_usd_per_node": 300000, "gpus_per_node": 8,
//!                               "depreciation_years": 4, "cost_of_capital": 0.08,
//!                               "maintenance_share_per_year": 0.08,
//!                               "hosting_usd_per_kw_month": 150, "staff_usd_per_year": 50000 } },
//!     "use_case": { "preset": "support-chat", "usd_per_m_pre_post_tokens": 0.02 }
//! }"#).unwrap();
//! let report = deployment.evaluate().unwrap();
//! assert!(report.performance.meets_latency_targets);
//!
//! // Any numeric input, by the registry: twice the rental, twice the bill.
//! let mut dearer = deployment.clone();
//! fields::USD_PER_GPU_HOUR.set(&mut dearer, Some(5.88)).unwrap();
//! let ratio = dearer.evaluate().unwrap().costs.fleet_usd_per_month
//!     / report.costs.fleet_usd_per_month;
//! assert!((ratio - 2.0).abs() < 1e-12);
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod accelerator;
pub mod calibration;
pub mod catalogue;
pub mod currency;
pub mod deployment;
pub mod economics;
pub mod energy;
pub mod fleet;
pub mod headline;
pub mod hf_config;
pub mod input;
pub mod json;
pub mod latency;
pub mod migrate;
pub mod model;
pub mod observed;
pub mod perf;
pub mod power;
pub mod response;
pub mod search;
pub mod stack;
pub mod stats;
pub mod sweep;
pub mod tradeoffs;
pub mod uncertainty;
pub mod units;
pub mod validation;

pub use input::{InputError, Problem};
