//! What is wrong with one field of what a person typed: `Problem`, the field it concerns
//! (`FieldError`) and the field's label in the user's language. A leaf: validation, the
//! window and every module that checks input use it, and it uses only the language tables.

use serde::Serialize;

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
    /// A public status address that is neither HTTPS nor on this computer: the page could
    /// not decrypt there, since browsers give WebCrypto to secure contexts only.
    PublicUrl,
    AccountName,
    PasswordTooShort {
        min: usize,
    },
    PasswordOneClass,
    PasswordIsName,
    ScannerPort,
    /// A folder setting that is not a full path (a desk's working folder is no anchor).
    AbsoluteFolder,
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
            Problem::PublicUrl => t(lang, "problem.public_url"),
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
            Problem::AbsoluteFolder => t(lang, "problem.absolute_folder"),
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

/// Several field errors as one line ("Họ tên: …; Số điện thoại: …").
pub fn join_messages(errors: &[FieldError], lang: Lang) -> String {
    errors
        .iter()
        .map(|e| e.message(lang))
        .collect::<Vec<_>>()
        .join("; ")
}
