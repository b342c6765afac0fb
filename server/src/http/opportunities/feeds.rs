//! The opportunities feeds, one pair per language (MISSION.md §8: announce opportunities
//! continuously): an Atom feed for feed readers at `/{lang}/opportunities/feed.atom` and an
//! iCalendar feed for calendars at `/{lang}/opportunities/calendar.ics`. Both hold published
//! opportunities only, with absolute links built from the configured base URL.
//!
//! In the calendar, an opportunity with a start is an event from its start to its deadline (or
//! end); surveys and consultations also get an entry at their deadline, since that is the last
//! moment to answer (for workshops and events the end is simply when they finish). An
//! opportunity with a deadline and no start gets the deadline entry alone.

use app::Locale;
use app::opportunities::views::{groups_text, when_text};
use app::opportunities::{Filter, Opportunity, OpportunityKind, db, topic_label_key};
use atom_syndication::{Category, Content, Entry, Feed, Link, Person, Text};
use axum::{
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};

use crate::AppState;

/// How long feed readers and calendars may keep a copy before asking again.
const CACHE: &str = "public, max-age=300";

/// The published opportunities for a feed, or the response to send instead.
async fn published(state: &AppState, lang: &str) -> Result<(Locale, Vec<Opportunity>), Response> {
    let locale = Locale::from_code(lang).ok_or_else(|| StatusCode::NOT_FOUND.into_response())?;
    let items = db::list_published(&state.db, &Filter::default(), Utc::now())
        .await
        .map_err(crate::http::forms::server_error)?;
    Ok((locale, items))
}

/// The site's base URL without a trailing slash, to put before a path.
fn base(state: &AppState) -> String {
    state
        .settings
        .base_url
        .as_str()
        .trim_end_matches('/')
        .to_owned()
}

pub async fn atom(State(state): State<AppState>, Path(lang): Path<String>) -> Response {
    let (locale, items) = match published(&state, &lang).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let feed = atom_feed(locale, &base(&state), &items, Utc::now());
    match feed.write_to(Vec::new()) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                (header::CACHE_CONTROL, CACHE),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => crate::http::forms::server_error(error),
    }
}

pub async fn calendar(State(state): State<AppState>, Path(lang): Path<String>) -> Response {
    let (locale, items) = match published(&state, &lang).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let host = state
        .settings
        .base_url
        .host_str()
        .unwrap_or("sharek")
        .to_owned();
    let calendar = ical_calendar(locale, &base(&state), &host, &items);
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        calendar.to_string(),
    )
        .into_response()
}

/// The dates and target groups of an opportunity, in words, one per line.
fn dates_text(locale: Locale, o: &Opportunity) -> String {
    let mut lines = Vec::new();
    if let Some(at) = o.starts_at {
        lines.push(format!(
            "{}: {}",
            locale.t("opportunities.starts"),
            when_text(locale, at)
        ));
    }
    if let Some(at) = o.ends_at {
        lines.push(format!(
            "{}: {}",
            locale.t("opportunities.deadline"),
            when_text(locale, at)
        ));
    }
    lines.push(format!(
        "{}: {}",
        locale.t("opportunities.for"),
        groups_text(locale, &o.groups)
    ));
    lines.join("\n")
}

