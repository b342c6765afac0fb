//! SQL for participants, their sign-ins and sessions. Both backends run the same statements.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::rules::Profile;
use super::{MyCase, MyComment, Participant};
use crate::Locale;
use crate::feedback::CaseState;
use crate::groups::StakeholderGroup;
use crate::on_db;
use crate::store::{Db, StoreError};

type ParticipantRow = (Uuid, String, String, String, Option<String>, DateTime<Utc>);

const COLUMNS: &str = "id, email, display_name, language, stakeholder_group, created_at";

fn participant(
    (id, email, display_name, language, group, created_at): ParticipantRow,
) -> Participant {
    Participant {
        id,
        email,
        display_name,
        language: Locale::from_code(&language).unwrap_or_default(),
        group: group.as_deref().and_then(StakeholderGroup::from_code),
        created_at,
    }
}

pub async fn find(db: &Db, id: Uuid) -> Result<Option<Participant>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM participants WHERE id = $1");
    let row: Option<ParticipantRow> = on_db!(db, |pool| {
        sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
    })?;
    Ok(row.map(participant))
}

/// The participant with this (lower-cased) address, created on first sign-in in `language`.
pub async fn find_or_create(
    db: &Db,
    email: &str,
    language: Locale,
    now: DateTime<Utc>,
) -> Result<(Participant, bool), StoreError> {
    let inserted = on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO participants (id, email, display_name, language, created_at)
             VALUES ($1, $2, '', $3, $4) ON CONFLICT (email) DO NOTHING",
        )
        .bind(Uuid::now_v7())
        .bind(email)
        .bind(language.code())
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })? == 1;
    let sql = format!("SELECT {COLUMNS} FROM participants WHERE email = $1");
    let row: ParticipantRow = on_db!(db, |pool| {
        sqlx::query_as(&sql).bind(email).fetch_one(pool).await
    })?;
    Ok((participant(row), inserted))
}

pub async fn update_profile(db: &Db, id: Uuid, profile: &Profile) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE participants SET display_name = $1, language = $2, stakeholder_group = $3
             WHERE id = $4",
        )
        .bind(&profile.display_name)
        .bind(profile.language.code())
        .bind(profile.group.map(StakeholderGroup::code))
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Deletes a participant in one transaction: the feedback they sent loses its link to them and
/// their contact details (a reply by email falls back to the tracking page), their sign-ins
/// and sessions go, then the account.
pub async fn delete(db: &Db, id: Uuid, email: &str) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE feedback_cases SET participant_id = NULL, name = '', email = NULL,
                     phone = NULL,
                     reply_by = CASE WHEN reply_by = 'email' THEN 'web' ELSE reply_by END
                 WHERE participant_id = $1",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
            // Comments no one else has seen (held for a moderator) go; published and hidden
            // ones stay (others replied to them, or a notice stands in their place), by "a
            // former participant".
            sqlx::query("DELETE FROM comments WHERE participant_id = $1 AND state = 'held'")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE comments SET participant_id = NULL WHERE participant_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM participant_sessions WHERE participant_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM participant_sign_ins WHERE email = $1")
                .bind(email)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM participants WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
        .await
    })?;
    Ok(())
}

/// The feedback a participant sent while signed in, newest first.
pub async fn cases(db: &Db, participant: Uuid) -> Result<Vec<MyCase>, StoreError> {
    type Row = (Uuid, String, String, String, DateTime<Utc>, DateTime<Utc>);
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, reference, topic, state, received_at, due_at FROM feedback_cases
             WHERE participant_id = $1 ORDER BY received_at DESC LIMIT 200",
        )
        .bind(participant)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, reference, topic, state, received_at, due_at)| {
            Some(MyCase {
                id,
                reference,
                topic,
                state: CaseState::from_code(&state)?,
                received_at,
                due_at,
            })
        })
        .collect())
}

/// How much of a comment the account's list shows.
const EXCERPT_CHARS: usize = 140;

/// The participant's comments and replies, newest first (the latest 200).
pub async fn comments(db: &Db, participant: Uuid) -> Result<Vec<MyComment>, StoreError> {
    type Row = (
        Uuid,
        Uuid,
        Option<Uuid>,
        String,
        String,
        String,
        Option<String>,
        DateTime<Utc>,
        String,
        String,
    );
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT c.id, c.opportunity_id, c.parent_id, c.body, c.lang, c.state, c.hidden_category,
                    c.created_at, o.title_ar, o.title_en
             FROM comments c JOIN opportunities o ON o.id = c.opportunity_id
             WHERE c.participant_id = $1 ORDER BY c.created_at DESC, c.id LIMIT 200",
        )
        .bind(participant)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(
                id,
                opportunity_id,
                parent_id,
                body,
                lang,
                state,
                hidden_category,
                created_at,
                ar,
                en,
            )| {
                let mut excerpt: String = body.chars().take(EXCERPT_CHARS).collect();
                if excerpt.len() < body.len() {
                    excerpt.push('…');
                }
                Some(MyComment {
                    id,
                    opportunity_id,
                    parent_id,
                    title: crate::text::Text::new(ar, en),
                    excerpt,
                    lang: Locale::from_code(&lang).unwrap_or_default(),
                    state: crate::consultations::CommentState::from_code(&state)?,
                    hidden_category,
                    created_at,
                })
            },
        )
        .collect())
}

