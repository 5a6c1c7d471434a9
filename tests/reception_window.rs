//! The receiving officer's whole day in the real window, signed in with the reception role
//! alone: registering a dossier, asking for a missing paper (Mẫu 02), handing the dossier to
//! the processing unit, taking the result back and returning it to the citizen. Each next
//! step is the dossier panel's one primary button; nothing on the way is refused.

use crate::support;

use fantoccini::Locator;
use support::window::Window;
use support::{Scenario, PASSWORD};

async fn open_dossier(w: &Window, code: &str) {
    w.click("#nav-lists").await;
    w.click("#tab-all").await;
    // The list is drawn again when its figures arrive: a row found just before may be gone.
    let row = format!("#dossier-list tr[data-code='{code}'] td.code");
    for _ in 0..50 {
        if let Ok(el) = w.client.find(Locator::Css(&row)).await {
            if el.click().await.is_ok() {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    w.wait_text("#detail-code", |t| t == code).await;
}

async fn checked(w: &Window, css: &str) -> bool {
    w.wait_css(css)
        .await
        .prop("checked")
        .await
        .unwrap()
        .as_deref()
        == Some("true")
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
    // The command line checks the same person's work.
    let desk = Scenario::new()
        .clerk("letan", &["reception"])
        .signed_in("letan")
        .desk;
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
    let code = w.register_birth_intake().await;
    // The panel leads with the citizen and the appointment.
    w.wait_text("#detail-applicant", |t| t == "Trần Thị Bình")
        .await;
    w.wait_text("#detail-due", |t| !t.is_empty()).await;
    w.screenshot("reception-dossier-vi").await;

    // A paper is missing: Mẫu 02 from the menu, issued where the clerk is looking.
    w.click("#more-actions > summary").await;
    w.click("#form-supplement").await;
    // The form lists the dossier's papers: the clerk keeps the missing one and says why.
    w.click("#missing-rows .missing-row:nth-child(2) .remove")
        .await;
    w.fill(
        "#missing-rows .missing-reason",
        "Bản sao giấy chứng sinh không rõ chữ",
    )
    .await;
    w.click("#form-issue").await;
    let said = w.wait_text("#form-issued", |t| !t.is_empty()).await;
    assert!(said.starts_with("Đã lập Mẫu 02"), "{said}");
    w.wait_text("#detail-status", |t| t == "Yêu cầu bổ sung giấy tờ")
        .await;
    w.wait_css("#form-open").await;

    // The papers came: the dossier goes to the processing unit on a signed list.
    w.click("#next-transfer").await;
    w.wait_css(&format!("#transfer-items tr[data-code='{code}']"))
        .await;
    assert!(checked(&w, "#direction-to-unit").await);
    hand_over(&w, "Công chức Tư pháp – Hộ tịch", "Lê Văn Cường").await;
    assert_eq!(desk.json(&["show", &code, "--json"])["status_code"], 4);

    // The unit has the result: back to the desk on another list.
    open_dossier(&w, &code).await;
    w.click("#next-back").await;
    w.wait_css(&format!("#transfer-items tr[data-code='{code}']"))
        .await;
    assert!(checked(&w, "#direction-back").await);
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

/// A desk known only by its computer's name is asked for a name of its own the first time
/// someone signs in there; the settings it kept under the computer's name follow it.
#[tokio::test]
async fn a_new_desk_is_asked_its_name_and_keeps_its_paper() {
    let desk = Scenario::new()
        .clerk("letan", &["reception"])
        // Before it had a name, the desk's supervisor chose A4 (kept under the computer's name).
        .clerk("giamsat", &["supervisor"])
        .signed_in("giamsat")
        .desk;
    let unnamed = |args: &[&str]| {
        let out = desk
            .cmd()
            .env_remove("MOTCUA_DESK")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    unnamed(&["settings", "set", "paper", "a4"]);

    let w = Window::open_at_desk(&desk, None, None).await;
    w.fill("#login-name", "letan").await;
    w.fill("#login-password", PASSWORD).await;
    w.click("#login-form-submit").await;
    w.wait_css("#desk-name-form").await;
    assert_eq!(w.focused_id().await, "desk-name");
    w.screenshot("desk-name-vi").await;
    // A name is required, and said so beside the field.
    w.click("#desk-name-save").await;
    let err = w
        .wait_text(".field[data-field='desk'] .field-error", |t| !t.is_empty())
        .await;
    assert!(err.contains("trống"), "{err}");
    w.fill("#desk-name", "  Quầy 2 –  Hộ tịch ").await;
    w.click("#desk-name-save").await;
    w.wait_css("#who").await;
    w.close().await;

    // The name is the data folder's, so the command line on this computer uses it too, and
    // the paper chosen before followed it.
    assert_eq!(unnamed(&["settings", "get", "paper"]), "a4");
    let config = std::fs::read_to_string(desk.dir.path().join("data/motcua/desk.json")).unwrap();
    assert!(config.contains("Quầy 2 – Hộ tịch"), "{config}");
    // Once named, the window does not ask again.
    let w = Window::open_at_desk(&desk, None, None).await;
    w.login("letan", PASSWORD).await;
    w.close().await;
}
