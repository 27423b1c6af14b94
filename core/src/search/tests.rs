//! The search against the planner itself: whatever shortcuts the search
//! takes, its answers must be the figures of the deployments it names.

use serde_json::{Value, json};

use super::*;
use crate::deployment::{Deployment, PrefillPoolInput, PricingMode};
use crate::headline::Headline;
use crate::model::Precision;
use crate::stack::Stack;

/// A request from the planner's example with `extra` merged in, ranked by
/// the point figures unless `extra` says otherwise: most tests hold the
/// search to the planner's own figures, which the point ranking uses.
fn request(extra: Value) -> SearchRequest {
    let mut value = json!({
        "deployment": serde_json::to_value(Deployment::example()).unwrap(),
        "rank_by": "point"
    });
    merge(&mut value, extra);
    serde_json::from_value(value).unwrap()
}

fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k).or_insert(Value::Null), v);
            }
        }
        (slot, v) => *slot = v,
    }
}

fn run(extra: Value) -> SearchOutcome {
    Search::new(&request(extra)).unwrap().run()
}

/// A small space priced only by the request's own offers.
fn small_space() -> Value {
    json!({
        "space": {
            "accelerators": ["h100-sxm-80gb", "h200-sxm-141gb", "a100-sxm-80gb"],
            "gpus_per_replica": [2, 4, 8],
            "weights": ["bf16", "fp8"],
            "kv_cache": ["bf16", "fp8"],
            "stacks": ["vllm", "tensorrt-llm"],
            "catalogue_offers": false,
            "offers": [
                { "accelerator": "h100-sxm-80gb", "label": "H100 rate", "usd_per_gpu_hour": 2.5 },
                { "accelerator": "h200-sxm-141gb", "label": "H200 rate", "usd_per_gpu_hour": 3.6 },
                { "accelerator": "a100-sxm-80gb", "label": "A100 rate", "usd_per_gpu_hour": 1.3 },
                { "accelerator": "h100-sxm-80gb", "label": "H100 owned", "capex_usd_per_node": 320000 }
            ]
        }
    })
}

#[test]
fn the_winner_of_a_small_space_is_the_cheapest_deployment_found_by_brute_force() {
    let outcome = run(small_space());
    // Every candidate built and evaluated as a planner deployment.
    let base = Deployment::example();
    let mut cheapest: Option<(f64, Deployment)> = None;
    let rates = std::collections::HashMap::from([
        ("h100-sxm-80gb", 2.5),
        ("h200-sxm-141gb", 3.6),
        ("a100-sxm-80gb", 1.3),
    ]);
    let offers: [(&str, PricingMode, f64); 4] = [
        ("h100-sxm-80gb", PricingMode::Cloud, 2.5),
        ("h200-sxm-141gb", PricingMode::Cloud, 3.6),
        ("a100-sxm-80gb", PricingMode::Cloud, 1.3),
        ("h100-sxm-80gb", PricingMode::OnPrem, 320_000.0),
    ];
    for (part, mode, price) in offers {
        for (tp, stages) in [(2, None), (4, None), (8, None), (8, Some(2)), (8, Some(4))] {
            for weights in [Precision::Bf16, Precision::Fp8] {
                for kv in [Precision::Bf16, Precision::Fp8] {
                    for stack in [Stack::Vllm, Stack::TensorrtLlm] {
                        let mut d = base.clone();
                        d.hardware.choice = crate::deployment::Choice::Catalogue(part.to_owned());
                        d.hardware.gpus_per_replica = tp;
                        d.hardware.pipeline_stages = stages;
                        d.hardware.stack = stack;
                        d.model.weights = Some(weights);
                        d.model.kv_cache = Some(kv);
                        d.pricing.mode = mode;
                        match mode {
                            PricingMode::Cloud => d.pricing.usd_per_gpu_hour = price,
                            PricingMode::OnPrem => d.pricing.on_prem.capex_usd_per_node = price,
                        }
                        // Aggregated, then with a prefill pool of each
                        // size on the same part, at the part's prices.
                        let pools = if stages.is_none() {
                            &[None, Some(2), Some(4), Some(8)][..]
                        } else {
                            &[None][..]
                        };
                        for &pool in pools {
                            let mut d = d.clone();
                            d.hardware.prefill_pool =
                                pool.map(|gpus_per_replica| PrefillPoolInput {
                                    catalogue: part.to_owned(),
                                    gpus_per_replica,
                                    usd_per_gpu_hour: rates[part],
                                    capex_usd_per_node: if part == "h100-sxm-80gb" {
                                        320_000.0
                                    } else {
                                        base.pricing.on_prem.capex_usd_per_node
                                    },
                                });
                            let Ok(report) = d.evaluate() else { continue };
                            if !report.performance.meets_latency_targets {
                                continue;
                            }
                            let cost = report.per_response.cost_per_response_usd;
                            if cheapest.as_ref().is_none_or(|(c, _)| cost < *c) {
                                cheapest = Some((cost, d));
                            }
                        }
                    }
                }
            }
        }
    }
    let (cost, deployment) = cheapest.expect("the small space has a feasible deployment");
    let winner = &outcome.best[0];
    assert_eq!(winner.figures.cost_per_response_usd, cost);
    assert_eq!(winner.deployment, deployment);
    // 40 configurations per part (pipelines only with a full server per
    // stage); the H100 has two prices. Each of the 24 without a pipeline
    // pairs with the 3 prefill pools of its stack and precisions on its
    // part, rented or owned as the part can be.
    assert_eq!(outcome.size.candidates, 40 * 2 + 40 + 40 + 72 * 2 + 72 + 72);
    assert_eq!(outcome.size.pairings, 3 * 72);
}

