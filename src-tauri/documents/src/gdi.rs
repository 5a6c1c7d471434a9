//! A page of the display list drawn onto a Windows printer's device context, so Windows prints
//! the layout the PDF holds without a PDF viewer. Millimetres become device pixels from the
//! printer's own resolution; text is set in the vendored faces, loaded privately because
//! Windows need not have them and Wine's fallback lacks letters like "ễ", each glyph at the
//! advance layout measured; QR modules and bars are rectangles whose edges are rounded to
//! device pixels one way, so neighbours neither leave seams nor overlap.
// Windows API calls are foreign functions: the one place `unsafe` is allowed.
#![allow(unsafe_code)]

use std::collections::HashMap;
use std::sync::OnceLock;

use windows_sys::Win32::Foundation::RECT;
use windows_sys::Win32::Graphics::Gdi::{
    AddFontMemResourceEx, CreateFontW, DeleteObject, ExtCreatePen, ExtTextOutW, FillRect,
    GetDeviceCaps, GetStockObject, GetTextFaceW, LineTo, MoveToEx, SelectObject, SetBkMode,
    SetMapMode, SetTextAlign, SetTextColor, BLACK_BRUSH, BS_SOLID, CLIP_DEFAULT_PRECIS,
    DEFAULT_CHARSET, DEFAULT_PITCH, DEFAULT_QUALITY, FF_ROMAN, FW_BOLD, FW_NORMAL, HBRUSH, HDC,
    HFONT, HGDIOBJ, HPEN, LOGBRUSH, LOGPIXELSX, LOGPIXELSY, MM_TEXT, OUT_TT_ONLY_PRECIS,
    PHYSICALOFFSETX, PHYSICALOFFSETY, PS_ENDCAP_FLAT, PS_GEOMETRIC, PS_JOIN_MITER, PS_SOLID,
    TA_BASELINE, TA_LEFT, TA_NOUPDATECP, TRANSPARENT,
};

use crate::fonts::{self, Face, Fonts, FAMILY};
use crate::layout::{BoxMm, Element, Page, Stroke, TextRun};

const MM_PER_INCH: f64 = 25.4;

/// A GDI call that failed, with the system's reason when it gave one.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{call}{}", .detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
pub struct GdiError {
    pub call: &'static str,
    pub detail: Option<String>,
}

impl GdiError {
    /// Many GDI calls fail without setting the thread's last error; then only the call is named.
    fn last(call: &'static str) -> GdiError {
        let os = std::io::Error::last_os_error();
        let detail = match os.raw_os_error() {
            Some(0) | None => None,
            Some(_) => Some(os.to_string()),
        };
        GdiError { call, detail }
    }
}

static PRIVATE_FONTS: OnceLock<Result<(), GdiError>> = OnceLock::new();

/// Hands the four faces to GDI for this process only (nothing is installed). They stay loaded
/// until the process ends: the desk window prints many times.
fn load_private_fonts() -> Result<(), GdiError> {
    PRIVATE_FONTS
        .get_or_init(|| {
            for face in Face::ALL {
                let bytes = face.bytes();
                let len = u32::try_from(bytes.len()).map_err(|_| GdiError {
                    call: "AddFontMemResourceEx",
                    detail: Some(FAMILY.to_string()),
                })?;
                let mut count = 0u32;
                // SAFETY: `bytes` is a 'static slice valid for `len` bytes, which GDI copies;
                // the reserved argument must be null; `count` outlives the call.
                let handle = unsafe {
                    AddFontMemResourceEx(
                        bytes.as_ptr().cast(),
                        len,
                        std::ptr::null(),
                        std::ptr::addr_of_mut!(count).cast_const(),
                    )
                };
                if handle.is_null() || count == 0 {
                    return Err(GdiError::last("AddFontMemResourceEx"));
                }
            }
            Ok(())
        })
        .clone()
}

fn wide(text: &str) -> Vec<u16> {
    text.encode_utf16().chain(std::iter::once(0)).collect()
}

/// Draws display-list pages onto one printer DC, keeping the fonts and pens it made until it
/// is dropped (before the DC is deleted).
pub struct Canvas {
    hdc: HDC,
    fonts: &'static Fonts,
    /// Device pixels per millimetre.
    px_x: f64,
    px_y: f64,
    /// Where the DC's origin (the printable area) lies on the sheet, in device pixels.
    off_x: f64,
    off_y: f64,
    dpi_y: f64,
    gdi_fonts: HashMap<(Face, i32), HFONT>,
    pens: HashMap<i32, HPEN>,
    /// What the DC held before the canvas selected its own objects, put back on drop.
    saved: Vec<HGDIOBJ>,
    black: HBRUSH,
}

