//! Calendar errors. `Display` speaks Vietnamese because that is what the desk shows;
//! `message_en` exists for logs and the English interface.

use chrono::NaiveTime;
use thiserror::Error;

use super::lunar::{LunarDate, MAX_YEAR, MIN_YEAR};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    #[error("Ngày dương lịch không hợp lệ: {day:02}/{month:02}/{year}")]
    InvalidSolarDate { year: i32, month: u32, day: u32 },

    #[error("Ngày âm lịch không hợp lệ: {0}")]
    InvalidLunarDate(LunarDateProblem),

    #[error("Năm {year} nằm ngoài phạm vi hỗ trợ ({MIN_YEAR}–{MAX_YEAR})")]
    YearOutOfRange { year: i32 },

    #[error("Giờ làm việc không hợp lệ: {0}")]
    InvalidOfficeHours(OfficeHoursProblem),
}

impl CalendarError {
    pub fn message_en(&self) -> String {
        match self {
            Self::InvalidSolarDate { year, month, day } => {
                format!("Invalid solar date: {year:04}-{month:02}-{day:02}")
            }
            Self::InvalidLunarDate(problem) => format!("Invalid lunar date: {}", problem.en()),
            Self::YearOutOfRange { year } => {
                format!("Year {year} is outside the supported range ({MIN_YEAR}–{MAX_YEAR})")
            }
            Self::InvalidOfficeHours(problem) => format!("Invalid office hours: {}", problem.en()),
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
    pub fn en(&self) -> String {
        match self {
            Self::Month { month } => format!("month {month}"),
            Self::Day {
                date,
                days_in_month,
            } => format!(
                "day {} of {}month {}, year {} (that month has {days_in_month} days)",
                date.day,
                if date.leap { "leap " } else { "" },
                date.month,
                date.year
            ),
            Self::Leap {
                month,
                year,
                leap_month,
            } => {
                let actual = match leap_month {
                    Some(m) => format!("its leap month is {m}"),
                    None => "it has no leap month".to_owned(),
                };
                format!("year {year} has no leap month {month} ({actual})")
            }
        }
    }
}

impl std::fmt::Display for LunarDateProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Month { month } => write!(f, "tháng {month}"),
            Self::Day {
                date,
                days_in_month,
            } => write!(
                f,
                "ngày {} tháng {}{} năm {} (tháng này có {days_in_month} ngày)",
                date.day,
                date.month,
                if date.leap { " nhuận" } else { "" },
                date.year
            ),
            Self::Leap {
                month,
                year,
                leap_month,
            } => {
                write!(f, "năm {year} không có tháng {month} nhuận ")?;
                match leap_month {
                    Some(m) => write!(f, "(năm {year} nhuận tháng {m})"),
                    None => write!(f, "(năm {year} không có tháng nhuận)"),
                }
            }
        }
    }
}

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
    pub fn en(&self) -> String {
        match self {
            Self::Format { input } => {
                format!("\"{input}\" (expected the form 07:00-11:30,13:30-17:00)")
            }
            Self::Order { .. } => format!(
                "{} (morning start < morning end < afternoon start < afternoon end is required)",
                self.times()
            ),
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

impl std::fmt::Display for OfficeHoursProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Format { input } => {
                write!(f, "\"{input}\" (cần theo dạng 07:00-11:30,13:30-17:00)")
            }
            Self::Order { .. } => write!(
                f,
                "{} (phải có: bắt đầu sáng < kết thúc sáng < bắt đầu chiều < kết thúc chiều)",
                self.times()
            ),
        }
    }
}
