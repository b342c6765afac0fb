//! Moderation over HTTP: moderators' decisions from the queue (`forms`) and the screening
//! API (`api`), their routes and access rules, side by side. The queue page is the app's
//! (`app::moderation::views`).

pub mod api;
mod forms;

use app::accounts::Permission::Moderate;
use axum::{Router, http::Method, routing::post};

use super::access::{
    Access::{Needs, Participant},
    Kind::*,
    Rule, rule,
};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/staff/moderation/{comment}", post(forms::decide))
        .route("/{lang}/staff/moderation/{comment}/ban", post(forms::ban))
        .route(
            "/{lang}/staff/moderation/appeals/{ban}",
            post(forms::decide_appeal),
        )
        .route("/{lang}/account/ban", post(forms::appeal))
        .merge(api::routes())
}

/// Moderators and admins work the queue, ban, decide appeals and screen texts through the API;
/// a participant reads their ban and appeals it.
#[rustfmt::skip] // one rule per line reads as a table
pub const RULES: &[Rule] = &[
    rule(Method::GET, "/{lang}/staff/moderation", Needs(Moderate), Page),
    rule(Method::POST, "/{lang}/staff/moderation/{comment}", Needs(Moderate), Action),
    rule(Method::POST, "/api/moderation/queue", Needs(Moderate), Query),
    rule(Method::POST, "/api/v1/moderation/screen", Needs(Moderate), Action),
    rule(Method::POST, "/{lang}/staff/moderation/{comment}/ban", Needs(Moderate), Action),
    rule(Method::GET, "/{lang}/staff/moderation/appeals", Needs(Moderate), Page),
    rule(Method::POST, "/{lang}/staff/moderation/appeals/{ban}", Needs(Moderate), Action),
    rule(Method::POST, "/api/moderation/appeals", Needs(Moderate), Query),
    rule(Method::POST, "/api/moderation/decided_appeals", Needs(Moderate), Query),
    rule(Method::POST, "/api/moderation/figures", Needs(Moderate), Query),
    rule(Method::GET, "/{lang}/account/ban", Participant, Page),
    rule(Method::POST, "/{lang}/account/ban", Participant, Action),
    rule(Method::POST, "/api/moderation/my_ban", Participant, Query),
];
