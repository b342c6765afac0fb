//! A question's page: wording, help, whether it is required, and its type's settings (choice
//! tables, ranges, lengths).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::question_form::{self as form, ChoiceTable};
use super::show_if::RuleRows;
use super::{EditorData, TextArea, can_edit, survey_resource};
use crate::page_state::{FormFeedback, use_page_state};
use crate::shell::forms::{CsrfField, ErrorSummary, TextField, title_with_errors};
use crate::shell::use_locale;
use crate::surveys::lifecycle::Status;
use crate::surveys::model::{Choice, Kind, Question};

/// A question's page: wording, help, whether it is required, its type's settings and when it
/// is shown.
#[component]
pub fn QuestionPage() -> impl IntoView {
    let locale = use_locale();
    let key = use_params_map().with_untracked(|p| p.get("key").unwrap_or_default());
    let data = survey_resource();
    let t = move |key: &str| locale.t(key);
    view! {
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || data.get().map(|result| match result {
                Ok(Some(data)) => match data.survey.definition.question(&key).cloned() {
                    Some(question) => view! { <QuestionEditor data question/> }.into_any(),
                    None => view! { <crate::shell::NotFound/> }.into_any(),
                },
                Ok(None) => view! { <crate::shell::NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("surveys.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
}

/// How many empty rows choice tables offer for new choices.
pub const BLANK_CHOICES: usize = 3;
/// How many show-if rules the question form offers.
pub const RULE_ROWS: usize = 3;

#[component]
fn QuestionEditor(data: EditorData, question: Question) -> impl IntoView {
    let locale = use_locale();
    let feedback = use_page_state().feedback;
    let t = move |key: &str| locale.t(key);
    let survey = data.survey;
    let survey_base = format!("/{}/staff/surveys/{}", locale.code(), survey.id);
    let action = format!("{survey_base}/questions/{}", question.key);
    let title = locale.t_with(
        "surveys.edit_question",
        &[(
            "kind",
            &t(&format!("surveys.kind.{}", question.kind.code())),
        )],
    );
    let editable = can_edit() && survey.status != Status::Archived;
    // Questions before this one: what its rules may refer to.
    let earlier: Vec<Question> = survey
        .definition
        .questions()
        .map(|(_, q)| q.clone())
        .take_while(|q| q.key != question.key)
        .collect();
    let required = feedback
        .kept(form::VERSION)
        .map(|_| feedback.kept(form::REQUIRED).is_some())
        .unwrap_or(question.required);
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <p><a href=survey_base.clone()>{t("surveys.back_to_survey")}</a></p>
        <h1>{title}</h1>
        {survey.has_responses.then(|| view! { <p class="notice" role="note">{t("surveys.answered_note")}</p> })}
        <form method="post" action=action novalidate>
            <CsrfField/>
            <input type="hidden" name=form::VERSION value=survey.seen().to_string()/>
            <TextArea name=form::TEXT_AR label=t("surveys.question_ar") value=question.text.ar.clone() feedback=feedback.clone()/>
            <TextArea name=form::TEXT_EN label=t("surveys.question_en") value=question.text.en.clone() feedback=feedback.clone()/>
            <TextField name=form::HELP_AR label=t("surveys.help_ar") value=question.help.ar.clone() feedback=feedback.clone()/>
            <TextField name=form::HELP_EN label=t("surveys.help_en") value=question.help.en.clone() feedback=feedback.clone()/>
            <div class="field choice">
                <input type="checkbox" id="field-required" name=form::REQUIRED value="1" checked=required/>
                <label for="field-required">{t("surveys.required")}</label>
            </div>
            <KindSettings kind=question.kind.clone() feedback=feedback.clone()/>
            <RuleRows earlier show_if=question.show_if.clone() feedback=feedback.clone()/>
            {editable.then(|| view! { <button type="submit" class="button">{t("surveys.save")}</button> })}
        </form>
    }
    .into_any()
}

/// A table of choices (key hidden, a label per language) with blank rows to add more; a
/// choice whose labels are both cleared is removed.
#[component]
fn ChoiceRows(
    table: ChoiceTable,
    legend: String,
    choices: Vec<Choice>,
    feedback: FormFeedback,
) -> impl IntoView {
    let locale = use_locale();
    let posted = feedback.kept(form::VERSION).is_some();
    let column = |field: &str| -> Vec<String> {
        feedback
            .values
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let rows: Vec<(String, String, String)> = if posted {
        let (keys, ar, en) = (
            column(&table.key()),
            column(&table.ar()),
            column(&table.en()),
        );
        keys.into_iter()
            .zip(ar)
            .zip(en)
            .map(|((k, a), e)| (k, a, e))
            .collect()
    } else {
        choices
            .into_iter()
            .map(|c| (c.key, c.label.ar, c.label.en))
            .chain((0..BLANK_CHOICES).map(|_| Default::default()))
            .collect()
    };
    view! {
        <fieldset class="field">
            <legend>{legend}</legend>
            <p class="hint">{locale.t("surveys.choices_hint")}</p>
            <table class="table choice-table">
                <thead><tr>
                    <th scope="col">"#"</th>
                    <th scope="col">{locale.t("surveys.label_ar")}</th>
                    <th scope="col">{locale.t("surveys.label_en")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().enumerate().map(|(i, (key, ar, en))| {
                        let n = (i + 1).to_string();
                        let ar_label = locale.t_with("surveys.choice_ar_n", &[("n", &n)]);
                        let en_label = locale.t_with("surveys.choice_en_n", &[("n", &n)]);
                        // An example, shown only while the label is empty; never saved.
                        let example = crate::surveys::model::example_label(table.name, i);
                        let (ar_example, en_example) = example.map(|e| (e.ar, e.en)).unzip();
                        view! {
                            <tr>
                                <td>{n.clone()}<input type="hidden" name=table.key() value=key/></td>
                                <td><input type="text" name=table.ar() value=ar aria-label=ar_label dir="rtl" lang="ar" placeholder=ar_example/></td>
                                <td><input type="text" name=table.en() value=en aria-label=en_label dir="ltr" lang="en" placeholder=en_example/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </fieldset>
    }
    .into_any()
}

#[component]
fn KindSettings(kind: Kind, feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let example = |end: &str| crate::surveys::model::example_label(end, 0).unwrap_or_default();
    let t = move |key: &str| locale.t(key);
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let other_box = |other: bool| {
        let checked = feedback
            .kept(form::VERSION)
            .map(|_| feedback.kept(form::OTHER).is_some())
            .unwrap_or(other);
        view! {
            <div class="field choice">
                <input type="checkbox" id="field-other" name=form::OTHER value="1" checked=checked/>
                <label for="field-other">{t("surveys.offer_other")}</label>
            </div>
        }
    };
    match kind {
        Kind::SingleChoice { choices, other } | Kind::Dropdown { choices, other } => view! {
            <ChoiceRows table=form::CHOICES legend=t("surveys.choices") choices feedback=feedback.clone()/>
            {other_box(other)}
        }
        .into_any(),
        Kind::MultipleChoice { choices, other, min, max } => view! {
            <ChoiceRows table=form::CHOICES legend=t("surveys.choices") choices feedback=feedback.clone()/>
            {other_box(other)}
            <div class="field-row">
                <TextField name=form::MIN label=t("surveys.min_choices") value=min.map(|m| m.to_string()).unwrap_or_default() feedback=feedback.clone()/>
                <TextField name=form::MAX label=t("surveys.max_choices") value=max.map(|m| m.to_string()).unwrap_or_default() feedback=feedback.clone()/>
            </div>
        }
        .into_any(),
        Kind::Ranking { choices } => view! {
            <ChoiceRows table=form::CHOICES legend=t("surveys.choices") choices feedback=feedback.clone()/>
        }
        .into_any(),
        Kind::Matrix { rows, scale } => view! {
            <ChoiceRows table=form::ROWS legend=t("surveys.matrix_rows") choices=rows feedback=feedback.clone()/>
            <ChoiceRows table=form::POINTS legend=t("surveys.matrix_scale") choices=scale feedback=feedback.clone()/>
        }
        .into_any(),
        Kind::Rating { min, max, min_label, max_label } => view! {
            <div class="field-row">
                <TextField name=form::SCALE_MIN label=t("surveys.scale_min") value=min.to_string() feedback=feedback.clone()/>
                <TextField name=form::SCALE_MAX label=t("surveys.scale_max") value=max.to_string() feedback=feedback.clone()/>
            </div>
            <TextField name=form::MIN_LABEL_AR label=t("surveys.min_label_ar") value=min_label.ar lang=crate::Locale::Ar
                placeholder=example("min").ar feedback=feedback.clone()/>
            <TextField name=form::MIN_LABEL_EN label=t("surveys.min_label_en") value=min_label.en lang=crate::Locale::En
                placeholder=example("min").en feedback=feedback.clone()/>
            <TextField name=form::MAX_LABEL_AR label=t("surveys.max_label_ar") value=max_label.ar lang=crate::Locale::Ar
                placeholder=example("max").ar feedback=feedback.clone()/>
            <TextField name=form::MAX_LABEL_EN label=t("surveys.max_label_en") value=max_label.en lang=crate::Locale::En
                placeholder=example("max").en feedback=feedback.clone()/>
        }
        .into_any(),
        Kind::ShortText { max_length } => view! {
            <TextField name=form::MAX_LENGTH label=t("surveys.max_length") value=max_length.map(|m| m.to_string()).unwrap_or_default() feedback=feedback.clone()/>
        }
        .into_any(),
        Kind::LongText { max_length } => view! {
            <TextField name=form::MAX_LENGTH label=t("surveys.max_length") value=max_length.to_string() feedback=feedback.clone()/>
        }
        .into_any(),
        Kind::Number { decimal, min, max } => {
            let checked = feedback.kept(form::VERSION).map(|_| feedback.kept(form::DECIMAL).is_some()).unwrap_or(decimal);
            view! {
                <div class="field choice">
                    <input type="checkbox" id="field-decimal" name=form::DECIMAL value="1" checked=checked/>
                    <label for="field-decimal">{t("surveys.decimal")}</label>
                </div>
                <div class="field-row">
                    <TextField name=form::MIN label=t("surveys.number_min") value=number(min) feedback=feedback.clone()/>
                    <TextField name=form::MAX label=t("surveys.number_max") value=number(max) feedback=feedback.clone()/>
                </div>
            }
            .into_any()
        }
        Kind::YesNo | Kind::Nps | Kind::Date | Kind::Email | Kind::Phone => {
            view! { <p class="hint">{t("surveys.no_settings")}</p> }.into_any()
        }
    }
}
