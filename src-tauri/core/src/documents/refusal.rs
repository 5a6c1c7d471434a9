//! Mẫu 03: "Phiếu từ chối tiếp nhận giải quyết hồ sơ", with each reason.

use super::error::DocumentError;
use super::fonts;
use super::form::{
    applicant, closing, finish_layout, opening, portrait, text, FormOptions, GAP, HEADER,
};
use super::layout::Layout;
use super::layout_pdf;
use super::letterhead::Signer;
use crate::dossier::Dossier;
use crate::form_input::Refusal;

pub fn refusal_layout(
    d: &Dossier,
    r: &Refusal,
    opts: &FormOptions,
) -> Result<Layout, DocumentError> {
    let mut b = portrait(fonts::load()?);
    opening(&mut b, &d.issuer, opts, Some(&d.code), HEADER);
    let unit = d.issuer.unit.trim();
    applicant(
        &mut b,
        d,
        &format!("Bộ phận tiếp nhận và trả kết quả – {unit} tiếp nhận hồ sơ của: "),
    );
    b.paragraph(&text(&format!(
        "Qua xem xét, Bộ phận tiếp nhận và trả kết quả – {unit} thông báo không tiếp nhận, \
         giải quyết hồ sơ này với lý do cụ thể như sau:"
    )));
    for (i, reason) in r.reasons.iter().enumerate() {
        b.paragraph(&text(&format!("{}. {}", i + 1, reason.trim())));
    }
    b.space(GAP);
    closing(
        &mut b,
        &[text("Xin trân trọng thông báo./.").after(GAP + 3.0)],
        &[Signer::new("NGƯỜI TIẾP NHẬN HỒ SƠ")],
    );
    Ok(finish_layout(b))
}

pub fn refusal_pdf(d: &Dossier, r: &Refusal, opts: &FormOptions) -> Result<Vec<u8>, DocumentError> {
    let title = format!("Phiếu từ chối tiếp nhận giải quyết hồ sơ {}", d.code);
    layout_pdf(&refusal_layout(d, r, opts)?, &title)
}