#[test]
fn every_best_candidate_evaluates_in_the_planner_to_the_figures_shown() {
    let outcome = run(json!({ "top": 30 }));
    assert_eq!(outcome.best.len(), 30);
    for c in &outcome.best {
        let report = c.deployment.evaluate().unwrap();
        assert_eq!(Headline::from(&report), c.figures, "{}", c.label);
        assert!(c.figures.meets_latency_targets);
    }
    // Best first.
    for pair in outcome.best.windows(2) {
        assert!(pair[0].objective_value <= pair[1].objective_value);
    }
}

#[test]
fn a_cheaper_price_never_ranks_its_part_worse() {
    let rank_of = |outcome: &SearchOutcome, part: &str| {
        outcome
            .best
            .iter()
            .position(|c| c.accelerator == part)
            .unwrap_or(usize::MAX)
    };
    let mut space = small_space();
    let before = run(json!({ "top": 200 }).tap_merge(space.clone()));
    let a100_before = rank_of(&before, "a100-sxm-80gb");
    space["space"]["offers"][2]["usd_per_gpu_hour"] = json!(0.9);
    let after = run(json!({ "top": 200 }).tap_merge(space));
    let a100_after = rank_of(&after, "a100-sxm-80gb");
    assert!(a100_before > 0, "the A100 should not win at $1.30");
    assert!(a100_after <= a100_before, "{a100_after} > {a100_before}");
    // Its class's best is cheaper by the price's share of the cost.
    let best = |o: &SearchOutcome| {
        o.classes
            .iter()
            .find(|v| v.dimension == "accelerator" && v.choice.contains("A100 80GB"))
            .and_then(|v| v.best_objective)
            .unwrap()
    };
    assert!(best(&after) < best(&before));
}

trait TapMerge {
    fn tap_merge(self, other: Value) -> Value;
}

impl TapMerge for Value {
    fn tap_merge(mut self, other: Value) -> Value {
        merge(&mut self, other);
        self
    }
}

#[test]
fn a_tighter_tpot_target_never_makes_the_winner_cheaper() {
    let mut last = 0.0;
    for tpot in [80.0, 50.0, 35.0, 25.0, 18.0] {
        let outcome = run(json!({ "deployment": { "use_case": { "tpot_target_ms": tpot } } }));
        let cost = outcome.best[0].figures.cost_per_response_usd;
        // The same winner may hold as the target tightens, up to rounding.
        assert!(
            cost >= last * (1.0 - 1e-12),
            "TPOT {tpot} ms: {cost} < {last}"
        );
        assert!(outcome.best[0].figures.tpot_ms <= tpot);
        last = cost;
    }
}

