//! The dossier store: one implementation over sqlx's `Any` driver, so the same SQL text runs
//! on an embedded SQLite file (a commune computer) and on PostgreSQL (a centre's desks).
//! Instants are stored as UTC milliseconds and flags as integers, the types both engines
//! share; the few statements that differ branch on `Backend`.

mod access_log;
mod accounts;
mod audit;
pub mod backup;
mod bulk;
mod calendar;
mod catalog;
mod chain;
mod dashboard;
mod delivery;
mod dossiers;
mod error;
mod events;
mod forms;
mod health;
mod intake;
mod lifecycle;
mod looks;
mod outbox;
mod public;
mod record_log;
pub use record_log::RecordEntry;
mod register;
mod report;
mod roles;
mod rows;
mod scan_text;
mod scans;
mod settings;
mod slips;
mod state;
pub mod tables;
pub mod transfer;
mod transfers;

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};

use crate::calendar::{CalendarRules, WorkCalendar};
use crate::error::{CoreError, CoreResult};
use crate::procedure::Procedure;

pub use access_log::{AccessEntry, AccessKind};
pub use backup::{
    verify_backup, AccountChange, AccountDifference, BackupReport, ChainHead, RestoreReport,
    Unmarked,
};
pub use bulk::BulkDossier;
pub use delivery::PostalState;
pub use dossiers::{ListFilter, SearchHit, Worklist};
pub use error::{DatabaseError, SchemaError};
pub use events::Event;
pub use forms::IssuedForm;
pub use health::{Gap, Health};
pub use looks::is_number_search;
pub use outbox::{backoff, DestinationStatus};
pub use roles::{DeskGrant, SchemaReport};
pub use scan_text::{TextFailure, TextOutcome, TextStatus};
pub use scans::{NewScan, ScanRecord, ScanSettings};
pub use settings::{
    parse_listen_address, split_authorities, FormInSet, FormSetInForce, AUTHORITIES, CONTACT,
    DESK_PHONE, DESK_SETTINGS, FORM_SET, IDLE_LOCK_MINUTES, LANGUAGE, NAMED_SETTINGS,
    NATIONAL_PORTAL, OFFICE_LABEL, SCANNER_PORT, STATUS_SERVER,
};
pub use slips::{IssuedReceipt, ReceiptWording, ScanResult, TagCheck, FORM_CITATION, LOOKUP_HINT};

/// FULL: a dossier whose intake returned success survives a power cut. The busy timeout
/// lets several desk processes share a file.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 60000;";

/// The migration from which the chains cover the records themselves (`record_log`,
/// `events.state_hash`).
const COVERED_RECORDS: i64 = 9;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Who is acting: recorded on every event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub desk: String,
}

impl Actor {
    pub fn new(name: impl Into<String>, desk: impl Into<String>) -> Self {
        Actor {
            name: name.into(),
            desk: desk.into(),
        }
    }
}

/// The last calendar built, by notices version and rules (see `Store::calendar_at`).
type CalendarCache = Arc<Mutex<Option<(String, CalendarRules, Arc<WorkCalendar>)>>>;
/// The settings an intake reads, checked by their version inside its transaction.
type SettingsCache = Arc<Mutex<Option<settings::IntakeSettings>>>;
/// The catalog by procedure code, by catalog version (see `Store::procedure_at`).
type CatalogCache = Arc<Mutex<Option<(String, Arc<HashMap<String, Procedure>>)>>>;

#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    calendar_cache: CalendarCache,
    catalog_cache: CatalogCache,
    settings_cache: SettingsCache,
    /// Who the record log names for changes to settings, the catalog and the calendar
    /// (`acting_as`); the store itself when nobody is.
    acting: Option<Actor>,
    /// The SQLite file, whose folder holds the digitised papers (`store/scans.rs`).
    sqlite_file: Option<std::path::PathBuf>,
}

pub(crate) fn migrator(backend: Backend) -> &'static Migrator {
    match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    }
}

/// The newest schema this version of the app knows.
pub fn supported_version() -> i64 {
    SQLITE_MIGRATIONS
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

/// A database location: a PostgreSQL URL, or a path to an SQLite file.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// A pool with no background reaper: sqlx 0.8.6's reaper can read a wrapped idle count and
/// spin a core forever, which hung a CLI command at exit (sqlx issue #3645, fixed upstream
/// after 0.8.6). SQLite connections never go stale, and PostgreSQL's are checked before
/// each use, so closing idle ones on a timer buys a desk nothing.
fn without_reaper(options: AnyPoolOptions) -> AnyPoolOptions {
    options
        .idle_timeout(None)
        .max_lifetime(None)
        .min_connections(0)
}

fn sqlite_url(path: &Path) -> String {
    sqlite_url_mode(path, "rwc")
}

/// The folder of a database file and the file itself, private before SQLite first opens
/// it (see `private_fs::prepare_database`).
fn prepare_sqlite_file(path: &Path) -> CoreResult<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        crate::private_fs::create_dir(parent).map_err(|source| CoreError::File {
            path: parent.display().to_string(),
            source,
        })?;
    }
    crate::private_fs::prepare_database(path);
    Ok(())
}

