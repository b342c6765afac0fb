//! Consultations people comment on (issue 15 §2, MISSION.md §1 "e-forums", §3, §6.2): a
//! consultation opportunity carries a document in sections, written in both languages by
//! staff; signed-in participants comment on the whole document or on a section, reply one
//! level, mark comments helpful and flag them; staff answer as the ministry.
//!
//! Invariants: every participant's comment and reply is screened (`moderation::screen`)
//! before it is stored: clean ones publish at once, suspected ones are held for a moderator
//! and only their author sees them (marked as waiting). A hidden comment is never deleted: the
//! public sees a notice naming the policy category. A reply's parent is never a reply.
//! Commenting is open while the consultation is ([`crate::opportunities::status`]). Every
//! moderation decision bumps the comment's `version`, so of two moderators acting at once one
//! wins and the other is told. Comments are plain text, shown escaped, links as text.
//! Pure checks are in `rules`, SQL in `db`, the use cases in `actions`, public pages in
//! `views`, staff pages in `staff_views`; the moderation queue is in `crate::moderation`.

#[cfg(feature = "ssr")]
pub mod actions;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod follow;
pub mod rules;
pub mod staff_views;
pub mod views;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Locale;
use crate::opportunities::Status;
use crate::text::Text;
use crate::text::in_locale;

/// A section of a consultation's document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub id: Uuid,
    pub position: i64,
    pub heading_ar: String,
    pub heading_en: String,
    pub body_ar: String,
    pub body_en: String,
}

impl Section {
    pub fn heading(&self, locale: Locale) -> &str {
        in_locale(locale, &self.heading_ar, &self.heading_en)
    }

    pub fn body(&self, locale: Locale) -> &str {
        in_locale(locale, &self.body_ar, &self.body_en)
    }
}

/// Where a comment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentState {
    Published,
    /// Waiting for a moderator (screening or flags held it); only its author sees it.
    Held,
    /// Hidden by a moderator, citing a policy category; the public sees a notice.
    Hidden,
}

impl CommentState {
    pub const ALL: [CommentState; 3] = [
        CommentState::Published,
        CommentState::Held,
        CommentState::Hidden,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CommentState::Published => "published",
            CommentState::Held => "held",
            CommentState::Hidden => "hidden",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Who wrote a comment, as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Author {
    Participant(String),
    /// The participant deleted their account.
    Former,
    /// An official reply.
    Ministry,
}

/// A comment as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: Uuid,
    pub section_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub author: Author,
    /// Empty when hidden (the notice shows instead) — except for staff pages.
    pub body: String,
    pub lang: Locale,
    pub state: CommentState,
    /// A policy category key, when hidden.
    pub hidden_category: Option<String>,
    pub helpful: i64,
    pub created_at: DateTime<Utc>,
    /// The viewer wrote it.
    pub mine: bool,
    /// The viewer marked it helpful.
    pub marked: bool,
    /// The viewer flagged it.
    pub flagged: bool,
    /// Published replies (and the viewer's own held ones), oldest first; top-level only.
    pub replies: Vec<Comment>,
    pub reply_count: i64,
}

/// What the viewer can do about commenting here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Commenting {
    /// Signed in and open.
    Open,
    /// Open, but they must sign in first.
    SignIn,
    /// Signed in but without a display name yet: the form asks for one.
    NeedsName,
    /// A moderator banned them from commenting for now (answering surveys stays open).
    Banned,
    /// Not open yet, or closed.
    Closed(Status),
}

/// A section and how many published comments it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionCount {
    pub section: Section,
    pub comments: i64,
}

/// A consultation's document with its comment counts (the opportunity page shows it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub opportunity_id: Uuid,
    pub sections: Vec<SectionCount>,
    /// Published top-level comments on the whole document (no section).
    pub whole: i64,
    /// Published top-level comments in all.
    pub total: i64,
}

/// A page of a consultation's comments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discussion {
    pub opportunity_id: Uuid,
    pub title: Text,
    pub document: Document,
    /// The section the page is about; `None`: every comment.
    pub section: Option<Section>,
    /// Only the comments on the whole document.
    pub whole_only: bool,
    pub comments: Vec<Comment>,
    pub page: i64,
    pub pages: i64,
    /// Top-level comments matching (published, plus the viewer's held ones).
    pub count: i64,
    pub commenting: Commenting,
    pub closes_at: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
    /// Whether the signed-in participant follows it (`None`: nobody is signed in).
    #[serde(default)]
    pub following: Option<bool>,
}

