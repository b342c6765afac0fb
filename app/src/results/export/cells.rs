//! One response's values in the export's columns: the stored answers read from their JSON
//! borrowing the strings, the fixed columns and each question's cells written as plain strings,
//! and the neutralising of cells that a spreadsheet would take for a formula.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Timelike, Utc};
use serde::Deserialize;

use super::{Column, Content, Fixed};
use crate::results::db::RawResponse;

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
pub(super) fn write_number(out: &mut String, n: f64) {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        let _ = write!(out, "{}", n as i64);
    } else {
        let _ = write!(out, "{n}");
    }
}

/// A day as exported, `YYYY-MM-DD`, written into `out`.
pub(super) fn write_date(out: &mut String, d: NaiveDate) {
    if (0..=9999).contains(&d.year()) {
        let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    } else {
        let _ = write!(out, "{}", d.format("%Y-%m-%d"));
    }
}

/// A time as exported, RFC 3339 in UTC to the second (`2026-03-04T05:06:07Z`), into `out`.
pub(super) fn write_time(out: &mut String, t: DateTime<Utc>) {
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

/// A time on the UAE clock, RFC 3339 with its offset to the second
/// (`2026-03-04T09:06:07+04:00`), into `out`.
pub(super) fn write_local_time(out: &mut String, t: DateTime<Utc>) {
    let local = crate::dates::in_uae(t);
    let _ = write!(out, "{}", local.to_rfc3339_opts(SecondsFormat::Secs, false));
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
        Fixed::SubmittedAtUae => {
            write_local_time(scratch, raw.submitted_at);
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
pub(super) fn is_plain_number(cell: &str) -> bool {
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
