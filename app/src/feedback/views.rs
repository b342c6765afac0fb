//! The participant's pages: the feedback form, the private tracking page (which is also the
//! confirmation after sending), and a reply's rating page opened from an email. All are plain
//! HTML forms handled in `server/src/http/feedback/forms.rs`, so they work without JavaScript;
//! on a problem the page comes back with the errors and everything typed.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    CaseState, PublicReply, RATING_DAYS, Rating, StakeholderGroup, TOPICS, Tracked,
    feedback_form_choices, rated_reply, topic_label_key, tracked_case,
};
use crate::page_state::{FormFeedback, use_page_state};
use crate::shell::forms::{
    CsrfField, ErrorSummary, RadioGroup, SelectField, TextArea, TextField, textarea_text,
    title_with_errors,
};
use crate::shell::{NotFound, When, use_locale};

/// `/{lang}/feedback`: the form anyone may send, signed in or not.
#[component]
pub fn FeedbackPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let choices = Resource::new(|| (), |_| feedback_form_choices());
    let about = use_query_map().with_untracked(|q| q.get("about").unwrap_or_default());
    let title = t("feedback.title");
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <h1>{title}</h1>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || choices.get().map(|result| match result {
                Ok(choices) => {
                    let hours = choices.hours.to_string();
                    view! {
                        <p class="lead">{locale.t_with("feedback.lead", &[("hours", &hours)])}</p>
                        <FeedbackForm about_options=choices.about about=about.clone() me=choices.me feedback=feedback.clone()/>
                    }.into_any()
                }
                Err(_) => view! { <p class="error-message">{t("feedback.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

/// A text naming a case's reference, with the reference kept whole and left to right (it
/// would otherwise break at its hyphens, and reorder, in an Arabic line).
pub fn with_reference(text: &str, reference: &str) -> AnyView {
    match text.split_once(reference) {
        Some((before, after)) => view! {
            {before.to_owned()}<bdi class="reference" dir="ltr">{reference.to_owned()}</bdi>{after.to_owned()}
        }
        .into_any(),
        None => text.to_owned().into_any(),
    }
}

/// The topics as a select's options, with a first "choose" option.
pub fn topic_options(locale: crate::Locale, first: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), locale.t(first)))
        .chain(
            TOPICS
                .iter()
                .map(|topic| ((*topic).to_owned(), locale.t(&topic_label_key(topic)))),
        )
        .collect()
}

/// The stakeholder groups as a select's options, with a first "prefer not to say" option.
pub fn group_options(locale: crate::Locale, first: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), locale.t(first)))
        .chain(
            StakeholderGroup::ALL
                .iter()
                .map(|g| (g.code().to_owned(), locale.t(&g.label_key()))),
        )
        .collect()
}

