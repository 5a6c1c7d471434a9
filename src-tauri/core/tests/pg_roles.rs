//! PostgreSQL with least privilege and encryption, on a private cluster that accepts only
//! TLS connections (a certificate signed by a CA made for the test): the owner role
//! migrates and grants, the desk role works and is refused by the server everything that
//! could rewrite the record, and a wrong CA or a plain connection is refused.

use crate::private_server;

use motcua_core::agency::AgencyInput;
use motcua_core::i18n::Lang;
use motcua_core::status::Status;
use motcua_core::store::DatabaseError;
use motcua_core::store::SchemaError;
use motcua_core::store::{supported_version, Actor, Store, Unmarked};
use motcua_core::CoreError;
use private_server::{is_root, PrivateServer};

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

fn ok(out: std::process::Output) {
    assert!(
        out.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `sql` run as `role` must be refused by the server for lack of rights.
fn refused(server: &PrivateServer, role: &str, sql: &str) {
    let out = server.psql(role, "motcua", sql);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{role} was allowed: {sql}");
    assert!(
        err.contains("permission denied") || err.contains("must be owner"),
        "{sql}: {err}"
    );
}

fn agency() -> AgencyInput {
    AgencyInput {
        agency_code: "000.00.14.H56".into(),
        governing_body: "UBND XÃ HƯỚNG THỌ PHÚ".into(),
        unit: "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG".into(),
        place: "Hướng Thọ Phú".into(),
        first_number: Some(1),
    }
}

fn request() -> motcua_core::intake::IntakeRequest {
    let json = serde_json::json!({
        "procedure": "1.001193",
        "applicant": {
            "name": "Nguyễn Văn An",
            "id_number": "079203001234",
            "phone": "0912345678",
            "email": "",
            "address": "Số 12, ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh"
        },
        "received_at": "2027-03-03T09:00:00+07:00"
    });
    motcua_core::intake::IntakeRequest::from_json(&json.to_string()).unwrap()
}

/// A cluster with `motcua_owner` owning the database `motcua` and a login `motcua_desk`.
fn roles(server: &PrivateServer) {
    ok(server.psql(
        "postgres",
        "postgres",
        "CREATE ROLE motcua_owner LOGIN; CREATE ROLE motcua_desk LOGIN; \
         CREATE DATABASE motcua OWNER motcua_owner",
    ));
}

#[tokio::test]
async fn the_owner_migrates_and_grants_and_the_desk_role_can_only_do_a_desks_work() {
    let Some(server) = server() else { return };
    roles(&server);
    let owner_url = server.url_as("motcua_owner", "motcua");
    let desk_url = server.url_as("motcua_desk", "motcua");

    // Nothing there yet: the desk may not create the schema, and says who must.
    let err = Store::open(&desk_url).await.unwrap_err();
    assert!(
        matches!(err, CoreError::Schema(SchemaError::Behind { found: 0, .. })),
        "{err:?}"
    );
    assert!(err.message(Lang::En).contains("motcua database migrate"));
    let err = Store::migrate_schema(&desk_url).await.unwrap_err();
    assert!(
        matches!(&err, CoreError::Schema(SchemaError::NotOwner { role }) if role == "motcua_desk"),
        "{err:?}"
    );

    let report = Store::migrate_schema(&owner_url).await.unwrap();
    assert_eq!(report.schema_version, supported_version());
    assert!(report.desks.is_empty());

    // Migrated, but not granted yet.
    let err = Store::open(&desk_url).await.unwrap_err();
    assert!(
        matches!(&err, CoreError::Schema(SchemaError::NotGranted { role }) if role == "motcua_desk"),
        "{err:?}"
    );
    assert!(err
        .message(Lang::En)
        .contains("motcua database grant-desk motcua_desk"));

    let owner = Store::open(&owner_url).await.unwrap();
    let granted = owner.grant_desk("motcua_desk").await.unwrap();
    assert!(granted.append_only.contains(&"events".to_string()));
    assert!(granted.append_only.contains(&"audit_log".to_string()));
    assert!(granted.tables.contains(&"dossiers".to_string()));
    assert!(
        !granted.may_create_tables,
        "PostgreSQL 15 gives PUBLIC no CREATE"
    );
    assert!(matches!(
        owner.grant_desk("motcua_owner").await.unwrap_err(),
        CoreError::Schema(SchemaError::DeskRoleIsOwner { .. })
    ));
    assert!(matches!(
        owner.grant_desk("postgres").await.unwrap_err(),
        CoreError::Schema(SchemaError::DeskRoleIsOwner { .. })
    ));
    assert!(matches!(
        owner.grant_desk("nobody").await.unwrap_err(),
        CoreError::Schema(SchemaError::RoleNotFound { .. })
    ));

    // The desk role opens the current schema without DDL and does a desk's work.
    let desk = Store::open(&desk_url).await.unwrap();
    desk.setup(&agency()).await.unwrap();
    let actor = Actor::new("an", "Quầy 1");
    let dossier = desk.intake(&request(), &actor).await.unwrap();
    desk.transition(&dossier.code, Status::Processing, "", None, None, &actor)
        .await
        .unwrap();
    desk.open_record(&dossier.code, &actor, motcua_core::vntime::now())
        .await
        .unwrap();
    assert!(desk.verify_audit().await.unwrap().ok);
    // It may not grant, nor migrate, nor replace everything.
    assert!(matches!(
        desk.grant_desk("motcua_desk").await.unwrap_err(),
        CoreError::Schema(SchemaError::NotOwner { .. })
    ));
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("motcua.jsonl");
    desk.backup(&backup).await.unwrap();
    let err = desk
        .restore(&backup, &dir.path().join("aside"), Unmarked::Refuse, &actor)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            CoreError::Database(DatabaseError::PermissionDenied { .. })
        ),
        "{err:?}"
    );
    desk.close().await;

    // What one SQL statement could do to the record, the server refuses to the desk.
    for sql in [
        "DROP TRIGGER events_no_change ON events",
        "ALTER TABLE events DISABLE TRIGGER events_no_change",
        "UPDATE events SET actor = 'x' WHERE id = 1",
        "DELETE FROM events",
        "UPDATE audit_log SET actor = 'x'",
        "DELETE FROM audit_log",
        "TRUNCATE events",
        "TRUNCATE audit_log",
        "TRUNCATE dossiers",
        "CREATE TABLE mine (a BIGINT)",
        "ALTER TABLE dossiers ADD COLUMN note TEXT",
        "DROP TABLE dossiers",
        "DELETE FROM _sqlx_migrations",
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99, 'x', TRUE, '\\x00', 0)",
    ] {
        refused(&server, "motcua_desk", sql);
    }
    ok(server.psql("motcua_desk", "motcua", "SELECT COUNT(*) FROM events"));

    // A later migration's table (here a new chained table made by the owner) is granted
    // when the owner migrates again: appended to, never rewritten.
    ok(server.psql(
        "motcua_owner",
        "motcua",
        "CREATE TABLE later_log (id BIGSERIAL PRIMARY KEY, note TEXT NOT NULL, \
         prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
    ));
    refused(
        &server,
        "motcua_desk",
        "INSERT INTO later_log (note, prev_hash, hash) VALUES ('a', '', '')",
    );
    let report = Store::migrate_schema(&owner_url).await.unwrap();
    assert_eq!(report.desks.len(), 1, "{report:?}");
    assert_eq!(report.desks[0].role, "motcua_desk");
    assert!(report.desks[0]
        .append_only
        .contains(&"later_log".to_string()));
    ok(server.psql(
        "motcua_desk",
        "motcua",
        "INSERT INTO later_log (note, prev_hash, hash) VALUES ('a', '', '')",
    ));
    refused(&server, "motcua_desk", "UPDATE later_log SET note = 'b'");

    // A schema behind this version: the desk says so, and who must run what.
    ok(server.psql(
        "motcua_owner",
        "motcua",
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    ));
    let err = Store::open(&desk_url).await.unwrap_err();
    match &err {
        CoreError::Schema(SchemaError::Behind { found, supported }) => {
            assert!(*found < *supported);
            assert_eq!(*supported, supported_version());
        }
        other => panic!("{other:?}"),
    }
    assert!(err.message(Lang::Vi).contains("motcua database migrate"));
    owner.close().await;
}

