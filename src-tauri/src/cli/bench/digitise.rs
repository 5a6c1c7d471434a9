//! Digitising a paper: a 200 dpi grey A4 page, as `scanimage --format=pnm` writes it, made a
//! JPEG page of a PDF and stored with its chained event (time and bytes); and, where
//! `scanimage` is installed, the whole way from SANE's test backend (`-d test`, a scanner in
//! software) to the stored PDF page; and, where Tesseract reads Vietnamese, the grey page
//! given its text layer.

use std::path::Path;
use std::time::Duration;

use motcua_core::scans::ocr::{self, Availability};
use motcua_core::scans::{self, PreparedPdf, ScanMode, ScannerRequest, Source};
use motcua_core::store::{Actor, NewScan, Store};
use motcua_core::CoreError;
use serde::Serialize;

use super::error::BenchError;
use super::stats::{stats, timed, Stats};

#[derive(Debug, Clone, Serialize)]
pub struct DigitiseResult {
    /// A 200 dpi grey A4 page of text (PNM) to a stored PDF page.
    pub page: Stats,
    /// The stored PDF of that page.
    pub bytes: usize,
    /// The same page in text mode (`scan-mode text`: black and white, Flate).
    pub text_page: Stats,
    pub text_bytes: usize,
    /// SANE's test backend at 200 dpi grey to a stored PDF page; null without scanimage.
    pub sane: Option<Stats>,
    /// Tesseract (Vietnamese) giving the grey page stored above its text layer; null
    /// without Tesseract or its `vie` data.
    pub text_layer: Option<TextLayerBench>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TextLayerBench {
    /// One stored page read and replaced by the same page with its text.
    pub page: Stats,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

/// A4 at 200 dpi, grey, as a scanner's PNM: a densely typed page, 2 cm margins, a line
/// every 34 pixels (12 pt type, single spacing), "letters" 7 by 16 pixels with gaps between
/// letters and words, on white paper. The hardest common case for JPEG: sharp edges all
/// over the page (a form with handwriting is far smaller).
fn a4_page() -> Vec<u8> {
    let (w, h) = (1654u32, 2339u32);
    let mut pnm = format!("P5\n{w} {h}\n255\n").into_bytes();
    for y in 0..h {
        for x in 0..w {
            let in_text = x > 160 && x < w - 160 && y > 160 && y < h - 160;
            let in_line = (y % 34) < 16;
            let in_letter = x % 10 < 7 && ((x / 10) * 31 + (y / 34) * 17) % 6 != 0;
            let paper = 242;
            pnm.push(if in_text && in_line && in_letter {
                40
            } else {
                paper
            });
        }
    }
    pnm
}

async fn store_page(store: &Store, code: &str, pdf: PreparedPdf) -> Result<(), BenchError> {
    let actor = Actor::new("bench", "Quầy 1");
    let scan = NewScan {
        doc: 1,
        result: false,
        pdf,
    };
    store.add_scans(code, vec![scan], &actor).await?;
    Ok(())
}

pub async fn run(
    store: &Store,
    code: &str,
    scratch: &Path,
    samples: usize,
) -> Result<DigitiseResult, BenchError> {
    let folder = scratch.join(format!("motcua-bench-scans-{}", std::process::id()));
    let folder_text = folder.to_string_lossy().into_owned();
    store
        .set_named("Quầy 1", "scans-folder", &folder_text)
        .await?;
    let measured = measure(store, code, samples).await;
    let _ = std::fs::remove_dir_all(&folder);
    measured
}

async fn measure(store: &Store, code: &str, samples: usize) -> Result<DigitiseResult, BenchError> {
    let page = a4_page();
    let (page_stats, bytes) = store_pages(store, code, &page, false, samples).await?;
    let (text_page, text_bytes) = store_pages(store, code, &page, true, samples).await?;
    let request = ScannerRequest {
        device: "test".into(),
        dpi: 200,
        mode: ScanMode::Gray,
        pages: 1,
    };
    let sane = match scans::scan_pages(&request) {
        Err(_) => None,
        Ok(_) => {
            let mut times = Vec::new();
            for _ in 0..samples.max(1) {
                let (stored, took) = timed(async {
                    let pdf = scans::prepare_scanned(&request).map_err(CoreError::from)?;
                    store_page(store, code, pdf).await
                })
                .await;
                stored?;
                times.push(took);
            }
            Some(stats(times))
        }
    };
    let text_layer = match ocr::detect() {
        Availability::Ready { program } => text_layers(store, Path::new(&program), samples).await?,
        _ => None,
    };
    Ok(DigitiseResult {
        page: page_stats,
        bytes,
        text_page,
        text_bytes,
        sane,
        text_layer,
    })
}

/// `samples` of the stored pages given their text layer, oldest first: the grey JPEG pages
/// stored first (the queue's order), one at a time as the desk's worker does.
async fn text_layers(
    store: &Store,
    program: &Path,
    samples: usize,
) -> Result<Option<TextLayerBench>, BenchError> {
    let actor = Actor::new("bench", "Quầy 1");
    let mut times = Vec::new();
    let mut sizes = (0, 0);
    for _ in 0..samples.max(1) {
        let (made, took) = timed(store.make_next_text_layer(program, &actor)).await;
        if let Some(made) = made? {
            if made.text_layer == "done" {
                sizes = (made.bytes_before, made.bytes_after);
                times.push(took);
            }
        }
    }
    if times.is_empty() {
        return Ok(None);
    }
    Ok(Some(TextLayerBench {
        page: stats(times),
        bytes_before: sizes.0,
        bytes_after: sizes.1,
    }))
}

/// `samples` times: `page` made a PDF page (JPEG, or black and white) and stored; the
/// times and the PDF's bytes.
async fn store_pages(
    store: &Store,
    code: &str,
    page: &[u8],
    bilevel: bool,
    samples: usize,
) -> Result<(Stats, usize), BenchError> {
    let mut times: Vec<Duration> = Vec::new();
    let mut bytes = 0;
    for _ in 0..samples.max(1) {
        let (stored, took) = timed(async {
            let image =
                scans::page_from_image(page, Some(200.0), bilevel).map_err(BenchError::Step)?;
            let pdf = PreparedPdf {
                bytes: scans::pdf_of_pages(std::slice::from_ref(&image)),
                pages: 1,
                source: Source::Sane,
            };
            let size = pdf.bytes.len();
            store_page(store, code, pdf).await.map(|()| size)
        })
        .await;
        bytes = stored?;
        times.push(took);
    }
    Ok((stats(times), bytes))
}
