//! The dossier store: one implementation over sqlx's `Any` driver, so the same SQL text runs
//! on an embedded SQLite file (a commune computer) and on PostgreSQL (a centre's desks).
//! Instants are stored as UTC milliseconds and flags as integers, the types both engines
//! share; the few statements that differ branch on `Backend`.

mod bulk;
mod calendar;
mod catalog;
mod dossiers;
mod events;
mod intake;
mod lifecycle;
mod report;
mod rows;
mod settings;
mod slips;

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

use crate::calendar::{CalendarRules, WorkCalendar};
use crate::error::{CoreError, CoreResult};
use crate::procedure::Procedure;

pub use bulk::BulkDossier;
pub use dossiers::{ListFilter, SearchHit};
pub use events::Event;
pub use settings::NAMED_SETTINGS;
pub use slips::{IssuedReceipt, ScanResult, TagCheck, FORM_CITATION, LOOKUP_HINT};

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
}

/// A database location: a PostgreSQL URL, or a path to an SQLite file.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

fn sqlite_url(path: &Path) -> String {
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
    format!("sqlite://{encoded}?mode=rwc")
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
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|source| CoreError::File {
                    path: parent.display().to_string(),
                    source,
                })?;
            }
            (sqlite_url(path), Backend::Sqlite)
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool_options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        let pool = match backend {
            Backend::Sqlite => {
                // A file cannot drop the connection: no ping (a round trip) before each use.
                pool_options
                    .max_connections(4)
                    .test_before_acquire(false)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // FULL: a dossier whose intake returned success survives a power
                            // cut. The busy timeout lets several desk processes share a file.
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 60000;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                pool_options
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
        };
        store.migrate().await?;
        store.seed().await?;
        Ok(store)
    }

    async fn migrate(&self) -> CoreResult<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let supported = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        if let Some(found) = self.applied_version().await? {
            if found > supported {
                return Err(CoreError::SchemaTooNew { found, supported });
            }
        }
        migrator.run(&self.pool).await?;
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

    /// First run: the starter catalog and the known calendar notices.
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
                for (i, p) in crate::procedure::starter_catalog().iter().enumerate() {
                    catalog::upsert(&mut tx, p, i64::try_from(i).unwrap_or(0)).await?;
                }
                for n in crate::calendar::seed_notices() {
                    calendar::insert_notice(&mut tx, &n).await?;
                }
            }
            tx.commit().await?;
        }
        Ok(())
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
