//! Response exports, pure: the columns of a survey's table of responses, one response's
//! values in those columns, the codebook that explains every column and code in both
//! languages, and the neutralising of cells against formula injection. The server streams
//! CSV, XLSX and JSON from these a page of responses at a time.
//!
//! Invariants: the columns depend only on the definition (seven fixed columns, then each
//! question's columns in survey order), so every row of an export has the same shape; a value
//! is always a plain string, empty when there is no answer (or an answer of the wrong shape);
//! numbers are written without a trailing ".0"; every column of [`columns`] has at least one
//! codebook row, and the codebook lists exactly the codes its column can hold.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Timelike, Utc};
use serde::Deserialize;

use super::db::RawResponse;
use crate::Locale;
use crate::responses::Channel;
use crate::surveys::StakeholderGroup;
use crate::surveys::model::{Choice, Definition, Kind, OTHER, Question};

/// One column of an export.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header: a fixed name, `<key>` or `<key>.<item>`.
    pub name: String,
    /// The question the column belongs to; `None` for the fixed columns.
    pub question: Option<String>,
    /// What the column holds.
    pub content: Content,
    /// Whether every value is a number (XLSX writes these as numbers).
    pub numeric: bool,
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Fixed(Fixed),
    /// The chosen key (single choice, dropdown, yes/no).
    Code,
    /// The text of "other, please specify".
    Other,
    /// Multiple choice: 1 when this choice was chosen, 0 when not.
    Chosen(String),
    /// Matrix: the scale point given to this row.
    Row(String),
    /// Ranking: this choice's rank, 1 for the first.
    Rank(String),
    /// Rating, NPS, number.
    Number,
    /// `YYYY-MM-DD`.
    Date,
    /// Short and long text, email, phone.
    Text,
}

/// The columns every export starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixed {
    ResponseId,
    SubmittedAt,
    Wave,
    Group,
    Channel,
    Source,
    Duration,
}

impl Fixed {
    pub const ALL: [Fixed; 7] = [
        Fixed::ResponseId,
        Fixed::SubmittedAt,
        Fixed::Wave,
        Fixed::Group,
        Fixed::Channel,
        Fixed::Source,
        Fixed::Duration,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Fixed::ResponseId => "response_id",
            Fixed::SubmittedAt => "submitted_at",
            Fixed::Wave => "wave",
            Fixed::Group => "stakeholder_group",
            Fixed::Channel => "channel",
            Fixed::Source => "source",
            Fixed::Duration => "duration_s",
        }
    }

    /// The codebook's description, (Arabic, English), and the column's type.
    fn describe(self) -> (String, String, &'static str) {
        let kind = match self {
            Fixed::ResponseId => "uuid",
            Fixed::SubmittedAt => "datetime",
            Fixed::Wave | Fixed::Duration => "integer",
            Fixed::Group | Fixed::Channel => "code",
            Fixed::Source => "text",
        };
        let (ar, en) = both(&format!("results.codebook.{}", self.name()));
        (ar, en, kind)
    }
}

fn column(name: String, question: &Question, content: Content, numeric: bool) -> Column {
    Column {
        name,
        question: Some(question.key.clone()),
        content,
        numeric,
    }
}

fn all_numeric(choices: &[Choice]) -> bool {
    !choices.is_empty() && choices.iter().all(|c| is_plain_number(&c.key))
}

/// A question's columns, in order.
fn question_columns(q: &Question) -> Vec<Column> {
    let key = &q.key;
    let each = |choices: &[Choice], content: fn(String) -> Content, numeric: bool| {
        choices
            .iter()
            .map(|c| {
                column(
                    format!("{key}.{}", c.key),
                    q,
                    content(c.key.clone()),
                    numeric,
                )
            })
            .collect::<Vec<_>>()
    };
    let mut out = match &q.kind {
        Kind::SingleChoice { choices, other } | Kind::Dropdown { choices, other } => {
            vec![column(
                key.clone(),
                q,
                Content::Code,
                !other && all_numeric(choices),
            )]
        }
        Kind::YesNo => vec![column(key.clone(), q, Content::Code, false)],
        Kind::MultipleChoice { choices, .. } => each(choices, Content::Chosen, true),
        Kind::Matrix { rows, scale } => each(rows, Content::Row, all_numeric(scale)),
        Kind::Ranking { choices } => each(choices, Content::Rank, true),
        Kind::Rating { .. } | Kind::Nps | Kind::Number { .. } => {
            vec![column(key.clone(), q, Content::Number, true)]
        }
        Kind::Date => vec![column(key.clone(), q, Content::Date, false)],
        Kind::ShortText { .. } | Kind::LongText { .. } | Kind::Email | Kind::Phone => {
            vec![column(key.clone(), q, Content::Text, false)]
        }
    };
    if q.kind.has_other() {
        out.push(column(format!("{key}.{OTHER}"), q, Content::Other, false));
    }
    out
}

