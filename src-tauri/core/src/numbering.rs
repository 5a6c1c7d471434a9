//! Dossier codes: `<agency code>-<yyMMdd>-<NNNN>`. The sequence restarts each Vietnam day
//! for each agency at the configured first number, is four digits zero-padded and grows to
//! five or more past 9999. The number itself is allocated by the store, in the same
//! transaction as the dossier, so a code is never skipped, duplicated or reused.

use chrono::NaiveDate;

use crate::agency::AgencyCode;

/// The day part of a code: `yyMMdd` of the Vietnam date of reception.
pub fn day_part(date: NaiveDate) -> String {
    date.format("%y%m%d").to_string()
}

pub fn format_code(agency: &AgencyCode, date: NaiveDate, seq: i64) -> String {
    format!("{}-{}-{:04}", agency.as_str(), day_part(date), seq)
}

/// The parts of a code read back, e.g. from a scanned barcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCode {
    pub agency: AgencyCode,
    pub day: String,
    pub seq: i64,
}

/// Reads a code typed or scanned in any case, with stray white space. `None` if it does not
/// have the shape of a dossier code.
pub fn parse_code(raw: &str) -> Option<ParsedCode> {
    let s = raw.trim().to_ascii_uppercase();
    let mut parts = s.rsplitn(3, '-');
    let seq_part = parts.next()?;
    let day = parts.next()?;
    let agency = parts.next()?;
    if day.len() != 6 || !day.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if seq_part.len() < 4 || !seq_part.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(day, "%y%m%d").ok()?;
    Some(ParsedCode {
        agency: AgencyCode::parse(agency).ok()?,
        day: day.to_string(),
        seq: seq_part.parse().ok()?,
    })
}

/// The canonical form of a code (upper case, trimmed) if it has a code's shape.
pub fn normalize_code(raw: &str) -> Option<String> {
    parse_code(raw).map(|_| raw.trim().to_ascii_uppercase())
}

/// A code as a clerk types it: in full, or only the day's number ("1", "0001"), which means
/// that number of `today` at `agency`, the dossier the citizen's slip shows in large print.
pub fn complete_code(raw: &str, agency: &AgencyCode, today: NaiveDate) -> Option<String> {
    let typed = raw.trim();
    let short = !typed.is_empty() && typed.len() <= 6 && typed.chars().all(|c| c.is_ascii_digit());
    match typed.parse::<i64>() {
        Ok(seq) if short && seq > 0 => Some(format_code(agency, today, seq)),
        _ => normalize_code(typed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agency() -> AgencyCode {
        AgencyCode::parse("000.00.14.H56").unwrap()
    }

    #[test]
    fn the_days_number_alone_means_todays_dossier() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        for typed in ["1", "0001", " 001 "] {
            assert_eq!(
                complete_code(typed, &agency(), today).as_deref(),
                Some("000.00.14.H56-261205-0001"),
                "{typed}"
            );
        }
        assert_eq!(
            complete_code("000.00.14.h56-261204-0007", &agency(), today).as_deref(),
            Some("000.00.14.H56-261204-0007")
        );
        for typed in ["0", "", "1a", "1234567"] {
            assert_eq!(complete_code(typed, &agency(), today), None, "{typed}");
        }
    }

    #[test]
    fn codes_are_padded_to_four_digits_and_grow() {
        let d = NaiveDate::from_ymd_opt(2020, 2, 3).unwrap();
        assert_eq!(format_code(&agency(), d, 118), "000.00.14.H56-200203-0118");
        assert_eq!(
            format_code(&agency(), d, 12345),
            "000.00.14.H56-200203-12345"
        );
    }

    #[test]
    fn codes_parse_back_in_any_case() {
        let p = parse_code("  000.a0.01.h26-210212-9090 ").unwrap();
        assert_eq!(p.agency.as_str(), "000.A0.01.H26");
        assert_eq!(p.day, "210212");
        assert_eq!(p.seq, 9090);
        assert!(parse_code("H26.107-210231-0001").is_none());
        assert!(parse_code("H26.107-2102-0001").is_none());
        assert!(parse_code("nonsense").is_none());
    }
}
