//! The inputs of the choice types: single and multiple choice, dropdown, yes/no, ranking; the
//! "other, please specify" text.

use leptos::prelude::*;

use super::question::{Field, join_ids, required_mark};
use super::{Filled, is_checked, value_of};
use crate::Locale;
use crate::surveys::conditions::{Answer, Answers};
use crate::surveys::model::{Choice, OTHER};

/// Radio buttons, one per choice (and "other" with its text).
pub(super) fn single_choice<H, E, S>(
    field: Field<H, E, S>,
    choices: Vec<Choice>,
    other: bool,
) -> AnyView
where
    H: IntoView + 'static,
    E: IntoView + 'static,
    S: Fn(Option<Answer>) + Clone + 'static,
{
    let Field {
        locale,
        filled,
        id,
        name,
        text,
        required,
        help,
        error,
        described,
        has_error,
        set,
        ..
    } = field;
    let options = with_other(&choices, other);
    view! {
        <fieldset class="field" class:field-error=has_error aria-describedby=described>
            <legend>{text} " " {required_mark(locale, required)}</legend>
            {help}
            {error}
            {options.into_iter().map(|choice| {
                let option_id = format!("{id}-{}", choice.key);
                let value = choice.key.clone();
                let set = set.clone();
                view! {
                    <div class="choice">
                        <input type="radio" id=option_id.clone() name=name.clone() value=choice.key.clone() required=required
                            checked=is_checked(&filled, &name, &choice.key)
                            on:change=move |_| set(Some(Answer::choice(&value)))/>
                        <label for=option_id>{choice.label.get(locale).to_owned()}</label>
                    </div>
                }
            }).collect_view()}
            {other.then(|| other_input(locale, &filled, &name, &id))}
        </fieldset>
    }
    .into_any()
}

/// Checkboxes, with how many to choose.
pub(super) fn multiple_choice<H, E, S>(
    field: Field<H, E, S>,
    choices: Vec<Choice>,
    other: bool,
    min: Option<u32>,
    max: Option<u32>,
) -> AnyView
where
    H: IntoView + 'static,
    E: IntoView + 'static,
    S: Fn(Option<Answer>) + Clone + 'static,
{
    let Field {
        locale,
        filled,
        key,
        id,
        name,
        text,
        required,
        help,
        error,
        described,
        has_error,
        answers,
        ..
    } = field;
    let options = with_other(&choices, other);
    let limits = match (min, max) {
        (Some(min), Some(max)) => Some(locale.t_with(
            "render.choose_between",
            &[("min", &min.to_string()), ("max", &max.to_string())],
        )),
        (Some(min), None) => {
            Some(locale.t_with("render.choose_at_least", &[("min", &min.to_string())]))
        }
        (None, Some(max)) => {
            Some(locale.t_with("render.choose_at_most", &[("max", &max.to_string())]))
        }
        (None, None) => None,
    };
    let limits_id = format!("{id}-limits");
    let described = join_ids(&[described, limits.as_ref().map(|_| limits_id.clone())]);
    view! {
        <fieldset class="field" class:field-error=has_error aria-describedby=described>
            <legend>{text} " " {required_mark(locale, required)}</legend>
            {help}
            {limits.map(|limits| view! { <p class="hint" id=limits_id>{limits}</p> })}
            {error}
            {options.into_iter().map(|choice| {
                let option_id = format!("{id}-{}", choice.key);
                let value = choice.key.clone();
                let question_key = key.clone();
                view! {
                    <div class="choice">
                        <input type="checkbox" id=option_id.clone() name=name.clone() value=choice.key.clone()
                            checked=is_checked(&filled, &name, &choice.key)
                            on:change=move |ev| {
                                let checked = event_target_checked(&ev);
                                let value = value.clone();
                                let question_key = question_key.clone();
                                answers.update(move |a| toggle(a, question_key, value, checked));
                            }/>
                        <label for=option_id>{choice.label.get(locale).to_owned()}</label>
                    </div>
                }
            }).collect_view()}
            {other.then(|| other_input(locale, &filled, &name, &id))}
        </fieldset>
    }
    .into_any()
}