/// The columns of a survey's export: the fixed ones, then each question's in survey order.
pub fn columns(definition: &Definition) -> Vec<Column> {
    let fixed = Fixed::ALL.into_iter().map(|f| Column {
        name: f.name().to_owned(),
        question: None,
        content: Content::Fixed(f),
        numeric: matches!(f, Fixed::Wave | Fixed::Duration),
    });
    fixed
        .chain(
            definition
                .questions()
                .flat_map(|(_, q)| question_columns(q)),
        )
        .collect()
}

/// A number as exported: integers without a decimal part.
pub fn number(n: f64) -> String {
    let mut out = String::new();
    write_number(&mut out, n);
    out
}

/// A string of a stored answer, borrowed from its JSON unless it holds escapes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub struct Str<'a>(#[serde(borrow)] pub Cow<'a, str>);

impl<'a> Str<'a> {
    fn of(text: &'a str) -> Self {
        Str(Cow::Borrowed(text))
    }
}

/// An answer as an export reads it: the stored shape of
/// [`Answer`](crate::surveys::conditions::Answer), its strings borrowed
/// (a page of a million responses is read without copying every key and text).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum StoredAnswer<'a> {
    Choice {
        #[serde(borrow)]
        key: Str<'a>,
        #[serde(borrow)]
        other: Option<Str<'a>>,
    },
    Choices {
        #[serde(borrow)]
        keys: Vec<Str<'a>>,
        #[serde(borrow)]
        other: Option<Str<'a>>,
    },
    Ranking(#[serde(borrow)] Vec<Str<'a>>),
    Matrix(#[serde(borrow)] BTreeMap<Str<'a>, Str<'a>>),
    Number(f64),
    Text(#[serde(borrow)] Str<'a>),
    Date(NaiveDate),
}

/// A response's answers as an export reads them: (question key, answer) in key order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredAnswers<'a>(Vec<(Str<'a>, StoredAnswer<'a>)>);

impl<'a> StoredAnswers<'a> {
    /// The answer to a question, if any.
    pub fn get(&self, key: &str) -> Option<&StoredAnswer<'a>> {
        self.0
            .binary_search_by(|(k, _)| k.0.as_ref().cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for StoredAnswers<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Entries<'a> {
            type Value = StoredAnswers<'a>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of answers by question key")
            }

            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Self::Value, M::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(16));
                while let Some(entry) = map.next_entry::<Str<'a>, StoredAnswer<'a>>()? {
                    entries.push(entry);
                }
                // Stored in key order (a BTreeMap); sorted anyway, for the binary search.
                if !entries.is_sorted_by(|a, b| a.0 <= b.0) {
                    entries.sort_by(|a, b| a.0.cmp(&b.0));
                }
                Ok(StoredAnswers(entries))
            }
        }
        deserializer.deserialize_map(Entries(std::marker::PhantomData))
    }
}

/// Reads a response's stored answers (the JSON of [`crate::surveys::conditions::Answers`]).
pub fn parse(json: &str) -> Result<StoredAnswers<'_>, serde_json::Error> {
    serde_json::from_str(json)
}

/// A number as exported, written into `out`.
fn write_number(out: &mut String, n: f64) {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        let _ = write!(out, "{}", n as i64);
    } else {
        let _ = write!(out, "{n}");
    }
}

/// A day as exported, `YYYY-MM-DD`, written into `out`.
fn write_date(out: &mut String, d: NaiveDate) {
    if (0..=9999).contains(&d.year()) {
        let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    } else {
        let _ = write!(out, "{}", d.format("%Y-%m-%d"));
    }
}

