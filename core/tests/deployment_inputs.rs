//! Reading a deployment: JSON, use-case presets, and the inputs refused with the field to change.

mod common;

use approx::assert_relative_eq;
use tokenfab_core::catalogue;
use tokenfab_core::deployment::{Choice, Deployment, DeploymentError, UseCaseFields};

use common::support_chat;

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
