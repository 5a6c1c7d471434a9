// Calendar: lunar dates, working days, office hours and appointments. Expected values are
// worked out by hand from the rules in the module docs (and, for lunar dates, from
// Hồ Ngọc Đức's published algorithm at UTC+7).

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use motcua_core::calendar::*;
use motcua_core::i18n::{Lang, Localized};
use motcua_core::vntime::{from_vn, rfc3339_vn};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// A Vietnam wall-clock time as an instant.
fn vn(y: i32, m: u32, day: u32, h: u32, mi: u32) -> DateTime<Utc> {
    from_vn(d(y, m, day).and_time(t(h, mi)))
}

fn lunar(day: u8, month: u8, year: i32, leap: bool) -> LunarDate {
    LunarDate {
        day,
        month,
        year,
        leap,
    }
}

fn seeded() -> WorkCalendar {
    WorkCalendar::new(seed_notices(), CalendarRules::default())
}

// ---------------------------------------------------------------- lunar

#[test]
fn tet_dates_follow_the_vietnamese_calendar() {
    let tet = [
        (2024, d(2024, 2, 10)),
        (2025, d(2025, 1, 29)),
        (2026, d(2026, 2, 17)),
        (2027, d(2027, 2, 6)),
        (2028, d(2028, 1, 26)),
        (2029, d(2029, 2, 13)),
        // Years where a UTC+8 (Chinese) calendar gives another date.
        (1985, d(1985, 1, 21)), // China: 1985-02-20
        (2007, d(2007, 2, 17)), // China: 2007-02-18
        (2030, d(2030, 2, 2)),  // China: 2030-02-03
    ];
    for (year, date) in tet {
        assert_eq!(
            lunar_to_solar(lunar(1, 1, year, false)).unwrap(),
            date,
            "Tết {year}"
        );
        assert_eq!(
            solar_to_lunar(date).unwrap(),
            lunar(1, 1, year, false),
            "{date}"
        );
    }
    assert_eq!(
        solar_to_lunar(d(2030, 2, 3)).unwrap(),
        lunar(2, 1, 2030, false)
    );
    assert_eq!(
        solar_to_lunar(d(1985, 1, 20)).unwrap(),
        lunar(30, 12, 1984, false)
    );
}

#[test]
fn gio_to_dates() {
    let gio_to = [
        (2023, d(2023, 4, 29)),
        (2024, d(2024, 4, 18)),
        (2025, d(2025, 4, 7)),
        (2026, d(2026, 4, 26)),
        (2027, d(2027, 4, 16)),
    ];
    for (year, date) in gio_to {
        assert_eq!(
            lunar_to_solar(lunar(10, 3, year, false)).unwrap(),
            date,
            "Giỗ Tổ {year}"
        );
    }
}

#[test]
fn leap_months_are_vietnamese() {
    assert_eq!(leap_month(2020).unwrap(), Some(4));
    assert_eq!(leap_month(2023).unwrap(), Some(2));
    assert_eq!(leap_month(2025).unwrap(), Some(6));
    assert_eq!(leap_month(2028).unwrap(), Some(5));
    assert_eq!(leap_month(2026).unwrap(), None);
    // China put the leap month at 10/1984; Vietnam (UTC+7) at 2/1985.
    assert_eq!(leap_month(1984).unwrap(), None);
    assert_eq!(leap_month(1985).unwrap(), Some(2));
    assert_eq!(leap_month(2033).unwrap(), Some(11));

    let starts = [
        (lunar(1, 4, 2020, true), d(2020, 5, 23)),
        (lunar(1, 2, 2023, true), d(2023, 3, 22)),
        (lunar(1, 6, 2025, true), d(2025, 7, 25)),
        (lunar(1, 5, 2028, true), d(2028, 6, 23)),
        (lunar(1, 2, 1985, true), d(1985, 3, 21)),
        (lunar(1, 11, 2033, true), d(2033, 12, 22)),
    ];
    for (l, date) in starts {
        assert_eq!(lunar_to_solar(l).unwrap(), date, "{l}");
        assert_eq!(solar_to_lunar(date).unwrap(), l, "{date}");
    }
}

