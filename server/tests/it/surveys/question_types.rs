//! The editor's round trip for every question type: stored, shown, previewed, exported and
//! imported again.

use super::*;

/// One question type: what the question form posts besides its wording, and what must then be
/// stored. The questions are added in this order, so they get the keys `q1` … `q14`, and each
/// rule refers only to questions before its own.
struct Case {
    code: &'static str,
    form: Form,
    required: bool,
    help: Text,
    kind: Kind,
    show_if: Option<Condition>,
}

fn question_en(n: usize, code: &str) -> String {
    format!("Question {n} of type {code}")
}

fn question_ar(n: usize) -> String {
    format!("السؤال رقم {n}")
}

fn every_type() -> Vec<Case> {
    let none = Text::default();
    vec![
        Case {
            code: "single_choice",
            // A blank row filled in becomes a new choice with a fresh key.
            form: Form::default()
                .rows(
                    "choice",
                    &[
                        ("c1", "أحمر", "Red"),
                        ("c2", "أزرق", "Blue"),
                        ("", "أخضر", "Green"),
                    ],
                )
                .with("other", "1")
                .with("required", "1")
                .rule(STAKEHOLDER_QUESTION, "equals", "expert", "", ""),
            required: true,
            help: none.clone(),
            kind: Kind::SingleChoice {
                choices: vec![
                    choice("c1", "أحمر", "Red"),
                    choice("c2", "أزرق", "Blue"),
                    choice("c3", "أخضر", "Green"),
                ],
                other: true,
            },
            show_if: Some(equals(STAKEHOLDER_QUESTION, "expert")),
        },
        Case {
            code: "multiple_choice",
            // Arabic-Indic digits are numbers too.
            form: Form::default()
                .rows(
                    "choice",
                    &[
                        ("c1", "شاي", "Tea"),
                        ("c2", "قهوة", "Coffee"),
                        ("", "عصير", "Juice"),
                    ],
                )
                .with("min", "1")
                .with("max", "٢")
                .rule("q1", "includes", "c3", "", ""),
            required: false,
            help: none.clone(),
            kind: Kind::MultipleChoice {
                choices: vec![
                    choice("c1", "شاي", "Tea"),
                    choice("c2", "قهوة", "Coffee"),
                    choice("c3", "عصير", "Juice"),
                ],
                other: false,
                min: Some(1),
                max: Some(2),
            },
            show_if: Some(includes("q1", "c3")),
        },
        Case {
            code: "dropdown",
            // Clearing both labels removes a choice; its key is not given to a new one.
            form: Form::default()
                .rows(
                    "choice",
                    &[
                        ("c1", "", ""),
                        ("c2", "شمال", "North"),
                        ("", "جنوب", "South"),
                        ("", "شرق", "East"),
                    ],
                )
                .with("other", "1"),
            required: false,
            help: none.clone(),
            kind: Kind::Dropdown {
                choices: vec![
                    choice("c2", "شمال", "North"),
                    choice("c3", "جنوب", "South"),
                    choice("c4", "شرق", "East"),
                ],
                other: true,
            },
            show_if: None,
        },
        Case {
            code: "yes_no",
            form: Form::default()
                .with("required", "1")
                .rule("q3", "equals", "other", "", ""),
            required: true,
            help: none.clone(),
            kind: Kind::YesNo,
            show_if: Some(equals("q3", "other")),
        },
        Case {
            code: "rating",
            form: Form::default()
                .with("scale_min", "0")
                .with("scale_max", "10")
                .with("min_label_ar", "سيئ")
                .with("min_label_en", "Poor service")
                .with("max_label_ar", "ممتاز")
                .with("max_label_en", "Excellent service")
                .rule("q4", "equals", "yes", "", ""),
            required: false,
            help: none.clone(),
            kind: Kind::Rating {
                min: 0,
                max: 10,
                min_label: Text::new("سيئ", "Poor service"),
                max_label: Text::new("ممتاز", "Excellent service"),
            },
            show_if: Some(equals("q4", "yes")),
        },
        Case {
            code: "nps",
            form: Form::default()
                .with("rule_join", "any")
                .rule("q5", "in_range", "", "7", "10")
                .rule("q2", "includes", "c1", "", ""),
            required: false,
            help: none.clone(),
            kind: Kind::Nps,
            show_if: Some(Condition::Any {
                conditions: vec![
                    Condition::InRange {
                        question: "q5".into(),
                        min: Some(7.0),
                        max: Some(10.0),
                    },
                    includes("q2", "c1"),
                ],
            }),
        },
        Case {
            code: "matrix",
            form: Form::default()
                .rows(
                    "row",
                    &[("r1", "النظافة", "Cleanliness"), ("", "السرعة", "Speed")],
                )
                .rows(
                    "point",
                    &[
                        ("1", "ضعيف", "Weak"),
                        ("2", "مقبول", "Fair"),
                        ("3", "جيد", "Good"),
                        ("", "ممتاز", "Superb"),
                    ],
                ),
            required: false,
            help: none.clone(),
            kind: Kind::Matrix {
                rows: vec![
                    choice("r1", "النظافة", "Cleanliness"),
                    choice("r2", "السرعة", "Speed"),
                ],
                scale: vec![
                    choice("1", "ضعيف", "Weak"),
                    choice("2", "مقبول", "Fair"),
                    choice("3", "جيد", "Good"),
                    choice("p1", "ممتاز", "Superb"),
                ],
            },
            show_if: None,
        },
        Case {
            code: "ranking",
            form: Form::default().rows(
                "choice",
                &[
                    ("c1", "السعر", "Price"),
                    ("c2", "الجودة", "Quality"),
                    ("", "السرعة", "Delivery"),
                ],
            ),
            required: false,
            help: none.clone(),
            kind: Kind::Ranking {
                choices: vec![
                    choice("c1", "السعر", "Price"),
                    choice("c2", "الجودة", "Quality"),
                    choice("c3", "السرعة", "Delivery"),
                ],
            },
            show_if: None,
        },
        Case {
            code: "short_text",
            form: Form::default()
                .with("max_length", "120")
                .with("help_ar", "بضع كلمات")
                .with("help_en", "A few words"),
            required: false,
            help: Text::new("بضع كلمات", "A few words"),
            kind: Kind::ShortText {
                max_length: Some(120),
            },
            show_if: None,
        },
        Case {
            code: "long_text",
            form: Form::default()
                .with("max_length", "5000")
                .rule("q9", "equals", "none", "", ""),
            required: false,
            help: none.clone(),
            kind: Kind::LongText { max_length: 5000 },
            show_if: Some(equals("q9", "none")),
        },
        Case {
            code: "number",
            form: Form::default()
                .with("decimal", "1")
                .with("min", "-5")
                .with("max", "٤٢٫٥"),
            required: false,
            help: none.clone(),
            kind: Kind::Number {
                decimal: true,
                min: Some(-5.0),
                max: Some(42.5),
            },
            show_if: None,
        },
        Case {
            code: "date",
            form: Form::default().rule("q11", "in_range", "", "0", ""),
            required: false,
            help: none.clone(),
            kind: Kind::Date,
            show_if: Some(Condition::InRange {
                question: "q11".into(),
                min: Some(0.0),
                max: None,
            }),
        },
        Case {
            code: "email",
            form: Form::default()
                .with("help_ar", "لن نشاركه")
                .with("help_en", "We never share it"),
            required: false,
            help: Text::new("لن نشاركه", "We never share it"),
            kind: Kind::Email,
            show_if: None,
        },
        Case {
            code: "phone",
            form: Form::default()
                .with("rule_join", "all")
                .rule("q12", "equals", "2026-01-01", "", "")
                .rule("", "equals", "", "", "")
                .rule("q13", "equals", "someone@example.org", "", ""),
            required: false,
            help: none,
            kind: Kind::Phone,
            show_if: Some(Condition::All {
                conditions: vec![
                    equals("q12", "2026-01-01"),
                    equals("q13", "someone@example.org"),
                ],
            }),
        },
    ]
}

