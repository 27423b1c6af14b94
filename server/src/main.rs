//! The `tokenfab` binary: `serve` (the default) and the
//! commands that evaluate, search, calibrate and copy stores.

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
        None => serve(cli.serve),
        Some(Command::Serve(args)) => serve(args),
        Some(Command::Eval(args)) => server::cli::eval(&args),
        Some(Command::Sweep(args)) => server::cli::sweep(&args),
        Some(Command::Search(args)) => server::cli::search(&args),
        Some(Command::Ranges(args)) => server::cli::ranges(&args),
        Some(Command::Calibrate(args)) => server::cli::calibrate(&args),
        Some(Command::Accuracy(args)) => server::cli::accuracy(&args),
        Some(Command::CopyStore(args)) => server::cli::copy_store(&args),
    }
}

/// Stack of each runtime thread.
const RENDER_STACK_BYTES: usize = 8 * 1024 * 1024;

/// `tokenfab serve`: logs set up, the runtime started, the app served.
fn serve(args: server::config::ServeArgs) -> ExitCode {
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
