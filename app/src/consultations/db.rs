//! SQL for documents' sections, comments, helpful marks and flags. Both backends run the same
//! statements.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::rules::SectionInput;
use super::{CommentState, Section};
use crate::on_db;
use crate::store::{Db, StoreError};

type SectionRow = (Uuid, i64, String, String, String, String);

fn section((id, position, heading_ar, heading_en, body_ar, body_en): SectionRow) -> Section {
    Section {
        id,
        position,
        heading_ar,
        heading_en,
        body_ar,
        body_en,
    }
}

/// A document's sections in order.
pub async fn sections(db: &Db, opportunity: Uuid) -> Result<Vec<Section>, StoreError> {
    let rows: Vec<SectionRow> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, position, heading_ar, heading_en, body_ar, body_en
             FROM consultation_sections WHERE opportunity_id = $1 ORDER BY position, id",
        )
        .bind(opportunity)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows.into_iter().map(section).collect())
}

/// Adds a section at the end of the document.
pub async fn insert_section(
    db: &Db,
    opportunity: Uuid,
    input: &SectionInput,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO consultation_sections
                 (id, opportunity_id, position, heading_ar, heading_en, body_ar, body_en,
                  created_at, updated_at)
             VALUES ($1, $2,
                 (SELECT COALESCE(MAX(position), 0) + 1 FROM consultation_sections
                  WHERE opportunity_id = $2),
                 $3, $4, $5, $6, $7, $7)",
        )
        .bind(id)
        .bind(opportunity)
        .bind(&input.heading_ar)
        .bind(&input.heading_en)
        .bind(&input.body_ar)
        .bind(&input.body_en)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(id)
}

/// Changes a section's text; false when the document has no such section.
pub async fn update_section(
    db: &Db,
    opportunity: Uuid,
    id: Uuid,
    input: &SectionInput,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE consultation_sections
             SET heading_ar = $1, heading_en = $2, body_ar = $3, body_en = $4, updated_at = $5
             WHERE id = $6 AND opportunity_id = $7",
        )
        .bind(&input.heading_ar)
        .bind(&input.heading_en)
        .bind(&input.body_ar)
        .bind(&input.body_en)
        .bind(now)
        .bind(id)
        .bind(opportunity)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(changed == 1)
}

/// Removes a section (its comments move to the whole document) and closes the gap in the
/// order; false when the document has no such section.
pub async fn delete_section(db: &Db, opportunity: Uuid, id: Uuid) -> Result<bool, StoreError> {
    let deleted = on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let position: Option<(i64,)> = sqlx::query_as(
                "SELECT position FROM consultation_sections WHERE id = $1 AND opportunity_id = $2",
            )
            .bind(id)
            .bind(opportunity)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((position,)) = position else {
                return Ok::<_, sqlx::Error>(false);
            };
            sqlx::query("UPDATE comments SET section_id = NULL WHERE section_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM consultation_sections WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE consultation_sections SET position = position - 1
                 WHERE opportunity_id = $1 AND position > $2",
            )
            .bind(opportunity)
            .bind(position)
            .execute(&mut *tx)
            .await?;
            tx.commit().await.map(|_| true)
        }
        .await
    })?;
    Ok(deleted)
}

/// Published top-level comments per section (`None`: on the whole document).
pub async fn counts(db: &Db, opportunity: Uuid) -> Result<Vec<(Option<Uuid>, i64)>, StoreError> {
    let rows = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT section_id, COUNT(*) FROM comments
             WHERE opportunity_id = $1 AND parent_id IS NULL AND state = 'published'
             GROUP BY section_id",
        )
        .bind(opportunity)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows)
}

/// A comment as stored, with its author's display name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommentRow {
    pub id: Uuid,
    pub opportunity_id: Uuid,
    pub section_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub participant_id: Option<Uuid>,
    pub staff_id: Option<Uuid>,
    pub display_name: Option<String>,
    pub body: String,
    pub lang: String,
    pub state: String,
    pub hidden_category: Option<String>,
    pub screening: String,
    pub held_by: Option<String>,
    pub helpful: i64,
    pub flags: i64,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub reply_count: i64,
}

impl CommentRow {
    pub fn state(&self) -> CommentState {
        CommentState::from_code(&self.state).unwrap_or(CommentState::Held)
    }
}

const COMMENT_COLUMNS: &str = "c.id, c.opportunity_id, c.section_id, c.parent_id, \
     c.participant_id, c.staff_id, p.display_name, c.body, c.lang, c.state, c.hidden_category, \
     c.screening, c.held_by, c.helpful, c.flags, c.version, c.created_at, \
     (SELECT COUNT(*) FROM comments r WHERE r.parent_id = c.id AND r.state <> 'held') \
     AS reply_count";

const COMMENT_FROM: &str = "FROM comments c LEFT JOIN participants p ON p.id = c.participant_id";

/// Which top-level comments a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    /// On the whole document only.
    Whole,
    Section(Uuid),
}

