//! The planner in real headless Chromium against the real binary: the page
//! hydrates, the browser's own copy of the core recomputes the figures as
//! the user edits each panel, the server's charts follow, a pasted model
//! config fills the dimensions, and saving reaches SQLite.
#![allow(clippy::unwrap_used)] // a panic is how a test reports failure

use end_to_end::{Browser, Server, http, workspace_root};

#[tokio::test]
async fn editing_each_panel_updates_the_figures_and_the_charts_follow() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    browser.open_all_sections().await;

    // Model: a smaller model decodes faster.
    let tpot = browser.text_of("tpot").await;
    browser.pick("model-name", "Llama 3.1 8B Instruct").await;
    browser.wait_for_change("tpot", &tpot).await;
    assert!(browser.number_in("tpot").await < tpot.parse::<f64>().unwrap());
    let params = browser.value_of("total-params").await;
    assert_eq!(params, "8", "the dimensions follow the pick");

    // Hardware: the fleet is made of whole replicas of the new size.
    let fleet = browser.text_of("fleet").await;
    browser.type_into("gpus-per-replica", "3").await;
    let fleet = browser.wait_for_change("fleet", &fleet).await;
    assert_eq!(fleet.parse::<u32>().unwrap() % 3, 0, "{fleet}");

    // Pricing: doubling the rental doubles the price of output tokens.
    let before = browser.number_in("usd-per-m-output").await;
    let text = browser.text_of("usd-per-m-output").await;
    let chart = chart_src(&browser, "months").await;
    browser.type_into("usd-per-gpu-hour", "5.88").await;
    browser.wait_for_change("usd-per-m-output", &text).await;
    // Typing passes through "5" and "5.8" on its way; wait for the last.
    let mut after = 0.0;
    for _ in 0..100 {
        after = browser.number_in("usd-per-m-output").await;
        if (after / before - 2.0).abs() < 0.02 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!((after / before - 2.0).abs() < 0.02, "{before} -> {after}");

    // Owning the hardware instead: the toggle switches to the kept on-prem prices.
    let monthly = browser.text_of("monthly-cost").await;
    browser.click("mode-on-prem").await;
    browser.wait_for_change("monthly-cost", &monthly).await;
    browser.wait_for_css("#capex").await;
    browser.click("mode-cloud").await;
    browser.wait_for_text("monthly-cost", &monthly).await;

    // One click compares the same deployment rented and owned.
    browser
        .wait_for_text_containing("cloud-vs-owned-verdict", "billed only for busy hours")
        .await;

    // Use case: a RAG preset has longer prompts, so a response costs more.
    let cost = browser.number_in("cost-per-response").await;
    let text = browser.text_of("cost-per-response").await;
    browser.pick("use-case-preset", "rag-qa").await;
    browser.wait_for_change("cost-per-response", &text).await;
    assert!(browser.number_in("cost-per-response").await > cost);
    // Editing one of the preset's figures makes the use case custom.
    browser.type_into("requests-per-day", "12345").await;
    let mut preset = String::new();
    for _ in 0..100 {
        preset = browser.value_of("use-case-preset").await;
        if preset.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(preset, "", "the preset picker shows Custom");

    // Measured values: a measured power replaces the modelled one.
    let text = browser.text_of("tokens-per-joule").await;
    browser.type_into("measured-watts", "20000").await;
    browser.wait_for_change("tokens-per-joule", &text).await;

    // The charts are redrawn for the new inputs once typing rests.
    wait_for_src_change(&browser, "months", &chart).await;
    wait_for_chart_loaded(&browser, "chart-months").await;

    browser.close().await;
}

#[tokio::test]
async fn a_bad_value_shows_its_error_and_keeps_the_last_good_figures() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;

    let cost = browser.text_of("cost-per-response").await;
    browser.type_into("tpot-target", "-3").await;
    browser
        .wait_for_text_containing("tpot-target-error", "must be greater than 0 ms")
        .await;
    browser
        .wait_for_text_containing("problem", "use_case.tpot_target_ms")
        .await;
    assert_eq!(browser.text_of("cost-per-response").await, cost);
    let save = browser.wait_for_css("#save").await;
    assert!(
        !save.is_enabled().await.unwrap(),
        "saving an invalid form is blocked"
    );

    // A deployment that cannot run is named too: 405 B on four H100s.
    browser.type_into("tpot-target", "50").await;
    browser.pick("model-name", "Llama 3.1 405B Instruct").await;
    browser
        .wait_for_text_containing("problem", "hardware.gpus_per_replica")
        .await;
    assert_eq!(browser.text_of("cost-per-response").await, cost);

    // Its weights are published in BF16: 810 GB, which sixteen hold.
    browser.type_into("gpus-per-replica", "16").await;
    let fixed = browser.wait_for_change("cost-per-response", &cost).await;
    assert_ne!(fixed, cost);
    assert_eq!(browser.text_of("tpot-target-error").await, "");

    browser.close().await;
}

