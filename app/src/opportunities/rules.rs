//! Checking what staff submit for an opportunity, through the staff form or the API: the same
//! rules for both, so a problem reads the same wherever it was made.
//!
//! Rules: a kind staff may edit (not `survey`); a title in both languages; a topic from
//! [`TOPICS`]; target groups from the stakeholder groups; a deadline not before the start; a
//! link, if any, that is an http(s) web address; lengths within reason.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::{OpportunityKind, StakeholderGroup, TOPICS};

pub const MAX_TITLE: usize = 200;
pub const MAX_SUMMARY: usize = 600;
pub const MAX_BODY: usize = 20_000;
pub const MAX_LOCATION: usize = 300;
pub const MAX_LINK: usize = 2_000;

/// The form's fields in page order: problems are reported in this order.
pub const FIELDS: [&str; 14] = [
    "",
    "kind",
    "title_ar",
    "title_en",
    "summary_ar",
    "summary_en",
    "body_ar",
    "body_en",
    "topic",
    "groups",
    "starts_at",
    "ends_at",
    "location",
    "link",
];

/// What staff submit for an opportunity, before it is checked (the API's JSON body).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct OpportunityInput {
    /// `consultation`, `workshop` or `event`.
    pub kind: String,
    pub title_ar: String,
    pub title_en: String,
    pub summary_ar: String,
    pub summary_en: String,
    pub body_ar: String,
    pub body_en: String,
    /// One of `education`, `health`, `economy`, `environment`, `digital_services`,
    /// `social_services`, `culture`, `other`.
    pub topic: String,
    /// Stakeholder group codes (`citizen`, `resident`, `government_entity`, `ngo`,
    /// `private_company`, `expert`, `academic`); none for everyone.
    pub groups: Vec<String>,
    pub starts_at: Option<DateTime<Utc>>,
    /// The deadline: not before `starts_at`.
    pub ends_at: Option<DateTime<Utc>>,
    pub location: String,
    /// An http:// or https:// address, or empty.
    pub link: String,
    pub published: bool,
}

/// An opportunity's checked content, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpportunityFields {
    pub kind: OpportunityKind,
    pub title_ar: String,
    pub title_en: String,
    pub summary_ar: String,
    pub summary_en: String,
    pub body_ar: String,
    pub body_en: String,
    pub topic: String,
    pub groups: Vec<StakeholderGroup>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub location: String,
    pub link: String,
    pub published: bool,
}

/// What is wrong: (field, catalogue key of the message) pairs, in page order.
pub type Problems = Vec<(&'static str, &'static str)>;

/// Puts problems in the order of the fields on the page.
pub fn in_page_order(mut problems: Problems) -> Problems {
    problems.sort_by_key(|(field, _)| FIELDS.iter().position(|f| f == field));
    problems
}

/// Checks a text: trimmed, required or not, at most `max` characters.
fn text(
    value: &str,
    field: &'static str,
    required: Option<&'static str>,
    max: usize,
    too_long: &'static str,
    problems: &mut Problems,
) -> String {
    let value = value.trim();
    match required {
        Some(key) if value.is_empty() => problems.push((field, key)),
        _ if value.chars().count() > max => problems.push((field, too_long)),
        _ => {}
    }
    value.to_owned()
}

