//! Counting the dashboard's figures on the database (see `crate::dashboard` for the rules).

use chrono::{DateTime, Utc};

use super::Store;
use crate::dashboard::{month_start, Dashboard, CLOCK_RUNNING};
use crate::error::CoreResult;
use crate::status::Status;
use crate::vntime::{to_millis, vn_date, vn_day_start};

impl Store {
    /// The figures as of `now`.
    pub async fn dashboard(&self, now: DateTime<Utc>) -> CoreResult<Dashboard> {
        let today = vn_date(now);
        let start = to_millis(vn_day_start(today));
        let end = today
            .succ_opt()
            .map(|d| to_millis(vn_day_start(d)))
            .unwrap_or(i64::MAX);
        let [a, b] = CLOCK_RUNNING.map(Status::code);
        let count = |sql: &'static str, lo: i64, hi: i64| async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(a)
                .bind(b)
                .bind(lo)
                .bind(hi)
                .fetch_one(self.pool())
                .await
        };
        let range = "SELECT COUNT(*) FROM dossiers WHERE status_code IN ($1, $2) \
                     AND due_at >= $3 AND due_at < $4";
        let due_today = count(range, start, end).await?;
        let overdue = count(range, i64::MIN, start).await?;
        let ready: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dossiers WHERE status_code = $1")
            .bind(Status::Ready.code())
            .fetch_one(self.pool())
            .await?;
        let month = self.report(month_start(today), today, now).await?;
        Ok(Dashboard::new(
            now,
            due_today,
            overdue,
            ready,
            &month.totals,
        ))
    }
}
