//! Who runs a CLI command. Once a database has accounts, a command that reads personal
//! data or changes anything runs as a signed-in staff account, checked with the window's
//! rule (`role_allows` over the same `Action` the window's command asks for; `need` lists
//! them side by side with the window command each one matches) and recorded under it.
//! The account is read again from the database at each command, so disabling it or taking
//! a role away ends what it allows at once.
//!
//! Two ways to be signed in: `motcua login NAME --password-stdin` opens a session kept in a
//! private file for this computer user and this database (`motcua_core::cli_session`), or
//! `--account NAME --password-file FILE` signs one command in, for scheduled jobs that
//! must not put a password on their command line.

use std::path::PathBuf;

use chrono::Duration;
use clap::Args;
use motcua_core::accounts::AccessError;
use motcua_core::accounts::{role_allows, Account, Action};
use motcua_core::cli_session::{self, CliSession};
use motcua_core::desk_config;
use motcua_core::error::Problem;
use motcua_core::form_set::FormSet;
use motcua_core::i18n::t;
use motcua_core::store::{is_postgres_url, Actor, Store};
use motcua_core::vntime;
use motcua_core::CoreError;

use super::{admin, calendar, users, Command};
use crate::context::{data_dir, Global};

/// What a command needs from the person running it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Nothing: no personal data, no change (or the command checks a password itself).
    Open,
    /// A signed-in account whose roles allow this action.
    Act(Action),
}

/// The action each command asks for: the same as the window's command for the same work
/// (named in the comment), so a role can do from the shell exactly what it can do in the
/// window.
/// `forms` is the form set in force: what `form --form 05` asks depends on it (the stop
/// notice under 2025, the control slip under 2018).
pub fn need(command: &Command, forms: FormSet) -> Need {
    use Action::*;
    use Need::{Act, Open};
    match command {
        // setup_agency
        Command::Setup(_) => Act(Settings),
        // catalog, save_procedure; the catalog holds no personal data
        Command::Procedures(admin::ProceduresCommand::Import { .. }) => Act(Catalog),
        Command::Procedures(_) => Open,
        // settings_set; reading settings shows no personal data (the slip secret is not a
        // named setting)
        Command::Settings(admin::SettingsCommand::Set { .. }) => Act(Settings),
        Command::Settings(_) => Open,
        // intake
        Command::Intake(_) => Act(Intake),
        // get_dossier: the full record, logged
        Command::Show(_) => Act(ViewFullRecord),
        Command::History(_) => Act(ViewDossier),
        // transition_dossier, hand_over_result
        Command::Transition(_) => Act(Transition),
        Command::Handover(_) => Act(Handover),
        // report_figures, export_report
        Command::Report(_) => Act(Report),
        // list_dossiers, search_dossiers
        Command::List(_) | Command::Search(_) => Act(ViewDossier),
        // calendar_add, calendar_remove; the calendar itself is public
        Command::Calendar(
            calendar::CalendarCommand::AddOff(_)
            | calendar::CalendarCommand::AddWorkday(_)
            | calendar::CalendarCommand::Remove { .. },
        ) => Act(Calendar),
        Command::Calendar(_) | Command::DueDate(_) => Open,
        // print_receipt, open_receipt
        Command::Receipt(_) | Command::Print(_) => Act(IssueReceipt),
        Command::Printers(_) => Open,
        // scan_slip
        Command::Scan(_) => Act(CheckIn),
        // Digitising belongs to the work it records: a checklist row's papers to whoever
        // receives the dossier, the result to whoever hands it over. The list and the scan
        // folder's file names are as open as the dossier's history.
        Command::Scans(super::scans::ScansCommand::Add(a)) if a.result => Act(Handover),
        Command::Scans(super::scans::ScansCommand::Add(_)) => Act(Intake),
        // Making the text layers rewrites the papers, as digitising does; their state is open.
        Command::Scans(super::scans::ScansCommand::Ocr(o)) if !o.status => Act(Intake),
        Command::Scans(_) => Act(ViewDossier),
        // its own temporary databases
        Command::Bench(_) => Open,
        // the person's own password is checked by the command itself
        Command::User(users::UserCommand::Passwd { .. }) => Open,
        // list_accounts, create_account, set_account_disabled, set_account_roles,
        // reset_account_password
        Command::User(_) => Act(ManageAccounts),
        // hashes only: anyone may check that the records are whole
        Command::Audit(users::AuditCommand::Verify { .. }) => Open,
        // audit_status
        Command::Audit(_) => Act(ViewAudit),
        // parse_id_card reads what is typed into it; the database is not touched
        Command::Idcard(_) => Open,
        // a copy of every record: a personal-data export (export_register)
        Command::Backup(ops) if ops.verify.is_some() => Open,
        Command::Backup(_) => Act(ExportPersonalData),
        // replaces every record and account: only account managers
        Command::Restore(_) | Command::Migrate(_) => Act(ManageAccounts),
        Command::Check(_) => Act(ViewAudit),
        // issue_form, export_register, transfer_dossiers, record_delivery
        // A form the set does not have is refused by the command itself, naming the set.
        Command::Form(f) => Act(forms.form(&f.form).map_or(IssueDeskForm, Action::for_form)),
        Command::Register(_) => Act(ExportPersonalData),
        Command::Transfer(_) => Act(Transfer),
        Command::Delivery(_) => Act(Handover),
        // The destinations are office settings (a webhook may be entitled to personal data).
        // What waits is counts, ages and errors, no personal data: every desk role sees it,
        // as the window's banner shows it. The sender sends what the office set up, to the
        // office's destinations, and shows nobody a record: any desk role may run it, and a
        // scheduled job signs in with --account and --password-file like `backup --daily`.
        Command::Outbox(
            super::outbox::OutboxCommand::Status { .. } | super::outbox::OutboxCommand::Run(_),
        ) => Act(ViewDossier),
        Command::Outbox(_) => Act(Settings),
        // the public status page shows what citizens may see
        Command::Serve(_) => Open,
        // which database this desk opens (kept in desk.json, not in the database)
        Command::Database(_) => Open,
        Command::Login(_) | Command::Logout => Open,
    }
}

