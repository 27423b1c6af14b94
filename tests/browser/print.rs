//! Printing: under Chromium's print emulation the planner, a share page and
//! a comparison keep their figures, inputs and charts and lose the controls
//! that only work on screen.

use end_to_end::{Browser, Server, http, workspace_root};

/// Saves the support-chat deployment under `name`: its id.
fn save(server: &Server, name: &str) -> String {
    let scenario = std::fs::read_to_string(
        workspace_root().join("tests/scenarios/llama-70b-support-chat.json"),
    )
    .unwrap();
    let body = format!(r#"{{"name": "{name}", "scenario": {scenario}}}"#);
    let (status, answer) = http(server.addr(), "POST", "/api/v1/scenarios", Some(&body)).unwrap();
    assert_eq!(status, 201, "{answer}");
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    answer["id"].as_str().unwrap().to_owned()
}

/// On screen every control in `controls` is there; printed, none is, and
/// everything in `kept` still is.
async fn printed(browser: &Browser, controls: &[&str], kept: &[&str]) {
    for css in controls.iter().chain(kept) {
        assert!(browser.is_laid_out(css).await, "{css} not on screen");
    }
    browser.emulate_print(true).await;
    for css in controls {
        assert!(!browser.is_laid_out(css).await, "{css} printed");
    }
    for css in kept {
        assert!(browser.is_laid_out(css).await, "{css} not printed");
    }
    browser.emulate_print(false).await;
}

#[tokio::test]
async fn printing_keeps_the_figures_and_charts_and_drops_the_controls() {
    let server = Server::start();
    let first = save(&server, "first");
    let second = save(&server, "second");
    let browser = Browser::start().await;

    browser.open_hydrated(&server.url).await;
    printed(
        &browser,
        &["#save", "#import", "#calibrate-link", "#export-json"],
        &[
            "#cost-per-response",
            "#usd-per-m-output",
            ".charts",
            // The name and notes are the scenario's own assumptions.
            "#scenario-notes-input",
        ],
    )
    .await;

    browser
        .open_static(&format!("{}/s/{first}", server.url))
        .await;
    printed(
        &browser,
        &["#make-copy", "#export-json"],
        &[
            "#scenario-name",
            "#cost-per-response",
            ".summary",
            ".chart img",
        ],
    )
    .await;

    browser
        .open_static(&format!("{}/compare?ids={first},{second}", server.url))
        .await;
    printed(&browser, &[], &["#compare-figures", ".chart img"]).await;
    browser.close().await;
}
