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
pub struct AuditRow {
    pub at: chrono::DateTime<chrono::Utc>,
    /// The actor's email; `None` for the command line or the system.
    pub actor: Option<String>,
    pub action: String,
    pub entity_id: String,
    pub address: Option<String>,
}

/// The actions the audit page can filter by (each has a label `audit.action.<action>`).
pub const ACTIONS: [&str; 4] = [
    "session.start",
    "user.create",
    "user.deactivate",
    "user.password_change",
];

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