impl Canvas {
    /// A canvas on the printer DC `hdc`.
    ///
    /// # Safety
    /// `hdc` is a device context from `CreateDCW` that is not deleted while the canvas lives.
    pub unsafe fn new(hdc: HDC) -> Result<Canvas, GdiError> {
        load_private_fonts()?;
        let fonts = fonts::load().map_err(|e| GdiError {
            call: "fonts",
            detail: Some(e.to_string()),
        })?;
        // SAFETY: GetDeviceCaps only reads the DC's attributes; an unusable DC answers 0.
        let caps = |index: u32| f64::from(unsafe { GetDeviceCaps(hdc, index as i32) });
        let (dpi_x, dpi_y) = (caps(LOGPIXELSX), caps(LOGPIXELSY));
        if dpi_x <= 0.0 || dpi_y <= 0.0 {
            return Err(GdiError::last("GetDeviceCaps"));
        }
        // SAFETY: a stock object is owned by the system and never deleted.
        let black = unsafe { GetStockObject(BLACK_BRUSH) };
        Ok(Canvas {
            hdc,
            fonts,
            px_x: dpi_x / MM_PER_INCH,
            px_y: dpi_y / MM_PER_INCH,
            off_x: caps(PHYSICALOFFSETX),
            off_y: caps(PHYSICALOFFSETY),
            dpi_y,
            gdi_fonts: HashMap::new(),
            pens: HashMap::new(),
            saved: Vec::new(),
            black,
        })
    }

    /// Device x of a position `mm` from the sheet's left edge.
    fn x(&self, mm: f64) -> i32 {
        (mm * self.px_x - self.off_x).round() as i32
    }

    fn y(&self, mm: f64) -> i32 {
        (mm * self.px_y - self.off_y).round() as i32
    }

    /// Draws every element of `page` (between the caller's StartPage and EndPage).
    pub fn draw(&mut self, page: &Page) -> Result<(), GdiError> {
        // SAFETY: plain attribute setters on the DC; no pointers are passed.
        unsafe {
            SetMapMode(self.hdc, MM_TEXT);
            SetBkMode(self.hdc, TRANSPARENT as i32);
            SetTextColor(self.hdc, 0);
            SetTextAlign(self.hdc, TA_BASELINE | TA_LEFT | TA_NOUPDATECP);
        }
        for element in &page.elements {
            match element {
                Element::Fill(b) => self.fill(b)?,
                Element::Line(l) => self.stroke(l)?,
                Element::Text(t) => self.text(t)?,
            }
        }
        Ok(())
    }

    /// Selects `object`, remembering the first object it replaced of each kind.
    fn select(&mut self, object: HGDIOBJ, call: &'static str) -> Result<(), GdiError> {
        // SAFETY: `object` is a live font or pen this canvas created.
        let previous = unsafe { SelectObject(self.hdc, object) };
        if previous.is_null() {
            return Err(GdiError::last(call));
        }
        let ours = self.gdi_fonts.values().any(|f| *f == previous)
            || self.pens.values().any(|p| *p == previous);
        if !ours {
            self.saved.push(previous);
        }
        Ok(())
    }

    fn fill(&mut self, b: &BoxMm) -> Result<(), GdiError> {
        // The edges are rounded, not the sizes: a module's right edge is its neighbour's left.
        let rect = RECT {
            left: self.x(f64::from(b.x)),
            top: self.y(f64::from(b.y)),
            right: self.x(f64::from(b.right())),
            bottom: self.y(f64::from(b.bottom())),
        };
        if rect.right <= rect.left || rect.bottom <= rect.top {
            return Ok(());
        }
        // SAFETY: `rect` outlives the call; the brush is the stock black brush.
        if unsafe { FillRect(self.hdc, &rect, self.black) } == 0 {
            return Err(GdiError::last("FillRect"));
        }
        Ok(())
    }

    fn pen(&mut self, width: i32) -> Result<HPEN, GdiError> {
        if let Some(pen) = self.pens.get(&width) {
            return Ok(*pen);
        }
        let brush = LOGBRUSH {
            lbStyle: BS_SOLID,
            lbColor: 0,
            lbHatch: 0,
        };
        // Flat ends like the PDF's butt caps: the layout already lengthens rules that meet.
        let style = PS_GEOMETRIC | PS_SOLID | PS_ENDCAP_FLAT | PS_JOIN_MITER;
        // SAFETY: `brush` outlives the call; no custom dash array is passed.
        let pen = unsafe { ExtCreatePen(style as u32, width as u32, &brush, 0, std::ptr::null()) };
        if pen.is_null() {
            return Err(GdiError::last("ExtCreatePen"));
        }
        self.pens.insert(width, pen);
        Ok(pen)
    }

