//! Instances of the app on one PostgreSQL database behave as one service,
//! a store copies into another, and a database that stops answering gives
//! 503s until it is back. Each test uses a new database on a throwaway
//! cluster (run as the unprivileged `postgres` user when the tests run as
//! root, which PostgreSQL refuses), removed after the test process ends.

use http::StatusCode;
use postgres_cluster::Cluster;
use serde_json::json;
use server::config::Settings;
use server::db::{Db, PoolSettings};
use tokenfab_core::deployment::Deployment;

use crate::support::{TestApp, save_example as save};

/// An instance of the app on the database at `url`.
async fn instance(url: &str) -> TestApp {
    instance_with(url, Settings::default()).await
}

/// Settings without the write limit, for tests that write more than its burst.
fn unlimited() -> Settings {
    Settings {
        writes_per_minute: 0,
        ..Settings::default()
    }
}

/// An instance on the database at `url` with the operator's `settings`.
async fn instance_with(url: &str, settings: Settings) -> TestApp {
    let db = Db::connect(url, PoolSettings::default())
        .await
        .expect("PostgreSQL answers");
    TestApp::with_db(db, url.to_owned(), settings).await
}

#[tokio::test]
async fn a_scenario_saved_through_one_instance_is_read_edited_and_deleted_through_another() {
    let url = Cluster::shared().new_database();
    let (a, b) = (instance(&url).await, instance(&url).await);
    let health = b.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json()["database"], "postgres");

    let (id, token) = save(&a, "shared").await;
    let read = b.get(&format!("/api/v1/scenarios/{id}")).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert_eq!(read.json()["name"], "shared");
    assert_eq!(read.json()["scenario"], json!(Deployment::example()));

    let renamed = b
        .put_if_match(&id, &token, "\"1\"", json!({ "name": "renamed" }))
        .await;
    assert_eq!(renamed.status, StatusCode::NO_CONTENT, "{}", renamed.body);
    let seen = a.get(&format!("/api/v1/scenarios/{id}")).await;
    assert_eq!(seen.json()["name"], "renamed");
    assert_eq!(seen.json()["revision"], 2);

    let gone = a
        .request(
            "DELETE",
            &format!("/api/v1/scenarios/{id}"),
            Some(&format!("Bearer {token}")),
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
    assert_eq!(
        b.get(&format!("/api/v1/scenarios/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn edits_of_one_revision_through_two_instances_at_once_give_one_success_and_one_412() {
    let url = Cluster::shared().new_database();
    // More writes than the limit's burst, which the instances share.
    let (a, b) = (
        instance_with(&url, unlimited()).await,
        instance_with(&url, unlimited()).await,
    );
    for round in 0..8 {
        let (id, token) = save(&a, &format!("raced {round}")).await;
        let (first, second) = tokio::join!(
            a.put_if_match(&id, &token, "\"1\"", json!({ "name": "a" })),
            b.put_if_match(&id, &token, "\"1\"", json!({ "name": "b" })),
        );
        let mut statuses = [first.status, second.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::NO_CONTENT, StatusCode::PRECONDITION_FAILED],
            "round {round}: {} / {}",
            first.body,
            second.body
        );
        let stored = a.db.scenario(&id).await.unwrap().unwrap();
        assert_eq!(stored.revision, 2);
        let winner = if first.status == StatusCode::NO_CONTENT {
            "a"
        } else {
            "b"
        };
        assert_eq!(stored.name, winner);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_started_at_once_on_a_new_database_all_come_up() {
    let url = Cluster::shared().new_database();
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { Db::connect(&url, PoolSettings::default()).await })
        })
        .collect();
    let mut stores = Vec::new();
    for start in starts {
        stores.push(
            start
                .await
                .unwrap()
                .expect("each instance migrates or waits"),
        );
    }
    let inputs = server::db::StoredInputs::Deployment(Box::new(Deployment::example()));
    let saved = stores[0].save_scenario("one", "", &inputs).await.unwrap();
    assert_eq!(
        stores[3].scenario(&saved.id).await.unwrap().unwrap().name,
        "one"
    );
}

#[tokio::test]
async fn the_sqlite_default_says_so_at_its_health_check() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path(), PoolSettings::default()).await.unwrap();
    let app = TestApp::with_db(db, String::new(), Settings::default()).await;
    assert_eq!(app.get("/healthz").await.json()["database"], "sqlite");
}

#[tokio::test]
async fn a_database_url_of_another_engine_is_refused_naming_the_choices() {
    let e = Db::connect("mysql://localhost/x", PoolSettings::default())
        .await
        .expect_err("refused");
    let text = e.to_string();
    assert!(
        text.contains("mysql") && text.contains("postgres://"),
        "{text}"
    );
}

