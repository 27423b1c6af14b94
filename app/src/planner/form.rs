//! The planner's form state: the text of every numeric box as typed (one
//! per field of the core's registry), the choices that are not numbers,
//! and the conversion to and from the core's [`Deployment`]. Range checks,
//! labels and units are the registry's, so the page and the API name the
//! same field with the same message.

use leptos::prelude::*;
use tokenfab_core::accelerator::AcceleratorSpec;
use tokenfab_core::catalogue::{self, AcceleratorEntry, ModelEntry, UseCasePreset};
use tokenfab_core::currency::{self, Currency};
use tokenfab_core::deployment::fields::{self, Field, Group};
use tokenfab_core::deployment::{
    Choice, Deployment, PowerScope, PrefillPoolInput, PricingMode, UseCaseFields, UseCaseInput,
};
use tokenfab_core::input::{InputError, Problem};
use tokenfab_core::latency::Percentile;
use tokenfab_core::model::{Attention, ModelSpec, Precision};
use tokenfab_core::perf::Efficiency;
use tokenfab_core::power::PowerFactors;
use tokenfab_core::stack::Stack;
use tokenfab_core::uncertainty::Ranges;

use crate::format;

/// How many numeric fields the registry has.
const FIELDS: usize = fields::ALL.len();

/// One numeric box: its text as typed and the field it edits.
#[derive(Clone, Copy)]
pub struct Num {
    /// The text as typed.
    pub text: RwSignal<String>,
    /// The field, with its range, words and JSON path.
    pub field: &'static Field,
    /// For a money box: the text the page last wrote and the US dollars it
    /// stands for, so a price shown converted and rounded reads back as
    /// exactly the dollars it came from until someone edits it.
    written: RwSignal<Option<(String, f64)>>,
    /// The currency money boxes are shown in (the form's, shared).
    shown: RwSignal<Option<Currency>>,
}

/// How a number is written into a box: the shortest text that reads back
/// as the same number, so a preset's figures still match it.
fn input_text(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// Whether a field holds money (its unit is in US dollars): shown and typed
/// in the form's currency.
fn is_money(field: &Field) -> bool {
    field.words.unit.starts_with('$')
}

impl Num {
    /// A box for `field`, showing `value`, money in `shown`.
    fn new(field: &'static Field, value: Option<f64>, shown: RwSignal<Option<Currency>>) -> Self {
        let num = Num {
            text: RwSignal::new(String::new()),
            field,
            written: RwSignal::new(None),
            shown,
        };
        num.set_optional(value);
        num
    }

    /// Units of the shown currency a dollar buys (1 for dollars).
    fn rate(&self) -> f64 {
        self.shown.with(|c| currency::per_usd(c.as_ref()))
    }

    /// Writes a value into the box (empty for none); money converted.
    pub fn set_optional(&self, value: Option<f64>) {
        let rate = self.rate();
        match value {
            Some(usd) if is_money(self.field) && rate != 1.0 => {
                let text = format::trimmed(usd * rate, 6);
                self.written.set(Some((text.clone(), usd)));
                self.text.set(text);
            }
            _ => {
                self.written.set(None);
                self.text.set(input_text(value));
            }
        }
    }

    /// Writes `value` into the box.
    pub fn set(&self, value: f64) {
        self.set_optional(Some(value));
    }

    /// The value, range-checked, money in US dollars; `None` when the box
    /// is empty (which only an optional field allows: see [`Field::set`]).
    pub fn value(&self) -> Result<Option<f64>, InputError> {
        self.text.with(|t| {
            if t.trim().is_empty() {
                return Ok(None);
            }
            if !is_money(self.field) {
                return self.field.range.parse(t).map(Some);
            }
            let usd = match self
                .written
                .with(|w| w.as_ref().filter(|w| w.0 == *t).map(|w| w.1))
            {
                Some(usd) => usd,
                None => {
                    let amount: f64 = t.trim().parse().map_err(|_| InputError {
                        field: self.field.path(),
                        problem: Problem::NotANumber,
                    })?;
                    // To 12 significant digits: the dollars of a typed price
                    // then read back from JSON exactly, in any browser.
                    let usd = amount / self.rate();
                    format!("{usd:.11e}").parse().unwrap_or(usd)
                }
            };
            self.field.range.check(usd).map(Some)
        })
    }

    /// The problem with the text, for its inline error.
    pub fn error(&self) -> Signal<Option<String>> {
        let this = *self;
        Signal::derive(move || {
            let empty_but_needed =
                !this.field.optional_field() && this.text.with(|t| t.trim().is_empty());
            if empty_but_needed {
                return Some(Problem::NotANumber.to_string());
            }
            this.value().err().map(|e| e.problem.to_string())
        })
    }
}

/// Model panel: what is not a number.
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
}

