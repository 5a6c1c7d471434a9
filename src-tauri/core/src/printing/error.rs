//! Why a document did not print, in the language tables (`print.*`): a missing or paused
//! printer is the same error on every system, and each message says the document is kept.

use crate::i18n::{display_in_vietnamese, t, tf, Lang, Localized};

#[derive(Debug)]
pub enum PrintError {
    #[cfg(unix)]
    NoCups(&'static str),
    #[cfg(windows)]
    NoSpooler(String),
    PrinterNotFound(String),
    Paused(String),
    Failed {
        printer: String,
        detail: String,
    },
    NoPrinter,
}

impl std::error::Error for PrintError {}
display_in_vietnamese!(PrintError);

impl Localized for PrintError {
    fn kind(&self) -> &'static str {
        "print"
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            #[cfg(unix)]
            PrintError::NoCups(command) => tf(lang, "print.no_cups", &[("command", command)]),
            #[cfg(windows)]
            PrintError::NoSpooler(detail) => tf(lang, "print.no_spooler", &[("detail", detail)]),
            PrintError::PrinterNotFound(printer) => {
                tf(lang, "print.printer_not_found", &[("printer", printer)])
            }
            PrintError::Paused(printer) => tf(lang, "print.paused", &[("printer", printer)]),
            PrintError::Failed { printer, detail } => tf(
                lang,
                "print.failed",
                &[("printer", printer), ("detail", detail)],
            ),
            PrintError::NoPrinter => t(lang, "print.no_printer"),
        }
    }
}