/// The Atom feed of `items` in `locale`; entries are identified by the opportunities' ids.
pub fn atom_feed(locale: Locale, base: &str, items: &[Opportunity], now: DateTime<Utc>) -> Feed {
    let catalogue = format!("{base}/{}/opportunities", locale.code());
    let link = |href: String, rel: &str, mime: &str| Link {
        href,
        rel: rel.to_owned(),
        hreflang: Some(locale.code().to_owned()),
        mime_type: Some(mime.to_owned()),
        ..Link::default()
    };
    let mut feed = Feed {
        title: Text::plain(locale.t("opportunities.feed_title")),
        subtitle: Some(Text::plain(locale.t("opportunities.feed_subtitle"))),
        id: catalogue.clone(),
        updated: items
            .iter()
            .map(|o| o.updated_at)
            .max()
            .unwrap_or(now)
            .fixed_offset(),
        authors: vec![Person {
            name: locale.t("site.ministry"),
            uri: Some(format!("{base}/{}", locale.code())),
            ..Person::default()
        }],
        links: vec![
            link(
                format!("{catalogue}/feed.atom"),
                "self",
                "application/atom+xml",
            ),
            link(catalogue.clone(), "alternate", "text/html"),
        ],
        lang: Some(locale.code().to_owned()),
        ..Feed::default()
    };
    feed.entries = items
        .iter()
        .map(|o| Entry {
            id: format!("urn:uuid:{}", o.id),
            title: Text::plain(o.title(locale)),
            updated: o.updated_at.fixed_offset(),
            published: Some(o.created_at.fixed_offset()),
            links: vec![link(
                format!("{base}{}", o.path(locale)),
                "alternate",
                "text/html",
            )],
            summary: Some(Text::plain(o.summary(locale))),
            content: Some(Content {
                value: Some(format!("{}\n\n{}", dates_text(locale, o), o.body(locale))),
                content_type: Some("text".to_owned()),
                lang: Some(locale.code().to_owned()),
                ..Content::default()
            }),
            categories: vec![
                category(&o.topic, locale.t(&topic_label_key(&o.topic))),
                category(o.kind.code(), locale.t(&o.kind.label_key())),
            ],
            ..Entry::default()
        })
        .collect();
    feed
}

fn category(term: &str, label: String) -> Category {
    Category {
        term: term.to_owned(),
        label: Some(label),
        ..Category::default()
    }
}

/// Whether an opportunity's deadline gets a calendar entry of its own (see the module notes).
fn has_deadline_entry(o: &Opportunity) -> bool {
    o.ends_at.is_some()
        && (o.starts_at.is_none()
            || matches!(
                o.kind,
                OpportunityKind::Survey | OpportunityKind::Consultation
            ))
}

/// The iCalendar feed of `items` in `locale`. UIDs are stable (`opportunity-<id>@<host>`), so
/// a calendar that subscribes updates entries rather than duplicating them.
pub fn ical_calendar(locale: Locale, base: &str, host: &str, items: &[Opportunity]) -> Calendar {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new(
            "PRODID",
            "-//Ministry of Community Empowerment//Sharek//EN",
        ))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .name(&locale.t("opportunities.feed_title"))
        .description(&locale.t("opportunities.feed_subtitle"));
    for o in items {
        let url = format!("{base}{}", o.path(locale));
        let description = format!(
            "{}\n\n{}\n\n{url}",
            o.summary(locale),
            dates_text(locale, o)
        );
        let event = |uid: String, title: String| {
            let mut event = Event::new();
            event
                .uid(&uid)
                .timestamp(o.updated_at)
                .created(o.created_at)
                .last_modified(o.updated_at)
                .summary(&title)
                .description(&description)
                .url(&url)
                .categories([locale.t(&topic_label_key(&o.topic))]);
            if !o.location.is_empty() {
                event.location(&o.location);
            }
            event
        };
        if let Some(start) = o.starts_at {
            let mut period = event(
                format!("opportunity-{}@{host}", o.id),
                o.title(locale).to_owned(),
            );
            period.starts(start);
            if let Some(end) = o.ends_at.filter(|end| *end > start) {
                period.ends(end);
            }
            calendar.push(period.done());
        }
        if let (Some(deadline), true) = (o.ends_at, has_deadline_entry(o)) {
            let title = locale.t_with(
                "opportunities.deadline_event",
                &[("title", o.title(locale))],
            );
            let mut entry = event(format!("opportunity-{}-deadline@{host}", o.id), title);
            entry.starts(deadline);
            calendar.push(entry.done());
        }
    }
    calendar.done()
}
