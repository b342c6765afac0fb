//! The feedback domain over HTTP: the public form, the tracking and rating pages' forms, the
//! staff forms (`forms`), the JSON API (`api`), their routes and their access rules, side by
//! side.

pub mod api;
mod figures;
mod forms;

use app::accounts::Permission::{HandleFeedback, ManageUsers, ReadFeedbackFigures};
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
        .route("/{lang}/feedback", post(forms::submit))
        .route("/{lang}/feedback/track/{token}", post(forms::message))
        .route(
            "/{lang}/feedback/track/{token}/rate/{reply}",
            post(forms::rate_on_case),
        )
        .route("/{lang}/feedback/rate/{token}", post(forms::rate))
        .route("/{lang}/account/feedback/{id}", post(forms::my_message))
        .route(
            "/{lang}/account/feedback/{id}/rate/{reply}",
            post(forms::my_rate),
        )
        .route("/{lang}/staff/feedback/new", post(forms::record))
        .route("/{lang}/staff/feedback/figures.csv", get(figures::csv))
        .route(
            "/{lang}/staff/feedback/settings/topics",
            post(forms::route_topic),
        )
        .route(
            "/{lang}/staff/feedback/settings/holidays",
            post(forms::add_holiday),
        )
        .route(
            "/{lang}/staff/feedback/settings/holidays/remove",
            post(forms::remove_holiday),
        )
        .route("/{lang}/staff/feedback/{id}/{action}", post(forms::act))
        .merge(api::routes())
}

/// Anyone sends feedback, follows their case by its private link and rates the replies (the
/// link is the key: no sign-in, no CSRF token, limited per address); responders and admins
/// work on cases; admins set topics' teams and service levels and the holidays.
#[rustfmt::skip] // one rule per line reads as a table
pub const RULES: &[Rule] = &[
    rule(Method::GET, "/{lang}/feedback", Public, Page),
    rule(Method::POST, "/{lang}/feedback", Public, Submit),
    rule(Method::GET, "/{lang}/feedback/track/{token}", Public, Page),
    rule(Method::POST, "/{lang}/feedback/track/{token}", Public, Submit),
    rule(Method::POST, "/{lang}/feedback/track/{token}/rate/{reply}", Public, Submit),
    rule(Method::GET, "/{lang}/feedback/rate/{token}", Public, Page),
    rule(Method::POST, "/{lang}/feedback/rate/{token}", Public, Submit),
    rule(Method::POST, "/api/feedback/choices", Public, Query),
    rule(Method::POST, "/api/feedback/track", Public, Query),
    rule(Method::POST, "/api/feedback/rating", Public, Query),
    rule(Method::GET, "/{lang}/staff/feedback", Needs(HandleFeedback), Page),
    rule(Method::GET, "/{lang}/staff/feedback/new", Needs(HandleFeedback), Page),
    rule(Method::POST, "/{lang}/staff/feedback/new", Needs(HandleFeedback), Action),
    rule(Method::GET, "/{lang}/staff/feedback/settings", Needs(ManageUsers), Page),
    rule(Method::POST, "/{lang}/staff/feedback/settings/topics", Needs(ManageUsers), Action),
    rule(Method::POST, "/{lang}/staff/feedback/settings/holidays", Needs(ManageUsers), Action),
    rule(Method::POST, "/{lang}/staff/feedback/settings/holidays/remove", Needs(ManageUsers), Action),
    rule(Method::GET, "/{lang}/staff/feedback/figures", Needs(ReadFeedbackFigures), Page),
    rule(Method::GET, "/{lang}/staff/feedback/figures.csv", Needs(ReadFeedbackFigures), Query),
    rule(Method::GET, "/{lang}/staff/feedback/{id}", Needs(HandleFeedback), Page),
    rule(Method::POST, "/{lang}/staff/feedback/{id}/{action}", Needs(HandleFeedback), Action),
    rule(Method::POST, "/api/feedback/staff/list", Needs(HandleFeedback), Query),
    rule(Method::POST, "/api/feedback/mine", Needs(HandleFeedback), Query),
    rule(Method::POST, "/api/feedback/staff/get", Needs(HandleFeedback), Query),
    rule(Method::POST, "/api/feedback/settings", Needs(ManageUsers), Query),
    rule(Method::POST, "/api/feedback/figures", Needs(ReadFeedbackFigures), Query),
    rule(Method::POST, "/api/v1/feedback", Needs(HandleFeedback), Action),
    rule(Method::GET, "/api/v1/feedback/{reference}", Needs(HandleFeedback), Query),
];