#[test]
fn a_power_budget_that_excludes_the_winner_changes_it_and_says_so() {
    // A100s at a give-away rate win on cost but draw more per token.
    let mut space = small_space();
    space["space"]["offers"][2]["usd_per_gpu_hour"] = json!(0.3);
    let free = run(json!({ "top": 200 }).tap_merge(space.clone()));
    let winner = &free.best[0];
    assert_eq!(winner.accelerator, "a100-sxm-80gb");
    // Between the winner's draw and the next one below it.
    let below = free
        .best
        .iter()
        .map(|c| c.facility_kw_at_load)
        .filter(|&kw| kw < winner.facility_kw_at_load)
        .fold(0.0, f64::max);
    assert!(below > 0.0, "no candidate draws less than the winner");
    let budget = (below + winner.facility_kw_at_load) / 2.0;
    let bound = run(json!({ "constraints": { "power_budget_kw": budget } }).tap_merge(space));
    let new = &bound.best[0];
    assert_ne!(new.label, winner.label);
    assert!(new.facility_kw_at_load <= budget);
    assert!(new.figures.cost_per_response_usd >= winner.figures.cost_per_response_usd);
    assert!(bound.left_out.power_budget > 0);
}

#[test]
fn each_losing_class_says_why_with_figures() {
    // DeepSeek-V3 (671 B parameters) cannot fit sixteen L4s (two servers
    // in a pipeline); Gaudi 2 has no cloud price; the H200 fits.
    let outcome = run(json!({
        "deployment": { "model": { "catalogue": "deepseek-v3", "weights": "fp8" } },
        "space": {
            "accelerators": ["l4-24gb", "gaudi-2", "h200-sxm-141gb"],
            "pipeline_stages": [1, 2],
            "ownership": "cloud"
        }
    }));
    let why = |choice: &str| {
        outcome
            .classes
            .iter()
            .find(|v| v.dimension == "accelerator" && v.choice.contains(choice))
            .map(|v| v.why.clone())
            .unwrap_or_else(|| panic!("no verdict for {choice}"))
    };
    assert!(
        why("L4").starts_with("does not fit in memory"),
        "{}",
        why("L4")
    );
    assert!(why("Gaudi 2").starts_with("no price"), "{}", why("Gaudi 2"));
    assert!(why("H200").starts_with("has the winner"), "{}", why("H200"));
    // Stacks lose by a measured margin or win.
    for v in outcome.classes.iter().filter(|v| v.dimension == "stack") {
        assert!(
            v.why.starts_with("has the winner") || v.why.contains("% dearer"),
            "{}: {}",
            v.choice,
            v.why
        );
    }
}

#[test]
fn no_feasible_candidate_is_an_answer_that_says_why() {
    let outcome = run(json!({ "deployment": { "use_case": { "tpot_target_ms": 0.5 } } }));
    assert!(outcome.best.is_empty());
    assert!(outcome.pareto_cost_energy.is_empty());
    let why = outcome.none_feasible.unwrap();
    assert!(why.contains("miss a latency target"), "{why}");
    assert!(
        why.contains("The closest: latency targets out of reach"),
        "{why}"
    );
    assert_eq!(outcome.size.feasible, 0);
}

#[test]
fn stacks_only_run_where_they_have_builds() {
    let search = Search::new(&request(json!({
        "space": { "accelerators": ["mi300x", "tpu-v6e", "h100-sxm-80gb"] }
    })))
    .unwrap();
    for c in &search.plan().configs {
        let vendor = search.plan().accelerators[c.accelerator].entry.vendor;
        assert!(runs_on(c.stack, vendor), "{:?} on {vendor:?}", c.stack);
    }
    let stacks_on = |id: &str| {
        let mut s: Vec<Stack> = search
            .plan()
            .configs
            .iter()
            .filter(|c| search.plan().accelerators[c.accelerator].entry.id == id)
            .map(|c| c.stack)
            .collect();
        s.dedup();
        s
    };
    assert_eq!(stacks_on("tpu-v6e"), [Stack::Vllm]);
    assert_eq!(stacks_on("mi300x"), [Stack::Vllm, Stack::Sglang]);
    assert_eq!(stacks_on("h100-sxm-80gb").len(), 3);
}

#[test]
fn precisions_below_the_published_one_carry_a_quality_note() {
    // Llama 3.1 70B is published in BF16.
    let outcome = run(json!({ "space": { "weights": ["bf16", "fp8", "int4"] }, "top": 200 }));
    for c in &outcome.best {
        assert_eq!(
            c.quality_note.is_some(),
            c.weights != Precision::Bf16 || c.kv_cache != Precision::Bf16,
            "{}",
            c.label
        );
    }
    // FP4 needs FP4 tensor cores; the default list skips it elsewhere.
    let search = Search::new(&request(json!({}))).unwrap();
    for c in &search.plan().configs {
        if c.weights == Precision::Fp4 {
            assert!(
                search.plan().accelerators[c.accelerator]
                    .entry
                    .spec
                    .fp4_tflops
                    .is_some()
            );
        }
    }
}

