//! Backups taken while desks keep working, checked before they are trusted, and restores
//! that refuse damaged or newer files and keep the current database aside.
//!
//! SQLite is copied with `VACUUM INTO` (a consistent snapshot in one file) and the copy is
//! marked with a SHA-256 of its rows, so a damaged copy is told from a good one even where
//! the engine's own check passes. PostgreSQL is exported as versioned JSON Lines from one
//! snapshot transaction, closed by a SHA-256 of everything before it.
//!
//! A restore goes through a staged SQLite copy brought to the current schema (a backup from
//! an older version is migrated like any old database), then replaces every table of the
//! live database in one transaction: other desks see the old data or the new, never a mix.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, Connection, Row};

use super::access_log::{self, AccessKind};
use super::settings::BACKUP_KEEP_DEFAULT;
use super::tables::{self, exec, Column, Inserter, Table, Value};
use super::{migrator, sqlite_url_mode, supported_version, Actor, Backend, Store};
use crate::error::{CoreError, CoreResult};
use crate::private_fs;

mod counters;
pub use counters::LostNumbers;
mod error;

pub use error::BackupError;

pub const FORMAT: &str = "motcua-backup";
pub const FORMAT_VERSION: i64 = 1;
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
const MARK_TABLE: &str = "_motcua_backup";

#[derive(Debug, Clone, Serialize)]
pub struct BackupReport {
    pub path: String,
    /// "sqlite" (a database file) or "jsonl" (an export of every table)
    pub format: &'static str,
    pub schema_version: i64,
    pub created_at: Option<String>,
    /// Rows per table.
    pub rows: BTreeMap<String, u64>,
    /// The file carries a checksum of its content and it matched. A plain copy of a
    /// database file has none and is accepted on the engine's integrity check alone.
    pub checksum_verified: bool,
    pub bytes: u64,
    /// The chains' heads when a daily backup was taken (also in `<file>.heads.json`
    /// beside it): noted away from the database, they pin the history (`audit verify
    /// --expect`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub heads: Vec<crate::audit::ChainHead>,
    /// Digitised papers copied into `<file>.scans/` beside the backup.
    pub scan_files: u64,
    /// Papers the database names whose file was not there to copy (`audit verify` says
    /// so too): a backup taken to be restored over a lost folder is still taken.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scans_missing: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RestoreReport {
    pub restored: BackupReport,
    /// The database as it was just before the restore.
    pub previous: String,
    /// SHA-256 of the restored file, as the access log records it.
    pub sha256: String,
    /// The hash chains' heads the restored data brought, before the "restored" entry.
    pub heads: Vec<ChainHead>,
    /// Accounts that are not what they were just before: an old backup can bring back an
    /// account since disabled, or an old password.
    pub accounts: Vec<AccountChange>,
}

/// Whether a restore takes a file that carries no backup marker (a plain copy of a
/// database file, not made by `Store::backup`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmarked {
    Refuse,
    Accept,
}

/// One chain's head: how many entries it links and the newest hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainHead {
    pub chain: String,
    pub entries: i64,
    pub last_hash: String,
}

/// How a restore changed one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountDifference {
    Added,
    Removed,
    Roles,
    Disabled,
    Enabled,
    Password,
}

impl AccountDifference {
    pub fn label(self, lang: crate::i18n::Lang) -> String {
        let code = match self {
            AccountDifference::Added => "added",
            AccountDifference::Removed => "removed",
            AccountDifference::Roles => "roles",
            AccountDifference::Disabled => "disabled",
            AccountDifference::Enabled => "enabled",
            AccountDifference::Password => "password",
        };
        crate::i18n::t(lang, &format!("restore.account.{code}"))
    }
}

/// An account a restore changed, with its roles before and after (empty when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountChange {
    pub name: String,
    pub differences: Vec<AccountDifference>,
    pub roles_before: String,
    pub roles_after: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    format_version: i64,
    schema_version: i64,
    engine: String,
    created_at: String,
    app_version: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct TableLine {
    table: String,
    columns: Vec<Column>,
}

#[derive(Debug, Serialize, Deserialize)]
struct EndLine {
    end: bool,
    rows: BTreeMap<String, u64>,
    sha256: String,
}

fn file_error(path: &Path) -> impl FnOnce(std::io::Error) -> CoreError + '_ {
    move |source| CoreError::File {
        path: path.display().to_string(),
        source,
    }
}