#[component]
fn FeedbackForm(
    about_options: Vec<super::About>,
    about: String,
    /// The signed-in participant's (name, email).
    me: Option<(String, String)>,
    feedback: FormFeedback,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let f = feedback;
    let about_choices: Vec<(String, String)> =
        std::iter::once((String::new(), t("feedback.about_none")))
            .chain(
                about_options
                    .iter()
                    .map(|a| (a.id.to_string(), a.title(locale).to_owned())),
            )
            .collect();
    let reply_choices = vec![
        ("email".to_owned(), t("feedback.reply_by.email")),
        ("web".to_owned(), t("feedback.reply_by.web_only")),
    ];
    let fields: Vec<AnyView> = vec![
        view! { <SelectField name="topic" label=t("feedback.field.topic") options=topic_options(locale, "feedback.choose") feedback=f.clone()/> }.into_any(),
        view! { <SelectField name="about" label=t("feedback.field.about") hint=t("feedback.hint.about") options=about_choices value=about feedback=f.clone()/> }.into_any(),
        view! { <TextArea name="message" label=t("feedback.field.message") hint=t("feedback.hint.message") feedback=f.clone()/> }.into_any(),
        view! { <SelectField name="group" label=t("feedback.field.group") hint=t("feedback.hint.group") options=group_options(locale, "feedback.group_unsaid") feedback=f.clone()/> }.into_any(),
        view! { <RadioGroup name="reply_by" legend=t("feedback.field.reply_by") options=reply_choices value="email" feedback=f.clone()/> }.into_any(),
        view! { <TextField name="name" label=t("feedback.field.name") autocomplete="name" value=me.as_ref().map(|m| m.0.clone()).unwrap_or_default() feedback=f.clone()/> }.into_any(),
        view! { <TextField name="email" kind="email" label=t("feedback.field.email") hint=t("feedback.hint.email") autocomplete="email" value=me.as_ref().map(|m| m.1.clone()).unwrap_or_default() feedback=f.clone()/> }.into_any(),
    ];
    let signed_in = me.map(|(name, email)| {
        let who = if name.is_empty() { email } else { name };
        view! {
            <p class="notice">
                {locale.t_with("participants.feedback_listed", &[("name", &who)])} " "
                <a href=crate::participants::account_path(locale)>{t("participants.account_link")}</a>
            </p>
        }
    });
    view! {
        {signed_in}
        <form method="post" action=format!("/{}/feedback", locale.code()) novalidate class="narrow feedback-form">
            {fields}
            <p class="note">{t("feedback.privacy")}</p>
            <button type="submit" class="button">{t("feedback.submit")}</button>
        </form>
    }
    .into_any()
}

