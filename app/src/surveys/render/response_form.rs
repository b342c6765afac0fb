//! The participant's form: one section per page (or all of them), the error summary, the
//! progress and the buttons, checked in the browser with the server's own rules.

use leptos::prelude::*;

use super::question::StakeholderQuestion;
use super::{Filled, FormSetup, Intro, Sections};
use crate::Locale;
use crate::responses::check::parse_fields;
use crate::surveys::conditions::Answers;

/// A participant's form: one section per page (or all of them), the error summary, the
/// progress, and the buttons. The same rules as the server check the page before it is sent
/// (`responses::check`); the server checks again whatever arrives.
#[island]
pub fn ResponseForm(setup: FormSetup, locale: Locale) -> impl IntoView {
    provide_context(locale);
    let scope = setup.scope();
    let (typed, _) = parse_fields(&setup.definition, scope, &setup.values);
    let replaced = scope.keys(&setup.definition);
    let mut start: Answers = setup
        .known
        .iter()
        .filter(|(k, _)| !replaced.contains(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    start.extend(typed);
    let answers = RwSignal::new(start);
    let errors = RwSignal::new(setup.errors.clone());
    provide_context(Filled {
        values: std::sync::Arc::new(setup.values.clone()),
        errors,
    });
    let shared = StoredValue::new(setup.definition.clone());
    let known = StoredValue::new(setup.known.clone());
    let summary = NodeRef::<leptos::html::Div>::new();
    let going_back = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if going_back.get_untracked() {
            return;
        }
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            let fields = form_fields(&form);
            let found = shared.with_value(|d| {
                known.with_value(|k| crate::responses::check::read_page(d, scope, k, &fields).1)
            });
            if found.is_empty() {
                return;
            }
            ev.prevent_default();
            errors.set(found);
            let document = leptos::prelude::document();
            let prefix = locale.t("form.error_prefix");
            let title = document.title();
            if !title.starts_with(&prefix) {
                document.set_title(&format!("{prefix} {title}"));
            }
            request_animation_frame(move || {
                if let Some(summary) = summary.get_untracked() {
                    let _ = summary.focus();
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, known, scope);
    };
    let (next_label, next_value) = if setup.last {
        (locale.t("responses.submit"), "submit")
    } else {
        (locale.t("responses.continue"), "next")
    };
    let had_errors = !setup.errors.is_empty();
    view! {
        <form method="post" action=setup.action.clone() novalidate id=setup.form_id.clone() class="response-form"
            on:submit=on_submit>
            <div class="error-summary" role="alert" tabindex="-1" autofocus=had_errors
                aria-labelledby="error-summary-title" node_ref=summary
                hidden=move || errors.with(Vec::is_empty)>
                <h2 id="error-summary-title">{locale.t("form.problem")}</h2>
                <ul>
                    <For each=move || errors.get() key=|e| (e.question.clone(), e.code.clone()) let:error>
                        <li><a href=format!("#{}", error.field)>{error.message(locale)}</a></li>
                    </For>
                </ul>
            </div>
            {setup.progress.map(|(n, of)| view! {
                <p class="progress" id="progress">
                    {locale.t_with("responses.progress", &[("n", &n.to_string()), ("of", &of.to_string())])}
                </p>
            })}
            <Intro definition=setup.definition.clone()/>
            {setup.hidden.iter().map(|(name, value)| view! {
                <input type="hidden" name=name.clone() value=value.clone()/>
            }).collect_view()}
            {setup.first.then(|| view! { <StakeholderQuestion answers/> })}
            <Sections definition=setup.definition.clone() shared answers page=setup.page/>
            // A field people never see: only robots fill it in (no CAPTCHA, which shuts people out).
            <div class="trap" aria-hidden="true">
                <label for="website">"Website"</label>
                <input type="text" id="website" name="website" tabindex="-1" autocomplete="off"/>
            </div>
            <div class="button-group">
                <button type="submit" name="action" value=next_value class="button">{next_label}</button>
                {setup.back.then(|| view! {
                    <button type="submit" name="action" value="back" formnovalidate class="button button-secondary"
                        on:click=move |_| going_back.set(true)>{locale.t("responses.back")}</button>
                })}
            </div>
        </form>
    }
    .into_any()
}

/// Every named field of a form with its value, as the browser would post it.
#[cfg(feature = "hydrate")]
fn form_fields(form: &leptos::web_sys::HtmlFormElement) -> Vec<(String, String)> {
    use leptos::wasm_bindgen::JsCast;
    let Ok(data) = leptos::web_sys::FormData::new_with_form(form) else {
        return Vec::new();
    };
    let Ok(Some(entries)) = js_sys::try_iter(&data) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pair = entry.dyn_into::<js_sys::Array>().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}
