//! GET /api/v1/scenarios: saved scenarios newest first, a page at a time,
//! only on a server started with `--list-scenarios`.

use std::collections::HashMap;

use http::StatusCode;
use serde_json::{Value, json};
use server::config::Settings;

use crate::schema::Documented;
use crate::support::{TestApp, TextResponse};

const LIST: &str = "/api/v1/scenarios";

/// An app that lists scenarios and does not limit writes.
async fn listing_app() -> TestApp {
    TestApp::with_settings(Settings {
        list_scenarios: true,
        writes_per_minute: 0,
        ..Settings::default()
    })
    .await
}

/// A measured-level scenario: cheap to save.
fn measured() -> Value {
    json!({
        "hardware": { "gpus": 1 },
        "pricing": { "usd_per_gpu_hour": 2.0, "usd_per_kwh": 0.17 },
        "measured": { "tokens_per_s": 3000, "watts": 1000 }
    })
}

/// Saves a scenario called `name` and answers its id and edit token.
async fn save(app: &TestApp, name: &str, scenario: Value) -> (String, String) {
    let body = json!({ "name": name, "scenario": scenario }).to_string();
    let response = app.post_json(LIST, body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    let saved = response.json();
    (
        saved["id"].as_str().unwrap().to_owned(),
        saved["edit_token"].as_str().unwrap().to_owned(),
    )
}

/// Sets when scenario `id` was saved, as if it had been saved then.
async fn saved_at(app: &TestApp, id: &str, unix_s: i64) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&app.database_url)
        .await
        .unwrap();
    let done = sqlx::query("UPDATE scenarios SET created_at = $1, updated_at = $1 WHERE id = $2")
        .bind(unix_s)
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(done.rows_affected(), 1);
    pool.close().await;
}

/// One page: its scenarios' names and ids, and its `next_after`.
struct Page {
    names: Vec<String>,
    ids: Vec<String>,
    next_after: Option<String>,
}

/// GETs `query` from the list, checks the answer against the documented
/// schema and reads it as a page.
async fn page(app: &TestApp, documented: &Documented, query: &str) -> Page {
    let response = app.get(&format!("{LIST}{query}")).await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{query}: {}",
        response.body
    );
    documented.assert_answer("GET", LIST, &response);
    let body = response.json();
    let scenarios = body["scenarios"].as_array().unwrap();
    Page {
        names: scenarios
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect(),
        ids: scenarios
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect(),
        next_after: body["next_after"].as_str().map(str::to_owned),
    }
}

/// Every page from the first, `limit` at a time, following `next_after`.
async fn every_page(app: &TestApp, documented: &Documented, limit: u32) -> Vec<Page> {
    let mut pages = vec![page(app, documented, &format!("?limit={limit}")).await];
    while let Some(after) = pages.last().unwrap().next_after.clone() {
        assert!(pages.len() < 100, "the pages never end");
        pages.push(page(app, documented, &format!("?limit={limit}&after={after}")).await);
    }
    pages
}

/// Nine scenarios saved a minute apart, `s0` first and `s8` last, except
/// that `s4` and `s5` were saved in the same second. Answers each one's id
/// and edit token by name.
async fn nine_saved_a_minute_apart(app: &TestApp) -> HashMap<String, (String, String)> {
    let start = 1_700_000_000;
    let mut saved = HashMap::new();
    for i in 0..9 {
        let name = format!("s{i}");
        let (id, token) = save(app, &name, measured()).await;
        let minute = if i == 5 { 4 } else { i };
        saved_at(app, &id, start + 60 * minute).await;
        saved.insert(name, (id, token));
    }
    saved
}

