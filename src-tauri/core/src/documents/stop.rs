//! Mẫu 05 of Thông tư 03/2025: "Thông báo dừng giải quyết hồ sơ", issued when a dossier stops
//! (status 8) at the citizen's request or for a reason the law gives. The body of the 2025
//! form was not found (domain reference §1, low confidence for its fields), so it says
//! plainly what the hints name: the request or reason, the stage the dossier had reached,
//! the decision to stop, and what happens to fees already paid.

use chrono::{DateTime, Utc};

use super::error::DocumentError;
use super::fonts::{self, Face};
use super::form::{
    closing, field, finish_layout, opening, pdf_title, portrait, text, to_the_citizen, FormOptions,
    BODY, GAP, HEADER,
};
use super::layout::{Layout, Para};
use super::layout_pdf;
use super::letterhead::Signer;
use super::wording::time_words;
use crate::dossier::Dossier;
use crate::form_input::Stop;
use crate::status::Status;

/// The stage a dossier in `status` had reached, as the notice words it; `unit` is where it
/// was being processed, if the desk handed it over.
pub fn stop_stage(status: Status, unit: &str) -> String {
    match (status, unit.trim()) {
        (Status::Processing, "") => "Hồ sơ đang được giải quyết".into(),
        (Status::Processing, unit) => format!("Hồ sơ đang được giải quyết tại {unit}"),
        (Status::SupplementRequested, _) => {
            "Hồ sơ đang chờ người nộp bổ sung, hoàn thiện theo yêu cầu".into()
        }
        (Status::AwaitingFees, _) => "Hồ sơ đang chờ thực hiện nghĩa vụ tài chính".into(),
        (Status::Submitted, _) => "Hồ sơ mới đăng ký, chưa được tiếp nhận".into(),
        _ => "Hồ sơ đã được tiếp nhận, chưa chuyển cơ quan, bộ phận giải quyết".into(),
    }
}

/// `stopped_at` is when the dossier stopped (the notice's issue for a first issue, the
/// first issue's moment for a copy); `stage` comes from `stop_stage`.
pub fn stop_layout(
    d: &Dossier,
    s: &Stop,
    stage: &str,
    stopped_at: DateTime<Utc>,
    opts: &FormOptions,
) -> Result<Layout, DocumentError> {
    let mut b = portrait(fonts::load()?);
    opening(&mut b, &d.issuer, opts, Some(&d.code), HEADER);
    let agency = d.handling_agency();
    to_the_citizen(&mut b, d);
    b.paragraph(&field(
        "1. Đề nghị, lý do dừng giải quyết: ",
        s.reason.trim(),
    ));
    b.paragraph(&field("2. Tình trạng giải quyết hồ sơ: ", stage.trim()));
    b.paragraph(
        &Para::new(BODY)
            .span(Face::Regular, "3. Quyết định: ")
            .span(
                Face::Regular,
                format!("{agency} dừng giải quyết hồ sơ nêu trên kể từ "),
            )
            .span(Face::Bold, time_words(stopped_at))
            .span(Face::Regular, ".")
            .after(GAP),
    );
    b.paragraph(&field("4. Phí, lệ phí: ", s.fees.words()));
    b.space(GAP);
    closing(
        &mut b,
        &[text("Xin trân trọng thông báo./.").after(GAP + 3.0)],
        &[Signer::new("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ").hint("(Ký, ghi rõ họ tên và đóng dấu)")],
    );
    Ok(finish_layout(b))
}

pub fn stop_pdf(
    d: &Dossier,
    s: &Stop,
    stage: &str,
    stopped_at: DateTime<Utc>,
    opts: &FormOptions,
) -> Result<Vec<u8>, DocumentError> {
    layout_pdf(
        &stop_layout(d, s, stage, stopped_at, opts)?,
        &pdf_title(opts, &d.code),
    )
}
