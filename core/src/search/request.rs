//! What a person asks a search: the deployment to start from (its model,
//! use case and site figures), the space to search, the constraints a
//! candidate must meet and the figure to rank by.

use serde::{Deserialize, Serialize};

use crate::currency::Currency;

use crate::deployment::Deployment;
use crate::model::Precision;
use crate::stack::Stack;

/// Most accelerators per replica a search tries.
pub const MAX_GPUS_PER_REPLICA: u32 = 64;

/// Most hardware configurations one search tries (the default search has
/// about 2,200).
pub const MAX_CONFIGURATIONS: usize = 20_000;

/// Most candidates (configurations times the prices of their part) one
/// search costs: the default search has about 9,000.
pub const MAX_CANDIDATES: usize = 200_000;

/// Most prices a request may add of its own.
pub const MAX_OFFERS: usize = 100;

/// Most pipeline stages a search tries.
pub const MAX_PIPELINE_STAGES: u32 = 16;

/// Most best candidates a search returns.
pub const MAX_TOP: u32 = 200;

/// Candidates whose ranges are drawn when ranking by them (or `top`, when
/// more): the best by their point figure. Any candidate whose point figure
/// beats the winner's is among them, so the winner is never one that was
/// not drawn.
pub const DRAWN_CANDIDATES: usize = 24;

/// Most evaluations ranking by the ranges may draw, over every candidate
/// drawn: 200 candidates of 1,000 draws, about a third of a second.
pub const MAX_RANKING_DRAWS: usize = 200_000;

/// A search over deployments for one model and use case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SearchRequest {
    /// The starting deployment: its model, use case (demand and latency
    /// targets), electricity, PUE, grid carbon, servers (accelerators and
    /// host watts per node) and owning terms hold for every candidate. Its
    /// accelerator, precisions, stack, replica size and prices are what the
    /// search varies; its measurements and factor overrides, which belong
    /// to its own hardware, are not carried over.
    pub deployment: Deployment,
    /// What to try.
    #[serde(default)]
    pub space: Space,
    /// What every candidate must meet.
    #[serde(default)]
    pub constraints: Constraints,
    /// The figure candidates are ranked by.
    #[serde(default)]
    pub objective: Objective,
    /// Which value of that figure ranks them: its expected value over the
    /// ranges (the default), its unfavourable 90th percentile, or the point
    /// figure alone.
    #[serde(default)]
    pub rank_by: RankBy,
    /// How many of the best candidates to return.
    #[serde(default = "default_top")]
    pub top: u32,
}

fn default_top() -> u32 {
    10
}

/// The dimensions searched. An absent list means every choice that makes
/// sense for the model and part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Space {
    /// Catalogue ids of the accelerators allowed; every catalogue part if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accelerators: Option<Vec<String>>,
    /// Accelerators per replica (tensor parallel), each at most the
    /// accelerators per node; absent: 1, 2, 4 and 8 up to a whole server,
    /// and the whole server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpus_per_replica: Option<Vec<u32>>,
    /// Pipeline stages, each a whole server of `gpus_per_replica`
    /// accelerators (so tried only with a full server per stage), for
    /// models one server cannot hold or serve fast enough.
    #[serde(default = "default_pipeline_stages")]
    pub pipeline_stages: Vec<u32>,
    /// Weight precisions allowed; absent: the model's published precision
    /// and every smaller one (smaller ones carry a quality note).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Vec<Precision>>,
    /// KV-cache precisions allowed.
    #[serde(default = "default_kv_cache")]
    pub kv_cache: Vec<Precision>,
    /// Serving stacks allowed (each only on the parts it runs on).
    #[serde(default = "default_stacks")]
    pub stacks: Vec<Stack>,
    /// Rented, owned or both.
    #[serde(default)]
    pub ownership: Ownership,
    /// Prices to add to the catalogue's (a quote, a negotiated rate).
    #[serde(default)]
    pub offers: Vec<OfferInput>,
    /// Whether the catalogue's prices are offered too.
    #[serde(default = "yes")]
    pub catalogue_offers: bool,
    /// Whether to try disaggregated serving too: each configuration
    /// without a pipeline as a decode pool, beside a prefill pool of the
    /// same stack and precisions.
    #[serde(default)]
    pub disaggregated: Disaggregation,
}

/// Which prefill pools a search pairs with each decode configuration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Disaggregation {
    /// None: every replica prefills and generates.
    Off,
    /// Prefill pools of every replica size on the decode pool's accelerator.
    #[default]
    SameAccelerator,
    /// Prefill pools of every replica size on every allowed accelerator
    /// (many more candidates: narrow the accelerators for a large search).
    AnyAccelerator,
}

impl Disaggregation {
    /// Every choice, for pickers.
    pub const ALL: [Disaggregation; 3] = [
        Disaggregation::Off,
        Disaggregation::SameAccelerator,
        Disaggregation::AnyAccelerator,
    ];

    /// Its id, as serialised.
    pub fn id(self) -> &'static str {
        match self {
            Disaggregation::Off => "off",
            Disaggregation::SameAccelerator => "same_accelerator",
            Disaggregation::AnyAccelerator => "any_accelerator",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Disaggregation::Off => "no",
            Disaggregation::SameAccelerator => "prefill on the same accelerator",
            Disaggregation::AnyAccelerator => "prefill on any allowed accelerator",
        }
    }
}

fn default_pipeline_stages() -> Vec<u32> {
    vec![1, 2, 4]
}

fn default_kv_cache() -> Vec<Precision> {
    vec![Precision::Bf16, Precision::Fp8]
}

fn default_stacks() -> Vec<Stack> {
    Stack::ALL.to_vec()
}