#[tokio::test]
async fn listing_is_refused_with_a_problem_unless_the_server_allows_it() {
    let app = TestApp::with_settings(Settings {
        writes_per_minute: 0,
        ..Settings::default()
    })
    .await;
    let documented = Documented::fetch(&app).await;
    let (id, token) = save(&app, "private plan", measured()).await;
    for query in ["", "?limit=10", "?limit=0", &format!("?after={id}")] {
        let response = app.get(&format!("{LIST}{query}")).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{query}");
        assert_eq!(response.content_type, "application/problem+json");
        documented.assert_answer("GET", LIST, &response);
        let problem = response.json();
        assert_eq!(problem["status"], 403);
        assert_eq!(problem["type"], "/api/docs#problem-disabled");
        assert_eq!(problem["title"], "Turned off on this server");
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains("--list-scenarios"), "{detail}");
        // Nothing saved shows through the refusal.
        for secret in [&id, &token, "private plan"] {
            assert!(!response.body.contains(secret), "{}", response.body);
        }
    }
    // The scenario is still there for whoever has its link.
    assert_eq!(
        app.get(&format!("{LIST}/{id}")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn pages_hold_every_scenario_once_newest_first() {
    let app = listing_app().await;
    let documented = Documented::fetch(&app).await;
    let ids = nine_saved_a_minute_apart(&app).await;

    let pages = every_page(&app, &documented, 4).await;
    let sizes: Vec<usize> = pages.iter().map(|p| p.names.len()).collect();
    assert_eq!(sizes, [4, 4, 1]);
    assert!(pages[2].next_after.is_none());
    // Each page's cursor is its last scenario.
    for p in &pages[..2] {
        assert_eq!(p.next_after.as_ref(), p.ids.last());
    }
    let names: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.names.iter().map(String::as_str))
        .collect();
    // s4 and s5 were saved in the same second: either may come first.
    let (tied, rest) = (&names[3..5], [&names[..3], &names[5..]].concat());
    assert_eq!(
        rest,
        ["s8", "s7", "s6", "s3", "s2", "s1", "s0"],
        "{names:?}"
    );
    let mut tied = tied.to_vec();
    tied.sort_unstable();
    assert_eq!(tied, ["s4", "s5"], "{names:?}");
    // The ids are the scenarios' own.
    let listed: Vec<&String> = pages.iter().flat_map(|p| p.ids.iter()).collect();
    let expected: Vec<&String> = names.iter().map(|n| &ids[*n].0).collect();
    assert_eq!(listed, expected);

    // Whatever the page size, each scenario comes exactly once.
    for limit in [1, 2, 3, 5, 8, 9, 10, 100] {
        let pages = every_page(&app, &documented, limit).await;
        let mut seen: Vec<String> = pages.iter().flat_map(|p| p.ids.clone()).collect();
        assert_eq!(seen.len(), 9, "limit {limit}");
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 9, "limit {limit}: a scenario came twice");
        assert!(
            pages.iter().all(|p| p.names.len() <= limit as usize),
            "limit {limit}"
        );
    }
}

#[tokio::test]
async fn a_page_summarises_each_scenario_without_its_inputs_or_token() {
    let app = listing_app().await;
    let documented = Documented::fetch(&app).await;
    let (measured_id, measured_token) = save(&app, "measured", measured()).await;
    saved_at(&app, &measured_id, 1_700_000_000).await;
    let deployment: Value = serde_json::from_str(include_str!(
        "../../../tests/scenarios/owned-server-worked.json"
    ))
    .unwrap();
    let (modeled_id, modeled_token) = save(&app, "owned server", deployment).await;
    // A rename bumps the revision and the time of the last change.
    let renamed = app
        .request(
            "PUT",
            &format!("{LIST}/{modeled_id}"),
            Some(&format!("Bearer {modeled_token}")),
            Some(json!({ "name": "owned server, renamed" }).to_string()),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::NO_CONTENT);

    let response = app.get(LIST).await;
    assert_eq!(response.status, StatusCode::OK);
    documented.assert_answer("GET", LIST, &response);
    for secret in [&measured_token, &modeled_token] {
        assert!(!response.body.contains(secret.as_str()));
    }
    let body = response.json();
    assert!(body.get("next_after").is_none(), "{body}");
    let [newest, oldest] = body["scenarios"].as_array().unwrap().as_slice() else {
        panic!("{body}");
    };
    assert_eq!(newest["id"], modeled_id.as_str());
    assert_eq!(newest["name"], "owned server, renamed");
    assert_eq!(newest["schema_version"], 2);
    assert_eq!(newest["revision"], 2);
    assert_eq!(oldest["id"], measured_id.as_str());
    // Saved at the measured level, stored migrated to a deployment.
    assert_eq!(oldest["schema_version"], 2);
    assert_eq!(oldest["revision"], 1);
    assert_eq!(oldest["created_at"], 1_700_000_000);
    let keys = |s: &Value| {
        let mut k: Vec<String> = s.as_object().unwrap().keys().cloned().collect();
        k.sort_unstable();
        k
    };
    for s in [newest, oldest] {
        assert_eq!(
            keys(s),
            [
                "created_at",
                "id",
                "name",
                "revision",
                "schema_version",
                "updated_at"
            ]
        );
        assert!(s["updated_at"].as_i64() >= s["created_at"].as_i64(), "{s}");
    }
}