fn invalid(path: &Path, reason: &'static str, detail: impl Into<String>) -> CoreError {
    CoreError::Backup(BackupError::Invalid {
        path: path.display().to_string(),
        reason,
        detail: detail.into(),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn now_text() -> String {
    crate::vntime::rfc3339_vn(crate::vntime::now())
}

/// The file's directory is made durable too: a renamed backup survives a power cut.
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        // Not every platform can sync a directory; the file itself is synced already.
        let _ = d.sync_all();
    }
}

/// A SHA-256 over every application table's rows in a stable order, and the row counts.
async fn digest(
    conn: &mut AnyConnection,
    backend: Backend,
) -> CoreResult<(String, BTreeMap<String, u64>)> {
    let mut hasher = Sha256::new();
    let mut counts = BTreeMap::new();
    for table in tables::list(conn, backend).await? {
        hasher.update(format!("table {}\n", table.name).as_bytes());
        let mut n = 0u64;
        tables::for_each_row(conn, &table, |row| {
            let line = serde_json::to_string(&row).map_err(|e| CoreError::Json(e.to_string()))?;
            hasher.update(line.as_bytes());
            hasher.update(b"\n");
            n += 1;
            Ok(())
        })
        .await?;
        counts.insert(table.name, n);
    }
    Ok((hex(&hasher.finalize()), counts))
}

async fn schema_version_of(conn: &mut AnyConnection) -> CoreResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(&mut *conn)
            .await?,
    )
}

