//! Reading the facts of the Biểu 06 report from the dossiers, their events and hand-overs.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::rows::json;
use super::Store;
use crate::dossier::ProcedureRef;
use crate::error::{CoreError, CoreResult, Problem};
use crate::report::{build, Facts, Report};
use crate::vntime::{from_millis, to_millis, vn_day_start};

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
    pub async fn report(&self, from: NaiveDate, to: NaiveDate) -> CoreResult<Report> {
        let (_, end) = period(from, to)?;
        let rows = sqlx::query(
            "SELECT d.procedure_json, d.channel, d.received_at, d.due_at, \
             (SELECT MIN(e.at) FROM events e WHERE e.dossier_id = d.id AND e.to_status = 9) AS ready_at, \
             (SELECT MIN(e.at) FROM events e WHERE e.dossier_id = d.id AND e.to_status = 10) AS returned_at, \
             (SELECT MIN(e.at) FROM events e WHERE e.dossier_id = d.id AND e.to_status IN (3, 7, 8)) AS closed_at, \
             h.at AS handed_at, h.rating \
             FROM dossiers d LEFT JOIN handovers h ON h.dossier_id = d.id WHERE d.received_at < $1",
        )
        .bind(to_millis(end))
        .fetch_all(&self.pool)
        .await?;
        let mut facts = Vec::with_capacity(rows.len());
        for row in &rows {
            let procedure: ProcedureRef = json(row, "procedure_json")?;
            let at = |col: &str| -> CoreResult<Option<chrono::DateTime<chrono::Utc>>> {
                Ok(row.try_get::<Option<i64>, _>(col)?.map(from_millis))
            };
            facts.push(Facts {
                field: procedure.field,
                procedure: procedure.code,
                procedure_name: procedure.name,
                online: row.try_get::<String, _>("channel")? == "online",
                received_at: from_millis(row.try_get("received_at")?),
                due_at: from_millis(row.try_get("due_at")?),
                ready_at: at("ready_at")?,
                returned_at: at("returned_at")?,
                closed_at: at("closed_at")?,
                handed_at: at("handed_at")?,
                rating: row.try_get("rating")?,
            });
        }
        Ok(build(from, to, &facts))
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
        crate::documents::report_pdf(&agency, report, &opts)
            .map_err(|e| CoreError::Document(e.to_string()))
    }

    /// The report as an Excel workbook, with the unit's name when the desk is set up.
    pub async fn report_xlsx(&self, report: &Report) -> CoreResult<Vec<u8>> {
        let agency = self.agency().await.ok();
        crate::spreadsheet::report_xlsx(report, agency.as_ref())
    }
}
