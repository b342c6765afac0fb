//! Participation opportunities (MISSION.md §8: "the ministry continuously announces open
//! opportunities to take part"): surveys, consultations, workshops and events, shown in a public
//! catalogue, on the home page, in Atom and iCalendar feeds and through the API.
//!
//! Invariants: the public sees published opportunities only; an opportunity's status (open,
//! upcoming, closed) is never stored, it is computed from its dates and the time of asking
//! ([`status`]); kind `survey` rows belong to their survey (the survey code writes them, staff
//! cannot edit them here); target groups are [`StakeholderGroup`] codes, none meaning everyone.
//! The catalogue's filter and order are in `catalogue`, checking what staff submit in `rules`,
//! SQL in `db`, pages in `views` and `staff_views`.

#[cfg(feature = "ssr")]
pub mod actions;
pub mod catalogue;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod rules;
pub mod staff_views;
pub mod views;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Locale;
pub use crate::surveys::StakeholderGroup;
use crate::text::in_locale;
pub use catalogue::{FEATURED, Filter, catalogue_order, featured};

/// What kind of participation an opportunity offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OpportunityKind {
    /// A survey; the row is kept in step with its survey and edited there.
    Survey,
    /// A public consultation on a draft policy, service or initiative.
    Consultation,
    Workshop,
    Event,
}

impl OpportunityKind {
    pub const ALL: [OpportunityKind; 4] = [
        OpportunityKind::Survey,
        OpportunityKind::Consultation,
        OpportunityKind::Workshop,
        OpportunityKind::Event,
    ];

    /// The kinds staff create and edit on the opportunities pages (surveys are edited with
    /// their survey).
    pub const EDITABLE: [OpportunityKind; 3] = [
        OpportunityKind::Consultation,
        OpportunityKind::Workshop,
        OpportunityKind::Event,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OpportunityKind::Survey => "survey",
            OpportunityKind::Consultation => "consultation",
            OpportunityKind::Workshop => "workshop",
            OpportunityKind::Event => "event",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("opportunities.kind.{}", self.code())
    }
}

/// The topics an opportunity is filed under (each has a label `opportunities.topic.<code>`).
pub const TOPICS: [&str; 8] = [
    "education",
    "health",
    "economy",
    "environment",
    "digital_services",
    "social_services",
    "culture",
    "other",
];

/// The catalogue key of a topic's name.
pub fn topic_label_key(topic: &str) -> String {
    format!("opportunities.topic.{topic}")
}

/// Where an opportunity stands at a given moment, from its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Taking part is possible now.
    Open,
    /// Announced; it starts later.
    Upcoming,
    /// The deadline has passed.
    Closed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Open, Status::Upcoming, Status::Closed];

    pub fn code(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Upcoming => "upcoming",
            Status::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("opportunities.status.{}", self.code())
    }
}

/// The status of an opportunity with these dates at `now`: closed from its deadline on,
/// upcoming before its start, open otherwise (no dates: open until staff set a deadline).
pub fn status(
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Status {
    if ends_at.is_some_and(|deadline| deadline <= now) {
        Status::Closed
    } else if starts_at.is_some_and(|start| start > now) {
        Status::Upcoming
    } else {
        Status::Open
    }
}

/// A participation opportunity, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Opportunity {
    pub id: Uuid,
    pub kind: OpportunityKind,
    /// The survey this opportunity announces (kind `survey` only).
    pub survey_id: Option<Uuid>,
    pub title_ar: String,
    pub title_en: String,
    pub summary_ar: String,
    pub summary_en: String,
    pub body_ar: String,
    pub body_en: String,
    /// One of [`TOPICS`].
    pub topic: String,
    /// The stakeholder groups it is meant for; empty means everyone.
    pub groups: Vec<StakeholderGroup>,
    pub starts_at: Option<DateTime<Utc>>,
    /// The deadline to take part (or the end of the event).
    pub ends_at: Option<DateTime<Utc>>,
    pub location: String,
    /// An http(s) address with more information or where to join online.
    pub link: String,
    pub published: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Opportunity {
    pub fn title(&self, locale: Locale) -> &str {
        in_locale(locale, &self.title_ar, &self.title_en)
    }

    pub fn summary(&self, locale: Locale) -> &str {
        in_locale(locale, &self.summary_ar, &self.summary_en)
    }

    pub fn body(&self, locale: Locale) -> &str {
        in_locale(locale, &self.body_ar, &self.body_en)
    }

    pub fn status(&self, now: DateTime<Utc>) -> Status {
        status(self.starts_at, self.ends_at, now)
    }

    /// Whether it is meant for people of `group` (opportunities for everyone are).
    pub fn is_for(&self, group: StakeholderGroup) -> bool {
        self.groups.is_empty() || self.groups.contains(&group)
    }

    /// Its address on the site, in `locale` (`/en/opportunities/…`).
    pub fn path(&self, locale: Locale) -> String {
        format!("/{}/opportunities/{}", locale.code(), self.id)
    }
}

/// A published opportunity with its status at the time of asking, as the API lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Announced {
    #[serde(flatten)]
    pub opportunity: Opportunity,
    pub status: Status,
}

/// Opportunities to show, and the moment their statuses were computed for (so the browser
/// renders the same statuses as the server did).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub items: Vec<Opportunity>,
    pub now: DateTime<Utc>,
}

/// One opportunity (if there is one to show) and the moment of asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    pub opportunity: Option<Opportunity>,
    pub now: DateTime<Utc>,
    /// A periodic survey between two rounds: when the next opens (taking part waits).
    #[serde(default)]
    pub next_round: Option<DateTime<Utc>>,
}

