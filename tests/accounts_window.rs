//! Staff accounts in the real window under Xvfb: every command refused without a session
//! and for each role that lacks it (checked in Rust, called from the page as the window's
//! own scripts call them), the first administrator, lock and unlock with a half-typed form
//! kept, brute-force lockout, masking and logging of personal data by role, and the audit
//! trail shown to administrators after tampering.

use crate::guarded_calls::{guarded, registered, OPEN};
use crate::support;

use std::collections::BTreeSet;
use std::process::Command;

use fantoccini::key::Key;
use serde_json::{json, Value};
use support::window::Window;
use support::{Desk, Scenario, PASSWORD, STAFF};

/// What each role may do, written from the issues independently of the code: reception
/// (intake, receipts, check-in, hand-over, forms 02, 03 and 05, batch hand-overs to the
/// processing unit and back), processing (status changes, form 04, forms 02, 03 and 05,
/// batch hand-overs), supervisor
/// (reports, settings, catalog, calendar, exports of personal data), administrator
/// (accounts and the audit trail). Every staff role sees lists and full records.
fn role_allows(role: &str, action: &str) -> bool {
    let staff = ["view_dossier", "view_full_record", "change_own_password"];
    let own: &[&str] = match role {
        "reception" => &[
            "intake",
            "issue_receipt",
            "check_in",
            "handover",
            "issue_desk_form",
            "transfer",
        ],
        "processing" => &["transition", "issue_slip", "issue_desk_form", "transfer"],
        "supervisor" => &[
            "report",
            "export_personal_data",
            "settings",
            "catalog",
            "calendar",
        ],
        "administrator" => &["manage_accounts", "view_audit", "change_own_password"],
        other => panic!("unknown role {other}"),
    };
    own.contains(&action) || (role != "administrator" && staff.contains(&action))
}

fn kind(err: &Value) -> &str {
    err["kind"].as_str().unwrap_or("")
}

/// A desk with one account per role, and one dossier.
fn staffed_desk() -> (Desk, String) {
    let staffed = Scenario::new()
        .clerk("letan", &["reception"])
        .clerk("xuly", &["processing"])
        .clerk("giamsat", &["supervisor"])
        .clerk("quantri", &["administrator"])
        // The CLI acts as a signed-in account once there are accounts.
        .signed_in("letan")
        // Received now, so it is on today's list.
        .dossier_today("Nguyễn Văn An");
    let code = staffed.code();
    (staffed.desk, code)
}

#[tokio::test]
async fn every_command_is_refused_without_a_session_and_for_each_role_that_lacks_it() {
    let (desk, _) = staffed_desk();
    let dir = desk.dir.path().to_string_lossy().into_owned();
    let matrix = guarded(&dir);

    let mut listed: BTreeSet<String> = OPEN.iter().map(|s| s.to_string()).collect();
    listed.extend(matrix.iter().map(|(c, _, _)| c.to_string()));
    assert_eq!(
        listed,
        registered(),
        "every registered command is in the matrix, and only those"
    );

    let w = Window::open_bare(&desk, None).await;
    w.wait_css("#login-form").await;
    for (command, _, args) in &matrix {
        let err = w.invoke(command, args.clone()).await.expect_err(command);
        assert_eq!(
            kind(&err),
            "not_logged_in",
            "{command} without a session: {err}"
        );
    }

    for (account, role) in [
        ("letan", "reception"),
        ("xuly", "processing"),
        ("giamsat", "supervisor"),
        ("quantri", "administrator"),
    ] {
        w.invoke("login", json!({ "name": account, "password": PASSWORD }))
            .await
            .unwrap_or_else(|e| panic!("login {account}: {e}"));
        for (command, action, args) in &matrix {
            let result = w.invoke(command, args.clone()).await;
            if role_allows(role, action) {
                if let Err(err) = &result {
                    assert!(
                        !["forbidden", "not_logged_in", "session_locked"].contains(&kind(err)),
                        "{role} may {action} ({command}) but got {err}"
                    );
                    // Refused for its arguments, which the test chose to be harmless.
                    assert!(err["message"].is_string(), "{command}: {err}");
                }
            } else {
                let err = result.expect_err(&format!("{role} must not {action} ({command})"));
                assert_eq!(kind(&err), "forbidden", "{role} → {command}: {err}");
                assert!(
                    err["message"]
                        .as_str()
                        .unwrap_or("")
                        .contains("Cần vai trò"),
                    "the refusal names the roles that may: {err}"
                );
            }
        }
        w.invoke("logout", json!({})).await.unwrap();
    }

    // Locked on demand: everything is refused until the same person unlocks.
    w.invoke("login", json!({ "name": "letan", "password": PASSWORD }))
        .await
        .unwrap();
    w.invoke("lock_session", json!({})).await.unwrap();
    let err = w
        .invoke("list_dossiers", json!({ "query": {} }))
        .await
        .unwrap_err();
    assert_eq!(kind(&err), "session_locked");
    w.invoke("unlock_session", json!({ "password": PASSWORD }))
        .await
        .unwrap();
    w.invoke("list_dossiers", json!({ "query": {} }))
        .await
        .unwrap();
    w.close().await;
}