/// A time as exported, RFC 3339 in UTC to the second (`2026-03-04T05:06:07Z`), into `out`.
fn write_time(out: &mut String, t: DateTime<Utc>) {
    if (0..=9999).contains(&t.year()) {
        let _ = write!(
            out,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
    } else {
        out.push_str(&t.to_rfc3339_opts(SecondsFormat::Secs, true));
    }
}

/// The value of a fixed column (numbers and times written into `scratch`).
fn fixed_value<'r>(fixed: Fixed, raw: &'r RawResponse, scratch: &'r mut String) -> &'r str {
    match fixed {
        Fixed::ResponseId => {
            let _ = write!(scratch, "{}", raw.id.hyphenated());
            scratch
        }
        Fixed::SubmittedAt => {
            write_time(scratch, raw.submitted_at);
            scratch
        }
        Fixed::Wave => {
            let _ = write!(scratch, "{}", raw.wave);
            scratch
        }
        Fixed::Group => &raw.group,
        Fixed::Channel => &raw.channel,
        Fixed::Source => raw.source.as_deref().unwrap_or_default(),
        Fixed::Duration => {
            if let Some(d) = raw.duration {
                let _ = write!(scratch, "{d}");
            }
            scratch
        }
    }
}

/// The value of a question column given the question's answer ("" when it has none, or an
/// answer of another shape); numbers and dates are written into `scratch`.
fn answer_value<'r>(
    content: &'r Content,
    answer: &'r StoredAnswer<'_>,
    scratch: &'r mut String,
) -> &'r str {
    match (content, answer) {
        (Content::Code, StoredAnswer::Choice { key, .. }) => &key.0,
        (
            Content::Other,
            StoredAnswer::Choice { other, .. } | StoredAnswer::Choices { other, .. },
        ) => other.as_ref().map_or("", |o| &o.0),
        (Content::Chosen(choice), StoredAnswer::Choices { keys, .. }) => {
            if keys.iter().any(|k| k.0 == choice.as_str()) {
                "1"
            } else {
                "0"
            }
        }
        (Content::Row(row), StoredAnswer::Matrix(points)) => {
            points.get(&Str::of(row)).map_or("", |p| &p.0)
        }
        (Content::Rank(choice), StoredAnswer::Ranking(order)) => {
            if let Some(i) = order.iter().position(|k| k.0 == choice.as_str()) {
                let _ = write!(scratch, "{}", i + 1);
            }
            scratch
        }
        (Content::Number, StoredAnswer::Number(n)) => {
            write_number(scratch, *n);
            scratch
        }
        (Content::Date, StoredAnswer::Date(d)) => {
            write_date(scratch, *d);
            scratch
        }
        (Content::Text, StoredAnswer::Text(text)) => &text.0,
        _ => "",
    }
}

/// Hands one response's values to `cell`, one per column in order ("" for no answer),
/// without an owned string per value: what the CSV export writes straight out.
pub fn each_value<E>(
    columns: &[Column],
    raw: &RawResponse,
    answers: &StoredAnswers<'_>,
    mut cell: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let mut scratch = String::with_capacity(40);
    for column in columns {
        scratch.clear();
        let value = match (&column.content, &column.question) {
            (Content::Fixed(f), _) => fixed_value(*f, raw, &mut scratch),
            (content, Some(q)) => match answers.get(q) {
                Some(answer) => answer_value(content, answer, &mut scratch),
                None => "",
            },
            (_, None) => "",
        };
        cell(value)?;
    }
    Ok(())
}

/// One response's values, a string per column (empty for no answer).
pub fn values(columns: &[Column], raw: &RawResponse, answers: &StoredAnswers<'_>) -> Vec<String> {
    let mut out = Vec::with_capacity(columns.len());
    let _ = each_value(columns, raw, answers, |value| {
        out.push(value.to_owned());
        Ok::<(), ()>(())
    });
    out
}

