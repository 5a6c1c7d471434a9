//! The dossier's life after intake in the real window under Xvfb: the Biểu 06 report and
//! its exports, form 02 and the 2025 stop notice from the dossier panel with the form set in
//! force, a batch hand-over by typed and scanned codes, and the offline banner while a
//! private PostgreSQL server is stopped and started.

use crate::private_server;
use crate::support;

use std::path::{Path, PathBuf};

use fantoccini::key::Key;
use fantoccini::Locator;
use private_server::{is_root, PrivateServer};
use support::window::Window;
use support::{birth, pdf_text, symbols, Desk};

fn code_of(dossier: &serde_json::Value) -> String {
    dossier["code"].as_str().unwrap().to_string()
}

/// Sets a date or select control the way a person's choice does: value, then `change`.
async fn choose(w: &Window, css: &str, value: &str) {
    w.wait_css(css).await;
    w.client
        .execute(
            "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![css.into(), value.into()],
        )
        .await
        .unwrap();
}

/// Ends the session; WebKitWebDriver sometimes never answers the session's deletion after
/// a page has written files, and dropping the window stops its drivers anyway.
async fn finish(w: Window) {
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), w.close()).await;
}

/// Clicks through the page's script: WebKitWebDriver never answers a click on a button
/// whose own handler removes it from the page at once (a row's "Bỏ", "Ghi đè").
async fn js_click(w: &Window, css: &str) {
    w.wait_css(css).await;
    w.client
        .execute(
            "document.querySelector(arguments[0]).click();",
            vec![css.into()],
        )
        .await
        .unwrap();
}

