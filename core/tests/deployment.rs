//! Llama 3.1 70B in FP8 on H100s serving support chat, modeled: its fleet, costs and latency.

mod common;

use approx::assert_relative_eq;
use tokenfab_core::deployment::{Choice, Deployment, PricingMode};

use common::{measured_rates, support_chat};

#[test]
fn the_built_in_example_is_the_support_chat_scenario_file() {
    assert_eq!(Deployment::example(), support_chat());
    assert!(Deployment::example().evaluate().is_ok());
}

#[test]
fn the_fleet_covers_the_peak_and_the_latency_targets_hold() {
    let r = support_chat().evaluate().unwrap();
    assert!(r.fleet.capacity_requests_per_s >= r.fleet.peak_requests_per_s);
    assert!(r.performance.meets_latency_targets);
    assert!(r.performance.tpot_ms <= 50.0 && r.performance.ttft_ms <= 800.0);
    assert_eq!(r.fleet.gpus, r.fleet.replicas * 4);
    assert!(r.fleet.utilisation > 0.0 && r.fleet.utilisation <= 1.0);
}

#[test]
fn the_fleet_generates_the_tokens_the_peak_asks_for() {
    let d = support_chat();
    let r = d.evaluate().unwrap();
    let per_attempt = d.use_case.output_tokens + d.use_case.reasoning_tokens;
    assert!(
        r.performance.output_tokens_per_s_per_fleet >= r.fleet.peak_requests_per_s * per_attempt
    );
    assert!(
        r.performance.input_tokens_per_s_per_fleet
            >= r.fleet.peak_requests_per_s * d.use_case.input_tokens
    );
}

#[test]
fn a_tighter_tpot_target_needs_more_replicas() {
    let loose = support_chat().evaluate().unwrap();
    let mut d = support_chat();
    d.use_case.tpot_target_ms = 15.0;
    let tight = d.evaluate().unwrap();
    assert!(tight.performance.concurrency < loose.performance.concurrency);
    assert!(tight.fleet.replicas > loose.fleet.replicas);
}

#[test]
fn the_response_cost_adds_up_its_terms() {
    let r = support_chat().evaluate().unwrap();
    let c = r.per_response.cost_usd;
    assert_relative_eq!(
        r.per_response.cost_per_response_usd,
        c.generated + c.input + c.pre_post,
        max_relative = 1e-12
    );
    // 400 guardrail tokens at $0.02 per million.
    assert_relative_eq!(c.pre_post, 400.0 * 0.02 / 1e6, max_relative = 1e-12);
}

#[test]
fn doubling_the_rental_price_doubles_token_costs_but_not_energy() {
    let base = support_chat().evaluate().unwrap();
    let mut d = support_chat();
    d.pricing.usd_per_gpu_hour *= 2.0;
    let dear = d.evaluate().unwrap();
    assert_relative_eq!(
        dear.costs.at_load.usd_per_m_output,
        2.0 * base.costs.at_load.usd_per_m_output,
        max_relative = 1e-12
    );
    assert_eq!(dear.energy.tokens_per_joule, base.energy.tokens_per_joule);
}

#[test]
fn owning_changes_the_cost_and_nothing_else() {
    let cloud = support_chat().evaluate().unwrap();
    let mut d = support_chat();
    d.pricing.mode = PricingMode::OnPrem;
    let owned = d.evaluate().unwrap();
    assert_ne!(
        owned.costs.fleet_usd_per_hour,
        cloud.costs.fleet_usd_per_hour
    );
    assert_eq!(owned.performance, cloud.performance);
    assert_eq!(owned.energy, cloud.energy);
    assert_relative_eq!(
        owned.costs.usd_per_gpu_hour,
        cloud.costs.on_prem_usd_per_gpu_hour,
        max_relative = 1e-12
    );
}

#[test]
fn a_lax_latency_target_lets_memory_or_the_stack_cap_the_batch() {
    use tokenfab_core::deployment::ConcurrencyLimiter;
    let mut d = support_chat();
    d.use_case.tpot_target_ms = 10_000.0;
    d.use_case.ttft_target_ms = 100_000.0;
    let r = d.evaluate().unwrap();
    assert_ne!(
        r.performance.concurrency_limiter,
        ConcurrencyLimiter::LatencyTarget
    );
    d.use_case.tpot_target_ms = 15.0;
    let r = d.evaluate().unwrap();
    assert_eq!(
        r.performance.concurrency_limiter,
        ConcurrencyLimiter::LatencyTarget
    );
}

