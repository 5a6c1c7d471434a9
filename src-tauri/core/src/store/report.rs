//! Reading the facts of the Biểu 06 report from the dossiers. The moments it counts (ready,
//! returned, closed, and the hand-over rating) are kept on each dossier by triggers on the
//! events and hand-overs (migration 0005), so a year at a busy centre is one pass over one
//! table, streamed into the tally rather than held in memory.

use std::collections::HashMap;

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use sqlx::Row;

use super::Store;
use crate::dossier::ProcedureRef;
use crate::error::{CoreError, CoreResult, Problem};
use crate::report::{Facts, Report, Tally};
use crate::vntime::{from_millis, to_millis, vn_day_start};

impl Store {
    pub async fn report(&self, from: NaiveDate, to: NaiveDate) -> CoreResult<Report> {
        if to < from {
            return Err(CoreError::invalid("to", Problem::Date));
        }
        let end = to
            .succ_opt()
            .map(vn_day_start)
            .ok_or_else(|| CoreError::invalid("to", Problem::Date))?;
        let start = vn_day_start(from);
        // Dossiers resolved or closed before the period play no part in it.
        let mut rows = sqlx::query(
            "SELECT procedure_json, channel, received_at, due_at, ready_at, returned_at, closed_at, handover_rating \
             FROM dossiers WHERE received_at < $1 \
             AND (COALESCE(ready_at, returned_at) IS NULL OR COALESCE(ready_at, returned_at) >= $2) \
             AND (closed_at IS NULL OR closed_at >= $2)",
        )
        .bind(to_millis(end))
        .bind(to_millis(start))
        .fetch(&self.pool);
        let mut tally = Tally::new(from, to);
        // A handful of procedure snapshots repeat across a million dossiers: parse each once.
        let mut procedures: HashMap<String, ProcedureRef> = HashMap::new();
        while let Some(row) = rows.try_next().await? {
            let json: &str = row.try_get("procedure_json")?;
            if !procedures.contains_key(json) {
                let parsed: ProcedureRef =
                    serde_json::from_str(json).map_err(|e| CoreError::Json(e.to_string()))?;
                procedures.insert(json.to_string(), parsed);
            }
            let Some(procedure) = procedures.get(json) else {
                continue;
            };
            let at = |col: &str| -> CoreResult<Option<chrono::DateTime<chrono::Utc>>> {
                Ok(row.try_get::<Option<i64>, _>(col)?.map(from_millis))
            };
            let rating: Option<i64> = row.try_get("handover_rating")?;
            let returned_at = at("returned_at")?;
            tally.add(&Facts {
                field: &procedure.field,
                procedure: &procedure.code,
                procedure_name: &procedure.name,
                online: row.try_get::<&str, _>("channel")? == "online",
                received_at: from_millis(row.try_get("received_at")?),
                due_at: from_millis(row.try_get("due_at")?),
                ready_at: at("ready_at")?,
                returned_at,
                closed_at: at("closed_at")?,
                // A hand-over is the move to returned: the same moment.
                handed_at: rating.and(returned_at),
                rating,
            });
        }
        Ok(tally.finish())
    }
}
