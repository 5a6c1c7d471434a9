//! Forms 02–06, the hand-over list and the Biểu 06 table as laid out: nothing outside the
//! printable area, no text over text, long content flowing onto numbered pages whose table
//! header repeats, and every PDF valid (qpdf) with its text extractable (pdftotext).
//!
//! Needs `poppler-utils` and `qpdf`; a missing tool fails the test.

use crate::common;

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Utc};
use common::{actor, birth_request, fresh_sqlite};
use motcua_core::documents::{
    apology_layout, control_layout, layout_pdf, refusal_layout, register_layout, report_layout,
    stop_layout, supplement_layout, transfer_list_layout, ApologyKind, FormOptions, Layout,
    RegisterEntry,
};
use motcua_core::dossier::Dossier;
use motcua_core::form_input::{Apology, Missing, Refusal, Stop, StopFees, Supplement};
use motcua_core::form_set::{Form, FormSet};
use motcua_core::report::{build, Facts};
use motcua_core::status::Status;
use motcua_core::transfer::{ControlRow, ControlStep, Direction, TransferBatch, TransferRow};

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn dossier() -> Dossier {
    let t = fresh_sqlite().await;
    t.store.setup(&common::agency_input(1)).await.unwrap();
    let mut req = birth_request("Nguyễn Thị Hồng Nhung", "2027-03-01T09:15:00+07:00");
    req.procedure = "1.004873".into();
    t.store.intake(&req, &actor()).await.unwrap()
}

fn options(set: FormSet, form: Form) -> FormOptions {
    FormOptions {
        citation: set.citation(form).unwrap(),
        title: set.title(form).to_string(),
        issued_at: utc("2027-03-02T10:00:00+07:00"),
    }
}

