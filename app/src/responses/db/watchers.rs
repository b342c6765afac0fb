//! Addresses to tell once when a periodic survey's next round opens: left between rounds, then
//! emailed and forgotten in one transaction, so each hears once however many servers run.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::on_db;
use crate::store::{Db, StoreError};

/// Keeps `email` to tell when the survey's next round opens; `false` when it was kept already.
pub async fn watch(
    db: &Db,
    survey: Uuid,
    email: &str,
    locale: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let added = on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO wave_watchers (survey_id, email, locale, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (survey_id, email) DO NOTHING",
        )
        .bind(survey)
        .bind(email)
        .bind(locale)
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(added == 1)
}

/// A round open now that someone asked to hear about: the survey and when the round closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub survey: Uuid,
    pub closes_at: DateTime<Utc>,
}

/// The open rounds of open surveys with addresses waiting to hear about them.
pub async fn open_rounds(db: &Db, now: DateTime<Utc>) -> Result<Vec<Round>, StoreError> {
    let rows: Vec<(Uuid, DateTime<Utc>)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT s.id, MAX(v.closes_at) FROM surveys s
             JOIN survey_waves v ON v.survey_id = s.id AND v.opens_at <= $1 AND v.closes_at > $1
             WHERE s.status = 'open'
               AND EXISTS (SELECT 1 FROM wave_watchers w WHERE w.survey_id = s.id)
             GROUP BY s.id",
        )
        .bind(now)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(survey, closes_at)| Round { survey, closes_at })
        .collect())
}

/// Tells everyone waiting on `survey` (queues `letter(locale)` = (subject, body) to each
/// through the outbox) and forgets their addresses, in one transaction; answers how many.
pub async fn announce(
    db: &Db,
    survey: Uuid,
    letter: impl Fn(&str) -> (String, String),
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let told = on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let waiting: Vec<(String, String)> = sqlx::query_as(
                "DELETE FROM wave_watchers WHERE survey_id = $1 RETURNING email, locale",
            )
            .bind(survey)
            .fetch_all(&mut *tx)
            .await?;
            for (email, locale) in &waiting {
                let (subject, body) = letter(locale);
                sqlx::query(
                    "INSERT INTO outbox (id, to_address, subject, body, created_at)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(Uuid::now_v7())
                .bind(email)
                .bind(&subject)
                .bind(&body)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(waiting.len())
        }
        .await
    })?;
    Ok(told)
}
