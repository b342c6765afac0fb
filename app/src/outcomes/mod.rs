//! "You said, we did" (issue 17, MISSION.md §6.1, §7.3–§7.4): outcomes tell participants what
//! the ministry decided or changed because of what they said — for a survey, a consultation
//! (their opportunity) or a theme of feedback (a topic) — with the body responsible, a status
//! (planned, in progress, done, not adopted and why) and a timeline of progress.
//!
//! Invariants: the public sees published outcomes only. An outcome's linked results are frozen
//! at publication ([`Snapshot`]), so later responses do not change what was reported.
//! Publication and every change of status tell the people linked to it (`notify`) once per
//! change, in their language, never anyone who opted out; addresses kept only to hear back
//! are deleted once the outcome is final. Rules in `rules`, SQL in `db`, what staff do in
//! `actions`, pages in `views` and `staff_views`.

#[cfg(feature = "ssr")]
pub mod actions;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod notify;
pub mod retention;
pub mod rules;
pub mod staff_views;
pub mod views;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Locale;
use crate::results::Trend;
use crate::text::Text;

/// Where an outcome stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OutcomeStatus {
    Planned,
    InProgress,
    Done,
    /// Not adopted: the outcome says why.
    NotAdopted,
}

impl OutcomeStatus {
    pub const ALL: [OutcomeStatus; 4] = [
        OutcomeStatus::Planned,
        OutcomeStatus::InProgress,
        OutcomeStatus::Done,
        OutcomeStatus::NotAdopted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OutcomeStatus::Planned => "planned",
            OutcomeStatus::InProgress => "in_progress",
            OutcomeStatus::Done => "done",
            OutcomeStatus::NotAdopted => "not_adopted",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("outcomes.status.{}", self.code())
    }

    /// Done or not adopted: nothing more will change, so addresses kept to hear back go.
    pub fn is_final(self) -> bool {
        matches!(self, OutcomeStatus::Done | OutcomeStatus::NotAdopted)
    }
}

/// The linked results as they were when the outcome was published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub taken_at: DateTime<Utc>,
    /// Survey responses behind it (`None`: no survey, or too few to show).
    pub responses: Option<i64>,
    /// The public results' address key (slug or id), when they are public.
    pub results_key: Option<String>,
    /// Published comments on the consultation.
    pub comments: Option<i64>,
    /// Feedback cases on the opportunity or topic.
    pub feedback: Option<i64>,
    /// The indicator's figure per wave, in each language (with its chart).
    pub indicator_ar: Option<Trend>,
    pub indicator_en: Option<Trend>,
}

impl Snapshot {
    pub fn indicator(&self, locale: Locale) -> Option<&Trend> {
        match locale {
            Locale::Ar => self.indicator_ar.as_ref(),
            Locale::En => self.indicator_en.as_ref(),
        }
    }
}

/// An outcome, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub id: Uuid,
    /// The survey's or consultation's opportunity it answers.
    pub opportunity_id: Option<Uuid>,
    /// Or the feedback topic it answers.
    pub feedback_topic: Option<String>,
    /// The topic it is listed under.
    pub topic: String,
    pub title: Text,
    /// "You said": what people said, in summary.
    pub said: Text,
    /// "We did": the decision or change.
    pub did: Text,
    /// The body responsible for it.
    pub responsible: Text,
    pub status: OutcomeStatus,
    /// Why it was not adopted.
    pub reason: Text,
    pub due_on: Option<NaiveDate>,
    /// The survey question whose key figure per wave is the before/after indicator.
    pub indicator: Option<String>,
    pub snapshot: Option<Snapshot>,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Outcome {
    /// Its public address in `locale`.
    pub fn path(&self, locale: Locale) -> String {
        outcome_path(locale, self.id)
    }
}

pub fn outcome_path(locale: Locale, id: Uuid) -> String {
    format!("/{}/outcomes/{id}", locale.code())
}

pub fn list_path(locale: Locale) -> String {
    format!("/{}/outcomes", locale.code())
}

pub fn staff_path(locale: Locale, id: Uuid) -> String {
    format!("/{}/staff/outcomes/{id}", locale.code())
}

/// One entry of an outcome's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update {
    pub id: Uuid,
    pub status: OutcomeStatus,
    pub note: Text,
    /// Whether the people linked were told of it.
    pub notified: bool,
    pub created_at: DateTime<Utc>,
}

/// An outcome with its timeline and what it answers, as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shown {
    pub outcome: Outcome,
    pub updates: Vec<Update>,
    /// The opportunity's title, when it answers one.
    pub opportunity: Option<Text>,
    /// People told of its changes so far (staff only; 0 on public pages).
    pub notified: i64,
}

