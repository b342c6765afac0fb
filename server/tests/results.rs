//! Results (issue 6): the running counts against a recomputation from the raw answers over
//! random data and random filters; `verify` and its repair, in process and through the real
//! `sharek results verify`; exports (formula neutralising, every response across pages);
//! public results with small counts hidden; who may read and change what; the settings form;
//! crosstabs; the search of written answers; completion rate and median time through the real
//! form; and the API's documentation. Every check runs on SQLite and PostgreSQL.

use std::collections::{BTreeMap, BTreeSet, HashMap};

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
use server::testing::{Client, Reply, api_token_for, session_for, staff_user};
use uuid::Uuid;

#[path = "support/wire.rs"]
mod wire;

// ---------------------------------------------------------------------------------------------
// A tiny seeded random number generator (xorshift64)

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A random, non-empty subset of `items`, in their order.
    fn subset<T: Clone>(&mut self, items: &[T]) -> Vec<T> {
        loop {
            let chosen: Vec<T> = items.iter().filter(|_| self.chance(50)).cloned().collect();
            if !chosen.is_empty() {
                return chosen;
            }
        }
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Surveys

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

fn choices(keys: &[(&str, &str)]) -> Vec<Choice> {
    keys.iter()
        .map(|(key, en)| Choice::new(key, &format!("خيار {key}"), en))
        .collect()
}

fn survey(title: &str, sections: Vec<Section>) -> Definition {
    Definition {
        title: Text::new(format!("استبيان {title}"), title),
        sections,
        ..Definition::default()
    }
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
const DROP: [(&str, &str); 3] = [("d1", "Riyadh"), ("d2", "Jeddah"), ("d3", "Dammam")];
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

async fn staff(db: &Db, email: &str, roles: &[Role]) -> (Uuid, Client) {
    let id = staff_user(db, email, roles).await;
    let token = session_for(db, id, Utc::now(), Utc::now()).await;
    (id, Client::with_session(db, &token))
}

async fn api_token(db: &Db, email: &str, role: Role) -> String {
    let user = staff_user(db, email, &[role]).await;
    api_token_for(db, user, None).await
}

/// A GET with a bearer token.
async fn api_get(db: &Db, path: &str, token: &str) -> Reply {
    let bearer = format!("Bearer {token}");
    Client::new(db)
        .request(
            Method::GET,
            path,
            &[("authorization", bearer.as_str())],
            &[],
        )
        .await
}

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

// ---------------------------------------------------------------------------------------------
// 1. The counts against a recomputation from the raw answers

const GROUPS: [&str; 4] = ["citizen", "resident", "ngo", "expert"];
const CHANNELS: [Channel; 4] = [
    Channel::Web,
    Channel::Mobile,
    Channel::Social,
    Channel::Partner,
];
const TEXTS: [&str; 5] = [
    "الخدمة ممتازة",
    "slow; = . queue",
    "needs parking",
    "لا شيء",
    "a=b;c.d",
];

fn first_day() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
        .single()
        .expect("a valid time")
}

/// Random answers to [`every_kind`]: most questions answered, some left out.
fn random_answers(rng: &mut Rng) -> Answers {
    let mut a = Answers::new();
    if rng.chance(85) {
        let answer = if rng.chance(15) {
            Answer::Choice {
                key: "other".to_owned(),
                other: Some("بنفسجي".to_owned()),
            }
        } else {
            Answer::choice(rng.pick(&SINGLE).0)
        };
        a.insert("single".into(), answer);
    }
    if rng.chance(80) {
        let chosen = rng.subset(&MULTI.map(|(k, _)| k));
        a.insert("multi".into(), keys(&chosen));
    }
    if rng.chance(80) {
        // Skewed: d1 most often.
        let key = if rng.chance(50) {
            "d1"
        } else {
            rng.pick(&DROP).0
        };
        a.insert("drop".into(), Answer::choice(key));
    }
    if rng.chance(90) {
        let key = if rng.chance(60) { "yes" } else { "no" };
        a.insert("yn".into(), Answer::choice(key));
    }
    if rng.chance(85) {
        a.insert("rate".into(), Answer::Number((rng.below(5) + 1) as f64));
    }
    if rng.chance(80) {
        a.insert("nps".into(), Answer::Number(rng.below(11) as f64));
    }
    if rng.chance(75) {
        let rows: BTreeMap<String, String> = rng
            .subset(&ROWS.map(|(k, _)| k))
            .into_iter()
            .map(|row| (row.to_owned(), rng.pick(&SCALE).0.to_owned()))
            .collect();
        a.insert("grid".into(), Answer::Matrix(rows));
    }
    if rng.chance(70) {
        let mut order: Vec<String> = RANK.iter().map(|(k, _)| (*k).to_owned()).collect();
        rng.shuffle(&mut order);
        a.insert("rank".into(), Answer::Ranking(order));
    }
    if rng.chance(80) {
        let x = if rng.chance(10) {
            // Long decimals (sixteen or seventeen digits).
            rng.below(1000) as f64 / 7.0
        } else {
            (rng.below(20_001) as f64 - 5000.0) / 100.0
        };
        a.insert("num".into(), Answer::Number(x));
    }
    if rng.chance(60) {
        a.insert("note".into(), text(rng.pick::<&str>(&TEXTS)));
    }
    if rng.chance(70) {
        let day = NaiveDate::from_ymd_opt(2025, 1, 1).expect("a date")
            + Duration::days(rng.below(600) as i64);
        a.insert("when".into(), Answer::Date(day));
    }
    a
}

fn random_submission(rng: &mut Rng, survey: Uuid) -> Submission {
    let at = first_day() + Duration::seconds(rng.below(10 * 24 * 3600) as i64);
    let duration = match rng.below(10) {
        0..=2 => None,
        3 => Some(rng.below(60) as i64),
        // A form left open for days, and a clock gone wrong: neither is counted.
        4 if rng.chance(30) => Some(100_000 + rng.below(1000) as i64),
        4 if rng.chance(30) => Some(-5),
        _ => Some(rng.below(5000) as i64),
    };
    submission(
        survey,
        rng.pick::<&str>(&GROUPS),
        *rng.pick(&CHANNELS),
        random_answers(rng),
        at,
        duration,
    )
}

/// A response as the recomputation reads it.
struct Row {
    group: String,
    channel: String,
    day: NaiveDate,
    duration: Option<i64>,
    answers: Answers,
}

impl Row {
    fn choice(&self, q: &str) -> Option<&str> {
        match self.answers.get(q) {
            Some(Answer::Choice { key, .. }) => Some(key),
            _ => None,
        }
    }

    fn chosen(&self, q: &str) -> Option<&[String]> {
        match self.answers.get(q) {
            Some(Answer::Choices { keys, .. }) => Some(keys),
            _ => None,
        }
    }

    fn number(&self, q: &str) -> Option<f64> {
        match self.answers.get(q) {
            Some(Answer::Number(x)) => Some(*x),
            _ => None,
        }
    }

    /// Whether this response gave `value` to `q` (a choice key, one of several chosen, or a
    /// whole scale point).
    fn gave(&self, q: &str, value: &str) -> bool {
        match self.answers.get(q) {
            Some(Answer::Choice { key, .. }) => key == value,
            Some(Answer::Choices { keys, .. }) => keys.iter().any(|k| k == value),
            Some(Answer::Number(x)) => value.parse::<f64>().ok() == Some(*x),
            _ => false,
        }
    }

    fn matches(&self, filter: &Filter) -> bool {
        (filter.groups.is_empty() || filter.groups.contains(&self.group))
            && (filter.channels.is_empty() || filter.channels.contains(&self.channel))
            && filter.from.is_none_or(|from| self.day >= from)
            && filter.to.is_none_or(|to| self.day <= to)
            && match (&filter.question, &filter.value) {
                (Some(q), Some(v)) => self.gave(q, v),
                _ => true,
            }
    }
}

/// A survey's responses as the recomputations read them.
async fn rows_of(db: &Db, survey: Uuid) -> Vec<Row> {
    raw_responses(db, survey)
        .await
        .into_iter()
        .map(|r| Row {
            group: r.group,
            channel: r.channel,
            day: r.submitted_at.date_naive(),
            duration: r.duration,
            answers: serde_json::from_str(&r.answers).expect("answers are JSON"),
        })
        .collect()
}

fn median_of(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

fn mean_of(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The histogram bar a completion time falls in (its lower bound), as the results promise:
/// 5 s steps in the first minute, 30 s up to ten minutes, 5 min up to an hour, then hours;
/// longer than a day or negative: not counted.
fn bucket(seconds: i64) -> Option<f64> {
    if !(0..=24 * 3600).contains(&seconds) {
        return None;
    }
    let step = match seconds {
        0..60 => 5,
        60..600 => 30,
        600..3600 => 300,
        _ => 3600,
    };
    Some((seconds / step * step) as f64)
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

fn result<'a>(results: &'a Results, key: &str) -> &'a QuestionResult {
    results
        .questions
        .iter()
        .find(|q| q.key == key)
        .unwrap_or_else(|| panic!("a result for {key}"))
}

/// Checks one choice-like question: every option's count and percent, and how many answered.
fn check_options(
    context: &str,
    q: &QuestionResult,
    expected: &[(String, usize)],
    answered: usize,
    multiple: bool,
) {
    assert_eq!(q.answered, Some(answered as i64), "{context}: answered");
    let Summary::Choices {
        options,
        multiple: is_multiple,
    } = &q.summary
    else {
        panic!("{context}: choices, not {:?}", q.summary);
    };
    assert_eq!(*is_multiple, multiple, "{context}: multiple");
    let got: Vec<(String, Option<i64>)> = options.iter().map(|o| (o.key.clone(), o.n)).collect();
    let want: Vec<(String, Option<i64>)> = expected
        .iter()
        .map(|(k, n)| (k.clone(), Some(*n as i64)))
        .collect();
    assert_eq!(got, want, "{context}: counts per option");
    for (option, (_, n)) in options.iter().zip(expected) {
        assert!(
            close_opt(option.percent, Some(percent(*n, answered))),
            "{context}: percent of {}: {:?}, expected {}",
            option.key,
            option.percent,
            percent(*n, answered)
        );
    }
}

/// Checks a scale (rating or NPS): counts per point, mean, median and the NPS parts.
fn check_scale(
    context: &str,
    q: &QuestionResult,
    values: &[f64],
    range: std::ops::RangeInclusive<i32>,
    is_nps: bool,
) {
    assert_eq!(q.answered, Some(values.len() as i64), "{context}: answered");
    let Summary::Scale {
        points,
        mean,
        median,
        nps,
    } = &q.summary
    else {
        panic!("{context}: a scale, not {:?}", q.summary);
    };
    let got: Vec<(String, Option<i64>)> = points.iter().map(|p| (p.key.clone(), p.n)).collect();
    let want: Vec<(String, Option<i64>)> = range
        .map(|p| {
            let n = values.iter().filter(|x| **x == f64::from(p)).count();
            (p.to_string(), Some(n as i64))
        })
        .collect();
    assert_eq!(got, want, "{context}: counts per point");
    assert!(
        close_opt(*mean, mean_of(values)),
        "{context}: mean {mean:?}, expected {:?}",
        mean_of(values)
    );
    let expected_median = median_of(&mut values.to_vec());
    assert!(
        close_opt(*median, expected_median),
        "{context}: median {median:?}, expected {expected_median:?}"
    );
    if is_nps {
        let nps = nps.as_ref().expect("an NPS");
        let promoters = values.iter().filter(|x| **x >= 9.0).count();
        let passives = values.iter().filter(|x| (7.0..9.0).contains(*x)).count();
        let detractors = values.len() - promoters - passives;
        assert_eq!(
            (nps.promoters, nps.passives, nps.detractors),
            (
                Some(promoters as i64),
                Some(passives as i64),
                Some(detractors as i64)
            ),
            "{context}: NPS parts"
        );
        let score = if values.is_empty() {
            0.0
        } else {
            (promoters as f64 - detractors as f64) * 100.0 / values.len() as f64
        };
        assert!(
            close(nps.score, score),
            "{context}: NPS {}, expected {score}",
            nps.score
        );
    } else {
        assert_eq!(*nps, None, "{context}: no NPS on a rating");
    }
}

/// Checks every figure of `results` against the rows that pass `filter`.
fn check_results(context: &str, results: &Results, all: &[Row], filter: &Filter) {
    let rows: Vec<&Row> = all.iter().filter(|r| r.matches(filter)).collect();
    let context = format!("{context} ({} responses)", rows.len());
    let context = context.as_str();
    assert_eq!(
        results.responses,
        Some(rows.len() as i64),
        "{context}: responses"
    );

    // Who took part.
    for group in &results.groups {
        let n = rows.iter().filter(|r| r.group == group.group).count();
        assert_eq!(group.n, Some(n as i64), "{context}: group {}", group.group);
    }
    let channels: Vec<(String, Option<i64>)> = results
        .channels
        .iter()
        .map(|(code, _, n)| (code.clone(), *n))
        .collect();
    let expected: Vec<(String, Option<i64>)> = Channel::ALL
        .iter()
        .map(|c| {
            let n = rows.iter().filter(|r| r.channel == c.code()).count();
            (c.code().to_owned(), Some(n as i64))
        })
        .filter(|(_, n)| *n != Some(0))
        .collect();
    assert_eq!(channels, expected, "{context}: channels");
    let mut durations: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.duration.and_then(bucket))
        .collect();
    let expected_median = median_of(&mut durations);
    assert!(
        close_opt(results.median_seconds, expected_median),
        "{context}: median time {:?}, expected {expected_median:?}",
        results.median_seconds
    );
    if filter.by_answer().is_none() {
        // Every response here was stored without a draft: each is a start, and each was sent.
        let completion = (!rows.is_empty()).then_some(100.0);
        assert_eq!(results.completion, completion, "{context}: completion");
    }

    // Choices.
    let options = |q: &str, keys: &[&str], multiple: bool| -> (Vec<(String, usize)>, usize) {
        let counts = keys
            .iter()
            .map(|k| {
                let n = rows
                    .iter()
                    .filter(|r| match (multiple, r.answers.get(q)) {
                        (false, Some(Answer::Choice { key, .. })) => key == k,
                        (true, Some(Answer::Choices { keys, .. })) => keys.iter().any(|x| x == k),
                        _ => false,
                    })
                    .count();
                ((*k).to_owned(), n)
            })
            .collect();
        let answered = rows
            .iter()
            .filter(|r| {
                if multiple {
                    r.chosen(q).is_some()
                } else {
                    r.choice(q).is_some()
                }
            })
            .count();
        (counts, answered)
    };
    let mut single_keys: Vec<&str> = SINGLE.iter().map(|(k, _)| *k).collect();
    single_keys.push("other");
    for (key, keys, multiple) in [
        ("single", single_keys, false),
        ("multi", MULTI.iter().map(|(k, _)| *k).collect(), true),
        ("drop", DROP.iter().map(|(k, _)| *k).collect(), false),
        ("yn", vec!["yes", "no"], false),
    ] {
        let (expected, answered) = options(key, &keys, multiple);
        check_options(
            &format!("{context}, {key}"),
            result(results, key),
            &expected,
            answered,
            multiple,
        );
    }

    // Scales.
    let numbers = |q: &str| -> Vec<f64> { rows.iter().filter_map(|r| r.number(q)).collect() };
    check_scale(
        &format!("{context}, rate"),
        result(results, "rate"),
        &numbers("rate"),
        1..=5,
        false,
    );
    check_scale(
        &format!("{context}, nps"),
        result(results, "nps"),
        &numbers("nps"),
        0..=10,
        true,
    );

    // The matrix: a count per row and scale point.
    let grid = result(results, "grid");
    let grids: Vec<&BTreeMap<String, String>> = rows
        .iter()
        .filter_map(|r| match r.answers.get("grid") {
            Some(Answer::Matrix(m)) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(
        grid.answered,
        Some(grids.len() as i64),
        "{context}: grid answered"
    );
    let Summary::Matrix { scale, rows: got } = &grid.summary else {
        panic!("{context}: a matrix, not {:?}", grid.summary);
    };
    assert_eq!(
        scale,
        &SCALE.map(|(_, l)| l.to_owned()).to_vec(),
        "{context}: scale"
    );
    let want: Vec<(String, Vec<Option<i64>>)> = ROWS
        .iter()
        .map(|(row, label)| {
            let counts = SCALE
                .iter()
                .map(|(point, _)| {
                    let n = grids
                        .iter()
                        .filter(|m| m.get(*row).map(String::as_str) == Some(*point))
                        .count();
                    Some(n as i64)
                })
                .collect();
            ((*label).to_owned(), counts)
        })
        .collect();
    assert_eq!(got, &want, "{context}: grid counts");

    // The ranking: each choice's mean rank, best first.
    let rank = result(results, "rank");
    let orders: Vec<&Vec<String>> = rows
        .iter()
        .filter_map(|r| match r.answers.get("rank") {
            Some(Answer::Ranking(order)) => Some(order),
            _ => None,
        })
        .collect();
    assert_eq!(
        rank.answered,
        Some(orders.len() as i64),
        "{context}: rank answered"
    );
    let Summary::Ranking { items } = &rank.summary else {
        panic!("{context}: a ranking, not {:?}", rank.summary);
    };
    let got: HashMap<&str, Option<f64>> = items.iter().map(|(l, m)| (l.as_str(), *m)).collect();
    for (choice, label) in RANK {
        let ranks: Vec<f64> = orders
            .iter()
            .filter_map(|o| o.iter().position(|k| k == choice).map(|i| (i + 1) as f64))
            .collect();
        let expected = mean_of(&ranks);
        let shown = got.get(label).copied().flatten();
        assert!(
            close_opt(shown, expected),
            "{context}: mean rank of {label}: {shown:?}, expected {expected:?}"
        );
    }
    let means: Vec<f64> = items.iter().filter_map(|(_, m)| *m).collect();
    assert!(
        means.windows(2).all(|w| w[0] <= w[1]),
        "{context}: ranking best first: {items:?}"
    );

    // The number: mean, median, extremes, and bins that hold every answer.
    let num = result(results, "num");
    let mut values = numbers("num");
    assert_eq!(
        num.answered,
        Some(values.len() as i64),
        "{context}: num answered"
    );
    let Summary::Numeric {
        mean,
        median,
        min,
        max,
        bins,
    } = &num.summary
    else {
        panic!("{context}: numeric, not {:?}", num.summary);
    };
    assert!(
        close_opt(*mean, mean_of(&values)),
        "{context}: num mean {mean:?}, expected {:?}",
        mean_of(&values)
    );
    let lowest = values.iter().copied().reduce(f64::min);
    let highest = values.iter().copied().reduce(f64::max);
    assert_eq!((*min, *max), (lowest, highest), "{context}: num extremes");
    let expected_median = median_of(&mut values);
    assert!(
        close_opt(*median, expected_median),
        "{context}: num median {median:?}, expected {expected_median:?}"
    );
    let binned: i64 = bins.iter().filter_map(|b| b.n).sum();
    assert_eq!(
        binned,
        values.len() as i64,
        "{context}: every number in a bin"
    );

    // Text: only how many answered.
    let note = result(results, "note");
    let written = rows
        .iter()
        .filter(|r| matches!(r.answers.get("note"), Some(Answer::Text(_))))
        .count();
    assert_eq!(
        note.answered,
        Some(written as i64),
        "{context}: note answered"
    );
    assert_eq!(
        note.summary,
        Summary::Text { listable: true },
        "{context}: note"
    );

    // Dates: by month.
    let mut months: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        if let Some(Answer::Date(d)) = r.answers.get("when") {
            *months.entry(d.format("%Y-%m").to_string()).or_default() += 1;
        }
    }
    let dated = months.values().sum();
    let expected: Vec<(String, usize)> = months.into_iter().collect();
    check_options(
        &format!("{context}, when"),
        result(results, "when"),
        &expected,
        dated,
        false,
    );
}

async fn counts_equal_a_recomputation_from_the_raw_answers(db: Db) {
    let definition = every_kind();
    let id = make_survey(&db, &definition, "every-kind").await;
    let mut rng = Rng::new(0x5eed_2026_0306);

    // A few hundred responses in random batches, some sent again (same id: stored once).
    let mut sent: Vec<Submission> = Vec::new();
    let mut seen: BTreeSet<Uuid> = BTreeSet::new();
    let mut repeats = 0;
    while seen.len() < 320 {
        let size = rng.below(49) + 1;
        let mut batch = Vec::new();
        for _ in 0..size {
            if !sent.is_empty() && rng.chance(8) {
                batch.push(rng.pick(&sent).clone());
            } else {
                let s = random_submission(&mut rng, id);
                if rng.chance(3) {
                    // A double click: the same submission twice in one batch.
                    batch.push(s.clone());
                }
                batch.push(s);
            }
        }
        let outcomes = responses_db::store(&db, &batch).await.expect("store");
        let mut in_batch = BTreeSet::new();
        for (s, outcome) in batch.iter().zip(&outcomes) {
            let first = !seen.contains(&s.id) && in_batch.insert(s.id);
            let expected = if first {
                Outcome::Stored
            } else {
                repeats += 1;
                Outcome::AlreadyStored
            };
            assert_eq!(*outcome, expected, "outcome of {}", s.id);
        }
        seen.extend(in_batch);
        sent.extend(batch);
    }
    assert!(repeats > 10, "the data holds repeats ({repeats})");
    assert_eq!(
        responses_db::count(&db, id).await.expect("count"),
        seen.len() as i64,
        "a repeated submission is stored once"
    );

    let report = verify::verify(&db, id).await.expect("verify");
    assert!(report.ok(), "verify finds no difference: {report:?}");
    assert_eq!(report.responses, seen.len() as u64);

    let rows = rows_of(&db, id).await;
    assert_eq!(rows.len(), seen.len(), "raw_page reads every response");

    // Filters: none, a few chosen by hand, then random ones.
    let day = |n: i64| (first_day() + Duration::days(n)).date_naive();
    let mut filters = vec![
        ("no filter".to_owned(), Filter::default()),
        (
            "one group".to_owned(),
            Filter {
                groups: vec!["citizen".into()],
                ..Filter::default()
            },
        ),
        (
            "a group nobody is in".to_owned(),
            Filter {
                groups: vec!["academic".into()],
                ..Filter::default()
            },
        ),
        (
            "one day".to_owned(),
            Filter {
                from: Some(day(3)),
                to: Some(day(3)),
                ..Filter::default()
            },
        ),
        (
            "other chosen".to_owned(),
            Filter {
                question: Some("single".into()),
                value: Some("other".into()),
                ..Filter::default()
            },
        ),
    ];
    let answer_filters: [(&str, &[&str]); 5] = [
        ("single", &["c1", "c2", "c3", "other"]),
        ("multi", &["m1", "m2", "m3", "m4"]),
        ("drop", &["d1", "d2", "d3"]),
        ("yn", &["yes", "no"]),
        ("rate", &["1", "2", "3", "4", "5"]),
    ];
    for i in 0..14 {
        let mut filter = Filter::default();
        if rng.chance(50) {
            let mut groups = rng.subset(&GROUPS.map(str::to_owned));
            if rng.chance(20) {
                groups.push("academic".into());
            }
            filter.groups = groups;
        }
        if rng.chance(50) {
            filter.channels = rng.subset(&CHANNELS.map(|c| c.code().to_owned()));
        }
        if rng.chance(50) {
            let a = rng.below(11) as i64;
            let b = rng.below(11) as i64;
            filter.from = Some(day(a.min(b)));
            filter.to = Some(day(a.max(b)));
        } else if rng.chance(30) {
            filter.from = Some(day(rng.below(11) as i64));
        }
        if rng.chance(50) {
            let (question, values) = rng.pick(&answer_filters);
            filter.question = Some((*question).to_owned());
            filter.value = Some((*rng.pick(values)).to_owned());
        }
        filters.push((format!("random filter {i}: {filter:?}"), filter));
    }
    // The filters narrow the responses in many ways (so the comparisons are not vacuous).
    let sizes: Vec<(usize, bool)> = filters
        .iter()
        .map(|(_, f)| {
            let n = rows.iter().filter(|r| r.matches(f)).count();
            (n, f.by_answer().is_some())
        })
        .collect();
    let partial = sizes
        .iter()
        .filter(|(n, _)| *n > 0 && *n < rows.len())
        .count();
    let by_answer = sizes.iter().filter(|(n, a)| *a && *n > 0).count();
    assert!(
        partial >= 10 && by_answer >= 4,
        "filters too alike: {sizes:?}"
    );
    for (name, filter) in &filters {
        let results = build::results(&db, id, &definition, filter, Locale::En, Audience::Staff)
            .await
            .expect("results");
        check_results(name, &results, &rows, filter);
    }
    // A filter read from a page's query, as the dashboard reads it.
    let (filter, bad) = Filter::from_pairs(
        [
            ("group", "citizen"),
            ("group", "ngo"),
            ("channel", "web"),
            ("from", "2026-03-02"),
            ("to", "2026-03-08"),
            ("qv", "yn=yes"),
        ]
        .into_iter(),
    );
    assert!(bad.is_empty(), "{bad:?}");
    let results = build::results(&db, id, &definition, &filter, Locale::En, Audience::Staff)
        .await
        .expect("results");
    check_results("a filter from a query", &results, &rows, &filter);
}

// ---------------------------------------------------------------------------------------------
// 2. verify finds a difference, and repair mends it

const SHAREK: &str = env!("CARGO_BIN_EXE_sharek");

/// The URL the `sharek` binary reaches a test database by.
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

/// Runs `sharek results verify …`; returns its exit code and its output.
fn sharek_verify(db: &Db, args: &[&str]) -> (Option<i32>, String) {
    let output = std::process::Command::new(SHAREK)
        .args(["results", "verify", "--database-url", &url_of(db)])
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run sharek");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

type CountKey = (i32, String, String, String, String, String, String);

/// One stored count of a question's answer, with its dimensions and `n`.
async fn a_count(db: &Db, survey: Uuid, question: &str) -> (CountKey, i64) {
    let row: (i32, String, String, String, String, String, String, i64) = app::on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT wave, day, stakeholder_group, channel, question, item, value, CAST(n AS BIGINT) \
             FROM result_counts WHERE survey_id = $1 AND question = $2 AND value <> '' \
             ORDER BY day, stakeholder_group, channel, item, value LIMIT 1",
        )
        .bind(survey)
        .bind(question)
        .fetch_one(pool)
        .await
        .expect("a stored count")
    });
    let (wave, day, group, channel, question, item, value, n) = row;
    ((wave, day, group, channel, question, item, value), n)
}

