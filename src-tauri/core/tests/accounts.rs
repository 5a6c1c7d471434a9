//! Staff accounts, logins with lockout, sessions and the hash-chained audit trail, on every
//! engine. Tampering is done the way someone with the database would: triggers dropped,
//! rows edited with plain SQL behind the store's back.

use crate::common;

use chrono::{DateTime, Utc};
use common::{actor, birth_request, ready_stores, stores, TestStore};
use motcua_core::accounts::AccessError;
use motcua_core::accounts::{Action, NewAccount, Role};
use motcua_core::audit::{BreakReason, Chain};
use motcua_core::session::{Guard, SessionStatus};
use motcua_core::status::Status;
use motcua_core::store::{Actor, Store};
use motcua_core::CoreError;
use sqlx::any::AnyPoolOptions;
use sqlx::Row;

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_800_000_000 + secs, 0).unwrap()
}

fn admin() -> Actor {
    Actor::new("root.admin", "Máy chủ")
}

fn new_account(name: &str, roles: &[Role], password: &str) -> NewAccount {
    NewAccount {
        name: name.into(),
        display_name: String::new(),
        roles: roles.to_vec(),
        password: password.into(),
    }
}

const PASSWORD: &str = "Hoa sen 2027";

async fn with_clerk(t: &TestStore) {
    t.store
        .create_account(
            &new_account("an.nv", &[Role::Reception, Role::Processing], PASSWORD),
            &admin(),
            at(0),
        )
        .await
        .unwrap();
}

/// Text columns of every row of a query, behind the store's back.
async fn raw_texts(t: &TestStore, sql: &str) -> Vec<String> {
    let url = if t.name == "sqlite" {
        format!("sqlite://{}", t.location)
    } else {
        t.location.clone()
    };
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    let rows = sqlx::query(sql).fetch_all(&pool).await.unwrap();
    pool.close().await;
    rows.iter()
        .map(|r| r.try_get::<String, _>(0).unwrap())
        .collect()
}

/// Removes the append-only triggers, as a tamperer would first.
async fn drop_triggers(t: &TestStore) {
    let statements: &[&str] = if t.name == "sqlite" {
        &[
            "DROP TRIGGER events_no_update",
            "DROP TRIGGER events_no_delete",
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ]
    } else {
        &[
            "DROP TRIGGER events_no_change ON events",
            "DROP TRIGGER audit_log_no_change ON audit_log",
        ]
    };
    for sql in statements {
        common::raw(t, sql).await.unwrap();
    }
}

/// Three dossiers, the first moved on twice: five events with ids 1–5.
async fn some_history(s: &Store) -> String {
    let mut first = String::new();
    for (i, name) in ["Nguyễn Văn An", "Lê Thị Bình", "Trần Văn Cường"]
        .iter()
        .enumerate()
    {
        let d = s
            .intake(&birth_request(name, "2027-03-03T09:00:00+07:00"), &actor())
            .await
            .unwrap();
        if i == 0 {
            first = d.code;
        }
    }
    s.transition(&first, Status::Processing, "", None, None, &actor())
        .await
        .unwrap();
    s.transition(&first, Status::Ready, "", None, None, &actor())
        .await
        .unwrap();
    first
}

#[tokio::test]
async fn accounts_are_created_listed_and_never_show_their_hash() {
    for t in stores().await {
        let s = &t.store;
        assert_eq!(s.account_count().await.unwrap(), 0);
        with_clerk(&t).await;
        let a = s.account("AN.NV").await.unwrap();
        assert_eq!(a.name, "an.nv", "{}", t.name);
        assert_eq!(a.display_name, "an.nv");
        assert_eq!(a.roles, vec![Role::Reception, Role::Processing]);
        assert!(!a.disabled);
        let json = serde_json::to_string(&s.accounts().await.unwrap()).unwrap();
        assert!(!json.contains("argon2"), "{json}");
        let hashes = raw_texts(&t, "SELECT password_hash FROM accounts").await;
        assert!(hashes[0].starts_with("$argon2id$"), "{}", hashes[0]);
        assert!(!hashes[0].contains(PASSWORD));

        let err = s
            .create_account(
                &new_account("An.NV", &[Role::Supervisor], PASSWORD),
                &admin(),
                at(1),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, CoreError::Access(AccessError::AccountExists { name }) if name == "an.nv"),
            "{err}"
        );
        let err = s
            .create_account(&new_account("binh", &[], "short"), &admin(), at(1))
            .await
            .unwrap_err();
        let fields: Vec<&str> = err
            .field_errors()
            .iter()
            .map(|f| f.field.as_str())
            .collect();
        assert_eq!(fields, ["account.roles", "account.password"]);
        assert_eq!(s.account_count().await.unwrap(), 1);
        assert!(matches!(
            s.account("nobody").await,
            Err(CoreError::Access(AccessError::AccountNotFound { .. }))
        ));
    }
}

