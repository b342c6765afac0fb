//! Form handlers for feedback: the public form, the participant's messages and ratings (their
//! link is their key), and the staff forms. Each reads the form and calls the domain action
//! (`app::feedback::actions`), which the API calls too. On a problem the page comes back (422)
//! with the errors and everything typed; a flood gets 429 with the text kept.

use std::net::IpAddr;

use app::Locale;
use app::feedback::Channel;
use app::feedback::actions::{self, CaseKey, FeedbackError, Intake, RatingKey};
use app::feedback::rules::{CaseInput, Problems, check};
use app::page_state::FormFeedback;
use app::participants::CurrentParticipant;
use axum::{
    Extension,
    extract::{Path, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use uuid::Uuid;

use crate::AppState;
use crate::http::forms::{Feedback, Fields, Pages, Posted, actor, client_address, server_error};

fn locale(parts: &Parts) -> Locale {
    Locale::from_path(parts.uri.path()).unwrap_or_default()
}

fn address(parts: &Parts) -> IpAddr {
    client_address(parts)
        .and_then(|a| a.parse().ok())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

/// The form again with everything typed and these problems.
fn typed_with(fields: &Fields, problems: &Problems) -> FormFeedback {
    let mut feedback = Feedback::default().keep_all(fields);
    for (field, key) in problems {
        feedback.error(field, key);
    }
    feedback.into_inner()
}

/// What a form shows when the action did not happen.
async fn refused(pages: &Pages, parts: &Parts, fields: &Fields, error: FeedbackError) -> Response {
    let status = match &error {
        FeedbackError::Invalid(problems) => {
            return pages.show_again(parts, typed_with(fields, problems)).await;
        }
        FeedbackError::Store(error) => return server_error(error),
        FeedbackError::Forbidden => StatusCode::FORBIDDEN,
        FeedbackError::NotFound => StatusCode::NOT_FOUND,
        FeedbackError::NotNow | FeedbackError::Conflict | FeedbackError::Expired => {
            StatusCode::CONFLICT
        }
    };
    let key = match error {
        FeedbackError::NotNow => "feedback.error.not_now",
        FeedbackError::Conflict => "feedback.error.conflict",
        FeedbackError::Expired => "feedback.rate_closed",
        _ => "feedback.error.refused",
    };
    let mut feedback = Feedback::default().keep_all(fields);
    feedback.error("", key);
    pages.show(parts, feedback.into_inner(), status).await
}

/// The posted case as the rules read it.
fn case_input(fields: &Fields) -> CaseInput {
    CaseInput {
        topic: fields.get("topic"),
        about: fields.get("about"),
        message: fields.get("message"),
        group: fields.get("group"),
        reply_by: fields.get("reply_by"),
        name: fields.get("name"),
        email: fields.get("email"),
        phone: fields.get("phone"),
    }
}

/// The page again with "too many" and everything typed.
async fn flooded(pages: &Pages, parts: &Parts, fields: &Fields) -> Response {
    let mut feedback = Feedback::default().keep_all(fields);
    feedback.error("", "feedback.error.rate_limited");
    pages
        .show(parts, feedback.into_inner(), StatusCode::TOO_MANY_REQUESTS)
        .await
}

/// `POST /{lang}/feedback`: anyone sends feedback; then their private tracking page, which
/// confirms it with the reference and when to expect a reply.
pub async fn submit(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let locale = locale(&parts);
    let checked = match check(&case_input(&fields), Channel::Web) {
        Ok(checked) => checked,
        Err(problems) => {
            return pages
                .show_again(&parts, typed_with(&fields, &problems))
                .await;
        }
    };
    if !state.collection.feedback.allow(address(&parts)) {
        return flooded(&pages, &parts, &fields).await;
    }
    let intake = Intake {
        fields: checked,
        language: locale,
        recorded_by: None,
        token_id: None,
        client_id: None,
        webhook_url: None,
        participant: parts.extensions.get::<CurrentParticipant>().map(|p| p.0.id),
    };
    match actions::submit(&state.db, &state.settings.desk, intake, Utc::now()).await {
        Ok(received) => {
            let token = received.token.unwrap_or_default();
            let page = format!("{}?new=1", actions::tracking_path(locale, &token));
            Redirect::to(&page).into_response()
        }
        Err(error) => refused(&pages, &parts, &fields, error).await,
    }
}

/// `POST /{lang}/feedback/track/{token}`: the participant adds information (an answer when the
/// case waits for them).
pub async fn message(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, token)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let page = actions::tracking_path(locale(&parts), &token);
    add_message(
        &state,
        &pages,
        &parts,
        &fields,
        CaseKey::Tracking(&token),
        &page,
    )
    .await
}

/// `POST /{lang}/account/feedback/{id}`: the same from the signed-in participant's account.
pub async fn my_message(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Extension(CurrentParticipant(participant)): Extension<CurrentParticipant>,
    Path((_, case)): Path<(String, Uuid)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let page = app::participants::case_path(locale(&parts), case);
    let key = CaseKey::Owner {
        participant: participant.id,
        case,
    };
    add_message(&state, &pages, &parts, &fields, key, &page).await
}

async fn add_message(
    state: &AppState,
    pages: &Pages,
    parts: &Parts,
    fields: &Fields,
    key: CaseKey<'_>,
    page: &str,
) -> Response {
    if !state.collection.feedback.allow(address(parts)) {
        return flooded(pages, parts, fields).await;
    }
    let text = fields.get("message");
    let desk = &state.settings.desk;
    match actions::participant_message(&state.db, desk, key, &text, Utc::now()).await {
        Ok(()) => Redirect::to(&format!("{page}?sent=1")).into_response(),
        Err(error) => refused(pages, parts, fields, error).await,
    }
}

/// The rating as posted: score, comment, "not answered".
fn rating_fields(fields: &Fields) -> (String, String, bool) {
    (
        fields.get("score"),
        fields.get("comment"),
        fields.get("not_answered") == "on",
    )
}

/// `POST /{lang}/feedback/track/{token}/rate/{reply}`: a rating from the tracking page.
pub async fn rate_on_case(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, token, reply)): Path<(String, String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let page = actions::tracking_path(locale(&parts), &token);
    rate_reply(
        &state,
        &pages,
        &parts,
        &fields,
        CaseKey::Tracking(&token),
        &reply,
        &page,
    )
    .await
}

/// `POST /{lang}/account/feedback/{id}/rate/{reply}`: the same from the participant's account.
pub async fn my_rate(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Extension(CurrentParticipant(participant)): Extension<CurrentParticipant>,
    Path((_, case, reply)): Path<(String, Uuid, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let page = app::participants::case_path(locale(&parts), case);
    let key = CaseKey::Owner {
        participant: participant.id,
        case,
    };
    rate_reply(&state, &pages, &parts, &fields, key, &reply, &page).await
}

/// Rates a reply of the case `key` names; back to its page (`page`) either way.
async fn rate_reply(
    state: &AppState,
    pages: &Pages,
    parts: &Parts,
    fields: &Fields,
    key: CaseKey<'_>,
    reply: &str,
    page: &str,
) -> Response {
    let mut at_case = parts.clone();
    at_case.uri = page.parse().unwrap_or_default();
    let Ok(reply) = reply.parse::<Uuid>() else {
        return refused(pages, &at_case, fields, FeedbackError::NotFound).await;
    };
    let (score, comment, not_answered) = rating_fields(fields);
    let key = RatingKey::Case { case: key, reply };
    let desk = &state.settings.desk;
    match actions::rate(
        &state.db,
        desk,
        key,
        &score,
        &comment,
        not_answered,
        Utc::now(),
    )
    .await
    {
        Ok(()) => Redirect::to(&format!("{page}?rated=1")).into_response(),
        Err(error) => refused(pages, &at_case, fields, error).await,
    }
}

/// `POST /{lang}/feedback/rate/{token}`: a rating from the email's link.
pub async fn rate(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, token)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let (score, comment, not_answered) = rating_fields(&fields);
    let desk = &state.settings.desk;
    let key = RatingKey::Link(&token);
    match actions::rate(
        &state.db,
        desk,
        key,
        &score,
        &comment,
        not_answered,
        Utc::now(),
    )
    .await
    {
        Ok(()) => {
            let page = format!("{}?rated=1", actions::rating_path(locale(&parts), &token));
            Redirect::to(&page).into_response()
        }
        Err(error) => refused(&pages, &parts, &fields, error).await,
    }
}

/// `POST /{lang}/staff/feedback/new`: staff record a case received by phone, in person, on
/// paper or on social media. The page comes back empty for the next one, with the recorded
/// case's reference and tracking link shown once.
pub async fn record(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let channel =
        Channel::from_code(&fields.get("channel")).filter(|c| Channel::RECORDED.contains(c));
    let language = Locale::from_code(&fields.get("language"));
    let checked = check(&case_input(&fields), channel.unwrap_or(Channel::Phone));
    let mut problems = match &checked {
        Ok(_) => Problems::new(),
        Err(problems) => problems.clone(),
    };
    if channel.is_none() {
        problems.insert(0, ("channel", "feedback.error.channel"));
    }
    if language.is_none() {
        problems.push(("language", "feedback.error.language"));
    }
    let (Ok(checked), Some(language), true) = (checked, language, problems.is_empty()) else {
        return pages
            .show_again(&parts, typed_with(&fields, &problems))
            .await;
    };
    let intake = Intake {
        fields: checked,
        language,
        recorded_by: Some(&actor),
        token_id: None,
        client_id: None,
        webhook_url: None,
        participant: None,
    };
    match actions::submit(&state.db, &state.settings.desk, intake, Utc::now()).await {
        Ok(received) => {
            let link = state
                .settings
                .base_url
                .join(&actions::tracking_path(
                    language,
                    &received.token.unwrap_or_default(),
                ))
                .map(|u| u.to_string())
                .unwrap_or_default();
            let shown = FormFeedback {
                revealed: Some(format!("{}\n{link}\n{}", received.reference, received.id)),
                ..FormFeedback::default()
            };
            pages.show(&parts, shown, StatusCode::OK).await
        }
        Err(error) => refused(&pages, &parts, &fields, error).await,
    }
}

/// `POST /{lang}/staff/feedback/{id}/{action}`: what staff do on a case's page (`assign`,
/// `route`, `note`, `reply`, `resume`, `close`, `reopen`, `phoned`); then the case again.
pub async fn act(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, id, action)): Path<(String, String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let locale = locale(&parts);
    let case_path = format!("/{}/staff/feedback/{id}", locale.code());
    let mut at_case = parts.clone();
    at_case.uri = case_path.parse().unwrap_or_default();
    let Ok(id) = id.parse::<Uuid>() else {
        return refused(&pages, &at_case, &fields, FeedbackError::NotFound).await;
    };
    let (db, desk, now) = (&state.db, &state.settings.desk, Utc::now());
    let uuid = |name: &str| fields.get(name).parse::<Uuid>().ok();
    let done = match action.as_str() {
        "assign" => match uuid("to") {
            Some(to) => actions::assign(db, &actor, id, to, now).await,
            None => Err(FeedbackError::Invalid(vec![(
                "to",
                "feedback.error.assignee",
            )])),
        },
        "route" => match uuid("team") {
            Some(team) => actions::route_to(db, &actor, id, team, now).await,
            None => Err(FeedbackError::Invalid(vec![(
                "team",
                "feedback.error.team",
            )])),
        },
        "note" => actions::note(db, &actor, id, &fields.get("note"), now).await,
        "reply" => {
            let ask = fields.get("ask") == "on";
            actions::reply(db, desk, &actor, id, &fields.get("reply"), ask, now).await
        }
        "resume" => actions::resume(db, desk, &actor, id, now).await,
        "close" => actions::close(db, &actor, id, now).await,
        "reopen" => actions::reopen(db, desk, &actor, id, now).await,
        "phoned" => match uuid("entry") {
            Some(entry) => actions::phoned(db, &actor, id, entry, now).await,
            None => Err(FeedbackError::NotFound),
        },
        _ => Err(FeedbackError::NotFound),
    };
    match done {
        Ok(()) => Redirect::to(&format!("{case_path}?done={action}")).into_response(),
        Err(error) => refused(&pages, &at_case, &fields, error).await,
    }
}

