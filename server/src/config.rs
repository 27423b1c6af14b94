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
    /// Evaluate a scenario JSON file (`-` for standard input) and print its
    /// headline figures and report.
    Eval(EvalArgs),
    /// Vary one input of a deployment over a list of values and print the
    /// headline figures at each (e.g. `--parameter pricing.usd_per_gpu_hour
    /// --from 1 --to 4 --steps 7`).
    Sweep(SweepArgs),
    /// Search deployments for the cheapest (or the figure asked) that serves
    /// a model's use case within its targets and the constraints: every
    /// allowed accelerator, replica size, precision, stack and price.
    Search(SearchArgs),
    /// How sure each headline figure is: the deployment's `ranges` (the
    /// person's low and high for any input) and the model's measured error,
    /// drawn through the whole evaluation with a fixed seed.
    Ranges(RangesArgs),
    /// Fit a deployment to a serving benchmark's result (vLLM or SGLang JSON)
    /// and a power log (nvidia-smi, amd-smi or rocm-smi CSV): measured
    /// against modeled, and the deployment with the fitted factors.
    Calibrate(CalibrateArgs),
    /// Predict every row of a measurement table (the calibration table's
    /// format) and report the error per source family and metric.
    Accuracy(AccuracyArgs),
    /// Copy every saved scenario (with its edit token, revision and times)
    /// and saved search from one store to another, e.g. from SQLite to
    /// PostgreSQL when moving to several instances. Running it again
    /// copies only what changed.
    CopyStore(CopyStoreArgs),
}

/// Arguments of `tokenfab copy-store`.
#[derive(Debug, Clone, Args)]
pub struct CopyStoreArgs {
    /// The store to read: `sqlite:///srv/tokenfab/data/tokenfab.db` or
    /// `postgres://user:password@host/db`.
    #[arg(long)]
    pub from: String,
    /// The store to write (created and migrated if new).
    #[arg(long)]
    pub to: String,
}

/// Arguments of `tokenfab eval`.
#[derive(Debug, Clone, Args)]
pub struct EvalArgs {
    /// Path of the scenario file, or `-` for standard input.
    pub file: PathBuf,
    /// Output format: JSON, or CSV `field,value` rows named by JSON path.
    #[arg(long, value_enum, default_value = "json")]
    pub format: crate::cli::eval::Format,
}

/// Arguments of `tokenfab ranges`.
#[derive(Debug, Clone, Args)]
pub struct RangesArgs {
    /// Path of the deployment file (with its `ranges`, or none for the
    /// model's error alone), or `-` for standard input.
    pub file: PathBuf,
    /// Output format: the API's answer as JSON, or a table for people.
    #[arg(long, value_enum, default_value = "text")]
    pub format: crate::cli::search::Format,
}

/// Arguments of `tokenfab search`.
#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// Path of the search request file (the body of `POST /api/v1/search`), or `-` for standard input.
    pub file: PathBuf,
    /// Output format: the whole outcome as JSON, or the best candidates as text.
    #[arg(long, value_enum, default_value = "text")]
    pub format: crate::cli::search::Format,
}

/// Arguments of `tokenfab sweep`.
#[derive(Debug, Clone, Args)]
pub struct SweepArgs {
    /// Path of the deployment file, or `-` for standard input.
    pub file: PathBuf,
    /// JSON path of the numeric input to vary, e.g. `use_case.requests_per_day`.
    #[arg(long)]
    pub parameter: String,
    /// The values, comma-separated (or use --from, --to and --steps).
    #[arg(long, value_delimiter = ',', conflicts_with_all = ["from", "to", "steps"], required_unless_present = "from")]
    pub values: Vec<f64>,
    /// First value of an evenly spaced range.
    #[arg(long, requires_all = ["to", "steps"])]
    pub from: Option<f64>,
    /// Last value of the range.
    #[arg(long, requires = "from")]
    pub to: Option<f64>,
    /// How many values in the range (2 to 1,000).
    #[arg(long, requires = "from", value_parser = clap::value_parser!(u16).range(2..=1000))]
    pub steps: Option<u16>,
    /// Output format: JSON, or CSV with a row per value.
    #[arg(long, value_enum, default_value = "json")]
    pub format: crate::cli::eval::Format,
}

