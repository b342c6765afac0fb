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
use server::testing::{Client, Reply, api_token_for, session_for, staff_user, state_for};
use tower::ServiceExt;
use uuid::Uuid;

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

fn survey(title: &str, sections: Vec<Section>) -> Definition {
    Definition {
        title: Text::new(format!("استبيان {title}"), title),
        sections,
        ..Definition::default()
    }
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

// ---------------------------------------------------------------------------------------------
// Staff

async fn staff(db: &Db, email: &str, roles: &[Role]) -> (Uuid, Client) {
    let id = staff_user(db, email, roles).await;
    let token = session_for(db, id, Utc::now(), Utc::now()).await;
    (id, Client::with_session(db, &token))
}

// ---------------------------------------------------------------------------------------------
// A two-page survey, answered over HTTP

const SERVICES: &str = "services-2026";

async fn a_two_page_survey_is_answered_with_a_mistake_a_draft_and_a_step_back(db: Db) {
    let id = make_survey(&db, two_pages(), SERVICES).await;
    let mut visitor = Client::new(&db);
    let (first, hidden) = open_form(&mut visitor, &form_path(SERVICES)).await;
    assert!(first.body.contains("Page 1 of 2"), "{}", first.body);
    assert_eq!(
        (hidden.get("page"), hidden.get("ch")),
        (Some("0"), Some("web"))
    );
    assert_eq!(hidden.get("draft"), None);
    let submission = hidden.get("submission").expect("submission").to_owned();

    // A mistake: no colour chosen and an age out of range. Everything typed comes back.
    let mistake = hidden
        .clone()
        .with("stakeholder_group", "citizen")
        .with("q.age", "17")
        .with("action", "next");
    let wrong = submit(&mut visitor, SERVICES, &mistake).await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("There is a problem"));
    assert!(
        title(&wrong.body).starts_with("Error:"),
        "{}",
        title(&wrong.body)
    );
    assert!(wrong.body.contains("Select an answer"));
    assert!(wrong.body.contains("Enter a number from 18 to 99"));
    assert_eq!(field(&wrong.body, "q.age").as_deref(), Some("17"));
    assert!(checked(&wrong.body, "stakeholder_group", "citizen"));
    assert_eq!(field(&wrong.body, "submission"), Some(submission.clone()));
    assert!(!has_draft(&db, &submission).await);

    // Corrected (the age in Arabic-Indic digits): on to page 2, with a draft on the server.
    let fixed = mistake.with("q.pick", "c1").set("q.age", "٢٠");
    let next = submit(&mut visitor, SERVICES, &fixed).await;
    assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
    let resume = format!("/en/s/{SERVICES}?r={submission}&page=1");
    assert_eq!(next.location, resume);
    assert!(has_draft(&db, &submission).await);
    let (second, hidden) = open_form(&mut visitor, &resume).await;
    assert!(second.body.contains("Page 2 of 2"), "{}", second.body);
    assert_eq!(hidden.get("submission"), Some(submission.as_str()));
    assert_eq!(
        (hidden.get("page"), hidden.get("draft")),
        (Some("1"), Some("1"))
    );
    assert!(
        field(&second.body, "q.pick").is_none(),
        "page 2 shows only section 2"
    );

    // Back keeps what was typed on page 2 and shows page 1 as it was answered.
    let back = submit(
        &mut visitor,
        SERVICES,
        &hidden.with("q.agree", "no").with("action", "back"),
    )
    .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    assert_eq!(
        back.location,
        format!("/en/s/{SERVICES}?r={submission}&page=0")
    );
    let (again, hidden) = open_form(&mut visitor, &back.location).await;
    assert!(again.body.contains("Page 1 of 2"));
    assert!(checked(&again.body, "q.pick", "c1") && !checked(&again.body, "q.pick", "c2"));
    assert!(checked(&again.body, "stakeholder_group", "citizen"));
    assert_eq!(field(&again.body, "q.age").as_deref(), Some("20"));
    let page_one = hidden
        .with("stakeholder_group", "citizen")
        .with("q.pick", "c1")
        .with("q.age", "20")
        .with("action", "next");
    let next = submit(&mut visitor, SERVICES, &page_one).await;
    assert_eq!(next.location, resume, "{}", next.body);
    let (second, hidden) = open_form(&mut visitor, &resume).await;
    assert!(
        checked(&second.body, "q.agree", "no"),
        "page 2 remembers its answer"
    );

    // Sent, with an answer to the question its rule hides (a browser without JavaScript
    // shows every question): that answer is dropped.
    let last = hidden
        .with("q.agree", "yes")
        .with("q.why", "not for my eyes")
        .with("action", "submit");
    let sent = submit(&mut visitor, SERVICES, &last).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.location, format!("/en/s/{SERVICES}/thanks"));
    let thanks = visitor.get(&sent.location).await;
    assert_eq!(thanks.status, StatusCode::OK);
    assert!(thanks.body.contains("Thank you: your answers were sent"));

    let rows = stored(&db, id).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(
        (row.group.as_str(), row.channel.as_str()),
        ("citizen", "web")
    );
    assert_eq!(row.submission, submission.parse().ok());
    assert_eq!((row.source.as_deref(), row.entered_by), (None, None));
    assert_eq!(answer(row, "pick"), "c1");
    assert_eq!(answer(row, "age"), 20.0);
    assert_eq!(answer(row, "agree"), "yes");
    assert_eq!(answer(row, "stakeholder_group"), "citizen");
    assert!(row.answers.get("why").is_none(), "{}", row.raw);
    assert!(!row.raw.contains("not for my eyes"));
    assert!(
        !has_draft(&db, &submission).await,
        "the draft is gone once sent"
    );
    let done = visitor.get(&resume).await;
    assert!(done.body.contains("already sent"), "{}", done.body);
}

