//! Responses SQL, on both backends: storing many submissions in one transaction (the server's
//! group commit), drafts, invitations, contact addresses, and the survey as its form needs it.
//!
//! Invariants: a submission id is stored at most once (a unique index; a repeat is reported as
//! [`Outcome::AlreadyStored`], never an error); an invitation is used at most once, in the same
//! transaction as the response it gives, and records only the day; a response is stored only
//! while its survey is open.
//!
//! Drafts are in `drafts`; invitations and contact addresses in `invitations`.

mod drafts;
mod invitations;
mod watchers;

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{IdentityMode, Outcome, PublicSurvey, Submission};
use crate::on_db;
use crate::results::db::Counted;
use crate::store::{Db, StoreError};
use crate::surveys::lifecycle::{Recurrence, next_wave};
use crate::surveys::{Status, model::Definition};

pub use drafts::{draft, prune_drafts, save_draft};
pub use invitations::{Invitation, add_contact, contacts, invitation_state, invitations, invite};
pub use watchers::{Round, announce, open_rounds, watch};

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

type PublicRow = (
    Uuid,
    Option<String>,
    String,
    String,
    i32,
    String,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<i32>,
);

/// The survey a public address names (its slug, or its id), open or not; `None` when there is
/// no such survey or it is a draft.
pub async fn public_survey(
    db: &Db,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<PublicSurvey>, StoreError> {
    const COLUMNS: &str = "id, slug, status, definition, version, identity_mode, closes_at, recurrence, opens_at, \
         wave_days";
    let row: Option<PublicRow> = match Uuid::parse_str(key) {
        Ok(id) => on_db!(db, |pool| {
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM surveys WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await
        })?,
        Err(_) => on_db!(db, |pool| {
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM surveys WHERE slug = $1"))
                .bind(key)
                .fetch_optional(pool)
                .await
        })?,
    };
    let Some((
        id,
        slug,
        status,
        definition,
        version,
        mode,
        closes_at,
        recurrence,
        opens_at,
        wave_days,
    )) = row
    else {
        return Ok(None);
    };
    let recurrence = recurrence.as_deref().and_then(Recurrence::from_code);
    let status = Status::from_code(&status).ok_or_else(|| corrupt(&status))?;
    if status == Status::Draft {
        return Ok(None);
    }
    let definition: Definition = serde_json::from_str(&definition).map_err(corrupt)?;
    let wave: Option<(Uuid,)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id FROM survey_waves WHERE survey_id = $1 AND opens_at <= $2 AND closes_at > $2 \
             ORDER BY number DESC LIMIT 1",
        )
        .bind(id)
        .bind(now)
        .fetch_optional(pool)
        .await
    })?;
    // A periodic survey takes answers only while one of its waves is open; between two, the
    // page says when the next opens and links the last one's results.
    let between = status == Status::Open && recurrence.is_some() && wave.is_none();
    let next_round = match (recurrence, opens_at) {
        (Some(recurrence), Some(first)) if between => {
            let days = wave_days.and_then(|d| u32::try_from(d).ok()).unwrap_or(30);
            next_wave(recurrence, first, days, now)
                .map(|w| w.opens_at)
                .filter(|at| closes_at.is_none_or(|end| *at < end))
        }
        _ => None,
    };
    let last_round: Option<(Option<i32>,)> = if between {
        Some(on_db!(db, |pool| {
            sqlx::query_as(
                "SELECT MAX(number) FROM survey_waves WHERE survey_id = $1 AND opens_at <= $2",
            )
            .bind(id)
            .bind(now)
            .fetch_one(pool)
            .await
        })?)
    } else {
        None
    };
    Ok(Some(PublicSurvey {
        id,
        key: slug.unwrap_or_else(|| id.to_string()),
        open: status == Status::Open && (recurrence.is_none() || wave.is_some()),
        identity_mode: IdentityMode::from_code(&mode).unwrap_or_default(),
        definition,
        version: u32::try_from(version).unwrap_or_default(),
        wave: wave.map(|(w,)| w),
        closes_at,
        opens_later: opens_at.filter(|_| status == Status::Scheduled),
        next_round,
        last_round: last_round.and_then(|(n,)| n),
        recurrence,
    }))
}

/// A survey's public address and identity mode, as staff set them.
pub async fn collection_settings(
    db: &Db,
    survey: Uuid,
) -> Result<Option<(Option<String>, IdentityMode)>, StoreError> {
    let row: Option<(Option<String>, String)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT slug, identity_mode FROM surveys WHERE id = $1")
            .bind(survey)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|(slug, mode)| (slug, IdentityMode::from_code(&mode).unwrap_or_default())))
}

