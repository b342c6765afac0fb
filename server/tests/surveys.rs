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

async fn two_authors_saving_at_once_cannot_both_win(db: Db) {
    let id = surveys_db::create(&db, &four_questions(), None, Utc::now())
        .await
        .expect("create");
    let mut first = four_questions();
    first.title.en = "First author's title".into();
    let mut second = four_questions();
    second.title.en = "Second author's title".into();
    let now = Utc::now();
    let (a, b) = tokio::join!(
        surveys_db::save_definition(&db, id, &first, 1, None, now),
        surveys_db::save_definition(&db, id, &second, 1, None, now),
    );
    let saved: Vec<&Definition> = [(&a, &first), (&b, &second)]
        .into_iter()
        .filter_map(|(result, definition)| result.is_ok().then_some(definition))
        .collect();
    assert_eq!(saved.len(), 1, "{a:?} {b:?}");
    assert!(
        matches!(
            (&a, &b),
            (Ok(2), Err(app::store::StoreError::Conflict))
                | (Err(app::store::StoreError::Conflict), Ok(2))
        ),
        "{a:?} {b:?}"
    );
    let survey = stored(&db, id).await;
    assert_eq!((&survey.definition, survey.version), (saved[0], 2));
    assert_eq!(&version_saved(&db, id, 2).await, saved[0]);
    assert_eq!(version_saved(&db, id, 1).await, four_questions());
}

