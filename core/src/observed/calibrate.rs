//! Fitting a deployment to what was measured: one speed factor on the
//! serving stack's efficiency so the modeled throughput at the benchmark's
//! load matches the measured one, one more on prefill arithmetic so the
//! modeled time to first token matches too (the throughput kept as
//! measured while it is sought), and one factor on the power
//! weights so the modeled board power there matches the power log. The
//! fitted factors go into the deployment, so every what-if derived from it
//! inherits them.

use serde::{Deserialize, Serialize};

use super::bench::BenchSummary;
use super::figures::MeasuredFigures;
use super::power_log::{PowerSummary, WindowSource};
use crate::accelerator::AcceleratorSpec;
use crate::catalogue;
use crate::deployment::{Choice, Deployment, DeploymentError, MeasuredInput, PowerScope, Resolved};
use crate::perf::{Efficiency, OperatingPoint, RequestShape};
use crate::power::{PowerFactors, accelerator_watts};

/// Which statistic of the power log stands for the draw at load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PowerStatistic {
    /// The 90th percentile: what to plan for (the article's advice).
    #[default]
    P90,
    /// The median.
    P50,
    /// The mean: what the energy bill sees.
    Mean,
}

/// What was measured, and how to read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Observations {
    /// The serving benchmark of one replica.
    pub bench: BenchSummary,
    /// The power log of that replica's run, if there is one.
    #[serde(default)]
    pub power: Option<PowerSummary>,
    /// What the power log measured: the GPUs (nvidia-smi, amd-smi), whole
    /// servers, or the facility.
    #[serde(default = "gpu_scope")]
    pub scope: PowerScope,
    /// Which statistic of the log to fit.
    #[serde(default)]
    pub statistic: PowerStatistic,
}

fn gpu_scope() -> PowerScope {
    PowerScope::Gpu
}

/// Why a calibration cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalibrationError {
    /// The deployment itself does not evaluate.
    #[error(transparent)]
    Deployment(#[from] DeploymentError),
    /// The benchmark does not say how many requests were in flight.
    #[error(
        "bench: no concurrency: the result has neither max_concurrency nor per-request latencies (run vLLM with --max-concurrency, or SGLang, which measures it)"
    )]
    NoConcurrency,
    /// The power log's draw is not above the accelerators' idle power.
    #[error(
        "power: {watts_per_gpu:.0} W per GPU is not above the accelerator's idle {idle_w:.0} W; is the scope right?"
    )]
    BelowIdle {
        /// Measured per GPU.
        watts_per_gpu: f64,
        /// The accelerator's idle power.
        idle_w: f64,
    },
}

/// One figure measured, and modeled before and after the fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Comparison {
    /// What it is, with its unit.
    pub figure: String,
    /// As measured.
    pub measured: f64,
    /// As the deployment's model predicted it.
    pub modeled_before: f64,
    /// With the fitted factors.
    pub modeled_after: f64,
}

/// A deployment fitted to measurements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Calibration {
    /// What the files say on their own: throughput, power, energy per token.
    pub observed: MeasuredFigures,
    /// The deployment with the fitted efficiency and power factors (and no
    /// measured values: every what-if goes through the fitted model).
    pub fitted: Deployment,
    /// The measurements as the deployment's measured level (for the
    /// deployment as described), to apply when its use case matches the
    /// benchmark's.
    pub measured: MeasuredInput,
    /// The multiplier on the stack's achieved bandwidth and compute shares
    /// (fixed overheads divided by it): 1 is the stack as calibrated.
    pub speed_factor: f64,
    /// The further multiplier on prefill arithmetic, fitted to the median
    /// time to first token (it absorbs the server's scheduling too); 1 when
    /// that time is out of the model's reach (a note says why), none when
    /// the benchmark reports no TTFT.
    pub prefill_factor: Option<f64>,
    /// The multiplier on the power weights, if a power log was given.
    pub power_factor: Option<f64>,
    /// Requests in flight the fit used, and where that came from.
    pub concurrency: f64,
    /// How the concurrency was found.
    pub concurrency_source: String,
    /// Measured against modeled, before and after.
    pub comparisons: Vec<Comparison>,
    /// What to know about the fit (a factor at its bound, a GPU count that
    /// differs from the replica's).
    pub notes: Vec<String>,
}