#[tokio::test]
async fn pasting_a_hugging_face_config_fills_the_model() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    browser.open_all_sections().await;

    browser.type_into("hf-config", "{ not json").await;
    browser.click("hf-fill").await;
    browser
        .wait_for_text_containing("hf-status", "Not filled: not a JSON object")
        .await;

    let mixtral = r#"{"hidden_size": 4096, "intermediate_size": 14336,
        "max_position_embeddings": 32768, "num_attention_heads": 32,
        "num_experts_per_tok": 2, "num_hidden_layers": 32,
        "num_key_value_heads": 8, "num_local_experts": 8, "vocab_size": 32000}"#;
    browser.type_into("hf-config", mixtral).await;
    browser.click("hf-fill").await;
    browser
        .wait_for_text_containing("hf-status", "46.7 B parameters (12.9 B active)")
        .await;
    browser
        .wait_for_text_containing("model-panel", "custom")
        .await;
    let experts = browser.value_of("experts").await;
    assert_eq!(experts, "8");

    browser.close().await;
}

#[tokio::test]
async fn a_saved_scenario_opens_from_its_link_elsewhere_and_copies_into_the_editor() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;

    // A quiet service: one replica mostly idle, so a response costs more.
    let default_cost = browser.text_of("cost-per-response").await;
    browser.type_into("requests-per-day", "50000").await;
    let cost = browser
        .wait_for_change("cost-per-response", &default_cost)
        .await;
    browser.click("save").await;
    let link = browser.wait_for_css("#share-link").await;
    let path = link.attr("href").await.unwrap().unwrap();
    let id = path.trim_start_matches("/s/");
    assert_eq!(id.len(), 32, "{path}");
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{path}");
    browser.close().await;

    // Someone else opens the link: a fresh browser with nothing stored.
    let other = Browser::start().await;
    other.open_hydrated(&format!("{}{path}", server.url)).await;
    other.wait_for_text("cost-per-response", &cost).await;
    other.click("make-copy").await;
    other
        .wait_for_css("main[data-hydrated='true'] #copied-from")
        .await;
    let demand = other.value_of("requests-per-day").await;
    assert_eq!(demand, "50000");
    other.wait_for_text("cost-per-response", &cost).await;
    // The copy is live: edits recompute in this browser.
    other.type_into("requests-per-day", "2000000").await;
    other.wait_for_change("cost-per-response", &cost).await;
    other.close().await;
}

