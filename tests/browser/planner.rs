//! The planner's figures: the worked owned server by hand, and each panel's edits and errors.

use std::time::{Duration, Instant};

use end_to_end::{Browser, PATIENCE, Server, figure};

use crate::support::{
    cloud_vs_owned, explanation, import_worked, wait_for_chart_loaded, wait_for_chart_of,
    wait_for_replicas_of, whole_dollars,
};

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
        // Per response at the fleet's 30 % utilisation, idle draw included.
        ("wh-per-response", "0.229"),
        ("co2-per-response", "0.0869"),
    ] {
        browser.wait_for_text(id, shown).await;
    }
    for (id, explained) in [
        ("tokens-per-joule", "10.1 M tokens/kWh"),
        ("tokens-per-joule", "700 W per GPU at load (measured)"),
        ("tokens-per-joule", "0.497 J"),
        ("tokens-per-joule", "0.824 J"),
        ("wh-per-response", "824 J per response"),
        ("wh-per-response", "With every GPU busy: 0.138 Wh"),
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
        ("wh-per-response", "0.229"),
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
        ("wh-per-response", "0.229"),
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

/// Beside its figures the planner says how well published measurements
/// cover the chosen accelerator and stack, and follows a new pick.
#[tokio::test]
async fn the_validation_note_follows_the_chosen_accelerator() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    browser.open_all_sections().await;
    browser
        .wait_for_text_containing(
            "validation-note",
            "published measurements of this accelerator with vLLM",
        )
        .await;
    browser.pick("accelerator-name", "Intel Gaudi 3").await;
    browser
        .wait_for_text_containing(
            "validation-note",
            "No published measurement of this accelerator: unvalidated",
        )
        .await;
    // An AMD part is planned with the ROCm build's share, and says so.
    browser
        .pick("accelerator-name", "AMD Instinct MI300X")
        .await;
    let share = tokenfab_core::stack::ROCM_ACHIEVED_SHARE * 100.0;
    browser
        .wait_for_text_at_containing(
            &explanation("tpot"),
            &format!("ROCm build reaches {share:.0} %"),
        )
        .await;
    browser
        .wait_for_text_containing(
            "validation-note",
            "Checked against 59 published measurements",
        )
        .await;
    browser.close().await;
}

/// Targets at the 99th percentile: the figure shown becomes the P99, and a
/// first-token target the mean meets but the P99 does not takes more GPUs.
#[tokio::test]
async fn bounding_the_99th_percentile_takes_more_gpus() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    browser.open_all_sections().await;
    // Demand enough for one replica more or less to show.
    browser.type_into("requests-per-day", "100000000").await;
    browser
        .wait_for_text_at_containing(&explanation("fleet"), "for a peak of 2890 requests/s")
        .await;
    let said = browser.text_at(&explanation("ttft")).await;
    let numbers: Vec<f64> = said
        .split_whitespace()
        .filter_map(|w| figure(w.trim_end_matches(',')))
        .collect();
    let (mean, p99) = (numbers[0], numbers[1]);
    assert!(p99 > mean, "{said}");
    browser
        .type_into("ttft-target", &format!("{:.0}", (mean + p99) / 2.0))
        .await;
    browser
        .wait_for_text_at_containing(&explanation("ttft"), "at the mean; targets met")
        .await;
    let gpus = browser.number_in("fleet").await;
    browser.pick("latency-targets-at", "1").await;
    browser
        .wait_for_text_at_containing(&explanation("ttft"), "at the P99; targets met")
        .await;
    browser
        .wait_for_number("fleet", &format!("more than {gpus} GPUs"), |g| g > gpus)
        .await;
    browser.close().await;
}

/// A sustainability reviewer picks the site's grid from the catalogue and
/// the operational carbon follows it; a published footprint fills the
/// embodied carbon, which the explanation then spreads over the responses.
#[tokio::test]
async fn a_grid_region_and_a_published_footprint_fill_the_carbon_inputs() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    browser.open_all_sections().await;

    let before = browser.number_in("co2-per-response").await;
    let grid = browser.value_of("grid").await.parse::<f64>().unwrap();
    click_preset(&browser, "grid-regions", "France: 56 g CO2e/kWh").await;
    assert_eq!(browser.value_of("grid").await, "56");
    let expected = before * 56.0 / grid;
    browser
        .wait_for_number("co2-per-response", "the carbon at France's grid", |g| {
            (g / expected - 1.0).abs() < 0.02
        })
        .await;

    browser
        .pick("accelerator-name", "NVIDIA A100 40GB SXM4")
        .await;
    click_preset(&browser, "embodied-figures", "318 kg CO2e").await;
    assert_eq!(browser.value_of("embodied").await, "318");
    browser
        .wait_for_text_at_containing(
            "//span[@id='co2-per-response']/ancestor::details//p[@class='inputs']",
            "Embodied (318 kg CO2e per GPU",
        )
        .await;

    browser.close().await;
}

/// Clicks the catalogue figure starting with `text` in the list `details`.
async fn click_preset(browser: &Browser, details: &str, text: &str) {
    browser
        .client
        .find(fantoccini::Locator::XPath(&format!(
            "//details[@id='{details}']//button[starts-with(., '{text}')]"
        )))
        .await
        .unwrap_or_else(|e| panic!("no {text:?} in {details}: {e}"))
        .click()
        .await
        .unwrap();
}

