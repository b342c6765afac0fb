//! Results SQL, on both backends: keeping the running counts in the transaction that stores
//! the responses, reading them back under a filter, scanning the coded rows for crosstabs,
//! recomputing everything from the raw answers (`verify`), and the author's settings.
//!
//! Invariants: every stored response adds its cells to `result_counts` and `result_totals` and
//! its codes to `result_rows` in the same transaction, so the counts are never ahead of or behind the
//! responses; counts are written in key order, so concurrent writers on PostgreSQL take row
//! locks in the same order and cannot deadlock. A response's answer pairs are in
//! `result_pairs` exactly when it is not in `result_unfolded` (stored there with the
//! response; a fold removes it and adds its pairs in one transaction), so the pairs plus the
//! waiting responses count every response once.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

use super::Filter;
use super::rules::{Cell, RESPONSE, STARTED, Tally, cells, choices, encode};
use crate::on_db;
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

/// The UTC day a count falls on.
pub fn day_of(at: DateTime<Utc>) -> String {
    at.date_naive().format("%Y-%m-%d").to_string()
}

pub type Key = (Uuid, i32, String, String, String, String, String, String);
pub type TotalKey = (Uuid, i32, String, String, String);

/// The items of the totals' per-response cells that count responses by group and by channel.
pub const GROUP: &str = "group";
pub const CHANNEL: &str = "channel";

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

/// The WHERE clause of a filter over `result_counts` or `result_rows` (after `survey_id = `).
fn push_filter<'a, DB>(query: &mut QueryBuilder<'a, DB>, survey: Uuid, filter: &'a Filter)
where
    DB: Database,
    Uuid: Encode<'a, DB> + Type<DB>,
    i32: Encode<'a, DB> + Type<DB>,
    String: Encode<'a, DB> + Type<DB>,
    &'a str: Encode<'a, DB> + Type<DB>,
{
    query.push(" WHERE survey_id = ").push_bind(survey);
    if let Some(wave) = filter.wave {
        query.push(" AND wave = ").push_bind(wave);
    }
    if let Some(from) = filter.from {
        query
            .push(" AND day >= ")
            .push_bind(from.format("%Y-%m-%d").to_string());
    }
    if let Some(to) = filter.to {
        query
            .push(" AND day <= ")
            .push_bind(to.format("%Y-%m-%d").to_string());
    }
    for (column, values) in [
        ("stakeholder_group", &filter.groups),
        ("channel", &filter.channels),
    ] {
        if !values.is_empty() {
            query.push(format!(" AND {column} IN ("));
            let mut list = query.separated(", ");
            for value in values {
                list.push_bind(value.as_str());
            }
            query.push(")");
        }
    }
}

/// The counts under a filter (its question filter aside), added up over days, groups and
/// channels: what a dashboard is drawn from, without reading a single response.
pub async fn tally(db: &Db, survey: Uuid, filter: &Filter) -> Result<Tally, StoreError> {
    if filter.whole_days() {
        return tally_totals(db, survey, filter.wave).await;
    }
    let rows: Vec<(String, String, String, i64, f64)> = on_db!(db, |pool| {
        let mut query = QueryBuilder::new(
            "SELECT question, item, value, CAST(SUM(n) AS BIGINT), CAST(SUM(total) AS DOUBLE PRECISION) FROM result_counts",
        );
        push_filter(&mut query, survey, filter);
        query.push(" GROUP BY question, item, value");
        query.build_query_as().fetch_all(pool).await
    })?;
    let mut tally = Tally::default();
    for (question, item, value, n, total) in rows {
        tally
            .cells
            .insert((question, item, value), super::rules::Count { n, total });
    }
    Ok(tally)
}

/// The counts of a survey (or of one wave) from the totals: a few thousand rows.
async fn tally_totals(db: &Db, survey: Uuid, wave: Option<i32>) -> Result<Tally, StoreError> {
    let rows: Vec<(String, String, String, i64, f64)> = on_db!(db, |pool| {
        let mut query = QueryBuilder::new(
            "SELECT question, item, value, CAST(SUM(n) AS BIGINT), CAST(SUM(total) AS DOUBLE PRECISION) \
             FROM result_totals WHERE survey_id = ",
        );
        query.push_bind(survey);
        if let Some(wave) = wave {
            query.push(" AND wave = ").push_bind(wave);
        }
        query.push(" GROUP BY question, item, value");
        query.build_query_as().fetch_all(pool).await
    })?;
    let mut tally = Tally::default();
    for (question, item, value, n, total) in rows {
        tally
            .cells
            .insert((question, item, value), super::rules::Count { n, total });
    }
    Ok(tally)
}

