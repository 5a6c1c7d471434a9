//! What the QR code on a slip carries, and how a desk checks what a scanner typed back.
//!
//! The QR holds the dossier code and a short tag: an HMAC of the code under the desk's secret.
//! The tag proves the slip came from this office without a network round trip and keeps a
//! lookup page from being walked by guessing sequential codes. Nothing personal goes in
//! (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, Decree 356/2025/NĐ-CP), and everything stays
//! ASCII because keyboard-wedge scanners and Vietnamese input methods garble anything else.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::numbering::parse_code;

mod error;

pub use error::SlipError;

/// Crockford base32: no I, L, O, U, so a tag read aloud or retyped is unambiguous.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// 64 bits in 5-bit groups: 13 characters, the last one carrying a single zero pad bit.
pub const TAG_LEN: usize = 13;

const COMPACT_PREFIX: &str = "MC1:";

fn canonical_code(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// The verification tag of a dossier code: HMAC-SHA256 of the upper-case code, first 8
/// bytes, as 13 Crockford base32 characters.
pub fn tag(secret: &[u8], code: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        // HMAC hashes over-long keys and pads short ones: no key length is refused.
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    };
    mac.update(canonical_code(code).as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    crockford_64(u64::from_be_bytes(first))
}

fn crockford_64(value: u64) -> String {
    // Shift left by one so the 65 bits of 13 groups end in the zero pad bit.
    let bits = u128::from(value) << 1;
    (0..TAG_LEN)
        .rev()
        .map(|i| char::from(CROCKFORD[((bits >> (i * 5)) & 0x1f) as usize]))
        .collect()
}

fn is_tag(s: &str) -> bool {
    s.len() == TAG_LEN
        && s.bytes()
            .all(|b| CROCKFORD.contains(&b.to_ascii_uppercase()))
}

/// What the QR code encodes. With a lookup template (e.g.
/// `http://192.168.1.10:8080/d/{code}?k={tag}`) the placeholders are filled in; codes and tags
/// need no URL escaping (A–Z, 0–9, `.` and `-` only). Without one: `MC1:<code>:<tag>`.
pub fn payload(code: &str, tag: &str, lookup_template: Option<&str>) -> String {
    let code = canonical_code(code);
    let tag = tag.trim().to_ascii_uppercase();
    match lookup_template.map(str::trim).filter(|t| !t.is_empty()) {
        Some(template) => template.replace("{code}", &code).replace("{tag}", &tag),
        None => format!("{COMPACT_PREFIX}{code}:{tag}"),
    }
}

/// A scanned slip: the dossier code (canonical upper case) and the tag if the symbol had one
/// (the CODE128 barcode carries only the code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    pub code: String,
    pub tag: Option<String>,
}

/// Reads what a desk scanner typed: the compact form, a lookup URL, or a bare code. Case does
/// not matter (a wedge scanner with Caps Lock on flips every letter) and surrounding white
/// space is ignored. A URL without a `k=` tag still yields its code, because the lookup
/// template is an office setting that may leave the tag out. `None` for anything else.
pub fn parse_scan(input: &str) -> Option<Scanned> {
    let s = input.trim();
    if s.is_empty() || !s.is_ascii() {
        return None;
    }
    if s.len() >= COMPACT_PREFIX.len()
        && s[..COMPACT_PREFIX.len()].eq_ignore_ascii_case(COMPACT_PREFIX)
    {
        let rest = &s[COMPACT_PREFIX.len()..];
        let (code, tag) = rest.rsplit_once(':')?;
        parse_code(code)?;
        if !is_tag(tag) {
            return None;
        }
        return Some(Scanned {
            code: canonical_code(code),
            tag: Some(tag.to_ascii_uppercase()),
        });
    }
    if parse_code(s).is_some() {
        return Some(Scanned {
            code: canonical_code(s),
            tag: None,
        });
    }
    if s.chars().any(char::is_whitespace) {
        return None;
    }
    parse_url(s)
}

fn parse_url(s: &str) -> Option<Scanned> {
    let lower = s.to_ascii_lowercase();
    let looks_like_url =
        lower.starts_with("http://") || lower.starts_with("https://") || s.contains('?');
    if !looks_like_url {
        return None;
    }
    let (path, query) = match s.split_once('?') {
        Some((path, query)) => (path, Some(query.split('#').next().unwrap_or(query))),
        None => (s, None),
    };
    let mut tag = None;
    let mut code = None;
    for pair in query.into_iter().flat_map(|q| q.split('&')) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key.eq_ignore_ascii_case("k") {
            if !is_tag(value) {
                return None;
            }
            tag = Some(value.to_ascii_uppercase());
        } else if code.is_none() && parse_code(value).is_some() {
            code = Some(canonical_code(value));
        }
    }
    // A code in the path wins over one in the query: that is where the default template puts it.
    let in_path = path
        .split(['/', '#', ';'])
        .skip(1)
        .find(|seg| parse_code(seg).is_some())
        .map(canonical_code);
    let code = in_path.or(code)?;
    Some(Scanned { code, tag })
}

/// Whether `tag` is this desk's tag for `code`, in constant time and ignoring case.
pub fn verify(secret: &[u8], code: &str, tag: &str) -> bool {
    let expected = self::tag(secret, code);
    same_secret(
        expected.as_bytes(),
        tag.trim().to_ascii_uppercase().as_bytes(),
    )
}

