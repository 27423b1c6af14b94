//! Latency under load. Requests arrive at random (a Poisson stream) at a
//! replica that is decoding a running batch. A new prompt waits for the
//! prefill work of the prompts ahead of it, then for the running step, then
//! for its own prefill; every prompt prefilled while a request decodes
//! lengthens one of that request's steps. From these come the mean and the
//! 99th percentile of the time to first token and of the time per output
//! token, with no fitted factor: only the replica's own step and prefill
//! times.
//!
//! The prompts ahead are served at the time each adds to the batch's steps
//! (its marginal prefill time), not at the time it would take alone on an
//! idle replica: chunked prefill packs several prompts and the running
//! decodes into one step, which reads the weights once for all of them.

use serde::{Deserialize, Serialize};

/// Standard normal quantile at 0.99: a Poisson count's 99th percentile is
/// about this many standard deviations above its mean.
const Z_99: f64 = 2.326;

/// Which statistic of a request's latency the targets bound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Percentile {
    /// The mean over requests.
    #[default]
    Mean,
    /// The 99th percentile over requests: 1 request in 100 is slower.
    P99,
}

impl Percentile {
    /// How the statistic is written beside a figure.
    pub fn label(self) -> &'static str {
        match self {
            Percentile::Mean => "mean",
            Percentile::P99 => "P99",
        }
    }
}

/// Mean wait of a prompt for those ahead of it, prompts arriving at random
/// at `arrivals` per second and each prefill taking `prefill_s` (a queue
/// with random arrivals and a fixed service time, M/D/1: `ρ·p / (2(1 − ρ))`
/// with `ρ = arrivals · p`); unbounded at or beyond saturation.
pub fn prompt_wait_mean_s(arrivals: f64, prefill_s: f64) -> f64 {
    let busy = arrivals * prefill_s;
    if busy < 1.0 {
        busy * prefill_s / (2.0 * (1.0 - busy))
    } else {
        f64::INFINITY
    }
}

/// 99th percentile of that wait. A prompt waits at all with probability
/// ρ, and then roughly exponentially with mean `wait / ρ` (the usual tail
/// of a single-server queue), so the 99th percentile is
/// `wait / ρ · ln(ρ / 0.01)` when ρ exceeds 1 %, and zero below.
pub fn prompt_wait_p99_s(arrivals: f64, prefill_s: f64) -> f64 {
    let busy = arrivals * prefill_s;
    if busy <= 0.01 {
        return 0.0;
    }
    prompt_wait_mean_s(arrivals, prefill_s) / busy * (busy / 0.01).ln()
}

/// The busiest a replica that only prefills may be, 0 to 1, so that the
/// prompts' wait in its queue (each held for `service_s`) stays within
/// `budget_s` at `percentile`: `2W / (s + 2W)` for the mean (from
/// [`prompt_wait_mean_s`]), by bisection for the 99th percentile. Zero
/// when there is no budget left.
pub fn prefill_busy_within(budget_s: f64, service_s: f64, percentile: Percentile) -> f64 {
    if !(budget_s > 0.0 && service_s > 0.0) {
        return 0.0;
    }
    match percentile {
        Percentile::Mean => 2.0 * budget_s / (service_s + 2.0 * budget_s),
        Percentile::P99 => {
            // As the latency reports it: never below the mean wait (the
            // percentile's approximation is nil below 1 % busy).
            let wait = |busy: f64| {
                let arrivals = busy / service_s;
                prompt_wait_p99_s(arrivals, service_s).max(prompt_wait_mean_s(arrivals, service_s))
            };
            let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
            for _ in 0..48 {
                let mid = (lo + hi) / 2.0;
                if wait(mid) <= budget_s {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            lo
        }
    }
}

/// A request's latency at one operating point, mean and 99th percentile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Latency {
    /// Mean time to first token, s (queue included).
    pub ttft_mean_s: f64,
    /// 99th percentile of the time to first token, s.
    pub ttft_p99_s: f64,
    /// Mean time per output token, s.
    pub tpot_mean_s: f64,
    /// 99th percentile over requests of their time per output token, s.
    pub tpot_p99_s: f64,
}

/// What a replica does at one operating point, in the terms latency needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    /// One prompt's prefill on its own, s.
    pub prefill_s: f64,
    /// One step of the running batch, which a new prompt waits for, s.
    pub step_s: f64,
    /// Mean time per output token, s (prefill interference included).
    pub tpot_s: f64,
    /// Tokens each request generates.
    pub output_tokens: f64,
    /// Prompts arriving per second.
    pub arrivals_per_s: f64,
    /// Time one prompt's prefill adds to the batch's steps, s: what the
    /// prompts behind it wait for, and what it adds to the steps of the
    /// requests decoding meanwhile.
    pub prompt_service_s: f64,
}