// ---------------------------------------------------------------------------------------------
// Reading and refusing answers

async fn numbers_in_arabic_digits_are_stored_and_bad_answers_refused(db: Db) {
    let id = make_survey(&db, one_page(), "digits").await;
    let mut visitor = Client::new(&db);
    let huge = "x".repeat(200_000);
    let refused = [
        ("q.age", "١٧", "Enter a number from 18 to 99"),
        ("q.age", "١٠٠", "Enter a number from 18 to 99"),
        ("q.age", "٤٢٫٥", "Enter a whole number"),
        ("q.age", "forty", "Enter a number"),
        ("q.pick", "c9", "Select one of the answers shown"),
        (
            "stakeholder_group",
            "martian",
            "Select one of the answers shown",
        ),
        (
            "q.note",
            "twenty-one characters",
            "must be 20 characters or fewer",
        ),
        ("q.note", huge.as_str(), "must be 20 characters or fewer"),
    ];
    for (name, value, message) in refused {
        let form = complete(Uuid::new_v4()).set(name, value);
        let reply = submit(&mut visitor, "digits", &form).await;
        let shown: String = value.chars().take(20).collect();
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}={shown}: {}",
            reply.body
        );
        assert!(reply.body.contains(message), "{name}={shown}: {message}");
    }
    assert_eq!(count_rows(&db, id).await, 0);

    let submission = Uuid::new_v4();
    let form = complete(submission)
        .set("q.age", "٤٢")
        .set("q.note", "  قصير  ");
    let sent = submit(&mut visitor, "digits", &form).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let row = response(&db, id, &submission.to_string()).await;
    assert_eq!(
        row.answers["age"],
        serde_json::json!({"type": "number", "value": 42.0})
    );
    assert_eq!(row.answers["note"]["value"], "قصير");
}

// ---------------------------------------------------------------------------------------------
// Exactly once

