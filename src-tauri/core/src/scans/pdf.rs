//! Pages as JPEG images in a PDF of their own: each page's image embedded once with
//! `/DCTDecode` (the JPEG bytes as they are, never re-inflated to pixels), on a page of the
//! image's physical size at its resolution. Written directly: a PDF of image pages is a few
//! objects, and the documents engine lays out text, not scans.

use std::io::Write;

use image::codecs::jpeg::JpegEncoder;
use image::{ColorType, DynamicImage, ExtendedColorType};

/// Grey text stays sharp and a 200 dpi grey A4 page stays well under 150 KB.
pub const JPEG_QUALITY: u8 = 70;

/// Millimetres of an A4 page, the size a page without a resolution is fitted into.
const A4_MM: (f64, f64) = (210.0, 297.0);
const MM_PER_INCH: f64 = 25.4;
const POINTS_PER_INCH: f64 = 72.0;

/// One page: its image data and what the PDF needs to place it.
#[derive(Debug, Clone)]
pub struct PageImage {
    /// A JPEG, or (`bilevel`) one bit per pixel, rows padded to bytes, Flate-compressed.
    pub data: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub grey: bool,
    /// Black and white text: a dense typed page is some 50 KB this way against 500 KB or
    /// more as JPEG, which cannot keep the sharp edges of letters small.
    pub bilevel: bool,
    pub dpi: f64,
}

/// Black (0) and white (1) bits of a grey image, rows padded to whole bytes, compressed.
fn bilevel_bits(luma: &image::GrayImage) -> Result<Vec<u8>, String> {
    let (w, h) = luma.dimensions();
    let row = w.div_ceil(8) as usize;
    let mut bits = vec![0u8; row * h as usize];
    for (x, y, p) in luma.enumerate_pixels() {
        if p.0[0] >= 128 {
            bits[y as usize * row + (x / 8) as usize] |= 0x80 >> (x % 8);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&bits).map_err(|e| e.to_string())?;
    z.finish().map_err(|e| e.to_string())
}

/// The resolution a JPEG (JFIF density) or PNG (`pHYs`) records, when it records one.
fn recorded_dpi(bytes: &[u8]) -> Option<f64> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        // SOI, then APP0 "JFIF\0" version(2) units(1) Xdensity(2) Ydensity(2).
        let app0 = bytes.get(2..20)?;
        if app0.get(..2)? != [0xFF, 0xE0] || app0.get(4..9)? != b"JFIF\0" {
            return None;
        }
        let units = *app0.get(11)?;
        let x = f64::from(u16::from_be_bytes([*app0.get(12)?, *app0.get(13)?]));
        return match units {
            1 if x > 0.0 => Some(x),
            2 if x > 0.0 => Some(x * 2.54),
            _ => None,
        };
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let mut at = 8usize;
        while let Some(head) = bytes.get(at..at + 8) {
            let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
            let kind = &head[4..8];
            if kind == b"pHYs" {
                let data = bytes.get(at + 8..at + 17)?;
                let ppm = f64::from(u32::from_be_bytes([data[0], data[1], data[2], data[3]]));
                return (data[8] == 1 && ppm > 0.0).then_some(ppm * 0.0254);
            }
            if kind == b"IDAT" || kind == b"IEND" {
                return None;
            }
            at = at.checked_add(12 + len)?;
        }
    }
    None
}

/// Decodes an image (JPEG, PNG, PNM) and encodes it as the page's JPEG, grey when the
/// image is grey, or (`bilevel`, a scan in text mode) as black and white bits. `dpi` is the
/// scanner's; a file's own is read from it, and an image that records none is fitted into
/// an A4 page.
pub fn page_from_image(bytes: &[u8], dpi: Option<f64>, bilevel: bool) -> Result<PageImage, String> {
    let decoded = image::load_from_memory(bytes).map_err(|e| e.to_string())?;
    let (width, height) = (decoded.width(), decoded.height());
    if width == 0 || height == 0 {
        return Err("empty image".into());
    }
    let grey = bilevel
        || matches!(
            decoded.color(),
            ColorType::L8 | ColorType::La8 | ColorType::L16 | ColorType::La16
        );
    let mut jpeg = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY);
    let encoded = if bilevel {
        jpeg = bilevel_bits(&DynamicImage::to_luma8(&decoded))?;
        Ok(())
    } else if grey {
        let luma = DynamicImage::to_luma8(&decoded);
        encoder.encode(luma.as_raw(), width, height, ExtendedColorType::L8)
    } else {
        let rgb = DynamicImage::to_rgb8(&decoded);
        encoder.encode(rgb.as_raw(), width, height, ExtendedColorType::Rgb8)
    };
    encoded.map_err(|e| e.to_string())?;
    let fitted = || {
        let across = f64::from(width) / (A4_MM.0 / MM_PER_INCH);
        let down = f64::from(height) / (A4_MM.1 / MM_PER_INCH);
        across.max(down)
    };
    let dpi = dpi
        .or_else(|| recorded_dpi(bytes))
        .filter(|d| *d >= 10.0)
        .unwrap_or_else(fitted);
    Ok(PageImage {
        data: jpeg,
        width,
        height,
        grey,
        bilevel,
        dpi,
    })
}

