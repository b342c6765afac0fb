//! Surveys over HTTP and in storage: the editor's round trip for every question type (stored,
//! shown, previewed, exported and imported again), stale versions, errors that keep what was
//! typed, the lifecycle and its scheduler, periodic waves created once however many schedulers
//! run, edits refused once answers exist, strict imports, and who may do what. Every check
//! runs on SQLite and PostgreSQL.

use std::collections::BTreeMap;

use app::accounts::Role;
use app::store::Db;
use app::surveys::conditions::{Answer, Answers, Condition, STAKEHOLDER_QUESTION};
use app::surveys::db as surveys_db;
use app::surveys::lifecycle::{Recurrence, Status, start_of, waves_due};
use app::surveys::model::{Choice, Definition, Kind, Question, Section, Text};
use app::surveys::{Survey, validate};
use axum::http::StatusCode;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use server::testing::{Client, Reply, session_for, staff_user};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// Helpers

/// A form's fields, in the order a browser sends them.
#[derive(Default, Clone)]
struct Form(Vec<(String, String)>);

impl Form {
    fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.0.push((name.to_owned(), value.to_string()));
        self
    }

    /// A choice table's rows: (hidden key, Arabic label, English label) each.
    fn rows(mut self, name: &str, rows: &[(&str, &str, &str)]) -> Self {
        for (key, ar, en) in rows {
            self = self
                .with(&format!("{name}_key"), key)
                .with(&format!("{name}_ar"), ar)
                .with(&format!("{name}_en"), en);
        }
        self
    }

    /// One row of the show-if rules: question, test, answer, from, to.
    fn rule(self, question: &str, op: &str, value: &str, min: &str, max: &str) -> Self {
        self.with("rule_question", question)
            .with("rule_op", op)
            .with("rule_value", value)
            .with("rule_min", min)
            .with("rule_max", max)
    }
}

async fn post(client: &mut Client, path: &str, form: &Form) -> Reply {
    let fields: Vec<(&str, &str)> = form
        .0
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client.post(path, &fields).await
}

/// A signed-in client with these roles.
async fn staff(db: &Db, email: &str, roles: &[Role]) -> Client {
    let id = staff_user(db, email, roles).await;
    Client::with_session(db, &session_for(db, id, Utc::now(), Utc::now()).await)
}

async fn author(db: &Db) -> Client {
    staff(db, "author@ministry.example", &[Role::Author]).await
}

async fn stored(db: &Db, id: Uuid) -> Survey {
    surveys_db::get(db, id)
        .await
        .expect("load survey")
        .expect("survey exists")
}

fn page(id: Uuid) -> String {
    format!("/en/staff/surveys/{id}")
}

/// Creates a survey through the form; returns its id.
async fn create_survey(client: &mut Client, title_en: &str) -> Uuid {
    let form = Form::default()
        .with("title_ar", format!("استبيان {title_en}"))
        .with("title_en", title_en)
        .with("languages", "both");
    let reply = post(client, "/en/staff/surveys", &form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply
        .location
        .strip_prefix("/en/staff/surveys/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a survey page: {}", reply.location))
}

/// Adds a question of type `code` to section `s1`; returns its key.
async fn add_question(client: &mut Client, db: &Db, id: Uuid, code: &str) -> String {
    let version = stored(db, id).await.version;
    let form = Form::default()
        .with("version", version)
        .with("section", "s1")
        .with("type", code);
    let reply = post(client, &format!("{}/questions", page(id)), &form).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "{code}: {}",
        reply.body
    );
    let prefix = format!("{}/questions/", page(id));
    let key = reply
        .location
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("the question's page: {}", reply.location))
        .to_owned();
    assert_eq!(stored(db, id).await.version, version + 1);
    key
}

/// Posts a form to a survey's path with the survey's current version.
async fn change(client: &mut Client, db: &Db, id: Uuid, path: &str, form: Form) -> Reply {
    let version = stored(db, id).await.version;
    let mut fields = Form::default().with("version", version);
    fields.0.extend(form.0);
    post(client, &format!("{}{path}", page(id)), &fields).await
}

async fn published_in_catalogue(db: &Db, id: Uuid) -> bool {
    let (published,): (bool,) = app::on_db!(db, |pool| {
        sqlx::query_as("SELECT published FROM opportunities WHERE survey_id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
            .expect("the survey's catalogue entry")
    });
    published
}

fn choice(key: &str, ar: &str, en: &str) -> Choice {
    Choice::new(key, ar, en)
}

fn equals(question: &str, value: &str) -> Condition {
    Condition::Equals {
        question: question.to_owned(),
        value: value.to_owned(),
    }
}

fn includes(question: &str, value: &str) -> Condition {
    Condition::Includes {
        question: question.to_owned(),
        value: value.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// The editor, every question type

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

async fn a_change_from_an_older_version_is_refused(db: Db) {
    let mut client = author(&db).await;
    let id = create_survey(&mut client, "Two authors").await;
    add_question(&mut client, &db, id, "yes_no").await;
    let before = stored(&db, id).await;
    let old = (before.version - 1).to_string();
    let form = Form::default()
        .with("version", &old)
        .with("text_ar", "نص")
        .with("text_en", "Overwritten text");
    let reply = post(&mut client, &format!("{}/questions/q1", page(id)), &form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("Someone else changed this survey"),
        "{}",
        reply.body
    );
    let form = Form::default()
        .with("version", &old)
        .with("section", "s1")
        .with("type", "nps");
    let reply = post(&mut client, &format!("{}/questions", page(id)), &form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Someone else changed this survey"));
    let reply = post(
        &mut client,
        &format!("{}/sections", page(id)),
        &Form::default(),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no version at all"
    );
    assert_eq!(stored(&db, id).await, before, "nothing was saved");
}

server::on_both_backends!(
    every_question_type_round_trips_through_the_editor,
    a_change_from_an_older_version_is_refused,
);
