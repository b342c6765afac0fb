//! Show-if rules: when a section or question is shown, given the answers so far. One pure
//! module, used by the server (to validate a response and to ignore answers to hidden
//! questions) and by the browser (to show and hide questions live).
//!
//! Invariants: a condition only refers to questions *before* the thing it guards (checked by
//! `validate`), so visibility is computed in one pass in survey order; an answer to a hidden
//! question counts as no answer; a rule about a question with no answer does not hold.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::model::Definition;

/// The built-in question every survey asks: the participant's stakeholder group (MISSION §5).
/// Conditions may refer to it like any question; it comes before every section.
pub const STAKEHOLDER_QUESTION: &str = "stakeholder_group";

/// An answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// Single choice, dropdown, yes/no ("yes" or "no"), the stakeholder group. `other` holds
    /// the text of "other, please specify".
    Choice {
        key: String,
        other: Option<String>,
    },
    /// Multiple choice.
    Choices {
        keys: Vec<String>,
        other: Option<String>,
    },
    /// Choice keys, most preferred first.
    Ranking(Vec<String>),
    /// Matrix row key → scale key.
    Matrix(BTreeMap<String, String>),
    /// Number, rating, NPS.
    Number(f64),
    /// Short and long text, email, phone.
    Text(String),
    Date(NaiveDate),
}

impl Answer {
    /// A choice answer without "other" text.
    pub fn choice(key: &str) -> Self {
        Answer::Choice {
            key: key.to_owned(),
            other: None,
        }
    }
}

/// Question key → answer.
pub type Answers = BTreeMap<String, Answer>;

/// A rule about earlier answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The answer is exactly `value`: the chosen key (one key, for multiple choice), the
    /// number, the date (`YYYY-MM-DD`) or the text (ignoring case and surrounding spaces).
    Equals { question: String, value: String },
    /// The chosen keys include `value` (single-choice answers are a set of one).
    Includes { question: String, value: String },
    /// A numeric answer lies in the range, both ends included; an open end is unbounded.
    InRange {
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    /// Every one holds (none: holds).
    All { conditions: Vec<Condition> },
    /// At least one holds (none: does not hold).
    Any { conditions: Vec<Condition> },
}

impl Condition {
    /// Whether the rule holds for these answers.
    pub fn holds(&self, answers: &Answers) -> bool {
        match self {
            Condition::Equals { question, value } => {
                answers.get(question).is_some_and(|a| equals(a, value))
            }
            Condition::Includes { question, value } => {
                answers.get(question).is_some_and(|a| includes(a, value))
            }
            Condition::InRange { question, min, max } => match answers.get(question) {
                Some(Answer::Number(n)) => {
                    min.is_none_or(|min| *n >= min) && max.is_none_or(|max| *n <= max)
                }
                _ => false,
            },
            Condition::All { conditions } => conditions.iter().all(|c| c.holds(answers)),
            Condition::Any { conditions } => conditions.iter().any(|c| c.holds(answers)),
        }
    }

    /// Every question the rule refers to.
    pub fn questions(&self) -> Vec<&str> {
        match self {
            Condition::Equals { question, .. }
            | Condition::Includes { question, .. }
            | Condition::InRange { question, .. } => vec![question.as_str()],
            Condition::All { conditions } | Condition::Any { conditions } => {
                conditions.iter().flat_map(Condition::questions).collect()
            }
        }
    }

    /// How deeply `all`/`any` nest (an atom is 1).
    pub fn depth(&self) -> usize {
        match self {
            Condition::All { conditions } | Condition::Any { conditions } => {
                1 + conditions.iter().map(Condition::depth).max().unwrap_or(0)
            }
            _ => 1,
        }
    }
}

fn equals(answer: &Answer, value: &str) -> bool {
    match answer {
        Answer::Choice { key, .. } => key == value,
        Answer::Choices { keys, .. } => keys.len() == 1 && keys[0] == value,
        Answer::Number(n) => value.trim().parse::<f64>().is_ok_and(|v| v == *n),
        Answer::Text(text) => text.trim().to_lowercase() == value.trim().to_lowercase(),
        Answer::Date(date) => value.trim().parse::<NaiveDate>().is_ok_and(|v| v == *date),
        Answer::Ranking(_) | Answer::Matrix(_) => false,
    }
}

fn includes(answer: &Answer, value: &str) -> bool {
    match answer {
        Answer::Choice { key, .. } => key == value,
        Answer::Choices { keys, .. } => keys.iter().any(|k| k == value),
        _ => false,
    }
}

/// What a participant sees for these answers: the visible sections (by index) and questions
/// (by key), and the answers that count (those to visible questions, plus the stakeholder group).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Visibility {
    pub sections: BTreeSet<usize>,
    pub questions: BTreeSet<String>,
    pub answers: Answers,
}

