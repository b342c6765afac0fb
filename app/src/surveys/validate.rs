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
    // Serde quietly drops fields beside the `type` of a question type without settings
    // (`{"type": "nps", "min": 1}`) and reads lists as structs: compare what was read with what
    // was sent, so nothing in a file is ignored without a word.
    let mut problems = Vec::new();
    if let (Ok(sent), Ok(read)) = (
        serde_json::from_str::<serde_json::Value>(json),
        serde_json::to_value(&definition),
    ) {
        ignored("$", &sent, &read, &mut problems);
    }
    if problems.is_empty() {
        problems = structure(&definition);
    }
    if problems.is_empty() {
        Ok(definition)
    } else {
        Err(problems)
    }
}

/// Reports what in `sent` has no counterpart in `read` (a `null` may stand for "none").
fn ignored(
    path: &str,
    sent: &serde_json::Value,
    read: &serde_json::Value,
    problems: &mut Vec<Problem>,
) {
    use serde_json::Value;
    match (sent, read) {
        (Value::Object(sent), Value::Object(read)) => {
            for (field, value) in sent {
                let at = format!("{path}.{field}");
                match read.get(field) {
                    Some(kept) => ignored(&at, value, kept, problems),
                    None if value.is_null() => {}
                    None => problems.push(Problem::with(
                        at,
                        "malformed",
                        format!("unknown field `{field}`"),
                    )),
                }
            }
        }
        (Value::Array(sent), Value::Array(read)) => {
            for (i, (sent, read)) in sent.iter().zip(read).enumerate() {
                ignored(&format!("{path}[{i}]"), sent, read, problems);
            }
        }
        (Value::Array(_), Value::Object(_)) => problems.push(Problem::with(
            path,
            "malformed",
            "expected an object with named fields, found a list",
        )),
        _ => {}
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
            // Rows and points share one set of keys in `check_edit` (the keys answers use), so
            // a point keyed like a row would hide that row's removal.
            for (p, point) in scale.iter().enumerate() {
                if rows.iter().any(|row| row.key == point.key) {
                    problems.push(Problem::with(
                        format!("{path}.scale[{p}].key"),
                        "duplicate_key",
                        &point.key,
                    ));
                }
            }
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
            } else if target.kind.numeric_range().is_some()
                && crate::numbers::parse_number(value).is_none()
            {
                problems.push(Problem::new(format!("{path}.value"), "not_a_number"));
            } else if matches!(target.kind, Kind::Date)
                && value.trim().parse::<chrono::NaiveDate>().is_err()
            {
                problems.push(Problem::with(format!("{path}.value"), "bad_date", value));
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

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::surveys::model::{Languages, Section};

    fn question(key: &str, kind: Kind) -> Question {
        Question {
            key: key.to_owned(),
            text: Text::new("سؤال", "Question"),
            help: Text::default(),
            required: false,
            show_if: None,
            kind,
        }
    }

    fn choices(keys: &[&str]) -> Vec<Choice> {
        keys.iter()
            .map(|k| Choice::new(k, &format!("خيار {k}"), &format!("Choice {k}")))
            .collect()
    }

    fn single(keys: &[&str]) -> Kind {
        Kind::SingleChoice {
            choices: choices(keys),
            other: false,
        }
    }

    fn survey(sections: Vec<Vec<Question>>) -> Definition {
        Definition {
            title: Text::new("استبيان", "Survey"),
            sections: sections
                .into_iter()
                .enumerate()
                .map(|(i, questions)| Section {
                    questions,
                    ..Section::new(&format!("s{}", i + 1))
                })
                .collect(),
            ..Definition::default()
        }
    }

    fn rule(key: &str, condition: Condition, kind: Kind) -> Question {
        Question {
            show_if: Some(condition),
            ..question(key, kind)
        }
    }

    fn equals(question: &str, value: &str) -> Condition {
        Condition::Equals {
            question: question.into(),
            value: value.into(),
        }
    }

    /// (path, code) of each problem, to compare whole reports.
    fn found(problems: &[Problem]) -> Vec<(&str, &str)> {
        problems
            .iter()
            .map(|p| (p.path.as_str(), p.code.as_str()))
            .collect()
    }

    #[test]
    fn keys_are_short_lowercase_identifiers() {
        for good in ["q1", "a", "age_group", "x-2", &"k".repeat(40)] {
            assert!(is_key(good), "{good}");
        }
        for bad in ["", "Q1", "q 1", "q.1", "سؤال", "q1\n", &"k".repeat(41)] {
            assert!(!is_key(bad), "{bad:?}");
        }
    }

    #[test]
    fn import_names_where_a_file_is_malformed() {
        let valid = survey(vec![vec![question("q1", single(&["c1", "c2"]))]]);
        assert_eq!(import(&valid.to_json()), Ok(valid.clone()));
        let problem = |json: &str| {
            let problems = import(json).expect_err("refused");
            assert_eq!(problems.len(), 1, "{problems:?}");
            problems[0].clone()
        };
        let broken = problem("{\"format\": ");
        assert_eq!(
            (broken.path.as_str(), broken.code.as_str()),
            ("$.format", "malformed")
        );
        assert!(broken.detail.contains("EOF"), "{}", broken.detail);
        assert_eq!(problem("[]").path, "$");
        assert_eq!(problem("").path, "$");
        let mut value = serde_json::to_value(&valid).expect("value");
        value["sections"][0]["questions"][0]["required"] = "yes".into();
        let wrong = problem(&value.to_string());
        assert_eq!(wrong.path, "$.sections[0].questions[0].required");
        assert!(wrong.detail.contains("invalid type"), "{}", wrong.detail);
        let mut value = serde_json::to_value(&valid).expect("value");
        value["sections"][0]["questions"][0]["text"]["fr"] = "Question".into();
        let unknown = problem(&value.to_string());
        assert_eq!(unknown.path, "$.sections[0].questions[0].text.fr");
        assert!(
            unknown.detail.contains("unknown field `fr`"),
            "{}",
            unknown.detail
        );
        let mut value = serde_json::to_value(&valid).expect("value");
        value["sections"][0]["questions"][0]["kind"]["type"] = "slider".into();
        let kind = problem(&value.to_string());
        assert!(
            kind.path.starts_with("$.sections[0].questions[0].kind"),
            "{}",
            kind.path
        );
        assert!(
            kind.detail.contains("unknown variant `slider`"),
            "{}",
            kind.detail
        );
        let trailing = problem(&format!("{} []", valid.to_json()));
        assert_eq!(
            (trailing.path.as_str(), trailing.code.as_str()),
            ("$", "malformed")
        );
        let twice = valid
            .to_json()
            .replacen('{', "{\"format\": \"sharek-survey/1\",", 1);
        assert!(problem(&twice).detail.contains("duplicate field `format`"));
    }

    #[test]
    fn numbers_survive_export_and_import_exactly() {
        // Found by the property tests: without serde_json's `float_roundtrip` these came back
        // one bit off, so an exported survey was not the survey.
        let number = Kind::Number {
            decimal: true,
            min: Some(2.0938312965250245e76),
            max: None,
        };
        let range = Condition::InRange {
            question: "q1".into(),
            min: None,
            max: Some(8.024363343280204e-115),
        };
        let definition = survey(vec![vec![
            question("q1", number),
            rule("q2", range, Kind::Email),
        ]]);
        assert_eq!(import(&definition.to_json()), Ok(definition));
    }

    #[test]
    fn import_ignores_nothing_that_was_sent() {
        let valid = survey(vec![vec![
            question("q1", Kind::Nps),
            question("q2", Kind::ShortText { max_length: None }),
        ]]);
        let mut value = serde_json::to_value(&valid).expect("value");
        value["sections"][0]["questions"][0]["kind"]["min"] = 1.into();
        value["sections"][0]["questions"][1]["kind"]["max_length"] = serde_json::Value::Null;
        value["sections"][0]["questions"][1]["show_if"] = serde_json::Value::Null;
        let problems = import(&value.to_string()).expect_err("refused");
        assert_eq!(
            found(&problems),
            vec![("$.sections[0].questions[0].kind.min", "malformed")],
            "a null stands for none"
        );
        assert!(problems[0].detail.contains("unknown field `min`"));
        let as_list = serde_json::json!([
            FORMAT,
            ["عنوان", "Title"],
            {},
            "both",
            [{"key": "s1", "questions": []}]
        ]);
        let problems = import(&as_list.to_string()).expect_err("refused");
        assert_eq!(found(&problems), vec![("$", "malformed")]);
        assert!(problems[0].detail.contains("found a list"));
    }

    #[test]
    fn import_refuses_what_is_too_large_before_parsing() {
        let huge = format!("\"{}\"", "x".repeat(MAX_IMPORT_BYTES));
        assert_eq!(
            found(&import(&huge).expect_err("refused")),
            vec![("$", "too_large")]
        );
    }

    #[test]
    fn import_checks_the_structure_of_what_parses() {
        let mut definition = survey(vec![vec![
            rule("q1", equals("q2", "c1"), single(&["c1", "c2"])),
            question("q2", single(&["c1", "c2"])),
        ]]);
        definition.format = "sharek-survey/2".into();
        assert_eq!(
            found(&import(&definition.to_json()).expect_err("refused")),
            vec![
                ("$.format", "format"),
                ("$.sections[0].questions[0].show_if.question", "not_earlier")
            ]
        );
    }

    #[test]
    fn keys_are_unique_across_sections_and_questions_and_never_the_reserved_one() {
        let definition = survey(vec![
            vec![question("q1", Kind::YesNo), question("s2", Kind::YesNo)],
            vec![
                question("q1", Kind::YesNo),
                question(STAKEHOLDER_QUESTION, Kind::YesNo),
                question("Bad Key", Kind::YesNo),
            ],
        ]);
        assert_eq!(
            found(&structure(&definition)),
            vec![
                ("$.sections[1].key", "duplicate_key"),
                ("$.sections[1].questions[0].key", "duplicate_key"),
                ("$.sections[1].questions[1].key", "duplicate_key"),
                ("$.sections[1].questions[2].key", "bad_key"),
            ]
        );
        let empty = Definition {
            sections: Vec::new(),
            ..Definition::default()
        };
        assert_eq!(
            found(&structure(&empty)),
            vec![("$.sections", "no_sections")]
        );
    }

    #[test]
    fn choices_need_enough_distinct_keys() {
        let kinds = [
            single(&["c1"]),
            single(&["c1", "c1"]),
            Kind::Dropdown {
                choices: choices(&["c1", OTHER]),
                other: true,
            },
            Kind::Dropdown {
                choices: choices(&["c1", OTHER]),
                other: false,
            },
            Kind::Ranking {
                choices: choices(&["c1", "C2"]),
            },
            Kind::Matrix {
                rows: Vec::new(),
                scale: choices(&["1"]),
            },
            Kind::Matrix {
                rows: choices(&["r1"]),
                scale: choices(&["1", "2"]),
            },
            Kind::Matrix {
                rows: choices(&["1", "r2"]),
                scale: choices(&["1", "2"]),
            },
        ];
        let definition = survey(vec![
            kinds
                .into_iter()
                .enumerate()
                .map(|(i, kind)| question(&format!("q{i}"), kind))
                .collect(),
        ]);
        assert_eq!(
            found(&structure(&definition)),
            vec![
                ("$.sections[0].questions[0].kind.choices", "too_few_choices"),
                (
                    "$.sections[0].questions[1].kind.choices[1].key",
                    "duplicate_key"
                ),
                (
                    "$.sections[0].questions[2].kind.choices[1].key",
                    "duplicate_key"
                ),
                ("$.sections[0].questions[4].kind.choices[1].key", "bad_key"),
                ("$.sections[0].questions[5].kind.rows", "too_few_choices"),
                ("$.sections[0].questions[5].kind.scale", "too_few_choices"),
                (
                    "$.sections[0].questions[7].kind.scale[0].key",
                    "duplicate_key"
                ),
            ]
        );
        let keys: Vec<String> = (0..=MAX_CHOICES).map(|i| format!("c{i}")).collect();
        let many = single(&keys.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(
            found(&structure(&survey(vec![vec![question("q1", many)]]))),
            vec![("$.sections[0].questions[0].kind.choices", "too_many")]
        );
    }

    #[test]
    fn settings_of_each_type_stay_in_range() {
        let multiple = |other, min, max| Kind::MultipleChoice {
            choices: choices(&["a", "b", "c"]),
            other,
            min,
            max,
        };
        let rating = |min, max| Kind::Rating {
            min,
            max,
            min_label: Text::default(),
            max_label: Text::default(),
        };
        let number = |min, max| Kind::Number {
            decimal: true,
            min,
            max,
        };
        let cases = [
            (multiple(false, Some(1), Some(3)), None),
            (multiple(true, Some(4), Some(4)), None),
            (multiple(false, None, Some(0)), Some("max")),
            (multiple(false, None, Some(4)), Some("max")),
            (multiple(false, Some(4), None), Some("min")),
            (multiple(false, Some(3), Some(2)), Some("min")),
            (rating(1, 5), None),
            (rating(-10, 0), None),
            (rating(0, 10), None),
            (rating(5, 5), Some("max")),
            (rating(5, 1), Some("max")),
            (rating(0, 11), Some("max")),
            (rating(-10, 10), Some("max")),
            (rating(i32::MIN, i32::MAX), Some("max")),
            (Kind::LongText { max_length: 1 }, None),
            (Kind::LongText { max_length: 0 }, Some("max_length")),
            (
                Kind::LongText {
                    max_length: MAX_LONG_TEXT + 1,
                },
                Some("max_length"),
            ),
            (Kind::ShortText { max_length: None }, None),
            (
                Kind::ShortText {
                    max_length: Some(500),
                },
                None,
            ),
            (
                Kind::ShortText {
                    max_length: Some(501),
                },
                Some("max_length"),
            ),
            (
                Kind::ShortText {
                    max_length: Some(0),
                },
                Some("max_length"),
            ),
            (number(Some(-1.5), Some(-1.5)), None),
            (number(Some(2.0), Some(1.0)), Some("min")),
            (number(Some(f64::NAN), None), Some("min")),
            (number(None, Some(f64::INFINITY)), Some("min")),
        ];
        for (kind, problem) in cases {
            let definition = survey(vec![vec![question("q1", kind.clone())]]);
            let paths: Vec<String> = structure(&definition).into_iter().map(|p| p.path).collect();
            let expected: Vec<String> = problem
                .map(|field| format!("$.sections[0].questions[0].kind.{field}"))
                .into_iter()
                .collect();
            assert_eq!(paths, expected, "{kind:?}");
        }
    }

    #[test]
    fn rules_look_back_at_answers_the_question_can_have() {
        let number = Kind::Number {
            decimal: false,
            min: None,
            max: None,
        };
        let matrix = Kind::Matrix {
            rows: choices(&["r1"]),
            scale: choices(&["1", "2"]),
        };
        let includes = |q: &str, v: &str| Condition::Includes {
            question: q.into(),
            value: v.into(),
        };
        let range = |q: &str, min, max| Condition::InRange {
            question: q.into(),
            min,
            max,
        };
        let definition = survey(vec![
            vec![
                question("pick", single(&["c1", "c2"])),
                question("age", number),
                question("grid", matrix),
                question(
                    "order",
                    Kind::Ranking {
                        choices: choices(&["a", "b"]),
                    },
                ),
                question("yn", Kind::YesNo),
                rule("ok1", equals("pick", "c2"), Kind::Email),
                rule("ok2", includes("pick", "c1"), Kind::Email),
                rule("ok3", range("age", Some(18.0), None), Kind::Email),
                rule("ok4", equals(STAKEHOLDER_QUESTION, "ngo"), Kind::Email),
                rule("ok5", equals("age", "40"), Kind::Email),
                rule("ok6", equals("yn", "no"), Kind::Email),
                rule("self", equals("self", "c1"), single(&["c1", "c2"])),
                rule("bad1", equals("pick", "c3"), Kind::Email),
                rule("bad2", includes("age", "1"), Kind::Email),
                rule("bad3", range("pick", None, Some(1.0)), Kind::Email),
                rule("bad4", equals("grid", "r1"), Kind::Email),
                rule("bad5", equals("order", "a"), Kind::Email),
                rule("bad6", equals(STAKEHOLDER_QUESTION, "martian"), Kind::Email),
                rule("bad7", range("age", Some(9.0), Some(1.0)), Kind::Email),
                rule("bad8", range("age", Some(f64::NAN), None), Kind::Email),
                rule("bad9", equals("later", "c1"), Kind::Email),
                question("later", single(&["c1", "c2"])),
            ],
            vec![question("next", Kind::YesNo)],
        ]);
        let mut definition = definition;
        definition.sections[1].show_if = Some(Condition::All {
            conditions: vec![equals("later", "c1"), equals("next", "yes")],
        });
        let at = |q: usize, rest: &str| format!("$.sections[0].questions[{q}].show_if{rest}");
        let expected = vec![
            (at(11, ".question"), "not_earlier"),
            (at(12, ".value"), "unknown_choice"),
            (at(13, ".op"), "wrong_op"),
            (at(14, ".op"), "wrong_op"),
            (at(15, ".op"), "wrong_op"),
            (at(16, ".op"), "wrong_op"),
            (at(17, ".value"), "unknown_choice"),
            (at(18, ".min"), "min_above_max"),
            (at(19, ".min"), "not_a_number"),
            (at(20, ".question"), "not_earlier"),
            (
                "$.sections[1].show_if.conditions[1].question".to_owned(),
                "not_earlier",
            ),
        ];
        let problems = structure(&definition);
        let problems: Vec<(String, &str)> = problems
            .iter()
            .map(|p| (p.path.clone(), p.code.as_str()))
            .collect();
        assert_eq!(problems, expected);
    }

    #[test]
    fn rules_nest_only_so_deep() {
        let mut condition = equals(STAKEHOLDER_QUESTION, "citizen");
        for _ in 1..MAX_CONDITION_DEPTH {
            condition = Condition::Any {
                conditions: vec![condition],
            };
        }
        let fine = survey(vec![vec![rule("q1", condition.clone(), Kind::YesNo)]]);
        assert!(structure(&fine).is_empty());
        let deep = Condition::All {
            conditions: vec![condition],
        };
        let too_deep = survey(vec![vec![rule("q1", deep, Kind::YesNo)]]);
        assert_eq!(
            found(&structure(&too_deep)),
            vec![("$.sections[0].questions[0].show_if", "too_deep")]
        );
    }

    #[test]
    fn texts_have_a_length_limit() {
        let mut definition = survey(vec![vec![question("q1", single(&["c1", "c2"]))]]);
        definition.description.ar = "ب".repeat(MAX_TEXT_CHARS);
        assert!(
            structure(&definition).is_empty(),
            "counted in characters, not bytes"
        );
        definition.description.ar.push('ب');
        if let Kind::SingleChoice { choices, .. } = &mut definition.sections[0].questions[0].kind {
            choices[1].label.en = "x".repeat(MAX_TEXT_CHARS + 1);
        }
        assert_eq!(
            found(&structure(&definition)),
            vec![
                ("$.description.ar", "too_long"),
                (
                    "$.sections[0].questions[0].kind.choices[1].label.en",
                    "too_long"
                ),
            ]
        );
    }

    #[test]
    fn publishing_needs_every_text_in_each_language_offered() {
        let mut definition = survey(vec![vec![
            question("q1", single(&["c1", "c2"])),
            question(
                "q2",
                Kind::Matrix {
                    rows: choices(&["r1"]),
                    scale: choices(&["1", "2"]),
                },
            ),
            question(
                "q3",
                Kind::Rating {
                    min: 1,
                    max: 5,
                    min_label: Text::new("سيئ", "Bad"),
                    max_label: Text::default(),
                },
            ),
        ]]);
        assert!(
            for_publishing(&definition).is_empty(),
            "{:?}",
            for_publishing(&definition)
        );
        definition.title.ar.clear();
        definition.description.en = "Only in English".into();
        definition.sections[0].title = Text::new("القسم", "");
        definition.sections[0].questions[0].text.en = "  ".into();
        definition.sections[0].questions[0].help.ar = "مساعدة".into();
        if let Kind::SingleChoice { choices, .. } = &mut definition.sections[0].questions[0].kind {
            choices[1].label.ar.clear();
        }
        if let Kind::Matrix { scale, .. } = &mut definition.sections[0].questions[1].kind {
            scale[0].label = Text::default();
        }
        if let Kind::Rating { min_label, .. } = &mut definition.sections[0].questions[2].kind {
            min_label.ar.clear();
        }
        let problems = for_publishing(&definition);
        let details: Vec<(&str, &str)> = problems
            .iter()
            .map(|p| (p.path.as_str(), p.detail.as_str()))
            .collect();
        assert_eq!(
            details,
            vec![
                ("$.title", "ar"),
                ("$.description", "ar"),
                ("$.sections[0].title", "en"),
                ("$.sections[0].questions[0].text", "en"),
                ("$.sections[0].questions[0].help", "en"),
                ("$.sections[0].questions[0].kind.choices[1].label", "ar"),
                ("$.sections[0].questions[1].kind.scale[0].label", "ar"),
                ("$.sections[0].questions[1].kind.scale[0].label", "en"),
                ("$.sections[0].questions[2].kind.min_label", "ar"),
            ]
        );
        assert!(problems.iter().all(|p| p.code == "missing_text"));
        // A survey in English only needs only the English texts.
        definition.languages = Languages::EnglishOnly;
        let english = for_publishing(&definition);
        assert_eq!(english.len(), 4, "{english:?}");
        assert!(english.iter().all(|p| p.detail == "en"), "{english:?}");
    }

    #[test]
    fn publishing_needs_a_question() {
        let definition = survey(vec![Vec::new()]);
        assert_eq!(
            found(&for_publishing(&definition)),
            vec![("$.sections", "no_questions")]
        );
    }

    #[test]
    fn problems_read_as_sentences_in_both_languages() {
        let problem = Problem::with("$.sections[0].questions[1].key", "duplicate_key", "q1");
        assert_eq!(
            problem.message(Locale::En),
            "The key “q1” is used twice (or is reserved)"
        );
        assert!(problem.message(Locale::Ar).contains("q1"));
        assert_ne!(problem.message(Locale::Ar), problem.message(Locale::En));
    }

    /// Question keys → the choice keys their answers use.
    fn answered(entries: &[(&str, &[&str])]) -> BTreeMap<String, BTreeSet<String>> {
        entries
            .iter()
            .map(|(q, used)| {
                (
                    (*q).to_owned(),
                    used.iter().map(|k| (*k).to_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn edits_may_not_take_away_what_has_answers() {
        let old = survey(vec![
            vec![
                question("pick", single(&["c1", "c2", "c3"])),
                question(
                    "more",
                    Kind::MultipleChoice {
                        choices: choices(&["a", "b"]),
                        other: true,
                        min: None,
                        max: None,
                    },
                ),
                question(
                    "age",
                    Kind::Number {
                        decimal: false,
                        min: None,
                        max: None,
                    },
                ),
                question(
                    "grid",
                    Kind::Matrix {
                        rows: choices(&["r1", "r2"]),
                        scale: choices(&["1", "2", "3"]),
                    },
                ),
            ],
            vec![question("yn", Kind::YesNo), question("unused", Kind::Email)],
        ]);
        let used = answered(&[
            (STAKEHOLDER_QUESTION, &["citizen"]),
            ("pick", &["c1"]),
            ("more", &["a", OTHER]),
            ("age", &[]),
            ("grid", &["r1", "2"]),
            ("yn", &["yes"]),
            ("gone_before", &["x"]),
        ]);
        assert!(check_edit(&old, &old, &used).is_empty());

        // Wording, new choices, unused choices and questions, order: all fine.
        let mut fine = old.clone();
        fine.title.en = "A better title".into();
        fine.sections[1].questions.retain(|q| q.key != "unused");
        let pick = fine.sections[0].questions.remove(0);
        fine.sections[1].questions.push(pick);
        if let Some(q) = fine.question_mut("pick") {
            q.text.en = "Pick again".into();
            q.kind = single(&["c1", "c2", "c4"]);
        }
        if let Some(q) = fine.question_mut("grid") {
            q.kind = Kind::Matrix {
                rows: choices(&["r1", "r3"]),
                scale: choices(&["1", "2"]),
            };
        }
        assert!(
            check_edit(&old, &fine, &used).is_empty(),
            "{:?}",
            check_edit(&old, &fine, &used)
        );

        let mut bad = old.clone();
        bad.sections[0].questions.retain(|q| q.key != "age");
        if let Some(q) = bad.question_mut("pick") {
            q.kind = single(&["c2", "c3"]);
        }
        if let Some(q) = bad.question_mut("more") {
            q.kind = Kind::MultipleChoice {
                choices: choices(&["a", "b"]),
                other: false,
                min: None,
                max: None,
            };
        }
        if let Some(q) = bad.question_mut("grid") {
            q.kind = Kind::Matrix {
                rows: choices(&["r2"]),
                scale: choices(&["1", "3"]),
            };
        }
        if let Some(q) = bad.question_mut("yn") {
            q.kind = single(&["yes", "no"]);
        }
        let problems = check_edit(&old, &bad, &used);
        let seen: Vec<(&str, &str, &str)> = problems
            .iter()
            .map(|p| (p.path.as_str(), p.code.as_str(), p.detail.as_str()))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("$.sections[0].questions[2]", "answered_removed", "age"),
                (
                    "$.sections[0].questions[2].kind",
                    "answered_choice_removed",
                    "2"
                ),
                (
                    "$.sections[0].questions[2].kind",
                    "answered_choice_removed",
                    "r1"
                ),
                (
                    "$.sections[0].questions[1].kind",
                    "answered_choice_removed",
                    OTHER
                ),
                (
                    "$.sections[0].questions[0].kind",
                    "answered_choice_removed",
                    "c1"
                ),
                (
                    "$.sections[1].questions[0].kind",
                    "answered_type_changed",
                    "yn"
                ),
            ]
        );
    }

    #[test]
    fn equals_rules_on_numbers_and_dates_need_a_value_of_that_kind() {
        use crate::surveys::model::{Section, Text};
        let question = |key: &str, kind: Kind, show_if: Option<Condition>| Question {
            key: key.into(),
            text: Text::new("س", "Q"),
            help: Text::default(),
            required: false,
            show_if,
            kind,
        };
        let equals = |q: &str, v: &str| {
            Some(Condition::Equals {
                question: q.into(),
                value: v.into(),
            })
        };
        let definition = |number: &str, date: &str| Definition {
            sections: vec![Section {
                questions: vec![
                    question(
                        "age",
                        Kind::Number {
                            decimal: false,
                            min: None,
                            max: None,
                        },
                        None,
                    ),
                    question("day", Kind::Date, None),
                    question("a", Kind::YesNo, equals("age", number)),
                    question("b", Kind::YesNo, equals("day", date)),
                ],
                ..Section::new("s1")
            }],
            ..Definition::default()
        };
        assert_eq!(structure(&definition("٤٢", "2026-11-28")), vec![]);
        let codes: Vec<String> = structure(&definition("forty", "tomorrow"))
            .into_iter()
            .map(|p| format!("{} {}", p.path, p.code))
            .collect();
        assert_eq!(
            codes,
            vec![
                "$.sections[0].questions[2].show_if.value not_a_number",
                "$.sections[0].questions[3].show_if.value bad_date"
            ]
        );
    }
}
