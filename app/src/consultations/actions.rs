//! The consultation's use cases: reading the document and its comments as a viewer sees them,
//! commenting and replying (screened first), marking helpful, flagging, answering as the
//! ministry, and editing the document's sections. The form handlers call these; they check
//! everything themselves. Moderators' decisions are in `crate::moderation::actions`.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::db::{self, CommentRow, Flagged, NewComment, Scope, Viewer};
use super::rules::{self, Problems, SectionInput};
use super::{
    Author, Comment, CommentState, Commenting, Discussion, Document, SectionCount, Thread,
};
use crate::audit::Actor;
use crate::moderation::{self, Report};
use crate::opportunities::{Opportunity, OpportunityKind, Status};
use crate::participants::Participant;
use crate::store::{Db, StoreError};
use crate::text::Text;

/// Why a comment action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum CommentError {
    #[error("invalid input")]
    Invalid(Problems),
    /// No such consultation, section or comment (or not one this viewer may see).
    #[error("not found")]
    NotFound,
    /// The consultation is not open for comments (not yet, or any more).
    #[error("closed")]
    Closed,
    /// Too many comments from this participant in a short time.
    #[error("too many comments")]
    TooMany,
    /// Marking one's own comment helpful, or flagging it.
    #[error("own comment")]
    Own,
    /// A moderator banned this participant from commenting (for now).
    #[error("banned")]
    Banned,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A comment just posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posted {
    pub id: Uuid,
    /// Screening held it for a moderator.
    pub held: bool,
}

fn title_of(opportunity: &Opportunity) -> Text {
    Text::new(&opportunity.title_ar, &opportunity.title_en)
}

/// A published consultation, or nothing.
async fn consultation(db: &Db, id: Uuid) -> Result<Option<Opportunity>, StoreError> {
    Ok(crate::opportunities::db::find(db, id)
        .await?
        .filter(|o| o.published && o.kind == OpportunityKind::Consultation))
}

/// The document and its counts.
async fn document_of(db: &Db, id: Uuid) -> Result<Document, StoreError> {
    let sections = db::sections(db, id).await?;
    let counts = db::counts(db, id).await?;
    let count_of = |section: Option<Uuid>| {
        counts
            .iter()
            .find(|(s, _)| *s == section)
            .map_or(0, |(_, n)| *n)
    };
    Ok(Document {
        opportunity_id: id,
        whole: count_of(None),
        total: counts.iter().map(|(_, n)| n).sum(),
        sections: sections
            .into_iter()
            .map(|section| SectionCount {
                comments: count_of(Some(section.id)),
                section,
            })
            .collect(),
    })
}

pub async fn document(db: &Db, id: Uuid) -> Result<Option<Document>, StoreError> {
    match consultation(db, id).await? {
        Some(_) => Ok(Some(document_of(db, id).await?)),
        None => Ok(None),
    }
}

/// What this participant (or visitor) can do about commenting on `opportunity` now.
async fn commenting(
    db: &Db,
    opportunity: &Opportunity,
    participant: Option<&Participant>,
    now: DateTime<Utc>,
) -> Result<Commenting, StoreError> {
    if let Some(p) = participant
        && opportunity.status(now) == Status::Open
        && crate::moderation::db::active_ban(db, p.id, now)
            .await?
            .is_some()
    {
        return Ok(Commenting::Banned);
    }
    Ok(match (opportunity.status(now), participant) {
        (Status::Open, None) => Commenting::SignIn,
        (Status::Open, Some(p)) if p.display_name.is_empty() => Commenting::NeedsName,
        (Status::Open, Some(_)) => Commenting::Open,
        (status, _) => Commenting::Closed(status),
    })
}

