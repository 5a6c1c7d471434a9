//! Where this desk keeps its data, who is acting, and which database it uses: shared by the
//! window and the CLI so both open the same database by default.

use std::path::PathBuf;

use motcua_core::desk_config::{self, DeskConfig};
use motcua_core::i18n::Lang;
use motcua_core::private_fs;
use motcua_core::store::{Actor, IssuedForm, IssuedReceipt};
use motcua_core::transfer::TransferBatch;
use motcua_core::CoreError;

/// Options every entry point accepts.
#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// Database: an SQLite file path or a postgres:// URL
    /// [default: motcua.db in the user's data folder]
    #[arg(long, env = "MOTCUA_DB", global = true, value_name = "PATH|URL")]
    pub db: Option<String>,
    /// Language of messages: vi (default) or en
    #[arg(long, env = "MOTCUA_LANG", global = true, value_name = "vi|en", value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Name of this desk, recorded on the dossiers it receives [default: the name the window
    /// was given (desk.json), else the computer's name]
    #[arg(long, env = "MOTCUA_DESK", global = true, value_name = "NAME")]
    pub desk: Option<String>,
    /// Run this one command as this staff account, with the password read from
    /// --password-file (for scheduled jobs such as `backup --daily`; otherwise use
    /// `motcua login`)
    #[arg(long, global = true, value_name = "NAME", requires = "password_file")]
    pub account: Option<String>,
    /// The file holding --account's password on its first line: the user's own, mode 0600
    #[arg(long, global = true, value_name = "FILE", requires = "account")]
    pub password_file: Option<PathBuf>,
    /// The staff account a CLI command runs as, once it has been checked.
    #[arg(skip)]
    pub signed_in: Option<Actor>,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language {s:?}: use vi or en"))
}

impl Global {
    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or_default()
    }

    /// The database this desk opens: `--db`, then `MOTCUA_DB`, then the desk configuration
    /// file (`desk.json` in the data folder), then `motcua.db` in the data folder.
    pub fn database(&self) -> String {
        self.database_choice().0
    }

    /// The database and where the choice came from. An unreadable configuration file counts
    /// as none here; `check_desk_config` is what reports it.
    pub fn database_choice(&self) -> (String, DatabaseSource) {
        match &self.db {
            Some(db) if !db.trim().is_empty() => {
                let from_env = std::env::var("MOTCUA_DB").is_ok_and(|v| v.trim() == db.trim());
                let source = if from_env {
                    DatabaseSource::Env
                } else {
                    DatabaseSource::Flag
                };
                (db.trim().to_string(), source)
            }
            _ => match DeskConfig::load(&desk_config_path()) {
                Ok(c) if !c.database.trim().is_empty() => {
                    (c.database.trim().to_string(), DatabaseSource::File)
                }
                _ => (default_database(), DatabaseSource::Default),
            },
        }
    }

    /// Who acts: the signed-in staff account, or (before any account exists, and for
    /// commands that need none) the operating-system user.
    pub fn actor(&self) -> Actor {
        match &self.signed_in {
            Some(actor) => actor.clone(),
            None => Actor::new(os_user(), self.desk_name()),
        }
    }

    /// Whether this desk has a name of its own (the flag, the environment or `desk.json`)
    /// rather than the computer's: the window asks for one until it has.
    pub fn desk_named(&self) -> bool {
        self.desk.as_deref().is_some_and(|d| !d.trim().is_empty())
            || DeskConfig::load(&desk_config_path()).is_ok_and(|c| !c.desk.trim().is_empty())
    }

    pub fn desk_name(&self) -> String {
        self.desk
            .clone()
            .filter(|d| !d.trim().is_empty())
            .or_else(|| {
                DeskConfig::load(&desk_config_path())
                    .ok()
                    .map(|c| c.desk.trim().to_string())
                    .filter(|d| !d.is_empty())
            })
            .unwrap_or_else(host_name)
    }
}

/// Where the database location in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DatabaseSource {
    Flag,
    Env,
    File,
    Default,
}

/// The desk configuration file: `desk.json` in the user's data folder.
pub fn desk_config_path() -> PathBuf {
    data_dir().join(desk_config::FILE_NAME)
}

/// The default database: `motcua.db` in the user's data folder.
pub fn default_database() -> String {
    data_dir().join("motcua.db").to_string_lossy().into_owned()
}

/// A configuration file that cannot be read must stop the desk rather than let it open
/// the default database unnoticed (a centre's desk would start a commune of its own).
pub fn check_desk_config(global: &Global) -> Result<(), CoreError> {
    match &global.db {
        Some(db) if !db.trim().is_empty() => Ok(()),
        _ => DeskConfig::load(&desk_config_path()).map(|_| ()),
    }
}

/// Where issued papers are kept: beside an SQLite database file, or in the data folder when
/// the database is a server. Receipts go under `receipts/`, other forms under `forms/`,
/// hand-over lists under `transfers/`.
pub fn archive_root(global: &Global) -> PathBuf {
    let db = global.database();
    if motcua_core::store::is_postgres_url(&db) {
        return data_dir();
    }
    std::path::Path::new(&db)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn archive_dir(global: &Global) -> PathBuf {
    archive_root(global).join("receipts")
}

/// Keeps a copy of an issued paper as `<archive>/<folder>/<year>/<name>`.
pub fn archive_file(
    global: &Global,
    folder: &str,
    year: i32,
    name: &str,
    bytes: &[u8],
) -> Result<PathBuf, CoreError> {
    let folder = archive_root(global).join(folder);
    let dir = folder.join(year.to_string());
    for own in [&folder, &dir] {
        private_fs::own_dir(own).map_err(|source| CoreError::File {
            path: own.display().to_string(),
            source,
        })?;
    }
    let path = dir.join(name);
    private_fs::write(&path, bytes).map_err(|source| CoreError::File {
        path: path.display().to_string(),
        source,
    })?;
    Ok(path)
}

/// Where backups are kept: `backups/` beside an SQLite database file, or in the data
/// folder when the database is a server.
pub fn backup_dir(global: &Global) -> PathBuf {
    let db = global.database();
    if motcua_core::store::is_postgres_url(&db) {
        return data_dir().join("backups");
    }
    std::path::Path::new(&db)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| p.join("backups"))
        .unwrap_or_else(|| PathBuf::from("backups"))
}

