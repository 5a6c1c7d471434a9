//! Printed documents: the display-list layout engine (pages of text runs, strokes and filled
//! boxes), its PDF and SVG renderers, QR codes and barcodes, and the slips built on them.
//! Mẫu 01, the receipt, is in `receipt`; the other forms reuse the same builder.

pub mod error;
pub mod fonts;
pub mod layout;
pub mod pdf;
pub mod qr;
pub mod receipt;
pub mod svg;

pub use error::DocumentError;
pub use fonts::Face;
pub use layout::{
    Align, BoxMm, Builder, Column, Element, Item, Layout, Margins, Page, Para, Span, Stroke, Table,
    TableColumn, TextRun,
};
pub use pdf::layout_pdf;
pub use qr::{Barcode, EcLevel, QrSymbol};
pub use receipt::{receipt_layout, receipt_pdf, Paper, ReceiptOptions, Reprint};
pub use svg::layout_svg;
