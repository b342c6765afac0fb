//! Responses stored directly, in one transaction and counted for the results like any other:
//! the demo's past waves (participants' responses go through `responses::db::store`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::on_db;
use crate::store::{Db, StoreError};
use crate::surveys::conditions::Answers;

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
