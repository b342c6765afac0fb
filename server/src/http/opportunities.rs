//! Form handlers for opportunities: staff with the author role add and change consultations,
//! workshops and events. Survey opportunities are refused here (they change with their survey).
//! On a problem the page comes back (422) with the errors and everything typed.

use app::Locale;
use app::accounts::{CurrentUser, Permission};
use app::opportunities::rules::{
    OpportunityFields, OpportunityInput, Problems, check, in_page_order, parse_form_time,
};
use app::opportunities::{OpportunityKind, db};
use app::page_state::FormFeedback;
use axum::{
    Extension,
    extract::{Path, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use uuid::Uuid;

use super::forms::{Feedback, Fields, Pages, Posted, record_audit, server_error};
use crate::AppState;

/// The form's text fields, shown again as typed.
const TEXT_FIELDS: [&str; 12] = [
    "kind",
    "title_ar",
    "title_en",
    "summary_ar",
    "summary_en",
    "body_ar",
    "body_en",
    "topic",
    "starts_at",
    "ends_at",
    "location",
    "link",
];

/// Whether the poster may change opportunities (the access layer checked it too).
fn may_author(parts: &Parts) -> bool {
    parts
        .extensions
        .get::<CurrentUser>()
        .is_some_and(|u| u.can(Permission::AuthorSurveys))
}

fn locale(parts: &Parts) -> Locale {
    Locale::from_path(parts.uri.path()).unwrap_or_default()
}

/// The posted form as the rules read it, with any time that could not be read.
fn read(fields: &Fields) -> (OpportunityInput, Problems) {
    let mut problems = Problems::new();
    let mut time = |field: &'static str, end_of_day: bool, key: &'static str| {
        parse_form_time(&fields.get(field), end_of_day).unwrap_or_else(|_| {
            problems.push((field, key));
            None
        })
    };
    let starts_at = time("starts_at", false, "opportunities.error.starts_at_invalid");
    let ends_at = time("ends_at", true, "opportunities.error.ends_at_invalid");
    let input = OpportunityInput {
        kind: fields.get("kind"),
        title_ar: fields.get("title_ar"),
        title_en: fields.get("title_en"),
        summary_ar: fields.get("summary_ar"),
        summary_en: fields.get("summary_en"),
        body_ar: fields.get("body_ar"),
        body_en: fields.get("body_en"),
        topic: fields.get("topic"),
        groups: fields.all("groups"),
        starts_at,
        ends_at,
        location: fields.get("location"),
        link: fields.get("link"),
        published: fields.get("published") == "on",
    };
    (input, problems)
}

/// The checked fields, or the feedback to show the form again with.
fn checked(fields: &Fields) -> Result<OpportunityFields, FormFeedback> {
    let (input, mut problems) = read(fields);
    match check(&input) {
        Ok(checked) if problems.is_empty() => return Ok(checked),
        Ok(_) => {}
        Err(more) => problems.extend(more),
    }
    let mut feedback = TEXT_FIELDS
        .iter()
        .fold(Feedback::default(), |kept, field| {
            kept.keep(field, fields.get(field))
        })
        .keep("groups", fields.all("groups").join(","))
        .keep("published", if input.published { "on" } else { "" });
    for (field, key) in in_page_order(problems) {
        feedback.error(field, key);
    }
    Err(feedback.into_inner())
}

pub async fn create(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    if !may_author(&parts) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let checked = match checked(&fields) {
        Ok(checked) => checked,
        Err(feedback) => return pages.show_again(&parts, feedback).await,
    };
    match db::create(&state.db, &checked, Utc::now()).await {
        Ok(id) => {
            let title = Some(checked.title_en);
            record_audit(
                &state,
                &parts,
                None,
                "opportunity.create",
                id.to_string(),
                title,
            )
            .await;
            let list = format!("/{}/staff/opportunities?created=1", locale(&parts).code());
            Redirect::to(&list).into_response()
        }
        Err(error) => server_error(error),
    }
}

pub async fn update(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, id)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    if !may_author(&parts) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let not_found = || pages.show(&parts, FormFeedback::default(), StatusCode::NOT_FOUND);
    let Ok(id) = id.parse::<Uuid>() else {
        return not_found().await;
    };
    match db::find(&state.db, id).await {
        Ok(Some(found)) if found.kind == OpportunityKind::Survey => {
            let mut feedback = Feedback::default();
            feedback.error("", "opportunities.error.survey_not_editable");
            return pages.show_again(&parts, feedback.into_inner()).await;
        }
        Ok(Some(_)) => {}
        Ok(None) => return not_found().await,
        Err(error) => return server_error(error),
    }
    let checked = match checked(&fields) {
        Ok(checked) => checked,
        Err(feedback) => return pages.show_again(&parts, feedback).await,
    };
    match db::update(&state.db, id, &checked, Utc::now()).await {
        Ok(true) => {
            let title = Some(checked.title_en);
            record_audit(
                &state,
                &parts,
                None,
                "opportunity.update",
                id.to_string(),
                title,
            )
            .await;
            let page = format!(
                "/{}/staff/opportunities/{id}?saved=1",
                locale(&parts).code()
            );
            Redirect::to(&page).into_response()
        }
        Ok(false) => not_found().await,
        Err(error) => server_error(error),
    }
}
