//! The citizen ID card's QR and the desk scanner: reading a scanned card into the intake
//! form, routing a scan, and the serial scanner's settings.

use motcua_core::accounts::Action;
use motcua_core::idcard::{self, IdCard};
use motcua_core::scan::{self, ScanKind};
use motcua_core::serial_scanner;
use motcua_core::store::SCANNER_PORT;
use motcua_core::CoreError;
use tauri::{AppHandle, Runtime, State};

use super::{allow, store, ui, UiError, UiResult};
use crate::app_state::AppState;
use crate::scanner::{self, ScannerState, ScannerStatus};

/// An ID card's QR text → the card, with the fields the clerk must check in `suspect`.
#[tauri::command]
pub async fn parse_id_card(state: State<'_, AppState>, text: String) -> UiResult<IdCard> {
    allow(&state, Action::Intake).await?;
    idcard::parse(&text)
        .map_err(|reason| UiError::from_core(&CoreError::NotAnIdCard(reason), state.lang()))
}

/// What a scanned line is: "slip" (a receipt), "id_card" or "other".
#[tauri::command]
pub async fn scan_kind(state: State<'_, AppState>, text: String) -> UiResult<ScanKind> {
    allow(&state, Action::ViewDossier).await?;
    Ok(scan::kind_of(&text))
}

/// Serial devices present, for choosing the scanner's port.
#[tauri::command]
pub async fn list_serial_ports(state: State<'_, AppState>) -> UiResult<Vec<String>> {
    allow(&state, Action::Settings).await?;
    Ok(serial_scanner::list_ports())
}

#[tauri::command]
pub async fn scanner_status(
    state: State<'_, AppState>,
    scanner: State<'_, ScannerState>,
) -> UiResult<ScannerStatus> {
    allow(&state, Action::ViewDossier).await?;
    Ok(scanner.status())
}

/// Saves the `scanner-port` setting (validated; empty for a keyboard scanner) and restarts
/// the serial reader on it.
#[tauri::command]
pub async fn set_scanner_port<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    port: String,
) -> UiResult<ScannerStatus> {
    let session = allow(&state, Action::Settings).await?;
    let s = store(&state)?.acting_as(state.actor(&session));
    ui(
        &state,
        s.set_named(&state.global.desk_name(), SCANNER_PORT, &port)
            .await,
    )?;
    let saved = ui(
        &state,
        s.get_named(&state.global.desk_name(), SCANNER_PORT).await,
    )?;
    Ok(scanner::restart(&app, &saved))
}
