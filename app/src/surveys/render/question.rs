//! One question as the form shows it: its label, help and error line around the input of its
//! type (the inputs are in `choices`, `scales` and `texts`), and the built-in stakeholder-group
//! question.

use leptos::prelude::*;

use super::{Filled, choices, is_checked, scales, texts};
use crate::Locale;
use crate::shell::use_locale;
use crate::surveys::StakeholderGroup;
use crate::surveys::conditions::{Answer, Answers, STAKEHOLDER_QUESTION};
use crate::surveys::model::{Kind, Question};

/// The message at a question when it has an error (only in response forms).
pub(super) fn error_line(
    locale: Locale,
    filled: &Option<Filled>,
    key: &str,
    id: String,
) -> impl IntoView + use<> {
    let errors = filled.as_ref().map(|f| f.errors);
    let key = key.to_owned();
    let message = move || {
        errors.and_then(|e| {
            e.with(|list| {
                list.iter()
                    .find(|x| x.question == key)
                    .map(|x| x.message(locale))
            })
        })
    };
    let shown = message.clone();
    view! {
        <p class="error-message" id=id hidden=move || shown().is_none()>
            <span class="visually-hidden">{locale.t("form.error_prefix")} " "</span>
            {message}
        </p>
    }
}

/// The built-in question: which stakeholder group the participant belongs to.
#[component]
pub(super) fn StakeholderQuestion(answers: RwSignal<Answers>) -> impl IntoView {
    let locale = use_locale();
    let filled = use_context::<Filled>();
    let error_id = format!("{STAKEHOLDER_QUESTION}-error");
    let invalid = filled.as_ref().map(|f| f.errors);
    let has_error = move || {
        invalid.is_some_and(|e| e.with(|l| l.iter().any(|x| x.question == STAKEHOLDER_QUESTION)))
    };
    view! {
        <fieldset class="field question" id="question-stakeholder_group" class:field-error=has_error
            aria-describedby=filled.is_some().then(|| error_id.clone())>
            <legend>{locale.t("render.stakeholder_question")} " " <span class="required">{locale.t("render.required")}</span></legend>
            {filled.is_some().then(|| error_line(locale, &filled, STAKEHOLDER_QUESTION, error_id.clone()))}
            {StakeholderGroup::ALL.iter().map(|group| {
                let id = format!("stakeholder_group-{}", group.code());
                let code = group.code();
                view! {
                    <div class="choice">
                        <input type="radio" id=id.clone() name="stakeholder_group" value=code required
                            checked=is_checked(&filled, STAKEHOLDER_QUESTION, code)
                            on:change=move |_| answers.update(|a| { a.insert(STAKEHOLDER_QUESTION.to_owned(), Answer::choice(code)); })/>
                        <label for=id>{locale.t(&group.label_key())}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

pub(super) fn required_mark(locale: Locale, required: bool) -> impl IntoView {
    let key = if required {
        "render.required"
    } else {
        "render.optional"
    };
    view! { <span class="required">{locale.t(key)}</span> }
}

pub(super) fn join_ids(ids: &[Option<String>]) -> Option<String> {
    let joined = ids.iter().flatten().cloned().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// What every question's input is made of: its ids and names, its label, help and error line,
/// whether it is required, the form's answers, and `set`, which records this question's answer
/// as it changes. Built once by [`QuestionInput`]; each question type's input takes it.
pub(super) struct Field<H, E, S> {
    pub(super) locale: Locale,
    pub(super) filled: Option<Filled>,
    pub(super) key: String,
    pub(super) id: String,
    pub(super) name: String,
    pub(super) text: String,
    pub(super) required: bool,
    pub(super) help: Option<H>,
    pub(super) error: Option<E>,
    pub(super) described: Option<String>,
    pub(super) has_error: Signal<bool>,
    pub(super) answers: RwSignal<Answers>,
    pub(super) set: S,
}

/// One question's label, help, error and input, by type.
#[component]
pub(super) fn QuestionInput(question: Question, answers: RwSignal<Answers>) -> impl IntoView {
    let locale = use_locale();
    let filled = use_context::<Filled>();
    let key = question.key.clone();
    let name = format!("q.{key}");
    let id = format!("q-{key}");
    let help_id = format!("{id}-help");
    let help = (!question.help.is_empty()).then(|| {
        view! { <p class="hint" id=help_id.clone()>{question.help.get(locale).to_owned()}</p> }
    });
    let error_id = filled.is_some().then(|| format!("{id}-error"));
    let error = error_id
        .clone()
        .map(|error_id| error_line(locale, &filled, &key, error_id));
    let described = join_ids(&[
        (!question.help.is_empty()).then(|| help_id.clone()),
        error_id.clone(),
    ]);
    let errors = filled.as_ref().map(|f| f.errors);
    let error_key = key.clone();
    let has_error = Signal::derive(move || {
        errors.is_some_and(|e| e.with(|l| l.iter().any(|x| x.question == error_key)))
    });
    let text = question.text.get(locale).to_owned();
    let required = question.required;
    let set = move |answer: Option<Answer>| {
        let key = key.clone();
        answers.update(move |a| {
            match answer {
                Some(answer) => a.insert(key, answer),
                None => a.remove(&key),
            };
        });
    };
    let field = Field {
        locale,
        filled,
        key: question.key.clone(),
        id,
        name,
        text,
        required,
        help,
        error,
        described,
        has_error,
        answers,
        set,
    };
    match question.kind {
        Kind::SingleChoice { choices, other } => choices::single_choice(field, choices, other),
        Kind::MultipleChoice {
            choices,
            other,
            min,
            max,
        } => choices::multiple_choice(field, choices, other, min, max),
        Kind::Dropdown { choices, other } => choices::dropdown(field, choices, other),
        Kind::YesNo => choices::yes_no(field),
        Kind::Rating {
            min,
            max,
            min_label,
            max_label,
        } => scales::rating(field, min, max, min_label, max_label),
        Kind::Nps => scales::nps(field),
        Kind::Matrix { rows, scale } => scales::matrix(field, rows, scale),
        Kind::Ranking { choices } => choices::ranking(field, choices),
        Kind::ShortText { max_length } => texts::short_text(field, max_length),
        Kind::LongText { max_length } => texts::long_text(field, max_length),
        Kind::Number { decimal, min, max } => texts::number(field, decimal, min, max),
        Kind::Date => texts::date(field),
        Kind::Email | Kind::Phone => texts::contact(field, matches!(question.kind, Kind::Email)),
    }
}
