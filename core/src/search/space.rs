//! The hardware configurations a search tries: each allowed accelerator
//! with each replica size, weight and KV-cache precision and serving stack
//! that can run on it, and the prices each can be had at.

use super::error::SearchError;
use super::request::{
    Disaggregation, MAX_CANDIDATES, MAX_CONFIGURATIONS, MAX_GPUS_PER_REPLICA, MAX_OFFERS,
    MAX_PIPELINE_STAGES, OfferPrice, Ownership, Space,
};
use crate::catalogue::{self, AcceleratorEntry, Vendor};
use crate::deployment::fields;
use crate::model::Precision;
use crate::stack::Stack;

/// One way to serve the model: a part, a replica size, precisions, a stack.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Index into [`Space::accelerators`](Plan::accelerators).
    pub accelerator: usize,
    /// Accelerators per replica, or per pipeline stage.
    pub gpus_per_replica: u32,
    /// Pipeline stages, each a whole server (1: none).
    pub pipeline_stages: u32,
    /// Weight precision.
    pub weights: Precision,
    /// KV-cache precision.
    pub kv_cache: Precision,
    /// Serving stack.
    pub stack: Stack,
}

/// A price one accelerator can be had at.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// Catalogue id of the price, or `custom-N` for one brought in the request.
    pub id: String,
    /// What people read: provider, offer, region, or the request's label.
    pub label: String,
    /// The rate or the purchase.
    pub price: OfferPrice,
    /// When the price was published (empty for a person's own).
    pub date: &'static str,
    /// Where it comes from (empty for a person's own).
    pub source: &'static str,
}

impl Offer {
    /// Whether it is a rental.
    pub fn is_cloud(&self) -> bool {
        matches!(self.price, OfferPrice::UsdPerGpuHour(_))
    }
}

/// An allowed accelerator with its prices.
#[derive(Debug, Clone)]
pub struct Part {
    /// Its catalogue entry.
    pub entry: &'static AcceleratorEntry,
    /// Its prices under the ownership searched.
    pub offers: Vec<Offer>,
}

impl Part {
    /// Index of its cheapest owned (`cloud` false) or rented offer: the
    /// one a pool of a disaggregated candidate is priced at, since the
    /// same hardware at a lower price is better on every figure.
    pub fn cheapest(&self, cloud: bool) -> Option<usize> {
        let value = |o: &Offer| match o.price {
            OfferPrice::UsdPerGpuHour(v) | OfferPrice::CapexUsdPerNode(v) => v,
        };
        self.offers
            .iter()
            .enumerate()
            .filter(|(_, o)| o.is_cloud() == cloud)
            .min_by(|(_, a), (_, b)| value(a).total_cmp(&value(b)))
            .map(|(i, _)| i)
    }
}

/// How both pools of a disaggregated candidate are paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairPrice {
    /// Rented (both pools) or owned.
    pub cloud: bool,
    /// Index of the decode pool's offer among its part's.
    pub decode_offer: usize,
    /// Index of the prefill pool's offer among its part's.
    pub prefill_offer: usize,
}

/// A decode configuration and the prefill pools it is paired with.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// Index of the decode pool's configuration.
    pub decode: u32,
    /// Indices of the prefill pools' configurations.
    pub prefills: Vec<u32>,
}

/// Everything a search tries, laid out before evaluating any of it.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The allowed accelerators, in catalogue order.
    pub accelerators: Vec<Part>,
    /// The configurations, accelerator by accelerator.
    pub configs: Vec<Config>,
    /// Disaggregated candidates: each configuration without a pipeline as
    /// a decode pool, with the prefill pools it is paired with.
    pub splits: Vec<Split>,
}

