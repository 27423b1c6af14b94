//! The ranges against what can be worked out without them.

use super::draw::triangular;
use super::*;
use crate::deployment::{Deployment, MeasuredInput, PowerScope};
use crate::model::Precision;

/// The planner's example with `inputs` ranged, the model's error and the
/// catalogue's spreads drawn or not (`others`), and `samples` draws.
fn ranged(inputs: &[(&str, f64, f64)], others: bool, samples: u32) -> Deployment {
    let mut d = Deployment::example();
    d.ranges = Some(Ranges {
        inputs: inputs
            .iter()
            .map(|&(path, low, high)| InputRange {
                input: path.to_owned(),
                low,
                high,
            })
            .collect(),
        model_error: others,
        catalogue_spread: others,
        samples: Some(samples),
        ..Ranges::default()
    });
    d
}

fn figure<'a>(r: &'a RangesReport, name: &str) -> &'a FigureRange {
    r.figures.iter().find(|f| f.figure == name).unwrap()
}

#[test]
fn a_rental_rate_s_range_carries_to_dollars_per_token_in_closed_form() {
    // Dollars per million output tokens are the rate times a fixed number
    // of GPU-hours per token: their percentiles are the rate's, scaled.
    let (low, mode, high) = (2.0, 2.94, 5.0);
    let d = ranged(&[("pricing.usd_per_gpu_hour", low, high)], false, 20_000);
    let r = evaluate_ranges(&d).unwrap();
    let f = figure(&r, "usd_per_m_output");
    let per_dollar = f.point / mode;
    let close = |a: f64, b: f64| (a / b - 1.0).abs() < 0.01;
    assert!(
        close(f.p10, per_dollar * triangular(0.1, low, mode, high)),
        "{f:?}"
    );
    assert!(
        close(f.p50, per_dollar * triangular(0.5, low, mode, high)),
        "{f:?}"
    );
    assert!(
        close(f.p90, per_dollar * triangular(0.9, low, mode, high)),
        "{f:?}"
    );
    assert!(
        close(f.expected, per_dollar * (low + mode + high) / 3.0),
        "{f:?}"
    );
    // Nothing else moves the latency: it holds in every draw.
    assert_eq!(r.probabilities.latency_targets_hold, 1.0);
    // The rate is the whole of the spread of the cost per response.
    assert_eq!(r.contributions.len(), 1);
    assert_eq!(r.contributions[0].input, "pricing.usd_per_gpu_hour");
    assert!((r.contributions[0].share_of_variance - 1.0).abs() < 1e-12);
}

#[test]
fn no_spread_anywhere_gives_the_point_figures() {
    let r = evaluate_ranges(&ranged(&[], false, 50)).unwrap();
    assert!(r.sources.is_empty());
    for f in &r.figures {
        for v in [f.expected, f.p10, f.p50, f.p90] {
            assert!((v - f.point).abs() <= 1e-9 * f.point.abs(), "{f:?}");
        }
    }
    // A range with no width is no spread either.
    let r = evaluate_ranges(&ranged(&[("pricing.pue", 1.4, 1.4)], false, 50)).unwrap();
    assert!(r.figures.iter().all(|f| f.p10 == f.p90));
}

#[test]
fn the_same_inputs_give_the_same_ranges_and_another_seed_close_ones() {
    let d = ranged(&[("use_case.requests_per_day", 1e6, 5e6)], true, 400);
    let (a, b) = (evaluate_ranges(&d).unwrap(), evaluate_ranges(&d).unwrap());
    assert_eq!(a, b);
    let mut other = d.clone();
    other.ranges.as_mut().unwrap().seed = Some(42);
    let c = evaluate_ranges(&other).unwrap();
    assert_ne!(a.figures, c.figures);
    let (x, y) = (figure(&a, "fleet_gpus"), figure(&c, "fleet_gpus"));
    assert!((x.expected / y.expected - 1.0).abs() < 0.1, "{x:?} {y:?}");
}

