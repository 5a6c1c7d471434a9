//! Data instead of paper, any-desk intake and the receipt's wording through the real binary:
//! the catalog's marks round-trip through export and import, intake takes a document from
//! data, the receipt says so and Mẫu 02 refuses to ask for it; a dossier naming another
//! competent authority shows it on the receipt, the control slip, the register and the
//! lists, and the hand-over proposes it; the receipt's ID label, office label and lookup line
//! follow the office's settings. Papers are read back with pdftotext.

use crate::support;

use support::{birth, pdf_text, Desk};

const AUTHORITY: &str = "Sở Tư pháp tỉnh Tây Ninh";
const CERTIFICATE: &str = "Giấy chứng sinh";
const UNIT: &str = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG";

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Marks the birth certificate of 1.001193 as obtainable from data and the procedure as
/// receivable at any desk, through the catalog's export and import.
fn mark_catalog(desk: &Desk) {
    let mut catalog: serde_json::Value =
        serde_json::from_str(&desk.ok(&["procedures", "export"])).unwrap();
    let birth = catalog["procedures"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["code"] == "1.001193")
        .unwrap();
    birth["any_desk"] = true.into();
    for d in birth["documents"].as_array_mut().unwrap() {
        if d["name"] == CERTIFICATE {
            d["from_data"] = true.into();
        }
    }
    let file = desk.path("catalog.json");
    std::fs::write(&file, catalog.to_string()).unwrap();
    desk.ok(&["procedures", "import", file.to_str().unwrap()]);
}

fn receipt(desk: &Desk, code: &str, name: &str) -> String {
    let pdf = desk.path(&format!("{name}.pdf"));
    desk.receipt(code, "a5", &pdf);
    pdf_text(&pdf)
}

fn with_certificate(mut request: serde_json::Value, from_data: bool) -> serde_json::Value {
    request["documents"] = serde_json::json!([
        {"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0},
        {"name": CERTIFICATE, "originals": 0, "copies": 0, "from_data": from_data},
    ]);
    request
}

#[test]
fn a_document_taken_from_data_is_ticked_printed_and_never_asked_for() {
    let desk = Desk::ready();
    // Before the catalog marks it, taking the certificate from data is refused by name.
    let req = with_certificate(birth("Nguyễn Văn An", "2027-03-01T09:00:00+07:00"), true);
    let out = desk.run_stdin(&["intake", "-"], &req.to_string());
    assert!(!out.status.success());
    assert!(stderr(&out).contains(CERTIFICATE), "{}", stderr(&out));

    mark_catalog(&desk);
    // The export carries the marks back out.
    let again: serde_json::Value =
        serde_json::from_str(&desk.ok(&["procedures", "export"])).unwrap();
    let birth_proc = again["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "1.001193")
        .unwrap();
    assert_eq!(birth_proc["any_desk"], true);
    let marked: Vec<&str> = birth_proc["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["from_data"] == true)
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(marked, [CERTIFICATE]);
    assert!(desk
        .ok(&["procedures", "list"])
        .contains("Tiếp nhận không phụ thuộc địa giới hành chính"));

    let d = desk.intake(&req);
    let code = d["code"].as_str().unwrap();
    assert_eq!(d["documents"][1]["from_data"], true);
    assert!(d["documents"][0].get("from_data").is_none());
    let shown = desk.ok(&["show", code]);
    assert!(
        shown.contains(&format!("{CERTIFICATE} (khai thác từ CSDL/VNeID)")),
        "{shown}"
    );

    let text = receipt(&desk, code, "receipt");
    assert!(text.contains(CERTIFICATE), "{text}");
    assert!(text.contains("Khai thác"), "{text}");
    assert!(text.contains("CSDL"), "{text}");

    // Mẫu 02 refuses to ask for it, naming it, in Vietnamese and in English.
    let pdf = desk.path("mau02.pdf");
    let ask = |lang: &str| {
        desk.run(&[
            "--lang",
            lang,
            "form",
            code,
            "--form",
            "supplement",
            "--missing",
            "Tờ khai đăng ký khai sinh:chưa ký",
            "--missing",
            &format!("{CERTIFICATE}:bản mờ"),
            "--out",
            pdf.to_str().unwrap(),
        ])
    };
    let out = ask("vi");
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "hồ sơ đã khai thác giấy tờ «{CERTIFICATE}» từ CSDL/VNeID"
        )),
        "{err}"
    );
    let err = stderr(&ask("en"));
    assert!(
        err.contains(&format!("the dossier took the document “{CERTIFICATE}”")),
        "{err}"
    );
    assert!(!pdf.exists(), "no paper for a refused request");
    let status = desk.json(&["show", code, "--json"]);
    assert_eq!(status["status_code"], 2, "nothing moved");
}

