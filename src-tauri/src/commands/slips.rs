//! Printing and opening a dossier's receipt from the window, and check-in by scan.

use motcua_core::accounts::Action;
use motcua_core::printing::{self, PrintJob};
use motcua_core::store::ScanResult;
use serde::Serialize;
use tauri::State;

use super::files::open_in_viewer;
use super::{allow, store, ui, UiResult};
use crate::app_state::AppState;
use crate::context::archive_receipt;

#[derive(Serialize)]
pub struct Issued {
    path: String,
    reprint: u32,
}

/// Issues the receipt (a reprint after the first time), archives it and sends it to the
/// desk's printer. A failing printer is reported; the archived PDF stays for a reprint.
#[tauri::command]
pub async fn print_receipt(state: State<'_, AppState>, code: String) -> UiResult<Issued> {
    let session = allow(&state, Action::IssueReceipt).await?;
    let s = store(&state)?;
    let desk = state.global.desk_name();
    let paper = ui(&state, s.paper(&desk).await)?;
    let printer = ui(&state, s.printer(&desk).await)?;
    let issued = ui(
        &state,
        s.issue_receipt(&code, paper, &state.actor(&session)).await,
    )?;
    let path = ui(&state, archive_receipt(&state.global, &issued))?;
    let job = PrintJob {
        layout: &issued.layout,
        pdf: &path,
        paper,
        title: &issued.dossier.code,
    };
    ui(&state, printing::print(&job, &printer).map_err(Into::into))?;
    Ok(Issued {
        path: path.display().to_string(),
        reprint: issued.reprint,
    })
}

/// Issues the receipt and opens it in the system's PDF viewer, which can always print it.
#[tauri::command]
pub async fn open_receipt(state: State<'_, AppState>, code: String) -> UiResult<Issued> {
    let session = allow(&state, Action::IssueReceipt).await?;
    let s = store(&state)?;
    let paper = ui(&state, s.paper(&state.global.desk_name()).await)?;
    let issued = ui(
        &state,
        s.issue_receipt(&code, paper, &state.actor(&session)).await,
    )?;
    let path = ui(&state, archive_receipt(&state.global, &issued))?;
    open_in_viewer(&state, &path)?;
    Ok(Issued {
        path: path.display().to_string(),
        reprint: issued.reprint,
    })
}

/// Check-in: what a desk scanner typed anywhere on the main screen.
#[tauri::command]
pub async fn scan_slip(state: State<'_, AppState>, input: String) -> UiResult<ScanResult> {
    allow(&state, Action::CheckIn).await?;
    ui(&state, store(&state)?.scan(&input).await)
}