#[test]
fn every_day_1900_to_2100_round_trips() {
    let mut date = d(1900, 1, 1);
    let mut previous = solar_to_lunar(date).unwrap();
    assert_eq!(previous, lunar(1, 12, 1899, false));
    assert_eq!(lunar_to_solar(previous).unwrap(), date);
    while date < d(2100, 12, 31) {
        date = date.succ_opt().unwrap();
        let l = solar_to_lunar(date).unwrap();
        assert_eq!(lunar_to_solar(l).unwrap(), date, "{date} -> {l:?}");
        // Consecutive days: the next day of the month, or day 1 of a new month after
        // day 29 or 30.
        if l.day == 1 {
            assert!(
                previous.day == 29 || previous.day == 30,
                "{date}: {previous:?} -> {l:?}"
            );
            assert!(
                l.leap || l.month != previous.month || l.year != previous.year,
                "{date}"
            );
        } else {
            assert_eq!(
                (l.day, l.month, l.year, l.leap),
                (
                    previous.day + 1,
                    previous.month,
                    previous.year,
                    previous.leap
                ),
                "{date}"
            );
        }
        previous = l;
    }
    assert_eq!(previous, lunar(1, 12, 2100, false));
}

#[test]
fn tet_always_starts_between_21_january_and_20_february() {
    for year in 1900..=2100 {
        let tet = lunar_to_solar(lunar(1, 1, year, false)).unwrap();
        assert!(
            tet >= d(year, 1, 21) && tet <= d(year, 2, 20),
            "{year}: {tet}"
        );
    }
}

#[test]
fn invalid_lunar_dates_are_explained() {
    let err = lunar_to_solar(lunar(1, 13, 2026, false)).unwrap_err();
    assert_eq!(err.to_string(), "Ngày âm lịch không hợp lệ: tháng 13");
    assert_eq!(err.message(Lang::En), "Invalid lunar date: month 13");
    assert!(lunar_to_solar(lunar(1, 0, 2026, false)).is_err());

    // Month 12 of 2025 has 29 days (Tết 2026 is on 17/2, the 16th is 29/12).
    let err = lunar_to_solar(lunar(30, 12, 2025, false)).unwrap_err();
    assert_eq!(
        err,
        CalendarError::InvalidLunarDate(LunarDateProblem::Day {
            date: lunar(30, 12, 2025, false),
            days_in_month: 29
        })
    );
    assert_eq!(
        err.to_string(),
        "Ngày âm lịch không hợp lệ: ngày 30 tháng 12 năm 2025 (tháng này có 29 ngày)"
    );
    assert_eq!(
        lunar_to_solar(lunar(29, 12, 2025, false)).unwrap(),
        d(2026, 2, 16)
    );
    assert!(lunar_to_solar(lunar(31, 1, 2026, false)).is_err());
    assert!(lunar_to_solar(lunar(0, 1, 2026, false)).is_err());

    let err = lunar_to_solar(lunar(1, 3, 2025, true)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Ngày âm lịch không hợp lệ: năm 2025 không có tháng 3 nhuận (năm 2025 nhuận tháng 6)"
    );
    assert_eq!(
        err.message(Lang::En),
        "Invalid lunar date: year 2025 has no leap month 3 (its leap month is 6)"
    );
    let err = lunar_to_solar(lunar(1, 3, 2026, true)).unwrap_err();
    assert!(
        err.to_string().ends_with("(năm 2026 không có tháng nhuận)"),
        "{err}"
    );
}

#[test]
fn years_outside_1900_2100_are_refused() {
    let err = solar_to_lunar(d(1899, 12, 31)).unwrap_err();
    assert_eq!(err, CalendarError::YearOutOfRange { year: 1899 });
    assert_eq!(
        err.to_string(),
        "Năm 1899 nằm ngoài phạm vi hỗ trợ (1900–2100)"
    );
    assert_eq!(
        err.message(Lang::En),
        "Year 1899 is outside the supported range (1900–2100)"
    );
    assert!(solar_to_lunar(d(2101, 1, 1)).is_err());
    assert!(lunar_to_solar(lunar(1, 1, 2101, false)).is_err());
    assert!(lunar_to_solar(lunar(1, 1, 1899, false)).is_err());
    assert_eq!(
        lunar_to_solar(lunar(2, 12, 2100, false)),
        Err(CalendarError::YearOutOfRange { year: 2101 })
    );
    assert!(leap_month(1899).is_err());
}

