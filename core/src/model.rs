//! A model's architecture: what decides its memory footprint, its memory
//! traffic per step and its arithmetic per token.

use serde::{Deserialize, Serialize};

use crate::input::{Bound, InputError, Range};

/// Numeric format of stored weights or KV-cache entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// bfloat16: 2 bytes.
    Bf16,
    /// 8-bit float (E4M3): 1 byte.
    Fp8,
    /// 8-bit integer: 1 byte.
    Int8,
    /// 4-bit integer with a 16-bit scale per group of 128 weights.
    Int4,
    /// 4-bit float with an 8-bit scale per block of 16 (NVFP4).
    Fp4,
}

impl Precision {
    /// Bytes per stored element, scales included.
    pub fn bytes(self) -> f64 {
        match self {
            Precision::Bf16 => 2.0,
            Precision::Fp8 | Precision::Int8 => 1.0,
            Precision::Int4 => 0.5 + 2.0 / 128.0,
            Precision::Fp4 => 0.5 + 1.0 / 16.0,
        }
    }

    /// Every precision, for pickers.
    pub const ALL: [Precision; 5] = [
        Precision::Bf16,
        Precision::Fp8,
        Precision::Int8,
        Precision::Int4,
        Precision::Fp4,
    ];

    /// Short label for people.
    pub fn label(self) -> &'static str {
        match self {
            Precision::Bf16 => "BF16",
            Precision::Fp8 => "FP8",
            Precision::Int8 => "INT8",
            Precision::Int4 => "INT4",
            Precision::Fp4 => "FP4",
        }
    }
}

/// How attention stores its cache.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Attention {
    /// Multi-head or grouped-query attention: a key and a value of
    /// `head_dim` per KV head per layer.
    Grouped,
    /// Multi-head latent attention (DeepSeek-V2/V3): one compressed latent
    /// plus a decoupled RoPE key per layer, shared by all heads.
    Latent {
        /// Width of the compressed KV latent (DeepSeek-V3: 512).
        kv_latent_dim: u32,
        /// Width of the decoupled RoPE key (DeepSeek-V3: 64).
        rope_dim: u32,
    },
    /// Grouped-query attention in some layers only; the others are linear
    /// attention (Gated DeltaNet, Mamba) and keep, instead of a cache that
    /// grows with the context, a fixed recurrent state per sequence that
    /// every decode step reads and writes (Qwen3-Next, Qwen3.5).
    Hybrid {
        /// Layers with full attention and a KV cache (Qwen3.5-397B: 15 of 60).
        attention_layers: u32,
        /// Recurrent-state values per sequence, all linear layers together
        /// (Qwen3.5-397B: 45 layers × 64 heads × 128 × 128).
        state_values: u64,
    },
}

/// Bytes per recurrent-state value: serving stacks keep the linear layers'
/// state in FP32, whatever the weights' and cache's formats.
pub const STATE_BYTES: f64 = 4.0;

/// Mixture-of-experts layout.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Moe {
    /// Routed experts per MoE layer.
    pub experts: u32,
    /// Routed experts chosen per token.
    pub experts_per_token: u32,
}

/// A model's dimensions. Parameter counts are in billions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// All parameters, billions.
    pub total_params_b: f64,
    /// Parameters used per token, billions (equal to total for dense models).
    pub active_params_b: f64,
    /// Transformer layers.
    pub layers: u32,
    /// Hidden (model) width.
    pub hidden: u32,
    /// Query heads.
    pub heads: u32,
    /// Key/value heads (equal to `heads` for multi-head attention).
    pub kv_heads: u32,
    /// Width of one attention head.
    pub head_dim: u32,
    /// Cache layout.
    pub attention: Attention,
    /// Mixture-of-experts layout; `None` for dense models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moe: Option<Moe>,
    /// Longest context the model supports, tokens.
    pub max_context: u32,
}

/// Field ranges of a model, named by their JSON path under `model.spec`.
pub mod limits {
    use super::{Bound, Range};

    const fn count(field: &'static str, min: f64, max: f64) -> Range {
        Range::count(field, min, max)
    }

