//! Sessions and CSRF tokens. The session cookie carries a random token whose SHA-256 names a
//! row in `sessions`, so every app server behind a load balancer shares sessions. Each
//! visitor also gets a CSRF cookie; every state-changing form carries the same value in its
//! `csrf` field (double submit), checked centrally by [`check_csrf`].
//!
//! Programs use `/api/v1` with a personal API token instead (`Authorization: Bearer …`). A
//! bearer request carries no cookies of ours, so it needs no CSRF token; a bad bearer token is
//! refused outright rather than treated as signed out.

use app::accounts::{CurrentUser, db as accounts_db, secrets, token_db, tokens};
use app::i18n::Locale;
use app::page_state::CsrfToken;
use axum::{
    body::{Body, to_bytes},
    extract::State,
    http::{HeaderMap, HeaderValue, Request, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use chrono::Utc;

use super::locale::cookie;
use crate::AppState;

/// Forms are small; anything larger than this is not a form of ours.
const FORM_LIMIT: usize = 1 << 20;
/// `last_seen_at` is written at most this often, not on every request.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::seconds(60);

/// Cookie names: with https, the `__Host-` prefix pins them to this host and path `/`.
pub fn session_cookie(state: &AppState) -> &'static str {
    if state.settings.secure_cookies {
        "__Host-sharek_session"
    } else {
        "sharek_session"
    }
}

/// The participant's session cookie: a cookie of its own, so a participant session never
/// reads as a staff one.
pub fn participant_cookie(state: &AppState) -> &'static str {
    if state.settings.secure_cookies {
        "__Host-sharek_participant"
    } else {
        "sharek_participant"
    }
}

fn csrf_cookie(state: &AppState) -> &'static str {
    if state.settings.secure_cookies {
        "__Host-sharek_csrf"
    } else {
        "sharek_csrf"
    }
}

