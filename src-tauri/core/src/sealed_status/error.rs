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
    /// The bucket's host answered with an HTTP error status and an S3 error code (empty if
    /// it sent none), such as `InvalidAccessKeyId` or `NoSuchBucket`.
    BucketRefused { status: u16, code: String },
    /// A variable the destination needs (a bucket's keys or region, half of a WebDAV
    /// account) is not set in the environment of the program that sends.
    MissingEnv { variable: &'static str },
    /// A variable is set but unusable: an endpoint that is not https:// (or http:// to this
    /// computer).
    BadEnv { variable: &'static str },
    /// A bucket address with keys in it: keys belong in the environment, not in a setting
    /// that lists and command lines show.
    KeysInAddress,
}

impl PublishError {
    /// Whether the same request may succeed later without anyone changing the settings: a
    /// network failure, a server error, a timeout or a rate limit. A refusal (wrong password,
    /// forbidden, no such folder, method not allowed) needs a person.
    pub fn retry(&self) -> bool {
        match self {
            PublishError::BadAddress
            | PublishError::MissingEnv { .. }
            | PublishError::BadEnv { .. }
            | PublishError::KeysInAddress => false,
            PublishError::Unreachable { .. } => true,
            PublishError::Refused { status } | PublishError::BucketRefused { status, .. } => {
                *status >= 500 || matches!(status, 408 | 429)
            }
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
            PublishError::BucketRefused { .. } => "publish_bucket_refused",
            PublishError::MissingEnv { .. } => "publish_missing_env",
            PublishError::BadEnv { .. } => "publish_bad_env",
            PublishError::KeysInAddress => "publish_keys_in_address",
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
            PublishError::BucketRefused { status, code } => {
                let hint = match code.as_str() {
                    "InvalidAccessKeyId" => t(lang, "error.publish_hint.unknown_key"),
                    "SignatureDoesNotMatch" => t(lang, "error.publish_hint.wrong_secret"),
                    "ExpiredToken" | "InvalidToken" | "TokenRefreshRequired" => {
                        t(lang, "error.publish_hint.token")
                    }
                    "AccessDenied" | "AllAccessDisabled" => t(lang, "error.publish_hint.denied"),
                    "NoSuchBucket" => t(lang, "error.publish_hint.no_bucket"),
                    "AuthorizationHeaderMalformed"
                    | "PermanentRedirect"
                    | "IllegalLocationConstraintException" => t(lang, "error.publish_hint.region"),
                    _ => String::new(),
                };
                let code = if code.is_empty() { "-" } else { code.as_str() };
                tf(
                    lang,
                    "error.publish_bucket_refused",
                    &[
                        ("status", &status.to_string()),
                        ("code", code),
                        ("hint", &hint),
                    ],
                )
            }
            PublishError::MissingEnv { variable } => {
                tf(lang, "error.publish_missing_env", &[("variable", variable)])
            }
            PublishError::BadEnv { variable } => {
                tf(lang, "error.publish_bad_env", &[("variable", variable)])
            }
            PublishError::KeysInAddress => t(lang, "error.publish_keys_in_address"),
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
        let bucket = |status, code: &str| PublishError::BucketRefused {
            status,
            code: code.into(),
        };
        assert!(bucket(503, "SlowDown").retry());
        assert!(!bucket(403, "InvalidAccessKeyId").retry());
        assert!(!PublishError::MissingEnv {
            variable: "AWS_ACCESS_KEY_ID"
        }
        .retry());
        assert!(!PublishError::BadEnv {
            variable: "AWS_ENDPOINT_URL"
        }
        .retry());
        assert!(!PublishError::KeysInAddress.retry());
    }

    #[test]
    fn each_error_speaks_both_languages() {
        for e in [
            PublishError::BadAddress,
            PublishError::Unreachable {
                detail: "connection refused".into(),
            },
            PublishError::Refused { status: 403 },
            PublishError::BucketRefused {
                status: 403,
                code: "SignatureDoesNotMatch".into(),
            },
            PublishError::MissingEnv {
                variable: "AWS_SECRET_ACCESS_KEY",
            },
            PublishError::BadEnv {
                variable: "AWS_ENDPOINT_URL",
            },
            PublishError::KeysInAddress,
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
        for lang in [Lang::Vi, Lang::En] {
            let missing = PublishError::MissingEnv {
                variable: "AWS_SECRET_ACCESS_KEY",
            }
            .message(lang);
            assert!(missing.contains("AWS_SECRET_ACCESS_KEY"), "{missing}");
            let refused = PublishError::BucketRefused {
                status: 403,
                code: "InvalidAccessKeyId".into(),
            }
            .message(lang);
            assert!(
                refused.contains("InvalidAccessKeyId") && refused.contains("AWS_ACCESS_KEY_ID"),
                "{refused}"
            );
        }
    }
}