async fn one_submission_sent_twenty_times_at_once_is_stored_once(db: Db) {
    let id = make_survey(&db, one_page(), "once").await;
    // Two app servers over one database: repeats meet in one batch and across transactions.
    let servers = [
        server::app(state_for(db.clone())),
        server::app(state_for(db.clone())),
    ];
    let submission = Uuid::new_v4();
    let mut sending = tokio::task::JoinSet::new();
    for n in 0..20 {
        let mut client = Client::over(servers[n % 2].clone());
        sending.spawn(async move { submit(&mut client, "once", &complete(submission)).await });
    }
    while let Some(reply) = sending.join_next().await {
        let reply = reply.expect("a sender");
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert_eq!(reply.location, "/en/s/once/thanks");
    }
    assert_eq!(count_rows(&db, id).await, 1);

    let mut visitor = Client::new(&db);
    for _ in 0..2 {
        let reply = submit(&mut visitor, "once", &complete(Uuid::new_v4())).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
    assert_eq!(count_rows(&db, id).await, 3);
}

/// Sends one participant's page: a complete response to `short`, or page 1 of `long` (which
/// saves a draft).
async fn one_page_or_draft(mut client: Client, draft: bool) -> (&'static str, Reply) {
    let (key, form) = if draft {
        ("long", complete(Uuid::new_v4()).set("action", "next"))
    } else {
        ("short", complete(Uuid::new_v4()))
    };
    (key, submit(&mut client, key, &form).await)
}

/// Participants saving drafts (page 1 of a longer survey) while others send complete
/// responses, on one app server: every one of them is saved, none is asked to try again.
async fn drafts_and_responses_saved_at_once_all_succeed(db: Db) {
    let long = make_survey(&db, two_pages(), "long").await;
    let short = make_survey(&db, one_page(), "short").await;
    let app = server::app(state_for(db.clone()));
    // A few rounds of 200, since writers meet by chance.
    for _ in 0..5 {
        let mut sending = tokio::task::JoinSet::new();
        for n in 0..200 {
            sending.spawn(one_page_or_draft(Client::over(app.clone()), n % 2 == 1));
        }
        while let Some(sent) = sending.join_next().await {
            let (key, reply) = sent.expect("a sender");
            let status = reply.status;
            assert_eq!(
                status,
                StatusCode::SEE_OTHER,
                "{key}: {}",
                title(&reply.body)
            );
        }
    }
    assert_eq!(count_rows(&db, short).await, 500);
    assert_eq!(count_rows(&db, long).await, 0);
}

// ---------------------------------------------------------------------------------------------
// Channels

async fn links_record_their_channel_and_source(db: Db) {
    let id = make_survey(&db, one_page(), "channels").await;
    let mut visitor = Client::new(&db);
    let links = [
        ("?p=KSU", "partner", Some("ksu")),
        ("?utm_source=twitter", "social", Some("twitter")),
        ("?ch=mobile", "mobile", None),
        ("?ch=widget", "widget", None),
        ("", "web", None),
    ];
    for (query, channel, source) in links {
        let (_, hidden) = open_form(&mut visitor, &format!("/en/s/channels{query}")).await;
        assert_eq!(hidden.get("ch"), Some(channel), "{query}");
        assert_eq!(hidden.get("src"), source, "{query}");
        let answers = hidden
            .clone()
            .with("stakeholder_group", "ngo")
            .with("q.pick", "c2")
            .with("action", "submit");
        let sent = submit(&mut visitor, "channels", &answers).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{query}: {}", sent.body);
        let row = response(&db, id, hidden.get("submission").expect("id")).await;
        assert_eq!(row.channel, channel, "{query}");
        assert_eq!(row.source.as_deref(), source, "{query}");
        assert_eq!(row.group, "ngo");
    }
    // A participant cannot pass answers off as staff-assisted, nor store any source text.
    let submission = Uuid::new_v4();
    let forged = complete(submission)
        .set("ch", "assisted")
        .with("src", "<b>bold</b>");
    let sent = submit(&mut visitor, "channels", &forged).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let row = response(&db, id, &submission.to_string()).await;
    assert_eq!((row.channel.as_str(), row.source), ("web", None));
}

// ---------------------------------------------------------------------------------------------
// Invitations

const MEMBERS: &str = "members";

const INVITED: [&str; 2] = ["amal@example.org", "badr@example.org"];

/// An author's session, after setting invitation mode (and the address `members`) through
/// the staff form.
async fn invitation_mode(db: &Db, id: Uuid) -> Client {
    let (_, mut author) = staff(db, "author@ministry.example", &[Role::Author]).await;
    let settings = format!("/en/staff/surveys/{id}/collect");
    let bad = author
        .post(
            &settings,
            &[("slug", "Not A Slug"), ("identity_mode", "invitation")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body
            .contains("Enter a web address of 3 to 60 small letters")
    );
    let saved = author
        .post(
            &settings,
            &[("slug", MEMBERS), ("identity_mode", "invitation")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, settings);
    author
}

/// Invites two addresses in storage; returns (address, token) for each.
async fn invite_two(db: &Db, id: Uuid) -> Vec<(String, String)> {
    let emails = INVITED.map(str::to_owned);
    responses_db::invite(db, id, &emails, Utc::now())
        .await
        .expect("invite")
}

/// The (address, token) pairs of the links a page shows once.
fn links_shown(page: &str) -> Vec<(String, String)> {
    let Some(start) = page.find("invitation-links\">") else {
        return Vec::new();
    };
    let shown = &page[start + "invitation-links\">".len()..];
    let shown = &shown[..shown.find("</pre>").expect("the end of the links")];
    shown
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(email, link)| {
            let (path, token) = link.split_once("?inv=").expect("an invitation link");
            assert!(path.ends_with(&form_path(MEMBERS)), "{link}");
            (email.to_owned(), token.to_owned())
        })
        .collect()
}

async fn authors_create_invitation_links_shown_once(db: Db) {
    let id = make_survey(&db, one_page(), "open-first").await;
    let mut author = invitation_mode(&db, id).await;
    let path = format!("/en/staff/surveys/{id}/invitations");
    let wrong = author
        .post(&path, &[("emails", "amal@example.org\nnot-an-address")])
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(
        wrong
            .body
            .contains("Some addresses are not in the right format"),
        "{}",
        wrong.body
    );
    assert!(
        wrong.body.contains("not-an-address"),
        "what was typed is kept"
    );
    assert!(
        responses_db::invitations(&db, id)
            .await
            .expect("invitations")
            .is_empty()
    );

    let emails = "Amal@Example.org\nbadr@example.org, amal@example.org";
    let made = author.post(&path, &[("emails", emails)]).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let stored = responses_db::invitations(&db, id)
        .await
        .expect("invitations");
    let stored: Vec<&str> = stored.iter().map(|i| i.email.as_str()).collect();
    assert_eq!(stored, INVITED);
    let links = links_shown(&made.body);
    let shown: Vec<&str> = links.iter().map(|(e, _)| e.as_str()).collect();
    assert_eq!(shown, INVITED, "the new links are shown: {}", made.body);
    let mut visitor = Client::new(&db);
    open_form(&mut visitor, &format!("/en/s/{MEMBERS}?inv={}", links[0].1)).await;
    // Asked again, nobody is invited twice.
    let again = author.post(&path, &[("emails", "badr@example.org")]).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert!(links_shown(&again.body).is_empty());
    assert_eq!(
        responses_db::invitations(&db, id)
            .await
            .expect("invitations")
            .len(),
        2
    );
}

async fn an_invitation_gives_one_response_which_keeps_no_address(db: Db) {
    let id = make_survey(&db, one_page(), "open-first").await;
    invitation_mode(&db, id).await;
    let links = invite_two(&db, id).await;
    let mut visitor = Client::new(&db);
    let bare = visitor.get(&form_path(MEMBERS)).await;
    assert!(bare.body.contains("by invitation only"), "{}", bare.body);
    assert!(field(&bare.body, "submission").is_none());
    let posted = submit(&mut visitor, MEMBERS, &complete(Uuid::new_v4())).await;
    assert_eq!(
        posted.status,
        StatusCode::FORBIDDEN,
        "no invitation, no response"
    );

    let (email, token) = &links[0];
    let link = format!("/en/s/{MEMBERS}?inv={token}");
    let (_, hidden) = open_form(&mut visitor, &link).await;
    assert_eq!(
        (hidden.get("ch"), hidden.get("inv")),
        (Some("email"), Some(token.as_str()))
    );
    let answers = hidden
        .clone()
        .with("stakeholder_group", "expert")
        .with("q.pick", "c1")
        .with("action", "submit");
    let sent = submit(&mut visitor, MEMBERS, &answers).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let submission = hidden.get("submission").expect("id");
    let row = response(&db, id, submission).await;
    assert_eq!(
        (row.channel.as_str(), row.source.as_deref()),
        ("email", None)
    );
    for text in [
        row.raw.as_str(),
        row.group.as_str(),
        row.source.as_deref().unwrap_or_default(),
    ] {
        assert!(
            !text.contains('@') && !text.contains(token.as_str()),
            "{row:?}"
        );
    }
    assert!(!text_of_row_mentions(&db, id, email, token).await);

    // The link is spent: the page says so, and another response through it is refused.
    let used = visitor.get(&link).await;
    assert!(used.body.contains("already been used"), "{}", used.body);
    let another = answers.clone().set("submission", Uuid::new_v4());
    let refused = submit(&mut visitor, MEMBERS, &another).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    // The same response sent again (a retry) is thanked, and stored once.
    let retried = submit(&mut visitor, MEMBERS, &answers).await;
    assert_eq!(
        retried.location,
        format!("/en/s/{MEMBERS}/thanks"),
        "{}",
        retried.body
    );
    assert_eq!(count_rows(&db, id).await, 1);

    let invitations = responses_db::invitations(&db, id)
        .await
        .expect("invitations");
    let used_on: Vec<(&str, bool)> = invitations
        .iter()
        .map(|i| (i.email.as_str(), i.used_on.is_some()))
        .collect();
    assert_eq!(used_on, [(INVITED[0], true), (INVITED[1], false)]);
    let day = invitations[0].used_on.as_deref().unwrap_or_default();
    assert!(
        day.parse::<chrono::NaiveDate>().is_ok(),
        "only the day is kept: {day}"
    );

    // The other invitation still works.
    let (_, hidden) = open_form(&mut visitor, &format!("/en/s/{MEMBERS}?inv={}", links[1].1)).await;
    let other = hidden
        .with("stakeholder_group", "citizen")
        .with("q.pick", "c2")
        .with("action", "submit");
    assert_eq!(
        submit(&mut visitor, MEMBERS, &other).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(count_rows(&db, id).await, 2);
}

/// Whether any text column of the survey's responses holds the address or the token.
async fn text_of_row_mentions(db: &Db, survey: Uuid, email: &str, token: &str) -> bool {
    let rows: Vec<(String,)> = app::on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT stakeholder_group || '|' || channel || '|' || answers || '|' \
             || COALESCE(source, '') FROM responses WHERE survey_id = $1",
        )
        .bind(survey)
        .fetch_all(pool)
        .await
        .expect("read responses")
    });
    rows.iter()
        .any(|(text,)| text.contains(email) || text.contains(token))
}

