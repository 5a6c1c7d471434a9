//! `motcua scans`: digitised papers of a dossier. `add` stores a checklist row's papers (or
//! the result's) from the desk's scanner (SANE), from files, or from the watched scan
//! folder; `list` shows what is stored; `incoming` lists what waits in the scan folder. The
//! core reads, converts, stores and chains the files (`motcua_core::scans`,
//! `store/scans.rs`); this module reads the arguments and prints.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use motcua_core::error::Problem;
use motcua_core::scans::{self, ScanError, ScannerRequest, Source};
use motcua_core::store::{NewScan, ScanRecord, Store};
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
    }
}

fn print(list: &[ScanRecord]) {
    for s in list {
        let row = if s.result {
            "result".to_string()
        } else {
            s.doc.to_string()
        };
        outln!(
            "{:<6} {:>3} {:>9} {} {} {}",
            row,
            s.pages,
            s.bytes,
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
