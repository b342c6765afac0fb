//! Renders a survey as the participant's form: every question type, the built-in stakeholder
//! group question, sections, and live show-if rules. Used by the staff preview ([`SurveyForm`])
//! and by the participant's form ([`ResponseForm`]: one section per page, errors, prefill).
//!
//! Without JavaScript every question is shown (a note says when it applies); with it, the
//! rules in `conditions` hide what does not apply as answers change. Names of form fields:
//! `stakeholder_group`, `q.<key>` (and `q.<key>.other`, `q.<key>.<row>` for matrix rows,
//! `q.<key>.rank.<choice>` for ranking).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::StakeholderGroup;
use super::conditions::{Answer, Answers, Condition, STAKEHOLDER_QUESTION, visibility};
use super::model::{Choice, Definition, Kind, OTHER, Question, Text};
use crate::Locale;
use crate::numbers::parse_number;
use crate::responses::check::{AnswerError, Scope, parse_fields};
use crate::shell::use_locale;

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

/// The message at a question when it has an error (only in response forms).
fn error_line(
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
fn StakeholderQuestion(answers: RwSignal<Answers>) -> impl IntoView {
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

fn required_mark(locale: Locale, required: bool) -> impl IntoView {
    let key = if required {
        "render.required"
    } else {
        "render.optional"
    };
    view! { <span class="required">{locale.t(key)}</span> }
}

fn join_ids(ids: &[Option<String>]) -> Option<String> {
    let joined = ids.iter().flatten().cloned().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// One question's label, help, error and input, by type.
#[component]
fn QuestionInput(question: Question, answers: RwSignal<Answers>) -> impl IntoView {
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
    let invalid = move || has_error.get().then_some("true");
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
    match question.kind {
        Kind::SingleChoice { choices, other } => {
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
        Kind::MultipleChoice { choices, other, min, max } => {
            let options = with_other(&choices, other);
            let limits = match (min, max) {
                (Some(min), Some(max)) => Some(locale.t_with("render.choose_between", &[("min", &min.to_string()), ("max", &max.to_string())])),
                (Some(min), None) => Some(locale.t_with("render.choose_at_least", &[("min", &min.to_string())])),
                (None, Some(max)) => Some(locale.t_with("render.choose_at_most", &[("max", &max.to_string())])),
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
                        let question_key = question.key.clone();
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
        Kind::Dropdown { choices, other } => {
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
        Kind::YesNo => {
            let options = vec![Choice::new("yes", "نعم", "Yes"), Choice::new("no", "لا", "No")];
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
        Kind::Rating { min, max, min_label, max_label } => {
            let ends = ScaleEnds { low: &min_label, high: &max_label };
            let picked = value_of(&filled, &name);
            view! {
                <div class="field-wrap" class:field-error=has_error>
                    {scale(locale, text, help, error, described, required, &id, &name, min..=max, ends, picked, set)}
                </div>
            }
            .into_any()
        }
        Kind::Nps => {
            let low = Text::new("غير محتمل إطلاقاً", "Not at all likely");
            let high = Text::new("محتمل جداً", "Extremely likely");
            let picked = value_of(&filled, &name);
            view! {
                <div class="field-wrap" class:field-error=has_error>
                    {scale(locale, text, help, error, described, required, &id, &name, 0..=10, ScaleEnds { low: &low, high: &high }, picked, set)}
                </div>
            }
            .into_any()
        }
        Kind::Matrix { rows, scale } => {
            let caption_id = format!("{id}-caption");
            view! {
                <div class="field" class:field-error=has_error>
                    {error}
                    <table class="table matrix" aria-describedby=described>
                        <caption id=caption_id>{text} " " {required_mark(locale, required)}</caption>
                        <thead>
                            <tr>
                                <td></td>
                                {scale.iter().map(|point| view! {
                                    <th scope="col" id=format!("{id}-col-{}", point.key)>{point.label.get(locale).to_owned()}</th>
                                }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|row| {
                                let row_id = format!("{id}-row-{}", row.key);
                                let row_name = format!("{name}.{}", row.key);
                                let question_key = question.key.clone();
                                view! {
                                    <tr>
                                        <th scope="row" id=row_id.clone()>{row.label.get(locale).to_owned()}</th>
                                        {scale.iter().map(|point| {
                                            let labelled = format!("{row_id} {id}-col-{}", point.key);
                                            let (row_key, point_key, question_key) = (row.key.clone(), point.key.clone(), question_key.clone());
                                            view! {
                                                <td>
                                                    <input type="radio" id=format!("{id}-{}-{}", row.key, point.key) name=row_name.clone()
                                                        value=point.key.clone() aria-labelledby=labelled required=required
                                                        checked=is_checked(&filled, &row_name, &point.key)
                                                        on:change=move |_| {
                                                            let (row_key, point_key, question_key) = (row_key.clone(), point_key.clone(), question_key.clone());
                                                            answers.update(move |a| matrix_set(a, question_key, row_key, point_key));
                                                        }/>
                                                </td>
                                            }
                                        }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {help}
                </div>
            }
            .into_any()
        }
        Kind::Ranking { choices } => {
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
        Kind::ShortText { max_length } => view! {
            <div class="field" class:field-error=has_error>
                <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
                {help}
                {error}
                <input type="text" id=id.clone() name=name.clone() required=required aria-describedby=described aria-invalid=invalid
                    maxlength=max_length.map(|m| m.to_string()) value=value_of(&filled, &name)
                    on:input=move |ev| { let v = event_target_value(&ev); set((!v.trim().is_empty()).then_some(Answer::Text(v))); }/>
            </div>
        }
        .into_any(),
        Kind::LongText { max_length } => view! {
            <div class="field" class:field-error=has_error>
                <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
                {help}
                <p class="hint">{locale.t_with("render.max_chars", &[("max", &max_length.to_string())])}</p>
                {error}
                <textarea id=id.clone() name=name.clone() rows="5" required=required aria-describedby=described aria-invalid=invalid
                    maxlength=max_length.to_string()
                    on:input=move |ev| { let v = event_target_value(&ev); set((!v.trim().is_empty()).then_some(Answer::Text(v))); }>
                    {value_of(&filled, &name).unwrap_or_default()}
                </textarea>
            </div>
        }
        .into_any(),
        Kind::Number { decimal, min, max } => {
            let range = match (min, max) {
                (Some(min), Some(max)) => Some(locale.t_with("render.between", &[("min", &min.to_string()), ("max", &max.to_string())])),
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
        Kind::Date => view! {
            <div class="field" class:field-error=has_error>
                <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
                {help}
                {error}
                <input type="date" id=id.clone() name=name.clone() required=required aria-describedby=described aria-invalid=invalid
                    class="input-short" value=value_of(&filled, &name)
                    on:change=move |ev| set(event_target_value(&ev).parse().ok().map(Answer::Date))/>
            </div>
        }
        .into_any(),
        Kind::Email | Kind::Phone => {
            let (kind, autocomplete) = if matches!(question.kind, Kind::Email) { ("email", "email") } else { ("tel", "tel") };
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
    }
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

struct ScaleEnds<'a> {
    low: &'a Text,
    high: &'a Text,
}

#[allow(clippy::too_many_arguments)]
fn scale(
    locale: Locale,
    text: String,
    help: Option<impl IntoView + 'static>,
    error: Option<impl IntoView + 'static>,
    described: Option<String>,
    required: bool,
    id: &str,
    name: &str,
    points: std::ops::RangeInclusive<i32>,
    ends: ScaleEnds<'_>,
    picked: Option<String>,
    set: impl Fn(Option<Answer>) + Clone + 'static,
) -> impl IntoView {
    let ends_id = format!("{id}-ends");
    let described = join_ids(&[described, Some(ends_id.clone())]);
    let ends = format!(
        "{} = {}, {} = {}",
        points.start(),
        ends.low.get(locale),
        points.end(),
        ends.high.get(locale)
    );
    view! {
        <fieldset class="field scale" aria-describedby=described>
            <legend>{text} " " {required_mark(locale, required)}</legend>
            {help}
            <p class="hint" id=ends_id>{ends}</p>
            {error}
            <div class="scale-points">
                {points.map(|point| {
                    let point_id = format!("{id}-{point}");
                    let set = set.clone();
                    let checked = picked.as_deref() == Some(point.to_string().as_str());
                    view! {
                        <div class="scale-point">
                            <input type="radio" id=point_id.clone() name=name.to_owned() value=point.to_string() required=required
                                checked=checked
                                on:change=move |_| set(Some(Answer::Number(f64::from(point))))/>
                            <label for=point_id>{point.to_string()}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        </fieldset>
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

fn matrix_set(answers: &mut Answers, question: String, row: String, point: String) {
    let entry = answers
        .entry(question)
        .or_insert(Answer::Matrix(Default::default()));
    if let Answer::Matrix(rows) = entry {
        rows.insert(row, point);
    }
}

/// A condition in words, e.g. "Shown when “Do you use the service?” is “Yes”".
pub fn describe(condition: &Condition, definition: &Definition, locale: Locale) -> String {
    locale.t_with(
        "render.shown_when",
        &[("rule", &rule_words(condition, definition, locale))],
    )
}

fn rule_words(condition: &Condition, definition: &Definition, locale: Locale) -> String {
    let question_text = |key: &str| {
        if key == STAKEHOLDER_QUESTION {
            locale.t("render.stakeholder_short")
        } else {
            definition
                .question(key)
                .map(|q| q.text.get(locale).to_owned())
                .unwrap_or_else(|| key.to_owned())
        }
    };
    let value_text = |key: &str, value: &str| {
        if key == STAKEHOLDER_QUESTION {
            return StakeholderGroup::from_code(value)
                .map(|g| locale.t(&g.label_key()))
                .unwrap_or_else(|| value.to_owned());
        }
        let question = definition.question(key);
        match question.map(|q| &q.kind) {
            Some(Kind::YesNo) => locale.t(if value == "yes" {
                "render.answer_yes"
            } else {
                "render.answer_no"
            }),
            Some(kind) => kind
                .choices()
                .and_then(|choices| choices.iter().find(|c| c.key == value))
                .map(|c| c.label.get(locale).to_owned())
                .unwrap_or_else(|| value.to_owned()),
            None => value.to_owned(),
        }
    };
    match condition {
        Condition::Equals { question, value } => locale.t_with(
            "render.rule_equals",
            &[
                ("question", &question_text(question)),
                ("value", &value_text(question, value)),
            ],
        ),
        Condition::Includes { question, value } => locale.t_with(
            "render.rule_includes",
            &[
                ("question", &question_text(question)),
                ("value", &value_text(question, value)),
            ],
        ),
        Condition::InRange { question, min, max } => locale.t_with(
            "render.rule_range",
            &[
                ("question", &question_text(question)),
                (
                    "min",
                    &min.map(|m| m.to_string()).unwrap_or_else(|| "…".into()),
                ),
                (
                    "max",
                    &max.map(|m| m.to_string()).unwrap_or_else(|| "…".into()),
                ),
            ],
        ),
        Condition::All { conditions } | Condition::Any { conditions } => {
            let joiner = locale.t(if matches!(condition, Condition::All { .. }) {
                "render.and"
            } else {
                "render.or"
            });
            conditions
                .iter()
                .map(|c| rule_words(c, definition, locale))
                .collect::<Vec<_>>()
                .join(&format!(" {joiner} "))
        }
    }
}
