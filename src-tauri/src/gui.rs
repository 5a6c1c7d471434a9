//! The desk window: opens the database, registers the commands and shows `ui/`.

use std::process::ExitCode;
use std::sync::RwLock;

use motcua_core::i18n::Lang;
use motcua_core::session::{Guard, Session};
use motcua_core::store::{Actor, Store};
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
    /// Who is signed in at this desk; every command but the login screen's asks it first.
    pub guard: Guard,
    /// Files the window wrote where the clerk chose (exports): the only files outside the
    /// archive and the export folder it may ask the system to open.
    pub written: std::sync::Mutex<Vec<std::path::PathBuf>>,
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
                    guard: Guard::new(global.desk_name()),
                    written: Default::default(),
                    global,
                    lang: RwLock::new(lang),
                }
            }
            Err(e) => AppState {
                store: None,
                open_error: Some(e.message(lang)),
                guard: Guard::new(global.desk_name()),
                written: Default::default(),
                global,
                lang: RwLock::new(lang),
            },
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang.read().map(|l| *l).unwrap_or_default()
    }

    pub fn remember_written(&self, path: &std::path::Path) {
        if let (Ok(path), Ok(mut written)) = (path.canonicalize(), self.written.lock()) {
            written.push(path);
        }
    }

    /// Whether the window may open `path`: a paper it archived, an export in the export
    /// folder, or a file it wrote itself in this session.
    pub fn may_open(&self, path: &std::path::Path) -> bool {
        let Ok(path) = path.canonicalize() else {
            return false;
        };
        let under =
            |root: std::path::PathBuf| root.canonicalize().is_ok_and(|r| path.starts_with(r));
        under(crate::context::archive_root(&self.global))
            || under(crate::commands::export_dir())
            || self.written.lock().is_ok_and(|w| w.contains(&path))
    }

    /// The actor recorded on what `session` does at this desk.
    pub fn actor(&self, session: &Session) -> Actor {
        session.actor(&self.global.desk_name())
    }

    pub fn set_lang(&self, lang: Lang) {
        if let Ok(mut current) = self.lang.write() {
            *current = lang;
        }
    }
}

pub const WINDOW: &str = "main";

/// Set in the environment by `motcua bench --window`: the window then prints
/// `FIRST_SCREEN_LINE` on stderr when its first screen is shown.
pub const FIRST_SCREEN_ENV: &str = "MOTCUA_FIRST_SCREEN_MARK";
pub const FIRST_SCREEN_LINE: &str = "motcua: first screen shown";

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
    if crate::webview_runtime::installed_version().is_none() {
        crate::webview_runtime::alert(&crate::webview_runtime::missing_message());
        return ExitCode::FAILURE;
    }
    let state = tauri::async_runtime::block_on(AppState::open(global));
    daily_backup(&state);
    let lang = state.lang();
    let result = setup(Builder::default(), state)
        .setup(|app| {
            let state = app.state::<AppState>();
            if let Some(store) = &state.store {
                crate::serve::start_in_background(store, state.global.desk_name());
            }
            let unit = match &state.store {
                Some(store) => tauri::async_runtime::block_on(store.agency())
                    .ok()
                    .map(|a| a.unit),
                None => None,
            };
            let window =
                WebviewWindowBuilder::new(app, WINDOW, WebviewUrl::App("index.html".into()))
                    .title(window_title(unit.as_deref()))
                    .inner_size(1280.0, 720.0)
                    // 1024×768 at 125 % scaling leaves about 819×580 below the title bar.
                    .min_inner_size(800.0, 560.0)
                    .visible(false)
                    .build()?;
            crate::placement::apply(&window, crate::placement::file())?;
            crate::scanner::start(app.handle());
            Ok(())
        })
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Started from the Start menu there is no console: the message box is all the
            // clerk sees.
            crate::webview_runtime::alert(&motcua_core::i18n::tf(
                lang,
                "window.start_failed",
                &[("detail", &e.to_string())],
            ));
            ExitCode::FAILURE
        }
    }
}
