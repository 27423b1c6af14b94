//! Fits the serving stacks' efficiency and power factors to a table of
//! published measurements, and prints them with the error they leave.
//!
//! ```sh
//! cargo run --release -p server --example calibrate -- measurements.csv [--from-built-in]
//! ```
//!
//! The fit starts from a round prior, or with `--from-built-in` from the
//! factors the product ships (to refine them after a change to the model).
//!
//! The stacks' factors are fitted to the CUDA families (`STACK_FAMILIES`),
//! then one share for the ROCm builds on AMD parts to the AMD families
//! (`ROCM_FAMILIES`) with those factors held; the rest of the table is
//! predicted with the result, out of sample.
//!
//! The fit is a bounded coordinate descent on the error a user feels: for
//! every source family and metric, the median plus half the 90th percentile
//! of |ln(predicted / measured)|. Few parameters, each with a physical
//! range, so the fit cannot bend the model towards single rows.
//!
//! It then measures how the fit generalises: for every accelerator, and
//! for every source family, it fits again from the same prior without
//! that accelerator's (or source's) rows and predicts them with what it
//! learnt elsewhere. The error on those left-out rows is what a user
//! should expect on hardware or a benchmark the factors never saw.

use std::collections::BTreeMap;
use std::path::PathBuf;

use server::accuracy::{
    AccuracyReport, Case, Predicted, ROCM_FAMILIES, ROCM_FITTED_METRICS, STACK_FAMILIES,
    evaluate_cases, read, resolve_all, to_text,
};
use tokenfab_core::catalogue::Vendor;
use tokenfab_core::perf::Efficiency;
use tokenfab_core::power::PowerFactors;
use tokenfab_core::stack::Stack;
use tokenfab_core::stats::percentile;

/// A fitted quantity with its physical range.
struct Knob {
    name: &'static str,
    low: f64,
    high: f64,
    get: fn(&Factors) -> f64,
    set: fn(&mut Factors, f64),
}

#[derive(Clone, Copy)]
struct Factors {
    vllm: Efficiency,
    trt: Efficiency,
    power: PowerFactors,
    /// Share of the CUDA builds' achieved peaks the ROCm builds reach.
    rocm: f64,
}

impl Factors {
    fn of(&self, stack: Stack, vendor: Vendor) -> (Efficiency, PowerFactors) {
        let efficiency = match stack {
            Stack::TensorrtLlm => self.trt,
            Stack::Vllm | Stack::Sglang => self.vllm,
        };
        let efficiency = match vendor {
            Vendor::Amd => efficiency.at_achieved_share(self.rocm),
            _ => efficiency,
        };
        (efficiency, self.power)
    }
}

macro_rules! knob {
    ($name:literal, $low:expr, $high:expr, $($path:ident).+) => {
        Knob {
            name: $name,
            low: $low,
            high: $high,
            get: |f| f.$($path).+,
            set: |f, v| f.$($path).+ = v,
        }
    };
}

fn knobs() -> Vec<Knob> {
    vec![
        knob!("vllm.memory_bandwidth", 0.5, 0.92, vllm.memory_bandwidth),
        knob!("vllm.kv_bandwidth", 0.2, 0.92, vllm.kv_bandwidth),
        knob!("vllm.decode_compute", 0.15, 0.8, vllm.decode_compute),
        knob!("vllm.prefill_compute", 0.15, 0.8, vllm.prefill_compute),
        knob!("vllm.step_overhead_ms", 0.1, 10.0, vllm.step_overhead_ms),
        knob!("vllm.layer_overhead_us", 0.0, 200.0, vllm.layer_overhead_us),
        knob!(
            "vllm.moe_layer_overhead_us",
            0.0,
            500.0,
            vllm.moe_layer_overhead_us
        ),
        knob!(
            "vllm.allreduce_latency_us",
            2.0,
            100.0,
            vllm.allreduce_latency_us
        ),
        knob!(
            "vllm.expert_exchange_latency_us",
            0.0,
            300.0,
            vllm.expert_exchange_latency_us
        ),
        knob!(
            "vllm.activation_reserve_gb",
            1.0,
            6.0,
            vllm.activation_reserve_gb
        ),
        knob!("vllm.token_overhead_us", 0.0, 100.0, vllm.token_overhead_us),
        knob!("trt.token_overhead_us", 0.0, 100.0, trt.token_overhead_us),
        knob!("trt.memory_bandwidth", 0.5, 0.92, trt.memory_bandwidth),
        knob!("trt.kv_bandwidth", 0.2, 0.92, trt.kv_bandwidth),
        knob!("trt.decode_compute", 0.15, 0.8, trt.decode_compute),
        knob!("trt.prefill_compute", 0.15, 0.8, trt.prefill_compute),
        knob!("trt.step_overhead_ms", 0.1, 10.0, trt.step_overhead_ms),
        knob!("trt.layer_overhead_us", 0.0, 200.0, trt.layer_overhead_us),
        knob!(
            "trt.moe_layer_overhead_us",
            0.0,
            500.0,
            trt.moe_layer_overhead_us
        ),
        knob!(
            "trt.allreduce_latency_us",
            2.0,
            100.0,
            trt.allreduce_latency_us
        ),
        knob!(
            "trt.activation_reserve_gb",
            1.0,
            10.0,
            trt.activation_reserve_gb
        ),
        knob!("power.compute_weight", 0.0, 1.0, power.compute_weight),
        knob!("power.memory_weight", 0.0, 1.0, power.memory_weight),
    ]
}

