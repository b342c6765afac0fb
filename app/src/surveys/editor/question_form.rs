//! The question form's contract between the editor, which writes it (`question`, `show_if`),
//! and the server, which reads it back: every field's name is defined once here, beside the
//! code that reads it. A problem is reported against the field's name with a catalogue key,
//! so the page comes back with the message beside the field and everything typed kept.

use super::RULE_ROWS;
use crate::numbers::parse_number;
use crate::page_state::FormFeedback;
use crate::posted::Fields;
use crate::surveys::conditions::Condition;
use crate::surveys::model::{Choice, Kind, Question, Text};

/// The version of the survey the form was made from (every editor form carries it).
pub const VERSION: &str = "version";
pub const TEXT_AR: &str = "text_ar";
pub const TEXT_EN: &str = "text_en";
pub const HELP_AR: &str = "help_ar";
pub const HELP_EN: &str = "help_en";
pub const REQUIRED: &str = "required";
/// Choice questions: whether an "other" answer with its own text is offered.
pub const OTHER: &str = "other";
/// Multiple choice: how many may be chosen; numbers: the smallest and largest answer.
pub const MIN: &str = "min";
pub const MAX: &str = "max";
pub const SCALE_MIN: &str = "scale_min";
pub const SCALE_MAX: &str = "scale_max";
pub const MIN_LABEL_AR: &str = "min_label_ar";
pub const MIN_LABEL_EN: &str = "min_label_en";
pub const MAX_LABEL_AR: &str = "max_label_ar";
pub const MAX_LABEL_EN: &str = "max_label_en";
pub const MAX_LENGTH: &str = "max_length";
pub const DECIMAL: &str = "decimal";
/// Show-if rules: how several rows join (`all` or `any`), and each row's columns.
pub const RULE_JOIN: &str = "rule_join";
pub const RULE_QUESTION: &str = "rule_question";
pub const RULE_OP: &str = "rule_op";
pub const RULE_VALUE: &str = "rule_value";
pub const RULE_MIN: &str = "rule_min";
pub const RULE_MAX: &str = "rule_max";

/// A table of labelled choices in the form: one row per choice, each with the choice's key
/// (empty for a new row) and its label in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChoiceTable {
    /// The fields' common name: `{name}_key`, `{name}_ar`, `{name}_en`.
    pub name: &'static str,
    /// The prefix of the keys new rows get (`c1`, `r1`, `p1`).
    pub prefix: &'static str,
}

/// A choice question's choices.
pub const CHOICES: ChoiceTable = ChoiceTable {
    name: "choice",
    prefix: "c",
};
/// A matrix's rows.
pub const ROWS: ChoiceTable = ChoiceTable {
    name: "row",
    prefix: "r",
};
/// A matrix's scale points.
pub const POINTS: ChoiceTable = ChoiceTable {
    name: "point",
    prefix: "p",
};

impl ChoiceTable {
    pub fn key(self) -> String {
        format!("{}_key", self.name)
    }

    pub fn ar(self) -> String {
        format!("{}_ar", self.name)
    }

    pub fn en(self) -> String {
        format!("{}_en", self.name)
    }

    /// The choices from the table: existing keys kept, new rows given fresh keys, rows with
    /// both labels cleared removed.
    pub fn read(self, fields: &Fields) -> Vec<Choice> {
        let keys = fields.all(&self.key());
        let ar = fields.all(&self.ar());
        let en = fields.all(&self.en());
        let mut choices: Vec<Choice> = Vec::new();
        let mut next = 1;
        for ((key, ar), en) in keys.iter().zip(&ar).zip(&en) {
            let label = Text::new(ar.trim(), en.trim());
            if label.is_empty() {
                continue;
            }
            let key = if key.is_empty() {
                loop {
                    let candidate = format!("{}{next}", self.prefix);
                    next += 1;
                    if !keys.contains(&candidate) && !choices.iter().any(|c| c.key == candidate) {
                        break candidate;
                    }
                }
            } else {
                key.clone()
            };
            choices.push(Choice { key, label });
        }
        choices
    }
}

/// The question as the form changes it: wording, help, whether it is required, its type's
/// settings (the type itself never changes here) and its show-if rules. Problems go into
/// `feedback`; when there are any, the question returned is not to be saved.
pub fn read(existing: &Question, fields: &Fields, feedback: &mut FormFeedback) -> Question {
    Question {
        key: existing.key.clone(),
        text: Text::new(fields.get(TEXT_AR).trim(), fields.get(TEXT_EN).trim()),
        help: Text::new(fields.get(HELP_AR).trim(), fields.get(HELP_EN).trim()),
        required: fields.checked(REQUIRED),
        kind: read_kind(&existing.kind, fields, feedback),
        show_if: read_rules(fields, feedback),
    }
}

fn problem(feedback: &mut FormFeedback, field: &str, key: &str) {
    feedback.errors.push((field.to_owned(), key.to_owned()));
}

fn read_whole(fields: &Fields, name: &str, feedback: &mut FormFeedback) -> Option<u32> {
    let value = fields.get(name);
    if value.trim().is_empty() {
        return None;
    }
    match parse_number(&value) {
        Some(n) if n.fract() == 0.0 && (0.0..=1_000_000.0).contains(&n) => Some(n as u32),
        _ => {
            problem(feedback, name, "surveys.not_whole_number");
            None
        }
    }
}

fn read_decimal(fields: &Fields, name: &str, feedback: &mut FormFeedback) -> Option<f64> {
    let value = fields.get(name);
    if value.trim().is_empty() {
        return None;
    }
    let number = parse_number(&value);
    if number.is_none() {
        problem(feedback, name, "surveys.not_a_number");
    }
    number
}

