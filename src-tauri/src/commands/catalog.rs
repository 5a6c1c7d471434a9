//! The procedure catalog editor (supervisors): every entry, active or not, and saving one.

use motcua_core::accounts::Action;
use motcua_core::procedure::Procedure;
use tauri::State;

use super::{allow, store, ui, UiResult};
use crate::gui::AppState;

#[tauri::command]
pub async fn catalog(state: State<'_, AppState>) -> UiResult<Vec<Procedure>> {
    allow(&state, Action::Catalog).await?;
    ui(&state, store(&state)?.procedures(true).await)
}

/// Saves one entry; `replaces` is the code it took over when the code itself was changed.
#[tauri::command]
pub async fn save_procedure(
    state: State<'_, AppState>,
    procedure: Procedure,
    replaces: Option<String>,
) -> UiResult<Procedure> {
    allow(&state, Action::Catalog).await?;
    ui(
        &state,
        store(&state)?
            .save_procedure(procedure, replaces.as_deref())
            .await,
    )
}
