//! The first step: where one replica runs. The performance model finds the
//! busiest concurrency that meets the latency targets and fits in memory;
//! measured throughput, when given, replaces its rates.

use super::super::check::Checked;
use super::super::error::DeploymentError;
use super::super::inputs::Deployment;
use super::super::report::{ConcurrencyLimiter, Origin, Performance};
use crate::fleet::Fleet;
use crate::latency::{Load, Targets};
use crate::perf::{Limiter, Memory, OperatingPoint, RequestShape};

/// One replica at its operating point.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operating {
    /// Memory use and the concurrency that fits.
    pub memory: Memory,
    /// The performance model's point (its busy shares set the power).
    pub point: OperatingPoint,
    /// The replica under random arrivals at that point, as modelled.
    load: Load,
    /// Generated tokens per attempt (visible plus reasoning).
    pub generated_tokens: f64,
    /// Generated tokens per second, measured or modelled.
    pub output_per_replica: f64,
    /// Prompt tokens per second at that rate.
    pub input_per_replica: f64,
    /// Share of replica time spent prefilling.
    pub prefill_share: f64,
    /// Replicas the measurements were taken on (1 unless stated).
    pub described_replicas: f64,
    concurrency_limiter: ConcurrencyLimiter,
    prefill_limiter: Limiter,
    origin: Origin,
    prefill_origin: Origin,
}

impl Operating {
    /// Finds the operating point of `checked`.
    ///
    /// # Errors
    /// Weights or one sequence's cache that do not fit, or a measured
    /// prefill rate too slow for the measured output rate.
    #[inline]
    pub fn find(checked: &Checked<'_>) -> Result<Self, DeploymentError> {
        Self::find_for(
            checked,
            checked.resolved().shape,
            Self::targets(checked.deployment()),
        )
    }

    /// The operating point of a replica that only generates, its prompts
    /// prefilled elsewhere (disaggregated serving): no prompt work in its
    /// steps, the cache of the whole context in its memory, and only the
    /// time-per-token target its own (the time to first token is the
    /// prefill pool's, plus one of these steps).
    pub fn find_decode(checked: &Checked<'_>) -> Result<Self, DeploymentError> {
        let shape = RequestShape {
            prefix_cache_hit_rate: 1.0,
            ..checked.resolved().shape
        };
        let targets = Targets {
            ttft_s: f64::INFINITY,
            ..Self::targets(checked.deployment())
        };
        Self::find_for(checked, shape, targets)
    }

    /// The operating point for requests of `shape` within `targets`.
    fn find_for(
        checked: &Checked<'_>,
        shape: RequestShape,
        targets: Targets,
    ) -> Result<Self, DeploymentError> {
        let resolved = checked.resolved();
        let d = checked.deployment();
        let (gpu, efficiency) = (resolved.accelerator, resolved.efficiency);
        let replica = resolved.replica();
        let h = &d.hardware;
        let memory = replica.memory(&shape);
        if memory.max_concurrency < 1.0 {
            return Err(DeploymentError::DoesNotFit {
                weights_gb: memory.weights_gb_per_gpu,
                kv_gb_per_sequence: memory.kv_gb_per_sequence / f64::from(h.gpus_per_replica),
                usable_gb: gpu.memory_gb * efficiency.memory_utilisation
                    - efficiency.activation_reserve_gb,
            });
        }
        let cap = memory.max_concurrency.min(f64::from(efficiency.max_batch));
        let point = replica.best_operating_point(&shape, cap, &targets);
        let concurrency_limiter = if point.concurrency < cap {
            ConcurrencyLimiter::LatencyTarget
        } else if memory.max_concurrency <= f64::from(efficiency.max_batch) {
            ConcurrencyLimiter::MemoryCapacity
        } else {
            ConcurrencyLimiter::StackLimit
        };
        let generated = shape.output_tokens;
        let described_replicas = f64::from(h.replicas.unwrap_or(1));
        let rates = Rates::of(d, &point, generated, described_replicas)?;
        let prefill = replica.prefill_alone(&shape);
        Ok(Operating {
            memory,
            point,
            load: replica.load_after(prefill.step.total_s(), &shape, &point),
            generated_tokens: generated,
            output_per_replica: rates.output,
            input_per_replica: rates.input,
            prefill_share: rates.prefill_share,
            described_replicas,
            concurrency_limiter,
            prefill_limiter: prefill.limiter,
            origin: rates.origin,
            prefill_origin: rates.prefill_origin,
        })
    }

