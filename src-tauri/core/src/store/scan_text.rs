//! The text layer's queue and worker: every stored paper waits as `pending` (migration 0014)
//! until a worker (the desk window's, `motcua serve`'s or `motcua scans ocr`) has read it with
//! Tesseract (`scans/ocr.rs`), one file at a time, outside any transaction. A file made
//! searchable replaces the stored one atomically, with its new hash in the row and in a
//! chained "scan_text" event (file, previous and new SHA-256, bytes), so `audit verify` keeps
//! checking each file against its latest recorded hash. A file that is not scanned pages is
//! `skipped`, one Tesseract could not read is `failed` with the reason: neither is tried
//! again by itself (`scans ocr --retry` does). Without Tesseract's Vietnamese data nothing is
//! touched and every paper stays `pending`.

use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use sqlx::Row;

use super::events::{append, NewEvent};
use super::scans::{file_error, sha256_hex, sync_dir, write_partial};
use super::{chain, Actor, Store};
use crate::audit::Chain;
use crate::error::{CoreError, CoreResult};
use crate::scans::ocr::{self, Availability, TextLayer};

pub const TEXT_PENDING: &str = "pending";
pub const TEXT_DONE: &str = "done";
pub const TEXT_SKIPPED: &str = "skipped";
pub const TEXT_FAILED: &str = "failed";

/// How long a worker with nothing to do waits before looking again.
const IDLE: Duration = Duration::from_secs(60);

/// Failures the status lists (the newest first).
const FAILURES_SHOWN: i64 = 20;

/// What the supervisor sees: can text be made here, and how far the queue is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextStatus {
    pub tesseract: Availability,
    pub pending: u64,
    pub done: u64,
    pub skipped: u64,
    pub failed: u64,
    pub failures: Vec<TextFailure>,
}

/// A paper Tesseract could not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextFailure {
    pub file: String,
    pub note: String,
}

/// What became of one paper the worker took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextOutcome {
    pub file: String,
    /// done, skipped or failed.
    pub text_layer: String,
    pub note: String,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

/// The oldest paper waiting.
struct Pending {
    id: i64,
    dossier_id: i64,
    file: String,
    sha256: String,
}

/// Runs `f` off the async threads (Tesseract takes seconds a page).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(f).await.ok()
}

impl Store {
    /// Tesseract's state here and the queue's counts, with the latest failures.
    pub async fn text_status(&self) -> CoreResult<TextStatus> {
        let tesseract = blocking(ocr::detect)
            .await
            .unwrap_or(Availability::NoProgram {
                program: ocr::program().display().to_string(),
            });
        let rows = sqlx::query("SELECT text_layer, COUNT(*) AS n FROM scans GROUP BY text_layer")
            .fetch_all(self.pool())
            .await?;
        let mut status = TextStatus {
            tesseract,
            pending: 0,
            done: 0,
            skipped: 0,
            failed: 0,
            failures: Vec::new(),
        };
        for row in rows {
            let state: String = row.try_get("text_layer")?;
            let n = u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or_default();
            match state.as_str() {
                TEXT_DONE => status.done = n,
                TEXT_SKIPPED => status.skipped = n,
                TEXT_FAILED => status.failed = n,
                _ => status.pending += n,
            }
        }
        let failures = sqlx::query(
            "SELECT file, text_note FROM scans WHERE text_layer = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(TEXT_FAILED)
        .bind(FAILURES_SHOWN)
        .fetch_all(self.pool())
        .await?;
        for row in failures {
            status.failures.push(TextFailure {
                file: row.try_get("file")?,
                note: row.try_get("text_note")?,
            });
        }
        Ok(status)
    }

    /// Failed papers put back in the queue (after Tesseract was repaired): how many.
    pub async fn retry_text_layers(&self) -> CoreResult<u64> {
        let done =
            sqlx::query("UPDATE scans SET text_layer = $1, text_note = '' WHERE text_layer = $2")
                .bind(TEXT_PENDING)
                .bind(TEXT_FAILED)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected())
    }

