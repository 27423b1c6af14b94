//! Scenarios saved, shared, copied, listed, renamed, deleted, imported as JSON and compared.

use end_to_end::{Browser, Server, http, workspace_root};

use crate::support::{
    click_in_my_scenarios, import_worked, save_as, scenario_id, wait_for_chart_loaded,
};

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
    other.open_static(&format!("{}{path}", server.url)).await;
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
    browser.open_static(&format!("{}{path}", server.url)).await;
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
    browser.wait_for_css("main #compare-figures").await;
    // Monthly cost (the last row): twice the rental, twice the cost.
    browser
        .wait_for_text_containing("figure-11-1", "(×2.00)")
        .await;
    browser
        .wait_for_text_containing("figure-11-0", "baseline")
        .await;

    // The other as baseline: the ratio turns over, in the page the link opens.
    browser.click("baseline-1").await;
    browser
        .wait_for_text_containing("figure-11-0", "(×0.500)")
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
    browser.wait_for_css("main #compare-figures").await;
    // The unsaved scenario is the baseline; the saved one costs half.
    browser
        .wait_for_text_containing("figure-11-0", "baseline")
        .await;
    browser
        .wait_for_text_containing("figure-11-1", "(×0.500)")
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

/// What the planner shows exports without saving (its export form posts the
/// planner's state), and the file imports back into a fresh planner as the
/// same inputs and figures.
#[tokio::test]
async fn an_unsaved_scenario_exports_and_imports_back_equal() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    let example_cost = browser.text_of("cost-per-response").await;
    browser.type_into("requests-per-day", "250000").await;
    browser.type_into("usd-per-gpu-hour", "5.88").await;
    browser.type_into("scenario-name-input", "Q3 draft").await;
    let cost = browser.text_of("cost-per-response").await;
    assert_ne!(cost, example_cost, "the edits change the figures");
    let address = browser.client.current_url().await.unwrap().to_string();

    // Submitted as the page's buttons submit it, read as text.
    let submit = |button: &str| {
        format!(
            "const form = document.getElementById('export');
             // A button without its own formaction submits to the form's action.
             const target = document.getElementById('{button}').getAttribute('formaction') || form.action;
             return fetch(target, {{ method: 'POST', body: new URLSearchParams(new FormData(form)) }})
                 .then(r => r.text());"
        )
    };
    let exported = browser
        .client
        .execute(&submit("export-json"), vec![])
        .await
        .unwrap();
    let exported = exported.as_str().expect("the export's text");
    let parsed: serde_json::Value = serde_json::from_str(exported).unwrap();
    assert_eq!(parsed["name"], "Q3 draft", "{exported}");
    let csv = browser
        .client
        .execute(&submit("export-csv"), vec![])
        .await
        .unwrap();
    assert!(
        csv.as_str()
            .unwrap()
            .contains("scenario.use_case.requests_per_day,250000"),
        "{csv}"
    );

    browser.open_hydrated(&server.url).await;
    assert_eq!(browser.text_of("cost-per-response").await, example_cost);
    browser.open_all_sections().await;
    browser.paste_into("import-json", exported).await;
    browser.click("import-button").await;
    browser.wait_for_text("import-status", "Imported.").await;
    assert_eq!(browser.value_of("requests-per-day").await, "250000");
    assert_eq!(browser.value_of("usd-per-gpu-hour").await, "5.88");
    browser.wait_for_text("cost-per-response", &cost).await;
    // The whole state, not only the fields looked at: the address the
    // planner keeps of it is the one it had before the export.
    assert_eq!(
        browser.client.current_url().await.unwrap().to_string(),
        address
    );
    browser.close().await;
}