#[tokio::test]
async fn the_first_administrator_is_created_at_set_up_and_works_at_once() {
    let desk = Desk::new();
    let w = Window::open_bare(&desk, None).await;
    w.wait_css("#setup-form").await;
    w.fill("#setup-admin-name", "quantri").await;
    w.fill("#setup-admin-display", "Trần Thị Bình").await;
    // A weak password is refused next to its field, and nothing is created.
    w.fill("#setup-admin-password", "12345").await;
    w.fill("#setup-admin-password2", "12345").await;
    w.click("#setup-save").await;
    let error = w
        .wait_text("#f-account-password-error", |t| !t.is_empty())
        .await;
    assert!(error.contains("10"), "{error}");
    assert_eq!(desk.json(&["user", "list", "--json"]), json!([]));

    w.fill("#setup-admin-password", PASSWORD).await;
    w.fill("#setup-admin-password2", PASSWORD).await;
    w.click("#setup-save").await;
    w.wait_css("input[name=agency_code]").await;
    desk.login("quantri", PASSWORD);
    let users = desk.json(&["user", "list", "--json"]);
    let roles = users[0]["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 4, "one person runs the desk alone: {users}");

    // Signed in, the same person sets the agency and this desk's printer.
    w.fill("input[name=governing_body]", "UBND XÃ HƯỚNG THỌ PHÚ")
        .await;
    w.fill("input[name=unit]", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG")
        .await;
    w.fill("input[name=place]", "Hướng Thọ Phú").await;
    w.fill("input[name=agency_code]", "000.00.14.H56").await;
    let printer =
        std::env::var("MOTCUA_TEST_PRINTER").expect("the test command sets up a cups-pdf printer");
    let mut options = String::new();
    for _ in 0..100 {
        options = w
            .client
            .execute(
                "return [...document.querySelectorAll('#setup-printer option')].map((o) => o.value).join(' ');",
                vec![],
            )
            .await
            .unwrap()
            .as_str()
            .unwrap_or("")
            .to_string();
        if options.contains(&printer) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(options.contains(&printer), "{options}");
    w.click("#setup-save").await;
    w.wait_css("#dossier-list").await;
    assert!(desk.is_set_up());
    let who = w.wait_text("#who", |t| !t.is_empty()).await;
    assert_eq!(who, "Trần Thị Bình");
    w.wait_css("#nav-intake").await;
    w.click("#nav-accounts").await;
    w.wait_text("#accounts", |t| t.contains("quantri")).await;
    w.close().await;
}

/// A quick typist's password arrives as fast as a scanner types (here all at once, faster
/// than 20 ms a key), on the lock screen and on the login screen after a sign-out, while the
/// lists behind them listen for scans: it is still a password.
#[tokio::test]
async fn a_password_typed_as_fast_as_a_scanner_unlocks_and_logs_in() {
    let (desk, _) = staffed_desk();
    let w = Window::open_bare(&desk, None).await;
    w.login("letan", PASSWORD).await;
    w.wait_css("#dossier-list").await;
    w.chord(Key::Control, 'l').await;
    w.wait_css("#unlock-password").await;
    w.click("#unlock-password").await;
    w.scan_keys(&format!("{PASSWORD}{}", Key::Enter)).await;
    assert!(
        w.wait_gone("#lock-overlay").await,
        "the fast password unlocked the screen"
    );

    w.click("#who").await;
    w.click("#logout").await;
    w.wait_css("#login-name").await;
    w.click("#login-name").await;
    w.type_keys(&format!("letan{}", Key::Tab)).await;
    w.scan_keys(&format!("{PASSWORD}{}", Key::Enter)).await;
    let who = w.wait_text("#who", |t| !t.is_empty()).await;
    assert!(!who.is_empty());
    w.close().await;
}

#[tokio::test]
async fn a_locked_screen_hides_the_desk_and_keeps_the_half_typed_form() {
    let desk = Desk::ready();
    let w = Window::open(&desk, None).await;
    w.wait_css("#dossier-list").await;
    w.type_keys(&Key::F2.to_string()).await;
    w.wait_css("#intake-form").await;
    w.fill("#f-applicant-name", "Lê Thị Hoa").await;
    w.chord(Key::Control, 'l').await;
    w.wait_css("#lock-overlay").await;
    let hint = w.wait_text("#lock-form", |t| !t.is_empty()).await;
    assert!(!hint.contains("Lê Thị Hoa"));
    // Nothing of the desk answers behind the lock.
    let err = w
        .invoke("list_dossiers", json!({ "query": {} }))
        .await
        .unwrap_err();
    assert_eq!(kind(&err), "session_locked");

    w.fill("#unlock-password", "sai-mat-khau-1").await;
    w.click("#lock-form-submit").await;
    w.wait_text("#lock-form .form-error", |t| t.contains("không đúng"))
        .await;
    w.fill("#unlock-password", PASSWORD).await;
    w.click("#lock-form-submit").await;
    let gone = w
        .client
        .wait()
        .at_most(std::time::Duration::from_secs(20))
        .for_element(fantoccini::Locator::Css("#intake-form"))
        .await;
    assert!(gone.is_ok());
    assert!(
        w.wait_gone("#lock-overlay").await,
        "the lock screen went away"
    );
    let name = w
        .client
        .find(fantoccini::Locator::Css("#f-applicant-name"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(name.as_deref(), Some("Lê Thị Hoa"));
    w.close().await;
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_account_for_a_while() {
    let desk = Desk::ready();
    desk.account(STAFF, &support::STAFF_ROLES);
    let w = Window::open_bare(&desk, None).await;
    w.wait_css("#login-form").await;
    let mut last = String::new();
    for attempt in 1..=5 {
        w.fill("#login-name", STAFF).await;
        w.fill("#login-password", &format!("sai-mat-khau-{attempt}"))
            .await;
        w.click("#login-form-submit").await;
        last = w
            .wait_text("#login-form .form-error", |t| !t.is_empty())
            .await;
        if attempt < 5 {
            assert!(last.contains("không đúng"), "attempt {attempt}: {last}");
        }
    }
    assert!(last.contains("tạm khóa"), "{last}");
    // Even the right password waits now.
    w.fill("#login-name", STAFF).await;
    w.fill("#login-password", PASSWORD).await;
    w.click("#login-form-submit").await;
    let text = w
        .wait_text("#login-form .form-error", |t| t.contains("tạm khóa"))
        .await;
    assert!(text.contains("tạm khóa"));
    w.close().await;
}

#[tokio::test]
async fn lists_mask_personal_numbers_full_records_and_exports_are_logged_by_role() {
    let (desk, code) = staffed_desk();
    let w = Window::open_bare(&desk, None).await;
    w.login("letan", PASSWORD).await;
    let list = w
        .wait_text("#dossier-list", |t| t.contains("Nguyễn Văn An"))
        .await;
    assert!(!list.contains("079203001234"), "{list}");
    assert!(list.contains("********1234"), "{list}");
    let found = w
        .invoke("search_dossiers", json!({ "text": "079203001234" }))
        .await
        .unwrap();
    assert_eq!(found[0]["applicant_id_number"], "********1234");
    assert_eq!(found[0]["applicant_phone"], "******5678");

    // The full record, for the task that needs it, is logged with who opened it.
    w.click("#dossier-list tr.row td.code").await;
    w.wait_text("#detail", |t| t.contains("079203001234")).await;
    desk.login("quantri", PASSWORD);
    let log = desk.json(&["audit", "log", "--json"]);
    // The search by ID number is logged, without the number.
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "searched" && e["actor"] == "letan"),
        "{log}"
    );
    assert!(!log.to_string().contains("079203001234"), "{log}");
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "record_opened"
                && e["actor"] == "letan"
                && e["subject"] == code.as_str()),
        "{log}"
    );

    // The register book holds names and addresses: a supervisor's export, logged.
    let out = desk.dir.path().join("so-theo-doi.pdf");
    desk.login("letan", PASSWORD);
    let shown = desk.json(&["show", &code, "--json"]);
    let day = &shown["received_at"].as_str().unwrap()[..10];
    let args = json!({ "from": day, "to": day, "path": out.to_string_lossy() });
    let err = w.invoke("export_register", args.clone()).await.unwrap_err();
    assert_eq!(kind(&err), "forbidden");
    assert!(!out.exists());
    w.invoke("logout", json!({})).await.unwrap();
    w.invoke("login", json!({ "name": "giamsat", "password": PASSWORD }))
        .await
        .unwrap();
    w.invoke("export_register", args).await.unwrap();
    assert!(support::pdf_text(&out).contains("Nguyễn Văn An"));
    desk.login("quantri", PASSWORD);
    let log = desk.json(&["audit", "log", "--json"]);
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "personal_export" && e["actor"] == "giamsat"),
        "{log}"
    );
    // Events record the account that caused them.
    w.invoke("logout", json!({})).await.unwrap();
    w.invoke("login", json!({ "name": "xuly", "password": PASSWORD }))
        .await
        .unwrap();
    w.invoke(
        "transition_dossier",
        json!({ "code": code, "to": 4, "note": "chuyển phòng" }),
    )
    .await
    .unwrap();
    desk.login("xuly", PASSWORD);
    let history = desk.json(&["history", &code, "--json"]);
    let events = history.as_array().unwrap();
    assert_eq!(events.last().unwrap()["actor"], "xuly", "{history}");
    w.close().await;
}

