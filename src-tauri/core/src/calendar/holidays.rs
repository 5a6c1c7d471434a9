//! Which days the desk works.
//!
//! The calendar combines three sources, in this order of precedence:
//!
//! 1. **Notice entries** (the editable yearly table). An entry of kind `Work` makes its date a
//!    working day (normally a make-up Saturday); an entry of kind `Off` makes it a day off.
//!    When several entries share a date, the last one wins.
//! 2. **Fixed statutory holidays** (Labor Code 2019, Art. 112), applied every year whatever
//!    the notices say: 1/1, Giỗ Tổ Hùng Vương (10/3 lunar), 30/4, 1/5, 2/9, and from 2026
//!    Ngày Văn hóa Việt Nam 24/11 (in force 01/7/2026).
//! 3. **Computed defaults**, only for an *unannounced* year (a year with no notice entry at
//!    all). A year with at least one entry is *announced*: its Tết days, the day next to 2/9,
//!    compensatory days and swaps come from its entries only, because the government's
//!    notice may differ from any rule (it usually lengthens Tết with swapped days). For an
//!    unannounced year:
//!    - Tết is the last day of the lunar year plus lunar 1/1 to 4/1 (five days);
//!    - the day next to 2/9 is 3/9;
//!    - each of these holidays and each fixed holiday falling on a Saturday or Sunday gives
//!      a day off on the next Monday–Friday that is neither a holiday nor already a
//!      compensatory day, holidays taken in date order (Art. 111(3)); 24/11 only when
//!      [`CalendarRules::nov24_compensate`] is set, since the law does not settle it;
//!    - two holidays on the same date count as one day off (no extra compensation).
//!
//! Everything else: Saturday and Sunday are off, Monday–Friday are working days.
//!
//! Tết always starts between 20 January and 19 February (lunar 1/1 falls between 21 January
//! and 20 February), so a Tết block never straddles two solar years; days are still
//! attributed by their own date, so nothing relies on that.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::error::CalendarError;
use super::lunar::{lunar_to_solar, LunarDate, MAX_YEAR, MIN_YEAR};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DayKind {
    Off,
    Work,
}

/// An entry of a yearly government notice: an extra weekday off, or a make-up Saturday
/// worked, with its legal reference so an admin screen can show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub reason: String,
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarRules {
    /// Whether 24/11 on a weekend gives a compensatory day in unannounced years.
    pub nov24_compensate: bool,
}