/// Adds one to a stored count.
async fn bump(db: &Db, survey: Uuid, key: &CountKey) {
    let (wave, day, group, channel, question, item, value) = key;
    let changed = app::on_db!(db, |pool| {
        sqlx::query(
            "UPDATE result_counts SET n = n + 1 WHERE survey_id = $1 AND wave = $2 AND day = $3 \
             AND stakeholder_group = $4 AND channel = $5 AND question = $6 AND item = $7 AND value = $8",
        )
        .bind(survey)
        .bind(*wave)
        .bind(day)
        .bind(group)
        .bind(channel)
        .bind(question)
        .bind(item)
        .bind(value)
        .execute(pool)
        .await
        .expect("change a count")
        .rows_affected()
    });
    assert_eq!(changed, 1, "one count changed");
}

/// Results with their means rounded: sums of decimals differ in the last bits with the order
/// they were added in.
fn rounded(mut results: Results) -> Results {
    let round = |x: &mut Option<f64>| {
        if let Some(v) = x {
            *v = (*v * 1e9).round() / 1e9;
        }
    };
    for q in &mut results.questions {
        match &mut q.summary {
            Summary::Scale { mean, .. } | Summary::Numeric { mean, .. } => round(mean),
            Summary::Ranking { items } => items.iter_mut().for_each(|(_, m)| round(m)),
            _ => {}
        }
    }
    results
}

