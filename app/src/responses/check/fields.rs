//! Form fields to typed answers and back: what the form posts (`q.<key>`, `q.<key>.other`,
//! `q.<key>.<row>`, `q.<key>.rank.<choice>`) read into [`Answers`], reporting what cannot be
//! read, and answers written out as the fields that show them.

use std::collections::BTreeMap;

use super::fits::format_number;
use super::{AnswerError, Scope, field_id};
use crate::numbers::{parse_number, western_digits};
use crate::surveys::conditions::{Answer, Answers, STAKEHOLDER_QUESTION};
use crate::surveys::model::{Definition, Kind, OTHER};

fn value<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, v)| n == name && !v.trim().is_empty())
        .map(|(_, v)| v.as_str())
}

fn values<'a>(fields: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    fields
        .iter()
        .filter(|(n, v)| n == name && !v.trim().is_empty())
        .map(|(_, v)| v.as_str())
        .collect()
}

fn other_text(fields: &[(String, String)], name: &str, key: &str) -> Option<String> {
    (key == OTHER)
        .then(|| value(fields, &format!("{name}.other")).map(|v| v.trim().to_owned()))
        .flatten()
}

/// Reads the answers in scope from form fields. Empty fields are no answer; what cannot be
/// read (letters in a number, an impossible date, two choices ranked the same) is an error.
pub fn parse_fields(
    definition: &Definition,
    scope: Scope,
    fields: &[(String, String)],
) -> (Answers, Vec<AnswerError>) {
    let mut answers = Answers::new();
    let mut errors = Vec::new();
    if scope.includes_group()
        && let Some(group) = value(fields, STAKEHOLDER_QUESTION)
    {
        answers.insert(
            STAKEHOLDER_QUESTION.to_owned(),
            Answer::choice(group.trim()),
        );
    }
    for question in scope.questions(definition) {
        let name = format!("q.{}", question.key);
        let parsed: Result<Option<Answer>, &str> = match &question.kind {
            Kind::SingleChoice { .. } | Kind::Dropdown { .. } | Kind::YesNo => {
                Ok(value(fields, &name).map(|key| Answer::Choice {
                    key: key.to_owned(),
                    other: other_text(fields, &name, key),
                }))
            }
            Kind::MultipleChoice { .. } => {
                let keys: Vec<String> = values(fields, &name)
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                let other = keys.iter().find_map(|k| other_text(fields, &name, k));
                Ok((!keys.is_empty()).then_some(Answer::Choices { keys, other }))
            }
            Kind::Rating { .. } | Kind::Nps | Kind::Number { .. } => match value(fields, &name) {
                None => Ok(None),
                Some(text) => parse_number(text)
                    .map(|n| Some(Answer::Number(n)))
                    .ok_or("not_a_number"),
            },
            Kind::Date => match value(fields, &name) {
                None => Ok(None),
                Some(text) => western_digits(text)
                    .parse()
                    .map(|d| Some(Answer::Date(d)))
                    .map_err(|_| "not_a_date"),
            },
            Kind::ShortText { .. } | Kind::LongText { .. } | Kind::Email | Kind::Phone => {
                Ok(value(fields, &name).map(|v| Answer::Text(v.trim().to_owned())))
            }
            Kind::Matrix { rows, .. } => {
                let chosen: BTreeMap<String, String> = rows
                    .iter()
                    .filter_map(|row| {
                        value(fields, &format!("{name}.{}", row.key))
                            .map(|p| (row.key.clone(), p.to_owned()))
                    })
                    .collect();
                Ok((!chosen.is_empty()).then_some(Answer::Matrix(chosen)))
            }
            Kind::Ranking { choices } => {
                let mut ranked: Vec<(u32, String)> = Vec::new();
                let mut bad = false;
                for choice in choices {
                    if let Some(text) = value(fields, &format!("{name}.rank.{}", choice.key)) {
                        match parse_number(text) {
                            Some(n) if n.fract() == 0.0 && n >= 1.0 => {
                                ranked.push((n as u32, choice.key.clone()))
                            }
                            _ => bad = true,
                        }
                    }
                }
                ranked.sort();
                let distinct = ranked.windows(2).all(|w| w[0].0 != w[1].0);
                if bad || !distinct {
                    Err("ranks_differ")
                } else {
                    Ok((!ranked.is_empty())
                        .then(|| Answer::Ranking(ranked.into_iter().map(|(_, k)| k).collect())))
                }
            }
        };
        match parsed {
            Ok(Some(answer)) => {
                answers.insert(question.key.clone(), answer);
            }
            Ok(None) => {}
            Err(code) => errors.push(AnswerError::new(question, field_id(question), code)),
        }
    }
    (answers, errors)
}

/// The form fields that show these answers (to fill a form in from a draft).
pub fn fields_from_answers(definition: &Definition, answers: &Answers) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    if let Some(Answer::Choice { key, .. }) = answers.get(STAKEHOLDER_QUESTION) {
        fields.push((STAKEHOLDER_QUESTION.to_owned(), key.clone()));
    }
    for question in definition.sections.iter().flat_map(|s| &s.questions) {
        let name = format!("q.{}", question.key);
        let Some(answer) = answers.get(&question.key) else {
            continue;
        };
        match answer {
            Answer::Choice { key, other } => {
                fields.push((name.clone(), key.clone()));
                if let Some(other) = other {
                    fields.push((format!("{name}.other"), other.clone()));
                }
            }
            Answer::Choices { keys, other } => {
                for key in keys {
                    fields.push((name.clone(), key.clone()));
                }
                if let Some(other) = other {
                    fields.push((format!("{name}.other"), other.clone()));
                }
            }
            Answer::Ranking(order) => {
                for (rank, key) in order.iter().enumerate() {
                    fields.push((format!("{name}.rank.{key}"), (rank + 1).to_string()));
                }
            }
            Answer::Matrix(rows) => {
                for (row, point) in rows {
                    fields.push((format!("{name}.{row}"), point.clone()));
                }
            }
            Answer::Number(n) => fields.push((name, format_number(*n))),
            Answer::Text(text) => fields.push((name, text.clone())),
            Answer::Date(date) => fields.push((name, date.to_string())),
        }
    }
    fields
}
