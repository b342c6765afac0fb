//! The moderation queue at `/{lang}/staff/moderation`: held comments oldest first with what
//! screening found highlighted in the text, or hidden ones to restore; publish, or hide citing
//! one of the policy's categories. Plain HTML forms handled in `server/src/http/moderation`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{CATEGORIES, Queue, Queued, ReasonReport, moderation_queue, queue_path};
use crate::consultations::{Author, category_label_key, thread_path};
use crate::shell::forms::{CsrfField, ErrorSummary, title_with_errors};
use crate::shell::{When, use_locale};

/// The text cut into (piece, found) parts: what screening found is marked.
pub fn highlighted(text: &str, reasons: &[ReasonReport]) -> Vec<(String, bool)> {
    let mut ranges: Vec<(usize, usize)> = reasons
        .iter()
        .filter(|r| {
            r.start < r.end
                && r.end <= text.len()
                && text.is_char_boundary(r.start)
                && text.is_char_boundary(r.end)
        })
        .map(|r| (r.start, r.end))
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    let mut parts = Vec::new();
    let mut at = 0;
    for (start, end) in merged {
        if start > at {
            parts.push((text[at..start].to_owned(), false));
        }
        parts.push((text[start..end].to_owned(), true));
        at = end;
    }
    if at < text.len() {
        parts.push((text[at..].to_owned(), false));
    }
    parts
}

/// The catalogue key of a finding (a category or a kind of personal data).
fn finding_label_key(finding: &str) -> String {
    if CATEGORIES.contains(&finding) {
        category_label_key(finding)
    } else {
        format!("moderation.personal.{finding}")
    }
}