/// Bounds of the speed factor: no stack runs at 2 % of the hardware, and
/// shares above 1 are past the datasheet.
const SPEED_MIN: f64 = 0.02;

/// `efficiency` sped up by `factor`: achieved shares times it (at most 1),
/// fixed costs divided by it.
fn scaled(efficiency: &Efficiency, factor: f64) -> Efficiency {
    efficiency.sped_up(factor, factor).within_peak()
}

/// `efficiency` sped up by `speed`, with prefill arithmetic `prefill`
/// times as fast again (at most the datasheet's).
fn with_prefill(efficiency: &Efficiency, speed: f64, prefill: f64) -> Efficiency {
    Efficiency {
        prefill_compute: (efficiency.prefill_compute * speed * prefill).min(1.0),
        ..scaled(efficiency, speed)
    }
}

/// Slowest prefill fitted, against the stack as calibrated: a time to
/// first token that needs slower is queueing, not prefill.
const PREFILL_MIN: f64 = 0.1;

/// The `x` in `lo..=hi` where the increasing `f` reaches `target`, or the
/// bound it stays beyond (and which one: below `lo`, above `hi`).
fn solve_increasing(
    f: impl Fn(f64) -> f64,
    target: f64,
    (mut lo, mut hi): (f64, f64),
) -> (f64, Option<Bound>) {
    if f(hi) < target {
        return (hi, Some(Bound::Upper));
    }
    if f(lo) > target {
        return (lo, Some(Bound::Lower));
    }
    // 60 halvings reach floating-point precision.
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if f(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    ((lo + hi) / 2.0, None)
}

/// Where `f`, which falls then rises on `lo..=hi`, is least (a golden
/// section search, on a log scale since factors are ratios).
fn least(f: impl Fn(f64) -> f64, (lo, hi): (f64, f64)) -> f64 {
    let ratio = (5.0_f64.sqrt() - 1.0) / 2.0;
    let g = |x: f64| f(x.exp());
    let (mut lo, mut hi) = (lo.ln(), hi.ln());
    // Each step keeps one inner point and its value: one new evaluation.
    let (mut a, mut b) = (hi - ratio * (hi - lo), lo + ratio * (hi - lo));
    let (mut ga, mut gb) = (g(a), g(b));
    for _ in 0..60 {
        if ga < gb {
            (hi, b, gb) = (b, a, ga);
            a = hi - ratio * (hi - lo);
            ga = g(a);
        } else {
            (lo, a, ga) = (a, b, gb);
            b = lo + ratio * (hi - lo);
            gb = g(b);
        }
    }
    ((lo + hi) / 2.0).exp()
}

/// How near the shortest time to first token the model allows a measured
/// one may lie, relative, and be read as the floor it is: where prefill
/// hides under the weight reads and no prefill speed explains it better.
const TTFT_FLOOR_TOLERANCE: f64 = 0.005;

/// The prefill factor in `lo..=hi` at which `ttft_at` (falling, then
/// rising) is `target`: of the two it may have, the nearer to 1 (the stack
/// as calibrated). Out of reach, 1 and the bound passed: `Upper` when even
/// the shortest time is longer, `Lower` when the target is longer still.
/// A target at a floor that stays flat to the fastest prefill (short
/// prompts, whose arithmetic hides under reading the weights) cannot tell
/// prefill speed: 1 and `Hidden` when the stack as calibrated is on that
/// floor too, else a prefill that reaches it.
fn fit_prefill(
    ttft_at: impl Fn(f64) -> f64,
    target: f64,
    (lo, hi): (f64, f64),
) -> (f64, Option<Bound>) {
    let quickest = least(&ttft_at, (lo, hi));
    let shortest = ttft_at(quickest);
    let on_floor = |t: f64| (t / shortest - 1.0).abs() <= TTFT_FLOOR_TOLERANCE;
    if on_floor(target) && on_floor(ttft_at(hi)) && on_floor(ttft_at(1.0)) {
        return (1.0, Some(Bound::Hidden));
    }
    if target < shortest * (1.0 - TTFT_FLOOR_TOLERANCE) {
        return (1.0, Some(Bound::Upper));
    }
    // A target a hair below the floor is the floor.
    let target = target.max(shortest);
    let falling = solve_increasing(|p| -ttft_at(p), -target, (lo, quickest));
    let rising = solve_increasing(&ttft_at, target, (quickest, hi));
    [falling, rising]
        .into_iter()
        .filter(|(_, bound)| bound.is_none())
        .map(|(p, _)| p)
        .min_by(|a, b| a.ln().abs().total_cmp(&b.ln().abs()))
        .map_or((1.0, Some(Bound::Lower)), |p| (p, None))
}

/// Which bound a fitted factor stopped at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    Lower,
    Upper,
    /// The measurement does not depend on the factor where it lies.
    Hidden,
}

