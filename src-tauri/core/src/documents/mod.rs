//! Printed documents: the display-list layout engine (pages of text runs, strokes and filled
//! boxes), its PDF and SVG renderers, QR codes and barcodes, and the papers built on them.
//! Mẫu 01, the receipt, is in `receipt`; the other forms (`supplement`, `refusal`,
//! `apology`, `stop`, `control`, `register`), the hand-over list and the Biểu 06 table share
//! its letterhead and signatures (`letterhead`) and one A4 frame (`form`).

pub mod apology;
pub mod control;
pub mod error;
pub mod fonts;
pub mod form;
#[cfg(windows)]
pub mod gdi;
pub mod layout;
pub mod letterhead;
pub mod pdf;
pub mod qr;
pub mod receipt;
pub mod refusal;
pub mod register;
pub mod statistics;
pub mod stop;
pub mod supplement;
pub mod svg;
pub mod transfer_list;
pub mod wording;

pub use apology::{apology_layout, apology_pdf, ApologyKind};
pub use control::{control_layout, control_pdf};
pub use error::DocumentError;
pub use fonts::Face;
pub use form::FormOptions;
pub use layout::{
    Align, BoxMm, Builder, Column, Element, Item, Layout, Margins, Page, Para, Span, Stroke, Table,
    TableColumn, TextRun,
};
pub use pdf::layout_pdf;
pub use qr::{Barcode, EcLevel, QrSymbol};
pub use receipt::{receipt_layout, receipt_pdf, receipt_title, Paper, ReceiptOptions, Reprint};
pub use refusal::{refusal_layout, refusal_pdf};
pub use register::{register_layout, register_pdf, RegisterEntry};
pub use statistics::{report_layout, report_pdf};
pub use stop::{stop_layout, stop_pdf, stop_stage};
pub use supplement::{supplement_layout, supplement_pdf};
pub use svg::layout_svg;
pub use transfer_list::{transfer_list_layout, transfer_list_pdf};
