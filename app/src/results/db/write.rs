//! Keeping the counts as responses are stored: a batch of responses added up into counts,
//! totals and coded rows ([`prepare`]), written on the caller's transaction by [`record!`] (in
//! key order, so concurrent writers cannot deadlock), and a response begun counted alone.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::raw::RawResponse;
use super::{CHANNEL, GROUP, day_of};
use crate::on_db;
use crate::results::rules::{Cell, RESPONSE, STARTED, cells, choices, encode};
use crate::store::{Db, StoreError};
use crate::surveys::conditions::Answers;

/// A response as the counts see it.
pub struct Counted<'a> {
    pub survey: Uuid,
    pub response: Uuid,
    /// The wave's number, 0 when the survey is not periodic.
    pub wave: i32,
    pub at: DateTime<Utc>,
    pub group: &'a str,
    pub channel: &'a str,
    pub answers: &'a Answers,
    pub duration: Option<i64>,
    /// Also count a response begun (it had no saved draft, which was counted when saved).
    pub new_start: bool,
}

pub type Key = (Uuid, i32, String, String, String, String, String, String);
pub type TotalKey = (Uuid, i32, String, String, String);

/// What [`record!`] writes: the batch's counts added up by key (in key order) and each
/// response's coded row.
pub struct Prepared {
    pub counts: Vec<(Key, (i64, f64))>,
    /// The same, added up over days, groups and channels.
    pub totals: Vec<(TotalKey, (i64, f64))>,
    pub rows: Vec<RowValues>,
}

/// A coded row to write: survey, wave, day, response, group, channel, codes, choices.
pub type RowValues = (Uuid, i32, String, Uuid, String, String, String, String);

