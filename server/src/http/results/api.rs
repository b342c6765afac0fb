//! The results API (`/api/v1/surveys/{id}/results` and its crosstab), documented in OpenAPI
//! for other government dashboards. Filters come as query parameters (`wave`, repeated
//! `group` and `channel`, `from`, `to`, `question` with `value`); one that cannot be read is
//! a 400.

use app::Locale;
use app::accounts::Permission;
use app::results::build::{self, Audience, Axis};
use app::results::{Crosstab, Filter, Results};
use app::surveys::db as surveys_db;
use axum::{
    Json, Router,
    extract::{Path, RawQuery, State},
    routing::get,
};
use utoipa::OpenApi;
use uuid::Uuid;

use super::{filter_of, pairs};
use crate::AppState;
use crate::http::api::{ApiError, Caller, ErrorBody};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/surveys/{id}/results", get(api_results))
        .route("/api/v1/surveys/{id}/results/crosstab", get(api_crosstab))
}

#[derive(OpenApi)]
#[openapi(
    paths(api_results, api_crosstab),
    components(schemas(Results, Crosstab, app::results::QuestionResult, app::results::Summary, app::results::Share,
        app::results::NpsScore, app::results::GroupShare, app::results::Trend)),
    tags((name = "results", description = "Survey results from the running counts: per-question summaries, representativeness, trends across waves, crosstabs"))
)]
pub struct ResultsApi;

/// What both results API calls start with: the permission, the survey, the query's pairs and
/// its filter (a 400 naming a parameter that cannot be read).
async fn api_request(
    state: &AppState,
    caller: Caller,
    id: &str,
    query: &Option<String>,
) -> Result<(app::surveys::Survey, Vec<(String, String)>, Filter), ApiError> {
    caller.needs(Permission::ReadResults)?;
    let id: Uuid = id.parse().map_err(|_| ApiError::NotFound)?;
    let pairs = pairs(query);
    let (filter, bad) = filter_of(&pairs);
    if let Some(name) = bad.first() {
        return Err(ApiError::BadRequest(format!(
            "cannot read the parameter {name}"
        )));
    }
    let survey = surveys_db::get(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((survey, pairs, filter))
}

fn locale_of(pairs: &[(String, String)]) -> Locale {
    pairs
        .iter()
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Locale::from_code(v))
        .unwrap_or_default()
}

/// Results of a survey under a filter: every question's summary, responses by group against
/// the targets, and trends across waves.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/results", tag = "results",
    params(
        ("id" = Uuid, Path, description = "The survey's id"),
        ("lang" = Option<String>, Query, description = "`ar` (default) or `en`: the language of labels and sentences"),
        ("wave" = Option<i32>, Query, description = "A wave's number"),
        ("group" = Option<Vec<String>>, Query, description = "Stakeholder group codes (repeat the parameter)"),
        ("channel" = Option<Vec<String>>, Query, description = "Channel codes (repeat the parameter)"),
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD (UTC)"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD (UTC)"),
        ("question" = Option<String>, Query, description = "Only responses that gave `value` to this choice question"),
        ("value" = Option<String>, Query, description = "The choice key (or scale point) for `question`"),
    ),
    responses(
        (status = 200, description = "The results", body = Results),
        (status = 400, description = "A filter parameter that cannot be read", body = ErrorBody),
        (status = 401, description = "No valid credentials", body = ErrorBody),
        (status = 403, description = "Not an author, analyst or administrator", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    ))]
async fn api_results(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<Results>, ApiError> {
    let (survey, pairs, filter) = api_request(&state, caller, &id, &query).await?;
    let mut results = build::results(
        &state.db,
        survey.id,
        &survey.definition,
        &filter,
        locale_of(&pairs),
        Audience::Staff,
    )
    .await?;
    for q in &mut results.questions {
        q.chart.clear();
    }
    for t in &mut results.trends {
        t.chart.clear();
    }
    Ok(Json(results))
}

/// A crosstab of two questions (or a question and `group`, `channel` or `wave`): counts per
/// pair of answers, under the same filters as the results.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/results/crosstab", tag = "results",
    params(
        ("id" = Uuid, Path, description = "The survey's id"),
        ("rows" = String, Query, description = "A choice or scale question's key, or `group`, `channel`, `wave`"),
        ("columns" = String, Query, description = "Likewise, for the columns"),
        ("lang" = Option<String>, Query, description = "`ar` (default) or `en`"),
    ),
    responses(
        (status = 200, description = "The crosstab", body = Crosstab),
        (status = 400, description = "An axis or filter that cannot be read", body = ErrorBody),
        (status = 401, description = "No valid credentials", body = ErrorBody),
        (status = 403, description = "Not an author, analyst or administrator", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    ))]
async fn api_crosstab(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<Crosstab>, ApiError> {
    let (survey, pairs, filter) = api_request(&state, caller, &id, &query).await?;
    let axis = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| Axis::parse(v, &survey.definition))
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "{name}: a choice question's key, group, channel or wave"
                ))
            })
    };
    let (rows, columns) = (axis("rows")?, axis("columns")?);
    let table = build::crosstab(
        &state.db,
        survey.id,
        &survey.definition,
        &filter,
        &rows,
        &columns,
        locale_of(&pairs),
    )
    .await?;
    Ok(Json(table))
}
