//! The store's errors: a database that fails (sorted where sqlx's error enters the core
//! into what a person can act on: offline, disk full, read-only, TLS, refused), and a schema
//! or role that does not fit (too new, behind, not granted, not the owner). In the language
//! tables (`error.*`).

use crate::i18n::{display_in_vietnamese, t, tf, Lang, Localized};

/// A database that did not do what was asked.
#[derive(Debug)]
pub enum DatabaseError {
    Database(sqlx::Error),
    /// The database server cannot be reached (stopped, restarting, network down). Nothing
    /// of the failed action was written; the same store carries on once it is back.
    Offline {
        detail: String,
    },
    DiskFull,
    ReadOnly {
        detail: String,
    },
    /// The encrypted connection could not be made (wrong CA, name mismatch, no TLS).
    Tls {
        detail: String,
    },
    /// The server refused an action to this role (SQLSTATE 42501).
    PermissionDenied {
        detail: String,
    },
    Migration(sqlx::migrate::MigrateError),
}

impl std::error::Error for DatabaseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DatabaseError::Database(e) => Some(e),
            DatabaseError::Migration(e) => Some(e),
            _ => None,
        }
    }
}
display_in_vietnamese!(DatabaseError);

impl Localized for DatabaseError {
    fn kind(&self) -> &'static str {
        match self {
            DatabaseError::Database(_) => "database",
            DatabaseError::Offline { .. } => "offline",
            DatabaseError::DiskFull => "disk_full",
            DatabaseError::ReadOnly { .. } => "read_only",
            DatabaseError::Tls { .. } => "tls",
            DatabaseError::PermissionDenied { .. } => "permission_denied",
            DatabaseError::Migration(_) => "migration",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            DatabaseError::Database(e) => tf(lang, "error.database", &[("detail", &e.to_string())]),
            DatabaseError::Offline { detail } => tf(lang, "error.offline", &[("detail", detail)]),
            DatabaseError::DiskFull => t(lang, "error.disk_full"),
            DatabaseError::ReadOnly { detail } => {
                tf(lang, "error.read_only", &[("detail", detail)])
            }
            DatabaseError::Tls { detail } => tf(lang, "error.tls", &[("detail", detail)]),
            DatabaseError::PermissionDenied { detail } => {
                tf(lang, "error.permission_denied", &[("detail", detail)])
            }
            DatabaseError::Migration(e) => {
                tf(lang, "error.migration", &[("detail", &e.to_string())])
            }
        }
    }
}

/// Sorts a database error into what a person can act on: the server is gone, the disk is
/// full, the file cannot be written, or something else.
impl From<sqlx::Error> for DatabaseError {
    fn from(e: sqlx::Error) -> Self {
        classify(e)
    }
}

impl From<sqlx::migrate::MigrateError> for DatabaseError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        match e {
            sqlx::migrate::MigrateError::Execute(inner) => match classify(inner) {
                DatabaseError::Database(inner) => {
                    DatabaseError::Migration(sqlx::migrate::MigrateError::Execute(inner))
                }
                other => other,
            },
            other => DatabaseError::Migration(other),
        }
    }
}

/// SQLite primary result codes (the low byte of an extended code).
const SQLITE_READONLY: i64 = 8;
const SQLITE_FULL: i64 = 13;
const SQLITE_CANTOPEN: i64 = 14;
/// SQLITE_IOERR_WRITE, _FSYNC, _TRUNCATE, _SHMSIZE: what a write to a full disk reports
/// when it is not SQLITE_FULL.
const SQLITE_IOERR_ON_FULL_DISK: [i64; 4] = [778, 1034, 1546, 4874];

