//! What the window and the CLI ask the core to do, read once here. Both doors receive plain
//! strings and numbers (serde from the page, clap from the command line); the functions and
//! request types below turn them into domain types or an `Invalid` error naming the field,
//! so a date, a moment or a status is accepted in the same forms whichever door it came in.
//! Dates and moments are read by `vntime::parse_date` and `vntime::parse_vn` only.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::error::Problem;
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