#[test]
fn owned_candidates_are_priced_per_server_from_the_catalogue() {
    let outcome = run(json!({
        "space": { "accelerators": ["b200-sxm-180gb"], "ownership": "owned" },
        "top": 50
    }));
    assert!(!outcome.best.is_empty());
    for c in &outcome.best {
        assert_eq!(c.offer.mode, PricingMode::OnPrem);
        let capex = c.offer.capex_usd_per_node.unwrap();
        assert_eq!(c.deployment.pricing.on_prem.capex_usd_per_node, capex);
        assert!(!c.offer.source.is_empty() && !c.offer.date.is_empty());
    }
    // The DGX B200 system price is not topped up with a server around it.
    assert!(
        outcome
            .best
            .iter()
            .any(|c| c.offer.capex_usd_per_node == Some(515_000.0))
    );
}

#[test]
fn bad_requests_name_the_field() {
    let cases = [
        (
            json!({ "space": { "accelerators": [] } }),
            "space.accelerators",
        ),
        (json!({ "space": { "stacks": [] } }), "space.stacks"),
        (json!({ "space": { "weights": [] } }), "space.weights"),
        (
            json!({ "space": { "accelerators": ["h100", "nope"] } }),
            "space.accelerators[0]",
        ),
        (
            json!({ "space": { "gpus_per_replica": [4, 16] } }),
            "space.gpus_per_replica[1]",
        ),
        (
            json!({ "space": { "gpus_per_replica": [0] } }),
            "space.gpus_per_replica[0]",
        ),
        (
            json!({ "constraints": { "power_budget_kw": -1 } }),
            "constraints.power_budget_kw",
        ),
        (
            json!({ "constraints": { "max_gpus": 0 } }),
            "constraints.max_gpus",
        ),
        (json!({ "top": 0 }), "top"),
        (
            json!({ "space": { "offers": [{ "accelerator": "h100-sxm-80gb", "label": "x", "usd_per_gpu_hour": 0 }] } }),
            "space.offers[0].usd_per_gpu_hour",
        ),
        (
            json!({ "deployment": { "pricing": { "pue": 0.5 } } }),
            "deployment.pricing.pue",
        ),
        (
            json!({ "space": { "pipeline_stages": [] } }),
            "space.pipeline_stages",
        ),
        (
            json!({ "space": { "pipeline_stages": [1, 0] } }),
            "space.pipeline_stages[1]",
        ),
        (
            json!({
                "deployment": { "hardware": { "gpus_per_node": 64 } },
                "space": {
                    "gpus_per_replica": (1..=64).collect::<Vec<u32>>(),
                    "weights": ["bf16", "fp8", "int8", "int4", "fp4"],
                    "kv_cache": ["bf16", "fp8", "int8", "int4", "fp4"]
                }
            }),
            "space",
        ),
    ];
    for (extra, field) in cases {
        let e = Search::new(&request(extra.clone())).unwrap_err();
        assert_eq!(e.field(), field, "{extra}");
        assert!(e.to_string().starts_with(field), "{e}");
    }
}

#[test]
fn absurd_demand_is_left_out_with_its_reason() {
    let outcome = run(json!({
        "deployment": { "use_case": { "requests_per_day": 1e12 } },
        "space": { "accelerators": ["l4-24gb"], "ownership": "cloud" }
    }));
    assert!(outcome.best.is_empty());
    let why = outcome.none_feasible.unwrap();
    assert!(
        why.contains("cannot serve the demand") || why.contains("latency"),
        "{why}"
    );
}

#[test]
fn the_fronts_hold_only_candidates_nothing_beats_on_both_figures() {
    let outcome = run(json!({}));
    let front = &outcome.pareto_cost_energy;
    assert!(front.len() >= 2);
    for pair in front.windows(2) {
        assert!(pair[0].cost_per_response_usd <= pair[1].cost_per_response_usd);
        assert!(
            pair[0].value > pair[1].value,
            "energy must fall as cost rises"
        );
    }
    let speed = &outcome.pareto_cost_speed;
    for pair in speed.windows(2) {
        assert!(
            pair[0].value < pair[1].value,
            "speed must rise as cost rises"
        );
    }
    // The cheapest candidate opens both fronts.
    let cheapest = outcome.best[0].figures.cost_per_response_usd;
    assert_eq!(front[0].cost_per_response_usd, cheapest);
}

