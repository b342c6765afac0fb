//! Staff accounts: an administrator adds and deactivates them; everyone changes their own
//! password (which ends their other sessions).

use uuid::Uuid;

use super::{AccountError, AccountResult};
use crate::accounts::db::{self as accounts_db, NewUser};
use crate::accounts::rules::{check_new_password, normalize_email};
use crate::accounts::{Permission, Role, secrets};
use crate::audit::Actor;
use crate::store::{Db, StoreError};

/// A new account as an administrator typed it.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub roles: Vec<Role>,
}

fn may_manage(actor: &Actor) -> AccountResult<()> {
    if actor.user.can(Permission::ManageUsers) {
        Ok(())
    } else {
        Err(AccountError::Forbidden)
    }
}

/// Adds a staff account; answers its id.
pub async fn add_user(db: &Db, actor: &Actor, new: &NewAccount) -> AccountResult<Uuid> {
    may_manage(actor)?;
    let mut problems = Vec::new();
    let email = normalize_email(&new.email);
    if email.is_none() {
        problems.push(("email", "users.email_invalid"));
    }
    if new.display_name.trim().is_empty() {
        problems.push(("display_name", "users.name_required"));
    }
    if let Err(problem) = check_new_password(&new.password) {
        problems.push(("password", problem.message_key()));
    }
    if new.roles.is_empty() {
        problems.push(("roles", "users.roles_required"));
    }
    let (Some(email), true) = (email, problems.is_empty()) else {
        return Err(AccountError::Invalid(problems));
    };
    let hash = secrets::hash_password(&new.password).map_err(|_| AccountError::Hashing)?;
    let user = NewUser {
        email: &email,
        display_name: new.display_name.trim(),
        password_hash: &hash,
        roles: &new.roles,
    };
    let id = match accounts_db::create_user(db, user).await {
        Ok(id) => id,
        Err(StoreError::Conflict) => {
            return Err(AccountError::Invalid(vec![("email", "users.email_taken")]));
        }
        Err(error) => return Err(error.into()),
    };
    actor.audit(db, "user.create", id.to_string(), None).await;
    Ok(id)
}

/// Deactivates the account with this email (never one's own: the last administrator could
/// lock everyone out).
pub async fn deactivate_user(db: &Db, actor: &Actor, email: &str) -> AccountResult<Uuid> {
    may_manage(actor)?;
    let email = normalize_email(email).unwrap_or_default();
    if actor.user.email == email {
        return Err(AccountError::Refused("users.cannot_deactivate_self"));
    }
    let id = accounts_db::deactivate_user(db, &email)
        .await?
        .ok_or(AccountError::NotFound)?;
    actor
        .audit(db, "user.deactivate", id.to_string(), None)
        .await;
    Ok(id)
}

/// Changes the actor's own password, checking the current one; every other session of
/// theirs ends (`keep_session` is the hash of the one making the change).
pub async fn change_password(
    db: &Db,
    actor: &Actor,
    current: &str,
    new: &str,
    confirm: &str,
    keep_session: Option<&str>,
) -> AccountResult<()> {
    let stored = accounts_db::find_login(db, &actor.user.email)
        .await?
        .ok_or(AccountError::Forbidden)?
        .password_hash;
    let mut problems = Vec::new();
    if !secrets::verify_password(current, &stored) {
        problems.push(("current", "password.wrong_current"));
    }
    if let Err(problem) = check_new_password(new) {
        problems.push(("new", problem.message_key()));
    } else if new != confirm {
        problems.push(("confirm", "password.mismatch"));
    }
    if !problems.is_empty() {
        return Err(AccountError::Invalid(problems));
    }
    let hash = secrets::hash_password(new).map_err(|_| AccountError::Hashing)?;
    accounts_db::set_password_hash(db, actor.user.id, &hash).await?;
    accounts_db::delete_other_sessions(db, actor.user.id, keep_session).await?;
    actor
        .audit(db, "user.password_change", actor.user.id.to_string(), None)
        .await;
    Ok(())
}