/// The largest speed factor that keeps every share within 1.
fn speed_max(efficiency: &Efficiency) -> f64 {
    let largest = [
        efficiency.memory_bandwidth,
        efficiency.kv_bandwidth,
        efficiency.prefill_compute,
        efficiency.decode_compute,
        efficiency.interconnect,
    ]
    .into_iter()
    .fold(f64::MIN_POSITIVE, f64::max);
    1.0 / largest
}

/// What to know about the power log's window, if anything.
fn window_note(log: &PowerSummary, bench: &BenchSummary) -> Option<String> {
    let w = &log.window;
    match w.source {
        WindowSource::Chosen => None,
        WindowSource::BenchmarkRun => {
            let covered = w.to_s - w.from_s;
            let part = if covered < 0.9 * bench.duration_s {
                format!(
                    ", which covers only {covered:.0} s of its {:.0} s",
                    bench.duration_s
                )
            } else {
                String::new()
            };
            Some(format!(
                "the power log is read over the benchmark's run, {:.1} to {:.1} s of the log (the result's date less its duration){part}",
                w.from_s, w.to_s
            ))
        }
        WindowSource::BenchmarkRunOutsideLog => Some(
            "the benchmark's run (its date less its duration) is not within the power log's times (another clock or time zone?): the whole log is read; choose the window to leave out idle time".to_owned(),
        ),
        WindowSource::LogInUtc => Some(
            "the power log's times are UTC and the benchmark's date is local time: the whole log is read; choose the window to leave out idle time".to_owned(),
        ),
        WindowSource::WholeLog => (log.run_s > 1.2 * bench.duration_s).then(|| {
            format!(
                "the whole power log ({:.0} s) is read for a {:.0} s benchmark: choose the window to leave out idle time",
                log.run_s, bench.duration_s
            )
        }),
    }
}

/// The deployment's model at the benchmark's load with the efficiency
/// varied: what every fit and comparison below evaluates, in one place so
/// they all see the same prompt shape and requests in flight.
#[derive(Clone, Copy)]
struct AtLoad {
    resolved: Resolved,
    shape: RequestShape,
    concurrency: f64,
}

impl AtLoad {
    /// The deployment's model with another efficiency.
    fn with(&self, efficiency: &Efficiency) -> Resolved {
        let mut r = self.resolved;
        r.efficiency = *efficiency;
        r
    }

