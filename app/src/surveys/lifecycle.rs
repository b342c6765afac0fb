//! A survey's lifecycle and its periodic waves, as pure rules.
//!
//! draft → scheduled (publish before `opens_at`) → open → closed (at `closes_at`, or by hand)
//! → archived. Publishing with `opens_at` already past opens at once. The background job
//! applies [`due_status`] to stored surveys; every transition an author asks for goes through
//! [`can_move`].

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Scheduled,
    Open,
    Closed,
    Archived,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Draft,
        Status::Scheduled,
        Status::Open,
        Status::Closed,
        Status::Archived,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Scheduled => "scheduled",
            Status::Open => "open",
            Status::Closed => "closed",
            Status::Archived => "archived",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("surveys.status.{}", self.code())
    }

    /// Whether participants can see it at all (the catalogue lists it).
    pub fn is_public(self) -> bool {
        matches!(self, Status::Scheduled | Status::Open | Status::Closed)
    }
}

/// What an author can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Publish,
    CloseNow,
    Reopen,
    Archive,
    BackToDraft,
}

impl Move {
    pub const ALL: [Move; 5] = [
        Move::Publish,
        Move::CloseNow,
        Move::Reopen,
        Move::Archive,
        Move::BackToDraft,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Move::Publish => "publish",
            Move::CloseNow => "close",
            Move::Reopen => "reopen",
            Move::Archive => "archive",
            Move::BackToDraft => "unpublish",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// The status a move leads to from `from`, or `None` when it is not allowed. `has_responses`
/// forbids going back to draft (a draft can be edited freely).
pub fn can_move(
    from: Status,
    action: Move,
    opens_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
    has_responses: bool,
    now: DateTime<Utc>,
) -> Option<Status> {
    match (from, action) {
        (Status::Draft, Move::Publish) => {
            Some(due_status(Status::Scheduled, opens_at, closes_at, now))
        }
        (Status::Scheduled | Status::Open, Move::CloseNow) => Some(Status::Closed),
        (Status::Closed, Move::Reopen) if closes_at.is_none_or(|at| at > now) => Some(Status::Open),
        (Status::Closed | Status::Draft, Move::Archive) => Some(Status::Archived),
        (Status::Scheduled, Move::BackToDraft) => Some(Status::Draft),
        (Status::Open, Move::BackToDraft) if !has_responses => Some(Status::Draft),
        _ => None,
    }
}

/// The status a published survey should have now, by its dates: scheduled until `opens_at`,
/// open until `closes_at`, then closed. Draft and archived surveys stay as they are.
pub fn due_status(
    status: Status,
    opens_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Status {
    match status {
        Status::Scheduled | Status::Open => {
            if closes_at.is_some_and(|at| at <= now) {
                Status::Closed
            } else if opens_at.is_none_or(|at| at <= now) {
                Status::Open
            } else {
                Status::Scheduled
            }
        }
        other => other,
    }
}

/// How often a periodic survey runs a new wave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Recurrence {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

impl Recurrence {
    pub const ALL: [Recurrence; 4] = [
        Recurrence::Monthly,
        Recurrence::Quarterly,
        Recurrence::HalfYearly,
        Recurrence::Yearly,
    ];

    pub fn months(self) -> u32 {
        match self {
            Recurrence::Monthly => 1,
            Recurrence::Quarterly => 3,
            Recurrence::HalfYearly => 6,
            Recurrence::Yearly => 12,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Recurrence::Monthly => "monthly",
            Recurrence::Quarterly => "quarterly",
            Recurrence::HalfYearly => "half_yearly",
            Recurrence::Yearly => "yearly",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// One occurrence of a periodic survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveDates {
    /// 1 for the first wave.
    pub number: u32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

/// Wave `number` of a survey whose first wave opens at `first_opens_at` and stays open for
/// `open_days`: each wave opens `recurrence` months after the one before (calendar months,
/// clamped to the month's last day, always counted from the first wave so days do not drift).
pub fn wave(
    recurrence: Recurrence,
    first_opens_at: DateTime<Utc>,
    open_days: u32,
    number: u32,
) -> Option<WaveDates> {
    let months = recurrence.months().checked_mul(number.checked_sub(1)?)?;
    let opens_at = first_opens_at.checked_add_months(Months::new(months))?;
    let closes_at = opens_at.checked_add_signed(chrono::Duration::days(open_days.into()))?;
    Some(WaveDates {
        number,
        opens_at,
        closes_at,
    })
}

/// A survey's waves in order, from the first (at most 10,000).
fn waves(
    recurrence: Recurrence,
    first_opens_at: DateTime<Utc>,
    open_days: u32,
) -> impl Iterator<Item = WaveDates> {
    (1..=10_000).map_while(move |n| wave(recurrence, first_opens_at, open_days, n))
}

/// The waves that should exist by `now`: every wave whose opening time has come.
pub fn waves_due(
    recurrence: Recurrence,
    first_opens_at: DateTime<Utc>,
    open_days: u32,
    now: DateTime<Utc>,
) -> Vec<WaveDates> {
    waves(recurrence, first_opens_at, open_days)
        .take_while(|w| w.opens_at <= now)
        .collect()
}

/// The first wave that opens after `now`, if the survey has one.
pub fn next_wave(
    recurrence: Recurrence,
    first_opens_at: DateTime<Utc>,
    open_days: u32,
    now: DateTime<Utc>,
) -> Option<WaveDates> {
    waves(recurrence, first_opens_at, open_days).find(|w| w.opens_at > now)
}

/// Midnight UAE time at the start of a date (form dates have no time; the ministry's day).
pub fn start_of(date: NaiveDate) -> DateTime<Utc> {
    crate::dates::from_uae(date.and_time(chrono::NaiveTime::MIN))
}

/// A short label for a wave, e.g. "2026-Q3" for quarterly waves or "2026-11" for monthly, by
/// the date it opens in UAE time (a wave opening at midnight on 1 October is in Q4).
pub fn wave_label(recurrence: Recurrence, opens_at: DateTime<Utc>) -> String {
    let opens_at = crate::dates::in_uae(opens_at);
    let year = opens_at.year();
    match recurrence {
        Recurrence::Monthly => format!("{year}-{:02}", opens_at.month()),
        Recurrence::Quarterly => format!("{year}-Q{}", (opens_at.month() - 1) / 3 + 1),
        Recurrence::HalfYearly => format!("{year}-H{}", (opens_at.month() - 1) / 6 + 1),
        Recurrence::Yearly => year.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("timestamp")
    }

    #[test]
    fn publishing_schedules_or_opens_by_the_dates_and_closing_follows_the_deadline() {
        let now = at("2026-11-28T12:00:00Z");
        let later = Some(now + Duration::days(3));
        let earlier = Some(now - Duration::days(3));
        assert_eq!(
            can_move(Status::Draft, Move::Publish, later, None, false, now),
            Some(Status::Scheduled)
        );
        assert_eq!(
            can_move(Status::Draft, Move::Publish, earlier, later, false, now),
            Some(Status::Open)
        );
        assert_eq!(
            can_move(Status::Draft, Move::Publish, None, None, false, now),
            Some(Status::Open)
        );
        assert_eq!(
            can_move(Status::Draft, Move::Publish, earlier, earlier, false, now),
            Some(Status::Closed)
        );
        assert_eq!(
            due_status(Status::Open, earlier, Some(now), now),
            Status::Closed
        );
        assert_eq!(
            due_status(Status::Scheduled, Some(now), later, now),
            Status::Open
        );
        assert_eq!(
            due_status(Status::Draft, earlier, earlier, now),
            Status::Draft
        );
        assert_eq!(
            due_status(Status::Archived, None, None, now),
            Status::Archived
        );
    }

    #[test]
    fn moves_are_limited_to_the_lifecycle() {
        let now = at("2026-11-28T12:00:00Z");
        assert_eq!(
            can_move(Status::Open, Move::CloseNow, None, None, true, now),
            Some(Status::Closed)
        );
        assert_eq!(
            can_move(Status::Open, Move::BackToDraft, None, None, true, now),
            None
        );
        assert_eq!(
            can_move(Status::Open, Move::BackToDraft, None, None, false, now),
            Some(Status::Draft)
        );
        assert_eq!(
            can_move(
                Status::Closed,
                Move::Reopen,
                None,
                Some(now - Duration::hours(1)),
                true,
                now
            ),
            None
        );
        assert_eq!(
            can_move(Status::Closed, Move::Archive, None, None, true, now),
            Some(Status::Archived)
        );
        assert_eq!(
            can_move(Status::Archived, Move::Publish, None, None, false, now),
            None
        );
        assert_eq!(
            can_move(Status::Open, Move::Publish, None, None, false, now),
            None
        );
    }

    #[test]
    fn waves_follow_calendar_months_from_the_first() {
        let first = at("2026-01-31T00:00:00Z");
        let second = wave(Recurrence::Monthly, first, 14, 2).expect("wave");
        assert_eq!(
            second.opens_at,
            at("2026-02-28T00:00:00Z"),
            "clamped to February's end"
        );
        let third = wave(Recurrence::Monthly, first, 14, 3).expect("wave");
        assert_eq!(
            third.opens_at,
            at("2026-03-31T00:00:00Z"),
            "no drift from clamping"
        );
        assert_eq!(third.closes_at, at("2026-04-14T00:00:00Z"));
        let due = waves_due(
            Recurrence::Quarterly,
            at("2026-01-01T00:00:00Z"),
            30,
            at("2026-11-28T00:00:00Z"),
        );
        assert_eq!(
            due.iter().map(|w| w.number).collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
        assert_eq!(
            wave_label(Recurrence::Quarterly, due[3].opens_at),
            "2026-Q4"
        );
        assert_eq!(wave(Recurrence::Yearly, first, 1, 0), None);
    }
}
