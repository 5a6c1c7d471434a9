//! The desk window: opens the database, registers the commands and shows `ui/`.

use std::process::ExitCode;

use tauri::{Builder, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

use crate::app_state::AppState;
use crate::commands;
use crate::context::Global;
use crate::window::{window_title, WINDOW};

/// The app's commands and state on the window's builder (`commands/matrix_tests.rs` does
/// the same on the mock runtime's).
fn setup<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .manage(state)
        .manage(crate::scanner::ScannerState::default())
        .invoke_handler(commands::handler())
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

/// The outbox's sender in the window's background, from the window's start to its close.
/// The store is the one the window opened: choosing another database takes effect at the
/// next start, and the sender starts again with it then.
struct OutboxSender {
    stop: tokio::sync::watch::Sender<bool>,
    task: tauri::async_runtime::JoinHandle<()>,
}

impl OutboxSender {
    fn start(state: &AppState) -> Option<OutboxSender> {
        let store = state.store.clone()?;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let sender = motcua_core::outbox::sender::Sender::new(store, state.global.desk_name());
        let task = tauri::async_runtime::spawn(async move { sender.run(stopped).await });
        Some(OutboxSender { stop, task })
    }

    /// Stops it at once: a message it was delivering stays in the outbox until
    /// acknowledged, so nothing is lost and the next sender sends it again.
    fn stop(&self) {
        let _ = self.stop.send(true);
        self.task.abort();
    }
}

/// The text layers' worker (Tesseract, Vietnamese) in the window's background: it rests
/// while Tesseract is missing, reads one paper at a time at low priority otherwise, and
/// stops with the window (a file being replaced is finished by a task of its own).
struct TextLayers(tokio::sync::watch::Sender<bool>);

impl TextLayers {
    fn start(state: &AppState) -> Option<TextLayers> {
        let store = state.store.clone()?;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let actor = state.global.actor();
        tauri::async_runtime::spawn(async move { store.run_text_layers(actor, stopped).await });
        Some(TextLayers(stop))
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
            if let Some(sender) = OutboxSender::start(&state) {
                app.manage(sender);
            }
            if let Some(texts) = TextLayers::start(&state) {
                app.manage(texts);
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
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::Destroyed = event {
                if let Some(sender) = window.try_state::<OutboxSender>() {
                    sender.stop();
                }
                if let Some(texts) = window.try_state::<TextLayers>() {
                    let _ = texts.0.send(true);
                }
            }
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
