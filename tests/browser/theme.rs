//! The light/dark switch: it overrides the system setting, is remembered
//! across pages and visits, and works on pages that never hydrate.

use end_to_end::{Browser, Server};

use crate::support::save_support_chat;

/// The page's background colour as the browser computes it.
async fn background(browser: &Browser) -> String {
    browser
        .evaluate("getComputedStyle(document.body).backgroundColor")
        .await
        .as_str()
        .expect("a colour")
        .to_owned()
}

/// Whether the switch says dark is on.
async fn switch_pressed(browser: &Browser) -> String {
    browser
        .evaluate("document.getElementById('theme-switch').getAttribute('aria-pressed')")
        .await
        .as_str()
        .expect("aria-pressed is set")
        .to_owned()
}

const LIGHT: &str = "rgb(247, 247, 245)";
const DARK: &str = "rgb(19, 20, 22)";

#[tokio::test]
async fn the_theme_switch_overrides_the_system_and_is_remembered() {
    let server = Server::start();
    let id = save_support_chat(&server, "theme");
    let browser = Browser::start().await;

    // With no choice made, the page follows the system.
    browser.emulate_system_dark(true).await;
    browser.open_hydrated(&server.url).await;
    assert_eq!(background(&browser).await, DARK);
    assert_eq!(switch_pressed(&browser).await, "true");

    // The switch, after hydration, turns it light although the system is dark.
    browser.click("theme-switch").await;
    assert_eq!(background(&browser).await, LIGHT);
    assert_eq!(switch_pressed(&browser).await, "false");

    // Remembered on the next visit and on pages the server draws alone.
    for path in [
        "/".to_owned(),
        format!("/s/{id}"),
        "/accuracy".to_owned(),
        "/api/docs".to_owned(),
    ] {
        browser.open_static(&format!("{}{path}", server.url)).await;
        assert_eq!(background(&browser).await, LIGHT, "{path}");
        assert_eq!(switch_pressed(&browser).await, "false", "{path}");
    }

    // And the other way: dark chosen on a light system, on a page that
    // never hydrates, holds on the planner.
    browser.emulate_system_dark(false).await;
    browser.open_static(&format!("{}/s/{id}", server.url)).await;
    browser.click("theme-switch").await;
    assert_eq!(background(&browser).await, DARK);
    browser.open_hydrated(&server.url).await;
    assert_eq!(background(&browser).await, DARK);
    assert_eq!(switch_pressed(&browser).await, "true");
    browser.close().await;
}
