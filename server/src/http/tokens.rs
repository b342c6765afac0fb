//! The form handler that makes a personal API token. The new token is shown once, in the
//! response to this post (never in a redirect URL); only its hash is kept.

use app::accounts::{
    CurrentUser, secrets, token_db,
    tokens::{SHOWN_PREFIX_LEN, TOKEN_PREFIX, check_new_token},
};
use app::page_state::FormFeedback;
use axum::{
    Extension,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chrono::Utc;

use super::forms::{Feedback, Pages, Posted, record_audit, server_error};
use crate::AppState;

pub async fn create(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(user) = parts.extensions.get::<CurrentUser>().cloned() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let (name, lifetime) = (fields.get("name"), fields.get("lifetime"));
    let now = Utc::now();
    let (name, expires_at) = match check_new_token(&name, &lifetime, now) {
        Ok(checked) => checked,
        Err(problems) => {
            let mut feedback = Feedback::default()
                .keep("name", name.trim())
                .keep("lifetime", lifetime.as_str());
            for (field, key) in problems {
                feedback.error(field, key);
            }
            return pages.show_again(&parts, feedback.into_inner()).await;
        }
    };
    let secret = format!("{TOKEN_PREFIX}{}", secrets::new_token());
    let hash = secrets::token_hash(&secret);
    let new = token_db::NewToken {
        user_id: user.id,
        name: &name,
        token_hash: &hash,
        prefix: &secret[..SHOWN_PREFIX_LEN],
        expires_at,
    };
    match token_db::create(&state.db, new, now).await {
        Ok(id) => {
            record_audit(
                &state,
                &parts,
                None,
                "token.create",
                id.to_string(),
                Some(name),
            )
            .await;
            let shown = FormFeedback {
                revealed: Some(secret),
                ..FormFeedback::default()
            };
            pages.show(&parts, shown, StatusCode::CREATED).await
        }
        Err(error) => server_error(error),
    }
}
