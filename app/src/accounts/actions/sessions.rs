//! Signing in (throttled per account and address, a session token made and only its hash
//! kept) and out.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{AccountError, AccountResult, audit_as};
use crate::accounts::db as accounts_db;
use crate::accounts::rules::{ThrottlePolicy, normalize_email};
use crate::accounts::secrets;
use crate::store::Db;

/// A session just started: the user, and the token for the cookie (only its hash is kept).
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: Uuid,
    pub token: String,
}

/// Signs a staff member in from `address`.
pub async fn sign_in(
    db: &Db,
    email: &str,
    password: &str,
    address: Option<String>,
    now: DateTime<Utc>,
) -> AccountResult<SignedIn> {
    let mut problems = Vec::new();
    if email.trim().is_empty() {
        problems.push(("email", "login.email_required"));
    }
    if password.is_empty() {
        problems.push(("password", "login.password_required"));
    }
    if !problems.is_empty() {
        return Err(AccountError::Invalid(problems));
    }
    let account = normalize_email(email).unwrap_or_else(|| email.trim().to_lowercase());
    let from = address.clone().unwrap_or_else(|| "unknown".to_owned());
    let policy = ThrottlePolicy::default();
    let counts = accounts_db::login_failures(db, &account, &from, now - policy.window).await?;
    if let Some(wait) = policy.retry_after(counts, now) {
        return Err(AccountError::Throttled(wait));
    }
    let user = match accounts_db::find_login(db, &account).await? {
        Some(record)
            if secrets::verify_password(password, &record.password_hash) && record.active =>
        {
            record.id
        }
        found => {
            if found.is_none() {
                secrets::burn_verification_time(password);
            }
            accounts_db::record_login_failure(db, &account, &from, now).await?;
            return Err(AccountError::Invalid(vec![("email", "login.invalid")]));
        }
    };
    accounts_db::clear_login_failures(db, &account, &from).await?;
    let token = secrets::new_token();
    accounts_db::create_session(db, &secrets::token_hash(&token), user, now).await?;
    audit_as(db, user, address, "session.start").await;
    Ok(SignedIn { user, token })
}

/// Ends the session whose token hashes to `session_hash`.
pub async fn sign_out(db: &Db, session_hash: &str) -> AccountResult<()> {
    accounts_db::delete_session(db, session_hash).await?;
    Ok(())
}
