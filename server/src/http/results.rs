//! Results outside the Leptos pages: the author's settings form (targets, public switch), the
//! charts as SVG downloads (staff and public), and the results API (`/api/v1/surveys/{id}/
//! results` and its crosstab) documented in OpenAPI for other government dashboards.
//!
//! Filters come as query parameters (`wave`, repeated `group` and `channel`, `from`, `to`,
//! `question` with `value`); one that cannot be read is a 400 in the API and is left out on
//! pages (which say so).

use std::collections::BTreeMap;

use app::Locale;
use app::accounts::Permission;
use app::results::build::{self, Audience, Axis};
use app::results::{Crosstab, Filter, Results, db as results_db};
use app::surveys::StakeholderGroup;
use app::surveys::db as surveys_db;
use axum::{
    Extension, Json, Router,
    extract::{Path, RawQuery, State},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use utoipa::OpenApi;
use uuid::Uuid;

use super::api::{ApiError, Caller, ErrorBody};
use super::forms::{Feedback, Pages, Posted, record_audit, server_error};
use crate::AppState;

pub fn api_routes() -> Router<AppState> {
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

fn pairs(query: &Option<String>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn filter_of(pairs: &[(String, String)]) -> (Filter, Vec<String>) {
    Filter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

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

/// The question key in a chart file name (`q3.svg`).
fn chart_key(file: &str) -> Option<&str> {
    file.strip_suffix(".svg")
        .filter(|k| app::surveys::validate::is_key(k))
}

fn svg(chart: String, key: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "image/svg+xml; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"chart-{key}.svg\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        chart,
    )
        .into_response()
}

fn chart_of(results: &Results, key: &str) -> Option<String> {
    results
        .questions
        .iter()
        .find(|q| q.key == key)
        .map(|q| q.chart.clone())
        .filter(|c| !c.is_empty())
}

/// `GET /{lang}/staff/surveys/{id}/results/charts/{key}.svg`: one chart under the page's filter.
pub async fn staff_chart(
    State(state): State<AppState>,
    Path((lang, id, file)): Path<(String, Uuid, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(key) = chart_key(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let locale = Locale::from_code(&lang).unwrap_or_default();
    let (filter, _) = filter_of(&pairs(&query));
    let survey = match surveys_db::get(&state.db, id).await {
        Ok(Some(survey)) => survey,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return server_error(error),
    };
    match build::results(
        &state.db,
        id,
        &survey.definition,
        &filter,
        locale,
        Audience::Staff,
    )
    .await
    {
        Ok(results) => chart_of(&results, key)
            .map_or_else(|| StatusCode::NOT_FOUND.into_response(), |c| svg(c, key)),
        Err(error) => server_error(error),
    }
}

/// `GET /{lang}/results/{key}/charts/{question}.svg`: a public chart (small counts hidden).
pub async fn public_chart(
    State(state): State<AppState>,
    Path((lang, key, file)): Path<(String, String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(question) = chart_key(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let locale = Locale::from_code(&lang).unwrap_or_default();
    let wave = filter_of(&pairs(&query)).0.wave;
    let survey = match app::responses::db::public_survey(&state.db, &key, chrono::Utc::now()).await
    {
        Ok(Some(survey)) => survey,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return server_error(error),
    };
    match results_db::settings(&state.db, survey.id).await {
        Ok((true, _)) => {}
        Ok((false, _)) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return server_error(error),
    }
    let filter = Filter {
        wave,
        ..Filter::default()
    };
    match build::results(
        &state.db,
        survey.id,
        &survey.definition,
        &filter,
        locale,
        Audience::Public,
    )
    .await
    {
        Ok(results) => chart_of(&results, question)
            .filter(|_| {
                !survey.definition.question(question).is_some_and(|q| {
                    matches!(
                        q.kind,
                        app::surveys::model::Kind::ShortText { .. }
                            | app::surveys::model::Kind::LongText { .. }
                    )
                })
            })
            .map_or_else(
                || StatusCode::NOT_FOUND.into_response(),
                |c| svg(c, question),
            ),
        Err(error) => server_error(error),
    }
}

/// Reads a target field: empty (no target) or a percentage from 0 to 100, read by the one
/// number parser (`app::numbers`), with or without a percent sign.
fn target(text: &str) -> Result<Option<f64>, ()> {
    let text = text.trim().trim_end_matches(['%', '٪']).trim();
    if text.is_empty() {
        return Ok(None);
    }
    match app::numbers::parse_number(text) {
        Some(x) if (0.0..=100.0).contains(&x) => Ok(Some(x)),
        _ => Err(()),
    }
}

/// `POST /{lang}/staff/surveys/{id}/results/settings`: the public switch and group targets.
pub async fn settings(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((lang, id)): Path<(String, Uuid)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let public = fields.get("public") == "1";
    let mut feedback = Feedback::default().keep_all(&fields);
    let mut targets = BTreeMap::new();
    let mut bad = false;
    for group in StakeholderGroup::ALL {
        let name = format!("target_{}", group.code());
        match target(&fields.get(&name)) {
            Ok(Some(x)) => {
                targets.insert(group.code().to_owned(), x);
            }
            Ok(None) => {}
            Err(()) => {
                feedback.error(&name, "results.error.target_invalid");
                bad = true;
            }
        }
    }
    if !bad && targets.values().sum::<f64>() > 100.0 + 1e-9 {
        let first = StakeholderGroup::ALL
            .iter()
            .find(|g| targets.contains_key(g.code()))
            .map(|g| format!("target_{}", g.code()))
            .unwrap_or_default();
        feedback.error(&first, "results.error.targets_over");
        bad = true;
    }
    if bad {
        // Shown on the dashboard the form is on (it posts to a path of its own).
        let page = format!(
            "/{}/staff/surveys/{id}/results",
            Locale::from_code(&lang).unwrap_or_default().code()
        );
        return pages.show_at(parts, &page, feedback.into_inner()).await;
    }
    match surveys_db::get(&state.db, id).await {
        Ok(Some(_)) => {}
        Ok(None) => return not_found(&pages, &parts).await,
        Err(error) => return server_error(error),
    }
    if let Err(error) = results_db::save_settings(&state.db, id, public, &targets).await {
        return server_error(error);
    }
    let details: Vec<String> = targets.iter().map(|(g, x)| format!("{g}={x}")).collect();
    record_audit(
        &state,
        &parts,
        None,
        "survey.results",
        id.to_string(),
        Some(format!("public={public} targets={}", details.join(","))),
    )
    .await;
    let lang = Locale::from_code(&lang).unwrap_or_default().code();
    Redirect::to(&format!("/{lang}/staff/surveys/{id}/results#settings")).into_response()
}

async fn not_found(pages: &Pages, parts: &Parts) -> Response {
    pages
        .show(
            parts,
            app::page_state::FormFeedback::default(),
            StatusCode::NOT_FOUND,
        )
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_western_and_arabic_digits_and_refuse_the_rest() {
        assert_eq!(target(""), Ok(None));
        assert_eq!(target("25"), Ok(Some(25.0)));
        assert_eq!(target("٢٥٫٥"), Ok(Some(25.5)));
        assert_eq!(target("12,5 %"), Ok(Some(12.5)));
        assert_eq!(target("101"), Err(()));
        assert_eq!(target("-1"), Err(()));
        assert_eq!(target("abc"), Err(()));
    }

    #[test]
    fn chart_files_name_a_question_key() {
        assert_eq!(chart_key("q3.svg"), Some("q3"));
        assert_eq!(chart_key("../x.svg"), None);
        assert_eq!(chart_key("q3.png"), None);
    }
}
