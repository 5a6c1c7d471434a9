//! A date of the lunar calendar and the years the calendar is computed for: what the lunar
//! conversion returns and what its errors quote, apart from the conversion itself.

use serde::{Deserialize, Serialize};

pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LunarDate {
    pub day: u8,
    pub month: u8,
    pub year: i32,
    pub leap: bool,
}

impl std::fmt::Display for LunarDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ngày {} tháng {}{} năm {} (âm lịch)",
            self.day,
            self.month,
            if self.leap { " nhuận" } else { "" },
            self.year
        )
    }
}
