//! The appointment (hẹn trả kết quả) of a dossier.
//!
//! Instants are UTC; every rule is reasoned on the Vietnam wall clock (UTC+7) through
//! `crate::vntime`, so the machine's own time zone never matters.
//!
//! - **Effective start.** A reception on a day off, or at/after the afternoon close, counts
//!   from the next working day at opening; before opening, from opening that day; during
//!   lunch, from the afternoon opening.
//! - **Working days (n).** The same clock time as the effective start, n working days later
//!   (n × a full day of office time). n = 0 gives the effective start.
//! - **Same day (cutoff).** Received on a working day before the cutoff: closing time that
//!   day. At/after the cutoff, or on a day off: closing time of the next working day. A
//!   cutoff later than closing acts as the closing time.
//! - **Calendar days (n).** The first day is not counted (Civil Code Art. 147–148): the date
//!   of the effective start plus n days, moved to the next working day if it is a day off,
//!   at closing time.
//! - **Pauses.** `Extend` adds the office time the pauses cover (overlaps counted once, the
//!   part before reception ignored) to the base appointment; `Restart` computes the limit
//!   afresh from the end of the last pause. A pause whose end precedes its start is ignored.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::holidays::WorkCalendar;
use super::hours::OfficeHours;
use crate::vntime::{from_vn, to_vn};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "unit", rename_all = "snake_case")]
pub enum TimeLimit {
    WorkingDays {
        days: u32,
    },
    CalendarDays {
        days: u32,
    },
    /// Result the same day if received before `cutoff` (the 15:00 rule).
    SameDay {
        cutoff: NaiveTime,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PausePolicy {
    /// The appointment moves by the office time spent paused.
    Extend,
    /// The limit starts over when the last pause ends.
    Restart,
}

/// A stretch during which the clock does not run (waiting for documents or fees). An open
/// pause is passed with `end` = now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

pub fn due_at(
    cal: &WorkCalendar,
    hours: &OfficeHours,
    limit: TimeLimit,
    received: DateTime<Utc>,
) -> DateTime<Utc> {
    match limit {
        TimeLimit::WorkingDays { days } => {
            let start = effective_start(cal, hours, received);
            let mut day = start.date();
            for _ in 0..days {
                let next = cal.next_working_day(day);
                if next == day {
                    break; // end of chrono's date range
                }
                day = next;
            }
            from_vn(day.and_time(start.time()))
        }
        TimeLimit::CalendarDays { days } => {
            let start = effective_start(cal, hours, received).date();
            let target = start.checked_add_days(chrono::Days::new(u64::from(days)));
            let day = cal.working_day_on_or_after(target.unwrap_or(NaiveDate::MAX));
            from_vn(day.and_time(hours.afternoon_end))
        }
        TimeLimit::SameDay { cutoff } => {
            let local = to_vn(received).naive_local();
            let day = local.date();
            let cutoff = cutoff.min(hours.afternoon_end);
            let result_day = if cal.is_working_day(day) && local.time() < cutoff {
                day
            } else {
                cal.next_working_day(day)
            };
            from_vn(result_day.and_time(hours.afternoon_end))
        }
    }
}

pub fn due_with_pauses(
    cal: &WorkCalendar,
    hours: &OfficeHours,
    limit: TimeLimit,
    received: DateTime<Utc>,
    pauses: &[Pause],
    policy: PausePolicy,
) -> DateTime<Utc> {
    let valid: Vec<Pause> = pauses
        .iter()
        .copied()
        .filter(|p| p.end >= p.start)
        .collect();
    if valid.is_empty() {
        return due_at(cal, hours, limit, received);
    }
    match policy {
        PausePolicy::Restart => {
            let last_end = valid.iter().map(|p| p.end).max().unwrap_or(received);
            due_at(cal, hours, limit, last_end.max(received))
        }
        PausePolicy::Extend => {
            let base = due_at(cal, hours, limit, received);
            extend_by_pauses(cal, hours, base, received, &valid)
        }
    }
}

/// `base` moved later by the office time the pauses cover after `since` (overlaps counted
/// once): an appointment given at `since` (the reception, or a new appointment of Mẫu 04)
/// and then held up by the citizen.
pub fn extend_by_pauses(
    cal: &WorkCalendar,
    hours: &OfficeHours,
    base: DateTime<Utc>,
    since: DateTime<Utc>,
    pauses: &[Pause],
) -> DateTime<Utc> {
    let mut valid: Vec<Pause> = pauses
        .iter()
        .copied()
        .filter(|p| p.end >= p.start)
        .collect();
    valid.sort_by_key(|p| p.start);
    let mut paused = 0;
    // Sweep the pauses in start order, counting only time not already counted.
    let mut counted_until = since;
    for p in valid {
        let from = p.start.max(counted_until);
        if p.end > from {
            paused += office_seconds_between(cal, hours, from, p.end);
            counted_until = p.end;
        }
    }
    add_office_seconds(cal, hours, base, paused)
}

/// Office time (whole minutes, rounded down) inside `[from, to)`; 0 if `to <= from`.
pub fn office_minutes_between(
    cal: &WorkCalendar,
    hours: &OfficeHours,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> i64 {
    office_seconds_between(cal, hours, from, to).div_euclid(60)
}

/// The instant `minutes` of office time after `from`. Landing exactly on the end of a
/// session gives that end (17:00, not the next morning); `minutes <= 0` gives `from`.
pub fn add_office_minutes(
    cal: &WorkCalendar,
    hours: &OfficeHours,
    from: DateTime<Utc>,
    minutes: i64,
) -> DateTime<Utc> {
    add_office_seconds(cal, hours, from, minutes.saturating_mul(60))
}

fn effective_start(
    cal: &WorkCalendar,
    hours: &OfficeHours,
    received: DateTime<Utc>,
) -> NaiveDateTime {
    let local = to_vn(received).naive_local();
    let (day, time) = (local.date(), local.time());
    if !cal.is_working_day(day) || time >= hours.afternoon_end {
        cal.next_working_day(day).and_time(hours.morning_start)
    } else if time < hours.morning_start {
        day.and_time(hours.morning_start)
    } else if time >= hours.morning_end && time < hours.afternoon_start {
        day.and_time(hours.afternoon_start)
    } else {
        local
    }
}

fn sessions_of(day: NaiveDate, hours: &OfficeHours) -> [(NaiveDateTime, NaiveDateTime); 2] {
    hours
        .sessions()
        .map(|(start, end)| (day.and_time(start), day.and_time(end)))
}

fn office_seconds_between(
    cal: &WorkCalendar,
    hours: &OfficeHours,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> i64 {
    if to <= from {
        return 0;
    }
    let (a, b) = (to_vn(from).naive_local(), to_vn(to).naive_local());
    let mut total = 0;
    for day in a.date().iter_days().take_while(|d| *d <= b.date()) {
        if !cal.is_working_day(day) {
            continue;
        }
        for (start, end) in sessions_of(day, hours) {
            let overlap = end.min(b) - start.max(a);
            total += overlap.num_seconds().max(0);
        }
    }
    total
}

fn add_office_seconds(
    cal: &WorkCalendar,
    hours: &OfficeHours,
    from: DateTime<Utc>,
    seconds: i64,
) -> DateTime<Utc> {
    if seconds <= 0 {
        return from;
    }
    let cursor = to_vn(from).naive_local();
    let mut remaining = seconds;
    let mut last = cursor;
    for day in cursor.date().iter_days() {
        if !cal.is_working_day(day) {
            continue;
        }
        for (start, end) in sessions_of(day, hours) {
            let start = start.max(cursor);
            let available = (end - start).num_seconds();
            if available <= 0 {
                continue;
            }
            if remaining <= available {
                return from_vn(start + chrono::Duration::seconds(remaining));
            }
            remaining -= available;
            last = end;
        }
    }
    // Only reached at the end of chrono's date range.
    from_vn(last)
}
