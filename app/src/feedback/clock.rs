//! The reply clock for feedback cases (MISSION.md §7.1: reply within a set time, 72 hours by
//! default): when a case is due, when a share of its allowance is used, and how a pause moves
//! the due time. Pure logic over `chrono`, the same in the server and the browser.
//!
//! Invariants:
//! - Moments are UTC. Working time is judged on the local clock of the working week's fixed UTC
//!   offset (UAE time is UTC+4 all year, so a fixed offset is exact and no time zone database
//!   is needed).
//! - A working span is half-open, `[start, end)`, and lies inside one local day: a moment
//!   exactly at a span's end is not working time, and no span crosses midnight (a night shift
//!   is written as two spans). Round-the-clock service is [`Counting::Elapsed`].
//! - A holiday is a whole local date off, whatever its weekday's spans.
//! - Every function is total: none panics, arithmetic saturates at chrono's limits, and every
//!   walk over the calendar is bounded. A walk that finds no working time in
//!   [`MAX_IDLE_DAYS`] days in a row (a holiday list that covers ten years) gives up and
//!   answers the start of the local day after the one where it stopped: far in the future, so a
//!   broken holiday list never makes a case look overdue, and never hangs a request.
//! - Working time and the due time agree: `working_between(from, add_working(from, d)) == d`
//!   for any positive `d`, and `due` never comes before `start` and never moves earlier when
//!   the amount grows.

use std::collections::BTreeSet;

use chrono::{
    DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveTime, Offset, TimeDelta, Timelike, Utc,
    Weekday,
};
use serde::{Deserialize, Serialize};

/// Public holidays: whole local dates off.
pub type Holidays = BTreeSet<NaiveDate>;

/// A working span: its local start and end times.
type Span = (NaiveTime, NaiveTime);

/// How many days in a row without any working time a walk over the calendar tries before it
/// gives up (ten years of holidays).
pub const MAX_IDLE_DAYS: u32 = 3_660;

const NANOS_PER_SECOND: i128 = 1_000_000_000;
const NANOS_PER_HOUR: i128 = 3_600 * NANOS_PER_SECOND;
const NANOS_PER_DAY: i128 = 24 * NANOS_PER_HOUR;
const UAE_OFFSET_SECONDS: i32 = 4 * 3_600;

/// The days of the week, Monday first (the order of [`WorkingWeek`]'s days).
const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// How a service level counts time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    /// Every hour counts: nights, weekends and holidays too.
    Elapsed,
    /// Only hours inside the working week count, and no hour of a holiday.
    WorkingHours,
    /// Whole working days: due at the same local clock time, so many working days later.
    WorkingDays,
}

impl Counting {
    pub const ALL: [Counting; 3] = [
        Counting::Elapsed,
        Counting::WorkingHours,
        Counting::WorkingDays,
    ];

    /// The stable code stored in the database and used in forms.
    pub fn code(self) -> &'static str {
        match self {
            Counting::Elapsed => "elapsed",
            Counting::WorkingHours => "working_hours",
            Counting::WorkingDays => "working_days",
        }
    }

    /// The counting a code names, if any.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|counting| counting.code() == code)
    }

    /// The catalogue key of the counting's name.
    pub fn label_key(self) -> String {
        format!("feedback.counting.{}", self.code())
    }
}

/// A topic's service level: `amount` hours (for [`Counting::Elapsed`] and
/// [`Counting::WorkingHours`]) or working days (for [`Counting::WorkingDays`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceLevel {
    pub amount: u32,
    pub counting: Counting,
}

impl Default for ServiceLevel {
    /// The policy's default: a reply within 72 hours, counted around the clock.
    fn default() -> Self {
        ServiceLevel {
            amount: 72,
            counting: Counting::Elapsed,
        }
    }
}

impl ServiceLevel {
    /// The largest allowance in hours: one year.
    pub const MAX_AMOUNT: u32 = 24 * 365;
    /// The largest allowance in working days.
    pub const MAX_DAYS: u32 = 365;

    /// The largest amount the counting accepts.
    pub fn max_amount(counting: Counting) -> u32 {
        match counting {
            Counting::Elapsed | Counting::WorkingHours => Self::MAX_AMOUNT,
            Counting::WorkingDays => Self::MAX_DAYS,
        }
    }

    /// A service level as a settings form gives it; the error is a catalogue key.
    pub fn check(amount: u32, counting: Counting) -> Result<ServiceLevel, &'static str> {
        if amount == 0 || amount > Self::max_amount(counting) {
            return Err("feedback.error.sla_amount");
        }
        Ok(ServiceLevel { amount, counting })
    }
}

/// Why a working week cannot be built or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeekError {
    #[error("a working span on {day} must start before it ends, not {start}-{end}")]
    Backwards {
        day: Weekday,
        start: NaiveTime,
        end: NaiveTime,
    },
    #[error("the working spans on {0} must be in time order and must not overlap")]
    Overlap(Weekday),
    #[error("the working spans on {0} must start and end on a whole second")]
    PartSecond(Weekday),
    #[error("the working week has no working time")]
    NoWorkingTime,
    #[error("unknown day {0:?}: use mon, tue, wed, thu, fri, sat or sun")]
    UnknownDay(String),
    #[error("unreadable time {0:?}: write HH:MM, e.g. 07:30")]
    BadTime(String),
    #[error("unreadable part {0:?}: write days and then spans, e.g. \"mon-thu 07:30-15:30\"")]
    BadPart(String),
    #[error("{0} is named more than once")]
    DayTwice(Weekday),
}

/// The working week: spans of working time for each weekday, on the clock of a fixed UTC
/// offset. Each day's spans are in order and do not overlap, and the week has at least one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingWeek {
    offset: FixedOffset,
    /// Monday first: the index is `Weekday::num_days_from_monday`.
    days: [Vec<(NaiveTime, NaiveTime)>; 7],
}

impl Default for WorkingWeek {
    fn default() -> Self {
        Self::uae_federal()
    }
}

