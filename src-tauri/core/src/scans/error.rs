//! Why a paper could not be digitised, in the language tables (`scan.*`): each names the
//! file, the scanner or the setting concerned.

use crate::i18n::{display_in_vietnamese, t, tf, Lang, Localized};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanError {
    /// Neither a PDF nor a JPEG, PNG or PNM image.
    NotAPaper { file: String },
    /// A file that could not be read, or a damaged PDF or image.
    Unreadable { file: String, detail: String },
    /// No file, folder entry or scanner given.
    NothingGiven,
    /// `scanimage` is not installed.
    NoScanimage,
    /// No scanner named and no `scanner-device` setting for this desk.
    NoDevice,
    /// The scanner is used by another program.
    Busy { device: String },
    /// The scanner is absent or failed.
    Scanner { device: String, detail: String },
    /// On PostgreSQL the files need a folder every desk can reach: the `scans-folder` setting.
    NoScansFolder,
    /// `scans incoming` or `--incoming` without the `scan-folder` setting.
    NoWatchedFolder,
    /// A name that is not a file of the watched folder.
    NotInFolder { name: String, folder: String },
    /// Stored, but the file could not be removed from the watched folder.
    LeftInFolder { file: String, detail: String },
    /// A file handed over by the window larger than a scanned paper can be.
    TooLarge { file: String, max_mb: u64 },
}

impl std::error::Error for ScanError {}
display_in_vietnamese!(ScanError);

impl Localized for ScanError {
    fn kind(&self) -> &'static str {
        match self {
            ScanError::NotAPaper { .. } => "scan_not_a_paper",
            ScanError::Unreadable { .. } => "scan_unreadable",
            ScanError::NothingGiven => "scan_nothing_given",
            ScanError::NoScanimage | ScanError::NoDevice => "scanner_missing",
            ScanError::Busy { .. } => "scanner_busy",
            ScanError::Scanner { .. } => "scanner",
            ScanError::NoScansFolder | ScanError::NoWatchedFolder => "scan_folder_missing",
            ScanError::NotInFolder { .. } => "scan_not_in_folder",
            ScanError::LeftInFolder { .. } => "scan_left_in_folder",
            ScanError::TooLarge { .. } => "scan_too_large",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            ScanError::NotAPaper { file } => tf(lang, "scan.not_a_paper", &[("file", file)]),
            ScanError::Unreadable { file, detail } => tf(
                lang,
                "scan.unreadable",
                &[("file", file), ("detail", detail)],
            ),
            ScanError::NothingGiven => t(lang, "scan.nothing_given"),
            ScanError::NoScanimage => t(lang, "scan.no_scanimage"),
            ScanError::NoDevice => t(lang, "scan.no_device"),
            ScanError::Busy { device } => tf(lang, "scan.busy", &[("device", device)]),
            ScanError::Scanner { device, detail } => tf(
                lang,
                "scan.scanner",
                &[("device", device), ("detail", detail)],
            ),
            ScanError::NoScansFolder => t(lang, "scan.no_scans_folder"),
            ScanError::NoWatchedFolder => t(lang, "scan.no_watched_folder"),
            ScanError::NotInFolder { name, folder } => tf(
                lang,
                "scan.not_in_folder",
                &[("name", name), ("folder", folder)],
            ),
            ScanError::LeftInFolder { file, detail } => tf(
                lang,
                "scan.left_in_folder",
                &[("file", file), ("detail", detail)],
            ),
            ScanError::TooLarge { file, max_mb } => tf(
                lang,
                "scan.too_large",
                &[("file", file), ("max", &max_mb.to_string())],
            ),
        }
    }
}
