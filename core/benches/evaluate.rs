//! How long one evaluation takes: the planned search over thousands of
//! deployments needs it to stay in the sub-microsecond range.
//!
//! `cargo bench -p tokenfab-core`
//!
//! Each input is checked before it is timed: a scenario that does not read,
//! a catalogue id that is gone or an evaluation that fails stops the run
//! with the reason, so an error path is never what gets timed.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tokenfab_core::catalogue;
use tokenfab_core::deployment::{Deployment, Origin};
use tokenfab_core::latency::{Percentile, Targets};
use tokenfab_core::model::Precision;
use tokenfab_core::perf::{Replica, RequestShape};
use tokenfab_core::stack::Stack;
use tokenfab_core::sweep;

/// The support-chat deployment, predicted by the performance model from
/// start to end (nothing measured replaces it).
fn support_chat() -> Deployment {
    let deployment = Deployment::from_json(include_str!(
        "../../tests/scenarios/llama-70b-support-chat.json"
    ))
    .unwrap_or_else(|e| panic!("the support-chat scenario does not read: {e}"));
    let report = deployment
        .evaluate()
        .unwrap_or_else(|e| panic!("the support-chat scenario does not evaluate: {e}"));
    assert_eq!(
        (report.performance.origin, report.power.origin),
        (Origin::Modeled, Origin::Modeled),
        "the support-chat scenario should be predicted, not measured"
    );
    deployment
}

fn benches(c: &mut Criterion) {
    let deployment = support_chat();
    c.bench_function("modeled deployment evaluation (full report)", |b| {
        b.iter(|| black_box(black_box(&deployment).evaluate()))
    });

    // A 1,000-point sweep of an input that only reaches the economics (the
    // operating point is found once) and of one that moves the operating
    // point (found again at every point).
    for (path, from, step) in [
        ("pricing.usd_per_gpu_hour", 0.5, 0.01),
        ("use_case.input_tokens", 100.0, 10.0),
    ] {
        let values: Vec<f64> = (0..1_000).map(|i| from + step * f64::from(i)).collect();
        let points = sweep::sweep(&deployment, path, &values)
            .unwrap_or_else(|e| panic!("the {path} sweep does not start: {e}"));
        if let Some(p) = points.iter().find(|p| p.figures.is_none()) {
            panic!("the {path} sweep fails at {}: {:?}", p.value, p.error);
        }
        c.bench_function(&format!("1,000-point sweep of {path}"), |b| {
            b.iter(|| black_box(sweep::sweep(black_box(&deployment), path, &values)))
        });
    }

    let model = catalogue::model("llama-3.3-70b-instruct")
        .unwrap_or_else(|| panic!("no llama-3.3-70b-instruct in the model catalogue"))
        .spec;
    let gpu = catalogue::accelerator("h100-sxm-80gb")
        .unwrap_or_else(|| panic!("no h100-sxm-80gb in the accelerator catalogue"))
        .spec;
    let efficiency = Stack::Vllm.efficiency();
    let replica = Replica {
        model: &model,
        weights: Precision::Fp8,
        kv_cache: Precision::Bf16,
        accelerator: &gpu,
        tensor_parallel: 4,
        expert_parallel: false,
        pipeline_stages: 1,
        efficiency: &efficiency,
    };
    let shape = RequestShape {
        input_tokens: 1_000.0,
        output_tokens: 300.0,
        prefix_cache_hit_rate: 0.5,
    };
    let point = replica.operating_point(&shape, 64.0);
    assert!(
        point.output_tokens_per_s.is_finite() && point.output_tokens_per_s > 0.0,
        "64 sequences on four H100s should generate tokens: {point:?}"
    );
    let targets = Targets {
        ttft_s: 1.0,
        tpot_s: 0.05,
        at: Percentile::Mean,
    };
    let best = replica.best_operating_point(&shape, 512.0, &targets);
    // The search should bisect to a batch that meets both targets, not
    // stop at one sequence because even that misses them.
    assert!(
        best.concurrency > 1.0 && targets.met_by(&replica.load(&shape, &best).latency()),
        "the TTFT/TPOT search should find a batch meeting both targets: {best:?}"
    );

    c.bench_function("operating point (one concurrency)", |b| {
        b.iter(|| {
            black_box(black_box(&replica).operating_point(black_box(&shape), black_box(64.0)))
        })
    });
    c.bench_function("best operating point under TTFT/TPOT targets", |b| {
        b.iter(|| {
            black_box(black_box(&replica).best_operating_point(
                black_box(&shape),
                black_box(512.0),
                black_box(&targets),
            ))
        })
    });
    c.bench_function("1,000-point concurrency sweep", |b| {
        b.iter(|| {
            let (replica, shape) = (black_box(&replica), black_box(&shape));
            black_box(
                (1..=1000)
                    .map(|i| {
                        replica
                            .operating_point(shape, f64::from(i))
                            .output_tokens_per_s
                    })
                    .sum::<f64>(),
            )
        })
    });
}

criterion_group!(evaluate, benches);
criterion_main!(evaluate);
