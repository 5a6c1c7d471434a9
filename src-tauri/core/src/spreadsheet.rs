//! The Biểu 06 report as an Excel workbook: the official two-level header, a row per
//! procedure under its field's subtotal, the grand total, Vietnamese text as text and every
//! count as a number, so the province's spreadsheet can sum it. A second sheet, "Tỷ lệ số
//! hóa", gives the digitisation rate by field and procedure (not part of the legal form, so
//! it does not widen it): counts as numbers, rates as percentages (the share, formatted
//! "0.0%"), "—" where there was nothing to count.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::agency::Agency;
use crate::error::CoreError;
use crate::report::{
    Counters, Report, COUNTER_GROUPS, COUNTER_SHORT_TITLES, DIGITISATION_GROUPS,
    DIGITISATION_TITLE, DIGITISATION_TITLES, LABEL_TITLES,
};

pub const SHEET: &str = "Biểu 06";
pub const DIGITISATION_SHEET: &str = "Tỷ lệ số hóa";
/// The first row of counts (0-based): under the title, the period and the two header rows.
pub const FIRST_DATA_ROW: u32 = 6;

fn document_error(e: XlsxError) -> CoreError {
    CoreError::Workbook {
        detail: e.to_string(),
    }
}

struct Formats {
    title: Format,
    period: Format,
    head: Format,
    text: Format,
    number: Format,
    bold_text: Format,
    bold_number: Format,
    rate: Format,
    bold_rate: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_font_name("Times New Roman")
            .set_font_size(11);
        let text = cell.clone().set_text_wrap();
        let number = cell.clone().set_num_format("#,##0");
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_name("Times New Roman")
                .set_font_size(13)
                .set_align(FormatAlign::Center),
            period: Format::new()
                .set_italic()
                .set_font_name("Times New Roman")
                .set_font_size(11)
                .set_align(FormatAlign::Center),
            head: text.clone().set_bold().set_align(FormatAlign::Center),
            bold_text: text.clone().set_bold(),
            bold_number: number.clone().set_bold(),
            rate: cell
                .clone()
                .set_num_format("0.0%")
                .set_align(FormatAlign::Right),
            bold_rate: cell
                .clone()
                .set_num_format("0.0%")
                .set_align(FormatAlign::Right)
                .set_bold(),
            text,
            number,
        }
    }
}

/// One of the workbook's tables: its sheet, title, column groups and titles, the width of
/// its figure columns, and how a row's figures are written.
struct Table {
    sheet: &'static str,
    title: &'static str,
    groups: &'static [(&'static str, usize)],
    titles: &'static [&'static str],
    width: f64,
    figures: fn(&mut Worksheet, u32, &Counters, bool, &Formats) -> Result<(), XlsxError>,
}

const BIEU_06: Table = Table {
    sheet: SHEET,
    title: "BIỂU SỐ 06/VPCP/KSTT – TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
    groups: &COUNTER_GROUPS,
    titles: &COUNTER_SHORT_TITLES,
    width: 11.0,
    figures: counter_figures,
};

const DIGITISATION: Table = Table {
    sheet: DIGITISATION_SHEET,
    title: DIGITISATION_TITLE,
    groups: &DIGITISATION_GROUPS,
    titles: &DIGITISATION_TITLES,
    width: 13.0,
    figures: digitisation_figures,
};

/// Biểu 06's counters after the labels.
fn counter_figures(
    ws: &mut Worksheet,
    row: u32,
    c: &Counters,
    bold: bool,
    f: &Formats,
) -> Result<(), XlsxError> {
    let number = if bold { &f.bold_number } else { &f.number };
    for (col, value) in (3u16..).zip(c.values()) {
        // Counts stay far below 2^53: exact as spreadsheet numbers.
        ws.write_number_with_format(row, col, value as f64, number)?;
    }
    Ok(())
}