/// The database for a public server function (anyone may call it; it shows public data only).
#[cfg(feature = "ssr")]
fn public_db() -> Result<crate::store::Db, leptos::prelude::ServerFnError> {
    leptos::prelude::use_context::<crate::store::Db>()
        .ok_or_else(|| leptos::prelude::ServerFnError::new("no database"))
}

/// The published opportunities a catalogue URL asks for, in catalogue order. Public.
#[leptos::server(endpoint = "opportunities/list")]
pub async fn list_opportunities(
    topic: Option<String>,
    group: Option<String>,
    status: Option<String>,
) -> Result<Listing, leptos::prelude::ServerFnError> {
    let db = public_db()?;
    let filter = Filter::from_query(topic.as_deref(), group.as_deref(), status.as_deref());
    let now = Utc::now();
    let items = db::list_published(&db, &filter, now)
        .await
        .map_err(crate::accounts::storage_failure("listing opportunities"))?;
    Ok(Listing { items, now })
}

/// The open opportunities the home page features. Public.
#[leptos::server(endpoint = "opportunities/featured")]
pub async fn featured_opportunities() -> Result<Listing, leptos::prelude::ServerFnError> {
    let db = public_db()?;
    let now = Utc::now();
    let filter = Filter {
        status: Some(Status::Open),
        ..Filter::default()
    };
    let items =
        db::list_published(&db, &filter, now)
            .await
            .map_err(crate::accounts::storage_failure(
                "listing featured opportunities",
            ))?;
    Ok(Listing {
        items: featured(items, now, FEATURED),
        now,
    })
}

/// One published opportunity; `None` when there is none with this id or it is unpublished.
/// Public.
#[leptos::server(endpoint = "opportunities/get")]
pub async fn get_opportunity(id: Uuid) -> Result<Shown, leptos::prelude::ServerFnError> {
    let db = public_db()?;
    let failed = crate::accounts::storage_failure("reading an opportunity");
    let now = Utc::now();
    let found = db::find(&db, id).await.map_err(&failed)?;
    let next_round = match found.as_ref().and_then(|o| o.survey_id) {
        Some(survey) => crate::responses::db::public_survey(&db, &survey.to_string(), now)
            .await
            .map_err(&failed)?
            .and_then(|s| s.next_round),
        None => None,
    };
    Ok(Shown {
        opportunity: found.filter(|o| o.published),
        now,
        next_round,
    })
}

/// Every opportunity, published or not, for staff; newest first.
#[leptos::server(endpoint = "opportunities/staff/list")]
pub async fn staff_opportunities() -> Result<Listing, leptos::prelude::ServerFnError> {
    use crate::accounts::{Permission, authorize, storage_failure};
    let db = authorize(Permission::ReadSurveys)?;
    let items = db::list_all(&db)
        .await
        .map_err(storage_failure("listing opportunities for staff"))?;
    Ok(Listing {
        items,
        now: Utc::now(),
    })
}

/// One opportunity in any state, for staff.
#[leptos::server(endpoint = "opportunities/staff/get")]
pub async fn staff_opportunity(id: Uuid) -> Result<Shown, leptos::prelude::ServerFnError> {
    use crate::accounts::{Permission, authorize, storage_failure};
    let db = authorize(Permission::ReadSurveys)?;
    let opportunity = db::find(&db, id)
        .await
        .map_err(storage_failure("reading an opportunity for staff"))?;
    Ok(Shown {
        opportunity,
        now: Utc::now(),
        next_round: None,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::Duration;

    pub(crate) fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("timestamp")
    }

    pub(crate) fn sample(
        starts_at: Option<DateTime<Utc>>,
        ends_at: Option<DateTime<Utc>>,
    ) -> Opportunity {
        let created = at("2026-01-01T00:00:00Z");
        Opportunity {
            id: Uuid::now_v7(),
            kind: OpportunityKind::Consultation,
            survey_id: None,
            title_ar: "استشارة".into(),
            title_en: String::new(),
            summary_ar: String::new(),
            summary_en: "Summary".into(),
            body_ar: String::new(),
            body_en: String::new(),
            topic: "health".into(),
            groups: vec![StakeholderGroup::Ngo],
            starts_at,
            ends_at,
            location: String::new(),
            link: String::new(),
            published: true,
            created_at: created,
            updated_at: created,
        }
    }

    #[test]
    fn status_is_upcoming_then_open_then_closed_at_the_deadline() {
        let now = at("2026-11-28T12:00:00Z");
        let (before, after) = (Some(now - Duration::days(1)), Some(now + Duration::days(1)));
        assert_eq!(status(None, None, now), Status::Open);
        assert_eq!(status(before, after, now), Status::Open);
        assert_eq!(
            status(Some(now), after, now),
            Status::Open,
            "open from its start"
        );
        assert_eq!(status(after, None, now), Status::Upcoming);
        assert_eq!(
            status(before, Some(now), now),
            Status::Closed,
            "closed at its deadline"
        );
        assert_eq!(status(None, before, now), Status::Closed);
        // A deadline before the start (refused by the rules, possible in old data) is closed.
        assert_eq!(status(after, before, now), Status::Closed);
    }

    #[test]
    fn text_falls_back_to_the_other_language() {
        let o = sample(None, None);
        assert_eq!(o.title(Locale::Ar), "استشارة");
        assert_eq!(o.title(Locale::En), "استشارة");
        assert_eq!(o.summary(Locale::Ar), "Summary");
    }
}
