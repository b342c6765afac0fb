//! The survey form at `/{lang}/s/{key}`: what the address shows (the form page, or why it
//! cannot be answered now), the hidden fields a page carries, and the form page itself.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::page_state::{FormFeedback, use_page_state};
use crate::responses::Channel;
#[cfg(feature = "ssr")]
use crate::responses::IdentityMode;
use crate::responses::check::fields_from_answers;
use crate::shell::forms::{CsrfField, ErrorSummary, TextField, title_with_errors};
use crate::shell::{NotFound, use_locale};
use crate::surveys::conditions::{Answers, visibility};
use crate::surveys::model::{Definition, Text};
use crate::surveys::render::{FormSetup, ResponseForm};

/// What the survey address shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FormLoad {
    Missing,
    /// Published, and opens later.
    NotYetOpen {
        title: Text,
        opens_at: chrono::DateTime<chrono::Utc>,
    },
    /// Closed for good: what happens next, and the published results when there are some.
    Closed {
        title: Text,
        /// The public results' address key, when they are published.
        results: Option<String>,
    },
    /// A periodic survey between two rounds.
    BetweenRounds(Box<BetweenRounds>),
    /// Invitation mode, and the link carries no valid invitation.
    InvitationNeeded {
        title: Text,
    },
    InvitationUsed {
        title: Text,
    },
    /// The resume link of a response already sent.
    Submitted {
        key: String,
    },
    /// A resume link that is not (or no longer) valid.
    DraftGone {
        key: String,
    },
    Form(Box<FormPage>),
}

/// A periodic survey between two rounds: when the next opens, the last round's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BetweenRounds {
    pub title: Text,
    pub key: String,
    pub next: chrono::DateTime<chrono::Utc>,
    pub recurrence: Option<crate::surveys::lifecycle::Recurrence>,
    /// The public results of the last round, `(key, round)`, when published.
    pub results: Option<(String, Option<i32>)>,
}

/// One page of the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormPage {
    pub key: String,
    pub definition: Definition,
    /// The section on this page.
    pub page: usize,
    /// The sections that apply given the answers so far, in order.
    pub pages: Vec<usize>,
    pub known: Answers,
    pub submission: Uuid,
    /// A draft is saved on the server (this is not the first visit).
    pub draft: bool,
    pub channel: Channel,
    pub source: Option<String>,
    pub invitation: Option<String>,
    /// When the form was first shown (Unix seconds), sent back with the first page so the
    /// completion time starts there; `None` once a draft keeps it.
    pub started: Option<i64>,
}

/// The sections that apply for these answers, in order (the first always does: it carries
/// the stakeholder-group question).
pub fn pages_for(definition: &Definition, answers: &Answers) -> Vec<usize> {
    let seen = visibility(definition, answers);
    let mut pages: Vec<usize> = seen.sections.into_iter().collect();
    if pages.is_empty() && !definition.sections.is_empty() {
        pages.push(0);
    }
    pages
}