/// `DIGITISATION_TITLES`' figures after the labels.
fn digitisation_figures(
    ws: &mut Worksheet,
    row: u32,
    c: &Counters,
    bold: bool,
    f: &Formats,
) -> Result<(), XlsxError> {
    let (number, rate) = if bold {
        (&f.bold_number, &f.bold_rate)
    } else {
        (&f.number, &f.rate)
    };
    let counts = [
        (3, c.received_in_period()),
        (4, c.components_digitised),
        (6, c.resolved_total),
        (7, c.results_digitised),
    ];
    for (col, value) in counts {
        ws.write_number_with_format(row, col, value as f64, number)?;
    }
    for (col, share) in [(5, c.components_rate()), (8, c.results_rate())] {
        match share {
            Some(s) => ws.write_number_with_format(row, col, s, rate)?,
            None => ws.write_string_with_format(row, col, "—", rate)?,
        };
    }
    Ok(())
}

fn sheet(
    ws: &mut Worksheet,
    table: &Table,
    report: &Report,
    issuer: Option<&Agency>,
) -> Result<(), XlsxError> {
    let f = Formats::new();
    let last_col = (LABEL_TITLES.len() + table.titles.len() - 1) as u16;
    ws.set_name(table.sheet)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    if let Some(a) = issuer {
        ws.write_string_with_format(0, 0, a.unit.trim(), &Format::new().set_bold())?;
    }
    ws.merge_range(1, 0, 1, last_col, table.title, &f.title)?;
    ws.merge_range(2, 0, 2, last_col, &report.period_line(), &f.period)?;
    let (group_row, title_row) = (FIRST_DATA_ROW - 2, FIRST_DATA_ROW - 1);
    for (col, title) in (0u16..).zip(LABEL_TITLES) {
        ws.merge_range(group_row, col, title_row, col, title, &f.head)?;
    }
    let mut col = LABEL_TITLES.len() as u16;
    for &(title, span) in table.groups {
        let end = col + span as u16 - 1;
        if end > col {
            ws.merge_range(group_row, col, group_row, end, title, &f.head)?;
        } else {
            ws.write_string_with_format(group_row, col, title, &f.head)?;
        }
        col = end + 1;
    }
    for (col, title) in (LABEL_TITLES.len() as u16..).zip(table.titles) {
        ws.write_string_with_format(title_row, col, *title, &f.head)?;
    }
    ws.set_row_height(group_row, 30)?;
    ws.set_row_height(title_row, 30)?;
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 11)?;
    ws.set_column_width(2, 42)?;
    for c in LABEL_TITLES.len() as u16..=last_col {
        ws.set_column_width(c, table.width)?;
    }
    ws.set_freeze_panes(FIRST_DATA_ROW, LABEL_TITLES.len() as u16)?;

    let write_row = |ws: &mut Worksheet, row: u32, labels: [&str; 3], c: &Counters, bold| {
        let text = if bold { &f.bold_text } else { &f.text };
        for (col, label) in (0u16..).zip(labels) {
            ws.write_string_with_format(row, col, label, text)?;
        }
        (table.figures)(ws, row, c, bold, &f)
    };
    let mut row = FIRST_DATA_ROW;
    for group in report.by_field() {
        write_row(
            ws,
            row,
            [group.field, "", "Cộng lĩnh vực"],
            &group.totals,
            true,
        )?;
        row += 1;
        for r in group.rows {
            let labels = [r.field.as_str(), &r.procedure, &r.procedure_name];
            write_row(ws, row, labels, &r.counters, false)?;
            row += 1;
        }
    }
    write_row(ws, row, ["Tổng cộng", "", ""], &report.totals, true)?;
    Ok(())
}

/// The workbook's bytes (`.xlsx`). `issuer` names the unit above the title.
pub fn report_xlsx(report: &Report, issuer: Option<&Agency>) -> Result<Vec<u8>, CoreError> {
    let mut workbook = Workbook::new();
    for table in [&BIEU_06, &DIGITISATION] {
        sheet(workbook.add_worksheet(), table, report, issuer).map_err(document_error)?;
    }
    workbook.save_to_buffer().map_err(document_error)
}
