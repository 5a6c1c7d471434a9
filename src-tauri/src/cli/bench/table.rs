//! The results as a table for people, each figure beside its target where the issue sets one.

use super::Results;

const RECEIPT_MS: f64 = 20.0;
const RECEIPT_BYTES: usize = 60_000;
const SCAN_MS: f64 = 2.0;
const SEARCH_MS: f64 = 20.0;
const REPORT_MS: f64 = 2000.0;
const LIST_MS: f64 = 100.0;
const INTAKE_RATIO: f64 = 0.5;
/// At most this much added to the durable intake by the outbox (issue 18).
const OUTBOX_ADDED: f64 = 0.10;
const FIRST_SCREEN_MS: f64 = 1500.0;
const IDLE_MB: f64 = 150.0;
/// A digitised A4 page (issue 21): well under 150 KB.
const DIGITISED_PAGE_BYTES: usize = 150 * 1024;

fn mark(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "MISSED"
    }
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

struct Row(String, String, String, String);

fn row(what: impl Into<String>, median: f64, p95: f64, other: impl Into<String>) -> Row {
    Row(
        what.into(),
        format!("{median:.2} ms"),
        format!("{p95:.2} ms"),
        other.into(),
    )
}

pub fn print(r: &Results) {
    let m = &r.machine;
    outln!(
        "{} build on {} ({} cores, {} MB), {}, {}; load {:.2} → {:.2}; binary {:.1} MB",
        m.build,
        m.cpu,
        m.cores,
        m.memory_mb,
        m.os,
        m.engine,
        m.load_start,
        m.load_end,
        m.binary_mb
    );
    let mut rows = vec![];
    let i = &r.intake;
    rows.push(row(
        format!("Durable intake, one desk ({})", i.count),
        i.median_ms,
        i.p95_ms,
        format!(
            "{:.0}/s = {:.0}% of raw (target ≥ {:.0}%: {})",
            i.per_second,
            i.ratio_to_raw * 100.0,
            INTAKE_RATIO * 100.0,
            mark(i.ratio_to_raw >= INTAKE_RATIO)
        ),
    ));
    rows.push(row(
        format!("Durable intake, eight desks ({})", i.desks8_count),
        i.desks8_median_ms,
        i.desks8_p95_ms,
        format!("{:.0}/s", i.desks8_per_second),
    ));
    rows.push(row(
        "Durable intake with an outbox destination",
        i.outbox_median_ms,
        i.outbox_p95_ms,
        format!(
            "{:+.1}% (target ≤ {:.0}%: {})",
            i.outbox_added * 100.0,
            OUTBOX_ADDED * 100.0,
            mark(i.outbox_added <= OUTBOX_ADDED)
        ),
    ));
    let raw = &r.intake_raw_limit;
    rows.push(row(
        format!("Raw durable insert of {} bytes", raw.row_bytes),
        raw.median_ms,
        raw.p95_ms,
        format!("{:.0}/s", raw.per_second),
    ));
    for (paper, p) in &r.receipt {
        let target = if paper == "a5" {
            format!(
                " (target ≤ {RECEIPT_MS} ms, ≤ {}: {})",
                kb(RECEIPT_BYTES),
                mark(p.p95_ms <= RECEIPT_MS && p.bytes <= RECEIPT_BYTES)
            )
        } else {
            String::new()
        };
        rows.push(row(
            format!("Receipt {paper}"),
            p.median_ms,
            p.p95_ms,
            format!("{}{target}", kb(p.bytes)),
        ));
    }
    match &r.receipt_chromium {
        Some(c) => {
            for (paper, p) in c {
                rows.push(row(
                    format!("Receipt {paper} as HTML by Chromium"),
                    p.median_ms,
                    p.p95_ms,
                    kb(p.bytes),
                ));
            }
        }
        None => rows.push(Row(
            "Receipt as HTML by Chromium".into(),
            "–".into(),
            "–".into(),
            "no Chromium".into(),
        )),
    }
    let d = &r.digitise;
    rows.push(row(
        "A 200 dpi grey A4 page to a stored PDF page",
        d.page.median_ms,
        d.page.p95_ms,
        format!(
            "{} (target < {}: {})",
            kb(d.bytes),
            kb(DIGITISED_PAGE_BYTES),
            mark(d.bytes < DIGITISED_PAGE_BYTES)
        ),
    ));
    rows.push(row(
        "The same page in text mode (black and white)",
        d.text_page.median_ms,
        d.text_page.p95_ms,
        format!(
            "{} (target < {}: {})",
            kb(d.text_bytes),
            kb(DIGITISED_PAGE_BYTES),
            mark(d.text_bytes < DIGITISED_PAGE_BYTES)
        ),
    ));
    match &d.sane {
        Some(s) => rows.push(row(
            "SANE test backend page to a stored PDF page",
            s.median_ms,
            s.p95_ms,
            "",
        )),
        None => rows.push(Row(
            "SANE test backend page to a stored PDF page".into(),
            "–".into(),
            "–".into(),
            "no scanimage".into(),
        )),
    }
    match &d.text_layer {
        Some(t) => rows.push(row(
            "Its text layer by Tesseract (vie), one page",
            t.page.median_ms,
            t.page.p95_ms,
            format!(
                "{} → {}",
                kb(t.bytes_before as usize),
                kb(t.bytes_after as usize)
            ),
        )),
        None => rows.push(Row(
            "Its text layer by Tesseract (vie), one page".into(),
            "–".into(),
            "–".into(),
            "no Tesseract with vie".into(),
        )),
    }
    let largest = r.generate.dossiers;
    rows.push(row(
        format!("Scan ({largest} dossiers)"),
        r.scan.median_ms,
        r.scan.p95_ms,
        format!("target ≤ {SCAN_MS} ms: {}", mark(r.scan.p95_ms <= SCAN_MS)),
    ));
    let mut sizes: Vec<(&String, usize)> = r
        .search
        .keys()
        .map(|k| (k, k.parse().unwrap_or(0)))
        .collect();
    sizes.sort_by_key(|(_, n)| *n);
    for (key, n) in sizes {
        for (kind, s) in &r.search[key] {
            let target = if n >= 1_000_000 {
                format!(
                    "target p95 ≤ {SEARCH_MS} ms: {}",
                    mark(s.p95_ms <= SEARCH_MS)
                )
            } else {
                String::new()
            };
            rows.push(row(
                format!("Search by {kind} ({n})"),
                s.median_ms,
                s.p95_ms,
                target,
            ));
        }
    }
    let mut sizes: Vec<(&String, usize)> =
        r.list.keys().map(|k| (k, k.parse().unwrap_or(0))).collect();
    sizes.sort_by_key(|(_, n)| *n);
    for (key, n) in sizes {
        for (kind, s) in &r.list[key] {
            let target = if n >= 1_000_000 {
                format!("target ≤ {LIST_MS:.0} ms: {}", mark(s.p95_ms <= LIST_MS))
            } else {
                String::new()
            };
            rows.push(row(
                format!("List page {kind} ({n})"),
                s.median_ms,
                s.p95_ms,
                target,
            ));
        }
    }
    rows.push(row(
        format!("Report Biểu 06, one year ({} dossiers)", r.report.dossiers),
        r.report.median_ms,
        r.report.p95_ms,
        if r.report.dossiers >= 1_000_000 {
            format!(
                "target ≤ {:.0} s: {}",
                REPORT_MS / 1000.0,
                mark(r.report.median_ms <= REPORT_MS)
            )
        } else {
            String::new()
        },
    ));
    rows.push(Row(
        format!("Generating {} dossiers", r.generate.dossiers),
        format!("{:.1} s", r.generate.seconds),
        String::new(),
        format!("{:.0}/s", r.generate.per_second),
    ));
    rows.push(Row(
        format!("Audit verify ({} chained events)", r.audit.entries),
        format!("{:.1} s", r.audit.seconds),
        String::new(),
        if r.audit.ok { "intact" } else { "BROKEN" }.into(),
    ));
    if let Some(w) = &r.window {
        rows.push(Row(
            format!("Window: first screen ({} starts)", w.runs),
            format!("{:.0} ms", w.first_screen_median_ms),
            format!("max {:.0} ms", w.first_screen_max_ms),
            format!(
                "target ≤ {FIRST_SCREEN_MS:.0} ms: {}",
                mark(w.first_screen_median_ms <= FIRST_SCREEN_MS)
            ),
        ));
        rows.push(Row(
            format!("Window: memory after 10 s idle ({} processes)", w.processes),
            String::new(),
            String::new(),
            format!(
                "PSS {:.0} MB (anonymous {:.0} MB), RSS sum {:.0} MB, app alone {:.0} MB \
                 (target < {IDLE_MB:.0} MB for the whole: {})",
                w.pss_mb,
                w.anon_mb,
                w.rss_mb,
                w.app_rss_mb,
                mark(w.pss_mb < IDLE_MB)
            ),
        ));
    }
    let width =
        |f: fn(&Row) -> &String| rows.iter().map(|r| f(r).chars().count()).max().unwrap_or(0);
    let (w0, w1, w2) = (width(|r| &r.0), width(|r| &r.1), width(|r| &r.2));
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())));
    outln!(
        "{}  {}  {}  ",
        pad("What", w0),
        pad("Median", w1),
        pad("p95", w2)
    );
    for r in &rows {
        outln!(
            "{}  {}  {}  {}",
            pad(&r.0, w0),
            pad(&r.1, w1),
            pad(&r.2, w2),
            r.3
        );
    }
}
