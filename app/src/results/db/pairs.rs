//! Crosstab answer pairs: folding the waiting responses into `result_pairs` a chunk at a time,
//! and adding up the pair counts (plus the responses not folded yet) for a crosstab.

use std::collections::{BTreeMap, HashMap};

use sqlx::QueryBuilder;
use uuid::Uuid;

use crate::on_db;
use crate::results::rules::Tally;
use crate::store::{Db, StoreError};

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
                crate::results::rules::pairs(choices, keep, |a, x, b, y| {
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
                crate::results::rules::pairs(&choices, &keep, |_, x, _, y| {
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