impl WorkingWeek {
    /// A working week from each day's spans, Monday first.
    pub fn new(
        offset: FixedOffset,
        days: [Vec<(NaiveTime, NaiveTime)>; 7],
    ) -> Result<Self, WeekError> {
        for (day, spans) in WEEK.into_iter().zip(&days) {
            check_day(day, spans)?;
        }
        if days.iter().all(Vec::is_empty) {
            return Err(WeekError::NoWorkingTime);
        }
        Ok(WorkingWeek { offset, days })
    }

    /// The UAE federal government's week, in UAE time (Asia/Dubai, UTC+4): Monday to Thursday
    /// 07:30–15:30, Friday 07:30–12:00, Saturday and Sunday off.
    pub fn uae_federal() -> Self {
        let full = vec![(hm(7, 30), hm(15, 30))];
        let friday = vec![(hm(7, 30), hm(12, 0))];
        let offset = FixedOffset::east_opt(UAE_OFFSET_SECONDS).unwrap_or(Utc.fix());
        WorkingWeek {
            offset,
            days: [
                full.clone(),
                full.clone(),
                full.clone(),
                full,
                friday,
                Vec::new(),
                Vec::new(),
            ],
        }
    }

    /// The offset of the clock the spans are read on.
    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// A weekday's working spans, in order.
    pub fn spans(&self, day: Weekday) -> &[(NaiveTime, NaiveTime)] {
        self.days
            .get(day.num_days_from_monday() as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// Reads the text form used in configuration, e.g. `mon-thu 07:30-15:30; fri 07:30-12:00`:
    /// parts separated by `;`, each a day (`mon` … `sun`) or a range of days (`mon-thu`;
    /// `sun-thu` wraps over the weekend) and then its spans separated by `,`, e.g.
    /// `sun 08:00-12:00,13:00-17:00`. Days not named are off; a day may be named once.
    pub fn parse(text: &str, offset: FixedOffset) -> Result<Self, WeekError> {
        let mut days: [Vec<(NaiveTime, NaiveTime)>; 7] = Default::default();
        let mut named = [false; 7];
        for part in text
            .split(';')
            .map(str::trim)
            .filter(|part| !part.is_empty())
        {
            let Some((days_text, spans_text)) = part.split_once(char::is_whitespace) else {
                return Err(WeekError::BadPart(part.to_string()));
            };
            let spans = spans_text
                .split(',')
                .map(|span| parse_span(span.trim()))
                .collect::<Result<Vec<_>, _>>()?;
            for day in parse_days(days_text)? {
                let index = day.num_days_from_monday() as usize;
                if named.get(index).copied().unwrap_or(true) {
                    return Err(WeekError::DayTwice(day));
                }
                if let (Some(flag), Some(slot)) = (named.get_mut(index), days.get_mut(index)) {
                    *flag = true;
                    slot.clone_from(&spans);
                }
            }
        }
        Self::new(offset, days)
    }

    /// The text form [`WorkingWeek::parse`] reads, with neighbouring days that work the same
    /// hours joined into a range (the offset is not part of it).
    pub fn describe(&self) -> String {
        let mut groups: Vec<(Weekday, Weekday, &[Span])> = Vec::new();
        for (day, spans) in WEEK.into_iter().zip(&self.days) {
            if spans.is_empty() {
                continue;
            }
            match groups.last_mut() {
                Some(group) if group.2 == spans.as_slice() && group.1.succ() == day => {
                    group.1 = day;
                }
                _ => groups.push((day, day, spans)),
            }
        }
        let parts: Vec<String> = groups
            .into_iter()
            .map(|(first, last, spans)| {
                let days = if first == last {
                    day_code(first).to_string()
                } else {
                    format!("{}-{}", day_code(first), day_code(last))
                };
                let spans: Vec<String> = spans
                    .iter()
                    .map(|(start, end)| format!("{}-{}", time_text(*start), time_text(*end)))
                    .collect();
                format!("{days} {}", spans.join(","))
            })
            .collect();
        parts.join("; ")
    }

    /// The working spans of a local date, as nanoseconds since local midnight; none on a
    /// holiday.
    fn open_spans<'a>(
        &'a self,
        date: NaiveDate,
        holidays: &Holidays,
    ) -> impl Iterator<Item = (i128, i128)> + 'a {
        let spans = if holidays.contains(&date) {
            &[][..]
        } else {
            self.spans(date.weekday())
        };
        spans
            .iter()
            .map(|(start, end)| (time_nanos(*start), time_nanos(*end)))
    }

    /// The working time of a weekday that is not a holiday.
    fn day_nanos(&self, day: Weekday) -> i128 {
        self.spans(day)
            .iter()
            .map(|(start, end)| time_nanos(*end) - time_nanos(*start))
            .sum()
    }

    /// A moment as the local date and nanoseconds since local midnight.
    fn local(&self, at: DateTime<Utc>) -> (NaiveDate, i128) {
        let utc = at.naive_utc();
        let offset = TimeDelta::seconds(i64::from(self.offset.local_minus_utc()));
        // Only beyond chrono's last day can the local clock not be written; the UTC clock
        // stands in there.
        let local = utc.checked_add_signed(offset).unwrap_or(utc);
        (local.date(), time_nanos(local.time()))
    }

    /// The moment a local date and time of day name, saturating at chrono's limits.
    fn instant(&self, date: NaiveDate, nanos: i128) -> DateTime<Utc> {
        let offset = TimeDelta::seconds(i64::from(self.offset.local_minus_utc()));
        date.and_time(NaiveTime::MIN)
            .checked_add_signed(to_delta(nanos))
            .and_then(|local| local.checked_sub_signed(offset))
            .map_or_else(|| saturated(date.year() > 0), |utc| utc.and_utc())
    }

    /// The moment `nanos` of working time into a local date's spans (`0 < nanos` and at most
    /// the date's working time): a span's end if the amount runs out exactly there.
    fn within(&self, date: NaiveDate, nanos: i128, holidays: &Holidays) -> DateTime<Utc> {
        let mut need = nanos;
        let mut last_end = 0;
        for (start, end) in self.open_spans(date, holidays) {
            if need <= end - start {
                return self.instant(date, start + need);
            }
            need -= end - start;
            last_end = end;
        }
        self.instant(date, last_end)
    }

