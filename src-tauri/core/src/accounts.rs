//! Staff accounts: the four roles of a desk and what each may do, the password rules, the
//! Argon2id hashes, and the growing delay after repeated wrong passwords. The store keeps
//! accounts (`store/accounts.rs`); a desk's signed-in person is a `session::Session`.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::error::{CoreError, CoreResult};
use crate::problem::{FieldError, Problem};
use crate::text::{fold, is_forbidden_char};

mod error;
mod roles;

pub use error::AccessError;
pub use roles::{normalize_roles, role_allows, roles_from_text, roles_to_text, Action, Role};

pub const MIN_ACCOUNT_NAME: usize = 2;
pub const MAX_ACCOUNT_NAME: usize = 32;
pub const MIN_PASSWORD: usize = 10;
pub const MAX_PASSWORD: usize = 256;

/// A login name: lower-case ASCII letters, digits and `. _ -`, starting with a letter, so
/// that it types the same on every keyboard and input method.
pub fn normalize_account_name(raw: &str) -> Option<String> {
    let name = raw.trim().to_ascii_lowercase();
    let len = name.chars().count();
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    (first_ok && rest_ok && (MIN_ACCOUNT_NAME..=MAX_ACCOUNT_NAME).contains(&len)).then_some(name)
}

/// A password as typed, NFC-normalised: an input method may hand over decomposed letters,
/// and the same password must verify whichever way it was typed.
pub fn normalize_password(raw: &str) -> String {
    raw.nfc().collect()
}

/// The password rules: at least 10 characters, at least two kinds of character (lower case,
/// upper case, digits, others), and not the login name.
pub fn password_problem(password: &str, account_name: &str) -> Option<Problem> {
    let password = normalize_password(password);
    let len = password.chars().count();
    if len == 0 {
        return Some(Problem::Required);
    }
    if password.chars().any(|c| is_forbidden_char(c, false)) {
        return Some(Problem::ForbiddenChars);
    }
    if len < MIN_PASSWORD {
        return Some(Problem::PasswordTooShort { min: MIN_PASSWORD });
    }
    if len > MAX_PASSWORD {
        return Some(Problem::TooLong { max: MAX_PASSWORD });
    }
    let classes = [
        password.chars().any(char::is_lowercase),
        password.chars().any(char::is_uppercase),
        password.chars().any(char::is_numeric),
        password
            .chars()
            .any(|c| !c.is_lowercase() && !c.is_uppercase() && !c.is_numeric()),
    ];
    if classes.iter().filter(|c| **c).count() < 2 {
        return Some(Problem::PasswordOneClass);
    }
    let alnum = |s: &str| -> String { fold(s).chars().filter(|c| c.is_alphanumeric()).collect() };
    let name = alnum(account_name);
    let folded = alnum(&password);
    // A short name ("an") is inside too many good passwords to forbid containing it.
    let is_name = if name.chars().count() >= 4 {
        folded.contains(&name)
    } else {
        !name.is_empty() && folded == name
    };
    if is_name {
        return Some(Problem::PasswordIsName);
    }
    None
}

/// `password_problem` as a field error on `field`.
pub fn check_password(field: &str, password: &str, account_name: &str) -> CoreResult<()> {
    match password_problem(password, account_name) {
        Some(problem) => Err(CoreError::Invalid(vec![FieldError::new(field, problem)])),
        None => Ok(()),
    }
}

/// An Argon2id hash (PHC string with its own random salt and parameters).
pub fn hash_password(password: &str) -> CoreResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(normalize_password(password).as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::from(AccessError::PasswordHash(e.to_string())))
}

/// Whether `password` matches `hash`. A malformed hash matches nothing.
pub fn verify_password(hash: &str, password: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(normalize_password(password).as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of no one's password: verified against when the login name does not exist, so
/// that a wrong name takes as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy-Password-0").unwrap_or_default())
}

/// Wrong passwords allowed before the account waits.
pub const LOCKOUT_AFTER: i64 = 5;
pub const LOCKOUT_FIRST_SECS: i64 = 30;
pub const LOCKOUT_MAX_SECS: i64 = 3600;

/// How long an account waits after `failed` consecutive wrong passwords: nothing for the
/// first four, 30 s at the fifth, doubling with each further one, at most an hour.
pub fn lockout_delay(failed: i64) -> Option<Duration> {
    if failed < LOCKOUT_AFTER {
        return None;
    }
    let doublings = u32::try_from((failed - LOCKOUT_AFTER).min(20)).unwrap_or(20);
    let secs = LOCKOUT_FIRST_SECS
        .saturating_mul(1_i64 << doublings)
        .min(LOCKOUT_MAX_SECS);
    Some(Duration::seconds(secs))
}

/// A staff account as shown to administrators (never its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: i64,
    pub name: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    /// Consecutive wrong passwords since the last successful login.
    pub failed_count: i64,
    /// Until when logins are refused after too many wrong passwords.
    #[serde(with = "serde_vn_opt")]
    pub locked_until: Option<DateTime<Utc>>,
    #[serde(with = "crate::vntime::serde_vn")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::vntime::serde_vn")]
    pub updated_at: DateTime<Utc>,
}

