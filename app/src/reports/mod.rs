//! Impact-review reports (MISSION.md §7.3): for a period of UAE calendar days, who took part
//! (by stakeholder group, channel, survey and wave, against the representativeness targets),
//! which surveys and consultations ran, feedback and the replies to it (within the service
//! level, satisfaction), moderation, and the outcomes — what changed because of it all.
//!
//! The figures are gathered in `db`, shown by one component (`body::ReportBody`) on the staff
//! page `/{lang}/staff/reports` and in the standalone document (`document`) that the command
//! line, the download and the PDF (the server prints that document with headless Chromium) use:
//! one rendering, so the PDF says exactly what the page says.

pub mod body;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
mod document;
pub mod periodic;
pub mod periodic_views;
pub mod views;

#[cfg(feature = "ssr")]
pub use document::document;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Locale;
use crate::feedback::figures::Figures;
use crate::outcomes::OutcomeStatus;
use crate::text::Text;

/// The longest period a report covers: ten years of days.
pub const MAX_DAYS: i64 = 3660;

/// A report's period: UAE calendar days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The last complete month, quarter or year before a day, for the page's shortcuts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Month,
    Quarter,
    Year,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Preset::Month, Preset::Quarter, Preset::Year];

    pub fn code(self) -> &'static str {
        match self {
            Preset::Month => "month",
            Preset::Quarter => "quarter",
            Preset::Year => "year",
        }
    }

    /// The last complete period of this kind before `today`.
    pub fn before(self, today: NaiveDate) -> Period {
        let (year, month) = (today.year(), today.month());
        let start = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(today);
        let (from, next) = match self {
            Preset::Month => {
                let this = start(year, month);
                let from = if month == 1 {
                    start(year - 1, 12)
                } else {
                    start(year, month - 1)
                };
                (from, this)
            }
            Preset::Quarter => {
                let first = (month - 1) / 3 * 3 + 1;
                let this = start(year, first);
                let from = if first == 1 {
                    start(year - 1, 10)
                } else {
                    start(year, first - 3)
                };
                (from, this)
            }
            Preset::Year => (start(year - 1, 1), start(year, 1)),
        };
        Period {
            from,
            to: next - Duration::days(1),
        }
    }
}

impl Period {
    /// Reads the two days as typed (`YYYY-MM-DD`, Arabic-Indic digits accepted); answers the
    /// problems as (field, message key) in the form's order.
    pub fn parse(from: &str, to: &str) -> Result<Period, Vec<(&'static str, &'static str)>> {
        let day = |text: &str| {
            NaiveDate::parse_from_str(&crate::numbers::western_digits(text.trim()), "%Y-%m-%d").ok()
        };
        let (from_day, to_day) = (day(from), day(to));
        let mut problems = Vec::new();
        if from_day.is_none() {
            problems.push((
                "from",
                if from.trim().is_empty() {
                    "reports.error.from_missing"
                } else {
                    "reports.error.from"
                },
            ));
        }
        if to_day.is_none() {
            problems.push((
                "to",
                if to.trim().is_empty() {
                    "reports.error.to_missing"
                } else {
                    "reports.error.to"
                },
            ));
        }
        let (Some(from), Some(to)) = (from_day, to_day) else {
            return Err(problems);
        };
        if to < from {
            return Err(vec![("to", "reports.error.order")]);
        }
        if (to - from).num_days() >= MAX_DAYS {
            return Err(vec![("to", "reports.error.too_long")]);
        }
        Ok(Period { from, to })
    }

    /// The period as UTC moments: [the start of `from`, the start of the day after `to`) in
    /// UAE time.
    pub fn bounds(self) -> (DateTime<Utc>, DateTime<Utc>) {
        let start =
            |day: NaiveDate| crate::dates::from_uae(day.and_hms_opt(0, 0, 0).unwrap_or_default());
        (start(self.from), start(self.to + Duration::days(1)))
    }

    /// Its days, for a file name: `2026-07-01_2026-09-30`.
    pub fn slug(self) -> String {
        format!("{}_{}", self.from, self.to)
    }
}

/// Responses to one survey (one wave of a periodic survey) in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyLine {
    pub survey: Uuid,
    pub title: Text,
    /// The wave's number, for a periodic survey.
    pub wave: Option<i32>,
    pub responses: i64,
}

/// A stakeholder group's share of a survey's responses in the period against its target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetLine {
    pub title: Text,
    pub group: String,
    /// Percent, as the author set it.
    pub target: f64,
    /// Percent of the survey's responses in the period.
    pub actual: f64,
}

/// A survey or consultation that was open during the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpportunityLine {
    pub id: Uuid,
    /// `survey` or `consultation`.
    pub kind: String,
    pub title: Text,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    /// Comments written in the period (consultations).
    pub comments: i64,
}

/// Comments written in the period and what moderation did with them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Moderation {
    pub comments: i64,
    pub published: i64,
    pub held: i64,
    pub hidden: i64,
    /// Hidden comments per policy category key, in the policy's order.
    pub hidden_by_category: Vec<(String, i64)>,
}

