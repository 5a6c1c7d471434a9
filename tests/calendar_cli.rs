//! The calendar through the CLI: holidays, lunar dates, notices and appointments.

use crate::support;

use support::Desk;

fn days(desk: &Desk, year: &str) -> Vec<(String, bool)> {
    let v = desk.json(&["calendar", "days", year, "--json"]);
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap().to_string(),
                d["working"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_2026_calendar_is_the_announced_one() {
    let desk = Desk::ready();
    let off = [
        "2026-01-01",
        "2026-01-02",
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
        "2026-04-27",
        "2026-04-30",
        "2026-05-01",
        "2026-08-31",
        "2026-09-01",
        "2026-09-02",
        "2026-11-24",
    ];
    let mut expected: Vec<(String, bool)> = off.iter().map(|d| (d.to_string(), false)).collect();
    expected.push(("2026-01-10".into(), true));
    expected.push(("2026-08-22".into(), true));
    expected.sort();
    assert_eq!(days(&desk, "2026"), expected);
    let text = desk.ok(&["calendar", "days", "2026"]);
    assert!(text.contains("Tết Nguyên đán"), "{text}");
}

#[test]
fn lunar_conversions() {
    let desk = Desk::new();
    assert_eq!(
        desk.json(&["calendar", "to-lunar", "2030-02-02", "--json"]),
        serde_json::json!({"day":1,"month":1,"year":2030,"leap":false})
    );
    assert_eq!(
        desk.ok(&["calendar", "to-solar", "--day", "10", "--month", "3", "--year", "2027"])
            .trim(),
        "2027-04-16"
    );
    assert_eq!(
        desk.ok(&[
            "calendar", "to-solar", "--day", "1", "--month", "6", "--year", "2025", "--leap"
        ])
        .trim(),
        "2025-07-25"
    );
    for (args, needle) in [
        // Read by the core's date reader, which names the field.
        (
            vec!["calendar", "to-lunar", "2026-02-30"],
            "Ngày: không phải ngày hợp lệ",
        ),
        (
            vec![
                "calendar", "to-solar", "--day", "1", "--month", "13", "--year", "2027",
            ],
            "13",
        ),
        (
            vec![
                "calendar", "to-solar", "--day", "1", "--month", "5", "--year", "2027", "--leap",
            ],
            "nhuận",
        ),
        (vec!["calendar", "to-lunar", "2101-01-01"], "2101"),
    ] {
        let out = desk.run(&args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn notices_can_be_added_and_removed_and_check_warns_for_a_missing_year() {
    let desk = Desk::ready();
    let out = desk.run(&["calendar", "check", "--json"]);
    // 2027 has no notice in the seed: the warning exit status.
    if out.status.code() == Some(3) {
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(!v["warnings"].as_array().unwrap().is_empty());
    } else {
        assert!(out.status.success());
    }
    // Announce 2027 and 2028 with one entry each, and every year has its notice.
    desk.ok(&[
        "calendar",
        "add-off",
        "2027-02-05",
        "--reason",
        "Nghỉ Tết Nguyên đán",
        "--reference",
        "Thông báo 2027",
    ]);
    desk.ok(&[
        "calendar",
        "add-workday",
        "2027-02-20",
        "--reason",
        "Làm bù",
        "--reference",
        "Thông báo 2027",
    ]);
    let y2027 = days(&desk, "2027");
    assert!(y2027.contains(&("2027-02-05".into(), false)));
    assert!(y2027.contains(&("2027-02-20".into(), true)));
    desk.ok(&["calendar", "remove", "2027-02-20"]);
    assert!(!days(&desk, "2027").contains(&("2027-02-20".into(), true)));
    let out = desk.run(&["calendar", "remove", "2027-02-21"]);
    assert!(!out.status.success());
    let out = desk.run(&["calendar", "add-off", "2027-02-31", "--reason", "x"]);
    assert!(!out.status.success());
    let out = desk.run(&["calendar", "add-off", "2027-03-01", "--reason", ""]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Lý do"));
}

#[test]
fn due_dates_follow_the_working_day_calendar() {
    let desk = Desk::ready();
    let due = |procedure: &str, received: &str| {
        desk.ok(&["due-date", "--procedure", procedure, "--received", received])
            .trim()
            .to_string()
    };
    // 3 working days across Tết 2026.
    assert_eq!(
        due("1.004873", "2026-02-13T09:00:00+07:00"),
        "2026-02-25T09:00:00+07:00"
    );
    // Same day before and after the 15:00 cut-off on a Friday.
    assert_eq!(
        due("1.001193", "2026-11-27T14:59:00+07:00"),
        "2026-11-27T17:00:00+07:00"
    );
    assert_eq!(
        due("1.001193", "2026-11-27T15:30:00+07:00"),
        "2026-11-30T17:00:00+07:00"
    );
    // Received at lunch, counted from 13:30; after hours, from the next morning.
    assert_eq!(
        due("2.001035", "2026-11-25T12:15:00+07:00"),
        "2026-11-27T13:30:00+07:00"
    );
    assert_eq!(
        due("2.001035", "2026-11-25T18:00:00+07:00"),
        "2026-11-30T07:00:00+07:00"
    );
    // Whatever zone the instant is written in.
    assert_eq!(
        due("1.001193", "2026-11-27T08:30:00Z"),
        "2026-11-30T17:00:00+07:00"
    );
    let json = desk.json(&[
        "due-date",
        "--procedure",
        "1.004873",
        "--received",
        "2026-11-23T10:00:00+07:00",
        "--json",
    ]);
    // 24/11/2026 is Ngày Văn hóa Việt Nam.
    assert_eq!(json["due_at"], "2026-11-27T10:00:00+07:00");
    for (procedure, received, needle) in [
        ("9.999", "2026-11-23T10:00:00+07:00", "9.999"),
        (
            "1.004873",
            "2026-02-30T10:00:00+07:00",
            "Thời điểm tiếp nhận",
        ),
        ("1.004873", "yesterday", "Thời điểm tiếp nhận"),
    ] {
        let out = desk.run(&["due-date", "--procedure", procedure, "--received", received]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{err}");
    }
}