#[tokio::test]
async fn an_administrator_sees_when_the_audit_trail_was_tampered_with() {
    let (desk, _) = staffed_desk();
    let w = Window::open_bare(&desk, None).await;
    w.login("quantri", PASSWORD).await;
    // An administrator alone sees no citizen's data: only accounts and the audit trail.
    w.wait_css("#accounts-screen").await;
    let nav = w.wait_text(".topbar", |t| !t.is_empty()).await;
    assert!(!nav.contains("Tiếp nhận"), "{nav}");
    w.wait_text("#audit-result", |t| t.contains("nguyên vẹn"))
        .await;
    // The chains' heads, each with a button to copy it for `audit verify --expect`.
    let heads = w
        .wait_text("#audit-heads", |t| t.matches("Sao chép").count() == 3)
        .await;
    let shown: Vec<&str> = heads
        .split_whitespace()
        .filter(|w| w.len() == 64 && w.chars().all(|c| c.is_ascii_hexdigit()))
        .collect();
    assert_eq!(shown.len(), 3, "{heads}");
    // Each is an entry of its chain: given back to `audit verify --expect`, they hold.
    desk.login("quantri", PASSWORD);
    let mut args = vec!["audit", "verify"];
    for hash in &shown {
        args.extend(["--expect", hash]);
    }
    desk.ok(&args);

    let out = Command::new("sqlite3")
        .arg(&desk.db)
        .arg(
            "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; \
             UPDATE events SET note = 'đã sửa' WHERE id = 1;",
        )
        .output()
        .expect("sqlite3 is installed by the test command");
    assert!(out.status.success());
    w.type_keys(&Key::F10.to_string()).await;
    w.wait_css("#accounts-screen").await;
    let text = w
        .wait_text("#audit-result", |t| t.contains("can thiệp"))
        .await;
    assert!(text.contains("can thiệp"), "{text}");
    w.screenshot("accounts-tampered-vi").await;
    w.close().await;
}