#[test]
fn a_model_one_server_cannot_hold_is_served_by_a_pipeline_across_servers() {
    // Llama 3.1 405B in BF16 is 810 GB: more than eight H100s hold.
    let outcome = run(json!({
        "deployment": { "model": { "catalogue": "llama-3.1-405b-instruct", "weights": "bf16" } },
        "space": {
            "accelerators": ["h100-sxm-80gb"],
            "weights": ["bf16"],
            "ownership": "cloud"
        },
        "top": 50
    }));
    assert!(!outcome.best.is_empty(), "{:?}", outcome.none_feasible);
    for c in &outcome.best {
        assert!(c.pipeline_stages >= 2, "{}", c.label);
        assert_eq!(c.gpus_per_replica, 8);
        assert_eq!(
            c.deployment.hardware.pipeline_stages,
            Some(c.pipeline_stages)
        );
    }
    let why = |choice: &str| {
        outcome
            .classes
            .iter()
            .find(|v| v.dimension == "pipeline_stages" && v.choice == choice)
            .map(|v| v.why.clone())
            .unwrap()
    };
    assert!(
        why("no pipeline").starts_with("does not fit in memory"),
        "{}",
        why("no pipeline")
    );
}

#[test]
fn a_server_of_four_searches_what_fits_it_and_pipelines_of_whole_servers() {
    let search = Search::new(&request(json!({
        "deployment": { "hardware": { "gpus_per_node": 4 } },
        "space": { "accelerators": ["h100-sxm-80gb"] }
    })))
    .unwrap();
    let mut shapes: Vec<(u32, u32)> = search
        .plan()
        .configs
        .iter()
        .map(|c| (c.gpus_per_replica, c.pipeline_stages))
        .collect();
    shapes.sort_unstable();
    shapes.dedup();
    assert_eq!(shapes, [(1, 1), (2, 1), (4, 1), (4, 2), (4, 4)]);
}

#[test]
fn a_winner_at_zero_leaves_no_ratio_to_print() {
    // A carbon-free grid: every candidate emits nothing.
    let outcome = run(json!({
        "deployment": { "pricing": { "grid_g_co2_per_kwh": 0 } },
        "space": { "accelerators": ["h100-sxm-80gb", "h200-sxm-141gb"] },
        "objective": "g_co2_per_response"
    }));
    for v in &outcome.classes {
        assert!(
            !v.why.contains("NaN") && !v.why.contains("inf"),
            "{}",
            v.why
        );
    }
    assert!(
        outcome
            .classes
            .iter()
            .any(|v| v.why.starts_with("ties the winner"))
    );
}

/// Long prompts under a tight time-per-token target on H100s and H200s
/// only, rented at the request's own rates.
fn long_prompts(disaggregated: &str) -> Value {
    json!({
        "deployment": { "use_case": {
            "input_tokens": 8000, "tpot_target_ms": 30, "ttft_target_ms": 2000
        } },
        "space": {
            "accelerators": ["h100-sxm-80gb", "h200-sxm-141gb"],
            "weights": ["fp8"],
            "kv_cache": ["bf16"],
            "stacks": ["vllm"],
            "catalogue_offers": false,
            "disaggregated": disaggregated,
            "offers": [
                { "accelerator": "h100-sxm-80gb", "label": "H100 rate", "usd_per_gpu_hour": 2.5 },
                { "accelerator": "h200-sxm-141gb", "label": "H200 rate", "usd_per_gpu_hour": 3.6 }
            ]
        },
        "top": 50
    })
}

#[test]
fn long_prompts_under_a_tight_time_per_token_are_served_disaggregated_and_the_margin_said() {
    let split = run(long_prompts("same_accelerator"));
    let plain = run(long_prompts("off"));
    assert_eq!(plain.size.pairings, 0);
    assert!(plain.best.iter().all(|c| c.prefill_pool.is_none()));
    let winner = &split.best[0];
    let pool = winner
        .prefill_pool
        .as_ref()
        .expect("a disaggregated winner");
    assert_eq!(pool.accelerator, winner.accelerator);
    // The figures are the planner's for the deployment named.
    let report = winner.deployment.evaluate().unwrap();
    assert_eq!(Headline::from(&report), winner.figures);
    assert!(report.pools.is_some());
    // Pairing adds candidates and leaves the aggregated ones as they were.
    let aggregated_best = split
        .best
        .iter()
        .find(|c| c.prefill_pool.is_none())
        .unwrap();
    assert_eq!(aggregated_best.figures, plain.best[0].figures);
    let (won, lost) = (
        winner.figures.cost_per_response_usd,
        plain.best[0].figures.cost_per_response_usd,
    );
    assert!(won < lost);
    let serving = |choice: &str| {
        split
            .classes
            .iter()
            .find(|v| v.dimension == "serving" && v.choice.starts_with(choice))
            .unwrap()
    };
    let percent = (1.0 - won / lost) * 100.0;
    let why = &serving("disaggregated").why;
    assert!(
        why.contains(&format!(
            "{percent:.1} % cheaper than the best aggregated candidate"
        )),
        "{why}"
    );
    assert!(serving("aggregated").why.contains("dearer than the winner"));
    // A disaggregated winner is in no accelerator's class.
    assert!(
        split
            .classes
            .iter()
            .filter(|v| v.dimension == "accelerator")
            .all(|v| !v.has_winner)
    );
}

