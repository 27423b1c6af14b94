//! How long each server-drawn chart takes for the support-chat deployment:
//! the budget is 5 ms per chart, since a page asks for all six at once.
//!
//! `cargo bench -p server --bench charts`
//!
//! The deployment and every chart are checked before anything is timed: a
//! scenario that does not read or evaluate, or a chart that fails to draw,
//! stops the run with the reason, so an error path is never what gets timed.

use std::hint::black_box;

use app::chart_query::DeploymentChart;
use criterion::{Criterion, criterion_group, criterion_main};
use server::charts::deployment_svg;
use tokenfab_core::deployment::Deployment;

fn benches(c: &mut Criterion) {
    let deployment = Deployment::from_json(include_str!(
        "../../tests/scenarios/llama-70b-support-chat.json"
    ))
    .unwrap_or_else(|e| panic!("the support-chat scenario does not read: {e}"));
    let evaluated = deployment
        .evaluated()
        .unwrap_or_else(|e| panic!("the support-chat scenario does not evaluate: {e}"));
    for chart in DeploymentChart::ALL {
        match deployment_svg(chart, &evaluated) {
            Ok(svg) => assert!(
                svg.starts_with("<svg") && svg.len() > 1_000,
                "the {} chart is not a drawn SVG: {svg:.200}",
                chart.slug()
            ),
            Err(e) => panic!("the {} chart does not draw: {e}", chart.slug()),
        }
        c.bench_function(&format!("{} chart (SVG)", chart.slug()), |b| {
            b.iter(|| black_box(deployment_svg(black_box(chart), black_box(&evaluated))))
        });
    }
}

criterion_group!(charts, benches);
criterion_main!(charts);