/// `mode` is SQLite's: `ro`, `rw` or `rwc` (create if missing).
pub(crate) fn sqlite_url_mode(path: &Path, mode: &str) -> String {
    // Percent-encode everything but unreserved characters and '/', so that spaces, '?' and
    // '#' in a folder name survive URL parsing (sqlx decodes them again).
    let raw = path.to_string_lossy();
    let mut encoded = String::with_capacity(raw.len());
    for b in raw.as_bytes() {
        match *b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                encoded.push(char::from(*b))
            }
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    format!("sqlite://{encoded}?mode={mode}")
}

/// One connection to a PostgreSQL URL, for a question asked before the store is opened.
async fn connect_one(url: &str) -> CoreResult<AnyConnection> {
    sqlx::any::install_default_drivers();
    let options = AnyConnectOptions::from_str(url)?;
    Ok(AnyConnection::connect_with(&options).await?)
}

impl Store {
    /// Opens (creating if needed) and migrates the database. A database written by a newer
    /// version of the app is refused rather than damaged.
    pub async fn open(location: &str) -> CoreResult<Store> {
        sqlx::any::install_default_drivers();
        let (url, backend) = if is_postgres_url(location) {
            (location.to_string(), Backend::Postgres)
        } else {
            let path = Path::new(location);
            prepare_sqlite_file(path)?;
            (sqlite_url(path), Backend::Sqlite)
        };
        let sqlite_file = (backend == Backend::Sqlite)
            .then(|| std::path::absolute(location).unwrap_or_else(|_| location.into()));
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = match backend {
            Backend::Sqlite => {
                // The pool retries a failing connection until its timeout and then says only
                // that it timed out; one connection first lets a read-only or full disk, or
                // a damaged file, be told for what it is, at once.
                let mut probe = AnyConnection::connect_with(&options).await?;
                let probed = probe.execute(SQLITE_PRAGMAS).await;
                let _ = probe.close().await;
                probed?;
                // A file cannot drop the connection: no ping (a round trip) before each use.
                without_reaper(AnyPoolOptions::new())
                    .acquire_timeout(Duration::from_secs(30))
                    .max_connections(4)
                    .test_before_acquire(false)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute(SQLITE_PRAGMAS).await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                // A stopped server is retried until this timeout, then reported as offline:
                // long enough to ride out a restart, short enough for a clerk to be told.
                without_reaper(AnyPoolOptions::new())
                    .acquire_timeout(Duration::from_secs(5))
                    .max_connections(8)
                    .connect_with(options)
                    .await?
            }
        };
        let store = Store {
            pool,
            backend,
            calendar_cache: CalendarCache::default(),
            catalog_cache: CatalogCache::default(),
            settings_cache: SettingsCache::default(),
            acting: None,
            sqlite_file,
        };
        let before = store.applied_version().await?;
        store.migrate().await?;
        // Only the open that brings a database to the covered chains (0009) seals and
        // baselines them; every later open writes nothing to the chains' heads.
        if before.is_none_or(|v| v < COVERED_RECORDS) {
            store.seal_chains().await?;
            if before.is_some() {
                store.baseline_states().await?;
            }
        }
        store.seed().await?;
        Ok(store)
    }