#[tokio::test]
async fn the_first_administrator_is_created_once() {
    for t in stores().await {
        let s = &t.store;
        let first = s
            .create_first_administrator(
                &new_account("quan.tri", &[Role::Supervisor], PASSWORD),
                "Quầy 1",
                at(0),
            )
            .await
            .unwrap();
        assert_eq!(
            first.roles,
            vec![Role::Supervisor, Role::Administrator],
            "{}",
            t.name
        );
        let err = s
            .create_first_administrator(
                &new_account("ke.gian", &[Role::Administrator], PASSWORD),
                "Quầy 1",
                at(1),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, CoreError::Access(AccessError::AccountsExist)),
            "{err}"
        );
        assert_eq!(s.account_count().await.unwrap(), 1);
        let log = s.access_log(None, 10).await.unwrap();
        assert_eq!(log.len(), 1, "the refused attempt left no entry");
        assert_eq!(log[0].kind, "account_created");
        assert_eq!(log[0].subject, "quan.tri");
    }
}

#[tokio::test]
async fn logins_are_checked_and_every_attempt_is_logged_without_the_password() {
    for t in stores().await {
        let s = &t.store;
        with_clerk(&t).await;
        let a = s.login("an.nv", PASSWORD, "Quầy 1", at(10)).await.unwrap();
        assert_eq!(a.name, "an.nv", "{}", t.name);
        let err = s
            .login("an.nv", "Hoa sen 2028", "Quầy 1", at(11))
            .await
            .unwrap_err();
        assert!(
            matches!(err, CoreError::Access(AccessError::BadCredentials)),
            "{err}"
        );
        // A password typed into the name box: refused, and not written down.
        let err = s
            .login("Bi-Mat-Lam-2027", PASSWORD, "Quầy 1", at(12))
            .await
            .unwrap_err();
        assert!(
            matches!(err, CoreError::Access(AccessError::BadCredentials)),
            "{err}"
        );
        assert_eq!(
            err.message(motcua_core::i18n::Lang::En),
            "Wrong login name or password."
        );

        let log = s.access_log(None, 10).await.unwrap();
        let kinds: Vec<&str> = log.iter().rev().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "account_created",
                "login_ok",
                "login_failed",
                "login_failed"
            ]
        );
        assert_eq!(log[1].subject, "an.nv");
        assert_eq!(log[1].desk, "Quầy 1");
        assert_eq!(log[1].data["failed_count"], 1);
        assert_eq!(log[0].subject, "");
        assert_eq!(log[0].actor, "");
        assert_eq!(s.access_log(Some("an.nv"), 10).await.unwrap().len(), 3);

        let everything = raw_texts(
            &t,
            "SELECT actor || '|' || desk || '|' || kind || '|' || subject || '|' || data_json FROM audit_log",
        )
        .await
        .join("\n")
        .to_lowercase();
        for secret in ["hoa sen", "bi-mat-lam"] {
            assert!(!everything.contains(secret), "{secret} in {everything}");
        }
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_longer_each_time_even_after_a_restart() {
    for t in stores().await {
        with_clerk(&t).await;
        let wrong = "Sai mat khau 1";
        for i in 1..=4 {
            let err = t
                .store
                .login("an.nv", wrong, "Quầy 1", at(i))
                .await
                .unwrap_err();
            assert!(
                matches!(err, CoreError::Access(AccessError::BadCredentials)),
                "{}: {err}",
                t.name
            );
        }
        // The fifth wrong password makes the account wait 30 s.
        let err = t
            .store
            .login("an.nv", wrong, "Quầy 1", at(5))
            .await
            .unwrap_err();
        assert!(
            matches!(err, CoreError::Access(AccessError::AccountLocked { until }) if until == at(35)),
            "{err}"
        );
        assert!(err
            .message(motcua_core::i18n::Lang::Vi)
            .contains("thử lại sau"));
        // While waiting even the right password is refused, without being checked.
        let err = t
            .store
            .login("an.nv", PASSWORD, "Quầy 1", at(20))
            .await
            .unwrap_err();
        assert!(
            matches!(err, CoreError::Access(AccessError::AccountLocked { .. })),
            "{err}"
        );

        // A restarted app still remembers.
        t.store.close().await;
        let store = Store::open(&t.location).await.unwrap();
        let a = store.account("an.nv").await.unwrap();
        assert_eq!(a.failed_count, 5);
        assert_eq!(a.locked_until, Some(at(35)));
        let err = store
            .login("an.nv", PASSWORD, "Quầy 1", at(34))
            .await
            .unwrap_err();
        assert!(
            matches!(err, CoreError::Access(AccessError::AccountLocked { .. })),
            "{err}"
        );
        // After the wait, one more failure doubles it.
        let err = store
            .login("an.nv", wrong, "Quầy 1", at(36))
            .await
            .unwrap_err();
        assert!(
            matches!(err, CoreError::Access(AccessError::AccountLocked { until }) if until == at(96)),
            "{err}"
        );
        let err = store
            .login("an.nv", wrong, "Quầy 1", at(97))
            .await
            .unwrap_err();
        assert!(
            matches!(err, CoreError::Access(AccessError::AccountLocked { until }) if until == at(217)),
            "{err}"
        );
        // The right password after the wait signs in and clears the count.
        let a = store
            .login("an.nv", PASSWORD, "Quầy 1", at(218))
            .await
            .unwrap();
        assert_eq!((a.failed_count, a.locked_until), (0, None));
        let a = store.account("an.nv").await.unwrap();
        assert_eq!((a.failed_count, a.locked_until), (0, None));
        let refused = store
            .access_log(Some("an.nv"), 100)
            .await
            .unwrap()
            .iter()
            .filter(|e| e.kind == "login_refused")
            .count();
        assert_eq!(refused, 2);

        // An administrator's reset also lifts a lockout.
        for i in 0..5 {
            let _ = store.login("an.nv", wrong, "Quầy 1", at(300 + i)).await;
        }
        assert!(store.account("an.nv").await.unwrap().locked_until.is_some());
        store
            .reset_password("an.nv", "Mat khau moi 2027", &admin(), at(310))
            .await
            .unwrap();
        store
            .login("an.nv", "Mat khau moi 2027", "Quầy 1", at(311))
            .await
            .unwrap();
        assert!(matches!(
            store.login("an.nv", PASSWORD, "Quầy 1", at(312)).await,
            Err(CoreError::Access(AccessError::BadCredentials))
        ));
        store.close().await;
    }
}

