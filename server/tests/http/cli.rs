//! `tokenfab eval` and `tokenfab sweep` as a script would run them.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn tokenfab() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tokenfab"))
}

/// `tokenfab eval -` with `input` on standard input.
fn eval_stdin(input: &[u8]) -> Output {
    let mut child = tokenfab()
        .args(["eval", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tokenfab runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// `tokenfab eval FILE` for a file of `tests/scenarios`, which must succeed.
fn eval_file(name: &str) -> serde_json::Value {
    let printed: serde_json::Value =
        serde_json::from_str(&eval_output(name, &[])).expect("JSON report");
    // A deployment's report comes with its headline figures beside it.
    printed.get("report").cloned().unwrap_or(printed)
}

fn scenario_file(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/scenarios")
        .join(name)
}

#[test]
fn eval_prints_the_articles_energy_figures_as_json() {
    // A measured-level file, migrated to a deployment and evaluated.
    let report = eval_file("seed-energy.json");
    let close = |v: &serde_json::Value, want: f64| (v.as_f64().unwrap() / want - 1.0).abs() < 1e-9;
    let energy = &report["energy"];
    assert!(close(&energy["tokens_per_joule"], 3.0), "{energy}");
    assert!(close(&energy["tokens_per_kwh"], 10_800_000.0), "{energy}");
    let per_token = energy["energy_usd_per_token"].as_f64().unwrap();
    assert!(
        (per_token - 1.574e-8).abs() / 1.574e-8 < 5e-4,
        "{per_token}"
    );
    let r = &report["per_response"];
    assert!(close(&r["joules_per_response"], 360.0), "{r}");
    assert!(close(&r["wh_per_response"], 0.1), "{r}");
}

#[test]
fn eval_reads_standard_input_given_a_dash() {
    let output = eval_stdin(&std::fs::read(scenario_file("seed-energy.json")).unwrap());
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("\"tokens_per_joule\": 3.0"));
}

#[test]
fn eval_names_the_bad_field_and_exits_non_zero() {
    let output = eval_stdin(
        br#"{"hardware":{"gpus":1},"pricing":{"usd_per_gpu_hour":2,"usd_per_kwh":0.1},
            "measured":{"tokens_per_s":3000,"watts":"lots"}}"#,
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("measured.watts"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn eval_of_a_missing_file_says_so() {
    let output = tokenfab()
        .args(["eval", "/nonexistent/scenario.json"])
        .output()
        .expect("tokenfab runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot read /nonexistent/scenario.json")
    );
}

#[test]
fn eval_of_a_modeled_deployment_prints_the_full_report() {
    let report = eval_file("llama-70b-support-chat.json");
    for section in [
        "memory",
        "performance",
        "fleet",
        "power",
        "energy",
        "costs",
        "per_response",
    ] {
        assert!(report.get(section).is_some(), "no {section}");
    }
    assert!(report["performance"]["tpot_ms"].as_f64().unwrap() <= 50.0);
    // The cost of a response follows the article's formula from the file's
    // use case and the report's prices per token.
    let file = std::fs::read_to_string(scenario_file("llama-70b-support-chat.json")).unwrap();
    let deployment: serde_json::Value = serde_json::from_str(&file).unwrap();
    crate::figures::assert_cost_per_response_follows_the_formula(&deployment, &report);
}

/// `tokenfab eval` of `tests/scenarios/name` with `args`, as printed.
fn eval_output(name: &str, args: &[&str]) -> String {
    let output = tokenfab()
        .arg("eval")
        .args(args)
        .arg(scenario_file(name))
        .output()
        .expect("tokenfab runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn eval_prints_the_owned_servers_hand_derived_figures() {
    // Worked out in worked_example.rs: every figure of the report and the
    // headline, as JSON and as CSV rows.
    let printed: serde_json::Value =
        serde_json::from_str(&eval_output("owned-server-worked.json", &[])).unwrap();
    let mut audit = crate::figures::Audit::default();
    crate::worked_example::audit_report(&printed["report"], &mut audit);
    crate::worked_example::audit_headline(&printed["headline"], &mut audit);
    audit.finish("tokenfab eval owned-server-worked.json");

    let csv = eval_output("owned-server-worked.json", &["--format", "csv"]);
    let rows: std::collections::HashMap<&str, f64> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .filter_map(|(field, value)| Some((field, value.parse().ok()?)))
        .collect();
    let mut audit = crate::figures::Audit::default();
    for (pointer, expected) in crate::worked_example::HAND_FIGURES {
        let field = format!("report{}", pointer.replace('/', "."));
        match rows.get(field.as_str()) {
            Some(value) => audit.compare(&field, *value, expected, 2e-6),
            None => audit.compare(&format!("{field} (missing)"), f64::NAN, expected, 0.0),
        }
    }
    audit.finish("tokenfab eval --format csv owned-server-worked.json");
}

#[test]
fn sweep_of_the_electricity_price_moves_the_owned_cost_by_its_energy_alone() {
    // The owned server draws 3.53 kW on average at 30 % utilisation, 4.942 kW
    // at the facility (PUE 1.4). Everything but electricity costs $20.246147
    // an hour (worked_example.rs), so at $0, $0.0892 and $0.1784 per kWh the
    // fleet costs 20.246147 + 4.942 × price an hour: $20.246147, $20.686973
    // and $21.127799, × 730 = $14,779.69, $15,101.49 and $15,423.29 a month,
    // or per million of the 21.6 M tokens served an hour $0.937322,
    // $0.957730 and $0.978139.
    let output = tokenfab()
        .arg("sweep")
        .arg(scenario_file("owned-server-worked.json"))
        .args([
            "--parameter",
            "pricing.usd_per_kwh",
            "--values",
            "0,0.0892,0.1784",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (monthly, per_m) = (column("fleet_usd_per_month"), column("usd_per_m_output"));
    let rows: Vec<Vec<f64>> = lines
        .map(|l| {
            l.split(',')
                .map(|v| v.parse().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 3);
    let mut audit = crate::figures::Audit::default();
    for (row, (month, million)) in rows.iter().zip([
        (14_779.69, 0.937322),
        (15_101.49, 0.957730),
        (15_423.29, 0.978139),
    ]) {
        let at = format!("at ${}/kWh", row[0]);
        audit.compare(&format!("fleet $/month {at}"), row[monthly], month, 2e-6);
        audit.compare(&format!("$/M output {at}"), row[per_m], million, 2e-6);
    }
    audit.finish("tokenfab sweep pricing.usd_per_kwh");
}

#[test]
fn eval_of_a_deployment_with_a_bad_field_names_its_path() {
    let text = std::fs::read_to_string(scenario_file("llama-70b-support-chat.json"))
        .unwrap()
        .replace("\"pue\": 1.4", "\"pue\": \"high\"");
    let output = eval_stdin(text.as_bytes());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("pricing.pue"), "{stderr}");
}

#[test]
fn eval_prints_the_articles_meaningful_response_terms() {
    // Migrated: 180 generated tokens at the rental's cost per token (the
    // file's own token price belonged to the measured level), 150 guardrail
    // tokens at $0.000002, 60 J at 3 tokens/J.
    let report = eval_file("seed-meaningful-response.json");
    let r = &report["per_response"];
    let close = |v: &serde_json::Value, want: f64| (v.as_f64().unwrap() / want - 1.0).abs() < 1e-9;
    let per_token = 1.0 / report["costs"]["tokens_per_usd"].as_f64().unwrap();
    assert!(close(&r["cost_usd"]["generated"], 180.0 * per_token), "{r}");
    assert!(close(&r["cost_usd"]["pre_post"], 0.0003), "{r}");
    assert!(close(&r["joules_per_response"], 60.0), "{r}");
}

#[test]
fn eval_fills_a_use_case_from_its_preset() {
    let report = eval_file("rag-qa-preset.json");
    let p = &report["performance"];
    let ratio = p["input_tokens_per_s_per_replica"].as_f64().unwrap()
        / p["output_tokens_per_s_per_replica"].as_f64().unwrap();
    // rag-qa's 4,000 prompt tokens for 400 generated.
    assert!((ratio - 10.0).abs() < 1e-9, "{ratio}");
    // Its 1,500 pre/post tokens at the file's $0.02 per million.
    let pre_post = report["per_response"]["cost_usd"]["pre_post"]
        .as_f64()
        .unwrap();
    assert!((pre_post - 1_500.0 * 0.02e-6).abs() < 1e-15, "{pre_post}");
    // The file's 86,400 requests a day override the preset's.
    assert_eq!(report["fleet"]["average_requests_per_s"], 1.0);
}

#[test]
fn eval_names_an_unknown_use_case_preset_and_the_known_ones() {
    let text = std::fs::read_to_string(scenario_file("rag-qa-preset.json"))
        .unwrap()
        .replace("\"rag-qa\"", "\"rag-qb\"");
    let output = eval_stdin(text.as_bytes());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("use_case.preset: no use-case preset \"rag-qb\""),
        "{stderr}"
    );
    assert!(stderr.contains("support-chat"), "{stderr}");
}

#[test]
fn eval_as_csv_names_each_figure_by_its_path() {
    let output = tokenfab()
        .args(["eval", "--format", "csv"])
        .arg(scenario_file("llama-70b-support-chat.json"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("field,value\n"));
    let json = eval_file("llama-70b-support-chat.json");
    let tpot = json["performance"]["tpot_ms"].to_string();
    assert!(
        text.contains(&format!("report.performance.tpot_ms,{tpot}\n")),
        "{text}"
    );
    assert!(text.contains("headline.cost_per_response_usd,"));
}

/// `tokenfab sweep` of the support-chat deployment with `args`.
fn sweep(args: &[&str]) -> Output {
    tokenfab()
        .arg("sweep")
        .arg(scenario_file("llama-70b-support-chat.json"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn sweep_prints_a_row_per_value_and_the_cost_follows_the_price() {
    let output = sweep(&[
        "--parameter",
        "pricing.usd_per_gpu_hour",
        "--from",
        "1",
        "--to",
        "4",
        "--steps",
        "4",
        "--format",
        "csv",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "pricing.usd_per_gpu_hour");
    let monthly = header
        .iter()
        .position(|h| *h == "fleet_usd_per_month")
        .unwrap();
    let costs: Vec<f64> = lines
        .map(|l| l.split(',').nth(monthly).unwrap().parse().unwrap())
        .collect();
    assert_eq!(costs.len(), 4);
    // $1 to $4 an hour: four times the monthly cost, the fleet unchanged.
    assert!((costs[3] / costs[0] - 4.0).abs() < 1e-9, "{costs:?}");

    let json = sweep(&["--parameter", "pricing.pue", "--values", "1.1,0.5"]);
    assert!(json.status.success());
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(json["points"][0]["figures"]["tokens_per_joule"].is_number());
    // An out-of-range value fails its own point, naming the field.
    assert!(
        json["points"][1]["error"]
            .as_str()
            .unwrap()
            .starts_with("pricing.pue")
    );
}

#[test]
fn sweep_names_a_parameter_that_is_not_a_number() {
    let output = sweep(&["--parameter", "pricing.mode", "--values", "1"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--parameter: \"pricing.mode\""), "{stderr}");
    // Values and a range together are refused by the parser.
    let both = sweep(&[
        "--parameter",
        "pricing.pue",
        "--values",
        "1",
        "--from",
        "1",
        "--to",
        "2",
        "--steps",
        "2",
    ]);
    assert_eq!(both.status.code(), Some(2));
}

/// A fixture of the core's tests.
fn fixture(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures")
        .join(path)
}

/// `tokenfab calibrate --json` on the vLLM fixture and the power log
/// fixture `power_log`, with `more` arguments.
fn calibrate_json(power_log: &str, more: &[&str]) -> serde_json::Value {
    let mut args: Vec<std::ffi::OsString> = vec!["--power".into(), fixture(power_log).into()];
    args.extend(more.iter().map(Into::into));
    calibrated(&fixture("bench/vllm-serve.json"), &args)
}

/// `tokenfab calibrate --bench bench ... --json`, which must succeed.
fn calibrated(bench: &std::path::Path, args: &[std::ffi::OsString]) -> serde_json::Value {
    let output = tokenfab()
        .arg("calibrate")
        .arg("--bench")
        .arg(bench)
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn calibrate_reads_the_power_log_over_the_benchmarks_run_when_no_window_is_given() {
    // The log idles at 80 W a GPU before and after the run, which its
    // result dates to 10:11:40 to 10:15:00, and draws 595 and 605 W during it.
    let c = calibrate_json("power/nvidia-smi-around-a-run.csv", &[]);
    assert_eq!(c["observed"]["power"]["mean_w"], 1200.0);
    let notes = c["notes"].to_string();
    assert!(
        notes.contains("the benchmark's run, 100.0 to 300.0 s"),
        "{notes}"
    );
}

#[test]
fn calibrate_fits_a_benchmark_and_power_log_and_prints_measured_against_modeled() {
    let c = calibrate_json("power/nvidia-smi-2gpu-units.csv", &["--from", "1"]);
    // The fitted model reproduces the benchmark's 1,500 tokens/s.
    let throughput = &c["comparisons"][0];
    assert_eq!(throughput["measured"], 1500.0);
    let after = throughput["modeled_after"].as_f64().unwrap();
    assert!((after / 1500.0 - 1.0).abs() < 1e-3, "{after}");
    assert!(c["fitted"]["hardware"]["efficiency"].is_object());
    assert!(c["fitted"]["hardware"]["power"].is_object());
    // The fitted deployment evaluates as it is.
    let fitted = serde_json::to_string(&c["fitted"]).unwrap();
    assert!(
        tokenfab_core::deployment::Deployment::from_json(&fitted)
            .unwrap()
            .evaluate()
            .is_ok()
    );

    let text = tokenfab()
        .arg("calibrate")
        .arg("--bench")
        .arg(fixture("bench/vllm-serve.json"))
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("speed factor") && text.contains("model after"),
        "{text}"
    );
}

/// `tokenfab calibrate --json` of the vLLM fixture with its `model_id`
/// replaced by `model`, and `more` arguments.
fn calibrate_served(model: &str, more: &[&str]) -> serde_json::Value {
    let bench = std::fs::read_to_string(fixture("bench/vllm-serve.json"))
        .unwrap()
        .replace("meta-llama/Llama-3.1-70B-Instruct", model);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.json");
    std::fs::write(&path, bench).unwrap();
    calibrated(&path, &more.iter().map(Into::into).collect::<Vec<_>>())
}

#[test]
fn calibrate_fits_the_model_the_benchmark_names_and_says_so() {
    let c = calibrate_served("Qwen/Qwen3-8B", &[]);
    assert_eq!(c["fitted"]["model"]["catalogue"], "qwen3-8b");
    assert_eq!(c["fitted"]["model"]["weights"], "bf16");
    let notes = c["notes"].to_string();
    assert!(notes.contains("model Qwen3 8B in BF16"), "{notes}");
    assert!(notes.contains("model_id Qwen/Qwen3-8B"), "{notes}");

    // One the catalogue does not know: the example's model, and a note.
    let c = calibrate_served("acme/house-model-7b", &[]);
    assert_eq!(c["fitted"]["model"]["catalogue"], "llama-3.1-70b-instruct");
    let notes = c["notes"].to_string();
    assert!(
        notes.contains("acme/house-model-7b is not in the catalogue"),
        "{notes}"
    );
}

#[test]
fn calibrate_notes_a_benchmark_of_another_model_than_the_scenario() {
    let scenario = scenario_file("llama-70b-support-chat.json");
    let c = calibrate_served("Qwen/Qwen3-8B", &["--scenario", scenario.to_str().unwrap()]);
    assert_eq!(c["fitted"]["model"]["catalogue"], "llama-3.1-70b-instruct");
    let notes = c["notes"].to_string();
    assert!(
        notes.contains("the benchmark served Qwen/Qwen3-8B (Qwen3 8B), not the deployment's model"),
        "{notes}"
    );
    // The same model: nothing to note.
    let c = calibrate_served(
        "meta-llama/Llama-3.1-70B-Instruct",
        &["--scenario", scenario.to_str().unwrap()],
    );
    assert!(
        !c["notes"].to_string().contains("the benchmark served"),
        "{}",
        c["notes"]
    );
}

#[test]
fn calibrate_names_the_file_and_line_at_fault() {
    let output = tokenfab()
        .arg("calibrate")
        .arg("--bench")
        .arg(fixture("bench/vllm-serve.json"))
        .arg("--power")
        .arg(fixture("power/malformed.csv"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("malformed.csv: line 3: power:"), "{stderr}");
}
