//! The planner's form state: the text of every input as typed, the
//! catalogue entries chosen, and the conversion to and from the core's
//! [`Deployment`]. Range checks are the core's, so the page and the API
//! name the same field with the same message.

use leptos::prelude::*;
use tokenfab_core::accelerator::{AcceleratorSpec, limits as gpu};
use tokenfab_core::catalogue::{self, AcceleratorEntry, ModelEntry, UseCasePreset};
use tokenfab_core::deployment::{
    Choice, Deployment, HardwareInput, MeasuredInput, ModelInput, PowerScope, PricingInput,
    PricingMode, UseCaseInput, limits as dep,
};
use tokenfab_core::economics::OnPremCosts;
use tokenfab_core::input::{InputError, Problem, Range};
use tokenfab_core::model::{Attention, ModelSpec, Moe, Precision, limits as model};
use tokenfab_core::perf::Efficiency;
use tokenfab_core::power::PowerFactors;
use tokenfab_core::stack::Stack;

/// One numeric input: its text as typed and the range the core checks.
#[derive(Clone, Copy)]
pub struct Num {
    /// The text as typed.
    pub text: RwSignal<String>,
    /// The core's range, which also names the field.
    pub range: Range,
    /// Whether an empty box means "not given".
    pub optional: bool,
}

/// How a number is written into a box: the shortest text that reads back
/// as the same number, so a preset's figures still match it.
fn input_text(value: f64) -> String {
    value.to_string()
}

impl Num {
    fn new(range: Range, value: f64) -> Self {
        Num {
            text: RwSignal::new(input_text(value)),
            range,
            optional: false,
        }
    }

    fn optional(range: Range, value: Option<f64>) -> Self {
        Num {
            text: RwSignal::new(value.map(input_text).unwrap_or_default()),
            range,
            optional: true,
        }
    }

    /// Writes `value` into the box.
    pub fn set(&self, value: f64) {
        self.text.set(input_text(value));
    }

    /// Writes an optional value into the box (empty for none).
    pub fn set_optional(&self, value: Option<f64>) {
        self.text.set(value.map(input_text).unwrap_or_default());
    }

    /// The value, range-checked; `None` when an optional box is empty.
    pub fn value(&self) -> Result<Option<f64>, InputError> {
        self.text.with(|t| {
            if self.optional && t.trim().is_empty() {
                Ok(None)
            } else {
                self.range.parse(t).map(Some)
            }
        })
    }

    /// The error for a box left empty where a number is needed.
    fn missing(&self) -> InputError {
        InputError {
            field: self.range.field,
            problem: Problem::NotANumber,
        }
    }

    /// The value of a box that must not be empty.
    fn required(&self) -> Result<f64, InputError> {
        self.value()?.ok_or_else(|| self.missing())
    }

    /// A whole number (the range guarantees it fits).
    fn count(&self) -> Result<u32, InputError> {
        Ok(self.required()? as u32)
    }

    /// The problem with the text, for its inline error.
    pub fn error(&self) -> Signal<Option<String>> {
        let this = *self;
        Signal::derive(move || this.value().err().map(|e| e.problem.to_string()))
    }
}

/// Model panel.
#[derive(Clone, Copy)]
pub struct ModelForm {
    /// The catalogue entry's name as shown in the picker.
    pub name: RwSignal<String>,
    /// Weight precision.
    pub weights: RwSignal<Precision>,
    /// KV-cache precision.
    pub kv_cache: RwSignal<Precision>,
    /// Cache layout (kept from the preset or a pasted config).
    pub attention: RwSignal<Attention>,
    pub total_params_b: Num,
    pub active_params_b: Num,
    pub layers: Num,
    pub hidden: Num,
    pub heads: Num,
    pub kv_heads: Num,
    pub head_dim: Num,
    pub experts: Num,
    pub experts_per_token: Num,
    pub max_context: Num,
}