#[tokio::test]
async fn disabled_accounts_cannot_sign_in_and_the_last_administrator_stays() {
    for t in stores().await {
        let s = &t.store;
        with_clerk(&t).await;
        s.create_account(
            &new_account("quan.tri", &[Role::Administrator], PASSWORD),
            &admin(),
            at(0),
        )
        .await
        .unwrap();
        let a = s
            .set_disabled("an.nv", true, &admin(), at(1))
            .await
            .unwrap();
        assert!(a.disabled, "{}", t.name);
        let err = s
            .login("an.nv", PASSWORD, "Quầy 1", at(2))
            .await
            .unwrap_err();
        assert!(
            matches!(err, CoreError::Access(AccessError::AccountDisabled { .. })),
            "{err}"
        );
        // A wrong password does not tell that the account is disabled.
        let err = s
            .login("an.nv", "Hoa sen 2028", "Quầy 1", at(3))
            .await
            .unwrap_err();
        assert!(
            matches!(err, CoreError::Access(AccessError::BadCredentials)),
            "{err}"
        );
        s.set_disabled("an.nv", false, &admin(), at(4))
            .await
            .unwrap();
        s.login("an.nv", PASSWORD, "Quầy 1", at(5)).await.unwrap();

        let err = s
            .set_disabled("quan.tri", true, &admin(), at(6))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                CoreError::Access(AccessError::LastAdministrator { .. })
            ),
            "{err}"
        );
        let err = s
            .set_roles("quan.tri", &[Role::Supervisor], &admin(), at(6))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                CoreError::Access(AccessError::LastAdministrator { .. })
            ),
            "{err}"
        );
        let a = s
            .set_roles(
                "an.nv",
                &[Role::Administrator, Role::Reception],
                &admin(),
                at(7),
            )
            .await
            .unwrap();
        assert_eq!(a.roles, vec![Role::Reception, Role::Administrator]);
        s.set_disabled("quan.tri", true, &admin(), at(8))
            .await
            .unwrap();
        let kinds: Vec<String> = s
            .access_log(None, 100)
            .await
            .unwrap()
            .into_iter()
            .rev()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                "account_created",
                "account_created",
                "account_disabled",
                "login_refused",
                "login_failed",
                "account_enabled",
                "login_ok",
                "roles_changed",
                "account_disabled"
            ]
        );
    }
}