/// A stored comment as `viewer` sees it (hidden text stays with staff).
fn shown(row: CommentRow, viewer: Viewer, marked: &[Uuid], flagged: &[Uuid]) -> Comment {
    let state = row.state();
    let mine = matches!(viewer, Viewer::Public(Some(me)) if row.participant_id == Some(me));
    let author = match (row.staff_id, row.participant_id, row.display_name) {
        (Some(_), _, _) => Author::Ministry,
        (None, Some(_), Some(name)) => Author::Participant(name),
        _ => Author::Former,
    };
    let body = if state == CommentState::Hidden && viewer != Viewer::Staff {
        String::new()
    } else {
        row.body
    };
    Comment {
        id: row.id,
        section_id: row.section_id,
        parent_id: row.parent_id,
        author,
        body,
        lang: rules::comment_locale(&row.lang),
        state,
        hidden_category: row.hidden_category,
        helpful: row.helpful,
        created_at: row.created_at,
        mine,
        marked: marked.contains(&row.id),
        flagged: flagged.contains(&row.id),
        replies: Vec::new(),
        reply_count: row.reply_count,
    }
}

/// A stored comment as staff see it (hidden text included).
pub fn shown_to_staff(row: CommentRow) -> Comment {
    shown(row, Viewer::Staff, &[], &[])
}

/// Top-level rows with their replies (up to `replies_each`, or all), as `viewer` sees them.
async fn with_replies(
    db: &Db,
    rows: Vec<CommentRow>,
    viewer: Viewer,
    replies_each: Option<usize>,
) -> Result<Vec<Comment>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let replies = db::replies(db, &ids, viewer).await?;
    let (marked, flagged) = match viewer {
        Viewer::Public(Some(me)) => {
            let all: Vec<Uuid> = ids
                .iter()
                .copied()
                .chain(replies.iter().map(|r| r.id))
                .collect();
            db::marks(db, me, &all).await?
        }
        _ => (Vec::new(), Vec::new()),
    };
    let mut comments: Vec<Comment> = rows
        .into_iter()
        .map(|row| shown(row, viewer, &marked, &flagged))
        .collect();
    for reply in replies {
        let Some(parent) = comments.iter_mut().find(|c| Some(c.id) == reply.parent_id) else {
            continue;
        };
        if replies_each.is_none_or(|n| parent.replies.len() < n) {
            parent.replies.push(shown(reply, viewer, &marked, &flagged));
        }
    }
    Ok(comments)
}

/// Which comments a `section` query asks for: a section's id, "document", or all.
fn scope(section: Option<&str>, document: &Document) -> Option<Scope> {
    match section.map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(Scope::All),
        Some("document") => Some(Scope::Whole),
        Some(id) => {
            let id = id.parse::<Uuid>().ok()?;
            document
                .sections
                .iter()
                .any(|s| s.section.id == id)
                .then_some(Scope::Section(id))
        }
    }
}

fn pages(count: i64) -> i64 {
    ((count + rules::PAGE_SIZE - 1) / rules::PAGE_SIZE).max(1)
}

/// A page of comments as the viewer sees them. An unknown section or a page past the last
/// shows the last page of all comments rather than nothing.
pub async fn discussion(
    db: &Db,
    id: Uuid,
    section: Option<&str>,
    page: i64,
    participant: Option<&Participant>,
    now: DateTime<Utc>,
) -> Result<Option<Discussion>, StoreError> {
    let Some(opportunity) = consultation(db, id).await? else {
        return Ok(None);
    };
    let document = document_of(db, id).await?;
    let scope = scope(section, &document).unwrap_or(Scope::All);
    let viewer = Viewer::Public(participant.map(|p| p.id));
    let count = db::count(db, id, scope, viewer).await?;
    let pages = pages(count);
    let page = page.clamp(1, pages);
    let rows = db::page(
        db,
        id,
        scope,
        viewer,
        (page - 1) * rules::PAGE_SIZE,
        rules::PAGE_SIZE,
    )
    .await?;
    let comments = with_replies(db, rows, viewer, Some(rules::REPLIES_SHOWN as usize)).await?;
    let section = match scope {
        Scope::Section(s) => document
            .sections
            .iter()
            .find(|c| c.section.id == s)
            .map(|c| c.section.clone()),
        _ => None,
    };
    Ok(Some(Discussion {
        opportunity_id: id,
        title: title_of(&opportunity),
        whole_only: scope == Scope::Whole,
        section,
        document,
        comments,
        page,
        pages,
        count,
        commenting: commenting(db, &opportunity, participant, now).await?,
        closes_at: opportunity.ends_at,
        now,
        following: match participant {
            Some(p) => Some(super::follow::is_following(db, id, p.id).await?),
            None => None,
        },
    }))
}

