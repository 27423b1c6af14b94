use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::StatusCode;

use crate::support::TestApp;

const SUPPORT_CHAT: &str = include_str!("../../../tests/scenarios/llama-70b-support-chat.json");

fn support_chat() -> serde_json::Value {
    serde_json::from_str(SUPPORT_CHAT).unwrap()
}

fn url(kind: &str, deployment: &serde_json::Value) -> String {
    let encoded = URL_SAFE_NO_PAD.encode(deployment.to_string());
    format!("/api/v1/charts/{kind}.svg?scenario={encoded}")
}

/// Each chart with its title and the axis names (with units) it must show.
const CHARTS: [(&str, &[&str]); 7] = [
    (
        "concurrency",
        &[
            "Throughput per GPU vs speed per user as concurrency grows",
            "output tokens/s per user",
            "output tokens/s per GPU",
            "$ per million output tokens",
            "this deployment: concurrency",
            "TPOT target",
        ],
    ),
    (
        "energy",
        &[
            "Energy per token vs concurrency",
            "output tokens per joule",
            "sequences in flight per replica",
            "this deployment",
        ],
    ),
    (
        "response-cost",
        &[
            "Cost per meaningful response, term by term",
            "$ per 1,000 meaningful responses",
            "generated tokens × attempts",
            "prompt tokens × attempts",
            "pre/post-processing",
        ],
    ),
    (
        "carbon",
        &[
            "Carbon per meaningful response, operational and embodied",
            "g CO2e per 1,000 responses; a month:",
            "operational, location-based",
            "embodied not given",
        ],
    ),
    (
        "months",
        &[
            "Cumulative cost: cloud vs on-prem",
            "cumulative cost in cash, $ (",
            "months",
            "cloud rental",
            "break-even: month",
        ],
    ),
    (
        "utilisation",
        &[
            "Cost per million tokens vs utilisation",
            "utilisation, % of capacity",
            "$ per million output tokens",
            "% utilised",
        ],
    ),
    (
        "sensitivity",
        &[
            "Sensitivity of the cost per response",
            "cost per meaningful response, $ per 1,000 responses",
            "GPU rental price",
            "input 20 % lower",
            "input 20 % higher",
        ],
    ),
];

#[tokio::test]
async fn every_chart_is_a_cacheable_svg_with_its_title_units_and_dark_theme() {
    let app = TestApp::new().await;
    for (kind, texts) in CHARTS {
        let response = app.get(&url(kind, &support_chat())).await;
        assert_eq!(response.status, StatusCode::OK, "{kind}: {}", response.body);
        assert!(response.content_type.starts_with("image/svg+xml"), "{kind}");
        assert!(response.body.starts_with("<svg"), "{kind}");
        assert!(
            response
                .body
                .contains("@media (prefers-color-scheme: dark)"),
            "{kind}"
        );
        for text in texts {
            // plotters escapes nothing but `&`, `<` and `>` in text.
            assert!(response.body.contains(text), "{kind} lacks {text:?}");
        }
    }
}

