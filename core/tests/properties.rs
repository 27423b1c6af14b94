//! Invariants over generated inputs: nothing panics, every figure of a
//! valid input is finite, and the physics moves the right way.

use proptest::prelude::*;
use tokenfab_core::Scenario;
use tokenfab_core::accelerator::AcceleratorSpec;
use tokenfab_core::economics::phase_cost;
use tokenfab_core::model::{Attention, ModelSpec, Moe, Precision};
use tokenfab_core::perf::{Replica, RequestShape};
use tokenfab_core::stack::Stack;

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(0.0),
        Just(-1.0),
        -1e12..1e12_f64,
        0.0..10.0_f64,
    ]
}

fn model() -> impl Strategy<Value = ModelSpec> {
    (
        1.0..1000.0_f64,
        0.05..1.0_f64,
        1u32..128,
        prop_oneof![Just(2048u32), Just(4096), Just(8192)],
        prop_oneof![Just(8u32), Just(32), Just(64)],
        prop_oneof![Just(1u32), Just(4), Just(8)],
        prop_oneof![
            Just(None),
            (2u32..256, 1u32..8).prop_map(|(e, k)| Some((e.max(k + 1), k)))
        ],
        any::<bool>(),
    )
        .prop_map(
            |(total, active_share, layers, hidden, heads, kv, moe, latent)| {
                let moe = moe.map(|(experts, experts_per_token)| Moe {
                    experts,
                    experts_per_token,
                });
                ModelSpec {
                    total_params_b: total,
                    active_params_b: if moe.is_some() {
                        total * active_share
                    } else {
                        total
                    },
                    layers,
                    hidden,
                    heads,
                    kv_heads: kv.min(heads),
                    head_dim: hidden / heads,
                    attention: if latent {
                        Attention::Latent {
                            kv_latent_dim: 512,
                            rope_dim: 64,
                        }
                    } else {
                        Attention::Grouped
                    },
                    moe,
                    max_context: 131_072,
                }
            },
        )
}

fn accelerator() -> impl Strategy<Value = AcceleratorSpec> {
    (
        16.0..300.0_f64,
        0.3..10.0_f64,
        50.0..5000.0_f64,
        50.0..2000.0_f64,
        10.0..2000.0_f64,
    )
        .prop_map(|(memory_gb, bw, bf16, tdp, link)| AcceleratorSpec {
            memory_gb,
            memory_bandwidth_tb_s: bw,
            bf16_tflops: bf16,
            fp8_tflops: Some(bf16 * 2.0),
            fp4_tflops: None,
            int8_tops: None,
            tdp_w: tdp,
            idle_w: tdp * 0.1,
            interconnect_gb_s: link,
        })
}

fn shape() -> impl Strategy<Value = RequestShape> {
    (1.0..100_000.0_f64, 1.0..20_000.0_f64, 0.0..1.0_f64).prop_map(|(i, o, h)| RequestShape {
        input_tokens: i,
        output_tokens: o,
        prefix_cache_hit_rate: h,
    })
}