#[tokio::test]
async fn the_webview_reaches_nothing_but_the_apps_own_commands() {
    let desk = Desk::ready();
    let w = Window::open(&desk, None).await;
    w.wait_css("#dossier-list").await;
    // Core plugins the page does not use are not granted ("core:default" would allow the
    // first two); the scanner's event listening is.
    for (command, args) in [
        ("plugin:app|version", json!({})),
        ("plugin:path|resolve_directory", json!({ "directory": 1 })),
        ("plugin:window|close", json!({ "label": "main" })),
        ("plugin:webview|create_webview_window", json!({})),
    ] {
        let err = w.invoke(command, args).await.expect_err(command);
        assert!(
            err.is_string() || err["message"].is_string(),
            "{command}: {err}"
        );
    }
    w.invoke(
        "plugin:event|listen",
        json!({ "event": "scanner-line", "target": { "kind": "Any" }, "handler": 0 }),
    )
    .await
    .expect("the scanner's events are allowed");

    // The Content-Security-Policy: no request leaves the page, not even to this computer.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let outcome = w
        .client
        .execute_async(
            "const [port, done] = arguments; \
             const img = new Image(); img.src = `http://127.0.0.1:${port}/x.png`; \
             fetch(`http://127.0.0.1:${port}/`).then(() => done('fetched'), () => done('blocked'));",
            vec![port.into()],
        )
        .await
        .unwrap();
    assert_eq!(outcome, "blocked");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(
        listener.accept().is_err(),
        "the page reached a server it must not"
    );
    w.close().await;
}