/// Whether two secrets are equal, in time that does not tell how much of them matched.
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"desk secret for tests";
    const CODE: &str = "000.00.14.H56-270303-0001";

    #[test]
    fn tag_is_13_crockford_characters_and_stable() {
        let t = tag(SECRET, CODE);
        assert_eq!(t.len(), TAG_LEN);
        assert!(is_tag(&t), "{t}");
        assert!(!t.contains(['I', 'L', 'O', 'U']));
        assert_eq!(t, tag(SECRET, &CODE.to_lowercase()));
        assert_eq!(t, tag(SECRET, &format!("  {CODE}\n")));
        assert_ne!(t, tag(b"another secret", CODE));
        assert_ne!(t, tag(SECRET, "000.00.14.H56-270303-0002"));
    }

    #[test]
    fn crockford_encoding_matches_hand_computation() {
        assert_eq!(crockford_64(0), "0000000000000");
        // All ones: twelve full groups of 31 ('Z') and a last group 11110 = 30 ('Y').
        assert_eq!(crockford_64(u64::MAX), "ZZZZZZZZZZZZY");
        // 1 << 63: the top bit alone is 10000 = 16 ('G').
        assert_eq!(crockford_64(1 << 63), "G000000000000");
    }

    #[test]
    fn payload_forms() {
        let t = tag(SECRET, CODE);
        assert_eq!(payload(CODE, &t, None), format!("MC1:{CODE}:{t}"));
        assert_eq!(
            payload(
                &CODE.to_lowercase(),
                &t,
                Some("http://192.168.1.10:8080/d/{code}?k={tag}")
            ),
            format!("http://192.168.1.10:8080/d/{CODE}?k={t}")
        );
        assert_eq!(payload(CODE, &t, Some("  ")), format!("MC1:{CODE}:{t}"));
        assert!(payload(CODE, &t, None).is_ascii());
    }

    #[test]
    fn round_trip_through_every_form() {
        let t = tag(SECRET, CODE);
        let template = "http://192.168.1.10:8080/d/{code}?k={tag}";
        for scanned in [payload(CODE, &t, None), payload(CODE, &t, Some(template))] {
            let s = parse_scan(&scanned).unwrap();
            assert_eq!(s.code, CODE);
            assert_eq!(s.tag.as_deref(), Some(t.as_str()));
            assert!(verify(SECRET, &s.code, s.tag.as_deref().unwrap()));
        }
        let bare = parse_scan(&format!(" {CODE}\r\n")).unwrap();
        assert_eq!(
            bare,
            Scanned {
                code: CODE.into(),
                tag: None
            }
        );
    }

    #[test]
    fn caps_lock_and_lower_case_still_verify() {
        let t = tag(SECRET, CODE);
        let flipped = crate::text::caps_lock(&payload(
            CODE,
            &t,
            Some("http://192.168.1.10:8080/d/{code}?k={tag}"),
        ));
        let s = parse_scan(&flipped).unwrap();
        assert_eq!(s.code, CODE);
        assert!(verify(SECRET, &s.code, s.tag.as_deref().unwrap()));
        let compact =
            parse_scan(&format!("mc1:{}:{}", CODE.to_lowercase(), t.to_lowercase())).unwrap();
        assert!(verify(
            SECRET,
            &compact.code,
            compact.tag.as_deref().unwrap()
        ));
        assert!(verify(SECRET, &CODE.to_lowercase(), &t.to_lowercase()));
    }

    #[test]
    fn a_modified_tag_or_code_fails() {
        let t = tag(SECRET, CODE);
        let mut chars: Vec<char> = t.chars().collect();
        chars[5] = if chars[5] == 'A' { 'B' } else { 'A' };
        let modified: String = chars.into_iter().collect();
        assert!(!verify(SECRET, CODE, &modified));
        assert!(!verify(SECRET, "000.00.14.H56-270303-0002", &t));
        assert!(!verify(SECRET, CODE, &t[..12]));
        assert!(!verify(SECRET, CODE, ""));
        assert!(!verify(b"other", CODE, &t));
    }

    #[test]
    fn urls_from_other_templates() {
        let t = tag(SECRET, CODE);
        let s = parse_scan(&format!(
            "https://dichvucong.example.vn/tra-cuu?ma={CODE}&k={t}#x"
        ))
        .unwrap();
        assert_eq!(
            s,
            Scanned {
                code: CODE.into(),
                tag: Some(t.clone())
            }
        );
        let s = parse_scan(&format!("https://dichvucong.example.vn/tra-cuu?ma={CODE}")).unwrap();
        assert_eq!(
            s,
            Scanned {
                code: CODE.into(),
                tag: None
            }
        );
    }

    #[test]
    fn garbage_is_none() {
        let t = tag(SECRET, CODE);
        for input in [
            "",
            "   ",
            "hello",
            "MC1:",
            "MC1:nonsense:ABC",
            &format!("MC1:{CODE}"),
            &format!("MC1:{CODE}:{}", &t[..10]),
            &format!("MC1:{CODE}:{t}U"),
            "http://192.168.1.10:8080/d/nothing?k=ABC",
            &format!("http://192.168.1.10:8080/d/{CODE}?k=not-a-tag"),
            "000.00.14.H56-271303-0001",
            "Nguyễn Văn An",
            &format!("{CODE} {CODE}"),
        ] {
            assert_eq!(parse_scan(input), None, "{input:?}");
        }
    }
}
