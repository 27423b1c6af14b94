//! The round trip: a benchmark result and a power log written from a known
//! deployment are read back, and calibration recovers its factors.
#![allow(clippy::unwrap_used)] // a panic is how a test reports failure

use approx::assert_relative_eq;
use tokenfab_core::deployment::{Deployment, PowerScope};
use tokenfab_core::observed::bench;
use tokenfab_core::observed::calibrate::{
    Calibration, CalibrationError, Observations, PowerStatistic, calibrate,
};
use tokenfab_core::observed::power_log::{Window, WindowSource, summarise};
use tokenfab_core::perf::{Efficiency, RequestShape};
use tokenfab_core::power::{PowerFactors, accelerator_watts};

/// The hidden truth: the stack 20 % slower than calibrated, its prefill
/// arithmetic 30 % slower again, drawing 15 % more of its idle-to-TDP range.
const SPEED: f64 = 0.8;
const PREFILL: f64 = 0.7;
const POWER: f64 = 1.15;

/// The benchmark's load: prompt and output lengths, requests in flight.
#[derive(Clone, Copy)]
struct Load {
    input_tokens: f64,
    output_tokens: f64,
    concurrency: f64,
}

/// The load of most tests: a chat-like request at 48 in flight.
const CHAT: Load = Load {
    input_tokens: 1000.0,
    output_tokens: 300.0,
    concurrency: 48.0,
};

fn slower(e: Efficiency) -> Efficiency {
    Efficiency {
        memory_bandwidth: e.memory_bandwidth * SPEED,
        kv_bandwidth: e.kv_bandwidth * SPEED,
        prefill_compute: e.prefill_compute * SPEED * PREFILL,
        decode_compute: e.decode_compute * SPEED,
        interconnect: e.interconnect * SPEED,
        allreduce_latency_us: e.allreduce_latency_us / SPEED,
        step_overhead_ms: e.step_overhead_ms / SPEED,
        layer_overhead_us: e.layer_overhead_us / SPEED,
        token_overhead_us: e.token_overhead_us / SPEED,
        moe_layer_overhead_us: e.moe_layer_overhead_us / SPEED,
        expert_exchange_latency_us: e.expert_exchange_latency_us / SPEED,
        ..e
    }
}

/// What the truth would measure.
struct Truth {
    load: Load,
    output_per_s: f64,
    tpot_ms: f64,
    ttft_ms: f64,
    watts_per_gpu: f64,
}

fn truth() -> Truth {
    truth_at(CHAT)
}

fn truth_at(load: Load) -> Truth {
    truth_with_prefill(load, PREFILL)
}

/// The truth at `load` had prefill been `prefill` times the stack's speed.
fn truth_with_prefill(mut load: Load, prefill: f64) -> Truth {
    let d = Deployment::example();
    let mut resolved = d.resolve().unwrap();
    resolved.efficiency = slower(resolved.efficiency);
    resolved.efficiency.prefill_compute *= prefill / PREFILL;
    let shape = RequestShape {
        input_tokens: load.input_tokens,
        output_tokens: load.output_tokens,
        prefix_cache_hit_rate: 0.0,
    };
    // No more in flight than the KV cache holds, as a server would run it.
    let memory = resolved.replica().memory(&shape);
    load.concurrency = load.concurrency.min(memory.max_concurrency);
    let point = resolved.replica().operating_point(&shape, load.concurrency);
    let base = d.hardware.stack.power();
    let power = PowerFactors {
        compute_weight: base.compute_weight * POWER,
        memory_weight: base.memory_weight * POWER,
    };
    let watts = accelerator_watts(
        &resolved.accelerator,
        &power,
        point.compute_busy,
        point.memory_busy,
    );
    Truth {
        load,
        output_per_s: point.output_tokens_per_s,
        tpot_ms: point.tpot_s * 1e3,
        ttft_ms: resolved.replica().ttft_s(&shape, &point) * 1e3,
        watts_per_gpu: watts,
    }
}

