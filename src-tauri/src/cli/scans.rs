//! `motcua scans`: digitised papers of a dossier. `add` stores a checklist row's papers (or
//! the result's) from the desk's scanner (SANE), from files, or from the watched scan
//! folder; `list` shows what is stored; `incoming` lists what waits in the scan folder; `ocr`
//! makes the optional text layers (or shows their state). The
//! core reads, converts, stores and chains the files (`motcua_core::scans`,
//! `store/scans.rs`); this module reads the arguments and prints.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use motcua_core::error::Problem;
use motcua_core::i18n::{tf, Lang};
use motcua_core::scans::ocr::Availability;
use motcua_core::scans::{self, ScanError, ScannerRequest, Source};
use motcua_core::store::{NewScan, ScanRecord, Store, TextOutcome, TextStatus};
use motcua_core::CoreError;

use super::output;
use crate::context::Global;

#[derive(Debug, Subcommand)]
pub enum ScansCommand {
    /// Store papers of a dossier's checklist row (--doc N) or its result (--result): from
    /// the scanner, from files, or from the watched scan folder
    #[command(after_help = "Examples:\n  \
        motcua scans add 000.00.14.H56-270303-0001 --doc 1 --pages 2          (the desk's scanner, scanner-device setting)\n  \
        motcua scans add 000.00.14.H56-270303-0001 --doc 2 --device 'epson2:libusb:001:004'\n  \
        motcua scans add 000.00.14.H56-270303-0001 --doc 3 --file cccd-truoc.jpg --file cccd-sau.jpg\n  \
        motcua scans add 000.00.14.H56-270303-0001 --result --file ket-qua.pdf\n  \
        motcua scans add 000.00.14.H56-270303-0001 --doc 1 --incoming scan_0042.pdf   (see `motcua scans incoming`)\n\n\
        Each PDF given is kept as it is; images (JPEG, PNG, PNM) become one PDF of grey or colour \
        JPEG pages. Files are kept under scans/<year>/<code>/ beside the database (on PostgreSQL in \
        the scans-folder setting), and each file's SHA-256 is in the dossier's history.")]
    Add(AddArgs),
    /// The papers stored for a dossier: row, pages, bytes, SHA-256, time and file
    #[command(after_help = "Example:\n  motcua scans list 000.00.14.H56-270303-0001 --json")]
    List {
        code: String,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// The newest files in this desk's watched scan folder (scan-folder setting), oldest first
    #[command(
        after_help = "Example:\n  motcua settings set scan-folder /srv/scan && motcua scans incoming"
    )]
    Incoming {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// The text layer (Tesseract with its Vietnamese data): make it for the papers waiting,
    /// or show where it stands
    #[command(after_help = "Examples:\n  \
        motcua scans ocr --status     (Tesseract found? how many papers wait, have text, failed)\n  \
        motcua scans ocr --once       (every paper waiting now, then stop)\n  \
        motcua scans ocr              (keep working in the background until Ctrl+C)\n  \
        motcua scans ocr --retry      (failed papers back in the queue)\n\n\
        Needs tesseract-ocr and tesseract-ocr-vie (or MOTCUA_TESSERACT naming the program). \
        Each paper is replaced by the same pages with invisible text, and its new SHA-256 is \
        in the dossier's history. The desk window and `motcua serve` do this by themselves.")]
    Ocr(OcrArgs),
}

#[derive(Debug, Args)]
pub struct OcrArgs {
    /// Only show whether Tesseract reads Vietnamese here and how far the queue is
    #[arg(long, conflicts_with_all = ["once", "retry"])]
    pub status: bool,
    /// Read the papers waiting now, then stop
    #[arg(long)]
    pub once: bool,
    /// Put the papers that failed back in the queue (and stop)
    #[arg(long, conflicts_with = "once")]
    pub retry: bool,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The dossier's code
    pub code: String,
    /// The checklist row (1 for the first document of the receipt)
    #[arg(long, value_name = "N", required_unless_present = "result")]
    pub doc: Option<u32>,
    /// The dossier's result rather than a checklist row
    #[arg(long, conflicts_with = "doc")]
    pub result: bool,
    /// Scan with this SANE device (`scanimage -L` names them) instead of the desk's
    /// scanner-device setting
    #[arg(long, value_name = "NAME", conflicts_with_all = ["file", "incoming"])]
    pub device: Option<String>,
    /// A PDF, JPEG, PNG or PNM file already scanned (repeat for several, in order)
    #[arg(long, value_name = "F", num_args = 1.., conflicts_with = "incoming")]
    pub file: Vec<PathBuf>,
    /// A file of the watched scan folder, moved into the store (repeat for several)
    #[arg(long, value_name = "NAME", num_args = 1..)]
    pub incoming: Vec<String>,
    /// Pages to scan from the scanner (a feeder's pages, or one each on a flatbed)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=200))]
    pub pages: Option<u32>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

pub async fn run(global: &Global, store: &Store, command: ScansCommand) -> Result<(), CoreError> {
    match command {
        ScansCommand::Add(args) => add(global, store, args).await,
        ScansCommand::List { code, json } => {
            let list = store.scans(&code).await?;
            if json {
                return output::json(&list);
            }
            print(&list);
            Ok(())
        }
        ScansCommand::Incoming { json } => {
            let settings = store.scan_settings(&global.desk_name()).await?;
            if settings.folder.trim().is_empty() {
                return Err(ScanError::NoWatchedFolder.into());
            }
            let files = scans::incoming(std::path::Path::new(settings.folder.trim()))?;
            if json {
                return output::json(&files);
            }
            for f in files {
                outln!("{}  {:>10}  {}", output::time(f.modified), f.bytes, f.name);
            }
            Ok(())
        }
        ScansCommand::Ocr(args) => ocr(global, store, args).await,
    }
}

fn availability_line(lang: Lang, a: &Availability) -> String {
    match a {
        Availability::Ready { program } => tf(lang, "scan_text.ready", &[("program", program)]),
        Availability::NoProgram { program } => {
            tf(lang, "scan_text.no_program", &[("program", program)])
        }
        Availability::NoVietnamese { program } => {
            tf(lang, "scan_text.no_vietnamese", &[("program", program)])
        }
    }
}

fn print_status(lang: Lang, status: &TextStatus) {
    outln!("{}", availability_line(lang, &status.tesseract));
    let n = |v: u64| v.to_string();
    outln!(
        "{}",
        tf(
            lang,
            "scan_text.counts",
            &[
                ("pending", &n(status.pending)),
                ("done", &n(status.done)),
                ("skipped", &n(status.skipped)),
                ("failed", &n(status.failed)),
            ]
        )
    );
    for f in &status.failures {
        outln!(
            "{}",
            tf(
                lang,
                "scan_text.failure",
                &[("file", &f.file), ("note", &f.note)]
            )
        );
    }
}

async fn ocr(global: &Global, store: &Store, args: OcrArgs) -> Result<(), CoreError> {
    let lang = global.lang();
    if args.retry {
        let n = store.retry_text_layers().await?;
        if !args.json {
            outln!(
                "{}",
                tf(lang, "scan_text.retried", &[("n", &n.to_string())])
            );
            return Ok(());
        }
        return output::json(&serde_json::json!({ "retried": n }));
    }
    let status = store.text_status().await?;
    let program = match (&status.tesseract, args.status) {
        (Availability::Ready { program }, false) => PathBuf::from(program),
        // Without Tesseract there is nothing to do, and nothing wrong: it says why.
        _ if args.json => return output::json(&status),
        _ => {
            print_status(lang, &status);
            return Ok(());
        }
    };
    if !args.once {
        if !args.json {
            outln!("{}", availability_line(lang, &status.tesseract));
        }
        let (stop_worker, stop) = tokio::sync::watch::channel(false);
        let worker = {
            let store = store.clone();
            let actor = global.actor();
            tokio::spawn(async move { store.run_text_layers(actor, stop).await })
        };
        let _ = tokio::signal::ctrl_c().await;
        let _ = stop_worker.send(true);
        let _ = worker.await;
        return Ok(());
    }
    let mut outcomes: Vec<TextOutcome> = Vec::new();
    // Each waiting paper is taken once: a failure is recorded, not tried again.
    while let Some(outcome) = store
        .make_next_text_layer(&program, &global.actor())
        .await?
    {
        if !args.json {
            print_outcome(lang, &outcome);
        }
        outcomes.push(outcome);
    }
    if args.json {
        return output::json(&outcomes);
    }
    Ok(())
}

fn print_outcome(lang: Lang, o: &TextOutcome) {
    let key = match o.text_layer.as_str() {
        "done" => "scan_text.done",
        "skipped" => "scan_text.skipped",
        _ => "scan_text.failed",
    };
    outln!(
        "{}",
        tf(
            lang,
            key,
            &[
                ("file", &o.file),
                ("note", &o.note),
                ("before", &o.bytes_before.to_string()),
                ("after", &o.bytes_after.to_string()),
            ]
        )
    );
}

fn print(list: &[ScanRecord]) {
    for s in list {
        let row = if s.result {
            "result".to_string()
        } else {
            s.doc.to_string()
        };
        outln!(
            "{:<6} {:>3} {:>9} {:<7} {} {} {}",
            row,
            s.pages,
            s.bytes,
            s.text_layer,
            s.sha256,
            output::time(s.at),
            s.path
        );
    }
}

async fn add(global: &Global, store: &Store, args: AddArgs) -> Result<(), CoreError> {
    let doc = match (args.result, args.doc) {
        (true, _) => 0,
        (false, Some(doc)) => doc,
        (false, None) => return Err(CoreError::invalid("doc", Problem::Required)),
    };
    // The dossier first: a wrong code is told before the scanner runs.
    store.dossier(&args.code).await?;
    let settings = store.scan_settings(&global.desk_name()).await?;
    let mut moved: Vec<PathBuf> = Vec::new();
    let prepared = if !args.file.is_empty() {
        scans::prepare_files(&args.file, Source::File)?
    } else if !args.incoming.is_empty() {
        let folder = settings.folder.trim();
        if folder.is_empty() {
            return Err(ScanError::NoWatchedFolder.into());
        }
        for name in &args.incoming {
            moved.push(scans::incoming_path(std::path::Path::new(folder), name)?);
        }
        scans::prepare_files(&moved, Source::Folder)?
    } else {
        let request = ScannerRequest {
            device: args.device.clone().unwrap_or(settings.device),
            dpi: settings.dpi,
            mode: settings.mode,
            pages: args.pages.unwrap_or(1),
        };
        vec![scans::prepare_scanned(&request)?]
    };
    let new = prepared
        .into_iter()
        .map(|pdf| NewScan {
            doc,
            result: args.result,
            pdf,
        })
        .collect();
    let stored = store.add_scans(&args.code, new, &global.actor()).await?;
    // Moved, not copied: a file attached is no longer offered as waiting.
    for path in &moved {
        std::fs::remove_file(path).map_err(|e| ScanError::LeftInFolder {
            file: path.display().to_string(),
            detail: e.to_string(),
        })?;
    }
    if args.json {
        return output::json(&stored);
    }
    print(&stored);
    Ok(())
}