proptest! {
    #[test]
    fn any_measured_scenario_either_evaluates_to_finite_figures_or_names_a_field(
        tokens in any_f64(), watts in any_f64(), kwh in any_f64(), price in any_f64(), gpus in 0u32..2_000_000,
    ) {
        let mut s = Scenario::example();
        s.measured.tokens_per_s = tokens;
        s.measured.watts = watts;
        s.pricing.usd_per_kwh = kwh;
        s.pricing.usd_per_gpu_hour = price;
        s.hardware.gpus = gpus;
        match s.evaluate() {
            Ok(r) => {
                for v in [r.tokens_per_joule, r.tokens_per_kwh, r.energy_usd_per_token, r.tokens_per_usd, r.usd_per_million_tokens] {
                    prop_assert!(v.is_finite() && v >= 0.0);
                }
            }
            Err(e) => prop_assert!(!e.field.is_empty()),
        }
    }

    #[test]
    fn every_operating_point_is_finite_and_positive(
        m in model(), g in accelerator(), sh in shape(), tp in 1u32..16, b in 1.0..4096.0_f64,
        stack in prop_oneof![Just(Stack::Vllm), Just(Stack::TensorrtLlm)],
    ) {
        let eff = stack.efficiency();
        let r = Replica { model: &m, weights: Precision::Fp8, kv_cache: Precision::Bf16, accelerator: &g, tensor_parallel: tp, efficiency: &eff };
        let p = r.operating_point(&sh, b);
        prop_assert!(p.tpot_s.is_finite() && p.tpot_s > 0.0);
        prop_assert!(p.output_tokens_per_s.is_finite() && p.output_tokens_per_s > 0.0);
        prop_assert!((0.0..=1.0).contains(&p.prefill_share));
        let mem = r.memory(&sh);
        prop_assert!(mem.max_concurrency.is_finite() && mem.max_concurrency >= 0.0);
    }

    #[test]
    fn more_bandwidth_never_slows_decode(
        m in model(), g in accelerator(), sh in shape(), tp in 1u32..8, b in 1.0..1024.0_f64, more in 1.0..4.0_f64,
    ) {
        let eff = Stack::Vllm.efficiency();
        let faster = AcceleratorSpec { memory_bandwidth_tb_s: g.memory_bandwidth_tb_s * more, ..g };
        let slow = Replica { model: &m, weights: Precision::Bf16, kv_cache: Precision::Bf16, accelerator: &g, tensor_parallel: tp, efficiency: &eff };
        let fast = Replica { accelerator: &faster, ..slow };
        prop_assert!(fast.operating_point(&sh, b).tpot_s <= slow.operating_point(&sh, b).tpot_s);
    }

    #[test]
    fn a_bigger_batch_never_lowers_throughput_or_speeds_each_user(
        m in model(), g in accelerator(), sh in shape(), tp in 1u32..8, b in 1.0..1024.0_f64,
    ) {
        let eff = Stack::TensorrtLlm.efficiency();
        let r = Replica { model: &m, weights: Precision::Fp8, kv_cache: Precision::Fp8, accelerator: &g, tensor_parallel: tp, efficiency: &eff };
        let (small, big) = (r.operating_point(&sh, b), r.operating_point(&sh, b * 2.0));
        prop_assert!(big.tpot_s >= small.tpot_s);
        prop_assert!(big.output_tokens_per_s >= small.output_tokens_per_s * 0.999_999);
    }

    #[test]
    fn more_memory_never_lowers_max_concurrency(
        m in model(), g in accelerator(), sh in shape(), tp in 1u32..8, more in 1.0..4.0_f64,
    ) {
        let eff = Stack::Vllm.efficiency();
        let bigger = AcceleratorSpec { memory_gb: g.memory_gb * more, ..g };
        let a = Replica { model: &m, weights: Precision::Bf16, kv_cache: Precision::Bf16, accelerator: &g, tensor_parallel: tp, efficiency: &eff };
        let b = Replica { accelerator: &bigger, ..a };
        prop_assert!(b.memory(&sh).max_concurrency >= a.memory(&sh).max_concurrency);
    }

    #[test]
    fn doubling_the_price_doubles_the_cost_per_token(
        usd in 0.01..1e4_f64, share in 0.0..1.0_f64, input in 1.0..1e6_f64, output in 1.0..1e6_f64,
    ) {
        let a = phase_cost(usd, share, input, output);
        let b = phase_cost(2.0 * usd, share, input, output);
        prop_assert!((b.usd_per_m_input - 2.0 * a.usd_per_m_input).abs() <= 1e-9 * b.usd_per_m_input.abs().max(1.0));
        prop_assert!((b.usd_per_m_output - 2.0 * a.usd_per_m_output).abs() <= 1e-9 * b.usd_per_m_output.abs().max(1.0));
    }

    #[test]
    fn tokens_per_joule_does_not_depend_on_prices(kwh in 0.0..10.0_f64, price in 0.01..1000.0_f64) {
        let base = Scenario::example();
        let mut other = base.clone();
        other.pricing.usd_per_kwh = kwh;
        other.pricing.usd_per_gpu_hour = price;
        prop_assert_eq!(base.evaluate().unwrap().tokens_per_joule, other.evaluate().unwrap().tokens_per_joule);
    }
}

fn support_chat() -> tokenfab_core::deployment::Deployment {
    serde_json::from_str(include_str!(
        "../../tests/scenarios/llama-70b-support-chat.json"
    ))
    .expect("the scenario file is valid")
}

proptest! {
    #[test]
    fn any_deployment_either_evaluates_to_finite_figures_or_names_a_field(
        input in any_f64(), output in any_f64(), reasoning in any_f64(), attempts in any_f64(),
        hit in any_f64(), demand in any_f64(), peak in any_f64(), ttft in any_f64(), tpot in any_f64(),
        price in any_f64(), pue in any_f64(), tp in 0u32..2048, replicas in proptest::option::of(0u32..100),
    ) {
        let mut d = support_chat();
        d.use_case.input_tokens = input;
        d.use_case.output_tokens = output;
        d.use_case.reasoning_tokens = reasoning;
        d.use_case.attempts_per_response = attempts;
        d.use_case.prefix_cache_hit_rate = hit;
        d.use_case.requests_per_day = demand;
        d.use_case.peak_to_average = peak;
        d.use_case.ttft_target_ms = ttft;
        d.use_case.tpot_target_ms = tpot;
        d.pricing.usd_per_gpu_hour = price;
        d.pricing.pue = pue;
        d.hardware.gpus_per_replica = tp;
        d.hardware.replicas = replicas;
        match d.evaluate() {
            Ok(r) => {
                for v in [
                    r.performance.output_tokens_per_s_per_gpu,
                    r.performance.tpot_ms,
                    r.performance.ttft_ms,
                    r.energy.tokens_per_joule,
                    r.costs.fleet_usd_per_hour,
                    r.costs.at_utilisation.usd_per_m_output,
                    r.per_response.cost_per_response_usd,
                    r.per_response.joules_per_response,
                    r.power.facility_watts,
                ] {
                    prop_assert!(v.is_finite() && v >= 0.0, "{v}");
                }
            }
            Err(e) => prop_assert!(!e.field().is_empty()),
        }
    }
}
