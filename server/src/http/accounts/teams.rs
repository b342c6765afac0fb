//! Form handlers for teams: create a team, add and remove its responders
//! (`accounts::actions`).

use app::accounts::actions::{self, AccountError};
use axum::{
    Extension,
    extract::State,
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use uuid::Uuid;

use crate::AppState;
use crate::http::forms::{Feedback, Fields, Pages, Posted, actor, server_error};

fn teams_page(parts: &Parts) -> String {
    let locale = app::Locale::from_path(parts.uri.path()).unwrap_or_default();
    format!("/{}/staff/teams", locale.code())
}

/// A team action's outcome: back to the teams page, or that page again with the problem.
async fn answer(pages: &Pages, parts: Parts, outcome: Result<(), AccountError>) -> Response {
    let page = teams_page(&parts);
    let key = match outcome {
        Ok(()) => return Redirect::to(&page).into_response(),
        Err(AccountError::Refused(key)) => key,
        Err(AccountError::NotFound) => "teams.not_found",
        Err(AccountError::Forbidden) => return StatusCode::FORBIDDEN.into_response(),
        Err(error) => return server_error(error),
    };
    pages.show_with_error(parts, &page, key).await
}

pub async fn create(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let (name_ar, name_en) = (fields.get("name_ar"), fields.get("name_en"));
    match actions::create_team(&state.db, &actor, &name_ar, &name_en).await {
        Ok(_) => Redirect::to(&teams_page(&parts)).into_response(),
        Err(AccountError::Invalid(problems)) => {
            let mut feedback = Feedback::default()
                .keep("name_ar", name_ar.trim())
                .keep("name_en", name_en.trim());
            for (field, key) in problems {
                feedback.error(field, key);
            }
            pages.show_again(&parts, feedback.into_inner()).await
        }
        Err(error) => answer(&pages, parts, Err(error)).await,
    }
}

/// The team and user a membership form names, if both are well-formed ids.
fn membership(fields: &Fields) -> Option<(Uuid, Uuid)> {
    Some((
        fields.get("team").parse().ok()?,
        fields.get("user").parse().ok()?,
    ))
}

pub async fn add_member(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let (Some(actor), Some((team, user))) = (actor(&parts), membership(&fields)) else {
        return answer(&pages, parts, Err(AccountError::NotFound)).await;
    };
    let outcome = actions::add_member(&state.db, &actor, team, user).await;
    answer(&pages, parts, outcome).await
}

pub async fn remove_member(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let (Some(actor), Some((team, user))) = (actor(&parts), membership(&fields)) else {
        return answer(&pages, parts, Err(AccountError::NotFound)).await;
    };
    let outcome = actions::remove_member(&state.db, &actor, team, user).await;
    answer(&pages, parts, outcome).await
}

/// `POST /{lang}/staff/teams/members/lead`: makes a member the team's lead (`lead=on`) or no
/// longer.
pub async fn set_lead(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let (Some(actor), Some((team, user))) = (actor(&parts), membership(&fields)) else {
        return answer(&pages, parts, Err(AccountError::NotFound)).await;
    };
    let lead = fields.get("lead") == "on";
    let outcome = actions::set_lead(&state.db, &actor, team, user, lead).await;
    answer(&pages, parts, outcome).await
}
