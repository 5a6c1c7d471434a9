//! The desk screens in the real window under Xvfb: intake from the keyboard alone, field
//! errors, double submits, ID-card scans, working lists, settings and the language switch.

use crate::support;

use fantoccini::key::Key;
use support::window::Window;
use support::Desk;

const ID_CARD: &str = "079203001234|272345678|Nguyễn Văn An|15081990|Nam|Số 12, ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh|20042021";

fn count(desk: &Desk) -> usize {
    desk.json(&["list", "--json"]).as_array().unwrap().len()
}

async fn ctrl_enter(w: &Window) {
    w.chord(Key::Control, Key::Enter.into()).await;
}

/// Opens the intake screen and picks the birth registration by typing part of its name
/// without diacritics, as a clerk does.
async fn start_birth_intake(w: &Window) {
    w.wait_css("#dossier-list").await;
    w.type_keys(&Key::F2.to_string()).await;
    w.wait_css("#intake-form").await;
    choose_birth(w).await;
}

async fn choose_birth(w: &Window) {
    assert_eq!(w.focused_id().await, "f-procedure");
    w.type_keys("khai sinh").await;
    w.wait_text("#procedure-options", |t| t.contains("1.001193"))
        .await;
    w.type_keys(&Key::Enter.to_string()).await;
    w.wait_text("#due-at", |t| !t.is_empty()).await;
    assert_eq!(w.focused_id().await, "f-applicant-id-number");
}

#[tokio::test]
async fn a_dossier_registered_from_the_keyboard_alone_gets_its_receipt() {
    let printer =
        std::env::var("MOTCUA_TEST_PRINTER").expect("the test command sets up a cups-pdf printer");
    let desk = Desk::ready();
    desk.ok(&["settings", "set", "printer", &printer]);
    let w = Window::open(&desk, None).await;
    start_birth_intake(&w).await;
    let enter = Key::Enter.to_string();
    for value in [
        "079203001234",
        "Trần Thị Bình",
        "0912345678",
        "",
        "Số 12, ấp Bình Hòa, xã Hướng Thọ Phú",
    ] {
        w.type_keys(&format!("{value}{enter}")).await;
    }
    w.screenshot("intake-filled-vi").await;
    ctrl_enter(&w).await;

    let code = w.wait_text("#preview-code", |t| !t.is_empty()).await;
    let status = w.wait_text("#preview-status", |t| t.len() > 3).await;
    assert_eq!(status, "Đã gửi giấy tiếp nhận tới máy in");
    w.wait_css("#receipt-preview img").await;
    w.screenshot("preview-vi").await;

    let shown = desk.json(&["show", &code, "--json"]);
    assert_eq!(shown["applicant"]["name"], "Trần Thị Bình");
    assert_eq!(shown["applicant"]["phone"], "0912345678");
    assert_eq!(shown["procedure"]["code"], "1.001193");
    assert!(!shown["documents"].as_array().unwrap().is_empty());
    let history = desk.json(&["history", &code, "--json"]);
    assert_eq!(history[1]["kind"], "printed");

    // Enter on the preview starts the next citizen's form, empty.
    w.type_keys(&enter).await;
    w.wait_css("#intake-form").await;
    assert_eq!(w.focused_id().await, "f-procedure");
    assert_eq!(count(&desk), 1);
    w.close().await;
}

#[tokio::test]
async fn a_bad_id_number_is_shown_next_to_its_field_and_nothing_is_saved() {
    let desk = Desk::ready();
    let w = Window::open(&desk, None).await;
    start_birth_intake(&w).await;
    w.type_keys(&format!("12345{}Nguyễn Văn An", Key::Enter))
        .await;
    ctrl_enter(&w).await;
    let err = w
        .wait_text("#f-applicant-id-number-error", |t| !t.is_empty())
        .await;
    assert!(err.contains("12 chữ số") || err.contains("CCCD"), "{err}");
    let addr = w
        .wait_text("#f-applicant-address-error", |t| !t.is_empty())
        .await;
    assert!(!addr.is_empty());
    w.screenshot("intake-errors-vi").await;
    assert_eq!(w.focused_id().await, "f-applicant-id-number");
    assert_eq!(count(&desk), 0);
    // Corrected, the number's message goes; the address's stays until it is typed.
    w.chord(Key::Control, 'a').await;
    w.type_keys("079203001234").await;
    w.wait_text("#f-applicant-id-number-error", |t| t.is_empty())
        .await;
    assert!(!w
        .wait_text("#f-applicant-address-error", |_| true)
        .await
        .is_empty());
    w.close().await;
}

