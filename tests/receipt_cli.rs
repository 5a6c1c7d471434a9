//! Receipts through the CLI: real PDFs read back with pdftotext, their QR and barcode decoded
//! with zbarimg, scanned back, and printed through a real CUPS queue.

use crate::support;

use support::{birth, pdf_text, qr_of, receipt_qr, symbols, tool, Desk, Queue};

#[test]
fn receipts_in_every_format_read_back_and_scan() {
    let desk = Desk::ready();
    let d = desk.intake(&birth("Nguyễn Thị Hồng Nhung", "2027-03-03T09:00:00+07:00"));
    let code = d["code"].as_str().unwrap();
    for paper in ["a4", "a5", "80mm"] {
        let pdf = desk.path(&format!("receipt-{paper}.pdf"));
        desk.receipt(code, paper, &pdf);
        let text = pdf_text(&pdf);
        assert!(text.contains("Nguyễn Thị Hồng Nhung"), "{paper}: {text}");
        assert!(text.contains(code), "{paper}");
        assert!(text.contains("GIẤY TIẾP NHẬN HỒ SƠ"), "{paper}");
        tool("qpdf", &["--check", pdf.to_str().unwrap()]);
        let found = symbols(&pdf);
        let qr = found
            .iter()
            .find(|(k, _)| k == "QR-Code")
            .map(|(_, v)| v.clone())
            .expect("QR");
        assert!(
            qr.is_ascii() && !qr.contains("Nhung") && !qr.contains("079203001234"),
            "nothing personal: {qr}"
        );
        if paper != "80mm" {
            assert!(
                found.contains(&("CODE-128".to_string(), code.to_string())),
                "{paper}: {found:?}"
            );
        }
        let scanned = desk.json(&["scan", &qr, "--json"]);
        assert_eq!(scanned["code"], code);
        assert_eq!(scanned["verified"], true);
        assert_eq!(scanned["tag"], "verified");
        assert_eq!(
            text.contains("In lại lần"),
            paper != "a4",
            "{paper}: only later issues are reprints"
        );
    }
    // Issued three times: the later two are reprints, marked and logged.
    let pdf = desk.path("again.pdf");
    desk.receipt(code, "a5", &pdf);
    assert!(pdf_text(&pdf).contains("In lại lần 3"));
    let kinds: Vec<String> = desk
        .json(&["history", code, "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        ["created", "printed", "reprinted", "reprinted", "reprinted"]
    );
    // Every issue is archived beside the database.
    let archived = desk
        .dir
        .path()
        .join("receipts/2027")
        .join(format!("{code}.pdf"));
    assert!(archived.exists(), "{archived:?}");
}

#[test]
fn scan_accepts_issued_slips_and_refuses_forged_ones() {
    let desk = Desk::ready();
    let d = desk.intake(&birth("Lê Văn Tám", "2027-03-03T09:00:00+07:00"));
    let code = d["code"].as_str().unwrap();
    let qr = receipt_qr(&desk, code, "a5");
    // A keyboard-wedge scanner with Caps Lock on, and stray white space.
    let flipped = motcua_core::text::caps_lock(&qr);
    assert_eq!(
        desk.json(&["scan", &format!("  {flipped}\n"), "--json"])["verified"],
        true
    );
    // The barcode carries only the code.
    let bare = desk.json(&["scan", &code.to_lowercase(), "--json"]);
    assert_eq!(bare["tag"], "missing");
    // An altered tag.
    let last = qr.chars().last().unwrap();
    let forged = format!(
        "{}{}",
        &qr[..qr.len() - 1],
        if last == 'A' { 'B' } else { 'A' }
    );
    let out = desk.run(&["scan", &forged]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("không hợp lệ"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A code that was never issued, with a tag copied from a real slip.
    let unknown = qr.replace(code, &code.replace("-0001", "-0999"));
    let out = desk.run(&["scan", &unknown]);
    assert!(!out.status.success());
    let out = desk.run(&["scan", "hello world"]);
    assert!(!out.status.success());
}

#[test]
fn a_lookup_url_template_becomes_the_qr_payload() {
    let desk = Desk::ready();
    let out = desk.run(&["settings", "set", "lookup-url", "ftp://x/{code}"]);
    assert!(!out.status.success());
    desk.ok(&[
        "settings",
        "set",
        "lookup-url",
        "http://192.168.1.10:8080/d/{code}?k={tag}",
    ]);
    let d = desk.intake(&birth("Lê Văn Tám", "2027-03-03T09:00:00+07:00"));
    let code = d["code"].as_str().unwrap();
    let qr = receipt_qr(&desk, code, "a4");
    assert!(
        qr.starts_with(&format!("http://192.168.1.10:8080/d/{code}?k=")),
        "{qr}"
    );
    assert_eq!(desk.json(&["scan", &qr, "--json"])["verified"], true);
}

#[test]
fn printing_goes_through_cups_and_a_missing_printer_is_a_clear_error() {
    let printer = std::env::var("MOTCUA_TEST_PRINTER")
        .expect("the test command sets up a cups-pdf printer (MOTCUA_TEST_PRINTER)");
    let out_dir = std::env::var("MOTCUA_TEST_PRINT_DIR").expect("MOTCUA_TEST_PRINT_DIR");
    let _printer = support::the_test_printer();
    let desk = Desk::ready();
    let d = desk.intake(&birth("Võ Thị Sáu", "2027-03-03T09:00:00+07:00"));
    let code = d["code"].as_str().unwrap();
    let listed = desk.json(&["printers", "--json"]);
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == printer.as_str()),
        "{listed}"
    );

    let out = desk.run(&["print", code, "--printer", "NoSuchPrinter"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("NoSuchPrinter"));
    // The receipt was kept for a reprint all the same.
    assert!(desk
        .dir
        .path()
        .join("receipts/2027")
        .join(format!("{code}.pdf"))
        .exists());

    let before = support::printed_files(&out_dir);
    desk.ok(&["print", code, "--printer", &printer, "--paper", "a5"]);
    // cups-pdf names its output after the job title, the dossier code.
    let printed = support::wait_printed(&out_dir, code, &before);
    let copy = desk.path("printed.pdf");
    std::fs::copy(&printed, &copy).unwrap();
    let _ = std::fs::remove_file(&printed);
    // cups-pdf re-renders text, so compare by the QR rather than by text.
    let archived = desk
        .dir
        .path()
        .join("receipts/2027")
        .join(format!("{code}-reprint-1.pdf"));
    assert_eq!(qr_of(&copy), qr_of(&archived));
}

#[test]
fn a_paused_queue_is_a_clear_error_and_the_receipt_is_kept() {
    std::env::var("MOTCUA_TEST_PRINTER")
        .expect("the test command sets up CUPS with cups-pdf (MOTCUA_TEST_PRINTER)");
    let queue = Queue::add(format!("MotcuaPaused{}", std::process::id()));
    tool("cupsdisable", &[&queue.0]);
    let desk = Desk::ready();
    let d = desk.intake(&birth("Đỗ Thị Lộc", "2027-03-03T09:00:00+07:00"));
    let code = d["code"].as_str().unwrap();

    let out = desk.run(&["print", code, "--printer", &queue.0]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("Máy in «{}» đang tạm dừng", queue.0)),
        "{err}"
    );
    let out = desk.run(&["--lang", "en", "print", code, "--printer", &queue.0]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("Printer «{}» is paused", queue.0)),
        "{err}"
    );
    // Refused up front: nothing waits in the held queue, and both issues are archived.
    assert_eq!(tool("lpstat", &["-o", &queue.0]).trim(), "");
    let archive = desk.dir.path().join("receipts/2027");
    assert!(archive.join(format!("{code}.pdf")).exists());
    assert!(archive.join(format!("{code}-reprint-1.pdf")).exists());
}
