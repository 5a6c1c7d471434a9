//! What the window and the CLI ask the core to do, read once here. Both doors receive plain
//! strings and numbers (serde from the page, clap from the command line); the functions and
//! request types below turn them into domain types or an `Invalid` error naming the field,
//! so a date, a moment or a status is accepted in the same forms whichever door it came in.
//! Dates and moments are read by `vntime::parse_date` and `vntime::parse_vn` only.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Deserialize;

use crate::calendar::DayKind;
use crate::delivery::DeliveryInput;
use crate::error::Problem;
use crate::form_input::{
    ApologyInput, FormRequest, MissingInput, RefusalInput, StopInput, SupplementInput,
};
use crate::form_set::{Form, FormSet};
use crate::handover::HandoverInput;
use crate::status::Status;
use crate::store::{ListFilter, Worklist};
use crate::transfer::{TransferInput, TransferItem};
use crate::vntime::{now, parse_date, parse_vn, vn_date};
use crate::{CoreError, CoreResult};

/// A typed date (`field` names it in the error): day first, ISO, or `today`.
pub fn date(field: &str, s: &str) -> CoreResult<NaiveDate> {
    parse_date(s, vn_date(now())).ok_or_else(|| CoreError::invalid(field, Problem::Date))
}

/// A date that may be left out: missing or blank is `None`.
pub fn optional_date(field: &str, s: Option<&str>) -> CoreResult<Option<NaiveDate>> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => date(field, s).map(Some),
    }
}

/// A typed moment that may be left out (missing or blank: `None`, meaning now); a bare date
/// means `closing` that day, the desk's closing time.
pub fn optional_moment(
    field: &str,
    s: Option<&str>,
    closing: NaiveTime,
) -> CoreResult<Option<DateTime<Utc>>> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse_vn(s, closing)
            .map(Some)
            .ok_or_else(|| CoreError::invalid(field, Problem::DateTime)),
    }
}

/// A moment that must be given.
pub fn moment(field: &str, s: &str, closing: NaiveTime) -> CoreResult<DateTime<Utc>> {
    optional_moment(field, Some(s), closing)?
        .ok_or_else(|| CoreError::invalid(field, Problem::Required))
}

/// A status code 1–10.
pub fn status(field: &str, code: i64) -> CoreResult<Status> {
    Status::from_code(code)
        .ok_or_else(|| CoreError::invalid(field, Problem::OutOfRange { min: 1, max: 10 }))
}

/// A period of whole days, both included: the report, its exports and the register book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DateRange {
    pub fn parse(from: &str, to: &str) -> CoreResult<DateRange> {
        Ok(DateRange {
            from: date("from", from)?,
            to: date("to", to)?,
        })
    }
}

/// What a dossier list asks (`list_dossiers`, `motcua list`); every condition optional.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListRequest {
    /// A date (`today`, day first or ISO): received that day.
    pub date: Option<String>,
    /// Received from / to, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub status: Option<i64>,
    pub procedure: Option<String>,
    /// A working list: due today, overdue, ready.
    pub worklist: Option<Worklist>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl ListRequest {
    /// The filter, working lists judged at `now`.
    pub fn parse(self, now: DateTime<Utc>) -> CoreResult<ListFilter> {
        Ok(ListFilter {
            date: optional_date("date", self.date.as_deref())?,
            from: optional_date("from", self.from.as_deref())?,
            to: optional_date("to", self.to.as_deref())?,
            status: self.status.map(|s| status("status", s)).transpose()?,
            procedure: self.procedure.filter(|p| !p.trim().is_empty()),
            worklist: self.worklist.map(|w| (w, now)),
            limit: self.limit,
            offset: self.offset,
        })
    }
}

/// A status move (`transition_dossier`, `motcua transition`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRequest {
    pub code: String,
    pub to: Status,
    pub note: String,
    /// `None`: now.
    pub at: Option<DateTime<Utc>>,
    /// Refused if the dossier is no longer at this version (someone else changed it).
    pub expected_version: Option<i64>,
}

impl TransitionRequest {
    /// `closing` is the desk's closing time, which a bare date in `at` means.
    pub fn parse(
        code: String,
        to: i64,
        note: Option<String>,
        at: Option<&str>,
        expected_version: Option<i64>,
        closing: NaiveTime,
    ) -> CoreResult<TransitionRequest> {
        Ok(TransitionRequest {
            code,
            to: status("status", to)?,
            note: note.unwrap_or_default(),
            at: optional_moment("at", at, closing)?,
            expected_version,
        })
    }
}

