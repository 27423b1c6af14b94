//! Copying one store into another (SQLite to PostgreSQL and back): every
//! saved scenario with its edit token's digest, revision and times, and
//! every saved search. Running it again copies nothing twice.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, DbError};

/// What a copy did, scenario by scenario.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Copied {
    /// Scenarios the target did not have.
    pub scenarios: u64,
    /// Scenarios the target held at an older revision, brought up to the
    /// source's.
    pub scenarios_updated: u64,
    /// Scenarios the target already held as the source has them.
    pub scenarios_present: u64,
    /// Ids of scenarios the target holds at the same or a later revision,
    /// or changed there after the source's last change, with other
    /// contents: left as the target has them.
    pub scenarios_differing: Vec<String>,
    /// Ids of scenarios in the target that the source lacks (deleted from
    /// the source since an earlier copy, or saved in the target): left.
    pub only_in_target: Vec<String>,
    /// Ids of scenarios and searches whose name, notes or query held the
    /// NUL character, which PostgreSQL's text cannot hold: copied with
    /// U+FFFD in its place.
    pub repaired: Vec<String>,
    /// Saved searches the target did not have.
    pub searches: u64,
    /// Saved searches the target already held.
    pub searches_present: u64,
}

/// Rows read and written per round trip.
const BATCH: i64 = 500;

const SCENARIO_COLUMNS: &str = "id, schema_version, name, inputs, notes, created_at, updated_at, \
                                edit_token_sha256, revision";

/// A scenario's row as stored, token digest and all.
#[derive(Debug, Clone, PartialEq)]
struct ScenarioRow {
    id: String,
    schema_version: i64,
    name: String,
    inputs: String,
    notes: String,
    created_at: i64,
    updated_at: i64,
    edit_token_sha256: String,
    revision: i64,
}

/// `text` with any NUL replaced by U+FFFD, and whether there was one.
fn without_nul(text: String) -> (String, bool) {
    if text.contains('\0') {
        (text.replace('\0', "\u{FFFD}"), true)
    } else {
        (text, false)
    }
}

impl ScenarioRow {
    /// The row, with NUL replaced in its texts (saved before names and
    /// notes refused it), and whether any was.
    fn read_repaired(row: &AnyRow) -> Result<(Self, bool), sqlx::Error> {
        let mut scenario = Self::read(row)?;
        let (name, in_name) = without_nul(scenario.name);
        let (notes, in_notes) = without_nul(scenario.notes);
        (scenario.name, scenario.notes) = (name, notes);
        Ok((scenario, in_name || in_notes))
    }

    fn read(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(ScenarioRow {
            id: row.try_get("id")?,
            schema_version: row.try_get("schema_version")?,
            name: row.try_get("name")?,
            inputs: row.try_get("inputs")?,
            notes: row.try_get("notes")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            edit_token_sha256: row.try_get("edit_token_sha256")?,
            revision: row.try_get("revision")?,
        })
    }
}

