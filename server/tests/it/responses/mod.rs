//! Response collection over HTTP (issue 5): a participant answers a two-page survey with a
//! mistake, a saved draft and a step back; numbers in Arabic-Indic digits; a submission sent
//! many times at once is stored once; links record their channel; single-use invitations;
//! staff-assisted entry; the JSON API; closed, unknown and robot submissions; the per-address
//! limit; and acknowledged responses surviving a crash of the real server. Every check runs
//! on SQLite and PostgreSQL.

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicBool, Ordering},
};

use crate::support::{api_token, staff, survey};
use app::accounts::Role;
use app::audit::db as audit_db;
use app::responses::{IdentityMode, db as responses_db};
use app::store::Db;
use app::surveys::conditions::Condition;
use app::surveys::db as surveys_db;
use app::surveys::lifecycle::Status;
use app::surveys::model::{Choice, Definition, Kind, Question, Section, Text};
use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use chrono::Utc;
use server::testing::{Client, Reply, staff_user, state_for};
use tower::ServiceExt;
use uuid::Uuid;

mod answering;
mod api;
mod assisted;
mod crash;
mod invitations;
mod privacy;
mod refused;
mod rounds;

// ---------------------------------------------------------------------------------------------
// Surveys

fn question(key: &str, en: &str, required: bool, kind: Kind) -> Question {
    Question {
        key: key.to_owned(),
        text: Text::new(format!("سؤال {key}"), en),
        help: Text::default(),
        required,
        show_if: None,
        kind,
    }
}

fn pick() -> Question {
    let choices = vec![
        Choice::new("c1", "أحمر", "Red"),
        Choice::new("c2", "أزرق", "Blue"),
    ];
    question(
        "pick",
        "Which colour?",
        true,
        Kind::SingleChoice {
            choices,
            other: false,
        },
    )
}

fn age() -> Question {
    let kind = Kind::Number {
        decimal: false,
        min: Some(18.0),
        max: Some(99.0),
    };
    question("age", "How old are you?", false, kind)
}

/// Page 1: a required choice and an optional number (18–99). Page 2: a required short text
/// shown only when the choice is `c2`, and a required yes/no.
fn two_pages() -> Definition {
    let mut why = question(
        "why",
        "Why blue?",
        true,
        Kind::ShortText {
            max_length: Some(50),
        },
    );
    why.show_if = Some(Condition::Equals {
        question: "pick".into(),
        value: "c2".into(),
    });
    let agree = question("agree", "Do you agree?", true, Kind::YesNo);
    let first = Section {
        questions: vec![pick(), age()],
        ..Section::new("s1")
    };
    let second = Section {
        questions: vec![why, agree],
        ..Section::new("s2")
    };
    survey("Services survey", vec![first, second])
}

/// One page: a required choice, an optional number (18–99), an optional text of 20 at most.
fn one_page() -> Definition {
    let note = question(
        "note",
        "Anything else?",
        false,
        Kind::ShortText {
            max_length: Some(20),
        },
    );
    let only = Section {
        questions: vec![pick(), age(), note],
        ..Section::new("s1")
    };
    survey("Quick survey", vec![only])
}

/// Stores a survey, gives it the public address `slug`, and opens it.
async fn make_survey(db: &Db, definition: Definition, slug: &str) -> Uuid {
    let now = Utc::now();
    let id = surveys_db::create(db, &definition, None, now)
        .await
        .expect("create survey");
    responses_db::save_collection_settings(db, id, Some(slug), IdentityMode::Anonymous, now)
        .await
        .expect("collection settings");
    assert!(
        surveys_db::set_status(db, id, Status::Draft, Status::Open, now)
            .await
            .expect("open survey")
    );
    id
}

async fn close(db: &Db, id: Uuid) {
    assert!(
        surveys_db::set_status(db, id, Status::Open, Status::Closed, Utc::now())
            .await
            .expect("close survey")
    );
}

// ---------------------------------------------------------------------------------------------
// Forms and pages

/// A form's fields, in the order a browser sends them.
#[derive(Debug, Clone, Default)]
struct Form(Vec<(String, String)>);

/// The hidden fields a response form carries between requests.
const HIDDEN: [&str; 6] = ["submission", "page", "ch", "src", "inv", "draft"];

impl Form {
    fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.0.push((name.to_owned(), value.to_string()));
        self
    }

    /// Replaces every value of `name` with this one.
    fn set(mut self, name: &str, value: impl ToString) -> Self {
        self.0.retain(|(n, _)| n != name);
        self.with(name, value)
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The response form's hidden fields on a page, as a browser sends them back.
    fn hidden_in(page: &str) -> Self {
        let fields = inputs(page)
            .into_iter()
            .filter(|tag| attr(tag, "type").as_deref() == Some("hidden"))
            .filter_map(|tag| Some((attr(tag, "name")?, attr(tag, "value").unwrap_or_default())))
            .filter(|(name, _)| HIDDEN.contains(&name.as_str()));
        Self(fields.collect())
    }

    fn pairs(&self) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }
}

