//! Checks of a survey definition, each problem named by its JSON path (`$.sections[0]…`), so
//! the same report serves the editor, publishing and imported files.
//!
//! [`structure`] must hold for any stored definition (keys, choices, ranges, conditions that
//! only look back). [`for_publishing`] adds what participants need: every text written in each
//! language the survey is offered in, and at least one question. [`import`] parses untrusted
//! JSON strictly and never panics or returns a half-checked definition.

use std::collections::HashSet;

use super::conditions::{Condition, STAKEHOLDER_QUESTION};
use super::model::{Choice, Definition, FORMAT, Kind, OTHER, Question, Text};
use crate::Locale;

/// One problem: where (a JSON path), what (a catalogue key under `validate.`), and a detail
/// to put into the message (a key, a number), if any.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Problem {
    pub path: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

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

/// Parses and checks an exported definition.
pub fn import(json: &str) -> Result<Definition, Vec<Problem>> {
    if json.len() > MAX_IMPORT_BYTES {
        return Err(vec![Problem::with(
            "$",
            "too_large",
            MAX_IMPORT_BYTES / 1024,
        )]);
    }
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let definition: Definition =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." {
                "$".to_owned()
            } else {
                format!("$.{path}")
            };
            vec![Problem::with(path, "malformed", e.into_inner())]
        })?;
    if let Err(e) = deserializer.end() {
        return Err(vec![Problem::with("$", "malformed", e)]);
    }
    let problems = structure(&definition);
    if problems.is_empty() {
        Ok(definition)
    } else {
        Err(problems)
    }
}

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

