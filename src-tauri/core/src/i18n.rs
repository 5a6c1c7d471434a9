//! The user's language. Every string a person reads (errors from the core, labels of the
//! window) lives in one file per language under `core/locales/`: Vietnamese first, English
//! second. The window receives the same tables through a command, so there is one source.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "vi" | "vi-vn" | "vie" => Some(Lang::Vi),
            "en" | "en-us" | "en-gb" | "eng" => Some(Lang::En),
            _ => None,
        }
    }
}

const VI_JSON: &str = include_str!("../locales/vi.json");
const EN_JSON: &str = include_str!("../locales/en.json");

fn table(lang: Lang) -> &'static HashMap<String, String> {
    static VI: OnceLock<HashMap<String, String>> = OnceLock::new();
    static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
    let (cell, src) = match lang {
        Lang::Vi => (&VI, VI_JSON),
        Lang::En => (&EN, EN_JSON),
    };
    // The tables are compiled in and checked by a test, so a parse failure cannot reach a
    // user; an empty table would only make `t` fall back to the key.
    cell.get_or_init(|| serde_json::from_str(src).unwrap_or_default())
}

/// The whole table of a language, for the window.
pub fn strings(lang: Lang) -> &'static HashMap<String, String> {
    table(lang)
}

/// The text of `key`; a missing key falls back to Vietnamese, then to the key itself so a
/// forgotten translation is visible rather than blank.
pub fn t(lang: Lang, key: &str) -> String {
    table(lang)
        .get(key)
        .or_else(|| table(Lang::Vi).get(key))
        .cloned()
        .unwrap_or_else(|| key.to_string())
}

/// `t` with `{name}` placeholders filled in.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(lang, key);
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// An error that can say itself in the desk's languages. Every module's error type
/// implements it, with its texts in the language tables; `CoreError` delegates to it.
pub trait Localized {
    /// A short stable name of the kind of error, for the window and scripts.
    fn kind(&self) -> &'static str;
    /// The message in `lang`.
    fn message(&self, lang: Lang) -> String;
}

/// `Display` of a `Localized` error: its Vietnamese message, which the CLI prints and the
/// desk shows by default.
macro_rules! display_in_vietnamese {
    ($($ty:ty),+ $(,)?) => {$(
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&$crate::i18n::Localized::message(self, $crate::i18n::Lang::Vi))
            }
        }
    )+};
}
pub(crate) use display_in_vietnamese;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_tables_parse_and_have_the_same_keys() {
        let vi: HashMap<String, String> = serde_json::from_str(VI_JSON).unwrap();
        let en: HashMap<String, String> = serde_json::from_str(EN_JSON).unwrap();
        let mut missing: Vec<_> = vi.keys().filter(|k| !en.contains_key(*k)).collect();
        missing.extend(en.keys().filter(|k| !vi.contains_key(*k)));
        assert!(missing.is_empty(), "keys in one language only: {missing:?}");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            tf(Lang::En, "problem.too_long", &[("max", "100")]),
            "is longer than 100 characters"
        );
    }
}
