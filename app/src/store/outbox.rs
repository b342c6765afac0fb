//! The outbox: email waiting for the SMTP relay. Writing a message is part of the change that
//! causes it (an invitation); the server's sender delivers it later and retries on failure.
//!
//! Invariants: a sent message's body is cleared (it may hold a secret link); a message is
//! tried at most [`MAX_ATTEMPTS`] times. A sender claims a batch for a lease before sending
//! ([`claim`]), so with several servers each message is sent by one of them; a server that
//! dies mid-batch leaves its claim to expire and another takes the rest over (only the one
//! message in flight at the crash may go twice).

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
    /// The one-click unsubscribe address (RFC 8058), for messages people can stop.
    pub unsubscribe: Option<String>,
    /// A file sent with it ([`attachment`] loads it when the message is sent).
    pub attachment: Option<Uuid>,
}

/// A file sent with a message, shared by all its recipients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

pub async fn enqueue(
    db: &Db,
    to: &str,
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    enqueue_stoppable(db, to, subject, body, None, now).await
}

/// Queues a message the recipient can stop with one click at `unsubscribe`.
pub async fn enqueue_stoppable(
    db: &Db,
    to: &str,
    subject: &str,
    body: &str,
    unsubscribe: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO outbox (id, to_address, subject, body, unsubscribe_url, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(Uuid::now_v7())
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(unsubscribe)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

type MailRow = (Uuid, String, String, String, Option<String>, Option<Uuid>);

fn mail((id, to, subject, body, unsubscribe, attachment): MailRow) -> Mail {
    Mail {
        id,
        to,
        subject,
        body,
        unsubscribe,
        attachment,
    }
}

/// The file a message carries.
pub async fn attachment(db: &Db, id: Uuid) -> Result<Option<Attachment>, StoreError> {
    let row: Option<(String, String, Vec<u8>)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT file_name, content_type, content FROM mail_attachments WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(|(file_name, content_type, content)| Attachment {
        file_name,
        content_type,
        content,
    }))
}

/// Unsent messages still worth trying, oldest first (claimed or not).
pub async fn pending(db: &Db, limit: i64) -> Result<Vec<Mail>, StoreError> {
    let rows: Vec<MailRow> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, to_address, subject, body, unsubscribe_url, attachment_id FROM outbox \
             WHERE sent_at IS NULL AND attempts < $1 ORDER BY created_at LIMIT $2",
        )
        .bind(MAX_ATTEMPTS)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows.into_iter().map(mail).collect())
}

/// Claims up to `limit` unsent messages nobody holds until `until`, oldest first, and answers
/// them: PostgreSQL skips rows another server is claiming; SQLite runs one write at a time.
pub async fn claim(
    db: &Db,
    limit: i64,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<Mail>, StoreError> {
    let lock = match db {
        Db::Sqlite(_) => "",
        Db::Postgres(_) => "FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE outbox SET claimed_until = $1 WHERE id IN (
             SELECT id FROM outbox WHERE sent_at IS NULL AND attempts < $2
                 AND (claimed_until IS NULL OR claimed_until < $3)
             ORDER BY created_at LIMIT $4 {lock})
         RETURNING id, to_address, subject, body, unsubscribe_url, attachment_id"
    );
    let mut rows: Vec<MailRow> = on_db!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(until)
            .bind(MAX_ATTEMPTS)
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?;
    // RETURNING gives no order; UUIDv7 ids sort by creation.
    rows.sort_by_key(|row| row.0);
    Ok(rows.into_iter().map(mail).collect())
}

/// Marks a message sent and clears its body.
pub async fn sent(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE outbox SET sent_at = $1, body = '', attempts = attempts + 1, last_error = NULL, \
             claimed_until = NULL WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Records a failed attempt; the message is tried again when its claim expires.
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
