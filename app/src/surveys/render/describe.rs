//! Show-if rules in words ("Shown when “Do you use the service?” is “Yes”"), for the editor
//! and for forms without JavaScript.

use crate::Locale;
use crate::surveys::StakeholderGroup;
use crate::surveys::conditions::{Condition, STAKEHOLDER_QUESTION};
use crate::surveys::model::{Definition, Kind};

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
