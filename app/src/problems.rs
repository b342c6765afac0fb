//! What a page shows beside what was typed when something does not hold: a survey
//! definition's problems by JSON path ([`Problem`], found by `surveys::validate`) and a
//! participant's answers' problems by question ([`AnswerError`], found by `responses::check`).
//! They live here, below the domains, because the page state carries both.

use serde::{Deserialize, Serialize};

/// One problem: where (a JSON path), what (a catalogue key under `validate.`), and a detail
/// to put into the message (a key, a number), if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Problem {
    pub path: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// A problem with one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerError {
    /// The question's key (`stakeholder_group` for the built-in question).
    pub question: String,
    /// The id of the input to move to (the first one of a group).
    pub field: String,
    /// The catalogue key of the message, under `answer_errors.`.
    pub code: String,
    /// Values for the message's placeholders.
    pub args: Vec<(String, String)>,
}
