//! `motcua audit verify` against someone who can write the database behind the app's back:
//! on SQLite with the `sqlite3` shell, on PostgreSQL with `psql` as the database's owner,
//! the append-only triggers dropped first as an attacker would. Each tampering makes
//! `audit verify` exit with 1 and name what is wrong; a day of ordinary work verifies.

use crate::support;

use std::process::{Command, Output};

use support::{birth, postgres_database, Desk, PASSWORD, SETUP};

#[derive(Clone, Copy, PartialEq)]
enum Engine {
    Sqlite,
    Postgres,
}

struct Db {
    desk: Desk,
    engine: Engine,
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A set-up database on each engine there is, with a day of work in it.
fn worked_databases() -> Vec<Db> {
    let mut all = vec![Db {
        desk: Desk::new(),
        engine: Engine::Sqlite,
    }];
    if let Some(url) = postgres_database() {
        all.push(Db {
            desk: Desk::on(&url),
            engine: Engine::Postgres,
        });
    }
    for db in &all {
        db.desk.ok(&SETUP);
        a_day_of_work(&db.desk);
    }
    all
}

impl Db {
    fn name(&self) -> &'static str {
        match self.engine {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }

    /// Runs SQL straight on the database: the `sqlite3` shell, or `psql` as the owner.
    fn sql(&self, sql: &str) -> String {
        let out = match self.engine {
            Engine::Sqlite => Command::new("sqlite3")
                .arg(&self.desk.db)
                .arg(sql)
                .output()
                .expect("sqlite3 is missing: the test command installs it"),
            Engine::Postgres => Command::new("psql")
                .args([
                    &self.desk.db,
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-q",
                    "-A",
                    "-t",
                    "-c",
                    sql,
                ])
                .output()
                .expect("psql is missing: the test command installs it"),
        };
        assert!(
            out.status.success(),
            "{}: {sql}: {}",
            self.name(),
            text(&out.stderr)
        );
        text(&out.stdout).trim().to_string()
    }

    /// The append-only triggers go first, as for anyone tampering.
    fn drop_triggers(&self) {
        self.sql(match self.engine {
            Engine::Sqlite => {
                "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; \
                 DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; \
                 DROP TRIGGER record_log_no_update; DROP TRIGGER record_log_no_delete;"
            }
            Engine::Postgres => {
                "DROP TRIGGER events_no_change ON events; \
                 DROP TRIGGER audit_log_no_change ON audit_log; \
                 DROP TRIGGER record_log_no_change ON record_log;"
            }
        });
    }

    fn verify(&self, expect: &[&str]) -> Output {
        let mut args = vec!["--lang", "en", "audit", "verify"];
        for hash in expect {
            args.extend(["--expect", hash]);
        }
        self.desk.run(&args)
    }

    /// `audit verify` fails with exit status 1; its message (standard error).
    fn verify_fails(&self, expect: &[&str]) -> String {
        let out = self.verify(expect);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}: tampering not noticed: {}",
            self.name(),
            text(&out.stdout)
        );
        text(&out.stderr)
    }

    /// The chains' heads as `audit verify` prints them: (chain, hash).
    fn heads(&self) -> Vec<(String, String)> {
        let out = self.verify(&[]);
        assert!(
            out.status.success(),
            "{}: {}",
            self.name(),
            text(&out.stderr)
        );
        text(&out.stdout)
            .lines()
            .filter_map(|l| {
                let parts: Vec<&str> = l.split(' ').collect();
                match parts.as_slice() {
                    [chain, _, hash] if hash.len() == 64 => {
                        Some((chain.to_string(), hash.to_string()))
                    }
                    _ => None,
                }
            })
            .collect()
    }

    fn code(&self, n: usize) -> String {
        format!("000.00.14.H56-270303-{n:04}")
    }
}