impl Plan {
    /// Lays out the space for a model published in `native` precision,
    /// with `gpus_per_node` accelerators per server.
    ///
    /// # Errors
    /// An empty list, an unknown accelerator, a replica size of zero or
    /// larger than a node, a bad price.
    pub fn new(space: &Space, native: Precision, gpus_per_node: u32) -> Result<Self, SearchError> {
        let accelerators = parts(space, gpus_per_node)?;
        // Absent: the usual sizes that fit a server, and the whole server.
        let sizes: Vec<u32> = match &space.gpus_per_replica {
            Some(sizes) => sizes.clone(),
            None => {
                let whole = gpus_per_node.min(MAX_GPUS_PER_REPLICA);
                let mut sizes: Vec<u32> = [1, 2, 4, 8].into_iter().filter(|&n| n < whole).collect();
                sizes.push(whole);
                sizes
            }
        };
        for (field, empty) in [
            ("space.gpus_per_replica", sizes.is_empty()),
            ("space.kv_cache", space.kv_cache.is_empty()),
            ("space.stacks", space.stacks.is_empty()),
            (
                "space.weights",
                space.weights.as_ref().is_some_and(Vec::is_empty),
            ),
        ] {
            if empty {
                return Err(SearchError::Empty { field });
            }
        }
        for (index, &tp) in sizes.iter().enumerate() {
            if tp == 0 || tp > gpus_per_node.min(MAX_GPUS_PER_REPLICA) {
                return Err(SearchError::ReplicaSize {
                    index,
                    value: tp,
                    gpus_per_node,
                });
            }
        }
        if space.pipeline_stages.is_empty() {
            return Err(SearchError::Empty {
                field: "space.pipeline_stages",
            });
        }
        for (index, &stages) in space.pipeline_stages.iter().enumerate() {
            if stages == 0 || stages > MAX_PIPELINE_STAGES {
                return Err(SearchError::Stages {
                    index,
                    value: stages,
                });
            }
        }
        // A pipeline spans servers: each stage fills one.
        let shapes: Vec<(u32, u32)> = dedup(&sizes)
            .into_iter()
            .flat_map(|tp| {
                dedup(&space.pipeline_stages)
                    .into_iter()
                    .filter(move |&stages| stages == 1 || tp == gpus_per_node)
                    .map(move |stages| (tp, stages))
            })
            .collect();
        let weights: Vec<Precision> = match &space.weights {
            Some(list) => dedup(list),
            None => Precision::ALL
                .into_iter()
                .filter(|p| p.bytes() <= native.bytes())
                .collect(),
        };
        let mut configs = Vec::new();
        for (index, part) in accelerators.iter().enumerate() {
            for &stack in &dedup(&space.stacks) {
                if !runs_on(stack, part.entry.vendor) {
                    continue;
                }
                for &(tp, stages) in &shapes {
                    for &w in &weights {
                        if !stores(part.entry, w) {
                            continue;
                        }
                        for &kv in &dedup(&space.kv_cache) {
                            configs.push(Config {
                                accelerator: index,
                                gpus_per_replica: tp,
                                pipeline_stages: stages,
                                weights: w,
                                kv_cache: kv,
                                stack,
                            });
                        }
                    }
                }
            }
        }
        if configs.is_empty() {
            return Err(SearchError::Nothing {
                why: if shapes.is_empty() {
                    "a pipeline needs a whole server per stage: allow the server's size or one stage"
                } else {
                    "no allowed stack runs on the allowed parts, or no part stores the allowed weights"
                },
            });
        }
        // Counted before they are laid out, so a request with too many
        // is refused without the memory for them.
        if configs.len() > MAX_CONFIGURATIONS {
            return Err(SearchError::TooLarge {
                configurations: configs.len(),
                candidates: configs
                    .iter()
                    .map(|c| accelerators[c.accelerator].offers.len().max(1))
                    .sum(),
            });
        }
        let pairings = pair_count(&configs, space.disaggregated);
        if pairings > MAX_CANDIDATES {
            return Err(SearchError::TooManyPairings {
                pairings,
                candidates: pairings,
            });
        }
        let splits = splits(&configs, space.disaggregated);
        let plan = Plan {
            accelerators,
            configs,
            splits,
        };
        let candidates = plan.candidates();
        if candidates > MAX_CANDIDATES {
            let aggregated = plan.aggregated_candidates();
            return Err(if aggregated > MAX_CANDIDATES {
                SearchError::TooLarge {
                    configurations: plan.configs.len(),
                    candidates,
                }
            } else {
                SearchError::TooManyPairings {
                    pairings,
                    candidates,
                }
            });
        }
        Ok(plan)
    }

