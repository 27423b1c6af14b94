//! Instances of the app on one PostgreSQL database behave as one service.
//! Each test starts a throwaway cluster in a temporary directory (as the
//! unprivileged `postgres` user when the tests run as root, which the
//! server refuses) and stops and removes it afterwards.

use std::path::PathBuf;
use std::process::Command;

use http::StatusCode;
use serde_json::json;
use server::db::{Db, PoolSettings};
use tempfile::TempDir;
use tokenfab_core::deployment::Deployment;

use crate::support::TestApp;

/// A PostgreSQL cluster of its own, stopped and deleted when dropped. It
/// listens only on a socket in its private directory: no port to race
/// for, and no other user can reach it.
struct Cluster {
    dir: TempDir,
    bin: PathBuf,
    /// Whom the server runs as, when the tests run as root.
    user: Option<&'static str>,
}

impl Cluster {
    /// Initialises and starts a cluster, trusting connections through its
    /// socket (it lives for one test, in a private directory).
    fn start() -> Cluster {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()
            .and_then(|versions| {
                versions
                    .filter_map(Result::ok)
                    .map(|v| v.path().join("bin"))
                    .filter(|b| b.join("initdb").exists())
                    .max()
            })
            .expect("PostgreSQL's server is not installed: scripts/setup.sh --browser installs it");
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        let user = root.then_some("postgres");
        let dir = tempfile::tempdir().expect("temp dir");
        if let Some(user) = user {
            let done = Command::new("chown")
                .args([user, &dir.path().display().to_string()])
                .status()
                .expect("chown runs");
            assert!(
                done.success(),
                "cannot give the cluster's directory to {user}"
            );
        }
        let cluster = Cluster { dir, bin, user };
        let data = cluster.path("data");
        cluster.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "tokenfab",
                "--auth=trust",
                "-E",
                "UTF8",
                // Byte order, as SQLite compares text; and no dependence
                // on the machine's installed locales.
                "--no-locale",
                "--no-sync",
            ],
        );
        let options = format!(
            "-k {} -c listen_addresses='' -c fsync=off",
            cluster.path("")
        );
        let log = cluster.path("log");
        cluster.run(
            "pg_ctl",
            &["-D", &data, "-l", &log, "-w", "-o", &options, "start"],
        );
        cluster
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Runs one of the server's programs, as its user when there is one.
    fn run(&self, program: &str, args: &[&str]) {
        let program = self.bin.join(program).display().to_string();
        let mut command = match self.user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--", &program]);
                c
            }
            None => Command::new(&program),
        };
        let out = command
            .args(args)
            .output()
            .expect("PostgreSQL's programs run");
        assert!(
            out.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn url(&self) -> String {
        format!(
            "postgres://tokenfab@localhost/postgres?host={}",
            self.dir.path().display()
        )
    }

    /// An instance of the app on this cluster's database.
    async fn instance(&self) -> TestApp {
        let db = Db::connect(&self.url(), PoolSettings::default())
            .await
            .expect("PostgreSQL answers");
        TestApp::with_db(db).await
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.path("data");
        let program = self.bin.join("pg_ctl").display().to_string();
        let mut command = match self.user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--", &program]);
                c
            }
            None => Command::new(&program),
        };
        let _ = command
            .args(["-D", &data, "-m", "immediate", "stop"])
            .output();
    }
}

/// Saves the planner's example through `app`: its id and edit token.
async fn save(app: &TestApp, name: &str) -> (String, String) {
    let body = json!({ "name": name, "scenario": Deployment::example() }).to_string();
    let response = app.post_json("/api/v1/scenarios", body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    let saved = response.json();
    (
        saved["id"].as_str().unwrap().to_owned(),
        saved["edit_token"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn a_scenario_saved_through_one_instance_is_read_edited_and_deleted_through_another() {
    let cluster = Cluster::start();
    let (a, b) = (cluster.instance().await, cluster.instance().await);
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
    let cluster = Cluster::start();
    let (a, b) = (cluster.instance().await, cluster.instance().await);
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

#[tokio::test]
async fn the_sqlite_default_says_so_at_its_health_check() {
    let app = TestApp::new().await;
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
