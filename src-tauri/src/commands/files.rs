//! Files the clerk writes from the window (report and register exports): there is no file
//! dialog, so the window proposes a path in the user's Documents folder, the clerk may edit
//! it, an existing file is overwritten only after the clerk confirms, and the written file
//! opens in the system's viewer.
//!
//! | command | arguments | resolves to |
//! | --- | --- | --- |
//! | `suggest_export_path` | `{kind: "report"\|"register", from, to, format}` | `{path, exists}`: `~/Documents/MotCua/bieu-06-2026-11.xlsx`, `so-theo-doi-2026-11.pdf` (the folder is created) |
//! | `path_exists` | `{path}` | `{path, exists}` |
//! | `open_file` | `{path}` | nothing; opens a written PDF, XLSX, CSV or JSON file in the system's viewer |

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use motcua_core::error::Problem;
use motcua_core::request::DateRange;
use motcua_core::CoreError;
use serde::Serialize;
use tauri::State;

use motcua_core::accounts::Action;

use super::{allow, ui, UiError, UiResult};
use crate::app_state::AppState;
use crate::context::export_dir;

#[derive(Serialize)]
pub struct Target {
    path: String,
    exists: bool,
}

fn invalid(state: &AppState, field: &str, problem: Problem) -> UiError {
    UiError::from_core(&CoreError::invalid(field, problem), state.lang())
}

/// A period in a file name: `2026-11` for a calendar month, `2026` for a year, otherwise
/// both dates.
pub fn period_name(from: NaiveDate, to: NaiveDate) -> String {
    let month_end = |d: NaiveDate| {
        d.checked_add_months(chrono::Months::new(1))
            .and_then(|next| next.with_day(1))
            .and_then(|first| first.pred_opt())
    };
    if from.day() == 1
        && from.month() == 1
        && to.month() == 12
        && to.day() == 31
        && from.year() == to.year()
    {
        return from.year().to_string();
    }
    if from.day() == 1 && Some(to) == month_end(from) {
        return from.format("%Y-%m").to_string();
    }
    format!("{}_{}", from.format("%Y-%m-%d"), to.format("%Y-%m-%d"))
}

fn target(path: PathBuf) -> Target {
    Target {
        exists: path.exists(),
        path: path.display().to_string(),
    }
}

#[tauri::command]
pub async fn suggest_export_path(
    state: State<'_, AppState>,
    kind: String,
    from: String,
    to: String,
    format: String,
) -> UiResult<Target> {
    allow(&state, Action::Report).await?;
    let DateRange { from, to } = ui(&state, DateRange::parse(&from, &to))?;
    let format = format.trim().to_ascii_lowercase();
    let name = match kind.trim() {
        "register" => format!("so-theo-doi-{}.pdf", period_name(from, to)),
        _ if ["csv", "xlsx", "pdf", "json"].contains(&format.as_str()) => {
            format!("bieu-06-{}.{format}", period_name(from, to))
        }
        _ => {
            return Err(invalid(
                &state,
                "format",
                Problem::Invalid {
                    detail: format!("{format}: json, csv, xlsx, pdf"),
                },
            ))
        }
    };
    let dir = export_dir();
    // A folder that cannot be made is reported when the file is written.
    let _ = motcua_core::private_fs::create_dir(&dir);
    Ok(target(dir.join(name)))
}

#[tauri::command]
pub async fn path_exists(state: State<'_, AppState>, path: String) -> UiResult<Target> {
    allow(&state, Action::Report).await?;
    Ok(target(PathBuf::from(path.trim())))
}

/// Only the kinds of file the window writes, and only files: the window never asks the
/// system to run anything.
#[tauri::command]
pub async fn open_file(state: State<'_, AppState>, path: String) -> UiResult<()> {
    allow(&state, Action::ViewDossier).await?;
    let path = Path::new(path.trim());
    let kind_ok = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["pdf", "xlsx", "csv", "json"].contains(&e.to_ascii_lowercase().as_str()));
    if !kind_ok || !path.is_file() || !state.may_open(path) {
        return Err(invalid(
            &state,
            "out",
            Problem::Invalid {
                detail: path.display().to_string(),
            },
        ));
    }
    open_in_viewer(&state, path)
}

/// Opens a written file in the system's viewer; a refusal is the file error of the user's
/// language, naming the file.
pub(super) fn open_in_viewer(state: &AppState, path: &Path) -> UiResult<()> {
    crate::opener::open(path).map_err(|source| {
        UiError::from_core(
            &CoreError::File {
                path: path.display().to_string(),
                source,
            },
            state.lang(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_name_files() {
        assert_eq!(period_name(d("2026-11-01"), d("2026-11-30")), "2026-11");
        assert_eq!(period_name(d("2026-02-01"), d("2026-02-28")), "2026-02");
        assert_eq!(period_name(d("2026-01-01"), d("2026-12-31")), "2026");
        assert_eq!(
            period_name(d("2026-10-01"), d("2026-12-31")),
            "2026-10-01_2026-12-31"
        );
    }
}
