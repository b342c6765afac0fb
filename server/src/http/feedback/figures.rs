//! `GET /{lang}/staff/feedback/figures.csv`: the figures page as CSV, in the page's language,
//! with the same filters (a BOM, so spreadsheet programs read the Arabic as UTF-8).

use std::collections::HashMap;

use app::Locale;
use app::accounts::{CurrentUser, Permission};
use app::feedback::figures::Figures;
use app::feedback::{FiguresQuery, compute_figures, figures::Dimension, topic_label_key};
use axum::{
    extract::{Query, State},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use chrono::Utc;

use crate::AppState;
use crate::http::forms::server_error;

fn number(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(String::new, |v| format!("{v:.decimals$}"))
}

fn row(label: String, f: &Figures) -> Vec<String> {
    let mut row = vec![
        label,
        f.cases.to_string(),
        f.answered.to_string(),
        number(f.median_hours, 1),
        number(f.p90_hours, 1),
        number(f.within_level.map(|s| s * 100.0), 1),
        f.overdue_now.to_string(),
        number(f.reopen_rate.map(|s| s * 100.0), 1),
        number(f.satisfaction, 2),
    ];
    row.extend(f.ratings.iter().map(ToString::to_string));
    row
}

pub async fn csv(
    State(state): State<AppState>,
    parts: Parts,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !parts
        .extensions
        .get::<CurrentUser>()
        .is_some_and(|u| u.can(Permission::ReadFeedbackFigures))
    {
        return StatusCode::FORBIDDEN.into_response();
    }
    let locale = Locale::from_path(parts.uri.path()).unwrap_or_default();
    let asked = FiguresQuery::from_query(|key| query.get(key).cloned());
    let view = match compute_figures(&state.db, &asked, locale, Utc::now()).await {
        Ok(view) => view,
        Err(error) => return server_error(error),
    };
    let t = |key: &str| locale.t(key);
    let mut header_row = vec![
        t(&format!("feedback.by.{}", view.by.code())),
        t("feedback.fig.cases"),
        t("feedback.fig.answered"),
        t("feedback.fig.median"),
        t("feedback.fig.p90"),
        t("feedback.fig.within_percent"),
        t("feedback.fig.overdue"),
        t("feedback.fig.reopen_percent"),
        t("feedback.fig.satisfaction"),
    ];
    header_row.extend((1..=5).map(|s| t(&format!("feedback.score.s{s}"))));
    let mut out = csv::Writer::from_writer(Vec::from(*b"\xEF\xBB\xBF"));
    let label = |key: &str| -> String {
        if key.is_empty() {
            return String::new();
        }
        match view.by {
            Dimension::Team => view
                .teams
                .iter()
                .find(|team| team.id.to_string() == key)
                .map(|team| team.name(locale).to_owned())
                .unwrap_or_else(|| key.to_owned()),
            Dimension::Topic => t(&topic_label_key(key)),
            Dimension::Channel => t(&format!("feedback.channel.{key}")),
            Dimension::Group => t(&format!("groups.{key}")),
        }
    };
    let mut rows = vec![header_row, row(t("feedback.fig.all"), &view.overall)];
    rows.extend(view.rows.iter().map(|(key, f)| row(label(key), f)));
    for record in rows {
        if let Err(error) = out.write_record(&record) {
            return server_error(error);
        }
    }
    let body = match out.into_inner() {
        Ok(body) => body,
        Err(error) => return server_error(error),
    };
    let name = format!("sharek-feedback-figures-{}-{}.csv", view.from, view.to);
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}
