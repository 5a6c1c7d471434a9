//! The comparison the issue asks for: the same receipt written as HTML (the same text, the QR
//! code and barcode as inline SVG) and printed by headless Chromium, as an app built on a
//! browser engine would print it, in the three papers: A4 and A5 with both copies, 80 mm
//! with the citizen's copy on a roll page 297 mm long (Chromium cannot size a page to its
//! content). Timed from writing the HTML to the PDF on disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use chrono::{Datelike, Timelike};
use motcua_core::calendar::TimeLimit;
use motcua_core::documents::{Barcode, EcLevel, Element, Paper, QrSymbol};
use motcua_core::dossier::{Dossier, ReturnMethod};
use motcua_core::store::{FORM_CITATION, LOOKUP_HINT};
use motcua_core::vntime::to_vn;
use motcua_core::CoreError;

use super::error::BenchError;

use super::receipt::PaperResult;
use super::stats::stats;

/// Chromium's program: `MOTCUA_CHROMIUM`, or the first of the usual names on the PATH.
pub fn find() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("MOTCUA_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn date_words(t: chrono::DateTime<chrono::Utc>) -> String {
    let v = to_vn(t);
    format!(
        "ngày {:02} tháng {:02} năm {:04}",
        v.day(),
        v.month(),
        v.year()
    )
}

fn time_words(t: chrono::DateTime<chrono::Utc>) -> String {
    let v = to_vn(t);
    format!(
        "{:02} giờ {:02} phút, {}",
        v.hour(),
        v.minute(),
        date_words(t)
    )
}

/// Filled boxes as one SVG path, `w` × `h` in the symbol's own units.
fn svg(elements: &[Element], w: f32, h: f32, css_w: &str) -> String {
    let mut d = String::new();
    for e in elements {
        if let Element::Fill(b) = e {
            d.push_str(&format!("M{} {}h{}v{}h{}z", b.x, b.y, b.w, b.h, -b.w));
        }
    }
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" style="width:{css_w}" shape-rendering="crispEdges"><path d="{d}"/></svg>"#
    )
}

/// One copy (liên) of the A5 receipt.
fn copy(d: &Dossier, qr: &str, bar: &str, label: &str) -> String {
    let a = &d.applicant;
    let limit = match d.procedure.limit {
        TimeLimit::WorkingDays { days } => format!("{days} ngày làm việc"),
        TimeLimit::CalendarDays { days } => format!("{days} ngày"),
        TimeLimit::SameDay { .. } => "trong ngày".to_string(),
    };
    let place = match &d.return_method {
        ReturnMethod::Desk => "Bộ phận tiếp nhận và trả kết quả".to_string(),
        ReturnMethod::Post(p) => format!(
            "{}, {} (qua dịch vụ bưu chính công ích)",
            p.recipient, p.address
        ),
    };
    let rows: String = d
        .documents
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            format!(
                "<tr><td class=c>{}</td><td>{}</td><td class=c>{}</td><td class=c>{}</td></tr>",
                i + 1,
                escape(&doc.name),
                doc.originals,
                doc.copies
            )
        })
        .collect();
    let fee = if d.fee_text.trim().is_empty() {
        String::new()
    } else {
        format!("<p>Phí, lệ phí: {}</p>", escape(&d.fee_text))
    };
    let r = d.register;
    format!(
        r#"<section>
<p class="cite">{citation}</p>
<div class="head"><div><b>{gov}</b><br><b>{unit}</b><hr></div>
<div><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b><hr><i>{place_date}</i></div></div>
<h1>GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ</h1>
<p class=c>Mã hồ sơ: <b>{code}</b></p><p class=c><i>{label}</i></p>
<div class="codes"><div>{bar}<br><small>{code}</small></div>{qr}</div>
<p>Bộ phận tiếp nhận và trả kết quả: {unit_plain}</p>
<p>Tiếp nhận hồ sơ của: <b>{name}</b>     Số CCCD/Hộ chiếu: {id}</p>
<p>Địa chỉ: {address}</p>
<p>Số điện thoại: {phone}   Email: {email}</p>
<p>Nội dung yêu cầu giải quyết: <b>{procedure}</b></p>
<p>1. Thành phần hồ sơ nộp gồm:</p>
<table><tr><th>STT</th><th>Tên giấy tờ</th><th>Bản chính</th><th>Bản sao</th></tr>{rows}</table>
<p>2. Số lượng hồ sơ: {sets} (bộ)     3. Thời gian giải quyết hồ sơ theo quy định là: {limit}</p>
<p>4. Thời gian nhận hồ sơ: {received}</p>
<p>5. Thời gian trả kết quả giải quyết hồ sơ: <b>{due}</b></p>
<p>6. Đăng ký nhận kết quả tại: {return_place}</p>
{fee}<p>Vào Sổ theo dõi hồ sơ, Quyển số: {book}/{year}, Số thứ tự: {line}</p>
<p>{hint}</p><p><i>Ông/bà vui lòng mang theo giấy này khi đến nhận kết quả.</i></p>
<div class="sign"><div><b>NGƯỜI NỘP HỒ SƠ</b><br><i>(Ký và ghi rõ họ tên)</i></div><div><b>NGƯỜI TIẾP NHẬN HỒ SƠ</b><br><i>(Ký và ghi rõ họ tên)</i></div></div>
</section>"#,
        citation = escape(FORM_CITATION),
        gov = escape(&d.issuer.governing_body),
        unit = escape(&d.issuer.unit),
        unit_plain = escape(&d.issuer.unit),
        place_date = escape(&format!(
            "{}, {}",
            d.issuer.place,
            date_words(d.received_at)
        )),
        code = escape(&d.code),
        name = escape(&a.name),
        id = escape(&a.id_number),
        address = escape(&a.address),
        phone = escape(&a.phone),
        email = escape(&a.email),
        procedure = escape(&d.procedure.name),
        sets = d.sets,
        received = time_words(d.received_at),
        due = time_words(d.due_at),
        return_place = escape(&place),
        book = r.book,
        year = r.year,
        line = r.line,
        hint = escape(LOOKUP_HINT),
    )
}

