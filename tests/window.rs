//! The real desk window under Xvfb, driven like a user through WebDriver.

use crate::support;

use fantoccini::key::Key;
use fantoccini::Locator;
use support::window::Window;
use support::Desk;

#[tokio::test]
async fn the_window_lists_todays_dossiers_and_searches_without_diacritics() {
    let desk = Desk::ready();
    let an = desk.intake(&support::birth_today("Nguyễn Văn An"));
    let binh = desk.intake(&support::birth_today("Trần Thị Bình"));
    let w = Window::open(&desk, None).await;

    let unit = w.wait_text("#unit-name", |t| !t.is_empty()).await;
    assert_eq!(unit, "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG");
    assert_eq!(
        w.client.title().await.unwrap(),
        "Một Cửa — TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
    );

    let list = w
        .wait_text("#dossier-list", |t| t.contains("Trần Thị Bình"))
        .await;
    assert!(list.contains(an["code"].as_str().unwrap()), "{list}");
    assert!(list.contains("Nguyễn Văn An"));
    w.screenshot("main-vi").await;

    let search = w.wait_css("#search").await;
    search.send_keys("nguyen van an").await.unwrap();
    let found = w
        .wait_text("#dossier-list", |t| !t.contains("Trần Thị Bình"))
        .await;
    assert!(found.contains("Nguyễn Văn An"), "{found}");
    assert!(!found.contains(binh["code"].as_str().unwrap()));

    w.client
        .find(Locator::Css("#dossier-list tr.row td.code"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let code = w.wait_text("#detail-code", |t| !t.is_empty()).await;
    assert_eq!(code, an["code"].as_str().unwrap());
    w.close().await;
}

#[tokio::test]
async fn first_run_set_up_in_the_window() {
    let desk = Desk::new();
    let w = Window::open(&desk, None).await;
    // First the administrator, who is signed in at once; then the agency.
    w.wait_css("#setup-admin-name").await;
    w.screenshot("setup-admin-vi").await;
    w.fill("#setup-admin-name", "quantri").await;
    w.fill("#setup-admin-password", support::PASSWORD).await;
    w.fill("#setup-admin-password2", support::PASSWORD).await;
    w.click("#setup-save").await;
    let form = w.wait_css("input[name=agency_code]").await;
    let form = form.find(Locator::XPath("ancestor::form")).await.unwrap();
    w.screenshot("setup-vi").await;
    let fill = |name: &'static str, value: &'static str| {
        let form = form.clone();
        async move {
            let input = form
                .find(Locator::Css(&format!("input[name={name}]")))
                .await
                .unwrap();
            input.clear().await.unwrap();
            input.send_keys(value).await.unwrap();
        }
    };
    fill("governing_body", "UBND XÃ HƯỚNG THỌ PHÚ").await;
    fill("unit", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG").await;
    fill("place", "Hướng Thọ Phú").await;
    fill("agency_code", "not valid!").await;
    w.client
        .find(Locator::Css("#setup-save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let err = w.wait_text("#f-agency-code-error", |t| !t.is_empty()).await;
    assert!(err.contains("mã định danh"), "{err}");
    fill("agency_code", "H26.107").await;
    w.client
        .find(Locator::Css("#setup-save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    w.wait_css("#dossier-list").await;
    w.wait_text("#who", |t| t == "quantri").await;
    w.wait_text("#unit-name", |t| t == "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG")
        .await;
    w.close().await;
    assert_eq!(
        desk.ok(&["settings", "get", "agency-code"]).trim(),
        "H26.107"
    );
}

#[tokio::test]
async fn scanning_a_slip_opens_its_dossier_and_a_forged_one_warns() {
    let desk = Desk::ready();
    let d = desk.intake(&support::birth_today("Nguyễn Văn An"));
    let code = d["code"].as_str().unwrap().to_string();
    let qr = support::receipt_qr(&desk, &code, "a5");
    let w = Window::open(&desk, None).await;
    w.wait_text("#dossier-list", |t| t.contains("Nguyễn Văn An"))
        .await;

    w.wait_css("#search").await.click().await.unwrap();
    w.scan_keys(&format!("{qr}{}", Key::Enter)).await;
    assert_eq!(w.wait_text("#detail-code", |t| !t.is_empty()).await, code);
    let banner = w.wait_text("#scan-banner", |t| !t.is_empty()).await;
    assert_eq!(banner, "Giấy tiếp nhận hợp lệ");

    let last = qr.chars().last().unwrap();
    let forged = format!(
        "{}{}",
        &qr[..qr.len() - 1],
        if last == 'A' { 'B' } else { 'A' }
    );
    w.client
        .find(Locator::Css("#detail .link"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    w.wait_css("#search").await.click().await.unwrap();
    w.scan_keys(&format!("{forged}{}", Key::Enter)).await;
    let banner = w
        .wait_text("#scan-banner", |t| t.contains("CẢNH BÁO"))
        .await;
    assert!(banner.contains("không khớp"), "{banner}");
    w.close().await;
}

#[tokio::test]
async fn the_receipt_prints_from_the_dossier_panel() {
    let printer =
        std::env::var("MOTCUA_TEST_PRINTER").expect("the test command sets up a cups-pdf printer");
    let desk = Desk::ready();
    desk.ok(&["settings", "set", "printer", &printer]);
    let d = desk.intake(&support::birth_today("Trần Thị Bình"));
    let code = d["code"].as_str().unwrap().to_string();
    let w = Window::open(&desk, None).await;
    w.wait_text("#dossier-list", |t| t.contains("Trần Thị Bình"))
        .await;
    w.client
        .find(Locator::Css("#dossier-list tr.row td.code"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    w.wait_css("#print-receipt").await.click().await.unwrap();
    let status = w.wait_text("#receipt-status", |t| t.len() > 3).await;
    assert_eq!(status, "Đã gửi giấy tiếp nhận tới máy in");
    w.close().await;
    let events = desk.json(&["history", &code, "--json"]);
    assert_eq!(events[1]["kind"], "printed");
    assert!(desk.dir.path().join("receipts").exists());
}

/// The window opens where the clerk left it: a size and place chosen in one run is kept in
/// the data folder and used by the next.
#[tokio::test]
async fn the_window_reopens_at_the_size_it_was_left() {
    let desk = Desk::ready();
    let saved = desk.dir.path().join("data/motcua/window.json");
    let w = Window::open(&desk, None).await;
    w.wait_text("#unit-name", |t| !t.is_empty()).await;
    w.resize(1100, 650).await;
    let mut placement = serde_json::Value::Null;
    for _ in 0..100 {
        placement = std::fs::read_to_string(&saved)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        if placement["width"].as_u64().is_some_and(|w| w <= 1100) && placement["width"] != 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let listed: Vec<String> = std::fs::read_dir(saved.parent().unwrap())
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let width = placement["width"]
        .as_u64()
        .unwrap_or_else(|| panic!("the size is remembered: {placement} in {listed:?}"));
    let height = placement["height"].as_u64().unwrap();
    assert!((900..=1100).contains(&width), "{placement}");
    w.close().await;

    let w = Window::open(&desk, None).await;
    w.wait_text("#unit-name", |t| !t.is_empty()).await;
    let inner = w
        .client
        .execute("return [window.innerWidth, window.innerHeight];", vec![])
        .await
        .unwrap();
    assert_eq!(inner[0].as_u64(), Some(width), "{inner}");
    assert_eq!(inner[1].as_u64(), Some(height), "{inner}");
    w.close().await;
}
