//! Moving a dossier from one status to another: checked against the transition table,
//! guarded against two desks changing it at once, and logged as an event.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::events::{append, NewEvent};
use super::{Actor, Store};
use crate::calendar::{due_with_pauses, extend_by_pauses, Pause, PausePolicy};
use crate::dossier::Dossier;
use crate::error::{CoreError, CoreResult};
use crate::lifecycle::TransitionError;
use crate::lifecycle::{allowed, by_handover_only, move_allowed};
use crate::status::Status;
use crate::validate::{Checker, MAX_NOTE};
use crate::vntime::{self, to_millis};

/// One status move inside a transaction, as `Store::apply_move` makes it.
pub(super) struct Move<'a> {
    pub to: Status,
    pub at: DateTime<Utc>,
    /// The version the mover saw: a dossier changed since is refused with `Conflict`.
    pub version: i64,
    /// The event's kind ("status_changed", "transferred", …), note and extra data.
    pub kind: &'a str,
    pub note: &'a str,
    pub data: serde_json::Value,
}

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
        // A desk that read an older version is told so first: what it would refuse or allow
        // was decided on a dossier that is no longer there.
        if expected_version.is_some_and(|v| v != current.version) {
            return Err(CoreError::Conflict { code: current.code });
        }
        check_move(&current, to)?;
        let id = self.dossier_id(&current.code).await?;
        let mut tx = self.pool.begin().await?;
        let step = Move {
            to,
            at: at.unwrap_or_else(vntime::now),
            version: expected_version.unwrap_or(current.version),
            kind: "status_changed",
            note: &note,
            data: serde_json::json!({}),
        };
        self.apply_move(&mut tx, id, &current, step, actor).await?;
        tx.commit().await?;
        self.dossier(&current.code).await
    }

    /// Applies one move inside `tx`: the versioned status change, the pause it opens or
    /// closes with the appointment that closing moves, and the event. The caller commits.
    pub(super) async fn apply_move(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: i64,
        current: &Dossier,
        step: Move<'_>,
        actor: &Actor,
    ) -> CoreResult<()> {
        let (to, at) = (step.to, step.at);
        set_status(tx, id, current, step.version, to, at).await?;
        let was_paused = current.status.pauses_clock();
        let mut data = step.data;
        if !was_paused && to.pauses_clock() {
            sqlx::query(
                "INSERT INTO pauses (dossier_id, status_code, started_at) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(to.code())
            .bind(to_millis(at))
            .execute(&mut **tx)
            .await?;
        } else if was_paused && !to.pauses_clock() {
            sqlx::query(
                "UPDATE pauses SET ended_at = $1 WHERE dossier_id = $2 AND ended_at IS NULL",
            )
            .bind(to_millis(at))
            .bind(id)
            .execute(&mut **tx)
            .await?;
            let due = self.due_after_pauses(tx, id, current, at).await?;
            sqlx::query("UPDATE dossiers SET due_at = $1 WHERE id = $2")
                .bind(to_millis(due))
                .bind(id)
                .execute(&mut **tx)
                .await?;
            if let serde_json::Value::Object(map) = &mut data {
                map.insert("due_at".into(), vntime::rfc3339_vn(due).into());
                map.insert(
                    "previous_due_at".into(),
                    vntime::rfc3339_vn(current.due_at).into(),
                );
            }
        }
        append(
            tx,
            id,
            at,
            actor,
            NewEvent {
                kind: step.kind,
                from_status: Some(current.status),
                to_status: Some(to),
                note: step.note,
                data,
            },
        )
        .await
    }

    /// The clock runs again at `at`: the appointment moves by the pauses, or the limit
    /// restarts, as the procedure says; a new appointment given with an apology (Mẫu 04)
    /// stands, moved by the pauses that came after it.
    async fn due_after_pauses(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: i64,
        current: &Dossier,
        at: DateTime<Utc>,
    ) -> CoreResult<DateTime<Utc>> {
        let pauses: Vec<Pause> = read_pauses(tx, id)
            .await?
            .into_iter()
            .map(|(start, end)| Pause {
                start,
                end: end.unwrap_or(at),
            })
            .collect();
        let policy = match self.procedure(&current.procedure.code).await? {
            Some(p) => p.pause_policy,
            None => PausePolicy::Extend,
        };
        let calendar = self.work_calendar().await?;
        let hours = self.office_hours().await?;
        let due = due_with_pauses(
            &calendar,
            &hours,
            current.procedure.limit,
            current.received_at,
            &pauses,
            policy,
        );
        Ok(match last_reappointment(tx, id).await? {
            Some((given_at, promised)) => due.max(extend_by_pauses(
                &calendar, &hours, promised, given_at, &pauses,
            )),
            None => due,
        })
    }

    /// Hands the result of a ready dossier over (status 10), recording who received it,
    /// from which clerk, and the citizen's rating, in one transaction with the status change.
    pub async fn handover(
        &self,
        code: &str,
        input: &crate::handover::HandoverInput,
        at: Option<DateTime<Utc>>,
        actor: &Actor,
    ) -> CoreResult<Dossier> {
        let current = self.dossier(code).await?;
        let handover = input.validate(&current.applicant.id_number)?;
        if !allowed(current.status, Status::Returned) {
            return Err(CoreError::Transition(TransitionError::Transition {
                code: current.code.clone(),
                from: current.status,
                to: Status::Returned,
            }));
        }
        let at = at.unwrap_or_else(vntime::now);
        let id = self.dossier_id(&current.code).await?;
        let mut tx = self.pool.begin().await?;
        set_status(&mut tx, id, &current, current.version, Status::Returned, at).await?;
        sqlx::query(
            "INSERT INTO handovers (dossier_id, method, receiver_name, receiver_id, is_applicant, authorisation, tracking, at, clerk, rating) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id)
        .bind(&handover.method)
        .bind(&handover.receiver_name)
        .bind(&handover.receiver_id)
        .bind(i64::from(handover.is_applicant))
        .bind(&handover.authorisation)
        .bind(&handover.tracking)
        .bind(to_millis(at))
        .bind(&actor.name)
        .bind(handover.rating.map(crate::handover::Rating::code))
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            id,
            at,
            actor,
            NewEvent {
                kind: "handed_over",
                from_status: Some(current.status),
                to_status: Some(Status::Returned),
                note: "",
                data: serde_json::json!({
                    "method": handover.method,
                    "is_applicant": handover.is_applicant,
                    "tracking": handover.tracking,
                    "rating": handover.rating,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        self.dossier(&current.code).await
    }

    /// The intervals during which the dossier's clock stood still; an open one ends `None`.
    pub async fn pauses(
        &self,
        code: &str,
    ) -> CoreResult<Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>> {
        let id = self.dossier_id(code).await?;
        let mut conn = self.pool.acquire().await?;
        read_pauses(&mut conn, id).await
    }
}

/// Whether a plain move (every move but the hand-over) may take `current` to `to`.
pub(super) fn check_move(current: &Dossier, to: Status) -> CoreResult<()> {
    if by_handover_only(to) && allowed(current.status, to) {
        Err(CoreError::Transition(TransitionError::HandoverOnly {
            code: current.code.clone(),
        }))
    } else if move_allowed(current.status, to) {
        Ok(())
    } else {
        Err(CoreError::Transition(TransitionError::Transition {
            code: current.code.clone(),
            from: current.status,
            to,
        }))
    }
}

/// The latest new appointment given with an apology: when it was given, and for when.
async fn last_reappointment(
    conn: &mut sqlx::AnyConnection,
    id: i64,
) -> CoreResult<Option<(DateTime<Utc>, DateTime<Utc>)>> {
    let row = sqlx::query(
        "SELECT at, data_json FROM events WHERE dossier_id = $1 AND kind = 'reappointed' \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let data: serde_json::Value = serde_json::from_str(&row.try_get::<String, _>("data_json")?)
        .map_err(|e| CoreError::Json(e.to_string()))?;
    let promised = data
        .get("due_at")
        .and_then(|v| v.as_str())
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| CoreError::Json("reappointed.due_at".into()))?;
    Ok(Some((vntime::from_millis(row.try_get("at")?), promised)))
}

/// A dossier's pause intervals, oldest first; an open one ends `None`.
async fn read_pauses(
    conn: &mut sqlx::AnyConnection,
    id: i64,
) -> CoreResult<Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>> {
    let rows =
        sqlx::query("SELECT started_at, ended_at FROM pauses WHERE dossier_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|row| {
            let end: Option<i64> = row.try_get("ended_at")?;
            Ok((
                vntime::from_millis(row.try_get("started_at")?),
                end.map(vntime::from_millis),
            ))
        })
        .collect()
}

/// The version check and the change are one statement: of two desks, one wins; the other
/// gets `Conflict` and its transaction is dropped (rolled back) by the caller's `?`.
pub(super) async fn set_status(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    current: &Dossier,
    version: i64,
    to: Status,
    at: DateTime<Utc>,
) -> CoreResult<()> {
    let changed = sqlx::query(
        "UPDATE dossiers SET status_code = $1, version = version + 1, updated_at = $2 \
         WHERE id = $3 AND version = $4 AND status_code = $5",
    )
    .bind(to.code())
    .bind(to_millis(at))
    .bind(id)
    .bind(version)
    .bind(current.status.code())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 1 {
        Ok(())
    } else {
        Err(CoreError::Conflict {
            code: current.code.clone(),
        })
    }
}
