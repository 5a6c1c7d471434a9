//! Mẫu 01 (Thông tư 01/2018/TT-VPCP): "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", on A4 (both
//! copies on one sheet when they fit), A5 (a sheet per copy) or 80 mm thermal roll (the
//! citizen's essentials only).

use std::str::FromStr;

use chrono::{DateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

use super::error::DocumentError;
use super::fonts::{self, Face, Fonts};
use super::layout::{Align, Builder, Layout, Margins, Para, Table, TableColumn};
use super::layout_pdf;
use super::letterhead::{header, labelled, lines_or_one, signatures, top_line, Signer};
use super::qr::{Barcode, EcLevel, QrSymbol, QuietSides, BARCODE_QUIET_MODULES, QR_QUIET_MODULES};
use super::wording::{dateline, short_date, time_words, vnd, FROM_DATA};
use crate::calendar::TimeLimit;
use crate::dossier::{Dossier, ReturnMethod};
use crate::vntime::to_vn;

pub const TITLE: &str = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ";
const ROLL_TITLE: &str = "GIẤY TIẾP NHẬN HỒ SƠ";
/// The ID number's label since Luật Căn cước 2023 (in force 01/7/2024).
const ID_LABEL: &str = "Số định danh cá nhân/Hộ chiếu: ";
/// The office's line when its label is its own name.
const OFFICE_LINE: &str = "Cơ quan tiếp nhận: ";
const AUTHORITY_LINE: &str = "Cơ quan có thẩm quyền giải quyết: ";
const BRING_NOTE: &str = "Ông/bà vui lòng mang theo giấy này khi đến nhận kết quả.";
/// A result sent by post is not collected: the slip is kept to look the dossier up.
const POST_NOTE: &str =
    "Kết quả được gửi qua dịch vụ bưu chính đến địa chỉ đã đăng ký; ông/bà giữ giấy này để tra cứu hồ sơ.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Paper {
    #[serde(rename = "a4")]
    A4,
    #[default]
    #[serde(rename = "a5")]
    A5,
    #[serde(rename = "80mm")]
    Roll80,
}

impl Paper {
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::A5 => "a5",
            Paper::Roll80 => "80mm",
        }
    }
}

impl FromStr for Paper {
    type Err = DocumentError;

    fn from_str(s: &str) -> Result<Paper, DocumentError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "a5" => Ok(Paper::A5),
            "80mm" => Ok(Paper::Roll80),
            _ => Err(DocumentError::Paper(s.to_string())),
        }
    }
}

impl std::fmt::Display for Paper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A second or later print of the same receipt: said on the paper so two originals are told
/// apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reprint {
    pub number: u32,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptOptions {
    pub paper: Paper,
    /// What the QR code encodes (see `crate::slip::payload`): ASCII, nothing personal.
    pub qr_payload: String,
    /// e.g. "Tra cứu: quét mã QR hoặc dichvucong.gov.vn".
    pub lookup_hint: String,
    pub reprint: Option<Reprint>,
    /// e.g. "Mẫu số 01 – Thông tư 01/2018/TT-VPCP".
    pub form_citation: String,
    /// The receiving office as it names itself (`documents::office_label`).
    pub office_label: String,
}

/// The receipt's display list: what `receipt_pdf` prints and the preview shows.
pub fn receipt_layout(d: &Dossier, opts: &ReceiptOptions) -> Result<Layout, DocumentError> {
    let fonts = fonts::load()?;
    match opts.paper {
        Paper::A4 => {
            let ctx = Ctx::new(d, opts, EcLevel::M)?;
            Ok(a4(fonts, &ctx))
        }
        Paper::A5 => {
            let ctx = Ctx::new(d, opts, EcLevel::M)?;
            Ok(a5(fonts, &ctx))
        }
        // Thermal prints smudge and fade: the QR gets more error correction there.
        Paper::Roll80 => {
            let ctx = Ctx::new(d, opts, EcLevel::Q)?;
            Ok(roll(fonts, &ctx))
        }
    }
}