/// Hardware panel.
#[derive(Clone, Copy)]
pub struct HardwareForm {
    /// The catalogue entry's name as shown in the picker.
    pub name: RwSignal<String>,
    pub memory_gb: Num,
    pub memory_bandwidth_tb_s: Num,
    pub bf16_tflops: Num,
    pub fp8_tflops: Num,
    pub fp4_tflops: Num,
    /// INT8 throughput, kept from the preset.
    pub int8_tops: RwSignal<Option<f64>>,
    pub tdp_w: Num,
    pub idle_w: Num,
    pub interconnect_gb_s: Num,
    pub gpus_per_replica: Num,
    pub replicas: Num,
    pub gpus_per_node: Num,
    pub host_watts_per_node: Num,
    pub stack: RwSignal<Stack>,
    /// Efficiency fitted to measurements, replacing the stack's.
    pub efficiency: RwSignal<Option<Efficiency>>,
    /// Power factors fitted to a power log, replacing the stack's.
    pub power: RwSignal<Option<PowerFactors>>,
}

/// Pricing panel: both sets of prices, so the toggle is instant.
#[derive(Clone, Copy)]
pub struct PricingForm {
    pub mode: RwSignal<PricingMode>,
    pub usd_per_gpu_hour: Num,
    pub capex_usd_per_node: Num,
    pub on_prem_gpus_per_node: Num,
    pub depreciation_years: Num,
    pub cost_of_capital: Num,
    pub maintenance_share_per_year: Num,
    pub hosting_usd_per_kw_month: Num,
    pub staff_usd_per_year: Num,
    pub usd_per_kwh: Num,
    pub pue: Num,
    pub grid_g_co2_per_kwh: Num,
}

/// Use-case panel.
#[derive(Clone, Copy)]
pub struct UseCaseForm {
    pub input_tokens: Num,
    pub output_tokens: Num,
    pub reasoning_tokens: Num,
    pub attempts_per_response: Num,
    pub pre_post_tokens: Num,
    pub usd_per_m_pre_post_tokens: Num,
    pub prefix_cache_hit_rate: Num,
    pub requests_per_day: Num,
    pub peak_to_average: Num,
    pub ttft_target_ms: Num,
    pub tpot_target_ms: Num,
}

/// Measured-values panel: every box optional.
#[derive(Clone, Copy)]
pub struct MeasuredForm {
    pub output_tokens_per_s: Num,
    pub input_tokens_per_s: Num,
    pub watts: Num,
    pub scope: RwSignal<PowerScope>,
}

/// The whole form.
#[derive(Clone, Copy)]
pub struct Form {
    pub model: ModelForm,
    pub hardware: HardwareForm,
    pub pricing: PricingForm,
    pub use_case: UseCaseForm,
    pub measured: MeasuredForm,
}

/// The catalogue model called `name` (or with that id).
pub fn model_by_name(name: &str) -> Option<&'static ModelEntry> {
    let name = name.trim();
    catalogue::MODELS
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case(name) || m.id == name)
}

/// The catalogue accelerator called `name` (or with that id).
pub fn accelerator_by_name(name: &str) -> Option<&'static AcceleratorEntry> {
    let name = name.trim();
    catalogue::ACCELERATORS
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name) || a.id == name)
}

fn entry_model(choice: &Choice<ModelSpec>) -> (String, Option<ModelSpec>) {
    match choice {
        Choice::Catalogue(id) => match catalogue::model(id) {
            Some(m) => (m.name.to_owned(), Some(m.spec)),
            None => (id.clone(), None),
        },
        Choice::Spec(spec) => (String::new(), Some(*spec)),
    }
}

fn entry_accelerator(choice: &Choice<AcceleratorSpec>) -> (String, Option<AcceleratorSpec>) {
    match choice {
        Choice::Catalogue(id) => match catalogue::accelerator(id) {
            Some(a) => (a.name.to_owned(), Some(a.spec)),
            None => (id.clone(), None),
        },
        Choice::Spec(spec) => (String::new(), Some(*spec)),
    }
}

