//! Form handlers for collecting responses: the participant's pages (one section per post, a
//! draft after each, the whole response stored through the group-commit writer), the optional
//! contact address, and the staff side (address and identity mode, invitations, assisted entry).
//!
//! Whatever a participant sends gets a page in their language: errors come back with
//! everything typed (422), a closed survey says so (410), too many submissions from one
//! address say so (429). Only our own failures are 5xx, and even then what was typed is kept.

use std::net::IpAddr;

use app::Locale;
use app::page_state::FormFeedback;
use app::responses::actions::{self, AcceptError, Door, Incoming, PageError, PagePost, PageStep};
use app::responses::check::{AnswerError, Scope, is_email, read_page};
use app::responses::{
    AssistedMode, Channel, IdentityMode, clean_source, db, invitation_hash, valid_slug,
};
use app::surveys::conditions::Answers;
use axum::{
    Extension,
    extract::{Path, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use uuid::Uuid;

use crate::AppState;
use crate::http::forms::{
    Feedback, Fields, Pages, Posted, actor, client_address, record_audit, server_error,
};

fn locale(parts: &Parts) -> Locale {
    Locale::from_path(parts.uri.path()).unwrap_or_default()
}

fn form_path(locale: Locale, key: &str) -> String {
    app::responses::views::form_path(locale, key)
}

/// A form-level problem (not about one question), shown in the form's error summary.
fn form_error(code: &str) -> AnswerError {
    AnswerError {
        question: String::new(),
        field: "response-form".into(),
        code: code.into(),
        args: Vec::new(),
    }
}

fn address(parts: &Parts) -> IpAddr {
    client_address(parts)
        .and_then(|a| a.parse().ok())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

/// The page again with the participant's fields and these errors.
async fn again(
    pages: &Pages,
    parts: &Parts,
    values: Vec<(String, String)>,
    errors: Vec<AnswerError>,
    status: StatusCode,
) -> Response {
    let feedback = FormFeedback {
        values,
        answer_errors: errors,
        ..FormFeedback::default()
    };
    pages.show(parts, feedback, status).await
}

/// Every posted field but the robot trap, to show the form again as it was.
fn typed(fields: &Fields) -> Vec<(String, String)> {
    fields
        .pairs()
        .filter(|(k, _)| k != "website" && k != "action")
        .cloned()
        .collect()
}

/// `POST /{lang}/s/{key}`: one page of the participant's form.
pub async fn submit(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, key)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let locale = locale(&parts);
    let thanks = format!("{}/thanks", form_path(locale, &key));
    // Only robots fill the hidden trap: they are thanked, and nothing is stored.
    if !fields.get("website").trim().is_empty() {
        return Redirect::to(&thanks).into_response();
    }
    let survey = match state.collection.surveys.get(&state.db, &key).await {
        Ok(Some(survey)) => survey,
        Ok(None) => return refused(&pages, &parts, StatusCode::NOT_FOUND).await,
        Err(error) => return server_error(error),
    };
    let typed = typed(&fields);
    let again = |errors, status| again(&pages, &parts, typed.clone(), errors, status);
    let step = actions::take_page(&state.db, &survey, page_post(&fields), Utc::now()).await;
    let checked = match step {
        Ok(PageStep::Thanks) => return Redirect::to(&thanks).into_response(),
        Ok(PageStep::Resume { submission, page }) => {
            let resume = format!("{}?r={submission}&page={page}", form_path(locale, &key));
            return Redirect::to(&resume).into_response();
        }
        Ok(PageStep::Again(errors)) => {
            return again(errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Ok(PageStep::Earlier { values, errors, .. }) => {
            let mut parts = parts.clone();
            parts.uri = form_path(locale, &key).parse().unwrap_or_default();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return self::again(&pages, &parts, values, errors, status).await;
        }
        Ok(PageStep::Complete(checked)) => checked,
        Err(PageError::Closed) => return refused(&pages, &parts, StatusCode::GONE).await,
        Err(PageError::InvitationNeeded) => {
            return refused(&pages, &parts, StatusCode::FORBIDDEN).await;
        }
        Err(PageError::Store(error)) => return server_error(error),
    };
    if !state.collection.limiter.allow(address(&parts)) {
        let errors = vec![form_error("rate_limited")];
        return again(errors, StatusCode::TOO_MANY_REQUESTS).await;
    }
    match actions::store(&state.collection.collector, &state.db, *checked).await {
        Ok(_) => Redirect::to(&thanks).into_response(),
        Err(AcceptError::InvitationUsed) => {
            let errors = vec![form_error("invitation_used_now")];
            again(errors, StatusCode::CONFLICT).await
        }
        Err(AcceptError::Write(_)) => {
            let errors = vec![form_error("try_again")];
            again(errors, StatusCode::SERVICE_UNAVAILABLE).await
        }
        Err(_) => refused(&pages, &parts, StatusCode::GONE).await,
    }
}

/// The form's page, as `take_page` reads it.
fn page_post(fields: &Fields) -> PagePost {
    let text = |name: &str| Some(fields.get(name).trim().to_owned()).filter(|t| !t.is_empty());
    PagePost {
        submission: Uuid::parse_str(fields.get("submission").trim()).ok(),
        resuming: fields.get("draft") == "1",
        invitation: text("inv").map(|token| invitation_hash(&token)),
        channel: Channel::from_code(&fields.get("ch")),
        source: clean_source(&fields.get("src")),
        page: fields.get("page").parse().ok(),
        started: fields.get("started").trim().parse().ok(),
        back: fields.get("action") == "back",
        fields: typed(fields),
    }
}

/// The page with nothing typed and this status (not found, closed, not invited).
async fn refused(pages: &Pages, parts: &Parts, status: StatusCode) -> Response {
    pages.show(parts, FormFeedback::default(), status).await
}

/// `POST /{lang}/s/{key}/contact`: an address to hear back, kept apart from any answers.
pub async fn contact(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, key)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let locale = locale(&parts);
    let form = AddressForm {
        key: &key,
        page: format!("{}/thanks", form_path(locale, &key)),
        accepts: |_| true,
        done: "contact_saved",
    };
    keep_address(&state, &pages, parts, &fields, form, |(id, email)| {
        let db = state.db.clone();
        async move { db::add_contact(&db, id, &email, locale.code(), Utc::now()).await }
    })
    .await
}

/// `POST /{lang}/s/{key}/notify`: an address to tell once when a periodic survey's next
/// round opens (only between rounds); the survey's page comes back saying so, or with the
/// error and what was typed.
pub async fn notify(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, key)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let locale = locale(&parts);
    let form = AddressForm {
        key: &key,
        page: form_path(locale, &key),
        accepts: |survey| survey.next_round.is_some(),
        done: "watching",
    };
    keep_address(&state, &pages, parts, &fields, form, |(id, email)| {
        let db = state.db.clone();
        async move {
            db::watch(&db, id, &email, locale.code(), Utc::now())
                .await
                .map(|_| ())
        }
    })
    .await
}

/// A "write to me" form on a survey's pages: the survey's address `key`, the `page` shown
/// again, which surveys take addresses now, and the field kept to say it was done.
struct AddressForm<'a> {
    key: &'a str,
    page: String,
    accepts: fn(&app::responses::PublicSurvey) -> bool,
    done: &'static str,
}

/// The shared steps of a "write to me" form: the survey (404 unless it `accepts` addresses
/// now), the address checked and within the per-address limit, then `keep` it and show the
/// page saying so — or the page again with the error and what was typed.
async fn keep_address<F, Fut>(
    state: &AppState,
    pages: &Pages,
    mut parts: Parts,
    fields: &Fields,
    form: AddressForm<'_>,
    keep: F,
) -> Response
where
    F: FnOnce((Uuid, String)) -> Fut,
    Fut: std::future::Future<Output = Result<(), app::store::StoreError>>,
{
    parts.uri = form.page.parse().unwrap_or_default();
    let survey = match app::responses::db::public_survey(&state.db, form.key, Utc::now()).await {
        Ok(Some(survey)) if (form.accepts)(&survey) => survey,
        Ok(_) => {
            return pages
                .show(&parts, FormFeedback::default(), StatusCode::NOT_FOUND)
                .await;
        }
        Err(error) => return server_error(error),
    };
    let email = fields.get("email").trim().to_lowercase();
    let mut feedback = Feedback::default().keep("email", email.clone());
    if !is_email(&email) {
        feedback.error("email", "responses.error.email_invalid");
        return pages.show_again(&parts, feedback.into_inner()).await;
    }
    if !state.collection.limiter.allow(address(&parts)) {
        feedback.error("", "responses.rate_limited");
        return pages
            .show(&parts, feedback.into_inner(), StatusCode::TOO_MANY_REQUESTS)
            .await;
    }
    if let Err(error) = keep((survey.id, email)).await {
        return server_error(error);
    }
    let saved = Feedback::default().keep(form.done, "1").into_inner();
    pages.show(&parts, saved, StatusCode::CREATED).await
}

fn staff_path(locale: Locale, id: Uuid) -> String {
    format!("/{}/staff/surveys/{id}", locale.code())
}

/// `POST /{lang}/staff/surveys/{id}/collect`: the public address and identity mode.
pub async fn settings(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, id)): Path<(String, Uuid)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let locale = locale(&parts);
    let slug = fields.get("slug").trim().to_lowercase();
    let mode = IdentityMode::from_code(&fields.get("identity_mode")).unwrap_or_default();
    let mut feedback = Feedback::default().keep_all(&fields);
    if !slug.is_empty() && !valid_slug(&slug) {
        feedback.error("slug", "responses.error.slug_invalid");
        return pages.show_again(&parts, feedback.into_inner()).await;
    }
    match db::collection_settings(&state.db, id).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return pages
                .show(&parts, FormFeedback::default(), StatusCode::NOT_FOUND)
                .await;
        }
        Err(error) => return server_error(error),
    }
    let slug = (!slug.is_empty()).then_some(slug);
    match db::save_collection_settings(&state.db, id, slug.as_deref(), mode, Utc::now()).await {
        Ok(()) => {}
        Err(app::store::StoreError::Conflict) => {
            feedback.error("slug", "responses.error.slug_taken");
            return pages.show_again(&parts, feedback.into_inner()).await;
        }
        Err(error) => return server_error(error),
    }
    record_audit(
        &state,
        &parts,
        None,
        "survey.collection",
        id.to_string(),
        Some(format!(
            "slug={} identity_mode={}",
            slug.as_deref().unwrap_or(""),
            mode.code()
        )),
    )
    .await;
    Redirect::to(&format!("{}/collect", staff_path(locale, id))).into_response()
}