#[test]
fn short_prompts_under_a_loose_target_keep_aggregated_serving_ahead() {
    // A fleet of hundreds, so whole replicas do not decide it: the prefill
    // pool's headroom then costs more than the prompt work it takes out
    // of the decode steps.
    let mut request = long_prompts("same_accelerator");
    request["deployment"]["use_case"] = json!({
        "input_tokens": 300, "tpot_target_ms": 100, "ttft_target_ms": 2000,
        "requests_per_day": 200_000_000
    });
    let outcome = run(request);
    assert!(
        outcome.best[0].prefill_pool.is_none(),
        "{}",
        outcome.best[0].label
    );
    let serving = outcome
        .classes
        .iter()
        .find(|v| v.dimension == "serving" && v.has_winner)
        .unwrap();
    assert!(
        serving
            .why
            .contains("cheaper than the best disaggregated candidate"),
        "{}",
        serving.why
    );
}

#[test]
fn prefill_pools_on_another_part_are_priced_at_that_part_s_rate() {
    let mut request = long_prompts("any_accelerator");
    request["space"]["accelerators"] = json!(["h100-sxm-80gb", "h200-sxm-141gb", "a100-sxm-80gb"]);
    request["space"]["offers"].as_array_mut().unwrap().push(
        json!({ "accelerator": "a100-sxm-80gb", "label": "A100 rate", "usd_per_gpu_hour": 1.1 }),
    );
    request["top"] = json!(200);
    let outcome = run(request);
    let mixed: Vec<&Candidate> = outcome
        .best
        .iter()
        .filter(|c| {
            c.prefill_pool
                .as_ref()
                .is_some_and(|p| p.accelerator != c.accelerator)
        })
        .collect();
    assert!(!mixed.is_empty());
    for c in mixed {
        let pool = c.prefill_pool.as_ref().unwrap();
        let rate = match pool.accelerator.as_str() {
            "h100-sxm-80gb" => 2.5,
            "h200-sxm-141gb" => 3.6,
            _ => 1.1,
        };
        assert_eq!(pool.offer.usd_per_gpu_hour, Some(rate));
        let d = c.deployment.hardware.prefill_pool.as_ref().unwrap();
        assert_eq!(d.usd_per_gpu_hour, rate);
        let report = c.deployment.evaluate().unwrap();
        assert_eq!(Headline::from(&report), c.figures, "{}", c.label);
    }
}

#[test]
fn every_prefill_pool_on_every_part_of_the_whole_catalogue_is_refused_before_it_is_laid_out() {
    let e = Search::new(&request(json!({ "space": {
        "disaggregated": "any_accelerator",
        "pipeline_stages": [1]
    } })))
    .unwrap_err();
    assert!(matches!(e, SearchError::TooManyPairings { .. }), "{e}");
    assert_eq!(e.field(), "space.disaggregated");
}

#[test]
fn a_search_from_a_disaggregated_deployment_names_deployments_that_evaluate_to_its_figures() {
    let mut base = serde_json::to_value(Deployment::example()).unwrap();
    base["hardware"]["prefill_pool"] = json!({
        "catalogue": "h100-sxm-80gb", "gpus_per_replica": 4,
        "usd_per_gpu_hour": 2.94, "capex_usd_per_node": 300000
    });
    for pd in ["off", "same_accelerator"] {
        let outcome = Search::new(
            &serde_json::from_value(json!({
                "deployment": base,
                "space": { "accelerators": ["h100-sxm-80gb", "h200-sxm-141gb"], "disaggregated": pd },
                "top": 50
            }))
            .unwrap(),
        )
        .unwrap()
        .run();
        for c in &outcome.best {
            assert_eq!(
                c.deployment.hardware.prefill_pool.is_some(),
                c.prefill_pool.is_some(),
                "{}",
                c.label
            );
            let report = c.deployment.evaluate().unwrap();
            assert_eq!(Headline::from(&report), c.figures, "{}", c.label);
        }
        // Nothing to say of the kind of serving when only one was tried.
        let serving = outcome.classes.iter().any(|v| v.dimension == "serving");
        assert_eq!(serving, pd != "off", "{pd}");
    }
}

