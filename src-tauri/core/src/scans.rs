//! Digitised papers: each component of a dossier, and its result, kept as a small PDF of
//! JPEG pages beside the database (`store/scans.rs` stores them and chains their hashes).
//! Pages come from a scanner through SANE (`sane.rs`), from image files, or from the
//! office's watched scan folder (`incoming.rs`); a PDF the clerk brings is kept as it is.
//! Where Tesseract reads Vietnamese, a text layer is added later in the background (`ocr.rs`).
//! Everything a command was given is read and checked before anything is written, so a
//! bad file leaves no trace.

mod error;
mod incoming;
pub mod ocr;
mod pdf;
mod preview;
mod sane;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use error::ScanError;
pub use incoming::{incoming, incoming_path, IncomingFile, INCOMING_SHOWN};
pub use pdf::{page_from_image, pdf_of_pages, pdf_pages, PageImage, JPEG_QUALITY};
pub use preview::{page_picture, PagePicture, THUMB_SIDE, VIEW_SIDE};
pub use sane::{scan_pages, ScanMode, ScannerRequest};

/// How a file came to the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A scanner through SANE (`scanimage`).
    Sane,
    /// Files the clerk chose.
    File,
    /// The watched scan folder.
    Folder,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Sane => "sane",
            Source::File => "file",
            Source::Folder => "folder",
        }
    }
}

/// One PDF ready to be stored: its bytes and pages.
#[derive(Debug, Clone)]
pub struct PreparedPdf {
    pub bytes: Vec<u8>,
    pub pages: u32,
    pub source: Source,
}

/// What one given file turned out to be.
enum Given {
    Pdf(Vec<u8>, u32),
    Image(PageImage),
}

fn read_given(path: &Path) -> Result<Given, ScanError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ScanError::Unreadable {
        file: name.clone(),
        detail: e.to_string(),
    })?;
    given_bytes(name, bytes)
}

fn given_bytes(name: String, bytes: Vec<u8>) -> Result<Given, ScanError> {
    if bytes.starts_with(b"%PDF-") {
        let pages = pdf_pages(&bytes).map_err(|detail| ScanError::Unreadable {
            file: name.clone(),
            detail,
        })?;
        return Ok(Given::Pdf(bytes, pages));
    }
    match image::guess_format(&bytes) {
        Ok(image::ImageFormat::Jpeg | image::ImageFormat::Png | image::ImageFormat::Pnm) => {
            page_from_image(&bytes, None, false)
                .map(Given::Image)
                .map_err(|detail| ScanError::Unreadable {
                    file: name.clone(),
                    detail,
                })
        }
        _ => Err(ScanError::NotAPaper { file: name }),
    }
}

/// The largest file the window may hand over (a 600 dpi colour A4 page as PNG is some
/// 25 MB; a scanned dossier's PDF of many pages stays well under this).
pub const GIVEN_MAX_BYTES: usize = 50 * 1024 * 1024;

/// One file the window read from the clerk's disk (it has the bytes, not a path), checked
/// as `prepare_files` checks a path: the same kinds, and a size limit.
pub fn prepare_given(name: &str, bytes: Vec<u8>, source: Source) -> Result<PreparedPdf, ScanError> {
    if bytes.len() > GIVEN_MAX_BYTES {
        return Err(ScanError::TooLarge {
            file: name.to_string(),
            max_mb: (GIVEN_MAX_BYTES / (1024 * 1024)) as u64,
        });
    }
    Ok(match given_bytes(name.to_string(), bytes)? {
        Given::Pdf(bytes, pages) => PreparedPdf {
            bytes,
            pages,
            source,
        },
        Given::Image(page) => PreparedPdf {
            bytes: pdf_of_pages(std::slice::from_ref(&page)),
            pages: 1,
            source,
        },
    })
}

/// The files a clerk gave (or took from the watched folder), in order: each PDF is kept as
/// it is, the images between them become one PDF of a page each. Every file is read and
/// checked first; one that is neither a PDF nor a JPEG, PNG or PNM image is refused by name.
pub fn prepare_files(paths: &[PathBuf], source: Source) -> Result<Vec<PreparedPdf>, ScanError> {
    if paths.is_empty() {
        return Err(ScanError::NothingGiven);
    }
    let mut given = Vec::with_capacity(paths.len());
    for path in paths {
        given.push(read_given(path)?);
    }
    let mut out = Vec::new();
    let mut images: Vec<PageImage> = Vec::new();
    let flush = |images: &mut Vec<PageImage>, out: &mut Vec<PreparedPdf>| {
        if !images.is_empty() {
            out.push(PreparedPdf {
                bytes: pdf_of_pages(images),
                pages: images.len() as u32,
                source,
            });
            images.clear();
        }
    };
    for g in given {
        match g {
            Given::Pdf(bytes, pages) => {
                flush(&mut images, &mut out);
                out.push(PreparedPdf {
                    bytes,
                    pages,
                    source,
                });
            }
            Given::Image(page) => images.push(page),
        }
    }
    flush(&mut images, &mut out);
    Ok(out)
}

/// Pages from a scanner: each scanned image made a JPEG page at the resolution asked for.
pub fn prepare_scanned(request: &ScannerRequest) -> Result<PreparedPdf, ScanError> {
    let images = scan_pages(request)?;
    let mut pages = Vec::with_capacity(images.len());
    for (i, bytes) in images.iter().enumerate() {
        let text = request.mode == ScanMode::Text;
        let page =
            page_from_image(bytes, Some(f64::from(request.dpi)), text).map_err(|detail| {
                ScanError::Scanner {
                    device: request.device.clone(),
                    detail: format!("page {}: {detail}", i + 1),
                }
            })?;
        pages.push(page);
    }
    Ok(PreparedPdf {
        bytes: pdf_of_pages(&pages),
        pages: pages.len() as u32,
        source: Source::Sane,
    })
}