/// The example deployment fitted to the truth's benchmark alone (no power log).
fn fit_to_bench(truth: &Truth) -> Calibration {
    let observations = Observations {
        bench: bench::read(&bench_json(truth)).unwrap(),
        power: None,
        scope: PowerScope::Gpu,
        statistic: PowerStatistic::P90,
    };
    calibrate(&Deployment::example(), &observations).unwrap()
}

/// A vLLM result of a 300 s run with the truth's figures, written as the
/// run ended at 12:05:30 (the power log's 330th second).
fn bench_json(truth: &Truth) -> String {
    let duration = 300.0;
    let (output_per_s, load) = (truth.output_per_s, truth.load);
    let output = output_per_s * duration;
    let completed = output / load.output_tokens;
    serde_json::json!({
        "date": "20240501-120530",
        "backend": "vllm", "model_id": "meta-llama/Llama-3.1-70B-Instruct",
        "max_concurrency": load.concurrency, "duration": duration, "completed": completed,
        "total_input_tokens": completed * load.input_tokens, "total_output_tokens": output,
        "request_throughput": completed / duration, "output_throughput": output_per_s,
        "mean_tpot_ms": truth.tpot_ms, "median_ttft_ms": truth.ttft_ms,
    })
    .to_string()
}

/// An nvidia-smi log of 4 GPUs every 100 ms: 30 s of warm-up near idle,
/// then 300 s at `watts` each with a wobble that averages out.
fn power_log(watts: f64) -> String {
    let mut log =
        String::from("timestamp, index, power.draw [W], utilization.gpu [%], memory.used [MiB]\n");
    for tick in 0..3_300_u32 {
        // nvidia-smi's local time, from 2024/05/01 12:00:00.000.
        let (seconds, millis) = (tick / 10, tick % 10 * 100);
        let stamp = format!(
            "2024/05/01 12:{:02}:{:02}.{millis:03}",
            seconds / 60,
            seconds % 60
        );
        for gpu in 0..4 {
            let wobble = [-6.0, 2.0, 4.0, 0.0][((tick + gpu) % 4) as usize];
            let w = if tick < 300 { 150.0 } else { watts + wobble };
            log.push_str(&format!("{stamp}, {gpu}, {w:.2} W, 95 %, 70000 MiB\n"));
        }
    }
    log
}

