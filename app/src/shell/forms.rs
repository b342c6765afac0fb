//! Form pieces shared by every form, in the GOV.UK pattern: an error summary at the top that
//! links to each field and takes focus, the same message at the field, values kept.

use leptos::prelude::*;

use super::use_locale;
use crate::page_state::{FormFeedback, use_page_state};

/// The hidden CSRF field every state-changing form carries.
#[component]
pub fn CsrfField() -> impl IntoView {
    view! { <input type="hidden" name="csrf" value=use_page_state().csrf/> }
}

/// "There is a problem" with a link to each field in error. Focused on load (`autofocus`
/// works without JavaScript), announced by screen readers as an alert.
#[component]
pub fn ErrorSummary(feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    feedback.has_errors().then(|| {
        view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus
                aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{locale.t("form.problem")}</h2>
                <ul>
                    {feedback.problems.iter().map(|problem| {
                        let message = problem.message(locale);
                        view! { <li><code dir="ltr">{problem.path.clone()}</code> " " {message}</li> }
                    }).collect_view()}
                    {feedback.errors.iter().map(|(field, key)| {
                        let message = locale.t(key);
                        if field.is_empty() {
                            view! { <li>{message}</li> }.into_any()
                        } else {
                            view! { <li><a href=format!("#field-{field}")>{message}</a></li> }.into_any()
                        }
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// A labelled text input with an optional hint and its error message tied by
/// `aria-describedby`.
#[component]
pub fn TextField(
    name: &'static str,
    label: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// The keyboard phones show (`numeric` for codes).
    #[prop(optional)]
    inputmode: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// The stored value, shown unless the form was posted (then what was typed is shown).
    #[prop(optional, into)]
    value: Option<String>,
    /// The language of the text to type, when it is not the page's (the English title on
    /// the Arabic page).
    #[prop(optional)]
    lang: Option<crate::Locale>,
    /// An example shown while the field is empty (never a value, never instead of the label).
    #[prop(optional, into)]
    placeholder: Option<String>,
    feedback: FormFeedback,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("field-{name}");
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let error = feedback.error(name).map(|key| locale.t(&key));
    let error_id = error.as_ref().map(|_| format!("{id}-error"));
    let described_by = [hint_id.clone(), error_id.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    // Passwords are never sent back to the page.
    let value = if kind == "password" {
        String::new()
    } else {
        feedback.kept(name).or(value).unwrap_or_default()
    };
    let has_error = error.is_some();
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {error.map(|message| view! {
                <p class="error-message" id=error_id.clone()>
                    <span class="visually-hidden">{locale.t("form.error_prefix")}</span>
                    {message}
                </p>
            })}
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                lang=lang.map(|l| l.code())
                dir=lang.map(|l| l.dir())
                placeholder=placeholder
                aria-invalid=error_id.as_ref().map(|_| "true")
                aria-describedby=(!described_by.is_empty()).then_some(described_by)
            />
        </div>
    }
}

/// Text to put inside a `<textarea>`. Leptos writes a textarea's children unescaped (as it
/// does a `<script>`'s), so a value holding `</textarea>` would end the element and become
/// markup. On the server `&` and `<` are escaped here, and the browser decodes them back; in
/// the browser the text becomes a text node and needs no escaping.
pub fn textarea_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;").replace('<', "&lt;")
    } else {
        text.to_owned()
    }
}

/// The page title, prefixed with "Error:" when the form on it has errors.
pub fn title_with_errors(locale: crate::Locale, title: String, feedback: &FormFeedback) -> String {
    if feedback.has_errors() {
        format!("{} {title}", locale.t("form.error_prefix"))
    } else {
        title
    }
}

/// A labelled multi-line text field, like [`TextField`].
#[component]
pub fn TextArea(
    name: &'static str,
    label: String,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] hint: Option<String>,
    /// The language of the text to type, when it is not the page's (a reply in the
    /// participant's language).
    #[prop(optional)]
    lang: Option<crate::Locale>,
    feedback: FormFeedback,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("field-{name}");
    let error = feedback.error(name).map(|key| locale.t(&key));
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let error_id = error.as_ref().map(|_| format!("{id}-error"));
    let described = [hint_id.clone(), error_id.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let text = feedback.kept(name).or(value).unwrap_or_default();
    let has_error = error.is_some();
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {error.map(|message| view! {
                <p class="error-message" id=error_id.clone()>
                    <span class="visually-hidden">{locale.t("form.error_prefix")}</span>{message}
                </p>
            })}
            <textarea id=id name=name rows="3" lang=lang.map(|l| l.code()) dir=lang.map(|l| l.dir())
                aria-invalid=has_error.then_some("true")
                aria-describedby=(!described.is_empty()).then_some(described)>{textarea_text(&text)}</textarea>
        </div>
    }
    .into_any()
}

/// The id, error message and `aria-describedby` of a field with an optional hint.
fn described(
    locale: crate::Locale,
    name: &str,
    hint: Option<&String>,
    feedback: &FormFeedback,
) -> (String, Option<String>, Option<String>, Option<String>) {
    let id = format!("field-{name}");
    let error = feedback.error(name).map(|key| locale.t(&key));
    let hint_id = hint.map(|_| format!("{id}-hint"));
    let error_id = error.as_ref().map(|_| format!("{id}-error"));
    let by = [hint_id.clone(), error_id]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    (id, error, hint_id, (!by.is_empty()).then_some(by))
}

/// A labelled `<select>` of (value, label) options, like [`TextField`].
#[component]
pub fn SelectField(
    name: &'static str,
    label: String,
    options: Vec<(String, String)>,
    #[prop(optional)] hint: Option<String>,
    /// The stored value, shown unless the form was posted.
    #[prop(optional, into)]
    value: Option<String>,
    feedback: FormFeedback,
) -> impl IntoView {
    let locale = use_locale();
    let (id, error, hint_id, by) = described(locale, name, hint.as_ref(), &feedback);
    let chosen = feedback.kept(name).or(value).unwrap_or_default();
    let has_error = error.is_some();
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {error.map(|message| view! {
                <p class="error-message" id=error_id.clone()>
                    <span class="visually-hidden">{locale.t("form.error_prefix")}</span>{message}
                </p>
            })}
            <select id=id name=name aria-invalid=has_error.then_some("true") aria-describedby=by>
                {options.into_iter().map(|(value, label)| {
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{label}</option> }
                }).collect_view()}
            </select>
        </div>
    }
    .into_any()
}

/// A fieldset of radios, (value, label) each, with its legend, hint and error.
#[component]
pub fn RadioGroup(
    name: &'static str,
    legend: String,
    options: Vec<(String, String)>,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional, into)] value: Option<String>,
    feedback: FormFeedback,
) -> impl IntoView {
    let locale = use_locale();
    let (id, error, hint_id, by) = described(locale, name, hint.as_ref(), &feedback);
    let chosen = feedback.kept(name).or(value).unwrap_or_default();
    let has_error = error.is_some();
    let error_id = format!("{id}-error");
    view! {
        <fieldset id=id.clone() class="field" class:field-error=has_error aria-describedby=by>
            <legend>{legend}</legend>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {error.map(|message| view! {
                <p class="error-message" id=error_id.clone()>
                    <span class="visually-hidden">{locale.t("form.error_prefix")}</span>{message}
                </p>
            })}
            {options.into_iter().enumerate().map(|(i, (value, label))| {
                let option_id = format!("{id}-{i}");
                let checked = value == chosen;
                view! {
                    <div class="choice">
                        <input type="radio" id=option_id.clone() name=name value=value checked=checked/>
                        <label for=option_id>{label}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}
