//! Dates and times in words, in the page's language: what every page that shows a time uses.

use chrono::{DateTime, Datelike, Utc};

use crate::Locale;

/// A date in words, e.g. "3 March 2026" / "3 مارس 2026".
pub fn date_text(locale: Locale, at: DateTime<Utc>) -> String {
    let month = locale.t(&format!("opportunities.month.m{}", at.month()));
    locale.t_with(
        "opportunities.date",
        &[
            ("day", &at.day().to_string()),
            ("month", &month),
            ("year", &at.year().to_string()),
        ],
    )
}

/// A date and time in words, with its time zone (times are kept and shown in UTC).
pub fn when_text(locale: Locale, at: DateTime<Utc>) -> String {
    locale.t_with(
        "opportunities.date_time",
        &[
            ("date", &date_text(locale, at)),
            ("time", &at.format("%H:%M").to_string()),
        ],
    )
}
