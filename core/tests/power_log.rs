//! Power logs in the formats the tools write, awkward ones included.
#![allow(clippy::unwrap_used)] // a panic is how a test reports failure

use approx::assert_relative_eq;
use tokenfab_core::observed::power_log::{
    PowerLogReader, RunSpan, Window, WindowSource, summarise,
};

const TWO_GPUS: &str = include_str!("fixtures/power/nvidia-smi-2gpu-units.csv");
const OUT_OF_ORDER: &str = include_str!("fixtures/power/nvidia-smi-nounits-out-of-order.csv");
const MALFORMED: &str = include_str!("fixtures/power/malformed.csv");

#[test]
fn two_gpus_are_summed_per_instant_and_a_missing_value_holds_the_last() {
    let s = summarise(TWO_GPUS, Window::default(), None).unwrap();
    assert_eq!(s.gpus, 2);
    assert_eq!(s.samples, 5);
    assert_eq!(s.missing_values, 1);
    assert_relative_eq!(s.run_s, 4.0);
    // 610, 1020, 1220, 580 + 620 (held), 410 W.
    assert_relative_eq!(s.mean_w, 4460.0 / 5.0, epsilon = 1e-3);
    assert_relative_eq!(s.p50_w, 1020.0, epsilon = 1e-3);
    assert_relative_eq!(s.p90_w, 1200.0 + 0.6 * 20.0, epsilon = 1e-3);
    assert_relative_eq!(s.max_w, 1220.0, epsilon = 1e-3);
}

#[test]
fn a_window_keeps_only_the_steady_part() {
    let window = Window {
        from_s: Some(1.0),
        to_s: Some(3.0),
    };
    let s = summarise(TWO_GPUS, window, None).unwrap();
    assert_eq!(s.samples, 3);
    assert_relative_eq!(s.window_s, 2.0);
    assert_relative_eq!(s.mean_w, (1020.0 + 1220.0 + 1200.0) / 3.0, epsilon = 1e-3);
    // The trace still shows the whole run, for choosing the window.
    assert_eq!(s.trace.len(), 5);
}

/// 2024/05/01 12:00:00 in the log's clock, ms since the epoch.
const LOG_START_MS: i64 = 1_714_564_800_000;

#[test]
fn with_no_window_chosen_the_benchmarks_run_is_read_if_the_log_holds_it() {
    let run = |from_s: i64, to_s: i64| {
        Some(RunSpan {
            start_ms: LOG_START_MS + from_s * 1000,
            end_ms: LOG_START_MS + to_s * 1000,
        })
    };
    // The run from 1 s to 3 s of the log: 1020, 1220 and 1200 W.
    let s = summarise(TWO_GPUS, Window::default(), run(1, 3)).unwrap();
    assert_eq!(s.window.source, WindowSource::BenchmarkRun);
    assert_eq!((s.window.from_s, s.window.to_s), (1.0, 3.0));
    assert_eq!(s.samples, 3);
    assert_relative_eq!(s.mean_w, (1020.0 + 1220.0 + 1200.0) / 3.0, epsilon = 1e-3);

    // A window chosen by hand wins.
    let chosen = Window {
        from_s: Some(0.0),
        to_s: Some(1.0),
    };
    let s = summarise(TWO_GPUS, chosen, run(1, 3)).unwrap();
    assert_eq!(s.window.source, WindowSource::Chosen);
    assert_eq!(s.samples, 2);

    // A run an hour away (another time zone): the whole log, said so.
    let s = summarise(TWO_GPUS, Window::default(), run(3600, 3602)).unwrap();
    assert_eq!(s.window.source, WindowSource::BenchmarkRunOutsideLog);
    assert_eq!(s.samples, 5);

    // A log in UTC against a local date of unknown zone: not aligned.
    let utc = TWO_GPUS
        .replace("2024/05/01 ", "2024-05-01T")
        .replace(", 0, ", "Z, 0, ")
        .replace(", 1, ", "Z, 1, ");
    let s = summarise(&utc, Window::default(), run(1, 3)).unwrap();
    assert_eq!(s.window.source, WindowSource::LogInUtc);
    assert_eq!(s.samples, 5);

    // A log without timestamps cannot be aligned.
    let polled = include_str!("fixtures/power/rocm-smi-showpower-polled.csv");
    let s = summarise(polled, Window::default(), run(1, 3)).unwrap();
    assert_eq!(s.window.source, WindowSource::WholeLog);
}

#[test]
fn values_without_units_and_rows_out_of_order_read_the_same() {
    let s = summarise(OUT_OF_ORDER, Window::default(), None).unwrap();
    assert_eq!((s.gpus, s.samples, s.missing_values), (2, 5, 0));
    assert_relative_eq!(
        s.mean_w,
        (610.0 + 1020.0 + 1220.0 + 1180.0 + 410.0) / 5.0,
        epsilon = 1e-3
    );
}

