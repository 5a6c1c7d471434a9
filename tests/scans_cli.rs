//! `motcua scans` end to end with the real binary: SANE's test backend (`scanimage -d
//! test`) scans two pages into a checklist row, read back with `pdfinfo` and under the size
//! limit, listed by `scans list --json`, its hash in the dossier's chained history; the
//! file changed behind the app's back makes `audit verify` fail naming it. A PDF and a JPEG
//! dropped in the watched folder are listed oldest first and attached in order with their
//! page counts, and leave the folder. A file that is no paper is refused by name with
//! nothing written; an absent scanner is named; files are private under umask 022; a
//! processing-only clerk may not add a row's papers.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::scenario::Scenario;
use crate::support::{tool, Desk};

fn run_022(desk: &Desk, args: &[&str]) -> Output {
    desk.cmd_with_umask(0o022)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn ok_json(desk: &Desk, args: &[&str]) -> serde_json::Value {
    let out = run_022(desk, args);
    assert!(
        out.status.success(),
        "motcua {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn pdf_pages(pdf: &Path) -> u32 {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(all_files(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn scanner_scans_two_pages_into_row_one(s: &Scenario) -> PathBuf {
    let desk = &s.desk;
    let code = s.code();
    desk.ok(&["settings", "set", "scanner-device", "test"]);
    assert_eq!(desk.ok(&["settings", "get", "scan-dpi"]).trim(), "200");
    let added = ok_json(
        desk,
        &[
            "scans", "add", &code, "--doc", "1", "--pages", "2", "--json",
        ],
    );
    let stored = &added[0];
    let path = PathBuf::from(stored["path"].as_str().unwrap());
    let scans_dir = Path::new(&desk.db).parent().unwrap().join("scans");
    assert!(path.starts_with(&scans_dir), "{path:?}");
    assert!(
        stored["file"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/{code}/1-1.pdf")),
        "{stored}"
    );
    assert_eq!(pdf_pages(&path), 2);
    assert_eq!(stored["pages"], 2);
    let bytes = std::fs::metadata(&path).unwrap().len();
    assert!(bytes < 2 * 150 * 1024, "{bytes} bytes");
    assert_eq!(stored["bytes"], bytes);
    assert_eq!(stored["source"], "sane");
    #[cfg(unix)]
    {
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        assert_eq!(mode(&scans_dir), 0o700);
    }
    // Text mode: the same scanner, the page stored black and white (1 bit, Flate).
    desk.ok(&["settings", "set", "scan-mode", "text"]);
    let text = ok_json(desk, &["scans", "add", &code, "--doc", "1", "--json"]);
    let text_pdf = PathBuf::from(text[0]["path"].as_str().unwrap());
    let images = tool("pdfimages", &["-list", text_pdf.to_str().unwrap()]);
    let row = images.lines().nth(2).unwrap();
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        (cols[5], cols[7], cols[8]),
        ("gray", "1", "image"),
        "{images}"
    );
    desk.ok(&["settings", "set", "scan-mode", "gray"]);
    let list = ok_json(desk, &["scans", "list", &code, "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["sha256"], stored["sha256"]);
    assert_eq!(list[0]["doc"], 1);
    let history = ok_json(desk, &["history", &code, "--json"]);
    let scanned: Vec<_> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "scanned")
        .collect();
    assert_eq!(scanned.len(), 2);
    assert_eq!(scanned[0]["data"]["sha256"], stored["sha256"]);
    assert!(desk.run(&["audit", "verify"]).status.success());
    path
}

fn a_changed_file_fails_the_audit_naming_it(desk: &Desk, path: &Path) {
    let original = std::fs::read(path).unwrap();
    let mut edited = original.clone();
    // One byte inside the first page's JPEG: the PDF still opens, its hash is another.
    let at = edited.len() / 2;
    edited[at] ^= 0x01;
    std::fs::write(path, &edited).unwrap();
    let out = desk.run(&["audit", "verify"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(path.to_str().unwrap()), "{said}");
    assert!(said.contains("thay đổi"), "{said}");
    std::fs::write(path, &original).unwrap();
    assert!(desk.run(&["audit", "verify"]).status.success());
}

fn the_watched_folder_gives_a_pdf_and_a_jpeg_in_order(s: &Scenario, scanned: &Path) {
    let desk = &s.desk;
    let code = s.code();
    let folder = desk.path("may-photocopy");
    std::fs::create_dir_all(&folder).unwrap();
    desk.ok(&["settings", "set", "scan-folder", folder.to_str().unwrap()]);
    let pdf = folder.join("scan_0001.pdf");
    std::fs::copy(scanned, &pdf).unwrap();
    let jpeg = folder.join("scan_0002.jpg");
    tool(
        "convert",
        &[
            "-size",
            "1654x2339",
            "pattern:checkerboard",
            "-colorspace",
            "Gray",
            "-units",
            "PixelsPerInch",
            "-density",
            "200",
            jpeg.to_str().unwrap(),
        ],
    );
    // The copier wrote the PDF first.
    tool("touch", &["-d", "2026-12-05 08:00", pdf.to_str().unwrap()]);
    tool("touch", &["-d", "2026-12-05 08:01", jpeg.to_str().unwrap()]);
    let waiting = ok_json(desk, &["scans", "incoming", "--json"]);
    let names: Vec<&str> = waiting
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["scan_0001.pdf", "scan_0002.jpg"]);
    let added = ok_json(
        desk,
        &[
            "scans",
            "add",
            &code,
            "--doc",
            "1",
            "--incoming",
            "scan_0001.pdf",
            "--incoming",
            "scan_0002.jpg",
            "--json",
        ],
    );
    let added = added.as_array().unwrap();
    assert_eq!(added.len(), 2);
    assert!(added[0]["file"].as_str().unwrap().ends_with("/1-3.pdf"));
    assert!(added[1]["file"].as_str().unwrap().ends_with("/1-4.pdf"));
    assert_eq!(added[0]["pages"], 2);
    assert_eq!(added[1]["pages"], 1);
    assert_eq!(added[0]["source"], "folder");
    // The PDF was kept byte for byte; the JPEG became a one-page A4 PDF.
    let first = PathBuf::from(added[0]["path"].as_str().unwrap());
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(scanned).unwrap()
    );
    let second = PathBuf::from(added[1]["path"].as_str().unwrap());
    assert_eq!(pdf_pages(&second), 1);
    let size = tool("pdfinfo", &[second.to_str().unwrap()]);
    assert!(size.contains("595.4") || size.contains("595.44"), "{size}");
    assert!(!pdf.exists() && !jpeg.exists(), "moved out of the folder");
    let waiting = ok_json(desk, &["scans", "incoming", "--json"]);
    assert!(waiting.as_array().unwrap().is_empty());
    let list = ok_json(desk, &["scans", "list", &code, "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 4);
    assert!(desk.run(&["audit", "verify"]).status.success());
}

fn a_bad_file_and_an_absent_scanner_are_named_and_nothing_is_written(s: &Scenario) {
    let desk = &s.desk;
    let code = s.code();
    let scans_dir = Path::new(&desk.db).parent().unwrap().join("scans");
    let before = all_files(&scans_dir);
    let notes = desk.path("ghi-chu.txt");
    std::fs::write(&notes, "Biên bản, không phải bản quét").unwrap();
    let good = desk.path("trang.jpg");
    tool(
        "convert",
        &["-size", "200x300", "xc:white", good.to_str().unwrap()],
    );
    let out = desk.run(&[
        "scans",
        "add",
        &code,
        "--doc",
        "1",
        "--file",
        good.to_str().unwrap(),
        notes.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(notes.to_str().unwrap()), "{said}");
    let out = desk.run(&["scans", "add", &code, "--doc", "1", "--device", "khong-co"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("khong-co"), "{said}");
    let out = desk.run(&[
        "scans",
        "add",
        &code,
        "--doc",
        "9",
        "--file",
        good.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert_eq!(all_files(&scans_dir), before);
    let list = ok_json(desk, &["scans", "list", &code, "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 4);
}

fn a_processing_clerk_may_not_add_a_rows_papers(s: &Scenario) {
    let desk = &s.desk;
    desk.account("xu.ly", &["processing"]);
    desk.login("xu.ly", crate::support::PASSWORD);
    let out = desk.run(&["scans", "add", &s.code(), "--doc", "1", "--device", "test"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("quyền") || said.contains("Tiếp nhận"),
        "{said}"
    );
    // Listing is seeing the dossier: allowed.
    assert!(desk.run(&["scans", "list", &s.code()]).status.success());
}

#[test]
fn scanner_folder_files_and_the_audit() {
    let s = Scenario::new()
        .clerk("an.nv", &["reception", "supervisor"])
        .signed_in("an.nv")
        .dossier_today("Nguyễn Văn An");
    let scanned = scanner_scans_two_pages_into_row_one(&s);
    a_changed_file_fails_the_audit_naming_it(&s.desk, &scanned);
    the_watched_folder_gives_a_pdf_and_a_jpeg_in_order(&s, &scanned);
    a_bad_file_and_an_absent_scanner_are_named_and_nothing_is_written(&s);
    a_processing_clerk_may_not_add_a_rows_papers(&s);
}
