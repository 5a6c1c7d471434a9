//! A page of the display list as a standalone SVG, for the desk's on-screen preview.
//!
//! Text carries `textLength` with the width measured from the embedded font, so a preview
//! drawn with a substitute serif (Times New Roman on Windows, whatever the webview has) keeps
//! every line exactly where the PDF puts it.

use std::fmt::Write;

use crate::fonts::MM_PER_PT;
use crate::layout::{Element, Layout};

const FONT_FAMILY: &str = "'Liberation Serif', 'Times New Roman', Tinos, serif";

/// Page `page` (0-based) as an SVG document sized in millimetres; an empty SVG if there is no
/// such page.
pub fn layout_svg(layout: &Layout, page: usize) -> String {
    let Some(p) = layout.pages.get(page) else {
        return r#"<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>"#.to_string();
    };
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}">"#,
        w = num(p.width),
        h = num(p.height),
    );
    let _ = write!(
        out,
        r##"<rect x="0" y="0" width="{}" height="{}" fill="#fff"/>"##,
        num(p.width),
        num(p.height)
    );

    // All filled boxes as one path: thousands of QR rectangles stay one DOM node.
    let mut path = String::new();
    for e in &p.elements {
        if let Element::Fill(b) = e {
            let _ = write!(
                path,
                "M{} {}h{}v{}h{}z",
                num(b.x),
                num(b.y),
                num(b.w),
                num(b.h),
                num(-b.w)
            );
        }
    }
    if !path.is_empty() {
        let _ = write!(
            out,
            r##"<path fill="#000" shape-rendering="crispEdges" d="{path}"/>"##
        );
    }

    for e in &p.elements {
        match e {
            Element::Line(l) => {
                let dash = match l.dash {
                    Some((on, off)) => format!(r#" stroke-dasharray="{} {}""#, num(on), num(off)),
                    None => String::new(),
                };
                let _ = write!(
                    out,
                    r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#000" stroke-width="{}"{dash}/>"##,
                    num(l.x1),
                    num(l.y1),
                    num(l.x2),
                    num(l.y2),
                    num(l.thickness),
                );
            }
            Element::Text(t) => {
                let weight = if t.face.is_bold() {
                    r#" font-weight="bold""#
                } else {
                    ""
                };
                let style = if t.face.is_italic() {
                    r#" font-style="italic""#
                } else {
                    ""
                };
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" font-size="{}" textLength="{}" lengthAdjust="spacingAndGlyphs" xml:space="preserve"{weight}{style}>{}</text>"#,
                    num(t.x),
                    num(t.baseline),
                    num(t.size_pt * MM_PER_PT),
                    num(t.width),
                    escape(&t.text),
                );
            }
            Element::Fill(_) => {}
        }
    }
    out.push_str("</svg>");
    out
}

/// Millimetres to three decimals without trailing zeros: a micron is far below what prints.
fn num(v: f32) -> String {
    let s = format!("{:.3}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(3.0), "3");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(0.12345), "0.123");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape(r#"<a & "b">"#), "&lt;a &amp; &quot;b&quot;&gt;");
    }

    #[test]
    fn missing_page_is_an_empty_svg() {
        assert!(layout_svg(&Layout::default(), 3).starts_with("<svg"));
    }
}
