//! Mẫu 04. Under Thông tư 01/2018: "Phiếu xin lỗi và hẹn lại ngày trả kết quả", a slip with
//! the first appointment, the reason for the delay and the new appointment. Under Thông tư
//! 03/2025: "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", laid out as an
//! administrative letter (Decree 30/2020/NĐ-CP): number and symbol and the subject line
//! ("V/v …") under the issuing body, the place and date under the motto, the salutation, a
//! body with the time limit, the reason and the new appointment asked for, the signature,
//! and "Nơi nhận" at the bottom left.

use chrono::{DateTime, Utc};

use super::error::DocumentError;
use super::fonts::{self, Face};
use super::form::{
    closing, field, finish_layout, opening, pdf_title, portrait, text, to_the_citizen, FormOptions,
    BODY, GAP, HEADER, SIGN_SPACE, SMALL, TITLE,
};
use super::layout::{Builder, Column, Item, Layout, Para};
use super::layout_pdf;
use super::letterhead::{letter_header, top_line, Signer};
use super::wording::{dateline, limit_words, time_words};
use crate::dossier::Dossier;
use crate::form_input::Apology;

/// The symbol after a letter's number: "xin lỗi, gia hạn". Offices have no symbol setting
/// yet; the number restarts each year (`Store::issue_form`).
pub const LETTER_SYMBOL: &str = "XLGH";
pub const LETTER_SUBJECT: &str = "V/v xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ";

/// How Mẫu 04 is laid out: the 2018 slip, or the 2025 letter with its number in the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApologyKind {
    Slip,
    Letter { number: u32 },
}

/// `previous_due` is the appointment the citizen was given before this apology.
pub fn apology_layout(
    d: &Dossier,
    a: &Apology,
    previous_due: DateTime<Utc>,
    kind: ApologyKind,
    opts: &FormOptions,
) -> Result<Layout, DocumentError> {
    match kind {
        ApologyKind::Slip => slip(d, a, previous_due, opts),
        ApologyKind::Letter { number } => letter(d, a, previous_due, number, opts),
    }
}

fn slip(
    d: &Dossier,
    a: &Apology,
    previous_due: DateTime<Utc>,
    opts: &FormOptions,
) -> Result<Layout, DocumentError> {
    let mut b = portrait(fonts::load()?);
    opening(&mut b, &d.issuer, opts, Some(&d.code), HEADER);
    let unit = d.issuer.unit.trim();
    to_the_citizen(&mut b, d);
    b.paragraph(&field(
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: ",
        &time_words(previous_due),
    ));
    b.paragraph(&text(&format!(
        "Tuy nhiên đến nay, {unit} chưa trả được kết quả giải quyết hồ sơ của Ông/Bà đúng hẹn \
         ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả."
    )));
    b.paragraph(&field("Lý do: ", a.reason.trim()));
    b.paragraph(
        &Para::new(BODY)
            .span(
                Face::Regular,
                format!(
                    "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {unit} xin lỗi Ông/Bà và hẹn \
                     trả kết quả giải quyết hồ sơ vào "
                ),
            )
            .span(Face::Bold, time_words(a.new_due))
            .span(Face::Regular, ".")
            .after(GAP),
    );
    closing(
        &mut b,
        &[text("Mong nhận được sự thông cảm của Ông/Bà vì sự chậm trễ này./.").after(GAP + 3.0)],
        &[Signer::new("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ").hint("(Ký, ghi rõ họ tên và đóng dấu)")],
    );
    Ok(finish_layout(b))
}

