//! How long an address left only to hear back (`survey_contacts`) is kept (issue 17 §2): it
//! is deleted once the survey's outcome is final (`notify`), and in any case after a number
//! of days administrators set (365 unless they choose otherwise). The scheduler deletes what
//! is older every minute; the thank-you page says how long.

use serde::{Deserialize, Serialize};

/// Until an administrator chooses: a year.
pub const DEFAULT_DAYS: u32 = 365;
/// Time enough for an outcome to follow a survey.
pub const MIN_DAYS: u32 = 30;
/// Ten years.
pub const MAX_DAYS: u32 = 3650;

/// Where the choice is kept (`instance_meta`).
#[cfg(feature = "ssr")]
const KEY: &str = "contact_retention_days";

/// The staff outcomes page's view of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    pub days: u32,
    /// The reader may change it (administrators).
    pub may_set: bool,
}

/// Reads the days as typed (Arabic-Indic digits accepted), or the message key of the problem.
pub fn parse_days(text: &str) -> Result<u32, &'static str> {
    let text = crate::numbers::western_digits(text.trim());
    if text.is_empty() {
        return Err("outcomes.retention.error.missing");
    }
    match text.parse::<u32>() {
        Ok(days) if (MIN_DAYS..=MAX_DAYS).contains(&days) => Ok(days),
        _ => Err("outcomes.retention.error.range"),
    }
}

pub fn retention_path(locale: crate::Locale) -> String {
    format!("/{}/staff/contacts/retention", locale.code())
}

/// The retention, for staff who see the outcomes.
#[leptos::server(endpoint = "outcomes/retention")]
pub async fn contact_retention() -> Result<Retention, leptos::prelude::ServerFnError> {
    use crate::accounts::Permission;
    let (db, user) = crate::server_fns::authorized_user(Permission::ReadSurveys)?;
    Ok(Retention {
        days: days(&db)
            .await
            .map_err(crate::server_fns::storage_failure("reading the retention"))?,
        may_set: user.can(Permission::ManageUsers),
    })
}

#[cfg(feature = "ssr")]
pub use store::{RetentionError, days, prune, set};

#[cfg(feature = "ssr")]
mod store {
    use chrono::{DateTime, Duration, Utc};

    use super::{DEFAULT_DAYS, KEY, parse_days};
    use crate::accounts::Permission;
    use crate::audit::Actor;
    use crate::on_db;
    use crate::store::{Db, StoreError, get_meta, set_meta};

    #[derive(Debug, thiserror::Error)]
    pub enum RetentionError {
        #[error("the actor may not set the retention")]
        Forbidden,
        /// The message key of what is wrong with the days typed.
        #[error("not a number of days: {0}")]
        Invalid(&'static str),
        #[error(transparent)]
        Store(#[from] StoreError),
    }

    /// The days addresses are kept.
    pub async fn days(db: &Db) -> Result<u32, StoreError> {
        Ok(get_meta(db, KEY)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_DAYS))
    }

    /// An administrator sets the days as typed.
    pub async fn set(db: &Db, actor: &Actor, typed: &str) -> Result<u32, RetentionError> {
        if !actor.user.can(Permission::ManageUsers) {
            return Err(RetentionError::Forbidden);
        }
        let days = parse_days(typed).map_err(RetentionError::Invalid)?;
        set_meta(db, KEY, &days.to_string()).await?;
        actor
            .audit(
                db,
                "contacts.retention",
                KEY.to_owned(),
                Some(days.to_string()),
            )
            .await;
        Ok(days)
    }

    /// Deletes the addresses kept longer than the retention; answers how many.
    pub async fn prune(db: &Db, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let days = days(db).await?;
        // Stored as the UTC day they were left (`YYYY-MM-DD`), so the text compares as days.
        let cutoff = (now - Duration::days(i64::from(days)))
            .date_naive()
            .to_string();
        let done = on_db!(db, |pool| {
            sqlx::query("DELETE FROM survey_contacts WHERE created_on < $1")
                .bind(&cutoff)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_within_bounds() {
        assert_eq!(parse_days(" ٩٠ "), Ok(90));
        assert_eq!(parse_days(""), Err("outcomes.retention.error.missing"));
        assert_eq!(parse_days("7"), Err("outcomes.retention.error.range"));
        assert_eq!(parse_days("a year"), Err("outcomes.retention.error.range"));
        assert_eq!(parse_days("99999"), Err("outcomes.retention.error.range"));
    }
}