#[test]
fn a_known_deployments_factors_are_recovered_from_its_benchmark_and_power_log() {
    let truth = truth();
    let (rate, watts) = (truth.output_per_s, truth.watts_per_gpu);
    let bench = bench::read(&bench_json(&truth)).unwrap();
    // No window chosen: the log is read over the benchmark's run, which
    // leaves out its 30 s of warm-up.
    let power = summarise(&power_log(watts), Window::default(), bench.run_span()).unwrap();
    assert_eq!(power.window.source, WindowSource::BenchmarkRun);
    assert_relative_eq!(power.window.from_s, 30.0);
    let observations = Observations {
        bench,
        power: Some(power),
        scope: PowerScope::Gpu,
        statistic: PowerStatistic::Mean,
    };
    let c = calibrate(&Deployment::example(), &observations).unwrap();
    // Within 0.5 %: the fit inverts exactly what wrote the files.
    assert_relative_eq!(c.speed_factor, SPEED, max_relative = 0.005);
    assert_relative_eq!(c.prefill_factor.unwrap(), PREFILL, max_relative = 0.005);
    assert_relative_eq!(c.power_factor.unwrap(), POWER, max_relative = 0.005);
    // Throughput, TPOT and TTFT as measured.
    for row in &c.comparisons[..3] {
        assert_relative_eq!(row.modeled_after, row.measured, max_relative = 0.005);
    }
    assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
    assert!(
        c.notes[0].contains("benchmark's run, 30.0 to 329.9 s"),
        "{:?}",
        c.notes
    );
    let power_row = c
        .comparisons
        .iter()
        .find(|r| r.figure.starts_with("board power"))
        .unwrap();
    assert_relative_eq!(power_row.modeled_after, watts, max_relative = 0.005);
    // The files' own figures: four GPUs at the truth's draw, energy per
    // token from the mean.
    let power = c.observed.power.as_ref().unwrap();
    assert_relative_eq!(power.mean_w, 4.0 * watts, max_relative = 0.001);
    assert_relative_eq!(
        power.joules_per_output_token,
        4.0 * watts / rate,
        max_relative = 0.001
    );
    assert_relative_eq!(
        power.tokens_per_kwh,
        (rate + c.observed.input_tokens_per_s) / (4.0 * watts) * 3.6e6,
        max_relative = 0.001
    );
    assert_relative_eq!(
        c.observed.input_tokens_per_s,
        rate * 1000.0 / 300.0,
        max_relative = 0.001
    );
    // Before the fit the model was 25 % too fast.
    assert!(c.comparisons[0].modeled_before > 1.2 * rate);

    // What-ifs from the fitted deployment inherit the factors: the report at
    // the benchmark's load now predicts the measured throughput and power.
    let fitted = c.fitted.evaluate().unwrap();
    let original = Deployment::example().evaluate().unwrap();
    assert!(
        fitted.performance.output_tokens_per_s_per_replica
            < original.performance.output_tokens_per_s_per_replica
    );
    assert!(fitted.power.watts_per_gpu_at_load > 0.0);
    assert_eq!(c.measured.output_tokens_per_s, Some(rate));
    let saved: Deployment =
        serde_json::from_value(serde_json::to_value(&c.fitted).unwrap()).unwrap();
    assert_eq!(saved, c.fitted);
}

