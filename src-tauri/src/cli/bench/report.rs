//! The Biểu 06 report over the whole generated year.

use chrono::NaiveDate;
use motcua_core::store::Store;

use super::error::BenchError;
use serde::Serialize;

use super::generate::YEAR;
use super::stats::{stats, timed};

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportResult {
    pub median_ms: f64,
    pub p95_ms: f64,
    pub dossiers: usize,
    /// Dossiers the report counted as received: all of them, or it did not do its work.
    pub received_total: i64,
}

pub async fn run(
    store: &Store,
    dossiers: usize,
    samples: usize,
) -> Result<ReportResult, BenchError> {
    let (from, to) = match (
        NaiveDate::from_ymd_opt(YEAR, 1, 1),
        NaiveDate::from_ymd_opt(YEAR, 12, 31),
    ) {
        (Some(f), Some(t)) => (f, t),
        _ => return Err(BenchError::Step(format!("year {YEAR}"))),
    };
    let mut times = Vec::with_capacity(samples);
    let mut received = 0;
    for _ in 0..samples.max(1) {
        let (report, took) = timed(store.report(from, to, motcua_core::vntime::now())).await;
        received = report?.totals.received_total;
        times.push(took);
    }
    let s = stats(times);
    Ok(ReportResult {
        median_ms: s.median_ms,
        p95_ms: s.p95_ms,
        dossiers,
        received_total: received,
    })
}
