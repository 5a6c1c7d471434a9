//! Field validators shared by intake, set-up and settings. Each one takes raw input and
//! either returns the cleaned value or pushes a `FieldError` naming the field, so a form can
//! report every problem at once.

use crate::problem::{FieldError, Problem};
use crate::text::{clean, clean_line, digits_only, is_forbidden_char};

/// Collects field errors while a form is read.
#[derive(Debug, Default)]
pub struct Checker {
    pub errors: Vec<FieldError>,
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: &str, problem: Problem) {
        self.errors.push(FieldError::new(field, problem));
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// A one-line text: NFC, trimmed, spaces collapsed, no control characters.
    pub fn line(&mut self, field: &str, raw: &str, required: bool, max: usize) -> String {
        let value = clean_line(raw);
        self.check_text(field, &value, required, max, false);
        value
    }

    /// A multi-line text (notes, reasons): NFC, trimmed, newlines allowed.
    pub fn text(&mut self, field: &str, raw: &str, required: bool, max: usize) -> String {
        let value = clean(raw);
        self.check_text(field, &value, required, max, true);
        value
    }

    fn check_text(&mut self, field: &str, value: &str, required: bool, max: usize, newlines: bool) {
        if value.is_empty() {
            if required {
                self.fail(field, Problem::Required);
            }
        } else if value.chars().any(|c| is_forbidden_char(c, newlines)) {
            self.fail(field, Problem::ForbiddenChars);
        } else if value.chars().count() > max {
            self.fail(field, Problem::TooLong { max });
        }
    }

    /// A person's name: letters (any script), spaces and the punctuation names use.
    pub fn person_name(&mut self, field: &str, raw: &str, required: bool) -> String {
        let value = self.line(field, raw, required, MAX_NAME);
        if !value.is_empty()
            && self.errors.last().is_none_or(|e| e.field != field)
            && !value.chars().all(|c| {
                c.is_alphabetic() || c == ' ' || c == '\'' || c == '-' || c == '.' || is_mark(c)
            })
        {
            self.fail(field, Problem::NotAName);
        }
        value
    }

    /// A citizen ID (12 digits) or a passport number (a letter then 5–8 letters or digits).
    /// Returned upper-case, spaces removed.
    pub fn id_number(&mut self, field: &str, raw: &str, required: bool) -> String {
        let compact: String = clean(raw)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if compact.is_empty() {
            if required {
                self.fail(field, Problem::Required);
            }
            return compact;
        }
        if !is_id_number(&compact) {
            self.fail(field, Problem::IdNumber);
        }
        compact
    }

    /// A Vietnamese phone number, returned in the national form 0xxxxxxxxx.
    pub fn phone(&mut self, field: &str, raw: &str, required: bool) -> String {
        let trimmed = clean(raw);
        if trimmed.is_empty() {
            if required {
                self.fail(field, Problem::Required);
            }
            return String::new();
        }
        match normalize_phone(&trimmed) {
            Some(p) => p,
            None => {
                self.fail(field, Problem::Phone);
                trimmed
            }
        }
    }

    pub fn email(&mut self, field: &str, raw: &str) -> String {
        let value = clean(raw);
        if value.is_empty() {
            return value;
        }
        if value.chars().count() > MAX_EMAIL || !is_email(&value) {
            self.fail(field, Problem::Email);
        }
        value
    }

    pub fn range(&mut self, field: &str, value: i64, min: i64, max: i64) -> i64 {
        if value < min || value > max {
            self.fail(field, Problem::OutOfRange { min, max });
        }
        value
    }
}

pub const MAX_NAME: usize = 100;
pub const MAX_ADDRESS: usize = 300;
pub const MAX_EMAIL: usize = 254;
pub const MAX_NOTE: usize = 2000;
pub const MAX_DOC_NAME: usize = 300;
/// A competent authority's name, as the office lists it.
pub const MAX_AUTHORITY: usize = 200;
pub const MAX_DOCUMENTS: usize = 100;

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

pub fn is_id_number(s: &str) -> bool {
    let all_digits = s.chars().all(|c| c.is_ascii_digit());
    if all_digits {
        return s.len() == 12;
    }
    let mut chars = s.chars();
    let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_uppercase());
    first_is_letter
        && (6..=9).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && s.chars().any(|c| c.is_ascii_digit())
}

/// "+84 912 345 678", "0912.345.678", "84912345678" → "0912345678". Mobile numbers have ten
/// digits after the 0 prefix 3/5/7/8/9; landlines eleven with prefix 02.
pub fn normalize_phone(s: &str) -> Option<String> {
    let allowed = s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')' | '+'));
    if !allowed
        || s.matches('+').count() > 1
        || (s.contains('+') && !s.trim_start().starts_with('+'))
    {
        return None;
    }
    let digits = digits_only(s);
    let national = if let Some(rest) = digits
        .strip_prefix("84")
        .filter(|_| s.trim_start().starts_with('+') || digits.len() == 11 || digits.len() == 12)
    {
        format!("0{rest}")
    } else {
        digits
    };
    let bytes = national.as_bytes();
    let ok = match national.len() {
        10 => bytes[0] == b'0' && matches!(bytes[1], b'3' | b'5' | b'7' | b'8' | b'9'),
        11 => bytes[0] == b'0' && bytes[1] == b'2',
        _ => false,
    };
    ok.then_some(national)
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(
            normalize_phone("+84 912 345 678").as_deref(),
            Some("0912345678")
        );
        assert_eq!(
            normalize_phone("0912.345.678").as_deref(),
            Some("0912345678")
        );
        assert_eq!(
            normalize_phone("84912345678").as_deref(),
            Some("0912345678")
        );
        assert_eq!(
            normalize_phone("0272 3826 123").as_deref(),
            Some("02723826123")
        );
        assert_eq!(normalize_phone("012345678"), None);
        assert_eq!(normalize_phone("0112345678"), None);
        assert_eq!(normalize_phone("09123456ab"), None);
        assert_eq!(normalize_phone("09+12345678"), None);
    }

    #[test]
    fn id_numbers() {
        assert!(is_id_number("079203001234"));
        assert!(is_id_number("C1234567"));
        assert!(!is_id_number("07920300123"));
        assert!(!is_id_number("272345678"));
        assert!(!is_id_number("ABCDEFG"));
    }

    #[test]
    fn names() {
        let mut c = Checker::new();
        assert_eq!(
            c.person_name("n", "  Nguyễn   Văn An ", true),
            "Nguyễn Văn An"
        );
        assert!(c.is_ok());
        c.person_name("n", "Robert'); DROP TABLE", true);
        assert_eq!(c.errors.len(), 1);
        c.person_name("m", "An 😀", true);
        assert_eq!(c.errors.len(), 2);
    }
}
