//! Bans and appeals (issue 15 §7), and the moderation figures (§8). A moderator bans a
//! participant from commenting for a while or for good, citing a policy category and a note
//! the participant is shown; answering surveys stays open to them (answering is a right,
//! commenting a privilege). The participant may appeal once; a different moderator upholds or
//! lifts the ban, and the participant is told by email either way.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The ban lengths a moderator chooses from, in days; `None` is permanent.
pub const DURATIONS: [Option<i64>; 4] = [Some(7), Some(30), Some(90), None];

/// The longest note or appeal, in characters.
pub const TEXT_MAX: usize = 2000;

/// A ban as its participant and moderators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ban {
    pub id: Uuid,
    /// A policy category key.
    pub category: String,
    pub note: String,
    /// `None`: permanent.
    pub ends_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub lifted_at: Option<DateTime<Utc>>,
    pub appeal_text: Option<String>,
    pub appealed_at: Option<DateTime<Utc>>,
    /// `upheld` or `lifted`, once decided.
    pub appeal_decision: Option<String>,
    pub appeal_note: Option<String>,
}

impl Ban {
    /// Whether it stops its participant commenting at `now`.
    pub fn active(&self, now: DateTime<Utc>) -> bool {
        self.lifted_at.is_none() && self.ends_at.is_none_or(|end| end > now)
    }

    /// Whether its participant may still appeal.
    pub fn appealable(&self, now: DateTime<Utc>) -> bool {
        self.active(now) && self.appealed_at.is_none()
    }
}

/// An appeal waiting for a moderator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appeal {
    pub ban: Ban,
    pub participant: String,
    pub banned_by: String,
    /// The viewer made the ban, so another moderator must decide.
    pub own: bool,
}

/// An appeal that has been decided, for the appeals page's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecidedAppeal {
    pub ban: Ban,
    pub participant: String,
    pub banned_by: String,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}

/// How many decided appeals the history shows.
pub const HISTORY: i64 = 50;

/// The moderation figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub held: i64,
    pub published: i64,
    /// Hidden comments by category key, in the policy's order (zeros left out).
    pub hidden: Vec<(String, i64)>,
    /// The median time from posting to a moderator's decision, over the last 1,000 decisions;
    /// `None` before the first.
    pub median_decision_minutes: Option<i64>,
    pub open_appeals: i64,
}

/// Checks a note or an appeal: something, within [`TEXT_MAX`].
pub fn check_text(text: &str, missing: &'static str) -> Result<String, &'static str> {
    let text = text.replace("\r\n", "\n").trim().to_owned();
    if text.is_empty() {
        Err(missing)
    } else if text.chars().count() > TEXT_MAX {
        Err("moderation.error.text_long")
    } else {
        Ok(text)
    }
}

/// The path of the participant's ban page.
pub fn ban_path(locale: crate::Locale) -> String {
    format!("/{}/account/ban", locale.code())
}

/// The path of the appeals page.
pub fn appeals_path(locale: crate::Locale) -> String {
    format!("/{}/staff/moderation/appeals", locale.code())
}

/// The signed-in participant's current ban, or their latest one with an appeal decided (so
/// they can read the outcome); `None` otherwise.
#[leptos::server(endpoint = "moderation/my_ban")]
pub async fn my_ban() -> Result<Option<(Ban, DateTime<Utc>)>, leptos::prelude::ServerFnError> {
    use leptos::prelude::*;
    let parts =
        use_context::<http::request::Parts>().ok_or_else(|| ServerFnError::new("no request"))?;
    let db = use_context::<crate::store::Db>().ok_or_else(|| ServerFnError::new("no database"))?;
    let Some(me) = parts
        .extensions
        .get::<crate::participants::CurrentParticipant>()
    else {
        return Ok(None);
    };
    let ban = super::db::latest_ban(&db, me.0.id)
        .await
        .map_err(crate::server_fns::storage_failure("reading a ban"))?;
    Ok(ban.map(|b| (b, Utc::now())))
}

/// Open appeals, oldest first, for moderators.
#[leptos::server(endpoint = "moderation/appeals")]
pub async fn open_appeals() -> Result<Vec<Appeal>, leptos::prelude::ServerFnError> {
    use crate::accounts::{Permission, authorized_user};
    let (db, user) = authorized_user(Permission::Moderate)?;
    super::db::open_appeals(&db, user.id)
        .await
        .map_err(crate::server_fns::storage_failure("listing appeals"))
}

/// The latest [`HISTORY`] decided appeals, newest first, for moderators.
#[leptos::server(endpoint = "moderation/decided_appeals")]
pub async fn decided_appeals() -> Result<Vec<DecidedAppeal>, leptos::prelude::ServerFnError> {
    use crate::accounts::{Permission, authorize};
    let db = authorize(Permission::Moderate)?;
    super::db::decided_appeals(&db, HISTORY)
        .await
        .map_err(crate::server_fns::storage_failure(
            "listing decided appeals",
        ))
}

/// The moderation figures, for moderators.
#[leptos::server(endpoint = "moderation/figures")]
pub async fn moderation_figures() -> Result<Figures, leptos::prelude::ServerFnError> {
    use crate::accounts::{Permission, authorize};
    let db = authorize(Permission::Moderate)?;
    super::db::figures(&db)
        .await
        .map_err(crate::server_fns::storage_failure(
            "reading the moderation figures",
        ))
}
