//! The form handler that makes a personal API token (`accounts::actions::create_token`). The
//! new token is shown once, in the response to this post (never in a redirect URL); only its
//! hash is kept.

use app::accounts::actions::{self, AccountError};
use app::page_state::FormFeedback;
use axum::{
    Extension,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chrono::Utc;

use crate::AppState;
use crate::http::forms::{Feedback, Pages, Posted, actor, server_error};

pub async fn create(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let (name, lifetime) = (fields.get("name"), fields.get("lifetime"));
    match actions::create_token(&state.db, &actor, &name, &lifetime, Utc::now()).await {
        Ok(made) => {
            let shown = FormFeedback {
                revealed: Some(made.secret),
                ..FormFeedback::default()
            };
            pages.show(&parts, shown, StatusCode::CREATED).await
        }
        Err(AccountError::Invalid(problems)) => {
            let mut feedback = Feedback::default()
                .keep("name", name.trim())
                .keep("lifetime", lifetime.as_str());
            for (field, key) in problems {
                feedback.error(field, key);
            }
            pages.show_again(&parts, feedback.into_inner()).await
        }
        Err(AccountError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(error) => server_error(error),
    }
}