impl ModelForm {
    fn new(input: &ModelInput) -> Self {
        let (name, spec) = entry_model(&input.choice);
        let spec = spec.unwrap_or_else(|| {
            catalogue::MODELS
                .first()
                .map(|m| m.spec)
                .unwrap_or_else(|| unreachable!("the catalogue has models"))
        });
        let moe = spec.moe;
        ModelForm {
            name: RwSignal::new(name),
            weights: RwSignal::new(input.weights.unwrap_or(Precision::Bf16)),
            kv_cache: RwSignal::new(input.kv_cache.unwrap_or(Precision::Bf16)),
            attention: RwSignal::new(spec.attention),
            total_params_b: Num::new(model::TOTAL_PARAMS_B, spec.total_params_b),
            active_params_b: Num::new(model::ACTIVE_PARAMS_B, spec.active_params_b),
            layers: Num::new(model::LAYERS, f64::from(spec.layers)),
            hidden: Num::new(model::HIDDEN, f64::from(spec.hidden)),
            heads: Num::new(model::HEADS, f64::from(spec.heads)),
            kv_heads: Num::new(model::KV_HEADS, f64::from(spec.kv_heads)),
            head_dim: Num::new(model::HEAD_DIM, f64::from(spec.head_dim)),
            experts: Num::optional(model::EXPERTS, moe.map(|m| f64::from(m.experts))),
            experts_per_token: Num::optional(
                model::EXPERTS_PER_TOKEN,
                moe.map(|m| f64::from(m.experts_per_token)),
            ),
            max_context: Num::new(model::MAX_CONTEXT, f64::from(spec.max_context)),
        }
    }

    /// Fills every dimension from `spec`.
    pub fn fill(&self, spec: &ModelSpec) {
        self.attention.set(spec.attention);
        self.total_params_b.set(spec.total_params_b);
        self.active_params_b.set(spec.active_params_b);
        self.layers.set(f64::from(spec.layers));
        self.hidden.set(f64::from(spec.hidden));
        self.heads.set(f64::from(spec.heads));
        self.kv_heads.set(f64::from(spec.kv_heads));
        self.head_dim.set(f64::from(spec.head_dim));
        self.experts
            .set_optional(spec.moe.map(|m| f64::from(m.experts)));
        self.experts_per_token
            .set_optional(spec.moe.map(|m| f64::from(m.experts_per_token)));
        self.max_context.set(f64::from(spec.max_context));
    }

    /// Picks the catalogue entry called `name` and fills its dimensions.
    pub fn choose(&self, name: &str) {
        self.name.set(name.to_owned());
        if let Some(entry) = model_by_name(name) {
            self.fill(&entry.spec);
            self.weights.set(entry.native_precision);
        }
    }

    /// The dimensions as typed.
    pub fn spec(&self) -> Result<ModelSpec, InputError> {
        let experts = self.experts.value()?;
        let per_token = self.experts_per_token.value()?;
        let moe = match (experts, per_token) {
            (Some(e), Some(k)) => Some(Moe {
                experts: e as u32,
                experts_per_token: k as u32,
            }),
            // One without the other: the missing one is the error.
            (Some(_), None) => return Err(self.experts_per_token.missing()),
            (None, Some(_)) => return Err(self.experts.missing()),
            (None, None) => None,
        };
        let spec = ModelSpec {
            total_params_b: self.total_params_b.required()?,
            active_params_b: self.active_params_b.required()?,
            layers: self.layers.count()?,
            hidden: self.hidden.count()?,
            heads: self.heads.count()?,
            kv_heads: self.kv_heads.count()?,
            head_dim: self.head_dim.count()?,
            attention: self.attention.get(),
            moe,
            max_context: self.max_context.count()?,
        };
        spec.validate()?;
        Ok(spec)
    }