#[tokio::test]
async fn saving_twice_by_double_click_or_repeated_keys_makes_one_dossier() {
    let desk = Desk::ready();
    let w = Window::open(&desk, None).await;
    start_birth_intake(&w).await;
    w.type_keys(&format!(
        "079203001234{e}Lê Văn Cường{e}{e}{e}Thôn 3, xã Hướng Thọ Phú",
        e = Key::Enter
    ))
    .await;
    // Two clicks in the same instant, then the save key pressed again on top.
    w.client
        .execute(
            "const b = document.getElementById('intake-save'); b.click(); b.click(); \
             b.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));",
            vec![],
        )
        .await
        .unwrap();
    let code = w.wait_text("#preview-code", |t| !t.is_empty()).await;
    // The save-and-print key pressed again on the preview: nothing new, the preview stays.
    ctrl_enter(&w).await;
    ctrl_enter(&w).await;
    assert_eq!(w.wait_text("#preview-code", |t| !t.is_empty()).await, code);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let all = desk.json(&["list", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 1, "{all}");
    assert_eq!(all[0]["code"], code.as_str());
    w.close().await;
}

#[tokio::test]
async fn a_returning_citizen_is_offered_their_last_details() {
    let desk = Desk::ready();
    desk.intake(&support::birth(
        "Nguyễn Văn An",
        "2026-03-03T09:00:00+07:00",
    ));
    let w = Window::open(&desk, None).await;
    start_birth_intake(&w).await;
    w.type_keys("079203001234").await;
    let offer = w
        .wait_text("#returning-offer", |t| t.contains("Nguyễn Văn An"))
        .await;
    assert!(offer.contains("Alt+F"), "{offer}");
    w.chord(Key::Alt, 'f').await;
    let name = w.wait_css("#f-applicant-name").await;
    assert_eq!(name.prop("value").await.unwrap().unwrap(), "Nguyễn Văn An");
    let phone = w.wait_css("#f-applicant-phone").await;
    assert_eq!(phone.prop("value").await.unwrap().unwrap(), "0912345678");
    w.close().await;
}

#[tokio::test]
async fn a_scanned_id_card_fills_the_form() {
    let desk = Desk::ready();
    let w = Window::open(&desk, None).await;
    start_birth_intake(&w).await;
    // A keyboard-mode scanner types the card's QR into whichever field has the focus.
    w.scan_keys(&format!("{ID_CARD}{}", Key::Enter)).await;
    let note = w.wait_text("#idcard-note", |t| !t.is_empty()).await;
    assert!(!note.is_empty());
    let value = |css: &'static str| {
        let w = &w;
        async move {
            w.wait_css(css)
                .await
                .prop("value")
                .await
                .unwrap()
                .unwrap_or_default()
        }
    };
    assert_eq!(value("#f-applicant-id-number").await, "079203001234");
    assert_eq!(value("#f-applicant-name").await, "Nguyễn Văn An");
    assert!(value("#f-applicant-address")
        .await
        .contains("Hướng Thọ Phú"));
    w.screenshot("intake-idcard-vi").await;

    // Garbled letters (a wedge scanner behind a Vietnamese keyboard layout): the number
    // survives, and the name is marked for the clerk to check.
    w.click("#intake-clear").await;
    w.click("#discard-yes").await;
    choose_birth(&w).await;
    w.scan_keys(&format!(
        "001099012345||Nguy?n V?n B?nh|01021999|N?|Th?n 2, x? Ph? Xu?n|05052022{}",
        Key::Enter
    ))
    .await;
    w.wait_text("#idcard-note", |t| !t.is_empty()).await;
    assert_eq!(value("#f-applicant-id-number").await, "001099012345");
    w.wait_css(".field.check-me[data-field='applicant.name']")
        .await;

    // A scanner that pauses halfway (or a busy computer holding its keys back): the first
    // part lands in the field as typing, yet the card is still read and the field emptied.
    // Paused right after the number, where the page looks the number up for a returning
    // citizen, the rest alone reads like a card too, yet it is the end of this one.
    for pause_after in [30, 12] {
        w.click("#intake-clear").await;
        w.click("#discard-yes").await;
        choose_birth(&w).await;
        let (first, rest) = ID_CARD.split_at(pause_after);
        w.type_keys(first).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        w.type_keys(&format!("{rest}{}", Key::Enter)).await;
        // The note from the last card is hidden by the clear, not emptied.
        w.wait_css("#idcard-note:not([hidden])").await;
        assert_eq!(
            value("#f-applicant-id-number").await,
            "079203001234",
            "paused after {pause_after}"
        );
        assert_eq!(value("#f-applicant-name").await, "Nguyễn Văn An");
    }
    w.close().await;
}