pub fn receipt_pdf(d: &Dossier, opts: &ReceiptOptions) -> Result<Vec<u8>, DocumentError> {
    let layout = receipt_layout(d, opts)?;
    layout_pdf(&layout, &receipt_title(d))
}

/// The receipt PDF's document title.
pub fn receipt_title(d: &Dossier) -> String {
    format!("Giấy tiếp nhận hồ sơ {}", d.code)
}

/// Which of the two copies (liên).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lien {
    Kept,
    Citizen,
}

impl Lien {
    fn label(self) -> &'static str {
        match self {
            Lien::Kept => "(Liên 1: Lưu)",
            Lien::Citizen => "(Liên 2: Giao khách hàng)",
        }
    }
}

/// Type sizes and spacing of one paper format.
#[derive(Debug, Clone, Copy)]
struct Style {
    body: f32,
    header: f32,
    title: f32,
    small: f32,
    /// Extra space after each body line.
    gap: f32,
    /// Space left under the signature headings for the signatures themselves.
    sign_space: f32,
    /// Space between blocks (header, title, signatures).
    block_gap: f32,
    qr_min: f32,
    bar_module: f32,
    bar_h: f32,
}

const A4_TWO_UP: Style = Style {
    body: 9.5,
    header: 9.5,
    title: 12.0,
    small: 7.0,
    gap: 0.0,
    sign_space: 11.0,
    block_gap: 1.0,
    qr_min: 22.0,
    bar_module: 0.35,
    bar_h: 6.5,
};

const A4_FULL: Style = Style {
    body: 12.0,
    header: 12.0,
    title: 14.0,
    small: 8.5,
    gap: 0.8,
    sign_space: 24.0,
    block_gap: 2.5,
    qr_min: 25.0,
    bar_module: 0.38,
    bar_h: 10.0,
};

const A5_STYLE: Style = Style {
    body: 10.0,
    header: 9.0,
    title: 12.0,
    small: 7.0,
    gap: 0.2,
    sign_space: 16.0,
    block_gap: 1.5,
    qr_min: 22.0,
    bar_module: 0.35,
    bar_h: 7.0,
};

const ROLL_STYLE: Style = Style {
    body: 9.0,
    header: 9.0,
    title: 11.0,
    small: 7.5,
    gap: 0.3,
    sign_space: 0.0,
    block_gap: 1.0,
    qr_min: 30.0,
    bar_module: 0.3,
    bar_h: 0.0,
};

/// Everything a copy prints, computed once.
struct Ctx<'a> {
    d: &'a Dossier,
    opts: &'a ReceiptOptions,
    qr: QrSymbol,
    barcode: Barcode,
    header_date: String,
    received: String,
    due: String,
    limit: String,
    return_place: String,
    /// The closing line, as the result comes back: at the desk or by post.
    closing: &'static str,
    fee: Option<String>,
    reprint: Option<String>,
}

