//! "Danh sách bàn giao hồ sơ": the list both sides sign when dossiers go from the desk to the
//! processing unit, or come back with their results.

use super::control::{DESK, SOME_UNIT};
use super::error::DocumentError;
use super::fonts::{self, Face};
use super::form::{
    closing, field, finish_layout, opening, portrait, subtitle, FormOptions, BODY, CELL, GAP,
    HEADER,
};
use super::layout::{Align, Layout, Para, Table, TableColumn};
use super::layout_pdf;
use super::letterhead::Signer;
use super::wording::{short_time, time_words};
use crate::agency::Agency;
use crate::transfer::{Direction, TransferBatch};

pub const TITLE: &str = "DANH SÁCH BÀN GIAO HỒ SƠ";

pub fn transfer_list_layout(
    issuer: &Agency,
    batch: &TransferBatch,
    opts: &FormOptions,
) -> Result<Layout, DocumentError> {
    let mut b = portrait(fonts::load()?);
    opening(&mut b, issuer, opts, None, HEADER);
    let unit = match batch.unit.trim() {
        "" => SOME_UNIT,
        u => u,
    };
    let (from, to, what) = match batch.direction {
        Direction::ToUnit => (DESK, unit, "Chuyển hồ sơ để giải quyết"),
        Direction::Back => (unit, DESK, "Chuyển trả kết quả giải quyết hồ sơ"),
    };
    b.paragraph(&subtitle(format!("Số: {} – {what}", batch.id)));
    b.paragraph(&field("Thời gian bàn giao: ", &time_words(batch.at)));
    b.paragraph(&field("Bên giao: ", from));
    b.paragraph(&field("Bên nhận: ", to));
    if !batch.note.trim().is_empty() {
        b.paragraph(&field("Ghi chú: ", batch.note.trim()));
    }
    b.space(2.0);
    b.table(&Table::new(
        vec![
            TableColumn::new("STT", 0.06, Align::Center),
            TableColumn::new("Mã hồ sơ", 0.22, Align::Left),
            TableColumn::new("Tên thủ tục", 0.26, Align::Left),
            TableColumn::new("Người nộp", 0.18, Align::Left),
            TableColumn::new("Số bộ", 0.07, Align::Center),
            TableColumn::new("Hẹn trả kết quả", 0.21, Align::Center),
        ],
        batch
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    (i + 1).to_string(),
                    r.code.clone(),
                    r.procedure_name.clone(),
                    r.applicant_name.clone(),
                    r.sets.to_string(),
                    short_time(r.due_at),
                ]
            })
            .collect(),
        CELL - 1.0,
    ));
    b.space(2.0);
    closing(
        &mut b,
        &[Para::new(BODY)
            .span(Face::Regular, "Tổng số: ")
            .span(Face::Bold, format!("{} hồ sơ.", batch.rows.len()))
            .after(GAP + 3.0)],
        &[
            Signer::new("BÊN GIAO").name(&batch.giver),
            Signer::new("BÊN NHẬN").name(&batch.receiver),
        ],
    );
    Ok(finish_layout(b))
}

pub fn transfer_list_pdf(
    issuer: &Agency,
    batch: &TransferBatch,
    opts: &FormOptions,
) -> Result<Vec<u8>, DocumentError> {
    let title = format!("Danh sách bàn giao hồ sơ số {}", batch.id);
    layout_pdf(&transfer_list_layout(issuer, batch, opts)?, &title)
}
