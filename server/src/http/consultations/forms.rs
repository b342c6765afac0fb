//! Form handlers for consultations: participants comment, reply, mark helpful and flag; staff
//! edit the document and answer as the ministry. Each reads the form and calls the domain
//! action (`app::consultations::actions`); on a problem the page comes back with the errors
//! and everything typed (422; 429 for a flood, text kept).

use app::Locale;
use app::consultations::actions::{self, CommentError, Posted};
use app::consultations::rules::SectionInput;
use app::consultations::staff_views::{document_path, staff_comments_path};
use app::consultations::{comments_path, thread_path};
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
use crate::http::forms::{Fields, Pages, Posted as PostedForm, actor, server_error};

fn locale(parts: &Parts) -> Locale {
    Locale::from_path(parts.uri.path()).unwrap_or_default()
}

/// What a form shows when the action did not happen, at `path`; `rename` names the fields of
/// forms that repeat on a page.
async fn refused(
    pages: &Pages,
    parts: &Parts,
    path: &str,
    fields: &Fields,
    error: CommentError,
    rename: impl Fn(&str) -> String,
) -> Response {
    let (problems, status): (Vec<(String, &str)>, StatusCode) = match error {
        CommentError::Invalid(problems) => (
            problems.into_iter().map(|(f, k)| (rename(f), k)).collect(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        CommentError::TooMany => (
            vec![(String::new(), "consultations.error.too_many")],
            StatusCode::TOO_MANY_REQUESTS,
        ),
        CommentError::Closed => (
            vec![(String::new(), "consultations.error.closed")],
            StatusCode::CONFLICT,
        ),
        CommentError::Own => (
            vec![(String::new(), "consultations.error.own")],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        CommentError::Banned => (
            vec![(String::new(), "consultations.error.banned")],
            StatusCode::FORBIDDEN,
        ),
        CommentError::NotFound => (
            vec![(String::new(), "consultations.error.not_found")],
            StatusCode::NOT_FOUND,
        ),
        CommentError::Store(error) => return server_error(&error),
    };
    pages
        .show_typed(parts, path, fields, &problems, status)
        .await
}

fn same(field: &str) -> String {
    field.to_owned()
}

/// The section a form names: "document" (or nothing) is the whole document.
fn section_of(fields: &Fields) -> Result<Option<Uuid>, ()> {
    match fields.get("section").trim() {
        "" | "document" => Ok(None),
        id => id.parse().map(Some).map_err(|_| ()),
    }
}

fn name_of(fields: &Fields) -> Option<String> {
    let name = fields.get("display_name");
    (!name.trim().is_empty()).then_some(name)
}

/// After posting: the list (or thread) with a notice, scrolled to the comment.
fn posted_to(path: &str, posted: Posted) -> Response {
    let join = if path.contains('?') { '&' } else { '?' };
    let notice = if posted.held { "held" } else { "posted" };
    Redirect::to(&format!("{path}{join}{notice}=1#comment-{}", posted.id)).into_response()
}

/// `POST /{lang}/opportunities/{id}/comments`: a new comment.
pub async fn comment(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Extension(CurrentParticipant(me)): Extension<CurrentParticipant>,
    Path((_, id)): Path<(String, String)>,
    PostedForm { parts, fields }: PostedForm,
) -> Response {
    let locale = locale(&parts);
    let Ok(id) = id.parse::<Uuid>() else {
        return pages
            .show(&parts, Default::default(), StatusCode::NOT_FOUND)
            .await;
    };
    let list = comments_path(locale, id);
    let Ok(section) = section_of(&fields) else {
        let error = CommentError::NotFound;
        return refused(&pages, &parts, &list, &fields, error, same).await;
    };
    let here = match section {
        Some(section) => format!("{list}?section={section}"),
        None => list.clone(),
    };
    let name = name_of(&fields);
    let text = fields.get("body");
    let now = Utc::now();
    match actions::post(
        &state.db,
        &me,
        id,
        section,
        None,
        &text,
        name.as_deref(),
        now,
    )
    .await
    {
        Ok(posted) => posted_to(&here, posted),
        Err(error) => refused(&pages, &parts, &here, &fields, error, same).await,
    }
}

/// `POST /{lang}/opportunities/{id}/comments/{comment}`: a reply.
pub async fn reply(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Extension(CurrentParticipant(me)): Extension<CurrentParticipant>,
    Path((_, id, comment)): Path<(String, String, String)>,
    PostedForm { parts, fields }: PostedForm,
) -> Response {
    let locale = locale(&parts);
    let (Ok(id), Ok(comment)) = (id.parse::<Uuid>(), comment.parse::<Uuid>()) else {
        return pages
            .show(&parts, Default::default(), StatusCode::NOT_FOUND)
            .await;
    };
    let here = thread_path(locale, id, comment);
    let name = name_of(&fields);
    let text = fields.get("body");
    let now = Utc::now();
    let done = actions::post(
        &state.db,
        &me,
        id,
        None,
        Some(comment),
        &text,
        name.as_deref(),
        now,
    );
    match done.await {
        Ok(posted) => posted_to(&here, posted),
        Err(error) => refused(&pages, &parts, &here, &fields, error, same).await,
    }
}

/// `POST /{lang}/opportunities/{id}/comments/{comment}/{helpful|flag}`.
pub async fn mark(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Extension(CurrentParticipant(me)): Extension<CurrentParticipant>,
    Path((_, id, comment, what)): Path<(String, String, String, String)>,
    PostedForm { parts, fields }: PostedForm,
) -> Response {
    let locale = locale(&parts);
    let (Ok(id), Ok(comment)) = (id.parse::<Uuid>(), comment.parse::<Uuid>()) else {
        return pages
            .show(&parts, Default::default(), StatusCode::NOT_FOUND)
            .await;
    };
    let (db, now) = (&state.db, Utc::now());
    let done = match what.as_str() {
        "helpful" => actions::mark_helpful(db, &me, id, comment, now)
            .await
            .map(|()| "helpful"),
        "flag" => {
            let category = fields.get("category");
            let threshold = state.settings.flag_threshold;
            actions::flag(db, &me, id, comment, &category, threshold, now)
                .await
                .map(|_| "flagged")
        }
        _ => Err(CommentError::NotFound),
    };
    // Back to the comment's thread (a reply's is its parent's), or to the list when the
    // comment is no longer shown there (a flag held it).
    let row = app::consultations::db::find(db, comment)
        .await
        .ok()
        .flatten();
    let thread = match row {
        Some(row) if row.parent_id.is_some() => {
            thread_path(locale, id, row.parent_id.unwrap_or(comment))
        }
        Some(row) if row.state() == app::consultations::CommentState::Published => {
            thread_path(locale, id, comment)
        }
        _ => comments_path(locale, id),
    };
    match done {
        Ok(notice) => {
            Redirect::to(&format!("{thread}?{notice}=1#comment-{comment}")).into_response()
        }
        Err(error) => refused(&pages, &parts, &thread, &fields, error, same).await,
    }
}

fn section_input(fields: &Fields) -> SectionInput {
    SectionInput {
        heading_ar: fields.get("heading_ar"),
        heading_en: fields.get("heading_en"),
        body_ar: fields.get("body_ar"),
        body_en: fields.get("body_en"),
    }
}

/// `POST /{lang}/staff/opportunities/{id}/document`: adds a section.
pub async fn add_section(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, id)): Path<(String, String)>,
    PostedForm { parts, fields }: PostedForm,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let locale = locale(&parts);
    let Ok(id) = id.parse::<Uuid>() else {
        return pages
            .show(&parts, Default::default(), StatusCode::NOT_FOUND)
            .await;
    };
    let path = document_path(locale, id);
    let input = section_input(&fields);
    match actions::add_section(&state.db, &actor, id, &input, Utc::now()).await {
        Ok(section) => {
            Redirect::to(&format!("{path}?done=added#section-{section}")).into_response()
        }
        Err(error) => {
            let rename = |field: &str| format!("{field}-new");
            refused(&pages, &parts, &path, &fields, error, rename).await
        }
    }
}

/// `POST /{lang}/staff/opportunities/{id}/document/{section}[/delete]`: saves or removes a
/// section.
pub async fn change_section(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path(params): Path<Vec<(String, String)>>,
    PostedForm { parts, fields }: PostedForm,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let locale = locale(&parts);
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<Uuid>().ok())
    };
    let (Some(id), Some(section)) = (param("id"), param("section")) else {
        return pages
            .show(&parts, Default::default(), StatusCode::NOT_FOUND)
            .await;
    };
    let path = document_path(locale, id);
    let delete = parts.uri.path().ends_with("/delete");
    let done = if delete {
        actions::remove_section(&state.db, &actor, id, section)
            .await
            .map(|()| "removed")
    } else {
        let input = section_input(&fields);
        actions::save_section(&state.db, &actor, id, section, &input, Utc::now())
            .await
            .map(|()| "saved")
    };
    match done {
        Ok(done) => Redirect::to(&format!("{path}?done={done}")).into_response(),
        Err(error) => {
            let rename = |field: &str| format!("{field}-{section}");
            refused(&pages, &parts, &path, &fields, error, rename).await
        }
    }
}

