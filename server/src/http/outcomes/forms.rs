//! Form handlers for outcomes: authors add, change, publish and progress them; anyone stops
//! outcome emails with the link they were sent. Each reads the form and calls the domain
//! action (`app::outcomes::actions`). On a problem the page comes back (422) with the errors
//! and everything typed; when someone else changed the outcome meanwhile, it comes back as it
//! is now (409) saying so.

use app::Locale;
use app::outcomes::actions::{self, OutcomeError, ProgressInput};
use app::outcomes::rules::OutcomeInput;
use app::outcomes::{notify, staff_path};
use axum::{
    Extension,
    extract::{Path, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use uuid::Uuid;

use crate::AppState;
use crate::http::forms::{Fields, Pages, Posted, actor, server_error};

fn locale(parts: &Parts) -> Locale {
    Locale::from_path(parts.uri.path()).unwrap_or_default()
}

fn input(fields: &Fields) -> OutcomeInput {
    OutcomeInput {
        link: fields.get("link"),
        title_ar: fields.get("title_ar"),
        title_en: fields.get("title_en"),
        said_ar: fields.get("said_ar"),
        said_en: fields.get("said_en"),
        did_ar: fields.get("did_ar"),
        did_en: fields.get("did_en"),
        responsible_ar: fields.get("responsible_ar"),
        responsible_en: fields.get("responsible_en"),
        status: fields.get("status"),
        reason_ar: fields.get("reason_ar"),
        reason_en: fields.get("reason_en"),
        due_on: fields.get("due_on"),
        indicator: fields.get("indicator"),
    }
}

/// The version the form was shown at; a missing or unreadable one never matches.
fn version(fields: &Fields) -> i32 {
    fields.get("version").trim().parse().unwrap_or(-1)
}

fn id(raw: &str) -> Option<Uuid> {
    raw.parse().ok()
}

/// What the page shows when the action did not happen; `page` is the outcome's staff page
/// (or the new-outcome page).
async fn refused(
    pages: &Pages,
    parts: &Parts,
    page: &str,
    fields: &Fields,
    error: OutcomeError,
) -> Response {
    match error {
        OutcomeError::Forbidden => StatusCode::FORBIDDEN.into_response(),
        OutcomeError::NotFound => {
            pages
                .show_typed::<&str>(parts, page, fields, &[], StatusCode::NOT_FOUND)
                .await
        }
        OutcomeError::Stale => {
            // Show the outcome as it is now, not what was typed over an older version.
            pages
                .show_typed(
                    parts,
                    page,
                    &Fields::default(),
                    &[("", "outcomes.error.stale")],
                    StatusCode::CONFLICT,
                )
                .await
        }
        OutcomeError::Invalid(problems) => {
            pages
                .show_typed(
                    parts,
                    page,
                    fields,
                    &problems,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
        }
        OutcomeError::Store(error) => server_error(error),
    }
}

/// `POST /{lang}/staff/outcomes`: adds a draft, then shows it.
pub async fn create(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let locale = locale(&parts);
    match actions::create(&state.db, &actor, &input(&fields), Utc::now()).await {
        Ok(id) => Redirect::to(&format!("{}?done=created", staff_path(locale, id))).into_response(),
        Err(error) => {
            let page = format!("/{}/staff/outcomes/new", locale.code());
            refused(&pages, &parts, &page, &fields, error).await
        }
    }
}

/// `POST /{lang}/staff/outcomes/{id}`: saves its fields.
pub async fn update(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, raw)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let page = parts.uri.path().to_owned();
    let Some(id) = id(&raw) else {
        return refused(&pages, &parts, &page, &fields, OutcomeError::NotFound).await;
    };
    let result = actions::update(
        &state.db,
        &actor,
        id,
        version(&fields),
        &input(&fields),
        Utc::now(),
    )
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("{page}?done=saved")).into_response(),
        Err(error) => refused(&pages, &parts, &page, &fields, error).await,
    }
}

/// `POST /{lang}/staff/outcomes/{id}/publish`: publishes it and tells the people linked.
pub async fn publish(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, raw)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let locale = locale(&parts);
    let Some(id) = id(&raw) else {
        let page = parts.uri.path().trim_end_matches("/publish").to_owned();
        return refused(&pages, &parts, &page, &fields, OutcomeError::NotFound).await;
    };
    let page = staff_path(locale, id);
    let site = state.settings.base_url.as_str();
    match actions::publish(&state.db, &actor, id, version(&fields), site, Utc::now()).await {
        Ok(told) => Redirect::to(&format!(
            "{page}?done=published&told={}",
            told.emails + told.webhooks
        ))
        .into_response(),
        Err(error) => refused(&pages, &parts, &page, &Fields::default(), error).await,
    }
}

/// `POST /{lang}/staff/outcomes/{id}/progress`: adds a timeline entry; a new status tells
/// the people linked.
pub async fn progress(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, raw)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let locale = locale(&parts);
    let Some(id) = id(&raw) else {
        let page = parts.uri.path().trim_end_matches("/progress").to_owned();
        return refused(&pages, &parts, &page, &fields, OutcomeError::NotFound).await;
    };
    let page = staff_path(locale, id);
    let entry = ProgressInput {
        status: fields.get("status"),
        note_ar: fields.get("note_ar"),
        note_en: fields.get("note_en"),
    };
    let site = state.settings.base_url.as_str();
    let result = actions::progress(
        &state.db,
        &actor,
        id,
        version(&fields),
        &entry,
        site,
        Utc::now(),
    )
    .await;
    match result {
        Ok(told) => Redirect::to(&format!(
            "{page}?done=progress&told={}",
            told.emails + told.webhooks
        ))
        .into_response(),
        Err(error) => refused(&pages, &parts, &page, &fields, error).await,
    }
}

/// `POST /{lang}/outcomes/unsubscribe/{token}`: stops outcome emails to the address the link
/// was sent to. Mail programs post `List-Unsubscribe=One-Click` here (RFC 8058); people press
/// the page's button. An unknown token shows the page again saying so (404).
pub async fn unsubscribe(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, token)): Path<(String, String)>,
    Posted { parts, .. }: Posted,
) -> Response {
    match notify::unsubscribe(&state.db, token.trim(), Utc::now()).await {
        Ok(Some(_)) => {
            let page = format!("{}?done=1", parts.uri.path());
            Redirect::to(&page).into_response()
        }
        Ok(None) => {
            let page = parts.uri.path().to_owned();
            pages
                .show_typed(
                    &parts,
                    &page,
                    &Fields::default(),
                    &[("token", "outcomes.unsubscribe_unknown")],
                    StatusCode::NOT_FOUND,
                )
                .await
        }
        Err(error) => server_error(error),
    }
}

/// An administrator sets how long addresses left to hear back are kept; the staff outcomes
/// page shows it again with the problem and what was typed.
pub async fn set_retention(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    use app::outcomes::retention::{self, RetentionError};
    let Some(actor) = actor(&parts) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let page = app::outcomes::staff_views::staff_list_path(locale(&parts));
    match retention::set(&state.db, &actor, &fields.get("days")).await {
        Ok(_) => Redirect::to(&format!("{page}?retention=saved")).into_response(),
        Err(RetentionError::Invalid(key)) => {
            pages
                .show_typed(
                    &parts,
                    &page,
                    &fields,
                    &[("days", key)],
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
        }
        Err(RetentionError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(RetentionError::Store(error)) => server_error(error),
    }
}
