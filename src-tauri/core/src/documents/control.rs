//! The control slip, "Phiếu kiểm soát quá trình giải quyết hồ sơ" (Mẫu 05 of 2018, Mẫu 06 of
//! 2025), which travels with the paper dossier, drawn as the form draws it (domain reference
//! §1): the handling agency and the co-operating agency in its header, then a row per
//! hand-over with the units that gave and received it ("Giao: …", "Nhận: …"), the time,
//! room for both signatures (Người giao, Người nhận), the result once known (before, on or
//! after the appointment's date) and a note.

use super::error::DocumentError;
use super::fonts::{self, Face};
use super::form::{
    field, finish_layout, labelled_lines, opening, pdf_title, portrait, subtitle, text,
    FormOptions, BODY, CELL, GAP, HEADER,
};
use super::layout::{Align, Layout, Para, Table, TableColumn};
use super::layout_pdf;
use super::wording::time_words;
use crate::dossier::Dossier;
use crate::transfer::{ControlRow, ControlStep, Direction};

pub const DESK: &str = "Bộ phận tiếp nhận và trả kết quả";
/// The processing unit when the desk did not name it.
pub const SOME_UNIT: &str = "Cơ quan, bộ phận giải quyết";
/// Lines left blank under "Người giao" and "Người nhận" for the signatures.
const SIGN_LINES: usize = 2;

fn unit_or_default(unit: &str) -> &str {
    match unit.trim() {
        "" => SOME_UNIT,
        u => u,
    }
}

/// The giving and the receiving unit, and the people who signed for each.
struct Parties {
    from: String,
    to: String,
    giver: String,
    receiver: String,
}

fn parties(step: &ControlStep) -> Parties {
    match step {
        ControlStep::Transfer {
            direction: Direction::ToUnit,
            unit,
            giver,
            receiver,
            ..
        } => Parties {
            from: DESK.into(),
            to: unit_or_default(unit).into(),
            giver: giver.trim().into(),
            receiver: receiver.trim().into(),
        },
        ControlStep::Transfer {
            direction: Direction::Back,
            unit,
            giver,
            receiver,
            ..
        } => Parties {
            from: unit_or_default(unit).into(),
            to: DESK.into(),
            giver: giver.trim().into(),
            receiver: receiver.trim().into(),
        },
        ControlStep::Returned {
            receiver,
            by_post,
            tracking,
            clerk,
        } => Parties {
            from: DESK.into(),
            to: if *by_post {
                format!("Bưu chính công ích (mã bưu gửi {})", tracking.trim())
            } else {
                "Người nhận kết quả".into()
            },
            giver: clerk.trim().into(),
            receiver: if *by_post {
                String::new()
            } else {
                receiver.trim().into()
            },
        },
    }
}

/// Whether the row hands a result on, so that its timeliness is known: results coming back
/// from the unit and results returned to the citizen. A dossier going to the unit has no
/// result yet.
fn carries_result(step: &ControlStep) -> bool {
    !matches!(
        step,
        ControlStep::Transfer {
            direction: Direction::ToUnit,
            ..
        }
    )
}

/// "14 giờ 00 phút, ngày 01/03/2027": the form's phrase, short enough for one line of its
/// column.
fn clock_words(t: chrono::DateTime<chrono::Utc>) -> String {
    let v = crate::vntime::to_vn(t);
    format!(
        "{} giờ {} phút, ngày {}",
        v.format("%H"),
        v.format("%M"),
        v.format("%d/%m/%Y")
    )
}

/// "Người giao", room to sign, the name typed when known; then the same for the receiver.
fn signing(role: &str, name: &str) -> String {
    let mut s = role.to_string();
    s.push_str(&"\n".repeat(SIGN_LINES + 1));
    s.push_str(name);
    s
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
    // The units the dossier went to, in brackets after the agency, unless one is the agency
    // itself (an any-desk dossier handed to its competent authority).
    let agency = d.handling_agency();
    let mut units: Vec<&str> = Vec::new();
    for r in rows {
        if let ControlStep::Transfer { unit, .. } = &r.step {
            let unit = unit.trim();
            if !unit.is_empty() && unit != agency && !units.contains(&unit) {
                units.push(unit);
            }
        }
    }
    let handling = match units.as_slice() {
        [] => agency,
        units => format!("{agency} ({})", units.join("; ")),
    };
    labelled_lines(
        &mut b,
        &[
            ("Cơ quan (bộ phận) giải quyết hồ sơ: ", handling.as_str()),
            // Other agencies asked for an opinion are written in by hand.
            ("Cơ quan phối hợp giải quyết hồ sơ: ", ""),
        ],
    );
    b.paragraph(&labelled_name(d));
    b.paragraph(&field("Thời gian nhận hồ sơ: ", &time_words(d.received_at)));
    b.paragraph(&field("Thời gian hẹn trả kết quả: ", &time_words(d.due_at)));
    b.space(2.0);
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let p = parties(&r.step);
            let n = i + 1;
            vec![
                format!("{n}. Giao: {}\n{n}. Nhận: {}", p.from, p.to),
                format!(
                    "{}\n{}\n\n{}",
                    clock_words(r.at),
                    signing("Người giao", &p.giver),
                    signing("Người nhận", &p.receiver)
                ),
                if carries_result(&r.step) {
                    r.timeliness.words().to_string()
                } else {
                    String::new()
                },
                r.note.clone(),
            ]
        })
        .collect();
    if table_rows.is_empty() {
        b.paragraph(&text("Hồ sơ chưa được bàn giao lần nào."));
    } else {
        b.table(&Table::new(
            vec![
                TableColumn::new("TÊN CƠ QUAN", 0.27, Align::Left),
                TableColumn::new("THỜI GIAN GIAO, NHẬN HỒ SƠ", 0.37, Align::Center),
                TableColumn::new(
                    "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)",
                    0.2,
                    Align::Center,
                ),
                TableColumn::new("GHI CHÚ", 0.16, Align::Left),
            ],
            table_rows,
            CELL - 1.0,
        ));
    }
    Ok(finish_layout(b))
}

/// "Hồ sơ của: <name>" in bold.
fn labelled_name(d: &Dossier) -> Para {
    Para::new(BODY)
        .span(Face::Regular, "Hồ sơ của: ")
        .span(Face::Bold, d.applicant.name.trim())
        .span(Face::Regular, " – ")
        .span(Face::Regular, d.procedure.name.trim())
        .after(GAP)
}

pub fn control_pdf(
    d: &Dossier,
    rows: &[ControlRow],
    opts: &FormOptions,
) -> Result<Vec<u8>, DocumentError> {
    layout_pdf(&control_layout(d, rows, opts)?, &pdf_title(opts, &d.code))
}