/// The settings page, for a settings form's problems.
fn at_settings(parts: &Parts) -> Parts {
    let mut parts = parts.clone();
    parts.uri = format!("/{}/staff/feedback/settings", locale(&parts).code())
        .parse()
        .unwrap_or_default();
    parts
}

fn saved(parts: &Parts) -> Response {
    Redirect::to(&format!(
        "/{}/staff/feedback/settings?saved=1",
        locale(parts).code()
    ))
    .into_response()
}

/// `POST /{lang}/staff/feedback/settings/topics`: a topic's team and service level.
pub async fn route_topic(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let team = match fields.get("team").trim() {
        "" => Ok(None),
        id => id.parse::<Uuid>().map(Some),
    };
    let done = match team {
        Ok(team) => {
            actions::set_route(
                &state.db,
                &actor,
                fields.get("topic").trim(),
                team,
                &fields.get("amount"),
                &fields.get("counting"),
                Utc::now(),
            )
            .await
        }
        Err(_) => Err(FeedbackError::Invalid(vec![(
            "team",
            "feedback.error.team",
        )])),
    };
    match done {
        Ok(()) => saved(&parts),
        Err(error) => refused(&pages, &at_settings(&parts), &fields, error).await,
    }
}

/// `POST /{lang}/staff/feedback/settings/holidays`: adds a public holiday.
pub async fn add_holiday(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let (day, ar, en) = (
        fields.get("day"),
        fields.get("name_ar"),
        fields.get("name_en"),
    );
    match actions::put_holiday(&state.db, &actor, &day, &ar, &en).await {
        Ok(()) => saved(&parts),
        Err(error) => refused(&pages, &at_settings(&parts), &fields, error).await,
    }
}

/// `POST /{lang}/staff/feedback/settings/holidays/remove`: removes one.
pub async fn remove_holiday(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    match actions::remove_holiday(&state.db, &actor, &fields.get("day")).await {
        Ok(()) => saved(&parts),
        Err(error) => refused(&pages, &at_settings(&parts), &fields, error).await,
    }
}
