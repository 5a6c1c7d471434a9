//! The figures the desk sees first: appointments falling today, appointments already missed,
//! results waiting to be collected, how many of this month's results were on time, and this
//! month's digitisation rate (components and results, as the report counts them).
//!
//! Only dossiers whose clock runs (accepted, processing) can fall due: a dossier waiting for
//! papers or fees has its appointment moved when the wait ends. Late is judged by date
//! (domain reference §5), so a dossier due earlier today is not yet overdue.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::report::Counters;
use crate::status::Status;

/// The statuses whose appointment is still ahead of the desk.
pub const CLOCK_RUNNING: [Status; 2] = [Status::Accepted, Status::Processing];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub today: NaiveDate,
    /// The moment the figures were counted at (the month's report is judged then too).
    #[serde(with = "crate::vntime::serde_vn")]
    pub as_of: DateTime<Utc>,
    pub due_today: i64,
    pub overdue: i64,
    pub ready_not_collected: i64,
    /// From the first of this month to today.
    pub month_resolved: i64,
    pub month_on_time: i64,
    /// `month_on_time / month_resolved` (0–1), or `None` before any result this month.
    pub month_on_time_rate: Option<f64>,
    /// Received this month (not carried over), and of them with every component digitised.
    pub month_received: i64,
    pub month_components_digitised: i64,
    /// `month_components_digitised / month_received` (0–1), or `None` before any dossier.
    pub month_components_rate: Option<f64>,
    /// Of `month_resolved`, those with the result digitised.
    pub month_results_digitised: i64,
    /// `month_results_digitised / month_resolved` (0–1), or `None` before any result.
    pub month_results_rate: Option<f64>,
}

impl Dashboard {
    pub fn new(
        as_of: DateTime<Utc>,
        due_today: i64,
        overdue: i64,
        ready_not_collected: i64,
        month: &Counters,
    ) -> Dashboard {
        Dashboard {
            today: crate::vntime::vn_date(as_of),
            as_of,
            due_today,
            overdue,
            ready_not_collected,
            month_resolved: month.resolved_total,
            month_on_time: month.resolved_early + month.resolved_on_time,
            month_on_time_rate: month.on_time_rate(),
            month_received: month.received_in_period(),
            month_components_digitised: month.components_digitised,
            month_components_rate: month.components_rate(),
            month_results_digitised: month.results_digitised,
            month_results_rate: month.results_rate(),
        }
    }
}

/// The first day of `today`'s month.
pub fn month_start(today: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    today.with_day(1).unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_counts_early_and_on_time_results() {
        let month = Counters {
            resolved_total: 4,
            resolved_early: 1,
            resolved_on_time: 2,
            resolved_late: 1,
            received_online: 1,
            received_direct: 3,
            components_digitised: 3,
            results_digitised: 1,
            ..Counters::default()
        };
        let now = crate::vntime::vn_day_start(NaiveDate::from_ymd_opt(2027, 3, 17).unwrap());
        let today = crate::vntime::vn_date(now);
        let d = Dashboard::new(now, 2, 1, 3, &month);
        assert_eq!(d.month_on_time, 3);
        assert_eq!(d.month_on_time_rate, Some(0.75));
        assert_eq!((d.month_received, d.month_components_rate), (4, Some(0.75)));
        assert_eq!(d.month_results_rate, Some(0.25));
        assert_eq!(
            month_start(today),
            NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()
        );
        let empty = Dashboard::new(now, 0, 0, 0, &Counters::default());
        assert_eq!(empty.month_on_time_rate, None);
        assert_eq!(empty.month_components_rate, None);
        assert_eq!(empty.month_results_rate, None);
    }
}
