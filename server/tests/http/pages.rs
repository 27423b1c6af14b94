use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::StatusCode;

use app::chart_query::{DeploymentChart, compare_query, deployment_chart_url};
use app::format;
use tokenfab_core::deployment::Deployment;

use crate::support::TestApp;

#[tokio::test]
async fn the_planner_renders_the_default_deployments_figures_before_any_script_runs() {
    let app = TestApp::new().await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("text/html"));
    let r = Deployment::example().evaluate().unwrap();
    for (id, value) in [
        (
            "cost-per-response",
            format::usd(r.per_response.cost_per_response_usd, 3),
        ),
        (
            "usd-per-m-output",
            format::usd(r.costs.at_utilisation.usd_per_m_output, 3),
        ),
        (
            "tokens-per-joule",
            format::significant(r.energy.tokens_per_joule, 3),
        ),
        ("tpot", format::significant(r.performance.tpot_ms, 3)),
        ("fleet", r.fleet.gpus.to_string()),
    ] {
        let expected = format!(r#"id="{id}" class="value">{value}<"#);
        assert!(page.body.contains(&expected), "missing {expected}");
    }
    // Cloud and owned side by side, from the first paint.
    let c = tokenfab_core::tradeoffs::cloud_vs_owned(&Deployment::example()).unwrap();
    assert!(page.body.contains(r#"id="cloud-vs-owned""#));
    assert!(
        page.body
            .contains(&format::usd(c.owned_usd_per_gpu_hour, 3))
    );
    // Plausible on its face: a support-chat answer costs well under a cent.
    assert!(r.per_response.cost_per_response_usd < 0.01);
}

#[tokio::test]
async fn the_inputs_are_filled_in_on_first_paint() {
    let app = TestApp::new().await;
    let page = app.get("/").await.body;
    assert!(
        page.contains(r#"id="model-name""#) && page.contains(r#"value="Llama 3.1 70B Instruct""#)
    );
    assert!(page.contains(r#"id="gpus-per-replica""#) && page.contains(r#"value="4""#));
    assert!(page.contains(r#"value="2.94""#));
}

#[tokio::test]
async fn the_page_loads_the_hydration_script_and_points_at_its_charts() {
    let app = TestApp::new().await;
    let page = app.get("/").await.body;
    assert!(page.contains("/pkg/tokenfab.js"));
    for chart in DeploymentChart::ALL {
        let kind = chart.slug();
        let url = deployment_chart_url(chart, &Deployment::example());
        assert!(page.contains(&format!(r#"src="{url}""#)), "no {kind} chart");
        // And the server draws what the page points at.
        assert_eq!(app.get(&url).await.status, StatusCode::OK, "{kind}");
    }
}

#[tokio::test]
async fn an_unknown_page_is_a_404_with_a_way_back() {
    let app = TestApp::new().await;
    let page = app.get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found"));
    // Nothing to hydrate: the browser is not sent for the app's module.
    assert!(!page.body.contains("/pkg/tokenfab.js"), "{}", page.body);
    assert!(page.body.contains("id=\"theme-switch\""));
}

/// Saves `scenario` under `name` through the API and returns its id.
async fn save(app: &TestApp, name: &str, scenario: serde_json::Value) -> String {
    let body = serde_json::json!({ "name": name, "scenario": scenario }).to_string();
    let response = app.post_json("/api/v1/scenarios", body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    response.json()["id"].as_str().unwrap().to_owned()
}

fn support_chat() -> serde_json::Value {
    serde_json::to_value(Deployment::example()).unwrap()
}

/// The worked owned server (`tests/scenarios/owned-server-worked.json`) on
/// its share page, before any script runs, to the digits shown. By hand:
/// owned $20.6870 an hour (capital 10.3398, maintenance 2.7397, hosting
/// 1.4589, staff 5.7078, electricity 3.53 kW × 1.4 × 0.0892 = 0.44083) for
/// 20,000 × 3,600 × 0.3 = 21.6 M tokens: $0.9577 per million, $0.000958 per
/// 1,000-token response; × 730 = $15,101 a month, 70 % of it idle:
/// $10,571; 20,000 / 7,100 W = 2.82 tokens/J; 7.1 × 1.4 / 20,000 = 0.497 J
/// per token at load, 3.53 × 1.4 / 6,000 = 0.824 J at 30 %, 86.9 g CO2e
/// per million tokens; 20,000 tokens/s at 7.1 × 1.4 = 9.94 kW is 2.01 M
/// tokens/s per MW at the meter; a response of 1,000 tokens takes 824 J = 0.229 Wh
/// at 30 %, 0.138 Wh with every GPU busy; break-even 300,000 / ((23.52 − 10.3472) × 730) =
/// 31.2 months in cash, 34.9 discounted at 8 %.
#[tokio::test]
async fn a_share_link_shows_the_worked_owned_server_figures_by_hand() {
    let app = TestApp::new().await;
    let scenario: serde_json::Value = serde_json::from_str(include_str!(
        "../../../tests/scenarios/owned-server-worked.json"
    ))
    .unwrap();
    let id = save(&app, "Owned server", scenario).await;
    let page = app.get(&format!("/s/{id}")).await.body;
    for (id, shown) in [
        ("usd-per-m-output", "$0.958"),
        ("cost-per-response", "$0.000958"),
        ("monthly-cost", "$15,101"),
        ("tokens-per-joule", "2.82"),
        ("wh-per-response", "0.229"),
        ("fleet", "8"),
    ] {
        let expected = format!(r#"id="{id}" class="value">{shown}<"#);
        assert!(page.contains(&expected), "missing {expected}");
    }
    for text in [
        "$10,571 of it pays for idle capacity",
        "owned $2.59 vs rented $2.94 per GPU-hour",
        "buying pays back after 31.2 months in cash, 34.9 discounted at 8 % a year",
        "0.497 J per generated token at load, 0.824 J at the fleet's utilisation; 2.01 M tokens/s per MW, the fleet peaking at 9.94 kW",
        "86.9 g CO2e per million generated tokens",
        "824 J per response, idle draw included: 0.00 J per prompt token, 0.824 J per generated token. With every GPU busy: 0.138 Wh.",
    ] {
        assert!(page.contains(text), "missing {text}");
    }
}

#[tokio::test]
async fn a_share_link_shows_the_saved_scenario_read_only_with_its_figures_and_charts() {
    let app = TestApp::new().await;
    let mut scenario = support_chat();
    scenario["use_case"]["requests_per_day"] = serde_json::json!(500_000);
    let id = save(&app, "Support bot, Q3", scenario.clone()).await;

    let page = app.get(&format!("/s/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Support bot, Q3"));
    let d: Deployment = serde_json::from_value(scenario).unwrap();
    let r = d.evaluate().unwrap();
    let cost = format!(
        r#"id="cost-per-response" class="value">{}<"#,
        format::usd(r.per_response.cost_per_response_usd, 3)
    );
    assert!(page.body.contains(&cost), "missing {cost}");
    assert!(page.body.contains(&format!(r#"href="/?copy={id}""#)));
    // No inputs to edit: it is read-only.
    assert!(!page.body.contains(r#"id="usd-per-gpu-hour""#));
    // Its charts have short, stable URLs that draw.
    for kind in DeploymentChart::ALL.map(DeploymentChart::slug) {
        let url = format!("/s/{id}/{kind}.svg");
        assert!(page.body.contains(&format!(r#"src="{url}""#)), "{kind}");
        let chart = app.get(&url).await;
        assert_eq!(chart.status, StatusCode::OK, "{kind}");
        assert!(chart.content_type.starts_with("image/svg+xml"));
    }
}

#[tokio::test]
async fn a_scenario_name_with_markup_is_shown_as_text() {
    let app = TestApp::new().await;
    let id = save(&app, "<script>alert(1)</script><b>x</b>", support_chat()).await;
    let page = app.get(&format!("/s/{id}")).await.body;
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"));
    assert!(!page.contains("<script>alert(1)"));
    assert!(!page.contains("<b>x</b>"));
    // Nor can a name break out of the page title.
    let id = save(&app, "</title><script>alert(2)</script>", support_chat()).await;
    let page = app.get(&format!("/s/{id}")).await.body;
    assert!(!page.contains("<script>alert(2)"), "{page}");
    assert!(page.contains("<title>‹/title›‹script›alert(2)‹/script›: tokenfab</title>"));
}

#[tokio::test]
async fn unknown_or_malformed_share_links_are_404_pages() {
    let app = TestApp::new().await;
    for path in [
        "/s/00112233445566778899aabbccddeeff",
        "/s/not-an-id",
        "/s/00112233445566778899aabbccddeeff/months.svg",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
    let id = save(&app, "", support_chat()).await;
    let chart = app.get(&format!("/s/{id}/pie.svg")).await;
    assert_eq!(chart.status, StatusCode::NOT_FOUND);
    assert_eq!(chart.json()["field"], "kind");
}

#[tokio::test]
async fn make_a_copy_opens_the_editor_on_the_saved_inputs() {
    let app = TestApp::new().await;
    let mut scenario = support_chat();
    scenario["pricing"]["usd_per_gpu_hour"] = serde_json::json!(3.33);
    let id = save(&app, "", scenario).await;
    let page = app.get(&format!("/?copy={id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"id="usd-per-gpu-hour""#));
    assert!(page.body.contains(r#"value="3.33""#));
    assert!(page.body.contains(r#"id="copied-from""#));
    // The browser hydrates from the same inputs, embedded in the page.
    assert!(
        page.body
            .contains(r#"<script type="application/json" id="page-data">"#)
    );
}

#[tokio::test]
async fn a_scenario_saved_at_the_measured_level_opens_as_a_deployment() {
    let app = TestApp::new().await;
    let v1 = serde_json::json!({
        "hardware": { "gpus": 1 },
        "pricing": { "usd_per_gpu_hour": 2.0, "usd_per_kwh": 0.17 },
        "measured": { "tokens_per_s": 3000, "watts": 1000, "requests_per_hour": 10000 }
    });
    let id = save(&app, "article", v1).await;
    let page = app.get(&format!("/s/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    // The article's 3,000 tokens/s at 1,000 W.
    assert!(
        page.body
            .contains(r#"id="tokens-per-joule" class="value">3.00<"#)
    );
}

#[tokio::test]
async fn two_saved_scenarios_compare_side_by_side_with_deltas() {
    let app = TestApp::new().await;
    let base = save(&app, "four GPUs", support_chat()).await;
    let mut dearer = support_chat();
    dearer["pricing"]["usd_per_gpu_hour"] = serde_json::json!(5.88);
    let other = save(&app, "pricier rental", dearer).await;
    let page = app.get(&format!("/compare?ids={base},{other}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("four GPUs") && page.body.contains("pricier rental"));
    // Twice the rental: the monthly cost doubles, shown as a ratio.
    assert!(page.body.contains("(×2.00)"), "no ratio of 2");
    assert!(page.body.contains(r#"class="differs""#));
    // The charts overlay both, named.
    for kind in ["months", "concurrency"] {
        let url = format!("/compare/{kind}.svg?ids={base},{other}");
        assert!(page.body.contains(&format!(r#"src="{}""#, url)), "{kind}");
        let chart = app.get(&url).await;
        assert_eq!(chart.status, StatusCode::OK, "{kind}");
        assert!(chart.body.contains("four GPUs") && chart.body.contains("pricier rental"));
    }
    assert_eq!(
        app.get(&format!("/compare/months.svg?ids={base}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    for bad in [
        format!("/compare?ids={base}"),
        format!("/compare?ids={base},00112233445566778899aabbccddeeff"),
        "/compare".to_owned(),
        format!("/compare?ids={base},{base},{base},{base},{base}"),
    ] {
        assert_eq!(app.get(&bad).await.status, StatusCode::NOT_FOUND, "{bad}");
    }
}

#[tokio::test]
async fn the_current_unsaved_scenario_compares_with_a_saved_one() {
    let app = TestApp::new().await;
    let saved = save(&app, "rented at 2.94", support_chat()).await;
    // The planner's current scenario at twice the rental, never saved.
    let mut current = Deployment::example();
    current.pricing.usd_per_gpu_hour *= 2.0;
    let query = compare_query(std::slice::from_ref(&saved), Some(&current));
    let page = app.get(&format!("/compare?{query}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // The unsaved one comes first (the baseline) and links nowhere.
    let unsaved = page.body.find("Current scenario (unsaved)").unwrap();
    assert!(unsaved < page.body.find("rented at 2.94").unwrap());
    assert!(page.body.contains(&format!(r#"href="/s/{saved}""#)));
    // The saved rental is half the current one's monthly cost.
    assert!(page.body.contains("(×0.500)"), "no ratio of 0.5");
    // Its charts carry the unsaved scenario too.
    let chart = app.get(&format!("/compare/months.svg?{query}")).await;
    assert_eq!(chart.status, StatusCode::OK);
    assert!(
        chart.body.contains("Current scenario (unsaved)") && chart.body.contains("rented at 2.94")
    );
    // Alone it is one scenario: nothing to compare.
    let alone = compare_query(&[], Some(&current));
    assert_eq!(
        app.get(&format!("/compare?{alone}")).await.status,
        StatusCode::NOT_FOUND
    );

    // A current scenario that is not base64, or not a deployment, is named.
    let bad = app.get(&format!("/compare?ids={saved}&current=%%%")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["field"], "current");
    let mut wrong = serde_json::to_value(&current).unwrap();
    wrong["pricing"]["usd_per_gpu_hour"] = serde_json::json!("cheap");
    let wrong = URL_SAFE_NO_PAD.encode(wrong.to_string());
    let bad = app
        .get(&format!("/compare?ids={saved}&current={wrong}"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["field"], "pricing.usd_per_gpu_hour");
}

#[tokio::test]
async fn notes_saved_with_a_scenario_show_on_its_page_as_text() {
    let app = TestApp::new().await;
    let body = serde_json::json!({
        "name": "with notes",
        "notes": "Prices from the Q3 quote.\n<img src=x onerror=alert(3)>",
        "scenario": support_chat(),
    })
    .to_string();
    let response = app.post_json("/api/v1/scenarios", body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    let id = response.json()["id"].as_str().unwrap().to_owned();
    let page = app.get(&format!("/s/{id}")).await.body;
    assert!(page.contains("Prices from the Q3 quote."));
    assert!(page.contains("&lt;img src=x onerror=alert(3)&gt;"));
    assert!(!page.contains("<img src=x"));
    let exported = app.get(&format!("/api/v1/scenarios/{id}")).await.json();
    assert!(
        exported["notes"]
            .as_str()
            .unwrap()
            .starts_with("Prices from")
    );
}

/// A shared scenario and a comparison are drawn by the server alone: they
/// load no WebAssembly, their PNG charts come from the server, and the
/// comparison's baseline is a link.
#[tokio::test]
async fn share_and_compare_pages_work_without_script() {
    let app = TestApp::new().await;
    let base = save(&app, "four GPUs", support_chat()).await;
    let mut dearer = support_chat();
    dearer["pricing"]["usd_per_gpu_hour"] = serde_json::json!(5.88);
    let other = save(&app, "pricier rental", dearer).await;

    let shared = app.get(&format!("/s/{base}")).await.body;
    assert!(
        !shared.contains("/pkg/tokenfab.js"),
        "a share page hydrates"
    );
    let png = format!("/s/{base}/concurrency.png");
    assert!(shared.contains(&format!(r#"href="{png}""#)), "no PNG link");
    let image = app.get(&png).await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(image.content_type, "image/png");
    assert_eq!(
        app.get(&format!("/s/{base}/concurrency.gif")).await.status,
        StatusCode::NOT_FOUND
    );

    // The second scenario as the baseline: the first now costs half.
    let compare = app
        .get(&format!("/compare?ids={base},{other}&baseline=1"))
        .await
        .body;
    assert!(
        !compare.contains("/pkg/tokenfab.js"),
        "a comparison hydrates"
    );
    assert!(compare.contains("(×0.500)"), "no ratio of a half");
    assert!(compare.contains(&format!(
        r#"id="baseline-0" href="/compare?ids={base},{other}&amp;baseline=0""#
    )));
    assert!(!compare.contains(r#"id="baseline-1""#));
    // A baseline past the end is the last.
    let past = app
        .get(&format!("/compare?ids={base},{other}&baseline=9"))
        .await
        .body;
    assert!(past.contains("(×0.500)"));
}

/// The text of figure `id`'s explanation (its inputs paragraph) on `page`,
/// tags and markers taken out.
fn explanation(page: &str, id: &str) -> String {
    let at = page
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no figure {id}"));
    let start = page[at..].find(r#"<p class="inputs">"#).unwrap() + at;
    let end = page[start..].find("</p>").unwrap() + start;
    let mut text = String::new();
    let mut in_tag = false;
    for c in page[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The number just before `words` in `text`.
fn number_before(text: &str, words: &str) -> f64 {
    let at = text
        .find(words)
        .unwrap_or_else(|| panic!("{words:?} not in {text:?}"));
    let word = text[..at].split_whitespace().last().unwrap();
    let digits: String = word.chars().filter(|c| *c != ',').collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("{word:?} before {words:?} is not a number"))
}

/// Market-based and embodied carbon as the carbon explanation lists them,
/// recomputed from the figures it names: the response's energy at the
/// bought electricity's intensity, and the accelerators' footprint over
/// their months of life shared by the month's responses.
#[tokio::test]
async fn the_carbon_explanation_recomputes_market_based_and_embodied_carbon() {
    let app = TestApp::new().await;
    let mut scenario = support_chat();
    scenario["pricing"]["market_g_co2_per_kwh"] = serde_json::json!(50.0);
    scenario["pricing"]["embodied_kg_co2e_per_gpu"] = serde_json::json!(318.0);
    scenario["pricing"]["power_budget_kw"] = serde_json::json!(10.0);
    let id = save(&app, "Carbon explained", scenario).await;
    let page = app.get(&format!("/s/{id}")).await.body;
    let near = |a: f64, b: f64| (a / b - 1.0).abs() < 0.01;
    let co2 = explanation(&page, "co2-per-response");
    let wh = shown(&page, "wh-per-response");
    let market = &co2[co2.find("Market-based").unwrap()..];
    assert!(
        near(wh / 1_000.0 * 50.0, number_before(market, "g per response")),
        "{co2}"
    );
    let embodied = &co2[co2.find("Embodied").unwrap()..];
    let gpus = number_before(embodied, "GPUs)");
    let years = number_before(embodied, "years,");
    let kg_month = 318.0 * gpus / (years * 12.0);
    assert!(
        near(kg_month, number_before(embodied, "kg a month")),
        "{co2}"
    );
    // A month's responses: the example's 2 million requests a day over
    // 1.05 attempts each, for 730 hours.
    let responses = 2e6 / 24.0 * 730.0 / 1.05;
    assert!(
        near(
            kg_month * 1e3 / responses,
            number_before(embodied, "g per response")
        ),
        "{co2}"
    );
    // Over the budget, the energy explanation says so.
    let tpj = explanation(&page, "tokens-per-joule");
    assert!(tpj.contains("of the site's 10 kW budget: over it"), "{tpj}");
}

/// The number before `words` in `text`, with its SI prefix (`1.3 k`).
fn si_before(text: &str, words: &str) -> f64 {
    let at = text
        .find(words)
        .unwrap_or_else(|| panic!("{words:?} not in {text:?}"));
    let mut last = text[..at].split_whitespace().rev();
    let (word, before) = (last.next().unwrap(), last.next().unwrap_or_default());
    let scale = |prefix: &str| match prefix {
        "k" => Some(1e3),
        "M" => Some(1e6),
        "G" => Some(1e9),
        "T" => Some(1e12),
        _ => None,
    };
    let number = |w: &str| w.trim_start_matches('$').replace(',', "").parse::<f64>();
    // `$8.00 × 10⁻⁶`: a mantissa two words before the power of ten.
    if let Some(exponent) = word.strip_prefix("10") {
        let digits: String = exponent
            .chars()
            .map(|c| match c {
                '⁻' => '-',
                c => "⁰¹²³⁴⁵⁶⁷⁸⁹"
                    .chars()
                    .position(|s| s == c)
                    .and_then(|d| char::from_digit(d as u32, 10))
                    .unwrap_or(c),
            })
            .collect();
        let mantissa = text[..at].split_whitespace().rev().nth(2).unwrap();
        return number(mantissa).unwrap() * 10f64.powi(digits.parse().unwrap());
    }
    match scale(word) {
        Some(k) => number(before).unwrap() * k,
        None => number(word).unwrap_or_else(|_| panic!("{word:?} before {words:?}")),
    }
}

/// The money, fleet and latency headlines, each recomputed from the
/// figures its explanation lists: a response's three terms, tokens per
/// dollar from the rate and the throughput, the month from the fleet and
/// its rate, the fleet from its replicas, the cost per token at the
/// fleet's utilisation from the cost at full load, the latencies from
/// their means (with the energy ones above, every headline).
#[tokio::test]
async fn the_money_and_latency_explanations_recompute_the_figures_they_explain() {
    let app = TestApp::new().await;
    let scenario = support_chat();
    let id = save(&app, "Money explained", scenario.clone()).await;
    let page = app.get(&format!("/s/{id}")).await.body;
    let near = |a: f64, b: f64| (a / b - 1.0).abs() < 0.01;
    let shown_si = |id: &str| {
        let marker = format!(r#"id="{id}" class="value">"#);
        let at = page.find(&marker).unwrap() + marker.len();
        let text = &page[at..at + page[at..].find('<').unwrap()];
        si_before(&format!("{text} |"), "|")
    };

    let cost = explanation(&page, "cost-per-response");
    let terms =
        si_before(&cost, "+ input") + si_before(&cost, "+ pre/post") + si_before(&cost, "; ");
    assert!(near(terms, shown(&page, "cost-per-response")), "{cost}");
    // The pre/post term: its tokens at their price.
    let u = &scenario["use_case"];
    let pre_post = u["pre_post_tokens"].as_f64().unwrap()
        * u["usd_per_m_pre_post_tokens"].as_f64().unwrap()
        / 1e6;
    assert!(near(pre_post, si_before(&cost, "; ")), "{cost}");

    let tpd = explanation(&page, "tokens-per-usd");
    let per_gpu_hour = si_before(&tpd, "per GPU-hour");
    let tokens_per_s = si_before(&tpd, "output tokens/s per GPU");
    let served = number_before(&tpd, "% utilised") / 100.0;
    assert!(
        near(
            tokens_per_s * 3_600.0 * served / per_gpu_hour,
            shown_si("tokens-per-usd")
        ),
        "{tpd}"
    );

    let fleet = explanation(&page, "fleet");
    let gpus = shown(&page, "fleet");
    let replicas = number_before(&fleet, "replicas");
    let per_replica = scenario["hardware"]["gpus_per_replica"].as_f64().unwrap();
    assert_eq!(gpus, replicas * per_replica, "{fleet}");
    // Rented: the fleet's GPUs at their rate for 730 hours.
    assert!(near(
        gpus * per_gpu_hour * 730.0,
        shown(&page, "monthly-cost")
    ));

    let input = explanation(&page, "usd-per-m-input");
    let at_load = si_before(&input, "per million");
    let utilisation = number_before(&input, "% utilised") / 100.0;
    assert!(
        near(at_load / utilisation, shown(&page, "usd-per-m-input")),
        "{input}"
    );
    let output = explanation(&page, "usd-per-m-output");
    assert!(
        near(
            si_before(&output, "per million") / utilisation,
            shown(&page, "usd-per-m-output")
        ),
        "{output}"
    );

    // The latency figures are the mean the targets bound, as listed; a
    // user's tokens per second is one over the time per token.
    let ttft = explanation(&page, "ttft");
    assert!(
        near(number_before(&ttft, "ms, P99"), shown(&page, "ttft")),
        "{ttft}"
    );
    let tpot = explanation(&page, "tpot");
    let tpot_ms = number_before(&tpot, "ms, P99");
    assert!(near(tpot_ms, shown(&page, "tpot")), "{tpot}");
    assert!(
        near(1e3 / tpot_ms, number_before(&tpot, "tokens/s per user")),
        "{tpot}"
    );
    // No more sequences in flight than fit in memory.
    let concurrency = explanation(&page, "concurrency");
    assert!(
        shown(&page, "concurrency") <= number_before(&concurrency, "fit in memory"),
        "{concurrency}"
    );
}

/// The figure shown as `id`'s value.
fn shown(page: &str, id: &str) -> f64 {
    let marker = format!(r#"id="{id}" class="value">"#);
    let at = page.find(&marker).unwrap() + marker.len();
    let text = &page[at..at + page[at..].find('<').unwrap()];
    text.trim_start_matches('$')
        .replace(',', "")
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_energy_explanations_recompute_the_figures_they_explain() {
    let app = TestApp::new().await;
    let scenario = support_chat();
    let u = &scenario["use_case"];
    let n = |v: &serde_json::Value| v.as_f64().unwrap();
    let (prompt, generated, attempts) = (
        n(&u["input_tokens"]),
        n(&u["output_tokens"]) + n(&u["reasoning_tokens"]),
        n(&u["attempts_per_response"]),
    );
    let grid = n(&scenario["pricing"]["grid_g_co2_per_kwh"]);
    let id = save(&app, "Energy explained", scenario).await;
    let page = app.get(&format!("/s/{id}")).await.body;
    // The figures are shown to three significant figures: 1 % apart at most.
    let near = |a: f64, b: f64| (a / b - 1.0).abs() < 0.01;

    // Energy per response: the tokens of a response at the joules per
    // token the explanation lists.
    let wh = explanation(&page, "wh-per-response");
    let (j_prompt, j_generated) = (
        number_before(&wh, "J per prompt token"),
        number_before(&wh, "J per generated token"),
    );
    let joules = (prompt * j_prompt + generated * j_generated) * attempts;
    assert!(near(joules, number_before(&wh, "J per response")), "{wh}");
    assert!(
        near(joules / 3_600.0, shown(&page, "wh-per-response")),
        "{wh}"
    );

    // Carbon per response: those watt-hours on the grid the explanation names.
    let co2 = explanation(&page, "co2-per-response");
    assert!(near(number_before(&co2, "g CO2e/kWh"), grid), "{co2}");
    assert!(
        near(
            shown(&page, "wh-per-response") / 1_000.0 * grid,
            shown(&page, "co2-per-response")
        ),
        "{co2}"
    );

    // Tokens per joule: a generated token and its share of the prompt at
    // the servers' joules per token the explanation lists.
    let tpj = explanation(&page, "tokens-per-joule");
    let at_servers = &tpj[tpj.find("At the servers at load").unwrap()..];
    let per_generated = number_before(at_servers, "J per generated token")
        + number_before(at_servers, "J per prompt token") * prompt / generated;
    assert!(
        near(1.0 / per_generated, shown(&page, "tokens-per-joule")),
        "{tpj}"
    );
}