/// Loads what a survey address shows. Public.
#[leptos::server(endpoint = "responses/form")]
pub async fn load_form(
    key: String,
    resume: Option<String>,
    page: Option<usize>,
    link: LinkQuery,
) -> Result<FormLoad, ServerFnError> {
    use crate::accounts::storage_failure;
    use crate::responses::db;
    let db = use_context::<crate::store::Db>().ok_or_else(|| ServerFnError::new("no database"))?;
    let failed = storage_failure("loading a survey form");
    let Some(survey) = db::public_survey(&db, &key, chrono::Utc::now())
        .await
        .map_err(&failed)?
    else {
        return Ok(FormLoad::Missing);
    };
    let title = survey.definition.title.clone();
    let resume = resume.and_then(|r| Uuid::parse_str(&r).ok());
    if let Some(submission) = resume {
        if db::submitted(&db, submission).await.map_err(&failed)? {
            return Ok(FormLoad::Submitted { key: survey.key });
        }
        if !survey.open {
            return not_open(&db, &survey).await.map_err(&failed);
        }
        let Some(draft) = db::draft(&db, submission)
            .await
            .map_err(&failed)?
            .filter(|d| d.survey == survey.id)
        else {
            return Ok(FormLoad::DraftGone { key: survey.key });
        };
        let pages = pages_for(&survey.definition, &draft.answers);
        let wanted = page.unwrap_or(draft.reached).min(draft.reached);
        let page = pages
            .iter()
            .copied()
            .filter(|p| *p <= wanted)
            .max()
            .unwrap_or(pages[0]);
        return Ok(FormLoad::Form(Box::new(FormPage {
            key: survey.key,
            pages,
            page,
            known: draft.answers,
            submission,
            draft: true,
            channel: draft.channel,
            source: draft.source,
            // The draft keeps the invitation's hash; the server reads it from there.
            invitation: None,
            started: None,
            definition: survey.definition,
        })));
    }
    if !survey.open {
        return not_open(&db, &survey).await.map_err(&failed);
    }
    let invitation = link.inv.clone().filter(|t| !t.trim().is_empty());
    if survey.identity_mode == IdentityMode::Invitation {
        let Some(token) = &invitation else {
            return Ok(FormLoad::InvitationNeeded { title });
        };
        match db::invitation_state(&db, survey.id, &crate::responses::invitation_hash(token))
            .await
            .map_err(&failed)?
        {
            None => return Ok(FormLoad::InvitationNeeded { title }),
            Some(true) => return Ok(FormLoad::InvitationUsed { title }),
            Some(false) => {}
        }
    }
    let (channel, source) = crate::responses::channel_from_link(
        link.ch.as_deref(),
        link.p.as_deref(),
        link.utm_source.as_deref(),
        invitation.is_some() && survey.identity_mode == IdentityMode::Invitation,
    );
    let pages = pages_for(&survey.definition, &Answers::new());
    let first = pages[0];
    let page = page.filter(|p| pages.contains(p)).unwrap_or(first);
    Ok(FormLoad::Form(Box::new(FormPage {
        key: survey.key,
        pages,
        page,
        known: Answers::new(),
        submission: Uuid::new_v4(),
        draft: false,
        started: Some(chrono::Utc::now().timestamp()),
        channel,
        source,
        invitation: invitation.filter(|_| survey.identity_mode == IdentityMode::Invitation),
        definition: survey.definition,
    })))
}

/// What the address of a survey that takes no answers now shows: when it opens, when its
/// next round opens, or that it has closed, with its published results.
#[cfg(feature = "ssr")]
async fn not_open(
    db: &crate::store::Db,
    survey: &crate::responses::PublicSurvey,
) -> Result<FormLoad, crate::store::StoreError> {
    let title = survey.definition.title.clone();
    if let Some(opens_at) = survey.opens_later {
        return Ok(FormLoad::NotYetOpen { title, opens_at });
    }
    let (published, _) = crate::results::db::settings(db, survey.id).await?;
    let results = published.then(|| survey.key.clone());
    Ok(match survey.next_round {
        Some(next) => FormLoad::BetweenRounds(Box::new(BetweenRounds {
            title,
            key: survey.key.clone(),
            next,
            recurrence: survey.recurrence,
            results: results.map(|key| (key, survey.last_round)),
        })),
        None => FormLoad::Closed { title, results },
    })
}

/// A survey link's query: where it was shared, and an invitation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LinkQuery {
    pub ch: Option<String>,
    pub p: Option<String>,
    pub utm_source: Option<String>,
    pub inv: Option<String>,
}

/// The hidden fields a form page carries between requests.
pub fn hidden_fields(form: &FormPage) -> Vec<(String, String)> {
    let mut hidden = vec![
        ("submission".to_owned(), form.submission.to_string()),
        ("page".to_owned(), form.page.to_string()),
        ("ch".to_owned(), form.channel.code().to_owned()),
    ];
    if let Some(source) = &form.source {
        hidden.push(("src".to_owned(), source.clone()));
    }
    if let Some(invitation) = &form.invitation {
        hidden.push(("inv".to_owned(), invitation.clone()));
    }
    if form.draft {
        hidden.push(("draft".to_owned(), "1".to_owned()));
    }
    if let Some(started) = form.started {
        hidden.push(("started".to_owned(), started.to_string()));
    }
    hidden
}

