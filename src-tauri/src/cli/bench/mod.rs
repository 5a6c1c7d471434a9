//! `motcua bench`: measures the desk's work on fresh temporary databases and prints median
//! and p95 times (or JSON): durable intake beside the disk's raw durable insert rate, receipts
//! beside Chromium printing the same receipt, scanning, searching and paging the lists at
//! 10,000 / 100,000 / 1,000,000 dossiers, the yearly report, generating the test data (then
//! checking its audit chain), and optionally the window's start-up and memory. One concept a module; the README's Performance section shows
//! the figures of the reference machine and what each means.

mod chromium;
mod database;
mod digitise;
mod error;
mod generate;
mod intake;
mod list;
mod machine;
mod raw;
mod receipt;
mod report;
mod scan;
mod search;
mod stats;
mod table;
mod window;

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;
use motcua_core::agency::AgencyInput;
use motcua_core::store::Store;
use serde::Serialize;

use super::output;
use crate::context::Global;
use database::Place;
pub use error::BenchError;

#[derive(Debug, Args)]
#[command(
    after_help = "Runs on fresh temporary SQLite files (in --dir, default the system's \
    temporary folder), or, with --db postgres://…, on new databases created on that server; \
    everything is removed at the end. The desk's own database is never touched.\n\n\
    Example: motcua bench --dossiers 1000000 --json > bench.json\n\
    Window: xvfb-run -a motcua bench --window --dossiers 10000"
)]
pub struct BenchArgs {
    /// The largest database searched, paged, scanned and reported on: sizes 10,000, 100,000
    /// and 1,000,000 up to N, and N itself
    #[arg(long, default_value_t = 1_000_000, value_name = "N")]
    pub dossiers: usize,
    /// Durable intakes to time at one desk (eight desks then register as many between them)
    #[arg(long, default_value_t = 400)]
    pub intakes: usize,
    /// Receipts of each paper to time
    #[arg(long, default_value_t = 50)]
    pub receipts: usize,
    /// Searches and list pages of each kind at each size, and scans, to time
    #[arg(long, default_value_t = 50)]
    pub samples: usize,
    /// A few samples of everything: checks that the command works, not the figures
    #[arg(long)]
    pub quick: bool,
    /// Also start the desk window (needs a display) and measure its first screen and memory
    #[arg(long)]
    pub window: bool,
    /// Leave Chromium out even where it is installed
    #[arg(long)]
    pub no_chromium: bool,
    /// Folder for the temporary SQLite files: the disk whose durability is measured
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub machine: machine::Machine,
    pub intake: intake::IntakeResult,
    pub intake_raw_limit: raw::RawResult,
    pub receipt: BTreeMap<String, receipt::PaperResult>,
    /// The same receipts as HTML printed by headless Chromium; null without Chromium.
    pub receipt_chromium: Option<BTreeMap<String, receipt::PaperResult>>,
    pub scan: stats::Stats,
    /// A 200 dpi grey A4 page to a stored PDF page (and from SANE's test backend).
    pub digitise: digitise::DigitiseResult,
    /// By database size, then by kind of search.
    pub search: BTreeMap<String, BTreeMap<String, stats::Stats>>,
    /// By database size, then by page: the desk's lists as the window pages them.
    pub list: BTreeMap<String, BTreeMap<String, stats::Stats>>,
    pub report: report::ReportResult,
    pub generate: generate::GenerateResult,
    /// `motcua audit verify` on the generated database: every event of the bulk load and of
    /// the intakes is on the hash chain.
    pub audit: AuditResult,
    /// Only with --window.
    pub window: Option<window::WindowResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditResult {
    pub ok: bool,
    /// Chained entries checked (the events of every generated and registered dossier).
    pub entries: i64,
    pub seconds: f64,
}

/// The chains of a benchmark database must hold: a fast intake that broke them would be no
/// result.
async fn verify_chains(store: &Store, what: &str) -> Result<AuditResult, BenchError> {
    let started = std::time::Instant::now();
    let report = store.verify_audit().await?;
    if !report.ok {
        return Err(BenchError::Step(format!(
            "{what}: the audit chain is broken: {}",
            report.problems(motcua_core::i18n::Lang::En).join("; ")
        )));
    }
    Ok(AuditResult {
        ok: report.ok,
        entries: report.checked,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// How many samples each part takes.
struct Plan {
    intakes: usize,
    receipts: usize,
    chromium: usize,
    samples: usize,
    reports: usize,
    window_runs: usize,
}

impl Plan {
    fn new(args: &BenchArgs) -> Plan {
        if args.quick {
            Plan {
                intakes: 16,
                receipts: 3,
                chromium: 1,
                samples: 5,
                reports: 1,
                window_runs: 1,
            }
        } else {
            Plan {
                intakes: args.intakes,
                receipts: args.receipts,
                chromium: args.receipts.clamp(1, 10),
                samples: args.samples,
                reports: 5,
                window_runs: 3,
            }
        }
    }
}

/// The database sizes searched: 10,000, 100,000 and 1,000,000 up to `n`, and `n`.
fn sizes(n: usize) -> Vec<usize> {
    let mut out: Vec<usize> = [10_000, 100_000, 1_000_000]
        .into_iter()
        .filter(|s| *s <= n)
        .collect();
    if out.last() != Some(&n) && n > 0 {
        out.push(n);
    }
    out
}

fn progress(what: &str) {
    eprintln!("motcua bench: {what}");
}

async fn ready_store(location: &str) -> Result<Store, BenchError> {
    let store = Store::open(location).await?;
    store
        .setup(&AgencyInput {
            agency_code: "000.00.14.H56".into(),
            governing_body: "UBND XÃ HƯỚNG THỌ PHÚ".into(),
            unit: "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG".into(),
            place: "Hướng Thọ Phú".into(),
            first_number: None,
        })
        .await?;
    Ok(store)
}

async fn measure(place: &mut Place, args: &BenchArgs, plan: &Plan) -> Result<Results, BenchError> {
    let mut machine = machine::describe(place.engine());
    let sqlite = place.is_sqlite();

    progress("durable intake beside raw durable inserts, then eight desks");
    let intake_db = place.create("intake").await?;
    let store = ready_store(&intake_db).await?;
    // The raw inserts go to a file of their own on the same disk (SQLite), or to a table of
    // their own in the benchmark's database (PostgreSQL).
    let raw_db = if sqlite {
        place.create("raw").await?
    } else {
        intake_db.clone()
    };
    let (intake, raw) = intake::run(&store, &intake_db, &raw_db, sqlite, plan.intakes).await?;

    progress("receipts");
    let dossier = receipt::five_document_dossier(&store).await?;
    let payload = store.qr_payload(&dossier.code).await?;
    let receipts = receipt::run(&dossier, &payload, plan.receipts)?;
    let receipt_chromium = match chromium::find().filter(|_| !args.no_chromium) {
        Some(program) => {
            progress("the same receipt printed by Chromium");
            match chromium::run(
                &program,
                &dossier,
                &payload,
                &place.scratch_dir(),
                plan.chromium,
            ) {
                Ok(r) => Some(r),
                Err(e) => {
                    progress(&format!("Chromium left out: {e}"));
                    None
                }
            }
        }
        None => None,
    };
    verify_chains(&store, "intake").await?;
    // After the audit: the benchmark's papers go with their folder once measured.
    progress("digitising a page");
    let digitise =
        digitise::run(&store, &dossier.code, &place.scratch_dir(), plan.receipts).await?;
    store.close().await;

    let big_db = place.create("dossiers").await?;
    let store = ready_store(&big_db).await?;
    let mut generator = generate::Generator::new(&store, args.dossiers).await?;
    let mut search = BTreeMap::new();
    let mut list = BTreeMap::new();
    for size in sizes(args.dossiers) {
        progress(&format!("generating {size} dossiers"));
        generator.grow_to(&store, size).await?;
        progress(&format!("searching {size} dossiers"));
        search.insert(
            size.to_string(),
            search::run(&store, &generator.probes, plan.samples).await?,
        );
        progress(&format!("paging the lists of {size} dossiers"));
        list.insert(
            size.to_string(),
            list::run(&store, size, plan.samples).await?,
        );
    }
    progress("scanning");
    let scan = scan::run(&store, &generator.probes, plan.samples).await?;
    progress("the Biểu 06 report over the year");
    let report = report::run(&store, generator.made(), plan.reports).await?;
    // A few desk intakes on top of the bulk load: both write onto the same chain.
    let extra = intake::requests(&store, 8, 4).await?;
    let desk = motcua_core::store::Actor::new("bench", "Quầy 2");
    for req in &extra {
        store.intake(req, &desk).await?;
    }
    progress("verifying the audit chain of every generated dossier");
    let audit = verify_chains(&store, "generated dossiers").await?;
    store.close().await;

    let window = if args.window {
        progress("the desk window");
        Some(window::run(&place.scratch_dir(), plan.window_runs).await?)
    } else {
        None
    };
    machine.load_end = machine::load();
    machine.binary_mb = machine::binary_mb();
    Ok(Results {
        machine,
        intake,
        intake_raw_limit: raw,
        receipt: receipts,
        receipt_chromium,
        scan,
        digitise,
        search,
        list,
        report,
        generate: generator.result(),
        audit,
        window,
    })
}

pub async fn run(global: &Global, args: BenchArgs) -> Result<(), BenchError> {
    let plan = Plan::new(&args);
    let mut place = Place::new(global.db.as_deref(), args.dir.clone())?;
    let measured = measure(&mut place, &args, &plan).await;
    place.remove().await;
    let results = measured?;
    if args.json {
        Ok(output::json(&results)?)
    } else {
        table::print(&results);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::sizes;

    #[test]
    fn sizes_stop_at_the_largest() {
        assert_eq!(sizes(1_000_000), vec![10_000, 100_000, 1_000_000]);
        assert_eq!(sizes(2000), vec![2000]);
        assert_eq!(sizes(250_000), vec![10_000, 100_000, 250_000]);
    }
}
