//! The command-line interface: the core for scripts, tests and administrators. Every
//! command prints JSON with `--json` (or always, where noted) and exits non-zero with a
//! one-line error on stderr when it fails.

// Standard output goes through `outln!` (a closed pipe is not a crash), never `println!`.
#![deny(clippy::print_stdout)]

// First: its `outln!` is used by every module below.
#[macro_use]
mod output;

mod access;
mod admin;
mod bench;
mod calendar;
mod database;
mod dossiers;
mod forms;
mod idcard;
mod ops;
mod outbox;
mod scans;
mod serve;
mod slips;
mod users;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use motcua_core::i18n::Localized;
use motcua_core::store::{is_postgres_url, Store};
use motcua_core::CoreError;

use crate::context::Global;

#[derive(Debug, Parser)]
#[command(
    name = "motcua",
    version,
    about = "Một Cửa: the one-stop reception desk (tiếp nhận và trả kết quả hồ sơ)",
    long_about = "Một Cửa registers administrative dossiers at a Vietnamese one-stop desk.\n\n\
        Without a command it opens the desk window. With a command it works on the same \
        database from the command line: the default is motcua.db in the user's data folder; \
        choose another with --db PATH, --db postgres://… or MOTCUA_DB.\n\n\
        Once the database has staff accounts, commands that read personal data or change \
        anything run as a signed-in account with the same roles as in the window: \
        `motcua login NAME --password-stdin` first (the session ends with `motcua logout` or \
        after the idle-lock-minutes setting without a command), or, for scheduled jobs, \
        `--account NAME --password-file FILE` (a file only its owner may read, mode 0600).",
    after_help = "Examples:\n  motcua setup --agency-code 000.00.14.H56 --governing-body 'UBND XÃ HƯỚNG THỌ PHÚ' \\\n      --unit 'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG' --place 'Hướng Thọ Phú'\n  motcua intake dossier.json\n  motcua list --date 2027-03-03 --json\n  motcua search 'nguyen van an'"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// First-run set-up of the agency (or change it later)
    Setup(admin::SetupArgs),
    /// The procedure catalog: list, import or export as JSON
    #[command(subcommand)]
    Procedures(admin::ProceduresCommand),
    /// Settings shared by the desks: list, get or set
    #[command(subcommand)]
    Settings(admin::SettingsCommand),
    /// Register a dossier from JSON (a file, or - for standard input); prints it as JSON
    Intake(dossiers::IntakeArgs),
    /// Show one dossier
    Show(dossiers::ShowArgs),
    /// The events of a dossier, oldest first
    History(dossiers::ShowArgs),
    /// Move a dossier to another status (checked against the allowed transitions)
    Transition(dossiers::TransitionArgs),
    /// Hand a ready result over (status 10): who received it, and the citizen's rating
    Handover(dossiers::HandoverArgs),
    /// The Biểu 06 counters for a period (received, resolved early/on time/late, in progress) as JSON, CSV, XLSX or PDF
    Report(dossiers::ReportArgs),
    /// List dossiers by reception date, status or procedure (newest first)
    List(dossiers::ListArgs),
    /// Search by applicant name (diacritics ignored), code, ID number or phone
    Search(dossiers::SearchArgs),
    /// The working-day calendar: holidays, notices, lunar dates
    #[command(subcommand)]
    Calendar(calendar::CalendarCommand),
    /// The appointment of a dossier of PROCEDURE received at a given time
    DueDate(calendar::DueDateArgs),
    /// Write a dossier's receipt (Mẫu 01) as PDF; a second issue is marked as a reprint
    Receipt(slips::ReceiptArgs),
    /// Print a dossier's receipt on the desk's printer (CUPS, or the Windows spooler)
    Print(slips::PrintArgs),
    /// The printers this computer can print to (* marks the default)
    Printers(slips::PrintersArgs),
    /// Check a scanned receipt (QR payload or barcode) and show its dossier
    Scan(slips::ScanArgs),
    /// Digitised papers of a dossier: add (scanner, files or the watched scan folder), list,
    /// and the files waiting in the scan folder (incoming)
    #[command(subcommand)]
    Scans(scans::ScansCommand),
    /// Measure intake, receipts, scan, search, lists and the report on temporary databases
    Bench(bench::BenchArgs),
    /// Staff accounts: add, list, disable, enable, roles, reset-password, passwd
    #[command(subcommand)]
    User(users::UserCommand),
    /// The audit trail: verify the hash chains, read the access log
    #[command(subcommand)]
    Audit(users::AuditCommand),
    /// Citizen ID card QR: read one, list the serial (COM) ports, or try a scanner in serial mode
    #[command(subcommand)]
    Idcard(idcard::IdcardCommand),
    /// A consistent, checked copy of the whole database while desks keep working
    Backup(ops::BackupArgs),
    /// Replace the database with a checked backup (the current one is kept aside)
    Restore(ops::RestoreArgs),
    /// Move a commune's SQLite database into a centre's PostgreSQL (codes, events, history)
    Migrate(ops::MigrateArgs),
    /// Check the database: integrity, every dossier's events, numbering without gaps
    Check(ops::CheckArgs),
    /// Issue a dossier's form as PDF: 02 supplement request, 03 refusal, 04 apology with a new appointment, 05 stop notice (2025) or control slip (2018), 06 control slip (2025)
    Form(forms::FormArgs),
    /// The register book (Sổ theo dõi hồ sơ: Mẫu 07 of 2025, Mẫu 06 of 2018) of the dossiers received in a period, as PDF
    Register(forms::RegisterArgs),
    /// Hand dossiers over to the processing unit, or take results back, all at once, with a hand-over list
    Transfer(forms::TransferArgs),
    /// Record what the post says of a result sent by post: delivered or returned
    Delivery(forms::DeliveryArgs),
    /// The outbox: where the desk tells the outside world of its dossiers' changes (add,
    /// list, remove), what waits (status), and the sender (run [--once])
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
    /// Serve the citizens' status page (read-only) on the office network
    Serve(serve::ServeArgs),
    /// Which database this desk opens: show it, or choose another (kept in desk.json);
    /// the PostgreSQL owner's migrate and grant-desk
    #[command(subcommand)]
    Database(database::DatabaseCommand),
    /// Sign in as a staff account on this database (password from standard input); the
    /// session lasts until `logout` or the idle time of the `idle-lock-minutes` setting
    Login(access::LoginArgs),
    /// End this computer user's session on this database
    Logout,
}