/// The path of a survey's public form.
pub fn form_path(locale: crate::Locale, key: &str) -> String {
    format!("/{}/s/{key}", locale.code())
}

/// The survey form at `/{lang}/s/{key}`.
#[component]
pub fn RespondPage() -> impl IntoView {
    let locale = use_locale();
    let key = use_params_map().with_untracked(|p| p.get("key").unwrap_or_default());
    let query = use_query_map().get_untracked();
    let feedback = use_page_state().feedback;
    // Shown again after a post: the page and submission posted, not the address's.
    let posted = |name: &str| feedback.kept(name).filter(|v| !v.is_empty());
    let resume = posted("draft")
        .and(posted("submission"))
        .or_else(|| query.get("r"));
    let page = posted("page")
        .or_else(|| query.get("page"))
        .and_then(|p| p.parse().ok());
    let link = LinkQuery {
        ch: query.get("ch"),
        p: query.get("p"),
        utm_source: query.get("utm_source"),
        inv: posted("inv").or_else(|| query.get("inv")),
    };
    let args = (key.clone(), resume, page, link);
    let loaded = Resource::new(
        move || args.clone(),
        |(key, resume, page, link)| load_form(key, resume, page, link),
    );
    view! {
        <Suspense fallback=move || view! { <p>{locale.t("form.loading")}</p> }>
            {move || loaded.get().map(|result| match result {
                Ok(FormLoad::Form(form)) => view! { <FormView form=*form feedback=feedback.clone()/> }.into_any(),
                Ok(FormLoad::Missing) => view! { <NotFound/> }.into_any(),
                Ok(FormLoad::NotYetOpen { title, opens_at }) => view! {
                    <Notice title=title.get(locale).to_owned() message=locale.t_with(
                        "responses.not_yet_open",
                        &[("when", &crate::dates::when_text(locale, opens_at))],
                    )/>
                }.into_any(),
                Ok(FormLoad::Closed { title, results }) => view! {
                    <Notice title=title.get(locale).to_owned() message=locale.t("responses.closed")/>
                    <p>{locale.t("responses.closed_next")}</p>
                    <ul class="next-steps">
                        {results.map(|key| view! {
                            <li><a href=format!("/{}/results/{key}", locale.code())>{locale.t("responses.closed_results")}</a></li>
                        })}
                        <li><a href=crate::outcomes::list_path(locale)>{locale.t("responses.closed_outcomes")}</a></li>
                    </ul>
                }.into_any(),
                Ok(FormLoad::BetweenRounds(between)) => view! { <BetweenRoundsView between=*between feedback=feedback.clone()/> }.into_any(),
                Ok(FormLoad::InvitationNeeded { title }) => view! {
                    <Notice title=title.get(locale).to_owned() message=locale.t("responses.invitation_needed")/>
                }.into_any(),
                Ok(FormLoad::InvitationUsed { title }) => view! {
                    <Notice title=title.get(locale).to_owned() message=locale.t("responses.invitation_used")/>
                }.into_any(),
                Ok(FormLoad::Submitted { key }) => view! {
                    <Notice title=locale.t("responses.submitted_title") message=locale.t("responses.submitted")/>
                    <p><a href=format!("{}/thanks", form_path(locale, &key))>{locale.t("responses.what_next_link")}</a></p>
                }.into_any(),
                Ok(FormLoad::DraftGone { key }) => view! {
                    <Notice title=locale.t("responses.draft_gone_title") message=locale.t("responses.draft_gone")/>
                    <p><a href=form_path(locale, &key)>{locale.t("responses.start_again")}</a></p>
                }.into_any(),
                Err(_) => view! { <p class="error-message">{locale.t("responses.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

/// A periodic survey between rounds: when the next opens (UAE time), the last round's
/// results, and a form to be told by email when it opens.
#[component]
fn BetweenRoundsView(between: BetweenRounds, feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let BetweenRounds {
        title,
        key,
        next,
        recurrence,
        results,
    } = between;
    let every = recurrence.map(|r| locale.t(&format!("responses.round.every.{}", r.code())));
    let watching = feedback.kept("watching").is_some();
    view! {
        <Title text=title_with_errors(locale, title.get(locale).to_owned(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <div class="narrow between-rounds">
            <h1>{title.get(locale).to_owned()}</h1>
            {every.map(|every| view! { <p>{every}</p> })}
            <p class="lead">{locale.t_with("responses.round.next", &[("when", &crate::dates::when_text(locale, next))])}</p>
            {results.map(|(key, round)| {
                let query = round.map(|r| format!("?wave={r}")).unwrap_or_default();
                view! { <p><a href=format!("/{}/results/{key}{query}", locale.code())>{t("responses.round.results")}</a></p> }
            })}
            {if watching {
                view! { <p class="notice" role="status">{t("responses.round.watching")}</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=format!("{}/notify", form_path(locale, &key)) class="watch-form" novalidate>
                        <CsrfField/>
                        <TextField name="email" kind="email" autocomplete="email" required=true
                            label=t("responses.round.email_label") hint=t("responses.round.email_hint")
                            feedback=feedback.clone()/>
                        <button type="submit" class="button">{t("responses.round.watch")}</button>
                    </form>
                }.into_any()
            }}
        </div>
    }
}

/// A page that only says something (closed, by invitation only, …).
#[component]
fn Notice(title: String, message: String) -> impl IntoView {
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p class="lead">{message}</p>
    }
}

#[component]
fn FormView(form: FormPage, feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let base = use_page_state().base_url;
    let position = form.pages.iter().position(|p| *p == form.page).unwrap_or(0);
    let posted = feedback.kept("submission").is_some();
    let values = if posted {
        feedback.values.clone()
    } else {
        fields_from_answers(&form.definition, &form.known)
    };
    let mut hidden = hidden_fields(&form);
    if posted {
        // Keep exactly what was posted (the submission id above all).
        for (name, value) in hidden.iter_mut() {
            if let Some(kept) = feedback.kept(name) {
                *value = kept;
            }
        }
    }
    let title = form.definition.title.get(locale).to_owned();
    let resume = form.draft.then(|| {
        format!(
            "{}{}?r={}",
            base.trim_end_matches('/'),
            form_path(locale, &form.key),
            form.submission
        )
    });
    // A form that asks for a name, an email address or a phone number says so, truthfully.
    let identifying: Vec<String> = form
        .definition
        .identifying()
        .into_iter()
        .map(|what| locale.t(&what.label_key()))
        .collect();
    let privacy = if identifying.is_empty() {
        locale.t("responses.privacy")
    } else {
        locale.t_with(
            "responses.privacy_contact",
            &[("what", &locale.and_list(&identifying))],
        )
    };
    let setup = FormSetup {
        action: form_path(locale, &form.key),
        hidden,
        page: Some(form.page),
        first: position == 0,
        last: position + 1 == form.pages.len(),
        back: position > 0,
        progress: (form.pages.len() > 1).then_some((position + 1, form.pages.len())),
        known: form.known.clone(),
        values,
        errors: feedback.answer_errors.clone(),
        form_id: "response-form".to_owned(),
        definition: form.definition,
    };
    view! {
        <Title text=title_with_errors(locale, title, &feedback)/>
        <ResponseForm setup locale/>
        {resume.map(|link| {
            let href = link.clone();
            view! {
            <aside class="resume" aria-labelledby="resume-title">
                <h2 id="resume-title">{locale.t("responses.resume_title")}</h2>
                <p>{locale.t("responses.resume_help")}</p>
                <p><a href=href dir="ltr" class="resume-link">{link}</a></p>
            </aside>
            }
        })}
        <p class="privacy-note">{privacy}</p>
    }
    .into_any()
}
