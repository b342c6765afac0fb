//! What staff do to their own API tokens, each written once for every door it comes through
//! (the tokens page's form and its server function, the JSON API): making a token (shown once,
//! only its hash kept) and revoking one. Each action records its audit entry.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::AccountError as TokenError;

use crate::accounts::tokens::{SHOWN_PREFIX_LEN, TOKEN_PREFIX, check_new_token};
use crate::accounts::{Permission, secrets, token_db};
use crate::audit::Actor;
use crate::store::Db;

/// A token just made: its id and the secret, to show once.
#[derive(Debug, Clone)]
pub struct NewSecret {
    pub id: Uuid,
    pub secret: String,
}

/// Makes a personal API token named `name`, living `lifetime` days (or `never`).
pub async fn create_token(
    db: &Db,
    actor: &Actor,
    name: &str,
    lifetime: &str,
    now: DateTime<Utc>,
) -> Result<NewSecret, TokenError> {
    if !actor.user.can(Permission::EnterStaffArea) {
        return Err(TokenError::Forbidden);
    }
    let (name, expires_at) = check_new_token(name, lifetime, now).map_err(TokenError::Invalid)?;
    let secret = format!("{TOKEN_PREFIX}{}", secrets::new_token());
    let hash = secrets::token_hash(&secret);
    let new = token_db::NewToken {
        user_id: actor.user.id,
        name: &name,
        token_hash: &hash,
        prefix: &secret[..SHOWN_PREFIX_LEN],
        expires_at,
    };
    let id = token_db::create(db, new, now).await?;
    actor
        .audit(db, "token.create", id.to_string(), Some(name))
        .await;
    Ok(NewSecret { id, secret })
}

/// Revokes one of the actor's own tokens (it may be the one making the call).
pub async fn revoke_token(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), TokenError> {
    if !actor.user.can(Permission::EnterStaffArea) {
        return Err(TokenError::Forbidden);
    }
    if !token_db::revoke(db, actor.user.id, id, now).await? {
        return Err(TokenError::NotFound);
    }
    actor.audit(db, "token.revoke", id.to_string(), None).await;
    Ok(())
}