    /// Its operating point at the benchmark's load: the throughput and
    /// busy shares the fits match.
    fn point(&self, efficiency: &Efficiency) -> OperatingPoint {
        self.with(efficiency)
            .replica()
            .operating_point(&self.shape, self.concurrency)
    }

    /// Its time to first token at `point`, s: what the prefill fit matches.
    fn ttft_s(&self, efficiency: &Efficiency, point: &OperatingPoint) -> f64 {
        self.with(efficiency).replica().ttft_s(&self.shape, point)
    }
}

/// The benchmark's mean request, which every figure is modeled for.
fn bench_shape(bench: &BenchSummary) -> RequestShape {
    RequestShape {
        input_tokens: bench.mean_input_tokens.max(1.0),
        output_tokens: bench.mean_output_tokens.max(1.0),
        // Benchmark prompts are random: nothing to reuse.
        prefix_cache_hit_rate: 0.0,
    }
}

/// The requests in flight to fit at, and where they came from: the
/// benchmark's own figure, held within what the replica's memory holds by
/// the model (with a note when it is not), since the model cannot run more.
fn fit_concurrency(
    bench: &BenchSummary,
    resolved: &Resolved,
    shape: &RequestShape,
    notes: &mut Vec<String>,
) -> Result<(f64, &'static str), CalibrationError> {
    let (concurrency, source) = match (bench.mean_concurrency, bench.max_concurrency) {
        (Some(c), _) => (c, "requests in flight on average, from the benchmark"),
        (None, Some(c)) => (
            c,
            "the benchmark's max_concurrency (its cap on requests in flight)",
        ),
        (None, None) => return Err(CalibrationError::NoConcurrency),
    };
    let memory = resolved.replica().memory(shape);
    let concurrency = if concurrency > memory.max_concurrency {
        notes.push(format!(
            "{concurrency:.0} requests in flight do not fit in the replica's memory by the model; {:.0} are used",
            memory.max_concurrency
        ));
        memory.max_concurrency.max(1.0)
    } else {
        concurrency.max(1.0)
    };
    Ok((concurrency, source))
}

/// The speed that gives the measured throughput `target` with prefill
/// `prefill` times as fast again: prompts ride on decode steps, so the
/// throughput depends on both. Prefill's own share is held within the
/// datasheet by `with_prefill`, so it does not bound the speed.
fn fit_speed(at: &AtLoad, base: &Efficiency, target: f64, prefill: f64) -> (f64, Option<Bound>) {
    let speed_most = speed_max(&Efficiency {
        prefill_compute: 0.0,
        ..*base
    });
    let rate = |speed: f64| {
        at.point(&with_prefill(base, speed, prefill))
            .output_tokens_per_s
    };
    solve_increasing(rate, target, (SPEED_MIN, speed_most))
}

/// The fitted speed and prefill factors, and the bound each stopped at
/// (kept apart from the notes so the notes can be worded in one place).
struct SpeedFit {
    speed: f64,
    speed_bound: Option<Bound>,
    prefill: f64,
    prefill_bound: Option<Bound>,
}

impl SpeedFit {
    /// The base efficiency with both fitted factors applied.
    fn efficiency(&self, base: &Efficiency) -> Efficiency {
        with_prefill(base, self.speed, self.prefill)
    }
}

/// Fits prefill to the time to first token `ttft_target`, s, if there is
/// one (else prefill stays as calibrated), then the speed to the measured
/// throughput `target` with that prefill.
fn fit_speeds(at: &AtLoad, base: &Efficiency, target: f64, ttft_target: Option<f64>) -> SpeedFit {
    // The time to first token with prefill `prefill` times as fast and the
    // throughput kept as measured. It falls as prefill speeds up until the
    // speed the throughput then needs drops so far that reading the weights
    // for the lone prompt takes longer: it falls, then rises.
    let ttft_at = |prefill: f64| {
        let (speed, _) = fit_speed(at, base, target, prefill);
        let efficiency = with_prefill(base, speed, prefill);
        at.ttft_s(&efficiency, &at.point(&efficiency))
    };
    let prefill_most = 1.0 / (base.prefill_compute * SPEED_MIN).max(f64::MIN_POSITIVE);
    let (prefill, prefill_bound) = match ttft_target {
        Some(ttft) => fit_prefill(ttft_at, ttft, (PREFILL_MIN, prefill_most)),
        None => (1.0, None),
    };
    let (speed, speed_bound) = fit_speed(at, base, target, prefill);
    SpeedFit {
        speed,
        speed_bound,
        prefill,
        prefill_bound,
    }
}