/// Replaces a text field's content by typing, as the clerk edits the proposed path.
async fn retype(w: &Window, css: &str, text: &str) {
    let el = w.wait_css(css).await;
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

/// Waits until a field's value satisfies `pred` (a proposal arrives from the core).
async fn wait_value(w: &Window, css: &str, pred: impl Fn(&str) -> bool) -> String {
    for _ in 0..200 {
        let v = value(w, css).await;
        if pred(&v) {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "{css} never had the value wanted; last {:?}",
        value(w, css).await
    );
}

async fn value(w: &Window, css: &str) -> String {
    w.wait_css(css)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// The file an "Mở" button opens (the message itself names no path).
async fn opened_by(w: &Window, css: &str) -> PathBuf {
    let path = w
        .wait_css(css)
        .await
        .attr("data-path")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(!path.is_empty(), "{css} opens nothing");
    PathBuf::from(path)
}

async fn open_dossier(w: &Window, code: &str) {
    w.wait_css("#dossier-list").await;
    w.click("#search").await;
    w.type_keys(&format!("{code}{}", Key::Enter)).await;
    w.wait_text("#detail-code", |t| t == code).await;
}

#[tokio::test]
async fn the_report_screen_counts_dossiers_and_exports_xlsx_and_csv() {
    let desk = Desk::ready();
    let received = [
        "2026-03-03T09:00:00+07:00",
        "2026-03-04T09:00:00+07:00",
        "2026-03-05T09:00:00+07:00",
    ];
    let codes: Vec<String> = received
        .iter()
        .zip(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"])
        .map(|(at, name)| code_of(&desk.intake(&birth(name, at))))
        .collect();

    one_resolved_one_sent_on_one_refused(&desk, &codes);
    let expected = desk.json(&["report", "--from", "2026-03-01", "--to", "2026-03-31"]);

    let w = Window::open(&desk, None).await;
    the_screen_counts_as_the_core_does(&w, &expected).await;
    the_report_is_written_as_xlsx(&w, &desk).await;
    the_csv_keeps_an_existing_file_until_confirmed(&w, &desk).await;
    the_register_book_lists_the_dossiers(&w, &desk, &codes).await;
    in_english_at_the_small_screen_size(&w).await;
    finish(w).await;
}

/// The first is resolved and collected with a rating; the second goes to the unit; the
/// third is refused.
fn one_resolved_one_sent_on_one_refused(desk: &Desk, codes: &[String]) {
    desk.ok(&[
        "transition",
        &codes[0],
        "--to",
        "4",
        "--at",
        "2026-03-03T10:00:00+07:00",
    ]);
    desk.ok(&[
        "transition",
        &codes[0],
        "--to",
        "9",
        "--at",
        "2026-03-03T15:00:00+07:00",
    ]);
    desk.ok(&[
        "handover",
        &codes[0],
        "--receiver-name",
        "Nguyễn Văn An",
        "--receiver-id",
        "079203001234",
        "--rating",
        "1",
        "--at",
        "2026-03-04T08:00:00+07:00",
    ]);
    desk.ok(&[
        "transition",
        &codes[1],
        "--to",
        "4",
        "--at",
        "2026-03-04T10:00:00+07:00",
    ]);
    desk.ok(&[
        "transition",
        &codes[2],
        "--to",
        "3",
        "--at",
        "2026-03-05T10:00:00+07:00",
    ]);
}

/// The report screen, for a period typed day first, counts as the core does.
async fn the_screen_counts_as_the_core_does(w: &Window, expected: &serde_json::Value) {
    // The lists have drawn (their first fetch done) before leaving them.
    w.wait_text("#list-title", |t| !t.is_empty()).await;
    w.wait_text("#dashboard", |t| !t.is_empty()).await;
    w.click("#nav-reports").await;
    w.wait_css("#report-period").await;
    // The period's dates read day first (no locale-dependent date picker), and the clerk
    // types them that way, short forms too.
    let shown = wait_value(w, "#report-from", |v| !v.is_empty()).await;
    assert!(
        shown.len() == 10 && shown.starts_with("01/") && shown[6..].parse::<u32>().is_ok(),
        "{shown}"
    );
    choose(w, "#report-from", "1/3/2026").await;
    choose(w, "#report-to", "31/03/2026").await;
    w.wait_text("#report-range", |t| {
        t.contains("01/03/2026") && t.contains("31/03/2026") && t.contains("24:00")
    })
    .await;
    let cell = |key: &str| format!("#report-totals td[data-key={key}]");
    for (key, want) in [
        ("received_total", 3),
        ("received_direct", 3),
        ("received_online", 0),
        ("resolved_total", 1),
        ("in_progress_total", 1),
        ("closed_total", 1),
        ("rating_very_satisfied", 1),
    ] {
        let shown = w.wait_text(&cell(key), |t| !t.is_empty()).await;
        assert_eq!(shown, want.to_string(), "{key}");
        assert_eq!(expected["totals"][key], want, "{key}");
    }
    // Every counter of the procedure's row, as the core counts it.
    let proc = expected["rows"][0]["procedure"]
        .as_str()
        .unwrap()
        .to_string();
    for key in [
        "resolved_early",
        "resolved_on_time",
        "resolved_late",
        "in_progress_within",
        "in_progress_overdue",
    ] {
        let css = format!("tr[data-procedure='{proc}'] td[data-key={key}]");
        let shown = w.wait_text(&css, |t| !t.is_empty()).await;
        assert_eq!(shown, expected["rows"][0][key].to_string(), "{key}");
    }
    w.screenshot("report-vi").await;
}

/// The proposed path is in the Documents folder, named for the period.
async fn the_report_is_written_as_xlsx(w: &Window, desk: &Desk) {
    let proposed = wait_value(w, "#export-path", |v| !v.is_empty()).await;
    assert!(
        proposed.ends_with("/MotCua/bieu-06-2026-03.xlsx"),
        "{proposed}"
    );
    let xlsx = desk.path("bieu-06.xlsx");
    retype(w, "#export-path", xlsx.to_str().unwrap()).await;
    js_click(w, "#export-write").await;
    w.wait_text("#export-written", |t| t.contains("bieu-06.xlsx"))
        .await;
    w.wait_css("#export-open").await;
    let sheet = read_xlsx(&xlsx);
    let total_row = sheet
        .iter()
        .find(|r| r.iter().any(|c| c == "Tổng cộng"))
        .unwrap_or_else(|| panic!("no total row in {sheet:?}"));
    assert!(total_row.contains(&"3".to_string()), "{total_row:?}");
}

/// CSV: an existing file is kept until the clerk confirms.
async fn the_csv_keeps_an_existing_file_until_confirmed(w: &Window, desk: &Desk) {
    choose(w, "#export-kind", "report_csv").await;
    wait_value(w, "#export-path", |v| v.ends_with("bieu-06-2026-03.csv")).await;
    let csv = desk.path("bieu-06.csv");
    std::fs::write(&csv, "old").unwrap();
    retype(w, "#export-path", csv.to_str().unwrap()).await;
    js_click(w, "#export-write").await;
    w.wait_text("#export-exists", |t| !t.is_empty()).await;
    w.screenshot("report-overwrite-vi").await;
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "old");
    js_click(w, "#export-overwrite").await;
    w.wait_text("#export-written", |t| t.contains("bieu-06.csv"))
        .await;
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let totals = lines[lines.len() - 2];
    assert!(totals.starts_with("Tổng cộng,,,3,0,3,0,1,"), "{totals}");
    // The last line says when the figures were taken: here, a month already over.
    assert!(
        lines[lines.len() - 1].contains("số liệu tính đến 24:00 ngày 31/03/2026"),
        "{text}"
    );
}

/// The register book as PDF lists the three dossiers.
async fn the_register_book_lists_the_dossiers(w: &Window, desk: &Desk, codes: &[String]) {
    choose(w, "#export-kind", "register").await;
    wait_value(w, "#export-path", |v| {
        v.ends_with("so-theo-doi-2026-03.pdf")
    })
    .await;
    let register = desk.path("so.pdf");
    retype(w, "#export-path", register.to_str().unwrap()).await;
    js_click(w, "#export-write").await;
    w.wait_text("#export-written", |t| t.contains("so.pdf"))
        .await;
    let text = pdf_text(&register);
    for c in codes {
        assert!(text.contains(c.as_str()), "{c} not in {text}");
    }
}

/// English, at the small screen size.
async fn in_english_at_the_small_screen_size(w: &Window) {
    w.resize(1366, 768).await;
    w.click("#lang-switch").await;
    // The whole window is drawn again in English: click the new tab, not the old one.
    w.wait_text("#nav-reports", |t| t.starts_with("Reports"))
        .await;
    w.click("#nav-reports").await;
    w.wait_text("#reports h1", |t| t.contains("report")).await;
    w.screenshot("report-en-1366").await;
}

fn read_xlsx(path: &Path) -> Vec<Vec<String>> {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[tokio::test]
async fn form_02_from_the_dossier_panel_lists_the_missing_documents() {
    let desk = Desk::ready();
    let code = code_of(&desk.intake(&birth("Nguyễn Văn An", "2026-03-03T09:00:00+07:00")));
    let w = Window::open(&desk, None).await;
    open_dossier(&w, &code).await;
    // A received dossier may wait for papers, be refused or be given a new appointment;
    // the control slip is always offered.
    for id in [
        "#form-supplement",
        "#form-refusal",
        "#form-apology",
        "#form-control",
    ] {
        w.wait_css(id).await;
    }
    // The forms are in the panel's menu, beside the rarer status moves.
    w.click("#more-actions > summary").await;
    w.click("#form-supplement").await;
    // Pre-filled from the dossier's documents; a reason left empty is an error beside it.
    let first = value(&w, "#missing-rows .missing-document").await;
    assert_eq!(first, "Tờ khai đăng ký khai sinh");
    w.click("#form-issue").await;
    let err = w
        .wait_text(
            "[data-field='supplement.missing[0].reason'] .field-error",
            |t| !t.is_empty(),
        )
        .await;
    assert!(err.contains("trống"), "{err}");
    assert_eq!(desk.json(&["show", &code, "--json"])["status_code"], 2);

    w.client
        .find(Locator::Css("#missing-rows .missing-reason"))
        .await
        .unwrap()
        .send_keys("chưa có chữ ký của người đi khai")
        .await
        .unwrap();
    w.click("#add-missing").await;
    w.type_keys("Giấy chứng sinh").await;
    let reasons = w
        .client
        .find_all(Locator::Css("#missing-rows .missing-reason"))
        .await
        .unwrap();
    reasons[1].send_keys("bản chính").await.unwrap();
    w.screenshot("form-02-vi").await;
    w.click("#form-issue").await;
    let issued = w.wait_text("#form-issued", |t| !t.is_empty()).await;
    assert!(
        !issued.contains('/'),
        "no path in front of the clerk: {issued}"
    );
    w.wait_text("#detail-status", |t| t == "Yêu cầu bổ sung giấy tờ")
        .await;
    w.wait_css("#form-open").await;
    w.screenshot("form-02-issued-vi").await;

    let pdf = opened_by(&w, "#form-open").await;
    let text = pdf_text(&pdf);
    for want in [
        "Tờ khai đăng ký khai sinh",
        "chưa có chữ ký của người đi khai",
        "Giấy chứng sinh",
        "bản chính",
        code.as_str(),
    ] {
        assert!(text.contains(want), "{want} not in {text}");
    }
    assert_eq!(desk.json(&["show", &code, "--json"])["status_code"], 5);
    // Waiting for papers: no refusal any more.
    assert!(w.client.find(Locator::Css("#form-refusal")).await.is_err());
    finish(w).await;
}

#[tokio::test]
async fn the_stop_notice_from_the_dossier_panel_stops_the_dossier() {
    let desk = Desk::ready();
    let code = code_of(&desk.intake(&birth("Nguyễn Văn An", "2026-03-03T09:00:00+07:00")));
    let w = Window::open(&desk, None).await;
    open_dossier(&w, &code).await;
    // The set in force, since the office began (today, in Vietnam time).
    let today = motcua_core::vntime::now()
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap())
        .format("%d/%m/%Y")
        .to_string();
    // In the panel's menu, above its forms.
    w.click("#more-actions > summary").await;
    let line = w.wait_text("#form-set-in-force", |t| !t.is_empty()).await;
    assert_eq!(
        line,
        format!("Biểu mẫu theo Thông tư 03/2025/TT-VPCP (từ {today})")
    );
    // Buttons carry the 2025 numbers; the stop is the notice, not a bare move to 8.
    let control = w.wait_text("#form-control", |t| !t.is_empty()).await;
    assert!(control.starts_with("Mẫu 06 – "), "{control}");
    let stop = w.wait_text("#form-stop", |t| !t.is_empty()).await;
    assert_eq!(stop, "Dừng giải quyết");
    w.wait_css("#move-4").await;
    assert!(w.client.find(Locator::Css("#move-8")).await.is_err());

    w.click("#form-stop").await;
    let heading = w.wait_text("#form-stop-editor h3", |t| !t.is_empty()).await;
    assert_eq!(heading, "Mẫu 05 – Thông báo dừng giải quyết hồ sơ");
    // Another reason, typed; left empty it is an error beside it.
    choose(&w, "#stop-reason-choice", "other").await;
    w.click("#form-issue").await;
    let err = w
        .wait_text("[data-field='stop.reason'] .field-error", |t| !t.is_empty())
        .await;
    assert!(err.contains("trống"), "{err}");
    assert_eq!(desk.json(&["show", &code, "--json"])["status_code"], 2);
    w.client
        .find(Locator::Css("#stop-reason"))
        .await
        .unwrap()
        .send_keys("Người nộp hồ sơ đề nghị dừng để nộp tại nơi cư trú")
        .await
        .unwrap();
    choose(&w, "#stop-fees", "refunded").await;
    w.screenshot("form-stop-vi").await;
    w.click("#form-issue").await;
    let issued = w.wait_text("#form-issued", |t| !t.is_empty()).await;
    assert_eq!(issued, "Đã lập Mẫu 05.");
    w.wait_text("#detail-status", |t| t == "Dừng xử lý").await;
    let pdf = opened_by(&w, "#form-open").await;
    let text = pdf_text(&pdf);
    for want in [
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Mẫu số 05 – Thông tư 03/2025/TT-VPCP",
        "Người nộp hồ sơ đề nghị dừng để nộp tại nơi cư trú",
        "4. Phí, lệ phí: đã nộp được hoàn trả cho người nộp hồ sơ.",
        code.as_str(),
    ] {
        assert!(text.contains(want), "{want} not in {text}");
    }
    assert_eq!(desk.json(&["show", &code, "--json"])["status_code"], 8);
    // Stopped for good: no stop, no move.
    assert!(w.client.find(Locator::Css("#form-stop")).await.is_err());

    // The settings screen says the same.
    w.click("#nav-settings").await;
    let line = w
        .wait_text("#settings-form-set-in-force", |t| !t.is_empty())
        .await;
    assert!(
        line.starts_with("Biểu mẫu theo Thông tư 03/2025/TT-VPCP (từ "),
        "{line}"
    );
    finish(w).await;
}

#[tokio::test]
async fn a_batch_of_three_typed_and_scanned_is_handed_over_all_or_nothing() {
    let desk = Desk::ready();
    let codes: Vec<String> = [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
        "Phạm Thị Dung",
    ]
    .iter()
    .map(|n| code_of(&desk.intake(&birth(n, "2026-03-03T09:00:00+07:00"))))
    .collect();
    // The fourth was refused: it cannot go to the unit.
    desk.ok(&["transition", &codes[3], "--to", "3"]);
    // The third arrives by scanning its receipt's QR.
    let receipt = desk.path("r3.pdf");
    desk.ok(&["receipt", &codes[2], "--out", receipt.to_str().unwrap()]);
    let payload = symbols(&receipt)
        .into_iter()
        .find(|(kind, _)| kind == "QR-Code")
        .map(|(_, data)| data)
        .expect("a QR on the receipt");

    let w = Window::open(&desk, None).await;
    w.wait_text("#list-title", |t| !t.is_empty()).await;
    w.wait_text("#dashboard", |t| !t.is_empty()).await;
    w.click("#nav-transfer").await;
    w.wait_css("#transfer-code").await;
    assert_eq!(w.focused_id().await, "transfer-code");
    let enter = Key::Enter.to_string();
    // Typed by hand, one key at a time with pauses, so that it is not taken for a scan.
    for c in codes[0].chars() {
        w.type_keys(&c.to_string()).await;
        tokio::time::sleep(std::time::Duration::from_millis(60)).await;
    }
    w.type_keys(&enter).await;
    w.wait_text("#transfer-count", |t| t.starts_with('1')).await;
    w.scan_keys(&format!("{}{enter}", codes[1])).await;
    w.wait_text("#transfer-count", |t| t.starts_with('2')).await;
    // The scanner types the payload wherever the focus is, here on the page itself.
    w.client
        .execute("document.activeElement.blur();", vec![])
        .await
        .unwrap();
    w.scan_keys(&format!("{payload}{enter}")).await;
    w.wait_text("#transfer-count", |t| t.starts_with('3')).await;
    w.click("#transfer-code").await;
    w.scan_keys(&format!("{}{enter}", codes[3])).await;
    w.wait_text("#transfer-count", |t| t.starts_with('4')).await;
    // The same dossier twice is refused at once.
    w.scan_keys(&format!("{}{enter}", codes[0])).await;
    w.wait_text("#transfer-add-error", |t| t.contains(codes[0].as_str()))
        .await;

    retype(&w, "#f-transfer-unit", "Công chức Tư pháp – Hộ tịch").await;
    retype(&w, "#f-transfer-giver", "Nguyễn Thị Giao").await;
    retype(&w, "#f-transfer-receiver", "Trần Văn Nhận").await;
    js_click(&w, "#transfer-submit").await;
    // The clerk sees what will move, to whom, before anything does.
    let asked = w
        .wait_text("#transfer-confirm-text", |t| !t.is_empty())
        .await;
    assert!(
        asked.contains('4') && asked.contains("Trần Văn Nhận") && asked.contains("Hộ tịch"),
        "{asked}"
    );
    js_click(&w, "#transfer-confirm-yes").await;
    let refused = w.wait_text("#transfer-error", |t| !t.is_empty()).await;
    assert!(refused.contains(codes[3].as_str()), "{refused}");
    w.screenshot("transfer-refused-vi").await;
    for c in &codes {
        let shown = desk.json(&["show", c, "--json"]);
        assert_ne!(
            shown["status_code"], 4,
            "{c} moved although the batch was refused"
        );
    }

    // Without the refused one, all three move and the hand-over list is written.
    js_click(
        &w,
        &format!("#transfer-items tr[data-code='{}'] button", codes[3]),
    )
    .await;
    w.wait_text("#transfer-count", |t| t.starts_with('3')).await;
    // A list naming no receiver is refused, under the field, and nothing moves.
    retype(&w, "#f-transfer-receiver", " ").await;
    js_click(&w, "#transfer-submit").await;
    js_click(&w, "#transfer-confirm-yes").await;
    let why = w
        .wait_text(".field[data-field='transfer.receiver'] .field-error", |t| {
            !t.is_empty()
        })
        .await;
    assert!(!why.is_empty());
    assert_eq!(desk.json(&["show", &codes[0], "--json"])["status_code"], 2);
    retype(&w, "#f-transfer-receiver", "Trần Văn Nhận").await;
    js_click(&w, "#transfer-submit").await;
    js_click(&w, "#transfer-confirm-yes").await;
    let done = w.wait_text("#transfer-done", |t| !t.is_empty()).await;
    assert!(!done.contains('/'), "no path in front of the clerk: {done}");
    let text = pdf_text(&opened_by(&w, "#transfer-open").await);
    for c in &codes[..3] {
        assert!(text.contains(c.as_str()), "{c} not in {text}");
        assert_eq!(desk.json(&["show", c, "--json"])["status_code"], 4);
    }
    assert!(!text.contains(codes[3].as_str()));
    assert!(text.contains("Trần Văn Nhận"), "{text}");

    // Today's number alone, as the slip prints it large, finds today's dossier.
    let today = code_of(&desk.intake(&support::birth_today("Võ Văn Em")));
    assert!(today.ends_with("-0001"), "{today}");
    w.click("#transfer-code").await;
    w.type_keys(&format!("1{enter}")).await;
    w.wait_text("#transfer-count", |t| t.starts_with('1')).await;
    w.wait_css(&format!("#transfer-items tr[data-code='{today}']"))
        .await;

    w.resize(1366, 768).await;
    w.click("#lang-switch").await;
    w.wait_text("#nav-transfer", |t| t.starts_with("Hand"))
        .await;
    w.click("#nav-transfer").await;
    w.wait_text("#transfer-form h2", |t| t.contains("Hand"))
        .await;
    w.screenshot("transfer-en-1366").await;
    finish(w).await;
}

// ---------------------------------------------------------------------------------------
// The offline banner needs a PostgreSQL server of the test's own, to stop and start: run as
// the postgres user, so as root (as the test command and CI run).

#[tokio::test]
async fn the_offline_banner_comes_and_goes_with_the_server_and_the_typed_form_stays() {
    if !is_root() {
        assert!(
            std::env::var("MOTCUA_REQUIRE_POSTGRES").is_err(),
            "a private PostgreSQL server needs root here"
        );
        eprintln!("skipped: a private PostgreSQL server needs root");
        return;
    }
    let Some(server) = PrivateServer::start_new() else {
        assert!(
            std::env::var("MOTCUA_REQUIRE_POSTGRES").is_err(),
            "PostgreSQL is not installed"
        );
        return;
    };
    let desk = Desk::on(&server.url());
    desk.ok(&support::SETUP);
    let w = Window::open(&desk, None).await;
    w.wait_css("#dossier-list").await;
    assert_eq!(w.wait_text("#offline-banner", |_| true).await, "");
    w.start_birth_intake().await;
    let enter = Key::Enter.to_string();
    w.type_keys(&format!(
        "079203001234{enter}Trần Thị Bình{enter}0912345678{enter}{enter}Số 12, ấp Bình Hòa"
    ))
    .await;

    server.stop();
    let banner = w
        .wait_text("#offline-banner", |t| t.contains("Mất kết nối"))
        .await;
    assert!(banner.contains("giữ nguyên"), "{banner}");
    w.screenshot("offline-vi").await;
    // A save while offline fails and keeps everything typed.
    w.chord(Key::Control, Key::Enter.into()).await;
    w.wait_text("#intake-form .form-error", |t| t.contains("Mất kết nối"))
        .await;
    assert_eq!(value(&w, "#f-applicant-name").await, "Trần Thị Bình");
    assert_eq!(value(&w, "#f-applicant-id-number").await, "079203001234");
    assert_eq!(
        value(&w, "#f-applicant-address").await,
        "Số 12, ấp Bình Hòa"
    );
    assert!(w.client.find(Locator::Css("#preview-code")).await.is_err());

    server.start();
    w.wait_text("#offline-banner", |t| t.is_empty()).await;
    assert_eq!(value(&w, "#f-applicant-name").await, "Trần Thị Bình");
    w.chord(Key::Control, Key::Enter.into()).await;
    let code = w.wait_text("#preview-code", |t| !t.is_empty()).await;
    let shown = desk.json(&["show", &code, "--json"]);
    assert_eq!(shown["applicant"]["name"], "Trần Thị Bình");
    assert_eq!(desk.json(&["list", "--json"]).as_array().unwrap().len(), 1);
    finish(w).await;
}

#[tokio::test]
async fn the_2025_letter_and_control_slip_from_the_panel_read_back() {
    let desk = Desk::ready();
    let code = code_of(&desk.intake(&birth("Nguyễn Văn An", "2026-03-03T09:00:00+07:00")));
    let w = Window::open(&desk, None).await;
    open_dossier(&w, &code).await;

    // Mẫu 04 of 2025: a numbered letter asking to extend the time limit.
    w.click("#more-actions > summary").await;
    w.click("#form-apology").await;
    w.fill("#apology-reason", "Chờ kết quả xác minh của Công an xã")
        .await;
    w.fill("#apology-new-due", "12/01/2027").await;
    w.click("#form-issue").await;
    let issued = w.wait_text("#form-issued", |t| !t.is_empty()).await;
    assert!(issued.contains("04"), "{issued}");
    let pdf = opened_by(&w, "#form-open").await;
    let text = pdf_text(&pdf);
    for want in [
        "Mẫu số 04 – Thông tư 03/2025/TT-VPCP",
        "Số: 1/XLGH",
        "V/v xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ",
        "Chờ kết quả xác minh của Công an xã",
        "ngày 12 tháng 01 năm 2027",
        "Nơi nhận:",
    ] {
        assert!(text.contains(want), "{want} not in {text}");
    }

    // The control slip, numbered 06 under 2025.
    w.click("#more-actions > summary").await;
    w.click("#form-control").await;
    w.click("#form-issue").await;
    w.wait_text("#form-result #form-issued", |t| !t.is_empty())
        .await;
    let pdf = opened_by(&w, "#form-result #form-open").await;
    let text = pdf_text(&pdf);
    for want in [
        "Mẫu số 06 – Thông tư 03/2025/TT-VPCP",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Cơ quan (bộ phận) giải quyết hồ sơ:",
        code.as_str(),
    ] {
        assert!(text.contains(want), "{want} not in {text}");
    }
    finish(w).await;
}