impl Db {
    /// Copies every saved scenario and search of this store into `target`.
    /// A scenario the target lacks is inserted as it is here; one it holds
    /// at an older revision is replaced; one it holds otherwise is left.
    ///
    /// # Errors
    /// When either database fails; what was copied before stays copied
    /// (running the copy again finishes it).
    pub async fn copy_into(&self, target: &Db) -> Result<Copied, DbError> {
        let mut copied = Copied::default();
        let mut after = String::new();
        loop {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {SCENARIO_COLUMNS} FROM scenarios WHERE id > $1 ORDER BY id LIMIT $2"
            )))
            .bind(&after)
            .bind(BATCH)
            .fetch_all(&self.pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("id")?;
            let mut tx = target.pool.begin().await?;
            for row in &rows {
                let (source, repaired) = ScenarioRow::read_repaired(row)?;
                if repaired {
                    copied.repaired.push(source.id.clone());
                }
                copy_scenario(&mut tx, &source, &mut copied).await?;
            }
            tx.commit().await?;
        }
        let mut after = String::new();
        loop {
            let rows = sqlx::query(
                "SELECT id, name, query, created_at FROM searches \
                 WHERE id > $1 ORDER BY id LIMIT $2",
            )
            .bind(&after)
            .bind(BATCH)
            .fetch_all(&self.pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("id")?;
            let mut tx = target.pool.begin().await?;
            for row in &rows {
                let id: String = row.try_get("id")?;
                let (name, in_name) = without_nul(row.try_get("name")?);
                let (query, in_query) = without_nul(row.try_get("query")?);
                if in_name || in_query {
                    copied.repaired.push(id.clone());
                }
                let inserted = sqlx::query(
                    "INSERT INTO searches (id, name, query, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(id)
                .bind(name)
                .bind(query)
                .bind(row.try_get::<i64, _>("created_at")?)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if inserted > 0 {
                    copied.searches += 1;
                } else {
                    copied.searches_present += 1;
                }
            }
            tx.commit().await?;
        }
        copied.only_in_target = self.missing_from_here(target).await?;
        Ok(copied)
    }

    /// Ids of the scenarios `target` holds that this store does not.
    async fn missing_from_here(&self, target: &Db) -> Result<Vec<String>, DbError> {
        let mut missing = Vec::new();
        let mut after = String::new();
        loop {
            let ids: Vec<String> =
                sqlx::query_scalar("SELECT id FROM scenarios WHERE id > $1 ORDER BY id LIMIT $2")
                    .bind(&after)
                    .bind(BATCH)
                    .fetch_all(&target.pool)
                    .await?;
            let Some(last) = ids.last() else { break };
            after = last.clone();
            for id in ids {
                if !self.scenario_exists(&id).await? {
                    missing.push(id);
                }
            }
        }
        Ok(missing)
    }
}

/// Copies one scenario's row into the target's transaction.
async fn copy_scenario(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    source: &ScenarioRow,
    copied: &mut Copied,
) -> Result<(), DbError> {
    let inserted = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO scenarios ({SCENARIO_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (id) DO NOTHING"
    )))
    .bind(&source.id)
    .bind(source.schema_version)
    .bind(&source.name)
    .bind(&source.inputs)
    .bind(&source.notes)
    .bind(source.created_at)
    .bind(source.updated_at)
    .bind(&source.edit_token_sha256)
    .bind(source.revision)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted > 0 {
        copied.scenarios += 1;
        return Ok(());
    }
    let held = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SCENARIO_COLUMNS} FROM scenarios WHERE id = $1"
    )))
    .bind(&source.id)
    .fetch_optional(&mut **tx)
    .await?;
    // Deleted from the target while this copy ran: left deleted.
    let Some(held) = held else {
        copied.scenarios_differing.push(source.id.clone());
        return Ok(());
    };
    let held = ScenarioRow::read(&held)?;
    if held == *source {
        copied.scenarios_present += 1;
    } else if held.revision < source.revision && held.updated_at <= source.updated_at {
        let updated = sqlx::query(
            "UPDATE scenarios SET schema_version = $2, name = $3, inputs = $4, notes = $5, \
               created_at = $6, updated_at = $7, edit_token_sha256 = $8, revision = $9 \
             WHERE id = $1 AND revision = $10",
        )
        .bind(&source.id)
        .bind(source.schema_version)
        .bind(&source.name)
        .bind(&source.inputs)
        .bind(&source.notes)
        .bind(source.created_at)
        .bind(source.updated_at)
        .bind(&source.edit_token_sha256)
        .bind(source.revision)
        .bind(held.revision)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if updated > 0 {
            copied.scenarios_updated += 1;
        } else {
            // Changed in the target while this copy ran.
            copied.scenarios_differing.push(source.id.clone());
        }
    } else {
        copied.scenarios_differing.push(source.id.clone());
    }
    Ok(())
}
