//! The planner in real headless Chromium against the real binary: the page
//! hydrates, the browser's own copy of the core recomputes the figures as
//! the user edits each panel, the server's charts follow, a pasted model
//! config fills the dimensions, and what the page says it saved, renamed or
//! deleted is confirmed on the server.
//!
//! Figures are checked against values worked out by hand from the inputs
//! (an owned server whose throughput and power were measured), to the
//! digits the page shows; where the model's predictions put a figure out of
//! reach by hand, by the direction or ratio an edit must move it, or by
//! what must stay as it was.
#![allow(clippy::unwrap_used)] // a panic is how a test reports failure

use std::time::{Duration, Instant};

use end_to_end::{Browser, PATIENCE, Server, figure, http, workspace_root};

/// The worked example: one 8-GPU server, owned, measured at 20,000 output
/// tokens/s drawing 7,100 W at the server, 30 % utilised (518,400 requests
/// a day of 1,000 output tokens is 6 a second against the 20 it serves),
/// no prompt tokens, so every cost falls on output tokens. By hand:
///
/// - Owned, an hour: capital $300,000 × 0.30192 (8 % a year over 4 years)
///   ÷ 8,760 h = 10.3398; upkeep 300,000 × 8 % ÷ 8,760 = 2.7397; hosting
///   $150 × 7.1 kW ÷ 730 h = 1.4589; staff 50,000 ÷ 8,760 = 5.7078;
///   electricity for the average draw (GPUs between 62.5 W idle and 700 W
///   at load, 30 % busy, and the host's 1,500 W), 8 × (62.5 + 637.5 × 0.3)
///   plus 1,500 = 3,530 W, × 1.4 × $0.0892/kWh = 0.4408. In all $20.6870 an
///   hour, $2.5859 per GPU-hour, × 730 = $15,101 a month, 70 % of it
///   ($10,571) for idle time.
/// - Output tokens at 30 %: 20,000 × 3,600 × 0.3 = 21.6 M an hour, so
///   20.6870 ÷ 21.6 = $0.9577 per million, $0.000958 per response of
///   1,000, and 1 M ÷ 0.9577 = 1.04 M tokens per dollar.
/// - Energy at load: 20,000 ÷ 7,100 = 2.82 tokens/J at the server (10.1 M
///   tokens/kWh), (7,100 − 1,500) ÷ 8 = 700 W per GPU; at the facility
///   7,100 × 1.4 ÷ 20,000 = 0.497 J a token, so 497 J (0.138 Wh, and at
///   380 g/kWh 0.0525 g CO2e) a response. At 30 %, the average facility
///   draw, 3,530 W × 1.4 = 4,942 W, over 6,000 tokens/s is 0.824 J a token.
/// - Rented at $2.94: 8 × 2.94 = $23.52 an hour, ÷ 21.6 = $1.09 per
///   million, × 730 = $17,170 a month. Owning costs 10.3472 an hour to run
///   (all but capital), so the $300,000 pays back after
///   300,000 ÷ ((23.52 − 10.3472) × 730) = 31.2 months in cash; with the
///   savings discounted at 8 % a year (0.643403 % a month),
///   −ln(1 − 300,000 × 0.00643403 ÷ 9,616.13) ÷ ln(1.00643403) = 34.9.
const WORKED: &str = "tests/scenarios/owned-server-worked.json";

