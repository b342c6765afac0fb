//! The HTTP API under `/api/v1`: JSON for programs, described by an OpenAPI 3 document at
//! `/api/v1/openapi.json` that is generated from these handlers and their types.
//!
//! Callers authenticate with a personal API token (`Authorization: Bearer …`, see
//! `session.rs`) or, from a page's scripts, with the session cookie plus the `X-CSRF-Token`
//! header for changes. Access rules are the same table as everything else (`access.rs`);
//! each handler checks its permission again. This module holds what every part shares (the
//! error type, the caller, the document); each domain's part is `http/<domain>/api.rs`.
//!
//! Errors are always JSON, one type: [`ApiError`]. The rules: a domain error is mapped to the
//! status a program can act on (400 for a body it cannot read or fields that break a rule,
//! 404, 409 for a state that refuses — stale, closed, invitation needed —, 422 for content
//! that breaks a survey's rules), each with a stable `error` code and, for field problems,
//! `problems` naming each field. Our own failures are 500 `internal`: the cause is logged
//! where it happens and never sent.

use std::sync::OnceLock;

use app::accounts::{CurrentUser, Permission};
use axum::{
    Json, Router,
    extract::FromRequestParts,
    http::{HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
    routing::{any, get},
};
use serde::{Deserialize, Serialize};
use utoipa::{
    Modify, OpenApi, ToSchema,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/{*rest}", any(not_found))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sharek API",
        version = "1",
        description = "Sharek's participation platform for programs. Authenticate with a personal \
                       API token made in the staff area: `Authorization: Bearer shk_…`. A token \
                       acts with its owner's current roles."
    ),
    components(schemas(ErrorBody, FieldProblem)),
    modifiers(&BearerScheme),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token (shk_…)"))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document, rendered once.
pub fn openapi_json() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut document = ApiDoc::openapi();
        document.merge(super::accounts::api::AccountsApi::openapi());
        document.merge(super::opportunities::api::OpportunitiesApi::openapi());
        document.merge(super::feedback::api::FeedbackApi::openapi());
        document.merge(super::moderation::api::ModerationApi::openapi());
        document.merge(super::surveys::api::SurveysApi::openapi());
        document.merge(super::responses::api::ResponsesApi::openapi());
        document.merge(super::results::api::ResultsApi::openapi());
        document.to_pretty_json().unwrap_or_else(|error| {
            tracing::error!(%error, "cannot render the OpenAPI document");
            "{}".to_owned()
        })
    })
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], openapi_json()).into_response()
}

/// Every API error: a status and a JSON body.
#[derive(Debug)]
pub enum ApiError {
    /// No credentials.
    Unauthorized,
    /// A bearer token that is unknown, malformed, expired or revoked, or whose owner is
    /// deactivated.
    InvalidToken,
    Forbidden,
    NotFound,
    /// Someone changed the thing since the caller read it.
    Conflict,
    BadRequest(String),
    /// Fields that break the rules: (field, catalogue key of the message) pairs.
    Invalid(Vec<(&'static str, &'static str)>),
    /// A state that refuses the request (409), with its own stable code: `closed`,
    /// `invitation_needed`, …
    Refused {
        code: &'static str,
        message: &'static str,
    },
    /// Content that breaks the thing's rules (422), each problem with its field.
    Rules(Vec<FieldProblem>),
    Internal,
}

/// The body of every error response.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// A stable code: `unauthorized`, `invalid_token`, `forbidden`, `not_found`,
    /// `bad_request`, `invalid` or `internal`.
    pub error: String,
    /// What went wrong, for a person reading the logs.
    pub message: String,
    /// For `invalid`: each field that breaks a rule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<FieldProblem>,
}

