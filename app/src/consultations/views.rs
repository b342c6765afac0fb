//! The public consultation pages: the document on the opportunity page (with comment counts
//! per section), a page of comments with the comment form, and one comment's thread with the
//! reply form. All forms are plain HTML handled in `server/src/http/consultations`, so they
//! work without JavaScript; on a problem the page comes back with the errors and the text.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::{
    Author, Comment, CommentState, Commenting, Discussion, Document, Thread, category_label_key,
    comments_path, load_discussion, load_document, load_thread, thread_path,
};
use crate::Locale;
use crate::moderation::CATEGORIES;
use crate::opportunities::Status;
use crate::opportunities::views::paragraphs;
use crate::page_state::use_page_state;
use crate::shell::forms::{CsrfField, ErrorSummary, TextArea, TextField, title_with_errors};
use crate::shell::{NotFound, When, use_locale};
use crate::text::urlencode;

/// The consultation's document on its opportunity page: sections with their comment counts
/// and links to comment (nothing for other kinds).
#[component]
pub fn ConsultationDocument(id: Uuid) -> impl IntoView {
    let document = Resource::new(move || id, load_document);
    view! {
        <Suspense fallback=|| ()>
            {move || document.get().map(|result| match result {
                Ok(Some(document)) => view! { <DocumentView document/> }.into_any(),
                _ => ().into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn DocumentView(document: Document) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let all = comments_path(locale, document.opportunity_id);
    let total = document.total.to_string();
    let whole = document.whole.to_string();
    let whole_link = format!("{all}?section=document");
    view! {
        <section class="document" aria-labelledby="document-title">
            <h2 id="document-title">{t("consultations.document_title")}</h2>
            <p>{t("consultations.document_lead")}</p>
            <p><a class="button" href=all.clone()>{locale.t_with("consultations.all_comments", &[("count", &total)])}</a></p>
            {document.sections.into_iter().map(|counted| {
                let section = counted.section;
                let heading_id = format!("section-{}", section.id);
                let link = format!("{all}?section={}", section.id);
                let count = counted.comments.to_string();
                let labelled_by = heading_id.clone();
                view! {
                    <section class="document-section" aria-labelledby=labelled_by>
                        <h3 id=heading_id>{format!("{}. {}", section.position, section.heading(locale))}</h3>
                        {paragraphs(section.body(locale)).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                        <p><a href=link>{locale.t_with("consultations.section_comments", &[("count", &count)])}</a></p>
                    </section>
                }
            }).collect_view()}
            <p><a href=whole_link>{locale.t_with("consultations.whole_comments", &[("count", &whole)])}</a></p>
        </section>
    }
    .into_any()
}

/// `/{lang}/opportunities/{id}/comments`: a page of comments (all, on the whole document, or
/// on one section) and the form to add one.
#[component]
pub fn CommentsPage() -> impl IntoView {
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    let Some(id) = id else {
        return view! { <NotFound/> }.into_any();
    };
    let locale = use_locale();
    let (section, page) = use_query_map().with_untracked(|q| {
        (
            q.get("section"),
            q.get("page").and_then(|p| p.parse::<i64>().ok()),
        )
    });
    let shown = Resource::new(
        move || (id, section.clone(), page),
        |(id, section, page)| load_discussion(id, section, page),
    );
    view! {
        <Suspense fallback=move || view! { <p>{locale.t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(Some(discussion)) => view! { <DiscussionView discussion/> }.into_any(),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{locale.t("consultations.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

/// The notices a form's redirect asks for (`?posted=1`, `?held=1`, …).
#[component]
fn Notices() -> impl IntoView {
    let locale = use_locale();
    let shown: Vec<&str> = use_query_map().with_untracked(|q| {
        [
            "posted",
            "held",
            "helpful",
            "flagged",
            "answered",
            "followed",
            "unfollowed",
        ]
        .into_iter()
        .filter(|k| q.get(k).is_some())
        .collect()
    });
    shown
        .into_iter()
        .map(|key| {
            view! { <p class="notice" role="status">{locale.t(&format!("consultations.notice.{key}"))}</p> }
        })
        .collect_view()
}

#[component]
fn DiscussionView(discussion: Discussion) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let base = comments_path(locale, discussion.opportunity_id);
    let title = match &discussion.section {
        Some(section) => locale.t_with(
            "consultations.section_title",
            &[("section", section.heading(locale))],
        ),
        None => t("consultations.comments_title"),
    };
    let selected = match (&discussion.section, discussion.whole_only) {
        (Some(section), _) => section.id.to_string(),
        (None, true) => "document".to_owned(),
        (None, false) => String::new(),
    };
    let here = if selected.is_empty() {
        base.clone()
    } else {
        format!("{base}?section={selected}")
    };
    let opportunity = format!(
        "/{}/opportunities/{}",
        locale.code(),
        discussion.opportunity_id
    );
    let count = discussion.count.to_string();
    let link_to = {
        let selected = selected.clone();
        let base = base.clone();
        move |page: i64| {
            let section = (!selected.is_empty()).then(|| format!("section={selected}&"));
            format!("{base}?{}page={page}", section.unwrap_or_default())
        }
    };
    let (page, pages) = (discussion.page, discussion.pages);
    view! {
        <Title text=title_with_errors(locale, format!("{title} — {}", discussion.title.get(locale)), &feedback)/>
        <div class="consultation">
            <ErrorSummary feedback=feedback.clone()/>
            <Notices/>
            <p class="eyebrow"><a href=opportunity>{discussion.title.get(locale).to_owned()}</a></p>
            <h1>{title}</h1>
            <SectionNav discussion=discussion.clone() selected=selected.clone()/>
            {discussion.section.clone().map(|section| view! {
                <div class="section-text">
                    {paragraphs(section.body(locale)).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                </div>
            })}
            {discussion.following.map(|following| view! {
                <super::follow::FollowForm opportunity=discussion.opportunity_id following/>
            })}
            <CommentForm discussion=discussion.clone() selected=selected here=here/>
            <h2 id="comments-heading">{locale.t_with("consultations.count", &[("count", &count)])}</h2>
            {discussion.comments.is_empty().then(|| view! { <p>{t("consultations.none_yet")}</p> })}
            <ol class="comments" aria-labelledby="comments-heading">
                {discussion.comments.into_iter().map(|comment| view! {
                    <li><CommentItem comment opportunity=discussion.opportunity_id signed_in=matches!(discussion.commenting, Commenting::Open | Commenting::NeedsName) list=true/></li>
                }).collect_view()}
            </ol>
            {(pages > 1).then(|| view! {
                <nav class="pagination" aria-label=t("consultations.pages")>
                    <ul>
                        {(page > 1).then(|| view! { <li><a href=link_to(page - 1) rel="prev">{t("consultations.newer")}</a></li> })}
                        <li aria-current="page">{locale.t_with("consultations.page_of", &[("page", &page.to_string()), ("pages", &pages.to_string())])}</li>
                        {(page < pages).then(|| view! { <li><a href=link_to(page + 1) rel="next">{t("consultations.older")}</a></li> })}
                    </ul>
                </nav>
            })}
        </div>
    }
    .into_any()
}

/// Links to every comment, the whole document's and each section's, with counts.
#[component]
fn SectionNav(discussion: Discussion, selected: String) -> impl IntoView {
    let locale = use_locale();
    let base = comments_path(locale, discussion.opportunity_id);
    let document = discussion.document;
    let mut links = vec![
        (
            String::new(),
            locale.t_with(
                "consultations.nav_all",
                &[("count", &document.total.to_string())],
            ),
        ),
        (
            "document".to_owned(),
            locale.t_with(
                "consultations.nav_whole",
                &[("count", &document.whole.to_string())],
            ),
        ),
    ];
    links.extend(document.sections.iter().map(|c| {
        (
            c.section.id.to_string(),
            format!(
                "{}. {} ({})",
                c.section.position,
                c.section.heading(locale),
                c.comments
            ),
        )
    }));
    view! {
        <nav class="section-nav" aria-label=locale.t("consultations.sections_nav")>
            <ul>
                {links.into_iter().map(|(value, label)| {
                    let href = if value.is_empty() { base.clone() } else { format!("{base}?section={value}") };
                    let current = (value == selected).then_some("page");
                    view! { <li><a href=href aria-current=current>{label}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// The comment form, or why there is none: sign in first, not open yet, closed.
#[component]
fn CommentForm(discussion: Discussion, selected: String, here: String) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let action = comments_path(locale, discussion.opportunity_id);
    match discussion.commenting {
        Commenting::SignIn => view! {
            <p class="notice">
                {t("consultations.sign_in_to_comment")} " "
                <a href=format!("/{}/account/sign-in?next={}", locale.code(), urlencode(&here))>{t("consultations.sign_in_link")}</a>
            </p>
        }
        .into_any(),
        Commenting::Banned => view! { <BannedNotice/> }.into_any(),
        Commenting::Closed(Status::Upcoming) => {
            view! { <p class="notice">{t("consultations.not_open")}</p> }.into_any()
        }
        Commenting::Closed(_) => view! {
            <p class="notice">
                {t("consultations.closed")} " "
                {discussion.closes_at.map(|at| view! { <When at/> })}
            </p>
        }
        .into_any(),
        commenting => {
            let about: Vec<(String, String)> = std::iter::once((
                "document".to_owned(),
                t("consultations.about_document"),
            ))
            .chain(discussion.document.sections.iter().map(|c| {
                (
                    c.section.id.to_string(),
                    format!("{}. {}", c.section.position, c.section.heading(locale)),
                )
            }))
            .collect();
            let chosen = feedback.kept("section").unwrap_or(selected);
            let max = super::rules::COMMENT_MAX.to_string();
            view! {
                <form method="post" action=action class="comment-form" novalidate>
                    <h2>{t("consultations.form_title")}</h2>
                    <CsrfField/>
                    {(commenting == Commenting::NeedsName).then(|| view! {
                        <TextField name="display_name" label=t("consultations.display_name")
                            hint=t("consultations.display_name_hint") autocomplete="nickname"
                            required=true feedback=feedback.clone()/>
                    })}
                    <div class="field">
                        <label for="field-section">{t("consultations.about")}</label>
                        <select id="field-section" name="section">
                            {about.into_iter().map(|(value, label)| {
                                let on = value == chosen || (chosen.is_empty() && value == "document");
                                view! { <option value=value selected=on>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <TextArea name="body" label=t("consultations.your_comment")
                        hint=locale.t_with("consultations.comment_hint", &[("max", &max)])
                        feedback=feedback.clone()/>
                    <button type="submit" class="button">{t("consultations.post")}</button>
                </form>
            }
            .into_any()
        }
    }
}

/// "You cannot comment for now", with the way to the ban's reasons and the appeal.
#[component]
fn BannedNotice() -> impl IntoView {
    let locale = use_locale();
    // What they had typed stays on the page, to copy.
    let kept = use_page_state()
        .feedback
        .kept("body")
        .filter(|b| !b.trim().is_empty());
    view! {
        <p class="notice notice-warning">
            {locale.t("consultations.banned")} " "
            <a href=crate::moderation::bans::ban_path(locale)>{locale.t("consultations.banned_link")}</a>
        </p>
        {kept.map(|text| view! {
            <h2>{locale.t("consultations.not_posted")}</h2>
            <blockquote class="prewrap">{text}</blockquote>
        })}
    }
}

/// The name shown with a comment.
pub fn author_name(locale: Locale, author: &Author) -> String {
    match author {
        Author::Participant(name) => name.clone(),
        Author::Former => locale.t("consultations.former"),
        Author::Ministry => locale.t("consultations.ministry"),
    }
}

/// One comment (or reply): who, when, the text (or the notice that replaces it), and what the
/// viewer can do with it.
#[component]
pub fn CommentItem(
    comment: Comment,
    opportunity: Uuid,
    /// A participant is signed in and the consultation is not closed.
    signed_in: bool,
    /// On the list (links to the thread), not the thread itself.
    list: bool,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let official = comment.author == Author::Ministry;
    let thread = thread_path(locale, opportunity, comment.parent_id.unwrap_or(comment.id));
    let heading_id = format!("comment-{}", comment.id);
    let can_act = signed_in && !comment.mine && comment.state == CommentState::Published;
    let replies = comment.replies.clone();
    let more_replies = comment.reply_count > replies.len() as i64;
    let helpful = comment.helpful.to_string();
    view! {
        <article class="comment" class:comment-official=official id=heading_id.clone()>
            <header class="comment-meta">
                <strong>{author_name(locale, &comment.author)}</strong>
                {official.then(|| view! { <span class="badge badge-official">{t("consultations.official")}</span> })}
                " " <When at=comment.created_at/>
            </header>
            {match comment.state {
                CommentState::Hidden => {
                    let category = comment.hidden_category.clone().unwrap_or_default();
                    view! {
                        <p class="comment-hidden">{locale.t_with("consultations.hidden_notice", &[("category", &locale.t(&category_label_key(&category)))])}</p>
                    }.into_any()
                }
                state => view! {
                    {(state == CommentState::Held).then(|| view! {
                        <p class="notice comment-held">{t("consultations.held_notice")}</p>
                    })}
                    <div class="comment-body" lang=comment.lang.code() dir=comment.lang.dir()>
                        {paragraphs(&comment.body).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                    </div>
                }.into_any(),
            }}
            {(comment.state == CommentState::Published).then(|| view! {
                <p class="comment-helpful">{locale.t_with("consultations.helpful_count", &[("count", &helpful)])}</p>
            })}
            {can_act.then(|| view! { <CommentActions comment=comment.clone() opportunity/> })}
            {(list && comment.parent_id.is_none()).then(|| view! {
                <p><a href=thread.clone()>{if comment.reply_count > 0 {
                    locale.t_with("consultations.replies_link", &[("count", &comment.reply_count.to_string())])
                } else {
                    t("consultations.reply_link")
                }}</a></p>
            })}
            {(!replies.is_empty()).then(|| view! {
                <ol class="replies">
                    {replies.into_iter().map(|reply| view! {
                        <li><CommentItem comment=reply opportunity signed_in list=false/></li>
                    }).collect_view()}
                </ol>
            })}
            {(list && more_replies).then(|| view! {
                <p><a href=thread>{t("consultations.all_replies")}</a></p>
            })}
        </article>
    }
    .into_any()
}

/// "Helpful" and "Report" for someone else's published comment.
#[component]
fn CommentActions(comment: Comment, opportunity: Uuid) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let path = thread_path(locale, opportunity, comment.id);
    let select_id = format!("flag-{}", comment.id);
    view! {
        <div class="comment-actions">
            {if comment.marked {
                view! { <p class="note">{t("consultations.marked")}</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=format!("{path}/helpful")>
                        <CsrfField/>
                        <button type="submit" class="button button-secondary">{t("consultations.mark_helpful")}</button>
                    </form>
                }.into_any()
            }}
            {if comment.flagged {
                view! { <p class="note">{t("consultations.flagged")}</p> }.into_any()
            } else {
                view! {
                    <details class="flag">
                        <summary>{t("consultations.report")}</summary>
                        <form method="post" action=format!("{path}/flag")>
                            <CsrfField/>
                            <label for=select_id.clone()>{t("consultations.report_why")}</label>
                            <select id=select_id name="category">
                                {CATEGORIES.into_iter().map(|key| view! {
                                    <option value=key>{locale.t(&category_label_key(key))}</option>
                                }).collect_view()}
                            </select>
                            <button type="submit" class="button button-secondary">{t("consultations.report_send")}</button>
                        </form>
                    </details>
                }.into_any()
            }}
        </div>
    }
    .into_any()
}

/// `/{lang}/opportunities/{id}/comments/{comment}`: a comment, all its replies and the reply
/// form.
#[component]
pub fn ThreadPage() -> impl IntoView {
    let ids = use_params_map().with_untracked(|p| {
        let id = p.get("id").and_then(|id| id.parse::<Uuid>().ok())?;
        let comment = p.get("comment").and_then(|c| c.parse::<Uuid>().ok())?;
        Some((id, comment))
    });
    let Some((id, comment)) = ids else {
        return view! { <NotFound/> }.into_any();
    };
    let locale = use_locale();
    let shown = Resource::new(
        move || (id, comment),
        |(id, comment)| load_thread(id, comment),
    );
    view! {
        <Suspense fallback=move || view! { <p>{locale.t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(Some(thread)) => view! { <ThreadView thread/> }.into_any(),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{locale.t("consultations.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn ThreadView(thread: Thread) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let here = thread_path(locale, thread.opportunity_id, thread.comment.id);
    let back = match &thread.section {
        Some(section) => format!(
            "{}?section={}",
            comments_path(locale, thread.opportunity_id),
            section.id
        ),
        None => comments_path(locale, thread.opportunity_id),
    };
    let title = locale.t_with(
        "consultations.thread_title",
        &[("name", &author_name(locale, &thread.comment.author))],
    );
    let open = matches!(thread.commenting, Commenting::Open | Commenting::NeedsName);
    let can_reply = open && thread.comment.state == CommentState::Published;
    view! {
        <Title text=title_with_errors(locale, format!("{title} — {}", thread.title.get(locale)), &feedback)/>
        <div class="consultation">
            <ErrorSummary feedback=feedback.clone()/>
            <Notices/>
            <p class="eyebrow"><a href=back>{t("consultations.back_to_comments")}</a></p>
            <h1>{title}</h1>
            {thread.section.clone().map(|section| view! {
                <p>{locale.t_with("consultations.on_section", &[("section", section.heading(locale))])}</p>
            })}
            <CommentItem comment=thread.comment.clone() opportunity=thread.opportunity_id signed_in=open list=false/>
            {match thread.commenting {
                Commenting::SignIn => view! {
                    <p class="notice">
                        {t("consultations.sign_in_to_reply")} " "
                        <a href=format!("/{}/account/sign-in?next={}", locale.code(), urlencode(&here))>{t("consultations.sign_in_link")}</a>
                    </p>
                }.into_any(),
                Commenting::Closed(_) => view! { <p class="notice">{t("consultations.closed_short")}</p> }.into_any(),
                Commenting::Banned => view! { <BannedNotice/> }.into_any(),
                _ if can_reply => view! {
                    <form method="post" action=here.clone() class="comment-form" novalidate>
                        <h2>{t("consultations.reply_title")}</h2>
                        <CsrfField/>
                        {(thread.commenting == Commenting::NeedsName).then(|| view! {
                            <TextField name="display_name" label=t("consultations.display_name")
                                hint=t("consultations.display_name_hint") autocomplete="nickname"
                                required=true feedback=feedback.clone()/>
                        })}
                        <TextArea name="body" label=t("consultations.your_reply") feedback=feedback.clone()/>
                        <button type="submit" class="button">{t("consultations.post_reply")}</button>
                    </form>
                }.into_any(),
                _ => ().into_any(),
            }}
        </div>
    }
    .into_any()
}
