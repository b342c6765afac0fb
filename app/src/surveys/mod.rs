//! Surveys and consultations: their definitions (`model`), show-if rules (`conditions`),
//! checks for publishing and importing (`validate`), lifecycle and periodic waves
//! (`lifecycle`), storage (`db`), and the staff editor and preview (`editor`, `render`).
//! Every survey is also a participation opportunity (`crate::opportunities`).

#[cfg(feature = "ssr")]
pub mod actions;
pub mod conditions;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod editor;
pub mod lifecycle;
pub mod model;
pub mod render;
pub mod validate;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use crate::groups::StakeholderGroup;
pub use lifecycle::{Recurrence, Status};
pub use model::Definition;

/// A survey as the staff list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SurveySummary {
    pub id: Uuid,
    pub title_ar: String,
    pub title_en: String,
    pub status: Status,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub recurrence: Option<Recurrence>,
    pub updated_at: DateTime<Utc>,
    /// How many questions it asks (besides the stakeholder group).
    pub questions: u32,
    /// How many responses it has had (every wave).
    pub responses: i64,
}

/// A stored survey: its settings and definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    pub id: Uuid,
    pub status: Status,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub recurrence: Option<Recurrence>,
    /// For periodic surveys: how many days each wave stays open.
    pub wave_days: Option<u32>,
    pub definition: Definition,
    /// Incremented by every saved change; older versions are kept.
    pub version: u32,
    /// Changes staged on a survey participants can see, waiting to be published as its next
    /// version (issue 21 §1); participants see `definition` meanwhile.
    pub draft: Option<Definition>,
    /// Counts every change to the draft, for compare-and-set.
    pub draft_revision: u32,
    pub has_responses: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One occurrence of a periodic survey, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Wave {
    pub id: Uuid,
    pub number: u32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

/// What an editor's change was made from: the survey's version and its draft's revision,
/// written `3.5` in the editor's forms. Either having moved since means someone else saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub version: u32,
    pub draft_revision: u32,
}

impl Seen {
    /// Reads a form's `version` field (`3` alone: a survey that never had a draft); `None`
    /// when it was not made from any saved survey.
    pub fn parse(text: &str) -> Option<Seen> {
        let text = text.trim();
        let (version, draft) = text.split_once('.').unwrap_or((text, "0"));
        Some(Seen {
            version: version.parse().ok()?,
            draft_revision: draft.parse().ok()?,
        })
    }
}

impl std::fmt::Display for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.version, self.draft_revision)
    }
}

impl Survey {
    /// What the editor's forms carry back, to detect someone else's change.
    pub fn seen(&self) -> Seen {
        Seen {
            version: self.version,
            draft_revision: self.draft_revision,
        }
    }

    /// Whether participants can see it (or soon will): changes to it are staged.
    pub fn is_live(&self) -> bool {
        matches!(
            self.status,
            Status::Scheduled | Status::Open | Status::Closed
        )
    }

    /// What stands in the way of publishing: the definition's problems
    /// ([`validate::for_publishing`]) and, for a periodic survey, a missing opening date (its
    /// first wave opens then). Empty: it can be published. The editor, the form handler and the
    /// API all ask this.
    pub fn publishing_problems(&self) -> Vec<validate::Problem> {
        let mut problems = validate::for_publishing(&self.definition);
        if self.recurrence.is_some() && self.opens_at.is_none() {
            problems.push(validate::Problem {
                path: "$".into(),
                code: "periodic_needs_start".into(),
                detail: String::new(),
            });
        }
        problems
    }
}
