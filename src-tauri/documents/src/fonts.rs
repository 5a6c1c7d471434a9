//! The vendored Liberation Serif faces (metric-compatible with Times New Roman, which Decree
//! 30/2020/NĐ-CP asks of official documents) and text measurement.
//!
//! printpdf does no shaping or line breaking, so every width used for wrapping comes from
//! here: glyph advances over units-per-em, the same numbers printpdf writes into `/W`.

use std::sync::OnceLock;

use printpdf::ParsedFont;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::error::DocumentError;

const REGULAR: &[u8] = include_bytes!("../fonts/LiberationSerif-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/LiberationSerif-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-Italic.ttf");
const BOLD_ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf");

pub const MM_PER_PT: f32 = 25.4 / 72.0;

/// The family name inside the four files, by which GDI finds them once loaded.
pub const FAMILY: &str = "Liberation Serif";

/// Characters below this get a precomputed advance: Latin, Latin Extended and the precomposed
/// Vietnamese block (U+1EA0–U+1EF9) are all inside, so measuring never touches the cmap.
const TABLE_LIMIT: u32 = 0x2100;
const UNMAPPED: u16 = u16::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Face {
    pub const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic];

    pub fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Italic => 2,
            Face::BoldItalic => 3,
        }
    }

    pub fn is_bold(self) -> bool {
        matches!(self, Face::Bold | Face::BoldItalic)
    }

    pub fn is_italic(self) -> bool {
        matches!(self, Face::Italic | Face::BoldItalic)
    }

    fn name(self) -> &'static str {
        match self {
            Face::Regular => "LiberationSerif-Regular",
            Face::Bold => "LiberationSerif-Bold",
            Face::Italic => "LiberationSerif-Italic",
            Face::BoldItalic => "LiberationSerif-BoldItalic",
        }
    }

    /// The face's TrueType file, for renderers that hand it to the system (GDI).
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => REGULAR,
            Face::Bold => BOLD,
            Face::Italic => ITALIC,
            Face::BoldItalic => BOLD_ITALIC,
        }
    }
}

/// One parsed face with the numbers layout needs.
pub struct FaceData {
    pub parsed: ParsedFont,
    units_per_em: f32,
    /// Above the baseline, in em (hhea ascender).
    ascent: f32,
    /// Below the baseline, in em, positive (hhea descender).
    descent: f32,
    advances: Vec<u16>,
}

impl FaceData {
    fn load(face: Face) -> Result<FaceData, &'static str> {
        let parsed = ParsedFont::from_bytes(face.bytes(), 0, &mut Vec::new()).ok_or(face.name())?;
        let units_per_em = f32::from(parsed.font_metrics.units_per_em);
        if units_per_em <= 0.0 {
            return Err(face.name());
        }
        let ascent = parsed.font_metrics.ascent.abs() / units_per_em;
        let descent = parsed.font_metrics.descent.abs() / units_per_em;
        let advances = (0..TABLE_LIMIT)
            .map(|cp| match parsed.lookup_glyph_index(cp) {
                Some(gid) if gid != 0 => parsed.get_horizontal_advance(gid),
                _ => UNMAPPED,
            })
            .collect();
        Ok(FaceData {
            parsed,
            units_per_em,
            ascent,
            descent,
            advances,
        })
    }

    fn advance_units(&self, c: char) -> Option<u16> {
        let cp = u32::from(c);
        if cp < TABLE_LIMIT {
            return self
                .advances
                .get(cp as usize)
                .copied()
                .filter(|&a| a != UNMAPPED);
        }
        match self.parsed.lookup_glyph_index(cp) {
            Some(gid) if gid != 0 => Some(self.parsed.get_horizontal_advance(gid)),
            _ => None,
        }
    }

    /// The advance layout counts for `c`: its own, or that of the `?` it is set as.
    fn measured_units(&self, c: char) -> u32 {
        u32::from(
            self.advance_units(c)
                .or_else(|| self.advance_units('?'))
                .unwrap_or(0),
        )
    }

    pub fn has_glyph(&self, c: char) -> bool {
        self.advance_units(c).is_some()
    }
}

/// The four faces, parsed once per process.
pub struct Fonts {
    faces: [FaceData; 4],
}

/// The error side keeps only the face name: `DocumentError` is not `Clone`.
static FONTS: OnceLock<Result<Fonts, &'static str>> = OnceLock::new();

