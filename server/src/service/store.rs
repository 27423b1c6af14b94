//! Saved scenarios read back: by id (a malformed id is simply not saved),
//! and with their report, as the API exports them.

use app::api::ExportedScenario;

use crate::db::{Db, DbError, StoredScenario};

/// The saved scenario `id`, if the id is well-formed and saved.
///
/// # Errors
/// The database does not answer.
pub async fn load(db: &Db, id: &str) -> Result<Option<StoredScenario>, DbError> {
    // Ids are 32 hex digits; anything else cannot be saved.
    if id.len() != 32 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(None);
    }
    db.scenario(id).await
}

/// Saved scenario `id` as a deployment (older shapes migrated) with its
/// report, or why there is none.
///
/// # Errors
/// The database does not answer.
pub async fn exported(db: &Db, id: &str) -> Result<Option<ExportedScenario>, DbError> {
    let Some(stored) = load(db, id).await? else {
        return Ok(None);
    };
    let scenario = stored.inputs.deployment();
    let (report, report_error) = match scenario.evaluate() {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e.to_string())),
    };
    Ok(Some(ExportedScenario {
        report,
        report_error,
        id: stored.id,
        name: stored.name,
        notes: stored.notes,
        schema_version: stored.schema_version,
        created_at: stored.created_at,
        updated_at: stored.updated_at,
        revision: stored.revision,
        scenario,
    }))
}