    /// The catalogue entry the dimensions still match, if any.
    pub fn preset(&self) -> Option<&'static ModelEntry> {
        let entry = self.name.with(|n| model_by_name(n))?;
        (self.spec().ok() == Some(entry.spec)).then_some(entry)
    }

    fn input(&self) -> Result<ModelInput, InputError> {
        let spec = self.spec()?;
        Ok(ModelInput {
            choice: match self.preset() {
                Some(entry) => Choice::Catalogue(entry.id.to_owned()),
                None => Choice::Spec(spec),
            },
            weights: Some(self.weights.get()),
            kv_cache: Some(self.kv_cache.get()),
        })
    }
}

impl HardwareForm {
    fn new(input: &HardwareInput) -> Self {
        let (name, spec) = entry_accelerator(&input.choice);
        let spec = spec.unwrap_or_else(|| {
            catalogue::ACCELERATORS
                .first()
                .map(|a| a.spec)
                .unwrap_or_else(|| unreachable!("the catalogue has accelerators"))
        });
        HardwareForm {
            name: RwSignal::new(name),
            memory_gb: Num::new(gpu::MEMORY_GB, spec.memory_gb),
            memory_bandwidth_tb_s: Num::new(gpu::MEMORY_BANDWIDTH_TB_S, spec.memory_bandwidth_tb_s),
            bf16_tflops: Num::new(gpu::BF16_TFLOPS, spec.bf16_tflops),
            fp8_tflops: Num::optional(gpu::FP8_TFLOPS, spec.fp8_tflops),
            fp4_tflops: Num::optional(gpu::FP4_TFLOPS, spec.fp4_tflops),
            int8_tops: RwSignal::new(spec.int8_tops),
            tdp_w: Num::new(gpu::TDP_W, spec.tdp_w),
            idle_w: Num::new(gpu::IDLE_W, spec.idle_w),
            interconnect_gb_s: Num::new(gpu::INTERCONNECT_GB_S, spec.interconnect_gb_s),
            gpus_per_replica: Num::new(dep::GPUS_PER_REPLICA, f64::from(input.gpus_per_replica)),
            replicas: Num::optional(dep::REPLICAS, input.replicas.map(f64::from)),
            gpus_per_node: Num::new(dep::GPUS_PER_NODE, f64::from(input.gpus_per_node)),
            host_watts_per_node: Num::new(dep::HOST_WATTS, input.host_watts_per_node),
            stack: RwSignal::new(input.stack),
            efficiency: RwSignal::new(input.efficiency),
            power: RwSignal::new(input.power),
        }
    }

    /// Picks the catalogue entry called `name` and fills its figures.
    pub fn choose(&self, name: &str) {
        self.name.set(name.to_owned());
        if let Some(entry) = accelerator_by_name(name) {
            let s = entry.spec;
            self.memory_gb.set(s.memory_gb);
            self.memory_bandwidth_tb_s.set(s.memory_bandwidth_tb_s);
            self.bf16_tflops.set(s.bf16_tflops);
            self.fp8_tflops.set_optional(s.fp8_tflops);
            self.fp4_tflops.set_optional(s.fp4_tflops);
            self.int8_tops.set(s.int8_tops);
            self.tdp_w.set(s.tdp_w);
            self.idle_w.set(s.idle_w);
            self.interconnect_gb_s.set(s.interconnect_gb_s);
        }
    }

    /// The figures as typed.
    pub fn spec(&self) -> Result<AcceleratorSpec, InputError> {
        let spec = AcceleratorSpec {
            memory_gb: self.memory_gb.required()?,
            memory_bandwidth_tb_s: self.memory_bandwidth_tb_s.required()?,
            bf16_tflops: self.bf16_tflops.required()?,
            fp8_tflops: self.fp8_tflops.value()?,
            fp4_tflops: self.fp4_tflops.value()?,
            int8_tops: self.int8_tops.get(),
            tdp_w: self.tdp_w.required()?,
            idle_w: self.idle_w.required()?,
            interconnect_gb_s: self.interconnect_gb_s.required()?,
        };
        spec.validate()?;
        Ok(spec)
    }

