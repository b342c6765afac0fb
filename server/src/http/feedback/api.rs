//! The feedback part of the JSON API (`/api/v1/feedback`): partner and call-centre systems post
//! the cases they receive (idempotent with their own client id) and read a case's state and
//! replies; the same intake action as the public form (`feedback::actions::submit`). A case
//! can ask to be answered by a signed webhook (`reply_webhook`, see `crate::webhooks`).

use app::Locale;
use app::accounts::Permission;
use app::feedback::actions::{self, FeedbackError, Intake};
use app::feedback::rules::{CLIENT_ID_MAX, CaseInput, check};
use app::feedback::{CaseState, Channel, ReplyBy, db};
use axum::{
    Json, Router,
    extract::{Path, State, rejection::JsonRejection},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};
use uuid::Uuid;

use crate::AppState;
use crate::http::api::{ApiError, Caller, ErrorBody};
use crate::http::session::BearerAuth;

pub fn routes() -> Router<AppState> {
    use axum::routing::{get, post};
    Router::new()
        .route("/api/v1/feedback", post(create))
        .route("/api/v1/feedback/{reference}", get(read))
}

#[derive(OpenApi)]
#[openapi(
    paths(create, read),
    components(schemas(NewFeedback, Accepted, CaseStatus, ReplyOut, Channel, ReplyBy, CaseState)),
    tags((name = "feedback", description = "Feedback and enquiries from partner and call-centre systems, answered within the topic's service level"))
)]
pub struct FeedbackApi;

/// A case received by an integration.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFeedback {
    /// The integration's own id for this case (at most 100 characters): posting the same id
    /// again answers the case already created instead of a second one.
    pub client_id: String,
    /// How the integration received it: `partner` (the default), `phone`, `in_person`,
    /// `paper` or `social_media`.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// One of the topics: `education`, `health`, `economy`, `environment`, `digital_services`,
    /// `social_services`, `culture`, `other`.
    pub topic: String,
    /// The participant's words (10 to 5,000 characters).
    pub message: String,
    /// The language to answer in: `ar` or `en`.
    pub language: String,
    /// The participant's stakeholder group, if they said.
    #[serde(default)]
    pub group: Option<String>,
    /// How to answer: `webhook` (to `reply_webhook`), `email`, `phone` (staff phone back) or
    /// `web` (the tracking page only).
    pub reply_by: ReplyBy,
    /// Where replies are POSTed, signed, when `reply_by` is `webhook`: an `http://` address
    /// (TLS is terminated by the ministry's integration gateway).
    #[serde(default)]
    pub reply_webhook: Option<String>,
    /// The published opportunity (or survey's opportunity) it is about.
    #[serde(default)]
    pub about: Option<Uuid>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A case taken in.
#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    pub id: Uuid,
    /// The reference to quote: `SHK-2026-000123`.
    pub reference: String,
    /// When a reply is due.
    pub due_at: DateTime<Utc>,
    /// The participant's private tracking page: given once, when the case is created (only a
    /// hash is kept), absent when a client id is repeated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_url: Option<String>,
    /// Whether this post repeated an earlier client id.
    pub repeated: bool,
}

/// A reply, as the integration reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplyOut {
    pub id: Uuid,
    pub text: String,
    pub at: DateTime<Utc>,
}

/// A case's state and replies.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseStatus {
    pub reference: String,
    pub state: CaseState,
    pub due_at: DateTime<Utc>,
    pub replies: Vec<ReplyOut>,
}

fn problem(field: &'static str, key: &'static str) -> ApiError {
    ApiError::Invalid(vec![(field, key)])
}

