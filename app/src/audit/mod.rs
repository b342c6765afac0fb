//! The audit log: who changed what, when, and from which address. The application only ever
//! appends to it (MISSION.md §3: every moderation action is audited; issue #3: every staff
//! action that changes data).

#[cfg(feature = "ssr")]
pub mod db;

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