/// Responses (and starts) under a filter by one dimension: `stakeholder_group`, `channel`,
/// `wave` or `day`, as (dimension value, responses, started).
pub async fn responses_by(
    db: &Db,
    survey: Uuid,
    filter: &Filter,
    dimension: super::Dimension,
) -> Result<Vec<(String, i64, i64)>, StoreError> {
    let column = dimension.column();
    let rows: Vec<(String, String, i64)> = on_db!(db, |pool| {
        let mut query = QueryBuilder::new(format!(
            "SELECT CAST({column} AS TEXT), item, CAST(SUM(n) AS BIGINT) FROM result_counts"
        ));
        push_filter(&mut query, survey, filter);
        query.push(" AND question = '' AND value = '' GROUP BY ");
        query.push(column).push(", item ORDER BY 1");
        query.build_query_as().fetch_all(pool).await
    })?;
    let mut out: Vec<(String, i64, i64)> = Vec::new();
    for (key, item, n) in rows {
        if out.last().is_none_or(|(k, _, _)| *k != key) {
            out.push((key.clone(), 0, 0));
        }
        if let Some(last) = out.last_mut() {
            match item.as_str() {
                "" => last.1 += n,
                STARTED => last.2 += n,
                _ => {}
            }
        }
    }
    Ok(out)
}

/// The counts of every wave (trends), as (wave number, its tally).
pub async fn tally_by_wave(db: &Db, survey: Uuid) -> Result<BTreeMap<i32, Tally>, StoreError> {
    let rows: Vec<(i32, String, String, String, i64, f64)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT wave, question, item, value, CAST(n AS BIGINT), CAST(total AS DOUBLE PRECISION) \
             FROM result_totals WHERE survey_id = $1",
        )
        .bind(survey)
        .fetch_all(pool)
        .await
    })?;
    let mut out: BTreeMap<i32, Tally> = BTreeMap::new();
    for (wave, question, item, value, n, total) in rows {
        out.entry(wave)
            .or_default()
            .add(&question, &item, &value, n, total);
    }
    Ok(out)
}

/// A coded response as a crosstab or a filtered view reads it: its dimensions and one of its
/// coded strings (`text`: the codes or the choices, as asked).
pub struct CodedRow<'a> {
    pub wave: i32,
    pub day: &'a str,
    pub group: &'a str,
    pub channel: &'a str,
    pub text: &'a str,
}

/// Which coded string a scan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Every cell (`rules::encode`): for an answer-filtered dashboard.
    Codes,
    /// Single-valued and multiple-choice answers (`rules::choices`): for crosstabs.
    Choices,
}

/// The token an answer filter looks for in `';' || codes` (`;q=v;`).
fn answer_token(filter: &Filter) -> Option<String> {
    filter.by_answer().map(|(q, v)| format!(";{q}={v};"))
}

/// `AND` the answer filter, in each dialect (the codes hold it as a token).
fn push_answer<'a, DB>(query: &mut QueryBuilder<'a, DB>, db: &Db, token: &'a Option<String>)
where
    DB: Database,
    &'a str: Encode<'a, DB> + Type<DB>,
{
    if let Some(token) = token {
        let find = match db {
            Db::Sqlite(_) => " AND instr(';' || codes, ",
            Db::Postgres(_) => " AND strpos(';' || codes, ",
        };
        query.push(find).push_bind(token.as_str()).push(") > 0");
    }
}

/// Coded rows read per round trip.
const SCAN_PAGE: i64 = 10_000;

