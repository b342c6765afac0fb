//! Checks of a survey definition, each problem named by its JSON path (`$.sections[0]…`), so
//! the same report serves the editor, publishing and imported files.
//!
//! [`structure`] must hold for any stored definition (keys, choices, ranges, conditions that
//! only look back). [`for_publishing`] adds what participants need: every text written in each
//! language the survey is offered in, and at least one question. [`import`] parses untrusted
//! JSON strictly and never panics or returns a half-checked definition.
//!
//! The checks are split by topic: [`import`] (reading a file), `kinds` (each question type's
//! settings and choices), `show_if` (rules that look back), and [`check_edit`] (edits to a
//! survey that already has answers).

mod edits;
mod import;
mod kinds;
mod show_if;
#[cfg(test)]
mod tests;

use std::collections::HashSet;

use super::conditions::{Condition, STAKEHOLDER_QUESTION};
use super::model::{Choice, Definition, FORMAT, Kind, OTHER, Question, Text};
use crate::Locale;

pub use crate::problems::Problem;

impl Problem {
    fn new(path: impl Into<String>, code: &str) -> Self {
        Self {
            path: path.into(),
            code: code.to_owned(),
            detail: String::new(),
        }
    }

    fn with(path: impl Into<String>, code: &str, detail: impl ToString) -> Self {
        Self {
            path: path.into(),
            code: code.to_owned(),
            detail: detail.to_string(),
        }
    }

    /// The problem in words, in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        locale.t_with(
            &format!("validate.{}", self.code),
            &[("detail", &self.detail)],
        )
    }
}

impl Problem {
    /// Where in `definition` the problem is, in words an author reads ("Part 1, question 2:
    /// “Your age?”"), from its JSON path; `None` for the survey as a whole.
    pub fn place(&self, definition: &Definition, locale: Locale) -> Option<String> {
        let index = |name: &str| -> Option<usize> {
            let start = self.path.find(&format!("{name}["))? + name.len() + 1;
            self.path[start..].split(']').next()?.parse().ok()
        };
        let s = index("sections")?;
        let section = definition.sections.get(s)?;
        let part = (s + 1).to_string();
        let Some(q) = index("questions") else {
            return Some(locale.t_with("validate_place.section", &[("part", &part)]));
        };
        let question = section.questions.get(q)?;
        let text = question.text.get(locale);
        let text = if text.is_empty() {
            locale.t("surveys.untitled_question")
        } else {
            text.to_owned()
        };
        Some(locale.t_with(
            "validate_place.question",
            &[
                ("part", &part),
                ("n", &(q + 1).to_string()),
                ("text", &text),
            ],
        ))
    }
}

/// Imports bigger than this are refused before parsing.
pub const MAX_IMPORT_BYTES: usize = 1 << 20;
/// Limits that keep a survey usable (and a hostile import small).
pub const MAX_SECTIONS: usize = 50;
pub const MAX_QUESTIONS: usize = 300;
pub const MAX_CHOICES: usize = 100;
pub const MAX_TEXT_CHARS: usize = 5_000;
pub const MAX_CONDITION_DEPTH: usize = 4;
pub const MAX_LONG_TEXT: u32 = 20_000;