fn pdftotext(layout: &Layout, dir: &Path, name: &str) -> String {
    let pdf = dir.join(name);
    std::fs::write(&pdf, layout_pdf(layout, name).unwrap()).unwrap();
    let qpdf = Command::new("qpdf")
        .args(["--check", pdf.to_str().unwrap()])
        .output()
        .expect("qpdf (package qpdf)");
    assert!(qpdf.status.success(), "{name}: qpdf --check failed");
    let out = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (package poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn sound(layout: &Layout) {
    let defects = layout.defects();
    assert!(defects.is_empty(), "{defects:#?}");
}

/// The text of each page, runs joined.
fn page_texts(layout: &Layout) -> Vec<String> {
    layout
        .pages
        .iter()
        .map(|p| {
            p.text_runs()
                .map(|r| r.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[tokio::test]
async fn a_long_supplement_request_flows_onto_numbered_pages() {
    let d = dossier().await;
    let s = Supplement {
        missing: (1..=40)
            .map(|i| Missing {
                document: format!("Giấy tờ số {i}: bản sao có chứng thực giấy tờ chứng minh"),
                reason: "Bản sao không rõ chữ, thiếu dấu giáp lai; cần nộp bản sao có chứng thực hoặc xuất trình bản chính để đối chiếu".into(),
            })
            .collect(),
        guide: "Liên hệ công chức Tư pháp – Hộ tịch, điện thoại 0276 3812 345".into(),
        desk_phone: "02763812345".into(),
    };
    let layout = supplement_layout(&d, &s, &options(FormSet::Tt01_2018, Form::Supplement)).unwrap();
    sound(&layout);
    let pages = page_texts(&layout);
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let n = pages.len();
    for (i, text) in pages.iter().enumerate() {
        assert!(text.contains(&format!("Trang {}/{n}", i + 1)), "page {i}");
        if text.contains("Giấy tờ số") {
            assert!(text.contains("Lý do"), "page {i}: header repeated");
        }
        if i > 0 {
            assert!(text.contains("(tiếp theo)"), "page {i}");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let text = pdftotext(&layout, dir.path(), "mau02.pdf");
    assert!(text.contains("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"));
    assert!(text.contains("Mẫu số 02 – Thông tư 01/2018/TT-VPCP"));
    assert!(text.contains("Giấy tờ số 40"));
    assert!(text.contains("NGƯỜI HƯỚNG DẪN"));
}

#[tokio::test]
async fn refusal_apology_and_control_slip_read_back() {
    let d = dossier().await;
    let dir = tempfile::tempdir().unwrap();
    let refusal = Refusal {
        reasons: vec![
            "Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã".into(),
            "Người nộp không phải là người có yêu cầu hoặc người được ủy quyền".into(),
        ],
    };
    let layout = refusal_layout(&d, &refusal, &options(FormSet::Tt01_2018, Form::Refusal)).unwrap();
    sound(&layout);
    let text = pdftotext(&layout, dir.path(), "mau03.pdf");
    assert!(text.contains("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"));
    assert!(text.contains("2. Người nộp không phải"));

    let apology = Apology {
        reason: "Chờ kết quả xác minh của Ủy ban nhân dân xã nơi cư trú trước đây".into(),
        new_due: utc("2027-03-09T17:00:00+07:00"),
    };
    for (set, title) in [
        (
            FormSet::Tt01_2018,
            "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        ),
        (
            FormSet::Tt03_2025,
            "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        ),
    ] {
        let layout = apology_layout(
            &d,
            &apology,
            d.due_at,
            if set == FormSet::Tt03_2025 {
                ApologyKind::Letter { number: 12 }
            } else {
                ApologyKind::Slip
            },
            &options(set, Form::Apology),
        )
        .unwrap();
        sound(&layout);
        assert_eq!(layout.pages.len(), 1);
        let text = pdftotext(&layout, dir.path(), "mau04.pdf");
        if set == FormSet::Tt03_2025 {
            // A letter: no title, but its number, subject line and recipients.
            for needle in [
                "Số: 12/XLGH",
                "V/v xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ",
                "Nơi nhận:",
                "3 ngày làm việc",
            ] {
                assert!(text.contains(needle), "{needle:?} missing from {text}");
            }
            assert!(!text.contains(title), "{text}");
        } else {
            assert!(text.contains(title), "{text}");
        }
        assert!(text.contains("09 giờ 15 phút, ngày 04 tháng 03 năm 2027"));
        assert!(text.contains("17 giờ 00 phút, ngày 09 tháng 03 năm 2027"));
        assert!(text.contains("Mẫu số 04"));
    }

    let rows = vec![
        ControlRow {
            step: ControlStep::Transfer {
                direction: Direction::ToUnit,
                unit: "Công chức Tư pháp – Hộ tịch".into(),
                giver: "Trần Văn Bình".into(),
                receiver: "Lê Thị Cúc".into(),
                batch: 1,
            },
            at: utc("2027-03-01T14:00:00+07:00"),
            timeliness: motcua_core::report::Timeliness::Early,
            note: String::new(),
        },
        ControlRow {
            step: ControlStep::Returned {
                receiver: "Nguyễn Thị Hồng Nhung".into(),
                by_post: false,
                tracking: String::new(),
                clerk: "Trần Văn Bình".into(),
            },
            at: utc("2027-03-05T09:00:00+07:00"),
            timeliness: motcua_core::report::Timeliness::Late,
            note: String::new(),
        },
    ];
    let layout = control_layout(&d, &rows, &options(FormSet::Tt03_2025, Form::Control)).unwrap();
    sound(&layout);
    let text = pdftotext(&layout, dir.path(), "mau05.pdf");
    assert!(text.contains("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"));
    assert!(text.contains("Mẫu số 06 – Thông tư 03/2025/TT-VPCP"));
    // The row going to the unit has no result yet; the one returning it was late.
    // "Trước hạn" only in the column's heading.
    assert_eq!(text.matches("Trước hạn").count(), 1, "{text}");
    assert!(text.contains("Quá hạn"), "{text}");
    for needle in [
        "TÊN CƠ QUAN",
        "THỜI GIAN GIAO, NHẬN HỒ SƠ",
        "1. Giao: Bộ phận tiếp nhận và trả kết quả",
        "1. Nhận: Công chức Tư pháp – Hộ tịch",
        "Người giao",
        "Người nhận",
        "Cơ quan (bộ phận) giải quyết hồ sơ:",
        "Cơ quan phối hợp giải quyết hồ sơ:",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from {text}");
    }
}

#[tokio::test]
async fn the_stop_notice_reads_back() {
    let d = dossier().await;
    let dir = tempfile::tempdir().unwrap();
    let stop = Stop {
        reason: "Theo đề nghị dừng giải quyết hồ sơ của người nộp hồ sơ".into(),
        fees: StopFees::Refunded,
    };
    let stage =
        motcua_core::documents::stop_stage(Status::Processing, "Công chức Tư pháp – Hộ tịch");
    let layout = stop_layout(
        &d,
        &stop,
        &stage,
        utc("2027-03-02T10:00:00+07:00"),
        &options(FormSet::Tt03_2025, Form::Stop),
    )
    .unwrap();
    sound(&layout);
    assert_eq!(layout.pages.len(), 1);
    let text = pdftotext(&layout, dir.path(), "mau05.pdf");
    for needle in [
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Mẫu số 05 – Thông tư 03/2025/TT-VPCP",
        "Theo đề nghị dừng giải quyết hồ sơ của người nộp hồ sơ",
        "đang được giải quyết tại Công chức Tư pháp – Hộ tịch",
        "10 giờ 00 phút, ngày 02 tháng 03 năm 2027",
        "được hoàn trả",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from {text}");
    }
}

#[tokio::test]
async fn the_register_book_repeats_its_header_on_every_page() {
    let d = dossier().await;
    let entries: Vec<RegisterEntry> = (1..=60)
        .map(|i| RegisterEntry {
            year: 2027,
            book: 1,
            line: i,
            code: format!("000.00.14.H56-270301-{i:04}"),
            procedure_name: d.procedure.name.clone(),
            sets: 1,
            applicant_name: "Nguyễn Thị Hồng Nhung".into(),
            address: d.applicant.address.clone(),
            phone: "0912345678".into(),
            unit: "Công chức Tư pháp – Hộ tịch".into(),
            authority: String::new(),
            received_at: d.received_at,
            due_at: d.due_at,
            sent_at: Some(utc("2027-03-01T14:00:00+07:00")),
            result_at: (i % 2 == 0).then(|| utc("2027-03-03T10:00:00+07:00")),
            returned_at: (i % 4 == 0).then(|| utc("2027-03-04T08:00:00+07:00")),
            returned_by_post: i % 8 == 0,
            returned_to: if i % 8 == 0 {
                "EB123456789VN".into()
            } else {
                "Nguyễn Thị Hồng Nhung".into()
            },
            status: if i % 4 == 0 {
                Status::Returned
            } else {
                Status::Processing
            },
        })
        .collect();
    let from = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    let layout = register_layout(
        &d.issuer,
        from,
        from,
        &entries,
        &options(FormSet::Tt01_2018, Form::Register),
    )
    .unwrap();
    sound(&layout);
    assert!(layout.pages[0].width > layout.pages[0].height, "landscape");
    let pages = page_texts(&layout);
    assert!(pages.len() >= 3, "{} pages", pages.len());
    for (i, text) in pages.iter().enumerate() {
        assert!(
            text.contains("Thời gian (giờ, ngày)"),
            "page {i}: group header"
        );
        assert!(text.contains("Hẹn trả kết quả"), "page {i}: column header");
    }
    let dir = tempfile::tempdir().unwrap();
    let text = pdftotext(&layout, dir.path(), "mau06.pdf");
    assert!(text.contains("SỔ THEO DÕI HỒ SƠ"));
    assert!(text.contains("000.00.14.H56-270301-0060"));
    assert!(text.contains("Tổng số: 60 hồ sơ."));
}

#[tokio::test]
async fn the_hand_over_list_and_the_statistics_table() {
    let d = dossier().await;
    let batch = TransferBatch {
        id: 7,
        direction: Direction::Back,
        at: utc("2027-03-04T08:00:00+07:00"),
        unit: "Công chức Tư pháp – Hộ tịch".into(),
        giver: "Lê Thị Cúc".into(),
        receiver: "Trần Văn Bình".into(),
        note: String::new(),
        clerk: "Trần Văn Bình".into(),
        rows: (1..=3)
            .map(|i| TransferRow {
                code: format!("000.00.14.H56-270301-{i:04}"),
                procedure_name: d.procedure.name.clone(),
                applicant_name: d.applicant.name.clone(),
                sets: 1,
                due_at: d.due_at,
                from_status: Status::Processing,
                to_status: Status::Ready,
            })
            .collect(),
    };
    let opts = FormOptions {
        citation: String::new(),
        title: "DANH SÁCH BÀN GIAO HỒ SƠ".into(),
        issued_at: batch.at,
    };
    let layout = transfer_list_layout(&d.issuer, &batch, &opts).unwrap();
    sound(&layout);
    let dir = tempfile::tempdir().unwrap();
    let text = pdftotext(&layout, dir.path(), "ban-giao.pdf");
    assert!(text.contains("DANH SÁCH BÀN GIAO HỒ SƠ"));
    assert!(text.contains("Số: 7 – Chuyển trả kết quả giải quyết hồ sơ"));
    assert!(text.contains("Tổng số: 3 hồ sơ."));
    assert!(text.contains("BÊN GIAO") && text.contains("Lê Thị Cúc"));

    let facts: Vec<Facts> = ["1.004873", "2.000815", "1.001193"]
        .iter()
        .map(|code| Facts {
            field: if code.starts_with('2') {
                "Chứng thực".into()
            } else {
                "Hộ tịch".into()
            },
            procedure: code.to_string(),
            procedure_name: format!("Thủ tục {code}"),
            online: false,
            received_at: d.received_at,
            due_at: d.due_at,
            ready_at: Some(utc("2027-03-03T10:00:00+07:00")),
            returned_at: None,
            closed_at: None,
            handed_at: None,
            rating: None,
            pauses: Vec::new(),
            // Two of the three with both rows scanned, one result scanned.
            checklist_rows: 2,
            data_rows: Vec::new(),
            scanned_rows: if *code == "1.001193" {
                vec![1]
            } else {
                vec![2, 1]
            },
            result_scanned: *code == "2.000815",
        })
        .collect();
    let report = build(
        chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
        utc("2027-04-01T09:00:00+07:00"),
        &facts,
    );
    let opts = FormOptions {
        citation: motcua_core::documents::statistics::CITATION.into(),
        title: motcua_core::documents::statistics::TITLE.into(),
        issued_at: utc("2027-04-01T09:00:00+07:00"),
    };
    let layout = report_layout(&d.issuer, &report, &opts).unwrap();
    sound(&layout);
    let text = pdftotext(&layout, dir.path(), "bieu06.pdf");
    assert!(text.contains("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"));
    assert!(text.contains("Số hồ sơ nhận giải quyết"));
    assert!(text.contains("Tổng cộng"));
    assert!(text.contains("Chứng thực") && text.contains("Hộ tịch"));
    // The digitisation rate on a page of its own after the signed form.
    assert_eq!(layout.pages.len(), 2, "{text}");
    let annex = &page_texts(&layout)[1];
    assert!(annex.contains("TỶ LỆ SỐ HÓA"), "{annex}");
    assert!(
        annex.contains("66,7 %") && annex.contains("33,3 %"),
        "{annex}"
    );
}