/// A result handed to the citizen or to the post (`hand_over_result`, `motcua handover`).
#[derive(Debug, Clone)]
pub struct HandoverRequest {
    pub code: String,
    pub input: HandoverInput,
    pub at: Option<DateTime<Utc>>,
}

impl HandoverRequest {
    pub fn parse(
        code: String,
        input: HandoverInput,
        at: Option<&str>,
        closing: NaiveTime,
    ) -> CoreResult<HandoverRequest> {
        Ok(HandoverRequest {
            code,
            input,
            at: optional_moment("at", at, closing)?,
        })
    }
}

/// The hand-over as the command line says it: a tracking number means by post.
#[derive(Debug, Clone, Default)]
pub struct HandoverFlags {
    pub receiver_name: String,
    pub receiver_id: String,
    pub authorisation: String,
    pub tracking: Option<String>,
    pub rating: Option<i64>,
}

impl From<HandoverFlags> for HandoverInput {
    fn from(f: HandoverFlags) -> HandoverInput {
        HandoverInput {
            method: if f.tracking.is_some() {
                "post"
            } else {
                "person"
            }
            .into(),
            receiver_name: f.receiver_name,
            receiver_id: f.receiver_id,
            authorisation: f.authorisation,
            tracking: f.tracking.unwrap_or_default(),
            rating: f.rating,
        }
    }
}

/// What the post says of a result it carried (`record_delivery`, `motcua delivery`).
#[derive(Debug, Clone)]
pub struct DeliveryRequest {
    pub code: String,
    pub input: DeliveryInput,
    pub at: Option<DateTime<Utc>>,
}

impl DeliveryRequest {
    pub fn parse(
        code: String,
        input: DeliveryInput,
        at: Option<&str>,
        closing: NaiveTime,
    ) -> CoreResult<DeliveryRequest> {
        Ok(DeliveryRequest {
            code,
            input,
            at: optional_moment("at", at, closing)?,
        })
    }
}

/// A form for a dossier (`issue_form`, `motcua form`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormIssue {
    pub code: String,
    pub request: FormRequest,
    pub at: Option<DateTime<Utc>>,
}

impl FormIssue {
    pub fn parse(
        code: String,
        request: FormRequest,
        at: Option<&str>,
        closing: NaiveTime,
    ) -> CoreResult<FormIssue> {
        Ok(FormIssue {
            code,
            request,
            at: optional_moment("at", at, closing)?,
        })
    }
}

/// A form as the command line asks for it: by its number in `set` or by name, with every
/// form's flags (each form reads its own).
#[derive(Debug, Clone, Default)]
pub struct FormFlags {
    pub form: String,
    /// Mẫu 02: "DOCUMENT:REASON" each.
    pub missing: Vec<String>,
    pub guide: String,
    /// Mẫu 03: one per reason; Mẫu 04 and the stop notice: lines of one reason.
    pub reasons: Vec<String>,
    pub fees: String,
    pub new_due: Option<String>,
}

impl FormFlags {
    pub fn request(self, set: FormSet) -> CoreResult<FormRequest> {
        Ok(match set.form(&self.form)? {
            Form::Supplement => FormRequest::Supplement(SupplementInput {
                missing: self
                    .missing
                    .iter()
                    .map(|m| MissingInput::from_pair(m))
                    .collect(),
                guide: self.guide,
            }),
            Form::Refusal => FormRequest::Refusal(RefusalInput {
                reasons: self.reasons,
            }),
            Form::Apology => FormRequest::Apology(ApologyInput {
                reason: self.reasons.join("\n"),
                new_due: self.new_due.unwrap_or_default(),
            }),
            Form::Stop => FormRequest::Stop(StopInput {
                reason: self.reasons.join("\n"),
                fees: self.fees,
            }),
            Form::Control => FormRequest::Control,
            // Printed by their own commands, which the message names.
            Form::Receipt => return Err(printed_by("motcua receipt")),
            Form::Register => return Err(printed_by("motcua register")),
        })
    }
}

fn printed_by(command: &str) -> CoreError {
    CoreError::invalid(
        "form",
        Problem::Invalid {
            detail: command.into(),
        },
    )
}

/// Dossiers moved together, all or none (`transfer_dossiers`, `motcua transfer`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferRequest {
    pub input: TransferInput,
    pub at: Option<DateTime<Utc>>,
}

impl TransferRequest {
    pub fn parse(
        input: TransferInput,
        at: Option<&str>,
        closing: NaiveTime,
    ) -> CoreResult<TransferRequest> {
        Ok(TransferRequest {
            input,
            at: optional_moment("at", at, closing)?,
        })
    }
}

