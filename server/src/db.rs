//! All database access. Queries are plain, portable SQL run through sqlx's
//! driver-agnostic pool, so SQLite (the default) and PostgreSQL run the
//! same code and the same migrations.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor, Row};
use tokenfab_core::deployment::Deployment;
use tokenfab_core::migrate::deployment_from_measured;
use tokenfab_core::migrate::v1::MeasuredScenario;

/// File name of the SQLite database inside the data directory.
pub const DATABASE_FILE: &str = "tokenfab.db";

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The data directory could not be created.
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The database URL names a database this version cannot use.
    #[error("database URL: {url}: is not supported; use sqlite:// or postgres://")]
    Unsupported {
        /// The URL's scheme.
        url: String,
    },
    /// The database refused or failed.
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    /// Schema migration failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The operating system could not supply random bytes for an id.
    #[error("no randomness for a new id: {0}")]
    Random(String),
    /// A stored row could not be read back.
    #[error("stored scenario {id} is unreadable: {reason}")]
    Corrupt {
        /// The row's id.
        id: String,
        /// What was wrong.
        reason: String,
    },
}

/// A saved scenario as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredScenario {
    /// Random id.
    pub id: String,
    /// The name given when saving.
    pub name: String,
    /// Version of the inputs' JSON shape when saved.
    pub schema_version: i64,
    /// The inputs.
    pub inputs: StoredInputs,
    /// Free-text notes.
    pub notes: String,
    /// Unix seconds of the last change.
    pub updated_at: i64,
    /// Unix seconds when first saved.
    pub created_at: i64,
    /// 1 when saved, one more with each change.
    pub revision: i64,
}

/// A saved scenario as a list shows it: no inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// Random id.
    pub id: String,
    /// The name given when saving.
    pub name: String,
    /// Version of the inputs' JSON shape when saved.
    pub schema_version: i64,
    /// Unix seconds when first saved.
    pub created_at: i64,
    /// Unix seconds of the last change.
    pub updated_at: i64,
    /// 1 when saved, one more with each change.
    pub revision: i64,
}

/// What a saved scenario holds. The schema version stored beside the JSON
/// says which: 1 is the measured level, 2 a modeled deployment.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredInputs {
    /// Measured throughput and power with prices.
    Measured(MeasuredScenario),
    /// A model on hardware with prices and a use case.
    Deployment(Box<Deployment>),
}

impl StoredInputs {
    /// Version of the inputs' JSON shape.
    pub fn schema_version(&self) -> u32 {
        match self {
            StoredInputs::Measured(_) => MeasuredScenario::SCHEMA_VERSION,
            StoredInputs::Deployment(_) => Deployment::SCHEMA_VERSION,
        }
    }

    /// The inputs as a deployment, migrating the measured level (version 1).
    pub fn deployment(&self) -> Deployment {
        match self {
            StoredInputs::Measured(s) => deployment_from_measured(s),
            StoredInputs::Deployment(d) => (**d).clone(),
        }
    }

    fn to_json(&self) -> Result<String, serde_json::Error> {
        match self {
            StoredInputs::Measured(s) => serde_json::to_string(s),
            StoredInputs::Deployment(d) => serde_json::to_string(d),
        }
    }

    /// Reads stored JSON of shape `version`.
    fn from_json(version: i64, json: &str) -> Result<Self, String> {
        match version {
            1 => MeasuredScenario::from_json(json)
                .map(StoredInputs::Measured)
                .map_err(|e| e.to_string()),
            2 => Deployment::from_json(json)
                .map(|d| StoredInputs::Deployment(Box::new(d)))
                .map_err(|e| e.to_string()),
            other => Err(format!("unknown schema version {other}")),
        }
    }
}

/// A new save: its id, and the token that allows changing it (shown once).
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    /// The id (the share link).
    pub id: String,
    /// 128 random bits, hex; only its SHA-256 is stored.
    pub edit_token: String,
}

