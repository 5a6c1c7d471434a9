//! A centre's PostgreSQL as the README sets it up, through the real binary: an owner role
//! migrates and grants, the desks connect as their own role over TLS verified against the
//! centre's CA, and do a whole day's work; what only the owner may do is refused to them
//! with a message saying so.

use crate::private_server;
use crate::support;

use std::process::Output;

use private_server::{is_root, PrivateServer};
use support::{birth, Desk, SETUP};

fn server() -> Option<PrivateServer> {
    let required = std::env::var("MOTCUA_REQUIRE_POSTGRES").is_ok();
    if !is_root() {
        assert!(!required, "a private PostgreSQL server needs root here");
        eprintln!("skipped: a private PostgreSQL server needs root");
        return None;
    }
    let server = PrivateServer::start_tls();
    assert!(server.is_some() || !required, "PostgreSQL is not installed");
    server
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_desk_role_over_tls_does_a_days_work_and_no_more() {
    let Some(server) = server() else { return };
    let created = server.psql(
        "postgres",
        "postgres",
        "CREATE ROLE motcua_owner LOGIN; CREATE ROLE motcua_desk LOGIN; \
         CREATE DATABASE motcua OWNER motcua_owner",
    );
    assert!(created.status.success(), "{}", stderr(&created));
    let owner_url = server.url_as("motcua_owner", "motcua");
    let mut desk = Desk::new();
    desk.db = server.url_as("motcua_desk", "motcua");

    // Before the owner has made the schema, the desk is told what to run.
    let out = desk.run(&SETUP);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("motcua database migrate"),
        "{}",
        stderr(&out)
    );
    // The desk's own connection may not migrate.
    let out = desk.run(&["database", "migrate"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("không phải chủ sở hữu"),
        "{}",
        stderr(&out)
    );

    let migrated = desk.json(&["database", "migrate", "--owner-url", &owner_url]);
    assert!(migrated["schema_version"].as_i64().unwrap() > 0);
    let out = desk.run(&SETUP);
    assert!(
        stderr(&out).contains("grant-desk motcua_desk"),
        "{}",
        stderr(&out)
    );
    let granted = desk.json(&[
        "database",
        "grant-desk",
        "motcua_desk",
        "--owner-url",
        &owner_url,
    ]);
    assert_eq!(granted["role"], "motcua_desk");
    assert!(granted["append_only"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "events"));

    // A day at the desk.
    desk.ok(&SETUP);
    let d = desk.intake(&birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"));
    let code = d["code"].as_str().unwrap();
    let receipt = desk.path("receipt.pdf");
    desk.ok(&["receipt", code, "--out", receipt.to_str().unwrap()]);
    // The day as it happened, after the reception time the intake recorded.
    desk.ok(&[
        "transition",
        code,
        "--to",
        "4",
        "--note",
        "Chuyển xử lý",
        "--at",
        "2027-03-03T10:00:00+07:00",
    ]);
    desk.ok(&[
        "transition",
        code,
        "--to",
        "9",
        "--at",
        "2027-03-03T15:00:00+07:00",
    ]);
    let done = desk.json(&[
        "handover",
        code,
        "--receiver-name",
        "Nguyễn Văn An",
        "--receiver-id",
        "079203001234",
        "--rating",
        "2",
        "--at",
        "2027-03-03T16:00:00+07:00",
    ]);
    assert_eq!(done["status_code"], 10);
    let report = desk.json(&["report", "--from", "2027-03-01", "--to", "2027-03-31"]);
    assert_eq!(report["totals"]["received_total"], 1, "{report}");
    assert_eq!(report["totals"]["resolved_total"], 1, "{report}");
    let backup = desk.path("motcua.jsonl");
    let made = desk.json(&["backup", "--out", backup.to_str().unwrap()]);
    assert!(backup.exists(), "{made}");
    desk.ok(&["backup", "--verify", backup.to_str().unwrap()]);
    desk.ok(&["audit", "verify"]);
    desk.ok(&["check"]);

    // Replacing everything is the owner's: the server refuses it to the desk.
    let out = desk.run(&["restore", backup.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("chỉ chủ sở hữu"), "{}", stderr(&out));

    // Without TLS no one gets in; with another CA the desk is told it is about TLS.
    let mut plain = Desk::new();
    plain.db = format!(
        "postgres://motcua_desk@127.0.0.1:{}/motcua?sslmode=disable",
        server.port()
    );
    let out = plain.run(&["check"]);
    assert!(!out.status.success());
    let mut wrong = Desk::new();
    wrong.db = format!(
        "postgres://motcua_desk@127.0.0.1:{}/motcua?sslmode=verify-full&sslrootcert={}",
        server.port(),
        server.tls().unwrap().other_ca.display()
    );
    let out = wrong.run(&["check"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("TLS"), "{}", stderr(&out));
}