fn loss(report: &AccuracyReport) -> f64 {
    let mut groups: BTreeMap<(&str, &str), Vec<f64>> = BTreeMap::new();
    for p in &report.rows {
        groups
            .entry((p.family.as_str(), p.metric.as_str()))
            .or_default()
            .push((p.predicted / p.measured).ln().abs());
    }
    // A row the factors make unpredictable (the model no longer fits) is a
    // miss, not a free pass.
    let skipped = report.skipped.len() as f64 * 3.0_f64.ln() / report.rows.len().max(1) as f64;
    groups
        .values_mut()
        .map(|errors| {
            errors.sort_by(f64::total_cmp);
            // Each group holds at least the row that made it.
            let at = |q| percentile(errors, q).unwrap_or(0.0);
            at(0.5) + 0.5 * at(0.9)
        })
        .sum::<f64>()
        + 10.0 * skipped
}

fn evaluate(cases: &[Case], factors: &Factors) -> AccuracyReport {
    evaluate_cases(cases, Vec::new(), &|stack, vendor| {
        factors.of(stack, vendor)
    })
}

/// Where every fit starts: round physical values chosen before looking at
/// any measurement, so a left-out fold learns nothing from its own rows.
fn prior() -> Factors {
    let efficiency = Efficiency {
        memory_bandwidth: 0.8,
        kv_bandwidth: 0.6,
        prefill_compute: 0.5,
        decode_compute: 0.4,
        allreduce_latency_us: 20.0,
        step_overhead_ms: 1.0,
        layer_overhead_us: 10.0,
        token_overhead_us: 5.0,
        moe_layer_overhead_us: 20.0,
        expert_exchange_latency_us: 30.0,
        activation_reserve_gb: 2.0,
        ..Stack::Vllm.efficiency()
    };
    Factors {
        vllm: efficiency,
        trt: efficiency,
        power: PowerFactors::default(),
        rocm: 1.0,
    }
}

/// The factors the product ships, the ROCm share not yet applied.
fn built_in() -> Factors {
    Factors {
        vllm: Stack::Vllm.efficiency(),
        trt: Stack::TensorrtLlm.efficiency(),
        power: Stack::Vllm.power(),
        rocm: 1.0,
    }
}

/// Bounded coordinate descent from `start` on `cases`.
fn fit(cases: &[Case], start: Factors, verbose: bool) -> Factors {
    let mut best = start;
    let mut best_loss = loss(&evaluate(cases, &best));
    if verbose {
        eprintln!("start: loss {best_loss:.4}");
    }
    let knobs = knobs();
    let mut step = 0.3_f64;
    while step > 0.005 {
        let mut improved = false;
        for knob in &knobs {
            for direction in [1.0, -1.0] {
                let mut trial = best;
                let value = (knob.get)(&best);
                // Relative moves, with an absolute floor so zero can grow.
                let moved = value * (1.0 + direction * step)
                    + direction * step * (knob.high - knob.low) * 0.02;
                (knob.set)(&mut trial, moved.clamp(knob.low, knob.high));
                let trial_loss = loss(&evaluate(cases, &trial));
                if trial_loss < best_loss - 1e-9 {
                    best = trial;
                    best_loss = trial_loss;
                    improved = true;
                }
            }
        }
        if !improved {
            step /= 2.0;
        }
        if verbose {
            eprintln!("step {step:.4}: loss {best_loss:.4}");
        }
    }
    best
}