/// What an update changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// A new name.
    pub name: Option<String>,
    /// New notes.
    pub notes: Option<String>,
    /// New inputs.
    pub inputs: Option<StoredInputs>,
    /// The revision the change was made against; a later one refuses it.
    pub if_revision: Option<i64>,
}

/// What came of a change that needs the edit token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done.
    Done,
    /// Updated; the scenario is now at `revision`.
    Changed {
        /// Its new revision.
        revision: i64,
    },
    /// No scenario has that id.
    NotFound,
    /// The token is not this scenario's (or it has none).
    Forbidden,
    /// The scenario has changed since the revision the change was made
    /// against; it holds `current`.
    Stale {
        /// Its revision now.
        current: i64,
    },
}

/// The stored form of an edit token.
fn token_digest(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Which database a store runs on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// SQLite, in a file: one machine.
    Sqlite,
    /// PostgreSQL: shared by several instances.
    Postgres,
}

impl Engine {
    /// The engine a database URL names, if this version runs it.
    fn of(url: &str) -> Option<Engine> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Some(Engine::Sqlite),
            "postgres" | "postgresql" => Some(Engine::Postgres),
            _ => None,
        }
    }
}

/// How the store's pool of connections behaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoolSettings {
    /// Most connections open at once.
    pub max_connections: u32,
    /// Longest a statement may run before the database cancels it
    /// (PostgreSQL; SQLite runs in-process).
    pub statement_timeout: Duration,
    /// Longest a request waits for a free connection.
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            max_connections: 8,
            statement_timeout: Duration::from_secs(5),
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

/// `url` with any password (after the user name, or as a `password=`
/// parameter) replaced by `***`, for logs.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, Some(query)),
        None => (rest, None),
    };
    // The user information ends at the last `@` before the path.
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let mut out = match rest[..authority_end].rsplit_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{name}:***@{host}{}", &rest[authority_end..])
        }
        _ => format!("{scheme}://{rest}"),
    };
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

/// The scenario store.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    engine: Engine,
}

impl Db {
    /// Opens (creating if needed) the database in `data_dir` and brings its
    /// schema up to date.
    ///
    /// # Errors
    /// When the directory or database cannot be created or migrated.
    pub async fn open(data_dir: &Path, settings: PoolSettings) -> Result<Self, DbError> {
        let failed = |source| DbError::DataDir {
            path: data_dir.display().to_string(),
            source,
        };
        std::fs::create_dir_all(data_dir).map_err(failed)?;
        // The pool reads its database from a URL: an absolute path, so no
        // `..` is folded away and no first segment is taken for a host.
        let dir = std::fs::canonicalize(data_dir).map_err(failed)?;
        Self::connect(
            &format!("sqlite://{}", dir.join(DATABASE_FILE).display()),
            settings,
        )
        .await
    }

