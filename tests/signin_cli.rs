//! The CLI as a signed-in account: once a desk has accounts, commands that read personal
//! data or change anything need `motcua login` (or `--account` with a private
//! `--password-file` for scheduled jobs), are checked against the roles like the window,
//! and are recorded under the account. On a real SQLite file with the real binary.

use crate::support;

use std::os::unix::fs::PermissionsExt;
use std::process::Output;

use serde_json::Value;
use support::{birth, Desk, Scenario, ADMIN, PASSWORD};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn refused(out: &Output, needle: &str) {
    assert!(
        !out.status.success(),
        "must be refused: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr(out).contains(needle),
        "{needle:?} in {}",
        stderr(out)
    );
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Access-log entries of `kind`, read as the administrator (who is left signed in).
fn log_entries(desk: &Desk, kind: &str) -> Vec<Value> {
    desk.login(ADMIN, PASSWORD);
    let log = desk.json(&["audit", "log", "--json", "--limit", "1000"]);
    log.as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == kind)
        .cloned()
        .collect()
}

fn add_user(desk: &Desk, name: &str, role: &str) -> Output {
    desk.run_stdin(
        &["user", "add", name, "--role", role, "--password-stdin"],
        &format!("{PASSWORD}\n"),
    )
}

#[test]
fn commands_need_a_login_and_a_role_and_are_recorded_under_the_account() {
    let desk = Desk::ready();
    // No account yet: the first set-up works as it always did.
    let first = desk.intake(&birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"));
    let code = first["code"].as_str().unwrap().to_string();
    desk.account("letan", &["reception"]);
    desk.account("giamsat", &["supervisor"]);
    let backup = desk.path("sao-luu.db");
    desk.login("giamsat", PASSWORD);
    desk.ok(&["backup", "--out", backup.to_str().unwrap()]);
    desk.logout();
    assert_eq!(desk.session_file(), None, "logout removes the session file");

    // Nobody signed in: every command with personal data or a change is refused, saying
    // what to do.
    let request = birth("Lê Thị Bình", "2027-03-03T09:10:00+07:00").to_string();
    refused(
        &add_user(&desk, "cuong", "reception"),
        "Cần đăng nhập: motcua login TÊN",
    );
    refused(&desk.run_stdin(&["intake", "-"], &request), "Cần đăng nhập");
    refused(&desk.run(&["show", &code]), "Cần đăng nhập");
    refused(&desk.run(&["list"]), "Cần đăng nhập");
    refused(
        &desk.run(&["restore", backup.to_str().unwrap()]),
        "Cần đăng nhập",
    );
    let en = desk.run(&["--lang", "en", "show", &code]);
    refused(&en, "Sign-in required: motcua login NAME");
    // Commands without personal data need nobody.
    desk.ok(&["calendar", "days", "2027"]);
    desk.ok(&[
        "due-date",
        "--procedure",
        "1.001193",
        "--received",
        "2027-03-03T09:00:00+07:00",
    ]);
    desk.ok(&["procedures", "list"]);
    desk.ok(&["audit", "verify"]);
    desk.ok(&["--version"]);

    // A wrong password opens nothing and counts towards the lockout, as in the window.
    let out = desk.run_stdin(&["login", "letan", "--password-stdin"], "sai-mat-khau-1\n");
    refused(&out, "không đúng");
    assert_eq!(desk.session_file(), None);

    // The reception role: intake and show, not accounts nor restore (roles named in words).
    desk.login("letan", PASSWORD);
    let file = desk.session_file().expect("a session file");
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(file.parent().unwrap()), 0o700);
    let second = desk.intake(&birth("Lê Thị Bình", "2027-03-03T09:10:00+07:00"));
    let second = second["code"].as_str().unwrap().to_string();
    let shown = desk.json(&["show", &second, "--json"]);
    assert_eq!(shown["applicant"]["id_number"], "079203001234");
    desk.ok(&["list", "--date", "2027-03-03"]);
    desk.ok(&["search", "079203"]);
    let out = add_user(&desk, "cuong", "reception");
    refused(&out, "Cần vai trò: Quản trị tài khoản");
    refused(
        &desk.run(&["restore", backup.to_str().unwrap()]),
        "Cần vai trò",
    );
    refused(&desk.run(&["audit", "log"]), "Cần vai trò");
    let history = desk.json(&["history", &second, "--json"]);
    assert_eq!(history[0]["actor"], "letan", "{history}");

    // Everything the clerk looked at is logged under the clerk, never with the number.
    let opened = log_entries(&desk, "record_opened");
    assert!(
        opened
            .iter()
            .any(|e| e["actor"] == "letan" && e["subject"] == second.as_str()),
        "{opened:?}"
    );
    let lists = log_entries(&desk, "list_viewed");
    assert!(
        lists
            .iter()
            .any(|e| e["actor"] == "letan" && e["subject"] == "list"),
        "{lists:?}"
    );
    let searches = log_entries(&desk, "searched");
    assert_eq!(searches.len(), 1, "{searches:?}");
    assert_eq!(searches[0]["actor"], "letan");
    assert_eq!(searches[0]["data"]["characters"], 6);
    assert!(!searches[0].to_string().contains("079203"), "{searches:?}");
    let sessions = log_entries(&desk, "session_opened");
    assert!(
        sessions.iter().any(|e| e["actor"] == "letan"),
        "{sessions:?}"
    );

    // The administrator (signed in by log_entries) adds accounts and restores; both are
    // recorded under it.
    let out = add_user(&desk, "cuong", "reception");
    assert!(out.status.success(), "{}", stderr(&out));
    let created = log_entries(&desk, "account_created");
    assert_eq!(created[0]["subject"], "cuong");
    assert_eq!(created[0]["actor"], ADMIN);
    let out = desk.run(&["restore", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The restored database's log never saw this session: it opens nothing there.
    refused(&desk.run(&["user", "list"]), "hết hạn");
}

#[test]
fn a_session_ends_with_logout_when_idle_when_disabled_and_when_its_file_is_open_to_others() {
    let staffed = Scenario::new()
        .clerk("letan", &["reception", "processing"])
        .signed_in("letan")
        .dossier(&birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"));
    let code = staffed.code();
    let desk = staffed.desk;

    // A copy of the session file outlives nothing: after logout the token is dead.
    let file = desk.session_file().unwrap();
    let copy = std::fs::read(&file).unwrap();
    desk.logout();
    refused(&desk.run(&["show", &code]), "Cần đăng nhập");
    std::fs::write(&file, &copy).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    refused(&desk.run(&["show", &code]), "hết hạn");

    // Idle longer than the idle-lock-minutes setting since the last command.
    desk.login("letan", PASSWORD);
    desk.ok(&["show", &code]);
    let file = desk.session_file().unwrap();
    let mut session: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let last = session["last_used"].as_i64().unwrap();
    session["last_used"] = (last - 11 * 60 * 1000).into();
    std::fs::write(&file, session.to_string()).unwrap();
    refused(&desk.run(&["show", &code]), "hết hạn");
    assert_eq!(
        desk.session_file(),
        None,
        "an expired session's file is removed"
    );
    // Within the idle time, each command moves the clock on.
    desk.login("letan", PASSWORD);
    let file = desk.session_file().unwrap();
    let before: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    desk.ok(&["show", &code]);
    let after: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert!(after["last_used"].as_i64() > before["last_used"].as_i64());

    // A session file others may read is refused, not trusted (checked by its mode: root
    // reads anything).
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    refused(&desk.run(&["show", &code]), "0644");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    desk.ok(&["show", &code]);

    // A role taken away, or the account disabled, from another session: at once.
    let admin = Desk::on(&desk.db);
    admin.login(ADMIN, PASSWORD);
    admin.ok(&["user", "roles", "letan", "--role", "processing"]);
    refused(
        &desk.run_stdin(&["intake", "-"], &birth("Lê Thị Bình", "").to_string()),
        "Cần vai trò: Tiếp nhận và trả kết quả",
    );
    desk.ok(&["transition", &code, "--to", "4"]);
    admin.ok(&["user", "disable", "letan"]);
    refused(&desk.run(&["transition", &code, "--to", "9"]), "letan");
    assert_eq!(desk.session_file(), None);
    let closed = log_entries(&admin, "session_closed");
    assert!(closed.iter().any(|e| e["subject"] == "letan"), "{closed:?}");
}

#[test]
fn a_scheduled_backup_signs_in_with_a_private_password_file() {
    let desk = Desk::ready();
    desk.account("giamsat", &["supervisor"]);
    desk.logout();
    let secret = desk.path("mat-khau");
    std::fs::write(&secret, format!("{PASSWORD}\n")).unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    let daily = |desk: &Desk| {
        desk.run(&[
            "--account",
            "giamsat",
            "--password-file",
            secret.to_str().unwrap(),
            "backup",
            "--daily",
        ])
    };
    refused(&daily(&desk), "0644");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = daily(&desk);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        desk.session_file(),
        None,
        "one command, no session left behind"
    );
    // Still nobody signed in for the next command.
    refused(&desk.run(&["list"]), "Cần đăng nhập");
    // The job's sign-in is in the log under the account; a role without backups is refused.
    let logins = log_entries(&desk, "login_ok");
    assert!(logins.iter().any(|e| e["actor"] == "giamsat"), "{logins:?}");
    let out = desk.run(&[
        "--account",
        ADMIN,
        "--password-file",
        secret.to_str().unwrap(),
        "backup",
        "--daily",
    ]);
    refused(&out, "Cần vai trò");
    let out = desk.run(&["--account", "giamsat", "backup", "--daily"]);
    assert!(!out.status.success(), "--account needs --password-file");
}

#[test]
fn moving_a_commune_needs_an_account_manager_signed_in_on_it() {
    let commune = Desk::ready();
    commune.intake(&birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"));
    commune.account("letan", &["reception"]);
    commune.logout();
    let centre = commune.path("trung-tam.db");
    let migrate = || {
        commune.run(&[
            "migrate",
            "--from",
            &commune.db,
            "--to",
            centre.to_str().unwrap(),
        ])
    };
    refused(&migrate(), "Cần đăng nhập");
    commune.login("letan", PASSWORD);
    refused(&migrate(), "Cần vai trò: Quản trị tài khoản");
    assert!(!centre.exists(), "nothing written to the centre");
    commune.login(ADMIN, PASSWORD);
    let out = migrate();
    assert!(out.status.success(), "{}", stderr(&out));
}
