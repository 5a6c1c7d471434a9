//! The citizen ID card's QR code (thẻ CCCD / thẻ căn cước; domain.md §8): reading what a
//! scanner delivered into the facts an intake form needs, and saying which of them the clerk
//! must check against the card.
//!
//! The QR holds `ID12|old ID9|Full name|DOB ddmmyyyy|Gender|Address|Issue date ddmmyyyy`
//! (UTF-8). Cards without an old ID leave that field empty; some readers drop the column
//! altogether, and newer cards may append fields, which are ignored. §8 carries no
//! confidence mark, so the reader is anchored on what cannot be mistaken (the 12-digit ID at
//! the start, the 8-digit dates) rather than on field positions.
//!
//! A keyboard-wedge scanner cannot type Vietnamese letters reliably: they arrive as `?`, as
//! mojibake (`Nguyá»…n`), as Telex keystrokes (`Nguyeenx`) or not at all (`Nguyn`), and on
//! some keyboard layouts the `|` itself becomes another character. Digits survive. So the ID
//! number and dates are always read from the digits, and the text fields that look garbled
//! are returned as they came and listed in `suspect`.
//!
//! The ID number also says something about its holder (Circular 07/2016/TT-BCA, art. 7): the
//! fourth digit is the century of birth and the sex (0/1: 1900s man/woman, 2/3: 2000s, …),
//! the next two the last digits of the year of birth. That tells a garbled "Nữ" from "Nam"
//! and catches a misread.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::i18n::{display_in_vietnamese, t, tf, Lang, Localized};
use crate::text::clean_line;
use crate::validate::{MAX_ADDRESS, MAX_NAME};

/// The longest line taken for a card. The card's QR holds about 200 characters; a longer
/// line is something else, and the checks stay cheap on whatever a scanner sends.
pub const MAX_INPUT: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn label(self, lang: Lang) -> String {
        match self {
            Sex::Male => t(lang, "idcard.sex.male"),
            Sex::Female => t(lang, "idcard.sex.female"),
        }
    }
}

/// A fact of the card, named as in the JSON of `IdCard`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CardField {
    IdNumber,
    OldId,
    Name,
    BirthDate,
    Sex,
    Address,
    IssuedOn,
}

impl CardField {
    pub fn as_str(self) -> &'static str {
        match self {
            CardField::IdNumber => "id_number",
            CardField::OldId => "old_id",
            CardField::Name => "name",
            CardField::BirthDate => "birth_date",
            CardField::Sex => "sex",
            CardField::Address => "address",
            CardField::IssuedOn => "issued_on",
        }
    }

    pub fn label(self, lang: Lang) -> String {
        t(lang, &format!("idcard.field.{}", self.as_str()))
    }
}

/// What an ID card's QR says. Text is NFC. `sex` comes from the card's text, or from the ID
/// number when the text is unreadable. `suspect` lists, in a fixed order, the fields the
/// clerk must check against the card before saving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdCard {
    pub id_number: String,
    /// The old 9-digit (or 12-digit) CMND number; empty when the card has none.
    pub old_id: String,
    pub name: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub address: String,
    pub issued_on: Option<NaiveDate>,
    pub suspect: Vec<CardField>,
}

impl IdCard {
    pub fn is_suspect(&self, field: CardField) -> bool {
        self.suspect.contains(&field)
    }
}

/// Why a line is not an ID card's QR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotACard {
    Empty,
    TooLong,
    NoIdNumber,
    NoBirthDate,
}

impl std::error::Error for NotACard {}
display_in_vietnamese!(NotACard);

impl Localized for NotACard {
    fn kind(&self) -> &'static str {
        "not_an_id_card"
    }

    fn message(&self, lang: Lang) -> String {
        let reason = match self {
            NotACard::Empty => t(lang, "idcard.reject.empty"),
            NotACard::TooLong => tf(
                lang,
                "idcard.reject.too_long",
                &[("max", &MAX_INPUT.to_string())],
            ),
            NotACard::NoIdNumber => t(lang, "idcard.reject.no_id_number"),
            NotACard::NoBirthDate => t(lang, "idcard.reject.no_birth_date"),
        };
        tf(lang, "error.not_an_id_card", &[("reason", &reason)])
    }
}

/// Whether a scanned line is an ID card's QR (for routing a desk scan: receipt, ID card or
/// something else). The same test as `parse`, which is cheap on a line this short.
pub fn looks_like_id_card(line: &str) -> bool {
    parse(line).is_ok()
}