/// Edits that would corrupt collected results, given the answered question keys and, for each,
/// the choice (or matrix row and scale) keys its answers use: removing an answered question or
/// a used choice, or changing an answered question's type. Wording changes stay allowed.
pub fn check_edit(
    old: &Definition,
    new: &Definition,
    answered: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
) -> Vec<Problem> {
    let path_of = |definition: &Definition, key: &str| {
        definition
            .sections
            .iter()
            .enumerate()
            .find_map(|(s, section)| {
                section
                    .questions
                    .iter()
                    .position(|q| q.key == key)
                    .map(|q| format!("$.sections[{s}].questions[{q}]"))
            })
    };
    let mut problems = Vec::new();
    for (key, used) in answered {
        let Some(before) = old.question(key) else {
            continue;
        };
        let Some(after) = new.question(key) else {
            let path = path_of(old, key).unwrap_or_else(|| "$".to_owned());
            problems.push(Problem::with(path, "answered_removed", key));
            continue;
        };
        let path = path_of(new, key).unwrap_or_else(|| "$".to_owned());
        if before.kind.code() != after.kind.code() {
            problems.push(Problem::with(
                format!("{path}.kind"),
                "answered_type_changed",
                key,
            ));
            continue;
        }
        let keys_of = |kind: &Kind| -> HashSet<String> {
            match kind {
                Kind::Matrix { rows, scale } => {
                    rows.iter().chain(scale).map(|c| c.key.clone()).collect()
                }
                kind => kind.answer_keys().into_iter().map(str::to_owned).collect(),
            }
        };
        let kept = keys_of(&after.kind);
        let had = keys_of(&before.kind);
        for choice in used {
            if had.contains(choice) && !kept.contains(choice) {
                problems.push(Problem::with(
                    format!("{path}.kind"),
                    "answered_choice_removed",
                    choice,
                ));
            }
        }
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

fn choice_problems(
    path: &str,
    choices: &[Choice],
    least: usize,
    other: bool,
    problems: &mut Vec<Problem>,
) {
    if choices.len() < least {
        problems.push(Problem::with(path, "too_few_choices", least));
    }
    if choices.len() > MAX_CHOICES {
        problems.push(Problem::with(path, "too_many", MAX_CHOICES));
    }
    let mut keys = HashSet::new();
    for (c, choice) in choices.iter().enumerate() {
        let at = format!("{path}[{c}].key");
        if !is_key(&choice.key) {
            problems.push(Problem::with(&at, "bad_key", &choice.key));
        } else if !keys.insert(choice.key.as_str()) || (other && choice.key == OTHER) {
            problems.push(Problem::with(&at, "duplicate_key", &choice.key));
        }
        text_lengths(&format!("{path}[{c}].label"), &choice.label, problems);
    }
}

fn kind_problems(path: &str, kind: &Kind, problems: &mut Vec<Problem>) {
    match kind {
        Kind::SingleChoice { choices, other } | Kind::Dropdown { choices, other } => {
            choice_problems(&format!("{path}.choices"), choices, 2, *other, problems);
        }
        Kind::MultipleChoice {
            choices,
            other,
            min,
            max,
        } => {
            choice_problems(&format!("{path}.choices"), choices, 2, *other, problems);
            let offered = choices.len() + usize::from(*other);
            let (low, high) = (min.unwrap_or(0) as usize, max.map(|m| m as usize));
            if high.is_some_and(|high| high == 0 || high > offered) {
                problems.push(Problem::with(
                    format!("{path}.max"),
                    "out_of_range",
                    offered,
                ));
            }
            if low > offered || high.is_some_and(|high| low > high) {
                problems.push(Problem::with(
                    format!("{path}.min"),
                    "min_above_max",
                    offered,
                ));
            }
        }
        Kind::Ranking { choices } => {
            choice_problems(&format!("{path}.choices"), choices, 2, false, problems);
        }
        Kind::Matrix { rows, scale } => {
            choice_problems(&format!("{path}.rows"), rows, 1, false, problems);
            choice_problems(&format!("{path}.scale"), scale, 2, false, problems);
        }
        Kind::Rating { min, max, .. } => {
            if !(-10..=10).contains(min)
                || !(-10..=10).contains(max)
                || max <= min
                || max - min > 10
            {
                problems.push(Problem::new(format!("{path}.max"), "bad_scale"));
            }
        }
        Kind::LongText { max_length } => {
            if !(1..=MAX_LONG_TEXT).contains(max_length) {
                problems.push(Problem::with(
                    format!("{path}.max_length"),
                    "out_of_range",
                    MAX_LONG_TEXT,
                ));
            }
        }
        Kind::ShortText { max_length } => {
            if max_length.is_some_and(|m| !(1..=500).contains(&m)) {
                problems.push(Problem::with(
                    format!("{path}.max_length"),
                    "out_of_range",
                    500,
                ));
            }
        }
        Kind::Number { min, max, .. } => {
            if min.is_some_and(|m| !m.is_finite()) || max.is_some_and(|m| !m.is_finite()) {
                problems.push(Problem::new(format!("{path}.min"), "not_a_number"));
            } else if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                problems.push(Problem::new(format!("{path}.min"), "min_above_max"));
            }
        }
        Kind::YesNo | Kind::Nps | Kind::Date | Kind::Email | Kind::Phone => {}
    }
}

fn condition_problems(
    path: &str,
    condition: &Condition,
    earlier: &[&Question],
    problems: &mut Vec<Problem>,
) {
    if condition.depth() > MAX_CONDITION_DEPTH {
        problems.push(Problem::with(path, "too_deep", MAX_CONDITION_DEPTH));
        return;
    }
    let find = |key: &str| earlier.iter().find(|q| q.key == key);
    match condition {
        Condition::All { conditions } | Condition::Any { conditions } => {
            for (i, inner) in conditions.iter().enumerate() {
                condition_problems(&format!("{path}.conditions[{i}]"), inner, earlier, problems);
            }
        }
        Condition::Equals { question, value } | Condition::Includes { question, value } => {
            let includes = matches!(condition, Condition::Includes { .. });
            if question == STAKEHOLDER_QUESTION {
                if crate::surveys::StakeholderGroup::from_code(value).is_none() {
                    problems.push(Problem::with(
                        format!("{path}.value"),
                        "unknown_choice",
                        value,
                    ));
                }
                return;
            }
            let Some(target) = find(question) else {
                problems.push(Problem::with(
                    format!("{path}.question"),
                    "not_earlier",
                    question,
                ));
                return;
            };
            let keys = target.kind.answer_keys();
            let choice_like = !keys.is_empty();
            if includes && !choice_like {
                problems.push(Problem::with(
                    format!("{path}.op"),
                    "wrong_op",
                    target.kind.code(),
                ));
            } else if choice_like && !keys.contains(&value.as_str()) {
                problems.push(Problem::with(
                    format!("{path}.value"),
                    "unknown_choice",
                    value,
                ));
            } else if matches!(target.kind, Kind::Matrix { .. } | Kind::Ranking { .. }) {
                problems.push(Problem::with(
                    format!("{path}.op"),
                    "wrong_op",
                    target.kind.code(),
                ));
            }
        }
        Condition::InRange { question, min, max } => {
            let Some(target) = find(question) else {
                problems.push(Problem::with(
                    format!("{path}.question"),
                    "not_earlier",
                    question,
                ));
                return;
            };
            if target.kind.numeric_range().is_none() {
                problems.push(Problem::with(
                    format!("{path}.op"),
                    "wrong_op",
                    target.kind.code(),
                ));
            }
            if min.is_some_and(|m| !m.is_finite()) || max.is_some_and(|m| !m.is_finite()) {
                problems.push(Problem::new(format!("{path}.min"), "not_a_number"));
            } else if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                problems.push(Problem::new(format!("{path}.min"), "min_above_max"));
            }
        }
    }
}
