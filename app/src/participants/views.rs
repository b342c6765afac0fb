//! The participant's pages: asking for a sign-in, typing its code, confirming its link, the
//! account (profile, feedback sent, sign out), deleting it, and one case from the account. All
//! are plain HTML forms handled in `server/src/http/participants/forms.rs`, so they work
//! without JavaScript; on a problem the page comes back with the errors and what was typed.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::{
    AccountView, MyCase, MyComment, account_path, case_path, my_account, my_feedback_case,
};
use crate::consultations::CommentState;
use crate::feedback::topic_label_key;
use crate::feedback::views::{Tracking, group_options};
use crate::page_state::use_page_state;
use crate::shell::forms::{CsrfField, ErrorSummary, SelectField, TextField, title_with_errors};
use crate::shell::{NotFound, When, use_locale};

/// `/{lang}/account/sign-in`: an email address, to send a link and a code to.
#[component]
pub fn SignInPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let next = use_query_map().with_untracked(|q| q.get("next").unwrap_or_default());
    let next = feedback.kept("next").unwrap_or(next);
    let (expired, signed_out, deleted) = use_query_map().with_untracked(|q| {
        (
            q.get("expired").is_some(),
            q.get("signed_out").is_some(),
            q.get("deleted").is_some(),
        )
    });
    let title = t("participants.sign_in_title");
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <div class="narrow">
            <ErrorSummary feedback=feedback.clone()/>
            {expired.then(|| view! { <p class="notice" role="status">{t("participants.expired")}</p> })}
            {signed_out.then(|| view! { <p class="notice" role="status">{t("participants.signed_out")}</p> })}
            {deleted.then(|| view! { <p class="notice" role="status">{t("participants.deleted")}</p> })}
            <h1>{title}</h1>
            <p class="lead">{t("participants.sign_in_lead")}</p>
            <p>{t("participants.no_account_needed")}</p>
            <form method="post" action=format!("/{}/account/sign-in", locale.code()) novalidate>
                <CsrfField/>
                <input type="hidden" name="next" value=next/>
                <TextField name="email" kind="email" label=t("participants.email")
                    hint=t("participants.email_hint") autocomplete="email" required=true
                    feedback=feedback.clone()/>
                <button type="submit" class="button">{t("participants.send_link")}</button>
            </form>
            <p class="note">{t("participants.staff_note")} " "
                <a href=format!("/{}/login", locale.code())>{t("participants.staff_link")}</a>
            </p>
        </div>
    }
    .into_any()
}

/// `/{lang}/account/sign-in/code/{id}`: "check your email", and the code from it.
#[component]
pub fn CodePage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let title = t("participants.code_title");
    let minutes = super::rules::SIGN_IN_MINUTES.to_string();
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <Meta name="robots" content="noindex"/>
        <div class="narrow">
            <ErrorSummary feedback=feedback.clone()/>
            <h1>{title}</h1>
            <p class="lead">{locale.t_with("participants.code_lead", &[("minutes", &minutes)])}</p>
            <form method="post" action=format!("/{}/account/sign-in/code/{id}", locale.code()) novalidate>
                <CsrfField/>
                <TextField name="code" label=t("participants.code") hint=t("participants.code_hint")
                    autocomplete="one-time-code" inputmode="numeric" required=true
                    feedback=feedback.clone()/>
                <button type="submit" class="button">{t("participants.sign_in")}</button>
            </form>
            <p>{t("participants.no_mail")} " "
                <a href=format!("/{}/account/sign-in", locale.code())>{t("participants.ask_again")}</a>
            </p>
        </div>
    }
    .into_any()
}

