//! The yearly notices of the working-day calendar, and the calendar built from them.

use std::sync::Arc;

use chrono::NaiveDate;
use sqlx::{Any, Row, Transaction};

use super::{record_log, Actor, Store};
use crate::audit::Record;
use crate::calendar::{CalendarRules, DayKind, Notice, WorkCalendar};
use crate::error::{CoreError, CoreResult};
use crate::problem::Problem;
use crate::validate::Checker;

fn kind_str(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Off => "off",
        DayKind::Work => "work",
    }
}

pub(super) async fn insert_notice(
    tx: &mut Transaction<'_, Any>,
    n: &Notice,
    actor: &Actor,
) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO calendar_notices (day, kind, reason, reference) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, reason = excluded.reason, reference = excluded.reference",
    )
    .bind(n.date.format("%Y-%m-%d").to_string())
    .bind(kind_str(n.kind))
    .bind(&n.reason)
    .bind(&n.reference)
    .execute(&mut **tx)
    .await?;
    let day = n.date.format("%Y-%m-%d").to_string();
    record_log::append(
        tx,
        actor,
        "notice_saved",
        Record::Notice,
        &day,
        serde_json::json!({}),
    )
    .await
}

impl Store {
    pub async fn notices(&self) -> CoreResult<Vec<Notice>> {
        let rows =
            sqlx::query("SELECT day, kind, reason, reference FROM calendar_notices ORDER BY day")
                .fetch_all(self.pool())
                .await?;
        rows.iter()
            .map(|row| {
                let day: String = row.try_get("day")?;
                let kind: String = row.try_get("kind")?;
                Ok(Notice {
                    date: NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                        .map_err(|e| CoreError::Json(e.to_string()))?,
                    kind: if kind == "work" {
                        DayKind::Work
                    } else {
                        DayKind::Off
                    },
                    reason: row.try_get("reason")?,
                    reference: row.try_get("reference")?,
                })
            })
            .collect()
    }

    /// Adds (or replaces) a notice entry; the reason is required, the reference optional.
    pub async fn add_notice(
        &self,
        date: NaiveDate,
        kind: DayKind,
        reason: &str,
        reference: &str,
    ) -> CoreResult<Notice> {
        let mut c = Checker::new();
        let reason = c.line("notice.reason", reason, true, 200);
        let reference = c.line("notice.reference", reference, false, 200);
        if !(1900..=2100).contains(&chrono::Datelike::year(&date)) {
            c.fail("notice.date", Problem::Date);
        }
        if !c.is_ok() {
            return Err(CoreError::Invalid(c.errors));
        }
        let notice = Notice {
            date,
            kind,
            reason,
            reference,
        };
        let mut tx = self.pool().begin().await?;
        insert_notice(&mut tx, &notice, &self.record_actor()).await?;
        tx.commit().await?;
        Ok(notice)
    }

    pub async fn remove_notice(&self, date: NaiveDate) -> CoreResult<bool> {
        let day = date.format("%Y-%m-%d").to_string();
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query("DELETE FROM calendar_notices WHERE day = $1")
            .bind(&day)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() > 0 {
            let actor = self.record_actor();
            let data = serde_json::json!({});
            record_log::append(
                &mut tx,
                &actor,
                "notice_removed",
                Record::Notice,
                &day,
                data,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn work_calendar(&self) -> CoreResult<WorkCalendar> {
        Ok(WorkCalendar::new(
            self.notices().await?,
            self.calendar_rules().await?,
        ))
    }

    /// The calendar for `rules` and the notices at `version` (the counter that triggers bump
    /// on every change to the notices, from any process): read and built once per version, so
    /// its year plans and their lunar computations last from one intake to the next. Without
    /// a version it is built afresh.
    pub(super) async fn calendar_at(
        &self,
        version: Option<&str>,
        rules: CalendarRules,
    ) -> CoreResult<Arc<WorkCalendar>> {
        if let (Some(v), Ok(cache)) = (version, self.calendar_cache.lock()) {
            if let Some((cached_v, cached_rules, calendar)) = cache.as_ref() {
                if cached_v == v && *cached_rules == rules {
                    return Ok(Arc::clone(calendar));
                }
            }
        }
        let calendar = Arc::new(WorkCalendar::new(self.notices().await?, rules.clone()));
        if let (Some(v), Ok(mut cache)) = (version, self.calendar_cache.lock()) {
            *cache = Some((v.to_string(), rules, Arc::clone(&calendar)));
        }
        Ok(calendar)
    }
}

impl Store {
    /// The years, this one and the next, that have no government notice yet. Without one
    /// the calendar falls back to computed defaults, which may differ from what is announced.
    pub async fn missing_notice_years(&self, today: NaiveDate) -> CoreResult<Vec<i32>> {
        let calendar = self.work_calendar().await?;
        let year = chrono::Datelike::year(&today);
        Ok([year, year + 1]
            .into_iter()
            .filter(|y| !calendar.is_announced(*y))
            .collect())
    }
}
