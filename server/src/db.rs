//! All database access. Queries are plain, portable SQL run through sqlx at
//! run time, so a PostgreSQL store can later implement the same functions.

use std::path::Path;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use tokenfab_core::Scenario;
use tokenfab_core::deployment::Deployment;
use tokenfab_core::migrate::deployment_from_measured;

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
    /// Unix seconds when first saved.
    pub created_at: i64,
}

/// What a saved scenario holds. The schema version stored beside the JSON
/// says which: 1 is the measured level, 2 a modeled deployment.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredInputs {
    /// Measured throughput and power with prices.
    Measured(Scenario),
    /// A model on hardware with prices and a use case.
    Deployment(Box<Deployment>),
}

impl StoredInputs {
    /// Version of the inputs' JSON shape.
    pub fn schema_version(&self) -> u32 {
        match self {
            StoredInputs::Measured(_) => Scenario::SCHEMA_VERSION,
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
            1 => Scenario::from_json(json)
                .map(StoredInputs::Measured)
                .map_err(|e| e.to_string()),
            2 => Deployment::from_json(json)
                .map(|d| StoredInputs::Deployment(Box::new(d)))
                .map_err(|e| e.to_string()),
            other => Err(format!("unknown schema version {other}")),
        }
    }
}

/// The scenario store.
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
}

impl Db {
    /// Opens (creating if needed) the database in `data_dir` and brings its
    /// schema up to date.
    ///
    /// # Errors
    /// When the directory or database cannot be created or migrated.
    pub async fn open(data_dir: &Path) -> Result<Self, DbError> {
        std::fs::create_dir_all(data_dir).map_err(|source| DbError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
        let url = format!("sqlite://{}", data_dir.join(DATABASE_FILE).display());
        // WAL with NORMAL sync: a committed save survives the process being
        // killed; only a power loss can drop the last transactions.
        let options = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(std::time::Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Db { pool })
    }

    /// Stores a new scenario under a fresh random id and returns the id.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn save_scenario(
        &self,
        name: &str,
        inputs: &StoredInputs,
    ) -> Result<String, DbError> {
        let id = new_id()?;
        let json = inputs.to_json().map_err(|e| DbError::Corrupt {
            id: id.clone(),
            reason: e.to_string(),
        })?;
        let now = unix_now();
        sqlx::query(
            "INSERT INTO scenarios (id, schema_version, name, inputs, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(&id)
        .bind(i64::from(inputs.schema_version()))
        .bind(name)
        .bind(json)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(id)
    }

    /// The scenario saved under `id`, if any.
    ///
    /// # Errors
    /// When the database fails or the stored inputs no longer parse.
    pub async fn scenario(&self, id: &str) -> Result<Option<StoredScenario>, DbError> {
        let row = sqlx::query(
            "SELECT id, name, schema_version, inputs, created_at FROM scenarios WHERE id = $1",
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
            created_at: row.try_get("created_at")?,
        }))
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
    fn ids_are_32_hex_digits_and_differ() {
        let (a, b) = (new_id().unwrap(), new_id().unwrap());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn a_saved_scenario_reads_back_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).await.unwrap();
        let measured = StoredInputs::Measured(Scenario::example());
        let id = db.save_scenario("bot", &measured).await.unwrap();
        let stored = db.scenario(&id).await.unwrap().unwrap();
        assert_eq!(stored.inputs, measured);
        assert_eq!(stored.name, "bot");
        assert_eq!(stored.schema_version, 1);
        assert_eq!(db.scenario("nope").await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_saved_deployment_reads_back_unchanged_as_version_2() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).await.unwrap();
        let deployment = StoredInputs::Deployment(Box::new(Deployment::example()));
        let id = db.save_scenario("chat", &deployment).await.unwrap();
        let stored = db.scenario(&id).await.unwrap().unwrap();
        assert_eq!(stored.inputs, deployment);
        assert_eq!(stored.schema_version, 2);
    }

    #[tokio::test]
    async fn a_row_saved_by_schema_version_1_opens_as_a_deployment() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).await.unwrap();
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
    async fn reopening_keeps_saved_scenarios() {
        let dir = tempfile::tempdir().unwrap();
        let id = {
            let db = Db::open(dir.path()).await.unwrap();
            db.save_scenario("", &StoredInputs::Measured(Scenario::example()))
                .await
                .unwrap()
        };
        let db = Db::open(dir.path()).await.unwrap();
        assert!(db.scenario(&id).await.unwrap().is_some());
        assert_eq!(db.count_scenarios().await.unwrap(), 1);
    }
}
