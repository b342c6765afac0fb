//! The accounts domain over HTTP: signing in and out, staff accounts, teams and API tokens
//! (`forms`, `teams`, `tokens`), the JSON API (`api`), their routes and their access rules,
//! side by side.

pub mod api;
mod forms;
mod teams;
mod tokens;

use app::accounts::Permission::{EnterStaffArea, ManageUsers};
use axum::{Router, http::Method, routing::post};

use super::access::{
    Access::{Needs, Public, SignedIn},
    Kind::*,
    Rule, rule,
};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/login", post(forms::login))
        .route("/{lang}/logout", post(forms::logout))
        .route("/{lang}/staff/users", post(forms::add_user))
        .route(
            "/{lang}/staff/users/deactivate",
            post(forms::deactivate_user),
        )
        .route("/{lang}/staff/password", post(forms::change_password))
        .route("/{lang}/staff/tokens", post(tokens::create))
        .route("/{lang}/staff/teams", post(teams::create))
        .route("/{lang}/staff/teams/members", post(teams::add_member))
        .route("/{lang}/staff/teams/members/lead", post(teams::set_lead))
        .route(
            "/{lang}/staff/teams/members/remove",
            post(teams::remove_member),
        )
        .merge(api::routes())
}

/// Anyone signs in; every staff member changes their password and manages their own tokens;
/// administrators manage accounts and teams and read the audit log.
#[rustfmt::skip] // one rule per line reads as a table
pub const RULES: &[Rule] = &[
    rule(Method::GET, "/{lang}/login", Public, Page),
    rule(Method::POST, "/{lang}/login", Public, Action),
    rule(Method::POST, "/{lang}/logout", SignedIn, Action),
    rule(Method::GET, "/{lang}/staff", Needs(EnterStaffArea), Page),
    rule(Method::GET, "/{lang}/staff/password", SignedIn, Page),
    rule(Method::POST, "/{lang}/staff/password", SignedIn, Action),
    rule(Method::GET, "/{lang}/staff/users", Needs(ManageUsers), Page),
    rule(Method::POST, "/{lang}/staff/users", Needs(ManageUsers), Action),
    rule(Method::POST, "/{lang}/staff/users/deactivate", Needs(ManageUsers), Action),
    rule(Method::POST, "/api/accounts/users", Needs(ManageUsers), Query),
    rule(Method::GET, "/{lang}/staff/teams", Needs(ManageUsers), Page),
    rule(Method::POST, "/{lang}/staff/teams", Needs(ManageUsers), Action),
    rule(Method::POST, "/{lang}/staff/teams/members", Needs(ManageUsers), Action),
    rule(Method::POST, "/{lang}/staff/teams/members/remove", Needs(ManageUsers), Action),
    rule(Method::POST, "/{lang}/staff/teams/members/lead", Needs(ManageUsers), Action),
    rule(Method::POST, "/api/accounts/teams", Needs(ManageUsers), Query),
    rule(Method::GET, "/{lang}/staff/audit", Needs(ManageUsers), Page),
    rule(Method::POST, "/api/audit/entries", Needs(ManageUsers), Query),
    rule(Method::GET, "/{lang}/staff/tokens", Needs(EnterStaffArea), Page),
    rule(Method::POST, "/{lang}/staff/tokens", Needs(EnterStaffArea), Action),
    rule(Method::POST, "/api/accounts/tokens", Needs(EnterStaffArea), Query),
    rule(Method::POST, "/api/accounts/tokens/revoke", Needs(EnterStaffArea), Action),
    rule(Method::GET, "/api/v1/me", SignedIn, Query),
    rule(Method::GET, "/api/v1/users", Needs(ManageUsers), Query),
    rule(Method::GET, "/api/v1/teams", Needs(ManageUsers), Query),
    rule(Method::GET, "/api/v1/audit", Needs(ManageUsers), Query),
    rule(Method::GET, "/api/v1/tokens", Needs(EnterStaffArea), Query),
    rule(Method::DELETE, "/api/v1/tokens/{id}", Needs(EnterStaffArea), Action),
];
