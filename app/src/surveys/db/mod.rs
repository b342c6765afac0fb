//! Surveys SQL, on both backends: surveys and their versions, lifecycle changes (compare and
//! set, so two app servers never both apply one), periodic waves (idempotent by a unique
//! number), and the survey's row in the opportunities catalogue, kept in step.
//!
//! Waves and the scheduler's round are in `waves`; storing responses directly (the demo's past
//! waves) in `responses`.

mod responses;
mod waves;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::lifecycle::{Recurrence, Status};
use super::model::Definition;
use super::{Survey, SurveySummary};
use crate::on_db;
use crate::store::{Db, StoreError};

pub use responses::{NewResponse, insert_responses};
pub use waves::{Tick, create_wave, tick, waves};

type SurveyRow = (
    Uuid,
    String,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<i32>,
    String,
    i32,
    DateTime<Utc>,
    DateTime<Utc>,
    Option<String>,
    i32,
);

const SURVEY_COLUMNS: &str = "id, status, opens_at, closes_at, recurrence, wave_days, definition, version, created_at, updated_at, draft, draft_revision";

fn parse_definition(json: &str) -> Result<Definition, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("survey definition: {e}")))
}

fn encode(definition: &Definition) -> Result<String, StoreError> {
    serde_json::to_string(definition).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn survey_from(row: SurveyRow, has_responses: bool) -> Result<Survey, StoreError> {
    let (
        id,
        status,
        opens_at,
        closes_at,
        recurrence,
        wave_days,
        definition,
        version,
        created_at,
        updated_at,
        draft,
        draft_revision,
    ) = row;
    Ok(Survey {
        id,
        status: Status::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
        opens_at,
        closes_at,
        recurrence: recurrence.as_deref().and_then(Recurrence::from_code),
        wave_days: wave_days.and_then(|d| u32::try_from(d).ok()),
        definition: parse_definition(&definition)?,
        version: u32::try_from(version).unwrap_or_default(),
        draft: draft.as_deref().map(parse_definition).transpose()?,
        draft_revision: u32::try_from(draft_revision).unwrap_or_default(),
        has_responses,
        created_at,
        updated_at,
    })
}

/// Creates a draft survey (version 1) and its draft entry in the opportunities catalogue.
pub async fn create(
    db: &Db,
    definition: &Definition,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let json = encode(definition)?;
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO surveys (id, status, definition, version, created_by, created_at, updated_at) \
             VALUES ($1, 'draft', $2, 1, $3, $4, $4)",
        )
        .bind(id)
        .bind(&json)
        .bind(by)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO survey_versions (survey_id, version, definition, saved_at, saved_by) VALUES ($1, 1, $2, $3, $4)")
            .bind(id)
            .bind(&json)
            .bind(now)
            .bind(by)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO opportunities (id, kind, survey_id, title_ar, title_en, summary_ar, summary_en, topic, created_at, updated_at) \
             VALUES ($1, 'survey', $2, $3, $4, $5, $6, 'other', $7, $7)",
        )
        .bind(Uuid::now_v7())
        .bind(id)
        .bind(&definition.title.ar)
        .bind(&definition.title.en)
        .bind(&definition.description.ar)
        .bind(&definition.description.en)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    })?;
    Ok(id)
}

pub async fn get(db: &Db, id: Uuid) -> Result<Option<Survey>, StoreError> {
    let row: Option<SurveyRow> = on_db!(db, |pool| {
        sqlx::query_as(&format!(
            "SELECT {SURVEY_COLUMNS} FROM surveys WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    match row {
        Some(row) => {
            let answered = has_responses(db, id).await?;
            survey_from(row, answered).map(Some)
        }
        None => Ok(None),
    }
}

/// Every survey, most recently changed first.
pub async fn list(db: &Db) -> Result<Vec<SurveySummary>, StoreError> {
    let rows: Vec<SurveyRow> = on_db!(db, |pool| {
        sqlx::query_as(&format!(
            "SELECT {SURVEY_COLUMNS} FROM surveys ORDER BY updated_at DESC, id DESC"
        ))
        .fetch_all(pool)
        .await
    })?;
    // From the running totals: a few rows a survey, whatever the number of responses.
    let counts: Vec<(Uuid, Option<i64>)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT survey_id, CAST(SUM(n) AS BIGINT) FROM result_totals
             WHERE question = '' AND item = '' AND value = '' GROUP BY survey_id",
        )
        .fetch_all(pool)
        .await
    })?;
    let counts: BTreeMap<Uuid, i64> = counts
        .into_iter()
        .map(|(id, n)| (id, n.unwrap_or(0)))
        .collect();
    rows.into_iter()
        .map(|row| {
            let survey = survey_from(row, false)?;
            Ok(SurveySummary {
                id: survey.id,
                title_ar: survey.definition.title.ar.clone(),
                title_en: survey.definition.title.en.clone(),
                status: survey.status,
                opens_at: survey.opens_at,
                closes_at: survey.closes_at,
                recurrence: survey.recurrence,
                updated_at: survey.updated_at,
                questions: u32::try_from(survey.definition.questions().count()).unwrap_or(u32::MAX),
                responses: counts.get(&survey.id).copied().unwrap_or(0),
            })
        })
        .collect()
}