#[test]
fn lunar_date_serializes_as_plain_fields() {
    let l = lunar(10, 3, 2026, false);
    let json = serde_json::to_string(&l).unwrap();
    assert_eq!(json, r#"{"day":10,"month":3,"year":2026,"leap":false}"#);
    assert_eq!(serde_json::from_str::<LunarDate>(&json).unwrap(), l);
}

// ---------------------------------------------------------------- working days

fn special(cal: &WorkCalendar, year: i32) -> Vec<(NaiveDate, bool)> {
    cal.special_days(year)
        .unwrap()
        .into_iter()
        .map(|i| (i.date, i.working))
        .collect()
}

fn expected(off: &[(u32, u32)], work: &[(u32, u32)], year: i32) -> Vec<(NaiveDate, bool)> {
    let mut days: Vec<(NaiveDate, bool)> = off
        .iter()
        .map(|&(m, day)| (d(year, m, day), false))
        .chain(work.iter().map(|&(m, day)| (d(year, m, day), true)))
        .collect();
    days.sort();
    days
}

#[test]
fn special_days_2026() {
    let cal = seeded();
    let off = [
        (1, 1),
        (1, 2),
        (2, 16),
        (2, 17),
        (2, 18),
        (2, 19),
        (2, 20),
        (4, 27),
        (4, 30),
        (5, 1),
        (8, 31),
        (9, 1),
        (9, 2),
        (11, 24),
    ];
    assert_eq!(
        special(&cal, 2026),
        expected(&off, &[(1, 10), (8, 22)], 2026)
    );
    assert!(cal.is_announced(2026));
    let all = cal.special_days(2026).unwrap();
    assert!(all.iter().all(|i| i.reason.is_some()));
    assert_eq!(
        cal.day_info(d(2026, 1, 10)).reason.as_deref(),
        Some("Làm bù cho ngày 02/01/2026")
    );
    assert_eq!(
        cal.day_info(d(2026, 11, 24)).reason.as_deref(),
        Some("Ngày Văn hóa Việt Nam")
    );
    assert_eq!(
        cal.day_info(d(2026, 2, 17)).reason.as_deref(),
        Some("Nghỉ Tết Nguyên đán")
    );
    assert_eq!(
        cal.day_info(d(2026, 4, 26)).reason.as_deref(),
        Some("Giỗ Tổ Hùng Vương")
    );
    assert_eq!(
        cal.day_info(d(2026, 4, 27)).reason.as_deref(),
        Some("Nghỉ bù Giỗ Tổ Hùng Vương")
    );
}

#[test]
fn special_days_2024_and_2025() {
    let cal = seeded();
    let off_2024 = [
        (1, 1),
        (2, 8),
        (2, 9),
        (2, 12),
        (2, 13),
        (2, 14),
        (4, 18),
        (4, 29),
        (4, 30),
        (5, 1),
        (9, 2),
        (9, 3),
    ];
    assert_eq!(special(&cal, 2024), expected(&off_2024, &[(5, 4)], 2024));
    let off_2025 = [
        (1, 1),
        (1, 27),
        (1, 28),
        (1, 29),
        (1, 30),
        (1, 31),
        (4, 7),
        (4, 30),
        (5, 1),
        (5, 2),
        (9, 1),
        (9, 2),
    ];
    assert_eq!(special(&cal, 2025), expected(&off_2025, &[(4, 26)], 2025));
}

#[test]
fn unannounced_2027_is_computed() {
    let cal = seeded();
    assert!(!cal.is_announced(2027));
    // Tết: Fri 5/2 (29/12) to Tue 9/2; Sat 6 and Sun 7 are compensated on Wed 10 and
    // Thu 11. 1/5 is a Saturday: Mon 3/5. 2/9 Thu + 3/9 Fri.
    let off = [
        (1, 1),
        (2, 5),
        (2, 8),
        (2, 9),
        (2, 10),
        (2, 11),
        (4, 16),
        (4, 30),
        (5, 3),
        (9, 2),
        (9, 3),
        (11, 24),
    ];
    assert_eq!(special(&cal, 2027), expected(&off, &[], 2027));
    assert_eq!(
        cal.day_info(d(2027, 2, 6)).reason.as_deref(),
        Some("Tết Nguyên đán")
    );
    assert_eq!(
        cal.day_info(d(2027, 2, 10)).reason.as_deref(),
        Some("Nghỉ bù Tết Nguyên đán")
    );
    assert_eq!(
        cal.day_info(d(2027, 5, 3)).reason.as_deref(),
        Some("Nghỉ bù Ngày Quốc tế Lao động")
    );
    assert_eq!(
        cal.day_info(d(2027, 9, 3)).reason.as_deref(),
        Some("Quốc khánh (ngày liền kề)")
    );
}

#[test]
fn unannounced_2023_matches_what_was_announced() {
    // Giỗ Tổ on Sat 29/4, 30/4 on Sunday: the 2023 notice gave Tue 2/5 and Wed 3/5.
    let cal = WorkCalendar::new(Vec::new(), CalendarRules::default());
    assert!(!cal.is_working_day(d(2023, 5, 2)));
    assert!(!cal.is_working_day(d(2023, 5, 3)));
    assert!(cal.is_working_day(d(2023, 5, 4)));
    assert_eq!(
        cal.day_info(d(2023, 5, 2)).reason.as_deref(),
        Some("Nghỉ bù Giỗ Tổ Hùng Vương")
    );
}

#[test]
fn nov24_compensation_is_a_setting() {
    // 24/11/2029 is a Saturday.
    let with = WorkCalendar::new(
        Vec::new(),
        CalendarRules {
            nov24_compensate: true,
        },
    );
    let without = WorkCalendar::new(
        Vec::new(),
        CalendarRules {
            nov24_compensate: false,
        },
    );
    assert!(!with.is_working_day(d(2029, 11, 26)));
    assert!(without.is_working_day(d(2029, 11, 26)));
    assert!(!without.is_working_day(d(2029, 11, 24)));
    assert!(CalendarRules::default().nov24_compensate);
    // Not a holiday before 2026.
    assert!(with.is_working_day(d(2025, 11, 24)));
}

#[test]
fn notices_override_and_next_working_day() {
    let cal = seeded();
    assert!(cal.is_working_day(d(2026, 8, 22)));
    assert!(!cal.is_working_day(d(2026, 8, 23)));
    assert_eq!(
        cal.day_info(d(2026, 8, 23)).reason.as_deref(),
        Some("Chủ nhật")
    );
    assert_eq!(
        cal.day_info(d(2026, 8, 29)).reason.as_deref(),
        Some("Thứ Bảy")
    );
    assert_eq!(cal.day_info(d(2026, 8, 27)).reason, None);
    assert_eq!(cal.next_working_day(d(2026, 2, 13)), d(2026, 2, 23));
    assert_eq!(cal.next_working_day(d(2026, 8, 21)), d(2026, 8, 22));
    assert_eq!(cal.working_day_on_or_after(d(2026, 2, 23)), d(2026, 2, 23));
    assert_eq!(cal.working_day_on_or_after(d(2026, 2, 14)), d(2026, 2, 23));
    assert_eq!(cal.notices().len(), seed_notices().len());
    assert!(cal.rules().nov24_compensate);
    assert!(cal.special_days(1899).is_err());

    // A Work entry on a weekday of an announced year that would otherwise be off.
    let custom = WorkCalendar::new(
        vec![Notice {
            date: d(2027, 2, 5),
            kind: DayKind::Work,
            reason: "Làm việc".into(),
            reference: "Thử".into(),
        }],
        CalendarRules::default(),
    );
    assert!(custom.is_announced(2027));
    assert!(custom.is_working_day(d(2027, 2, 5)));
    // Announced: no computed Tết, no compensation, but fixed holidays still apply.
    assert!(custom.is_working_day(d(2027, 2, 8)));
    assert!(!custom.is_working_day(d(2027, 1, 1)));
    assert!(custom.is_working_day(d(2027, 5, 3)));
}

#[test]
fn notices_serialize_with_lowercase_kind() {
    let n = &seed_notices()[0];
    let json = serde_json::to_value(n).unwrap();
    assert_eq!(json["kind"], "off");
    assert_eq!(json["date"], "2024-02-08");
    assert_eq!(serde_json::from_value::<Notice>(json).unwrap(), *n);
    assert!(seed_notices()
        .iter()
        .all(|n| !n.reason.is_empty() && !n.reference.is_empty()));
}

// ---------------------------------------------------------------- office hours

#[test]
fn office_hours_setting_text() {
    let h = OfficeHours::parse("07:30-11:30,13:00-16:30").unwrap();
    assert_eq!(h.to_string(), "07:30-11:30,13:00-16:30");
    assert_eq!(h.working_minutes_per_day(), 450);
    assert_eq!(
        OfficeHours::default().to_string(),
        "07:00-11:30,13:30-17:00"
    );
    let err = OfficeHours::parse("sáng 7 giờ").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Giờ làm việc không hợp lệ: \"sáng 7 giờ\" (cần theo dạng 07:00-11:30,13:30-17:00)"
    );
    assert!(OfficeHours::new(t(7, 0), t(11, 30), t(11, 30), t(17, 0)).is_err());
}