/// Takes in a case from a partner or call-centre system. Responders' and admins' tokens.
#[utoipa::path(post, path = "/api/v1/feedback", tag = "feedback",
    request_body = NewFeedback,
    responses(
        (status = 201, description = "Taken in; `Location` names it", body = Accepted),
        (status = 200, description = "This client id was posted before: the case it created", body = Accepted),
        (status = 400, description = "Not JSON, or fields that break the rules (see `problems`)", body = ErrorBody),
        (status = 401, description = "No valid credentials", body = ErrorBody),
        (status = 403, description = "The token's owner may not take in feedback", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    parts: Parts,
    body: Result<Json<NewFeedback>, JsonRejection>,
) -> Result<Response, ApiError> {
    let actor = caller.actor(Permission::HandleFeedback, &parts)?;
    let Json(body) = body.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    let client_id = body.client_id.trim();
    if client_id.is_empty() || client_id.chars().count() > CLIENT_ID_MAX {
        return Err(problem("client_id", "feedback.error.client_id"));
    }
    let channel = body.channel.unwrap_or(Channel::Partner);
    if channel == Channel::Web {
        return Err(problem("channel", "feedback.error.channel"));
    }
    let language = Locale::from_code(body.language.trim())
        .ok_or_else(|| problem("language", "feedback.error.language"))?;
    let webhook = match (body.reply_by, body.reply_webhook.as_deref().map(str::trim)) {
        (ReplyBy::Webhook, Some(url)) => match url::Url::parse(url) {
            Ok(parsed) if parsed.scheme() == "http" && parsed.host().is_some() => Some(url),
            _ => return Err(problem("reply_webhook", "feedback.error.webhook")),
        },
        (ReplyBy::Webhook, None) => return Err(problem("reply_webhook", "feedback.error.webhook")),
        _ => None,
    };
    if webhook.is_some() && state.settings.webhook_secret.is_none() {
        return Err(problem("reply_by", "feedback.error.webhooks_off"));
    }
    let input = CaseInput {
        topic: body.topic,
        about: body.about.map(|id| id.to_string()).unwrap_or_default(),
        message: body.message,
        group: body.group.unwrap_or_default(),
        reply_by: body.reply_by.code().to_owned(),
        name: body.name.unwrap_or_default(),
        email: body.email.unwrap_or_default(),
        phone: body.phone.unwrap_or_default(),
    };
    let fields = check(&input, channel).map_err(ApiError::Invalid)?;
    let token_id = parts.extensions.get::<BearerAuth>().map(|b| b.0);
    let intake = Intake {
        fields,
        language,
        recorded_by: Some(&actor),
        token_id,
        client_id: token_id.map(|_| client_id),
        webhook_url: webhook,
        participant: None,
    };
    let received = actions::submit(&state.db, &state.settings.desk, intake, Utc::now()).await?;
    let tracking_url = received.token.as_ref().and_then(|token| {
        state
            .settings
            .base_url
            .join(&actions::tracking_path(language, token))
            .ok()
            .map(|u| u.to_string())
    });
    let status = if received.repeated {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let location = format!("/api/v1/feedback/{}", received.reference);
    let body = Accepted {
        id: received.id,
        reference: received.reference,
        due_at: received.due_at,
        tracking_url,
        repeated: received.repeated,
    };
    Ok((status, [(header::LOCATION, location)], Json(body)).into_response())
}

/// A case's state and the replies sent so far, by its reference. Responders' and admins' tokens.
#[utoipa::path(get, path = "/api/v1/feedback/{reference}", tag = "feedback",
    params(("reference" = String, Path, description = "The case's reference, `SHK-2026-000123`")),
    responses(
        (status = 200, description = "The case", body = CaseStatus),
        (status = 401, description = "No valid credentials", body = ErrorBody),
        (status = 403, description = "The token's owner may not read feedback", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
    ))]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    Path(reference): Path<String>,
) -> Result<Json<CaseStatus>, ApiError> {
    caller.needs(Permission::HandleFeedback)?;
    let case = db::find_by_reference(&state.db, reference.trim())
        .await?
        .ok_or(ApiError::NotFound)?;
    let replies = db::entries(&state.db, case.id)
        .await?
        .into_iter()
        .filter(|e| e.kind == app::feedback::EntryKind::Reply)
        .map(|e| ReplyOut {
            id: e.id,
            text: e.body,
            at: e.at,
        })
        .collect();
    Ok(Json(CaseStatus {
        state: case.state(),
        reference: case.reference,
        due_at: case.due_at,
        replies,
    }))
}

impl From<FeedbackError> for ApiError {
    fn from(error: FeedbackError) -> Self {
        match error {
            FeedbackError::Forbidden => ApiError::Forbidden,
            FeedbackError::NotFound => ApiError::NotFound,
            FeedbackError::Invalid(problems) => ApiError::Invalid(problems),
            FeedbackError::Conflict => ApiError::Conflict,
            FeedbackError::NotNow | FeedbackError::Expired => ApiError::Refused {
                code: "not_now",
                message: "the case's state does not allow this",
            },
            FeedbackError::Store(error) => error.into(),
        }
    }
}