/// Hardware panel: what is not a number.
#[derive(Clone, Copy)]
pub struct HardwareForm {
    /// The catalogue entry's name as shown in the picker.
    pub name: RwSignal<String>,
    pub stack: RwSignal<Stack>,
    /// Efficiency fitted to measurements, replacing the stack's.
    pub efficiency: RwSignal<Option<Efficiency>>,
    /// Power factors fitted to a power log, replacing the stack's.
    pub power: RwSignal<Option<PowerFactors>>,
    /// A pool of its own that prefills (disaggregated serving), as opened
    /// from a search; kept as it came.
    pub prefill_pool: RwSignal<Option<PrefillPoolInput>>,
}

/// The whole form.
#[derive(Clone, Copy)]
pub struct Form {
    pub model: ModelForm,
    pub hardware: HardwareForm,
    /// Rented or owned (both sets of prices are kept, so the toggle is instant).
    pub mode: RwSignal<PricingMode>,
    /// Where a measured power was taken.
    pub scope: RwSignal<PowerScope>,
    /// Whether the latency targets bound the mean or the 99th percentile.
    pub targets_at: RwSignal<Percentile>,
    /// The person's ranges on the inputs, kept with the deployment.
    pub ranges: RwSignal<Option<Ranges>>,
    /// The currency as typed: its code (empty for US dollars), its rate per
    /// dollar, the day the rate was set.
    pub currency_code: RwSignal<String>,
    pub currency_rate: RwSignal<String>,
    pub currency_date: RwSignal<String>,
    /// The currency the money boxes are shown in: the last one typed that
    /// was valid, so a half-typed rate converts nothing.
    pub shown: RwSignal<Option<Currency>>,
    /// Every numeric box, in the registry's order.
    nums: [Num; FIELDS],
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

/// The picker's text for a choice: a catalogue entry's name, or its id
/// when the catalogue does not know it, or nothing for custom figures.
fn picker_name(
    choice: &Choice<impl Copy>,
    name_of: impl Fn(&str) -> Option<&'static str>,
) -> String {
    match choice {
        Choice::Catalogue(id) => name_of(id).map_or_else(|| id.clone(), str::to_owned),
        Choice::Spec(_) => String::new(),
    }
}

/// `d` with custom figures in place of any catalogue entry it names, the
/// first catalogue entry standing in for an id the catalogue lacks: every
/// box then has a figure to show.
fn with_figures(d: &Deployment) -> Deployment {
    let mut shown = d.clone();
    let model = match &d.model.choice {
        Choice::Catalogue(id) => catalogue::model(id)
            .or(catalogue::MODELS.first())
            .map(|m| m.spec),
        Choice::Spec(spec) => Some(*spec),
    };
    let accelerator = match &d.hardware.choice {
        Choice::Catalogue(id) => catalogue::accelerator(id)
            .or(catalogue::ACCELERATORS.first())
            .map(|a| a.spec),
        Choice::Spec(spec) => Some(*spec),
    };
    if let Some(spec) = model {
        shown.model.choice = Choice::Spec(spec);
    }
    if let Some(spec) = accelerator {
        shown.hardware.choice = Choice::Spec(spec);
    }
    shown
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

impl Form {
    /// A form showing `d`.
    pub fn new(d: &Deployment) -> Self {
        let shown = with_figures(d);
        let currency = d.pricing.currency.clone();
        // A currency that does not check out converts nothing: its error is
        // shown, and the boxes stay in dollars until it is fixed.
        let money = RwSignal::new(currency.clone().filter(|c| c.validate().is_ok()));
        let attention = match shown.model.choice {
            Choice::Spec(spec) => spec.attention,
            Choice::Catalogue(_) => Attention::Grouped,
        };
        Form {
            model: ModelForm {
                name: RwSignal::new(picker_name(&d.model.choice, |id| {
                    catalogue::model(id).map(|m| m.name)
                })),
                weights: RwSignal::new(d.model.weights.unwrap_or(Precision::Bf16)),
                kv_cache: RwSignal::new(d.model.kv_cache.unwrap_or(Precision::Bf16)),
                attention: RwSignal::new(attention),
            },
            hardware: HardwareForm {
                name: RwSignal::new(picker_name(&d.hardware.choice, |id| {
                    catalogue::accelerator(id).map(|a| a.name)
                })),
                stack: RwSignal::new(d.hardware.stack),
                efficiency: RwSignal::new(d.hardware.efficiency),
                power: RwSignal::new(d.hardware.power),
                prefill_pool: RwSignal::new(d.hardware.prefill_pool.clone()),
            },
            mode: RwSignal::new(d.pricing.mode),
            scope: RwSignal::new(d.measured.as_ref().map_or(PowerScope::Gpu, |m| m.scope)),
            targets_at: RwSignal::new(d.use_case.latency_targets_at),
            ranges: RwSignal::new(d.ranges.clone()),
            currency_code: RwSignal::new(
                currency
                    .as_ref()
                    .map(|c| c.code.clone())
                    .unwrap_or_default(),
            ),
            currency_rate: RwSignal::new(input_text(currency.as_ref().map(|c| c.per_usd))),
            currency_date: RwSignal::new(
                currency
                    .as_ref()
                    .map(|c| c.as_of.clone())
                    .unwrap_or_default(),
            ),
            shown: money,
            nums: std::array::from_fn(|i| {
                let field = &fields::ALL[i];
                Num::new(field, field.get(&shown), money)
            }),
        }
    }

    /// The box of `field`.
    pub fn num(&self, field: &Field) -> Num {
        self.nums[fields::index_of(field)]
    }

    /// Shows `d` in place of what the form holds (an imported scenario).
    pub fn load(&self, d: &Deployment) {
        let fresh = Form::new(d);
        self.shown.set(fresh.shown.get_untracked());
        for (to, from) in self.nums.iter().zip(fresh.nums) {
            to.written.set(from.written.get_untracked());
            to.text.set(from.text.get_untracked());
        }
        self.currency_code.set(fresh.currency_code.get_untracked());
        self.currency_rate.set(fresh.currency_rate.get_untracked());
        self.currency_date.set(fresh.currency_date.get_untracked());
        let (to, from) = (self.model, fresh.model);
        to.name.set(from.name.get_untracked());
        to.weights.set(from.weights.get_untracked());
        to.kv_cache.set(from.kv_cache.get_untracked());
        to.attention.set(from.attention.get_untracked());
        let (to, from) = (self.hardware, fresh.hardware);
        to.name.set(from.name.get_untracked());
        to.stack.set(from.stack.get_untracked());
        to.efficiency.set(from.efficiency.get_untracked());
        to.power.set(from.power.get_untracked());
        to.prefill_pool.set(from.prefill_pool.get_untracked());
        self.mode.set(fresh.mode.get_untracked());
        self.scope.set(fresh.scope.get_untracked());
        self.targets_at.set(fresh.targets_at.get_untracked());
        self.ranges.set(fresh.ranges.get_untracked());
    }

    /// Writes the boxes of `group` from `d`.
    fn fill(&self, group: Group, d: &Deployment) {
        for (num, field) in self.nums.iter().zip(fields::ALL) {
            if field.group == group {
                num.set_optional(field.get(d));
            }
        }
    }

    /// Fills every model dimension from `spec`.
    pub fn fill_model(&self, spec: &ModelSpec) {
        let mut d = Deployment::example();
        d.model.choice = Choice::Spec(*spec);
        self.fill(Group::Model, &d);
        self.model.attention.set(spec.attention);
    }

    /// Picks the catalogue model called `name` and fills its dimensions.
    pub fn choose_model(&self, name: &str) {
        self.model.name.set(name.to_owned());
        if let Some(entry) = model_by_name(name) {
            self.fill_model(&entry.spec);
            self.model.weights.set(entry.native_precision);
        }
    }

    /// Picks the catalogue accelerator called `name` and fills its figures.
    pub fn choose_accelerator(&self, name: &str) {
        self.hardware.name.set(name.to_owned());
        if let Some(entry) = accelerator_by_name(name) {
            let mut d = Deployment::example();
            d.hardware.choice = Choice::Spec(entry.spec);
            self.fill(Group::Accelerator, &d);
        }
    }

    /// Applies the use-case preset with id `id` (its price for pre/post
    /// tokens aside).
    pub fn choose_use_case(&self, id: &str) {
        let preset = UseCaseFields {
            preset: Some(id.to_owned()),
            usd_per_m_pre_post_tokens: Some(0.0),
            ..UseCaseFields::default()
        };
        if let Ok(use_case) = preset.resolve() {
            let mut d = Deployment::example();
            d.use_case = use_case;
            for (num, field) in self.nums.iter().zip(fields::ALL) {
                if field.group == Group::UseCase && field.path() != fields::PRE_POST_PRICE.path() {
                    num.set_optional(field.get(&d));
                }
            }
        }
    }

    /// The boxes of the groups `only` applied to `d`, in the registry's order.
    fn apply(&self, d: &mut Deployment, only: &[Group]) -> Result<(), InputError> {
        for (num, field) in self.nums.iter().zip(fields::ALL) {
            if !only.contains(&field.group) {
                continue;
            }
            // Experts come in pairs: the one missing is the error.
            let pair = [fields::EXPERTS.path(), fields::EXPERTS_PER_TOKEN.path()];
            if pair.contains(&field.path()) && num.value()?.is_none() {
                let other = self.num(if field.path() == pair[0] {
                    &fields::EXPERTS_PER_TOKEN
                } else {
                    &fields::EXPERTS
                });
                if other.value()?.is_some() {
                    return Err(InputError {
                        field: field.path(),
                        problem: Problem::NotANumber,
                    });
                }
            }
            field.set(d, num.value()?)?;
        }
        Ok(())
    }

    /// The model's dimensions as typed.
    pub fn model_spec(&self) -> Result<ModelSpec, InputError> {
        let mut d = self.template();
        self.apply(&mut d, &[Group::Model])?;
        match d.model.choice {
            Choice::Spec(spec) => {
                spec.validate()?;
                Ok(spec)
            }
            Choice::Catalogue(_) => unreachable!("the template holds custom figures"),
        }
    }

    /// The accelerator's figures as typed.
    pub fn accelerator_spec(&self) -> Result<AcceleratorSpec, InputError> {
        let mut d = self.template();
        self.apply(&mut d, &[Group::Accelerator])?;
        match d.hardware.choice {
            Choice::Spec(spec) => {
                spec.validate()?;
                Ok(spec)
            }
            Choice::Catalogue(_) => unreachable!("the template holds custom figures"),
        }
    }

    /// The catalogue model the dimensions still match, if any.
    pub fn model_preset(&self) -> Option<&'static ModelEntry> {
        let entry = self.model.name.with(|n| model_by_name(n))?;
        (self.model_spec().ok() == Some(entry.spec)).then_some(entry)
    }

    /// The catalogue accelerator the figures still match, if any.
    pub fn accelerator_preset(&self) -> Option<&'static AcceleratorEntry> {
        let entry = self.hardware.name.with(|n| accelerator_by_name(n))?;
        (self.accelerator_spec().ok() == Some(entry.spec)).then_some(entry)
    }