/// Reads an ID card's QR from what a scanner delivered.
pub fn parse(input: &str) -> Result<IdCard, NotACard> {
    if input.chars().nth(MAX_INPUT).is_some() {
        return Err(NotACard::TooLong);
    }
    let nfc: String = input.nfc().collect();
    let body = strip_framing(&nfc);
    if body.is_empty() {
        return Err(NotACard::Empty);
    }
    let leading_digits = body.bytes().take_while(u8::is_ascii_digit).count();
    // The ID alone, or the ID glued to a 9- or 12-digit old ID when the separator was lost.
    if !matches!(leading_digits, 12 | 21 | 24) {
        return Err(NotACard::NoIdNumber);
    }
    let raw = separated(body, leading_digits)
        .or_else(|| glued(body, leading_digits))
        .ok_or(NotACard::NoBirthDate)?;
    Ok(finish(raw))
}

/// The fields as found, before they are judged.
struct Raw<'a> {
    id: &'a str,
    old_id: String,
    name: String,
    birth_date: NaiveDate,
    sex: Option<String>,
    address: String,
    issued_on: Option<NaiveDate>,
    /// Field boundaries were guessed (no separator): junk was cut from these fields' edges.
    name_cut: bool,
    address_cut: bool,
}

/// Removes what scanners put around a symbol: a byte-order mark, control characters (STX,
/// ETX, CR, tabs), white space, and an AIM symbology identifier such as `]Q1`.
fn strip_framing(s: &str) -> &str {
    let framing = |c: char| c.is_control() || c.is_whitespace() || c == '\u{FEFF}';
    let mut s = s.trim_matches(framing);
    let b = s.as_bytes();
    if b.len() >= 3 && b[0] == b']' && b[1].is_ascii_alphabetic() && b[2].is_ascii_digit() {
        s = s[3..].trim_start_matches(framing);
    }
    s
}

/// ddmmyyyy as on the card; dd/mm/yyyy (or with `-` or `.`) as some readers re-type it.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let (d, m, y) = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        (&s[..2], &s[2..4], &s[4..])
    } else {
        let mut parts = s.split(['/', '-', '.']);
        let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
        let ok = |p: &str, lens: &[usize]| {
            lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        };
        if parts.next().is_some() || !ok(d, &[1, 2]) || !ok(m, &[1, 2]) || !ok(y, &[4]) {
            return None;
        }
        (d, m, y)
    };
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    (1900..=2199).contains(&date.year()).then_some(date)
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// A sex field is a short word ("Nam", "Nữ", or a few garbled characters of it); anything
/// longer is the address of a card that has no sex field.
const MAX_SEX_CHARS: usize = 6;

/// The card with its separator: whatever character follows the 12-digit ID is taken as the
/// separator, so a `|` that a keyboard layout turned into something else still splits.
fn separated(body: &str, leading_digits: usize) -> Option<Raw<'_>> {
    if leading_digits != 12 {
        return None;
    }
    let id = &body[..12];
    let rest = &body[12..];
    let sep = rest.chars().next()?;
    if sep.is_alphanumeric() || sep.is_whitespace() {
        return None;
    }
    let fields: Vec<&str> = rest[sep.len_utf8()..].split(sep).collect();
    // At least name, birth date, sex and address.
    if fields.len() < 4 {
        return None;
    }
    let sep_text = sep.to_string();
    let joined = |parts: &[&str]| parts.join(&sep_text);
    let mut i = 0;
    let mut old_id = String::new();
    if all_digits(fields[0].trim()) {
        old_id = fields[0].trim().to_string();
        i = 1;
    }
    // The name ends at the birth date; a name holding the separator character (when the
    // separator was replaced by one a garbled name also contains) is put back together.
    let k = (i..fields.len()).find(|&k| parse_date(fields[k]).is_some())?;
    let birth_date = parse_date(fields[k])?;
    let name = joined(&fields[i..k]);
    let mut a = k + 1;
    let sex = match fields.get(a) {
        Some(f) if f.trim().chars().count() <= MAX_SEX_CHARS => {
            a += 1;
            Some(f.to_string())
        }
        _ => None,
    };
    let (address, issued_on) = match (a..fields.len()).find(|&j| parse_date(fields[j]).is_some()) {
        Some(j) => (joined(&fields[a..j]), parse_date(fields[j])),
        None => (joined(fields.get(a..).unwrap_or(&[])), None),
    };
    Some(Raw {
        id,
        old_id,
        name,
        birth_date,
        sex,
        address,
        issued_on,
        name_cut: false,
        address_cut: false,
    })
}

/// A letter of the Vietnamese alphabet (including f, j, w, z of foreign names) or a digit.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_vietnamese_letter(c)
}

/// Cuts junk (what was left of a separator) from both ends; says whether anything but
/// white space was cut.
fn cut_junk(s: &str) -> (&str, bool) {
    let cut = s.trim_matches(|c: char| !is_word_char(c));
    let junk = s.len() != cut.len() && s.trim() != cut;
    (cut, junk)
}

