//! Periodic reports over HTTP: administrators schedule and stop them (plain forms), staff who
//! read results download the archived files. The page is the app's
//! (`app::reports::periodic_views`).

use app::Locale;
use app::reports::periodic::{self, ScheduleError, db, periodic_path};
use axum::{
    Extension,
    extract::{Path, State},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use uuid::Uuid;

use crate::AppState;
use crate::http::forms::{Pages, Posted, actor, server_error};
use crate::reports::{Format, file_name};

fn page(parts: &Parts) -> String {
    periodic_path(Locale::from_path(parts.uri.path()).unwrap_or_default())
}

pub async fn schedule(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let outcome = periodic::schedule(
        &state.db,
        &actor,
        &fields.get("cadence"),
        &fields.get("lang"),
        &fields.get("recipients"),
        Utc::now(),
    )
    .await;
    let path = page(&parts);
    match outcome {
        Ok(_) => Redirect::to(&format!("{path}?done=scheduled")).into_response(),
        Err(ScheduleError::Invalid(problems)) => {
            pages
                .show_typed(
                    &parts,
                    &path,
                    &fields,
                    &problems,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
        }
        Err(ScheduleError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(ScheduleError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(ScheduleError::Store(error)) => server_error(error),
    }
}

pub async fn stop(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let path = page(&parts);
    let outcome = match fields.get("schedule").parse::<Uuid>() {
        Ok(id) => periodic::stop(&state.db, &actor, id, Utc::now()).await,
        Err(_) => Err(ScheduleError::NotFound),
    };
    match outcome {
        Ok(()) => Redirect::to(&format!("{path}?done=stopped")).into_response(),
        Err(ScheduleError::NotFound) => {
            pages
                .show_with_error(parts, &path, "reports.periodic.not_found")
                .await
        }
        Err(ScheduleError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(ScheduleError::Invalid(_)) => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
        Err(ScheduleError::Store(error)) => server_error(error),
    }
}

/// An archived report as a PDF or HTML file; 404 for an unknown report, or a PDF that could
/// not be printed when it was made.
pub async fn download(
    State(state): State<AppState>,
    Path((lang, id, format)): Path<(String, String, String)>,
) -> Response {
    let format = match format.as_str() {
        "pdf" => Format::Pdf,
        "html" => Format::Html,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let (Some(_), Ok(id)) = (Locale::from_code(&lang), id.parse::<Uuid>()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match db::file(&state.db, id, format == Format::Pdf).await {
        Ok(Some((period, report_lang, Some(bytes)))) => {
            let locale = Locale::from_code(&report_lang).unwrap_or_default();
            (
                [
                    (header::CONTENT_TYPE, format.content_type().to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!(
                            "attachment; filename=\"{}\"",
                            file_name(period, locale, format)
                        ),
                    ),
                    (header::CACHE_CONTROL, "private, no-store".to_owned()),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(_) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => server_error(error),
    }
}
