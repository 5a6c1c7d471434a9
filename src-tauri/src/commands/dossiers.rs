//! Listing, searching, opening and registering dossiers.

use chrono::NaiveDate;
use motcua_core::calendar::due_at;
use motcua_core::dossier::{Dossier, DossierSummary};
use motcua_core::error::Problem;
use motcua_core::intake::IntakeRequest;
use motcua_core::procedure::Procedure;
use motcua_core::status::Status;
use motcua_core::store::{Event, ListFilter};
use motcua_core::vntime::{now, rfc3339_vn, vn_date};
use motcua_core::CoreError;
use serde::{Deserialize, Serialize};
use tauri::State;

use super::{store, ui, UiResult};
use crate::gui::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// "today" or a date YYYY-MM-DD; absent: every date.
    pub date: Option<String>,
    pub status: Option<i64>,
    pub procedure: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[tauri::command]
pub async fn list_dossiers(
    state: State<'_, AppState>,
    query: ListQuery,
) -> UiResult<Vec<DossierSummary>> {
    let date = match query.date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("today") => Some(vn_date(now())),
        Some(s) => Some(
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| CoreError::invalid("date", Problem::Date))
                .or_else(|e| ui(&state, Err(e)))?,
        ),
    };
    let status = match query.status {
        Some(code) => Some(
            Status::from_code(code)
                .ok_or_else(|| {
                    CoreError::invalid("status", Problem::OutOfRange { min: 1, max: 10 })
                })
                .or_else(|e| ui(&state, Err(e)))?,
        ),
        None => None,
    };
    let filter = ListFilter {
        date,
        status,
        procedure: query.procedure.filter(|p| !p.trim().is_empty()),
        limit: query.limit,
        offset: query.offset,
        ..ListFilter::default()
    };
    ui(&state, store(&state)?.list(&filter).await)
}

#[tauri::command]
pub async fn search_dossiers(
    state: State<'_, AppState>,
    text: String,
) -> UiResult<Vec<DossierSummary>> {
    ui(&state, store(&state)?.search(&text, 100).await)
}

#[derive(Serialize)]
pub struct DossierView {
    dossier: Dossier,
    events: Vec<Event>,
}

#[tauri::command]
pub async fn get_dossier(state: State<'_, AppState>, code: String) -> UiResult<DossierView> {
    let s = store(&state)?;
    let dossier = ui(&state, s.dossier(&code).await)?;
    let events = ui(&state, s.events(&dossier.code).await)?;
    Ok(DossierView { dossier, events })
}

#[tauri::command]
pub async fn procedures(
    state: State<'_, AppState>,
    text: Option<String>,
) -> UiResult<Vec<Procedure>> {
    let s = store(&state)?;
    match text.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => ui(&state, s.find_procedures(t).await),
        _ => ui(&state, s.procedures(false).await),
    }
}

#[tauri::command]
pub async fn intake(state: State<'_, AppState>, request: IntakeRequest) -> UiResult<Dossier> {
    let actor = state.global.actor();
    ui(&state, store(&state)?.intake(&request, &actor).await)
}

#[derive(Serialize)]
pub struct DuePreview {
    due_at: String,
}

/// The appointment a dossier of `procedure` received now would get.
#[tauri::command]
pub async fn preview_due(state: State<'_, AppState>, procedure: String) -> UiResult<DuePreview> {
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