/// A space where vLLM and SGLang tie as given, and the validation table
/// measures them differently.
fn close_stacks() -> Value {
    json!({
        "space": {
            "accelerators": ["l4-24gb", "gaudi-2", "h200-sxm-141gb"],
            "pipeline_stages": [1, 2],
            "ownership": "cloud"
        }
    })
}

#[test]
fn ranked_by_expected_value_the_best_come_in_that_order_and_open_to_the_same_range() {
    let outcome = run(close_stacks().tap_merge(json!({ "rank_by": "expected", "top": 5 })));
    assert_eq!(outcome.ranking.rank_by, RankBy::Expected);
    assert_eq!(outcome.ranking.drawn, DRAWN_CANDIDATES);
    assert_eq!(outcome.ranking.samples, crate::uncertainty::DEFAULT_SAMPLES);
    let expected: Vec<f64> = outcome
        .best
        .iter()
        .map(|c| c.range.expect("every listed candidate is drawn").expected)
        .collect();
    assert!(expected.is_sorted(), "{expected:?}");
    // The planner draws the winner's ranges to the same figures: same
    // ranges, same seed, same draws.
    let winner = &outcome.best[0];
    let planner = crate::uncertainty::evaluate_ranges(&winner.deployment).unwrap();
    let cost = planner
        .figures
        .iter()
        .find(|f| f.figure == "cost_per_response_usd")
        .unwrap();
    let range = winner.range.unwrap();
    assert_eq!(
        (cost.expected, cost.p10, cost.p90),
        (range.expected, range.p10, range.p90)
    );
    assert_eq!(
        planner.probabilities.latency_targets_hold,
        range.latency_targets_hold
    );
}

#[test]
fn the_expected_value_reorders_candidates_that_tie_as_given_and_the_verdicts_say_why() {
    let point = run(close_stacks().tap_merge(json!({ "top": 24 })));
    let expected = run(close_stacks().tap_merge(json!({ "rank_by": "expected", "top": 24 })));
    let sglang = |o: &SearchOutcome| {
        o.best
            .iter()
            .position(|c| c.stack == Stack::Sglang)
            .expect("SGLang is among the best")
    };
    // As given, SGLang ties the winner ...
    let tie = &point.best[sglang(&point)];
    assert_eq!(tie.objective_value, point.best[0].objective_value);
    // ... but its measured error says it runs slower than the model
    // predicts, so over the draws it costs more than a candidate that is
    // dearer as given, which now ranks above it.
    let at = sglang(&expected);
    let behind = &expected.best[at];
    let above = expected.best[..at]
        .iter()
        .find(|c| c.objective_value > behind.objective_value)
        .expect("a dearer candidate ranks above it");
    assert!(above.range.unwrap().expected < behind.range.unwrap().expected);
    let verdict = expected
        .classes
        .iter()
        .find(|v| v.dimension == "stack" && v.choice == "SGLang")
        .unwrap();
    assert!(
        verdict.why.starts_with("level with the winner as given"),
        "{}",
        verdict.why
    );
    // INT8 weights serve at the same speed here as FP8: tied as given and
    // over the same draws, and said so.
    let int8 = expected
        .classes
        .iter()
        .find(|v| v.dimension == "weights" && v.choice == "INT8 weights")
        .unwrap();
    assert!(
        int8.why
            .starts_with("ties the winner as given and over the ranges"),
        "{}",
        int8.why
    );
    // Every verdict with the winner quotes the winner's own figure.
    let winner = format!("${:.6} per response", expected.best[0].objective_value);
    for v in expected.classes.iter().filter(|v| v.has_winner) {
        assert!(
            v.why.starts_with(&format!("has the winner: {winner}")),
            "{}",
            v.why
        );
    }
    // Ranking by the unfavourable end orders by the P90.
    let p90 = run(close_stacks().tap_merge(json!({ "rank_by": "p90" })));
    let ends: Vec<f64> = p90.best.iter().map(|c| c.range.unwrap().p90).collect();
    assert!(ends.is_sorted(), "{ends:?}");
}

