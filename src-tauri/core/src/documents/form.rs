//! The frame of the A4 papers after the receipt (Mẫu 02–06, the hand-over list, Biểu 06):
//! paper and margins (Decree 30/2020/NĐ-CP), type sizes, the opening (citation, letterhead,
//! title, dossier code), the applicant's lines and page numbers.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::fonts::{Face, Fonts};
use super::layout::{Builder, Layout, Margins, Para};
use super::letterhead::{header, labelled, lines_or_one, signatures, top_line, Signer};
use super::wording::dateline;
use crate::agency::Agency;
use crate::dossier::Dossier;

/// What every form prints besides its own content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormOptions {
    /// e.g. "Mẫu số 02 – Thông tư 01/2018/TT-VPCP"; empty for papers no circular numbers.
    pub citation: String,
    /// The title as the form set words it.
    pub title: String,
    /// When it is issued: the dateline under the motto.
    #[serde(with = "crate::vntime::serde_vn")]
    pub issued_at: DateTime<Utc>,
}

pub const BODY: f32 = 12.0;
pub const HEADER: f32 = 12.0;
pub const TITLE: f32 = 14.0;
pub const SMALL: f32 = 9.0;
pub const GAP: f32 = 1.2;
pub const SIGN_SPACE: f32 = 22.0;
/// Table text of the portrait forms.
pub const CELL: f32 = 11.0;
/// Room at the foot of every page for its number.
pub const FOOTER: f32 = 6.0;

/// Portrait A4 with the decree's margins (top and bottom 20, left 30, right 15 mm).
pub fn portrait(fonts: &Fonts) -> Builder<'_> {
    let mut b = Builder::new(fonts, 210.0, 297.0, Margins::new(20.0, 15.0, 20.0, 30.0));
    b.reserve_footer(FOOTER);
    b
}

/// Landscape A4 for the wide tables (register book, statistics).
pub fn landscape(fonts: &Fonts) -> Builder<'_> {
    let mut b = Builder::new(fonts, 297.0, 210.0, Margins::new(15.0, 12.0, 12.0, 20.0));
    b.reserve_footer(FOOTER);
    b
}

/// The citation line, the letterhead, the title and (for a dossier's forms) its code; later
/// pages start with the title and code marked "(tiếp theo)".
pub fn opening(
    b: &mut Builder,
    issuer: &Agency,
    opts: &FormOptions,
    code: Option<&str>,
    header_size: f32,
) {
    let continued = match code {
        Some(code) => format!("Mã hồ sơ: {} (tiếp theo)", code.trim()),
        None => format!("{} (tiếp theo)", opts.title.trim()),
    };
    b.set_continuation(vec![Para::new(BODY - 1.0)
        .center()
        .span(Face::Bold, continued)
        .after(2.0)]);
    top_line(b, "", &opts.citation, BODY, SMALL);
    header(
        b,
        issuer,
        &dateline(&issuer.place, opts.issued_at),
        header_size,
    );
    b.space(6.0);
    b.paragraph(
        &Para::new(TITLE)
            .center()
            .balanced()
            .span(Face::Bold, opts.title.trim())
            .after(1.0),
    );
    if let Some(code) = code {
        b.paragraph(
            &Para::new(BODY)
                .center()
                .span(Face::Regular, "Mã hồ sơ: ")
                .span(Face::Bold, code.trim()),
        );
    }
    b.space(5.0);
}

/// The PDF's own title: the form's title in sentence case, then the dossier code.
pub fn pdf_title(opts: &FormOptions, code: &str) -> String {
    let lower = opts.title.trim().to_lowercase();
    let mut chars = lower.chars();
    let sentence: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    format!("{sentence} {}", code.trim())
}

/// The centred italic line under a title (period, list number, what the slip goes with).
pub fn subtitle(text: impl Into<String>) -> Para {
    Para::new(BODY).center().span(Face::Italic, text).after(3.0)
}

