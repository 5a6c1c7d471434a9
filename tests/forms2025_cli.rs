//! The forms of Thông tư 03/2025/TT-VPCP, a new office's set, issued through the CLI and read
//! back with pdftotext: each form's title, number and citation line and what it says; the
//! stop notice (Mẫu 05) moving the dossier to 8 and stopping its clock for good; Mẫu 04 as a
//! numbered letter; what `--form 05` and `--form 07` mean under each set.

use crate::support;

use support::{pdf_text, tool, Desk};

/// A dossier of 1.004873 (three working days) received at `received`.
fn marriage_status(desk: &Desk, name: &str, received: &str) -> String {
    let mut req = support::birth(name, received);
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

fn has_all(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "{needle:?} missing from {text}");
    }
}

/// The PDF's own title (what a viewer's title bar shows).
fn pdf_title(pdf: &std::path::Path) -> String {
    tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Title:"))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// Issues `form` for `code` with `extra` arguments into a fresh PDF: its JSON and its text.
fn issue(desk: &Desk, code: &str, form: &str, extra: &[&str]) -> (serde_json::Value, String) {
    let pdf = desk.path(&format!("{code}-{form}.pdf"));
    let mut args = vec!["form", code, "--form", form];
    args.extend(extra);
    args.extend(["--out", pdf.to_str().unwrap()]);
    let issued = desk.json(&args);
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    (issued, pdf_text(&pdf))
}

#[test]
fn a_new_office_issues_the_2025_forms_with_their_numbers() {
    let desk = Desk::ready();
    assert_eq!(
        desk.ok(&["settings", "get", "form-set"]).trim(),
        "tt03-2025"
    );
    let a = marriage_status(&desk, "Nguyễn Thị Hồng Nhung", "2027-03-01T09:00:00+07:00");
    let b = marriage_status(&desk, "Lê Văn Tám", "2027-03-01T09:30:00+07:00");
    let c = marriage_status(&desk, "Phạm Thị Cúc", "2027-03-01T10:00:00+07:00");

    form_01_the_receipt(&desk, &a);
    form_02_asks_for_what_is_missing(&desk, &a);
    form_03_refuses_the_dossier(&desk, &b);
    form_04_the_letter_numbered_in_the_year(&desk, &c);
    form_05_stops_at_the_processing_unit(&desk, &c);
    form_06_the_control_slip(&desk, &c);
    form_07_is_the_register_and_08_is_none(&desk, &a);
}

/// Mẫu 01.
fn form_01_the_receipt(desk: &Desk, a: &str) {
    let receipt = desk.path("mau01.pdf");
    desk.ok(&["receipt", a, "--out", receipt.to_str().unwrap()]);
    has_all(
        &pdf_text(&receipt),
        &[
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "Mẫu số 01 – Thông tư 03/2025/TT-VPCP",
        ],
    );
}

/// Mẫu 02.
fn form_02_asks_for_what_is_missing(desk: &Desk, a: &str) {
    let (issued, text) = issue(
        desk,
        a,
        "02",
        &[
            "--missing",
            "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân:chưa có chữ ký",
        ],
    );
    assert_eq!(
        (&issued["number"], &issued["form_set"]),
        (&"02".into(), &"tt03-2025".into())
    );
    assert_eq!(status(desk, a), 5);
    has_all(
        &text,
        &[
            "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            "Mẫu số 02 – Thông tư 03/2025/TT-VPCP",
            "chưa có chữ ký",
        ],
    );
}

/// Mẫu 03.
fn form_03_refuses_the_dossier(desk: &Desk, b: &str) {
    let (issued, text) = issue(
        desk,
        b,
        "03",
        &[
            "--reason",
            "Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã",
        ],
    );
    assert_eq!(issued["number"], "03");
    assert_eq!(status(desk, b), 3);
    has_all(
        &text,
        &[
            "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
            "Mẫu số 03 – Thông tư 03/2025/TT-VPCP",
            "1. Thủ tục không thuộc thẩm quyền",
        ],
    );
}

/// Mẫu 04: an official letter, numbered in the year.
fn form_04_the_letter_numbered_in_the_year(desk: &Desk, c: &str) {
    let (issued, text) = issue(
        desk,
        c,
        "04",
        &[
            "--reason",
            "Chờ kết quả xác minh của Ủy ban nhân dân xã nơi cư trú trước đây",
            "--new-due",
            "2027-03-09",
            "--at",
            "2027-03-03T15:00:00+07:00",
        ],
    );
    assert_eq!(
        (&issued["number"], &issued["letter"]),
        (&"04".into(), &1.into())
    );
    assert_eq!(issued["due_at"], "2027-03-09T17:00:00+07:00");
    has_all(
        &text,
        &[
            "Mẫu số 04 – Thông tư 03/2025/TT-VPCP",
            "Số: 1/XLGH",
            "V/v xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ",
            "Hướng Thọ Phú, ngày 03 tháng 03 năm 2027",
            "Kính gửi: Ông/Bà Phạm Thị Cúc",
            "thời hạn giải quyết hồ sơ là 3 ngày làm việc",
            "10 giờ 00 phút, ngày 04 tháng 03 năm 2027",
            "Lý do: Chờ kết quả xác minh của Ủy ban nhân dân xã nơi cư trú trước đây",
            "17 giờ 00 phút, ngày 09 tháng 03 năm 2027",
            "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
            "Nơi nhận:",
            "- Như trên;",
        ],
    );
    let letter = desk.path(&format!("{c}-04.pdf"));
    assert_eq!(
        pdf_title(&letter),
        format!("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết {c}")
    );
}

/// Mẫu 05: the stop notice, once the dossier is at the processing unit.
fn form_05_stops_at_the_processing_unit(desk: &Desk, c: &str) {
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
        "2027-03-04T08:00:00+07:00",
    ]);
    let out = desk.run(&["form", c, "--form", "05", "--out", "x.pdf"]);
    assert!(!out.status.success(), "a stop needs its reason");
    assert!(
        stderr(&out).contains("Đề nghị, lý do dừng giải quyết"),
        "{}",
        stderr(&out)
    );
    assert_eq!(status(desk, c), 4, "nothing moved");
    let (issued, text) = issue(
        desk,
        c,
        "05",
        &[
            "--reason",
            "request",
            "--fees",
            "refunded",
            "--at",
            "2027-03-05T09:30:00+07:00",
        ],
    );
    assert_eq!(
        (&issued["form"], &issued["number"], &issued["status_code"]),
        (&"stop".into(), &"05".into(), &8.into())
    );
    has_all(
        &text,
        &[
            "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
            "Mẫu số 05 – Thông tư 03/2025/TT-VPCP",
            "Kính gửi: Ông/Bà Phạm Thị Cúc",
            "1. Đề nghị, lý do dừng giải quyết: Theo đề nghị dừng giải quyết hồ sơ của người nộp hồ sơ",
            "2. Tình trạng giải quyết hồ sơ: Hồ sơ đang được giải quyết tại Công chức Tư pháp – Hộ tịch",
            "3. Quyết định: UBND XÃ HƯỚNG THỌ PHÚ dừng giải quyết hồ sơ nêu trên kể từ 09 giờ 30 phút, ngày 05 tháng 03 năm 2027",
            "4. Phí, lệ phí: đã nộp được hoàn trả cho người nộp hồ sơ.",
        ],
    );
    assert!(std::path::Path::new(issued["archived"].as_str().unwrap())
        .ends_with(format!("forms/2027/{c}-mau-05-dung.pdf")));
    let history = desk.json(&["history", c, "--json"]);
    let kinds: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(&kinds[kinds.len() - 2..], ["status_changed", "form_issued"]);
}

