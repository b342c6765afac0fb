//! Single-use invitations (only a hash of each link is stored, and only the day it was used)
//! and contact addresses of people who want to hear back, kept apart from any response.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::on_db;
use crate::store::{Db, StoreError};

/// An invitation as staff see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    pub email: String,
    pub created_at: DateTime<Utc>,
    pub used_on: Option<String>,
}

/// Invites each address not invited before; returns (address, token) for the new ones.
pub async fn invite(
    db: &Db,
    survey: Uuid,
    emails: &[String],
    now: DateTime<Utc>,
) -> Result<Vec<(String, String)>, StoreError> {
    let mut made = Vec::new();
    on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            for email in emails {
                let token = crate::accounts::secrets::new_token();
                let done = sqlx::query(
                    "INSERT INTO survey_invitations (id, survey_id, email, token_hash, created_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (survey_id, email) DO NOTHING",
                )
                .bind(Uuid::now_v7())
                .bind(survey)
                .bind(email)
                .bind(crate::responses::invitation_hash(&token))
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if done == 1 {
                    made.push((email.clone(), token));
                }
            }
            tx.commit().await
        }
        .await
    })?;
    Ok(made)
}

pub async fn invitations(db: &Db, survey: Uuid) -> Result<Vec<Invitation>, StoreError> {
    let rows: Vec<(String, DateTime<Utc>, Option<String>)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT email, created_at, used_on FROM survey_invitations WHERE survey_id = $1 ORDER BY email",
        )
        .bind(survey)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(email, created_at, used_on)| Invitation {
            email,
            created_at,
            used_on,
        })
        .collect())
}

/// Whether an invitation (by its token's hash) exists for the survey, and whether it was used.
pub async fn invitation_state(
    db: &Db,
    survey: Uuid,
    hash: &str,
) -> Result<Option<bool>, StoreError> {
    let row: Option<(Option<String>,)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT used_on FROM survey_invitations WHERE survey_id = $1 AND token_hash = $2",
        )
        .bind(survey)
        .bind(hash)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(|(used,)| used.is_some()))
}

/// Records that someone wants to hear back about a survey (no link to any response).
pub async fn add_contact(
    db: &Db,
    survey: Uuid,
    email: &str,
    locale: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO survey_contacts (survey_id, email, locale, created_on) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (survey_id, email) DO NOTHING",
        )
        .bind(survey)
        .bind(email)
        .bind(locale)
        .bind(now.date_naive().to_string())
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn contacts(db: &Db, survey: Uuid) -> Result<i64, StoreError> {
    let (n,): (i64,) = on_db!(db, |pool| {
        sqlx::query_as("SELECT COUNT(*) FROM survey_contacts WHERE survey_id = $1")
            .bind(survey)
            .fetch_one(pool)
            .await
    })?;
    Ok(n)
}
