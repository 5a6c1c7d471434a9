//! The documents engine: a display list of pages (text runs, strokes, filled boxes) built by a
//! layout engine that wraps paragraphs and flows tables, measured with the vendored Liberation
//! Serif faces, and drawn by renderers that all read the same list: PDF (`pdf`), SVG for
//! on-screen previews (`svg`) and, on Windows, a printer's device context (`gdi`). QR codes and
//! CODE128 barcodes are drawn as rectangles in the same list (`qr`).
//!
//! It knows nothing of dossiers, agencies, calendars or clocks: the papers that fill it live
//! in the core (`motcua_core::documents`), and whatever a document needs from the desk, such as
//! the moment a PDF is made, its caller passes in. Another renderer (a raster one, say) is one
//! more module reading `layout::Page` beside these.

pub mod error;
pub mod fonts;
#[cfg(windows)]
pub mod gdi;
pub mod layout;
pub mod pdf;
pub mod qr;
pub mod svg;

pub use error::DocumentError;
pub use fonts::Face;
pub use layout::{
    Align, BoxMm, Builder, Column, Element, Item, Layout, Margins, Page, Para, Span, Stroke, Table,
    TableColumn, TextRun,
};
pub use pdf::layout_pdf;
pub use qr::{Barcode, EcLevel, QrSymbol};
pub use svg::layout_svg;
