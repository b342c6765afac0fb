//! The opportunities part of the JSON API (`/api/v1/opportunities`): anyone may list and read
//! published opportunities with the catalogue's filters; authors add and change
//! consultations, workshops and events with the same rules as the staff form (one action,
//! `opportunities::actions`). The error type is `http::api::ApiError`.

use app::accounts::{CurrentUser, Permission};
use app::opportunities::actions::{self, OpportunityError};
use app::opportunities::rules::OpportunityInput;
use app::opportunities::{
    Announced, Filter, Opportunity, OpportunityKind, StakeholderGroup, Status, TOPICS, db,
};
use axum::{
    Json, Router,
    extract::{
        Path, Query, State,
        rejection::{JsonRejection, PathRejection, QueryRejection},
    },
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};
use uuid::Uuid;

use crate::AppState;
use crate::http::api::{ApiError, Caller, ErrorBody};

pub fn routes() -> Router<AppState> {
    use axum::routing::get as read;
    Router::new()
        .route("/api/v1/opportunities", read(list).post(create))
        .route("/api/v1/opportunities/{id}", read(self::get).put(update))
}

#[derive(OpenApi)]
#[openapi(
    paths(list, get, create, update),
    components(schemas(
        Opportunity, Announced, OpportunityKind, Status, StakeholderGroup, OpportunityInput,
    )),
    tags((name = "opportunities", description = "Participation opportunities: surveys, consultations, workshops and events"))
)]
pub struct OpportunitiesApi;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpportunityQuery {
    /// Only this topic: `education`, `health`, `economy`, `environment`, `digital_services`,
    /// `social_services`, `culture` or `other`.
    topic: Option<String>,
    /// Only those meant for this stakeholder group (those for everyone included): `citizen`,
    /// `resident`, `government_entity`, `ngo`, `private_company`, `expert` or `academic`.
    group: Option<String>,
    /// Only those `open`, `upcoming` or `closed` now.
    status: Option<String>,
}

/// The filter a query asks for; unlike the catalogue page, unknown values are refused.
fn filter(query: &OpportunityQuery) -> Result<Filter, ApiError> {
    let unknown =
        |what: &str, value: &str| ApiError::BadRequest(format!("unknown {what} {value:?}"));
    let topic = match &query.topic {
        Some(t) if !TOPICS.contains(&t.as_str()) => return Err(unknown("topic", t)),
        topic => topic.clone(),
    };
    let group = match &query.group {
        Some(g) => Some(StakeholderGroup::from_code(g).ok_or_else(|| unknown("group", g))?),
        None => None,
    };
    let status = match &query.status {
        Some(s) => Some(Status::from_code(s).ok_or_else(|| unknown("status", s))?),
        None => None,
    };
    Ok(Filter {
        topic,
        group,
        status,
    })
}

fn announced(opportunity: Opportunity) -> Announced {
    let status = opportunity.status(Utc::now());
    Announced {
        opportunity,
        status,
    }
}

/// Published opportunities: open ones first (soonest deadline first), then upcoming, then
/// closed. Anyone may call it.
#[utoipa::path(get, path = "/api/v1/opportunities", tag = "opportunities", params(OpportunityQuery),
    security(()),
    responses(
        (status = 200, description = "Published opportunities, in catalogue order", body = [Announced]),
        (status = 400, description = "An unknown topic, group or status", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<OpportunityQuery>, QueryRejection>,
) -> Result<Json<Vec<Announced>>, ApiError> {
    let Query(query) = query.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    let items = db::list_published(&state.db, &filter(&query)?, Utc::now()).await?;
    Ok(Json(items.into_iter().map(announced).collect()))
}

fn id_of(id: Result<Path<Uuid>, PathRejection>) -> Result<Uuid, ApiError> {
    id.map(|Path(id)| id)
        .map_err(|_| ApiError::BadRequest("not an opportunity id".to_owned()))
}

/// One opportunity. Unpublished ones are found only by callers who read surveys (staff).
#[utoipa::path(get, path = "/api/v1/opportunities/{id}", tag = "opportunities",
    params(("id" = Uuid, Path, description = "The opportunity's id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The opportunity", body = Announced),
        (status = 400, description = "Not an opportunity id", body = ErrorBody),
        (status = 404, description = "No such published opportunity", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    parts: Parts,
    id: Result<Path<Uuid>, PathRejection>,
) -> Result<Json<Announced>, ApiError> {
    let id = id_of(id)?;
    let staff = parts
        .extensions
        .get::<CurrentUser>()
        .is_some_and(|u| u.can(Permission::ReadSurveys));
    match db::find(&state.db, id).await? {
        Some(found) if found.published || staff => Ok(Json(announced(found))),
        _ => Err(ApiError::NotFound),
    }
}

/// The body as the rules read it.
fn body(body: Result<Json<OpportunityInput>, JsonRejection>) -> Result<OpportunityInput, ApiError> {
    body.map(|Json(input)| input)
        .map_err(|rejection| ApiError::BadRequest(rejection.body_text()))
}

/// Adds a consultation, workshop or event. Authors only.
#[utoipa::path(post, path = "/api/v1/opportunities", tag = "opportunities",
    request_body = OpportunityInput,
    responses(
        (status = 201, description = "Added; `Location` names it", body = Announced),
        (status = 400, description = "Not JSON, or fields that break the rules (see `problems`)", body = ErrorBody),
        (status = 401, description = "No valid credentials", body = ErrorBody),
        (status = 403, description = "Not an author", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    parts: Parts,
    input: Result<Json<OpportunityInput>, JsonRejection>,
) -> Result<Response, ApiError> {
    let actor = caller.actor(Permission::AuthorSurveys, &parts)?;
    let id = actions::create(&state.db, &actor, &body(input)?, Utc::now()).await?;
    let created = db::find(&state.db, id).await?.ok_or(ApiError::Internal)?;
    let location = format!("/api/v1/opportunities/{id}");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(announced(created)),
    )
        .into_response())
}

/// Changes a consultation, workshop or event: the body replaces every field. Authors only;
/// survey opportunities change with their survey.
#[utoipa::path(put, path = "/api/v1/opportunities/{id}", tag = "opportunities",
    params(("id" = Uuid, Path, description = "The opportunity's id")),
    request_body = OpportunityInput,
    responses(
        (status = 200, description = "Changed", body = Announced),
        (status = 400, description = "Not JSON, or fields that break the rules (see `problems`)", body = ErrorBody),
        (status = 401, description = "No valid credentials", body = ErrorBody),
        (status = 403, description = "Not an author", body = ErrorBody),
        (status = 404, description = "No such opportunity", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    parts: Parts,
    id: Result<Path<Uuid>, PathRejection>,
    input: Result<Json<OpportunityInput>, JsonRejection>,
) -> Result<Json<Announced>, ApiError> {
    let actor = caller.actor(Permission::AuthorSurveys, &parts)?;
    let id = id_of(id)?;
    actions::update(&state.db, &actor, id, &body(input)?, Utc::now()).await?;
    let changed = db::find(&state.db, id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(announced(changed)))
}

impl From<OpportunityError> for ApiError {
    fn from(error: OpportunityError) -> Self {
        match error {
            OpportunityError::Forbidden => ApiError::Forbidden,
            OpportunityError::NotFound => ApiError::NotFound,
            OpportunityError::SurveyOwned => {
                ApiError::Invalid(vec![("kind", "opportunities.error.survey_not_editable")])
            }
            OpportunityError::Invalid(problems) => ApiError::Invalid(problems),
            OpportunityError::Store(error) => error.into(),
        }
    }
}
