//! Saved searches: a name and the search page's query string, kept as
//! they were saved.

use sqlx::Row;

use super::{Db, DbError, could_be_stored, new_id, unix_now};

impl Db {
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
        if !could_be_stored(id) {
            return Ok(None);
        }
        let row = sqlx::query("SELECT name, query FROM searches WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((r.try_get("name")?, r.try_get("query")?)))
            .transpose()
    }
}
