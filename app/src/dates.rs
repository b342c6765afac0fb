//! Dates and times as people read and type them: in the ministry's time zone, UAE time
//! (Asia/Dubai, UTC+4 all year: the UAE keeps no daylight saving time), and in the page's
//! language. Times are stored in UTC; every page, feed text and form shows and reads UAE time.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDateTime, TimeZone, Utc};

use crate::Locale;

/// UAE time's offset from UTC.
pub const UAE_OFFSET_SECONDS: i32 = 4 * 3600;

/// The ministry's time zone.
pub fn uae() -> FixedOffset {
    FixedOffset::east_opt(UAE_OFFSET_SECONDS)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"))
}

/// A moment as a clock in the UAE shows it.
pub fn in_uae(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&uae())
}

/// The moment a UAE clock time names (a fixed offset: every local time names exactly one).
pub fn from_uae(local: NaiveDateTime) -> DateTime<Utc> {
    match uae().from_local_datetime(&local) {
        chrono::LocalResult::Single(at) => at.with_timezone(&Utc),
        _ => local.and_utc(),
    }
}

/// A date in words, on the UAE calendar day, e.g. "3 March 2026" / "3 مارس 2026".
pub fn date_text(locale: Locale, at: DateTime<Utc>) -> String {
    let at = in_uae(at);
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

/// A calendar day in words, e.g. "31 March 2027" / "31 مارس 2027".
pub fn day_text(locale: Locale, day: chrono::NaiveDate) -> String {
    date_text(locale, from_uae(day.and_time(chrono::NaiveTime::MIN)))
}

/// A date and time in words, in UAE time and saying so.
pub fn when_text(locale: Locale, at: DateTime<Utc>) -> String {
    locale.t_with(
        "opportunities.date_time",
        &[
            ("date", &date_text(locale, at)),
            ("time", &in_uae(at).format("%H:%M").to_string()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("a time")
            .with_timezone(&Utc)
    }

    #[test]
    fn times_are_shown_in_uae_time_and_on_the_uae_day() {
        let at = utc("2026-03-01T21:30:00Z");
        assert_eq!(in_uae(at).to_rfc3339(), "2026-03-02T01:30:00+04:00");
        assert_eq!(when_text(Locale::En, at), "2 March 2026, 01:30 UAE time");
        assert!(when_text(Locale::Ar, at).contains("01:30 بتوقيت الإمارات"));
    }

    #[test]
    fn a_uae_clock_time_names_one_moment() {
        let local =
            NaiveDateTime::parse_from_str("2026-03-01T09:00", "%Y-%m-%dT%H:%M").expect("time");
        assert_eq!(from_uae(local), utc("2026-03-01T05:00:00Z"));
        assert_eq!(in_uae(from_uae(local)).naive_local(), local);
    }
}
