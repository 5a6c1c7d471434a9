//! The settings screen: office-wide and desk settings by name (validated by the core exactly
//! as `motcua settings set` is), the printers, the calendar's notice table, and the receipt
//! preview.

use motcua_core::accounts::Action;
use motcua_core::calendar::{DayKind, Notice};
use motcua_core::i18n::Lang;
use motcua_core::printing::{self, Printer};
use motcua_core::request::{notice_date, NoticeRequest};
use motcua_core::store::{DESK_SETTINGS, LANGUAGE, NAMED_SETTINGS};
use motcua_core::CoreError;
use serde::Serialize;
use tauri::State;

use super::{allow, store, ui, UiResult};
use crate::app_state::AppState;

#[derive(Serialize)]
pub struct SettingView {
    key: String,
    value: String,
    /// Kept for this desk only (its printer, paper, language), not for the whole office.
    desk: bool,
}

#[tauri::command]
pub async fn settings_list(state: State<'_, AppState>) -> UiResult<Vec<SettingView>> {
    allow(&state, Action::Settings).await?;
    let s = store(&state)?;
    let desk = state.global.desk_name();
    let mut out = Vec::with_capacity(NAMED_SETTINGS.len());
    for key in NAMED_SETTINGS {
        let value = match s.get_named(&desk, key).await {
            Ok(v) => v,
            Err(CoreError::NotSetUp) => String::new(),
            Err(e) => return ui(&state, Err(e)),
        };
        out.push(SettingView {
            key: key.to_string(),
            value,
            desk: DESK_SETTINGS.contains(&key),
        });
    }
    Ok(out)
}

/// Sets one setting; the answer is the value as stored (normalised), or the field error.
#[tauri::command]
pub async fn settings_set(
    state: State<'_, AppState>,
    key: String,
    value: String,
) -> UiResult<SettingView> {
    let session = allow(&state, Action::Settings).await?;
    let s = store(&state)?.acting_as(state.actor(&session));
    let desk = state.global.desk_name();
    let key = key.trim();
    ui(&state, s.set_named(&desk, key, &value).await)?;
    if key == LANGUAGE {
        state.set_lang(Lang::parse(&value).unwrap_or_default());
    }
    Ok(SettingView {
        key: key.to_string(),
        value: ui(&state, s.get_named(&desk, key).await)?,
        desk: DESK_SETTINGS.contains(&key),
    })
}

/// The printers of this computer (CUPS queues, or the Windows spooler's printers); an empty
/// list (not an error) when none can be listed, so the screen can still offer "open the PDF".
#[tauri::command]
pub async fn list_printers(state: State<'_, AppState>) -> UiResult<Vec<Printer>> {
    allow(&state, Action::Settings).await?;
    Ok(printing::printers().unwrap_or_default())
}

#[tauri::command]
pub async fn calendar_notices(state: State<'_, AppState>) -> UiResult<Vec<Notice>> {
    allow(&state, Action::Calendar).await?;
    ui(&state, store(&state)?.notices().await)
}

/// Adds a day off or a make-up working day from a government notice.
#[tauri::command]
pub async fn calendar_add(
    state: State<'_, AppState>,
    date: String,
    work: bool,
    reason: String,
    reference: String,
) -> UiResult<Notice> {
    let session = allow(&state, Action::Calendar).await?;
    let kind = if work { DayKind::Work } else { DayKind::Off };
    let req = ui(&state, NoticeRequest::parse(&date, kind, reason, reference))?;
    ui(
        &state,
        store(&state)?
            .acting_as(state.actor(&session))
            .add_notice(req.date, req.kind, &req.reason, &req.reference)
            .await,
    )
}

#[tauri::command]
pub async fn calendar_remove(state: State<'_, AppState>, date: String) -> UiResult<bool> {
    let session = allow(&state, Action::Calendar).await?;
    let date = ui(&state, notice_date(&date))?;
    let s = store(&state)?.acting_as(state.actor(&session));
    ui(&state, s.remove_notice(date).await)
}

/// The receipt as an SVG image on this desk's paper: what the printer will print. It shows
/// the applicant's details, so each preview is in the access log.
#[tauri::command]
pub async fn receipt_preview(state: State<'_, AppState>, code: String) -> UiResult<String> {
    let session = allow(&state, Action::IssueReceipt).await?;
    let s = store(&state)?;
    let paper = ui(&state, s.paper(&state.global.desk_name()).await)?;
    ui(
        &state,
        s.receipt_preview_logged(
            &code,
            paper,
            &state.actor(&session),
            motcua_core::vntime::now(),
        )
        .await,
    )
}
