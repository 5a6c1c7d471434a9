//! The CLI end to end: the real binary on a real SQLite file.

use crate::support;

use std::process::Stdio;

use support::{birth, Desk, BIN};

#[test]
fn intake_prints_the_stored_dossier_as_json() {
    let desk = Desk::ready();
    let d = desk.intake(&birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"));
    assert_eq!(d["code"], "000.00.14.H56-270303-0001");
    assert_eq!(d["status_code"], 2);
    assert_eq!(d["received_at"], "2027-03-03T09:00:00+07:00");
    assert_eq!(d["due_at"], "2027-03-03T17:00:00+07:00");
    let shown = desk.json(&["show", "000.00.14.h56-270303-0001", "--json"]);
    assert_eq!(shown, d);
    let text = desk.ok(&["show", "000.00.14.H56-270303-0001"]);
    assert!(
        text.contains("Nguyễn Văn An") && text.contains("Được tiếp nhận"),
        "{text}"
    );
}

#[test]
fn intake_reads_a_file_too() {
    let desk = Desk::ready();
    let file = desk.path("d.json");
    std::fs::write(
        &file,
        birth("Lê Thị Bình", "2027-03-03T09:00:00+07:00").to_string(),
    )
    .unwrap();
    let out = desk.json(&["intake", file.to_str().unwrap()]);
    assert_eq!(out["applicant"]["name"], "Lê Thị Bình");
}

#[test]
fn a_bad_field_exits_non_zero_with_one_line_in_the_chosen_language() {
    let desk = Desk::ready();
    let mut req = birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00");
    req["applicant"]["id_number"] = "12345".into();
    let out = desk.run_stdin(&["intake", "-"], &req.to_string());
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("Số CCCD/Hộ chiếu"), "{err}");
    let out = desk.run_stdin(&["--lang", "en", "intake", "-"], &req.to_string());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("Citizen ID / passport number") && err.contains("12-digit"),
        "{err}"
    );
    assert_eq!(
        desk.json(&["list", "--json"]),
        serde_json::json!([]),
        "nothing written"
    );
}

