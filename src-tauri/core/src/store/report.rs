//! Counting the Biểu 06 report in the database. The moments it needs (ready, returned,
//! closed, and the hand-over rating) are kept on each dossier by triggers on the events and
//! hand-overs, and an index holds them beside the procedure code (migration 0008), so a year
//! at a busy centre is one pass over one index and a row per procedure comes back. The query
//! says in SQL what `report::build` says in Rust; the store tests hold the two equal.
//!
//! The digitisation figures come from a second, small query driven by the scans: only
//! dossiers with a scan, from the first dossier the period can count onwards (by id), are
//! looked at, so a report over a year without scans costs nothing more, and one with scans
//! costs about one lookup per digitised dossier rather than one per dossier.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::{Backend, Store};
use crate::dossier::ProcedureRef;
use crate::error::{CoreError, CoreResult};
use crate::problem::Problem;
use crate::report::{as_of, from_rows, Counters, Report, Row as ReportRow};
use crate::vntime::{to_millis, vn_day_start};

/// $1 is the end of the period, $2 its start, $3 the moment it is judged at (UTC
/// milliseconds; see `report::as_of`). A Vietnam date is (ms + 7 h) / 1 day. Dossiers resolved
/// or closed before the period play no part in it. Whether a dossier's clock stood still at
/// $3 is asked only of those that would otherwise be overdue.
const COUNTERS: &str = "SELECT procedure_code, \
    COUNT(*) AS received_total, \
    COUNT(*) FILTER (WHERE received_at >= $2 AND channel = 'online') AS received_online, \
    COUNT(*) FILTER (WHERE received_at >= $2 AND channel <> 'online') AS received_direct, \
    COUNT(*) FILTER (WHERE received_at < $2) AS received_carried_over, \
    COUNT(*) FILTER (WHERE resolved) AS resolved_total, \
    COUNT(*) FILTER (WHERE resolved AND resolved_day < due_day) AS resolved_early, \
    COUNT(*) FILTER (WHERE resolved AND resolved_day = due_day) AS resolved_on_time, \
    COUNT(*) FILTER (WHERE resolved AND resolved_day > due_day) AS resolved_late, \
    COUNT(*) FILTER (WHERE NOT resolved AND NOT closed) AS in_progress_total, \
    COUNT(*) FILTER (WHERE NOT resolved AND NOT closed AND NOT overdue) AS in_progress_within, \
    COUNT(*) FILTER (WHERE NOT resolved AND NOT closed AND overdue) AS in_progress_overdue, \
    COUNT(*) FILTER (WHERE NOT resolved AND closed) AS closed_total, \
    COUNT(*) FILTER (WHERE handed AND handover_rating = 1) AS rating_very_satisfied, \
    COUNT(*) FILTER (WHERE handed AND handover_rating = 2) AS rating_satisfied, \
    COUNT(*) FILTER (WHERE handed AND handover_rating = 3) AS rating_unsatisfied, \
    MIN(CASE WHEN received_at >= $2 OR resolved THEN id END) AS first_id \
    FROM (SELECT id, procedure_code, channel, received_at, due_at, handover_rating, \
        COALESCE(COALESCE(ready_at, returned_at) >= $2 AND COALESCE(ready_at, returned_at) < $1, FALSE) AS resolved, \
        (COALESCE(ready_at, returned_at) + 25200000) / 86400000 AS resolved_day, \
        (due_at + 25200000) / 86400000 AS due_day, \
        COALESCE(closed_at >= $2 AND closed_at < $1, FALSE) AS closed, \
        COALESCE(returned_at >= $2 AND returned_at < $1, FALSE) AS handed, \
        CASE WHEN (due_at + 25200000) / 86400000 < ($3 + 25200000) / 86400000 \
            THEN NOT EXISTS (SELECT 1 FROM pauses p WHERE p.dossier_id = dossiers.id \
                AND p.started_at < $3 AND (p.ended_at IS NULL OR p.ended_at >= $3)) \
            ELSE FALSE END AS overdue \
        FROM dossiers WHERE received_at < $1 \
        AND (COALESCE(ready_at, returned_at) IS NULL OR COALESCE(ready_at, returned_at) >= $2) \
        AND (closed_at IS NULL OR closed_at >= $2)) AS facts \
    GROUP BY procedure_code";

