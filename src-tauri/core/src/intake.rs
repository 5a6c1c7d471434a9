//! Reading a dossier handed in at the desk: the request as the window or the CLI sends it,
//! and its validation. Everything is checked before anything is written; every problem is
//! reported at once, each naming its field.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::dossier::{Applicant, Channel, PostalReturn, ReceivedDocument, ReturnMethod, Submitter};
use crate::error::CoreError;
use crate::problem::{FieldError, Problem};
use crate::procedure::Procedure;
use crate::validate::{Checker, MAX_ADDRESS, MAX_AUTHORITY, MAX_DOCUMENTS, MAX_DOC_NAME, MAX_NOTE};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ApplicantInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SubmitterInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DocumentInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub originals: i64,
    #[serde(default)]
    pub copies: i64,
    /// Taken from a national database or VNeID ("Khai thác từ CSDL/VNeID") instead of
    /// paper: only for a document the catalog marks so, and then with no originals or copies.
    #[serde(default)]
    pub from_data: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ReturnInput {
    #[serde(default = "desk")]
    pub method: String,
    #[serde(default)]
    pub recipient: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub cod_amount: i64,
}

impl Default for ReturnInput {
    fn default() -> Self {
        ReturnInput {
            method: desk(),
            recipient: String::new(),
            phone: String::new(),
            email: String::new(),
            address: String::new(),
            commune: String::new(),
            province: String::new(),
            cod_amount: 0,
        }
    }
}

fn desk() -> String {
    "desk".to_string()
}

fn one() -> i64 {
    1
}

/// A dossier as submitted for registration.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeRequest {
    #[serde(default)]
    pub procedure: String,
    #[serde(default)]
    pub applicant: ApplicantInput,
    #[serde(default)]
    pub submitter: Option<SubmitterInput>,
    /// Absent: the procedure's required documents, as the catalog lists them.
    #[serde(default)]
    pub documents: Option<Vec<DocumentInput>>,
    #[serde(default = "one")]
    pub sets: i64,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default, rename = "return")]
    pub return_method: ReturnInput,
    /// RFC 3339; absent means now.
    #[serde(default)]
    pub received_at: Option<String>,
    #[serde(default)]
    pub fee_vnd: Option<i64>,
    #[serde(default)]
    pub note: String,
    /// The competent authority that decides the dossier when it is not the receiving
    /// office: one of the `authorities` setting's, for a procedure receivable at any desk.
    #[serde(default)]
    pub authority: String,
    /// Chosen by the form when it opens: a second save of the same form (a double click, a
    /// repeated key) returns the dossier the first one made instead of making another.
    #[serde(default)]
    pub request_id: Option<String>,
}

impl IntakeRequest {
    /// For an intake from the desk window: the reception time comes from the desk's clock,
    /// so a page cannot backdate a dossier into a period already reported. (The CLI keeps
    /// `received_at` for administrators importing paper registers.)
    pub fn from_window(self) -> Result<IntakeRequest, CoreError> {
        if self
            .received_at
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty())
        {
            return Err(CoreError::invalid("received_at", Problem::ClockOnly));
        }
        Ok(self)
    }

    /// Parses the JSON form. A wrong type or an unknown key is reported with its path.
    pub fn from_json(json: &str) -> Result<IntakeRequest, CoreError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let detail = e.inner().to_string();
            // A document that is not an object has no field to name, and a key the form
            // does not have has no label: both are told as the JSON's own fault.
            let labelled =
                !crate::problem::field_label(&path, crate::i18n::Lang::Vi).starts_with("field.");
            if path.is_empty() || path == "." || path.starts_with('[') {
                CoreError::Json(detail)
            } else if !labelled {
                CoreError::Json(format!("{path}: {detail}"))
            } else {
                CoreError::invalid(path, Problem::Invalid { detail })
            }
        })
    }
}

/// A request that passed every check, cleaned and normalised.
#[derive(Debug, Clone)]
pub struct ValidIntake {
    pub procedure: Procedure,
    pub applicant: Applicant,
    pub submitter: Option<Submitter>,
    pub documents: Vec<ReceivedDocument>,
    pub sets: u32,
    pub channel: Channel,
    pub return_method: ReturnMethod,
    pub received_at: DateTime<Utc>,
    pub fee_vnd: Option<i64>,
    pub note: String,
    pub authority: String,
    pub request_id: Option<String>,
}