impl Store {
    /// Writes a consistent copy of the whole database to `out` (replacing it), checks the
    /// copy, and only then puts it in place. Desks may keep working meanwhile.
    pub async fn backup(&self, out: &Path) -> CoreResult<BackupReport> {
        let dir = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        private_fs::create_dir(dir).map_err(file_error(dir))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "backup".into());
        let partial = dir.join(format!(".{name}.partial-{}", std::process::id()));
        let _ = fs::remove_file(&partial);
        let made = match self.backend() {
            Backend::Sqlite => self.backup_sqlite(&partial).await,
            Backend::Postgres => self.export_jsonl(&partial).await,
        };
        let checked = match made {
            Ok(()) => verify_backup(&partial).await,
            Err(e) => Err(e),
        };
        match checked {
            Ok(mut report) => {
                fs::rename(&partial, out).map_err(file_error(out))?;
                sync_dir(dir);
                report.path = out.display().to_string();
                // After the database's copy: stored papers never change, so the copies
                // hold every file the backup names.
                (report.scan_files, report.scans_missing) = self.backup_scans(out).await?;
                Ok(report)
            }
            Err(e) => {
                let _ = fs::remove_file(&partial);
                Err(e)
            }
        }
    }

    /// The file extension of this engine's backups.
    pub fn backup_extension(&self) -> &'static str {
        match self.backend() {
            Backend::Sqlite => "db",
            Backend::Postgres => "jsonl",
        }
    }

    async fn backup_sqlite(&self, partial: &Path) -> CoreResult<()> {
        // VACUUM INTO writes into an empty file it finds, keeping that file's mode.
        private_fs::create_empty(partial).map_err(file_error(partial))?;
        sqlx::query("VACUUM INTO $1")
            .bind(partial.to_string_lossy().into_owned())
            .execute(self.pool())
            .await?;
        let mut conn = AnyConnection::connect(&sqlite_url_mode(partial, "rw")).await?;
        let marked = mark(&mut conn).await;
        conn.close().await?;
        marked
    }

    async fn export_jsonl(&self, partial: &Path) -> CoreResult<()> {
        let mut conn = self.pool().acquire().await?;
        let begin = match self.backend() {
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
            Backend::Sqlite => "BEGIN",
        };
        exec(&mut conn, begin).await?;
        let written = write_jsonl(&mut conn, self.backend(), partial).await;
        // Read only: nothing to keep, and the connection goes back to the pool clean.
        let ended = exec(&mut conn, "ROLLBACK").await;
        written?;
        ended?;
        Ok(())
    }

    /// The automatic daily backup: `motcua-YYYY-MM-DD.<ext>` in `dir` unless one exists for
    /// `today`, keeping the newest `backup-keep` of them. `None` when today's exists.
    pub async fn daily_backup(
        &self,
        dir: &Path,
        today: NaiveDate,
    ) -> CoreResult<Option<BackupReport>> {
        let keep = self.backup_keep().await?;
        if keep == 0 {
            return Ok(None);
        }
        private_fs::own_dir(dir).map_err(file_error(dir))?;
        let stem = format!("motcua-{}", today.format("%Y-%m-%d"));
        let exists = daily_files(dir)?
            .iter()
            .any(|(name, _)| name.starts_with(&stem));
        let report = if exists {
            None
        } else {
            let out = dir.join(format!("{stem}.{}", self.backup_extension()));
            // Read before the copy: every entry they name is in it.
            let heads = self.chain_heads().await?;
            let mut report = self.backup(&out).await?;
            write_heads(&out, &heads)?;
            report.heads = heads;
            Some(report)
        };
        prune(dir, usize::try_from(keep).unwrap_or(usize::MAX))?;
        Ok(report)
    }

    /// How many automatic daily backups to keep (0: none are taken).
    pub async fn backup_keep(&self) -> CoreResult<i64> {
        Ok(self
            .get_setting(super::settings::BACKUP_KEEP)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(BACKUP_KEEP_DEFAULT))
    }

    /// Replaces everything in this database with the backup in `file`, after checking it.
    /// The database as it was is first backed up into `aside_dir`. A file without the
    /// backup marker is refused unless `unmarked` accepts it. The swap is recorded in the
    /// access log by `actor` (the file, its digest, the heads it brought, the accounts it
    /// changed) in the same transaction.
    pub async fn restore(
        &self,
        file: &Path,
        aside_dir: &Path,
        unmarked: Unmarked,
        actor: &Actor,
    ) -> CoreResult<RestoreReport> {
        let checked = verify_backup(file).await?;
        if !checked.checksum_verified && unmarked == Unmarked::Refuse {
            return Err(invalid(file, "backup.unmarked", ""));
        }
        let sha256 = file_digest(file)?;
        private_fs::own_dir(aside_dir).map_err(file_error(aside_dir))?;
        let stamp = crate::vntime::to_vn(crate::vntime::now()).format("%Y%m%d-%H%M%S");
        let work = aside_dir.join(format!(".restore-{}-{stamp}", std::process::id()));
        private_fs::create_dir(&work).map_err(file_error(&work))?;
        let staged = work.join("restore.db");
        let result: CoreResult<(PathBuf, Swapped)> = async {
            if checked.format == "sqlite" {
                private_fs::copy(file, &staged).map_err(file_error(&staged))?;
                // The marker and digest belong to the file, not to the database.
                let mut conn = AnyConnection::connect(&sqlite_url_mode(&staged, "rw")).await?;
                exec(&mut conn, &format!("DROP TABLE IF EXISTS {MARK_TABLE}")).await?;
                conn.close().await?;
            } else {
                stage_jsonl(file, &staged, checked.schema_version).await?;
            }
            let source = Store::open(&staged.to_string_lossy()).await?;
            let replaced: CoreResult<(PathBuf, Swapped)> = async {
                if !source.integrity_check().await? {
                    return Err(invalid(file, "backup.corrupt", "integrity_check"));
                }
                let previous = aside_dir.join(format!(
                    "before-restore-{stamp}.{}",
                    self.backup_extension()
                ));
                self.backup(&previous).await?;
                let restored = Restored {
                    file,
                    sha256: &sha256,
                    actor,
                };
                let swapped = replace_all(self, &source, &restored).await?;
                Ok((previous, swapped))
            }
            .await;
            source.close().await;
            replaced
        }
        .await;
        let _ = fs::remove_dir_all(&work);
        let (previous, swapped) = result?;
        let mut checked = checked;
        checked.scan_files = self.restore_scans(file).await?;
        Ok(RestoreReport {
            restored: checked,
            previous: previous.display().to_string(),
            sha256,
            heads: swapped.heads,
            accounts: swapped.accounts,
        })
    }
}

