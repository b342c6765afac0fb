//! The raw responses, read a page at a time for the exports, the text listing and `verify`;
//! the stored counts, totals and codes `verify` compares them with; and rebuilding a survey's
//! counts from its raw answers.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::write::{Counted, counted, record};
use crate::on_db;
use crate::results::rules::{STARTED, Tally};
use crate::store::{Db, StoreError};
use crate::surveys::conditions::Answers;

/// A raw response, as exports, the text listing and `verify` read it.
pub struct RawResponse {
    pub id: Uuid,
    pub wave: i32,
    pub submitted_at: DateTime<Utc>,
    pub group: String,
    pub channel: String,
    pub source: Option<String>,
    pub duration: Option<i64>,
    pub answers: String,
}

const RAW_PAGE: &str = "SELECT r.id, COALESCE(w.number, 0), r.submitted_at, r.stakeholder_group, r.channel, r.source, \
     CAST(r.duration_s AS BIGINT), r.answers FROM responses r LEFT JOIN survey_waves w ON w.id = r.wave_id \
     WHERE r.survey_id = $1 AND r.id > $2 ORDER BY r.id LIMIT $3";
type RawRow = (
    Uuid,
    i32,
    DateTime<Utc>,
    String,
    String,
    Option<String>,
    Option<i64>,
    String,
);

fn raw_from(rows: Vec<RawRow>) -> Vec<RawResponse> {
    rows.into_iter()
        .map(
            |(id, wave, submitted_at, group, channel, source, duration, answers)| RawResponse {
                id,
                wave,
                submitted_at,
                group,
                channel,
                source,
                duration,
                answers,
            },
        )
        .collect()
}

/// A page of a survey's raw responses in storage order, after the response `after` (the nil
/// id for the first page): exports and `verify` walk them a page at a time, in constant memory.
/// (Measured: rows read as rows beat one aggregated string per page here, on both backends.)
pub async fn raw_page(
    db: &Db,
    survey: Uuid,
    after: Uuid,
    limit: i64,
) -> Result<Vec<RawResponse>, StoreError> {
    let rows: Vec<RawRow> = on_db!(db, |pool| {
        sqlx::query_as(RAW_PAGE)
            .bind(survey)
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?;
    Ok(raw_from(rows))
}

/// The stored counts of a survey, every dimension kept apart (what `verify` compares).
pub async fn stored_counts(db: &Db, survey: Uuid) -> Result<Tally, StoreError> {
    type Row = (
        i32,
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
        f64,
    );
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT wave, day, stakeholder_group, channel, question, item, value, CAST(n AS BIGINT), CAST(total AS DOUBLE PRECISION) \
             FROM result_counts WHERE survey_id = $1 AND NOT (question = '' AND item = $2)",
        )
        .bind(survey)
        .bind(STARTED)
        .fetch_all(pool)
        .await
    })?;
    let mut tally = Tally::default();
    for (wave, day, group, channel, question, item, value, n, total) in rows {
        tally.add(
            &format!("{wave}|{day}|{group}|{channel}|{question}"),
            &item,
            &value,
            n,
            total,
        );
    }
    Ok(tally)
}

/// The stored totals of a survey (what `verify` compares with the counts recomputed).
pub async fn stored_totals(db: &Db, survey: Uuid) -> Result<Tally, StoreError> {
    let rows: Vec<(i32, String, String, String, i64, f64)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT wave, question, item, value, CAST(n AS BIGINT), CAST(total AS DOUBLE PRECISION) \
             FROM result_totals WHERE survey_id = $1 AND NOT (question = '' AND item = $2)",
        )
        .bind(survey)
        .bind(STARTED)
        .fetch_all(pool)
        .await
    })?;
    let mut tally = Tally::default();
    for (wave, question, item, value, n, total) in rows {
        tally.add(&format!("{wave}|{question}"), &item, &value, n, total);
    }
    Ok(tally)
}

/// The coded rows of the given responses, by response id (what `verify` compares).
pub async fn stored_codes(
    db: &Db,
    survey: Uuid,
    first: Uuid,
    last: Uuid,
) -> Result<BTreeMap<Uuid, StoredRow>, StoreError> {
    let rows: Vec<(Uuid, String, String, bool)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT r.response_id, r.codes, r.choices, u.response_id IS NULL FROM result_rows r \
             LEFT JOIN result_unfolded u ON u.survey_id = r.survey_id AND u.response_id = r.response_id \
             WHERE r.survey_id = $1 AND r.response_id >= $2 AND r.response_id <= $3",
        )
            .bind(survey)
            .bind(first)
            .bind(last)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, codes, choices, folded)| {
            (
                id,
                StoredRow {
                    codes,
                    choices,
                    folded,
                },
            )
        })
        .collect())
}

/// A response's coded row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRow {
    pub codes: String,
    pub choices: String,
    /// Whether its answers are in the pair counts.
    pub folded: bool,
}

/// Replaces a survey's counts and coded rows with ones recomputed from the raw responses
/// (`sharek results verify --repair`), keeping the counts of starts. One transaction, read a
/// page at a time.
pub async fn rebuild(db: &Db, survey: Uuid) -> Result<u64, StoreError> {
    let begin = match db {
        Db::Sqlite(_) => "BEGIN IMMEDIATE",
        Db::Postgres(_) => "BEGIN",
    };
    let done = on_db!(db, |pool| {
        async {
            let mut tx = pool.begin_with(begin).await?;
            sqlx::query("DELETE FROM result_counts WHERE survey_id = $1 AND NOT (question = '' AND item = $2)")
                .bind(survey)
                .bind(STARTED)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM result_totals WHERE survey_id = $1 AND NOT (question = '' AND item = $2)")
                .bind(survey)
                .bind(STARTED)
                .execute(&mut *tx)
                .await?;
            // The responses come back on the waiting list, to be folded again.
            for table in ["result_rows", "result_pairs", "result_unfolded"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE survey_id = $1"))
                    .bind(survey)
                    .execute(&mut *tx)
                    .await?;
            }
            let mut after = Uuid::nil();
            let mut done = 0u64;
            loop {
                let rows: Vec<RawRow> = sqlx::query_as(RAW_PAGE)
                    .bind(survey)
                    .bind(after)
                    .bind(2000i64)
                    .fetch_all(&mut *tx)
                    .await?;
                let Some(last) = rows.last() else { break };
                after = last.0;
                let page = raw_from(rows);
                let parsed = page
                    .iter()
                    .map(|r| serde_json::from_str::<Answers>(&r.answers))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
                let counted: Vec<Counted> = page.iter().zip(&parsed).map(|(r, answers)| counted(survey, r, answers)).collect();
                record!(&mut tx, &counted);
                done += counted.len() as u64;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(done)
        }
        .await
    })?;
    Ok(done)
}