    /// Walks whole local days from the day after `date`, adding up `value` of each day (zero
    /// on holidays), to the first day where the sum reaches `need` (positive). Gives the day
    /// and what was still needed at its start, or the day to answer when the walk gives up.
    fn walk_after(
        &self,
        date: NaiveDate,
        need: i128,
        holidays: &Holidays,
        value: impl Fn(Weekday) -> i128,
    ) -> Result<(NaiveDate, i128), NaiveDate> {
        let per_week: i128 = WEEK.into_iter().map(&value).sum();
        let mut date = date.succ_opt().ok_or(NaiveDate::MAX)?;
        let mut need = need;
        let mut idle = 0;
        // Each turn moves `date` on by at least one day, so the calendar's end bounds the
        // loop; the idle count bounds it in practice.
        loop {
            if per_week > 0 && need > per_week {
                // Skip whole weeks without a holiday in one step: long allowances on a sparse
                // week stay fast.
                let free_weeks = holidays.range(date..).next().map_or(i128::MAX, |holiday| {
                    i128::from(holiday.signed_duration_since(date).num_days() / 7)
                });
                let weeks = ((need - 1) / per_week).min(free_weeks);
                if weeks > 0 {
                    let days = u64::try_from(weeks.saturating_mul(7)).unwrap_or(u64::MAX);
                    date = date
                        .checked_add_days(Days::new(days))
                        .ok_or(NaiveDate::MAX)?;
                    need -= weeks * per_week;
                    idle = 0;
                    continue;
                }
            }
            let here = if holidays.contains(&date) {
                0
            } else {
                value(date.weekday())
            };
            if need <= here {
                return Ok((date, need));
            }
            need -= here;
            idle = if here > 0 { 0 } else { idle + 1 };
            let next = date.succ_opt().ok_or(NaiveDate::MAX)?;
            if idle >= MAX_IDLE_DAYS {
                return Err(next);
            }
            date = next;
        }
    }

    /// Working time in local time of day `[from, to)` on a local date.
    fn overlap(&self, date: NaiveDate, from: i128, to: i128, holidays: &Holidays) -> i128 {
        self.open_spans(date, holidays)
            .map(|(start, end)| (end.min(to) - start.max(from)).max(0))
            .sum()
    }

    /// Working time of the whole local days `[first, end)`.
    fn whole_days(&self, first: NaiveDate, end: NaiveDate, holidays: &Holidays) -> i128 {
        if first >= end {
            return 0;
        }
        let days = end.signed_duration_since(first).num_days();
        let per_week: i128 = WEEK.into_iter().map(|day| self.day_nanos(day)).sum();
        let mut total = i128::from(days / 7) * per_week;
        let mut day = first.weekday();
        for _ in 0..days % 7 {
            total += self.day_nanos(day);
            day = day.succ();
        }
        let off: i128 = holidays
            .range(first..end)
            .map(|holiday| self.day_nanos(holiday.weekday()))
            .sum();
        total - off
    }
}

/// Whether `at` is working time: inside a span on a local date that is not a holiday.
pub fn is_working(at: DateTime<Utc>, week: &WorkingWeek, holidays: &Holidays) -> bool {
    let (date, time) = week.local(at);
    week.open_spans(date, holidays)
        .any(|(start, end)| start <= time && time < end)
}

/// `at` if it is working time, or else the start of the next working span.
pub fn next_working(at: DateTime<Utc>, week: &WorkingWeek, holidays: &Holidays) -> DateTime<Utc> {
    let (date, time) = week.local(at);
    for (start, end) in week.open_spans(date, holidays) {
        if time < end {
            return if start <= time {
                at
            } else {
                week.instant(date, start)
            };
        }
    }
    match week.walk_after(date, 1, holidays, |day| week.day_nanos(day)) {
        Ok((day, _)) => week.within(day, 0, holidays),
        Err(stop) => week.instant(stop, 0),
    }
}

/// The working time in `[from, to)`; zero if `to` is not after `from`.
pub fn working_between(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    week: &WorkingWeek,
    holidays: &Holidays,
) -> TimeDelta {
    if to <= from {
        return TimeDelta::zero();
    }
    let (first, from_time) = week.local(from);
    let (last, to_time) = week.local(to);
    let total = if first == last {
        week.overlap(first, from_time, to_time, holidays)
    } else {
        let middle = first
            .succ_opt()
            .map_or(0, |next| week.whole_days(next, last, holidays));
        week.overlap(first, from_time, NANOS_PER_DAY, holidays)
            + middle
            + week.overlap(last, 0, to_time, holidays)
    };
    to_delta(total)
}

/// The moment when `amount` of working time has passed since `from`: the end of a span if the
/// amount runs out exactly there. A zero (or negative) amount gives [`next_working`].
pub fn add_working(
    from: DateTime<Utc>,
    amount: TimeDelta,
    week: &WorkingWeek,
    holidays: &Holidays,
) -> DateTime<Utc> {
    let mut need = delta_nanos(amount);
    if need <= 0 {
        return next_working(from, week, holidays);
    }
    let (date, time) = week.local(from);
    for (start, end) in week.open_spans(date, holidays) {
        if end <= time {
            continue;
        }
        let begin = start.max(time);
        if need <= end - begin {
            return week.instant(date, begin + need);
        }
        need -= end - begin;
    }
    match week.walk_after(date, need, holidays, |day| week.day_nanos(day)) {
        Ok((day, rest)) => week.within(day, rest, holidays),
        Err(stop) => week.instant(stop, 0),
    }
}

