//! What every server function starts and ends with: the permission check (server functions
//! are public endpoints, so each checks it itself, besides the access layer) and a storage
//! failure turned into a safe message, its cause logged.

use crate::accounts::{CurrentUser, Permission};

/// The database, when the signed-in visitor holds `permission`. Every server function starts
/// here: they are public endpoints, so each checks permission itself (besides the access layer).
pub fn authorize(
    permission: Permission,
) -> Result<crate::store::Db, leptos::prelude::ServerFnError> {
    authorized_user(permission).map(|(db, _)| db)
}

/// Like [`authorize`], with the signed-in user, for server functions that act on their own things.
pub fn authorized_user(
    permission: Permission,
) -> Result<(crate::store::Db, CurrentUser), leptos::prelude::ServerFnError> {
    use leptos::prelude::*;
    let parts =
        use_context::<http::request::Parts>().ok_or_else(|| ServerFnError::new("no request"))?;
    let user = parts
        .extensions
        .get::<CurrentUser>()
        .filter(|user| user.can(permission))
        .cloned()
        .ok_or_else(|| ServerFnError::new("forbidden"))?;
    let db = use_context::<crate::store::Db>().ok_or_else(|| ServerFnError::new("no database"))?;
    Ok((db, user))
}

/// Logs a storage error and gives the client a safe message.
pub fn storage_failure(
    what: &'static str,
) -> impl Fn(crate::store::StoreError) -> leptos::prelude::ServerFnError {
    move |error| {
        tracing::error!(%error, "{what}");
        leptos::prelude::ServerFnError::new("database error")
    }
}
