//! The participant's pages: the survey form (`/{lang}/s/{key}`, one section per page, resumable
//! with `?r=<submission>`), and the thank-you page. Staff pages: collection settings and
//! invitations, and entering a response on someone's behalf. All of them are plain forms the
//! server handles (`server/src/http/respond.rs`); the form itself is the `ResponseForm` island.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::check::fields_from_answers;
use super::{AssistedMode, Channel, IdentityMode};
use crate::page_state::{FormFeedback, use_page_state};
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
    Closed {
        title: Text,
    },
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
    use super::db;
    use crate::accounts::storage_failure;
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
            return Ok(not_open(&survey));
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
        return Ok(not_open(&survey));
    }
    let invitation = link.inv.clone().filter(|t| !t.trim().is_empty());
    if survey.identity_mode == IdentityMode::Invitation {
        let Some(token) = &invitation else {
            return Ok(FormLoad::InvitationNeeded { title });
        };
        match db::invitation_state(&db, survey.id, &super::invitation_hash(token))
            .await
            .map_err(&failed)?
        {
            None => return Ok(FormLoad::InvitationNeeded { title }),
            Some(true) => return Ok(FormLoad::InvitationUsed { title }),
            Some(false) => {}
        }
    }
    let (channel, source) = super::channel_from_link(
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

/// What the address of a survey that takes no answers now shows.
#[cfg(feature = "ssr")]
fn not_open(survey: &super::PublicSurvey) -> FormLoad {
    let title = survey.definition.title.clone();
    match survey.opens_later {
        Some(opens_at) => FormLoad::NotYetOpen { title, opens_at },
        None => FormLoad::Closed { title },
    }
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
                        &[("when", &crate::opportunities::views::when_text(locale, opens_at))],
                    )/>
                }.into_any(),
                Ok(FormLoad::Closed { title }) => view! {
                    <Notice title=title.get(locale).to_owned() message=locale.t("responses.closed")/>
                }.into_any(),
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
        <p class="privacy-note">{locale.t("responses.privacy")}</p>
    }
    .into_any()
}

/// What the thank-you page says about a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThanksInfo {
    pub title: Text,
    pub key: String,
    pub opportunity: Option<Uuid>,
}

/// Public.
#[leptos::server(endpoint = "responses/thanks")]
pub async fn load_thanks(key: String) -> Result<Option<ThanksInfo>, ServerFnError> {
    use crate::accounts::storage_failure;
    let db = use_context::<crate::store::Db>().ok_or_else(|| ServerFnError::new("no database"))?;
    let failed = storage_failure("loading a thank-you page");
    let Some(survey) = super::db::public_survey(&db, &key, chrono::Utc::now())
        .await
        .map_err(&failed)?
    else {
        return Ok(None);
    };
    let opportunity = super::db::opportunity_of(&db, survey.id)
        .await
        .map_err(&failed)?;
    Ok(Some(ThanksInfo {
        title: survey.definition.title,
        key: survey.key,
        opportunity,
    }))
}

