//! Form handlers of the survey editor: creating, importing and exporting a survey, its
//! details and schedule, its lifecycle (its sections and questions are in `questions`). Each
//! change reads its form (the question form through
//! its contract, `surveys::editor::question_form`) and hands the edit to
//! `surveys::actions::revise`, which checks the version the form was made from, checks the
//! result (and, once answers exist, against them), saves it as a new version and audits it.
//! On a problem the page comes back with everything typed and each problem named.

use app::numbers::parse_number;
use app::surveys::actions::{self, SurveyError};
use app::surveys::{
    Definition, Recurrence, Seen, StakeholderGroup, db as surveys_db,
    editor::question_form,
    lifecycle::{Move, start_of},
    model::{Languages, Text},
};
use axum::{
    Extension,
    extract::{Path, State},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use chrono::{NaiveDate, Utc};
use uuid::Uuid;

use crate::AppState;
use crate::http::forms::{self, Feedback, Fields, Pages, Posted, server_error};

pub(super) fn survey_page(parts: &Parts, id: Uuid) -> String {
    let locale = app::Locale::from_path(parts.uri.path()).unwrap_or_default();
    format!("/{}/staff/surveys/{id}", locale.code())
}

/// A new survey, in draft.
pub async fn create(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let languages = Languages::from_code(&fields.get("languages")).unwrap_or_default();
    let title = Text::new(fields.get("title_ar").trim(), fields.get("title_en").trim());
    let mut feedback = Feedback::default().keep_all(&fields);
    for locale in languages.required() {
        if title.in_language(*locale).is_empty() {
            feedback.error(
                &format!("title_{}", locale.code()),
                "surveys.title_required",
            );
        }
    }
    if feedback.has_errors() {
        return pages.show_again(&parts, feedback.into_inner()).await;
    }
    let definition = Definition {
        title,
        languages,
        ..Definition::default()
    };
    let Some(actor) = forms::actor(&parts) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    match actions::create(&state.db, &actor, &definition, Utc::now()).await {
        Ok(id) => Redirect::to(&survey_page(&parts, id)).into_response(),
        Err(error) => {
            let page = survey_page(&parts, Uuid::nil());
            refused(&pages, parts, &page, error).await
        }
    }
}

/// A survey from an exported definition (JSON pasted into the form).
pub async fn import(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = forms::actor(&parts) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let json = fields.get("json");
    // The form is on the list page; `/surveys/import` itself is no page.
    let locale = app::Locale::from_path(parts.uri.path()).unwrap_or_default();
    let list = format!("/{}/staff/surveys", locale.code());
    match actions::import(&state.db, &actor, &json, Utc::now()).await {
        Ok(id) => Redirect::to(&survey_page(&parts, id)).into_response(),
        Err(SurveyError::Problems(problems)) => {
            let mut feedback = Feedback::default().keep("json", json.as_str());
            feedback.problems(problems);
            pages.show_at(parts, &list, feedback.into_inner()).await
        }
        Err(error) => refused(&pages, parts, &list, error).await,
    }
}

/// The JSON export of a survey's definition, as a download.
pub async fn export(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_lang, id)): Path<(String, String)>,
    parts: Parts,
) -> Response {
    let Ok(id) = id.parse::<Uuid>() else {
        return not_found(&pages, parts).await;
    };
    match surveys_db::get(&state.db, id).await {
        Ok(Some(survey)) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/json; charset=utf-8".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"survey-{id}-v{}.json\"",
                        survey.version
                    ),
                ),
            ],
            survey.definition.to_json(),
        )
            .into_response(),
        Ok(None) => not_found(&pages, parts).await,
        Err(error) => server_error(error),
    }
}

