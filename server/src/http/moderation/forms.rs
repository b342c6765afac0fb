//! The moderation queue's form: publish, hide citing a category, or restore, applied only to
//! the version of the comment the moderator saw.

use app::Locale;
use app::moderation::actions::{self, Decision, ModerationError};
use app::moderation::queue_path;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use uuid::Uuid;

use crate::AppState;
use crate::http::forms::{Posted, actor, server_error};

/// `POST /{lang}/staff/moderation/{comment}`: back to the queue the moderator was on, saying
/// what happened (or that another moderator decided first and nothing changed).
pub async fn decide(
    State(state): State<AppState>,
    Path((_, comment)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let locale = Locale::from_path(parts.uri.path()).unwrap_or_default();
    let from = if fields.get("from") == "hidden" {
        "hidden"
    } else {
        "held"
    };
    let back = |done: &str| {
        let state = if from == "hidden" {
            "state=hidden&"
        } else {
            ""
        };
        Redirect::to(&format!("{}?{state}done={done}", queue_path(locale))).into_response()
    };
    let (Ok(comment), Ok(version)) = (
        comment.parse::<Uuid>(),
        fields.get("version").trim().parse::<i64>(),
    ) else {
        return back("not_found");
    };
    let decision = match fields.get("decision").as_str() {
        "publish" => Decision::Publish,
        "hide" => Decision::Hide(fields.get("category")),
        _ => return back("not_found"),
    };
    match actions::decide(&state.db, &actor, comment, version, &decision, Utc::now()).await {
        Ok(_) => back(match (&decision, from) {
            (Decision::Publish, "hidden") => "restored",
            (Decision::Publish, _) => "published",
            (Decision::Hide(_), _) => "hidden",
        }),
        Err(ModerationError::Stale) => back("stale"),
        Err(ModerationError::NotFound) => back("not_found"),
        Err(ModerationError::NoCategory) => back("no_category"),
        Err(ModerationError::Store(error)) => server_error(&error),
    }
}
