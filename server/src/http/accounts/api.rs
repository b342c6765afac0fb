//! The accounts part of the JSON API: who is calling, staff accounts and teams, the audit log,
//! and the caller's own API tokens. Administrators read accounts and the log; everyone
//! manages their own tokens.

use app::accounts::actions::{self, AccountError};
use app::accounts::{
    CurrentUser, Member, Permission, Role, Team, UserSummary, db as accounts_db, token_db,
    tokens::ApiToken,
};
use app::audit::{ACTIONS, AuditRow, db as audit_db};
use axum::{
    Json, Router,
    extract::{Path, Query, State, rejection::PathRejection},
    http::{StatusCode, request::Parts},
    routing::{delete, get},
};
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};
use uuid::Uuid;

use crate::AppState;
use crate::http::api::{ApiError, Caller, ErrorBody};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me", get(me))
        .route("/api/v1/users", get(users))
        .route("/api/v1/teams", get(teams))
        .route("/api/v1/audit", get(audit))
        .route("/api/v1/tokens", get(tokens))
        .route("/api/v1/tokens/{id}", delete(revoke_token))
}

#[derive(OpenApi)]
#[openapi(
    paths(me, users, teams, audit, tokens, revoke_token),
    components(schemas(CurrentUser, UserSummary, Role, Team, Member, AuditRow, ApiToken)),
    tags(
        (name = "accounts", description = "Staff accounts, teams and API tokens"),
        (name = "audit", description = "The audit log of staff actions"),
    )
)]
pub struct AccountsApi;

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
    let actor = caller.actor(Permission::EnterStaffArea, &parts)?;
    let Path(id) = id.map_err(|_| ApiError::BadRequest("not a token id".to_owned()))?;
    match actions::revoke_token(&state.db, &actor, id, chrono::Utc::now()).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(AccountError::NotFound) => Err(ApiError::NotFound),
        Err(AccountError::Store(error)) => Err(error.into()),
        Err(_) => Err(ApiError::Forbidden),
    }
}