#[test]
fn an_any_desk_dossier_names_its_authority_on_every_paper_and_list() {
    let desk = Desk::ready();
    mark_catalog(&desk);
    let mut req = birth("Trần Thị Bình", "2027-03-01T09:00:00+07:00");
    req["authority"] = AUTHORITY.into();
    // Not on the office's list yet.
    let out = desk.run_stdin(&["intake", "-"], &req.to_string());
    assert!(!out.status.success());
    assert!(stderr(&out).contains(AUTHORITY), "{}", stderr(&out));
    desk.ok(&[
        "settings",
        "set",
        "authorities",
        &format!("UBND xã Tân Phú;{AUTHORITY}"),
    ]);
    assert_eq!(
        desk.ok(&["settings", "get", "authorities"]).trim(),
        format!("UBND xã Tân Phú; {AUTHORITY}")
    );
    let d = desk.intake(&req);
    let code = d["code"].as_str().unwrap().to_string();
    assert_eq!(d["authority"], AUTHORITY);
    let other = desk.intake(&birth("Lê Văn Cường", "2027-03-01T09:30:00+07:00"));
    assert_eq!(other["authority"], "");

    let line = format!("Cơ quan có thẩm quyền giải quyết: {AUTHORITY}");
    let text = receipt(&desk, &code, "receipt");
    assert!(text.contains(&line), "{text}");

    // The lists name it for this dossier only.
    let list = desk.ok(&["list", "--date", "2027-03-01"]);
    let mine = list.lines().find(|l| l.contains(&code)).unwrap();
    assert!(mine.contains(AUTHORITY), "{list}");
    let theirs = list
        .lines()
        .find(|l| l.contains(other["code"].as_str().unwrap()))
        .unwrap();
    assert!(!theirs.contains(AUTHORITY), "{list}");
    assert!(desk.ok(&["search", "Trần Thị Bình"]).contains(AUTHORITY));

    // The hand-over proposes the competent authority as its receiving unit.
    let batch = desk.json(&[
        "transfer",
        &code,
        "--to-unit",
        "--giver",
        "Lê Thị Giao",
        "--receiver",
        "Trần Văn Nhận",
        "--at",
        "2027-03-01T14:00:00+07:00",
    ]);
    assert_eq!(batch["unit"], AUTHORITY, "{batch}");

    let control = desk.path("control.pdf");
    desk.ok(&[
        "form",
        &code,
        "--form",
        "control",
        "--out",
        control.to_str().unwrap(),
    ]);
    // The control slip names the authority as the agency that decides the dossier.
    let text = pdf_text(&control);
    assert!(
        text.contains(&format!(
            "Cơ quan (bộ phận) giải quyết hồ sơ: {AUTHORITY} Cơ quan phối hợp"
        )),
        "{text}"
    );

    let register = desk.path("register.pdf");
    desk.ok(&[
        "register",
        "--from",
        "2027-03-01",
        "--to",
        "2027-03-01",
        "--out",
        register.to_str().unwrap(),
    ]);
    let text = pdf_text(&register);
    assert!(text.contains("Sở Tư pháp"), "{text}");
    assert!(text.contains("Tây Ninh"), "{text}");

    let audit = desk.run(&["audit", "verify"]);
    assert!(audit.status.success(), "{}", stderr(&audit));
}