#[test]
fn intake_before_setup_says_how_to_set_up() {
    let desk = Desk::new();
    let out = desk.run_stdin(
        &["intake", "-"],
        &birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00").to_string(),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("motcua setup"));
}

#[test]
fn setup_validates_the_agency_code() {
    let desk = Desk::new();
    let out = desk.run(&[
        "setup",
        "--agency-code",
        "bad code!",
        "--governing-body",
        "UBND",
        "--unit",
        "TT",
        "--place",
        "X",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Mã định danh cơ quan"));
}

#[test]
fn the_day_boundary_is_vietnam_midnight_whatever_the_computer_zone() {
    let desk = Desk::ready();
    for (tz, received, code) in [
        (
            "America/New_York",
            "2027-03-03T16:59:59Z",
            "000.00.14.H56-270303-0001",
        ),
        (
            "America/New_York",
            "2027-03-03T17:00:00Z",
            "000.00.14.H56-270304-0001",
        ),
        (
            "Pacific/Kiritimati",
            "2027-03-04T23:59:00+07:00",
            "000.00.14.H56-270304-0002",
        ),
    ] {
        let out = desk
            .cmd()
            .env("TZ", tz)
            .args(["intake", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin
                    .take()
                    .unwrap()
                    .write_all(birth("Nguyễn Văn An", received).to_string().as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(d["code"], code, "{tz} {received}");
    }
    let listed = desk
        .cmd()
        .env("TZ", "America/New_York")
        .args(["list", "--date", "2027-03-04", "--json"])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

/// 0 → "A", 25 → "Z", 26 → "BA": names may not contain digits.
fn letters(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, char::from(b'A' + (i % 26) as u8));
        i /= 26;
        if i == 0 {
            return s;
        }
    }
}

#[test]
fn four_processes_registering_at_once_get_500_distinct_consecutive_codes() {
    let _busy = support::busy_test();
    let desk = Desk::ready();
    let mut children = Vec::new();
    for p in 0..4 {
        // Each process streams 125 intakes (JSON Lines), as four desks working at once.
        let lines: String = (0..125)
            .map(|i| {
                birth(
                    &format!(
                        "Người Nộp {} {}",
                        ["An", "Bình", "Chi", "Dũng"][p],
                        letters(i)
                    ),
                    "2027-07-07T09:00:00+07:00",
                )
                .to_string()
                    + "\n"
            })
            .collect();
        let mut child = desk
            .cmd()
            .args(["intake", "--jsonl", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            use std::io::Write;
            stdin.write_all(lines.as_bytes()).unwrap();
        });
        children.push(child);
    }
    let mut reported = Vec::new();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let d: serde_json::Value = serde_json::from_str(line).unwrap();
            reported.push(d["code"].as_str().unwrap().to_string());
        }
    }
    reported.sort();
    let expected: Vec<String> = (1..=500)
        .map(|n| format!("000.00.14.H56-270707-{n:04}"))
        .collect();
    assert_eq!(reported, expected);
    let list = desk.json(&["list", "--date", "2027-07-07", "--limit", "1000", "--json"]);
    let mut codes: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    assert_eq!(codes, expected);
    for code in [&expected[0], &expected[250], &expected[499]] {
        let events = desk.json(&["history", code, "--json"]);
        assert_eq!(events.as_array().unwrap().len(), 1);
        assert_eq!(events[0]["kind"], "created");
    }
}

#[test]
fn search_finds_names_without_diacritics() {
    let desk = Desk::ready();
    desk.intake(&birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"));
    desk.intake(&birth("Trần Thị Bích", "2027-03-03T09:05:00+07:00"));
    let hits = desk.json(&["search", "nguyen van an", "--json"]);
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["code"], "000.00.14.H56-270303-0001");
    let text = desk.ok(&["search", "tran thi"]);
    assert!(text.contains("Trần Thị Bích"));
}

#[test]
fn procedures_export_and_import_round_trip() {
    let desk = Desk::ready();
    let exported = desk.ok(&["procedures", "export"]);
    let mut catalog: serde_json::Value = serde_json::from_str(&exported).unwrap();
    assert!(catalog["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["code"] == "1.001193"));
    catalog["procedures"][0]["name"] = "Đăng ký khai sinh (sửa)".into();
    let file = desk.path("catalog.json");
    std::fs::write(&file, catalog.to_string()).unwrap();
    desk.ok(&["procedures", "import", file.to_str().unwrap()]);
    let list = desk.ok(&["procedures", "list"]);
    assert!(list.contains("Đăng ký khai sinh (sửa)"), "{list}");
    std::fs::write(&file, r#"{"procedures":[{"code":"x y","name":"A","field":"B","limit":{"unit":"working_days","days":1}}]}"#).unwrap();
    let out = desk.run(&["procedures", "import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Mã thủ tục"));
}

#[test]
fn every_command_has_help() {
    let help = |args: &[&str]| {
        let out = std::process::Command::new(BIN).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(text.contains("Usage"), "{args:?}");
        text
    };
    // The commands are read from the top-level help so a new one cannot be forgotten here.
    let top = help(&["--help"]);
    let commands: Vec<&str> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // Wrapped descriptions are indented further than the command names.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    for expected in [
        "setup", "intake", "serve", "backup", "form", "report", "calendar",
    ] {
        assert!(
            commands.contains(&expected),
            "{expected} missing from {commands:?}"
        );
    }
    for command in &commands {
        help(&[command, "--help"]);
    }
    help(&["calendar", "days", "--help"]);
}

#[test]
fn settings_are_validated_like_in_the_window() {
    let desk = Desk::ready();
    desk.ok(&["settings", "set", "first-number", "5001"]);
    assert_eq!(desk.ok(&["settings", "get", "first-number"]).trim(), "5001");
    let out = desk.run(&["settings", "set", "first-number", "0"]);
    assert!(!out.status.success());
    let out = desk.run(&["settings", "set", "office-hours", "17:00-07:00"]);
    assert!(!out.status.success());
    desk.ok(&["settings", "set", "office-hours", "07:30-11:30,13:00-17:00"]);
    let all = desk.json(&["settings", "list", "--json"]);
    assert_eq!(all["office-hours"], "07:30-11:30,13:00-17:00");
    assert_eq!(all["agency-code"], "000.00.14.H56");
}

#[test]
fn transitions_through_the_cli() {
    let desk = Desk::ready();
    let d = desk.intake(&birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"));
    let code = d["code"].as_str().unwrap();
    let out = desk.run(&["transition", code, "--to", "10"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("không thể chuyển"));
    let moved = desk.json(&[
        "transition",
        code,
        "--to",
        "4",
        "--note",
        "Chuyển xử lý",
        "--at",
        "2027-03-03T10:00:00+07:00",
    ]);
    assert_eq!(moved["status_code"], 4);
    let out = desk.run(&["transition", code, "--to", "9", "--expect-version", "1"]);
    assert!(!out.status.success(), "version 1 is stale");
    assert!(String::from_utf8_lossy(&out.stderr).contains("người khác"));
    let history = desk.json(&["history", code, "--json"]);
    assert_eq!(history[1]["at"], "2027-03-03T10:00:00+07:00");
    assert_eq!(history[1]["note"], "Chuyển xử lý");
    desk.ok(&["transition", code, "--to", "9"]);
    let out = desk.run(&[
        "handover",
        code,
        "--receiver-name",
        "Lê Thị Cúc",
        "--receiver-id",
        "001199000222",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Giấy ủy quyền"));
    let done = desk.json(&[
        "handover",
        code,
        "--receiver-name",
        "Nguyễn Văn An",
        "--receiver-id",
        "079203001234",
        "--rating",
        "2",
    ]);
    assert_eq!(done["status_code"], 10);
}

#[test]
fn the_report_as_json_and_csv() {
    let desk = Desk::ready();
    let d = desk.intake(&birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"));
    let code = d["code"].as_str().unwrap();
    desk.ok(&[
        "transition",
        code,
        "--to",
        "9",
        "--at",
        "2027-03-03T16:00:00+07:00",
    ]);
    desk.intake(&birth("Trần Thị Bình", "2027-03-04T09:00:00+07:00"));
    let r = desk.json(&[
        "report",
        "--from",
        "2027-03-01",
        "--to",
        "2027-03-31",
        "--format",
        "json",
        "--at",
        "2027-04-02T08:00:00+07:00",
    ]);
    assert_eq!(r["from"], "2027-03-01");
    assert_eq!(r["as_of"], "2027-04-01T00:00:00+07:00", "the period's end");
    assert_eq!(r["totals"]["received_total"], 2);
    assert_eq!(r["totals"]["resolved_on_time"], 1);
    assert_eq!(r["totals"]["in_progress_overdue"], 1);
    // Asked while the month runs, the dossier due on 04/03 is not late that day.
    let running = desk.json(&[
        "report",
        "--from",
        "2027-03-01",
        "--to",
        "2027-03-31",
        "--at",
        "2027-03-04T16:00:00+07:00",
    ]);
    assert_eq!(running["as_of"], "2027-03-04T16:00:00+07:00");
    assert_eq!(running["totals"]["in_progress_overdue"], 0);
    assert_eq!(running["totals"]["in_progress_within"], 1);
    assert_eq!(r["rows"][0]["procedure"], "1.001193");
    let csv = desk.path("r.csv");
    desk.ok(&[
        "report",
        "--from",
        "2027-03-01",
        "--to",
        "2027-03-31",
        "--format",
        "csv",
        "--out",
        csv.to_str().unwrap(),
        "--at",
        "2027-03-04T16:00:00+07:00",
    ]);
    let bytes = std::fs::read(&csv).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Lĩnh vực,Mã thủ tục,Tên thủ tục,Tổng số tiếp nhận"));
    assert!(
        lines[1].starts_with("Hộ tịch,1.001193,Đăng ký khai sinh,2,0,2,0,1,0,1,0,1,1,0,0"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("Tổng cộng,,,2,"));
    assert_eq!(
        lines[3],
        "Kỳ báo cáo: từ ngày 01/03/2027 đến ngày 31/03/2027 (số liệu tính đến 16:00 ngày 04/03/2027)"
    );
    let out = desk.run(&["report", "--from", "2027-03-31", "--to", "2027-03-01"]);
    assert!(!out.status.success());
}
