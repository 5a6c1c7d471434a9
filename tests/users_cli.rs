//! `motcua user …`, `setup --admin` and `motcua audit verify` on a real SQLite file. The
//! tampering is done with the `sqlite3` shell, as someone with the database file could.

use crate::support;

use std::process::Command;

use support::{birth, Desk, SETUP};

const PASSWORD: &str = "Hoa sen 2027";

fn add(desk: &Desk, name: &str, roles: &[&str], password: &str) -> std::process::Output {
    let mut args = vec!["user", "add", name, "--password-stdin"];
    for r in roles {
        args.push("--role");
        args.push(r);
    }
    desk.run_stdin(&args, &format!("{password}\n"))
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs SQL on the desk's database file with the sqlite3 shell.
fn sqlite3(desk: &Desk, sql: &str) {
    let out = Command::new("sqlite3")
        .arg(&desk.db)
        .arg(sql)
        .output()
        .expect("sqlite3 is missing: the test command installs it");
    assert!(out.status.success(), "sqlite3 {sql}: {}", stderr(&out));
}

/// Drops the append-only triggers, as a tamperer must first.
fn drop_triggers(desk: &Desk) {
    sqlite3(
        desk,
        "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;",
    );
}

#[test]
fn accounts_are_added_listed_disabled_and_reset_from_the_cli() {
    let desk = Desk::ready();

    the_administrator_first_then_the_clerks(&desk);
    the_list_shows_names_and_roles_without_hashes(&desk);
    refusals_name_the_problem(&desk);
    an_account_is_disabled_and_enabled(&desk);
    passwords_are_reset_and_changed_and_roles_changed(&desk);
    the_access_log_has_each_step(&desk);
}

/// The first account needs nobody signed in (first set-up); the next ones need an
/// administrator signed in.
fn the_administrator_first_then_the_clerks(desk: &Desk) {
    let out = add(desk, "quantri", &["administrator"], PASSWORD);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = add(desk, "An.NV", &["reception", "processing"], PASSWORD);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("Cần đăng nhập: motcua login TÊN"),
        "{}",
        stderr(&out)
    );
    let out = desk.run_stdin(
        &["login", "quantri", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = add(desk, "An.NV", &["reception", "processing"], PASSWORD);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "Đã tạo tài khoản an.nv"
    );
    let out = desk.run_stdin(
        &[
            "user",
            "add",
            "binh.tt",
            "--role",
            "supervisor",
            "--display-name",
            "Trần Thị Bình",
            "--password-stdin",
        ],
        "Mat khau cua Binh 1\r\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The list: names, display names and roles, and no password hash.
fn the_list_shows_names_and_roles_without_hashes(desk: &Desk) {
    let list = desk.ok(&["user", "list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 3, "{list}");
    assert!(lines[0].starts_with("an.nv") && lines[0].contains("reception,processing"));
    assert!(lines[1].contains("Trần Thị Bình") && lines[1].contains("supervisor"));
    let json = desk.json(&["user", "list", "--json"]);
    assert_eq!(json[0]["name"], "an.nv");
    assert_eq!(
        json[0]["roles"],
        serde_json::json!(["reception", "processing"])
    );
    assert!(!json.to_string().contains("argon2"), "no hash in the list");
}

/// Refusals name the problem and exit non-zero.
fn refusals_name_the_problem(desk: &Desk) {
    let out = add(desk, "an.nv", &["reception"], PASSWORD);
    assert!(!out.status.success());
    assert_eq!(stderr(&out).trim(), "Đã có tài khoản an.nv");
    let out = add(desk, "cuong", &["reception"], "ngan");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("Mật khẩu: phải dài ít nhất 10 ký tự"),
        "{}",
        stderr(&out)
    );
    let out = desk.run_stdin(
        &[
            "--lang",
            "en",
            "user",
            "add",
            "cuong",
            "--role",
            "reception",
            "--password-stdin",
        ],
        "cuongcuongcuong\n",
    );
    assert!(
        stderr(&out).contains("Password: must mix at least two kinds"),
        "{}",
        stderr(&out)
    );
    let out = add(desk, "cuong", &["boss"], PASSWORD);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("unknown role"), "{}", stderr(&out));
    let out = desk.run(&["user", "add", "cuong", "--role", "reception"]);
    assert!(!out.status.success(), "the password only comes from stdin");
}

/// Disabled and enabled again; an unknown account is named.
fn an_account_is_disabled_and_enabled(desk: &Desk) {
    desk.ok(&["user", "disable", "an.nv"]);
    assert!(desk
        .ok(&["user", "list"])
        .lines()
        .next()
        .unwrap()
        .contains("(vô hiệu hóa)"));
    let out = desk.run(&["user", "disable", "nobody"]);
    assert_eq!(stderr(&out).trim(), "Không có tài khoản nobody");
    desk.ok(&["user", "enable", "an.nv"]);
}

/// Reset by an administrator, then a change by the person with the old password.
fn passwords_are_reset_and_changed_and_roles_changed(desk: &Desk) {
    let out = desk.run_stdin(
        &["user", "reset-password", "an.nv", "--password-stdin"],
        "Mat khau moi 2027\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = desk.run_stdin(
        &["user", "passwd", "an.nv", "--password-stdin"],
        &format!("{PASSWORD}\nMat khau khac 2027\n"),
    );
    assert!(!out.status.success(), "the old password is no longer valid");
    assert_eq!(
        stderr(&out).trim(),
        "Tên đăng nhập hoặc mật khẩu không đúng."
    );
    let out = desk.run_stdin(
        &["user", "passwd", "an.nv", "--password-stdin"],
        "Mat khau moi 2027\nMat khau khac 2027\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let out = desk.run(&[
        "user",
        "roles",
        "binh.tt",
        "--role",
        "supervisor",
        "--role",
        "reception",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        desk.json(&["user", "list", "--json"])[1]["roles"],
        serde_json::json!(["reception", "supervisor"])
    );
}

/// The access log has each step, and never a password.
fn the_access_log_has_each_step(desk: &Desk) {
    let log = desk.json(&["audit", "log", "--json", "--limit", "100"]);
    let kinds: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "account_created",
            "login_ok",
            "session_opened",
            "account_created",
            "account_created",
            "account_disabled",
            "account_enabled",
            "password_reset",
            "login_failed",
            "login_ok",
            "password_changed",
            "roles_changed"
        ]
    );
    let actors: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "account_created" || e["kind"] == "roles_changed")
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    assert_eq!(
        &actors[..3],
        ["quantri", "quantri", "quantri"],
        "made by the signed-in administrator (newest first)"
    );
    let text = log.to_string().to_lowercase();
    assert!(
        !text.contains("mat khau") && !text.contains("hoa sen"),
        "{text}"
    );
    desk.ok(&["audit", "verify"]);
}