/// When a case received at `start` is due under `level`.
///
/// - Elapsed: `amount` hours after `start`.
/// - Working hours: `amount` hours of working time after `start` ([`add_working`]).
/// - Working days: the same local clock time as `start`, `amount` working days after start's
///   local date, a working day being a date that is not a holiday and whose weekday has
///   working spans. Received Saturday 10:00 with one working day: due Monday 10:00; received
///   Monday 10:00: due Tuesday 10:00. A zero amount is due at `start`.
pub fn due(
    start: DateTime<Utc>,
    level: ServiceLevel,
    week: &WorkingWeek,
    holidays: &Holidays,
) -> DateTime<Utc> {
    let hours = i128::from(level.amount) * NANOS_PER_HOUR;
    match level.counting {
        Counting::Elapsed => add_nanos(start, hours),
        Counting::WorkingHours => add_working(start, to_delta(hours), week, holidays),
        Counting::WorkingDays => {
            if level.amount == 0 {
                return start;
            }
            let (date, time) = week.local(start);
            let working_day = |day: Weekday| i128::from(!week.spans(day).is_empty());
            match week.walk_after(date, i128::from(level.amount), holidays, working_day) {
                Ok((day, _)) => week.instant(day, time),
                Err(stop) => week.instant(stop, time),
            }
        }
    }
}

/// When `share_permille` thousandths (750 = 75 %) of the allowance from `start` to `due` are
/// used, counted as `counting` counts: for reminders before the due time. A share of 1000 or
/// more, or a due time not after `start`, gives `due`; the answer is never after `due`.
pub fn at_share(
    start: DateTime<Utc>,
    due: DateTime<Utc>,
    counting: Counting,
    share_permille: u32,
    week: &WorkingWeek,
    holidays: &Holidays,
) -> DateTime<Utc> {
    if share_permille >= 1000 || due <= start {
        return due;
    }
    let share = i128::from(share_permille);
    match counting {
        Counting::Elapsed => add_nanos(start, delta_nanos(due - start) * share / 1000),
        Counting::WorkingHours | Counting::WorkingDays => {
            let allowance = delta_nanos(working_between(start, due, week, holidays));
            // A working-days due time may fall before the day's first span; the share of it
            // is never later than the due time itself.
            add_working(start, to_delta(allowance * share / 1000), week, holidays).min(due)
        }
    }
}

/// The due time after a pause (while the case waited for the participant) from `paused_from`
/// to `resumed_at`: later by the paused time as the level counts it. Elapsed: by the whole
/// pause; working modes: by the pause's working time, counted on from `due` ([`add_working`]);
/// a pause without working time (or that ends before it starts) leaves `due` as it is.
pub fn shift(
    due: DateTime<Utc>,
    paused_from: DateTime<Utc>,
    resumed_at: DateTime<Utc>,
    counting: Counting,
    week: &WorkingWeek,
    holidays: &Holidays,
) -> DateTime<Utc> {
    if resumed_at <= paused_from {
        return due;
    }
    match counting {
        Counting::Elapsed => add_nanos(due, delta_nanos(resumed_at - paused_from)),
        Counting::WorkingHours | Counting::WorkingDays => {
            let paused = working_between(paused_from, resumed_at, week, holidays);
            if paused <= TimeDelta::zero() {
                due
            } else {
                add_working(due, paused, week, holidays)
            }
        }
    }
}

fn check_day(day: Weekday, spans: &[(NaiveTime, NaiveTime)]) -> Result<(), WeekError> {
    let mut previous_end: Option<NaiveTime> = None;
    for &(start, end) in spans {
        if start.nanosecond() != 0 || end.nanosecond() != 0 {
            return Err(WeekError::PartSecond(day));
        }
        if start >= end {
            return Err(WeekError::Backwards { day, start, end });
        }
        if previous_end.is_some_and(|previous| start < previous) {
            return Err(WeekError::Overlap(day));
        }
        previous_end = Some(end);
    }
    Ok(())
}

/// The days a part names: `fri`, or a range such as `mon-thu` or `sun-thu`.
fn parse_days(text: &str) -> Result<Vec<Weekday>, WeekError> {
    let (first, last) = match text.split_once('-') {
        Some((first, last)) => (parse_day(first)?, parse_day(last)?),
        None => (parse_day(text)?, parse_day(text)?),
    };
    let mut days = vec![first];
    let mut day = first;
    while day != last && days.len() < 7 {
        day = day.succ();
        days.push(day);
    }
    Ok(days)
}

fn parse_day(text: &str) -> Result<Weekday, WeekError> {
    let text = text.trim();
    WEEK.into_iter()
        .find(|day| day_code(*day).eq_ignore_ascii_case(text))
        .ok_or_else(|| WeekError::UnknownDay(text.to_string()))
}

fn parse_span(text: &str) -> Result<(NaiveTime, NaiveTime), WeekError> {
    let (start, end) = text
        .split_once('-')
        .ok_or_else(|| WeekError::BadPart(text.to_string()))?;
    Ok((parse_time(start)?, parse_time(end)?))
}

fn parse_time(text: &str) -> Result<NaiveTime, WeekError> {
    let text = text.trim();
    NaiveTime::parse_from_str(text, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M"))
        .map_err(|_| WeekError::BadTime(text.to_string()))
}

fn day_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

fn time_text(time: NaiveTime) -> String {
    if time.second() == 0 {
        time.format("%H:%M").to_string()
    } else {
        time.format("%H:%M:%S").to_string()
    }
}

fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}

/// Nanoseconds since midnight (a leap second counts as the second before it).
fn time_nanos(time: NaiveTime) -> i128 {
    i128::from(time.num_seconds_from_midnight()) * NANOS_PER_SECOND
        + i128::from(time.nanosecond().min(999_999_999))
}

fn delta_nanos(delta: TimeDelta) -> i128 {
    i128::from(delta.num_seconds()) * NANOS_PER_SECOND + i128::from(delta.subsec_nanos())
}

/// A duration of `nanos`, saturating at chrono's limits.
fn to_delta(nanos: i128) -> TimeDelta {
    let seconds = i64::try_from(nanos.div_euclid(NANOS_PER_SECOND)).ok();
    let rest = u32::try_from(nanos.rem_euclid(NANOS_PER_SECOND)).unwrap_or(0);
    match seconds.and_then(|seconds| TimeDelta::new(seconds, rest)) {
        Some(delta) => delta,
        None if nanos < 0 => TimeDelta::MIN,
        None => TimeDelta::MAX,
    }
}

