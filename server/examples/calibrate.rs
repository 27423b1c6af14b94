//! Fits the serving stacks' efficiency and power factors to a table of
//! published measurements, and prints them with the error they leave.
//!
//! ```sh
//! cargo run --release -p server --example calibrate -- measurements.csv
//! ```
//!
//! The fit is a bounded coordinate descent on the error a user feels: for
//! every source family and metric, the median plus half the 90th percentile
//! of |ln(predicted / measured)|. Few parameters, each with a physical
//! range, so the fit cannot bend the model towards single rows.

use std::collections::BTreeMap;
use std::path::PathBuf;

use server::accuracy::{AccuracyReport, Row, evaluate_with, read, to_text};
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
}

impl Factors {
    fn of(&self, stack: Stack) -> (Efficiency, PowerFactors) {
        match stack {
            Stack::TensorrtLlm => (self.trt, self.power),
            Stack::Vllm | Stack::Sglang => (self.vllm, self.power),
        }
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
            "trt.expert_exchange_latency_us",
            0.0,
            300.0,
            trt.expert_exchange_latency_us
        ),
        knob!(
            "trt.activation_reserve_gb",
            1.0,
            10.0,
            trt.activation_reserve_gb
        ),
        knob!("power.compute_weight", 0.0, 1.5, power.compute_weight),
        knob!("power.memory_weight", 0.0, 1.5, power.memory_weight),
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

fn score(rows: &[Row], factors: &Factors) -> f64 {
    loss(&evaluate_with(rows, &|stack| factors.of(stack)))
}

fn main() {
    let Some(path) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: calibrate MEASUREMENTS.csv");
        std::process::exit(2);
    };
    let rows = read(&path).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(2);
    });
    let mut best = Factors {
        vllm: Stack::Vllm.efficiency(),
        trt: Stack::TensorrtLlm.efficiency(),
        power: Stack::Vllm.power(),
    };
    let mut best_loss = score(&rows, &best);
    eprintln!("start: loss {best_loss:.4}");
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
                let trial_loss = score(&rows, &trial);
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
        eprintln!("step {step:.4}: loss {best_loss:.4}");
    }
    for knob in &knobs {
        println!("{:<28} {:>10.4}", knob.name, (knob.get)(&best));
    }
    println!();
    print!(
        "{}",
        to_text(&evaluate_with(&rows, &|stack| best.of(stack)))
    );
}
