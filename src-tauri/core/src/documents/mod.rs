//! Printed documents: the papers the desk issues, built on the documents engine (the
//! `motcua-documents` crate: display list, layout, fonts, PDF, SVG and GDI renderers, QR codes
//! and barcodes), which is re-exported here so `crate::documents::…` names both.
//! Mẫu 01, the receipt, is in `receipt`; the other forms (`supplement`, `refusal`,
//! `apology`, `stop`, `control`, `register`), the hand-over list and the Biểu 06 table share
//! its letterhead and signatures (`letterhead`) and one A4 frame (`form`).

pub mod apology;
pub mod control;
pub mod form;
pub mod letterhead;
pub mod receipt;
pub mod refusal;
pub mod register;
pub mod statistics;
pub mod stop;
pub mod supplement;
pub mod transfer_list;
pub mod wording;

pub use apology::{apology_layout, apology_pdf, ApologyKind};
pub use control::{control_layout, control_pdf};
#[cfg(windows)]
pub use motcua_documents::gdi;
pub use motcua_documents::{error, fonts, layout, qr, svg};
pub use motcua_documents::{
    Align, Barcode, BoxMm, Builder, Column, DocumentError, EcLevel, Element, Face, Item, Layout,
    Margins, Page, Para, QrSymbol, Span, Stroke, Table, TableColumn, TextRun,
};

pub use form::FormOptions;
pub use receipt::{receipt_layout, receipt_pdf, receipt_title, Paper, ReceiptOptions, Reprint};
pub use refusal::{refusal_layout, refusal_pdf};
pub use register::{register_layout, register_pdf, RegisterEntry};
pub use statistics::{report_layout, report_pdf};
pub use stop::{stop_layout, stop_pdf, stop_stage};
pub use supplement::{supplement_layout, supplement_pdf};
pub use svg::layout_svg;
pub use transfer_list::{transfer_list_layout, transfer_list_pdf};

/// The engine's PDF dated now on the desk's clock (`vntime`), which the engine does not have.
pub fn layout_pdf(layout: &Layout, title: &str) -> Result<Vec<u8>, DocumentError> {
    motcua_documents::layout_pdf(layout, title, crate::vntime::now().into())
}