/// Marks a fresh `VACUUM INTO` copy: one file (no journal beside it), with what it is and the
/// digest of its rows.
async fn mark(conn: &mut AnyConnection) -> CoreResult<()> {
    exec(conn, "PRAGMA journal_mode = DELETE").await?;
    let (sum, _) = digest(conn, Backend::Sqlite).await?;
    let schema = schema_version_of(conn).await?.unwrap_or(0);
    exec(
        conn,
        &format!("CREATE TABLE {MARK_TABLE} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"),
    )
    .await?;
    let entries = [
        ("format", FORMAT.to_string()),
        ("format_version", FORMAT_VERSION.to_string()),
        ("schema_version", schema.to_string()),
        ("created_at", now_text()),
        ("app_version", env!("CARGO_PKG_VERSION").to_string()),
        ("sha256", sum),
    ];
    for (key, value) in entries {
        sqlx::query(&format!(
            "INSERT INTO {MARK_TABLE} (key, value) VALUES ($1, $2)"
        ))
        .bind(key)
        .bind(value)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Everything written goes through the hash, except the closing line that carries it.
struct HashingWriter {
    inner: std::io::BufWriter<fs::File>,
    hasher: Sha256,
}

impl Write for HashingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

async fn write_jsonl(conn: &mut AnyConnection, backend: Backend, path: &Path) -> CoreResult<()> {
    let file = private_fs::create(path).map_err(file_error(path))?;
    let mut w = HashingWriter {
        inner: std::io::BufWriter::new(file),
        hasher: Sha256::new(),
    };
    let header = Header {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema_version: schema_version_of(conn).await?.unwrap_or(0),
        engine: match backend {
            Backend::Sqlite => "sqlite".into(),
            Backend::Postgres => "postgres".into(),
        },
        created_at: now_text(),
        app_version: env!("CARGO_PKG_VERSION").into(),
    };
    let mut io_error: Option<std::io::Error> = None;
    let mut write = |w: &mut HashingWriter, line: &dyn erased::Line| {
        if io_error.is_none() {
            if let Err(e) = line.write_to(w) {
                io_error = Some(e);
            }
        }
    };
    write(&mut w, &header);
    let mut rows = BTreeMap::new();
    for table in tables::list(conn, backend).await? {
        write(
            &mut w,
            &TableLine {
                table: table.name.clone(),
                columns: table.columns.clone(),
            },
        );
        let mut n = 0u64;
        tables::for_each_row(conn, &table, |row| {
            write(&mut w, &row);
            n += 1;
            Ok(())
        })
        .await?;
        rows.insert(table.name, n);
    }
    if let Some(e) = io_error {
        return Err(file_error(path)(e));
    }
    let end = EndLine {
        end: true,
        rows,
        sha256: hex(&w.hasher.clone().finalize()),
    };
    let mut inner = w.inner;
    erased::Line::write_to(&end, &mut inner).map_err(file_error(path))?;
    let file = inner
        .into_inner()
        .map_err(|e| file_error(path)(e.into_error()))?;
    file.sync_all().map_err(file_error(path))?;
    Ok(())
}

mod erased {
    use std::io::Write;

    /// A line of the export, whatever its type.
    pub trait Line {
        fn write_to(&self, w: &mut dyn Write) -> std::io::Result<()>;
    }

    impl<T: serde::Serialize> Line for T {
        fn write_to(&self, w: &mut dyn Write) -> std::io::Result<()> {
            serde_json::to_writer(&mut *w, self)?;
            w.write_all(b"\n")
        }
    }
}

/// Checks a backup file without changing anything: the engine's integrity check, the
/// schema version (a newer one is refused), and the checksum of its content.
pub async fn verify_backup(path: &Path) -> CoreResult<BackupReport> {
    sqlx::any::install_default_drivers();
    let bytes = fs::metadata(path).map_err(file_error(path))?.len();
    let mut head = [0u8; 16];
    let mut file = fs::File::open(path).map_err(file_error(path))?;
    let mut got = 0;
    while got < head.len() {
        let n = file.read(&mut head[got..]).map_err(file_error(path))?;
        if n == 0 {
            break;
        }
        got += n;
    }
    drop(file);
    let mut report = if got == head.len() && head == *SQLITE_MAGIC {
        verify_sqlite(path).await?
    } else {
        verify_jsonl(path)?
    };
    report.bytes = bytes;
    Ok(report)
}

async fn verify_sqlite(path: &Path) -> CoreResult<BackupReport> {
    let corrupt = |e: CoreError| invalid(path, "backup.corrupt", e.message(crate::i18n::Lang::En));
    let mut conn = AnyConnection::connect(&sqlite_url_mode(path, "ro"))
        .await
        .map_err(|e| corrupt(e.into()))?;
    let result = async {
        let check: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&mut conn)
            .await
            .map_err(|e| corrupt(e.into()))?;
        if check.first().map(String::as_str) != Some("ok") {
            return Err(invalid(path, "backup.corrupt", check.join("; ")));
        }
        let has = |name: &'static str| {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
            )
            .bind(name)
        };
        let migrations = has("_sqlx_migrations").fetch_one(&mut conn).await?;
        let dossiers = has("dossiers").fetch_one(&mut conn).await?;
        if migrations == 0 || dossiers == 0 {
            return Err(invalid(path, "backup.not_a_backup", "no dossiers table"));
        }
        let schema = schema_version_of(&mut conn).await?.unwrap_or(0);
        if schema > supported_version() {
            return Err(invalid(path, "backup.newer", schema.to_string()));
        }
        let marked = has(MARK_TABLE).fetch_one(&mut conn).await? == 1;
        let mut marks = BTreeMap::new();
        if marked {
            let rows = sqlx::query(&format!("SELECT key, value FROM {MARK_TABLE}"))
                .fetch_all(&mut conn)
                .await?;
            for row in rows {
                marks.insert(
                    row.try_get::<String, _>("key")?,
                    row.try_get::<String, _>("value")?,
                );
            }
            if marks.get("format").map(String::as_str) != Some(FORMAT) {
                return Err(invalid(path, "backup.not_a_backup", "format"));
            }
            let format_version: i64 = marks
                .get("format_version")
                .and_then(|v| v.parse().ok())
                .unwrap_or(i64::MAX);
            if format_version > FORMAT_VERSION {
                return Err(invalid(
                    path,
                    "backup.newer",
                    format!("format {format_version}"),
                ));
            }
        }
        let (sum, rows) = digest(&mut conn, Backend::Sqlite).await.map_err(corrupt)?;
        if marked && marks.get("sha256") != Some(&sum) {
            return Err(invalid(path, "backup.checksum", "sha256"));
        }
        Ok(BackupReport {
            path: path.display().to_string(),
            format: "sqlite",
            schema_version: schema,
            created_at: marks.get("created_at").cloned(),
            rows,
            checksum_verified: marked,
            bytes: 0,
            heads: Vec::new(),
            scan_files: 0,
            scans_missing: Vec::new(),
        })
    }
    .await;
    let _ = conn.close().await;
    result
}

