//! Printing: under Chromium's print emulation the planner, a share page and
//! a comparison keep their figures, inputs and charts and lose the controls
//! that only work on screen.

use end_to_end::{Browser, Server};

use crate::support::save_support_chat as save;

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

/// The printable width of A4 and Letter paper inside the print view's
/// 12 mm margins, in CSS pixels (96 to the inch): 186 mm and 191.9 mm.
const PAPER: [(&str, u32); 2] = [("A4", 703), ("Letter", 725)];

/// How far the widest element reaches past the page's width, in CSS pixels
/// (0 when everything fits), and which element it is.
async fn overflow(browser: &Browser) -> (f64, String) {
    let found = browser
        .client
        .execute(
            "const width = document.documentElement.clientWidth;
             let worst = [0, ''];
             for (const el of document.querySelectorAll('body *')) {
                 const r = el.getBoundingClientRect();
                 if (r.width > 0 && r.right - width > worst[0]) {
                     worst = [r.right - width, el.tagName + '#' + el.id + '.' + el.className];
                 }
             }
             return worst;",
            vec![],
        )
        .await
        .unwrap();
    (
        found[0].as_f64().unwrap(),
        found[1].as_str().unwrap_or_default().to_owned(),
    )
}

/// Paper is light whatever the screen shows: with a dark system setting
/// and no choice made, with dark chosen, and with light chosen.
#[tokio::test]
async fn printing_is_on_white_in_every_theme() {
    let server = Server::start();
    let browser = Browser::start().await;
    for page in ["/accuracy", "/ranges"] {
        browser.open_static(&format!("{}{page}", server.url)).await;
        for (dark_system, click) in [(true, false), (true, true), (false, true)] {
            if click {
                browser.click("theme-switch").await;
            }
            browser.emulate_media(true, dark_system).await;
            let colour = browser
                .evaluate("getComputedStyle(document.body).color")
                .await;
            assert_eq!(
                colour, "rgb(0, 0, 0)",
                "{page} printed with a dark system {dark_system}, switch clicked {click}"
            );
            browser.emulate_media(false, dark_system).await;
        }
    }
    browser.close().await;
}

#[tokio::test]
async fn printed_pages_fit_a4_and_letter_and_closed_sections_stay_closed() {
    let server = Server::start();
    let first = save(&server, "first");
    let second = save(&server, "second");
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    // A closed section of advanced inputs prints closed, as on screen; the
    // open ones' figures print.
    let shown = "document.querySelector('#layers').checkVisibility()";
    assert_eq!(browser.evaluate(shown).await, false);
    browser.emulate_print(true).await;
    assert_eq!(
        browser.evaluate(shown).await,
        false,
        "a closed section printed open"
    );
    browser.open_all_sections().await;
    assert_eq!(
        browser.evaluate(shown).await,
        true,
        "an open section printed closed"
    );
    for (page, hydrates) in [
        (String::from("/"), true),
        (format!("/s/{first}"), false),
        (format!("/compare?ids={first},{second}"), false),
        (String::from("/ranges"), false),
        (String::from("/accuracy"), false),
        (String::from("/calibrate"), false),
    ] {
        for (paper, width) in PAPER {
            browser.emulate_viewport(Some((width, 1000))).await;
            let url = format!("{}{page}", server.url);
            if hydrates {
                browser.open_hydrated(&url).await;
            } else {
                browser.open_static(&url).await;
            }
            let (past, element) = overflow(&browser).await;
            assert!(
                past <= 1.0,
                "{page} on {paper}: {element} reaches {past} px past the paper"
            );
        }
    }
    browser.emulate_viewport(None).await;
    browser.emulate_print(false).await;
    browser.close().await;
}