/// Invited participants who make a mistake, or whose link was used meanwhile, see their form
/// again with the problem (not a page saying they have no invitation).
async fn an_invited_participants_mistake_keeps_their_form(db: Db) {
    let id = make_survey(&db, one_page(), "open-first").await;
    invitation_mode(&db, id).await;
    let links = invite_two(&db, id).await;
    let mut visitor = Client::new(&db);
    let (_, hidden) = open_form(&mut visitor, &format!("/en/s/{MEMBERS}?inv={}", links[0].1)).await;
    let typed = hidden
        .with("stakeholder_group", "expert")
        .with("q.note", "kept words")
        .with("action", "submit");
    let wrong = submit(&mut visitor, MEMBERS, &typed).await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(
        wrong.body.contains("Select an answer"),
        "the error is shown: {}",
        wrong.body
    );
    assert_eq!(field(&wrong.body, "q.note").as_deref(), Some("kept words"));
    assert_eq!(
        field(&wrong.body, "inv").as_deref(),
        Some(links[0].1.as_str())
    );

    let sent = submit(&mut visitor, MEMBERS, &typed.clone().with("q.pick", "c1")).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let reused = typed.set("submission", Uuid::new_v4()).with("q.pick", "c2");
    let refused = submit(&mut visitor, MEMBERS, &reused).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    // Either the form with the problem, or the page saying the link was used.
    let said = [
        "This invitation was used for another response",
        "already been used",
    ];
    assert!(
        said.iter().any(|s| refused.body.contains(s)),
        "{}",
        refused.body
    );
}

/// An invited participant answers two pages: the draft keeps the invitation's hash (never the
/// link), later pages carry no token, and the response uses up the invitation.
async fn an_invitation_carries_over_pages_without_keeping_the_link(db: Db) {
    let id = make_survey(&db, two_pages(), "two-invited").await;
    invitation_mode(&db, id).await;
    let links = invite_two(&db, id).await;
    let token = links[0].1.clone();
    let mut visitor = Client::new(&db);
    let (_, hidden) = open_form(&mut visitor, &format!("/en/s/{MEMBERS}?inv={token}")).await;
    let first = hidden
        .with("stakeholder_group", "resident")
        .with("q.pick", "c1")
        .with("action", "next");
    let next = submit(&mut visitor, MEMBERS, &first).await;
    assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
    let submission = first.get("submission").expect("submission").to_owned();
    let (kept,): (Option<String>,) = match &db {
        Db::Sqlite(pool) => sqlx::query_as("SELECT invitation FROM response_drafts")
            .fetch_one(pool)
            .await
            .expect("draft"),
        Db::Postgres(pool) => sqlx::query_as("SELECT invitation FROM response_drafts")
            .fetch_one(pool)
            .await
            .expect("draft"),
    };
    assert_eq!(kept, Some(app::responses::invitation_hash(&token)));
    let (page, hidden) = open_form(&mut visitor, &next.location).await;
    assert!(page.body.contains("Page 2 of 2"), "{}", page.body);
    assert_eq!(hidden.get("inv"), None, "later pages carry no token");
    let last = hidden.with("q.agree", "yes").with("action", "submit");
    let sent = submit(&mut visitor, MEMBERS, &last).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert!(sent.location.ends_with("/thanks"), "{}", sent.location);
    assert_eq!(response(&db, id, &submission).await.channel, "email");
    let used = responses_db::invitations(&db, id)
        .await
        .expect("invitations");
    assert_eq!(used.iter().filter(|i| i.used_on.is_some()).count(), 1);
    // The link cannot start another response.
    let again = visitor.get(&format!("/en/s/{MEMBERS}?inv={token}")).await;
    assert!(again.body.contains("already been used"), "{}", again.body);
}

