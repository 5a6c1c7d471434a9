//! The desk's scanner in serial (COM) mode, for the window: when the `scanner-port` setting
//! names a device, its lines reach the page as `scanner-line` events (the page routes them
//! like typed scans: receipt, ID card, …) and its state as `scanner-status` events.
//! Nothing read is logged: an ID card is personal data.

use std::sync::Mutex;

use motcua_core::serial_scanner::{Reader, ReaderConfig, ScannerEvent};
use motcua_core::store::SCANNER_PORT;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::app_state::AppState;

/// Payload: the line as the scanner sent it (a string).
pub const LINE_EVENT: &str = "scanner-line";
/// Payload: `ScannerStatus`.
pub const STATUS_EVENT: &str = "scanner-status";

/// What the settings screen shows about the serial scanner.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScannerStatus {
    /// The device read, empty when the scanner is a keyboard (no serial reader).
    pub port: String,
    pub connected: bool,
    /// What is wrong, in the user's language; empty when connected or not configured.
    pub message: String,
}

#[derive(Default)]
pub struct ScannerState {
    inner: Mutex<Running>,
}

#[derive(Default)]
struct Running {
    reader: Option<Reader>,
    status: ScannerStatus,
    /// Bumped at each restart, so that a stopped reader's last events change nothing.
    generation: u64,
}

impl ScannerState {
    pub fn status(&self) -> ScannerStatus {
        self.inner
            .lock()
            .map(|r| r.status.clone())
            .unwrap_or_default()
    }
}

/// At window start: reads the setting and starts the reader if a port is set.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let port = {
        let state = app.state::<AppState>();
        match &state.store {
            Some(store) => {
                let desk = state.global.desk_name();
                tauri::async_runtime::block_on(store.get_named(&desk, SCANNER_PORT))
                    .unwrap_or_default()
            }
            None => String::new(),
        }
    };
    restart(app, &port);
}

/// Stops the current reader (closing its device) and starts one on `port`; an empty port
/// only stops.
pub fn restart<R: Runtime>(app: &AppHandle<R>, port: &str) -> ScannerStatus {
    let scanner = app.state::<ScannerState>();
    let Ok(mut running) = scanner.inner.lock() else {
        return ScannerStatus::default();
    };
    if let Some(reader) = running.reader.take() {
        reader.stop();
    }
    running.generation += 1;
    let generation = running.generation;
    running.status = ScannerStatus {
        port: port.to_string(),
        ..ScannerStatus::default()
    };
    if port.is_empty() {
        return running.status.clone();
    }
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    match Reader::spawn(ReaderConfig::new(port), tx) {
        Ok(reader) => running.reader = Some(reader),
        Err(e) => {
            running.status.message = e.to_string();
            return running.status.clone();
        }
    }
    let app = app.clone();
    let port = port.to_string();
    tauri::async_runtime::spawn(async move {
        while let Some(event) = rx.recv().await {
            let (connected, message) = match event {
                ScannerEvent::Line(line) => {
                    // The page may not be listening yet at start-up; a lost scan is scanned again.
                    let _ = app.emit(LINE_EVENT, line);
                    continue;
                }
                ScannerEvent::Connected => (true, String::new()),
                ScannerEvent::Disconnected(problem) => {
                    let lang = app.state::<AppState>().lang();
                    (false, problem.message(&port, lang))
                }
            };
            let status = {
                let scanner = app.state::<ScannerState>();
                let Ok(mut running) = scanner.inner.lock() else {
                    return;
                };
                if running.generation != generation {
                    return;
                }
                running.status.connected = connected;
                running.status.message = message;
                running.status.clone()
            };
            let _ = app.emit(STATUS_EVENT, status);
        }
    });
    running.status.clone()
}
