//! Form handlers of the accounts domain: sign in and out, add and deactivate users, change
//! one's password. Access and CSRF were checked by the access layer before these run.

use app::accounts::{
    CurrentUser, Role,
    db::{self as accounts_db, NewUser},
    rules::{ThrottlePolicy, check_new_password, normalize_email, safe_return_path},
    secrets,
};
use app::i18n::Locale;
use app::store::StoreError;
use axum::{
    Extension,
    body::Body,
    extract::State,
    http::{Request, StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;

use super::forms::{Feedback, Pages, Posted, client_address, record_audit, server_error};
use super::session::{SessionHash, cookie_value, session_cookie};
use crate::AppState;

fn locale_of(parts: &Parts) -> Locale {
    Locale::from_path(parts.uri.path()).unwrap_or_default()
}

pub async fn login(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let locale = locale_of(&parts);
    let (email, password, next) = (
        fields.get("email"),
        fields.get("password"),
        fields.get("next"),
    );
    let mut feedback = Feedback::default()
        .keep("email", email.trim())
        .keep("next", next.as_str());
    if email.trim().is_empty() {
        feedback.error("email", "login.email_required");
    }
    if password.is_empty() {
        feedback.error("password", "login.password_required");
    }
    if feedback.has_errors() {
        return pages.show_again(&parts, feedback.into_inner()).await;
    }
    let account = normalize_email(&email).unwrap_or_else(|| email.trim().to_lowercase());
    let address = client_address(&parts).unwrap_or_else(|| "unknown".to_owned());
    match throttled(&state, &account, &address).await {
        Err(error) => return server_error(error),
        Ok(Some(wait)) => return too_many_attempts(&pages, &parts, feedback, wait).await,
        Ok(None) => {}
    }
    let user_id = match accounts_db::find_login(&state.db, &account).await {
        Err(error) => return server_error(error),
        Ok(Some(record))
            if secrets::verify_password(&password, &record.password_hash) && record.active =>
        {
            record.id
        }
        Ok(found) => {
            if found.is_none() {
                secrets::burn_verification_time(&password);
            }
            let failed =
                accounts_db::record_login_failure(&state.db, &account, &address, Utc::now()).await;
            if let Err(error) = failed {
                return server_error(error);
            }
            feedback.error("email", "login.invalid");
            return pages.show_again(&parts, feedback.into_inner()).await;
        }
    };
    if let Err(error) = accounts_db::clear_login_failures(&state.db, &account, &address).await {
        return server_error(error);
    }
    let token = secrets::new_token();
    if let Err(error) =
        accounts_db::create_session(&state.db, &secrets::token_hash(&token), user_id, Utc::now())
            .await
    {
        return server_error(error);
    }
    record_audit(
        &state,
        &parts,
        Some(user_id),
        "session.start",
        user_id.to_string(),
        None,
    )
    .await;
    let target = safe_return_path(&next)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("/{}/staff", locale.code()));
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie_value(&state, session_cookie(&state), &token, None),
    );
    response
}

/// How long this visitor must wait before trying to sign in to this account again, if at all.
async fn throttled(
    state: &AppState,
    account: &str,
    address: &str,
) -> Result<Option<chrono::Duration>, StoreError> {
    let policy = ThrottlePolicy::default();
    let now = Utc::now();
    let counts =
        accounts_db::login_failures(&state.db, account, address, now - policy.window).await?;
    Ok(policy.retry_after(counts, now))
}

/// 429 with `Retry-After`, on the sign-in page itself so the person reads why, in their language.
async fn too_many_attempts(
    pages: &Pages,
    parts: &Parts,
    mut feedback: Feedback,
    wait: chrono::Duration,
) -> Response {
    feedback.error("", "login.throttled");
    let mut response = pages.show_again(parts, feedback.into_inner()).await;
    *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    let seconds = wait.num_seconds().max(1).to_string();
    if let Ok(value) = header::HeaderValue::from_str(&seconds) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

pub async fn logout(State(state): State<AppState>, request: Request<Body>) -> Response {
    let (parts, _) = request.into_parts();
    if let Some(SessionHash(hash)) = parts.extensions.get::<SessionHash>()
        && let Err(error) = accounts_db::delete_session(&state.db, hash).await
    {
        return server_error(error);
    }
    let mut response = Redirect::to(&format!("/{}", locale_of(&parts).code())).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie_value(&state, session_cookie(&state), "", Some(0)),
    );
    response
}

