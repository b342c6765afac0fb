//! Periodic impact-review reports (MISSION.md §7.3: "periodic reports to the concerned
//! bodies"): an administrator schedules a report every month, quarter or year, in Arabic or
//! English, for the concerned bodies' addresses. After each period ends (UAE time) the
//! scheduler makes its report, keeps it in the archive (staff who read results download every
//! past one) and emails it as an attachment through the outbox.
//!
//! Invariants: each schedule has at most one report per period, however many servers run the
//! scheduler (the archive's unique (schedule, first day) is the claim, and the report's
//! messages are queued in the same transaction); a schedule reports the periods that end on
//! or after the day it was made, a period missed while no server ran included; a stopped
//! schedule makes no more reports and its archive stays.

#[cfg(feature = "ssr")]
pub mod db;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Period, Preset};
use crate::Locale;

/// The most addresses one schedule sends to.
pub const MAX_RECIPIENTS: usize = 20;

/// The most past periods one schedule catches up on (a decade of months).
const MAX_CATCH_UP: usize = 120;

/// A schedule as the page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub id: Uuid,
    /// `month`, `quarter` or `year`.
    pub cadence: String,
    /// `ar` or `en`.
    pub lang: String,
    pub recipients: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// The next period it will report, and the day it is made (the day after it ends).
    pub next: Period,
}

/// A report the scheduler made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Archived {
    pub id: Uuid,
    pub period: Period,
    pub lang: String,
    pub cadence: String,
    pub has_pdf: bool,
    pub created_at: DateTime<Utc>,
}

/// The periodic reports page: the schedules, the archive, and whether the reader may
/// schedule (administrators).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Periodic {
    pub schedules: Vec<Schedule>,
    pub archive: Vec<Archived>,
    pub may_schedule: bool,
}

impl Preset {
    pub fn from_code(code: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The period of this kind that holds `day`.
    pub fn holding(self, day: NaiveDate) -> Period {
        let next = day
            + Duration::days(match self {
                Preset::Month => 31,
                Preset::Quarter => 92,
                Preset::Year => 366,
            });
        // The last complete period before a day at least one period later, walked back
        // until it holds `day`.
        let mut period = self.before(next);
        while period.from > day {
            period = self.before(period.from);
        }
        period
    }
}

/// The periods a schedule made at `created` owes by `now`: those that end on or after the
/// day it was made and before today (UAE days), oldest first.
pub fn owed(cadence: Preset, created: DateTime<Utc>, now: DateTime<Utc>) -> Vec<Period> {
    let today = crate::dates::in_uae(now).date_naive();
    let mut period = cadence.holding(crate::dates::in_uae(created).date_naive());
    let mut owed = Vec::new();
    while period.to < today && owed.len() < MAX_CATCH_UP {
        owed.push(period);
        period = cadence.holding(period.to + Duration::days(1));
    }
    owed
}

/// The next period a schedule will report after `now`.
pub fn next_period(cadence: Preset, now: DateTime<Utc>) -> Period {
    cadence.holding(crate::dates::in_uae(now).date_naive())
}

/// Reads the recipients as typed (one per line, or separated by commas or spaces): each
/// address normalised, duplicates dropped; or the message key of the problem.
pub fn parse_recipients(text: &str) -> Result<Vec<String>, &'static str> {
    let mut addresses: Vec<String> = Vec::new();
    for word in text
        .split(|c: char| matches!(c, ',' | '،' | ';' | '؛') || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        let address = crate::accounts::rules::normalize_email(word)
            .ok_or("reports.periodic.error.recipient")?;
        if !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    match addresses.len() {
        0 => Err("reports.periodic.error.recipients_missing"),
        n if n > MAX_RECIPIENTS => Err("reports.periodic.error.recipients_many"),
        _ => Ok(addresses),
    }
}

/// The email that carries a report, in `locale`.
#[cfg(feature = "ssr")]
pub fn letter(locale: Locale, period: Period, link: &str) -> crate::feedback::mail::Letter {
    let days = [
        ("from", crate::dates::day_text(locale, period.from)),
        ("to", crate::dates::day_text(locale, period.to)),
    ];
    let days: Vec<(&str, &str)> = days.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut body_args = days.clone();
    body_args.push(("link", link));
    crate::feedback::mail::Letter {
        subject: locale.t_with("reports.periodic.mail.subject", &days),
        body: locale.t_with("reports.periodic.mail.body", &body_args),
    }
}

pub fn periodic_path(locale: Locale) -> String {
    format!("{}/periodic", super::reports_path(locale))
}

/// An archived report's download: `…/periodic/{id}/pdf` or `…/html`.
pub fn archived_path(locale: Locale, id: Uuid, format: &str) -> String {
    format!("{}/{id}/{format}", periodic_path(locale))
}

/// The schedules and the archive, for staff who read results.
#[leptos::server(endpoint = "reports/periodic")]
pub async fn periodic_reports() -> Result<Periodic, leptos::prelude::ServerFnError> {
    use crate::accounts::Permission;
    let (db, user) = crate::server_fns::authorized_user(Permission::ReadResults)?;
    let failed = crate::server_fns::storage_failure("listing periodic reports");
    Ok(Periodic {
        schedules: db::schedules(&db, Utc::now()).await.map_err(&failed)?,
        archive: db::archive(&db, 200).await.map_err(&failed)?,
        may_schedule: user.can(Permission::ScheduleReports),
    })
}

#[cfg(feature = "ssr")]
pub use actions::{ScheduleError, schedule, stop};

#[cfg(feature = "ssr")]
mod actions {
    use super::*;
    use crate::accounts::Permission;
    use crate::audit::Actor;
    use crate::store::{Db, StoreError};