    /// Candidates: every configuration at every price of its part, and
    /// every disaggregated pairing, rented and owned where both parts can be.
    pub fn candidates(&self) -> usize {
        let aggregated = self.aggregated_candidates();
        let split: usize = self
            .splits
            .iter()
            .map(|split| {
                split
                    .prefills
                    .iter()
                    .map(|&p| self.pair_classes(split.decode, p).len().max(1))
                    .sum::<usize>()
            })
            .sum();
        aggregated + split
    }

    /// Candidates without a prefill pool: every configuration at every
    /// price of its part.
    pub fn aggregated_candidates(&self) -> usize {
        self.configs
            .iter()
            .map(|c| self.accelerators[c.accelerator].offers.len().max(1))
            .sum()
    }

    /// The ways both pools of a pairing can be paid for, each pool at its
    /// part's cheapest offer of the kind.
    pub fn pair_classes(&self, decode: u32, prefill: u32) -> Vec<PairPrice> {
        let part = |c: u32| &self.accelerators[self.configs[c as usize].accelerator];
        [false, true]
            .into_iter()
            .filter_map(|cloud| {
                Some(PairPrice {
                    cloud,
                    decode_offer: part(decode).cheapest(cloud)?,
                    prefill_offer: part(prefill).cheapest(cloud)?,
                })
            })
            .collect()
    }
}

/// How many disaggregated pairings `configs` make: the square of each
/// group of configurations that can be paired.
fn pair_count(configs: &[Config], mode: Disaggregation) -> usize {
    if mode == Disaggregation::Off {
        return 0;
    }
    /// What pairs share: the part (when it must be the same), the
    /// precisions and the stack.
    type Key = (Option<usize>, Precision, Precision, Stack);
    let mut groups: Vec<(Key, usize)> = Vec::new();
    for c in configs.iter().filter(|c| c.pipeline_stages == 1) {
        let part = (mode == Disaggregation::SameAccelerator).then_some(c.accelerator);
        let key = (part, c.weights, c.kv_cache, c.stack);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => groups.push((key, 1)),
        }
    }
    groups.iter().map(|(_, n)| n * n).sum()
}

/// The disaggregated pairings of `configs`: each one without a pipeline as
/// the decode pool, with every prefill pool of the same stack and
/// precisions (on the same part, or any, as asked).
fn splits(configs: &[Config], mode: Disaggregation) -> Vec<Split> {
    if mode == Disaggregation::Off {
        return Vec::new();
    }
    let single: Vec<(u32, &Config)> = configs
        .iter()
        .enumerate()
        .filter(|(_, c)| c.pipeline_stages == 1)
        .map(|(i, c)| (i as u32, c))
        .collect();
    single
        .iter()
        .map(|&(d, decode)| Split {
            decode: d,
            prefills: single
                .iter()
                .filter(|(_, p)| {
                    p.weights == decode.weights
                        && p.kv_cache == decode.kv_cache
                        && p.stack == decode.stack
                        && (mode == Disaggregation::AnyAccelerator
                            || p.accelerator == decode.accelerator)
                })
                .map(|&(i, _)| i)
                .collect(),
        })
        .collect()
}

/// Whether `stack` has a build for the parts of `vendor`: TensorRT-LLM is
/// NVIDIA's; SGLang runs on NVIDIA and AMD; vLLM also on Gaudi and TPU.
pub fn runs_on(stack: Stack, vendor: Vendor) -> bool {
    match stack {
        Stack::TensorrtLlm => vendor == Vendor::Nvidia,
        Stack::Sglang => matches!(vendor, Vendor::Nvidia | Vendor::Amd),
        Stack::Vllm => true,
    }
}

/// Whether `part` can serve weights stored as `weights`: 4-bit floats
/// need FP4 tensor cores; the integer formats and FP8 dequantise on the
/// fly where the part lacks them.
fn stores(part: &AcceleratorEntry, weights: Precision) -> bool {
    weights != Precision::Fp4 || part.spec.fp4_tflops.is_some()
}

