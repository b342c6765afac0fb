//! Form handlers for teams: create a team, add and remove its responders.

use app::accounts::{Role, db as accounts_db};
use app::store::StoreError;
use axum::{
    Extension,
    extract::State,
    http::request::Parts,
    response::{IntoResponse, Redirect, Response},
};
use uuid::Uuid;

use super::forms::{Feedback, Fields, Pages, Posted, record_audit, server_error};
use crate::AppState;

fn teams_page(parts: &Parts) -> String {
    let locale = app::Locale::from_path(parts.uri.path()).unwrap_or_default();
    format!("/{}/staff/teams", locale.code())
}

/// Shows the teams page again with one problem for the form as a whole.
async fn refuse(pages: &Pages, parts: Parts, key: &str) -> Response {
    let page = teams_page(&parts);
    pages.show_with_error(parts, &page, key).await
}

pub async fn create(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let (name_ar, name_en) = (
        fields.get("name_ar").trim().to_owned(),
        fields.get("name_en").trim().to_owned(),
    );
    let mut feedback = Feedback::default()
        .keep("name_ar", name_ar.as_str())
        .keep("name_en", name_en.as_str());
    if name_ar.is_empty() {
        feedback.error("name_ar", "teams.name_ar_required");
    }
    if name_en.is_empty() {
        feedback.error("name_en", "teams.name_en_required");
    }
    if feedback.has_errors() {
        return pages.show_again(&parts, feedback.into_inner()).await;
    }
    match accounts_db::create_team(&state.db, &name_ar, &name_en).await {
        Ok(id) => {
            record_audit(
                &state,
                &parts,
                None,
                "team.create",
                id.to_string(),
                Some(name_en),
            )
            .await;
            Redirect::to(&teams_page(&parts)).into_response()
        }
        Err(StoreError::Conflict) => {
            feedback.error("name_en", "teams.name_taken");
            pages.show_again(&parts, feedback.into_inner()).await
        }
        Err(error) => server_error(error),
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
    let Some((team, user)) = membership(&fields) else {
        return refuse(&pages, parts, "teams.not_found").await;
    };
    // Members are responders (issue #3): check the role on the server, not only in the list offered.
    let is_responder = match accounts_db::load_active_user(&state.db, user).await {
        Ok(found) => found.is_some_and(|u| u.roles.contains(&Role::Responder)),
        Err(error) => return server_error(error),
    };
    if !is_responder {
        return refuse(&pages, parts, "teams.not_responder").await;
    }
    let teams = match accounts_db::list_teams(&state.db).await {
        Ok(teams) => teams,
        Err(error) => return server_error(error),
    };
    if !teams.iter().any(|t| t.id == team) {
        return refuse(&pages, parts, "teams.not_found").await;
    }
    if let Err(error) = accounts_db::add_team_member(&state.db, team, user).await {
        return server_error(error);
    }
    record_audit(
        &state,
        &parts,
        None,
        "team.member_add",
        team.to_string(),
        Some(user.to_string()),
    )
    .await;
    Redirect::to(&teams_page(&parts)).into_response()
}

pub async fn remove_member(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some((team, user)) = membership(&fields) else {
        return refuse(&pages, parts, "teams.not_found").await;
    };
    if let Err(error) = accounts_db::remove_team_member(&state.db, team, user).await {
        return server_error(error);
    }
    record_audit(
        &state,
        &parts,
        None,
        "team.member_remove",
        team.to_string(),
        Some(user.to_string()),
    )
    .await;
    Redirect::to(&teams_page(&parts)).into_response()
}
