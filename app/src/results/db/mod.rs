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
//!
//! The rooms: `write` keeps the counts as responses are stored (the [`record!`] macro),
//! `read` reads the counts and the coded rows back under a filter, `pairs` folds answer pairs
//! for crosstabs, `raw` reads the raw responses (exports, `verify`) and rebuilds counts from
//! them; the author's settings and the small shared helpers are here.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::on_db;
use crate::store::{Db, StoreError};

mod pairs;
mod raw;
mod read;
mod write;

pub use pairs::{FOLD_CHUNK, Folded, fold, pair_counts, stored_pairs, unfolded_surveys};
pub use raw::{
    RawResponse, StoredRow, raw_page, rebuild, stored_codes, stored_counts, stored_totals,
};
pub use read::{CodedRow, Field, counts_by, responses_by, scan, tally, tally_by_wave};
pub(crate) use write::record;
pub use write::{Counted, Key, Prepared, RowValues, TotalKey, count_start, counted, prepare};

/// The day a count falls on: the UAE calendar day (the dashboard's days and its from/to
/// filter are the ministry's days). Counts made before this was the UAE day are re-bucketed
/// by `sharek results verify --repair`.
pub fn day_of(at: DateTime<Utc>) -> String {
    crate::dates::in_uae(at)
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// The items of the totals' per-response cells that count responses by group and by channel.
pub const GROUP: &str = "group";
pub const CHANNEL: &str = "channel";

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