/// With an SMTP relay configured, each invited address is sent its link (in both languages);
/// the message waits in the outbox for the sender.
async fn invitations_are_emailed_when_a_relay_is_configured(db: Db) {
    let id = make_survey(&db, one_page(), "mailed").await;
    invitation_mode(&db, id).await;
    staff_user(&db, "mailing-author@ministry.example", &[Role::Author]).await;
    let mut state = server::testing::state_for(db.clone());
    let mut settings = (*state.settings).clone();
    let relay = url::Url::parse("smtp://127.0.0.1:9").expect("url");
    settings.mailer =
        Some(server::mail::Mailer::new(&relay, "no-reply@ministry.example").expect("mailer"));
    state.settings = std::sync::Arc::new(settings);
    let mut author = Client::over(server::app(state));
    author.sign_in("mailing-author@ministry.example").await;
    let path = format!("/en/staff/surveys/{id}/invitations");
    let made = author.post(&path, &[("emails", "amal@example.org")]).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert!(
        made.body.contains("sent its link by email"),
        "{}",
        made.body
    );
    let token = links_shown(&made.body)[0].1.clone();
    let waiting = app::store::outbox::pending(&db, 10).await.expect("outbox");
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].to, "amal@example.org");
    assert!(waiting[0].subject.contains("Invitation to take part"));
    for lang in ["ar", "en"] {
        let link = format!("/{lang}/s/{MEMBERS}?inv={token}");
        assert!(waiting[0].body.contains(&link), "{}", waiting[0].body);
    }
    // Without a relay nothing is queued: the page says to send the links.
    let (_, mut plain) = staff(&db, "plain-author@ministry.example", &[Role::Author]).await;
    let shown = plain.post(&path, &[("emails", "badr@example.org")]).await;
    assert_eq!(shown.status, StatusCode::CREATED, "{}", shown.body);
    assert!(!shown.body.contains("sent its link by email"));
    assert_eq!(
        app::store::outbox::pending(&db, 10)
            .await
            .expect("outbox")
            .len(),
        1
    );
}

/// A published survey that opens later says when, in the visitor's language, and takes nothing.
async fn a_survey_that_opens_later_says_when(db: Db) {
    let now = Utc::now();
    let id = surveys_db::create(&db, &one_page(), None, now)
        .await
        .expect("create survey");
    responses_db::save_collection_settings(&db, id, Some("soon"), IdentityMode::Anonymous, now)
        .await
        .expect("collection settings");
    let settings = surveys_db::Settings {
        opens_at: Some(now + chrono::Duration::days(10)),
        closes_at: None,
        recurrence: None,
        wave_days: None,
        topic: "other".into(),
        groups: Vec::new(),
    };
    surveys_db::save_settings(&db, id, &settings, now)
        .await
        .expect("settings");
    assert!(
        surveys_db::set_status(&db, id, Status::Draft, Status::Scheduled, now)
            .await
            .expect("schedule")
    );
    let mut visitor = Client::new(&db);
    let page = visitor.get("/en/s/soon").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("This survey opens on"), "{}", page.body);
    let arabic = visitor.get("/ar/s/soon").await;
    assert!(
        arabic.body.contains("يُفتح هذا الاستبيان في"),
        "{}",
        arabic.body
    );
    let sent = submit(&mut visitor, "soon", &complete(Uuid::new_v4())).await;
    assert_eq!(sent.status, StatusCode::GONE);
    assert_eq!(count_rows(&db, id).await, 0);
}

// ---------------------------------------------------------------------------------------------
// Staff-assisted entry

