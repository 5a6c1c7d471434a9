//! `CoreError`: what any call into the core may answer. Each module says its own errors
//! (`Localized`: a kind and a message in a language, texts in the language tables); this
//! enum wraps them and adds the few that belong to no module (bad input, a missing record,
//! a file or JSON that cannot be read). It holds no domain rule: who may act, which status
//! may follow, what a backup must hold are said by the modules that know them.

use crate::accounts::AccessError;
use crate::audit::AuditError;
use crate::calendar::CalendarError;
use crate::documents::DocumentError;
use crate::form_set::UnknownForm;
use crate::i18n::{t, tf, Lang, Localized};
use crate::idcard::NotACard;
use crate::lifecycle::TransitionError;
use crate::outbox::OutboxError;
use crate::printing::PrintError;
use crate::problem::join_messages;
use crate::scans::ScanError;
use crate::sealed_status::PublishError;
use crate::slip::SlipError;
use crate::store::backup::BackupError;
use crate::store::transfer::ImportError;
use crate::store::{DatabaseError, SchemaError};

pub use crate::problem::{FieldError, Problem};

/// `Display` is the Vietnamese message (what the CLI prints); `message(Lang::En)` English.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message(Lang::Vi))]
pub enum CoreError {
    Invalid(Vec<FieldError>),
    NotSetUp,
    DossierNotFound {
        code: String,
    },
    ProcedureNotFound {
        code: String,
    },
    Conflict {
        code: String,
    },
    TransferNotFound {
        id: i64,
    },
    NotPosted {
        code: String,
    },
    File {
        path: String,
        source: std::io::Error,
    },
    Json(String),
    /// A workbook (the Biểu 06 report as XLSX) that could not be written.
    Workbook {
        detail: String,
    },
    Access(#[from] AccessError),
    Audit(#[from] AuditError),
    Backup(#[from] BackupError),
    Calendar(#[from] CalendarError),
    Database(#[from] DatabaseError),
    /// Said as "could not produce the document: …", not the engine's bare `Display`.
    Document(#[from] DocumentError),
    Import(#[from] ImportError),
    NotAnIdCard(#[from] NotACard),
    Outbox(#[from] OutboxError),
    Print(#[from] PrintError),
    Publish(#[from] PublishError),
    Scan(#[from] ScanError),
    Schema(#[from] SchemaError),
    Slip(#[from] SlipError),
    Transition(#[from] TransitionError),
    UnknownForm(#[from] UnknownForm),
}

impl CoreError {
    pub fn invalid(field: impl Into<String>, problem: Problem) -> Self {
        CoreError::Invalid(vec![FieldError::new(field, problem)])
    }

    /// The message in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            CoreError::Invalid(errors) => join_messages(errors, lang),
            CoreError::NotSetUp => t(lang, "error.not_set_up"),
            CoreError::DossierNotFound { code } => {
                tf(lang, "error.dossier_not_found", &[("code", code)])
            }
            CoreError::ProcedureNotFound { code } => {
                tf(lang, "error.procedure_not_found", &[("code", code)])
            }
            CoreError::Conflict { code } => {
                tf(lang, "error.changed_by_someone_else", &[("code", code)])
            }
            CoreError::TransferNotFound { id } => {
                tf(lang, "error.transfer_not_found", &[("id", &id.to_string())])
            }
            CoreError::NotPosted { code } => tf(lang, "error.not_posted", &[("code", code)]),
            CoreError::File { path, source } => tf(
                lang,
                "error.file",
                &[("path", path), ("detail", &source.to_string())],
            ),
            CoreError::Json(detail) => tf(lang, "error.json", &[("detail", detail)]),
            CoreError::Workbook { detail } => tf(lang, "error.document", &[("detail", detail)]),
            CoreError::Access(e) => e.message(lang),
            CoreError::Audit(e) => e.message(lang),
            CoreError::Backup(e) => e.message(lang),
            CoreError::Calendar(e) => e.message(lang),
            CoreError::Database(e) => e.message(lang),
            CoreError::Document(e) => e.message(lang),
            CoreError::Import(e) => e.message(lang),
            CoreError::NotAnIdCard(e) => e.message(lang),
            CoreError::Outbox(e) => e.message(lang),
            CoreError::Print(e) => e.message(lang),
            CoreError::Publish(e) => e.message(lang),
            CoreError::Scan(e) => e.message(lang),
            CoreError::Schema(e) => e.message(lang),
            CoreError::Slip(e) => e.message(lang),
            CoreError::Transition(e) => e.message(lang),
            CoreError::UnknownForm(e) => e.message(lang),
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
            CoreError::TransferNotFound { .. } => "transfer_not_found",
            CoreError::NotPosted { .. } => "not_posted",
            CoreError::File { .. } => "file",
            CoreError::Json(_) => "json",
            CoreError::Workbook { .. } => "document",
            CoreError::Access(e) => e.kind(),
            CoreError::Audit(e) => e.kind(),
            CoreError::Backup(e) => e.kind(),
            CoreError::Calendar(e) => e.kind(),
            CoreError::Database(e) => e.kind(),
            CoreError::Document(e) => e.kind(),
            CoreError::Import(e) => e.kind(),
            CoreError::NotAnIdCard(e) => e.kind(),
            CoreError::Outbox(e) => e.kind(),
            CoreError::Print(e) => e.kind(),
            CoreError::Publish(e) => e.kind(),
            CoreError::Scan(e) => e.kind(),
            CoreError::Schema(e) => e.kind(),
            CoreError::Slip(e) => e.kind(),
            CoreError::Transition(e) => e.kind(),
            CoreError::UnknownForm(e) => e.kind(),
        }
    }
}

impl Localized for CoreError {
    fn kind(&self) -> &'static str {
        CoreError::kind(self)
    }

    fn message(&self, lang: Lang) -> String {
        CoreError::message(self, lang)
    }
}

/// Database errors enter the core here, sorted by the store (`store::error`).
impl From<sqlx::Error> for CoreError {
    fn from(e: sqlx::Error) -> Self {
        CoreError::Database(e.into())
    }
}

impl From<sqlx::migrate::MigrateError> for CoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        CoreError::Database(e.into())
    }
}

pub type CoreResult<T> = Result<T, CoreError>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Action;
    use crate::audit::{AuditReport, BreakReason, BrokenEntry, Chain};
    use crate::calendar::{LunarDate, LunarDateProblem, OfficeHoursProblem};
    use crate::form_set::FormSet;
    use crate::status::Status;

    /// Letters only Vietnamese writes: ă â đ ê ô ơ ư and the tone-marked vowels of the
    /// Latin Extended Additional block.
    fn vietnamese_only(c: char) -> bool {
        "ăâđêôơưĂÂĐÊÔƠƯ".contains(c) || ('\u{1EA0}'..='\u{1EF9}').contains(&c)
    }

    fn report() -> Box<AuditReport> {
        Box::new(AuditReport {
            ok: false,
            checked: 3,
            first_broken: Some(BrokenEntry {
                chain: Chain::Events,
                id: 42,
                reason: BreakReason::Edited,
            }),
            heads: Vec::new(),
            mismatches: Vec::new(),
            missing_pins: Vec::new(),
            scan_files: Vec::new(),
        })
    }

    /// One value of every module error, and of every error `CoreError` holds itself.
    fn every_error() -> Vec<CoreError> {
        let status = Status::from_code(1).unwrap();
        let to = Status::from_code(10).unwrap();
        let access = [
            AccessError::NotLoggedIn,
            AccessError::SessionLocked,
            AccessError::Forbidden {
                action: Action::ManageAccounts,
            },
            AccessError::BadCredentials,
            AccessError::AccountLocked {
                until: chrono::DateTime::UNIX_EPOCH,
            },
            AccessError::AccountDisabled { name: "an".into() },
            AccessError::AccountNotFound { name: "an".into() },
            AccessError::AccountExists { name: "an".into() },
            AccessError::AccountsExist,
            AccessError::LastAdministrator { name: "an".into() },
            AccessError::PasswordHash("salt".into()),
            AccessError::CliLoginRequired,
            AccessError::CliSessionExpired,
            AccessError::NotPrivate {
                path: "/tmp/s".into(),
                mode: "0644".into(),
            },
        ];
        let mut all: Vec<CoreError> = access.into_iter().map(CoreError::from).collect();
        all.extend([
            CoreError::invalid("applicant.name", Problem::Required),
            CoreError::NotSetUp,
            CoreError::DossierNotFound { code: "X1".into() },
            CoreError::ProcedureNotFound { code: "P1".into() },
            CoreError::Conflict { code: "X1".into() },
            CoreError::TransferNotFound { id: 7 },
            CoreError::NotPosted { code: "X1".into() },
            CoreError::File {
                path: "/tmp/f".into(),
                source: std::io::Error::other("gone"),
            },
            CoreError::Json("eof".into()),
            CoreError::Workbook {
                detail: "full".into(),
            },
            AuditError::Broken(report()).into(),
            AuditError::SourceBroken(report()).into(),
            BackupError::Invalid {
                path: "/tmp/b".into(),
                reason: "backup.checksum",
                detail: "abc".into(),
            }
            .into(),
            CalendarError::InvalidSolarDate {
                year: 2026,
                month: 2,
                day: 30,
            }
            .into(),
            CalendarError::InvalidLunarDate(LunarDateProblem::Day {
                date: LunarDate {
                    day: 30,
                    month: 2,
                    year: 2026,
                    leap: true,
                },
                days_in_month: 29,
            })
            .into(),
            CalendarError::YearOutOfRange { year: 1800 }.into(),
            CalendarError::InvalidOfficeHours(OfficeHoursProblem::Format { input: "x".into() })
                .into(),
            DatabaseError::Database(sqlx::Error::RowNotFound).into(),
            DatabaseError::Offline {
                detail: "refused".into(),
            }
            .into(),
            DatabaseError::DiskFull.into(),
            DatabaseError::ReadOnly {
                detail: "ro".into(),
            }
            .into(),
            DatabaseError::Tls {
                detail: "ca".into(),
            }
            .into(),
            DatabaseError::PermissionDenied {
                detail: "no".into(),
            }
            .into(),
            DatabaseError::Migration(sqlx::migrate::MigrateError::VersionMissing(3)).into(),
            DocumentError::Font("Noto").into(),
            DocumentError::Qr("long".into()).into(),
            DocumentError::Barcode {
                code: "X1".into(),
                reason: "char".into(),
            }
            .into(),
            DocumentError::EmptyLayout.into(),
            DocumentError::Paper("a3".into()).into(),
            ImportError::Conflict {
                codes: vec!["X1".into()],
                total: 3,
            }
            .into(),
            NotACard::NoIdNumber.into(),
            PrintError::PrinterNotFound("P".into()).into(),
            PrintError::Paused("P".into()).into(),
            PrintError::NoPrinter.into(),
            ScanError::NotAPaper {
                file: "a.txt".into(),
            }
            .into(),
            ScanError::Unreadable {
                file: "a.pdf".into(),
                detail: "eof".into(),
            }
            .into(),
            ScanError::NothingGiven.into(),
            ScanError::NoScanimage.into(),
            ScanError::NoDevice.into(),
            ScanError::Busy {
                device: "test".into(),
            }
            .into(),
            ScanError::Scanner {
                device: "test".into(),
                detail: "jammed".into(),
            }
            .into(),
            ScanError::NoScansFolder.into(),
            ScanError::NoWatchedFolder.into(),
            ScanError::NotInFolder {
                name: "a.pdf".into(),
                folder: "/srv/scan".into(),
            }
            .into(),
            ScanError::LeftInFolder {
                file: "/srv/scan/a.pdf".into(),
                detail: "denied".into(),
            }
            .into(),
            ScanError::TooLarge {
                file: "a.pdf".into(),
                max_mb: 50,
            }
            .into(),
            SchemaError::TooNew {
                found: 9,
                supported: 8,
            }
            .into(),
            SchemaError::Behind {
                found: 7,
                supported: 8,
            }
            .into(),
            SchemaError::NotGranted {
                role: "desk".into(),
            }
            .into(),
            SchemaError::NotOwner {
                role: "desk".into(),
            }
            .into(),
            SchemaError::RoleNotFound {
                role: "desk".into(),
            }
            .into(),
            SchemaError::DeskRoleIsOwner {
                role: "desk".into(),
            }
            .into(),
            SchemaError::RolesPostgresOnly.into(),
            PublishError::BadAddress.into(),
            PublishError::Unreachable {
                detail: "connection refused".into(),
            }
            .into(),
            PublishError::Refused { status: 403 }.into(),
            SlipError::NotASlip.into(),
            SlipError::Forged { code: "X1".into() }.into(),
            TransitionError::Transition {
                code: "X1".into(),
                from: status,
                to,
            }
            .into(),
            TransitionError::HandoverOnly { code: "X1".into() }.into(),
            TransitionError::NotOpen {
                code: "X1".into(),
                status,
            }
            .into(),
            UnknownForm {
                given: "99".into(),
                set: FormSet::default(),
            }
            .into(),
            OutboxError::BadUrl { url: "x".into() }.into(),
            OutboxError::PlainHttp {
                url: "http://10.0.0.5/".into(),
            }
            .into(),
            OutboxError::BadFolder {
                path: "/x".into(),
                detail: "denied".into(),
            }
            .into(),
            OutboxError::NoSecret.into(),
            OutboxError::NotFound { id: 3 }.into(),
            OutboxError::Undelivered {
                pending: 2,
                reason: "refused".into(),
            }
            .into(),
        ]);
        all
    }

    #[test]
    fn every_error_reaches_the_english_window_in_english() {
        for e in every_error() {
            let (vi, en) = (e.message(Lang::Vi), e.message(Lang::En));
            assert_ne!(en, vi, "{} has no English", e.kind());
            assert!(
                !en.chars().any(vietnamese_only),
                "{}: Vietnamese in the English message: {en}",
                e.kind()
            );
            assert!(!en.contains("error.") && !vi.contains("error."), "{en}");
        }
    }

    #[test]
    fn display_is_the_vietnamese_message() {
        for e in every_error() {
            assert_eq!(e.to_string(), e.message(Lang::Vi));
        }
    }

    #[test]
    fn kinds_stay_what_the_window_and_scripts_read() {
        let kinds: Vec<&str> = every_error().iter().map(CoreError::kind).collect();
        for kind in [
            "invalid",
            "forbidden",
            "transition",
            "not_logged_in",
            "session_expired",
            "audit_broken",
            "source_audit_broken",
            "backup_invalid",
            "transfer_conflict",
            "calendar",
            "database",
            "offline",
            "disk_full",
            "schema_behind",
            "document",
            "not_an_id_card",
            "print",
            "forged_slip",
            "handover_only",
            "not_open",
            "unknown_form",
            "outbox_plain_http",
            "outbox_undelivered",
        ] {
            assert!(kinds.contains(&kind), "no error of kind {kind}");
        }
    }
}
