//! The outbox: email waiting for the SMTP relay. Writing a message is part of the change that
//! causes it (an invitation); the server's sender delivers it later and retries on failure.
//!
//! Invariants: a sent message's body is cleared (it may hold a secret link); a message is
//! tried at most [`MAX_ATTEMPTS`] times.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Db, StoreError};
use crate::on_db;

/// After this many failed attempts a message stays unsent (its last error is kept).
pub const MAX_ATTEMPTS: i32 = 10;

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    pub body: String,
}

pub async fn enqueue(
    db: &Db,
    to: &str,
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO outbox (id, to_address, subject, body, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(Uuid::now_v7())
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Unsent messages still worth trying, oldest first.
pub async fn pending(db: &Db, limit: i64) -> Result<Vec<Mail>, StoreError> {
    let rows: Vec<(Uuid, String, String, String)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, to_address, subject, body FROM outbox \
             WHERE sent_at IS NULL AND attempts < $1 ORDER BY created_at LIMIT $2",
        )
        .bind(MAX_ATTEMPTS)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, to, subject, body)| Mail {
            id,
            to,
            subject,
            body,
        })
        .collect())
}

/// Marks a message sent and clears its body.
pub async fn sent(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE outbox SET sent_at = $1, body = '', attempts = attempts + 1, last_error = NULL WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Records a failed attempt.
pub async fn failed(db: &Db, id: Uuid, error: &str) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2")
            .bind(error)
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}