#[tokio::test]
async fn charts_may_be_cached_by_their_url() {
    let app = TestApp::new().await;
    let response = app.get(&url("months", &support_chat())).await;
    assert_eq!(response.status, StatusCode::OK);
    let cache = response
        .headers
        .get(http::header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(cache.starts_with("public, max-age="), "{cache}");
}

/// The break-even month printed on the months chart.
fn break_even_month(svg: &str) -> f64 {
    let at = svg.find("break-even: month ").unwrap() + "break-even: month ".len();
    let digits: String = svg[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits.parse().unwrap()
}

#[tokio::test]
async fn dearer_rental_brings_the_break_even_forward() {
    let app = TestApp::new().await;
    let cheap = support_chat();
    let mut dear = support_chat();
    dear["pricing"]["usd_per_gpu_hour"] = serde_json::json!(2.94 * 2.0);
    let cheap = app.get(&url("months", &cheap)).await;
    let dear = app.get(&url("months", &dear)).await;
    assert_eq!(cheap.status, StatusCode::OK);
    assert_eq!(dear.status, StatusCode::OK);
    assert!(break_even_month(&dear.body) < break_even_month(&cheap.body));
}

/// The carbon chart's bars are the report's figures per thousand
/// responses, embodied stacked on the location-based operational carbon,
/// and its axis carries each month's.
#[tokio::test]
async fn the_carbon_chart_draws_the_reports_carbon_per_thousand_responses() {
    let app = TestApp::new().await;
    let mut d = support_chat();
    d["pricing"]["market_g_co2_per_kwh"] = serde_json::json!(50.0);
    d["pricing"]["embodied_kg_co2e_per_gpu"] = serde_json::json!(318.0);
    let report = app
        .post_json("/api/v1/evaluate", d.to_string())
        .await
        .json()["report"]
        .clone();
    let c = &report["carbon"];
    let g = |key: &str| c[key].as_f64().unwrap();
    let chart = app.get(&url("carbon", &d)).await;
    assert_eq!(chart.status, StatusCode::OK);
    // Labels are written to three significant figures, trailing zeros cut.
    let label = |v: f64| {
        let decimals = (2 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
        let text = format!("{v:.decimals$}");
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            text
        }
    };
    let (location, market, embodied) = (
        g("location_g_per_response") * 1e3,
        g("market_g_per_response") * 1e3,
        g("embodied_g_per_response") * 1e3,
    );
    for (what, v) in [
        ("location-based", location),
        ("market-based", market),
        ("embodied", embodied),
        ("total", location + embodied),
    ] {
        let text = format!(" {} g", label(v));
        assert!(
            chart.body.contains(&text),
            "{what}: {text} not in the chart"
        );
    }
    for (what, key) in [
        ("kg operational", "location_kg_per_month"),
        ("kg embodied", "embodied_kg_per_month"),
    ] {
        let text = format!("{} {what}", label(g(key)));
        assert!(chart.body.contains(&text), "{text} not in the chart");
    }
}

#[tokio::test]
async fn more_prompt_tokens_lengthen_the_prompt_bar() {
    let app = TestApp::new().await;
    let mut long = support_chat();
    long["use_case"]["input_tokens"] = serde_json::json!(8000);
    let short = app.get(&url("response-cost", &support_chat())).await;
    let long = app.get(&url("response-cost", &long)).await;
    assert_eq!(long.status, StatusCode::OK);
    assert_ne!(short.body, long.body);
}

#[tokio::test]
async fn a_field_out_of_range_is_a_422_naming_it() {
    let app = TestApp::new().await;
    let mut bad = support_chat();
    bad["use_case"]["input_tokens"] = serde_json::json!(-5);
    let response = app.get(&url("concurrency", &bad)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["field"], "use_case.input_tokens");

    let mut unknown = support_chat();
    unknown["hardware"]["catalogue"] = serde_json::json!("abacus");
    let response = app.get(&url("energy", &unknown)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["field"], "hardware.catalogue");
}

#[tokio::test]
async fn a_wrongly_typed_field_is_named_by_its_path() {
    let app = TestApp::new().await;
    let mut bad = support_chat();
    bad["pricing"]["pue"] = serde_json::json!("high");
    let response = app.get(&url("months", &bad)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["field"], "pricing.pue");
}

#[tokio::test]
async fn a_use_case_field_left_to_no_preset_is_named() {
    let app = TestApp::new().await;
    let mut bad = support_chat();
    bad["use_case"]
        .as_object_mut()
        .unwrap()
        .remove("output_tokens");
    let response = app.get(&url("months", &bad)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["field"], "use_case.output_tokens");
}

#[tokio::test]
async fn bad_base64_or_bad_json_or_no_scenario_is_a_400_naming_scenario() {
    let app = TestApp::new().await;
    for uri in [
        "/api/v1/charts/months.svg?scenario=not*base64".to_owned(),
        format!(
            "/api/v1/charts/months.svg?scenario={}",
            URL_SAFE_NO_PAD.encode("{\"model\": ")
        ),
        "/api/v1/charts/months.svg".to_owned(),
    ] {
        let response = app.get(&uri).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{uri}");
        let body = response.json();
        assert!(body["detail"].is_string(), "{uri}");
        if uri.contains("not*base64") || uri.ends_with(".svg") {
            assert_eq!(body["field"], "scenario", "{uri}");
        }
    }
}

#[tokio::test]
async fn an_unknown_chart_or_format_is_a_404_naming_chart() {
    let app = TestApp::new().await;
    for chart in ["pie.svg", "months.gif", "months"] {
        let encoded = URL_SAFE_NO_PAD.encode(SUPPORT_CHAT);
        let response = app
            .get(&format!("/api/v1/charts/{chart}?scenario={encoded}"))
            .await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{chart}");
        let body = response.json();
        assert_eq!(body["field"], "chart");
        assert!(body["detail"].as_str().unwrap().contains(".svg or .png"));
    }
}

#[tokio::test]
async fn every_chart_is_also_a_png() {
    let app = TestApp::new().await;
    for (kind, _) in CHARTS {
        let response = app
            .get(&url(kind, &support_chat()).replace(".svg?", ".png?"))
            .await;
        assert_eq!(response.status, StatusCode::OK, "{kind}");
        assert_eq!(response.content_type, "image/png", "{kind}");
    }
}

#[tokio::test]
async fn an_overlong_query_is_refused_with_a_json_error() {
    let app = TestApp::new().await;
    let response = app
        .get(&format!(
            "/api/v1/charts/months.svg?scenario={}",
            "A".repeat(20 * 1024)
        ))
        .await;
    assert_eq!(response.status, StatusCode::URI_TOO_LONG);
    assert!(
        response.json()["detail"]
            .as_str()
            .unwrap()
            .contains("16384")
    );
}

/// A price so small that a cost per token rounds to zero still evaluates
/// (every range allows it), so each chart draws or says why it cannot, as a
/// 422; it never fails as a server error.
#[tokio::test]
async fn a_deployment_that_evaluates_gets_every_chart_or_a_422_saying_why() {
    let app = TestApp::new().await;
    for (field, value) in [
        ("usd_per_gpu_hour", 5e-324),
        ("usd_per_gpu_hour", 1e-300),
        ("usd_per_kwh", 5e-324),
    ] {
        let mut d = support_chat();
        d["pricing"][field] = serde_json::json!(value);
        for mode in ["cloud", "on_prem"] {
            d["pricing"]["mode"] = serde_json::json!(mode);
            let evaluated = app.post_json("/api/v1/evaluate", d.to_string()).await;
            assert_eq!(evaluated.status, StatusCode::OK, "{field} {value} {mode}");
            for (kind, _) in CHARTS {
                let chart = app.get(&url(kind, &d)).await;
                match chart.status {
                    StatusCode::OK => assert!(chart.body.contains("<svg"), "{kind}"),
                    StatusCode::UNPROCESSABLE_ENTITY => {
                        let detail = chart.json()["detail"].as_str().unwrap().to_owned();
                        assert!(detail.contains("check the prices"), "{kind}: {detail}");
                    }
                    other => panic!(
                        "{kind} at {field} = {value}, {mode}: {other} {}",
                        chart.body
                    ),
                }
            }
        }
    }
}

#[tokio::test]
async fn ranges_on_the_inputs_draw_bands_round_the_months_lines() {
    let app = TestApp::new().await;
    let plain = app.get(&url("months", &support_chat())).await;
    assert!(!plain.body.contains("P10 to P90"));
    let mut ranged = support_chat();
    ranged["ranges"] = serde_json::json!({
        "inputs": [{ "input": "pricing.usd_per_gpu_hour", "low": 2.0, "high": 5.0 }]
    });
    let banded = app.get(&url("months", &ranged)).await;
    assert_eq!(banded.status, StatusCode::OK, "{}", banded.body);
    assert!(banded.body.contains("cloud, P10 to P90"), "{}", banded.body);
    assert!(banded.body.contains("on-prem, P10 to P90"));
    assert!(banded.body.contains("<polygon"), "the bands are drawn");
}

#[tokio::test]
async fn ranges_draw_bands_round_the_concurrency_curves_and_a_whisker_on_the_cost() {
    let app = TestApp::new().await;
    for kind in ["concurrency", "response-cost"] {
        let plain = app.get(&url(kind, &support_chat())).await;
        assert!(!plain.body.contains("P10 to P90"), "{kind}");
    }
    let mut ranged = support_chat();
    ranged["ranges"] = serde_json::json!({});
    let curves = app.get(&url("concurrency", &ranged)).await;
    assert_eq!(curves.status, StatusCode::OK, "{}", curves.body);
    assert!(
        curves
            .body
            .contains("tokens/s per GPU and per user, P10 to P90")
    );
    assert!(
        curves
            .body
            .contains("$ per million output tokens, P10 to P90")
    );
    assert_eq!(curves.body.matches("<polygon").count(), 2, "two bands");
    // Each band has width: many distinct points, not one repeated.
    for polygon in curves.body.split("<polygon").skip(1) {
        let points = polygon
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let distinct: std::collections::BTreeSet<&str> = points.split_whitespace().collect();
        assert!(distinct.len() > 10, "{points}");
    }
    // A range that is not one is named before anything is drawn.
    let mut bad = support_chat();
    bad["ranges"] = serde_json::json!({
        "inputs": [{ "input": "pricing.usd_per_gpu_hour", "low": 3.5, "high": 5.0 }]
    });
    for kind in ["concurrency", "response-cost", "months", "energy"] {
        let refused = app.get(&url(kind, &bad)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{kind}");
        assert_eq!(
            refused.json()["field"],
            "ranges.inputs[0].low",
            "{kind}: {}",
            refused.body
        );
    }
    let cost = app.get(&url("response-cost", &ranged)).await;
    assert_eq!(cost.status, StatusCode::OK, "{}", cost.body);
    // The whisker's figures are the ranges' own.
    let d: tokenfab_core::deployment::Deployment = serde_json::from_value(ranged).unwrap();
    let report = tokenfab_core::uncertainty::evaluate_ranges(&d).unwrap();
    let f = &report.figures[0];
    assert_eq!(f.figure, "cost_per_response_usd");
    let at = cost
        .body
        .find("P10 to P90, $")
        .expect("the whisker is named")
        + 13;
    let figures: Vec<f64> = cost.body[at..]
        .split(['$', ')', ' '])
        .filter_map(|w| w.parse().ok())
        .take(2)
        .collect();
    let near = |shown: f64, drawn: f64| (shown / (drawn * 1e3) - 1.0).abs() < 0.005;
    assert!(
        near(figures[0], f.p10) && near(figures[1], f.p90),
        "{figures:?} against {} to {}",
        f.p10,
        f.p90
    );
}

#[tokio::test]
async fn with_ranges_the_sensitivity_chart_moves_each_input_over_its_own_range() {
    let app = TestApp::new().await;
    let mut ranged = support_chat();
    ranged["ranges"] = serde_json::json!({
        "inputs": [
            { "input": "pricing.usd_per_gpu_hour", "low": 2.0, "high": 5.0 },
            { "input": "use_case.output_tokens", "low": 250, "high": 350 }
        ],
        "model_error": false,
        "catalogue_spread": false
    });
    let chart = app.get(&url("sensitivity", &ranged)).await;
    assert_eq!(chart.status, StatusCode::OK, "{}", chart.body);
    assert!(
        chart.body.contains("each input over its range"),
        "{}",
        chart.body
    );
    // Each input named with its share of the spread.
    let share = |name: &str| -> f64 {
        let at = chart.body.find(name).unwrap() + name.len();
        chart.body[at..].split(' ').next().unwrap().parse().unwrap()
    };
    assert!(share("GPU rental price (") > share("output tokens ("));
    // One uncertain input alone is still a bar with its name.
    ranged["ranges"]["inputs"]
        .as_array_mut()
        .unwrap()
        .truncate(1);
    let alone = app.get(&url("sensitivity", &ranged)).await;
    assert!(
        alone.body.contains("GPU rental price (100 %)"),
        "{}",
        alone.body
    );
    let bars = |body: &str| body.matches("<rect").count();
    assert!(
        bars(&alone.body) >= bars(&chart.body) - 2,
        "the bar is drawn"
    );
    let plain = app.get(&url("sensitivity", &support_chat())).await;
    assert!(plain.body.contains("inputs ±20 %"));
}
