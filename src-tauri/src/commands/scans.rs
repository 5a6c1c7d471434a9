//! Digitised papers from the window: scanning with the desk's scanner, files the clerk
//! chose, and the watched folder's newest files, each into a checklist row or the result;
//! the pictures of stored pages, and a stored PDF opened in the system's viewer.
//!
//! Papers are first *staged*: scanned or read, checked and made a PDF by the core, and held
//! here in memory under a token, then attached to a dossier's row in one store call. The
//! intake form needs this (the dossier does not exist while its papers are scanned); the
//! panel stages and attaches at once. Nothing is written to disk before the attachment, so
//! a form abandoned or a registration that fails leaves no file and no row; what an
//! abandoned form staged is dropped after `STAGED_HOURS`.
//!
//! | command | arguments | resolves to |
//! | --- | --- | --- |
//! | `list_scans` | `{code}` | `{scans: [ScanRecord], scanner, folder}` (whether the desk has a scanner and a watched folder; no code: no scans) |
//! | `incoming_scans` | `{}` | the watched folder's newest files, oldest first |
//! | `stage_scan` | `{pages, result}` | `Staged`: the desk's scanner, off the window's thread |
//! | `stage_file` | raw bytes; headers `x-name` (percent-encoded), `x-result` | `Staged` |
//! | `stage_incoming` | `{name, result}` | `Staged` (the file leaves the folder once attached) |
//! | `attach_staged` | `{code, doc, result, tokens}` | the stored `ScanRecord`s |
//! | `discard_staged` | `{tokens}` | nothing |
//! | `scan_page` | `{code, file, page, large}` | the page as JPEG bytes; empty when the page is not one image |
//! | `open_scan` | `{code, file}` | nothing; the PDF opens in the system's viewer |

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use motcua_core::accounts::Action;
use motcua_core::scans::{self, IncomingFile, PreparedPdf, ScanError, ScannerRequest, Source};
use motcua_core::store::{NewScan, ScanRecord};
use motcua_core::CoreError;
use serde::Serialize;
use tauri::ipc::{InvokeBody, Request, Response};
use tauri::State;

use super::files::open_in_viewer;
use super::{allow, store, ui, UiError, UiResult};
use crate::app_state::AppState;

/// How long papers staged by a form nobody saved are kept.
const STAGED_HOURS: i64 = 8;

/// A paper checked and made a PDF, waiting for its dossier.
struct Staged {
    pdf: PreparedPdf,
    /// A file of the watched folder, removed once the paper is stored.
    incoming: Option<PathBuf>,
    /// Whether it was staged for the result (hand-over) or a checklist row (intake).
    result: bool,
    at: DateTime<Utc>,
}

static STAGED: Mutex<BTreeMap<u64, Staged>> = Mutex::new(BTreeMap::new());
static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);

/// What the page is told of a staged paper.
#[derive(Serialize)]
pub struct StagedInfo {
    token: u64,
    pages: u32,
    bytes: u64,
    source: Source,
}

#[derive(Serialize)]
pub struct DossierScans {
    scans: Vec<ScanRecord>,
    /// The desk has a scanner (`scanner-device`).
    scanner: bool,
    /// The desk has a watched folder (`scan-folder`).
    folder: bool,
}

fn role_for(result: bool) -> Action {
    if result {
        Action::Handover
    } else {
        Action::Intake
    }
}

fn scan_error(state: &AppState, e: ScanError) -> UiError {
    UiError::from_core(&e.into(), state.lang())
}

fn stage(pdf: PreparedPdf, incoming: Option<PathBuf>, result: bool) -> StagedInfo {
    let now = motcua_core::vntime::now();
    let info = StagedInfo {
        token: NEXT_TOKEN.fetch_add(1, Ordering::Relaxed),
        pages: pdf.pages,
        bytes: pdf.bytes.len() as u64,
        source: pdf.source,
    };
    if let Ok(mut staged) = STAGED.lock() {
        staged.retain(|_, s| (now - s.at).num_hours() < STAGED_HOURS);
        staged.insert(
            info.token,
            Staged {
                pdf,
                incoming,
                result,
                at: now,
            },
        );
    }
    info
}

