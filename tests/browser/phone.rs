//! On a phone (390 px wide) a link opened to check one number shows it
//! without scrolling: the headline figures come before the inputs, which
//! are one tap away.

use end_to_end::{Browser, Server};

use crate::support::save_support_chat;

/// Where the element `css` ends, and the viewport's width and height.
async fn bottom_and_viewport(browser: &Browser, css: &str) -> (f64, f64, f64) {
    let answer = browser
        .client
        .execute(
            "const el = document.querySelector(arguments[0]);
             return [el.getBoundingClientRect().bottom, window.innerWidth, window.innerHeight];",
            vec![css.into()],
        )
        .await
        .unwrap();
    let n = |i: usize| answer[i].as_f64().unwrap();
    (n(0), n(1), n(2))
}

#[tokio::test]
async fn on_a_phone_the_cost_per_response_is_in_the_first_screen() {
    let server = Server::start();
    let id = save_support_chat(&server, "on the phone");

    let browser = Browser::start().await;
    browser.client.set_window_size(390, 844).await.unwrap();
    for (path, hydrates) in [("/".to_owned(), true), (format!("/s/{id}"), false)] {
        let url = format!("{}{path}", server.url);
        if hydrates {
            browser.open_hydrated(&url).await;
        } else {
            browser.open_static(&url).await;
        }
        let (bottom, width, height) = bottom_and_viewport(&browser, "#cost-per-response").await;
        assert!(width <= 400.0, "{path}: the window is {width} px wide");
        assert!(
            bottom <= height,
            "{path}: the cost per response ends at {bottom} px, below the first {height} px"
        );
    }
    // On the planner, the inputs are one tap away.
    browser.open_hydrated(&server.url).await;
    assert!(browser.is_laid_out("#to-inputs").await);
    browser
        .wait_for_css("#to-inputs")
        .await
        .click()
        .await
        .unwrap();
    let (inputs_bottom, _, height) = bottom_and_viewport(&browser, "#inputs").await;
    let top: f64 = browser
        .client
        .execute(
            "return document.getElementById('inputs').getBoundingClientRect().top;",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(
        top.abs() < 2.0 && inputs_bottom > height,
        "the inputs start at {top} px"
    );
    browser.close().await;
}
