//! Digitised papers in the store: each PDF is written under the scans folder (beside an
//! SQLite database, or the `scans-folder` setting, which PostgreSQL requires: a folder the
//! desks share, else each desk would see only its own scans) as
//! `<year>/<code>/<doc>-<n>.pdf` (`result-<n>.pdf` for the result), private to the user,
//! through a temporary name that is synced and then renamed, so no half-written file ever
//! bears a name. Its row and the dossier's chained "scanned" event (file, SHA-256, pages,
//! bytes) commit together; `audit verify` re-hashes every file an event names.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::events::{append, NewEvent};
use super::settings::{desk_key, SCANNER_DEVICE, SCANS_FOLDER, SCAN_DPI, SCAN_FOLDER, SCAN_MODE};
use super::{chain, Actor, Store};
use crate::audit::{Chain, ScanFileFault, ScanFileProblem};
use crate::error::{CoreError, CoreResult, Problem};
use crate::scans::{PreparedPdf, ScanError, ScanMode};
use crate::vntime::{from_millis, to_millis, vn_date};

/// The resolution a desk scans at unless its `scan-dpi` setting says otherwise.
pub const SCAN_DPI_DEFAULT: u32 = 200;

/// One PDF to add to a dossier: a checklist row's (`doc` from 1) or the result's.
#[derive(Debug, Clone)]
pub struct NewScan {
    pub doc: u32,
    pub result: bool,
    pub pdf: PreparedPdf,
}

/// A stored PDF as `scans list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScanRecord {
    pub code: String,
    pub doc: u32,
    pub result: bool,
    /// Relative to the scans folder.
    pub file: String,
    pub path: String,
    pub sha256: String,
    pub pages: u32,
    pub bytes: u64,
    pub source: String,
    #[serde(with = "crate::vntime::serde_vn")]
    pub at: DateTime<Utc>,
    pub actor: String,
    /// The text layer: pending, done, skipped or failed (`store/scan_text.rs`).
    pub text_layer: String,
}

/// A desk's scanner and watched folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScanSettings {
    pub device: String,
    pub dpi: u32,
    pub mode: ScanMode,
    pub folder: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub(super) fn file_error(path: &Path) -> impl Fn(std::io::Error) -> CoreError + '_ {
    move |source| CoreError::File {
        path: path.display().to_string(),
        source,
    }
}

/// A dossier code as a folder name: letters, digits, '.', '-' and '_' kept.
fn folder_name(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Writes `bytes` to a hidden temporary file in `dir`, private and synced.
pub(super) fn write_partial(dir: &Path, bytes: &[u8]) -> CoreResult<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let path = dir.join(format!(".scan-{}-{nanos}.partial", std::process::id()));
    let mut file = crate::private_fs::create(&path).map_err(file_error(&path))?;
    file.write_all(bytes).map_err(file_error(&path))?;
    file.sync_all().map_err(file_error(&path))?;
    Ok(path)
}

pub(super) fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        // Not every platform can sync a directory; the file itself is synced already.
        let _ = d.sync_all();
    }
}

/// Files moved or written during an addition, removed again if it does not commit.
#[derive(Default)]
struct Written(Vec<PathBuf>);

impl Written {
    fn undo(&mut self) {
        for p in self.0.drain(..) {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Where a backup's digitised papers are copied: `<backup>.scans/`, laid out as the scans
/// folder is.
pub fn backup_scans_dir(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".scans");
    PathBuf::from(name)
}

/// Copies `from` to `to` through a synced temporary name, private to the user.
fn copy_whole(from: &Path, to: &Path) -> CoreResult<()> {
    let dir = to.parent().unwrap_or_else(|| Path::new("."));
    crate::private_fs::own_dir(dir).map_err(file_error(dir))?;
    let bytes = std::fs::read(from).map_err(file_error(from))?;
    let partial = write_partial(dir, &bytes)?;
    std::fs::rename(&partial, to).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        file_error(to)(e)
    })
}