    #[derive(Debug, thiserror::Error)]
    pub enum ScheduleError {
        #[error("the actor may not schedule reports")]
        Forbidden,
        #[error("no such schedule")]
        NotFound,
        #[error("fields that break the rules: {0:?}")]
        Invalid(Vec<(&'static str, &'static str)>),
        #[error(transparent)]
        Store(#[from] StoreError),
    }

    fn may_schedule(actor: &Actor) -> Result<(), ScheduleError> {
        if actor.user.can(Permission::ScheduleReports) {
            Ok(())
        } else {
            Err(ScheduleError::Forbidden)
        }
    }

    /// Adds a schedule from the form's fields as typed.
    pub async fn schedule(
        db: &Db,
        actor: &Actor,
        cadence: &str,
        lang: &str,
        recipients: &str,
        now: DateTime<Utc>,
    ) -> Result<Uuid, ScheduleError> {
        may_schedule(actor)?;
        let mut problems = Vec::new();
        let cadence = Preset::from_code(cadence);
        if cadence.is_none() {
            problems.push(("cadence", "reports.periodic.error.cadence"));
        }
        let locale = Locale::from_code(lang);
        if locale.is_none() {
            problems.push(("lang", "reports.periodic.error.lang"));
        }
        let recipients =
            parse_recipients(recipients).map_err(|key| problems.push(("recipients", key)));
        let (Some(cadence), Some(locale), Ok(recipients)) = (cadence, locale, recipients) else {
            return Err(ScheduleError::Invalid(problems));
        };
        let id = db::add(db, cadence, locale, &recipients, Some(actor.user.id), now).await?;
        actor
            .audit(
                db,
                "report_schedule.create",
                id.to_string(),
                Some(format!(
                    "{} {} {}",
                    cadence.code(),
                    locale.code(),
                    recipients.join(" ")
                )),
            )
            .await;
        Ok(id)
    }

    /// Stops a schedule: it makes no more reports; what it made stays in the archive.
    pub async fn stop(
        db: &Db,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(), ScheduleError> {
        may_schedule(actor)?;
        if !db::stop(db, id, now).await? {
            return Err(ScheduleError::NotFound);
        }
        actor
            .audit(db, "report_schedule.stop", id.to_string(), None)
            .await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("a moment")
            .to_utc()
    }

    #[test]
    fn a_period_holds_its_days() {
        let p = Preset::Quarter.holding(day("2026-12-06"));
        assert_eq!((p.from, p.to), (day("2026-10-01"), day("2026-12-31")));
        let p = Preset::Month.holding(day("2027-01-31"));
        assert_eq!((p.from, p.to), (day("2027-01-01"), day("2027-01-31")));
        let p = Preset::Year.holding(day("2026-01-01"));
        assert_eq!((p.from, p.to), (day("2026-01-01"), day("2026-12-31")));
        let p = Preset::Month.holding(day("2028-02-29"));
        assert_eq!(p.to, day("2028-02-29"));
    }

    #[test]
    fn a_schedule_owes_the_periods_ended_since_it_was_made_in_uae_days() {
        let made = at("2026-12-06T08:00:00Z");
        assert!(owed(Preset::Month, made, at("2026-12-31T19:59:00Z")).is_empty());
        // 20:00 UTC on 31 December is midnight in the UAE: December is over.
        let owed_now = owed(Preset::Month, made, at("2026-12-31T20:00:00Z"));
        assert_eq!(owed_now.len(), 1);
        assert_eq!(owed_now[0].from, day("2026-12-01"));
        // Nobody ran the scheduler for two months: both are owed, oldest first.
        let later = owed(Preset::Month, made, at("2027-02-15T00:00:00Z"));
        assert_eq!(
            later.iter().map(|p| p.from).collect::<Vec<_>>(),
            [day("2026-12-01"), day("2027-01-01")]
        );
        assert_eq!(
            next_period(Preset::Quarter, at("2027-02-15T00:00:00Z")).to,
            day("2027-03-31")
        );
    }

    #[test]
    fn recipients_are_checked_and_deduplicated() {
        assert_eq!(
            parse_recipients("board@ministry.ae,\nBoard@Ministry.ae؛ audit@gov.ae"),
            Ok(vec![
                "board@ministry.ae".to_owned(),
                "audit@gov.ae".to_owned()
            ])
        );
        assert_eq!(
            parse_recipients("  \n"),
            Err("reports.periodic.error.recipients_missing")
        );
        assert_eq!(
            parse_recipients("not-an-address"),
            Err("reports.periodic.error.recipient")
        );
    }
}