pub async fn has_responses(db: &Db, id: Uuid) -> Result<bool, StoreError> {
    let (count,): (i64,) = on_db!(db, |pool| {
        sqlx::query_as("SELECT COUNT(*) FROM (SELECT 1 FROM responses WHERE survey_id = $1 LIMIT 1) AS any_response")
            .bind(id)
            .fetch_one(pool)
            .await
    })?;
    Ok(count > 0)
}

/// The question keys that have answers, and for each the keys its answers use (choices,
/// matrix rows and scale points, ranked choices; numbers and months too, which match no
/// choice). Read from the running counts, so it costs the same at a million responses.
pub async fn answered(db: &Db, id: Uuid) -> Result<BTreeMap<String, BTreeSet<String>>, StoreError> {
    let rows: Vec<(String, String, String)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT DISTINCT question, item, value FROM result_counts WHERE survey_id = $1 AND question <> ''",
        )
        .bind(id)
        .fetch_all(pool)
        .await
    })?;
    let mut used: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (question, item, value) in rows {
        let keys = used.entry(question).or_default();
        keys.extend([item, value].into_iter().filter(|k| !k.is_empty()));
    }
    Ok(used)
}

/// Saves a new version of the definition, drops any staged draft (it was made from the
/// version this one replaces, or is this one) and keeps the catalogue entry's texts in step.
/// `expected_version` (and, publishing a draft, `expected_draft`: its revision) guards against
/// two authors overwriting each other: on a mismatch nothing is saved and
/// `StoreError::Conflict` is returned.
pub async fn save_definition(
    db: &Db,
    id: Uuid,
    definition: &Definition,
    expected_version: u32,
    expected_draft: Option<u32>,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<u32, StoreError> {
    let json = encode(definition)?;
    let next = i32::try_from(expected_version)
        .unwrap_or(i32::MAX)
        .saturating_add(1);
    // -1 matches no revision: with no draft expected, any is replaced.
    let (guard, draft) = match expected_draft {
        Some(revision) => (
            "AND draft IS NOT NULL AND draft_revision = $6",
            i32::try_from(revision).unwrap_or(-1),
        ),
        None => ("AND $6 = $6", -1),
    };
    let update = format!(
        "UPDATE surveys SET definition = $1, version = $2, updated_at = $3, draft = NULL
         WHERE id = $4 AND version = $5 {guard}"
    );
    on_db!(db, |pool| async {
        let mut tx = pool.begin().await?;
        let done = sqlx::query(&update)
            .bind(&json)
            .bind(next)
            .bind(now)
            .bind(id)
            .bind(next - 1)
            .bind(draft)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if done != 1 {
            return Ok::<bool, sqlx::Error>(false);
        }
        sqlx::query("INSERT INTO survey_versions (survey_id, version, definition, saved_at, saved_by) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(next)
            .bind(&json)
            .bind(now)
            .bind(by)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE opportunities SET title_ar = $1, title_en = $2, summary_ar = $3, summary_en = $4, updated_at = $5 WHERE survey_id = $6",
        )
        .bind(&definition.title.ar)
        .bind(&definition.title.en)
        .bind(&definition.description.ar)
        .bind(&definition.description.en)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }
    .await)
    .map_err(StoreError::from)
    .and_then(|saved| if saved { Ok(next.unsigned_abs()) } else { Err(StoreError::Conflict) })
}

/// Stages a change to a survey participants can see: saves `definition` as the draft of its
/// next version, if the survey is still at `version` and its draft at `draft_revision`
/// (`StoreError::Conflict` otherwise). Answers the draft's new revision.
pub async fn save_draft(
    db: &Db,
    id: Uuid,
    definition: &Definition,
    version: u32,
    draft_revision: u32,
    now: DateTime<Utc>,
) -> Result<u32, StoreError> {
    let json = encode(definition)?;
    let (version, revision) = (
        i32::try_from(version).unwrap_or(-1),
        i32::try_from(draft_revision).unwrap_or(-1),
    );
    let done = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE surveys SET draft = $1, draft_revision = draft_revision + 1, updated_at = $2
             WHERE id = $3 AND version = $4 AND draft_revision = $5",
        )
        .bind(&json)
        .bind(now)
        .bind(id)
        .bind(version)
        .bind(revision)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    if done == 1 {
        Ok(draft_revision + 1)
    } else {
        Err(StoreError::Conflict)
    }
}

