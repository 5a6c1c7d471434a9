//! Mẫu 02: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ". Every missing document with its
//! reason at once, so the citizen completes the dossier in one visit.

use super::error::DocumentError;
use super::fonts::{self, Face};
use super::form::{
    applicant, closing, field, finish_layout, opening, portrait, text, FormOptions, BODY, CELL,
    GAP, HEADER,
};
use super::layout::{Align, Layout, Para, Table, TableColumn};
use super::layout_pdf;
use super::letterhead::Signer;
use super::wording::time_words;
use crate::dossier::Dossier;
use crate::form_input::Supplement;

pub fn supplement_layout(
    d: &Dossier,
    s: &Supplement,
    opts: &FormOptions,
) -> Result<Layout, DocumentError> {
    let mut b = portrait(fonts::load()?);
    opening(&mut b, &d.issuer, opts, Some(&d.code), HEADER);
    b.paragraph(&field(
        "Bộ phận tiếp nhận và trả kết quả: ",
        d.issuer.unit.trim(),
    ));
    applicant(&mut b, d, "Hồ sơ của: ");
    b.paragraph(&field("Thời gian nhận hồ sơ: ", &time_words(d.received_at)));
    b.paragraph(
        &Para::new(BODY)
            .span(
                Face::Bold,
                "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:",
            )
            .before(1.0)
            .after(2.0),
    );
    b.table(&Table::new(
        vec![
            TableColumn::new("STT", 0.07, Align::Center),
            TableColumn::new(
                "Giấy tờ, nội dung cần bổ sung, hoàn thiện",
                0.48,
                Align::Left,
            ),
            TableColumn::new("Lý do", 0.45, Align::Left),
        ],
        s.missing
            .iter()
            .enumerate()
            .map(|(i, m)| vec![(i + 1).to_string(), m.document.clone(), m.reason.clone()])
            .collect(),
        CELL,
    ));
    b.space(3.0);
    if !s.guide.trim().is_empty() {
        b.paragraph(&field("Ghi chú: ", s.guide.trim()));
    }
    closing(
        &mut b,
        &[
            text(&format!(
                "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ Bộ phận \
                 tiếp nhận và trả kết quả – {}{} để được hướng dẫn. Khi nộp bổ sung, ông/bà \
                 vui lòng mang theo phiếu này và Giấy tiếp nhận hồ sơ.",
                d.issuer.unit.trim(),
                phone_clause(&s.desk_phone)
            )),
            text("Xin trân trọng cảm ơn./.").after(GAP + 3.0),
        ],
        &[Signer::new("NGƯỜI HƯỚNG DẪN")],
    );
    Ok(finish_layout(b))
}

/// ", số điện thoại 0276 3812 345," when the desk has a phone line, as the form asks.
fn phone_clause(phone: &str) -> String {
    match phone.trim() {
        "" => String::new(),
        p => format!(", số điện thoại {p},"),
    }
}

pub fn supplement_pdf(
    d: &Dossier,
    s: &Supplement,
    opts: &FormOptions,
) -> Result<Vec<u8>, DocumentError> {
    let title = format!("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ {}", d.code);
    layout_pdf(&supplement_layout(d, s, opts)?, &title)
}
