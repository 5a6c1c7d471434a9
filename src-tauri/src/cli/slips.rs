//! receipt, print, printers, scan.

use std::path::PathBuf;

use clap::Args;
use motcua_core::documents::Paper;
use motcua_core::i18n::t;
use motcua_core::printing::{self, PrintJob};
use motcua_core::slip::SlipError;
use motcua_core::store::{Store, TagCheck};
use motcua_core::CoreError;

use super::output;
use crate::context::{archive_receipt, Global};

#[derive(Debug, Args)]
pub struct ReceiptArgs {
    /// The dossier code
    pub code: String,
    /// Paper: a4 (two copies on a sheet), a5 (a copy a page) or 80mm (roll) [default: the setting]
    #[arg(long)]
    pub paper: Option<Paper>,
    /// Where to write the PDF
    #[arg(long)]
    pub out: PathBuf,
    /// Then open it in the system's PDF viewer, as the window's "Mở PDF" does
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct PrintArgs {
    /// The dossier code
    pub code: String,
    /// The printer (a CUPS queue, or a Windows printer) [default: the "printer" setting, else the computer's default printer]
    #[arg(long)]
    pub printer: Option<String>,
    /// Paper: a4, a5 or 80mm [default: the "paper" setting]
    #[arg(long)]
    pub paper: Option<Paper>,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// What the scanner typed: a receipt's QR payload or the code from its barcode
    pub payload: String,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PrintersArgs {
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

async fn paper_or_setting(
    global: &Global,
    store: &Store,
    paper: Option<Paper>,
) -> Result<Paper, CoreError> {
    match paper {
        Some(p) => Ok(p),
        None => store.paper(&global.desk_name()).await,
    }
}

fn write(path: &std::path::Path, bytes: &[u8]) -> Result<(), CoreError> {
    motcua_core::private_fs::write(path, bytes).map_err(|source| CoreError::File {
        path: path.display().to_string(),
        source,
    })
}

pub async fn receipt(global: &Global, store: &Store, args: ReceiptArgs) -> Result<(), CoreError> {
    let paper = paper_or_setting(global, store, args.paper).await?;
    let issued = store
        .issue_receipt(&args.code, paper, &global.actor())
        .await?;
    archive_receipt(global, &issued)?;
    write(&args.out, &issued.pdf)?;
    if args.open {
        crate::opener::open(&args.out).map_err(|source| CoreError::File {
            path: args.out.display().to_string(),
            source,
        })?;
    }
    Ok(())
}

pub async fn print(global: &Global, store: &Store, args: PrintArgs) -> Result<(), CoreError> {
    let paper = paper_or_setting(global, store, args.paper).await?;
    let printer = match args.printer {
        Some(p) => p,
        None => store.printer(&global.desk_name()).await?,
    };
    let issued = store
        .issue_receipt(&args.code, paper, &global.actor())
        .await?;
    // Archived before printing: a printer that fails leaves the receipt ready to reprint.
    let path = archive_receipt(global, &issued)?;
    let job = PrintJob {
        layout: &issued.layout,
        pdf: &path,
        paper,
        title: &issued.dossier.code,
    };
    printing::print(&job, &printer)?;
    outln!(
        "{}: {} ({})",
        t(global.lang(), "cli.printed"),
        printer,
        path.display()
    );
    Ok(())
}

pub fn printers(args: PrintersArgs) -> Result<(), CoreError> {
    let list = printing::printers()?;
    if args.json {
        return output::json(&list);
    }
    for p in list {
        outln!("{}{}", p.name, if p.default { " *" } else { "" });
    }
    Ok(())
}

pub async fn scan(global: &Global, store: &Store, args: ScanArgs) -> Result<(), CoreError> {
    let result = store.scan(&args.payload).await?;
    if result.tag == TagCheck::Invalid {
        return Err(CoreError::Slip(SlipError::Forged { code: result.code }));
    }
    if args.json {
        return output::json(&result);
    }
    let lang = global.lang();
    let check = match result.tag {
        TagCheck::Verified => t(lang, "scan.verified"),
        _ => t(lang, "scan.missing"),
    };
    let status = motcua_core::status::Status::from_code(result.status_code)
        .map(|s| s.label(lang))
        .unwrap_or_default();
    outln!(
        "{}  {}  {}: {}  ({check})",
        result.code,
        status,
        t(lang, "cli.due_at"),
        output::time(result.due_at)
    );
    Ok(())
}
