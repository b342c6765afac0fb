//! The outcomes' Atom feed, one per language, at `/{lang}/outcomes/feed.atom`: published
//! outcomes, most recently changed first, with absolute links from the configured base URL.

use app::Locale;
use app::outcomes::{Filter, Outcome, db, list_path};
use atom_syndication::{Category, Content, Entry, Feed, Link, Person, Text};
use axum::{
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};

use crate::AppState;

pub async fn atom(State(state): State<AppState>, Path(lang): Path<String>) -> Response {
    let Some(locale) = Locale::from_code(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let items = match db::list_published(&state.db, &Filter::default()).await {
        Ok(items) => items,
        Err(error) => return crate::http::forms::server_error(error),
    };
    let base = state.settings.base_url.as_str().trim_end_matches('/');
    match atom_feed(locale, base, &items, Utc::now()).write_to(Vec::new()) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => crate::http::forms::server_error(error),
    }
}

/// The Atom feed of `items` in `locale`; an entry's id is the outcome's, and it is updated
/// whenever the outcome changes (its status, its progress).
pub fn atom_feed(locale: Locale, base: &str, items: &[Outcome], now: DateTime<Utc>) -> Feed {
    let list = format!("{base}{}", list_path(locale));
    let link = |href: String, rel: &str, mime: &str| Link {
        href,
        rel: rel.to_owned(),
        hreflang: Some(locale.code().to_owned()),
        mime_type: Some(mime.to_owned()),
        ..Link::default()
    };
    let category = |term: &str, label: String| Category {
        term: term.to_owned(),
        label: Some(label),
        ..Category::default()
    };
    Feed {
        title: Text::plain(locale.t("outcomes.title")),
        subtitle: Some(Text::plain(locale.t("outcomes.lead"))),
        id: list.clone(),
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
            link(format!("{list}/feed.atom"), "self", "application/atom+xml"),
            link(list.clone(), "alternate", "text/html"),
        ],
        lang: Some(locale.code().to_owned()),
        entries: items
            .iter()
            .map(|o| Entry {
                id: format!("urn:uuid:{}", o.id),
                title: Text::plain(o.title.get(locale)),
                updated: o.updated_at.fixed_offset(),
                published: o.published_at.map(|at| at.fixed_offset()),
                links: vec![link(
                    format!("{base}{}", o.path(locale)),
                    "alternate",
                    "text/html",
                )],
                summary: Some(Text::plain(format!(
                    "{}: {}",
                    locale.t(&o.status.label_key()),
                    o.did.get(locale)
                ))),
                content: Some(Content {
                    value: Some(format!(
                        "{}\n{}\n\n{}\n{}",
                        locale.t("outcomes.said"),
                        o.said.get(locale),
                        locale.t("outcomes.did"),
                        o.did.get(locale)
                    )),
                    content_type: Some("text".to_owned()),
                    lang: Some(locale.code().to_owned()),
                    ..Content::default()
                }),
                categories: vec![
                    category(
                        &o.topic,
                        locale.t(&app::opportunities::topic_label_key(&o.topic)),
                    ),
                    category(o.status.code(), locale.t(&o.status.label_key())),
                ],
                ..Entry::default()
            })
            .collect(),
        ..Feed::default()
    }
}
