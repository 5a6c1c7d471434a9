//! user add/list/disable/enable/roles/reset-password/passwd, and audit verify/log.
//! Passwords are read from standard input only (never an argument: arguments show in
//! process lists and shell history).

use std::io::Read;

use clap::Subcommand;
use motcua_core::accounts::{NewAccount, Role};
use motcua_core::audit::AuditError;
use motcua_core::i18n::{t, tf};
use motcua_core::store::Store;
use motcua_core::vntime;
use motcua_core::CoreError;

use super::output;
use crate::context::Global;

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        format!("unknown role {s:?}: use reception, processing, supervisor or administrator")
    })
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account; the password is the first line of standard input
    Add {
        /// Login name: lower-case letters, digits and . _ - (e.g. an.nv)
        name: String,
        /// Role (repeat for several): reception, processing, supervisor, administrator
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// Full name shown in the window [default: the login name]
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from standard input (required: never pass it as an argument)
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Every account with its roles and state
    List {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Disable an account: it can no longer sign in (its history stays)
    Disable { name: String },
    /// Enable a disabled account again
    Enable { name: String },
    /// Replace an account's roles
    Roles {
        name: String,
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
    },
    /// Set a new password (first line of standard input) and clear any lockout
    ResetPassword {
        name: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Change one's own password: standard input holds the old password, then the new one
    Passwd {
        name: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chains (dossier history, access log, record log) and every dossier,
    /// account, setting, procedure and calendar notice against its last entry; exit
    /// status 1, naming what is wrong, when something was edited, added, deleted or
    /// reordered. Prints the chains' heads: note them elsewhere and give them back with
    /// --expect
    Verify {
        /// Print the whole report (entries checked, chain heads, first broken entry,
        /// records that differ, pinned heads not found) as JSON
        #[arg(long)]
        json: bool,
        /// A head noted earlier (repeatable): fails unless it is still an entry's hash on
        /// its chain, so deleting the newest entries and rolling the head back is found
        #[arg(long = "expect", value_name = "HASH")]
        expect: Vec<String>,
    },
    /// The newest entries of the record log: changes to accounts, settings (with the old
    /// and the new value, except secrets), procedures and calendar notices
    Records {
        /// Only entries about this key: a setting's name, an account, a procedure code
        #[arg(long)]
        key: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// The newest entries of the access log (logins, account changes, full-record
    /// openings, personal-data exports)
    Log {
        /// Only entries about this account name or dossier code
        #[arg(long)]
        subject: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

/// Lines of standard input without their line endings (passwords keep inner spaces).
fn stdin_lines(n: usize) -> Result<Vec<String>, CoreError> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|source| CoreError::File {
            path: "-".into(),
            source,
        })?;
    let mut lines: Vec<String> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
        .take(n)
        .collect();
    lines.resize(n, String::new());
    Ok(lines)
}

pub(super) fn first_line() -> Result<String, CoreError> {
    Ok(stdin_lines(1)?.remove(0))
}

pub async fn user(global: &Global, store: &Store, command: UserCommand) -> Result<(), CoreError> {
    let lang = global.lang();
    let actor = global.actor();
    let now = vntime::now();
    match command {
        UserCommand::Add {
            name,
            roles,
            display_name,
            password_stdin: _,
        } => {
            let password = first_line()?;
            let account = store
                .create_account(
                    &NewAccount {
                        name,
                        display_name: display_name.unwrap_or_default(),
                        roles,
                        password,
                    },
                    &actor,
                    now,
                )
                .await?;
            outln!("{} {}", t(lang, "cli.user_added"), account.name);
        }
        UserCommand::List { json } => {
            let accounts = store.accounts().await?;
            if json {
                return output::json(&accounts);
            }
            if accounts.is_empty() {
                outln!("{}", t(lang, "cli.no_users"));
            }
            for a in accounts {
                let roles: Vec<&str> = a.roles.iter().map(|r| r.code()).collect();
                let mut state = Vec::new();
                if a.disabled {
                    state.push(t(lang, "cli.disabled"));
                }
                if let Some(until) = a.locked_until.filter(|u| *u > now) {
                    state.push(format!(
                        "{} {}",
                        t(lang, "cli.locked_until"),
                        output::time(until)
                    ));
                }
                let state = if state.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", state.join(", "))
                };
                outln!(
                    "{:<20} {:<40} {}{}",
                    a.name,
                    roles.join(","),
                    a.display_name,
                    state
                );
            }
        }
        UserCommand::Disable { name } => {
            let a = store.set_disabled(&name, true, &actor, now).await?;
            outln!("{} {}", t(lang, "cli.user_disabled"), a.name);
        }
        UserCommand::Enable { name } => {
            let a = store.set_disabled(&name, false, &actor, now).await?;
            outln!("{} {}", t(lang, "cli.user_enabled"), a.name);
        }
        UserCommand::Roles { name, roles } => {
            let a = store.set_roles(&name, &roles, &actor, now).await?;
            let codes: Vec<&str> = a.roles.iter().map(|r| r.code()).collect();
            outln!(
                "{} {}: {}",
                t(lang, "cli.roles_changed"),
                a.name,
                codes.join(",")
            );
        }
        UserCommand::ResetPassword { name, .. } => {
            let password = first_line()?;
            store.reset_password(&name, &password, &actor, now).await?;
            outln!("{} {}", t(lang, "cli.password_reset"), name.trim());
        }
        UserCommand::Passwd { name, .. } => {
            let mut lines = stdin_lines(2)?;
            let new = lines.remove(1);
            let old = lines.remove(0);
            store
                .change_password(&name, &old, &new, &actor.desk, now)
                .await?;
            outln!("{} {}", t(lang, "cli.password_changed"), name.trim());
        }
    }
    Ok(())
}

pub async fn audit(global: &Global, store: &Store, command: AuditCommand) -> Result<(), CoreError> {
    let lang = global.lang();
    match command {
        AuditCommand::Verify { json, expect } => {
            let report = store.verify_audit_expecting(&expect).await?;
            if json {
                output::json(&report)?;
            } else if report.ok {
                outln!(
                    "{}",
                    tf(
                        lang,
                        "audit.ok",
                        &[("checked", &report.checked.to_string())]
                    )
                );
                outln!("{}", t(lang, "audit.heads"));
                for head in &report.heads {
                    outln!("{} {} {}", head.chain.table(), head.entries, head.hash);
                }
            }
            if report.ok {
                Ok(())
            } else {
                Err(CoreError::Audit(AuditError::Broken(Box::new(report))))
            }
        }
        AuditCommand::Records { key, limit, json } => {
            let entries = store.record_entries(key.as_deref(), limit).await?;
            if json {
                return output::json(&entries);
            }
            for e in entries {
                let change = match (e.data.get("old"), e.data.get("new")) {
                    (Some(old), Some(new)) => format!("{old} → {new}"),
                    _ => String::new(),
                };
                outln!(
                    "{:>6} {} {:<16} {:<14} {:<10} {:<24} {}",
                    e.id,
                    output::time(e.at),
                    e.kind,
                    e.actor,
                    e.record,
                    e.key,
                    change
                );
            }
            Ok(())
        }
        AuditCommand::Log {
            subject,
            limit,
            json,
        } => {
            let entries = store.access_log(subject.as_deref(), limit).await?;
            if json {
                return output::json(&entries);
            }
            for e in entries {
                outln!(
                    "{:>6} {} {:<16} {:<14} {:<24} {}",
                    e.id,
                    output::time(e.at),
                    e.kind,
                    e.actor,
                    e.subject,
                    e.desk
                );
            }
            Ok(())
        }
    }
}