/// `/{lang}/feedback/track/{token}`: the private page of one case. Right after sending it is
/// the confirmation too (`?new=1`).
#[component]
pub fn TrackPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let token_for_action = token.clone();
    let shown = Resource::new(move || token.clone(), tracked_case);
    view! {
        // The address is a key: keep it out of other sites' logs and of search engines.
        <Meta name="referrer" content="no-referrer"/>
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(Some(case)) => {
                    let action = format!("/{}/feedback/track/{}", locale.code(), token_for_action);
                    view! { <Tracking case action/> }.into_any()
                }
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("feedback.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

/// One case as its participant sees it. `action` is the case page's own path: the
/// participant's message is posted to it, a rating to `{action}/rate/{reply}`.
#[component]
pub fn Tracking(case: Tracked, action: String) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let query = use_query_map();
    let (new, sent, rated) = query.with_untracked(|q| {
        (
            q.get("new").is_some(),
            q.get("sent").is_some(),
            q.get("rated").is_some(),
        )
    });
    let title = locale.t_with("feedback.track_title", &[("reference", &case.reference)]);
    let waiting = case.state == CaseState::Waiting;
    let open = case.state != CaseState::Closed;
    let now = case.now;
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        {new.then(|| view! {
            <div class="notice confirmation" role="status">
                <h2>{t("feedback.received_title")}</h2>
                <p>{with_reference(&locale.t_with("feedback.received_reference", &[("reference", &case.reference)]), &case.reference)}</p>
                <p>{t("feedback.received_due")} " " <strong><When at=case.due_at/></strong></p>
                <p>{t("feedback.keep_link")}</p>
            </div>
        })}
        {sent.then(|| view! { <div class="notice" role="status">{t("feedback.message_sent")}</div> })}
        {rated.then(|| view! { <div class="notice" role="status">{t("feedback.rated")}</div> })}
        <h1>{with_reference(&title, &case.reference)}</h1>
        <dl class="facts">
            <div><dt>{t("feedback.field.topic")}</dt><dd>{locale.t(&topic_label_key(&case.topic))}</dd></div>
            <div><dt>{t("feedback.state_label")}</dt><dd>{locale.t(&case.state.label_key())}</dd></div>
            <div><dt>{t("feedback.received_at")}</dt><dd><When at=case.received_at/></dd></div>
            {case.state.awaits_reply().then(|| view! {
                <div><dt>{t("feedback.due_label")}</dt><dd><When at=case.due_at/></dd></div>
            })}
        </dl>
        {waiting.then(|| view! { <p class="notice">{t("feedback.waiting_for_you")}</p> })}
        <h2>{t("feedback.your_message")}</h2>
        <blockquote class="message">{case.message.clone()}</blockquote>
        <h2>{t("feedback.replies")}</h2>
        {if case.replies.is_empty() {
            view! { <p>{t("feedback.no_reply_yet")}</p> }.into_any()
        } else {
            view! {
                <ol class="thread">
                    {case.replies.into_iter().map(|reply| {
                        let rate = format!("{action}/rate/{}", reply.id);
                        view! { <ReplyItem reply now action=rate/> }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        {open.then(|| view! {
            <h2 id="add-information">{t("feedback.add_title")}</h2>
            <form method="post" action=action.clone() novalidate class="narrow">
                <CsrfField/>
                <TextArea name="message" label=t("feedback.add_label") hint=t("feedback.add_hint") feedback=feedback.clone()/>
                <button type="submit" class="button">{t("feedback.add_submit")}</button>
            </form>
        })}
    }
    .into_any()
}

/// A reply (with its rating form while it may be rated) or the participant's own message.
#[component]
fn ReplyItem(
    reply: PublicReply,
    now: chrono::DateTime<chrono::Utc>,
    action: String,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let who = if reply.mine {
        t("feedback.from_you")
    } else {
        reply
            .team
            .as_ref()
            .map(|team| team.name(locale).to_owned())
            .unwrap_or_else(|| t("feedback.the_ministry"))
    };
    let rateable = !reply.mine && reply.rateable(now);
    let rating = reply.rating.clone();
    view! {
        <li class="thread-item" class:mine=reply.mine>
            <p class="thread-meta"><strong>{who}</strong> " · " <When at=reply.at/></p>
            <p class="thread-body">{reply.body.clone()}</p>
            {rating.clone().map(|r| view! { <p class="rating-given">{rating_text(locale, &r)}</p> })}
            {rateable.then(|| view! {
                <details class="rating" open=rating.is_none()>
                    <summary>{if rating.is_some() { t("feedback.rate_change") } else { t("feedback.rate_title") }}</summary>
                    <RatingForm action=action.clone() rating=rating.clone() preset=None
                        not_answered=false feedback=FormFeedback::default() id_prefix=reply.id.to_string()/>
                </details>
            })}
        </li>
    }
    .into_any()
}

/// "You rated this reply 4 of 5 (satisfied)."
fn rating_text(locale: crate::Locale, rating: &Rating) -> String {
    let mut text = locale.t_with(
        "feedback.rating_given",
        &[
            ("score", &rating.score.to_string()),
            (
                "label",
                &locale.t(&format!("feedback.score.s{}", rating.score)),
            ),
        ],
    );
    if rating.not_answered {
        text.push(' ');
        text.push_str(&locale.t("feedback.rating_not_answered"));
    }
    text
}

/// The rating form: five labelled scores, a comment, and "my question was not answered".
#[component]
fn RatingForm(
    action: String,
    rating: Option<Rating>,
    /// A score chosen in the email's link.
    preset: Option<u8>,
    not_answered: bool,
    feedback: FormFeedback,
    /// Makes the fields' ids unique when a page has several forms.
    id_prefix: String,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let chosen = feedback
        .kept("score")
        .or_else(|| preset.map(|s| s.to_string()))
        .or_else(|| rating.as_ref().map(|r| r.score.to_string()))
        .unwrap_or_default();
    let comment = feedback
        .kept("comment")
        .or_else(|| rating.as_ref().map(|r| r.comment.clone()))
        .unwrap_or_default();
    let not_answered = not_answered || rating.as_ref().is_some_and(|r| r.not_answered);
    let error = feedback.error("score").map(|key| locale.t(&key));
    let legend_id = format!("score-{id_prefix}");
    let has_error = error.is_some();
    let described_by = error.as_ref().map(|_| format!("{legend_id}-error"));
    view! {
        <form method="post" action=action novalidate class="rating-form">
            <CsrfField/>
            <fieldset id="field-score" class="field" class:field-error=has_error
                aria-describedby=described_by>
                <legend id=legend_id.clone()>{t("feedback.rate_legend")}</legend>
                {error.map(|message| view! {
                    <p class="error-message" id=format!("{legend_id}-error")>
                        <span class="visually-hidden">{t("form.error_prefix")}</span>{message}
                    </p>
                })}
                <div class="scores">
                    {(1..=5u8).rev().map(|score| {
                        let id = format!("{id_prefix}-score-{score}");
                        let checked = chosen == score.to_string();
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="score" value=score.to_string() checked=checked/>
                                <label for=id>{score.to_string()} " — " {t(&format!("feedback.score.s{score}"))}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <div class="field">
                <label for=format!("{id_prefix}-comment")>{t("feedback.rate_comment")}</label>
                <textarea id=format!("{id_prefix}-comment") name="comment" rows="3">{textarea_text(&comment)}</textarea>
            </div>
            <div class="field choice">
                <input type="checkbox" id=format!("{id_prefix}-not-answered") name="not_answered" value="on" checked=not_answered/>
                <label for=format!("{id_prefix}-not-answered")>{t("feedback.not_answered")}</label>
            </div>
            <button type="submit" class="button">{t("feedback.rate_submit")}</button>
        </form>
    }
    .into_any()
}

/// `/{lang}/feedback/rate/{token}`: a reply's rating page, opened from the email's links
/// (`?score=4`, `?not_answered=1` preselect; nothing is recorded until the person sends it,
/// so a mail scanner following the links rates nothing).
#[component]
pub fn RatePage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let shown = Resource::new(move || token.clone(), rated_reply);
    view! {
        <Meta name="referrer" content="no-referrer"/>
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(Some(target)) => view! { <Rate target/> }.into_any(),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("feedback.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Rate(target: super::RatingTarget) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let (preset, not_answered, rated) = use_query_map().with_untracked(|q| {
        (
            q.get("score")
                .and_then(|s| s.parse::<u8>().ok())
                .filter(|s| (1..=5).contains(s)),
            q.get("not_answered").is_some(),
            q.get("rated").is_some(),
        )
    });
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let action = format!("/{}/feedback/rate/{token}", locale.code());
    let title = locale.t_with(
        "feedback.rate_page_title",
        &[("reference", &target.reference)],
    );
    let reply = target.reply;
    let rateable = reply.rateable(target.now);
    let who = reply
        .team
        .as_ref()
        .map(|team| team.name(locale).to_owned())
        .unwrap_or_else(|| t("feedback.the_ministry"));
    let days = RATING_DAYS.to_string();
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        {rated.then(|| view! { <div class="notice" role="status">{t("feedback.rated")}</div> })}
        <h1>{with_reference(&title, &target.reference)}</h1>
        <h2>{t("feedback.the_reply")}</h2>
        <p class="thread-meta"><strong>{who}</strong> " · " <When at=reply.at/></p>
        <blockquote class="message">{reply.body.clone()}</blockquote>
        {reply.rating.clone().map(|r| view! { <p class="rating-given">{rating_text(locale, &r)}</p> })}
        {if rateable {
            view! {
                <p>{locale.t_with("feedback.rate_window", &[("days", &days)])}</p>
                <RatingForm action rating=reply.rating.clone() preset not_answered
                    feedback=feedback.clone() id_prefix="rate".to_owned()/>
            }.into_any()
        } else {
            view! { <p class="note">{t("feedback.rate_closed")}</p> }.into_any()
        }}
    }
    .into_any()
}
