//! A small run of `motcua bench` on every CI run, so the benchmark never rots. It checks the
//! shape and sanity of the results, never their speed (no timing assertions in tests).

use crate::support;

use serde_json::Value;
use support::Desk;

fn number(v: &Value, path: &str) -> f64 {
    let mut at = v;
    for key in path.split('.') {
        at = &at[key];
    }
    at.as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number: {at}"))
}

fn stats(v: &Value, path: &str) {
    let median = number(v, &format!("{path}.median_ms"));
    let p95 = number(v, &format!("{path}.p95_ms"));
    assert!(median > 0.0 && p95 >= median, "{path}: {median} {p95}");
}

#[test]
fn a_small_benchmark_reports_every_figure() {
    let desk = Desk::new();
    // MOTCUA_DB points at the desk's file: the benchmark must leave it alone.
    let out = desk
        .cmd()
        .args(["bench", "--dossiers", "2000", "--quick", "--json"])
        .env("TMPDIR", desk.dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();

    assert!(r["machine"]["cores"].as_u64().unwrap() >= 1);
    assert_eq!(r["machine"]["engine"], "sqlite");

    for key in ["per_second", "median_ms", "p95_ms", "desks8_per_second"] {
        assert!(number(&r, &format!("intake.{key}")) > 0.0, "intake.{key}");
    }
    assert!(number(&r, "intake_raw_limit.per_second") > 0.0);
    // A dossier row, its search terms and its chained event: several hundred bytes.
    assert!(number(&r, "intake_raw_limit.row_bytes") > 500.0);
    assert!(number(&r, "intake.ratio_to_raw") > 0.0);
    assert!(number(&r, "intake.outbox_median_ms") > 0.0);
    assert!(r["intake"]["outbox_added"].is_number());

    for paper in ["a4", "a5", "80mm"] {
        stats(&r, &format!("receipt.{paper}"));
        assert!(number(&r, &format!("receipt.{paper}.bytes")) > 10_000.0);
    }
    // Where Chromium is installed it prints the same receipts; without it, null.
    if !r["receipt_chromium"].is_null() {
        for paper in ["a4", "a5", "80mm"] {
            stats(&r, &format!("receipt_chromium.{paper}"));
            assert!(number(&r, &format!("receipt_chromium.{paper}.bytes")) > 10_000.0);
        }
    }

    stats(&r, "scan");
    let sizes: Vec<&String> = r["search"].as_object().unwrap().keys().collect();
    assert_eq!(sizes, ["2000"]);
    for kind in ["code", "id_number", "name_prefix", "name_middle", "phone"] {
        stats(&r, &format!("search.2000.{kind}"));
    }

    let sizes: Vec<&String> = r["list"].as_object().unwrap().keys().collect();
    assert_eq!(sizes, ["2000"]);
    for kind in ["all_first", "overdue_first", "ready_first", "all_deep"] {
        stats(&r, &format!("list.2000.{kind}"));
    }

    assert!(number(&r, "report.median_ms") > 0.0);
    assert_eq!(number(&r, "report.dossiers"), 2000.0);
    assert_eq!(number(&r, "report.received_total"), 2000.0);
    assert!(number(&r, "generate.seconds") > 0.0);
    assert_eq!(number(&r, "generate.dossiers"), 2000.0);
    // Every event of the bulk load and of the intakes after it is on the hash chain: at
    // least the 2000 "created" events and the eight intakes' own.
    assert_eq!(r["audit"]["ok"], true);
    assert!(number(&r, "audit.entries") >= 2008.0);
    assert!(r["window"].is_null());

    // Nothing left behind in the temporary folder, and no desk database created.
    let left: Vec<_> = std::fs::read_dir(desk.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with("motcua-bench"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(!std::path::Path::new(&desk.db).exists());
}

#[test]
fn the_window_benchmark_starts_the_window() {
    assert!(
        std::env::var("DISPLAY").is_ok(),
        "the window benchmark needs an X display: run it through the test command, which starts one"
    );
    let _display = support::window::the_display();
    let desk = Desk::new();
    let out = desk
        .cmd()
        .args([
            "bench",
            "--dossiers",
            "200",
            "--quick",
            "--window",
            "--no-chromium",
            "--json",
        ])
        .env("TMPDIR", desk.dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(number(&r, "window.first_screen_median_ms") > 0.0);
    assert!(number(&r, "window.rss_mb") > 10.0);
    assert!(number(&r, "window.pss_mb") > 10.0);
    // The app and at least WebKit's web process.
    assert!(number(&r, "window.processes") >= 2.0);
}

#[test]
fn the_benchmark_explains_itself() {
    let desk = Desk::new();
    let help = desk.ok(&["bench", "--help"]);
    for flag in ["--dossiers", "--json", "--quick", "--window", "--dir"] {
        assert!(help.contains(flag), "{flag}");
    }
}
