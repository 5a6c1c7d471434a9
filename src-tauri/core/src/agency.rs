//! The receiving agency: who prints the receipts and whose code starts every dossier code.

use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::problem::Problem;
use crate::validate::Checker;

/// The agency identifier (mã định danh, QCVN 102:2016/BTTTT) assigned by the province, e.g.
/// `000.00.14.H56` or `H26.107`. Opaque: upper-case letters, digits and dots, 3–20 chars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(try_from = "String", into = "String")]
pub struct AgencyCode(String);

impl AgencyCode {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let s = raw.trim().to_ascii_uppercase();
        let ok = (3..=20).contains(&s.len())
            && s.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.')
            && !s.starts_with('.')
            && !s.ends_with('.')
            && !s.contains("..");
        if ok {
            Ok(AgencyCode(s))
        } else {
            Err(Problem::AgencyCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AgencyCode {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        AgencyCode::parse(&value).map_err(|_| format!("invalid agency code {value:?}"))
    }
}

impl From<AgencyCode> for String {
    fn from(code: AgencyCode) -> String {
        code.0
    }
}

impl std::fmt::Display for AgencyCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Set at first run; printed on every receipt. A dossier keeps a copy of what was in force
/// when it was issued, because names change (the 2025 reform renamed every commune).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub code: AgencyCode,
    /// Cơ quan chủ quản, e.g. "UBND XÃ HƯỚNG THỌ PHÚ".
    pub governing_body: String,
    /// e.g. "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG".
    pub unit: String,
    /// Địa danh for "<place>, ngày … tháng … năm …".
    pub place: String,
}

/// What the set-up form sends.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AgencyInput {
    pub agency_code: String,
    pub governing_body: String,
    pub unit: String,
    pub place: String,
    #[serde(default)]
    pub first_number: Option<i64>,
}

pub const MAX_FIRST_NUMBER: i64 = 99_999_999;

impl AgencyInput {
    /// Checks every field; returns the agency and the first number of each day.
    pub fn validate(&self) -> Result<(Agency, i64), CoreError> {
        let mut c = Checker::new();
        let code = match AgencyCode::parse(&self.agency_code) {
            Ok(code) => Some(code),
            Err(p) => {
                c.fail("agency.code", p);
                None
            }
        };
        let governing_body = c.line("agency.governing_body", &self.governing_body, true, 150);
        let unit = c.line("agency.unit", &self.unit, true, 150);
        let place = c.line("agency.place", &self.place, true, 100);
        let first = c.range(
            "agency.first_number",
            self.first_number.unwrap_or(1),
            1,
            MAX_FIRST_NUMBER,
        );
        match (code, c.is_ok()) {
            (Some(code), true) => Ok((
                Agency {
                    code,
                    governing_body,
                    unit,
                    place,
                },
                first,
            )),
            _ => Err(CoreError::Invalid(c.errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_codes() {
        assert!(AgencyCode::parse("000.00.14.H56").is_ok());
        assert!(AgencyCode::parse("h26.107").is_ok());
        assert!(AgencyCode::parse("AB").is_err());
        assert!(AgencyCode::parse("000-00").is_err());
        assert!(AgencyCode::parse(".H56").is_err());
        assert!(AgencyCode::parse("000.00.14.H56.000.00.1").is_err());
    }
}