/// The allowed accelerators with their prices.
fn parts(space: &Space, gpus_per_node: u32) -> Result<Vec<Part>, SearchError> {
    let entries: Vec<&'static AcceleratorEntry> = match &space.accelerators {
        None => catalogue::ACCELERATORS.iter().collect(),
        Some(ids) if ids.is_empty() => {
            return Err(SearchError::Empty {
                field: "space.accelerators",
            });
        }
        Some(ids) => {
            let mut found: Vec<&'static AcceleratorEntry> = Vec::new();
            for (index, id) in ids.iter().enumerate() {
                let entry =
                    catalogue::accelerator(id).ok_or_else(|| SearchError::UnknownAccelerator {
                        field: format!("space.accelerators[{index}]"),
                        id: id.clone(),
                    })?;
                if !found.iter().any(|e| e.id == entry.id) {
                    found.push(entry);
                }
            }
            found
        }
    };
    if space.offers.len() > MAX_OFFERS {
        return Err(SearchError::Offers {
            count: space.offers.len(),
        });
    }
    for (index, offer) in space.offers.iter().enumerate() {
        if catalogue::accelerator(&offer.accelerator).is_none() {
            return Err(SearchError::UnknownAccelerator {
                field: format!("space.offers[{index}].accelerator"),
                id: offer.accelerator.clone(),
            });
        }
        // Within the planner's own ranges, so every candidate opens there.
        let (value, name, range) = match offer.price {
            OfferPrice::UsdPerGpuHour(v) => (v, "usd_per_gpu_hour", fields::USD_PER_GPU_HOUR.range),
            OfferPrice::CapexUsdPerNode(v) => (v, "capex_usd_per_node", fields::CAPEX.range),
        };
        if range.check(value).is_err() {
            return Err(SearchError::Price {
                field: format!("space.offers[{index}].{name}"),
                value,
            });
        }
    }
    Ok(entries
        .into_iter()
        .map(|entry| Part {
            entry,
            offers: offers_for(space, entry, gpus_per_node),
        })
        .collect())
}

/// The prices `entry` can be had at under the ownership searched.
fn offers_for(space: &Space, entry: &AcceleratorEntry, gpus_per_node: u32) -> Vec<Offer> {
    let mut offers = Vec::new();
    let cloud = space.ownership != Ownership::Owned;
    let owned = space.ownership != Ownership::Cloud;
    if space.catalogue_offers {
        if cloud {
            offers.extend(
                catalogue::CLOUD_PRICES
                    .iter()
                    .filter(|p| p.accelerator_id == entry.id)
                    .map(|p| Offer {
                        id: p.id.to_owned(),
                        label: format!(
                            "{} {}, {} ({})",
                            p.provider, p.offer, p.region, p.pricing_type
                        ),
                        price: OfferPrice::UsdPerGpuHour(p.usd_per_gpu_hour),
                        date: p.provenance.date,
                        source: p.provenance.source,
                    }),
            );
        }
        if owned {
            offers.extend(
                catalogue::HARDWARE_PRICES
                    .iter()
                    .filter(|p| p.accelerator_id == entry.id)
                    .map(|p| Offer {
                        id: p.id.to_owned(),
                        label: format!(
                            "owned, ${:.0} a server of {gpus_per_node}",
                            catalogue::server_price(p, gpus_per_node)
                        ),
                        price: OfferPrice::CapexUsdPerNode(catalogue::server_price(
                            p,
                            gpus_per_node,
                        )),
                        date: p.provenance.date,
                        source: p.provenance.source,
                    }),
            );
        }
    }
    offers.extend(
        space
            .offers
            .iter()
            .enumerate()
            .filter(|(_, o)| o.accelerator == entry.id)
            .filter(|(_, o)| match o.price {
                OfferPrice::UsdPerGpuHour(_) => cloud,
                OfferPrice::CapexUsdPerNode(_) => owned,
            })
            .map(|(i, o)| Offer {
                id: format!("custom-{i}"),
                label: o.label.clone(),
                price: o.price,
                date: "",
                source: "",
            }),
    );
    offers
}

/// `list` without repeats, in first-seen order.
fn dedup<T: PartialEq + Copy>(list: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(list.len());
    for &x in list {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}
