//! What staff may write in an outcome, checked the same for the form and any other door:
//! every problem at once, each a field name and a catalogue key, in the page's order.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::OutcomeStatus;
use crate::text::Text;

/// The longest title, and the longest of the other texts, in characters.
pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 10_000;

/// The form's fields, in the order the page shows them.
pub const FIELDS: [&str; 15] = [
    "link",
    "title_ar",
    "title_en",
    "said_ar",
    "said_en",
    "did_ar",
    "did_en",
    "responsible_ar",
    "responsible_en",
    "status",
    "reason_ar",
    "reason_en",
    "due_on",
    "indicator",
    "note_ar",
];

pub type Problems = Vec<(&'static str, &'static str)>;

/// Puts problems in the order of the fields on the page.
pub fn in_page_order(mut problems: Problems) -> Problems {
    problems.sort_by_key(|(field, _)| FIELDS.iter().position(|f| f == field));
    problems
}

/// An outcome as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeInput {
    /// What it answers: `opportunity:<id>` or `topic:<code>`.
    pub link: String,
    pub title_ar: String,
    pub title_en: String,
    pub said_ar: String,
    pub said_en: String,
    pub did_ar: String,
    pub did_en: String,
    pub responsible_ar: String,
    pub responsible_en: String,
    /// A status code.
    pub status: String,
    pub reason_ar: String,
    pub reason_en: String,
    /// `YYYY-MM-DD`, or empty.
    pub due_on: String,
    /// A survey question's key, or empty.
    pub indicator: String,
}

/// What an outcome answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    Opportunity(Uuid),
    Topic(String),
}

impl Link {
    pub fn parse(value: &str) -> Option<Link> {
        let (kind, rest) = value.trim().split_once(':')?;
        match kind {
            "opportunity" => rest.parse().ok().map(Link::Opportunity),
            "topic" if crate::opportunities::TOPICS.contains(&rest) => {
                Some(Link::Topic(rest.to_owned()))
            }
            _ => None,
        }
    }

    pub fn code(&self) -> String {
        match self {
            Link::Opportunity(id) => format!("opportunity:{id}"),
            Link::Topic(topic) => format!("topic:{topic}"),
        }
    }
}

/// An outcome that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeFields {
    pub link: Link,
    pub title: Text,
    pub said: Text,
    pub did: Text,
    pub responsible: Text,
    pub status: OutcomeStatus,
    pub reason: Text,
    pub due_on: Option<NaiveDate>,
    pub indicator: Option<String>,
}

/// A text checked: trimmed, required or not, at most `max` characters.
fn text(
    value: &str,
    field: &'static str,
    required: bool,
    max: usize,
    problems: &mut Problems,
) -> String {
    let value = value.trim();
    if required && value.is_empty() {
        problems.push((field, "outcomes.error.required"));
    } else if value.chars().count() > max {
        problems.push((field, "outcomes.error.too_long"));
    }
    value.to_owned()
}