/// Reads the export line by line: each line's raw bytes (for the checksum) and its number.
struct Lines<R> {
    reader: R,
    number: usize,
}

impl<R: BufRead> Lines<R> {
    fn next_line(&mut self, path: &Path) -> CoreResult<Option<Vec<u8>>> {
        let mut buf = Vec::new();
        let n = self
            .reader
            .read_until(b'\n', &mut buf)
            .map_err(file_error(path))?;
        if n == 0 {
            return Ok(None);
        }
        self.number += 1;
        Ok(Some(buf))
    }
}

/// One pass over an export; `each` receives every row with its table.
fn read_jsonl(
    path: &Path,
    mut each: impl FnMut(&TableLine, Vec<Value>) -> CoreResult<()>,
) -> CoreResult<BackupReport> {
    let file = fs::File::open(path).map_err(file_error(path))?;
    let mut lines = Lines {
        reader: BufReader::new(file),
        number: 0,
    };
    let not_a_backup = |detail: &str| invalid(path, "backup.not_a_backup", detail);
    let first = lines
        .next_line(path)?
        .ok_or_else(|| not_a_backup("empty"))?;
    let header: Header =
        serde_json::from_slice(&first).map_err(|e| not_a_backup(&e.to_string()))?;
    if header.format != FORMAT {
        return Err(not_a_backup(&header.format));
    }
    if header.format_version > FORMAT_VERSION {
        return Err(invalid(
            path,
            "backup.newer",
            format!("format {}", header.format_version),
        ));
    }
    if header.schema_version > supported_version() {
        return Err(invalid(
            path,
            "backup.newer",
            header.schema_version.to_string(),
        ));
    }
    let mut hasher = Sha256::new();
    hasher.update(&first);
    let mut current: Option<TableLine> = None;
    let mut rows: BTreeMap<String, u64> = BTreeMap::new();
    let mut end: Option<(EndLine, String)> = None;
    while let Some(line) = lines.next_line(path)? {
        let at = lines.number;
        let corrupt =
            |detail: String| invalid(path, "backup.corrupt", format!("line {at}: {detail}"));
        if end.is_some() {
            return Err(corrupt("after the end".into()));
        }
        if !line.ends_with(b"\n") {
            return Err(invalid(path, "backup.incomplete", format!("line {at}")));
        }
        if line.first() == Some(&b'[') {
            let table = current
                .as_ref()
                .ok_or_else(|| corrupt("a row before any table".into()))?;
            let values: Vec<Value> =
                serde_json::from_slice(&line).map_err(|e| corrupt(e.to_string()))?;
            let fits = values.len() == table.columns.len()
                && values.iter().zip(&table.columns).all(|(v, c)| match v {
                    Value::Null => true,
                    Value::Int(_) => c.integer,
                    Value::Text(_) => !c.integer,
                });
            if !fits {
                return Err(corrupt(format!("a row of {} does not fit", table.table)));
            }
            hasher.update(&line);
            *rows.entry(table.table.clone()).or_default() += 1;
            each(table, values)?;
        } else if let Ok(t) = serde_json::from_slice::<TableLine>(&line) {
            hasher.update(&line);
            rows.entry(t.table.clone()).or_default();
            current = Some(t);
        } else {
            let e: EndLine = serde_json::from_slice(&line).map_err(|e| corrupt(e.to_string()))?;
            end = Some((e, hex(&hasher.clone().finalize())));
        }
    }
    let (end, sum) = end.ok_or_else(|| invalid(path, "backup.incomplete", "no end line"))?;
    if end.sha256 != sum {
        return Err(invalid(path, "backup.checksum", "sha256"));
    }
    if end.rows != rows {
        return Err(invalid(path, "backup.incomplete", "row counts"));
    }
    Ok(BackupReport {
        path: path.display().to_string(),
        format: "jsonl",
        schema_version: header.schema_version,
        created_at: Some(header.created_at),
        rows,
        checksum_verified: true,
        bytes: 0,
        heads: Vec::new(),
        scan_files: 0,
        scans_missing: Vec::new(),
    })
}

