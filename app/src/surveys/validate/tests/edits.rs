//! Edits to a survey with answers.

use super::*;

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
