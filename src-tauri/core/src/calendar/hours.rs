//! Office hours of the desk: a morning and an afternoon session, Vietnam wall-clock time.
//! The setting is stored as text (`07:00-11:30,13:30-17:00`) so an admin can edit it.

use chrono::{NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use super::error::{CalendarError, OfficeHoursProblem};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeHours {
    pub morning_start: NaiveTime,
    pub morning_end: NaiveTime,
    pub afternoon_start: NaiveTime,
    pub afternoon_end: NaiveTime,
}

impl Default for OfficeHours {
    /// The hours most provincial regulations set: 07:00–11:30 and 13:30–17:00.
    fn default() -> Self {
        Self {
            morning_start: hm(7, 0),
            morning_end: hm(11, 30),
            afternoon_start: hm(13, 30),
            afternoon_end: hm(17, 0),
        }
    }
}

impl OfficeHours {
    /// Requires morning_start < morning_end < afternoon_start < afternoon_end: the
    /// appointment rules treat the gap between the sessions as lunch.
    pub fn new(
        morning_start: NaiveTime,
        morning_end: NaiveTime,
        afternoon_start: NaiveTime,
        afternoon_end: NaiveTime,
    ) -> Result<Self, CalendarError> {
        if morning_start < morning_end
            && morning_end < afternoon_start
            && afternoon_start < afternoon_end
        {
            Ok(Self {
                morning_start,
                morning_end,
                afternoon_start,
                afternoon_end,
            })
        } else {
            Err(CalendarError::InvalidOfficeHours(
                OfficeHoursProblem::Order {
                    morning_start,
                    morning_end,
                    afternoon_start,
                    afternoon_end,
                },
            ))
        }
    }

    /// Parses `HH:MM-HH:MM,HH:MM-HH:MM` (spaces and an en dash are tolerated, seconds
    /// optional).
    pub fn parse(s: &str) -> Result<Self, CalendarError> {
        let format_error = || {
            CalendarError::InvalidOfficeHours(OfficeHoursProblem::Format {
                input: s.to_owned(),
            })
        };
        let normalized = s.replace('–', "-");
        let sessions: Vec<(NaiveTime, NaiveTime)> = normalized
            .split(',')
            .map(parse_session)
            .collect::<Option<_>>()
            .ok_or_else(format_error)?;
        match sessions.as_slice() {
            &[(ms, me), (as_, ae)] => Self::new(ms, me, as_, ae),
            _ => Err(format_error()),
        }
    }

    pub fn working_minutes_per_day(&self) -> i64 {
        let morning = self.morning_end - self.morning_start;
        let afternoon = self.afternoon_end - self.afternoon_start;
        (morning + afternoon).num_minutes()
    }

    /// The two sessions, in order.
    pub fn sessions(&self) -> [(NaiveTime, NaiveTime); 2] {
        [
            (self.morning_start, self.morning_end),
            (self.afternoon_start, self.afternoon_end),
        ]
    }
}

impl std::fmt::Display for OfficeHours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}-{},{}-{}",
            show_time(self.morning_start),
            show_time(self.morning_end),
            show_time(self.afternoon_start),
            show_time(self.afternoon_end)
        )
    }
}

fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}

fn parse_session(s: &str) -> Option<(NaiveTime, NaiveTime)> {
    let (start, end) = s.split_once('-')?;
    Some((parse_time(start.trim())?, parse_time(end.trim())?))
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
        .ok()
}

/// Seconds are shown only when set, so the usual setting round-trips as `07:00`.
fn show_time(t: NaiveTime) -> String {
    if t.second() == 0 && t.nanosecond() == 0 {
        t.format("%H:%M").to_string()
    } else {
        t.format("%H:%M:%S").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Localized};

    #[test]
    fn default_round_trips_through_text() {
        let h = OfficeHours::default();
        assert_eq!(h.to_string(), "07:00-11:30,13:30-17:00");
        assert_eq!(OfficeHours::parse("07:00-11:30,13:30-17:00").unwrap(), h);
        assert_eq!(
            OfficeHours::parse(" 7:00 - 11:30 , 13:30 – 17:00 ").unwrap(),
            h
        );
        assert_eq!(h.working_minutes_per_day(), 480);
    }

    #[test]
    fn rejects_bad_text_and_bad_order() {
        for bad in [
            "",
            "07:00-11:30",
            "07:00-11:30,13:30",
            "7h-11h,13h-17h",
            "a-b,c-d",
            "07:00-11:30,13:30-17:00,18:00-19:00",
            "07:00-11:30-12:00,13:30-17:00",
            "07:00-11:30-13:30,17:00",
        ] {
            assert!(
                matches!(
                    OfficeHours::parse(bad),
                    Err(CalendarError::InvalidOfficeHours(
                        OfficeHoursProblem::Format { .. }
                    ))
                ),
                "{bad:?}"
            );
        }
        let err = OfficeHours::parse("07:00-11:30,11:00-17:00").unwrap_err();
        assert!(matches!(
            err,
            CalendarError::InvalidOfficeHours(OfficeHoursProblem::Order { .. })
        ));
        assert!(err
            .to_string()
            .starts_with("Giờ làm việc không hợp lệ: 07:00-11:30,11:00-17:00"));
        assert!(err
            .message(Lang::En)
            .starts_with("Invalid office hours: 07:00-11:30,11:00-17:00"));
    }
}
