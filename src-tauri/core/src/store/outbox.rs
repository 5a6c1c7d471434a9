//! The outbox's tables (migrations 0011, 0012): destinations, the per-dossier counters and the
//! messages. A message is enqueued for every destination by the statement(s) below, run in
//! the transaction of the change (`events::append`, and the intake's own statement), so a
//! change and its messages commit together or not at all; a database with no destination
//! inserts nothing. The sender claims a dossier's lowest message for a destination with a
//! lease (`claimed_until`), a conditional UPDATE that only one sender wins on either engine,
//! and deletes it once the destination acknowledged it.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

use super::access_log::{self, AccessKind};
use super::settings::CONTACT;
use super::state::DossierState;
use super::{Backend, Store};
use crate::audit::Chain;
use crate::error::{CoreError, CoreResult};
use crate::outbox::{
    redact, Destination, DestinationKind, DossierStatusView, Message, NewDestination, OutboxError,
    OutboxEvent, SendError, DEFAULT_TIMEOUT_MS,
};
use crate::public_status::PublicStatus;
use crate::vntime::{from_millis, rfc3339_vn, to_millis};

/// Counters for every destination, then one message per destination: `$1` code, `$2` event,
/// `$3` facts, `$4` personal fields, `$5` the change's moment. SQLite runs both in one call.
/// A dossier's counter is made at its first change after the intake, at 2: the intake is
/// always 1 and writes no counter (`INTAKE_*`), which keeps it to one more insert. (A
/// destination added after a dossier's intake thus starts that dossier at 2.)
const ENQUEUE_SQLITE: &str = "INSERT INTO outbox_counters (destination_id, code, last_seq) \
    SELECT id, $1, 2 FROM outbox_destinations WHERE true \
    ON CONFLICT (destination_id, code) DO UPDATE SET last_seq = outbox_counters.last_seq + 1; \
    INSERT INTO outbox_messages (destination_id, code, seq, idempotency_key, event, body_json, personal_json, created_at, next_attempt_at) \
    SELECT c.destination_id, c.code, c.last_seq, c.code || ':' || c.last_seq || ':' || c.destination_id, $2, $3, \
    CASE WHEN d.personal = 1 THEN $4 ELSE '' END, $5, $5 \
    FROM outbox_counters c JOIN outbox_destinations d ON d.id = c.destination_id WHERE c.code = $1;";
/// The same on PostgreSQL, in one statement.
const ENQUEUE_POSTGRES: &str = "WITH oc AS (INSERT INTO outbox_counters (destination_id, code, last_seq) \
    SELECT id, $1, 2 FROM outbox_destinations \
    ON CONFLICT (destination_id, code) DO UPDATE SET last_seq = outbox_counters.last_seq + 1 \
    RETURNING destination_id, code, last_seq) \
    INSERT INTO outbox_messages (destination_id, code, seq, idempotency_key, event, body_json, personal_json, created_at, next_attempt_at) \
    SELECT oc.destination_id, oc.code, oc.last_seq, oc.code || ':' || oc.last_seq || ':' || oc.destination_id, $2, $3, \
    CASE WHEN od.personal = 1 THEN $4 ELSE '' END, $5, $5 \
    FROM oc JOIN outbox_destinations od ON od.id = oc.destination_id";
/// The intake's message, `seq` 1, for every destination: a statement to append on SQLite, a
/// common table expression to add (after a comma) on PostgreSQL.
const INTAKE_SQLITE: &str = "INSERT INTO outbox_messages (destination_id, code, seq, idempotency_key, event, body_json, personal_json, created_at, next_attempt_at) \
    SELECT d.id, $1, 1, $1 || ':1:' || d.id, 'intake', $3, CASE WHEN d.personal = 1 THEN $4 ELSE '' END, $5, $5 \
    FROM outbox_destinations d;";
const INTAKE_POSTGRES: &str = "om AS (INSERT INTO outbox_messages (destination_id, code, seq, idempotency_key, event, body_json, personal_json, created_at, next_attempt_at) \
    SELECT od.id, $1, 1, $1 || ':1:' || od.id, 'intake', $3, CASE WHEN od.personal = 1 THEN $4 ELSE '' END, $5, $5 \
    FROM outbox_destinations od)";

