//! The results domain over HTTP: the author's settings form (`forms`), chart downloads
//! (`charts`), the response exports (`export`), the results API (`api`), their routes and
//! their access rules, side by side.

pub mod api;
mod charts;
mod export;
mod forms;

use app::accounts::Permission::{AuthorSurveys, ReadResults};
use app::results::Filter;
use axum::{
    Router,
    http::Method,
    routing::{get, post},
};

use super::access::{
    Access::{Needs, Public},
    Kind::*,
    Rule, rule,
};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/{lang}/staff/surveys/{id}/results/export.csv",
            get(export::csv),
        )
        .route(
            "/{lang}/staff/surveys/{id}/results/export.xlsx",
            get(export::xlsx),
        )
        .route(
            "/{lang}/staff/surveys/{id}/results/export.json",
            get(export::json),
        )
        .route(
            "/{lang}/staff/surveys/{id}/results/codebook.csv",
            get(export::codebook),
        )
        .route(
            "/{lang}/staff/surveys/{id}/results/settings",
            post(forms::settings),
        )
        .route(
            "/{lang}/staff/surveys/{id}/results/charts/{file}",
            get(charts::staff_chart),
        )
        .route(
            "/{lang}/results/{key}/charts/{file}",
            get(charts::public_chart),
        )
        .merge(api::routes())
}

/// Authors, analysts and admins read results and export responses; authors set the targets
/// and whether results are public; anyone reads public results.
#[rustfmt::skip] // one rule per line reads as a table
pub const RULES: &[Rule] = &[
    rule(Method::GET, "/{lang}/staff/surveys/{id}/results", Needs(ReadResults), Page),
    rule(Method::GET, "/{lang}/staff/surveys/{id}/results/text/{question}", Needs(ReadResults), Page),
    rule(Method::POST, "/api/results/dashboard", Needs(ReadResults), Query),
    rule(Method::POST, "/api/results/text", Needs(ReadResults), Query),
    rule(Method::GET, "/{lang}/staff/surveys/{id}/results/charts/{file}", Needs(ReadResults), Query),
    rule(Method::GET, "/{lang}/staff/surveys/{id}/results/export.csv", Needs(ReadResults), Query),
    rule(Method::GET, "/{lang}/staff/surveys/{id}/results/export.xlsx", Needs(ReadResults), Query),
    rule(Method::GET, "/{lang}/staff/surveys/{id}/results/export.json", Needs(ReadResults), Query),
    rule(Method::GET, "/{lang}/staff/surveys/{id}/results/codebook.csv", Needs(ReadResults), Query),
    rule(Method::POST, "/{lang}/staff/surveys/{id}/results/settings", Needs(AuthorSurveys), Action),
    rule(Method::GET, "/{lang}/results/{key}", Public, Page),
    rule(Method::GET, "/{lang}/results/{key}/charts/{file}", Public, Query),
    rule(Method::POST, "/api/results/public", Public, Query),
    rule(Method::GET, "/api/v1/surveys/{id}/results", Needs(ReadResults), Query),
    rule(Method::GET, "/api/v1/surveys/{id}/results/crosstab", Needs(ReadResults), Query),
];

/// A query string's pairs, in order.
fn pairs(query: &Option<String>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The filter the pairs ask for, and the names of parameters that cannot be read.
fn filter_of(pairs: &[(String, String)]) -> (Filter, Vec<String>) {
    Filter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}
