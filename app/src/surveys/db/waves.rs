//! Periodic waves (created idempotently, by a unique number) and the scheduler's round, which
//! opens and closes surveys by their dates and creates waves as they fall due.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{SURVEY_COLUMNS, SurveyRow, set_status, survey_from};
use crate::on_db;
use crate::store::{Db, StoreError};
use crate::surveys::Wave;
use crate::surveys::lifecycle::{Status, WaveDates, due_status, waves_due};

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