    async fn next_pending(&self) -> CoreResult<Option<Pending>> {
        let row = sqlx::query(
            "SELECT id, dossier_id, file, sha256 FROM scans WHERE text_layer = $1 ORDER BY id LIMIT 1",
        )
        .bind(TEXT_PENDING)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Pending {
            id: row.try_get("id")?,
            dossier_id: row.try_get("dossier_id")?,
            file: row.try_get("file")?,
            sha256: row.try_get("sha256")?,
        }))
    }

    /// The hash the dossier's chain last recorded for `file`: its "scanned" event's, or the
    /// latest "scan_text" event's.
    async fn chained_sha256(&self, dossier_id: i64, file: &str) -> CoreResult<Option<String>> {
        let rows = sqlx::query(
            "SELECT data_json FROM events WHERE dossier_id = $1 \
             AND kind IN ('scanned', 'scan_text') ORDER BY id",
        )
        .bind(dossier_id)
        .fetch_all(self.pool())
        .await?;
        let mut latest = None;
        for row in rows {
            let data: String = row.try_get("data_json")?;
            let data: serde_json::Value =
                serde_json::from_str(&data).map_err(|e| CoreError::Json(e.to_string()))?;
            if data["file"].as_str() == Some(file) {
                latest = data["sha256"].as_str().map(str::to_string);
            }
        }
        Ok(latest)
    }

    async fn set_text_state(&self, id: i64, state: &str, note: &str) -> CoreResult<()> {
        sqlx::query(
            "UPDATE scans SET text_layer = $1, text_note = $2 WHERE id = $3 AND text_layer = $4",
        )
        .bind(state)
        .bind(note)
        .bind(id)
        .bind(TEXT_PENDING)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Takes the oldest waiting paper and gives it its text layer with `program` (which
    /// `ocr::detect` found ready): what became of it, or `None` when none waits.
    pub async fn make_next_text_layer(
        &self,
        program: &Path,
        actor: &Actor,
    ) -> CoreResult<Option<TextOutcome>> {
        let Some(p) = self.next_pending().await? else {
            return Ok(None);
        };
        let path = self.scans_root().await?.join(&p.file);
        let mut outcome = TextOutcome {
            file: p.file.clone(),
            text_layer: TEXT_FAILED.to_string(),
            note: String::new(),
            bytes_before: 0,
            bytes_after: 0,
        };
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                outcome.note = format!("{}: {e}", path.display());
                self.set_text_state(p.id, TEXT_FAILED, &outcome.note)
                    .await?;
                return Ok(Some(outcome));
            }
        };
        outcome.bytes_before = bytes.len() as u64;
        outcome.bytes_after = outcome.bytes_before;
        // A file changed behind the app's back is not made searchable: its new hash would
        // hide the change from `audit verify`.
        let now = sha256_hex(&bytes);
        if now != p.sha256 || self.chained_sha256(p.dossier_id, &p.file).await? != Some(now) {
            outcome.note = "the file is not the one recorded (see audit verify)".into();
            self.set_text_state(p.id, TEXT_FAILED, &outcome.note)
                .await?;
            return Ok(Some(outcome));
        }
        let program = program.to_path_buf();
        let made = blocking(move || ocr::make_text_layer(&program, &bytes))
            .await
            .unwrap_or_else(|| Err("the reading stopped".into()));
        match made {
            Ok(TextLayer::Made { bytes, pages }) => {
                // Stored by a task of its own: a worker stopped (the window closing) while
                // the file is being replaced does not cut the replacement in half.
                let store = self.clone();
                let actor = actor.clone();
                let new_len = bytes.len() as u64;
                let id = p.id;
                let replaced = tokio::spawn(async move {
                    store
                        .replace_with_text(&p, &path, bytes, pages, &actor)
                        .await
                })
                .await
                .unwrap_or(Ok(false));
                if replaced? {
                    outcome.text_layer = TEXT_DONE.to_string();
                    outcome.bytes_after = new_len;
                } else {
                    outcome.note = "the file or its row changed while it was read".into();
                    self.set_text_state(id, TEXT_FAILED, &outcome.note).await?;
                }
            }
            Ok(TextLayer::NotScannedPages(why)) => {
                outcome.text_layer = TEXT_SKIPPED.to_string();
                outcome.note = why;
                self.set_text_state(p.id, TEXT_SKIPPED, &outcome.note)
                    .await?;
            }
            Err(why) => {
                outcome.note = why;
                self.set_text_state(p.id, TEXT_FAILED, &outcome.note)
                    .await?;
            }
        }
        Ok(Some(outcome))
    }

    /// The paper's file replaced by `bytes` (its pages with their text) with the row and a
    /// chained "scan_text" event in one transaction; the old file is put back if it does not
    /// commit. False when the file or its row changed meanwhile (nothing is replaced).
    async fn replace_with_text(
        &self,
        p: &Pending,
        path: &Path,
        bytes: Vec<u8>,
        pages: u32,
        actor: &Actor,
    ) -> CoreResult<bool> {
        let dir = path.parent().unwrap_or_else(|| Path::new("."));
        let old = std::fs::read(path).map_err(file_error(path))?;
        let partial = write_partial(dir, &bytes)?;
        let kept = match write_partial(dir, &old) {
            Ok(kept) => kept,
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        };
        let done = self
            .commit_text(p, path, &partial, &bytes, pages, actor)
            .await;
        if !matches!(done, Ok(true)) {
            // Back as it was: the old file where the new one took its place, and no partial.
            if std::fs::read(path).is_ok_and(|b| b == bytes) {
                let _ = std::fs::rename(&kept, path);
            }
            let _ = std::fs::remove_file(&partial);
        }
        let _ = std::fs::remove_file(&kept);
        sync_dir(dir);
        done
    }

    async fn commit_text(
        &self,
        p: &Pending,
        path: &Path,
        partial: &Path,
        bytes: &[u8],
        pages: u32,
        actor: &Actor,
    ) -> CoreResult<bool> {
        let sha256 = sha256_hex(bytes);
        let mut tx = self.pool().begin().await?;
        // The head lock first, as every appending transaction (see `events::append`).
        chain::lock(&mut tx, Chain::Events).await?;
        let changed = sqlx::query(
            "UPDATE scans SET sha256 = $1, bytes = $2, text_layer = $3, text_note = '' \
             WHERE id = $4 AND sha256 = $5 AND text_layer = $6",
        )
        .bind(&sha256)
        .bind(bytes.len() as i64)
        .bind(TEXT_DONE)
        .bind(p.id)
        .bind(&p.sha256)
        .bind(TEXT_PENDING)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() != 1 {
            // Another worker got there first, or the row changed: left as it is.
            return Ok(false);
        }
        let data = serde_json::json!({
            "file": p.file,
            "previous_sha256": p.sha256,
            "sha256": sha256,
            "bytes": bytes.len(),
            "pages": pages,
        });
        append(
            &mut tx,
            p.dossier_id,
            crate::vntime::now(),
            actor,
            NewEvent::plain("scan_text", "", data),
        )
        .await?;
        // Still the recorded file (read once more under the lock), then replaced; the caller
        // keeps a copy to put back if the commit fails.
        let current = std::fs::read(path).map_err(file_error(path))?;
        if sha256_hex(&current) != p.sha256 {
            return Ok(false);
        }
        std::fs::rename(partial, path).map_err(file_error(path))?;
        tx.commit().await?;
        Ok(true)
    }

    /// The worker: while Tesseract reads Vietnamese here, each waiting paper in turn; a
    /// minute's rest when none waits, Tesseract is missing or the database cannot be
    /// reached. Stops when `stop` turns true.
    pub async fn run_text_layers(
        &self,
        actor: Actor,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        loop {
            if *stop.borrow() {
                return;
            }
            let mut wait = IDLE;
            if let Ok(Some(_)) = self.next_pending().await {
                if let Some(Availability::Ready { program }) = blocking(ocr::detect).await {
                    if let Ok(Some(_)) =
                        self.make_next_text_layer(Path::new(&program), &actor).await
                    {
                        // Straight on to the next, after a breath for the desk's own work.
                        wait = Duration::from_secs(1);
                    }
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                changed = stop.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
            }
        }
    }
}