impl<'a> Ctx<'a> {
    fn new(
        d: &'a Dossier,
        opts: &'a ReceiptOptions,
        ec: EcLevel,
    ) -> Result<Ctx<'a>, DocumentError> {
        let header_date = dateline(&d.issuer.place, d.received_at);
        let limit = match d.procedure.limit {
            TimeLimit::WorkingDays { days } => format!("{days} ngày làm việc"),
            TimeLimit::CalendarDays { days } => format!("{days} ngày"),
            TimeLimit::SameDay { .. } => "trong ngày".to_string(),
        };
        let return_place = match &d.return_method {
            ReturnMethod::Desk => opts.office_label.trim().to_string(),
            ReturnMethod::Post(p) => {
                let parts: Vec<&str> =
                    [p.address.as_str(), p.commune.as_str(), p.province.as_str()]
                        .into_iter()
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .collect();
                let recipient = p.recipient.trim();
                let address = parts.join(", ");
                match (recipient.is_empty(), address.is_empty()) {
                    (true, _) => format!("{address} (qua dịch vụ bưu chính công ích)"),
                    (false, true) => format!("{recipient} (qua dịch vụ bưu chính công ích)"),
                    (false, false) => {
                        format!("{recipient}, {address} (qua dịch vụ bưu chính công ích)")
                    }
                }
            }
        };
        let fee_text = d.fee_text.trim();
        let fee = match (d.fee_vnd, fee_text.is_empty()) {
            (Some(v), true) => Some(vnd(v)),
            (Some(v), false) => Some(format!("{} ({fee_text})", vnd(v))),
            (None, false) => Some(fee_text.to_string()),
            (None, true) => None,
        };
        let reprint = opts.reprint.map(|r| {
            let t = to_vn(r.at);
            format!(
                "In lại lần {} – {:02}:{:02} {}",
                r.number,
                t.hour(),
                t.minute(),
                short_date(r.at)
            )
        });
        Ok(Ctx {
            d,
            opts,
            qr: QrSymbol::new(&opts.qr_payload, ec)?,
            barcode: Barcode::code128(d.code.trim())?,
            header_date,
            received: time_words(d.received_at),
            due: time_words(d.due_at),
            limit,
            return_place,
            closing: match d.return_method {
                ReturnMethod::Desk => BRING_NOTE,
                ReturnMethod::Post(_) => POST_NOTE,
            },
            fee,
            reprint,
        })
    }
}

fn line(style: &Style, label: &str, value: &str, value_face: Face) -> Para {
    labelled(style.body, style.gap, label, value, value_face)
}

fn title_paras(ctx: &Ctx, style: &Style, copy: Lien) -> Vec<Para> {
    vec![
        Para::new(style.title)
            .center()
            .span(Face::Bold, TITLE)
            .after(0.5),
        Para::new(style.body)
            .center()
            .span(Face::Regular, "Mã hồ sơ: ")
            .span(Face::Bold, ctx.d.code.trim()),
        Para::new(style.body)
            .center()
            .span(Face::Italic, copy.label()),
    ]
}

