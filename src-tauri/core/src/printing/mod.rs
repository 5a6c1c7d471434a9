//! Silent printing to the desk's printer, without a dialog. On Linux and macOS that is CUPS
//! (`cups`), which prints the archived PDF; Windows has no PDF spooler, so there the document's
//! display list is drawn through GDI onto the printer (`windows`), the same layout the PDF
//! holds. A printer that is missing or paused gives the same error on both; the document is
//! archived before it is printed, so it stays whatever happens here.

#[cfg(unix)]
mod cups;
mod error;
#[cfg(windows)]
mod windows;

#[cfg(unix)]
use cups as spooler;
#[cfg(windows)]
use windows as spooler;

use std::path::Path;

use serde::Serialize;

use crate::documents::{Layout, Paper};

pub use error::PrintError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Printer {
    pub name: String,
    pub default: bool,
}

/// A document to print: its display list for spoolers that draw it (Windows), the archived
/// PDF of the same layout for those that print PDFs (CUPS).
pub struct PrintJob<'a> {
    pub layout: &'a Layout,
    pub pdf: &'a Path,
    pub paper: Paper,
    /// The job's name in the queue (the dossier code).
    pub title: &'a str,
}

/// The printers of this computer, the default one marked.
pub fn printers() -> Result<Vec<Printer>, PrintError> {
    spooler::printers()
}

/// Prints `job` on `printer`, or on the computer's default printer when the name is empty
/// (what the settings screen offers first). Returns the spooler's name for the job.
pub fn print(job: &PrintJob, printer: &str) -> Result<String, PrintError> {
    let chosen = printer.trim();
    let name = if chosen.is_empty() {
        printers()?
            .into_iter()
            .find(|p| p.default)
            .map(|p| p.name)
            .ok_or(PrintError::NoPrinter)?
    } else {
        chosen.to_string()
    };
    spooler::print(job, &name)
}