/// Checks what was typed; every problem at once.
pub fn check(input: &OutcomeInput) -> Result<OutcomeFields, Problems> {
    let mut p = Problems::new();
    let link = Link::parse(&input.link);
    if link.is_none() {
        p.push(("link", "outcomes.error.link"));
    }
    let mut pair = |ar: &str, en: &str, field: (&'static str, &'static str), max: usize| {
        Text::new(
            text(ar, field.0, true, max, &mut p),
            text(en, field.1, true, max, &mut p),
        )
    };
    let title = pair(
        &input.title_ar,
        &input.title_en,
        ("title_ar", "title_en"),
        MAX_TITLE,
    );
    let said = pair(
        &input.said_ar,
        &input.said_en,
        ("said_ar", "said_en"),
        MAX_TEXT,
    );
    let did = pair(&input.did_ar, &input.did_en, ("did_ar", "did_en"), MAX_TEXT);
    let responsible = pair(
        &input.responsible_ar,
        &input.responsible_en,
        ("responsible_ar", "responsible_en"),
        MAX_TITLE,
    );
    let status = OutcomeStatus::from_code(input.status.trim());
    if status.is_none() {
        p.push(("status", "outcomes.error.status"));
    }
    let not_adopted = status == Some(OutcomeStatus::NotAdopted);
    let reason = Text::new(
        text(&input.reason_ar, "reason_ar", not_adopted, MAX_TEXT, &mut p),
        text(&input.reason_en, "reason_en", not_adopted, MAX_TEXT, &mut p),
    );
    let due_on = match input.due_on.trim() {
        "" => None,
        day => NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map_err(|_| p.push(("due_on", "outcomes.error.due_on")))
            .ok(),
    };
    let indicator = Some(input.indicator.trim())
        .filter(|k| !k.is_empty())
        .map(str::to_owned);
    match (link, status) {
        (Some(link), Some(status)) if p.is_empty() => Ok(OutcomeFields {
            link,
            title,
            said,
            did,
            responsible,
            status,
            reason: if not_adopted { reason } else { Text::default() },
            due_on,
            indicator,
        }),
        _ => Err(in_page_order(p)),
    }
}

/// A timeline entry as typed: a status and a note in both languages.
pub fn check_update(
    status: &str,
    note_ar: &str,
    note_en: &str,
) -> Result<(OutcomeStatus, Text), Problems> {
    let mut p = Problems::new();
    let status = OutcomeStatus::from_code(status.trim());
    if status.is_none() {
        p.push(("status", "outcomes.error.status"));
    }
    let note = Text::new(
        text(note_ar, "note_ar", true, MAX_TEXT, &mut p),
        text(note_en, "note_en", true, MAX_TEXT, &mut p),
    );
    match status {
        Some(status) if p.is_empty() => Ok((status, note)),
        _ => Err(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> OutcomeInput {
        OutcomeInput {
            link: "topic:health".into(),
            title_ar: "عنوان".into(),
            title_en: "Title".into(),
            said_ar: "قلتم".into(),
            said_en: "You said".into(),
            did_ar: "فعلنا".into(),
            did_en: "We did".into(),
            responsible_ar: "إدارة".into(),
            responsible_en: "Department".into(),
            status: "planned".into(),
            due_on: "2027-03-31".into(),
            ..OutcomeInput::default()
        }
    }

    #[test]
    fn a_filled_form_passes() {
        let fields = check(&filled()).expect("valid");
        assert_eq!(fields.link, Link::Topic("health".into()));
        assert_eq!(fields.due_on, NaiveDate::from_ymd_opt(2027, 3, 31));
    }

    #[test]
    fn every_problem_is_named_at_once_in_page_order() {
        let input = OutcomeInput {
            link: "topic:nothing".into(),
            status: "maybe".into(),
            due_on: "31/03/2027".into(),
            ..OutcomeInput::default()
        };
        let problems = check(&input).expect_err("invalid");
        let fields: Vec<_> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                "link",
                "title_ar",
                "title_en",
                "said_ar",
                "said_en",
                "did_ar",
                "did_en",
                "responsible_ar",
                "responsible_en",
                "status",
                "due_on"
            ]
        );
    }

    #[test]
    fn not_adopted_needs_a_reason_in_both_languages() {
        let input = OutcomeInput {
            status: "not_adopted".into(),
            reason_ar: "السبب".into(),
            ..filled()
        };
        assert_eq!(
            check(&input).expect_err("no English reason"),
            [("reason_en", "outcomes.error.required")]
        );
    }

    #[test]
    fn a_reason_is_kept_only_when_not_adopted() {
        let input = OutcomeInput {
            reason_ar: "السبب".into(),
            ..filled()
        };
        assert!(check(&input).expect("valid").reason.is_empty());
    }

    #[test]
    fn links_read_back_as_written() {
        let id = Uuid::now_v7();
        let link = Link::Opportunity(id);
        assert_eq!(Link::parse(&link.code()), Some(link));
        assert_eq!(Link::parse("opportunity:not-an-id"), None);
    }
}
