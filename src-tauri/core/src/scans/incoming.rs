//! The watched scan folder: where the office's multifunction printer drops what it scans.
//! The desk lists the newest files for the clerk to attach; an attached file is moved into
//! the store (read, stored, then removed from the folder).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ScanError;

/// How many of the newest files the list shows.
pub const INCOMING_SHOWN: usize = 20;

/// A file waiting in the watched folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncomingFile {
    pub name: String,
    pub bytes: u64,
    #[serde(with = "crate::vntime::serde_vn")]
    pub modified: DateTime<Utc>,
}

/// The newest files of `folder` (hidden and partial files left out), oldest first.
pub fn incoming(folder: &Path) -> Result<Vec<IncomingFile>, ScanError> {
    let unreadable = |e: std::io::Error| ScanError::Unreadable {
        file: folder.display().to_string(),
        detail: e.to_string(),
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with(".part") || name.ends_with(".tmp") {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let modified = meta
            .modified()
            .map(DateTime::<Utc>::from)
            .unwrap_or_default();
        files.push(IncomingFile {
            name,
            bytes: meta.len(),
            modified,
        });
    }
    files.sort_by(|a, b| a.modified.cmp(&b.modified).then(a.name.cmp(&b.name)));
    let skip = files.len().saturating_sub(INCOMING_SHOWN);
    Ok(files.split_off(skip))
}

/// The path of the file `name` in the watched folder: a plain name of a file there.
pub fn incoming_path(folder: &Path, name: &str) -> Result<PathBuf, ScanError> {
    let not_there = || ScanError::NotInFolder {
        name: name.to_string(),
        folder: folder.display().to_string(),
    };
    let plain = Path::new(name)
        .file_name()
        .is_some_and(|f| f == std::ffi::OsStr::new(name));
    if !plain || name.starts_with('.') {
        return Err(not_there());
    }
    let path = folder.join(name);
    if !path.is_file() {
        return Err(not_there());
    }
    Ok(path)
}
