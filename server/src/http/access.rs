//! The one authorization mechanism: every route the router serves has a rule here, looked up
//! by method and matched path before any handler runs. A route without a rule is refused
//! (deny by default) and fails the permission-matrix test. Each domain keeps its rules beside
//! its routes (`http/<domain>/mod.rs`); [`rules`] assembles them into the one table.

use app::accounts::{CurrentUser, Permission};
use axum::{
    body::Body,
    extract::MatchedPath,
    http::{Method, Request, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};

use app::i18n::Locale;
use app::page_state::AccessDenied;

use super::api::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any active staff member.
    SignedIn,
    /// A staff member holding a role that grants this permission.
    Needs(Permission),
    /// A signed-in participant (never a staff member as such: staff sign in as participants
    /// separately, if at all).
    Participant,
}

/// What a route is. It decides how a refusal looks (a page shows the sign-in or 403 page in
/// the visitor's language; anything else gets a status) and whether a CSRF token is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Page,
    /// Changes state: needs the visitor's CSRF token.
    Action,
    /// Reads only (assets, health, read-only server functions).
    Query,
    /// A participant's submission: public and acting with no one's authority, so it needs no
    /// CSRF token (blocked cookies must never stop anyone taking part); it is limited per
    /// address instead.
    Submit,
}

pub struct Rule {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub kind: Kind,
}

pub(super) const fn rule(method: Method, path: &'static str, access: Access, kind: Kind) -> Rule {
    Rule {
        method,
        path,
        access,
        kind,
    }
}

use Access::{Needs, Public, SignedIn};
use Kind::{Action, Page, Query, Submit};

/// The rules of what no one domain owns: the shell's pages, assets, health, the API's
/// document and its catch-all.
#[rustfmt::skip] // one rule per line reads as a table
const COMMON: &[Rule] = &[
    rule(Method::GET, "/", Public, Page),
    rule(Method::GET, "/healthz", Public, Query),
    rule(Method::GET, "/favicon.svg", Public, Query),
    rule(Method::GET, "/favicon.ico", Public, Query),
    rule(Method::GET, "/pkg/{*path}", Public, Query),
    rule(Method::GET, "/{lang}", Public, Page),
    rule(Method::GET, "/{lang}/policy", Public, Page),
    rule(Method::GET, "/{lang}/accessibility", Public, Page),
    rule(Method::GET, "/api/v1/openapi.json", Public, Query),
    rule(Method::GET, "/api/v1/{*rest}", Public, Query),
];

/// Every route's rule, assembled from the domains: one deny-by-default table. Server functions
/// are `POST /api/…`.
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    [
        COMMON,
        super::accounts::RULES,
        super::surveys::RULES,
        super::opportunities::RULES,
        super::responses::RULES,
        super::results::RULES,
        super::feedback::RULES,
        super::participants::RULES,
        super::consultations::RULES,
        super::moderation::RULES,
        super::outcomes::RULES,
        super::reports::RULES,
    ]
    .into_iter()
    .flatten()
}

/// The rule for a request, if any. HEAD is answered like GET.
pub fn find(method: &Method, path: &str) -> Option<&'static Rule> {
    let method = if method == Method::HEAD {
        &Method::GET
    } else {
        method
    };
    // Everything under the hashed asset folder is one nested service.
    let path = if path.starts_with("/pkg/") {
        "/pkg/{*path}"
    } else {
        path
    };
    // The API's catch-all answers every method alike (a JSON 404).
    if path == "/api/v1/{*rest}" {
        return rules().find(|r| r.path == path);
    }
    rules().find(|r| r.method == *method && r.path == path)
}

/// Whether a visitor passes an access rule: `user` is their staff session (`None`: none),
/// `participant` whether they have a participant session.
pub fn allows(access: Access, user: Option<&CurrentUser>, participant: bool) -> bool {
    match access {
        Public => true,
        SignedIn => user.is_some(),
        Needs(permission) => user.is_some_and(|u| u.can(permission)),
        Access::Participant => participant,
    }
}

/// The middleware: refuses what the rules do not allow. Runs after routing (it needs the
/// matched path) and after the session is loaded.
pub async fn enforce(mut request: Request<Body>, next: Next) -> Response {
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let Some(path) = path else {
        // The fallback (unknown paths): it only renders the 404 page.
        return next.run(request).await;
    };
    let Some(rule) = find(request.method(), &path) else {
        tracing::error!(method = %request.method(), %path, "route without an access rule: refused");
        return StatusCode::FORBIDDEN.into_response();
    };
    let user = request.extensions().get::<CurrentUser>();
    let participant = request
        .extensions()
        .get::<app::participants::CurrentParticipant>()
        .is_some();
    if allows(rule.access, user, participant) {
        // A bearer token is sent by a program, never by a browser on its own: no CSRF risk.
        let bearer = request
            .extensions()
            .get::<super::session::BearerAuth>()
            .is_some();
        if rule.kind == Action && !bearer {
            return match super::session::check_csrf(request).await {
                Ok(request) => next.run(request).await,
                Err(refused) => refused,
            };
        }
        return next.run(request).await;
    }
    // Signed in as what the rule asks for: a participant for participants' pages, staff for
    // the rest.
    let signed_in = if rule.access == Access::Participant {
        participant
    } else {
        user.is_some()
    };
    match (rule.kind, signed_in) {
        (Page, false) => {
            let locale = Locale::from_path(request.uri().path()).unwrap_or_default();
            let here = request
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let next_param: String =
                url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
            let sign_in = if rule.access == Access::Participant {
                "account/sign-in"
            } else {
                "login"
            };
            Redirect::to(&format!("/{}/{sign_in}?next={next_param}", locale.code())).into_response()
        }
        (Page, true) => {
            // The page renders the 403 page in the visitor's language instead of itself.
            request.extensions_mut().insert(AccessDenied);
            next.run(request).await
        }
        (Action | Query | Submit, false) => ApiError::Unauthorized.into_response(),
        (Action | Query | Submit, true) => ApiError::Forbidden.into_response(),
    }
}