/// Reads the coded rows under a filter (its answer filter applied in the database) in key
/// order, handing each to `visit`. Each page of 10,000 rows comes back as one string (fields
/// joined by the unit separator, rows by the record separator; neither appears in what is
/// stored), so a million rows cost a hundred round trips, not a million row hand-offs, and
/// memory stays at one page.
pub async fn scan(
    db: &Db,
    survey: Uuid,
    filter: &Filter,
    field: Field,
    mut visit: impl FnMut(&CodedRow),
) -> Result<u64, StoreError> {
    let token = answer_token(filter);
    let column = match field {
        Field::Codes => "codes",
        Field::Choices => "choices",
    };
    let mut cursor: (i32, String, Uuid) = (i32::MIN, String::new(), Uuid::nil());
    let mut seen = 0;
    loop {
        let page: Option<String> = on_db!(db, |pool| {
            let (line, join) = match db {
                Db::Sqlite(_) => (
                    "wave || char(31) || day || char(31) || hex(response_id) || char(31) || stakeholder_group || char(31) || channel || char(31) || ",
                    "group_concat(line, char(30) ORDER BY wave, day, response_id)",
                ),
                Db::Postgres(_) => (
                    "wave || chr(31) || day || chr(31) || response_id::text || chr(31) || stakeholder_group || chr(31) || channel || chr(31) || ",
                    "string_agg(line, chr(30) ORDER BY wave, day, response_id)",
                ),
            };
            let mut query = QueryBuilder::new(format!(
                "SELECT {join} FROM (SELECT wave, day, response_id, {line}{column} AS line FROM result_rows"
            ));
            push_filter(&mut query, survey, filter);
            push_answer(&mut query, db, &token);
            query
                .push(" AND (wave, day, response_id) > (")
                .push_bind(cursor.0)
                .push(", ")
                .push_bind(cursor.1.clone())
                .push(", ")
                .push_bind(cursor.2)
                .push(") ORDER BY wave, day, response_id LIMIT ")
                .push_bind(SCAN_PAGE)
                .push(") AS page");
            query.build_query_scalar().fetch_one(pool).await
        })?;
        let Some(page) = page else { break };
        let mut last = None;
        for line in page.split('\u{1e}') {
            let mut fields = line.splitn(6, '\u{1f}');
            let mut next = || fields.next().ok_or_else(|| corrupt_line(line));
            let wave: i32 = next()?.parse().map_err(|_| corrupt_line(line))?;
            let day = next()?;
            let id = next()?;
            let row = CodedRow {
                wave,
                day,
                group: next()?,
                channel: next()?,
                text: next()?,
            };
            visit(&row);
            seen += 1;
            last = Some((wave, day, id));
        }
        let Some((wave, day, id)) = last else { break };
        cursor = (
            wave,
            day.to_owned(),
            Uuid::parse_str(id).map_err(|_| corrupt_line(id))?,
        );
    }
    Ok(seen)
}

/// Responses counted by two columns of the running counts under a filter (its answer filter
/// aside), as (first, second) → responses: each column is a dimension's column, or `value` for
/// the answers to `question` (a multiple-choice answer counts under each choice picked). At
/// most one of the two may be `value`.
pub async fn counts_by(
    db: &Db,
    survey: Uuid,
    filter: &Filter,
    first: &str,
    second: &str,
    question: Option<&str>,
) -> Result<HashMap<(String, String), i64>, StoreError> {
    let rows: Vec<(String, String, i64)> = on_db!(db, |pool| {
        let mut query = QueryBuilder::new(format!(
            "SELECT CAST({first} AS TEXT), CAST({second} AS TEXT), CAST(SUM(n) AS BIGINT) FROM result_counts"
        ));
        push_filter(&mut query, survey, filter);
        match question {
            Some(question) => {
                query
                    .push(" AND question = ")
                    .push_bind(question)
                    .push(" AND item = '' AND value <> ''");
            }
            None => {
                query.push(" AND question = '' AND item = '' AND value = ''");
            }
        }
        query.push(" GROUP BY 1, 2");
        query.build_query_as().fetch_all(pool).await
    })?;
    Ok(rows.into_iter().map(|(x, y, n)| ((x, y), n)).collect())
}

/// Rows folded into the pair counts per transaction: small enough that the write lock is
/// held for milliseconds (SQLite has one writer; responses wait while a fold writes).
pub const FOLD_CHUNK: i64 = 1_000;

/// The pair counts of one fold, added up by (a, b, wave, x, y), written in that order.
type PairKey<'r> = (&'r str, &'r str, i32, &'r str, &'r str);