/// `/{lang}/staff/moderation`: the queue.
#[component]
pub fn ModerationPage() -> impl IntoView {
    let locale = use_locale();
    let (state, page) = use_query_map().with_untracked(|q| {
        (
            q.get("state"),
            q.get("page").and_then(|p| p.parse::<i64>().ok()),
        )
    });
    let shown = Resource::new(
        move || (state.clone(), page),
        |(state, page)| moderation_queue(state, page),
    );
    view! {
        <Suspense fallback=move || view! { <p>{locale.t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(queue) => view! { <QueueView queue/> }.into_any(),
                Err(_) => view! { <p class="error-message">{locale.t("moderation.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn QueueView(queue: Queue) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let notice = use_query_map().with_untracked(|q| q.get("done"));
    let feedback = crate::page_state::use_page_state().feedback;
    let base = queue_path(locale);
    let held = queue.state == "held";
    let count = queue.count.to_string();
    let (page, pages) = (queue.page, queue.pages);
    let state = queue.state.clone();
    view! {
        <Title text=title_with_errors(locale, t("moderation.title"), &feedback)/>
        <div class="moderation">
            <ErrorSummary feedback=feedback.clone()/>
            {notice.map(|done| view! {
                <p class="notice" role="status">
                    {locale.t(&format!("moderation.done.{done}"))}
                </p>
            })}
            <h1>{t("moderation.title")}</h1>
            <p>{t("moderation.lead")}</p>
            <super::bans_views::ModerationFigures/>
            <nav class="tabs" aria-label=t("moderation.tabs")>
                <ul>
                    <li><a href=base.clone() aria-current=held.then_some("page")>{t("moderation.held")}</a></li>
                    <li><a href=format!("{base}?state=hidden") aria-current=(!held).then_some("page")>{t("moderation.hidden")}</a></li>
                    <li><a href=super::bans::appeals_path(locale)>{t("moderation.appeals_title")}</a></li>
                </ul>
            </nav>
            <p role="status">{locale.t_with(if held { "moderation.count_held" } else { "moderation.count_hidden" }, &[("count", &count)])}</p>
            <ol class="queue">
                {queue.items.into_iter().map(|item| view! { <li><QueuedItem item held/></li> }).collect_view()}
            </ol>
            {(pages > 1).then(|| view! {
                <nav class="pagination" aria-label=t("consultations.pages")>
                    <ul>
                        {(page > 1).then(|| view! { <li><a href=format!("{base}?state={state}&page={}", page - 1) rel="prev">{t("moderation.previous")}</a></li> })}
                        <li aria-current="page">{locale.t_with("consultations.page_of", &[("page", &page.to_string()), ("pages", &pages.to_string())])}</li>
                        {(page < pages).then(|| view! { <li><a href=format!("{base}?state={state}&page={}", page + 1) rel="next">{t("moderation.next")}</a></li> })}
                    </ul>
                </nav>
            })}
        </div>
    }
    .into_any()
}

/// What screening found in a text, one line each: the category or kind of personal data, the
/// words matched (in the text's language) and the rule, in English.
#[component]
pub fn Findings(reasons: Vec<ReasonReport>, lang: crate::Locale) -> impl IntoView {
    let locale = use_locale();
    view! {
        <ul class="reasons">
            {reasons.into_iter().map(|r| view! {
                <li>
                    <strong>{locale.t(&finding_label_key(&r.finding))}</strong> ": "
                    <mark lang=lang.code() dir=lang.dir()>{r.matched}</mark>
                    " " <span class="note" lang="en" dir="ltr">{format!("({})", r.rule)}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn QueuedItem(item: Queued, held: bool) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let comment = item.comment;
    let id = comment.id;
    let reasons = item
        .report
        .as_ref()
        .map(|r| r.reasons.clone())
        .unwrap_or_default();
    let parts = highlighted(&comment.body, &reasons);
    let author = crate::consultations::views::author_name(locale, &comment.author);
    let thread = thread_path(
        locale,
        item.opportunity_id,
        comment.parent_id.unwrap_or(comment.id),
    );
    let select_id = format!("category-{id}");
    let heading_id = format!("queued-{id}");
    let bannable = matches!(comment.author, Author::Participant(_));
    let why = match item.held_by.as_deref() {
        Some("flags") => t("moderation.held_by_flags"),
        _ => t("moderation.held_by_screening"),
    };
    let labelled_by = heading_id.clone();
    view! {
        <article class="card queued" aria-labelledby=labelled_by>
            <h2 id=heading_id><a href=thread>{item.title.get(locale).to_owned()}</a></h2>
            <p class="comment-meta">
                <strong>{author}</strong> " " <When at=comment.created_at/>
                {comment.parent_id.is_some().then(|| view! { " " <span class="badge">{t("moderation.a_reply")}</span> })}
            </p>
            {held.then(|| view! { <p>{why}</p> })}
            <blockquote class="comment-body" lang=comment.lang.code() dir=comment.lang.dir()>
                <p class="prewrap">{parts.into_iter().map(|(text, found)| if found {
                    view! { <mark>{text}</mark> }.into_any()
                } else {
                    view! { <span>{text}</span> }.into_any()
                }).collect_view()}</p>
            </blockquote>
            {(!reasons.is_empty()).then(|| view! {
                <h3>{t("moderation.reasons")}</h3>
                <Findings reasons=reasons.clone() lang=comment.lang/>
            })}
            {(!item.flags.is_empty()).then(|| view! {
                <h3>{t("moderation.flags")}</h3>
                <ul>
                    {item.flags.iter().map(|(category, n)| view! {
                        <li>{format!("{}: {n}", locale.t(&category_label_key(category)))}</li>
                    }).collect_view()}
                </ul>
            })}
            {comment.hidden_category.clone().map(|category| view! {
                <p>{locale.t_with("consultations.state.hidden", &[("category", &locale.t(&category_label_key(&category)))])}</p>
            })}
            <div class="decisions">
                <form method="post" action=format!("{}/{id}", queue_path(locale))>
                    <CsrfField/>
                    <input type="hidden" name="version" value=item.version.to_string()/>
                    <input type="hidden" name="from" value=if held { "held" } else { "hidden" }/>
                    <button type="submit" name="decision" value="publish" class="button">
                        {if held { t("moderation.publish") } else { t("moderation.restore") }}
                    </button>
                </form>
                {held.then(|| view! {
                    <form method="post" action=format!("{}/{id}", queue_path(locale)) class="hide-form">
                        <CsrfField/>
                        <input type="hidden" name="version" value=item.version.to_string()/>
                        <input type="hidden" name="from" value="held"/>
                        <label for=select_id.clone()>{t("moderation.hide_because")}</label>
                        <select id=select_id name="category">
                            {CATEGORIES.into_iter().map(|key| {
                                let suggested = item.report.as_ref().is_some_and(|r| r.categories.first().map(String::as_str) == Some(key))
                                    || item.flags.first().is_some_and(|(c, _)| c == key);
                                view! { <option value=key selected=suggested>{locale.t(&category_label_key(key))}</option> }
                            }).collect_view()}
                        </select>
                        <button type="submit" name="decision" value="hide" class="button button-secondary">{t("moderation.hide")}</button>
                    </form>
                })}
            </div>
            {bannable.then(|| view! { <super::bans_views::BanForm comment=id/> })}
        </article>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(start: usize, end: usize) -> ReasonReport {
        ReasonReport {
            finding: "language".into(),
            start,
            end,
            matched: String::new(),
            rule: String::new(),
        }
    }

    #[test]
    fn found_text_is_marked_and_overlaps_merge() {
        let text = "يا حمار call 0501234567";
        let a = text.find("حمار").expect("in the text");
        let p = text.find("0501").expect("in the text");
        let parts = highlighted(
            text,
            &[
                reason(p, text.len()),
                reason(a, a + "حمار".len()),
                reason(a, a + 2),
            ],
        );
        assert_eq!(
            parts,
            vec![
                ("يا ".to_owned(), false),
                ("حمار".to_owned(), true),
                (" call ".to_owned(), false),
                ("0501234567".to_owned(), true),
            ]
        );
        // Ranges that are not on character boundaries are ignored, never a panic.
        assert_eq!(
            highlighted(text, &[reason(1, 2)]),
            vec![(text.to_owned(), false)]
        );
    }
}
