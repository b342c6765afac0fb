//! Tests of the definition checks: shared builders here, one file per topic.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::surveys::model::{Languages, Section};

mod edits;
mod import;
mod publishing;
mod structure;

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
fn problems_read_as_sentences_in_both_languages() {
    let problem = Problem::with("$.sections[0].questions[1].key", "duplicate_key", "q1");
    assert_eq!(
        problem.message(Locale::En),
        "The key “q1” is used twice (or is reserved)"
    );
    assert!(problem.message(Locale::Ar).contains("q1"));
    assert_ne!(problem.message(Locale::Ar), problem.message(Locale::En));
}
