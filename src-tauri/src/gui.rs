//! The desk window: opens the database, registers the commands and shows `ui/`.

use std::process::ExitCode;
use std::sync::RwLock;

use motcua_core::i18n::Lang;
use motcua_core::store::Store;
use tauri::{Builder, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

use crate::commands;
use crate::context::Global;

/// What every command can reach. The store is `None` when the database could not be
/// opened: the window still starts and says why.
pub struct AppState {
    pub store: Option<Store>,
    pub open_error: Option<String>,
    pub global: Global,
    pub lang: RwLock<Lang>,
}

impl AppState {
    pub async fn open(global: Global) -> AppState {
        let lang = global.lang();
        let opened = match crate::context::check_desk_config(&global) {
            Ok(()) => Store::open(&global.database()).await,
            Err(e) => Err(e),
        };
        match opened {
            Ok(store) => {
                // --lang / MOTCUA_LANG win; otherwise the language this desk last chose.
                let lang = match global.lang {
                    Some(lang) => lang,
                    None => store.language(&global.desk_name()).await.unwrap_or(lang),
                };
                AppState {
                    store: Some(store),
                    open_error: None,
                    global,
                    lang: RwLock::new(lang),
                }
            }
            Err(e) => AppState {
                store: None,
                open_error: Some(e.message(lang)),
                global,
                lang: RwLock::new(lang),
            },
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang.read().map(|l| *l).unwrap_or_default()
    }

    pub fn set_lang(&self, lang: Lang) {
        if let Ok(mut current) = self.lang.write() {
            *current = lang;
        }
    }
}

pub const WINDOW: &str = "main";

/// The app's commands and state on any builder (the real one, or the mock one in tests).
pub fn setup<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .manage(state)
        .manage(crate::scanner::ScannerState::default())
        .invoke_handler(commands::handler())
}

pub fn window_title(unit: Option<&str>) -> String {
    match unit {
        Some(unit) if !unit.is_empty() => format!("Một Cửa — {unit}"),
        _ => "Một Cửa".to_string(),
    }
}

/// The automatic daily backup, in the background so the window opens at once.
fn daily_backup(state: &AppState) {
    if let Some(store) = state.store.clone() {
        let dir = crate::context::backup_dir(&state.global);
        let lang = state.lang();
        // On a thread of its own: the backup's future is not `Send` (it streams rows through
        // closures), and it should not hold up the window's runtime anyway.
        std::thread::spawn(move || {
            tauri::async_runtime::block_on(async move {
                let today = motcua_core::vntime::vn_date(motcua_core::vntime::now());
                if let Err(e) = store.daily_backup(&dir, today).await {
                    eprintln!("motcua: {}", e.message(lang));
                }
            })
        });
    }
}

pub fn run(global: Global) -> ExitCode {
    let state = tauri::async_runtime::block_on(AppState::open(global));
    daily_backup(&state);
    let result = setup(Builder::default(), state)
        .setup(|app| {
            let state = app.state::<AppState>();
            if let Some(store) = &state.store {
                crate::serve::start_in_background(store);
            }
            let unit = match &state.store {
                Some(store) => tauri::async_runtime::block_on(store.agency())
                    .ok()
                    .map(|a| a.unit),
                None => None,
            };
            WebviewWindowBuilder::new(app, WINDOW, WebviewUrl::App("index.html".into()))
                .title(window_title(unit.as_deref()))
                .inner_size(1280.0, 800.0)
                .min_inner_size(1000.0, 640.0)
                .build()?;
            crate::scanner::start(app.handle());
            Ok(())
        })
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("motcua: {e}");
            ExitCode::FAILURE
        }
    }
}
