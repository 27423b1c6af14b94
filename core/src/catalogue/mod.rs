//! Built-in reference data: models, accelerators, prices and use cases.
//! Every entry names its public source and the date of the figure, so the
//! planner can show where a number came from.
//!
//! The data is compiled in (no files are read at run time) so the same
//! catalogue exists on the server and in the browser.

/// A provenance note: the text on the server, empty in the browser build,
/// which never shows notes and pays for every byte it downloads.
#[cfg(not(target_arch = "wasm32"))]
macro_rules! notes {
    ($text:literal) => {
        $text
    };
}
#[cfg(target_arch = "wasm32")]
macro_rules! notes {
    ($text:literal) => {
        ""
    };
}

/// A cloud offer's id: for the API and saved searches on the server; the
/// browser's pages list offers by provider and region and never read it.
#[cfg(not(target_arch = "wasm32"))]
macro_rules! offer_id {
    ($text:literal) => {
        $text
    };
}
#[cfg(target_arch = "wasm32")]
macro_rules! offer_id {
    ($text:literal) => {
        ""
    };
}

mod accelerators;
mod hugging_face;
mod models;
mod prices;
mod use_cases;

pub use accelerators::ACCELERATORS;
pub use hugging_face::HUGGING_FACE_REPOSITORIES;
pub use models::MODELS;
pub use prices::{
    API_PRICES, CLOUD_PRICES, ELECTRICITY_PRICES, EMBODIED_CARBON, GRID_CARBON, HARDWARE_PRICES,
    PUE_FIGURES, SERVER_WITHOUT_ACCELERATORS,
};
pub use use_cases::USE_CASES;

use serde::Serialize;

use crate::accelerator::AcceleratorSpec;
use crate::model::{ModelSpec, Precision};

/// How much to trust a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A vendor's or an official statistics agency's own page.
    High,
    /// A secondary source quoting a primary one, or a press report.
    Medium,
    /// An aggregator, a blog, an undated page, or an estimate of ours.
    Low,
}

/// Where a figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Provenance {
    /// The public source (document, page, dataset), specific enough to find.
    pub source: &'static str,
    /// When the figure was published or valid (e.g. `2024`, `2025-02`).
    pub date: &'static str,
    /// How much to trust it.
    pub confidence: Confidence,
    /// Caveats: what was derived, assumed or filled in (empty in the
    /// browser build).
    pub notes: &'static str,
}

/// A model in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ModelEntry {
    /// Stable id used in scenarios and URLs (lowercase, dashes).
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Architecture.
    pub spec: ModelSpec,
    /// Precision the published weights use.
    pub native_precision: Precision,
    /// Where the dimensions come from.
    pub provenance: Provenance,
}

/// Who makes an accelerator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Vendor {
    /// NVIDIA.
    Nvidia,
    /// AMD.
    Amd,
    /// Intel (Habana).
    Intel,
    /// Google (TPU).
    Google,
}

/// An accelerator in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AcceleratorEntry {
    /// Stable id (lowercase, dashes), e.g. `h100-sxm-80gb`.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Maker.
    pub vendor: Vendor,
    /// Datasheet figures.
    pub spec: AcceleratorSpec,
    /// Interconnect as described by the vendor, for display.
    pub interconnect: &'static str,
    /// Year of launch, if known.
    pub launch_year: Option<u16>,
    /// Where the figures come from.
    pub provenance: Provenance,
}

/// A cloud rental price for one accelerator.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CloudPrice {
    /// Stable id, e.g. `aws-p5-capacity-block-us-east-1`.
    pub id: &'static str,
    /// Provider, e.g. `AWS`.
    pub provider: &'static str,
    /// Instance or offer, e.g. `p5.48xlarge (8x H100 80GB)`.
    pub offer: &'static str,
    /// Region.
    pub region: &'static str,
    /// Catalogue id of the accelerator rented.
    pub accelerator_id: &'static str,
    /// Price per accelerator per hour, dollars.
    pub usd_per_gpu_hour: f64,
    /// Pricing model: on-demand, capacity block, spot, typical market rate.
    pub pricing_type: &'static str,
    /// Where the price comes from.
    pub provenance: Provenance,
}