/// Who is looking: the public sees published and hidden comments (hidden ones as notices) and
/// their own held ones; staff see everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Public(Option<Uuid>),
    Staff,
}

/// The `WHERE` conditions of a list and the ids they bind, in order (`$1`, `$2`, …).
fn conditions(opportunity: Uuid, scope: Scope, viewer: Viewer) -> (String, Vec<Uuid>) {
    let mut sql = String::from("c.opportunity_id = $1 AND c.parent_id IS NULL");
    let mut binds = vec![opportunity];
    match scope {
        Scope::All => {}
        Scope::Whole => sql.push_str(" AND c.section_id IS NULL"),
        Scope::Section(id) => {
            binds.push(id);
            sql.push_str(&format!(" AND c.section_id = ${}", binds.len()));
        }
    }
    match viewer {
        Viewer::Public(Some(me)) => {
            binds.push(me);
            let n = binds.len();
            sql.push_str(&format!(
                " AND (c.state <> 'held' OR c.participant_id = ${n})"
            ));
        }
        Viewer::Public(None) => sql.push_str(" AND c.state <> 'held'"),
        Viewer::Staff => {}
    }
    (sql, binds)
}

/// How many top-level comments a list has.
pub async fn count(
    db: &Db,
    opportunity: Uuid,
    scope: Scope,
    viewer: Viewer,
) -> Result<i64, StoreError> {
    let (conditions, binds) = conditions(opportunity, scope, viewer);
    let sql = format!("SELECT COUNT(*) FROM comments c WHERE {conditions}");
    let (n,): (i64,) = on_db!(db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for id in &binds {
            query = query.bind(*id);
        }
        query.fetch_one(pool).await
    })?;
    Ok(n)
}

/// A page of top-level comments, newest first.
pub async fn page(
    db: &Db,
    opportunity: Uuid,
    scope: Scope,
    viewer: Viewer,
    offset: i64,
    limit: i64,
) -> Result<Vec<CommentRow>, StoreError> {
    let (conditions, binds) = conditions(opportunity, scope, viewer);
    let n = binds.len();
    let sql = format!(
        "SELECT {COMMENT_COLUMNS} {COMMENT_FROM} WHERE {conditions}
         ORDER BY c.created_at DESC, c.id DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let rows = on_db!(db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for id in &binds {
            query = query.bind(*id);
        }
        query.bind(limit).bind(offset).fetch_all(pool).await
    })?;
    Ok(rows)
}

/// The replies to these comments, oldest first: published and hidden ones, and the viewer's
/// held ones (staff: all).
pub async fn replies(
    db: &Db,
    parents: &[Uuid],
    viewer: Viewer,
) -> Result<Vec<CommentRow>, StoreError> {
    if parents.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = (0..parents.len())
        .map(|i| format!("${}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let mut binds = parents.to_vec();
    let visible = match viewer {
        Viewer::Public(Some(me)) => {
            binds.push(me);
            format!(
                " AND (c.state <> 'held' OR c.participant_id = ${})",
                binds.len()
            )
        }
        Viewer::Public(None) => " AND c.state <> 'held'".to_owned(),
        Viewer::Staff => String::new(),
    };
    let sql = format!(
        "SELECT {COMMENT_COLUMNS} {COMMENT_FROM}
         WHERE c.parent_id IN ({placeholders}){visible}
         ORDER BY c.created_at, c.id"
    );
    let rows = on_db!(db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for id in &binds {
            query = query.bind(*id);
        }
        query.fetch_all(pool).await
    })?;
    Ok(rows)
}

pub async fn find(db: &Db, id: Uuid) -> Result<Option<CommentRow>, StoreError> {
    let sql = format!("SELECT {COMMENT_COLUMNS} {COMMENT_FROM} WHERE c.id = $1");
    let row = on_db!(db, |pool| {
        sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
    })?;
    Ok(row)
}

/// Of these comments, the ones the participant marked helpful and the ones they flagged.
pub async fn marks(
    db: &Db,
    participant: Uuid,
    ids: &[Uuid],
) -> Result<(Vec<Uuid>, Vec<Uuid>), StoreError> {
    if ids.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let placeholders = (0..ids.len())
        .map(|i| format!("${}", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let mut found = (Vec::new(), Vec::new());
    for (table, into) in [
        ("comment_helpful", &mut found.0),
        ("comment_flags", &mut found.1),
    ] {
        let sql = format!(
            "SELECT comment_id FROM {table}
             WHERE participant_id = $1 AND comment_id IN ({placeholders})"
        );
        let rows: Vec<(Uuid,)> = on_db!(db, |pool| {
            let mut query = sqlx::query_as(&sql).bind(participant);
            for id in ids {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await
        })?;
        into.extend(rows.into_iter().map(|(id,)| id));
    }
    Ok(found)
}

/// A new comment or reply.
#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    pub id: Uuid,
    pub opportunity: Uuid,
    pub section: Option<Uuid>,
    pub parent: Option<Uuid>,
    pub participant: Option<Uuid>,
    pub staff: Option<Uuid>,
    pub body: &'a str,
    pub lang: &'a str,
    pub state: CommentState,
    pub screening: &'a str,
    pub held_by: Option<&'a str>,
    pub now: DateTime<Utc>,
}

pub async fn insert(db: &Db, new: &NewComment<'_>) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO comments
                 (id, opportunity_id, section_id, parent_id, participant_id, staff_id, body, lang,
                  state, screening, held_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(new.id)
        .bind(new.opportunity)
        .bind(new.section)
        .bind(new.parent)
        .bind(new.participant)
        .bind(new.staff)
        .bind(new.body)
        .bind(new.lang)
        .bind(new.state.code())
        .bind(new.screening)
        .bind(new.held_by)
        .bind(new.now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Comments and replies the participant posted since `since` (the rate limit).
pub async fn posted_since(
    db: &Db,
    participant: Uuid,
    since: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let (n,): (i64,) = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*) FROM comments WHERE participant_id = $1 AND created_at >= $2",
        )
        .bind(participant)
        .bind(since)
        .fetch_one(pool)
        .await
    })?;
    Ok(n)
}

/// Marks a comment helpful for a participant, once; false when they already had.
pub async fn mark_helpful(
    db: &Db,
    comment: Uuid,
    participant: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let marked = on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let inserted = sqlx::query(
                "INSERT INTO comment_helpful (comment_id, participant_id, created_at)
                 VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(comment)
            .bind(participant)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 1 {
                sqlx::query("UPDATE comments SET helpful = helpful + 1 WHERE id = $1")
                    .bind(comment)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await.map(|_| inserted == 1)
        }
        .await
    })?;
    Ok(marked)
}

/// What a flag did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flagged {
    /// Counted.
    Counted,
    /// Counted, and it reached the threshold: the comment is held again.
    Held,
    /// This participant had flagged it already.
    Already,
}

