//! The public side of opportunities: the catalogue with its filters (a GET form, so it works
//! without JavaScript and a filtered view is a shareable URL), one opportunity's page with its
//! OpenGraph and Twitter-card previews, and the home page's list of open opportunities.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::{
    Filter, Opportunity, OpportunityKind, StakeholderGroup, Status, TOPICS, featured_opportunities,
    get_opportunity, list_opportunities, topic_label_key,
};
use crate::Locale;
use crate::page_state::use_page_state;
use crate::shell::{NotFound, use_locale};

pub use crate::dates::{date_text, when_text};

/// Who an opportunity is for, in words ("Everyone" when no group is named).
pub fn groups_text(locale: Locale, groups: &[StakeholderGroup]) -> String {
    if groups.is_empty() {
        return locale.t("opportunities.everyone");
    }
    locale.list(groups.iter().map(|g| locale.t(&g.label_key())))
}

pub use crate::shell::When;

/// The kind and status labels above an opportunity's title.
#[component]
fn Badges(kind: OpportunityKind, status: Status) -> impl IntoView {
    let locale = use_locale();
    view! {
        <p class="badges">
            <span class="badge">{locale.t(&kind.label_key())}</span>
            " "
            <span class=format!("badge status-{}", status.code())>{locale.t(&status.label_key())}</span>
        </p>
    }
    .into_any()
}

/// Topic, dates, target groups and place, as a description list. Lists of opportunities show
/// the days alone (`dates_only`); an opportunity's own page shows the times too.
#[component]
pub fn Facts(opportunity: Opportunity, #[prop(optional)] dates_only: bool) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let row =
        move |label: String, value: AnyView| view! { <div><dt>{label}</dt><dd>{value}</dd></div> };
    view! {
        <dl class="facts">
            {row(t("opportunities.topic_label"), locale.t(&topic_label_key(&opportunity.topic)).into_any())}
            {opportunity.starts_at.map(|at| row(t("opportunities.starts"), view! { <When at date_only=dates_only/> }.into_any()))}
            {opportunity.ends_at.map(|at| row(t("opportunities.deadline"), view! { <When at date_only=dates_only/> }.into_any()))}
            {row(t("opportunities.for"), groups_text(locale, &opportunity.groups).into_any())}
            {(!opportunity.location.is_empty()).then(|| row(t("opportunities.location"), opportunity.location.clone().into_any()))}
        </dl>
    }
    .into_any()
}

/// One opportunity in a list: badges, linked title, summary and facts.
#[component]
pub fn OpportunityCard(opportunity: Opportunity, now: DateTime<Utc>) -> impl IntoView {
    let locale = use_locale();
    let status = opportunity.status(now);
    view! {
        <li class="card opportunity">
            <Badges kind=opportunity.kind status/>
            <h3><a href=opportunity.path(locale)>{opportunity.title(locale).to_owned()}</a></h3>
            <p>{opportunity.summary(locale).to_owned()}</p>
            <Facts opportunity dates_only=true/>
        </li>
    }
    .into_any()
}

/// The catalogue's address with a filter applied.
fn catalogue_path(locale: Locale) -> String {
    format!("/{}/opportunities", locale.code())
}

