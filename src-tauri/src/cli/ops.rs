//! backup, restore, migrate, check: keeping the data safe and moving it.

use std::path::PathBuf;

use clap::Args;
use motcua_core::error::Problem;
use motcua_core::i18n::tf;
use motcua_core::private_fs;
use motcua_core::store::{is_postgres_url, transfer, verify_backup, Store, Unmarked};
use motcua_core::vntime::{now, to_vn, vn_date};
use motcua_core::CoreError;

use super::output;
use crate::context::{backup_dir, Global};

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Write the backup to FILE [default: backups/motcua-<date>-<time>.db beside an SQLite
    /// database, .jsonl for PostgreSQL]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The automatic daily backup: take today's if there is none yet, and keep only the
    /// newest `backup-keep` (a setting, default 14)
    #[arg(long, conflicts_with = "out")]
    pub daily: bool,
    /// Only check an existing backup file (integrity, version, checksum)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["out", "daily"])]
    pub verify: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "The restore is recorded in the access log (the file, its SHA-256, the chain heads it brought), and every account the backup changes (added, removed, roles, disabled or enabled, password) is named on stderr and in the JSON."
)]
pub struct RestoreArgs {
    /// A backup made by `motcua backup` (.db or .jsonl). It is checked first; the current
    /// database is kept aside in the backups folder before anything is replaced.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Accept an SQLite file that carries no backup marker (a plain copy of a database
    /// file, not made by `motcua backup`): nothing then proves what it holds
    #[arg(long)]
    pub unmarked: bool,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The commune's SQLite database file to move: refused unless its history verifies
    /// (`motcua audit verify`); its access log is appended to the centre's
    #[arg(long, value_name = "SQLITE_PATH")]
    pub from: String,
    /// The centre's database, e.g. postgres://user:password@server/motcua
    #[arg(long, value_name = "POSTGRES_URL")]
    pub to: String,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

pub async fn backup(global: &Global, store: &Store, args: BackupArgs) -> Result<(), CoreError> {
    let dir = backup_dir(global);
    if args.daily {
        let report = store.daily_backup(&dir, vn_date(now())).await?;
        return output::json(&report);
    }
    let out = match args.out {
        Some(out) => out,
        None => {
            // The backups folder is the app's own: kept to its owner like the data folder.
            private_fs::own_dir(&dir).map_err(|source| CoreError::File {
                path: dir.display().to_string(),
                source,
            })?;
            let stamp = to_vn(now()).format("%Y-%m-%d-%H%M%S");
            dir.join(format!("motcua-{stamp}.{}", store.backup_extension()))
        }
    };
    output::json(&store.backup(&out).await?)
}

pub async fn verify(file: PathBuf) -> Result<(), CoreError> {
    output::json(&verify_backup(&file).await?)
}

pub async fn restore(global: &Global, store: &Store, args: RestoreArgs) -> Result<(), CoreError> {
    let unmarked = if args.unmarked {
        Unmarked::Accept
    } else {
        Unmarked::Refuse
    };
    let report = store
        .restore(&args.file, &backup_dir(global), unmarked, &global.actor())
        .await?;
    // On stderr as well as in the JSON: a person running the restore must see an account
    // the backup brings back, even when a script keeps the JSON.
    let lang = global.lang();
    for change in &report.accounts {
        let changes: Vec<String> = change.differences.iter().map(|d| d.label(lang)).collect();
        eprintln!(
            "{}",
            tf(
                lang,
                "restore.account.line",
                &[("name", &change.name), ("changes", &changes.join(", "))]
            )
        );
    }
    output::json(&report)
}

pub async fn migrate(global: &Global, args: MigrateArgs) -> Result<(), CoreError> {
    let from = args.from.trim();
    if is_postgres_url(from) || !std::path::Path::new(from).is_file() {
        return Err(CoreError::invalid(
            "from",
            Problem::Invalid {
                detail: from.to_string(),
            },
        ));
    }
    let source = Store::open(from).await?;
    let target = match Store::open(args.to.trim()).await {
        Ok(t) => t,
        Err(e) => {
            source.close().await;
            return Err(e);
        }
    };
    let result = transfer::transfer(&source, &target, &global.actor()).await;
    source.close().await;
    target.close().await;
    output::json(&result?)
}

pub async fn check(global: &Global, store: &Store, args: CheckArgs) -> Result<(), CoreError> {
    let health = store.health().await?;
    if args.json {
        let mut value =
            serde_json::to_value(&health).map_err(|e| CoreError::Json(e.to_string()))?;
        if let Some(map) = value.as_object_mut() {
            map.insert("ok".into(), health.ok().into());
        }
        return output::json(&value);
    }
    let lang = global.lang();
    let t = |key: &str| motcua_core::i18n::t(lang, key);
    outln!(
        "{}: {}",
        t("check.integrity"),
        if health.integrity_ok {
            t("check.ok")
        } else {
            t("check.damaged")
        }
    );
    outln!("{}: {}", t("check.dossiers"), health.dossiers);
    outln!("{}: {}", t("check.events"), health.events);
    for code in &health.without_created_event {
        outln!("{}: {code}", t("check.without_event"));
    }
    let gaps = health.gaps.iter().map(|g| ("check.gap", g)).chain(
        health
            .lost_by_restore
            .iter()
            .map(|g| ("check.lost_by_restore", g)),
    );
    for (what, gap) in gaps {
        outln!(
            "{}: {} {} {}–{} ({} {}, {} {})",
            t(what),
            gap.agency_code,
            gap.day,
            gap.first,
            gap.last,
            gap.dossiers,
            t("check.dossiers"),
            t("check.counter"),
            gap.counter.map(|c| c.to_string()).unwrap_or_default()
        );
    }
    for mismatch in &health.not_as_recorded {
        outln!("{}", mismatch.message(lang));
    }
    Ok(())
}
