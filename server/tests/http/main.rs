//! The server through its router, without a socket: pages, the scenario
//! API, charts, and the `tokenfab eval` command line.

mod charts;
mod cli;
mod pages;
mod scenarios;
mod support;
