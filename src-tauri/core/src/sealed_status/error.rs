//! Why a publication to the public host did not happen, and whether trying again later may
//! help: the sender keeps a message while `retry()` says so, and shows the clerk the rest.

use crate::i18n::{display_in_vietnamese, t, tf, Lang, Localized};

#[derive(Debug)]
pub enum PublishError {
    /// The write address is not an http(s) URL this transport can use.
    BadAddress,
    /// No answer: the network is down, the name does not resolve, the connection dropped or
    /// timed out. The text is the HTTP client's, which holds no personal data.
    Unreachable { detail: String },
    /// The host answered with an HTTP error status.
    Refused { status: u16 },
}

impl PublishError {
    /// Whether the same request may succeed later without anyone changing the settings: a
    /// network failure, a server error, a timeout or a rate limit. A refusal (wrong password,
    /// forbidden, no such folder, method not allowed) needs a person.
    pub fn retry(&self) -> bool {
        match self {
            PublishError::BadAddress => false,
            PublishError::Unreachable { .. } => true,
            PublishError::Refused { status } => *status >= 500 || matches!(status, 408 | 429),
        }
    }
}

impl std::error::Error for PublishError {}
display_in_vietnamese!(PublishError);

impl Localized for PublishError {
    fn kind(&self) -> &'static str {
        match self {
            PublishError::BadAddress => "publish_bad_address",
            PublishError::Unreachable { .. } => "publish_unreachable",
            PublishError::Refused { .. } => "publish_refused",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            PublishError::BadAddress => t(lang, "error.publish_bad_address"),
            PublishError::Unreachable { detail } => {
                tf(lang, "error.publish_unreachable", &[("detail", detail)])
            }
            PublishError::Refused { status } => tf(
                lang,
                "error.publish_refused",
                &[("status", &status.to_string())],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_trouble_is_retried_and_refusals_are_not() {
        assert!(PublishError::Unreachable { detail: "x".into() }.retry());
        assert!(PublishError::Refused { status: 503 }.retry());
        assert!(PublishError::Refused { status: 429 }.retry());
        assert!(!PublishError::Refused { status: 403 }.retry());
        assert!(!PublishError::Refused { status: 405 }.retry());
        assert!(!PublishError::BadAddress.retry());
    }

    #[test]
    fn each_error_speaks_both_languages() {
        for e in [
            PublishError::BadAddress,
            PublishError::Unreachable {
                detail: "connection refused".into(),
            },
            PublishError::Refused { status: 403 },
        ] {
            let vi = e.message(Lang::Vi);
            let en = e.message(Lang::En);
            assert_ne!(vi, en);
            assert!(!vi.starts_with("error."), "{vi}");
            assert!(!en.starts_with("error."), "{en}");
        }
        assert!(PublishError::Refused { status: 403 }
            .message(Lang::En)
            .contains("403"));
    }
}