#[test]
fn setup_creates_the_first_administrator_once() {
    let desk = Desk::new();
    let setup = |name: &str| {
        let mut args = SETUP.to_vec();
        args.extend([
            "--admin",
            name,
            "--admin-display-name",
            "Quản trị viên",
            "--admin-password-stdin",
        ]);
        desk.run_stdin(&args, &format!("{PASSWORD}\n"))
    };
    let out = setup("quan.tri");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Đã tạo quản trị viên quan.tri"));
    let out = desk.run_stdin(
        &["login", "quan.tri", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let list = desk.json(&["user", "list", "--json"]);
    assert_eq!(list[0]["roles"], serde_json::json!(["administrator"]));
    assert_eq!(list[0]["display_name"], "Quản trị viên");

    // Changing the set-up once accounts exist needs the supervisor role, which the
    // administrator alone does not hold.
    let out = setup("ke.gian");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("Cần vai trò"), "{}", stderr(&out));
    assert_eq!(
        desk.json(&["user", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let out = desk.run(&[
        "setup",
        "--agency-code",
        "000.00.14.H56",
        "--governing-body",
        "X",
        "--unit",
        "Y",
        "--place",
        "Z",
        "--admin",
        "x.y",
    ]);
    assert!(
        !out.status.success(),
        "--admin needs --admin-password-stdin"
    );
}

/// A desk with five events (ids 1–5): three intakes, two status changes.
fn desk_with_history() -> Desk {
    let desk = Desk::ready();
    let first = desk.intake(&birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"));
    desk.intake(&birth("Lê Thị Bình", "2027-03-03T09:10:00+07:00"));
    desk.intake(&birth("Trần Văn Cường", "2027-03-03T09:20:00+07:00"));
    let code = first["code"].as_str().unwrap();
    desk.ok(&["transition", code, "--to", "4"]);
    desk.ok(&["transition", code, "--to", "9"]);
    let out = desk.ok(&["audit", "verify"]);
    assert!(out.starts_with("Nhật ký toàn vẹn: đã kiểm tra "), "{out}");
    assert!(out.contains("\nevents 5 "), "{out}");
    assert!(out.contains("\naudit_log 0 "), "{out}");
    assert!(
        out.contains("\nrecord_log "),
        "the catalog and settings: {out}"
    );
    desk
}

fn verify_fails(desk: &Desk) -> String {
    let out = desk.run(&["audit", "verify"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let message = stderr(&out);
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    message
}

#[test]
fn audit_verify_finds_an_edited_event() {
    let desk = desk_with_history();
    drop_triggers(&desk);
    sqlite3(&desk, "UPDATE events SET note = 'đã sửa' WHERE id = 4");
    let message = verify_fails(&desk);
    assert_eq!(
        message.trim(),
        "Nhật ký bị can thiệp: mục 4 của nhật ký hồ sơ đã bị sửa (nội dung không khớp mã băm)."
    );
    let out = desk.run(&["--lang", "en", "audit", "verify", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["first_broken"]["id"], 4);
    assert_eq!(report["first_broken"]["reason"]["kind"], "edited");
    assert!(stderr(&out).contains("entry 4 of the dossier history was edited"));
}

#[test]
fn audit_verify_finds_a_deleted_event() {
    let desk = desk_with_history();
    drop_triggers(&desk);
    sqlite3(&desk, "DELETE FROM events WHERE id = 2");
    let message = verify_fails(&desk);
    assert!(
        message.contains("mục 3 của nhật ký hồ sơ không nối tiếp"),
        "{message}"
    );
}

#[test]
fn audit_verify_finds_reordered_events() {
    let desk = desk_with_history();
    drop_triggers(&desk);
    sqlite3(
        &desk,
        "UPDATE events SET id = 1000 WHERE id = 2; UPDATE events SET id = 2 WHERE id = 3; UPDATE events SET id = 3 WHERE id = 1000;",
    );
    let message = verify_fails(&desk);
    assert!(
        message.contains("mục 2 của nhật ký hồ sơ không nối tiếp"),
        "{message}"
    );
}

#[test]
fn audit_verify_finds_the_newest_event_deleted() {
    let desk = desk_with_history();
    drop_triggers(&desk);
    sqlite3(&desk, "DELETE FROM events WHERE id = 5");
    let message = verify_fails(&desk);
    assert!(
        message.contains("ghi nhận 5 mục nhưng chỉ còn 4"),
        "{message}"
    );
}