/// A complete single-page response to [`one_page`] from the website.
fn complete(submission: Uuid) -> Form {
    Form::default()
        .with("submission", submission)
        .with("page", 0)
        .with("ch", "web")
        .with("stakeholder_group", "citizen")
        .with("q.pick", "c1")
        .with("action", "submit")
}

fn form_path(key: &str) -> String {
    format!("/en/s/{key}")
}

/// Posts a page of the public form (no CSRF token: participants need none).
async fn submit(client: &mut Client, key: &str, form: &Form) -> Reply {
    client
        .send(Method::POST, &form_path(key), &form.pairs())
        .await
}

/// Opens a page of the form; fails the test unless it is shown.
async fn open_form(client: &mut Client, path: &str) -> (Reply, Form) {
    let reply = client.get(path).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    let hidden = Form::hidden_in(&reply.body);
    assert!(
        hidden.get("submission").is_some(),
        "{path} shows a form: {}",
        reply.body
    );
    (reply, hidden)
}

/// Every `<input …>` tag of a page.
fn inputs(page: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<input") {
        let tag = &rest[start..];
        // The tag ends at the first `>` outside quotes.
        let mut quoted = false;
        let end = tag
            .char_indices()
            .find(|&(_, c)| {
                quoted ^= c == '"';
                c == '>' && !quoted
            })
            .map_or(tag.len(), |(i, _)| i);
        tags.push(&tag[..end]);
        rest = &tag[end..];
    }
    tags
}

/// An attribute of a tag: `Some("")` for a bare attribute like `checked`.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag.trim_start_matches("<input").trim_end_matches('/');
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let (found, after) = rest.split_at(end);
        let (value, after) = match after.strip_prefix("=\"") {
            Some(quoted) => {
                let close = quoted.find('"').unwrap_or(quoted.len());
                (
                    unescape(&quoted[..close]),
                    quoted.get(close + 1..).unwrap_or(""),
                )
            }
            None => (String::new(), after),
        };
        if found == name {
            return Some(value);
        }
        rest = after;
    }
}

fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value of the first input named `name`.
fn field(page: &str, name: &str) -> Option<String> {
    inputs(page)
        .into_iter()
        .find(|tag| attr(tag, "name").as_deref() == Some(name))
        .and_then(|tag| attr(tag, "value"))
}

/// Whether the radio button or checkbox `name` = `value` is checked.
fn checked(page: &str, name: &str, value: &str) -> bool {
    inputs(page).into_iter().any(|tag| {
        attr(tag, "name").as_deref() == Some(name)
            && attr(tag, "value").as_deref() == Some(value)
            && attr(tag, "checked").is_some()
    })
}

fn title(page: &str) -> &str {
    let start = page.find("<title>").map_or(0, |i| i + "<title>".len());
    let end = page[start..].find("</title>").map_or(start, |i| start + i);
    &page[start..end]
}

// ---------------------------------------------------------------------------------------------
// What is stored

/// One row of `responses`.
#[derive(Debug)]
struct Stored {
    group: String,
    channel: String,
    /// The answers as stored (JSON text).
    raw: String,
    answers: serde_json::Value,
    submission: Option<Uuid>,
    source: Option<String>,
    entered_by: Option<Uuid>,
}

type StoredRow = (
    String,
    String,
    String,
    Option<Uuid>,
    Option<String>,
    Option<Uuid>,
);

async fn stored(db: &Db, survey: Uuid) -> Vec<Stored> {
    let rows: Vec<StoredRow> = app::on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT stakeholder_group, channel, answers, submission_id, source, entered_by \
             FROM responses WHERE survey_id = $1 ORDER BY submitted_at",
        )
        .bind(survey)
        .fetch_all(pool)
        .await
        .expect("read responses")
    });
    rows.into_iter()
        .map(
            |(group, channel, raw, submission, source, entered_by)| Stored {
                answers: serde_json::from_str(&raw).expect("answers are JSON"),
                group,
                channel,
                raw,
                submission,
                source,
                entered_by,
            },
        )
        .collect()
}

async fn count_rows(db: &Db, survey: Uuid) -> i64 {
    responses_db::count(db, survey)
        .await
        .expect("count responses")
}

/// The stored response with this submission id.
async fn response(db: &Db, survey: Uuid, submission: &str) -> Stored {
    let id: Uuid = submission.parse().expect("a submission id");
    stored(db, survey)
        .await
        .into_iter()
        .find(|r| r.submission == Some(id))
        .unwrap_or_else(|| panic!("response {submission} is stored"))
}

async fn has_draft(db: &Db, submission: &str) -> bool {
    let id: Uuid = submission.parse().expect("a submission id");
    responses_db::draft(db, id)
        .await
        .expect("read draft")
        .is_some()
}

/// The chosen key or the number of an answer in stored JSON.
fn answer(stored: &Stored, key: &str) -> serde_json::Value {
    let value = &stored.answers[key]["value"];
    value.get("key").cloned().unwrap_or_else(|| value.clone())
}
