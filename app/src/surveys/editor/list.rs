//! The staff list of surveys, with the forms to create one and to import a file.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{can_edit, date_value, list_surveys};
use crate::page_state::use_page_state;
use crate::shell::forms::{CsrfField, ErrorSummary, TextField, textarea_text, title_with_errors};
use crate::shell::use_locale;
use crate::surveys::SurveySummary;
use crate::surveys::model::Languages;

#[component]
pub fn SurveysPage() -> impl IntoView {
    let locale = use_locale();
    let feedback = use_page_state().feedback;
    let surveys = Resource::new(|| (), |_| list_surveys());
    let t = move |key: &str| locale.t(key);
    let title = t("surveys.title");
    let base = format!("/{}/staff/surveys", locale.code());
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <h1>{title}</h1>
        <p>{t("surveys.lead")}</p>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || surveys.get().map(|result| match result {
                Ok(list) if list.is_empty() => view! { <p>{t("surveys.none")}</p> }.into_any(),
                Ok(list) => view! { <SurveyTable surveys=list/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("surveys.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
        {can_edit().then(|| view! {
            <h2 id="new-survey">{t("surveys.add_title")}</h2>
            <form method="post" action=base.clone() novalidate class="narrow">
                <CsrfField/>
                <TextField name="title_ar" label=t("surveys.title_ar") required=true feedback=feedback.clone()/>
                <TextField name="title_en" label=t("surveys.title_en") required=true feedback=feedback.clone()/>
                <LanguagesChoice chosen=feedback.kept("languages").unwrap_or_else(|| "both".into())/>
                <button type="submit" class="button">{t("surveys.add_submit")}</button>
            </form>
            <h2 id="import-survey">{t("surveys.import_title")}</h2>
            <form method="post" action=format!("{base}/import") novalidate class="narrow">
                <CsrfField/>
                <div class="field">
                    <label for="field-json">{t("surveys.import_label")}</label>
                    <p class="hint" id="field-json-hint">{t("surveys.import_hint")}</p>
                    <textarea id="field-json" name="json" rows="8" dir="ltr" aria-describedby="field-json-hint"
                        spellcheck="false">{textarea_text(&feedback.value("json"))}</textarea>
                </div>
                <button type="submit" class="button button-secondary">{t("surveys.import_submit")}</button>
            </form>
        })}
    }
}

#[component]
pub(super) fn LanguagesChoice(chosen: String) -> impl IntoView {
    let locale = use_locale();
    view! {
        <fieldset class="field">
            <legend>{locale.t("surveys.languages")}</legend>
            {Languages::ALL.iter().map(|languages| {
                let id = format!("languages-{}", languages.code());
                view! {
                    <div class="choice">
                        <input type="radio" id=id.clone() name="languages" value=languages.code()
                            checked=chosen == languages.code()/>
                        <label for=id>{locale.t(&format!("surveys.languages_{}", languages.code()))}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

#[component]
fn SurveyTable(surveys: Vec<SurveySummary>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    view! {
        <table class="table">
            <caption class="visually-hidden">{t("surveys.title")}</caption>
            <thead>
                <tr>
                    <th scope="col">{t("surveys.name")}</th>
                    <th scope="col">{t("surveys.status_heading")}</th>
                    <th scope="col">{t("surveys.opens")}</th>
                    <th scope="col">{t("surveys.closes")}</th>
                    <th scope="col">{t("surveys.questions")}</th>
                    <th scope="col">{t("surveys.responses")}</th>
                </tr>
            </thead>
            <tbody>
                {surveys.into_iter().map(|survey| {
                    let title = match locale {
                        crate::Locale::Ar if !survey.title_ar.is_empty() => survey.title_ar.clone(),
                        _ if !survey.title_en.is_empty() => survey.title_en.clone(),
                        _ => survey.title_ar.clone(),
                    };
                    let title_for_label = title.clone();
                    let periodic = survey.recurrence.map(|r| locale.t(&format!("surveys.recurrence_{}", r.code())));
                    view! {
                        <tr>
                            <td>
                                <a href=format!("/{}/staff/surveys/{}", locale.code(), survey.id)>{title}</a>
                                {periodic.map(|p| view! { " " <span class="tag">{p}</span> })}
                            </td>
                            <td><span class=format!("status status-{}", survey.status.code())>{t(&survey.status.label_key())}</span></td>
                            <td dir="ltr">{date_value(survey.opens_at)}</td>
                            <td dir="ltr">{date_value(survey.closes_at)}</td>
                            <td>{survey.questions}</td>
                            <td>
                                <a href=format!("/{}/staff/surveys/{}/results", locale.code(), survey.id)>
                                    {survey.responses.to_string()}
                                    <span class="visually-hidden">" — " {locale.t_with("surveys.results_of", &[("title", &title_for_label)])}</span>
                                </a>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
