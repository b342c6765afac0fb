//! Form handlers for opportunities: staff with the author role add and change consultations,
//! workshops and events. Each reads the form and calls the domain action
//! (`app::opportunities::actions`), which the API calls too. On a problem the page comes back
//! (422) with the errors and everything typed.

use app::Locale;
use app::opportunities::actions::{self, OpportunityError};
use app::opportunities::rules::{
    OpportunityInput, Problems, check, in_page_order, parse_form_time,
};
use app::page_state::FormFeedback;
use axum::{
    Extension,
    extract::{Path, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use uuid::Uuid;

use crate::AppState;
use crate::http::forms::{Feedback, Fields, Pages, Posted, actor, server_error};

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

/// The form again with everything typed and these problems, in the page's order.
fn typed_with(fields: &Fields, problems: Problems) -> FormFeedback {
    let mut feedback = TEXT_FIELDS
        .iter()
        .fold(Feedback::default(), |kept, field| {
            kept.keep(field, fields.get(field))
        })
        .keep("groups", fields.all("groups").join(","))
        .keep(
            "published",
            if fields.get("published") == "on" {
                "on"
            } else {
                ""
            },
        );
    for (field, key) in in_page_order(problems) {
        feedback.error(field, key);
    }
    feedback.into_inner()
}

/// The posted form as the action takes it, or the form again when a time cannot be read
/// (with the rules' other problems, so everything is named at once).
fn input(fields: &Fields) -> Result<OpportunityInput, FormFeedback> {
    let (input, mut problems) = read(fields);
    if problems.is_empty() {
        return Ok(input);
    }
    if let Err(more) = check(&input) {
        problems.extend(more);
    }
    Err(typed_with(fields, problems))
}

/// What the form shows when the action did not happen.
async fn refused(
    pages: &Pages,
    parts: &Parts,
    fields: &Fields,
    error: OpportunityError,
) -> Response {
    match error {
        OpportunityError::Forbidden => StatusCode::FORBIDDEN.into_response(),
        OpportunityError::NotFound => {
            pages
                .show(parts, FormFeedback::default(), StatusCode::NOT_FOUND)
                .await
        }
        OpportunityError::SurveyOwned => {
            let mut feedback = Feedback::default();
            feedback.error("", "opportunities.error.survey_not_editable");
            pages.show_again(parts, feedback.into_inner()).await
        }
        OpportunityError::Invalid(problems) => {
            pages.show_again(parts, typed_with(fields, problems)).await
        }
        OpportunityError::Store(error) => server_error(error),
    }
}

/// `POST /{lang}/staff/opportunities`: adds one, then lists them.
pub async fn create(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let input = match input(&fields) {
        Ok(input) => input,
        Err(feedback) => return pages.show_again(&parts, feedback).await,
    };
    match actions::create(&state.db, &actor, &input, Utc::now()).await {
        Ok(_) => {
            let list = format!("/{}/staff/opportunities?created=1", locale(&parts).code());
            Redirect::to(&list).into_response()
        }
        Err(error) => refused(&pages, &parts, &fields, error).await,
    }
}

/// `POST /{lang}/staff/opportunities/{id}`: changes one, then shows it.
pub async fn update(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, id)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let Ok(id) = id.parse::<Uuid>() else {
        return refused(&pages, &parts, &fields, OpportunityError::NotFound).await;
    };
    let input = match input(&fields) {
        Ok(input) => input,
        Err(feedback) => return pages.show_again(&parts, feedback).await,
    };
    match actions::update(&state.db, &actor, id, &input, Utc::now()).await {
        Ok(()) => {
            let page = format!(
                "/{}/staff/opportunities/{id}?saved=1",
                locale(&parts).code()
            );
            Redirect::to(&page).into_response()
        }
        Err(error) => refused(&pages, &parts, &fields, error).await,
    }
}