    /// The use-case preset the figures still match, if any: editing a
    /// preset's figure makes the use case custom.
    pub fn use_case_preset(&self) -> Option<&'static UseCasePreset> {
        let mut d = Deployment::example();
        self.apply(&mut d, &[Group::UseCase]).ok()?;
        matching_use_case(&d.use_case)
    }

    /// What the boxes fill in: the choices as picked, custom figures in
    /// place of catalogue entries (with the cache layout, which no box shows).
    fn template(&self) -> Deployment {
        let mut d = with_figures(&Deployment::example());
        if let Choice::Spec(spec) = &mut d.model.choice {
            spec.attention = self.model.attention.get();
        }
        d.model.weights = Some(self.model.weights.get());
        d.model.kv_cache = Some(self.model.kv_cache.get());
        d.hardware.stack = self.hardware.stack.get();
        d.hardware.efficiency = self.hardware.efficiency.get();
        d.hardware.power = self.hardware.power.get();
        d.hardware.prefill_pool = self.hardware.prefill_pool.get();
        d.pricing.mode = self.mode.get();
        d.use_case.latency_targets_at = self.targets_at.get();
        d.measured = None;
        d.ranges = self.ranges.get();
        d
    }

    /// The currency as typed: none for US dollars (no code), or the first
    /// of its code, rate and date that is wrong.
    pub fn currency(&self) -> Result<Option<Currency>, InputError> {
        let code = self.currency_code.with(|c| c.trim().to_ascii_uppercase());
        if code.is_empty() || code == "USD" {
            return Ok(None);
        }
        let currency = Currency {
            code,
            per_usd: self.currency_rate.with(|r| currency::PER_USD.parse(r))?,
            as_of: self.currency_date.with(|d| d.trim().to_owned()),
        };
        currency.validate()?;
        Ok(Some(currency))
    }

    /// After an edit of the currency: once it is valid, the money boxes
    /// show the same dollars in it (a box in error keeps its text).
    pub fn follow_currency(&self) {
        let Ok(next) = self.currency() else {
            return;
        };
        if next == self.shown.get_untracked() {
            return;
        }
        let money: Vec<_> = self
            .nums
            .iter()
            .filter(|n| is_money(n.field))
            .map(|n| (n, n.value()))
            .collect();
        self.shown.set(next);
        for (num, usd) in money {
            if let Ok(usd) = usd {
                num.set_optional(usd);
            }
        }
    }

    /// `unit` as shown: a dollar unit (`$/kWh`) in the form's currency.
    pub fn shown_unit(&self, unit: &'static str) -> String {
        match (unit.strip_prefix('$'), self.shown.get()) {
            (Some(rest), Some(c)) => format!("{}{rest}", c.code),
            _ => unit.to_owned(),
        }
    }

    /// The deployment the form describes, or the first field in error.
    pub fn deployment(&self) -> Result<Deployment, InputError> {
        let mut d = self.template();
        d.pricing.currency = self.currency()?;
        let all = [
            Group::Model,
            Group::Accelerator,
            Group::Hardware,
            Group::Pricing,
            Group::OnPrem,
            Group::UseCase,
            Group::Measured,
        ];
        self.apply(&mut d, &all)?;
        if let Some(m) = d.measured.as_mut() {
            m.scope = self.scope.get();
        }
        // Figures that still match the entry named are that entry.
        if let Choice::Spec(spec) = &d.model.choice
            && let Some(entry) = self.model.name.with(|n| model_by_name(n))
            && entry.spec == *spec
        {
            d.model.choice = Choice::Catalogue(entry.id.to_owned());
        }
        if let Choice::Spec(spec) = &d.hardware.choice
            && let Some(entry) = self.hardware.name.with(|n| accelerator_by_name(n))
            && entry.spec == *spec
        {
            d.hardware.choice = Choice::Catalogue(entry.id.to_owned());
        }
        d.validate()?;
        Ok(d)
    }
}
