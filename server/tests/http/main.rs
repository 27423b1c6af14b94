//! The server through its router, without a socket: pages, the scenario
//! API, charts, and the `tokenfab eval` command line.
#![allow(clippy::unwrap_used)] // a panic is how a test reports failure

mod accuracy;
mod calibrate;
mod chart_values;
mod cli;
mod currency;
mod deployment_charts;
mod documented_answers;
mod drafts;
mod figures;
mod fuzz;
mod hardening;
mod hugging_face;
mod latency_targets;
mod listing;
mod openapi;
mod pages;
mod payloads;
mod postgres;
mod ranges;
mod scenarios;
mod schema;
mod search;
mod sharing;
mod support;
mod worked_example;
