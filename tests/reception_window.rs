//! The receiving officer's whole day in the real window, signed in with the reception role
//! alone: registering a dossier, asking for a missing paper (Mẫu 02), handing the dossier to
//! the processing unit, taking the result back and returning it to the citizen. Each next
//! step is the dossier panel's one primary button; nothing on the way is refused.

mod support;

use fantoccini::key::Key;
use fantoccini::Locator;
use support::window::Window;
use support::{Desk, PASSWORD};

async fn open_dossier(w: &Window, code: &str) {
    w.click("#nav-lists").await;
    w.click("#tab-all").await;
    w.click(&format!("#dossier-list tr[data-code='{code}'] td.code"))
        .await;
    w.wait_text("#detail-code", |t| t == code).await;
}

async fn hand_over(w: &Window, unit: &str, receiver: &str) {
    w.fill("#f-transfer-unit", unit).await;
    w.fill("#f-transfer-receiver", receiver).await;
    w.click("#transfer-submit").await;
    w.click("#transfer-confirm-yes").await;
    w.wait_text("#transfer-done", |t| !t.is_empty()).await;
}

#[tokio::test]
async fn a_reception_clerk_takes_a_dossier_from_intake_to_the_citizen() {
    let desk = Desk::ready();
    desk.account("letan", &["reception"]);
    // The command line checks the same person's work.
    desk.login("letan", PASSWORD);
    let w = Window::open_bare(&desk, None).await;
    w.login("letan", PASSWORD).await;
    // Only the screens the role uses are offered.
    for present in ["#nav-intake", "#nav-lists", "#nav-transfer"] {
        w.wait_css(present).await;
    }
    for absent in ["#nav-reports", "#nav-settings", "#nav-accounts"] {
        assert!(
            w.client.find(Locator::Css(absent)).await.is_err(),
            "{absent} is shown to reception"
        );
    }

    // Intake from the keyboard, saved without printing.
    w.type_keys(&Key::F2.to_string()).await;
    w.wait_css("#intake-form").await;
    w.type_keys("khai sinh").await;
    w.wait_text("#procedure-options", |t| t.contains("1.001193"))
        .await;
    let enter = Key::Enter.to_string();
    w.type_keys(&enter).await;
    w.wait_text("#due-at", |t| !t.is_empty()).await;
    for value in ["079203001234", "Trần Thị Bình", "0912345678", "", "Số 12, ấp Bình Hòa"] {
        w.type_keys(&format!("{value}{enter}")).await;
    }
    w.chord(Key::Control, 's').await;
    let code = w.wait_text("#preview-code", |t| !t.is_empty()).await;
    w.click("#preview-show").await;
    w.wait_text("#detail-code", |t| t == code).await;
    // The panel leads with the citizen and the appointment.
    w.wait_text("#detail-applicant", |t| t == "Trần Thị Bình")
        .await;
    w.wait_text("#detail-due", |t| !t.is_empty()).await;
    w.screenshot("reception-dossier-vi").await;

    // A paper is missing: Mẫu 02 from the menu, issued where the clerk is looking.
    w.click("#more-actions > summary").await;
    w.click("#form-supplement").await;
    w.fill(
        "#missing-rows .missing-reason",
        "Bản sao giấy chứng sinh không rõ chữ",
    )
    .await;
    w.click("#form-issue").await;
    w.wait_text("#form-issued", |t| !t.is_empty()).await;
    w.wait_text("#detail-status", |t| t == "Yêu cầu bổ sung giấy tờ")
        .await;
    w.wait_css("#form-open").await;

    // The papers came: the dossier goes to the processing unit on a signed list.
    w.click("#next-transfer").await;
    w.wait_css(&format!("#transfer-items tr[data-code='{code}']"))
        .await;
    assert_eq!(
        w.wait_css("#direction-to-unit")
            .await
            .prop("checked")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );
    hand_over(&w, "Công chức Tư pháp – Hộ tịch", "Lê Văn Cường").await;
    assert_eq!(desk.json(&["show", &code, "--json"])["status_code"], 4);

    // The unit has the result: back to the desk on another list.
    open_dossier(&w, &code).await;
    w.click("#next-back").await;
    w.wait_css(&format!("#transfer-items tr[data-code='{code}']"))
        .await;
    assert_eq!(
        w.wait_css("#direction-back")
            .await
            .prop("checked")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );
    hand_over(&w, "Công chức Tư pháp – Hộ tịch", "letan").await;
    assert_eq!(desk.json(&["show", &code, "--json"])["status_code"], 9);

    // The citizen comes back: the result is returned and the rating recorded.
    open_dossier(&w, &code).await;
    w.click("#next-handover").await;
    assert_eq!(w.focused_id().await, "handover-name");
    w.click("#rating-2").await;
    w.click("#handover-save").await;
    w.wait_text("#detail-status", |t| t == "Đã trả kết quả")
        .await;
    w.close().await;

    let history = desk.json(&["history", &code, "--json"]);
    let kinds: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"handed_over"), "{kinds:?}");
    assert_eq!(desk.json(&["show", &code, "--json"])["status_code"], 10);
}
