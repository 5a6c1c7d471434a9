//! The digitisation rate in every export of `motcua report`, with the real binary: a month of
//! 4 dossiers, 3 with every checklist row scanned (`scans add --file`) and 1 missing its last
//! row, 2 results ready of which 1 scanned. The JSON says 75 and 50, the CSV's last columns
//! 75.0 and 50.0, the workbook's "Tỷ lệ số hóa" sheet (read back with calamine) 0.75 as a
//! percentage, and the PDF's annex page (read back with pdftotext) 75,0 % and 50,0 %, after
//! the signed Biểu 06 form, which keeps its columns.

use calamine::{Data, Reader, Xlsx};

use crate::support::{birth, pdf_text, tool, Desk};

fn scan(desk: &Desk, code: &str, what: &[&str], page: &str) {
    let mut args = vec!["scans", "add", code];
    args.extend(what);
    args.extend(["--file", page]);
    desk.ok(&args);
}

#[test]
fn a_month_with_3_of_4_dossiers_digitised_shows_75_percent_everywhere() {
    let desk = Desk::ready();
    let page = desk.path("trang.jpg");
    tool(
        "convert",
        &["-size", "200x300", "xc:white", page.to_str().unwrap()],
    );
    let page = page.to_str().unwrap();
    let mut codes = Vec::new();
    let mut rows = 0;
    for (i, name) in [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
        "Phạm Thị Dung",
    ]
    .iter()
    .enumerate()
    {
        let mut request = birth(name, &format!("2027-03-0{}T09:00:00+07:00", i + 1));
        request["documents"] = serde_json::json!([
            {"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0},
            {"name": "Giấy chứng sinh", "originals": 0, "copies": 1}
        ]);
        let d = desk.intake(&request);
        rows = d["documents"].as_array().unwrap().len();
        codes.push(d["code"].as_str().unwrap().to_string());
    }
    assert!(rows >= 2, "the birth checklist has {rows} rows");
    for (i, code) in codes.iter().enumerate() {
        let last = if i == 3 { rows - 1 } else { rows };
        for doc in 1..=last {
            scan(&desk, code, &["--doc", &doc.to_string()], page);
        }
    }
    for code in &codes[..2] {
        desk.ok(&[
            "transition",
            code,
            "--to",
            "9",
            "--at",
            "2027-03-08T10:00:00+07:00",
        ]);
    }
    scan(&desk, &codes[1], &["--result"], page);

    let period = ["report", "--from", "2027-03-01", "--to", "2027-03-31"];
    let json: serde_json::Value = serde_json::from_str(&desk.ok(&period)).unwrap();
    let totals = &json["totals"];
    assert_eq!(totals["components_digitised"], 3, "{totals}");
    assert_eq!(totals["components_digitised_percent"], 75.0, "{totals}");
    assert_eq!(totals["results_digitised"], 1, "{totals}");
    assert_eq!(totals["results_digitised_percent"], 50.0, "{totals}");

    let export = |format: &str| {
        let path = desk.path(&format!("bao-cao.{format}"));
        let mut args = period.to_vec();
        args.extend(["--format", format, "--out", path.to_str().unwrap()]);
        desk.ok(&args);
        path
    };
    let csv = std::fs::read_to_string(export("csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(
            "Tỷ lệ số hóa thành phần hồ sơ (%),Kết quả được số hóa,Tỷ lệ số hóa kết quả (%)"
        ),
        "{header}"
    );
    let total = csv.lines().find(|l| l.starts_with("Tổng cộng")).unwrap();
    assert!(total.ends_with(",3,75.0,1,50.0"), "{total}");

    let mut book: Xlsx<_> = calamine::open_workbook(export("xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Biểu 06", "Tỷ lệ số hóa"]);
    let sheet = book.worksheet_range("Tỷ lệ số hóa").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(
        cell(1, 0),
        Data::String("TỶ LỆ SỐ HÓA HỒ SƠ, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH".into())
    );
    assert_eq!(cell(5, 5), Data::String("Tỷ lệ".into()));
    // Field subtotal, the procedure, the total: received 4, digitised 3, 75 %; resolved 2,
    // 1 result, 50 %.
    assert_eq!(cell(8, 0), Data::String("Tổng cộng".into()));
    let figures: Vec<Data> = (3..9).map(|c| cell(8, c)).collect();
    assert_eq!(
        figures,
        [4.0, 3.0, 0.75, 2.0, 1.0, 0.5].map(Data::Float).to_vec(),
        "{figures:?}"
    );
    // The legal form keeps its 3 + 15 columns.
    let form = book.worksheet_range("Biểu 06").unwrap();
    assert_eq!(form.end().map(|(_, c)| c), Some(17));

    let pdf = export("pdf");
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Pages:           2"), "{info}");
    let annex = tool(
        "pdftotext",
        &["-f", "2", "-l", "2", pdf.to_str().unwrap(), "-"],
    )
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ");
    assert!(annex.contains("TỶ LỆ SỐ HÓA HỒ SƠ"), "{annex}");
    assert!(
        annex.contains("75,0 %") && annex.contains("50,0 %"),
        "{annex}"
    );
    let all = pdf_text(&pdf);
    assert!(
        all.contains("THỦ TRƯỞNG ĐƠN VỊ"),
        "the form is still signed"
    );
}
