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

use crate::support::question;

mod answered;
mod editing;
mod errors;
mod import;
mod lifecycle;
mod overview;
mod permissions;
mod question_types;
mod staged;
mod waves;

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

/// Posts a form to a survey's path with the survey's current version (and draft revision).
async fn change(client: &mut Client, db: &Db, id: Uuid, path: &str, form: Form) -> Reply {
    let seen = stored(db, id).await.seen();
    let mut fields = Form::default().with("version", seen);
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

// ---------------------------------------------------------------------------------------------
// Surveys imported whole

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
