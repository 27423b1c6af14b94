//! A model's dimensions from a Hugging Face `config.json`, so a user can
//! paste the file of any model instead of typing its shape.
//!
//! The file gives layers, widths and heads but not parameter counts; those
//! are added up from the shapes: embeddings, attention projections and the
//! feed-forward (gated, three matrices) per layer. Norms and biases are a
//! rounding error and left out. Mixture-of-experts files name their experts
//! in one of three conventions (Mixtral, Qwen, DeepSeek); all are read.

use serde_json::{Map, Value};

use crate::model::{Attention, ModelSpec, Moe};

/// Why a pasted config could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HfConfigError {
    /// The text is not JSON, or not a JSON object.
    #[error("not a JSON object: {0}")]
    NotJson(String),
    /// A key the dimensions need is absent.
    #[error("the config has no \"{0}\"")]
    Missing(&'static str),
    /// A key holds something other than a positive whole number.
    #[error("\"{0}\" must be a positive whole number")]
    NotACount(&'static str),
}

impl HfConfigError {
    /// The config key at fault, if one is.
    pub fn key(&self) -> Option<&'static str> {
        match self {
            HfConfigError::NotJson(_) => None,
            HfConfigError::Missing(key) | HfConfigError::NotACount(key) => Some(key),
        }
    }
}

/// Reads the dimensions in a Hugging Face `config.json`.
///
/// # Errors
/// When the text is not a JSON object, a needed key is missing, or a count
/// is not a positive whole number; the error names the key.
pub fn model_from_hf_config(text: &str) -> Result<ModelSpec, HfConfigError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| HfConfigError::NotJson(e.to_string()))?;
    let root = value
        .as_object()
        .ok_or_else(|| HfConfigError::NotJson("expected an object".to_owned()))?;
    // Multimodal files (e.g. Llama 4) keep the language model in `text_config`.
    let c = root
        .get("text_config")
        .and_then(Value::as_object)
        .unwrap_or(root);
    Config(c).model()
}

struct Config<'a>(&'a Map<String, Value>);

