//! The surveys domain over HTTP: the editor's forms (`forms`), the JSON API (`api`), their
//! routes and their access rules, side by side.

pub mod api;
pub(crate) mod forms;
mod questions;

use app::accounts::Permission::{AuthorSurveys, ReadSurveys};
use axum::{
    Router,
    routing::{get, post},
};

use axum::http::Method;

use super::access::{Access::Needs, Kind::*, Rule, rule};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    use forms::*;
    use questions::*;
    Router::new()
        .route("/{lang}/staff/surveys", post(create))
        .route("/{lang}/staff/surveys/import", post(import))
        .route("/{lang}/staff/surveys/{id}/export.json", get(export))
        .route("/{lang}/staff/surveys/{id}/details", post(details))
        .route("/{lang}/staff/surveys/{id}/status", post(status))
        .route("/{lang}/staff/surveys/{id}/changes", post(changes))
        .route("/{lang}/staff/surveys/{id}/sections", post(add_section))
        .route("/{lang}/staff/surveys/{id}/sections/{key}", post(section))
        .route("/{lang}/staff/surveys/{id}/questions", post(add_question))
        .route("/{lang}/staff/surveys/{id}/questions/{key}", post(question))
        .route(
            "/{lang}/staff/surveys/{id}/questions/{key}/move",
            post(move_question),
        )
        .route(
            "/{lang}/staff/surveys/{id}/questions/{key}/delete",
            post(delete_question),
        )
        .merge(api::routes())
}

/// Authors change surveys; analysts (and authors, admins) read and preview them.
#[rustfmt::skip] // one rule per line reads as a table
pub const RULES: &[Rule] = &[
    rule(Method::GET, "/{lang}/staff/surveys", Needs(ReadSurveys), Page),
    rule(Method::POST, "/{lang}/staff/surveys", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/{lang}/staff/surveys/import", Needs(AuthorSurveys), Action),
    rule(Method::GET, "/{lang}/staff/surveys/{id}", Needs(ReadSurveys), Page),
    rule(Method::GET, "/{lang}/staff/surveys/{id}/preview", Needs(ReadSurveys), Page),
    rule(Method::GET, "/{lang}/staff/surveys/{id}/export.json", Needs(ReadSurveys), Query),
    rule(Method::POST, "/{lang}/staff/surveys/{id}/details", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/{lang}/staff/surveys/{id}/status", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/{lang}/staff/surveys/{id}/changes", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/{lang}/staff/surveys/{id}/sections", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/{lang}/staff/surveys/{id}/sections/{key}", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/{lang}/staff/surveys/{id}/questions", Needs(AuthorSurveys), Action),
    rule(Method::GET, "/{lang}/staff/surveys/{id}/questions/{key}", Needs(ReadSurveys), Page),
    rule(Method::POST, "/{lang}/staff/surveys/{id}/questions/{key}", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/{lang}/staff/surveys/{id}/questions/{key}/move", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/{lang}/staff/surveys/{id}/questions/{key}/delete", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/api/surveys/list", Needs(ReadSurveys), Query),
    rule(Method::POST, "/api/surveys/load", Needs(ReadSurveys), Query),
    rule(Method::POST, "/api/pages/overview", Needs(ReadSurveys), Query),
    rule(Method::GET, "/api/v1/surveys", Needs(ReadSurveys), Query),
    rule(Method::POST, "/api/v1/surveys/import", Needs(AuthorSurveys), Action),
    rule(Method::GET, "/api/v1/surveys/{id}", Needs(ReadSurveys), Query),
    rule(Method::PUT, "/api/v1/surveys/{id}/definition", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/api/v1/surveys/{id}/status", Needs(AuthorSurveys), Action),
];
