//! The 2018 forms (an office that chose Thông tư 01/2018), batch transfers with their
//! hand-over list, postal delivery and the report's exports through the CLI: real PDFs read
//! back with pdftotext, the workbook read back with calamine, the CSV opened as UTF-8 with
//! its byte-order mark. The 2025 forms, a new office's, are in `forms2025_cli.rs`.

use crate::support;

use calamine::{Data, Reader, Xlsx};
use support::{birth, pdf_text, tool, Desk};

/// A dossier of 1.004873 (three working days) received at `received`.
fn marriage_status(desk: &Desk, name: &str, received: &str) -> String {
    let mut req = birth(name, received);
    req["procedure"] = "1.004873".into();
    req["documents"] = serde_json::json!([
        {"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "originals": 1, "copies": 0}
    ]);
    desk.intake(&req)["code"].as_str().unwrap().to_string()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn status(desk: &Desk, code: &str) -> i64 {
    desk.json(&["show", code, "--json"])["status_code"]
        .as_i64()
        .unwrap()
}

#[test]
fn forms_02_to_05_print_and_do_what_they_say() {
    let desk = Desk::ready();
    // An office that kept the 2018 set: its numbers, titles and citations.
    desk.ok(&["settings", "set", "form-set", "tt01-2018"]);
    let a = marriage_status(&desk, "Nguyễn Thị Hồng Nhung", "2027-03-01T09:00:00+07:00");
    let b = marriage_status(&desk, "Lê Văn Tám", "2027-03-01T09:30:00+07:00");
    let c = marriage_status(&desk, "Phạm Thị Cúc", "2027-03-01T10:00:00+07:00");

    form_02_needs_each_missing_document(&desk, &a);
    form_03_refuses_with_each_reason(&desk, &b);
    form_04_sets_a_new_appointment(&desk, &c);
    form_05_lists_the_hand_overs(&desk, &c);
}

/// Mẫu 02 needs every missing document with its reason.
fn form_02_needs_each_missing_document(desk: &Desk, a: &str) {
    let pdf = desk.path("mau02.pdf");
    let out = desk.run(&["form", a, "--form", "02", "--out", pdf.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("Giấy tờ cần bổ sung"),
        "{}",
        stderr(&out)
    );
    let out = desk.run(&[
        "--lang",
        "en",
        "form",
        a,
        "--form",
        "02",
        "--missing",
        "Giấy chứng sinh",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert!(
        stderr(&out).contains("Reason for missing document no. 1"),
        "{}",
        stderr(&out)
    );
    let issued = desk.json(&[
        "form",
        a,
        "--form",
        "02",
        "--missing",
        "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân:chưa có chữ ký của người yêu cầu",
        "--missing",
        "Bản sao giấy tờ chứng minh nơi cư trú:bản chụp không rõ, cần bản sao có chứng thực",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(issued["number"], "02");
    assert_eq!(status(desk, a), 5, "waiting for papers");
    let text = pdf_text(&pdf);
    for needle in [
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Mẫu số 02 – Thông tư 01/2018/TT-VPCP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND XÃ HƯỚNG THỌ PHÚ",
        "Nguyễn Thị Hồng Nhung",
        "chưa có chữ ký của người yêu cầu",
        "Bản sao giấy tờ chứng minh nơi cư trú",
        "NGƯỜI HƯỚNG DẪN",
        a,
    ] {
        assert!(text.contains(needle), "{needle:?} missing from {text}");
    }
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let archived = desk.dir.path().join(format!("forms/2027/{a}-mau-02.pdf"));
    assert!(archived.exists(), "{archived:?}");
}

/// Mẫu 03 refuses, with each reason.
fn form_03_refuses_with_each_reason(desk: &Desk, b: &str) {
    let pdf = desk.path("mau03.pdf");
    desk.ok(&[
        "form",
        b,
        "--form",
        "refusal",
        "--reason",
        "Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã",
        "--reason",
        "Người nộp không có giấy ủy quyền",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(status(desk, b), 3);
    let text = pdf_text(&pdf);
    assert!(text.contains("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"));
    assert!(text.contains("1. Thủ tục không thuộc thẩm quyền"));
    assert!(text.contains("2. Người nộp không có giấy ủy quyền"));
}

/// Mẫu 04: the new appointment replaces the old one.
fn form_04_sets_a_new_appointment(desk: &Desk, c: &str) {
    let pdf = desk.path("mau04.pdf");
    let out = desk.run(&[
        "form",
        c,
        "--form",
        "04",
        "--reason",
        "Chờ xác minh",
        "--new-due",
        "2027-03-06",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert!(stderr(&out).contains("ngày nghỉ"), "{}", stderr(&out));
    let issued = desk.json(&[
        "form",
        c,
        "--form",
        "04",
        "--reason",
        "Chờ kết quả xác minh của Ủy ban nhân dân xã nơi cư trú trước đây",
        "--new-due",
        "2027-03-09",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(issued["due_at"], "2027-03-09T17:00:00+07:00");
    let text = pdf_text(&pdf);
    assert!(text.contains("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"));
    assert!(text.contains("10 giờ 00 phút, ngày 04 tháng 03 năm 2027"));
    assert!(text.contains("17 giờ 00 phút, ngày 09 tháng 03 năm 2027"));
    assert!(text.contains("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"));
}

/// Mẫu 05 lists the hand-overs.
fn form_05_lists_the_hand_overs(desk: &Desk, c: &str) {
    desk.json(&[
        "transfer",
        c,
        "--to-unit",
        "--unit",
        "Công chức Tư pháp – Hộ tịch",
        "--giver",
        "Lê Thị Giao",
        "--receiver",
        "Trần Văn Nhận",
        "--at",
        "2027-03-01T14:00:00+07:00",
    ]);
    desk.json(&[
        "transfer",
        c,
        "--back",
        "--giver",
        "Trần Văn Nhận",
        "--receiver",
        "Lê Thị Giao",
        "--at",
        "2027-03-09T08:00:00+07:00",
    ]);
    let pdf = desk.path("mau05.pdf");
    desk.ok(&["form", c, "--form", "05", "--out", pdf.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    for needle in [
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Mẫu số 05 – Thông tư 01/2018/TT-VPCP",
        "Cơ quan (bộ phận) giải quyết hồ sơ: UBND XÃ HƯỚNG THỌ PHÚ (Công chức Tư pháp – Hộ tịch)",
        "1. Giao: Bộ phận tiếp nhận và trả kết quả 1. Nhận: Công chức Tư pháp – Hộ tịch",
        "2. Giao: Công chức Tư pháp – Hộ tịch 2. Nhận: Bộ phận tiếp nhận và trả kết quả",
        "14 giờ 00 phút, ngày 01/03/2027",
        "Người giao",
        "Người nhận",
        "Lê Thị Giao",
        "Trần Văn Nhận",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from {text}");
    }
    // The result column: known once the result comes back (on 09/03, the new appointment).
    assert!(text.contains("Đúng hạn"), "{text}");
    assert_eq!(
        text.matches("Trước hạn").count(),
        1,
        "only in the column's heading: {text}"
    );
    let out = desk.run(&["form", c, "--form", "06", "--out", "x.pdf"]);
    assert!(stderr(&out).contains("motcua register"), "{}", stderr(&out));
    // 2018 has no 07 and no stop notice; the message names the set and its forms.
    for form in ["07", "stop"] {
        let out = desk.run(&["form", c, "--form", form, "--out", "x.pdf"]);
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("Thông tư 01/2018/TT-VPCP")
                && stderr(&out).contains("05 control"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn a_transfer_moves_all_listed_dossiers_or_none_and_prints_its_list() {
    let desk = Desk::ready();
    let codes: Vec<String> = (0..3)
        .map(|i| {
            marriage_status(
                &desk,
                &format!("Nguyễn Văn {}", ["An", "Bình", "Cường"][i]),
                "2027-03-01T09:00:00+07:00",
            )
        })
        .collect();
    let unknown = codes[0].replace("-0001", "-0999");
    let names = [
        "--unit",
        "Công chức Tư pháp – Hộ tịch",
        "--giver",
        "Nguyễn Thị Giao",
    ];
    // A list that names no receiver is refused, naming the field.
    let mut unnamed = vec!["transfer", &codes[0], "--to-unit"];
    unnamed.extend(names);
    let out = desk.run(&unnamed);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("Người nhận"), "{}", stderr(&out));
    assert_eq!(status(&desk, &codes[0]), 2, "nothing moved");
    let mut args = vec!["transfer", &codes[0], &unknown, "--to-unit"];
    args.extend(names);
    args.extend(["--receiver", "Lê Thị Cúc"]);
    let out = desk.run(&args);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(&unknown), "{}", stderr(&out));
    assert_eq!(status(&desk, &codes[0]), 2, "nothing moved");
    let out = desk.run(&["transfer", &codes[0]]);
    assert!(!out.status.success(), "a direction is required");

    let list = desk.path("ban-giao.pdf");
    let mut args = vec!["transfer"];
    args.extend(codes.iter().map(String::as_str));
    args.extend([
        "--to-unit",
        "--unit",
        "Công chức Tư pháp – Hộ tịch",
        "--giver",
        "Nguyễn Thị Giao",
        "--receiver",
        "Lê Thị Cúc",
        "--out",
        list.to_str().unwrap(),
    ]);
    let batch = desk.json(&args);
    assert_eq!(batch["rows"].as_array().unwrap().len(), 3);
    assert!(std::path::Path::new(batch["archived"].as_str().unwrap()).exists());
    for code in &codes {
        assert_eq!(status(&desk, code), 4);
    }
    let text = pdf_text(&list);
    assert!(text.contains("DANH SÁCH BÀN GIAO HỒ SƠ"));
    assert!(text.contains("Tổng số: 3 hồ sơ."));
    assert!(text.contains("Lê Thị Cúc"));
    for code in &codes {
        assert!(text.contains(code.as_str()), "{code}");
    }
}

#[test]
fn the_register_book_spans_pages_with_its_header() {
    let desk = Desk::ready();
    let lines: Vec<String> = (0..45)
        .map(|i| {
            serde_json::to_string(&birth(
                &format!(
                    "Nguyễn Văn Thử {}",
                    ["An", "Bình", "Cường", "Dũng", "Em"][i % 5]
                ),
                &format!("2027-03-0{}T09:{:02}:00+07:00", 1 + i % 3, i),
            ))
            .unwrap()
        })
        .collect();
    let out = desk.run_stdin(&["intake", "--jsonl", "-"], &(lines.join("\n") + "\n"));
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = desk.path("so.pdf");
    desk.ok(&[
        "register",
        "--from",
        "2027-03-01",
        "--to",
        "2027-03-03",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert!(pages >= 2, "{info}");
    for page in 1..=pages {
        let p = page.to_string();
        let text = tool(
            "pdftotext",
            &["-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
        )
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
        assert!(text.contains("Hẹn trả kết quả"), "page {page}: {text}");
        assert!(
            text.contains(&format!("Trang {page}/{pages}")),
            "page {page}"
        );
    }
    let text = pdf_text(&pdf);
    assert!(text.contains("SỔ THEO DÕI HỒ SƠ"));
    assert!(text.contains("Mẫu số 07 – Thông tư 03/2025/TT-VPCP"));
    assert!(text.contains("Tổng số: 45 hồ sơ."));
}

#[test]
fn the_report_exports_to_csv_xlsx_and_pdf() {
    let desk = Desk::ready();
    let a = marriage_status(&desk, "Nguyễn Văn An", "2027-03-01T09:00:00+07:00");
    desk.ok(&[
        "transition",
        &a,
        "--to",
        "9",
        "--at",
        "2027-03-03T10:00:00+07:00",
    ]);
    let b = desk.intake(&birth("Trần Thị Bình", "2027-03-02T09:00:00+07:00"));
    let b = b["code"].as_str().unwrap();
    desk.ok(&[
        "transition",
        b,
        "--to",
        "9",
        "--at",
        "2027-03-02T15:00:00+07:00",
    ]);
    let period = ["report", "--from", "2027-03-01", "--to", "2027-03-31"];
    let export = |format: &str| {
        let path = desk.path(&format!("bieu06.{format}"));
        let mut args = period.to_vec();
        args.extend(["--format", format, "--out", path.to_str().unwrap()]);
        desk.ok(&args);
        path
    };

    let csv = std::fs::read(export("csv")).unwrap();
    assert_eq!(&csv[..3], b"\xEF\xBB\xBF");
    let csv = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(csv.contains("Cấp Giấy xác nhận tình trạng hôn nhân"));

    let mut book: Xlsx<_> = calamine::open_workbook(export("xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Biểu 06", "Tỷ lệ số hóa"]);
    let sheet = book.worksheet_range("Biểu 06").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let text = |r: u32, c: u32| match cell(r, c) {
        Data::String(s) => s,
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    };
    assert!(text(1, 0).contains("BIỂU SỐ 06/VPCP/KSTT"));
    assert!(text(2, 0).contains("từ ngày 01/03/2027 đến ngày 31/03/2027"));
    assert_eq!(text(4, 3), "Số hồ sơ nhận giải quyết");
    assert_eq!(text(5, 5), "Trực tiếp, bưu chính");
    // Fields in order, each subtotal above its procedures, the total last.
    let labels: Vec<(String, String)> = (6..10).map(|r| (text(r, 0), text(r, 2))).collect();
    assert_eq!(
        labels,
        [
            ("Hộ tịch".to_string(), "Cộng lĩnh vực".to_string()),
            ("Hộ tịch".into(), "Đăng ký khai sinh".into()),
            (
                "Hộ tịch".into(),
                "Cấp Giấy xác nhận tình trạng hôn nhân".into()
            ),
            ("Tổng cộng".into(), String::new()),
        ]
    );
    assert_eq!(text(8, 1), "1.004873");
    assert_eq!(cell(10, 0), Data::Empty, "nothing below the total");
    // Counts are numbers: received 2, direct 2, resolved 2, early 1, on time 1.
    let numbers: Vec<Data> = (3..9).map(|c| cell(9, c)).collect();
    assert_eq!(
        numbers,
        [2.0, 0.0, 2.0, 0.0, 2.0, 1.0].map(Data::Float).to_vec(),
        "{numbers:?}"
    );

    let pdf = export("pdf");
    let text = pdf_text(&pdf);
    assert!(text.contains("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"));
    assert!(text.contains("Biểu số 06/VPCP/KSTT"));
    assert!(text.contains("Tổng cộng"));
    let mut args = period.to_vec();
    args.extend(["--format", "xlsx"]);
    let out = desk.run(&args);
    assert!(!out.status.success(), "a workbook needs --out");
}

#[test]
fn the_form_set_setting_changes_every_citation() {
    let desk = Desk::ready();
    let out = desk.run(&["settings", "set", "form-set", "tt99"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("tt01-2018, tt03-2025"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        desk.ok(&["settings", "get", "form-set"]).trim(),
        "tt03-2025",
        "a new office prints the 2025 forms"
    );
    desk.ok(&["settings", "set", "form-set", "tt01-2018"]);
    let a = marriage_status(&desk, "Nguyễn Văn An", "2027-03-01T09:00:00+07:00");
    let first = desk.path("first.pdf");
    desk.receipt(&a, "a4", &first);
    assert!(pdf_text(&first).contains("Mẫu số 01 – Thông tư 01/2018/TT-VPCP"));

    desk.ok(&["settings", "set", "form-set", "tt03-2025"]);
    assert_eq!(
        desk.ok(&["settings", "get", "form-set"]).trim(),
        "tt03-2025"
    );
    // A reprint keeps the set of the first issue; a new dossier's receipt takes the new one.
    let again = desk.path("again.pdf");
    desk.receipt(&a, "a4", &again);
    assert!(pdf_text(&again).contains("Thông tư 01/2018/TT-VPCP"));
    let b = marriage_status(&desk, "Lê Thị Bích", "2027-03-01T09:00:00+07:00");
    let b_pdf = desk.path("b.pdf");
    desk.receipt(&b, "a5", &b_pdf);
    assert!(pdf_text(&b_pdf).contains("Mẫu số 01 – Thông tư 03/2025/TT-VPCP"));
    let control = desk.path("control.pdf");
    let issued = desk.json(&[
        "form",
        &b,
        "--form",
        "06",
        "--out",
        control.to_str().unwrap(),
    ]);
    assert_eq!(issued["form"], "control");
    assert_eq!(issued["number"], "06");
    assert!(pdf_text(&control).contains("Mẫu số 06 – Thông tư 03/2025/TT-VPCP"));
}

#[test]
fn the_post_reports_delivery() {
    let desk = Desk::ready();
    let a = marriage_status(&desk, "Nguyễn Văn An", "2027-03-01T09:00:00+07:00");
    desk.ok(&["transition", &a, "--to", "9"]);
    let out = desk.run(&["delivery", &a, "--status", "delivered"]);
    assert!(!out.status.success(), "not handed over yet");
    desk.ok(&[
        "handover",
        &a,
        "--tracking",
        "EB123456789VN",
        "--at",
        "2027-03-04T10:00:00+07:00",
    ]);
    let out = desk.run(&["delivery", &a, "--status", "lost"]);
    assert!(
        stderr(&out).contains("delivered, returned"),
        "{}",
        stderr(&out)
    );
    let state = desk.json(&[
        "delivery",
        &a,
        "--status",
        "delivered",
        "--at",
        "2027-03-06",
    ]);
    assert_eq!(state["status"], "delivered");
    assert_eq!(state["status_at"], "2027-03-06T17:00:00+07:00");
    let history = desk.json(&["history", &a, "--json"]);
    assert_eq!(
        history.as_array().unwrap().last().unwrap()["kind"],
        "delivery_updated"
    );
}

#[test]
fn the_new_commands_have_help() {
    for cmd in ["form", "register", "transfer", "delivery", "report"] {
        let out = std::process::Command::new(support::BIN)
            .args([cmd, "--help"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{cmd}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{cmd}"
        );
    }
}