/// Arguments of `tokenfab calibrate`.
#[derive(Debug, Clone, Args)]
pub struct CalibrateArgs {
    /// The benchmark result.
    #[arg(long)]
    pub bench: PathBuf,
    /// The power log of the same run (streamed: any size).
    #[arg(long)]
    pub power: Option<PathBuf>,
    /// The deployment that ran (default: the built-in example).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Use the power log from this many seconds after its first sample (skip the warm-up).
    #[arg(long)]
    pub from: Option<f64>,
    /// Use the power log up to this many seconds after its first sample.
    #[arg(long)]
    pub to: Option<f64>,
    /// What the power log measured.
    #[arg(long, value_enum, default_value = "gpu")]
    pub scope: ScopeArg,
    /// Which statistic of the log stands for the draw at load.
    #[arg(long, value_enum, default_value = "p90")]
    pub statistic: StatisticArg,
    /// Print the calibration as JSON (fitted deployment, measured level, comparisons).
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `tokenfab accuracy`.
#[derive(Debug, Clone, Args)]
pub struct AccuracyArgs {
    /// The CSV table (columns: see the README); without it, the product's
    /// own validation table.
    pub file: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
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
    /// Database URL instead of --data-dir: `sqlite:///srv/tokenfab/tokenfab.db`,
    /// or `postgres://user:password@host/db` for several instances on one
    /// database.
    #[arg(long, env = "TOKENFAB_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Most database connections this instance keeps open.
    #[arg(long, env = "TOKENFAB_DB_MAX_CONNECTIONS", default_value_t = 8,
        value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_max_connections: u32,
    /// Longest a database statement may run, ms, before PostgreSQL cancels
    /// it; also how long a request waits for a free connection (at most 2 s).
    #[arg(long, env = "TOKENFAB_DB_STATEMENT_TIMEOUT_MS", default_value_t = 5_000,
        value_parser = clap::value_parser!(u64).range(100..=600_000))]
    pub db_statement_timeout_ms: u64,
    /// Directory of the built front end (pkg/ with the WASM, JS and CSS).
    #[arg(long, env = "TOKENFAB_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// Log filter, e.g. `info` or `server=debug,tower_http=debug`.
    #[arg(long, env = "TOKENFAB_LOG", default_value = "info")]
    pub log: String,
    /// Log lines as text for people or JSON (one object per line) for a log pipeline.
    #[arg(long, env = "TOKENFAB_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// Let `GET /api/v1/scenarios` list every saved scenario (off: a share
    /// link is the only way to find one).
    #[arg(long, env = "TOKENFAB_LIST_SCENARIOS")]
    pub list_scenarios: bool,
    /// Seconds a request may run before it is stopped with 503.
    #[arg(long, env = "TOKENFAB_REQUEST_TIMEOUT_S", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub request_timeout_s: u64,
    /// Saves, changes and deletes allowed per client address per minute (0: no limit).
    #[arg(long, env = "TOKENFAB_WRITES_PER_MINUTE", default_value_t = 60)]
    pub writes_per_minute: u32,
    /// Writes one address may make at once after a quiet spell.
    #[arg(long, env = "TOKENFAB_WRITE_BURST", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub write_burst: u32,
    /// Address of a reverse proxy in front of this instance (repeat, or
    /// comma-separated): from these alone, the client's address is read
    /// from `X-Forwarded-For` for the write limit.
    #[arg(
        long = "trusted-proxy",
        env = "TOKENFAB_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The address people reach this server at (`https://planner.example.org`),
    /// for the absolute links a chat's link preview needs; without it, the
    /// request's `Host` over http.
    #[arg(long, env = "TOKENFAB_PUBLIC_URL", value_parser = public_url)]
    pub public_url: Option<String>,
}

/// A public URL: http or https, without a trailing slash.
fn public_url(text: &str) -> Result<String, String> {
    let trimmed = text.trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or("must start with https:// or http://")?;
    if rest.is_empty() || rest.contains(['?', '#', '"', '<', '>', ' ']) {
        return Err("must be a scheme and a host, optionally a port and a path".to_owned());
    }
    Ok(trimmed.to_owned())
}

/// Where a power log measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScopeArg {
    /// The accelerators (nvidia-smi, amd-smi, rocm-smi).
    Gpu,
    /// Whole servers, hosts included.
    Server,
    /// The facility meter (servers times PUE).
    Facility,
}

/// Which statistic of a power log to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatisticArg {
    /// The 90th percentile (what to plan for).
    P90,
    /// The median.
    P50,
    /// The mean (what the energy bill sees).
    Mean,
}

impl From<ScopeArg> for tokenfab_core::deployment::PowerScope {
    fn from(scope: ScopeArg) -> Self {
        match scope {
            ScopeArg::Gpu => Self::Gpu,
            ScopeArg::Server => Self::Server,
            ScopeArg::Facility => Self::Facility,
        }
    }
}

impl From<StatisticArg> for tokenfab_core::observed::calibrate::PowerStatistic {
    fn from(statistic: StatisticArg) -> Self {
        match statistic {
            StatisticArg::P90 => Self::P90,
            StatisticArg::P50 => Self::P50,
            StatisticArg::Mean => Self::Mean,
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per event, with the request id and other fields.
    Json,
}

impl ServeArgs {
    /// How the store's connections behave.
    pub fn pool_settings(&self) -> crate::db::PoolSettings {
        let timeout = std::time::Duration::from_millis(self.db_statement_timeout_ms);
        crate::db::PoolSettings {
            max_connections: self.db_max_connections,
            statement_timeout: timeout,
            // Also how long a database that refuses connections is retried:
            // short, so a request says 503 well within its time limit.
            acquire_timeout: timeout.min(crate::db::PoolSettings::default().acquire_timeout),
        }
    }

    /// What the router needs of these settings.
    pub fn settings(&self) -> Settings {
        Settings {
            list_scenarios: self.list_scenarios,
            request_timeout: std::time::Duration::from_secs(self.request_timeout_s),
            writes_per_minute: self.writes_per_minute,
            write_burst: self.write_burst,
            trusted_proxies: self.trusted_proxies.clone(),
            public_url: self.public_url.clone(),
        }
    }
}

/// What the operator may set for the running app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Whether `GET /api/v1/scenarios` lists what is saved.
    pub list_scenarios: bool,
    /// How long a request may run.
    pub request_timeout: std::time::Duration,
    /// Writes per address per minute (0: no limit).
    pub writes_per_minute: u32,
    /// Writes at once.
    pub write_burst: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Where people reach the server, for absolute links.
    pub public_url: Option<String>,
}

impl Default for Settings {
    /// The command line's defaults.
    fn default() -> Self {
        Settings {
            list_scenarios: false,
            request_timeout: std::time::Duration::from_secs(10),
            writes_per_minute: 60,
            write_burst: 20,
            trusted_proxies: Vec::new(),
            public_url: None,
        }
    }
}