    fn stroke(&mut self, l: &Stroke) -> Result<(), GdiError> {
        let per_mm = (self.px_x + self.px_y) / 2.0;
        let width = ((f64::from(l.thickness) * per_mm).round() as i32).max(1);
        let pen = self.pen(width)?;
        self.select(pen, "SelectObject(pen)")?;
        let (x1, y1) = (f64::from(l.x1), f64::from(l.y1));
        let (dx, dy) = (f64::from(l.x2) - x1, f64::from(l.y2) - y1);
        let length = dx.hypot(dy);
        // Dashes as separate segments from the start, "on" first, as the PDF's pattern runs.
        let segments: Vec<(f64, f64)> = match l.dash {
            Some((on, off)) if on > 0.0 && length > 0.0 => {
                let (on, period) = (f64::from(on), f64::from(on) + f64::from(off.max(0.0)));
                (0..)
                    .map(|k| f64::from(k) * period)
                    .take_while(|start| *start < length)
                    .map(|start| (start, (start + on).min(length)))
                    .collect()
            }
            _ => vec![(0.0, length)],
        };
        for (from, to) in segments {
            let at = |d: f64| {
                let t = if length > 0.0 { d / length } else { 0.0 };
                (self.x(x1 + dx * t), self.y(y1 + dy * t))
            };
            let ((ax, ay), (bx, by)) = (at(from), at(to));
            // SAFETY: drawing calls on the DC; the previous position is not asked for.
            let drawn = unsafe {
                MoveToEx(self.hdc, ax, ay, std::ptr::null_mut()) != 0
                    && LineTo(self.hdc, bx, by) != 0
            };
            if !drawn {
                return Err(GdiError::last("LineTo"));
            }
        }
        Ok(())
    }

    fn font(&mut self, face: Face, size_pt: f32) -> Result<HFONT, GdiError> {
        let em = (f64::from(size_pt) / 72.0 * self.dpi_y).round() as i32;
        if let Some(font) = self.gdi_fonts.get(&(face, em)) {
            return Ok(*font);
        }
        let weight = if face.is_bold() { FW_BOLD } else { FW_NORMAL };
        let family = wide(FAMILY);
        // SAFETY: `family` is NUL-terminated and outlives the call. A negative height asks
        // for the em size, as the layout's point sizes are.
        let font = unsafe {
            CreateFontW(
                -em,
                0,
                0,
                0,
                weight as i32,
                u32::from(face.is_italic()),
                0,
                0,
                u32::from(DEFAULT_CHARSET),
                u32::from(OUT_TT_ONLY_PRECIS),
                u32::from(CLIP_DEFAULT_PRECIS),
                u32::from(DEFAULT_QUALITY),
                u32::from(DEFAULT_PITCH | FF_ROMAN),
                family.as_ptr(),
            )
        };
        if font.is_null() {
            return Err(GdiError::last("CreateFontW"));
        }
        self.gdi_fonts.insert((face, em), font);
        self.select(font, "SelectObject(font)")?;
        // The font mapper falls back to another family silently; that family would lack
        // Vietnamese letters and its widths would not match the layout.
        let mut name = [0u16; 64];
        // SAFETY: `name` is writable for its length, which is what is passed.
        let n = unsafe { GetTextFaceW(self.hdc, name.len() as i32, name.as_mut_ptr()) };
        let chosen = String::from_utf16_lossy(&name[..usize::try_from(n).unwrap_or(0)]);
        if chosen.trim_end_matches('\0') != FAMILY {
            return Err(GdiError {
                call: "CreateFontW",
                detail: Some(format!("{FAMILY} → {chosen}")),
            });
        }
        Ok(font)
    }

    fn text(&mut self, t: &TextRun) -> Result<(), GdiError> {
        // Runs are prepared by the layout already; again here so NFD input or a missing glyph
        // can never reach the printer as a box.
        let text = self.fonts.prepare(t.face, &t.text);
        if text.is_empty() {
            return Ok(());
        }
        let font = self.font(t.face, t.size_pt)?;
        self.select(font, "SelectObject(font)")?;
        let x0 = f64::from(t.x);
        let start = self.x(x0);
        let mut units: Vec<u16> = Vec::with_capacity(text.len());
        let mut dx: Vec<i32> = Vec::with_capacity(text.len());
        // Each glyph's position is rounded from the exact sum of the advances before it, so
        // rounding never accumulates along a line.
        let (mut sum, mut prev) = (0.0, start);
        for (c, advance) in self.fonts.advances_mm(t.face, t.size_pt, &text) {
            sum += advance;
            let next = self.x(x0 + sum);
            let mut buf = [0u16; 2];
            for (k, unit) in c.encode_utf16(&mut buf).iter().enumerate() {
                units.push(*unit);
                dx.push(if k == 0 { next - prev } else { 0 });
            }
            prev = next;
        }
        let count = u32::try_from(units.len()).unwrap_or(u32::MAX);
        // SAFETY: `units` and `dx` hold `count` elements each and outlive the call; no
        // clipping rectangle is passed.
        let drawn = unsafe {
            ExtTextOutW(
                self.hdc,
                start,
                self.y(f64::from(t.baseline)),
                0,
                std::ptr::null(),
                units.as_ptr(),
                count,
                dx.as_ptr(),
            )
        };
        if drawn == 0 {
            return Err(GdiError::last("ExtTextOutW"));
        }
        Ok(())
    }
}

impl Drop for Canvas {
    fn drop(&mut self) {
        for object in self.saved.drain(..) {
            // SAFETY: putting back objects the DC held before; failure leaves ours selected,
            // and deleting a selected object below then fails harmlessly.
            unsafe { SelectObject(self.hdc, object) };
        }
        for object in self.gdi_fonts.values().chain(self.pens.values()) {
            // SAFETY: each font and pen was created by this canvas and is deleted once.
            unsafe { DeleteObject(*object) };
        }
    }
}