    /// Total parameters: up to 100 trillion.
    pub const TOTAL_PARAMS_B: Range = Range {
        field: "model.spec.total_params_b",
        min: 0.0,
        bound: Bound::GreaterThan,
        max: 100_000.0,
        unit: " B params",
        whole: false,
    };
    /// Active parameters per token.
    pub const ACTIVE_PARAMS_B: Range = Range {
        field: "model.spec.active_params_b",
        ..TOTAL_PARAMS_B
    };
    /// Layers.
    pub const LAYERS: Range = count("model.spec.layers", 1.0, 1_000.0);
    /// Hidden width.
    pub const HIDDEN: Range = count("model.spec.hidden", 1.0, 1_000_000.0);
    /// Query heads.
    pub const HEADS: Range = count("model.spec.heads", 1.0, 10_000.0);
    /// KV heads.
    pub const KV_HEADS: Range = count("model.spec.kv_heads", 1.0, 10_000.0);
    /// Head width.
    pub const HEAD_DIM: Range = count("model.spec.head_dim", 1.0, 10_000.0);
    /// Latent width.
    pub const KV_LATENT_DIM: Range = count("model.spec.attention.kv_latent_dim", 1.0, 100_000.0);
    /// RoPE key width.
    pub const ROPE_DIM: Range = count("model.spec.attention.rope_dim", 0.0, 100_000.0);
    /// Layers with full attention in a hybrid model (at most the layers).
    pub const ATTENTION_LAYERS: Range =
        count("model.spec.attention.attention_layers", 1.0, 1_000.0);
    /// Recurrent-state values per sequence in a hybrid model.
    pub const STATE_VALUES: Range = count("model.spec.attention.state_values", 0.0, 1e12);
    /// Routed experts.
    pub const EXPERTS: Range = count("model.spec.moe.experts", 2.0, 100_000.0);
    /// Experts per token.
    pub const EXPERTS_PER_TOKEN: Range = count("model.spec.moe.experts_per_token", 1.0, 100_000.0);
    /// Context length.
    pub const MAX_CONTEXT: Range = count("model.spec.max_context", 1.0, 100_000_000.0);
}

impl ModelSpec {
    /// Checks every dimension and their consistency.
    ///
    /// # Errors
    /// The first field out of range or inconsistent with the others.
    pub fn validate(&self) -> Result<(), InputError> {
        limits::TOTAL_PARAMS_B.check(self.total_params_b)?;
        limits::ACTIVE_PARAMS_B.check(self.active_params_b)?;
        if self.active_params_b > self.total_params_b {
            return Err(InputError {
                field: limits::ACTIVE_PARAMS_B.field,
                problem: crate::input::Problem::TooLarge {
                    value: self.active_params_b,
                    max: self.total_params_b,
                    unit: " B params (the total)",
                },
            });
        }
        limits::LAYERS.check(f64::from(self.layers))?;
        limits::HIDDEN.check(f64::from(self.hidden))?;
        limits::HEADS.check(f64::from(self.heads))?;
        limits::KV_HEADS.check(f64::from(self.kv_heads))?;
        if self.kv_heads > self.heads {
            return Err(InputError {
                field: limits::KV_HEADS.field,
                problem: crate::input::Problem::TooLarge {
                    value: f64::from(self.kv_heads),
                    max: f64::from(self.heads),
                    unit: " (the query heads)",
                },
            });
        }
        limits::HEAD_DIM.check(f64::from(self.head_dim))?;
        if let Attention::Latent {
            kv_latent_dim,
            rope_dim,
        } = self.attention
        {
            limits::KV_LATENT_DIM.check(f64::from(kv_latent_dim))?;
            limits::ROPE_DIM.check(f64::from(rope_dim))?;
        }
        if let Attention::Hybrid {
            attention_layers,
            state_values,
        } = self.attention
        {
            limits::ATTENTION_LAYERS.check(f64::from(attention_layers))?;
            if attention_layers > self.layers {
                return Err(InputError {
                    field: limits::ATTENTION_LAYERS.field,
                    problem: crate::input::Problem::TooLarge {
                        value: f64::from(attention_layers),
                        max: f64::from(self.layers),
                        unit: " (the layers)",
                    },
                });
            }
            limits::STATE_VALUES.check(state_values as f64)?;
        }
        if let Some(moe) = self.moe {
            limits::EXPERTS.check(f64::from(moe.experts))?;
            limits::EXPERTS_PER_TOKEN.check(f64::from(moe.experts_per_token))?;
            if moe.experts_per_token >= moe.experts {
                return Err(InputError {
                    field: limits::EXPERTS_PER_TOKEN.field,
                    problem: crate::input::Problem::TooLarge {
                        value: f64::from(moe.experts_per_token),
                        max: f64::from(moe.experts - 1),
                        unit: " (fewer than the experts)",
                    },
                });
            }
        }
        limits::MAX_CONTEXT.check(f64::from(self.max_context))?;
        Ok(())
    }

    /// Parameters every token uses, billions: attention, embeddings, router
    /// and shared experts. For a dense model, all of them.
    ///
    /// With `E` routed experts of equal size `s`, `k` chosen per token:
    /// total = dense + E·s and active = dense + k·s, so
    /// s = (total − active) / (E − k).
    pub fn always_active_params_b(&self) -> f64 {
        match self.moe {
            None => self.total_params_b,
            Some(moe) => {
                let k = f64::from(moe.experts_per_token);
                (self.active_params_b - k * self.expert_params_b()).max(0.0)
            }
        }
    }

