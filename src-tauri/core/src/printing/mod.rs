//! Silent printing to the desk's printer, without a dialog. On Linux and macOS that is CUPS
//! (`cups`), which prints the archived PDF; Windows has no PDF spooler, so there the document's
//! display list is drawn through GDI onto the printer (`windows`), the same layout the PDF
//! holds. A printer that is missing or paused gives the same error on both; the document is
//! archived before it is printed, so it stays whatever happens here.

#[cfg(unix)]
mod cups;
#[cfg(windows)]
mod windows;

#[cfg(unix)]
use cups as spooler;
#[cfg(windows)]
use windows as spooler;

use std::path::Path;

use serde::Serialize;

use crate::documents::{Layout, Paper};

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[cfg(unix)]
    #[error(
        "Không tìm thấy hệ thống in CUPS (lệnh {0}). Cài gói cups-client, hoặc mở tệp PDF để in."
    )]
    NoCups(&'static str),
    #[cfg(windows)]
    #[error("Không đọc được danh sách máy in của Windows: {0}. Mở tệp PDF để in.")]
    NoSpooler(String),
    #[error("Không có máy in «{0}». Chọn máy in khác trong Cài đặt (motcua printers liệt kê các máy in).")]
    PrinterNotFound(String),
    #[error("Máy in «{0}» đang tạm dừng. Cho máy in chạy lại hoặc chọn máy in khác trong Cài đặt, rồi in lại; giấy tiếp nhận vẫn được lưu.")]
    Paused(String),
    #[error("Máy in «{printer}» báo lỗi: {detail}. Giấy tiếp nhận vẫn được lưu để in lại.")]
    Failed { printer: String, detail: String },
    #[error("Chưa chọn máy in. Chọn máy in trong Cài đặt hoặc dùng --printer.")]
    NoPrinter,
}

impl PrintError {
    pub fn message_en(&self) -> String {
        match self {
            #[cfg(unix)]
            PrintError::NoCups(cmd) => format!("The CUPS printing system was not found ({cmd}). Install cups-client, or open the PDF to print it."),
            #[cfg(windows)]
            PrintError::NoSpooler(detail) => format!("The Windows printer list could not be read: {detail}. Open the PDF to print it."),
            PrintError::PrinterNotFound(p) => format!("There is no printer «{p}». Choose another in Settings (motcua printers lists them)."),
            PrintError::Paused(p) => format!("Printer «{p}» is paused. Resume it or choose another printer in Settings, then print again; the receipt is kept."),
            PrintError::Failed { printer, detail } => {
                format!("Printer «{printer}» reported an error: {detail}. The receipt is kept for reprinting.")
            }
            PrintError::NoPrinter => "No printer chosen. Choose one in Settings or pass --printer.".to_string(),
        }
    }
}

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
