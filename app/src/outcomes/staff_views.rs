//! Staff pages of "you said, we did": every outcome, the form to add one, and one outcome's
//! page with its form, publication and progress. Plain HTML forms handled in
//! `server/src/http/outcomes`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::views::StatusBadge;
use super::{Choices, Outcome, OutcomeStatus, Shown, rules::Link, staff_outcome, staff_outcomes};
use crate::accounts::Permission;
use crate::opportunities::{TOPICS, topic_label_key};
use crate::page_state::{FormFeedback, use_page_state};
use crate::shell::forms::{
    CsrfField, ErrorSummary, SelectField, TextArea, TextField, title_with_errors,
};
use crate::shell::{NotFound, When, use_locale};

/// The staff list's path.
pub fn staff_list_path(locale: crate::Locale) -> String {
    format!("/{}/staff/outcomes", locale.code())
}

fn may_author() -> bool {
    use_page_state()
        .user
        .is_some_and(|u| u.can(Permission::AuthorSurveys))
}

/// `/{lang}/staff/outcomes`: drafts first, then published ones.
#[component]
pub fn StaffOutcomesPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let listing = Resource::new(|| (), |_| staff_outcomes());
    let retention = Resource::new(|| (), |_| super::retention::contact_retention());
    let feedback = use_page_state().feedback;
    let saved = use_query_map().with_untracked(|q| q.get("retention").as_deref() == Some("saved"));
    let title = t("outcomes.staff_title");
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <h1>{title}</h1>
        <p class="lead">{t("outcomes.staff_lead")}</p>
        {saved.then(|| view! { <div class="notice" role="status">{t("outcomes.retention.saved")}</div> })}
        {may_author().then(|| view! {
            <p><a class="button" href=format!("{}/new", staff_list_path(locale))>{t("outcomes.new")}</a></p>
        })}
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || listing.get().map(|result| match result {
                Ok(outcomes) if outcomes.is_empty() => view! { <p>{t("outcomes.staff_none")}</p> }.into_any(),
                Ok(outcomes) => view! { <StaffTable outcomes/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("outcomes.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || retention.get().and_then(Result::ok).map(|retention| view! { <RetentionSection retention feedback=feedback.clone()/> })}
        </Suspense>
    }
    .into_any()
}

/// How long addresses left to hear back are kept; administrators change it.
#[component]
fn RetentionSection(
    retention: super::retention::Retention,
    feedback: FormFeedback,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let days = retention.days.to_string();
    view! {
        <section aria-labelledby="retention-title">
            <h2 id="retention-title">{t("outcomes.retention.title")}</h2>
            <p>{t("outcomes.retention.lead")}</p>
            <p>{locale.t_with("outcomes.retention.current", &[("days", &days)])}</p>
            {retention.may_set.then(|| view! {
                <form method="post" action=super::retention::retention_path(locale) novalidate class="narrow">
                    <CsrfField/>
                    <TextField name="days" label=t("outcomes.retention.field") hint=t("outcomes.retention.hint")
                        inputmode="numeric" value=days.clone() feedback=feedback.clone()/>
                    <button type="submit" class="button">{t("outcomes.retention.save")}</button>
                </form>
            })}
        </section>
    }
}

#[component]
fn StaffTable(outcomes: Vec<Outcome>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    view! {
        <div class="table-scroll">
            <table class="table">
                <caption class="visually-hidden">{t("outcomes.staff_title")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("outcomes.field.title")}</th>
                        <th scope="col">{t("outcomes.status_label")}</th>
                        <th scope="col">{t("outcomes.published")}</th>
                        <th scope="col">{t("outcomes.updated")}</th>
                    </tr>
                </thead>
                <tbody>
                    {outcomes.into_iter().map(|o| view! {
                        <tr>
                            <td><a href=super::staff_path(locale, o.id)>{o.title.get(locale).to_owned()}</a></td>
                            <td><StatusBadge status=o.status/></td>
                            <td>{match o.published_at {
                                Some(at) => view! { <When at date_only=true/> }.into_any(),
                                None => view! { <span class="badge">{t("outcomes.draft")}</span> }.into_any(),
                            }}</td>
                            <td><When at=o.updated_at date_only=true/></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// `/{lang}/staff/outcomes/new` and `/{lang}/staff/outcomes/{id}`.
#[component]
pub fn StaffOutcomePage() -> impl IntoView {
    let param = use_params_map().with_untracked(|p| p.get("id"));
    let id = match param.as_deref() {
        None => None,
        Some(id) => match id.parse::<Uuid>() {
            Ok(id) => Some(id),
            Err(_) => return view! { <NotFound/> }.into_any(),
        },
    };
    let locale = use_locale();
    let shown = Resource::new(move || id, staff_outcome);
    view! {
        <Suspense fallback=move || view! { <p>{locale.t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok((None, _)) if id.is_some() => view! { <NotFound/> }.into_any(),
                Ok((shown, choices)) => view! { <OutcomeEditor shown choices/> }.into_any(),
                Err(_) => view! { <p class="error-message">{locale.t("outcomes.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

/// An indicator's value in the form: the opportunity and the question key, so two surveys
/// with the same key stay two choices.
fn indicator_code(opportunity: Uuid, key: &str) -> String {
    format!("{opportunity}:{key}")
}

#[component]
fn OutcomeEditor(shown: Option<Shown>, choices: Choices) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let done = use_query_map().with_untracked(|q| (q.get("done"), q.get("told")));
    let can = may_author();
    let outcome = shown.as_ref().map(|s| s.outcome.clone());
    let page_title = match &outcome {
        Some(o) => locale.t_with("outcomes.edit_title", &[("title", o.title.get(locale))]),
        None => t("outcomes.new"),
    };
    let action = match &outcome {
        Some(o) => super::staff_path(locale, o.id),
        None => staff_list_path(locale),
    };
    let notice = match done {
        (Some(done), told) => Some(locale.t_with(
            &format!("outcomes.done.{done}"),
            &[("n", told.as_deref().unwrap_or("0"))],
        )),
        _ => None,
    };
    let published = outcome.as_ref().and_then(|o| o.published_at);
    view! {
        <Title text=title_with_errors(locale, page_title.clone(), &feedback)/>
        <div class="staff-outcome">
            <ErrorSummary feedback=feedback.clone()/>
            {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <p class="eyebrow"><a href=staff_list_path(locale)>{t("outcomes.staff_title")}</a></p>
            <h1>{page_title}</h1>
            {outcome.as_ref().map(|o| view! {
                <p class="badges">
                    <StatusBadge status=o.status/> " "
                    {match published {
                        Some(at) => view! { <span class="badge">{t("outcomes.published")} " " <When at date_only=true/></span> }.into_any(),
                        None => view! { <span class="badge">{t("outcomes.draft")}</span> }.into_any(),
                    }}
                </p>
            })}
            {published.zip(outcome.as_ref()).map(|(_, o)| view! {
                <p>
                    <a href=o.path(locale)>{t("outcomes.public_link")}</a> " · "
                    {locale.t_with("outcomes.notified", &[("n", &shown.as_ref().map(|s| s.notified).unwrap_or(0).to_string())])}
                </p>
            })}
            {can.then(|| view! {
                <form method="post" action=action.clone() novalidate class="card">
                    <CsrfField/>
                    {outcome.as_ref().map(|o| view! { <input type="hidden" name="version" value=o.version.to_string()/> })}
                    <OutcomeFields outcome=outcome.clone() choices feedback=feedback.clone()/>
                    <button type="submit" class="button">{if outcome.is_some() { t("outcomes.save") } else { t("outcomes.create") }}</button>
                </form>
            })}
            {match (&outcome, can) {
                (Some(o), true) if o.published_at.is_none() => Some(view! {
                    <section class="card" aria-labelledby="publish">
                        <h2 id="publish">{t("outcomes.publish_title")}</h2>
                        <p>{t("outcomes.publish_lead")}</p>
                        <form method="post" action=format!("{action}/publish")>
                            <CsrfField/>
                            <input type="hidden" name="version" value=o.version.to_string()/>
                            <button type="submit" class="button">{t("outcomes.publish")}</button>
                        </form>
                    </section>
                }.into_any()),
                (Some(o), true) => Some(view! { <ProgressForm outcome=o.clone() feedback=feedback.clone()/> }.into_any()),
                _ => None,
            }}
            {shown.map(|s| view! {
                <section aria-labelledby="staff-timeline">
                    <h2 id="staff-timeline">{t("outcomes.timeline")}</h2>
                    {if s.updates.is_empty() {
                        view! { <p>{t("outcomes.timeline_empty")}</p> }.into_any()
                    } else {
                        view! {
                            <ol class="timeline">
                                {s.updates.into_iter().rev().map(|u| view! {
                                    <li>
                                        <p class="timeline-head"><When at=u.created_at/> " " <StatusBadge status=u.status/>
                                            {u.notified.then(|| view! { " " <span class="badge">{locale.t("outcomes.told")}</span> })}
                                        </p>
                                        <p>{u.note.get(locale).to_owned()}</p>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                </section>
            })}
        </div>
    }
    .into_any()
}

/// The outcome's fields: what it answers, the texts in both languages, status and dates.
#[component]
fn OutcomeFields(
    outcome: Option<Outcome>,
    choices: Choices,
    feedback: FormFeedback,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let label = move |name: &str| locale.t(&format!("outcomes.field.{name}"));
    let published = outcome.as_ref().is_some_and(|o| o.published_at.is_some());
    let mut links: Vec<(String, String)> = vec![(String::new(), t("outcomes.choose"))];
    links.extend(choices.opportunities.iter().map(|(id, title)| {
        (
            Link::Opportunity(*id).code(),
            locale.t_with("outcomes.link_opportunity", &[("title", title.get(locale))]),
        )
    }));
    links.extend(TOPICS.iter().map(|topic| {
        (
            Link::Topic((*topic).to_owned()).code(),
            locale.t_with(
                "outcomes.link_topic",
                &[("topic", &locale.t(&topic_label_key(topic)))],
            ),
        )
    }));
    let mut indicators = vec![(String::new(), t("outcomes.no_indicator"))];
    indicators.extend(choices.indicators.iter().map(|(opportunity, key, text)| {
        (
            indicator_code(*opportunity, key),
            text.get(locale).to_owned(),
        )
    }));
    let statuses: Vec<(String, String)> = OutcomeStatus::ALL
        .iter()
        .map(|s| (s.code().to_owned(), locale.t(&s.label_key())))
        .collect();
    let o = outcome.clone();
    let get = move |f: fn(&Outcome) -> String| o.as_ref().map(f).unwrap_or_default();
    let link = outcome
        .as_ref()
        .map(|o| match (o.opportunity_id, &o.feedback_topic) {
            (Some(id), _) => Link::Opportunity(id).code(),
            (None, Some(topic)) => Link::Topic(topic.clone()).code(),
            (None, None) => String::new(),
        });
    view! {
        <SelectField name="link" label=label("link") hint=t("outcomes.hint.link") options=links value=link.unwrap_or_default() feedback=feedback.clone()/>
        <TextField name="title_ar" label=label("title_ar") required=true lang=crate::Locale::Ar value=get(|o| o.title.ar.clone()) feedback=feedback.clone()/>
        <TextField name="title_en" label=label("title_en") required=true lang=crate::Locale::En value=get(|o| o.title.en.clone()) feedback=feedback.clone()/>
        <TextArea name="said_ar" label=label("said_ar") hint=t("outcomes.hint.said") lang=crate::Locale::Ar value=get(|o| o.said.ar.clone()) feedback=feedback.clone()/>
        <TextArea name="said_en" label=label("said_en") lang=crate::Locale::En value=get(|o| o.said.en.clone()) feedback=feedback.clone()/>
        <TextArea name="did_ar" label=label("did_ar") hint=t("outcomes.hint.did") lang=crate::Locale::Ar value=get(|o| o.did.ar.clone()) feedback=feedback.clone()/>
        <TextArea name="did_en" label=label("did_en") lang=crate::Locale::En value=get(|o| o.did.en.clone()) feedback=feedback.clone()/>
        <TextField name="responsible_ar" label=label("responsible_ar") required=true lang=crate::Locale::Ar value=get(|o| o.responsible.ar.clone()) feedback=feedback.clone()/>
        <TextField name="responsible_en" label=label("responsible_en") required=true lang=crate::Locale::En value=get(|o| o.responsible.en.clone()) feedback=feedback.clone()/>
        {if published {
            // Once published, the status moves only with progress, so people are told.
            view! { <input type="hidden" name="status" value=get(|o| o.status.code().to_owned())/> }.into_any()
        } else {
            view! {
                <SelectField name="status" label=label("status") options=statuses value=get(|o| o.status.code().to_owned()) feedback=feedback.clone()/>
                <TextArea name="reason_ar" label=label("reason_ar") hint=t("outcomes.hint.reason") lang=crate::Locale::Ar value=get(|o| o.reason.ar.clone()) feedback=feedback.clone()/>
                <TextArea name="reason_en" label=label("reason_en") lang=crate::Locale::En value=get(|o| o.reason.en.clone()) feedback=feedback.clone()/>
            }.into_any()
        }}
        <TextField name="due_on" kind="date" label=label("due_on") hint=t("outcomes.hint.due_on") value=get(|o| o.due_on.map(|d| d.to_string()).unwrap_or_default()) feedback=feedback.clone()/>
        <SelectField name="indicator" label=label("indicator") hint=t("outcomes.hint.indicator") options=indicators value=get(|o| match (o.opportunity_id, &o.indicator) {
            (Some(id), Some(key)) => indicator_code(id, key),
            _ => String::new(),
        }) feedback=feedback/>
    }
    .into_any()
}

/// A published outcome's progress: a status and a note; a new status tells the people linked.
#[component]
fn ProgressForm(outcome: Outcome, feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let statuses: Vec<(String, String)> = OutcomeStatus::ALL
        .iter()
        .map(|s| (s.code().to_owned(), locale.t(&s.label_key())))
        .collect();
    view! {
        <section class="card" aria-labelledby="progress">
            <h2 id="progress">{t("outcomes.progress_title")}</h2>
            <p>{t("outcomes.progress_lead")}</p>
            <form method="post" action=format!("{}/progress", super::staff_path(locale, outcome.id)) novalidate>
                <CsrfField/>
                <input type="hidden" name="version" value=outcome.version.to_string()/>
                <SelectField name="status" label=t("outcomes.field.status") options=statuses value=outcome.status.code().to_owned() feedback=feedback.clone()/>
                <TextArea name="note_ar" label=t("outcomes.field.note_ar") hint=t("outcomes.hint.note") lang=crate::Locale::Ar feedback=feedback.clone()/>
                <TextArea name="note_en" label=t("outcomes.field.note_en") lang=crate::Locale::En feedback=feedback/>
                <button type="submit" class="button">{t("outcomes.add_progress")}</button>
            </form>
        </section>
    }
    .into_any()
}
