//! Digitising papers in the real window under Xvfb, with SANE's test backend as the desk's
//! scanner (`scanner-device test`). A reception clerk scans two pages into row 1 from the
//! intake form and registers: the panel shows row 1 digitised with 2 pages and their
//! thumbnails; a PNG chosen through the row's file input goes into row 2; a PDF the copier
//! left in the watched folder appears under "Vừa quét" and is attached (and leaves the
//! folder), while a text file is refused at its row by name; the page viewer goes from page
//! to page; at the hand-over the result is said not digitised, is scanned right there, and
//! the warning goes. `motcua scans list --json` and
//! the dossier's chained history agree with what the window showed, and `audit verify`
//! passes. A processing-only clerk sees no row scan buttons and is refused by the command.
//! Pictures at 1366×768 (`screenshots/scans-…`).

use std::path::Path;

use crate::layout_window::{fits_the_narrowest, CHECK};
use crate::support::window::Window;
use crate::support::{tool, Desk, Scenario, PASSWORD, STAFF, STAFF_ROLES};

const CLERK: &str = "tiepnhan";
const PROCESSING: &str = "xuly";

fn scans_json(desk: &Desk, code: &str) -> serde_json::Value {
    serde_json::from_str(&desk.ok(&["scans", "list", code, "--json"])).unwrap()
}

/// Nothing sticks out of the window at 1366×768 (the layout test's checks), with a picture.
async fn looks_right(w: &Window, name: &str) {
    let out = w.client.execute(CHECK, vec![]).await.unwrap();
    w.capture(&format!("scans-{name}-1366x768-vi"), 1366, 768);
    w.screenshot(&format!("scans-{name}")).await;
    assert_eq!(out["problems"], serde_json::json!([]), "{name}");
}

