//! Staff pages of a consultation: editing its document's sections in both languages, and its
//! comments in every state with the form to answer as the ministry. Plain HTML forms handled
//! in `server/src/http/consultations`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::{
    Comment, CommentState, Discussion, Section, SectionCount, category_label_key, staff_comments,
    staff_document,
};
use crate::moderation::queue_path;
use crate::opportunities::views::paragraphs;
use crate::page_state::{FormFeedback, use_page_state};
use crate::shell::forms::{CsrfField, ErrorSummary, textarea_text, title_with_errors};
use crate::shell::{NotFound, When, use_locale};
use crate::text::Text;

/// The path of a consultation's document editor.
pub fn document_path(locale: crate::Locale, id: Uuid) -> String {
    format!("/{}/staff/opportunities/{id}/document", locale.code())
}

/// The path of a consultation's comments for staff.
pub fn staff_comments_path(locale: crate::Locale, id: Uuid) -> String {
    format!("/{}/staff/opportunities/{id}/comments", locale.code())
}

fn opportunity_id() -> Option<Uuid> {
    use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()))
}

/// `/{lang}/staff/opportunities/{id}/document`: the sections, each with its own form, and a
/// form to add one at the end. `?remove={section}` asks to confirm removing that section.
#[component]
pub fn DocumentPage() -> impl IntoView {
    let Some(id) = opportunity_id() else {
        return view! { <NotFound/> }.into_any();
    };
    let locale = use_locale();
    let shown = Resource::new(move || id, staff_document);
    view! {
        <Suspense fallback=move || view! { <p>{locale.t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(Some((title, sections))) => view! { <DocumentEditor id title sections/> }.into_any(),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{locale.t("consultations.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn DocumentEditor(id: Uuid, title: Text, sections: Vec<SectionCount>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let (done, removing) = use_query_map().with_untracked(|q| {
        (
            q.get("done"),
            q.get("remove").and_then(|id| id.parse::<Uuid>().ok()),
        )
    });
    let can_edit = use_page_state()
        .user
        .is_some_and(|u| u.can(crate::accounts::Permission::AuthorSurveys));
    let page_title = locale.t_with(
        "consultations.editor_title",
        &[("title", title.get(locale))],
    );
    let path = document_path(locale, id);
    view! {
        <Title text=title_with_errors(locale, page_title.clone(), &feedback)/>
        <div class="staff-document">
            <ErrorSummary feedback=feedback.clone()/>
            {done.map(|done| view! { <p class="notice" role="status">{locale.t(&format!("consultations.done.{done}"))}</p> })}
            <p class="eyebrow"><a href=format!("/{}/staff/opportunities/{id}", locale.code())>{title.get(locale).to_owned()}</a></p>
            <h1>{page_title}</h1>
            <p>{t("consultations.editor_lead")}</p>
            <p><a href=staff_comments_path(locale, id)>{t("consultations.staff_comments_link")}</a></p>
            {sections.is_empty().then(|| view! { <p>{t("consultations.no_sections")}</p> })}
            {sections.into_iter().map(|SectionCount { section, comments }| {
                let action = format!("{path}/{}", section.id);
                let confirming = removing == Some(section.id);
                let key = section.id.to_string();
                let heading = format!("{}. {}", section.position, section.heading(locale));
                let label = heading.clone();
                let path = path.clone();
                view! {
                    <section class="card section-editor" id=format!("section-{key}") aria-label=label.clone()>
                        <h2>{heading}</h2>
                        {can_edit.then(|| view! {
                            <form method="post" action=action.clone() novalidate>
                                <CsrfField/>
                                <SectionFields key=key.clone() section=Some(section.clone()) feedback=feedback.clone()/>
                                <button type="submit" class="button">{t("consultations.save_section")}</button>
                            </form>
                            {if confirming {
                                view! {
                                    <RemoveSection action=action.clone() heading=label.clone() comments back=path.clone()/>
                                }.into_any()
                            } else {
                                view! {
                                    <p>
                                        <a class="button button-danger-quiet" href=format!("{path}?remove={}#remove-{}", section.id, section.id)>
                                            {t("consultations.delete_section")}
                                        </a>
                                    </p>
                                }.into_any()
                            }}
                        })}
                    </section>
                }
            }).collect_view()}
            {can_edit.then(|| view! {
                <section class="card section-editor" aria-labelledby="add-section">
                    <h2 id="add-section">{t("consultations.add_section")}</h2>
                    <form method="post" action=path.clone() novalidate>
                        <CsrfField/>
                        <SectionFields key="new".to_owned() section=None feedback=feedback.clone()/>
                        <button type="submit" class="button">{t("consultations.add_section_submit")}</button>
                    </form>
                </section>
            })}
        </div>
    }
    .into_any()
}

/// Asks before a section is removed, saying how many published comments move to the whole
/// document; a plain link keeps it.
#[component]
fn RemoveSection(action: String, heading: String, comments: i64, back: String) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let anchor = action.rsplit('/').next().unwrap_or_default().to_owned();
    let question = locale.t_with("consultations.remove_question", &[("section", &heading)]);
    let moves = if comments == 0 {
        t("consultations.remove_no_comments")
    } else {
        locale.t_with(
            "consultations.remove_comments",
            &[("n", &comments.to_string())],
        )
    };
    view! {
        <div class="danger-zone" id=format!("remove-{anchor}") role="group" aria-labelledby=format!("remove-title-{anchor}")>
            <p id=format!("remove-title-{anchor}")><strong>{question}</strong></p>
            <p>{moves}</p>
            <form method="post" action=format!("{action}/delete")>
                <CsrfField/>
                <button type="submit" class="button danger">{t("consultations.remove_confirm")}</button>
            </form>
            <p><a href=format!("{back}#section-{anchor}")>{t("consultations.remove_cancel")}</a></p>
        </div>
    }
}

/// A section's four fields, with ids unique on the page (`key`: the section's id, or "new").
/// What was typed comes back only into the form that was posted; its errors are named
/// `<field>-<key>` (the summary links to `#field-<field>-<key>`).
#[component]
fn SectionFields(key: String, section: Option<Section>, feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let posted_here = feedback.kept("section").as_deref() == Some(key.as_str());
    let hidden_key = key.clone();
    let field = move |name: &'static str, stored: String, area: bool, lang: &'static str| {
        let id = format!("field-{name}-{key}");
        let error = feedback
            .error(&format!("{name}-{key}"))
            .map(|k| locale.t(&k));
        let value = posted_here
            .then(|| feedback.kept(name))
            .flatten()
            .unwrap_or(stored);
        let error_id = format!("{id}-error");
        let described = error.as_ref().map(|_| error_id.clone());
        let dir = if lang == "ar" { "rtl" } else { "ltr" };
        view! {
            <div class="field" class:field-error=error.is_some()>
                <label for=id.clone()>{locale.t(&format!("consultations.field.{name}"))}</label>
                {error.clone().map(|message| view! {
                    <p class="error-message" id=error_id.clone()>
                        <span class="visually-hidden">{locale.t("form.error_prefix")}</span>{message}
                    </p>
                })}
                {if area {
                    view! { <textarea id=id name=name rows="8" lang=lang dir=dir aria-describedby=described>{textarea_text(&value)}</textarea> }.into_any()
                } else {
                    view! { <input type="text" id=id name=name value=value lang=lang dir=dir aria-describedby=described/> }.into_any()
                }}
            </div>
        }
    };
    let s = section.unwrap_or(Section {
        id: Uuid::nil(),
        position: 0,
        heading_ar: String::new(),
        heading_en: String::new(),
        body_ar: String::new(),
        body_en: String::new(),
    });
    view! {
        <input type="hidden" name="section" value=hidden_key/>
        {field("heading_ar", s.heading_ar, false, "ar")}
        {field("heading_en", s.heading_en, false, "en")}
        {field("body_ar", s.body_ar, true, "ar")}
        {field("body_en", s.body_en, true, "en")}
    }
}

/// `/{lang}/staff/opportunities/{id}/comments`: every comment in every state, newest first,
/// with the form to answer as the ministry.
#[component]
pub fn StaffCommentsPage() -> impl IntoView {
    let Some(id) = opportunity_id() else {
        return view! { <NotFound/> }.into_any();
    };
    let locale = use_locale();
    let page = use_query_map().with_untracked(|q| q.get("page").and_then(|p| p.parse().ok()));
    let shown = Resource::new(move || (id, page), |(id, page)| staff_comments(id, page));
    view! {
        <Suspense fallback=move || view! { <p>{locale.t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(Some(discussion)) => view! { <StaffDiscussion discussion/> }.into_any(),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{locale.t("consultations.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn StaffDiscussion(discussion: Discussion) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let answered = use_query_map().with_untracked(|q| q.get("answered").is_some());
    let id = discussion.opportunity_id;
    let title = locale.t_with(
        "consultations.staff_comments_title",
        &[("title", discussion.title.get(locale))],
    );
    let base = staff_comments_path(locale, id);
    let (page, pages) = (discussion.page, discussion.pages);
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <div class="staff-comments">
            <ErrorSummary feedback=feedback.clone()/>
            {answered.then(|| view! { <p class="notice" role="status">{t("consultations.notice.answered")}</p> })}
            <p class="eyebrow"><a href=document_path(locale, id)>{t("consultations.editor_link")}</a></p>
            <h1>{title}</h1>
            <p><a href=queue_path(locale)>{t("moderation.title")}</a></p>
            {discussion.comments.is_empty().then(|| view! { <p>{t("consultations.none_yet")}</p> })}
            <ol class="comments">
                {discussion.comments.into_iter().map(|comment| view! {
                    <li><StaffComment comment opportunity=id feedback=feedback.clone()/></li>
                }).collect_view()}
            </ol>
            {(pages > 1).then(|| view! {
                <nav class="pagination" aria-label=t("consultations.pages")>
                    <ul>
                        {(page > 1).then(|| view! { <li><a href=format!("{base}?page={}", page - 1) rel="prev">{t("consultations.newer")}</a></li> })}
                        <li aria-current="page">{locale.t_with("consultations.page_of", &[("page", &page.to_string()), ("pages", &pages.to_string())])}</li>
                        {(page < pages).then(|| view! { <li><a href=format!("{base}?page={}", page + 1) rel="next">{t("consultations.older")}</a></li> })}
                    </ul>
                </nav>
            })}
        </div>
    }
    .into_any()
}

/// A comment as staff see it: its state, its text even when hidden, its replies, and the
/// official-reply form.
#[component]
fn StaffComment(comment: Comment, opportunity: Uuid, feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let field_id = format!("field-answer-{}", comment.id);
    let posted_here = feedback.kept("comment").as_deref() == Some(comment.id.to_string().as_str());
    let error = feedback
        .error(&format!("answer-{}", comment.id))
        .map(|k| locale.t(&k));
    let kept = posted_here
        .then(|| feedback.kept("body"))
        .flatten()
        .unwrap_or_default();
    let error_id = format!("{field_id}-error");
    let action = format!(
        "{}/{}/answer",
        staff_comments_path(locale, opportunity),
        comment.id
    );
    let name = super::views::author_name(locale, &comment.author);
    let state = match comment.state {
        CommentState::Published => t("consultations.state.published"),
        CommentState::Held => t("consultations.state.held"),
        CommentState::Hidden => locale.t_with(
            "consultations.state.hidden",
            &[(
                "category",
                &locale.t(&category_label_key(
                    comment.hidden_category.as_deref().unwrap_or_default(),
                )),
            )],
        ),
    };
    let top = comment.parent_id.is_none();
    view! {
        <article class="comment">
            <header class="comment-meta">
                <strong>{name}</strong> " " <When at=comment.created_at/> " "
                <span class="badge">{state}</span>
            </header>
            <div class="comment-body" lang=comment.lang.code() dir=comment.lang.dir()>
                {paragraphs(&comment.body).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            </div>
            {(!comment.replies.is_empty()).then(|| view! {
                <ol class="replies">
                    {comment.replies.clone().into_iter().map(|reply| view! {
                        <li><StaffComment comment=reply opportunity feedback=feedback.clone()/></li>
                    }).collect_view()}
                </ol>
            })}
            {top.then(|| view! {
                <details class="answer" open=posted_here>
                    <summary>{t("consultations.answer")}</summary>
                    <form method="post" action=action novalidate>
                        <CsrfField/>
                        <input type="hidden" name="comment" value=comment.id.to_string()/>
                        <div class="field" class:field-error=error.is_some()>
                            <label for=field_id.clone()>{t("consultations.answer_label")}</label>
                            {error.clone().map(|message| view! {
                                <p class="error-message" id=error_id.clone()>
                                    <span class="visually-hidden">{locale.t("form.error_prefix")}</span>{message}
                                </p>
                            })}
                            <textarea id=field_id name="body" rows="4"
                                aria-describedby=error.is_some().then_some(error_id.clone())>{textarea_text(&kept)}</textarea>
                        </div>
                        <button type="submit" class="button">{t("consultations.answer_submit")}</button>
                    </form>
                </details>
            })}
        </article>
    }
    .into_any()
}
