//! Form handlers for participants. Each reads the form and calls the domain action
//! (`app::participants::actions`); on a problem the page comes back (422) with the errors and
//! what was typed; a flood gets 429 with the text kept.

use std::net::IpAddr;

use app::Locale;
use app::participants::actions::{self, ParticipantError, Started};
use app::participants::rules::ProfileInput;
use app::participants::{CurrentParticipant, account_path};
use axum::{
    Extension,
    extract::{Path, State},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use uuid::Uuid;

use crate::AppState;
use crate::http::forms::{Fields, Pages, Posted, client_address, server_error};
use crate::http::session::{ParticipantSession, cookie_value, participant_cookie};

fn locale(parts: &Parts) -> Locale {
    Locale::from_path(parts.uri.path()).unwrap_or_default()
}

fn address(parts: &Parts) -> IpAddr {
    client_address(parts)
        .and_then(|a| a.parse().ok())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

/// The page again with everything typed and one problem per `(field, key)`.
async fn again(
    pages: &Pages,
    parts: &Parts,
    fields: &Fields,
    problems: &[(&str, &str)],
    status: StatusCode,
) -> Response {
    let path = parts.uri.to_string();
    pages
        .show_typed(parts, &path, fields, problems, status)
        .await
}

/// What a sign-in form shows when it did not work.
async fn refused(
    pages: &Pages,
    parts: &Parts,
    fields: &Fields,
    error: ParticipantError,
) -> Response {
    let locale = locale(parts);
    match error {
        ParticipantError::Invalid(problems) => {
            again(
                pages,
                parts,
                fields,
                &problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        ParticipantError::TooMany => {
            let problems = [("email", "participants.error.rate_limited")];
            again(
                pages,
                parts,
                fields,
                &problems,
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await
        }
        ParticipantError::WrongCode => {
            let problems = [("code", "participants.error.code_wrong")];
            again(
                pages,
                parts,
                fields,
                &problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        ParticipantError::Expired => {
            Redirect::to(&format!("/{}/account/sign-in?expired=1", locale.code())).into_response()
        }
        ParticipantError::Store(error) => server_error(&error),
    }
}

/// "Too many requests from your connection", with what was typed.
async fn flooded(pages: &Pages, parts: &Parts, fields: &Fields) -> Response {
    let problems = [("", "participants.error.flooded")];
    again(
        pages,
        parts,
        fields,
        &problems,
        StatusCode::TOO_MANY_REQUESTS,
    )
    .await
}

/// `POST /{lang}/account/sign-in`: emails a link and a code, then the page for the code.
pub async fn request(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    if !state.collection.sign_in.allow(address(&parts)) {
        return flooded(&pages, &parts, &fields).await;
    }
    let locale = locale(&parts);
    let next = fields.get("next");
    let next = (!next.is_empty()).then_some(next.as_str());
    let base = state.settings.base_url.as_str();
    match actions::request_sign_in(
        &state.db,
        base,
        &fields.get("email"),
        next,
        locale,
        Utc::now(),
    )
    .await
    {
        Ok(id) => Redirect::to(&actions::code_path(locale, id)).into_response(),
        Err(error) => refused(&pages, &parts, &fields, error).await,
    }
}

/// `POST /{lang}/account/sign-in/code/{id}`: signs in with the email's code.
pub async fn code(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, id)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    if !state.collection.sign_in.allow(address(&parts)) {
        return flooded(&pages, &parts, &fields).await;
    }
    let Ok(id) = id.parse::<Uuid>() else {
        return refused(&pages, &parts, &fields, ParticipantError::Expired).await;
    };
    match actions::redeem_code(&state.db, id, &fields.get("code"), Utc::now()).await {
        Ok(started) => signed_in(&state, locale(&parts), started),
        Err(error) => refused(&pages, &parts, &fields, error).await,
    }
}

/// `POST /{lang}/account/sign-in/link/{token}`: signs in with the email's link.
pub async fn link(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, token)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    if !state.collection.sign_in.allow(address(&parts)) {
        return flooded(&pages, &parts, &fields).await;
    }
    match actions::redeem_link(&state.db, &token, Utc::now()).await {
        Ok(started) => signed_in(&state, locale(&parts), started),
        Err(error) => refused(&pages, &parts, &fields, error).await,
    }
}

/// Sets the session cookie and goes on: a new participant to their account to choose a
/// display name (then on where they were going), others where they were going (or their
/// account).
fn signed_in(state: &AppState, locale: Locale, started: Started) -> Response {
    let account = account_path(locale);
    let to = if started.new {
        match started.next {
            Some(next) => format!("{account}?welcome=1&next={}", app::text::urlencode(&next)),
            None => format!("{account}?welcome=1"),
        }
    } else {
        started.next.unwrap_or(account)
    };
    let max_age = app::participants::rules::SESSION_MAX_DAYS * 24 * 3600;
    let cookie = cookie_value(
        state,
        participant_cookie(state),
        &started.token,
        Some(max_age),
    );
    let mut response = Redirect::to(&to).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

/// `POST /{lang}/account`: saves the profile.
pub async fn profile(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Extension(CurrentParticipant(me)): Extension<CurrentParticipant>,
    Posted { parts, fields }: Posted,
) -> Response {
    let input = ProfileInput {
        display_name: fields.get("display_name"),
        language: fields.get("language"),
        group: fields.get("group"),
    };
    let next = app::participants::rules::safe_next(&fields.get("next"));
    match actions::update_profile(&state.db, &me, &input).await {
        Ok(()) => match next {
            Some(next) => Redirect::to(&next).into_response(),
            None => {
                Redirect::to(&format!("{}?saved=1", account_path(locale(&parts)))).into_response()
            }
        },
        Err(error) => refused(&pages, &parts, &fields, error).await,
    }
}

/// A response that also clears the participant's cookie.
fn forget_cookie(state: &AppState, mut response: Response) -> Response {
    let cookie = cookie_value(state, participant_cookie(state), "", Some(0));
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

/// `POST /{lang}/account/sign-out`.
pub async fn sign_out(
    State(state): State<AppState>,
    Extension(ParticipantSession(hash)): Extension<ParticipantSession>,
    parts: Parts,
) -> Response {
    if let Err(error) = actions::sign_out(&state.db, &hash).await {
        return server_error(&error);
    }
    let to = format!("/{}/account/sign-in?signed_out=1", locale(&parts).code());
    forget_cookie(&state, Redirect::to(&to).into_response())
}

/// `POST /{lang}/account/delete`: deletes the account (the page before it says what that does).
pub async fn delete(
    State(state): State<AppState>,
    Extension(CurrentParticipant(me)): Extension<CurrentParticipant>,
    parts: Parts,
) -> Response {
    if let Err(error) = actions::delete_account(&state.db, &me).await {
        return server_error(&error);
    }
    let to = format!("/{}/account/sign-in?deleted=1", locale(&parts).code());
    forget_cookie(&state, Redirect::to(&to).into_response())
}