/// Folds up to [`FOLD_CHUNK`] of a survey's waiting responses (`result_unfolded`) after the
/// response `after` (in id order; the nil id for the first) into
/// `result_pairs` (the answers to the questions `keep` says are crosstab questions); answers
/// how many it folded. They are read and paired before the write transaction; in it, they
/// are taken off the waiting list, and if another fold took any of them meanwhile nothing is
/// written (answering 0), so a response is never counted twice. Safe to run on several
/// servers at once.
pub async fn fold(
    db: &Db,
    survey: Uuid,
    after: Uuid,
    keep: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Folded, StoreError> {
    let begin = match db {
        Db::Sqlite(_) => "BEGIN IMMEDIATE",
        Db::Postgres(_) => "BEGIN",
    };
    let folded = on_db!(db, |pool| {
        async {
            let rows: Vec<(Uuid, i32, String)> = sqlx::query_as(
                "SELECT response_id, wave, choices FROM result_unfolded WHERE survey_id = $1 AND response_id > $2 \
                 ORDER BY response_id LIMIT $3",
            )
            .bind(survey)
            .bind(after)
            .bind(FOLD_CHUNK)
            .fetch_all(pool)
            .await?;
            let Some((last, _, _)) = rows.last() else {
                return Ok(Folded::default());
            };
            let last = *last;
            let mut counts: BTreeMap<PairKey<'_>, i64> = BTreeMap::new();
            for (_, wave, choices) in &rows {
                super::rules::pairs(choices, keep, |a, x, b, y| {
                    *counts.entry((a, b, *wave, x, y)).or_default() += 1;
                });
            }
            let mut tx = pool.begin_with(begin).await?;
            let mut taken = 0;
            for chunk in rows.chunks(500) {
                // The id range as well as the list: whatever plan the database keeps for the
                // statement, it walks only this stretch of the key.
                let (first, last) = (chunk[0].0, chunk[chunk.len() - 1].0);
                let mut query = QueryBuilder::new(
                    "DELETE FROM result_unfolded WHERE survey_id = ",
                );
                query
                    .push_bind(survey)
                    .push(" AND response_id >= ")
                    .push_bind(first)
                    .push(" AND response_id <= ")
                    .push_bind(last)
                    .push(" AND response_id IN (");
                let mut ids = query.separated(", ");
                for (id, _, _) in chunk {
                    ids.push_bind(*id);
                }
                query.push(")");
                taken += query.build().execute(&mut *tx).await?.rows_affected();
            }
            if taken != rows.len() as u64 {
                // Another fold took some of these rows first: leave them to it.
                tx.rollback().await?;
                return Ok(Folded::default());
            }
            let counts: Vec<(PairKey<'_>, i64)> = counts.into_iter().collect();
            for chunk in counts.chunks(500) {
                let mut query = QueryBuilder::new(
                    "INSERT INTO result_pairs (survey_id, a, b, wave, x, y, n) ",
                );
                query.push_values(chunk, |mut row, ((a, b, wave, x, y), n)| {
                    row.push_bind(survey)
                        .push_bind(*a)
                        .push_bind(*b)
                        .push_bind(*wave)
                        .push_bind(*x)
                        .push_bind(*y)
                        .push_bind(*n);
                });
                query.push(
                    " ON CONFLICT (survey_id, a, b, wave, x, y) DO UPDATE SET n = result_pairs.n + excluded.n",
                );
                query.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Folded {
                rows: rows.len() as u64,
                last: Some(last),
            })
        }
        .await
    })?;
    Ok(folded)
}

/// What one [`fold`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Folded {
    /// Responses folded (0 when none were waiting, or another fold took them).
    pub rows: u64,
    /// The last response folded: the next fold starts after it, so it does not wade through
    /// the entries PostgreSQL keeps for the deleted rows until it vacuums them.
    pub last: Option<Uuid>,
}

/// The surveys with responses waiting to be folded.
pub async fn unfolded_surveys(db: &Db) -> Result<Vec<Uuid>, StoreError> {
    let rows: Vec<(Uuid,)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT DISTINCT survey_id FROM result_unfolded")
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// A crosstab of two questions `a` < `b` (one wave or all) from the pair counts plus the
/// responses not folded yet, read in one snapshot so a fold committed meanwhile is counted exactly
/// once; answers (x, y, responses).
pub async fn pair_counts(
    db: &Db,
    survey: Uuid,
    wave: Option<i32>,
    a: &str,
    b: &str,
) -> Result<HashMap<(String, String), i64>, StoreError> {
    use futures_util::TryStreamExt;
    let begin = match db {
        Db::Sqlite(_) => "BEGIN",
        Db::Postgres(_) => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    };
    // A wave of -1 stands for every wave (numbers start at 0), so the binds stay the same.
    let wave_clause = " AND ($2 < 0 OR wave = $2)";
    let keep = |q: &str| q == a || q == b;
    let cells = on_db!(db, |pool| {
        async {
            let mut tx = pool.begin_with(begin).await?;
            let mut cells: HashMap<(String, String), i64> = HashMap::new();
            let rows: Vec<(String, String, i64)> = sqlx::query_as(&format!(
                "SELECT x, y, CAST(SUM(n) AS BIGINT) FROM result_pairs WHERE survey_id = $1 AND a = $3 AND b = $4{wave_clause} GROUP BY x, y"
            ))
            .bind(survey)
            .bind(wave.unwrap_or(-1))
            .bind(a)
            .bind(b)
            .fetch_all(&mut *tx)
            .await?;
            for (x, y, n) in rows {
                *cells.entry((x, y)).or_default() += n;
            }
            // The responses not folded yet: a few seconds' worth, streamed.
            let sql = format!(
                "SELECT choices FROM result_unfolded WHERE survey_id = $1{wave_clause}"
            );
            let mut tail = sqlx::query_scalar::<_, String>(&sql)
                .bind(survey)
                .bind(wave.unwrap_or(-1))
                .fetch(&mut *tx);
            while let Some(choices) = tail.try_next().await? {
                super::rules::pairs(&choices, &keep, |_, x, _, y| {
                    *cells.entry((x.to_owned(), y.to_owned())).or_default() += 1;
                });
            }
            drop(tail);
            tx.commit().await?;
            Ok::<_, sqlx::Error>(cells)
        }
        .await
    })?;
    Ok(cells)
}

/// The pair counts of a survey as (wave|a|b, x, y) → responses (what `verify` compares).
pub async fn stored_pairs(db: &Db, survey: Uuid) -> Result<Tally, StoreError> {
    let rows: Vec<(i32, String, String, String, String, i64)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT wave, a, b, x, y, CAST(n AS BIGINT) FROM result_pairs WHERE survey_id = $1",
        )
        .bind(survey)
        .fetch_all(pool)
        .await
    })?;
    let mut tally = Tally::default();
    for (wave, a, b, x, y, n) in rows {
        tally.add(&format!("{wave}|{a}|{b}"), &x, &y, n, 0.0);
    }
    Ok(tally)
}

