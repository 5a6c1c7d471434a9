//! Choosing the desk's database from the settings screen: the same check, connection test
//! and configuration file as `motcua database set` (see `context::choose_database`).
//!
//! | command | arguments | resolves to |
//! | --- | --- | --- |
//! | `database_config` | none | `{database, source: "flag"\|"env"\|"file"\|"default", postgres, configured, file, default}` (passwords as `***`) |
//! | `choose_database` | `{location}` | the same, after the connection test and saving; takes effect on the next start |

use motcua_core::accounts::Action;
use tauri::State;

use super::{allow, ui, UiResult};
use crate::app_state::AppState;
use crate::context::{choose_database as choose, database_view, DatabaseView};

#[tauri::command]
pub async fn database_config(state: State<'_, AppState>) -> UiResult<DatabaseView> {
    allow(&state, Action::Settings).await?;
    Ok(database_view(&state.global))
}

#[tauri::command]
pub async fn choose_database(
    state: State<'_, AppState>,
    location: String,
) -> UiResult<DatabaseView> {
    allow(&state, Action::Settings).await?;
    ui(&state, choose(&location, true).await)?;
    Ok(database_view(&state.global))
}