/// One copy of the full form, from the top of the current frame.
fn copy(b: &mut Builder, ctx: &Ctx, style: &Style, which: Lien) {
    let d = ctx.d;
    b.set_continuation(vec![
        Para::new(style.body).center().span(
            Face::Bold,
            format!("Mã hồ sơ: {} (tiếp theo)", d.code.trim()),
        ),
        Para::new(style.small)
            .center()
            .span(Face::Italic, which.label())
            .after(1.5),
    ]);
    top_line(
        b,
        ctx.reprint.as_deref().unwrap_or_default(),
        &ctx.opts.form_citation,
        style.body,
        style.small,
    );
    header(b, &d.issuer, &ctx.header_date, style.header);
    b.space(style.block_gap);

    let titles = title_paras(ctx, style, which);
    let title_w = b.text_width(Face::Bold, style.title, TITLE);
    let fw = b.frame().w;
    let module = ctx.qr.module_for(style.qr_min);
    let qr_w = (ctx.qr.modules() + QR_QUIET_MODULES) as f32 * module;
    // A long agency code makes a long barcode: narrow its modules rather than overflow.
    let bar_units = (ctx.barcode.modules() + BARCODE_QUIET_MODULES) as f32;
    let bar_module = style.bar_module.min(fw / bar_units);
    let bar_w = bar_units * bar_module;
    let caption = style.small + 0.5;
    let code = d.code.trim();
    if (fw - title_w) / 2.0 >= qr_w + 2.0 {
        // Wide paper: the QR code sits beside the title, the barcode under it.
        b.qr_float(&ctx.qr, module, QuietSides::AgainstRightMargin);
        for p in &titles {
            b.paragraph(p);
        }
        b.space(1.0);
        b.barcode_block(
            &ctx.barcode,
            bar_module,
            style.bar_h,
            code,
            caption,
            Align::Left,
        );
    } else if bar_w + qr_w + 2.0 <= fw {
        for p in &titles {
            b.paragraph(p);
        }
        b.space(1.0);
        b.qr_float(&ctx.qr, module, QuietSides::AgainstRightMargin);
        b.barcode_block(
            &ctx.barcode,
            bar_module,
            style.bar_h,
            code,
            caption,
            Align::Left,
        );
    } else {
        // Too narrow for both side by side: the barcode gets its own row, the QR code floats
        // beside the first lines of the body.
        for p in &titles {
            b.paragraph(p);
        }
        b.space(1.0);
        b.barcode_block(
            &ctx.barcode,
            bar_module,
            style.bar_h,
            code,
            caption,
            Align::Center,
        );
        b.space(0.5);
        b.qr_float(&ctx.qr, module, QuietSides::AgainstRightMargin);
    }
    b.space(1.5);

    let a = &d.applicant;
    let (label, unit) = (ctx.opts.office_label.trim(), d.issuer.unit.trim());
    let office = if label == unit || label.is_empty() {
        OFFICE_LINE.to_string()
    } else {
        format!("{label}: ")
    };
    b.paragraph(&line(style, &office, unit, Face::Regular));
    // The ID number shares the name's line when it fits, as desks write it by hand.
    let mut who = vec![line(
        style,
        "Tiếp nhận hồ sơ của: ",
        a.name.trim(),
        Face::Bold,
    )];
    if !a.id_number.trim().is_empty() {
        who.push(
            Para::new(style.body)
                .span(Face::Regular, ID_LABEL)
                .kept(Face::Regular, a.id_number.trim())
                .after(style.gap),
        );
    }
    lines_or_one(b, style.body, style.gap, who);
    if !a.address.trim().is_empty() {
        b.paragraph(&line(style, "Địa chỉ: ", a.address.trim(), Face::Regular));
    }
    let (phone, email) = (a.phone.trim(), a.email.trim());
    if !phone.is_empty() || !email.is_empty() {
        let mut p = Para::new(style.body).after(style.gap);
        if !phone.is_empty() {
            p = p
                .span(Face::Regular, "Số điện thoại: ")
                .kept(Face::Regular, phone);
        }
        if !phone.is_empty() && !email.is_empty() {
            p = p.span(Face::Regular, "   ");
        }
        if !email.is_empty() {
            p = p.span(Face::Regular, "Email: ").span(Face::Regular, email);
        }
        b.paragraph(&p);
    }
    if let Some(s) = &d.submitter {
        let mut p = Para::new(style.body)
            .span(Face::Regular, "Người nộp thay: ")
            .span(Face::Regular, s.name.trim());
        if !s.id_number.trim().is_empty() {
            p = p
                .span(Face::Regular, ", ")
                .span(Face::Regular, ID_LABEL)
                .kept(Face::Regular, s.id_number.trim());
        }
        if !s.phone.trim().is_empty() {
            p = p
                .span(Face::Regular, ", Số điện thoại: ")
                .kept(Face::Regular, s.phone.trim());
        }
        b.paragraph(&p.after(style.gap));
    }
    b.paragraph(&line(
        style,
        "Nội dung yêu cầu giải quyết: ",
        d.procedure.name.trim(),
        Face::Bold,
    ));
    if !d.authority.trim().is_empty() {
        b.paragraph(&line(
            style,
            AUTHORITY_LINE,
            d.authority.trim(),
            Face::Regular,
        ));
    }

    let heading = Para::new(style.body)
        .span(Face::Regular, "1. Thành phần hồ sơ nộp gồm:")
        .after(0.8);
    if d.documents.is_empty() {
        b.paragraph(&heading.span(Face::Regular, " (không có)"));
    } else {
        // Keep the heading with the table's header row and first line.
        let row = style.body * 1.2 * fonts::MM_PER_PT + 1.0;
        b.clear();
        b.ensure(heading.line_height() + heading.space_after + 2.0 * row);
        b.paragraph(&heading);
        let count = |n: u32| n.to_string();
        // A document taken from data is neither an original nor a copy: its count
        // columns say where it came from, and get room for the words.
        let from_data = d.documents.iter().any(|doc| doc.from_data);
        let (name_w, count_w) = if from_data {
            (0.55, 0.19)
        } else {
            (0.69, 0.12)
        };
        b.table(&Table {
            columns: vec![
                TableColumn {
                    title: "STT".into(),
                    weight: 0.07,
                    align: Align::Center,
                },
                TableColumn {
                    title: "Tên giấy tờ".into(),
                    weight: name_w,
                    align: Align::Left,
                },
                TableColumn {
                    title: "Bản chính".into(),
                    weight: count_w,
                    align: Align::Center,
                },
                TableColumn {
                    title: "Bản sao".into(),
                    weight: count_w,
                    align: Align::Center,
                },
            ],
            rows: d
                .documents
                .iter()
                .enumerate()
                .map(|(i, doc)| {
                    let (originals, copies) = if doc.from_data {
                        (FROM_DATA.to_string(), FROM_DATA.to_string())
                    } else {
                        (count(doc.originals), count(doc.copies))
                    };
                    vec![
                        (i + 1).to_string(),
                        doc.name.trim().to_string(),
                        originals,
                        copies,
                    ]
                })
                .collect(),
            size: style.body - 0.5,
            leading: 1.15,
            rule: 0.2,
            groups: Vec::new(),
            bold_rows: Vec::new(),
        });
        b.space(1.0 + style.gap);
    }
    lines_or_one(
        b,
        style.body,
        style.gap,
        vec![
            line(
                style,
                "2. Số lượng hồ sơ: ",
                &format!("{} (bộ)", d.sets),
                Face::Regular,
            ),
            line(
                style,
                "3. Thời gian giải quyết hồ sơ theo quy định là: ",
                &ctx.limit,
                Face::Regular,
            ),
        ],
    );
    b.paragraph(&line(
        style,
        "4. Thời gian nhận hồ sơ: ",
        &ctx.received,
        Face::Regular,
    ));
    b.paragraph(&line(
        style,
        "5. Thời gian trả kết quả giải quyết hồ sơ: ",
        &ctx.due,
        Face::Bold,
    ));
    b.paragraph(&line(
        style,
        "6. Đăng ký nhận kết quả tại: ",
        &ctx.return_place,
        Face::Regular,
    ));
    let r = d.register;
    let register = line(
        style,
        "Vào Sổ theo dõi hồ sơ, Quyển số: ",
        &format!("{}/{}, Số thứ tự: {}", r.book, r.year, r.line),
        Face::Regular,
    );
    match &ctx.fee {
        Some(fee) => lines_or_one(
            b,
            style.body,
            style.gap,
            vec![line(style, "Phí, lệ phí: ", fee, Face::Regular), register],
        ),
        None => b.paragraph(&register),
    }
    // Sentences each on a line of their own: joined, the lookup hint and the closing note
    // read as one.
    let hint = ctx.opts.lookup_hint.trim();
    if !hint.is_empty() {
        b.paragraph(
            &Para::new(style.body)
                .span(Face::Regular, hint)
                .after(style.gap),
        );
    }
    b.paragraph(
        &Para::new(style.body)
            .span(Face::Italic, ctx.closing)
            .after(style.gap),
    );
    b.space(style.block_gap);

    signatures(
        b,
        &[
            Signer::new("NGƯỜI NỘP HỒ SƠ"),
            Signer::new("NGƯỜI TIẾP NHẬN HỒ SƠ"),
        ],
        style.body,
        style.sign_space,
    );
}