    /// Opens the database at `url` (`sqlite://path`, created if needed, or
    /// `postgres://user@host/db`) and brings its schema up to date.
    ///
    /// # Errors
    /// When the URL names another engine, or the database cannot be opened
    /// or migrated.
    pub async fn connect(url: &str, settings: PoolSettings) -> Result<Self, DbError> {
        let engine = Engine::of(url).ok_or_else(|| DbError::Unsupported {
            // The scheme alone: the rest may hold a password.
            url: url.split(':').next().unwrap_or_default().to_owned(),
        })?;
        sqlx::any::install_default_drivers();
        let url = match engine {
            // Created if missing, unless the URL chose a mode.
            Engine::Sqlite if !url.contains("mode=") => {
                let joint = if url.contains('?') { '&' } else { '?' };
                format!("{url}{joint}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let statement_ms = settings.statement_timeout.as_millis();
        let pool = AnyPoolOptions::new()
            .max_connections(settings.max_connections)
            .acquire_timeout(settings.acquire_timeout)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    match engine {
                        // WAL with NORMAL sync: a committed save survives
                        // the process being killed; only a power loss can
                        // drop the last transactions.
                        Engine::Sqlite => {
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                        }
                        // A statement stuck behind a lock gives up rather
                        // than hold its request past the time limit (the
                        // figure is a number this code wrote, not input).
                        Engine::Postgres => {
                            conn.execute(sqlx::AssertSqlSafe(format!(
                                "SET statement_timeout = {statement_ms}"
                            )))
                            .await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Db { pool, engine })
    }

    /// Which database this store runs on.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Stores a new scenario under a fresh random id and returns the id
    /// with its edit token.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn save_scenario(
        &self,
        name: &str,
        notes: &str,
        inputs: &StoredInputs,
    ) -> Result<Saved, DbError> {
        let id = new_id()?;
        let edit_token = new_id()?;
        let json = inputs.to_json().map_err(|e| DbError::Corrupt {
            id: id.clone(),
            reason: e.to_string(),
        })?;
        let now = unix_now();
        sqlx::query(
            "INSERT INTO scenarios \
             (id, schema_version, name, inputs, created_at, updated_at, edit_token_sha256, notes) \
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7)",
        )
        .bind(&id)
        .bind(i64::from(inputs.schema_version()))
        .bind(name)
        .bind(json)
        .bind(now)
        .bind(token_digest(&edit_token))
        .bind(notes)
        .execute(&self.pool)
        .await?;
        Ok(Saved { id, edit_token })
    }

    /// Applies `changes` to scenario `id` if `edit_token` is its token.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn update_scenario(
        &self,
        id: &str,
        edit_token: &str,
        changes: &Changes,
    ) -> Result<Outcome, DbError> {
        let json = match &changes.inputs {
            Some(inputs) => Some(inputs.to_json().map_err(|e| DbError::Corrupt {
                id: id.to_owned(),
                reason: e.to_string(),
            })?),
            None => None,
        };
        let version = changes
            .inputs
            .as_ref()
            .map(|i| i64::from(i.schema_version()));
        let revision: Option<i64> = sqlx::query_scalar(
            "UPDATE scenarios SET \
               name = COALESCE($3, name), \
               notes = COALESCE($4, notes), \
               inputs = COALESCE($5, inputs), \
               schema_version = COALESCE($6, schema_version), \
               updated_at = $7, \
               revision = revision + 1 \
             WHERE id = $1 AND edit_token_sha256 = $2 AND edit_token_sha256 <> '' \
               AND ($8 IS NULL OR revision = $8) \
             RETURNING revision",
        )
        .bind(id)
        .bind(token_digest(edit_token))
        .bind(&changes.name)
        .bind(&changes.notes)
        .bind(json)
        .bind(version)
        .bind(unix_now())
        .bind(changes.if_revision)
        .fetch_optional(&self.pool)
        .await?;
        match revision {
            Some(revision) => Ok(Outcome::Changed { revision }),
            None => self.outcome(id, edit_token, 0).await,
        }
    }

    /// Deletes scenario `id` if `edit_token` is its token.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn delete_scenario(
        &self,
        id: &str,
        edit_token: &str,
        if_revision: Option<i64>,
    ) -> Result<Outcome, DbError> {
        let done = sqlx::query(
            "DELETE FROM scenarios \
             WHERE id = $1 AND edit_token_sha256 = $2 AND edit_token_sha256 <> '' \
               AND ($3 IS NULL OR revision = $3)",
        )
        .bind(id)
        .bind(token_digest(edit_token))
        .bind(if_revision)
        .execute(&self.pool)
        .await?;
        self.outcome(id, edit_token, done.rows_affected()).await
    }

    /// Once a guarded change touched no row, tells why: no such scenario, a
    /// wrong token, or a revision that is no longer current.
    async fn outcome(&self, id: &str, edit_token: &str, rows: u64) -> Result<Outcome, DbError> {
        if rows > 0 {
            return Ok(Outcome::Done);
        }
        let row = sqlx::query("SELECT edit_token_sha256, revision FROM scenarios WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Ok(Outcome::NotFound);
        };
        let digest: String = row.try_get("edit_token_sha256")?;
        Ok(if digest.is_empty() || digest != token_digest(edit_token) {
            Outcome::Forbidden
        } else {
            Outcome::Stale {
                current: row.try_get("revision")?,
            }
        })
    }

    /// The scenario saved under `id`, if any.
    ///
    /// # Errors
    /// When the database fails or the stored inputs no longer parse.
    pub async fn scenario(&self, id: &str) -> Result<Option<StoredScenario>, DbError> {
        let row = sqlx::query(
            "SELECT id, name, notes, schema_version, inputs, created_at, updated_at, revision \
             FROM scenarios WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let json: String = row.try_get("inputs")?;
        let schema_version: i64 = row.try_get("schema_version")?;
        let inputs =
            StoredInputs::from_json(schema_version, &json).map_err(|reason| DbError::Corrupt {
                id: id.to_owned(),
                reason,
            })?;
        Ok(Some(StoredScenario {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            schema_version,
            inputs,
            notes: row.try_get("notes")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            revision: row.try_get("revision")?,
        }))
    }

    /// Up to `limit` scenarios, newest first, after the one with id `after`
    /// (a cursor: pages stay stable while others save).
    ///
    /// # Errors
    /// When the database fails.
    pub async fn list_scenarios(
        &self,
        limit: u32,
        after: Option<&str>,
    ) -> Result<Vec<Listed>, DbError> {
        let rows = sqlx::query(
            "SELECT id, name, schema_version, created_at, updated_at, revision FROM scenarios \
             WHERE $1 IS NULL \
                OR created_at < (SELECT created_at FROM scenarios WHERE id = $1) \
                OR (created_at = (SELECT created_at FROM scenarios WHERE id = $1) AND id < $1) \
             ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Listed {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    schema_version: row.try_get("schema_version")?,
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                    revision: row.try_get("revision")?,
                })
            })
            .collect()
    }

    /// Whether a scenario with this id is stored.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn scenario_exists(&self, id: &str) -> Result<bool, DbError> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM scenarios WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?
                > 0,
        )
    }

    /// Whether the database answers.
    ///
    /// # Errors
    /// When it does not.
    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Stores a search (the search page's query string) under `name` and
    /// returns its fresh random id. Saved searches are not changed after.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn save_search(&self, name: &str, query: &str) -> Result<String, DbError> {
        let id = new_id()?;
        sqlx::query("INSERT INTO searches (id, name, query, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&id)
            .bind(name)
            .bind(query)
            .bind(unix_now())
            .execute(&self.pool)
            .await?;
        Ok(id)
    }

    /// The search saved under `id`, as (name, query), if any.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn search(&self, id: &str) -> Result<Option<(String, String)>, DbError> {
        let row = sqlx::query("SELECT name, query FROM searches WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((r.try_get("name")?, r.try_get("query")?)))
            .transpose()
    }

    /// How many scenarios are stored.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn count_scenarios(&self) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM scenarios")
            .fetch_one(&self.pool)
            .await?)
    }
}

