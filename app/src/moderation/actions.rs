//! Moderators' use cases: the queue, and deciding on a comment (publish, hide citing a
//! category, restore). The form handlers call these; they check everything themselves.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{CATEGORIES, Queue, Queued, Report};
use crate::audit::Actor;
use crate::consultations::CommentState;
use crate::consultations::db;
use crate::store::{Db, StoreError};
use crate::text::Text;

/// Comments on a queue page.
pub const PAGE_SIZE: i64 = 25;

/// What a moderator decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Publish a held comment (or a hidden one again: restore).
    Publish,
    /// Hide it, citing one of the policy's categories.
    Hide(String),
}

/// Why a decision did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error("not found")]
    NotFound,
    /// Hiding needs one of the nine categories.
    #[error("no category")]
    NoCategory,
    /// Another moderator decided first; nothing changed.
    #[error("decided meanwhile")]
    Stale,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Held comments (or hidden ones), oldest first.
pub async fn queue(
    db: &Db,
    state: Option<&str>,
    page: i64,
    now: DateTime<Utc>,
) -> Result<Queue, StoreError> {
    let state = match state {
        Some("hidden") => CommentState::Hidden,
        _ => CommentState::Held,
    };
    let (_, count) = db::queue(db, state, 0, 0).await?;
    let pages = ((count + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let (rows, count) = db::queue(db, state, (page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let flags = if row.comment.flags > 0 {
            db::flag_categories(db, row.comment.id).await?
        } else {
            Vec::new()
        };
        let report = serde_json::from_str::<Report>(&row.comment.screening).ok();
        let (opportunity_id, held_by, version) = (
            row.comment.opportunity_id,
            row.comment.held_by.clone(),
            row.comment.version,
        );
        let comment = crate::consultations::actions::shown_to_staff(row.comment);
        items.push(Queued {
            comment,
            opportunity_id,
            title: Text::new(row.title_ar, row.title_en),
            report,
            held_by,
            flags,
            version,
        });
    }
    Ok(Queue {
        state: state.code().to_owned(),
        items,
        count,
        page,
        pages,
        now,
    })
}

/// Applies a moderator's decision to the version of the comment they saw.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    comment: Uuid,
    version: i64,
    decision: &Decision,
    now: DateTime<Utc>,
) -> Result<CommentState, ModerationError> {
    let row = db::find(db, comment)
        .await?
        .ok_or(ModerationError::NotFound)?;
    if row.version != version {
        return Err(ModerationError::Stale);
    }
    let (state, category) = match decision {
        Decision::Publish => (CommentState::Published, None),
        Decision::Hide(category) if CATEGORIES.contains(&category.as_str()) => {
            (CommentState::Hidden, Some(category.as_str()))
        }
        Decision::Hide(_) => return Err(ModerationError::NoCategory),
    };
    if !db::decide(db, comment, version, state, category, actor.user.id, now).await? {
        return Err(ModerationError::Stale);
    }
    let action = match (row.state(), state) {
        (CommentState::Hidden, CommentState::Published) => "comment.restore",
        (_, CommentState::Published) => "comment.publish",
        _ => "comment.hide",
    };
    actor
        .audit(db, action, comment.to_string(), category.map(str::to_owned))
        .await;
    Ok(state)
}