    /// The catalogue entry the figures still match, if any.
    pub fn preset(&self) -> Option<&'static AcceleratorEntry> {
        let entry = self.name.with(|n| accelerator_by_name(n))?;
        (self.spec().ok() == Some(entry.spec)).then_some(entry)
    }

    fn input(&self) -> Result<HardwareInput, InputError> {
        let spec = self.spec()?;
        Ok(HardwareInput {
            choice: match self.preset() {
                Some(entry) => Choice::Catalogue(entry.id.to_owned()),
                None => Choice::Spec(spec),
            },
            gpus_per_replica: self.gpus_per_replica.count()?,
            replicas: self.replicas.value()?.map(|r| r as u32),
            gpus_per_node: self.gpus_per_node.count()?,
            host_watts_per_node: self.host_watts_per_node.required()?,
            stack: self.stack.get(),
            efficiency: self.efficiency.get(),
            power: self.power.get(),
        })
    }
}

impl PricingForm {
    fn new(p: &PricingInput) -> Self {
        let o = &p.on_prem;
        PricingForm {
            mode: RwSignal::new(p.mode),
            usd_per_gpu_hour: Num::new(dep::USD_PER_GPU_HOUR, p.usd_per_gpu_hour),
            capex_usd_per_node: Num::new(dep::CAPEX, o.capex_usd_per_node),
            on_prem_gpus_per_node: Num::new(dep::ON_PREM_GPUS_PER_NODE, f64::from(o.gpus_per_node)),
            depreciation_years: Num::new(dep::YEARS, o.depreciation_years),
            cost_of_capital: Num::new(dep::CAPITAL, o.cost_of_capital),
            maintenance_share_per_year: Num::new(dep::MAINTENANCE, o.maintenance_share_per_year),
            hosting_usd_per_kw_month: Num::new(dep::HOSTING, o.hosting_usd_per_kw_month),
            staff_usd_per_year: Num::new(dep::STAFF, o.staff_usd_per_year),
            usd_per_kwh: Num::new(dep::USD_PER_KWH, p.usd_per_kwh),
            pue: Num::new(dep::PUE, p.pue),
            grid_g_co2_per_kwh: Num::new(dep::GRID, p.grid_g_co2_per_kwh),
        }
    }

    fn input(&self) -> Result<PricingInput, InputError> {
        Ok(PricingInput {
            mode: self.mode.get(),
            usd_per_gpu_hour: self.usd_per_gpu_hour.required()?,
            on_prem: OnPremCosts {
                capex_usd_per_node: self.capex_usd_per_node.required()?,
                gpus_per_node: self.on_prem_gpus_per_node.count()?,
                depreciation_years: self.depreciation_years.required()?,
                cost_of_capital: self.cost_of_capital.required()?,
                maintenance_share_per_year: self.maintenance_share_per_year.required()?,
                hosting_usd_per_kw_month: self.hosting_usd_per_kw_month.required()?,
                staff_usd_per_year: self.staff_usd_per_year.required()?,
            },
            usd_per_kwh: self.usd_per_kwh.required()?,
            pue: self.pue.required()?,
            grid_g_co2_per_kwh: self.grid_g_co2_per_kwh.required()?,
        })
    }
}

/// The use-case preset whose figures `u` has (the pre/post price aside:
/// presets carry none).
pub fn matching_use_case(u: &UseCaseInput) -> Option<&'static UseCasePreset> {
    catalogue::USE_CASES.iter().find(|p| {
        p.input_tokens == u.input_tokens
            && p.output_tokens == u.output_tokens
            && p.reasoning_tokens == u.reasoning_tokens
            && p.attempts_per_response == u.attempts_per_response
            && p.pre_post_tokens == u.pre_post_tokens
            && p.prefix_cache_hit_rate == u.prefix_cache_hit_rate
            && p.requests_per_day == u.requests_per_day
            && p.peak_to_average == u.peak_to_average
            && p.ttft_target_ms == u.ttft_target_ms
            && p.tpot_target_ms == u.tpot_target_ms
    })
}

