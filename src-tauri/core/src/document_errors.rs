//! The documents engine's errors in the desk's languages. The engine (`documents`) knows
//! nothing of the language tables, so its `DocumentError` is said here, beside `error.rs`:
//! its `Display` stays the engine's own Vietnamese, the same words as the `document.*` keys.

use crate::documents::DocumentError;
use crate::i18n::{t, tf, Lang, Localized};

impl Localized for DocumentError {
    fn kind(&self) -> &'static str {
        "document"
    }

    fn message(&self, lang: Lang) -> String {
        let detail = match self {
            DocumentError::Font(face) => tf(lang, "document.font", &[("face", face)]),
            DocumentError::Qr(detail) => tf(lang, "document.qr", &[("detail", detail)]),
            DocumentError::Barcode { code, reason } => tf(
                lang,
                "document.barcode",
                &[("code", code), ("reason", reason)],
            ),
            DocumentError::EmptyLayout => t(lang, "document.empty_layout"),
            DocumentError::Paper(paper) => tf(lang, "document.paper", &[("paper", paper)]),
        };
        tf(lang, "error.document", &[("detail", &detail)])
    }
}
