//! `motcua database show|set|reset`: which database this desk opens, kept in the desk
//! configuration file (`desk.json` in the data folder) because it cannot live in the
//! database itself. `--db` and `MOTCUA_DB` still win over the file.
//!
//! `motcua database migrate|grant-desk`: the PostgreSQL owner's side, run with the owner's
//! connection (`--owner-url`), since desks connect as a role that may not change the schema.

use clap::Subcommand;
use motcua_core::desk_config::redact;
use motcua_core::i18n::{t, tf};
use motcua_core::store::Store;
use motcua_core::CoreError;

use super::output;
use crate::context::{choose_database, database_view, forget_database, DatabaseSource, Global};

#[derive(Debug, Subcommand)]
pub enum DatabaseCommand {
    /// The database in use, where that choice comes from, and the configuration file
    /// (passwords are shown as ***)
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Choose this desk's database (an SQLite file's absolute path or postgres://…) from its
    /// next start; the connection is tested first
    #[command(
        after_help = "Examples:\n  motcua database set 'postgres://desk:PASSWORD@192.168.1.10:5432/motcua'\n  motcua database set /srv/motcua/motcua.db"
    )]
    Set {
        /// An SQLite file's absolute path or a postgres:// URL
        #[arg(value_name = "PATH|URL")]
        location: String,
        /// Keep the choice without opening the database first
        #[arg(long)]
        no_test: bool,
    },
    /// Forget the choice: the default SQLite file in the data folder from the next start
    Reset,
    /// Create or upgrade the schema with the database owner's connection, then grant every
    /// desk role on the tables it now has; prints JSON
    #[command(
        after_help = "Example:\n  motcua database migrate --owner-url 'postgres://motcua_owner:PASSWORD@192.168.1.10/motcua'"
    )]
    Migrate {
        /// The owner's postgres:// URL [default: this desk's database]
        #[arg(long, value_name = "URL")]
        owner_url: Option<String>,
    },
    /// Give a PostgreSQL login role a desk's rights and no more: read and write the
    /// dossiers, append to the history and the access log (never update or delete them),
    /// no DDL, no TRUNCATE; prints JSON
    #[command(
        after_help = "Example:\n  motcua database grant-desk motcua_desk --owner-url 'postgres://motcua_owner:PASSWORD@192.168.1.10/motcua'"
    )]
    GrantDesk {
        /// The desks' role (created beforehand with CREATE ROLE … LOGIN)
        #[arg(value_name = "ROLE")]
        role: String,
        /// The owner's postgres:// URL [default: this desk's database]
        #[arg(long, value_name = "URL")]
        owner_url: Option<String>,
    },
}

pub async fn run(global: &Global, command: DatabaseCommand) -> Result<(), CoreError> {
    let lang = global.lang();
    match command {
        DatabaseCommand::Show { json } => {
            let view = database_view(global);
            if json {
                return output::json(&view);
            }
            let source = match view.source {
                DatabaseSource::Flag => "--db",
                DatabaseSource::Env => "MOTCUA_DB",
                DatabaseSource::File => view.file.as_str(),
                DatabaseSource::Default => "",
            };
            outln!("{}: {}", t(lang, "ui.db.current"), view.database);
            if !source.is_empty() {
                outln!("{}: {source}", t(lang, "ui.db.source"));
            }
            outln!("{}: {}", t(lang, "ui.db.file"), view.file);
            if !view.configured.is_empty() && view.source != DatabaseSource::File {
                outln!("{}: {}", t(lang, "ui.db.configured"), view.configured);
            }
            Ok(())
        }
        DatabaseCommand::Set { location, no_test } => {
            let chosen = choose_database(&location, !no_test).await?;
            outln!(
                "{}",
                tf(lang, "ui.db.saved", &[("database", &redact(&chosen))])
            );
            if global.db.as_deref().is_some_and(|d| !d.trim().is_empty()) {
                eprintln!("{}", t(lang, "ui.db.overridden"));
            }
            Ok(())
        }
        DatabaseCommand::Reset => {
            forget_database()?;
            outln!("{}", t(lang, "ui.db.reset"));
            Ok(())
        }
        DatabaseCommand::Migrate { owner_url } => {
            let location = owner_url.unwrap_or_else(|| global.database());
            let report = Store::migrate_schema(location.trim()).await?;
            for desk in report.desks.iter().filter(|d| d.may_create_tables) {
                eprintln!("{}", tf(lang, "ui.db.may_create", &[("role", &desk.role)]));
            }
            output::json(&report)
        }
        DatabaseCommand::GrantDesk { role, owner_url } => {
            let location = owner_url.unwrap_or_else(|| global.database());
            let store = Store::open(location.trim()).await?;
            let granted = store.grant_desk(role.trim()).await;
            store.close().await;
            let granted = granted?;
            if granted.may_create_tables {
                eprintln!(
                    "{}",
                    tf(lang, "ui.db.may_create", &[("role", &granted.role)])
                );
            }
            output::json(&granted)
        }
    }
}
