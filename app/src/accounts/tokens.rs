//! Personal API tokens: a staff member's credential for `/api/v1`, sent as
//! `Authorization: Bearer …`.
//!
//! Invariants: a token is shown once, when it is made, and only its SHA-256 is stored; it acts
//! with its owner's roles *at the time of use* (a role removed or an owner deactivated takes
//! effect at once); a revoked or expired token is refused; only its owner lists or revokes it.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What every token starts with, so a leaked one is recognisable (e.g. by secret scanners).
pub const TOKEN_PREFIX: &str = "shk_";
/// How many leading characters of a token are kept to tell tokens apart.
pub const SHOWN_PREFIX_LEN: usize = 12;
/// The longest token name accepted.
pub const MAX_NAME_CHARS: usize = 100;

/// A token as its owner sees it (never the secret itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    /// The token's first characters, e.g. `shk_1a2b3c4d`.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenStatus {
    Active,
    Expired,
    Revoked,
}

impl TokenStatus {
    pub fn label_key(self) -> &'static str {
        match self {
            TokenStatus::Active => "tokens.status_active",
            TokenStatus::Expired => "tokens.status_expired",
            TokenStatus::Revoked => "tokens.status_revoked",
        }
    }
}

/// Whether a token with these dates may be used at `now`.
pub fn status(
    expires_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> TokenStatus {
    if revoked_at.is_some() {
        TokenStatus::Revoked
    } else if expires_at.is_some_and(|at| at <= now) {
        TokenStatus::Expired
    } else {
        TokenStatus::Active
    }
}

impl ApiToken {
    pub fn status(&self, now: DateTime<Utc>) -> TokenStatus {
        status(self.expires_at, self.revoked_at, now)
    }
}

/// The lifetimes offered when a token is made, in days; `None` is "never expires".
pub const LIFETIMES: [(&str, Option<i64>); 4] = [
    ("30", Some(30)),
    ("90", Some(90)),
    ("365", Some(365)),
    ("never", None),
];

/// The lifetime chosen by default: long enough for a quarterly report, short enough to age out.
pub const DEFAULT_LIFETIME: &str = "90";

/// What is wrong with a form: (field, catalogue key of the message) pairs.
pub type Problems = Vec<(&'static str, &'static str)>;

/// A new token's checked name and expiry, or what is wrong with them.
pub fn check_new_token(
    name: &str,
    lifetime: &str,
    now: DateTime<Utc>,
) -> Result<(String, Option<DateTime<Utc>>), Problems> {
    let name = name.trim();
    let mut problems = Vec::new();
    if name.is_empty() {
        problems.push(("name", "tokens.name_required"));
    } else if name.chars().count() > MAX_NAME_CHARS {
        problems.push(("name", "tokens.name_too_long"));
    }
    let days = LIFETIMES.iter().find(|(code, _)| *code == lifetime);
    if days.is_none() {
        problems.push(("lifetime", "tokens.lifetime_invalid"));
    }
    match (problems.is_empty(), days) {
        (true, Some((_, days))) => Ok((name.to_owned(), days.map(|d| now + Duration::days(d)))),
        _ => Err(problems),
    }
}

/// The bearer token in an `Authorization` header value, if it is one of ours in form.
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer")
        && token.starts_with(TOKEN_PREFIX)
        && token.len() == TOKEN_PREFIX.len() + 64
        && token[TOKEN_PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_hexdigit()))
    .then_some(token)
}

/// The signed-in user's own tokens, newest first.
#[leptos::server(endpoint = "accounts/tokens")]
pub async fn list_tokens() -> Result<Vec<ApiToken>, leptos::prelude::ServerFnError> {
    use super::{Permission, authorized_user, storage_failure};
    let (db, user) = authorized_user(Permission::EnterStaffArea)?;
    super::token_db::list(&db, user.id)
        .await
        .map_err(storage_failure("listing API tokens"))
}

/// Revokes one of the signed-in user's tokens. `csrf` is the visitor's CSRF token: the access
/// layer checks it before this runs (the same check as every form), and it is a parameter so
/// that the browser's server-function client sends it along.
#[leptos::server(endpoint = "accounts/tokens/revoke")]
pub async fn revoke_token(csrf: String, id: Uuid) -> Result<(), leptos::prelude::ServerFnError> {
    use super::actions::{AccountError as TokenError, revoke_token};
    use super::{Permission, authorized_user, storage_failure};
    let _checked_by_the_access_layer = csrf;
    let (db, user) = authorized_user(Permission::EnterStaffArea)?;
    let actor = crate::audit::Actor::in_request(user);
    match revoke_token(&db, &actor, id, Utc::now()).await {
        // Revoked already, or not the caller's: nothing to show on the tokens page.
        Ok(()) | Err(TokenError::NotFound) => Ok(()),
        Err(TokenError::Store(error)) => Err(storage_failure("revoking an API token")(error)),
        Err(error) => Err(leptos::prelude::ServerFnError::new(error.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_needs_a_name_and_a_known_lifetime() {
        let now = Utc::now();
        let (name, expires) = check_new_token("  Reports  ", "30", now).expect("valid");
        assert_eq!(name, "Reports");
        assert_eq!(expires, Some(now + Duration::days(30)));
        assert_eq!(check_new_token("CI", "never", now).expect("valid").1, None);
        assert_eq!(
            check_new_token(" ", "7", now).expect_err("invalid"),
            vec![
                ("name", "tokens.name_required"),
                ("lifetime", "tokens.lifetime_invalid")
            ]
        );
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(
            check_new_token(&long, "90", now).expect_err("too long"),
            vec![("name", "tokens.name_too_long")]
        );
    }

    #[test]
    fn status_follows_revocation_then_expiry() {
        let now = Utc::now();
        let past = Some(now - Duration::seconds(1));
        let future = Some(now + Duration::days(1));
        assert_eq!(status(None, None, now), TokenStatus::Active);
        assert_eq!(status(future, None, now), TokenStatus::Active);
        assert_eq!(status(past, None, now), TokenStatus::Expired);
        assert_eq!(status(Some(now), None, now), TokenStatus::Expired);
        assert_eq!(status(future, past, now), TokenStatus::Revoked);
    }

    #[test]
    fn only_well_formed_bearer_tokens_are_read() {
        let token = format!("{TOKEN_PREFIX}{}", "ab".repeat(32));
        assert_eq!(
            bearer_token(&format!("Bearer {token}")),
            Some(token.as_str())
        );
        assert_eq!(
            bearer_token(&format!("bearer {token}")),
            Some(token.as_str())
        );
        assert_eq!(bearer_token(&format!("Basic {token}")), None);
        assert_eq!(bearer_token("Bearer shk_short"), None);
        assert_eq!(bearer_token(&format!("Bearer {}", "ab".repeat(34))), None);
        assert_eq!(
            bearer_token(&format!("Bearer {}", token.replace('a', "z"))),
            None
        );
        assert_eq!(bearer_token(""), None);
    }
}
