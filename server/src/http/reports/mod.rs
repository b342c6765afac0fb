//! Impact-review reports over HTTP: the staff page is the app's (`app::reports::views`); here
//! are its downloads, the report as a PDF and as a standalone HTML file, with their access
//! rules. A period that does not read goes back to the page, which says what is wrong and
//! keeps what was typed; a PDF that cannot be printed goes back to the page saying so.

use app::Locale;
mod periodic;

use app::accounts::Permission::{ReadResults, ScheduleReports};
use app::reports::{Period, reports_path};
use axum::{
    Router,
    extract::{Path, Query as Params, State},
    http::{Method, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use chrono::Utc;
use serde::Deserialize;

use super::access::{Access::Needs, Kind::*, Rule, rule};
use crate::AppState;
use crate::reports::{Format, ReportError, file_name, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/staff/reports/impact.pdf", get(pdf))
        .route("/{lang}/staff/reports/impact.html", get(html))
        .route("/{lang}/staff/reports/periodic", post(periodic::schedule))
        .route("/{lang}/staff/reports/periodic/stop", post(periodic::stop))
        .route(
            "/{lang}/staff/reports/periodic/{id}/{format}",
            get(periodic::download),
        )
}

/// Analysts, decision-makers and admins (who read results) make and download reports;
/// administrators schedule the periodic ones.
#[rustfmt::skip] // one rule per line reads as a table
pub const RULES: &[Rule] = &[
    rule(Method::GET, "/{lang}/staff/reports", Needs(ReadResults), Page),
    rule(Method::GET, "/{lang}/staff/reports/impact.pdf", Needs(ReadResults), Query),
    rule(Method::GET, "/{lang}/staff/reports/impact.html", Needs(ReadResults), Query),
    rule(Method::POST, "/api/reports/impact", Needs(ReadResults), Query),
    rule(Method::GET, "/{lang}/staff/reports/periodic", Needs(ReadResults), Page),
    rule(Method::POST, "/{lang}/staff/reports/periodic", Needs(ScheduleReports), Action),
    rule(Method::POST, "/{lang}/staff/reports/periodic/stop", Needs(ScheduleReports), Action),
    rule(Method::GET, "/{lang}/staff/reports/periodic/{id}/{format}", Needs(ReadResults), Query),
    rule(Method::POST, "/api/reports/periodic", Needs(ReadResults), Query),
];

#[derive(Debug, Default, Deserialize)]
pub struct Asked {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

async fn pdf(state: State<AppState>, lang: Path<String>, asked: Params<Asked>) -> Response {
    download(state, lang, asked, Format::Pdf).await
}

async fn html(state: State<AppState>, lang: Path<String>, asked: Params<Asked>) -> Response {
    download(state, lang, asked, Format::Html).await
}

async fn download(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Params(asked): Params<Asked>,
    format: Format,
) -> Response {
    let Some(locale) = Locale::from_code(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let back = |extra: &str| {
        let query = serde_urlencoded::to_string([("from", &asked.from), ("to", &asked.to)])
            .unwrap_or_default();
        Redirect::to(&format!("{}?{query}{extra}", reports_path(locale))).into_response()
    };
    let Ok(period) = Period::parse(&asked.from, &asked.to) else {
        return back("");
    };
    let settings = &state.settings;
    let base = settings.base_url.as_str();
    match render(
        &state.db,
        period,
        locale,
        format,
        base,
        &settings.chromium,
        Utc::now(),
    )
    .await
    {
        Ok(bytes) => (
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
            .into_response(),
        Err(ReportError::Print { program, reason }) => {
            tracing::error!(%program, %reason, "printing an impact report");
            back("&pdf=failed")
        }
        Err(error) => crate::http::forms::server_error(error),
    }
}
