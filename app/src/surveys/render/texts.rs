//! The inputs typed as text: short and long text, number, date, email and phone.

use leptos::prelude::*;

use super::question::{Field, required_mark};
use super::value_of;
use crate::numbers::parse_number;
use crate::shell::forms::textarea_text;
use crate::surveys::conditions::Answer;

/// A one-line text input.
pub(super) fn short_text<H, E, S>(field: Field<H, E, S>, max_length: Option<u32>) -> AnyView
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
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
            {help}
            {error}
            <input type="text" id=id.clone() name=name.clone() required=required aria-describedby=described aria-invalid=invalid
                maxlength=max_length.map(|m| m.to_string()) value=value_of(&filled, &name)
                on:input=move |ev| { let v = event_target_value(&ev); set((!v.trim().is_empty()).then_some(Answer::Text(v))); }/>
        </div>
    }
    .into_any()
}

/// A multi-line text area with its length limit.
pub(super) fn long_text<H, E, S>(field: Field<H, E, S>, max_length: u32) -> AnyView
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
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
            {help}
            <p class="hint">{locale.t_with("render.max_chars", &[("max", &max_length.to_string())])}</p>
            {error}
            <textarea id=id.clone() name=name.clone() rows="5" required=required aria-describedby=described aria-invalid=invalid
                maxlength=max_length.to_string()
                on:input=move |ev| { let v = event_target_value(&ev); set((!v.trim().is_empty()).then_some(Answer::Text(v))); }>
                {textarea_text(&value_of(&filled, &name).unwrap_or_default())}
            </textarea>
        </div>
    }
    .into_any()
}

/// A number, typed as text so Arabic-Indic digits are accepted.
pub(super) fn number<H, E, S>(
    field: Field<H, E, S>,
    decimal: bool,
    min: Option<f64>,
    max: Option<f64>,
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
    let invalid = move || has_error.get().then_some("true");
    let range = match (min, max) {
        (Some(min), Some(max)) => Some(locale.t_with(
            "render.between",
            &[("min", &min.to_string()), ("max", &max.to_string())],
        )),
        _ => None,
    };
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
            {help}
            {range.map(|range| view! { <p class="hint">{range}</p> })}
            {error}
            // Text, not type=number: Arabic-Indic digits must be accepted.
            <input type="text" id=id.clone() name=name.clone() required=required aria-describedby=described aria-invalid=invalid
                inputmode=if decimal { "decimal" } else { "numeric" } class="input-short" value=value_of(&filled, &name)
                on:input=move |ev| set(parse_number(&event_target_value(&ev)).map(Answer::Number))/>
        </div>
    }
    .into_any()
}

/// A date input.
pub(super) fn date<H, E, S>(field: Field<H, E, S>) -> AnyView
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
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
            {help}
            {error}
            <input type="date" id=id.clone() name=name.clone() required=required aria-describedby=described aria-invalid=invalid
                class="input-short" value=value_of(&filled, &name)
                on:change=move |ev| set(event_target_value(&ev).parse().ok().map(Answer::Date))/>
        </div>
    }
    .into_any()
}

/// An email address or a phone number.
pub(super) fn contact<H, E, S>(field: Field<H, E, S>, email: bool) -> AnyView
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
    let (kind, autocomplete) = if email {
        ("email", "email")
    } else {
        ("tel", "tel")
    };
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
            {help}
            {error}
            <input type=kind id=id.clone() name=name.clone() required=required aria-describedby=described aria-invalid=invalid
                autocomplete=autocomplete dir="ltr" value=value_of(&filled, &name)
                on:input=move |ev| { let v = event_target_value(&ev); set((!v.trim().is_empty()).then_some(Answer::Text(v))); }/>
        </div>
    }
    .into_any()
}