async fn a_responder_enters_a_response_taken_by_phone(db: Db) {
    let id = make_survey(&db, two_pages(), "assisted").await;
    let (responder, mut desk) = staff(&db, "rana@ministry.example", &[Role::Responder]).await;
    let path = format!("/en/staff/surveys/{id}/enter");
    let page = desk.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for name in ["mode", "stakeholder_group", "q.pick", "q.agree"] {
        assert!(
            field(&page.body, name).is_some(),
            "every section on one page: {name}"
        );
    }
    let submission = Uuid::new_v4().to_string();
    let answers = Form::default()
        .with("submission", &submission)
        .with("stakeholder_group", "resident")
        .with("q.pick", "c1")
        .with("q.agree", "no");

    let no_mode = desk.post(&path, &answers.pairs()).await;
    assert_eq!(
        no_mode.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        no_mode.body
    );
    assert!(no_mode.body.contains("Select how the response was taken"));
    assert!(
        checked(&no_mode.body, "q.agree", "no"),
        "what was typed is kept"
    );
    assert_eq!(count_rows(&db, id).await, 0);

    let by_phone = answers.with("mode", "phone");
    let saved = desk.post(&path, &by_phone.pairs()).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    assert!(saved.body.contains("The response was saved."));
    // A double click stores nothing more.
    assert_eq!(
        desk.post(&path, &by_phone.pairs()).await.status,
        StatusCode::CREATED
    );
    let row = response(&db, id, &submission).await;
    assert_eq!(
        (row.channel.as_str(), row.source.as_deref()),
        ("assisted", Some("phone"))
    );
    assert_eq!(
        (row.entered_by, row.group.as_str()),
        (Some(responder), "resident")
    );
    assert_eq!(answer(&row, "agree"), "no");
    assert_eq!(count_rows(&db, id).await, 1);
    let log = audit_db::recent(&db, 20).await.expect("audit log");
    let entries: Vec<_> = log
        .iter()
        .filter(|(_, e)| e.action == "response.assisted")
        .collect();
    assert_eq!(entries.len(), 1, "{log:?}");
    assert_eq!(entries[0].1.actor, Some(responder));
    assert_eq!(entries[0].1.entity_id, id.to_string());

    let (_, mut analyst) = staff(&db, "sara@ministry.example", &[Role::Analyst]).await;
    assert_eq!(analyst.get(&path).await.status, StatusCode::FORBIDDEN);
    let other = by_phone.set("submission", Uuid::new_v4());
    assert_eq!(
        analyst.post(&path, &other.pairs()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(count_rows(&db, id).await, 1);
}

// ---------------------------------------------------------------------------------------------
// The API

/// Posts JSON with a bearer token; returns the status and the JSON body.
async fn api_post(
    db: &Db,
    path: &str,
    token: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let response = Client::new(db)
        .app
        .oneshot(request)
        .await
        .expect("response");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

fn api_response(submission: Uuid, pick: &str) -> serde_json::Value {
    serde_json::json!({
        "submission_id": submission,
        "stakeholder_group": "citizen",
        "answers": {"pick": {"type": "choice", "value": {"key": pick, "other": null}}},
        "channel": "partner",
        "source": "KSU",
    })
}

async fn api_token(db: &Db, email: &str, role: Role) -> String {
    let user = staff_user(db, email, &[role]).await;
    api_token_for(db, user, None).await
}

async fn partner_apps_post_responses_through_the_api(db: Db) {
    let id = make_survey(&db, one_page(), "api").await;
    let path = format!("/api/v1/surveys/{id}/responses");
    let admin = api_token(&db, "admin@ministry.example", Role::Admin).await;
    let submission = Uuid::new_v4();
    let (status, body) = api_post(&db, &path, &admin, api_response(submission, "c1")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "stored");
    let row = response(&db, id, &submission.to_string()).await;
    assert_eq!(
        (row.channel.as_str(), row.source.as_deref()),
        ("partner", Some("ksu"))
    );
    let (status, body) = api_post(&db, &path, &admin, api_response(submission, "c1")).await;
    assert_eq!(
        (status, &body["status"]),
        (StatusCode::OK, &"already_stored".into())
    );
    assert_eq!(count_rows(&db, id).await, 1);

    let (status, body) = api_post(&db, &path, &admin, api_response(Uuid::new_v4(), "c9")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["problems"][0]["field"], "answers.pick");
    assert_eq!(body["problems"][0]["code"], "unknown_choice");

    for role in [Role::Author, Role::Responder] {
        let token = api_token(&db, &format!("{}@ministry.example", role.code()), role).await;
        let (status, body) = api_post(&db, &path, &token, api_response(Uuid::new_v4(), "c2")).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {body}", role.code());
    }
    for role in [Role::Analyst, Role::Moderator] {
        let token = api_token(&db, &format!("{}@ministry.example", role.code()), role).await;
        let (status, _) = api_post(&db, &path, &token, api_response(Uuid::new_v4(), "c2")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", role.code());
    }
    assert_eq!(count_rows(&db, id).await, 3);
    let nowhere = format!("/api/v1/surveys/{}/responses", Uuid::new_v4());
    let (status, _) = api_post(&db, &nowhere, &admin, api_response(Uuid::new_v4(), "c1")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Invitation mode: the token is needed, and gives one response.
    let now = Utc::now();
    responses_db::save_collection_settings(&db, id, Some("api"), IdentityMode::Invitation, now)
        .await
        .expect("invitation mode");
    let made = responses_db::invite(&db, id, &["guest@example.org".to_owned()], now)
        .await
        .expect("invite");
    let (status, body) = api_post(&db, &path, &admin, api_response(Uuid::new_v4(), "c1")).await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::CONFLICT, &"invitation_needed".into())
    );
    let mut invited = api_response(Uuid::new_v4(), "c1");
    invited["invitation"] = made[0].1.clone().into();
    let (status, body) = api_post(&db, &path, &admin, invited.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    invited["submission_id"] = Uuid::new_v4().to_string().into();
    let (status, body) = api_post(&db, &path, &admin, invited).await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::CONFLICT, &"invitation_used".into())
    );

    close(&db, id).await;
    let (status, body) = api_post(&db, &path, &admin, api_response(Uuid::new_v4(), "c1")).await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::CONFLICT, &"closed".into())
    );
    assert_eq!(count_rows(&db, id).await, 4);

    let document = Client::new(&db).get("/api/v1/openapi.json").await.json();
    let documented = &document["paths"]["/api/v1/surveys/{id}/responses"]["post"];
    assert!(documented.is_object(), "the endpoint is documented");
    for status in ["201", "200", "403", "409", "422"] {
        assert!(
            documented["responses"][status].is_object(),
            "{status} is documented"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// What is refused

async fn closed_unknown_and_robot_submissions_store_nothing(db: Db) {
    let id = make_survey(&db, one_page(), "closing").await;
    let mut visitor = Client::new(&db);
    // Robots fill in the hidden field: they are thanked, and nothing is stored.
    let robot = submit(
        &mut visitor,
        "closing",
        &complete(Uuid::new_v4()).with("website", "http://spam.example"),
    )
    .await;
    assert_eq!(robot.status, StatusCode::SEE_OTHER);
    assert_eq!(robot.location, "/en/s/closing/thanks");
    assert_eq!(count_rows(&db, id).await, 0);

    let unknown = submit(&mut visitor, "no-such-survey", &complete(Uuid::new_v4())).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        visitor.get("/en/s/no-such-survey").await.status,
        StatusCode::NOT_FOUND
    );
    let by_id = visitor.get(&format!("/en/s/{id}")).await;
    assert!(
        field(&by_id.body, "submission").is_some(),
        "a survey is reached by its id too"
    );

    close(&db, id).await;
    let late = visitor
        .send(
            Method::POST,
            "/ar/s/closing",
            &complete(Uuid::new_v4()).pairs(),
        )
        .await;
    assert_eq!(late.status, StatusCode::GONE, "{}", late.body);
    assert!(
        late.body.contains("هذا الاستبيان مغلق"),
        "in Arabic: {}",
        late.body
    );
    let page = visitor.get("/en/s/closing").await;
    assert!(page.body.contains("This survey is closed"), "{}", page.body);
    assert_eq!(count_rows(&db, id).await, 0);
}

async fn the_submission_limit_refuses_with_what_was_typed_kept(db: Db) {
    let id = make_survey(&db, one_page(), "limited").await;
    let mut state = state_for(db.clone());
    state.collection = server::collect::Collection::new(db.clone(), 2);
    let mut visitor = Client::over(server::app(state));
    for _ in 0..2 {
        let sent = submit(&mut visitor, "limited", &complete(Uuid::new_v4())).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    }
    let third = complete(Uuid::new_v4())
        .set("q.pick", "c2")
        .with("q.note", "kept words");
    let refused = submit(&mut visitor, "limited", &third).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("Please wait ten minutes"),
        "{}",
        refused.body
    );
    assert!(checked(&refused.body, "q.pick", "c2"));
    assert_eq!(
        field(&refused.body, "q.note").as_deref(),
        Some("kept words")
    );
    assert_eq!(
        field(&refused.body, "submission"),
        third.get("submission").map(str::to_owned)
    );
    assert_eq!(count_rows(&db, id).await, 2);
}

async fn a_contact_address_is_kept_apart_from_the_answers(db: Db) {
    let id = make_survey(&db, one_page(), "contact").await;
    let mut visitor = Client::new(&db);
    let bad = visitor
        .send(
            Method::POST,
            "/en/s/contact/contact",
            &[("email", "not an address")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body
            .contains("Enter an email address in the right format")
    );
    let good = visitor
        .send(
            Method::POST,
            "/en/s/contact/contact",
            &[("email", "Hala@Example.org")],
        )
        .await;
    assert_eq!(good.status, StatusCode::CREATED, "{}", good.body);
    assert!(good.body.contains("We will write to you"));
    assert_eq!(responses_db::contacts(&db, id).await.expect("contacts"), 1);
    assert_eq!(count_rows(&db, id).await, 0);
}

server::on_both_backends!(
    a_two_page_survey_is_answered_with_a_mistake_a_draft_and_a_step_back,
    numbers_in_arabic_digits_are_stored_and_bad_answers_refused,
    one_submission_sent_twenty_times_at_once_is_stored_once,
    drafts_and_responses_saved_at_once_all_succeed,
    links_record_their_channel_and_source,
    authors_create_invitation_links_shown_once,
    an_invitation_gives_one_response_which_keeps_no_address,
    an_invited_participants_mistake_keeps_their_form,
    an_invitation_carries_over_pages_without_keeping_the_link,
    invitations_are_emailed_when_a_relay_is_configured,
    a_survey_that_opens_later_says_when,
    a_responder_enters_a_response_taken_by_phone,
    partner_apps_post_responses_through_the_api,
    closed_unknown_and_robot_submissions_store_nothing,
    the_submission_limit_refuses_with_what_was_typed_kept,
    a_contact_address_is_kept_apart_from_the_answers,
);

// ---------------------------------------------------------------------------------------------
// Crash safety: the real server, killed in the middle of a burst

const SHAREK: &str = env!("CARGO_BIN_EXE_sharek");

/// The URL the server reaches a test database by.
fn url_of(db: &Db) -> String {
    match db {
        Db::Sqlite(pool) => {
            let options = pool.connect_options();
            format!("sqlite://{}", options.get_filename().display())
        }
        Db::Postgres(pool) => {
            let options = pool.connect_options();
            format!(
                "postgres://{}@{}:{}/{}",
                options.get_username(),
                options.get_host(),
                options.get_port(),
                options.get_database().unwrap_or_default()
            )
        }
    }
}

/// A running `sharek serve`, killed (if still running) when dropped, even by a failing test.
struct Sharek {
    child: std::process::Child,
    port: u16,
}

impl Drop for Sharek {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `sharek serve` on a free port, with no submission limit.
async fn start_sharek(url: &str) -> Sharek {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = std::process::Command::new(SHAREK)
        .args(["serve", "--database-url", url])
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .env("SHAREK_SUBMIT_LIMIT", "0")
        .env(
            "SHAREK_SITE_ROOT",
            std::env::temp_dir().join("sharek-no-site"),
        )
        .env_remove("SHAREK_DEMO")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start sharek");
    let sharek = Sharek { child, port };
    // A guard against a server that never starts, not a measurement.
    for _ in 0..600 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return sharek;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("sharek did not start listening");
}

/// Posts a complete response over a fresh connection with a minimal HTTP/1.1 client; returns
/// the status and `Location`, or `None` when the server is gone.
async fn raw_submit(port: u16, submission: Uuid) -> Option<(u16, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = format!(
        "submission={submission}&page=0&ch=web&stakeholder_group=citizen&q.pick=c1&action=submit"
    );
    let request = format!(
        "POST /en/s/crash HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .ok()?;
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let head = String::from_utf8_lossy(&head);
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let location = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("location: ")
                .or_else(|| l.strip_prefix("Location: "))
        })
        .unwrap_or_default()
        .to_owned();
    Some((status, location))
}

/// What a burst of submissions got back.
#[derive(Default)]
struct Burst {
    acknowledged: Vec<Uuid>,
    /// Answers other than 303 to the thank-you page, while the server was up.
    unexpected: Vec<(u16, String)>,
}

/// Clients send submissions one after another until the server is gone; the server is killed
/// with SIGKILL once `kill_after` were acknowledged, so the burst is cut off in the middle.
async fn burst_until_killed(sharek: &mut Sharek, kill_after: usize) -> Burst {
    const CLIENTS: usize = 32;
    const MOST_EACH: usize = 100;
    let burst = Arc::new(Mutex::new(Burst::default()));
    // Rung after every answer, and when a client gives up.
    let news = Arc::new(tokio::sync::Notify::new());
    let killed = Arc::new(AtomicBool::new(false));
    let mut clients = tokio::task::JoinSet::new();
    let port = sharek.port;
    for _ in 0..CLIENTS {
        let (burst, news, killed) = (burst.clone(), news.clone(), killed.clone());
        clients.spawn(async move {
            for _ in 0..MOST_EACH {
                let submission = Uuid::new_v4();
                let Some((status, location)) = raw_submit(port, submission).await else {
                    break;
                };
                let mut got = burst.lock().expect("burst");
                if status == 303 && location == "/en/s/crash/thanks" {
                    got.acknowledged.push(submission);
                } else if !killed.load(Ordering::SeqCst) {
                    got.unexpected.push((status, location));
                }
                drop(got);
                news.notify_one();
            }
            news.notify_one();
        });
    }
    while burst.lock().expect("burst").acknowledged.len() < kill_after && !clients.is_empty() {
        tokio::select! {
            () = news.notified() => {}
            Some(done) = clients.join_next() => done.expect("a client"),
        }
    }
    killed.store(true, Ordering::SeqCst);
    sharek.child.kill().expect("SIGKILL the server");
    let status = sharek.child.wait().expect("the server stops");
    assert!(
        !status.success(),
        "the server was killed, not stopped: {status}"
    );
    while let Some(done) = clients.join_next().await {
        done.expect("a client");
    }
    Arc::try_unwrap(burst)
        .ok()
        .expect("clients are done")
        .into_inner()
        .expect("burst")
}

/// A 303 to the thank-you page is a promise: SIGKILL (a process crash; power loss is out of
/// reach of a test) in the middle of a burst loses none of the acknowledged responses. Runs on
/// both backends: the server is started on the test's own database.
async fn acknowledged_responses_survive_a_crash(db: Db) {
    let id = make_survey(&db, one_page(), "crash").await;
    let url = url_of(&db);
    db.close().await;
    let mut sharek = start_sharek(&url).await;
    let burst = burst_until_killed(&mut sharek, 250).await;
    assert!(burst.unexpected.is_empty(), "{:?}", burst.unexpected);
    assert!(
        burst.acknowledged.len() >= 250,
        "{} acknowledged",
        burst.acknowledged.len()
    );

    // Opened afresh (SQLite recovers its write-ahead log), every acknowledged response is there.
    let reopened = Db::connect(&url).await.expect("reopen the database");
    let rows = stored(&reopened, id).await;
    let kept: std::collections::BTreeSet<Uuid> = rows.iter().filter_map(|r| r.submission).collect();
    let lost: Vec<&Uuid> = burst
        .acknowledged
        .iter()
        .filter(|s| !kept.contains(s))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged responses lost",
        lost.len(),
        burst.acknowledged.len()
    );

    // Restarted, the server takes a retried submission as the one it already stored.
    let sharek = start_sharek(&url).await;
    let retried = raw_submit(sharek.port, burst.acknowledged[0]).await;
    let fresh = raw_submit(sharek.port, Uuid::new_v4()).await;
    drop(sharek);
    let thanks = Some((303, "/en/s/crash/thanks".to_owned()));
    assert_eq!((retried, fresh), (thanks.clone(), thanks));
    assert_eq!(
        count_rows(&reopened, id).await,
        i64::try_from(rows.len()).expect("few") + 1
    );
    reopened.close().await;
}

server::on_both_backends!(acknowledged_responses_survive_a_crash);