// ---- Sign-ins ----------------------------------------------------------------------------

/// A sign-in sent by email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    pub id: Uuid,
    pub email: String,
    pub code_hash: String,
    pub language: Locale,
    pub next_path: Option<String>,
    pub attempts: i32,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

type SignInRow = (
    Uuid,
    String,
    String,
    String,
    Option<String>,
    i32,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

const SIGN_IN_COLUMNS: &str =
    "id, email, code_hash, language, next_path, attempts, expires_at, used_at";

fn sign_in(row: SignInRow) -> SignIn {
    let (id, email, code_hash, language, next_path, attempts, expires_at, used_at) = row;
    SignIn {
        id,
        email,
        code_hash,
        language: Locale::from_code(&language).unwrap_or_default(),
        next_path,
        attempts,
        expires_at,
        used_at,
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_sign_in(
    db: &Db,
    id: Uuid,
    email: &str,
    token_hash: &str,
    code_hash: &str,
    language: Locale,
    next_path: Option<&str>,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO participant_sign_ins (id, email, token_hash, code_hash, language,
                 next_path, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(email)
        .bind(token_hash)
        .bind(code_hash)
        .bind(language.code())
        .bind(next_path)
        .bind(now)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Sign-ins sent to an address since `since`.
pub async fn sign_ins_since(db: &Db, email: &str, since: DateTime<Utc>) -> Result<i64, StoreError> {
    let (n,): (i64,) = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*) FROM participant_sign_ins WHERE email = $1 AND created_at >= $2",
        )
        .bind(email)
        .bind(since)
        .fetch_one(pool)
        .await
    })?;
    Ok(n)
}

pub async fn find_sign_in(db: &Db, id: Uuid) -> Result<Option<SignIn>, StoreError> {
    let sql = format!("SELECT {SIGN_IN_COLUMNS} FROM participant_sign_ins WHERE id = $1");
    let row: Option<SignInRow> = on_db!(db, |pool| {
        sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
    })?;
    Ok(row.map(sign_in))
}

pub async fn find_sign_in_by_token(
    db: &Db,
    token_hash: &str,
) -> Result<Option<SignIn>, StoreError> {
    let sql = format!("SELECT {SIGN_IN_COLUMNS} FROM participant_sign_ins WHERE token_hash = $1");
    let row: Option<SignInRow> = on_db!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(token_hash)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(sign_in))
}

/// Counts a wrong code; answers whether the attempt was counted while attempts remained (two
/// guesses at once cannot both pass the limit).
pub async fn count_attempt(db: &Db, id: Uuid, limit: i32) -> Result<bool, StoreError> {
    let updated = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE participant_sign_ins SET attempts = attempts + 1
             WHERE id = $1 AND attempts < $2 AND used_at IS NULL",
        )
        .bind(id)
        .bind(limit)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(updated == 1)
}

/// Marks a sign-in used; `false` when it already was (one use, even when two arrive at once).
pub async fn use_sign_in(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let updated = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE participant_sign_ins SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(updated == 1)
}

/// Forgets sign-ins that ended more than a day ago (their addresses are personal data).
pub async fn prune_sign_ins(db: &Db, now: DateTime<Utc>) -> Result<u64, StoreError> {
    let done = on_db!(db, |pool| {
        sqlx::query("DELETE FROM participant_sign_ins WHERE expires_at < $1")
            .bind(now - chrono::Duration::days(1))
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done)
}

// ---- Sessions ----------------------------------------------------------------------------

pub async fn insert_session(
    db: &Db,
    token_hash: &str,
    participant: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO participant_sessions (token_hash, participant_id, created_at, last_seen_at)
             VALUES ($1, $2, $3, $3)",
        )
        .bind(token_hash)
        .bind(participant)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// A session: (participant, created, last seen).
pub async fn find_session(
    db: &Db,
    token_hash: &str,
) -> Result<Option<(Uuid, DateTime<Utc>, DateTime<Utc>)>, StoreError> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT participant_id, created_at, last_seen_at FROM participant_sessions
             WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await
    })
    .map_err(StoreError::from)
}

pub async fn touch_session(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE participant_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query("DELETE FROM participant_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}