#[tokio::test]
async fn the_write_limit_holds_across_instances() {
    let url = Cluster::shared().new_database();
    let settings = Settings {
        writes_per_minute: 1,
        write_burst: 2,
        ..Settings::default()
    };
    let (a, b) = (
        instance_with(&url, settings.clone()).await,
        instance_with(&url, settings).await,
    );
    let body = || json!({ "name": "burst", "scenario": Deployment::example() }).to_string();
    // One client, two instances: the burst of two is spent once.
    assert_eq!(
        a.post_json("/api/v1/scenarios", body()).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        b.post_json("/api/v1/scenarios", body()).await.status,
        StatusCode::CREATED
    );
    for app in [&a, &b] {
        let refused = app.post_json("/api/v1/scenarios", body()).await;
        assert_eq!(
            refused.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            refused.body
        );
        // One a minute: the next in up to 60 s.
        let wait: u64 = refused.headers["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
    }
    assert_eq!(a.db.count_scenarios().await.unwrap(), 2);
}

/// A store on SQLite in `dir`, and its URL.
async fn sqlite_store(dir: &tempfile::TempDir, name: &str) -> (Db, String) {
    let url = format!("sqlite://{}", dir.path().join(name).display());
    let db = Db::connect(&url, PoolSettings::default()).await.unwrap();
    (db, url)
}

#[tokio::test]
async fn copy_store_copies_sqlite_into_postgres_and_back_with_tokens_revisions_and_times() {
    use server::db::{Changes, Outcome, StoredInputs};
    let dir = tempfile::tempdir().unwrap();
    let (sqlite, sqlite_url) = sqlite_store(&dir, "source.db").await;
    let inputs = StoredInputs::Deployment(Box::new(Deployment::example()));
    let edited = sqlite
        .save_scenario("first", "notes kept", &inputs)
        .await
        .unwrap();
    for name in ["second", "third"] {
        let rename = Changes {
            name: Some(name.to_owned()),
            ..Changes::default()
        };
        sqlite
            .update_scenario(&edited.id, &edited.edit_token, &rename)
            .await
            .unwrap();
    }
    let plain = sqlite.save_scenario("plain", "", &inputs).await.unwrap();
    let search = sqlite.save_search("cheapest", "model=llama").await.unwrap();
    // A name with NUL, as versions before it was refused could save.
    let with_nul = sqlite.save_scenario("nul", "", &inputs).await.unwrap();
    sqlx::any::install_default_drivers();
    let raw = sqlx::AnyPool::connect(&sqlite_url).await.unwrap();
    sqlx::query("UPDATE scenarios SET name = $1 WHERE id = $2")
        .bind("before\u{0}after")
        .bind(&with_nul.id)
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;

    let postgres_url = Cluster::shared().new_database();
    let copy = |from: &str, to: &str| {
        crate::support::tokenfab_prints(&[
            "copy-store".as_ref(),
            "--from".as_ref(),
            from.as_ref(),
            "--to".as_ref(),
            to.as_ref(),
        ])
    };
    // A mistyped source is refused, not created empty.
    let typo = format!("sqlite://{}", dir.path().join("sourse.db").display());
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_tokenfab"))
        .args(["copy-store", "--from", &typo, "--to", &postgres_url])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--from"));
    assert!(!dir.path().join("sourse.db").exists());

    let account = copy(&sqlite_url, &postgres_url);
    assert!(
        account.starts_with("copied 3 scenarios and 1 saved searches"),
        "{account}"
    );
    assert!(
        account.contains("1 held the NUL character") && account.contains(&with_nul.id),
        "{account}"
    );
    let postgres_for_nul = Db::connect(&postgres_url, PoolSettings::default())
        .await
        .unwrap();
    assert_eq!(
        postgres_for_nul
            .scenario(&with_nul.id)
            .await
            .unwrap()
            .unwrap()
            .name,
        "before\u{FFFD}after"
    );
    sqlite
        .delete_scenario(&with_nul.id, &with_nul.edit_token, None)
        .await
        .unwrap();
    let postgres = Db::connect(&postgres_url, PoolSettings::default())
        .await
        .unwrap();
    for id in [&edited.id, &plain.id] {
        // Name, notes, inputs, both times and the revision, as they were.
        assert_eq!(
            postgres.scenario(id).await.unwrap(),
            sqlite.scenario(id).await.unwrap()
        );
    }
    assert_eq!(
        postgres
            .scenario(&edited.id)
            .await
            .unwrap()
            .unwrap()
            .revision,
        3
    );
    assert_eq!(
        postgres.search(&search).await.unwrap(),
        Some(("cheapest".to_owned(), "model=llama".to_owned()))
    );

    // Again: nothing copied twice.
    let again = copy(&sqlite_url, &postgres_url);
    assert!(
        again.starts_with("copied 0 scenarios and 0 saved searches"),
        "{again}"
    );
    assert!(
        again.contains("2 scenarios and 1 searches were there already"),
        "{again}"
    );
    // Deleted from the source since: said, and left in the target.
    assert!(
        again.contains("1 are in the target but not the source") && again.contains(&with_nul.id),
        "{again}"
    );
    assert_eq!(postgres.count_scenarios().await.unwrap(), 3);

    // The edit token still works on the copy, at the copied revision.
    let fourth = Changes {
        name: Some("fourth".to_owned()),
        if_revision: Some(3),
        ..Changes::default()
    };
    assert_eq!(
        postgres
            .update_scenario(&edited.id, &edited.edit_token, &fourth)
            .await
            .unwrap(),
        Outcome::Changed { revision: 4 }
    );
    // Copying the older source again leaves the later revision alone, and
    // says so.
    let behind = copy(&sqlite_url, &postgres_url);
    assert!(behind.contains("1 scenarios differ"), "{behind}");
    assert!(behind.contains(&edited.id), "{behind}");
    assert_eq!(
        postgres.scenario(&edited.id).await.unwrap().unwrap().name,
        "fourth"
    );

    // Back into the SQLite source: the later revision replaces the older.
    let back = copy(&postgres_url, &sqlite_url);
    assert!(
        back.contains("1 scenarios brought up to the source's later revision"),
        "{back}"
    );
    assert_eq!(
        sqlite.scenario(&edited.id).await.unwrap(),
        postgres.scenario(&edited.id).await.unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_stopped_under_load_gives_503s_and_the_app_recovers_when_it_is_back() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    // A cluster of its own, as this test stops it, reached over TCP: a
    // stopped server then refuses connections, which the pool retries.
    let cluster = Cluster::start_on_tcp();
    // The write limit on (every write asks the database), high enough for
    // the load below.
    let settings = Settings {
        writes_per_minute: 60_000,
        write_burst: 1_000,
        ..Settings::default()
    };
    let app = Arc::new(instance_with(&cluster.new_database(), settings).await);
    let (id, _) = save(&app, "before").await;

    let stop = Arc::new(AtomicBool::new(false));
    let load = {
        let (app, stop, id) = (app.clone(), stop.clone(), id.clone());
        tokio::spawn(async move {
            let mut seen = Vec::new();
            // One last read and save, begun after the stop (the database
            // is back by then).
            loop {
                let last = stop.load(Ordering::Relaxed);
                let read = app.get(&format!("/api/v1/scenarios/{id}")).await;
                seen.push((read.status, read.body));
                let body = json!({ "name": "during", "scenario": Deployment::example() });
                let saved = app.post_json("/api/v1/scenarios", body.to_string()).await;
                seen.push((saved.status, saved.body));
                if last {
                    break seen;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    cluster.stop();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let health = app.get("/healthz").await;
    assert_eq!(
        health.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        health.body
    );
    cluster.start_again();
    // Back without restarting the app: the pool opens new connections.
    let mut answered = false;
    for _ in 0..100 {
        if app.get(&format!("/api/v1/scenarios/{id}")).await.status == StatusCode::OK {
            answered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let seen = load.await.unwrap();
    assert!(answered, "reads did not come back after the database did");

    let unavailable = seen
        .iter()
        .filter(|(status, _)| *status == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert!(unavailable > 0, "no request met the stopped database");
    for (status, body) in &seen {
        match *status {
            StatusCode::OK | StatusCode::CREATED => {}
            // Said at once as the database's absence, not by running
            // into the request's time limit.
            StatusCode::SERVICE_UNAVAILABLE => {
                let problem: serde_json::Value = serde_json::from_str(body).unwrap();
                assert!(
                    problem["type"]
                        .as_str()
                        .unwrap()
                        .ends_with("#problem-unavailable"),
                    "{body}"
                );
                assert!(
                    problem["detail"].as_str().unwrap().contains("database"),
                    "{body}"
                );
            }
            other => panic!("{other} during the outage: {body}"),
        }
    }
    // The last read and save, begun after the restart, succeeded.
    let last = &seen[seen.len() - 2..];
    assert!(
        last.iter().all(|(status, _)| status.is_success()),
        "{:?}",
        last.iter().map(|(s, _)| *s).collect::<Vec<_>>()
    );
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}