/// Intakes, status moves, a form that stops the clock and its resumption, a batch transfer,
/// a hand-over with a rating, accounts, settings and a notice, a backup and its restore.
fn a_day_of_work(desk: &Desk) {
    for (i, name) in [
        "Nguyễn Văn An",
        "Lê Thị Bình",
        "Trần Văn Cường",
        "Phạm Thị Dung",
    ]
    .iter()
    .enumerate()
    {
        desk.intake(&birth(
            name,
            &format!("2027-03-03T09:{:02}:00+07:00", i * 10),
        ));
    }
    let code = |n: usize| format!("000.00.14.H56-270303-{n:04}");
    desk.ok(&["transition", &code(1), "--to", "4"]);
    desk.ok(&["transition", &code(1), "--to", "9"]);
    desk.ok(&[
        "handover",
        &code(1),
        "--receiver-name",
        "Nguyễn Văn An",
        "--receiver-id",
        "079203001234",
        "--rating",
        "2",
    ]);
    let pdf = desk.path("mau02.pdf");
    desk.ok(&[
        "form",
        &code(2),
        "--form",
        "02",
        "--missing",
        "Giấy chứng sinh:bản chụp không rõ",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    desk.ok(&["transition", &code(2), "--to", "2"]);
    let list = desk.path("ban-giao.pdf");
    desk.ok(&[
        "transfer",
        &code(3),
        &code(4),
        "--to-unit",
        "--unit",
        "Công chức Tư pháp – Hộ tịch",
        "--giver",
        "Trần Văn Giao",
        "--receiver",
        "Lê Thị Cúc",
        "--out",
        list.to_str().unwrap(),
    ]);
    // Once there are accounts the CLI acts as a signed-in one: `boss` holds every role.
    desk.account(
        "boss",
        &["administrator", "reception", "processing", "supervisor"],
    );
    desk.account("an.nv", &["reception"]);
    desk.login("boss", PASSWORD);
    desk.ok(&[
        "settings",
        "set",
        "lookup-url",
        "https://tra.example.vn/{code}",
    ]);
    let backup = desk.json(&["backup"]);
    let file = backup["path"].as_str().unwrap().to_string();
    desk.ok(&["transition", &code(4), "--to", "9"]);
    desk.json(&["restore", &file]);
}

#[test]
fn a_day_of_work_verifies_and_its_heads_can_be_pinned() {
    for db in worked_databases() {
        let heads = db.heads();
        assert_eq!(
            heads.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
            ["events", "audit_log", "record_log"],
            "{}",
            db.name()
        );
        let pins: Vec<&str> = heads.iter().map(|(_, h)| h.as_str()).collect();
        let out = db.verify(&pins);
        assert!(out.status.success(), "{}: {}", db.name(), text(&out.stderr));
        // More work keeps the old heads on the chains.
        db.desk.ok(&["transition", &db.code(3), "--to", "9"]);
        let out = db.verify(&pins);
        assert!(out.status.success(), "{}: {}", db.name(), text(&out.stderr));
        let report: serde_json::Value =
            serde_json::from_slice(&db.desk.run(&["audit", "verify", "--json"]).stdout).unwrap();
        assert_eq!(report["ok"], true, "{}: {report}", db.name());
        assert_eq!(report["mismatches"], serde_json::json!([]));
    }
}

#[test]
fn an_edited_event_with_the_head_reset_is_never_resealed() {
    for db in worked_databases() {
        db.drop_triggers();
        db.sql("UPDATE events SET actor = 'x' WHERE id = 1; UPDATE audit_head SET genesis_last_id = -1;");
        let message = db.verify_fails(&[]);
        assert!(
            message.contains("the head of the dossier history was reset to \"not sealed\""),
            "{}: {message}",
            db.name()
        );
        // Opening the store again (every command does) seals nothing.
        db.desk.ok(&["list"]);
        let message = db.verify_fails(&[]);
        assert!(message.contains("not sealed"), "{}: {message}", db.name());
        assert_eq!(
            db.sql("SELECT genesis_last_id FROM audit_head WHERE chain = 'events'"),
            "-1",
            "{}",
            db.name()
        );
    }
}

#[test]
fn edited_dossier_rows_are_named_by_code_and_field() {
    for db in worked_databases() {
        db.drop_triggers();
        let (a, b) = (db.code(2), db.code(3));
        db.sql(&format!(
            "UPDATE dossiers SET due_at = due_at + 864000000, applicant_id_number = '001099000001' WHERE code = '{a}'; \
             UPDATE dossiers SET status_code = 9 WHERE code = '{b}';"
        ));
        let message = db.verify_fails(&[]);
        assert!(
            message.contains(&format!(
                "dossier {a} does not match its last log entry (applicant_id_number, due_at)"
            )),
            "{}: {message}",
            db.name()
        );
        assert!(
            message.contains(&format!(
                "dossier {b} does not match its last log entry (status)"
            )),
            "{}: {message}",
            db.name()
        );
        assert_eq!(
            message.matches("Data changed outside the app").count(),
            2,
            "{}: only those two: {message}",
            db.name()
        );
        // `motcua check` names them too.
        let out = db.desk.run(&["--lang", "en", "check"]);
        let checked = text(&out.stdout);
        assert!(
            checked.contains(&format!("dossier {a} does not match its last log entry")),
            "{}: {checked}",
            db.name()
        );
        // The JSON report lists them as records and fields.
        let out = db.desk.run(&["audit", "verify", "--json"]);
        assert_eq!(out.status.code(), Some(1));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            report["first_broken"],
            serde_json::Value::Null,
            "the chains hold"
        );
        assert_eq!(report["mismatches"][0]["record"], "dossier");
        assert_eq!(report["mismatches"][0]["key"], a.as_str());
        assert_eq!(
            report["mismatches"][0]["problem"],
            serde_json::json!({ "kind": "differs", "fields": ["applicant_id_number", "due_at"] })
        );
    }
}

#[test]
fn an_edited_handover_rating_is_found() {
    for db in worked_databases() {
        db.drop_triggers();
        let code = db.code(1);
        db.sql(&format!(
            "UPDATE handovers SET rating = 1 WHERE dossier_id = (SELECT id FROM dossiers WHERE code = '{code}')"
        ));
        let message = db.verify_fails(&[]);
        assert!(
            message.contains(&format!(
                "dossier {code} does not match its last log entry (handover)"
            )),
            "{}: {message}",
            db.name()
        );
    }
}

#[test]
fn edited_accounts_are_named() {
    for db in worked_databases() {
        db.drop_triggers();
        db.sql(
            "UPDATE accounts SET roles = 'administrator' WHERE name = 'an.nv'; \
             UPDATE accounts SET password_hash = (SELECT password_hash FROM accounts WHERE name = 'an.nv') \
             WHERE name = 'boss';",
        );
        let message = db.verify_fails(&[]);
        assert!(
            message.contains("account an.nv does not match its last log entry (roles)"),
            "{}: {message}",
            db.name()
        );
        assert!(
            message.contains("account boss does not match its last log entry (password_hash)"),
            "{}: {message}",
            db.name()
        );
        // The disabled flag too, and an account added behind the app's back.
        db.sql(
            "UPDATE accounts SET disabled = 1 WHERE name = 'an.nv'; \
             INSERT INTO accounts (name, display_name, roles, password_hash, disabled, failed_count, locked_until, created_at, updated_at) \
             SELECT 'ke.gian', 'x', 'administrator', password_hash, 0, 0, 0, 0, 0 FROM accounts WHERE name = 'boss';",
        );
        let message = db.verify_fails(&[]);
        assert!(
            message.contains("account an.nv does not match its last log entry (roles, disabled)"),
            "{}: {message}",
            db.name()
        );
        assert!(
            message.contains("account ke.gian has no log entry"),
            "{}: {message}",
            db.name()
        );
    }
}

#[test]
fn edited_settings_are_named() {
    for db in worked_databases() {
        db.drop_triggers();
        db.sql(
            "UPDATE settings SET value = '00' WHERE key = 'internal.slip-secret'; \
             UPDATE settings SET value = 'https://gia.example/{code}' WHERE key = 'lookup-url'; \
             DELETE FROM settings WHERE key = 'first-number'; \
             INSERT INTO settings (key, value) VALUES ('desk.Quầy 9.printer', 'x');",
        );
        let message = db.verify_fails(&[]);
        for needle in [
            "setting internal.slip-secret does not match its last log entry (value)",
            "setting lookup-url does not match its last log entry (value)",
            "setting first-number is in the log but no longer exists",
            "setting desk.Quầy 9.printer has no log entry",
        ] {
            assert!(
                message.contains(needle),
                "{}: {needle}: {message}",
                db.name()
            );
        }
        // The change counters the triggers bump are no record of their own.
        assert!(!message.contains("internal.settings-version"), "{message}");
    }
}

#[test]
fn an_edited_catalog_and_calendar_are_named() {
    for db in worked_databases() {
        db.drop_triggers();
        let day = db.sql("SELECT MIN(day) FROM calendar_notices");
        db.sql(&format!(
            "UPDATE procedures SET pause_policy = '\"restart\"', active = 0 WHERE code = '1.004873'; \
             DELETE FROM calendar_notices WHERE day = '{day}';"
        ));
        let message = db.verify_fails(&[]);
        for needle in [
            "procedure 1.004873 does not match its last log entry (pause_policy, active)"
                .to_string(),
            format!("calendar notice {day} is in the log but no longer exists"),
        ] {
            assert!(
                message.contains(&needle),
                "{}: {needle}: {message}",
                db.name()
            );
        }
    }
}

#[test]
fn setting_entries_say_old_and_new_values_but_never_a_secret() {
    for db in worked_databases() {
        let logged = db.sql(
            "SELECT data_json FROM record_log WHERE record = 'setting' AND key = 'lookup-url' \
             ORDER BY id DESC LIMIT 1",
        );
        let data: serde_json::Value = serde_json::from_str(&logged).unwrap();
        assert_eq!(
            data["new"],
            "https://tra.example.vn/{code}",
            "{}",
            db.name()
        );
        assert_eq!(data["old"], serde_json::Value::Null);
        // Recorded at the desk that made the change.
        let desk = db.sql(
            "SELECT desk FROM record_log WHERE record = 'setting' AND key = 'lookup-url' \
             ORDER BY id DESC LIMIT 1",
        );
        assert_eq!(desk, "Quầy thử", "{}", db.name());
        let secret = db.sql("SELECT value FROM settings WHERE key = 'internal.slip-secret'");
        let entries = db
            .sql("SELECT data_json FROM record_log WHERE key = 'internal.slip-secret' ORDER BY id");
        assert!(!entries.is_empty(), "{}: the secret is covered", db.name());
        assert!(!entries.contains(&secret), "{}: {entries}", db.name());
    }
}

#[test]
fn deleted_newest_entries_with_the_head_rolled_back_are_found_once_pinned() {
    for db in worked_databases() {
        let heads = db.heads();
        let noted = heads
            .iter()
            .find(|(c, _)| c == "audit_log")
            .map(|(_, h)| h.clone())
            .unwrap();
        db.drop_triggers();
        db.sql(
            "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log); \
             UPDATE audit_head SET entries = entries - 1, \
             last_hash = (SELECT hash FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)) \
             WHERE chain = 'audit_log';",
        );
        // The deleted entry may have vouched for the CLI's session: signing in again
        // appends to the shortened chain, which holds by itself.
        db.desk.login("boss", PASSWORD);
        assert!(db.verify(&[]).status.success(), "{}", db.name());
        let message = db.verify_fails(&[&noted]);
        assert!(
            message.contains(&format!("the noted head {noted} is no longer on any chain")),
            "{}: {message}",
            db.name()
        );
        // A head that disagrees with the rows is found without a pin.
        db.sql("UPDATE audit_head SET entries = entries + 1 WHERE chain = 'audit_log'");
        let message = db.verify_fails(&[]);
        assert!(
            message.contains("the access log recorded"),
            "{}: {message}",
            db.name()
        );
    }
}

#[test]
fn a_password_changed_through_the_app_stays_covered() {
    // Argon2 hashes differ on every change: the new one is recorded with it.
    let desk = Desk::ready();
    desk.account("an.nv", &["reception"]);
    let out = desk.run_stdin(
        &["user", "passwd", "an.nv", "--password-stdin"],
        &format!("{PASSWORD}\nMot-cua-2027-moi\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(desk.run(&["audit", "verify"]).status.success());
}
