//! Staff-assisted entry: a response taken by phone, on paper or in person, typed in by staff.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::page_state::{FormFeedback, use_page_state};
use crate::responses::AssistedMode;
use crate::shell::forms::title_with_errors;
use crate::shell::use_locale;
use crate::surveys::conditions::Answers;
use crate::surveys::model::Definition;
use crate::surveys::render::{FormSetup, ResponseForm};

use super::staff_survey_page;

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

/// An open survey staff may type responses into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enterable {
    pub id: Uuid,
    pub title_ar: String,
    pub title_en: String,
}

/// The open surveys, for the staff who type in responses taken by phone, on paper or in person.
#[leptos::server(endpoint = "responses/enterable")]
pub async fn enterable_surveys() -> Result<Vec<Enterable>, ServerFnError> {
    use crate::accounts::{Permission, authorize, storage_failure};
    let db = authorize(Permission::CollectResponses)?;
    let surveys = crate::surveys::db::list(&db)
        .await
        .map_err(storage_failure("listing surveys to enter responses into"))?;
    Ok(surveys
        .into_iter()
        .filter(|s| s.status == crate::surveys::Status::Open)
        .map(|s| Enterable {
            id: s.id,
            title_ar: s.title_ar,
            title_en: s.title_en,
        })
        .collect())
}

/// `/{lang}/staff/enter`: where responders find the open surveys to type responses into.
#[component]
pub fn EnterListPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let surveys = Resource::new(|| (), |_| enterable_surveys());
    let title = t("responses.enter_list_title");
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p>{t("responses.enter_list_lead")}</p>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || surveys.get().map(|result| match result {
                Ok(surveys) if surveys.is_empty() => view! { <p>{t("responses.enter_list_none")}</p> }.into_any(),
                Ok(surveys) => view! {
                    <ul class="case-list">
                        {surveys.into_iter().map(|s| {
                            let title = match locale {
                                crate::Locale::Ar if !s.title_ar.is_empty() => s.title_ar.clone(),
                                _ if !s.title_en.is_empty() => s.title_en.clone(),
                                _ => s.title_ar.clone(),
                            };
                            view! { <li><a href=format!("/{}/staff/surveys/{}/enter", locale.code(), s.id)>{title}</a></li> }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(_) => view! { <p class="error-message">{t("responses.enter_list_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}