async fn questions_move_and_go_only_where_the_rules_still_look_back(db: Db) {
    let mut client = author(&db).await;
    let mut definition = four_questions();
    definition.sections[0].questions[1].show_if = Some(equals("q1", "c2"));
    definition.sections.push(Section {
        questions: vec![question(
            "q5",
            "Anything else?",
            Kind::LongText { max_length: 500 },
        )],
        ..Section::new("s2")
    });
    let id = import_survey(&mut client, &definition).await;
    let order = |survey: &Survey| -> Vec<Vec<String>> {
        survey
            .definition
            .sections
            .iter()
            .map(|s| s.questions.iter().map(|q| q.key.clone()).collect())
            .collect()
    };
    let direction = |way: &str| Form::default().with("direction", way);

    // q2 asks only when q1 is answered "c2": it cannot come first, and q1 cannot go.
    let reply = change(&mut client, &db, id, "/questions/q2/move", direction("up")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("$.sections[0].questions[0].show_if.question"),
        "{}",
        reply.body
    );
    let reply = change(
        &mut client,
        &db,
        id,
        "/questions/q1/move",
        direction("down"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = change(
        &mut client,
        &db,
        id,
        "/questions/q1/delete",
        Form::default(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("The rule uses “q1”, which is not a question asked before this one")
    );
    let reply = change(&mut client, &db, id, "/questions/q1/move", direction("up")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("The question cannot move further that way")
    );
    assert_eq!(
        order(&stored(&db, id).await),
        [vec!["q1", "q2", "q3", "q4"], vec!["q5"]]
    );

    // Across the edge of a section, both ways.
    let reply = change(
        &mut client,
        &db,
        id,
        "/questions/q4/move",
        direction("down"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(
        order(&stored(&db, id).await),
        [vec!["q1", "q2", "q3"], vec!["q4", "q5"]]
    );
    let reply = change(&mut client, &db, id, "/questions/q3/move", direction("up")).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(
        order(&stored(&db, id).await),
        [vec!["q1", "q3", "q2"], vec!["q4", "q5"]]
    );

    // A section with questions stays; an empty one can go, but never the last.
    let reply = change(
        &mut client,
        &db,
        id,
        "/sections/s2",
        Form::default().with("delete", "1"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Only an empty section can be deleted"));
    let reply = change(&mut client, &db, id, "/sections", Form::default()).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let added = stored(&db, id)
        .await
        .definition
        .sections
        .last()
        .map(|s| s.key.clone());
    assert_eq!(added.as_deref(), Some("s3"));
    let form = Form::default()
        .with("title_ar", " الخاتمة ")
        .with("title_en", " Closing ");
    let reply = change(&mut client, &db, id, "/sections/s3", form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        stored(&db, id).await.definition.sections[2].title,
        Text::new("الخاتمة", "Closing")
    );
    let reply = change(
        &mut client,
        &db,
        id,
        "/sections/s3",
        Form::default().with("delete", "1"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(stored(&db, id).await.definition.sections.len(), 2);
    let reply = change(
        &mut client,
        &db,
        id,
        "/sections/s9",
        Form::default().with("title_en", "x"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("That section or question no longer exists")
    );
}

server::on_both_backends!(
    every_question_type_round_trips_through_the_editor,
    a_change_from_an_older_version_is_refused,
    two_authors_saving_at_once_cannot_both_win,
    questions_move_and_go_only_where_the_rules_still_look_back,
);

// ---------------------------------------------------------------------------------------------
// Errors keep what was typed

async fn a_refused_question_form_comes_back_with_what_was_typed(db: Db) {
    let mut client = author(&db).await;
    let id = create_survey(&mut client, "Mistakes").await;
    for code in ["multiple_choice", "number", "single_choice"] {
        add_question(&mut client, &db, id, code).await;
    }
    let before = stored(&db, id).await;
    let two = [("c1", "أ", "First"), ("c2", "ب", "Second")];

    // More choices required than there are.
    let form = Form::default()
        .with("text_ar", "اختر")
        .with("text_en", "Typed wording of the question")
        .rows("choice", &two)
        .with("min", "5")
        .with("max", "2");
    let reply = change(&mut client, &db, id, "/questions/q1", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("<title>Error:"), "the title says so");
    assert!(
        reply.body.contains("$.sections[0].questions[0].kind.min"),
        "{}",
        reply.body
    );
    assert!(
        reply
            .body
            .contains("The smallest value is above the largest")
    );
    assert!(
        reply.body.contains("Typed wording of the question"),
        "the wording is kept"
    );
    assert!(reply.body.contains(r#"value="5""#) && reply.body.contains(r#"value="Second""#));

    // Not a whole number of choices.
    let form = Form::default()
        .with("text_en", "Still typed")
        .rows("choice", &two)
        .with("min", "1.5");
    let reply = change(&mut client, &db, id, "/questions/q1", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Enter a whole number") && reply.body.contains("#field-min"));
    assert!(reply.body.contains(r#"value="1.5""#) && reply.body.contains("Still typed"));

    // Not a number at all.
    let form = Form::default()
        .with("text_en", "How many?")
        .with("min", "twelve")
        .with("max", "40");
    let reply = change(&mut client, &db, id, "/questions/q2", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Enter a number"), "{}", reply.body);
    assert!(reply.body.contains(r#"value="twelve""#) && reply.body.contains(r#"value="40""#));

    // Smallest above largest.
    let form = Form::default().with("min", "50").with("max", "40");
    let reply = change(&mut client, &db, id, "/questions/q2", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("$.sections[0].questions[1].kind.min"));

    // A rule about a later question.
    let form = Form::default()
        .with("text_en", "Pick one")
        .rows("choice", &two)
        .rule("q3", "equals", "c1", "", "");
    let reply = change(&mut client, &db, id, "/questions/q1", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("$.sections[0].questions[0].show_if.question"),
        "{}",
        reply.body
    );
    assert!(
        reply
            .body
            .contains("The rule uses “q3”, which is not a question asked before this one")
    );
    assert!(reply.body.contains("Pick one"));

    // A rule without the answer it compares with, and a range rule without a range.
    let form = Form::default()
        .rows("choice", &two)
        .rule("q1", "equals", "", "", "")
        .rule("q2", "in_range", "", "", "");
    let reply = change(&mut client, &db, id, "/questions/q3", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("Choose the answer each rule compares with")
    );
    assert!(
        reply
            .body
            .contains("Give a range rule a number to start from")
    );

    // A test that does not suit the question, and an answer the question does not offer.
    let form = Form::default()
        .rows("choice", &two)
        .rule("q2", "includes", "c1", "", "")
        .rule("q1", "equals", "c9", "", "");
    let reply = change(&mut client, &db, id, "/questions/q3", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("That test does not suit a question of type number")
    );
    assert!(reply.body.contains("“c9” is not one of that question"));

    // Too few choices once labels are cleared.
    let form = Form::default().rows("choice", &[("c1", "", ""), ("c2", "ب", "Second")]);
    let reply = change(&mut client, &db, id, "/questions/q3", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("$.sections[0].questions[2].kind.choices")
    );
    assert!(reply.body.contains("Give at least 2 choices"));

    assert_eq!(stored(&db, id).await, before, "nothing was saved");
}

async fn a_survey_needs_its_title_in_each_of_its_languages(db: Db) {
    let mut client = author(&db).await;
    let form = Form::default()
        .with("title_ar", "")
        .with("title_en", "English title only")
        .with("languages", "both");
    let reply = post(&mut client, "/en/staff/surveys", &form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Enter the survey"), "{}", reply.body);
    assert!(reply.body.contains(r#"value="English title only""#));
    assert!(surveys_db::list(&db).await.expect("list").is_empty());
    let form = Form::default()
        .with("title_ar", "")
        .with("title_en", "English title only")
        .with("languages", "english_only");
    let reply = post(&mut client, "/en/staff/surveys", &form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
}

server::on_both_backends!(
    a_refused_question_form_comes_back_with_what_was_typed,
    a_survey_needs_its_title_in_each_of_its_languages,
);

// ---------------------------------------------------------------------------------------------
// Lifecycle

/// The details form with the survey's titles, these dates, and no recurrence.
fn details(
    opens: Option<NaiveDate>,
    closes: Option<NaiveDate>,
    recurrence: &str,
    wave_days: &str,
) -> Form {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    Form::default()
        .with("title_ar", "استبيان الخدمات")
        .with("title_en", "Services survey")
        .with("description_ar", "")
        .with("description_en", "")
        .with("languages", "both")
        .with("opens_at", date(opens))
        .with("closes_at", date(closes))
        .with("recurrence", recurrence)
        .with("wave_days", wave_days)
        .with("topic", app::opportunities::TOPICS[0])
}

async fn set_move(client: &mut Client, id: Uuid, action: &str) -> Reply {
    let form = Form::default().with("move", action);
    post(client, &format!("{}/status", page(id)), &form).await
}

/// A survey with one yes/no question written in both languages.
async fn ready_survey(client: &mut Client, db: &Db, title: &str) -> Uuid {
    let id = create_survey(client, title).await;
    add_question(client, db, id, "yes_no").await;
    let form = Form::default()
        .with("text_ar", "هل استخدمت الخدمة؟")
        .with("text_en", "Have you used the service?");
    let reply = change(client, db, id, "/questions/q1", form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    id
}

async fn a_survey_moves_through_its_lifecycle(db: Db) {
    let mut client = author(&db).await;
    let id = create_survey(&mut client, "Lifecycle").await;

    // Nothing to answer yet, and then a question without its Arabic text.
    let reply = set_move(&mut client, id, "publish").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("A survey needs at least one question"),
        "{}",
        reply.body
    );
    add_question(&mut client, &db, id, "yes_no").await;
    let form = Form::default().with("text_en", "Have you used the service?");
    change(&mut client, &db, id, "/questions/q1", form).await;
    let reply = set_move(&mut client, id, "publish").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("$.sections[0].questions[0].text"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("Missing text in the language “ar”"));
    assert!(!reply.body.contains("Missing text in the language “en”"));
    let editor = client.get(&page(id)).await;
    assert!(
        editor.body.contains("Before it can be published:"),
        "the page lists the problems too"
    );
    assert_eq!(stored(&db, id).await.status, Status::Draft);
    assert!(!published_in_catalogue(&db, id).await);

    let form = Form::default()
        .with("text_ar", "هل استخدمت الخدمة؟")
        .with("text_en", "Have you used the service?");
    change(&mut client, &db, id, "/questions/q1", form).await;
    let today = Utc::now().date_naive();
    let (opens, closes) = (today + Duration::days(10), today + Duration::days(20));
    let reply = change(
        &mut client,
        &db,
        id,
        "/details",
        details(Some(opens), Some(closes), "", ""),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let survey = stored(&db, id).await;
    assert_eq!(
        (survey.opens_at, survey.closes_at),
        (Some(start_of(opens)), Some(start_of(closes)))
    );

    // Opening in the future: scheduled, and listed in the catalogue.
    let reply = set_move(&mut client, id, "publish").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(stored(&db, id).await.status, Status::Scheduled);
    assert!(published_in_catalogue(&db, id).await);
    // Back to draft, and published again.
    assert_eq!(
        set_move(&mut client, id, "unpublish").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(stored(&db, id).await.status, Status::Draft);
    assert!(!published_in_catalogue(&db, id).await);
    assert_eq!(
        set_move(&mut client, id, "publish").await.status,
        StatusCode::SEE_OTHER
    );

    // The scheduler opens it on its date and closes it on its closing date.
    let opened_at = start_of(opens);
    let ticked = surveys_db::tick(&db, opened_at - Duration::minutes(1))
        .await
        .expect("tick");
    assert_eq!(ticked, surveys_db::Tick::default(), "not yet");
    let ticked = surveys_db::tick(&db, opened_at + Duration::hours(1))
        .await
        .expect("tick");
    assert_eq!((ticked.opened, ticked.closed), (1, 0));
    assert_eq!(stored(&db, id).await.status, Status::Open);
    let ticked = surveys_db::tick(&db, start_of(closes) + Duration::hours(1))
        .await
        .expect("tick");
    assert_eq!((ticked.opened, ticked.closed), (0, 1));
    assert_eq!(stored(&db, id).await.status, Status::Closed);
    assert!(
        published_in_catalogue(&db, id).await,
        "closed surveys stay listed"
    );
    assert_eq!(
        surveys_db::tick(&db, start_of(closes) + Duration::hours(2))
            .await
            .expect("tick"),
        surveys_db::Tick::default(),
        "nothing more to do"
    );

    // By hand, with dates around the real clock: reopen, close, archive.
    let reply = set_move(&mut client, id, "publish").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("That change is not possible"));
    let (yesterday, later) = (today - Duration::days(1), today + Duration::days(10));
    let reply = change(
        &mut client,
        &db,
        id,
        "/details",
        details(Some(yesterday), Some(later), "", ""),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(
        stored(&db, id).await.status,
        Status::Closed,
        "new dates do not reopen a closed survey"
    );
    assert_eq!(
        set_move(&mut client, id, "reopen").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(stored(&db, id).await.status, Status::Open);
    assert_eq!(
        set_move(&mut client, id, "close").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(stored(&db, id).await.status, Status::Closed);
    let reply = set_move(&mut client, id, "archive").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(stored(&db, id).await.status, Status::Archived);
    assert!(
        !published_in_catalogue(&db, id).await,
        "archived surveys leave the catalogue"
    );
    let reply = set_move(&mut client, id, "nonsense").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Archived: read-only.
    let before = stored(&db, id).await;
    let form = Form::default().with("text_en", "A late fix");
    let reply = change(&mut client, &db, id, "/questions/q1", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("An archived survey cannot be changed"),
        "{}",
        reply.body
    );
    let reply = change(
        &mut client,
        &db,
        id,
        "/details",
        details(None, None, "", ""),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = change(
        &mut client,
        &db,
        id,
        "/questions",
        Form::default().with("section", "s1").with("type", "nps"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        set_move(&mut client, id, "reopen").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(stored(&db, id).await, before);
}

async fn publishing_without_dates_opens_at_once_and_closing_early_ends_the_listing(db: Db) {
    let mut client = author(&db).await;
    let id = ready_survey(&mut client, &db, "Now").await;
    assert_eq!(
        set_move(&mut client, id, "publish").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(stored(&db, id).await.status, Status::Open);
    assert!(published_in_catalogue(&db, id).await);
    assert_eq!(
        set_move(&mut client, id, "close").await.status,
        StatusCode::SEE_OTHER
    );
    let (ends_at,): (Option<DateTime<Utc>>,) = app::on_db!(&db, |pool| {
        sqlx::query_as("SELECT ends_at FROM opportunities WHERE survey_id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
            .expect("catalogue entry")
    });
    assert!(
        ends_at.is_some_and(|at| at <= Utc::now()),
        "the listing ends now: {ends_at:?}"
    );
    // No closing date: it can be reopened, and an open survey without answers can go back to draft.
    assert_eq!(
        set_move(&mut client, id, "reopen").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        set_move(&mut client, id, "unpublish").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(stored(&db, id).await.status, Status::Draft);
    assert!(!published_in_catalogue(&db, id).await);
}

server::on_both_backends!(
    a_survey_moves_through_its_lifecycle,
    publishing_without_dates_opens_at_once_and_closing_early_ends_the_listing,
);

// ---------------------------------------------------------------------------------------------
// Periodic waves

/// A published periodic survey stored directly (no HTTP), first opening `first`.
async fn periodic(db: &Db, recurrence: Recurrence, first: DateTime<Utc>, status: Status) -> Uuid {
    let definition = Definition {
        title: Text::new("استبيان دوري", "Periodic survey"),
        ..Definition::default()
    };
    let now = Utc::now();
    let id = surveys_db::create(db, &definition, None, now)
        .await
        .expect("create");
    let settings = surveys_db::Settings {
        opens_at: Some(first),
        closes_at: None,
        recurrence: Some(recurrence),
        wave_days: Some(14),
        topic: app::opportunities::TOPICS[0].to_owned(),
        groups: Vec::new(),
    };
    surveys_db::save_settings(db, id, &settings, now)
        .await
        .expect("settings");
    assert!(
        surveys_db::set_status(db, id, Status::Draft, status, now)
            .await
            .expect("status")
    );
    id
}

fn wave_numbers(waves: &[app::surveys::Wave]) -> Vec<u32> {
    waves.iter().map(|w| w.number).collect()
}

async fn the_scheduler_creates_the_waves_that_are_due(db: Db) {
    let mut client = author(&db).await;
    let id = ready_survey(&mut client, &db, "Quarterly pulse").await;
    let first = Utc::now().date_naive() - Duration::days(200);
    let reply = change(
        &mut client,
        &db,
        id,
        "/details",
        details(Some(first), None, "quarterly", "10"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let survey = stored(&db, id).await;
    assert_eq!(
        (survey.recurrence, survey.wave_days),
        (Some(Recurrence::Quarterly), Some(10))
    );
    assert_eq!(
        set_move(&mut client, id, "publish").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        stored(&db, id).await.status,
        Status::Open,
        "its first wave is already due"
    );

    // Publishing applied the schedule at once: the due waves exist, and the scheduler finds
    // nothing left to create.
    let now = Utc::now();
    let due = waves_due(Recurrence::Quarterly, start_of(first), 10, now);
    assert!(
        due.len() >= 3,
        "200 days hold three quarterly waves: {due:?}"
    );
    let ticked = surveys_db::tick(&db, now).await.expect("tick");
    assert_eq!(ticked.waves_created, 0);
    let waves = surveys_db::waves(&db, id).await.expect("waves");
    assert_eq!(
        waves
            .iter()
            .map(|w| (w.number, w.opens_at, w.closes_at))
            .collect::<Vec<_>>(),
        due.iter()
            .map(|w| (w.number, w.opens_at, w.closes_at))
            .collect::<Vec<_>>()
    );
    assert_eq!(waves[1].opens_at, start_of(first) + chrono::Months::new(3));
    assert_eq!(waves[0].closes_at, start_of(first) + Duration::days(10));
    assert_eq!(
        surveys_db::tick(&db, now)
            .await
            .expect("tick")
            .waves_created,
        0,
        "once only"
    );
    let editor = client.get(&page(id)).await;
    assert!(
        editor.body.contains("Waves"),
        "the survey page lists its waves"
    );

    // The next wave comes with its date, not before.
    let next = app::surveys::lifecycle::wave(
        Recurrence::Quarterly,
        start_of(first),
        10,
        due.len() as u32 + 1,
    )
    .expect("next wave");
    let ticked = surveys_db::tick(&db, next.opens_at - Duration::seconds(1))
        .await
        .expect("tick");
    assert_eq!(ticked.waves_created, 0);
    let ticked = surveys_db::tick(&db, next.opens_at).await.expect("tick");
    assert_eq!(ticked.waves_created, 1);
    assert_eq!(
        surveys_db::waves(&db, id).await.expect("waves").len(),
        due.len() + 1
    );
}

async fn racing_schedulers_create_each_wave_once(db: Db) {
    let now = Utc::now();
    let first = now - Duration::days(400);
    let id = periodic(&db, Recurrence::Monthly, first, Status::Open).await;
    let due = waves_due(Recurrence::Monthly, first, 14, now).len();
    assert!(due >= 13, "{due}");
    let (a, b) = tokio::join!(surveys_db::tick(&db, now), surveys_db::tick(&db, now));
    let (a, b) = (a.expect("tick"), b.expect("tick"));
    assert_eq!(
        (a.waves_created + b.waves_created) as usize,
        due,
        "{a:?} {b:?}"
    );
    let waves = surveys_db::waves(&db, id).await.expect("waves");
    assert_eq!(wave_numbers(&waves), (1..=due as u32).collect::<Vec<_>>());
}

/// Another pool on the same database: a second app server.
async fn second_server(db: &Db) -> Db {
    match db {
        Db::Sqlite(pool) => Db::Sqlite(
            sqlx::SqlitePool::connect_with((*pool.connect_options()).clone())
                .await
                .expect("second SQLite pool"),
        ),
        Db::Postgres(pool) => Db::Postgres(
            sqlx::PgPool::connect_with((*pool.connect_options()).clone())
                .await
                .expect("second PostgreSQL pool"),
        ),
    }
}

async fn two_app_servers_open_a_survey_and_create_its_waves_once(db: Db) {
    let now = Utc::now();
    let first = now - Duration::days(190);
    let id = periodic(&db, Recurrence::Quarterly, first, Status::Scheduled).await;
    let other = second_server(&db).await;
    let due = waves_due(Recurrence::Quarterly, first, 14, now).len();
    let (mut opened, mut created) = (0, 0);
    for _ in 0..3 {
        let (a, b) = tokio::join!(surveys_db::tick(&db, now), surveys_db::tick(&other, now));
        let (a, b) = (a.expect("tick"), b.expect("tick"));
        opened += a.opened + b.opened;
        created += a.waves_created + b.waves_created;
    }
    assert_eq!(opened, 1, "one of them opened it");
    assert_eq!(created as usize, due, "each wave created once");
    assert_eq!(stored(&db, id).await.status, Status::Open);
    let waves = surveys_db::waves(&other, id).await.expect("waves");
    assert_eq!(wave_numbers(&waves), (1..=due as u32).collect::<Vec<_>>());
    // A survey falling due while both run: one opens it and creates its first wave.
    let again = periodic(
        &db,
        Recurrence::Yearly,
        now - Duration::days(1),
        Status::Scheduled,
    )
    .await;
    let (a, b) = tokio::join!(surveys_db::tick(&db, now), surveys_db::tick(&other, now));
    let (a, b) = (a.expect("tick"), b.expect("tick"));
    assert_eq!(a.opened + b.opened, 1, "{a:?} {b:?}");
    assert_eq!(a.waves_created + b.waves_created, 1, "{a:?} {b:?}");
    assert_eq!(
        wave_numbers(&surveys_db::waves(&db, again).await.expect("waves")),
        vec![1]
    );
    other.close().await;
}

server::on_both_backends!(
    the_scheduler_creates_the_waves_that_are_due,
    racing_schedulers_create_each_wave_once,
    two_app_servers_open_a_survey_and_create_its_waves_once,
);

// ---------------------------------------------------------------------------------------------
// Edits once answers exist

fn question(key: &str, en: &str, kind: Kind) -> Question {
    Question {
        key: key.to_owned(),
        text: Text::new(format!("سؤال {key}"), en),
        help: Text::default(),
        required: false,
        show_if: None,
        kind,
    }
}

/// A survey of four questions, written in both languages.
fn four_questions() -> Definition {
    let colours = vec![
        choice("c1", "أحمر", "Red"),
        choice("c2", "أزرق", "Blue"),
        choice("c3", "أخضر", "Green"),
    ];
    let points = vec![
        choice("1", "ضعيف", "Weak"),
        choice("2", "مقبول", "Fair"),
        choice("3", "جيد", "Good"),
    ];
    Definition {
        title: Text::new("رأيك يهمنا", "Your view matters"),
        sections: vec![Section {
            questions: vec![
                question(
                    "q1",
                    "Which colour?",
                    Kind::SingleChoice {
                        choices: colours,
                        other: false,
                    },
                ),
                question("q2", "Did it help?", Kind::YesNo),
                question(
                    "q3",
                    "How old are you?",
                    Kind::Number {
                        decimal: false,
                        min: None,
                        max: None,
                    },
                ),
                question(
                    "q4",
                    "Rate each part",
                    Kind::Matrix {
                        rows: vec![
                            choice("r1", "الاستقبال", "Reception"),
                            choice("r2", "الانتظار", "Waiting"),
                        ],
                        scale: points,
                    },
                ),
            ],
            ..Section::new("s1")
        }],
        ..Definition::default()
    }
}

async fn import_survey(client: &mut Client, definition: &Definition) -> Uuid {
    let form = Form::default().with("json", definition.to_json());
    let reply = post(client, "/en/staff/surveys/import", &form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply
        .location
        .strip_prefix("/en/staff/surveys/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a survey page: {}", reply.location))
}

/// Stores a response as collection (issue 5) will.
/// Stores a response the way the demo does (`insert_responses`: the row and its running
/// counts, which the edit checks read).
async fn insert_response(db: &Db, survey: Uuid, version: u32, answers: &Answers) {
    let response = surveys_db::NewResponse {
        survey,
        wave: None,
        survey_version: version,
        stakeholder_group: "citizen",
        channel: "web",
        answers,
        submitted_at: Utc::now(),
        duration: None,
    };
    surveys_db::insert_responses(db, &[response])
        .await
        .expect("insert a response");
}

async fn version_saved(db: &Db, survey: Uuid, version: u32) -> Definition {
    let (json,): (String,) = app::on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT definition FROM survey_versions WHERE survey_id = $1 AND version = $2",
        )
        .bind(survey)
        .bind(i32::try_from(version).expect("small version"))
        .fetch_one(pool)
        .await
        .expect("the saved version")
    });
    serde_json::from_str(&json).expect("a definition")
}

fn colour_rows(labels: [(&'static str, &'static str); 3]) -> Form {
    let [a, b, c] = labels;
    Form::default().rows(
        "choice",
        &[("c1", a.0, a.1), ("c2", b.0, b.1), ("c3", c.0, c.1)],
    )
}

async fn answered_questions_and_choices_cannot_be_removed_but_wording_can_change(db: Db) {
    let mut client = author(&db).await;
    let id = import_survey(&mut client, &four_questions()).await;
    assert_eq!(
        set_move(&mut client, id, "publish").await.status,
        StatusCode::SEE_OTHER
    );
    let mut answers = Answers::new();
    answers.insert(STAKEHOLDER_QUESTION.into(), Answer::choice("citizen"));
    answers.insert("q1".into(), Answer::choice("c1"));
    answers.insert("q2".into(), Answer::choice("yes"));
    answers.insert(
        "q4".into(),
        Answer::Matrix(BTreeMap::from([("r1".to_owned(), "2".to_owned())])),
    );
    insert_response(&db, id, 1, &answers).await;
    let before = stored(&db, id).await;
    assert!(before.has_responses);
    assert!(client.get(&page(id)).await.body.contains("has responses"));

    let answered = surveys_db::answered(&db, id).await.expect("answered");
    assert_eq!(
        answered
            .get("q1")
            .map(|k| k.iter().cloned().collect::<Vec<_>>()),
        Some(vec!["c1".to_owned()])
    );
    assert_eq!(
        answered
            .get("q4")
            .map(|k| k.iter().cloned().collect::<Vec<_>>()),
        Some(vec!["2".to_owned(), "r1".to_owned()])
    );

    let reply = change(
        &mut client,
        &db,
        id,
        "/questions/q1/delete",
        Form::default(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("Question “q1” has answers and cannot be removed"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("$.sections[0].questions[0]"));

    let form = colour_rows([("", ""), ("أزرق", "Blue"), ("أخضر", "Green")])
        .with("text_en", "Which colour?");
    let reply = change(&mut client, &db, id, "/questions/q1", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("The choice “c1” has answers and cannot be removed"),
        "{}",
        reply.body
    );

    let points = [
        ("1", "ضعيف", "Weak"),
        ("2", "مقبول", "Fair"),
        ("3", "جيد", "Good"),
    ];
    let form = Form::default()
        .rows("row", &[("r1", "", ""), ("r2", "الانتظار", "Waiting")])
        .rows("point", &points);
    let reply = change(&mut client, &db, id, "/questions/q4", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("The choice “r1” has answers"),
        "{}",
        reply.body
    );
    let form = Form::default()
        .rows(
            "row",
            &[
                ("r1", "الاستقبال", "Reception"),
                ("r2", "الانتظار", "Waiting"),
            ],
        )
        .rows(
            "point",
            &[("1", "ضعيف", "Weak"), ("2", "", ""), ("3", "جيد", "Good")],
        );
    let reply = change(&mut client, &db, id, "/questions/q4", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("The choice “2” has answers"),
        "{}",
        reply.body
    );

    // The editor offers no way to change a question's type; the check behind every edit refuses it.
    let mut retyped = before.definition.clone();
    if let Some(q2) = retyped.question_mut("q2") {
        q2.kind = Kind::new_of("single_choice").expect("a type");
    }
    let problems = validate::check_edit(&before.definition, &retyped, &answered);
    assert_eq!(
        problems
            .iter()
            .map(|p| (p.path.as_str(), p.code.as_str(), p.detail.as_str()))
            .collect::<Vec<_>>(),
        vec![(
            "$.sections[0].questions[1].kind",
            "answered_type_changed",
            "q2"
        )]
    );
    assert_eq!(stored(&db, id).await, before, "nothing was saved");

    let reply = set_move(&mut client, id, "unpublish").await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "answers keep it published"
    );

    // A wording fix is a new version; the old one is kept.
    let form = colour_rows([("أحمر", "Red"), ("أزرق", "Blue"), ("أخضر", "Green")])
        .with("text_ar", "ما لونك المفضل؟")
        .with("text_en", "Which colour do you prefer?");
    let reply = change(&mut client, &db, id, "/questions/q1", form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let after = stored(&db, id).await;
    assert_eq!(after.version, before.version + 1);
    assert_eq!(
        after.definition.question("q1").map(|q| q.text.en.as_str()),
        Some("Which colour do you prefer?")
    );
    assert_eq!(
        version_saved(&db, id, before.version).await,
        before.definition
    );
    assert_eq!(
        version_saved(&db, id, after.version).await,
        after.definition
    );

    // What has no answers can still go.
    let form = colour_rows([("أحمر", "Red"), ("أزرق", "Blue"), ("", "")])
        .with("text_en", "Which colour do you prefer?");
    let reply = change(&mut client, &db, id, "/questions/q1", form).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "an unused choice: {}",
        reply.body
    );
    let reply = change(
        &mut client,
        &db,
        id,
        "/questions/q3/delete",
        Form::default(),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "an unanswered question: {}",
        reply.body
    );
    let keys: Vec<String> = stored(&db, id)
        .await
        .definition
        .questions()
        .map(|(_, q)| q.key.clone())
        .collect();
    assert_eq!(keys, ["q1", "q2", "q4"]);
}

server::on_both_backends!(answered_questions_and_choices_cannot_be_removed_but_wording_can_change);

// ---------------------------------------------------------------------------------------------
// Import

/// Posts a file to the import form, expects it refused, and returns the page.
async fn refused_import(client: &mut Client, json: &str) -> Reply {
    let form = Form::default().with("json", json);
    let reply = post(client, "/en/staff/surveys/import", &form).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{json}\n{}",
        reply.body
    );
    assert!(reply.body.contains("<title>Error:"), "{}", reply.body);
    reply
}

fn with(definition: &Definition, change: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(&definition.to_json()).expect("JSON");
    change(&mut value);
    serde_json::to_string_pretty(&value).expect("JSON")
}

async fn imports_are_checked_in_full_and_problems_named_by_path(db: Db) {
    let mut client = author(&db).await;
    let good = four_questions();
    let json = good.to_json();

    let reply = refused_import(&mut client, &json[..json.len() / 2]).await;
    assert!(
        reply.body.contains("This is not a valid survey file"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("EOF while parsing"), "{}", reply.body);
    assert!(
        reply.body.contains("Your view matters"),
        "what was pasted is kept"
    );

    let reply = refused_import(
        &mut client,
        &with(&good, |v| {
            v["sections"][0]["questions"][1]["required"] = "no".into()
        }),
    )
    .await;
    assert!(
        reply.body.contains("$.sections[0].questions[1].required"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("invalid type: string"));

    let reply = refused_import(
        &mut client,
        &with(&good, |v| {
            v["sections"][0]["questions"][3]["kind"]["rows"][1]["label"]["en"] = 7.into()
        }),
    )
    .await;
    assert!(
        reply.body.contains("$.sections[0].questions[3].kind"),
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("invalid type: integer `7`"),
        "{}",
        reply.body
    );

    let reply = refused_import(
        &mut client,
        &with(&good, |v| {
            v["sections"][0]["questions"][0]["colour"] = "red".into()
        }),
    )
    .await;
    assert!(
        reply.body.contains("$.sections[0].questions[0]"),
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("unknown field `colour`"),
        "{}",
        reply.body
    );

    let reply = refused_import(
        &mut client,
        &with(&good, |v| {
            v["sections"][0]["questions"][0]["show_if"] =
                serde_json::json!({"op": "equals", "question": "q2", "value": "yes"});
        }),
    )
    .await;
    assert!(
        reply
            .body
            .contains("$.sections[0].questions[0].show_if.question"),
        "{}",
        reply.body
    );
    assert!(
        reply
            .body
            .contains("The rule uses “q2”, which is not a question asked before this one")
    );

    let reply = refused_import(
        &mut client,
        &with(&good, |v| {
            v["sections"][0]["questions"][1]["key"] = "q1".into();
            v["sections"][0]["questions"][0]["kind"]["choices"][2]["key"] = "c1".into();
        }),
    )
    .await;
    assert!(
        reply.body.contains("$.sections[0].questions[1].key"),
        "{}",
        reply.body
    );
    assert!(
        reply
            .body
            .contains("$.sections[0].questions[0].kind.choices[2].key"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("The key “q1” is used twice"));
    assert!(reply.body.contains("The key “c1” is used twice"));

    let reply = refused_import(
        &mut client,
        &with(&good, |v| {
            v["sections"][0]["questions"][1]["kind"]["choices"] = serde_json::json!([]);
        }),
    )
    .await;
    assert!(
        reply
            .body
            .contains("$.sections[0].questions[1].kind.choices"),
        "settings a type does not have are not dropped silently: {}",
        reply.body
    );
    assert!(reply.body.contains("unknown field `choices`"));

    let twice = json.replacen(
        "\"format\"",
        "\"format\": \"sharek-survey/1\", \"format\"",
        1,
    );
    let reply = refused_import(&mut client, &twice).await;
    assert!(
        reply.body.contains("duplicate field `format`"),
        "{}",
        reply.body
    );

    let reply = refused_import(
        &mut client,
        &with(&good, |v| v["format"] = "sharek-survey/9".into()),
    )
    .await;
    assert!(
        reply.body.contains("$.format")
            && reply
                .body
                .contains("Unknown format: expected sharek-survey/1")
    );
    let reply = refused_import(&mut client, &format!("{json} {{}}")).await;
    assert!(reply.body.contains("trailing characters"), "{}", reply.body);

    assert!(
        surveys_db::list(&db).await.expect("list").is_empty(),
        "nothing was created"
    );

    let id = import_survey(&mut client, &good).await;
    let survey = stored(&db, id).await;
    assert_eq!(survey.definition, good);
    assert_eq!((survey.status, survey.version), (Status::Draft, 1));
    assert!(!published_in_catalogue(&db, id).await);
    let listed = surveys_db::list(&db).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].title_en.as_str(), listed[0].questions),
        ("Your view matters", 4)
    );
}

server::on_both_backends!(imports_are_checked_in_full_and_problems_named_by_path);

// ---------------------------------------------------------------------------------------------
// Permissions

/// Every form of the editor, for survey `id`, with fields enough to change something.
fn every_form(id: Uuid) -> Vec<(String, Form)> {
    let at = |path: &str| format!("{}{path}", page(id));
    let v = || Form::default().with("version", "1");
    vec![
        (
            "/en/staff/surveys".to_owned(),
            Form::default()
                .with("title_ar", "ع")
                .with("title_en", "E")
                .with("languages", "both"),
        ),
        (
            "/en/staff/surveys/import".to_owned(),
            Form::default().with("json", four_questions().to_json()),
        ),
        (
            at("/details"),
            details(None, None, "", "").with("version", "1"),
        ),
        (at("/sections"), v()),
        (at("/sections/s1"), v().with("title_en", "Renamed")),
        (
            at("/questions"),
            v().with("section", "s1").with("type", "nps"),
        ),
        (at("/questions/q2"), v().with("text_en", "Changed")),
        (at("/questions/q1/move"), v().with("direction", "down")),
        (at("/questions/q1/delete"), v()),
        (at("/status"), Form::default().with("move", "archive")),
    ]
}

async fn analysts_read_surveys_and_change_nothing(db: Db) {
    let id = surveys_db::create(&db, &four_questions(), None, Utc::now())
        .await
        .expect("create");
    let before = stored(&db, id).await;
    let mut analyst = staff(&db, "analyst@ministry.example", &[Role::Analyst]).await;
    for path in [
        "/en/staff/surveys".to_owned(),
        page(id),
        format!("{}/preview", page(id)),
        format!("{}/questions/q1", page(id)),
    ] {
        let reply = analyst.get(&path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(
            reply.body.contains("Your view matters") || reply.body.contains("Which colour?"),
            "{path}"
        );
        assert!(!reply.body.contains("You do not have access"), "{path}");
    }
    assert!(
        !analyst
            .get("/en/staff/surveys")
            .await
            .body
            .contains("Create survey"),
        "no forms to change"
    );
    assert!(
        !analyst
            .get(&page(id))
            .await
            .body
            .contains(&format!("{}/status", page(id)))
    );
    let export = analyst.get(&format!("{}/export.json", page(id))).await;
    assert_eq!(validate::import(&export.body), Ok(four_questions()));
    for (path, form) in every_form(id) {
        let reply = post(&mut analyst, &path, &form).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(stored(&db, id).await, before);
    assert_eq!(surveys_db::list(&db).await.expect("list").len(), 1);

    let mut responder = staff(&db, "responder@ministry.example", &[Role::Responder]).await;
    let reply = responder.get(&page(id)).await;
    assert!(
        reply.body.contains("You do not have access"),
        "responders do not read surveys"
    );
}

async fn signed_out_visitors_are_sent_to_sign_in(db: Db) {
    let id = surveys_db::create(&db, &four_questions(), None, Utc::now())
        .await
        .expect("create");
    let before = stored(&db, id).await;
    let mut visitor = Client::new(&db);
    let reply = visitor.get(&page(id)).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(
        reply.location.starts_with("/en/login?next="),
        "{}",
        reply.location
    );
    let reply = visitor.get(&format!("{}/export.json", page(id))).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    for (path, form) in every_form(id) {
        let reply = post(&mut visitor, &path, &form).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    assert_eq!(stored(&db, id).await, before);
}

async fn an_author_changes_what_an_analyst_may_not(db: Db) {
    // The same forms as the analyst's, accepted for an author: the refusals above are about roles.
    let id = surveys_db::create(&db, &four_questions(), None, Utc::now())
        .await
        .expect("create");
    let mut client = author(&db).await;
    for (path, form) in every_form(id) {
        let fresh = stored(&db, id).await.version.to_string();
        let form = Form(
            form.0
                .into_iter()
                .map(|(k, v)| {
                    if k == "version" {
                        (k, fresh.clone())
                    } else {
                        (k, v)
                    }
                })
                .collect(),
        );
        let reply = post(&mut client, &path, &form).await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "{path}: {}",
            reply.body
        );
    }
    assert_eq!(stored(&db, id).await.status, Status::Archived);
}

server::on_both_backends!(
    analysts_read_surveys_and_change_nothing,
    signed_out_visitors_are_sent_to_sign_in,
    an_author_changes_what_an_analyst_may_not,
);
