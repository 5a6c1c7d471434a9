//! What the post later says of a result sent by post: delivered, or returned to the sender.
//! The latest word is kept with the hand-over; every word is an event.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;

use super::events::{append, NewEvent};
use super::{Actor, Store};
use crate::delivery::{DeliveryInput, DeliveryStatus};
use crate::error::{CoreError, CoreResult};
use crate::vntime::{self, from_millis, to_millis};

/// A result sent by post and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostalState {
    pub code: String,
    pub tracking: String,
    #[serde(with = "crate::vntime::serde_vn")]
    pub handed_at: DateTime<Utc>,
    pub status: Option<DeliveryStatus>,
    #[serde(with = "crate::vntime::serde_vn_opt")]
    pub status_at: Option<DateTime<Utc>>,
}

impl Store {
    /// The result of `code` as handed to the post, or `NotPosted`.
    pub async fn postal_state(&self, code: &str) -> CoreResult<PostalState> {
        let d = self.dossier(code).await?;
        let id = self.dossier_id(&d.code).await?;
        let row = sqlx::query(
            "SELECT method, tracking, at, delivery_status, delivery_at FROM handovers \
             WHERE dossier_id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .filter(|r| r.try_get::<String, _>("method").is_ok_and(|m| m == "post"))
        .ok_or_else(|| CoreError::NotPosted {
            code: d.code.clone(),
        })?;
        let status: Option<String> = row.try_get("delivery_status")?;
        Ok(PostalState {
            code: d.code,
            tracking: row.try_get("tracking")?,
            handed_at: from_millis(row.try_get("at")?),
            status: status.as_deref().and_then(DeliveryStatus::parse),
            status_at: row
                .try_get::<Option<i64>, _>("delivery_at")?
                .map(from_millis),
        })
    }

    /// Records what the post says happened at `at` (default now) to the parcel of `code`.
    pub async fn record_delivery(
        &self,
        code: &str,
        input: &DeliveryInput,
        at: Option<DateTime<Utc>>,
        actor: &Actor,
    ) -> CoreResult<PostalState> {
        let state = self.postal_state(code).await?;
        let at = at.unwrap_or_else(vntime::now);
        let delivery = input.validate(at, state.handed_at)?;
        let id = self.dossier_id(&state.code).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE handovers SET delivery_status = $1, delivery_at = $2 WHERE dossier_id = $3",
        )
        .bind(delivery.status.as_str())
        .bind(to_millis(at))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let data = serde_json::json!({ "status": delivery.status, "tracking": state.tracking });
        let event = NewEvent::plain("delivery_updated", &delivery.note, data);
        append(&mut tx, id, at, actor, event).await?;
        tx.commit().await?;
        self.postal_state(&state.code).await
    }
}