#[tokio::test]
async fn the_worked_owned_server_shows_the_figures_worked_by_hand() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    import_worked(&browser).await;

    for (id, shown) in [
        ("usd-per-m-output", "$0.958"),
        ("cost-per-response", "$0.000958"),
        ("usd-per-m-input", "$0.00"),
        ("tokens-per-usd", "1.04 M"),
        ("monthly-cost", "$15,101"),
        ("fleet", "8"),
        ("tokens-per-joule", "2.82"),
        ("wh-per-response", "0.138"),
        ("co2-per-response", "0.0525"),
    ] {
        browser.wait_for_text(id, shown).await;
    }
    for (id, explained) in [
        ("tokens-per-joule", "10.1 M tokens/kWh"),
        ("tokens-per-joule", "700 W per GPU at load (measured)"),
        ("tokens-per-joule", "0.497 J"),
        ("tokens-per-joule", "0.824 J"),
        ("wh-per-response", "497 J per response"),
        ("monthly-cost", "$10,571 of it pays for idle capacity"),
        ("monthly-cost", "owned $2.59 vs rented $2.94 per GPU-hour"),
    ] {
        browser
            .wait_for_text_at_containing(&explanation(id), explained)
            .await;
    }
    // The same server priced both ways, side by side.
    for (row, rented, owned) in [
        ("Per GPU-hour", "$2.94", "$2.59"),
        ("Per million output tokens", "$1.09", "$0.958"),
        ("Fleet per month", "$17,170", "$15,101"),
    ] {
        browser
            .wait_for_text_at(&cloud_vs_owned(row, 1), rented)
            .await;
        browser
            .wait_for_text_at(&cloud_vs_owned(row, 2), owned)
            .await;
    }
    browser
        .wait_for_text_containing(
            "cloud-vs-owned-verdict",
            "Owning pays back its purchase after 31.2 months in cash, 34.9 discounted at 8 % a year.",
        )
        .await;

    // Rented instead: the same tokens at $23.52 an hour; the energy stays.
    browser.click("mode-cloud").await;
    for (id, shown) in [
        ("usd-per-m-output", "$1.09"),
        ("cost-per-response", "$0.00109"),
        ("monthly-cost", "$17,170"),
        ("tokens-per-usd", "918 k"),
        ("tokens-per-joule", "2.82"),
        ("wh-per-response", "0.138"),
    ] {
        browser.wait_for_text(id, shown).await;
    }

    // Twice the rental: $47.04 an hour, twice the price of every token and
    // of the month, half the tokens per dollar, the same energy; and buying
    // pays back sooner, after 300,000 ÷ ((47.04 − 10.3472) × 730) = 11.2 months
    // in cash, −ln(1 − 300,000 × 0.00643403 ÷ 26,785.74) ÷ ln(1.00643403) =
    // 11.7 discounted.
    browser.type_into("usd-per-gpu-hour", "5.88").await;
    for (id, shown) in [
        ("usd-per-m-output", "$2.18"),
        ("cost-per-response", "$0.00218"),
        ("monthly-cost", "$34,339"),
        ("tokens-per-usd", "459 k"),
        ("tokens-per-joule", "2.82"),
        ("wh-per-response", "0.138"),
    ] {
        browser.wait_for_text(id, shown).await;
    }
    browser
        .wait_for_text_at(&cloud_vs_owned("Per GPU-hour", 1), "$5.88")
        .await;
    browser
        .wait_for_text_at(&cloud_vs_owned("Per GPU-hour", 2), "$2.59")
        .await;
    browser
        .wait_for_text_containing(
            "cloud-vs-owned-verdict",
            "after 11.2 months in cash, 11.7 discounted at 8 % a year.",
        )
        .await;

    // Owned again: the rental plays no part in what owning costs.
    browser.click("mode-on-prem").await;
    browser.wait_for_text("usd-per-m-output", "$0.958").await;
    browser.wait_for_text("monthly-cost", "$15,101").await;
    browser.close().await;
}

