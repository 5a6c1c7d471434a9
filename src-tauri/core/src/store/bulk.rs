//! Loading many validated dossiers at once, with their later history: a busy centre's year
//! in minutes, for the benchmark. The same tables and numbering rules as `intake` (codes
//! consecutive per agency and Vietnam day from the first number, register lines per year,
//! search terms, the "created" event), the same transitions as `transition` and `handover`;
//! the events hash-chained as `events::append` chains them; only the statements are
//! batched, many rows each, in one transaction per call.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use sqlx::{Any, Row, Transaction};

use super::events::EventRow;
use super::state::{DossierState, HandoverState};
use super::{Actor, Backend, Store};
use crate::dossier::ProcedureRef;
use crate::error::{CoreError, CoreResult};
use crate::handover::Rating;
use crate::intake::ValidIntake;
use crate::lifecycle::allowed;
use crate::numbering::{day_part, format_code};
use crate::problem::Problem;
use crate::status::Status;
use crate::text::{fold, suffix_terms};
use crate::vntime::{self, to_millis, vn_date};

/// A dossier that passed `intake::validate`, with its appointment and what happened to it.
#[derive(Debug, Clone)]
pub struct BulkDossier {
    pub intake: ValidIntake,
    /// From `calendar::due_at` for the procedure's limit and the reception time.
    pub due_at: DateTime<Utc>,
    /// Status changes after reception, in time order; a move to Returned is a hand-over to
    /// the applicant in person.
    pub steps: Vec<(DateTime<Utc>, Status)>,
    pub rating: Option<Rating>,
}

/// Rows per INSERT: SQLite allows 32,766 bound values in a statement, PostgreSQL 65,535.
const DOSSIER_ROWS: usize = 250;
const SMALL_ROWS: usize = 1000;

const DOSSIER_INSERT: &str = "INSERT INTO dossiers (code, agency_code, day, seq, request_id, status_code, \
    procedure_code, procedure_json, applicant_name, applicant_id_number, applicant_phone, applicant_email, \
    applicant_address, submitter_json, documents_json, sets, channel, return_json, received_at, due_at, fee_vnd, \
    fee_text, note, register_year, register_book, register_line, desk, issuer_json, version, updated_at, authority) VALUES ";
const DOSSIER_COLS: usize = 31;

fn to_json<T: serde::Serialize>(value: &T) -> CoreResult<String> {
    serde_json::to_string(value).map_err(|e| CoreError::Json(e.to_string()))
}

/// `($1, $2, …), ($n+1, …)` for `rows` rows of `cols` values; plain `?` on SQLite, which
/// looks numbered parameters up by name one at a time: with thousands in a statement, that
/// search dominated the whole load.
fn placeholders(backend: Backend, rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            match backend {
                Backend::Sqlite => out.push('?'),
                Backend::Postgres => {
                    out.push('$');
                    out.push_str(&(r * cols + c + 1).to_string());
                }
            }
        }
        out.push(')');
    }
    out
}

enum Value {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
}

async fn insert_rows(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    head: &str,
    cols: usize,
    rows: &[Vec<Value>],
    tail: &str,
) -> CoreResult<Vec<sqlx::any::AnyRow>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("{head}{}{tail}", placeholders(backend, rows.len(), cols));
    let mut query = sqlx::query(&sql);
    for row in rows {
        for v in row {
            query = match v {
                Value::Int(i) => query.bind(*i),
                Value::OptInt(i) => query.bind(*i),
                Value::Text(s) => query.bind(s.clone()),
                Value::OptText(s) => query.bind(s.clone()),
            };
        }
    }
    Ok(query.fetch_all(&mut **tx).await?)
}

/// Refuses a history that `transition` would refuse: every step allowed after the one
/// before, none before reception, none going back in time.
fn check_steps(d: &BulkDossier) -> CoreResult<()> {
    let mut status = Status::Accepted;
    let mut at = d.intake.received_at;
    for (t, next) in &d.steps {
        if !allowed(status, *next) || *t < at {
            return Err(CoreError::invalid(
                "history",
                Problem::Invalid {
                    detail: format!("{} -> {}", status.code(), next.code()),
                },
            ));
        }
        (status, at) = (*next, *t);
    }
    Ok(())
}

