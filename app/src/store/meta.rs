//! Instance facts kept in the `instance_meta` table: when the instance was set up, whether
//! demo content has been seeded, and similar one-off markers.

use chrono::{DateTime, Utc};

use super::{Db, StoreError};
use crate::on_db;

/// Reads a marker, or `None` when it was never set.
pub async fn get_meta(db: &Db, key: &str) -> Result<Option<String>, StoreError> {
    let value: Option<(String,)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT value FROM instance_meta WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await
    })?;
    Ok(value.map(|(v,)| v))
}

/// Sets a marker, replacing any earlier value.
pub async fn set_meta(db: &Db, key: &str, value: &str) -> Result<(), StoreError> {
    let now: DateTime<Utc> = Utc::now();
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO instance_meta (key, value, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}