/// The notes on a speed or prefill factor that stopped at its bound: the
/// measurement is out of the model's reach, and the reader should know why.
fn speed_notes(fit: &SpeedFit, target: f64, ttft_ms: Option<f64>, notes: &mut Vec<String>) {
    match fit.speed_bound {
        Some(Bound::Upper) => notes.push(format!(
            "the measured {target:.0} tokens/s is more than the model allows at the datasheet's limits: check the GPU count, the concurrency and the accelerator"
        )),
        Some(Bound::Lower) => notes.push(format!(
            "the measured {target:.0} tokens/s is below what even a very slow stack gives; check the benchmark"
        )),
        Some(Bound::Hidden) | None => {}
    }
    if let Some(ms) = ttft_ms {
        match fit.prefill_bound {
            Some(Bound::Upper) => notes.push(format!(
                "the measured time to first token ({ms:.0} ms) is shorter than the model allows with prefill at the datasheet's compute (the prompts may have been cached, or fewer requests in flight than stated): prefill is left as calibrated"
            )),
            Some(Bound::Lower) => notes.push(format!(
                "the measured time to first token ({ms:.0} ms) is longer than prefill {:.0} times slower explains: requests probably queued; prefill is left as calibrated",
                1.0 / PREFILL_MIN
            )),
            Some(Bound::Hidden) => notes.push(format!(
                "the measured time to first token ({ms:.0} ms) is what these prompts take at the calibrated prefill or any faster: their arithmetic hides under reading the weights, so they cannot tell prefill speed, and prefill is left as calibrated"
            )),
            None => {}
        }
    }
}

/// The model before and after the fit, at the benchmark's load: what the
/// comparisons set against the measurements.
struct BeforeAfter {
    base: Efficiency,
    fitted: Efficiency,
    before: OperatingPoint,
    after: OperatingPoint,
}

/// Throughput, time per output token and time to first token, measured
/// against modeled before and after the fit (the latter two when the
/// benchmark reports them), with a note when the time to first token is
/// matched only roughly.
fn performance_comparisons(
    at: &AtLoad,
    model: &BeforeAfter,
    bench: &BenchSummary,
    prefill_bound: Option<Bound>,
    notes: &mut Vec<String>,
) -> Vec<Comparison> {
    let (before, after) = (&model.before, &model.after);
    let mut comparisons = vec![Comparison {
        figure: "output tokens/s per replica".to_owned(),
        measured: bench.output_tokens_per_s,
        modeled_before: before.output_tokens_per_s,
        modeled_after: after.output_tokens_per_s,
    }];
    if let Some(tpot) = bench.tpot.mean_ms {
        comparisons.push(Comparison {
            figure: "time per output token, ms (mean)".to_owned(),
            measured: tpot,
            modeled_before: before.tpot_s * 1e3,
            modeled_after: after.tpot_s * 1e3,
        });
    }
    if let Some(ttft) = bench.ttft.median_ms {
        let modeled_after = at.ttft_s(&model.fitted, after) * 1e3;
        // The search assumes the wait shortens as prefill speeds up; where
        // the model says otherwise it may stop short.
        let off = (modeled_after / ttft - 1.0).abs();
        if prefill_bound.is_none() && off > 0.01 {
            notes.push(format!(
                "the time to first token is matched only within {:.0} %",
                off * 100.0
            ));
        }
        comparisons.push(Comparison {
            figure: "time to first token, ms (median)".to_owned(),
            measured: ttft,
            modeled_before: at.ttft_s(&model.base, before) * 1e3,
            modeled_after,
        });
    }
    comparisons
}

