//! The structure every stored definition keeps: keys, choices, settings, rules, lengths.

use super::*;

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