impl Store {
    /// Every stored paper copied into `<backup>.scans/`: how many, and the files that were
    /// missing.
    pub(super) async fn backup_scans(&self, backup: &Path) -> CoreResult<(u64, Vec<String>)> {
        let files: Vec<String> = sqlx::query_scalar("SELECT file FROM scans ORDER BY id")
            .fetch_all(self.pool())
            .await?;
        if files.is_empty() {
            return Ok((0, Vec::new()));
        }
        let root = self.scans_root().await?;
        let target = backup_scans_dir(backup);
        crate::private_fs::own_dir(&target).map_err(file_error(&target))?;
        let mut copied = 0;
        let mut missing = Vec::new();
        for file in &files {
            let from = root.join(file);
            if !from.is_file() {
                missing.push(from.display().to_string());
                continue;
            }
            copy_whole(&from, &target.join(file))?;
            copied += 1;
        }
        sync_dir(&target);
        Ok((copied, missing))
    }

    /// After a restore from `backup`: each paper the restored database names put back from
    /// `<backup>.scans/` where it is missing or no longer has its recorded hash; how many.
    pub(super) async fn restore_scans(&self, backup: &Path) -> CoreResult<u64> {
        let source = backup_scans_dir(backup);
        let rows = sqlx::query("SELECT file, sha256 FROM scans ORDER BY id")
            .fetch_all(self.pool())
            .await?;
        if rows.is_empty() || !source.is_dir() {
            return Ok(0);
        }
        let root = self.scans_root().await?;
        let mut put_back = 0;
        for row in rows {
            let file: String = row.try_get("file")?;
            let sha256: String = row.try_get("sha256")?;
            let target = root.join(&file);
            let whole = |p: &Path| std::fs::read(p).is_ok_and(|b| sha256_hex(&b) == sha256);
            if whole(&target) || !whole(&source.join(&file)) {
                continue;
            }
            copy_whole(&source.join(&file), &target)?;
            put_back += 1;
        }
        Ok(put_back)
    }

    /// Every stored paper: its path relative to the scans folder and where it is now.
    pub(super) async fn scan_paths(&self) -> CoreResult<Vec<(String, PathBuf)>> {
        let files: Vec<String> = sqlx::query_scalar("SELECT file FROM scans ORDER BY id")
            .fetch_all(self.pool())
            .await?;
        if files.is_empty() {
            return Ok(Vec::new());
        }
        let root = self.scans_root().await?;
        Ok(files
            .into_iter()
            .map(|f| {
                let at = root.join(&f);
                (f, at)
            })
            .collect())
    }

    /// Another database's papers copied under this one's scans folder (`migrate`), each at
    /// its relative path; one already there with the same bytes is left as it is.
    pub(super) async fn take_scans(&self, papers: &[(String, PathBuf)]) -> CoreResult<u64> {
        if papers.is_empty() {
            return Ok(0);
        }
        let root = self.scans_root().await?;
        crate::private_fs::own_dir(&root).map_err(file_error(&root))?;
        let mut copied = 0;
        for (file, from) in papers {
            let to = root.join(file);
            let same = match (std::fs::read(from), std::fs::read(&to)) {
                (Ok(a), Ok(b)) => a == b,
                _ => false,
            };
            if !same {
                copy_whole(from, &to)?;
                copied += 1;
            }
        }
        Ok(copied)
    }

    /// The folder the digitised papers live in: the `scans-folder` setting, else `scans`
    /// beside an SQLite database; PostgreSQL requires the setting.
    pub async fn scans_root(&self) -> CoreResult<PathBuf> {
        let set = self.get_setting(SCANS_FOLDER).await?.unwrap_or_default();
        if !set.trim().is_empty() {
            return Ok(PathBuf::from(set.trim()));
        }
        match &self.sqlite_file {
            Some(file) => Ok(file
                .parent()
                .unwrap_or_else(|| Path::new("."))
                .join("scans")),
            None => Err(ScanError::NoScansFolder.into()),
        }
    }