/// The power log's draw per GPU, W, by the chosen statistic and scope,
/// with notes on its window and GPU count; refused when it is not above
/// idle, since no power factor could explain it.
fn measured_watts_per_gpu(
    deployment: &Deployment,
    observations: &Observations,
    log: &PowerSummary,
    gpu: &AcceleratorSpec,
    notes: &mut Vec<String>,
) -> Result<f64, CalibrationError> {
    if let Some(note) = window_note(log, &observations.bench) {
        notes.push(note);
    }
    let total = match observations.statistic {
        PowerStatistic::P90 => log.p90_w,
        PowerStatistic::P50 => log.p50_w,
        PowerStatistic::Mean => log.mean_w,
    };
    let gpus = f64::from(log.gpus.max(1));
    let gpus_per_replica = deployment.hardware.gpus_in_replica();
    if log.gpus != gpus_per_replica {
        notes.push(format!(
            "the power log has {} GPUs and a replica {gpus_per_replica}; power is fitted per GPU",
            log.gpus
        ));
    }
    let per_gpu = deployment
        .servers()
        .watts_per_gpu(total, observations.scope, gpus);
    if per_gpu <= gpu.idle_w {
        return Err(CalibrationError::BelowIdle {
            watts_per_gpu: per_gpu,
            idle_w: gpu.idle_w,
        });
    }
    Ok(per_gpu)
}

/// The power weights fitted to a power log, and what they change.
struct PowerFit {
    /// The multiplier on the power weights.
    factor: f64,
    /// The fitted weights.
    weights: PowerFactors,
    /// Measured per GPU, W.
    per_gpu: f64,
    /// Board power and energy per token, measured against modeled.
    comparisons: [Comparison; 2],
}

/// Fits the power weights so the modeled board power at the fitted point
/// matches the log's draw per GPU, and sets both against the measurements.
fn fit_power(
    deployment: &Deployment,
    observations: &Observations,
    log: &PowerSummary,
    gpu: &AcceleratorSpec,
    model: &BeforeAfter,
    notes: &mut Vec<String>,
) -> Result<PowerFit, CalibrationError> {
    let h = &deployment.hardware;
    let (before, after) = (&model.before, &model.after);
    let per_gpu = measured_watts_per_gpu(deployment, observations, log, gpu, notes)?;
    let base_power = h.power.unwrap_or_else(|| h.stack.power());
    let busy = |p: &OperatingPoint| {
        base_power.compute_weight * p.compute_busy.clamp(0.0, 1.0)
            + base_power.memory_weight * p.memory_busy.clamp(0.0, 1.0)
    };
    let needed = ((per_gpu - gpu.idle_w) / (gpu.tdp_w - gpu.idle_w)).min(1.0);
    let factor = needed / busy(after).max(1e-9);
    let weights = PowerFactors {
        compute_weight: (base_power.compute_weight * factor).min(3.0),
        memory_weight: (base_power.memory_weight * factor).min(3.0),
    };
    if per_gpu >= gpu.tdp_w {
        notes.push(format!(
            "{per_gpu:.0} W per GPU is at or above the accelerator's TDP ({:.0} W)",
            gpu.tdp_w
        ));
    }
    let tp = f64::from(h.gpus_in_replica());
    let watts_before =
        || accelerator_watts(gpu, &base_power, before.compute_busy, before.memory_busy);
    let watts_after = || accelerator_watts(gpu, &weights, after.compute_busy, after.memory_busy);
    let comparisons = [
        Comparison {
            figure: "board power per GPU at load, W".to_owned(),
            measured: per_gpu,
            modeled_before: watts_before(),
            modeled_after: watts_after(),
        },
        Comparison {
            figure: "output tokens per joule (GPU power)".to_owned(),
            measured: observations.bench.output_tokens_per_s / (per_gpu * tp),
            modeled_before: before.output_tokens_per_s / (watts_before() * tp),
            modeled_after: after.output_tokens_per_s / (watts_after() * tp),
        },
    ];
    Ok(PowerFit {
        factor,
        weights,
        per_gpu,
        comparisons,
    })
}