#[test]
fn a_measured_throughput_narrows_the_range_the_model_s_error_gives() {
    // BF16 weights with vLLM: the table's dense 16-bit rows run wide.
    let mut d = ranged(&[], true, 2_000);
    d.model.weights = Some(Precision::Bf16);
    d.hardware.gpus_per_replica = 8;
    let width = |d: &Deployment| {
        let r = evaluate_ranges(d).unwrap();
        let f = figure(&r, "usd_per_m_output");
        (f.p90 - f.p10) / f.p50
    };
    let modelled = width(&d);
    let point = d.evaluate().unwrap();
    let mut measured = d.clone();
    measured.measured = Some(MeasuredInput {
        output_tokens_per_s: Some(point.performance.output_tokens_per_s_per_replica),
        input_tokens_per_s: None,
        watts: None,
        scope: PowerScope::Gpu,
    });
    let yours = width(&measured);
    assert!(yours < 0.6 * modelled, "{yours} against {modelled}");
    let speed = |d: &Deployment| {
        evaluate_ranges(d)
            .unwrap()
            .sources
            .into_iter()
            .find(|s| s.input == "model.speed")
            .unwrap()
    };
    assert!(
        speed(&measured)
            .from
            .starts_with("your measured throughput")
    );
    assert!(speed(&d).from.contains("vLLM, dense, 16-bit weights"));
}

#[test]
fn a_budget_at_the_median_power_is_met_about_half_the_time() {
    let mut d = ranged(&[("use_case.requests_per_day", 1e6, 6e6)], true, 1_000);
    let median = figure(&evaluate_ranges(&d).unwrap(), "facility_kw_at_load").p50;
    d.ranges.as_mut().unwrap().power_budget_kw = Some(median);
    let p = evaluate_ranges(&d)
        .unwrap()
        .probabilities
        .within_power_budget
        .unwrap();
    assert!((0.4..=0.65).contains(&p), "{p}");
}

#[test]
fn ranges_that_are_not_ranges_name_their_field() {
    let field = |inputs: &[(&str, f64, f64)]| {
        evaluate_ranges(&ranged(inputs, true, 10))
            .unwrap_err()
            .field()
            .to_owned()
    };
    assert_eq!(
        field(&[("pricing.nope", 1.0, 2.0)]),
        "ranges.inputs[0].input"
    );
    assert_eq!(
        field(&[("pricing.usd_per_gpu_hour", 3.0, 4.0)]),
        "ranges.inputs[0].low"
    );
    assert_eq!(
        field(&[
            ("pricing.pue", 1.2, 1.5),
            ("pricing.usd_per_gpu_hour", 2.0, 2.5)
        ]),
        "ranges.inputs[1].high"
    );
    assert_eq!(
        field(&[("pricing.usd_per_gpu_hour", f64::NAN, 4.0)]),
        "ranges.inputs[0].low"
    );
    assert_eq!(field(&[("pricing.pue", 1.2, 9.0)]), "ranges.inputs[0].high");
    // Twice the same input.
    assert_eq!(
        field(&[("pricing.pue", 1.2, 1.5), ("pricing.pue", 1.3, 1.6)]),
        "ranges.inputs[1].input"
    );
    // An optional input left empty has nothing to range around.
    assert_eq!(
        field(&[("hardware.replicas", 1.0, 4.0)]),
        "ranges.inputs[0].input"
    );
    for (samples, budget, name) in [
        (0, None, "ranges.samples"),
        (MAX_SAMPLES + 1, None, "ranges.samples"),
        (10, Some(-1.0), "ranges.power_budget_kw"),
    ] {
        let mut d = ranged(&[], true, samples);
        d.ranges.as_mut().unwrap().power_budget_kw = budget;
        assert_eq!(evaluate_ranges(&d).unwrap_err().field(), name);
    }
}

#[test]
fn a_drawn_input_that_breaks_the_deployment_is_counted_not_fatal() {
    // Prompts long enough that some draws no longer fit one sequence.
    let mut d = ranged(&[("use_case.input_tokens", 1000.0, 400_000.0)], false, 200);
    d.hardware.gpus_per_replica = 2;
    let r = evaluate_ranges(&d).unwrap();
    assert!(r.evaluated < r.samples, "{} of {}", r.evaluated, r.samples);
    assert!(r.evaluated > 0);
    assert!(
        r.first_failure
            .as_deref()
            .unwrap()
            .contains("gpus_per_replica")
    );
}

