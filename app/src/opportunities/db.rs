//! Opportunities SQL, on both backends. Target groups are stored comma-separated (`''` for
//! everyone); statuses are computed in Rust from the dates (`super::status`), never stored.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::rules::OpportunityFields;
use super::{Filter, Opportunity, OpportunityKind, StakeholderGroup, catalogue_order};
use crate::on_db;
use crate::store::{Db, StoreError};

const COLUMNS: &str = "id, kind, survey_id, title_ar, title_en, summary_ar, summary_en, body_ar, \
     body_en, topic, groups, starts_at, ends_at, location, link, published, created_at, updated_at";

#[derive(Debug, sqlx::FromRow)]
struct Row {
    id: Uuid,
    kind: String,
    survey_id: Option<Uuid>,
    title_ar: String,
    title_en: String,
    summary_ar: String,
    summary_en: String,
    body_ar: String,
    body_en: String,
    topic: String,
    groups: String,
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
    location: String,
    link: String,
    published: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl Row {
    /// The opportunity, or `None` for a kind this version does not know (the table's CHECK
    /// makes that impossible short of a newer schema).
    fn into_opportunity(self) -> Option<Opportunity> {
        Some(Opportunity {
            id: self.id,
            kind: OpportunityKind::from_code(&self.kind)?,
            survey_id: self.survey_id,
            title_ar: self.title_ar,
            title_en: self.title_en,
            summary_ar: self.summary_ar,
            summary_en: self.summary_en,
            body_ar: self.body_ar,
            body_en: self.body_en,
            topic: self.topic,
            groups: self
                .groups
                .split(',')
                .filter_map(StakeholderGroup::from_code)
                .collect(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            location: self.location,
            link: self.link,
            published: self.published,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

fn opportunities(rows: Vec<Row>) -> Vec<Opportunity> {
    rows.into_iter().filter_map(Row::into_opportunity).collect()
}

/// How target groups are stored: codes joined by commas.
fn stored_groups(groups: &[StakeholderGroup]) -> String {
    groups
        .iter()
        .map(|g| g.code())
        .collect::<Vec<_>>()
        .join(",")
}

/// Published opportunities passing `filter` at `now`, in catalogue order. Topic and group are
/// matched in SQL; the status in Rust, by the same rule the pages show.
pub async fn list_published(
    db: &Db,
    filter: &Filter,
    now: DateTime<Utc>,
) -> Result<Vec<Opportunity>, StoreError> {
    let group = filter.group.map(|g| format!("%,{},%", g.code()));
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM opportunities \
             WHERE published = TRUE AND ($1 IS NULL OR topic = $1) \
             AND ($2 IS NULL OR groups = '' OR (',' || groups || ',') LIKE $2)"
        ))
        .bind(filter.topic.as_deref())
        .bind(group.as_deref())
        .fetch_all(pool)
        .await
    })?;
    let mut items: Vec<Opportunity> = opportunities(rows)
        .into_iter()
        .filter(|o| filter.admits(o, now))
        .collect();
    catalogue_order(&mut items, now);
    Ok(items)
}

/// Every opportunity, published or not, most recently changed first (for staff).
pub async fn list_all(db: &Db) -> Result<Vec<Opportunity>, StoreError> {
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM opportunities ORDER BY updated_at DESC, id DESC"
        ))
        .fetch_all(pool)
        .await
    })?;
    Ok(opportunities(rows))
}

/// One opportunity in any state.
pub async fn find(db: &Db, id: Uuid) -> Result<Option<Opportunity>, StoreError> {
    let row: Option<Row> = on_db!(db, |pool| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM opportunities WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.and_then(Row::into_opportunity))
}

/// Stores a new opportunity (of a kind staff edit here) and returns its id.
pub async fn create(
    db: &Db,
    fields: &OpportunityFields,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    insert(db, Uuid::now_v7(), None, fields, now).await
}

async fn insert(
    db: &Db,
    id: Uuid,
    survey_id: Option<Uuid>,
    f: &OpportunityFields,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    on_db!(db, |pool| {
        sqlx::query(&format!(
            "INSERT INTO opportunities ({COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)"
        ))
        .bind(id)
        .bind(f.kind.code())
        .bind(survey_id)
        .bind(&f.title_ar)
        .bind(&f.title_en)
        .bind(&f.summary_ar)
        .bind(&f.summary_en)
        .bind(&f.body_ar)
        .bind(&f.body_en)
        .bind(&f.topic)
        .bind(stored_groups(&f.groups))
        .bind(f.starts_at)
        .bind(f.ends_at)
        .bind(&f.location)
        .bind(&f.link)
        .bind(f.published)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })
    .map_err(StoreError::from_unique)?;
    Ok(id)
}

/// Changes an opportunity staff edit here. `false` when there is no such opportunity or it
/// belongs to a survey (those change with their survey: `crate::surveys::db`).
pub async fn update(
    db: &Db,
    id: Uuid,
    f: &OpportunityFields,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE opportunities SET kind = $2, title_ar = $3, title_en = $4, summary_ar = $5, \
             summary_en = $6, body_ar = $7, body_en = $8, topic = $9, groups = $10, \
             starts_at = $11, ends_at = $12, location = $13, link = $14, published = $15, \
             updated_at = $16 WHERE id = $1 AND kind <> 'survey'",
        )
        .bind(id)
        .bind(f.kind.code())
        .bind(&f.title_ar)
        .bind(&f.title_en)
        .bind(&f.summary_ar)
        .bind(&f.summary_en)
        .bind(&f.body_ar)
        .bind(&f.body_en)
        .bind(&f.topic)
        .bind(stored_groups(&f.groups))
        .bind(f.starts_at)
        .bind(f.ends_at)
        .bind(&f.location)
        .bind(&f.link)
        .bind(f.published)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}