/// Saving the worked server stores what the page showed: the server reads
/// it back with its name, inputs and figures, its share link shows someone
/// else the same figures, and a copy recomputes in that browser. Twice the
/// demand, 1,036,800 requests a day, keeps the server 60 % busy:
/// electricity for 8 × (62.5 + 637.5 × 0.6) plus 1,500 = 5,060 W, × 1.4 ×
/// $0.0892/kWh = 0.6319 an hour, $20.8780 in all; ÷ (20,000 × 3,600 × 0.6
/// = 43.2 M tokens an hour) = $0.483 per million, and × 730 = $15,241 a
/// month. Energy at load does not depend on demand: still 2.82 tokens/J.
#[tokio::test]
async fn a_saved_scenario_reads_back_from_the_server_opens_from_its_link_and_copies() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    import_worked(&browser).await;
    browser.wait_for_text("usd-per-m-output", "$0.958").await;
    let path = save_as(&browser, "Owned server, worked", None).await;
    let id = scenario_id(&path);
    assert_eq!(id.len(), 32, "{path}");
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{path}");
    browser.close().await;

    // The server holds what the page saved, and prices it the same way.
    let saved = server
        .saved_scenario(&id)
        .expect("the page said it saved; the server must have it");
    assert_eq!(saved["name"], "Owned server, worked");
    let inputs = &saved["scenario"];
    assert_eq!(inputs["pricing"]["mode"], "on_prem", "{inputs}");
    assert_eq!(
        inputs["measured"]["output_tokens_per_s"], 20_000.0,
        "{inputs}"
    );
    assert_eq!(inputs["measured"]["watts"], 7_100.0, "{inputs}");
    assert_eq!(
        inputs["use_case"]["requests_per_day"], 518_400.0,
        "{inputs}"
    );
    let per_m = saved["report"]["costs"]["at_utilisation"]["usd_per_m_output"]
        .as_f64()
        .unwrap_or_else(|| panic!("no $/M output in {saved}"));
    assert!((per_m - 0.9577).abs() < 1e-4, "{per_m}");

    // Someone else opens the link: a fresh browser with nothing stored.
    let other = Browser::start().await;
    other.open_hydrated(&format!("{}{path}", server.url)).await;
    other
        .wait_for_text("scenario-name", "Owned server, worked")
        .await;
    for (id, shown) in [
        ("usd-per-m-output", "$0.958"),
        ("cost-per-response", "$0.000958"),
        ("monthly-cost", "$15,101"),
        ("tokens-per-joule", "2.82"),
    ] {
        other.wait_for_text(id, shown).await;
    }
    other.click("make-copy").await;
    other
        .wait_for_css("main[data-hydrated='true'] #copied-from")
        .await;
    assert_eq!(other.value_of("requests-per-day").await, "518400");
    assert_eq!(other.value_of("measured-output").await, "20000");
    other.wait_for_text("usd-per-m-output", "$0.958").await;
    // The copy is live: edits recompute in this browser.
    other.type_into("requests-per-day", "1036800").await;
    for (id, shown) in [
        ("usd-per-m-output", "$0.483"),
        ("cost-per-response", "$0.000483"),
        ("monthly-cost", "$15,241"),
        ("tokens-per-joule", "2.82"),
    ] {
        other.wait_for_text(id, shown).await;
    }
    other.close().await;
}