#[tokio::test]
async fn connections_are_encrypted_and_a_wrong_ca_or_a_plain_connection_is_refused() {
    let Some(server) = server() else { return };
    let tls = server.tls().unwrap();
    let base = format!("postgres://postgres@127.0.0.1:{}/postgres?", server.port());
    // Verified against the CA that signed the server's certificate, by address and name.
    let verified = server.url_as("postgres", "postgres");
    let store = Store::open(&verified).await.unwrap();
    store.setup(&agency()).await.unwrap();
    store.close().await;
    Store::probe(&verified).await.unwrap();
    let by_name = format!(
        "postgres://postgres@localhost:{}/postgres?sslmode=verify-full&sslrootcert={}",
        server.port(),
        tls.ca.display()
    );
    Store::probe(&by_name).await.unwrap();
    // Encrypted without checking whose certificate it is.
    Store::probe(&format!("{base}sslmode=require"))
        .await
        .unwrap();

    // Another CA: refused, and said to be about TLS.
    let wrong = format!(
        "{base}sslmode=verify-full&sslrootcert={}",
        tls.other_ca.display()
    );
    for err in [
        Store::open(&wrong).await.unwrap_err(),
        Store::probe(&wrong).await.unwrap_err(),
    ] {
        assert!(
            matches!(err, CoreError::Database(DatabaseError::Tls { .. })),
            "{err:?}"
        );
        assert!(err.message(Lang::En).contains("sslrootcert"));
        assert!(err.message(Lang::Vi).contains("TLS"));
    }
    // Without encryption the server (hostssl only) lets no one in.
    let err = Store::probe(&format!("{base}sslmode=disable"))
        .await
        .unwrap_err();
    assert!(err.message(Lang::En).contains("no encryption"), "{err:?}");
}