/// `at` moved by `nanos`, saturating at chrono's limits.
fn add_nanos(at: DateTime<Utc>, nanos: i128) -> DateTime<Utc> {
    at.checked_add_signed(to_delta(nanos))
        .unwrap_or_else(|| saturated(nanos > 0))
}

fn saturated(future: bool) -> DateTime<Utc> {
    if future {
        DateTime::<Utc>::MAX_UTC
    } else {
        DateTime::<Utc>::MIN_UTC
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;
    use proptest::prelude::*;

    /// A moment named on a UAE clock, e.g. "2026-03-05 14:00" (a Thursday).
    fn uae(text: &str) -> DateTime<Utc> {
        let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a time");
        let offset = WorkingWeek::uae_federal().offset();
        local
            .and_local_timezone(offset)
            .single()
            .expect("one moment")
            .with_timezone(&Utc)
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    fn level(amount: u32, counting: Counting) -> ServiceLevel {
        ServiceLevel { amount, counting }
    }

    fn federal_due(start: &str, amount: u32, counting: Counting, off: &[&str]) -> DateTime<Utc> {
        let holidays: Holidays = off.iter().map(|day| date(day)).collect();
        due(
            uae(start),
            level(amount, counting),
            &WorkingWeek::uae_federal(),
            &holidays,
        )
    }

    #[test]
    fn eight_working_hours_from_thursday_afternoon_end_on_monday_morning() {
        // Thu 14:00–15:30 is 1.5 h, Fri 07:30–12:00 is 4.5 h, and Mon 07:30 + 2 h is 09:30.
        let at = federal_due("2026-03-05 14:00", 8, Counting::WorkingHours, &[]);
        assert_eq!(at, uae("2026-03-09 09:30"));
    }

    #[test]
    fn a_holiday_pushes_working_hours_to_the_next_working_day() {
        let at = federal_due(
            "2026-03-05 14:00",
            8,
            Counting::WorkingHours,
            &["2026-03-09"],
        );
        assert_eq!(at, uae("2026-03-10 09:30"));
        let at = federal_due(
            "2026-03-05 14:00",
            8,
            Counting::WorkingHours,
            &["2026-03-06"],
        );
        assert_eq!(at, uae("2026-03-09 14:00"));
    }

    #[test]
    fn the_default_level_is_seventy_two_hours_around_the_clock() {
        assert_eq!(ServiceLevel::default(), level(72, Counting::Elapsed));
        let at = federal_due("2026-03-05 14:00", 72, Counting::Elapsed, &["2026-03-06"]);
        assert_eq!(at, uae("2026-03-08 14:00"));
    }

    #[test]
    fn working_days_keep_the_clock_time_and_skip_weekends_and_holidays() {
        let days = Counting::WorkingDays;
        assert_eq!(
            federal_due("2026-03-07 10:00", 1, days, &[]),
            uae("2026-03-09 10:00")
        );
        assert_eq!(
            federal_due("2026-03-09 10:00", 1, days, &[]),
            uae("2026-03-10 10:00")
        );
        assert_eq!(
            federal_due("2026-03-05 10:00", 1, days, &[]),
            uae("2026-03-06 10:00")
        );
        assert_eq!(
            federal_due("2026-03-05 10:00", 2, days, &[]),
            uae("2026-03-09 10:00")
        );
        let off = ["2026-03-09"];
        assert_eq!(
            federal_due("2026-03-07 22:00", 1, days, &off),
            uae("2026-03-10 22:00")
        );
        assert_eq!(
            federal_due("2026-03-05 10:00", 0, days, &[]),
            uae("2026-03-05 10:00")
        );
    }

    #[test]
    fn working_time_is_half_open_and_skips_days_off() {
        let week = WorkingWeek::uae_federal();
        let off: Holidays = [date("2026-03-10")].into();
        let working = |text: &str| is_working(uae(text), &week, &off);
        assert!(working("2026-03-05 07:30"));
        assert!(working("2026-03-05 15:29"));
        assert!(!working("2026-03-05 15:30"));
        assert!(!working("2026-03-05 07:29"));
        assert!(working("2026-03-06 11:59"));
        assert!(!working("2026-03-06 12:00"));
        assert!(!working("2026-03-07 10:00"));
        assert!(!working("2026-03-10 10:00"));
        let next = |text: &str| next_working(uae(text), &week, &off);
        assert_eq!(next("2026-03-05 10:00"), uae("2026-03-05 10:00"));
        assert_eq!(next("2026-03-05 15:30"), uae("2026-03-06 07:30"));
        assert_eq!(next("2026-03-06 12:00"), uae("2026-03-09 07:30"));
        assert_eq!(next("2026-03-09 16:00"), uae("2026-03-11 07:30"));
    }

    #[test]
    fn working_time_between_two_moments_is_counted_in_the_spans() {
        let week = WorkingWeek::uae_federal();
        let none = Holidays::new();
        let between = |from: &str, to: &str| working_between(uae(from), uae(to), &week, &none);
        assert_eq!(
            between("2026-03-05 14:00", "2026-03-09 09:30"),
            TimeDelta::hours(8)
        );
        assert_eq!(
            between("2026-03-09 09:30", "2026-03-05 14:00"),
            TimeDelta::zero()
        );
        assert_eq!(
            between("2026-03-07 00:00", "2026-03-09 00:00"),
            TimeDelta::zero()
        );
        // Two full weeks: 4 × 8 h + 4.5 h each.
        assert_eq!(
            between("2026-03-02 00:00", "2026-03-16 00:00"),
            TimeDelta::minutes(2 * (4 * 480 + 270))
        );
    }

    #[test]
    fn an_amount_that_runs_out_at_a_span_end_answers_that_end() {
        let week = WorkingWeek::uae_federal();
        let none = Holidays::new();
        let from = uae("2026-03-05 14:00");
        let ninety = TimeDelta::minutes(90);
        assert_eq!(
            add_working(from, ninety, &week, &none),
            uae("2026-03-05 15:30")
        );
        let six = TimeDelta::hours(6);
        assert_eq!(
            add_working(from, six, &week, &none),
            uae("2026-03-06 12:00")
        );
        let saturday = uae("2026-03-07 10:00");
        let zero = TimeDelta::zero();
        assert_eq!(
            add_working(saturday, zero, &week, &none),
            uae("2026-03-09 07:30")
        );
    }

    #[test]
    fn a_share_of_the_allowance_is_counted_like_the_allowance() {
        let week = WorkingWeek::uae_federal();
        let none = Holidays::new();
        let start = uae("2026-03-05 14:00");
        let end = uae("2026-03-09 09:30");
        let share = |permille| at_share(start, end, Counting::WorkingHours, permille, &week, &none);
        assert_eq!(share(750), uae("2026-03-06 12:00"));
        assert_eq!(share(500), uae("2026-03-06 10:00"));
        assert_eq!(share(1000), end);
        assert_eq!(share(2000), end);
        let elapsed_end = uae("2026-03-08 14:00");
        let half = at_share(start, elapsed_end, Counting::Elapsed, 500, &week, &none);
        assert_eq!(half, uae("2026-03-07 02:00"));
        // A working-days due time before the first span: no share comes after it.
        let (saturday, monday) = (uae("2026-03-07 05:00"), uae("2026-03-09 05:00"));
        let early = at_share(saturday, monday, Counting::WorkingDays, 500, &week, &none);
        assert_eq!(early, monday);
    }

    #[test]
    fn a_pause_moves_the_due_time_by_the_paused_time_as_the_level_counts_it() {
        let week = WorkingWeek::uae_federal();
        let none = Holidays::new();
        let end = uae("2026-03-09 09:30");
        let (from, to) = (uae("2026-03-06 10:00"), uae("2026-03-09 08:30"));
        // Fri 10:00–12:00 and Mon 07:30–08:30: three working hours.
        let working = shift(end, from, to, Counting::WorkingHours, &week, &none);
        assert_eq!(working, uae("2026-03-09 12:30"));
        let elapsed = shift(end, from, to, Counting::Elapsed, &week, &none);
        assert_eq!(elapsed, end + TimeDelta::minutes(70 * 60 + 30));
        let (saturday, sunday) = (uae("2026-03-07 09:00"), uae("2026-03-08 17:00"));
        let weekend = shift(end, saturday, sunday, Counting::WorkingDays, &week, &none);
        assert_eq!(weekend, end);
        assert_eq!(shift(end, to, from, Counting::Elapsed, &week, &none), end);
    }

    #[test]
    fn the_text_form_reads_and_prints_the_federal_week() {
        let text = "mon-thu 07:30-15:30; fri 07:30-12:00";
        let week = WorkingWeek::uae_federal();
        assert_eq!(week.describe(), text);
        assert_eq!(WorkingWeek::parse(text, week.offset()), Ok(week.clone()));
        assert_eq!(WorkingWeek::default(), week);
        let built = WorkingWeek::new(week.offset(), week.days.clone());
        assert_eq!(built, Ok(week));
    }

    #[test]
    fn the_text_form_reads_ranges_over_the_weekend_and_several_spans() {
        let utc = Utc.fix();
        let week = WorkingWeek::parse(" SUN-thu 08:00-12:00, 13:00-17:00;sat 09:00:30-10:00 ", utc)
            .expect("a week");
        assert_eq!(week.spans(Weekday::Fri), &[]);
        assert_eq!(week.spans(Weekday::Sun), week.spans(Weekday::Wed));
        assert_eq!(
            week.spans(Weekday::Sun),
            &[(hm(8, 0), hm(12, 0)), (hm(13, 0), hm(17, 0))]
        );
        let text = week.describe();
        assert_eq!(
            text,
            "mon-thu 08:00-12:00,13:00-17:00; sat 09:00:30-10:00; sun 08:00-12:00,13:00-17:00"
        );
        assert_eq!(WorkingWeek::parse(&text, utc), Ok(week));
    }

    #[test]
    fn bad_weeks_are_refused_with_a_reason() {
        let utc = Utc.fix();
        let parse = |text: &str| WorkingWeek::parse(text, utc).err();
        assert_eq!(
            parse("mon 15:30-07:30"),
            Some(WeekError::Backwards {
                day: Weekday::Mon,
                start: hm(15, 30),
                end: hm(7, 30)
            })
        );
        assert_eq!(
            parse("tue 08:00-08:00"),
            Some(WeekError::Backwards {
                day: Weekday::Tue,
                start: hm(8, 0),
                end: hm(8, 0)
            })
        );
        let overlap = Some(WeekError::Overlap(Weekday::Wed));
        assert_eq!(parse("wed 08:00-12:00,11:00-13:00"), overlap);
        assert_eq!(parse("wed 13:00-14:00,08:00-12:00"), overlap);
        assert_eq!(parse(""), Some(WeekError::NoWorkingTime));
        assert_eq!(parse(" ; "), Some(WeekError::NoWorkingTime));
        assert_eq!(
            parse("mun 08:00-12:00"),
            Some(WeekError::UnknownDay("mun".into()))
        );
        assert_eq!(parse("mon 8h-12:00"), Some(WeekError::BadTime("8h".into())));
        assert_eq!(
            parse("mon 08:00-24:00"),
            Some(WeekError::BadTime("24:00".into()))
        );
        assert_eq!(parse("mon-fri"), Some(WeekError::BadPart("mon-fri".into())));
        assert_eq!(parse("mon 08:00"), Some(WeekError::BadPart("08:00".into())));
        assert_eq!(
            parse("mon-fri 08:00-12:00; fri 13:00-14:00"),
            Some(WeekError::DayTwice(Weekday::Fri))
        );
        let part_second = NaiveTime::from_hms_milli_opt(8, 0, 0, 500).expect("a time");
        let mut days: [Vec<(NaiveTime, NaiveTime)>; 7] = Default::default();
        days[0] = vec![(part_second, hm(9, 0))];
        assert_eq!(
            WorkingWeek::new(utc, days).err(),
            Some(WeekError::PartSecond(Weekday::Mon))
        );
        let message = parse("mon 15:30-07:30").expect("an error").to_string();
        assert_eq!(
            message,
            "a working span on Mon must start before it ends, not 15:30:00-07:30:00"
        );
    }

    #[test]
    fn service_levels_are_checked_against_their_limits() {
        let hours = Counting::WorkingHours;
        assert_eq!(ServiceLevel::check(72, hours), Ok(level(72, hours)));
        assert_eq!(
            ServiceLevel::check(0, hours),
            Err("feedback.error.sla_amount")
        );
        assert!(ServiceLevel::check(ServiceLevel::MAX_AMOUNT, Counting::Elapsed).is_ok());
        assert!(ServiceLevel::check(ServiceLevel::MAX_AMOUNT + 1, hours).is_err());
        assert!(ServiceLevel::check(365, Counting::WorkingDays).is_ok());
        assert!(ServiceLevel::check(366, Counting::WorkingDays).is_err());
    }

    #[test]
    fn countings_have_stable_codes_and_catalogue_keys() {
        for counting in Counting::ALL {
            assert_eq!(Counting::from_code(counting.code()), Some(counting));
        }
        assert_eq!(Counting::from_code("weekly"), None);
        assert_eq!(
            Counting::WorkingDays.label_key(),
            "feedback.counting.working_days"
        );
    }

    #[test]
    fn ten_years_of_holidays_end_the_walk_instead_of_hanging() {
        let week = WorkingWeek::uae_federal();
        let first = date("2026-01-01");
        let holidays: Holidays = first.iter_days().take(4_000).collect();
        let start = uae("2026-01-01 10:00");
        let next = next_working(start, &week, &holidays);
        assert!(next > start + TimeDelta::days(3_000));
        let end = due(start, level(8, Counting::WorkingHours), &week, &holidays);
        assert!(end > start + TimeDelta::days(3_000));
        let end = due(start, level(5, Counting::WorkingDays), &week, &holidays);
        assert!(end > start + TimeDelta::days(3_000));
    }

    #[test]
    fn long_allowances_on_a_sparse_week_are_counted_exactly() {
        let week = WorkingWeek::parse("sun 08:00-09:00", Utc.fix()).expect("a week");
        let holidays: Holidays = [date("2030-06-02"), date("2100-01-03")].into();
        let start = uae("2026-03-05 14:00");
        let hours = level(ServiceLevel::MAX_AMOUNT, Counting::WorkingHours);
        let end = due(start, hours, &week, &holidays);
        let counted = working_between(start, end, &week, &holidays);
        assert_eq!(
            counted,
            TimeDelta::hours(i64::from(ServiceLevel::MAX_AMOUNT))
        );
        assert!(is_working(end - TimeDelta::seconds(1), &week, &holidays));
    }

    #[test]
    fn extreme_moments_do_not_panic() {
        let week = WorkingWeek::parse(
            "mon-sun 00:00-23:59",
            FixedOffset::west_opt(12 * 3600).expect("offset"),
        )
        .expect("a week");
        let far_east = WorkingWeek::uae_federal();
        let none = Holidays::new();
        let moments = [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            uae("2026-03-05 14:00"),
        ];
        for week in [&week, &far_east] {
            for &a in &moments {
                for &b in &moments {
                    let _ = is_working(a, week, &none);
                    let _ = next_working(a, week, &none);
                    let _ = working_between(a, b, week, &none);
                    let _ = add_working(a, TimeDelta::MAX, week, &none);
                    let _ = add_working(a, TimeDelta::MIN, week, &none);
                    for counting in Counting::ALL {
                        let _ = due(a, level(u32::MAX, counting), week, &none);
                        let _ = at_share(a, b, counting, 500, week, &none);
                        let _ = shift(a, a, b, counting, week, &none);
                        let _ = shift(b, a, b, counting, week, &none);
                    }
                }
            }
        }
    }

    // Property tests over random weeks, offsets and holidays.

    fn arb_day() -> impl Strategy<Value = Vec<(NaiveTime, NaiveTime)>> {
        proptest::collection::btree_set(0u32..1_440, 0..=4).prop_map(|minutes| {
            let minutes: Vec<u32> = minutes.into_iter().collect();
            minutes
                .chunks_exact(2)
                .map(|pair| {
                    let at = |m: u32| {
                        NaiveTime::from_num_seconds_from_midnight_opt(m * 60, 0).expect("a time")
                    };
                    (at(pair[0]), at(pair[1]))
                })
                .collect()
        })
    }

    fn arb_week() -> impl Strategy<Value = WorkingWeek> {
        let days = [
            arb_day(),
            arb_day(),
            arb_day(),
            arb_day(),
            arb_day(),
            arb_day(),
            arb_day(),
        ];
        (-48i32..=56, days).prop_filter_map("a week with working time", |(quarters, days)| {
            let offset = FixedOffset::east_opt(quarters * 15 * 60)?;
            WorkingWeek::new(offset, days).ok()
        })
    }

    fn base() -> NaiveDate {
        date("2026-01-01")
    }

    fn arb_holidays() -> impl Strategy<Value = Holidays> {
        proptest::collection::btree_set(0u64..900, 0..80)
            .prop_map(|days| days.into_iter().map(|n| base() + Days::new(n)).collect())
    }

    /// A moment in 2026–2027, with nanoseconds.
    fn arb_moment() -> impl Strategy<Value = DateTime<Utc>> {
        (0i64..2 * 365 * 86_400, 0u32..1_000_000_000).prop_map(|(seconds, nanos)| {
            let base = base().and_time(NaiveTime::MIN).and_utc();
            base + TimeDelta::seconds(seconds) + TimeDelta::nanoseconds(i64::from(nanos))
        })
    }

    /// A moment between 1970 and 2200.
    fn arb_wide_moment() -> impl Strategy<Value = DateTime<Utc>> {
        (0i64..7_258_118_400)
            .prop_map(|seconds| DateTime::from_timestamp(seconds, 0).expect("a moment"))
    }

    fn arb_level() -> impl Strategy<Value = ServiceLevel> {
        prop_oneof![
            (1u32..=2_000).prop_map(|amount| level(amount, Counting::Elapsed)),
            (1u32..=2_000).prop_map(|amount| level(amount, Counting::WorkingHours)),
            (1u32..=ServiceLevel::MAX_DAYS).prop_map(|amount| level(amount, Counting::WorkingDays)),
        ]
    }

    fn is_working_day(at: DateTime<Utc>, week: &WorkingWeek, holidays: &Holidays) -> bool {
        let (day, _) = week.local(at);
        !holidays.contains(&day) && !week.spans(day.weekday()).is_empty()
    }

    proptest! {
        #[test]
        fn due_is_never_before_start(
            week in arb_week(), holidays in arb_holidays(),
            start in arb_moment(), level in arb_level(),
        ) {
            prop_assert!(due(start, level, &week, &holidays) >= start);
        }

        #[test]
        fn due_never_moves_earlier_when_the_amount_grows(
            week in arb_week(), holidays in arb_holidays(), start in arb_moment(),
            level in arb_level(), more in 0u32..100,
        ) {
            let bigger = ServiceLevel { amount: level.amount + more, ..level };
            prop_assert!(due(start, level, &week, &holidays) <= due(start, bigger, &week, &holidays));
        }

        #[test]
        fn due_never_moves_earlier_when_the_start_is_later(
            week in arb_week(), holidays in arb_holidays(), start in arb_moment(),
            later in 0i64..20 * 86_400, level in arb_level(),
        ) {
            let second = start + TimeDelta::seconds(later);
            let (first_due, second_due) =
                (due(start, level, &week, &holidays), due(second, level, &week, &holidays));
            // Working days keep the clock time, so starts on days off before the same working
            // day may come out of order (Sat 23:00 and Sun 01:00 are due Mon 23:00 and 01:00).
            let comparable = level.counting != Counting::WorkingDays
                || week.local(start).0 == week.local(second).0
                || is_working_day(second, &week, &holidays);
            if comparable {
                prop_assert!(first_due <= second_due);
            }
        }

        #[test]
        fn working_levels_fall_due_on_working_days(
            week in arb_week(), holidays in arb_holidays(), start in arb_moment(),
            level in arb_level(),
        ) {
            let end = due(start, level, &week, &holidays);
            if level.counting != Counting::Elapsed {
                prop_assert!(is_working_day(end, &week, &holidays));
            }
        }

        #[test]
        fn working_hours_due_holds_exactly_the_allowance(
            week in arb_week(), holidays in arb_holidays(), start in arb_moment(),
            hours in 1u32..=2_000,
        ) {
            let end = due(start, level(hours, Counting::WorkingHours), &week, &holidays);
            let counted = working_between(start, end, &week, &holidays);
            prop_assert_eq!(counted, TimeDelta::hours(i64::from(hours)));
        }

        #[test]
        fn adding_the_working_time_between_two_moments_reaches_no_further(
            week in arb_week(), holidays in arb_holidays(),
            from in arb_moment(), to in arb_moment(),
        ) {
            let between = working_between(from, to, &week, &holidays);
            let reached = add_working(from, between, &week, &holidays);
            prop_assert_eq!(working_between(from, reached, &week, &holidays), between);
            if between > TimeDelta::zero() {
                prop_assert!(reached <= to);
            } else {
                prop_assert_eq!(reached, next_working(from, &week, &holidays));
            }
        }

        #[test]
        fn the_next_working_moment_is_working_and_not_earlier(
            week in arb_week(), holidays in arb_holidays(), at in arb_moment(),
        ) {
            let next = next_working(at, &week, &holidays);
            prop_assert!(next >= at);
            prop_assert!(is_working(next, &week, &holidays));
            prop_assert_eq!(working_between(at, next, &week, &holidays), TimeDelta::zero());
        }

        #[test]
        fn shares_grow_to_the_due_time(
            week in arb_week(), holidays in arb_holidays(), start in arb_moment(),
            level in arb_level(), small in 0u32..=1_000, more in 0u32..=1_000,
        ) {
            let end = due(start, level, &week, &holidays);
            let share = |permille| at_share(start, end, level.counting, permille, &week, &holidays);
            prop_assert_eq!(share(1_000), end);
            let (lower, higher) = (share(small), share(small + more));
            prop_assert!(start <= lower);
            prop_assert!(lower <= higher);
            prop_assert!(higher <= end);
        }

        #[test]
        fn a_pause_never_brings_the_due_time_forward(
            week in arb_week(), holidays in arb_holidays(), start in arb_moment(),
            level in arb_level(), pause in 0i64..10 * 86_400,
        ) {
            let end = due(start, level, &week, &holidays);
            let resumed = start + TimeDelta::seconds(pause);
            let shifted = shift(end, start, resumed, level.counting, &week, &holidays);
            prop_assert!(shifted >= end);
            if level.counting == Counting::Elapsed {
                prop_assert_eq!(shifted, end + TimeDelta::seconds(pause));
            } else if working_between(start, resumed, &week, &holidays) > TimeDelta::zero() {
                let added = working_between(end, shifted, &week, &holidays);
                prop_assert_eq!(added, working_between(start, resumed, &week, &holidays));
            }
        }

        #[test]
        fn the_text_form_round_trips(week in arb_week()) {
            let text = week.describe();
            prop_assert_eq!(WorkingWeek::parse(&text, week.offset()), Ok(week));
        }

        #[test]
        fn moments_from_1970_to_2200_are_handled(
            week in arb_week(), start in arb_wide_moment(), other in arb_wide_moment(),
            level in arb_level(),
        ) {
            let none = Holidays::new();
            let end = due(start, level, &week, &none);
            prop_assert!(end >= start);
            let share = at_share(start, end, level.counting, 500, &week, &none);
            prop_assert!(start <= share && share <= end);
            let between = working_between(start, other, &week, &none);
            prop_assert!(between >= TimeDelta::zero());
            prop_assert!(shift(end, start, other, level.counting, &week, &none) >= end);
        }
    }
}