fn yes() -> bool {
    true
}

impl Default for Space {
    fn default() -> Self {
        Space {
            accelerators: None,
            gpus_per_replica: None,
            pipeline_stages: default_pipeline_stages(),
            weights: None,
            kv_cache: default_kv_cache(),
            stacks: default_stacks(),
            ownership: Ownership::Both,
            offers: Vec::new(),
            catalogue_offers: true,
            disaggregated: Disaggregation::default(),
        }
    }
}

/// Which ways of paying are searched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    /// Cloud rental only.
    Cloud,
    /// Owned hardware only.
    Owned,
    /// Both.
    #[default]
    Both,
}

/// A price a person brings: a cloud rate or the price of an owned server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    /// Catalogue id of the accelerator.
    pub accelerator: String,
    /// What to call it in the results.
    pub label: String,
    /// The price.
    #[serde(flatten)]
    pub price: OfferPrice,
}

/// A rental rate or a purchase price.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum OfferPrice {
    /// Cloud rental, dollars per accelerator-hour.
    UsdPerGpuHour(f64),
    /// Purchase of one server with its accelerators, dollars.
    CapexUsdPerNode(f64),
}

/// Limits every candidate must meet besides the use case's latency targets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// Most accelerators in the fleet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_gpus: Option<u32>,
    /// Most power at the facility meter with every accelerator busy, kW.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_budget_kw: Option<f64>,
    /// Most operational carbon per meaningful response, g CO2e.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_g_co2_per_response: Option<f64>,
}

/// The figure candidates are ranked by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Cost of one meaningful response (lowest first).
    #[default]
    CostPerResponse,
    /// Dollars per million generated tokens at the expected utilisation (lowest first).
    UsdPerMOutput,
    /// Generated tokens per joule (highest first).
    TokensPerJoule,
    /// Operational carbon per meaningful response (lowest first).
    GCo2PerResponse,
    /// Monthly cost of the fleet (lowest first).
    MonthlyCost,
}

impl Objective {
    /// Every objective, for pickers.
    pub const ALL: [Objective; 5] = [
        Objective::CostPerResponse,
        Objective::UsdPerMOutput,
        Objective::TokensPerJoule,
        Objective::GCo2PerResponse,
        Objective::MonthlyCost,
    ];

    /// Its id, as serialised.
    pub fn id(self) -> &'static str {
        match self {
            Objective::CostPerResponse => "cost_per_response",
            Objective::UsdPerMOutput => "usd_per_m_output",
            Objective::TokensPerJoule => "tokens_per_joule",
            Objective::GCo2PerResponse => "g_co2_per_response",
            Objective::MonthlyCost => "monthly_cost",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Objective::CostPerResponse => "cost per response",
            Objective::UsdPerMOutput => "cost per million output tokens",
            Objective::TokensPerJoule => "tokens per joule",
            Objective::GCo2PerResponse => "g CO2e per response",
            Objective::MonthlyCost => "monthly cost",
        }
    }

    /// Whether a larger figure is better.
    pub fn higher_is_better(self) -> bool {
        matches!(self, Objective::TokensPerJoule)
    }

    /// `value` of this figure as answers show it, at the figure's own
    /// precision; with its unit in words when `words`. Money, given in US
    /// dollars, is shown in `currency` (dollars when none).
    pub fn show(self, value: f64, words: bool, currency: Option<&Currency>) -> String {
        let (dollars, decimals, unit) = match self {
            Objective::CostPerResponse => (true, 6, " per response"),
            Objective::UsdPerMOutput => (true, 3, " per million output tokens"),
            Objective::TokensPerJoule => (false, 2, " tokens per joule"),
            Objective::GCo2PerResponse => (false, 3, " g CO2e per response"),
            Objective::MonthlyCost => (true, 0, " a month"),
        };
        let (sign, value) = if dollars {
            (
                crate::currency::sign(currency),
                value * crate::currency::per_usd(currency),
            )
        } else {
            (String::new(), value)
        };
        format!("{sign}{value:.decimals$}{}", if words { unit } else { "" })
    }
}

/// Which value of the objective ranks candidates. The ranges are the
/// starting deployment's (`deployment.ranges`; the model's error and the
/// catalogue's spreads when it has none), drawn with one seed for every
/// candidate so they are compared on the same draws.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RankBy {
    /// The mean over the draws.
    #[default]
    Expected,
    /// The 90th percentile for a figure where lower is better, the 10th
    /// for tokens per joule: the value nine draws in ten do better than.
    P90,
    /// The figure with every input as given; nothing is drawn.
    Point,
}

impl RankBy {
    /// Every choice, for pickers.
    pub const ALL: [RankBy; 3] = [RankBy::Expected, RankBy::P90, RankBy::Point];

    /// Its id, as serialised.
    pub fn id(self) -> &'static str {
        match self {
            RankBy::Expected => "expected",
            RankBy::P90 => "p90",
            RankBy::Point => "point",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            RankBy::Expected => "expected value over the ranges",
            RankBy::P90 => "unfavourable 90th percentile over the ranges",
            RankBy::Point => "point figure (no ranges)",
        }
    }
}

impl Objective {
    /// The name of the figure in a ranges report.
    pub fn range_figure(self) -> &'static str {
        match self {
            Objective::CostPerResponse => "cost_per_response_usd",
            Objective::UsdPerMOutput => "usd_per_m_output",
            Objective::TokensPerJoule => "tokens_per_joule",
            Objective::GCo2PerResponse => "g_co2_per_response",
            Objective::MonthlyCost => "fleet_usd_per_month",
        }
    }
}
