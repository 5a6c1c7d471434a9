//! Who may not do what: the refusals of sign-in, the session (window or CLI) and the
//! administrator's account changes. A refusal of an action names the roles that allow it,
//! so the clerk knows whom to ask.

use chrono::{DateTime, Utc};

use super::roles::Action;
use crate::i18n::{display_in_vietnamese, t, tf, Lang, Localized};

#[derive(Debug)]
pub enum AccessError {
    NotLoggedIn,
    SessionLocked,
    Forbidden {
        action: Action,
    },
    BadCredentials,
    AccountLocked {
        until: DateTime<Utc>,
    },
    AccountDisabled {
        name: String,
    },
    AccountNotFound {
        name: String,
    },
    AccountExists {
        name: String,
    },
    /// The first administrator is made only while a database has no account.
    AccountsExist,
    LastAdministrator {
        name: String,
    },
    PasswordHash(String),
    /// A command of the CLI that needs an account, with nobody signed in on this computer.
    CliLoginRequired,
    /// The CLI session went idle longer than `idle-lock-minutes`, or was ended elsewhere.
    CliSessionExpired,
    /// A file that must be private (a session, a password for a scheduled job) is readable
    /// by others or belongs to someone else.
    NotPrivate {
        path: String,
        mode: String,
    },
}

impl std::error::Error for AccessError {}
display_in_vietnamese!(AccessError);

impl Localized for AccessError {
    fn kind(&self) -> &'static str {
        match self {
            // The window and scripts treat both as "sign in first".
            AccessError::NotLoggedIn | AccessError::CliLoginRequired => "not_logged_in",
            AccessError::SessionLocked => "session_locked",
            AccessError::Forbidden { .. } => "forbidden",
            AccessError::BadCredentials => "bad_credentials",
            AccessError::AccountLocked { .. } => "account_locked",
            AccessError::AccountDisabled { .. } => "account_disabled",
            AccessError::AccountNotFound { .. } => "account_not_found",
            AccessError::AccountExists { .. } => "account_exists",
            AccessError::AccountsExist => "accounts_exist",
            AccessError::LastAdministrator { .. } => "last_administrator",
            AccessError::PasswordHash(_) => "password_hash",
            AccessError::CliSessionExpired => "session_expired",
            AccessError::NotPrivate { .. } => "not_private",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            AccessError::NotLoggedIn => t(lang, "error.not_logged_in"),
            AccessError::SessionLocked => t(lang, "error.session_locked"),
            AccessError::Forbidden { action } => {
                let roles: Vec<String> = action.roles().iter().map(|r| r.label(lang)).collect();
                tf(
                    lang,
                    "error.forbidden",
                    &[
                        ("action", &action.label(lang)),
                        ("roles", &roles.join(", ")),
                    ],
                )
            }
            AccessError::BadCredentials => t(lang, "error.bad_credentials"),
            AccessError::AccountLocked { until } => tf(
                lang,
                "error.account_locked",
                &[("until", &vn_clock(*until))],
            ),
            AccessError::AccountDisabled { name } => {
                tf(lang, "error.account_disabled", &[("name", name)])
            }
            AccessError::AccountNotFound { name } => {
                tf(lang, "error.account_not_found", &[("name", name)])
            }
            AccessError::AccountExists { name } => {
                tf(lang, "error.account_exists", &[("name", name)])
            }
            AccessError::AccountsExist => t(lang, "error.accounts_exist"),
            AccessError::LastAdministrator { name } => {
                tf(lang, "error.last_administrator", &[("name", name)])
            }
            AccessError::PasswordHash(detail) => {
                tf(lang, "error.password_hash", &[("detail", detail)])
            }
            AccessError::CliLoginRequired => t(lang, "error.cli_login_required"),
            AccessError::CliSessionExpired => t(lang, "error.cli_session_expired"),
            AccessError::NotPrivate { path, mode } => {
                tf(lang, "error.not_private", &[("path", path), ("mode", mode)])
            }
        }
    }
}

/// "09:05:30 03/03/2027", Vietnam time.
fn vn_clock(instant: DateTime<Utc>) -> String {
    crate::vntime::to_vn(instant)
        .format("%H:%M:%S %d/%m/%Y")
        .to_string()
}