#[tokio::test]
async fn fifty_to_a_page_unless_asked_and_at_most_a_hundred() {
    let app = listing_app().await;
    let documented = Documented::fetch(&app).await;
    for i in 0..101 {
        save(&app, &format!("plan {i}"), measured()).await;
    }
    let first = page(&app, &documented, "").await;
    assert_eq!(first.names.len(), 50);
    let after = first.next_after.clone().unwrap();
    let second = page(&app, &documented, &format!("?after={after}")).await;
    assert_eq!(second.names.len(), 50);
    let after = second.next_after.clone().unwrap();
    let third = page(&app, &documented, &format!("?after={after}")).await;
    assert_eq!(third.names.len(), 1);
    assert!(third.next_after.is_none());

    let largest = page(&app, &documented, "?limit=100").await;
    assert_eq!(largest.names.len(), 100);
    assert_eq!(largest.ids[..50], first.ids[..]);
}

#[tokio::test]
async fn a_scenario_saved_or_changed_while_paging_moves_no_other() {
    let app = listing_app().await;
    let documented = Documented::fetch(&app).await;
    let ids = nine_saved_a_minute_apart(&app).await;
    let first = page(&app, &documented, "?limit=3").await;
    assert_eq!(first.names, ["s8", "s7", "s6"]);

    // Someone saves a new scenario and renames an old one between pages.
    let (new_id, _) = save(&app, "new", measured()).await;
    let (old_id, old_token) = &ids["s2"];
    let renamed = app
        .request(
            "PUT",
            &format!("{LIST}/{old_id}"),
            Some(&format!("Bearer {old_token}")),
            Some(json!({ "name": "s2, renamed" }).to_string()),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::NO_CONTENT);
    let after = first.next_after.unwrap();
    let mut rest = Vec::new();
    let mut cursor = Some(after);
    while let Some(after) = cursor {
        let p = page(&app, &documented, &format!("?limit=3&after={after}")).await;
        rest.extend(p.names);
        cursor = p.next_after;
    }
    // The rest in order (s4 and s5 tied), the renamed one in its place.
    rest[..2].sort_unstable();
    assert_eq!(rest, ["s4", "s5", "s3", "s2, renamed", "s1", "s0"]);

    // Starting again, the new one comes first.
    let again = page(&app, &documented, "?limit=3").await;
    assert_eq!(again.ids[0], new_id);
}

/// GET of the list with `query`, which must be refused with a 400 problem
/// naming `parameter`.
async fn assert_refused_naming(
    app: &TestApp,
    documented: &Documented,
    query: &str,
    parameter: &str,
) -> TextResponse {
    let response = app.get(&format!("{LIST}{query}")).await;
    assert_eq!(
        response.status,
        StatusCode::BAD_REQUEST,
        "{query}: {}",
        response.body
    );
    assert_eq!(response.content_type, "application/problem+json", "{query}");
    documented.assert_answer("GET", LIST, &response);
    let problem = response.json();
    assert_eq!(problem["status"], 400, "{query}");
    assert_eq!(problem["field"], parameter, "{query}: {problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains(parameter), "{query}: {detail}");
    response
}

#[tokio::test]
async fn a_limit_outside_1_to_100_is_refused_naming_limit() {
    let app = listing_app().await;
    let documented = Documented::fetch(&app).await;
    save(&app, "plan", measured()).await;
    for query in ["?limit=0", "?limit=101", "?limit=100000"] {
        let response = assert_refused_naming(&app, &documented, query, "limit").await;
        assert!(
            response.json()["detail"]
                .as_str()
                .unwrap()
                .contains("1 to 100"),
            "{query}"
        );
    }
}

#[tokio::test]
async fn a_limit_that_is_not_a_whole_number_is_refused_naming_limit() {
    let app = listing_app().await;
    let documented = Documented::fetch(&app).await;
    save(&app, "plan", measured()).await;
    for query in [
        "?limit=ten",
        "?limit=-1",
        "?limit=2.5",
        "?limit=",
        "?limit=99999999999",
    ] {
        assert_refused_naming(&app, &documented, query, "limit").await;
    }
}

#[tokio::test]
async fn an_after_that_names_no_saved_scenario_is_refused_naming_after() {
    let app = listing_app().await;
    let documented = Documented::fetch(&app).await;
    let (id, token) = save(&app, "plan", measured()).await;
    save(&app, "another plan", measured()).await;
    // Not an id at all, an id never saved, and a cursor whose scenario was
    // deleted between pages: an empty page would read as "no more".
    let deleted = app
        .request(
            "DELETE",
            &format!("{LIST}/{id}"),
            Some(&format!("Bearer {token}")),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    for query in [
        "?after=yesterday".to_owned(),
        "?after=00112233445566778899aabbccddeeff".to_owned(),
        format!("?after={id}"),
    ] {
        assert_refused_naming(&app, &documented, &query, "after").await;
    }
}
