//! Reading and checking answers: one pure module, run by the server on every submission (form,
//! staff-assisted entry and API alike) and by the browser for live validation, so both give the
//! same verdict in the same words.
//!
//! Form fields are named as the form renders them (`surveys::render`): `stakeholder_group`,
//! `q.<key>`, `q.<key>.other`, `q.<key>.<row>` (matrix rows), `q.<key>.rank.<choice>`
//! (ranking). [`parse_fields`] turns them into typed [`Answers`] (reporting what cannot be
//! read, such as letters in a number); [`check`] applies the survey's rules to typed answers
//! (which is all an API caller sends); [`fields_from_answers`] goes back, to fill a form in.
//!
//! Invariants: only questions in scope are read or checked; an answer to a question its rules
//! hide is dropped, never an error; every error names the field to link to.
//!
//! Reading form fields and writing them back is in `fields`; whether one answer fits its
//! question (choices, ranges, lengths, formats) in `fits`.

mod fields;
mod fits;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use crate::Locale;
use crate::surveys::StakeholderGroup;
use crate::surveys::conditions::{Answer, Answers, STAKEHOLDER_QUESTION, visibility};
use crate::surveys::model::{Definition, Kind, Question};

pub use fields::{fields_from_answers, parse_fields};
use fits::{fits, required_code};
pub use fits::{is_email, is_phone};

/// The longest "other, please specify" text.
pub const MAX_OTHER: usize = 200;
/// The longest short text when the author set no limit.
pub const MAX_SHORT_TEXT: usize = 500;

pub use crate::problems::AnswerError;

impl AnswerError {
    fn new(question: &Question, field: String, code: &str) -> Self {
        Self {
            question: question.key.clone(),
            field,
            code: code.to_owned(),
            args: Vec::new(),
        }
    }

    fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.args.push((name.to_owned(), value.to_string()));
        self
    }

    /// The message in `locale`, e.g. "Enter a number from 1 to 5".
    pub fn message(&self, locale: Locale) -> String {
        let args: Vec<(&str, &str)> = self
            .args
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        locale.t_with(&format!("answer_errors.{}", self.code), &args)
    }
}

/// The id of the input an error about `question` links to (the first input of a group).
pub fn field_id(question: &Question) -> String {
    let key = &question.key;
    match &question.kind {
        Kind::SingleChoice { choices, .. } | Kind::MultipleChoice { choices, .. } => choices
            .first()
            .map(|c| format!("q-{key}-{}", c.key))
            .unwrap_or_else(|| format!("q-{key}")),
        Kind::YesNo => format!("q-{key}-yes"),
        Kind::Rating { min, .. } => format!("q-{key}-{min}"),
        Kind::Nps => format!("q-{key}-0"),
        Kind::Matrix { rows, scale } => match (rows.first(), scale.first()) {
            (Some(row), Some(point)) => format!("q-{key}-{}-{}", row.key, point.key),
            _ => format!("q-{key}"),
        },
        Kind::Ranking { choices } => choices
            .first()
            .map(|c| format!("q-{key}-rank-{}", c.key))
            .unwrap_or_else(|| format!("q-{key}")),
        _ => format!("q-{key}"),
    }
}

/// The id of the first stakeholder-group radio button.
pub fn stakeholder_field() -> String {
    format!("{STAKEHOLDER_QUESTION}-{}", StakeholderGroup::ALL[0].code())
}

/// Which questions a page (or a whole response) covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every question, and the stakeholder group.
    All,
    /// One section's questions (by index); the first page also asks the stakeholder group.
    Section { index: usize, first: bool },
}

impl Scope {
    fn includes_group(self) -> bool {
        matches!(self, Scope::All | Scope::Section { first: true, .. })
    }

    fn questions(self, definition: &Definition) -> Vec<&Question> {
        match self {
            Scope::All => definition
                .sections
                .iter()
                .flat_map(|s| &s.questions)
                .collect(),
            Scope::Section { index, .. } => definition
                .sections
                .get(index)
                .map(|s| s.questions.iter().collect())
                .unwrap_or_default(),
        }
    }