async fn verify_finds_an_injected_difference_and_repair_fixes_it(db: Db) {
    let definition = every_kind();
    let id = make_survey(&db, &definition, "verified").await;
    let mut rng = Rng::new(42);
    let batch: Vec<Submission> = (0..60).map(|_| random_submission(&mut rng, id)).collect();
    store_all(&db, &batch).await;
    let report = verify::verify(&db, id).await.expect("verify");
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.responses, 60);
    // The changed count's group: a dashboard filtered by group reads the per-day counts (an
    // unfiltered one reads the totals, which stay right).
    let (key, n) = a_count(&db, id, "single").await;
    let by_group = Filter {
        groups: vec![key.2.clone()],
        ..Filter::default()
    };
    let before = build::results(&db, id, &definition, &by_group, Locale::En, Audience::Staff)
        .await
        .expect("results");

    // A count one too high.
    bump(&db, id, &key).await;
    let report = verify::verify(&db, id).await.expect("verify");
    assert!(!report.ok(), "a changed count is found");
    let (wave, day, group, channel, question, item, value) = key.clone();
    assert_eq!(
        report.counts,
        vec![(
            format!("{wave}|{day}|{group}|{channel}|{question}"),
            item,
            value,
            n + 1,
            n
        )],
        "exactly the changed count, stored and recomputed"
    );
    assert_eq!(report.codes, 0, "{report:?}");
    let skewed = build::results(&db, id, &definition, &by_group, Locale::En, Audience::Staff)
        .await
        .expect("results");
    assert_ne!(
        rounded(skewed).questions,
        rounded(before.clone()).questions,
        "the dashboard reads the counts"
    );
    assert_eq!(results_db::rebuild(&db, id).await.expect("rebuild"), 60);
    let report = verify::verify(&db, id).await.expect("verify");
    assert!(report.ok(), "repaired: {report:?}");
    let after = build::results(&db, id, &definition, &by_group, Locale::En, Audience::Staff)
        .await
        .expect("results");
    assert_eq!(
        rounded(after.clone()),
        rounded(before),
        "the rebuilt results are the ones before the change"
    );
    assert_eq!(
        after.completion,
        Some(100.0),
        "the starts survive a rebuild"
    );

    // A coded row gone.
    let first = raw_responses(&db, id).await[0].id;
    let gone = app::on_db!(&db, |pool| {
        sqlx::query("DELETE FROM result_rows WHERE response_id = $1")
            .bind(first)
            .execute(pool)
            .await
            .expect("delete a coded row")
            .rows_affected()
    });
    assert_eq!(gone, 1);
    let report = verify::verify(&db, id).await.expect("verify");
    assert!(!report.ok(), "a missing coded row is found");
    assert_eq!((report.codes, report.counts.len()), (1, 0), "{report:?}");
    results_db::rebuild(&db, id).await.expect("rebuild");
    let report = verify::verify(&db, id).await.expect("verify");
    assert!(report.ok(), "repaired: {report:?}");

    // The same through the real command.
    let (code, output) = sharek_verify(&db, &[]);
    assert_eq!(code, Some(0), "nothing to report: {output}");
    assert!(
        output.contains(&format!("{id}: ok, 60 responses")),
        "{output}"
    );
    bump(&db, id, &key).await;
    let (code, output) = sharek_verify(&db, &["--survey", &id.to_string()]);
    assert_eq!(code, Some(1), "a difference is a failure: {output}");
    assert!(output.contains("1 counts differ"), "{output}");
    assert!(
        output.contains(&format!("stored {}, recomputed {n}", n + 1)),
        "{output}"
    );
    assert!(output.contains("--repair"), "says how to repair: {output}");
    let (code, output) = sharek_verify(&db, &["--survey", &id.to_string(), "--repair"]);
    assert_eq!(code, Some(0), "repaired: {output}");
    assert!(output.contains("repaired from 60 responses"), "{output}");
    let (code, output) = sharek_verify(&db, &["--survey", &id.to_string()]);
    assert_eq!(code, Some(0), "{output}");
    assert!(verify::verify(&db, id).await.expect("verify").ok());
}

