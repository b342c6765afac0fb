//! "You said, we did" over HTTP: the staff forms (`forms`), the public Atom feed (`feed`),
//! the one-click unsubscribe, their routes and access rules, side by side. The pages are the
//! app's (`app::outcomes::views`, `staff_views`).

mod feed;
mod forms;

use app::accounts::Permission::{AuthorSurveys, ManageUsers, ReadSurveys};
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
        .route("/{lang}/outcomes/feed.atom", get(feed::atom))
        .route(
            "/{lang}/outcomes/unsubscribe/{token}",
            post(forms::unsubscribe),
        )
        .route("/{lang}/staff/outcomes", post(forms::create))
        .route(
            "/{lang}/staff/contacts/retention",
            post(forms::set_retention),
        )
        .route("/{lang}/staff/outcomes/{id}", post(forms::update))
        .route("/{lang}/staff/outcomes/{id}/publish", post(forms::publish))
        .route(
            "/{lang}/staff/outcomes/{id}/progress",
            post(forms::progress),
        )
}

/// Anyone reads published outcomes, their feed and the results list, and stops outcome
/// emails with the link they were sent (no CSRF token: mail programs post it in one click);
/// staff who read surveys see every outcome; authors add, change, publish and progress them.
#[rustfmt::skip] // one rule per line reads as a table
pub const RULES: &[Rule] = &[
    rule(Method::GET, "/{lang}/outcomes", Public, Page),
    rule(Method::GET, "/{lang}/outcomes/{id}", Public, Page),
    rule(Method::GET, "/{lang}/outcomes/feed.atom", Public, Query),
    rule(Method::GET, "/{lang}/outcomes/unsubscribe/{token}", Public, Page),
    rule(Method::POST, "/{lang}/outcomes/unsubscribe/{token}", Public, Submit),
    rule(Method::POST, "/api/outcomes/list", Public, Query),
    rule(Method::POST, "/api/outcomes/get", Public, Query),
    rule(Method::POST, "/api/outcomes/closing_loop", Public, Query),
    rule(Method::POST, "/api/outcomes/results", Public, Query),
    rule(Method::GET, "/{lang}/staff/outcomes", Needs(ReadSurveys), Page),
    rule(Method::POST, "/{lang}/staff/outcomes", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/{lang}/staff/contacts/retention", Needs(ManageUsers), Action),
    rule(Method::POST, "/api/outcomes/retention", Needs(ReadSurveys), Query),
    rule(Method::GET, "/{lang}/staff/outcomes/new", Needs(AuthorSurveys), Page),
    rule(Method::GET, "/{lang}/staff/outcomes/{id}", Needs(ReadSurveys), Page),
    rule(Method::POST, "/{lang}/staff/outcomes/{id}", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/{lang}/staff/outcomes/{id}/publish", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/{lang}/staff/outcomes/{id}/progress", Needs(AuthorSurveys), Action),
    rule(Method::POST, "/api/outcomes/staff/list", Needs(ReadSurveys), Query),
    rule(Method::POST, "/api/outcomes/staff/get", Needs(ReadSurveys), Query),
];
