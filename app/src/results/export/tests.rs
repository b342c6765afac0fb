//! The exports' tests: formula neutralising, columns, one response's values, escapes, times,
//! numbers, and a codebook that covers every column in both languages.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};
use uuid::Uuid;

use super::cells::{write_date, write_time};
use super::*;
use crate::Locale;
use crate::results::db::RawResponse;
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
            "submitted_at_uae",
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
            "2026-03-04T09:06:07+04:00",
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
    assert!(empty[8..].iter().all(String::is_empty));
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