/// A field of a request body that breaks a rule.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FieldProblem {
    /// The field's name in the body (empty for the request as a whole).
    pub field: String,
    /// A stable code for the rule (the message's key in the translation catalogue).
    pub code: String,
    /// The message in English.
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(mut self) -> Response {
        let problems = match &mut self {
            ApiError::Rules(problems) => std::mem::take(problems),
            ApiError::Invalid(problems) => problems
                .iter()
                .map(|(field, key)| FieldProblem {
                    field: (*field).to_owned(),
                    code: (*key).to_owned(),
                    message: app::Locale::En.t(key),
                })
                .collect(),
            _ => Vec::new(),
        };
        let (status, code, message) = match self {
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Sign in, or send an API token as `Authorization: Bearer …`.".to_owned(),
            ),
            ApiError::InvalidToken => (
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "The API token is unknown, expired or revoked.".to_owned(),
            ),
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Your roles do not allow this.".to_owned(),
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "There is nothing here.".to_owned(),
            ),
            ApiError::Conflict => (
                StatusCode::CONFLICT,
                "conflict",
                "It was changed since you read it: read it again and reapply your change."
                    .to_owned(),
            ),
            ApiError::BadRequest(message) => (StatusCode::BAD_REQUEST, "bad_request", message),
            ApiError::Invalid(_) => (
                StatusCode::BAD_REQUEST,
                "invalid",
                "Some fields break the rules: see `problems`.".to_owned(),
            ),
            ApiError::Refused { code, message } => (StatusCode::CONFLICT, code, message.to_owned()),
            ApiError::Rules(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "Some fields break the rules: see `problems`.".to_owned(),
            ),
            ApiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on our side; it has been logged.".to_owned(),
            ),
        };
        let body = ErrorBody {
            error: code.to_owned(),
            message,
            problems,
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            let challenge = if code == "invalid_token" {
                r#"Bearer realm="sharek", error="invalid_token""#
            } else {
                r#"Bearer realm="sharek""#
            };
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}

impl From<app::store::StoreError> for ApiError {
    fn from(error: app::store::StoreError) -> Self {
        tracing::error!(%error, "API storage error");
        ApiError::Internal
    }
}

/// The authenticated caller, holding a permission the handler names with [`Caller::needs`].
pub struct Caller(pub(super) CurrentUser);

impl From<CurrentUser> for Caller {
    fn from(user: CurrentUser) -> Self {
        Caller(user)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .map(Caller)
            .ok_or(ApiError::Unauthorized)
    }
}

impl Caller {
    /// The caller as domain actions take them (with the client address for the audit log),
    /// if their roles grant `permission`.
    pub(super) fn actor(
        self,
        permission: Permission,
        parts: &Parts,
    ) -> Result<app::audit::Actor, ApiError> {
        let user = self.needs(permission)?;
        Ok(app::audit::Actor {
            user,
            address: super::forms::client_address(parts),
        })
    }

    /// The caller, if their roles grant `permission` (the access layer checked it too).
    pub(super) fn needs(self, permission: Permission) -> Result<CurrentUser, ApiError> {
        if self.0.can(permission) {
            Ok(self.0)
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_is_openapi_3_with_every_route_and_the_bearer_scheme() {
        let document: serde_json::Value =
            serde_json::from_str(super::openapi_json()).expect("valid JSON");
        assert!(
            document["openapi"]
                .as_str()
                .expect("version")
                .starts_with("3.")
        );
        for path in [
            "/api/v1/me",
            "/api/v1/users",
            "/api/v1/teams",
            "/api/v1/audit",
            "/api/v1/tokens",
            "/api/v1/tokens/{id}",
            "/api/v1/opportunities",
            "/api/v1/opportunities/{id}",
        ] {
            assert!(document["paths"][path].is_object(), "{path} is missing");
        }
        assert_eq!(
            document["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        assert!(document["components"]["schemas"]["ErrorBody"].is_object());
        for method in ["get", "post"] {
            assert!(document["paths"]["/api/v1/opportunities"][method].is_object());
        }
        assert!(document["components"]["schemas"]["OpportunityInput"].is_object());
    }
}