/// Runs the core's blocking work (the scanner, decoding images) off the window's threads.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce() -> Result<T, ScanError> + Send + 'static,
) -> UiResult<T> {
    match tauri::async_runtime::spawn_blocking(work).await {
        Ok(result) => result.map_err(|e| scan_error(state, e)),
        Err(e) => Err(UiError::from_core(
            &CoreError::File {
                path: String::new(),
                source: std::io::Error::other(e.to_string()),
            },
            state.lang(),
        )),
    }
}

#[tauri::command]
pub async fn list_scans(state: State<'_, AppState>, code: String) -> UiResult<DossierScans> {
    allow(&state, Action::ViewDossier).await?;
    let s = store(&state)?;
    // No code: the intake form asks only what the desk has, before the dossier exists.
    let scans = if code.trim().is_empty() {
        Vec::new()
    } else {
        ui(&state, s.scans(&code).await)?
    };
    let settings = ui(&state, s.scan_settings(&state.global.desk_name()).await)?;
    Ok(DossierScans {
        scans,
        scanner: !settings.device.trim().is_empty(),
        folder: !settings.folder.trim().is_empty(),
    })
}

#[tauri::command]
pub async fn incoming_scans(state: State<'_, AppState>) -> UiResult<Vec<IncomingFile>> {
    allow(&state, Action::ViewDossier).await?;
    let folder = watched_folder(&state).await?;
    blocking(&state, move || scans::incoming(&folder)).await
}

async fn watched_folder(state: &AppState) -> UiResult<PathBuf> {
    let settings = ui(
        state,
        store(state)?.scan_settings(&state.global.desk_name()).await,
    )?;
    let folder = settings.folder.trim();
    if folder.is_empty() {
        return Err(scan_error(state, ScanError::NoWatchedFolder));
    }
    Ok(PathBuf::from(folder))
}

/// Scans `pages` pages with the desk's scanner. Seconds of work: the window stays
/// responsive meanwhile.
#[tauri::command]
pub async fn stage_scan(
    state: State<'_, AppState>,
    pages: u32,
    result: bool,
) -> UiResult<StagedInfo> {
    allow(&state, role_for(result)).await?;
    let settings = ui(
        &state,
        store(&state)?
            .scan_settings(&state.global.desk_name())
            .await,
    )?;
    let request = ScannerRequest {
        device: settings.device,
        dpi: settings.dpi,
        mode: settings.mode,
        pages: pages.clamp(1, 200),
    };
    let pdf = blocking(&state, move || scans::prepare_scanned(&request)).await?;
    Ok(stage(pdf, None, result))
}

/// A file the clerk chose, as the bytes the page read (a web page has no path to give).
#[tauri::command]
pub async fn stage_file(state: State<'_, AppState>, request: Request<'_>) -> UiResult<StagedInfo> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| percent_decode(v.trim()))
            .unwrap_or_default()
    };
    let result = header("x-result") == "true";
    allow(&state, role_for(result)).await?;
    let name = header("x-name");
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(scan_error(&state, ScanError::NothingGiven));
    };
    if bytes.is_empty() {
        return Err(scan_error(&state, ScanError::NothingGiven));
    }
    let bytes = bytes.clone();
    let pdf = blocking(&state, move || {
        scans::prepare_given(&name, bytes, Source::File)
    })
    .await?;
    Ok(stage(pdf, None, result))
}

/// `%XX` escapes back to text: a header carries ASCII only, a file name may be Vietnamese.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A file of the watched folder, by its plain name.
#[tauri::command]
pub async fn stage_incoming(
    state: State<'_, AppState>,
    name: String,
    result: bool,
) -> UiResult<StagedInfo> {
    allow(&state, role_for(result)).await?;
    let folder = watched_folder(&state).await?;
    let (pdf, path) = blocking(&state, move || {
        let path = scans::incoming_path(&folder, &name)?;
        let mut pdfs = scans::prepare_files(std::slice::from_ref(&path), Source::Folder)?;
        let pdf = pdfs.pop().ok_or(ScanError::NothingGiven)?;
        Ok((pdf, path))
    })
    .await?;
    Ok(stage(pdf, Some(path), result))
}