impl UseCaseForm {
    fn new(u: &UseCaseInput) -> Self {
        UseCaseForm {
            input_tokens: Num::new(dep::INPUT, u.input_tokens),
            output_tokens: Num::new(dep::OUTPUT, u.output_tokens),
            reasoning_tokens: Num::new(dep::REASONING, u.reasoning_tokens),
            attempts_per_response: Num::new(dep::ATTEMPTS, u.attempts_per_response),
            pre_post_tokens: Num::new(dep::PRE_POST, u.pre_post_tokens),
            usd_per_m_pre_post_tokens: Num::new(dep::PRE_POST_PRICE, u.usd_per_m_pre_post_tokens),
            prefix_cache_hit_rate: Num::new(dep::HIT_RATE, u.prefix_cache_hit_rate),
            requests_per_day: Num::new(dep::REQUESTS_PER_DAY, u.requests_per_day),
            peak_to_average: Num::new(dep::PEAK, u.peak_to_average),
            ttft_target_ms: Num::new(dep::TTFT, u.ttft_target_ms),
            tpot_target_ms: Num::new(dep::TPOT, u.tpot_target_ms),
        }
    }

    /// Applies the preset with id `id` (its price for pre/post tokens aside).
    pub fn choose(&self, id: &str) {
        if let Some(p) = catalogue::use_case(id) {
            self.input_tokens.set(p.input_tokens);
            self.output_tokens.set(p.output_tokens);
            self.reasoning_tokens.set(p.reasoning_tokens);
            self.attempts_per_response.set(p.attempts_per_response);
            self.pre_post_tokens.set(p.pre_post_tokens);
            self.prefix_cache_hit_rate.set(p.prefix_cache_hit_rate);
            self.requests_per_day.set(p.requests_per_day);
            self.peak_to_average.set(p.peak_to_average);
            self.ttft_target_ms.set(p.ttft_target_ms);
            self.tpot_target_ms.set(p.tpot_target_ms);
        }
    }

    /// The preset the figures still match, if any: editing a preset's
    /// figure makes the use case custom.
    pub fn matching_preset(&self) -> Option<&'static UseCasePreset> {
        self.input().ok().and_then(|u| matching_use_case(&u))
    }

    fn input(&self) -> Result<UseCaseInput, InputError> {
        Ok(UseCaseInput {
            input_tokens: self.input_tokens.required()?,
            output_tokens: self.output_tokens.required()?,
            reasoning_tokens: self.reasoning_tokens.required()?,
            attempts_per_response: self.attempts_per_response.required()?,
            pre_post_tokens: self.pre_post_tokens.required()?,
            usd_per_m_pre_post_tokens: self.usd_per_m_pre_post_tokens.required()?,
            prefix_cache_hit_rate: self.prefix_cache_hit_rate.required()?,
            requests_per_day: self.requests_per_day.required()?,
            peak_to_average: self.peak_to_average.required()?,
            ttft_target_ms: self.ttft_target_ms.required()?,
            tpot_target_ms: self.tpot_target_ms.required()?,
        })
    }
}

impl MeasuredForm {
    fn new(m: Option<&MeasuredInput>) -> Self {
        MeasuredForm {
            output_tokens_per_s: Num::optional(
                dep::MEASURED_TOKENS,
                m.and_then(|m| m.output_tokens_per_s),
            ),
            input_tokens_per_s: Num::optional(
                dep::MEASURED_INPUT_TOKENS,
                m.and_then(|m| m.input_tokens_per_s),
            ),
            watts: Num::optional(dep::MEASURED_WATTS, m.and_then(|m| m.watts)),
            scope: RwSignal::new(m.map_or(PowerScope::Gpu, |m| m.scope)),
        }
    }

