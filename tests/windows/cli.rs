//! The command line of the installed `motcua.exe`: the same results as the Linux build,
//! Vietnamese intact on the way in and out (paths included), exit codes and errors as
//! documented, files handed to their program without a shell.

use std::path::Path;
use std::process::Command;

use super::linux::{birth, pdf_text, qr_of};
use super::support::{self, windows_path, WinDesk, WineOutput, LINUX_BIN, SETUP};

/// A folder name as a clerk's Windows profile has them: letters with two marks, spaces.
const VIETNAMESE_FOLDER: &str = "Nguyễn Văn An/Hồ sơ một cửa";

fn linux(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(LINUX_BIN)
        .env("MOTCUA_DB", db)
        .env_remove("MOTCUA_LANG")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 on standard output")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("UTF-8 on standard error")
}

#[test]
fn calendar_and_due_dates_match_the_linux_build_byte_for_byte() {
    let Some(app) = support::app() else { return };
    let desk = WinDesk::new("lich");
    app.ok(&desk.args(&SETUP));
    let linux_db = desk.dir.path().join("linux.db");
    let made = linux(&linux_db, &SETUP);
    assert!(made.status.success(), "{}", stderr(&made));

    let cases: [&[&str]; 6] = [
        &["calendar", "days", "2026"],
        &["--lang", "en", "calendar", "days", "2026"],
        &["calendar", "to-lunar", "2026-02-17"],
        // 3 working days across Tết 2026, and 5 days from a Friday afternoon.
        &[
            "due-date",
            "--procedure",
            "1.004873",
            "--received",
            "2026-02-13T09:00:00+07:00",
        ],
        &[
            "due-date",
            "--procedure",
            "1.001193",
            "--received",
            "2026-12-04T16:30:00+07:00",
        ],
        &[
            "due-date",
            "--procedure",
            "1.001193",
            "--received",
            "2026-04-24T10:00:00+07:00",
        ],
    ];
    for args in cases {
        let windows = app.run(&desk.args(args));
        let reference = linux(&linux_db, args);
        assert!(windows.status.success(), "{args:?}: {}", stderr(&windows));
        assert_eq!(windows.status.code(), reference.status.code(), "{args:?}");
        assert_eq!(stdout(&windows), stdout(&reference), "{args:?}");
    }
}