/// What the preview must contain for each question type (besides its text): its inputs.
fn preview_marks(code: &str) -> &'static [&'static str] {
    match code {
        "single_choice" => &[r#"name="q.q1""#, "Green", r#"name="q.q1.other""#],
        "multiple_choice" => &[
            r#"type="checkbox""#,
            r#"name="q.q2""#,
            "Juice",
            "Choose from 1 to 2.",
        ],
        "dropdown" => &[r#"name="q.q3""#, "East", "South"],
        "yes_no" => &[r#"id="q-q4-yes""#, r#"id="q-q4-no""#],
        "rating" => &[r#"id="q-q5-0""#, r#"id="q-q5-10""#, "Excellent service"],
        "nps" => &[r#"id="q-q6-0""#, r#"id="q-q6-10""#],
        "matrix" => &[r#"name="q.q7.r2""#, "Speed", "Superb"],
        "ranking" => &[r#"name="q.q8.rank.c3""#, "Delivery"],
        "short_text" => &[r#"maxlength="120""#, "A few words"],
        "long_text" => &[r#"maxlength="5000""#],
        "number" => &[r#"inputmode="decimal""#, "A number from -5 to 42.5."],
        "date" => &[r#"type="date""#],
        "email" => &[r#"type="email""#, "We never share it"],
        "phone" => &[r#"type="tel""#],
        other => panic!("no preview marks for {other}"),
    }
}

async fn every_question_type_round_trips_through_the_editor(db: Db) {
    let mut client = author(&db).await;
    let id = create_survey(&mut client, "Service satisfaction").await;
    let cases = every_type();
    assert_eq!(
        cases.iter().map(|c| c.code).collect::<Vec<_>>(),
        app::surveys::model::KIND_CODES,
        "every question type, in the editor's order"
    );
    let mut expected = Vec::new();
    for (index, case) in cases.into_iter().enumerate() {
        let n = index + 1;
        let key = add_question(&mut client, &db, id, case.code).await;
        assert_eq!(key, format!("q{n}"));
        let added = stored(&db, id).await;
        assert_eq!(
            added.definition.question(&key).map(|q| q.kind.clone()),
            Kind::new_of(case.code),
            "a new {} question starts from the type's defaults",
            case.code
        );
        let mut form = Form::default()
            .with("text_ar", question_ar(n))
            .with("text_en", format!("  {}  ", question_en(n, case.code)));
        form.0.extend(case.form.0);
        let reply = change(&mut client, &db, id, &format!("/questions/{key}"), form).await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "{}: {}",
            case.code,
            reply.body
        );
        assert_eq!(reply.location, format!("{}#sections", page(id)));
        let question = Question {
            key: key.clone(),
            text: Text::new(question_ar(n), question_en(n, case.code)),
            help: case.help,
            required: case.required,
            show_if: case.show_if,
            kind: case.kind,
        };
        let survey = stored(&db, id).await;
        assert_eq!(
            survey.definition.question(&key),
            Some(&question),
            "{}",
            case.code
        );
        expected.push(question);
    }
    let survey = stored(&db, id).await;
    assert_eq!(survey.definition.sections.len(), 1);
    assert_eq!(
        survey.definition.sections[0].questions, expected,
        "exactly what was posted"
    );
    assert_eq!(
        survey.version,
        1 + 2 * 14,
        "every add and every edit is a version"
    );
    assert!(validate::for_publishing(&survey.definition).is_empty());

    let editor = client.get(&page(id)).await;
    assert_eq!(editor.status, StatusCode::OK);
    let preview = client.get(&format!("{}/preview", page(id))).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview.body.contains("This is a preview"),
        "{}",
        preview.body
    );
    for (index, code) in app::surveys::model::KIND_CODES.iter().enumerate() {
        let text = question_en(index + 1, code);
        assert!(editor.body.contains(&text), "the survey page lists {text}");
        assert!(preview.body.contains(&text), "the preview asks {text}");
        for mark in preview_marks(code) {
            assert!(
                preview.body.contains(mark),
                "the preview of {code} shows {mark}"
            );
        }
    }
    assert!(
        preview
            .body
            .contains("Shown only when the answer to “Question 4 of type yes_no” is “Yes”"),
        "rules are described in words"
    );
    let matrix = client.get(&format!("{}/questions/q7", page(id))).await;
    assert_eq!(matrix.status, StatusCode::OK);
    assert!(matrix.body.contains(r#"value="Superb""#) && matrix.body.contains(r#"value="p1""#));

    let export = client.get(&format!("{}/export.json", page(id))).await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(
        export
            .header("content-type")
            .starts_with("application/json")
    );
    assert!(
        export
            .header("content-disposition")
            .starts_with("attachment")
    );
    let imported = validate::import(&export.body).expect("the export imports");
    assert_eq!(
        imported, survey.definition,
        "the export re-imports to the same definition"
    );
}

server::on_both_backends!(every_question_type_round_trips_through_the_editor);