/// Whether the survey's results are public, and its group targets (percent by group code).
pub async fn settings(db: &Db, survey: Uuid) -> Result<(bool, BTreeMap<String, f64>), StoreError> {
    let public: Option<(bool,)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT results_public FROM surveys WHERE id = $1")
            .bind(survey)
            .fetch_optional(pool)
            .await
    })?;
    let targets: Vec<(String, f64)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT stakeholder_group, share FROM result_targets WHERE survey_id = $1")
            .bind(survey)
            .fetch_all(pool)
            .await
    })?;
    Ok((public.is_some_and(|(p,)| p), targets.into_iter().collect()))
}

/// Saves the public switch and the targets (replacing the old ones) in one transaction.
pub async fn save_settings(
    db: &Db,
    survey: Uuid,
    public: bool,
    targets: &BTreeMap<String, f64>,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE surveys SET results_public = $1 WHERE id = $2")
                .bind(public)
                .bind(survey)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM result_targets WHERE survey_id = $1")
                .bind(survey)
                .execute(&mut *tx)
                .await?;
            for (group, share) in targets {
                sqlx::query("INSERT INTO result_targets (survey_id, stakeholder_group, share) VALUES ($1, $2, $3)")
                    .bind(survey)
                    .bind(group)
                    .bind(share)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        }
        .await
    })?;
    Ok(())
}

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

fn corrupt_line(line: &str) -> StoreError {
    StoreError::Corrupt(format!(
        "a stored response does not read back: {}",
        line.chars().take(80).collect::<String>()
    ))
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

/// Every survey that has counts or responses (what `verify` goes through).
pub async fn surveys_with_results(db: &Db) -> Result<Vec<Uuid>, StoreError> {
    let rows: Vec<(Uuid,)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT DISTINCT survey_id FROM responses UNION SELECT DISTINCT survey_id FROM result_counts ORDER BY 1",
        )
        .fetch_all(pool)
        .await
    })?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Parses a day given in a filter (`YYYY-MM-DD`).
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}
