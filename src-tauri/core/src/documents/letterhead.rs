//! The parts every slip shares (Decree 30/2020/NĐ-CP layout): the letterhead with the
//! issuing body on the left and the national motto with the dateline on the right, the line
//! above it with the form's citation, labelled lines, and the signature boxes.

use super::fonts::Face;
use super::layout::{Align, Builder, Column, Item, Para};
use crate::agency::Agency;

pub const MOTTO: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub const MOTTO_2: &str = "Độc lập - Tự do - Hạnh phúc";
pub const SIGN_HINT: &str = "(Ký và ghi rõ họ tên)";

/// The letterhead: the issuing body (governing body over unit) on the left, the motto and
/// the dateline on the right, at `size` or smaller so that the motto fits on one line.
pub fn header(b: &mut Builder, issuer: &Agency, dateline: &str, size: f32) {
    header_with(b, issuer, dateline, size, Vec::new());
}

/// An official letter's letterhead (Decree 30/2020/NĐ-CP): under the issuing body, its
/// number and symbol ("Số: 12/XLGH") and the subject line ("V/v …") in smaller type.
pub fn letter_header(
    b: &mut Builder,
    issuer: &Agency,
    dateline: &str,
    size: f32,
    number: &str,
    subject: &str,
) {
    let below = vec![
        Item::Para(
            Para::new(size)
                .center()
                .span(Face::Regular, number.trim())
                .after(1.0),
        ),
        Item::Para(
            Para::new(size - 1.0)
                .center()
                .balanced()
                .span(Face::Regular, subject.trim()),
        ),
    ];
    header_with(b, issuer, dateline, size, below);
}

fn header_with(b: &mut Builder, issuer: &Agency, dateline: &str, size: f32, below: Vec<Item>) {
    let fw = b.frame().w;
    let mut size = size;
    while size > 8.0 && b.text_width(Face::Bold, size, MOTTO) > fw * 0.6 - 2.0 {
        size -= 0.5;
    }
    let right_w =
        ((b.text_width(Face::Bold, size, MOTTO)
            .max(b.text_width(Face::Italic, size, dateline))
            + 4.0)
            / fw)
            .clamp(0.5, 0.62);
    let left_w = 1.0 - right_w - 0.02;
    let motto2_w = b.text_width(Face::Bold, size, MOTTO_2);
    let left: Vec<Item> = [
        Item::Para(
            Para::new(size)
                .center()
                .balanced()
                .span(Face::Bold, issuer.governing_body.trim()),
        ),
        Item::Para(
            Para::new(size)
                .center()
                .balanced()
                .span(Face::Bold, issuer.unit.trim()),
        ),
        Item::Rule {
            width: (left_w * fw / 3.0).min(30.0),
            thickness: 0.3,
            space: 1.8,
        },
    ]
    .into_iter()
    .chain(below)
    .collect();
    let right = vec![
        Item::Para(Para::new(size).center().span(Face::Bold, MOTTO)),
        Item::Para(Para::new(size).center().span(Face::Bold, MOTTO_2)),
        Item::Rule {
            width: motto2_w,
            thickness: 0.3,
            space: 1.8,
        },
        Item::Para(
            Para::new(size)
                .center()
                .balanced()
                .span(Face::Italic, dateline),
        ),
    ];
    b.columns(&[
        Column {
            left: 0.0,
            width: left_w,
            items: left,
        },
        Column {
            left: 1.0 - right_w,
            width: right_w,
            items: right,
        },
    ]);
}

/// A notice in bold on the left (e.g. "In lại lần 2") and the form's citation in small type
/// on the right, above the letterhead.
pub fn top_line(b: &mut Builder, notice: &str, citation: &str, body: f32, small: f32) {
    let (notice, citation) = (notice.trim(), citation.trim());
    if notice.is_empty() && citation.is_empty() {
        return;
    }
    b.columns(&[
        Column {
            left: 0.0,
            width: 0.5,
            items: vec![Item::Para(Para::new(body).span(Face::Bold, notice))],
        },
        Column {
            left: 0.5,
            width: 0.5,
            items: vec![Item::Para(
                Para::new(small)
                    .align(Align::Right)
                    .span(Face::Regular, citation),
            )],
        },
    ]);
    b.space(0.5);
}

/// "Label: value" with the value in `face`, and `gap` mm after it.
pub fn labelled(size: f32, gap: f32, label: &str, value: &str, value_face: Face) -> Para {
    Para::new(size)
        .span(Face::Regular, label)
        .span(value_face, value)
        .after(gap)
}

/// Short lines side by side when the paper is wide enough for all of them on one line, each
/// on its own line otherwise: never wrapped into one another.
pub fn lines_or_one(b: &mut Builder, size: f32, gap: f32, parts: Vec<Para>) {
    let parts: Vec<Para> = parts
        .into_iter()
        .filter(|p| p.spans.iter().any(|s| !s.text.trim().is_empty()))
        .collect();
    let sep = "     ";
    let mut joined = Para::new(size).after(gap);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            joined = joined.span(Face::Regular, sep);
        }
        joined.spans.extend(p.spans.iter().cloned());
    }
    if parts.len() > 1 && b.natural_width(&joined) <= b.band_width(joined.line_height()) {
        b.paragraph(&joined);
    } else {
        for p in &parts {
            b.paragraph(p);
        }
    }
}

/// One signature box: its heading, the hint under it, and the signer's name once signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signer<'a> {
    pub title: &'a str,
    pub hint: &'a str,
    pub name: &'a str,
}

impl<'a> Signer<'a> {
    pub fn new(title: &'a str) -> Signer<'a> {
        Signer {
            title,
            hint: SIGN_HINT,
            name: "",
        }
    }

    pub fn hint(self, hint: &'a str) -> Signer<'a> {
        Signer { hint, ..self }
    }

    pub fn name(self, name: &'a str) -> Signer<'a> {
        Signer { name, ..self }
    }
}

/// Signature boxes side by side, `space` mm left for the signatures. A single signer signs
/// on the right half, as official letters do.
pub fn signatures(b: &mut Builder, signers: &[Signer], size: f32, space: f32) {
    let n = signers.len().max(1) as f32;
    let (first, width) = if signers.len() == 1 {
        (0.5, 0.5)
    } else {
        (0.0, 1.0 / n)
    };
    let columns: Vec<Column> = signers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut items = vec![
                Item::Para(
                    Para::new(size)
                        .center()
                        .balanced()
                        .span(Face::Bold, s.title),
                ),
                Item::Para(Para::new(size).center().span(Face::Italic, s.hint)),
                Item::Space(space),
            ];
            if !s.name.trim().is_empty() {
                items.push(Item::Para(
                    Para::new(size).center().span(Face::Bold, s.name.trim()),
                ));
            }
            Column {
                left: first + i as f32 * width,
                width,
                items,
            }
        })
        .collect();
    b.columns(&columns);
}