// ---------------------------------------------------------------------------------------------
// 3. Exports

const TRICKY: [&str; 6] = [
    "=HYPERLINK(\"http://x\")",
    "+1",
    "-2",
    "@SUM(A1)",
    "\t=1",
    "الخدمات ممتازة، شكرًا",
];

async fn exports_neutralise_formulas_and_stream_every_response(db: Db) {
    let definition = one_section(
        "Exports",
        vec![
            question(
                "pick",
                "Which colour?",
                Kind::SingleChoice {
                    choices: choices(&SINGLE),
                    other: false,
                },
            ),
            question(
                "note",
                "Anything else?",
                Kind::ShortText {
                    max_length: Some(200),
                },
            ),
        ],
    );
    let id = make_survey(&db, &definition, "exports").await;
    let at = Utc::now() - Duration::hours(1);
    let mut batch: Vec<Submission> = TRICKY
        .iter()
        .map(|t| {
            let a = answers(vec![("pick", Answer::choice("c1")), ("note", text(t))]);
            submission(id, "citizen", Channel::Web, a, at, Some(30))
        })
        .collect();
    // More than a page of the export (a thousand responses) behind them.
    batch.extend((0..1100).map(|i| {
        let a = answers(vec![(
            "pick",
            Answer::choice(if i % 2 == 0 { "c2" } else { "c3" }),
        )]);
        submission(id, "resident", Channel::Mobile, a, at, None)
    }));
    store_all(&db, &batch).await;
    let total = batch.len();

    let (_, mut analyst) = staff(&db, "analyst@ministry.example", &[Role::Analyst]).await;
    let base = dashboard(id);

    let csv = analyst.get(&format!("{base}/export.csv")).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(
        csv.header("content-type").starts_with("text/csv"),
        "{:?}",
        csv.headers
    );
    assert_eq!(csv.header("cache-control"), "no-store");
    assert!(
        csv.header("content-disposition").starts_with("attachment"),
        "{:?}",
        csv.headers
    );
    let body = csv
        .body
        .strip_prefix('\u{feff}')
        .unwrap_or_else(|| panic!("the CSV starts with a BOM: {:?}", &csv.body[..20]));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_owned)
        .collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("a column {name} in {header:?}"))
    };
    let (note, pick, group) = (column("note"), column("pick"), column("stakeholder_group"));
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("well-formed CSV");
    assert_eq!(records.len(), total, "one row per response");
    assert!(
        records.iter().all(|r| r.len() == header.len()),
        "every row has every column"
    );
    let ids: BTreeSet<&str> = records.iter().map(|r| &r[0]).collect();
    assert_eq!(ids.len(), total, "each response once");
    let notes: BTreeSet<&str> = records
        .iter()
        .map(|r| &r[note])
        .filter(|n| !n.is_empty())
        .collect();
    let expected: BTreeSet<&str> = [
        "'=HYPERLINK(\"http://x\")",
        "+1",
        "-2",
        "'@SUM(A1)",
        "'\t=1",
        "الخدمات ممتازة، شكرًا",
    ]
    .into_iter()
    .collect();
    assert_eq!(
        notes, expected,
        "formulas get an apostrophe, plain numbers and Arabic stay"
    );
    let picks = records.iter().filter(|r| &r[pick] == "c2").count();
    assert_eq!(picks, 550);
    assert_eq!(
        records.iter().filter(|r| &r[group] == "citizen").count(),
        TRICKY.len()
    );

    let xlsx = analyst.get(&format!("{base}/export.xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK, "{}", xlsx.body);
    assert_eq!(
        xlsx.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(xlsx.header("cache-control"), "no-store");
    assert!(xlsx.body.starts_with("PK"), "a zip file");
    assert!(xlsx.body.len() > 10_000, "{} bytes", xlsx.body.len());

    let json = analyst.get(&format!("{base}/export.json")).await;
    assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    assert!(json.header("content-type").starts_with("application/json"));
    assert_eq!(json.header("cache-control"), "no-store");
    let document = json.json();
    assert_eq!(document["survey"], id.to_string());
    let responses = document["responses"]
        .as_array()
        .expect("a list of responses");
    assert_eq!(responses.len(), total, "every response, across pages");
    let ids: BTreeSet<&str> = responses.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids.len(), total, "each response once");
    let texts: BTreeSet<&str> = responses
        .iter()
        .filter_map(|r| r["answers"]["note"]["value"].as_str())
        .collect();
    assert_eq!(
        texts,
        TRICKY.into_iter().collect(),
        "JSON keeps the answers as typed"
    );

    let codebook = analyst.get(&format!("{base}/codebook.csv")).await;
    assert_eq!(codebook.status, StatusCode::OK, "{}", codebook.body);
    assert!(codebook.header("content-type").starts_with("text/csv"));
    assert_eq!(codebook.header("cache-control"), "no-store");
    assert!(codebook.body.starts_with('\u{feff}'), "a BOM");
    for expected in [
        "question_ar",
        "question_en",
        "سؤال note",
        "Anything else?",
        "خيار c1",
        "Red",
    ] {
        assert!(
            codebook.body.contains(expected),
            "the codebook has {expected:?}: {}",
            codebook.body
        );
    }

    let nowhere = analyst
        .get(&format!("{}/export.csv", dashboard(Uuid::new_v4())))
        .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
}

/// Every export arrives whole over a real connection, whatever encoding the client accepts:
/// none, gzip, brotli, or what Chromium asks for. Compressed CSV and JSON decode to exactly the
/// uncompressed bytes; XLSX (a zip already) is sent as it is.
async fn exports_download_whole_with_compression(db: Db) {
    let definition = one_section(
        "Compressed exports",
        vec![question(
            "pick",
            "Which colour?",
            Kind::SingleChoice {
                choices: choices(&SINGLE),
                other: false,
            },
        )],
    );
    let id = make_survey(&db, &definition, "compressed-exports").await;
    let at = Utc::now() - Duration::hours(1);
    // Three pages of the export, so the body is several chunks.
    let total = 2_500;
    let batch: Vec<Submission> = (0..total)
        .map(|i| {
            let a = answers(vec![("pick", Answer::choice(SINGLE[i % 3].0))]);
            submission(id, "citizen", Channel::Web, a, at, Some(40))
        })
        .collect();
    store_all(&db, &batch).await;
    let user = staff_user(&db, "wire-analyst@ministry.example", &[Role::Analyst]).await;
    let cookie = format!(
        "sharek_session={}",
        session_for(&db, user, Utc::now(), Utc::now()).await
    );
    let addr = wire::serve(server::app(server::testing::state_for(db.clone()))).await;

    for lang in ["ar", "en"] {
        let base = format!("/{lang}/staff/surveys/{id}/results");
        for file in ["export.csv", "export.json", "export.xlsx", "codebook.csv"] {
            let path = format!("{base}/{file}");
            let plain = wire::get(addr, &path, &[("cookie", &cookie)]).await;
            assert_eq!(plain.status, StatusCode::OK, "{path}");
            let plain = plain.decoded();
            for accept in ["gzip", "br", wire::BROWSER_ENCODINGS] {
                let reply = wire::get(
                    addr,
                    &path,
                    &[("cookie", &cookie), ("accept-encoding", accept)],
                )
                .await;
                assert_eq!(reply.status, StatusCode::OK, "{path} ({accept})");
                let encoding = reply.header("content-encoding").to_owned();
                if file.ends_with(".xlsx") {
                    assert_eq!(encoding, "", "a zip is not compressed again");
                } else {
                    let expected = if accept == "gzip" { "gzip" } else { "br" };
                    assert_eq!(encoding, expected, "{path} ({accept})");
                }
                let body = reply.decoded();
                // XLSX files are built anew each time (their timestamps may differ).
                if !file.ends_with(".xlsx") {
                    assert!(
                        body == plain,
                        "{path} ({accept}) decodes to the plain bytes"
                    );
                }
                match file {
                    "export.csv" => {
                        let text = std::str::from_utf8(&body).expect("UTF-8");
                        let text = text.strip_prefix('\u{feff}').expect("a BOM");
                        let rows = csv::Reader::from_reader(text.as_bytes())
                            .records()
                            .collect::<Result<Vec<_>, _>>()
                            .expect("well-formed CSV");
                        assert_eq!(rows.len(), total, "{path} ({accept}): every response");
                    }
                    "export.json" => {
                        let json: serde_json::Value =
                            serde_json::from_slice(&body).expect("the JSON parses");
                        let responses = json["responses"].as_array().expect("responses");
                        assert_eq!(responses.len(), total, "{path} ({accept})");
                    }
                    "export.xlsx" => {
                        assert!(body.starts_with(b"PK"), "a zip file");
                        assert!(body.len() > 20_000, "{} bytes", body.len());
                    }
                    _ => assert!(body.starts_with("\u{feff}".as_bytes()), "a BOM"),
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Public results

const DISTINCTIVE: &str = "zq-4471 a distinctive written answer";

async fn public_results_hide_small_counts(db: Db) {
    let definition = one_section(
        "Public results",
        vec![
            question(
                "pick",
                "Which colour?",
                Kind::SingleChoice {
                    choices: choices(&SINGLE),
                    other: false,
                },
            ),
            question(
                "note",
                "Anything else?",
                Kind::ShortText {
                    max_length: Some(200),
                },
            ),
        ],
    );
    let id = make_survey(&db, &definition, "public-results").await;
    let at = Utc::now() - Duration::hours(2);
    // 12 citizens and 3 residents; Red 8, Blue 5, Green 2.
    let picks = ["c1"; 8].into_iter().chain(["c2"; 5]).chain(["c3"; 2]);
    let batch: Vec<Submission> = picks
        .enumerate()
        .map(|(i, pick)| {
            let group = if i % 5 == 4 { "resident" } else { "citizen" };
            let mut a = answers(vec![("pick", Answer::choice(pick))]);
            if i < 2 {
                a.insert("note".into(), text(DISTINCTIVE));
            }
            submission(id, group, Channel::Web, a, at, Some(90))
        })
        .collect();
    assert_eq!(
        batch
            .iter()
            .filter(|s| s.stakeholder_group == "resident")
            .count(),
        3
    );
    store_all(&db, &batch).await;

    let public = format!("/en/results/{id}");
    let chart = format!("{public}/charts/pick.svg");
    let mut visitor = Client::new(&db);
    let hidden = visitor.get(&public).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "not public yet");
    assert_eq!(visitor.get(&chart).await.status, StatusCode::NOT_FOUND);

    let (_, mut author) = staff(&db, "author@ministry.example", &[Role::Author]).await;
    // Staff see every count.
    let staff_page = author.get(&dashboard(id)).await;
    assert_eq!(staff_page.status, StatusCode::OK, "{}", staff_page.body);
    let resident = group_label("resident");
    assert_eq!(
        row_of(&staff_page.body, &resident)[1],
        "3",
        "staff see the small count"
    );
    let saved = author.post(&settings_path(id), &[("public", "1")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, format!("{}#settings", dashboard(id)));
    assert!(results_db::settings(&db, id).await.expect("settings").0);

    for key in [id.to_string(), "public-results".to_owned()] {
        let page = visitor.get(&format!("/en/results/{key}")).await;
        assert_eq!(page.status, StatusCode::OK, "{key}: {}", page.body);
    }
    let page = visitor.get(&public).await;
    let body = &page.body;
    assert!(body.contains("Survey results"), "{body}");
    // The groups: 12 citizens shown, the 3 residents hidden.
    assert_eq!(row_of(body, &group_label("citizen"))[1], "12");
    let row = row_of(body, &resident);
    assert_eq!(row[1], "fewer than 5", "{row:?}");
    assert!(!row.iter().any(|c| c.contains('3')), "{row:?}");
    // The choices: Red 8 shown; Green (2) hidden, and Blue (5) with it so that Green cannot be
    // worked out from the total.
    let choices_table = from(body, "Which colour?");
    assert_eq!(row_of(choices_table, "Red")[1], "8");
    let green = row_of(choices_table, "Green");
    assert_eq!(green[1], "fewer than 5", "{green:?}");
    assert!(!green.iter().any(|c| c.contains('2')), "{green:?}");
    assert_eq!(row_of(choices_table, "Blue")[1], "fewer than 5");
    let figures = text_of(from(body, "<dl class=\"figures\""));
    assert!(
        figures.starts_with("Responses 15 "),
        "the number of responses is shown: {figures}"
    );
    // No written answers, nor a way to them.
    assert!(
        !body.contains("zq-4471"),
        "a written answer on the public page"
    );
    assert!(
        !body.contains("/results/text/"),
        "a link to written answers"
    );

    let svg = visitor.get(&chart).await;
    assert_eq!(svg.status, StatusCode::OK, "{}", svg.body);
    assert!(
        svg.header("content-type").starts_with("image/svg+xml"),
        "{:?}",
        svg.headers
    );
    assert!(svg.body.contains("<svg"), "{}", svg.body);
    assert!(svg.body.contains("(8)"), "the shown count: {}", svg.body);
    assert!(
        !svg.body.contains("(2)") && !svg.body.contains("(5)"),
        "the chart hides the small counts: {}",
        svg.body
    );
    let text_chart = visitor.get(&format!("{public}/charts/note.svg")).await;
    assert_eq!(text_chart.status, StatusCode::NOT_FOUND);
    assert!(!text_chart.body.contains("zq-4471"));
    let unknown = visitor.get(&format!("{public}/charts/nope.svg")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // Unpublished again: gone.
    let saved = author.post(&settings_path(id), &[]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(visitor.get(&public).await.status, StatusCode::NOT_FOUND);
    assert_eq!(visitor.get(&chart).await.status, StatusCode::NOT_FOUND);
}

// ---------------------------------------------------------------------------------------------
// 5. Who may read and change what

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

async fn store_small(db: &Db, id: Uuid, n: usize) {
    let at = Utc::now() - Duration::hours(1);
    let batch: Vec<Submission> = (0..n)
        .map(|i| {
            let a = answers(vec![
                ("pick", Answer::choice(SINGLE[i % 3].0)),
                (
                    "agree",
                    Answer::choice(if i % 2 == 0 { "yes" } else { "no" }),
                ),
            ]);
            submission(id, GROUPS[i % 2], Channel::Web, a, at, Some(60))
        })
        .collect();
    store_all(db, &batch).await;
}

async fn an_analyst_reads_results_but_changes_nothing(db: Db) {
    let id = make_survey(&db, &small_survey(), "analysed").await;
    store_small(&db, id, 9).await;
    let base = dashboard(id);

    let (_, mut analyst) = staff(&db, "analyst@ministry.example", &[Role::Analyst]).await;
    let page = analyst.get(&base).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Which colour?"), "{}", page.body);
    assert!(
        !page.body.contains("Results settings"),
        "no settings form for an analyst"
    );
    for export in ["export.csv", "export.xlsx", "export.json", "codebook.csv"] {
        let reply = analyst.get(&format!("{base}/{export}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{export}: {}", reply.body);
    }
    // The charts, under the page's filter.
    let chart = analyst.get(&format!("{base}/charts/pick.svg")).await;
    assert_eq!(chart.status, StatusCode::OK, "{}", chart.body);
    assert!(chart.header("content-type").starts_with("image/svg+xml"));
    assert!(
        chart.body.contains("(3)"),
        "three of each colour: {}",
        chart.body
    );
    let filtered = analyst
        .get(&format!("{base}/charts/pick.svg?group=citizen"))
        .await;
    assert_eq!(filtered.status, StatusCode::OK, "{}", filtered.body);
    assert_ne!(filtered.body, chart.body, "the filter applies to the chart");
    for missing in ["nope.svg", "pick.png"] {
        let reply = analyst.get(&format!("{base}/charts/{missing}")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{missing}");
    }
    let token = api_token(&db, "analyst-api@ministry.example", Role::Analyst).await;
    let api = api_get(
        &db,
        &format!("/api/v1/surveys/{id}/results?lang=en"),
        &token,
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let json = api.json();
    assert_eq!(json["responses"], 9, "{json}");
    let questions = json["questions"].as_array().expect("questions");
    assert_eq!(questions.len(), 2, "{json}");
    assert_eq!(questions[0]["key"], "pick");
    assert_eq!(questions[0]["text"], "Which colour?");
    assert!(
        questions.iter().all(|q| q.get("chart").is_none()),
        "no SVG in the API"
    );
    let crosstab = api_get(
        &db,
        &format!("/api/v1/surveys/{id}/results/crosstab?rows=pick&columns=agree"),
        &token,
    )
    .await;
    assert_eq!(crosstab.status, StatusCode::OK, "{}", crosstab.body);
    assert!(crosstab.json()["rows"].is_array(), "{}", crosstab.body);
    let nowhere = api_get(
        &db,
        &format!("/api/v1/surveys/{}/results", Uuid::new_v4()),
        &token,
    )
    .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    let bad = api_get(
        &db,
        &format!("/api/v1/surveys/{id}/results?from=yesterday"),
        &token,
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);

    // The analyst changes nothing.
    let refused = analyst
        .post(
            &settings_path(id),
            &[("public", "1"), ("target_citizen", "50")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(
        results_db::settings(&db, id).await.expect("settings"),
        (false, BTreeMap::new()),
        "nothing saved"
    );

    // Others read nothing.
    let (_, mut responder) = staff(&db, "responder@ministry.example", &[Role::Responder]).await;
    let denied = responder.get(&base).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN, "{}", denied.body);
    assert!(
        denied.body.contains("You do not have access"),
        "{}",
        denied.body
    );
    assert!(!denied.body.contains("Which colour?"));
    let denied = responder.get(&format!("{base}/export.csv")).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let responder_token = api_token(&db, "responder-api@ministry.example", Role::Responder).await;
    let denied = api_get(
        &db,
        &format!("/api/v1/surveys/{id}/results"),
        &responder_token,
    )
    .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    let mut visitor = Client::new(&db);
    let sent_away = visitor.get(&base).await;
    assert_eq!(sent_away.status, StatusCode::SEE_OTHER);
    assert!(
        sent_away.location.starts_with("/en/login?next="),
        "{}",
        sent_away.location
    );
    for export in [
        "export.csv",
        "export.xlsx",
        "export.json",
        "codebook.csv",
        "charts/pick.svg",
    ] {
        let reply = visitor.get(&format!("{base}/{export}")).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{export}");
        assert!(!reply.body.contains("Red"), "{export}: {}", reply.body);
    }
    let reply = visitor.get(&format!("/api/v1/surveys/{id}/results")).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let reply = visitor.post(&settings_path(id), &[("public", "1")]).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);

    // An author without the form's CSRF token is refused too.
    let (_, mut author) = staff(&db, "author@ministry.example", &[Role::Author]).await;
    author.csrf().await;
    let forged = author
        .send(Method::POST, &settings_path(id), &[("public", "1")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    let forged = author
        .send(
            Method::POST,
            &settings_path(id),
            &[("csrf", "not-the-token"), ("public", "1")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    assert!(!results_db::settings(&db, id).await.expect("settings").0);
    // With it, the same form is saved: the refusals are about the token.
    let saved = author.post(&settings_path(id), &[("public", "1")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(results_db::settings(&db, id).await.expect("settings").0);
}

// ---------------------------------------------------------------------------------------------
// 6. The settings form

/// The value of the input named `name` on a page.
fn input_value(page: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\"");
    let at = page.find(&needle)?;
    let start = page[..at].rfind("<input")?;
    let end = page[start..].find('>').map_or(page.len(), |i| start + i);
    let tag = &page[start..end];
    let value = tag.split("value=\"").nth(1)?;
    Some(value[..value.find('"')?].to_owned())
}

/// The settings form: bad targets refused (and, with `shown`, the form shown again with the
/// message and what was typed), good ones saved and compared with who took part.
async fn settings_scenario(db: Db, shown: bool) {
    let id = make_survey(&db, &small_survey(), "targets").await;
    let at = Utc::now() - Duration::hours(1);
    // 9 citizens and 1 resident.
    let batch: Vec<Submission> = (0..10)
        .map(|i| {
            let group = if i == 0 { "resident" } else { "citizen" };
            let a = answers(vec![("pick", Answer::choice("c1"))]);
            submission(id, group, Channel::Web, a, at, None)
        })
        .collect();
    store_all(&db, &batch).await;
    let (_, mut author) = staff(&db, "author@ministry.example", &[Role::Author]).await;
    let nothing = (false, BTreeMap::new());

    let wrong = author
        .post(
            &settings_path(id),
            &[
                ("public", "1"),
                ("target_citizen", "abc"),
                ("target_resident", "30"),
            ],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    if shown {
        assert!(
            wrong.body.contains("Enter a percentage from 0 to 100"),
            "the error is shown: {}",
            main_text(&wrong.body)
        );
        assert_eq!(
            input_value(&wrong.body, "target_citizen").as_deref(),
            Some("abc"),
            "what was typed is kept"
        );
        assert_eq!(
            input_value(&wrong.body, "target_resident").as_deref(),
            Some("30")
        );
    }
    assert_eq!(
        results_db::settings(&db, id).await.expect("settings"),
        nothing
    );

    let over = author
        .post(
            &settings_path(id),
            &[("target_citizen", "60"), ("target_resident", "50")],
        )
        .await;
    assert_eq!(
        over.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        over.body
    );
    if shown {
        assert!(
            over.body.contains("The targets add up to more than 100%"),
            "{}",
            main_text(&over.body)
        );
    }
    assert_eq!(
        results_db::settings(&db, id).await.expect("settings"),
        nothing
    );

    // Valid (one in Arabic-Indic digits): saved, and the dashboard compares the groups.
    let saved = author
        .post(
            &settings_path(id),
            &[("target_citizen", "٢٠"), ("target_resident", "70")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let targets = BTreeMap::from([("citizen".to_owned(), 20.0), ("resident".to_owned(), 70.0)]);
    assert_eq!(
        results_db::settings(&db, id).await.expect("settings"),
        (false, targets)
    );
    let page = author.get(&dashboard(id)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let representation = from(&page.body, "Who took part");
    let resident = row_of(representation, &group_label("resident"));
    assert_eq!(
        resident,
        ["Resident", "1", "10%", "70%", "Under-represented"],
        "10% of responses against a target of 70%"
    );
    let citizen = row_of(representation, &group_label("citizen"));
    assert_eq!(
        citizen,
        ["Citizen", "9", "90%", "20%", "Near or above target"]
    );
    assert!(
        page.body
            .contains("Under-represented against the targets: Resident"),
        "{}",
        main_text(&page.body)
    );
    assert_eq!(
        input_value(&page.body, "target_citizen").as_deref(),
        Some("20")
    );
    assert_eq!(
        input_value(&page.body, "target_resident").as_deref(),
        Some("70")
    );
}

async fn settings_refuse_bad_targets_and_flag_under_represented_groups(db: Db) {
    settings_scenario(db, false).await;
}

/// Bad targets shown again on the dashboard with the message and what was typed.
async fn settings_validate_targets_and_keep_what_was_typed(db: Db) {
    settings_scenario(db, true).await;
}

// ---------------------------------------------------------------------------------------------
// 7. Crosstabs

fn crosstab_survey() -> Definition {
    one_section(
        "Crosstab survey",
        vec![
            question(
                "pick",
                "Which colour?",
                Kind::SingleChoice {
                    choices: choices(&SINGLE[..2]),
                    other: false,
                },
            ),
            question(
                "uses",
                "Which services do you use?",
                Kind::MultipleChoice {
                    choices: choices(&MULTI[..3]),
                    other: false,
                    min: None,
                    max: None,
                },
            ),
            question("agree", "Do you agree?", Kind::YesNo),
            question(
                "note",
                "Anything else?",
                Kind::ShortText {
                    max_length: Some(200),
                },
            ),
        ],
    )
}

/// A crosstab from the API as (row label, counts, total).
fn crosstab_rows(json: &serde_json::Value) -> Vec<(String, Vec<i64>, i64)> {
    serde_json::from_value(json["rows"].clone()).unwrap_or_else(|e| panic!("rows ({e}): {json}"))
}

fn counts(label: &str, counts: &[i64]) -> (String, Vec<i64>, i64) {
    (label.to_owned(), counts.to_vec(), counts.iter().sum())
}

async fn crosstab_counts_pairs_of_answers(db: Db) {
    let id = make_survey(&db, &crosstab_survey(), "crosstab").await;
    let at = Utc::now() - Duration::hours(1);
    let responses = [
        ("citizen", "c1", &["m1", "m2"][..], Some("yes")),
        ("citizen", "c1", &["m1"][..], Some("no")),
        ("resident", "c2", &["m2", "m3"][..], Some("yes")),
        ("citizen", "c2", &["m3"][..], Some("yes")),
        ("ngo", "c1", &[][..], Some("yes")),
        ("resident", "c2", &["m1", "m3"][..], None),
    ];
    let batch: Vec<Submission> = responses
        .iter()
        .map(|(group, pick, uses, agree)| {
            let mut a = answers(vec![("pick", Answer::choice(pick)), ("note", text("x"))]);
            if !uses.is_empty() {
                a.insert("uses".into(), keys(uses));
            }
            if let Some(agree) = agree {
                a.insert("agree".into(), Answer::choice(agree));
            }
            submission(id, group, Channel::Web, a, at, None)
        })
        .collect();
    store_all(&db, &batch).await;
    let token = api_token(&db, "analyst@ministry.example", Role::Analyst).await;
    let crosstab = |query: String| {
        let (db, token) = (db.clone(), token.clone());
        async move {
            let path = format!("/api/v1/surveys/{id}/results/crosstab?lang=en&{query}");
            api_get(&db, &path, &token).await
        }
    };

    let reply = crosstab("rows=pick&columns=agree".into()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["row_title"], "Which colour?");
    assert_eq!(json["column_title"], "Do you agree?");
    assert_eq!(json["columns"], serde_json::json!(["Yes", "No"]));
    assert_eq!(
        crosstab_rows(&json),
        vec![counts("Red", &[2, 1]), counts("Blue", &[2, 0])]
    );

    // A multiple-choice answer counts once under each choice.
    let json = crosstab("rows=pick&columns=uses".into()).await.json();
    assert_eq!(
        json["columns"],
        serde_json::json!(["Parks", "Roads", "Schools"])
    );
    assert_eq!(
        crosstab_rows(&json),
        vec![counts("Red", &[2, 1, 0]), counts("Blue", &[1, 1, 3])]
    );

    // Groups as rows: every group, in order.
    let json = crosstab("rows=group&columns=agree".into()).await.json();
    let expected: Vec<(String, Vec<i64>, i64)> = StakeholderGroup::ALL
        .iter()
        .map(|g| {
            let n: &[i64] = match g.code() {
                "citizen" => &[2, 1],
                "resident" | "ngo" => &[1, 0],
                _ => &[0, 0],
            };
            counts(&group_label(g.code()), n)
        })
        .collect();
    assert_eq!(crosstab_rows(&json), expected);

    // Under a filter.
    let json = crosstab("rows=pick&columns=agree&group=citizen".into())
        .await
        .json();
    assert_eq!(
        crosstab_rows(&json),
        vec![counts("Red", &[1, 1]), counts("Blue", &[1, 0])]
    );
    let json = crosstab("rows=pick&columns=agree&question=uses&value=m3".into())
        .await
        .json();
    assert_eq!(
        crosstab_rows(&json),
        vec![counts("Red", &[0, 0]), counts("Blue", &[2, 0])]
    );

    for query in [
        "rows=nope&columns=agree",
        "rows=note&columns=agree",
        "rows=pick",
        "columns=pick",
        "rows=pick&columns=agree&from=03/01/2026",
    ] {
        let reply = crosstab(query.into()).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            reply.body
        );
        assert!(reply.json()["error"].is_string(), "{query}: {}", reply.body);
    }

    // The dashboard shows the same table.
    let (_, mut analyst) = staff(&db, "analyst-page@ministry.example", &[Role::Analyst]).await;
    let page = analyst
        .get(&format!("{}?row=pick&col=agree", dashboard(id)))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"crosstab-table\""), "{}", page.body);
    assert!(
        page.body
            .contains("Which colour? by Do you agree?: responses (row percent)"),
        "{}",
        main_text(&page.body)
    );
    let table = from(&page.body, "id=\"crosstab-table\"");
    assert_eq!(row_of(table, "Red"), ["Red", "2 (66.7%)", "1 (33.3%)", "3"]);
    assert_eq!(row_of(table, "Blue"), ["Blue", "2 (100%)", "0 (0%)", "2"]);
    let none = analyst
        .get(&format!("{}?row=nope&col=agree", dashboard(id)))
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(!none.body.contains("id=\"crosstab-table\""));
}

/// An axis' values in a response, as the crosstab counts them.
fn axis_values(row: &Row, axis: &str) -> Vec<String> {
    match axis {
        "group" => vec![row.group.clone()],
        "channel" => vec![row.channel.clone()],
        q => match row.answers.get(q) {
            Some(Answer::Choice { key, .. }) => vec![key.clone()],
            Some(Answer::Choices { keys, .. }) => keys.clone(),
            Some(Answer::Number(x)) => vec![app::results::rules::number_value(*x)],
            _ => vec![],
        },
    }
}

/// An axis' (value, English label) in the order a crosstab lists them.
fn axis_labels(definition: &Definition, axis: &str) -> Vec<(String, String)> {
    match axis {
        "group" => StakeholderGroup::ALL
            .iter()
            .map(|g| (g.code().to_owned(), group_label(g.code())))
            .collect(),
        "channel" => Channel::ALL
            .iter()
            .map(|c| (c.code().to_owned(), Locale::En.t(&c.label_key())))
            .collect(),
        q => app::results::summary::value_labels(
            &definition.question(q).expect("a question").kind,
            Locale::En,
        ),
    }
}

/// Every crosstab of the choice questions, groups and channels, under several filters, equals
/// one counted from the raw answers; `context` says what state the pair counts are in.
async fn check_crosstabs(db: &Db, id: Uuid, definition: &Definition, context: &str) {
    let rows = rows_of(db, id).await;
    let day = |n: i64| (first_day() + Duration::days(n)).date_naive();
    let filters = [
        Filter::default(),
        Filter {
            wave: Some(0),
            ..Filter::default()
        },
        Filter {
            groups: vec!["citizen".into(), "ngo".into()],
            ..Filter::default()
        },
        Filter {
            from: Some(day(2)),
            to: Some(day(6)),
            ..Filter::default()
        },
        Filter {
            question: Some("yn".into()),
            value: Some("yes".into()),
            ..Filter::default()
        },
    ];
    let axes = [
        "single", "multi", "drop", "yn", "rate", "nps", "group", "channel",
    ];
    let axis = |name: &str| build::Axis::parse(name, definition).expect("an axis");
    for filter in &filters {
        let kept: Vec<&Row> = rows.iter().filter(|r| r.matches(filter)).collect();
        for r in axes {
            for c in axes {
                if r == c && !matches!(r, "single" | "multi") {
                    continue;
                }
                let table =
                    build::crosstab(db, id, definition, filter, &axis(r), &axis(c), Locale::En)
                        .await
                        .expect("crosstab");
                let mut expected: HashMap<(String, String), i64> = HashMap::new();
                for row in &kept {
                    for x in axis_values(row, r) {
                        for y in axis_values(row, c) {
                            *expected.entry((x.clone(), y)).or_default() += 1;
                        }
                    }
                }
                let (row_labels, column_labels) =
                    (axis_labels(definition, r), axis_labels(definition, c));
                let want: Vec<(String, Vec<i64>, i64)> = row_labels
                    .iter()
                    .map(|(x, label)| {
                        let n: Vec<i64> = column_labels
                            .iter()
                            .map(|(y, _)| {
                                expected.get(&(x.clone(), y.clone())).copied().unwrap_or(0)
                            })
                            .collect();
                        counts(label, &n)
                    })
                    .collect();
                let labels: Vec<String> = column_labels.into_iter().map(|(_, l)| l).collect();
                assert_eq!(
                    table.columns, labels,
                    "{context}: {r} by {c} under {filter:?}"
                );
                assert_eq!(table.rows, want, "{context}: {r} by {c} under {filter:?}");
            }
        }
    }
}

async fn crosstabs_equal_a_recomputation_on_every_path(db: Db) {
    let definition = every_kind();
    let id = make_survey(&db, &definition, "crosstab-paths").await;
    let mut rng = Rng::new(0x5eed_2026_1128);
    let mut batch =
        |n: usize| -> Vec<Submission> { (0..n).map(|_| random_submission(&mut rng, id)).collect() };
    // Nothing folded yet: the pair counts are empty, every row is read.
    store_all(&db, &batch(150)).await;
    check_crosstabs(&db, id, &definition, "none folded").await;
    // Folded, then more stored: counts plus the rows not folded.
    assert_eq!(build::fold_all(&db).await.expect("fold"), 150);
    store_all(&db, &batch(130)).await;
    check_crosstabs(&db, id, &definition, "some folded").await;
    assert_eq!(build::fold_all(&db).await.expect("fold"), 130);
    assert_eq!(
        build::fold_all(&db).await.expect("fold"),
        0,
        "nothing is folded twice"
    );
    check_crosstabs(&db, id, &definition, "all folded").await;

    // verify recomputes the pair counts too, and finds one changed by hand.
    let report = verify::verify(&db, id).await.expect("verify");
    assert!(report.ok(), "verify finds no difference: {report:?}");
    let bumped = match &db {
        Db::Sqlite(pool) => sqlx::query(
            "UPDATE result_pairs SET n = n + 1 WHERE survey_id = $1 AND a = 'single' AND b = 'yn' AND x = 'c1' AND y = 'yes'",
        )
        .bind(id)
        .execute(pool)
        .await
        .expect("bump")
        .rows_affected(),
        Db::Postgres(pool) => sqlx::query(
            "UPDATE result_pairs SET n = n + 1 WHERE survey_id = $1 AND a = 'single' AND b = 'yn' AND x = 'c1' AND y = 'yes'",
        )
        .bind(id)
        .execute(pool)
        .await
        .expect("bump")
        .rows_affected(),
    };
    assert_eq!(bumped, 1, "the pair count exists");
    let report = verify::verify(&db, id).await.expect("verify");
    assert_eq!(report.codes, 0);
    assert_eq!(report.counts.len(), 1, "{report:?}");
    let (key, x, y, stored, recomputed) = &report.counts[0];
    assert_eq!(
        (key.as_str(), x.as_str(), y.as_str()),
        ("0|single|yn", "c1", "yes")
    );
    assert_eq!(*stored, *recomputed + 1);
    // Repair recounts from the raw answers; the rows are folded again.
    results_db::rebuild(&db, id).await.expect("rebuild");
    assert_eq!(build::fold_all(&db).await.expect("fold"), 280);
    assert!(verify::verify(&db, id).await.expect("verify").ok());
    check_crosstabs(&db, id, &definition, "rebuilt").await;
}

// ---------------------------------------------------------------------------------------------
// 8. Written answers

async fn text_answers_search_ignores_diacritics(db: Db) {
    let definition = one_section(
        "Text survey",
        vec![
            question(
                "comment",
                "Your comment",
                Kind::LongText { max_length: 2000 },
            ),
            question("mail", "Your email", Kind::Email),
        ],
    );
    let id = make_survey(&db, &definition, "texts").await;
    let at = Utc::now() - Duration::hours(1);
    let batch: Vec<Submission> = [
        ("الخِدْمَات ممتازة", "first@example.org"),
        ("بطيئة", "second@example.org"),
    ]
    .iter()
    .map(|(comment, mail)| {
        let a = answers(vec![("comment", text(comment)), ("mail", text(mail))]);
        submission(id, "citizen", Channel::Web, a, at, None)
    })
    .collect();
    store_all(&db, &batch).await;
    let (_, mut analyst) = staff(&db, "analyst@ministry.example", &[Role::Analyst]).await;
    let base = format!("{}/text", dashboard(id));

    let all = analyst.get(&format!("{base}/comment")).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert!(
        all.body.contains("الخِدْمَات ممتازة") && all.body.contains("بطيئة"),
        "{}",
        all.body
    );
    assert!(!all.body.contains("@example.org"), "no email addresses");

    let found = analyst
        .get(&format!("{base}/comment?search={}", encode("الخدمات")))
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert!(
        found.body.contains("الخِدْمَات ممتازة"),
        "{}",
        main_text(&found.body)
    );
    assert!(!found.body.contains("بطيئة"), "{}", main_text(&found.body));
    let none = analyst
        .get(&format!("{base}/comment?search={}", encode("سريعة")))
        .await;
    assert!(
        none.body.contains("No written answers match."),
        "{}",
        main_text(&none.body)
    );
    assert!(!none.body.contains("بطيئة") && !none.body.contains("الخِدْمَات"));

    for question in ["mail", "nope"] {
        let reply = analyst.get(&format!("{base}/{question}")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{question}");
        assert!(!reply.body.contains("@example.org"), "{question}");
    }
    // The dashboard links to the comments' page, not to the addresses'.
    let page = analyst.get(&dashboard(id)).await;
    assert!(
        page.body.contains(&format!("{base}/comment")),
        "{}",
        page.body
    );
    assert!(!page.body.contains(&format!("{base}/mail")));
}

// ---------------------------------------------------------------------------------------------
// 9. Completion rate and median time, through the real form

fn two_pages() -> Definition {
    let first = Section {
        questions: vec![question(
            "pick",
            "Which colour?",
            Kind::SingleChoice {
                choices: choices(&SINGLE),
                other: false,
            },
        )],
        ..Section::new("s1")
    };
    let second = Section {
        questions: vec![question("agree", "Do you agree?", Kind::YesNo)],
        ..Section::new("s2")
    };
    survey("Two pages", vec![first, second])
}

/// The value of an attribute in a tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].replace("&amp;", "&"))
}

/// The hidden fields of a form page, as a browser sends them back.
fn hidden_fields(page: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<input") {
        let tag = &rest[start..];
        let end = tag.find('>').unwrap_or(tag.len());
        let input = &tag[..end];
        if attribute(input, "type").as_deref() == Some("hidden")
            && let Some(name) = attribute(input, "name")
            && name != "csrf"
        {
            fields.push((name, attribute(input, "value").unwrap_or_default()));
        }
        rest = &tag[end..];
    }
    fields
}

/// Posts a page of the public form with its hidden fields and these answers.
async fn answer_page(
    client: &mut Client,
    path: &str,
    hidden: &[(String, String)],
    typed: &[(&str, &str)],
) -> Reply {
    let mut form: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.extend_from_slice(typed);
    client.send(Method::POST, path, &form).await
}

async fn completion_rate_and_median_time(db: Db) {
    let id = make_survey(&db, &two_pages(), "two-pages").await;
    let path = "/en/s/two-pages";

    // One participant answers both pages, having opened the form five minutes ago.
    let mut finished = Client::new(&db);
    let form = finished.get(path).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let mut hidden = hidden_fields(&form.body);
    let started = hidden
        .iter_mut()
        .find(|(k, _)| k == "started")
        .unwrap_or_else(|| {
            panic!(
                "a started field in {hidden:?}",
                hidden = hidden_fields(&form.body)
            )
        });
    let opened = Utc::now().timestamp() - 300;
    started.1 = opened.to_string();
    let next = answer_page(
        &mut finished,
        path,
        &hidden,
        &[
            ("stakeholder_group", "citizen"),
            ("q.pick", "c1"),
            ("action", "next"),
        ],
    )
    .await;
    assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
    assert!(next.location.contains("page=1"), "{}", next.location);
    let second = finished.get(&next.location).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    let sent = answer_page(
        &mut finished,
        path,
        &hidden_fields(&second.body),
        &[("q.agree", "yes"), ("action", "submit")],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert!(sent.location.ends_with("/thanks"), "{}", sent.location);

    // Another leaves after the first page.
    let mut abandoned = Client::new(&db);
    let form = abandoned.get(path).await;
    let next = answer_page(
        &mut abandoned,
        path,
        &hidden_fields(&form.body),
        &[
            ("stakeholder_group", "resident"),
            ("q.pick", "c2"),
            ("action", "next"),
        ],
    )
    .await;
    assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
    assert_eq!(responses_db::count(&db, id).await.expect("count"), 1);

    let token = api_token(&db, "analyst@ministry.example", Role::Analyst).await;
    let reply = api_get(&db, &format!("/api/v1/surveys/{id}/results"), &token).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["responses"], 1, "{json}");
    assert_eq!(
        json["completion"].as_f64(),
        Some(50.0),
        "one of two begun was sent: {json}"
    );
    let median = json["median_seconds"].as_f64().expect("a median time");
    assert!(
        (295.0..=310.0).contains(&median),
        "about five minutes from the first page: {median}"
    );

    let (_, mut analyst) = staff(&db, "analyst-page@ministry.example", &[Role::Analyst]).await;
    let page = analyst.get(&dashboard(id)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let figures = text_of(from(&page.body, "Completion rate"));
    assert!(figures.starts_with("Completion rate 50%"), "{figures}");
    assert!(
        figures.contains("Median time to complete 5 min 0 s"),
        "{figures}"
    );
}

// ---------------------------------------------------------------------------------------------
// 10. The API's documentation

async fn results_api_is_documented(db: Db) {
    let reply = Client::new(&db).get("/api/v1/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let document = reply.json();
    for path in [
        "/api/v1/surveys/{id}/results",
        "/api/v1/surveys/{id}/results/crosstab",
    ] {
        let get = &document["paths"][path]["get"];
        assert!(get.is_object(), "{path} is documented");
        for status in ["200", "400", "401", "403", "404"] {
            assert!(get["responses"][status].is_object(), "{path}: {status}");
        }
    }
    let schemas = &document["components"]["schemas"];
    for schema in ["Results", "Crosstab", "QuestionResult", "Summary"] {
        assert!(schemas[schema].is_object(), "the {schema} schema");
    }
}

server::on_both_backends!(
    counts_equal_a_recomputation_from_the_raw_answers,
    verify_finds_an_injected_difference_and_repair_fixes_it,
    exports_neutralise_formulas_and_stream_every_response,
    exports_download_whole_with_compression,
    public_results_hide_small_counts,
    an_analyst_reads_results_but_changes_nothing,
    settings_refuse_bad_targets_and_flag_under_represented_groups,
    settings_validate_targets_and_keep_what_was_typed,
    crosstab_counts_pairs_of_answers,
    crosstabs_equal_a_recomputation_on_every_path,
    text_answers_search_ignores_diacritics,
    completion_rate_and_median_time,
    results_api_is_documented,
);