/// The intake's share of its one writing statement (`store/intake.rs`), with the intake's
/// own parameter numbers.
pub(super) fn intake_sql(
    backend: Backend,
    code: usize,
    at: usize,
    body: usize,
    personal: usize,
) -> String {
    let sql = match backend {
        Backend::Sqlite => INTAKE_SQLITE,
        Backend::Postgres => INTAKE_POSTGRES,
    };
    // Through markers, so a new number ("$31") is never taken for an old one ("$3").
    let marked = [1, 3, 4, 5].iter().fold(sql.to_string(), |s, n| {
        s.replace(&format!("${n}"), &format!("@{n}@"))
    });
    marked
        .replace("@1@", &format!("${code}"))
        .replace("@3@", &format!("${body}"))
        .replace("@4@", &format!("${personal}"))
        .replace("@5@", &format!("${at}"))
}

/// What a change says to the outbox, besides the dossier's state after it.
pub(super) struct Facts<'a> {
    pub event: OutboxEvent,
    pub at: i64,
    pub from_status: Option<i64>,
    /// The event's own data (the hand-over's method, the post's word, …).
    pub data: &'a serde_json::Value,
}

/// The message's facts (no personal data) and the applicant's fields, as JSON texts.
pub(super) fn message_json(state: &DossierState, facts: &Facts<'_>) -> (String, String) {
    let procedure_name = serde_json::from_str::<serde_json::Value>(&state.procedure_json)
        .ok()
        .and_then(|p| p.get("name").and_then(|n| n.as_str()).map(str::to_string))
        .unwrap_or_default();
    let mut body = serde_json::json!({
        "at": rfc3339_vn(from_millis(facts.at)),
        "agency": state.agency_code,
        "procedure": state.procedure_code,
        "procedure_name": procedure_name,
        "status": state.status,
        "from_status": facts.from_status,
        "received_at": rfc3339_vn(from_millis(state.received_at)),
        "due_at": rfc3339_vn(from_millis(state.due_at)),
    });
    if let serde_json::Value::Object(map) = &mut body {
        match facts.event {
            OutboxEvent::HandedOver => {
                if let Some(method) = facts.data.get("method") {
                    map.insert("method".into(), method.clone());
                }
            }
            OutboxEvent::Delivery => {
                if let Some(status) = facts.data.get("status") {
                    map.insert("delivery".into(), status.clone());
                }
            }
            _ => {}
        }
    }
    let personal = serde_json::json!({
        "name": state.applicant_name,
        "id_number": state.applicant_id_number,
        "phone": state.applicant_phone,
        "email": state.applicant_email,
        "address": state.applicant_address,
    });
    (body.to_string(), personal.to_string())
}

