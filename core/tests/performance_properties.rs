//! Invariants of the performance model over generated models,
//! accelerators and request shapes.

use proptest::prelude::*;
use tokenfab_core::accelerator::AcceleratorSpec;
use tokenfab_core::economics::phase_cost;
use tokenfab_core::model::{Attention, ModelSpec, Moe, Precision};
use tokenfab_core::perf::{Replica, RequestShape};
use tokenfab_core::stack::Stack;

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
    fn every_operating_point_is_finite_and_positive(
        m in model(), g in accelerator(), sh in shape(), tp in 1u32..16, b in 1.0..4096.0_f64,
        stack in prop_oneof![Just(Stack::Vllm), Just(Stack::TensorrtLlm)],
    ) {
        let eff = stack.efficiency();
        let r = Replica { model: &m, weights: Precision::Fp8, kv_cache: Precision::Bf16, accelerator: &g, tensor_parallel: tp, expert_parallel: false, pipeline_stages: 1, efficiency: &eff };
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
        let slow = Replica { model: &m, weights: Precision::Bf16, kv_cache: Precision::Bf16, accelerator: &g, tensor_parallel: tp, expert_parallel: false, pipeline_stages: 1, efficiency: &eff };
        let fast = Replica { accelerator: &faster, ..slow };
        prop_assert!(fast.operating_point(&sh, b).tpot_s <= slow.operating_point(&sh, b).tpot_s);
    }

    #[test]
    fn a_bigger_batch_never_lowers_throughput_or_speeds_each_user(
        m in model(), g in accelerator(), sh in shape(), tp in 1u32..8, b in 1.0..1024.0_f64,
    ) {
        let eff = Stack::TensorrtLlm.efficiency();
        let r = Replica { model: &m, weights: Precision::Fp8, kv_cache: Precision::Fp8, accelerator: &g, tensor_parallel: tp, expert_parallel: false, pipeline_stages: 1, efficiency: &eff };
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
        let a = Replica { model: &m, weights: Precision::Bf16, kv_cache: Precision::Bf16, accelerator: &g, tensor_parallel: tp, expert_parallel: false, pipeline_stages: 1, efficiency: &eff };
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

}
