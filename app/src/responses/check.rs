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

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::Locale;
use crate::numbers::{parse_number, western_digits};
use crate::surveys::StakeholderGroup;
use crate::surveys::conditions::{Answer, Answers, STAKEHOLDER_QUESTION, visibility};
use crate::surveys::model::{Choice, Definition, Kind, OTHER, Question};

/// The longest "other, please specify" text.
pub const MAX_OTHER: usize = 200;
/// The longest short text when the author set no limit.
pub const MAX_SHORT_TEXT: usize = 500;

/// A problem with one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerError {
    /// The question's key (`stakeholder_group` for the built-in question).
    pub question: String,
    /// The id of the input to move to (the first one of a group).
    pub field: String,
    /// The catalogue key of the message, under `answer_errors.`.
    pub code: String,
    /// Values for the message's placeholders.
    pub args: Vec<(String, String)>,
}

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

fn required_code(kind: &Kind) -> &'static str {
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

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Whether one answer fits its question.
fn fits(question: &Question, answer: &Answer, field: String) -> Result<(), AnswerError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::conditions::Condition;
    use crate::surveys::model::{Section, Text};

    fn question(key: &str, kind: &str, required: bool) -> Question {
        Question {
            key: key.into(),
            text: Text::new("س", "Q"),
            help: Text::default(),
            required,
            show_if: None,
            kind: Kind::new_of(kind).expect("kind"),
        }
    }

    fn survey() -> Definition {
        let mut number = question("age", "number", true);
        number.kind = Kind::Number {
            decimal: false,
            min: Some(18.0),
            max: Some(99.0),
        };
        let mut follow = question("why", "short_text", true);
        follow.show_if = Some(Condition::Equals {
            question: "pick".into(),
            value: "c2".into(),
        });
        Definition {
            sections: vec![
                Section {
                    questions: vec![question("pick", "single_choice", true), follow],
                    ..Section::new("s1")
                },
                Section {
                    questions: vec![
                        number,
                        question("many", "multiple_choice", false),
                        question("rank", "ranking", false),
                        question("grid", "matrix", true),
                    ],
                    ..Section::new("s2")
                },
            ],
            ..Definition::default()
        }
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn codes(errors: &[AnswerError]) -> Vec<(&str, &str)> {
        errors
            .iter()
            .map(|e| (e.question.as_str(), e.code.as_str()))
            .collect()
    }

    #[test]
    fn a_page_reports_missing_required_answers_in_page_order() {
        let definition = survey();
        let first = Scope::Section {
            index: 0,
            first: true,
        };
        let (_, errors) = read_page(&definition, first, &Answers::new(), &[]);
        assert_eq!(
            codes(&errors),
            vec![
                ("stakeholder_group", "choose_group"),
                ("pick", "choose_one")
            ]
        );
        assert_eq!(errors[1].field, "q-pick-c1");
        // The follow-up shows (and is required) only when its rule holds.
        let (answers, errors) = read_page(
            &definition,
            first,
            &Answers::new(),
            &fields(&[("stakeholder_group", "academic"), ("q.pick", "c2")]),
        );
        assert_eq!(codes(&errors), vec![("why", "required")]);
        assert_eq!(answers.len(), 2);
    }

    #[test]
    fn answers_are_read_checked_and_written_back() {
        let definition = survey();
        let second = Scope::Section {
            index: 1,
            first: false,
        };
        let known = Answers::from([("pick".into(), Answer::choice("c1"))]);
        let typed = fields(&[
            ("q.age", "١٧"),
            ("q.many", "c1"),
            ("q.many", "zz"),
            ("q.rank.rank.c1", "1"),
            ("q.rank.rank.c2", "1"),
            ("q.grid.r1", "2"),
        ]);
        let (_, errors) = read_page(&definition, second, &known, &typed);
        assert_eq!(
            codes(&errors),
            vec![
                ("age", "between"),
                ("many", "unknown_choice"),
                ("rank", "ranks_differ")
            ]
        );
        assert_eq!(
            errors[0].message(Locale::En),
            "Enter a number from 18 to 99"
        );
        let typed = fields(&[
            ("q.age", "٤٢"),
            ("q.many", "c2"),
            ("q.rank.rank.c2", "1"),
            ("q.rank.rank.c1", "2"),
            ("q.grid.r1", "3"),
        ]);
        let (answers, errors) = read_page(&definition, second, &known, &typed);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(answers["age"], Answer::Number(42.0));
        assert_eq!(
            answers["rank"],
            Answer::Ranking(vec!["c2".into(), "c1".into()])
        );
        // Written back as fields, the answers read the same.
        let back = fields_from_answers(&definition, &answers);
        let (again, errors) = read_page(&definition, second, &known, &back);
        assert!(errors.is_empty());
        assert_eq!(again, answers);
    }

    #[test]
    fn complete_responses_refuse_unknown_questions_and_drop_hidden_answers() {
        let definition = survey();
        let mut answers = Answers::from([
            (STAKEHOLDER_QUESTION.into(), Answer::choice("citizen")),
            ("pick".into(), Answer::choice("c1")),
            ("why".into(), Answer::Text("hidden".into())),
            ("age".into(), Answer::Number(30.0)),
            (
                "grid".into(),
                Answer::Matrix(BTreeMap::from([("r1".into(), "1".into())])),
            ),
        ]);
        let (kept, errors) = check_complete(&definition, &answers);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(!kept.contains_key("why"));
        answers.insert("nope".into(), Answer::Text("x".into()));
        answers.insert("age".into(), Answer::Text("x".into()));
        let (_, errors) = check_complete(&definition, &answers);
        assert_eq!(
            codes(&errors),
            vec![("age", "wrong_type"), ("nope", "unknown_question")]
        );
    }

    #[test]
    fn emails_and_phones() {
        assert!(is_email("a.b@example.org"));
        assert!(!is_email("a b@example.org") && !is_email("ab@example") && !is_email("@x.org"));
        assert!(is_phone("+966 ٥٥ ١٢٣ ٤٥٦٧") && is_phone("(011) 555-1234"));
        assert!(!is_phone("12345") && !is_phone("call me"));
    }
}