    /// Parameters of one routed expert summed over all layers, billions
    /// (zero for dense models).
    pub fn expert_params_b(&self) -> f64 {
        match self.moe {
            None => 0.0,
            Some(moe) => {
                let spare = f64::from(moe.experts - moe.experts_per_token);
                ((self.total_params_b - self.active_params_b) / spare).max(0.0)
            }
        }
    }

    /// Expected distinct experts a batch of `tokens` touches in one MoE
    /// layer: E·(1 − (1 − k/E)^tokens), assuming uniform routing.
    pub fn experts_touched(&self, tokens: f64) -> f64 {
        match self.moe {
            None => 0.0,
            Some(moe) => {
                let e = f64::from(moe.experts);
                let k = f64::from(moe.experts_per_token);
                e * (1.0 - (1.0 - k / e).powf(tokens.max(0.0)))
            }
        }
    }

    /// Weight bytes read from memory by one forward step over `tokens`
    /// tokens: the always-active part plus every expert the batch touches.
    pub fn weight_bytes_read(&self, tokens: f64, weights: Precision) -> f64 {
        let params_b =
            self.always_active_params_b() + self.experts_touched(tokens) * self.expert_params_b();
        params_b.min(self.total_params_b) * 1e9 * weights.bytes()
    }

    /// The busiest of `stages` pipeline stages that split the layers in
    /// order: ⌈layers / stages⌉ layers with their share of the parameters
    /// (embeddings spread with them), and for a hybrid model its share of
    /// the attention layers and of the recurrent state. One stage is the
    /// model itself.
    pub fn pipeline_stage(&self, stages: u32) -> ModelSpec {
        if stages <= 1 {
            return *self;
        }
        let layers = self.layers.div_ceil(stages).max(1);
        let share = f64::from(layers) / f64::from(self.layers);
        let attention = match self.attention {
            Attention::Hybrid {
                attention_layers,
                state_values,
            } => {
                let attention_layers = attention_layers.min(self.layers);
                let linear = self.layers - attention_layers;
                let stage_linear = linear.div_ceil(stages);
                Attention::Hybrid {
                    attention_layers: attention_layers.div_ceil(stages).min(layers),
                    state_values: if linear == 0 {
                        0
                    } else {
                        state_values / u64::from(linear) * u64::from(stage_linear)
                    },
                }
            }
            other => other,
        };
        ModelSpec {
            total_params_b: self.total_params_b * share,
            active_params_b: self.active_params_b * share,
            layers,
            attention,
            ..*self
        }
    }

    /// Bytes to hold all weights.
    pub fn weight_bytes(&self, weights: Precision) -> f64 {
        self.total_params_b * 1e9 * weights.bytes()
    }

    /// Layers that attend over the whole context and hold a KV cache.
    pub fn attention_layers(&self) -> u32 {
        match self.attention {
            Attention::Grouped | Attention::Latent { .. } => self.layers,
            Attention::Hybrid {
                attention_layers, ..
            } => attention_layers.min(self.layers),
        }
    }

    /// KV-cache elements stored per token, all layers.
    pub fn kv_elements_per_token(&self) -> f64 {
        let per_layer = match self.attention {
            Attention::Grouped | Attention::Hybrid { .. } => {
                2.0 * f64::from(self.kv_heads) * f64::from(self.head_dim)
            }
            Attention::Latent {
                kv_latent_dim,
                rope_dim,
            } => f64::from(kv_latent_dim) + f64::from(rope_dim),
        };
        f64::from(self.attention_layers()) * per_layer
    }

    /// Bytes of recurrent state one sequence holds, whatever its length
    /// (zero but for hybrid models); split across tensor-parallel peers
    /// by head like the weights.
    pub fn state_bytes_per_sequence(&self) -> f64 {
        match self.attention {
            Attention::Hybrid { state_values, .. } => state_values as f64 * STATE_BYTES,
            Attention::Grouped | Attention::Latent { .. } => 0.0,
        }
    }

    /// KV-cache bytes per token of context.
    pub fn kv_bytes_per_token(&self, kv: Precision) -> f64 {
        self.kv_elements_per_token() * kv.bytes()
    }

    /// KV-cache bytes per token held across `tensor_parallel` accelerators.
    /// Tensor parallelism splits the cache by KV head, so when there are
    /// fewer KV heads than accelerators each head is copied onto several of
    /// them; a latent cache has no heads and every accelerator holds it all.
    pub fn kv_bytes_per_token_sharded(&self, kv: Precision, tensor_parallel: u32) -> f64 {
        let tp = f64::from(tensor_parallel.max(1));
        let copies = match self.attention {
            Attention::Grouped | Attention::Hybrid { .. } => {
                (tp / f64::from(self.kv_heads.max(1))).max(1.0)
            }
            Attention::Latent { .. } => tp,
        };
        self.kv_bytes_per_token(kv) * copies
    }