#[tokio::test]
async fn my_scenarios_lists_what_this_browser_saved_and_renames_and_deletes_it() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;

    let path = save_as(&browser, "Support bot, Q3", None).await;
    let id = path.trim_start_matches("/s/").to_owned();
    browser
        .wait_for_text_containing("my-scenarios", "Support bot, Q3")
        .await;

    // The list outlives the page: it is in this browser's storage.
    browser.open_hydrated(&server.url).await;
    browser
        .wait_for_text_containing("my-scenarios", "Support bot, Q3")
        .await;

    browser
        .type_into(&format!("rename-{id}"), "Support bot, Q4")
        .await;
    browser
        .client
        .find(fantoccini::Locator::XPath(
            "//section[@id='my-scenarios']//button[.='Rename']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait_for_text_containing("mine-status", "Renamed")
        .await;
    // The share link shows the new name.
    browser
        .open_hydrated(&format!("{}{path}", server.url))
        .await;
    browser
        .wait_for_text("scenario-name", "Support bot, Q4")
        .await;
    browser.open_hydrated(&server.url).await;

    browser
        .client
        .find(fantoccini::Locator::XPath(
            "//section[@id='my-scenarios']//button[.='Delete']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait_for_text_containing("mine-status", "Deleted")
        .await;
    browser.wait_for_css("#my-scenarios[hidden]").await;
    browser.close().await;
}

#[tokio::test]
async fn importing_json_fills_the_form_or_names_the_bad_field() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    browser.open_all_sections().await;
    let scenario = std::fs::read_to_string(
        workspace_root().join("tests/scenarios/llama-70b-support-chat.json"),
    )
    .unwrap();

    let bad = scenario.replace("\"pue\": 1.4", "\"pue\": 0.5");
    browser.type_into("import-json", &bad).await;
    browser.click("import-button").await;
    browser
        .wait_for_text_containing("import-status", "Not imported: pricing.pue")
        .await;

    // Of the wrong shape: the page's reader does not track paths, so the
    // server names the field.
    let wrong_type = scenario.replace("\"gpus_per_replica\": 4", "\"gpus_per_replica\": \"four\"");
    browser.type_into("import-json", &wrong_type).await;
    browser.click("import-button").await;
    browser
        .wait_for_text_containing("import-status", "Not imported: hardware.gpus_per_replica")
        .await;

    let good = scenario.replace("\"gpus_per_replica\": 4", "\"gpus_per_replica\": 8");
    let tpot = browser.text_of("tpot").await;
    browser.type_into("import-json", &good).await;
    browser.click("import-button").await;
    browser
        .wait_for_text_containing("import-status", "Imported")
        .await;
    let value = browser.value_of("gpus-per-replica").await;
    assert_eq!(value, "8");
    // Twice the tensor parallelism: a faster step.
    browser.wait_for_change("tpot", &tpot).await;
    assert!(browser.number_in("tpot").await < tpot.parse::<f64>().unwrap());
    browser.close().await;
}

#[tokio::test]
async fn two_saved_scenarios_compare_side_by_side_against_a_chosen_baseline() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;

    let first = save_as(&browser, "rented at 2.94", None).await;
    browser.type_into("usd-per-gpu-hour", "5.88").await;
    let second = save_as(&browser, "rented at 5.88", Some(&first)).await;

    // Tick both in "My scenarios", oldest first as the baseline.
    for path in [&first, &second] {
        let id = path.trim_start_matches("/s/");
        browser.click(&format!("compare-{id}")).await;
    }
    browser.click("compare-selected").await;
    browser
        .wait_for_css("main[data-hydrated='true'] #compare-figures")
        .await;
    // Monthly cost (the last row): twice the rental, twice the cost.
    browser
        .wait_for_text_containing("figure-9-1", "(×2.00)")
        .await;
    browser
        .wait_for_text_containing("figure-9-0", "baseline")
        .await;

    // The other as baseline: the ratio turns over, worked out in the browser.
    browser.click("baseline-1").await;
    browser
        .wait_for_text_containing("figure-9-0", "(×0.500)")
        .await;
    // The overlaid charts draw.
    wait_for_chart_loaded(&browser, "compare-chart-months").await;
    browser.close().await;
}

#[tokio::test]
async fn the_current_unsaved_scenario_compares_with_a_saved_one() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    let link = save_as(&browser, "rented at 2.94", None).await;
    // Change the rental and do not save: the comparison takes it as it is.
    browser.type_into("usd-per-gpu-hour", "5.88").await;
    let id = link.trim_start_matches("/s/");
    for tick in [format!("compare-{id}"), "compare-current".to_owned()] {
        browser.click(&tick).await;
    }
    browser.click("compare-selected").await;
    browser
        .wait_for_css("main[data-hydrated='true'] #compare-figures")
        .await;
    // The unsaved scenario is the baseline; the saved one costs half.
    browser
        .wait_for_text_containing("figure-9-0", "baseline")
        .await;
    browser
        .wait_for_text_containing("figure-9-1", "(×0.500)")
        .await;
    wait_for_chart_loaded(&browser, "compare-chart-months").await;
    browser.close().await;
}

