//! Ranges: a range given on the ranges page reaches the planner, which
//! draws the P10 to P90 beside its figures; a wider range widens the band.

use end_to_end::{Browser, PATIENCE, Server, figure};

/// Gives `pricing.usd_per_gpu_hour` the range `low` to `high` on the
/// ranges page (in its first row), draws, and opens the planner with it;
/// answers the P10 and P90 of the cost per response the planner shows.
async fn band_after_range(browser: &Browser, server: &Server, low: &str, high: &str) -> (f64, f64) {
    browser
        .client
        .goto(&format!("{}/ranges", server.url))
        .await
        .unwrap();
    browser.wait_for_css("#ranges-form").await;
    browser.pick("range-in-0", "pricing.usd_per_gpu_hour").await;
    browser.type_into("range-lo-0", low).await;
    browser.type_into("range-hi-0", high).await;
    browser.click("ranges-draw").await;
    // The answer to the form, not the page it was sent from.
    let started = std::time::Instant::now();
    while !browser
        .client
        .current_url()
        .await
        .unwrap()
        .as_str()
        .contains("sent=1")
    {
        assert!(started.elapsed() < PATIENCE, "the form was not sent");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    browser
        .wait_for_text_containing("ranges-odds", "The latency targets hold")
        .await;
    browser.click("open-planner").await;
    browser.wait_for_css("main[data-hydrated='true']").await;
    // Drawn by the server once the inputs rest.
    let started = std::time::Instant::now();
    loop {
        let text = browser.text_of("cost-per-response-range").await;
        let numbers: Vec<f64> = text
            .split_whitespace()
            .filter_map(|w| figure(w.trim_start_matches('$')))
            .collect();
        if let [p10, p90] = numbers[..] {
            eprintln!(
                "ranges beside the planner's figures {:.0} ms after it hydrated (a 250 ms rest, then the server's draws)",
                started.elapsed().as_secs_f64() * 1e3
            );
            return (p10, p90);
        }
        assert!(
            started.elapsed() < PATIENCE,
            "no band beside the cost: {text:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_wider_range_on_the_rental_price_widens_the_band_on_the_cost() {
    let server = Server::start();
    let browser = Browser::start().await;
    let (low, high) = band_after_range(&browser, &server, "2.8", "3.1").await;
    assert!(low < high, "{low} to {high}");
    let shown = figure(&browser.text_of("cost-per-response").await).unwrap();
    assert!(
        low <= shown * 1.001 && shown <= high * 1.001,
        "{low} {shown} {high}"
    );
    let (wide_low, wide_high) = band_after_range(&browser, &server, "1.5", "6").await;
    assert!(
        wide_high - wide_low > 2.0 * (high - low),
        "{wide_low} to {wide_high} against {low} to {high}"
    );
    browser
        .wait_for_text_containing("range-odds", "latency targets hold")
        .await;
    browser.close().await;
}
