//! The HTTP API under `/api/v1`: JSON for programs, described by an OpenAPI 3 document at
//! `/api/v1/openapi.json` that is generated from these handlers and their types.
//!
//! Callers authenticate with a personal API token (`Authorization: Bearer …`, see
//! `session.rs`) or, from a page's scripts, with the session cookie plus the `X-CSRF-Token`
//! header for changes. Access rules are the same table as everything else (`access.rs`);
//! each handler checks its permission again. Errors are always JSON: [`ApiError`].

use std::sync::OnceLock;

use app::accounts::{
    CurrentUser, Member, Permission, Role, Team, UserSummary, db as accounts_db, token_db,
    tokens::ApiToken,
};
use app::audit::{ACTIONS, AuditRow, db as audit_db};
use app::opportunities::{
    Announced, Opportunity, OpportunityKind, StakeholderGroup, Status as OpportunityStatus,
    rules::OpportunityInput,
};
use axum::{
    Json, Router,
    extract::{FromRequestParts, Path, Query, State, rejection::PathRejection},
    http::{HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
    routing::{any, delete, get},
};
use serde::{Deserialize, Serialize};
use utoipa::{
    IntoParams, Modify, OpenApi, ToSchema,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use uuid::Uuid;

use super::api_opportunities;
use super::forms::record_audit;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/me", get(me))
        .route("/api/v1/users", get(users))
        .route("/api/v1/teams", get(teams))
        .route("/api/v1/audit", get(audit))
        .route("/api/v1/tokens", get(tokens))
        .route("/api/v1/tokens/{id}", delete(revoke_token))
        .route(
            "/api/v1/opportunities",
            get(api_opportunities::list).post(api_opportunities::create),
        )
        .route(
            "/api/v1/opportunities/{id}",
            get(api_opportunities::get).put(api_opportunities::update),
        )
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
    paths(
        me, users, teams, audit, tokens, revoke_token,
        api_opportunities::list, api_opportunities::get, api_opportunities::create,
        api_opportunities::update,
    ),
    components(schemas(
        ErrorBody, FieldProblem, CurrentUser, UserSummary, Role, Team, Member, AuditRow, ApiToken,
        Opportunity, Announced, OpportunityKind, OpportunityStatus, StakeholderGroup,
        OpportunityInput,
    )),
    modifiers(&BearerScheme),
    security(("bearer" = [])),
    tags(
        (name = "accounts", description = "Staff accounts, teams and API tokens"),
        (name = "audit", description = "The audit log of staff actions"),
        (name = "opportunities", description = "Participation opportunities: surveys, consultations, workshops and events")
    )
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
        document.merge(super::api_surveys::SurveysApi::openapi());
        document.merge(super::api_responses::ResponsesApi::openapi());
        document.merge(super::results::ResultsApi::openapi());
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
    fn into_response(self) -> Response {
        let problems = match &self {
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
pub struct Caller(CurrentUser);

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

/// Who is calling: the token's owner (or the signed-in user) and their roles.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses(
    (status = 200, description = "The caller", body = CurrentUser),
    (status = 401, description = "No valid credentials", body = ErrorBody),
))]
async fn me(caller: Caller) -> Json<CurrentUser> {
    Json(caller.0)
}

/// Every staff account, active or not. Administrators only.
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", responses(
    (status = 200, description = "All staff accounts, by email", body = [UserSummary]),
    (status = 401, description = "No valid credentials", body = ErrorBody),
    (status = 403, description = "Not an administrator", body = ErrorBody),
))]
async fn users(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<UserSummary>>, ApiError> {
    caller.needs(Permission::ManageUsers)?;
    Ok(Json(accounts_db::list_users(&state.db).await?))
}

/// The specialist teams and their responders. Administrators only.
#[utoipa::path(get, path = "/api/v1/teams", tag = "accounts", responses(
    (status = 200, description = "All teams with their members", body = [Team]),
    (status = 401, description = "No valid credentials", body = ErrorBody),
    (status = 403, description = "Not an administrator", body = ErrorBody),
))]
async fn teams(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Team>>, ApiError> {
    caller.needs(Permission::ManageUsers)?;
    Ok(Json(accounts_db::list_teams(&state.db).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AuditQuery {
    /// Only entries of this action, e.g. `user.create`.
    action: Option<String>,
    /// How many entries, newest first: 1 to 500 (default 100).
    limit: Option<i64>,
}

/// The newest audit log entries. Administrators only.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery), responses(
    (status = 200, description = "Entries, newest first", body = [AuditRow]),
    (status = 400, description = "An unknown action or a limit out of range", body = ErrorBody),
    (status = 401, description = "No valid credentials", body = ErrorBody),
    (status = 403, description = "Not an administrator", body = ErrorBody),
))]
async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<AuditRow>>, ApiError> {
    caller.needs(Permission::ManageUsers)?;
    let Query(query) = query.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    if let Some(action) = &query.action
        && !ACTIONS.contains(&action.as_str())
    {
        return Err(ApiError::BadRequest(format!(
            "unknown action {action:?}; one of: {}",
            ACTIONS.join(", ")
        )));
    }
    let limit = query.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::BadRequest(
            "limit must be from 1 to 500".to_owned(),
        ));
    }
    Ok(Json(
        audit_db::search(&state.db, query.action.as_deref(), limit).await?,
    ))
}

/// The caller's own API tokens, newest first (never the secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", responses(
    (status = 200, description = "The caller's tokens", body = [ApiToken]),
    (status = 401, description = "No valid credentials", body = ErrorBody),
))]
async fn tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<ApiToken>>, ApiError> {
    let user = caller.needs(Permission::EnterStaffArea)?;
    Ok(Json(token_db::list(&state.db, user.id).await?))
}

/// Revokes one of the caller's API tokens (it may be the one making this call).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts",
    params(("id" = Uuid, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, description = "Not a token id", body = ErrorBody),
        (status = 401, description = "No valid credentials", body = ErrorBody),
        (status = 403, description = "Missing the X-CSRF-Token header (cookie sessions only)"),
        (status = 404, description = "No such live token of the caller", body = ErrorBody),
    ))]
async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    parts: Parts,
    id: Result<Path<Uuid>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let user = caller.needs(Permission::EnterStaffArea)?;
    let Path(id) = id.map_err(|_| ApiError::BadRequest("not a token id".to_owned()))?;
    if !token_db::revoke(&state.db, user.id, id, chrono::Utc::now()).await? {
        return Err(ApiError::NotFound);
    }
    record_audit(&state, &parts, None, "token.revoke", id.to_string(), None).await;
    Ok(StatusCode::NO_CONTENT)
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