/// Keeps a copy of an issued receipt: `receipts/<year>/<code>.pdf`, reprints `-reprint-N`.
pub fn archive_receipt(global: &Global, issued: &IssuedReceipt) -> Result<PathBuf, CoreError> {
    let d = &issued.dossier;
    let name = if issued.reprint == 0 {
        format!("{}.pdf", d.code)
    } else {
        format!("{}-reprint-{}.pdf", d.code, issued.reprint)
    };
    archive_file(global, "receipts", d.register.year, &name, &issued.pdf)
}

/// Keeps a copy of an issued form: `forms/<year>/<code>-mau-<NN>[-N].pdf` (the stop notice
/// `<code>-mau-05-dung`), the N-th issue after the first marked.
pub fn archive_form(global: &Global, issued: &IssuedForm) -> Result<PathBuf, CoreError> {
    let d = &issued.dossier;
    // The stop notice (2025 Mẫu 05) never takes the name of a control slip the same dossier
    // got as the 2018 Mẫu 05 before the office changed sets.
    let number = match issued.form {
        motcua_core::form_set::Form::Stop => format!("{}-dung", issued.number),
        _ => issued.number.clone(),
    };
    let name = if issued.issue <= 1 {
        format!("{}-mau-{number}.pdf", d.code)
    } else {
        format!("{}-mau-{number}-{}.pdf", d.code, issued.issue)
    };
    archive_file(global, "forms", d.register.year, &name, &issued.pdf)
}

/// Keeps a copy of a hand-over list: `transfers/<year>/ban-giao-<number>.pdf`.
pub fn archive_transfer_list(
    global: &Global,
    batch: &TransferBatch,
    pdf: &[u8],
) -> Result<PathBuf, CoreError> {
    use chrono::Datelike;
    let year = motcua_core::vntime::vn_date(batch.at).year();
    let name = format!("ban-giao-{}.pdf", batch.id);
    archive_file(global, "transfers", year, &name, pdf)
}

/// Where exports go: `MotCua` in the user's Documents folder (or their home folder's
/// `Documents` where the system names none).
pub fn export_dir() -> PathBuf {
    dirs::document_dir()
        .or_else(|| dirs::home_dir().map(|h| h.join("Documents")))
        .unwrap_or_else(data_dir)
        .join("MotCua")
}

/// The user's data folder for Một Cửa: `~/.local/share/motcua` on Linux,
/// `%LOCALAPPDATA%\motcua` on Windows. The local, not the roaming, profile: a database must
/// not be copied between computers at each sign-in on a domain with roaming profiles.
pub fn data_dir() -> PathBuf {
    dirs::data_local_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("motcua")
}

/// The data folder, when it exists, is kept to its owner (0700 on unix): it was made 0755
/// by versions that followed the umask.
pub fn protect_data_dir() {
    let dir = data_dir();
    if dir.is_dir() {
        // Best effort: a folder that cannot be changed still holds only private files.
        let _ = private_fs::tighten(&dir);
    }
}

/// The operating-system account, until staff accounts exist: events need an actor.
fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "desk".to_string())
}

fn host_name() -> String {
    std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "desk".to_string())
}

/// What a desk shows of its database choice: never a password.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DatabaseView {
    /// The database in use (password hidden).
    pub database: String,
    pub source: DatabaseSource,
    pub postgres: bool,
    /// What the configuration file chooses, empty when it chooses nothing (password hidden).
    pub configured: String,
    /// The configuration file.
    pub file: String,
    /// The database used when nothing is chosen.
    pub default: String,
}

pub fn database_view(global: &Global) -> DatabaseView {
    let (database, source) = global.database_choice();
    let configured = DeskConfig::load(&desk_config_path())
        .map(|c| c.database)
        .unwrap_or_default();
    DatabaseView {
        postgres: motcua_core::store::is_postgres_url(&database),
        database: desk_config::redact(&database),
        source,
        configured: desk_config::redact(configured.trim()),
        file: desk_config_path().display().to_string(),
        default: default_database(),
    }
}

/// Chooses the database this desk opens from its next start: the location is checked,
/// then (unless `test` is false) asked a question, so that a desk is never pointed at a
/// server it cannot reach; then kept in the configuration file. Nothing is written to the
/// database: the desk's next start prepares its tables.
pub async fn choose_database(location: &str, test: bool) -> Result<String, CoreError> {
    let location = desk_config::check_location(location)?;
    if test {
        motcua_core::store::Store::probe(&location).await?;
    }
    let path = desk_config_path();
    let mut config = DeskConfig::load(&path)?;
    config.database = location.clone();
    config.save(&path)?;
    Ok(location)
}

/// Forgets the configuration file's choice: the default database from the next start.
pub fn forget_database() -> Result<(), CoreError> {
    let path = desk_config_path();
    let mut config = DeskConfig::load(&path)?;
    config.database.clear();
    config.save(&path)
}
