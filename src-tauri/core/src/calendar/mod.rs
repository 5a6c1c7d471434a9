//! Time as the one-stop desk counts it: the Vietnamese lunar calendar (for Tết and Giỗ Tổ),
//! working days with holidays and yearly government notices, office hours, and the
//! appointment (due time) of a dossier. See `/work/shared/domain.md` §5–6.
//!
//! Everything is Vietnam time (UTC+7) regardless of the computer's zone.

mod appointment;
mod error;
mod holidays;
mod hours;
mod lunar;
mod lunar_date;

pub use appointment::{
    add_office_minutes, due_at, due_with_pauses, extend_by_pauses, office_minutes_between, Pause,
    PausePolicy, TimeLimit,
};
pub use error::{CalendarError, LunarDateProblem, OfficeHoursProblem};
pub use holidays::{seed_notices, CalendarRules, DayInfo, DayKind, Notice, WorkCalendar};
pub use hours::OfficeHours;
pub use lunar::{leap_month, lunar_to_solar, solar_to_lunar, LunarDate, MAX_YEAR, MIN_YEAR};
