//! Drafts: an unfinished response kept after each page, counted as begun when it is first
//! saved, and pruned when untouched or when its survey no longer takes answers.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::corrupt;
use crate::on_db;
use crate::responses::{Channel, Draft};
use crate::store::{Db, StoreError};
use crate::surveys::conditions::Answers;

type DraftRow = (
    Uuid,
    Uuid,
    String,
    i32,
    String,
    Option<String>,
    Option<String>,
    DateTime<Utc>,
);

pub async fn draft(db: &Db, id: Uuid) -> Result<Option<Draft>, StoreError> {
    let row: Option<DraftRow> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, survey_id, answers, reached, channel, source, invitation, created_at FROM response_drafts WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    row.map(
        |(id, survey, answers, reached, channel, source, invitation, started_at)| {
            Ok(Draft {
                id,
                survey,
                answers: serde_json::from_str::<Answers>(&answers).map_err(corrupt)?,
                reached: usize::try_from(reached).unwrap_or_default(),
                channel: Channel::from_code(&channel).ok_or_else(|| corrupt(&channel))?,
                source,
                invitation,
                started_at,
            })
        },
    )
    .transpose()
}

/// Saves a draft (creating or replacing it). A new draft is a response begun: it is counted
/// for the completion rate, in the survey's current wave.
pub async fn save_draft(db: &Db, draft: &Draft, now: DateTime<Utc>) -> Result<(), StoreError> {
    let answers = serde_json::to_string(&draft.answers).map_err(corrupt)?;
    let reached = i32::try_from(draft.reached).unwrap_or(i32::MAX);
    let created = on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO response_drafts (id, survey_id, answers, reached, channel, source, invitation, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
        )
        .bind(draft.id)
        .bind(draft.survey)
        .bind(&answers)
        .bind(reached)
        .bind(draft.channel.code())
        .bind(&draft.source)
        .bind(&draft.invitation)
        .bind(draft.started_at.min(now))
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    if created == 1 {
        let wave: Option<(i32,)> = on_db!(db, |pool| {
            sqlx::query_as(
                "SELECT number FROM survey_waves WHERE survey_id = $1 AND opens_at <= $2 AND closes_at > $2 \
                 ORDER BY number DESC LIMIT 1",
            )
            .bind(draft.survey)
            .bind(now)
            .fetch_optional(pool)
            .await
        })?;
        let group = match draft
            .answers
            .get(crate::surveys::conditions::STAKEHOLDER_QUESTION)
        {
            Some(crate::surveys::conditions::Answer::Choice { key, .. }) => key.as_str(),
            _ => "",
        };
        let wave = wave.map_or(0, |(n,)| n);
        crate::results::db::count_start(db, draft.survey, wave, now, group, draft.channel.code())
            .await?;
        return Ok(());
    }
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE response_drafts SET answers = $1, reached = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(&answers)
        .bind(reached)
        .bind(now)
        .bind(draft.id)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Deletes drafts untouched since `before`, and those of surveys no longer open.
pub async fn prune_drafts(db: &Db, before: DateTime<Utc>) -> Result<u64, StoreError> {
    let gone = on_db!(db, |pool| {
        sqlx::query(
            "DELETE FROM response_drafts WHERE updated_at < $1 \
             OR survey_id IN (SELECT id FROM surveys WHERE status <> 'open')",
        )
        .bind(before)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(gone)
}
