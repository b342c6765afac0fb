//! Storage of report schedules and their archive. Keeping a report, queuing its messages and
//! its attachment is one transaction, claimed by the archive's unique (schedule, first day).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{Archived, Schedule, next_period};
use crate::Locale;
use crate::on_db;
use crate::reports::{Period, Preset};
use crate::store::{Db, StoreError};

/// A schedule as the scheduler reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Active {
    pub id: Uuid,
    pub cadence: Preset,
    pub locale: Locale,
    pub recipients: Vec<String>,
    pub created_at: DateTime<Utc>,
}

type ScheduleRow = (Uuid, String, String, String, DateTime<Utc>);

fn active_from(
    (id, cadence, lang, recipients, created_at): ScheduleRow,
) -> Result<Active, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("report schedule {id}"));
    Ok(Active {
        id,
        cadence: Preset::from_code(&cadence).ok_or_else(corrupt)?,
        locale: Locale::from_code(&lang).ok_or_else(corrupt)?,
        recipients: recipients.lines().map(str::to_owned).collect(),
        created_at,
    })
}

/// The schedules not stopped, oldest first.
pub async fn active(db: &Db) -> Result<Vec<Active>, StoreError> {
    let rows: Vec<ScheduleRow> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, cadence, lang, recipients, created_at FROM report_schedules \
             WHERE stopped_at IS NULL ORDER BY created_at, id",
        )
        .fetch_all(pool)
        .await
    })?;
    rows.into_iter().map(active_from).collect()
}

/// The schedules not stopped, as the page lists them, with the next period each reports.
pub async fn schedules(db: &Db, now: DateTime<Utc>) -> Result<Vec<Schedule>, StoreError> {
    Ok(active(db)
        .await?
        .into_iter()
        .map(|a| Schedule {
            id: a.id,
            cadence: a.cadence.code().to_owned(),
            lang: a.locale.code().to_owned(),
            recipients: a.recipients,
            created_at: a.created_at,
            next: next_period(a.cadence, now.max(a.created_at)),
        })
        .collect())
}

pub async fn add(
    db: &Db,
    cadence: Preset,
    locale: Locale,
    recipients: &[String],
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO report_schedules (id, cadence, lang, recipients, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(cadence.code())
        .bind(locale.code())
        .bind(recipients.join("\n"))
        .bind(by)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(id)
}

/// Stops a running schedule; answers whether there was one.
pub async fn stop(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let done = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE report_schedules SET stopped_at = $1 WHERE id = $2 AND stopped_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

/// The first days of the periods a schedule has reported.
pub async fn reported(db: &Db, schedule: Uuid) -> Result<Vec<NaiveDate>, StoreError> {
    let rows: Vec<(NaiveDate,)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT period_from FROM report_archive WHERE schedule_id = $1")
            .bind(schedule)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.into_iter().map(|(day,)| day).collect())
}

/// The newest `limit` archived reports.
pub async fn archive(db: &Db, limit: i64) -> Result<Vec<Archived>, StoreError> {
    type Row = (
        Uuid,
        NaiveDate,
        NaiveDate,
        String,
        String,
        bool,
        DateTime<Utc>,
    );
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT a.id, a.period_from, a.period_to, a.lang, s.cadence, a.pdf IS NOT NULL, \
                    a.created_at \
             FROM report_archive a JOIN report_schedules s ON s.id = a.schedule_id \
             ORDER BY a.created_at DESC, a.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(id, from, to, lang, cadence, has_pdf, created_at)| Archived {
                id,
                period: Period { from, to },
                lang,
                cadence,
                has_pdf,
                created_at,
            },
        )
        .collect())
}

/// An archived report's period, language and file: the PDF (`None` when it could not be
/// printed) or the HTML document.
pub async fn file(
    db: &Db,
    id: Uuid,
    pdf: bool,
) -> Result<Option<(Period, String, Option<Vec<u8>>)>, StoreError> {
    type Row = (NaiveDate, NaiveDate, String, String, Option<Vec<u8>>);
    let row: Option<Row> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT period_from, period_to, lang, html, pdf FROM report_archive WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(|(from, to, lang, html, printed)| {
        let bytes = if pdf {
            printed
        } else {
            Some(html.into_bytes())
        };
        (Period { from, to }, lang, bytes)
    }))
}

/// A report the scheduler made, ready to keep and send.
#[derive(Debug, Clone)]
pub struct Made {
    pub schedule: Uuid,
    pub period: Period,
    pub locale: Locale,
    pub html: String,
    pub pdf: Option<Vec<u8>>,
    /// The email to each recipient, and the file it carries.
    pub recipients: Vec<String>,
    pub subject: String,
    pub body: String,
    pub file_name: String,
    pub content_type: String,
}

/// Keeps a report and queues its email with the file to each recipient, in one transaction;
/// answers false (keeping nothing) when this schedule's period was already kept.
pub async fn keep(db: &Db, made: &Made, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let id = Uuid::now_v7();
    let attachment = Uuid::now_v7();
    let content: &[u8] = made.pdf.as_deref().unwrap_or(made.html.as_bytes());
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let claimed = sqlx::query(
            "INSERT INTO report_archive \
                 (id, schedule_id, period_from, period_to, lang, html, pdf, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (schedule_id, period_from) DO NOTHING",
        )
        .bind(id)
        .bind(made.schedule)
        .bind(made.period.from)
        .bind(made.period.to)
        .bind(made.locale.code())
        .bind(&made.html)
        .bind(made.pdf.as_deref())
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !claimed {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO mail_attachments (id, file_name, content_type, content, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(attachment)
        .bind(&made.file_name)
        .bind(&made.content_type)
        .bind(content)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for to in &made.recipients {
            sqlx::query(
                "INSERT INTO outbox (id, to_address, subject, body, attachment_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(Uuid::now_v7())
            .bind(to)
            .bind(&made.subject)
            .bind(&made.body)
            .bind(attachment)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok::<bool, sqlx::Error>(true)
    })
    .map_err(StoreError::from)
}
