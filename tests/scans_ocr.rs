//! The optional text layer with the real binary and the real Tesseract (`tesseract-ocr`,
//! `tesseract-ocr-vie`): a Vietnamese page rendered with DejaVu is attached as a JPEG
//! image, a receipt as a PDF with its own text, and a page scanned in text mode (black and
//! white) by SANE's test backend. With Tesseract hidden (`MOTCUA_TESSERACT` naming no
//! program) nothing changes and the status says why; with it, `scans ocr --once` makes the
//! page searchable (`pdftotext` finds its words), keeps its JPEG and its small size, chains
//! the new hash so `audit verify` passes and still catches a change, leaves the receipt as
//! it is, and takes nothing twice.

use std::path::PathBuf;

use crate::support::scenario::Scenario;
use crate::support::{pdf_text, tool, Desk};

const DEJAVU: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";

/// A 200 dpi grey A4 page of a birth certificate's first lines, as a copier's JPEG.
fn birth_certificate_page(page: PathBuf) -> PathBuf {
    tool(
        "convert",
        &[
            "-size",
            "1654x2339",
            "xc:white",
            "-font",
            DEJAVU,
            "-fill",
            "black",
            "-pointsize",
            "40",
            "-draw",
            "text 150,300 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'",
            "-draw",
            "text 450,500 'GIẤY KHAI SINH'",
            "-pointsize",
            "32",
            "-draw",
            "text 150,700 'Họ và tên: Nguyễn Văn An'",
            "-draw",
            "text 150,800 'Ngày sinh: 12/03/2020'",
            "-draw",
            "text 150,900 'Nơi sinh: Bệnh viện Phụ sản Hà Nội'",
            "-colorspace",
            "Gray",
            "-units",
            "PixelsPerInch",
            "-density",
            "200",
            "-quality",
            "80",
            page.to_str().unwrap(),
        ],
    );
    page
}

fn hidden(desk: &Desk, args: &[&str]) -> std::process::Output {
    desk.cmd()
        .env("MOTCUA_TESSERACT", "/nonexistent/tesseract")
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn listed(desk: &Desk, code: &str) -> Vec<serde_json::Value> {
    desk.json(&["scans", "list", code, "--json"])
        .as_array()
        .unwrap()
        .clone()
}

fn by_file<'a>(list: &'a [serde_json::Value], suffix: &str) -> &'a serde_json::Value {
    list.iter()
        .find(|s| s["file"].as_str().unwrap().ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix} in {list:?}"))
}

