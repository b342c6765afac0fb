//! Collecting a survey's responses, for staff: the public address, identity mode, links by
//! channel, invitations, and the way to staff-assisted entry.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::page_state::{FormFeedback, use_page_state};
use crate::responses::IdentityMode;
use crate::shell::forms::{CsrfField, ErrorSummary, TextField, textarea_text, title_with_errors};
use crate::shell::use_locale;
use crate::surveys::model::Text;

use super::{form_path, staff_survey_page};

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
    let (slug, identity_mode) = crate::responses::db::collection_settings(&db, id)
        .await
        .map_err(&failed)?
        .unwrap_or_default();
    Ok(Some(CollectInfo {
        id,
        title: survey.definition.title,
        open: survey.status == crate::surveys::Status::Open,
        slug,
        identity_mode,
        responses: crate::responses::db::count(&db, id)
            .await
            .map_err(&failed)?,
        contacts: crate::responses::db::contacts(&db, id)
            .await
            .map_err(&failed)?,
        invitations: crate::responses::db::invitations(&db, id)
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
                {links.into_iter().map(|(channel, link)| {
                    let href = link.clone();
                    view! {
                    <tr>
                        <td>{t(&format!("responses.channel.{channel}"))}</td>
                        <td><a href=href dir="ltr" class="share-link"><code>{link}</code></a></td>
                    </tr>
                    }
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
                        {textarea_text(&feedback.value("emails"))}
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