// ---------------------------------------------------------------- appointments

fn due(limit: TimeLimit, received: DateTime<Utc>) -> String {
    rfc3339_vn(due_at(&seeded(), &OfficeHours::default(), limit, received))
}

const WD1: TimeLimit = TimeLimit::WorkingDays { days: 1 };

fn same_day() -> TimeLimit {
    TimeLimit::SameDay { cutoff: t(15, 0) }
}

#[test]
fn working_days_skip_holidays_and_use_makeup_saturdays() {
    // Fri 13/2/2026 + 3: Tết 16–20/2 → Mon 23, Tue 24, Wed 25.
    assert_eq!(
        due(TimeLimit::WorkingDays { days: 3 }, vn(2026, 2, 13, 9, 0)),
        "2026-02-25T09:00:00+07:00"
    );
    // Mon 23/11/2026 + 2: Tue 24/11 is off → Wed 25, Thu 26.
    assert_eq!(
        due(TimeLimit::WorkingDays { days: 2 }, vn(2026, 11, 23, 10, 0)),
        "2026-11-26T10:00:00+07:00"
    );
    // Sat 22/8/2026 is a make-up working day.
    assert_eq!(
        due(WD1, vn(2026, 8, 21, 10, 0)),
        "2026-08-22T10:00:00+07:00"
    );
}

