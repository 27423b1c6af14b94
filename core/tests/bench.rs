//! Serving benchmark results as vLLM and SGLang write them.
#![allow(clippy::unwrap_used)] // a panic is how a test reports failure

use approx::assert_relative_eq;
use tokenfab_core::observed::bench::read;

const VLLM: &str = include_str!("fixtures/bench/vllm-serve.json");
const SGLANG: &str = include_str!("fixtures/bench/sglang-bench.jsonl");

#[test]
fn a_vllm_result_gives_token_rates_lengths_and_latency_percentiles() {
    let b = read(VLLM).unwrap();
    // Written at 2025-11-04 10:15:00 after a 200 s run.
    let run = b.run_span().unwrap();
    assert_eq!(run.end_ms, 1_762_251_300_000);
    assert_eq!(run.end_ms - run.start_ms, 200_000);
    assert_eq!(b.tool, "vllm");
    assert_eq!(
        b.model.as_deref(),
        Some("meta-llama/Llama-3.1-70B-Instruct")
    );
    // 1,000,000 prompt tokens in 200 s; vLLM writes no input rate.
    assert_relative_eq!(b.input_tokens_per_s, 5_000.0);
    assert_relative_eq!(b.output_tokens_per_s, 1_500.0);
    assert_relative_eq!(b.mean_input_tokens, 1_000.0);
    assert_relative_eq!(b.mean_output_tokens, 300.0);
    assert_eq!(b.max_concurrency, Some(64.0));
    assert_eq!(b.tpot.percentiles_ms.get("p99"), Some(&47.5));
    assert_eq!(b.ttft.median_ms, Some(150.2));
    // No latencies kept: no estimate of the requests in flight.
    assert_eq!(b.mean_concurrency, None);
    // With them, Little's law: 5 requests/s for 12 s each is 60 in flight.
    let with = VLLM.replace(
        "\"input_lens\"",
        "\"latencies\": [11.0, 13.0], \"input_lens\"",
    );
    assert_relative_eq!(read(&with).unwrap().mean_concurrency.unwrap(), 60.0);
}

#[test]
fn a_refactored_sglang_spelling_of_the_totals_is_read() {
    let b = read(r#"{"duration": 10, "completed": 5, "total_input": 5000, "total_output": 1000, "total_output_retokenized": 990}"#).unwrap();
    assert_eq!(b.tool, "sglang");
    assert_relative_eq!(b.output_tokens_per_s, 100.0);
}

#[test]
fn sglang_json_lines_give_the_last_run_with_its_measured_concurrency() {
    let b = read(SGLANG).unwrap();
    assert_eq!(b.tool, "sglang");
    assert_relative_eq!(b.input_tokens_per_s, 10_000.0);
    assert_eq!(b.mean_concurrency, Some(60.1));
    assert_eq!(b.e2e.mean_ms, Some(12_000.0));
    assert_eq!(b.itl.percentiles_ms.get("p95"), Some(&62.0));
}

#[test]
fn python_infinity_in_a_result_reads_as_no_value() {
    // SGLang writes an unlimited request rate as a bare Infinity.
    let first = SGLANG.lines().next().unwrap();
    let b = read(first).unwrap();
    assert_relative_eq!(b.output_tokens_per_s, 833.3);
    // But not inside a string.
    let named = first.replace("\"random\"", "\"Infinity\"");
    assert!(read(&named).is_ok());
}

#[test]
fn what_is_missing_or_wrong_is_named() {
    let e = read("{\"duration\": 10, \"completed\": 5}").unwrap_err();
    assert!(
        e.to_string().starts_with("total_input_tokens: missing"),
        "{e}"
    );
    let e = read(&VLLM.replace("\"duration\": 200.0", "\"duration\": \"long\"")).unwrap_err();
    assert!(
        e.to_string().starts_with("duration: must be a number"),
        "{e}"
    );
    let e = read(&VLLM.replace("\"output_throughput\": 1500.0", "\"output_throughput\": 0"))
        .unwrap_err();
    assert!(e.to_string().contains("output_throughput"), "{e}");
    let e = read(&VLLM.replace("\"completed\": 1000", "\"completed\": 0")).unwrap_err();
    assert!(e.to_string().contains("no request finished"), "{e}");
    let e = read("{\n\"duration\": 1,\n oops\n}").unwrap_err();
    assert_eq!(e.line, Some(3));
    let e = read("[1, 2]").unwrap_err();
    assert!(e.to_string().contains("JSON object"), "{e}");
}
