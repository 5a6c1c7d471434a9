//! Printing results: JSON for scripts, aligned text for people.

use motcua_core::dossier::{Dossier, DossierSummary};
use motcua_core::i18n::{t, Lang};
use motcua_core::vntime::to_vn;
use motcua_core::CoreError;
use serde::Serialize;

pub fn json<T: Serialize>(value: &T) -> Result<(), CoreError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CoreError::Json(e.to_string()))?;
    println!("{text}");
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
    let rows = [
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
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (k, v) in rows {
        println!("{k:width$}  {v}");
    }
    println!("{}:", t(lang, "field.documents"));
    for (i, doc) in d.documents.iter().enumerate() {
        println!(
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
        println!("{}", t(lang, "cli.none"));
        return;
    }
    for d in list {
        println!(
            "{}  {}  {}  {}  {}: {}",
            d.code,
            time(d.received_at),
            d.applicant_name,
            d.procedure_name,
            t(lang, "cli.due_at"),
            time(d.due_at)
        );
    }
}