/// Mẫu 06: the control slip, with the hand-over and room to sign.
fn form_06_the_control_slip(desk: &Desk, c: &str) {
    let (issued, text) = issue(desk, c, "06", &[]);
    assert_eq!(
        (&issued["form"], &issued["number"]),
        (&"control".into(), &"06".into())
    );
    has_all(
        &text,
        &[
            "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            "Mẫu số 06 – Thông tư 03/2025/TT-VPCP",
            "TÊN CƠ QUAN",
            "KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
            "GHI CHÚ",
            "Người giao",
            "Người nhận",
            "08 giờ 00 phút, ngày 04/03/2027",
        ],
    );
}

/// Mẫu 07 is the register book, printed by its own command.
fn form_07_is_the_register_and_08_is_none(desk: &Desk, a: &str) {
    let out = desk.run(&["form", a, "--form", "07", "--out", "x.pdf"]);
    assert!(stderr(&out).contains("motcua register"), "{}", stderr(&out));
    let book = desk.path("so.pdf");
    desk.ok(&[
        "register",
        "--from",
        "2027-03-01",
        "--to",
        "2027-03-01",
        "--out",
        book.to_str().unwrap(),
    ]);
    has_all(
        &pdf_text(&book),
        &["SỔ THEO DÕI HỒ SƠ", "Mẫu số 07 – Thông tư 03/2025/TT-VPCP"],
    );
    // A number the set does not have names the set and its forms.
    let out = desk.run(&["form", a, "--form", "08", "--out", "x.pdf"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("Thông tư 03/2025/TT-VPCP") && stderr(&out).contains("05 stop"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_stopped_dossier_is_never_overdue_and_bieu_06_counts_it_closed() {
    let desk = Desk::ready();
    // Received weeks ago: both would be overdue today.
    let stopped = marriage_status(&desk, "Nguyễn Văn An", "2026-11-02T09:00:00+07:00");
    let late = marriage_status(&desk, "Lê Thị Bích", "2026-11-02T09:30:00+07:00");
    let overdue = |desk: &Desk| -> Vec<String> {
        desk.json(&["list", "--worklist", "overdue", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(overdue(&desk).len(), 2);
    issue(
        &desk,
        &stopped,
        "05",
        &[
            "--reason",
            "Người nộp hồ sơ đề nghị rút để bổ sung giấy tờ khác",
            "--at",
            "2026-11-03T09:00:00+07:00",
        ],
    );
    assert_eq!(status(&desk, &stopped), 8);
    assert_eq!(overdue(&desk), [late]);
    let report = desk.json(&[
        "report",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--at",
        "2026-12-01T08:00:00+07:00",
    ]);
    let totals = &report["totals"];
    assert_eq!(totals["received_total"], 2);
    assert_eq!(totals["closed_total"], 1, "{totals}");
    assert_eq!(totals["in_progress_total"], 1);
    assert_eq!(totals["in_progress_overdue"], 1);
    // The clock stays stopped: no later move is allowed.
    let out = desk.run(&["transition", &stopped, "--to", "4"]);
    assert!(!out.status.success());
}

#[test]
fn form_numbers_mean_what_the_set_in_force_says() {
    let desk = Desk::ready();
    let a = marriage_status(&desk, "Nguyễn Văn An", "2027-03-01T09:00:00+07:00");
    // 2025: 05 is the stop notice (it needs a reason), 06 the control slip.
    let out = desk.run(&["form", &a, "--form", "05", "--out", "x.pdf"]);
    assert!(
        stderr(&out).contains("Đề nghị, lý do dừng giải quyết"),
        "{}",
        stderr(&out)
    );
    let (issued, _) = issue(&desk, &a, "06", &[]);
    assert_eq!(issued["form"], "control");
    // 2018: 05 is the control slip, 06 the register, and there is no stop notice.
    desk.ok(&["settings", "set", "form-set", "tt01-2018"]);
    let (issued, text) = issue(&desk, &a, "05", &[]);
    assert_eq!(
        (&issued["form"], &issued["number"]),
        (&"control".into(), &"05".into())
    );
    assert!(
        text.contains("Mẫu số 05 – Thông tư 01/2018/TT-VPCP"),
        "{text}"
    );
    let out = desk.run(&[
        "form", &a, "--form", "stop", "--reason", "request", "--out", "x.pdf",
    ]);
    assert!(
        stderr(&out).contains("Thông tư 01/2018/TT-VPCP"),
        "{}",
        stderr(&out)
    );
    // The same stop is a plain status move there.
    desk.ok(&["transition", &a, "--to", "8"]);
    assert_eq!(status(&desk, &a), 8);
    // Help says what each number means in each set.
    let help = desk.ok(&["form", "--help"]);
    assert!(
        help.contains("05 stop notice") && help.contains("05 control slip"),
        "{help}"
    );
}
