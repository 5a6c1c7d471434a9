//! The window's commands: each checks its input through the core, calls it, and maps the
//! core's error to one the window can show next to the right field.

mod accounts;
mod app;
mod catalog;
mod database;
mod dossiers;
mod files;
#[cfg(test)]
mod guarded_calls;
mod idcard;
mod lifecycle;
#[cfg(test)]
mod matrix_tests;
mod outbox;
mod scans;
mod session;
mod settings;
mod slips;

use motcua_core::accounts::AccessError;
use motcua_core::accounts::Action;
use motcua_core::i18n::Lang;
use motcua_core::session::{Activity, Session};
use motcua_core::store::Store;
use motcua_core::CoreError;
use serde::Serialize;

use crate::app_state::AppState;

pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static
{
    tauri::generate_handler![
        app::ui_strings,
        app::app_state,
        app::first_screen,
        app::name_desk,
        app::set_lang,
        app::setup_agency,
        app::database_status,
        session::session_status,
        session::login,
        session::logout,
        session::lock_session,
        session::unlock_session,
        session::touch_session,
        session::change_own_password,
        session::create_first_administrator,
        accounts::list_accounts,
        accounts::create_account,
        accounts::set_account_disabled,
        accounts::set_account_roles,
        accounts::reset_account_password,
        accounts::audit_status,
        dossiers::list_dossiers,
        dossiers::search_dossiers,
        dossiers::get_dossier,
        dossiers::procedures,
        dossiers::authorities,
        dossiers::intake,
        dossiers::preview_due,
        dossiers::last_applicant,
        catalog::catalog,
        catalog::save_procedure,
        settings::settings_list,
        settings::settings_set,
        settings::list_printers,
        settings::calendar_notices,
        settings::calendar_add,
        settings::calendar_remove,
        settings::receipt_preview,
        slips::print_receipt,
        slips::open_receipt,
        slips::scan_slip,
        idcard::parse_id_card,
        idcard::scan_kind,
        idcard::list_serial_ports,
        idcard::scanner_status,
        idcard::set_scanner_port,
        lifecycle::next_statuses,
        lifecycle::form_set_in_force,
        lifecycle::transition_dossier,
        lifecycle::hand_over_result,
        lifecycle::issue_form,
        lifecycle::control_rows,
        lifecycle::transfer_dossiers,
        lifecycle::record_delivery,
        lifecycle::report_figures,
        lifecycle::export_report,
        lifecycle::export_register,
        lifecycle::dashboard_figures,
        files::suggest_export_path,
        files::path_exists,
        files::open_file,
        database::database_config,
        database::choose_database,
        outbox::outbox_pending,
        outbox::outbox_status,
        outbox::outbox_destinations,
        outbox::outbox_add,
        outbox::outbox_remove,
        outbox::outbox_send_now,
        scans::list_scans,
        scans::incoming_scans,
        scans::stage_scan,
        scans::stage_file,
        scans::stage_incoming,
        scans::attach_staged,
        scans::discard_staged,
        scans::scan_page,
        scans::open_scan,
    ]
}

#[derive(Debug, Serialize)]
pub struct UiFieldError {
    pub field: String,
    pub message: String,
}

/// An error as the window shows it, in the user's language.
#[derive(Debug, Serialize)]
pub struct UiError {
    pub kind: String,
    pub message: String,
    pub fields: Vec<UiFieldError>,
}

impl UiError {
    pub fn from_core(e: &CoreError, lang: Lang) -> UiError {
        UiError {
            kind: e.kind().to_string(),
            message: e.message(lang),
            fields: e
                .field_errors()
                .iter()
                .map(|f| UiFieldError {
                    field: f.field.clone(),
                    message: f.problem.message(lang),
                })
                .collect(),
        }
    }

    fn no_database(message: &str) -> UiError {
        UiError {
            kind: "database".into(),
            message: message.to_string(),
            fields: Vec::new(),
        }
    }
}

pub type UiResult<T> = Result<T, UiError>;

/// The store, or the reason the database is not available.
pub fn store(state: &AppState) -> UiResult<&Store> {
    state
        .store
        .as_ref()
        .ok_or_else(|| UiError::no_database(state.open_error.as_deref().unwrap_or("")))
}

/// The signed-in session, if it may do `action` now: checked here, in Rust, before any
/// store call, whatever the page shows or hides. Refusals are `not_logged_in`,
/// `session_locked` or `forbidden` (naming the roles that may).
///
/// The account is read again from the database first, so an account disabled meanwhile
/// (by another desk or the CLI) is signed out here (`account_disabled`), and roles taken
/// away or given apply to this very call.
pub async fn allow(state: &AppState, action: Action) -> UiResult<Session> {
    allow_as(state, action, Activity::Person).await
}

/// `allow` for a call a page's timer makes on its own: it keeps nobody signed in.
pub async fn allow_timer(state: &AppState, action: Action) -> UiResult<Session> {
    allow_as(state, action, Activity::Timer).await
}

async fn allow_as(state: &AppState, action: Action, activity: Activity) -> UiResult<Session> {
    let now = motcua_core::vntime::now();
    // Nobody signed in, or locked: refused without asking the database.
    let name = match state.guard.current() {
        Some(session) if !session.locked && !session.is_idle(now) => session.account,
        _ => return ui(state, state.guard.require_as(action, now, activity)),
    };
    if let Some(store) = state.store.as_ref() {
        let account = match store.account(&name).await {
            Ok(account) => Some(account),
            Err(CoreError::Access(AccessError::AccountNotFound { .. })) => None,
            Err(e) => return ui(state, Err(e)),
        };
        ui(state, state.guard.refresh(&name, account.as_ref()))?;
    }
    ui(state, state.guard.require_as(action, now, activity))
}

/// Maps a core result for the window.
pub fn ui<T>(state: &AppState, result: Result<T, CoreError>) -> UiResult<T> {
    result.map_err(|e| UiError::from_core(&e, state.lang()))
}
