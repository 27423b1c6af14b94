//! Measures the time from a keystroke to updated figures in headless
//! Chromium, against the issue's budget of 16 ms. A measuring tool, not a
//! test: it prints figures and asserts no timing.
//!
//! ```text
//! cargo build -p server            # and scripts/build-site.sh if target/site is missing
//! cargo run -p end-to-end --example keystroke_latency
//! ```
//!
//! It builds nothing itself: like the browser tests it runs `TOKENFAB_BIN`
//! (default `target/debug/tokenfab`) serving the site in `target/site`, and
//! Chromium with the flags of `Browser::start`.
//!
//! Each edit sets the value of `#usd-per-gpu-hour` and dispatches the `input`
//! event a keystroke fires (the field's `on:input` handler), then records,
//! with `performance.now()` inside the page:
//! - "input to figure text": until the first mutation of `#usd-per-m-output`;
//! - "input to cost text": until the first mutation of `#cost-per-response`;
//! - "input to next frame": until the `requestAnimationFrame` callback after
//!   the figure's mutation, the frame that paints it.
//!
//! The browser's own delay from key press to `input` event is not included.
//! Consecutive values alternate between about 2.9 and 4.4 $/GPU-hour, so
//! every figure changes at three significant digits; an edit whose figure
//! does not change within 1 s counts as a timeout.

use std::time::Duration;

use end_to_end::{Browser, Server};
use serde_json::Value;

/// Edits measured.
const EDITS: usize = 50;
/// Edits made first and left out of the figures.
const WARM_UP: usize = 5;
/// Pause between edits, about the pace of typing.
const GAP: Duration = Duration::from_millis(100);
/// The issue's budget.
const BUDGET_MS: f64 = 16.0;

/// One edit, timed inside the page. Resolves to the milliseconds from the
/// dispatch to each observation, or `null` for those not seen within 1 s.
const EDIT: &str = r#"
const [inputId, figureId, costId, value] = arguments;
const input = document.getElementById(inputId);
const figure = document.getElementById(figureId);
const cost = document.getElementById(costId);
return new Promise(done => {
    const result = { figure: null, cost: null, frame: null, timedOut: false,
                     before: figure.textContent, after: null };
    const observers = [];
    let timer = null;
    const finish = () => {
        if (result.figure === null || result.cost === null || result.frame === null) return;
        observers.forEach(o => o.disconnect());
        clearTimeout(timer);
        result.after = figure.textContent;
        done(result);
    };
    const watch = (element, onChange) => {
        const observer = new MutationObserver(() => {
            observer.disconnect();
            onChange(performance.now());
        });
        observer.observe(element, { characterData: true, childList: true, subtree: true });
        observers.push(observer);
    };
    let start = 0;
    watch(figure, now => {
        result.figure = now - start;
        requestAnimationFrame(() => {
            result.frame = performance.now() - start;
            finish();
        });
    });
    watch(cost, now => {
        result.cost = now - start;
        finish();
    });
    timer = setTimeout(() => {
        observers.forEach(o => o.disconnect());
        result.timedOut = true;
        result.after = figure.textContent;
        done(result);
    }, 1000);
    input.value = value;
    start = performance.now();
    input.dispatchEvent(new Event('input', { bubbles: true }));
});
"#;

/// One edit's observations, in milliseconds.
struct Edit {
    figure: Option<f64>,
    cost: Option<f64>,
    frame: Option<f64>,
}

#[tokio::main]
async fn main() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    browser.wait_for_css("#usd-per-gpu-hour").await;

    let agent = browser
        .client
        .execute("return navigator.userAgent", vec![])
        .await
        .expect("the user agent is readable");
    let version = browser
        .client
        .capabilities()
        .and_then(|c| c.get("browserVersion"))
        .and_then(Value::as_str)
        .map(str::to_owned);

    let mut edits = Vec::with_capacity(EDITS);
    let mut timeouts = 0;
    let mut unchanged = 0;
    for i in 0..WARM_UP + EDITS {
        let base = if i % 2 == 0 { 2.94 } else { 4.41 };
        let value = format!("{:.2}", base + i as f64 * 0.01);
        let result = browser
            .client
            .execute(
                EDIT,
                vec![
                    "usd-per-gpu-hour".into(),
                    "usd-per-m-output".into(),
                    "cost-per-response".into(),
                    value.into(),
                ],
            )
            .await
            .expect("the edit script runs");
        tokio::time::sleep(GAP).await;
        if i < WARM_UP {
            continue;
        }
        if result["timedOut"].as_bool() == Some(true) {
            timeouts += 1;
        }
        if result["before"] == result["after"] {
            unchanged += 1;
        }
        edits.push(Edit {
            figure: result["figure"].as_f64(),
            cost: result["cost"].as_f64(),
            frame: result["frame"].as_f64(),
        });
    }
    browser.close().await;

    println!(
        "Chromium {} ({})",
        version.as_deref().unwrap_or("version unknown"),
        agent.as_str().unwrap_or("no user agent")
    );
    println!(
        "{EDITS} edits of #usd-per-gpu-hour after {WARM_UP} warm-up, {} ms apart; \
         {timeouts} timed out (1 s), {unchanged} left the figure unchanged",
        GAP.as_millis()
    );
    println!("budget {BUDGET_MS} ms; times in ms:");
    println!(
        "{:<32} {:>3} {:>7} {:>7} {:>7} {:>7} {:>9}",
        "", "n", "min", "median", "p90", "max", "<= budget"
    );
    report(
        "input to figure text",
        edits.iter().filter_map(|e| e.figure),
    );
    report("input to cost text", edits.iter().filter_map(|e| e.cost));
    report(
        "input to next frame (to paint)",
        edits.iter().filter_map(|e| e.frame),
    );
}

/// Prints min, median, p90 and max of `samples`, and how many meet the budget.
fn report(label: &str, samples: impl Iterator<Item = f64>) {
    let mut samples: Vec<f64> = samples.collect();
    if samples.is_empty() {
        println!("{label:<32}   0 (no samples)");
        return;
    }
    samples.sort_by(f64::total_cmp);
    // Nearest rank: the smallest sample at or above the share `q`.
    let at =
        |q: f64| samples[((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
    let within = samples.iter().filter(|&&s| s <= BUDGET_MS).count();
    println!(
        "{label:<32} {:>3} {:>7.2} {:>7.2} {:>7.2} {:>7.2} {:>9}",
        samples.len(),
        samples[0],
        at(0.5),
        at(0.9),
        samples[samples.len() - 1],
        format!("{within}/{}", samples.len()),
    );
}
