//! The command line: each command reads its files, calls the service the
//! HTTP API also calls, and prints for people or for scripts.

pub mod calibrate;
pub mod copy_store;
pub mod eval;
pub mod ranges;
pub mod search;

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use crate::config::{
    AccuracyArgs, CalibrateArgs, CopyStoreArgs, EvalArgs, RangesArgs, SearchArgs, SweepArgs,
};

/// The text of `path` (`-` for standard input).
///
/// # Errors
/// A message naming the file.
pub fn read(path: &Path) -> Result<String, String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    }
}

/// `tokenfab eval`.
pub fn eval(args: &EvalArgs) -> ExitCode {
    print(eval::eval(&args.file, args.format))
}

/// `tokenfab sweep`.
pub fn sweep(args: &SweepArgs) -> ExitCode {
    let values = match (args.from, args.to, args.steps) {
        (Some(from), Some(to), Some(steps)) => eval::Values::Range {
            from,
            to,
            steps: usize::from(steps),
        },
        _ => eval::Values::List(args.values.clone()),
    };
    print(eval::sweep(
        &args.file,
        &args.parameter,
        &values,
        args.format,
    ))
}

/// `tokenfab search`.
pub fn search(args: &SearchArgs) -> ExitCode {
    print(search::run(&args.file, args.format))
}

/// `tokenfab ranges`.
pub fn ranges(args: &RangesArgs) -> ExitCode {
    print(ranges::run(&args.file, args.format))
}

/// `tokenfab calibrate`.
pub fn calibrate(args: &CalibrateArgs) -> ExitCode {
    print(calibrate::run(args).and_then(|c| {
        if args.json {
            serde_json::to_string_pretty(&c).map_err(|e| e.to_string())
        } else {
            Ok(calibrate::to_text(&c))
        }
    }))
}

/// `tokenfab accuracy`.
pub fn accuracy(args: &AccuracyArgs) -> ExitCode {
    let report = match &args.file {
        Some(file) => crate::accuracy::run(file),
        None => Ok(crate::accuracy::built_in().clone()),
    };
    print(report.and_then(|report| {
        if args.json {
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())
        } else {
            Ok(crate::accuracy::to_text(&report))
        }
    }))
}

/// `tokenfab copy-store`.
pub fn copy_store(args: &CopyStoreArgs) -> ExitCode {
    print(copy_store::run(&args.from, &args.to))
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
