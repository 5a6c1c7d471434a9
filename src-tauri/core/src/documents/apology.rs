//! Mẫu 04: "Phiếu xin lỗi và hẹn lại ngày trả kết quả" (under the 2025 numbering, the letter
//! of apology asking to extend the time limit): the first appointment, the reason for the
//! delay and the new appointment.

use chrono::{DateTime, Utc};

use super::error::DocumentError;
use super::fonts::{self, Face};
use super::form::{
    closing, field, finish_layout, opening, portrait, text, FormOptions, BODY, GAP, HEADER,
};
use super::layout::{Layout, Para};
use super::letterhead::Signer;
use super::pdf::layout_pdf;
use super::wording::time_words;
use crate::dossier::Dossier;
use crate::form_input::Apology;

/// `previous_due` is the appointment the citizen was given before this apology.
pub fn apology_layout(
    d: &Dossier,
    a: &Apology,
    previous_due: DateTime<Utc>,
    extension: bool,
    opts: &FormOptions,
) -> Result<Layout, DocumentError> {
    let mut b = portrait(fonts::load()?);
    opening(&mut b, &d.issuer, opts, Some(&d.code), HEADER);
    let unit = d.issuer.unit.trim();
    b.paragraph(
        &Para::new(BODY)
            .center()
            .span(Face::Regular, "Kính gửi: Ông/Bà ")
            .span(Face::Bold, d.applicant.name.trim())
            .after(3.0),
    );
    b.paragraph(&text(&format!(
        "Vào {}, {unit} tiếp nhận hồ sơ của Ông/Bà, mã hồ sơ {}.",
        time_words(d.received_at),
        d.code.trim()
    )));
    b.paragraph(&field(
        "Nội dung yêu cầu giải quyết: ",
        d.procedure.name.trim(),
    ));
    b.paragraph(&field(
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: ",
        &time_words(previous_due),
    ));
    b.paragraph(&text(&format!(
        "Tuy nhiên đến nay, {unit} chưa trả được kết quả giải quyết hồ sơ của Ông/Bà đúng hẹn \
         ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả."
    )));
    b.paragraph(&field("Lý do: ", a.reason.trim()));
    let promise = if extension {
        format!(
            "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {unit} xin lỗi Ông/Bà và đề nghị \
             gia hạn thời gian giải quyết hồ sơ đến "
        )
    } else {
        format!(
            "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {unit} xin lỗi Ông/Bà và hẹn trả \
             kết quả giải quyết hồ sơ vào "
        )
    };
    b.paragraph(
        &Para::new(BODY)
            .span(Face::Regular, promise)
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

pub fn apology_pdf(
    d: &Dossier,
    a: &Apology,
    previous_due: DateTime<Utc>,
    extension: bool,
    opts: &FormOptions,
) -> Result<Vec<u8>, DocumentError> {
    let title = format!("Phiếu xin lỗi và hẹn lại ngày trả kết quả {}", d.code);
    layout_pdf(
        &apology_layout(d, a, previous_due, extension, opts)?,
        &title,
    )
}
