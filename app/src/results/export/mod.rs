//! Response exports, pure: the columns of a survey's table of responses, one response's
//! values in those columns, the codebook that explains every column and code in both
//! languages, and the neutralising of cells against formula injection. The server streams
//! CSV, XLSX and JSON from these a page of responses at a time.
//!
//! Invariants: the columns depend only on the definition (eight fixed columns, then each
//! question's columns in survey order), so every row of an export has the same shape; a value
//! is always a plain string, empty when there is no answer (or an answer of the wrong shape);
//! numbers are written without a trailing ".0"; every column of [`columns`] has at least one
//! codebook row, and the codebook lists exactly the codes its column can hold.
//!
//! The columns are here; one response's values and the neutralising of cells are in `cells`,
//! the codebook in `codebook`, the tests in `tests`.

use crate::surveys::model::{Choice, Definition, Kind, OTHER, Question};

mod cells;
mod codebook;
#[cfg(test)]
mod tests;

pub use cells::{StoredAnswer, StoredAnswers, Str, each_value, neutralize, parse, values};
use cells::{is_plain_number, write_number};
use codebook::both;
pub use codebook::{CODEBOOK_HEADER, codebook};

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
    /// The same moment on the ministry's clock (UAE time, +04:00), for people reading it.
    SubmittedAtUae,
    Wave,
    Group,
    Channel,
    Source,
    Duration,
}

impl Fixed {
    pub const ALL: [Fixed; 8] = [
        Fixed::ResponseId,
        Fixed::SubmittedAt,
        Fixed::SubmittedAtUae,
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
            Fixed::SubmittedAtUae => "submitted_at_uae",
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
            Fixed::SubmittedAt | Fixed::SubmittedAtUae => "datetime",
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