    /// The keys whose answers this scope replaces.
    pub fn keys(self, definition: &Definition) -> BTreeSet<String> {
        let mut keys: BTreeSet<String> = self
            .questions(definition)
            .into_iter()
            .map(|q| q.key.clone())
            .collect();
        if self.includes_group() {
            keys.insert(STAKEHOLDER_QUESTION.to_owned());
        }
        keys
    }
}

/// Checks answers against the survey: for every question in scope that the rules show,
/// required answers are there and every answer fits its question (choices that exist,
/// numbers in range, lengths, formats). `answers` holds every answer known so far (earlier
/// pages included), since rules may depend on them. Questions in `skip` (already reported by
/// [`parse_fields`]) are not checked again.
pub fn check(
    definition: &Definition,
    answers: &Answers,
    scope: Scope,
    skip: &BTreeSet<String>,
) -> Vec<AnswerError> {
    let mut errors = Vec::new();
    if scope.includes_group() && !skip.contains(STAKEHOLDER_QUESTION) {
        let ok = match answers.get(STAKEHOLDER_QUESTION) {
            Some(Answer::Choice { key, .. }) => StakeholderGroup::from_code(key).is_some(),
            _ => false,
        };
        if !ok {
            errors.push(AnswerError {
                question: STAKEHOLDER_QUESTION.to_owned(),
                field: stakeholder_field(),
                code: if answers.contains_key(STAKEHOLDER_QUESTION) {
                    "unknown_choice".into()
                } else {
                    "choose_group".into()
                },
                args: Vec::new(),
            });
        }
    }
    let seen = visibility(definition, answers);
    for question in scope.questions(definition) {
        if skip.contains(&question.key) || !seen.questions.contains(&question.key) {
            continue;
        }
        let field = field_id(question);
        match answers.get(&question.key) {
            None if question.required => errors.push(AnswerError::new(
                question,
                field,
                required_code(&question.kind),
            )),
            None => {}
            Some(answer) => {
                if let Err(error) = fits(question, answer, field) {
                    errors.push(error);
                }
            }
        }
    }
    errors
}

/// Reads and checks one page (or, with [`Scope::All`], a whole response) from form fields.
/// `known` holds the answers of other pages. Returns every answer known afterwards (this
/// page's replacing what `known` had for it, hidden questions' answers dropped) and the
/// errors, in page order.
pub fn read_page(
    definition: &Definition,
    scope: Scope,
    known: &Answers,
    fields: &[(String, String)],
) -> (Answers, Vec<AnswerError>) {
    let (parsed, mut errors) = parse_fields(definition, scope, fields);
    let replaced = scope.keys(definition);
    let mut all: Answers = known
        .iter()
        .filter(|(k, _)| !replaced.contains(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    all.extend(parsed);
    let skip: BTreeSet<String> = errors.iter().map(|e| e.question.clone()).collect();
    errors.extend(check(definition, &all, scope, &skip));
    order_errors(definition, &mut errors);
    (visibility(definition, &all).answers, errors)
}

/// Checks a complete response sent as typed answers (the API). Answers to questions the
/// survey does not have are errors; answers to hidden questions are dropped.
pub fn check_complete(definition: &Definition, answers: &Answers) -> (Answers, Vec<AnswerError>) {
    let mut errors: Vec<AnswerError> = answers
        .keys()
        .filter(|k| *k != STAKEHOLDER_QUESTION && definition.question(k).is_none())
        .map(|k| AnswerError {
            question: k.clone(),
            field: k.clone(),
            code: "unknown_question".into(),
            args: Vec::new(),
        })
        .collect();
    errors.extend(check(definition, answers, Scope::All, &BTreeSet::new()));
    order_errors(definition, &mut errors);
    (visibility(definition, answers).answers, errors)
}

/// Sorts errors into the order the questions are asked (the error summary follows the page).
fn order_errors(definition: &Definition, errors: &mut [AnswerError]) {
    let position = |key: &str| {
        if key == STAKEHOLDER_QUESTION {
            return 0;
        }
        definition
            .sections
            .iter()
            .flat_map(|s| &s.questions)
            .position(|q| q.key == key)
            .map_or(usize::MAX, |p| p + 1)
    };
    errors.sort_by_key(|e| position(&e.question));
}