#[test]
fn a_dossier_from_intake_to_receipt_under_a_vietnamese_path() {
    let Some(app) = support::app() else { return };
    let desk = WinDesk::new(VIETNAMESE_FOLDER);
    app.ok(&desk.args(&SETUP));
    assert!(
        desk.file.is_file(),
        "the database under the Vietnamese folder"
    );

    // From a file whose own name has marks, and from standard input.
    let folder = desk.file.parent().unwrap();
    let request = folder.join("tờ khai.json");
    std::fs::write(
        &request,
        birth("Đỗ Thị Ngọc Hường", "2027-03-03T09:00:00+07:00").to_string(),
    )
    .unwrap();
    let from_file: serde_json::Value =
        serde_json::from_str(&app.ok(&desk.args(&["intake", &windows_path(&request)]))).unwrap();
    let piped = app.run_stdin(
        &desk.args(&["intake", "-"]),
        birth("Nguyễn Văn Ẩn", "2027-03-03T09:05:00+07:00")
            .to_string()
            .as_bytes(),
    );
    assert!(piped.status.success(), "{}", stderr(&piped));
    let from_stdin: serde_json::Value = serde_json::from_slice(&piped.stdout).unwrap();
    let code = from_file["code"].as_str().unwrap();
    assert_eq!(code, "000.00.14.H56-270303-0001");
    assert_eq!(from_stdin["code"], "000.00.14.H56-270303-0002");

    let shown: serde_json::Value =
        serde_json::from_str(&app.ok(&desk.args(&["show", code, "--json"]))).unwrap();
    assert_eq!(shown["applicant"]["name"], "Đỗ Thị Ngọc Hường");
    assert_eq!(
        shown["applicant"]["address"],
        "Số 12, ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh"
    );

    let pdf = folder.join("giấy tiếp nhận.pdf");
    app.ok(&desk.args(&[
        "receipt",
        code,
        "--paper",
        "a5",
        "--out",
        &windows_path(&pdf),
    ]));
    let text = pdf_text(&pdf);
    for expected in [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Đỗ Thị Ngọc Hường",
        "UBND XÃ HƯỚNG THỌ PHÚ",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "Tờ khai đăng ký khai sinh",
        code,
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    // The archived copy sits beside the database, under the same Vietnamese folder.
    assert!(folder
        .join("receipts")
        .join("2027")
        .join(format!("{code}.pdf"))
        .is_file());

    // The QR the Windows build printed is one the Windows build's scanner accepts.
    let payload = qr_of(&pdf);
    let scanned: serde_json::Value =
        serde_json::from_str(&app.ok(&desk.args(&["scan", &payload, "--json"]))).unwrap();
    assert_eq!(scanned["code"], code);
    assert_eq!(scanned["tag"], "verified");
}

#[test]
fn bad_input_exits_non_zero_with_the_error_in_the_chosen_language() {
    let Some(app) = support::app() else { return };
    let desk = WinDesk::new("loi");
    app.ok(&desk.args(&SETUP));
    let mut request = birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00");
    request["applicant"]["id_number"] = "12345".into();

    let vi = app.run_stdin(&desk.args(&["intake", "-"]), request.to_string().as_bytes());
    assert_eq!(vi.status.code(), Some(1));
    let message = stderr(&vi);
    assert!(message.contains("Số CCCD/Hộ chiếu"), "{message}");
    assert!(
        message.contains("phải là số CCCD gồm 12 chữ số"),
        "{message}"
    );
    assert!(vi.stdout.is_empty());

    let en = app.run_stdin(
        &desk.args(&["--lang", "en", "intake", "-"]),
        request.to_string().as_bytes(),
    );
    assert_eq!(en.status.code(), Some(1));
    assert!(stderr(&en).contains("ID"), "{}", stderr(&en));

    // Nothing half-written: the refused intake left no dossier and used no number.
    let listed: serde_json::Value =
        serde_json::from_str(&app.ok(&desk.args(&["list", "--date", "2027-03-03", "--json"])))
            .unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(0));

    // A command line clap refuses: exit 2, as on Linux.
    let usage = app.run(&desk.args(&["intake", "--no-such-flag"]));
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn report_as_xlsx_then_backup_and_restore() {
    use calamine::Reader;

    let Some(app) = support::app() else { return };
    let desk = WinDesk::new(VIETNAMESE_FOLDER);
    app.ok(&desk.args(&SETUP));
    for (name, at) in [
        ("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
        ("Lê Thị Bình", "2027-03-03T09:05:00+07:00"),
    ] {
        let out = app.run_stdin(
            &desk.args(&["intake", "-"]),
            birth(name, at).to_string().as_bytes(),
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }

    let folder = desk.file.parent().unwrap();
    let xlsx = folder.join("biểu 06.xlsx");
    app.ok(&desk.args(&[
        "report",
        "--from",
        "2027-03-01",
        "--to",
        "2027-03-31",
        "--format",
        "xlsx",
        "--out",
        &windows_path(&xlsx),
    ]));
    let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<String> = sheet.used_cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(cells.iter().any(|c| c == "Đăng ký khai sinh"), "{cells:?}");
    assert!(cells.iter().any(|c| c == "Tổng cộng"), "{cells:?}");

    let made: serde_json::Value = serde_json::from_str(&app.ok(&desk.args(&["backup"]))).unwrap();
    assert_eq!(made["rows"]["dossiers"], 2);
    assert_eq!(made["checksum_verified"], true);
    let backup = made["path"].as_str().unwrap().to_string();
    assert!(backup.starts_with("Z:\\"), "a Windows path: {backup}");

    let out = app.run_stdin(
        &desk.args(&["intake", "-"]),
        birth("Trần Văn Cường", "2027-03-03T09:10:00+07:00")
            .to_string()
            .as_bytes(),
    );
    assert!(out.status.success());
    let restored: serde_json::Value =
        serde_json::from_str(&app.ok(&desk.args(&["restore", &backup]))).unwrap();
    assert!(restored["previous"].as_str().is_some(), "{restored}");
    let listed: serde_json::Value =
        serde_json::from_str(&app.ok(&desk.args(&["list", "--date", "2027-03-03", "--json"])))
            .unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    let check: serde_json::Value =
        serde_json::from_str(&app.ok(&desk.args(&["check", "--json"]))).unwrap();
    assert_eq!(check["ok"], true, "{check}");
}

#[test]
fn a_file_name_with_shell_characters_reaches_its_viewer_whole() {
    let Some(app) = support::app() else { return };
    let desk = WinDesk::new("mo tep");
    app.ok(&desk.args(&SETUP));
    let out = app.run_stdin(
        &desk.args(&["intake", "-"]),
        birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00")
            .to_string()
            .as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let code = "000.00.14.H56-270303-0001";

    // A viewer of our own for .pdf: it records how it was started. (Wine's own class for
    // .pdf sits in HKCR and wins over a per-user one, so the test replaces that.)
    let viewer_dir = desk.dir.path().join("viewer");
    std::fs::create_dir_all(&viewer_dir).unwrap();
    let viewer = viewer_dir.join("viewer.exe");
    std::fs::copy(
        support::mingw("recorder.c", "recorder.exe", &["-municode", "-mwindows"]),
        &viewer,
    )
    .unwrap();
    let recorded = viewer_dir.join("recorded.txt");
    let command = format!("\"{}\" \"%1\"", windows_path(&viewer));
    for (key, value) in [
        (r"HKCR\.pdf", "MotcuaTest.Viewer"),
        (
            r"HKCR\MotcuaTest.Viewer\shell\open\command",
            command.as_str(),
        ),
    ] {
        let reg = app
            .prefix
            .command("reg")
            .args(["add", key, "/ve", "/d", value, "/f"])
            .wine_output();
        assert!(reg.status.success(), "reg add {key}: {reg:?}");
    }

    // Characters cmd.exe gives a meaning to, in a name a Windows file may have (`|`, `<` and
    // `>` it may not). `%` is left out: Wine 8's ShellExecuteW answers "file not found" for
    // any name holding one, whoever calls it; Windows opens such names.
    let pdf = desk
        .file
        .parent()
        .unwrap()
        .join("a & b ^ c ! d (1) Hồ sơ.pdf");
    let pdf_arg = windows_path(&pdf);
    app.ok(&desk.args(&["receipt", code, "--out", &pdf_arg, "--open"]));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !recorded.is_file() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let line = std::fs::read_to_string(&recorded).expect("the viewer was started");
    assert!(
        line.ends_with(&format!("\"{pdf_arg}\"")),
        "the viewer got {line:?}, not the whole name {pdf_arg:?}"
    );
}

/// The PE subsystem of a Windows program: 2 for a GUI program, 3 for a console program.
fn subsystem(exe: &Path) -> u16 {
    let bytes = std::fs::read(exe).unwrap();
    let pe = u32::from_le_bytes(bytes[0x3C..0x40].try_into().unwrap()) as usize;
    assert_eq!(&bytes[pe..pe + 4], b"PE\0\0", "{}", exe.display());
    u16::from_le_bytes(bytes[pe + 0x5C..pe + 0x5E].try_into().unwrap())
}

#[test]
fn cmd_runs_the_console_twin_and_takes_its_exit_code() {
    let Some(app) = support::app() else { return };
    let dir = app.exe.parent().unwrap();
    let com = dir.join("motcua.com");
    if support::installer().is_none() {
        eprintln!("skipped: a bare exe has no console twin; the installer brings it");
        return;
    }
    // The desk is a GUI program; its twin, for cmd and PowerShell, is the same program
    // marked as a console one.
    assert_eq!(subsystem(&app.exe), 2, "motcua.exe: Windows GUI");
    assert_eq!(subsystem(&com), 3, "motcua.com: Windows console");
    let (exe, twin) = (
        std::fs::read(&app.exe).unwrap(),
        std::fs::read(&com).unwrap(),
    );
    assert_eq!(exe.len(), twin.len());
    let differing: Vec<usize> = (0..exe.len()).filter(|&i| exe[i] != twin[i]).collect();
    assert_eq!(
        differing.len(),
        1,
        "only the subsystem differs: {differing:?}"
    );

    // A bare `motcua` in cmd is the twin: cmd waits for it and takes its exit code.
    let run = |line: &str| {
        app.prefix
            .command("cmd")
            .args(["/c", line])
            .current_dir(dir)
            .wine_output()
    };
    let days = run("motcua calendar days 2026");
    let reference = Command::new(LINUX_BIN)
        .args(["calendar", "days", "2026"])
        .output()
        .unwrap();
    assert!(days.status.success(), "{}", stderr(&days));
    assert_eq!(stdout(&days), stdout(&reference));
    // An impossible date and a date past the calendar, both refused by the core (exit 1):
    // the same codes and the same message, naming the field, as the Linux build.
    for args in [
        ["calendar", "to-lunar", "2026-02-30"],
        ["calendar", "to-lunar", "2101-01-01"],
    ] {
        let bad = run(&format!("motcua {}", args.join(" ")));
        let reference = Command::new(LINUX_BIN).args(args).output().unwrap();
        assert!(!bad.status.success(), "{args:?}");
        assert_eq!(bad.status.code(), reference.status.code(), "{args:?}");
        let said = stderr(&reference);
        assert!(!said.trim().is_empty(), "{args:?}");
        assert!(stderr(&bad).contains(said.trim()), "{}", stderr(&bad));
    }
}
