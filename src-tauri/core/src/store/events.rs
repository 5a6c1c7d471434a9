//! The event log: every change to a dossier is appended with time and actor, never updated
//! or deleted (triggers refuse it), and hash-chained (`store/audit.rs`) so that a change
//! made behind the triggers' back is found by `verify_audit`. Each event carries the digest
//! of its dossier's state after it (`store/state.rs`), so the dossier row cannot be changed
//! behind the app's back either. A dossier's history is read from here.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

use super::{chain, outbox, state, Actor, Store};
use crate::audit::{Cell, Chain};
use crate::error::{CoreError, CoreResult};
use crate::outbox::OutboxEvent;
use crate::status::Status;
use crate::vntime::{from_millis, to_millis};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub id: i64,
    #[serde(with = "crate::vntime::serde_vn")]
    pub at: DateTime<Utc>,
    pub actor: String,
    pub desk: String,
    /// created, status_changed, printed, reprinted, edited, …
    pub kind: String,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub note: String,
    pub data: serde_json::Value,
}

/// What a new event says; the store adds the dossier, time and actor.
pub struct NewEvent<'a> {
    pub kind: &'a str,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub note: &'a str,
    pub data: serde_json::Value,
}

impl<'a> NewEvent<'a> {
    /// An event that changes no status (a form issued, a new appointment, a delivery).
    pub fn plain(kind: &'a str, note: &'a str, data: serde_json::Value) -> NewEvent<'a> {
        NewEvent {
            kind,
            from_status: None,
            to_status: None,
            note,
            data,
        }
    }
}

/// The hashed fields of an event, in the chain's order (`store/audit.rs`). Intake and bulk
/// loading write their events in fewer statements than `append`, with these same hashes.
pub(super) struct EventRow<'a> {
    pub dossier_id: i64,
    pub at: i64,
    pub actor: &'a str,
    pub kind: &'a str,
    pub from_status: Option<i64>,
    pub to_status: Option<i64>,
    pub note: &'a str,
    pub data_json: &'a str,
    /// The dossier's state after the event (`DossierState::hash`).
    pub state_hash: &'a str,
}

/// The hashed fields of an event: those of migration 0007, then the state digest of 0009
/// (events from before it have none and are hashed as they were written).
pub(super) fn event_cells<'a>(mut cells: Vec<Cell<'a>>, state_hash: &'a str) -> Vec<Cell<'a>> {
    if !state_hash.is_empty() {
        cells.push(Cell::Text(state_hash));
    }
    cells
}

impl EventRow<'_> {
    pub fn cells(&self) -> Vec<Cell<'_>> {
        let cells = vec![
            Cell::Int(self.dossier_id),
            Cell::Int(self.at),
            Cell::Text(self.actor),
            Cell::Text(self.kind),
            Cell::from(self.from_status),
            Cell::from(self.to_status),
            Cell::Text(self.note),
            Cell::Text(self.data_json),
        ];
        event_cells(cells, self.state_hash)
    }

    /// This event's hash after `prev_hash`.
    pub fn hash(&self, prev_hash: &str) -> String {
        crate::audit::entry_hash(prev_hash, &self.cells())
    }
}

pub(super) async fn append(
    tx: &mut Transaction<'_, Any>,
    dossier_id: i64,
    at: DateTime<Utc>,
    actor: &Actor,
    event: NewEvent<'_>,
) -> CoreResult<()> {
    let mut data = event.data;
    if let serde_json::Value::Object(map) = &mut data {
        map.insert("desk".into(), serde_json::Value::String(actor.desk.clone()));
    }
    let at = to_millis(at);
    let from_status = event.from_status.map(Status::code);
    let to_status = event.to_status.map(Status::code);
    let data_json = data.to_string();
    // The head lock before the state is read: a transaction whose first statement reads
    // would start as a reader on SQLite and could not become a writer once another desk has
    // committed (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out).
    chain::lock(tx, Chain::Events).await?;
    let state = state::dossier_state(tx, dossier_id).await?;
    let state_hash = state
        .as_ref()
        .map(state::DossierState::hash)
        .unwrap_or_default();
    let row = EventRow {
        dossier_id,
        at,
        actor: &actor.name,
        kind: event.kind,
        from_status,
        to_status,
        note: event.note,
        data_json: &data_json,
        state_hash: &state_hash,
    };
    let link = chain::link(tx, Chain::Events, &row.cells()).await?;
    sqlx::query(
        "INSERT INTO events (dossier_id, at, actor, kind, from_status, to_status, note, data_json, prev_hash, hash, state_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(dossier_id)
    .bind(at)
    .bind(&actor.name)
    .bind(event.kind)
    .bind(from_status)
    .bind(to_status)
    .bind(event.note)
    .bind(&data_json)
    .bind(&link.prev_hash)
    .bind(&link.hash)
    .bind(&state_hash)
    .execute(&mut **tx)
    .await?;
    // What the outside should learn of it, in the same transaction.
    let message = OutboxEvent::from_event(event.kind, event.from_status, event.to_status);
    if let (Some(state), Some(message)) = (&state, message) {
        let facts = outbox::Facts {
            event: message,
            at,
            from_status,
            data: &data,
        };
        outbox::enqueue(tx, state, &facts).await?;
    }
    Ok(())
}

impl Store {
    /// The history of a dossier, oldest first.
    pub async fn events(&self, code: &str) -> CoreResult<Vec<Event>> {
        let id = self.dossier_id(code).await?;
        let rows = sqlx::query(
            "SELECT id, at, actor, kind, from_status, to_status, note, data_json FROM events WHERE dossier_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let data: serde_json::Value =
                    serde_json::from_str(&row.try_get::<String, _>("data_json")?)
                        .map_err(|e| CoreError::Json(e.to_string()))?;
                let status = |col: &str| -> CoreResult<Option<Status>> {
                    Ok(row
                        .try_get::<Option<i64>, _>(col)?
                        .and_then(Status::from_code))
                };
                Ok(Event {
                    id: row.try_get("id")?,
                    at: from_millis(row.try_get("at")?),
                    actor: row.try_get("actor")?,
                    desk: data
                        .get("desk")
                        .and_then(|d| d.as_str())
                        .unwrap_or_default()
                        .to_string(),
                    kind: row.try_get("kind")?,
                    from_status: status("from_status")?,
                    to_status: status("to_status")?,
                    note: row.try_get("note")?,
                    data,
                })
            })
            .collect()
    }
}