#[test]
fn a_range_of_the_planner_s_moves_with_each_candidate_s_price() {
    let outcome = run(json!({
        "rank_by": "expected",
        "top": 12,
        "space": { "accelerators": ["h100-sxm-80gb", "h200-sxm-141gb"], "ownership": "cloud" },
        "deployment": { "ranges": { "inputs": [
            { "input": "pricing.usd_per_gpu_hour", "low": 2.352, "high": 3.528 },
            { "input": "use_case.requests_per_day", "low": 1000000, "high": 3000000 }
        ] } }
    }));
    for c in &outcome.best {
        let rate = c.deployment.pricing.usd_per_gpu_hour;
        let ranges = c.deployment.ranges.as_ref().unwrap();
        let price = &ranges.inputs[0];
        assert_eq!(price.input, "pricing.usd_per_gpu_hour");
        assert!((price.low / rate - 0.8).abs() < 1e-9 && (price.high / rate - 1.2).abs() < 1e-9);
        // The use case is every candidate's: its range stays as given.
        assert_eq!((ranges.inputs[1].low, ranges.inputs[1].high), (1e6, 3e6));
        assert!(c.range.is_some(), "{}", c.label);
    }
}

#[test]
fn a_range_whose_low_is_the_value_stays_around_each_candidate_s_value() {
    // Rounding of the scaled low must never leave it above a candidate's rate.
    let outcome = run(json!({
        "rank_by": "expected",
        "top": 30,
        "space": { "accelerators": ["h100-sxm-80gb", "h200-sxm-141gb"], "ownership": "cloud" },
        "deployment": {
            "pricing": { "usd_per_gpu_hour": 2.16 },
            "ranges": { "samples": 100, "inputs": [
                { "input": "pricing.usd_per_gpu_hour", "low": 2.16, "high": 3.0 }
            ] }
        }
    }));
    for c in &outcome.best {
        let price = &c.deployment.ranges.as_ref().unwrap().inputs[0];
        let rate = c.deployment.pricing.usd_per_gpu_hour;
        assert!(
            price.low <= rate && rate <= price.high,
            "{price:?} around {rate}"
        );
        assert!(c.range.is_some(), "{} was not drawn", c.label);
        crate::uncertainty::evaluate_ranges(&c.deployment).unwrap();
    }
}

#[test]
fn ranges_that_are_not_ranges_stop_the_search_naming_the_field() {
    let e = Search::new(&request(json!({
        "rank_by": "expected",
        "deployment": { "ranges": { "inputs": [
            { "input": "pricing.usd_per_gpu_hour", "low": 3.0, "high": 4.0 }
        ] } }
    })))
    .unwrap_err();
    assert!(
        e.to_string().starts_with("deployment.ranges.inputs[0].low"),
        "{e}"
    );
    let e = Search::new(&request(json!({
        "deployment": { "ranges": { "samples": 0 } }
    })))
    .unwrap_err();
    assert!(
        e.to_string().starts_with("deployment.ranges.samples"),
        "{e}"
    );
    // A range on what the search does not carry over is dropped, and a
    // bad one after it named at its own place.
    let e = Search::new(&request(json!({
        "deployment": {
            "measured": { "watts": 5000, "scope": "server" },
            "ranges": { "inputs": [
                { "input": "measured.watts", "low": 4000, "high": 6000 },
                { "input": "pricing.usd_per_gpu_hour", "low": 3.0, "high": 4.0 }
            ] }
        }
    })))
    .unwrap_err();
    assert!(
        e.to_string().starts_with("deployment.ranges.inputs[1].low"),
        "{e}"
    );
    // Too many draws in all for the candidates ranked: named, with the most allowed.
    let e = Search::new(&request(json!({
        "rank_by": "p90",
        "top": 200,
        "deployment": { "ranges": { "samples": 20000 } }
    })))
    .unwrap_err();
    assert_eq!(e.field(), "deployment.ranges.samples");
    assert!(e.to_string().contains("give at most 1000"), "{e}");
    // The same ranges ranked by the point figure draw nothing, so run.
    assert!(
        Search::new(&request(json!({
            "top": 200,
            "deployment": { "ranges": { "samples": 20000 } }
        })))
        .is_ok()
    );
}