#[test]
fn a_saved_deployment_keeps_its_ranges_and_an_older_one_reads_without() {
    let d = ranged(&[("pricing.usd_per_gpu_hour", 2.0, 4.0)], true, 300);
    let text = serde_json::to_string(&d).unwrap();
    assert_eq!(Deployment::from_json(&text).unwrap(), d);
    let plain = serde_json::to_string(&Deployment::example()).unwrap();
    assert!(!plain.contains("ranges"));
    assert_eq!(Deployment::from_json(&plain).unwrap().ranges, None);
}

#[test]
fn the_months_band_follows_what_each_input_moves() {
    // The rental rate alone: renting spreads with time, owning does not.
    let d = ranged(&[("pricing.usd_per_gpu_hour", 2.0, 5.0)], false, 2_000);
    let (band, paid_back) = months_band(&d, 24).unwrap();
    let sweep = crate::tradeoffs::months_sweep(&d, 24).unwrap();
    assert_eq!(band.len(), 25);
    for (b, m) in band.iter().zip(&sweep) {
        assert!((b.on_prem_p10 - m.on_prem_usd).abs() <= 1e-6 * m.on_prem_usd.max(1.0));
        assert!((b.on_prem_p90 - m.on_prem_usd).abs() <= 1e-6 * m.on_prem_usd.max(1.0));
        assert!(
            b.cloud_p10 <= m.cloud_usd * (1.0 + 1e-9) && m.cloud_usd <= b.cloud_p90 * (1.0 + 1e-9)
        );
    }
    let width = |b: &MonthBand| b.cloud_p90 - b.cloud_p10;
    assert_eq!(width(&band[0]), 0.0);
    assert!(width(&band[24]) > 2.0 * width(&band[12]) * 0.99);
    // A dearer rent pays back an owned fleet sooner: the spread of the
    // break-even brackets the point's.
    let point = d.evaluate().unwrap().costs.break_even_month;
    if let (Some(b), Some(month)) = (paid_back, point) {
        assert!(b.p10 <= month && month <= b.p90, "{b:?} against {month}");
    }
    // No spread anywhere: the band is the lines.
    let (flat, _) = months_band(&ranged(&[], false, 20), 12).unwrap();
    let sweep = crate::tradeoffs::months_sweep(&Deployment::example(), 12).unwrap();
    for (b, m) in flat.iter().zip(&sweep) {
        assert!((b.cloud_p90 - m.cloud_usd).abs() <= 1e-6 * m.cloud_usd.max(1.0));
        assert!((b.cloud_p10 - b.cloud_p90).abs() <= 1e-9 * b.cloud_p90.max(1.0));
    }
}

#[test]
fn figures_taken_from_the_catalogue_spread_by_their_source_s_confidence() {
    let mut d = ranged(&[], false, 2_000);
    d.ranges.as_mut().unwrap().catalogue_spread = true;
    // A rate no catalogue offer has: the person's own, known.
    d.pricing.usd_per_gpu_hour = 2.9517;
    let r = evaluate_ranges(&d).unwrap();
    let power = r
        .sources
        .iter()
        .find(|s| s.input == "accelerator.power")
        .expect("the H100's power is the catalogue's");
    assert!(power.from.starts_with("the catalogue: "), "{}", power.from);
    let h100 = crate::catalogue::accelerator("h100-sxm-80gb").unwrap();
    let s = catalogue_spread(h100.provenance.confidence);
    assert_eq!((power.low, power.high), (1.0 - s, 1.0 + s));
    // Power moves the energy, not what a rented token costs.
    let f = |name| figure(&r, name).clone();
    assert!(f("tokens_per_joule").p10 < f("tokens_per_joule").p90);
    assert_eq!(f("usd_per_m_output").p10, f("usd_per_m_output").p90);
    // A figure equal to no catalogue entry is the person's alone.
    d.pricing.pue = 1.37;
    let r = evaluate_ranges(&d).unwrap();
    assert!(r.sources.iter().all(|s| s.input != "pricing.pue"));
    // A range of the person's replaces the catalogue's on the same input.
    let mut d = ranged(&[("pricing.usd_per_kwh", 0.05, 0.2)], false, 200);
    d.ranges.as_mut().unwrap().catalogue_spread = true;
    let r = evaluate_ranges(&d).unwrap();
    let kwh: Vec<_> = r
        .sources
        .iter()
        .filter(|s| s.input == "pricing.usd_per_kwh")
        .collect();
    assert_eq!(kwh.len(), 1);
    assert_eq!(kwh[0].from, "your range");
}