pub async fn add_user(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let (email, name, password) = (
        fields.get("email"),
        fields.get("display_name"),
        fields.get("password"),
    );
    let roles: Vec<Role> = fields
        .all("roles")
        .iter()
        .filter_map(|r| Role::from_code(r))
        .collect();
    let role_codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    let mut feedback = Feedback::default()
        .keep("email", email.trim())
        .keep("display_name", name.trim())
        .keep("roles", role_codes.join(","));
    let normalized = normalize_email(&email);
    if normalized.is_none() {
        feedback.error("email", "users.email_invalid");
    }
    if name.trim().is_empty() {
        feedback.error("display_name", "users.name_required");
    }
    if let Err(problem) = check_new_password(&password) {
        feedback.error("password", problem.message_key());
    }
    if roles.is_empty() {
        feedback.error("roles", "users.roles_required");
    }
    let (Some(email), false) = (normalized, feedback.has_errors()) else {
        return pages.show_again(&parts, feedback.into_inner()).await;
    };
    let Ok(hash) = secrets::hash_password(&password) else {
        return server_error("password hashing failed");
    };
    let new = NewUser {
        email: &email,
        display_name: name.trim(),
        password_hash: &hash,
        roles: &roles,
    };
    match accounts_db::create_user(&state.db, new).await {
        Ok(id) => {
            record_audit(&state, &parts, None, "user.create", id.to_string(), None).await;
            Redirect::to(parts.uri.path()).into_response()
        }
        Err(StoreError::Conflict) => {
            feedback.error("email", "users.email_taken");
            pages.show_again(&parts, feedback.into_inner()).await
        }
        Err(error) => server_error(error),
    }
}

pub async fn deactivate_user(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let users_page = format!("/{}/staff/users", locale_of(&parts).code());
    let email = normalize_email(&fields.get("email")).unwrap_or_default();
    let actor = parts.extensions.get::<CurrentUser>();
    if actor.is_some_and(|a| a.email == email) {
        // Deactivating oneself would lock the last administrator out.
        return pages
            .show_with_error(parts, &users_page, "users.cannot_deactivate_self")
            .await;
    }
    match accounts_db::deactivate_user(&state.db, &email).await {
        Ok(Some(id)) => {
            record_audit(
                &state,
                &parts,
                None,
                "user.deactivate",
                id.to_string(),
                None,
            )
            .await;
            Redirect::to(&users_page).into_response()
        }
        Ok(None) => {
            pages
                .show_with_error(parts, &users_page, "users.not_found")
                .await
        }
        Err(error) => server_error(error),
    }
}

pub async fn change_password(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(user) = parts.extensions.get::<CurrentUser>().cloned() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let (current, new, confirm) = (
        fields.get("current"),
        fields.get("new"),
        fields.get("confirm"),
    );
    let mut feedback = Feedback::default();
    let stored = match accounts_db::find_login(&state.db, &user.email).await {
        Ok(Some(record)) => record.password_hash,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(error) => return server_error(error),
    };
    if !secrets::verify_password(&current, &stored) {
        feedback.error("current", "password.wrong_current");
    }
    if let Err(problem) = check_new_password(&new) {
        feedback.error("new", problem.message_key());
    } else if new != confirm {
        feedback.error("confirm", "password.mismatch");
    }
    if feedback.has_errors() {
        return pages.show_again(&parts, feedback.into_inner()).await;
    }
    let Ok(hash) = secrets::hash_password(&new) else {
        return server_error("password hashing failed");
    };
    let keep = parts.extensions.get::<SessionHash>().map(|h| h.0.as_str());
    let changed = async {
        accounts_db::set_password_hash(&state.db, user.id, &hash).await?;
        accounts_db::delete_other_sessions(&state.db, user.id, keep).await
    };
    if let Err(error) = changed.await {
        return server_error(error);
    }
    record_audit(
        &state,
        &parts,
        Some(user.id),
        "user.password_change",
        user.id.to_string(),
        None,
    )
    .await;
    Redirect::to(&format!("{}?changed=1", parts.uri.path())).into_response()
}