/// Sets a survey's public address and identity mode; [`StoreError::Conflict`] when another
/// survey has the slug.
pub async fn save_collection_settings(
    db: &Db,
    survey: Uuid,
    slug: Option<&str>,
    mode: IdentityMode,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE surveys SET slug = $1, identity_mode = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(slug)
        .bind(mode.code())
        .bind(now)
        .bind(survey)
        .execute(pool)
        .await
        .map(|_| ())
        .map_err(StoreError::from_unique)
    })?;
    Ok(())
}

/// Stores submissions in one transaction and reports what happened to each, in order. A
/// submission id seen twice in the batch is stored once (both get its outcome).
pub async fn store(db: &Db, batch: &[Submission]) -> Result<Vec<Outcome>, StoreError> {
    let mut outcomes: Vec<Option<Outcome>> = vec![None; batch.len()];
    // The first of each submission id stands for the rest.
    let mut first: HashMap<Uuid, usize> = HashMap::new();
    let mut unique = Vec::new();
    for (index, submission) in batch.iter().enumerate() {
        if let std::collections::hash_map::Entry::Vacant(slot) = first.entry(submission.id) {
            slot.insert(index);
            unique.push(index);
        }
    }
    let encoded = unique
        .iter()
        .map(|&i| serde_json::to_string(&batch[i].answers).map_err(corrupt))
        .collect::<Result<Vec<_>, _>>()?;
    let surveys: BTreeSet<Uuid> = unique.iter().map(|&i| batch[i].survey).collect();
    // SQLite: take the write lock at BEGIN, or the read-then-write upgrade fails at once with
    // SQLITE_BUSY when another connection wrote meanwhile (the busy timeout does not apply).
    let begin = match db {
        Db::Sqlite(_) => "BEGIN IMMEDIATE",
        Db::Postgres(_) => "BEGIN",
    };
    let ids: Vec<Uuid> = unique.iter().map(|_| Uuid::now_v7()).collect();
    let parsed_waves: BTreeSet<Uuid> = unique.iter().filter_map(|&i| batch[i].wave).collect();
    let decided: Vec<Option<Outcome>> = on_db!(db, |pool| {
        async {
            let mut tx = pool.begin_with(begin).await?;
            let mut wave_numbers: HashMap<Uuid, i32> = HashMap::new();
            for wave in &parsed_waves {
                let row: Option<(i32,)> = sqlx::query_as("SELECT number FROM survey_waves WHERE id = $1")
                    .bind(wave)
                    .fetch_optional(&mut *tx)
                    .await?;
                wave_numbers.extend(row.map(|(n,)| (*wave, n)));
            }
            let mut open = BTreeSet::new();
            for survey in &surveys {
                let row: Option<(Uuid,)> =
                    sqlx::query_as("SELECT id FROM surveys WHERE id = $1 AND status = 'open'")
                        .bind(survey)
                        .fetch_optional(&mut *tx)
                        .await?;
                open.extend(row.map(|(id,)| id));
            }
            let mut decided: Vec<Option<Outcome>> = vec![None; unique.len()];
            let mut insert = Vec::new();
            for (slot, &i) in unique.iter().enumerate() {
                let submission = &batch[i];
                if !open.contains(&submission.survey) {
                    decided[slot] = Some(Outcome::Closed);
                    continue;
                }
                if let Some(hash) = &submission.invitation {
                    let used = sqlx::query(
                        "UPDATE survey_invitations SET used_on = $1 \
                         WHERE token_hash = $2 AND survey_id = $3 AND used_on IS NULL",
                    )
                    .bind(crate::results::db::day_of(submission.submitted_at))
                    .bind(hash)
                    .bind(submission.survey)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if used != 1 {
                        // Used before: by this very submission (a retry) or by another one.
                        let again: Option<(Uuid,)> =
                            sqlx::query_as("SELECT id FROM responses WHERE submission_id = $1")
                                .bind(submission.id)
                                .fetch_optional(&mut *tx)
                                .await?;
                        decided[slot] = Some(if again.is_some() {
                            Outcome::AlreadyStored
                        } else {
                            Outcome::InvitationUsed
                        });
                        continue;
                    }
                }
                insert.push(slot);
            }
            for chunk in insert.chunks(100) {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO responses (id, survey_id, wave_id, survey_version, stakeholder_group, \
                     channel, answers, submitted_at, submission_id, source, entered_by, duration_s) ",
                );
                query.push_values(chunk, |mut row, &slot| {
                    let s = &batch[unique[slot]];
                    row.push_bind(ids[slot])
                        .push_bind(s.survey)
                        .push_bind(s.wave)
                        .push_bind(i32::try_from(s.survey_version).unwrap_or(i32::MAX))
                        .push_bind(s.stakeholder_group.clone())
                        .push_bind(s.channel.code())
                        .push_bind(encoded[slot].clone())
                        .push_bind(s.submitted_at)
                        .push_bind(s.id)
                        .push_bind(s.source.clone())
                        .push_bind(s.entered_by)
                        .push_bind(s.duration);
                });
                query.push(" ON CONFLICT (submission_id) DO NOTHING RETURNING submission_id");
                let stored: Vec<(Uuid,)> = query.build_query_as().fetch_all(&mut *tx).await?;
                let stored: BTreeSet<Uuid> = stored.into_iter().map(|(id,)| id).collect();
                for &slot in chunk {
                    decided[slot] = Some(if stored.contains(&batch[unique[slot]].id) {
                        Outcome::Stored
                    } else {
                        Outcome::AlreadyStored
                    });
                }
            }
            let stored: Vec<usize> = insert
                .iter()
                .copied()
                .filter(|&slot| decided[slot] == Some(Outcome::Stored))
                .collect();
            // A stored response's draft is done with; one without a draft also began now.
            let mut drafted = BTreeSet::new();
            for chunk in stored.chunks(100) {
                let mut query = sqlx::QueryBuilder::new("DELETE FROM response_drafts WHERE id IN (");
                let mut list = query.separated(", ");
                for &slot in chunk {
                    list.push_bind(batch[unique[slot]].id);
                }
                query.push(") RETURNING id");
                let gone: Vec<(Uuid,)> = query.build_query_as().fetch_all(&mut *tx).await?;
                drafted.extend(gone.into_iter().map(|(id,)| id));
            }
            let counted: Vec<Counted> = stored
                .iter()
                .map(|&slot| {
                    let s = &batch[unique[slot]];
                    Counted {
                        survey: s.survey,
                        response: ids[slot],
                        wave: s.wave.and_then(|w| wave_numbers.get(&w).copied()).unwrap_or(0),
                        at: s.submitted_at,
                        group: &s.stakeholder_group,
                        channel: s.channel.code(),
                        answers: &s.answers,
                        duration: s.duration,
                        new_start: !drafted.contains(&s.id),
                    }
                })
                .collect();
            crate::results::db::record!(&mut tx, &counted);
            tx.commit().await?;
            Ok::<_, sqlx::Error>(decided)
        }
        .await
    })?;
    for (slot, &i) in unique.iter().enumerate() {
        outcomes[i] = decided[slot];
    }
    for (index, submission) in batch.iter().enumerate() {
        if outcomes[index].is_none() {
            // A repeat within the batch: it is the same response as the first.
            let of = first[&submission.id];
            outcomes[index] = match outcomes[of] {
                Some(Outcome::Stored) => Some(Outcome::AlreadyStored),
                other => other,
            };
        }
    }
    Ok(outcomes
        .into_iter()
        .map(|o| o.unwrap_or(Outcome::Closed))
        .collect())
}

/// Whether a response with this submission id is stored.
pub async fn submitted(db: &Db, submission: Uuid) -> Result<bool, StoreError> {
    let row: Option<(Uuid,)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT id FROM responses WHERE submission_id = $1")
            .bind(submission)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.is_some())
}

/// How many responses a survey has (every wave).
pub async fn count(db: &Db, survey: Uuid) -> Result<i64, StoreError> {
    let (n,): (i64,) = on_db!(db, |pool| {
        sqlx::query_as("SELECT COUNT(*) FROM responses WHERE survey_id = $1")
            .bind(survey)
            .fetch_one(pool)
            .await
    })?;
    Ok(n)
}

/// The published opportunity that announces a survey (where its outcomes are told).
pub async fn opportunity_of(db: &Db, survey: Uuid) -> Result<Option<Uuid>, StoreError> {
    let row: Option<(Uuid,)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT id FROM opportunities WHERE survey_id = $1 AND published = TRUE")
            .bind(survey)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|(id,)| id))
}