/// After submitting: what happens next, and an optional address to hear back.
#[component]
pub fn ThanksPage() -> impl IntoView {
    let locale = use_locale();
    let key = use_params_map().with_untracked(|p| p.get("key").unwrap_or_default());
    let feedback = use_page_state().feedback;
    let info = Resource::new(move || key.clone(), load_thanks);
    view! {
        <Suspense fallback=move || view! { <p>{locale.t("form.loading")}</p> }>
            {move || info.get().map(|result| match result {
                Ok(Some(info)) => view! { <Thanks info feedback=feedback.clone()/> }.into_any(),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{locale.t("responses.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Thanks(info: ThanksInfo, feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let saved = feedback.kept("contact_saved").is_some();
    let outcomes = info
        .opportunity
        .map(|id| format!("/{}/opportunities/{id}", locale.code()))
        .unwrap_or_else(|| format!("/{}/opportunities", locale.code()));
    let action = format!("{}/contact", form_path(locale, &info.key));
    view! {
        <Title text=title_with_errors(locale, t("responses.thanks_title"), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <div class="panel-confirmation" role="status">
            <h1>{t("responses.thanks_title")}</h1>
            <p>{locale.t_with("responses.thanks_survey", &[("title", info.title.get(locale))])}</p>
        </div>
        <h2>{t("responses.next_title")}</h2>
        <p>{t("responses.next_use")}</p>
        <p>{t("responses.next_outcomes")}</p>
        <p><a href=outcomes>{t("responses.outcomes_link")}</a></p>
        <h2>{t("responses.contact_title")}</h2>
        {if saved {
            view! { <p class="notice" role="status">{t("responses.contact_saved")}</p> }.into_any()
        } else {
            view! {
                <p>{t("responses.contact_help")}</p>
                <form method="post" action=action novalidate>
                    <TextField name="email" label=t("responses.contact_label") kind="email" autocomplete="email"
                        feedback=feedback.clone()/>
                    <button type="submit" class="button button-secondary">{t("responses.contact_button")}</button>
                </form>
            }.into_any()
        }}
    }
    .into_any()
}

/// What staff see about collecting a survey's responses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectInfo {
    pub id: Uuid,
    pub title: Text,
    pub open: bool,
    pub slug: Option<String>,
    pub identity_mode: IdentityMode,
    pub responses: i64,
    pub contacts: i64,
    pub invitations: Vec<(String, Option<String>)>,
    pub may_author: bool,
    pub may_enter: bool,
}

#[leptos::server(endpoint = "responses/collect")]
pub async fn load_collect(id: Uuid) -> Result<Option<CollectInfo>, ServerFnError> {
    use crate::accounts::{Permission, authorized_user, storage_failure};
    let (db, user) = authorized_user(Permission::ReadSurveys)?;
    let failed = storage_failure("loading collection settings");
    let Some(survey) = crate::surveys::db::get(&db, id).await.map_err(&failed)? else {
        return Ok(None);
    };
    let (slug, identity_mode) = super::db::collection_settings(&db, id)
        .await
        .map_err(&failed)?
        .unwrap_or_default();
    Ok(Some(CollectInfo {
        id,
        title: survey.definition.title,
        open: survey.status == crate::surveys::Status::Open,
        slug,
        identity_mode,
        responses: super::db::count(&db, id).await.map_err(&failed)?,
        contacts: super::db::contacts(&db, id).await.map_err(&failed)?,
        invitations: super::db::invitations(&db, id)
            .await
            .map_err(&failed)?
            .into_iter()
            .map(|i| (i.email, i.used_on))
            .collect(),
        may_author: user.can(Permission::AuthorSurveys),
        may_enter: user.can(Permission::CollectResponses),
    }))
}

/// `/{lang}/staff/surveys/{id}/collect`: the public address, identity mode, links by
/// channel, invitations, and the way to staff-assisted entry.
#[component]
pub fn CollectPage() -> impl IntoView {
    staff_survey_page(load_collect, |info, feedback| {
        view! { <Collect info feedback/> }.into_any()
    })
}

/// A staff page about the survey in the address: loads it, then shows it (the 404 page when
/// there is no such survey, a message when it could not be loaded).
fn staff_survey_page<T, Load, Loading>(load: Load, show: fn(T, FormFeedback) -> AnyView) -> AnyView
where
    T: Clone + Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    Load: Fn(Uuid) -> Loading + Send + Sync + 'static,
    Loading: std::future::Future<Output = Result<Option<T>, ServerFnError>> + Send + 'static,
{
    let locale = use_locale();
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    let Some(id) = id else {
        return view! { <NotFound/> }.into_any();
    };
    let feedback = use_page_state().feedback;
    let info = Resource::new(move || id, load);
    view! {
        <Suspense fallback=move || view! { <p>{locale.t("form.loading")}</p> }>
            {move || info.get().map(|result| match result {
                Ok(Some(info)) => show(info, feedback.clone()),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{locale.t("responses.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Collect(info: CollectInfo, feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let base = use_page_state().base_url;
    let key = info.slug.clone().unwrap_or_else(|| info.id.to_string());
    let public = format!("{}{}", base.trim_end_matches('/'), form_path(locale, &key));
    let staff = format!("/{}/staff/surveys/{}", locale.code(), info.id);
    let title = info.title.get(locale).to_owned();
    let revealed = feedback.revealed.clone();
    let mail_queued = feedback.kept("mail").as_deref() == Some("queued");
    let mode = feedback
        .kept("identity_mode")
        .unwrap_or_else(|| info.identity_mode.code().to_owned());
    let links = [
        ("web", public.clone()),
        ("social", format!("{public}?ch=social")),
        ("partner", format!("{public}?p=partner-code")),
        ("mobile", format!("{public}?ch=mobile")),
        ("widget", format!("{public}?ch=widget")),
    ];
    view! {
        <Title text=title_with_errors(locale, format!("{} – {title}", t("responses.collect_title")), &feedback)/>
        <p><a href=staff.clone()>{t("responses.back_to_survey")}</a></p>
        <h1>{t("responses.collect_title")} <span class="subtitle">{title}</span></h1>
        <ErrorSummary feedback=feedback.clone()/>
        <p>{locale.t_with("responses.count", &[("n", &info.responses.to_string()), ("contacts", &info.contacts.to_string())])}</p>
        {(!info.open).then(|| view! { <p class="notice">{t("responses.not_open_note")}</p> })}
        <h2>{t("responses.links_title")}</h2>
        <p>{t("responses.links_help")}</p>
        <table class="table">
            <caption class="visually-hidden">{t("responses.links_title")}</caption>
            <thead><tr><th scope="col">{t("responses.channel_label")}</th><th scope="col">{t("responses.link_label")}</th></tr></thead>
            <tbody>
                {links.into_iter().map(|(channel, link)| view! {
                    <tr>
                        <td>{t(&format!("responses.channel.{channel}"))}</td>
                        <td><code dir="ltr">{link}</code></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {info.may_enter.then(|| view! {
            <p><a class="button button-secondary" href=format!("{staff}/enter")>{t("responses.assist_link")}</a></p>
        })}
        {info.may_author.then(|| view! {
            <h2>{t("responses.settings_title")}</h2>
            <form method="post" action=format!("{staff}/collect") novalidate>
                <CsrfField/>
                <TextField name="slug" label=t("responses.slug_label") hint=t("responses.slug_hint")
                    value=info.slug.clone().unwrap_or_default() feedback=feedback.clone()/>
                <fieldset class="field">
                    <legend>{t("responses.identity_label")}</legend>
                    {IdentityMode::ALL.into_iter().map(|m| {
                        let id = format!("identity_mode-{}", m.code());
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="identity_mode" value=m.code() checked=mode == m.code()/>
                                <label for=id>{t(&format!("responses.identity.{}", m.code()))}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button">{t("responses.save_settings")}</button>
            </form>
            <h2>{t("responses.invitations_title")}</h2>
            <p>{t("responses.invitations_help")}</p>
            {revealed.map(|links| view! {
                <div class="notice" role="status">
                    <p>{if mail_queued { t("responses.invitations_mailed") } else { t("responses.invitations_made") }}</p>
                    <pre dir="ltr" class="invitation-links">{links}</pre>
                </div>
            })}
            <form method="post" action=format!("{staff}/invitations") novalidate>
                <CsrfField/>
                <div class="field" class:field-error=feedback.error("emails").is_some()>
                    <label for="field-emails">{t("responses.emails_label")}</label>
                    <p class="hint" id="field-emails-hint">{t("responses.emails_hint")}</p>
                    {feedback.error("emails").map(|key| view! {
                        <p class="error-message" id="field-emails-error">
                            <span class="visually-hidden">{t("form.error_prefix")} " "</span>{t(&key)}
                        </p>
                    })}
                    <textarea id="field-emails" name="emails" rows="6" dir="ltr"
                        aria-describedby=if feedback.error("emails").is_some() { "field-emails-hint field-emails-error" } else { "field-emails-hint" }>
                        {feedback.value("emails")}
                    </textarea>
                </div>
                <button type="submit" class="button">{t("responses.invite_button")}</button>
            </form>
        })}
        {(!info.invitations.is_empty()).then(|| view! {
            <table class="table">
                <caption>{t("responses.invitations_title")}</caption>
                <thead><tr><th scope="col">{t("responses.email_col")}</th><th scope="col">{t("responses.used_col")}</th></tr></thead>
                <tbody>
                    {info.invitations.iter().map(|(email, used)| view! {
                        <tr>
                            <td dir="ltr">{email.clone()}</td>
                            <td>{used.clone().unwrap_or_else(|| t("responses.not_used"))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
    .into_any()
}

/// What the staff-assisted entry page needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssistInfo {
    pub id: Uuid,
    pub open: bool,
    pub definition: Definition,
}

#[leptos::server(endpoint = "responses/assist")]
pub async fn load_assist(id: Uuid) -> Result<Option<AssistInfo>, ServerFnError> {
    use crate::accounts::{Permission, authorize, storage_failure};
    let db = authorize(Permission::CollectResponses)?;
    let Some(survey) = crate::surveys::db::get(&db, id)
        .await
        .map_err(storage_failure("loading a survey for assisted entry"))?
    else {
        return Ok(None);
    };
    Ok(Some(AssistInfo {
        id,
        open: survey.status == crate::surveys::Status::Open,
        definition: survey.definition,
    }))
}

/// `/{lang}/staff/surveys/{id}/enter`: a responder or author types in a response taken by
/// phone, on paper or in person. Every section on one page; the same checks as online.
#[component]
pub fn AssistPage() -> impl IntoView {
    staff_survey_page(load_assist, |info, feedback| {
        view! { <Assist info feedback/> }.into_any()
    })
}

#[component]
fn Assist(info: AssistInfo, feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let staff = format!("/{}/staff/surveys/{}", locale.code(), info.id);
    let saved = feedback.kept("assisted_saved").is_some();
    let title = format!(
        "{} – {}",
        t("responses.assist_title"),
        info.definition.title.get(locale)
    );
    let mode = feedback.kept("mode").unwrap_or_default();
    let posted = feedback.kept("submission").is_some() && !saved;
    let submission = feedback
        .kept("submission")
        .filter(|_| posted)
        .unwrap_or_else(|| Uuid::new_v4().to_string());
    let mode_error = feedback.error("mode");
    let setup = FormSetup {
        action: format!("{staff}/enter"),
        hidden: vec![
            ("csrf".to_owned(), use_page_state().csrf),
            ("submission".to_owned(), submission),
        ],
        page: None,
        first: true,
        last: true,
        back: false,
        progress: None,
        known: Answers::new(),
        values: if posted {
            feedback.values.clone()
        } else {
            Vec::new()
        },
        errors: feedback.answer_errors.clone(),
        form_id: "assist-form".to_owned(),
        definition: info.definition.clone(),
    };
    view! {
        <Title text=title_with_errors(locale, title, &feedback)/>
        <p><a href=format!("{staff}/collect")>{t("responses.back_to_collect")}</a></p>
        <p class="notice">{t("responses.assist_help")}</p>
        {saved.then(|| view! { <p class="notice" role="status">{t("responses.assist_saved")}</p> })}
        {(!info.open).then(|| view! { <p class="notice">{t("responses.not_open_note")}</p> })}
        {mode_error.clone().map(|key| view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="mode-summary-title">
                <h2 id="mode-summary-title">{t("form.problem")}</h2>
                <ul><li><a href="#mode-phone">{t(&key)}</a></li></ul>
            </div>
        })}
        <p class="caption">{t("responses.assist_title")}</p>
        <fieldset class="field" class:field-error=mode_error.is_some()
            aria-describedby=mode_error.as_ref().map(|_| "mode-error")>
            <legend>{t("responses.mode_label")}</legend>
            {mode_error.clone().map(|key| view! {
                <p class="error-message" id="mode-error">
                    <span class="visually-hidden">{t("form.error_prefix")} " "</span>{t(&key)}
                </p>
            })}
            {AssistedMode::ALL.into_iter().map(|m| {
                let id = format!("mode-{}", m.code());
                view! {
                    <div class="choice">
                        <input type="radio" id=id.clone() name="mode" value=m.code() form="assist-form" checked=mode == m.code()/>
                        <label for=id>{t(&m.label_key())}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <ResponseForm setup locale/>
    }
    .into_any()
}