/// Works out, in survey order, which sections and questions show.
pub fn visibility(definition: &Definition, answers: &Answers) -> Visibility {
    let mut seen = Visibility::default();
    if let Some(group) = answers.get(STAKEHOLDER_QUESTION) {
        seen.answers
            .insert(STAKEHOLDER_QUESTION.to_owned(), group.clone());
    }
    for (index, section) in definition.sections.iter().enumerate() {
        if !section
            .show_if
            .as_ref()
            .is_none_or(|c| c.holds(&seen.answers))
        {
            continue;
        }
        seen.sections.insert(index);
        for question in &section.questions {
            if !question
                .show_if
                .as_ref()
                .is_none_or(|c| c.holds(&seen.answers))
            {
                continue;
            }
            seen.questions.insert(question.key.clone());
            if let Some(answer) = answers.get(&question.key) {
                seen.answers.insert(question.key.clone(), answer.clone());
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::model::{Kind, Question, Section, Text};

    fn question(key: &str, show_if: Option<Condition>) -> Question {
        Question {
            key: key.to_owned(),
            text: Text::new("س", "Q"),
            help: Text::default(),
            required: false,
            show_if,
            kind: Kind::new_of("single_choice").expect("kind"),
        }
    }

    fn eq(question: &str, value: &str) -> Condition {
        Condition::Equals {
            question: question.to_owned(),
            value: value.to_owned(),
        }
    }

    #[test]
    fn atoms_compare_answers_of_each_kind() {
        let mut answers = Answers::new();
        answers.insert("pick".into(), Answer::choice("c1"));
        answers.insert(
            "many".into(),
            Answer::Choices {
                keys: vec!["a".into(), "b".into()],
                other: None,
            },
        );
        answers.insert("age".into(), Answer::Number(34.0));
        answers.insert("city".into(), Answer::Text("  Riyadh ".into()));
        answers.insert(
            "day".into(),
            Answer::Date(NaiveDate::from_ymd_opt(2026, 11, 28).expect("date")),
        );
        assert!(eq("pick", "c1").holds(&answers));
        assert!(!eq("pick", "c2").holds(&answers));
        assert!(!eq("many", "a").holds(&answers), "equals needs exactly one");
        assert!(eq("age", "34").holds(&answers));
        assert!(eq("city", "riyadh").holds(&answers));
        assert!(eq("day", "2026-11-28").holds(&answers));
        assert!(!eq("missing", "x").holds(&answers));
        let includes = |q: &str, v: &str| Condition::Includes {
            question: q.into(),
            value: v.into(),
        };
        assert!(includes("many", "b").holds(&answers));
        assert!(includes("pick", "c1").holds(&answers));
        assert!(!includes("many", "c").holds(&answers));
        let range = |min, max| Condition::InRange {
            question: "age".into(),
            min,
            max,
        };
        assert!(range(Some(18.0), Some(34.0)).holds(&answers));
        assert!(range(None, Some(40.0)).holds(&answers));
        assert!(!range(Some(35.0), None).holds(&answers));
        assert!(Condition::All { conditions: vec![] }.holds(&answers));
        assert!(!Condition::Any { conditions: vec![] }.holds(&answers));
        let both = Condition::All {
            conditions: vec![eq("pick", "c1"), includes("many", "a")],
        };
        let either = Condition::Any {
            conditions: vec![eq("pick", "c2"), includes("many", "a")],
        };
        assert!(both.holds(&answers) && either.holds(&answers));
        assert_eq!(both.depth(), 2);
        assert_eq!(both.questions(), vec!["pick", "many"]);
    }

    #[test]
    fn answers_to_hidden_questions_do_not_count() {
        let definition = Definition {
            sections: vec![
                Section {
                    questions: vec![
                        question("a", None),
                        question("b", Some(eq("a", "c1"))),
                        question("c", Some(eq("b", "c1"))),
                    ],
                    ..Section::new("s1")
                },
                Section {
                    show_if: Some(eq(STAKEHOLDER_QUESTION, "academic")),
                    questions: vec![question("d", None)],
                    ..Section::new("s2")
                },
            ],
            ..Definition::default()
        };
        let mut answers = Answers::new();
        answers.insert("a".into(), Answer::choice("c2"));
        answers.insert("b".into(), Answer::choice("c1"));
        answers.insert("d".into(), Answer::choice("c1"));
        let seen = visibility(&definition, &answers);
        assert_eq!(seen.questions, BTreeSet::from(["a".to_owned()]));
        assert!(
            !seen.questions.contains("c"),
            "b is hidden, so its answer cannot show c"
        );
        assert!(!seen.answers.contains_key("b"));
        assert_eq!(seen.sections, BTreeSet::from([0]));
        answers.insert(STAKEHOLDER_QUESTION.into(), Answer::choice("academic"));
        answers.insert("a".into(), Answer::choice("c1"));
        let seen = visibility(&definition, &answers);
        assert_eq!(seen.sections, BTreeSet::from([0, 1]));
        assert_eq!(seen.questions.len(), 4);
    }
}
