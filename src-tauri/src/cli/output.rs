//! Printing results: JSON for scripts, aligned text for people. Everything the CLI prints
//! on standard output goes through `outln!`, so that a reader that stops reading
//! (`motcua list | head -1`) ends the command quietly instead of as a crash.

use std::io::Write;

use motcua_core::dossier::{Dossier, DossierSummary};
use motcua_core::i18n::{t, Lang};
use motcua_core::vntime::to_vn;
use motcua_core::CoreError;
use serde::Serialize;

/// `println!` for the CLI's standard output (see `line`).
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::output::line(format_args!($($arg)*))
    };
}

/// Writes one line to standard output. When the reader has gone (a closed pipe) the
/// command's work is done and nobody is left to read the rest: the process ends at once
/// with success and says nothing, like the shell's own tools. Any other failure to write
/// ends it with a one-line message and failure.
pub fn line(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    let written = out
        .write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("motcua: stdout: {e}");
        std::process::exit(1);
    }
}

pub fn json<T: Serialize>(value: &T) -> Result<(), CoreError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CoreError::Json(e.to_string()))?;
    outln!("{text}");
    Ok(())
}

/// Errors go to stderr on one line, whatever they contain.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    to_vn(t).format("%H:%M %d/%m/%Y").to_string()
}

pub fn dossier(d: &Dossier, lang: Lang) {
    let mut rows = vec![
        (t(lang, "cli.code"), d.code.clone()),
        (
            t(lang, "cli.status"),
            format!("{} ({})", d.status.label(lang), d.status.code()),
        ),
        (
            t(lang, "cli.procedure"),
            format!("{} – {}", d.procedure.code, d.procedure.name),
        ),
        (t(lang, "field.applicant.name"), d.applicant.name.clone()),
        (
            t(lang, "field.applicant.id_number"),
            d.applicant.id_number.clone(),
        ),
        (t(lang, "field.applicant.phone"), d.applicant.phone.clone()),
        (
            t(lang, "field.applicant.address"),
            d.applicant.address.clone(),
        ),
        (t(lang, "cli.received_at"), time(d.received_at)),
        (t(lang, "cli.due_at"), time(d.due_at)),
        (
            t(lang, "cli.register"),
            format!(
                "{}/{} – {}",
                d.register.book, d.register.year, d.register.line
            ),
        ),
    ];
    if !d.authority.is_empty() {
        rows.insert(3, (t(lang, "cli.authority"), d.authority.clone()));
    }
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (k, v) in rows {
        outln!("{k:width$}  {v}");
    }
    outln!("{}:", t(lang, "field.documents"));
    for (i, doc) in d.documents.iter().enumerate() {
        if doc.from_data {
            outln!("  {}. {} ({})", i + 1, doc.name, t(lang, "cli.from_data"));
            continue;
        }
        outln!(
            "  {}. {} ({} {}, {} {})",
            i + 1,
            doc.name,
            doc.originals,
            t(lang, "cli.originals"),
            doc.copies,
            t(lang, "cli.copies")
        );
    }
}

pub fn summaries(list: &[DossierSummary], lang: Lang) {
    if list.is_empty() {
        outln!("{}", t(lang, "cli.none"));
        return;
    }
    for d in list {
        // An any-desk dossier names the authority that decides it.
        let authority = if d.authority.is_empty() {
            String::new()
        } else {
            format!("  {}: {}", t(lang, "cli.authority"), d.authority)
        };
        outln!(
            "{}  {}  {}  {}  {}: {}{}",
            d.code,
            time(d.received_at),
            d.applicant_name,
            d.procedure_name,
            t(lang, "cli.due_at"),
            time(d.due_at),
            authority
        );
    }
}
