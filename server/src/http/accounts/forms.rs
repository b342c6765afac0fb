//! Form handlers of the accounts domain: sign in and out, add and deactivate users, change
//! one's password. Access and CSRF were checked by the access layer before these run; each
//! reads its form, calls the action (`accounts::actions`) and maps the outcome.

use app::accounts::Role;
use app::accounts::actions::{self, AccountError, NewAccount};
use app::accounts::rules::safe_return_path;
use app::i18n::Locale;
use axum::{
    Extension,
    body::Body,
    extract::State,
    http::{Request, StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;

use crate::AppState;
use crate::http::forms::{Feedback, Pages, Posted, actor, client_address, server_error};
use crate::http::session::{SessionHash, cookie_value, session_cookie};

fn locale_of(parts: &Parts) -> Locale {
    Locale::from_path(parts.uri.path()).unwrap_or_default()
}

/// An accounts action's refusal, as the form shows it: on `page` (the posted one when
/// `None`), with what was typed in `feedback`.
async fn refused(
    pages: &Pages,
    parts: Parts,
    page: Option<&str>,
    mut feedback: Feedback,
    error: AccountError,
) -> Response {
    match error {
        AccountError::Invalid(problems) => {
            for (field, key) in problems {
                feedback.error(field, key);
            }
        }
        AccountError::Refused(key) => feedback.error("", key),
        AccountError::NotFound => feedback.error("", "users.not_found"),
        AccountError::Throttled(wait) => {
            return too_many_attempts(pages, &parts, feedback, wait).await;
        }
        AccountError::Forbidden => return StatusCode::FORBIDDEN.into_response(),
        AccountError::Hashing | AccountError::Store(_) => return server_error(error),
    }
    match page {
        Some(page) => pages.show_at(parts, page, feedback.into_inner()).await,
        None => pages.show_again(&parts, feedback.into_inner()).await,
    }
}

pub async fn login(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let (email, password, next) = (
        fields.get("email"),
        fields.get("password"),
        fields.get("next"),
    );
    let feedback = Feedback::default()
        .keep("email", email.trim())
        .keep("next", next.as_str());
    let address = client_address(&parts);
    let signed_in = match actions::sign_in(&state.db, &email, &password, address, Utc::now()).await
    {
        Ok(signed_in) => signed_in,
        Err(error) => return refused(&pages, parts, None, feedback, error).await,
    };
    let target = safe_return_path(&next)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("/{}/staff", locale_of(&parts).code()));
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie_value(&state, session_cookie(&state), &signed_in.token, None),
    );
    response
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
        && let Err(error) = actions::sign_out(&state.db, hash).await
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
    let Some(actor) = actor(&parts) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let new = NewAccount {
        email: fields.get("email"),
        display_name: fields.get("display_name"),
        password: fields.get("password"),
        roles: fields
            .all("roles")
            .iter()
            .filter_map(|r| Role::from_code(r))
            .collect(),
    };
    let role_codes: Vec<&str> = new.roles.iter().map(|r| r.code()).collect();
    let feedback = Feedback::default()
        .keep("email", new.email.trim())
        .keep("display_name", new.display_name.trim())
        .keep("roles", role_codes.join(","));
    match actions::add_user(&state.db, &actor, &new).await {
        Ok(_) => Redirect::to(parts.uri.path()).into_response(),
        Err(error) => refused(&pages, parts, None, feedback, error).await,
    }
}

pub async fn deactivate_user(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let users_page = format!("/{}/staff/users", locale_of(&parts).code());
    match actions::deactivate_user(&state.db, &actor, &fields.get("email")).await {
        Ok(_) => Redirect::to(&users_page).into_response(),
        Err(error) => refused(&pages, parts, Some(&users_page), Feedback::default(), error).await,
    }
}

pub async fn change_password(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let keep = parts.extensions.get::<SessionHash>().map(|h| h.0.clone());
    let (current, new, confirm) = (
        fields.get("current"),
        fields.get("new"),
        fields.get("confirm"),
    );
    let changed =
        actions::change_password(&state.db, &actor, &current, &new, &confirm, keep.as_deref());
    match changed.await {
        Ok(()) => Redirect::to(&format!("{}?changed=1", parts.uri.path())).into_response(),
        Err(AccountError::Forbidden) => StatusCode::UNAUTHORIZED.into_response(),
        Err(error) => refused(&pages, parts, None, Feedback::default(), error).await,
    }
}
