//! The show-if rules of a question's form: one level of `all`/`any` over rows of (question,
//! comparison, value or range), filled from the stored condition or from what was posted.

use leptos::prelude::*;

use super::RULE_ROWS;
use super::question_form as form;
use crate::page_state::FormFeedback;
use crate::shell::use_locale;
use crate::surveys::StakeholderGroup;
use crate::surveys::conditions::{Condition, STAKEHOLDER_QUESTION};
use crate::surveys::model::{Kind, Question};

/// One row of the rules form: (question, op, value, min, max).
pub type RuleRow = (String, String, String, String, String);

/// The flat rules of a condition, and whether they are joined by "all". Nested rules are shown
/// as far as they are flat; the form edits one level of `all`/`any`.
pub fn flat_rules(condition: &Condition) -> (bool, Vec<RuleRow>) {
    let atom = |c: &Condition| match c {
        Condition::Equals { question, value } => Some((
            question.clone(),
            "equals".into(),
            value.clone(),
            String::new(),
            String::new(),
        )),
        Condition::Includes { question, value } => Some((
            question.clone(),
            "includes".into(),
            value.clone(),
            String::new(),
            String::new(),
        )),
        Condition::InRange { question, min, max } => Some((
            question.clone(),
            "in_range".into(),
            String::new(),
            min.map(|m| m.to_string()).unwrap_or_default(),
            max.map(|m| m.to_string()).unwrap_or_default(),
        )),
        _ => None,
    };
    match condition {
        Condition::All { conditions } => (true, conditions.iter().filter_map(atom).collect()),
        Condition::Any { conditions } => (false, conditions.iter().filter_map(atom).collect()),
        single => (true, atom(single).into_iter().collect()),
    }
}

/// The rules the form shows, and whether they are joined by "all": what was posted when the
/// form comes back with errors, the stored condition otherwise.
fn shown_rules(feedback: &FormFeedback, show_if: Option<&Condition>) -> (bool, Vec<RuleRow>) {
    let posted = feedback.kept(form::VERSION).is_some();
    let column = |field: &str| -> Vec<String> {
        feedback
            .values
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
            .collect()
    };
    if posted {
        let rows = column(form::RULE_QUESTION)
            .into_iter()
            .zip(column(form::RULE_OP))
            .zip(column(form::RULE_VALUE))
            .zip(column(form::RULE_MIN))
            .zip(column(form::RULE_MAX))
            .map(|((((q, o), v), a), b)| (q, o, v, a, b))
            .collect();
        (feedback.value(form::RULE_JOIN) != "any", rows)
    } else {
        show_if.map(flat_rules).unwrap_or((true, Vec::new()))
    }
}

/// Every value a rule can compare with: stakeholder groups and earlier questions' choices,
/// grouped under the question's text.
fn rule_values(
    earlier: &[Question],
    locale: crate::Locale,
) -> Vec<(String, Vec<(String, String)>)> {
    let mut values: Vec<(String, Vec<(String, String)>)> = vec![(
        locale.t("render.stakeholder_short"),
        StakeholderGroup::ALL
            .iter()
            .map(|g| (g.code().to_owned(), locale.t(&g.label_key())))
            .collect(),
    )];
    for question in earlier {
        let keys = question.kind.answer_keys();
        if keys.is_empty() {
            continue;
        }
        let label = |key: &str| match &question.kind {
            Kind::YesNo => locale.t(if key == "yes" {
                "render.answer_yes"
            } else {
                "render.answer_no"
            }),
            kind => kind
                .choices()
                .and_then(|c| c.iter().find(|c| c.key == key))
                .map(|c| c.label.get(locale).to_owned())
                .unwrap_or_else(|| locale.t("render.other")),
        };
        values.push((
            question.text.get(locale).to_owned(),
            keys.iter().map(|k| (k.to_string(), label(k))).collect(),
        ));
    }
    values
}

#[component]
pub(super) fn RuleRows(
    earlier: Vec<Question>,
    show_if: Option<Condition>,
    feedback: FormFeedback,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let (all, mut rows) = shown_rules(&feedback, show_if.as_ref());
    rows.resize(RULE_ROWS.max(rows.len()), Default::default());
    let values = rule_values(&earlier, locale);
    view! {
        <fieldset class="field rules">
            <legend>{t("surveys.show_if")}</legend>
            <p class="hint">{t("surveys.show_if_hint")}</p>
            <div class="inline-choices">
                <div class="choice">
                    <input type="radio" id="rule-join-all" name=form::RULE_JOIN value="all" checked=all/>
                    <label for="rule-join-all">{t("surveys.rule_all")}</label>
                </div>
                <div class="choice">
                    <input type="radio" id="rule-join-any" name=form::RULE_JOIN value="any" checked=!all/>
                    <label for="rule-join-any">{t("surveys.rule_any")}</label>
                </div>
            </div>
            {rows.into_iter().enumerate().map(|(i, (question, op, value, min, max))| {
                let n = (i + 1).to_string();
                let ids = ["question", "op", "value", "min", "max"].map(|f| format!("rule-{n}-{f}"));
                let values = values.clone();
                view! {
                    <div class="rule-row" role="group" aria-label=locale.t_with("surveys.rule_n", &[("n", &n)])>
                        <div class="field">
                            <label for=ids[0].clone()>{t("surveys.rule_question")}</label>
                            <select id=ids[0].clone() name=form::RULE_QUESTION>
                                <option value="" selected=question.is_empty()>{t("surveys.rule_none")}</option>
                                <option value=STAKEHOLDER_QUESTION selected=question == STAKEHOLDER_QUESTION>{t("render.stakeholder_short")}</option>
                                {earlier.iter().map(|q| view! {
                                    <option value=q.key.clone() selected=question == q.key>{q.text.get(locale).to_owned()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for=ids[1].clone()>{t("surveys.rule_op")}</label>
                            <select id=ids[1].clone() name=form::RULE_OP>
                                {["equals", "includes", "in_range"].map(|code| view! {
                                    <option value=code selected=op == code>{locale.t(&format!("surveys.op.{code}"))}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for=ids[2].clone()>{t("surveys.rule_value")}</label>
                            <select id=ids[2].clone() name=form::RULE_VALUE>
                                <option value="" selected=value.is_empty()>"–"</option>
                                {values.into_iter().map(|(group, options)| view! {
                                    <optgroup label=group>
                                        {options.into_iter().map(|(key, label)| {
                                            let selected = key == value;
                                            view! { <option value=key selected=selected>{label}</option> }
                                        }).collect_view()}
                                    </optgroup>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for=ids[3].clone()>{t("surveys.rule_min")}</label>
                            <input type="text" id=ids[3].clone() name=form::RULE_MIN value=min inputmode="decimal" class="input-short"/>
                        </div>
                        <div class="field">
                            <label for=ids[4].clone()>{t("surveys.rule_max")}</label>
                            <input type="text" id=ids[4].clone() name=form::RULE_MAX value=max inputmode="decimal" class="input-short"/>
                        </div>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}