/// Per procedure, the dossiers of the period with its components digitised (received in
/// it: a row scanned, and no paper row without a scan) and with the result scanned (resolved
/// in it), among the dossiers with an id from $3 (the smallest id of a dossier received or
/// resolved in the period, which `COUNTERS` gives). The result's scans are those with `doc`
/// 0 (see migration 0013), so the scans' index alone says which rows of a dossier have a
/// scan, and a dossier with as many rows scanned as its checklist has is digitised
/// (scans are refused beyond the checklist). Otherwise only a dossier with a row taken from
/// data (the key `from_data` is written only when true) can still be: {UNSCANNED} is the
/// engine's way of listing its paper rows without a scan, {ROWS} of counting its rows. The period's bounds and the dossiers taking part are
/// `COUNTERS`'s.
const DIGITISED: &str = "SELECT d.procedure_code, \
    COUNT(*) FILTER (WHERE d.received_at >= $2 AND g.rows_scanned > 0 \
        AND (g.rows_scanned = {ROWS} \
            OR (d.documents_json LIKE '%from_data%' AND NOT EXISTS ({UNSCANNED})))) \
        AS components_digitised, \
    COUNT(*) FILTER (WHERE g.first_doc = 0 AND COALESCE(d.ready_at, d.returned_at) >= $2 \
        AND COALESCE(d.ready_at, d.returned_at) < $1) AS results_digitised \
    FROM (SELECT dossier_id, COUNT(*) FILTER (WHERE doc > 0) AS rows_scanned, MIN(doc) AS first_doc \
        FROM (SELECT DISTINCT dossier_id, doc FROM scans WHERE dossier_id >= $3) AS k \
        GROUP BY dossier_id) AS g \
    JOIN dossiers d ON d.id = g.dossier_id \
    WHERE d.received_at < $1 \
    AND (COALESCE(d.ready_at, d.returned_at) IS NULL OR COALESCE(d.ready_at, d.returned_at) >= $2) \
    AND (d.closed_at IS NULL OR d.closed_at >= $2) \
    GROUP BY d.procedure_code";

/// The instants a period of Vietnam dates `from..=to` spans, start included, end excluded.
pub(super) fn period(from: NaiveDate, to: NaiveDate) -> CoreResult<(DateTime<Utc>, DateTime<Utc>)> {
    if to < from {
        return Err(CoreError::invalid("to", Problem::Date));
    }
    let end = to
        .succ_opt()
        .map(vn_day_start)
        .ok_or_else(|| CoreError::invalid("to", Problem::Date))?;
    Ok((vn_day_start(from), end))
}

