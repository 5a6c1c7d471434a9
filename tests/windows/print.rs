//! Printing from `motcua.exe` under Wine. Wine's spooler hands the GDI job to CUPS, whose
//! cups-pdf queue writes it into a PDF: the QR decoded from that printed page must be the
//! issued one, and the page must show what the archived PDF shows, where it shows it. A
//! missing printer and a printer Windows holds jobs for are refused on the console with a
//! non-zero exit, the receipt archived all the same.
//!
//! Needs the test command's CUPS printer (`MOTCUA_TEST_PRINTER`, `MOTCUA_TEST_PRINT_DIR`).

use std::path::{Path, PathBuf};

use super::linux::{birth, qr_of, tool, Queue};
use super::support::{self, App, WinDesk, WineOutput, SETUP};

/// A dossier taken in through `intake -` with a name full of two-mark letters; its code.
fn intake(app: &App, desk: &WinDesk, name: &str) -> String {
    let request = birth(name, "2027-03-03T09:00:00+07:00");
    let out = app.run_stdin(&desk.args(&["intake", "-"]), request.to_string().as_bytes());
    assert!(
        out.status.success(),
        "intake: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dossier: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    dossier["code"].as_str().unwrap().to_string()
}

fn archived(desk: &WinDesk, name: &str) -> PathBuf {
    desk.file
        .parent()
        .unwrap()
        .join("receipts")
        .join("2027")
        .join(name)
}

/// The first page of `pdf` in black and white at `dpi`: (width, height, black pixels).
fn bitmap(pdf: &Path, dpi: u32) -> (usize, usize, Vec<bool>) {
    let prefix = pdf.with_extension(format!("{dpi}"));
    let dpi = dpi.to_string();
    tool(
        "pdftoppm",
        &[
            "-mono",
            "-r",
            &dpi,
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let bytes = std::fs::read(prefix.with_extension(format!("{dpi}.pbm"))).unwrap();
    // P4: magic, width, height, then rows of bits, most significant first, 1 = black.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 3 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P4");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let data = &bytes[at + 1..];
    let row = w.div_ceil(8);
    let pixels = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .map(|(x, y)| data[y * row + x / 8] & (0x80 >> (x % 8)) != 0)
        .collect();
    (w, h, pixels)
}

/// The share of `a`'s black pixels that have a black pixel of `b` within `reach` pixels.
fn covered(a: &(usize, usize, Vec<bool>), b: &(usize, usize, Vec<bool>), reach: isize) -> f64 {
    let (w, h) = (a.0.min(b.0) as isize, a.1.min(b.1) as isize);
    let black = |m: &(usize, usize, Vec<bool>), x: isize, y: isize| {
        x >= 0 && y >= 0 && x < w && y < h && m.2[y as usize * m.0 + x as usize]
    };
    let (mut total, mut near) = (0u64, 0u64);
    for y in 0..h {
        for x in 0..w {
            if !black(a, x, y) {
                continue;
            }
            total += 1;
            let found =
                (-reach..=reach).any(|dy| (-reach..=reach).any(|dx| black(b, x + dx, y + dy)));
            if found {
                near += 1;
            }
        }
    }
    assert!(total > 0, "a blank page");
    near as f64 / total as f64
}

fn printer_names(app: &App) -> Vec<String> {
    let listed: serde_json::Value = serde_json::from_str(&app.ok(&["printers", "--json"])).unwrap();
    listed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn receipts_print_through_the_windows_spooler_and_refusals_keep_them() {
    let Some(app) = support::app() else { return };
    let printer = std::env::var("MOTCUA_TEST_PRINTER")
        .expect("the test command sets up a cups-pdf printer (MOTCUA_TEST_PRINTER)");
    let out_dir = std::env::var("MOTCUA_TEST_PRINT_DIR").expect("MOTCUA_TEST_PRINT_DIR");
    let _printer = super::linux::the_test_printer();
    let desk = WinDesk::new("Hồ sơ in");
    app.ok(&desk.args(&SETUP));
    let code = intake(app, &desk, "Nguyễn Hữu Lộc");

    // The spooler's list, as the settings screen shows it.
    assert!(printer_names(app).contains(&printer));

    // A printer that does not exist: refused, the receipt kept.
    let out = app.run(&desk.args(&["print", &code, "--printer", "NoSuchPrinter"]));
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Không có máy in «NoSuchPrinter»"), "{err}");
    assert!(
        !err.contains("CUPS") && !err.contains("cups-client"),
        "{err}"
    );
    assert!(archived(&desk, &format!("{code}.pdf")).is_file());

    // A printer Windows holds jobs for. Wine 8 reports no pause state of its own (the
    // status is always 0 and SetPrinter's PRINTER_CONTROL_PAUSE is not implemented), but it
    // reads the printer's attributes from where Windows keeps them: "Use printer offline"
    // (PRINTER_ATTRIBUTE_WORK_OFFLINE) is set there, as the printer's menu would.
    let held = Queue::add(format!("MotcuaHeld{}", std::process::id()));
    assert!(
        printer_names(app).contains(&held.0),
        "Wine picks up the new queue"
    );
    let key = format!(
        r"HKLM\System\CurrentControlSet\Control\Print\Printers\{}",
        held.0
    );
    let set = app
        .prefix
        .command("reg")
        .args([
            "add",
            &key,
            "/v",
            "Attributes",
            "/t",
            "REG_DWORD",
            "/d",
            "1024",
            "/f",
        ])
        .wine_output();
    assert!(set.status.success(), "{set:?}");
    let out = app.run(&desk.args(&["print", &code, "--printer", &held.0]));
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("Máy in «{}» đang tạm dừng", held.0)),
        "{err}"
    );
    let out = app.run(&desk.args(&["--lang", "en", "print", &code, "--printer", &held.0]));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("Printer «{}» is paused", held.0)),
        "{err}"
    );
    assert!(archived(&desk, &format!("{code}-reprint-2.pdf")).is_file());
    drop(held);

    // The real thing, on every paper: GDI, Wine's PostScript driver, CUPS and cups-pdf.
    for (issue, paper) in [(3, "a5"), (4, "a4"), (5, "80mm")] {
        let copy = print_and_collect(app, &desk, &code, &printer, paper, &out_dir);
        let archive = archived(&desk, &format!("{code}-reprint-{issue}.pdf"));
        let payload = qr_of(&archive);
        assert!(payload.starts_with(&format!("MC1:{code}:")), "{payload}");
        assert_eq!(qr_of(&copy), payload, "{paper}");

        // The same layout: nearly every mark of either page lies on a mark of the other, a
        // pixel apart at most (glyphs rasterise a little differently), so text, rules and
        // codes sit where the PDF has them; a shift of under a millimetre fails this.
        let (paper_page, printed_page) = (bitmap(&archive, 100), bitmap(&copy, 100));
        if paper != "80mm" {
            // Wine's PostScript driver has no custom sizes (it reads DMPAPER_USER as the
            // PPD's first unnamed size), so only the sheets' sizes are compared.
            assert!(
                paper_page.0.abs_diff(printed_page.0) <= 3
                    && paper_page.1.abs_diff(printed_page.1) <= 3,
                "{paper}: {:?} {:?}",
                (paper_page.0, paper_page.1),
                (printed_page.0, printed_page.1)
            );
        }
        let there = covered(&paper_page, &printed_page, 1);
        let back = covered(&printed_page, &paper_page, 1);
        assert!(there > 0.98 && back > 0.98, "{paper}: {there} {back}");
    }
}

/// Prints the receipt on `paper` and waits for cups-pdf's file, which is named after the job
/// (the dossier code); returns a copy beside the desk's database.
fn print_and_collect(
    app: &App,
    desk: &WinDesk,
    code: &str,
    printer: &str,
    paper: &str,
    out_dir: &str,
) -> PathBuf {
    let before = super::linux::printed_files(out_dir);
    app.ok(&desk.args(&["print", code, "--printer", printer, "--paper", paper]));
    let printed = super::linux::wait_printed(out_dir, code, &before);
    let copy = desk.dir.path().join(format!("printed-{paper}.pdf"));
    std::fs::copy(&printed, &copy).unwrap();
    let _ = std::fs::remove_file(&printed);
    copy
}