/// A purchase price for owned hardware.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HardwarePrice {
    /// Stable id.
    pub id: &'static str,
    /// Catalogue id of the accelerator.
    pub accelerator_id: &'static str,
    /// Price per accelerator, dollars: the card alone, or its share of a
    /// whole system's price, as `covers` says.
    pub usd_per_gpu: f64,
    /// What the price buys.
    pub covers: Covers,
    /// Where the price comes from.
    pub provenance: Provenance,
}

/// What a purchase price buys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Covers {
    /// The accelerator alone: a server around it costs
    /// [`SERVER_WITHOUT_ACCELERATORS`] more per node.
    Accelerator,
    /// A whole system of `gpus` accelerators with its CPUs, memory and network.
    System {
        /// Accelerators in the system.
        gpus: u32,
    },
}

/// The price of a server of `gpus_per_node` accelerators bought at `price`:
/// a whole system's share per accelerator, or the cards plus the server
/// around them.
pub fn server_price(price: &HardwarePrice, gpus_per_node: u32) -> f64 {
    let cards = price.usd_per_gpu * f64::from(gpus_per_node);
    match price.covers {
        Covers::Accelerator => cards + SERVER_WITHOUT_ACCELERATORS.usd,
        Covers::System { .. } => cards,
    }
}

/// The price of a server's parts other than its accelerators.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServerShell {
    /// Dollars per server.
    pub usd: f64,
    /// Where the figure comes from.
    pub provenance: Provenance,
}

/// An electricity price.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ElectricityPrice {
    /// Stable id, e.g. `eia-2023-virginia-industrial`.
    pub id: &'static str,
    /// Region.
    pub region: &'static str,
    /// Tariff class: commercial or industrial.
    pub tariff: &'static str,
    /// Dollars per kWh.
    pub usd_per_kwh: f64,
    /// Where the price comes from.
    pub provenance: Provenance,
}

/// A data-centre power usage effectiveness figure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PueFigure {
    /// Stable id.
    pub id: &'static str,
    /// What it describes, e.g. `industry average (Uptime survey)`.
    pub label: &'static str,
    /// Facility power over IT power.
    pub pue: f64,
    /// Where the figure comes from.
    pub provenance: Provenance,
}

/// What making one accelerator emitted: a published product carbon
/// footprint or a study's estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EmbodiedCarbon {
    /// Stable id.
    pub id: &'static str,
    /// The catalogue accelerator it is for.
    pub accelerator_id: &'static str,
    /// Kilograms of CO2-equivalent per accelerator.
    pub kg_co2e_per_gpu: f64,
    /// What the figure covers: the card alone, or with its share of the server.
    pub covers: &'static str,
    /// Where the figure comes from.
    pub provenance: Provenance,
}

/// Carbon intensity of a grid.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GridCarbon {
    /// Stable id, e.g. `ember-2023-germany`.
    pub id: &'static str,
    /// Country or region.
    pub region: &'static str,
    /// Grams of CO2-equivalent per kWh generated.
    pub g_co2_per_kwh: f64,
    /// Where the figure comes from.
    pub provenance: Provenance,
}

/// A hosted API's price for a catalogue model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ApiPrice {
    /// Stable id.
    pub id: &'static str,
    /// Catalogue id of the model served.
    pub model_id: &'static str,
    /// Who sells it.
    pub provider: &'static str,
    /// Dollars per million input tokens (cache miss).
    pub usd_per_m_input: f64,
    /// Dollars per million cached input tokens, if priced separately.
    pub usd_per_m_cached_input: Option<f64>,
    /// Dollars per million output tokens.
    pub usd_per_m_output: f64,
    /// Where the price comes from.
    pub provenance: Provenance,
}

/// A use-case preset: a typical request shape, demand and latency targets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UseCasePreset {
    /// Stable id, e.g. `support-chat`.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Prompt tokens per attempt (system prompt, history, retrieved context).
    pub input_tokens: f64,
    /// Visible output tokens per attempt.
    pub output_tokens: f64,
    /// Hidden reasoning tokens per attempt.
    pub reasoning_tokens: f64,
    /// Attempts per meaningful response (retries, reruns for quality).
    pub attempts_per_response: f64,
    /// Guardrail, embedding and other pre/post-processing tokens per response.
    pub pre_post_tokens: f64,
    /// Share of input tokens served from the prefix cache, 0 to 1.
    pub prefix_cache_hit_rate: f64,
    /// Requests per day.
    pub requests_per_day: f64,
    /// Peak hour demand over the day's average.
    pub peak_to_average: f64,
    /// Time-to-first-token target, ms.
    pub ttft_target_ms: f64,
    /// Time-per-output-token target, ms.
    pub tpot_target_ms: f64,
    /// Why these numbers: what the preset assumes.
    pub basis: &'static str,
}

