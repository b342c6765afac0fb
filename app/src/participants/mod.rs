//! Participants (issue 15, MISSION.md §1 and §7): people who sign in with their email — a
//! one-time link or a six-digit code sent through the outbox, no password — to follow the
//! feedback they sent and, later, to comment. Anyone may still answer surveys and send
//! feedback without an account.
//!
//! Invariants: participants are not staff. They have their own tables and their own session
//! cookie, and the server only ever puts a [`CurrentParticipant`] (never a `CurrentUser`) on a
//! request from a participant session, so no staff permission is reachable with one. Sign-in
//! links, codes and session tokens are stored as SHA-256 hashes; a sign-in is used once, within
//! [`rules::SIGN_IN_MINUTES`], and a code allows [`rules::CODE_ATTEMPTS`] tries. Deleting an
//! account deletes the participant and their sessions and erases their contact details from
//! the feedback they sent (the cases stay, anonymous).
//! Pure checks are in `rules`, SQL in `db`, the use cases in `actions`, the emails in `mail`,
//! the pages in `views`.

#[cfg(feature = "ssr")]
pub mod actions;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod rules;
pub mod views;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Locale;
use crate::consultations::CommentState;
use crate::feedback::{CaseState, Tracked};
use crate::groups::StakeholderGroup;
use crate::text::Text;

/// A participant's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: Uuid,
    pub email: String,
    /// Shown next to what they publish; empty until they choose one.
    pub display_name: String,
    pub language: Locale,
    pub group: Option<StakeholderGroup>,
    pub created_at: DateTime<Utc>,
}

/// The participant a request's session belongs to (set by the server's session layer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentParticipant(pub Participant);

/// A feedback case in the participant's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCase {
    pub id: Uuid,
    pub reference: String,
    pub topic: String,
    pub state: CaseState,
    pub received_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
}

/// A comment or reply in the participant's account, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyComment {
    pub id: Uuid,
    pub opportunity_id: Uuid,
    /// The comment it answers, for a reply.
    pub parent_id: Option<Uuid>,
    /// The consultation's title.
    pub title: Text,
    /// The start of the comment, as typed.
    pub excerpt: String,
    /// The language it was written in.
    pub lang: Locale,
    pub state: CommentState,
    /// A policy category key, when hidden.
    pub hidden_category: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl MyComment {
    /// The thread it belongs to (a reply's is its parent's).
    pub fn thread_path(&self, locale: Locale) -> String {
        crate::consultations::thread_path(
            locale,
            self.opportunity_id,
            self.parent_id.unwrap_or(self.id),
        )
    }
}

/// The account page: the profile and what the participant sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub participant: Participant,
    pub cases: Vec<MyCase>,
    pub comments: Vec<MyComment>,
    /// Published outcomes of the consultations and surveys they took part in or follow.
    pub outcomes: Vec<crate::outcomes::Outcome>,
    pub now: DateTime<Utc>,
}

/// The path of the account page.
pub fn account_path(locale: Locale) -> String {
    format!("/{}/account", locale.code())
}

/// The path of one of the participant's cases.
pub fn case_path(locale: Locale, case: Uuid) -> String {
    format!("/{}/account/feedback/{case}", locale.code())
}

/// The signed-in participant of this request, with the database.
#[cfg(feature = "ssr")]
fn signed_in() -> Result<Option<(crate::store::Db, Participant)>, leptos::prelude::ServerFnError> {
    use leptos::prelude::*;
    let parts =
        use_context::<http::request::Parts>().ok_or_else(|| ServerFnError::new("no request"))?;
    let db = use_context::<crate::store::Db>().ok_or_else(|| ServerFnError::new("no database"))?;
    Ok(parts
        .extensions
        .get::<CurrentParticipant>()
        .map(|p| (db, p.0.clone())))
}

/// The signed-in participant's account; `None` when signed out.
#[leptos::server(endpoint = "participants/account")]
pub async fn my_account() -> Result<Option<AccountView>, leptos::prelude::ServerFnError> {
    let Some((db, participant)) = signed_in()? else {
        return Ok(None);
    };
    let cases =
        db::cases(&db, participant.id)
            .await
            .map_err(crate::server_fns::storage_failure(
                "listing a participant's cases",
            ))?;
    let comments =
        db::comments(&db, participant.id)
            .await
            .map_err(crate::server_fns::storage_failure(
                "listing a participant's comments",
            ))?;
    let outcomes = crate::outcomes::db::for_participant(&db, participant.id)
        .await
        .map_err(crate::server_fns::storage_failure(
            "listing a participant's outcomes",
        ))?;
    Ok(Some(AccountView {
        participant,
        cases,
        comments,
        outcomes,
        now: Utc::now(),
    }))
}

/// One of the signed-in participant's cases, as its tracking page shows it; `None` when it is
/// not theirs (or they are signed out).
#[leptos::server(endpoint = "participants/case")]
pub async fn my_feedback_case(id: Uuid) -> Result<Option<Tracked>, leptos::prelude::ServerFnError> {
    let Some((db, participant)) = signed_in()? else {
        return Ok(None);
    };
    crate::feedback::db::tracked_for_participant(&db, participant.id, id, Utc::now())
        .await
        .map_err(crate::server_fns::storage_failure(
            "reading a participant's case",
        ))
}

/// Who is signed in, for forms that offer to use the account's details: (name, email).
#[leptos::server(endpoint = "participants/me")]
pub async fn signed_in_participant()
-> Result<Option<(String, String)>, leptos::prelude::ServerFnError> {
    Ok(signed_in()?.map(|(_, p)| (p.display_name, p.email)))
}
