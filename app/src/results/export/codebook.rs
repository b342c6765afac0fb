//! The codebook: every column of an export and every code it can hold, explained in Arabic and
//! English (questions, choices, scale points, ranks, groups and channels).

use super::{Column, Content, Fixed, columns};
use crate::Locale;
use crate::responses::Channel;
use crate::surveys::StakeholderGroup;
use crate::surveys::model::{Choice, Definition, Kind, OTHER, Question};

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

pub(super) fn both(key: &str) -> (String, String) {
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