/// A note when the benchmark names a catalogue model other than the one
/// the deployment describes: the fit is then of the wrong model.
fn model_mismatch(deployment: &Deployment, bench: &BenchSummary) -> Option<String> {
    let named = bench.model.as_deref()?;
    let served = catalogue::model_by_hugging_face_id(named)?;
    let same = match &deployment.model.choice {
        Choice::Catalogue(id) => *id == served.id,
        Choice::Spec(spec) => *spec == served.spec,
    };
    (!same).then(|| {
        format!(
            "the benchmark served {named} ({}), not the deployment's model: the factors are fitted to the deployment as described",
            served.name
        )
    })
}

/// Fits `deployment` to `observations`.
///
/// # Errors
/// When the deployment does not evaluate, the benchmark gives no
/// concurrency, or the power is below idle.
pub fn calibrate(
    deployment: &Deployment,
    observations: &Observations,
) -> Result<Calibration, CalibrationError> {
    deployment.evaluate()?;
    let bench = &observations.bench;
    let mut notes: Vec<String> = model_mismatch(deployment, bench).into_iter().collect();
    let resolved = deployment.resolve()?;
    let shape = bench_shape(bench);
    let (concurrency, concurrency_source) = fit_concurrency(bench, &resolved, &shape, &mut notes)?;
    let at = AtLoad {
        resolved,
        shape,
        concurrency,
    };
    let base = resolved.efficiency;
    let target = bench.output_tokens_per_s;
    let ttft_target = bench.ttft.median_ms.map(|ms| ms / 1e3);
    let speeds = fit_speeds(&at, &base, target, ttft_target);
    speed_notes(&speeds, target, bench.ttft.median_ms, &mut notes);
    let fitted_efficiency = speeds.efficiency(&base);
    let model = BeforeAfter {
        base,
        fitted: fitted_efficiency,
        before: at.point(&base),
        after: at.point(&fitted_efficiency),
    };
    let mut comparisons =
        performance_comparisons(&at, &model, bench, speeds.prefill_bound, &mut notes);

    let h = &deployment.hardware;
    let mut fitted = deployment.clone();
    fitted.hardware.efficiency = Some(fitted_efficiency);
    fitted.measured = None;
    let described_replicas = f64::from(h.replicas.unwrap_or(1));
    let mut measured = MeasuredInput {
        output_tokens_per_s: Some(target * described_replicas),
        input_tokens_per_s: None,
        watts: None,
        scope: PowerScope::Gpu,
    };
    let mut power_factor = None;
    if let Some(log) = &observations.power {
        let power = fit_power(
            deployment,
            observations,
            log,
            &resolved.accelerator,
            &model,
            &mut notes,
        )?;
        comparisons.extend(power.comparisons);
        fitted.hardware.power = Some(power.weights);
        let tp = f64::from(h.gpus_in_replica());
        measured.watts = Some(power.per_gpu * tp * described_replicas);
        power_factor = Some(power.factor);
    }
    Ok(Calibration {
        observed: MeasuredFigures::of(bench, observations.power.as_ref(), observations.scope),
        fitted,
        measured,
        speed_factor: speeds.speed,
        prefill_factor: ttft_target.map(|_| speeds.prefill),
        power_factor,
        concurrency,
        concurrency_source: concurrency_source.to_owned(),
        comparisons,
        notes,
    })
}
