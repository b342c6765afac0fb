//! `POST /api/v1/moderation/screen`: the screening that every comment passes, for moderators'
//! tools; the same report as `sharek moderation screen`.

use app::accounts::Permission;
use app::moderation::{ReasonReport, Report, screen_text};
use axum::{Json, Router, extract::rejection::JsonRejection, http::request::Parts};
use serde::Deserialize;
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
use crate::http::api::{ApiError, Caller, ErrorBody};

pub fn routes() -> Router<AppState> {
    use axum::routing::post;
    Router::new().route("/api/v1/moderation/screen", post(screen))
}

#[derive(OpenApi)]
#[openapi(
    paths(screen),
    components(schemas(ScreenRequest, Report, ReasonReport)),
    tags((name = "moderation", description = "Screening texts against the moderation policy's nine categories and personal data (MISSION.md §3)"))
)]
pub struct ModerationApi;

/// A text to screen.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenRequest {
    /// The text (at most 20,000 characters).
    pub text: String,
    /// `ar` or `en`; absent: detected from the text.
    #[serde(default)]
    pub lang: Option<String>,
}

/// The longest text the API screens.
const TEXT_MAX: usize = 20_000;

/// Screens a text as comments are screened: `publish`, or `hold` with the categories and
/// personal data found and where. Moderators' and admins' tokens.
#[utoipa::path(post, path = "/api/v1/moderation/screen", tag = "moderation",
    request_body = ScreenRequest,
    responses(
        (status = 200, description = "The screening's report", body = Report),
        (status = 400, description = "Not JSON, a text too long, or an unknown language", body = ErrorBody),
        (status = 401, description = "No valid credentials", body = ErrorBody),
        (status = 403, description = "The token's owner is not a moderator", body = ErrorBody),
    ))]
pub async fn screen(
    caller: Caller,
    _parts: Parts,
    body: Result<Json<ScreenRequest>, JsonRejection>,
) -> Result<Json<Report>, ApiError> {
    caller.needs(Permission::Moderate)?;
    let Json(body) = body.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    if body.text.chars().count() > TEXT_MAX {
        return Err(ApiError::BadRequest(format!(
            "text: at most {TEXT_MAX} characters"
        )));
    }
    let lang = match body.lang.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(lang @ ("ar" | "en")) => Some(lang),
        Some(_) => return Err(ApiError::BadRequest("lang: `ar` or `en`".to_owned())),
    };
    Ok(Json(screen_text(&body.text, lang)))
}
