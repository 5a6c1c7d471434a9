//! Mẫu 05: "Phiếu kiểm soát quá trình giải quyết hồ sơ", which travels with the paper
//! dossier: each hand-over between the desk, the processing unit and the citizen, when, and
//! whether it was before, on or after the appointment's date.

use super::error::DocumentError;
use super::fonts;
use super::form::{
    applicant, field, finish_layout, opening, portrait, subtitle, text, FormOptions, CELL, HEADER,
};
use super::layout::{Align, Layout, Table, TableColumn};
use super::pdf::layout_pdf;
use super::wording::{short_time, time_words};
use crate::dossier::Dossier;
use crate::transfer::{ControlRow, ControlStep, Direction};

pub const DESK: &str = "Bộ phận tiếp nhận và trả kết quả";
/// The processing unit when the desk did not name it.
pub const SOME_UNIT: &str = "Cơ quan, bộ phận giải quyết";

/// "Bộ phận … (Nguyễn Văn A)".
fn party(place: &str, person: &str) -> String {
    match person.trim() {
        "" => place.to_string(),
        p => format!("{place} ({p})"),
    }
}

fn unit_or_default(unit: &str) -> &str {
    match unit.trim() {
        "" => SOME_UNIT,
        u => u,
    }
}

/// Who gave and who received, as the slip words it.
fn parties(step: &ControlStep) -> (String, String) {
    match step {
        ControlStep::Transfer {
            direction: Direction::ToUnit,
            unit,
            giver,
            receiver,
            ..
        } => (party(DESK, giver), party(unit_or_default(unit), receiver)),
        ControlStep::Transfer {
            direction: Direction::Back,
            unit,
            giver,
            receiver,
            ..
        } => (party(unit_or_default(unit), giver), party(DESK, receiver)),
        ControlStep::Returned {
            receiver,
            by_post,
            tracking,
            ..
        } => {
            let to = if *by_post {
                format!("Bưu chính công ích (mã bưu gửi {})", tracking.trim())
            } else {
                format!("Người nhận kết quả: {}", receiver.trim())
            };
            (DESK.to_string(), to)
        }
    }
}

pub fn control_layout(
    d: &Dossier,
    rows: &[ControlRow],
    opts: &FormOptions,
) -> Result<Layout, DocumentError> {
    let mut b = portrait(fonts::load()?);
    opening(&mut b, &d.issuer, opts, Some(&d.code), HEADER);
    b.paragraph(&subtitle(format!(
        "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả, mã hồ sơ {})",
        d.code.trim()
    )));
    applicant(&mut b, d, "Hồ sơ của: ");
    b.paragraph(&field("Thời gian nhận hồ sơ: ", &time_words(d.received_at)));
    if !d.authority.trim().is_empty() {
        b.paragraph(&field(
            "Cơ quan có thẩm quyền giải quyết: ",
            d.authority.trim(),
        ));
    }
    b.paragraph(&field("Thời gian hẹn trả kết quả: ", &time_words(d.due_at)));
    let mut units: Vec<&str> = Vec::new();
    for r in rows {
        if let ControlStep::Transfer { unit, .. } = &r.step {
            if !unit.trim().is_empty() && !units.contains(&unit.trim()) {
                units.push(unit.trim());
            }
        }
    }
    if !units.is_empty() {
        b.paragraph(&field(
            "Cơ quan, bộ phận giải quyết hồ sơ: ",
            &units.join("; "),
        ));
    }
    b.space(2.0);
    if rows.is_empty() {
        b.paragraph(&text("Hồ sơ chưa được bàn giao lần nào."));
    } else {
        b.table(&Table::new(
            vec![
                TableColumn::new("STT", 0.06, Align::Center),
                TableColumn::new("Bên giao", 0.23, Align::Left),
                TableColumn::new("Bên nhận", 0.23, Align::Left),
                TableColumn::new("Thời gian giao, nhận", 0.13, Align::Center),
                TableColumn::new(
                    "Kết quả (trước hạn, đúng hạn, quá hạn)",
                    0.13,
                    Align::Center,
                ),
                TableColumn::new("Ghi chú", 0.11, Align::Left),
                TableColumn::new("Ký nhận", 0.11, Align::Center),
            ],
            rows.iter()
                .enumerate()
                .map(|(i, r)| {
                    let (giver, receiver) = parties(&r.step);
                    vec![
                        (i + 1).to_string(),
                        giver,
                        receiver,
                        short_time(r.at),
                        r.timeliness.words().to_string(),
                        r.note.clone(),
                        String::new(),
                    ]
                })
                .collect(),
            CELL - 1.0,
        ));
    }
    Ok(finish_layout(b))
}

pub fn control_pdf(
    d: &Dossier,
    rows: &[ControlRow],
    opts: &FormOptions,
) -> Result<Vec<u8>, DocumentError> {
    let title = format!("Phiếu kiểm soát quá trình giải quyết hồ sơ {}", d.code);
    layout_pdf(&control_layout(d, rows, opts)?, &title)
}
