//! Sending a PDF to a printer. On Linux and macOS that is CUPS (`lp`), which prints silently
//! to a named queue; Windows has no PDF spooler, so there the window opens the system viewer
//! instead (see the README). The PDF stays in the archive whatever happens here.

use std::path::Path;
use std::process::Command;

use serde::Serialize;

use crate::documents::Paper;

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error(
        "Không tìm thấy hệ thống in CUPS (lệnh {0}). Cài gói cups-client, hoặc mở tệp PDF để in."
    )]
    NoCups(&'static str),
    #[error("Không có máy in «{0}». Chọn máy in khác trong Cài đặt (motcua printers liệt kê các máy in).")]
    PrinterNotFound(String),
    #[error("Máy in «{printer}» báo lỗi: {detail}. Giấy tiếp nhận vẫn được lưu để in lại.")]
    Failed { printer: String, detail: String },
    #[error("Chưa chọn máy in. Chọn máy in trong Cài đặt hoặc dùng --printer.")]
    NoPrinter,
}

impl PrintError {
    pub fn message_en(&self) -> String {
        match self {
            PrintError::NoCups(cmd) => format!("The CUPS printing system was not found ({cmd}). Install cups-client, or open the PDF to print it."),
            PrintError::PrinterNotFound(p) => format!("There is no printer «{p}». Choose another in Settings (motcua printers lists them)."),
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

fn run(cmd: &'static str, args: &[&str]) -> Result<std::process::Output, PrintError> {
    Command::new(cmd)
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .map_err(|_| PrintError::NoCups(cmd))
}

/// The print queues CUPS knows, the default one marked.
pub fn printers() -> Result<Vec<Printer>, PrintError> {
    let listed = run("lpstat", &["-e"])?;
    let default = run("lpstat", &["-d"]).ok().and_then(|o| {
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        text.split_once(':')
            .map(|(_, name)| name.trim().to_string())
    });
    Ok(String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|name| Printer {
            name: name.to_string(),
            default: default.as_deref() == Some(name),
        })
        .collect())
}

fn media(paper: Paper) -> &'static str {
    match paper {
        Paper::A4 => "A4",
        Paper::A5 => "A5",
        Paper::Roll80 => "Custom.80x297mm",
    }
}

/// Queues `pdf` on `printer`; returns CUPS's job id line.
pub fn print_pdf(
    pdf: &Path,
    printer: &str,
    paper: Paper,
    title: &str,
) -> Result<String, PrintError> {
    let printer = printer.trim();
    if printer.is_empty() {
        return Err(PrintError::NoPrinter);
    }
    if !printers()?.iter().any(|p| p.name == printer) {
        return Err(PrintError::PrinterNotFound(printer.to_string()));
    }
    let path = pdf.to_string_lossy();
    let media = format!("media={}", media(paper));
    let out = run(
        "lp",
        &[
            "-d",
            printer,
            "-t",
            title,
            "-o",
            &media,
            "-o",
            "fit-to-page",
            &path,
        ],
    )?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(PrintError::Failed {
            printer: printer.to_string(),
            detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}
