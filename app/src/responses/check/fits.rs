//! Whether one answer fits its question: choices that exist, counts and ranges, lengths,
//! plausible email addresses and phone numbers.

use std::collections::BTreeSet;

use super::{AnswerError, MAX_OTHER, MAX_SHORT_TEXT};
use crate::numbers::western_digits;
use crate::surveys::conditions::Answer;
use crate::surveys::model::{Choice, Kind, OTHER, Question};

pub(super) fn required_code(kind: &Kind) -> &'static str {
    match kind {
        Kind::SingleChoice { .. }
        | Kind::Dropdown { .. }
        | Kind::YesNo
        | Kind::Rating { .. }
        | Kind::Nps => "choose_one",
        Kind::MultipleChoice { .. } => "choose_some",
        Kind::Matrix { .. } => "answer_rows",
        Kind::Ranking { .. } => "rank_all",
        _ => "required",
    }
}

fn has(choices: &[Choice], other: bool, key: &str) -> bool {
    choices.iter().any(|c| c.key == key) || (other && key == OTHER)
}

pub(super) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Whether one answer fits its question.
pub(super) fn fits(question: &Question, answer: &Answer, field: String) -> Result<(), AnswerError> {
    let error = |code: &str| AnswerError::new(question, field.clone(), code);
    let other_ok = |other: &Option<String>| {
        other
            .as_ref()
            .is_none_or(|text| text.chars().count() <= MAX_OTHER)
    };
    match (&question.kind, answer) {
        (
            Kind::SingleChoice { choices, other } | Kind::Dropdown { choices, other },
            Answer::Choice { key, other: text },
        ) => {
            if !has(choices, *other, key) {
                return Err(error("unknown_choice"));
            }
            if !other_ok(text) {
                return Err(error("too_long").with("max", MAX_OTHER));
            }
            Ok(())
        }
        (Kind::YesNo, Answer::Choice { key, .. }) if key == "yes" || key == "no" => Ok(()),
        (
            Kind::MultipleChoice {
                choices,
                other,
                min,
                max,
            },
            Answer::Choices { keys, other: text },
        ) => {
            let distinct: BTreeSet<&String> = keys.iter().collect();
            if distinct.len() != keys.len() || !keys.iter().all(|k| has(choices, *other, k)) {
                return Err(error("unknown_choice"));
            }
            let count = keys.len() as u32;
            if let Some(min) = min.filter(|m| count < *m) {
                return Err(error("too_few").with("min", min));
            }
            if let Some(max) = max.filter(|m| count > *m) {
                return Err(error("too_many").with("max", max));
            }
            if !other_ok(text) {
                return Err(error("too_long").with("max", MAX_OTHER));
            }
            Ok(())
        }
        (Kind::Rating { min, max, .. }, Answer::Number(n)) => {
            whole_in(*n, f64::from(*min), f64::from(*max))
                .map_err(|code| error(code).with("min", min).with("max", max))
        }
        (Kind::Nps, Answer::Number(n)) => {
            whole_in(*n, 0.0, 10.0).map_err(|code| error(code).with("min", 0).with("max", 10))
        }
        (Kind::Number { decimal, min, max }, Answer::Number(n)) => {
            if !n.is_finite() {
                return Err(error("not_a_number"));
            }
            if !decimal && n.fract() != 0.0 {
                return Err(error("whole_number"));
            }
            let low = min.is_some_and(|m| *n < m);
            let high = max.is_some_and(|m| *n > m);
            match (low || high, min, max) {
                (true, Some(min), Some(max)) => Err(error("between")
                    .with("min", format_number(*min))
                    .with("max", format_number(*max))),
                (true, Some(min), None) => Err(error("at_least").with("min", format_number(*min))),
                (true, None, Some(max)) => Err(error("at_most").with("max", format_number(*max))),
                _ => Ok(()),
            }
        }
        (Kind::Matrix { rows, scale }, Answer::Matrix(chosen)) => {
            let rows_ok = chosen.iter().all(|(row, point)| {
                rows.iter().any(|r| r.key == *row) && scale.iter().any(|p| p.key == *point)
            });
            if !rows_ok {
                return Err(error("unknown_choice"));
            }
            if question.required && chosen.len() < rows.len() {
                return Err(error("answer_rows"));
            }
            Ok(())
        }
        (Kind::Ranking { choices }, Answer::Ranking(order)) => {
            let distinct: BTreeSet<&String> = order.iter().collect();
            if distinct.len() != order.len() || !order.iter().all(|k| has(choices, false, k)) {
                return Err(error("ranks_differ"));
            }
            if question.required && order.len() < choices.len() {
                return Err(error("rank_all"));
            }
            Ok(())
        }
        (Kind::ShortText { max_length }, Answer::Text(text)) => {
            let max = max_length.map_or(MAX_SHORT_TEXT, |m| m as usize);
            length(text, max).map_err(|code| error(code).with("max", max))
        }
        (Kind::LongText { max_length }, Answer::Text(text)) => {
            length(text, *max_length as usize).map_err(|code| error(code).with("max", max_length))
        }
        (Kind::Email, Answer::Text(text)) => {
            if is_email(text) {
                Ok(())
            } else {
                Err(error("email"))
            }
        }
        (Kind::Phone, Answer::Text(text)) => {
            if is_phone(text) {
                Ok(())
            } else {
                Err(error("phone"))
            }
        }
        (Kind::Date, Answer::Date(date)) => {
            use chrono::Datelike;
            if (1900..=2100).contains(&date.year()) {
                Ok(())
            } else {
                Err(error("not_a_date"))
            }
        }
        _ => Err(error("wrong_type")),
    }
}

fn whole_in(n: f64, min: f64, max: f64) -> Result<(), &'static str> {
    if n.fract() == 0.0 && n >= min && n <= max {
        Ok(())
    } else {
        Err("scale_point")
    }
}

fn length(text: &str, max: usize) -> Result<(), &'static str> {
    if text.trim().is_empty() {
        Err("required")
    } else if text.chars().count() > max {
        Err("too_long")
    } else {
        Ok(())
    }
}

/// A plausible email address: one `@`, something before it, a dotted domain after, no spaces.
pub fn is_email(text: &str) -> bool {
    let text = text.trim();
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    text.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(char::is_whitespace)
}

/// A plausible phone number: 6 to 20 digits (Arabic-Indic too), with `+`, spaces, dashes,
/// dots or brackets between them.
pub fn is_phone(text: &str) -> bool {
    let normal = western_digits(text);
    let digits = normal.chars().filter(char::is_ascii_digit).count();
    (6..=20).contains(&digits)
        && normal
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '.' | '(' | ')'))
}
