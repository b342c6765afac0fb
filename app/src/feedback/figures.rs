//! The reply figures (MISSION.md §7.2: analyse satisfaction with the replies): cases in, first
//! reply times, the share answered within the service level, overdue now, the reopen rate, and
//! satisfaction, overall and by team, topic, channel or stakeholder group. Pure: the database
//! hands over one fact row per case.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Channel, StakeholderGroup};

/// What the figures need of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFacts {
    pub team: Option<Uuid>,
    pub topic: String,
    pub channel: Channel,
    pub group: Option<StakeholderGroup>,
    pub received_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub first_reply_at: Option<DateTime<Utc>>,
    /// Still owed a reply (new, assigned, reopened); a case waiting for the participant is not.
    pub owed: bool,
    pub reopened: bool,
    /// The ratings of its replies, 1 to 5.
    pub scores: Vec<u8>,
}

/// The figures of a set of cases.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub cases: usize,
    /// Cases with a first reply.
    pub answered: usize,
    /// Median and 90th percentile of the time to a first reply, in hours.
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    /// Of the cases whose reply is in or due, the share answered by their due time.
    pub within_level: Option<f64>,
    pub overdue_now: usize,
    /// Of the answered cases, the share reopened.
    pub reopen_rate: Option<f64>,
    pub satisfaction: Option<f64>,
    /// How many ratings gave 1, 2, 3, 4 and 5.
    pub ratings: [usize; 5],
}

/// The `q`-quantile of sorted values (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    // Nearest rank: at least 1, at most the count; both fit a usize.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted.get(rank - 1).copied()
}

#[allow(clippy::cast_precision_loss)]
fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The figures of `facts` at `now`.
pub fn figures(facts: &[&CaseFacts], now: DateTime<Utc>) -> Figures {
    let mut hours: Vec<f64> = facts
        .iter()
        .filter_map(|f| {
            f.first_reply_at
                .map(|at| (at - f.received_at).num_seconds())
        })
        .map(|seconds| seconds.max(0) as f64 / 3600.0)
        .collect();
    hours.sort_by(f64::total_cmp);
    let answered = hours.len();
    let met = facts
        .iter()
        .filter(|f| f.first_reply_at.is_some_and(|at| at <= f.due_at))
        .count();
    let overdue_now = facts.iter().filter(|f| f.owed && f.due_at <= now).count();
    // Due: answered, or owed and past due (an owed case not yet due has not had its chance).
    let due = answered
        + facts
            .iter()
            .filter(|f| f.first_reply_at.is_none() && f.owed && f.due_at <= now)
            .count();
    let mut ratings = [0usize; 5];
    let mut total = 0u64;
    for score in facts.iter().flat_map(|f| f.scores.iter()) {
        if let Some(slot) = ratings.get_mut(usize::from(score.saturating_sub(1))) {
            *slot += 1;
            total += u64::from(*score);
        }
    }
    let rated: usize = ratings.iter().sum();
    #[allow(clippy::cast_precision_loss)]
    let satisfaction = (rated > 0).then(|| total as f64 / rated as f64);
    let reopened = facts
        .iter()
        .filter(|f| f.reopened && f.first_reply_at.is_some())
        .count();
    Figures {
        cases: facts.len(),
        answered,
        median_hours: quantile(&hours, 0.5),
        p90_hours: quantile(&hours, 0.9),
        within_level: share(met, due),
        overdue_now,
        reopen_rate: share(reopened, answered),
        satisfaction,
        ratings,
    }
}

/// What the figures are broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Team,
    Topic,
    Channel,
    Group,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [
        Dimension::Team,
        Dimension::Topic,
        Dimension::Channel,
        Dimension::Group,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Dimension::Team => "team",
            Dimension::Topic => "topic",
            Dimension::Channel => "channel",
            Dimension::Group => "group",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }

    /// The key a case falls under (`""`: none, e.g. no team yet or no group said).
    pub fn key(self, facts: &CaseFacts) -> String {
        match self {
            Dimension::Team => facts.team.map(|t| t.to_string()).unwrap_or_default(),
            Dimension::Topic => facts.topic.clone(),
            Dimension::Channel => facts.channel.code().to_owned(),
            Dimension::Group => facts.group.map(|g| g.code().to_owned()).unwrap_or_default(),
        }
    }
}

/// The figures of each key of `by`, most cases first.
pub fn breakdown(facts: &[CaseFacts], by: Dimension, now: DateTime<Utc>) -> Vec<(String, Figures)> {
    let mut keys: Vec<String> = facts.iter().map(|f| by.key(f)).collect();
    keys.sort();
    keys.dedup();
    let mut rows: Vec<(String, Figures)> = keys
        .into_iter()
        .map(|key| {
            let of_key: Vec<&CaseFacts> = facts.iter().filter(|f| by.key(f) == key).collect();
            let figures = figures(&of_key, now);
            (key, figures)
        })
        .collect();
    rows.sort_by(|a, b| b.1.cases.cmp(&a.1.cases).then_with(|| a.0.cmp(&b.0)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn at(hours: i64) -> DateTime<Utc> {
        "2026-11-01T06:00:00Z"
            .parse::<DateTime<Utc>>()
            .expect("time")
            + Duration::hours(hours)
    }

    fn case(reply_after: Option<i64>, scores: &[u8]) -> CaseFacts {
        CaseFacts {
            team: None,
            topic: "health".into(),
            channel: Channel::Web,
            group: None,
            received_at: at(0),
            due_at: at(72),
            first_reply_at: reply_after.map(at),
            owed: reply_after.is_none(),
            reopened: false,
            scores: scores.to_vec(),
        }
    }

    #[test]
    fn reply_times_levels_and_satisfaction() {
        let cases = [
            case(Some(10), &[5]),
            case(Some(20), &[4, 2]),
            case(Some(100), &[]),
            case(None, &[]),
        ];
        let all: Vec<&CaseFacts> = cases.iter().collect();
        let f = figures(&all, at(200));
        assert_eq!(f.cases, 4);
        assert_eq!(f.answered, 3);
        assert_eq!(f.median_hours, Some(20.0));
        assert_eq!(f.p90_hours, Some(100.0));
        // Two of the three answered in time; the unanswered one is overdue: 2 of 4.
        assert_eq!(f.within_level, Some(0.5));
        assert_eq!(f.overdue_now, 1);
        assert_eq!(f.ratings, [0, 1, 0, 1, 1]);
        assert_eq!(f.satisfaction, Some(11.0 / 3.0));
    }

    #[test]
    fn a_case_not_yet_due_does_not_count_against_the_level() {
        let cases = [case(Some(10), &[]), case(None, &[])];
        let all: Vec<&CaseFacts> = cases.iter().collect();
        let f = figures(&all, at(30));
        assert_eq!(f.within_level, Some(1.0));
        assert_eq!(f.overdue_now, 0);
    }

    #[test]
    fn nothing_to_measure_is_none_not_zero() {
        let f = figures(&[], at(0));
        assert_eq!(f.median_hours, None);
        assert_eq!(f.within_level, None);
        assert_eq!(f.satisfaction, None);
    }

    #[test]
    fn breakdowns_group_by_the_key_most_cases_first() {
        let mut phone = case(Some(5), &[]);
        phone.channel = Channel::Phone;
        let cases = vec![case(Some(1), &[]), phone.clone(), phone];
        let rows = breakdown(&cases, Dimension::Channel, at(100));
        let keys: Vec<_> = rows.iter().map(|(k, f)| (k.as_str(), f.cases)).collect();
        assert_eq!(keys, [("phone", 2), ("web", 1)]);
    }
}
