//! Tests of reading and checking answers: pages, write-back, complete responses, formats.

use std::collections::BTreeMap;

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
