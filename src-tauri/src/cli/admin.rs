//! setup, procedures, settings.

use clap::{Args, Subcommand};
use motcua_core::accounts::AccessError;
use motcua_core::accounts::{NewAccount, Role};
use motcua_core::agency::AgencyInput;
use motcua_core::i18n::t;
use motcua_core::procedure::Catalog;
use motcua_core::store::{Store, NAMED_SETTINGS};
use motcua_core::vntime;
use motcua_core::CoreError;

use super::output;
use crate::context::Global;

#[derive(Debug, Args)]
pub struct SetupArgs {
    /// Agency identifier assigned by the province, e.g. 000.00.14.H56 or H26.107
    #[arg(long)]
    pub agency_code: String,
    /// Governing body, e.g. "UBND XÃ HƯỚNG THỌ PHÚ"
    #[arg(long)]
    pub governing_body: String,
    /// Unit name, e.g. "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
    #[arg(long)]
    pub unit: String,
    /// Place name for "<place>, ngày … tháng … năm …"
    #[arg(long)]
    pub place: String,
    /// First dossier number of each day (e.g. 5001 to stay clear of the province's system)
    #[arg(long)]
    pub first_number: Option<i64>,
    /// Create the first administrator account with this login name (only while no account
    /// exists); its password is the first line of standard input
    #[arg(long, requires = "admin_password_stdin")]
    pub admin: Option<String>,
    /// Full name of the first administrator [default: the login name]
    #[arg(long, requires = "admin")]
    pub admin_display_name: Option<String>,
    /// Read the first administrator's password from standard input
    #[arg(long, requires = "admin")]
    pub admin_password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProceduresCommand {
    /// List the catalog
    List {
        /// Include procedures not currently accepted
        #[arg(long)]
        all: bool,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Add or replace procedures from a JSON file ({"procedures": […]}), all or nothing. A
    /// procedure may carry "any_desk": true (receivable regardless of residence) and each
    /// document "from_data": true (obtainable from a national database or VNeID)
    Import { file: String },
    /// Write the whole catalog as JSON (to standard output, or --out FILE)
    Export {
        #[arg(long)]
        out: Option<String>,
        /// Accepted for symmetry: the export is always JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Every named setting with its value
    List {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// One setting's value
    Get { key: String },
    /// Change a setting (validated as in the window)
    Set { key: String, value: String },
}

pub async fn setup(global: &Global, store: &Store, args: SetupArgs) -> Result<(), CoreError> {
    // The administrator is checked before the agency is saved, so a refused administrator
    // leaves nothing half done.
    let admin = match &args.admin {
        Some(name) => {
            let input = NewAccount {
                name: name.clone(),
                display_name: args.admin_display_name.clone().unwrap_or_default(),
                roles: vec![Role::Administrator],
                password: super::users::first_line()?,
            };
            input.validate()?;
            if store.account_count().await? > 0 {
                return Err(CoreError::Access(AccessError::AccountsExist));
            }
            Some(input)
        }
        None => None,
    };
    let agency = store
        .setup(&AgencyInput {
            agency_code: args.agency_code,
            governing_body: args.governing_body,
            unit: args.unit,
            place: args.place,
            first_number: args.first_number,
        })
        .await?;
    outln!(
        "{} {} – {}",
        t(global.lang(), "cli.setup_done"),
        agency.code,
        agency.unit
    );
    if let Some(input) = admin {
        let account = store
            .create_first_administrator(&input, &global.desk_name(), vntime::now())
            .await?;
        outln!("{} {}", t(global.lang(), "cli.admin_created"), account.name);
    }
    Ok(())
}

pub async fn procedures(
    global: &Global,
    store: &Store,
    command: ProceduresCommand,
) -> Result<(), CoreError> {
    match command {
        ProceduresCommand::List { all, json } => {
            let list = store.procedures(all).await?;
            if json {
                return output::json(&list);
            }
            for p in list {
                let inactive = if p.active {
                    String::new()
                } else {
                    format!(" ({})", t(global.lang(), "cli.inactive"))
                };
                let any_desk = if p.any_desk {
                    format!(" [{}]", t(global.lang(), "field.procedure.any_desk"))
                } else {
                    String::new()
                };
                outln!(
                    "{:<10} {:<14} {}{}{}",
                    p.code,
                    p.field,
                    p.name,
                    any_desk,
                    inactive
                );
            }
            Ok(())
        }
        ProceduresCommand::Import { file } => {
            let text = std::fs::read_to_string(&file).map_err(|source| CoreError::File {
                path: file.clone(),
                source,
            })?;
            let catalog = Catalog::parse(&text)?;
            let n = store.import_catalog(&catalog).await?;
            outln!("{n}");
            Ok(())
        }
        ProceduresCommand::Export { out, json: _ } => {
            let catalog = store.export_catalog().await?;
            let text = serde_json::to_string_pretty(&catalog)
                .map_err(|e| CoreError::Json(e.to_string()))?;
            match out {
                Some(path) => std::fs::write(&path, text + "\n")
                    .map_err(|source| CoreError::File { path, source }),
                None => {
                    outln!("{text}");
                    Ok(())
                }
            }
        }
    }
}

pub async fn settings(
    global: &Global,
    store: &Store,
    command: SettingsCommand,
) -> Result<(), CoreError> {
    let desk = global.desk_name();
    match command {
        SettingsCommand::List { json } => {
            let mut values = serde_json::Map::new();
            for key in NAMED_SETTINGS {
                let value = match store.get_named(&desk, key).await {
                    Ok(v) => v,
                    Err(CoreError::NotSetUp) => String::new(),
                    Err(e) => return Err(e),
                };
                values.insert(key.to_string(), serde_json::Value::String(value));
            }
            if json {
                return output::json(&values);
            }
            for (k, v) in values {
                outln!("{k} = {}", v.as_str().unwrap_or_default());
            }
            Ok(())
        }
        SettingsCommand::Get { key } => {
            outln!("{}", store.get_named(&desk, key.trim()).await?);
            Ok(())
        }
        SettingsCommand::Set { key, value } => store.set_named(&desk, key.trim(), &value).await,
    }
}
