//! A backup that cannot be used, and why: damaged, not a backup, altered, newer, cut short
//! or unmarked. The current database is never changed by a refused restore.

use crate::i18n::{display_in_vietnamese, tf, Lang, Localized};

#[derive(Debug)]
pub enum BackupError {
    /// `reason` is a key of the language table (`backup.*`); `detail` is what was found.
    Invalid {
        path: String,
        reason: &'static str,
        detail: String,
    },
}

impl std::error::Error for BackupError {}
display_in_vietnamese!(BackupError);

impl Localized for BackupError {
    fn kind(&self) -> &'static str {
        "backup_invalid"
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            BackupError::Invalid {
                path,
                reason,
                detail,
            } => tf(
                lang,
                "error.backup_invalid",
                &[
                    ("path", path),
                    ("reason", &tf(lang, reason, &[("detail", detail)])),
                ],
            ),
        }
    }
}