#[tokio::test]
async fn working_lists_filters_and_paging() {
    let desk = Desk::ready();
    // Received long ago: overdue now. One of them is ready to collect.
    let old = desk.intake(&support::birth(
        "Phạm Văn Dũng",
        "2026-01-05T09:00:00+07:00",
    ));
    let ready = desk.intake(&support::birth("Hoàng Thị Em", "2026-01-05T10:00:00+07:00"));
    let ready_code = ready["code"].as_str().unwrap();
    desk.ok(&["transition", ready_code, "--to", "4"]);
    desk.ok(&["transition", ready_code, "--to", "9"]);
    let given = [
        "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Minh", "Nam", "Oanh",
    ];
    let lines: Vec<String> = (0..55)
        .map(|i| {
            let name = format!("Vũ {} {}", given[i % 11], given[i / 11]);
            support::birth(&name, "2026-02-02T09:00:00+07:00").to_string()
        })
        .collect();
    let out = desk.run_stdin(&["intake", "-", "--jsonl"], &(lines.join("\n") + "\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let w = Window::open(&desk, None).await;
    w.wait_css("#dossier-list").await;

    w.click("#tab-overdue").await;
    let overdue = w
        .wait_text("#dossier-list", |t| t.contains("Phạm Văn Dũng"))
        .await;
    assert!(!overdue.contains("Hoàng Thị Em"), "{overdue}");
    assert!(overdue.contains(old["code"].as_str().unwrap()));

    w.click("#tab-ready").await;
    let ready_list = w
        .wait_text("#dossier-list", |t| t.contains("Hoàng Thị Em"))
        .await;
    assert!(!ready_list.contains("Phạm Văn Dũng"));

    w.click("#tab-all").await;
    w.wait_css("#page-next").await.click().await.unwrap();
    let page2 = w.wait_text("#pager", |t| t.contains('2')).await;
    assert!(page2.contains('2'));
    let rows = w
        .client
        .find_all(fantoccini::Locator::Css("#dossier-list tr.row"))
        .await
        .unwrap();
    assert_eq!(
        rows.len(),
        7,
        "57 dossiers: 50 on the first page, 7 on the second"
    );

    // Filter by status: only the ready one.
    w.client
        .execute(
            "const s = document.getElementById('filter-status'); s.value = '9'; \
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await
        .unwrap();
    w.wait_text("#dossier-list", |t| {
        t.contains("Hoàng Thị Em") && !t.contains("Vũ Văn")
    })
    .await;
    w.close().await;
}

#[tokio::test]
async fn settings_are_validated_and_the_language_switch_changes_the_labels() {
    let desk = Desk::ready();
    let w = Window::open(&desk, None).await;
    w.wait_css("#dossier-list").await;
    w.type_keys(&Key::F9.to_string()).await;
    let agency = desk.ok(&["settings", "get", "agency-code"]);
    w.wait_css("#setting-agency-code-edit").await;
    // Keys typed on arrival change nothing: no field is focused, none saves on leaving.
    w.type_keys(&format!("H56{}", Key::Tab)).await;
    assert_eq!(desk.ok(&["settings", "get", "agency-code"]), agency);
    // An office-wide value: edit, save, and a confirmation with the old and the new value;
    // cancelled, nothing changes.
    w.click("#setting-agency-code-edit").await;
    let code = w.wait_css("#setting-agency-code").await;
    code.clear().await.unwrap();
    code.send_keys(&format!("000.00.14.H57{}", Key::Enter))
        .await
        .unwrap();
    let asked = w
        .wait_text("#setting-agency-code-confirm-text", |t| !t.is_empty())
        .await;
    assert!(
        asked.contains(agency.trim()) && asked.contains("000.00.14.H57"),
        "{asked}"
    );
    w.click("#setting-agency-code-confirm .link").await;
    assert_eq!(desk.ok(&["settings", "get", "agency-code"]), agency);
    w.click("#setting-agency-code-save").await;
    w.click("#setting-agency-code-confirm-yes").await;
    w.wait_text("#setting-agency-code-saved", |t| !t.is_empty())
        .await;
    assert_eq!(
        desk.ok(&["settings", "get", "agency-code"]).trim(),
        "000.00.14.H57"
    );
    // The audit trail has the change with the old and the new value, once (the audit trail
    // is the administrator's to read).
    desk.login(support::ADMIN, support::PASSWORD);
    let records = desk.json(&["audit", "records", "--key", "agency", "--json"]);
    let changes: Vec<&serde_json::Value> = records
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "setting_changed")
        .collect();
    let to_h57 = |e: &&&serde_json::Value| {
        e["data"]["new"]
            .as_str()
            .is_some_and(|n| n.contains("000.00.14.H57"))
    };
    assert_eq!(
        changes.iter().filter(to_h57).count(),
        1,
        "the one confirmed change: {records}"
    );
    let (old, new) = (
        changes[0]["data"]["old"].as_str().unwrap_or(""),
        changes[0]["data"]["new"].as_str().unwrap_or(""),
    );
    assert!(
        old.contains(agency.trim()) && new.contains("000.00.14.H57"),
        "{records}"
    );

    w.click("#setting-lookup-url-edit").await;
    let lookup = w.wait_css("#setting-lookup-url").await;
    lookup
        .send_keys(&format!("ftp://nowhere{}", Key::Enter))
        .await
        .unwrap();
    w.click("#setting-lookup-url-confirm-yes").await;
    let err = w
        .wait_text("#setting-lookup-url-error", |t| !t.is_empty())
        .await;
    assert!(!err.is_empty());
    assert_eq!(desk.ok(&["settings", "get", "lookup-url"]).trim(), "");
    lookup.clear().await.unwrap();
    lookup
        .send_keys(&format!(
            "http://192.168.1.10:8080/d/{{code}}?k={{tag}}{}",
            Key::Enter
        ))
        .await
        .unwrap();
    w.click("#setting-lookup-url-confirm-yes").await;
    w.wait_text("#setting-lookup-url-saved", |t| !t.is_empty())
        .await;
    assert_eq!(
        desk.ok(&["settings", "get", "lookup-url"]).trim(),
        "http://192.168.1.10:8080/d/{code}?k={tag}"
    );
    w.screenshot("settings-vi").await;

    let label = w.wait_text("#nav-intake", |t| !t.is_empty()).await;
    assert!(label.starts_with("Tiếp nhận"), "{label}");
    w.click("#lang-switch").await;
    let label = w
        .wait_text("#nav-intake", |t| t.starts_with("Intake"))
        .await;
    assert!(label.starts_with("Intake"));
    w.wait_text("h1", |t| t == "Settings").await;
    w.screenshot("settings-en").await;
    w.close().await;
    // The desk remembers its language.
    assert_eq!(desk.ok(&["settings", "get", "language"]).trim(), "en");
    let w = Window::open(&desk, None).await;
    w.wait_text("#list-title", |t| t == "Dossiers received today")
        .await;
    w.close().await;
}

#[tokio::test]
async fn a_ready_result_is_handed_over_with_the_citizens_rating() {
    let desk = Desk::ready();
    let d = desk.intake(&support::birth(
        "Nguyễn Văn An",
        "2026-03-02T09:00:00+07:00",
    ));
    let code = d["code"].as_str().unwrap().to_string();
    let w = Window::open(&desk, None).await;
    w.wait_css("#dossier-list").await;
    w.click("#tab-all").await;
    w.wait_text("#dossier-list", |t| t.contains("Nguyễn Văn An"))
        .await;
    w.click("#dossier-list tr.row td.code").await;
    w.wait_text("#detail-code", |t| t == code).await;

    // Through the processing unit and back as plain status moves: the rarer way, from the
    // panel's menu, each asked first (the usual way is the hand-over list).
    w.wait_text("#next-transfer", |t| t.contains("Bàn giao"))
        .await;
    w.click("#more-actions > summary").await;
    w.click("#move-4").await;
    w.fill("#transition-note", "Chuyển tay cho cán bộ tư pháp")
        .await;
    w.click("#move-confirm").await;
    w.wait_text("#detail-status", |t| t == "Đang xử lý").await;
    // The usual next step from there is taking the result back; a plain move is in the menu.
    w.wait_css("#next-back").await;
    w.click("#more-actions > summary").await;
    w.click("#move-9").await;
    w.click("#move-confirm").await;
    w.wait_text("#detail-status", |t| t == "Đã xử lý xong")
        .await;
    // Ready: returning the result is the one primary step, and its form is open below.
    w.click("#next-handover").await;
    assert_eq!(w.focused_id().await, "handover-name");

    let name = w.wait_css("#handover-name").await;
    name.clear().await.unwrap();
    name.send_keys("Trần Văn Bảo").await.unwrap();
    let id = w.wait_css("#handover-id").await;
    id.clear().await.unwrap();
    id.send_keys("001099012345").await.unwrap();
    w.wait_css("#handover-authorisation")
        .await
        .send_keys("Giấy ủy quyền số 12/UQ")
        .await
        .unwrap();
    w.click("#rating-1").await;
    w.screenshot("handover-vi").await;
    w.click("#handover-save").await;
    w.wait_text("#detail-status", |t| t == "Đã trả kết quả")
        .await;
    let timeline = w
        .wait_text("#timeline", |t| t.contains("Đã trả kết quả"))
        .await;
    assert!(timeline.contains("Đang xử lý"), "{timeline}");
    assert!(
        timeline.contains("Chuyển tay cho cán bộ tư pháp"),
        "{timeline}"
    );
    // The hand-over says who collected the result and the citizen's rating.
    let handed = w
        .wait_text("#timeline", |t| t.contains("Rất hài lòng"))
        .await;
    assert!(handed.contains("Người được ủy quyền nhận"), "{handed}");
    w.close().await;

    let shown = desk.json(&["show", &code, "--json"]);
    assert_eq!(shown["status_code"], 10);
    let report = desk.json(&[
        "report",
        "--from",
        "2026-03-01",
        "--to",
        "2026-12-31",
        "--format",
        "json",
    ]);
    assert_eq!(report["totals"]["rating_very_satisfied"], 1, "{report}");
}

#[tokio::test]
async fn a_supervisor_replaces_the_land_procedures_placeholder_code() {
    let desk = Desk::ready();
    let w = Window::open(&desk, None).await;
    w.wait_css("#dossier-list").await;
    w.type_keys(&Key::F9.to_string()).await;
    w.click("#catalog-table tr[data-code='DD.001'] .edit-procedure")
        .await;
    w.fill("#procedure-code", "mã sai!").await;
    w.click("#procedure-save").await;
    let error = w
        .wait_text("#f-procedure-code-error", |t| !t.is_empty())
        .await;
    assert!(error.contains("chữ, số"), "{error}");
    w.screenshot("catalog-edit-vi").await;
    w.fill("#procedure-code", "1.004227").await;
    w.click("#procedure-save").await;
    w.wait_text("#catalog-table", |t| t.contains("1.004227"))
        .await;
    let catalog = desk.json(&["procedures", "list", "--all", "--json"]);
    let entry = |code: &str| {
        catalog
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(entry("1.004227")["active"], true, "{catalog}");
    assert_eq!(entry("DD.001")["active"], false, "{catalog}");
    assert_eq!(entry("1.004227")["name"], entry("DD.001")["name"]);

    // The intake's picker now offers the province's code, and not the placeholder.
    w.type_keys(&Key::F2.to_string()).await;
    w.wait_css("#intake-form").await;
    w.type_keys("1.004227").await;
    w.wait_text("#procedure-options", |t| t.contains("1.004227"))
        .await;
    w.fill("#f-procedure", "DD.001").await;
    let options = w.wait_text("#procedure-options", |_| true).await;
    assert!(!options.contains("DD.001"), "{options}");
    w.close().await;
}

/// A half-typed intake is not thrown away by switching language, "Nhập lại" or another
/// screen without the clerk saying so; kept, it is all still there.
#[tokio::test]
async fn a_half_typed_intake_is_kept_unless_the_clerk_discards_it() {
    let desk = Desk::ready();
    let w = Window::open(&desk, None).await;
    start_birth_intake(&w).await;
    w.type_keys("079203001234").await;
    let id_value = || async {
        w.client
            .find(fantoccini::Locator::Css("#f-applicant-id-number"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    };
    for trigger in ["#lang-switch", "#intake-clear", "#nav-lists"] {
        w.click(trigger).await;
        w.wait_css("#discard-dialog").await;
        w.click("#discard-keep").await;
        assert_eq!(id_value().await, "079203001234", "{trigger}");
        assert!(w
            .client
            .find(fantoccini::Locator::Css("#discard-dialog"))
            .await
            .is_err());
    }
    w.click("#lang-switch").await;
    w.click("#discard-yes").await;
    w.wait_text("#nav-intake", |t| {
        t.starts_with("Intake") || t.starts_with("New")
    })
    .await;
    w.close().await;
}
