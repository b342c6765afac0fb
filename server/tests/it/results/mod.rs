//! Results (issue 6): the running counts against a recomputation from the raw answers over
//! random data and random filters; `verify` and its repair, in process and through the real
//! `sharek results verify`; exports (formula neutralising, every response across pages);
//! public results with small counts hidden; who may read and change what; the settings form;
//! crosstabs; the search of written answers; completion rate and median time through the real
//! form; and the API's documentation. Every check runs on SQLite and PostgreSQL.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::support::{api_get, api_token, question, staff, survey, wire};
use app::Locale;
use app::accounts::Role;
use app::responses::{Channel, IdentityMode, Outcome, Submission, db as responses_db};
use app::results::build::{self, Audience};
use app::results::db::{self as results_db, RawResponse};
use app::results::{Filter, QuestionResult, Results, Summary, verify};
use app::store::Db;
use app::surveys::StakeholderGroup;
use app::surveys::conditions::{Answer, Answers, STAKEHOLDER_QUESTION};
use app::surveys::db as surveys_db;
use app::surveys::lifecycle::Status;
use app::surveys::model::{Choice, Definition, Kind, Question, Section, Text};
use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use server::testing::{Client, Reply, session_for, staff_user};
use uuid::Uuid;

mod api_docs;
mod checks;
mod completion;
mod counts;
mod crosstabs;
mod data;
mod exports;
mod permissions;
mod public;
mod settings;
mod verification;
mod written;

use checks::*;
use data::*;

// ---------------------------------------------------------------------------------------------
// Surveys

fn choices(keys: &[(&str, &str)]) -> Vec<Choice> {
    keys.iter()
        .map(|(key, en)| Choice::new(key, &format!("خيار {key}"), en))
        .collect()
}

fn one_section(title: &str, questions: Vec<Question>) -> Definition {
    survey(
        title,
        vec![Section {
            questions,
            ..Section::new("s1")
        }],
    )
}

const SINGLE: [(&str, &str); 3] = [("c1", "Red"), ("c2", "Blue"), ("c3", "Green")];
const MULTI: [(&str, &str); 4] = [
    ("m1", "Parks"),
    ("m2", "Roads"),
    ("m3", "Schools"),
    ("m4", "Clinics"),
];
const DROP: [(&str, &str); 3] = [("d1", "Abu Dhabi"), ("d2", "Dubai"), ("d3", "Sharjah")];
const ROWS: [(&str, &str); 3] = [("r1", "Speed"), ("r2", "Courtesy"), ("r3", "Clarity")];
const SCALE: [(&str, &str); 3] = [("s1", "Poor"), ("s2", "Fair"), ("s3", "Good")];
const RANK: [(&str, &str); 3] = [
    ("k1", "Price"),
    ("k2", "Quality"),
    ("k3", "Speed of service"),
];

/// One question of every countable kind.
fn every_kind() -> Definition {
    one_section(
        "Every kind",
        vec![
            question(
                "single",
                "Favourite colour?",
                Kind::SingleChoice {
                    choices: choices(&SINGLE),
                    other: true,
                },
            ),
            question(
                "multi",
                "Which services do you use?",
                Kind::MultipleChoice {
                    choices: choices(&MULTI),
                    other: false,
                    min: None,
                    max: None,
                },
            ),
            question(
                "drop",
                "Your city?",
                Kind::Dropdown {
                    choices: choices(&DROP),
                    other: false,
                },
            ),
            question("yn", "Would you recommend us?", Kind::YesNo),
            question(
                "rate",
                "How satisfied are you?",
                Kind::Rating {
                    min: 1,
                    max: 5,
                    min_label: Text::default(),
                    max_label: Text::default(),
                },
            ),
            question("nps", "How likely are you to recommend us?", Kind::Nps),
            question(
                "grid",
                "Rate the service",
                Kind::Matrix {
                    rows: choices(&ROWS),
                    scale: choices(&SCALE),
                },
            ),
            question(
                "rank",
                "Order these",
                Kind::Ranking {
                    choices: choices(&RANK),
                },
            ),
            question(
                "num",
                "How much did you spend?",
                Kind::Number {
                    decimal: true,
                    min: None,
                    max: None,
                },
            ),
            question(
                "note",
                "Anything else?",
                Kind::ShortText {
                    max_length: Some(200),
                },
            ),
            question("when", "When did you visit?", Kind::Date),
        ],
    )
}

/// Stores a survey, gives it the public address `slug`, and opens it.
async fn make_survey(db: &Db, definition: &Definition, slug: &str) -> Uuid {
    let now = Utc::now();
    let id = surveys_db::create(db, definition, None, now)
        .await
        .expect("create survey");
    responses_db::save_collection_settings(db, id, Some(slug), IdentityMode::Anonymous, now)
        .await
        .expect("collection settings");
    assert!(
        surveys_db::set_status(db, id, Status::Draft, Status::Open, now)
            .await
            .expect("open survey"),
        "the survey opens"
    );
    id
}