/// Page size, margins and type size of each paper, as the PDF receipts use them.
fn page_css(paper: Paper) -> &'static str {
    match paper {
        Paper::A4 => "@page { size: A4; margin: 15mm 15mm 15mm 20mm; } body { font-size: 12pt; }",
        Paper::A5 => "@page { size: A5; margin: 8mm 9mm 8mm 11mm; } body { font-size: 10pt; }",
        Paper::Roll80 => {
            "@page { size: 80mm 297mm; margin: 3mm; } body { font-size: 8pt; } \
             .head, .sign, .codes { display: block; }"
        }
    }
}

/// The receipt as a standalone HTML page: both copies, a page each (the citizen's only on
/// the roll).
pub fn html(d: &Dossier, payload: &str, paper: Paper) -> Result<String, BenchError> {
    let doc = |e: motcua_core::documents::DocumentError| BenchError::Core(e.into());
    let qr = QrSymbol::new(payload, EcLevel::M).map_err(doc)?;
    let n = qr.modules() as f32;
    let qr_svg = svg(&qr.elements(4.0, 4.0, 1.0), n + 8.0, n + 8.0, "24mm");
    let bar = Barcode::code128(&d.code).map_err(doc)?;
    let m = bar.modules() as f32;
    let bar_svg = svg(&bar.elements(10.0, 0.0, 1.0, 20.0), m + 20.0, 20.0, "60mm");
    Ok(format!(
        r#"<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Giấy tiếp nhận hồ sơ {code}</title><style>
{page}
body {{ font-family: 'Liberation Serif', 'Times New Roman', serif; margin: 0; }}
section {{ page-break-after: always; }} section:last-child {{ page-break-after: auto; }}
p {{ margin: 0 0 0.6mm; }} .c {{ text-align: center; }} .cite {{ text-align: right; font-size: 7pt; }}
.head, .sign, .codes {{ display: flex; justify-content: space-between; text-align: center; font-size: 9pt; }}
.sign {{ margin-top: 2mm; height: 26mm; }} .head hr {{ width: 30%; border: 0; border-top: 0.3mm solid #000; }}
h1 {{ font-size: 12pt; text-align: center; margin: 1.5mm 0 0.5mm; }}
table {{ width: 100%; border-collapse: collapse; font-size: 9.5pt; }} td, th {{ border: 0.2mm solid #000; padding: 0 1mm; }}
</style></head><body>{kept}{citizen}</body></html>"#,
        code = escape(&d.code),
        page = page_css(paper),
        kept = if paper == Paper::Roll80 {
            String::new()
        } else {
            copy(d, &qr_svg, &bar_svg, "(Liên 1: Lưu)")
        },
        citizen = copy(d, &qr_svg, &bar_svg, "(Liên 2: Giao khách hàng)"),
    ))
}

fn print(
    chromium: &Path,
    profile: &Path,
    html_path: &Path,
    pdf_path: &Path,
) -> Result<(), BenchError> {
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf_path.display()))
        .arg(format!("file://{}", html_path.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| BenchError::Step(format!("{}: {e}", chromium.display())))?;
    if !output.status.success() || !pdf_path.is_file() {
        let err = String::from_utf8_lossy(&output.stderr);
        let last = err.lines().last().unwrap_or_default().to_string();
        return Err(BenchError::Step(format!("{}: {last}", chromium.display())));
    }
    Ok(())
}

/// `count` prints of each paper after one to warm the profile and the disk cache up.
pub fn run(
    chromium: &Path,
    d: &Dossier,
    payload: &str,
    dir: &Path,
    count: usize,
) -> Result<BTreeMap<String, PaperResult>, BenchError> {
    let work = dir.join("chromium");
    let profile = work.join("profile");
    std::fs::create_dir_all(&profile).map_err(|source| CoreError::File {
        path: profile.display().to_string(),
        source,
    })?;
    let mut out = BTreeMap::new();
    let result = (|| {
        for paper in [Paper::A4, Paper::A5, Paper::Roll80] {
            let r = one_paper(chromium, &profile, &work, d, payload, paper, count)?;
            out.insert(paper.to_string(), r);
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&work);
    result.map(|()| out)
}

fn one_paper(
    chromium: &Path,
    profile: &Path,
    work: &Path,
    d: &Dossier,
    payload: &str,
    paper: Paper,
    count: usize,
) -> Result<PaperResult, BenchError> {
    let html_path = work.join(format!("receipt-{paper}.html"));
    let pdf_path = work.join(format!("receipt-{paper}.pdf"));
    let mut samples = Vec::with_capacity(count);
    let mut bytes = 0;
    for i in 0..=count.max(1) {
        let _ = std::fs::remove_file(&pdf_path);
        let t = Instant::now();
        let page = html(d, payload, paper)?;
        std::fs::write(&html_path, page).map_err(|source| CoreError::File {
            path: html_path.display().to_string(),
            source,
        })?;
        print(chromium, profile, &html_path, &pdf_path)?;
        let took = t.elapsed();
        bytes = std::fs::metadata(&pdf_path)
            .map(|m| m.len() as usize)
            .unwrap_or(0);
        if i > 0 {
            samples.push(took);
        }
    }
    let s = stats(samples);
    Ok(PaperResult {
        median_ms: s.median_ms,
        p95_ms: s.p95_ms,
        bytes,
    })
}
