//! Một Cửa core: the domain of a Vietnamese one-stop reception desk, with no dependency on
//! Tauri or any window system. The desk window, the CLI and the status server all call it.

pub mod accounts;
pub mod agency;
pub mod audit;
pub mod calendar;
pub mod cli_session;
pub mod dashboard;
pub mod delivery;
pub mod desk_config;
mod document_errors;
pub mod documents;
pub mod dossier;
pub mod error;
pub mod form_input;
pub mod form_set;
pub mod handover;
pub mod i18n;
pub mod idcard;
pub mod intake;
pub mod lifecycle;
pub mod numbering;
pub mod outbox;
pub mod printing;
pub mod privacy;
pub mod private_fs;
pub mod problem;
pub mod procedure;
pub mod public_status;
pub mod report;
pub mod request;
pub mod sample;
pub mod scan;
pub mod scans;
pub mod sealed_status;
pub mod serial_scanner;
pub mod session;
pub mod slip;
pub mod spreadsheet;
pub mod status;
pub mod store;
pub mod text;
pub mod transfer;
pub mod validate;
pub mod vntime;

pub use error::{CoreError, CoreResult};
