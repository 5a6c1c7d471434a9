//! The procedure catalog editor (supervisors): every entry, active or not, and saving one.

use motcua_core::accounts::Action;
use motcua_core::procedure::Procedure;
use tauri::State;

use super::{allow, store, ui, UiResult};
use crate::app_state::AppState;

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
    let session = allow(&state, Action::Catalog).await?;
    ui(
        &state,
        store(&state)?
            .acting_as(state.actor(&session))
            .save_procedure(procedure, replaces.as_deref())
            .await,
    )
}
