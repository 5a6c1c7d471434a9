//! Paging the desk's lists as the window pages them (`list_dossiers`: 50 rows, asked as 51 to
//! know whether a next page exists): the first page of "all", the first page of the overdue
//! and ready-to-collect working lists judged at the end of the generated year, and a page in
//! the middle of "all" (offset half the database), far deeper than a clerk pages by hand.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use motcua_core::store::{ListFilter, Store, Worklist};
use motcua_core::vntime::vn_day_start;

use super::error::BenchError;

use super::generate::YEAR;
use super::stats::{stats, timed, Stats};

pub const KINDS: [&str; 4] = ["all_first", "overdue_first", "ready_first", "all_deep"];
/// The window's page and the one row that tells it a next page exists.
const PAGE: i64 = 51;

/// The last working hour of the generated year: the lists a clerk sees on that evening.
fn year_end() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(YEAR, 12, 31)
        .map(vn_day_start)
        .map(|d| d + chrono::Duration::hours(17))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

fn filter(kind: &str, size: usize) -> ListFilter {
    let mut f = ListFilter {
        limit: Some(PAGE),
        ..ListFilter::default()
    };
    match kind {
        "overdue_first" => f.worklist = Some((Worklist::Overdue, year_end())),
        "ready_first" => f.worklist = Some((Worklist::Ready, year_end())),
        "all_deep" => f.offset = Some(i64::try_from(size / 2).unwrap_or(0)),
        _ => {}
    }
    f
}

/// `samples` pages of each kind. A first page of "all" that comes back short, or a deep page
/// that comes back empty, means the list did not do its work.
pub async fn run(
    store: &Store,
    size: usize,
    samples: usize,
) -> Result<BTreeMap<String, Stats>, BenchError> {
    let mut out = BTreeMap::new();
    for kind in KINDS {
        let f = filter(kind, size);
        let mut times = Vec::with_capacity(samples);
        for _ in 0..samples.max(1) {
            let (rows, took) = timed(store.list(&f)).await;
            let rows = rows?;
            let expected = if kind.starts_with("all") {
                usize::try_from(PAGE).unwrap_or(0).min(size / 2)
            } else {
                0
            };
            if rows.len() < expected {
                return Err(BenchError::Step(format!(
                    "list {kind} at {size}: {} rows",
                    rows.len()
                )));
            }
            times.push(took);
        }
        out.insert(kind.to_string(), stats(times));
    }
    Ok(out)
}
