//! A fresh app with its own database for each test: SQLite in a temporary
//! directory, or, with `TOKENFAB_TEST_DATABASE=postgres`, a new database
//! on a throwaway PostgreSQL cluster shared by the test process.

use axum::Router;
use axum::body::Body;
use http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use server::config::Settings;
use server::db::Db;
use server::{AppState, leptos_options, router};
use tempfile::TempDir;
use tower::ServiceExt;

/// The app under test and its database.
pub struct TestApp {
    router: Router,
    /// The database the app writes to.
    pub db: Db,
    /// Its URL, for a test that sets a row's history directly.
    pub database_url: String,
    /// Kept for the app's lifetime: the site root, and SQLite's file.
    _data_dir: TempDir,
}

/// Saves the planner's example under `name` through `app`: its id and edit
/// token.
pub async fn save_example(app: &TestApp, name: &str) -> (String, String) {
    let body = serde_json::json!({
        "name": name,
        "scenario": tokenfab_core::deployment::Deployment::example()
    })
    .to_string();
    let response = app.post_json("/api/v1/scenarios", body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    let saved = response.json();
    (
        saved["id"].as_str().expect("an id").to_owned(),
        saved["edit_token"].as_str().expect("a token").to_owned(),
    )
}

/// A response as text.
pub struct TextResponse {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_settings(Settings::default()).await
    }

    /// An app with the operator's `settings`.
    pub async fn with_settings(settings: Settings) -> Self {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let database_url = if std::env::var("TOKENFAB_TEST_DATABASE").as_deref() == Ok("postgres") {
            postgres_cluster::Cluster::shared().new_database()
        } else {
            format!(
                "sqlite://{}",
                data_dir.path().join(server::db::DATABASE_FILE).display()
            )
        };
        let db = Db::connect(&database_url, server::db::PoolSettings::default())
            .await
            .expect("database opens");
        Self::on(db, database_url, data_dir, settings)
    }

    /// An instance of the app on the store `db` (another instance may
    /// share it).
    pub async fn with_db(db: Db, database_url: String, settings: Settings) -> Self {
        let data_dir = tempfile::tempdir().expect("temp dir");
        Self::on(db, database_url, data_dir, settings)
    }

    fn on(db: Db, database_url: String, data_dir: TempDir, settings: Settings) -> Self {
        let state = AppState {
            db: db.clone(),
            leptos: leptos_options(data_dir.path(), "127.0.0.1:0".parse().expect("address")),
            settings: std::sync::Arc::new(settings),
        };
        TestApp {
            router: router(state),
            db,
            database_url,
            _data_dir: data_dir,
        }
    }

    /// The answer to `request` as bytes (an image), with its status and
    /// headers.
    pub async fn send_for_bytes(&self, request: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router always answers");
        let (status, headers) = (response.status(), response.headers().clone());
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body reads")
            .to_bytes();
        (status, headers, bytes.to_vec())
    }

    pub async fn send(&self, request: Request<Body>) -> TextResponse {
        let (status, headers, bytes) = self.send_for_bytes(request).await;
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        TextResponse {
            status,
            content_type,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, uri: &str) -> TextResponse {
        self.send(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }

    /// A `method` request with an optional `Authorization` header and JSON body.
    pub async fn request(
        &self,
        method: &str,
        uri: &str,
        authorization: Option<&str>,
        json: Option<String>,
    ) -> TextResponse {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(auth) = authorization {
            request = request.header(header::AUTHORIZATION, auth);
        }
        let body = match json {
            Some(json) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(json)
            }
            None => Body::empty(),
        };
        self.send(request.body(body).expect("request")).await
    }

    /// A PUT of `body` to scenario `id` with its edit token and an
    /// `If-Match` header.
    pub async fn put_if_match(
        &self,
        id: &str,
        token: &str,
        if_match: &str,
        body: serde_json::Value,
    ) -> TextResponse {
        self.send(
            Request::put(format!("/api/v1/scenarios/{id}"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::IF_MATCH, if_match)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .expect("request"),
        )
        .await
    }

    pub async fn post_json(&self, uri: &str, body: impl Into<Body>) -> TextResponse {
        self.send(
            Request::post(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(body.into())
                .expect("request"),
        )
        .await
    }
}

impl TextResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A file of the workspace's example scenarios.
pub fn scenario_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/scenarios")
        .join(name)
}

/// What `tokenfab ARGS` prints, after checking it succeeded.
pub fn tokenfab_prints(args: &[&std::ffi::OsStr]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tokenfab"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "tokenfab {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A CSV answer as read: its header and rows, each row's first cell its
/// field.
pub struct Csv {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Csv {
    pub fn read(text: &str) -> Self {
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let header = reader
            .headers()
            .expect("a header")
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader
            .records()
            .map(|r| r.expect("a row").iter().map(str::to_owned).collect())
            .collect();
        Csv { header, rows }
    }

    /// The row of `field`; fails the test when there is none.
    pub fn row(&self, field: &str) -> &[String] {
        self.rows
            .iter()
            .find(|r| r[0] == field)
            .unwrap_or_else(|| panic!("no row {field}"))
    }
}

/// Whether `page` runs no script but the theme switch's.
pub fn runs_only_the_theme_script(page: &str) -> bool {
    page.matches("<script").count() == page.matches(r#"<script src="/theme.js"></script>"#).count()
}