fn verify_jsonl(path: &Path) -> CoreResult<BackupReport> {
    read_jsonl(path, |_, _| Ok(()))
}

/// Loads a checked export into a new SQLite file at the export's schema version; opening it
/// as a store afterwards brings it to the current one.
async fn stage_jsonl(file: &Path, staged: &Path, schema_version: i64) -> CoreResult<()> {
    let subset: Vec<_> = migrator(Backend::Sqlite)
        .iter()
        .filter(|m| m.version <= schema_version)
        .cloned()
        .collect();
    let partial = Migrator {
        migrations: Cow::Owned(subset),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    };
    private_fs::create_empty(staged).map_err(file_error(staged))?;
    let mut conn = AnyConnection::connect(&sqlite_url_mode(staged, "rwc")).await?;
    let loaded = load_rows(&mut conn, &partial, file).await;
    let _ = conn.close().await;
    loaded
}

enum Item {
    Table(Table),
    Row(Vec<Value>),
}

async fn load_rows(conn: &mut AnyConnection, partial: &Migrator, file: &Path) -> CoreResult<()> {
    partial.run(&mut *conn).await?;
    exec(conn, "PRAGMA foreign_keys = OFF").await?;
    exec(conn, "BEGIN").await?;
    // The migrations seed a few rows (the chains' heads, the settings' change counters); the
    // export holds every row as it was, those included.
    for table in tables::list(conn, Backend::Sqlite).await?.iter().rev() {
        exec(conn, &format!("DELETE FROM {}", tables::quote(&table.name))).await?;
    }
    // The file is read on its own thread and handed over a bounded channel: a large export
    // never sits in memory whole.
    let (send, mut receive) = tokio::sync::mpsc::channel::<Item>(1024);
    let path = file.to_path_buf();
    let reader = std::thread::spawn(move || {
        let mut last = String::new();
        read_jsonl(&path, |t, row| {
            let stopped = || CoreError::Json("stopped".into());
            if t.table != last {
                last = t.table.clone();
                send.blocking_send(Item::Table(Table {
                    name: t.table.clone(),
                    columns: t.columns.clone(),
                }))
                .map_err(|_| stopped())?;
            }
            send.blocking_send(Item::Row(row)).map_err(|_| stopped())
        })
    });
    let mut inserter: Option<Inserter> = None;
    let mut failed: Option<CoreError> = None;
    while let Some(item) = receive.recv().await {
        let step = async {
            match item {
                Item::Table(table) => {
                    if let Some(mut done) = inserter.take() {
                        done.flush(&mut *conn).await?;
                    }
                    inserter = Some(Inserter::new(table, false));
                }
                Item::Row(row) => {
                    if let Some(ins) = inserter.as_mut() {
                        ins.push(&mut *conn, row).await?;
                    }
                }
            }
            Ok::<_, CoreError>(())
        }
        .await;
        if let Err(e) = step {
            failed = Some(e);
            break;
        }
    }
    drop(receive);
    let read = reader
        .join()
        .unwrap_or_else(|_| Err(CoreError::Json("reader stopped".into())));
    if let Some(e) = failed {
        return Err(e);
    }
    read?;
    if let Some(mut done) = inserter.take() {
        done.flush(&mut *conn).await?;
    }
    exec(conn, "COMMIT").await
}