/// Adds up a batch of responses into counts and coded rows, ready to write.
pub fn prepare(batch: &[Counted<'_>]) -> Prepared {
    let mut counts: BTreeMap<Key, (i64, f64)> = BTreeMap::new();
    let mut rows = Vec::with_capacity(batch.len());
    for r in batch {
        let day = day_of(r.at);
        let mut add = |cell: &Cell| {
            let count = counts
                .entry((
                    r.survey,
                    r.wave,
                    cell.question.clone(),
                    cell.item.clone(),
                    cell.value.clone(),
                    day.clone(),
                    r.group.to_owned(),
                    r.channel.to_owned(),
                ))
                .or_default();
            count.0 += 1;
            count.1 += cell.total;
        };
        let cells = cells(r.answers, r.duration);
        add(&Cell {
            question: RESPONSE.into(),
            item: String::new(),
            value: String::new(),
            total: 0.0,
        });
        cells.iter().for_each(&mut add);
        if r.new_start {
            add(&Cell {
                question: RESPONSE.into(),
                item: STARTED.into(),
                value: String::new(),
                total: 0.0,
            });
        }
        rows.push((
            r.survey,
            r.wave,
            day,
            r.response,
            r.group.to_owned(),
            r.channel.to_owned(),
            encode(&cells),
            choices(r.answers),
        ));
    }
    let mut totals: BTreeMap<TotalKey, (i64, f64)> = BTreeMap::new();
    for ((survey, wave, question, item, value, _, group, channel), (n, total)) in &counts {
        let sum = totals
            .entry((
                *survey,
                *wave,
                question.clone(),
                item.clone(),
                value.clone(),
            ))
            .or_default();
        sum.0 += n;
        sum.1 += total;
        // The totals also keep responses by group and by channel (the unfiltered breakdowns).
        if question == RESPONSE && item.is_empty() {
            for (by, code) in [(GROUP, group), (CHANNEL, channel)] {
                totals
                    .entry((*survey, *wave, RESPONSE.into(), by.into(), code.clone()))
                    .or_default()
                    .0 += n;
            }
        }
    }
    Prepared {
        counts: counts.into_iter().collect(),
        totals: totals.into_iter().collect(),
        rows,
    }
}

/// Adds responses to the counts and their codes to the coded rows, on the caller's
/// transaction (`record!(&mut tx, &batch)` inside an `on_db!` arm): a macro, because the
/// statement is built once per backend.
macro_rules! record {
    ($tx:expr, $batch:expr) => {{
        let prepared = $crate::results::db::prepare($batch);
        let tx = $tx;
        for chunk in prepared.counts.chunks(500) {
            let mut query = sqlx::QueryBuilder::new(
                "INSERT INTO result_counts (survey_id, wave, question, item, value, day, stakeholder_group, channel, n, total) ",
            );
            query.push_values(chunk, |mut row, (key, (n, total))| {
                row.push_bind(key.0)
                    .push_bind(key.1)
                    .push_bind(&key.2)
                    .push_bind(&key.3)
                    .push_bind(&key.4)
                    .push_bind(&key.5)
                    .push_bind(&key.6)
                    .push_bind(&key.7)
                    .push_bind(*n)
                    .push_bind(*total);
            });
            query.push(
                " ON CONFLICT (survey_id, wave, question, item, value, day, stakeholder_group, channel) \
                 DO UPDATE SET n = result_counts.n + excluded.n, total = result_counts.total + excluded.total",
            );
            query.build().execute(&mut **tx).await?;
        }
        for chunk in prepared.totals.chunks(500) {
            let mut query = sqlx::QueryBuilder::new(
                "INSERT INTO result_totals (survey_id, wave, question, item, value, n, total) ",
            );
            query.push_values(chunk, |mut row, (key, (n, total))| {
                row.push_bind(key.0)
                    .push_bind(key.1)
                    .push_bind(&key.2)
                    .push_bind(&key.3)
                    .push_bind(&key.4)
                    .push_bind(*n)
                    .push_bind(*total);
            });
            query.push(
                " ON CONFLICT (survey_id, wave, question, item, value) \
                 DO UPDATE SET n = result_totals.n + excluded.n, total = result_totals.total + excluded.total",
            );
            query.build().execute(&mut **tx).await?;
        }
        for chunk in prepared.rows.chunks(500) {
            let mut query = sqlx::QueryBuilder::new(
                "INSERT INTO result_rows (survey_id, wave, day, response_id, stakeholder_group, channel, codes, choices) ",
            );
            query.push_values(chunk, |mut row, r| {
                row.push_bind(r.0)
                    .push_bind(r.1)
                    .push_bind(&r.2)
                    .push_bind(r.3)
                    .push_bind(&r.4)
                    .push_bind(&r.5)
                    .push_bind(&r.6)
                    .push_bind(&r.7);
            });
            query.build().execute(&mut **tx).await?;
            // Each response waits here until it is folded into the crosstab pair counts.
            let mut query = sqlx::QueryBuilder::new(
                "INSERT INTO result_unfolded (survey_id, response_id, wave, choices) ",
            );
            query.push_values(chunk, |mut row, r| {
                row.push_bind(r.0).push_bind(r.3).push_bind(r.1).push_bind(&r.7);
            });
            query.build().execute(&mut **tx).await?;
        }
    }};
}
pub(crate) use record;

/// Counts a response begun: a first page saved as a draft.
pub async fn count_start(
    db: &Db,
    survey: Uuid,
    wave: i32,
    at: DateTime<Utc>,
    group: &str,
    channel: &str,
) -> Result<(), StoreError> {
    let day = day_of(at);
    on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO result_counts (survey_id, wave, question, item, value, day, stakeholder_group, channel, n, total) \
                 VALUES ($1, $2, '', $3, '', $4, $5, $6, 1, 0) \
                 ON CONFLICT (survey_id, wave, question, item, value, day, stakeholder_group, channel) \
                 DO UPDATE SET n = result_counts.n + 1",
            )
            .bind(survey)
            .bind(wave)
            .bind(STARTED)
            .bind(&day)
            .bind(group)
            .bind(channel)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO result_totals (survey_id, wave, question, item, value, n, total) \
                 VALUES ($1, $2, '', $3, '', 1, 0) \
                 ON CONFLICT (survey_id, wave, question, item, value) DO UPDATE SET n = result_totals.n + 1",
            )
            .bind(survey)
            .bind(wave)
            .bind(STARTED)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        }
        .await
    })?;
    Ok(())
}

/// How a raw response is counted.
pub fn counted<'a>(survey: Uuid, r: &'a RawResponse, answers: &'a Answers) -> Counted<'a> {
    Counted {
        survey,
        response: r.id,
        wave: r.wave,
        at: r.submitted_at,
        group: &r.group,
        channel: &r.channel,
        answers,
        duration: r.duration,
        new_start: false,
    }
}