impl Config<'_> {
    fn optional(&self, key: &'static str) -> Result<Option<u32>, HfConfigError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .filter(|n| *n > 0)
                .and_then(|n| u32::try_from(n).ok())
                .map(Some)
                .ok_or(HfConfigError::NotACount(key)),
        }
    }

    fn required(&self, key: &'static str) -> Result<u32, HfConfigError> {
        self.optional(key)?.ok_or(HfConfigError::Missing(key))
    }

    /// The first of `keys` present.
    fn first_of(&self, keys: &[&'static str]) -> Result<Option<u32>, HfConfigError> {
        for key in keys {
            if let Some(v) = self.optional(key)? {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }

    /// Layers with full attention in a hybrid file (Qwen3-Next, Qwen3.5):
    /// `layer_types` names each layer, or every `full_attention_interval`-th
    /// one is full. `None` when every layer attends (sliding windows count
    /// as attention: their cache is bounded but kept).
    fn full_attention_layers(&self, layers: u32) -> Result<Option<u32>, HfConfigError> {
        if let Some(types) = self.0.get("layer_types").and_then(Value::as_array) {
            let linear = types
                .iter()
                .filter(|t| t.as_str() == Some("linear_attention"))
                .count();
            let linear = u32::try_from(linear).unwrap_or(u32::MAX);
            return Ok((linear > 0).then(|| layers.saturating_sub(linear).max(1)));
        }
        Ok(self
            .optional("full_attention_interval")?
            .filter(|every| *every > 1)
            .map(|every| (layers / every).max(1)))
    }

    /// A hybrid's cache and parameters: `full` layers of grouped-query
    /// attention (`grouped` parameters each), the rest Gated DeltaNet
    /// layers with a state of `value heads × key width × value width` and
    /// a short convolution over the query, key and value channels. Returns
    /// the attention parameters per layer, averaged over all layers.
    fn hybrid(
        &self,
        layers: u32,
        full: u32,
        h: f64,
        grouped: f64,
    ) -> Result<(Attention, f64), HfConfigError> {
        let value_heads = u64::from(self.required("linear_num_value_heads")?);
        let key_heads = u64::from(self.optional("linear_num_key_heads")?.unwrap_or(16));
        let key_dim = u64::from(self.optional("linear_key_head_dim")?.unwrap_or(128));
        let value_dim = u64::from(self.optional("linear_value_head_dim")?.unwrap_or(128));
        let kernel = u64::from(self.optional("linear_conv_kernel_dim")?.unwrap_or(4));
        let linear = u64::from(layers - full.min(layers));
        let channels = 2 * key_heads * key_dim + value_heads * value_dim;
        let state = value_heads * key_dim * value_dim + kernel.saturating_sub(1) * channels;
        // Query, key, value and gate projections in; gate scalars; out.
        let (vh, v) = (value_heads as f64, (value_heads * value_dim) as f64);
        let linear_params = h * (channels as f64 + v) + h * 2.0 * vh + v * h;
        let per_layer =
            (f64::from(full) * grouped + linear as f64 * linear_params) / f64::from(layers.max(1));
        Ok((
            Attention::Hybrid {
                attention_layers: full,
                state_values: linear * state,
            },
            per_layer,
        ))
    }

    fn model(&self) -> Result<ModelSpec, HfConfigError> {
        let layers = self.required("num_hidden_layers")?;
        let hidden = self.required("hidden_size")?;
        let heads = self.required("num_attention_heads")?;
        let kv_heads = self.optional("num_key_value_heads")?.unwrap_or(heads);
        let head_dim = self.optional("head_dim")?.unwrap_or(hidden / heads).max(1);
        let vocab = self.required("vocab_size")?;
        let max_context = self
            .first_of(&["max_position_embeddings", "max_sequence_length"])?
            .unwrap_or(4096);
        let tied = self
            .0
            .get("tie_word_embeddings")
            .and_then(Value::as_bool)
            .unwrap_or(false);

        let (h, l) = (f64::from(hidden), f64::from(layers));
        let latent = self.optional("kv_lora_rank")?;
        let (attention, attention_params) = match latent {
            Some(kv_latent_dim) => {
                let rope_dim = self.optional("qk_rope_head_dim")?.unwrap_or(64);
                let nope = f64::from(self.optional("qk_nope_head_dim")?.unwrap_or(128));
                let v_dim = f64::from(self.optional("v_head_dim")?.unwrap_or(128));
                let q_rank = self.optional("q_lora_rank")?.map(f64::from);
                let qk = nope + f64::from(rope_dim);
                let n = f64::from(heads);
                let q = match q_rank {
                    Some(r) => h * r + r * n * qk,
                    None => h * n * qk,
                };
                let kv = h * (f64::from(kv_latent_dim) + f64::from(rope_dim))
                    + f64::from(kv_latent_dim) * n * (nope + v_dim);
                let o = n * v_dim * h;
                (
                    Attention::Latent {
                        kv_latent_dim,
                        rope_dim,
                    },
                    q + kv + o,
                )
            }
            None => {
                let q_and_o = 2.0 * h * f64::from(heads) * f64::from(head_dim);
                let k_and_v = 2.0 * h * f64::from(kv_heads) * f64::from(head_dim);
                match self.full_attention_layers(layers)? {
                    Some(full) => self.hybrid(layers, full, h, q_and_o + k_and_v)?,
                    None => (Attention::Grouped, q_and_o + k_and_v),
                }
            }
        };

        let experts = self.first_of(&["num_local_experts", "num_experts", "n_routed_experts"])?;
        let (ffn_total, ffn_active, moe) = match experts {
            Some(experts) if experts > 1 => {
                let per_token = self.required("num_experts_per_tok")?;
                let width = f64::from(
                    self.first_of(&["moe_intermediate_size", "intermediate_size"])?
                        .ok_or(HfConfigError::Missing("moe_intermediate_size"))?,
                );
                let expert = 3.0 * h * width;
                let shared = match self.optional("shared_expert_intermediate_size")? {
                    Some(w) => 3.0 * h * f64::from(w),
                    None => f64::from(self.optional("n_shared_experts")?.unwrap_or(0)) * expert,
                };
                (
                    f64::from(experts) * expert + shared,
                    f64::from(per_token) * expert + shared,
                    Some(Moe {
                        experts,
                        experts_per_token: per_token,
                    }),
                )
            }
            _ => {
                let ffn = 3.0 * h * f64::from(self.required("intermediate_size")?);
                (ffn, ffn, None)
            }
        };

        let embeddings = f64::from(vocab) * h * if tied { 1.0 } else { 2.0 };
        let total = embeddings + l * (attention_params + ffn_total);
        let active = embeddings + l * (attention_params + ffn_active);
        Ok(ModelSpec {
            total_params_b: total / 1e9,
            active_params_b: active / 1e9,
            layers,
            hidden,
            heads,
            kv_heads,
            head_dim,
            attention,
            moe,
            max_context,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published shape of Llama 3.1 8B.
    const LLAMA_8B: &str = r#"{
        "architectures": ["LlamaForCausalLM"], "hidden_size": 4096,
        "intermediate_size": 14336, "max_position_embeddings": 131072,
        "num_attention_heads": 32, "num_hidden_layers": 32,
        "num_key_value_heads": 8, "tie_word_embeddings": false,
        "vocab_size": 128256, "torch_dtype": "bfloat16"
    }"#;

    /// The published shape of Mixtral 8x7B.
    const MIXTRAL: &str = r#"{
        "hidden_size": 4096, "intermediate_size": 14336,
        "max_position_embeddings": 32768, "num_attention_heads": 32,
        "num_experts_per_tok": 2, "num_hidden_layers": 32,
        "num_key_value_heads": 8, "num_local_experts": 8, "vocab_size": 32000
    }"#;

    #[test]
    fn llama_3_1_8b_adds_up_to_its_eight_billion_parameters() {
        let m = model_from_hf_config(LLAMA_8B).unwrap();
        // Published: 8.03 B.
        assert!(
            (m.total_params_b - 8.03).abs() < 0.02,
            "{}",
            m.total_params_b
        );
        assert_eq!(m.total_params_b, m.active_params_b);
        assert_eq!(
            (m.layers, m.heads, m.kv_heads, m.head_dim),
            (32, 32, 8, 128)
        );
        assert_eq!(m.max_context, 131_072);
        assert!(m.moe.is_none());
        assert!(m.validate().is_ok());
    }

    #[test]
    fn mixtral_counts_all_experts_in_total_and_two_in_active() {
        let m = model_from_hf_config(MIXTRAL).unwrap();
        // Published: 46.7 B total, 12.9 B active.
        assert!(
            (m.total_params_b - 46.7).abs() < 0.1,
            "{}",
            m.total_params_b
        );
        assert!(
            (m.active_params_b - 12.9).abs() < 0.1,
            "{}",
            m.active_params_b
        );
        assert_eq!(
            m.moe,
            Some(Moe {
                experts: 8,
                experts_per_token: 2
            })
        );
        assert!(m.validate().is_ok());
    }

    /// The text model of Qwen3.5-397B-A17B, as its published dimensions.
    const QWEN3_5_397B: &str = r#"{
        "text_config": {
            "hidden_size": 4096, "num_hidden_layers": 60, "num_attention_heads": 32,
            "num_key_value_heads": 2, "head_dim": 256, "vocab_size": 248320,
            "num_experts": 512, "num_experts_per_tok": 10, "moe_intermediate_size": 1024,
            "shared_expert_intermediate_size": 1024, "full_attention_interval": 4,
            "linear_num_value_heads": 64, "linear_num_key_heads": 16,
            "linear_key_head_dim": 128, "linear_value_head_dim": 128,
            "linear_conv_kernel_dim": 4, "max_position_embeddings": 262144
        }
    }"#;

    #[test]
    fn a_hybrid_config_caches_only_its_full_attention_layers() {
        let m = model_from_hf_config(QWEN3_5_397B).unwrap();
        assert_eq!(
            m.attention,
            Attention::Hybrid {
                attention_layers: 15,
                state_values: 45 * (64 * 128 * 128 + 3 * 12_288),
            }
        );
        // Published: 397 B total (a small vision encoder included), 17 B active.
        assert!(
            (m.total_params_b / 397.0 - 1.0).abs() < 0.03,
            "{}",
            m.total_params_b
        );
        assert!(
            (m.active_params_b / 17.0 - 1.0).abs() < 0.1,
            "{}",
            m.active_params_b
        );
        // A quarter of the layers hold a cache: a quarter of what all would.
        let all = ModelSpec {
            attention: Attention::Grouped,
            ..m
        };
        assert_eq!(4.0 * m.kv_elements_per_token(), all.kv_elements_per_token());
        assert!(m.validate().is_ok());
        // Naming each layer says the same.
        let mut listed: Value = serde_json::from_str(QWEN3_5_397B).unwrap();
        let text = listed["text_config"].as_object_mut().unwrap();
        text.remove("full_attention_interval");
        let types: Vec<&str> = (0..60)
            .map(|i| {
                if i % 4 == 3 {
                    "full_attention"
                } else {
                    "linear_attention"
                }
            })
            .collect();
        text.insert("layer_types".into(), serde_json::json!(types));
        assert_eq!(model_from_hf_config(&listed.to_string()).unwrap(), m);
    }

    #[test]
    fn sliding_windows_are_not_linear_attention() {
        let m = model_from_hf_config(
            r#"{"hidden_size": 2880, "num_hidden_layers": 2, "num_attention_heads": 64,
                "num_key_value_heads": 8, "head_dim": 64, "vocab_size": 201088,
                "intermediate_size": 2880,
                "layer_types": ["sliding_attention", "full_attention"]}"#,
        )
        .unwrap();
        assert_eq!(m.attention, Attention::Grouped);
    }

    #[test]
    fn a_latent_attention_config_gives_a_latent_cache() {
        let m = model_from_hf_config(
            r#"{"hidden_size": 7168, "num_hidden_layers": 61, "num_attention_heads": 128,
                "num_key_value_heads": 128, "vocab_size": 129280, "kv_lora_rank": 512,
                "qk_rope_head_dim": 64, "qk_nope_head_dim": 128, "v_head_dim": 128,
                "q_lora_rank": 1536, "n_routed_experts": 256, "num_experts_per_tok": 8,
                "n_shared_experts": 1, "moe_intermediate_size": 2048,
                "intermediate_size": 18432, "max_position_embeddings": 163840}"#,
        )
        .unwrap();
        assert_eq!(
            m.attention,
            Attention::Latent {
                kv_latent_dim: 512,
                rope_dim: 64
            }
        );
        // DeepSeek-V3 publishes 671 B total, 37 B active (its first three
        // layers are dense, which this count treats as MoE: within 5 %).
        assert!(
            (m.total_params_b / 671.0 - 1.0).abs() < 0.05,
            "{}",
            m.total_params_b
        );
        assert!(
            (m.active_params_b / 37.0 - 1.0).abs() < 0.05,
            "{}",
            m.active_params_b
        );
    }

    #[test]
    fn a_missing_key_is_named() {
        let text = LLAMA_8B.replace("\"num_hidden_layers\": 32,", "");
        assert_eq!(
            model_from_hf_config(&text).unwrap_err(),
            HfConfigError::Missing("num_hidden_layers")
        );
        assert_eq!(
            model_from_hf_config(&text).unwrap_err().to_string(),
            "the config has no \"num_hidden_layers\""
        );
    }

    #[test]
    fn bad_json_and_bad_counts_are_reported() {
        assert!(matches!(
            model_from_hf_config("{not json"),
            Err(HfConfigError::NotJson(_))
        ));
        assert!(matches!(
            model_from_hf_config("[1, 2]"),
            Err(HfConfigError::NotJson(_))
        ));
        let text = LLAMA_8B.replace("\"hidden_size\": 4096", "\"hidden_size\": -4096");
        assert_eq!(
            model_from_hf_config(&text).unwrap_err(),
            HfConfigError::NotACount("hidden_size")
        );
    }

    #[test]
    fn a_multimodal_file_is_read_from_its_text_config() {
        let text = format!(r#"{{"model_type": "llama4", "text_config": {LLAMA_8B}}}"#);
        assert_eq!(
            model_from_hf_config(&text).unwrap(),
            model_from_hf_config(LLAMA_8B).unwrap()
        );
    }
}