#[tokio::test]
async fn passwords_change_only_with_the_old_one_and_by_the_rules() {
    for t in stores().await {
        let s = &t.store;
        with_clerk(&t).await;
        let err = s
            .change_password("an.nv", "Hoa sen 2028", "Mật khẩu mới 1", "Quầy 1", at(1))
            .await
            .unwrap_err();
        assert!(
            matches!(err, CoreError::Access(AccessError::BadCredentials)),
            "{}: {err}",
            t.name
        );
        assert_eq!(s.account("an.nv").await.unwrap().failed_count, 1);
        let err = s
            .change_password("an.nv", PASSWORD, "an.nv.2027", "Quầy 1", at(2))
            .await
            .unwrap_err();
        assert_eq!(err.field_errors()[0].field, "account.new_password");
        assert_eq!(
            err.message(motcua_core::i18n::Lang::En),
            "New password: must not be (or contain) the login name"
        );
        s.change_password("an.nv", PASSWORD, "Mật khẩu mới 1", "Quầy 1", at(3))
            .await
            .unwrap();
        s.login("an.nv", "Mật khẩu mới 1", "Quầy 1", at(4))
            .await
            .unwrap();
        let err = s
            .reset_password("an.nv", "aaaaaaaaaaaaaa", &admin(), at(5))
            .await
            .unwrap_err();
        assert!(
            err.message(motcua_core::i18n::Lang::Vi)
                .contains("hai loại"),
            "{err}"
        );
    }
}

#[tokio::test]
async fn the_idle_lock_setting_is_validated_and_defaults_to_ten_minutes() {
    for t in stores().await {
        let s = &t.store;
        assert_eq!(s.idle_lock_minutes().await.unwrap(), 10, "{}", t.name);
        assert_eq!(
            s.get_named("Quầy 1", "idle-lock-minutes").await.unwrap(),
            "10"
        );
        for bad in ["0", "241", "mười", ""] {
            let err = s
                .set_named("Quầy 1", "idle-lock-minutes", bad)
                .await
                .unwrap_err();
            assert_eq!(err.field_errors()[0].field, "idle-lock-minutes", "{bad}");
            assert_eq!(
                err.message(motcua_core::i18n::Lang::Vi),
                "Tự khóa sau (phút): phải từ 1 đến 240"
            );
        }
        s.set_named("Quầy 1", "idle-lock-minutes", " 30 ")
            .await
            .unwrap();
        assert_eq!(
            s.get_named("Quầy 1", "idle-lock-minutes").await.unwrap(),
            "30"
        );
        assert!(motcua_core::store::NAMED_SETTINGS.contains(&"idle-lock-minutes"));
    }
}

