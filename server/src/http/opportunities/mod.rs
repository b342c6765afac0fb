//! The opportunities domain over HTTP: the staff forms (`forms`), the public feeds (`feeds`),
//! the JSON API (`api`), their routes and their access rules, side by side.

pub mod api;
mod feeds;
mod forms;

use app::accounts::Permission::{AuthorSurveys, ReadSurveys};
use axum::{
    Router,
    http::Method,
    routing::{get, post},
};

use super::access::{
    Access::{Needs, Public},
    Kind::*,
    Rule, rule,
};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/opportunities/feed.atom", get(feeds::atom))
        .route("/{lang}/opportunities/calendar.ics", get(feeds::calendar))
        .route("/{lang}/staff/opportunities", post(forms::create))
        .route("/{lang}/staff/opportunities/{id}", post(forms::update))
        .merge(api::routes())
}

/// Anyone sees published opportunities and their feeds; authors add and change them;
/// analysts (and authors, admins) read every one.
#[rustfmt::skip] // one rule per line reads as a table
pub const RULES: &[Rule] = &[
    rule(Method::GET, "/{lang}/opportunities", Public, Page),
    rule(Method::GET, "/{lang}/opportunities/{id}", Public, Page),
    rule(Method::GET, "/{lang}/opportunities/feed.atom", Public, Query),
    rule(Method::GET, "/{lang}/opportunities/calendar.ics", Public, Query),
    rule(Method::POST, "/api/opportunities/list", Public, Query),
    rule(Method::POST, "/api/opportunities/featured", Public, Query),
    rule(Method::POST, "/api/opportunities/get", Public, Query),
    rule(Method::GET, "/{lang}/staff/opportunities", Needs(ReadSurveys), Page),
    rule(Method::POST, "/{lang}/staff/opportunities", Needs(AuthorSurveys), Action),
    rule(Method::GET, "/{lang}/staff/opportunities/{id}", Needs(ReadSurveys), Page),
    rule(Method::POST, "/{lang}/staff/opportunities/{id}", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/api/opportunities/staff/list", Needs(ReadSurveys), Query),
    rule(Method::POST, "/api/opportunities/staff/get", Needs(ReadSurveys), Query),
    rule(Method::GET, "/api/v1/opportunities", Public, Query),
    rule(Method::POST, "/api/v1/opportunities", Needs(AuthorSurveys), Action),
    rule(Method::GET, "/api/v1/opportunities/{id}", Public, Query),
    rule(Method::PUT, "/api/v1/opportunities/{id}", Needs(AuthorSurveys), Action),
];