    /// The use case's latency targets, in seconds.
    pub(super) fn targets(d: &Deployment) -> Targets {
        let u = &d.use_case;
        Targets {
            ttft_s: u.ttft_target_ms * 1e-3,
            tpot_s: u.tpot_target_ms * 1e-3,
            at: u.latency_targets_at,
        }
    }

    /// Attempts per second one replica serves.
    pub fn requests_per_s_per_replica(&self) -> f64 {
        self.output_per_replica / self.generated_tokens
    }

    /// Speed per replica and per fleet, latency, and what limits them.
    #[inline]
    pub fn performance(&self, d: &Deployment, fleet: &Fleet) -> Performance {
        let tp = f64::from(d.hardware.gpus_in_replica());
        let replicas = f64::from(fleet.replicas);
        // Latency from the rates in use: a measured output rate sets the
        // time per token and the arrivals that queue prompts.
        let tpot_s = self.point.concurrency / self.output_per_replica;
        let latency = Load::at_concurrency(
            self.load.prefill_s,
            self.load.step_s,
            tpot_s,
            self.generated_tokens,
            self.point.concurrency,
            self.prefill_share,
        )
        .latency();
        Performance {
            concurrency: self.point.concurrency,
            output_tokens_per_s_per_replica: self.output_per_replica,
            output_tokens_per_s_per_gpu: self.output_per_replica / tp,
            input_tokens_per_s_per_replica: self.input_per_replica,
            output_tokens_per_s_per_fleet: self.output_per_replica * replicas,
            input_tokens_per_s_per_fleet: self.input_per_replica * replicas,
            ttft_ms: latency.ttft_mean_s * 1e3,
            ttft_p99_ms: latency.ttft_p99_s * 1e3,
            tpot_ms: tpot_s * 1e3,
            tpot_p99_ms: latency.tpot_p99_s * 1e3,
            tokens_per_s_per_user: 1.0 / tpot_s,
            end_to_end_s: latency.ttft_mean_s + self.generated_tokens * tpot_s,
            decode_limiter: self.point.decode_limiter,
            concurrency_limiter: self.concurrency_limiter,
            prefill_limiter: self.prefill_limiter,
            latency_targets_at: d.use_case.latency_targets_at,
            meets_latency_targets: Self::targets(d).met_by(&latency),
            origin: self.origin,
            prefill_origin: self.prefill_origin,
        }
    }
}

/// A replica's token rates, measured where given.
struct Rates {
    output: f64,
    input: f64,
    prefill_share: f64,
    origin: Origin,
    prefill_origin: Origin,
}

impl Rates {
    /// Measured throughput (of the deployment as described, so per replica
    /// of it) replaces the model's.
    #[inline]
    fn of(
        d: &Deployment,
        point: &OperatingPoint,
        generated: f64,
        described_replicas: f64,
    ) -> Result<Self, DeploymentError> {
        let measured = d.measured.as_ref();
        let per_replica = |total: f64| total / described_replicas;
        let measured_output = measured
            .and_then(|m| m.output_tokens_per_s)
            .map(per_replica);
        let measured_prefill = measured.and_then(|m| m.input_tokens_per_s).map(per_replica);
        let input_per_generated = d.use_case.input_tokens / generated;
        let (output, origin) = match (measured_output, measured_prefill) {
            (Some(rate), _) => (rate, Origin::Measured),
            // The modelled decode time per token plus the measured prefill
            // time for its prompt share.
            (None, Some(prefill)) => (
                1.0 / ((1.0 - point.prefill_share) / point.output_tokens_per_s
                    + input_per_generated / prefill),
                Origin::Modeled,
            ),
            (None, None) => (point.output_tokens_per_s, Origin::Modeled),
        };
        let input = output * input_per_generated;
        // Share of replica time spent prefilling: the prompt tokens served
        // per second over the rate prefill gets through them.
        let (prefill_share, prefill_origin) = match measured_prefill {
            Some(rate) if input >= rate => {
                return Err(DeploymentError::PrefillTooSlow {
                    needed_tokens_per_s: input * described_replicas,
                    measured_tokens_per_s: rate * described_replicas,
                });
            }
            Some(rate) => (input / rate, Origin::Measured),
            None => (point.prefill_share, Origin::Modeled),
        };
        Ok(Rates {
            output,
            input,
            prefill_share,
            origin,
            prefill_origin,
        })
    }
}
