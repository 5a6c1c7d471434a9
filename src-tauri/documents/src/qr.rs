//! QR codes and CODE128 barcodes as filled rectangles.
//!
//! Each horizontal run of dark QR modules (and each bar of a barcode) is one rectangle:
//! adjacent rectangles drawn separately leave hairline seams in some renderers, which can break
//! decoding, and fewer rectangles keep the PDF small.

use barcoders::sym::code128::Code128;
pub use qrcode::EcLevel;
use qrcode::{Color, QrCode};

use crate::error::DocumentError;
use crate::fonts::Face;
use crate::layout::{Align, BoxMm, Builder, Element};

/// Light modules required around a QR symbol (ISO/IEC 18004).
pub const QR_QUIET_MODULES: usize = 4;
/// Light modules required on each side of a CODE128 symbol.
pub const BARCODE_QUIET_MODULES: usize = 10;

/// Module sizes are rounded up to this step so symbols land on tidy sizes.
const MODULE_STEP: f32 = 0.05;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSymbol {
    width: usize,
    dark: Vec<bool>,
}

impl QrSymbol {
    pub fn new(payload: &str, ec: EcLevel) -> Result<QrSymbol, DocumentError> {
        let code = QrCode::with_error_correction_level(payload.as_bytes(), ec)
            .map_err(|e| DocumentError::Qr(e.to_string()))?;
        let width = code.width();
        let dark = code
            .into_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Ok(QrSymbol { width, dark })
    }

    /// Modules per side, without the quiet zone.
    pub fn modules(&self) -> usize {
        self.width
    }

    /// The smallest tidy module size that makes the symbol at least `min_mm` wide.
    pub fn module_for(&self, min_mm: f32) -> f32 {
        round_up(min_mm / self.width.max(1) as f32)
    }

    /// The dark modules with the symbol's top-left corner at (`x`, `y`): each horizontal run
    /// is one rectangle, and a run repeated on the rows below grows into a taller one.
    pub fn elements(&self, x: f32, y: f32, module: f32) -> Vec<Element> {
        // (start column, end column) -> (first row, rows)
        let mut open: std::collections::BTreeMap<(usize, usize), (usize, usize)> =
            Default::default();
        let mut done: Vec<(usize, usize, usize, usize)> = Vec::new();
        for row in 0..self.width {
            let mut runs = Vec::new();
            let mut col = 0;
            while col < self.width {
                if !self.dark[row * self.width + col] {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < self.width && self.dark[row * self.width + col] {
                    col += 1;
                }
                runs.push((start, col));
            }
            let mut next = std::collections::BTreeMap::new();
            for run in runs {
                let (first, rows) = open.remove(&run).unwrap_or((row, 0));
                next.insert(run, (first, rows + 1));
            }
            done.extend(
                open.into_iter()
                    .map(|((s, e), (first, rows))| (s, e, first, rows)),
            );
            open = next;
        }
        done.extend(
            open.into_iter()
                .map(|((s, e), (first, rows))| (s, e, first, rows)),
        );
        done.sort_by_key(|&(s, _, first, _)| (first, s));
        done.into_iter()
            .map(|(start, end, first, rows)| {
                Element::Fill(BoxMm::new(
                    x + start as f32 * module,
                    y + first as f32 * module,
                    (end - start) as f32 * module,
                    rows as f32 * module,
                ))
            })
            .collect()
    }
}

fn round_up(mm: f32) -> f32 {
    (mm / MODULE_STEP).ceil() * MODULE_STEP
}

/// A CODE128 symbol in character set B (what a keyboard-wedge scanner types back verbatim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Barcode {
    bars: Vec<bool>,
}

impl Barcode {
    pub fn code128(data: &str) -> Result<Barcode, DocumentError> {
        let err = |reason: String| DocumentError::Barcode {
            code: data.to_string(),
            reason,
        };
        if data.is_empty() || !data.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(err("chỉ mã hóa được ký tự ASCII in được".into()));
        }
        let symbol = Code128::new(format!("\u{0181}{data}")).map_err(|e| err(e.to_string()))?;
        Ok(Barcode {
            bars: symbol.encode().into_iter().map(|b| b == 1).collect(),
        })
    }

    /// Width in modules, without the quiet zones.
    pub fn modules(&self) -> usize {
        self.bars.len()
    }

    /// The bars, `height` tall, starting at (`x`, `y`).
    pub fn elements(&self, x: f32, y: f32, module: f32, height: f32) -> Vec<Element> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.bars.len() {
            if !self.bars[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i < self.bars.len() && self.bars[i] {
                i += 1;
            }
            out.push(Element::Fill(BoxMm::new(
                x + start as f32 * module,
                y,
                (i - start) as f32 * module,
                height,
            )));
        }
        out
    }
}