/// An outcome published by the end of the period, with what it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeLine {
    pub id: Uuid,
    pub title: Text,
    pub did: Text,
    pub status: OutcomeStatus,
    pub published_at: DateTime<Utc>,
    /// Frozen at publication: survey responses, published comments, feedback cases.
    pub responses: Option<i64>,
    pub comments: Option<i64>,
    pub feedback: Option<i64>,
}

/// Everything an impact-review report shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpactReport {
    pub period: Period,
    pub generated_at: DateTime<Utc>,
    pub responses: i64,
    /// Responses per stakeholder group code, every group listed.
    pub groups: Vec<(String, i64)>,
    /// Responses per channel code, the channels used.
    pub channels: Vec<(String, i64)>,
    pub surveys: Vec<SurveyLine>,
    pub targets: Vec<TargetLine>,
    pub opportunities: Vec<OpportunityLine>,
    pub feedback: Figures,
    /// Feedback figures per topic code.
    pub feedback_topics: Vec<(String, Figures)>,
    pub moderation: Moderation,
    pub outcomes: Vec<OutcomeLine>,
}

impl ImpactReport {
    /// Whether nothing at all happened in the period (the report says so).
    pub fn is_empty(&self) -> bool {
        self.responses == 0
            && self.opportunities.is_empty()
            && self.feedback.cases == 0
            && self.moderation.comments == 0
            && self.outcomes.is_empty()
    }

    /// The report's title in `locale`: "Impact review, 1 July – 30 September 2026".
    pub fn title(&self, locale: Locale) -> String {
        locale.t_with(
            "reports.report_title",
            &[
                ("from", &crate::dates::day_text(locale, self.period.from)),
                ("to", &crate::dates::day_text(locale, self.period.to)),
            ],
        )
    }
}

/// The staff page's answer: the report, or the problems with the period as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Shown {
    /// No period asked for yet: the form, with the last complete quarter filled in.
    Form(Period),
    Report(Box<ImpactReport>),
    Invalid(Vec<(String, String)>),
}

/// The report for the period the staff page's GET form asks for. Analysts, decision-makers
/// and admins (who read results).
#[leptos::server(endpoint = "reports/impact")]
pub async fn report_for_period(
    from: Option<String>,
    to: Option<String>,
) -> Result<Shown, leptos::prelude::ServerFnError> {
    use crate::accounts::Permission;
    let db = crate::server_fns::authorize(Permission::ReadResults)?;
    let now = Utc::now();
    let (Some(from), Some(to)) = (from, to) else {
        let today = crate::dates::in_uae(now).date_naive();
        return Ok(Shown::Form(Preset::Quarter.before(today)));
    };
    match Period::parse(&from, &to) {
        Ok(period) => db::gather(&db, period, now)
            .await
            .map(|report| Shown::Report(Box::new(report)))
            .map_err(crate::server_fns::storage_failure(
                "gathering an impact report",
            )),
        Err(problems) => Ok(Shown::Invalid(
            problems
                .into_iter()
                .map(|(field, key)| (field.to_owned(), key.to_owned()))
                .collect(),
        )),
    }
}

pub fn reports_path(locale: Locale) -> String {
    format!("/{}/staff/reports", locale.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
    }

    #[test]
    fn presets_are_the_last_complete_period() {
        let today = day("2026-12-05");
        let p = |preset: Preset| {
            let p = preset.before(today);
            (p.from.to_string(), p.to.to_string())
        };
        assert_eq!(p(Preset::Month), ("2026-11-01".into(), "2026-11-30".into()));
        assert_eq!(
            p(Preset::Quarter),
            ("2026-07-01".into(), "2026-09-30".into())
        );
        assert_eq!(p(Preset::Year), ("2025-01-01".into(), "2025-12-31".into()));
        let january = day("2027-01-15");
        assert_eq!(Preset::Month.before(january).from, day("2026-12-01"));
        assert_eq!(Preset::Quarter.before(january).to, day("2026-12-31"));
    }

    #[test]
    fn periods_are_checked_with_messages_for_each_field() {
        assert_eq!(
            Period::parse("2026-07-01", "٢٠٢٦-٠٩-٣٠"),
            Ok(Period {
                from: day("2026-07-01"),
                to: day("2026-09-30")
            })
        );
        assert_eq!(
            Period::parse("", "30/09/2026"),
            Err(vec![
                ("from", "reports.error.from_missing"),
                ("to", "reports.error.to")
            ])
        );
        assert_eq!(
            Period::parse("2026-10-01", "2026-09-30"),
            Err(vec![("to", "reports.error.order")])
        );
        assert_eq!(
            Period::parse("2000-01-01", "2026-09-30"),
            Err(vec![("to", "reports.error.too_long")])
        );
    }

    #[test]
    fn a_period_runs_from_midnight_to_midnight_in_the_uae() {
        let (start, end) = Period::parse("2026-07-01", "2026-07-01")
            .expect("a period")
            .bounds();
        assert_eq!(start.to_rfc3339(), "2026-06-30T20:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-07-01T20:00:00+00:00");
    }
}