#[test]
fn a_scanned_page_is_made_searchable_in_the_background_and_stays_verified() {
    let s = Scenario::new()
        .clerk("an.nv", &["reception", "supervisor"])
        .signed_in("an.nv")
        .dossier_today("Nguyễn Văn An");
    let desk = &s.desk;
    let code = s.code();
    let page = birth_certificate_page(desk.path("giay-khai-sinh.jpg"));
    desk.ok(&[
        "scans",
        "add",
        &code,
        "--doc",
        "1",
        "--file",
        page.to_str().unwrap(),
    ]);
    let receipt = desk.path("receipt.pdf");
    desk.receipt(&code, "a4", &receipt);
    desk.ok(&[
        "scans",
        "add",
        &code,
        "--doc",
        "1",
        "--file",
        receipt.to_str().unwrap(),
    ]);
    desk.ok(&["settings", "set", "scanner-device", "test"]);
    desk.ok(&["settings", "set", "scan-mode", "text"]);
    desk.ok(&["scans", "add", &code, "--doc", "1"]);

    let before = listed(desk, &code);
    assert_eq!(before.len(), 3);
    assert!(
        before.iter().all(|s| s["text_layer"] == "pending"),
        "{before:?}"
    );
    let page_pdf = PathBuf::from(by_file(&before, "/1-1.pdf")["path"].as_str().unwrap());
    let original = std::fs::read(&page_pdf).unwrap();
    assert!(!pdf_text(&page_pdf).contains("KHAI SINH"), "no text yet");

    // Without Tesseract: nothing happens, nothing fails, and the supervisor is told why.
    let status = hidden(desk, &["scans", "ocr", "--status"]);
    assert!(status.status.success());
    let said = String::from_utf8_lossy(&status.stdout);
    assert!(said.contains("không tìm thấy Tesseract"), "{said}");
    assert!(said.contains("Chờ: 3"), "{said}");
    let run = hidden(desk, &["scans", "ocr", "--once"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(std::fs::read(&page_pdf).unwrap(), original);
    assert_eq!(listed(desk, &code), before);
    let json = desk
        .cmd()
        .env("MOTCUA_TESSERACT", "/nonexistent/tesseract")
        .args(["scans", "ocr", "--status", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["tesseract"]["state"], "no_program");
    assert_eq!(json["pending"], 3);

    // With Tesseract: each waiting paper read once.
    let ready = desk.ok(&["scans", "ocr", "--status"]);
    assert!(ready.contains("sẵn sàng"), "{ready}");
    let outcomes = desk.json(&["scans", "ocr", "--once", "--json"]);
    let outcomes = outcomes.as_array().unwrap();
    assert_eq!(outcomes.len(), 3, "{outcomes:?}");
    let of = |suffix: &str| by_file(outcomes, suffix)["text_layer"].clone();
    assert_eq!(of("/1-1.pdf"), "done", "{outcomes:?}");
    assert_eq!(
        of("/1-2.pdf"),
        "skipped",
        "a PDF with its own text: {outcomes:?}"
    );
    assert_eq!(of("/1-3.pdf"), "done", "{outcomes:?}");

    // The page's words are there, on the same page, in the same JPEG, still small.
    let text = pdf_text(&page_pdf);
    assert!(text.contains("KHAI SINH"), "{text}");
    assert!(text.contains("Văn An"), "{text}");
    let images = tool("pdfimages", &["-list", page_pdf.to_str().unwrap()]);
    assert!(images.lines().nth(2).unwrap().contains("jpeg"), "{images}");
    let info = tool("pdfinfo", &[page_pdf.to_str().unwrap()]);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(
        info.contains("595.") || info.contains("595 x"),
        "A4 wide: {info}"
    );
    let bytes = std::fs::metadata(&page_pdf).unwrap().len();
    assert!(
        bytes < original.len() as u64 + 20 * 1024 && bytes < 150 * 1024,
        "{bytes} bytes, was {}",
        original.len()
    );
    // The black-and-white page stays one bit deep (Tesseract stores it as CCITT G4).
    let bw = by_file(&listed(desk, &code), "/1-3.pdf")["path"]
        .as_str()
        .unwrap()
        .to_string();
    let images = tool("pdfimages", &["-list", &bw]);
    let row = images.lines().nth(2).unwrap().to_string();
    assert!(
        row.contains("gray") && row.contains("   1  ccitt"),
        "{images}"
    );

    // The receipt is kept byte for byte; the new hashes are in the rows and the chain.
    let after = listed(desk, &code);
    let kept = by_file(&after, "/1-2.pdf");
    assert_eq!(kept["text_layer"], "skipped");
    assert_eq!(kept["sha256"], by_file(&before, "/1-2.pdf")["sha256"]);
    assert_eq!(
        std::fs::read(kept["path"].as_str().unwrap()).unwrap(),
        std::fs::read(&receipt).unwrap()
    );
    let new = by_file(&after, "/1-1.pdf");
    assert_eq!(new["text_layer"], "done");
    assert_eq!(new["bytes"], bytes);
    let history = desk.json(&["history", &code, "--json"]);
    let texts: Vec<_> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "scan_text")
        .collect();
    assert_eq!(texts.len(), 2, "{history}");
    let first = &texts[0]["data"];
    assert_eq!(
        first["previous_sha256"],
        by_file(&before, "/1-1.pdf")["sha256"]
    );
    assert_eq!(first["sha256"], new["sha256"]);
    desk.ok(&["audit", "verify"]);

    // The audit checks the file against its latest hash: a change is still named.
    let mut changed = std::fs::read(&page_pdf).unwrap();
    let mid = changed.len() / 2;
    changed[mid] ^= 0x01;
    std::fs::write(&page_pdf, &changed).unwrap();
    let audit = desk.run(&["audit", "verify"]);
    assert!(!audit.status.success());
    let complaint = String::from_utf8_lossy(&audit.stderr);
    assert!(
        complaint.contains(page_pdf.to_str().unwrap()),
        "{complaint}"
    );
    changed[mid] ^= 0x01;
    std::fs::write(&page_pdf, &changed).unwrap();
    desk.ok(&["audit", "verify"]);

    // Nothing is taken twice; the status counts what was done.
    assert_eq!(
        desk.json(&["scans", "ocr", "--once", "--json"]),
        serde_json::json!([])
    );
    let status = desk.json(&["scans", "ocr", "--status", "--json"]);
    assert_eq!(
        (
            &status["pending"],
            &status["done"],
            &status["skipped"],
            &status["failed"]
        ),
        (&0.into(), &2.into(), &1.into(), &0.into()),
        "{status}"
    );
}
