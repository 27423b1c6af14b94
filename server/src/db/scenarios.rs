//! Saved scenarios: their rows, the edit token that guards changes, and
//! the revision that refuses a change made against an old read.

use sqlx::Row;
use tokenfab_core::deployment::Deployment;
use tokenfab_core::migrate::deployment_from_measured;
use tokenfab_core::migrate::v1::MeasuredScenario;

use super::{Db, DbError, could_be_stored, new_id, unix_now};

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

impl Db {
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
        if !could_be_stored(id) {
            return Ok(Outcome::NotFound);
        }
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
        if !could_be_stored(id) {
            return Ok(Outcome::NotFound);
        }
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
        if !could_be_stored(id) {
            return Ok(None);
        }
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
        if !after.is_none_or(could_be_stored) {
            return Ok(Vec::new());
        }
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
        if !could_be_stored(id) {
            return Ok(false);
        }
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM scenarios WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?
                > 0,
        )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{PoolSettings, test_store};

    #[tokio::test]
    async fn a_saved_scenario_reads_back_unchanged() {
        let (db, _kept) = test_store().await;
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
        let (db, _kept) = test_store().await;
        let deployment = StoredInputs::Deployment(Box::new(Deployment::example()));
        let id = db.save_scenario("chat", "", &deployment).await.unwrap().id;
        let stored = db.scenario(&id).await.unwrap().unwrap();
        assert_eq!(stored.inputs, deployment);
        assert_eq!(stored.schema_version, 2);
    }

    #[tokio::test]
    async fn a_row_saved_by_schema_version_1_opens_as_a_deployment() {
        let (db, _kept) = test_store().await;
        // Written as version 1 wrote it, not through today's code.
        sqlx::query(
            "INSERT INTO scenarios (id, schema_version, name, inputs, created_at, updated_at) \
             VALUES ('00112233445566778899aabbccddeeff', 1, 'seed', $1, 0, 0)",
        )
        .bind(include_str!("../../tests/fixtures/scenario-v1.json"))
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
        let (db, _kept) = test_store().await;
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
        let (db, _kept) = test_store().await;
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
        let (db, _kept) = test_store().await;
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
        let (db, kept) = test_store().await;
        let id = db
            .save_scenario("", "", &StoredInputs::Measured(MeasuredScenario::example()))
            .await
            .unwrap()
            .id;
        db.pool.close().await;
        let db = Db::connect(&kept.url, PoolSettings::default())
            .await
            .unwrap();
        assert!(db.scenario(&id).await.unwrap().is_some());
        assert_eq!(db.count_scenarios().await.unwrap(), 1);
    }
}