/// The card without a usable separator (dropped, or turned into a space or a letter): the
/// digit runs anchor the fields. ID, optional old ID, name up to the 8-digit birth date, sex,
/// and the address up to the 8-digit issue date at the end.
fn glued(body: &str, leading_digits: usize) -> Option<Raw<'_>> {
    let id = &body[..12];
    let mut old_id = body[12..leading_digits].to_string();
    let mut rest = &body[leading_digits..];
    if old_id.is_empty() {
        let after_junk = rest.trim_start_matches(|c: char| !is_word_char(c));
        let run = after_junk.bytes().take_while(u8::is_ascii_digit).count();
        if run == 9 || run == 12 {
            old_id = after_junk[..run].to_string();
            rest = &after_junk[run..];
        }
    }
    // Names hold no digits: the first digit run after the name is the birth date.
    let start = rest.find(|c: char| c.is_ascii_digit())?;
    let run = rest[start..].bytes().take_while(u8::is_ascii_digit).count();
    if run != 8 {
        return None;
    }
    let birth_date = parse_date(&rest[start..start + 8])?;
    let (name, name_cut) = cut_junk(&rest[..start]);
    let after = rest[start + 8..].trim_start_matches(|c: char| !is_word_char(c));

    let (sex, after) = split_sex(after);
    let (address_part, issued_on) = {
        let trimmed = after.trim_end_matches(|c: char| !is_word_char(c));
        let tail = trimmed.bytes().rev().take_while(u8::is_ascii_digit).count();
        match (tail >= 8)
            .then(|| parse_date(&trimmed[trimmed.len() - 8..]))
            .flatten()
        {
            Some(date) => (&trimmed[..trimmed.len() - 8], Some(date)),
            None => (after, None),
        }
    };
    let (address, address_cut) = cut_junk(address_part);
    let sex_clean = sex.as_deref().and_then(sex_of_text).is_some();
    Some(Raw {
        id,
        old_id,
        name: name.to_string(),
        birth_date,
        sex,
        address: address.to_string(),
        issued_on,
        name_cut,
        // Where a garbled sex word ends and the address begins is a guess.
        address_cut: address_cut || !sex_clean,
    })
}

/// The sex word at the start of `s` (no separator after it): "Nam", "Nữ", or an N followed
/// by what a scanner made of "ữ" (anything but a letter, digit or space).
fn split_sex(s: &str) -> (Option<String>, &str) {
    if s.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("nam")) {
        return (Some(s[..3].to_string()), &s[3..]);
    }
    let Some(rest) = s.strip_prefix(['N', 'n']) else {
        return (None, s);
    };
    if let Some(after) = rest.strip_prefix(['ữ', 'Ữ']) {
        return (Some(s[..s.len() - after.len()].to_string()), after);
    }
    let garbage = rest
        .find(|c: char| is_word_char(c) || c.is_whitespace())
        .unwrap_or(rest.len());
    (Some(s[..1 + garbage].to_string()), &rest[garbage..])
}

fn sex_of_text(s: &str) -> Option<Sex> {
    match clean_line(s).to_lowercase().as_str() {
        "nam" => Some(Sex::Male),
        "nữ" | "nu" => Some(Sex::Female),
        _ => None,
    }
}

/// (sex, year of birth) the ID number encodes.
fn id_facts(id: &str) -> Option<(Sex, i32)> {
    let digits: Vec<i32> = id.bytes().map(|b| i32::from(b) - i32::from(b'0')).collect();
    let code = *digits.get(3)?;
    let sex = if code % 2 == 0 {
        Sex::Male
    } else {
        Sex::Female
    };
    let year = 1900 + (code / 2) * 100 + digits.get(4)? * 10 + digits.get(5)?;
    Some((sex, year))
}

/// Province codes of the place of birth registration run from 001 (Hà Nội) to 096 (Cà Mau).
fn province_plausible(id: &str) -> bool {
    id.get(..3)
        .and_then(|p| p.parse::<u32>().ok())
        .is_some_and(|p| (1..=96).contains(&p))
}