#[test]
fn a_catalogue_price_spreads_by_its_confidence_and_a_server_price_over_every_quote() {
    use crate::catalogue::{self, HARDWARE_PRICES, server_price};
    let mut d = ranged(&[], false, 500);
    d.ranges.as_mut().unwrap().catalogue_spread = true;
    // The example rents H100s at a catalogue offer's rate.
    let offer = catalogue::CLOUD_PRICES
        .iter()
        .find(|o| o.accelerator_id == "h100-sxm-80gb" && o.usd_per_gpu_hour == 2.94)
        .unwrap();
    let s = catalogue_spread(offer.provenance.confidence);
    let quotes: Vec<f64> = HARDWARE_PRICES
        .iter()
        .filter(|q| q.accelerator_id == "h100-sxm-80gb")
        .map(|q| server_price(q, 8))
        .collect();
    assert!(quotes.len() >= 3, "{quotes:?}");
    // Owning at the highest quote, which is the catalogue's too.
    let highest = quotes.iter().copied().fold(0.0, f64::max);
    let lowest = quotes.iter().copied().fold(f64::INFINITY, f64::min);
    d.pricing.on_prem.capex_usd_per_node = highest;
    let r = evaluate_ranges(&d).unwrap();
    let source = |input: &str| r.sources.iter().find(|s| s.input == input).cloned();
    let rent = source("pricing.usd_per_gpu_hour").expect("the offer's rate is drawn");
    assert!((rent.low - 2.94 * (1.0 - s)).abs() < 1e-12, "{rent:?}");
    assert!((rent.high - 2.94 * (1.0 + s)).abs() < 1e-12, "{rent:?}");
    let own = source("pricing.on_prem.capex_usd_per_node").expect("the quote is drawn");
    assert!(own.low <= lowest && own.high >= highest * 1.049, "{own:?}");
    assert!(own.from.contains("purchase quotes"), "{}", own.from);
    // Renting costs move with the rate; owning is likelier or not by the quotes.
    assert!(figure(&r, "usd_per_m_output").p10 < figure(&r, "usd_per_m_output").p90);
    // A price of the person's own is theirs alone.
    d.pricing.on_prem.capex_usd_per_node = 301_234.0;
    d.pricing.usd_per_gpu_hour = 2.9517;
    let r = evaluate_ranges(&d).unwrap();
    assert!(
        r.sources
            .iter()
            .all(|s| !s.input.starts_with("pricing.on_prem")
                && s.input != "pricing.usd_per_gpu_hour")
    );
}

#[test]
fn the_concurrency_band_is_the_curve_without_spread_and_the_model_s_speed_error_with_it() {
    let at = [1.0, 16.0, 128.0];
    let curve = |d: &Deployment| {
        let e = d.evaluated().unwrap();
        at.map(|c| crate::tradeoffs::concurrency_point(&e, c))
    };
    // No spread anywhere: the band is the curve.
    let flat = ranged(&[], false, 50);
    for (b, p) in concurrency_band(&flat, &at)
        .unwrap()
        .iter()
        .zip(curve(&flat))
    {
        assert!((b.tokens_per_s_per_gpu_p10 - p.tokens_per_s_per_gpu).abs() < 1e-9);
        assert!((b.tokens_per_s_per_gpu_p90 - p.tokens_per_s_per_gpu).abs() < 1e-9);
        assert!((b.usd_per_m_output_p90 - p.usd_per_m_output).abs() < 1e-9);
    }
    // The speed error alone (vLLM, dense, 16-bit): at every concurrency
    // throughput per GPU and per user move by the error's own P10 and
    // P90, and the cost the other way.
    let mut d = ranged(&[], false, 2_000);
    d.ranges.as_mut().unwrap().model_error = true;
    let r = evaluate_ranges(&d).unwrap();
    let speed = r.sources.iter().find(|s| s.input == "model.speed").unwrap();
    for (b, p) in concurrency_band(&d, &at).unwrap().iter().zip(curve(&d)) {
        let (lo, hi) = (
            b.tokens_per_s_per_gpu_p10 / p.tokens_per_s_per_gpu,
            b.tokens_per_s_per_gpu_p90 / p.tokens_per_s_per_gpu,
        );
        assert!(lo < 1.0 && 1.0 < hi, "{lo} {hi} at {}", b.concurrency);
        assert!(
            (lo - speed.low).abs() < 0.15 && (hi - speed.high).abs() < 0.15,
            "{lo}..{hi} against the speed factor's {}..{}",
            speed.low,
            speed.high
        );
        assert!(b.usd_per_m_output_p10 < p.usd_per_m_output);
        assert!(p.usd_per_m_output < b.usd_per_m_output_p90);
    }
}