/// The dossiers of a transfer by code alone, at the version they have when it runs.
pub fn transfer_items(codes: Vec<String>) -> Vec<TransferItem> {
    codes
        .into_iter()
        .map(|code| TransferItem {
            code,
            version: None,
        })
        .collect()
}

/// A government notice's day (`calendar_add`, `motcua calendar add-off|add-workday`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRequest {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub reason: String,
    pub reference: String,
}

impl NoticeRequest {
    pub fn parse(
        date: &str,
        kind: DayKind,
        reason: String,
        reference: String,
    ) -> CoreResult<NoticeRequest> {
        Ok(NoticeRequest {
            date: notice_date(date)?,
            kind,
            reason,
            reference,
        })
    }
}

/// The day of a notice to remove (`calendar_remove`, `motcua calendar remove`).
pub fn notice_date(date: &str) -> CoreResult<NaiveDate> {
    self::date("notice.date", date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn five() -> NaiveTime {
        NaiveTime::from_hms_opt(17, 0, 0).unwrap()
    }

    #[test]
    fn errors_name_the_field() {
        let e = date("from", "31/02/2027").unwrap_err();
        assert_eq!(e.field_errors()[0].field, "from");
        let e = optional_moment("at", Some("hôm qua"), five()).unwrap_err();
        assert_eq!(e.field_errors()[0].field, "at");
        assert_eq!(e.kind(), "invalid");
    }

    #[test]
    fn a_transition_names_its_bad_fields() {
        let e = TransitionRequest::parse("X".into(), 11, None, None, None, five()).unwrap_err();
        assert_eq!(e.field_errors()[0].field, "status");
        let e = TransitionRequest::parse("X".into(), 4, None, Some("4/13/2027"), None, five())
            .unwrap_err();
        assert_eq!(e.field_errors()[0].field, "at");
        let ok = TransitionRequest::parse(
            "X".into(),
            4,
            None,
            Some("10/03/2027 08:30"),
            Some(2),
            five(),
        )
        .unwrap();
        assert_eq!(ok.to, Status::from_code(4).unwrap());
        assert_eq!(ok.expected_version, Some(2));
    }

    #[test]
    fn a_tracking_number_means_by_post() {
        let input = HandoverInput::from(HandoverFlags {
            tracking: Some("EM123".into()),
            ..HandoverFlags::default()
        });
        assert_eq!(input.method, "post");
        assert_eq!(
            HandoverInput::from(HandoverFlags::default()).method,
            "person"
        );
    }

    #[test]
    fn the_command_line_names_forms_as_the_window_does() {
        let flags = FormFlags {
            form: "03".into(),
            reasons: vec!["Không thuộc thẩm quyền".into()],
            ..FormFlags::default()
        };
        let request = flags.request(FormSet::Tt03_2025).unwrap();
        assert_eq!(request.form(), Form::Refusal);
        let receipt = FormFlags {
            form: "01".into(),
            ..FormFlags::default()
        };
        assert_eq!(
            receipt.request(FormSet::Tt03_2025).unwrap_err().kind(),
            "invalid"
        );
    }

    #[test]
    fn a_list_reads_its_dates_and_status_once() {
        let filter = ListRequest {
            date: Some("today".into()),
            status: Some(9),
            procedure: Some(" ".into()),
            ..ListRequest::default()
        }
        .parse(now())
        .unwrap();
        assert_eq!(filter.date, Some(vn_date(now())));
        assert_eq!(filter.procedure, None);
        let e = ListRequest {
            status: Some(0),
            ..ListRequest::default()
        }
        .parse(now())
        .unwrap_err();
        assert_eq!(e.field_errors()[0].field, "status");
    }

    #[test]
    fn blank_is_left_out() {
        assert_eq!(optional_date("date", Some("  ")).unwrap(), None);
        assert_eq!(optional_moment("at", None, five()).unwrap(), None);
        assert!(moment("received_at", " ", five()).is_err());
    }

    #[test]
    fn every_door_reads_the_same_forms() {
        for typed in [
            "2027-03-10T08:30:00+07:00",
            "2027-03-10T01:30:00Z",
            "2027-03-10T08:30",
            "2027-03-10 08:30",
            "10/03/2027 08:30",
        ] {
            let at = moment("at", typed, five()).unwrap();
            assert_eq!(crate::vntime::rfc3339_vn(at), "2027-03-10T08:30:00+07:00");
        }
        let closing = moment("at", "10/03/2027", five()).unwrap();
        assert_eq!(
            crate::vntime::rfc3339_vn(closing),
            "2027-03-10T17:00:00+07:00"
        );
        assert_eq!(
            date("to", "10/03/2027").unwrap(),
            date("to", "2027-03-10").unwrap()
        );
    }
}
