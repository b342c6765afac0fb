//! The audit log: who changed what, when, and from which address. The application only ever
//! appends to it (MISSION.md §3: every moderation action is audited; issue #3: every staff
//! action that changes data).

#[cfg(feature = "ssr")]
pub mod db;
pub mod views;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One entry to append.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub actor: Option<Uuid>,
    /// What happened, as `entity.verb`: `user.create`, `session.start`, …
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub address: Option<String>,
    pub details: Option<String>,
}

/// An entry as the audit page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditRow {
    pub at: chrono::DateTime<chrono::Utc>,
    /// The actor's email; `None` for the command line or the system.
    pub actor: Option<String>,
    pub action: String,
    pub entity_id: String,
    pub address: Option<String>,
}

/// The actions the audit page can filter by (each has a label `audit.action.<action>`).
pub const ACTIONS: &[&str] = &[
    "session.start",
    "user.create",
    "user.deactivate",
    "user.password_change",
    "team.create",
    "team.member_add",
    "team.member_remove",
    "team.lead",
    "team.lead_end",
    "token.create",
    "token.revoke",
    "opportunity.create",
    "opportunity.update",
    "outcome.create",
    "outcome.update",
    "outcome.publish",
    "outcome.progress",
    "survey.create",
    "survey.import",
    "survey.update",
    "survey.stage",
    "survey.publish_changes",
    "survey.discard_changes",
    "survey.publish",
    "survey.close",
    "survey.reopen",
    "survey.archive",
    "survey.unpublish",
    "survey.collection",
    "survey.invitations",
    "survey.results",
    "response.assisted",
    "response.api",
    "feedback.record",
    "feedback.assign",
    "feedback.route",
    "feedback.note",
    "feedback.reply",
    "feedback.ask",
    "feedback.phoned",
    "feedback.resume",
    "feedback.close",
    "feedback.reopen",
    "feedback.settings",
    "feedback.holiday",
    "feedback.holiday_remove",
    "document.section_add",
    "document.section_update",
    "document.section_remove",
    "comment.answer",
    "comment.publish",
    "comment.hide",
    "comment.restore",
    "participant.ban",
    "participant.appeal_upheld",
    "participant.appeal_lifted",
];

/// The client's address as the server determined it (behind a trusted proxy: the address
/// the proxy reports). Put on every request by the server; read for the audit log and throttling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

impl AuditEntry {
    /// An entry for `action` (`entity.verb`; the entity is its first word).
    pub fn new(
        actor: Option<Uuid>,
        action: &str,
        entity_id: String,
        address: Option<String>,
        details: Option<String>,
    ) -> Self {
        Self {
            actor,
            action: action.to_owned(),
            entity: action.split('.').next().unwrap_or(action).to_owned(),
            entity_id,
            address,
            details,
        }
    }
}

/// Who does something and from which address: what a domain action checks permissions
/// against and records in the audit log. Built by the HTTP adapters from the request.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: crate::accounts::CurrentUser,
    pub address: Option<String>,
}

#[cfg(feature = "ssr")]
impl Actor {
    /// The actor of a server function: `user`, at the request's client address.
    pub fn in_request(user: crate::accounts::CurrentUser) -> Self {
        let address = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<ClientAddress>().map(|a| a.0.clone()));
        Actor { user, address }
    }

    /// Appends what this actor did to the audit log. A failure to write is logged, never
    /// shown: the change itself has already been made.
    pub async fn audit(
        &self,
        db: &crate::store::Db,
        action: &str,
        entity_id: String,
        details: Option<String>,
    ) {
        let entry = AuditEntry::new(
            Some(self.user.id),
            action,
            entity_id,
            self.address.clone(),
            details,
        );
        if let Err(error) = db::append(db, &entry).await {
            tracing::error!(%error, ?entry, "could not write the audit log");
        }
    }
}

/// Appends an entry from inside a server function, with the request's client address. A
/// failure to write is logged, never shown: the change itself has already been made.
#[cfg(feature = "ssr")]
pub async fn record(
    db: &crate::store::Db,
    actor: Option<Uuid>,
    action: &str,
    entity_id: String,
    details: Option<String>,
) {
    let address = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddress>().map(|a| a.0.clone()));
    let entry = AuditEntry::new(actor, action, entity_id, address, details);
    if let Err(error) = db::append(db, &entry).await {
        tracing::error!(%error, ?entry, "could not write the audit log");
    }
}

/// The most recent audit entries, optionally of one action. Administrators only.
#[leptos::server(endpoint = "audit/entries")]
pub async fn audit_entries(
    action: Option<String>,
) -> Result<Vec<AuditRow>, leptos::prelude::ServerFnError> {
    use crate::accounts::{Permission, authorize, storage_failure};
    let db = authorize(Permission::ManageUsers)?;
    let action = action.filter(|a| ACTIONS.contains(&a.as_str()));
    db::search(&db, action.as_deref(), 200)
        .await
        .map_err(storage_failure("reading the audit log"))
}