#[component]
pub fn CataloguePage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            Filter::from_query(q.get_str("topic"), q.get_str("group"), q.get_str("status"))
        })
    });
    let listing = Resource::new(
        move || filter.get(),
        |f| {
            list_opportunities(
                f.topic,
                f.group.map(|g| g.code().to_owned()),
                f.status.map(|s| s.code().to_owned()),
            )
        },
    );
    let title = t("opportunities.title");
    view! {
        <Title text=title.clone()/>
        <FeedLinks locale/>
        <h1>{title}</h1>
        <p class="lead">{t("opportunities.lead")}</p>
        <FilterForm filter=filter.get_untracked()/>
        <h2 id="results-title">{t("opportunities.results")}</h2>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || listing.get().map(|result| match result {
                Ok(listing) if listing.items.is_empty() => view! { <p>{t("opportunities.none")}</p> }.into_any(),
                Ok(listing) => view! {
                    <p>{locale.t_with("opportunities.count", &[("count", &listing.items.len().to_string())])}</p>
                    <ul class="cards opportunity-list" aria-labelledby="results-title">
                        {listing.items.into_iter().map(|o| view! { <OpportunityCard opportunity=o now=listing.now/> }).collect_view()}
                    </ul>
                }.into_any(),
                Err(_) => view! { <p class="error-message">{t("opportunities.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
        <Subscribe locale/>
    }
    .into_any()
}

/// The filters: a GET form whose URL can be shared.
#[component]
fn FilterForm(filter: Filter) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let option = move |value: &'static str, label: String, selected: bool| {
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        <form method="get" action=catalogue_path(locale) class="filter-form" role="search"
            aria-label=t("opportunities.filter_label")>
            <div class="field">
                <label for="filter-topic">{t("opportunities.topic_label")}</label>
                <select id="filter-topic" name="topic">
                    <option value="">{t("opportunities.all_topics")}</option>
                    {TOPICS.iter().map(|topic| option(topic, locale.t(&topic_label_key(topic)), filter.topic.as_deref() == Some(*topic))).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-group">{t("opportunities.group_label")}</label>
                <select id="filter-group" name="group">
                    <option value="">{t("opportunities.all_groups")}</option>
                    {StakeholderGroup::ALL.iter().map(|g| option(g.code(), locale.t(&g.label_key()), filter.group == Some(*g))).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-status">{t("opportunities.status_label")}</label>
                <select id="filter-status" name="status">
                    <option value="">{t("opportunities.all_statuses")}</option>
                    {Status::ALL.iter().map(|s| option(s.code(), locale.t(&s.label_key()), filter.status == Some(*s))).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t("opportunities.apply")}</button>
            {(!filter.is_empty()).then(|| view! {
                <a class="filter-clear" href=catalogue_path(locale)>{t("opportunities.clear")}</a>
            })}
        </form>
    }
    .into_any()
}

/// The feeds' addresses in this language.
pub fn feed_paths(locale: Locale) -> (String, String) {
    let base = catalogue_path(locale);
    (format!("{base}/feed.atom"), format!("{base}/calendar.ics"))
}

/// `<link rel="alternate">` to the feeds, so browsers and feed readers find them.
#[component]
fn FeedLinks(locale: Locale) -> impl IntoView {
    let (atom, calendar) = feed_paths(locale);
    view! {
        <Link rel="alternate" type_="application/atom+xml" href=atom title=locale.t("opportunities.feed_atom")/>
        <Link rel="alternate" type_="text/calendar" href=calendar title=locale.t("opportunities.feed_calendar")/>
    }
    .into_any()
}

/// Visible links to the feeds.
#[component]
fn Subscribe(locale: Locale) -> impl IntoView {
    let (atom, calendar) = feed_paths(locale);
    let t = move |key: &str| locale.t(key);
    view! {
        <section class="subscribe" aria-labelledby="subscribe-title">
            <h2 id="subscribe-title">{t("opportunities.subscribe_title")}</h2>
            <p>{t("opportunities.subscribe_lead")}</p>
            <ul>
                <li><a href=atom type="application/atom+xml" rel="external">{t("opportunities.feed_atom")}</a></li>
                <li><a href=calendar type="text/calendar" rel="external">{t("opportunities.feed_calendar")}</a></li>
            </ul>
        </section>
    }
    .into_any()
}

/// The open opportunities the home page features, with a link to the whole catalogue.
#[component]
pub fn FeaturedOpportunities() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let listing = Resource::new(|| (), |_| featured_opportunities());
    view! {
        <section aria-labelledby="featured-title">
            <h2 id="featured-title">{t("opportunities.featured_title")}</h2>
            <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
                {move || listing.get().map(|result| match result {
                    Ok(listing) if listing.items.is_empty() => view! { <p>{t("opportunities.none_open")}</p> }.into_any(),
                    Ok(listing) => view! {
                        <ul class="cards opportunity-list">
                            {listing.items.into_iter().map(|o| view! { <OpportunityCard opportunity=o now=listing.now/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(_) => view! { <p class="error-message">{t("opportunities.load_failed")}</p> }.into_any(),
                })}
            </Suspense>
            <p><a href=catalogue_path(locale)>{t("opportunities.see_all")}</a></p>
        </section>
    }
    .into_any()
}

#[component]
pub fn OpportunityPage() -> impl IntoView {
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    let Some(id) = id else {
        return view! { <NotFound/> }.into_any();
    };
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let shown = Resource::new(move || id, get_opportunity);
    view! {
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(shown) => match shown.opportunity {
                    Some(opportunity) => view! { <OpportunityDetail opportunity now=shown.now next_round=shown.next_round/> }.into_any(),
                    None => view! { <NotFound/> }.into_any(),
                },
                Err(_) => view! { <p class="error-message">{t("opportunities.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

/// The body text as paragraphs: blank lines separate them (plain text, never HTML).
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
fn OpportunityDetail(
    opportunity: Opportunity,
    now: DateTime<Utc>,
    next_round: Option<DateTime<Utc>>,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let status = opportunity.status(now);
    let title = opportunity.title(locale).to_owned();
    let link = opportunity.link.clone();
    view! {
        <Title text=title.clone()/>
        <SharePreview opportunity=opportunity.clone()/>
        <article class="opportunity-detail">
            <Badges kind=opportunity.kind status/>
            <h1>{title}</h1>
            <p class="lead">{opportunity.summary(locale).to_owned()}</p>
            <Facts opportunity=opportunity.clone()/>
            {opportunity.survey_id.filter(|_| status == Status::Open).map(|survey| match next_round {
                // Between two rounds of a periodic survey: when the next opens, and where to
                // ask to be told.
                Some(next) => view! {
                    <p class="notice">{locale.t_with("opportunities.next_round", &[("when", &crate::dates::when_text(locale, next))])}</p>
                    <p><a href=format!("/{}/s/{survey}", locale.code())>{t("opportunities.next_round_link")}</a></p>
                }.into_any(),
                None => view! {
                    <p><a class="button" href=format!("/{}/s/{survey}", locale.code())>{t("opportunities.take_part")}</a></p>
                }.into_any(),
            })}
            {(!link.is_empty()).then(|| view! {
                <p><a href=link rel="external noopener">{t("opportunities.more_link")}</a></p>
            })}
            {paragraphs(opportunity.body(locale)).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            {(opportunity.kind == OpportunityKind::Consultation).then(|| view! {
                <crate::consultations::views::ConsultationDocument id=opportunity.id/>
            })}
            {matches!(opportunity.kind, OpportunityKind::Survey | OpportunityKind::Consultation).then(|| view! {
                <crate::outcomes::views::ClosingLoopBlock opportunity=opportunity.id expected=opportunity.ends_at/>
            })}
            <p><a href=format!("/{}/feedback?about={}", locale.code(), opportunity.id)>{t("opportunities.feedback_link")}</a></p>
            <p><a href=catalogue_path(locale)>{t("opportunities.back")}</a></p>
        </article>
    }
    .into_any()
}

/// OpenGraph and Twitter-card metadata, so a shared link shows a preview.
#[component]
fn SharePreview(opportunity: Opportunity) -> impl IntoView {
    let locale = use_locale();
    let base = use_page_state().base_url;
    let url = (!base.is_empty())
        .then(|| format!("{}{}", base.trim_end_matches('/'), opportunity.path(locale)));
    let title = opportunity.title(locale).to_owned();
    let description = opportunity.summary(locale).to_owned();
    let og_locale = |l: Locale| match l {
        Locale::Ar => "ar_AR",
        Locale::En => "en_US",
    };
    view! {
        <Meta property="og:type" content="website"/>
        <Meta property="og:site_name" content=locale.t("site.name")/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:description" content=description.clone()/>
        {url.map(|url| view! { <Meta property="og:url" content=url/> })}
        <Meta property="og:locale" content=og_locale(locale)/>
        <Meta property="og:locale:alternate" content=og_locale(locale.other())/>
        <Meta name="twitter:card" content="summary"/>
        <Meta name="twitter:title" content=title/>
        <Meta name="twitter:description" content=description/>
    }
    .into_any()
}