#[tokio::test]
async fn a_desk_session_signs_in_locks_when_idle_and_unlocks_with_the_password() {
    for t in ready_stores().await {
        let s = &t.store;
        with_clerk(&t).await;
        s.set_named("Quầy 1", "idle-lock-minutes", "5")
            .await
            .unwrap();
        let guard = Guard::new("Quầy 1");
        assert_eq!(
            guard.require(Action::Intake, at(0)).unwrap_err().kind(),
            "not_logged_in"
        );
        let err = guard.login(s, "an.nv", "sai", at(0)).await.unwrap_err();
        assert_eq!(err.kind(), "bad_credentials", "{}", t.name);
        let session = guard.login(s, "an.nv", PASSWORD, at(1)).await.unwrap();
        assert_eq!(session.idle_limit_secs, 300);

        // The session's actor is recorded on what it does.
        let session = guard.require(Action::Intake, at(60)).unwrap();
        let d = s
            .intake(
                &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                &session.actor(guard.desk()),
            )
            .await
            .unwrap();
        let events = s.events(&d.code).await.unwrap();
        assert_eq!(events[0].actor, "an.nv");
        assert_eq!(events[0].desk, "Quầy 1");
        assert_eq!(
            guard.require(Action::Settings, at(61)).unwrap_err().kind(),
            "forbidden"
        );

        // Five idle minutes pass: locked, and a wrong password does not unlock.
        assert!(matches!(
            guard.status(at(61 + 301)),
            SessionStatus::Locked { .. }
        ));
        assert_eq!(
            guard.require(Action::Intake, at(400)).unwrap_err().kind(),
            "session_locked"
        );
        let err = guard.unlock(s, "sai mat khau", at(401)).await.unwrap_err();
        assert_eq!(err.kind(), "bad_credentials");
        assert_eq!(
            guard.require(Action::Intake, at(402)).unwrap_err().kind(),
            "session_locked"
        );
        let session = guard.unlock(s, PASSWORD, at(403)).await.unwrap();
        assert_eq!(session.started_at, at(1), "the same session, reopened");
        guard.require(Action::Intake, at(404)).unwrap();

        // Roles changed meanwhile apply from the unlock; a disabled account is signed out.
        guard.lock();
        s.set_roles("an.nv", &[Role::Supervisor], &admin(), at(405))
            .await
            .unwrap();
        guard.unlock(s, PASSWORD, at(406)).await.unwrap();
        assert_eq!(
            guard.require(Action::Intake, at(407)).unwrap_err().kind(),
            "forbidden"
        );
        guard.require(Action::Report, at(407)).unwrap();
        guard.lock();
        s.set_disabled("an.nv", true, &admin(), at(408))
            .await
            .unwrap();
        let err = guard.unlock(s, PASSWORD, at(409)).await.unwrap_err();
        assert_eq!(err.kind(), "account_disabled");
        assert_eq!(guard.status(at(410)), SessionStatus::LoggedOut);
    }
}