/// The deployment the planner keeps in its address, as JSON.
async fn address_deployment(browser: &Browser) -> serde_json::Value {
    browser
        .evaluate(
            "JSON.parse(atob(new URL(location.href).searchParams.get('scenario')
                .replace(/-/g, '+').replace(/_/g, '/')))",
        )
        .await
}

/// A figure shown with a currency sign: the sign and the number.
async fn money_in(browser: &Browser, id: &str) -> (String, f64) {
    let text = browser.text_of(id).await;
    let start = text.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
    let value = figure(&text[start..]).unwrap_or_else(|| panic!("#{id} shows {text:?}"));
    (text[..start].to_owned(), value)
}

/// A currency at a rate of 2 doubles every money figure and price the
/// planner shows and leaves energy, time and the fleet alone; the prices
/// it keeps stay in dollars, and a price typed in the currency is kept as
/// its dollars.
#[tokio::test]
async fn a_currency_at_a_rate_of_2_doubles_every_money_figure_shown() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    browser.open_all_sections().await;
    let money = [
        "cost-per-response",
        "usd-per-m-input",
        "usd-per-m-output",
        "monthly-cost",
    ];
    let unchanged = [
        "tokens-per-joule",
        "wh-per-response",
        "ttft",
        "tpot",
        "fleet",
    ];
    let mut dollars = Vec::new();
    for id in money {
        dollars.push(money_in(&browser, id).await);
    }
    let mut same = Vec::new();
    for id in unchanged {
        same.push(browser.text_of(id).await);
    }
    let per_dollar = figure(&browser.text_of("tokens-per-usd").await).unwrap();
    assert_eq!(browser.value_of("usd-per-gpu-hour").await, "2.94");

    browser.type_into("currency-code", "EUR").await;
    browser.type_into("currency-rate", "2").await;
    browser.pick("currency-date", "2026-12-01").await;
    browser
        .wait_for_text_containing("usd-per-m-output", "€")
        .await;
    for (id, (sign, value)) in money.iter().zip(&dollars) {
        assert_eq!(sign, "$");
        let (euro, converted) = money_in(&browser, id).await;
        assert_eq!(euro, "€", "{id}");
        assert!(
            (converted / (2.0 * value) - 1.0).abs() < 0.005,
            "{id}: {converted} against {value}"
        );
    }
    let per_euro = figure(&browser.text_of("tokens-per-usd").await).unwrap();
    assert!((per_euro / (per_dollar / 2.0) - 1.0).abs() < 0.005);
    for (id, text) in unchanged.iter().zip(&same) {
        assert_eq!(&browser.text_of(id).await, text, "{id}");
    }
    // The price is shown in euros; the deployment keeps its dollars.
    assert_eq!(browser.value_of("usd-per-gpu-hour").await, "5.88");
    browser
        .wait_for_text_containing("pricing-panel", "EUR/GPU-hour")
        .await;
    let kept = address_deployment(&browser).await;
    assert_eq!(kept["pricing"]["usd_per_gpu_hour"], 2.94);
    assert_eq!(kept["pricing"]["currency"]["code"], "EUR");
    assert_eq!(kept["pricing"]["currency"]["per_usd"], 2.0);

    // A price typed in euros is kept as its dollars, and the page opened
    // again from its address shows the same euros and keeps the same state.
    browser.type_into("usd-per-gpu-hour", "7").await;
    browser
        .wait_for_text_containing("cost-per-response", "€")
        .await;
    let typed = address_deployment(&browser).await;
    assert_eq!(typed["pricing"]["usd_per_gpu_hour"], 3.5);
    let address = browser.client.current_url().await.unwrap().to_string();
    browser.open_hydrated(&address).await;
    assert_eq!(browser.value_of("usd-per-gpu-hour").await, "7");
    assert_eq!(browser.value_of("currency-code").await, "EUR");
    assert_eq!(
        browser.client.current_url().await.unwrap().to_string(),
        address
    );

    // At a rate with no short inverse, a typed price is kept to twelve
    // significant digits, so the page reads its own address back exactly.
    browser.type_into("currency-rate", "0.92").await;
    browser.type_into("usd-per-kwh", "0.25").await;
    browser
        .wait_for_text_containing("cost-per-response", "€")
        .await;
    let typed = address_deployment(&browser).await;
    assert_eq!(typed["pricing"]["usd_per_kwh"], 0.271739130435);
    let address = browser.client.current_url().await.unwrap().to_string();
    browser.open_hydrated(&address).await;
    assert_eq!(browser.value_of("usd-per-kwh").await, "0.25");
    assert_eq!(
        browser.client.current_url().await.unwrap().to_string(),
        address
    );

    // A half-typed rate converts nothing and says what is wrong.
    let shown = browser.value_of("usd-per-gpu-hour").await;
    browser.type_into("currency-rate", "0").await;
    browser
        .wait_for_text_containing("currency-error", "pricing.currency.per_usd")
        .await;
    assert_eq!(browser.value_of("usd-per-gpu-hour").await, shown);
    assert_eq!(
        browser
            .evaluate("document.getElementById('currency-rate').getAttribute('aria-invalid')")
            .await,
        "true"
    );
    browser.close().await;
}