impl Load {
    /// A replica decoding `concurrency` sequences in steady state, a share
    /// `prefill_share` of its time spent prefilling: by Little's law the
    /// prompts arriving per second are the sequences decoding over a
    /// request's decode time (the rate the operating point, and the fleet
    /// sized on it, serves), and each prompt's prefill takes that share of
    /// the time over the arrival rate, so the prompt queue is busy exactly
    /// the prefill share.
    pub fn at_concurrency(
        prefill_s: f64,
        step_s: f64,
        tpot_s: f64,
        output_tokens: f64,
        concurrency: f64,
        prefill_share: f64,
    ) -> Self {
        let decode_s = output_tokens.max(1.0) * tpot_s;
        let concurrency = concurrency.max(1.0);
        let arrivals_per_s = concurrency / decode_s;
        let prompt_service_s = prefill_share * decode_s / concurrency;
        Load {
            prefill_s,
            step_s,
            tpot_s,
            output_tokens,
            arrivals_per_s,
            prompt_service_s,
        }
    }

    /// Mean and 99th-percentile latency of a request. The time to first
    /// token is the wait in the prompt queue, one running step and the
    /// prompt's prefill. The time per output token spreads because the
    /// prompts arriving while a request decodes (a Poisson count with mean
    /// `arrivals · output · tpot`) each lengthen one of its steps by their
    /// prefill; the mean already carries the average interference.
    pub fn latency(&self) -> Latency {
        let base = self.prefill_s + self.step_s;
        let (arrivals, service) = (self.arrivals_per_s, self.prompt_service_s);
        let output = self.output_tokens.max(1.0);
        let sharing = arrivals * output * self.tpot_s;
        let wait_s = prompt_wait_mean_s(arrivals, service);
        // Below 1 % of prompts waiting the queue's 99th percentile is nil
        // while its mean is not; the prompts' own spread, which the model
        // leaves out, keeps the percentile above the mean.
        Latency {
            ttft_mean_s: base + wait_s,
            ttft_p99_s: base + prompt_wait_p99_s(arrivals, service).max(wait_s),
            tpot_mean_s: self.tpot_s,
            tpot_p99_s: self.tpot_s + Z_99 * sharing.max(0.0).sqrt() * service / output,
        }
    }
}

impl Latency {
    /// Time to first token and time per output token at `percentile`, s.
    pub fn at(&self, percentile: Percentile) -> (f64, f64) {
        match percentile {
            Percentile::Mean => (self.ttft_mean_s, self.tpot_mean_s),
            Percentile::P99 => (self.ttft_p99_s, self.tpot_p99_s),
        }
    }
}

/// Latency targets and the statistic they bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Targets {
    /// Time-to-first-token target, s.
    pub ttft_s: f64,
    /// Time-per-output-token target, s.
    pub tpot_s: f64,
    /// Mean or 99th percentile.
    pub at: Percentile,
}