// ---------------------------------------------------------------------------------------------
// Responses

fn submission(
    survey: Uuid,
    group: &str,
    channel: Channel,
    mut answers: Answers,
    at: DateTime<Utc>,
    duration: Option<i64>,
) -> Submission {
    answers.insert(STAKEHOLDER_QUESTION.to_owned(), Answer::choice(group));
    Submission {
        id: Uuid::new_v4(),
        survey,
        wave: None,
        survey_version: 1,
        stakeholder_group: group.to_owned(),
        channel,
        source: None,
        answers,
        entered_by: None,
        invitation: None,
        submitted_at: at,
        duration,
    }
}

/// Stores submissions (the real write path) and checks that each was stored.
async fn store_all(db: &Db, batch: &[Submission]) {
    for chunk in batch.chunks(100) {
        let outcomes = responses_db::store(db, chunk).await.expect("store");
        assert!(
            outcomes.iter().all(|o| *o == Outcome::Stored),
            "{outcomes:?}"
        );
    }
}

/// Answers from (question, answer) pairs.
fn answers(pairs: Vec<(&str, Answer)>) -> Answers {
    pairs.into_iter().map(|(k, a)| (k.to_owned(), a)).collect()
}

fn text(value: &str) -> Answer {
    Answer::Text(value.to_owned())
}

fn keys(values: &[&str]) -> Answer {
    Answer::Choices {
        keys: values.iter().map(|k| (*k).to_owned()).collect(),
        other: None,
    }
}

/// Every stored response of a survey, read back a page at a time.
async fn raw_responses(db: &Db, survey: Uuid) -> Vec<RawResponse> {
    let mut all = Vec::new();
    let mut after = Uuid::nil();
    loop {
        let page = results_db::raw_page(db, survey, after, 97)
            .await
            .expect("raw page");
        let Some(last) = page.last() else { break };
        after = last.id;
        all.extend(page);
    }
    all
}

// ---------------------------------------------------------------------------------------------
// Staff, pages and the API

fn dashboard(id: Uuid) -> String {
    format!("/en/staff/surveys/{id}/results")
}

fn settings_path(id: Uuid) -> String {
    format!("{}/settings", dashboard(id))
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The text of an HTML fragment: tags dropped, entities read, spaces collapsed.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (Some(name), '>') => {
                // Comments (hydration markers) and inline spans do not separate words.
                let inline =
                    name.starts_with('!') || name.trim_start_matches('/').starts_with("span");
                if !inline {
                    out.push(' ');
                }
                tag = None;
            }
            (Some(name), c) => name.push(c),
            (None, c) => out.push(c),
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of a page's main content (for failure messages).
fn main_text(page: &str) -> String {
    text_of(from(page, "<main"))
}

/// Every table row of a page as the text of its cells.
fn table_rows(html: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<tr") {
        let row = &rest[start..];
        let end = row.find("</tr>").unwrap_or(row.len());
        let inner = &row[..end];
        let mut cells = Vec::new();
        let mut cell_rest = inner;
        loop {
            let th = cell_rest.find("<th");
            let td = cell_rest.find("<td");
            let open = match (th, td) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => break,
            };
            let cell = &cell_rest[open..];
            let body_start = cell.find('>').map_or(cell.len(), |i| i + 1);
            let close = ["</th>", "</td>"]
                .iter()
                .filter_map(|t| cell.find(t))
                .min()
                .unwrap_or(cell.len());
            cells.push(text_of(&cell[body_start.min(close)..close]));
            cell_rest = &cell[close..];
            if cell_rest.len() >= 5 {
                cell_rest = &cell_rest[5..];
            }
        }
        rows.push(cells);
        rest = &row[end..];
    }
    rows
}

/// The cells of the first row of `html` whose first cell reads `label`.
fn row_of(html: &str, label: &str) -> Vec<String> {
    table_rows(html)
        .into_iter()
        .find(|cells| cells.first().map(String::as_str) == Some(label))
        .unwrap_or_else(|| panic!("a table row for {label:?} in {}", text_of(html)))
}

/// The part of a page from `marker` on (the whole page when it is not there).
fn from<'a>(html: &'a str, marker: &str) -> &'a str {
    html.find(marker).map_or(html, |i| &html[i..])
}

fn group_label(code: &str) -> String {
    Locale::En.t(&format!("groups.{code}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => close(a, b),
        (None, None) => true,
        _ => false,
    }
}

fn small_survey() -> Definition {
    one_section(
        "Small survey",
        vec![
            question(
                "pick",
                "Which colour?",
                Kind::SingleChoice {
                    choices: choices(&SINGLE),
                    other: false,
                },
            ),
            question("agree", "Do you agree?", Kind::YesNo),
        ],
    )
}
