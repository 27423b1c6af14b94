//! The search form as a query string: read on the server and in the browser
//! alike, and written back so that every search has a link.

use base64::Engine as _;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use tokenfab_core::deployment::{Choice, Deployment};
use tokenfab_core::latency::Percentile;
use tokenfab_core::model::Precision;
use tokenfab_core::search::{
    Constraints, Disaggregation, MAX_GPUS_PER_REPLICA, Objective, Ownership, RankBy, SearchRequest,
    Space,
};
use tokenfab_core::stack::Stack;

/// URL-safe base64 without padding, read with or without it.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A deployment as URL-safe base64 JSON, as the planner's links carry it.
pub fn encode_deployment(deployment: &Deployment) -> String {
    BASE64.encode(serde_json::to_vec(deployment).unwrap_or_default())
}

/// A form field that does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    /// The form control's name.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Everything the form holds. Lists left out of a link mean every choice;
/// a submitted form (`run=1`) sends what is ticked, so nothing ticked is
/// an empty list, which the search names as an error.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchForm {
    /// The planner's deployment the search started from, as sent (base64).
    pub from: Option<String>,
    /// The deployment whose model, use case, site and owning terms hold.
    pub base: Deployment,
    /// Catalogue id of the model, or empty for the base's own figures.
    pub model: String,
    /// Requests per day.
    pub requests_per_day: f64,
    /// Prompt tokens per request.
    pub input_tokens: f64,
    /// Visible output tokens per request.
    pub output_tokens: f64,
    /// Time-to-first-token target, ms.
    pub ttft_target_ms: f64,
    /// Time-per-output-token target, ms.
    pub tpot_target_ms: f64,
    /// Which statistic the targets bound.
    pub latency_targets_at: Percentile,
    /// Accelerator ids; `None` for every one.
    pub accelerators: Option<Vec<String>>,
    /// Accelerators per replica (per stage); `None` for the usual sizes
    /// up to a whole server.
    pub gpus_per_replica: Option<Vec<u32>>,
    /// Pipeline stages.
    pub pipeline_stages: Vec<u32>,
    /// Weight precisions; `None` for the published one and smaller.
    pub weights: Option<Vec<Precision>>,
    /// KV-cache precisions.
    pub kv_cache: Vec<Precision>,
    /// Serving stacks.
    pub stacks: Vec<Stack>,
    /// Rented, owned or both.
    pub ownership: Ownership,
    /// Which prefill pools disaggregated candidates have.
    pub disaggregated: Disaggregation,
    /// The constraints.
    pub constraints: Constraints,
    /// What to rank by.
    pub objective: Objective,
    /// Which value of it ranks.
    pub rank_by: RankBy,
    /// How many to list.
    pub top: u32,
}

impl Default for SearchForm {
    fn default() -> Self {
        Self::from_base(None, Deployment::example())
    }
}

impl SearchForm {
    /// The form's defaults for `base`: every choice, ranked by cost per response.
    fn from_base(from: Option<String>, base: Deployment) -> Self {
        let space = Space::default();
        let u = &base.use_case;
        SearchForm {
            from,
            model: match &base.model.choice {
                Choice::Catalogue(id) => id.clone(),
                Choice::Spec(_) => String::new(),
            },
            requests_per_day: u.requests_per_day,
            input_tokens: u.input_tokens,
            output_tokens: u.output_tokens,
            ttft_target_ms: u.ttft_target_ms,
            tpot_target_ms: u.tpot_target_ms,
            latency_targets_at: u.latency_targets_at,
            accelerators: None,
            gpus_per_replica: space.gpus_per_replica,
            pipeline_stages: space.pipeline_stages,
            weights: None,
            kv_cache: space.kv_cache,
            stacks: space.stacks,
            ownership: space.ownership,
            disaggregated: space.disaggregated,
            constraints: Constraints::default(),
            objective: Objective::default(),
            rank_by: RankBy::default(),
            top: 10,
            base,
        }
    }