#[test]
fn the_receipt_names_the_office_and_promises_only_the_lookup_that_works() {
    let desk = Desk::ready();
    let issue = |name: &str| {
        let d = desk.intake(&birth(name, "2027-03-01T09:00:00+07:00"));
        receipt(&desk, d["code"].as_str().unwrap(), name)
    };
    // The 2018 set's label; no portal, no lookup page, no contact: ask the office.
    desk.ok(&["settings", "set", "form-set", "tt01-2018"]);
    let text = issue("Nguyễn Văn An");
    assert!(
        text.contains("Số định danh cá nhân/Hộ chiếu: 079203001234"),
        "{text}"
    );
    assert!(!text.contains("CCCD"), "{text}");
    assert!(
        text.contains(&format!("Bộ phận tiếp nhận và trả kết quả: {UNIT}")),
        "{text}"
    );
    assert!(!text.contains("dichvucong"), "{text}");
    assert!(!text.contains("quét mã QR"), "{text}");
    assert!(
        text.contains("Hỏi về hồ sơ: Bộ phận tiếp nhận và trả kết quả, theo mã hồ sơ"),
        "{text}"
    );

    // A contact line, then the office's own lookup page.
    desk.ok(&["settings", "set", "contact", "Điện thoại 0276 3812 345"]);
    let text = issue("Nguyễn Văn Bình");
    assert!(
        text.contains("Hỏi về hồ sơ: Điện thoại 0276 3812 345"),
        "{text}"
    );
    desk.ok(&[
        "settings",
        "set",
        "lookup-url",
        "http://192.168.1.10:8080/d/{code}?k={tag}",
    ]);
    let text = issue("Nguyễn Văn Cường");
    assert!(
        text.contains("Quét mã QR để tra cứu tình trạng hồ sơ"),
        "{text}"
    );
    assert!(!text.contains("dichvucong"), "{text}");

    // Only an office whose dossiers reach the national portal sends citizens there.
    desk.ok(&["settings", "set", "national-portal", "true"]);
    let text = issue("Nguyễn Văn Dũng");
    assert!(
        text.contains("Quét mã QR để tra cứu tình trạng hồ sơ, hoặc tra cứu tại dichvucong.gov.vn"),
        "{text}"
    );
    let out = desk.run(&["settings", "set", "national-portal", "maybe"]);
    assert!(!out.status.success());

    // Under the 2025 set the office is the centre itself, unless it names itself.
    desk.ok(&["settings", "set", "form-set", "tt03-2025"]);
    let text = issue("Nguyễn Văn Em");
    assert!(
        text.contains(&format!("Cơ quan tiếp nhận: {UNIT}")),
        "{text}"
    );
    assert!(
        text.contains(&format!("6. Đăng ký nhận kết quả tại: {UNIT}")),
        "{text}"
    );
    assert!(!text.contains("Bộ phận tiếp nhận và trả kết quả"), "{text}");
    desk.ok(&["settings", "set", "office-label", "Điểm tiếp nhận số 2"]);
    let text = issue("Nguyễn Văn Phúc");
    assert!(
        text.contains(&format!("Điểm tiếp nhận số 2: {UNIT}")),
        "{text}"
    );

    // Mẫu 02 gives the desk's phone line.
    let out = desk.run(&["settings", "set", "desk-phone", "số máy bàn"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("Số điện thoại của bộ phận tiếp nhận"),
        "{}",
        stderr(&out)
    );
    desk.ok(&["settings", "set", "desk-phone", "0276 3812 345"]);
    let phone = desk
        .ok(&["settings", "get", "desk-phone"])
        .trim()
        .to_string();
    let d = desk.intake(&birth("Nguyễn Thị Giang", "2027-03-01T10:00:00+07:00"));
    let pdf = desk.path("mau02.pdf");
    desk.ok(&[
        "form",
        d["code"].as_str().unwrap(),
        "--form",
        "supplement",
        "--missing",
        "Giấy chứng sinh:chưa có",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    let text = pdf_text(&pdf);
    assert!(text.contains(&format!("số điện thoại {phone}")), "{text}");
}
