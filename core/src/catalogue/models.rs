//! Model architectures: the dimensions that set weight memory, KV-cache size
//! and arithmetic per token.
//!
//! Parameter counts are in billions. Where the publisher gives a rounded
//! figure (e.g. "7B"), the rounded figure is used and the notes say so.
//! Fields the source did not give and that were filled from another public
//! document are named in the notes, and such entries are `Medium`.

use super::{Confidence, ModelEntry, Provenance};
use crate::model::{Attention, ModelSpec, Moe, Precision};

/// The built-in models, dense and mixture-of-experts.
pub static MODELS: &[ModelEntry] = &[
    // ---------------------------------------------------------------- Llama
    ModelEntry {
        id: "llama-3.1-8b-instruct",
        name: "Llama 3.1 8B Instruct",
        spec: ModelSpec {
            total_params_b: 8.0,
            active_params_b: 8.0,
            layers: 32,
            hidden: 4096,
            heads: 32,
            kv_heads: 8,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: None,
            max_context: 131_072,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "config.json of meta-llama/Llama-3.1-8B (copy at huggingface.co/NbAiLab/nb-llama-3.1-8B); params: ML.ENERGY leaderboard index.json",
            date: "2024-07",
            confidence: Confidence::High,
            notes: notes!(
                "RoPE scaling type llama3 with factor 8 over an original 8,192-token window. FFN width 14,336; vocabulary 128,256."
            ),
        },
    },
    ModelEntry {
        id: "llama-3.1-70b-instruct",
        name: "Llama 3.1 70B Instruct",
        spec: ModelSpec {
            total_params_b: 70.0,
            active_params_b: 70.0,
            layers: 80,
            hidden: 8192,
            heads: 64,
            kv_heads: 8,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: None,
            max_context: 131_072,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "config.json copies of meta-llama/Meta-Llama-3.1-70B-Instruct (huggingface.co/mlabonne/Llama-3.1-70B-Instruct-lorablated, MaziyarPanahi/calme-2.3-llama3.1-70b); params: ML.ENERGY leaderboard index.json",
            date: "2024-07",
            confidence: Confidence::High,
            notes: notes!(
                "This config version has no head_dim field: 128 is hidden/heads, and matches the head_dim of the Llama 3.3 70B config. FFN width 28,672; vocabulary 128,256."
            ),
        },
    },
    ModelEntry {
        id: "llama-3.3-70b-instruct",
        name: "Llama 3.3 70B Instruct",
        spec: ModelSpec {
            total_params_b: 70.0,
            active_params_b: 70.0,
            layers: 80,
            hidden: 8192,
            heads: 64,
            kv_heads: 8,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: None,
            max_context: 131_072,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "config.json copy of meta-llama/Llama-3.3-70B-Instruct (huggingface.co/relaxml/Llama-3.3-70B-Instruct-QTIP-3Bit); params: ML.ENERGY leaderboard index.json",
            date: "2024-12",
            confidence: Confidence::High,
            notes: notes!(
                "Same architecture as Llama 3.1 70B. FFN width 28,672; vocabulary 128,256."
            ),
        },
    },
    ModelEntry {
        id: "llama-3.1-405b-instruct",
        name: "Llama 3.1 405B Instruct",
        spec: ModelSpec {
            total_params_b: 405.0,
            active_params_b: 405.0,
            layers: 126,
            hidden: 16384,
            heads: 128,
            kv_heads: 8,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: None,
            max_context: 131_072,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "config.json copies of meta-llama/Llama-3.1-405B-Instruct (huggingface.co/relaxml/Llama-3.1-405B-Instruct-QTIP-4Bit-TP8, uiuc-convai/CoALM-405B); params: ML.ENERGY leaderboard index.json",
            date: "2024-07",
            confidence: Confidence::High,
            notes: notes!(
                "Caveat: early copies of the July 2024 config list 16 KV heads; the later official config lists 8, used here. Meta also publishes an FP8 variant; BF16 is the reference release. FFN width 53,248."
            ),
        },
    },
    ModelEntry {
        id: "llama-2-7b",
        name: "Llama 2 7B",
        spec: ModelSpec {
            total_params_b: 7.0,
            active_params_b: 7.0,
            layers: 32,
            hidden: 4096,
            heads: 32,
            kv_heads: 32,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: None,
            max_context: 4096,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "config.json copy of meta-llama/Llama-2-7b-hf (huggingface.co/abhishek/llama-2-7b-hf-small-shards); TensorRT-LLM docs performance.md (v0.9.0) Llama2-7b checkpoint config",
            date: "2023-07",
            confidence: Confidence::High,
            notes: notes!(
                "Parameter count is the nominal 7B from the name. head_dim derived as hidden/heads. Multi-head attention (KV heads = heads). Base model, not the chat variant; the 'LLaMA 7B' of the TensorRT-LLM v0.9.0 tables."
            ),
        },
    },
    ModelEntry {
        id: "llama-2-70b",
        name: "Llama 2 70B",
        spec: ModelSpec {
            total_params_b: 70.0,
            active_params_b: 70.0,
            layers: 80,
            hidden: 8192,
            heads: 64,
            kv_heads: 8,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: None,
            max_context: 4096,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "config.json of meta-llama/Llama-2-70b-hf; Llama 2 paper (Touvron et al., 2023), table 1",
            date: "2023-07",
            confidence: Confidence::Medium,
            notes: notes!(
                "Not in the reference model table; dimensions from the published config (grouped-query attention with 8 KV heads, FFN width 28,672). Nominal 70B parameters. The 'LLaMA 70B' of the TensorRT-LLM v0.9.0 tables."
            ),
        },
    },
    // ---------------------------------------------------------------- GPT-J
    ModelEntry {
        id: "gpt-j-6b",
        name: "GPT-J 6B",
        spec: ModelSpec {
            total_params_b: 6.0,
            active_params_b: 6.0,
            layers: 28,
            hidden: 4096,
            heads: 16,
            kv_heads: 16,
            head_dim: 256,
            attention: Attention::Grouped,
            moe: None,
            max_context: 2048,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "TensorRT-LLM docs/source/performance.md (v0.9.0), GPT-J checkpoint config",
            date: "2021-06",
            confidence: Confidence::High,
            notes: notes!(
                "Parameter count nominal (6B). head_dim derived as hidden/heads; rotary applied to 64 of the 256 dims. Multi-head attention (KV heads = heads). The source gives no FFN width; the planner does not need it. Vocabulary 50,400."
            ),
        },
    },
    // -------------------------------------------------------------- Mistral
    ModelEntry {
        id: "mistral-7b-instruct-v0.3",
        name: "Mistral 7B Instruct v0.3",
        spec: ModelSpec {
            total_params_b: 7.0,
            active_params_b: 7.0,
            layers: 32,
            hidden: 4096,
            heads: 32,
            kv_heads: 8,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: None,
            max_context: 32_768,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "official config.json, huggingface.co/mistralai/Mistral-7B-Instruct-v0.3 @ c170c708c41dac9275d15a8fff4eca08d52bab71",
            date: "2024-05",
            confidence: Confidence::High,
            notes: notes!(
                "Parameter count nominal (7B). head_dim 128 as in the mlx-community Mistral 7B config. v0.1 differed: 4,096-token sliding window and a 32,000-token vocabulary (v0.3: 32,768)."
            ),
        },
    },
    ModelEntry {
        id: "mixtral-8x7b-instruct-v0.1",
        name: "Mixtral 8x7B Instruct v0.1",
        spec: ModelSpec {
            total_params_b: 47.0,
            active_params_b: 13.0,
            layers: 32,
            hidden: 4096,
            heads: 32,
            kv_heads: 8,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: Some(Moe {
                experts: 8,
                experts_per_token: 2,
            }),
            max_context: 32_768,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "official config.json, huggingface.co/mistralai/Mixtral-8x7B-Instruct-v0.1 @ eba92302a2861cdc0098cc54bc9f17cb2c47eb61; params: Mixtral paper, arXiv 2401.04088 (47B total, 13B active)",
            date: "2023-12",
            confidence: Confidence::High,
            notes: notes!("head_dim derived as hidden/heads. Per-expert FFN width 14,336."),
        },
    },
    ModelEntry {
        id: "mixtral-8x22b-instruct-v0.1",
        name: "Mixtral 8x22B Instruct v0.1",
        spec: ModelSpec {
            total_params_b: 141.0,
            active_params_b: 39.0,
            layers: 56,
            hidden: 6144,
            heads: 48,
            kv_heads: 8,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: Some(Moe {
                experts: 8,
                experts_per_token: 2,
            }),
            max_context: 65_536,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "config.json copies of mistralai/Mixtral-8x22B-Instruct-v0.1 (huggingface.co/jsfs11/MixtralxWizardLM2-8x22B-SLERP-v0.2, nithiyn/Mixtral-8x22B-Instruct-neuron); params: Mistral AI announcement of Mixtral 8x22B (April 2024)",
            date: "2024-04",
            confidence: Confidence::Medium,
            notes: notes!(
                "Filled: total/active 141B/39B from the Mistral AI announcement (the cited configs give no parameter counts). head_dim derived as hidden/heads. Per-expert FFN width 16,384. The base v0.1 checkpoint uses a 32,000-token vocabulary (Instruct: 32,768)."
            ),
        },
    },
    // ----------------------------------------------------------------- Qwen
    ModelEntry {
        id: "qwen2.5-7b-instruct",
        name: "Qwen2.5 7B Instruct",
        spec: ModelSpec {
            total_params_b: 7.0,
            active_params_b: 7.0,
            layers: 28,
            hidden: 3584,
            heads: 28,
            kv_heads: 4,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: None,
            max_context: 32_768,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "config.json copies of Qwen/Qwen2.5-7B-Instruct (huggingface.co/osllmai-community/Qwen2.5-7B-Instruct, CarbonLover/krx_qwen2.5_it_test)",
            date: "2024-09",
            confidence: Confidence::High,
            notes: notes!(
                "Parameter count nominal (7B). head_dim derived as hidden/heads. The Instruct config lists 32,768 positions; the base Qwen2.5-7B config lists 131,072. FFN width 18,944."
            ),
        },
    },
    ModelEntry {
        id: "qwen2.5-72b-instruct",
        name: "Qwen2.5 72B Instruct",
        spec: ModelSpec {
            total_params_b: 72.0,
            active_params_b: 72.0,
            layers: 80,
            hidden: 8192,
            heads: 64,
            kv_heads: 8,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: None,
            max_context: 32_768,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "config.json copies of Qwen/Qwen2.5-72B-Instruct (huggingface.co/m8than/banana-2-b-72b for layers, ssmits/Qwen2.5-95B-Instruct)",
            date: "2024-09",
            confidence: Confidence::High,
            notes: notes!(
                "Parameter count nominal (72B). head_dim derived as hidden/heads. FFN width 29,568."
            ),
        },
    },
    ModelEntry {
        id: "qwen3-8b",
        name: "Qwen3 8B",
        spec: ModelSpec {
            total_params_b: 8.0,
            active_params_b: 8.0,
            layers: 36,
            hidden: 4096,
            heads: 32,
            kv_heads: 8,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: None,
            max_context: 40_960,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "config.json of Qwen/Qwen3-8B; Qwen3 technical report (2025), table 1",
            date: "2025-04",
            confidence: Confidence::Medium,
            notes: notes!(
                "Not in the reference model table; dimensions from the published config (FFN width 12,288). Parameters rounded to 8B as in the ML.ENERGY leaderboard (8.2B exactly)."
            ),
        },
    },
    ModelEntry {
        id: "qwen3-32b",
        name: "Qwen3 32B",
        spec: ModelSpec {
            total_params_b: 32.0,
            active_params_b: 32.0,
            layers: 64,
            hidden: 5120,
            heads: 64,
            kv_heads: 8,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: None,
            max_context: 40_960,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "config.json of Qwen/Qwen3-32B; Qwen3 technical report (2025), table 1",
            date: "2025-04",
            confidence: Confidence::Medium,
            notes: notes!(
                "Not in the reference model table; dimensions from the published config (FFN width 25,600). Parameters rounded to 32B as in the ML.ENERGY leaderboard (32.8B exactly)."
            ),
        },
    },
    ModelEntry {
        id: "qwen3-30b-a3b",
        name: "Qwen3 30B-A3B",
        spec: ModelSpec {
            total_params_b: 30.0,
            active_params_b: 3.0,
            layers: 48,
            hidden: 2048,
            heads: 32,
            kv_heads: 4,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: Some(Moe {
                experts: 128,
                experts_per_token: 8,
            }),
            max_context: 40_960,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "gitcode.com/Ascend/MindSpeed-RL configs/model/qwen3_30b_a3b.yaml (Qwen3-Coder-30B-A3B config consistent); params: ML.ENERGY leaderboard index.json",
            date: "2025-04",
            confidence: Confidence::High,
            notes: notes!(
                "Per-expert FFN width 768. Parameter counts are the leaderboard's rounded 30B/3B. The Instruct-2507 variant may support 262,144 tokens (seen in a Qwen3-Coder config, not verified for Instruct-2507)."
            ),
        },
    },
    ModelEntry {
        id: "qwen3-235b-a22b",
        name: "Qwen3 235B-A22B",
        spec: ModelSpec {
            total_params_b: 235.0,
            active_params_b: 22.0,
            layers: 94,
            hidden: 4096,
            heads: 64,
            kv_heads: 4,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: Some(Moe {
                experts: 128,
                experts_per_token: 8,
            }),
            max_context: 40_960,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "gitcode.com/Ascend/MindSpeed-RL configs/model/qwen3_235b_a22b.yaml; AI-Hypercomputer/maxtext PR 2710 qwen3-235b-a22b.yml; params: ML.ENERGY leaderboard index.json",
            date: "2025-04",
            confidence: Confidence::High,
            notes: notes!("Per-expert FFN width 1,536; vocabulary 151,936."),
        },
    },
    ModelEntry {
        id: "qwen3.5-397b-a17b",
        name: "Qwen3.5 397B-A17B",
        spec: ModelSpec {
            total_params_b: 397.0,
            active_params_b: 17.0,
            layers: 60,
            hidden: 4096,
            heads: 32,
            kv_heads: 2,
            head_dim: 256,
            // 45 Gated DeltaNet layers: 64 value heads × 128 × 128 of state
            // each, plus a width-4 convolution's last 3 inputs over 12,288
            // channels.
            attention: Attention::Hybrid {
                attention_layers: 15,
                state_values: 45 * (64 * 128 * 128 + 3 * 12_288),
            },
            moe: Some(Moe {
                experts: 512,
                experts_per_token: 10,
            }),
            max_context: 262_144,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "NVIDIA/Megatron-LM examples/mimo/configs/qwen35_vlm.py @ 1e38b87 (get_qwen35_language_model_config, stated to match the Hugging Face text_config of Qwen/Qwen3.5-397B-A17B); architecture table of the model card (copy at mlx-community/Qwen3.5-397B-A17B-4bit)",
            date: "2026",
            confidence: Confidence::Medium,
            notes: notes!(
                "Hybrid: 15 × (3 Gated DeltaNet + 1 gated full-attention layer); only the 15 full-attention layers (32 query heads, 2 KV heads of 256) hold a KV cache. The linear layers (16 query/key heads and 64 value heads of 128, convolution width 4) keep 48.8 M values of state per sequence, counted in FP32. 512 routed experts of width 1,024 in every layer, 10 per token, plus one shared expert of width 1,024. Vocabulary 248,320. 397 B and 17 B are the published rounded counts and include a small vision encoder. One multi-token-prediction layer is not used in normal decoding. The official config.json was not read directly: Medium."
            ),
        },
    },
    // ------------------------------------------------------------- DeepSeek
    ModelEntry {
        id: "deepseek-v3",
        name: "DeepSeek-V3 (671B)",
        spec: DEEPSEEK_V3_SPEC,
        native_precision: Precision::Fp8,
        provenance: Provenance {
            source: "DeepSeek-V3 release config.json (copies: huggingface.co/JPAdams12th/dormant-model-2, XelotX/DeepSeek-V3-Base-Original inference/configs/config_671B.json); vLLM DeepseekV3Config defaults; params: ML.ENERGY leaderboard index.json",
            date: "2024-12",
            confidence: Confidence::High,
            notes: notes!(
                "Weights published in FP8 with block scaling. Multi-head latent attention: the cache holds a 512-wide latent plus a 64-wide RoPE key per token per layer (kv_lora_rank 512, q_lora_rank 1536). The source gives head_dim as 192 for q/k (128 no-RoPE + 64 RoPE) and 128 for v; 128 is used here because the cache is modelled by the latent. The config's KV-head count is 128. First 3 layers dense (FFN 18,432), then 256 routed experts of width 2,048 plus 1 shared expert. One multi-token-prediction layer is not used in normal decoding."
            ),
        },
    },
    ModelEntry {
        id: "deepseek-r1",
        name: "DeepSeek-R1 (671B)",
        spec: DEEPSEEK_V3_SPEC,
        native_precision: Precision::Fp8,
        provenance: Provenance {
            source: "DeepSeek-V3/R1 release config.json (copy: huggingface.co/JPAdams12th/dormant-model-2, matching the official V3/R1 config); params: ML.ENERGY leaderboard index.json",
            date: "2025-01",
            confidence: Confidence::High,
            notes: notes!(
                "Same architecture and FP8 weights as DeepSeek-V3 (R1 is post-trained from DeepSeek-V3-Base); dimensions are those of the DeepSeek-V3 entry, head_dim 128 with the 512 + 64 latent cache. Listed separately so reasoning-model prices and presets can name it."
            ),
        },
    },
    // -------------------------------------------------------------- gpt-oss
    ModelEntry {
        id: "gpt-oss-120b",
        name: "gpt-oss-120b",
        spec: ModelSpec {
            total_params_b: 117.0,
            active_params_b: 5.0,
            layers: 36,
            hidden: 2880,
            heads: 64,
            kv_heads: 8,
            head_dim: 64,
            attention: Attention::Grouped,
            moe: Some(Moe {
                experts: 128,
                experts_per_token: 4,
            }),
            max_context: 131_072,
        },
        native_precision: Precision::Fp4,
        provenance: Provenance {
            source: "original/config.json copy of openai/gpt-oss-120b (huggingface.co/witflag/AlphaMind); HF-format copy GohaDAYN/Affine-A10; params: ML.ENERGY leaderboard index.json",
            date: "2025-08",
            confidence: Confidence::High,
            notes: notes!(
                "Native precision: the MoE expert weights are published in MXFP4 (4-bit, one shared 8-bit scale per 32 values), shown as FP4; attention and embedding weights stay in BF16. Layers alternate a 128-token sliding window with full attention, and attention uses sinks. Active parameters are the leaderboard's rounded 5B. Per-expert FFN width 2,880; vocabulary 201,088."
            ),
        },
    },
    ModelEntry {
        id: "gpt-oss-20b",
        name: "gpt-oss-20b",
        spec: ModelSpec {
            total_params_b: 21.0,
            active_params_b: 4.0,
            layers: 24,
            hidden: 2880,
            heads: 64,
            kv_heads: 8,
            head_dim: 64,
            attention: Attention::Grouped,
            moe: Some(Moe {
                experts: 32,
                experts_per_token: 4,
            }),
            max_context: 131_072,
        },
        native_precision: Precision::Fp4,
        provenance: Provenance {
            source: "huggingface.co/keras/gpt_oss_20b_en task.json; HF-format copy cryptonaut/AltiMind-sft for max_position_embeddings; params: ML.ENERGY leaderboard index.json",
            date: "2025-08",
            confidence: Confidence::High,
            notes: notes!(
                "Native precision: the MoE expert weights are published in MXFP4, shown as FP4; other weights BF16. 128-token sliding window on alternating layers. Active parameters are the leaderboard's rounded 4B. Per-expert FFN width 2,880; vocabulary 201,088."
            ),
        },
    },
    // ---------------------------------------------------------------- Gemma
    ModelEntry {
        id: "gemma-2-27b-it",
        name: "Gemma 2 27B IT",
        spec: ModelSpec {
            total_params_b: 27.0,
            active_params_b: 27.0,
            layers: 46,
            hidden: 4608,
            heads: 32,
            kv_heads: 16,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: None,
            max_context: 8192,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "config.json copies of google/gemma-2-27b-it (huggingface.co/MrezaPRZ/gemma-2-27b-it-picker-extended-merged, bullerwins/Big-Tiger-Gemma-27B-v1-exl2)",
            date: "2024-06",
            confidence: Confidence::High,
            notes: notes!(
                "Parameter count nominal (27B). Every other layer uses a 4,096-token sliding window, so the planner's full-context KV cache is an upper bound; logit soft-capping. heads x head_dim (4,096) differs from hidden (4,608) by design. FFN width 36,864; vocabulary 256,000."
            ),
        },
    },
    ModelEntry {
        id: "gemma-3-27b-it",
        name: "Gemma 3 27B IT",
        spec: ModelSpec {
            total_params_b: 27.0,
            active_params_b: 27.0,
            layers: 62,
            hidden: 5376,
            heads: 32,
            kv_heads: 16,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: None,
            max_context: 131_072,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "Gemma3Config.gemma3_27b() in Google DeepMind's JAX gemma library; Gemma 3 model card (ai.google.dev/gemma) for the context length; params: ML.ENERGY leaderboard index.json",
            date: "2025-03",
            confidence: Confidence::Medium,
            notes: notes!(
                "Filled: max context 128K (131,072 tokens) from Google's Gemma 3 model card; the cited config gives none. Five local layers (1,024-token sliding window) per global layer, so the planner's full-context KV cache is an upper bound. FFN width 21,504; vocabulary 262,144 (a third-party copy of the multimodal config lists 262,208, not verified)."
            ),
        },
    },
    // ------------------------------------------------------------------ Phi
    ModelEntry {
        id: "phi-3-mini-4k-instruct",
        name: "Phi-3 mini 4K Instruct",
        spec: ModelSpec {
            total_params_b: 3.8,
            active_params_b: 3.8,
            layers: 32,
            hidden: 3072,
            heads: 32,
            kv_heads: 32,
            head_dim: 96,
            attention: Attention::Grouped,
            moe: None,
            max_context: 4096,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "config.json copy of microsoft/Phi-3-mini-4k-instruct (huggingface.co/mcding/CorrectDPO-Model-DPO_Pm3B_U0_beta0.10)",
            date: "2024-04",
            confidence: Confidence::High,
            notes: notes!(
                "Parameter count 3.8B as on the model card (nominal). head_dim derived as hidden/heads; multi-head attention; sliding window 2,047. FFN width 8,192; vocabulary 32,064."
            ),
        },
    },
    ModelEntry {
        id: "phi-4",
        name: "Phi-4",
        spec: ModelSpec {
            total_params_b: 14.0,
            active_params_b: 14.0,
            layers: 40,
            hidden: 5120,
            heads: 40,
            kv_heads: 10,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: None,
            max_context: 16_384,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "official config.json, huggingface.co/microsoft/phi-4 (refs/pr/10)",
            date: "2024-12",
            confidence: Confidence::High,
            notes: notes!(
                "Parameter count nominal (14B). head_dim derived as hidden/heads (a Llama-format copy lists 128 too). FFN width 17,920; vocabulary 100,352."
            ),
        },
    },
    // -------------------------------------------------------------- Llama 4
    ModelEntry {
        id: "llama-4-scout-17b-16e-instruct",
        name: "Llama 4 Scout 17B-16E Instruct",
        spec: ModelSpec {
            total_params_b: 109.0,
            active_params_b: 17.0,
            layers: 48,
            hidden: 5120,
            heads: 40,
            kv_heads: 8,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: Some(Moe {
                experts: 16,
                experts_per_token: 1,
            }),
            max_context: 10_485_760,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "params: ML.ENERGY leaderboard index.json; dimensions: text_config of meta-llama/Llama-4-Scout-17B-16E-Instruct config.json and Meta's Llama 4 announcement (2025-04-05)",
            date: "2025-04",
            confidence: Confidence::Medium,
            notes: notes!(
                "Filled (the leaderboard gives only parameter counts, and the expert count is in the name): 48 layers, hidden 5,120, 40 query heads, 8 KV heads, head_dim 128, 1 routed expert per token plus a shared expert, and 10M context (10,485,760 positions) from Meta's config and announcement. Three of every four layers use 8,192-token chunked attention, so the planner's full-context KV cache is an upper bound. Text-only dimensions; the vision encoder is not modelled."
            ),
        },
    },
    ModelEntry {
        id: "llama-4-maverick-17b-128e-instruct",
        name: "Llama 4 Maverick 17B-128E Instruct",
        spec: ModelSpec {
            total_params_b: 400.0,
            active_params_b: 17.0,
            layers: 48,
            hidden: 5120,
            heads: 40,
            kv_heads: 8,
            head_dim: 128,
            attention: Attention::Grouped,
            moe: Some(Moe {
                experts: 128,
                experts_per_token: 1,
            }),
            max_context: 1_048_576,
        },
        native_precision: Precision::Bf16,
        provenance: Provenance {
            source: "params: ML.ENERGY leaderboard index.json; dimensions: text_config of meta-llama/Llama-4-Maverick-17B-128E-Instruct config.json and Meta's Llama 4 announcement (2025-04-05)",
            date: "2025-04",
            confidence: Confidence::Medium,
            notes: notes!(
                "Filled (the leaderboard gives only parameter counts, and the expert count is in the name): 48 layers, hidden 5,120, 40 query heads, 8 KV heads, head_dim 128, 1 routed expert per token plus a shared expert, and 1M context (1,048,576 positions) from Meta's config and announcement. MoE and dense layers alternate; the planner's expert split from total/active still reproduces both counts. Meta also publishes an FP8 checkpoint; BF16 is the reference release. Chunked attention on three of four layers makes the full-context KV cache an upper bound."
            ),
        },
    },
];

/// DeepSeek-V3 and R1 share one architecture.
const DEEPSEEK_V3_SPEC: ModelSpec = ModelSpec {
    total_params_b: 671.0,
    active_params_b: 37.0,
    layers: 61,
    hidden: 7168,
    heads: 128,
    kv_heads: 128,
    head_dim: 128,
    attention: Attention::Latent {
        kv_latent_dim: 512,
        rope_dim: 64,
    },
    moe: Some(Moe {
        experts: 256,
        experts_per_token: 8,
    }),
    max_context: 163_840,
};