    /// This desk's scanner, resolution, mode and watched folder.
    pub async fn scan_settings(&self, desk: &str) -> CoreResult<ScanSettings> {
        let get = |key: &'static str| async move {
            self.get_setting(&desk_key(desk, key))
                .await
                .map(Option::unwrap_or_default)
        };
        let dpi = get(SCAN_DPI).await?;
        Ok(ScanSettings {
            device: get(SCANNER_DEVICE).await?,
            dpi: dpi.trim().parse().unwrap_or(SCAN_DPI_DEFAULT),
            mode: ScanMode::parse(&get(SCAN_MODE).await?).unwrap_or(ScanMode::Gray),
            folder: get(SCAN_FOLDER).await?,
        })
    }

    /// Stores `scans` for the dossier `code`, in order, in one transaction: each file under
    /// the scans folder and a chained "scanned" event with its hash. Nothing is left behind
    /// when any of it fails.
    pub async fn add_scans(
        &self,
        code: &str,
        scans: Vec<NewScan>,
        actor: &Actor,
    ) -> CoreResult<Vec<ScanRecord>> {
        if scans.is_empty() {
            return Err(ScanError::NothingGiven.into());
        }
        let dossier = self.dossier(code).await?;
        let rows = dossier.documents.len() as i64;
        for s in &scans {
            if !s.result && (s.doc == 0 || i64::from(s.doc) > rows) {
                return Err(CoreError::invalid(
                    "doc",
                    Problem::OutOfRange {
                        min: 1,
                        max: rows.max(1),
                    },
                ));
            }
        }
        let id = self.dossier_id(&dossier.code).await?;
        let root = self.scans_root().await?;
        let year = vn_date(dossier.received_at).year().to_string();
        let relative_dir = format!("{year}/{}", folder_name(&dossier.code));
        let dir = root.join(&year).join(folder_name(&dossier.code));
        for own in [&root, &root.join(&year), &dir] {
            crate::private_fs::own_dir(own).map_err(file_error(own))?;
        }
        let mut written = Written::default();
        let mut partials = Vec::with_capacity(scans.len());
        for s in &scans {
            match write_partial(&dir, &s.pdf.bytes) {
                Ok(p) => {
                    written.0.push(p.clone());
                    partials.push(p);
                }
                Err(e) => {
                    written.undo();
                    return Err(e);
                }
            }
        }
        let stored = self
            .commit_scans(
                id,
                &dossier.code,
                &relative_dir,
                &dir,
                scans,
                &partials,
                actor,
                &mut written,
            )
            .await;
        if stored.is_err() {
            written.undo();
        } else {
            sync_dir(&dir);
        }
        stored
    }

    #[allow(clippy::too_many_arguments)]
    async fn commit_scans(
        &self,
        id: i64,
        code: &str,
        relative_dir: &str,
        dir: &Path,
        scans: Vec<NewScan>,
        partials: &[PathBuf],
        actor: &Actor,
        written: &mut Written,
    ) -> CoreResult<Vec<ScanRecord>> {
        let now = crate::vntime::now();
        let mut tx = self.pool().begin().await?;
        // The head lock first, as every appending transaction (see `events::append`).
        chain::lock(&mut tx, Chain::Events).await?;
        let mut out = Vec::with_capacity(scans.len());
        for (s, partial) in scans.iter().zip(partials) {
            let doc = if s.result { 0 } else { s.doc };
            let earlier: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM scans WHERE dossier_id = $1 AND doc = $2 AND result = $3",
            )
            .bind(id)
            .bind(i64::from(doc))
            .bind(i64::from(s.result))
            .fetch_one(&mut *tx)
            .await?;
            let stem = if s.result {
                "result".to_string()
            } else {
                doc.to_string()
            };
            let name = format!("{stem}-{}.pdf", earlier + 1);
            let file = format!("{relative_dir}/{name}");
            let sha256 = sha256_hex(&s.pdf.bytes);
            let bytes = s.pdf.bytes.len() as u64;
            sqlx::query(
                "INSERT INTO scans (dossier_id, doc, result, file, sha256, pages, bytes, source, at, actor) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id)
            .bind(i64::from(doc))
            .bind(i64::from(s.result))
            .bind(&file)
            .bind(&sha256)
            .bind(i64::from(s.pdf.pages))
            .bind(bytes as i64)
            .bind(s.pdf.source.as_str())
            .bind(to_millis(now))
            .bind(&actor.name)
            .execute(&mut *tx)
            .await?;
            let data = serde_json::json!({
                "doc": doc,
                "result": s.result,
                "file": file,
                "sha256": sha256,
                "pages": s.pdf.pages,
                "bytes": bytes,
                "source": s.pdf.source.as_str(),
            });
            append(
                &mut tx,
                id,
                now,
                actor,
                NewEvent::plain("scanned", "", data),
            )
            .await?;
            let target = dir.join(&name);
            std::fs::rename(partial, &target).map_err(file_error(&target))?;
            written.0.push(target.clone());
            out.push(ScanRecord {
                code: code.to_string(),
                doc,
                result: s.result,
                file,
                path: target.display().to_string(),
                sha256,
                pages: s.pdf.pages,
                bytes,
                source: s.pdf.source.as_str().to_string(),
                at: from_millis(to_millis(now)),
                actor: actor.name.clone(),
                // The column's default (migration 0014): waiting for its text layer.
                text_layer: "pending".to_string(),
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The dossier's stored PDFs: its rows in order, then its result.
    pub async fn scans(&self, code: &str) -> CoreResult<Vec<ScanRecord>> {
        let dossier = self.dossier(code).await?;
        let id = self.dossier_id(&dossier.code).await?;
        let root = self.scans_root().await.ok();
        let rows = sqlx::query(
            "SELECT doc, result, file, sha256, pages, bytes, source, at, actor, text_layer FROM scans \
             WHERE dossier_id = $1 ORDER BY result, doc, id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let file: String = row.try_get("file")?;
            let path = root
                .as_ref()
                .map(|r| r.join(&file).display().to_string())
                .unwrap_or_default();
            out.push(ScanRecord {
                code: dossier.code.clone(),
                doc: u32::try_from(row.try_get::<i64, _>("doc")?).unwrap_or_default(),
                result: row.try_get::<i64, _>("result")? != 0,
                file,
                path,
                sha256: row.try_get("sha256")?,
                pages: u32::try_from(row.try_get::<i64, _>("pages")?).unwrap_or_default(),
                bytes: u64::try_from(row.try_get::<i64, _>("bytes")?).unwrap_or_default(),
                source: row.try_get("source")?,
                at: from_millis(row.try_get("at")?),
                actor: row.try_get("actor")?,
                text_layer: row.try_get("text_layer")?,
            });
        }
        Ok(out)
    }

    /// Every file a chained "scanned" event names, hashed again against its latest recorded
    /// hash (a "scan_text" event's once a text layer replaced it): missing or changed files,
    /// by name. The events, not the rows, are what is trusted: they are chained.
    pub(super) async fn verify_scan_files(&self) -> CoreResult<Vec<ScanFileProblem>> {
        let rows = sqlx::query(
            "SELECT data_json FROM events WHERE kind IN ('scanned', 'scan_text') ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let root = match self.scans_root().await {
            Ok(root) => root,
            Err(CoreError::Scan(ScanError::NoScansFolder)) => {
                return Ok(vec![ScanFileProblem {
                    file: SCANS_FOLDER.to_string(),
                    fault: ScanFileFault::NoFolder,
                }])
            }
            Err(e) => return Err(e),
        };
        // Each file once, in the order first recorded, with the hash recorded last.
        let mut latest: Vec<(String, String)> = Vec::new();
        let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for row in rows {
            let data: String = row.try_get("data_json")?;
            let data: serde_json::Value =
                serde_json::from_str(&data).map_err(|e| CoreError::Json(e.to_string()))?;
            let file = data["file"].as_str().unwrap_or_default().to_string();
            let sha256 = data["sha256"].as_str().unwrap_or_default().to_string();
            match at.get(&file) {
                Some(&i) => latest[i].1 = sha256,
                None => {
                    at.insert(file.clone(), latest.len());
                    latest.push((file, sha256));
                }
            }
        }
        let mut problems = Vec::new();
        for (file, expected) in latest {
            let path = root.join(&file);
            let fault = match std::fs::read(&path) {
                Err(_) => Some(ScanFileFault::Missing),
                Ok(bytes) if sha256_hex(&bytes) != expected => Some(ScanFileFault::Changed),
                Ok(_) => None,
            };
            if let Some(fault) = fault {
                problems.push(ScanFileProblem {
                    file: path.display().to_string(),
                    fault,
                });
            }
        }
        Ok(problems)
    }
}
