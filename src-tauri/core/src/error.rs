//! Errors of the core. Each one can say itself in the user's language: Vietnamese is its
//! `Display`, `message(Lang::En)` gives English. Validation errors name the field.

use serde::Serialize;

use crate::calendar::CalendarError;
use crate::i18n::{t, tf, Lang};

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong { max: usize },
    ForbiddenChars,
    NotAName,
    IdNumber,
    Phone,
    Email,
    OutOfRange { min: i64, max: i64 },
    TooMany { max: usize },
    UnknownProcedure { code: String },
    InactiveProcedure { code: String },
    AgencyCode,
    ProcedureCode,
    DateTime,
    Date,
    Time,
    Invalid { detail: String },
    LookupUrl,
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
    #[error("{0}")]
    Calendar(#[from] CalendarError),
    #[error("{}", tf(Lang::Vi, "error.database", &[("detail", &.0.to_string())]))]
    Database(#[from] sqlx::Error),
    #[error("{}", tf(Lang::Vi, "error.migration", &[("detail", &.0.to_string())]))]
    Migration(#[from] sqlx::migrate::MigrateError),
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
    #[error("{}", transition_message(.code, *.from, *.to, Lang::Vi))]
    Transition {
        code: String,
        from: crate::status::Status,
        to: crate::status::Status,
    },
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
            (CoreError::Calendar(e), _) => e.message_en(),
            (CoreError::Database(e), _) => {
                tf(lang, "error.database", &[("detail", &e.to_string())])
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
            (CoreError::Transition { code, from, to }, _) => {
                transition_message(code, *from, *to, lang)
            }
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
            CoreError::Calendar(_) => "calendar",
            CoreError::Database(_) => "database",
            CoreError::Migration(_) => "migration",
            CoreError::File { .. } => "file",
            CoreError::Json(_) => "json",
            CoreError::Document(_) => "document",
            CoreError::NotASlip => "not_a_slip",
            CoreError::ForgedSlip { .. } => "forged_slip",
            CoreError::Print(_) => "print",
            CoreError::Bench(_) => "bench",
            CoreError::Transition { .. } => "transition",
        }
    }
}

pub type CoreResult<T> = Result<T, CoreError>;