/// A key as answers and conditions use it: 1–40 of `a-z`, `0-9`, `_`, `-`.
pub fn is_key(key: &str) -> bool {
    (1..=40).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

pub use edits::check_edit;
pub use import::import;
use kinds::kind_problems;
use show_if::condition_problems;

/// What must hold of every stored definition.
pub fn structure(definition: &Definition) -> Vec<Problem> {
    let mut problems = Vec::new();
    if definition.format != FORMAT {
        problems.push(Problem::with("$.format", "format", FORMAT));
    }
    text_lengths("$.title", &definition.title, &mut problems);
    text_lengths("$.description", &definition.description, &mut problems);
    if definition.sections.is_empty() {
        problems.push(Problem::new("$.sections", "no_sections"));
    }
    if definition.sections.len() > MAX_SECTIONS {
        problems.push(Problem::with("$.sections", "too_many", MAX_SECTIONS));
    }
    let total: usize = definition.sections.iter().map(|s| s.questions.len()).sum();
    if total > MAX_QUESTIONS {
        problems.push(Problem::with("$.sections", "too_many", MAX_QUESTIONS));
    }
    let mut keys = HashSet::new();
    // Questions answered so far, in order: conditions may only look back.
    let mut earlier: Vec<&Question> = Vec::new();
    for (s, section) in definition.sections.iter().enumerate() {
        let at = format!("$.sections[{s}]");
        key_problems(&format!("{at}.key"), &section.key, &mut keys, &mut problems);
        text_lengths(&format!("{at}.title"), &section.title, &mut problems);
        text_lengths(
            &format!("{at}.description"),
            &section.description,
            &mut problems,
        );
        if let Some(condition) = &section.show_if {
            condition_problems(&format!("{at}.show_if"), condition, &earlier, &mut problems);
        }
        for (q, question) in section.questions.iter().enumerate() {
            let at = format!("{at}.questions[{q}]");
            key_problems(
                &format!("{at}.key"),
                &question.key,
                &mut keys,
                &mut problems,
            );
            text_lengths(&format!("{at}.text"), &question.text, &mut problems);
            text_lengths(&format!("{at}.help"), &question.help, &mut problems);
            if let Some(condition) = &question.show_if {
                condition_problems(&format!("{at}.show_if"), condition, &earlier, &mut problems);
            }
            kind_problems(&format!("{at}.kind"), &question.kind, &mut problems);
            earlier.push(question);
        }
    }
    problems
}

/// What must hold before participants see it: [`structure`], plus every text written in
/// each of the survey's languages and at least one question.
pub fn for_publishing(definition: &Definition) -> Vec<Problem> {
    let mut problems = structure(definition);
    let languages = definition.languages.required();
    let mut need = |path: String, text: &Text, required: bool| {
        if !required && text.is_empty() {
            return;
        }
        for locale in languages {
            if text.in_language(*locale).trim().is_empty() {
                problems.push(Problem::with(path.clone(), "missing_text", locale.code()));
            }
        }
    };
    need("$.title".into(), &definition.title, true);
    need("$.description".into(), &definition.description, false);
    for (s, section) in definition.sections.iter().enumerate() {
        let at = format!("$.sections[{s}]");
        need(format!("{at}.title"), &section.title, false);
        need(format!("{at}.description"), &section.description, false);
        for (q, question) in section.questions.iter().enumerate() {
            let at = format!("{at}.questions[{q}]");
            need(format!("{at}.text"), &question.text, true);
            need(format!("{at}.help"), &question.help, false);
            let labelled = |name: &str, choices: &[Choice]| {
                choices
                    .iter()
                    .enumerate()
                    .map(|(c, choice)| {
                        (format!("{at}.kind.{name}[{c}].label"), choice.label.clone())
                    })
                    .collect::<Vec<_>>()
            };
            let mut labels = Vec::new();
            match &question.kind {
                Kind::Matrix { rows, scale } => {
                    labels.extend(labelled("rows", rows));
                    labels.extend(labelled("scale", scale));
                }
                Kind::Rating {
                    min_label,
                    max_label,
                    ..
                } => {
                    need(format!("{at}.kind.min_label"), min_label, false);
                    need(format!("{at}.kind.max_label"), max_label, false);
                }
                kind => labels.extend(labelled("choices", kind.choices().unwrap_or_default())),
            }
            for (path, label) in labels {
                need(path, &label, true);
            }
        }
    }
    if definition.questions().next().is_none() {
        problems.push(Problem::new("$.sections", "no_questions"));
    }
    problems
}

fn key_problems(path: &str, key: &str, keys: &mut HashSet<String>, problems: &mut Vec<Problem>) {
    if !is_key(key) {
        problems.push(Problem::with(path, "bad_key", key));
    } else if key == STAKEHOLDER_QUESTION || !keys.insert(key.to_owned()) {
        problems.push(Problem::with(path, "duplicate_key", key));
    }
}

fn text_lengths(path: &str, text: &Text, problems: &mut Vec<Problem>) {
    for (language, value) in [("ar", &text.ar), ("en", &text.en)] {
        if value.chars().count() > MAX_TEXT_CHARS {
            problems.push(Problem::with(
                format!("{path}.{language}"),
                "too_long",
                MAX_TEXT_CHARS,
            ));
        }
    }
}
