//! Reading the counts back under a filter (a dashboard's tallies, responses by dimension and
//! by wave), and scanning the coded rows when a filter by an answer or a crosstab needs them.

use std::collections::{BTreeMap, HashMap};

use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

use crate::on_db;
use crate::results::Filter;
use crate::results::rules::{STARTED, Tally};
use crate::store::{Db, StoreError};

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
        tally.cells.insert(
            (question, item, value),
            crate::results::rules::Count { n, total },
        );
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
        tally.cells.insert(
            (question, item, value),
            crate::results::rules::Count { n, total },
        );
    }
    Ok(tally)
}

/// Responses (and starts) under a filter by one dimension: `stakeholder_group`, `channel`,
/// `wave` or `day`, as (dimension value, responses, started).
pub async fn responses_by(
    db: &Db,
    survey: Uuid,
    filter: &Filter,
    dimension: crate::results::Dimension,
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

fn corrupt_line(line: &str) -> StoreError {
    StoreError::Corrupt(format!(
        "a stored response does not read back: {}",
        line.chars().take(80).collect::<String>()
    ))
}
