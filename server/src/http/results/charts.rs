//! The results charts as SVG downloads: the staff dashboard's (under the page's filter) and
//! the public results page's (small counts hidden, written answers never).

use app::Locale;
use app::results::build::{self, Audience};
use app::results::{Filter, Results, db as results_db};
use app::surveys::db as surveys_db;
use axum::{
    extract::{Path, RawQuery, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use uuid::Uuid;

use super::{filter_of, pairs};
use crate::AppState;
use crate::http::forms::server_error;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_files_name_a_question_key() {
        assert_eq!(chart_key("q3.svg"), Some("q3"));
        assert_eq!(chart_key("../x.svg"), None);
        assert_eq!(chart_key("q3.png"), None);
    }
}
