//! A modeled deployment: Llama 3.1 70B in FP8 on H100s serving support chat.

use approx::assert_relative_eq;
use tokenfab_core::catalogue;
use tokenfab_core::deployment::{
    Choice, Deployment, DeploymentError, MeasuredInput, Origin, PowerScope, PricingMode,
    UseCaseFields,
};

fn support_chat() -> Deployment {
    serde_json::from_str(include_str!(
        "../../tests/scenarios/llama-70b-support-chat.json"
    ))
    .expect("the scenario file is valid")
}

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
fn measured_throughput_and_power_replace_the_model() {
    let mut d = support_chat();
    d.hardware.replicas = Some(2);
    d.measured = Some(MeasuredInput {
        output_tokens_per_s: Some(9_000.0),
        input_tokens_per_s: None,
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
    let DeploymentError::DoesNotFit {
        weights_gb,
        usable_gb,
        ..
    } = err
    else {
        panic!("expected DoesNotFit, got {err}");
    };
    assert_eq!(err.field(), "hardware.gpus_per_replica");
    // 405 B parameters in BF16 on one GPU: 810 GB, against the 80 GB
    // H100's share the stack may use less its activation reserve.
    let e = d.hardware.stack.efficiency();
    assert_relative_eq!(weights_gb, 810.0, max_relative = 0.01);
    assert_relative_eq!(
        usable_gb,
        80.0 * e.memory_utilisation - e.activation_reserve_gb,
        max_relative = 1e-12
    );
    assert!(usable_gb > 60.0 && usable_gb < 80.0, "{usable_gb}");
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
fn every_field_out_of_range_is_named_at_once_in_document_order() {
    let mut d = support_chat();
    d.pricing.pue = 0.5;
    d.hardware.gpus_per_replica = 0;
    d.use_case.prefix_cache_hit_rate = f64::INFINITY;
    let fields: Vec<&str> = d.problems().iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [
            "hardware.gpus_per_replica",
            "pricing.pue",
            "use_case.prefix_cache_hit_rate"
        ]
    );
    // Evaluating names the first of them.
    assert_eq!(d.evaluate().unwrap_err().field(), fields[0]);
    assert!(support_chat().problems().is_empty());
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

/// Prompt tokens per second prefill gets through, whole deployment, and
/// optionally the generated tokens per second, measured on `replicas` replicas.
fn measured_rates(prefill: f64, output: Option<f64>, replicas: u32) -> Deployment {
    let mut d = support_chat();
    d.hardware.replicas = Some(replicas);
    d.measured = Some(MeasuredInput {
        output_tokens_per_s: output,
        input_tokens_per_s: Some(prefill),
        watts: None,
        scope: PowerScope::Gpu,
    });
    d
}

#[test]
fn input_tokens_cost_a_replicas_time_over_the_measured_prefill_rate() {
    for output in [None, Some(6_000.0)] {
        let r = measured_rates(120_000.0, output, 3).evaluate().unwrap();
        assert_eq!(r.performance.prefill_origin, Origin::Measured);
        // A replica is 4 GPUs at $2.94 an hour and prefills 40,000 tokens/s.
        let replica_usd_per_s = 4.0 * 2.94 / 3_600.0;
        assert_relative_eq!(
            r.costs.at_load.usd_per_m_input,
            replica_usd_per_s / 40_000.0 * 1e6,
            max_relative = 1e-12
        );
        // The two phases still add back to the replica's cost.
        let p = &r.performance;
        let usd_per_s = (r.costs.at_load.usd_per_m_input * p.input_tokens_per_s_per_replica
            + r.costs.at_load.usd_per_m_output * p.output_tokens_per_s_per_replica)
            / 1e6;
        assert_relative_eq!(usd_per_s, replica_usd_per_s, max_relative = 1e-12);
    }
}

#[test]
fn a_prefill_rate_twice_as_high_halves_the_cost_of_input_tokens() {
    for output in [None, Some(6_000.0)] {
        let slow = measured_rates(60_000.0, output, 3).evaluate().unwrap();
        let fast = measured_rates(120_000.0, output, 3).evaluate().unwrap();
        assert_relative_eq!(
            fast.costs.at_load.usd_per_m_input,
            slow.costs.at_load.usd_per_m_input / 2.0,
            max_relative = 1e-12
        );
    }
}

#[test]
fn with_output_measured_the_prefill_rate_only_moves_cost_from_output_to_input() {
    let slow = measured_rates(60_000.0, Some(6_000.0), 3)
        .evaluate()
        .unwrap();
    let fast = measured_rates(120_000.0, Some(6_000.0), 3)
        .evaluate()
        .unwrap();
    assert_eq!(
        slow.performance.output_tokens_per_s_per_replica,
        fast.performance.output_tokens_per_s_per_replica
    );
    assert_eq!(slow.fleet, fast.fleet);
    // 2,000 output tokens/s per replica bring 2,000 × 1,000 / 300 prompt
    // tokens/s: a third of the time at 20,000 tokens/s, a sixth at 40,000.
    let replica_usd_per_s = 4.0 * 2.94 / 3_600.0;
    for (r, prefill_share) in [(&slow, 1.0 / 3.0), (&fast, 1.0 / 6.0)] {
        assert_relative_eq!(
            r.costs.at_load.usd_per_m_output,
            replica_usd_per_s * (1.0 - prefill_share) / 2_000.0 * 1e6,
            max_relative = 1e-12
        );
    }
}

#[test]
fn with_output_modeled_a_slower_prefill_serves_fewer_tokens_at_the_same_decode_cost() {
    let slow = measured_rates(30_000.0, None, 3).evaluate().unwrap();
    let fast = measured_rates(120_000.0, None, 3).evaluate().unwrap();
    assert_eq!(slow.performance.origin, Origin::Modeled);
    assert!(
        slow.performance.output_tokens_per_s_per_replica
            < fast.performance.output_tokens_per_s_per_replica
    );
    assert!(slow.performance.tpot_ms > fast.performance.tpot_ms);
    // Decode time per token is the model's either way.
    assert_relative_eq!(
        slow.costs.at_load.usd_per_m_output,
        fast.costs.at_load.usd_per_m_output,
        max_relative = 1e-12
    );
}

#[test]
fn a_prefill_rate_too_slow_for_the_measured_output_is_named() {
    // 6,000 output tokens/s bring 20,000 prompt tokens/s.
    let err = measured_rates(15_000.0, Some(6_000.0), 3)
        .evaluate()
        .unwrap_err();
    let DeploymentError::PrefillTooSlow {
        needed_tokens_per_s,
        measured_tokens_per_s,
    } = err
    else {
        panic!("expected PrefillTooSlow, got {err}");
    };
    assert_eq!(err.field(), "measured.input_tokens_per_s");
    // Over the whole deployment: 6,000 × 1,000 / 300 and the 15,000 measured.
    assert_relative_eq!(needed_tokens_per_s, 20_000.0, max_relative = 1e-12);
    assert_relative_eq!(measured_tokens_per_s, 15_000.0, max_relative = 1e-12);
}

#[test]
fn an_unusable_measured_prefill_rate_is_named() {
    for bad in [f64::NAN, -1.0, 0.0, f64::INFINITY] {
        let err = measured_rates(bad, None, 1).evaluate().unwrap_err();
        assert_eq!(err.field(), "measured.input_tokens_per_s", "{bad}");
    }
}

#[test]
fn without_a_measured_prefill_rate_the_report_is_unchanged() {
    let modeled = support_chat().evaluate().unwrap();
    assert_eq!(modeled.performance.prefill_origin, Origin::Modeled);
    let mut d = support_chat();
    d.measured = Some(MeasuredInput {
        output_tokens_per_s: None,
        input_tokens_per_s: None,
        watts: None,
        scope: PowerScope::Server,
    });
    assert_eq!(d.evaluate().unwrap(), modeled);
    // Measured output alone keeps the model's split of time between phases.
    let mut d = support_chat();
    d.measured = Some(MeasuredInput {
        output_tokens_per_s: Some(9_000.0),
        input_tokens_per_s: None,
        watts: None,
        scope: PowerScope::Gpu,
    });
    let r = d.evaluate().unwrap();
    assert_eq!(r.performance.prefill_origin, Origin::Modeled);
    let input_share = |r: &tokenfab_core::deployment::DeploymentReport| {
        r.costs.at_load.usd_per_m_input * r.performance.input_tokens_per_s_per_replica
            / (r.costs.at_load.usd_per_m_input * r.performance.input_tokens_per_s_per_replica
                + r.costs.at_load.usd_per_m_output * r.performance.output_tokens_per_s_per_replica)
    };
    assert_relative_eq!(input_share(&r), input_share(&modeled), max_relative = 1e-12);
}

/// A deployment whose use case is `use_case` JSON.
fn with_use_case(use_case: &str) -> Result<Deployment, serde_json::Error> {
    let mut value: serde_json::Value = serde_json::from_str(include_str!(
        "../../tests/scenarios/llama-70b-support-chat.json"
    ))
    .expect("the scenario file is JSON");
    value["use_case"] = serde_json::from_str(use_case).expect("the use case is JSON");
    serde_json::from_value(value)
}

#[test]
fn a_preset_fills_the_use_case() {
    let d = with_use_case(r#"{"preset": "rag-qa", "usd_per_m_pre_post_tokens": 0.02}"#).unwrap();
    let p = catalogue::use_case("rag-qa").unwrap();
    let u = &d.use_case;
    assert_eq!(u.input_tokens, 4_000.0);
    assert_eq!(
        [
            u.output_tokens,
            u.reasoning_tokens,
            u.attempts_per_response,
            u.pre_post_tokens,
            u.prefix_cache_hit_rate,
            u.requests_per_day,
            u.peak_to_average,
            u.ttft_target_ms,
            u.tpot_target_ms,
        ],
        [
            p.output_tokens,
            p.reasoning_tokens,
            p.attempts_per_response,
            p.pre_post_tokens,
            p.prefix_cache_hit_rate,
            p.requests_per_day,
            p.peak_to_average,
            p.ttft_target_ms,
            p.tpot_target_ms,
        ]
    );
    let r = d.evaluate().unwrap();
    assert_relative_eq!(
        r.performance.input_tokens_per_s_per_replica
            / r.performance.output_tokens_per_s_per_replica,
        4_000.0 / 400.0,
        max_relative = 1e-12
    );
}

#[test]
fn fields_given_with_a_preset_override_it() {
    let d = with_use_case(
        r#"{"preset": "rag-qa", "requests_per_day": 10000, "input_tokens": 2500,
            "usd_per_m_pre_post_tokens": 0.02}"#,
    )
    .unwrap();
    assert_eq!(d.use_case.requests_per_day, 10_000.0);
    assert_eq!(d.use_case.input_tokens, 2_500.0);
    assert_eq!(d.use_case.output_tokens, 400.0);
    let r = d.evaluate().unwrap();
    assert_relative_eq!(
        r.fleet.average_requests_per_s,
        10_000.0 / 86_400.0,
        max_relative = 1e-12
    );
}

#[test]
fn a_resolved_preset_writes_out_its_figures_and_reads_back_the_same() {
    let d = with_use_case(r#"{"preset": "code-generation", "usd_per_m_pre_post_tokens": 0.1}"#)
        .unwrap();
    let json = serde_json::to_value(&d).unwrap();
    assert!(json["use_case"].get("preset").is_none());
    assert_eq!(json["use_case"]["reasoning_tokens"], 2_000.0);
    let again: Deployment = serde_json::from_value(json).unwrap();
    assert_eq!(again, d);
}

#[test]
fn an_unknown_preset_is_named_with_the_known_ones() {
    let err = UseCaseFields {
        preset: Some("fortune-telling".to_owned()),
        ..UseCaseFields::default()
    }
    .resolve()
    .unwrap_err();
    assert!(matches!(err, DeploymentError::UnknownPreset { .. }));
    assert_eq!(err.field(), "use_case.preset");
    let message =
        with_use_case(r#"{"preset": "fortune-telling", "usd_per_m_pre_post_tokens": 0.02}"#)
            .unwrap_err()
            .to_string();
    for id in [
        "use_case.preset",
        "fortune-telling",
        "support-chat",
        "rag-qa",
    ] {
        assert!(message.contains(id), "{message}");
    }
}

#[test]
fn without_a_preset_a_missing_field_is_named() {
    let mut value: serde_json::Value = serde_json::from_str(include_str!(
        "../../tests/scenarios/llama-70b-support-chat.json"
    ))
    .unwrap();
    value["use_case"]
        .as_object_mut()
        .unwrap()
        .remove("output_tokens");
    let message = serde_json::from_value::<Deployment>(value)
        .unwrap_err()
        .to_string();
    assert!(message.contains("use_case.output_tokens"), "{message}");
    let err = UseCaseFields::default().resolve().unwrap_err();
    assert_eq!(err.field(), "use_case.input_tokens");
}

#[test]
fn a_preset_needs_the_price_of_pre_post_tokens() {
    let err = UseCaseFields {
        preset: Some("support-chat".to_owned()),
        ..UseCaseFields::default()
    }
    .resolve()
    .unwrap_err();
    assert_eq!(err.field(), "use_case.usd_per_m_pre_post_tokens");
}

#[test]
fn unknown_use_case_fields_are_still_refused() {
    let message = with_use_case(
        r#"{"preset": "rag-qa", "usd_per_m_pre_post_tokens": 0.02, "requests_per_hour": 5}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(message.contains("requests_per_hour"), "{message}");
}

fn example_json_with(pointer: &str, value: serde_json::Value) -> String {
    let mut json = serde_json::to_value(Deployment::example()).expect("serialises");
    *json
        .pointer_mut(pointer)
        .expect("the example has this field") = value;
    json.to_string()
}

#[test]
fn json_errors_name_the_field_by_its_path() {
    let text = example_json_with("/pricing/pue", serde_json::json!("high"));
    let err = Deployment::from_json(&text).unwrap_err();
    assert_eq!(err.field(), "pricing.pue");
    assert!(err.to_string().starts_with("pricing.pue: invalid type"));

    let text = example_json_with("/pricing/pue", serde_json::json!(0.5));
    assert_eq!(
        Deployment::from_json(&text).unwrap_err().field(),
        "pricing.pue"
    );

    let text = example_json_with("/use_case", serde_json::json!({"preset": "chess"}));
    assert_eq!(
        Deployment::from_json(&text).unwrap_err().field(),
        "use_case.preset"
    );

    // Text cut short names where it stopped.
    let err = Deployment::from_json("{\"model\": ").unwrap_err();
    assert_eq!(err.field(), "model");
    assert!(err.to_string().contains("EOF"), "{err}");
}

#[test]
fn a_deployment_survives_a_json_round_trip() {
    let text = serde_json::to_string(&Deployment::example()).unwrap();
    assert_eq!(Deployment::from_json(&text).unwrap(), Deployment::example());
}

#[test]
fn a_response_must_generate_at_least_one_token_counting_reasoning() {
    let fields = |output: f64, reasoning: f64| {
        let mut d = support_chat();
        d.use_case.output_tokens = output;
        d.use_case.reasoning_tokens = reasoning;
        d.problems()
            .iter()
            .map(|e| e.field.to_owned())
            .collect::<Vec<_>>()
    };
    // Half a visible token and half a reasoning token make one.
    assert!(fields(0.5, 0.5).is_empty());
    assert!(fields(0.0, 1.0).is_empty());
    // Less than one in all is named at the output field, with the sum.
    assert_eq!(fields(0.5, 0.4), ["use_case.output_tokens"]);
    let mut d = support_chat();
    d.use_case.output_tokens = 0.5;
    d.use_case.reasoning_tokens = 0.25;
    let message = d.evaluate().unwrap_err().to_string();
    assert!(message.contains("0.75"), "{message}");
    assert_eq!(fields(0.0, 0.0), ["use_case.output_tokens"]);
    // A reasoning count out of range is named once, on its own field.
    assert_eq!(fields(300.0, -5.0), ["use_case.reasoning_tokens"]);
    assert_eq!(fields(0.0, -5.0), ["use_case.reasoning_tokens"]);
}

#[test]
fn a_measured_prefill_rate_adds_its_time_to_the_modelled_decode_time() {
    // Without measurements the model gives O generated tokens/s per replica
    // and spends a share s of the replica's time in prefill (read off the
    // cost split: prompt tokens/s × $/M input = s × replica $/s × 1e6). With
    // prefill measured at P prompt tokens/s, each generated token takes the
    // model's decode time (1 − s)/O plus the prefill time of its 1,000/300
    // prompt tokens at P.
    let mut d = support_chat();
    d.hardware.replicas = Some(1);
    let modelled = d.evaluate().unwrap();
    let o = modelled.performance.output_tokens_per_s_per_replica;
    let replica_usd_per_s = 4.0 * 2.94 / 3_600.0;
    let s = modelled.performance.input_tokens_per_s_per_replica
        * modelled.costs.at_load.usd_per_m_input
        / 1e6
        / replica_usd_per_s;
    assert!(s > 0.0 && s < 0.5, "prefill share {s}");
    let r = measured_rates(40_000.0, None, 1).evaluate().unwrap();
    assert_relative_eq!(
        r.performance.output_tokens_per_s_per_replica,
        1.0 / ((1.0 - s) / o + (1_000.0 / 300.0) / 40_000.0),
        max_relative = 1e-9
    );
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
fn a_context_too_long_for_the_memory_blames_the_kv_cache_not_the_weights() {
    // 70 B in FP8 on 4 GPUs: about 18 GB of weights each. A 10-million-token
    // prompt's BF16 KV cache (80 layers × 8 KV heads × 128 × 2 × 2 bytes =
    // 0.33 MB a token) is about 3,300 GB over the replica, 820 GB a GPU.
    let mut d = support_chat();
    d.use_case.input_tokens = 10_000_000.0;
    let err = d.evaluate().unwrap_err();
    let DeploymentError::DoesNotFit {
        weights_gb,
        kv_gb_per_sequence,
        usable_gb,
    } = err
    else {
        panic!("expected DoesNotFit, got {err}");
    };
    assert!(weights_gb < usable_gb, "{weights_gb} of {usable_gb}");
    assert_relative_eq!(kv_gb_per_sequence, 819.2, max_relative = 0.01);
    let message = err.to_string();
    assert!(message.contains("KV cache"), "{message}");
    assert!(message.contains("shorter prompts"), "{message}");
}
