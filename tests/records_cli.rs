//! The CLI keeps the record honest: a restore refuses a file without the backup marker
//! unless told `--unmarked` and leaves a "restored" entry naming the file; a plain status
//! move cannot hand a result over (status 10); and a reader that closes the pipe early
//! (`motcua list | head -1`) ends the command quietly with success.

use crate::support;

use std::process::Stdio;

use support::{birth, Desk};

#[test]
fn restore_refuses_a_file_without_the_backup_marker_unless_told() {
    let desk = Desk::ready();
    desk.intake(&birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"));
    // A plain copy of the database file (the write-ahead log folded in first).
    desk.ok(&["check"]);
    let plain = desk.path("plain-copy.db");
    let status = std::process::Command::new("sqlite3")
        .arg(&desk.db)
        .arg(format!(".backup '{}'", plain.display()))
        .status()
        .expect("the sqlite3 shell");
    assert!(status.success());
    desk.intake(&birth("Lê Thị Bình", "2027-03-03T09:05:00+07:00"));

    let out = desk.run(&["--lang", "en", "restore", plain.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains(plain.to_str().unwrap()), "{err}");
    assert!(err.contains("--unmarked"), "{err}");
    let listed = desk.json(&["list", "--date", "2027-03-03", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 2, "nothing changed");

    let restored = desk.json(&["restore", "--unmarked", plain.to_str().unwrap()]);
    assert_eq!(restored["restored"]["checksum_verified"], false);
    let listed = desk.json(&["list", "--date", "2027-03-03", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    // The newest entries: the restore, then the list just printed (a look at personal data).
    let log = desk.json(&["audit", "log", "--json", "--limit", "3"]);
    let entry = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "restored")
        .unwrap_or_else(|| panic!("no restored entry in {log}"));
    assert_eq!(entry["subject"], plain.to_str().unwrap());
    assert_eq!(entry["data"]["sha256"], restored["sha256"]);
    assert_eq!(entry["data"]["heads"], restored["heads"]);
    let audit = desk.run(&["audit", "verify"]);
    assert!(
        audit.status.success(),
        "{}",
        String::from_utf8_lossy(&audit.stdout)
    );
}

#[test]
fn only_the_hand_over_moves_a_dossier_to_status_10() {
    let desk = Desk::ready();
    let d = desk.intake(&birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"));
    let code = d["code"].as_str().unwrap();
    desk.ok(&["transition", code, "--to", "9"]);
    let out = desk.run(&["--lang", "en", "transition", code, "--to", "10"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("only the hand-over"), "{err}");
    assert_eq!(desk.json(&["show", code, "--json"])["status_code"], 9);
    desk.ok(&[
        "handover",
        code,
        "--receiver-name",
        "Nguyễn Văn An",
        "--receiver-id",
        "079203001234",
    ]);
    assert_eq!(desk.json(&["show", code, "--json"])["status_code"], 10);
}

#[test]
fn a_reader_that_closes_the_pipe_ends_the_command_quietly() {
    let desk = Desk::ready();
    for name in ["Nguyễn Văn An", "Lê Thị Bình", "Trần Văn Cường"] {
        desk.intake(&birth(name, "2027-03-03T09:00:00+07:00"));
    }
    for args in [
        ["list", "--date", "2027-03-03"].as_slice(),
        ["list", "--date", "2027-03-03", "--json"].as_slice(),
        ["settings", "list"].as_slice(),
    ] {
        let mut child = desk
            .cmd()
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader is gone before the first line is written, as `head` is after its
        // first line.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {err}", out.status);
        assert!(err.is_empty(), "{args:?}: {err}");
    }
    // And through a shell, as the issue shows it.
    let out = std::process::Command::new("bash")
        .args([
            "-o",
            "pipefail",
            "-c",
            "\"$0\" list --date 2027-03-03 | head -1",
        ])
        .arg(support::BIN)
        .env("MOTCUA_DB", &desk.db)
        .env("MOTCUA_DESK", "Quầy thử")
        .env("HOME", desk.dir.path())
        .env("XDG_DATA_HOME", desk.dir.path().join("data"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("internal error"));
}
