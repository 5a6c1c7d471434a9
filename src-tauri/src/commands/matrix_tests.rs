//! The role × command matrix in-process, on Tauri's mock runtime: a clerk with one role
//! signs in and calls every guarded command through the IPC door the page uses. What the
//! core's table (`Action::roles`) refuses that role answers `forbidden`; the rest never
//! does (it may still fail, on the harmless arguments chosen here). Each registered command
//! needs a row, so a new command without one fails. `tests/accounts_window.rs` checks the
//! same matrix through the real page under WebDriver; this one needs no display.

use std::collections::BTreeSet;

use motcua_core::accounts::{Action, NewAccount, Role};
use motcua_core::i18n::Lang;
use motcua_core::store::Actor;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

use crate::app_state::AppState;
use crate::context::Global;

const PASSWORD: &str = "Mot-cua-2026";
const DESK: &str = "Bàn thử";

/// Commands any window may call before signing in: the language, the start state, the
/// login and lock screens, the first administrator (refused by the core once accounts
/// exist), the database's heartbeat and the start-up mark the benchmark times.
const OPEN: [&str; 12] = [
    "ui_strings",
    "first_screen",
    "app_state",
    "set_lang",
    "database_status",
    "session_status",
    "login",
    "logout",
    "lock_session",
    "unlock_session",
    "touch_session",
    "create_first_administrator",
];

/// Every guarded command, the action it needs, and arguments of the right shape that do
/// no harm when allowed (unknown codes, invalid dates, an unknown setting, empty names).
fn guarded(dir: &str) -> Vec<(&'static str, Action, Value)> {
    let period = json!({ "from": "x", "to": "y", "path": format!("{dir}/x.pdf"), "format": "csv" });
    let unknown = json!({ "code": "KHONG-CO" });
    vec![
        (
            "setup_agency",
            Action::Settings,
            json!({ "input": { "agency_code": "", "governing_body": "", "unit": "", "place": "", "first_number": 1 } }),
        ),
        (
            "change_own_password",
            Action::ChangeOwnPassword,
            json!({ "current": "sai", "newPassword": "x" }),
        ),
        ("list_accounts", Action::ManageAccounts, json!({})),
        (
            "create_account",
            Action::ManageAccounts,
            json!({ "input": { "name": "", "display_name": "", "roles": [], "password": "" } }),
        ),
        (
            "set_account_disabled",
            Action::ManageAccounts,
            json!({ "name": "khongco", "disabled": true }),
        ),
        (
            "set_account_roles",
            Action::ManageAccounts,
            json!({ "name": "khongco", "roles": ["reception"] }),
        ),
        (
            "reset_account_password",
            Action::ManageAccounts,
            json!({ "name": "khongco", "password": "x" }),
        ),
        ("audit_status", Action::ViewAudit, json!({})),
        ("list_dossiers", Action::ViewDossier, json!({ "query": {} })),
        (
            "search_dossiers",
            Action::ViewDossier,
            json!({ "text": "nguyen" }),
        ),
        ("get_dossier", Action::ViewFullRecord, unknown.clone()),
        ("procedures", Action::ViewDossier, json!({})),
        ("intake", Action::Intake, json!({ "request": {} })),
        (
            "preview_due",
            Action::Intake,
            json!({ "procedure": "KHONG-CO" }),
        ),
        ("authorities", Action::Intake, json!({})),
        (
            "last_applicant",
            Action::Intake,
            json!({ "idNumber": "079203001234" }),
        ),
        ("catalog", Action::Catalog, json!({})),
        (
            "save_procedure",
            Action::Catalog,
            json!({ "procedure": { "code": "", "name": "", "field": "", "limit": { "unit": "working_days", "days": 1 } }, "replaces": null }),
        ),
        ("settings_list", Action::Settings, json!({})),
        (
            "settings_set",
            Action::Settings,
            json!({ "key": "khong-co", "value": "" }),
        ),
        ("list_printers", Action::Settings, json!({})),
        // This desk is named (`--desk`): renaming it is a supervisor's.
        ("name_desk", Action::Settings, json!({ "name": "" })),
        ("calendar_notices", Action::Calendar, json!({})),
        (
            "calendar_add",
            Action::Calendar,
            json!({ "date": "x", "work": false, "reason": "", "reference": "" }),
        ),
        ("calendar_remove", Action::Calendar, json!({ "date": "x" })),
        ("receipt_preview", Action::IssueReceipt, unknown.clone()),
        ("print_receipt", Action::IssueReceipt, unknown.clone()),
        ("open_receipt", Action::IssueReceipt, unknown.clone()),
        ("scan_slip", Action::CheckIn, json!({ "input": "KHONG-CO" })),
        ("parse_id_card", Action::Intake, json!({ "text": "x" })),
        ("scan_kind", Action::ViewDossier, json!({ "text": "x" })),
        ("list_serial_ports", Action::Settings, json!({})),
        ("scanner_status", Action::ViewDossier, json!({})),
        ("set_scanner_port", Action::Settings, json!({ "port": "" })),
        ("next_statuses", Action::ViewDossier, unknown.clone()),
        (
            "transition_dossier",
            Action::Transition,
            json!({ "code": "KHONG-CO", "to": 4 }),
        ),
        (
            "hand_over_result",
            Action::Handover,
            json!({ "code": "KHONG-CO", "input": { "method": "person", "receiver_name": "", "receiver_id": "", "authorisation": "", "tracking": "", "rating": null } }),
        ),
        // The form decides the action: one row per kind of form.
        (
            "issue_form",
            Action::IssueDeskForm,
            json!({ "code": "KHONG-CO", "request": { "form": "control" } }),
        ),
        (
            "issue_form",
            Action::Transition,
            json!({ "code": "KHONG-CO", "request": { "form": "stop", "reason": "", "fees": "" } }),
        ),
        (
            "issue_form",
            Action::IssueSlip,
            json!({ "code": "KHONG-CO", "request": { "form": "apology", "reason": "", "new_due": "" } }),
        ),
        ("form_set_in_force", Action::ViewDossier, json!({})),
        ("control_rows", Action::ViewDossier, unknown),
        (
            "transfer_dossiers",
            Action::Transfer,
            json!({ "input": { "items": [], "direction": "to_unit", "unit": "", "giver": "", "receiver": "", "note": "" } }),
        ),
        (
            "record_delivery",
            Action::Handover,
            json!({ "code": "KHONG-CO", "input": { "status": "delivered", "note": "" } }),
        ),
        (
            "report_figures",
            Action::Report,
            json!({ "from": "x", "to": "y" }),
        ),
        ("export_report", Action::Report, period.clone()),
        ("export_register", Action::ExportPersonalData, period),
        ("dashboard_figures", Action::ViewDossier, json!({})),
        (
            "suggest_export_path",
            Action::Report,
            json!({ "kind": "report", "from": "x", "to": "y", "format": "csv" }),
        ),
        (
            "path_exists",
            Action::Report,
            json!({ "path": format!("{dir}/khong-co.csv") }),
        ),
        (
            "open_file",
            Action::ViewDossier,
            json!({ "path": format!("{dir}/khong-co.pdf") }),
        ),
        ("database_config", Action::Settings, json!({})),
        (
            "choose_database",
            Action::Settings,
            json!({ "location": "" }),
        ),
    ]
}