/// What the public outcomes list asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub topic: Option<String>,
    pub status: Option<OutcomeStatus>,
}

impl Filter {
    /// The filter a URL asks for; unknown values are ignored.
    pub fn from_query(topic: Option<&str>, status: Option<&str>) -> Self {
        Filter {
            topic: topic
                .filter(|t| crate::opportunities::TOPICS.contains(t))
                .map(str::to_owned),
            status: status.and_then(OutcomeStatus::from_code),
        }
    }
}

/// What an opportunity page shows under "Results and what changed".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosingLoop {
    /// The public results' key, when the survey's results are public.
    pub results_key: Option<String>,
    /// The published outcomes answering it, newest first.
    pub outcomes: Vec<Outcome>,
}

/// What the staff form offers to link an outcome to: (opportunity id, title) and, for
/// surveys, their choice questions as indicators.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Choices {
    pub opportunities: Vec<(Uuid, Text)>,
    /// (opportunity, question key, label) of every survey question with a figure per wave.
    pub indicators: Vec<(Uuid, String, Text)>,
}

#[cfg(feature = "ssr")]
fn public_db() -> Result<crate::store::Db, leptos::prelude::ServerFnError> {
    leptos::prelude::use_context::<crate::store::Db>()
        .ok_or_else(|| leptos::prelude::ServerFnError::new("no database"))
}

/// The published outcomes a list URL asks for, newest first. Public.
#[leptos::server(endpoint = "outcomes/list")]
pub async fn list_outcomes(
    topic: Option<String>,
    status: Option<String>,
) -> Result<Vec<Outcome>, leptos::prelude::ServerFnError> {
    let db = public_db()?;
    let filter = Filter::from_query(topic.as_deref(), status.as_deref());
    db::list_published(&db, &filter)
        .await
        .map_err(crate::accounts::storage_failure("listing outcomes"))
}

/// Surveys whose results are published: (address key, title), most recent first. Public.
#[leptos::server(endpoint = "outcomes/results")]
pub async fn published_results() -> Result<Vec<(String, Text)>, leptos::prelude::ServerFnError> {
    let db = public_db()?;
    db::published_results(&db)
        .await
        .map_err(crate::accounts::storage_failure(
            "listing published results",
        ))
}

/// One published outcome with its timeline; `None` when there is none to show. Public.
#[leptos::server(endpoint = "outcomes/get")]
pub async fn get_outcome(id: Uuid) -> Result<Option<Shown>, leptos::prelude::ServerFnError> {
    let db = public_db()?;
    let shown = db::shown(&db, id)
        .await
        .map_err(crate::accounts::storage_failure("reading an outcome"))?;
    Ok(shown
        .filter(|s| s.outcome.published_at.is_some())
        .map(|s| Shown { notified: 0, ..s }))
}

/// The public results and published outcomes of an opportunity. Public.
#[leptos::server(endpoint = "outcomes/closing_loop")]
pub async fn opportunity_outcomes(
    opportunity: Uuid,
) -> Result<ClosingLoop, leptos::prelude::ServerFnError> {
    let db = public_db()?;
    db::closing_loop(&db, opportunity)
        .await
        .map_err(crate::accounts::storage_failure(
            "reading an opportunity's outcomes",
        ))
}

/// Every outcome, drafts too, newest first. Staff who read surveys.
#[leptos::server(endpoint = "outcomes/staff/list")]
pub async fn staff_outcomes() -> Result<Vec<Outcome>, leptos::prelude::ServerFnError> {
    use crate::accounts::{Permission, authorize, storage_failure};
    let db = authorize(Permission::ReadSurveys)?;
    db::list_all(&db)
        .await
        .map_err(storage_failure("listing outcomes for staff"))
}

/// One outcome in any state with what its form offers; `None` for an unknown id (and the
/// new-outcome form asks with `None`). Staff who read surveys.
#[leptos::server(endpoint = "outcomes/staff/get")]
pub async fn staff_outcome(
    id: Option<Uuid>,
) -> Result<(Option<Shown>, Choices), leptos::prelude::ServerFnError> {
    use crate::accounts::{Permission, authorize, storage_failure};
    let db = authorize(Permission::ReadSurveys)?;
    let failed = storage_failure("reading an outcome for staff");
    let shown = match id {
        Some(id) => db::shown(&db, id).await.map_err(&failed)?,
        None => None,
    };
    let choices = db::choices(&db).await.map_err(&failed)?;
    Ok((shown, choices))
}