/// Runs one CLI command to completion.
pub fn run(global: Global, command: Command) -> ExitCode {
    let lang = global.lang();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("motcua: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The benchmark has errors of its own (`bench::BenchError`); every other command the core's.
    let result = match command {
        Command::Bench(args) => runtime
            .block_on(bench::run(&global, args))
            .map_err(|e| e.message(lang)),
        command => runtime
            .block_on(dispatch(&global, command))
            .map_err(|e| e.message(lang)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{}", output::one_line(&message));
            ExitCode::FAILURE
        }
    }
}

async fn dispatch(global: &Global, command: Command) -> Result<(), CoreError> {
    // Lunar conversions need no database.
    if let Command::Calendar(c) = &command {
        if let Some(result) = calendar::run_offline(global, c) {
            return result;
        }
    }
    let command = match command {
        Command::Printers(args) => return slips::printers(args),
        Command::Idcard(c) => return idcard::run(global, c).await,
        Command::Migrate(args) => return migrate(global, args).await,
        Command::Database(c) => return database::run(global, c).await,
        Command::Backup(ops::BackupArgs {
            verify: Some(file), ..
        }) => return ops::verify(file).await,
        other => other,
    };
    crate::context::check_desk_config(global)?;
    let database = global.database();
    let store = Store::open(&database).await?;
    let result = run_signed_in(global, &store, &database, command).await;
    store.close().await;
    result
}

/// Runs `command` on `store` as the account its action needs (see `access`).
async fn run_signed_in(
    global: &Global,
    store: &Store,
    database: &str,
    command: Command,
) -> Result<(), CoreError> {
    // Only `form` needs the form set in force to know what it asks of the person.
    let forms = match &command {
        Command::Form(_) => store.form_set().await?,
        _ => motcua_core::form_set::FormSet::default(),
    };
    let actor = access::actor(global, store, database, access::need(&command, forms)).await?;
    let global = &Global {
        signed_in: Some(actor),
        ..global.clone()
    };
    // Changes to settings, the catalog and the calendar are recorded under that account.
    let store = &store.acting_as(global.actor());
    match command {
        Command::Setup(args) => admin::setup(global, store, args).await,
        Command::Procedures(c) => admin::procedures(global, store, c).await,
        Command::Settings(c) => admin::settings(global, store, c).await,
        Command::Intake(args) => dossiers::intake(global, store, args).await,
        Command::Show(args) => dossiers::show(global, store, args).await,
        Command::History(args) => dossiers::history(global, store, args).await,
        Command::Transition(args) => dossiers::transition(global, store, args).await,
        Command::Handover(args) => dossiers::handover(global, store, args).await,
        Command::Report(args) => dossiers::report(store, args).await,
        Command::List(args) => dossiers::list(global, store, args).await,
        Command::Search(args) => dossiers::search(global, store, args).await,
        Command::Calendar(c) => calendar::run(global, store, c).await,
        Command::DueDate(args) => calendar::due_date(store, args).await,
        Command::Receipt(args) => slips::receipt(global, store, args).await,
        Command::Print(args) => slips::print(global, store, args).await,
        Command::Scan(args) => slips::scan(global, store, args).await,
        Command::Scans(c) => scans::run(global, store, c).await,
        Command::User(c) => users::user(global, store, c).await,
        Command::Audit(c) => users::audit(global, store, c).await,
        Command::Backup(args) => ops::backup(global, store, args).await,
        Command::Restore(args) => ops::restore(global, store, args).await,
        Command::Check(args) => ops::check(global, store, args).await,
        Command::Form(args) => forms::form(global, store, args).await,
        Command::Register(args) => forms::register(global, store, args).await,
        Command::Transfer(args) => forms::transfer(global, store, args).await,
        Command::Delivery(args) => forms::delivery(global, store, args).await,
        Command::Outbox(c) => outbox::run(global, store, c).await,
        Command::Serve(args) => serve::run(global, store, args).await,
        Command::Login(args) => access::login(global, store, database, args).await,
        Command::Logout => access::logout(global, store, database).await,
        Command::Printers(_)
        | Command::Bench(_)
        | Command::Idcard(_)
        | Command::Migrate(_)
        | Command::Database(_) => Ok(()),
    }
}

/// `migrate` reads every record of the commune and writes into the centre: the person
/// must manage accounts on both (on each, once it has accounts).
async fn migrate(global: &Global, args: ops::MigrateArgs) -> Result<(), CoreError> {
    let need = access::Need::Act(motcua_core::accounts::Action::ManageAccounts);
    let mut actor = None;
    for database in [args.from.trim(), args.to.trim()] {
        if !is_postgres_url(database) && !std::path::Path::new(database).is_file() {
            // The migration itself says what is wrong with it.
            continue;
        }
        let store = Store::open(database).await?;
        let result = match access::actor(global, &store, database, need).await {
            Ok(a) => store.account_count().await.map(|n| (a, n > 0)),
            Err(e) => Err(e),
        };
        store.close().await;
        let (signed_in, has_accounts) = result?;
        // Recorded under an account wherever one signed in.
        if actor.is_none() || has_accounts {
            actor = Some(signed_in);
        }
    }
    let global = Global {
        signed_in: actor,
        ..global.clone()
    };
    ops::migrate(&global, args).await
}