/// `POST /{lang}/staff/opportunities/{id}/comments/{comment}/answer`: an official reply.
pub async fn answer(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, id, comment)): Path<(String, String, String)>,
    PostedForm { parts, fields }: PostedForm,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let locale = locale(&parts);
    let (Ok(id), Ok(comment)) = (id.parse::<Uuid>(), comment.parse::<Uuid>()) else {
        return pages
            .show(&parts, Default::default(), StatusCode::NOT_FOUND)
            .await;
    };
    let path = staff_comments_path(locale, id);
    let text = fields.get("body");
    match actions::answer(&state.db, &actor, id, comment, &text, Utc::now()).await {
        Ok(reply) => Redirect::to(&format!("{path}?answered=1#comment-{reply}")).into_response(),
        Err(error) => {
            let rename = |_: &str| format!("answer-{comment}");
            refused(&pages, &parts, &path, &fields, error, rename).await
        }
    }
}

/// `POST /{lang}/opportunities/{id}/follow`: follows (`follow=on`) or stops following a
/// consultation, then back to its comments saying so.
pub async fn follow(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Extension(CurrentParticipant(me)): Extension<CurrentParticipant>,
    Path((_, id)): Path<(String, String)>,
    PostedForm { parts, fields }: PostedForm,
) -> Response {
    let on = fields.get("follow") == "on";
    let Ok(id) = id.parse::<Uuid>() else {
        return pages
            .show(&parts, Default::default(), StatusCode::NOT_FOUND)
            .await;
    };
    match app::consultations::follow::follow(&state.db, &me, id, on, Utc::now()).await {
        Ok(true) => {
            let notice = if on { "followed" } else { "unfollowed" };
            Redirect::to(&format!("{}?{notice}=1", comments_path(locale(&parts), id)))
                .into_response()
        }
        Ok(false) => {
            pages
                .show(&parts, Default::default(), StatusCode::NOT_FOUND)
                .await
        }
        Err(error) => server_error(error),
    }
}