/// The question's settings from the form, for its (unchanged) type.
fn read_kind(kind: &Kind, fields: &Fields, feedback: &mut FormFeedback) -> Kind {
    let other = fields.checked(OTHER);
    match kind {
        Kind::SingleChoice { .. } => Kind::SingleChoice {
            choices: CHOICES.read(fields),
            other,
        },
        Kind::Dropdown { .. } => Kind::Dropdown {
            choices: CHOICES.read(fields),
            other,
        },
        Kind::MultipleChoice { .. } => Kind::MultipleChoice {
            choices: CHOICES.read(fields),
            other,
            min: read_whole(fields, MIN, feedback),
            max: read_whole(fields, MAX, feedback),
        },
        Kind::Ranking { .. } => Kind::Ranking {
            choices: CHOICES.read(fields),
        },
        Kind::Matrix { .. } => Kind::Matrix {
            rows: ROWS.read(fields),
            scale: POINTS.read(fields),
        },
        Kind::Rating { min, max, .. } => {
            let mut whole = |name: &str, default: i32| match read_decimal(fields, name, feedback) {
                Some(n) if n.fract() == 0.0 && n.abs() <= 100.0 => n as i32,
                Some(_) => {
                    problem(feedback, name, "surveys.not_whole_number");
                    default
                }
                None => default,
            };
            Kind::Rating {
                min: whole(SCALE_MIN, *min),
                max: whole(SCALE_MAX, *max),
                min_label: Text::new(
                    fields.get(MIN_LABEL_AR).trim(),
                    fields.get(MIN_LABEL_EN).trim(),
                ),
                max_label: Text::new(
                    fields.get(MAX_LABEL_AR).trim(),
                    fields.get(MAX_LABEL_EN).trim(),
                ),
            }
        }
        Kind::ShortText { .. } => Kind::ShortText {
            max_length: read_whole(fields, MAX_LENGTH, feedback),
        },
        Kind::LongText { max_length } => Kind::LongText {
            max_length: read_whole(fields, MAX_LENGTH, feedback).unwrap_or(*max_length),
        },
        Kind::Number { .. } => Kind::Number {
            decimal: fields.checked(DECIMAL),
            min: read_decimal(fields, MIN, feedback),
            max: read_decimal(fields, MAX, feedback),
        },
        other => other.clone(),
    }
}

/// The show-if rules from the form's rule rows: none, one, or several joined by all/any.
fn read_rules(fields: &Fields, feedback: &mut FormFeedback) -> Option<Condition> {
    let columns = [RULE_QUESTION, RULE_OP, RULE_VALUE, RULE_MIN, RULE_MAX].map(|c| fields.all(c));
    let mut rules = Vec::new();
    for row in 0..columns[0].len().min(RULE_ROWS * 4) {
        let cell = |c: usize| {
            columns[c]
                .get(row)
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        let question = cell(0);
        if question.is_empty() {
            continue;
        }
        let rule = match cell(1).as_str() {
            "equals" => Condition::Equals {
                question,
                value: cell(2),
            },
            "includes" => Condition::Includes {
                question,
                value: cell(2),
            },
            "in_range" => {
                let (min, max) = (parse_number(&cell(3)), parse_number(&cell(4)));
                if (min.is_none() && !cell(3).is_empty())
                    || (max.is_none() && !cell(4).is_empty())
                    || (min.is_none() && max.is_none())
                {
                    problem(feedback, "", "surveys.rule_needs_range");
                }
                Condition::InRange { question, min, max }
            }
            _ => {
                problem(feedback, "", "surveys.bad_choice");
                continue;
            }
        };
        if matches!(&rule, Condition::Equals { value, .. } | Condition::Includes { value, .. } if value.is_empty())
        {
            problem(feedback, "", "surveys.rule_needs_value");
        }
        rules.push(rule);
    }
    match rules.len() {
        0 => None,
        1 => rules.pop(),
        _ if fields.get(RULE_JOIN) == "any" => Some(Condition::Any { conditions: rules }),
        _ => Some(Condition::All { conditions: rules }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn choice_tables_keep_keys_give_new_rows_fresh_ones_and_drop_cleared_rows() {
        let fields = form(&[
            ("choice_key", "c2"),
            ("choice_ar", "نعم"),
            ("choice_en", "Yes"),
            ("choice_key", ""),
            ("choice_ar", ""),
            ("choice_en", ""),
            ("choice_key", ""),
            ("choice_ar", "لا"),
            ("choice_en", "No"),
        ]);
        let keys: Vec<String> = CHOICES.read(&fields).into_iter().map(|c| c.key).collect();
        assert_eq!(keys, vec!["c2", "c1"]);
    }

    #[test]
    fn a_question_is_read_back_with_its_problems_named_by_field() {
        let existing = Question {
            key: "q1".into(),
            text: Text::default(),
            help: Text::default(),
            required: false,
            show_if: None,
            kind: Kind::Number {
                decimal: false,
                min: None,
                max: None,
            },
        };
        let mut feedback = FormFeedback::default();
        let fields = form(&[
            (TEXT_AR, " العمر "),
            (TEXT_EN, "Age"),
            (REQUIRED, "1"),
            (MIN, "١٨"),
            (MAX, "many"),
            (RULE_QUESTION, "q0"),
            (RULE_OP, "equals"),
            (RULE_VALUE, ""),
        ]);
        let question = read(&existing, &fields, &mut feedback);
        assert_eq!(question.text, Text::new("العمر", "Age"));
        assert!(question.required);
        assert!(matches!(question.kind, Kind::Number { min: Some(m), max: None, .. } if m == 18.0));
        assert_eq!(
            feedback.errors,
            vec![
                (MAX.to_owned(), "surveys.not_a_number".to_owned()),
                (String::new(), "surveys.rule_needs_value".to_owned()),
            ]
        );
    }
}