#[test]
fn over_the_hardware_life_owning_and_renting_totals_are_reported() {
    let r = support_chat().evaluate().unwrap();
    // Four years of renting 12 GPUs at $2.94.
    let hours = 4.0 * 8_760.0;
    assert_relative_eq!(
        r.costs.cloud_total_usd,
        2.94 * f64::from(r.fleet.gpus) * hours,
        max_relative = 1e-12
    );
    // A break-even inside the life means owning is cheaper over it.
    if r.costs.break_even_month.is_some_and(|m| m < 48.0) {
        assert!(r.costs.on_prem_total_usd < r.costs.cloud_total_usd);
    }
}

#[test]
fn the_latency_figures_agree_with_each_other() {
    // A replica of 4 GPUs runs `concurrency` sequences that together make
    // its output tokens/s: each sequence gets one token per TPOT.
    for d in [support_chat(), measured_rates(40_000.0, Some(5_000.0), 1)] {
        let r = d.evaluate().unwrap();
        let p = r.performance;
        assert_relative_eq!(
            p.tpot_ms,
            p.concurrency / p.output_tokens_per_s_per_replica * 1e3,
            max_relative = 1e-12
        );
        assert_relative_eq!(
            p.tokens_per_s_per_user,
            1e3 / p.tpot_ms,
            max_relative = 1e-12
        );
        assert_relative_eq!(
            p.output_tokens_per_s_per_gpu,
            p.output_tokens_per_s_per_replica / 4.0,
            max_relative = 1e-12
        );
        // The first token, then 299 more at TPOT each... counted as 300 steps.
        assert_relative_eq!(
            p.end_to_end_s,
            p.ttft_ms / 1e3 + 300.0 * p.tpot_ms / 1e3,
            max_relative = 1e-12
        );
        assert!(p.ttft_ms > 1.0 && p.ttft_ms < 10_000.0, "{}", p.ttft_ms);
        assert!(p.tpot_ms > 1.0 && p.tpot_ms < 1_000.0, "{}", p.tpot_ms);
    }
}

#[test]
fn the_targets_hold_only_when_both_latencies_are_within_them() {
    // No batch brings a token within a hundredth of a millisecond, nor the
    // first token within a microsecond.
    let output = support_chat()
        .evaluate()
        .unwrap()
        .performance
        .output_tokens_per_s_per_replica;
    let with_targets = |ttft_target: f64, tpot_target: f64| {
        let mut d = measured_rates(1e6, Some(output), 1);
        d.use_case.ttft_target_ms = ttft_target;
        d.use_case.tpot_target_ms = tpot_target;
        d.evaluate().unwrap().performance
    };
    let lax = with_targets(10_000.0, 1_000.0);
    assert!(lax.meets_latency_targets);
    let p = with_targets(10_000.0, 0.01);
    assert!(p.tpot_ms > 0.01, "TPOT {} ms", p.tpot_ms);
    assert!(!p.meets_latency_targets);
    let p = with_targets(0.001, 1_000.0);
    assert!(p.ttft_ms > 0.001, "TTFT {} ms", p.ttft_ms);
    assert!(!p.meets_latency_targets);
    // The quickest first token there is, missed by a tenth.
    let quickest = p.ttft_ms;
    assert!(quickest > 2.0, "TTFT {quickest} ms");
    let p = with_targets(quickest * 0.9, 1_000.0);
    assert!(!p.meets_latency_targets, "TTFT {} ms", p.ttft_ms);
}

#[test]
fn a_tighter_ttft_target_is_met_with_a_smaller_batch() {
    let mut d = support_chat();
    d.use_case.tpot_target_ms = 1_000.0;
    d.use_case.ttft_target_ms = 60_000.0;
    let loose = d.evaluate().unwrap();
    // Half the TTFT the loose batch gives: the search must shrink the batch.
    let target = loose.performance.ttft_ms / 2.0;
    d.use_case.ttft_target_ms = target;
    let tight = d.evaluate().unwrap();
    assert!(tight.performance.ttft_ms <= target * 1.000_001);
    assert!(tight.performance.concurrency < loose.performance.concurrency);
    assert!(tight.performance.meets_latency_targets);
}

