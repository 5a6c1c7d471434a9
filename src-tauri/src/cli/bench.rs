//! `motcua bench`: measures on a fresh temporary database. Figures vary with the machine;
//! the README's Performance section shows those of the reference machine.

use std::time::{Duration, Instant};

use clap::Args;
use motcua_core::agency::AgencyInput;
use motcua_core::documents::{receipt_pdf, Paper, ReceiptOptions};
use motcua_core::intake::IntakeRequest;
use motcua_core::store::{Actor, Store, FORM_CITATION, LOOKUP_HINT};
use motcua_core::CoreError;
use serde::Serialize;

use super::output;

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// How many durable intakes to time
    #[arg(long, default_value_t = 200)]
    pub intakes: usize,
    /// How many receipts of each paper to time
    #[arg(long, default_value_t = 50)]
    pub receipts: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Stats {
    median_ms: f64,
    p95_ms: f64,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples
            .get(i)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    Stats {
        median_ms: at(0.5),
        p95_ms: at(0.95),
    }
}

#[derive(Serialize)]
struct ReceiptBench {
    paper: String,
    median_ms: f64,
    p95_ms: f64,
    bytes: usize,
}

#[derive(Serialize)]
struct Report {
    intake: IntakeBench,
    receipt: Vec<ReceiptBench>,
}

#[derive(Serialize)]
struct IntakeBench {
    count: usize,
    per_second: f64,
    median_ms: f64,
    p95_ms: f64,
}

fn request(i: usize) -> Result<IntakeRequest, CoreError> {
    let names = [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Hoàng Cường",
        "Phạm Thị Dung",
        "Hoàng Văn Em",
    ];
    IntakeRequest::from_json(
        &serde_json::json!({
            "procedure": "1.004873",
            "applicant": {"name": names[i % names.len()], "id_number": format!("0792030{:05}", i % 100_000),
                          "phone": "0912345678", "address": "Số 12, ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh"},
            "documents": [
                {"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "originals": 1, "copies": 0},
                {"name": "Giấy tờ chứng minh việc ly hôn", "originals": 0, "copies": 1},
                {"name": "Bản sao Giấy khai sinh", "originals": 0, "copies": 1},
                {"name": "Văn bản ủy quyền", "originals": 1, "copies": 0},
                {"name": "Giấy tờ chứng minh nơi cư trú", "originals": 0, "copies": 1}
            ]
        })
        .to_string(),
    )
}

pub async fn run(args: BenchArgs) -> Result<(), CoreError> {
    let dir = std::env::temp_dir().join(format!("motcua-bench-{}", std::process::id()));
    let db = dir.join("bench.db");
    let store = Store::open(&db.to_string_lossy()).await?;
    store
        .setup(&AgencyInput {
            agency_code: "000.00.14.H56".into(),
            governing_body: "UBND XÃ HƯỚNG THỌ PHÚ".into(),
            unit: "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG".into(),
            place: "Hướng Thọ Phú".into(),
            first_number: None,
        })
        .await?;
    let actor = Actor::new("bench", "bench");
    let mut samples = Vec::with_capacity(args.intakes);
    let started = Instant::now();
    let mut last = None;
    for i in 0..args.intakes.max(1) {
        let req = request(i)?;
        let t = Instant::now();
        last = Some(store.intake(&req, &actor).await?);
        samples.push(t.elapsed());
    }
    let total = started.elapsed().as_secs_f64();
    let s = stats(samples);
    let intake = IntakeBench {
        count: args.intakes.max(1),
        per_second: args.intakes.max(1) as f64 / total,
        median_ms: s.median_ms,
        p95_ms: s.p95_ms,
    };
    let dossier = last.ok_or(CoreError::NotSetUp)?;
    let payload = store.qr_payload(&dossier.code).await?;
    let mut receipt = Vec::new();
    for paper in [Paper::A4, Paper::A5, Paper::Roll80] {
        let options = ReceiptOptions {
            paper,
            qr_payload: payload.clone(),
            lookup_hint: LOOKUP_HINT.into(),
            reprint: None,
            form_citation: FORM_CITATION.into(),
        };
        // The first call loads and parses the fonts; a desk pays that once a day.
        let mut bytes = receipt_pdf(&dossier, &options)
            .map_err(|e| CoreError::Document(e.to_string()))?
            .len();
        let mut samples = Vec::new();
        for _ in 0..args.receipts.max(1) {
            let t = Instant::now();
            bytes = receipt_pdf(&dossier, &options)
                .map_err(|e| CoreError::Document(e.to_string()))?
                .len();
            samples.push(t.elapsed());
        }
        let s = stats(samples);
        receipt.push(ReceiptBench {
            paper: paper.to_string(),
            median_ms: s.median_ms,
            p95_ms: s.p95_ms,
            bytes,
        });
    }
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    let report = Report { intake, receipt };
    if args.json {
        return output::json(&report);
    }
    println!(
        "durable intake: {:.0}/s, median {:.2} ms, p95 {:.2} ms ({} intakes, SQLite WAL, synchronous=FULL)",
        report.intake.per_second, report.intake.median_ms, report.intake.p95_ms, report.intake.count
    );
    for r in &report.receipt {
        println!(
            "receipt {:>5}: median {:.2} ms, p95 {:.2} ms, {} bytes",
            r.paper, r.median_ms, r.p95_ms, r.bytes
        );
    }
    Ok(())
}