fn a4(fonts: &Fonts, ctx: &Ctx) -> Layout {
    const W: f32 = 210.0;
    const H: f32 = 297.0;
    // Both copies on one sheet, cut along the middle, when they fit.
    let margins = Margins::new(6.0, 10.0, 6.0, 12.0);
    let mut b = Builder::new(fonts, W, H, margins);
    b.forbid_breaks();
    let mid = H / 2.0;
    b.set_frame(margins.top, mid - 4.0);
    copy(&mut b, ctx, &A4_TWO_UP, Lien::Kept);
    let cut_y = mid;
    b.stroke(
        margins.left,
        cut_y,
        W - margins.right,
        cut_y,
        0.2,
        Some((2.0, 1.5)),
    );
    b.set_frame(mid + 4.0, H - margins.bottom);
    copy(&mut b, ctx, &A4_TWO_UP, Lien::Citizen);
    if !b.overflowed() {
        return b.finish();
    }

    let mut b = Builder::new(fonts, W, H, Margins::new(15.0, 15.0, 15.0, 20.0));
    copy(&mut b, ctx, &A4_FULL, Lien::Kept);
    b.fresh_page();
    copy(&mut b, ctx, &A4_FULL, Lien::Citizen);
    b.finish()
}

fn a5(fonts: &Fonts, ctx: &Ctx) -> Layout {
    let mut b = Builder::new(fonts, 148.0, 210.0, Margins::new(8.0, 9.0, 8.0, 11.0));
    copy(&mut b, ctx, &A5_STYLE, Lien::Kept);
    b.fresh_page();
    copy(&mut b, ctx, &A5_STYLE, Lien::Citizen);
    b.finish()
}

