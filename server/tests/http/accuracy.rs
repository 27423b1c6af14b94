//! `tokenfab accuracy` on tables a user might bring, and on the published
//! measurements the built-in factors were calibrated against.

use std::path::{Path, PathBuf};
use std::process::Command;

fn path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn accuracy_json(file: &Path) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_tokenfab"))
        .args(["accuracy", "--json"])
        .arg(file)
        .output()
        .expect("tokenfab runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON report")
}

#[test]
fn rows_it_cannot_predict_are_listed_with_the_reason() {
    let report = accuracy_json(&path("tests/fixtures/awkward-measurements.csv"));
    assert_eq!(report["rows"].as_array().unwrap().len(), 1);
    let skipped = report["skipped"].as_array().unwrap();
    let reason = |id: &str| {
        skipped
            .iter()
            .find(|s| s["id"] == id)
            .map(|s| s["reason"].as_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    assert!(reason("custom-0001").contains("Made-Up-13B"), "{skipped:?}");
    assert!(reason("custom-0002").contains("value"), "{skipped:?}");
    assert!(reason("custom-0003").contains("vibes"), "{skipped:?}");
}

#[test]
fn a_malformed_table_is_refused_with_its_line_number() {
    let output = Command::new(env!("CARGO_BIN_EXE_tokenfab"))
        .arg("accuracy")
        .arg(path("tests/fixtures/malformed-measurements.csv"))
        .output()
        .expect("tokenfab runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 2"), "{stderr}");
}

#[test]
fn the_text_report_names_families_metrics_and_skips() {
    let output = Command::new(env!("CARGO_BIN_EXE_tokenfab"))
        .arg("accuracy")
        .arg(path("tests/fixtures/awkward-measurements.csv"))
        .output()
        .expect("tokenfab runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("trtllm-v1"), "{text}");
    assert!(text.contains("output_tok_s_total"), "{text}");
    assert!(text.contains("1 rows predicted, 3 skipped"), "{text}");
}

/// The published measurements (see `tests/data/measurements.csv` for each
/// row's source) stay within the accuracy the README states. A change to
/// the model that makes the planner less accurate fails here.
#[test]
fn the_built_in_factors_keep_their_stated_accuracy_on_published_measurements() {
    let report = accuracy_json(&path("../tests/data/measurements.csv"));
    assert_eq!(report["skipped"].as_array().unwrap().len(), 0);
    let overall = |metric: &str| {
        report["overall"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["metric"] == metric)
            .unwrap_or_else(|| panic!("no {metric}"))
            .clone()
    };
    for (metric, median_limit) in [
        ("output_tok_s_total", 15.0),
        ("output_tok_s_per_gpu", 15.0),
        ("tpot_ms_median", 17.0),
        ("ttft_ms", 10.0),
        ("joules_per_token", 20.0),
        ("watts_gpu_total", 12.0),
    ] {
        let median = overall(metric)["median_abs_error_pct"].as_f64().unwrap();
        assert!(
            median <= median_limit,
            "{metric}: median error {median:.1}% > {median_limit}%"
        );
    }
    // The tails: most configurations land within 35 %.
    for metric in ["output_tok_s_total", "output_tok_s_per_gpu"] {
        let within = overall(metric)["share_within_35_pct"].as_f64().unwrap();
        assert!(
            within >= 0.8,
            "{metric}: only {within:.2} of rows within 35%"
        );
    }
}
