//! The participant's use cases: ask for a sign-in (an email with a link and a code), sign in
//! with either, keep a session, edit the profile, sign out, delete the account. The form
//! handlers call these; they check everything themselves.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::rules::{self, Problems, ProfileInput};
use super::{Participant, db, mail};
use crate::Locale;
use crate::accounts::secrets;
use crate::store::{Db, StoreError, outbox};

/// Why a participant action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ParticipantError {
    #[error("invalid input")]
    Invalid(Problems),
    /// Too many sign-in emails to one address within the hour.
    #[error("too many sign-ins")]
    TooMany,
    /// The link or code is unknown, used, expired or out of attempts.
    #[error("sign-in expired")]
    Expired,
    /// A wrong code, with attempts left.
    #[error("wrong code")]
    WrongCode,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A session just started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    /// The cookie's value (only its hash is stored).
    pub token: String,
    pub participant: Participant,
    /// Where they asked to go, if anywhere.
    pub next: Option<String>,
    /// A new account: they still choose their display name.
    pub new: bool,
}

/// The path of a sign-in's link.
pub fn link_path(locale: Locale, token: &str) -> String {
    format!("/{}/account/sign-in/link/{token}", locale.code())
}

/// The path of the page that asks for a sign-in's code.
pub fn code_path(locale: Locale, id: Uuid) -> String {
    format!("/{}/account/sign-in/code/{id}", locale.code())
}

/// Six random digits.
fn new_code() -> String {
    let bytes = *Uuid::new_v4().as_bytes();
    let n = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) % 1_000_000;
    format!("{n:06}")
}

/// A code is stored hashed with its sign-in's id.
fn code_hash(id: Uuid, code: &str) -> String {
    secrets::token_hash(&format!("{id}:{code}"))
}

/// Sends a sign-in to `email` (a link and a code, good for [`rules::SIGN_IN_MINUTES`]) in the
/// page's language; answers the sign-in's id for the page that asks for the code. An unknown
/// address gets one too: the account is made when they first sign in, so this page tells no
/// one which addresses have accounts.
pub async fn request_sign_in(
    db: &Db,
    base_url: &str,
    email: &str,
    next: Option<&str>,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<Uuid, ParticipantError> {
    let email =
        rules::check_email(email).map_err(|key| ParticipantError::Invalid(vec![("email", key)]))?;
    if db::sign_ins_since(db, &email, now - Duration::hours(1)).await? >= rules::SIGN_INS_PER_HOUR {
        return Err(ParticipantError::TooMany);
    }
    let id = Uuid::now_v7();
    let token = secrets::new_token();
    let code = new_code();
    let next = next.and_then(rules::safe_next);
    db::insert_sign_in(
        db,
        id,
        &email,
        &secrets::token_hash(&token),
        &code_hash(id, &code),
        locale,
        next.as_deref(),
        now,
        now + Duration::minutes(rules::SIGN_IN_MINUTES),
    )
    .await?;
    let link = format!(
        "{}{}",
        base_url.trim_end_matches('/'),
        link_path(locale, &token)
    );
    let letter = mail::sign_in(locale, &link, &code);
    outbox::enqueue(db, &email, &letter.subject, &letter.body, now).await?;
    Ok(id)
}

/// Whether a sign-in can still be used.
fn usable(sign_in: &db::SignIn, now: DateTime<Utc>) -> bool {
    sign_in.used_at.is_none() && now < sign_in.expires_at && sign_in.attempts < rules::CODE_ATTEMPTS
}

/// Signs in with the email's link (a POST from the page it opens: mail scanners follow links).
pub async fn redeem_link(
    db: &Db,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Started, ParticipantError> {
    let sign_in = db::find_sign_in_by_token(db, &secrets::token_hash(token))
        .await?
        .filter(|s| usable(s, now))
        .ok_or(ParticipantError::Expired)?;
    start(db, sign_in, now).await
}

/// Signs in with the code from the email, typed on the page the request led to.
pub async fn redeem_code(
    db: &Db,
    id: Uuid,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Started, ParticipantError> {
    let sign_in = db::find_sign_in(db, id)
        .await?
        .filter(|s| usable(s, now))
        .ok_or(ParticipantError::Expired)?;
    let Some(code) = rules::normalize_code(typed) else {
        let key = if typed.trim().is_empty() {
            "participants.error.code_missing"
        } else {
            "participants.error.code_format"
        };
        return Err(ParticipantError::Invalid(vec![("code", key)]));
    };
    if !secrets::constant_time_eq(&code_hash(id, &code), &sign_in.code_hash) {
        if !db::count_attempt(db, id, rules::CODE_ATTEMPTS).await? {
            return Err(ParticipantError::Expired);
        }
        let left = rules::CODE_ATTEMPTS - sign_in.attempts - 1;
        return Err(if left > 0 {
            ParticipantError::WrongCode
        } else {
            ParticipantError::Expired
        });
    }
    start(db, sign_in, now).await
}

/// Uses the sign-in (once) and starts a session for its address's participant.
async fn start(
    db: &Db,
    sign_in: db::SignIn,
    now: DateTime<Utc>,
) -> Result<Started, ParticipantError> {
    if !db::use_sign_in(db, sign_in.id, now).await? {
        return Err(ParticipantError::Expired);
    }
    let (participant, new) = db::find_or_create(db, &sign_in.email, sign_in.language, now).await?;
    let token = secrets::new_token();
    db::insert_session(db, &secrets::token_hash(&token), participant.id, now).await?;
    Ok(Started {
        token,
        new: new || participant.display_name.is_empty(),
        participant,
        next: sign_in.next_path,
    })
}

/// `last_seen_at` is written at most this often.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// The participant a session cookie's token belongs to while the session lives, with the
/// token's hash; an ended session is deleted.
pub async fn live_session(
    db: &Db,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(String, Participant)>, StoreError> {
    let hash = secrets::token_hash(token);
    let Some((participant, created, seen)) = db::find_session(db, &hash).await? else {
        return Ok(None);
    };
    let live = now - seen < Duration::days(rules::SESSION_IDLE_DAYS)
        && now - created < Duration::days(rules::SESSION_MAX_DAYS);
    if !live {
        db::delete_session(db, &hash).await?;
        return Ok(None);
    }
    let Some(participant) = db::find(db, participant).await? else {
        return Ok(None);
    };
    if now - seen >= TOUCH_EVERY {
        db::touch_session(db, &hash, now).await?;
    }
    Ok(Some((hash, participant)))
}

pub async fn sign_out(db: &Db, session_hash: &str) -> Result<(), StoreError> {
    db::delete_session(db, session_hash).await
}

/// Saves the profile the participant typed.
pub async fn update_profile(
    db: &Db,
    participant: &Participant,
    input: &ProfileInput,
) -> Result<(), ParticipantError> {
    let profile = rules::check_profile(input).map_err(ParticipantError::Invalid)?;
    db::update_profile(db, participant.id, &profile).await?;
    Ok(())
}

/// Deletes the account and everything personal it holds (see [`db::delete`]).
pub async fn delete_account(db: &Db, participant: &Participant) -> Result<(), StoreError> {
    db::delete(db, participant.id, &participant.email).await
}