/// One top-level comment with all its replies; `None` when the viewer may not see it.
pub async fn thread(
    db: &Db,
    id: Uuid,
    comment: Uuid,
    participant: Option<&Participant>,
    now: DateTime<Utc>,
) -> Result<Option<Thread>, StoreError> {
    let Some(opportunity) = consultation(db, id).await? else {
        return Ok(None);
    };
    let Some(row) = db::find(db, comment).await? else {
        return Ok(None);
    };
    let viewer = Viewer::Public(participant.map(|p| p.id));
    let visible =
        row.state() != CommentState::Held || participant.map(|p| p.id) == row.participant_id;
    if row.opportunity_id != id || row.parent_id.is_some() || !visible {
        return Ok(None);
    }
    let section = match row.section_id {
        Some(s) => db::sections(db, id).await?.into_iter().find(|x| x.id == s),
        None => None,
    };
    let comment = with_replies(db, vec![row], viewer, None)
        .await?
        .pop()
        .expect("one row in, one comment out");
    Ok(Some(Thread {
        opportunity_id: id,
        title: title_of(&opportunity),
        section,
        comment,
        commenting: commenting(db, &opportunity, participant, now).await?,
        now,
    }))
}

/// The title and sections of any consultation, for staff; `None` when it is not a
/// consultation.
pub async fn staff_document(
    db: &Db,
    id: Uuid,
) -> Result<Option<(Text, Vec<SectionCount>)>, StoreError> {
    let Some(opportunity) = crate::opportunities::db::find(db, id)
        .await?
        .filter(|o| o.kind == OpportunityKind::Consultation)
    else {
        return Ok(None);
    };
    Ok(Some((
        title_of(&opportunity),
        document_of(db, id).await?.sections,
    )))
}

/// A page of a consultation's comments in every state, for staff.
pub async fn staff_discussion(
    db: &Db,
    id: Uuid,
    page: i64,
    now: DateTime<Utc>,
) -> Result<Option<Discussion>, StoreError> {
    let Some(opportunity) = crate::opportunities::db::find(db, id)
        .await?
        .filter(|o| o.kind == OpportunityKind::Consultation)
    else {
        return Ok(None);
    };
    let document = document_of(db, id).await?;
    let count = db::count(db, id, Scope::All, Viewer::Staff).await?;
    let pages = pages(count);
    let page = page.clamp(1, pages);
    let offset = (page - 1) * rules::PAGE_SIZE;
    let rows = db::page(db, id, Scope::All, Viewer::Staff, offset, rules::PAGE_SIZE).await?;
    let comments = with_replies(db, rows, Viewer::Staff, None).await?;
    Ok(Some(Discussion {
        opportunity_id: id,
        title: title_of(&opportunity),
        document,
        section: None,
        whole_only: false,
        comments,
        page,
        pages,
        count,
        commenting: Commenting::Closed(opportunity.status(now)),
        closes_at: opportunity.ends_at,
        now,
        following: None,
    }))
}

/// Saves a display name typed with a first comment (a participant without one).
async fn ensure_name(
    db: &Db,
    participant: &Participant,
    typed: Option<&str>,
) -> Result<(), CommentError> {
    if !participant.display_name.is_empty() {
        return Ok(());
    }
    let input = crate::participants::rules::ProfileInput {
        display_name: typed.unwrap_or_default().to_owned(),
        language: participant.language.code().to_owned(),
        group: participant
            .group
            .map(|g| g.code().to_owned())
            .unwrap_or_default(),
    };
    let profile =
        crate::participants::rules::check_profile(&input).map_err(CommentError::Invalid)?;
    crate::participants::db::update_profile(db, participant.id, &profile).await?;
    Ok(())
}

