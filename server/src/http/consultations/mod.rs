//! Consultations over HTTP: participants' comments, replies, helpful marks and flags; staff
//! editing the document and answering as the ministry (`forms`); their routes and access
//! rules, side by side. The pages themselves are the app's (`app::consultations`).

mod forms;

use app::accounts::Permission::{AnswerComments, AuthorSurveys, ReadSurveys};
use axum::{Router, http::Method, routing::post};

use super::access::{
    Access::{Needs, Participant, Public},
    Kind::*,
    Rule, rule,
};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/opportunities/{id}/comments", post(forms::comment))
        .route("/{lang}/opportunities/{id}/follow", post(forms::follow))
        .route(
            "/{lang}/opportunities/{id}/comments/{comment}",
            post(forms::reply),
        )
        .route(
            "/{lang}/opportunities/{id}/comments/{comment}/{what}",
            post(forms::mark),
        )
        .route(
            "/{lang}/staff/opportunities/{id}/document",
            post(forms::add_section),
        )
        .route(
            "/{lang}/staff/opportunities/{id}/document/{section}",
            post(forms::change_section),
        )
        .route(
            "/{lang}/staff/opportunities/{id}/document/{section}/delete",
            post(forms::change_section),
        )
        .route(
            "/{lang}/staff/opportunities/{id}/comments/{comment}/answer",
            post(forms::answer),
        )
}

/// Anyone reads a consultation's comments; signed-in participants comment, reply, mark,
/// flag and follow; authors edit the document (everyone who reads surveys sees it); authors, moderators
/// and admins answer as the ministry.
#[rustfmt::skip] // one rule per line reads as a table
pub const RULES: &[Rule] = &[
    rule(Method::GET, "/{lang}/opportunities/{id}/comments", Public, Page),
    rule(Method::POST, "/{lang}/opportunities/{id}/comments", Participant, Action),
    rule(Method::POST, "/{lang}/opportunities/{id}/follow", Participant, Action),
    rule(Method::GET, "/{lang}/opportunities/{id}/comments/{comment}", Public, Page),
    rule(Method::POST, "/{lang}/opportunities/{id}/comments/{comment}", Participant, Action),
    rule(Method::POST, "/{lang}/opportunities/{id}/comments/{comment}/{what}", Participant, Action),
    rule(Method::POST, "/api/consultations/document", Public, Query),
    rule(Method::POST, "/api/consultations/discussion", Public, Query),
    rule(Method::POST, "/api/consultations/thread", Public, Query),
    rule(Method::GET, "/{lang}/staff/opportunities/{id}/document", Needs(ReadSurveys), Page),
    rule(Method::POST, "/{lang}/staff/opportunities/{id}/document", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/{lang}/staff/opportunities/{id}/document/{section}", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/{lang}/staff/opportunities/{id}/document/{section}/delete", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/api/consultations/staff/document", Needs(ReadSurveys), Query),
    rule(Method::GET, "/{lang}/staff/opportunities/{id}/comments", Needs(AnswerComments), Page),
    rule(Method::POST, "/{lang}/staff/opportunities/{id}/comments/{comment}/answer", Needs(AnswerComments), Action),
    rule(Method::POST, "/api/consultations/staff/comments", Needs(AnswerComments), Query),
];
