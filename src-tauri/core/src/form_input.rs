//! What the desk writes on the forms before printing them: every missing document and why
//! (Mẫu 02 lists everything at once, so the citizen comes back once), the reasons for a
//! refusal (Mẫu 03), the reason for a delay with the new appointment (Mẫu 04), and why a
//! dossier stops with what happens to its fees (Mẫu 05 of 2025). Checked here with an error
//! per field, whichever front end typed them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{OfficeHours, WorkCalendar};
use crate::dossier::Dossier;
use crate::error::CoreError;
use crate::form_set::Form;
use crate::problem::{FieldError, Problem};
use crate::text::fold;
use crate::validate::{Checker, MAX_DOC_NAME};
use crate::vntime::{parse_vn, rfc3339_vn, to_vn, vn_date};

pub const MAX_REASON: usize = 1000;
pub const MAX_ITEMS: usize = 50;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct MissingInput {
    #[serde(default)]
    pub document: String,
    #[serde(default)]
    pub reason: String,
}

impl MissingInput {
    /// "Tờ khai đăng ký khai sinh:chưa có chữ ký" → the document and the reason, split at
    /// the first colon (a document name rarely has one; a reason may).
    pub fn from_pair(s: &str) -> MissingInput {
        match s.split_once(':') {
            Some((document, reason)) => MissingInput {
                document: document.to_string(),
                reason: reason.to_string(),
            },
            None => MissingInput {
                document: s.to_string(),
                reason: String::new(),
            },
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct SupplementInput {
    #[serde(default)]
    pub missing: Vec<MissingInput>,
    /// Who to ask while completing the dossier, or anything else the clerk adds.
    #[serde(default)]
    pub guide: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct RefusalInput {
    #[serde(default)]
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct ApologyInput {
    #[serde(default)]
    pub reason: String,
    /// The new appointment: RFC 3339, `YYYY-MM-DDTHH:MM` (Vietnam time) or a date, which
    /// means closing time that day.
    #[serde(default)]
    pub new_due: String,
}

/// Why a dossier stops: one of the usual reasons (`STOP_REASONS`, by key or by its words)
/// or the clerk's own words; whether fees were paid and are refunded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct StopInput {
    #[serde(default)]
    pub reason: String,
    /// "none" (nothing was paid), "refunded" or "kept"; empty means none.
    #[serde(default)]
    pub fees: String,
}

/// The usual reasons a dossier stops, offered as a choice: the citizen asks for it, or the
/// citizen did not complete the dossier as asked. Anything else is typed.
pub const STOP_REASONS: [(&str, &str); 2] = [
    (
        "request",
        "Theo đề nghị dừng giải quyết hồ sơ của người nộp hồ sơ",
    ),
    (
        "not_completed",
        "Người nộp hồ sơ không bổ sung, hoàn thiện hồ sơ theo yêu cầu",
    ),
];

/// What happens to fees already paid when a dossier stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopFees {
    /// Nothing was paid (or the procedure has no fee).
    None,
    Refunded,
    Kept,
}

impl StopFees {
    pub const KEYS: [&'static str; 3] = ["none", "refunded", "kept"];

    pub fn parse(s: &str) -> Option<StopFees> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "none" => Some(StopFees::None),
            "refunded" => Some(StopFees::Refunded),
            "kept" => Some(StopFees::Kept),
            _ => None,
        }
    }

    /// As the notice words it after "Phí, lệ phí: " (Vietnamese by law).
    pub fn words(self) -> &'static str {
        match self {
            StopFees::None => "không có khoản đã nộp phải hoàn trả.",
            StopFees::Refunded => "đã nộp được hoàn trả cho người nộp hồ sơ.",
            StopFees::Kept => "đã nộp không được hoàn trả theo quy định.",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stop {
    pub reason: String,
    pub fees: StopFees,
}

/// A form to issue for a dossier, with what the desk wrote on it. In JSON:
/// `{"form": "supplement", "missing": [{"document", "reason"}], "guide": ""}`,
/// `{"form": "refusal", "reasons": […]}`, `{"form": "apology", "reason", "new_due"}`,
/// `{"form": "stop", "reason", "fees"}`, `{"form": "control"}`. The numbers both sets give
/// the same form ("02"–"04") work as well; "05" and above depend on the set, so only names.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum FormRequest {
    #[serde(alias = "02")]
    Supplement(SupplementInput),
    #[serde(alias = "03")]
    Refusal(RefusalInput),
    #[serde(alias = "04")]
    Apology(ApologyInput),
    Stop(StopInput),
    Control,
}

impl FormRequest {
    pub fn form(&self) -> Form {
        match self {
            FormRequest::Supplement(_) => Form::Supplement,
            FormRequest::Refusal(_) => Form::Refusal,
            FormRequest::Apology(_) => Form::Apology,
            FormRequest::Stop(_) => Form::Stop,
            FormRequest::Control => Form::Control,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    pub document: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplement {
    pub missing: Vec<Missing>,
    pub guide: String,
    /// The desk's phone line, which the form gives the citizen (the `desk-phone` setting).
    #[serde(default)]
    pub desk_phone: String,
}

impl Supplement {
    /// A document the dossier took from a national database or VNeID cannot be asked for
    /// on paper (Nghị định 224/2026/NĐ-CP Art. 18.4): each such request is refused, naming
    /// the document.
    pub fn refuse_taken_from_data(&self, dossier: &Dossier) -> Result<(), CoreError> {
        let taken: Vec<String> = dossier
            .documents
            .iter()
            .filter(|d| d.from_data)
            .map(|d| fold(&d.name))
            .collect();
        let errors: Vec<FieldError> = self
            .missing
            .iter()
            .enumerate()
            .filter(|(_, m)| taken.contains(&fold(&m.document)))
            .map(|(i, m)| {
                FieldError::new(
                    format!("supplement.missing[{i}].document"),
                    Problem::TakenFromData {
                        document: m.document.clone(),
                    },
                )
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Invalid(errors))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Apology {
    pub reason: String,
    #[serde(with = "crate::vntime::serde_vn")]
    pub new_due: DateTime<Utc>,
}

fn done<T>(c: Checker, value: T) -> Result<T, CoreError> {
    if c.is_ok() {
        Ok(value)
    } else {
        Err(CoreError::Invalid(c.errors))
    }
}

/// At least one item, at most `MAX_ITEMS`.
fn count(c: &mut Checker, field: &str, n: usize) {
    if n == 0 {
        c.fail(field, Problem::Required);
    } else if n > MAX_ITEMS {
        c.fail(field, Problem::TooMany { max: MAX_ITEMS });
    }
}

impl SupplementInput {
    pub fn validate(&self) -> Result<Supplement, CoreError> {
        let mut c = Checker::new();
        // Rows left blank in a form are not an error, only an empty list is.
        let rows: Vec<&MissingInput> = self
            .missing
            .iter()
            .filter(|m| !(m.document.trim().is_empty() && m.reason.trim().is_empty()))
            .collect();
        count(&mut c, "supplement.missing", rows.len());
        let missing = rows
            .iter()
            .enumerate()
            .map(|(i, m)| Missing {
                document: c.line(
                    &format!("supplement.missing[{i}].document"),
                    &m.document,
                    true,
                    MAX_DOC_NAME,
                ),
                reason: c.text(
                    &format!("supplement.missing[{i}].reason"),
                    &m.reason,
                    true,
                    MAX_REASON,
                ),
            })
            .collect();
        let guide = c.text("supplement.guide", &self.guide, false, MAX_REASON);
        done(
            c,
            Supplement {
                missing,
                guide,
                desk_phone: String::new(),
            },
        )
    }
}

impl RefusalInput {
    pub fn validate(&self) -> Result<Refusal, CoreError> {
        let mut c = Checker::new();
        let given: Vec<&String> = self
            .reasons
            .iter()
            .filter(|r| !r.trim().is_empty())
            .collect();
        count(&mut c, "refusal.reasons", given.len());
        let reasons = given
            .iter()
            .enumerate()
            .map(|(i, r)| c.text(&format!("refusal.reasons[{i}]"), r, true, MAX_REASON))
            .collect();
        done(c, Refusal { reasons })
    }
}

impl ApologyInput {
    /// The new appointment must be a working day and later than `current_due`.
    pub fn validate(
        &self,
        current_due: DateTime<Utc>,
        calendar: &WorkCalendar,
        hours: &OfficeHours,
    ) -> Result<Apology, CoreError> {
        let mut c = Checker::new();
        let reason = c.text("apology.reason", &self.reason, true, MAX_REASON);
        let field = "apology.new_due";
        let new_due = if self.new_due.trim().is_empty() {
            c.fail(field, Problem::Required);
            current_due
        } else {
            match parse_vn(&self.new_due, hours.afternoon_end) {
                None => {
                    c.fail(field, Problem::DateTime);
                    current_due
                }
                Some(t) => {
                    if t <= current_due {
                        c.fail(
                            field,
                            Problem::NotAfter {
                                when: to_vn(current_due).format("%H:%M %d/%m/%Y").to_string(),
                            },
                        );
                    } else if !calendar.is_working_day(vn_date(t)) {
                        c.fail(
                            field,
                            Problem::DayOff {
                                date: vn_date(t).format("%d/%m/%Y").to_string(),
                            },
                        );
                    }
                    t
                }
            }
        };
        done(c, Apology { reason, new_due })
    }
}

impl StopInput {
    pub fn validate(&self) -> Result<Stop, CoreError> {
        let mut c = Checker::new();
        let given = self.reason.trim();
        // A key of the usual reasons stands for its words.
        let chosen = STOP_REASONS
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(given))
            .map(|(_, words)| *words)
            .unwrap_or(given);
        let reason = c.text("stop.reason", chosen, true, MAX_REASON);
        let fees = StopFees::parse(&self.fees).unwrap_or_else(|| {
            c.fail(
                "stop.fees",
                Problem::Invalid {
                    detail: StopFees::KEYS.join(", "),
                },
            );
            StopFees::None
        });
        done(c, Stop { reason, fees })
    }
}

impl Apology {
    /// What the history records of it.
    pub fn event_data(&self, previous_due: DateTime<Utc>) -> serde_json::Value {
        serde_json::json!({
            "reason": self.reason,
            "due_at": rfc3339_vn(self.new_due),
            "previous_due_at": rfc3339_vn(previous_due),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::CalendarRules;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_supplement_request_needs_each_document_and_its_reason() {
        let err = SupplementInput::default().validate().unwrap_err();
        assert_eq!(err.field_errors()[0].field, "supplement.missing");
        let input = SupplementInput {
            missing: vec![
                MissingInput::from_pair("Tờ khai đăng ký khai sinh:chưa ký: thiếu trang 2"),
                MissingInput::from_pair("Giấy chứng sinh"),
                MissingInput::default(),
            ],
            guide: String::new(),
        };
        let err = input.validate().unwrap_err();
        let fields: Vec<&str> = err
            .field_errors()
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(fields, ["supplement.missing[1].reason"]);
        assert!(err
            .message(crate::i18n::Lang::En)
            .contains("Reason for missing document no. 2"));
        let ok = SupplementInput {
            missing: vec![MissingInput::from_pair("Tờ khai:chưa ký: thiếu trang 2")],
            guide: String::new(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.missing[0].document, "Tờ khai");
        assert_eq!(ok.missing[0].reason, "chưa ký: thiếu trang 2");
    }

    #[test]
    fn a_refusal_needs_a_reason() {
        let blank = RefusalInput {
            reasons: vec!["  ".into()],
        };
        assert_eq!(
            blank.validate().unwrap_err().field_errors()[0].field,
            "refusal.reasons"
        );
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "Không thuộc thẩm quyền".nfd().collect();
        let ok = RefusalInput {
            reasons: vec![nfd, String::new()],
        }
        .validate()
        .unwrap();
        assert_eq!(ok.reasons, ["Không thuộc thẩm quyền"]);
    }

    #[test]
    fn a_new_appointment_comes_later_on_a_working_day() {
        let cal = WorkCalendar::new(crate::calendar::seed_notices(), CalendarRules::default());
        let hours = OfficeHours::default();
        let due = at("2027-03-04T09:00:00+07:00");
        let input = |new_due: &str| ApologyInput {
            reason: "Chờ xác minh".into(),
            new_due: new_due.into(),
        };
        let ok = input("2027-03-10").validate(due, &cal, &hours).unwrap();
        assert_eq!(rfc3339_vn(ok.new_due), "2027-03-10T17:00:00+07:00");
        let field_problem = |s: &str| {
            input(s)
                .validate(due, &cal, &hours)
                .unwrap_err()
                .field_errors()[0]
                .problem
                .clone()
        };
        assert!(matches!(
            field_problem("2027-03-03"),
            Problem::NotAfter { .. }
        ));
        assert!(matches!(
            field_problem("2027-03-06"),
            Problem::DayOff { .. }
        ));
        assert_eq!(field_problem("mai"), Problem::DateTime);
        let err = ApologyInput::default()
            .validate(due, &cal, &hours)
            .unwrap_err();
        assert_eq!(err.field_errors().len(), 2);
    }

    #[test]
    fn a_stop_takes_a_usual_reason_by_key_or_typed_words() {
        let stop = |reason: &str, fees: &str| {
            StopInput {
                reason: reason.into(),
                fees: fees.into(),
            }
            .validate()
        };
        let s = stop("request", "").unwrap();
        assert_eq!(s.reason, STOP_REASONS[0].1);
        assert_eq!(s.fees, StopFees::None);
        let s = stop("Cơ quan có thẩm quyền yêu cầu dừng", "refunded").unwrap();
        assert_eq!(s.reason, "Cơ quan có thẩm quyền yêu cầu dừng");
        assert_eq!(s.fees, StopFees::Refunded);
        let err = stop(" ", "maybe").unwrap_err();
        let fields: Vec<&str> = err
            .field_errors()
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(fields, ["stop.reason", "stop.fees"]);
        let r: FormRequest =
            serde_json::from_str(r#"{"form": "stop", "reason": "request"}"#).unwrap();
        assert_eq!(r.form(), Form::Stop);
        assert!(serde_json::from_str::<FormRequest>(r#"{"form": "05"}"#).is_err());
    }

    #[test]
    fn requests_read_by_name_or_2018_number() {
        let r: FormRequest =
            serde_json::from_str(r#"{"form": "03", "reasons": ["Không thuộc thẩm quyền"]}"#)
                .unwrap();
        assert_eq!(r.form(), Form::Refusal);
        let r: FormRequest = serde_json::from_str(r#"{"form": "control"}"#).unwrap();
        assert_eq!(r, FormRequest::Control);
    }
}