#[test]
fn the_batch_cap_names_memory_or_the_stack_whichever_binds() {
    use tokenfab_core::deployment::ConcurrencyLimiter;
    let mut d = support_chat();
    d.use_case.tpot_target_ms = 10_000.0;
    d.use_case.ttft_target_ms = 1_000_000.0;
    // Long prompts on 70 B weights: the KV cache fills memory first.
    d.use_case.input_tokens = 100_000.0;
    let r = d.evaluate().unwrap();
    assert_eq!(
        r.performance.concurrency_limiter,
        ConcurrencyLimiter::MemoryCapacity
    );
    assert!(r.memory.max_concurrency <= f64::from(d.hardware.stack.efficiency().max_batch));
    // A small model with short prompts fits more sequences than the stack runs.
    d.model.choice = Choice::Catalogue("llama-3.1-8b-instruct".to_owned());
    d.use_case.input_tokens = 100.0;
    d.use_case.output_tokens = 100.0;
    let r = d.evaluate().unwrap();
    assert_eq!(
        r.performance.concurrency_limiter,
        ConcurrencyLimiter::StackLimit
    );
    assert_relative_eq!(
        r.performance.concurrency,
        f64::from(d.hardware.stack.efficiency().max_batch)
    );
}

#[test]
fn targets_at_the_99th_percentile_need_a_larger_fleet() {
    use tokenfab_core::latency::Percentile;
    let mut d = support_chat();
    // Demand enough for the fleet's rounding to hide nothing.
    d.use_case.requests_per_day *= 50.0;
    d.use_case.tpot_target_ms = 1_000.0;
    let mean = d.evaluate().unwrap();
    assert_eq!(mean.performance.latency_targets_at, Percentile::Mean);
    // One request in a hundred waits behind a queue of prompts and shares
    // its steps with more prefills than the average one.
    assert!(mean.performance.ttft_p99_ms > mean.performance.ttft_ms);
    assert!(mean.performance.tpot_p99_ms > mean.performance.tpot_ms);
    // A target between the mean and the P99 that fleet gives: met at the
    // mean, so it binds only at the 99th percentile.
    d.use_case.ttft_target_ms = (mean.performance.ttft_ms + mean.performance.ttft_p99_ms) / 2.0;
    let at_mean = d.evaluate().unwrap();
    assert_eq!(at_mean.fleet.gpus, mean.fleet.gpus);
    d.use_case.latency_targets_at = Percentile::P99;
    let at_p99 = d.evaluate().unwrap();
    assert!(at_p99.performance.meets_latency_targets);
    assert!(at_p99.performance.ttft_p99_ms <= d.use_case.ttft_target_ms);
    assert!(at_p99.performance.concurrency < at_mean.performance.concurrency);
    assert!(
        at_p99.fleet.gpus > at_mean.fleet.gpus,
        "{} GPUs at the P99, {} at the mean",
        at_p99.fleet.gpus,
        at_mean.fleet.gpus
    );
    assert!(at_p99.per_response.cost_per_response_usd > at_mean.per_response.cost_per_response_usd);
}

#[test]
fn targets_bound_the_mean_unless_the_json_says_p99() {
    use tokenfab_core::latency::Percentile;
    let mut json: serde_json::Value = serde_json::to_value(support_chat()).unwrap();
    json["use_case"]
        .as_object_mut()
        .unwrap()
        .remove("latency_targets_at");
    let d = Deployment::from_json(&json.to_string()).unwrap();
    assert_eq!(d.use_case.latency_targets_at, Percentile::Mean);
    json["use_case"]["latency_targets_at"] = "p99".into();
    let d = Deployment::from_json(&json.to_string()).unwrap();
    assert_eq!(d.use_case.latency_targets_at, Percentile::P99);
    json["use_case"]["latency_targets_at"] = "p95".into();
    let err = Deployment::from_json(&json.to_string())
        .unwrap_err()
        .to_string();
    assert!(err.contains("use_case.latency_targets_at"), "{err}");
}