impl Default for CalendarRules {
    fn default() -> Self {
        Self {
            nov24_compensate: true,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DayInfo {
    pub date: NaiveDate,
    pub working: bool,
    /// Why the day is off, or why a weekend day is worked (Vietnamese); `None` for an
    /// ordinary working weekday.
    pub reason: Option<String>,
}

const TET_DUONG_LICH: &str = "Tết Dương lịch";
const TET_NGUYEN_DAN: &str = "Tết Nguyên đán";
const GIO_TO: &str = "Giỗ Tổ Hùng Vương";
const CHIEN_THANG: &str = "Ngày Chiến thắng";
const LAO_DONG: &str = "Ngày Quốc tế Lao động";
const QUOC_KHANH: &str = "Quốc khánh";
const QUOC_KHANH_LIEN_KE: &str = "Quốc khánh (ngày liền kề)";
const VAN_HOA: &str = "Ngày Văn hóa Việt Nam";
/// First year in which 24/11 is a holiday (Nghị quyết 28/2026/QH16, from 01/7/2026).
const VAN_HOA_FROM_YEAR: i32 = 2026;

#[derive(Debug, Clone)]
pub struct WorkCalendar {
    notices: Vec<Notice>,
    rules: CalendarRules,
    /// Index into `notices` of the entry that governs each date.
    by_date: HashMap<NaiveDate, usize>,
    announced: BTreeSet<i32>,
    /// Holidays and computed days off per supported year, built on first use because the
    /// lunar computations are not free and most callers look at a year or two.
    plans: Box<[OnceLock<YearPlan>]>,
}

/// The days off of one solar year that do not come from notice entries.
#[derive(Debug, Clone, Default)]
struct YearPlan {
    off: HashMap<NaiveDate, String>,
}

impl WorkCalendar {
    pub fn new(notices: Vec<Notice>, rules: CalendarRules) -> Self {
        let by_date = notices
            .iter()
            .enumerate()
            .map(|(i, n)| (n.date, i))
            .collect();
        let announced = notices.iter().map(|n| n.date.year()).collect();
        let years = (MAX_YEAR - MIN_YEAR + 1) as usize;
        let plans = (0..years).map(|_| OnceLock::new()).collect();
        Self {
            notices,
            rules,
            by_date,
            announced,
            plans,
        }
    }

    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    pub fn rules(&self) -> &CalendarRules {
        &self.rules
    }

    pub fn is_announced(&self, year: i32) -> bool {
        self.announced.contains(&year)
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.day_info(date).working
    }

    pub fn day_info(&self, date: NaiveDate) -> DayInfo {
        if let Some(notice) = self.by_date.get(&date).and_then(|&i| self.notices.get(i)) {
            return DayInfo {
                date,
                working: notice.kind == DayKind::Work,
                reason: Some(notice.reason.clone()),
            };
        }
        if let Some(reason) = self.with_plan(date.year(), |plan| plan.off.get(&date).cloned()) {
            return DayInfo {
                date,
                working: false,
                reason: Some(reason),
            };
        }
        match date.weekday() {
            Weekday::Sat => DayInfo {
                date,
                working: false,
                reason: Some("Thứ Bảy".into()),
            },
            Weekday::Sun => DayInfo {
                date,
                working: false,
                reason: Some("Chủ nhật".into()),
            },
            _ => DayInfo {
                date,
                working: true,
                reason: None,
            },
        }
    }

    /// Every Monday–Friday off and every Saturday/Sunday worked in `year`, in date order.
    pub fn special_days(&self, year: i32) -> Result<Vec<DayInfo>, CalendarError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(CalendarError::YearOutOfRange { year });
        }
        let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(CalendarError::InvalidSolarDate {
            year,
            month: 1,
            day: 1,
        })?;
        Ok(first
            .iter_days()
            .take_while(|d| d.year() == year)
            .map(|d| self.day_info(d))
            .filter(|info| info.working == is_weekend(info.date))
            .collect())
    }

    /// The first working day strictly after `date`.
    pub fn next_working_day(&self, date: NaiveDate) -> NaiveDate {
        match date.succ_opt() {
            Some(next) => self.working_day_on_or_after(next),
            None => date,
        }
    }

    pub fn working_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        // Ends within days: notices are finite and holidays few, so a working weekday
        // always comes; the end of chrono's range is the only other exit.
        let mut day = date;
        while !self.is_working_day(day) {
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        day
    }

    fn with_plan<R>(&self, year: i32, f: impl FnOnce(&YearPlan) -> R) -> R {
        let slot = usize::try_from(year - MIN_YEAR)
            .ok()
            .and_then(|i| self.plans.get(i));
        match slot {
            Some(cell) => f(cell.get_or_init(|| self.build_plan(year))),
            // Outside the supported years there is no lunar calendar; the solar holidays
            // are still worth applying, and nobody looks there often enough to cache.
            None => f(&self.build_plan(year)),
        }
    }

    fn build_plan(&self, year: i32) -> YearPlan {
        let announced = self.is_announced(year);
        let mut holidays: BTreeMap<NaiveDate, Vec<(&'static str, bool)>> = BTreeMap::new();
        let mut add = |date: Option<NaiveDate>, name: &'static str, compensable: bool| {
            if let Some(date) = date.filter(|d| d.year() == year) {
                holidays.entry(date).or_default().push((name, compensable));
            }
        };
        let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
        add(ymd(1, 1), TET_DUONG_LICH, true);
        add(lunar_date(10, 3, year), GIO_TO, true);
        add(ymd(4, 30), CHIEN_THANG, true);
        add(ymd(5, 1), LAO_DONG, true);
        add(ymd(9, 2), QUOC_KHANH, true);
        if year >= VAN_HOA_FROM_YEAR {
            add(ymd(11, 24), VAN_HOA, self.rules.nov24_compensate);
        }
        if !announced {
            if let Some(new_year) = lunar_date(1, 1, year) {
                for date in new_year
                    .pred_opt()
                    .into_iter()
                    .chain(new_year.iter_days().take(4))
                {
                    add(Some(date), TET_NGUYEN_DAN, true);
                }
            }
            add(ymd(9, 3), QUOC_KHANH_LIEN_KE, true);
        }

        let mut plan = YearPlan::default();
        for (&date, names) in &holidays {
            let label: Vec<&str> = names.iter().map(|(name, _)| *name).collect();
            plan.off.insert(date, label.join(", "));
        }
        if announced {
            return plan;
        }
        let mut compensations = Vec::new();
        for (&date, names) in &holidays {
            if !is_weekend(date) {
                continue;
            }
            let owed: Vec<&str> = names.iter().filter(|(_, c)| *c).map(|(n, _)| *n).collect();
            if owed.is_empty() {
                continue;
            }
            let free = date.iter_days().skip(1).find(|d| {
                !is_weekend(*d) && !plan.off.contains_key(d) && !compensations.contains(d)
            });
            if let Some(day) = free {
                compensations.push(day);
                plan.off.insert(day, format!("Nghỉ bù {}", owed.join(", ")));
            }
        }
        plan
    }
}

fn lunar_date(day: u8, month: u8, year: i32) -> Option<NaiveDate> {
    lunar_to_solar(LunarDate {
        day,
        month,
        year,
        leap: false,
    })
    .ok()
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The government notices of 2024–2026 (domain reference §6).
pub fn seed_notices() -> Vec<Notice> {
    const TET: &str = "Nghỉ Tết Nguyên đán";
    const QK: &str = "Nghỉ lễ Quốc khánh (ngày liền kề)";
    let ref_2024 = "Thông báo của Bộ LĐTBXH về lịch nghỉ Tết Âm lịch, Giỗ Tổ Hùng Vương, \
                    30/4–1/5 và Quốc khánh năm 2024 đối với cán bộ, công chức, viên chức";
    let ref_2025 = "Thông báo của Bộ LĐTBXH về lịch nghỉ Tết Âm lịch, 30/4–1/5 và Quốc khánh \
                    năm 2025 đối với cán bộ, công chức, viên chức";
    let ref_2026 = "Thông báo của Bộ Nội vụ về lịch nghỉ Tết Dương lịch, Tết Âm lịch và các \
                    ngày lễ năm 2026 đối với cán bộ, công chức, viên chức";
    let off =
        |y, m, d, reason: &str, reference: &str| entry(y, m, d, DayKind::Off, reason, reference);
    let work =
        |y, m, d, reason: &str, reference: &str| entry(y, m, d, DayKind::Work, reason, reference);
    let range = |y, m, from: u32, to: u32, reference: &'static str| {
        (from..=to).filter_map(move |d| off(y, m, d, TET, reference))
    };

    let mut notices = Vec::new();
    // 2024: Tết Thu 8/2 – Wed 14/2; Mon 29/4 swapped with Sat 4/5; 3/9 next to 2/9.
    notices.extend(range(2024, 2, 8, 14, ref_2024));
    notices.extend(off(
        2024,
        4,
        29,
        "Nghỉ hoán đổi (làm bù thứ Bảy 04/05/2024)",
        ref_2024,
    ));
    notices.extend(work(2024, 5, 4, "Làm bù cho ngày 29/04/2024", ref_2024));
    notices.extend(off(2024, 9, 3, QK, ref_2024));
    // 2025: Tết Sat 25/1 – Sun 2/2 (weekdays 27–31/1); Fri 2/5 swapped with Sat 26/4;
    // 1/9 next to 2/9.
    notices.extend(range(2025, 1, 25, 31, ref_2025));
    notices.extend(range(2025, 2, 1, 2, ref_2025));
    notices.extend(work(2025, 4, 26, "Làm bù cho ngày 02/05/2025", ref_2025));
    notices.extend(off(
        2025,
        5,
        2,
        "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)",
        ref_2025,
    ));
    notices.extend(off(2025, 9, 1, QK, ref_2025));
    // 2026: Fri 2/1 swapped with Sat 10/1; Tết Sat 14/2 – Sun 22/2 (weekdays 16–20/2);
    // Giỗ Tổ on Sunday 26/4 compensated Mon 27/4; Mon 31/8 swapped with Sat 22/8; 1/9 next
    // to 2/9.
    notices.extend(off(
        2026,
        1,
        2,
        "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)",
        ref_2026,
    ));
    notices.extend(work(2026, 1, 10, "Làm bù cho ngày 02/01/2026", ref_2026));
    notices.extend(range(2026, 2, 14, 22, ref_2026));
    notices.extend(off(2026, 4, 27, "Nghỉ bù Giỗ Tổ Hùng Vương", ref_2026));
    notices.extend(work(2026, 8, 22, "Làm bù cho ngày 31/08/2026", ref_2026));
    notices.extend(off(
        2026,
        8,
        31,
        "Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)",
        ref_2026,
    ));
    notices.extend(off(2026, 9, 1, QK, ref_2026));
    notices
}

fn entry(
    year: i32,
    month: u32,
    day: u32,
    kind: DayKind,
    reason: &str,
    reference: &str,
) -> Option<Notice> {
    Some(Notice {
        date: NaiveDate::from_ymd_opt(year, month, day)?,
        kind,
        reason: reason.to_owned(),
        reference: reference.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_cache_is_indexed_by_year() {
        let cal = WorkCalendar::new(Vec::new(), CalendarRules::default());
        let d = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
        assert_eq!(cal.day_info(d).reason.as_deref(), Some(TET_DUONG_LICH));
        let outside = NaiveDate::from_ymd_opt(2101, 1, 1).unwrap();
        assert_eq!(
            cal.day_info(outside).reason.as_deref(),
            Some(TET_DUONG_LICH)
        );
        assert!(cal.special_days(2101).is_err());
    }
}
