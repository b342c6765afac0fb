//! The author's results settings form: whether results are public, and the stakeholder
//! groups' targets (percentages, read by the one number parser).

use std::collections::BTreeMap;

use app::Locale;
use app::results::db as results_db;
use app::surveys::StakeholderGroup;
use app::surveys::db as surveys_db;
use axum::{
    Extension,
    extract::{Path, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use uuid::Uuid;

use crate::AppState;
use crate::http::forms::{Feedback, Pages, Posted, record_audit, server_error};

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
}
