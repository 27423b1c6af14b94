//! The `tokenfab` binary: `serve` (the default), `eval`, `sweep` or `accuracy`.

use std::process::ExitCode;

use clap::Parser;
use server::config::{Cli, Command};
use tracing_subscriber::EnvFilter;

/// Measured faster than the system allocator for the API's many small JSON
/// allocations (see the load figures in the README).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Eval { file, format }) => print(server::eval::eval(&file, format)),
        Some(Command::Sweep {
            file,
            parameter,
            values,
            from,
            to,
            steps,
            format,
        }) => {
            let values = match (from, to, steps) {
                (Some(from), Some(to), Some(steps)) => server::eval::Values::Range {
                    from,
                    to,
                    steps: usize::from(steps),
                },
                _ => server::eval::Values::List(values),
            };
            print(server::eval::sweep(&file, &parameter, &values, format))
        }
        Some(Command::Calibrate {
            bench,
            power,
            scenario,
            from,
            to,
            scope,
            statistic,
            json,
        }) => {
            use server::config::{ScopeArg, StatisticArg};
            use tokenfab_core::deployment::PowerScope;
            use tokenfab_core::observed::calibrate::PowerStatistic;
            let request = server::calibrate::Request {
                scenario: scenario.as_deref(),
                bench: &bench,
                power: power.as_deref(),
                window: tokenfab_core::observed::power_log::Window {
                    from_s: from,
                    to_s: to,
                },
                scope: match scope {
                    ScopeArg::Gpu => PowerScope::Gpu,
                    ScopeArg::Server => PowerScope::Server,
                    ScopeArg::Facility => PowerScope::Facility,
                },
                statistic: match statistic {
                    StatisticArg::P90 => PowerStatistic::P90,
                    StatisticArg::P50 => PowerStatistic::P50,
                    StatisticArg::Mean => PowerStatistic::Mean,
                },
            };
            print(server::calibrate::run(&request).and_then(|c| {
                if json {
                    serde_json::to_string_pretty(&c).map_err(|e| e.to_string())
                } else {
                    Ok(server::calibrate::to_text(&c))
                }
            }))
        }
        Some(Command::Accuracy { file, json }) => match server::accuracy::run(&file) {
            Ok(report) if json => match serde_json::to_string_pretty(&report) {
                Ok(text) => {
                    println!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            },
            Ok(report) => {
                print!("{}", server::accuracy::to_text(&report));
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Some(Command::Serve(args)) => run_server(args),
        None => run_server(cli.serve),
    }
}

/// Prints a command's output, or its error with exit status 2.
fn print(output: Result<String, String>) -> ExitCode {
    match output {
        Ok(text) => {
            print!("{text}");
            if !text.ends_with('\n') {
                println!();
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Stack of each runtime thread.
const RENDER_STACK_BYTES: usize = 8 * 1024 * 1024;

fn run_server(args: server::config::ServeArgs) -> ExitCode {
    let filter = EnvFilter::try_new(&args.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    match args.log_format {
        server::config::LogFormat::Text => logs.init(),
        server::config::LogFormat::Json => logs.json().with_current_span(true).init(),
    }
    // Rendering a page's nested views needs deep stacks in unoptimised
    // builds; 8 MiB per worker leaves room (the default is 2 MiB).
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(RENDER_STACK_BYTES)
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(server::serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