    /// Whether `location` can be reached, without changing it: a PostgreSQL server is asked
    /// one question (no tables are made; the desk's next start prepares them), an SQLite
    /// file is opened (created empty if missing, as the desk would). A server that does
    /// not answer within five seconds is offline.
    pub async fn probe(location: &str) -> CoreResult<()> {
        sqlx::any::install_default_drivers();
        let url = if is_postgres_url(location) {
            location.to_string()
        } else {
            let path = Path::new(location);
            prepare_sqlite_file(path)?;
            sqlite_url(path)
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let asked = async {
            let mut conn = AnyConnection::connect_with(&options).await?;
            let answered = sqlx::query_scalar::<_, i64>("SELECT 1")
                .fetch_one(&mut conn)
                .await;
            let _ = conn.close().await;
            answered.map(|_| ())
        };
        match tokio::time::timeout(Duration::from_secs(5), asked).await {
            Ok(result) => Ok(result?),
            Err(_) => Err(CoreError::from(sqlx::Error::PoolTimedOut)),
        }
    }

    /// Brings the schema up to date. On PostgreSQL a desk's role may not change the schema
    /// (see `roles`): a current schema is used as it is, without DDL or the migrator's
    /// lock, and one that is behind is refused with what the administrator must run.
    async fn migrate(&self) -> CoreResult<()> {
        let migrator = migrator(self.backend);
        let supported = supported_version();
        let found = self.applied_version().await?;
        if let Some(found) = found {
            if found > supported {
                return Err(CoreError::Schema(SchemaError::TooNew { found, supported }));
            }
        }
        if self.backend == Backend::Sqlite {
            migrator.run(&self.pool).await?;
            return Ok(());
        }
        if found == Some(supported) {
            return Ok(());
        }
        let mut conn = self.pool.acquire().await?;
        if !roles::owns_schema(&mut conn).await? {
            if found.is_none() && roles::schema_exists(&mut conn).await? {
                return Err(CoreError::Schema(SchemaError::NotGranted {
                    role: roles::current_role(&mut conn).await?,
                }));
            }
            return Err(CoreError::Schema(SchemaError::Behind {
                found: found.unwrap_or(0),
                supported,
            }));
        }
        migrator.run(&mut *conn).await?;
        // Tables the migrations added are granted to the desks at once.
        roles::regrant_desks(&mut conn).await?;
        Ok(())
    }

    /// The newest migration recorded in the database, if it has been migrated before.
    async fn applied_version(&self) -> CoreResult<Option<i64>> {
        let exists_sql = match self.backend {
            Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
            Backend::Postgres => "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '_sqlx_migrations'",
        };
        let exists: i64 = sqlx::query_scalar(exists_sql).fetch_one(&self.pool).await?;
        if exists == 0 {
            return Ok(None);
        }
        let version: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&self.pool)
                .await
                .or_else(|_| Ok::<_, sqlx::Error>(None))?;
        Ok(version)
    }

    /// First run: the starter catalog, the known calendar notices and the 2025 form set.
    async fn seed(&self) -> CoreResult<()> {
        if self.get_setting(settings::SEEDED).await?.is_none() {
            let mut tx = self.pool.begin().await?;
            // Claim the seed first so that two desks starting together seed once.
            let claimed = sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, '1') ON CONFLICT (key) DO NOTHING",
            )
            .bind(settings::SEEDED)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 1 {
                // A new office prints the 2025 forms; a database from before this setting
                // existed has none and keeps the 2018 set (`Store::form_set`).
                sqlx::query(
                    "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                )
                .bind(settings::FORM_SET)
                .bind(crate::form_set::FormSet::Tt03_2025.as_str())
                .execute(&mut *tx)
                .await?;
                let actor = record_log::system();
                for (i, p) in crate::procedure::starter_catalog().iter().enumerate() {
                    catalog::upsert(&mut tx, p, i64::try_from(i).unwrap_or(0), &actor).await?;
                }
                for n in crate::calendar::seed_notices() {
                    calendar::insert_notice(&mut tx, &n, &actor).await?;
                }
                self.baseline_records(&mut tx, &record_log::system())
                    .await?;
            }
            tx.commit().await?;
        }
        Ok(())
    }

    /// Whether the database answers now: for a window that shows it is offline.
    pub async fn ping(&self) -> CoreResult<()> {
        sqlx::query_scalar::<_, i64>("SELECT 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(())
    }

    /// The schema version this database is at.
    pub async fn schema_version(&self) -> CoreResult<i64> {
        Ok(self.applied_version().await?.unwrap_or(0))
    }

    /// The same store, recording `actor` in the record log for the changes to settings, the
    /// procedure catalog and the calendar notices made through it (the desk's signed-in
    /// account, or the CLI's actor). It shares the connections and caches.
    pub fn acting_as(&self, actor: Actor) -> Store {
        Store {
            acting: Some(actor),
            ..self.clone()
        }
    }

    /// Who the record log names for a change made through this store.
    pub(super) fn record_actor(&self) -> Actor {
        self.acting.clone().unwrap_or_else(record_log::system)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// `PRAGMA integrity_check` on SQLite; on PostgreSQL the server guards its own pages.
    pub async fn integrity_check(&self) -> CoreResult<bool> {
        match self.backend {
            Backend::Sqlite => {
                let result: String = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(result == "ok")
            }
            Backend::Postgres => Ok(true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Store;

    #[tokio::test]
    async fn the_pool_has_no_reaper_to_spin() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        let store = Store::open(path.to_str().unwrap()).await.unwrap();
        let options = store.pool().options();
        assert_eq!(options.get_idle_timeout(), None);
        assert_eq!(options.get_max_lifetime(), None);
        assert_eq!(options.get_min_connections(), 0);
        store.pool().close().await;
    }
}