/// The model with catalogue id `id`.
pub fn model(id: &str) -> Option<&'static ModelEntry> {
    MODELS.iter().find(|m| m.id == id)
}

/// The catalogue model a benchmark names: a Hugging Face repository
/// (`meta-llama/Llama-3.1-70B-Instruct`) or the last part of a local path
/// to one (`/models/Llama-3.1-70B-Instruct`), compared whole and without
/// regard to case; never a prefix, so a fine-tune under another name is
/// not taken for its base.
pub fn model_by_hugging_face_id(text: &str) -> Option<&'static ModelEntry> {
    let text = text.trim().trim_end_matches('/');
    let name_of = |path: &str| path.rsplit('/').next().unwrap_or(path).to_owned();
    HUGGING_FACE_REPOSITORIES
        .iter()
        .find(|(_, repository)| {
            repository.eq_ignore_ascii_case(text)
                || (!text.contains('/') || text.starts_with('/') || text.starts_with('.'))
                    && name_of(repository).eq_ignore_ascii_case(&name_of(text))
        })
        .and_then(|(id, _)| model(id))
}

/// The accelerator with catalogue id `id`.
pub fn accelerator(id: &str) -> Option<&'static AcceleratorEntry> {
    ACCELERATORS.iter().find(|a| a.id == id)
}

/// Catalogue entries for unit tests, which fail loudly on a missing id.
#[cfg(test)]
pub(crate) mod fixtures {
    use crate::accelerator::AcceleratorSpec;
    use crate::model::ModelSpec;

    /// The catalogue model `id`'s dimensions.
    pub(crate) fn model(id: &str) -> ModelSpec {
        super::model(id)
            .map(|m| m.spec)
            .unwrap_or_else(|| panic!("no model {id}"))
    }

    /// The catalogue accelerator `id`'s figures.
    pub(crate) fn accelerator(id: &str) -> AcceleratorSpec {
        super::accelerator(id)
            .map(|a| a.spec)
            .unwrap_or_else(|| panic!("no accelerator {id}"))
    }
}

