//! The surveys part of the JSON API: list and read surveys, export and import definitions,
//! save a new version of a definition, change the lifecycle. The same checks as the editor
//! (`validate`, `lifecycle`), and errors as JSON with each problem's JSON path.

use app::accounts::Permission;
use app::surveys::actions::{self, SurveyError};
use app::surveys::{
    Definition, Status, SurveySummary, Wave, db as surveys_db,
    lifecycle::Move,
    validate::{self, Problem},
};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State, rejection::PathRejection},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
    routing::{get, post, put},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};
use uuid::Uuid;

use crate::AppState;
use crate::http::api::{ApiError, Caller, ErrorBody};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/surveys", get(list))
        .route("/api/v1/surveys/import", post(import))
        .route("/api/v1/surveys/{id}", get(read))
        .route("/api/v1/surveys/{id}/definition", put(save_definition))
        .route("/api/v1/surveys/{id}/status", post(change_status))
}

#[derive(OpenApi)]
#[openapi(
    paths(list, read, import, save_definition, change_status),
    components(schemas(SurveySummary, SurveyDocument, Status, Wave, Problem, ProblemsBody, Created, NewVersion, StatusChange)),
    tags((name = "surveys", description = "Surveys and consultations: definitions (format sharek-survey/1), versions and lifecycle"))
)]
pub struct SurveysApi;

/// A survey with its definition.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyDocument {
    pub id: Uuid,
    pub status: Status,
    pub version: u32,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    /// `monthly`, `quarterly`, `half_yearly` or `yearly` for periodic surveys.
    pub recurrence: Option<String>,
    pub has_responses: bool,
    /// The definition in the export format `sharek-survey/1`: title, description, languages,
    /// sections with their questions and show-if rules.
    #[schema(value_type = Object)]
    pub definition: Definition,
    pub waves: Vec<Wave>,
}

/// A 400 answer listing every problem with its JSON path.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemsBody {
    /// Always `invalid_definition`.
    pub error: String,
    pub problems: Vec<Problem>,
}

fn problems(list: Vec<Problem>) -> Response {
    let body = ProblemsBody {
        error: "invalid_definition".to_owned(),
        problems: list,
    };
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: Uuid,
}

/// A new version of a definition, made from `version` (the one the caller last read).
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewVersion {
    pub version: u32,
    #[schema(value_type = Object)]
    pub definition: serde_json::Value,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusChange {
    /// `publish`, `close`, `reopen`, `archive` or `unpublish`.
    #[serde(rename = "move")]
    pub action: String,
}

fn parse_id(id: Result<Path<String>, PathRejection>) -> Result<Uuid, ApiError> {
    id.ok()
        .and_then(|Path(id)| id.parse().ok())
        .ok_or(ApiError::NotFound)
}

/// Every survey, most recently changed first.
#[utoipa::path(get, path = "/api/v1/surveys", tag = "surveys", responses(
    (status = 200, description = "All surveys", body = [SurveySummary]),
    (status = 401, description = "No valid credentials", body = ErrorBody),
    (status = 403, description = "Not an author, analyst or administrator", body = ErrorBody),
))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<SurveySummary>>, ApiError> {
    caller.needs(Permission::ReadSurveys)?;
    Ok(Json(surveys_db::list(&state.db).await?))
}

/// One survey with its definition and waves.
#[utoipa::path(get, path = "/api/v1/surveys/{id}", tag = "surveys",
    params(("id" = Uuid, Path, description = "The survey's id")),
    responses(
        (status = 200, description = "The survey", body = SurveyDocument),
        (status = 401, description = "No valid credentials", body = ErrorBody),
        (status = 403, description = "Not allowed to read surveys", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    ))]
async fn read(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<SurveyDocument>, ApiError> {
    caller.needs(Permission::ReadSurveys)?;
    let id = parse_id(id)?;
    let survey = surveys_db::get(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let waves = surveys_db::waves(&state.db, id).await?;
    Ok(Json(SurveyDocument {
        id,
        status: survey.status,
        version: survey.version,
        opens_at: survey.opens_at,
        closes_at: survey.closes_at,
        recurrence: survey.recurrence.map(|r| r.code().to_owned()),
        has_responses: survey.has_responses,
        definition: survey.definition,
        waves,
    }))
}

/// Creates a draft survey from a definition (the export format). Nothing is saved unless the
/// whole definition is valid.
#[utoipa::path(post, path = "/api/v1/surveys/import", tag = "surveys",
    request_body(content = Object, description = "A definition in the format sharek-survey/1"),
    responses(
        (status = 201, description = "Created", body = Created),
        (status = 400, description = "Every problem, by JSON path", body = ProblemsBody),
        (status = 401, description = "No valid credentials", body = ErrorBody),
        (status = 403, description = "Not an author", body = ErrorBody),
    ))]
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    parts: Parts,
    body: Bytes,
) -> Result<Response, ApiError> {
    let actor = caller.actor(Permission::AuthorSurveys, &parts)?;
    let text = String::from_utf8_lossy(&body);
    match actions::import(&state.db, &actor, &text, Utc::now()).await {
        Ok(id) => Ok((StatusCode::CREATED, Json(Created { id })).into_response()),
        Err(error) => refusal(error),
    }
}

