//! API token SQL, on both backends.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::tokens::ApiToken;
use crate::on_db;
use crate::store::{Db, StoreError};

/// A new token's row; the secret itself is never stored, only its hash.
pub struct NewToken<'a> {
    pub user_id: Uuid,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub prefix: &'a str,
    pub expires_at: Option<DateTime<Utc>>,
}

pub async fn create(db: &Db, token: NewToken<'_>, now: DateTime<Utc>) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(token.user_id)
        .bind(token.name)
        .bind(token.token_hash)
        .bind(token.prefix)
        .bind(now)
        .bind(token.expires_at)
        .execute(pool)
        .await
        .map(|_| ())
    })
    .map_err(StoreError::from_unique)?;
    Ok(id)
}

/// A user's tokens, newest first.
pub async fn list(db: &Db, user_id: Uuid) -> Result<Vec<ApiToken>, StoreError> {
    let tokens = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, name, prefix, created_at, expires_at, last_used_at, revoked_at \
             FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(tokens)
}

/// Revokes a token of `user_id`; `false` when they have no such live token.
pub async fn revoke(
    db: &Db,
    user_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 \
             WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .bind(user_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

/// What bearer authentication needs to know about a presented token.
#[derive(Debug, sqlx::FromRow)]
pub struct TokenRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

pub async fn find(db: &Db, token_hash: &str) -> Result<Option<TokenRecord>, StoreError> {
    let record = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, user_id, expires_at, revoked_at, last_used_at FROM api_tokens \
             WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await
    })?;
    Ok(record)
}

pub async fn touch(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}