async fn open_dossier(w: &Window, code: &str) {
    w.click("#nav-lists").await;
    w.click("#tab-all").await;
    let row = format!("#dossier-list tr[data-code='{code}'] td.code");
    for _ in 0..50 {
        if let Ok(el) = w.client.find(fantoccini::Locator::Css(&row)).await {
            if el.click().await.is_ok() {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    w.wait_text("#detail-code", |t| t == code).await;
}

async fn thumbnails(w: &Window, css: &str, n: usize) {
    for _ in 0..100 {
        let shown = w
            .client
            .execute(
                "return [...document.querySelectorAll(arguments[0])].filter((i) => i.complete && i.naturalWidth > 0).length;",
                vec![css.into()],
            )
            .await
            .unwrap();
        if shown.as_u64() == Some(n as u64) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    w.screenshot("failure").await;
    panic!("{n} thumbnails never showed under {css}");
}

/// The intake form: two pages scanned into row 1 before the dossier exists, then saved.
async fn the_clerk_scans_row_one_while_registering(w: &Window, desk: &Desk) -> String {
    w.start_birth_intake().await;
    w.fill("#scan-pages-intake-1", "2").await;
    w.click("#scan-intake-1").await;
    w.wait_text("#staged-1", |t| t.contains("2 trang")).await;
    // Nothing is stored before the dossier is registered.
    assert!(!Path::new(&desk.db).parent().unwrap().join("scans").exists());
    w.fill("input[name='applicant.id_number']", "079203001234")
        .await;
    w.fill("input[name='applicant.name']", "Trần Thị Bình")
        .await;
    w.fill("input[name='applicant.phone']", "0912345678").await;
    w.fill("input[name='applicant.address']", "Số 12, ấp Bình Hòa")
        .await;
    looks_right(w, "intake").await;
    fits_the_narrowest(w, "scans-intake", "#staged-1").await;
    w.chord(fantoccini::key::Key::Control, 's').await;
    let code = w.wait_text("#preview-code", |t| !t.is_empty()).await;
    assert!(w.wait_gone("#preview-scans-error").await);
    w.click("#preview-show").await;
    w.wait_text("#detail-code", |t| t == code).await;
    code
}

async fn the_panel_shows_row_one_and_takes_a_file_and_the_folders_paper(
    w: &Window,
    desk: &Desk,
    code: &str,
    folder: &Path,
) {
    w.wait_text("#digitised-1", |t| t.contains("Đã số hóa · 2 trang"))
        .await;
    w.wait_text("#digitised-2", |t| t.contains("Chưa số hóa"))
        .await;
    thumbnails(w, "#paper-1 .thumb img", 2).await;

    // A file that is no paper is refused at its row, in Vietnamese, naming it.
    let note = desk.dir.path().join("ghi-chu.txt");
    std::fs::write(&note, "không phải giấy tờ").unwrap();
    w.wait_css("#scan-file-2")
        .await
        .send_keys(note.to_str().unwrap())
        .await
        .unwrap();
    w.wait_text("#scan-say-2", |t| {
        t.contains("ghi-chu.txt") && t.contains("không phải PDF")
    })
    .await;
    assert_eq!(scans_json(desk, code).as_array().unwrap().len(), 1);

    // "Chọn tệp": the file input takes a path as a person's file dialog would.
    let png = desk.dir.path().join("giay-to-2.png");
    tool(
        "convert",
        &[
            "-size",
            "400x560",
            "xc:white",
            "-fill",
            "black",
            "-draw",
            "rectangle 40,40 360,140",
            "-units",
            "PixelsPerInch",
            "-density",
            "100",
            png.to_str().unwrap(),
        ],
    );
    w.wait_css("#scan-file-2")
        .await
        .send_keys(png.to_str().unwrap())
        .await
        .unwrap();
    w.wait_text("#digitised-2", |t| t.contains("1 trang")).await;

    // "Vừa quét": the copier's PDF (row 1's two pages) waiting in the watched folder.
    let stored = scans_json(desk, code);
    let copier = folder.join("may-photo-0001.pdf");
    std::fs::copy(stored[0]["path"].as_str().unwrap(), &copier).unwrap();
    w.click("#scan-incoming-2").await;
    w.click(".incoming-file[data-name='may-photo-0001.pdf']")
        .await;
    w.wait_text("#digitised-2", |t| t.contains("3 trang")).await;
    assert!(!copier.exists(), "an attached file leaves the folder");
    thumbnails(w, "#paper-2 .thumb img", 3).await;
    looks_right(w, "panel").await;
    fits_the_narrowest(w, "scans-panel", "#paper-2").await;

    // The viewer: page 1 of row 1 large, then page 2.
    w.click("#paper-1 .thumb").await;
    w.wait_text("#viewer-where", |t| t == "Trang 1/2").await;
    thumbnails(w, "#viewer-image", 1).await;
    w.click("#viewer-next").await;
    w.wait_text("#viewer-where", |t| t == "Trang 2/2").await;
    let wide = w
        .client
        .execute(
            "return document.getElementById('viewer-image').naturalWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert!(wide.as_u64().unwrap() > 300, "a large page: {wide}");
    looks_right(w, "viewer").await;
    w.type_keys(&fantoccini::key::Key::Escape.to_string()).await;
    assert!(w.wait_gone("#scan-viewer").await);
}

async fn the_result_is_scanned_at_the_hand_over(w: &Window, desk: &Desk, code: &str) {
    desk.ok(&["transition", code, "--to", "4"]);
    desk.ok(&["transition", code, "--to", "9"]);
    open_dossier(w, code).await;
    w.wait_css("#handover-form").await;
    w.wait_text("#result-not-digitised", |t| t.contains("chưa được số hóa"))
        .await;
    looks_right(w, "handover-before").await;
    w.click("#scan-handover-result").await;
    w.wait_text("#handover-digitised-result", |t| {
        t.contains("Kết quả đã số hóa · 1 trang")
    })
    .await;
    assert!(w.wait_gone("#result-not-digitised").await);
    w.wait_text("#digitised-result", |t| t.contains("1 trang"))
        .await;
    looks_right(w, "handover").await;
}

fn the_cli_and_the_chain_agree(desk: &Desk, code: &str) {
    let list = scans_json(desk, code);
    let rows: Vec<(u64, bool, u64, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["doc"].as_u64().unwrap(),
                s["result"].as_bool().unwrap(),
                s["pages"].as_u64().unwrap(),
                s["source"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (1, false, 2, "sane"),
            (2, false, 1, "file"),
            (2, false, 2, "folder"),
            (0, true, 1, "sane"),
        ]
    );
    let history: serde_json::Value =
        serde_json::from_str(&desk.ok(&["history", code, "--json"])).unwrap();
    let chained: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "scanned")
        .map(|e| e["data"]["sha256"].as_str().unwrap())
        .collect();
    let listed: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sha256"].as_str().unwrap())
        .collect();
    assert_eq!(chained, listed);
    for s in list.as_array().unwrap() {
        let pdf = s["path"].as_str().unwrap();
        let info = tool("pdfinfo", &[pdf]);
        let pages = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .map(|n| n.trim().parse::<u64>().unwrap());
        assert_eq!(pages, s["pages"].as_u64(), "{pdf}: {info}");
    }
    desk.ok(&["audit", "verify"]);
}

/// The same window, the reception clerk signed out and a processing-only clerk in.
async fn a_processing_clerk_has_no_row_scan_buttons(w: &Window, code: &str) {
    w.click("#who").await;
    w.click("#logout").await;
    w.login(PROCESSING, PASSWORD).await;
    open_dossier(w, code).await;
    w.wait_text("#digitised-1", |t| t.contains("2 trang")).await;
    thumbnails(w, "#paper-1 .thumb img", 2).await;
    let buttons = w
        .client
        .execute(
            "return document.querySelectorAll('#papers .scan-tools').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(buttons, 0);
    let refused = w
        .invoke(
            "stage_scan",
            serde_json::json!({ "pages": 1, "result": false }),
        )
        .await
        .unwrap_err();
    assert_eq!(refused["kind"], "forbidden", "{refused}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clerk_digitises_a_dossier_from_intake_to_hand_over() {
    let s = Scenario::new()
        .clerk(CLERK, &["reception"])
        .clerk(PROCESSING, &["processing"])
        .clerk(STAFF, &STAFF_ROLES)
        .signed_in(STAFF);
    let desk = &s.desk;
    let folder = desk.dir.path().join("may-photo");
    std::fs::create_dir(&folder).unwrap();
    desk.ok(&["settings", "set", "scanner-device", "test"]);
    desk.ok(&["settings", "set", "scan-folder", folder.to_str().unwrap()]);

    let w = Window::open_bare(desk, None).await;
    w.resize(1366, 768).await;
    w.login(CLERK, PASSWORD).await;
    let code = the_clerk_scans_row_one_while_registering(&w, desk).await;
    the_panel_shows_row_one_and_takes_a_file_and_the_folders_paper(&w, desk, &code, &folder).await;
    the_result_is_scanned_at_the_hand_over(&w, desk, &code).await;
    the_cli_and_the_chain_agree(desk, &code);
    a_processing_clerk_has_no_row_scan_buttons(&w, &code).await;
    w.close().await;
}
