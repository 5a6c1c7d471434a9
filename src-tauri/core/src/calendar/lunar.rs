//! The Vietnamese lunar calendar (âm lịch), computed the way Hồ Ngọc Đức's published
//! calendar is: new moons and the sun's longitude after Meeus (*Astronomical Algorithms*),
//! with days cut at Vietnam midnight (UTC+7).
//!
//! The time zone matters: a new moon shortly before 17:00 UTC falls on one date in Hanoi and
//! the next date in Beijing, so a Chinese-calendar library (UTC+8) gets some months wrong
//! (Tết 1985, 2007 and others).
//!
//! Rules, in the order the code applies them:
//! - a lunar month begins on the Vietnam date of a new moon;
//! - month 11 is the month containing the winter solstice;
//! - between two months 11 (a "suì") there are 12 or 13 months; with 13, the first month after
//!   month 11 that contains no major solar term (the sun's longitude does not cross a multiple
//!   of 30°) is the leap month and takes the number of the month before it.
//!
//! The astronomy series are accurate enough for 1900–2100; outside that the published
//! calendar is not reproduced reliably, so those years are refused.

use std::f64::consts::PI;

use chrono::{Datelike, NaiveDate};

use super::error::{CalendarError, LunarDateProblem};
pub use super::lunar_date::{LunarDate, MAX_YEAR, MIN_YEAR};

/// Vietnam's offset from UTC, as a fraction of a day.
const TZ_DAYS: f64 = 7.0 / 24.0;
const SYNODIC_MONTH: f64 = 29.530588853;
/// Julian day number minus chrono's days-from-CE: JDN of 0001-01-01 (proleptic Gregorian)
/// is 1 721 426 and chrono numbers that day 1.
const JDN_CE_OFFSET: i64 = 1_721_425;

pub fn solar_to_lunar(date: NaiveDate) -> Result<LunarDate, CalendarError> {
    let year = date.year();
    check_solar_year(year)?;
    let jd = jdn(date);
    let sui_year = if jd >= new_moon_day(month11_index(year)) {
        year
    } else {
        year - 1
    };
    let sui = Sui::new(sui_year);
    // The last month whose first day is not after `jd`; `starts[months]` is next year's
    // month 11, always after any day of this solar year.
    let offset = (0..sui.months)
        .rev()
        .find(|&i| sui.starts[i] <= jd)
        .unwrap_or(0);
    let label = sui.label(offset);
    let day = jd - sui.starts[offset] + 1;
    Ok(LunarDate {
        // A lunar month has at most 30 days, so the cast cannot truncate.
        day: day.clamp(1, 30) as u8,
        month: label.month,
        year: label.year,
        leap: label.leap,
    })
}

pub fn lunar_to_solar(l: LunarDate) -> Result<NaiveDate, CalendarError> {
    if !(1..=12).contains(&l.month) {
        return Err(CalendarError::InvalidLunarDate(LunarDateProblem::Month {
            month: l.month,
        }));
    }
    // Lunar year 1899 still ends inside 1900 (January 1900 is its month 12).
    if l.year < MIN_YEAR - 1 || l.year > MAX_YEAR {
        return Err(CalendarError::YearOutOfRange { year: l.year });
    }
    let sui = Sui::new(sui_year_of(l.year, l.month));
    let Some(offset) = (0..sui.months).find(|&i| {
        let label = sui.label(i);
        label.month == l.month && label.leap == l.leap
    }) else {
        return Err(CalendarError::InvalidLunarDate(LunarDateProblem::Leap {
            month: l.month,
            year: l.year,
            leap_month: leap_month_unchecked(l.year),
        }));
    };
    let days_in_month = sui.days_in_month(offset);
    if l.day == 0 || i64::from(l.day) > days_in_month {
        return Err(CalendarError::InvalidLunarDate(LunarDateProblem::Day {
            date: l,
            days_in_month: days_in_month.clamp(29, 30) as u8,
        }));
    }
    let jd = sui.starts[offset] + i64::from(l.day) - 1;
    let date = date_from_jdn(jd).ok_or(CalendarError::YearOutOfRange { year: l.year })?;
    check_solar_year(date.year())?;
    Ok(date)
}

/// The leap month of a lunar year (numbered like the month it repeats), if it has one.
pub fn leap_month(year: i32) -> Result<Option<u8>, CalendarError> {
    check_solar_year(year)?;
    Ok(leap_month_unchecked(year))
}

fn check_solar_year(year: i32) -> Result<(), CalendarError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(CalendarError::YearOutOfRange { year })
    }
}