/// Whether a cell is a plain decimal number: an optional sign, digits with an optional
/// decimal point, an optional exponent (`-5`, `+3.5`, `-0.25`, `1e-3`).
fn is_plain_number(cell: &str) -> bool {
    let body = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, frac)) => {
            (digits(whole) || whole.is_empty())
                && (digits(frac) || frac.is_empty())
                && !(whole.is_empty() && frac.is_empty())
        }
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// Guards a cell against formula injection (OWASP "CSV injection"): a cell a spreadsheet
/// would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return)
/// gets a leading apostrophe, unless the whole cell is a plain number, which stays a number.
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The codebook's header row.
pub const CODEBOOK_HEADER: [&str; 8] = [
    "column",
    "question",
    "question_ar",
    "question_en",
    "type",
    "code",
    "label_ar",
    "label_en",
];

/// A code and its label, (code, Arabic, English).
type Code = (String, String, String);

fn code(code: impl Into<String>, ar: impl Into<String>, en: impl Into<String>) -> Code {
    (code.into(), ar.into(), en.into())
}

fn choice_codes(choices: &[Choice]) -> Vec<Code> {
    choices
        .iter()
        .map(|c| code(&c.key, &c.label.ar, &c.label.en))
        .collect()
}

fn both(key: &str) -> (String, String) {
    (Locale::Ar.t(key), Locale::En.t(key))
}

