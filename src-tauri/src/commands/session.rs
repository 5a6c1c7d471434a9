//! The login and lock screens, and the signed-in person's own password. These commands are
//! the only ones a window without a session may call (with `ui_strings`, `app_state`,
//! `set_lang` and `database_status`).

use motcua_core::accounts::{Action, NewAccount, Role};
use motcua_core::session::SessionStatus;
use motcua_core::vntime::now;
use tauri::State;

use super::{allow, store, ui, UiResult};
use crate::app_state::AppState;

/// What the window should show now: the login screen, the lock screen, or who works.
#[tauri::command]
pub fn session_status(state: State<'_, AppState>) -> SessionStatus {
    state.guard.status(now())
}

#[tauri::command]
pub async fn login(
    state: State<'_, AppState>,
    name: String,
    password: String,
) -> UiResult<SessionStatus> {
    let s = store(&state)?;
    ui(&state, state.guard.login(s, &name, &password, now()).await)?;
    Ok(state.guard.status(now()))
}

#[tauri::command]
pub fn logout(state: State<'_, AppState>) -> SessionStatus {
    state.guard.logout();
    state.guard.status(now())
}

/// Locks the screen now; the person stays signed in and unlocks with their password.
#[tauri::command]
pub fn lock_session(state: State<'_, AppState>) -> SessionStatus {
    state.guard.lock();
    state.guard.status(now())
}

#[tauri::command]
pub async fn unlock_session(
    state: State<'_, AppState>,
    password: String,
) -> UiResult<SessionStatus> {
    let s = store(&state)?;
    ui(&state, state.guard.unlock(s, &password, now()).await)?;
    Ok(state.guard.status(now()))
}

/// Typing and clicking count as activity even when they call nothing, so a clerk filling
/// a long form is not locked out mid-way.
#[tauri::command]
pub fn touch_session(state: State<'_, AppState>) -> UiResult<SessionStatus> {
    ui(&state, state.guard.touch(now()))?;
    Ok(state.guard.status(now()))
}

#[tauri::command]
pub async fn change_own_password(
    state: State<'_, AppState>,
    current: String,
    new_password: String,
) -> UiResult<()> {
    let session = allow(&state, Action::ChangeOwnPassword).await?;
    ui(
        &state,
        store(&state)?
            .change_password(
                &session.account,
                &current,
                &new_password,
                &state.global.desk_name(),
                now(),
            )
            .await,
    )
}

/// The first account of a new database, from the first-run screen: refused by the core
/// once any account exists. On a desk that one person runs alone it holds every role;
/// the administrator can take roles away once there are other accounts.
#[tauri::command]
pub async fn create_first_administrator(
    state: State<'_, AppState>,
    input: NewAccount,
) -> UiResult<SessionStatus> {
    let s = store(&state)?;
    let mut input = input;
    input.roles = Role::ALL.to_vec();
    let password = input.password.clone();
    let account = ui(
        &state,
        s.create_first_administrator(&input, &state.global.desk_name(), now())
            .await,
    )?;
    ui(
        &state,
        state.guard.login(s, &account.name, &password, now()).await,
    )?;
    Ok(state.guard.status(now()))
}