/// Months 11 and 12 of lunar year Y open the suì that starts in solar year Y; months 1–10
/// close the suì that started in Y-1.
fn sui_year_of(lunar_year: i32, month: u8) -> i32 {
    if month >= 11 {
        lunar_year
    } else {
        lunar_year - 1
    }
}

fn leap_month_unchecked(year: i32) -> Option<u8> {
    [year - 1, year].into_iter().find_map(|sui_year| {
        let sui = Sui::new(sui_year);
        let offset = sui.leap_offset?;
        let label = sui.label(offset);
        (label.year == year).then_some(label.month)
    })
}

/// The months from one month 11 (inclusive) to the next (exclusive).
struct Sui {
    year: i32,
    months: usize,
    /// Julian day numbers of the first day of each month, plus the next month 11.
    starts: Vec<i64>,
    leap_offset: Option<usize>,
}

struct MonthLabel {
    month: u8,
    year: i32,
    leap: bool,
}

impl Sui {
    fn new(year: i32) -> Self {
        let first = month11_index(year);
        let next = month11_index(year + 1);
        let months = usize::try_from(next - first).unwrap_or(12);
        let starts: Vec<i64> = (first..=next).map(new_moon_day).collect();
        let leap_offset = if months == 13 {
            let sectors: Vec<i64> = starts.iter().map(|&d| sun_sector(d)).collect();
            // Month 11 itself holds the solstice, so the search starts with the month after.
            (1..months).find(|&i| sectors[i] == sectors[i + 1])
        } else {
            None
        };
        Self {
            year,
            months,
            starts,
            leap_offset,
        }
    }

    fn label(&self, offset: usize) -> MonthLabel {
        let (index, leap) = match self.leap_offset {
            Some(l) if offset == l => (offset - 1, true),
            Some(l) if offset > l => (offset - 1, false),
            _ => (offset, false),
        };
        // Index 0 is month 11, 1 is month 12, 2 is month 1, …
        let month = ((index + 10) % 12 + 1) as u8;
        let year = if month >= 11 {
            self.year
        } else {
            self.year + 1
        };
        MonthLabel { month, year, leap }
    }

    fn days_in_month(&self, offset: usize) -> i64 {
        self.starts[offset + 1] - self.starts[offset]
    }
}

fn jdn(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JDN_CE_OFFSET
}

fn date_from_jdn(jd: i64) -> Option<NaiveDate> {
    i32::try_from(jd - JDN_CE_OFFSET)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// Julian day number of 31 December (Gregorian), without going through a fallible date.
fn jdn_dec31(year: i32) -> i64 {
    let y = i64::from(year) + 4800;
    let m = 9; // December, counted from March
    31 + (153 * m + 2) / 5 + 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)
        - 32045
}

/// Number of the new moon that starts month 11 of `year`: the last new moon before
/// 31 December, unless the sun has already passed the solstice by then.
fn month11_index(year: i32) -> i64 {
    let k = ((jdn_dec31(year) - 2_415_021) as f64 / SYNODIC_MONTH).floor() as i64;
    // Sector 9 starts at 270°, the winter solstice.
    if sun_sector(new_moon_day(k)) >= 9 {
        k - 1
    } else {
        k
    }
}

/// Vietnam date (as a Julian day number) of new moon number `k`.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TZ_DAYS).floor() as i64
}

/// Julian day (UT) of new moon number `k` (Meeus ch. 49, the terms Hồ Ngọc Đức keeps).
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    // ΔT (TT − UT) in days: two polynomial fits, split at 1800.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// The sun's apparent longitude in radians, in [0, 2π), at Julian day `jd` (Meeus ch. 25,
/// low precision).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// Which 30° sector (0–11) the sun is in at Vietnam midnight starting day `jd`.
fn sun_sector(jd: i64) -> i64 {
    (sun_longitude(jd as f64 - 0.5 - TZ_DAYS) / PI * 6.0).floor() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn jdn_matches_known_values() {
        assert_eq!(jdn(d(2000, 1, 1)), 2_451_545);
        assert_eq!(jdn(d(1900, 1, 1)), 2_415_021);
        assert_eq!(jdn_dec31(1999), 2_451_544);
        assert_eq!(date_from_jdn(2_451_545), Some(d(2000, 1, 1)));
    }

    #[test]
    fn every_thirteen_month_sui_has_a_leap_month() {
        for year in MIN_YEAR - 1..=MAX_YEAR {
            let sui = Sui::new(year);
            assert!(
                sui.months == 12 || sui.months == 13,
                "{year}: {}",
                sui.months
            );
            assert_eq!(sui.months == 13, sui.leap_offset.is_some(), "{year}");
            for i in 0..sui.months {
                let len = sui.days_in_month(i);
                assert!(len == 29 || len == 30, "{year} offset {i}: {len}");
            }
        }
    }
}