impl Targets {
    /// Whether `latency` meets both targets.
    pub fn met_by(&self, latency: &Latency) -> bool {
        let (ttft, tpot) = latency.at(self.at);
        ttft <= self.ttft_s && tpot <= self.tpot_s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(arrivals_per_s: f64) -> Load {
        Load {
            prefill_s: 0.1,
            step_s: 0.03,
            tpot_s: 0.03,
            output_tokens: 200.0,
            arrivals_per_s,
            prompt_service_s: 0.1,
        }
    }

    #[test]
    fn an_idle_replica_answers_in_one_prefill_and_one_step() {
        let l = load(0.0).latency();
        assert!((l.ttft_mean_s - 0.13).abs() < 1e-12);
        assert_eq!(l.ttft_p99_s, l.ttft_mean_s);
        assert_eq!(l.tpot_p99_s, l.tpot_mean_s);
    }

    #[test]
    fn a_replica_that_prefills_a_share_of_its_time_queues_below_saturation() {
        // 64 sequences of 200 tokens at 30 ms a token, a quarter of the
        // time prefilling: 64 / 6 s requests a second, and the prompt
        // queue busy that quarter of the time.
        let l = Load::at_concurrency(0.1, 0.03, 0.03, 200.0, 64.0, 0.25);
        assert!((l.arrivals_per_s - 64.0 / 6.0).abs() < 1e-12);
        let busy = l.arrivals_per_s * l.prompt_service_s;
        assert!((busy - 0.25).abs() < 1e-12, "{busy}");
        assert!(l.latency().ttft_mean_s.is_finite());
    }

    #[test]
    fn the_mean_wait_is_the_m_d_1_queue() {
        // ρ = 5/s · 0.1 s = 0.5: wait = 0.5 · 0.1 / (2 · 0.5) = 0.05 s.
        assert!((prompt_wait_mean_s(5.0, 0.1) - 0.05).abs() < 1e-12);
        assert!(prompt_wait_mean_s(10.0, 0.1).is_infinite());
    }

    #[test]
    fn the_99th_percentile_lies_above_the_mean_and_grows_with_load() {
        let light = load(1.0).latency();
        let heavy = load(8.0).latency();
        assert!(light.ttft_p99_s > light.ttft_mean_s);
        assert!(light.tpot_p99_s > light.tpot_mean_s);
        assert!(heavy.ttft_p99_s - heavy.ttft_mean_s > light.ttft_p99_s - light.ttft_mean_s);
        assert!(heavy.tpot_p99_s > light.tpot_p99_s);
        // An exponential tail: at ρ = 0.5 the 99th percentile wait is
        // wait/ρ · ln(50) = 0.1 · 3.91 s.
        let tail = prompt_wait_p99_s(5.0, 0.1);
        assert!((tail - 0.1 * 50f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn targets_bound_the_statistic_chosen() {
        let l = load(5.0).latency();
        let between = (l.ttft_mean_s + l.ttft_p99_s) / 2.0;
        let mut targets = Targets {
            ttft_s: between,
            tpot_s: 1.0,
            at: Percentile::Mean,
        };
        assert!(targets.met_by(&l));
        targets.at = Percentile::P99;
        assert!(!targets.met_by(&l));
    }

    #[test]
    fn a_prefill_pool_runs_as_busy_as_the_wait_budget_allows() {
        let service = 0.2;
        for budget in [0.05, 0.2, 1.0, 10.0] {
            for at in [Percentile::Mean, Percentile::P99] {
                let busy = prefill_busy_within(budget, service, at);
                assert!(busy > 0.0 && busy < 1.0, "{busy}");
                let wait = |b: f64| match at {
                    Percentile::Mean => prompt_wait_mean_s(b / service, service),
                    Percentile::P99 => prompt_wait_p99_s(b / service, service),
                };
                // The wait at that load is the budget, and any busier
                // load breaks it.
                assert!((wait(busy) / budget - 1.0).abs() < 1e-6, "{at:?} {budget}");
                assert!(wait(busy * 1.001) > budget);
            }
        }
        assert_eq!(prefill_busy_within(0.0, service, Percentile::Mean), 0.0);
        assert_eq!(prefill_busy_within(-1.0, service, Percentile::P99), 0.0);
        assert_eq!(
            prefill_busy_within(f64::NAN, service, Percentile::Mean),
            0.0
        );
    }
}
