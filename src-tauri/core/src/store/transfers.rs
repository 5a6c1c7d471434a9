//! Batch transfers between the desk and the processing unit: every dossier of a hand-over
//! list moves in one transaction or none does; and the rows of a dossier's control slip.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::lifecycle::{check_move, Move};
use super::rows::json;
use super::{Actor, Store};
use crate::documents::{transfer_list_pdf, FormOptions};
use crate::dossier::{Dossier, ProcedureRef};
use crate::error::{CoreError, CoreResult};
use crate::problem::Problem;
use crate::report::Timeliness;
use crate::status::Status;
use crate::transfer::{
    ControlRow, ControlStep, Direction, TransferBatch, TransferInput, TransferRow,
};
use crate::vntime::{self, from_millis, to_millis};

fn direction_of(s: &str) -> CoreResult<Direction> {
    Direction::parse(s).ok_or_else(|| CoreError::Json(format!("transfer direction {s}")))
}

fn status_of(code: i64) -> CoreResult<Status> {
    Status::from_code(code).ok_or_else(|| CoreError::Json(format!("status_code {code}")))
}

impl Store {
    /// Moves every dossier of the list to the processing unit (status 4) or back with its
    /// result (status 9), each checked against the transition table and the version the
    /// desk saw, all in one transaction: one refusal leaves every dossier as it was.
    pub async fn transfer(
        &self,
        input: &TransferInput,
        at: Option<DateTime<Utc>>,
        actor: &Actor,
    ) -> CoreResult<TransferBatch> {
        let t = input.validate()?;
        let to = t.direction.target();
        let mut dossiers: Vec<(i64, Dossier, i64)> = Vec::with_capacity(t.items.len());
        for (code, version) in &t.items {
            let d = self.dossier(code).await?;
            check_move(&d, to)?;
            let id = self.dossier_id(&d.code).await?;
            let version = version.unwrap_or(d.version);
            dossiers.push((id, d, version));
        }
        // Unless the desk names the unit: dossiers go to the competent authority they name
        // (any-desk intake), and results come back from the unit the dossiers went to.
        let unit = match (t.unit.is_empty(), t.direction) {
            (false, _) => t.unit.clone(),
            (true, Direction::ToUnit) => common_authority(&dossiers),
            (true, Direction::Back) => self.common_unit(&dossiers).await?,
        };
        if unit.is_empty() {
            return Err(CoreError::invalid("transfer.unit", Problem::Required));
        }
        let at = at.unwrap_or_else(vntime::now);
        let mut tx = self.pool.begin().await?;
        let batch: i64 = sqlx::query_scalar(
            "INSERT INTO transfer_batches (direction, at, unit, giver, receiver, note, clerk) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(t.direction.as_str())
        .bind(to_millis(at))
        .bind(&unit)
        .bind(&t.giver)
        .bind(&t.receiver)
        .bind(&t.note)
        .bind(&actor.name)
        .fetch_one(&mut *tx)
        .await?;
        for (position, (id, d, version)) in (0i64..).zip(&dossiers) {
            let step = Move {
                to,
                at,
                version: *version,
                kind: "transferred",
                note: &t.note,
                data: serde_json::json!({
                    "batch": batch,
                    "direction": t.direction,
                    "unit": unit,
                }),
            };
            // The control slip's row first: the move's event carries the state after both.
            sqlx::query(
                "INSERT INTO transfers (batch_id, dossier_id, from_status, to_status, list_order) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(batch)
            .bind(*id)
            .bind(d.status.code())
            .bind(to.code())
            .bind(position)
            .execute(&mut *tx)
            .await?;
            self.apply_move(&mut tx, *id, d, step, actor).await?;
        }
        tx.commit().await?;
        self.transfer_batch(batch).await
    }

    /// The unit every one of `dossiers` last went to, if they all went to the same one.
    async fn common_unit(&self, dossiers: &[(i64, Dossier, i64)]) -> CoreResult<String> {
        let mut units: Vec<String> = Vec::new();
        for (id, _, _) in dossiers {
            let unit: Option<String> = sqlx::query_scalar(
                "SELECT b.unit FROM transfers t JOIN transfer_batches b ON b.id = t.batch_id \
                 WHERE t.dossier_id = $1 AND b.direction = 'to_unit' ORDER BY b.at DESC, b.id DESC \
                 LIMIT 1",
            )
            .bind(*id)
            .fetch_optional(self.pool())
            .await?;
            let unit = unit.unwrap_or_default();
            if !units.contains(&unit) {
                units.push(unit);
            }
        }
        Ok(match units.as_slice() {
            [one] => one.clone(),
            _ => String::new(),
        })
    }

    /// A hand-over list as recorded, its dossiers in the order they were listed.
    pub async fn transfer_batch(&self, id: i64) -> CoreResult<TransferBatch> {
        let row = sqlx::query(
            "SELECT id, direction, at, unit, giver, receiver, note, clerk FROM transfer_batches \
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(CoreError::TransferNotFound { id })?;
        let rows = sqlx::query(
            "SELECT d.code, d.procedure_json, d.applicant_name, d.sets, d.due_at, \
             t.from_status, t.to_status FROM transfers t JOIN dossiers d ON d.id = t.dossier_id \
             WHERE t.batch_id = $1 ORDER BY t.list_order",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let rows = rows
            .iter()
            .map(|r| {
                let procedure: ProcedureRef = json(r, "procedure_json")?;
                Ok(TransferRow {
                    code: r.try_get("code")?,
                    procedure_name: procedure.name,
                    applicant_name: r.try_get("applicant_name")?,
                    sets: u32::try_from(r.try_get::<i64, _>("sets")?).unwrap_or(1),
                    due_at: from_millis(r.try_get("due_at")?),
                    from_status: status_of(r.try_get("from_status")?)?,
                    to_status: status_of(r.try_get("to_status")?)?,
                })
            })
            .collect::<CoreResult<Vec<_>>>()?;
        Ok(TransferBatch {
            id: row.try_get("id")?,
            direction: direction_of(&row.try_get::<String, _>("direction")?)?,
            at: from_millis(row.try_get("at")?),
            unit: row.try_get("unit")?,
            giver: row.try_get("giver")?,
            receiver: row.try_get("receiver")?,
            note: row.try_get("note")?,
            clerk: row.try_get("clerk")?,
            rows,
        })
    }

    /// The rows of a dossier's control slip (Mẫu 05): every transfer, then the hand-over of
    /// the result, each judged against the appointment now in force.
    pub async fn control_rows(&self, code: &str) -> CoreResult<Vec<ControlRow>> {
        let d = self.dossier(code).await?;
        let id = self.dossier_id(&d.code).await?;
        let transfers = sqlx::query(
            "SELECT b.id, b.direction, b.at, b.unit, b.giver, b.receiver, b.note \
             FROM transfers t JOIN transfer_batches b ON b.id = t.batch_id \
             WHERE t.dossier_id = $1 ORDER BY b.at, b.id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let mut rows = Vec::with_capacity(transfers.len() + 1);
        for r in &transfers {
            let at = from_millis(r.try_get("at")?);
            rows.push(ControlRow {
                step: ControlStep::Transfer {
                    direction: direction_of(&r.try_get::<String, _>("direction")?)?,
                    unit: r.try_get("unit")?,
                    giver: r.try_get("giver")?,
                    receiver: r.try_get("receiver")?,
                    batch: r.try_get("id")?,
                },
                at,
                timeliness: Timeliness::judge(at, d.due_at),
                note: r.try_get("note")?,
            });
        }
        let handover = sqlx::query(
            "SELECT method, receiver_name, tracking, at, clerk FROM handovers WHERE dossier_id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        if let Some(h) = handover {
            let at = from_millis(h.try_get("at")?);
            rows.push(ControlRow {
                step: ControlStep::Returned {
                    receiver: h.try_get("receiver_name")?,
                    by_post: h.try_get::<String, _>("method")? == "post",
                    tracking: h.try_get("tracking")?,
                    clerk: h.try_get("clerk")?,
                },
                at,
                timeliness: Timeliness::judge(at, d.due_at),
                note: String::new(),
            });
        }
        Ok(rows)
    }

    /// A hand-over list as PDF, from its batch.
    pub async fn transfer_list_pdf(&self, batch: &TransferBatch) -> CoreResult<Vec<u8>> {
        let agency = self.agency().await?;
        let opts = FormOptions {
            citation: String::new(),
            title: crate::documents::transfer_list::TITLE.to_string(),
            issued_at: batch.at,
        };
        transfer_list_pdf(&agency, batch, &opts).map_err(CoreError::from)
    }
}

/// The competent authority every one of `dossiers` names, if they all name the same one.
fn common_authority(dossiers: &[(i64, Dossier, i64)]) -> String {
    let mut names = dossiers.iter().map(|(_, d, _)| d.authority.trim());
    match names.next() {
        Some(first) if names.all(|n| n == first) => first.to_string(),
        _ => String::new(),
    }
}
