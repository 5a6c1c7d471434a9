//! A scan that is not a slip this desk issued: not a slip at all, or one whose tag does not
//! match its code.

use crate::i18n::{display_in_vietnamese, t, tf, Lang, Localized};

/// A scan that is not a slip this desk can trust.
#[derive(Debug)]
pub enum SlipError {
    /// Neither a slip's QR code nor its barcode.
    NotASlip,
    /// A slip whose tag does not match its code: forged or altered.
    Forged { code: String },
}

impl std::error::Error for SlipError {}
display_in_vietnamese!(SlipError);

impl Localized for SlipError {
    fn kind(&self) -> &'static str {
        match self {
            SlipError::NotASlip => "not_a_slip",
            SlipError::Forged { .. } => "forged_slip",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            SlipError::NotASlip => t(lang, "error.not_a_slip"),
            SlipError::Forged { code } => tf(lang, "error.forged_slip", &[("code", code)]),
        }
    }
}