/// Drops a survey's staged draft, if it is still at `draft_revision`; false when it was not.
pub async fn discard_draft(
    db: &Db,
    id: Uuid,
    draft_revision: u32,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let revision = i32::try_from(draft_revision).unwrap_or(-1);
    let done = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE surveys SET draft = NULL, draft_revision = draft_revision + 1, updated_at = $1
             WHERE id = $2 AND draft IS NOT NULL AND draft_revision = $3",
        )
        .bind(now)
        .bind(id)
        .bind(revision)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

/// A survey's schedule and catalogue settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub recurrence: Option<Recurrence>,
    pub wave_days: Option<u32>,
    pub topic: String,
    pub groups: Vec<String>,
}

pub async fn save_settings(
    db: &Db,
    id: Uuid,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let wave_days = settings.wave_days.and_then(|d| i32::try_from(d).ok());
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query("UPDATE surveys SET opens_at = $1, closes_at = $2, recurrence = $3, wave_days = $4, updated_at = $5 WHERE id = $6")
            .bind(settings.opens_at)
            .bind(settings.closes_at)
            .bind(settings.recurrence.map(Recurrence::code))
            .bind(wave_days)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE opportunities SET starts_at = $1, ends_at = $2, topic = $3, groups = $4, updated_at = $5 WHERE survey_id = $6")
            .bind(settings.opens_at)
            .bind(settings.closes_at)
            .bind(&settings.topic)
            .bind(settings.groups.join(","))
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })?;
    Ok(())
}

/// The catalogue settings of a survey: (topic, groups).
pub async fn catalogue_settings(db: &Db, id: Uuid) -> Result<(String, Vec<String>), StoreError> {
    let row: Option<(String, String)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT topic, groups FROM opportunities WHERE survey_id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    let (topic, groups) = row.unwrap_or_else(|| ("other".to_owned(), String::new()));
    Ok((
        topic,
        groups
            .split(',')
            .filter(|g| !g.is_empty())
            .map(str::to_owned)
            .collect(),
    ))
}

/// Moves a survey from `from` to `to` unless someone else moved it first (then `false`), and
/// publishes or withdraws its catalogue entry to match. Closing early ends the catalogue
/// entry's dates now.
pub async fn set_status(
    db: &Db,
    id: Uuid,
    from: Status,
    to: Status,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let moved = on_db!(db, |pool| {
        async {
        let mut tx = pool.begin().await?;
        let done = sqlx::query("UPDATE surveys SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.code())
            .bind(now)
            .bind(id)
            .bind(from.code())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if done != 1 {
            return Ok::<bool, sqlx::Error>(false);
        }
        sqlx::query("UPDATE opportunities SET published = $1, updated_at = $2 WHERE survey_id = $3")
            .bind(to.is_public())
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if to == Status::Closed {
            sqlx::query("UPDATE opportunities SET ends_at = $1 WHERE survey_id = $2 AND (ends_at IS NULL OR ends_at > $1)")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if to == Status::Open {
            sqlx::query("UPDATE opportunities SET starts_at = $1 WHERE survey_id = $2 AND starts_at IS NULL")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
    .await
    })?;
    Ok(moved)
}
