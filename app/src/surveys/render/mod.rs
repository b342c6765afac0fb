//! Renders a survey as the participant's form: every question type, the built-in stakeholder
//! group question, sections, and live show-if rules. Used by the staff preview ([`SurveyForm`])
//! and by the participant's form ([`ResponseForm`]: one section per page, errors, prefill).
//!
//! Without JavaScript every question is shown (a note says when it applies); with it, the
//! rules in `conditions` hide what does not apply as answers change. Names of form fields:
//! `stakeholder_group`, `q.<key>` (and `q.<key>.other`, `q.<key>.<row>` for matrix rows,
//! `q.<key>.rank.<choice>` for ranking).
//!
//! The files: this one holds the survey form (`SurveyForm`), its sections and the form's setup;
//! `response_form` the participant's form; `question` one question (label, help, error) and
//! the stakeholder-group question; `choices`, `scales` and `texts` the inputs of each question
//! type; `describe` a show-if rule in words.

mod choices;
mod describe;
mod question;
mod response_form;
mod scales;
mod texts;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::conditions::{Answers, visibility};
use super::model::Definition;
use crate::Locale;
use crate::responses::check::{AnswerError, Scope};
use crate::shell::use_locale;

pub use describe::describe;
use question::{QuestionInput, StakeholderQuestion};
pub use response_form::ResponseForm;

/// The survey's form. `preview` shows a notice and no submit button. An island: the one part
/// of the page that runs in the browser, to apply the show-if rules live.
#[island]
pub fn SurveyForm(definition: Definition, preview: bool, locale: Locale) -> impl IntoView {
    // Islands do not see the page's context in the browser: the locale comes as a prop.
    provide_context(locale);
    let answers = RwSignal::new(Answers::new());
    let shared = StoredValue::new(definition.clone());
    view! {
        <div class="survey-form">
            {preview.then(|| view! { <p class="notice" role="note">{locale.t("render.preview_notice")}</p> })}
            <Intro definition=definition.clone()/>
            <StakeholderQuestion answers/>
            <Sections definition shared answers page=None/>
        </div>
    }
    .into_any()
}

#[component]
fn Intro(definition: Definition) -> impl IntoView {
    let locale = use_locale();
    view! {
        <h1>{definition.title.get(locale).to_owned()}</h1>
        {(!definition.description.is_empty()).then(|| view! {
            <p class="lead">{definition.description.get(locale).to_owned()}</p>
        })}
        <p class="hint">{locale.t("render.required_note")}</p>
    }
}

/// The sections of a form (all of them, or the one on this page), each question hidden live
/// when its rules do not hold.
#[component]
fn Sections(
    definition: Definition,
    shared: StoredValue<Definition>,
    answers: RwSignal<Answers>,
    page: Option<usize>,
) -> impl IntoView {
    let locale = use_locale();
    // Rules apply only once the page is live; without JavaScript everything shows.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let seen = Memo::new(move |_| shared.with_value(|d| visibility(d, &answers.get())));
    definition
        .sections
        .into_iter()
        .enumerate()
        .filter(|(index, _)| page.is_none_or(|p| p == *index))
        .map(|(index, section)| {
            let heading = format!("section-{}", section.key);
            let labelled = heading.clone();
            let note = section.show_if.as_ref().map(|c| describe(c, &shared.get_value(), locale));
            view! {
                <section class="survey-section" aria-labelledby=labelled
                    hidden=move || live.get() && !seen.with(|s| s.sections.contains(&index))>
                    <h2 id=heading>{if section.title.is_empty() {
                        locale.t_with("render.section_n", &[("n", &(index + 1).to_string())])
                    } else {
                        section.title.get(locale).to_owned()
                    }}</h2>
                    {note.map(|note| view! { <p class="condition-note">{note}</p> })}
                    {(!section.description.is_empty()).then(|| view! { <p>{section.description.get(locale).to_owned()}</p> })}
                    {section.questions.into_iter().map(|question| {
                        let key = question.key.clone();
                        let note = question.show_if.as_ref().map(|c| describe(c, &shared.get_value(), locale));
                        view! {
                            <div class="question" id=format!("question-{key}")
                                hidden=move || live.get() && !seen.with(|s| s.questions.contains(&key))>
                                {note.map(|note| view! { <p class="condition-note">{note}</p> })}
                                <QuestionInput question answers/>
                            </div>
                        }
                    }).collect_view()}
                </section>
            }
        })
        .collect_view()
        .into_any()
}

/// How a response form is set up: where it posts, what it carries, which page it shows, and
/// what the participant has typed or saved so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormSetup {
    pub definition: Definition,
    pub action: String,
    /// Hidden fields: the submission id, the page, the channel and its detail, an invitation.
    pub hidden: Vec<(String, String)>,
    /// The section on this page; `None`: every section on one page (staff-assisted entry).
    pub page: Option<usize>,
    /// This page asks the stakeholder group.
    pub first: bool,
    /// This page ends the survey: its button submits.
    pub last: bool,
    /// This page has a page before it.
    pub back: bool,
    /// (this page's number, how many pages), counting the pages that apply so far.
    pub progress: Option<(usize, usize)>,
    /// Answers given on other pages (the rules may depend on them).
    pub known: Answers,
    /// This page's fields, as typed or as saved.
    pub values: Vec<(String, String)>,
    pub errors: Vec<AnswerError>,
    /// The id of a form outside the island whose controls post with this one (assisted entry).
    pub form_id: String,
}

impl FormSetup {
    pub fn scope(&self) -> Scope {
        match self.page {
            Some(index) => Scope::Section {
                index,
                first: self.first,
            },
            None => Scope::All,
        }
    }
}

/// What a response form's inputs are filled with, and the errors to show at them.
#[derive(Clone)]
struct Filled {
    values: std::sync::Arc<Vec<(String, String)>>,
    errors: RwSignal<Vec<AnswerError>>,
}

impl Filled {
    fn value(&self, name: &str) -> Option<String> {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    fn has(&self, name: &str, value: &str) -> bool {
        self.values.iter().any(|(n, v)| n == name && v == value)
    }
}

fn value_of(filled: &Option<Filled>, name: &str) -> Option<String> {
    filled.as_ref().and_then(|f| f.value(name))
}

fn is_checked(filled: &Option<Filled>, name: &str, value: &str) -> bool {
    filled.as_ref().is_some_and(|f| f.has(name, value))
}