/// Saves a new version of a survey's definition at once, dropping any changes staged in the
/// editor; on a survey participants can see it must also pass the rules of publishing.
/// Refused with 409 when someone saved since
/// `version`; with 400 when the definition is invalid or would corrupt collected answers.
#[utoipa::path(put, path = "/api/v1/surveys/{id}/definition", tag = "surveys",
    params(("id" = Uuid, Path, description = "The survey's id")),
    request_body = NewVersion,
    responses(
        (status = 200, description = "Saved; the new version", body = SurveyDocument),
        (status = 400, description = "Every problem, by JSON path", body = ProblemsBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 409, description = "Changed since that version", body = ErrorBody),
    ))]
async fn save_definition(
    State(state): State<AppState>,
    caller: Caller,
    parts: Parts,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let actor = caller.actor(Permission::AuthorSurveys, &parts)?;
    let id = parse_id(id)?;
    let request: NewVersion = serde_json::from_slice(&body).map_err(|e| {
        ApiError::BadRequest(format!("expected {{\"version\", \"definition\"}}: {e}"))
    })?;
    let definition = match validate::import(&request.definition.to_string()) {
        Ok(definition) => definition,
        Err(list) => return Ok(problems(list)),
    };
    match actions::replace(
        &state.db,
        &actor,
        id,
        request.version,
        definition,
        Utc::now(),
    )
    .await
    {
        Ok(_) => reread(state, actor, id).await,
        Err(error) => refusal(error),
    }
}

/// The survey as it is now, after a change.
async fn reread(state: AppState, actor: app::audit::Actor, id: Uuid) -> Result<Response, ApiError> {
    read(
        State(state),
        Caller::from(actor.user),
        Ok(Path(id.to_string())),
    )
    .await
    .map(IntoResponse::into_response)
}

/// A survey action's refusal as the API says it.
fn refusal(error: SurveyError) -> Result<Response, ApiError> {
    Err(match error {
        SurveyError::Problems(list) | SurveyError::NotReady(list) => return Ok(problems(list)),
        SurveyError::Forbidden => ApiError::Forbidden,
        SurveyError::NotFound => ApiError::NotFound,
        SurveyError::Stale => ApiError::Conflict,
        SurveyError::Archived => {
            ApiError::BadRequest("an archived survey cannot be changed".to_owned())
        }
        SurveyError::NotAllowed(status) => ApiError::BadRequest(format!(
            "that move is not possible for a survey that is {}",
            status.code()
        )),
        SurveyError::Change(never) => match never {},
        SurveyError::Store(error) => error.into(),
    })
}

/// Publishes, closes, reopens, archives or takes back to draft.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/status", tag = "surveys",
    params(("id" = Uuid, Path, description = "The survey's id")),
    request_body = StatusChange,
    responses(
        (status = 200, description = "The survey in its new state", body = SurveyDocument),
        (status = 400, description = "Not possible in this state, or not ready to publish", body = ProblemsBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 409, description = "Changed at the same moment by someone else", body = ErrorBody),
    ))]
async fn change_status(
    State(state): State<AppState>,
    caller: Caller,
    parts: Parts,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let actor = caller.actor(Permission::AuthorSurveys, &parts)?;
    let id = parse_id(id)?;
    let request: StatusChange = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("expected {{\"move\"}}: {e}")))?;
    let action = Move::from_code(&request.action).ok_or_else(|| {
        ApiError::BadRequest("move is one of publish, close, reopen, archive, unpublish".to_owned())
    })?;
    match actions::move_survey(&state.db, &actor, id, action, Utc::now()).await {
        Ok(_) => reread(state, actor, id).await,
        Err(SurveyError::NotAllowed(status)) => Err(ApiError::BadRequest(format!(
            "cannot {} a survey that is {}",
            action.code(),
            status.code()
        ))),
        Err(error) => refusal(error),
    }
}