/// Enqueues the message of a change for every destination, inside the change's transaction.
pub(super) async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    state: &DossierState,
    facts: &Facts<'_>,
) -> CoreResult<()> {
    let (body, personal) = message_json(state, facts);
    let backend = if tx.backend_name().eq_ignore_ascii_case("postgresql") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    let sql = match backend {
        Backend::Sqlite => ENQUEUE_SQLITE,
        Backend::Postgres => ENQUEUE_POSTGRES,
    };
    sqlx::query(sql)
        .bind(&state.code)
        .bind(facts.event.as_str())
        .bind(&body)
        .bind(&personal)
        .bind(facts.at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What is waiting for one destination.
#[derive(Debug, Clone, Serialize)]
pub struct DestinationStatus {
    pub destination: Destination,
    pub pending: i64,
    /// Since when the oldest waiting message waits.
    #[serde(with = "crate::vntime::serde_vn_opt")]
    pub oldest: Option<DateTime<Utc>>,
    /// Its age in seconds at the moment asked.
    pub oldest_age_seconds: Option<i64>,
    /// The latest failure, if a message is waiting after one.
    pub last_error: Option<SendError>,
}

const DESTINATION_COLUMNS: &str =
    "id, kind, target, public_url, secret, personal, desk, timeout_ms, created_at";

fn destination(row: &sqlx::any::AnyRow) -> CoreResult<Destination> {
    let kind: String = row.try_get("kind")?;
    Ok(Destination {
        id: row.try_get("id")?,
        kind: DestinationKind::parse(&kind)
            .ok_or_else(|| CoreError::Json(format!("outbox destination kind {kind}")))?,
        target: row.try_get("target")?,
        public_url: row.try_get("public_url")?,
        secret: row.try_get("secret")?,
        personal: row.try_get::<i64, _>("personal")? == 1,
        desk: row.try_get("desk")?,
        timeout_ms: row.try_get("timeout_ms")?,
        created_at: from_millis(row.try_get("created_at")?),
    })
}

fn message(row: &sqlx::any::AnyRow) -> CoreResult<Message> {
    let json = |text: &str| -> CoreResult<serde_json::Value> {
        serde_json::from_str(text).map_err(|e| CoreError::Json(e.to_string()))
    };
    let personal: String = row.try_get("personal_json")?;
    Ok(Message {
        id: row.try_get("id")?,
        destination_id: row.try_get("destination_id")?,
        code: row.try_get("code")?,
        seq: row.try_get("seq")?,
        idempotency_key: row.try_get("idempotency_key")?,
        event: row.try_get("event")?,
        body: json(&row.try_get::<String, _>("body_json")?)?,
        personal: if personal.is_empty() {
            None
        } else {
            Some(json(&personal)?)
        },
        created_at: from_millis(row.try_get("created_at")?),
        attempts: row.try_get("attempts")?,
    })
}

impl Store {
    /// Adds a destination (checked: `NewDestination::checked`). A folder belongs to `desk`,
    /// whose sender alone writes it; the others are sent by any desk's sender. Changes
    /// already made are not sent to it: it receives what happens from now on. The access
    /// log says who added it, where to and whether with personal data (the secret never).
    pub async fn add_destination(
        &self,
        new: NewDestination,
        desk: &str,
        now: DateTime<Utc>,
    ) -> CoreResult<Destination> {
        let new = new.checked()?;
        let desk = match new.kind {
            DestinationKind::Folder => desk,
            _ => "",
        };
        let mut tx = self.pool().begin().await?;
        // The access log's head first, as every appending transaction takes it.
        super::chain::lock(&mut tx, Chain::AuditLog).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outbox_destinations (kind, target, public_url, secret, personal, desk, timeout_ms, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.kind.as_str())
        .bind(&new.target)
        .bind(&new.public_url)
        .bind(&new.secret)
        .bind(i64::from(new.personal))
        .bind(desk)
        .bind(new.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS))
        .bind(to_millis(now))
        .fetch_one(&mut *tx)
        .await?;
        let data = serde_json::json!({
            "kind": new.kind,
            "target": redact(&new.target),
            "public_url": redact(&new.public_url),
            "personal": new.personal,
            "desk": desk,
        });
        let subject = format!("#{id}");
        let actor = self.record_actor();
        access_log::append(
            &mut tx,
            now,
            &actor,
            AccessKind::OutboxAdded,
            &subject,
            data,
        )
        .await?;
        tx.commit().await?;
        self.destination(id).await
    }

    pub async fn destination(&self, id: i64) -> CoreResult<Destination> {
        let row = sqlx::query(&format!(
            "SELECT {DESTINATION_COLUMNS} FROM outbox_destinations WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(OutboxError::NotFound { id })?;
        destination(&row)
    }

    /// Every destination, oldest first.
    pub async fn destinations(&self) -> CoreResult<Vec<Destination>> {
        let rows = sqlx::query(&format!(
            "SELECT {DESTINATION_COLUMNS} FROM outbox_destinations ORDER BY id"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(destination).collect()
    }

    /// Removes a destination with the messages still waiting for it.
    pub async fn remove_destination(&self, id: i64, now: DateTime<Utc>) -> CoreResult<()> {
        let removed = self.destination(id).await?;
        let mut tx = self.pool().begin().await?;
        super::chain::lock(&mut tx, Chain::AuditLog).await?;
        // SQLite enforces the cascade only with foreign keys on; both engines alike here.
        for sql in [
            "DELETE FROM outbox_messages WHERE destination_id = $1",
            "DELETE FROM outbox_counters WHERE destination_id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        let gone = sqlx::query("DELETE FROM outbox_destinations WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if gone == 0 {
            return Err(OutboxError::NotFound { id }.into());
        }
        let data = serde_json::json!({
            "kind": removed.kind,
            "target": redact(&removed.target),
        });
        let actor = self.record_actor();
        access_log::append(
            &mut tx,
            now,
            &actor,
            AccessKind::OutboxRemoved,
            &format!("#{id}"),
            data,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What waits for each destination at `now`: how many, since when, the last failure.
    pub async fn outbox_status(&self, now: DateTime<Utc>) -> CoreResult<Vec<DestinationStatus>> {
        let mut statuses = Vec::new();
        for destination in self.destinations().await? {
            let row = sqlx::query(
                "SELECT COUNT(*) AS pending, MIN(created_at) AS oldest FROM outbox_messages \
                 WHERE destination_id = $1",
            )
            .bind(destination.id)
            .fetch_one(self.pool())
            .await?;
            let oldest = row.try_get::<Option<i64>, _>("oldest")?.map(from_millis);
            let last: Option<String> = sqlx::query_scalar(
                "SELECT last_error FROM outbox_messages WHERE destination_id = $1 AND last_error <> '' \
                 ORDER BY next_attempt_at DESC, id DESC LIMIT 1",
            )
            .bind(destination.id)
            .fetch_optional(self.pool())
            .await?;
            statuses.push(DestinationStatus {
                pending: row.try_get("pending")?,
                oldest_age_seconds: oldest.map(|o| (now - o).num_seconds().max(0)),
                oldest,
                last_error: last.and_then(|text| serde_json::from_str(&text).ok()),
                destination,
            });
        }
        Ok(statuses)
    }

    /// How many messages wait, for every destination together (the window's banner).
    pub async fn outbox_pending(&self) -> CoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM outbox_messages")
            .fetch_one(self.pool())
            .await?)
    }

    /// The destinations `desk`'s sender delivers: its own folders and every other kind.
    pub(crate) async fn destinations_for(&self, desk: &str) -> CoreResult<Vec<Destination>> {
        let rows = sqlx::query(&format!(
            "SELECT {DESTINATION_COLUMNS} FROM outbox_destinations WHERE desk = '' OR desk = $1 ORDER BY id"
        ))
        .bind(desk)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(destination).collect()
    }

    /// For one destination, the first message of each dossier (never a later one before
    /// it) that is due by `due` and not claimed by a live sender at `now`, oldest first,
    /// leaving out `skip`.
    pub(crate) async fn outbox_heads(
        &self,
        destination: i64,
        now: DateTime<Utc>,
        due: DateTime<Utc>,
        skip: &[i64],
        limit: i64,
    ) -> CoreResult<Vec<Message>> {
        let skipped = if skip.is_empty() {
            String::new()
        } else {
            let ids: Vec<String> = skip.iter().map(i64::to_string).collect();
            format!(" AND m.id NOT IN ({})", ids.join(", "))
        };
        let rows = sqlx::query(&format!(
            "SELECT m.id, m.destination_id, m.code, m.seq, m.idempotency_key, m.event, m.body_json, \
             m.personal_json, m.created_at, m.attempts FROM outbox_messages m \
             WHERE m.destination_id = $1 AND m.next_attempt_at <= $2 \
             AND (m.claimed_until IS NULL OR m.claimed_until <= $3) \
             AND NOT EXISTS (SELECT 1 FROM outbox_messages p WHERE p.destination_id = m.destination_id \
             AND p.code = m.code AND p.seq < m.seq){skipped} \
             ORDER BY m.created_at, m.id LIMIT {limit}"
        ))
        .bind(destination)
        .bind(to_millis(due))
        .bind(to_millis(now))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(message).collect()
    }

    /// Claims a message until `until`, unless another sender holds it: one statement, so of
    /// two senders (two desks on PostgreSQL, or a window and a scheduled job on one file)
    /// exactly one wins.
    pub(crate) async fn claim_message(
        &self,
        id: i64,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> CoreResult<bool> {
        let claimed = sqlx::query(
            "UPDATE outbox_messages SET claimed_until = $1 \
             WHERE id = $2 AND (claimed_until IS NULL OR claimed_until <= $3)",
        )
        .bind(to_millis(until))
        .bind(id)
        .bind(to_millis(now))
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(claimed == 1)
    }

    /// The destination acknowledged the message: it leaves the outbox.
    pub(crate) async fn acknowledge_message(&self, id: i64) -> CoreResult<()> {
        sqlx::query("DELETE FROM outbox_messages WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The message stays, with why and when to try again.
    pub(crate) async fn message_failed(
        &self,
        id: i64,
        error: &SendError,
        next: DateTime<Utc>,
    ) -> CoreResult<()> {
        let text = serde_json::to_string(error).map_err(|e| CoreError::Json(e.to_string()))?;
        sqlx::query(
            "UPDATE outbox_messages SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2, \
             claimed_until = NULL WHERE id = $3",
        )
        .bind(to_millis(next))
        .bind(&text)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// How many messages wait for `desk`'s destinations.
    pub(crate) async fn outbox_pending_for(&self, desk: &str) -> CoreResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox_messages m \
             JOIN outbox_destinations d ON d.id = m.destination_id WHERE d.desk = '' OR d.desk = $1",
        )
        .bind(desk)
        .fetch_one(self.pool())
        .await?)
    }

    /// When the next waiting message of `desk`'s destinations is due, if any waits.
    pub(crate) async fn outbox_next_due(&self, desk: &str) -> CoreResult<Option<DateTime<Utc>>> {
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(m.next_attempt_at) FROM outbox_messages m \
             JOIN outbox_destinations d ON d.id = m.destination_id WHERE d.desk = '' OR d.desk = $1",
        )
        .bind(desk)
        .fetch_one(self.pool())
        .await?;
        Ok(next.map(from_millis))
    }

    /// The dossiers handed over in `[from, to)` (oldest first, at most `limit`), with the
    /// moment of each hand-over: the public status blobs due for deletion since the last sweep.
    pub(crate) async fn handed_over_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: i64,
    ) -> CoreResult<Vec<(String, DateTime<Utc>)>> {
        let rows = sqlx::query(
            "SELECT d.code, h.at FROM handovers h JOIN dossiers d ON d.id = h.dossier_id \
             WHERE h.at >= $1 AND h.at < $2 ORDER BY h.at LIMIT $3",
        )
        .bind(to_millis(from))
        .bind(to_millis(to))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("code")?, from_millis(row.try_get("at")?))))
            .collect()
    }

    /// Up to when the public status host has been swept of handed-over dossiers.
    pub(crate) async fn swept_until(&self, destination: i64) -> CoreResult<DateTime<Utc>> {
        let at: Option<i64> =
            sqlx::query_scalar("SELECT swept_until FROM outbox_destinations WHERE id = $1")
                .bind(destination)
                .fetch_optional(self.pool())
                .await?;
        Ok(from_millis(at.unwrap_or(0)))
    }

    /// Records a sweep's progress; never moves it back (two desks may sweep at once).
    pub(crate) async fn set_swept_until(
        &self,
        destination: i64,
        until: DateTime<Utc>,
    ) -> CoreResult<()> {
        sqlx::query(
            "UPDATE outbox_destinations SET swept_until = $1 WHERE id = $2 AND swept_until < $1",
        )
        .bind(to_millis(until))
        .bind(destination)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The address citizens open when the office publishes a public status (the first such
    /// destination's), which the receipt's QR then carries.
    pub async fn public_status_address(&self) -> CoreResult<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT public_url FROM outbox_destinations WHERE kind = $1 ORDER BY id LIMIT 1",
        )
        .bind(DestinationKind::PublicStatus.as_str())
        .fetch_optional(self.pool())
        .await?)
    }

    /// What the public status destination publishes of `code`, read now.
    pub async fn dossier_status_view(&self, code: &str) -> CoreResult<DossierStatusView> {
        let dossier = self.dossier(code).await?;
        let contact = self.get_setting(CONTACT).await?.unwrap_or_default();
        let id = self.dossier_id(&dossier.code).await?;
        let handed: Option<i64> =
            sqlx::query_scalar("SELECT at FROM handovers WHERE dossier_id = $1")
                .bind(id)
                .fetch_optional(self.pool())
                .await?;
        Ok(DossierStatusView::new(
            PublicStatus::from_dossier(&dossier, &contact),
            handed.map(from_millis),
        ))
    }
}

/// How long a failed message waits before its next try: 30 s, doubling with each failure,
/// at most an hour (so a destination back after a long outage is found within the hour).
pub fn backoff(attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 7)).unwrap_or(7);
    let seconds = 30i64.saturating_mul(1i64 << doublings);
    Duration::seconds(seconds.min(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(480));
        assert_eq!(backoff(8), Duration::seconds(3600));
        assert_eq!(backoff(100), Duration::seconds(3600));
    }

    #[test]
    fn the_intake_gets_its_own_parameter_numbers() {
        let sql = intake_sql(Backend::Sqlite, 1, 31, 39, 40);
        assert!(sql.contains("$39, CASE WHEN d.personal = 1 THEN $40 ELSE '' END, $31, $31"));
        assert!(sql.contains("'intake'"));
        assert!(!sql.contains("$3,") && !sql.contains("$5"));
        let sql = intake_sql(Backend::Postgres, 1, 31, 39, 40);
        assert!(sql.starts_with("om AS (") && sql.contains("$1 || ':1:' || od.id"));
    }
}
