//! Renders a survey as the participant's form: every question type, the built-in stakeholder
//! group question, sections, and live show-if rules. Used by the staff preview now and by the
//! response form (issue 5).
//!
//! Without JavaScript every question is shown (a note says when it applies); with it, the
//! rules in `conditions` hide what does not apply as answers change. Names of form fields:
//! `stakeholder_group`, `q.<key>` (and `q.<key>.other`, `q.<key>.<row>` for matrix rows,
//! `q.<key>.rank.<choice>` for ranking).

use leptos::prelude::*;

use super::StakeholderGroup;
use super::conditions::{Answer, Answers, Condition, STAKEHOLDER_QUESTION, visibility};
use super::model::{Choice, Definition, Kind, OTHER, Question, Text};
use crate::Locale;
use crate::shell::use_locale;

/// Arabic-Indic (and Persian) digits and separators as ASCII, for number answers.
pub fn normalize_digits(input: &str) -> String {
    input
        .trim()
        .chars()
        .map(|c| match c {
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٫' => '.',
            '٬' => ',',
            other => other,
        })
        .collect()
}

/// A number as a participant may type it: ASCII or Arabic-Indic digits, `.` or `٫`.
pub fn parse_number(input: &str) -> Option<f64> {
    normalize_digits(input)
        .replace(',', "")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
}

/// The survey's form. `preview` shows a notice and no submit button. An island: the one part
/// of the page that runs in the browser, to apply the show-if rules live.
#[island]
pub fn SurveyForm(definition: Definition, preview: bool, locale: Locale) -> impl IntoView {
    // Islands do not see the page's context in the browser: the locale comes as a prop.
    provide_context(locale);
    let t = move |key: &str| locale.t(key);
    let answers = RwSignal::new(Answers::new());
    // Rules apply only once the page is live; without JavaScript everything shows.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let shared = StoredValue::new(definition.clone());
    let seen = Memo::new(move |_| shared.with_value(|d| visibility(d, &answers.get())));
    let sections = definition.sections.clone();
    view! {
        <div class="survey-form">
            {preview.then(|| view! { <p class="notice" role="note">{t("render.preview_notice")}</p> })}
            <h1>{definition.title.get(locale).to_owned()}</h1>
            {(!definition.description.is_empty()).then(|| view! {
                <p class="lead">{definition.description.get(locale).to_owned()}</p>
            })}
            <p class="hint">{t("render.required_note")}</p>
            <StakeholderQuestion answers/>
            {sections.into_iter().enumerate().map(|(index, section)| {
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
            }).collect_view()}
        </div>
    }
    .into_any()
}