impl Account {
    pub fn allows(&self, action: Action) -> bool {
        !self.disabled && role_allows(&self.roles, action)
    }

    pub fn is_administrator(&self) -> bool {
        self.roles.contains(&Role::Administrator)
    }
}

mod serde_vn_opt {
    use chrono::{DateTime, Utc};
    use serde::Serializer;

    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&crate::vntime::rfc3339_vn(*t)),
            None => s.serialize_none(),
        }
    }
}

/// A new account as an administrator (or the first-run set-up) enters it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewAccount {
    pub name: String,
    #[serde(default)]
    pub display_name: String,
    pub roles: Vec<Role>,
    pub password: String,
}

/// A `NewAccount` that passed validation.
#[derive(Debug, Clone)]
pub struct ValidAccount {
    pub name: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub password: String,
}

impl NewAccount {
    /// Every problem at once, each naming its field (`account.name`, `account.display_name`,
    /// `account.roles`, `account.password`). The display name defaults to the login name.
    pub fn validate(&self) -> CoreResult<ValidAccount> {
        let mut c = crate::validate::Checker::new();
        let name = match normalize_account_name(&self.name) {
            Some(name) => name,
            None => {
                if self.name.trim().is_empty() {
                    c.fail("account.name", Problem::Required);
                } else {
                    c.fail("account.name", Problem::AccountName);
                }
                String::new()
            }
        };
        let display_name = if self.display_name.trim().is_empty() {
            name.clone()
        } else {
            c.line(
                "account.display_name",
                &self.display_name,
                true,
                crate::validate::MAX_NAME,
            )
        };
        let roles = normalize_roles(&self.roles);
        if roles.is_empty() {
            c.fail("account.roles", Problem::Required);
        }
        if let Some(problem) = password_problem(&self.password, &name) {
            c.fail("account.password", problem);
        }
        if !c.is_ok() {
            return Err(CoreError::Invalid(c.errors));
        }
        Ok(ValidAccount {
            name,
            display_name,
            roles,
            password: normalize_password(&self.password),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_role_against_every_action() {
        use Action::*;
        let expected = |role: Role| -> Vec<Action> {
            match role {
                Role::Reception => vec![
                    Intake,
                    IssueReceipt,
                    CheckIn,
                    Handover,
                    IssueDeskForm,
                    Transfer,
                    ViewDossier,
                    ViewFullRecord,
                    ChangeOwnPassword,
                    NameDesk,
                ],
                Role::Processing => vec![
                    Transition,
                    IssueSlip,
                    IssueDeskForm,
                    Transfer,
                    ViewDossier,
                    ViewFullRecord,
                    ChangeOwnPassword,
                    NameDesk,
                ],
                Role::Supervisor => vec![
                    Report,
                    ExportPersonalData,
                    Settings,
                    Catalog,
                    Calendar,
                    ViewDossier,
                    ViewFullRecord,
                    ChangeOwnPassword,
                    NameDesk,
                ],
                Role::Administrator => {
                    vec![ManageAccounts, ViewAudit, ChangeOwnPassword, NameDesk]
                }
            }
        };
        for role in Role::ALL {
            for action in Action::ALL {
                assert_eq!(
                    role_allows(&[role], action),
                    expected(role).contains(&action),
                    "{role} × {action:?}"
                );
            }
        }
        for action in Action::ALL {
            assert!(!role_allows(&[], action), "no role allows {action:?}");
            assert!(
                !action.roles().is_empty(),
                "{action:?} is allowed to somebody"
            );
        }
    }

    #[test]
    fn several_roles_add_up() {
        let clerk = [Role::Reception, Role::Processing];
        assert!(role_allows(&clerk, Action::Intake));
        assert!(role_allows(&clerk, Action::Transition));
        assert!(!role_allows(&clerk, Action::Settings));
        assert!(!role_allows(&clerk, Action::ExportPersonalData));
        assert!(!role_allows(&[Role::Administrator], Action::ViewDossier));
        assert!(role_allows(
            &[Role::Administrator, Role::Supervisor],
            Action::ViewDossier
        ));
        assert_eq!(
            Action::ExportPersonalData.roles(),
            vec![Role::Supervisor],
            "exports of personal data need the supervisor role"
        );
    }

    #[test]
    fn roles_round_trip_as_text() {
        let roles = [Role::Supervisor, Role::Reception, Role::Supervisor];
        assert_eq!(roles_to_text(&roles), "reception,supervisor");
        assert_eq!(
            roles_from_text("supervisor,reception,unknown"),
            vec![Role::Reception, Role::Supervisor]
        );
        assert_eq!(Role::parse(" Admin "), Some(Role::Administrator));
        assert_eq!(Role::parse("boss"), None);
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
            assert_ne!(role.label(Lang::Vi), format!("role.{}", role.code()));
            assert_ne!(role.label(Lang::En), format!("role.{}", role.code()));
        }
        for action in Action::ALL {
            assert_ne!(
                action.label(Lang::En),
                format!("action.{}", action.code()),
                "{action:?} has a label"
            );
        }
    }

    #[test]
    fn password_rules() {
        assert_eq!(
            password_problem("Ab1", "an.nv"),
            Some(Problem::PasswordTooShort { min: 10 })
        );
        assert_eq!(
            password_problem("abcdefghijk", "an.nv"),
            Some(Problem::PasswordOneClass)
        );
        assert_eq!(
            password_problem("12345678901", "an.nv"),
            Some(Problem::PasswordOneClass)
        );
        assert_eq!(
            password_problem("ĐƯỜNGHOÀNGHÔN", "an.nv"),
            Some(Problem::PasswordOneClass),
            "Vietnamese capitals are one class"
        );
        assert_eq!(password_problem("", "an.nv"), Some(Problem::Required));
        assert_eq!(
            password_problem("abc\u{0007}defghij1", "an.nv"),
            Some(Problem::ForbiddenChars)
        );
        assert_eq!(
            password_problem(&"aA1".repeat(100), "an.nv"),
            Some(Problem::TooLong { max: 256 })
        );
        // The login name, in any case or with punctuation, is refused.
        assert_eq!(
            password_problem("Tran.Thi.Binh", "tran.thi.binh"),
            Some(Problem::PasswordIsName)
        );
        assert_eq!(
            password_problem("TranThiBinh2027", "tran.thi.binh"),
            Some(Problem::PasswordIsName)
        );
        assert_eq!(password_problem("hoa sen 2027", "tran.thi.binh"), None);
        assert_eq!(password_problem("mật khẩu dài", "an.nv"), None);
        assert_eq!(password_problem("Correcthorse", "an"), None);
        // Decomposed input counts characters as composed.
        let nfd: String = "Mật khẩu1".nfd().collect();
        assert_eq!(
            password_problem(&nfd, "an.nv"),
            Some(Problem::PasswordTooShort { min: 10 })
        );
    }

    #[test]
    fn password_errors_name_the_field_and_the_rule_in_both_languages() {
        let err = check_password("account.password", "short1", "an.nv").unwrap_err();
        assert_eq!(err.message(Lang::Vi), "Mật khẩu: phải dài ít nhất 10 ký tự");
        assert_eq!(
            err.message(Lang::En),
            "Password: must be at least 10 characters long"
        );
        let err = check_password("account.password", "aaaaaaaaaaaa", "an.nv").unwrap_err();
        assert!(err.message(Lang::En).contains("two kinds"), "{err}");
        let err = check_password("account.password", "An.Nv.2027x", "an.nv").unwrap_err();
        assert!(err.message(Lang::Vi).contains("tên đăng nhập"), "{err}");
    }

    #[test]
    fn account_names_are_plain_ascii() {
        assert_eq!(normalize_account_name(" An.NV "), Some("an.nv".to_string()));
        assert_eq!(normalize_account_name("a"), None);
        assert_eq!(normalize_account_name("1an"), None);
        assert_eq!(normalize_account_name("nguyễn"), None);
        assert_eq!(normalize_account_name("an nv"), None);
        assert_eq!(normalize_account_name(&"a".repeat(33)), None);
    }

    #[test]
    fn new_accounts_report_every_problem() {
        let err = NewAccount {
            name: "Nguyễn".into(),
            display_name: String::new(),
            roles: vec![],
            password: "short".into(),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = err
            .field_errors()
            .iter()
            .map(|f| f.field.as_str())
            .collect();
        assert_eq!(
            fields,
            ["account.name", "account.roles", "account.password"]
        );
        let ok = NewAccount {
            name: "Binh.TT".into(),
            display_name: "Trần Thị Bình".into(),
            roles: vec![Role::Supervisor, Role::Reception, Role::Reception],
            password: "hoa sen 2027".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.name, "binh.tt");
        assert_eq!(ok.roles, vec![Role::Reception, Role::Supervisor]);
    }

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash_password("hoa sen 2027").unwrap();
        let b = hash_password("hoa sen 2027").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify_password(&a, "hoa sen 2027"));
        assert!(verify_password(&b, "hoa sen 2027"));
        assert!(!verify_password(&a, "hoa sen 2028"));
        assert!(!verify_password("not a hash", "hoa sen 2027"));
        // Typed decomposed, it still matches.
        let h = hash_password("Mật khẩu 2027").unwrap();
        let nfd: String = "Mật khẩu 2027".nfd().collect();
        assert!(verify_password(&h, &nfd));
        assert!(!verify_password(decoy_hash(), "hoa sen 2027"));
    }

    #[test]
    fn lockout_waits_grow_from_the_fifth_failure_and_stop_at_an_hour() {
        let secs = |n| lockout_delay(n).map(|d| d.num_seconds());
        assert_eq!(secs(0), None);
        assert_eq!(secs(4), None);
        assert_eq!(secs(5), Some(30));
        assert_eq!(secs(6), Some(60));
        assert_eq!(secs(7), Some(120));
        assert_eq!(secs(11), Some(1920));
        assert_eq!(secs(12), Some(3600));
        assert_eq!(secs(1000), Some(3600));
        assert_eq!(secs(i64::MAX), Some(3600));
    }
}