/// `/{lang}/account/sign-in/link/{token}`: the email's link opens this page; signing in takes
/// a press of its button (a POST), so a mail scanner that follows the link signs no one in.
#[component]
pub fn LinkPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let title = t("participants.link_title");
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        // The address is a key: keep it out of other sites' logs and of search engines.
        <Meta name="referrer" content="no-referrer"/>
        <Meta name="robots" content="noindex"/>
        <div class="narrow">
            <ErrorSummary feedback=feedback.clone()/>
            <h1>{title}</h1>
            <p class="lead">{t("participants.link_lead")}</p>
            <form method="post" action=format!("/{}/account/sign-in/link/{token}", locale.code())>
                <CsrfField/>
                <button type="submit" class="button">{t("participants.sign_in")}</button>
            </form>
        </div>
    }
    .into_any()
}

/// `/{lang}/account`: the signed-in participant's profile and the feedback they sent.
#[component]
pub fn AccountPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let account = Resource::new(|| (), |_| my_account());
    view! {
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || account.get().map(|result| match result {
                Ok(Some(account)) => view! { <Account account/> }.into_any(),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("participants.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Account(account: AccountView) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let (welcome, saved, next) = use_query_map().with_untracked(|q| {
        (
            q.get("welcome").is_some(),
            q.get("saved").is_some(),
            q.get("next").unwrap_or_default(),
        )
    });
    // Where a new participant was going before choosing their name.
    let next = feedback.kept("next").unwrap_or(next);
    let me = account.participant;
    let title = t("participants.account_title");
    // Each language named in itself, as language pickers do.
    let languages = [crate::Locale::Ar, crate::Locale::En]
        .map(|l| (l.code().to_owned(), l.native_name().to_owned()))
        .to_vec();
    let group = me.group.map(|g| g.code().to_owned()).unwrap_or_default();
    let here = account_path(locale);
    let now = account.now;
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        {welcome.then(|| view! { <p class="notice" role="status">{t("participants.welcome")}</p> })}
        {saved.then(|| view! { <p class="notice" role="status">{t("participants.saved")}</p> })}
        <h1>{title}</h1>
        <p>{locale.t_with("participants.signed_in_as", &[("email", &me.email)])}</p>

        <h2 id="profile">{t("participants.profile")}</h2>
        <form method="post" action=here.clone() novalidate class="narrow">
            <CsrfField/>
            <input type="hidden" name="next" value=next/>
            <TextField name="display_name" label=t("participants.display_name")
                hint=t("participants.display_name_hint") autocomplete="nickname" required=true
                value=me.display_name.clone() feedback=feedback.clone()/>
            <SelectField name="language" label=t("participants.language")
                hint=t("participants.language_hint") options=languages
                value=me.language.code().to_owned() feedback=feedback.clone()/>
            <SelectField name="group" label=t("participants.group") hint=t("participants.group_hint")
                options=group_options(locale, "feedback.group_unsaid") value=group
                feedback=feedback.clone()/>
            <button type="submit" class="button">{t("participants.save")}</button>
        </form>

        <h2 id="feedback">{t("participants.your_feedback")}</h2>
        <MyCases cases=account.cases now/>
        <p><a href=format!("/{}/feedback", locale.code())>{t("participants.send_feedback")}</a></p>

        <h2 id="comments">{t("participants.your_comments")}</h2>
        <MyComments comments=account.comments/>

        <h2 id="outcomes">{t("outcomes.account_title")}</h2>
        <crate::outcomes::views::OutcomeList outcomes=account.outcomes empty_key="outcomes.account_none"/>

        <h2 id="session">{t("participants.sign_out_title")}</h2>
        <form method="post" action=format!("{here}/sign-out")>
            <CsrfField/>
            <button type="submit" class="button button-secondary">{t("participants.sign_out")}</button>
        </form>

        <div class="danger-zone">
            <h2>{t("participants.delete_title")}</h2>
            <p>{t("participants.delete_lead")}</p>
            <p><a href=format!("{here}/delete") class="button danger">{t("participants.delete_start")}</a></p>
        </div>
    }
    .into_any()
}

