//! The server through its router, without a socket: pages, the scenario
//! API, charts, and the `tokenfab eval` command line.
#![allow(clippy::unwrap_used)] // a panic is how a test reports failure

mod accuracy;
mod calibrate;
mod cli;
mod deployment_charts;
mod fuzz;
mod hardening;
mod openapi;
mod pages;
mod payloads;
mod scenarios;
mod support;