/// The addresses in a pasted list: split on new lines, commas, semicolons and spaces,
/// lower-cased, without repeats. Returns (valid, invalid).
pub fn email_list(text: &str) -> (Vec<String>, Vec<String>) {
    let mut valid: Vec<String> = Vec::new();
    let mut invalid = Vec::new();
    for item in text.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        let item = item
            .trim()
            .trim_matches(|c| c == '<' || c == '>')
            .to_lowercase();
        if item.is_empty() {
            continue;
        }
        if is_email(&item) {
            if !valid.contains(&item) {
                valid.push(item);
            }
        } else {
            invalid.push(item);
        }
    }
    (valid, invalid)
}

/// `POST /{lang}/staff/surveys/{id}/invitations`: single-use links for a list of addresses,
/// shown once.
pub async fn invite(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, id)): Path<(String, Uuid)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let locale = locale(&parts);
    let mut parts = parts;
    parts.uri = format!("{}/collect", staff_path(locale, id))
        .parse()
        .unwrap_or_default();
    let text = fields.get("emails");
    let mut feedback = Feedback::default().keep("emails", text.clone());
    let (valid, invalid) = email_list(&text);
    if !invalid.is_empty() {
        feedback.error("emails", "responses.error.emails_invalid");
        return pages.show_again(&parts, feedback.into_inner()).await;
    }
    if valid.is_empty() {
        feedback.error("emails", "responses.error.emails_empty");
        return pages.show_again(&parts, feedback.into_inner()).await;
    }
    let key = match db::collection_settings(&state.db, id).await {
        Ok(Some((slug, _))) => slug.unwrap_or_else(|| id.to_string()),
        Ok(None) => {
            return pages
                .show(&parts, FormFeedback::default(), StatusCode::NOT_FOUND)
                .await;
        }
        Err(error) => return server_error(error),
    };
    let made = match db::invite(&state.db, id, &valid, Utc::now()).await {
        Ok(made) => made,
        Err(error) => return server_error(error),
    };
    record_audit(
        &state,
        &parts,
        None,
        "survey.invitations",
        id.to_string(),
        Some(format!("invited={}", made.len())),
    )
    .await;
    let base = state.settings.base_url.as_str().trim_end_matches('/');
    let link =
        |locale: Locale, token: &str| format!("{base}{}?inv={token}", form_path(locale, &key));
    let links = made
        .iter()
        .map(|(email, token)| format!("{email}\t{}", link(locale, token)))
        .collect::<Vec<_>>()
        .join("\n");
    // With a relay, each address gets its link by email (in both languages); without one,
    // staff send the links shown here themselves.
    let mail = if state.settings.mailer.is_some() {
        let title = match app::surveys::db::get(&state.db, id).await {
            Ok(Some(survey)) => survey.definition.title,
            Ok(None) => app::surveys::model::Text::default(),
            Err(error) => return server_error(error),
        };
        let now = Utc::now();
        for (email, token) in &made {
            let subject = [Locale::Ar, Locale::En]
                .map(|l| l.t_with("responses.invite_subject", &[("title", title.get(l))]))
                .join(" | ");
            let body = [Locale::Ar, Locale::En]
                .map(|l| {
                    l.t_with(
                        "responses.invite_body",
                        &[("title", title.get(l)), ("link", &link(l, token))],
                    )
                })
                .join("\n\n----\n\n");
            if let Err(error) =
                app::store::outbox::enqueue(&state.db, email, &subject, &body, now).await
            {
                return server_error(error);
            }
        }
        "queued"
    } else {
        "manual"
    };
    let shown = FormFeedback {
        revealed: Some(links),
        values: vec![("mail".into(), mail.into())],
        ..FormFeedback::default()
    };
    pages.show(&parts, shown, StatusCode::CREATED).await
}

