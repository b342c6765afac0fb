//! The staff side of feedback: the list of cases with its filters (a GET form), recording a
//! case received by phone, in person, on paper or on social media, one case's page (take,
//! assign, route to a team, notes, replies, pause, close, reopen), and the settings (each
//! topic's team and service level, the public holidays). Forms are plain HTML posts handled in
//! `server/src/http/feedback/forms.rs`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::clock::Counting;
use super::views::{group_options, topic_options, with_reference};
use super::{
    CaseFilter, CasePage, CaseRow, CaseState, CaseView, Channel, Entry, EntryKind, MAX_PAGES,
    PAGE_SIZE, ReplyBy, SettingsView, TeamName, TopicRoute, feedback_settings, staff_case,
    staff_cases, topic_label_key,
};
use crate::Locale;
use crate::moderation::views::{Findings, highlighted};
use crate::page_state::{FormFeedback, use_page_state};
use crate::shell::forms::{
    CsrfField, ErrorSummary, RadioGroup, SelectField, TextArea, TextField, title_with_errors,
};
use crate::shell::{NotFound, When, use_locale};

fn base(locale: Locale) -> String {
    format!("/{}/staff/feedback", locale.code())
}

/// `/{lang}/staff/feedback`: the cases, owed a reply first (due soonest).
#[component]
pub fn StaffFeedbackPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let query = use_query_map();
    let filter = query.with_untracked(|q| CaseFilter::from_query(|key| q.get(key)));
    let shown = Resource::new(move || filter.clone(), staff_cases);
    let title = t("feedback.staff_title");
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p class="actions">
            <a class="button" href=format!("{}/new", base(locale))>{t("feedback.record_title")}</a>
            " "
            <a href=format!("{}/figures", base(locale))>{t("feedback.figures_title")}</a>
            " "
            {use_page_state().user.is_some_and(|u| u.roles.contains(&crate::accounts::Role::Admin)).then(|| view! {
                <a href=format!("{}/settings", base(locale))>{t("feedback.settings_title")}</a>
            })}
        </p>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(page) => view! { <CaseList page/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("feedback.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn CaseList(page: CasePage) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let query = use_query_map();
    let filter = query.with_untracked(|q| CaseFilter::from_query(|key| q.get(key)));
    let team_options: Vec<(String, String)> = std::iter::once((String::new(), t("feedback.any")))
        .chain(
            page.teams
                .iter()
                .map(|team| (team.id.to_string(), team.name(locale).to_owned())),
        )
        .collect();
    let state_options: Vec<(String, String)> = std::iter::once((String::new(), t("feedback.any")))
        .chain(
            CaseState::ALL
                .iter()
                .map(|s| (s.code().to_owned(), locale.t(&s.label_key()))),
        )
        .collect();
    let due_options: Vec<(String, String)> = [
        ("", "feedback.any"),
        ("overdue", "feedback.due.overdue"),
        ("today", "feedback.due.today"),
        ("soon", "feedback.due.soon"),
    ]
    .into_iter()
    .map(|(v, k)| (v.to_owned(), t(k)))
    .collect();
    let channel_options: Vec<(String, String)> =
        std::iter::once((String::new(), t("feedback.any")))
            .chain(
                Channel::ALL
                    .iter()
                    .map(|c| (c.code().to_owned(), locale.t(&c.label_key()))),
            )
            .collect();
    let none = FormFeedback::default();
    let value = |v: Option<String>| v.unwrap_or_default();
    let shown = page.total.min(MAX_PAGES * PAGE_SIZE);
    let pages = (shown + PAGE_SIZE - 1) / PAGE_SIZE;
    let count = if page.total > shown {
        locale.t_with("feedback.count_more", &[("count", &shown.to_string())])
    } else {
        locale.t_with("feedback.count", &[("count", &page.total.to_string())])
    };
    let link_to = {
        let query = query.with_untracked(|q| q.to_query_string());
        move |n: i64| {
            let mut params: Vec<(String, String)> = url_params(&query)
                .into_iter()
                .filter(|(k, _)| k != "page")
                .collect();
            params.push(("page".into(), n.to_string()));
            format!(
                "{}?{}",
                base(locale),
                params
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("&")
            )
        }
    };
    let current = filter.page;
    view! {
        <form method="get" action=base(locale) class="filter-form" role="search" aria-label=t("feedback.filters")>
            <SelectField name="team" label=t("feedback.field.team") options=team_options value=value(filter.team.map(|t| t.to_string())) feedback=none.clone()/>
            <SelectField name="state" label=t("feedback.state_label") options=state_options value=value(filter.state.map(|s| s.code().to_owned())) feedback=none.clone()/>
            <SelectField name="due" label=t("feedback.due_label") options=due_options value=value(filter.due.clone()) feedback=none.clone()/>
            <SelectField name="channel" label=t("feedback.field.channel") options=channel_options value=value(filter.channel.map(|c| c.code().to_owned())) feedback=none.clone()/>
            <SelectField name="group" label=t("feedback.field.group") options=group_options(locale, "feedback.any") value=value(filter.group.map(|g| g.code().to_owned())) feedback=none.clone()/>
            <SelectField name="topic" label=t("feedback.field.topic") options=topic_options(locale, "feedback.any") value=value(filter.topic.clone()) feedback=none.clone()/>
            <div class="field choice">
                <input type="checkbox" id="field-mine" name="mine" value="1" checked=filter.mine/>
                <label for="field-mine">{t("feedback.mine")}</label>
            </div>
            <button type="submit" class="button button-secondary">{t("feedback.filter_submit")}</button>
        </form>
        <p role="status">{count}</p>
        {(!page.rows.is_empty()).then(|| view! { <CaseTable rows=page.rows.clone() now=page.now/> })}
        {(pages > 1).then(|| view! {
            <nav class="pagination" aria-label=t("feedback.pages")>
                <ul>
                    {(1..=pages).map(|n| {
                        let current = (n == current).then_some("page");
                        view! { <li><a href=link_to(n) aria-current=current>{n.to_string()}</a></li> }
                    }).collect_view()}
                </ul>
            </nav>
        })}
    }
    .into_any()
}

/// A query string's pairs, decoded.
fn url_params(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

#[component]
fn CaseTable(rows: Vec<CaseRow>, now: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    view! {
        <div class="table-scroll">
            <table class="table">
                <caption class="visually-hidden">{t("feedback.staff_title")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("feedback.reference")}</th>
                        <th scope="col">{t("feedback.field.topic")}</th>
                        <th scope="col">{t("feedback.state_label")}</th>
                        <th scope="col">{t("feedback.due_label")}</th>
                        <th scope="col">{t("feedback.field.team")}</th>
                        <th scope="col">{t("feedback.assignee")}</th>
                        <th scope="col">{t("feedback.field.channel")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let overdue = row.overdue(now);
                        let href = format!("{}/{}", base(locale), row.id);
                        view! {
                            <tr class:overdue=overdue>
                                <td><a href=href dir="ltr" class="reference">{row.reference.clone()}</a></td>
                                <td>{locale.t(&topic_label_key(&row.topic))}</td>
                                <td>{locale.t(&row.state.label_key())}
                                    {overdue.then(|| view! { " " <strong class="badge status-overdue">{t("feedback.overdue")}</strong> })}
                                </td>
                                <td>{row.state.awaits_reply().then(|| view! { <When at=row.due_at/> })}</td>
                                <td>{row.team.as_ref().map(|team| team.name(locale).to_owned()).unwrap_or_else(|| t("feedback.no_team"))}</td>
                                <td>{row.assignee.clone().unwrap_or_else(|| t("feedback.nobody"))}</td>
                                <td>{locale.t(&row.channel.label_key())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// `/{lang}/staff/feedback/new`: recording a case received by phone, in person, on paper or on
/// social media. After recording, the same page shows the case's reference and tracking link
/// (to read out or hand over) above an empty form, for the next one.
#[component]
pub fn RecordFeedbackPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let recorded = feedback.revealed.clone().map(|revealed| {
        let mut lines = revealed.lines().map(str::to_owned);
        (
            lines.next().unwrap_or_default(),
            lines.next().unwrap_or_default(),
            lines.next().unwrap_or_default(),
        )
    });
    let title = t("feedback.record_title");
    let f = feedback.clone();
    let channels: Vec<(String, String)> = Channel::RECORDED
        .iter()
        .map(|c| (c.code().to_owned(), locale.t(&c.label_key())))
        .collect();
    let languages = vec![
        ("ar".to_owned(), t("feedback.language.ar")),
        ("en".to_owned(), t("feedback.language.en")),
    ];
    let reply_choices: Vec<(String, String)> = [ReplyBy::Phone, ReplyBy::Email, ReplyBy::Web]
        .iter()
        .map(|r| (r.code().to_owned(), locale.t(&r.label_key())))
        .collect();
    let fields: Vec<AnyView> = vec![
        view! { <SelectField name="channel" label=t("feedback.field.channel") options=channels feedback=f.clone()/> }.into_any(),
        view! { <SelectField name="topic" label=t("feedback.field.topic") options=topic_options(locale, "feedback.choose") feedback=f.clone()/> }.into_any(),
        view! { <TextArea name="message" label=t("feedback.field.message_recorded") feedback=f.clone()/> }.into_any(),
        view! { <RadioGroup name="language" legend=t("feedback.field.language") options=languages value=locale.code() feedback=f.clone()/> }.into_any(),
        view! { <SelectField name="group" label=t("feedback.field.group") options=group_options(locale, "feedback.group_unsaid") feedback=f.clone()/> }.into_any(),
        view! { <RadioGroup name="reply_by" legend=t("feedback.field.reply_by_recorded") options=reply_choices value="phone" feedback=f.clone()/> }.into_any(),
        view! { <TextField name="name" label=t("feedback.field.name") autocomplete="off" feedback=f.clone()/> }.into_any(),
        view! { <TextField name="phone" kind="tel" label=t("feedback.field.phone") autocomplete="off" feedback=f.clone()/> }.into_any(),
        view! { <TextField name="email" kind="email" label=t("feedback.field.email") autocomplete="off" feedback=f.clone()/> }.into_any(),
    ];
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <p><a href=base(locale)>{t("feedback.back")}</a></p>
        <h1>{title}</h1>
        {recorded.map(|(reference, link, id)| view! {
            <div class="notice" role="status">
                <h2>{locale.t_with("feedback.recorded", &[("reference", &reference)])}</h2>
                <p>{t("feedback.recorded_link")}</p>
                <p><code dir="ltr" class="copyable">{link}</code></p>
                <p><a href=format!("{}/{id}", base(locale))>{t("feedback.open_case")}</a></p>
            </div>
        })}
        <p>{t("feedback.record_lead")}</p>
        <form method="post" action=format!("{}/new", base(locale)) novalidate class="narrow">
            <CsrfField/>
            {fields}
            <button type="submit" class="button">{t("feedback.record_submit")}</button>
        </form>
    }
    .into_any()
}

/// `/{lang}/staff/feedback/{id}`: one case.
#[component]
pub fn StaffCasePage() -> impl IntoView {
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    let Some(id) = id else {
        return view! { <NotFound/> }.into_any();
    };
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let shown = Resource::new(move || id, staff_case);
    view! {
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(Some(view)) => view! { <CaseScreen view/> }.into_any(),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("feedback.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

/// A staff form posting to one of the case's actions (`take`, `close`, …) with one button.
#[component]
fn ActionButton(
    action: String,
    label: String,
    #[prop(optional)] danger: bool,
    #[prop(optional)] hidden: Vec<(&'static str, String)>,
) -> impl IntoView {
    view! {
        <form method="post" action=action class="inline-form">
            <CsrfField/>
            {hidden.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            <button type="submit" class="button" class:button-secondary=!danger class:danger=danger>{label}</button>
        </form>
    }
    .into_any()
}

#[component]
fn CaseScreen(view: CaseView) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let query = use_query_map();
    let (done, template) = query.with_untracked(|q| (q.get("done"), q.get("template")));
    // Only the actions this page has: the query string is the visitor's to write.
    let done = done.filter(|what| {
        [
            "assign", "route", "note", "reply", "resume", "close", "reopen", "phoned",
        ]
        .contains(&what.as_str())
    });
    let case = view.case;
    let me = use_page_state().user.map(|u| u.id);
    let act = |name: &str| format!("{}/{}/{name}", base(locale), case.id);
    let title = locale.t_with("feedback.case_title", &[("reference", &case.reference)]);
    let overdue =
        case.state.awaits_reply() && case.state != CaseState::Waiting && case.due_at <= view.now;
    let state = case.state;
    let may_act = view.may_act;
    // A template chosen with `?template=N` fills the reply box (works without JavaScript).
    let reply_text = template
        .and_then(|n| n.parse::<usize>().ok())
        .and_then(|n| view.templates.get(n))
        .map(|tpl| tpl.body.clone());
    let team_options: Vec<(String, String)> = view
        .teams
        .iter()
        .map(|team| (team.id.to_string(), team.name(locale).to_owned()))
        .collect();
    let member_options: Vec<(String, String)> = view
        .members
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let assigned_to_me = case.assignee.as_ref().map(|(id, _)| *id) == me;
    let level = locale.t_with(
        &format!("feedback.level.{}", case.level.counting.code()),
        &[("amount", &case.level.amount.to_string())],
    );
    let entries = case.entries.clone();
    let templates = view.templates.clone();
    let case_path = format!("{}/{}", base(locale), case.id);
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <p><a href=base(locale)>{t("feedback.back")}</a></p>
        <h1>{with_reference(&title, &case.reference)}</h1>
        {done.map(|what| view! { <div class="notice" role="status">{locale.t(&format!("feedback.done.{what}"))}</div> })}
        <dl class="facts">
            <div><dt>{t("feedback.state_label")}</dt><dd>{locale.t(&state.label_key())}
                {overdue.then(|| view! { " " <strong class="badge status-overdue">{t("feedback.overdue")}</strong> })}</dd></div>
            <div><dt>{t("feedback.due_label")}</dt><dd><When at=case.due_at/> " (" {level} ")"</dd></div>
            {case.paused_at.map(|at| view! { <div><dt>{t("feedback.paused_since")}</dt><dd><When at/></dd></div> })}
            <div><dt>{t("feedback.received_at")}</dt><dd><When at=case.received_at/></dd></div>
            <div><dt>{t("feedback.field.topic")}</dt><dd>{locale.t(&topic_label_key(&case.topic))}</dd></div>
            {case.about.as_ref().map(|about| view! { <div><dt>{t("feedback.field.about")}</dt><dd>{about.title(locale).to_owned()}</dd></div> })}
            <div><dt>{t("feedback.field.channel")}</dt><dd>{locale.t(&case.channel.label_key())}</dd></div>
            <div><dt>{t("feedback.reply_by_label")}</dt><dd>{locale.t(&case.reply_by.label_key())}</dd></div>
            <div><dt>{t("feedback.field.language")}</dt><dd>{t(&format!("feedback.language.{}", case.language.code()))}</dd></div>
            <div><dt>{t("feedback.by.group")}</dt><dd>{case.group.map(|g| locale.t(&g.label_key())).unwrap_or_else(|| t("feedback.group_unsaid"))}</dd></div>
            <div><dt>{t("feedback.field.team")}</dt><dd>{case.team.as_ref().map(|team| team.name(locale).to_owned()).unwrap_or_else(|| t("feedback.no_team"))}</dd></div>
            <div><dt>{t("feedback.assignee")}</dt><dd>{case.assignee.as_ref().map(|(_, name)| name.clone()).unwrap_or_else(|| t("feedback.nobody"))}</dd></div>
        </dl>
        {match &case.contact {
            Some(contact) => view! {
                <h2>{t("feedback.contact")}</h2>
                <dl class="facts">
                    <div><dt>{t("feedback.name_label")}</dt><dd>{if contact.name.is_empty() { t("feedback.anonymous") } else { contact.name.clone() }}</dd></div>
                    {contact.email.clone().map(|email| view! { <div><dt>{t("feedback.field.email")}</dt><dd dir="ltr">{email}</dd></div> })}
                    {contact.phone.clone().map(|phone| view! { <div><dt>{t("feedback.field.phone")}</dt><dd dir="ltr">{phone}</dd></div> })}
                </dl>
            }.into_any(),
            None => view! { <p class="note">{t("feedback.contact_hidden")}</p> }.into_any(),
        }}
        <h2>{t("feedback.their_message")}</h2>
        <blockquote class="message" lang=case.language.code() dir=case.language.dir()>
            {highlighted(&case.message, &case.screening).into_iter().map(|(text, found)| if found {
                view! { <mark>{text}</mark> }.into_any()
            } else {
                text.into_any()
            }).collect_view()}
        </blockquote>
        {(!case.screening.is_empty()).then(|| view! {
            <section class="screened" aria-labelledby="screened-title">
                <h3 id="screened-title">{t("feedback.screened_title")}</h3>
                <p>{t("feedback.screened_lead")}</p>
                <Findings reasons=case.screening.clone() lang=case.language/>
            </section>
        })}
        <h2>{t("feedback.history")}</h2>
        <History entries may_act phoned=act("phoned")/>
        {may_act.then(|| view! {
            <section aria-labelledby="work-title" class="case-work">
                <h2 id="work-title">{t("feedback.work")}</h2>
                <div class="actions">
                    {(state.allows(super::rules::Move::Assign) && !assigned_to_me && me.is_some()).then(|| view! {
                        <ActionButton action=act("assign") label=t("feedback.take") hidden=vec![("to", me.map(|m| m.to_string()).unwrap_or_default())]/>
                    })}
                    {state.allows(super::rules::Move::Resume).then(|| view! { <ActionButton action=act("resume") label=t("feedback.resume")/> })}
                    {state.allows(super::rules::Move::Reopen).then(|| view! { <ActionButton action=act("reopen") label=t("feedback.reopen")/> })}
                </div>
                {state.allows(super::rules::Move::Reply).then(|| view! {
                    <h3 id="reply-title">{t("feedback.reply_title")}</h3>
                    <p class="hint">{locale.t_with("feedback.reply_hint", &[("language", &t(&format!("feedback.language.{}", case.language.code())))])}</p>
                    <details class="templates">
                        <summary>{t("feedback.templates")}</summary>
                        <ul>
                            {templates.iter().enumerate().map(|(i, tpl)| view! {
                                <li><a href=format!("{case_path}?template={i}#field-reply")>{tpl.title.clone()}</a></li>
                            }).collect_view()}
                        </ul>
                    </details>
                    <form method="post" action=act("reply") novalidate class="narrow">
                        <CsrfField/>
                        <TextArea name="reply" label=t("feedback.reply_label") value=reply_text.clone().unwrap_or_default()
                            lang=case.language feedback=feedback.clone()/>
                        {state.allows(super::rules::Move::Wait).then(|| view! {
                            <div class="field choice">
                                <input type="checkbox" id="field-ask" name="ask" value="on"/>
                                <label for="field-ask">{t("feedback.ask")}</label>
                            </div>
                        })}
                        <button type="submit" class="button">{t("feedback.reply_submit")}</button>
                    </form>
                })}
                <h3>{t("feedback.note_title")}</h3>
                <form method="post" action=act("note") novalidate class="narrow">
                    <CsrfField/>
                    <TextArea name="note" label=t("feedback.note_label") hint=t("feedback.note_hint") feedback=feedback.clone()/>
                    <button type="submit" class="button button-secondary">{t("feedback.note_submit")}</button>
                </form>
                {(view.may_assign && !member_options.is_empty() && state.allows(super::rules::Move::Assign)).then(|| view! {
                    <h3>{t("feedback.assign_title")}</h3>
                    <form method="post" action=act("assign") class="narrow">
                        <CsrfField/>
                        <SelectField name="to" label=t("feedback.assignee") options=member_options.clone() feedback=feedback.clone()/>
                        <button type="submit" class="button button-secondary">{t("feedback.assign_submit")}</button>
                    </form>
                })}
                {state.allows(super::rules::Move::Assign).then(|| view! {
                    <h3>{t("feedback.route_title")}</h3>
                    <form method="post" action=act("route") class="narrow">
                        <CsrfField/>
                        <SelectField name="team" label=t("feedback.field.team") options=team_options.clone()
                            value=case.team.as_ref().map(|team| team.id.to_string()).unwrap_or_default() feedback=feedback.clone()/>
                        <button type="submit" class="button button-secondary">{t("feedback.route_submit")}</button>
                    </form>
                })}
                {state.allows(super::rules::Move::Close).then(|| view! {
                    <div class="danger-zone">
                        <h3>{t("feedback.close_title")}</h3>
                        <p class="hint">{t("feedback.close_hint")}</p>
                        <ActionButton action=act("close") label=t("feedback.close") danger=true/>
                    </div>
                })}
            </section>
        })}
    }
    .into_any()
}

/// A case's history: replies (with their ratings), the participant's messages, notes, events.
#[component]
fn History(entries: Vec<Entry>, may_act: bool, phoned: String) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    if entries.is_empty() {
        return view! { <p>{t("feedback.no_history")}</p> }.into_any();
    }
    view! {
        <ol class="thread">
            {entries.into_iter().map(|entry| {
                let who = entry.author.clone().unwrap_or_else(|| match entry.kind {
                    EntryKind::Message => t("feedback.participant"),
                    _ => t("feedback.system"),
                });
                let label = t(&format!("feedback.entry.{}", entry.kind.code()));
                let body = match entry.kind {
                    EntryKind::Event => event_text(locale, &entry.body),
                    _ => entry.body.clone(),
                };
                let phone_task = entry.kind == EntryKind::Reply && entry.done_at.is_none();
                let id = entry.id.to_string();
                view! {
                    <li class=format!("thread-item entry-{}", entry.kind.code())>
                        <p class="thread-meta"><strong>{label}</strong> " · " {who} " · " <When at=entry.at/></p>
                        <p class="thread-body">{body}</p>
                        {entry.rating.clone().map(|r| view! {
                            <p class="rating-given">
                                {locale.t_with("feedback.rated_by_participant", &[("score", &r.score.to_string()), ("label", &locale.t(&format!("feedback.score.s{}", r.score)))])}
                                {(!r.comment.is_empty()).then(|| view! { " — " <q>{r.comment.clone()}</q> })}
                                {r.not_answered.then(|| view! { " " <strong>{t("feedback.rating_not_answered_staff")}</strong> })}
                            </p>
                        })}
                        {(phone_task && may_act).then(|| view! {
                            <ActionButton action=phoned.clone() label=t("feedback.mark_phoned") hidden=vec![("entry", id.clone())]/>
                        })}
                        {entry.done_at.map(|at| view! { <p class="hint">{t("feedback.phoned_at")} " " <When at/></p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// An event's words: `what|value` → the catalogue's `feedback.event.<what>` with its value.
fn event_text(locale: Locale, body: &str) -> String {
    let (what, value) = body.split_once('|').unwrap_or((body, ""));
    let value = match what {
        "received" => Channel::from_code(value)
            .map(|c| locale.t(&c.label_key()))
            .unwrap_or_default(),
        "reopened" => locale.t(&format!("feedback.reopened_by.{value}")),
        _ => value.to_owned(),
    };
    locale.t_with(&format!("feedback.event.{what}"), &[("value", &value)])
}

/// `/{lang}/staff/feedback/settings`: each topic's team and service level, and the holidays.
#[component]
pub fn FeedbackSettingsPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let shown = Resource::new(|| (), |_| feedback_settings());
    let feedback = use_page_state().feedback;
    let title = t("feedback.settings_title");
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <p><a href=base(locale)>{t("feedback.back")}</a></p>
        <h1>{title}</h1>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(settings) => view! { <Settings settings/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("feedback.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Settings(settings: SettingsView) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    view! {
        {saved.then(|| view! { <div class="notice" role="status">{t("feedback.settings_saved")}</div> })}
        <h2>{t("feedback.routes_title")}</h2>
        <p>{t("feedback.routes_lead")}</p>
        <div class="route-list">
            {settings.routes.into_iter().map(|route| view! { <RouteForm route teams=settings.teams.clone()/> }).collect_view()}
        </div>
        <h2>{t("feedback.week_title")}</h2>
        <p>{t("feedback.week_lead")}</p>
        <p><code dir="ltr">{settings.week}</code></p>
        <h2 id="holidays-title">{t("feedback.holidays_title")}</h2>
        <p>{t("feedback.holidays_lead")}</p>
        {if settings.holidays.is_empty() {
            view! { <p>{t("feedback.no_holidays")}</p> }.into_any()
        } else {
            view! {
                <ul class="holidays" aria-labelledby="holidays-title">
                    {settings.holidays.into_iter().map(|h| {
                        let name = match locale { Locale::Ar if !h.name_ar.is_empty() => h.name_ar.clone(), _ if !h.name_en.is_empty() => h.name_en.clone(), _ => h.name_ar.clone() };
                        let day = h.day.to_string();
                        view! {
                            <li>
                                <time datetime=day.clone() dir="ltr">{day.clone()}</time> " — " {name}
                                <ActionButton action=format!("{}/settings/holidays/remove", base(locale)) label=t("feedback.holiday_remove") hidden=vec![("day", day)]/>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h3>{t("feedback.holiday_add")}</h3>
        <form method="post" action=format!("{}/settings/holidays", base(locale)) novalidate class="narrow">
            <CsrfField/>
            <TextField name="day" kind="date" label=t("feedback.field.day") feedback=feedback.clone()/>
            <TextField name="name_ar" label=t("feedback.field.holiday_ar") feedback=feedback.clone()/>
            <TextField name="name_en" label=t("feedback.field.holiday_en") feedback=feedback.clone()/>
            <button type="submit" class="button button-secondary">{t("feedback.holiday_submit")}</button>
        </form>
    }
    .into_any()
}

/// One topic's route: its team, and its service level.
#[component]
fn RouteForm(route: TopicRoute, teams: Vec<TeamName>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let topic = route.topic.clone();
    let heading_id = format!("route-{topic}");
    let team_options: Vec<(String, String)> =
        std::iter::once((String::new(), t("feedback.no_team")))
            .chain(
                teams
                    .iter()
                    .map(|team| (team.id.to_string(), team.name(locale).to_owned())),
            )
            .collect();
    let counting = route.level.counting;
    let labelled_by = heading_id.clone();
    view! {
        <form method="post" action=format!("{}/settings/topics", base(locale)) class="route-form" aria-labelledby=labelled_by>
            <CsrfField/>
            <input type="hidden" name="topic" value=topic.clone()/>
            <h3 id=heading_id>{locale.t(&topic_label_key(&topic))}</h3>
            <div class="route-fields">
                <div class="field">
                    <label for=format!("team-{topic}")>{t("feedback.field.team")}</label>
                    <select id=format!("team-{topic}") name="team">
                        {team_options.into_iter().map(|(value, label)| {
                            let selected = route.team.map(|t| t.to_string()).unwrap_or_default() == value;
                            view! { <option value=value selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=format!("amount-{topic}")>{t("feedback.field.amount")}</label>
                    <input id=format!("amount-{topic}") name="amount" type="number" min="1" inputmode="numeric" value=route.level.amount.to_string()/>
                </div>
                <div class="field">
                    <label for=format!("counting-{topic}")>{t("feedback.field.counting")}</label>
                    <select id=format!("counting-{topic}") name="counting">
                        {Counting::ALL.into_iter().map(|c| view! {
                            <option value=c.code() selected=c == counting>{locale.t(&c.label_key())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button button-secondary">{t("feedback.route_save")}</button>
            </div>
        </form>
    }
    .into_any()
}

/// The staff home's first section for responders: their teams' open cases, due soonest first.
#[component]
pub fn MyOpenCases() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let shown = Resource::new(|| (), |_| super::my_open_cases());
    view! {
        <section aria-labelledby="my-cases-title" class="my-cases">
            <h2 id="my-cases-title">{t("feedback.my_cases")}</h2>
            <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
                {move || shown.get().map(|result| match result {
                    Ok((cases, _)) if cases.is_empty() => view! { <p>{t("feedback.my_cases_none")}</p> }.into_any(),
                    Ok((cases, now)) => view! {
                        <ul class="case-list">
                            {cases.into_iter().map(|case| {
                                let overdue = case.due_at <= now;
                                view! {
                                    <li>
                                        <a href=format!("{}/{}", base(locale), case.id) dir="ltr" class="reference">{case.reference.clone()}</a>
                                        " · " {locale.t(&topic_label_key(&case.topic))} " · "
                                        {t("feedback.due_label")} " " <When at=case.due_at/>
                                        {overdue.then(|| view! { " " <strong class="badge status-overdue">{t("feedback.overdue")}</strong> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(_) => view! { <p class="error-message">{t("feedback.load_failed")}</p> }.into_any(),
                })}
            </Suspense>
            <p><a href=base(locale)>{t("feedback.all_cases")}</a></p>
        </section>
    }
    .into_any()
}