#[tokio::test]
async fn measurements_chosen_from_disk_fit_the_model_and_apply_to_the_form() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    browser.open_all_sections().await;
    let fixtures = workspace_root().join("core/tests/fixtures");
    for (id, file) in [
        ("bench-file", "bench/vllm-serve.json"),
        ("power-file", "power/nvidia-smi-2gpu-units.csv"),
    ] {
        let path = fixtures.join(file);
        browser
            .wait_for_css(&format!("#{id}"))
            .await
            .send_keys(path.to_str().unwrap())
            .await
            .unwrap();
    }
    // A window that is not a number of seconds is named, and nothing is sent.
    browser.type_into("window-from", "ten").await;
    browser.click("calibrate-button").await;
    browser
        .wait_for_text_containing("calibrate-error", "Window from")
        .await;
    browser.type_into("window-from", "1").await;
    // The button wakes once the benchmark's text has been read.
    browser.click("calibrate-button").await;
    // The benchmark's 1,500 tokens/s, measured against modeled.
    browser
        .wait_for_text_containing("calibration-table", "1500")
        .await;
    browser
        .wait_for_text_containing("calibration-factors", "Speed")
        .await;
    wait_for_chart_loaded(&browser, "power-trace").await;

    // The fitted stack is slower than the calibrated one: TPOT grows.
    let tpot = browser.text_of("tpot").await;
    browser.click("apply-calibration").await;
    browser.wait_for_change("tpot", &tpot).await;
    assert!(browser.number_in("tpot").await > tpot.parse::<f64>().unwrap());
    browser
        .wait_for_text_containing("calibrated", "fitted to your measurements")
        .await;
    browser.close().await;
}

#[tokio::test]
async fn measurements_dropped_or_pasted_land_in_their_slots_and_fit() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    browser.open_all_sections().await;
    let fixtures = workspace_root().join("core/tests/fixtures");
    let read = |file: &str| std::fs::read_to_string(fixtures.join(file)).unwrap();

    // Both files in one drop, the power log first: each is told by its content.
    let names = ["gpus.csv", "run.json"];
    let texts = [
        read("power/nvidia-smi-2gpu-units.csv"),
        read("bench/vllm-serve.json"),
    ];
    browser
        .client
        .execute(
            "const dt = new DataTransfer();
             arguments[0].forEach((name, i) => dt.items.add(new File([arguments[1][i]], name)));
             document.getElementById('measurements-drop').dispatchEvent(
                 new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));",
            vec![names.into(), texts.into()],
        )
        .await
        .unwrap();
    browser
        .wait_for_text_containing("measurements-chosen", "Benchmark: run.json")
        .await;
    browser
        .wait_for_text_containing("measurements-chosen", "Power log: gpus.csv")
        .await;

    // A benchmark pasted as text replaces the dropped one.
    browser
        .client
        .execute(
            "const dt = new DataTransfer();
             dt.setData('text/plain', arguments[0]);
             document.getElementById('measurements-drop').dispatchEvent(
                 new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));",
            vec![read("bench/sglang-bench.jsonl").into()],
        )
        .await
        .unwrap();
    browser
        .wait_for_text_containing("measurements-chosen", "Benchmark: pasted text")
        .await;
    browser.click("calibrate-button").await;
    browser
        .wait_for_text_containing("calibration-factors", "prefill")
        .await;
    // The files' own figures: energy per token from the log's mean draw.
    browser
        .wait_for_text_containing("measured-figures", "J per output token")
        .await;
    wait_for_chart_loaded(&browser, "power-trace").await;
    browser.close().await;
}

