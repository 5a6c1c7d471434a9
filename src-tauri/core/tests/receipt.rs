//! The receipt (Mẫu 01) as a desk prints it: real PDFs checked with poppler, qpdf and zbar,
//! and the layout checked for clipping and overlaps.
//!
//! Needs `poppler-utils` (pdftotext, pdffonts, pdfinfo, pdftoppm), `qpdf` and `zbar-tools`
//! (zbarimg). A missing tool fails the test with the package to install: nothing is skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, NaiveTime, Utc};
use motcua_core::agency::{Agency, AgencyCode};
use motcua_core::calendar::TimeLimit;
use motcua_core::documents::{
    layout_pdf, layout_svg, receipt_layout, receipt_pdf, Element, Layout, Paper, ReceiptOptions,
    Reprint,
};
use motcua_core::dossier::{
    Applicant, Channel, Dossier, PostalReturn, ProcedureRef, ReceivedDocument, RegisterLine,
    ReturnMethod, Submitter,
};
use motcua_core::slip;
use motcua_core::status::Status;
use unicode_normalization::UnicodeNormalization;

const CODE: &str = "000.00.14.H56-270226-0012";
const NAME: &str = "Nguyễn Thị Hồng Nhung";
const ADDRESS: &str = "Số 12, ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh";
const DUE_PHRASE: &str =
    "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 03 tháng 03 năm 2027";
const RECEIVED_PHRASE: &str = "Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 26 tháng 02 năm 2027";
const FULL_TITLE: &str = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ";
const SECRET: &[u8] = b"secret of the test desk";