fn fixed_codes(fixed: Fixed) -> Vec<Code> {
    match fixed {
        Fixed::Group => StakeholderGroup::ALL
            .iter()
            .map(|g| {
                let (ar, en) = both(&g.label_key());
                code(g.code(), ar, en)
            })
            .collect(),
        Fixed::Channel => Channel::ALL
            .iter()
            .map(|c| {
                let (ar, en) = both(&c.label_key());
                code(c.code(), ar, en)
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The points of a numeric scale, labelled at the ends when the author wrote labels.
fn scale_codes(kind: &Kind) -> Vec<Code> {
    let (min, max, min_label, max_label) = match kind {
        Kind::Rating {
            min,
            max,
            min_label,
            max_label,
        } => (*min, *max, Some(min_label), Some(max_label)),
        Kind::Nps => (0, 10, None, None),
        _ => return Vec::new(),
    };
    (min..=max)
        .map(|n| {
            let end = if n == min {
                min_label
            } else if n == max {
                max_label
            } else {
                None
            };
            match end.filter(|t| !t.is_empty()) {
                Some(t) => code(n.to_string(), &t.ar, &t.en),
                None => code(n.to_string(), n.to_string(), n.to_string()),
            }
        })
        .collect()
}

fn rank_codes(n: usize) -> Vec<Code> {
    (1..=n)
        .map(|i| {
            let key = match i {
                1 => "results.codebook.rank_first",
                _ if i == n => "results.codebook.rank_last",
                _ => "results.codebook.rank",
            };
            let n = i.to_string();
            let label = |locale: Locale| locale.t_with(key, &[("n", &n)]);
            code(i.to_string(), label(Locale::Ar), label(Locale::En))
        })
        .collect()
}

/// The codes a question column can hold.
fn question_codes(kind: &Kind, content: &Content) -> Vec<Code> {
    match (content, kind) {
        (Content::Code, Kind::YesNo) => ["yes", "no"]
            .into_iter()
            .map(|k| {
                let (ar, en) = both(&format!("render.answer_{k}"));
                code(k, ar, en)
            })
            .collect(),
        (Content::Code, kind) => {
            let mut codes = choice_codes(kind.choices().unwrap_or_default());
            if kind.has_other() {
                let (ar, en) = both("render.other");
                codes.push(code(OTHER, ar, en));
            }
            codes
        }
        (Content::Chosen(_), _) => {
            let ((chosen_ar, chosen_en), (not_ar, not_en)) = (
                both("results.codebook.chosen"),
                both("results.codebook.not_chosen"),
            );
            vec![code("1", chosen_ar, chosen_en), code("0", not_ar, not_en)]
        }
        (Content::Row(_), Kind::Matrix { scale, .. }) => choice_codes(scale),
        (Content::Rank(_), Kind::Ranking { choices }) => rank_codes(choices.len()),
        (Content::Number, kind) => scale_codes(kind),
        _ => Vec::new(),
    }
}

/// The question texts of a column, (Arabic, English): the question's, followed by the row,
/// choice or "other" it is about.
fn question_texts(q: &Question, content: &Content) -> (String, String) {
    let item = |key: &str, items: Option<&[Choice]>| {
        items
            .unwrap_or_default()
            .iter()
            .find(|c| c.key == key)
            .map(|c| (c.label.ar.clone(), c.label.en.clone()))
    };
    let part = match (content, &q.kind) {
        (Content::Other, _) => Some(both("render.other_specify")),
        (Content::Row(row), Kind::Matrix { rows, .. }) => item(row, Some(rows)),
        (Content::Chosen(c) | Content::Rank(c), kind) => item(c, kind.choices()),
        _ => None,
    };
    match part {
        Some((ar, en)) => (
            format!("{} — {ar}", q.text.ar),
            format!("{} — {en}", q.text.en),
        ),
        None => (q.text.ar.clone(), q.text.en.clone()),
    }
}

/// A column's codebook rows: one per code, or one with an empty code for a free column.
fn column_rows(definition: &Definition, col: &Column) -> Vec<[String; 8]> {
    let (question, ar, en, kind, codes) = match (&col.content, &col.question) {
        (Content::Fixed(f), _) => {
            let (ar, en, kind) = f.describe();
            (String::new(), ar, en, kind.to_owned(), fixed_codes(*f))
        }
        (content, Some(key)) => match definition.question(key) {
            Some(q) => {
                let (ar, en) = question_texts(q, content);
                let kind = match content {
                    Content::Other => "text",
                    _ => q.kind.code(),
                };
                (
                    key.clone(),
                    ar,
                    en,
                    kind.to_owned(),
                    question_codes(&q.kind, content),
                )
            }
            None => return Vec::new(),
        },
        (_, None) => return Vec::new(),
    };
    let codes = if codes.is_empty() {
        vec![code("", "", "")]
    } else {
        codes
    };
    codes
        .into_iter()
        .map(|(c, label_ar, label_en)| {
            [
                col.name.clone(),
                question.clone(),
                ar.clone(),
                en.clone(),
                kind.clone(),
                c,
                label_ar,
                label_en,
            ]
        })
        .collect()
}

/// The codebook: the header row ([`CODEBOOK_HEADER`]), then for every column of [`columns`]
/// a row per code it can hold (or one row with an empty code for a free column), with the
/// question and labels in both languages.
pub fn codebook(definition: &Definition) -> Vec<[String; 8]> {
    let header = CODEBOOK_HEADER.map(str::to_owned);
    std::iter::once(header)
        .chain(
            columns(definition)
                .iter()
                .flat_map(|col| column_rows(definition, col)),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    use super::*;
    use crate::surveys::conditions::{Answer, Answers};
    use crate::surveys::model::{Section, Text};

    /// The values of answers as stored (JSON) and read back for export.
    fn values_of(cols: &[Column], answers: &Answers) -> Vec<String> {
        let json = serde_json::to_string(answers).expect("answers serialize");
        values(
            cols,
            &raw(),
            &parse(&json).expect("stored answers read back"),
        )
    }

    fn question(key: &str, kind: Kind) -> Question {
        Question {
            key: key.to_owned(),
            text: Text::new(format!("سؤال {key}"), format!("Question {key}")),
            help: Text::default(),
            required: false,
            show_if: None,
            kind,
        }
    }

    fn choices(keys: &[&str]) -> Vec<Choice> {
        keys.iter()
            .map(|k| Choice::new(k, &format!("خيار {k}"), &format!("Choice {k}")))
            .collect()
    }

    fn definition() -> Definition {
        let mut section = Section::new("s1");
        section.questions = vec![
            question(
                "q1",
                Kind::SingleChoice {
                    choices: choices(&["a", "b"]),
                    other: true,
                },
            ),
            question(
                "q2",
                Kind::MultipleChoice {
                    choices: choices(&["x", "y"]),
                    other: false,
                    min: None,
                    max: None,
                },
            ),
            question("q3", Kind::YesNo),
            question(
                "q4",
                Kind::Rating {
                    min: 1,
                    max: 5,
                    min_label: Text::new("سيئ", "Bad"),
                    max_label: Text::default(),
                },
            ),
            question(
                "q5",
                Kind::Matrix {
                    rows: choices(&["r1", "r2"]),
                    scale: choices(&["1", "2", "3"]),
                },
            ),
            question(
                "q6",
                Kind::Ranking {
                    choices: choices(&["m", "n", "o"]),
                },
            ),
            question(
                "q7",
                Kind::Number {
                    decimal: true,
                    min: None,
                    max: None,
                },
            ),
            question("q8", Kind::Date),
            question("q9", Kind::LongText { max_length: 100 }),
            question("q10", Kind::Nps),
        ];
        Definition {
            sections: vec![section],
            ..Definition::default()
        }
    }

    fn raw() -> RawResponse {
        RawResponse {
            id: Uuid::nil(),
            wave: 2,
            submitted_at: Utc
                .with_ymd_and_hms(2026, 3, 4, 5, 6, 7)
                .single()
                .expect("a time"),
            group: "citizen".to_owned(),
            channel: "web".to_owned(),
            source: None,
            duration: Some(95),
            answers: String::new(),
        }
    }

    #[test]
    fn neutralizes_formulas_but_not_numbers() {
        assert_eq!(neutralize("=1+1"), "'=1+1");
        assert_eq!(neutralize("+1"), "+1");
        assert_eq!(neutralize("+1+1"), "'+1+1");
        assert_eq!(neutralize("-1"), "-1");
        assert_eq!(neutralize("-5"), "-5");
        assert_eq!(neutralize("+3.5"), "+3.5");
        assert_eq!(neutralize("-0.25"), "-0.25");
        assert_eq!(neutralize("-abc"), "'-abc");
        assert_eq!(neutralize("-"), "'-");
        assert_eq!(neutralize("-1e3"), "-1e3");
        assert_eq!(neutralize("-inf"), "'-inf");
        assert_eq!(neutralize("@SUM(A1:A2)"), "'@SUM(A1:A2)");
        assert_eq!(neutralize("\t=x"), "'\t=x");
        assert_eq!(neutralize("\r=x"), "'\r=x");
        assert!(matches!(
            neutralize("plain text"),
            Cow::Borrowed("plain text")
        ));
        assert!(matches!(neutralize("نص عربي = جيد"), Cow::Borrowed(_)));
        assert_eq!(neutralize(""), "");
        assert_eq!(neutralize("12"), "12");
    }

    #[test]
    fn columns_follow_the_questions() {
        let names: Vec<String> = columns(&definition()).into_iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                "response_id",
                "submitted_at",
                "wave",
                "stakeholder_group",
                "channel",
                "source",
                "duration_s",
                "q1",
                "q1.other",
                "q2.x",
                "q2.y",
                "q3",
                "q4",
                "q5.r1",
                "q5.r2",
                "q6.m",
                "q6.n",
                "q6.o",
                "q7",
                "q8",
                "q9",
                "q10",
            ]
        );
        let cols = columns(&definition());
        let numeric = |name: &str| cols.iter().any(|c| c.name == name && c.numeric);
        assert!(numeric("wave") && numeric("q2.x") && numeric("q4") && numeric("q5.r1"));
        assert!(!numeric("q1") && !numeric("q3") && !numeric("q9") && !numeric("source"));
    }

    #[test]
    fn values_of_one_response() {
        let answers: Answers = BTreeMap::from([
            (
                "q1".to_owned(),
                Answer::Choice {
                    key: OTHER.to_owned(),
                    other: Some("=cmd".to_owned()),
                },
            ),
            (
                "q2".to_owned(),
                Answer::Choices {
                    keys: vec!["y".to_owned()],
                    other: None,
                },
            ),
            ("q3".to_owned(), Answer::choice("yes")),
            ("q4".to_owned(), Answer::Number(4.0)),
            (
                "q5".to_owned(),
                Answer::Matrix(BTreeMap::from([("r2".to_owned(), "3".to_owned())])),
            ),
            (
                "q6".to_owned(),
                Answer::Ranking(vec!["o".to_owned(), "m".to_owned()]),
            ),
            ("q7".to_owned(), Answer::Number(-2.5)),
            (
                "q8".to_owned(),
                Answer::Date(NaiveDate::from_ymd_opt(2026, 1, 31).expect("a day")),
            ),
            ("q9".to_owned(), Answer::Text("مرحبا".to_owned())),
            ("stakeholder_group".to_owned(), Answer::choice("citizen")),
        ]);
        let cols = columns(&definition());
        assert_eq!(
            values_of(&cols, &answers),
            [
                "00000000-0000-0000-0000-000000000000",
                "2026-03-04T05:06:07Z",
                "2",
                "citizen",
                "web",
                "",
                "95",
                "other",
                "=cmd",
                "0",
                "1",
                "yes",
                "4",
                "",
                "3",
                "2",
                "",
                "1",
                "-2.5",
                "2026-01-31",
                "مرحبا",
                "",
            ]
        );
        let empty = values_of(&cols, &Answers::new());
        assert!(empty[7..].iter().all(String::is_empty));
    }

    #[test]
    fn escaped_texts_read_back_whole() {
        let text = "a \"quoted\"\nline \\ \u{1f} ok";
        let answers = Answers::from([
            ("q9".to_owned(), Answer::Text(text.to_owned())),
            (
                "q1".to_owned(),
                Answer::Choice {
                    key: OTHER.to_owned(),
                    other: Some("tab\there".to_owned()),
                },
            ),
        ]);
        let cols = columns(&definition());
        let got = values_of(&cols, &answers);
        let column = |name: &str| {
            let i = cols.iter().position(|c| c.name == name).expect("a column");
            got[i].as_str()
        };
        assert_eq!(column("q9"), text);
        assert_eq!(column("q1"), OTHER);
        assert_eq!(column("q1.other"), "tab\there");
    }

    #[test]
    fn times_and_days_are_written_as_rfc_3339() {
        for (secs, nanos) in [(0, 0), (1_772_600_767, 999_999_999), (253_402_300_799, 5)] {
            let t = DateTime::from_timestamp(secs, nanos).expect("a time");
            let mut out = String::new();
            write_time(&mut out, t);
            assert_eq!(out, t.to_rfc3339_opts(SecondsFormat::Secs, true));
            let mut day = String::new();
            write_date(&mut day, t.date_naive());
            assert_eq!(day, t.date_naive().format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn numbers_drop_a_zero_fraction() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(1e20), "100000000000000000000");
    }

    #[test]
    fn codebook_lists_every_column_in_both_languages() {
        let def = definition();
        let book = codebook(&def);
        assert_eq!(book[0], CODEBOOK_HEADER.map(str::to_owned));
        for col in columns(&def) {
            assert!(
                book.iter().any(|r| r[0] == col.name),
                "{} has no row",
                col.name
            );
        }
        let row = |column: &str, code: &str| {
            book.iter()
                .find(|r| r[0] == column && r[5] == code)
                .cloned()
                .unwrap_or_else(|| panic!("no row for {column} = {code}"))
        };
        assert_eq!(
            row("stakeholder_group", "citizen")[6],
            Locale::Ar.t("groups.citizen")
        );
        assert_eq!(
            row("stakeholder_group", "citizen")[7],
            Locale::En.t("groups.citizen")
        );
        assert_ne!(
            row("stakeholder_group", "citizen")[6],
            row("stakeholder_group", "citizen")[7]
        );
        assert_eq!(
            row("channel", "web")[7],
            Locale::En.t("responses.channel.web")
        );
        assert_eq!(
            row("q1", "a")[6..],
            ["خيار a".to_owned(), "Choice a".to_owned()]
        );
        assert_eq!(row("q1", OTHER)[7], Locale::En.t("render.other"));
        assert_eq!(row("q1.other", "")[4], "text");
        assert_eq!(row("q2.x", "1")[3], "Question q2 — Choice x");
        assert_eq!(row("q3", "yes")[7], Locale::En.t("render.answer_yes"));
        assert_eq!(row("q4", "1")[7], "Bad");
        assert_eq!(row("q4", "5")[7], "5");
        assert_eq!(row("q5.r1", "3")[2], "سؤال q5 — خيار r1");
        assert_eq!(row("q6.m", "3")[7], "Rank 3 (last)");
        assert_eq!(row("q10", "10")[4], "nps");
        assert_eq!(row("q9", "")[4], "long_text");
        assert_eq!(row("response_id", "")[3], "Response identifier");
        assert!(book.iter().filter(|r| r[0] == "q10").count() == 11);
    }
}
