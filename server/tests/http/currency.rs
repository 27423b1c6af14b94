//! A currency set with a rate converts every money figure the server shows
//! or writes (the share page and its preview, the charts, the CSV, the
//! comparison, the ranges page); energy, carbon, time and the fleet stay as
//! they are. Prices are kept in US dollars, so the saved inputs do not move.

use app::chart_query::{DeploymentChart, deployment_chart_url};
use http::StatusCode;
use tokenfab_core::currency::Currency;
use tokenfab_core::deployment::Deployment;

use crate::support::{Csv, TestApp};

/// The example shown in euros at `per_usd`.
fn in_euros(per_usd: f64) -> Deployment {
    let mut d = Deployment::example();
    d.pricing.currency = Some(Currency {
        code: "EUR".to_owned(),
        per_usd,
        as_of: "2026-12-01".to_owned(),
    });
    d
}

/// Saves `d`: its id.
async fn save(app: &TestApp, d: &Deployment) -> String {
    let body = serde_json::json!({ "name": "priced", "scenario": d }).to_string();
    let response = app.post_json("/api/v1/scenarios", body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    response.json()["id"].as_str().unwrap().to_owned()
}

/// The text of the figure `id` on a page.
fn text_of(page: &str, id: &str) -> String {
    let marker = format!(r#"id="{id}" class="value">"#);
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no figure {id}"))
        + marker.len();
    page[at..at + page[at..].find('<').unwrap()].to_owned()
}

/// A figure's sign and number: `("€", 0.00120)`, `("", 531e3)` for `531 k`.
fn sign_and_number(text: &str) -> (String, f64) {
    let start = text.find(|c: char| c.is_ascii_digit()).unwrap();
    let (sign, rest) = text.split_at(start);
    let rest = rest.replace(',', "");
    let (digits, scale) = match rest.split_once(' ') {
        Some((d, "k")) => (d.to_owned(), 1e3),
        Some((d, "M")) => (d.to_owned(), 1e6),
        Some((d, "G")) => (d.to_owned(), 1e9),
        _ => (rest.clone(), 1.0),
    };
    (sign.to_owned(), digits.parse::<f64>().unwrap() * scale)
}

/// Whether `a` is within a rounding of three significant digits of `b`.
fn about(a: f64, b: f64) -> bool {
    (a / b - 1.0).abs() < 0.005
}

#[tokio::test]
async fn a_rate_of_2_doubles_every_money_figure_and_leaves_energy_alone() {
    let app = TestApp::new().await;
    let dollars = save(&app, &Deployment::example()).await;
    let euros = save(&app, &in_euros(2.0)).await;
    let page_in_dollars = app.get(&format!("/s/{dollars}")).await.body;
    let page = app.get(&format!("/s/{euros}")).await.body;

    for id in [
        "cost-per-response",
        "usd-per-m-input",
        "usd-per-m-output",
        "monthly-cost",
    ] {
        let (sign, value) = sign_and_number(&text_of(&page, id));
        let (dollar, base) = sign_and_number(&text_of(&page_in_dollars, id));
        assert_eq!((dollar.as_str(), sign.as_str()), ("$", "€"), "{id}");
        assert!(about(value, 2.0 * base), "{id}: {value} against {base}");
    }
    // Tokens per unit of money: half as many per euro.
    let per_euro = sign_and_number(&text_of(&page, "tokens-per-usd")).1;
    let per_dollar = sign_and_number(&text_of(&page_in_dollars, "tokens-per-usd")).1;
    assert!(about(per_euro, per_dollar / 2.0), "{per_euro} {per_dollar}");
    assert!(page.contains("tokens/€"));
    for id in [
        "tokens-per-joule",
        "wh-per-response",
        "co2-per-response",
        "ttft",
        "tpot",
        "fleet",
        "concurrency",
    ] {
        assert_eq!(text_of(&page, id), text_of(&page_in_dollars, id), "{id}");
    }
    // The inputs, said in euros, with the rate and its date.
    assert!(
        page.contains("rented at €5.88/GPU-hour"),
        "the rental price"
    );
    assert!(page.contains("Money in EUR at 2 per US dollar, the rate set on 2026-12-01"));
    // A link preview says it in euros too.
    assert!(page.contains("content=\"€0.00120 per meaningful response"));
}

#[tokio::test]
async fn charts_csv_comparison_and_ranges_are_in_the_currency_set() {
    let app = TestApp::new().await;
    let d = in_euros(2.0);
    let concurrency = app
        .get(&deployment_chart_url(DeploymentChart::Concurrency, &d))
        .await;
    assert_eq!(concurrency.status, StatusCode::OK);
    assert!(concurrency.body.contains("€ per million output tokens"));
    assert!(!concurrency.body.contains("$ per million"));
    let months = app
        .get(&deployment_chart_url(DeploymentChart::Months, &d))
        .await;
    assert!(months.body.contains("cumulative cost in cash, €"));
    let responses = app
        .get(&deployment_chart_url(DeploymentChart::ResponseCost, &d))
        .await;
    assert!(responses.body.contains("€ per 1,000 meaningful responses"));

    // The CSV keeps the dollars and adds the figures in euros, the drawn
    // ranges' too.
    let mut d = d;
    d.ranges = Some(
        serde_json::from_value(serde_json::json!({
            "inputs": [{ "input": "pricing.usd_per_gpu_hour", "low": 2.0, "high": 4.0 }],
            "samples": 200
        }))
        .unwrap(),
    );
    let euros = save(&app, &d).await;
    let csv = app.get(&format!("/api/v1/scenarios/{euros}/csv")).await;
    let table = Csv::read(&csv.body);
    assert_eq!(
        table.header.last().map(String::as_str),
        Some("value in EUR")
    );
    let row = |field: &str| table.row(field).to_vec();
    let number = |text: &str| text.parse::<f64>().unwrap();
    for field in [
        "report.per_response.cost_per_response_usd",
        "report.costs.fleet_usd_per_month",
        "scenario.pricing.usd_per_gpu_hour",
    ] {
        let r = row(field);
        assert_eq!(number(&r[4]), 2.0 * number(&r[1]), "{field}");
    }
    for field in [
        "report.per_response.cost_usd.generated",
        "scenario.ranges.inputs.0.low",
        "scenario.ranges.inputs.0.high",
    ] {
        let r = row(field);
        assert_eq!(number(&r[4]), 2.0 * number(&r[1]), "{field}");
    }
    // Each drawn money figure, all its amounts; a GPU price's source too.
    let figure_rows = |name: &str| {
        let at = table
            .rows
            .iter()
            .find(|r| {
                r[0].starts_with("ranges.figures.") && r[0].ends_with(".figure") && r[1] == name
            })
            .unwrap_or_else(|| panic!("no drawn {name}"));
        at[0].trim_end_matches("figure").to_owned()
    };
    let cost = figure_rows("cost_per_response_usd");
    for amount in ["point", "expected", "p10", "p90"] {
        let r = row(&format!("{cost}{amount}"));
        assert_eq!(number(&r[4]), 2.0 * number(&r[1]), "{cost}{amount}");
    }
    let joules = figure_rows("tokens_per_joule");
    assert_eq!(row(&format!("{joules}p50"))[4], "");
    let price_source = table
        .rows
        .iter()
        .find(|r| r[0].starts_with("ranges.sources.") && r[1] == "pricing.usd_per_gpu_hour")
        .expect("the GPU price as a source")[0]
        .trim_end_matches("input")
        .to_owned();
    let low = row(&format!("{price_source}low"));
    assert_eq!(number(&low[4]), 2.0 * number(&low[1]));
    for share in table
        .rows
        .iter()
        .filter(|r| r[0].ends_with("share_of_variance"))
    {
        assert_eq!(share[4], "", "{}", share[0]);
    }
    let per_money = row("report.costs.tokens_per_usd");
    assert_eq!(number(&per_money[4]), number(&per_money[1]) / 2.0);
    for not_money in [
        "report.energy.tokens_per_joule",
        "scenario.pricing.currency.per_usd",
        "scenario.pricing.pue",
    ] {
        assert_eq!(row(not_money)[4], "", "{not_money}");
    }

    // A comparison is in the first scenario's currency, whatever the others'.
    let dollars = save(&app, &Deployment::example()).await;
    let compare = app
        .get(&format!("/compare?ids={euros},{dollars}"))
        .await
        .body;
    assert!(compare.contains("€0.00120"));
    assert!(!compare.contains("$0.000601"));
    assert!(compare.contains("id=\"compare-currency\""));
    // Both scenarios' prices in euros, so equal prices do not differ.
    assert_eq!(
        compare.matches("rented at €5.88/GPU-hour").count(),
        2,
        "{compare}"
    );
    let compare_csv = app
        .get(&format!("/compare.csv?ids={euros},{dollars}"))
        .await
        .body;
    assert!(compare_csv.contains("report.per_response.cost_per_response_usd in EUR,"));

    // The ranges page, in euros.
    let ranges = app
        .get(&format!(
            "/ranges?scenario={}",
            search_page::encode_deployment(&d)
        ))
        .await;
    assert_eq!(ranges.status, StatusCode::OK, "{}", ranges.body);
    assert!(ranges.body.contains("EUR per million"));
}

#[tokio::test]
async fn a_bad_currency_is_named_by_its_field() {
    let app = TestApp::new().await;
    for (code, per_usd, as_of, field) in [
        ("euro", 0.9, "2026-12-01", "pricing.currency.code"),
        ("USD", 2.0, "2026-12-01", "pricing.currency.code"),
        ("EUR", 0.0, "2026-12-01", "pricing.currency.per_usd"),
        ("EUR", 0.9, "yesterday", "pricing.currency.as_of"),
        ("EUR", 0.9, "2026-02-30", "pricing.currency.as_of"),
    ] {
        let mut d = Deployment::example();
        d.pricing.currency = Some(Currency {
            code: code.to_owned(),
            per_usd,
            as_of: as_of.to_owned(),
        });
        let body = serde_json::json!({ "scenario": d }).to_string();
        let response = app.post_json("/api/v1/scenarios", body).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        assert!(response.body.contains(field), "{field}: {}", response.body);
    }
}

#[tokio::test]
async fn a_search_from_a_scenario_in_euros_shows_its_money_in_euros() {
    let app = TestApp::new().await;
    let query =
        "run=1&acc=h100-sxm-80gb&tp=4&pp=1&w=fp8&kv=fp8&stack=vllm&own=cloud&rank=point&top=1";
    let dollars = app.get(&format!("/search?{query}")).await.body;
    let from = search_page::encode_deployment(&in_euros(2.0));
    let euros = app.get(&format!("/search?{query}&from={from}")).await.body;
    assert!(dollars.contains(">$ per response<"));
    assert!(euros.contains(">€ per response<"), "{euros}");
    // The best candidate's cost per response: the same deployment, doubled.
    let first_cost = |page: &str| -> f64 {
        let row = page.find("<tbody><tr>").unwrap();
        let cells: Vec<&str> = page[row..]
            .split("<td>")
            .skip(1)
            .map(|c| c.split('<').next().unwrap())
            .collect();
        cells
            .iter()
            .find_map(|c| c.parse::<f64>().ok().filter(|v| *v > 0.0 && *v < 0.01))
            .unwrap()
    };
    let (usd, eur) = (first_cost(&dollars), first_cost(&euros));
    // Shown to six decimals: three significant digits here.
    assert!(
        (eur / (2.0 * usd) - 1.0).abs() < 0.005,
        "{eur} against {usd}"
    );
    // Its catalogue price in euros, with the dollars beside.
    assert!(euros.contains(" per GPU-hour ($"), "the price's dollars");
    let chart = app
        .get(&format!("/search/pareto-energy.svg?{query}&from={from}"))
        .await;
    assert!(chart.body.contains("€ per 1,000 responses"));
}