#[test]
fn reception_outside_office_hours() {
    // Lunch counts from 13:30.
    assert_eq!(
        due(WD1, vn(2026, 11, 25, 12, 15)),
        "2026-11-26T13:30:00+07:00"
    );
    // After closing counts from the next morning.
    assert_eq!(
        due(WD1, vn(2026, 11, 25, 18, 0)),
        "2026-11-27T07:00:00+07:00"
    );
    assert_eq!(
        due(WD1, vn(2026, 11, 25, 17, 0)),
        "2026-11-27T07:00:00+07:00"
    );
    // Before opening counts from opening that day.
    assert_eq!(
        due(WD1, vn(2026, 11, 25, 6, 30)),
        "2026-11-26T07:00:00+07:00"
    );
    // A Sunday counts from Monday morning.
    assert_eq!(
        due(WD1, vn(2026, 11, 29, 10, 0)),
        "2026-12-01T07:00:00+07:00"
    );
    // Zero days is the effective start.
    assert_eq!(
        due(TimeLimit::WorkingDays { days: 0 }, vn(2026, 11, 27, 18, 0)),
        "2026-11-30T07:00:00+07:00"
    );
    assert_eq!(
        due(TimeLimit::WorkingDays { days: 0 }, vn(2026, 11, 27, 9, 10)),
        "2026-11-27T09:10:00+07:00"
    );
}