/// What a restore records of itself in the access log.
struct Restored<'a> {
    file: &'a Path,
    sha256: &'a str,
    actor: &'a Actor,
}

/// What the swap found: the heads the restored rows brought, the accounts they changed.
struct Swapped {
    heads: Vec<ChainHead>,
    accounts: Vec<AccountChange>,
}

/// SHA-256 of a whole file, read in pieces.
fn file_digest(path: &Path) -> CoreResult<String> {
    let mut file = fs::File::open(path).map_err(file_error(path))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(file_error(path))?;
    Ok(hex(&hasher.finalize()))
}

/// An account as a restore compares it: name → (roles, disabled, password hash).
type AccountStates = BTreeMap<String, (String, bool, String)>;

async fn account_states(conn: &mut AnyConnection) -> CoreResult<AccountStates> {
    let rows = sqlx::query("SELECT name, roles, disabled, password_hash FROM accounts")
        .fetch_all(&mut *conn)
        .await?;
    let mut states = BTreeMap::new();
    for row in rows {
        states.insert(
            row.try_get::<String, _>("name")?,
            (
                row.try_get::<String, _>("roles")?,
                row.try_get::<i64, _>("disabled")? != 0,
                row.try_get::<String, _>("password_hash")?,
            ),
        );
    }
    Ok(states)
}

/// Which accounts differ between `before` and `after`, by name.
fn account_changes(before: &AccountStates, after: &AccountStates) -> Vec<AccountChange> {
    let names: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut changes = Vec::new();
    for name in names {
        let (old, new) = (before.get(name), after.get(name));
        let differences = match (old, new) {
            (None, Some(_)) => vec![AccountDifference::Added],
            (Some(_), None) => vec![AccountDifference::Removed],
            (Some(o), Some(n)) => {
                let mut d = Vec::new();
                if o.0 != n.0 {
                    d.push(AccountDifference::Roles);
                }
                match (o.1, n.1) {
                    (false, true) => d.push(AccountDifference::Disabled),
                    (true, false) => d.push(AccountDifference::Enabled),
                    _ => {}
                }
                if o.2 != n.2 {
                    d.push(AccountDifference::Password);
                }
                d
            }
            (None, None) => Vec::new(),
        };
        if !differences.is_empty() {
            changes.push(AccountChange {
                name: name.clone(),
                differences,
                roles_before: old.map(|o| o.0.clone()).unwrap_or_default(),
                roles_after: new.map(|n| n.0.clone()).unwrap_or_default(),
            });
        }
    }
    changes
}

async fn chain_heads(conn: &mut AnyConnection) -> CoreResult<Vec<ChainHead>> {
    let rows = sqlx::query("SELECT chain, entries, last_hash FROM audit_head ORDER BY chain")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(ChainHead {
                chain: row.try_get("chain")?,
                entries: row.try_get("entries")?,
                last_hash: row.try_get("last_hash")?,
            })
        })
        .collect()
}

