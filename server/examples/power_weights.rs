//! Fits the power weights alone, with the stacks' speed factors held, and
//! reports how each choice transfers to power measured on hardware and
//! software the weights never saw.
//!
//! ```sh
//! cargo run --release -p server --example power_weights -- measurements.csv
//! ```
//!
//! Board power is idle + (TDP − idle) × (compute weight × share of the
//! step the tensor cores are busy + memory weight × share memory streams).
//! The fitted families publish power only for decode-heavy runs, where the
//! memory share dominates: they fix the memory weight well and the compute
//! weight hardly at all. So three choices are set side by side:
//! - both weights fitted (what the fitted rows alone say);
//! - the compute weight anchored at 1, the board at its limit while its
//!   tensor cores are busy the whole step (dense matrix multiplies run
//!   boards at their power limit), and the memory weight fitted;
//! - the weights the product ships.
//!
//! Each is judged on the fitted families' power rows, and on the power
//! rows of every other family (other accelerators, other stacks, long
//! prompts), which none of the fits read.

use std::collections::BTreeMap;
use std::path::PathBuf;

use server::accuracy::{Case, Predicted, STACK_FAMILIES, evaluate_cases, read, resolve_all};
use tokenfab_core::catalogue::Vendor;
use tokenfab_core::power::PowerFactors;
use tokenfab_core::stack::Stack;
use tokenfab_core::stats::percentile;

const POWER_METRICS: [&str; 2] = ["watts_gpu_total", "joules_per_token"];

fn predicted(cases: &[Case], weights: PowerFactors) -> Vec<Predicted> {
    evaluate_cases(cases, Vec::new(), &|stack: Stack, vendor: Vendor| {
        (stack.efficiency_on(Some(vendor)), weights)
    })
    .rows
}

/// Median plus half the 90th percentile of |ln(predicted / measured)| on
/// board power: the loss the main calibration uses, on power alone
/// (energy per token would fold the speed model's error into the weights).
fn loss(cases: &[Case], weights: PowerFactors) -> f64 {
    let mut errors: Vec<f64> = predicted(cases, weights)
        .iter()
        .filter(|p| p.metric == "watts_gpu_total")
        .map(|p| (p.predicted / p.measured).ln().abs())
        .collect();
    errors.sort_by(f64::total_cmp);
    let at = |q| percentile(&errors, q).unwrap_or(f64::INFINITY);
    at(0.5) + 0.5 * at(0.9)
}

/// The best weights on a grid of 0.01, each within its bounds.
fn fit(cases: &[Case], compute: (f64, f64), memory: (f64, f64)) -> PowerFactors {
    let steps = |(low, high): (f64, f64)| {
        let n = ((high - low) / 0.01).round() as i32;
        (0..=n).map(move |i| low + f64::from(i) * 0.01)
    };
    let mut best = (f64::INFINITY, PowerFactors::default());
    for c in steps(compute) {
        for m in steps(memory) {
            let weights = PowerFactors {
                compute_weight: c,
                memory_weight: m,
            };
            let l = loss(cases, weights);
            if l < best.0 {
                best = (l, weights);
            }
        }
    }
    best.1
}

/// Per family, accelerator and metric: rows, median error, median
/// predicted / measured.
fn table(title: &str, rows: &[Predicted]) {
    let mut groups: BTreeMap<(String, String, String), Vec<&Predicted>> = BTreeMap::new();
    for p in rows
        .iter()
        .filter(|p| POWER_METRICS.contains(&p.metric.as_str()))
    {
        groups
            .entry((p.family.clone(), p.accelerator.clone(), p.metric.clone()))
            .or_default()
            .push(p);
    }
    println!("{title}");
    for ((family, accelerator, metric), group) in groups {
        let mut errors: Vec<f64> = group.iter().map(|p| p.abs_error_pct).collect();
        let mut ratios: Vec<f64> = group.iter().map(|p| p.predicted / p.measured).collect();
        errors.sort_by(f64::total_cmp);
        ratios.sort_by(f64::total_cmp);
        println!(
            "  {family:<12} {accelerator:<15} {metric:<18} {:>3} rows  median {:>5.1}%  p90 {:>5.1}%  ratio {:.2}",
            group.len(),
            percentile(&errors, 0.5).unwrap_or(f64::NAN),
            percentile(&errors, 0.9).unwrap_or(f64::NAN),
            percentile(&ratios, 0.5).unwrap_or(f64::NAN),
        );
    }
}

fn main() {
    let Some(path) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: power_weights MEASUREMENTS.csv");
        std::process::exit(2);
    };
    let rows = read(&path).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(2);
    });
    let (cases, _) = resolve_all(&rows);
    let (cases, checks): (Vec<Case>, Vec<Case>) = cases
        .into_iter()
        .filter(|c| POWER_METRICS.contains(&c.metric.name()))
        .partition(|c| STACK_FAMILIES.contains(&c.family.as_str()));
    let choices = [
        ("both fitted", fit(&cases, (0.0, 1.0), (0.0, 1.0))),
        ("compute anchored at 1", fit(&cases, (1.0, 1.0), (0.0, 1.0))),
        ("shipped", Stack::Vllm.power()),
    ];
    for (name, weights) in choices {
        println!(
            "\n{name}: compute {:.2}, memory {:.2}",
            weights.compute_weight, weights.memory_weight
        );
        table("  fitted families", &predicted(&cases, weights));
        table("  never fitted to", &predicted(&checks, weights));
    }
}
