//! Moving a dossier from one status to another: checked against the transition table,
//! guarded against two desks changing it at once, and logged as an event.

use chrono::{DateTime, Utc};

use super::events::{append, NewEvent};
use super::{Actor, Store};
use crate::dossier::Dossier;
use crate::error::{CoreError, CoreResult};
use crate::lifecycle::allowed;
use crate::status::Status;
use crate::validate::{Checker, MAX_NOTE};
use crate::vntime::{self, to_millis};

impl Store {
    /// Moves `code` to `to`. With `expected_version`, a dossier changed since the caller read
    /// it is refused with `Conflict` rather than overwritten.
    pub async fn transition(
        &self,
        code: &str,
        to: Status,
        note: &str,
        at: Option<DateTime<Utc>>,
        expected_version: Option<i64>,
        actor: &Actor,
    ) -> CoreResult<Dossier> {
        let mut c = Checker::new();
        let note = c.text("note", note, false, MAX_NOTE);
        if !c.is_ok() {
            return Err(CoreError::Invalid(c.errors));
        }
        let current = self.dossier(code).await?;
        if !allowed(current.status, to) {
            return Err(CoreError::Transition {
                code: current.code,
                from: current.status,
                to,
            });
        }
        let version = expected_version.unwrap_or(current.version);
        let at = at.unwrap_or_else(vntime::now);
        let id = self.dossier_id(&current.code).await?;
        let mut tx = self.pool.begin().await?;
        // The version check and the change are one statement: of two desks, one wins.
        let changed = sqlx::query(
            "UPDATE dossiers SET status_code = $1, version = version + 1, updated_at = $2 \
             WHERE id = $3 AND version = $4 AND status_code = $5",
        )
        .bind(to.code())
        .bind(to_millis(at))
        .bind(id)
        .bind(version)
        .bind(current.status.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            tx.rollback().await?;
            return Err(CoreError::Conflict { code: current.code });
        }
        append(
            &mut tx,
            id,
            at,
            actor,
            NewEvent {
                kind: "status_changed",
                from_status: Some(current.status),
                to_status: Some(to),
                note: &note,
                data: serde_json::json!({}),
            },
        )
        .await?;
        tx.commit().await?;
        self.dossier(&current.code).await
    }
}