/// Replaces every table of `target` with the rows of `source` (same schema) in one
/// transaction, keeping ids, and records the restore in the access log in that transaction.
async fn replace_all(
    target: &Store,
    source: &Store,
    restored: &Restored<'_>,
) -> CoreResult<Swapped> {
    let mut src = source.pool().acquire().await?;
    let source_tables = tables::list(&mut src, source.backend()).await?;
    let mut tx = target.pool().begin().await?;
    tables::take_write_lock(&mut tx, target.backend()).await?;
    let accounts_before = account_states(&mut tx).await?;
    let counters_before = counters::Counters::read(&mut tx).await?;
    let target_tables = tables::list(&mut tx, target.backend()).await?;
    let mut triggers: Vec<String> = Vec::new();
    match target.backend() {
        Backend::Sqlite => {
            // The append-only triggers forbid deleting events; they are dropped and made
            // again inside the same transaction, so no other desk ever sees them missing.
            let rows = sqlx::query(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL",
            )
            .fetch_all(&mut *tx)
            .await?;
            for row in rows {
                let name: String = row.try_get("name")?;
                triggers.push(row.try_get("sql")?);
                exec(&mut tx, &format!("DROP TRIGGER {}", tables::quote(&name))).await?;
            }
            exec(&mut tx, "PRAGMA defer_foreign_keys = ON").await?;
            for t in target_tables.iter().rev() {
                exec(&mut tx, &format!("DELETE FROM {}", tables::quote(&t.name))).await?;
            }
        }
        Backend::Postgres => {
            // TRUNCATE fires no row triggers: the append-only rule stands for everyone else.
            let names: Vec<String> = target_tables
                .iter()
                .map(|t| tables::quote(&t.name))
                .collect();
            if !names.is_empty() {
                exec(
                    &mut tx,
                    &format!("TRUNCATE {} RESTART IDENTITY", names.join(", ")),
                )
                .await?;
            }
        }
    }
    for t in &target_tables {
        let Some(s) = source_tables.iter().find(|s| s.name == t.name) else {
            continue;
        };
        let columns: Vec<Column> = t
            .columns
            .iter()
            .filter(|c| s.position(&c.name).is_some())
            .cloned()
            .collect();
        let shared = Table {
            name: t.name.clone(),
            columns,
        };
        let mut inserter = Inserter::new(shared.clone(), false);
        let sql = tables::select_sql(&shared);
        let mut rows = sqlx::query(&sql).fetch(&mut *src);
        while let Some(row) = rows.try_next().await? {
            inserter
                .push(&mut tx, tables::decode(&row, &shared)?)
                .await?;
        }
        drop(rows);
        inserter.flush(&mut tx).await?;
        if target.backend() == Backend::Postgres && t.position("id").is_some() {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE((SELECT MAX(id) FROM {}), 0) + 1, false)",
                tables::quote(&t.name)
            ))
            .bind(t.name.clone())
            .execute(&mut *tx)
            .await?;
        }
    }
    for sql in triggers {
        exec(&mut tx, &sql).await?;
    }
    let lost_numbers = counters_before.keep_higher(&mut tx).await?;
    super::settings::renew_versions(&mut tx).await?;
    let heads = chain_heads(&mut tx).await?;
    let accounts = account_changes(&accounts_before, &account_states(&mut tx).await?);
    let subject = restored.file.display().to_string();
    access_log::append(
        &mut tx,
        crate::vntime::now(),
        restored.actor,
        AccessKind::Restored,
        &subject,
        serde_json::json!({
            "sha256": restored.sha256,
            "heads": heads,
            "accounts": accounts,
            "lost_numbers": lost_numbers,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(Swapped { heads, accounts })
}

/// The automatic backups in `dir`: (file name, path), newest first.
fn daily_files(dir: &Path) -> CoreResult<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).map_err(file_error(dir))? {
        let entry = entry.map_err(file_error(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("motcua-") else {
            continue;
        };
        let Some((date, ext)) = rest.split_once('.') else {
            continue;
        };
        if NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok() && matches!(ext, "db" | "jsonl") {
            found.push((name, entry.path()));
        }
    }
    found.sort_by(|a, b| b.0.cmp(&a.0));
    Ok(found)
}

/// Removes the oldest automatic backups beyond `keep`.
fn prune(dir: &Path, keep: usize) -> CoreResult<()> {
    for (_, path) in daily_files(dir)?.into_iter().skip(keep) {
        fs::remove_file(&path).map_err(file_error(&path))?;
        let heads = heads_path(&path);
        if heads.exists() {
            fs::remove_file(&heads).map_err(file_error(&heads))?;
        }
        let scans = super::scans::backup_scans_dir(&path);
        if scans.exists() {
            fs::remove_dir_all(&scans).map_err(file_error(&scans))?;
        }
    }
    Ok(())
}

/// Where a daily backup's chain heads are noted.
fn heads_path(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".heads.json");
    PathBuf::from(name)
}

/// Writes the heads beside the backup, readable by its owner only like the backup itself.
fn write_heads(backup: &Path, heads: &[crate::audit::ChainHead]) -> CoreResult<()> {
    let path = heads_path(backup);
    let json = serde_json::to_vec_pretty(heads).map_err(|e| CoreError::Json(e.to_string()))?;
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path).map_err(file_error(&path))?;
    file.write_all(&json).map_err(file_error(&path))?;
    file.sync_all().map_err(file_error(&path))
}