#[test]
fn a_prefill_pool_s_price_moves_with_the_deployment_s_own() {
    // The prompt tokens' cost is the prefill pool's rent alone, so it
    // spreads exactly as the rate does.
    let (low, mode, high) = (1.5, 2.94, 4.5);
    let mut d = ranged(&[("pricing.usd_per_gpu_hour", low, high)], false, 4_000);
    d.use_case.input_tokens = 4_000.0;
    d.use_case.ttft_target_ms = 2_000.0;
    d.hardware.gpus_per_replica = 8;
    d.hardware.prefill_pool = Some(crate::deployment::PrefillPoolInput {
        catalogue: "h100-sxm-80gb".to_owned(),
        gpus_per_replica: 2,
        usd_per_gpu_hour: mode,
        capex_usd_per_node: d.pricing.on_prem.capex_usd_per_node,
    });
    let r = evaluate_ranges(&d).unwrap();
    let input = figure(&r, "usd_per_m_input");
    let rate = |u: f64| triangular(u, low, mode, high) / mode;
    assert!(
        (input.p10 / input.point / rate(0.1) - 1.0).abs() < 0.02,
        "{input:?}"
    );
    assert!(
        (input.p90 / input.point / rate(0.9) - 1.0).abs() < 0.02,
        "{input:?}"
    );
}

#[test]
fn a_count_is_drawn_as_a_whole_number() {
    let mut d = ranged(&[("hardware.gpus_per_node", 4.0, 8.0)], false, 300);
    d.hardware.gpus_per_replica = 4;
    d.pricing.on_prem.gpus_per_node = 8;
    let r = evaluate_ranges(&d).unwrap();
    assert_eq!(r.evaluated, 300, "{:?}", r.first_failure);
    let fleet = figure(&r, "fleet_gpus");
    assert!(fleet.p10.fract() == 0.0 && fleet.p90.fract() == 0.0);
}

#[test]
fn each_input_alone_swings_the_cost_as_its_range_and_share_say() {
    let (low, mode, high) = (2.0, 2.94, 5.0);
    let d = ranged(
        &[
            ("pricing.usd_per_gpu_hour", low, high),
            ("pricing.usd_per_kwh", 0.05, 0.2),
        ],
        false,
        2_000,
    );
    let swings = swings(&d).unwrap();
    assert_eq!(swings.len(), 2);
    // Rented: the rate moves the cost, electricity does not.
    let rate = &swings[0];
    assert_eq!(rate.input, "pricing.usd_per_gpu_hour");
    assert!(rate.share_of_variance > 0.99, "{rate:?}");
    assert_eq!(swings[1].low_usd, swings[1].high_usd);
    // The hardware's share of a response scales with the rate; the
    // guardrail tokens bought elsewhere do not.
    let r = d.evaluate().unwrap();
    let fixed = r.per_response.cost_usd.pre_post;
    let scaled = |rate: f64| fixed + (r.per_response.cost_per_response_usd - fixed) * rate / mode;
    assert!((rate.low_usd / scaled(low) - 1.0).abs() < 1e-9, "{rate:?}");
    assert!(
        (rate.high_usd / scaled(high) - 1.0).abs() < 1e-9,
        "{rate:?}"
    );
}
