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

/// Applies a moderator's decision to the version of the comment they saw; the comment's
/// author (if a participant) is emailed where it now stands, with a link under `site`.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    comment: Uuid,
    version: i64,
    decision: &Decision,
    site: &str,
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
    if let Some(author) = row.participant_id {
        tell_author(db, &row, author, state, category, site, now).await?;
    }
    Ok(state)
}

/// Emails a comment's author the moderator's decision, in their language.
async fn tell_author(
    db: &Db,
    row: &db::CommentRow,
    author: Uuid,
    state: CommentState,
    category: Option<&str>,
    site: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(participant) = crate::participants::db::find(db, author).await? else {
        return Ok(());
    };
    let locale = participant.language;
    let site = site.trim_end_matches('/');
    let thread = crate::consultations::thread_path(
        locale,
        row.opportunity_id,
        row.parent_id.unwrap_or(row.id),
    );
    let letter = super::mail::decided(
        locale,
        state,
        row.state() == CommentState::Hidden,
        category,
        &format!("{site}{thread}"),
        &format!("{site}/{}/policy", locale.code()),
    );
    crate::store::outbox::enqueue(db, &participant.email, &letter.subject, &letter.body, now)
        .await?;
    Ok(())
}

/// Why a ban or an appeal did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BanError {
    #[error("invalid input")]
    Invalid(Vec<(&'static str, &'static str)>),
    /// No such comment or ban, or a comment with no participant behind it (an official reply,
    /// a former participant).
    #[error("not found")]
    NotFound,
    /// The moderator who made a ban cannot decide its appeal.
    #[error("same moderator")]
    SameModerator,
    /// Decided (or appealed) already.
    #[error("already done")]
    Already,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Bans the author of `comment` from commenting for `days` (or for good), citing `category`;
/// the participant is emailed in their language.
pub async fn ban(
    db: &Db,
    actor: &Actor,
    comment: Uuid,
    category: &str,
    days: Option<i64>,
    note: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, BanError> {
    let mut problems = Vec::new();
    if !CATEGORIES.contains(&category) {
        problems.push(("category", "moderation.error.category"));
    }
    if days.is_some_and(|d| !super::bans::DURATIONS.contains(&Some(d))) {
        problems.push(("days", "moderation.error.days"));
    }
    let note = super::bans::check_text(note, "moderation.error.note_missing")
        .map_err(|key| problems.push(("note", key)));
    let Ok(note) = note else {
        return Err(BanError::Invalid(problems));
    };
    if !problems.is_empty() {
        return Err(BanError::Invalid(problems));
    }
    let participant = db::find(db, comment)
        .await?
        .and_then(|row| row.participant_id)
        .ok_or(BanError::NotFound)?;
    let participant = crate::participants::db::find(db, participant)
        .await?
        .ok_or(BanError::NotFound)?;
    let ends_at = days.map(|d| now + chrono::Duration::days(d));
    let id = super::db::insert_ban(
        db,
        &super::db::NewBan {
            participant: participant.id,
            category,
            note: &note,
            ends_at,
            by: actor.user.id,
            now,
        },
    )
    .await?;
    let letter = super::mail::banned(participant.language, category, &note, ends_at);
    crate::store::outbox::enqueue(db, &participant.email, &letter.subject, &letter.body, now)
        .await?;
    actor
        .audit(
            db,
            "participant.ban",
            participant.id.to_string(),
            Some(category.to_owned()),
        )
        .await;
    Ok(id)
}

/// A participant appeals their current ban, once.
pub async fn appeal(
    db: &Db,
    participant: &crate::participants::Participant,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), BanError> {
    let text = super::bans::check_text(text, "moderation.error.appeal_missing")
        .map_err(|key| BanError::Invalid(vec![("appeal", key)]))?;
    let ban = super::db::active_ban(db, participant.id, now)
        .await?
        .ok_or(BanError::NotFound)?;
    if !super::db::appeal(db, ban.id, participant.id, &text, now).await? {
        return Err(BanError::Already);
    }
    Ok(())
}

/// A moderator other than the one who banned upholds or lifts an appealed ban; the
/// participant is emailed the outcome in their language.
pub async fn decide_appeal(
    db: &Db,
    actor: &Actor,
    ban: Uuid,
    lift: bool,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), BanError> {
    let note = super::bans::check_text(note, "moderation.error.note_missing")
        .map_err(|key| BanError::Invalid(vec![("note", key)]))?;
    let found = super::db::ban_for(db, ban)
        .await?
        .filter(|b| b.appealed)
        .ok_or(BanError::NotFound)?;
    if found.banned_by == actor.user.id {
        return Err(BanError::SameModerator);
    }
    if found.decided || !super::db::decide_appeal(db, ban, lift, &note, actor.user.id, now).await? {
        return Err(BanError::Already);
    }
    if let Some(participant) = crate::participants::db::find(db, found.participant).await? {
        let letter = super::mail::appeal_decided(participant.language, lift, &note);
        crate::store::outbox::enqueue(db, &participant.email, &letter.subject, &letter.body, now)
            .await?;
    }
    let action = if lift {
        "participant.appeal_lifted"
    } else {
        "participant.appeal_upheld"
    };
    actor
        .audit(
            db,
            action,
            found.participant.to_string(),
            Some(ban.to_string()),
        )
        .await;
    Ok(())
}
