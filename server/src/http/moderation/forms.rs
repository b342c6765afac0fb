//! The moderation forms: publish, hide citing a category, or restore (applied only to the
//! version of the comment the moderator saw); ban a comment's author; a participant's appeal
//! and a moderator's decision on it.

use app::Locale;
use app::moderation::actions as bans;
use app::moderation::actions::{self, BanError, Decision, ModerationError};
use app::moderation::queue_path;
use app::participants::CurrentParticipant;
use axum::{
    Extension,
    extract::{Path, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use uuid::Uuid;

use crate::AppState;
use crate::http::forms::{Pages, Posted, actor, server_error};

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
    match actions::decide(
        &state.db,
        &actor,
        comment,
        version,
        &decision,
        state.settings.base_url.as_str(),
        Utc::now(),
    )
    .await
    {
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

fn locale_of(parts: &Parts) -> Locale {
    Locale::from_path(parts.uri.path()).unwrap_or_default()
}

/// `POST /{lang}/staff/moderation/{comment}/ban`: bans the comment's author.
pub async fn ban(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, comment)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let queue = queue_path(locale_of(&parts));
    let Ok(comment) = comment.parse::<Uuid>() else {
        return Redirect::to(&format!("{queue}?done=not_found")).into_response();
    };
    let days = match fields.get("days").as_str() {
        "permanent" => None,
        days => Some(days.parse::<i64>().unwrap_or(-1)),
    };
    let (category, note) = (fields.get("category"), fields.get("note"));
    match bans::ban(
        &state.db,
        &actor,
        comment,
        &category,
        days,
        &note,
        Utc::now(),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("{queue}?done=banned")).into_response(),
        Err(BanError::Invalid(problems)) => {
            // The ban form repeats on the page: its problems go in the summary.
            let problems: Vec<(&str, &str)> = problems.iter().map(|(_, k)| ("", *k)).collect();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            pages
                .show_typed(&parts, &queue, &fields, &problems, status)
                .await
        }
        Err(BanError::NotFound | BanError::SameModerator | BanError::Already) => {
            Redirect::to(&format!("{queue}?done=not_found")).into_response()
        }
        Err(BanError::Store(error)) => server_error(&error),
    }
}

/// `POST /{lang}/account/ban`: the participant appeals their ban.
pub async fn appeal(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Extension(CurrentParticipant(me)): Extension<CurrentParticipant>,
    Posted { parts, fields }: Posted,
) -> Response {
    let path = app::moderation::bans::ban_path(locale_of(&parts));
    match bans::appeal(&state.db, &me, &fields.get("appeal"), Utc::now()).await {
        Ok(()) => Redirect::to(&format!("{path}?appealed=1")).into_response(),
        Err(BanError::Invalid(problems)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            pages
                .show_typed(&parts, &path, &fields, &problems, status)
                .await
        }
        Err(BanError::Store(error)) => server_error(&error),
        Err(_) => Redirect::to(&path).into_response(),
    }
}

/// `POST /{lang}/staff/moderation/appeals/{ban}`: upholds or lifts an appealed ban.
pub async fn decide_appeal(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, ban)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let path = app::moderation::bans::appeals_path(locale_of(&parts));
    let Ok(ban) = ban.parse::<Uuid>() else {
        return Redirect::to(&format!("{path}?done=not_found")).into_response();
    };
    let lift = fields.get("decision") == "lift";
    let note = fields.get("note");
    match bans::decide_appeal(&state.db, &actor, ban, lift, &note, Utc::now()).await {
        Ok(()) => {
            let done = if lift { "lifted" } else { "upheld" };
            Redirect::to(&format!("{path}?done={done}")).into_response()
        }
        Err(BanError::Invalid(problems)) => {
            let problems: Vec<(&str, &str)> = problems.iter().map(|(_, k)| ("", *k)).collect();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            pages
                .show_typed(&parts, &path, &fields, &problems, status)
                .await
        }
        Err(BanError::SameModerator) => {
            Redirect::to(&format!("{path}?done=same_moderator")).into_response()
        }
        Err(BanError::Already) => Redirect::to(&format!("{path}?done=stale")).into_response(),
        Err(BanError::NotFound) => Redirect::to(&format!("{path}?done=not_found")).into_response(),
        Err(BanError::Store(error)) => server_error(&error),
    }
}
