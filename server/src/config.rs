//! Command line and environment: every setting has a flag, an environment
//! variable, and a default that runs out of the box.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// tokenfab: the economics of AI inference.
#[derive(Debug, Parser)]
#[command(
    name = "tokenfab",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do; without one, `serve`.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings for `serve` when no command is given.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// The binary's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web app (the default).
    Serve(ServeArgs),
    /// Evaluate a scenario JSON file (`-` for standard input) and print its report as JSON.
    Eval {
        /// Path of the scenario file, or `-` for standard input.
        file: PathBuf,
    },
    /// Predict every row of a measurement table (the calibration table's
    /// format) and report the error per source family and metric.
    Accuracy {
        /// The CSV table.
        file: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Settings of the web server.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "TOKENFAB_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Directory holding the SQLite database; created if missing.
    #[arg(long, env = "TOKENFAB_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Directory of the built front end (pkg/ with the WASM, JS and CSS).
    #[arg(long, env = "TOKENFAB_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// Log filter, e.g. `info` or `server=debug,tower_http=debug`.
    #[arg(long, env = "TOKENFAB_LOG", default_value = "info")]
    pub log: String,
    /// Let `GET /api/v1/scenarios` list every saved scenario (off: a share
    /// link is the only way to find one).
    #[arg(long, env = "TOKENFAB_LIST_SCENARIOS")]
    pub list_scenarios: bool,
}