impl Store {
    /// The report of the Vietnam dates `from..=to` as known at `now`.
    pub async fn report(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        now: DateTime<Utc>,
    ) -> CoreResult<Report> {
        let (start, end) = period(from, to)?;
        let as_of = as_of(end, now);
        let (end, start) = (to_millis(end), to_millis(start));
        let groups = sqlx::query(COUNTERS)
            .bind(end)
            .bind(start)
            .bind(to_millis(as_of))
            .fetch_all(&self.pool)
            .await?;
        let mut first_id: Option<i64> = None;
        for g in &groups {
            if let Some(id) = g.try_get::<Option<i64>, _>("first_id")? {
                first_id = Some(first_id.map_or(id, |f| f.min(id)));
            }
        }
        let digitised = match first_id {
            Some(id) => self.digitised(end, start, id).await?,
            None => std::collections::HashMap::new(),
        };
        let mut rows = Vec::with_capacity(groups.len());
        for g in &groups {
            let code: String = g.try_get("procedure_code")?;
            let n = |col: &str| -> CoreResult<i64> { Ok(g.try_get(col)?) };
            let counters = Counters {
                received_total: n("received_total")?,
                received_online: n("received_online")?,
                received_direct: n("received_direct")?,
                received_carried_over: n("received_carried_over")?,
                resolved_total: n("resolved_total")?,
                resolved_early: n("resolved_early")?,
                resolved_on_time: n("resolved_on_time")?,
                resolved_late: n("resolved_late")?,
                in_progress_total: n("in_progress_total")?,
                in_progress_within: n("in_progress_within")?,
                in_progress_overdue: n("in_progress_overdue")?,
                closed_total: n("closed_total")?,
                rating_very_satisfied: n("rating_very_satisfied")?,
                rating_satisfied: n("rating_satisfied")?,
                rating_unsatisfied: n("rating_unsatisfied")?,
                components_digitised: digitised.get(&code).map_or(0, |d| d.0),
                results_digitised: digitised.get(&code).map_or(0, |d| d.1),
            };
            // The procedure as the latest dossier of the period printed it.
            let json: String = sqlx::query_scalar(
                "SELECT procedure_json FROM dossiers WHERE procedure_code = $1 AND received_at < $2 \
                 ORDER BY received_at DESC LIMIT 1",
            )
            .bind(&code)
            .bind(end)
            .fetch_one(&self.pool)
            .await?;
            let procedure: ProcedureRef =
                serde_json::from_str(&json).map_err(|e| CoreError::Json(e.to_string()))?;
            rows.push(ReportRow {
                field: procedure.field,
                procedure: code,
                procedure_name: procedure.name,
                counters,
            });
        }
        Ok(from_rows(from, to, as_of, rows))
    }

    /// `DIGITISED` by procedure code: (components, results); `end`, `start` as `COUNTERS`.
    async fn digitised(
        &self,
        end: i64,
        start: i64,
        first_id: i64,
    ) -> CoreResult<std::collections::HashMap<String, (i64, i64)>> {
        // A row's number is its place in the checklist, from 1; `from_data` is absent or true.
        let (rows, unscanned) = match self.backend() {
            Backend::Sqlite => (
                "json_array_length(d.documents_json)",
                "SELECT 1 FROM json_each(d.documents_json) AS j \
                 WHERE json_extract(j.value, '$.from_data') IS NOT 1 \
                 AND NOT EXISTS (SELECT 1 FROM scans s WHERE s.dossier_id = d.id AND s.doc = j.key + 1)",
            ),
            Backend::Postgres => (
                "json_array_length(d.documents_json::json)",
                "SELECT 1 FROM json_array_elements(d.documents_json::json) WITH ORDINALITY AS j(value, n) \
                 WHERE (j.value->>'from_data') IS DISTINCT FROM 'true' \
                 AND NOT EXISTS (SELECT 1 FROM scans s WHERE s.dossier_id = d.id AND s.doc = j.n)",
            ),
        };
        let sql = DIGITISED
            .replace("{ROWS}", rows)
            .replace("{UNSCANNED}", unscanned);
        let groups = sqlx::query(&sql)
            .bind(end)
            .bind(start)
            .bind(first_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out = std::collections::HashMap::with_capacity(groups.len());
        for g in &groups {
            let components: i64 = g.try_get("components_digitised")?;
            let results: i64 = g.try_get("results_digitised")?;
            out.insert(g.try_get("procedure_code")?, (components, results));
        }
        Ok(out)
    }
}

impl Store {
    /// The report as the printed Biểu 06 table (PDF), dated today.
    pub async fn report_pdf(&self, report: &Report) -> CoreResult<Vec<u8>> {
        let agency = self.agency().await?;
        let opts = crate::documents::FormOptions {
            citation: crate::documents::statistics::CITATION.to_string(),
            title: crate::documents::statistics::TITLE.to_string(),
            issued_at: crate::vntime::now(),
        };
        crate::documents::report_pdf(&agency, report, &opts).map_err(CoreError::from)
    }

    /// The report as an Excel workbook, with the unit's name when the desk is set up.
    pub async fn report_xlsx(&self, report: &Report) -> CoreResult<Vec<u8>> {
        let agency = self.agency().await.ok();
        crate::spreadsheet::report_xlsx(report, agency.as_ref())
    }
}