#[tokio::test]
async fn opening_a_full_record_and_exporting_personal_data_are_logged() {
    for t in ready_stores().await {
        let s = &t.store;
        let d = s
            .intake(
                &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        let clerk = Actor::new("an.nv", "Quầy 2");
        let full = s.open_record(&d.code, &clerk, at(1)).await.unwrap();
        assert_eq!(full.applicant.id_number, "079203001234", "{}", t.name);
        s.log_export(
            &Actor::new("binh.tt", "Quầy 3"),
            "report 2027-03",
            12,
            at(2),
        )
        .await
        .unwrap();
        let log = s.access_log(None, 10).await.unwrap();
        assert_eq!(log[1].kind, "record_opened");
        assert_eq!(log[1].subject, d.code);
        assert_eq!(log[1].actor, "an.nv");
        assert_eq!(log[0].kind, "personal_export");
        assert_eq!(log[0].data["rows"], 12);
        let text = serde_json::to_string(&log).unwrap();
        assert!(!text.contains("079203001234") && !text.contains("0912345678"));
        // A masked list for the window.
        let list =
            motcua_core::privacy::mask_summaries(s.list(&Default::default()).await.unwrap(), true);
        assert_eq!(list[0].applicant_id_number, "********1234");
        assert_eq!(list[0].applicant_phone, "******5678");
        assert!(matches!(
            s.open_record("000.00.14.H56-270303-9999", &clerk, at(3))
                .await,
            Err(CoreError::DossierNotFound { .. })
        ));
    }
}

#[tokio::test]
async fn the_chains_stay_intact_through_many_appends() {
    for t in ready_stores().await {
        let s = &t.store;
        let report = s.verify_audit().await.unwrap();
        assert!(report.ok, "{}: {report:?}", t.name);
        assert_eq!(report.heads[0].entries + report.heads[1].entries, 0);
        for _ in 0..10 {
            some_history(s).await;
        }
        with_clerk(&t).await;
        for i in 0..5 {
            let _ = s.login("an.nv", PASSWORD, "Quầy 1", at(i)).await;
        }
        let report = s.verify_audit().await.unwrap();
        assert!(report.ok, "{}: {report:?}", t.name);
        assert_eq!(report.heads.len(), 3);
        assert_eq!(report.heads[0].chain, Chain::Events);
        assert_eq!(report.heads[0].entries, 50);
        assert_eq!(report.heads[1].chain, Chain::AuditLog);
        assert_eq!(report.heads[1].entries, 6);
        assert_eq!(report.heads[2].chain, Chain::RecordLog);
        assert_eq!(
            report.checked,
            50 + 6 + report.heads[2].entries,
            "every chain walked"
        );
        assert_eq!(report.heads[0].hash.len(), 64);
        let last = raw_texts(&t, "SELECT hash FROM events ORDER BY id DESC LIMIT 1").await;
        assert_eq!(report.heads[0].hash, last[0]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_from_several_desks_never_fork_the_chain() {
    for t in ready_stores().await {
        let mut tasks = Vec::new();
        for desk in 0..6 {
            let s = t.store.clone();
            tasks.push(tokio::spawn(async move {
                let actor = Actor::new("tester", format!("Quầy {desk}"));
                for i in 0..8 {
                    let d = s
                        .intake(
                            &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                            &actor,
                        )
                        .await
                        .unwrap();
                    if i % 2 == 0 {
                        s.open_record(&d.code, &actor, at(i)).await.unwrap();
                    }
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let report = t.store.verify_audit().await.unwrap();
        assert!(report.ok, "{}: {report:?}", t.name);
        assert_eq!(report.heads[0].entries, 48, "{}", t.name);
        assert_eq!(report.heads[1].entries, 24, "{}", t.name);
        // One chain: every prev_hash is some other entry's hash, and none is shared.
        let prevs = raw_texts(&t, "SELECT prev_hash FROM events ORDER BY id").await;
        let mut distinct = prevs.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), prevs.len(), "{}: the chain forked", t.name);
    }
}

/// A fresh set-up store with some history, its triggers dropped.
async fn tampered_stores() -> Vec<TestStore> {
    let all = ready_stores().await;
    for t in &all {
        some_history(&t.store).await;
        with_clerk(t).await;
        t.store
            .login("an.nv", PASSWORD, "Quầy 1", at(1))
            .await
            .unwrap();
        assert!(t.store.verify_audit().await.unwrap().ok);
        drop_triggers(t).await;
    }
    all
}

async fn broken_at(t: &TestStore) -> (Chain, i64, BreakReason) {
    let report = t.store.verify_audit().await.unwrap();
    assert!(!report.ok, "{}: tampering not noticed", t.name);
    let b = report.first_broken.unwrap();
    (b.chain, b.id, b.reason)
}

#[tokio::test]
async fn an_edited_event_is_found() {
    for t in tampered_stores().await {
        common::raw(&t, "UPDATE events SET note = 'đã sửa' WHERE id = 3")
            .await
            .unwrap();
        assert_eq!(broken_at(&t).await, (Chain::Events, 3, BreakReason::Edited));
        let report = t.store.verify_audit().await.unwrap();
        let message = report
            .first_broken
            .unwrap()
            .message(motcua_core::i18n::Lang::En);
        assert!(message.contains("entry 3"), "{message}");
    }
}

#[tokio::test]
async fn an_edited_time_or_actor_is_found() {
    for t in tampered_stores().await {
        common::raw(&t, "UPDATE events SET at = at + 1 WHERE id = 1")
            .await
            .unwrap();
        assert_eq!(broken_at(&t).await, (Chain::Events, 1, BreakReason::Edited));
    }
    for t in tampered_stores().await {
        common::raw(
            &t,
            "UPDATE audit_log SET actor = 'ai.do' WHERE kind = 'login_ok'",
        )
        .await
        .unwrap();
        assert_eq!(
            broken_at(&t).await,
            (Chain::AuditLog, 2, BreakReason::Edited)
        );
    }
}

#[tokio::test]
async fn a_deleted_event_is_found() {
    for t in tampered_stores().await {
        common::raw(&t, "DELETE FROM events WHERE id = 2")
            .await
            .unwrap();
        assert_eq!(
            broken_at(&t).await,
            (Chain::Events, 3, BreakReason::Unlinked)
        );
    }
}

#[tokio::test]
async fn reordered_events_are_found() {
    for t in tampered_stores().await {
        for sql in [
            "UPDATE events SET id = 1000 WHERE id = 2",
            "UPDATE events SET id = 2 WHERE id = 3",
            "UPDATE events SET id = 3 WHERE id = 1000",
        ] {
            common::raw(&t, sql).await.unwrap();
        }
        assert_eq!(
            broken_at(&t).await,
            (Chain::Events, 2, BreakReason::Unlinked)
        );
    }
}

#[tokio::test]
async fn deleted_newest_events_and_rows_written_behind_the_store_are_found() {
    for t in tampered_stores().await {
        common::raw(&t, "DELETE FROM events WHERE id = 5")
            .await
            .unwrap();
        assert_eq!(
            broken_at(&t).await,
            (
                Chain::Events,
                4,
                BreakReason::Truncated {
                    expected: 5,
                    found: 4
                }
            )
        );
    }
    for t in tampered_stores().await {
        common::raw(
            &t,
            "INSERT INTO events (dossier_id, at, actor, kind, note, data_json) VALUES (1, 0, 'x', 'created', '', '{}')",
        )
        .await
        .unwrap();
        assert_eq!(
            broken_at(&t).await,
            (Chain::Events, 6, BreakReason::Unchained)
        );
    }
}

/// A database from before the audit trail: events without hashes, the chain not sealed.
#[tokio::test]
async fn history_older_than_the_chain_becomes_its_genesis_and_stays_protected() {
    for t in ready_stores().await {
        some_history(&t.store).await;
        drop_triggers(&t).await;
        // As a database from before the chains (0007), the covered records (0009), the
        // any-desk columns (0010), the outbox (0011, 0012) and the scans (0013, 0014).
        for sql in [
            "DROP TABLE scans",
            "DELETE FROM _sqlx_migrations WHERE version = 14",
            "DELETE FROM _sqlx_migrations WHERE version = 13",
            "DELETE FROM _sqlx_migrations WHERE version = 12",
            "DROP TABLE outbox_messages",
            "DROP TABLE outbox_counters",
            "DROP TABLE outbox_destinations",
            "DELETE FROM _sqlx_migrations WHERE version = 11",
            "ALTER TABLE dossiers DROP COLUMN authority",
            "ALTER TABLE procedures DROP COLUMN any_desk",
            "DELETE FROM _sqlx_migrations WHERE version = 10",
        ] {
            common::raw(&t, sql).await.unwrap();
        }
        let undo_0009: &[&str] = if t.name == "sqlite" {
            &["DROP TABLE record_log"]
        } else {
            &[
                "DROP TABLE record_log",
                "DROP FUNCTION record_log_append_only()",
            ]
        };
        for sql in undo_0009.iter().chain(&[
            "ALTER TABLE events DROP COLUMN state_hash",
            "DELETE FROM audit_head WHERE chain = 'record_log'",
            "DELETE FROM _sqlx_migrations WHERE version = 9",
            "UPDATE events SET prev_hash = '', hash = ''",
            "UPDATE audit_head SET genesis_last_id = -1, genesis_hash = '', entries = 0, last_hash = ''",
        ]) {
            common::raw(&t, sql).await.unwrap();
        }
        t.store.close().await;
        // The open that upgrades seals the old history and records each dossier's state.
        let store = Store::open(&t.location).await.unwrap();
        let report = store.verify_audit().await.unwrap();
        assert!(report.ok, "{}: {report:?}", t.name);
        assert_eq!(report.heads[0].entries, 3, "a baseline event per dossier");
        some_history(&store).await;
        let report = store.verify_audit().await.unwrap();
        assert!(report.ok, "{}: {report:?}", t.name);
        assert_eq!(
            report.heads[0].entries,
            3 + 5,
            "only the new events are chained"
        );
        let sealed = raw_texts(
            &t,
            "SELECT CAST(genesis_last_id AS TEXT) FROM audit_head WHERE chain = 'events'",
        )
        .await;
        assert_eq!(sealed, ["5"]);
        // Opening again does not seal again.
        store.close().await;
        let store = Store::open(&t.location).await.unwrap();
        assert!(store.verify_audit().await.unwrap().ok);
        common::raw(&t, "UPDATE events SET note = 'x' WHERE id = 2")
            .await
            .unwrap();
        let report = store.verify_audit().await.unwrap();
        let b = report.first_broken.unwrap();
        assert_eq!(
            (b.chain, b.id, b.reason),
            (Chain::Events, 5, BreakReason::GenesisChanged),
            "{}",
            t.name
        );
        store.close().await;
    }
}