#[test]
fn a_bad_cell_is_named_with_its_line_number() {
    let e = summarise(MALFORMED, Window::default(), None).unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.message.starts_with("power:"), "{e}");
    let e = summarise(
        "time, gpu, temperature\n1, 0, 40\n",
        Window::default(),
        None,
    )
    .unwrap_err();
    assert_eq!(e.line, 1);
    assert!(e.message.contains("no power column"), "{e}");
    let e = summarise(
        "timestamp, index, power.draw [W]\n2024/05/01 12:00:00, 0, 100 W\nnot a time, 0, 100 W\n",
        Window::default(),
        None,
    )
    .unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.message.starts_with("timestamp:"), "{e}");
    let short = summarise(
        "timestamp, index, power.draw [W]\n2024/05/01 12:00:00, 0\n",
        Window::default(),
        None,
    )
    .unwrap_err();
    assert_eq!(short.line, 2);
}

#[test]
fn a_window_with_no_samples_says_how_long_the_run_is() {
    let window = Window {
        from_s: Some(100.0),
        to_s: None,
    };
    let e = summarise(TWO_GPUS, window, None).unwrap_err();
    assert!(e.message.contains("4.0 s"), "{e}");
}

#[test]
fn a_long_log_streams_through_with_a_bounded_trace() {
    // An hour of 8 GPUs sampled every 100 ms: 288,000 rows, pushed one by one.
    let mut reader = PowerLogReader::new(Window::default());
    reader
        .push_line("timestamp, index, power.draw [W]")
        .unwrap();
    let start = 1_714_564_800_000_i64;
    for tick in 0..36_000_i64 {
        for gpu in 0..8 {
            let ms = start + tick * 100;
            let (secs, millis) = (ms / 1000, ms % 1000);
            let line = format!("{secs}.{millis:03}, {gpu}, {} W", 400 + (tick % 10) * 10);
            reader.push_line(&line).unwrap();
        }
    }
    let s = reader.finish().unwrap();
    assert_eq!((s.gpus, s.samples), (8, 36_000));
    // Each GPU cycles 400..490 W: 8 x 445 W on average.
    assert_relative_eq!(s.mean_w, 8.0 * 445.0, epsilon = 1e-6);
    assert!(s.trace.len() <= 600);
}

proptest::proptest! {
    /// Whatever the lines hold, reading them answers or names a line; it
    /// never panics.
    #[test]
    fn any_lines_are_read_or_refused_never_a_panic(
        lines in proptest::collection::vec(
            proptest::prop_oneof![
                "\\PC{0,60}",
                "[0-9/: .-]{0,25}, [0-9]{0,3}, [0-9.e+-]{0,12} ?W?",
            ],
            0..40,
        )
    ) {
        let mut reader = PowerLogReader::new(Window::default());
        let _ = reader.push_line("timestamp, index, power.draw [W]");
        for line in &lines {
            if let Err(e) = reader.push_line(line) {
                proptest::prop_assert!(e.line >= 2);
                return Ok(());
            }
        }
        let _ = reader.finish();
    }
}

#[test]
fn amd_smi_watch_output_with_its_banner_repeated_headers_and_crlf() {
    let text = include_str!("fixtures/power/amd-smi-monitor-watch.csv");
    let s = summarise(text, Window::default(), None).unwrap();
    // The first poll lacks GPU 1's draw and no earlier one can stand in.
    assert_eq!((s.gpus, s.samples, s.missing_values), (2, 2, 1));
    assert_relative_eq!(s.mean_w, (1085.0 + 1096.0) / 2.0, epsilon = 1e-3);
    assert_relative_eq!(s.run_s, 1.0);
}

#[test]
fn rocm_smi_polls_without_timestamps_are_told_apart_by_the_cards() {
    let text = include_str!("fixtures/power/rocm-smi-showpower-polled.csv");
    let s = summarise(text, Window::default(), None).unwrap();
    assert_eq!((s.gpus, s.samples), (2, 2));
    assert_relative_eq!(s.mean_w, (1080.0 + 1116.0) / 2.0, epsilon = 1e-3);
}

#[test]
fn nvidia_smi_placeholders_in_brackets_are_missing_values() {
    let text = include_str!("fixtures/power/nvidia-smi-placeholders.csv");
    let s = summarise(text, Window::default(), None).unwrap();
    assert_eq!((s.samples, s.missing_values), (2, 2));
    assert_relative_eq!(s.mean_w, (613.12 + 615.02) / 2.0, epsilon = 1e-2);
}