#[test]
fn speed_and_prefill_are_recovered_at_short_and_long_prompts_low_and_high_load() {
    for input_tokens in [100.0, 1000.0, 8000.0] {
        for output_tokens in [50.0, 1000.0] {
            for concurrency in [2.0, 32.0, 128.0] {
                let load = Load {
                    input_tokens,
                    output_tokens,
                    concurrency,
                };
                let truth = truth_at(load);
                let c = fit_to_bench(&truth);
                let at = format!("{input_tokens} in, {output_tokens} out, {concurrency} in flight");
                assert!((c.speed_factor / SPEED - 1.0).abs() < 0.005, "{at}: {c:?}");
                // Where a prompt's arithmetic hides under reading the
                // weights, ten times the prefill speed leaves the time to
                // first token within half a percent, and nothing can
                // recover prefill from it.
                let quicker = truth_with_prefill(load, 10.0 * PREFILL);
                if (quicker.ttft_ms / truth.ttft_ms - 1.0).abs() < 0.005 {
                    assert_eq!(c.notes.len(), 1, "{at}: {:?}", c.notes);
                    assert!(
                        c.notes[0].contains("cannot tell prefill speed"),
                        "{at}: {:?}",
                        c.notes
                    );
                    assert_eq!(c.prefill_factor, Some(1.0), "{at}");
                } else {
                    assert!(c.notes.is_empty(), "{at}: {:?}", c.notes);
                    let prefill = c.prefill_factor.unwrap();
                    assert!((prefill / PREFILL - 1.0).abs() < 0.005, "{at}: {c:?}");
                }
                // Throughput and time to first token as measured.
                for row in [&c.comparisons[0], &c.comparisons[2]] {
                    assert!(
                        (row.modeled_after / row.measured - 1.0).abs() < 0.005,
                        "{at}: {row:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_time_to_first_token_at_its_floor_with_prefill_quicker_than_calibrated_is_fitted() {
    let load = Load {
        input_tokens: 300.0,
        output_tokens: 1000.0,
        concurrency: 128.0,
    };
    // Prefill three times the stack's: the prompt's arithmetic hides under
    // the weight reads (ten times quicker again changes nothing), while at
    // the stack's own prefill it does not.
    let truth = truth_with_prefill(load, 3.0);
    let floor = truth_with_prefill(load, 30.0).ttft_ms;
    assert!((truth.ttft_ms / floor - 1.0).abs() < 0.005);
    assert!(truth_with_prefill(load, 1.0).ttft_ms > 1.01 * floor);
    let c = fit_to_bench(&truth);
    // Not left as calibrated, which would miss the measurement: a prefill
    // that reproduces it is fitted, without a note.
    assert!(c.notes.is_empty(), "{:?}", c.notes);
    assert_ne!(c.prefill_factor, Some(1.0));
    let ttft = &c.comparisons[2];
    assert!(
        (ttft.modeled_after / ttft.measured - 1.0).abs() < 0.01,
        "{ttft:?}"
    );
}

#[test]
fn a_log_that_ends_early_in_the_run_says_how_much_of_it_it_covers() {
    let truth = truth();
    // The run from 300 s to 600 s; the log stops at 330 s.
    let bench =
        bench::read(&bench_json(&truth).replace("20240501-120530", "20240501-121000")).unwrap();
    let power = summarise(
        &power_log(truth.watts_per_gpu),
        Window::default(),
        bench.run_span(),
    )
    .unwrap();
    let observations = Observations {
        bench,
        power: Some(power),
        scope: PowerScope::Gpu,
        statistic: PowerStatistic::P90,
    };
    let c = calibrate(&Deployment::example(), &observations).unwrap();
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("covers only 30 s of its 300 s")),
        "{:?}",
        c.notes
    );
}

#[test]
fn a_benchmark_without_concurrency_or_a_log_below_idle_is_refused() {
    let truth = truth();
    let json = bench_json(&truth).replace("\"max_concurrency\":48.0,", "");
    let observations = Observations {
        bench: bench::read(&json).unwrap(),
        power: None,
        scope: PowerScope::Gpu,
        statistic: PowerStatistic::P90,
    };
    assert_eq!(
        calibrate(&Deployment::example(), &observations).unwrap_err(),
        CalibrationError::NoConcurrency
    );
    let observations = Observations {
        bench: bench::read(&bench_json(&truth)).unwrap(),
        power: Some(
            summarise(
                &power_log(20.0),
                Window {
                    from_s: Some(30.0),
                    to_s: None,
                },
                None,
            )
            .unwrap(),
        ),
        scope: PowerScope::Gpu,
        statistic: PowerStatistic::P90,
    };
    assert!(matches!(
        calibrate(&Deployment::example(), &observations),
        Err(CalibrationError::BelowIdle { .. })
    ));
}

#[test]
fn a_time_to_first_token_out_of_the_models_reach_leaves_prefill_as_calibrated_with_a_note() {
    let mut truth = truth();
    // Shorter than one decode step: no prefill speed explains it.
    truth.ttft_ms = truth.tpot_ms / 2.0;
    let c = fit_to_bench(&truth);
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("shorter than the model allows")),
        "{:?}",
        c.notes
    );
    // A minute: queueing, not prefill.
    truth.ttft_ms = 60_000.0;
    let slow = fit_to_bench(&truth);
    assert!(
        slow.notes
            .iter()
            .any(|n| n.contains("requests probably queued")),
        "{:?}",
        slow.notes
    );
    // Either way prefill stays as calibrated, so the throughput is still
    // matched, and only the throughput's speed factor is fitted.
    for c in [&c, &slow] {
        assert_eq!(c.prefill_factor, Some(1.0));
        assert_relative_eq!(
            c.comparisons[0].modeled_after,
            truth.output_per_s,
            max_relative = 0.005
        );
        assert!(
            c.notes.iter().all(|n| !n.contains("tokens/s")),
            "{:?}",
            c.notes
        );
    }
}