/// Posts a participant's comment (on the document or a section) or reply (to a top-level
/// comment), screened first: held when screening finds anything. `name`: the display name
/// typed with a first comment.
#[allow(clippy::too_many_arguments)]
pub async fn post(
    db: &Db,
    participant: &Participant,
    opportunity: Uuid,
    section: Option<Uuid>,
    parent: Option<Uuid>,
    text: &str,
    name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Posted, CommentError> {
    let found = consultation(db, opportunity)
        .await?
        .ok_or(CommentError::NotFound)?;
    if found.status(now) != Status::Open {
        return Err(CommentError::Closed);
    }
    let mut problems = Problems::new();
    let body = rules::check_comment(text).map_err(|key| problems.push(("body", key)));
    if participant.display_name.is_empty() {
        let input = crate::participants::rules::ProfileInput {
            display_name: name.unwrap_or_default().to_owned(),
            language: participant.language.code().to_owned(),
            group: String::new(),
        };
        if let Err(more) = crate::participants::rules::check_profile(&input) {
            problems.extend(more);
        }
    }
    let body = match body {
        Ok(body) if problems.is_empty() => body,
        _ => return Err(CommentError::Invalid(problems)),
    };
    if crate::moderation::db::active_ban(db, participant.id, now)
        .await?
        .is_some()
    {
        return Err(CommentError::Banned);
    }
    let since = now - Duration::minutes(rules::RATE_MINUTES);
    if db::posted_since(db, participant.id, since).await? >= rules::RATE_LIMIT {
        return Err(CommentError::TooMany);
    }
    let section = match (parent, section) {
        (Some(parent), _) => {
            let parent = db::find(db, parent)
                .await?
                .filter(|p| p.opportunity_id == opportunity && p.parent_id.is_none())
                .filter(|p| p.state() == CommentState::Published)
                .ok_or(CommentError::NotFound)?;
            parent.section_id
        }
        (None, Some(section)) => {
            let known = db::sections(db, opportunity)
                .await?
                .iter()
                .any(|s| s.id == section);
            if !known {
                return Err(CommentError::NotFound);
            }
            Some(section)
        }
        (None, None) => None,
    };
    ensure_name(db, participant, name).await?;
    let screening = moderation::screen::screen(&body, None);
    let report = Report::from(&screening);
    let held = report.decision == "hold";
    let id = Uuid::now_v7();
    let stored = if held {
        serde_json::to_string(&report).unwrap_or_default()
    } else {
        String::new()
    };
    db::insert(
        db,
        &NewComment {
            id,
            opportunity,
            section,
            parent,
            participant: Some(participant.id),
            staff: None,
            body: &body,
            lang: &report.lang,
            state: if held {
                CommentState::Held
            } else {
                CommentState::Published
            },
            screening: &stored,
            held_by: held.then_some("screening"),
            now,
        },
    )
    .await?;
    Ok(Posted { id, held })
}

/// Staff answer a top-level comment as the ministry: an official reply, published at once
/// (staff are accountable in the audit log, not screened).
pub async fn answer(
    db: &Db,
    actor: &Actor,
    opportunity: Uuid,
    parent: Uuid,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, CommentError> {
    let body =
        rules::check_comment(text).map_err(|key| CommentError::Invalid(vec![("body", key)]))?;
    let parent_row = db::find(db, parent)
        .await?
        .filter(|p| p.opportunity_id == opportunity && p.parent_id.is_none())
        .ok_or(CommentError::NotFound)?;
    let lang = moderation::screen::detect_language(&body).key();
    let id = Uuid::now_v7();
    db::insert(
        db,
        &NewComment {
            id,
            opportunity,
            section: parent_row.section_id,
            parent: Some(parent),
            participant: None,
            staff: Some(actor.user.id),
            body: &body,
            lang,
            state: CommentState::Published,
            screening: "",
            held_by: None,
            now,
        },
    )
    .await?;
    actor
        .audit(
            db,
            "comment.answer",
            id.to_string(),
            Some(parent.to_string()),
        )
        .await;
    Ok(id)
}

/// Someone else's comment of a published consultation that a participant acts on: published,
/// or (`any_state`) held or hidden too.
async fn others_comment(
    db: &Db,
    participant: &Participant,
    opportunity: Uuid,
    comment: Uuid,
    any_state: bool,
) -> Result<CommentRow, CommentError> {
    consultation(db, opportunity)
        .await?
        .ok_or(CommentError::NotFound)?;
    let row = db::find(db, comment)
        .await?
        .filter(|c| c.opportunity_id == opportunity)
        .filter(|c| any_state || c.state() == CommentState::Published)
        .ok_or(CommentError::NotFound)?;
    if row.participant_id == Some(participant.id) {
        return Err(CommentError::Own);
    }
    Ok(row)
}

/// Marks a comment helpful, once per participant (again is a no-op).
pub async fn mark_helpful(
    db: &Db,
    participant: &Participant,
    opportunity: Uuid,
    comment: Uuid,
    now: DateTime<Utc>,
) -> Result<(), CommentError> {
    others_comment(db, participant, opportunity, comment, false).await?;
    db::mark_helpful(db, comment, participant.id, now).await?;
    Ok(())
}

/// Flags a comment with a policy category, once per participant; true when this flag held it
/// for review again. A comment already held (by others' flags) or hidden takes the flag too:
/// the participant reporting it is not told it has vanished.
pub async fn flag(
    db: &Db,
    participant: &Participant,
    opportunity: Uuid,
    comment: Uuid,
    category: &str,
    threshold: i64,
    now: DateTime<Utc>,
) -> Result<bool, CommentError> {
    if !moderation::CATEGORIES.contains(&category) {
        return Err(CommentError::Invalid(vec![(
            "category",
            "consultations.error.category",
        )]));
    }
    others_comment(db, participant, opportunity, comment, true).await?;
    let flagged = db::flag(db, comment, participant.id, category, threshold.max(1), now).await?;
    Ok(flagged == Flagged::Held)
}

/// Any consultation, for staff editing its document.
async fn editable(db: &Db, opportunity: Uuid) -> Result<(), CommentError> {
    crate::opportunities::db::find(db, opportunity)
        .await?
        .filter(|o| o.kind == OpportunityKind::Consultation)
        .map(|_| ())
        .ok_or(CommentError::NotFound)
}

/// Adds a section at the end of a consultation's document.
pub async fn add_section(
    db: &Db,
    actor: &Actor,
    opportunity: Uuid,
    input: &SectionInput,
    now: DateTime<Utc>,
) -> Result<Uuid, CommentError> {
    editable(db, opportunity).await?;
    let section = rules::check_section(input).map_err(CommentError::Invalid)?;
    let id = db::insert_section(db, opportunity, &section, now).await?;
    actor
        .audit(
            db,
            "document.section_add",
            opportunity.to_string(),
            Some(id.to_string()),
        )
        .await;
    Ok(id)
}

/// Changes a section's text.
pub async fn save_section(
    db: &Db,
    actor: &Actor,
    opportunity: Uuid,
    section: Uuid,
    input: &SectionInput,
    now: DateTime<Utc>,
) -> Result<(), CommentError> {
    editable(db, opportunity).await?;
    let checked = rules::check_section(input).map_err(CommentError::Invalid)?;
    if !db::update_section(db, opportunity, section, &checked, now).await? {
        return Err(CommentError::NotFound);
    }
    actor
        .audit(
            db,
            "document.section_update",
            opportunity.to_string(),
            Some(section.to_string()),
        )
        .await;
    Ok(())
}

/// Removes a section; its comments stay, on the whole document.
pub async fn remove_section(
    db: &Db,
    actor: &Actor,
    opportunity: Uuid,
    section: Uuid,
) -> Result<(), CommentError> {
    editable(db, opportunity).await?;
    if !db::delete_section(db, opportunity, section).await? {
        return Err(CommentError::NotFound);
    }
    actor
        .audit(
            db,
            "document.section_remove",
            opportunity.to_string(),
            Some(section.to_string()),
        )
        .await;
    Ok(())
}
