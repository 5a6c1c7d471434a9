//! Calendar errors, in the language tables (`calendar.*`): `Display` speaks Vietnamese
//! because that is what the desk shows; `Localized::message` gives English too.

use chrono::NaiveTime;

use super::lunar_date::{LunarDate, MAX_YEAR, MIN_YEAR};
use crate::i18n::{display_in_vietnamese, t, tf, Lang, Localized};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    InvalidSolarDate { year: i32, month: u32, day: u32 },
    InvalidLunarDate(LunarDateProblem),
    YearOutOfRange { year: i32 },
    InvalidOfficeHours(OfficeHoursProblem),
}

impl std::error::Error for CalendarError {}
display_in_vietnamese!(CalendarError);

impl Localized for CalendarError {
    fn kind(&self) -> &'static str {
        "calendar"
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            Self::InvalidSolarDate { year, month, day } => tf(
                lang,
                "calendar.invalid_solar_date",
                &[
                    ("day", &format!("{day:02}")),
                    ("month", &format!("{month:02}")),
                    ("year", &year.to_string()),
                    ("year4", &format!("{year:04}")),
                ],
            ),
            Self::InvalidLunarDate(problem) => tf(
                lang,
                "calendar.invalid_lunar_date",
                &[("problem", &problem.message(lang))],
            ),
            Self::YearOutOfRange { year } => tf(
                lang,
                "calendar.year_out_of_range",
                &[
                    ("year", &year.to_string()),
                    ("min", &MIN_YEAR.to_string()),
                    ("max", &MAX_YEAR.to_string()),
                ],
            ),
            Self::InvalidOfficeHours(problem) => tf(
                lang,
                "calendar.invalid_office_hours",
                &[("problem", &problem.message(lang))],
            ),
        }
    }
}

/// What is wrong with a lunar date; each case keeps what the message has to quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LunarDateProblem {
    /// The month is not 1..=12.
    Month { month: u8 },
    /// The day is 0 or past the end of that month (lunar months have 29 or 30 days).
    Day { date: LunarDate, days_in_month: u8 },
    /// A leap month was asked for that this lunar year does not have.
    Leap {
        month: u8,
        year: i32,
        leap_month: Option<u8>,
    },
}

impl LunarDateProblem {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::Month { month } => tf(
                lang,
                "calendar.lunar.month",
                &[("month", &month.to_string())],
            ),
            Self::Day {
                date,
                days_in_month,
            } => tf(
                lang,
                "calendar.lunar.day",
                &[
                    ("day", &date.day.to_string()),
                    ("month", &date.month.to_string()),
                    ("year", &date.year.to_string()),
                    (
                        "leap",
                        &if date.leap {
                            t(lang, "calendar.lunar.leap_word")
                        } else {
                            String::new()
                        },
                    ),
                    ("days", &days_in_month.to_string()),
                ],
            ),
            Self::Leap {
                month,
                year,
                leap_month,
            } => {
                let year = year.to_string();
                let actual = match leap_month {
                    Some(m) => tf(
                        lang,
                        "calendar.lunar.leap_is",
                        &[("year", &year), ("month", &m.to_string())],
                    ),
                    None => tf(lang, "calendar.lunar.no_leap", &[("year", &year)]),
                };
                tf(
                    lang,
                    "calendar.lunar.leap",
                    &[
                        ("year", &year),
                        ("month", &month.to_string()),
                        ("actual", &actual),
                    ],
                )
            }
        }
    }
}

/// The problems read as part of a `CalendarError`'s message; alone, in Vietnamese.
macro_rules! display_in_vietnamese_text {
    ($ty:ty) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.message(Lang::Vi))
            }
        }
    };
}

display_in_vietnamese_text!(LunarDateProblem);

/// What is wrong with office hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfficeHoursProblem {
    /// The setting text is not of the form `07:00-11:30,13:30-17:00`.
    Format { input: String },
    /// The four times are not strictly increasing.
    Order {
        morning_start: NaiveTime,
        morning_end: NaiveTime,
        afternoon_start: NaiveTime,
        afternoon_end: NaiveTime,
    },
}

impl OfficeHoursProblem {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::Format { input } => tf(lang, "calendar.hours.format", &[("input", input)]),
            Self::Order { .. } => tf(lang, "calendar.hours.order", &[("times", &self.times())]),
        }
    }

    fn times(&self) -> String {
        match self {
            Self::Format { input } => input.clone(),
            Self::Order {
                morning_start,
                morning_end,
                afternoon_start,
                afternoon_end,
            } => format!(
                "{}-{},{}-{}",
                morning_start.format("%H:%M"),
                morning_end.format("%H:%M"),
                afternoon_start.format("%H:%M"),
                afternoon_end.format("%H:%M")
            ),
        }
    }
}

display_in_vietnamese_text!(OfficeHoursProblem);
