//! The public status from the real binary: `motcua outbox add public-status` on a real nginx
//! WebDAV folder, the receipt's QR read back from its PDF with zbarimg, `motcua outbox run
//! --once` publishing, and the URL opened in headless Chromium as a citizen's phone would;
//! and the same URL scanned at the desk, where `motcua scan` finds the dossier from the blob
//! name in the fragment and checks the key beside it.

use crate::public_host::{
    assert_shows, contains, files_under, rendered, tool, WebDav, CHROMIUM, NGINX,
};
use crate::support;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use motcua_core::sealed_status::OfficeKeys;
use motcua_core::store::Store;
use support::{birth, pdf_text, qr_of, Desk};

#[test]
fn a_citizen_scans_the_receipt_and_reads_the_status_from_the_public_host() {
    let Some(nginx) = tool(NGINX, "MOTCUA_REQUIRE_NGINX", "nginx") else {
        return;
    };
    let Some(chromium) = tool(CHROMIUM, "MOTCUA_REQUIRE_CHROMIUM", "chromium") else {
        return;
    };
    let desk = Desk::ready();
    let dav = WebDav::start(nginx);
    let public = dav.url("tra-cuu/");
    desk.ok(&[
        "outbox",
        "add",
        "public-status",
        "--put",
        &public,
        "--public",
        &public,
    ]);
    let name = "Nguyễn Văn An";
    let d = desk.intake(&birth(name, "2027-03-03T09:00:00+07:00"));
    let code = d["code"].as_str().unwrap();

    // The receipt promises the QR and carries the citizen's URL.
    let pdf = desk.path("receipt.pdf");
    desk.receipt(code, "a4", &pdf);
    let url = qr_of(&pdf);
    assert!(url.starts_with(&format!("{public}#")), "{url}");
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Quét mã QR để tra cứu tình trạng hồ sơ"),
        "{text}"
    );
    assert!(!text.contains("dichvucong"), "{text}");

    // Until the sender has run, the page finds nothing; once sent, the phone decrypts it.
    assert_shows(
        &rendered(chromium, &url),
        &["data-problem=\"not-found\"", "Chưa có thông tin"],
    );
    desk.ok(&["outbox", "run", "--once"]);
    assert_shows(
        &rendered(chromium, &url),
        &[
            "Đăng ký khai sinh",
            "Hồ sơ đã được tiếp nhận và đang chờ giải quyết.",
            "17:00, thứ Tư 03/03/2027",
            "Nguyễn V. A.",
        ],
    );

    desk.ok(&["transition", code, "--to", "4"]);
    desk.ok(&["transition", code, "--to", "9"]);
    desk.ok(&["outbox", "run", "--once"]);
    assert_shows(
        &rendered(chromium, &url),
        &["Đã có kết quả. Mời ông/bà đến nhận.", "Đăng ký khai sinh"],
    );

    // The host holds ciphertexts at random names: no code, no name, no key.
    let key = url.rsplit_once('.').unwrap().1;
    let raw_key = URL_SAFE_NO_PAD.decode(key).unwrap();
    let files = files_under(&dav.www());
    assert!(files.len() >= 4, "the page and a blob: {files:?}");
    for (path, bytes) in &files {
        let listed = path.to_string_lossy();
        for needle in [code, name, "Nguyen", key] {
            assert!(!listed.contains(needle), "{listed}");
            assert!(
                !contains(bytes, needle.as_bytes()),
                "{listed} holds {needle}"
            );
        }
        assert!(!contains(bytes, &raw_key), "{listed} holds the raw key");
    }

    // The desk scanner checks the citizen in from the same QR.
    let scanned = desk.json(&["scan", &url, "--json"]);
    assert_eq!(scanned["code"], code);
    assert_eq!(scanned["verified"], true);
}

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
