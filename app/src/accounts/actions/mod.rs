//! What is done to staff accounts, each use case written once, below the doors it comes
//! through (the staff pages' forms, their server functions, the JSON API): signing in and out
//! (`sessions`), adding and deactivating users and changing one's password (`users`), teams
//! and their responders (`teams`), personal API tokens (`tokens`). Each action checks the
//! actor's permission and the rules, writes, and records its audit entry.

mod sessions;
mod teams;
mod tokens;
mod users;

pub use sessions::{SignedIn, sign_in, sign_out};
pub use teams::{add_member, create_team, remove_member, set_lead};
pub use tokens::{NewSecret, create_token, revoke_token};
pub use users::{NewAccount, add_user, change_password, deactivate_user};

use crate::store::StoreError;

/// Why an accounts action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the actor's roles do not allow this")]
    Forbidden,
    /// Fields that break the rules: each a field name and a catalogue key.
    #[error("fields that break the rules: {0:?}")]
    Invalid(Vec<(&'static str, &'static str)>),
    /// A refusal of the whole form, as a catalogue key (`users.cannot_deactivate_self`, …).
    #[error("refused: {0}")]
    Refused(&'static str),
    /// The user, team or token does not exist (or is not the actor's).
    #[error("no such thing")]
    NotFound,
    /// Too many failed sign-ins: try again after this long.
    #[error("too many attempts; retry in {0}")]
    Throttled(chrono::Duration),
    /// Hashing a password failed (never the person's fault).
    #[error("password hashing failed")]
    Hashing,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Each action's result.
pub type AccountResult<T> = Result<T, AccountError>;

/// An audit entry for signing in, when there is no signed-in actor yet (`Actor::audit` is for
/// everything after).
async fn audit_as(db: &crate::store::Db, user: uuid::Uuid, address: Option<String>, action: &str) {
    let entry = crate::audit::AuditEntry::new(Some(user), action, user.to_string(), address, None);
    if let Err(error) = crate::audit::db::append(db, &entry).await {
        tracing::error!(%error, ?entry, "could not write the audit log");
    }
}
