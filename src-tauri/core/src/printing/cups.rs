//! CUPS: the queues from `lpstat`, a disabled queue refused up front (a job sent to it would
//! wait unseen), and the archived PDF sent with `lp`.

use std::process::{Command, Output};

use super::{PrintError, PrintJob, Printer};
use crate::documents::Paper;

fn run(cmd: &'static str, args: &[&str]) -> Result<Output, PrintError> {
    Command::new(cmd)
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .map_err(|_| PrintError::NoCups(cmd))
}

pub(super) fn printers() -> Result<Vec<Printer>, PrintError> {
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

/// Whether `lpstat -p` says the queue is disabled ("printer NAME disabled since …"): CUPS
/// would accept the job and hold it until someone enables the queue.
fn disabled(printer: &str) -> Result<bool, PrintError> {
    let out = run("lpstat", &["-p", printer])?;
    let prefix = format!("printer {printer} disabled");
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.starts_with(&prefix)))
}

fn media(paper: Paper) -> &'static str {
    match paper {
        Paper::A4 => "A4",
        Paper::A5 => "A5",
        Paper::Roll80 => "Custom.80x297mm",
    }
}

/// Queues the job's PDF on `printer`; returns CUPS's job id line.
pub(super) fn print(job: &PrintJob, printer: &str) -> Result<String, PrintError> {
    if !printers()?.iter().any(|p| p.name == printer) {
        return Err(PrintError::PrinterNotFound(printer.to_string()));
    }
    if disabled(printer)? {
        return Err(PrintError::Paused(printer.to_string()));
    }
    let path = job.pdf.to_string_lossy();
    let media = format!("media={}", media(job.paper));
    let out = run(
        "lp",
        &[
            "-d",
            printer,
            "-t",
            job.title,
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