#[component]
fn MyCases(cases: Vec<MyCase>, now: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    if cases.is_empty() {
        return view! { <p>{t("participants.no_feedback")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table">
                <caption class="visually-hidden">{t("participants.your_feedback")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("feedback.reference")}</th>
                        <th scope="col">{t("feedback.field.topic")}</th>
                        <th scope="col">{t("feedback.state_label")}</th>
                        <th scope="col">{t("feedback.received_at")}</th>
                        <th scope="col">{t("participants.reply_by")}</th>
                    </tr>
                </thead>
                <tbody>
                    {cases.into_iter().map(|case| {
                        let awaits = case.state.awaits_reply();
                        let late = awaits && case.due_at < now;
                        view! {
                            <tr>
                                <td><a href=case_path(locale, case.id) dir="ltr" class="reference">{case.reference.clone()}</a></td>
                                <td>{locale.t(&topic_label_key(&case.topic))}</td>
                                <td>{locale.t(&case.state.label_key())}</td>
                                <td><When at=case.received_at/></td>
                                <td>
                                    {awaits.then(|| view! { <When at=case.due_at/> })}
                                    {late.then(|| view! { " " <strong class="badge status-overdue">{t("feedback.overdue")}</strong> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn MyComments(comments: Vec<MyComment>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    if comments.is_empty() {
        return view! {
            <p>{t("participants.no_comments")} " "
                <a href=format!("/{}/opportunities", locale.code())>{t("participants.find_consultations")}</a>
            </p>
        }
        .into_any();
    }
    view! {
        <ul class="my-comments">
            {comments.into_iter().map(|comment| {
                let state = match comment.state {
                    CommentState::Hidden => locale.t_with(
                        "consultations.state.hidden",
                        &[("category", &locale.t(&crate::consultations::category_label_key(
                            comment.hidden_category.as_deref().unwrap_or_default(),
                        )))],
                    ),
                    other => locale.t(&format!("consultations.state.{}", other.code())),
                };
                let class = format!("badge comment-state-{}", comment.state.code());
                let kind = if comment.parent_id.is_some() {
                    t("participants.comment_reply")
                } else {
                    t("participants.comment_comment")
                };
                let href = comment.thread_path(locale);
                let title = comment.title.get(locale).to_owned();
                view! {
                    <li>
                        <p class="my-comment-head">
                            <a href=href>{locale.t_with("participants.comment_on", &[("kind", &kind), ("title", &title)])}</a>
                            " " <span class=class>{state}</span>
                        </p>
                        <p class="my-comment-text" lang=comment.lang.code()>{comment.excerpt.clone()}</p>
                        <p class="note"><When at=comment.created_at/></p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// `/{lang}/account/delete`: what deleting the account does, and the button that does it.
#[component]
pub fn DeletePage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let title = t("participants.delete_title");
    let here = account_path(locale);
    view! {
        <Title text=title.clone()/>
        <div class="narrow">
            <h1>{title}</h1>
            <p>{t("participants.delete_what")}</p>
            <ul>
                <li>{t("participants.delete_profile")}</li>
                <li>{t("participants.delete_feedback")}</li>
                <li>{t("participants.delete_comments")}</li>
                <li>{t("participants.delete_answers")}</li>
            </ul>
            <div class="danger-zone">
                <form method="post" action=format!("{here}/delete")>
                    <CsrfField/>
                    <button type="submit" class="button danger">{t("participants.delete_confirm")}</button>
                </form>
            </div>
            <p><a href=here.clone()>{t("participants.delete_cancel")}</a></p>
        </div>
    }
    .into_any()
}

/// `/{lang}/account/feedback/{id}`: one of the participant's cases, as its tracking page.
#[component]
pub fn MyCasePage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    let shown = Resource::new(
        move || id,
        |id| async move {
            match id {
                Some(id) => my_feedback_case(id).await,
                None => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || shown.get().map(|result| match (result, id) {
                (Ok(Some(case)), Some(id)) => {
                    let action = case_path(locale, id);
                    view! {
                        <p><a href=account_path(locale)>{t("participants.back_to_account")}</a></p>
                        <Tracking case action/>
                    }.into_any()
                }
                (Ok(_), _) => view! { <NotFound/> }.into_any(),
                (Err(_), _) => view! { <p class="error-message">{t("feedback.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}
