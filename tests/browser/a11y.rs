//! Accessibility: an axe-core audit of every page, in the light theme and
//! in the dark one (chosen with the page's own switch).

use end_to_end::{Browser, Server, workspace_root};

use crate::support::save_support_chat;

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
    let ids = [
        save_support_chat(&server, "first"),
        save_support_chat(&server, "second"),
    ];
    let script = format!(
        "{axe}
         return axe.run(document, {{ resultTypes: ['violations'] }}).then(result => ({{
             rules_passed: result.passes.length,
             violations: result.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => `${{v.impact}} ${{v.id}}: ${{v.help}} at ${{v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}}`),
         }}));"
    );
    let browser = Browser::start().await;
    for (path, hydrates) in [
        ("/".to_owned(), true),
        // Rendered by the server alone: nothing to hydrate.
        (format!("/s/{}", ids[0]), false),
        (format!("/compare?ids={},{}", ids[0], ids[1]), false),
        ("/accuracy".to_owned(), false),
        ("/search".to_owned(), false),
        ("/ranges".to_owned(), false),
        ("/api/docs".to_owned(), false),
        ("/calibrate".to_owned(), false),
    ] {
        let url = format!("{}{path}", server.url);
        if hydrates {
            browser.open_hydrated(&url).await;
        } else {
            browser.client.goto(&url).await.expect("page opens");
            browser.wait_for_css("main.page").await;
        }
        // Everything a keyboard user can reach, collapsed sections included.
        browser.open_all_sections().await;
        // The theme the last page left (it is remembered), then the other.
        for _ in 0..2 {
            let theme = browser
                .evaluate("getComputedStyle(document.documentElement).colorScheme")
                .await;
            let audit = browser.client.execute(&script, vec![]).await.unwrap();
            // The audit really ran: dozens of rules check out on a page this size.
            assert!(
                audit["rules_passed"].as_u64().unwrap() > 20,
                "{path} ({theme}): {audit}"
            );
            let violations: Vec<String> =
                serde_json::from_value(audit["violations"].clone()).unwrap();
            assert!(violations.is_empty(), "{path} ({theme}): {violations:#?}");
            browser.click("theme-switch").await;
        }
    }
    browser.close().await;
}
