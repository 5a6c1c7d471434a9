//! The outbox's refusals, apart from the outbox's types so that `CoreError` (which wraps
//! them) does not reach the public status view and the dossier through them.

use crate::i18n::{display_in_vietnamese, t, tf, Lang, Localized};

/// The outbox's refusals: a destination that cannot be added, one that does not exist, and
/// what `outbox run --once` could not deliver.
#[derive(Debug)]
pub enum OutboxError {
    /// Not an absolute URL with a host.
    BadUrl {
        url: String,
    },
    /// Plain HTTP to a host other than this computer: the secret, the personal fields or
    /// the citizens' page would travel in the clear.
    PlainHttp {
        url: String,
    },
    /// A folder that cannot be made or written.
    BadFolder {
        path: String,
        detail: String,
    },
    /// A webhook needs a secret to sign its messages.
    NoSecret,
    NotFound {
        id: i64,
    },
    /// Messages left after a pass, with the first reason.
    Undelivered {
        pending: u64,
        reason: String,
    },
}

impl std::error::Error for OutboxError {}
display_in_vietnamese!(OutboxError);

impl Localized for OutboxError {
    fn kind(&self) -> &'static str {
        match self {
            OutboxError::BadUrl { .. } => "outbox_bad_url",
            OutboxError::PlainHttp { .. } => "outbox_plain_http",
            OutboxError::BadFolder { .. } => "outbox_bad_folder",
            OutboxError::NoSecret => "outbox_no_secret",
            OutboxError::NotFound { .. } => "outbox_not_found",
            OutboxError::Undelivered { .. } => "outbox_undelivered",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            OutboxError::BadUrl { url } => tf(lang, "outbox.bad_url", &[("url", url)]),
            OutboxError::PlainHttp { url } => tf(lang, "outbox.plain_http", &[("url", url)]),
            OutboxError::BadFolder { path, detail } => tf(
                lang,
                "outbox.bad_folder",
                &[("path", path), ("detail", detail)],
            ),
            OutboxError::NoSecret => t(lang, "outbox.no_secret"),
            OutboxError::NotFound { id } => {
                tf(lang, "outbox.not_found", &[("id", &id.to_string())])
            }
            OutboxError::Undelivered { pending, reason } => tf(
                lang,
                "outbox.undelivered",
                &[("pending", &pending.to_string()), ("reason", reason)],
            ),
        }
    }
}