/// The commands `handler` registers, read from its `generate_handler!` list.
fn registered() -> BTreeSet<String> {
    let source = include_str!("mod.rs");
    let start = source.find("generate_handler![").unwrap() + "generate_handler![".len();
    let end = start + source[start..].find(']').unwrap();
    source[start..end]
        .split(',')
        .filter_map(|s| s.trim().rsplit("::").next().map(str::to_string))
        .filter(|s| !s.is_empty())
        .collect()
}

/// A desk on a new SQLite file with one account per role, and its window.
fn desk(dir: &std::path::Path) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let global = Global {
        db: Some(dir.join("motcua.db").display().to_string()),
        lang: Some(Lang::Vi),
        desk: Some(DESK.into()),
        account: None,
        password_file: None,
        signed_in: None,
    };
    let state = tauri::async_runtime::block_on(async {
        let state = AppState::open(global).await;
        let store = state.store.as_ref().unwrap();
        for role in Role::ALL {
            let account = NewAccount {
                name: role.code().into(),
                display_name: String::new(),
                roles: vec![role],
                password: PASSWORD.into(),
            };
            let actor = Actor::new("test", DESK);
            store
                .create_account(&account, &actor, motcua_core::vntime::now())
                .await
                .unwrap();
        }
        state
    });
    // What `gui.rs`'s `setup` registers, built here so the commands' test does not import
    // the window module that imports them.
    let app = mock_builder()
        .manage(state)
        .manage(crate::scanner::ScannerState::default())
        .invoke_handler(super::handler())
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, crate::window::WINDOW, Default::default())
        .build()
        .unwrap();
    (app, window)
}

fn invoke(
    window: &WebviewWindow<MockRuntime>,
    command: &str,
    args: &Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: command.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        // The app's own origin on Linux and macOS (`http://tauri.localhost` on Windows): a
        // remote origin would be refused before any command runs.
        url: if cfg!(windows) {
            "http://tauri.localhost"
        } else {
            "tauri://localhost"
        }
        .parse()
        .unwrap(),
        body: InvokeBody::Json(args.clone()),
        headers: Default::default(),
        invoke_key: tauri::test::INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().unwrap())
}

fn kind(err: &Value) -> &str {
    err["kind"].as_str().unwrap_or("")
}

#[test]
fn every_guarded_command_answers_each_role_as_the_core_table_says() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = desk(dir.path());
    let matrix = guarded(&dir.path().display().to_string());

    let mut listed: BTreeSet<String> = OPEN.iter().map(|s| s.to_string()).collect();
    listed.extend(matrix.iter().map(|(command, _, _)| command.to_string()));
    assert_eq!(
        listed,
        registered(),
        "every registered command has a row, and only those"
    );

    for (command, _, args) in &matrix {
        let err = invoke(&window, command, args).expect_err(command);
        assert_eq!(
            kind(&err),
            "not_logged_in",
            "{command} without a session: {err}"
        );
    }

    for role in Role::ALL {
        let login = json!({ "name": role.code(), "password": PASSWORD });
        invoke(&window, "login", &login).unwrap_or_else(|e| panic!("login {role:?}: {e}"));
        for (command, action, args) in &matrix {
            let result = invoke(&window, command, args);
            if action.roles().contains(&role) {
                if let Err(err) = &result {
                    assert!(
                        !["forbidden", "not_logged_in", "session_locked"].contains(&kind(err)),
                        "{role:?} may {action:?} ({command}) but got {err}"
                    );
                    // Refused for its arguments, as a `UiError`: not for their shape.
                    assert!(err["message"].is_string(), "{command}: {err}");
                }
            } else {
                let err = result.expect_err(&format!("{role:?} must not {action:?} ({command})"));
                assert_eq!(kind(&err), "forbidden", "{role:?} → {command}: {err}");
            }
        }
        invoke(&window, "logout", &json!({})).unwrap();
    }
}