fn roll(fonts: &Fonts, ctx: &Ctx) -> Layout {
    let style = ROLL_STYLE;
    let d = ctx.d;
    let mut b = Builder::roll(fonts, 80.0, Margins::new(4.0, 4.0, 8.0, 4.0));
    if let Some(reprint) = &ctx.reprint {
        b.paragraph(
            &Para::new(style.body)
                .center()
                .span(Face::Bold, reprint)
                .after(1.0),
        );
    }
    b.paragraph(
        &Para::new(style.header)
            .center()
            .span(Face::Bold, d.issuer.unit.trim())
            .after(1.5),
    );
    b.paragraph(
        &Para::new(style.title)
            .center()
            .span(Face::Bold, ROLL_TITLE)
            .after(0.5),
    );
    b.paragraph(
        &Para::new(style.body)
            .center()
            .span(Face::Regular, "Mã hồ sơ: ")
            .span(Face::Bold, d.code.trim())
            .after(1.5),
    );
    b.paragraph(&line(
        &style,
        "Tiếp nhận hồ sơ của: ",
        d.applicant.name.trim(),
        Face::Bold,
    ));
    b.paragraph(&line(
        &style,
        "Nội dung yêu cầu giải quyết: ",
        d.procedure.name.trim(),
        Face::Regular,
    ));
    if !d.authority.trim().is_empty() {
        b.paragraph(&line(
            &style,
            AUTHORITY_LINE,
            d.authority.trim(),
            Face::Regular,
        ));
    }
    b.paragraph(&line(
        &style,
        "Thời gian nhận hồ sơ: ",
        &ctx.received,
        Face::Regular,
    ));
    b.paragraph(&line(
        &style,
        "Thời gian trả kết quả giải quyết hồ sơ: ",
        &ctx.due,
        Face::Bold,
    ));
    b.space(1.0);
    let module = ctx.qr.module_for(style.qr_min);
    b.qr_block(&ctx.qr, module, Align::Center);
    b.paragraph(
        &Para::new(style.body)
            .center()
            .span(Face::Italic, ctx.opts.lookup_hint.trim())
            .after(1.0),
    );
    b.paragraph(
        &Para::new(style.small)
            .center()
            .span(Face::Italic, ctx.closing),
    );
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_names() {
        assert_eq!("A4".parse::<Paper>().unwrap(), Paper::A4);
        assert_eq!(" 80mm ".parse::<Paper>().unwrap(), Paper::Roll80);
        assert!("letter".parse::<Paper>().is_err());
        assert_eq!(serde_json::to_string(&Paper::Roll80).unwrap(), "\"80mm\"");
        assert_eq!(serde_json::from_str::<Paper>("\"a5\"").unwrap(), Paper::A5);
    }
}