/// One comment with its replies, and the reply form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    pub opportunity_id: Uuid,
    pub title: Text,
    pub section: Option<Section>,
    pub comment: Comment,
    pub commenting: Commenting,
    pub now: DateTime<Utc>,
}

/// The path of a consultation's comments.
pub fn comments_path(locale: Locale, opportunity: Uuid) -> String {
    format!("/{}/opportunities/{opportunity}/comments", locale.code())
}

/// The path of one comment's thread.
pub fn thread_path(locale: Locale, opportunity: Uuid, comment: Uuid) -> String {
    format!(
        "/{}/opportunities/{opportunity}/comments/{comment}",
        locale.code()
    )
}

/// The catalogue key of a policy category's name (`moderation.category.<key>`).
pub fn category_label_key(category: &str) -> String {
    format!("moderation.category.{category}")
}

#[cfg(feature = "ssr")]
fn context() -> Result<
    (
        crate::store::Db,
        Option<crate::participants::Participant>,
        Option<crate::accounts::CurrentUser>,
    ),
    leptos::prelude::ServerFnError,
> {
    use leptos::prelude::*;
    let parts =
        use_context::<http::request::Parts>().ok_or_else(|| ServerFnError::new("no request"))?;
    let db = use_context::<crate::store::Db>().ok_or_else(|| ServerFnError::new("no database"))?;
    let participant = parts
        .extensions
        .get::<crate::participants::CurrentParticipant>()
        .map(|p| p.0.clone());
    let user = parts
        .extensions
        .get::<crate::accounts::CurrentUser>()
        .cloned();
    Ok((db, participant, user))
}

/// A published consultation's document and counts; `None` for anything else. Public.
#[leptos::server(endpoint = "consultations/document")]
pub async fn load_document(id: Uuid) -> Result<Option<Document>, leptos::prelude::ServerFnError> {
    let (db, _, _) = context()?;
    actions::document(&db, id)
        .await
        .map_err(crate::server_fns::storage_failure(
            "reading a consultation's document",
        ))
}

/// A page of a published consultation's comments, as the viewer sees them; `None` when there
/// is no such consultation. `section`: a section's id, or "document" for comments on the whole
/// document. Public.
#[leptos::server(endpoint = "consultations/discussion")]
pub async fn load_discussion(
    id: Uuid,
    section: Option<String>,
    page: Option<i64>,
) -> Result<Option<Discussion>, leptos::prelude::ServerFnError> {
    let (db, participant, _) = context()?;
    actions::discussion(
        &db,
        id,
        section.as_deref(),
        page.unwrap_or(1),
        participant.as_ref(),
        Utc::now(),
    )
    .await
    .map_err(crate::server_fns::storage_failure("reading comments"))
}

/// One comment of a published consultation with its replies; `None` when not found (or held
/// and not the viewer's, or itself a reply: its thread is its parent's). Public.
#[leptos::server(endpoint = "consultations/thread")]
pub async fn load_thread(
    id: Uuid,
    comment: Uuid,
) -> Result<Option<Thread>, leptos::prelude::ServerFnError> {
    let (db, participant, _) = context()?;
    actions::thread(&db, id, comment, participant.as_ref(), Utc::now())
        .await
        .map_err(crate::server_fns::storage_failure("reading a comment"))
}

/// A consultation's document for staff to edit (any consultation, published or not).
#[leptos::server(endpoint = "consultations/staff/document")]
pub async fn staff_document(
    id: Uuid,
) -> Result<Option<(Text, Vec<SectionCount>)>, leptos::prelude::ServerFnError> {
    use crate::accounts::{Permission, authorize};
    let db = authorize(Permission::ReadSurveys)?;
    actions::staff_document(&db, id)
        .await
        .map_err(crate::server_fns::storage_failure(
            "reading a document for staff",
        ))
}

/// A page of a consultation's top-level comments in every state, for staff to answer.
#[leptos::server(endpoint = "consultations/staff/comments")]
pub async fn staff_comments(
    id: Uuid,
    page: Option<i64>,
) -> Result<Option<Discussion>, leptos::prelude::ServerFnError> {
    use crate::accounts::{Permission, authorize};
    let db = authorize(Permission::AnswerComments)?;
    actions::staff_discussion(&db, id, page.unwrap_or(1), Utc::now())
        .await
        .map_err(crate::server_fns::storage_failure(
            "reading comments for staff",
        ))
}