/// Flags a comment for a participant, once; at `threshold` flags a published comment is held
/// for review again.
pub async fn flag(
    db: &Db,
    comment: Uuid,
    participant: Uuid,
    category: &str,
    threshold: i64,
    now: DateTime<Utc>,
) -> Result<Flagged, StoreError> {
    let flagged = on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            let inserted = sqlx::query(
                "INSERT INTO comment_flags (comment_id, participant_id, category, created_at)
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(comment)
            .bind(participant)
            .bind(category)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 0 {
                return Ok::<_, sqlx::Error>(Flagged::Already);
            }
            sqlx::query("UPDATE comments SET flags = flags + 1 WHERE id = $1")
                .bind(comment)
                .execute(&mut *tx)
                .await?;
            let held = sqlx::query(
                "UPDATE comments SET state = 'held', held_by = 'flags', version = version + 1
                 WHERE id = $1 AND state = 'published' AND flags >= $2",
            )
            .bind(comment)
            .bind(threshold)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            Ok(if held == 1 {
                Flagged::Held
            } else {
                Flagged::Counted
            })
        }
        .await
    })?;
    Ok(flagged)
}

/// A moderator's decision, applied only if nobody decided since they loaded the comment
/// (`version`); false when someone did.
pub async fn decide(
    db: &Db,
    id: Uuid,
    version: i64,
    state: CommentState,
    category: Option<&str>,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE comments SET state = $1, hidden_category = $2, decided_by = $3,
                 decided_at = $4, version = version + 1
             WHERE id = $5 AND version = $6",
        )
        .bind(state.code())
        .bind(category)
        .bind(by)
        .bind(now)
        .bind(id)
        .bind(version)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(changed == 1)
}

/// A comment in the moderation queue, with where it was posted.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueueRow {
    #[sqlx(flatten)]
    pub comment: CommentRow,
    pub title_ar: String,
    pub title_en: String,
}

/// Comments in a state, oldest first, with their consultation's title.
pub async fn queue(
    db: &Db,
    state: CommentState,
    offset: i64,
    limit: i64,
) -> Result<(Vec<QueueRow>, i64), StoreError> {
    let sql = format!(
        "SELECT {COMMENT_COLUMNS}, o.title_ar, o.title_en {COMMENT_FROM}
         JOIN opportunities o ON o.id = c.opportunity_id
         WHERE c.state = $1 ORDER BY c.created_at, c.id LIMIT $2 OFFSET $3"
    );
    let rows = on_db!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(state.code())
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await
    })?;
    let (n,): (i64,) = on_db!(db, |pool| {
        sqlx::query_as("SELECT COUNT(*) FROM comments WHERE state = $1")
            .bind(state.code())
            .fetch_one(pool)
            .await
    })?;
    Ok((rows, n))
}

/// The flags on a comment by category: (category, how many).
pub async fn flag_categories(db: &Db, comment: Uuid) -> Result<Vec<(String, i64)>, StoreError> {
    let rows = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT category, COUNT(*) FROM comment_flags WHERE comment_id = $1
             GROUP BY category ORDER BY COUNT(*) DESC, category",
        )
        .bind(comment)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows)
}