fn utc(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

fn dossier() -> Dossier {
    Dossier {
        code: CODE.into(),
        status: Status::Accepted,
        procedure: ProcedureRef {
            code: "1.004873".into(),
            name: "Cấp Giấy xác nhận tình trạng hôn nhân".into(),
            field: "Hộ tịch".into(),
            limit: TimeLimit::WorkingDays { days: 3 },
        },
        applicant: Applicant {
            name: NAME.into(),
            id_number: "079203001234".into(),
            phone: "0912 345 678".into(),
            email: "hongnhung@example.vn".into(),
            address: ADDRESS.into(),
        },
        submitter: Some(Submitter {
            name: "Trần Văn Đức".into(),
            id_number: "072090004321".into(),
            phone: "0987 654 321".into(),
        }),
        documents: vec![
            ReceivedDocument {
                name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân".into(),
                originals: 1,
                copies: 0,
                from_data: false,
            },
            ReceivedDocument {
                name: "Giấy tờ chứng minh việc ly hôn (bản án, quyết định của Tòa án)".into(),
                originals: 0,
                copies: 1,
                from_data: false,
            },
        ],
        sets: 1,
        channel: Channel::Direct,
        return_method: ReturnMethod::Desk,
        received_at: utc("2027-02-26T09:15:00+07:00"),
        due_at: utc("2027-03-03T17:00:00+07:00"),
        fee_vnd: Some(8000),
        fee_text: String::new(),
        note: String::new(),
        register: RegisterLine {
            year: 2027,
            book: 1,
            line: 245,
        },
        desk: "Quầy 2".into(),
        issuer: Agency {
            code: AgencyCode::parse("000.00.14.H56").unwrap(),
            governing_body: "UBND XÃ HƯỚNG THỌ PHÚ".into(),
            unit: "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG".into(),
            place: "Hướng Thọ Phú".into(),
        },
        authority: String::new(),
        version: 1,
    }
}

/// 25 documents and a 200-character address: must flow onto more pages, nothing clipped.
fn long_dossier() -> Dossier {
    let mut d = dossier();
    d.applicant.address = long_address();
    d.documents = (1..=25)
        .map(|i| ReceivedDocument {
            name: format!("Tài liệu số {i:02} kèm theo hồ sơ đề nghị"),
            originals: (i % 2) as u32,
            copies: (i % 3) as u32,
            from_data: false,
        })
        .collect();
    d.return_method = ReturnMethod::Post(PostalReturn {
        recipient: NAME.into(),
        phone: "0912345678".into(),
        address: "Số 12, ấp Bình Hòa".into(),
        commune: "xã Hướng Thọ Phú".into(),
        province: "tỉnh Tây Ninh".into(),
        ..PostalReturn::default()
    });
    d
}

fn long_address() -> String {
    let base = "Số nhà 1234/56/78, đường Nguyễn Thị Minh Khai nối dài, khu phố Bình Hòa Thượng, ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh (gần chợ Hướng Thọ Phú, đối diện trường tiểu học Bình Hòa, cạnh tiệm tạp hóa)";
    let address: String = base.chars().take(200).collect();
    assert_eq!(address.chars().count(), 200);
    address
}

fn payload() -> String {
    slip::payload(
        CODE,
        &slip::tag(SECRET, CODE),
        Some("http://192.168.1.10:8080/d/{code}?k={tag}"),
    )
}

fn options(paper: Paper) -> ReceiptOptions {
    ReceiptOptions {
        paper,
        qr_payload: payload(),
        lookup_hint: "Tra cứu: quét mã QR hoặc dichvucong.gov.vn".into(),
        reprint: None,
        form_citation: "Mẫu số 01 – Thông tư 01/2018/TT-VPCP".into(),
        office_label: "Bộ phận tiếp nhận và trả kết quả".into(),
    }
}

fn normalize(s: &str) -> String {
    s.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs a tool; a missing tool fails with the Debian package that provides it.
fn run(tool: &str, package: &str, args: &[&str]) -> std::process::Output {
    match Command::new(tool).args(args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("`{tool}` is not installed: install the Debian package `{package}` (apt-get install {package})")
        }
        Err(e) => panic!("could not run {tool}: {e}"),
    }
}

fn run_ok(tool: &str, package: &str, args: &[&str]) -> String {
    let out = run(tool, package, args);
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Writes a PDF into the test's temporary directory, and also into
/// `MOTCUA_KEEP_RECEIPTS` when that is set, for looking at after the run.
fn write_pdf(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    if let Some(keep) = std::env::var_os("MOTCUA_KEEP_RECEIPTS") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::write(Path::new(&keep).join(name), bytes).unwrap();
    }
    path
}

fn pdftotext(pdf: &Path) -> String {
    run_ok(
        "pdftotext",
        "poppler-utils",
        &["-layout", pdf.to_str().unwrap(), "-"],
    )
}

fn pdf_pages(pdf: &Path) -> usize {
    let info = run_ok("pdfinfo", "poppler-utils", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap()
}

fn check_qpdf(pdf: &Path) {
    let out = run("qpdf", "qpdf", &["--check", pdf.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "qpdf --check failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("No syntax or stream encoding errors found"),
        "{text}"
    );
}

/// Every font embedded and subset; returns the font names.
fn check_fonts(pdf: &Path) -> Vec<String> {
    let listing = run_ok("pdffonts", "poppler-utils", &[pdf.to_str().unwrap()]);
    let rows: Vec<Vec<&str>> = listing
        .lines()
        .skip_while(|l| !l.starts_with("---"))
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(!rows.is_empty(), "no fonts in the PDF:\n{listing}");
    rows.iter()
        .map(|cols| {
            let n = cols.len();
            assert!(n >= 7, "unexpected pdffonts row {cols:?}");
            assert_eq!(cols[n - 5], "yes", "font not embedded:\n{listing}");
            assert_eq!(cols[n - 4], "yes", "font not subset:\n{listing}");
            assert!(
                cols[0].contains("LiberationSerif"),
                "unexpected font:\n{listing}"
            );
            cols[0].to_string()
        })
        .collect()
}

/// The PDF rendered at 150 dpi: one PNG per page.
fn render(pdf: &Path, dir: &Path, stem: &str) -> Vec<PathBuf> {
    let prefix = dir.join(stem);
    run_ok(
        "pdftoppm",
        "poppler-utils",
        &[
            "-r",
            "150",
            "-png",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let mut pngs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with(&format!("{stem}-")) && name.ends_with(".png")
        })
        .collect();
    pngs.sort();
    assert!(!pngs.is_empty(), "pdftoppm wrote no pages");
    pngs
}

fn zbar(png: &Path) -> Vec<String> {
    let out = run(
        "zbarimg",
        "zbar-tools",
        &["--raw", "-q", png.to_str().unwrap()],
    );
    // zbarimg exits 4 when it finds no symbol: that is an answer, not a tool failure.
    assert!(
        out.status.success() || out.status.code() == Some(4),
        "zbarimg failed: {out:?}"
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .filter(|l| !l.is_empty())
        .collect()
}

fn rqrr_decode(png: &Path) -> Vec<String> {
    let img = image::open(png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, content)| content))
        .collect()
}

/// Nothing outside the printable box, no text run over another or over a QR/barcode module.
fn check_layout(layout: &Layout) {
    assert!(!layout.pages.is_empty());
    let defects = layout.defects();
    assert!(defects.is_empty(), "{defects:#?}");
}

/// (QR side, narrowest bar) of the first page: QR modules are small squares, bars are tall.
fn symbol_sizes(layout: &Layout) -> (f32, Option<f32>) {
    let fills: Vec<_> = layout.pages[0]
        .elements
        .iter()
        .filter_map(|e| match e {
            Element::Fill(b) => Some(*b),
            _ => None,
        })
        .collect();
    let qr: Vec<_> = fills.iter().filter(|b| b.h < 1.5).collect();
    let first_qr_y = qr.iter().map(|b| b.y).fold(f32::MAX, f32::min);
    let same_symbol: Vec<_> = qr.iter().filter(|b| b.y < first_qr_y + 60.0).collect();
    let left = same_symbol.iter().map(|b| b.x).fold(f32::MAX, f32::min);
    let right = same_symbol
        .iter()
        .map(|b| b.right())
        .fold(f32::MIN, f32::max);
    let bars = fills
        .iter()
        .filter(|b| b.h >= 5.0)
        .map(|b| b.w)
        .reduce(f32::min);
    (right - left, bars)
}

/// What every paper must show, in the PDF itself.
fn check_pdf(paper: Paper, title: &str) {
    let d = dossier();
    let opts = options(paper);
    let dir = tempfile::tempdir().unwrap();
    let bytes = receipt_pdf(&d, &opts).unwrap();
    let pdf = write_pdf(dir.path(), &format!("receipt-{paper}.pdf"), &bytes);

    let text = normalize(&pdftotext(&pdf));
    for needle in [title, NAME, CODE, DUE_PHRASE, RECEIVED_PHRASE] {
        assert!(
            text.contains(&normalize(needle)),
            "{paper}: {needle:?} missing from:\n{text}"
        );
    }
    check_qpdf(&pdf);
    check_fonts(&pdf);
    let info = run_ok("pdfinfo", "poppler-utils", &[pdf.to_str().unwrap()]);
    assert!(
        info.contains(&format!("Giấy tiếp nhận hồ sơ {CODE}")),
        "{info}"
    );

    let pngs = render(&pdf, dir.path(), "page");
    let decoded: Vec<String> = pngs.iter().flat_map(|p| zbar(p)).collect();
    assert!(
        decoded.contains(&opts.qr_payload),
        "{paper}: QR not read by zbar: {decoded:?}"
    );
    if paper != Paper::Roll80 {
        assert!(
            decoded.iter().any(|s| s == CODE),
            "{paper}: CODE128 not read by zbar: {decoded:?}"
        );
    }
    for s in &decoded {
        assert!(
            s == &opts.qr_payload || s == CODE,
            "{paper}: zbar read something unexpected: {s:?}"
        );
    }
    let by_rqrr = rqrr_decode(&pngs[0]);
    assert!(
        by_rqrr.contains(&opts.qr_payload),
        "{paper}: rqrr read {by_rqrr:?}"
    );

    let layout = receipt_layout(&d, &opts).unwrap();
    check_layout(&layout);
    assert_eq!(layout.pages.len(), pdf_pages(&pdf));
}

#[test]
fn a4_receipt() {
    check_pdf(Paper::A4, FULL_TITLE);
    let layout = receipt_layout(&dossier(), &options(Paper::A4)).unwrap();
    // Two copies on one sheet.
    assert_eq!(layout.pages.len(), 1);
    let text = normalize(&layout.text());
    assert!(
        text.contains("(Liên 1: Lưu)") && text.contains("(Liên 2: Giao khách hàng)"),
        "{text}"
    );
    let dashed = layout.pages[0]
        .elements
        .iter()
        .any(|e| matches!(e, Element::Line(l) if l.dash.is_some()));
    assert!(dashed, "no cut line between the copies");
    let (qr, bar) = symbol_sizes(&layout);
    assert!(qr >= 22.0, "QR is {qr} mm");
    assert!(bar.unwrap() >= 0.3 - 1e-4, "narrowest bar {bar:?}");
}

#[test]
fn a5_receipt() {
    check_pdf(Paper::A5, FULL_TITLE);
    let layout = receipt_layout(&dossier(), &options(Paper::A5)).unwrap();
    assert_eq!(layout.pages.len(), 2, "one copy per A5 sheet");
    assert!(
        (layout.pages[0].width - 148.0).abs() < 0.01
            && (layout.pages[0].height - 210.0).abs() < 0.01
    );
    let first = normalize(
        &layout.pages[0]
            .text_runs()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let second = normalize(
        &layout.pages[1]
            .text_runs()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    assert!(
        first.contains("(Liên 1: Lưu)") && !first.contains("Liên 2"),
        "{first}"
    );
    assert!(second.contains("(Liên 2: Giao khách hàng)"), "{second}");
    let (qr, bar) = symbol_sizes(&layout);
    assert!(qr >= 22.0, "QR is {qr} mm");
    assert!(bar.unwrap() >= 0.3 - 1e-4, "narrowest bar {bar:?}");
}

#[test]
fn roll_receipt() {
    check_pdf(Paper::Roll80, "GIẤY TIẾP NHẬN HỒ SƠ");
    let layout = receipt_layout(&dossier(), &options(Paper::Roll80)).unwrap();
    assert_eq!(layout.pages.len(), 1);
    let page = &layout.pages[0];
    assert!((page.width - 80.0).abs() < 0.01);
    assert!(page.printable().w <= 72.0 + 0.01);
    let text = normalize(&layout.text());
    assert!(!text.contains("Liên 2"), "a roll has no second copy");
    assert!(text.contains("Cấp Giấy xác nhận tình trạng hôn nhân"));
    let (qr, _) = symbol_sizes(&layout);
    assert!(qr >= 30.0, "QR is {qr} mm");
}

#[test]
fn every_field_of_the_form_is_printed() {
    let layout = receipt_layout(&dossier(), &options(Paper::A5)).unwrap();
    let text = normalize(&layout.text());
    for needle in [
        "UBND XÃ HƯỚNG THỌ PHÚ",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hướng Thọ Phú, ngày 26 tháng 02 năm 2027",
        "Mã hồ sơ: 000.00.14.H56-270226-0012",
        "Bộ phận tiếp nhận và trả kết quả: TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "Tiếp nhận hồ sơ của: Nguyễn Thị Hồng Nhung",
        "Số định danh cá nhân/Hộ chiếu: 079203001234",
        "Địa chỉ: Số 12, ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh",
        "Số điện thoại: 0912 345 678 Email: hongnhung@example.vn",
        "Người nộp thay: Trần Văn Đức",
        "Nội dung yêu cầu giải quyết: Cấp Giấy xác nhận tình trạng hôn nhân",
        "1. Thành phần hồ sơ nộp gồm:",
        "STT",
        "Tên giấy tờ",
        "Bản chính",
        "Bản sao",
        "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
        "2. Số lượng hồ sơ: 1 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 3 ngày làm việc",
        RECEIVED_PHRASE,
        DUE_PHRASE,
        "6. Đăng ký nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả",
        "Phí, lệ phí: 8.000 đồng",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 1/2027, Số thứ tự: 245",
        "Tra cứu: quét mã QR hoặc dichvucong.gov.vn",
        "Ông/bà vui lòng mang theo giấy này khi đến nhận kết quả.",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "(Ký và ghi rõ họ tên)",
        "Mẫu số 01 – Thông tư 01/2018/TT-VPCP",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
    assert!(!text.contains("In lại"), "not a reprint");
}

#[test]
fn time_limits_in_words() {
    let mut d = dossier();
    d.procedure.limit = TimeLimit::SameDay {
        cutoff: NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
    };
    let text = normalize(&receipt_layout(&d, &options(Paper::A5)).unwrap().text());
    assert!(
        text.contains("3. Thời gian giải quyết hồ sơ theo quy định là: trong ngày"),
        "{text}"
    );
    d.procedure.limit = TimeLimit::CalendarDays { days: 15 };
    let text = normalize(&receipt_layout(&d, &options(Paper::A5)).unwrap().text());
    assert!(
        text.contains("3. Thời gian giải quyết hồ sơ theo quy định là: 15 ngày"),
        "{text}"
    );
    assert!(!text.contains("15 ngày làm việc"), "{text}");
}

#[test]
fn long_dossier_flows_onto_more_pages_without_clipping() {
    let dir = tempfile::tempdir().unwrap();
    for paper in [Paper::A4, Paper::A5] {
        let short = receipt_layout(&dossier(), &options(paper)).unwrap();
        let d = long_dossier();
        let layout = receipt_layout(&d, &options(paper)).unwrap();
        check_layout(&layout);
        assert!(
            layout.pages.len() > short.pages.len(),
            "{paper}: {} pages, as many as a short dossier",
            layout.pages.len()
        );

        let pdf = write_pdf(
            dir.path(),
            &format!("long-{paper}.pdf"),
            &receipt_pdf(&d, &options(paper)).unwrap(),
        );
        assert_eq!(pdf_pages(&pdf), layout.pages.len());
        check_qpdf(&pdf);
        check_fonts(&pdf);
        let text = normalize(&pdftotext(&pdf));
        assert!(
            text.contains(&normalize(&format!("Địa chỉ: {}", long_address()))),
            "{paper}: address cut:\n{text}"
        );
        for doc in &d.documents {
            assert!(text.contains(&doc.name), "{paper}: {:?} missing", doc.name);
        }
        assert!(
            text.contains(&format!("Mã hồ sơ: {CODE} (tiếp theo)")),
            "{paper}: no continuation heading"
        );
        // Every page holding rows of the table starts them with the header row.
        let mut pages_with_rows = 0;
        for (n, page) in layout.pages.iter().enumerate() {
            let runs: Vec<_> = page.text_runs().collect();
            let first_row = runs.iter().position(|t| t.text.contains("Tài liệu số"));
            if let Some(first_row) = first_row {
                pages_with_rows += 1;
                let header = runs.iter().position(|t| t.text.contains("Tên giấy tờ"));
                assert!(
                    header.is_some_and(
                        |h| h < first_row && runs[h].baseline < runs[first_row].baseline
                    ),
                    "{paper}: page {n} continues the table without its header row"
                );
            }
        }
        if paper == Paper::A5 {
            assert!(
                pages_with_rows > 2,
                "{paper}: the table should run over a page break"
            );
        }
        assert!(
            text.contains("qua dịch vụ bưu chính công ích"),
            "{paper}: postal return missing"
        );
        // Nobody comes to collect a result sent by post.
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("Kết quả được gửi qua dịch vụ bưu chính đến địa chỉ đã đăng ký")
                && !flat.contains("mang theo giấy này khi đến nhận"),
            "{paper}: the closing note fits the post"
        );
        for sig in ["NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ"] {
            assert_eq!(
                text.matches(sig).count(),
                2,
                "{paper}: signature block of each copy"
            );
        }
    }
}

#[test]
fn reprint_is_marked_and_otherwise_identical() {
    for paper in [Paper::A4, Paper::A5, Paper::Roll80] {
        let d = dossier();
        let first = receipt_layout(&d, &options(paper)).unwrap();
        let mut opts = options(paper);
        opts.reprint = Some(Reprint {
            number: 2,
            at: utc("2027-03-01T08:05:00+07:00"),
        });
        let again = receipt_layout(&d, &opts).unwrap();
        let marker = "In lại lần 2 – 08:05 01/03/2027";
        let copies = if paper == Paper::Roll80 { 1 } else { 2 };
        assert_eq!(
            again.text().matches(marker).count(),
            copies,
            "{paper}: {}",
            again.text()
        );
        let mut a: Vec<String> = first
            .pages
            .iter()
            .flat_map(|p| p.text_runs().map(|t| t.text.clone()))
            .collect();
        let mut b: Vec<String> = again
            .pages
            .iter()
            .flat_map(|p| p.text_runs().map(|t| t.text.clone()))
            .filter(|t| !t.contains("In lại lần"))
            .collect();
        a.sort();
        b.sort();
        assert_eq!(a, b, "{paper}: a reprint must say the same");
        check_layout(&again);
    }
}

#[test]
fn decomposed_input_prints_composed() {
    let mut d = dossier();
    d.applicant.name = NAME.nfd().collect();
    assert_ne!(d.applicant.name, NAME);
    let dir = tempfile::tempdir().unwrap();
    let pdf = write_pdf(
        dir.path(),
        "nfd.pdf",
        &receipt_pdf(&d, &options(Paper::A5)).unwrap(),
    );
    let text = pdftotext(&pdf);
    assert!(text.contains(NAME), "{text}");
}

#[test]
fn a5_with_five_documents_is_small() {
    let mut d = dossier();
    d.documents = (1..=5)
        .map(|i| ReceivedDocument {
            name: format!("Giấy tờ thứ {i} của hồ sơ"),
            originals: 1,
            copies: 1,
            from_data: false,
        })
        .collect();
    let bytes = receipt_pdf(&d, &options(Paper::A5)).unwrap();
    assert!(
        bytes.len() <= 60 * 1024,
        "A5 receipt is {} bytes",
        bytes.len()
    );
    // Only the faces used are embedded.
    let dir = tempfile::tempdir().unwrap();
    let pdf = write_pdf(dir.path(), "five.pdf", &bytes);
    let fonts = check_fonts(&pdf);
    assert!(fonts.len() <= 4, "{fonts:?}");
}

#[test]
fn svg_preview_matches_the_layout() {
    let layout = receipt_layout(&dossier(), &options(Paper::A5)).unwrap();
    let svg = layout_svg(&layout, 0);
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    assert!(
        svg.contains(r#"width="148mm""#)
            && svg.contains(r#"height="210mm""#)
            && svg.contains(r#"viewBox="0 0 148 210""#)
    );
    assert!(svg.contains(NAME));
    assert!(svg.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"));
    let texts = layout.pages[0].text_runs().count();
    assert_eq!(svg.matches("<text ").count(), texts);
    assert_eq!(
        layout_svg(&layout, 9),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>"#
    );
}

#[test]
fn layout_pdf_keeps_the_title() {
    let layout = receipt_layout(&dossier(), &options(Paper::Roll80)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pdf = write_pdf(
        dir.path(),
        "t.pdf",
        &layout_pdf(&layout, "Phiếu thử nghiệm").unwrap(),
    );
    let info = run_ok("pdfinfo", "poppler-utils", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Phiếu thử nghiệm"), "{info}");
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    assert!(layout_pdf(&Layout::default(), "trống").is_err());
    let mut opts = options(Paper::A5);
    opts.qr_payload = "x".repeat(5000);
    assert!(receipt_pdf(&dossier(), &opts).is_err());
    let mut d = dossier();
    d.code = "MÃ-SAI".into();
    assert!(receipt_pdf(&d, &options(Paper::A5)).is_err());
}

#[test]
fn scanned_receipt_verifies() {
    let scanned = slip::parse_scan(&payload()).unwrap();
    assert_eq!(scanned.code, CODE);
    assert!(slip::verify(
        SECRET,
        &scanned.code,
        scanned.tag.as_deref().unwrap()
    ));
}

/// Data instead of paper and any-desk intake on the receipt: a document taken from a
/// database or VNeID says so in its count columns; another competent authority is named;
/// an office that names itself by its own name (the 2025 set's default) is not printed as
/// "Bộ phận tiếp nhận và trả kết quả".
#[test]
fn a_document_from_data_and_another_authority_are_printed() {
    let mut d = dossier();
    d.documents[1].from_data = true;
    d.documents[1].copies = 0;
    d.authority = "Sở Tư pháp tỉnh Tây Ninh".into();
    let mut opts = options(Paper::A5);
    opts.office_label = d.issuer.unit.clone();
    for paper in [Paper::A5, Paper::A4, Paper::Roll80] {
        opts.paper = paper;
        let layout = receipt_layout(&d, &opts).unwrap();
        let text = normalize(&layout.text());
        assert!(
            text.contains("Cơ quan có thẩm quyền giải quyết: Sở Tư pháp tỉnh Tây Ninh"),
            "{paper}: {text}"
        );
        if paper == Paper::Roll80 {
            continue;
        }
        assert!(text.contains("Khai thác từ CSDL"), "{paper}: {text}");
        assert!(
            text.contains("Cơ quan tiếp nhận: TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"),
            "{text}"
        );
        assert!(
            text.contains("6. Đăng ký nhận kết quả tại: TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"),
            "{text}"
        );
        assert!(!text.contains("Bộ phận tiếp nhận và trả kết quả"), "{text}");
    }
}