impl Store {
    /// Registers `batch` in one transaction, in order of reception, and returns the codes
    /// given. For loading test data: the benchmark's million dossiers.
    pub async fn insert_bulk(
        &self,
        batch: &[BulkDossier],
        actor: &Actor,
    ) -> CoreResult<Vec<String>> {
        for d in batch {
            check_steps(d)?;
        }
        let agency = self.agency().await?;
        let first_number = self.first_number().await?;
        let issuer_json = to_json(&agency)?;
        let mut order: Vec<usize> = (0..batch.len()).collect();
        order.sort_by_key(|&i| batch[i].intake.received_at);

        let greatest = match self.backend {
            Backend::Sqlite => "MAX",
            Backend::Postgres => "GREATEST",
        };
        // As in `intake`, the next number is max(last + 1, first number); k at once here.
        let day_sql = format!(
            "INSERT INTO day_counters (agency_code, day, last_seq) VALUES ($1, $2, $3) \
             ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = {greatest}(day_counters.last_seq + $4, excluded.last_seq) \
             RETURNING last_seq"
        );

        let mut tx = self.pool.begin().await?;
        // The events chain's head first, as in `intake` and every append (`store/audit.rs`):
        // it takes the write lock (SQLite) or the head's row lock (PostgreSQL) at once, so
        // every event of the batch follows the head and no other desk's event comes between.
        let count: usize = batch.iter().map(|d| 1 + d.steps.len()).sum();
        let mut prev_hash: String = sqlx::query_scalar(
            "UPDATE audit_head SET entries = entries + $1 WHERE chain = 'events' RETURNING last_hash",
        )
        .bind(i64::try_from(count).unwrap_or(i64::MAX))
        .fetch_one(&mut *tx)
        .await?;
        let mut per_day: Vec<(String, i64)> = Vec::new();
        for &i in &order {
            let key = day_part(vn_date(batch[i].intake.received_at));
            match per_day.last_mut() {
                Some((k, n)) if *k == key => *n += 1,
                _ => per_day.push((key, 1)),
            }
        }
        let mut seqs: Vec<i64> = Vec::with_capacity(batch.len());
        for (day, count) in &per_day {
            let last: i64 = sqlx::query_scalar(&day_sql)
                .bind(agency.code.as_str())
                .bind(day)
                .bind(first_number + count - 1)
                .bind(*count)
                .fetch_one(&mut *tx)
                .await?;
            seqs.extend(last - count + 1..=last);
        }
        let mut per_year: Vec<(i64, i64)> = Vec::new();
        for &i in &order {
            let year = i64::from(vn_date(batch[i].intake.received_at).year());
            match per_year.iter_mut().find(|(y, _)| *y == year) {
                Some((_, n)) => *n += 1,
                None => per_year.push((year, 1)),
            }
        }
        let mut lines: HashMap<i64, (i64, i64)> = HashMap::new();
        for (year, count) in &per_year {
            let row = sqlx::query(
                "INSERT INTO register_counters (year, book, last_line) VALUES ($1, 1, $2) \
                 ON CONFLICT (year) DO UPDATE SET last_line = register_counters.last_line + $3 RETURNING book, last_line",
            )
            .bind(*year)
            .bind(*count)
            .bind(*count)
            .fetch_one(&mut *tx)
            .await?;
            let book: i64 = row.try_get("book")?;
            let last: i64 = row.try_get("last_line")?;
            lines.insert(*year, (book, last - count + 1));
        }

        let mut codes = Vec::with_capacity(batch.len());
        // Each dossier's final state, in `codes` order; its events carry the states before.
        let mut states: Vec<DossierState> = Vec::with_capacity(batch.len());
        let mut ids: HashMap<String, i64> = HashMap::with_capacity(batch.len());
        for chunk in order.chunks(DOSSIER_ROWS) {
            let mut rows = Vec::with_capacity(chunk.len());
            for &i in chunk {
                let d = &batch[i];
                let v = &d.intake;
                let day = vn_date(v.received_at);
                let seq = seqs[codes.len()];
                let code = format_code(&agency.code, day, seq);
                let year = i64::from(day.year());
                let (book, line) = lines
                    .get_mut(&year)
                    .map(|e| {
                        let l = e.1;
                        e.1 += 1;
                        (e.0, l)
                    })
                    .unwrap_or((1, 1));
                let procedure_ref = ProcedureRef {
                    code: v.procedure.code.clone(),
                    name: v.procedure.name.clone(),
                    field: v.procedure.field.clone(),
                    limit: v.procedure.limit,
                };
                let (status, updated) = d
                    .steps
                    .last()
                    .map(|(t, s)| (*s, *t))
                    .unwrap_or((Status::Accepted, v.received_at));
                let version = 1 + i64::try_from(d.steps.len()).unwrap_or(0);
                let state = DossierState {
                    code: code.clone(),
                    agency_code: agency.code.as_str().to_string(),
                    day: day_part(day),
                    seq,
                    request_id: v.request_id.clone(),
                    status: status.code(),
                    procedure_code: procedure_ref.code.clone(),
                    procedure_json: to_json(&procedure_ref)?,
                    applicant_name: v.applicant.name.clone(),
                    applicant_id_number: v.applicant.id_number.clone(),
                    applicant_phone: v.applicant.phone.clone(),
                    applicant_email: v.applicant.email.clone(),
                    applicant_address: v.applicant.address.clone(),
                    submitter_json: v.submitter.as_ref().map(to_json).transpose()?,
                    documents_json: to_json(&v.documents)?,
                    sets: i64::from(v.sets),
                    channel: v.channel.as_str().to_string(),
                    return_json: to_json(&v.return_method)?,
                    received_at: to_millis(v.received_at),
                    due_at: to_millis(d.due_at),
                    fee_vnd: v.fee_vnd,
                    fee_text: v.procedure.fee_text.clone(),
                    note: v.note.clone(),
                    register: [year, book, line],
                    desk: actor.desk.clone(),
                    issuer_json: issuer_json.clone(),
                    version,
                    updated_at: to_millis(updated),
                    authority: v.authority.clone(),
                    handover: None,
                    pauses: Vec::new(),
                    transfers: Vec::new(),
                };
                rows.push(vec![
                    Value::Text(state.code.clone()),
                    Value::Text(state.agency_code.clone()),
                    Value::Text(state.day.clone()),
                    Value::Int(seq),
                    Value::OptText(state.request_id.clone()),
                    Value::Int(state.status),
                    Value::Text(state.procedure_code.clone()),
                    Value::Text(state.procedure_json.clone()),
                    Value::Text(state.applicant_name.clone()),
                    Value::Text(state.applicant_id_number.clone()),
                    Value::Text(state.applicant_phone.clone()),
                    Value::Text(state.applicant_email.clone()),
                    Value::Text(state.applicant_address.clone()),
                    Value::OptText(state.submitter_json.clone()),
                    Value::Text(state.documents_json.clone()),
                    Value::Int(state.sets),
                    Value::Text(state.channel.clone()),
                    Value::Text(state.return_json.clone()),
                    Value::Int(state.received_at),
                    Value::Int(state.due_at),
                    Value::OptInt(state.fee_vnd),
                    Value::Text(state.fee_text.clone()),
                    Value::Text(state.note.clone()),
                    Value::Int(year),
                    Value::Int(book),
                    Value::Int(line),
                    Value::Text(state.desk.clone()),
                    Value::Text(state.issuer_json.clone()),
                    Value::Int(version),
                    Value::Int(state.updated_at),
                    Value::Text(state.authority.clone()),
                ]);
                states.push(state);
                codes.push(code);
            }
            let returned = insert_rows(
                &mut tx,
                self.backend,
                DOSSIER_INSERT,
                DOSSIER_COLS,
                &rows,
                " RETURNING id, code",
            )
            .await?;
            for row in returned {
                ids.insert(row.try_get("code")?, row.try_get("id")?);
            }
        }

        let id_of = |pos: usize| -> CoreResult<i64> {
            ids.get(&codes[pos])
                .copied()
                .ok_or_else(|| CoreError::DossierNotFound {
                    code: codes[pos].clone(),
                })
        };
        let mut terms = Vec::new();
        let mut events = Vec::new();
        let mut handovers = Vec::new();
        for (pos, &i) in order.iter().enumerate() {
            let d = &batch[i];
            let id = id_of(pos)?;
            for term in suffix_terms(&fold(&d.intake.applicant.name)) {
                terms.push(vec![Value::Text(term), Value::Int(id)]);
            }
            // The state after each event: the first one's, then each step's.
            let mut state = states[pos].clone();
            state.status = Status::Accepted.code();
            state.version = 1;
            state.updated_at = to_millis(d.intake.received_at);
            let mut event = |at: DateTime<Utc>,
                             kind: &str,
                             from: Option<Status>,
                             to: Status,
                             mut data: serde_json::Value,
                             state: &DossierState| {
                if let serde_json::Value::Object(map) = &mut data {
                    map.insert("desk".into(), serde_json::Value::String(actor.desk.clone()));
                }
                let data_json = data.to_string();
                let state_hash = state.hash();
                let row = EventRow {
                    dossier_id: id,
                    at: to_millis(at),
                    actor: &actor.name,
                    kind,
                    from_status: from.map(Status::code),
                    to_status: Some(to.code()),
                    note: "",
                    data_json: &data_json,
                    state_hash: &state_hash,
                };
                let hash = row.hash(&prev_hash);
                events.push(vec![
                    Value::Int(id),
                    Value::Int(row.at),
                    Value::Text(actor.name.clone()),
                    Value::Text(kind.to_string()),
                    Value::OptInt(row.from_status),
                    Value::Int(to.code()),
                    Value::Text(String::new()),
                    Value::Text(data_json.clone()),
                    Value::Text(std::mem::replace(&mut prev_hash, hash.clone())),
                    Value::Text(hash),
                    Value::Text(state_hash.clone()),
                ]);
            };
            event(
                d.intake.received_at,
                "created",
                None,
                Status::Accepted,
                serde_json::json!({ "code": codes[pos], "due_at": vntime::rfc3339_vn(d.due_at) }),
                &state,
            );
            let mut from = Status::Accepted;
            for (at, to) in &d.steps {
                state.status = to.code();
                state.version += 1;
                state.updated_at = to_millis(*at);
                if *to == Status::Returned {
                    let handover = HandoverState {
                        method: "person".into(),
                        receiver_name: d.intake.applicant.name.clone(),
                        receiver_id: d.intake.applicant.id_number.clone(),
                        is_applicant: 1,
                        authorisation: String::new(),
                        tracking: String::new(),
                        at: to_millis(*at),
                        clerk: actor.name.clone(),
                        rating: d.rating.map(Rating::code),
                        delivery_status: None,
                        delivery_at: None,
                    };
                    handovers.push(vec![
                        Value::Int(id),
                        Value::Text(handover.method.clone()),
                        Value::Text(handover.receiver_name.clone()),
                        Value::Text(handover.receiver_id.clone()),
                        Value::Int(handover.is_applicant),
                        Value::Text(String::new()),
                        Value::Text(String::new()),
                        Value::Int(handover.at),
                        Value::Text(handover.clerk.clone()),
                        Value::OptInt(handover.rating),
                    ]);
                    state.handover = Some(handover);
                    event(
                        *at,
                        "handed_over",
                        Some(from),
                        *to,
                        serde_json::json!({ "method": "person", "is_applicant": true, "tracking": "", "rating": d.rating }),
                        &state,
                    );
                } else {
                    event(
                        *at,
                        "status_changed",
                        Some(from),
                        *to,
                        serde_json::json!({}),
                        &state,
                    );
                }
                from = *to;
            }
        }
        for chunk in terms.chunks(SMALL_ROWS) {
            insert_rows(
                &mut tx,
                self.backend,
                "INSERT INTO dossier_terms (term, dossier_id) VALUES ",
                2,
                chunk,
                " ON CONFLICT DO NOTHING",
            )
            .await?;
        }
        // In chain order: the ids grow as the hashes follow one another.
        for chunk in events.chunks(SMALL_ROWS / 2) {
            insert_rows(
                &mut tx,
                self.backend,
                "INSERT INTO events (dossier_id, at, actor, kind, from_status, to_status, note, data_json, prev_hash, hash, state_hash) VALUES ",
                11,
                chunk,
                "",
            )
            .await?;
        }
        for chunk in handovers.chunks(SMALL_ROWS / 2) {
            insert_rows(
                &mut tx,
                self.backend,
                "INSERT INTO handovers (dossier_id, method, receiver_name, receiver_id, is_applicant, authorisation, tracking, at, clerk, rating) VALUES ",
                10,
                chunk,
                "",
            )
            .await?;
        }
        sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE chain = 'events'")
            .bind(&prev_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(codes)
    }
}