/// A select list.
pub(super) fn dropdown<H, E, S>(field: Field<H, E, S>, choices: Vec<Choice>, other: bool) -> AnyView
where
    H: IntoView + 'static,
    E: IntoView + 'static,
    S: Fn(Option<Answer>) + Clone + 'static,
{
    let Field {
        locale,
        filled,
        id,
        name,
        text,
        required,
        help,
        error,
        described,
        has_error,
        set,
        ..
    } = field;
    let invalid = move || has_error.get().then_some("true");
    let options = with_other(&choices, other);
    let chosen = value_of(&filled, &name);
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
            {help}
            {error}
            <select id=id.clone() name=name.clone() required=required aria-describedby=described aria-invalid=invalid
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    set((!value.is_empty()).then(|| Answer::choice(&value)));
                }>
                <option value="">{locale.t("render.select_one")}</option>
                {options.into_iter().map(|choice| {
                    let selected = chosen.as_deref() == Some(choice.key.as_str());
                    view! { <option value=choice.key.clone() selected=selected>{choice.label.get(locale).to_owned()}</option> }
                }).collect_view()}
            </select>
            {other.then(|| other_input(locale, &filled, &name, &id))}
        </div>
    }
    .into_any()
}

/// Two radio buttons side by side.
pub(super) fn yes_no<H, E, S>(field: Field<H, E, S>) -> AnyView
where
    H: IntoView + 'static,
    E: IntoView + 'static,
    S: Fn(Option<Answer>) + Clone + 'static,
{
    let Field {
        locale,
        filled,
        id,
        name,
        text,
        required,
        help,
        error,
        described,
        has_error,
        set,
        ..
    } = field;
    let options = vec![
        Choice::new("yes", "نعم", "Yes"),
        Choice::new("no", "لا", "No"),
    ];
    view! {
        <fieldset class="field inline-choices" class:field-error=has_error aria-describedby=described>
            <legend>{text} " " {required_mark(locale, required)}</legend>
            {help}
            {error}
            {options.into_iter().map(|choice| {
                let option_id = format!("{id}-{}", choice.key);
                let value = choice.key.clone();
                let set = set.clone();
                view! {
                    <div class="choice">
                        <input type="radio" id=option_id.clone() name=name.clone() value=choice.key.clone() required=required
                            checked=is_checked(&filled, &name, &choice.key)
                            on:change=move |_| set(Some(Answer::choice(&value)))/>
                        <label for=option_id>{choice.label.get(locale).to_owned()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

/// A rank (a select of 1…n) beside each choice.
pub(super) fn ranking<H, E, S>(field: Field<H, E, S>, choices: Vec<Choice>) -> AnyView
where
    H: IntoView + 'static,
    E: IntoView + 'static,
    S: Fn(Option<Answer>) + Clone + 'static,
{
    let Field {
        locale,
        filled,
        id,
        name,
        text,
        required,
        help,
        error,
        described,
        has_error,
        ..
    } = field;
    let count = choices.len();
    view! {
        <fieldset class="field" class:field-error=has_error aria-describedby=described>
            <legend>{text} " " {required_mark(locale, required)}</legend>
            {help}
            <p class="hint">{locale.t("render.ranking_hint")}</p>
            {error}
            {choices.into_iter().map(|choice| {
                let select_id = format!("{id}-rank-{}", choice.key);
                let select_name = format!("{name}.rank.{}", choice.key);
                let chosen = value_of(&filled, &select_name);
                view! {
                    <div class="field ranking-row">
                        <select id=select_id.clone() name=select_name required=required>
                            <option value="">"–"</option>
                            {(1..=count).map(|n| {
                                let selected = chosen.as_deref() == Some(n.to_string().as_str());
                                view! { <option value=n.to_string() selected=selected>{n.to_string()}</option> }
                            }).collect_view()}
                        </select>
                        <label for=select_id>{choice.label.get(locale).to_owned()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

fn with_other(choices: &[Choice], other: bool) -> Vec<Choice> {
    let mut all = choices.to_vec();
    if other {
        all.push(Choice::new(OTHER, "أخرى", "Other"));
    }
    all
}

fn other_input(locale: Locale, filled: &Option<Filled>, name: &str, id: &str) -> impl IntoView {
    let other_id = format!("{id}-other-text");
    let other_name = format!("{name}.other");
    let value = value_of(filled, &other_name);
    view! {
        <div class="field other-text">
            <label for=other_id.clone()>{locale.t("render.other_specify")}</label>
            <input type="text" id=other_id name=other_name maxlength=crate::responses::check::MAX_OTHER.to_string() value=value/>
        </div>
    }
}

fn toggle(answers: &mut Answers, question: String, value: String, checked: bool) {
    let entry = answers.entry(question).or_insert(Answer::Choices {
        keys: Vec::new(),
        other: None,
    });
    if let Answer::Choices { keys, .. } = entry {
        keys.retain(|k| *k != value);
        if checked {
            keys.push(value);
        }
    }
}
