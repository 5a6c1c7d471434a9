//! The display list as a PDF (printpdf 0.12): fonts embedded as subsets, text positioned run by
//! run exactly where layout measured it, fills and strokes in black.

use printpdf::{
    Color, FontId, Greyscale, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};
use unicode_normalization::UnicodeNormalization;

use super::error::DocumentError;
use super::fonts::{self, Face};
use super::layout::{Element, Layout, Page};

/// Millimetres to points, rounded to 1/100 pt (3.5 µm): content streams shrink by a third and
/// nothing printable moves.
fn pt(mm: f32) -> Pt {
    let p: Pt = Mm(mm).into();
    round(p.0)
}

fn round(points: f32) -> Pt {
    Pt((points * 100.0).round() / 100.0)
}

fn black() -> Color {
    Color::Greyscale(Greyscale {
        percent: 0.0,
        icc_profile: None,
    })
}

/// Renders every page of `layout`. `title` becomes the document title shown by PDF viewers.
pub fn layout_pdf(layout: &Layout, title: &str) -> Result<Vec<u8>, DocumentError> {
    if layout.pages.is_empty() {
        return Err(DocumentError::EmptyLayout);
    }
    let fonts = fonts::load()?;
    let title: String = title.nfc().collect();
    let mut doc = PdfDocument::new(&title);
    #[allow(clippy::disallowed_methods)]
    let now = chrono::Utc::now().timestamp();
    if let Ok(date) = printpdf::OffsetDateTime::from_unix_timestamp(now) {
        doc.metadata.info.creation_date = date;
        doc.metadata.info.modification_date = date;
        doc.metadata.info.metadata_date = date;
    }
    doc.metadata.info.creator = "Một Cửa".to_string();
    doc.metadata.info.producer = "Một Cửa".to_string();

    // Only the faces a page actually uses are added, so only those are embedded.
    let mut ids: [Option<FontId>; 4] = Default::default();
    for face in Face::ALL {
        let used = layout
            .pages
            .iter()
            .flat_map(|p| p.text_runs())
            .any(|t| t.face == face);
        if used {
            ids[face.index()] = Some(doc.add_font(&fonts.face(face).parsed));
        }
    }

    let pages = layout.pages.iter().map(|p| page_ops(p, &ids)).collect();
    let opts = PdfSaveOptions {
        subset_fonts: true,
        optimize: true,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    Ok(doc.with_pages(pages).save(&opts, &mut warnings))
}

fn page_ops(page: &Page, ids: &[Option<FontId>; 4]) -> PdfPage {
    let h = page.height;
    let mut ops = vec![
        Op::SetFillColor { col: black() },
        Op::SetOutlineColor { col: black() },
    ];

    for e in &page.elements {
        if let Element::Fill(b) = e {
            // Round the edges, not the sizes: touching modules keep touching exactly.
            let (x0, x1) = (pt(b.x), pt(b.right()));
            let (y0, y1) = (pt(h - b.bottom()), pt(h - b.y));
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    mode: Some(PaintMode::Fill),
                    ..Rect::from_xywh(x0, y0, round(x1.0 - x0.0), round(y1.0 - y0.0))
                },
            });
        }
    }

    let mut stroke_state: Option<(f32, Option<(f32, f32)>)> = None;
    for e in &page.elements {
        if let Element::Line(l) = e {
            if stroke_state != Some((l.thickness, l.dash)) {
                ops.push(Op::SetOutlineThickness {
                    pt: pt(l.thickness),
                });
                let dash = match l.dash {
                    Some((on, off)) => LineDashPattern::new(0.0, &[pt(on).0, pt(off).0]),
                    None => LineDashPattern::solid(),
                };
                ops.push(Op::SetLineDashPattern { dash });
                stroke_state = Some((l.thickness, l.dash));
            }
            let point = |x: f32, y: f32| LinePoint {
                p: Point {
                    x: pt(x),
                    y: pt(h - y),
                },
                bezier: false,
            };
            ops.push(Op::DrawLine {
                line: Line {
                    points: vec![point(l.x1, l.y1), point(l.x2, l.y2)],
                    is_closed: false,
                },
            });
        }
    }

    let mut in_text = false;
    let mut font_state: Option<(Face, f32)> = None;
    for e in &page.elements {
        let Element::Text(t) = e else { continue };
        let Some(id) = ids[t.face.index()].clone() else {
            continue;
        };
        if !in_text {
            ops.push(Op::StartTextSection);
            in_text = true;
        }
        if font_state != Some((t.face, t.size_pt)) {
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(id),
                size: Pt(t.size_pt),
            });
            font_state = Some((t.face, t.size_pt));
        }
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(pt(t.x), pt(h - t.baseline)),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(t.text.clone())],
        });
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    PdfPage::new(Mm(page.width), Mm(h), ops)
}
