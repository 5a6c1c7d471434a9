//! Biểu số 06/VPCP/KSTT as a printed table: a row per procedure under its field's subtotal,
//! the grand total last, the two-level header of the official form repeated on every page.
//! The digitisation rate (not part of the legal form) follows on a page of its own after the
//! signed form, as an annex by field and procedure with the same totals: the form itself
//! stays as the circular draws it.

use super::error::DocumentError;
use super::fonts::{self, Face};
use super::form::{
    closing, finish_layout, landscape, opening, subtitle, FormOptions, BODY, SMALL,
    TITLE as TITLE_SIZE,
};
use super::layout::{Align, Builder, Layout, Para, Table, TableColumn};
use super::layout_pdf;
use super::letterhead::Signer;
use crate::agency::Agency;
use crate::report::{
    Counters, Report, COUNTER_GROUPS, COUNTER_SHORT_TITLES, DIGITISATION_GROUPS,
    DIGITISATION_TITLE, DIGITISATION_TITLES,
};

pub const TITLE: &str = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH";
pub const CITATION: &str = "Biểu số 06/VPCP/KSTT – Thông tư 01/2020/TT-VPCP";

const CELL: f32 = 9.0;

/// I, II, III… for the fields.
fn roman(mut n: usize) -> String {
    const DIGITS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

fn cells(number: String, label: String, c: &Counters) -> Vec<String> {
    let mut row = vec![number, label];
    row.extend(c.values().iter().map(i64::to_string));
    row
}

pub fn report_layout(
    issuer: &Agency,
    report: &Report,
    opts: &FormOptions,
) -> Result<Layout, DocumentError> {
    let mut b = landscape(fonts::load()?);
    opening(&mut b, issuer, opts, None, BODY - 1.0);
    b.paragraph(&subtitle(report.period_line()));
    let mut columns = vec![
        TableColumn::new("STT", 0.035, Align::Center),
        TableColumn::new("Lĩnh vực, thủ tục", 0.225, Align::Left),
    ];
    let counter_w = (1.0 - 0.26) / COUNTER_SHORT_TITLES.len() as f32;
    columns.extend(
        COUNTER_SHORT_TITLES
            .iter()
            .map(|t| TableColumn::new(*t, counter_w, Align::Right)),
    );
    let mut rows = Vec::new();
    let mut bold_rows = Vec::new();
    for (i, group) in report.by_field().iter().enumerate() {
        bold_rows.push(rows.len());
        rows.push(cells(roman(i + 1), group.field.to_string(), &group.totals));
        for (j, r) in group.rows.iter().enumerate() {
            rows.push(cells(
                (j + 1).to_string(),
                format!("{} – {}", r.procedure, r.procedure_name),
                &r.counters,
            ));
        }
    }
    bold_rows.push(rows.len());
    rows.push(cells(String::new(), "Tổng cộng".into(), &report.totals));
    let mut table = Table::new(columns, rows, CELL);
    table.groups = std::iter::once((String::new(), 2))
        .chain(COUNTER_GROUPS.iter().map(|(t, n)| (t.to_string(), *n)))
        .collect();
    table.bold_rows = bold_rows;
    b.table(&table);
    b.space(6.0);
    closing(
        &mut b,
        &[],
        &[
            Signer::new("NGƯỜI LẬP BIỂU"),
            Signer::new("THỦ TRƯỞNG ĐƠN VỊ").hint("(Ký, ghi rõ họ tên và đóng dấu)"),
        ],
    );
    digitisation(&mut b, report);
    Ok(finish_layout(b))
}

/// The annex: the digitisation rate by field and procedure, on a new page whose later pages
/// repeat its own title rather than the form's.
fn digitisation(b: &mut Builder, report: &Report) {
    let continued = format!("{DIGITISATION_TITLE} (tiếp theo)");
    b.set_continuation(Vec::new());
    b.fresh_page();
    b.set_continuation(vec![Para::new(BODY - 1.0)
        .center()
        .span(Face::Bold, continued)
        .after(2.0)]);
    b.paragraph(
        &Para::new(BODY)
            .center()
            .span(Face::Bold, "PHỤ LỤC")
            .after(1.0),
    );
    b.paragraph(
        &Para::new(TITLE_SIZE)
            .center()
            .balanced()
            .span(Face::Bold, DIGITISATION_TITLE)
            .after(1.0),
    );
    b.paragraph(&subtitle(report.period_line()));
    let mut columns = vec![
        TableColumn::new("STT", 0.04, Align::Center),
        TableColumn::new("Lĩnh vực, thủ tục", 0.42, Align::Left),
    ];
    let w = (1.0 - 0.46) / DIGITISATION_TITLES.len() as f32;
    columns.extend(
        DIGITISATION_TITLES
            .iter()
            .map(|t| TableColumn::new(*t, w, Align::Right)),
    );
    let row = |number: String, label: String, c: &Counters| {
        let mut cells = vec![number, label];
        cells.extend(c.digitisation_cells());
        cells
    };
    let mut rows = Vec::new();
    let mut bold_rows = Vec::new();
    for (i, group) in report.by_field().iter().enumerate() {
        bold_rows.push(rows.len());
        rows.push(row(roman(i + 1), group.field.to_string(), &group.totals));
        for (j, r) in group.rows.iter().enumerate() {
            rows.push(row(
                (j + 1).to_string(),
                format!("{} – {}", r.procedure, r.procedure_name),
                &r.counters,
            ));
        }
    }
    bold_rows.push(rows.len());
    rows.push(row(String::new(), "Tổng cộng".into(), &report.totals));
    let mut table = Table::new(columns, rows, CELL);
    table.groups = std::iter::once((String::new(), 2))
        .chain(DIGITISATION_GROUPS.iter().map(|(t, n)| (t.to_string(), *n)))
        .collect();
    table.bold_rows = bold_rows;
    b.table(&table);
    b.space(3.0);
    b.paragraph(&Para::new(SMALL).span(
        Face::Italic,
        "Ghi chú: Hồ sơ số hóa đủ thành phần là hồ sơ tiếp nhận trong kỳ (không kể kỳ trước \
         chuyển qua) mà mọi giấy tờ trong danh mục đều đã có bản quét (trừ giấy tờ khai thác từ cơ sở dữ liệu); tỷ lệ tính trên số hồ sơ \
         tiếp nhận trong kỳ. Kết quả được số hóa là hồ sơ đã giải quyết trong kỳ mà kết quả đã có \
         bản quét; tỷ lệ tính trên số hồ sơ đã giải quyết. \"—\": không có hồ sơ để tính.",
    ));
}

pub fn report_pdf(
    issuer: &Agency,
    report: &Report,
    opts: &FormOptions,
) -> Result<Vec<u8>, DocumentError> {
    let title = format!(
        "Biểu 06 – {} – {}",
        report.from.format("%d/%m/%Y"),
        report.to.format("%d/%m/%Y")
    );
    layout_pdf(&report_layout(issuer, report, opts)?, &title)
}

#[cfg(test)]
mod tests {
    use super::roman;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(9), "IX");
        assert_eq!(roman(14), "XIV");
    }
}
