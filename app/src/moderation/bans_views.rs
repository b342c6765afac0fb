//! The pages of bans and appeals: the participant's ban (why, until when, the appeal form or
//! its outcome), the moderators' open appeals, the ban form on a queued comment, and the
//! moderation figures. Plain HTML forms handled in `server/src/http/moderation`.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::CATEGORIES;
use super::bans::{
    Appeal, Ban, DURATIONS, DecidedAppeal, Figures, appeals_path, decided_appeals,
    moderation_figures, my_ban, open_appeals,
};
use crate::consultations::category_label_key;
use crate::page_state::use_page_state;
use crate::shell::forms::{CsrfField, ErrorSummary, TextArea, title_with_errors};
use crate::shell::{NotFound, When, use_locale};

/// `/{lang}/account/ban`: the participant's ban and their appeal.
#[component]
pub fn BanPage() -> impl IntoView {
    let locale = use_locale();
    let shown = Resource::new(|| (), |_| my_ban());
    view! {
        <Suspense fallback=move || view! { <p>{locale.t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(Some((ban, now))) => view! { <BanView ban now/> }.into_any(),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{locale.t("moderation.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn BanView(ban: Ban, now: DateTime<Utc>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let appealed = use_query_map().with_untracked(|q| q.get("appealed").is_some());
    let title = t("moderation.ban_title");
    let active = ban.active(now);
    let category = locale.t(&category_label_key(&ban.category));
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <div class="narrow">
            <ErrorSummary feedback=feedback.clone()/>
            {appealed.then(|| view! { <p class="notice" role="status">{t("moderation.appeal_sent")}</p> })}
            <h1>{title}</h1>
            {if active {
                view! {
                    <p class="lead">{t("moderation.ban_lead")}</p>
                    <dl class="facts">
                        <dt>{t("moderation.ban_reason")}</dt>
                        <dd>{locale.t_with("moderation.ban_reason_text", &[("category", &category)])}</dd>
                        <dt>{t("moderation.ban_note")}</dt>
                        <dd class="prewrap">{ban.note.clone()}</dd>
                        <dt>{t("moderation.ban_until")}</dt>
                        <dd>{match ban.ends_at {
                            Some(at) => view! { <When at/> }.into_any(),
                            None => t("moderation.ban_permanent").into_any(),
                        }}</dd>
                    </dl>
                    <p>{t("moderation.ban_surveys")}</p>
                }.into_any()
            } else {
                view! { <p class="lead">{t("moderation.ban_over")}</p> }.into_any()
            }}
            {match (&ban.appealed_at, &ban.appeal_decision) {
                (None, _) if active => view! {
                    <h2 id="appeal">{t("moderation.appeal_title")}</h2>
                    <p>{t("moderation.appeal_lead")}</p>
                    <form method="post" action=super::bans::ban_path(locale) novalidate>
                        <CsrfField/>
                        <TextArea name="appeal" label=t("moderation.appeal_label") feedback=feedback.clone()/>
                        <button type="submit" class="button">{t("moderation.appeal_submit")}</button>
                    </form>
                }.into_any(),
                (Some(_), None) => view! { <p class="notice">{t("moderation.appeal_waiting")}</p> }.into_any(),
                (Some(_), Some(decision)) => {
                    let key = format!("moderation.appeal_{decision}");
                    view! {
                        <h2>{t("moderation.appeal_outcome")}</h2>
                        <p>{t(&key)}</p>
                        <p class="prewrap">{ban.appeal_note.clone().unwrap_or_default()}</p>
                    }.into_any()
                }
                _ => ().into_any(),
            }}
        </div>
    }
    .into_any()
}

/// The ban form under a queued comment (its author is banned, never named in the form).
#[component]
pub fn BanForm(comment: Uuid) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let id = |name: &str| format!("{name}-{comment}");
    // After a mistake the form comes back open with what was typed (the errors are in the
    // page's summary).
    let feedback = use_page_state().feedback;
    let posted_here = feedback.kept("comment").as_deref() == Some(comment.to_string().as_str());
    let kept = |name: &str| {
        posted_here
            .then(|| feedback.kept(name))
            .flatten()
            .unwrap_or_default()
    };
    let (category, days, note) = (kept("category"), kept("days"), kept("note"));
    let durations = DURATIONS.map(|d| match d {
        Some(days) => (
            days.to_string(),
            locale.t_with("moderation.days", &[("days", &days.to_string())]),
        ),
        None => ("permanent".to_owned(), t("moderation.ban_permanent")),
    });
    view! {
        <details class="ban" open=posted_here>
            <summary>{t("moderation.ban_author")}</summary>
            <form method="post" action=format!("{}/{comment}/ban", super::queue_path(locale))>
                <CsrfField/>
                <input type="hidden" name="comment" value=comment.to_string()/>
                <div class="field">
                    <label for=id("ban-category")>{t("moderation.ban_because")}</label>
                    <select id=id("ban-category") name="category">
                        {CATEGORIES.into_iter().map(|key| view! { <option value=key selected=key == category>{locale.t(&category_label_key(key))}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=id("ban-days")>{t("moderation.ban_for")}</label>
                    <select id=id("ban-days") name="days">
                        {durations.into_iter().map(|(value, label)| {
                            let on = value == days;
                            view! { <option value=value selected=on>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=id("ban-note")>{t("moderation.ban_note_label")}</label>
                    <p class="hint" id=id("ban-note-hint")>{t("moderation.ban_note_hint")}</p>
                    <textarea id=id("ban-note") name="note" rows="3" aria-describedby=id("ban-note-hint")>{crate::shell::forms::textarea_text(&note)}</textarea>
                </div>
                <button type="submit" class="button button-secondary">{t("moderation.ban_submit")}</button>
            </form>
        </details>
    }
}

/// `/{lang}/staff/moderation/appeals`: open appeals, oldest first, then the latest decided.
#[component]
pub fn AppealsPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let done = use_query_map().with_untracked(|q| q.get("done"));
    let shown = Resource::new(|| (), |_| open_appeals());
    let feedback = use_page_state().feedback;
    view! {
        <Title text=title_with_errors(locale, t("moderation.appeals_title"), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        {done.map(|done| view! { <p class="notice" role="status">{locale.t(&format!("moderation.done.{done}"))}</p> })}
        <p class="eyebrow"><a href=super::queue_path(locale)>{t("moderation.title")}</a></p>
        <h1>{t("moderation.appeals_title")}</h1>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(appeals) if appeals.is_empty() => view! { <p>{t("moderation.no_appeals")}</p> }.into_any(),
                Ok(appeals) => view! {
                    <ol class="queue">
                        {appeals.into_iter().map(|appeal| view! { <li><AppealItem appeal/></li> }).collect_view()}
                    </ol>
                }.into_any(),
                Err(_) => view! { <p class="error-message">{t("moderation.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
        <DecidedAppeals/>
    }
}

/// The latest decided appeals, newest first: who appealed which ban, what was decided, by
/// whom and when, with the note the participant was sent.
#[component]
fn DecidedAppeals() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let shown = Resource::new(|| (), |_| decided_appeals());
    view! {
        <section aria-labelledby="decided-appeals">
            <h2 id="decided-appeals">{t("moderation.decided_title")}</h2>
            <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
                {move || shown.get().map(|result| match result {
                    Ok(decided) if decided.is_empty() => view! { <p>{t("moderation.no_decided")}</p> }.into_any(),
                    Ok(decided) => view! {
                        <ol class="history">
                            {decided.into_iter().map(|appeal| view! { <li><DecidedItem appeal/></li> }).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(_) => view! { <p class="error-message">{t("moderation.load_failed")}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DecidedItem(appeal: DecidedAppeal) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let ban = appeal.ban;
    let lifted = ban.appeal_decision.as_deref() == Some("lifted");
    let heading = format!("decided-{}", ban.id);
    let labelled_by = heading.clone();
    view! {
        <article class="card" aria-labelledby=labelled_by>
            <h3 id=heading>{locale.t_with("moderation.appeal_by", &[("name", &appeal.participant)])}</h3>
            <p>
                <strong class=if lifted { "badge status-open" } else { "badge status-closed" }>
                    {t(if lifted { "moderation.decided_lifted" } else { "moderation.decided_upheld" })}
                </strong>
                " " {locale.t_with("moderation.decided_by", &[("name", &appeal.decided_by)])}
                " " <When at=appeal.decided_at/>
            </p>
            <dl class="facts">
                <dt>{t("moderation.ban_reason")}</dt>
                <dd>{locale.t(&category_label_key(&ban.category))}</dd>
                <dt>{t("moderation.banned_by")}</dt>
                <dd>{appeal.banned_by.clone()} " " <When at=ban.created_at/></dd>
                <dt>{t("moderation.appeal_text")}</dt>
                <dd class="prewrap">{ban.appeal_text.clone().unwrap_or_default()}</dd>
                <dt>{t("moderation.decision_note")}</dt>
                <dd class="prewrap">{ban.appeal_note.clone().unwrap_or_default()}</dd>
            </dl>
        </article>
    }
    .into_any()
}

#[component]
fn AppealItem(appeal: Appeal) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let ban = appeal.ban;
    let heading = format!("appeal-{}", ban.id);
    let note_id = format!("field-note-{}", ban.id);
    let labelled_by = heading.clone();
    view! {
        <article class="card queued" aria-labelledby=labelled_by>
            <h2 id=heading>{locale.t_with("moderation.appeal_by", &[("name", &appeal.participant)])}</h2>
            <dl class="facts">
                <dt>{t("moderation.ban_reason")}</dt>
                <dd>{locale.t(&category_label_key(&ban.category))}</dd>
                <dt>{t("moderation.ban_note")}</dt>
                <dd class="prewrap">{ban.note.clone()}</dd>
                <dt>{t("moderation.banned_by")}</dt>
                <dd>{appeal.banned_by.clone()} " " <When at=ban.created_at/></dd>
                <dt>{t("moderation.ban_until")}</dt>
                <dd>{match ban.ends_at {
                    Some(at) => view! { <When at/> }.into_any(),
                    None => t("moderation.ban_permanent").into_any(),
                }}</dd>
            </dl>
            <h3>{t("moderation.appeal_text")}</h3>
            <blockquote class="prewrap">{ban.appeal_text.clone().unwrap_or_default()}</blockquote>
            {if appeal.own {
                view! { <p class="note">{t("moderation.appeal_own")}</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=format!("{}/{}", appeals_path(locale), ban.id)>
                        <CsrfField/>
                        <div class="field">
                            <label for=note_id.clone()>{t("moderation.appeal_note_label")}</label>
                            <textarea id=note_id name="note" rows="3"></textarea>
                        </div>
                        <div class="decisions">
                            <button type="submit" name="decision" value="uphold" class="button button-secondary">{t("moderation.uphold")}</button>
                            <button type="submit" name="decision" value="lift" class="button">{t("moderation.lift")}</button>
                        </div>
                    </form>
                }.into_any()
            }}
        </article>
    }
    .into_any()
}

/// The moderation figures: held, published, hidden by category, the median time to a
/// decision, open appeals.
#[component]
pub fn ModerationFigures() -> impl IntoView {
    let locale = use_locale();
    let shown = Resource::new(|| (), |_| moderation_figures());
    view! {
        <Suspense fallback=|| ()>
            {move || shown.get().map(|result| match result {
                Ok(figures) => view! { <FiguresView figures/> }.into_any(),
                Err(_) => view! { <p class="error-message">{locale.t("moderation.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn FiguresView(figures: Figures) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let median = match figures.median_decision_minutes {
        Some(m) if m < 120 => locale.t_with("moderation.minutes", &[("n", &m.to_string())]),
        Some(m) => locale.t_with(
            "moderation.hours",
            &[("n", &format!("{:.1}", m as f64 / 60.0))],
        ),
        None => t("moderation.no_decisions"),
    };
    let hidden_total: i64 = figures.hidden.iter().map(|(_, n)| n).sum();
    view! {
        <section class="figures" aria-labelledby="moderation-figures">
            <h2 id="moderation-figures">{t("moderation.figures")}</h2>
            <dl class="facts">
                <dt>{t("moderation.fig_held")}</dt><dd>{figures.held}</dd>
                <dt>{t("moderation.fig_published")}</dt><dd>{figures.published}</dd>
                <dt>{t("moderation.fig_hidden")}</dt><dd>{hidden_total}</dd>
                <dt>{t("moderation.fig_median")}</dt><dd>{median}</dd>
                <dt>{t("moderation.fig_appeals")}</dt>
                <dd><a href=appeals_path(locale)>{figures.open_appeals}</a></dd>
            </dl>
            {(!figures.hidden.is_empty()).then(|| view! {
                <h3>{t("moderation.fig_by_category")}</h3>
                <ul>
                    {figures.hidden.into_iter().map(|(key, n)| view! {
                        <li>{format!("{}: {n}", locale.t(&category_label_key(&key)))}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