    /// Attention arithmetic for one new token attending to `context`
    /// earlier tokens, FLOPs: QKᵀ and the weighted sum of V, 2 FLOPs per
    /// multiply-add, for every query head of every layer with full
    /// attention. (A linear layer's state update is a few million FLOPs a
    /// token, under 1 % of the matrix multiplies: left out.)
    pub fn attention_flops_per_token(&self, context: f64) -> f64 {
        4.0 * f64::from(self.attention_layers())
            * f64::from(self.heads)
            * f64::from(self.head_dim)
            * context
    }

    /// Dense arithmetic per token (matrix multiplies), FLOPs: 2 per active parameter.
    pub fn linear_flops_per_token(&self) -> f64 {
        2.0 * self.active_params_b * 1e9
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::fixtures;
    use approx::assert_relative_eq;

    fn llama_70b() -> ModelSpec {
        fixtures::model("llama-3.1-70b-instruct")
    }

    fn deepseek_v3() -> ModelSpec {
        fixtures::model("deepseek-v3")
    }

    #[test]
    fn llama_70b_in_bf16_holds_140_gb_of_weights() {
        assert_relative_eq!(llama_70b().weight_bytes(Precision::Bf16), 140e9);
        assert_relative_eq!(llama_70b().weight_bytes(Precision::Fp8), 70e9);
    }

    #[test]
    fn tensor_parallelism_beyond_the_kv_heads_copies_the_cache() {
        let m = llama_70b(); // 8 KV heads
        let one = m.kv_bytes_per_token(Precision::Bf16);
        assert_relative_eq!(m.kv_bytes_per_token_sharded(Precision::Bf16, 8), one);
        assert_relative_eq!(m.kv_bytes_per_token_sharded(Precision::Bf16, 16), 2.0 * one);
        let latent = deepseek_v3();
        let one = latent.kv_bytes_per_token(Precision::Bf16);
        assert_relative_eq!(
            latent.kv_bytes_per_token_sharded(Precision::Bf16, 8),
            8.0 * one
        );
    }

    #[test]
    fn grouped_query_attention_caches_320_kib_per_token_for_llama_70b() {
        // 2 (K and V) x 80 layers x 8 KV heads x 128 x 2 bytes.
        assert_relative_eq!(llama_70b().kv_bytes_per_token(Precision::Bf16), 327_680.0);
    }

    #[test]
    fn latent_attention_caches_576_elements_per_layer() {
        // DeepSeek-V3: 61 layers x (512 + 64) elements.
        assert_relative_eq!(deepseek_v3().kv_elements_per_token(), 61.0 * 576.0);
    }

    #[test]
    fn moe_split_reproduces_total_and_active() {
        let m = deepseek_v3();
        let dense = m.always_active_params_b();
        let expert = m.expert_params_b();
        assert_relative_eq!(dense + 256.0 * expert, 671.0, max_relative = 1e-12);
        assert_relative_eq!(dense + 8.0 * expert, 37.0, max_relative = 1e-12);
    }

    #[test]
    fn moe_decode_reads_more_experts_as_batch_grows() {
        let m = deepseek_v3();
        let one = m.weight_bytes_read(1.0, Precision::Fp8);
        let sixteen = m.weight_bytes_read(16.0, Precision::Fp8);
        let huge = m.weight_bytes_read(100_000.0, Precision::Fp8);
        assert_relative_eq!(one, 37e9, max_relative = 1e-9);
        assert!(sixteen > one && huge > sixteen);
        assert_relative_eq!(huge, m.weight_bytes(Precision::Fp8), max_relative = 1e-6);
    }

    #[test]
    fn dense_models_read_all_weights_at_any_batch() {
        let m = llama_70b();
        assert_eq!(
            m.weight_bytes_read(1.0, Precision::Bf16),
            m.weight_bytes_read(512.0, Precision::Bf16)
        );
    }

    #[test]
    fn inconsistent_dimensions_are_named() {
        let mut m = llama_70b();
        m.active_params_b = 80.0;
        assert_eq!(
            m.validate().unwrap_err().field,
            "model.spec.active_params_b"
        );
        let mut m = llama_70b();
        m.kv_heads = 128;
        assert_eq!(m.validate().unwrap_err().field, "model.spec.kv_heads");
        let mut m = deepseek_v3();
        m.moe = Some(Moe {
            experts: 8,
            experts_per_token: 8,
        });
        assert_eq!(
            m.validate().unwrap_err().field,
            "model.spec.moe.experts_per_token"
        );
    }
}
