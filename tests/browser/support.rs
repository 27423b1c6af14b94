//! Helpers the browser tests share: the worked example, share links, locators and waits.

use std::time::{Duration, Instant};

use end_to_end::{Browser, PATIENCE, Server, figure, http, workspace_root};

/// The worked example: one 8-GPU server, owned, measured at 20,000 output
/// tokens/s drawing 7,100 W at the server, 30 % utilised (518,400 requests
/// a day of 1,000 output tokens is 6 a second against the 20 it serves),
/// no prompt tokens, so every cost falls on output tokens. By hand:
///
/// - Owned, an hour: capital $300,000 × 0.30192 (8 % a year over 4 years)
///   ÷ 8,760 h = 10.3398; upkeep 300,000 × 8 % ÷ 8,760 = 2.7397; hosting
///   $150 × 7.1 kW ÷ 730 h = 1.4589; staff 50,000 ÷ 8,760 = 5.7078;
///   electricity for the average draw (GPUs between 62.5 W idle and 700 W
///   at load, 30 % busy, and the host's 1,500 W), 8 × (62.5 + 637.5 × 0.3)
///   plus 1,500 = 3,530 W, × 1.4 × $0.0892/kWh = 0.4408. In all $20.6870 an
///   hour, $2.5859 per GPU-hour, × 730 = $15,101 a month, 70 % of it
///   ($10,571) for idle time.
/// - Output tokens at 30 %: 20,000 × 3,600 × 0.3 = 21.6 M an hour, so
///   20.6870 ÷ 21.6 = $0.9577 per million, $0.000958 per response of
///   1,000, and 1 M ÷ 0.9577 = 1.04 M tokens per dollar.
/// - Energy at load: 20,000 ÷ 7,100 = 2.82 tokens/J at the server (10.1 M
///   tokens/kWh), (7,100 − 1,500) ÷ 8 = 700 W per GPU; at the facility
///   7,100 × 1.4 ÷ 20,000 = 0.497 J a token, so 497 J (0.138 Wh) a
///   response with every GPU busy. At 30 %, the average facility draw,
///   3,530 W × 1.4 = 4,942 W, over 6,000 tokens/s is 0.824 J a token: 824 J
///   (0.229 Wh, and at 380 g/kWh 0.0869 g CO2e) a response, the figure
///   shown per response.
/// - Rented at $2.94: 8 × 2.94 = $23.52 an hour, ÷ 21.6 = $1.09 per
///   million, × 730 = $17,170 a month. Owning costs 10.3472 an hour to run
///   (all but capital), so the $300,000 pays back after
///   300,000 ÷ ((23.52 − 10.3472) × 730) = 31.2 months in cash; with the
///   savings discounted at 8 % a year (0.643403 % a month),
///   −ln(1 − 300,000 × 0.00643403 ÷ 9,616.13) ÷ ln(1.00643403) = 34.9.
pub const WORKED: &str = "tests/scenarios/owned-server-worked.json";

/// Pastes the worked example into "Import a scenario (JSON)" and imports it.
pub async fn import_worked(browser: &Browser) {
    let json = std::fs::read_to_string(workspace_root().join(WORKED)).unwrap();
    browser.open_all_sections().await;
    browser.paste_into("import-json", &json).await;
    browser.click("import-button").await;
    browser.wait_for_text("import-status", "Imported.").await;
}

/// The id in a share link's path.
pub fn scenario_id(path: &str) -> String {
    path.strip_prefix("/s/")
        .unwrap_or_else(|| panic!("not a share link: {path}"))
        .to_owned()
}

/// A cell of "Compare cloud and owned": column 1 is rented, 2 owned.
pub fn cloud_vs_owned(row: &str, column: usize) -> String {
    format!("//details[@id='cloud-vs-owned']//tr[th[normalize-space(.)='{row}']]/td[{column}]")
}

/// The explanation under the headline figure `id`: the inputs it used.
pub fn explanation(id: &str) -> String {
    format!("//*[@id='{id}']/ancestor::details[1]//p[@class='inputs']")
}

/// Whole dollars as the page writes amounts from $10,000 up: `$34,339`.
pub fn whole_dollars(amount: f64) -> String {
    assert!((1e4..1e6).contains(&amount), "{amount}");
    let whole = amount.round() as u64;
    format!("${},{:03}", whole / 1000, whole % 1000)
}

/// Clicks the `label` button of the one scenario in "My scenarios".
pub async fn click_in_my_scenarios(browser: &Browser, label: &str) {
    browser
        .client
        .find(fantoccini::Locator::XPath(&format!(
            "//section[@id='my-scenarios']//button[.='{label}']"
        )))
        .await
        .unwrap_or_else(|e| panic!("no {label} button in My scenarios: {e}"))
        .click()
        .await
        .unwrap();
}

/// Waits until the fleet is whole replicas of `size` GPUs, as many as its
/// explanation counts, and returns its GPUs.
pub async fn wait_for_replicas_of(browser: &Browser, size: u32) -> u32 {
    let start = Instant::now();
    loop {
        let gpus = browser.number_in("fleet").await;
        let why = browser.text_at(&explanation("fleet")).await;
        let replicas = why.split(' ').next().and_then(figure);
        if replicas.is_some_and(|r| r * f64::from(size) == gpus) {
            return gpus as u32;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "the fleet never became replicas of {size} GPUs: {gpus} GPUs, {why:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until the `kind` chart on the planner is drawn for a deployment
/// that `holds`: the deployment travels in the image's URL.
pub async fn wait_for_chart_of(
    browser: &Browser,
    kind: &str,
    holds: impl Fn(&serde_json::Value) -> bool,
) {
    let start = Instant::now();
    loop {
        let drawn = browser
            .client
            .execute(
                "const src = document.getElementById(arguments[0]).getAttribute('src');
                 const query = new URL(src, location.href).searchParams.get('scenario');
                 if (!query) return null;
                 const base64 = query.replace(/-/g, '+').replace(/_/g, '/');
                 const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - base64.length % 4) % 4)),
                     c => c.charCodeAt(0));
                 return JSON.parse(new TextDecoder().decode(bytes));",
                vec![format!("chart-{kind}").into()],
            )
            .await
            .unwrap_or_else(|e| panic!("no {kind} chart: {e}"));
        if holds(&drawn) {
            return;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "the {kind} chart was not redrawn for the inputs: {drawn}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Saves what the planner shows under `name` and returns the new share
/// link's path, once it differs from `previous` (an earlier save's).
pub async fn save_as(browser: &Browser, name: &str, previous: Option<&str>) -> String {
    browser.type_into("scenario-name-input", name).await;
    browser.click("save").await;
    let start = Instant::now();
    loop {
        let link = browser
            .wait_for_css("#share-link")
            .await
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        if Some(link.as_str()) != previous {
            return link;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "saving {name:?} showed no new share link"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until the chart image has loaded and decoded to a real size.
pub async fn wait_for_chart_loaded(browser: &Browser, element_id: &str) {
    let loaded = browser
        .client
        .execute(
            "const img = document.getElementById(arguments[0]);
             return new Promise(done => {
                 const check = () => img.complete && img.naturalWidth > 0
                     ? done(img.naturalWidth) : setTimeout(check, 20);
                 check();
             });",
            vec![element_id.into()],
        )
        .await
        .unwrap();
    assert_eq!(
        loaded.as_u64(),
        Some(640),
        "the chart decodes at its drawn size"
    );
}

/// Saves the support-chat scenario under `name` through the server's API,
/// as another person would have: its id.
pub fn save_support_chat(server: &Server, name: &str) -> String {
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