/// The 404 page in the visitor's language, for a survey or question that does not exist.
async fn not_found(pages: &Pages, parts: Parts) -> Response {
    let locale = app::Locale::from_path(parts.uri.path()).unwrap_or_default();
    let mut response = pages
        .show_at(
            parts,
            &format!("/{}/not-found", locale.code()),
            Default::default(),
        )
        .await;
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

/// Applies a change to a survey's definition and saves it as a new version
/// (`surveys::actions::revise`). `change` reads the form and edits the definition, or reports
/// what is wrong with the form; it answers where to go next.
pub(super) async fn edit(
    state: &AppState,
    pages: &Pages,
    parts: Parts,
    fields: &Fields,
    id: &str,
    page: Option<String>,
    change: impl FnOnce(&mut Definition, &Fields) -> Result<String, Feedback>,
) -> Response {
    let Ok(id) = id.parse::<Uuid>() else {
        return not_found(pages, parts).await;
    };
    let Some(actor) = forms::actor(&parts) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let page = page.unwrap_or_else(|| survey_page(&parts, id));
    // A version that does not parse was not made from any saved one.
    let seen = Seen::parse(&fields.get(question_form::VERSION)).unwrap_or(Seen {
        version: u32::MAX,
        draft_revision: u32::MAX,
    });
    let revised = actions::revise(&state.db, &actor, id, seen, Utc::now(), |definition| {
        change(definition, fields)
    })
    .await;
    match revised {
        Ok(back) => Redirect::to(&back).into_response(),
        Err(SurveyError::Change(feedback)) => {
            pages.show_at(parts, &page, feedback.into_inner()).await
        }
        Err(SurveyError::Problems(problems)) => {
            let mut feedback = Feedback::default().keep_all(fields);
            feedback.problems(problems);
            pages.show_at(parts, &page, feedback.into_inner()).await
        }
        Err(error) => refused(pages, parts, &page, error).await,
    }
}

/// A survey action's refusal as the editor shows it: on `page`, with the reason.
async fn refused<E>(pages: &Pages, parts: Parts, page: &str, error: SurveyError<E>) -> Response {
    let key = match error {
        SurveyError::NotFound => return not_found(pages, parts).await,
        SurveyError::Forbidden => return StatusCode::FORBIDDEN.into_response(),
        SurveyError::Store(error) => return server_error(error),
        SurveyError::Problems(problems) | SurveyError::NotReady(problems) => {
            let mut feedback = Feedback::default();
            feedback.problems(problems);
            return pages.show_at(parts, page, feedback.into_inner()).await;
        }
        SurveyError::Archived => "surveys.archived_read_only",
        SurveyError::Stale => "surveys.stale",
        SurveyError::NotAllowed(_) => "surveys.move_not_allowed",
        SurveyError::Change(_) => "surveys.bad_choice",
    };
    pages.show_with_error(parts, page, key).await
}

/// Runs the scheduler's work now, so a change of dates or a publication takes effect at once
/// (opening, closing, due waves) rather than at the next tick. A failure is left to the tick.
async fn apply_schedule(state: &AppState) {
    if let Err(error) = surveys_db::tick(&state.db, Utc::now()).await {
        tracing::warn!(%error, "applying the schedule after a change; the scheduler will retry");
    }
}

fn parse_date(fields: &Fields, name: &str, feedback: &mut Feedback) -> Option<NaiveDate> {
    let value = fields.get(name);
    if value.trim().is_empty() {
        return None;
    }
    let date = value.trim().parse::<NaiveDate>().ok();
    if date.is_none() {
        feedback.error(name, "surveys.bad_date");
    }
    date
}

/// Title, description, languages, schedule and catalogue settings.
pub async fn details(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_lang, id)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let mut feedback = Feedback::default().keep_all(&fields);
    let opens = parse_date(&fields, "opens_at", &mut feedback);
    let closes = parse_date(&fields, "closes_at", &mut feedback);
    if let (Some(opens), Some(closes)) = (opens, closes)
        && closes <= opens
    {
        feedback.error("closes_at", "surveys.closes_before_opens");
    }
    let recurrence_code = fields.get("recurrence");
    let recurrence = Recurrence::from_code(&recurrence_code);
    if !recurrence_code.is_empty() && recurrence.is_none() {
        feedback.error("recurrence", "surveys.bad_choice");
    }
    let wave_days = match fields.get("wave_days").trim() {
        "" => None,
        days => match parse_number(days) {
            Some(d) if d.fract() == 0.0 && (1.0..=365.0).contains(&d) => Some(d as u32),
            _ => {
                feedback.error("wave_days", "surveys.bad_wave_days");
                None
            }
        },
    };
    if recurrence.is_some() && opens.is_none() {
        feedback.error("opens_at", "surveys.periodic_needs_start");
    }
    let topic = fields.get("topic");
    if !app::opportunities::TOPICS.contains(&topic.as_str()) {
        feedback.error("topic", "surveys.bad_choice");
    }
    let groups = fields.all("groups");
    if groups
        .iter()
        .any(|g| StakeholderGroup::from_code(g).is_none())
    {
        feedback.error("groups", "surveys.bad_choice");
    }
    let languages = Languages::from_code(&fields.get("languages"));
    if languages.is_none() {
        feedback.error("languages", "surveys.bad_choice");
    }
    let title = Text::new(fields.get("title_ar").trim(), fields.get("title_en").trim());
    if title.is_empty() {
        feedback.error("title_ar", "surveys.title_required");
    }
    let settings = surveys_db::Settings {
        opens_at: opens.map(start_of),
        closes_at: closes.map(start_of),
        recurrence,
        wave_days: recurrence.map(|_| wave_days.unwrap_or(30)),
        topic,
        groups,
    };
    let description = Text::new(
        fields.get("description_ar").trim(),
        fields.get("description_en").trim(),
    );
    let id_text = id.clone();
    let response = edit(
        &state,
        &pages,
        parts.clone(),
        &fields,
        &id,
        None,
        move |definition, _| {
            if feedback.has_errors() {
                return Err(feedback);
            }
            definition.title = title;
            definition.description = description;
            definition.languages = languages.unwrap_or_default();
            Ok(String::new())
        },
    )
    .await;
    // The definition is saved (a redirect); now the schedule and catalogue settings.
    if !response.status().is_redirection() {
        return response;
    }
    let Ok(id) = id_text.parse::<Uuid>() else {
        return response;
    };
    if let Err(error) = surveys_db::save_settings(&state.db, id, &settings, Utc::now()).await {
        return server_error(error);
    }
    apply_schedule(&state).await;
    Redirect::to(&survey_page(&parts, id)).into_response()
}