fn letter(
    d: &Dossier,
    a: &Apology,
    previous_due: DateTime<Utc>,
    number: u32,
    opts: &FormOptions,
) -> Result<Layout, DocumentError> {
    let mut b = portrait(fonts::load()?);
    b.set_continuation(vec![Para::new(BODY - 1.0)
        .center()
        .span(
            Face::Bold,
            format!("Mã hồ sơ: {} (tiếp theo)", d.code.trim()),
        )
        .after(2.0)]);
    top_line(&mut b, "", &opts.citation, BODY, SMALL);
    letter_header(
        &mut b,
        &d.issuer,
        &dateline(&d.issuer.place, opts.issued_at),
        HEADER,
        &format!("Số: {number}/{LETTER_SYMBOL}"),
        LETTER_SUBJECT,
    );
    b.space(8.0);
    b.paragraph(
        &Para::new(TITLE)
            .center()
            .span(Face::Regular, "Kính gửi: Ông/Bà ")
            .span(Face::Bold, d.applicant.name.trim())
            .after(5.0),
    );
    let unit = d.issuer.unit.trim();
    let indent = |p: Para| p.after(GAP + 0.8);
    b.paragraph(&indent(
        Para::new(BODY)
            .span(
                Face::Regular,
                format!(
                    "Vào {}, {unit} tiếp nhận hồ sơ của Ông/Bà, mã hồ sơ ",
                    time_words(d.received_at)
                ),
            )
            .span(Face::Bold, d.code.trim())
            .span(
                Face::Regular,
                format!(", về việc {}.", d.procedure.name.trim()),
            ),
    ));
    b.paragraph(&indent(Para::new(BODY).span(
        Face::Regular,
        format!(
            "Theo quy định, thời hạn giải quyết hồ sơ là {}; thời gian hẹn trả kết quả ghi trên \
             Giấy tiếp nhận hồ sơ và hẹn trả kết quả là {}.",
            limit_words(d.procedure.limit),
            time_words(previous_due)
        ),
    )));
    b.paragraph(&indent(
        Para::new(BODY)
            .span(
                Face::Regular,
                format!("Tuy nhiên, đến nay {unit} chưa giải quyết xong hồ sơ của Ông/Bà. Lý do: "),
            )
            .span(Face::Regular, a.reason.trim())
            .span(
                Face::Regular,
                if ends_sentence(&a.reason) { "" } else { "." },
            ),
    ));
    b.paragraph(&indent(
        Para::new(BODY)
            .span(
                Face::Regular,
                format!(
                    "{unit} thành thật xin lỗi Ông/Bà vì sự chậm trễ này và đề nghị gia hạn thời \
                     gian giải quyết hồ sơ; thời gian hẹn trả kết quả mới là "
                ),
            )
            .span(Face::Bold, time_words(a.new_due))
            .span(Face::Regular, "."),
    ));
    b.paragraph(&indent(
        Para::new(BODY).span(Face::Regular, "Mong nhận được sự thông cảm của Ông/Bà./."),
    ));
    b.space(4.0);
    sign_and_recipients(&mut b, d);
    Ok(finish_layout(b))
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['.', '!', '?'])
}

/// The signature on the right and "Nơi nhận" on the left, side by side and kept together.
fn sign_and_recipients(b: &mut Builder, d: &Dossier) {
    let line = Para::new(BODY).line_height();
    b.ensure(4.0 * line + SIGN_SPACE);
    let small = BODY - 1.0;
    let recipients = vec![
        Item::Para(
            Para::new(BODY)
                .span(Face::BoldItalic, "Nơi nhận:")
                .after(0.5),
        ),
        Item::Para(Para::new(small).span(Face::Regular, "- Như trên;")),
        Item::Para(Para::new(small).span(
            Face::Regular,
            format!("- Lưu: VT, hồ sơ {}.", d.code.trim()),
        )),
    ];
    let signer = vec![
        Item::Para(
            Para::new(BODY)
                .center()
                .span(Face::Bold, "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"),
        ),
        Item::Para(
            Para::new(BODY)
                .center()
                .span(Face::Italic, "(Ký, ghi rõ họ tên và đóng dấu)"),
        ),
        Item::Space(SIGN_SPACE),
    ];
    b.columns(&[
        Column {
            left: 0.0,
            width: 0.45,
            items: recipients,
        },
        Column {
            left: 0.45,
            width: 0.55,
            items: signer,
        },
    ]);
}

pub fn apology_pdf(
    d: &Dossier,
    a: &Apology,
    previous_due: DateTime<Utc>,
    kind: ApologyKind,
    opts: &FormOptions,
) -> Result<Vec<u8>, DocumentError> {
    layout_pdf(
        &apology_layout(d, a, previous_due, kind, opts)?,
        &pdf_title(opts, &d.code),
    )
}
