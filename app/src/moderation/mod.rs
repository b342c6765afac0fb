//! Moderation (issue 15, MISSION.md §3): the automatic screening of comments and feedback
//! into the policy's nine categories and personal data, pure and in-process (`screen`); its
//! one report shape for storage, the CLI and the API ([`Report`]); moderators' decisions on
//! comments (`actions`) and their queue (`views`); bans, appeals and the figures (`bans`,
//! SQL in `db`, emails in `mail`, pages in `bans_views`).
//!
//! Invariants: the category keys are the policy's, in its order ([`CATEGORIES`]), everywhere
//! (API, CLI, exports, storage). A decision applies only to the version of the comment the
//! moderator saw: of two moderators acting at once, one wins and the other is told. Hiding
//! cites a category and never deletes; every decision is in the audit log.

#[cfg(feature = "ssr")]
pub mod actions;
pub mod bans;
pub mod bans_views;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(not(feature = "hydrate"))]
#[path = "screen.rs"]
pub mod screen;
pub mod views;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::consultations::Comment;
use crate::text::Text;

/// The policy's nine categories, in its order (`MISSION.md` §3).
pub const CATEGORIES: [&str; 9] = [
    "security",
    "language",
    "privacy",
    "illegal",
    "obscene",
    "spam",
    "discrimination",
    "political",
    "copyright",
];

/// One thing screening found, where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReasonReport {
    /// A category key, or a personal-data kind (`phone`, `email`, `emirates_id`, `address`).
    pub finding: String,
    /// Byte offsets in the text (UTF-8), on character boundaries.
    pub start: usize,
    pub end: usize,
    /// The text found there.
    pub matched: String,
    /// The rule that matched, in English.
    pub rule: String,
}

/// What screening decided about one text, as stored with a held comment and as the CLI and
/// the API answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Report {
    /// `publish` or `hold`.
    pub decision: String,
    /// Category keys found, in the policy's order.
    pub categories: Vec<String>,
    /// Personal-data kinds found: `phone`, `email`, `emirates_id`, `address`.
    pub personal_data: Vec<String>,
    pub reasons: Vec<ReasonReport>,
    /// The language the text was read in: `ar` or `en`.
    pub lang: String,
}

#[cfg(not(feature = "hydrate"))]
impl From<&screen::Screening> for Report {
    fn from(s: &screen::Screening) -> Self {
        Report {
            decision: s.decision.key().to_owned(),
            categories: s.categories.iter().map(|c| c.key().to_owned()).collect(),
            personal_data: s.personal_data.iter().map(|p| p.key().to_owned()).collect(),
            reasons: s
                .reasons
                .iter()
                .map(|r| ReasonReport {
                    finding: match r.finding {
                        screen::Finding::Category(c) => c.key(),
                        screen::Finding::PersonalData(p) => p.key(),
                    }
                    .to_owned(),
                    start: r.start,
                    end: r.end,
                    matched: r.matched.clone(),
                    rule: r.rule.to_owned(),
                })
                .collect(),
            lang: s.lang.key().to_owned(),
        }
    }
}

/// Screens a text (`lang`: "ar", "en", or detect it).
#[cfg(not(feature = "hydrate"))]
pub fn screen_text(text: &str, lang: Option<&str>) -> Report {
    let lang = match lang {
        Some("ar") => Some(screen::Lang::Ar),
        Some("en") => Some(screen::Lang::En),
        _ => None,
    };
    Report::from(&screen::screen(text, lang))
}

/// A comment in the moderation queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    pub comment: Comment,
    pub opportunity_id: Uuid,
    pub title: Text,
    /// What screening found (empty when it was held by flags).
    pub report: Option<Report>,
    /// `screening` or `flags`.
    pub held_by: Option<String>,
    /// Flags by category: (key, how many).
    pub flags: Vec<(String, i64)>,
    /// The version a decision must name.
    pub version: i64,
}

/// The queue's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    /// `held` or `hidden`.
    pub state: String,
    pub items: Vec<Queued>,
    pub count: i64,
    pub page: i64,
    pub pages: i64,
    pub now: DateTime<Utc>,
}

/// The path of the moderation queue.
pub fn queue_path(locale: crate::Locale) -> String {
    format!("/{}/staff/moderation", locale.code())
}

/// Held comments oldest first (or hidden ones, to restore), for moderators.
#[leptos::server(endpoint = "moderation/queue")]
pub async fn moderation_queue(
    state: Option<String>,
    page: Option<i64>,
) -> Result<Queue, leptos::prelude::ServerFnError> {
    use crate::accounts::{Permission, authorize};
    let db = authorize(Permission::Moderate)?;
    actions::queue(&db, state.as_deref(), page.unwrap_or(1), Utc::now())
        .await
        .map_err(crate::server_fns::storage_failure(
            "reading the moderation queue",
        ))
}
