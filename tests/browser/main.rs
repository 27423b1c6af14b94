//! The planner in real headless Chromium against the real binary: the page
//! hydrates, the browser's own copy of the core recomputes the figures as
//! the user types, the server's chart follows, and saving reaches SQLite.
#![allow(clippy::unwrap_used)] // a panic is how a test reports failure

use end_to_end::{Browser, Server};

#[tokio::test]
async fn typing_updates_figures_in_the_browser_and_the_chart_follows() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;

    // The server-rendered figures of the article's example.
    browser.wait_for_text("tokens-per-joule", "3.00").await;
    browser.wait_for_text("tokens-per-usd", "5.40 M").await;

    // Halving the power doubles tokens per joule: computed in the browser.
    browser.type_into("watts", "500").await;
    browser.wait_for_text("tokens-per-joule", "6.00").await;
    browser.wait_for_text("tokens-per-kwh", "21.6 M").await;

    // Doubling the GPU price halves tokens per dollar and redraws the chart.
    let chart_before = chart_src(&browser).await;
    browser.type_into("usd-per-gpu-hour", "4").await;
    browser.wait_for_text("tokens-per-usd", "2.70 M").await;
    let chart_after = chart_src(&browser).await;
    assert_ne!(chart_before, chart_after);
    assert!(chart_after.contains("usd_per_gpu_hour=4"), "{chart_after}");
    wait_for_chart_loaded(&browser).await;

    browser.close().await;
}

#[tokio::test]
async fn a_bad_value_shows_its_error_and_keeps_the_last_good_figures() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;

    browser.type_into("watts", "-3").await;
    browser
        .wait_for_text_containing("watts-error", "must be greater than 0 W")
        .await;
    browser.wait_for_text("tokens-per-joule", "3.00").await;
    let save = browser.wait_for_css("#save").await;
    assert!(
        !save.is_enabled().await.unwrap(),
        "saving an invalid form is blocked"
    );

    browser.type_into("watts", "1500").await;
    browser.wait_for_text("tokens-per-joule", "2.00").await;
    assert_eq!(browser.text_of("watts-error").await, "");

    browser.close().await;
}

#[tokio::test]
async fn saving_stores_the_scenario_and_shows_its_id() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;

    browser.type_into("tokens-per-s", "4200").await;
    browser.wait_for_text("tokens-per-joule", "4.20").await;
    browser.wait_for_css("#save").await.click().await.unwrap();
    browser
        .wait_for_text_containing("save-status", "Saved as ")
        .await;
    let status = browser.text_of("save-status").await;
    let id = status.trim_start_matches("Saved as ").trim();
    assert_eq!(id.len(), 32, "{status}");
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{status}");
    browser.close().await;
}

async fn chart_src(browser: &Browser) -> String {
    browser
        .wait_for_css("#chart-tokens-per-dollar")
        .await
        .attr("src")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Waits until the chart image has loaded and decoded to a real size.
async fn wait_for_chart_loaded(browser: &Browser) {
    let loaded = browser
        .client
        .execute(
            "const img = document.getElementById('chart-tokens-per-dollar');
             return new Promise(done => {
                 const check = () => img.complete && img.naturalWidth > 0
                     ? done(img.naturalWidth) : setTimeout(check, 20);
                 check();
             });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        loaded.as_u64(),
        Some(640),
        "the chart decodes at its drawn size"
    );
}
