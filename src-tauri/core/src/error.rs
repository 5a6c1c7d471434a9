//! Errors of the core. Each one can say itself in the user's language: Vietnamese is its
//! `Display`, `message(Lang::En)` gives English. Validation errors name the field.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::accounts::Action;
use crate::audit::AuditReport;
use crate::calendar::CalendarError;
use crate::i18n::{t, tf, Lang};

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    ForbiddenChars,
    NotAName,
    IdNumber,
    Phone,
    Email,
    OutOfRange {
        min: i64,
        max: i64,
    },
    TooMany {
        max: usize,
    },
    UnknownProcedure {
        code: String,
    },
    InactiveProcedure {
        code: String,
    },
    AgencyCode,
    ProcedureCode,
    DateTime,
    Date,
    Time,
    Invalid {
        detail: String,
    },
    LookupUrl,
    AccountName,
    PasswordTooShort {
        min: usize,
    },
    PasswordOneClass,
    PasswordIsName,
    ScannerPort,
    /// A time that must come after another (a new appointment after the current one).
    NotAfter {
        when: String,
    },
    /// A date that must be a working day.
    DayOff {
        date: String,
    },
    /// The same dossier named twice in one list.
    Repeated {
        value: String,
    },
    /// Not an SQLite file's absolute path nor a `postgres://` URL naming a server.
    DatabaseLocation,
    /// A moment only the desk's clock may set (the reception time in the window).
    ClockOnly,
    /// A document ticked as taken from data that the catalog does not mark as obtainable so.
    NotFromData {
        document: String,
    },
    /// A document taken from data given counts of originals or copies.
    DataNotPaper {
        document: String,
    },
    /// A competent authority named for a procedure not receivable at any desk.
    NotAnyDesk,
    /// A competent authority the office's list does not hold.
    UnknownAuthority {
        name: String,
    },
    /// Mẫu 02 asking for a document the dossier took from a database or VNeID.
    TakenFromData {
        document: String,
    },
}

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Problem::Required => t(lang, "problem.required"),
            Problem::TooLong { max } => tf(lang, "problem.too_long", &[("max", &max.to_string())]),
            Problem::ForbiddenChars => t(lang, "problem.forbidden_chars"),
            Problem::NotAName => t(lang, "problem.not_a_name"),
            Problem::IdNumber => t(lang, "problem.id_number"),
            Problem::Phone => t(lang, "problem.phone"),
            Problem::Email => t(lang, "problem.email"),
            Problem::OutOfRange { min, max } => tf(
                lang,
                "problem.out_of_range",
                &[("min", &min.to_string()), ("max", &max.to_string())],
            ),
            Problem::TooMany { max } => tf(lang, "problem.too_many", &[("max", &max.to_string())]),
            Problem::UnknownProcedure { code } => {
                tf(lang, "problem.unknown_procedure", &[("code", code)])
            }
            Problem::InactiveProcedure { code } => {
                tf(lang, "problem.inactive_procedure", &[("code", code)])
            }
            Problem::AgencyCode => t(lang, "problem.agency_code"),
            Problem::ProcedureCode => t(lang, "problem.procedure_code"),
            Problem::DateTime => t(lang, "problem.datetime"),
            Problem::Date => t(lang, "problem.date"),
            Problem::Time => t(lang, "problem.time"),
            Problem::Invalid { detail } => tf(lang, "problem.invalid", &[("detail", detail)]),
            Problem::LookupUrl => t(lang, "problem.lookup_url"),
            Problem::AccountName => t(lang, "problem.account_name"),
            Problem::PasswordTooShort { min } => tf(
                lang,
                "problem.password_too_short",
                &[("min", &min.to_string())],
            ),
            Problem::PasswordOneClass => t(lang, "problem.password_one_class"),
            Problem::PasswordIsName => t(lang, "problem.password_is_name"),
            Problem::ScannerPort if cfg!(windows) => t(lang, "problem.scanner_port_windows"),
            Problem::ScannerPort => t(lang, "problem.scanner_port"),
            Problem::NotAfter { when } => tf(lang, "problem.not_after", &[("when", when)]),
            Problem::DayOff { date } => tf(lang, "problem.day_off", &[("date", date)]),
            Problem::Repeated { value } => tf(lang, "problem.repeated", &[("value", value)]),
            Problem::DatabaseLocation => t(lang, "problem.database_location"),
            Problem::ClockOnly => t(lang, "problem.clock_only"),
            Problem::NotFromData { document } => {
                tf(lang, "problem.not_from_data", &[("document", document)])
            }
            Problem::DataNotPaper { document } => {
                tf(lang, "problem.data_not_paper", &[("document", document)])
            }
            Problem::NotAnyDesk => t(lang, "problem.not_any_desk"),
            Problem::UnknownAuthority { name } => {
                tf(lang, "problem.unknown_authority", &[("name", name)])
            }
            Problem::TakenFromData { document } => {
                tf(lang, "problem.taken_from_data", &[("document", document)])
            }
        }
    }
}