/// The checked content, or every problem with it.
pub fn check(input: &OpportunityInput) -> Result<OpportunityFields, Problems> {
    let mut p = Problems::new();
    let kind = OpportunityKind::from_code(input.kind.trim())
        .filter(|k| OpportunityKind::EDITABLE.contains(k));
    if kind.is_none() {
        p.push(("kind", "opportunities.error.kind_invalid"));
    }
    let title_ar = text(
        &input.title_ar,
        "title_ar",
        Some("opportunities.error.title_ar_required"),
        MAX_TITLE,
        "opportunities.error.title_ar_too_long",
        &mut p,
    );
    let title_en = text(
        &input.title_en,
        "title_en",
        Some("opportunities.error.title_en_required"),
        MAX_TITLE,
        "opportunities.error.title_en_too_long",
        &mut p,
    );
    let summary_ar = text(
        &input.summary_ar,
        "summary_ar",
        None,
        MAX_SUMMARY,
        "opportunities.error.summary_ar_too_long",
        &mut p,
    );
    let summary_en = text(
        &input.summary_en,
        "summary_en",
        None,
        MAX_SUMMARY,
        "opportunities.error.summary_en_too_long",
        &mut p,
    );
    let body_ar = text(
        &input.body_ar,
        "body_ar",
        None,
        MAX_BODY,
        "opportunities.error.body_ar_too_long",
        &mut p,
    );
    let body_en = text(
        &input.body_en,
        "body_en",
        None,
        MAX_BODY,
        "opportunities.error.body_en_too_long",
        &mut p,
    );
    let topic = input.topic.trim().to_owned();
    if !TOPICS.contains(&topic.as_str()) {
        p.push(("topic", "opportunities.error.topic_invalid"));
    }
    let groups = check_groups(&input.groups, &mut p);
    if let (Some(start), Some(deadline)) = (input.starts_at, input.ends_at)
        && deadline < start
    {
        p.push(("ends_at", "opportunities.error.ends_before_start"));
    }
    let location = text(
        &input.location,
        "location",
        None,
        MAX_LOCATION,
        "opportunities.error.location_too_long",
        &mut p,
    );
    let link = input.link.trim().to_owned();
    if !link.is_empty() && !is_web_address(&link) {
        p.push(("link", "opportunities.error.link_invalid"));
    }
    // Listed as open only with a way to take part: a workshop or event needs a place or a link
    // (a consultation has its comments; a survey its form).
    if input.published
        && matches!(
            kind,
            Some(OpportunityKind::Workshop | OpportunityKind::Event)
        )
        && location.is_empty()
        && link.is_empty()
    {
        p.push(("location", "opportunities.error.no_way_in"));
    }
    match kind {
        Some(kind) if p.is_empty() => Ok(OpportunityFields {
            kind,
            title_ar,
            title_en,
            summary_ar,
            summary_en,
            body_ar,
            body_en,
            topic,
            groups,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            location,
            link,
            published: input.published,
        }),
        _ => Err(in_page_order(p)),
    }
}

/// The stakeholder groups named by `codes`, each once, in the policy's order.
fn check_groups(codes: &[String], problems: &mut Problems) -> Vec<StakeholderGroup> {
    let chosen: Vec<Option<StakeholderGroup>> = codes
        .iter()
        .map(|c| StakeholderGroup::from_code(c.trim()))
        .collect();
    if chosen.iter().any(Option::is_none) {
        problems.push(("groups", "opportunities.error.groups_invalid"));
    }
    StakeholderGroup::ALL
        .into_iter()
        .filter(|g| chosen.contains(&Some(*g)))
        .collect()
}

/// Whether `link` is an absolute http(s) address with a host, safe to put in an `href`.
pub fn is_web_address(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_ok = !host.is_empty()
        && !host.starts_with(['.', ':'])
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | ':' | '[' | ']'));
    let clean = !link
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\\'));
    host_ok && clean && link.len() <= MAX_LINK
}

/// What was typed in a time field is not a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotATime;

/// A time typed in a form (`datetime-local`: `2026-03-01T09:00`, seconds optional; or a date
/// alone), read as UAE time (`dates::from_uae`). A date alone is the start of that day, or its last minute for a
/// deadline (`end_of_day`). `Ok(None)` when nothing was typed; `Err` when it is not a time.
pub fn parse_form_time(value: &str, end_of_day: bool) -> Result<Option<DateTime<Utc>>, NotATime> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let value = value.replacen(' ', "T", 1);
    let timed = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&value, format).ok());
    let naive = match timed {
        Some(naive) => naive,
        None => {
            let date = NaiveDate::parse_from_str(&value, "%Y-%m-%d").map_err(|_| NotATime)?;
            let time = if end_of_day {
                NaiveTime::from_hms_opt(23, 59, 0)
            } else {
                Some(NaiveTime::MIN)
            };
            date.and_time(time.ok_or(NotATime)?)
        }
    };
    Ok(Some(crate::dates::from_uae(naive)))
}

