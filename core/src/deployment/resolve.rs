//! Catalogue ids and defaults resolved to the figures the performance model
//! needs: the model's dimensions, the accelerator's, the stack's efficiency.

use super::error::DeploymentError;
use super::inputs::{Choice, Deployment};
use crate::accelerator::AcceleratorSpec;
use crate::catalogue;
use crate::model::{ModelSpec, Precision};
use crate::perf::{Efficiency, Replica, RequestShape};
use crate::power::PowerFactors;

/// A deployment with its catalogue ids and defaults resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved {
    /// The model's dimensions.
    pub model: ModelSpec,
    /// Weight precision in use.
    pub weights: Precision,
    /// KV-cache precision in use.
    pub kv_cache: Precision,
    /// The accelerator's figures.
    pub accelerator: AcceleratorSpec,
    /// Accelerators per replica, or per pipeline stage.
    pub tensor_parallel: u32,
    /// Pipeline stages of a replica (1: none).
    pub pipeline_stages: u32,
    /// The stack's efficiency, or its override.
    pub efficiency: Efficiency,
    /// The requests served.
    pub shape: RequestShape,
    /// The pool that prefills, when serving is disaggregated.
    pub prefill: Option<ResolvedPrefill>,
}

/// A disaggregated deployment's prefill pool, resolved: its part, replica
/// size and the stack's efficiency on that part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResolvedPrefill {
    /// Its accelerator's figures.
    pub accelerator: AcceleratorSpec,
    /// Accelerators per prefill replica.
    pub tensor_parallel: u32,
    /// The stack's efficiency on that accelerator, or the deployment's
    /// fitted factors when it is the deployment's own accelerator.
    pub efficiency: Efficiency,
    /// How its board power follows activity: the stack's, or the
    /// deployment's fitted factors on its own accelerator.
    pub power: PowerFactors,
}

impl Resolved {
    /// One replica of the deployment, for the performance model.
    pub fn replica(&self) -> Replica<'_> {
        Replica {
            model: &self.model,
            weights: self.weights,
            kv_cache: self.kv_cache,
            accelerator: &self.accelerator,
            tensor_parallel: self.tensor_parallel,
            // The planner's experts are split like dense layers.
            expert_parallel: false,
            pipeline_stages: self.pipeline_stages,
            efficiency: &self.efficiency,
        }
    }

    /// One replica of the prefill pool, when serving is disaggregated.
    pub fn prefill_replica(&self) -> Option<Replica<'_>> {
        let pool = self.prefill.as_ref()?;
        Some(Replica {
            accelerator: &pool.accelerator,
            tensor_parallel: pool.tensor_parallel,
            efficiency: &pool.efficiency,
            ..self.replica()
        })
    }
}

impl Deployment {
    /// Catalogue ids and defaults resolved to the figures the performance
    /// model needs.
    ///
    /// # Errors
    /// An unknown catalogue id or an invalid custom model or accelerator.
    pub fn resolve(&self) -> Result<Resolved, DeploymentError> {
        let (model, native) = self.model_spec()?;
        let h = &self.hardware;
        let u = &self.use_case;
        Ok(Resolved {
            model,
            weights: self.model.weights.unwrap_or(native),
            kv_cache: self.model.kv_cache.unwrap_or(Precision::Bf16),
            accelerator: self.accelerator_spec()?,
            tensor_parallel: h.gpus_per_replica,
            pipeline_stages: h.stages(),
            efficiency: h.efficiency.unwrap_or_else(|| h.default_efficiency()),
            shape: RequestShape {
                input_tokens: u.input_tokens,
                output_tokens: u.output_tokens + u.reasoning_tokens,
                prefix_cache_hit_rate: u.prefix_cache_hit_rate,
            },
            prefill: self.prefill_pool()?,
        })
    }

    /// The prefill pool resolved, when there is one.
    ///
    /// # Errors
    /// An unknown accelerator, a replica larger than a server, or a choice
    /// the disaggregated model does not cover (a pipeline, a fixed number
    /// of replicas, measurements of the deployment as a whole).
    fn prefill_pool(&self) -> Result<Option<ResolvedPrefill>, DeploymentError> {
        let Some(pool) = &self.hardware.prefill_pool else {
            return Ok(None);
        };
        let h = &self.hardware;
        let unsupported = |field, why| Err(DeploymentError::Disaggregation { field, why });
        if h.stages() > 1 {
            return unsupported(
                "hardware.pipeline_stages",
                "a disaggregated deployment's replicas are modelled without a pipeline; remove the pipeline or the prefill pool",
            );
        }
        if h.replicas.is_some() {
            return unsupported(
                "hardware.replicas",
                "each pool of a disaggregated deployment is sized from the demand; leave the replicas empty",
            );
        }
        if self.measured.is_some() {
            return unsupported(
                "measured",
                "measurements replace one replica's figures, and a disaggregated deployment has two kinds of replica; remove them or the prefill pool",
            );
        }
        if pool.gpus_per_replica > h.gpus_per_node {
            return unsupported(
                "hardware.prefill_pool.gpus_per_replica",
                "a prefill replica is one server at most: no more accelerators than a server holds",
            );
        }
        let entry =
            catalogue::accelerator(&pool.catalogue).ok_or_else(|| DeploymentError::UnknownId {
                field: "hardware.prefill_pool.catalogue",
                what: "accelerator",
                id: pool.catalogue.clone(),
            })?;
        // Factors fitted to the deployment's measurements belong to its
        // accelerator: a pool of the same part takes them too.
        let same_part = matches!(&h.choice, Choice::Catalogue(id) if *id == pool.catalogue);
        Ok(Some(ResolvedPrefill {
            accelerator: entry.spec,
            tensor_parallel: pool.gpus_per_replica,
            efficiency: h
                .efficiency
                .filter(|_| same_part)
                .unwrap_or_else(|| h.stack.efficiency_on(Some(entry.vendor))),
            power: h
                .power
                .filter(|_| same_part)
                .unwrap_or_else(|| h.stack.power()),
        }))
    }

    /// The model's dimensions and published precision.
    fn model_spec(&self) -> Result<(ModelSpec, Precision), DeploymentError> {
        match &self.model.choice {
            Choice::Catalogue(id) => catalogue::model(id)
                .map(|m| (m.spec, m.native_precision))
                .ok_or_else(|| DeploymentError::UnknownId {
                    field: "model.catalogue",
                    what: "model",
                    id: id.clone(),
                }),
            Choice::Spec(spec) => {
                spec.validate()?;
                Ok((*spec, Precision::Bf16))
            }
        }
    }

    /// The accelerator's figures.
    fn accelerator_spec(&self) -> Result<AcceleratorSpec, DeploymentError> {
        match &self.hardware.choice {
            Choice::Catalogue(id) => catalogue::accelerator(id).map(|a| a.spec).ok_or_else(|| {
                DeploymentError::UnknownId {
                    field: "hardware.catalogue",
                    what: "accelerator",
                    id: id.clone(),
                }
            }),
            Choice::Spec(spec) => {
                spec.validate()?;
                Ok(*spec)
            }
        }
    }
}