#[test]
fn same_day_procedures_follow_the_15h_rule() {
    assert_eq!(
        due(same_day(), vn(2026, 11, 27, 15, 30)),
        "2026-11-30T17:00:00+07:00"
    );
    assert_eq!(
        due(same_day(), vn(2026, 11, 27, 15, 0)),
        "2026-11-30T17:00:00+07:00"
    );
    assert_eq!(
        due(same_day(), vn(2026, 11, 27, 14, 59)),
        "2026-11-27T17:00:00+07:00"
    );
    assert_eq!(
        due(same_day(), vn(2026, 11, 27, 6, 45)),
        "2026-11-27T17:00:00+07:00"
    );
    assert_eq!(
        due(same_day(), vn(2026, 11, 28, 9, 0)),
        "2026-11-30T17:00:00+07:00"
    );
    // Received on 24/11 (holiday) → Wed 25/11.
    assert_eq!(
        due(same_day(), vn(2026, 11, 24, 9, 0)),
        "2026-11-25T17:00:00+07:00"
    );
}

#[test]
fn calendar_days_do_not_count_the_first_day() {
    // Thu 19/11 + 10 = Sun 29/11 → Mon 30/11 at closing.
    assert_eq!(
        due(TimeLimit::CalendarDays { days: 10 }, vn(2026, 11, 19, 9, 0)),
        "2026-11-30T17:00:00+07:00"
    );
    // Fri 13/11 + 11 = Tue 24/11, a holiday → Wed 25/11.
    assert_eq!(
        due(
            TimeLimit::CalendarDays { days: 11 },
            vn(2026, 11, 13, 10, 0)
        ),
        "2026-11-25T17:00:00+07:00"
    );
    // After closing on Fri 13/11 the effective start is Mon 16/11: + 10 = Thu 26/11.
    assert_eq!(
        due(
            TimeLimit::CalendarDays { days: 10 },
            vn(2026, 11, 13, 20, 0)
        ),
        "2026-11-26T17:00:00+07:00"
    );
}

#[test]
fn instants_are_utc_and_reasoned_in_vietnam_time() {
    // 01:30 UTC on 27/11 is 08:30 in Vietnam: a same-day reception.
    let received = DateTime::parse_from_rfc3339("2026-11-27T01:30:00Z")
        .unwrap()
        .to_utc();
    let result = due_at(&seeded(), &OfficeHours::default(), same_day(), received);
    assert_eq!(result.to_rfc3339(), "2026-11-27T10:00:00+00:00");
    // 20:00 UTC on Thu 26/11 is already Fri 27/11 03:00 in Vietnam.
    let received = DateTime::parse_from_rfc3339("2026-11-26T20:00:00Z")
        .unwrap()
        .to_utc();
    assert_eq!(
        rfc3339_vn(due_at(&seeded(), &OfficeHours::default(), WD1, received)),
        "2026-11-30T07:00:00+07:00"
    );
}

#[test]
fn office_minutes() {
    let (cal, h) = (seeded(), OfficeHours::default());
    assert_eq!(
        office_minutes_between(&cal, &h, vn(2026, 11, 25, 10, 0), vn(2026, 11, 26, 10, 0)),
        480
    );
    // Across Tue 24/11: 60 on Monday, 60 on Wednesday.
    assert_eq!(
        office_minutes_between(&cal, &h, vn(2026, 11, 23, 16, 0), vn(2026, 11, 25, 8, 0)),
        120
    );
    assert_eq!(
        office_minutes_between(&cal, &h, vn(2026, 11, 25, 12, 0), vn(2026, 11, 25, 13, 0)),
        0
    );
    assert_eq!(
        office_minutes_between(&cal, &h, vn(2026, 11, 26, 10, 0), vn(2026, 11, 25, 10, 0)),
        0
    );

    let add = |from, minutes| rfc3339_vn(add_office_minutes(&cal, &h, from, minutes));
    assert_eq!(
        add(vn(2026, 11, 25, 16, 0), 60),
        "2026-11-25T17:00:00+07:00"
    );
    assert_eq!(
        add(vn(2026, 11, 25, 16, 0), 61),
        "2026-11-26T07:01:00+07:00"
    );
    assert_eq!(
        add(vn(2026, 11, 25, 11, 0), 30),
        "2026-11-25T11:30:00+07:00"
    );
    assert_eq!(
        add(vn(2026, 11, 25, 11, 0), 31),
        "2026-11-25T13:31:00+07:00"
    );
    assert_eq!(
        add(vn(2026, 11, 25, 12, 0), 30),
        "2026-11-25T14:00:00+07:00"
    );
    assert_eq!(
        add(vn(2026, 11, 23, 17, 0), 480),
        "2026-11-25T17:00:00+07:00"
    );
    assert_eq!(add(vn(2026, 11, 25, 12, 0), 0), "2026-11-25T12:00:00+07:00");
}