    /// Reads a query string (without the `?`).
    ///
    /// # Errors
    /// A field that does not read, naming its form control.
    pub fn parse(query: &str) -> Result<Self, FormError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let one = |name: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim())
        };
        let all = |name: &str| -> Vec<&str> {
            pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        let submitted = one("run").is_some();
        let from = one("from").filter(|v| !v.is_empty()).map(str::to_owned);
        let base = match &from {
            Some(text) => decode(text)?,
            None => Deployment::example(),
        };
        let mut form = Self::from_base(from, base);
        if let Some(model) = one("model") {
            model.clone_into(&mut form.model);
        }
        for (name, slot) in [
            ("requests_per_day", &mut form.requests_per_day),
            ("input_tokens", &mut form.input_tokens),
            ("output_tokens", &mut form.output_tokens),
            ("ttft_ms", &mut form.ttft_target_ms),
            ("tpot_ms", &mut form.tpot_target_ms),
        ] {
            if let Some(v) = number(name, one(name))? {
                *slot = v;
            }
        }
        if let Some(at) = one("at") {
            form.latency_targets_at = match at {
                "mean" => Percentile::Mean,
                "p99" => Percentile::P99,
                other => return Err(unknown("at", other, "mean or p99")),
            };
        }
        let list = |name: &str| -> Option<Vec<&str>> {
            let values = all(name);
            (submitted || !values.is_empty()).then_some(values)
        };
        if let Some(ids) = list("acc") {
            form.accelerators = Some(ids.into_iter().map(str::to_owned).collect());
        }
        if let Some(sizes) = list("tp") {
            form.gpus_per_replica = Some(whole_numbers("tp", &sizes, "accelerators")?);
        }
        if let Some(stages) = list("pp") {
            form.pipeline_stages = whole_numbers("pp", &stages, "stages")?;
        }
        if let Some(w) = list("w") {
            form.weights = Some(precisions("w", &w)?);
        }
        if let Some(kv) = list("kv") {
            form.kv_cache = precisions("kv", &kv)?;
        }
        if let Some(stacks) = list("stack") {
            form.stacks = stacks
                .into_iter()
                .map(|s| {
                    Stack::ALL
                        .into_iter()
                        .find(|st| st.id() == s)
                        .ok_or_else(|| unknown("stack", s, "vllm, sglang or tensorrt-llm"))
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(own) = one("own") {
            form.ownership = match own {
                "cloud" => Ownership::Cloud,
                "owned" => Ownership::Owned,
                "both" => Ownership::Both,
                other => return Err(unknown("own", other, "cloud, owned or both")),
            };
        }
        if let Some(pd) = one("pd") {
            form.disaggregated = Disaggregation::ALL
                .into_iter()
                .find(|d| d.id() == pd)
                .ok_or_else(|| unknown("pd", pd, "off, same_accelerator or any_accelerator"))?;
        }
        let max_gpus = match number("max_gpus", one("max_gpus"))? {
            Some(v) if v.fract() == 0.0 && (1.0..=1e9).contains(&v) => Some(v as u32),
            Some(v) => return Err(unknown("max_gpus", &v.to_string(), "a whole number from 1")),
            None => None,
        };
        form.constraints = Constraints {
            max_gpus,
            power_budget_kw: number("power_kw", one("power_kw"))?,
            max_g_co2_per_response: number("max_co2", one("max_co2"))?,
        };
        if let Some(objective) = one("objective") {
            form.objective = Objective::ALL
                .into_iter()
                .find(|o| o.id() == objective)
                .ok_or_else(|| unknown("objective", objective, "one of the listed figures"))?;
        }
        if let Some(rank) = one("rank") {
            form.rank_by = RankBy::ALL
                .into_iter()
                .find(|r| r.id() == rank)
                .ok_or_else(|| unknown("rank", rank, "expected, p90 or point"))?;
        }
        if let Some(top) = one("top") {
            form.top = top
                .parse()
                .map_err(|_| unknown("top", top, "a whole number"))?;
        }
        Ok(form)
    }

    /// The search the form describes.
    pub fn request(&self) -> SearchRequest {
        let mut deployment = self.base.clone();
        if !self.model.is_empty() {
            deployment.model.choice = Choice::Catalogue(self.model.clone());
        }
        let u = &mut deployment.use_case;
        u.requests_per_day = self.requests_per_day;
        u.input_tokens = self.input_tokens;
        u.output_tokens = self.output_tokens;
        u.ttft_target_ms = self.ttft_target_ms;
        u.tpot_target_ms = self.tpot_target_ms;
        u.latency_targets_at = self.latency_targets_at;
        SearchRequest {
            deployment,
            space: Space {
                accelerators: self.accelerators.clone(),
                gpus_per_replica: self.gpus_per_replica.clone(),
                pipeline_stages: self.pipeline_stages.clone(),
                weights: self.weights.clone(),
                kv_cache: self.kv_cache.clone(),
                stacks: self.stacks.clone(),
                ownership: self.ownership,
                disaggregated: self.disaggregated,
                ..Space::default()
            },
            constraints: self.constraints,
            objective: self.objective,
            rank_by: self.rank_by,
            top: self.top,
        }
    }

    /// The query string of the form as submitted: every field written out,
    /// so the link runs the same search whatever the defaults become.
    pub fn to_query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("run", "1");
        if let Some(from) = &self.from {
            q.append_pair("from", from);
        }
        q.append_pair("model", &self.model);
        for (name, value) in [
            ("requests_per_day", self.requests_per_day),
            ("input_tokens", self.input_tokens),
            ("output_tokens", self.output_tokens),
            ("ttft_ms", self.ttft_target_ms),
            ("tpot_ms", self.tpot_target_ms),
        ] {
            q.append_pair(name, &value.to_string());
        }
        q.append_pair(
            "at",
            match self.latency_targets_at {
                Percentile::Mean => "mean",
                Percentile::P99 => "p99",
            },
        );
        let ids: Vec<&str> = match &self.accelerators {
            Some(ids) => ids.iter().map(String::as_str).collect(),
            None => tokenfab_core::catalogue::ACCELERATORS
                .iter()
                .map(|a| a.id)
                .collect(),
        };
        for id in ids {
            q.append_pair("acc", id);
        }
        for tp in self
            .gpus_per_replica
            .as_deref()
            .unwrap_or(&self.default_sizes())
        {
            q.append_pair("tp", &tp.to_string());
        }
        for stages in &self.pipeline_stages {
            q.append_pair("pp", &stages.to_string());
        }
        for w in self.weights.as_deref().unwrap_or(&self.default_weights()) {
            q.append_pair("w", id_of(*w));
        }
        for kv in &self.kv_cache {
            q.append_pair("kv", id_of(*kv));
        }
        for s in &self.stacks {
            q.append_pair("stack", s.id());
        }
        q.append_pair(
            "own",
            match self.ownership {
                Ownership::Cloud => "cloud",
                Ownership::Owned => "owned",
                Ownership::Both => "both",
            },
        );
        q.append_pair("pd", self.disaggregated.id());
        let c = &self.constraints;
        for (name, value) in [
            ("max_gpus", c.max_gpus.map(f64::from)),
            ("power_kw", c.power_budget_kw),
            ("max_co2", c.max_g_co2_per_response),
        ] {
            q.append_pair(name, &value.map(|v| v.to_string()).unwrap_or_default());
        }
        q.append_pair("objective", self.objective.id());
        q.append_pair("rank", self.rank_by.id());
        q.append_pair("top", &self.top.to_string());
        q.finish()
    }

    /// The replica sizes searched when none are named: 1, 2, 4 and 8 up to
    /// a whole server, and the whole server (as the search has it).
    pub fn default_sizes(&self) -> Vec<u32> {
        let whole = self.base.hardware.gpus_per_node.min(MAX_GPUS_PER_REPLICA);
        let mut sizes: Vec<u32> = [1, 2, 4, 8].into_iter().filter(|&n| n < whole).collect();
        sizes.push(whole);
        sizes
    }

    /// The weight precisions searched when none are named: the model's
    /// published one and every smaller one (the form's model, else the
    /// planner's).
    pub fn default_weights(&self) -> Vec<Precision> {
        let id = match (&self.model, &self.base.model.choice) {
            (model, _) if !model.is_empty() => Some(model.as_str()),
            (_, Choice::Catalogue(id)) => Some(id.as_str()),
            (_, Choice::Spec(_)) => None,
        };
        let native = id
            .and_then(tokenfab_core::catalogue::model)
            .map_or(Precision::Bf16, |m| m.native_precision);
        Precision::ALL
            .into_iter()
            .filter(|p| p.bytes() <= native.bytes())
            .collect()
    }
}

/// A precision's id in the query, as serialised.
pub(crate) fn id_of(p: Precision) -> &'static str {
    match p {
        Precision::Bf16 => "bf16",
        Precision::Fp8 => "fp8",
        Precision::Int8 => "int8",
        Precision::Int4 => "int4",
        Precision::Fp4 => "fp4",
    }
}

