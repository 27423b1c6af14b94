//! How long one evaluation takes: the planned search over thousands of
//! deployments needs it to stay in the sub-microsecond range.
//!
//! `cargo bench -p tokenfab-core`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tokenfab_core::Scenario;
use tokenfab_core::catalogue;
use tokenfab_core::model::Precision;
use tokenfab_core::perf::{Replica, RequestShape};
use tokenfab_core::stack::Stack;

fn benches(c: &mut Criterion) {
    let scenario = Scenario::example();
    c.bench_function("measured-level scenario evaluation", |b| {
        b.iter(|| black_box(&scenario).evaluate())
    });

    let deployment: tokenfab_core::deployment::Deployment = match serde_json::from_str(
        include_str!("../../tests/scenarios/llama-70b-support-chat.json"),
    ) {
        Ok(d) => d,
        Err(_) => return,
    };
    c.bench_function("modeled deployment evaluation (full report)", |b| {
        b.iter(|| black_box(&deployment).evaluate())
    });

    let model = catalogue::model("llama-3.3-70b-instruct").map(|m| m.spec);
    let gpu = catalogue::accelerator("h100-sxm-80gb").map(|a| a.spec);
    let (Some(model), Some(gpu)) = (model, gpu) else {
        return;
    };
    let efficiency = Stack::Vllm.efficiency();
    let replica = Replica {
        model: &model,
        weights: Precision::Fp8,
        kv_cache: Precision::Bf16,
        accelerator: &gpu,
        tensor_parallel: 4,
        efficiency: &efficiency,
    };
    let shape = RequestShape {
        input_tokens: 1_000.0,
        output_tokens: 300.0,
        prefix_cache_hit_rate: 0.5,
    };
    c.bench_function("operating point (one concurrency)", |b| {
        b.iter(|| black_box(&replica).operating_point(black_box(&shape), black_box(64.0)))
    });
    c.bench_function("best operating point under TTFT/TPOT targets", |b| {
        b.iter(|| black_box(&replica).best_operating_point(black_box(&shape), 512.0, 0.05, 1.0))
    });
    c.bench_function("1,000-point concurrency sweep", |b| {
        b.iter(|| {
            (1..=1000)
                .map(|i| {
                    replica
                        .operating_point(&shape, f64::from(i))
                        .output_tokens_per_s
                })
                .sum::<f64>()
        })
    });
}

criterion_group!(evaluate, benches);
criterion_main!(evaluate);
