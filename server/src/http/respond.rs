//! Form handlers for collecting responses: the participant's pages (one section per post, a
//! draft after each, the whole response stored through the group-commit writer), the optional
//! contact address, and the staff side (address and identity mode, invitations, assisted entry).
//!
//! Whatever a participant sends gets a page in their language: errors come back with
//! everything typed (422), a closed survey says so (410), too many submissions from one
//! address say so (429). Only our own failures are 5xx, and even then what was typed is kept.

use std::net::IpAddr;

use app::Locale;
use app::accounts::CurrentUser;
use app::page_state::FormFeedback;
use app::responses::check::{
    AnswerError, Scope, check_complete, fields_from_answers, is_email, read_page,
};
use app::responses::views::pages_for;
use app::responses::{
    AssistedMode, Channel, Draft, IdentityMode, Outcome, Submission, clean_source, db,
    invitation_hash, valid_slug,
};
use app::surveys::conditions::{Answer, Answers, STAKEHOLDER_QUESTION};
use axum::{
    Extension,
    extract::{Path, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use uuid::Uuid;

use super::forms::{Feedback, Fields, Pages, Posted, client_address, record_audit, server_error};
use crate::AppState;

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

fn stakeholder(answers: &Answers) -> String {
    match answers.get(STAKEHOLDER_QUESTION) {
        Some(Answer::Choice { key, .. }) => key.clone(),
        _ => String::new(),
    }
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
        Ok(None) => {
            return pages
                .show(&parts, FormFeedback::default(), StatusCode::NOT_FOUND)
                .await;
        }
        Err(error) => return server_error(error),
    };
    if !survey.open {
        return pages
            .show(&parts, FormFeedback::default(), StatusCode::GONE)
            .await;
    }
    let definition = &survey.definition;
    let submission =
        Uuid::parse_str(fields.get("submission").trim()).unwrap_or_else(|_| Uuid::new_v4());
    let draft = if fields.get("draft") == "1" {
        match db::draft(&state.db, submission).await {
            Ok(Some(draft)) if draft.survey == survey.id => Some(draft),
            Ok(_) => match db::submitted(&state.db, submission).await {
                // A page sent again after its response was stored: it is already in.
                Ok(true) => return Redirect::to(&thanks).into_response(),
                Ok(false) => None,
                Err(error) => return server_error(error),
            },
            Err(error) => return server_error(error),
        }
    } else {
        None
    };
    // The invitation's hash: kept in the draft after the first page (never the link itself),
    // carried in the form (`inv`) before it.
    let invitation = match &draft {
        Some(draft) => draft.invitation.clone(),
        None => Some(fields.get("inv").trim().to_owned())
            .filter(|t| !t.is_empty())
            .map(|token| invitation_hash(&token)),
    };
    if survey.identity_mode == IdentityMode::Invitation && invitation.is_none() {
        return pages
            .show(&parts, FormFeedback::default(), StatusCode::FORBIDDEN)
            .await;
    }
    let known = draft
        .as_ref()
        .map(|d| d.answers.clone())
        .unwrap_or_default();
    let reached = draft.as_ref().map_or(0, |d| d.reached);
    let (channel, source) = match &draft {
        Some(d) => (d.channel, d.source.clone()),
        None => (
            Channel::from_code(&fields.get("ch"))
                .filter(|c| *c != Channel::Assisted)
                .unwrap_or(Channel::Web),
            clean_source(&fields.get("src")),
        ),
    };
    let before = pages_for(definition, &known);
    let page = fields
        .get("page")
        .parse::<usize>()
        .ok()
        .filter(|p| *p < definition.sections.len())
        .unwrap_or(before[0]);
    let scope = Scope::Section {
        index: page,
        first: page == before[0],
    };
    let (answers, errors) = read_page(definition, scope, &known, &typed(&fields));
    // When the form was opened: the draft's start, or the first page's hidden field (clamped
    // to the last day, since the browser sends it).
    let now = Utc::now();
    let started_at = match &draft {
        Some(d) => Some(d.started_at),
        None => fields
            .get("started")
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .filter(|s| *s <= now && now - *s <= chrono::Duration::days(1)),
    };
    let save = |answers: Answers, reached: usize| Draft {
        id: submission,
        survey: survey.id,
        answers,
        reached,
        channel,
        source: source.clone(),
        invitation: invitation.clone(),
        started_at: started_at.unwrap_or(now),
    };
    let resume = |page: usize| format!("{}?r={submission}&page={page}", form_path(locale, &key));
    if fields.get("action") == "back" {
        // Back keeps what was typed on this page (what could be read) and goes one page back.
        let previous = pages_for(definition, &answers)
            .into_iter()
            .filter(|p| *p < page)
            .max()
            .unwrap_or(page);
        if let Err(error) =
            db::save_draft(&state.db, &save(answers, reached.max(page)), Utc::now()).await
        {
            return server_error(error);
        }
        return Redirect::to(&resume(previous)).into_response();
    }
    if !errors.is_empty() {
        return again(
            &pages,
            &parts,
            typed(&fields),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let after = pages_for(definition, &answers);
    if let Some(next) = after.iter().copied().find(|p| *p > page) {
        if let Err(error) =
            db::save_draft(&state.db, &save(answers, reached.max(next)), Utc::now()).await
        {
            return server_error(error);
        }
        return Redirect::to(&resume(next)).into_response();
    }
    // The last page: the whole response must hold, earlier pages included.
    let (answers, errors) = check_complete(definition, &answers);
    if let Some(first) = errors.first() {
        let on_page = definition
            .sections
            .iter()
            .position(|s| s.questions.iter().any(|q| q.key == first.question))
            .unwrap_or(after[0]);
        if on_page != page {
            // A page before this one is incomplete (its rules changed): show that page.
            if let Err(error) = db::save_draft(
                &state.db,
                &save(answers.clone(), reached.max(page)),
                Utc::now(),
            )
            .await
            {
                return server_error(error);
            }
            let mut values = vec![
                ("submission".to_owned(), submission.to_string()),
                ("page".to_owned(), on_page.to_string()),
                ("draft".to_owned(), "1".to_owned()),
            ];
            values.extend(fields_from_answers(definition, &answers));
            let mut parts = parts;
            parts.uri = form_path(locale, &key).parse().unwrap_or_default();
            return again(
                &pages,
                &parts,
                values,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        return again(
            &pages,
            &parts,
            typed(&fields),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    if !state.collection.limiter.allow(address(&parts)) {
        return again(
            &pages,
            &parts,
            typed(&fields),
            vec![form_error("rate_limited")],
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let stored = state
        .collection
        .collector
        .submit(Submission {
            id: submission,
            survey: survey.id,
            wave: survey.wave,
            survey_version: survey.version,
            stakeholder_group: stakeholder(&answers),
            channel,
            source: source.clone(),
            answers,
            entered_by: None,
            invitation: invitation.clone(),
            submitted_at: now,
            duration: started_at.map(|s| (now - s).num_seconds()),
        })
        .await;
    match stored {
        Ok(Outcome::Stored | Outcome::AlreadyStored) => Redirect::to(&thanks).into_response(),
        Ok(Outcome::Closed) => {
            pages
                .show(&parts, FormFeedback::default(), StatusCode::GONE)
                .await
        }
        Ok(Outcome::InvitationUsed) => {
            again(
                &pages,
                &parts,
                typed(&fields),
                vec![form_error("invitation_used_now")],
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(error) => {
            tracing::error!(%error, "storing a response");
            again(
                &pages,
                &parts,
                typed(&fields),
                vec![form_error("try_again")],
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await
        }
    }
}

/// `POST /{lang}/s/{key}/contact`: an address to hear back, kept apart from any answers.
pub async fn contact(
    State(state): State<AppState>,
    Extension(pages): Extension<Pages>,
    Path((_, key)): Path<(String, String)>,
    Posted { parts, fields }: Posted,
) -> Response {
    let locale = locale(&parts);
    let thanks = format!("{}/thanks", form_path(locale, &key));
    let mut parts = parts;
    parts.uri = thanks.parse().unwrap_or_default();
    let survey = match app::responses::db::public_survey(&state.db, &key, Utc::now()).await {
        Ok(Some(survey)) => survey,
        Ok(None) => {
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
    if let Err(error) =
        db::add_contact(&state.db, survey.id, &email, locale.code(), Utc::now()).await
    {
        return server_error(error);
    }
    let saved = Feedback::default().keep("contact_saved", "1").into_inner();
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
    let Some(user) = parts.extensions.get::<CurrentUser>().cloned() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let survey = match state
        .collection
        .surveys
        .get(&state.db, &id.to_string())
        .await
    {
        Ok(Some(survey)) => survey,
        Ok(None) => {
            return pages
                .show(&parts, FormFeedback::default(), StatusCode::NOT_FOUND)
                .await;
        }
        Err(error) => return server_error(error),
    };
    let values: Vec<(String, String)> = typed(&fields)
        .into_iter()
        .filter(|(k, _)| k != "csrf")
        .collect();
    let mode = AssistedMode::from_code(&fields.get("mode"));
    let (answers, mut errors) = read_page(&survey.definition, Scope::All, &Answers::new(), &values);
    if !survey.open {
        errors.insert(0, form_error("closed_now"));
    }
    if mode.is_none() || !errors.is_empty() {
        let mut feedback = FormFeedback {
            values,
            answer_errors: errors,
            ..FormFeedback::default()
        };
        if mode.is_none() {
            feedback
                .errors
                .push(("mode".into(), "responses.error.mode_missing".into()));
        }
        return pages.show_again(&parts, feedback).await;
    }
    let mode = mode.unwrap_or(AssistedMode::Paper);
    let submission =
        Uuid::parse_str(fields.get("submission").trim()).unwrap_or_else(|_| Uuid::new_v4());
    let outcome = state
        .collection
        .collector
        .submit(Submission {
            id: submission,
            survey: survey.id,
            wave: survey.wave,
            survey_version: survey.version,
            stakeholder_group: stakeholder(&answers),
            channel: Channel::Assisted,
            source: Some(mode.code().to_owned()),
            answers,
            entered_by: Some(user.id),
            invitation: None,
            submitted_at: Utc::now(),
            duration: None,
        })
        .await;
    match outcome {
        Ok(Outcome::Stored) => {
            record_audit(
                &state,
                &parts,
                None,
                "response.assisted",
                id.to_string(),
                Some(format!("mode={} submission={submission}", mode.code())),
            )
            .await;
        }
        Ok(Outcome::AlreadyStored) => {}
        Ok(Outcome::Closed | Outcome::InvitationUsed) => {
            let feedback = FormFeedback {
                values,
                answer_errors: vec![form_error("closed_now")],
                ..FormFeedback::default()
            };
            return pages.show(&parts, feedback, StatusCode::GONE).await;
        }
        Err(error) => {
            tracing::error!(%error, "storing an assisted response");
            let feedback = FormFeedback {
                values,
                answer_errors: vec![form_error("try_again")],
                ..FormFeedback::default()
            };
            return pages
                .show(&parts, feedback, StatusCode::SERVICE_UNAVAILABLE)
                .await;
        }
    }
    let saved = Feedback::default().keep("assisted_saved", "1").into_inner();
    pages.show(&parts, saved, StatusCode::CREATED).await
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