/// A desk of the same database seen from another computer user (its own HOME, so its own
/// CLI session): the administrator's.
fn admin_desk(desk: &Desk) -> Desk {
    let admin = Desk::on(&desk.db);
    admin.login(support::ADMIN, PASSWORD);
    admin
}

#[tokio::test]
async fn the_idle_lock_fires_with_the_intake_form_open() {
    let desk = Desk::ready();
    // The smallest idle time; the form refreshes its appointment every 60 s.
    desk.ok(&["settings", "set", "idle-lock-minutes", "1"]);
    let w = Window::open(&desk, None).await;
    w.wait_css("#dossier-list").await;
    w.start_birth_intake().await;
    let last_key = std::time::Instant::now();
    // Nobody touches the desk: locked a minute after the last key, although the form's
    // timer asked for the appointment meanwhile (it would otherwise lock at two minutes).
    let mut locked = false;
    while last_key.elapsed() < std::time::Duration::from_secs(100) {
        if w.client
            .find(fantoccini::Locator::Css("#lock-overlay"))
            .await
            .is_ok()
        {
            locked = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert!(
        locked,
        "no lock screen {:?} after the last key",
        last_key.elapsed()
    );
    assert!(
        last_key.elapsed() >= std::time::Duration::from_secs(59),
        "not before the idle time: {:?}",
        last_key.elapsed()
    );
    let err = w
        .invoke("preview_due", json!({ "procedure": "1.001193" }))
        .await
        .unwrap_err();
    assert_eq!(kind(&err), "session_locked");
    w.close().await;
}

#[tokio::test]
async fn an_account_changed_from_the_cli_applies_to_an_open_window_at_once() {
    let desk = Desk::ready();
    let w = Window::open(&desk, None).await;
    w.wait_css("#dossier-list").await;
    w.invoke("settings_list", json!({})).await.unwrap();
    let admin = admin_desk(&desk);

    // The supervisor role taken away: its commands are refused from the next call.
    admin.ok(&[
        "user",
        "roles",
        STAFF,
        "--role",
        "reception",
        "--role",
        "processing",
    ]);
    let err = w.invoke("settings_list", json!({})).await.unwrap_err();
    assert_eq!(kind(&err), "forbidden", "{err}");
    w.invoke("list_dossiers", json!({ "query": {} }))
        .await
        .unwrap();

    // Disabled: the next action is refused and the window is signed out.
    admin.ok(&["user", "disable", STAFF]);
    let err = w
        .invoke("list_dossiers", json!({ "query": {} }))
        .await
        .unwrap_err();
    assert_eq!(kind(&err), "account_disabled", "{err}");
    let err = w
        .invoke("list_dossiers", json!({ "query": {} }))
        .await
        .unwrap_err();
    assert_eq!(kind(&err), "not_logged_in", "{err}");
    // The page finds out at its next call and shows the login screen.
    w.type_keys(&Key::F2.to_string()).await;
    w.wait_css("#login-form").await;
    // The CLI session of the clerk ends too.
    let out = desk.run(&["list"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(STAFF),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    w.close().await;
}