/// Publishes or discards a live survey's staged changes (`surveys::actions::publish_changes`,
/// `discard_changes`), then back to its page saying which.
pub async fn changes(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_lang, id)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Ok(id) = id.parse::<Uuid>() else {
        return not_found(&pages, parts).await;
    };
    let Some(actor) = forms::actor(&parts) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let page = survey_page(&parts, id);
    let Some(seen) = Seen::parse(&fields.get(question_form::VERSION)) else {
        return pages.show_with_error(parts, &page, "surveys.stale").await;
    };
    let now = Utc::now();
    let done = match fields.get("do").as_str() {
        "publish" => actions::publish_changes(&state.db, &actor, id, seen, now)
            .await
            .map(|_| "published"),
        "discard" => actions::discard_changes(&state.db, &actor, id, seen, now)
            .await
            .map(|()| "discarded"),
        _ => {
            return pages
                .show_with_error(parts, &page, "surveys.bad_choice")
                .await;
        }
    };
    match done {
        Ok(done) => Redirect::to(&format!("{page}?changes={done}")).into_response(),
        Err(error) => refused(&pages, parts, &page, error).await,
    }
}

/// Publish, close, reopen, archive, or back to draft (`surveys::actions::move_survey`).
pub async fn status(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_lang, id)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Ok(id) = id.parse::<Uuid>() else {
        return not_found(&pages, parts).await;
    };
    let Some(actor) = forms::actor(&parts) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let page = survey_page(&parts, id);
    let Some(action) = Move::from_code(&fields.get("move")) else {
        return pages
            .show_with_error(parts, &page, "surveys.bad_choice")
            .await;
    };
    match actions::move_survey(&state.db, &actor, id, action, Utc::now()).await {
        Ok(_) => Redirect::to(&page).into_response(),
        Err(error) => refused(&pages, parts, &page, error).await,
    }
}