/// The database a session belongs to, as its file is named: an SQLite file by its full
/// path, a server by its URL without the password.
fn session_key(database: &str) -> String {
    if is_postgres_url(database) {
        return desk_config::redact(database);
    }
    std::fs::canonicalize(database)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| database.to_string())
}

fn session_path(database: &str) -> PathBuf {
    cli_session::path(&data_dir(), &session_key(database))
}

/// The actor a command runs as on `store` (whose location is `database`), or why it may
/// not run.
pub async fn actor(
    global: &Global,
    store: &Store,
    database: &str,
    need: Need,
) -> Result<Actor, CoreError> {
    let Need::Act(action) = need else {
        return Ok(global.actor());
    };
    let desk = global.desk_name();
    let now = vntime::now();
    if let Some(name) = &global.account {
        let file = global
            .password_file
            .as_ref()
            .ok_or_else(|| CoreError::invalid("password-file", Problem::Required))?;
        let password = cli_session::read_password_file(file)?;
        let account = store.login(name, &password, &desk, now).await?;
        return permitted(&account, action).map(|_| Actor::new(account.name, desk));
    }
    if store.account_count().await? == 0 {
        // First set-up: nobody to sign in as yet.
        return Ok(global.actor());
    }
    let path = session_path(database);
    let mut session =
        cli_session::load(&path)?.ok_or(CoreError::Access(AccessError::CliLoginRequired))?;
    let digest = session.token_digest();
    let idle = Duration::minutes(store.idle_lock_minutes().await?);
    let holder = Actor::new(session.account.clone(), desk.clone());
    if session.is_expired(idle, now) {
        store.close_cli_session(&holder, &digest, now).await?;
        cli_session::remove(&path)?;
        return Err(CoreError::Access(AccessError::CliSessionExpired));
    }
    if !store.cli_session_is_open(&session.account, &digest).await? {
        cli_session::remove(&path)?;
        return Err(CoreError::Access(AccessError::CliSessionExpired));
    }
    let account = match store.account(&session.account).await {
        Ok(account) => account,
        Err(CoreError::Access(AccessError::AccountNotFound { .. })) => {
            cli_session::remove(&path)?;
            return Err(CoreError::Access(AccessError::CliSessionExpired));
        }
        Err(e) => return Err(e),
    };
    if account.disabled {
        store.close_cli_session(&holder, &digest, now).await?;
        cli_session::remove(&path)?;
        return Err(CoreError::Access(AccessError::AccountDisabled {
            name: account.name,
        }));
    }
    permitted(&account, action)?;
    session.last_used = vntime::to_millis(now);
    cli_session::save(&path, &session)?;
    Ok(Actor::new(account.name, desk))
}

fn permitted(account: &Account, action: Action) -> Result<(), CoreError> {
    if account.disabled {
        return Err(CoreError::Access(AccessError::AccountDisabled {
            name: account.name.clone(),
        }));
    }
    if !role_allows(&account.roles, action) {
        return Err(CoreError::Access(AccessError::Forbidden { action }));
    }
    Ok(())
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The login name
    pub name: String,
    /// Read the password from the first line of standard input (required: never pass it
    /// as an argument)
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

/// `motcua login`: checks the password like the window (wrong ones count towards the
/// lockout), ends any earlier session of this user on this database, opens a new one.
pub async fn login(
    global: &Global,
    store: &Store,
    database: &str,
    args: LoginArgs,
) -> Result<(), CoreError> {
    let password = users::first_line()?;
    let desk = global.desk_name();
    let now = vntime::now();
    let account = store.login(&args.name, &password, &desk, now).await?;
    let path = session_path(database);
    end_session(store, &path, &desk).await?;
    let session = CliSession::new(&account.name, &session_key(database), now);
    let actor = Actor::new(account.name.clone(), desk);
    store
        .open_cli_session(&actor, &session.token_digest(), now)
        .await?;
    cli_session::save(&path, &session)?;
    outln!("{} {}", t(global.lang(), "cli.logged_in"), account.name);
    Ok(())
}

/// `motcua logout`: the session's token opens nothing any more, and its file is removed.
pub async fn logout(global: &Global, store: &Store, database: &str) -> Result<(), CoreError> {
    let path = session_path(database);
    if end_session(store, &path, &global.desk_name()).await? {
        outln!("{}", t(global.lang(), "cli.logged_out"));
    } else {
        outln!("{}", t(global.lang(), "cli.not_logged_in"));
    }
    Ok(())
}

/// Closes the session kept at `path`, if any; whether there was one. A file with wider
/// modes is removed unread: it is no longer a secret.
async fn end_session(store: &Store, path: &std::path::Path, desk: &str) -> Result<bool, CoreError> {
    let session = match cli_session::load(path) {
        Ok(Some(session)) => session,
        Ok(None) => return Ok(false),
        Err(CoreError::Access(AccessError::NotPrivate { .. })) => {
            cli_session::remove(path)?;
            return Ok(true);
        }
        Err(e) => return Err(e),
    };
    let actor = Actor::new(session.account.clone(), desk);
    store
        .close_cli_session(&actor, &session.token_digest(), vntime::now())
        .await?;
    cli_session::remove(path)?;
    Ok(true)
}
