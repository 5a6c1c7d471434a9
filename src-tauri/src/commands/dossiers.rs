//! Listing, searching, opening and registering dossiers.

use motcua_core::calendar::due_at;
use motcua_core::dossier::{Applicant, Dossier, DossierSummary};
use motcua_core::intake::IntakeRequest;
use motcua_core::procedure::Procedure;
use motcua_core::request::ListRequest;
use motcua_core::store::Event;
use motcua_core::vntime::{now, rfc3339_vn};
use motcua_core::CoreError;
use serde::Serialize;
use tauri::State;

use motcua_core::accounts::Action;
use motcua_core::privacy::mask_summaries;

use super::{allow, allow_timer, store, ui, UiResult};
use crate::app_state::AppState;

/// One page of a list; `has_more` tells the window to offer the next page.
#[derive(Serialize)]
pub struct ListPage {
    rows: Vec<DossierSummary>,
    has_more: bool,
}

#[tauri::command]
pub async fn list_dossiers(state: State<'_, AppState>, query: ListRequest) -> UiResult<ListPage> {
    allow(&state, Action::ViewDossier).await?;
    let mut filter = ui(&state, query.parse(now()))?;
    let limit = filter.limit.unwrap_or(50).clamp(1, 500);
    // One row more than the page tells whether there is a next page without counting.
    filter.limit = Some(limit + 1);
    let mut rows = ui(&state, store(&state)?.list(&filter).await)?;
    let has_more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    // Lists show only the last digits of ID numbers and phones (Luật Bảo vệ dữ liệu cá nhân
    // 91/2025/QH15, Decree 356/2025/NĐ-CP).
    Ok(ListPage {
        rows: mask_summaries(rows, true),
        has_more,
    })
}

#[tauri::command]
pub async fn search_dossiers(
    state: State<'_, AppState>,
    text: String,
) -> UiResult<Vec<DossierSummary>> {
    let session = allow(&state, Action::ViewDossier).await?;
    // A search by ID number or phone is logged: the masked list still shows the last
    // digits, so repeated searches could otherwise spell out a number unseen.
    let found = ui(
        &state,
        store(&state)?
            .search_logged(&text, 100, &state.actor(&session), now())
            .await,
    )?;
    Ok(mask_summaries(found, true))
}

#[derive(Serialize)]
pub struct DossierView {
    dossier: Dossier,
    events: Vec<Event>,
}

/// One dossier in full (ID number, phone, address): each opening is logged with who opened it.
#[tauri::command]
pub async fn get_dossier(state: State<'_, AppState>, code: String) -> UiResult<DossierView> {
    let session = allow(&state, Action::ViewFullRecord).await?;
    let s = store(&state)?;
    let code = ui(&state, s.complete_code(&code, now()).await)?;
    let dossier = ui(
        &state,
        s.open_record(&code, &state.actor(&session), now()).await,
    )?;
    let events = ui(&state, s.events(&dossier.code).await)?;
    Ok(DossierView { dossier, events })
}

#[tauri::command]
pub async fn procedures(
    state: State<'_, AppState>,
    text: Option<String>,
) -> UiResult<Vec<Procedure>> {
    allow(&state, Action::ViewDossier).await?;
    let s = store(&state)?;
    match text.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => ui(&state, s.find_procedures(t).await),
        _ => ui(&state, s.procedures(false).await),
    }
}

/// The competent authorities an any-desk dossier may name (the `authorities` setting), for
/// the intake form's choice.
#[tauri::command]
pub async fn authorities(state: State<'_, AppState>) -> UiResult<Vec<String>> {
    allow(&state, Action::Intake).await?;
    ui(&state, store(&state)?.authorities().await)
}

#[tauri::command]
pub async fn intake(state: State<'_, AppState>, request: IntakeRequest) -> UiResult<Dossier> {
    let session = allow(&state, Action::Intake).await?;
    let request = ui(&state, request.from_window())?;
    ui(
        &state,
        store(&state)?
            .intake(&request, &state.actor(&session))
            .await,
    )
}

#[derive(Serialize)]
pub struct DuePreview {
    due_at: String,
}

/// The appointment a dossier of `procedure` received now would get. The intake form asks
/// again every minute on its own, so this call does not count as someone being at the desk.
#[tauri::command]
pub async fn preview_due(state: State<'_, AppState>, procedure: String) -> UiResult<DuePreview> {
    allow_timer(&state, Action::Intake).await?;
    let s = store(&state)?;
    let p = ui(&state, s.procedure(&procedure).await)?
        .ok_or_else(|| CoreError::ProcedureNotFound {
            code: procedure.clone(),
        })
        .or_else(|e| ui(&state, Err(e)))?;
    let calendar = ui(&state, s.work_calendar().await)?;
    let hours = ui(&state, s.office_hours().await)?;
    Ok(DuePreview {
        due_at: rfc3339_vn(due_at(&calendar, &hours, p.limit, now())),
    })
}

/// A returning citizen: their details from their last dossier, offered to the clerk. Each
/// look is in the access log (with the dossier it came from), found or not.
#[tauri::command]
pub async fn last_applicant(
    state: State<'_, AppState>,
    id_number: String,
) -> UiResult<Option<Applicant>> {
    let session = allow(&state, Action::Intake).await?;
    ui(
        &state,
        store(&state)?
            .last_applicant_logged(&id_number, &state.actor(&session), now())
            .await,
    )
}