/// The use-case preset with id `id`.
pub fn use_case(id: &str) -> Option<&'static UseCasePreset> {
    USE_CASES.iter().find(|u| u.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use std::collections::HashSet;

    /// Lowercase letters, digits, dots and single dashes, starting and
    /// ending with a letter or digit.
    fn is_lowercase_dashed(id: &str) -> bool {
        let ok_chars = id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
        let ends_ok = id.starts_with(|c: char| c.is_ascii_alphanumeric())
            && id.ends_with(|c: char| c.is_ascii_alphanumeric());
        ok_chars && ends_ok && !id.contains("--") && !id.contains("..")
    }

    fn assert_ids<'a>(table: &str, ids: impl IntoIterator<Item = &'a str>) {
        let mut seen = HashSet::new();
        for id in ids {
            assert!(
                is_lowercase_dashed(id),
                "{table}: id {id:?} is not lowercase-dashed"
            );
            assert!(seen.insert(id), "{table}: id {id:?} appears twice");
        }
    }

    fn all_provenances() -> Vec<(&'static str, &'static Provenance)> {
        let mut all: Vec<(&str, &Provenance)> = Vec::new();
        all.extend(MODELS.iter().map(|e| (e.id, &e.provenance)));
        all.extend(ACCELERATORS.iter().map(|e| (e.id, &e.provenance)));
        all.extend(CLOUD_PRICES.iter().map(|e| (e.id, &e.provenance)));
        all.extend(HARDWARE_PRICES.iter().map(|e| (e.id, &e.provenance)));
        all.extend(ELECTRICITY_PRICES.iter().map(|e| (e.id, &e.provenance)));
        all.extend(PUE_FIGURES.iter().map(|e| (e.id, &e.provenance)));
        all.extend(GRID_CARBON.iter().map(|e| (e.id, &e.provenance)));
        all.extend(EMBODIED_CARBON.iter().map(|e| (e.id, &e.provenance)));
        all.extend(API_PRICES.iter().map(|e| (e.id, &e.provenance)));
        all
    }

    #[test]
    fn every_catalogue_model_is_found_by_its_hugging_face_repository() {
        for (id, repository) in HUGGING_FACE_REPOSITORIES {
            assert!(model(id).is_some(), "{id} is not a catalogue model");
            assert_eq!(
                model_by_hugging_face_id(repository).map(|m| m.id),
                Some(*id)
            );
        }
        for m in MODELS {
            assert!(
                HUGGING_FACE_REPOSITORIES.iter().any(|(id, _)| *id == m.id),
                "{} has no repository",
                m.id
            );
        }
    }

    #[test]
    fn a_benchmark_names_its_model_by_repository_path_or_name_but_never_a_prefix() {
        let found = |text| model_by_hugging_face_id(text).map(|m| m.id);
        let llama = Some("llama-3.1-70b-instruct");
        assert_eq!(found("meta-llama/Llama-3.1-70B-Instruct"), llama);
        assert_eq!(found("META-LLAMA/llama-3.1-70b-instruct"), llama);
        assert_eq!(found("/models/Llama-3.1-70B-Instruct/"), llama);
        assert_eq!(found("Llama-3.1-70B-Instruct"), llama);
        // A fine-tune or another publisher's copy is not the base model.
        assert_eq!(found("meta-llama/Llama-3.1-70B-Instruct-abliterated"), None);
        assert_eq!(found("someone/Llama-3.1-70B-Instruct"), None);
        assert_eq!(found("Llama-3.1-70B"), None);
        assert_eq!(found(""), None);
    }

    #[test]
    fn every_id_is_unique_in_its_table_and_lowercase_dashed() {
        assert_ids("models", MODELS.iter().map(|e| e.id));
        assert_ids("accelerators", ACCELERATORS.iter().map(|e| e.id));
        assert_ids("cloud prices", CLOUD_PRICES.iter().map(|e| e.id));
        assert_ids("hardware prices", HARDWARE_PRICES.iter().map(|e| e.id));
        assert_ids("electricity", ELECTRICITY_PRICES.iter().map(|e| e.id));
        assert_ids("pue", PUE_FIGURES.iter().map(|e| e.id));
        assert_ids("grid carbon", GRID_CARBON.iter().map(|e| e.id));
        assert_ids("embodied carbon", EMBODIED_CARBON.iter().map(|e| e.id));
        assert_ids("api prices", API_PRICES.iter().map(|e| e.id));
        assert_ids("use cases", USE_CASES.iter().map(|e| e.id));
    }

    #[test]
    fn every_model_and_accelerator_spec_passes_validation() {
        for m in MODELS {
            assert!(
                m.spec.validate().is_ok(),
                "{}: {:?}",
                m.id,
                m.spec.validate()
            );
        }
        for a in ACCELERATORS {
            assert!(
                a.spec.validate().is_ok(),
                "{}: {:?}",
                a.id,
                a.spec.validate()
            );
        }
    }

    #[test]
    fn the_catalogue_holds_at_least_twenty_models_six_of_them_mixture_of_experts() {
        assert!(MODELS.len() >= 20, "{} models", MODELS.len());
        let moe = MODELS.iter().filter(|m| m.spec.moe.is_some()).count();
        assert!(moe >= 6, "{moe} MoE models");
    }

    #[test]
    fn the_catalogue_holds_fifteen_accelerators_including_amd_intel_and_google_parts() {
        assert!(
            ACCELERATORS.len() >= 15,
            "{} accelerators",
            ACCELERATORS.len()
        );
        for vendor in [Vendor::Nvidia, Vendor::Amd, Vendor::Intel, Vendor::Google] {
            assert!(
                ACCELERATORS.iter().any(|a| a.vendor == vendor),
                "no {vendor:?} part"
            );
        }
    }

    #[test]
    fn every_price_names_an_accelerator_or_model_in_the_catalogue() {
        for p in CLOUD_PRICES {
            assert!(
                accelerator(p.accelerator_id).is_some(),
                "{}: {}",
                p.id,
                p.accelerator_id
            );
        }
        for p in HARDWARE_PRICES {
            assert!(
                accelerator(p.accelerator_id).is_some(),
                "{}: {}",
                p.id,
                p.accelerator_id
            );
        }
        for p in API_PRICES {
            assert!(model(p.model_id).is_some(), "{}: {}", p.id, p.model_id);
        }
    }

    #[test]
    fn every_figure_names_its_source_and_date() {
        for (id, p) in all_provenances() {
            assert!(!p.source.trim().is_empty(), "{id}: no source");
            assert!(!p.date.trim().is_empty(), "{id}: no date");
        }
    }

    #[test]
    fn filled_or_derived_entries_say_so_and_are_not_marked_high() {
        for (id, p) in all_provenances() {
            if p.notes.starts_with("Filled") {
                assert_ne!(p.confidence, Confidence::High, "{id}");
            }
        }
    }

    #[test]
    fn idle_power_is_measured_or_a_tenth_of_tdp_and_every_entry_says_which() {
        for a in ACCELERATORS {
            let notes = a.provenance.notes;
            if notes.contains("idle_w") && notes.contains("is measured") {
                assert!(a.provenance.source.contains("idle:"), "{}", a.id);
                assert!(a.spec.idle_w < a.spec.tdp_w * 0.5, "{}", a.id);
            } else {
                assert_relative_eq!(a.spec.idle_w, (a.spec.tdp_w * 0.1).round());
                assert!(notes.contains("10% of TDP"), "{}", a.id);
            }
        }
    }

    #[test]
    fn every_use_case_number_is_finite_and_cache_hit_rates_are_shares() {
        for u in USE_CASES {
            let numbers = [
                u.input_tokens,
                u.output_tokens,
                u.reasoning_tokens,
                u.attempts_per_response,
                u.pre_post_tokens,
                u.prefix_cache_hit_rate,
                u.requests_per_day,
                u.peak_to_average,
                u.ttft_target_ms,
                u.tpot_target_ms,
            ];
            assert!(
                numbers.iter().all(|x| x.is_finite() && *x >= 0.0),
                "{}",
                u.id
            );
            assert!((0.0..=1.0).contains(&u.prefix_cache_hit_rate), "{}", u.id);
            assert!(u.attempts_per_response >= 1.0, "{}", u.id);
            assert!(u.peak_to_average >= 1.0, "{}", u.id);
            assert!(
                u.output_tokens > 0.0 && u.requests_per_day > 0.0,
                "{}",
                u.id
            );
            assert!(!u.basis.trim().is_empty(), "{}", u.id);
        }
    }

    #[test]
    fn the_six_use_case_presets_are_all_there() {
        for id in [
            "support-chat",
            "rag-qa",
            "code-generation",
            "summarisation",
            "deep-research",
            "reasoning-agent",
        ] {
            assert!(use_case(id).is_some(), "{id}");
        }
        assert_eq!(USE_CASES.len(), 6);
    }

    #[test]
    fn prices_are_positive_and_in_the_units_the_fields_name() {
        for p in CLOUD_PRICES {
            assert!(
                p.usd_per_gpu_hour > 0.5 && p.usd_per_gpu_hour < 20.0,
                "{}",
                p.id
            );
        }
        for p in HARDWARE_PRICES {
            assert!(
                p.usd_per_gpu > 1_000.0 && p.usd_per_gpu < 100_000.0,
                "{}",
                p.id
            );
        }
        // Dollars, not cents.
        for p in ELECTRICITY_PRICES {
            assert!(p.usd_per_kwh > 0.01 && p.usd_per_kwh < 1.0, "{}", p.id);
        }
        for p in PUE_FIGURES {
            assert!(p.pue >= 1.0 && p.pue < 3.0, "{}", p.id);
        }
        for g in GRID_CARBON {
            assert!(
                g.g_co2_per_kwh > 0.0 && g.g_co2_per_kwh < 1_500.0,
                "{}",
                g.id
            );
        }
        // Kilograms, not tonnes; each for a catalogue accelerator.
        for e in EMBODIED_CARBON {
            assert!(
                e.kg_co2e_per_gpu > 10.0 && e.kg_co2e_per_gpu < 10_000.0,
                "{}",
                e.id
            );
            assert!(accelerator(e.accelerator_id).is_some(), "{}", e.id);
        }
        for p in API_PRICES {
            assert!(
                p.usd_per_m_input > 0.0 && p.usd_per_m_output > 0.0,
                "{}",
                p.id
            );
            if let Some(cached) = p.usd_per_m_cached_input {
                assert!(cached > 0.0 && cached < p.usd_per_m_input, "{}", p.id);
            }
        }
    }

    #[test]
    fn h100_sxm_has_80_gb_at_3_35_tb_s_and_700_w() {
        let h100 = accelerator("h100-sxm-80gb").unwrap();
        assert_relative_eq!(h100.spec.memory_gb, 80.0);
        assert_relative_eq!(h100.spec.memory_bandwidth_tb_s, 3.35);
        assert_relative_eq!(h100.spec.bf16_tflops, 989.4);
        assert_eq!(h100.spec.fp8_tflops, Some(1978.9));
        assert_relative_eq!(h100.spec.tdp_w, 700.0);
        assert_relative_eq!(h100.spec.interconnect_gb_s, 450.0);
    }

    #[test]
    fn mi300x_has_192_gb_and_blackwell_has_fp4() {
        let mi300x = accelerator("mi300x").unwrap();
        assert_eq!(mi300x.vendor, Vendor::Amd);
        assert_relative_eq!(mi300x.spec.memory_gb, 192.0);
        assert_relative_eq!(mi300x.spec.memory_bandwidth_tb_s, 5.3);
        let b200 = accelerator("b200-sxm-180gb").unwrap();
        assert_eq!(b200.spec.fp4_tflops, Some(9000.0));
        let a100 = accelerator("a100-sxm-80gb").unwrap();
        assert_eq!(a100.spec.fp8_tflops, None);
    }

    #[test]
    fn llama_3_1_70b_has_80_layers_and_8_kv_heads() {
        let llama = model("llama-3.1-70b-instruct").unwrap();
        assert_eq!(llama.spec.layers, 80);
        assert_eq!(llama.spec.kv_heads, 8);
        assert_eq!(llama.spec.heads, 64);
        assert_eq!(llama.spec.moe, None);
        // 2 x 80 layers x 8 KV heads x 128 x 2 bytes.
        assert_relative_eq!(llama.spec.kv_bytes_per_token(Precision::Bf16), 327_680.0);
    }

    #[test]
    fn deepseek_v3_routes_8_of_256_experts_and_caches_a_latent() {
        let ds = model("deepseek-v3").unwrap();
        assert_eq!(
            ds.spec.moe,
            Some(crate::model::Moe {
                experts: 256,
                experts_per_token: 8
            })
        );
        assert_eq!(
            ds.spec.attention,
            crate::model::Attention::Latent {
                kv_latent_dim: 512,
                rope_dim: 64
            }
        );
        assert_eq!(ds.native_precision, Precision::Fp8);
        assert_relative_eq!(ds.spec.total_params_b, 671.0);
        assert_relative_eq!(ds.spec.active_params_b, 37.0);
    }

    #[test]
    fn only_deepseek_uses_latent_attention_and_gpt_oss_ships_4_bit_experts() {
        for m in MODELS {
            let latent = matches!(m.spec.attention, crate::model::Attention::Latent { .. });
            assert_eq!(latent, m.id.starts_with("deepseek-"), "{}", m.id);
        }
        assert_eq!(
            model("gpt-oss-120b").unwrap().native_precision,
            Precision::Fp4
        );
    }

    #[test]
    fn support_chat_preset_matches_the_planning_defaults() {
        let chat = use_case("support-chat").unwrap();
        assert_relative_eq!(chat.input_tokens, 1_000.0);
        assert_relative_eq!(chat.output_tokens, 300.0);
        assert_relative_eq!(chat.requests_per_day, 2_000_000.0);
        assert_relative_eq!(chat.ttft_target_ms, 800.0);
    }

    #[test]
    fn electricity_is_converted_from_cents() {
        let ca = ELECTRICITY_PRICES
            .iter()
            .find(|p| p.id == "eia-2023-california-commercial")
            .unwrap();
        assert_relative_eq!(ca.usd_per_kwh, 0.2391, max_relative = 1e-12);
    }
}
