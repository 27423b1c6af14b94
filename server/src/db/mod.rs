//! All database access. Queries are plain, portable SQL run through sqlx's
//! driver-agnostic pool, so SQLite (the default) and PostgreSQL run the
//! same code and the same migrations.

mod copy;
mod scenarios;
mod searches;
mod write_limit;

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

pub use copy::Copied;
pub use scenarios::{Changes, Listed, Outcome, Saved, StoredInputs, StoredScenario};
pub use write_limit::WriteLimit;

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

impl DbError {
    /// Whether the database could not answer now (unreachable, shutting
    /// down, out of connections, a statement cancelled by the timeout, a
    /// lock not granted) rather than answered wrongly: a later retry may
    /// succeed.
    pub fn is_unavailable(&self) -> bool {
        let DbError::Sql(e) = self else { return false };
        match e {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::BeginFailed => true,
            sqlx::Error::Database(db) => db.code().is_some_and(|code| {
                // PostgreSQL: connection exceptions (08), insufficient
                // resources (53), operator intervention such as shutdown
                // or a cancelled statement (57), serialization failures
                // and deadlocks (40), each a five-character SQLSTATE.
                // SQLite: busy (5) and locked (6), with their extended
                // codes (the primary code in the low byte).
                // A standby promoted mid-request (25006: read only) or a
                // lock not granted in time (55P03) pass too.
                if code.len() == 5 {
                    ["08", "53", "57", "40"]
                        .iter()
                        .any(|class| code.starts_with(class))
                        || code == "25006"
                        || code == "55P03"
                } else {
                    code.parse::<u32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
                }
            }),
            _ => false,
        }
    }
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
    /// Longest a request waits for a free connection, or for a database
    /// that refuses connections to take one.
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            max_connections: 8,
            statement_timeout: Duration::from_secs(5),
            acquire_timeout: Duration::from_secs(2),
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

/// Whether a store is opened to change it or only to read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    ReadWrite,
    ReadOnly,
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
        let (db, url) = Self::pool(url, settings, Access::ReadWrite).await?;
        // A migration of a large store may take longer than a request's
        // statement is allowed: it runs on a connection of its own, without
        // the limit. On PostgreSQL, instances starting at once take turns
        // (an advisory lock); SQLite is one machine's, started once.
        let migrations = AnyPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await?;
        sqlx::migrate!("./migrations").run(&migrations).await?;
        migrations.close().await;
        Ok(db)
    }

    /// Opens the store at `url` to read it only: a SQLite file must exist,
    /// and no schema is changed (it may belong to a running older version).
    ///
    /// # Errors
    /// When the URL names another engine or the database cannot be opened.
    pub async fn connect_read_only(url: &str, settings: PoolSettings) -> Result<Self, DbError> {
        Ok(Self::pool(url, settings, Access::ReadOnly).await?.0)
    }

    /// The pool for `url`, and the URL as the pool opened it.
    async fn pool(
        url: &str,
        settings: PoolSettings,
        access: Access,
    ) -> Result<(Self, String), DbError> {
        let engine = Engine::of(url).ok_or_else(|| DbError::Unsupported {
            // The scheme alone: the rest may hold a password.
            url: url.split(':').next().unwrap_or_default().to_owned(),
        })?;
        sqlx::any::install_default_drivers();
        let url = match engine {
            // Created if missing (or only read), unless the URL chose a mode.
            Engine::Sqlite if !url.contains("mode=") => {
                let joint = if url.contains('?') { '&' } else { '?' };
                let mode = match access {
                    Access::ReadWrite => "rwc",
                    Access::ReadOnly => "ro",
                };
                format!("{url}{joint}mode={mode}")
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
                        Engine::Sqlite if access == Access::ReadWrite => {
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                        }
                        Engine::Sqlite => {}
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
        Ok((Db { pool, engine }, url))
    }

    /// Which database this store runs on.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Whether the database answers.
    ///
    /// # Errors
    /// When it does not.
    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

/// Whether `id` could name a stored row: ids are 32 hex digits, and one
/// holding NUL (which PostgreSQL's text refuses outright) or far longer is
/// simply not there, on either store.
fn could_be_stored(id: &str) -> bool {
    id.len() <= 64 && !id.contains('\0')
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

/// A store on its own empty database, for the store's tests: SQLite in a
/// temporary directory, or a fresh database on the shared throwaway
/// PostgreSQL cluster when `TOKENFAB_TEST_DATABASE=postgres`.
#[cfg(test)]
pub(crate) async fn test_store() -> (Db, TestStore) {
    let (url, dir) = if std::env::var("TOKENFAB_TEST_DATABASE").as_deref() == Ok("postgres") {
        (postgres_cluster::Cluster::shared().new_database(), None)
    } else {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join(DATABASE_FILE).display());
        (url, Some(dir))
    };
    let db = Db::connect(&url, PoolSettings::default())
        .await
        .expect("the test database opens");
    (db, TestStore { url, _dir: dir })
}

/// What a test store needs kept while it is used.
#[cfg(test)]
pub(crate) struct TestStore {
    /// Where it is, for a second connection.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
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
}
