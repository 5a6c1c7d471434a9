//! Mẫu 06: "Sổ theo dõi hồ sơ", the desk's register book for a period: a line per dossier
//! received, with the times it went to the processing unit, came back and was returned.
//! Landscape; the header repeats on every page and the pages are numbered.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::error::DocumentError;
use super::fonts::{self, Face};
use super::form::{finish_layout, landscape, opening, subtitle, FormOptions, BODY};
use super::layout::{Align, Layout, Para, Table, TableColumn};
use super::layout_pdf;
use super::wording::short_time;
use crate::agency::Agency;
use crate::i18n::Lang;
use crate::status::Status;

/// One line of the book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterEntry {
    pub year: i32,
    pub book: i64,
    pub line: i64,
    pub code: String,
    pub procedure_name: String,
    pub sets: u32,
    pub applicant_name: String,
    pub address: String,
    pub phone: String,
    /// The unit the dossier went to, if it went.
    pub unit: String,
    /// The competent authority when it is not the receiving office (any-desk intake).
    pub authority: String,
    #[serde(with = "crate::vntime::serde_vn")]
    pub received_at: DateTime<Utc>,
    #[serde(with = "crate::vntime::serde_vn")]
    pub due_at: DateTime<Utc>,
    #[serde(with = "crate::vntime::serde_vn_opt")]
    pub sent_at: Option<DateTime<Utc>>,
    #[serde(with = "crate::vntime::serde_vn_opt")]
    pub result_at: Option<DateTime<Utc>>,
    #[serde(with = "crate::vntime::serde_vn_opt")]
    pub returned_at: Option<DateTime<Utc>>,
    pub returned_by_post: bool,
    /// Who collected the result, or the parcel's tracking number when it went by post.
    pub returned_to: String,
    pub status: Status,
}

const CELL: f32 = 8.0;

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map(short_time).unwrap_or_default()
}

fn row(e: &RegisterEntry) -> Vec<String> {
    let contact: Vec<&str> = [e.address.trim(), e.phone.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let returned = match (e.returned_at, e.returned_to.trim()) {
        (None, _) => String::new(),
        (Some(t), _) if e.returned_by_post => {
            format!(
                "{} – qua bưu chính, mã {}",
                short_time(t),
                e.returned_to.trim()
            )
        }
        (Some(t), "") => short_time(t),
        (Some(t), to) => format!("{} – {to}", short_time(t)),
    };
    // Closed or still open: the book says where the dossier stands.
    let note = if e.status == Status::Returned {
        String::new()
    } else {
        e.status.label(Lang::Vi)
    };
    vec![
        e.line.to_string(),
        e.code.clone(),
        e.procedure_name.clone(),
        e.sets.to_string(),
        e.applicant_name.clone(),
        contact.join(", "),
        deciding(e),
        short_time(e.received_at),
        short_time(e.due_at),
        when(e.sent_at),
        when(e.result_at),
        returned,
        note,
    ]
}

/// The book's "Cơ quan chủ trì giải quyết": the competent authority an any-desk dossier
/// names, with the unit it was handed to when that is another; else the unit.
fn deciding(e: &RegisterEntry) -> String {
    match (e.authority.trim(), e.unit.trim()) {
        ("", unit) => unit.to_string(),
        (authority, unit) if unit.is_empty() || unit == authority => authority.to_string(),
        (authority, unit) => format!("{authority} (chuyển: {unit})"),
    }
}

pub fn register_layout(
    issuer: &Agency,
    from: NaiveDate,
    to: NaiveDate,
    entries: &[RegisterEntry],
    opts: &FormOptions,
) -> Result<Layout, DocumentError> {
    let mut b = landscape(fonts::load()?);
    opening(&mut b, issuer, opts, None, BODY - 1.0);
    let books: Vec<String> = {
        let mut v: Vec<String> = entries
            .iter()
            .map(|e| format!("{}/{}", e.book, e.year))
            .collect();
        v.dedup();
        v
    };
    let mut period = format!(
        "Từ ngày {} đến ngày {}",
        from.format("%d/%m/%Y"),
        to.format("%d/%m/%Y")
    );
    if !books.is_empty() {
        period.push_str(&format!(" – Quyển số: {}", books.join(", ")));
    }
    b.paragraph(&subtitle(period));
    let columns = vec![
        TableColumn::new("STT", 0.04, Align::Center),
        TableColumn::new("Mã hồ sơ", 0.095, Align::Left),
        TableColumn::new("Tên thủ tục hành chính", 0.12, Align::Left),
        TableColumn::new("Số lượng hồ sơ (bộ)", 0.045, Align::Center),
        TableColumn::new("Tên cá nhân, tổ chức", 0.09, Align::Left),
        TableColumn::new("Địa chỉ, số điện thoại", 0.12, Align::Left),
        TableColumn::new("Cơ quan chủ trì giải quyết", 0.08, Align::Left),
        TableColumn::new("Nhận hồ sơ", 0.06, Align::Center),
        TableColumn::new("Hẹn trả kết quả", 0.06, Align::Center),
        TableColumn::new("Chuyển hồ sơ đến cơ quan giải quyết", 0.065, Align::Center),
        TableColumn::new("Nhận kết quả từ cơ quan giải quyết", 0.065, Align::Center),
        TableColumn::new("Trả kết quả cho cá nhân, tổ chức", 0.09, Align::Center),
        TableColumn::new("Ghi chú", 0.07, Align::Left),
    ];
    let mut table = Table::new(columns, entries.iter().map(row).collect(), CELL);
    table.groups = vec![
        (String::new(), 7),
        ("Thời gian (giờ, ngày)".to_string(), 5),
        (String::new(), 1),
    ];
    b.table(&table);
    b.space(2.0);
    b.paragraph(
        &Para::new(BODY - 1.0).span(Face::Italic, format!("Tổng số: {} hồ sơ.", entries.len())),
    );
    Ok(finish_layout(b))
}

pub fn register_pdf(
    issuer: &Agency,
    from: NaiveDate,
    to: NaiveDate,
    entries: &[RegisterEntry],
    opts: &FormOptions,
) -> Result<Vec<u8>, DocumentError> {
    let title = format!(
        "Sổ theo dõi hồ sơ {} – {}",
        from.format("%d/%m/%Y"),
        to.format("%d/%m/%Y")
    );
    layout_pdf(&register_layout(issuer, from, to, entries, opts)?, &title)
}
