//! The responses domain over HTTP: the participant's form and the staff's collection pages
//! (`forms`), posting a response through the JSON API (`api`), their routes and their access
//! rules, side by side.

pub mod api;
pub(crate) mod forms;

use app::accounts::Permission::{AuthorSurveys, CollectResponses, ReadSurveys};
use axum::{Router, http::Method, routing::post};

use super::access::{
    Access::{Needs, Public},
    Kind::*,
    Rule, rule,
};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/s/{key}", post(forms::submit))
        .route("/{lang}/s/{key}/contact", post(forms::contact))
        .route("/{lang}/s/{key}/notify", post(forms::notify))
        .route("/{lang}/staff/surveys/{id}/collect", post(forms::settings))
        .route(
            "/{lang}/staff/surveys/{id}/invitations",
            post(forms::invite),
        )
        .route("/{lang}/staff/surveys/{id}/enter", post(forms::assisted))
        .merge(api::routes())
}

/// Anyone answers an open survey; authors set how it collects; responders and authors enter
/// responses taken by phone, on paper or in person, or post them through the API.
#[rustfmt::skip] // one rule per line reads as a table
pub const RULES: &[Rule] = &[
    rule(Method::GET, "/{lang}/staff/enter", Needs(CollectResponses), Page),
    rule(Method::POST, "/api/responses/enterable", Needs(CollectResponses), Query),
    rule(Method::GET, "/{lang}/s/{key}", Public, Page),
    rule(Method::POST, "/{lang}/s/{key}", Public, Submit),
    rule(Method::GET, "/{lang}/s/{key}/thanks", Public, Page),
    rule(Method::POST, "/{lang}/s/{key}/contact", Public, Submit),
    rule(Method::POST, "/{lang}/s/{key}/notify", Public, Submit),
    rule(Method::POST, "/api/responses/form", Public, Query),
    rule(Method::POST, "/api/responses/thanks", Public, Query),
    rule(Method::GET, "/{lang}/staff/surveys/{id}/collect", Needs(ReadSurveys), Page),
    rule(Method::POST, "/{lang}/staff/surveys/{id}/collect", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/{lang}/staff/surveys/{id}/invitations", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/api/responses/collect", Needs(ReadSurveys), Query),
    rule(Method::GET, "/{lang}/staff/surveys/{id}/enter", Needs(CollectResponses), Page),
    rule(Method::POST, "/{lang}/staff/surveys/{id}/enter", Needs(CollectResponses), Action),
    rule(Method::POST, "/api/responses/assist", Needs(CollectResponses), Query),
    rule(Method::POST, "/api/v1/surveys/{id}/responses", Needs(CollectResponses), Action),
];
