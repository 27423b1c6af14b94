//! The search page in the browser: the page's own module runs the search
//! in the browser, the answer and the address follow, and the winner opens
//! in the planner with the same figures.

use end_to_end::{Browser, PATIENCE, Server, figure};
use fantoccini::Locator;

/// Opens the search page and waits for its module to take the form.
async fn open_search(browser: &Browser, server: &Server) {
    browser
        .client
        .goto(&format!("{}/search", server.url))
        .await
        .unwrap();
    browser.wait_for_css("main[data-ready='true']").await;
}

/// Submits the search form and waits for the browser's answer; returns
/// the milliseconds the page says the search took, those it took to draw
/// the best candidates' ranges after it, and its candidates.
async fn search_in_browser(browser: &Browser) -> (f64, f64, u64) {
    // The page marks each answer with its time: cleared first, so an
    // answer that took as long as the last one still shows.
    browser
        .client
        .execute(
            "document.getElementById('search-page').removeAttribute('data-search-ms');",
            vec![],
        )
        .await
        .unwrap();
    browser.click("search-run").await;
    let started = std::time::Instant::now();
    loop {
        let page = browser.wait_for_css("main#search-page").await;
        let ms = page.attr("data-search-ms").await.unwrap();
        if let Some(ms) = ms {
            let candidates = page.attr("data-candidates").await.unwrap().unwrap();
            let ranges = page.attr("data-ranges-ms").await.unwrap().unwrap();
            return (
                ms.parse().unwrap(),
                ranges.parse().unwrap(),
                candidates.parse().unwrap(),
            );
        }
        if started.elapsed() > PATIENCE {
            let answer = browser.text_of("search-answer").await;
            panic!("the browser's search never answered; the page shows: {answer}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The best candidate's cost per response, as the table shows it.
async fn first_cost(browser: &Browser) -> f64 {
    figure(
        &browser
            .text_at("//table[@id='search-best']/tbody/tr[1]/td[5]")
            .await,
    )
    .unwrap()
}

/// The numbers in `text`, dollar signs and punctuation aside.
fn numbers(text: &str) -> Vec<f64> {
    text.split_whitespace()
        .filter_map(|w| figure(w.trim_matches(|c| c == '$' || c == ';' || c == ',')))
        .collect()
}

/// Opens the best candidate in the planner and waits for it to hydrate.
async fn open_first_in_planner(browser: &Browser) {
    browser
        .client
        .find(Locator::Css(
            "#search-best tbody tr:first-child a.open-in-planner",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for_css("main[data-hydrated='true']").await;
}

#[tokio::test]
async fn a_search_runs_in_the_browser_and_its_winner_opens_in_the_planner() {
    let server = Server::start();
    let browser = Browser::start().await;
    open_search(&browser, &server).await;

    // The default search, as the page opens it, now in the browser.
    let (ms, ranges_ms, candidates) = search_in_browser(&browser).await;
    // Again, its code now compiled by the browser's optimising tier.
    let (again, ranges_again, _) = search_in_browser(&browser).await;
    eprintln!(
        "default search in headless Chromium: {candidates} candidates in {ms:.1} ms, {again:.1} ms the second time; \
         the best candidates' ranges drawn in {ranges_ms:.1} ms, {ranges_again:.1} ms the second time"
    );
    assert!(candidates >= 5_000, "{candidates}");
    browser
        .wait_for_text_containing("search-summary", "in your browser")
        .await;

    // A tighter TPOT target: the answer and the address follow.
    browser.type_into("search-tpot_ms", "30").await;
    search_in_browser(&browser).await;
    let url = browser.client.current_url().await.unwrap();
    assert!(url.as_str().contains("tpot_ms=30"), "{url}");
    let tpot = browser
        .text_at("//table[@id='search-best']/tbody/tr[1]/td[13]")
        .await;
    let tpot_ms = tpot
        .split(", ")
        .nth(1)
        .map(|t| t.trim_end_matches(" ms"))
        .and_then(figure)
        .unwrap();
    assert!(tpot_ms <= 30.0, "{tpot}");

    // The winner in the planner: the same cost per response and fleet,
    // and the same P10 to P90 the search ranked it by.
    let cost = first_cost(&browser).await;
    let gpus = browser
        .text_at("//table[@id='search-best']/tbody/tr[1]/td[10]")
        .await;
    let range = numbers(
        &browser
            .text_at("//table[@id='search-best']/tbody/tr[1]/td[4]")
            .await,
    );
    let (p10, p90) = (range[1], range[2]);
    open_first_in_planner(&browser).await;
    browser.wait_for_text("fleet", &gpus).await;
    let shown = figure(&browser.text_of("cost-per-response").await).unwrap();
    // The planner shows three significant figures.
    assert!((shown / cost - 1.0).abs() < 0.005, "{shown} against {cost}");
    let started = std::time::Instant::now();
    let band = loop {
        let band = numbers(&browser.text_of("cost-per-response-range").await);
        if band.len() == 2 {
            break band;
        }
        assert!(started.elapsed() < PATIENCE, "no band beside the cost");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(
        (band[0] / p10 - 1.0).abs() < 0.005 && (band[1] / p90 - 1.0).abs() < 0.005,
        "the planner's {band:?} against the search's {p10} to {p90}"
    );
    browser.close().await;
}

#[tokio::test]
async fn a_search_that_cannot_run_says_which_field() {
    let server = Server::start();
    let browser = Browser::start().await;
    open_search(&browser, &server).await;
    // No stack ticked.
    for stack in ["vllm", "sglang", "tensorrt-llm"] {
        browser
            .client
            .find(Locator::Css(&format!(
                "input[name='stack'][value='{stack}']"
            )))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    browser.click("search-run").await;
    browser
        .wait_for_text_containing("search-problem", "space.stacks: give at least one choice")
        .await;
    browser.close().await;
}

#[tokio::test]
async fn the_planner_keeps_its_state_in_its_address_across_a_reload() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    browser.type_into("usd-per-gpu-hour", "5.88").await;
    browser.type_into("requests-per-day", "12345").await;
    browser
        .wait_for_number("monthly-cost", "the monthly cost after the edits", |_| true)
        .await;
    // The address follows the edits, then a reload opens the same figures.
    let started = std::time::Instant::now();
    let url = loop {
        let url = browser.client.current_url().await.unwrap();
        if url.as_str().contains("scenario=") {
            break url;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "the address never followed: {url}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let cost = browser.text_of("monthly-cost").await;
    browser.client.refresh().await.unwrap();
    browser.wait_for_css("main[data-hydrated='true']").await;
    assert_eq!(browser.value_of("usd-per-gpu-hour").await, "5.88");
    assert_eq!(browser.value_of("requests-per-day").await, "12345");
    browser.wait_for_text("monthly-cost", &cost).await;
    assert_eq!(browser.client.current_url().await.unwrap(), url);

    // The search starts from the model and use case on the screen.
    browser.click("find-best").await;
    browser.wait_for_css("main[data-ready='true']").await;
    assert_eq!(browser.value_of("search-requests_per_day").await, "12345");
    browser.close().await;
}

#[tokio::test]
async fn a_disaggregated_winner_opens_with_its_prefill_pool_which_the_planner_can_drop() {
    let server = Server::start();
    let browser = Browser::start().await;
    // Long prompts under a tight time-per-token target, answered by the
    // server from the address.
    let query = "model=llama-3.1-70b-instruct&requests_per_day=20000000&input_tokens=8000\
                 &output_tokens=300&ttft_ms=2000&tpot_ms=30&acc=h100-sxm-80gb&w=fp8&kv=bf16\
                 &stack=vllm&own=cloud&pd=same_accelerator&top=5";
    browser
        .client
        .goto(&format!("{}/search?{query}", server.url))
        .await
        .unwrap();
    let shape = browser
        .text_at("//table[@id='search-best']/tbody/tr[1]/td[2]")
        .await;
    assert!(
        shape.contains("prefill") && shape.contains("decode"),
        "{shape}"
    );
    let cost = first_cost(&browser).await;
    open_first_in_planner(&browser).await;
    browser
        .wait_for_text_containing("prefill-pool", "Disaggregated")
        .await;
    let shown = figure(&browser.text_of("cost-per-response").await).unwrap();
    assert!((shown / cost - 1.0).abs() < 0.005, "{shown} against {cost}");
    // Back to replicas that do both: the figures move and the note goes.
    browser.click("aggregate").await;
    let aggregated = browser
        .wait_for_number("cost-per-response", "the aggregated cost", |v| {
            (v / shown - 1.0).abs() > 0.005
        })
        .await;
    assert!(aggregated > shown, "{aggregated} against {shown}");
    let hidden = browser
        .client
        .find(Locator::Id("prefill-pool"))
        .await
        .unwrap()
        .attr("hidden")
        .await
        .unwrap();
    assert!(hidden.is_some());
    browser.close().await;
}