fn finish(raw: Raw<'_>) -> IdCard {
    let mut suspect = BTreeSet::new();
    let id_number = raw.id.to_string();
    if !province_plausible(&id_number) {
        suspect.insert(CardField::IdNumber);
    }
    let (id_sex, id_year) = id_facts(&id_number).unwrap_or((Sex::Male, 0));
    if raw.birth_date.year() != id_year {
        suspect.insert(CardField::IdNumber);
        suspect.insert(CardField::BirthDate);
    }

    let old_id = raw.old_id;
    if !(old_id.is_empty() || old_id.len() == 9 || old_id.len() == 12) {
        suspect.insert(CardField::OldId);
    }

    let (name, name_garbled) = read_text(&raw.name, TextKind::Name);
    if name_garbled || raw.name_cut {
        suspect.insert(CardField::Name);
    }
    let (address, address_garbled) = read_text(&raw.address, TextKind::Address);
    if address_garbled || raw.address_cut {
        suspect.insert(CardField::Address);
    }

    let text = raw.sex.as_deref().unwrap_or("");
    let sex = match sex_of_text(text) {
        Some(sex) => {
            if sex != id_sex {
                suspect.insert(CardField::Sex);
            }
            sex
        }
        None => {
            // "Nam" is plain ASCII and survives a wedge scanner; an N-word that is not "Nam"
            // is a garbled "Nữ". Believed when the ID number agrees.
            let garbled_nu = text.trim().starts_with(['N', 'n']);
            if !(garbled_nu && id_sex == Sex::Female) {
                suspect.insert(CardField::Sex);
            }
            id_sex
        }
    };

    match raw.issued_on {
        Some(d) if d >= raw.birth_date => {}
        _ => {
            suspect.insert(CardField::IssuedOn);
        }
    }

    IdCard {
        id_number,
        old_id,
        name,
        birth_date: raw.birth_date,
        sex,
        address,
        issued_on: raw.issued_on,
        suspect: suspect.into_iter().collect(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TextKind {
    Name,
    Address,
}

/// The field as the clerk will see it (NFC, one line), and whether it looks garbled. Mojibake
/// of UTF-8 read as Windows-1252 is undone when that gives clean Vietnamese; the field stays
/// suspect all the same.
fn read_text(raw: &str, kind: TextKind) -> (String, bool) {
    let without_controls: String = raw.chars().filter(|c| !c.is_control()).collect();
    // Controls, and spaces other than the plain one (a no-break space is the second byte of
    // "à" shown as Latin-1), are garbling even where collapsing white space hides them.
    let odd_chars =
        without_controls.len() != raw.len() || raw.chars().any(|c| c.is_whitespace() && c != ' ');
    let value = clean_line(&without_controls);
    if !odd_chars && !looks_garbled(&value, kind) {
        return (value, false);
    }
    // C1 controls are part of mojibake (Đ is C4 90): undone from the field as it came.
    if let Some(fixed) = undo_mojibake(raw) {
        let fixed = clean_line(&fixed);
        if !looks_garbled(&fixed, kind) {
            return (fixed, true);
        }
    }
    (value, true)
}

/// Lower-case Vietnamese letters outside ASCII, precomposed (NFC).
const VIETNAMESE_LETTERS: &str =
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";

fn is_vietnamese_letter(c: char) -> bool {
    if c.is_ascii_alphabetic() {
        return true;
    }
    if c.is_ascii() {
        return false;
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => VIETNAMESE_LETTERS.contains(l),
        _ => false,
    }
}

const ADDRESS_PUNCTUATION: &str = ",./-()':;&+#–";

fn looks_garbled(value: &str, kind: TextKind) -> bool {
    if value.is_empty() {
        return true;
    }
    let (max, allowed): (usize, fn(char) -> bool) = match kind {
        TextKind::Name => (MAX_NAME, |c: char| {
            is_vietnamese_letter(c) || matches!(c, ' ' | '\'' | '-' | '.')
        }),
        TextKind::Address => (MAX_ADDRESS, |c: char| {
            is_vietnamese_letter(c)
                || c.is_ascii_digit()
                || c == ' '
                || ADDRESS_PUNCTUATION.contains(c)
        }),
    };
    if value.chars().count() > max || !value.chars().all(allowed) {
        return true;
    }
    if !value.is_ascii() {
        return false;
    }
    match kind {
        // Written out in full, a Vietnamese address names its commune and province, and
        // their names carry diacritics: one without any lost them.
        TextKind::Address => value.chars().any(|c| c.is_ascii_alphabetic()),
        // A name may be plain ASCII ("Mai Lan"), but then every word is a Vietnamese
        // syllable; Telex keystrokes ("Nguyeenx") and dropped letters ("Nguyn") are not.
        TextKind::Name => value
            .to_ascii_lowercase()
            .split([' ', '-', '\'', '.'])
            .filter(|w| !w.is_empty())
            .any(|w| !is_syllable(w)),
    }
}

/// Consonants a Vietnamese syllable may start with (Quốc ngữ spelling, no diacritics).
const ONSETS: [&str; 27] = [
    "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch", "b", "c", "d", "g", "h",
    "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

/// Vowel nuclei (diacritics removed: ươ → uo, iê → ie, …) and the endings each may take.
const NUCLEI: [(&str, &[&str]); 11] = [
    (
        "a",
        &[
            "", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "y", "o", "u",
        ],
    ),
    (
        "e",
        &["", "c", "ch", "m", "n", "ng", "nh", "p", "t", "o", "u"],
    ),
    ("i", &["", "ch", "m", "n", "nh", "p", "t", "u"]),
    ("o", &["", "c", "m", "n", "ng", "p", "t", "i"]),
    ("u", &["", "c", "m", "n", "ng", "p", "t", "i", "u"]),
    ("y", &[""]),
    ("ia", &[""]),
    ("ie", &["c", "m", "n", "ng", "p", "t", "u"]),
    ("ua", &[""]),
    ("uo", &["", "c", "m", "n", "ng", "p", "t", "i", "u"]),
    ("ye", &["m", "n", "t", "u"]),
];

/// Nuclei after the glide o (hoa, khoe) or u (tuân, huế, quốc, thuy, tuyên, khuya), with
/// endings where they differ from the bare nucleus.
const AFTER_O: [&str; 2] = ["a", "e"];
const AFTER_U: [(&str, &[&str]); 7] = [
    (
        "a",
        &[
            "", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "y", "o", "u",
        ],
    ),
    ("e", &["", "ch", "n", "nh"]),
    ("o", &["", "c", "m", "n", "ng", "p", "t", "i"]),
    ("i", &["", "t"]),
    ("y", &["", "ch", "nh", "t", "u"]),
    ("ya", &[""]),
    ("ye", &["n", "t"]),
];

/// Whether a lower-case ASCII word is a Vietnamese syllable written without diacritics.
fn is_syllable(word: &str) -> bool {
    ONSETS.iter().any(|onset| match word.strip_prefix(onset) {
        Some(rhyme) if *onset == "qu" => after_u(rhyme),
        Some(rhyme) => {
            bare_rhyme(rhyme)
                || rhyme.strip_prefix('o').is_some_and(after_o)
                || rhyme.strip_prefix('u').is_some_and(after_u)
        }
        None => false,
    })
}

fn ends_with_one_of(rest: Option<&str>, codas: &[&str]) -> bool {
    rest.is_some_and(|r| codas.contains(&r))
}

fn bare_rhyme(rhyme: &str) -> bool {
    NUCLEI
        .iter()
        .any(|(nucleus, codas)| ends_with_one_of(rhyme.strip_prefix(nucleus), codas))
}

fn after_o(rhyme: &str) -> bool {
    NUCLEI
        .iter()
        .filter(|(nucleus, _)| AFTER_O.contains(nucleus))
        .any(|(nucleus, codas)| ends_with_one_of(rhyme.strip_prefix(nucleus), codas))
}

fn after_u(rhyme: &str) -> bool {
    AFTER_U
        .iter()
        .any(|(nucleus, codas)| ends_with_one_of(rhyme.strip_prefix(nucleus), codas))
}

/// UTF-8 that was shown as Windows-1252 (or Latin-1), turned back: `Nguyá»…n` → `Nguyễn`.
/// `None` when the text is not such mojibake.
fn undo_mojibake(s: &str) -> Option<String> {
    if s.is_ascii() {
        return None;
    }
    let mut bytes = Vec::with_capacity(s.len());
    for c in s.chars() {
        let code = u32::from(c);
        let byte = match code {
            0..=0xFF => code as u8,
            _ => windows_1252_byte(c)?,
        };
        bytes.push(byte);
    }
    String::from_utf8(bytes).ok().filter(|fixed| fixed != s)
}

fn windows_1252_byte(c: char) -> Option<u8> {
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Fictional people. The ID numbers follow the card's structure (province of birth,
    // century-and-sex digit, year of birth) so that nothing is suspect when read intact.
    const NGOC: &str = "001192004517|013456789|Trần Thị Bích Ngọc|07031992|Nữ|Số 8, ngõ 15 phố Hoàng Hoa Thám, phường Ngọc Hà, quận Ba Đình, Hà Nội|10052021";
    const DUC: &str = "048201007731||Lê Văn Đức|23112001|Nam|Tổ 12, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng|02082022";
    const HUONG: &str = "072185003318|290812345|Đặng Thị Hương|31121985|Nữ|Ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh|15062021";

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn ngoc() -> IdCard {
        IdCard {
            id_number: "001192004517".into(),
            old_id: "013456789".into(),
            name: "Trần Thị Bích Ngọc".into(),
            birth_date: date(1992, 3, 7),
            sex: Sex::Female,
            address: "Số 8, ngõ 15 phố Hoàng Hoa Thám, phường Ngọc Hà, quận Ba Đình, Hà Nội".into(),
            issued_on: Some(date(2021, 5, 10)),
            suspect: vec![],
        }
    }

    /// What a wedge scanner that cannot type a letter makes of it.
    fn question_marks(s: &str) -> String {
        s.chars()
            .map(|c| if c.is_ascii() { c } else { '?' })
            .collect()
    }

    /// UTF-8 shown as Windows-1252, as Alt-code typing produces.
    fn mojibake(s: &str) -> String {
        const SPECIALS: &str = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";
        s.bytes()
            .map(|b| {
                SPECIALS
                    .chars()
                    .find(|&c| windows_1252_byte(c) == Some(b))
                    .unwrap_or(char::from(b))
            })
            .collect()
    }

    #[test]
    fn an_intact_card_is_read_whole() {
        assert_eq!(parse(NGOC).unwrap(), ngoc());
        let duc = parse(DUC).unwrap();
        assert_eq!(duc.id_number, "048201007731");
        assert_eq!(duc.old_id, "");
        assert_eq!(duc.name, "Lê Văn Đức");
        assert_eq!(duc.birth_date, date(2001, 11, 23));
        assert_eq!(duc.sex, Sex::Male);
        assert_eq!(
            duc.address,
            "Tổ 12, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng"
        );
        assert_eq!(duc.issued_on, Some(date(2022, 8, 2)));
        assert!(duc.suspect.is_empty(), "{:?}", duc.suspect);
        let huong = parse(HUONG).unwrap();
        assert_eq!(huong.name, "Đặng Thị Hương");
        assert_eq!(huong.old_id, "290812345");
        assert!(huong.suspect.is_empty(), "{:?}", huong.suspect);
    }

    #[test]
    fn json_names_the_fields_the_window_fills() {
        let json = serde_json::to_value(parse(&question_marks(NGOC)).unwrap()).unwrap();
        assert_eq!(json["id_number"], "001192004517");
        assert_eq!(json["birth_date"], "1992-03-07");
        assert_eq!(json["issued_on"], "2021-05-10");
        assert_eq!(json["sex"], "female");
        assert_eq!(json["suspect"], serde_json::json!(["name", "address"]));
    }

    #[test]
    fn decomposed_text_comes_out_nfc_and_framing_is_ignored() {
        let nfd: String = NGOC.nfd().collect();
        assert_ne!(nfd, NGOC);
        assert_eq!(parse(&nfd).unwrap(), ngoc());
        for framed in [
            format!("{NGOC}\r\n"),
            format!("\u{2}{NGOC}\u{3}"),
            format!("]Q1{NGOC}\r"),
            format!("\u{FEFF}  {NGOC}\t"),
        ] {
            assert_eq!(parse(&framed).unwrap(), ngoc(), "{framed:?}");
        }
    }

    #[test]
    fn variants_with_fewer_or_more_fields() {
        // No old-ID column at all.
        let six = "079203001234|Phạm Minh Khôi|15082003|Nam|Số 12, ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh|20042021";
        let card = parse(six).unwrap();
        assert_eq!(card.old_id, "");
        assert_eq!(card.name, "Phạm Minh Khôi");
        assert_eq!(card.issued_on, Some(date(2021, 4, 20)));
        assert!(card.suspect.is_empty(), "{:?}", card.suspect);
        // Fields appended after the issue date are ignored.
        let more = format!("{NGOC}|Trần Văn Bảy|Lê Thị Tám|");
        assert_eq!(parse(&more).unwrap(), ngoc());
        // Without the issue date the rest is still read.
        let short = NGOC.rsplit_once('|').unwrap().0;
        let card = parse(short).unwrap();
        assert_eq!(card.issued_on, None);
        assert_eq!(card.address, ngoc().address);
        assert_eq!(card.suspect, vec![CardField::IssuedOn]);
        // Dates re-typed with slashes.
        let slashed = NGOC
            .replace("07031992", "07/03/1992")
            .replace("10052021", "10/05/2021");
        assert_eq!(parse(&slashed).unwrap(), ngoc());
    }

    #[test]
    fn question_marks_keep_digits_and_flag_the_text() {
        let card = parse(&question_marks(NGOC)).unwrap();
        assert_eq!(card.id_number, "001192004517");
        assert_eq!(card.old_id, "013456789");
        assert_eq!(card.birth_date, date(1992, 3, 7));
        assert_eq!(card.issued_on, Some(date(2021, 5, 10)));
        assert_eq!(card.name, "Tr?n Th? B?ch Ng?c");
        // "N?" is a garbled "Nữ", and the ID number says female: believed.
        assert_eq!(card.sex, Sex::Female);
        assert_eq!(card.suspect, vec![CardField::Name, CardField::Address]);
        // "Nam" is ASCII and survives.
        let duc = parse(&question_marks(DUC)).unwrap();
        assert_eq!(duc.sex, Sex::Male);
        assert_eq!(duc.suspect, vec![CardField::Name, CardField::Address]);
    }

    #[test]
    fn the_issue_examples_of_garbled_names_are_flagged() {
        for name in [
            "Nguy?n Văn An",
            "NguyÅn Văn An",
            "Nguyeenx Vawn An",
            "Nguyn Vn An",
        ] {
            let line = format!("079203001234||{name}|15082003|Nam|Ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh|20042021");
            let card = parse(&line).unwrap();
            assert_eq!(card.id_number, "079203001234");
            assert_eq!(card.birth_date, date(2003, 8, 15));
            assert_eq!(card.suspect, vec![CardField::Name], "{name}");
        }
    }

    #[test]
    fn mojibake_is_flagged_and_undone() {
        let card = parse(&mojibake(NGOC)).unwrap();
        assert_eq!(card.id_number, "001192004517");
        assert_eq!(card.name, "Trần Thị Bích Ngọc");
        assert_eq!(card.address, ngoc().address);
        assert_eq!(card.sex, Sex::Female);
        // Repaired, but the clerk still looks.
        assert_eq!(card.suspect, vec![CardField::Name, CardField::Address]);
        // "à" is C3 A0: its no-break space must not pass for a plain one.
        let hoang = "001035000000||Hoàng Minh An|01011935|Nam|Số 1, phố Huế, Hà Nội|28121948";
        let card = parse(&mojibake(hoang)).unwrap();
        assert_eq!(card.name, "Hoàng Minh An");
        assert!(card.is_suspect(CardField::Name));
        // Đ is C4 90: the C1 control in the middle must survive until the repair.
        let duc = parse(&mojibake(DUC)).unwrap();
        assert_eq!(duc.name, "Lê Văn Đức");
        assert_eq!(
            duc.address,
            "Tổ 12, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng"
        );
    }

    #[test]
    fn telex_keystrokes_and_dropped_letters_are_flagged() {
        let telex = "048201007731||Leee Vawn Dduwcs|23112001|Nam|Toor 12, phuwowngf Hoaf Khanhs Bawcs, quaanj Lieen Chieeur, thanhf phoos DDaf Nawngx|02082022";
        let card = parse(telex).unwrap();
        assert_eq!(card.name, "Leee Vawn Dduwcs");
        assert_eq!(card.birth_date, date(2001, 11, 23));
        assert_eq!(card.suspect, vec![CardField::Name, CardField::Address]);
        let dropped = "048201007731||L Vn c|23112001|Nam|T 12, phng Ha Khnh Bc, qun Lin Chiu, thnh ph  Nng|02082022";
        let card = parse(dropped).unwrap();
        assert_eq!(card.name, "L Vn c");
        assert_eq!(card.issued_on, Some(date(2022, 8, 2)));
        assert_eq!(card.suspect, vec![CardField::Name, CardField::Address]);
    }

    #[test]
    fn a_name_without_diacritics_is_fine_when_every_word_is_vietnamese() {
        let line =
            "001192004517||Lam Minh Anh|07031992|Nữ|Phường Ngọc Hà, quận Ba Đình, Hà Nội|10052021";
        let card = parse(line).unwrap();
        assert!(card.suspect.is_empty(), "{:?}", card.suspect);
    }

    #[test]
    fn a_replaced_separator_still_splits() {
        for sep in ['~', '#', '¦', '>', '\\', ',', ';', '?', '!', '§'] {
            let line = NGOC.replace('|', &sep.to_string());
            assert_eq!(parse(&line).unwrap(), ngoc(), "separator {sep:?}");
        }
        // A '?' separator together with '?' for every letter: digits and dates still read.
        let both = question_marks(NGOC).replace('|', "?");
        let card = parse(&both).unwrap();
        assert_eq!(card.id_number, "001192004517");
        assert_eq!(card.birth_date, date(1992, 3, 7));
        assert_eq!(card.issued_on, Some(date(2021, 5, 10)));
        assert!(card.is_suspect(CardField::Name) && card.is_suspect(CardField::Address));
    }

    #[test]
    fn a_lost_separator_is_recovered_from_the_digits() {
        for sep in ["", " "] {
            let line = NGOC.replace('|', sep);
            assert_eq!(parse(&line).unwrap(), ngoc(), "separator {sep:?}");
            let line = DUC.replace("||", "|").replace('|', sep);
            let card = parse(&line).unwrap();
            assert_eq!(card.name, "Lê Văn Đức");
            assert_eq!(card.sex, Sex::Male);
            assert!(card.suspect.is_empty(), "{sep:?}: {:?}", card.suspect);
        }
        // Both lost: the boundaries around a garbled sex word are a guess.
        let line = question_marks(NGOC).replace('|', "");
        let card = parse(&line).unwrap();
        assert_eq!(card.id_number, "001192004517");
        assert_eq!(card.old_id, "013456789");
        assert_eq!(card.birth_date, date(1992, 3, 7));
        assert_eq!(card.sex, Sex::Female);
        assert_eq!(card.issued_on, Some(date(2021, 5, 10)));
        assert_eq!(card.suspect, vec![CardField::Name, CardField::Address]);
    }

    #[test]
    fn the_id_number_is_checked_against_birth_year_and_sex() {
        // domain.md's own example: 079 2 03… is a man born in 2003, not in 1990.
        let line = "079203001234|272345678|Nguyễn Văn An|15081990|Nam|Số 12, ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh|20042021";
        let card = parse(line).unwrap();
        assert_eq!(card.name, "Nguyễn Văn An");
        assert_eq!(
            card.suspect,
            vec![CardField::IdNumber, CardField::BirthDate]
        );
        let wrong_sex = NGOC.replace("|Nữ|", "|Nam|");
        let card = parse(&wrong_sex).unwrap();
        assert_eq!(card.sex, Sex::Male);
        assert_eq!(card.suspect, vec![CardField::Sex]);
        // A garbled sex word on a man's card cannot be believed.
        let card = parse(&DUC.replace("|Nam|", "|N?|")).unwrap();
        assert_eq!(card.sex, Sex::Male);
        assert_eq!(card.suspect, vec![CardField::Sex]);
        let card = parse(&NGOC.replace("001192", "099192")).unwrap();
        assert_eq!(card.suspect, vec![CardField::IdNumber]);
        let card = parse(&NGOC.replace("10052021", "10051990")).unwrap();
        assert_eq!(card.suspect, vec![CardField::IssuedOn]);
        let card = parse(&NGOC.replace("013456789", "01345678")).unwrap();
        assert_eq!(card.suspect, vec![CardField::OldId]);
    }

    #[test]
    fn what_is_not_a_card_is_refused_with_a_reason() {
        let long = format!("001192004517|{}", "a".repeat(MAX_INPUT));
        for (input, reason) in [
            ("", NotACard::Empty),
            (" \r\n", NotACard::Empty),
            (
                "MC1:000.00.14.H56-270303-0001:ABCDEFGHJKMNP",
                NotACard::NoIdNumber,
            ),
            ("000.00.14.H56-270303-0001", NotACard::NoIdNumber),
            ("8935049501234", NotACard::NoIdNumber),
            ("12345678901", NotACard::NoIdNumber),
            ("http://192.168.1.10:8080/d/x?k=y", NotACard::NoIdNumber),
            ("Nguyễn Văn An", NotACard::NoIdNumber),
            ("079203001234", NotACard::NoBirthDate),
            ("079203001234|Nguyễn Văn An", NotACard::NoBirthDate),
            (
                "079203001234|Nguyễn Văn An|31022003|Nam|x|y",
                NotACard::NoBirthDate,
            ),
            (long.as_str(), NotACard::TooLong),
        ] {
            assert_eq!(parse(input), Err(reason), "{input:?}");
            assert!(!looks_like_id_card(input));
        }
        assert!(looks_like_id_card(NGOC));
        assert!(looks_like_id_card(&question_marks(NGOC)));
        let message = NotACard::NoIdNumber.message(Lang::En);
        assert!(message.contains("12-digit"), "{message}");
    }

    #[test]
    fn syllables_of_names_and_telex_leftovers() {
        for w in [
            "nguyen", "van", "an", "thi", "quynh", "nghia", "hieu", "truong", "phuong", "khoa",
            "loan", "thuy", "tuyet", "ngoc", "minh", "yen", "uyen", "oanh", "tien", "quang",
            "quoc", "hue", "khue", "giang", "ly", "huy", "duy", "ngan", "diep", "lieu", "huynh",
            "khuong", "hoang", "phuoc", "gia", "gi", "khuya", "xuan", "tuan", "luu", "quach",
            "thach", "uong", "ung", "au", "khuat", "hoach", "ngoai", "xoay", "thuo", "quit", "qui",
            "y", "o", "a", "bui", "vu", "do",
        ] {
            assert!(is_syllable(w), "{w} is Vietnamese");
        }
        for w in [
            "nguyeenx", "vawn", "thij", "traanf", "lee", "hoaf", "dduwcs", "ddinh", "tuaans",
            "huwowng", "ngocj", "nguyn", "vn", "th", "l", "hng", "ngc", "trn", "pasteur", "ksor",
        ] {
            assert!(!is_syllable(w), "{w} is not");
        }
    }

    #[test]
    fn the_letter_table_is_the_vietnamese_alphabet() {
        assert_eq!(VIETNAMESE_LETTERS.chars().count(), 67);
        for c in VIETNAMESE_LETTERS.chars() {
            assert!(is_vietnamese_letter(c));
            assert!(
                is_vietnamese_letter(c.to_uppercase().next().unwrap()),
                "{c}"
            );
            let base = crate::text::fold(&c.to_string());
            assert!(
                ["a", "e", "i", "o", "u", "y", "d"].contains(&base.as_str()),
                "{c} → {base}"
            );
        }
        for c in ['Å', 'Æ', '»', '¡', '?', 'ñ', 'ç', '\u{FFFD}', 'ß'] {
            assert!(!is_vietnamese_letter(c), "{c}");
        }
    }
}