/// The fonts, parsed on first use (a few milliseconds) and shared afterwards.
pub fn load() -> Result<&'static Fonts, DocumentError> {
    let loaded = FONTS.get_or_init(|| {
        Ok(Fonts {
            faces: [
                FaceData::load(Face::Regular)?,
                FaceData::load(Face::Bold)?,
                FaceData::load(Face::Italic)?,
                FaceData::load(Face::BoldItalic)?,
            ],
        })
    });
    loaded.as_ref().map_err(|name| DocumentError::Font(name))
}

impl Fonts {
    pub fn face(&self, face: Face) -> &FaceData {
        &self.faces[face.index()]
    }

    /// Width of `text` set in `face` at `size_pt`, in millimetres. No kerning: printpdf
    /// places glyphs by their advances alone, so neither does this.
    pub fn width_mm(&self, face: Face, size_pt: f32, text: &str) -> f32 {
        let data = self.face(face);
        let units: u32 = text.chars().map(|c| data.measured_units(c)).sum();
        units as f32 / data.units_per_em * size_pt * MM_PER_PT
    }

    /// Each character of `text` with its advance in millimetres: the numbers `width_mm` adds
    /// up, for a renderer that places glyphs one by one where the PDF puts them.
    pub fn advances_mm<'a>(
        &'a self,
        face: Face,
        size_pt: f32,
        text: &'a str,
    ) -> impl Iterator<Item = (char, f64)> + 'a {
        let data = self.face(face);
        let scale = f64::from(size_pt) * f64::from(MM_PER_PT) / f64::from(data.units_per_em);
        text.chars()
            .map(move |c| (c, f64::from(data.measured_units(c)) * scale))
    }

    pub fn ascent_mm(&self, face: Face, size_pt: f32) -> f32 {
        self.face(face).ascent * size_pt * MM_PER_PT
    }

    pub fn descent_mm(&self, face: Face, size_pt: f32) -> f32 {
        self.face(face).descent * size_pt * MM_PER_PT
    }

    /// Text as it can be set: NFC (decomposed accents would be drawn as separate, colliding
    /// glyphs, printpdf having no shaping), control characters and line breaks as spaces, and
    /// anything the face lacks as `?` so measurement and drawing agree.
    pub fn prepare(&self, face: Face, text: &str) -> String {
        let data = self.face(face);
        text.nfc()
            .map(|c| {
                if c.is_control() || c.is_whitespace() {
                    ' '
                } else if data.has_glyph(c) {
                    c
                } else {
                    '?'
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_is_covered_in_every_face() {
        let fonts = load().unwrap();
        let sample = "Nguyễn Thị Hồng Nhung ĐĂNG KÝ Ướt ỹ ỵ ặ ẩ ờ ợ Ự";
        for face in Face::ALL {
            assert_eq!(fonts.prepare(face, sample), sample, "{face:?}");
        }
    }

    #[test]
    fn nfd_input_is_composed_before_measuring() {
        let fonts = load().unwrap();
        let nfd: String = "Nguyễn".nfd().collect();
        assert_eq!(fonts.prepare(Face::Regular, &nfd), "Nguyễn");
        let w = fonts.width_mm(Face::Regular, 12.0, "Nguyễn");
        assert!(w > 10.0 && w < 20.0, "{w}");
    }

    #[test]
    fn widths_follow_size_and_weight() {
        let fonts = load().unwrap();
        let a = fonts.width_mm(Face::Regular, 10.0, "TRUNG TÂM");
        assert!((fonts.width_mm(Face::Regular, 20.0, "TRUNG TÂM") - 2.0 * a).abs() < 1e-3);
        assert!(fonts.width_mm(Face::Bold, 10.0, "TRUNG TÂM") > a);
        // Times' 'M' is 0.889 em: at 72 pt that is 0.889 inch.
        let m = fonts.width_mm(Face::Regular, 72.0, "M");
        assert!((m - 0.889 * 25.4).abs() < 0.2, "{m}");
    }

    #[test]
    fn advances_add_up_to_the_measured_width() {
        let fonts = load().unwrap();
        let text = fonts.prepare(Face::BoldItalic, "Nguyễn Hữu Lộc \u{1F600}");
        let sum: f64 = fonts
            .advances_mm(Face::BoldItalic, 11.0, &text)
            .map(|(_, a)| a)
            .sum();
        let width = f64::from(fonts.width_mm(Face::BoldItalic, 11.0, &text));
        assert!((sum - width).abs() < 1e-4, "{sum} {width}");
        assert_eq!(
            fonts.advances_mm(Face::BoldItalic, 11.0, &text).count(),
            text.chars().count()
        );
    }

    #[test]
    fn unknown_characters_become_question_marks() {
        let fonts = load().unwrap();
        assert_eq!(fonts.prepare(Face::Regular, "a\u{1F600}b\tc\n"), "a?b c ");
    }
}
