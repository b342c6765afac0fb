//! What the public catalogue shows and in which order: the filter a catalogue URL asks for
//! (topic, stakeholder group, status), the catalogue's order, and the few open opportunities
//! the home page features. Pure: the time of asking is a parameter.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Opportunity, StakeholderGroup, Status, TOPICS};

/// What the catalogue shows: each query value is `None` for "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub topic: Option<String>,
    pub group: Option<StakeholderGroup>,
    pub status: Option<Status>,
}

impl Filter {
    /// The filter a catalogue URL asks for. Unknown values are ignored (a shared link with a
    /// stale topic still shows the catalogue).
    pub fn from_query(topic: Option<&str>, group: Option<&str>, status: Option<&str>) -> Self {
        Filter {
            topic: topic.filter(|t| TOPICS.contains(t)).map(str::to_owned),
            group: group.and_then(StakeholderGroup::from_code),
            status: status.and_then(Status::from_code),
        }
    }

    /// Whether an opportunity passes this filter at `now`.
    pub fn admits(&self, opportunity: &Opportunity, now: DateTime<Utc>) -> bool {
        self.topic.as_ref().is_none_or(|t| *t == opportunity.topic)
            && self.group.is_none_or(|g| opportunity.is_for(g))
            && self.status.is_none_or(|s| opportunity.status(now) == s)
    }

    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }
}

/// Catalogue order: open ones first, soonest deadline first; then upcoming ones, soonest start
/// first; then closed ones, most recently closed first.
pub fn catalogue_order(items: &mut [Opportunity], now: DateTime<Utc>) {
    let far = DateTime::<Utc>::MAX_UTC;
    items.sort_by(|a, b| {
        let (sa, sb) = (a.status(now), b.status(now));
        let rank = |s: Status| Status::ALL.iter().position(|x| *x == s);
        rank(sa).cmp(&rank(sb)).then_with(|| match sa {
            Status::Open => a.ends_at.unwrap_or(far).cmp(&b.ends_at.unwrap_or(far)),
            Status::Upcoming => a.starts_at.cmp(&b.starts_at),
            Status::Closed => b.ends_at.cmp(&a.ends_at),
        })
    });
}

/// How many open opportunities the home page features.
pub const FEATURED: usize = 3;

/// The open ones among `items`, the soonest deadline first (the most urgent chance to take
/// part; no deadline last), at most `limit`.
pub fn featured(items: Vec<Opportunity>, now: DateTime<Utc>, limit: usize) -> Vec<Opportunity> {
    let mut open: Vec<Opportunity> = items
        .into_iter()
        .filter(|o| o.status(now) == Status::Open)
        .collect();
    open.sort_by(|a, b| match (a.ends_at, b.ends_at) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => b.created_at.cmp(&a.created_at),
    });
    open.truncate(limit);
    open
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opportunities::tests::{at, sample};
    use chrono::Duration;
    use uuid::Uuid;

    #[test]
    fn filters_ignore_unknown_values_and_everyone_matches_any_group() {
        let filter = Filter::from_query(Some("space"), Some("robot"), Some("soon"));
        assert!(filter.is_empty());
        let filter = Filter::from_query(Some("health"), Some("ngo"), Some("open"));
        let now = at("2026-11-28T12:00:00Z");
        let mut o = sample(None, None);
        assert!(filter.admits(&o, now));
        o.groups = vec![StakeholderGroup::Citizen];
        assert!(!filter.admits(&o, now));
        o.groups.clear();
        assert!(
            filter.admits(&o, now),
            "an opportunity for everyone is for NGOs too"
        );
        o.topic = "culture".into();
        assert!(!filter.admits(&o, now));
        o.topic = "health".into();
        o.ends_at = Some(now);
        assert!(!filter.admits(&o, now));
    }

    #[test]
    fn the_catalogue_lists_open_then_upcoming_then_closed() {
        let now = at("2026-11-28T12:00:00Z");
        let day = Duration::days(1);
        let open_late = sample(None, Some(now + day * 9));
        let open_soon = sample(Some(now - day), Some(now + day));
        let open_forever = sample(None, None);
        let upcoming = sample(Some(now + day * 3), None);
        let closed_long_ago = sample(None, Some(now - day * 30));
        let closed_lately = sample(None, Some(now - day));
        let mut items = vec![
            closed_long_ago.clone(),
            upcoming.clone(),
            open_forever.clone(),
            closed_lately.clone(),
            open_late.clone(),
            open_soon.clone(),
        ];
        catalogue_order(&mut items, now);
        let ids: Vec<Uuid> = items.iter().map(|o| o.id).collect();
        let expected: Vec<Uuid> = [
            open_soon,
            open_late,
            open_forever,
            upcoming,
            closed_lately,
            closed_long_ago,
        ]
        .iter()
        .map(|o| o.id)
        .collect();
        assert_eq!(ids, expected);
    }

    #[test]
    fn the_home_page_features_open_ones_soonest_deadline_first() {
        let now = at("2026-11-28T12:00:00Z");
        let day = Duration::days(1);
        let soon = sample(None, Some(now + day));
        let later = sample(None, Some(now + day * 5));
        let endless = sample(None, None);
        let closed = sample(None, Some(now - day));
        let upcoming = sample(Some(now + day), None);
        let shown = featured(
            vec![
                soon.clone(),
                closed,
                endless.clone(),
                later.clone(),
                upcoming,
            ],
            now,
            3,
        );
        let ids: Vec<Uuid> = shown.iter().map(|o| o.id).collect();
        assert_eq!(ids, vec![soon.id, later.id, endless.id]);
        assert_eq!(featured(vec![soon, later], now, 1).len(), 1);
    }
}