/// `POST /{lang}/staff/surveys/{id}/enter`: a response taken by phone, on paper or in person,
/// entered by a responder or author. Recorded with the channel, the way it was taken and the
/// staff member, and in the audit log.
pub async fn assisted(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, id)): Path<(String, Uuid)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let Some(actor) = actor(&parts) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let survey = match state
        .collection
        .surveys
        .get(&state.db, &id.to_string())
        .await
    {
        Ok(Some(survey)) => survey,
        Ok(None) => return refused(&pages, &parts, StatusCode::NOT_FOUND).await,
        Err(error) => return server_error(error),
    };
    let values: Vec<(String, String)> = typed(&fields)
        .into_iter()
        .filter(|(k, _)| k != "csrf")
        .collect();
    let shown = |errors, mode_missing: bool| {
        let mut feedback = FormFeedback {
            values: values.clone(),
            answer_errors: errors,
            ..FormFeedback::default()
        };
        if mode_missing {
            let error = ("mode".into(), "responses.error.mode_missing".into());
            feedback.errors.push(error);
        }
        feedback
    };
    let mode = AssistedMode::from_code(&fields.get("mode"));
    let (answers, mut errors) = read_page(&survey.definition, Scope::All, &Answers::new(), &values);
    if !survey.open {
        errors.insert(0, form_error("closed_now"));
    }
    let Some(mode) = mode.filter(|_| errors.is_empty()) else {
        return pages
            .show_again(&parts, shown(errors, mode.is_none()))
            .await;
    };
    let incoming = Incoming {
        submission: Uuid::parse_str(fields.get("submission").trim())
            .unwrap_or_else(|_| Uuid::new_v4()),
        answers,
        channel: Channel::Assisted,
        source: Some(mode.code().to_owned()),
        invitation: None,
        started_at: None,
        door: Door::Form,
    };
    let writer = &state.collection.collector;
    match actions::accept(
        writer,
        &state.db,
        &survey,
        incoming,
        Some(actor),
        Utc::now(),
    )
    .await
    {
        Ok(_) => {
            let saved = Feedback::default().keep("assisted_saved", "1").into_inner();
            pages.show(&parts, saved, StatusCode::CREATED).await
        }
        Err(AcceptError::Invalid { errors, .. }) => {
            pages.show_again(&parts, shown(errors, false)).await
        }
        Err(AcceptError::Write(_)) => {
            let feedback = shown(vec![form_error("try_again")], false);
            pages
                .show(&parts, feedback, StatusCode::SERVICE_UNAVAILABLE)
                .await
        }
        Err(AcceptError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(_) => {
            let feedback = shown(vec![form_error("closed_now")], false);
            pages.show(&parts, feedback, StatusCode::GONE).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_address_lists_are_split_and_checked() {
        let (valid, invalid) = email_list("A@x.org, b@y.org;\n<c@z.org>  a@x.org\nnot-an-address");
        assert_eq!(valid, vec!["a@x.org", "b@y.org", "c@z.org"]);
        assert_eq!(invalid, vec!["not-an-address"]);
    }
}
