//! Form handlers for a survey's structure: adding, renaming and removing sections; adding,
//! moving, deleting and changing questions. Each is an edit handed to `forms::edit`, which
//! saves it as a new version through `surveys::actions::revise`.

use app::surveys::editor::question_form;
use app::surveys::model::{Kind, Question, Section, Text};
use axum::{
    Extension,
    extract::{Path, State},
    response::Response,
};

use super::forms::{edit, survey_page};
use crate::AppState;
use crate::http::forms::{Feedback, Pages, Posted};

pub async fn add_section(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_lang, id)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let page = survey_page(&parts, id.parse().unwrap_or_default());
    edit(
        &state,
        &pages,
        parts,
        &fields,
        &id,
        None,
        move |definition, _| {
            let key = definition.fresh_key("s");
            definition.sections.push(Section::new(&key));
            Ok(format!("{page}#section-{key}"))
        },
    )
    .await
}

/// A section's titles, or its removal (only when it has no questions and is not the last).
pub async fn section(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_lang, id, key)): Path<(String, String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let page = survey_page(&parts, id.parse().unwrap_or_default());
    edit(
        &state,
        &pages,
        parts,
        &fields,
        &id,
        None,
        move |definition, fields| {
            let Some(index) = definition.sections.iter().position(|s| s.key == key) else {
                return Err(error_feedback("surveys.not_found"));
            };
            if !fields.get("delete").is_empty() {
                if !definition.sections[index].questions.is_empty()
                    || definition.sections.len() == 1
                {
                    return Err(error_feedback("surveys.section_not_empty"));
                }
                definition.sections.remove(index);
                return Ok(page);
            }
            definition.sections[index].title =
                Text::new(fields.get("title_ar").trim(), fields.get("title_en").trim());
            Ok(format!("{page}#section-{key}"))
        },
    )
    .await
}

fn error_feedback(key: &str) -> Feedback {
    let mut feedback = Feedback::default();
    feedback.error("", key);
    feedback
}

/// A new question of the chosen type at the end of a section; then its page opens.
pub async fn add_question(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_lang, id)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let page = survey_page(&parts, id.parse().unwrap_or_default());
    edit(
        &state,
        &pages,
        parts,
        &fields,
        &id,
        None,
        move |definition, fields| {
            let Some(kind) = Kind::new_of(&fields.get("type")) else {
                return Err(error_feedback("surveys.bad_choice"));
            };
            let section = fields.get("section");
            let key = definition.fresh_key("q");
            let Some(section) = definition.sections.iter_mut().find(|s| s.key == section) else {
                return Err(error_feedback("surveys.not_found"));
            };
            section.questions.push(Question {
                key: key.clone(),
                text: Text::default(),
                help: Text::default(),
                required: false,
                show_if: None,
                kind,
            });
            Ok(format!("{page}/questions/{key}"))
        },
    )
    .await
}

/// Moves a question up or down, across into the neighbouring section at a section's edge.
pub async fn move_question(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_lang, id, key)): Path<(String, String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let page = survey_page(&parts, id.parse().unwrap_or_default());
    edit(
        &state,
        &pages,
        parts,
        &fields,
        &id,
        None,
        move |definition, fields| {
            let up = fields.get("direction") == "up";
            if !definition.move_question(&key, up) {
                return Err(error_feedback("surveys.cannot_move"));
            }
            Ok(format!("{page}#sections"))
        },
    )
    .await
}

pub async fn delete_question(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_lang, id, key)): Path<(String, String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let page = survey_page(&parts, id.parse().unwrap_or_default());
    edit(
        &state,
        &pages,
        parts,
        &fields,
        &id,
        None,
        move |definition, _| {
            let before = definition.questions().count();
            for section in &mut definition.sections {
                section.questions.retain(|q| q.key != key);
            }
            if definition.questions().count() == before {
                return Err(error_feedback("surveys.not_found"));
            }
            Ok(format!("{page}#sections"))
        },
    )
    .await
}

/// A question's wording, settings and show-if rules.
pub async fn question(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_lang, id, key)): Path<(String, String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let survey_path = survey_page(&parts, id.parse().unwrap_or_default());
    let page = parts.uri.path().to_owned();
    edit(
        &state,
        &pages,
        parts,
        &fields,
        &id,
        Some(page),
        move |definition, fields| {
            let Some(existing) = definition.question(&key).cloned() else {
                return Err(error_feedback("surveys.not_found"));
            };
            let mut feedback = Feedback::default().keep_all(fields);
            let question = question_form::read(&existing, fields, feedback.inner_mut());
            if feedback.has_errors() {
                return Err(feedback);
            }
            if let Some(slot) = definition.question_mut(&key) {
                *slot = question;
            }
            Ok(format!("{survey_path}#sections"))
        },
    )
    .await
}
