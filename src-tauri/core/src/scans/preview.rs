//! Pictures of a stored PDF's pages for the window: a small JPEG for a thumbnail and a
//! larger one for the page viewer. The desk's own PDFs carry each page as one image
//! (a JPEG, or black-and-white bits in text mode), read straight from the file with lopdf and
//! scaled with `image`. A PDF the clerk brought may draw its pages with text and vectors:
//! then there is no picture to give, and the window shows a "PDF" tile with its page count
//! that opens the file in the system's viewer instead of rendering it here.

use std::io::Read;

use image::{DynamicImage, GrayImage};
use lopdf::Document;

use super::ScanError;

/// The longest side of a thumbnail, in pixels.
pub const THUMB_SIDE: u32 = 160;
/// The longest side of a page in the viewer, in pixels.
pub const VIEW_SIDE: u32 = 1400;

/// A page of a stored PDF as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePicture {
    /// The PDF's page count.
    pub pages: u32,
    /// The page as a JPEG no larger than asked; `None` when the page is not one image.
    pub jpeg: Option<Vec<u8>>,
}

/// Page `page` (from 1) of the PDF `pdf` (named `file` in errors), scaled so its longer
/// side is at most `side` pixels.
pub fn page_picture(
    pdf: &[u8],
    file: &str,
    page: u32,
    side: u32,
) -> Result<PagePicture, ScanError> {
    let unreadable = |detail: String| ScanError::Unreadable {
        file: file.to_string(),
        detail,
    };
    let doc = Document::load_mem(pdf).map_err(|e| unreadable(e.to_string()))?;
    let pages = doc.get_pages();
    let count = pages.len() as u32;
    let Some(&page_id) = pages.get(&page) else {
        return Err(unreadable(format!("page {page} of {count}")));
    };
    let image = only_image(&doc, page_id);
    let jpeg = match image {
        // Never enlarged beyond the scan.
        Some(img) if img.width().max(img.height()) <= side => {
            Some(jpeg_of(&img).map_err(unreadable)?)
        }
        Some(img) => Some(jpeg_of(&img.thumbnail(side, side)).map_err(unreadable)?),
        None => None,
    };
    Ok(PagePicture { pages: count, jpeg })
}

/// The page's picture when the page is nothing but one image drawn once (no text), in a
/// form read here: a JPEG, or 1-bit grey Flate as the text mode writes it.
fn only_image(doc: &Document, page_id: lopdf::ObjectId) -> Option<DynamicImage> {
    let content = doc.get_page_content(page_id);
    let draws = content.windows(3).filter(|w| w == b" Do").count();
    let text = content.windows(2).any(|w| w == b"BT");
    if draws != 1 || text {
        return None;
    }
    let images = doc.get_page_images(page_id).ok()?;
    let [image] = images.as_slice() else {
        return None;
    };
    let filters = image.filters.clone().unwrap_or_default();
    let filters: Vec<&str> = filters.iter().map(String::as_str).collect();
    match (filters.as_slice(), image.bits_per_component) {
        (["DCTDecode"], _) => {
            image::load_from_memory_with_format(image.content, image::ImageFormat::Jpeg).ok()
        }
        (["FlateDecode"], Some(1)) => {
            let (w, h) = (
                u32::try_from(image.width).ok()?,
                u32::try_from(image.height).ok()?,
            );
            let mut bits = Vec::new();
            flate2::read::ZlibDecoder::new(image.content)
                .read_to_end(&mut bits)
                .ok()?;
            grey_of_bits(&bits, w, h).map(DynamicImage::ImageLuma8)
        }
        _ => None,
    }
}

/// One bit a pixel, rows padded to bytes, 1 white (DeviceGray's default decode).
fn grey_of_bits(bits: &[u8], width: u32, height: u32) -> Option<GrayImage> {
    let row = width.div_ceil(8) as usize;
    if bits.len() < row * height as usize {
        return None;
    }
    Some(GrayImage::from_fn(width, height, |x, y| {
        let byte = bits[y as usize * row + (x / 8) as usize];
        let white = byte & (0x80 >> (x % 8)) != 0;
        image::Luma([if white { 255 } else { 0 }])
    }))
}