    fn input(&self) -> Result<Option<MeasuredInput>, InputError> {
        let m = MeasuredInput {
            output_tokens_per_s: self.output_tokens_per_s.value()?,
            input_tokens_per_s: self.input_tokens_per_s.value()?,
            watts: self.watts.value()?,
            scope: self.scope.get(),
        };
        let any =
            m.output_tokens_per_s.is_some() || m.input_tokens_per_s.is_some() || m.watts.is_some();
        Ok(any.then_some(m))
    }
}

impl Form {
    /// A form showing `d`.
    pub fn new(d: &Deployment) -> Self {
        Form {
            model: ModelForm::new(&d.model),
            hardware: HardwareForm::new(&d.hardware),
            pricing: PricingForm::new(&d.pricing),
            use_case: UseCaseForm::new(&d.use_case),
            measured: MeasuredForm::new(d.measured.as_ref()),
        }
    }

    /// Every numeric box, in a fixed order.
    fn nums(&self) -> [Num; 45] {
        let (m, h, p, u, x) = (
            self.model,
            self.hardware,
            self.pricing,
            self.use_case,
            self.measured,
        );
        [
            m.total_params_b,
            m.active_params_b,
            m.layers,
            m.hidden,
            m.heads,
            m.kv_heads,
            m.head_dim,
            m.experts,
            m.experts_per_token,
            m.max_context,
            h.memory_gb,
            h.memory_bandwidth_tb_s,
            h.bf16_tflops,
            h.fp8_tflops,
            h.fp4_tflops,
            h.tdp_w,
            h.idle_w,
            h.interconnect_gb_s,
            h.gpus_per_replica,
            h.replicas,
            h.gpus_per_node,
            h.host_watts_per_node,
            p.usd_per_gpu_hour,
            p.capex_usd_per_node,
            p.on_prem_gpus_per_node,
            p.depreciation_years,
            p.cost_of_capital,
            p.maintenance_share_per_year,
            p.hosting_usd_per_kw_month,
            p.staff_usd_per_year,
            p.usd_per_kwh,
            p.pue,
            p.grid_g_co2_per_kwh,
            u.input_tokens,
            u.output_tokens,
            u.reasoning_tokens,
            u.attempts_per_response,
            u.pre_post_tokens,
            u.usd_per_m_pre_post_tokens,
            u.prefix_cache_hit_rate,
            u.requests_per_day,
            u.peak_to_average,
            u.ttft_target_ms,
            u.tpot_target_ms,
            x.output_tokens_per_s,
        ]
    }

    /// Shows `d` in place of what the form holds (an imported scenario).
    pub fn load(&self, d: &Deployment) {
        let fresh = Form::new(d);
        for (to, from) in self.nums().iter().zip(fresh.nums()) {
            to.text.set(from.text.get_untracked());
        }
        let (to, from) = (self.measured, fresh.measured);
        to.input_tokens_per_s
            .text
            .set(from.input_tokens_per_s.text.get_untracked());
        to.watts.text.set(from.watts.text.get_untracked());
        to.scope.set(from.scope.get_untracked());
        let (to, from) = (self.model, fresh.model);
        to.name.set(from.name.get_untracked());
        to.weights.set(from.weights.get_untracked());
        to.kv_cache.set(from.kv_cache.get_untracked());
        to.attention.set(from.attention.get_untracked());
        let (to, from) = (self.hardware, fresh.hardware);
        to.name.set(from.name.get_untracked());
        to.int8_tops.set(from.int8_tops.get_untracked());
        to.stack.set(from.stack.get_untracked());
        to.efficiency.set(from.efficiency.get_untracked());
        to.power.set(from.power.get_untracked());
        self.pricing.mode.set(fresh.pricing.mode.get_untracked());
    }

    /// The deployment the form describes, or the first field in error.
    pub fn deployment(&self) -> Result<Deployment, InputError> {
        let d = Deployment {
            model: self.model.input()?,
            hardware: self.hardware.input()?,
            pricing: self.pricing.input()?,
            use_case: self.use_case.input()?,
            measured: self.measured.input()?,
        };
        d.validate()?;
        Ok(d)
    }
}