/// A problem with a named field. `field` is a path such as `applicant.id_number` or
/// `documents[2].name`; its label comes from the language table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }

    pub fn label(&self, lang: Lang) -> String {
        field_label(&self.field, lang)
    }

    pub fn message(&self, lang: Lang) -> String {
        format!("{}: {}", self.label(lang), self.problem.message(lang))
    }
}

/// "documents[2].name" → "Giấy tờ số 3 – tên"; the table holds `field.documents.name`.
pub fn field_label(path: &str, lang: Lang) -> String {
    let mut key = String::from("field.");
    let mut index: Option<usize> = None;
    for part in path.split('.') {
        if !key.ends_with('.') {
            key.push('.');
        }
        match part.split_once('[') {
            Some((name, rest)) => {
                key.push_str(name);
                index = rest.trim_end_matches(']').parse::<usize>().ok();
            }
            None => key.push_str(part),
        }
    }
    let label = t(lang, &key);
    match index {
        Some(i) => tf(
            lang,
            "field.numbered",
            &[("label", &label), ("n", &(i + 1).to_string())],
        ),
        None => label,
    }
}

fn join_messages(errors: &[FieldError], lang: Lang) -> String {
    errors
        .iter()
        .map(|e| e.message(lang))
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{}", join_messages(.0, Lang::Vi))]
    Invalid(Vec<FieldError>),
    #[error("{}", t(Lang::Vi, "error.not_set_up"))]
    NotSetUp,
    #[error("{}", tf(Lang::Vi, "error.dossier_not_found", &[("code", .code)]))]
    DossierNotFound { code: String },
    #[error("{}", tf(Lang::Vi, "error.procedure_not_found", &[("code", .code)]))]
    ProcedureNotFound { code: String },
    #[error("{}", tf(Lang::Vi, "error.changed_by_someone_else", &[("code", .code)]))]
    Conflict { code: String },
    #[error("{}", tf(Lang::Vi, "error.schema_too_new", &[("found", &.found.to_string()), ("supported", &.supported.to_string())]))]
    SchemaTooNew { found: i64, supported: i64 },
    /// A desk's role may not change the schema: the owner brings it up to date.
    #[error("{}", tf(Lang::Vi, "error.schema_behind", &[("found", &.found.to_string()), ("supported", &.supported.to_string())]))]
    SchemaBehind { found: i64, supported: i64 },
    /// The schema exists but this role was given no rights on it.
    #[error("{}", tf(Lang::Vi, "error.not_granted", &[("role", .role)]))]
    NotGranted { role: String },
    /// Migrating the schema or granting rights needs the owner's connection.
    #[error("{}", tf(Lang::Vi, "error.not_owner", &[("role", .role)]))]
    NotOwner { role: String },
    #[error("{}", tf(Lang::Vi, "error.role_not_found", &[("role", .role)]))]
    RoleNotFound { role: String },
    /// A desk role that owns the schema (or is a superuser) would keep every right.
    #[error("{}", tf(Lang::Vi, "error.desk_role_is_owner", &[("role", .role)]))]
    DeskRoleIsOwner { role: String },
    #[error("{}", t(Lang::Vi, "error.roles_postgres_only"))]
    RolesPostgresOnly,
    /// The server refused an action to this role (SQLSTATE 42501).
    #[error("{}", tf(Lang::Vi, "error.permission_denied", &[("detail", .detail)]))]
    PermissionDenied { detail: String },
    /// The encrypted connection could not be made (wrong CA, name mismatch, no TLS).
    #[error("{}", tf(Lang::Vi, "error.tls", &[("detail", .detail)]))]
    Tls { detail: String },
    /// A database to be moved whose chains do not verify: moving it would launder them.
    #[error("{}", source_broken_message(.0, Lang::Vi))]
    SourceAuditBroken(Box<crate::audit::AuditReport>),
    #[error("{0}")]
    Calendar(#[from] CalendarError),
    #[error("{}", tf(Lang::Vi, "error.database", &[("detail", &.0.to_string())]))]
    Database(sqlx::Error),
    /// The database server cannot be reached (stopped, restarting, network down). Nothing
    /// of the failed action was written; the same store carries on once it is back.
    #[error("{}", tf(Lang::Vi, "error.offline", &[("detail", .detail)]))]
    Offline { detail: String },
    #[error("{}", t(Lang::Vi, "error.disk_full"))]
    DiskFull,
    #[error("{}", tf(Lang::Vi, "error.read_only", &[("detail", .detail)]))]
    ReadOnly { detail: String },
    /// `reason` is a key of the language table (`backup.*`); `detail` is what was found.
    #[error("{}", backup_message(.path, .reason, .detail, Lang::Vi))]
    BackupInvalid {
        path: String,
        reason: &'static str,
        detail: String,
    },
    #[error("{}", transfer_conflict_message(.codes, *.total, Lang::Vi))]
    TransferConflict { codes: Vec<String>, total: usize },
    #[error("{}", tf(Lang::Vi, "error.migration", &[("detail", &.0.to_string())]))]
    Migration(sqlx::migrate::MigrateError),
    #[error("{}", tf(Lang::Vi, "error.file", &[("path", .path), ("detail", &.source.to_string())]))]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("{}", tf(Lang::Vi, "error.json", &[("detail", .0)]))]
    Json(String),
    #[error("{}", tf(Lang::Vi, "error.document", &[("detail", .0)]))]
    Document(String),
    #[error("{}", t(Lang::Vi, "error.not_a_slip"))]
    NotASlip,
    #[error("{}", tf(Lang::Vi, "error.forged_slip", &[("code", .code)]))]
    ForgedSlip { code: String },
    #[error("{0}")]
    Print(#[from] crate::printing::PrintError),
    /// A benchmark step that could not run (a helper program failed, no display).
    #[error("{}", tf(Lang::Vi, "error.bench", &[("detail", .0)]))]
    Bench(String),
    #[error("{}", .0.message(Lang::Vi))]
    NotAnIdCard(crate::idcard::NotACard),
    #[error("{}", transition_message(.code, *.from, *.to, Lang::Vi))]
    Transition {
        code: String,
        from: crate::status::Status,
        to: crate::status::Status,
    },
    /// A plain status move to 10: only the hand-over, which records the receiver, makes it.
    #[error("{}", tf(Lang::Vi, "error.handover_only", &[("code", .code)]))]
    HandoverOnly { code: String },
    #[error("{}", tf(Lang::Vi, "error.transfer_not_found", &[("id", &.id.to_string())]))]
    TransferNotFound { id: i64 },
    #[error("{}", tf(Lang::Vi, "error.not_posted", &[("code", .code)]))]
    NotPosted { code: String },
    /// A form number or name the form set in force does not have.
    #[error("{}", unknown_form_message(.0, Lang::Vi))]
    UnknownForm(crate::form_set::UnknownForm),
    #[error("{}", tf(Lang::Vi, "error.not_open", &[("code", .code), ("status", &.status.label(Lang::Vi))]))]
    NotOpen {
        code: String,
        status: crate::status::Status,
    },
    #[error("{}", t(Lang::Vi, "error.not_logged_in"))]
    NotLoggedIn,
    #[error("{}", t(Lang::Vi, "error.session_locked"))]
    SessionLocked,
    #[error("{}", forbidden_message(*.action, Lang::Vi))]
    Forbidden { action: Action },
    #[error("{}", t(Lang::Vi, "error.bad_credentials"))]
    BadCredentials,
    #[error("{}", tf(Lang::Vi, "error.account_locked", &[("until", &vn_clock(*.until))]))]
    AccountLocked { until: DateTime<Utc> },
    #[error("{}", tf(Lang::Vi, "error.account_disabled", &[("name", .name)]))]
    AccountDisabled { name: String },
    #[error("{}", tf(Lang::Vi, "error.account_not_found", &[("name", .name)]))]
    AccountNotFound { name: String },
    #[error("{}", tf(Lang::Vi, "error.account_exists", &[("name", .name)]))]
    AccountExists { name: String },
    #[error("{}", t(Lang::Vi, "error.accounts_exist"))]
    AccountsExist,
    #[error("{}", tf(Lang::Vi, "error.last_administrator", &[("name", .name)]))]
    LastAdministrator { name: String },
    #[error("{}", tf(Lang::Vi, "error.password_hash", &[("detail", .0)]))]
    PasswordHash(String),
    #[error("{}", .0.problems(Lang::Vi).join("\n"))]
    AuditBroken(Box<AuditReport>),
    /// A command of the CLI that needs an account, with nobody signed in on this computer.
    #[error("{}", t(Lang::Vi, "error.cli_login_required"))]
    CliLoginRequired,
    /// The CLI session went idle longer than `idle-lock-minutes`, or was ended elsewhere.
    #[error("{}", t(Lang::Vi, "error.cli_session_expired"))]
    CliSessionExpired,
    /// A file that must be private (a session, a password for a scheduled job) is readable
    /// by others or belongs to someone else.
    #[error("{}", tf(Lang::Vi, "error.not_private", &[("path", .path), ("mode", .mode)]))]
    NotPrivate { path: String, mode: String },
}

fn source_broken_message(report: &crate::audit::AuditReport, lang: Lang) -> String {
    let detail = match &report.first_broken {
        Some(broken) => broken.message(lang),
        None => t(lang, "error.source_audit_records"),
    };
    tf(lang, "error.source_audit_broken", &[("detail", &detail)])
}

fn forbidden_message(action: Action, lang: Lang) -> String {
    let roles: Vec<String> = action.roles().iter().map(|r| r.label(lang)).collect();
    tf(
        lang,
        "error.forbidden",
        &[
            ("action", &action.label(lang)),
            ("roles", &roles.join(", ")),
        ],
    )
}

/// "09:05:30 ngày 03/03/2027", Vietnam time.
fn vn_clock(instant: DateTime<Utc>) -> String {
    crate::vntime::to_vn(instant)
        .format("%H:%M:%S %d/%m/%Y")
        .to_string()
}

fn backup_message(path: &str, reason: &str, detail: &str, lang: Lang) -> String {
    tf(
        lang,
        "error.backup_invalid",
        &[
            ("path", path),
            ("reason", &tf(lang, reason, &[("detail", detail)])),
        ],
    )
}

fn transfer_conflict_message(codes: &[String], total: usize, lang: Lang) -> String {
    let mut list = codes.join(", ");
    if total > codes.len() {
        list.push_str(&tf(
            lang,
            "error.and_more",
            &[("n", &(total - codes.len()).to_string())],
        ));
    }
    tf(
        lang,
        "error.transfer_conflict",
        &[("n", &total.to_string()), ("codes", &list)],
    )
}

/// Sorts a database error into what a person can act on: the server is gone, the disk is
/// full, the file cannot be written, or something else.
impl From<sqlx::Error> for CoreError {
    fn from(e: sqlx::Error) -> Self {
        classify(e)
    }
}

impl From<sqlx::migrate::MigrateError> for CoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        match e {
            sqlx::migrate::MigrateError::Execute(inner) => match classify(inner) {
                CoreError::Database(inner) => {
                    CoreError::Migration(sqlx::migrate::MigrateError::Execute(inner))
                }
                other => other,
            },
            other => CoreError::Migration(other),
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

fn classify(e: sqlx::Error) -> CoreError {
    use sqlx::error::DatabaseError;
    match &e {
        sqlx::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::StorageFull => CoreError::DiskFull,
            std::io::ErrorKind::ReadOnlyFilesystem => CoreError::ReadOnly {
                detail: io.to_string(),
            },
            // What the TLS layer says of a handshake it refused (an unknown CA, a name the
            // certificate does not carry): the server answered, so it is not offline.
            std::io::ErrorKind::InvalidData => CoreError::Tls {
                detail: io.to_string(),
            },
            _ => CoreError::Offline {
                detail: io.to_string(),
            },
        },
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => CoreError::Offline {
            detail: e.to_string(),
        },
        sqlx::Error::Tls(tls) => CoreError::Tls {
            detail: tls.to_string(),
        },
        sqlx::Error::Database(db) => {
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                let code = pg.code();
                // 08: connection exceptions; 57P01–57P03: the server is shutting down or
                // starting; 53100: disk full; 25006: a read-only transaction (a standby).
                if code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03") {
                    return CoreError::Offline {
                        detail: pg.message().to_string(),
                    };
                }
                if code == "53100" {
                    return CoreError::DiskFull;
                }
                if code == "42501" {
                    return CoreError::PermissionDenied {
                        detail: pg.message().to_string(),
                    };
                }
                if code == "25006" {
                    return CoreError::ReadOnly {
                        detail: pg.message().to_string(),
                    };
                }
            } else if let Some(lite) = db.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
                let code: i64 = lite.code().and_then(|c| c.parse().ok()).unwrap_or_default();
                if code & 0xff == SQLITE_FULL || SQLITE_IOERR_ON_FULL_DISK.contains(&code) {
                    return CoreError::DiskFull;
                }
                if code & 0xff == SQLITE_READONLY || code & 0xff == SQLITE_CANTOPEN {
                    return CoreError::ReadOnly {
                        detail: lite.message().to_string(),
                    };
                }
            }
            CoreError::Database(e)
        }
        _ => CoreError::Database(e),
    }
}

