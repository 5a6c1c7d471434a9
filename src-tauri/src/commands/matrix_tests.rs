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

use super::guarded_calls::{guarded, registered, OPEN};
use crate::app_state::AppState;
use crate::context::Global;

const PASSWORD: &str = "Mot-cua-2026";
const DESK: &str = "Bàn thử";

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
    let matrix: Vec<(&str, Action, Value)> = guarded(&dir.path().display().to_string())
        .into_iter()
        .map(|(command, action, args)| {
            let action = serde_json::from_value(json!(action))
                .unwrap_or_else(|_| panic!("{command}: no action {action}"));
            (command, action, args)
        })
        .collect();

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
