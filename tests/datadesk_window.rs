//! Data instead of paper and any-desk intake in the real window under Xvfb: the clerk ticks
//! "Khai thác từ CSDL/VNeID" for a document the catalog marks so (its counts go blank and
//! disabled), chooses the competent authority from the office's list, and the dossier, its
//! list row and the hand-over screen carry both.

use crate::support;

use fantoccini::key::Key;
use fantoccini::Locator;
use support::window::Window;
use support::Desk;

const AUTHORITY: &str = "Sở Tư pháp tỉnh Tây Ninh";
const CERTIFICATE: &str = "Giấy chứng sinh";

/// The birth registration with its certificate obtainable from data, receivable at any
/// desk, and the office's list of competent authorities: set up before any account exists.
fn prepare(desk: &Desk) {
    let mut catalog: serde_json::Value =
        serde_json::from_str(&desk.ok(&["procedures", "export"])).unwrap();
    for p in catalog["procedures"].as_array_mut().unwrap() {
        if p["code"] == "1.001193" {
            p["any_desk"] = true.into();
            for d in p["documents"].as_array_mut().unwrap() {
                d["from_data"] = (d["name"] == CERTIFICATE).into();
            }
        }
    }
    let file = desk.path("catalog.json");
    std::fs::write(&file, catalog.to_string()).unwrap();
    desk.ok(&["procedures", "import", file.to_str().unwrap()]);
    desk.ok(&[
        "settings",
        "set",
        "authorities",
        &format!("UBND xã Tân Phú; {AUTHORITY}"),
    ]);
}

#[tokio::test]
async fn the_clerk_ticks_a_document_from_data_and_chooses_the_competent_authority() {
    let desk = Desk::ready();
    prepare(&desk);
    let w = Window::open(&desk, None).await;
    w.wait_css("#dossier-list").await;
    w.start_birth_intake().await;
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

    // Only the certificate offers the tick; ticked, its counts are zero and locked.
    let ticks = w
        .client
        .find_all(Locator::Css("#documents .doc-data"))
        .await
        .unwrap();
    assert_eq!(ticks.len(), 1);
    let row = w.wait_css("#documents tr[data-index='1']").await;
    assert!(row.text().await.unwrap().contains(CERTIFICATE));
    w.click("#doc-data-1").await;
    // The counts, not the row's page box for scanning (hidden once the row is from data).
    let counts = row
        .find_all(Locator::Css("td.field > input.num"))
        .await
        .unwrap();
    assert_eq!(counts.len(), 2);
    assert!(!row
        .find(Locator::Css(".scan-pages"))
        .await
        .unwrap()
        .is_displayed()
        .await
        .unwrap());
    for n in &counts {
        assert_eq!(n.prop("value").await.unwrap().as_deref(), Some("0"));
        assert!(!n.is_enabled().await.unwrap());
    }

    // The authority is chosen from the office's list.
    let select = w.wait_css("#f-authority").await;
    assert!(select.is_displayed().await.unwrap());
    let offered = select.text().await.unwrap();
    assert!(
        offered.contains("UBND xã Tân Phú") && offered.contains(AUTHORITY),
        "{offered}"
    );
    select.select_by_value(AUTHORITY).await.unwrap();
    w.screenshot("intake-from-data-authority").await;
    w.click("#intake-save").await;
    let code = w.wait_text("#preview-code", |t| !t.is_empty()).await;

    let shown = desk.json(&["show", &code, "--json"]);
    assert_eq!(shown["authority"], AUTHORITY);
    let docs = shown["documents"].as_array().unwrap();
    let certificate = docs.iter().find(|d| d["name"] == CERTIFICATE).unwrap();
    assert_eq!(certificate["from_data"], true, "{shown}");
    assert_eq!(certificate["originals"], 0);
    assert_eq!(certificate["copies"], 0);
    assert!(docs
        .iter()
        .filter(|d| d["name"] != CERTIFICATE)
        .all(|d| d.get("from_data").is_none()));

    // The working list names the authority; the hand-over screen proposes it as the unit.
    w.type_keys(&Key::Escape.to_string()).await;
    w.wait_css("#intake-form").await;
    w.type_keys(&Key::F3.to_string()).await;
    let list = w.wait_text("#dossier-list", |t| t.contains(&code)).await;
    assert!(list.contains(AUTHORITY), "{list}");
    w.type_keys(&Key::F6.to_string()).await;
    w.fill("#transfer-code", &code).await;
    w.click("#transfer-add").await;
    w.wait_text("#transfer-items", |t| t.contains(&code)).await;
    let unit = w.wait_css("#f-transfer-unit").await;
    assert_eq!(
        unit.prop("value").await.unwrap().as_deref(),
        Some(AUTHORITY)
    );
    w.screenshot("transfer-proposes-authority").await;
    w.close().await;
}

/// The office keeps its list of competent authorities in the settings (edit, save, confirm,
/// as every office-wide value) and marks the catalog in its editor.
#[tokio::test]
async fn the_authorities_and_the_catalog_marks_are_kept_in_the_settings_screen() {
    let desk = Desk::ready();
    let w = Window::open(&desk, None).await;
    w.wait_css("#dossier-list").await;
    w.type_keys(&Key::F9.to_string()).await;
    w.click("#setting-authorities-edit").await;
    let list = w.wait_css("#setting-authorities").await;
    list.send_keys(&format!("UBND xã Tân Phú;{AUTHORITY};{}", Key::Enter))
        .await
        .unwrap();
    let asked = w
        .wait_text("#setting-authorities-confirm-text", |t| !t.is_empty())
        .await;
    assert!(asked.contains(AUTHORITY), "{asked}");
    w.click("#setting-authorities-confirm-yes").await;
    w.wait_text("#setting-authorities-saved", |t| !t.is_empty())
        .await;
    assert_eq!(
        desk.ok(&["settings", "get", "authorities"]).trim(),
        format!("UBND xã Tân Phú; {AUTHORITY}")
    );
    let shown = w.wait_text("#setting-authorities-value", |_| true).await;
    assert_eq!(shown, format!("UBND xã Tân Phú; {AUTHORITY}"));

    w.click("#catalog-table tr[data-code='1.001193'] .edit-procedure")
        .await;
    w.click("#procedure-any-desk").await;
    let rows = w
        .client
        .find_all(Locator::Css("#procedure-form tr.doc"))
        .await
        .unwrap();
    let mut ticked = 0;
    for row in rows {
        let name = row
            .find(Locator::Css("[name=doc-name]"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default();
        if name == CERTIFICATE {
            row.find(Locator::Css("[name=doc-from-data]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            ticked += 1;
        }
    }
    assert_eq!(ticked, 1);
    w.screenshot("catalog-from-data").await;
    w.click("#procedure-save").await;
    assert!(w.wait_gone("#procedure-form").await, "saved");
    let catalog: serde_json::Value =
        serde_json::from_str(&desk.ok(&["procedures", "export"])).unwrap();
    let birth = catalog["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "1.001193")
        .unwrap();
    assert_eq!(birth["any_desk"], true, "{birth}");
    let marked: Vec<&str> = birth["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["from_data"] == true)
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(marked, [CERTIFICATE]);
    w.close().await;
}
