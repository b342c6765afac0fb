//! The thank-you page after submitting: what happens next, and an address to hear back.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::page_state::{FormFeedback, use_page_state};
use crate::shell::forms::{ErrorSummary, TextField, title_with_errors};
use crate::shell::{NotFound, use_locale};
use crate::surveys::model::Text;

use super::form_path;

/// What the thank-you page says about a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThanksInfo {
    pub title: Text,
    pub key: String,
    pub opportunity: Option<Uuid>,
    /// How many days an address left to hear back is kept at most.
    pub keep_days: u32,
}

/// Public.
#[leptos::server(endpoint = "responses/thanks")]
pub async fn load_thanks(key: String) -> Result<Option<ThanksInfo>, ServerFnError> {
    use crate::accounts::storage_failure;
    let db = use_context::<crate::store::Db>().ok_or_else(|| ServerFnError::new("no database"))?;
    let failed = storage_failure("loading a thank-you page");
    let Some(survey) = crate::responses::db::public_survey(&db, &key, chrono::Utc::now())
        .await
        .map_err(&failed)?
    else {
        return Ok(None);
    };
    let opportunity = crate::responses::db::opportunity_of(&db, survey.id)
        .await
        .map_err(&failed)?;
    let keep_days = crate::outcomes::retention::days(&db)
        .await
        .map_err(&failed)?;
    Ok(Some(ThanksInfo {
        title: survey.definition.title,
        key: survey.key,
        opportunity,
        keep_days,
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
        <p><a href=crate::outcomes::list_path(locale)>{t("responses.all_outcomes_link")}</a></p>
        <h2>{t("responses.contact_title")}</h2>
        {if saved {
            view! { <p class="notice" role="status">{t("responses.contact_saved")}</p> }.into_any()
        } else {
            view! {
                <p>{locale.t_with("responses.contact_help", &[("days", &info.keep_days.to_string())])}</p>
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