/// Counts of `what`, each a whole number.
fn whole_numbers(field: &str, texts: &[&str], what: &str) -> Result<Vec<u32>, FormError> {
    texts
        .iter()
        .map(|s| {
            s.parse::<u32>()
                .map_err(|_| unknown(field, s, &format!("a whole number of {what}")))
        })
        .collect()
}

fn precisions(field: &str, ids: &[&str]) -> Result<Vec<Precision>, FormError> {
    ids.iter()
        .map(|s| {
            Precision::ALL
                .into_iter()
                .find(|p| id_of(*p) == *s)
                .ok_or_else(|| unknown(field, s, "bf16, fp8, int8, int4 or fp4"))
        })
        .collect()
}

/// An optional number: empty is absent.
fn number(field: &str, text: Option<&str>) -> Result<Option<f64>, FormError> {
    match text {
        None | Some("") => Ok(None),
        Some(t) => t
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| unknown(field, t, "a number")),
    }
}

fn unknown(field: &str, value: &str, expected: &str) -> FormError {
    FormError {
        field: field.to_owned(),
        message: format!("{value:?} is not {expected}"),
    }
}

/// The planner's deployment a link carries.
fn decode(text: &str) -> Result<Deployment, FormError> {
    let bytes = BASE64.decode(text).map_err(|e| FormError {
        field: "from".to_owned(),
        message: format!("not a deployment in URL-safe base64 ({e})"),
    })?;
    let json = String::from_utf8(bytes).map_err(|_| FormError {
        field: "from".to_owned(),
        message: "not UTF-8 text".to_owned(),
    })?;
    Deployment::read_json(&json).map_err(|e| FormError {
        field: "from".to_owned(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokenfab_core::search::Search;

    #[test]
    fn a_query_written_out_reads_back_to_the_same_search() {
        let mut form = SearchForm::parse(
            "model=llama-3.1-8b-instruct&tpot_ms=30&acc=h100-sxm-80gb&acc=l40s-48gb&tp=1&tp=2&own=cloud&power_kw=50&objective=tokens_per_joule&rank=p90&top=5",
        )
        .unwrap();
        // The link writes every default out; it must search the same.
        let same = |a: &SearchForm, b: &SearchForm| {
            let run = |f: &SearchForm| Search::new(&f.request()).unwrap().run();
            assert_eq!(run(a), run(b));
        };
        let again = SearchForm::parse(&form.to_query()).unwrap();
        same(&again, &form);
        // With the planner's deployment in it too.
        form.from = Some(encode_deployment(&Deployment::example()));
        let again = SearchForm::parse(&form.to_query()).unwrap();
        same(&again, &form);
        assert_eq!(again.base, Deployment::example());
    }

    #[test]
    fn a_planner_model_published_below_bf16_keeps_its_precisions_through_the_link() {
        let mut base = Deployment::example();
        base.model.choice = Choice::Catalogue("deepseek-v3".to_owned());
        let query = format!(
            "from={}&model=&acc=h200-sxm-141gb&tp=8&pp=1",
            encode_deployment(&base)
        );
        let form = SearchForm::parse(&query).unwrap();
        let again = SearchForm::parse(&form.to_query()).unwrap();
        let run = |f: &SearchForm| Search::new(&f.request()).unwrap().run();
        assert_eq!(run(&again), run(&form));
        assert!(!form.default_weights().contains(&Precision::Bf16));
    }

    #[test]
    fn a_link_without_lists_searches_everything_and_a_form_with_none_ticked_searches_nothing() {
        let link = SearchForm::parse("").unwrap().request();
        assert_eq!(link.space.accelerators, None);
        let submitted = SearchForm::parse("run=1&tp=4").unwrap().request();
        assert_eq!(submitted.space.accelerators, Some(vec![]));
        assert_eq!(submitted.space.gpus_per_replica, Some(vec![4]));
        assert_eq!(submitted.space.pipeline_stages, Vec::<u32>::new());
    }

    #[test]
    fn a_field_that_does_not_read_is_named() {
        for (query, field) in [
            ("tpot_ms=fast", "tpot_ms"),
            ("tp=four", "tp"),
            ("pp=two", "pp"),
            ("w=fp6", "w"),
            ("stack=tgi", "stack"),
            ("own=lease", "own"),
            ("objective=speed", "objective"),
            ("rank=p50", "rank"),
            ("max_gpus=2.5", "max_gpus"),
            ("from=%%%", "from"),
            ("tpot_ms=NaN", "tpot_ms"),
        ] {
            assert_eq!(
                SearchForm::parse(query).unwrap_err().field,
                field,
                "{query}"
            );
        }
    }
}