/// A time as a `datetime-local` input shows it (UAE time, to the minute).
pub fn form_time(at: Option<DateTime<Utc>>) -> String {
    at.map(|at| {
        crate::dates::in_uae(at)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> OpportunityInput {
        OpportunityInput {
            kind: "workshop".into(),
            title_ar: " ورشة ".into(),
            title_en: "Workshop".into(),
            topic: "education".into(),
            groups: vec!["academic".into(), "citizen".into(), "citizen".into()],
            starts_at: parse_form_time("2026-03-01T09:00", false).expect("time"),
            ends_at: parse_form_time("2026-03-01", true).expect("date"),
            link: "https://example.gov/workshop?x=1".into(),
            published: true,
            ..OpportunityInput::default()
        }
    }

    #[test]
    fn a_complete_opportunity_is_accepted_and_tidied() {
        let fields = check(&valid()).expect("valid");
        assert_eq!(fields.kind, OpportunityKind::Workshop);
        assert_eq!(fields.title_ar, "ورشة");
        assert_eq!(
            fields.groups,
            vec![StakeholderGroup::Citizen, StakeholderGroup::Academic]
        );
        assert_eq!(
            fields.ends_at.map(|t| t.to_rfc3339()),
            Some("2026-03-01T19:59:00+00:00".to_owned())
        );
    }

    #[test]
    fn every_problem_is_reported_in_page_order() {
        let input = OpportunityInput {
            kind: "survey".into(),
            title_en: "x".repeat(MAX_TITLE + 1),
            topic: "space".into(),
            groups: vec!["robot".into()],
            starts_at: parse_form_time("2026-03-02T00:00", false).expect("time"),
            ends_at: parse_form_time("2026-03-01T00:00", false).expect("time"),
            link: "javascript:alert(1)".into(),
            ..OpportunityInput::default()
        };
        assert_eq!(
            check(&input).expect_err("invalid"),
            vec![
                ("kind", "opportunities.error.kind_invalid"),
                ("title_ar", "opportunities.error.title_ar_required"),
                ("title_en", "opportunities.error.title_en_too_long"),
                ("topic", "opportunities.error.topic_invalid"),
                ("groups", "opportunities.error.groups_invalid"),
                ("ends_at", "opportunities.error.ends_before_start"),
                ("link", "opportunities.error.link_invalid"),
            ]
        );
    }

    #[test]
    fn a_published_event_needs_a_place_or_a_link() {
        let mut input = valid();
        input.link = String::new();
        assert_eq!(
            check(&input).err(),
            Some(vec![("location", "opportunities.error.no_way_in")])
        );
        input.location = "Dubai, the ministry's majlis".into();
        assert!(check(&input).is_ok());
        input.location = String::new();
        input.published = false;
        assert!(check(&input).is_ok(), "a draft may wait for its place");
        input.kind = "consultation".into();
        input.published = true;
        assert!(check(&input).is_ok(), "a consultation has its comments");
    }

    #[test]
    fn a_deadline_equal_to_the_start_is_allowed() {
        let mut input = valid();
        input.ends_at = input.starts_at;
        assert!(check(&input).is_ok());
    }

    #[test]
    fn only_http_addresses_with_a_host_are_links() {
        for good in [
            "https://example.gov",
            "http://example.gov:8080/a%20b",
            "HTTPS://Example.gov/x#y",
            "https://وزارة.example/",
        ] {
            assert!(is_web_address(good), "{good}");
        }
        for bad in [
            "ftp://example.gov",
            "https://",
            "https:///x",
            "//example.gov",
            "https://a b",
            "https://user@evil.example",
            "example.gov",
            "https://x\"onmouseover=",
            "javascript:alert(1)",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }

    #[test]
    fn form_times_are_read_as_uae_time_and_written_back_the_same() {
        let t = parse_form_time("2026-03-01T09:30", false).expect("valid");
        assert_eq!(form_time(t), "2026-03-01T09:30");
        assert_eq!(
            parse_form_time("2026-03-01 09:30:15", false)
                .expect("valid")
                .map(|t| t.to_rfc3339()),
            Some("2026-03-01T05:30:15+00:00".into())
        );
        assert_eq!(
            form_time(parse_form_time("2026-03-01", false).expect("date")),
            "2026-03-01T00:00"
        );
        assert_eq!(parse_form_time("  ", false), Ok(None));
        assert_eq!(parse_form_time("1 March", false), Err(NotATime));
        assert_eq!(parse_form_time("2026-02-30T10:00", false), Err(NotATime));
    }
}
