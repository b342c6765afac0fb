//! The survey's details and schedule form: titles, descriptions, languages, dates, recurrence,
//! and its entry in the opportunities catalogue.

use leptos::prelude::*;

use super::list::LanguagesChoice;
use super::{EditorData, date_value};
use crate::page_state::FormFeedback;
use crate::shell::forms::{CsrfField, TextArea, TextField};
use crate::shell::use_locale;
use crate::surveys::StakeholderGroup;
use crate::surveys::lifecycle::Recurrence;

#[component]
pub(super) fn DetailsForm(data: EditorData, base: String, feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let survey = data.survey;
    let seen = survey.seen().to_string();
    let definition = survey.definition;
    let kept = |field: &str, stored: String| feedback.kept(field).unwrap_or(stored);
    let recurrence = kept(
        "recurrence",
        survey
            .recurrence
            .map(|r| r.code().to_owned())
            .unwrap_or_default(),
    );
    let topic = kept("topic", data.topic.clone());
    let groups: Vec<String> = if feedback.kept("version").is_some() {
        feedback
            .values
            .iter()
            .filter(|(f, _)| f == "groups")
            .map(|(_, v)| v.clone())
            .collect()
    } else {
        data.groups.clone()
    };
    let languages = kept("languages", definition.languages.code().to_owned());
    view! {
        <section class="card" aria-labelledby="details-title">
            <h2 id="details-title">{t("surveys.details")}</h2>
            <form method="post" action=format!("{base}/details") novalidate>
                <CsrfField/>
                <input type="hidden" name="version" value=seen.clone()/>
                <TextField name="title_ar" label=t("surveys.title_ar") value=definition.title.ar.clone() feedback=feedback.clone()/>
                <TextField name="title_en" label=t("surveys.title_en") value=definition.title.en.clone() feedback=feedback.clone()/>
                <TextArea name="description_ar" label=t("surveys.description_ar") value=definition.description.ar.clone() feedback=feedback.clone()/>
                <TextArea name="description_en" label=t("surveys.description_en") value=definition.description.en.clone() feedback=feedback.clone()/>
                <LanguagesChoice chosen=languages/>
                <div class="field-row">
                    <TextField name="opens_at" kind="date" label=t("surveys.opens") value=date_value(survey.opens_at) feedback=feedback.clone()/>
                    <TextField name="closes_at" kind="date" label=t("surveys.closes") value=date_value(survey.closes_at) feedback=feedback.clone()/>
                </div>
                <div class="field">
                    <label for="field-recurrence">{t("surveys.recurrence")}</label>
                    <p class="hint" id="field-recurrence-hint">{t("surveys.recurrence_hint")}</p>
                    <select id="field-recurrence" name="recurrence" aria-describedby="field-recurrence-hint">
                        <option value="" selected=recurrence.is_empty()>{t("surveys.recurrence_none")}</option>
                        {Recurrence::ALL.iter().map(|r| view! {
                            <option value=r.code() selected=recurrence == r.code()>{locale.t(&format!("surveys.recurrence_{}", r.code()))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <TextField name="wave_days" label=t("surveys.wave_days") hint=t("surveys.wave_days_hint")
                    value=survey.wave_days.map(|d| d.to_string()).unwrap_or_default() feedback=feedback.clone()/>
                <div class="field">
                    <label for="field-topic">{t("surveys.topic")}</label>
                    <select id="field-topic" name="topic">
                        {crate::opportunities::TOPICS.iter().map(|code| view! {
                            <option value=*code selected=topic == *code>{locale.t(&crate::opportunities::topic_label_key(code))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <fieldset class="field">
                    <legend>{t("surveys.target_groups")}</legend>
                    <p class="hint">{t("surveys.target_groups_hint")}</p>
                    {StakeholderGroup::ALL.iter().map(|group| {
                        let id = format!("group-{}", group.code());
                        view! {
                            <div class="choice">
                                <input type="checkbox" id=id.clone() name="groups" value=group.code()
                                    checked=groups.iter().any(|g| g == group.code())/>
                                <label for=id>{locale.t(&group.label_key())}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button">{t("surveys.save")}</button>
            </form>
        </section>
    }
    .into_any()
}