fn transition_message(
    code: &str,
    from: crate::status::Status,
    to: crate::status::Status,
    lang: Lang,
) -> String {
    let allowed: Vec<String> = crate::lifecycle::next_statuses(from)
        .iter()
        .map(|s| format!("{} ({})", s.label(lang), s.code()))
        .collect();
    let allowed = if allowed.is_empty() {
        t(lang, "error.transition_final")
    } else {
        allowed.join(", ")
    };
    tf(
        lang,
        "error.transition",
        &[
            ("code", code),
            ("from", &from.label(lang)),
            ("to", &to.label(lang)),
            ("allowed", &allowed),
        ],
    )
}

impl CoreError {
    pub fn invalid(field: impl Into<String>, problem: Problem) -> Self {
        CoreError::Invalid(vec![FieldError::new(field, problem)])
    }

    /// The message in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::Vi) => self.to_string(),
            (CoreError::Invalid(errors), _) => join_messages(errors, lang),
            (CoreError::NotSetUp, _) => t(lang, "error.not_set_up"),
            (CoreError::DossierNotFound { code }, _) => {
                tf(lang, "error.dossier_not_found", &[("code", code)])
            }
            (CoreError::ProcedureNotFound { code }, _) => {
                tf(lang, "error.procedure_not_found", &[("code", code)])
            }
            (CoreError::Conflict { code }, _) => {
                tf(lang, "error.changed_by_someone_else", &[("code", code)])
            }
            (CoreError::SchemaTooNew { found, supported }, _) => tf(
                lang,
                "error.schema_too_new",
                &[
                    ("found", &found.to_string()),
                    ("supported", &supported.to_string()),
                ],
            ),
            (CoreError::SchemaBehind { found, supported }, _) => tf(
                lang,
                "error.schema_behind",
                &[
                    ("found", &found.to_string()),
                    ("supported", &supported.to_string()),
                ],
            ),
            (CoreError::NotGranted { role }, _) => tf(lang, "error.not_granted", &[("role", role)]),
            (CoreError::NotOwner { role }, _) => tf(lang, "error.not_owner", &[("role", role)]),
            (CoreError::RoleNotFound { role }, _) => {
                tf(lang, "error.role_not_found", &[("role", role)])
            }
            (CoreError::DeskRoleIsOwner { role }, _) => {
                tf(lang, "error.desk_role_is_owner", &[("role", role)])
            }
            (CoreError::RolesPostgresOnly, _) => t(lang, "error.roles_postgres_only"),
            (CoreError::PermissionDenied { detail }, _) => {
                tf(lang, "error.permission_denied", &[("detail", detail)])
            }
            (CoreError::Tls { detail }, _) => tf(lang, "error.tls", &[("detail", detail)]),
            (CoreError::SourceAuditBroken(report), _) => source_broken_message(report, lang),
            (CoreError::Calendar(e), _) => e.message_en(),
            (CoreError::Database(e), _) => {
                tf(lang, "error.database", &[("detail", &e.to_string())])
            }
            (CoreError::Offline { detail }, _) => tf(lang, "error.offline", &[("detail", detail)]),
            (CoreError::DiskFull, _) => t(lang, "error.disk_full"),
            (CoreError::ReadOnly { detail }, _) => {
                tf(lang, "error.read_only", &[("detail", detail)])
            }
            (
                CoreError::BackupInvalid {
                    path,
                    reason,
                    detail,
                },
                _,
            ) => backup_message(path, reason, detail, lang),
            (CoreError::TransferConflict { codes, total }, _) => {
                transfer_conflict_message(codes, *total, lang)
            }
            (CoreError::Migration(e), _) => {
                tf(lang, "error.migration", &[("detail", &e.to_string())])
            }
            (CoreError::File { path, source }, _) => tf(
                lang,
                "error.file",
                &[("path", path), ("detail", &source.to_string())],
            ),
            (CoreError::Json(detail), _) => tf(lang, "error.json", &[("detail", detail)]),
            (CoreError::Document(detail), _) => tf(lang, "error.document", &[("detail", detail)]),
            (CoreError::NotASlip, _) => t(lang, "error.not_a_slip"),
            (CoreError::ForgedSlip { code }, _) => tf(lang, "error.forged_slip", &[("code", code)]),
            (CoreError::Print(e), _) => e.message_en(),
            (CoreError::Bench(detail), _) => tf(lang, "error.bench", &[("detail", detail)]),
            (CoreError::NotAnIdCard(reason), _) => reason.message(lang),
            (CoreError::Transition { code, from, to }, _) => {
                transition_message(code, *from, *to, lang)
            }
            (CoreError::HandoverOnly { code }, _) => {
                tf(lang, "error.handover_only", &[("code", code)])
            }
            (CoreError::NotLoggedIn, _) => t(lang, "error.not_logged_in"),
            (CoreError::CliLoginRequired, _) => t(lang, "error.cli_login_required"),
            (CoreError::CliSessionExpired, _) => t(lang, "error.cli_session_expired"),
            (CoreError::NotPrivate { path, mode }, _) => {
                tf(lang, "error.not_private", &[("path", path), ("mode", mode)])
            }
            (CoreError::SessionLocked, _) => t(lang, "error.session_locked"),
            (CoreError::Forbidden { action }, _) => forbidden_message(*action, lang),
            (CoreError::BadCredentials, _) => t(lang, "error.bad_credentials"),
            (CoreError::AccountLocked { until }, _) => tf(
                lang,
                "error.account_locked",
                &[("until", &vn_clock(*until))],
            ),
            (CoreError::AccountDisabled { name }, _) => {
                tf(lang, "error.account_disabled", &[("name", name)])
            }
            (CoreError::AccountNotFound { name }, _) => {
                tf(lang, "error.account_not_found", &[("name", name)])
            }
            (CoreError::AccountExists { name }, _) => {
                tf(lang, "error.account_exists", &[("name", name)])
            }
            (CoreError::AccountsExist, _) => t(lang, "error.accounts_exist"),
            (CoreError::LastAdministrator { name }, _) => {
                tf(lang, "error.last_administrator", &[("name", name)])
            }
            (CoreError::PasswordHash(detail), _) => {
                tf(lang, "error.password_hash", &[("detail", detail)])
            }
            (CoreError::AuditBroken(report), _) => report.problems(lang).join("\n"),
            (CoreError::TransferNotFound { id }, _) => {
                tf(lang, "error.transfer_not_found", &[("id", &id.to_string())])
            }
            (CoreError::NotPosted { code }, _) => tf(lang, "error.not_posted", &[("code", code)]),
            (CoreError::UnknownForm(u), _) => unknown_form_message(u, lang),
            (CoreError::NotOpen { code, status }, _) => tf(
                lang,
                "error.not_open",
                &[("code", code), ("status", &status.label(lang))],
            ),
        }
    }

    /// Field errors, for showing each next to its field.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            CoreError::Invalid(errors) => errors,
            _ => &[],
        }
    }

    /// A short stable name of the kind of error, for the window and scripts.
    pub fn kind(&self) -> &'static str {
        match self {
            CoreError::Invalid(_) => "invalid",
            CoreError::NotSetUp => "not_set_up",
            CoreError::DossierNotFound { .. } => "dossier_not_found",
            CoreError::ProcedureNotFound { .. } => "procedure_not_found",
            CoreError::Conflict { .. } => "conflict",
            CoreError::SchemaTooNew { .. } => "schema_too_new",
            CoreError::SchemaBehind { .. } => "schema_behind",
            CoreError::NotGranted { .. } => "not_granted",
            CoreError::NotOwner { .. } => "not_owner",
            CoreError::RoleNotFound { .. } => "role_not_found",
            CoreError::DeskRoleIsOwner { .. } => "desk_role_is_owner",
            CoreError::RolesPostgresOnly => "roles_postgres_only",
            CoreError::PermissionDenied { .. } => "permission_denied",
            CoreError::Tls { .. } => "tls",
            CoreError::SourceAuditBroken(_) => "source_audit_broken",
            CoreError::Calendar(_) => "calendar",
            CoreError::Database(_) => "database",
            CoreError::Offline { .. } => "offline",
            CoreError::DiskFull => "disk_full",
            CoreError::ReadOnly { .. } => "read_only",
            CoreError::BackupInvalid { .. } => "backup_invalid",
            CoreError::TransferConflict { .. } => "transfer_conflict",
            CoreError::Migration(_) => "migration",
            CoreError::File { .. } => "file",
            CoreError::Json(_) => "json",
            CoreError::Document(_) => "document",
            CoreError::NotASlip => "not_a_slip",
            CoreError::ForgedSlip { .. } => "forged_slip",
            CoreError::Print(_) => "print",
            CoreError::Bench(_) => "bench",
            CoreError::NotAnIdCard(_) => "not_an_id_card",
            CoreError::Transition { .. } => "transition",
            CoreError::HandoverOnly { .. } => "handover_only",
            CoreError::NotLoggedIn => "not_logged_in",
            CoreError::CliLoginRequired => "not_logged_in",
            CoreError::CliSessionExpired => "session_expired",
            CoreError::NotPrivate { .. } => "not_private",
            CoreError::SessionLocked => "session_locked",
            CoreError::Forbidden { .. } => "forbidden",
            CoreError::BadCredentials => "bad_credentials",
            CoreError::AccountLocked { .. } => "account_locked",
            CoreError::AccountDisabled { .. } => "account_disabled",
            CoreError::AccountNotFound { .. } => "account_not_found",
            CoreError::AccountExists { .. } => "account_exists",
            CoreError::AccountsExist => "accounts_exist",
            CoreError::LastAdministrator { .. } => "last_administrator",
            CoreError::PasswordHash(_) => "password_hash",
            CoreError::AuditBroken(_) => "audit_broken",
            CoreError::TransferNotFound { .. } => "transfer_not_found",
            CoreError::NotPosted { .. } => "not_posted",
            CoreError::NotOpen { .. } => "not_open",
            CoreError::UnknownForm(_) => "unknown_form",
        }
    }
}

pub type CoreResult<T> = Result<T, CoreError>;

fn unknown_form_message(u: &crate::form_set::UnknownForm, lang: Lang) -> String {
    tf(
        lang,
        "error.unknown_form",
        &[
            ("given", &u.given),
            ("circular", u.set.circular()),
            ("forms", &u.set.listing()),
        ],
    )
}

impl From<crate::form_set::UnknownForm> for CoreError {
    fn from(u: crate::form_set::UnknownForm) -> CoreError {
        CoreError::UnknownForm(u)
    }
}