/// Stores the staged papers `tokens`, in order, in row `doc` (or the result) of the
/// dossier `code`. If storing fails, they stay staged for another try.
#[tauri::command]
pub async fn attach_staged(
    state: State<'_, AppState>,
    code: String,
    doc: u32,
    result: bool,
    tokens: Vec<u64>,
) -> UiResult<Vec<ScanRecord>> {
    let session = allow(&state, role_for(result)).await?;
    let s = store(&state)?;
    let mut taken = Vec::with_capacity(tokens.len());
    if let Ok(mut staged) = STAGED.lock() {
        for token in &tokens {
            if let Some(item) = staged.remove(token) {
                taken.push((*token, item));
            }
        }
    }
    // Papers staged for a row are an intake's, for the result a hand-over's: a token
    // cannot carry a paper past the role that staged it.
    let crossed = taken.iter().any(|(_, item)| item.result != result);
    if taken.is_empty() || crossed {
        put_back(taken);
        return Err(scan_error(&state, ScanError::NothingGiven));
    }
    let new = taken
        .iter()
        .map(|(_, item)| NewScan {
            doc: if result { 0 } else { doc },
            result,
            pdf: item.pdf.clone(),
        })
        .collect();
    match s.add_scans(&code, new, &state.actor(&session)).await {
        Ok(stored) => {
            // Moved, not copied: a file attached is no longer offered as waiting.
            for (_, item) in &taken {
                if let Some(path) = &item.incoming {
                    std::fs::remove_file(path).map_err(|e| {
                        scan_error(
                            &state,
                            ScanError::LeftInFolder {
                                file: path.display().to_string(),
                                detail: e.to_string(),
                            },
                        )
                    })?;
                }
            }
            Ok(stored)
        }
        Err(e) => {
            put_back(taken);
            Err(UiError::from_core(&e, state.lang()))
        }
    }
}

fn put_back(taken: Vec<(u64, Staged)>) {
    if let Ok(mut staged) = STAGED.lock() {
        staged.extend(taken);
    }
}

/// Drops staged papers the clerk removed, or a form's when it is cleared.
#[tauri::command]
pub async fn discard_staged(state: State<'_, AppState>, tokens: Vec<u64>) -> UiResult<()> {
    allow(&state, Action::ViewDossier).await?;
    if let Ok(mut staged) = STAGED.lock() {
        for token in tokens {
            staged.remove(&token);
        }
    }
    Ok(())
}

/// The stored file `file` of the dossier `code`: only a file its own rows name.
async fn stored_path(state: &AppState, code: &str, file: &str) -> UiResult<PathBuf> {
    let scans = ui(state, store(state)?.scans(code).await)?;
    scans
        .into_iter()
        .find(|s| s.file == file)
        .map(|s| PathBuf::from(s.path))
        .ok_or_else(|| {
            scan_error(
                state,
                ScanError::Unreadable {
                    file: file.to_string(),
                    detail: code.to_string(),
                },
            )
        })
}

/// Page `page` (from 1) of a stored PDF as a JPEG: thumbnail size, or `large` for the
/// viewer. Empty when the page is not one image (a PDF drawn with text).
#[tauri::command]
pub async fn scan_page(
    state: State<'_, AppState>,
    code: String,
    file: String,
    page: u32,
    large: bool,
) -> UiResult<Response> {
    allow(&state, Action::ViewFullRecord).await?;
    let path = stored_path(&state, &code, &file).await?;
    let side = if large {
        scans::VIEW_SIDE
    } else {
        scans::THUMB_SIDE
    };
    let picture = blocking(&state, move || {
        let bytes = read(&path)?;
        scans::page_picture(&bytes, &path.display().to_string(), page, side)
    })
    .await?;
    Ok(Response::new(picture.jpeg.unwrap_or_default()))
}

fn read(path: &Path) -> Result<Vec<u8>, ScanError> {
    std::fs::read(path).map_err(|e| ScanError::Unreadable {
        file: path.display().to_string(),
        detail: e.to_string(),
    })
}

#[tauri::command]
pub async fn open_scan(state: State<'_, AppState>, code: String, file: String) -> UiResult<()> {
    allow(&state, Action::ViewFullRecord).await?;
    let path = stored_path(&state, &code, &file).await?;
    open_in_viewer(&state, &path)
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn file_names_come_back_from_their_header() {
        assert_eq!(
            percent_decode("b%E1%BA%A3n%20qu%C3%A9t.jpg"),
            "bản quét.jpg"
        );
        assert_eq!(percent_decode("100%.png"), "100%.png");
    }
}
