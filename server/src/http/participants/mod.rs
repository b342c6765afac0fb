//! Participants over HTTP: asking for a sign-in, signing in with its link or code, the
//! account's profile, signing out and deleting the account (`forms`), their routes and their
//! access rules, side by side. The participant's session is loaded in `http::session`.

mod forms;

use axum::{Router, http::Method, routing::post};

use super::access::{
    Access::{Participant, Public},
    Kind::*,
    Rule, rule,
};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/account", post(forms::profile))
        .route("/{lang}/account/sign-in", post(forms::request))
        .route("/{lang}/account/sign-in/code/{id}", post(forms::code))
        .route("/{lang}/account/sign-in/link/{token}", post(forms::link))
        .route("/{lang}/account/sign-out", post(forms::sign_out))
        .route("/{lang}/account/delete", post(forms::delete))
}

/// Anyone asks for a sign-in and uses it; the account's pages and forms need a participant's
/// session (a staff session is not one).
#[rustfmt::skip] // one rule per line reads as a table
pub const RULES: &[Rule] = &[
    rule(Method::GET, "/{lang}/account/sign-in", Public, Page),
    rule(Method::POST, "/{lang}/account/sign-in", Public, Action),
    rule(Method::GET, "/{lang}/account/sign-in/code/{id}", Public, Page),
    rule(Method::POST, "/{lang}/account/sign-in/code/{id}", Public, Action),
    rule(Method::GET, "/{lang}/account/sign-in/link/{token}", Public, Page),
    rule(Method::POST, "/{lang}/account/sign-in/link/{token}", Public, Action),
    rule(Method::POST, "/api/participants/me", Public, Query),
    rule(Method::GET, "/{lang}/account", Participant, Page),
    rule(Method::POST, "/{lang}/account", Participant, Action),
    rule(Method::POST, "/{lang}/account/sign-out", Participant, Action),
    rule(Method::GET, "/{lang}/account/delete", Participant, Page),
    rule(Method::POST, "/{lang}/account/delete", Participant, Action),
    rule(Method::GET, "/{lang}/account/feedback/{id}", Participant, Page),
    rule(Method::POST, "/{lang}/account/feedback/{id}", Participant, Action),
    rule(Method::POST, "/{lang}/account/feedback/{id}/rate/{reply}", Participant, Action),
    rule(Method::POST, "/api/participants/account", Participant, Query),
    rule(Method::POST, "/api/participants/case", Participant, Query),
];