/// The built-in question: which stakeholder group the participant belongs to.
#[component]
fn StakeholderQuestion(answers: RwSignal<Answers>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <fieldset class="field question" id="question-stakeholder_group">
            <legend>{locale.t("render.stakeholder_question")} " " <span class="required">{locale.t("render.required")}</span></legend>
            {StakeholderGroup::ALL.iter().map(|group| {
                let id = format!("stakeholder_group-{}", group.code());
                let code = group.code();
                view! {
                    <div class="choice">
                        <input type="radio" id=id.clone() name="stakeholder_group" value=code required
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

/// One question's label, help and input, by type.
#[component]
fn QuestionInput(question: Question, answers: RwSignal<Answers>) -> impl IntoView {
    let locale = use_locale();
    let key = question.key.clone();
    let name = format!("q.{key}");
    let id = format!("q-{key}");
    let help_id = format!("{id}-help");
    let help = (!question.help.is_empty()).then(|| {
        view! { <p class="hint" id=help_id.clone()>{question.help.get(locale).to_owned()}</p> }
    });
    let described = (!question.help.is_empty()).then(|| help_id.clone());
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
                <fieldset class="field" aria-describedby=described>
                    <legend>{text} " " {required_mark(locale, required)}</legend>
                    {help}
                    {options.into_iter().map(|choice| {
                        let option_id = format!("{id}-{}", choice.key);
                        let value = choice.key.clone();
                        let set = set.clone();
                        view! {
                            <div class="choice">
                                <input type="radio" id=option_id.clone() name=name.clone() value=choice.key.clone() required=required
                                    on:change=move |_| set(Some(Answer::choice(&value)))/>
                                <label for=option_id>{choice.label.get(locale).to_owned()}</label>
                            </div>
                        }
                    }).collect_view()}
                    {other.then(|| other_input(locale, &name, &id))}
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
            let described = [described, limits.as_ref().map(|_| limits_id.clone())].into_iter().flatten().collect::<Vec<_>>().join(" ");
            view! {
                <fieldset class="field" aria-describedby=(!described.is_empty()).then_some(described)>
                    <legend>{text} " " {required_mark(locale, required)}</legend>
                    {help}
                    {limits.map(|limits| view! { <p class="hint" id=limits_id>{limits}</p> })}
                    {options.into_iter().map(|choice| {
                        let option_id = format!("{id}-{}", choice.key);
                        let value = choice.key.clone();
                        let question_key = question.key.clone();
                        view! {
                            <div class="choice">
                                <input type="checkbox" id=option_id.clone() name=name.clone() value=choice.key.clone()
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
                    {other.then(|| other_input(locale, &name, &id))}
                </fieldset>
            }
            .into_any()
        }
        Kind::Dropdown { choices, other } => {
            let options = with_other(&choices, other);
            view! {
                <div class="field">
                    <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
                    {help}
                    <select id=id.clone() name=name.clone() required=required aria-describedby=described
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            set((!value.is_empty()).then(|| Answer::choice(&value)));
                        }>
                        <option value="">{locale.t("render.select_one")}</option>
                        {options.into_iter().map(|choice| view! {
                            <option value=choice.key.clone()>{choice.label.get(locale).to_owned()}</option>
                        }).collect_view()}
                    </select>
                    {other.then(|| other_input(locale, &name, &id))}
                </div>
            }
            .into_any()
        }
        Kind::YesNo => {
            let options = vec![Choice::new("yes", "نعم", "Yes"), Choice::new("no", "لا", "No")];
            view! {
                <fieldset class="field inline-choices" aria-describedby=described>
                    <legend>{text} " " {required_mark(locale, required)}</legend>
                    {help}
                    {options.into_iter().map(|choice| {
                        let option_id = format!("{id}-{}", choice.key);
                        let value = choice.key.clone();
                        let set = set.clone();
                        view! {
                            <div class="choice">
                                <input type="radio" id=option_id.clone() name=name.clone() value=choice.key.clone() required=required
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
            scale(locale, text, help, described, required, &id, &name, min..=max, &min_label, &max_label, set).into_any()
        }
        Kind::Nps => {
            let low = Text::new("غير محتمل إطلاقاً", "Not at all likely");
            let high = Text::new("محتمل جداً", "Extremely likely");
            scale(locale, text, help, described, required, &id, &name, 0..=10, &low, &high, set).into_any()
        }
        Kind::Matrix { rows, scale } => {
            let caption_id = format!("{id}-caption");
            view! {
                <div class="field">
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
                                                    <input type="radio" name=row_name.clone() value=point.key.clone() aria-labelledby=labelled required=required
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
                <fieldset class="field" aria-describedby=described>
                    <legend>{text} " " {required_mark(locale, required)}</legend>
                    {help}
                    <p class="hint">{locale.t("render.ranking_hint")}</p>
                    {choices.into_iter().map(|choice| {
                        let select_id = format!("{id}-rank-{}", choice.key);
                        view! {
                            <div class="field ranking-row">
                                <select id=select_id.clone() name=format!("{name}.rank.{}", choice.key) required=required>
                                    <option value="">"–"</option>
                                    {(1..=count).map(|n| view! { <option value=n.to_string()>{n.to_string()}</option> }).collect_view()}
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
            <div class="field">
                <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
                {help}
                <input type="text" id=id.clone() name=name.clone() required=required aria-describedby=described
                    maxlength=max_length.map(|m| m.to_string())
                    on:input=move |ev| { let v = event_target_value(&ev); set((!v.trim().is_empty()).then_some(Answer::Text(v))); }/>
            </div>
        }
        .into_any(),
        Kind::LongText { max_length } => view! {
            <div class="field">
                <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
                {help}
                <p class="hint">{locale.t_with("render.max_chars", &[("max", &max_length.to_string())])}</p>
                <textarea id=id.clone() name=name.clone() rows="5" required=required aria-describedby=described
                    maxlength=max_length.to_string()
                    on:input=move |ev| { let v = event_target_value(&ev); set((!v.trim().is_empty()).then_some(Answer::Text(v))); }></textarea>
            </div>
        }
        .into_any(),
        Kind::Number { decimal, min, max } => {
            let range = match (min, max) {
                (Some(min), Some(max)) => Some(locale.t_with("render.between", &[("min", &min.to_string()), ("max", &max.to_string())])),
                _ => None,
            };
            view! {
                <div class="field">
                    <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
                    {help}
                    {range.map(|range| view! { <p class="hint">{range}</p> })}
                    // Text, not type=number: Arabic-Indic digits must be accepted.
                    <input type="text" id=id.clone() name=name.clone() required=required aria-describedby=described
                        inputmode=if decimal { "decimal" } else { "numeric" } class="input-short"
                        on:input=move |ev| set(parse_number(&event_target_value(&ev)).map(Answer::Number))/>
                </div>
            }
            .into_any()
        }
        Kind::Date => view! {
            <div class="field">
                <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
                {help}
                <input type="date" id=id.clone() name=name.clone() required=required aria-describedby=described class="input-short"
                    on:change=move |ev| set(event_target_value(&ev).parse().ok().map(Answer::Date))/>
            </div>
        }
        .into_any(),
        Kind::Email | Kind::Phone => {
            let (kind, autocomplete) = if matches!(question.kind, Kind::Email) { ("email", "email") } else { ("tel", "tel") };
            view! {
                <div class="field">
                    <label for=id.clone()>{text} " " {required_mark(locale, required)}</label>
                    {help}
                    <input type=kind id=id.clone() name=name.clone() required=required aria-describedby=described
                        autocomplete=autocomplete dir="ltr"
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

fn other_input(locale: Locale, name: &str, id: &str) -> impl IntoView {
    let other_id = format!("{id}-other-text");
    view! {
        <div class="field other-text">
            <label for=other_id.clone()>{locale.t("render.other_specify")}</label>
            <input type="text" id=other_id name=format!("{name}.other") maxlength="200"/>
        </div>
    }
}

#[allow(clippy::too_many_arguments)]
fn scale(
    locale: Locale,
    text: String,
    help: Option<impl IntoView + 'static>,
    described: Option<String>,
    required: bool,
    id: &str,
    name: &str,
    points: std::ops::RangeInclusive<i32>,
    low: &Text,
    high: &Text,
    set: impl Fn(Option<Answer>) + Clone + 'static,
) -> impl IntoView {
    let ends_id = format!("{id}-ends");
    let described = [described, Some(ends_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let ends = format!(
        "{} = {}, {} = {}",
        points.start(),
        low.get(locale),
        points.end(),
        high.get(locale)
    );
    view! {
        <fieldset class="field scale" aria-describedby=described>
            <legend>{text} " " {required_mark(locale, required)}</legend>
            {help}
            <p class="hint" id=ends_id>{ends}</p>
            <div class="scale-points">
                {points.map(|point| {
                    let point_id = format!("{id}-{point}");
                    let set = set.clone();
                    view! {
                        <div class="scale-point">
                            <input type="radio" id=point_id.clone() name=name.to_owned() value=point.to_string() required=required
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_may_be_typed_in_arabic_indic_digits() {
        assert_eq!(parse_number("٤٢"), Some(42.0));
        assert_eq!(parse_number(" ٣٫٥ "), Some(3.5));
        assert_eq!(parse_number("۱۲"), Some(12.0));
        assert_eq!(parse_number("1,250"), Some(1250.0));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number(""), None);
    }
}
