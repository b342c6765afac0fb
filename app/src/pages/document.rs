//! Long-form pages whose text lives in the catalogue (the participation policy, the
//! accessibility statement). An outline in `outlines.rs` says which sections a document has
//! and how many paragraphs and list items each holds, so both languages render the same shape.

use leptos::prelude::*;
use leptos_meta::Title;

use super::outlines::{ACCESSIBILITY, POLICY};
use crate::shell::use_locale;

/// One section of a catalogue-driven document. Keys: `{doc}.{id}.title`, `.p1…`, `.item1…`,
/// `.after1…`.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    pub id: &'static str,
    pub paragraphs: u8,
    pub items: u8,
    pub ordered: bool,
    pub after: u8,
}

impl Section {
    /// Every catalogue key this section reads, in reading order.
    pub fn keys(&self, doc: &str) -> Vec<String> {
        let key = |suffix: String| format!("{doc}.{}.{suffix}", self.id);
        std::iter::once(key("title".into()))
            .chain((1..=self.paragraphs).map(|n| key(format!("p{n}"))))
            .chain((1..=self.items).map(|n| key(format!("item{n}"))))
            .chain((1..=self.after).map(|n| key(format!("after{n}"))))
            .collect()
    }
}

/// Every catalogue key a document reads (used by the catalogue test).
pub fn document_keys() -> Vec<String> {
    [("policy", POLICY), ("accessibility", ACCESSIBILITY)]
        .into_iter()
        .flat_map(|(doc, sections)| {
            [format!("{doc}.title"), format!("{doc}.lead")]
                .into_iter()
                .chain(sections.iter().flat_map(move |s| s.keys(doc)))
        })
        .chain(std::iter::once("policy.authoritative_note".to_owned()))
        .collect()
}

#[component]
pub fn PolicyPage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <Document doc="policy" sections=POLICY>
            <p class="note">{locale.t("policy.authoritative_note")}</p>
        </Document>
    }
}

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    view! { <Document doc="accessibility" sections=ACCESSIBILITY/> }
}

#[component]
fn Document(
    doc: &'static str,
    sections: &'static [Section],
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: String| locale.t(&key);
    let title = t(format!("{doc}.title"));
    let heading_id = |s: &Section| format!("{doc}-{}", s.id.replace('_', "-"));
    view! {
        <Title text=title.clone()/>
        <article class="document">
            <h1>{title}</h1>
            <p class="lead">{t(format!("{doc}.lead"))}</p>
            {children.map(|children| children())}
            <nav class="toc" aria-labelledby="toc-title">
                <h2 id="toc-title">{locale.t("document.contents")}</h2>
                <ol>
                    {sections.iter().map(|s| view! {
                        <li><a href=format!("#{}", heading_id(s)) rel="external">{t(format!("{doc}.{}.title", s.id))}</a></li>
                    }).collect_view()}
                </ol>
            </nav>
            {sections.iter().map(|s| view! {
                <DocumentSection doc section=*s id=heading_id(s)/>
            }).collect_view()}
        </article>
    }
}

#[component]
fn DocumentSection(doc: &'static str, section: Section, id: String) -> impl IntoView {
    let locale = use_locale();
    let t = move |suffix: String| locale.t(&format!("{doc}.{}.{suffix}", section.id));
    let items = (1..=section.items)
        .map(|n| view! { <li>{t(format!("item{n}"))}</li> })
        .collect_view();
    let list = (section.items > 0).then(|| {
        if section.ordered {
            view! { <ol>{items}</ol> }.into_any()
        } else {
            view! { <ul>{items}</ul> }.into_any()
        }
    });
    let labelled_by = id.clone();
    view! {
        <section aria-labelledby=labelled_by>
            <h2 id=id>{t("title".into())}</h2>
            {(1..=section.paragraphs).map(|n| view! { <p>{t(format!("p{n}"))}</p> }).collect_view()}
            {list}
            {(1..=section.after).map(|n| view! { <p>{t(format!("after{n}"))}</p> }).collect_view()}
        </section>
    }
}
