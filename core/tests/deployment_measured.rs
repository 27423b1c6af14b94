//! The support-chat deployment with measured throughput, power and prefill rates.

mod common;

use approx::assert_relative_eq;
use tokenfab_core::deployment::{DeploymentError, MeasuredInput, Origin, PowerScope};

use common::{measured_rates, support_chat};

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
