//! Language, set-up and what the window needs to know at start.

use std::collections::HashMap;

use motcua_core::accounts::Action;
use motcua_core::agency::{Agency, AgencyInput};
use motcua_core::desk_config::DeskConfig;
use motcua_core::i18n::{strings, tf, Lang};
use motcua_core::session::SessionStatus;
use motcua_core::store::LANGUAGE;
use motcua_core::vntime::{now, vn_date};
use serde::Serialize;
use tauri::{Manager, State};

use super::{allow, store, ui, UiError, UiResult};
use crate::app_state::AppState;
use crate::window::{window_title, WINDOW};

#[derive(Serialize)]
pub struct UiStrings {
    lang: Lang,
    strings: &'static HashMap<String, String>,
}

#[tauri::command]
pub fn ui_strings(state: State<'_, AppState>) -> UiStrings {
    let lang = state.lang();
    UiStrings {
        lang,
        strings: strings(lang),
    }
}

/// Switches the window's language and remembers it for this desk.
#[tauri::command]
pub async fn set_lang(state: State<'_, AppState>, lang: String) -> UiResult<UiStrings> {
    let lang = Lang::parse(&lang).ok_or_else(|| UiError {
        kind: "invalid".into(),
        message: format!("{lang:?}"),
        fields: Vec::new(),
    })?;
    if let Some(s) = state.store.as_ref() {
        ui(
            &state,
            s.set_named(&state.global.desk_name(), LANGUAGE, lang.code())
                .await,
        )?;
    }
    state.set_lang(lang);
    Ok(UiStrings {
        lang,
        strings: strings(lang),
    })
}

#[derive(Serialize)]
pub struct StartState {
    set_up: bool,
    agency: Option<Agency>,
    database: String,
    desk: String,
    /// Whether the desk has a name of its own; if not, the window asks for one.
    desk_named: bool,
    /// Whether any staff account exists: without one the window asks for the first
    /// administrator instead of a login.
    accounts: bool,
    session: SessionStatus,
    warnings: Vec<String>,
    error: Option<String>,
}

/// Called once the window shows its first screen. Prints a line on stderr when
/// `motcua bench --window` asked for it (`FIRST_SCREEN_ENV`), so it can time start-up.
#[tauri::command]
pub fn first_screen() {
    if std::env::var_os(crate::window::FIRST_SCREEN_ENV).is_some() {
        eprintln!("{}", crate::window::FIRST_SCREEN_LINE);
    }
}

#[tauri::command]
pub async fn app_state(state: State<'_, AppState>) -> UiResult<StartState> {
    let lang = state.lang();
    let database = motcua_core::desk_config::redact(&state.global.database());
    let desk = state.global.desk_name();
    let desk_named = state.global.desk_named();
    let Some(store) = state.store.as_ref() else {
        return Ok(StartState {
            set_up: false,
            agency: None,
            database,
            desk,
            desk_named,
            accounts: false,
            session: SessionStatus::LoggedOut,
            warnings: Vec::new(),
            error: state.open_error.clone(),
        });
    };
    let agency = match store.agency().await {
        Ok(a) => Some(a),
        Err(motcua_core::CoreError::NotSetUp) => None,
        Err(e) => return ui(&state, Err(e)),
    };
    let accounts = ui(&state, store.account_count().await)? > 0;
    let missing = ui(&state, store.missing_notice_years(vn_date(now())).await)?;
    let warnings = missing
        .iter()
        .map(|y| tf(lang, "calendar.notice_missing", &[("year", &y.to_string())]))
        .collect();
    Ok(StartState {
        set_up: agency.is_some(),
        agency,
        database,
        desk,
        desk_named,
        accounts,
        session: state.guard.status(now()),
        warnings,
        error: None,
    })
}

/// Gives this desk its name in `desk.json`, carrying the settings it kept under the
/// computer's name. The first name is part of setting the computer up; renaming a named desk
/// moves where its printer and paper are kept, a supervisor's decision.
#[tauri::command]
pub async fn name_desk(state: State<'_, AppState>, name: String) -> UiResult<String> {
    let action = if state.global.desk_named() {
        Action::Settings
    } else {
        Action::NameDesk
    };
    allow(&state, action).await?;
    let name = ui(&state, motcua_core::desk_config::check_desk_name(&name))?;
    let path = crate::context::desk_config_path();
    let mut config = ui(&state, DeskConfig::load(&path))?;
    if let Some(s) = state.store.as_ref() {
        ui(
            &state,
            s.carry_desk_settings(&state.global.desk_name(), &name)
                .await,
        )?;
    }
    config.desk = name.clone();
    ui(&state, config.save(&path))?;
    Ok(name)
}

#[tauri::command]
pub async fn setup_agency<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    input: AgencyInput,
) -> UiResult<Agency> {
    let s = store(&state)?;
    // A new database has nobody to log in yet: its first-run screen sets the agency before
    // the first administrator exists. Once anyone does, changing it is a supervisor's.
    let s = if ui(&state, s.account_count().await)? > 0 {
        let session = allow(&state, Action::Settings).await?;
        s.acting_as(state.actor(&session))
    } else {
        s.clone()
    };
    let agency = ui(&state, s.setup(&input).await)?;
    if let Some(window) = app.get_webview_window(WINDOW) {
        // A failed title change is cosmetic; the agency is saved.
        let _ = window.set_title(&window_title(Some(&agency.unit)));
    }
    Ok(agency)
}

/// Whether the database answers now. The window polls it to show a desk that its server
/// is offline (`kind: "offline"`) and that it is back, without a restart.
#[tauri::command]
pub async fn database_status(state: State<'_, AppState>) -> UiResult<()> {
    ui(&state, store(&state)?.ping().await)
}