/// Where a QR symbol sits inside the box reserved for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuietSides {
    /// Quiet zone on all four sides inside the box.
    All,
    /// No quiet zone on the right: the page margin beside it provides one.
    AgainstRightMargin,
}

impl Builder<'_> {
    /// A QR symbol floated at the right of the frame, with text flowing beside it.
    pub fn qr_float(&mut self, symbol: &QrSymbol, module: f32, quiet: QuietSides) -> BoxMm {
        let q = QR_QUIET_MODULES as f32 * module;
        let side = symbol.modules() as f32 * module;
        let w = match quiet {
            QuietSides::All => side + 2.0 * q,
            QuietSides::AgainstRightMargin => side + q,
        };
        let b = self.float_right(w, side + 2.0 * q);
        let elements = symbol.elements(b.x + q, b.y + q, module);
        self.extend(elements);
        b
    }

    /// A QR symbol as a block of its own in the flow.
    pub fn qr_block(&mut self, symbol: &QrSymbol, module: f32, align: Align) -> BoxMm {
        let q = QR_QUIET_MODULES as f32 * module;
        let side = symbol.modules() as f32 * module;
        let b = self.block(side + 2.0 * q, side + 2.0 * q, align);
        let elements = symbol.elements(b.x + q, b.y + q, module);
        self.extend(elements);
        b
    }

    /// A barcode block: bars `bar_h` tall with the encoded text printed under them. The left
    /// quiet zone is left to the page margin when `align` is `Left`.
    pub fn barcode_block(
        &mut self,
        barcode: &Barcode,
        module: f32,
        bar_h: f32,
        caption: &str,
        caption_size: f32,
        align: Align,
    ) -> BoxMm {
        let q = BARCODE_QUIET_MODULES as f32 * module;
        let bars_w = barcode.modules() as f32 * module;
        let lead = if align == Align::Left { 0.0 } else { q };
        let fonts = self.fonts();
        let ascent = fonts.ascent_mm(Face::Regular, caption_size);
        let descent = fonts.descent_mm(Face::Regular, caption_size);
        let caption_w = self.text_width(Face::Regular, caption_size, caption);
        let w = (lead + bars_w + q).max(caption_w);
        let gap = 0.6;
        let h = bar_h + gap + ascent + descent;
        let b = self.block(w, h, align);
        let bars_x = b.x + lead;
        let elements = barcode.elements(bars_x, b.y, module, bar_h);
        self.extend(elements);
        let cx = (bars_x + bars_w / 2.0 - caption_w / 2.0).max(b.x);
        let run = self.text_run(
            Face::Regular,
            caption_size,
            cx,
            b.y + bar_h + gap + ascent,
            caption,
        );
        self.push(Element::Text(run));
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_rectangles_cover_exactly_the_dark_modules() {
        let symbol =
            QrSymbol::new("MC1:000.00.14.H56-270303-0001:ABCDEFGHJKMNP", EcLevel::M).unwrap();
        let n = symbol.modules();
        let mut painted = vec![0u8; n * n];
        let rects = symbol.elements(0.0, 0.0, 1.0);
        for e in &rects {
            let Element::Fill(b) = e else {
                panic!("only fills")
            };
            for row in b.y as usize..(b.y + b.h) as usize {
                for col in b.x as usize..(b.x + b.w) as usize {
                    painted[row * n + col] += 1;
                }
            }
        }
        for (i, dark) in symbol.dark.iter().enumerate() {
            assert_eq!(painted[i], u8::from(*dark), "module {i}");
        }
        let runs: usize = (0..n)
            .map(|r| {
                (0..n)
                    .filter(|&c| symbol.dark[r * n + c] && (c == 0 || !symbol.dark[r * n + c - 1]))
                    .count()
            })
            .sum();
        assert!(
            rects.len() < runs,
            "{} rectangles for {runs} runs",
            rects.len()
        );
        assert!(symbol.module_for(22.0) * n as f32 >= 22.0);
    }

    #[test]
    fn code128_b_has_start_b_and_stop() {
        let b = Barcode::code128("000.00.14.H56-270303-0001").unwrap();
        // Start B, 25 data characters and the check character take 11 modules each; the stop
        // pattern takes 13.
        assert_eq!(b.modules(), 27 * 11 + 13);
        assert!(b.bars[0] && !b.bars[b.modules() - 3]);
        assert!(Barcode::code128("Nguyễn").is_err());
        assert!(Barcode::code128("").is_err());
    }
}
