//! Text hygiene for Vietnamese input. Webviews and input methods may hand us decomposed
//! (NFD) letters; PDFs have no shaping and the database compares bytes, so everything is
//! stored NFC. Search compares a folded form that ignores tone marks and case.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// What a keyboard-wedge scanner types with Caps Lock on: every ASCII letter's case flipped.
pub fn caps_lock(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_uppercase() {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect()
}

/// NFC-normalise and trim.
pub fn clean(s: &str) -> String {
    s.nfc().collect::<String>().trim().to_string()
}

/// NFC-normalise, trim and collapse runs of white space to one space: for names and
/// one-line fields, where a double space is never meant.
pub fn clean_line(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The search key of a text: no diacritics, lower case, đ → d, single spaces.
/// "Nguyễn Văn An" → "nguyen van an".
pub fn fold(s: &str) -> String {
    let stripped: String = s
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect();
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every word-suffix of a folded name: "nguyen van an" → ["nguyen van an", "van an", "an"].
/// Indexed, they let a prefix search find a name by its start or by a middle name.
pub fn suffix_terms(folded: &str) -> Vec<String> {
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut terms: Vec<String> = (0..words.len()).map(|i| words[i..].join(" ")).collect();
    terms.dedup();
    terms
}

/// Characters that have no business in a form field: C0/C1 controls, and the bidirectional
/// overrides and isolates that can make a printed name read differently from what is stored.
pub fn is_forbidden_char(c: char, allow_newlines: bool) -> bool {
    if allow_newlines && (c == '\n' || c == '\r' || c == '\t') {
        return false;
    }
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{FEFF}')
}

/// Keep only the digits (and a leading +) of a phone or ID number as typed.
pub fn digits_only(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_tones_and_case() {
        assert_eq!(fold("Nguyễn Văn An"), "nguyen van an");
        assert_eq!(fold("ĐẶNG  Thị   Ánh"), "dang thi anh");
    }

    #[test]
    fn nfd_input_becomes_nfc() {
        let nfd: String = "Nguyễn".nfd().collect();
        assert_ne!(nfd, "Nguyễn");
        assert_eq!(clean(&nfd), "Nguyễn");
    }

    #[test]
    fn suffixes_of_a_name() {
        assert_eq!(
            suffix_terms("nguyen van an"),
            vec!["nguyen van an", "van an", "an"]
        );
    }

    #[test]
    fn bidi_overrides_are_forbidden() {
        assert!(is_forbidden_char('\u{202E}', true));
        assert!(is_forbidden_char('\u{7}', true));
        assert!(!is_forbidden_char('\n', true));
        assert!(is_forbidden_char('\n', false));
    }
}
