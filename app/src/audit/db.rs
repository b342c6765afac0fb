//! Audit log SQL. Append and read; there is deliberately no update or delete.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::AuditEntry;
use crate::on_db;
use crate::store::{Db, StoreError};

pub async fn append(db: &Db, entry: &AuditEntry) -> Result<(), StoreError> {
    let now = Utc::now();
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO audit_log (id, at, actor_id, action, entity, entity_id, address, details)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(Uuid::now_v7())
        .bind(now)
        .bind(entry.actor)
        .bind(&entry.action)
        .bind(&entry.entity)
        .bind(&entry.entity_id)
        .bind(&entry.address)
        .bind(&entry.details)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// The most recent entries, newest first, with when they happened.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<(DateTime<Utc>, AuditEntry)>, StoreError> {
    type Row = (
        DateTime<Utc>,
        Option<Uuid>,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT at, actor_id, action, entity, entity_id, address, details
             FROM audit_log ORDER BY at DESC, id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(at, actor, action, entity, entity_id, address, details)| {
            (
                at,
                AuditEntry {
                    actor,
                    action,
                    entity,
                    entity_id,
                    address,
                    details,
                },
            )
        })
        .collect())
}

/// The newest entries (optionally of one action), with the actor's email.
pub async fn search(
    db: &Db,
    action: Option<&str>,
    limit: i64,
) -> Result<Vec<super::AuditRow>, StoreError> {
    type Row = (
        DateTime<Utc>,
        Option<String>,
        String,
        String,
        Option<String>,
    );
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT a.at, u.email, a.action, a.entity_id, a.address
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
             WHERE ($1 IS NULL OR a.action = $1)
             ORDER BY a.at DESC, a.id DESC LIMIT $2",
        )
        .bind(action)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(at, actor, action, entity_id, address)| super::AuditRow {
            at,
            actor,
            action,
            entity_id,
            address,
        })
        .collect())
}
