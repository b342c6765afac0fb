//! Staff accounts: users, their roles, sign-in sessions and what each role may do.
//!
//! Invariants: an email address names at most one user (stored lower-cased); a password is
//! stored only as an argon2id hash; a session is valid only while its user is active and
//! within the idle and absolute timeouts; every permission decision goes through
//! [`Role::allows`] (via [`CurrentUser::can`]).
//! Participants answer without an account (MISSION.md §6.4); a later participant sign-in
//! (email link or the national identity provider) will add its own kind of principal here.

#[cfg(feature = "ssr")]
pub mod actions;
#[cfg(feature = "ssr")]
pub mod db;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod secrets;
pub mod team_views;
#[cfg(feature = "ssr")]
pub mod token_db;
pub mod token_views;
pub mod tokens;
pub mod views;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The staff roles of the policy. A user may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    /// Creates surveys, consultations and opportunities.
    Author,
    /// Member of a specialist team that replies to feedback (MISSION.md §7.1).
    Responder,
    Moderator,
    /// Decision-maker: reads results and reports, changes nothing.
    Analyst,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Author,
        Role::Responder,
        Role::Moderator,
        Role::Analyst,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Author => "author",
            Role::Responder => "responder",
            Role::Moderator => "moderator",
            Role::Analyst => "analyst",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The catalogue key of the role's name.
    pub fn label_key(self) -> String {
        format!("role.{}", self.code())
    }
}

/// Things a signed-in user may do. Pages, form handlers and API routes name one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See the staff area at all.
    EnterStaffArea,
    /// Add, change and deactivate users; manage teams; read the audit log.
    ManageUsers,
    /// Create and edit surveys, consultations and opportunities; publish, close and archive them.
    AuthorSurveys,
    /// See surveys and opportunities in every state, and preview them (analysts read; they
    /// change nothing).
    ReadSurveys,
    /// Enter responses on someone's behalf (phone, paper, in person) and post responses
    /// through the API (partner apps, kiosks).
    CollectResponses,
    /// Read results, individual responses and their exports (analysts read; they change
    /// nothing).
    ReadResults,
    /// Work on feedback cases: list them, take, assign, note, reply, close (responders on
    /// their teams' cases; admins on all). Staff record feedback received by phone, in
    /// person, on paper or on social media, and integrations post it through the API.
    HandleFeedback,
    /// Read the feedback figures: reply times, service levels met, satisfaction.
    ReadFeedbackFigures,
    /// Publish held comments, hide comments citing a policy category, restore them; screen
    /// texts through the API (MISSION.md §3).
    Moderate,
    /// Answer participants' comments as the ministry (official replies).
    AnswerComments,
    /// Schedule periodic impact-review reports to the concerned bodies, and stop them.
    ScheduleReports,
}

/// The signed-in staff member, as pages and handlers see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
}

impl CurrentUser {
    pub fn can(&self, permission: Permission) -> bool {
        self.roles.iter().any(|role| role.allows(permission))
    }
}

/// A user as the administration page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub active: bool,
}

#[cfg(feature = "ssr")]
pub use crate::server_fns::{authorize, authorized_user, storage_failure};

/// The users an administrator manages.
#[leptos::server(endpoint = "accounts/users")]
pub async fn list_users() -> Result<Vec<UserSummary>, leptos::prelude::ServerFnError> {
    let db = authorize(Permission::ManageUsers)?;
    db::list_users(&db)
        .await
        .map_err(storage_failure("listing users"))
}

/// A member of a team, as the teams page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Member {
    pub id: Uuid,
    pub display_name: String,
    pub email: String,
    /// Leads the team: assigns its feedback cases and is told when one is overdue (always
    /// false in the list of responders who could join).
    #[serde(default)]
    pub lead: bool,
}

/// A specialist team (MISSION.md §7.1: "by the competent team"); its members are responders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: Uuid,
    pub name_ar: String,
    pub name_en: String,
    pub members: Vec<Member>,
}

impl Team {
    pub fn name(&self, locale: crate::Locale) -> &str {
        match locale {
            crate::Locale::Ar => &self.name_ar,
            crate::Locale::En => &self.name_en,
        }
    }
}

/// The teams, and the active responders who could join them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamsOverview {
    pub teams: Vec<Team>,
    pub responders: Vec<Member>,
}

/// Teams for the administration page.
#[leptos::server(endpoint = "accounts/teams")]
pub async fn list_teams() -> Result<TeamsOverview, leptos::prelude::ServerFnError> {
    let db = authorize(Permission::ManageUsers)?;
    let failed = storage_failure("listing teams");
    Ok(TeamsOverview {
        teams: db::list_teams(&db).await.map_err(&failed)?,
        responders: db::active_responders(&db).await.map_err(&failed)?,
    })
}