/// Checks a request against the catalog entry it names (`None` when the code is unknown)
/// and the competent authorities the office lists (the `authorities` setting).
pub fn validate(
    req: &IntakeRequest,
    procedure: Option<Procedure>,
    authorities: &[String],
    now: DateTime<Utc>,
) -> Result<ValidIntake, CoreError> {
    let mut c = Checker::new();
    let code = req.procedure.trim();
    let procedure = match procedure {
        _ if code.is_empty() => {
            c.fail("procedure", Problem::Required);
            None
        }
        None => {
            c.fail(
                "procedure",
                Problem::UnknownProcedure {
                    code: code.to_string(),
                },
            );
            None
        }
        Some(p) if !p.active => {
            c.fail(
                "procedure",
                Problem::InactiveProcedure {
                    code: p.code.clone(),
                },
            );
            None
        }
        Some(p) => Some(p),
    };

    let a = &req.applicant;
    let applicant = Applicant {
        name: c.person_name("applicant.name", &a.name, true),
        id_number: c.id_number("applicant.id_number", &a.id_number, true),
        phone: c.phone("applicant.phone", &a.phone, false),
        email: c.email("applicant.email", &a.email),
        address: c.line("applicant.address", &a.address, true, MAX_ADDRESS),
    };

    let submitter = match &req.submitter {
        Some(s)
            if !(s.name.trim().is_empty()
                && s.id_number.trim().is_empty()
                && s.phone.trim().is_empty()) =>
        {
            Some(Submitter {
                name: c.person_name("submitter.name", &s.name, true),
                id_number: c.id_number("submitter.id_number", &s.id_number, false),
                phone: c.phone("submitter.phone", &s.phone, false),
            })
        }
        _ => None,
    };

    let documents: Vec<ReceivedDocument> = match &req.documents {
        Some(docs) => {
            if docs.len() > MAX_DOCUMENTS {
                c.fail("documents", Problem::TooMany { max: MAX_DOCUMENTS });
            }
            docs.iter()
                .take(MAX_DOCUMENTS)
                .enumerate()
                .map(|(i, d)| ReceivedDocument {
                    name: c.line(&format!("documents[{i}].name"), &d.name, true, MAX_DOC_NAME),
                    originals: count(&mut c, &format!("documents[{i}].originals"), d.originals),
                    copies: count(&mut c, &format!("documents[{i}].copies"), d.copies),
                    from_data: d.from_data,
                })
                .collect()
        }
        None => procedure
            .as_ref()
            .map(|p| {
                p.documents
                    .iter()
                    .filter(|d| d.required)
                    .map(|d| ReceivedDocument {
                        name: d.name.clone(),
                        originals: d.originals,
                        copies: d.copies,
                        from_data: false,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    if documents.is_empty() && procedure.is_some() {
        c.fail("documents", Problem::Required);
    }
    for (i, d) in documents.iter().enumerate() {
        if d.from_data {
            check_from_data(&mut c, i, d, procedure.as_ref());
        } else if d.originals == 0 && d.copies == 0 && !d.name.is_empty() {
            c.fail(
                &format!("documents[{i}].copies"),
                Problem::OutOfRange { min: 1, max: 99 },
            );
        }
    }

    let sets = c.range("sets", req.sets, 1, 99);

    let channel = match req.channel.as_deref().map(str::trim) {
        None | Some("") => Channel::Direct,
        Some(s) => Channel::parse(s).unwrap_or_else(|| {
            c.fail(
                "channel",
                Problem::Invalid {
                    detail: s.to_string(),
                },
            );
            Channel::Direct
        }),
    };

    let r = &req.return_method;
    let return_method = match r.method.trim() {
        "desk" | "" => ReturnMethod::Desk,
        "post" => {
            let recipient = if r.recipient.trim().is_empty() {
                a.name.as_str()
            } else {
                r.recipient.as_str()
            };
            let phone = if r.phone.trim().is_empty() {
                a.phone.as_str()
            } else {
                r.phone.as_str()
            };
            ReturnMethod::Post(PostalReturn {
                recipient: c.person_name("return.recipient", recipient, true),
                phone: c.phone("return.phone", phone, true),
                email: c.email("return.email", &r.email),
                address: c.line("return.address", &r.address, true, MAX_ADDRESS),
                commune: c.line("return.commune", &r.commune, false, 100),
                province: c.line("return.province", &r.province, false, 100),
                cod_amount: c.range("return.cod_amount", r.cod_amount, 0, 100_000_000),
            })
        }
        other => {
            c.fail(
                "return.method",
                Problem::Invalid {
                    detail: other.to_string(),
                },
            );
            ReturnMethod::Desk
        }
    };

    let received_at = match req.received_at.as_deref().map(str::trim) {
        None | Some("") => now,
        Some(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) if (1900..=2100).contains(&chrono::Datelike::year(&t)) => t.with_timezone(&Utc),
            _ => {
                c.fail("received_at", Problem::DateTime);
                now
            }
        },
    };

    let authority = check_authority(&mut c, &req.authority, procedure.as_ref(), authorities);
    let fee_vnd = req.fee_vnd.map(|f| c.range("fee_vnd", f, 0, 1_000_000_000));
    let note = c.text("note", &req.note, false, MAX_NOTE);
    let request_id = req
        .request_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.len() > 64
                || !s
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
            {
                c.fail(
                    "request_id",
                    Problem::Invalid {
                        detail: "request_id".into(),
                    },
                );
            }
            s.to_string()
        });

    match procedure {
        Some(procedure) if c.is_ok() => Ok(ValidIntake {
            procedure,
            applicant,
            submitter,
            documents,
            sets: u32::try_from(sets).unwrap_or(1),
            channel,
            return_method,
            received_at,
            fee_vnd,
            note,
            authority,
            request_id,
        }),
        _ => Err(CoreError::Invalid(dedup(c.errors))),
    }
}

/// A document taken from data is one the catalog marks as obtainable so, and is neither an
/// original nor a copy.
fn check_from_data(c: &mut Checker, i: usize, d: &ReceivedDocument, procedure: Option<&Procedure>) {
    let field = format!("documents[{i}].from_data");
    let marked = procedure.is_none_or(|p| {
        p.documents
            .iter()
            .any(|r| r.from_data && crate::text::fold(&r.name) == crate::text::fold(&d.name))
    });
    if !marked {
        c.fail(
            &field,
            Problem::NotFromData {
                document: d.name.clone(),
            },
        );
    } else if d.originals > 0 || d.copies > 0 {
        c.fail(
            &field,
            Problem::DataNotPaper {
                document: d.name.clone(),
            },
        );
    }
}

/// The competent authority, when named: one the office lists, for a procedure receivable
/// at any desk.
fn check_authority(
    c: &mut Checker,
    value: &str,
    procedure: Option<&Procedure>,
    authorities: &[String],
) -> String {
    let name = c.line("authority", value, false, MAX_AUTHORITY);
    if name.is_empty() {
        return name;
    }
    if procedure.is_some_and(|p| !p.any_desk) {
        c.fail("authority", Problem::NotAnyDesk);
    } else if !authorities.iter().any(|a| a == &name) {
        c.fail(
            "authority",
            Problem::UnknownAuthority { name: name.clone() },
        );
    }
    name
}

fn count(c: &mut Checker, field: &str, value: i64) -> u32 {
    u32::try_from(c.range(field, value, 0, 99)).unwrap_or(0)
}

/// A field reports its first problem only.
fn dedup(errors: Vec<FieldError>) -> Vec<FieldError> {
    let mut seen = std::collections::HashSet::new();
    errors
        .into_iter()
        .filter(|e| seen.insert(e.field.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_cannot_choose_the_reception_time() {
        let json = r#"{"procedure": "1.001193", "applicant": {"name": "Nguyễn Văn An"},
                       "received_at": "2020-01-02T09:00:00+07:00"}"#;
        let err = IntakeRequest::from_json(json)
            .unwrap()
            .from_window()
            .unwrap_err();
        assert_eq!(err.field_errors()[0].field, "received_at");
        assert!(err
            .message(crate::i18n::Lang::En)
            .contains("set by the desk's clock"));
        // Absent or empty, the desk's clock sets it.
        for json in [
            r#"{"procedure": "1.001193", "applicant": {"name": "An"}}"#,
            r#"{"procedure": "1.001193", "applicant": {"name": "An"}, "received_at": " "}"#,
        ] {
            assert!(IntakeRequest::from_json(json)
                .unwrap()
                .from_window()
                .is_ok());
        }
    }
}
