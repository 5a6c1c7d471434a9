//! The receipt's public status URL scanned at the desk: the real `motcua scan` finds the
//! dossier from the blob name in the URL's fragment and checks the key beside it (the
//! sealing itself, the page and the host are tested in the core's `sealed_status.rs`).

use crate::support;

use motcua_core::sealed_status::OfficeKeys;
use motcua_core::store::Store;
use support::{birth, Desk};

#[tokio::test]
async fn motcua_scan_reads_and_verifies_a_public_status_url() {
    let desk = Desk::ready();
    let d = desk.intake(&birth("Lê Văn Tám", "2027-03-03T09:00:00+07:00"));
    let code = d["code"].as_str().unwrap();
    // The office secret is the desk's own: read it as the sender will.
    let secret = Store::open(&desk.db)
        .await
        .unwrap()
        .slip_secret()
        .await
        .unwrap();
    let keys = OfficeKeys::derive(&secret);
    let url = keys.citizen_url("https://xa.example.vn/tra-cuu/", code);

    let scanned = desk.json(&["scan", &url, "--json"]);
    assert_eq!(scanned["code"], code);
    assert_eq!(scanned["tag"], "verified");
    assert_eq!(scanned["verified"], true);

    // A wedge scanner with Caps Lock on flips every letter of the URL.
    let flipped = motcua_core::text::caps_lock(&url);
    assert_eq!(desk.json(&["scan", &flipped, "--json"])["verified"], true);

    // The key of another dossier: the dossier is named, the receipt refused as altered.
    let (head, _) = url.rsplit_once('.').unwrap();
    let other = keys.citizen_url(
        "https://xa.example.vn/tra-cuu/",
        "000.00.14.H56-270303-0999",
    );
    let (_, other_key) = other.rsplit_once('.').unwrap();
    let out = desk.run(&["scan", &format!("{head}.{other_key}")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("không hợp lệ") && err.contains(code), "{err}");

    // Another office's URL is not one of this desk's receipts.
    let foreign = OfficeKeys::derive(b"another office").citizen_url("https://x.vn/", code);
    let out = desk.run(&["scan", &foreign]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("không phải mã QR"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