/// 128 random bits from the operating system, as 32 hex digits: unguessable,
/// and safe in URLs and file names.
fn new_id() -> Result<String, DbError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| DbError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logged_url_keeps_no_password() {
        assert_eq!(
            without_password("postgres://app:s3cret@db.internal:5432/tokenfab"),
            "postgres://app:***@db.internal:5432/tokenfab"
        );
        // Nothing to hide: as given.
        assert_eq!(
            without_password("postgres://app@db/tokenfab"),
            "postgres://app@db/tokenfab"
        );
        assert_eq!(without_password("sqlite:///srv/t.db"), "sqlite:///srv/t.db");
        // An `@` inside the password, or a password as a parameter.
        assert_eq!(
            without_password("postgres://app:p@ss@db/x"),
            "postgres://app:***@db/x"
        );
        assert_eq!(
            without_password("postgres://app@db/x?sslmode=disable&password=s3cret"),
            "postgres://app@db/x?sslmode=disable&password=***"
        );
    }

    #[tokio::test]
    async fn a_data_dir_with_a_space_and_a_step_up_opens_where_it_says() {
        let root = tempfile::tempdir().unwrap();
        let nested = root.path().join("a b").join("c");
        std::fs::create_dir_all(&nested).unwrap();
        // `a b/c/../d`: the directory `a b/d`, not `a b` nor `d`.
        let dir = nested.join("..").join("d");
        let db = Db::open(&dir, PoolSettings::default()).await.unwrap();
        db.ping().await.unwrap();
        assert!(
            root.path()
                .join("a b")
                .join("d")
                .join(DATABASE_FILE)
                .exists()
        );
    }

    #[test]
    fn the_engine_is_read_from_the_scheme() {
        assert_eq!(Engine::of("sqlite:///x.db"), Some(Engine::Sqlite));
        assert_eq!(Engine::of("postgres://h/d"), Some(Engine::Postgres));
        assert_eq!(Engine::of("postgresql://h/d"), Some(Engine::Postgres));
        assert_eq!(Engine::of("mysql://h/d"), None);
    }

    #[test]
    fn ids_are_32_hex_digits_and_differ() {
        let (a, b) = (new_id().unwrap(), new_id().unwrap());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn a_saved_scenario_reads_back_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path(), PoolSettings::default()).await.unwrap();
        let measured = StoredInputs::Measured(MeasuredScenario::example());
        let id = db.save_scenario("bot", "", &measured).await.unwrap().id;
        let stored = db.scenario(&id).await.unwrap().unwrap();
        assert_eq!(stored.inputs, measured);
        assert_eq!(stored.name, "bot");
        assert_eq!(stored.schema_version, 1);
        assert_eq!(db.scenario("nope").await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_saved_deployment_reads_back_unchanged_as_version_2() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path(), PoolSettings::default()).await.unwrap();
        let deployment = StoredInputs::Deployment(Box::new(Deployment::example()));
        let id = db.save_scenario("chat", "", &deployment).await.unwrap().id;
        let stored = db.scenario(&id).await.unwrap().unwrap();
        assert_eq!(stored.inputs, deployment);
        assert_eq!(stored.schema_version, 2);
    }

    #[tokio::test]
    async fn a_row_saved_by_schema_version_1_opens_as_a_deployment() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path(), PoolSettings::default()).await.unwrap();
        // Written as version 1 wrote it, not through today's code.
        sqlx::query(
            "INSERT INTO scenarios (id, schema_version, name, inputs, created_at, updated_at) \
             VALUES ('00112233445566778899aabbccddeeff', 1, 'seed', $1, 0, 0)",
        )
        .bind(include_str!("../tests/fixtures/scenario-v1.json"))
        .execute(&db.pool)
        .await
        .unwrap();
        let stored = db
            .scenario("00112233445566778899aabbccddeeff")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.schema_version, 1);
        let report = stored.inputs.deployment().evaluate().unwrap();
        // The article's 3,000 tokens/s at 1,000 W.
        assert!((report.energy.tokens_per_joule - 3.0).abs() < 1e-9);
    }

    #[tokio::test]
    async fn only_the_edit_token_changes_or_deletes_a_scenario() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path(), PoolSettings::default()).await.unwrap();
        let inputs = StoredInputs::Deployment(Box::new(Deployment::example()));
        let saved = db.save_scenario("first", "", &inputs).await.unwrap();
        assert_ne!(saved.id, saved.edit_token);
        let rename = Changes {
            name: Some("second".to_owned()),
            ..Changes::default()
        };
        let wrong = "0".repeat(32);
        assert_eq!(
            db.update_scenario(&saved.id, &wrong, &rename)
                .await
                .unwrap(),
            Outcome::Forbidden
        );
        assert_eq!(
            db.delete_scenario(&saved.id, &wrong, None).await.unwrap(),
            Outcome::Forbidden
        );
        assert_eq!(db.scenario(&saved.id).await.unwrap().unwrap().name, "first");

        assert_eq!(
            db.update_scenario(&saved.id, &saved.edit_token, &rename)
                .await
                .unwrap(),
            Outcome::Changed { revision: 2 }
        );
        let stored = db.scenario(&saved.id).await.unwrap().unwrap();
        assert_eq!(stored.name, "second");
        assert_eq!(stored.revision, 2);
        // Fields not named in the change stay as they were.
        assert_eq!(stored.inputs, inputs);

        assert_eq!(
            db.delete_scenario(&saved.id, &saved.edit_token, None)
                .await
                .unwrap(),
            Outcome::Done
        );
        assert_eq!(db.scenario(&saved.id).await.unwrap(), None);
        assert_eq!(
            db.delete_scenario(&saved.id, &saved.edit_token, None)
                .await
                .unwrap(),
            Outcome::NotFound
        );
    }

    #[tokio::test]
    async fn a_change_made_against_an_old_revision_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path(), PoolSettings::default()).await.unwrap();
        let inputs = StoredInputs::Deployment(Box::new(Deployment::example()));
        let saved = db.save_scenario("first", "", &inputs).await.unwrap();
        let token = &saved.edit_token;
        // Two holders of the token both read revision 1.
        let theirs = Changes {
            name: Some("theirs".to_owned()),
            if_revision: Some(1),
            ..Changes::default()
        };
        let mine = Changes {
            name: Some("mine".to_owned()),
            if_revision: Some(1),
            ..Changes::default()
        };
        assert_eq!(
            db.update_scenario(&saved.id, token, &theirs).await.unwrap(),
            Outcome::Changed { revision: 2 }
        );
        assert_eq!(
            db.update_scenario(&saved.id, token, &mine).await.unwrap(),
            Outcome::Stale { current: 2 }
        );
        assert_eq!(
            db.delete_scenario(&saved.id, token, Some(1)).await.unwrap(),
            Outcome::Stale { current: 2 }
        );
        // The first change stands; a wrong token is still told apart.
        assert_eq!(
            db.scenario(&saved.id).await.unwrap().unwrap().name,
            "theirs"
        );
        assert_eq!(
            db.update_scenario(&saved.id, &"0".repeat(32), &mine)
                .await
                .unwrap(),
            Outcome::Forbidden
        );
        assert_eq!(
            db.delete_scenario(&saved.id, token, Some(2)).await.unwrap(),
            Outcome::Done
        );
    }

    #[tokio::test]
    async fn the_edit_token_itself_is_not_stored() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path(), PoolSettings::default()).await.unwrap();
        let inputs = StoredInputs::Deployment(Box::new(Deployment::example()));
        let saved = db.save_scenario("", "", &inputs).await.unwrap();
        let stored: String = sqlx::query_scalar("SELECT edit_token_sha256 FROM scenarios")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_ne!(stored, saved.edit_token);
        assert_eq!(stored, token_digest(&saved.edit_token));
        assert_eq!(stored.len(), 64);
    }

    #[tokio::test]
    async fn reopening_keeps_saved_scenarios() {
        let dir = tempfile::tempdir().unwrap();
        let id = {
            let db = Db::open(dir.path(), PoolSettings::default()).await.unwrap();
            db.save_scenario("", "", &StoredInputs::Measured(MeasuredScenario::example()))
                .await
                .unwrap()
                .id
        };
        let db = Db::open(dir.path(), PoolSettings::default()).await.unwrap();
        assert!(db.scenario(&id).await.unwrap().is_some());
        assert_eq!(db.count_scenarios().await.unwrap(), 1);
    }
}