/// "Label: value" in the forms' body type.
pub fn field(label: &str, value: &str) -> Para {
    labelled(BODY, GAP, label, value, Face::Regular)
}

/// What a label is followed by when the value is written in by hand.
pub const BLANK: &str = "............................................................";

/// "Label: value" lines; an empty value leaves a dotted line to fill in by hand.
pub fn labelled_lines(b: &mut Builder, lines: &[(&str, &str)]) {
    for (label, value) in lines {
        let value = match value.trim() {
            "" => BLANK,
            v => v,
        };
        b.paragraph(&field(label, value));
    }
}

/// A paragraph of running text, justified left, with the forms' spacing.
pub fn text(s: &str) -> Para {
    Para::new(BODY).span(Face::Regular, s).after(GAP)
}

/// How a slip written to the citizen opens: "Kính gửi: Ông/Bà <name>", when and by whom the
/// dossier was received, and what it asks for.
pub fn to_the_citizen(b: &mut Builder, d: &Dossier) {
    b.paragraph(
        &Para::new(BODY)
            .center()
            .span(Face::Regular, "Kính gửi: Ông/Bà ")
            .span(Face::Bold, d.applicant.name.trim())
            .after(3.0),
    );
    b.paragraph(&text(&format!(
        "Vào {}, {} tiếp nhận hồ sơ của Ông/Bà, mã hồ sơ {}.",
        super::wording::time_words(d.received_at),
        d.issuer.unit.trim(),
        d.code.trim()
    )));
    b.paragraph(&field(
        "Nội dung yêu cầu giải quyết: ",
        d.procedure.name.trim(),
    ));
}

/// The applicant as the forms name them: "<intro> name", ID, address, phone and e-mail,
/// then what they asked for.
pub fn applicant(b: &mut Builder, d: &Dossier, intro: &str) {
    let a = &d.applicant;
    let mut who = vec![labelled(BODY, GAP, intro, a.name.trim(), Face::Bold)];
    if !a.id_number.trim().is_empty() {
        who.push(
            Para::new(BODY)
                .span(Face::Regular, "Số định danh cá nhân/Hộ chiếu: ")
                .kept(Face::Regular, a.id_number.trim())
                .after(GAP),
        );
    }
    lines_or_one(b, BODY, GAP, who);
    if !a.address.trim().is_empty() {
        b.paragraph(&field("Địa chỉ: ", a.address.trim()));
    }
    let contact: Vec<Para> = [("Số điện thoại: ", &a.phone), ("Email: ", &a.email)]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(label, v)| {
            Para::new(BODY)
                .span(Face::Regular, label)
                .kept(Face::Regular, v.trim())
                .after(GAP)
        })
        .collect();
    lines_or_one(b, BODY, GAP, contact);
    b.paragraph(&labelled(
        BODY,
        GAP,
        "Nội dung yêu cầu giải quyết: ",
        d.procedure.name.trim(),
        Face::Bold,
    ));
}

/// The closing paragraphs and the signature boxes, kept on one page: a signature never
/// stands alone at the top of a page.
pub fn closing(b: &mut Builder, paras: &[Para], signers: &[Signer]) {
    let w = b.frame().w;
    let text_h: f32 = paras.iter().map(|p| b.measure(p, w)).sum();
    let line = Para::new(BODY).line_height();
    let named = signers.iter().any(|s| !s.name.trim().is_empty());
    // Heading (up to two lines), hint, the space to sign, the name.
    let sign_h = 3.0 * line + SIGN_SPACE + if named { line } else { 0.0 };
    b.ensure(text_h + sign_h);
    for p in paras {
        b.paragraph(p);
    }
    signatures(b, signers, BODY, SIGN_SPACE);
}

/// The pages numbered "Trang 1/3" when there is more than one.
pub fn finish_layout(mut b: Builder) -> Layout {
    if b.page_count() > 1 {
        b.number_pages(SMALL, |n, total| format!("Trang {n}/{total}"));
    }
    b.finish()
}
