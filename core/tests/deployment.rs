//! A modeled deployment: Llama 3.1 70B in FP8 on H100s serving support chat.

use approx::assert_relative_eq;
use tokenfab_core::deployment::{
    Choice, Deployment, DeploymentError, MeasuredInput, Origin, PowerScope, PricingMode,
};

fn support_chat() -> Deployment {
    serde_json::from_str(include_str!(
        "../../tests/scenarios/llama-70b-support-chat.json"
    ))
    .expect("the scenario file is valid")
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
fn a_tighter_tpot_target_needs_more_replicas() {
    let loose = support_chat().evaluate().unwrap();
    let mut d = support_chat();
    d.use_case.tpot_target_ms = 20.0;
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
fn measured_throughput_and_power_replace_the_model() {
    let mut d = support_chat();
    d.hardware.replicas = Some(2);
    d.measured = Some(MeasuredInput {
        output_tokens_per_s: Some(9_000.0),
        watts: Some(4_000.0),
        scope: PowerScope::Gpu,
    });
    let r = d.evaluate().unwrap();
    assert_eq!(r.performance.origin, Origin::Measured);
    assert_relative_eq!(r.performance.output_tokens_per_s_per_replica, 4_500.0);
    assert_eq!(r.power.origin, Origin::Measured);
    // 4,000 W over the 8 GPUs measured.
    assert_relative_eq!(r.power.watts_per_gpu_at_load, 500.0, max_relative = 1e-12);
}

#[test]
fn an_unknown_model_id_is_named() {
    let mut d = support_chat();
    d.model.choice = Choice::Catalogue("llama-9-9000b".to_owned());
    let err = d.evaluate().unwrap_err();
    assert_eq!(err.field(), "model.catalogue");
    assert!(err.to_string().contains("llama-9-9000b"));
}

#[test]
fn a_model_too_big_for_its_replica_says_what_to_change() {
    let mut d = support_chat();
    d.model.choice = Choice::Catalogue("llama-3.1-405b-instruct".to_owned());
    d.model.weights = None;
    d.hardware.gpus_per_replica = 1;
    let err = d.evaluate().unwrap_err();
    assert!(matches!(err, DeploymentError::DoesNotFit { .. }));
    assert_eq!(err.field(), "hardware.gpus_per_replica");
}

#[test]
fn out_of_range_use_case_values_are_named() {
    for (mutate, field) in [
        (
            (|d: &mut Deployment| d.use_case.prefix_cache_hit_rate = 1.5) as fn(&mut Deployment),
            "use_case.prefix_cache_hit_rate",
        ),
        (
            |d| d.use_case.attempts_per_response = 0.5,
            "use_case.attempts_per_response",
        ),
        (|d| d.pricing.pue = f64::NAN, "pricing.pue"),
        (
            |d| d.hardware.gpus_per_replica = 0,
            "hardware.gpus_per_replica",
        ),
    ] {
        let mut d = support_chat();
        mutate(&mut d);
        assert_eq!(d.evaluate().unwrap_err().field(), field);
    }
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
