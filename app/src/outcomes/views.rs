//! The public side of "you said, we did": the list of outcomes with its filters (a GET form),
//! one outcome's page (what people said, what was done, the frozen results and indicator, the
//! timeline), the "Results and what changed" block of an opportunity's page, and the page an
//! email's unsubscribe link opens.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::{
    ClosingLoop, Filter, Outcome, OutcomeStatus, Shown, get_outcome, list_outcomes, list_path,
    opportunity_outcomes, published_results,
};
use crate::Locale;
use crate::dates::day_text;
use crate::opportunities::views::paragraphs;
use crate::opportunities::{TOPICS, topic_label_key};
use crate::page_state::use_page_state;
use crate::shell::{NotFound, When, use_locale};

/// The status badge of an outcome.
#[component]
pub fn StatusBadge(status: OutcomeStatus) -> impl IntoView {
    let locale = use_locale();
    view! {
        <span class=format!("badge outcome-{}", status.code())>{locale.t(&status.label_key())}</span>
    }
}

/// Outcomes as cards, or `empty_key`'s sentence when there are none.
#[component]
pub fn OutcomeList(outcomes: Vec<Outcome>, empty_key: &'static str) -> impl IntoView {
    let locale = use_locale();
    if outcomes.is_empty() {
        return view! { <p>{locale.t(empty_key)}</p> }.into_any();
    }
    view! {
        <ul class="cards outcome-list">
            {outcomes.into_iter().map(|outcome| view! {
                <li class="card outcome">
                    <p class="badges">
                        <StatusBadge status=outcome.status/>
                        " " <span class="badge">{locale.t(&topic_label_key(&outcome.topic))}</span>
                    </p>
                    <h3><a href=outcome.path(locale)>{outcome.title.get(locale).to_owned()}</a></h3>
                    <p>{excerpt(outcome.did.get(locale), 240)}</p>
                    <p class="note">{locale.t("outcomes.updated")} " " <When at=outcome.updated_at date_only=true/></p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The start of a text, cut at a word, with an ellipsis when cut.
fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(head, _)| head).unwrap_or(&cut);
    format!("{cut}…")
}

/// The home page's "You said, we did": the three outcomes changed most recently.
#[component]
pub fn LatestOutcomes() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let listing = Resource::new(|| (), |_| list_outcomes(None, None));
    view! {
        <section aria-labelledby="latest-outcomes">
            <h2 id="latest-outcomes">{t("outcomes.title")}</h2>
            <p>{t("outcomes.home_lead")}</p>
            <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
                {move || listing.get().map(|result| match result {
                    Ok(mut outcomes) => {
                        outcomes.truncate(3);
                        view! { <OutcomeList outcomes empty_key="outcomes.none_yet"/> }.into_any()
                    }
                    Err(_) => view! { <p class="error-message">{t("outcomes.load_failed")}</p> }.into_any(),
                })}
            </Suspense>
            <p><a href=list_path(locale)>{t("outcomes.see_all")}</a></p>
        </section>
    }
    .into_any()
}

/// The Atom feed's address in this language.
pub fn feed_path(locale: Locale) -> String {
    format!("{}/feed.atom", list_path(locale))
}

/// `/{lang}/outcomes`: published outcomes, filtered by topic and status.
#[component]
pub fn OutcomesPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| Filter::from_query(q.get_str("topic"), q.get_str("status")))
    });
    let listing = Resource::new(
        move || filter.get(),
        |f| list_outcomes(f.topic, f.status.map(|s| s.code().to_owned())),
    );
    let title = t("outcomes.title");
    view! {
        <Title text=title.clone()/>
        <Link rel="alternate" type_="application/atom+xml" href=feed_path(locale) title=t("outcomes.feed")/>
        <h1>{title}</h1>
        <p class="lead">{t("outcomes.lead")}</p>
        <FilterForm filter=filter.get_untracked()/>
        <h2 id="outcomes-found">{t("outcomes.found")}</h2>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || listing.get().map(|result| match result {
                Ok(outcomes) => view! { <OutcomeList outcomes empty_key="outcomes.none"/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("outcomes.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
        <p><a href=feed_path(locale) type="application/atom+xml" rel="external">{t("outcomes.feed")}</a></p>
        <PublishedResults/>
    }
    .into_any()
}

/// The surveys whose results anyone can read.
#[component]
fn PublishedResults() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let listing = Resource::new(|| (), |_| published_results());
    view! {
        <section aria-labelledby="published-results">
            <h2 id="published-results">{t("outcomes.results_title")}</h2>
            <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
                {move || listing.get().map(|result| match result {
                    Ok(items) if items.is_empty() => view! { <p>{t("outcomes.results_none")}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul>
                            {items.into_iter().map(|(key, title)| view! {
                                <li><a href=format!("/{}/results/{key}", locale.code())>{title.get(locale).to_owned()}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(_) => view! { <p class="error-message">{t("outcomes.load_failed")}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn FilterForm(filter: Filter) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    view! {
        <form method="get" action=list_path(locale) class="filter-form" role="search"
            aria-label=t("outcomes.filter_label")>
            <div class="field">
                <label for="filter-topic">{t("opportunities.topic_label")}</label>
                <select id="filter-topic" name="topic">
                    <option value="">{t("opportunities.all_topics")}</option>
                    {TOPICS.iter().map(|topic| view! {
                        <option value=*topic selected=filter.topic.as_deref() == Some(*topic)>{locale.t(&topic_label_key(topic))}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-status">{t("outcomes.status_label")}</label>
                <select id="filter-status" name="status">
                    <option value="">{t("outcomes.all_statuses")}</option>
                    {OutcomeStatus::ALL.iter().map(|s| view! {
                        <option value=s.code() selected=filter.status == Some(*s)>{locale.t(&s.label_key())}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t("outcomes.apply")}</button>
            {(filter != Filter::default()).then(|| view! {
                <a class="filter-clear" href=list_path(locale)>{t("opportunities.clear")}</a>
            })}
        </form>
    }
    .into_any()
}

/// `/{lang}/outcomes/{id}`: one published outcome.
#[component]
pub fn OutcomePage() -> impl IntoView {
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    let Some(id) = id else {
        return view! { <NotFound/> }.into_any();
    };
    let locale = use_locale();
    let shown = Resource::new(move || id, get_outcome);
    view! {
        <Suspense fallback=move || view! { <p>{locale.t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(Some(shown)) => view! { <OutcomeDetail shown/> }.into_any(),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{locale.t("outcomes.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

/// What an outcome says, its frozen figures and its timeline (the staff page shows it too).
#[component]
pub fn OutcomeDetail(shown: Shown) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let Shown {
        outcome,
        updates,
        opportunity,
        ..
    } = shown;
    let title = outcome.title.get(locale).to_owned();
    let code = locale.code();
    let snapshot = outcome.snapshot.clone();
    let row =
        move |label: String, value: String| view! { <div><dt>{label}</dt><dd>{value}</dd></div> };
    let due = outcome.due_on.map(|day| {
        let key = if outcome.status == OutcomeStatus::Done {
            "outcomes.done_on"
        } else {
            "outcomes.due_on"
        };
        row(t(key), day_text(locale, day))
    });
    let reason = (outcome.status == OutcomeStatus::NotAdopted)
        .then(|| row(t("outcomes.reason"), outcome.reason.get(locale).to_owned()));
    let about = match (outcome.opportunity_id, opportunity) {
        (Some(id), Some(name)) => Some(view! {
            <p class="eyebrow">{t("outcomes.about")} " "
                <a href=format!("/{code}/opportunities/{id}")>{name.get(locale).to_owned()}</a>
            </p>
        }.into_any()),
        _ => outcome.feedback_topic.as_deref().map(|topic| view! {
            <p class="eyebrow">{locale.t_with("outcomes.about_topic", &[("topic", &locale.t(&topic_label_key(topic)))])}</p>
        }.into_any()),
    };
    let basis = snapshot.as_ref().map(|s| {
        let mut parts = Vec::new();
        if let Some(n) = s.responses {
            parts.push(locale.t_with("outcomes.basis_responses", &[("n", &n.to_string())]));
        }
        if let Some(n) = s.comments {
            parts.push(locale.t_with("outcomes.basis_comments", &[("n", &n.to_string())]));
        }
        if let Some(n) = s.feedback {
            parts.push(locale.t_with("outcomes.basis_feedback", &[("n", &n.to_string())]));
        }
        let date = crate::dates::date_text(locale, s.taken_at);
        match parts.is_empty() {
            true => locale.t_with("outcomes.basis_none", &[("date", &date)]),
            false => locale.t_with(
                "outcomes.basis",
                &[("what", &locale.list(parts)), ("date", &date)],
            ),
        }
    });
    let results_link = snapshot
        .as_ref()
        .and_then(|s| s.results_key.clone())
        .map(|key| view! { <p><a href=format!("/{code}/results/{key}")>{t("outcomes.results_link")}</a></p> });
    let comments_link = snapshot
        .as_ref()
        .and_then(|s| s.comments)
        .zip(outcome.opportunity_id)
        .map(|(_, id)| view! { <p><a href=format!("/{code}/opportunities/{id}/comments")>{t("outcomes.comments_link")}</a></p> });
    let indicator = snapshot
        .as_ref()
        .and_then(|s| s.indicator(locale).cloned())
        .map(|trend| {
            let sentence = before_after(locale, &trend);
            view! {
                <section aria-labelledby="indicator">
                    <h2 id="indicator">{t("outcomes.indicator")}</h2>
                    {sentence.map(|s| view! { <p class="lead">{s}</p> })}
                    <crate::results::views::TrendResult trend/>
                </section>
            }
        });
    view! {
        <Title text=title.clone()/>
        <SharePreview outcome=outcome.clone()/>
        <article class="outcome-detail">
            {about}
            <p class="badges"><StatusBadge status=outcome.status/></p>
            <h1>{title}</h1>
            <section aria-labelledby="said">
                <h2 id="said">{t("outcomes.said")}</h2>
                {paragraphs(outcome.said.get(locale)).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                {basis.map(|b| view! { <p class="note">{b}</p> })}
                {results_link}
                {comments_link}
            </section>
            <section aria-labelledby="did">
                <h2 id="did">{t("outcomes.did")}</h2>
                {paragraphs(outcome.did.get(locale)).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                <dl class="facts">
                    {row(t("outcomes.status_label"), locale.t(&outcome.status.label_key()))}
                    {row(t("outcomes.responsible"), outcome.responsible.get(locale).to_owned())}
                    {due}
                    {reason}
                </dl>
            </section>
            {indicator}
            <section aria-labelledby="timeline">
                <h2 id="timeline">{t("outcomes.timeline")}</h2>
                {if updates.is_empty() {
                    view! { <p>{t("outcomes.timeline_empty")}</p> }.into_any()
                } else {
                    view! {
                        <ol class="timeline">
                            {updates.into_iter().rev().map(|u| view! {
                                <li>
                                    <p class="timeline-head"><When at=u.created_at date_only=true/> " " <StatusBadge status=u.status/></p>
                                    <p>{u.note.get(locale).to_owned()}</p>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
            <p><a href=list_path(locale)>{t("outcomes.all")}</a></p>
        </article>
    }
    .into_any()
}

/// "Wave 1: 3.1, wave 3: 4.2" — the indicator's first and last known figures.
fn before_after(locale: Locale, trend: &crate::results::Trend) -> Option<String> {
    let known: Vec<(i32, f64)> = trend
        .waves
        .iter()
        .zip(&trend.values)
        .filter_map(|(w, v)| v.map(|v| (*w, v)))
        .collect();
    let (first, last) = (known.first()?, known.last()?);
    (first.0 != last.0).then(|| {
        locale.t_with(
            "outcomes.before_after",
            &[
                ("measure", &trend.measure),
                ("before_wave", &first.0.to_string()),
                ("before", &crate::results::summary::figure(first.1)),
                ("after_wave", &last.0.to_string()),
                ("after", &crate::results::summary::figure(last.1)),
            ],
        )
    })
}

/// OpenGraph metadata, so a shared link shows a preview.
#[component]
fn SharePreview(outcome: Outcome) -> impl IntoView {
    let locale = use_locale();
    let base = use_page_state().base_url;
    let url = (!base.is_empty())
        .then(|| format!("{}{}", base.trim_end_matches('/'), outcome.path(locale)));
    let title = outcome.title.get(locale).to_owned();
    let description = excerpt(outcome.did.get(locale), 200);
    view! {
        <Meta property="og:type" content="article"/>
        <Meta property="og:site_name" content=locale.t("site.name")/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:description" content=description.clone()/>
        {url.map(|url| view! { <Meta property="og:url" content=url/> })}
        <Meta name="twitter:card" content="summary"/>
        <Meta name="twitter:title" content=title/>
        <Meta name="twitter:description" content=description/>
    }
    .into_any()
}

/// "Results and what changed" on an opportunity's page: its public results (or when to expect
/// them) and its published outcomes.
#[component]
pub fn ClosingLoopBlock(
    opportunity: Uuid,
    expected: Option<chrono::DateTime<chrono::Utc>>,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let found = Resource::new(move || opportunity, opportunity_outcomes);
    view! {
        <section class="closing-loop" aria-labelledby="closing-loop">
            <h2 id="closing-loop">{t("outcomes.block_title")}</h2>
            <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
                {move || found.get().map(|result| match result {
                    Ok(ClosingLoop { results_key, outcomes }) => view! {
                        {match results_key {
                            Some(key) => view! {
                                <p><a href=format!("/{}/results/{key}", locale.code())>{t("outcomes.results_link")}</a></p>
                            }.into_any(),
                            None => view! {
                                <p>{match expected {
                                    Some(at) => locale.t_with("outcomes.results_expected", &[("date", &crate::dates::date_text(locale, at))]),
                                    None => t("outcomes.results_later"),
                                }}</p>
                            }.into_any(),
                        }}
                        <OutcomeList outcomes empty_key="outcomes.block_none"/>
                    }.into_any(),
                    Err(_) => view! { <p class="error-message">{t("outcomes.load_failed")}</p> }.into_any(),
                })}
            </Suspense>
            <p><a href=list_path(locale)>{t("outcomes.all")}</a></p>
        </section>
    }
    .into_any()
}

/// `/{lang}/outcomes/unsubscribe/{token}`: one button that stops outcome emails to the address
/// the link was sent to (a GET changes nothing: mail scanners open links).
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let done = use_query_map().with_untracked(|q| q.get("done").is_some());
    let failed = use_page_state().feedback.error("token");
    let title = t("outcomes.unsubscribe_title");
    view! {
        <Title text=title.clone()/>
        <Meta name="robots" content="noindex"/>
        <h1>{title}</h1>
        {failed.map(|key| view! { <p class="error-message" role="alert">{locale.t(&key)}</p> })}
        {if done {
            view! { <p class="notice" role="status">{t("outcomes.unsubscribed")}</p> }.into_any()
        } else {
            view! {
                <p>{t("outcomes.unsubscribe_lead")}</p>
                <form method="post" action=format!("/{}/outcomes/unsubscribe/{token}", locale.code())>
                    <button type="submit" class="button">{t("outcomes.unsubscribe_button")}</button>
                </form>
            }.into_any()
        }}
        <p><a href=list_path(locale)>{t("outcomes.all")}</a></p>
    }
    .into_any()
}