/// Each panel's edit moves the figures of the built-in example the way it
/// must. Its throughput and power are the model's predictions, not worked
/// by hand, so what is checked is a direction, a ratio, what the inputs
/// alone fix, or what must stay as it was.
#[tokio::test]
async fn editing_each_panel_moves_the_figures_as_it_must_and_the_charts_follow() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    browser.open_all_sections().await;

    // Model: a smaller model decodes faster.
    let tpot = browser.number_in("tpot").await;
    browser.pick("model-name", "Llama 3.1 8B Instruct").await;
    browser
        .wait_for_number("tpot", &format!("less than {tpot} ms"), |t| t < tpot)
        .await;
    let params = browser.value_of("total-params").await;
    assert_eq!(params, "8", "the dimensions follow the pick");

    // Hardware: the fleet is made of whole replicas of the new size.
    browser.type_into("gpus-per-replica", "3").await;
    let gpus = wait_for_replicas_of(&browser, 3).await;

    // Pricing: twice the rental, twice the price of every token; the
    // energy a token takes does not move.
    let per_m_output = browser.number_in("usd-per-m-output").await;
    let per_m_input = browser.number_in("usd-per-m-input").await;
    let tokens_per_joule = browser.text_of("tokens-per-joule").await;
    browser.type_into("usd-per-gpu-hour", "5.88").await;
    // Rented, a month is the GPUs × $5.88 × 730 hours.
    browser
        .wait_for_text(
            "monthly-cost",
            &whole_dollars(f64::from(gpus) * 5.88 * 730.0),
        )
        .await;
    // Each shown to three significant digits: twice, within 1.1 %.
    for (id, before) in [
        ("usd-per-m-output", per_m_output),
        ("usd-per-m-input", per_m_input),
    ] {
        browser
            .wait_for_number(id, &format!("twice {before}"), |now| {
                (now / before / 2.0 - 1.0).abs() < 0.011
            })
            .await;
    }
    assert_eq!(browser.text_of("tokens-per-joule").await, tokens_per_joule);

    // Owning the hardware instead: the toggle switches to the kept on-prem
    // prices, the month is what the comparison gives for owning, and the
    // way back restores the rented figure.
    let rented = browser.text_of("monthly-cost").await;
    browser.click("mode-on-prem").await;
    browser.wait_for_css("#capex").await;
    browser
        .wait_for_text_at_containing(&explanation("tokens-per-usd"), "(owned, all costs)")
        .await;
    browser
        .wait_for_text_at(&cloud_vs_owned("Fleet per month", 1), &rented)
        .await;
    let owned = browser.text_at(&cloud_vs_owned("Fleet per month", 2)).await;
    assert!(figure(&owned).is_some(), "owned per month: {owned:?}");
    browser.wait_for_text("monthly-cost", &owned).await;
    browser.click("mode-cloud").await;
    browser.wait_for_text("monthly-cost", &rented).await;
    browser
        .wait_for_text_at(&cloud_vs_owned("Per GPU-hour", 1), "$5.88")
        .await;

    // Use case: a RAG preset has longer prompts, so a response costs more.
    let cost = browser.number_in("cost-per-response").await;
    browser.pick("use-case-preset", "rag-qa").await;
    browser
        .wait_for_number("cost-per-response", &format!("more than {cost}"), |c| {
            c > cost
        })
        .await;
    // Editing one of the preset's figures makes the use case custom.
    browser.type_into("requests-per-day", "12345").await;
    let start = Instant::now();
    while !browser.value_of("use-case-preset").await.is_empty() {
        assert!(
            start.elapsed() < PATIENCE,
            "the preset picker never showed Custom"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }

    // Measured values: 20,000 W measured at the GPUs of a 3-GPU replica is
    // 6,667 W each, far above the model's, so fewer tokens per joule; the
    // rented price of a token does not depend on power.
    let tokens_per_joule = browser.number_in("tokens-per-joule").await;
    let per_m_output = browser.text_of("usd-per-m-output").await;
    browser.pick("measured-scope", "0").await;
    browser.type_into("measured-watts", "20000").await;
    browser
        .wait_for_text_at_containing(
            &explanation("tokens-per-joule"),
            "6670 W per GPU at load (measured)",
        )
        .await;
    browser
        .wait_for_number(
            "tokens-per-joule",
            &format!("less than {tokens_per_joule}"),
            |t| t < tokens_per_joule,
        )
        .await;
    assert_eq!(browser.text_of("usd-per-m-output").await, per_m_output);

    // The charts are redrawn for the inputs as they now are, once typing rests.
    wait_for_chart_of(&browser, "months", |d| {
        d["measured"]["watts"] == 20_000.0 && d["pricing"]["usd_per_gpu_hour"] == 5.88
    })
    .await;
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

    // Its weights are published in BF16: 810 GB, which sixteen hold. Eleven
    // times the 70 B model's bytes in FP8, on four times the GPUs: a
    // response costs more.
    let cost_70b = figure(&cost).unwrap();
    browser.type_into("gpus-per-replica", "16").await;
    browser.wait_for_css("#problem[hidden]").await;
    browser
        .wait_for_number(
            "cost-per-response",
            &format!("more than the 70 B model's {cost}"),
            |c| c > cost_70b,
        )
        .await;
    assert_eq!(browser.text_of("tpot-target-error").await, "");
    assert!(
        browser
            .wait_for_css("#save")
            .await
            .is_enabled()
            .await
            .unwrap(),
        "a valid form saves again"
    );

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

/// "My scenarios" lists what this browser saved; the save, the rename and
/// the delete it reports are each confirmed on the server.
#[tokio::test]
async fn my_scenarios_lists_what_this_browser_saved_and_renames_and_deletes_it() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;

    browser.type_into("requests-per-day", "250000").await;
    let path = save_as(&browser, "Support bot, Q3", None).await;
    let id = scenario_id(&path);
    let saved = server
        .saved_scenario(&id)
        .expect("the page said it saved; the server must have it");
    assert_eq!(saved["name"], "Support bot, Q3");
    assert_eq!(
        saved["scenario"]["use_case"]["requests_per_day"], 250_000.0,
        "{saved}"
    );
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
    click_in_my_scenarios(&browser, "Rename").await;
    browser
        .wait_for_text("mine-status", "Renamed to \u{201c}Support bot, Q4\u{201d}.")
        .await;
    let renamed = server
        .saved_scenario(&id)
        .expect("a renamed scenario stays on the server");
    assert_eq!(renamed["name"], "Support bot, Q4");
    // The share link shows the new name.
    browser
        .open_hydrated(&format!("{}{path}", server.url))
        .await;
    browser
        .wait_for_text("scenario-name", "Support bot, Q4")
        .await;
    browser.open_hydrated(&server.url).await;

    click_in_my_scenarios(&browser, "Delete").await;
    browser.wait_for_text("mine-status", "Deleted.").await;
    browser.wait_for_css("#my-scenarios[hidden]").await;
    assert!(
        server.saved_scenario(&id).is_none(),
        "the page said it deleted {id}, but the server still has it"
    );
    let (status, _) = http(server.addr(), "GET", &path, None).unwrap();
    assert_eq!(
        status, 404,
        "the share link of a deleted scenario still opens"
    );
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
    let tpot = browser.number_in("tpot").await;
    browser.type_into("import-json", &good).await;
    browser.click("import-button").await;
    browser.wait_for_text("import-status", "Imported.").await;
    let value = browser.value_of("gpus-per-replica").await;
    assert_eq!(value, "8");
    // Twice the tensor parallelism: a faster step.
    browser
        .wait_for_number("tpot", &format!("less than {tpot} ms"), |t| t < tpot)
        .await;
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
    // The server holds each at the rental it was saved with.
    for (path, rental) in [(&first, 2.94), (&second, 5.88)] {
        let saved = server
            .saved_scenario(&scenario_id(path))
            .expect("the page said it saved; the server must have it");
        assert_eq!(
            saved["scenario"]["pricing"]["usd_per_gpu_hour"], rental,
            "{saved}"
        );
    }

    // Tick both in "My scenarios", oldest first as the baseline.
    for path in [&first, &second] {
        browser
            .click(&format!("compare-{}", scenario_id(path)))
            .await;
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
    let id = scenario_id(&link);
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
    // Comparing saved nothing: the saved one is as it was.
    let saved = server.saved_scenario(&id).unwrap();
    assert_eq!(
        saved["scenario"]["pricing"]["usd_per_gpu_hour"], 2.94,
        "{saved}"
    );
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
    let tpot = browser.number_in("tpot").await;
    browser.click("apply-calibration").await;
    browser
        .wait_for_number("tpot", &format!("more than {tpot} ms"), |t| t > tpot)
        .await;
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

/// Pastes the worked example into "Import a scenario (JSON)" and imports it.
async fn import_worked(browser: &Browser) {
    let json = std::fs::read_to_string(workspace_root().join(WORKED)).unwrap();
    browser.open_all_sections().await;
    browser.paste_into("import-json", &json).await;
    browser.click("import-button").await;
    browser.wait_for_text("import-status", "Imported.").await;
}

/// The id in a share link's path.
fn scenario_id(path: &str) -> String {
    path.strip_prefix("/s/")
        .unwrap_or_else(|| panic!("not a share link: {path}"))
        .to_owned()
}

/// A cell of "Compare cloud and owned": column 1 is rented, 2 owned.
fn cloud_vs_owned(row: &str, column: usize) -> String {
    format!("//details[@id='cloud-vs-owned']//tr[th[normalize-space(.)='{row}']]/td[{column}]")
}

/// The explanation under the headline figure `id`: the inputs it used.
fn explanation(id: &str) -> String {
    format!("//*[@id='{id}']/ancestor::details[1]//p[@class='inputs']")
}

/// Whole dollars as the page writes amounts from $10,000 up: `$34,339`.
fn whole_dollars(amount: f64) -> String {
    assert!((1e4..1e6).contains(&amount), "{amount}");
    let whole = amount.round() as u64;
    format!("${},{:03}", whole / 1000, whole % 1000)
}

/// Clicks the `label` button of the one scenario in "My scenarios".
async fn click_in_my_scenarios(browser: &Browser, label: &str) {
    browser
        .client
        .find(fantoccini::Locator::XPath(&format!(
            "//section[@id='my-scenarios']//button[.='{label}']"
        )))
        .await
        .unwrap_or_else(|e| panic!("no {label} button in My scenarios: {e}"))
        .click()
        .await
        .unwrap();
}

/// Waits until the fleet is whole replicas of `size` GPUs, as many as its
/// explanation counts, and returns its GPUs.
async fn wait_for_replicas_of(browser: &Browser, size: u32) -> u32 {
    let start = Instant::now();
    loop {
        let gpus = browser.number_in("fleet").await;
        let why = browser.text_at(&explanation("fleet")).await;
        let replicas = why.split(' ').next().and_then(figure);
        if replicas.is_some_and(|r| r * f64::from(size) == gpus) {
            return gpus as u32;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "the fleet never became replicas of {size} GPUs: {gpus} GPUs, {why:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until the `kind` chart on the planner is drawn for a deployment
/// that `holds`: the deployment travels in the image's URL.
async fn wait_for_chart_of(
    browser: &Browser,
    kind: &str,
    holds: impl Fn(&serde_json::Value) -> bool,
) {
    let start = Instant::now();
    loop {
        let drawn = browser
            .client
            .execute(
                "const src = document.getElementById(arguments[0]).getAttribute('src');
                 const query = new URL(src, location.href).searchParams.get('scenario');
                 if (!query) return null;
                 const base64 = query.replace(/-/g, '+').replace(/_/g, '/');
                 const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - base64.length % 4) % 4)),
                     c => c.charCodeAt(0));
                 return JSON.parse(new TextDecoder().decode(bytes));",
                vec![format!("chart-{kind}").into()],
            )
            .await
            .unwrap_or_else(|e| panic!("no {kind} chart: {e}"));
        if holds(&drawn) {
            return;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "the {kind} chart was not redrawn for the inputs: {drawn}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Saves what the planner shows under `name` and returns the new share
/// link's path, once it differs from `previous` (an earlier save's).
async fn save_as(browser: &Browser, name: &str, previous: Option<&str>) -> String {
    browser.type_into("scenario-name-input", name).await;
    browser.click("save").await;
    let start = Instant::now();
    loop {
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
        assert!(
            start.elapsed() < PATIENCE,
            "saving {name:?} showed no new share link"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until the chart image has loaded and decoded to a real size.
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
