//! How fast the deployment search runs: candidates per second on one core,
//! for the default search (every catalogue part, replica size, precision,
//! stack and price) of the planner's starting deployment, ranked by the
//! expected value over the ranges (the default) and by the point figure.
//!
//! `cargo bench -p tokenfab-core --bench search`
//!
//! The bench prints the search's size before timing it, so the candidates
//! per second follow from the median time.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tokenfab_core::deployment::Deployment;
use tokenfab_core::search::{Search, SearchRequest};

fn default_search(rank_by: &str) -> Search {
    let request: SearchRequest = serde_json::from_value(serde_json::json!({
        "deployment": serde_json::to_value(Deployment::example()).expect("the example serialises"),
        "rank_by": rank_by,
    }))
    .expect("a request with only a deployment reads");
    let search = Search::new(&request).unwrap_or_else(|e| panic!("the default search fails: {e}"));
    let outcome = search.run();
    assert!(
        !outcome.best.is_empty(),
        "the default search finds nothing, so an error path would be timed"
    );
    eprintln!(
        "default search by {rank_by}: {} configurations, {} candidates, {} feasible, {} drawn",
        outcome.size.configurations,
        outcome.size.candidates,
        outcome.size.feasible,
        outcome.ranking.drawn
    );
    search
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("search");
    group.sample_size(20);
    for rank_by in ["expected", "point"] {
        let search = default_search(rank_by);
        group.throughput(Throughput::Elements(search.candidates() as u64));
        group.bench_function(format!("default search, whole, ranked by {rank_by}"), |b| {
            b.iter(|| black_box(&search).run())
        });
    }
    group.finish();
}

criterion_group!(search, benches);
criterion_main!(search);