fn jpeg_of(img: &DynamicImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let img = match img {
        DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) => img.clone(),
        other if other.color().has_color() => DynamicImage::ImageRgb8(other.to_rgb8()),
        other => DynamicImage::ImageLuma8(other.to_luma8()),
    };
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&img)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scans::{page_from_image, pdf_of_pages};

    fn png(width: u32, height: u32, dark_left: bool) -> Vec<u8> {
        let img = GrayImage::from_fn(width, height, |x, _| {
            image::Luma([if dark_left && x < width / 2 { 10 } else { 240 }])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        DynamicImage::ImageLuma8(img)
            .write_to(&mut out, image::ImageFormat::Png)
            .unwrap();
        out.into_inner()
    }

    fn picture(jpeg: &[u8]) -> DynamicImage {
        image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg).unwrap()
    }

    #[test]
    fn the_desks_own_pages_come_back_as_small_and_large_pictures() {
        let pages = [
            page_from_image(&png(800, 1100, true), Some(200.0), false).unwrap(),
            page_from_image(&png(800, 1100, false), Some(200.0), false).unwrap(),
        ];
        let pdf = pdf_of_pages(&pages);
        let thumb = page_picture(&pdf, "1-1.pdf", 1, THUMB_SIDE).unwrap();
        assert_eq!(thumb.pages, 2);
        let small = picture(thumb.jpeg.as_deref().unwrap());
        assert_eq!(small.height(), THUMB_SIDE);
        assert_eq!(small.width(), 800 * THUMB_SIDE / 1100);
        // The left half is dark, the right light: the page itself, not a blank.
        let luma = small.to_luma8();
        assert!(luma.get_pixel(10, 80)[0] < 60);
        assert!(luma.get_pixel(small.width() - 10, 80)[0] > 200);
        let second = page_picture(&pdf, "1-1.pdf", 2, VIEW_SIDE).unwrap();
        let large = picture(second.jpeg.as_deref().unwrap());
        // Never enlarged beyond the scan.
        assert_eq!((large.width(), large.height()), (800, 1100));
        assert!(large.to_luma8().get_pixel(10, 80)[0] > 200);
        let beyond = page_picture(&pdf, "1-1.pdf", 3, THUMB_SIDE).unwrap_err();
        assert!(matches!(beyond, ScanError::Unreadable { file, .. } if file == "1-1.pdf"));
    }

    #[test]
    fn a_text_mode_page_is_read_from_its_bits() {
        let page = page_from_image(&png(400, 300, true), Some(200.0), true).unwrap();
        assert!(page.bilevel);
        let pdf = pdf_of_pages(&[page]);
        let got = page_picture(&pdf, "1-2.pdf", 1, THUMB_SIDE).unwrap();
        let img = picture(got.jpeg.as_deref().unwrap()).to_luma8();
        assert_eq!((img.width(), img.height()), (THUMB_SIDE, 120));
        assert!(img.get_pixel(20, 60)[0] < 60);
        assert!(img.get_pixel(140, 60)[0] > 200);
    }

    #[test]
    fn a_pdf_drawn_with_text_has_no_picture_but_its_page_count() {
        // A one-page PDF with a line of text, as an agency's own result would be.
        let body = b"BT /F1 12 Tf 72 720 Td (Ket qua) Tj ET";
        let mut pdf = Vec::new();
        let mut offsets = Vec::new();
        pdf.extend_from_slice(b"%PDF-1.4\n");
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R >> >> >>"
                .to_string(),
            format!(
                "<< /Length {} >>\nstream\n{}\nendstream",
                body.len(),
                String::from_utf8_lossy(body)
            ),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        ];
        for (i, o) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for o in offsets {
            pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        let got = page_picture(&pdf, "result-1.pdf", 1, THUMB_SIDE).unwrap();
        assert_eq!(got.pages, 1);
        assert!(got.jpeg.is_none());
        let broken = page_picture(b"%PDF-1.4 broken", "x.pdf", 1, THUMB_SIDE).unwrap_err();
        assert!(matches!(broken, ScanError::Unreadable { .. }));
    }
}