/// Second stage: the ROCm share on `cases`, the stacks' factors held at
/// `base`, by a grid from 0.30 to 1.00.
fn fit_rocm_share(cases: &[Case], base: Factors) -> f64 {
    let throughput: Vec<Case> = cases
        .iter()
        .filter(|c| {
            c.accelerator.vendor == Vendor::Amd && ROCM_FITTED_METRICS.contains(&c.metric.name())
        })
        .cloned()
        .collect();
    (30..=100)
        .map(|percent| f64::from(percent) / 100.0)
        .map(|share| {
            let factors = Factors {
                rocm: share,
                ..base
            };
            (share, loss(&evaluate(&throughput, &factors)))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(1.0, |(share, _)| share)
}

/// Fits without each group's rows and predicts that group with the result:
/// every row is predicted once, by factors that never saw it.
fn held_out(cases: &[Case], group: fn(&Case) -> &str) -> Vec<Predicted> {
    let mut groups: Vec<&str> = cases.iter().map(group).collect();
    groups.sort_unstable();
    groups.dedup();
    let mut predicted = Vec::new();
    for left_out in groups {
        let (test, train): (Vec<Case>, Vec<Case>) =
            cases.iter().cloned().partition(|c| group(c) == left_out);
        let factors = fit(&train, prior(), false);
        let report = evaluate(&test, &factors);
        let errors = sorted(report.rows.iter().map(|p| p.abs_error_pct).collect());
        eprintln!(
            "left out {left_out}: {} rows, median error {:.1}%",
            errors.len(),
            percentile(&errors, 0.5).unwrap_or(f64::NAN)
        );
        predicted.extend(report.rows);
    }
    predicted
}

/// The ROCm share fitted without each AMD source, that source predicted.
fn rocm_held_out(amd: &[Case], base: Factors) -> Vec<Predicted> {
    let mut families: Vec<&str> = amd.iter().map(|c| c.family.as_str()).collect();
    families.sort_unstable();
    families.dedup();
    let mut predicted = Vec::new();
    for left_out in families {
        let (test, train): (Vec<Case>, Vec<Case>) =
            amd.iter().cloned().partition(|c| c.family == left_out);
        // Only the left-out source's rows on AMD parts depend on the share.
        let test: Vec<Case> = test
            .into_iter()
            .filter(|c| c.accelerator.vendor == Vendor::Amd)
            .collect();
        let share = fit_rocm_share(&train, base);
        eprintln!("ROCm share without {left_out}: {share:.2}");
        let factors = Factors {
            rocm: share,
            ..base
        };
        predicted.extend(evaluate(&test, &factors).rows);
    }
    predicted
}

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

/// Per metric: rows, median and 90th-percentile error, share within 35 %.
fn cross_validation_table(title: &str, rows: &[Predicted]) -> String {
    let mut by_metric: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for p in rows {
        by_metric
            .entry(p.metric.as_str())
            .or_default()
            .push(p.abs_error_pct);
    }
    let mut out = format!("{title}\n");
    for (metric, errors) in by_metric {
        let errors = sorted(errors);
        let within = errors.iter().filter(|e| **e <= 35.0).count();
        out.push_str(&format!(
            "  {metric:<22} {:>4}  median {:>5.1}%  p90 {:>6.1}%  within 35% {:>3.0}%\n",
            errors.len(),
            percentile(&errors, 0.5).unwrap_or(f64::NAN),
            percentile(&errors, 0.9).unwrap_or(f64::NAN),
            within as f64 / errors.len() as f64 * 100.0
        ));
    }
    out
}

fn main() {
    let Some(path) = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
    else {
        eprintln!("usage: calibrate MEASUREMENTS.csv [--from-built-in]");
        std::process::exit(2);
    };
    let rows = read(&path).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(2);
    });
    let (cases, skipped) = resolve_all(&rows);
    for s in &skipped {
        eprintln!("skipped {}: {}", s.id, s.reason);
    }
    // The stacks' factors are fitted to the CUDA families, then the ROCm
    // share to the AMD families; the rest of the table checks the result
    // out of sample.
    let (cases, rest): (Vec<Case>, Vec<Case>) = cases
        .into_iter()
        .partition(|c| STACK_FAMILIES.contains(&c.family.as_str()));
    let (amd, checks): (Vec<Case>, Vec<Case>) = rest
        .into_iter()
        .partition(|c| ROCM_FAMILIES.contains(&c.family.as_str()));
    let start = if std::env::args().any(|a| a == "--from-built-in") {
        built_in()
    } else {
        prior()
    };
    let best = fit(&cases, start, true);
    // The ROCm share the product ships is fitted on top of the stacks'
    // factors it ships.
    let shipped = Factors {
        rocm: fit_rocm_share(&amd, built_in()),
        ..built_in()
    };
    for knob in &knobs() {
        println!("{:<34} {:>10.4}", knob.name, (knob.get)(&best));
    }
    println!(
        "{:<34} {:>10.4}  (on the built-in stack factors)",
        "rocm.achieved_share", shipped.rocm
    );
    println!();
    print!("{}", to_text(&evaluate(&cases, &best)));
    println!();
    println!("ROCm builds on AMD Instinct (the share fitted, the stacks' factors held):");
    print!("{}", to_text(&evaluate(&amd, &shipped)));
    println!();
    print!(
        "{}",
        cross_validation_table(
            "ROCm share, leave one AMD source out (fit the share without it, predict it):",
            &rocm_held_out(&amd, shipped),
        )
    );
    println!();
    if !checks.is_empty() {
        println!("Out of sample (families not fitted to), with the shipped factors:");
        print!("{}", to_text(&evaluate(&checks, &shipped)));
        println!();
    }
    print!(
        "{}",
        cross_validation_table(
            "Leave one accelerator out (fit without it, predict it):",
            &held_out(&cases, |c| c.accelerator.id),
        )
    );
    print!(
        "{}",
        cross_validation_table(
            "Leave one source out (fit without it, predict it):",
            &held_out(&cases, |c| c.family.as_str()),
        )
    );
}