#[tokio::test]
async fn every_page_passes_an_accessibility_audit() {
    let axe_path = workspace_root().join("tests/a11y/node_modules/axe-core/axe.min.js");
    let axe = std::fs::read_to_string(&axe_path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run scripts/setup.sh --browser)",
            axe_path.display()
        )
    });
    let server = Server::start();
    // Two saved scenarios, for the share and compare pages.
    let scenario = std::fs::read_to_string(
        workspace_root().join("tests/scenarios/llama-70b-support-chat.json"),
    )
    .unwrap();
    let mut ids = Vec::new();
    for name in ["first", "second"] {
        let body = format!(r#"{{"name": "{name}", "scenario": {scenario}}}"#);
        let (status, answer) =
            http(server.addr(), "POST", "/api/v1/scenarios", Some(&body)).unwrap();
        assert_eq!(status, 201, "{answer}");
        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        ids.push(answer["id"].as_str().unwrap().to_owned());
    }
    let browser = Browser::start().await;
    for path in [
        "/".to_owned(),
        format!("/s/{}", ids[0]),
        format!("/compare?ids={},{}", ids[0], ids[1]),
    ] {
        browser
            .open_hydrated(&format!("{}{path}", server.url))
            .await;
        // Everything a keyboard user can reach, collapsed sections included.
        browser.open_all_sections().await;
        let script = format!(
            "{axe}
             return axe.run(document, {{ resultTypes: ['violations'] }}).then(result => ({{
                 rules_passed: result.passes.length,
                 violations: result.violations
                     .filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => `${{v.impact}} ${{v.id}}: ${{v.help}} at ${{v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}}`),
             }}));"
        );
        let audit = browser.client.execute(&script, vec![]).await.unwrap();
        // The audit really ran: dozens of rules check out on a page this size.
        assert!(
            audit["rules_passed"].as_u64().unwrap() > 20,
            "{path}: {audit}"
        );
        let violations: Vec<String> = serde_json::from_value(audit["violations"].clone()).unwrap();
        assert!(violations.is_empty(), "{path}: {violations:#?}");
    }
    browser.close().await;
}

async fn chart_src(browser: &Browser, kind: &str) -> String {
    browser
        .wait_for_css(&format!("#chart-{kind}"))
        .await
        .attr("src")
        .await
        .unwrap()
        .unwrap_or_default()
}

async fn wait_for_src_change(browser: &Browser, kind: &str, old: &str) {
    for _ in 0..200 {
        if chart_src(browser, kind).await != old {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the {kind} chart was not redrawn");
}

/// Waits until the chart image has loaded and decoded to a real size.
/// Saves what the planner shows under `name` and returns the new share
/// link's path, once it differs from `previous` (an earlier save's).
async fn save_as(browser: &Browser, name: &str, previous: Option<&str>) -> String {
    browser.type_into("scenario-name-input", name).await;
    browser.click("save").await;
    for _ in 0..200 {
        let link = browser
            .wait_for_css("#share-link")
            .await
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        if Some(link.as_str()) != previous {
            return link;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("saving {name:?} showed no new share link");
}

async fn wait_for_chart_loaded(browser: &Browser, element_id: &str) {
    let loaded = browser
        .client
        .execute(
            "const img = document.getElementById(arguments[0]);
             return new Promise(done => {
                 const check = () => img.complete && img.naturalWidth > 0
                     ? done(img.naturalWidth) : setTimeout(check, 20);
                 check();
             });",
            vec![element_id.into()],
        )
        .await
        .unwrap();
    assert_eq!(
        loaded.as_u64(),
        Some(640),
        "the chart decodes at its drawn size"
    );
}