fn classify(e: sqlx::Error) -> DatabaseError {
    use sqlx::error::DatabaseError as _;
    match &e {
        sqlx::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::StorageFull => DatabaseError::DiskFull,
            std::io::ErrorKind::ReadOnlyFilesystem => DatabaseError::ReadOnly {
                detail: io.to_string(),
            },
            // What the TLS layer says of a handshake it refused (an unknown CA, a name the
            // certificate does not carry): the server answered, so it is not offline.
            std::io::ErrorKind::InvalidData => DatabaseError::Tls {
                detail: io.to_string(),
            },
            _ => DatabaseError::Offline {
                detail: io.to_string(),
            },
        },
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => DatabaseError::Offline {
            detail: e.to_string(),
        },
        sqlx::Error::Tls(tls) => DatabaseError::Tls {
            detail: tls.to_string(),
        },
        sqlx::Error::Database(db) => {
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                let code = pg.code();
                // 08: connection exceptions; 57P01–57P03: the server is shutting down or
                // starting; 53100: disk full; 25006: a read-only transaction (a standby).
                if code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03") {
                    return DatabaseError::Offline {
                        detail: pg.message().to_string(),
                    };
                }
                if code == "53100" {
                    return DatabaseError::DiskFull;
                }
                if code == "42501" {
                    return DatabaseError::PermissionDenied {
                        detail: pg.message().to_string(),
                    };
                }
                if code == "25006" {
                    return DatabaseError::ReadOnly {
                        detail: pg.message().to_string(),
                    };
                }
            } else if let Some(lite) = db.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
                let code: i64 = lite.code().and_then(|c| c.parse().ok()).unwrap_or_default();
                if code & 0xff == SQLITE_FULL || SQLITE_IOERR_ON_FULL_DISK.contains(&code) {
                    return DatabaseError::DiskFull;
                }
                if code & 0xff == SQLITE_READONLY || code & 0xff == SQLITE_CANTOPEN {
                    return DatabaseError::ReadOnly {
                        detail: lite.message().to_string(),
                    };
                }
            }
            DatabaseError::Database(e)
        }
        _ => DatabaseError::Database(e),
    }
}

/// A schema or a PostgreSQL role that does not fit what this version or this action needs.
#[derive(Debug)]
pub enum SchemaError {
    TooNew {
        found: i64,
        supported: i64,
    },
    /// A desk's role may not change the schema: the owner brings it up to date.
    Behind {
        found: i64,
        supported: i64,
    },
    /// The schema exists but this role was given no rights on it.
    NotGranted {
        role: String,
    },
    /// Migrating the schema or granting rights needs the owner's connection.
    NotOwner {
        role: String,
    },
    RoleNotFound {
        role: String,
    },
    /// A desk role that owns the schema (or is a superuser) would keep every right.
    DeskRoleIsOwner {
        role: String,
    },
    RolesPostgresOnly,
}

impl std::error::Error for SchemaError {}
display_in_vietnamese!(SchemaError);

impl Localized for SchemaError {
    fn kind(&self) -> &'static str {
        match self {
            SchemaError::TooNew { .. } => "schema_too_new",
            SchemaError::Behind { .. } => "schema_behind",
            SchemaError::NotGranted { .. } => "not_granted",
            SchemaError::NotOwner { .. } => "not_owner",
            SchemaError::RoleNotFound { .. } => "role_not_found",
            SchemaError::DeskRoleIsOwner { .. } => "desk_role_is_owner",
            SchemaError::RolesPostgresOnly => "roles_postgres_only",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let versions = |key: &str, found: &i64, supported: &i64| {
            tf(
                lang,
                key,
                &[
                    ("found", &found.to_string()),
                    ("supported", &supported.to_string()),
                ],
            )
        };
        match self {
            SchemaError::TooNew { found, supported } => {
                versions("error.schema_too_new", found, supported)
            }
            SchemaError::Behind { found, supported } => {
                versions("error.schema_behind", found, supported)
            }
            SchemaError::NotGranted { role } => tf(lang, "error.not_granted", &[("role", role)]),
            SchemaError::NotOwner { role } => tf(lang, "error.not_owner", &[("role", role)]),
            SchemaError::RoleNotFound { role } => {
                tf(lang, "error.role_not_found", &[("role", role)])
            }
            SchemaError::DeskRoleIsOwner { role } => {
                tf(lang, "error.desk_role_is_owner", &[("role", role)])
            }
            SchemaError::RolesPostgresOnly => t(lang, "error.roles_postgres_only"),
        }
    }
}