#[test]
fn pauses_extend_or_restart_the_clock() {
    let (cal, h) = (seeded(), OfficeHours::default());
    let limit = TimeLimit::WorkingDays { days: 2 };
    let received = vn(2026, 11, 23, 10, 0);
    let base = due_at(&cal, &h, limit, received);
    assert_eq!(rfc3339_vn(base), "2026-11-26T10:00:00+07:00");
    let run = |pauses: &[Pause], policy| {
        rfc3339_vn(due_with_pauses(&cal, &h, limit, received, pauses, policy))
    };
    assert_eq!(run(&[], PausePolicy::Extend), "2026-11-26T10:00:00+07:00");
    assert_eq!(run(&[], PausePolicy::Restart), "2026-11-26T10:00:00+07:00");

    // A full working day (Wed 25/11) paused moves the appointment by one working day.
    let full_day = Pause {
        start: vn(2026, 11, 25, 7, 0),
        end: vn(2026, 11, 26, 7, 0),
    };
    assert_eq!(
        run(&[full_day], PausePolicy::Extend),
        "2026-11-27T10:00:00+07:00"
    );
    // Unsorted, overlapping and repeated pauses count once.
    let inner = Pause {
        start: vn(2026, 11, 25, 9, 0),
        end: vn(2026, 11, 25, 10, 0),
    };
    let overlapping = Pause {
        start: vn(2026, 11, 25, 16, 0),
        end: vn(2026, 11, 26, 8, 0),
    };
    assert_eq!(
        run(
            &[overlapping, full_day, inner, full_day],
            PausePolicy::Extend
        ),
        "2026-11-27T11:00:00+07:00"
    );
    // Restart: the 2 working days run again from the end of the last pause.
    let later = Pause {
        start: vn(2026, 11, 25, 9, 0),
        end: vn(2026, 11, 25, 14, 0),
    };
    assert_eq!(
        run(&[later, inner], PausePolicy::Restart),
        "2026-11-27T14:00:00+07:00"
    );

    // A same-day result paused for a working day moves to the next closing time.
    let sd = due_with_pauses(
        &cal,
        &h,
        same_day(),
        vn(2026, 11, 25, 8, 0),
        &[Pause {
            start: vn(2026, 11, 25, 9, 0),
            end: vn(2026, 11, 26, 9, 0),
        }],
        PausePolicy::Extend,
    );
    assert_eq!(rfc3339_vn(sd), "2026-11-26T17:00:00+07:00");
}

#[test]
fn time_limit_serde_shape() {
    let json = serde_json::to_string(&TimeLimit::WorkingDays { days: 3 }).unwrap();
    assert_eq!(json, r#"{"unit":"working_days","days":3}"#);
    let json = serde_json::to_string(&same_day()).unwrap();
    assert_eq!(json, r#"{"unit":"same_day","cutoff":"15:00:00"}"#);
    assert_eq!(
        serde_json::from_str::<TimeLimit>(&json).unwrap(),
        same_day()
    );
    let cd: TimeLimit = serde_json::from_str(r#"{"unit":"calendar_days","days":10}"#).unwrap();
    assert_eq!(cd, TimeLimit::CalendarDays { days: 10 });
    assert_eq!(
        serde_json::to_string(&PausePolicy::Restart).unwrap(),
        r#""restart""#
    );
    assert_eq!(d(2026, 1, 1).year(), 2026);
}