/// A `Set-Cookie` value with the attributes every Sharek cookie has.
pub fn cookie_value(
    state: &AppState,
    name: &str,
    value: &str,
    max_age: Option<i64>,
) -> HeaderValue {
    let secure = if state.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let max_age = max_age
        .map(|s| format!("; Max-Age={s}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{max_age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// The session that the request's cookie names, if it is live; `(token hash, user)`.
async fn live_session(state: &AppState, headers: &HeaderMap) -> Option<(String, CurrentUser)> {
    let token = cookie(headers, session_cookie(state))?;
    let hash = secrets::token_hash(&token);
    let record = accounts_db::find_session(&state.db, &hash).await.ok()??;
    let now = Utc::now();
    if !state
        .settings
        .sessions
        .is_live(record.created_at, record.last_seen_at, now)
    {
        let _ = accounts_db::delete_session(&state.db, &hash).await;
        return None;
    }
    // A deactivated user's sessions are deleted, but check `active` here too.
    let user = accounts_db::load_active_user(&state.db, record.user_id)
        .await
        .ok()??;
    if now - record.last_seen_at >= TOUCH_EVERY
        && let Err(error) = accounts_db::touch_session(&state.db, &hash, now).await
    {
        tracing::warn!(%error, "could not refresh a session");
    }
    Some((hash, user))
}

/// The session hash of the signed-in visitor, for sign-out and password changes.
#[derive(Debug, Clone)]
pub struct SessionHash(pub String);

/// The session hash of the signed-in participant, for signing out.
#[derive(Debug, Clone)]
pub struct ParticipantSession(pub String);

/// The participant the request's participant cookie names, while their session lives.
async fn live_participant(
    state: &AppState,
    headers: &HeaderMap,
) -> Option<(String, app::participants::Participant)> {
    let token = cookie(headers, participant_cookie(state))?;
    match app::participants::actions::live_session(&state.db, &token, Utc::now()).await {
        Ok(found) => found,
        Err(error) => {
            tracing::warn!(%error, "could not read a participant's session");
            None
        }
    }
}

/// Set when the request was authenticated by an API token rather than a session cookie: the
/// token's id (an integration's cases remember which token brought them in).
#[derive(Debug, Clone, Copy)]
pub struct BearerAuth(pub uuid::Uuid);

/// Where API tokens are accepted.
pub const API_PREFIX: &str = "/api/v1/";

/// The owner of a live API token, as the user they are now (their current roles).
async fn token_owner(state: &AppState, token: &str) -> Option<(CurrentUser, uuid::Uuid)> {
    let record = token_db::find(&state.db, &secrets::token_hash(token))
        .await
        .ok()??;
    let now = Utc::now();
    if tokens::status(record.expires_at, record.revoked_at, now) != tokens::TokenStatus::Active {
        return None;
    }
    let user = accounts_db::load_active_user(&state.db, record.user_id)
        .await
        .ok()??;
    if record.last_used_at.is_none_or(|at| now - at >= TOUCH_EVERY)
        && let Err(error) = token_db::touch(&state.db, record.id, now).await
    {
        tracing::warn!(%error, "could not record an API token's use");
    }
    Some((user, record.id))
}

/// Loads the visitor's session (or API token) and CSRF token into the request's extensions.
pub async fn load(
    State(state): State<AppState>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    if let Some(authorization) = request.headers().get(header::AUTHORIZATION)
        && request.uri().path().starts_with(API_PREFIX)
    {
        let token = authorization.to_str().ok().and_then(tokens::bearer_token);
        let owner = match token {
            Some(token) => token_owner(&state, token).await,
            None => None,
        };
        let Some((user, token_id)) = owner else {
            return super::api::ApiError::InvalidToken.into_response();
        };
        request.extensions_mut().insert(user);
        request.extensions_mut().insert(BearerAuth(token_id));
        let mut response = next.run(request).await;
        private(&mut response);
        return response;
    }
    let mut signed_in = if let Some((hash, user)) = live_session(&state, request.headers()).await {
        request.extensions_mut().insert(user);
        request.extensions_mut().insert(SessionHash(hash));
        true
    } else {
        false
    };
    if let Some((hash, participant)) = live_participant(&state, request.headers()).await {
        request
            .extensions_mut()
            .insert(app::participants::CurrentParticipant(participant));
        request.extensions_mut().insert(ParticipantSession(hash));
        signed_in = true;
    }
    let existing = cookie(request.headers(), csrf_cookie(&state)).filter(|t| is_token(t));
    let token = existing.clone().unwrap_or_else(secrets::new_token);
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    if existing.is_none() {
        let value = cookie_value(&state, csrf_cookie(&state), &token, None);
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    if signed_in {
        private(&mut response);
    }
    response
}

/// What a signed-in person sees is theirs alone: no shared or back-button cache keeps it.
fn private(response: &mut Response) {
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("private, no-store"));
}

fn is_token(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The header a script sends its CSRF token in (for JSON requests, which have no form field).
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Checks the `csrf` field of a form post (or the `X-CSRF-Token` header) against the visitor's
/// CSRF cookie. Hands the request back (body intact) when it matches; a translated 403
/// otherwise.
pub async fn check_csrf(request: Request<Body>) -> Result<Request<Body>, Response> {
    let locale = Locale::from_path(request.uri().path()).unwrap_or_default();
    let refuse = || (StatusCode::FORBIDDEN, locale.t("form.csrf_failed")).into_response();
    let expected = request
        .extensions()
        .get::<CsrfToken>()
        .map(|t| t.0.clone())
        .ok_or_else(refuse)?;
    if let Some(sent) = request.headers().get(CSRF_HEADER) {
        let sent = sent.to_str().unwrap_or_default();
        return if secrets::constant_time_eq(sent, &expected) {
            Ok(request)
        } else {
            Err(refuse())
        };
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
    let sent = url::form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned());
    match sent {
        Some(sent) if secrets::constant_time_eq(&sent, &expected) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(refuse()),
    }
}
