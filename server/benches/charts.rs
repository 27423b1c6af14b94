//! How long each server-drawn chart takes for the support-chat deployment:
//! the budget is 5 ms per chart, since a page asks for all six at once.
//!
//! `cargo bench -p server --bench charts`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use server::charts::DeploymentChart;
use tokenfab_core::deployment::Deployment;

fn benches(c: &mut Criterion) {
    let deployment: Deployment = match serde_json::from_str(include_str!(
        "../../tests/scenarios/llama-70b-support-chat.json"
    )) {
        Ok(d) => d,
        Err(_) => return,
    };
    for chart in DeploymentChart::ALL {
        c.bench_function(&format!("{} chart (SVG)", chart.slug()), |b| {
            b.iter(|| chart.render(black_box(&deployment)))
        });
    }
}

criterion_group!(charts, benches);
criterion_main!(charts);
