//! Surveys SQL, on both backends: surveys and their versions, lifecycle changes (compare and
//! set, so two app servers never both apply one), periodic waves (idempotent by a unique
//! number), and the survey's row in the opportunities catalogue, kept in step.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::conditions::Answers;
use super::lifecycle::{Recurrence, Status, WaveDates, due_status, waves_due};
use super::model::Definition;
use super::{Survey, SurveySummary, Wave};
use crate::on_db;
use crate::store::{Db, StoreError};

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
);

const SURVEY_COLUMNS: &str = "id, status, opens_at, closes_at, recurrence, wave_days, definition, version, created_at, updated_at";

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

/// Saves a new version of the definition and keeps the catalogue entry's texts in step.
/// `expected_version` guards against two authors overwriting each other: on a mismatch
/// nothing is saved and `StoreError::Conflict` is returned.
pub async fn save_definition(
    db: &Db,
    id: Uuid,
    definition: &Definition,
    expected_version: u32,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<u32, StoreError> {
    let json = encode(definition)?;
    let next = i32::try_from(expected_version)
        .unwrap_or(i32::MAX)
        .saturating_add(1);
    on_db!(db, |pool| async {
        let mut tx = pool.begin().await?;
        let done = sqlx::query("UPDATE surveys SET definition = $1, version = $2, updated_at = $3 WHERE id = $4 AND version = $5")
            .bind(&json)
            .bind(next)
            .bind(now)
            .bind(id)
            .bind(next - 1)
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

pub async fn waves(db: &Db, survey: Uuid) -> Result<Vec<Wave>, StoreError> {
    let rows: Vec<(Uuid, i32, DateTime<Utc>, DateTime<Utc>)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT id, number, opens_at, closes_at FROM survey_waves WHERE survey_id = $1 ORDER BY number")
            .bind(survey)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, number, opens_at, closes_at)| Wave {
            id,
            number: number.unsigned_abs(),
            opens_at,
            closes_at,
        })
        .collect())
}

/// Creates a wave unless it exists; `true` when this call created it.
pub async fn create_wave(
    db: &Db,
    survey: Uuid,
    wave: &WaveDates,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let number = i32::try_from(wave.number).unwrap_or(i32::MAX);
    let created = on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO survey_waves (id, survey_id, number, opens_at, closes_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (survey_id, number) DO NOTHING",
        )
        .bind(Uuid::now_v7())
        .bind(survey)
        .bind(number)
        .bind(wave.opens_at)
        .bind(wave.closes_at)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(created == 1)
}

/// What one run of the scheduler did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tick {
    pub opened: u32,
    pub closed: u32,
    pub waves_created: u32,
}

/// The scheduler's work, safe to run from several app servers at once: opens and closes
/// published surveys by their dates, and creates the waves of periodic surveys as they fall due.
pub async fn tick(db: &Db, now: DateTime<Utc>) -> Result<Tick, StoreError> {
    let rows: Vec<SurveyRow> = on_db!(db, |pool| {
        sqlx::query_as(&format!(
            "SELECT {SURVEY_COLUMNS} FROM surveys WHERE status IN ('scheduled', 'open')"
        ))
        .fetch_all(pool)
        .await
    })?;
    let mut done = Tick::default();
    for row in rows {
        let survey = survey_from(row, false)?;
        if let (Some(recurrence), Some(first)) = (survey.recurrence, survey.opens_at) {
            let days = survey.wave_days.unwrap_or(30);
            let until = survey.closes_at.map_or(now, |closes| closes.min(now));
            for wave in waves_due(recurrence, first, days, until) {
                if create_wave(db, survey.id, &wave, now).await? {
                    done.waves_created += 1;
                }
            }
        }
        let due = due_status(survey.status, survey.opens_at, survey.closes_at, now);
        if due != survey.status && set_status(db, survey.id, survey.status, due, now).await? {
            match due {
                Status::Open => done.opened += 1,
                Status::Closed => done.closed += 1,
                _ => {}
            }
        }
    }
    Ok(done)
}

/// One response to store.
pub struct NewResponse<'a> {
    pub survey: Uuid,
    pub wave: Option<Uuid>,
    pub survey_version: u32,
    pub stakeholder_group: &'a str,
    pub channel: &'a str,
    pub answers: &'a Answers,
    pub submitted_at: DateTime<Utc>,
    /// Seconds the participant took, when known.
    pub duration: Option<i64>,
}

/// Stores responses in one transaction (all or none), counted for the results like any other
/// (the demo's past waves; responses always go through `responses::db::store` otherwise).
pub async fn insert_responses(db: &Db, responses: &[NewResponse<'_>]) -> Result<(), StoreError> {
    let encoded = responses
        .iter()
        .map(|r| serde_json::to_string(r.answers).map_err(|e| StoreError::Corrupt(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    let ids: Vec<Uuid> = responses.iter().map(|_| Uuid::now_v7()).collect();
    on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let mut numbers: BTreeMap<Uuid, i32> = BTreeMap::new();
            for (response, (answers, id)) in responses.iter().zip(encoded.iter().zip(&ids)) {
                if let Some(wave) = response.wave.filter(|w| !numbers.contains_key(w)) {
                    let (number,): (i32,) = sqlx::query_as("SELECT number FROM survey_waves WHERE id = $1")
                        .bind(wave)
                        .fetch_one(&mut *tx)
                        .await?;
                    numbers.insert(wave, number);
                }
                sqlx::query(
                    "INSERT INTO responses (id, survey_id, wave_id, survey_version, stakeholder_group, channel, answers, submitted_at, duration_s) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(id)
                .bind(response.survey)
                .bind(response.wave)
                .bind(i32::try_from(response.survey_version).unwrap_or(i32::MAX))
                .bind(response.stakeholder_group)
                .bind(response.channel)
                .bind(answers)
                .bind(response.submitted_at)
                .bind(response.duration)
                .execute(&mut *tx)
                .await?;
            }
            let counted: Vec<crate::results::db::Counted> = responses
                .iter()
                .zip(&ids)
                .map(|(r, id)| crate::results::db::Counted {
                    survey: r.survey,
                    response: *id,
                    wave: r.wave.and_then(|w| numbers.get(&w).copied()).unwrap_or(0),
                    at: r.submitted_at,
                    group: r.stakeholder_group,
                    channel: r.channel,
                    answers: r.answers,
                    duration: r.duration,
                    new_start: true,
                })
                .collect();
            crate::results::db::record!(&mut tx, &counted);
            tx.commit().await
        }
        .await
    })?;
    Ok(())
}
