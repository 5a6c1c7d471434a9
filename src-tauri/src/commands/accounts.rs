//! The administrator's screen: staff accounts, and the audit trail's verification.

use motcua_core::accounts::{Account, Action, NewAccount, Role};
use motcua_core::audit::AuditReport;
use motcua_core::store::AccessEntry;
use motcua_core::vntime::now;
use serde::Serialize;
use tauri::State;

use super::{allow, store, ui, UiResult};
use crate::app_state::AppState;

#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> UiResult<Vec<Account>> {
    allow(&state, Action::ManageAccounts).await?;
    ui(&state, store(&state)?.accounts().await)
}

#[tauri::command]
pub async fn create_account(state: State<'_, AppState>, input: NewAccount) -> UiResult<Account> {
    let session = allow(&state, Action::ManageAccounts).await?;
    ui(
        &state,
        store(&state)?
            .create_account(&input, &state.actor(&session), now())
            .await,
    )
}

#[tauri::command]
pub async fn set_account_disabled(
    state: State<'_, AppState>,
    name: String,
    disabled: bool,
) -> UiResult<Account> {
    let session = allow(&state, Action::ManageAccounts).await?;
    ui(
        &state,
        store(&state)?
            .set_disabled(&name, disabled, &state.actor(&session), now())
            .await,
    )
}

#[tauri::command]
pub async fn set_account_roles(
    state: State<'_, AppState>,
    name: String,
    roles: Vec<Role>,
) -> UiResult<Account> {
    let session = allow(&state, Action::ManageAccounts).await?;
    ui(
        &state,
        store(&state)?
            .set_roles(&name, &roles, &state.actor(&session), now())
            .await,
    )
}

#[tauri::command]
pub async fn reset_account_password(
    state: State<'_, AppState>,
    name: String,
    password: String,
) -> UiResult<()> {
    let session = allow(&state, Action::ManageAccounts).await?;
    ui(
        &state,
        store(&state)?
            .reset_password(&name, &password, &state.actor(&session), now())
            .await,
    )
}

/// The audit trail as an administrator sees it: whether both hash chains hold (and the
/// first broken entry, in the user's language), and the newest access-log entries.
#[derive(Serialize)]
pub struct AuditView {
    report: AuditReport,
    broken: Option<String>,
    recent: Vec<AccessEntry>,
}

#[tauri::command]
pub async fn audit_status(state: State<'_, AppState>) -> UiResult<AuditView> {
    allow(&state, Action::ViewAudit).await?;
    let s = store(&state)?;
    let report = ui(&state, s.verify_audit().await)?;
    let problems = report.problems(state.lang());
    let broken = (!problems.is_empty()).then(|| problems.join("\n"));
    let recent = ui(&state, s.access_log(None, 200).await)?;
    Ok(AuditView {
        report,
        broken,
        recent,
    })
}