/// A PDF of these pages, one image per page.
pub fn pdf_of_pages(pages: &[PageImage]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    let mut offsets: Vec<usize> = Vec::new();
    // Objects: 1 catalog, 2 page tree, then per page: page, content, image.
    let object = |out: &mut Vec<u8>, offsets: &mut Vec<usize>, body: &[u8]| {
        offsets.push(out.len());
        let n = offsets.len();
        let _ = writeln!(out, "{n} 0 obj");
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    out.extend_from_slice(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
    object(&mut out, &mut offsets, b"<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 3 + 3 * i))
        .collect();
    let tree = format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    );
    object(&mut out, &mut offsets, tree.as_bytes());
    for (i, page) in pages.iter().enumerate() {
        let (content_id, image_id) = (4 + 3 * i, 5 + 3 * i);
        let w = f64::from(page.width) * POINTS_PER_INCH / page.dpi;
        let h = f64::from(page.height) * POINTS_PER_INCH / page.dpi;
        let page_dict = format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w:.2} {h:.2}] \
             /Resources << /XObject << /Im{i} {image_id} 0 R >> >> /Contents {content_id} 0 R >>"
        );
        object(&mut out, &mut offsets, page_dict.as_bytes());
        let draw = format!("q {w:.2} 0 0 {h:.2} 0 0 cm /Im{i} Do Q");
        let content = format!("<< /Length {} >>\nstream\n{draw}\nendstream", draw.len());
        object(&mut out, &mut offsets, content.as_bytes());
        let space = if page.grey {
            "/DeviceGray"
        } else {
            "/DeviceRGB"
        };
        let (bits, filter) = if page.bilevel {
            (1, "/FlateDecode")
        } else {
            (8, "/DCTDecode")
        };
        let mut image = format!(
            "<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace {space} \
             /BitsPerComponent {bits} /Filter {filter} /Length {} >>\nstream\n",
            page.width,
            page.height,
            page.data.len()
        )
        .into_bytes();
        image.extend_from_slice(&page.data);
        image.extend_from_slice(b"\nendstream");
        object(&mut out, &mut offsets, &image);
    }
    let xref = out.len();
    let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1);
    for o in &offsets {
        let _ = writeln!(out, "{o:010} 00000 n ");
    }
    let _ = write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        offsets.len() + 1
    );
    out
}

/// The pages of a PDF, or why it cannot be read.
pub fn pdf_pages(bytes: &[u8]) -> Result<u32, String> {
    let document = lopdf::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    let pages = document.get_pages().len();
    if pages == 0 {
        return Err("no pages".into());
    }
    u32::try_from(pages).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grey_png(width: u32, height: u32) -> Vec<u8> {
        let img = image::GrayImage::from_fn(width, height, |x, y| {
            image::Luma([if (x / 20 + y / 20) % 2 == 0 { 30 } else { 230 }])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn pages_read_back_with_their_count_size_and_dct_images() {
        let a = page_from_image(&grey_png(400, 566), Some(200.0), false).unwrap();
        let b = page_from_image(&grey_png(566, 400), None, false).unwrap();
        assert!(a.grey && a.data.starts_with(&[0xFF, 0xD8]));
        let pdf = pdf_of_pages(&[a, b]);
        assert_eq!(pdf_pages(&pdf).unwrap(), 2);
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let first = *doc.get_pages().get(&1).unwrap();
        let media = doc
            .get_dictionary(first)
            .unwrap()
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap()
            .clone();
        // 400 px at 200 dpi is 2 inches: 144 points.
        assert!((media[2].as_float().unwrap() - 144.0).abs() < 0.1);
        let text = String::from_utf8_lossy(&pdf);
        assert_eq!(text.matches("/DCTDecode").count(), 2);
        assert!(text.contains("/DeviceGray"));
    }

    /// A densely typed 200 dpi A4 page: far over 150 KB as JPEG, far under as text.
    #[test]
    fn a_typed_page_in_text_mode_stays_small() {
        let page = image::GrayImage::from_fn(1654, 2339, |x, y| {
            let ink = x > 160
                && x < 1494
                && y > 160
                && y < 2179
                && y % 34 < 16
                && x % 10 < 7
                && ((x / 10) * 31 + (y / 34) * 17) % 6 != 0;
            image::Luma([if ink { 40 } else { 242 }])
        });
        let mut png = std::io::Cursor::new(Vec::new());
        page.write_to(&mut png, image::ImageFormat::Png).unwrap();
        let text = page_from_image(png.get_ref(), Some(200.0), true).unwrap();
        let pdf = pdf_of_pages(std::slice::from_ref(&text));
        assert!(pdf.len() < 150 * 1024, "{} bytes", pdf.len());
        assert_eq!(pdf_pages(&pdf).unwrap(), 1);
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let image = doc
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .find(|s| {
                s.dict
                    .get(b"Subtype")
                    .is_ok_and(|t| t.as_name().ok() == Some(b"Image"))
            })
            .unwrap();
        let bits = image.decompressed_content().unwrap();
        assert_eq!(bits.len(), 207 * 2339);
        // The first row is white paper; a row through a line of text has black letters.
        assert!(bits[..206].iter().all(|b| *b == 0xFF));
        let row = 170 * 207;
        assert!(bits[row..row + 207].iter().any(|b| *b != 0xFF));
    }

    #[test]
    fn a_recorded_resolution_is_read_from_png() {
        let mut png = grey_png(10, 10);
        // A pHYs chunk of 7874 pixels per metre (200 dpi) right after IHDR.
        let mut chunk = Vec::new();
        chunk.extend_from_slice(&9u32.to_be_bytes());
        chunk.extend_from_slice(b"pHYs");
        chunk.extend_from_slice(&7874u32.to_be_bytes());
        chunk.extend_from_slice(&7874u32.to_be_bytes());
        chunk.push(1);
        chunk.extend_from_slice(&[0, 0, 0, 0]);
        png.splice(33..33, chunk);
        assert!((recorded_dpi(&png).unwrap() - 200.0).abs() < 0.1);
    }
}
